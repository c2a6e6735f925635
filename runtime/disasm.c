/* disasm.c - the disassembler: one helper per operand layout, the synopsis of
 * each opcode from opcodes.def, and the source position from the line table. */
#include "disasm.h"

#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include "text.h"
#include "ztime.h"

/* The policy's strings (names, literals, paths: a rule file's text, or a
 * hostile .zbc's) are written through text_printf_escaped and text_pad, so
 * they cannot forge lines or hide text on a terminal (text.h). */

static const char *vt_name(uint8_t t, char *buf, size_t size)
{
    static const char *names[] = {"text", "id", "person", "time", "duration", "int", "bool", "enum"};
    const char *base = (t & ~VT_LIST_FLAG) < VT_COUNT ? names[t & ~VT_LIST_FLAG] : "?";
    snprintf(buf, size, "%s%s", t & VT_LIST_FLAG ? "list " : "", base);
    return buf;
}

/* The names of the event types in mask, separated by spaces (and one before
 * the first when `lead`). */
static void type_names(FILE *out, const Program *p, uint64_t mask, bool lead)
{
    for (uint32_t k = 0; k < p->nevent_types && k < 64; k++)
        if (mask & ((uint64_t)1 << k)) {
            text_printf_escaped(out, "%s%s", lead ? " " : "", program_string(p, p->event_types[k].name));
            lead = true;
        }
}

static void print_const(const Program *p, uint32_t i, FILE *out)
{
    if (i >= p->nconsts) { fprintf(out, "<const %u?>", i); return; }
    const ZConst *c = &p->consts[i];
    char buf[40];
    switch (c->kind) {
    case CONST_STR: text_printf_escaped(out, "\"%s\"", program_string(p, (uint32_t)c->value)); break;
    case CONST_INT: fprintf(out, "%" PRId64, c->value); break;
    case CONST_DURATION: fprintf(out, "%" PRId64 "s", c->value); break;
    case CONST_TIME: zt_format(c->value, p->meta.tz_offset, buf, sizeof buf); fputs(buf, out); break;
    case CONST_MASK:
        fputs("{", out);
        type_names(out, p, (uint64_t)c->value, false);
        fputs("}", out);
        break;
    case CONST_BOOL: fputs(c->value ? "true" : "false", out); break;
    default: fprintf(out, "<kind %u?>", c->kind);
    }
}

static const char *field_name(const Program *p, const ZTable *t, uint32_t f)
{
    return t && f < t->nfields ? program_string(p, t->fields[f].name) : "?";
}

static const ZTable *table_at(const Program *p, uint32_t b) { return b < p->ntables ? &p->tables[b] : NULL; }

/* The log fields of a field mask constant: "(.a, .b)". */
static void field_names(FILE *out, const Program *p, uint32_t c)
{
    uint64_t fields = c < p->nconsts ? (uint64_t)p->consts[c].value : 0;
    const char *sep = "(";
    for (uint32_t f = 0; f < p->log.nfields && f < 64; f++)
        if (fields >> f & 1) {
            text_printf_escaped(out, "%s.%s", sep, program_string(p, p->log.fields[f].name));
            sep = ", ";
        }
    fputs(*sep == '(' ? "(?)" : ")", out);
}

