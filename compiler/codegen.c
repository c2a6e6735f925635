/* codegen.c - lowers a checked Policy to a Program: interned strings and
 * constants, bindings, parameters with their effective values, the rule
 * table, and one function per rule body and per filter, with a line entry for
 * every instruction. Definitions are inlined; selections become event scans,
 * indexed when the condition pins a field (`x.ref == e.id`, `T in x.topic`,
 * `x.time in period`). Output depends only on the policy, so it is
 * deterministic. */
#include "codegen.h"

#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "../runtime/limits.h"
#include "../runtime/strtab.h"
#include "../runtime/verify.h"
#include "../runtime/ztime.h"

typedef struct Var {
    const char *name;
    int slot;
    int row_table;   /* >= 0: a bare field name of the row in `slot` */
    int row_field;
    struct Var *up;
} Var;

typedef struct Buf {
    void *items;
    uint32_t len, cap;
} Buf;

typedef struct Gen {
    const Policy *pol;
    Program *p;
    DiagEngine *d;
    bool failed;
    StrTab strs;           /* the program's strings: id 0 is "" */
    Buf consts, code, lines, funcs, rules;
    /* the rule being generated: its context variable (`on x` / `as P`), for
     * the retention analysis of its scans, and the scans seen so far */
    uint32_t rule;
    const char *ctx_var;
    bool ctx_periodic;
    Buf pending_retains;   /* RetainPlan */
    Buf retains;           /* ZRetain */
    /* the function being generated */
    uint32_t fstart;
    int nslots;
    SrcLoc fallback_loc;
} Gen;

static void *buf_push(Buf *b, size_t size)
{
    if (b->len == b->cap) {
        uint32_t cap = b->cap ? b->cap * 2 : 64;
        void *items = realloc(b->items, size * cap);
        if (!items) { fputs("zhidu: out of memory\n", stderr); abort(); }
        b->items = items;
        b->cap = cap;
    }
    void *at = (char *)b->items + size * b->len++;
    memset(at, 0, size);
    return at;
}

static void *buf_to_arena(Arena *a, Buf *b, size_t size)
{
    void *out = arena_alloc(a, size * (b->len ? b->len : 1));
    if (b->len) memcpy(out, b->items, size * b->len);
    free(b->items);
    b->items = NULL;
    return out;
}

static uint32_t intern(Gen *g, const char *s)
{
    if (!s) s = "";
    return strtab_intern(&g->strs, s, strlen(s));
}

static uint32_t add_const(Gen *g, ConstKind kind, int64_t value)
{
    ZConst *cs = g->consts.items;
    for (uint32_t i = 0; i < g->consts.len; i++)
        if (cs[i].kind == kind && cs[i].value == value) return i;
    ZConst *c = buf_push(&g->consts, sizeof(ZConst));
    c->kind = (uint8_t)kind;
    c->value = value;
    return g->consts.len - 1;
}

static uint32_t str_const(Gen *g, const char *s) { return add_const(g, CONST_STR, intern(g, s)); }

static uint16_t file_index(Gen *g, const Source *src)
{
    for (int i = 0; i < g->pol->nfiles; i++)
        if (g->pol->files[i] == src) return (uint16_t)i;
    return 0;
}

static uint32_t here(Gen *g) { return g->code.len; }

static uint32_t emit(Gen *g, Opcode op, int a, int b, uint32_t c, SrcLoc loc)
{
    Insn *in = buf_push(&g->code, sizeof(Insn));
    in->op = (uint8_t)op;
    in->a = (uint8_t)a;
    in->b = (uint16_t)b;
    in->c = c;
    ZLine *ln = buf_push(&g->lines, sizeof(ZLine));
    if (!loc.src) loc = g->fallback_loc;
    ln->file = file_index(g, loc.src);
    ln->line = (uint32_t)loc.line;
    ln->col = (uint32_t)loc.col;
    return g->code.len - 1;
}

/* Points the jump or iterator exit at `at` to `target` (function-relative). */
static void patch(Gen *g, uint32_t at, uint32_t target) { ((Insn *)g->code.items)[at].c = target - g->fstart; }

static int new_slots(Gen *g, int n, SrcLoc loc)
{
    int s = g->nslots;
    if (g->nslots + n > ZL_MAX_SLOTS) {
        if (!g->failed) diag_report(g->d, DIAG_E0405, loc, "rule too large: it needs more than %d local values", ZL_MAX_SLOTS);
        g->failed = true;
        return 0;
    }
    g->nslots += n;
    return s;
}

static Var *bind_var(Gen *g, Var *up, const char *name, int slot)
{
    Var *v = arena_alloc(&g->p->arena, sizeof *v);
    v->name = name;
    v->slot = slot;
    v->row_table = -1;
    v->up = up;
    return v;
}

static Var *find_var(const Var *sc, const char *name)
{
    for (; sc; sc = sc->up)
        if (!strcmp(sc->name, name)) return (Var *)sc;
    return NULL;
}

static bool is_local(const void *scope, const char *name) { return find_var(scope, name) != NULL; }

static int roster_index(Gen *g)
{
    for (int i = 0; i < g->pol->ntables; i++)
        if (g->pol->tables[i]->kind == TABLE_ROSTER) return i;
    return 0;
}

