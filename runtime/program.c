/* program.c - the opcode table (from opcodes.def), Program lifetime, and
 * lookups into a Program (strings, fields by name). */
#include "program.h"

#include <stdlib.h>
#include <string.h>

const OpcodeInfo opcode_info[OPCODE_COUNT] = {
#define OP(name, layout, pops, pushes, synopsis) {#name, LAYOUT_##layout, pops, pushes, synopsis},
#include "opcodes.def"
#undef OP
};

Program *program_new(void)
{
    Program *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    arena_init(&p->arena);
    p->log.kind = ZT_EVENTS;
    p->log.key = -1;
    return p;
}

bool program_func_scans(const Program *p, uint32_t f)
{
    if (f >= p->nfuncs) return false;
    for (uint32_t k = 0; k < p->funcs[f].count; k++)
        if (zop_is_scan_init(p->code[p->funcs[f].start + k].op)) return true;
    return false;
}

void program_free(Program *p)
{
    if (!p) return;
    arena_free(&p->arena);
    free(p);
}

const char *program_string(const Program *p, uint32_t index)
{
    return index < p->nstrings ? p->strings[index] : "";
}

int zt_field(const Program *p, const ZTable *t, const char *name)
{
    for (uint32_t i = 0; i < t->nfields; i++)
        if (!strcmp(program_string(p, t->fields[i].name), name)) return (int)i;
    return -1;
}

const char *program_severity_name(uint8_t severity) { return severity == ZS_MUST ? "must" : "in-principle"; }