void disasm_insn(const Program *p, uint32_t i, uint32_t fstart, FILE *out)
{
    const Insn *in = &p->code[i];
    if (in->op >= OPCODE_COUNT) { fprintf(out, "%5u  ??? (opcode %u)", i - fstart, in->op); return; }
    const OpcodeInfo *info = &opcode_info[in->op];
    char ops[200];
    ops[0] = '\0';
    FILE *o = fmemopen(ops, sizeof ops, "w");
    if (!o) return;
    static const char *formats[] = {"plain", "person", "time", "period", "event", "list", "persons", "duration"};
    switch (info->layout) {
    case LAYOUT_NONE: break;
    case LAYOUT_CONST: fprintf(o, "#%u ", in->c); print_const(p, in->c, o); break;
    case LAYOUT_PARAM: fprintf(o, "%s", in->c < p->nparams ? program_string(p, p->params[in->c].name) : "?"); break;
    case LAYOUT_SLOT: fprintf(o, "s%u", in->a); break;
    case LAYOUT_FIELD: fprintf(o, ".%s", field_name(p, &p->log, in->c)); break;
    case LAYOUT_TFIELD: {
        const ZTable *t = table_at(p, in->b);
        fprintf(o, "%s.%s", t ? program_string(p, t->name) : "?", field_name(p, t, in->c));
        break;
    }
    case LAYOUT_TABLE: { const ZTable *t = table_at(p, in->b); fprintf(o, "%s", t ? program_string(p, t->name) : "?"); break; }
    case LAYOUT_COUNT: case LAYOUT_EMIT: fprintf(o, "%u", in->b); break;
    case LAYOUT_FORMAT: fprintf(o, "%s", in->a < FMT_COUNT ? formats[in->a] : "?"); break;
    case LAYOUT_JUMP: fprintf(o, "-> %u", in->c); break;
    case LAYOUT_ITER: fprintf(o, "s%u, done -> %u", in->a, in->c); break;
    case LAYOUT_LOOP: fprintf(o, "-> %u", in->c); break;
    case LAYOUT_SCAN: fprintf(o, "s%u, ", in->a); print_const(p, in->c, o); break;
    case LAYOUT_SCANF: fprintf(o, "s%u, .%s, ", in->a, field_name(p, &p->log, in->b)); print_const(p, in->c, o); break;
    case LAYOUT_SLOTF: fprintf(o, "s%u, .%s", in->a, field_name(p, &p->log, in->b)); break;
    case LAYOUT_TRACE: fprintf(o, "s%u, point %u", in->a, in->c); break;
    case LAYOUT_ROWS: { const ZTable *t = table_at(p, in->b); fprintf(o, "s%u, %s", in->a, t ? program_string(p, t->name) : "?"); break; }
    case LAYOUT_EARLY:
        fprintf(o, "%u%s, ", in->a & 0x7Fu, in->a & 0x80u ? " <" : "");
        field_names(o, p, in->b);
        fputs(", ", o);
        print_const(p, in->c, o);
        break;
    }
    fclose(o);
    const ZLine *ln = &p->lines[i];
    fprintf(out, "%5u  %-14s ", i - fstart, info->name);
    text_pad(out, ops, 34);
    fprintf(out, " ; %u:%u  %s", ln->line, ln->col, info->synopsis);
}

/* A selection's access path in words, as SQLite's EXPLAIN QUERY PLAN gives
 * it: the scan at instruction i that opens it, the narrowings that follow it
 * (docs/bytecode.md), and its time bounds. */
static void print_plan(const Program *p, uint32_t i, FILE *out)
{
    const Insn *in = &p->code[i];
    if (in->op == ZOP_EARLIEST) { /* one lookup: no scan */
        fputs("      plan:", out);
        if (in->c < p->nconsts) type_names(out, p, (uint64_t)p->consts[in->c].value, true);
        fputs(": earliest time by ", out);
        field_names(out, p, in->b);
        fprintf(out, " (%s a time)  ; %u:%u\n", in->a & 0x80u ? "before" : "until", p->lines[i].line, p->lines[i].col);
        return;
    }
    bool key = in->op == ZOP_SCAN_INIT_EQ || in->op == ZOP_SCAN_INIT_EQ_IN;
    bool period = in->op == ZOP_SCAN_INIT_IN || in->op == ZOP_SCAN_INIT_EQ_IN;
    bool from = false, last = false, until = i > 0 && p->code[i - 1].op != ZOP_MISSING; /* the until is pushed last */
    fprintf(out, "      plan: %s", key || period ? "" : "every");
    if (in->c < p->nconsts) type_names(out, p, (uint64_t)p->consts[in->c].value, !(key || period));
    if (key) fprintf(out, " by .%s", field_name(p, &p->log, in->b));
    if (period) fputs(" in a period", out);
    uint32_t k = i + 1;
    for (; k < p->ninsns && p->code[k].a == in->a; k++) {
        if (p->code[k].op == ZOP_SCAN_FROM) from = true;
        else if (p->code[k].op == ZOP_SCAN_LAST) last = true;
        else if (!zop_is_scan_narrow(p->code[k].op)) break;
    }
    if (from || until) fprintf(out, " (%s%s%s)", from ? "from a time" : "", from && until ? " " : "", until ? "until a time" : "");
    const char *sep = ", narrowed by";
    for (uint32_t j = i + 1; j < k; j++)
        if (p->code[j].op == ZOP_SCAN_ALSO_EQ) {
            fprintf(out, "%s .%s", sep, field_name(p, &p->log, p->code[j].b));
            sep = ",";
        }
    /* a union: each disjunct's pinned fields, "(.a | .b) and (.c)", of which it reads the fewest events */
    sep = ", narrowed by the union of (";
    for (uint32_t j = i + 1; j < k; j++) {
        if (p->code[j].op == ZOP_SCAN_ANY_EQ) {
            fprintf(out, "%s.%s", sep, field_name(p, &p->log, p->code[j].b));
            sep = " | ";
        } else if (p->code[j].op == ZOP_SCAN_ANY_OR) {
            sep = ") and (";
        } else if (p->code[j].op == ZOP_SCAN_ANY_END) {
            fputs(")", out);
        }
    }
    fprintf(out, "%s  ; %u:%u\n", last ? ", latest first" : "", p->lines[i].line, p->lines[i].col);
}