static uint8_t val_type(const Policy *pol, const Type *t)
{
    if (!t) return VT_TEXT;
    switch (t->kind) {
    case T_TEXT: return VT_TEXT;
    case T_ID: return VT_ID;
    case T_PERSON: return VT_PERSON;
    case T_TIME: return VT_TIME;
    case T_DURATION: return VT_DURATION;
    case T_INT: return VT_INT;
    case T_BOOL: return VT_BOOL;
    case T_ENUM: return VT_ENUM;
    case T_LIST: return (uint8_t)(val_type(pol, t->elem) | VT_LIST_FLAG);
    default: return VT_TEXT;
    }
}

static FormatKind format_of(const Type *t)
{
    if (!t) return FMT_PLAIN;
    switch (t->kind) {
    case T_PERSON: return FMT_PERSON;
    case T_TIME: return FMT_TIME;
    case T_PERIOD: return FMT_PERIOD;
    case T_EVENT: return FMT_EVENT;
    case T_DURATION: return FMT_DURATION;
    case T_LIST: return t->elem && t->elem->kind == T_PERSON ? FMT_PERSONS : FMT_LIST;
    default: return FMT_PLAIN;
    }
}

/* ---- expressions ---------------------------------------------------------- */

static void gen_expr(Gen *g, Var *sc, Expr *e);

static int64_t literal_time(Gen *g, const Expr *e)
{
    ZtParsed p = {e->tval.local_seconds, e->tval.has_time, e->tval.has_offset, e->tval.offset_seconds};
    return zt_to_instant(&p, g->pol->header.tz_offset);
}

static void gen_enum_member(Gen *g, Expr *e)
{
    const EnumMemberSym *m = sym_as(e->sym, SYM_MEMBER);
    emit(g, ZOP_CONST, 0, 0, str_const(g, m ? m->value : e->name), e->loc);
}

static void gen_name(Gen *g, Var *sc, Expr *e)
{
    Var *v = find_var(sc, e->name);
    if (v) {
        emit(g, ZOP_LOAD, v->slot, 0, 0, e->loc);
        if (v->row_table >= 0) emit(g, ZOP_ROW_FIELD, 0, v->row_table, (uint32_t)v->row_field, e->loc);
        return;
    }
    const ParamSym *pa = sym_as(e->sym, SYM_PARAM);
    if (pa) {
        emit(g, ZOP_PARAM, 0, 0, (uint32_t)pa->index, e->loc);
        return;
    }
    gen_enum_member(g, e);
}

static void gen_field(Gen *g, Var *sc, Expr *e)
{
    const Type *t = e->lhs->type;
    gen_expr(g, sc, e->lhs);
    if (t && t->kind == T_EVENT) {
        emit(g, ZOP_EV_FIELD, 0, 0, (uint32_t)e->field, e->loc);
    } else if (t && t->kind == T_ROW) {
        emit(g, ZOP_ROW_FIELD, 0, t->table->index, (uint32_t)e->field, e->loc);
    } else if (t && t->kind == T_PERIOD) {
        if (!strcmp(e->name, "from")) emit(g, ZOP_PERIOD_FROM, 0, 0, 0, e->loc);
        else if (!strcmp(e->name, "to")) emit(g, ZOP_PERIOD_TO, 0, 0, 0, e->loc);
        else emit(g, ZOP_PERIOD_FIELD, 0, t->table->index, (uint32_t)e->field, e->loc);
    }
}

/* present(x), weekday(t), size(L): built in, not definitions */
static bool is_builtin_call(const Expr *e)
{
    return !strcmp(e->name, "present") || !strcmp(e->name, "weekday") || !strcmp(e->name, "size");
}

static void gen_call(Gen *g, Var *sc, Expr *e)
{
    if (e->lhs) { /* roster.field(person, role, time) */
        for (int i = 0; i < 3; i++) gen_expr(g, sc, e->args.items[i]);
        const TableSym *t = e->lhs->type->table;
        emit(g, ZOP_ROSTER_ATTR, 0, t->index, (uint32_t)e->field, e->loc);
        return;
    }
    if (is_builtin_call(e)) {
        gen_expr(g, sc, e->args.items[0]);
        emit(g, !strcmp(e->name, "present") ? ZOP_PRESENT : !strcmp(e->name, "weekday") ? ZOP_WEEKDAY : ZOP_SIZE, 0, 0, 0, e->loc);
        return;
    }
    /* a definition: evaluate the arguments into fresh slots, then its body */
    const DefSym *de = sym_as(e->sym, SYM_DEF);
    Var *inner = NULL;
    for (int i = 0; i < e->args.len; i++) {
        gen_expr(g, sc, e->args.items[i]);
        int slot = new_slots(g, 1, e->loc);
        emit(g, ZOP_STORE, slot, 0, 0, e->loc);
        inner = bind_var(g, inner, de->decl->params.items[i]->name, slot);
    }
    gen_expr(g, inner, de->decl->expr);
}

static void gen_and_or(Gen *g, Var *sc, Expr *e)
{
    bool is_and = e->op == OP_AND;
    gen_expr(g, sc, e->lhs);
    uint32_t short_jump = emit(g, is_and ? ZOP_JUMP_IF_FALSE : ZOP_JUMP_IF_TRUE, 0, 0, 0, e->loc);
    gen_expr(g, sc, e->rhs);
    uint32_t end_jump = emit(g, ZOP_JUMP, 0, 0, 0, e->loc);
    patch(g, short_jump, here(g));
    emit(g, is_and ? ZOP_FALSE : ZOP_TRUE, 0, 0, 0, e->loc);
    patch(g, end_jump, here(g));
}

