/* cg_emit.c - what the code generator builds a program in: growable buffers,
 * the string and constant pools, instructions with their line entries, jump
 * patching, local slots and the variables bound to them, and the boundaries
 * of a function, whose code the verifier checks as it is closed. */
#include "codegen_int.h"

#include <stdlib.h>
#include <string.h>

#include "../runtime/limits.h"
#include "../runtime/verify.h"

void *cg_push(Buf *b, size_t size)
{
    if (b->len == b->cap) {
        uint32_t cap = b->cap ? b->cap * 2 : 64;
        void *items = realloc(b->items, size * cap);
        if (!items) diag_out_of_memory();
        b->items = items;
        b->cap = cap;
    }
    void *at = (char *)b->items + size * b->len++;
    memset(at, 0, size);
    return at;
}

void *cg_to_arena(Arena *a, Buf *b, size_t size)
{
    void *out = arena_alloc(a, size * (b->len ? b->len : 1));
    if (b->len) memcpy(out, b->items, size * b->len);
    free(b->items);
    b->items = NULL;
    return out;
}

uint32_t cg_intern(Gen *g, const char *s)
{
    if (!s) s = "";
    return strtab_intern(&g->strs, s, strlen(s));
}

uint32_t cg_const(Gen *g, ConstKind kind, int64_t value)
{
    ZConst *cs = g->consts.items;
    for (uint32_t i = 0; i < g->consts.len; i++)
        if (cs[i].kind == kind && cs[i].value == value) return i;
    ZConst *c = cg_push(&g->consts, sizeof(ZConst));
    c->kind = (uint8_t)kind;
    c->value = value;
    return g->consts.len - 1;
}

uint32_t cg_str_const(Gen *g, const char *s) { return cg_const(g, CONST_STR, cg_intern(g, s)); }

uint16_t cg_file_index(Gen *g, const Source *src)
{
    for (int i = 0; i < g->pol->nfiles; i++)
        if (g->pol->files[i] == src) return (uint16_t)i;
    return 0;
}

uint32_t cg_here(Gen *g) { return g->code.len; }

uint32_t cg_emit(Gen *g, Opcode op, int a, int b, uint32_t c, SrcLoc loc)
{
    Insn *in = cg_push(&g->code, sizeof(Insn));
    in->op = (uint8_t)op;
    in->a = (uint8_t)a;
    in->b = (uint16_t)b;
    in->c = c;
    ZLine *ln = cg_push(&g->lines, sizeof(ZLine));
    if (!loc.src) loc = g->fallback_loc;
    ln->file = cg_file_index(g, loc.src);
    ln->line = (uint32_t)loc.line;
    ln->col = (uint32_t)loc.col;
    return g->code.len - 1;
}

/* Points the jump or iterator exit at `at` to `target` (function-relative). */
void cg_patch(Gen *g, uint32_t at, uint32_t target) { ((Insn *)g->code.items)[at].c = target - g->fstart; }

int cg_new_slots(Gen *g, int n, SrcLoc loc)
{
    int s = g->nslots;
    if (g->nslots + n > ZL_MAX_SLOTS) {
        if (!g->failed) diag_report(g->d, DIAG_E0405, loc, D_TOO_MANY_LOCALS, ZL_MAX_SLOTS);
        g->failed = true;
        return 0;
    }
    g->nslots += n;
    return s;
}

Var *cg_bind_var(Gen *g, Var *up, const char *name, int slot)
{
    Var *v = arena_alloc(&g->p->arena, sizeof *v);
    v->name = name;
    v->slot = slot;
    v->row_table = -1;
    v->up = up;
    return v;
}

Var *cg_find_var(const Var *sc, const char *name)
{
    for (; sc; sc = sc->up)
        if (!strcmp(sc->name, name)) return (Var *)sc;
    return NULL;
}

uint32_t cg_span_text(Gen *g, SrcLoc loc)
{
    if (!loc.src || loc.end > loc.src->len || loc.off >= loc.end) return cg_intern(g, "");
    char *buf = malloc(loc.end - loc.off + 1);
    if (!buf) return cg_intern(g, "");
    size_t n = 0;
    for (size_t i = loc.off; i < loc.end; i++) {
        char ch = loc.src->text[i];
        bool space = ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
        if (!space) buf[n++] = ch;
        else if (n && buf[n - 1] != ' ') buf[n++] = ' ';
    }
    while (n && buf[n - 1] == ' ') n--;
    buf[n] = '\0';
    uint32_t id = cg_intern(g, buf);
    free(buf);
    return id;
}

uint32_t cg_trace(Gen *g, ZTracePoint tp, int slot, SrcLoc loc)
{
    if (!g->trace) return ZNONE;
    tp.rule = g->rule;
    tp.line = (uint32_t)(loc.src ? loc.line : 0);
    ZTracePoint *at = cg_push(&g->tpoints, sizeof tp);
    *at = tp;
    cg_emit(g, ZOP_TRACE, slot, 0, g->tpoints.len - 1, loc);
    return g->tpoints.len - 1;
}

void cg_begin_function(Gen *g, SrcLoc loc)
{
    g->fstart = cg_here(g);
    g->nslots = 1; /* slot 0: the rule's context (period, trigger event or row) */
    g->fallback_loc = loc;
}

uint32_t cg_end_function(Gen *g, ZFuncKind kind, uint32_t rule)
{
    ZFunc *f = cg_push(&g->funcs, sizeof(ZFunc));
    f->start = g->fstart;
    f->count = cg_here(g) - g->fstart;
    f->nslots = (uint16_t)g->nslots;
    f->kind = (uint8_t)kind;
    f->rule = rule;
    char err[160];
    int depth = verify_stack_depth((const Insn *)g->code.items + f->start, f->count, f->nslots, kind, LANG_EN, err, sizeof err);
    if (depth == -2) {
        diag_report(g->d, DIAG_E0405, g->fallback_loc, D_STACK_TOO_DEEP, ZL_MAX_STACK);
        g->failed = true;
        depth = 0;
    } else if (depth < 0) {
        /* a code generator bug: say so rather than write an unverifiable file */
        diag_report(g->d, DIAG_E0101, g->fallback_loc, D_CODE_DOES_NOT_VERIFY, err);
        g->failed = true;
        depth = 0;
    }
    f->max_stack = (uint16_t)depth;
    return g->funcs.len - 1;
}