static void print_table(const Program *p, const ZTable *t, FILE *out)
{
    static const char *kinds[] = {"events", "roster", "table", "calendar"};
    char buf[32];
    text_printf_escaped(out, "  %s %s \"%s\"", t->kind < ZT_KIND_COUNT ? kinds[t->kind] : "?", program_string(p, t->name),
            program_string(p, t->table));
    if (t->kind == ZT_KEYED) text_printf_escaped(out, " key %s", field_name(p, t, (uint32_t)t->key));
    fputs("\n", out);
    for (uint32_t i = 0; i < t->nfields; i++) {
        fputs("    ", out);
        text_pad(out, program_string(p, t->fields[i].name), 12);
        fputc(' ', out);
        text_pad(out, vt_name(t->fields[i].type, buf, sizeof buf), 14);
        text_printf_escaped(out, " <- column \"%s\"%s\n", program_string(p, t->fields[i].column), t->fields[i].optional ? " (optional)" : "");
    }
}

void disasm_program(const Program *p, FILE *out)
{
    char buf[40];
    const ZMeta *m = &p->meta;
    text_printf_escaped(out, "policy %s: %s (%s)\n", program_string(p, m->name), program_string(p, m->title), program_string(p, m->document));
    zt_format(m->effective, m->tz_offset, buf, sizeof buf);
    long long tz = m->tz_offset;
    fprintf(out, "  effective %s, time zone %+lld:%02lld", buf, tz / 3600, (tz < 0 ? -tz : tz) / 60 % 60);
    if (m->units_column != ZNONE) text_printf_escaped(out, ", units column \"%s\"", program_string(p, m->units_column));
    fputs("\n  sources:", out);
    for (uint32_t i = 0; i < m->nfiles; i++) text_printf_escaped(out, " [%u] %s", i, program_string(p, m->files[i]));
    fprintf(out, "\n  %u strings, %u constants, %u rules, %u functions, %u instructions\n\n", p->nstrings, p->nconsts, p->nrules,
            p->nfuncs, p->ninsns);

    fputs("constants:\n", out);
    static const char *ck[] = {"str", "int", "duration", "time", "mask", "bool"};
    for (uint32_t i = 0; i < p->nconsts; i++) {
        fprintf(out, "  #%-4u %-8s ", i, p->consts[i].kind < CONST_KIND_COUNT ? ck[p->consts[i].kind] : "?");
        print_const(p, i, out);
        fputs("\n", out);
    }
    fputs("\nbindings:\n", out);
    if (p->log.nfields) print_table(p, &p->log, out);
    for (uint32_t i = 0; i < p->nevent_types; i++) {
        text_printf_escaped(out, "  event %s = \"%s\" {", program_string(p, p->event_types[i].name), program_string(p, p->event_types[i].value));
        for (uint32_t f = 0; f < p->log.nfields && f < 64; f++)
            if (p->event_types[i].fields & ((uint64_t)1 << f)) text_printf_escaped(out, " %s", field_name(p, &p->log, f));
        fputs(" }\n", out);
    }
    for (uint32_t i = 0; i < p->ntables; i++) print_table(p, &p->tables[i], out);
    fputs("\nparameters:\n", out);
    for (uint32_t i = 0; i < p->nparams; i++) {
        text_printf_escaped(out, "  %s: %s = ", program_string(p, p->params[i].name), vt_name(p->params[i].type, buf, sizeof buf));
        print_const(p, p->params[i].value, out);
        fputs("\n", out);
    }
    fputs("\nrules:\n", out);
    static const char *periods[] = {"day", "week", "month", "year", "weeks", "calendar"};
    for (uint32_t i = 0; i < p->nrules; i++) {
        const ZRule *r = &p->rules[i];
        text_printf_escaped(out, "  [%u] %s  (%s:%u:%u)\n", i, program_string(p, r->name),
                r->file < m->nfiles ? program_string(p, m->files[r->file]) : "?", r->line, r->col);
        fputs("      tags:", out);
        for (uint32_t k = 0; k < r->ntags; k++) text_printf_escaped(out, " %s", program_string(p, r->tags[k]));
        fprintf(out, "\n      severity: %s\n", program_severity_name(r->severity));
        for (uint32_t k = 0; k < r->nclauses; k++)
            text_printf_escaped(out, "      clause %s: %s\n", program_string(p, r->clauses[k].id), program_string(p, r->clauses[k].text));
        if (r->disabled) {
            text_printf_escaped(out, "      DISABLED: %s\n", program_string(p, r->disabled_reason));
            continue;
        }
        if (r->periodic) {
            fprintf(out, "      every %s", r->period < ZP_KIND_COUNT ? periods[r->period] : "?");
            if (r->period == ZP_WEEKS) fprintf(out, " (%u weeks)", r->weeks);
            if (r->anchor == ZA_TIME) { fputs(" from ", out); print_const(p, r->anchor_const, out); }
            if (r->period_table != ZNONE && r->period_table < p->ntables)
                text_printf_escaped(out, " %s %s", r->anchor == ZA_CALENDAR ? "anchored on" : "of", program_string(p, p->tables[r->period_table].name));
            if (r->period_filter != ZNONE) fprintf(out, " where f%u", r->period_filter);
            if (r->unless_table != ZNONE && r->unless_table < p->ntables) {
                text_printf_escaped(out, ", unless overlapping %s", program_string(p, p->tables[r->unless_table].name));
                if (r->unless_filter != ZNONE) fprintf(out, " where f%u", r->unless_filter);
            }
            fputs("\n", out);
        } else {
            fputs("      on", out);
            type_names(out, p, r->trigger_mask, true);
            if (r->trigger_filter != ZNONE) fprintf(out, " where f%u", r->trigger_filter);
            fputs("\n", out);
        }
        if (r->message != ZNONE) text_printf_escaped(out, "      message: %s\n", program_string(p, r->message));
        fprintf(out, "      body: f%u\n", r->body);
        static const char *keeps[] = {"from the beginning", "from the period's start", "from the trigger's time"};
        for (uint32_t k = 0; k < p->nretains; k++) {
            const ZRetain *z = &p->retains[k];
            if (z->rule != i) continue;
            fputs("      keeps", out);
            type_names(out, p, z->mask, true);
            if (z->filter != ZNONE) fprintf(out, " where f%u", z->filter);
            fprintf(out, " %s", z->kind < ZR_KIND_COUNT ? keeps[z->kind] : "?");
            if (z->offset) fprintf(out, " %+lld s", (long long)z->offset);
            if (z->pick == ZK_EARLIEST || z->pick == ZK_LATEST) {
                fprintf(out, ", the %s of each (", z->pick == ZK_EARLIEST ? "earliest" : "latest");
                bool first = true;
                for (uint32_t f = 0; f < p->log.nfields && f < 64; f++)
                    if (z->fields & ((uint64_t)1 << f)) {
                        text_printf_escaped(out, "%s%s", first ? "" : ", ", program_string(p, p->log.fields[f].name));
                        first = false;
                    }
                fputs(")", out);
            }
            fputs("\n", out);
        }
        for (uint32_t f = 0; f < p->nfuncs; f++)
            for (uint32_t k = 0; p->funcs[f].rule == i && k < p->funcs[f].count && p->funcs[f].start + k < p->ninsns; k++)
                if (zop_is_scan_init(p->code[p->funcs[f].start + k].op) || p->code[p->funcs[f].start + k].op == ZOP_EARLIEST)
                    print_plan(p, p->funcs[f].start + k, out);
    }
    fputs("\ncode:\n", out);
    static const char *fkinds[] = {"body", "event filter", "row filter"};
    for (uint32_t f = 0; f < p->nfuncs; f++) {
        const ZFunc *fn = &p->funcs[f];
        text_printf_escaped(out, "f%u: %s of rule %s (%u slots, stack %u)\n", f, fn->kind < ZF_KIND_COUNT ? fkinds[fn->kind] : "?",
                fn->rule < p->nrules ? program_string(p, p->rules[fn->rule].name) : "?", fn->nslots, fn->max_stack);
        for (uint32_t k = 0; k < fn->count && fn->start + k < p->ninsns; k++) {
            disasm_insn(p, fn->start + k, fn->start, out);
            fputs("\n", out);
        }
    }
}