static void gen_binary(Gen *g, Var *sc, Expr *e)
{
    if (e->op == OP_AND || e->op == OP_OR) { gen_and_or(g, sc, e); return; }
    gen_expr(g, sc, e->lhs);
    gen_expr(g, sc, e->rhs);
    const Type *rt = e->rhs->type;
    bool lists = e->lhs->type && e->lhs->type->kind == T_LIST;
    Opcode op = ZOP_NOP;
    switch (e->op) {
    case OP_EQ: op = ZOP_EQ; break;
    case OP_NE: op = ZOP_NE; break;
    case OP_LT: op = ZOP_LT; break;
    case OP_LE: op = ZOP_LE; break;
    case OP_GT: op = ZOP_GT; break;
    case OP_GE: op = ZOP_GE; break;
    case OP_IN:
    case OP_NOT_IN: op = rt && rt->kind == T_PERIOD ? ZOP_IN_PERIOD : ZOP_IN; break;
    case OP_UNION: op = ZOP_UNION; break;
    case OP_INTER: op = ZOP_INTER; break;
    case OP_MINUS: op = lists ? ZOP_DIFF : ZOP_SUB; break;
    case OP_PLUS: op = ZOP_ADD; break;
    default: break;
    }
    emit(g, op, 0, 0, 0, e->loc);
    if (e->op == OP_NOT_IN) emit(g, ZOP_NOT, 0, 0, 0, e->loc);
}

/* A mask of event types as sema recorded it, `event` (all bits) cut to the
 * types the policy declares. */
static uint64_t known_types(Gen *g, uint64_t mask)
{
    if (g->pol->nevent_types < 64) mask &= ((uint64_t)1 << g->pol->nevent_types) - 1;
    return mask;
}

/* exists / count / latest / first: a scan over the events of the checked range. */
static void gen_select(Gen *g, Var *sc, Expr *e)
{
    int result = new_slots(g, 1, e->loc);
    int ev = new_slots(g, 2, e->loc);
    Var *inner = bind_var(g, sc, e->name, ev);
    switch (e->select) {
    case SEL_EXISTS: emit(g, ZOP_FALSE, 0, 0, 0, e->loc); break;
    case SEL_COUNT: emit(g, ZOP_CONST, 0, 0, add_const(g, CONST_INT, 0), e->loc); break;
    default: emit(g, ZOP_MISSING, 0, 0, 0, e->loc); break;
    }
    emit(g, ZOP_STORE, result, 0, 0, e->loc);
    ScanPlan scan;
    plan_scan(e, &scan);
    Opcode init = scan.init;
    Expr *key = scan.key, *period = scan.period, *until = scan.until;
    int field = scan.field;
    uint64_t mask = known_types(g, e->event_mask);
    uint32_t mask_const = add_const(g, CONST_MASK, (int64_t)mask);
    /* the rule's context, unless a name hides it (this selection's own, or an
     * enclosing one's) */
    const Var *ctx = g->ctx_var && strcmp(e->name, g->ctx_var) ? find_var(sc, g->ctx_var) : NULL;
    PlanContext where = {g->ctx_var, g->ctx_periodic, ctx && ctx->slot == 0 && ctx->row_table < 0, is_local, sc};
    plan_retention(&where, e, &scan, mask, buf_push(&g->pending_retains, sizeof(RetainPlan)));
    if (init == ZOP_SCAN_INIT_EQ || init == ZOP_SCAN_INIT_EQ_IN) gen_expr(g, sc, key);
    if (init == ZOP_SCAN_INIT_IN || init == ZOP_SCAN_INIT_EQ_IN) gen_expr(g, sc, init == ZOP_SCAN_INIT_IN ? key : period);
    if (until) gen_expr(g, sc, until);
    else emit(g, ZOP_MISSING, 0, 0, 0, e->loc);
    emit(g, init, ev, init == ZOP_SCAN_INIT_EQ || init == ZOP_SCAN_INIT_EQ_IN ? field : 0, mask_const, e->loc);
    uint32_t head = emit(g, ZOP_SCAN_NEXT, ev, 0, 0, e->loc);
    uint32_t skip = ZNONE, found = ZNONE;
    if (e->rhs) {
        gen_expr(g, inner, e->rhs);
        skip = emit(g, ZOP_JUMP_IF_FALSE, 0, 0, 0, e->loc);
    }
    uint32_t skip2 = ZNONE;
    int time_field = sema_field_index(g->pol->events, "time");
    switch (e->select) {
    case SEL_EXISTS:
        emit(g, ZOP_TRUE, 0, 0, 0, e->loc);
        emit(g, ZOP_STORE, result, 0, 0, e->loc);
        found = emit(g, ZOP_JUMP, 0, 0, 0, e->loc);
        break;
    case SEL_COUNT:
        emit(g, ZOP_LOAD, result, 0, 0, e->loc);
        emit(g, ZOP_CONST, 0, 0, add_const(g, CONST_INT, 1), e->loc);
        emit(g, ZOP_ADD, 0, 0, 0, e->loc);
        emit(g, ZOP_STORE, result, 0, 0, e->loc);
        break;
    case SEL_FIRST:
        /* scans run in (time, input order): the first match is the earliest */
        emit(g, ZOP_LOAD, ev, 0, 0, e->loc);
        emit(g, ZOP_STORE, result, 0, 0, e->loc);
        found = emit(g, ZOP_JUMP, 0, 0, 0, e->loc);
        break;
    default: {
        /* take it when nothing is taken yet, or when it is later (latest: ties
         * go to the later row) or strictly earlier (first: ties keep the earlier) */
        emit(g, ZOP_LOAD, result, 0, 0, e->loc);
        emit(g, ZOP_PRESENT, 0, 0, 0, e->loc);
        uint32_t take_first = emit(g, ZOP_JUMP_IF_FALSE, 0, 0, 0, e->loc);
        emit(g, ZOP_LOAD, ev, 0, 0, e->loc);
        emit(g, ZOP_EV_FIELD, 0, 0, (uint32_t)time_field, e->loc);
        emit(g, ZOP_LOAD, result, 0, 0, e->loc);
        emit(g, ZOP_EV_FIELD, 0, 0, (uint32_t)time_field, e->loc);
        emit(g, e->select == SEL_LATEST ? ZOP_GE : ZOP_LT, 0, 0, 0, e->loc);
        skip2 = emit(g, ZOP_JUMP_IF_FALSE, 0, 0, 0, e->loc);
        patch(g, take_first, here(g));
        emit(g, ZOP_LOAD, ev, 0, 0, e->loc);
        emit(g, ZOP_STORE, result, 0, 0, e->loc);
        break;
    }
    }
    uint32_t loop = here(g);
    if (skip != ZNONE) patch(g, skip, loop);
    if (skip2 != ZNONE) patch(g, skip2, loop);
    emit(g, ZOP_LOOP, 0, 0, head - g->fstart, e->loc);
    patch(g, head, here(g));
    if (found != ZNONE) patch(g, found, here(g));
    emit(g, ZOP_LOAD, result, 0, 0, e->loc);
}

static void gen_expr(Gen *g, Var *sc, Expr *e)
{
    switch (e->kind) {
    case EX_NAME: gen_name(g, sc, e); break;
    case EX_STRING: emit(g, ZOP_CONST, 0, 0, str_const(g, e->text), e->loc); break;
    case EX_INT: emit(g, ZOP_CONST, 0, 0, add_const(g, CONST_INT, e->ival), e->loc); break;
    case EX_DURATION: emit(g, ZOP_CONST, 0, 0, add_const(g, CONST_DURATION, e->ival), e->loc); break;
    case EX_TIME: emit(g, ZOP_CONST, 0, 0, add_const(g, CONST_TIME, literal_time(g, e)), e->loc); break;
    case EX_BOOL: emit(g, e->ival ? ZOP_TRUE : ZOP_FALSE, 0, 0, 0, e->loc); break;
    case EX_FIELD: gen_field(g, sc, e); break;
    case EX_INDEX:
        gen_expr(g, sc, e->rhs);
        emit(g, ZOP_LOOKUP, 0, e->lhs->type->table->index, 0, e->loc);
        break;
    case EX_CALL: gen_call(g, sc, e); break;
    case EX_UNARY:
        gen_expr(g, sc, e->lhs);
        emit(g, e->op == OP_NOT ? ZOP_NOT : ZOP_NEG, 0, 0, 0, e->loc);
        break;
    case EX_BINARY: gen_binary(g, sc, e); break;
    case EX_SET:
        for (int i = 0; i < e->args.len; i++) gen_expr(g, sc, e->args.items[i]);
        emit(g, ZOP_MAKE_LIST, 0, e->args.len, 0, e->loc);
        break;
    case EX_ROLE_AT:
    case EX_ROLE_OVER:
        gen_expr(g, sc, e->lhs);
        gen_expr(g, sc, e->rhs);
        emit(g, e->kind == EX_ROLE_AT ? ZOP_ROLE_AT : ZOP_ROLE_OVER, 0, roster_index(g), 0, e->loc);
        break;
    case EX_SELECT: gen_select(g, sc, e); break;
    }
}

/* ---- functions -------------------------------------------------------------- */

static void begin_function(Gen *g, SrcLoc loc)
{
    g->fstart = here(g);
    g->nslots = 1; /* slot 0: the rule's context (period, trigger event or row) */
    g->fallback_loc = loc;
}

static uint32_t end_function(Gen *g, ZFuncKind kind, uint32_t rule)
{
    ZFunc *f = buf_push(&g->funcs, sizeof(ZFunc));
    f->start = g->fstart;
    f->count = here(g) - g->fstart;
    f->nslots = (uint16_t)g->nslots;
    f->kind = (uint8_t)kind;
    f->rule = rule;
    char err[160];
    int depth = verify_stack_depth((const Insn *)g->code.items + f->start, f->count, f->nslots, kind, err, sizeof err);
    if (depth == -2) {
        diag_report(g->d, DIAG_E0405, g->fallback_loc, "rule too large: it needs more than %d values on the stack at once", ZL_MAX_STACK);
        g->failed = true;
        depth = 0;
    } else if (depth < 0) {
        /* a code generator bug: say so rather than write an unverifiable file */
        diag_report(g->d, DIAG_E0101, g->fallback_loc, "internal error: generated code does not verify: %s", err);
        g->failed = true;
        depth = 0;
    }
    f->max_stack = (uint16_t)depth;
    return g->funcs.len - 1;
}

static Var *row_vars(Gen *g, const TableSym *t, int slot)
{
    Var *sc = NULL;
    for (int i = 0; i < t->nfields; i++) {
        sc = bind_var(g, sc, t->fields[i]->name, slot);
        sc->row_table = t->index;
        sc->row_field = i;
    }
    return sc;
}

static uint32_t gen_row_filter(Gen *g, const TableSym *t, Expr *filter, uint32_t rule, SrcLoc loc)
{
    if (!filter) return ZNONE;
    begin_function(g, loc);
    gen_expr(g, row_vars(g, t, 0), filter);
    emit(g, ZOP_RETURN_VALUE, 0, 0, 0, filter->loc);
    return end_function(g, ZF_ROW_FILTER, rule);
}

static void gen_verdict(Gen *g, Var *sc, RuleSym *r, RuleClause **by_kind, Opcode op, SrcLoc loc)
{
    RuleClause *subj = by_kind[CL_SUBJECTS], *ev = by_kind[CL_EVIDENCE], *msg = by_kind[CL_MESSAGE];
    if (subj && subj->list.len) {
        for (int i = 0; i < subj->list.len; i++) {
            Expr *x = subj->list.items[i];
            gen_expr(g, sc, x);
            if (!x->type || x->type->kind != T_LIST) emit(g, ZOP_MAKE_LIST, 0, 1, 0, x->loc);
            if (i > 0) emit(g, ZOP_UNION, 0, 0, 0, x->loc);
        }
    } else {
        emit(g, ZOP_MAKE_LIST, 0, 0, 0, loc);
    }
    int id_field = sema_field_index(g->pol->events, "id");
    int nev = ev ? ev->list.len : 0;
    for (int i = 0; i < nev; i++) {
        gen_expr(g, sc, ev->list.items[i]);
        emit(g, ZOP_EV_FIELD, 0, 0, (uint32_t)id_field, ev->list.items[i]->loc);
    }
    emit(g, ZOP_MAKE_LIST, 0, nev, 0, loc);
    int nparts = 0;
    if (msg) {
        for (int i = 0; i < msg->list.len; i++) {
            Expr *part = msg->list.items[i];
            gen_expr(g, sc, part);
            if (part->kind != EX_STRING) emit(g, ZOP_TO_TEXT, format_of(part->type), 0, 0, part->loc);
            nparts++;
        }
    } else {
        emit(g, ZOP_CONST, 0, 0, str_const(g, r->name), loc);
        nparts = 1;
    }
    emit(g, op, 0, nparts, 0, loc);
}

/* A jump to the next iteration of the loop at `depth` (0: out of the body). */
typedef struct Continue {
    int depth;
    uint32_t jump;
} Continue;

static void add_continue(Buf *continues, int nloops, uint32_t jump)
{
    Continue *c = buf_push(continues, sizeof(Continue));
    c->depth = nloops;
    c->jump = jump;
}

/* Points the continues of loop depth `depth` at `target` and drops them. */
static void patch_continues(Gen *g, Buf *continues, int depth, uint32_t target)
{
    Continue *cs = continues->items;
    uint32_t kept = 0;
    for (uint32_t k = 0; k < continues->len; k++) {
        if (cs[k].depth == depth) patch(g, cs[k].jump, target);
        else cs[kept++] = cs[k];
    }
    continues->len = kept;
}

static uint32_t gen_body(Gen *g, RuleSym *r, uint32_t rule)
{
    RuleClause *by_kind[CL_KIND_COUNT] = {0};
    for (int i = 0; i < r->clauses.len; i++)
        if (!by_kind[r->clauses.items[i]->kind]) by_kind[r->clauses.items[i]->kind] = r->clauses.items[i];
    begin_function(g, r->decl->name_loc);
    Var *sc = NULL;
    if (by_kind[CL_ON]) sc = bind_var(g, sc, by_kind[CL_ON]->var, 0);
    if (by_kind[CL_EVERY] && by_kind[CL_EVERY]->period->var) sc = bind_var(g, sc, by_kind[CL_EVERY]->period->var, 0);
    g->ctx_var = by_kind[CL_ON] ? by_kind[CL_ON]->var : by_kind[CL_EVERY] ? by_kind[CL_EVERY]->period->var : NULL;
    g->ctx_periodic = by_kind[CL_EVERY] != NULL;
    uint32_t heads[ZL_MAX_LOOPS]; /* the *_NEXT instruction of each open loop */
    Buf continues = {0};
    int nloops = 0;
    for (int i = 0; i < r->clauses.len; i++) {
        RuleClause *c = r->clauses.items[i];
        switch (c->kind) {
        case CL_FOR:
            for (int k = 0; k < c->nbindings; k++) {
                Binding *b = c->bindings[k];
                if (nloops == ZL_MAX_LOOPS) { /* sema refuses it first */
                    diag_report(g->d, DIAG_E0405, b->loc, "rule too large: more than %d nested loops", ZL_MAX_LOOPS);
                    g->failed = true;
                    free(continues.items);
                    return ZNONE;
                }
                gen_expr(g, sc, b->coll);
                bool pair = b->var2 != NULL;
                int slot = new_slots(g, pair ? 3 : 2, b->loc);
                emit(g, pair ? ZOP_PAIR_INIT : ZOP_ITER_INIT, slot, 0, 0, b->loc);
                heads[nloops] = emit(g, pair ? ZOP_PAIR_NEXT : ZOP_ITER_NEXT, slot, 0, 0, b->loc);
                nloops++;
                sc = bind_var(g, sc, b->var, slot);
                if (pair) sc = bind_var(g, sc, b->var2, slot + 1);
                if (b->filter) {
                    gen_expr(g, sc, b->filter);
                    add_continue(&continues, nloops, emit(g, ZOP_JUMP_IF_FALSE, 0, 0, 0, b->filter->loc));
                }
            }
            break;
        case CL_LET: {
            gen_expr(g, sc, c->expr);
            int slot = new_slots(g, 1, c->loc);
            emit(g, ZOP_STORE, slot, 0, 0, c->loc);
            sc = bind_var(g, sc, c->var, slot);
            break;
        }
        case CL_WHEN:
            gen_expr(g, sc, c->expr);
            if (c->else_pending) {
                uint32_t ok = emit(g, ZOP_JUMP_IF_TRUE, 0, 0, 0, c->loc);
                gen_verdict(g, sc, r, by_kind, ZOP_PENDING, c->loc);
                add_continue(&continues, nloops, emit(g, ZOP_JUMP, 0, 0, 0, c->loc));
                patch(g, ok, here(g));
            } else {
                add_continue(&continues, nloops, emit(g, ZOP_JUMP_IF_FALSE, 0, 0, 0, c->loc));
            }
            break;
        default:
            break;
        }
    }
    RuleClause *req = by_kind[CL_REQUIRE];
    gen_expr(g, sc, req->expr);
    add_continue(&continues, nloops, emit(g, ZOP_JUMP_IF_TRUE, 0, 0, 0, req->loc));
    if (by_kind[CL_DEADLINE]) {
        gen_expr(g, sc, by_kind[CL_DEADLINE]->expr);
        emit(g, ZOP_PAST_END, 0, 0, 0, by_kind[CL_DEADLINE]->loc);
        uint32_t pend = emit(g, ZOP_JUMP_IF_TRUE, 0, 0, 0, req->loc);
        gen_verdict(g, sc, r, by_kind, ZOP_VIOLATE, req->loc);
        add_continue(&continues, nloops, emit(g, ZOP_JUMP, 0, 0, 0, req->loc));
        patch(g, pend, here(g));
        gen_verdict(g, sc, r, by_kind, ZOP_PENDING, by_kind[CL_DEADLINE]->loc);
    } else {
        gen_verdict(g, sc, r, by_kind, ZOP_VIOLATE, req->loc);
    }
    /* close the loops, innermost first: `continue` lands on the LOOP */
    while (nloops > 0) {
        uint32_t head = heads[--nloops];
        uint32_t loop = here(g);
        patch_continues(g, &continues, nloops + 1, loop);
        emit(g, ZOP_LOOP, 0, 0, head - g->fstart, req->loc);
        patch(g, head, here(g));
    }
    uint32_t ret = here(g);
    patch_continues(g, &continues, 0, ret);
    free(continues.items);
    emit(g, ZOP_RETURN, 0, 0, 0, r->decl->loc);
    g->ctx_var = NULL;
    return end_function(g, ZF_BODY, rule);
}

static int64_t param_int(const Expr *count)
{
    if (count->kind == EX_INT) return count->ival;
    const ParamSym *pa = sym_as(count->sym, SYM_PARAM);
    return pa && pa->value && pa->value->kind == EX_INT ? pa->value->ival : 1;
}

static uint32_t param_value_const(Gen *g, ParamSym *pa)
{
    Expr *v = pa->value;
    switch (v->kind) {
    case EX_STRING: return str_const(g, v->text);
    case EX_INT: return add_const(g, CONST_INT, v->ival);
    case EX_DURATION: return add_const(g, CONST_DURATION, v->ival);
    case EX_TIME: return add_const(g, CONST_TIME, literal_time(g, v));
    case EX_BOOL: return add_const(g, CONST_BOOL, v->ival);
    case EX_NAME: {
        const EnumMemberSym *m = sym_as(v->sym, SYM_MEMBER);
        return str_const(g, m ? m->value : v->name);
    }
    default: return str_const(g, "");
    }
}

/* The retention entries of rule `rule`, each with its filter function. */
static void gen_retentions(Gen *g, uint32_t rule)
{
    /* copies: generating a filter must not see the buffer move (its conjuncts
     * select no events, so it adds no entries, but do not rely on it) */
    uint32_t n = g->pending_retains.len;
    for (uint32_t i = 0; i < n; i++) {
        RetainPlan copy = ((RetainPlan *)g->pending_retains.items)[i];
        RetainPlan *pr = &copy;
        ZRetain *z = buf_push(&g->retains, sizeof(ZRetain));
        z->rule = rule;
        z->mask = pr->mask;
        z->kind = pr->kind;
        z->offset = pr->offset;
        z->pick = pr->pick;
        z->fields = pr->fields;
        z->filter = ZNONE;
        if (pr->nkeep == 0) continue;
        begin_function(g, pr->keep[0]->loc);
        Var *sc = bind_var(g, NULL, pr->var, 0);
        uint32_t fails[PLAN_MAX_KEEP];
        for (int k = 0; k < pr->nkeep; k++) {
            gen_expr(g, sc, pr->keep[k]);
            fails[k] = emit(g, ZOP_JUMP_IF_FALSE, 0, 0, 0, pr->keep[k]->loc);
        }
        emit(g, ZOP_TRUE, 0, 0, 0, pr->keep[0]->loc);
        emit(g, ZOP_RETURN_VALUE, 0, 0, 0, pr->keep[0]->loc);
        for (int k = 0; k < pr->nkeep; k++) patch(g, fails[k], here(g));
        emit(g, ZOP_FALSE, 0, 0, 0, pr->keep[0]->loc);
        emit(g, ZOP_RETURN_VALUE, 0, 0, 0, pr->keep[0]->loc);
        uint32_t f = end_function(g, ZF_EVENT_FILTER, rule);
        /* re-fetch: the buffer may have moved */
        ((ZRetain *)g->retains.items)[g->retains.len - 1].filter = f;
    }
    g->pending_retains.len = 0;
}

static void gen_rule(Gen *g, RuleSym *r, uint32_t index)
{
    ZRule *z = buf_push(&g->rules, sizeof(ZRule));
    z->name = intern(g, r->name);
    z->disabled = r->disabled;
    z->disabled_reason = r->disabled ? intern(g, r->disabled_reason) : ZNONE;
    z->file = file_index(g, r->decl->name_loc.src);
    z->line = (uint32_t)r->decl->name_loc.line;
    z->col = (uint32_t)r->decl->name_loc.col;
    z->trigger_filter = z->period_table = z->period_filter = z->unless_table = z->unless_filter = ZNONE;
    z->anchor_const = ZNONE;
    z->body = ZNONE;
    z->message = ZNONE;
    z->severity = r->severity == SEV_MUST ? 1 : 2;
    uint32_t ntags = 0, nclauses = 0;
    for (int i = 0; i < r->clauses.len; i++) {
        RuleClause *c = r->clauses.items[i];
        if (c->kind == CL_TAGS) ntags += (uint32_t)c->names.len;
        if (c->kind == CL_CLAUSE) nclauses++;
    }
    uint32_t *tags = arena_alloc(&g->p->arena, sizeof(uint32_t) * (ntags + 1));
    ZClauseRef *clauses = arena_alloc(&g->p->arena, sizeof(ZClauseRef) * (nclauses + 1));
    ntags = nclauses = 0;
    for (int i = 0; i < r->clauses.len; i++) {
        RuleClause *c = r->clauses.items[i];
        if (c->kind == CL_TAGS)
            for (int k = 0; k < c->names.len; k++) tags[ntags++] = intern(g, c->names.names[k]);
        if (c->kind == CL_CLAUSE) {
            clauses[nclauses].id = intern(g, c->text);
            clauses[nclauses].text = intern(g, c->text2);
            nclauses++;
        }
        if (c->kind == CL_MESSAGE) z->message = intern(g, c->text);
    }
    /* re-fetch: buf_push may have moved the rules */
    z = (ZRule *)g->rules.items + index;
    z->ntags = ntags;
    z->tags = tags;
    z->nclauses = nclauses;
    z->clauses = clauses;
    if (r->disabled) return;
    ZRule zr = *z;
    for (int i = 0; i < r->clauses.len; i++) {
        RuleClause *c = r->clauses.items[i];
        if (c->kind == CL_ON) {
            zr.trigger_mask = known_types(g, c->event_mask);
            if (c->expr) {
                begin_function(g, c->loc);
                gen_expr(g, bind_var(g, NULL, c->var, 0), c->expr);
                emit(g, ZOP_RETURN_VALUE, 0, 0, 0, c->expr->loc);
                zr.trigger_filter = end_function(g, ZF_EVENT_FILTER, index);
            }
        } else if (c->kind == CL_EVERY) {
            PeriodSpec *ps = c->period;
            zr.periodic = 1;
            static const uint8_t kinds[] = {ZP_DAY, ZP_WEEK, ZP_MONTH, ZP_YEAR, ZP_WEEKS, ZP_CALENDAR};
            zr.period = kinds[ps->kind];
            if (ps->kind == PER_WEEKS) {
                zr.weeks = (uint32_t)param_int(ps->count);
                if (ps->anchor) {
                    zr.anchor = ZA_TIME;
                    zr.anchor_const = add_const(g, CONST_TIME, literal_time(g, ps->anchor));
                } else if (ps->table) {
                    ParamSym *pa = sym_as(ps->sym, SYM_PARAM);
                    const TableSym *t = sym_as(ps->sym, SYM_TABLE);
                    if (t) {
                        zr.anchor = ZA_CALENDAR;
                        zr.period_table = (uint32_t)t->index;
                        zr.period_filter = gen_row_filter(g, t, ps->filter, index, ps->loc);
                    } else if (pa) {
                        zr.anchor = ZA_TIME;
                        zr.anchor_const = param_value_const(g, pa);
                    }
                }
            } else if (ps->kind == PER_CALENDAR) {
                const TableSym *t = sym_as(ps->sym, SYM_TABLE);
                zr.period_table = (uint32_t)t->index;
                zr.period_filter = gen_row_filter(g, t, ps->filter, index, ps->loc);
            }
        } else if (c->kind == CL_UNLESS) {
            const TableSym *t = sym_as(c->sym, SYM_TABLE);
            zr.unless_table = (uint32_t)t->index;
            zr.unless_filter = gen_row_filter(g, t, c->expr, index, c->loc);
        }
    }
    zr.body = gen_body(g, r, index);
    *((ZRule *)g->rules.items + index) = zr;
    gen_retentions(g, index);
}

static void gen_table(Gen *g, ZTable *z, const TableSym *t)
{
    static const uint8_t kinds[] = {ZT_EVENTS, ZT_ROSTER, ZT_KEYED, ZT_CALENDAR};
    z->kind = kinds[t->kind];
    z->name = intern(g, t->name);
    z->table = intern(g, t->table);
    z->key = t->kind == TABLE_KEYED ? t->key : -1;
    z->nfields = (uint32_t)t->nfields;
    z->fields = arena_alloc(&g->p->arena, sizeof(ZField) * (size_t)(t->nfields + 1));
    for (int i = 0; i < t->nfields; i++) {
        z->fields[i].name = intern(g, t->fields[i]->name);
        z->fields[i].column = intern(g, t->fields[i]->column);
        z->fields[i].type = val_type(g->pol, t->fields[i]->type);
        z->fields[i].optional = t->fields[i]->optional;
    }
}

Program *codegen_policy(const Policy *pol, DiagEngine *diag)
{
    Gen gen;
    memset(&gen, 0, sizeof gen);
    Gen *g = &gen;
    g->pol = pol;
    g->d = diag;
    g->p = program_new();
    if (!g->p) return NULL;
    Program *p = g->p;
    strtab_init(&g->strs); /* string 0 is the empty string */

    ZMeta *m = &p->meta;
    m->name = intern(g, pol->header.name);
    m->title = intern(g, pol->header.title);
    m->document = intern(g, pol->header.document);
    m->effective = pol->header.effective_local - pol->header.tz_offset;
    m->tz_offset = pol->header.tz_offset;
    m->units_column = pol->header.units_column ? intern(g, pol->header.units_column) : ZNONE;
    m->nfiles = (uint32_t)pol->nfiles;
    m->files = arena_alloc(&p->arena, sizeof(uint32_t) * (size_t)(pol->nfiles + 1));
    for (int i = 0; i < pol->nfiles; i++) m->files[i] = intern(g, pol->files[i]->path);

    if (pol->events) gen_table(g, &p->log, pol->events);
    p->nevent_types = (uint32_t)pol->nevent_types;
    p->event_types = arena_alloc(&p->arena, sizeof(ZEventType) * (size_t)(pol->nevent_types + 1));
    for (int i = 0; i < pol->nevent_types; i++) {
        EventTypeSym *ev = pol->event_types[i];
        p->event_types[i].name = intern(g, ev->name);
        p->event_types[i].value = intern(g, ev->value);
        for (int f = 0; pol->events && ev->field_types && f < pol->events->nfields && f < 64; f++)
            if (ev->field_types[f]) p->event_types[i].fields |= (uint64_t)1 << f;
    }
    p->ntables = (uint32_t)pol->ntables;
    p->tables = arena_alloc(&p->arena, sizeof(ZTable) * (size_t)(pol->ntables + 1));
    for (int i = 0; i < pol->ntables; i++) gen_table(g, &p->tables[i], pol->tables[i]);
    p->nparams = (uint32_t)pol->nparams;
    p->params = arena_alloc(&p->arena, sizeof(ZParam) * (size_t)(pol->nparams + 1));
    for (int i = 0; i < pol->nparams; i++) {
        p->params[i].name = intern(g, pol->params[i]->name);
        p->params[i].type = val_type(pol, pol->params[i]->type);
        p->params[i].value = param_value_const(g, pol->params[i]);
    }
    for (int i = 0; i < pol->nrules && !g->failed; i++) gen_rule(g, pol->rules[i], (uint32_t)i);

    p->nstrings = g->strs.n;
    const char **strings = arena_alloc(&p->arena, sizeof(char *) * (g->strs.n + 1u));
    p->string_lens = arena_alloc(&p->arena, sizeof(uint32_t) * (g->strs.n + 1u));
    for (uint32_t i = 0; i < g->strs.n; i++) {
        strings[i] = arena_strndup(&p->arena, g->strs.strs[i], g->strs.lens[i]);
        p->string_lens[i] = g->strs.lens[i];
    }
    p->strings = strings;
    strtab_free(&g->strs);
    p->nconsts = g->consts.len;
    p->consts = buf_to_arena(&p->arena, &g->consts, sizeof(ZConst));
    p->ninsns = g->code.len;
    p->code = buf_to_arena(&p->arena, &g->code, sizeof(Insn));
    p->lines = buf_to_arena(&p->arena, &g->lines, sizeof(ZLine));
    p->nfuncs = g->funcs.len;
    p->funcs = buf_to_arena(&p->arena, &g->funcs, sizeof(ZFunc));
    p->nrules = g->rules.len;
    p->rules = buf_to_arena(&p->arena, &g->rules, sizeof(ZRule));
    p->nretains = g->retains.len;
    p->retains = buf_to_arena(&p->arena, &g->retains, sizeof(ZRetain));
    free(g->pending_retains.items);
    if (g->failed) {
        program_free(p);
        return NULL;
    }
    /* every program is verified, whatever path runs it: what fails here is a
     * code generator bug or a limit sema does not know of */
    char err[512];
    if (verify_program(p, err, sizeof err) != 0) {
        SrcLoc loc = pol->header.loc;
        diag_report(diag, DIAG_E0101, loc, "internal error: generated code does not verify: %s", err);
        program_free(p);
        return NULL;
    }
    return p;
}
