/* cg_expr.c - lowers expressions to stack code: names, fields, calls (a
 * definition is inlined, its arguments in fresh slots), operators with their
 * short circuits, sets, roles, and selections as scans over the events
 * (planned by plan.c; what a streaming run keeps is noted for the rule). */
#include "codegen_int.h"

#include <string.h>

#include "plan.h"
#include "../runtime/ztime.h"

static bool is_local(const void *scope, const char *name) { return cg_find_var(scope, name) != NULL; }

static int roster_index(Gen *g)
{
    for (int i = 0; i < g->pol->ntables; i++)
        if (g->pol->tables[i]->kind == TABLE_ROSTER) return i;
    return 0;
}

void cg_expr(Gen *g, Var *sc, Expr *e);

int64_t cg_literal_time(Gen *g, const Expr *e)
{
    ZtParsed p = {e->tval.local_seconds, e->tval.has_time, e->tval.has_offset, e->tval.offset_seconds};
    return zt_to_instant(&p, g->pol->header.tz_offset);
}

static void gen_enum_member(Gen *g, Expr *e)
{
    const EnumMemberSym *m = sym_as(e->sym, SYM_MEMBER);
    cg_emit(g, ZOP_CONST, 0, 0, cg_str_const(g, m ? m->value : e->name), e->loc);
}

static void gen_name(Gen *g, Var *sc, Expr *e)
{
    Var *v = cg_find_var(sc, e->name);
    if (v) {
        cg_emit(g, ZOP_LOAD, v->slot, 0, 0, e->loc);
        if (v->row_table >= 0) cg_emit(g, ZOP_ROW_FIELD, 0, v->row_table, (uint32_t)v->row_field, e->loc);
        return;
    }
    const ParamSym *pa = sym_as(e->sym, SYM_PARAM);
    if (pa) {
        cg_emit(g, ZOP_PARAM, 0, 0, (uint32_t)pa->index, e->loc);
        return;
    }
    gen_enum_member(g, e);
}

static void gen_field(Gen *g, Var *sc, Expr *e)
{
    const Type *t = e->lhs->type;
    cg_expr(g, sc, e->lhs);
    if (t && t->kind == T_EVENT) {
        cg_emit(g, ZOP_EV_FIELD, 0, 0, (uint32_t)e->field, e->loc);
    } else if (t && t->kind == T_ROW) {
        cg_emit(g, ZOP_ROW_FIELD, 0, t->table->index, (uint32_t)e->field, e->loc);
    } else if (t && t->kind == T_PERIOD) {
        if (!strcmp(e->name, "from")) cg_emit(g, ZOP_PERIOD_FROM, 0, 0, 0, e->loc);
        else if (!strcmp(e->name, "to")) cg_emit(g, ZOP_PERIOD_TO, 0, 0, 0, e->loc);
        else cg_emit(g, ZOP_PERIOD_FIELD, 0, t->table->index, (uint32_t)e->field, e->loc);
    }
}

static void gen_call(Gen *g, Var *sc, Expr *e)
{
    if (e->lhs) { /* roster.field(person, role, time) */
        for (int i = 0; i < 3; i++) cg_expr(g, sc, e->args.items[i]);
        const TableSym *t = e->lhs->type->table;
        cg_emit(g, ZOP_ROSTER_ATTR, 0, t->index, (uint32_t)e->field, e->loc);
        return;
    }
    if (e->builtin != BUILTIN_NONE) { /* resolved by sema */
        static const Opcode ops[] = {[BUILTIN_PRESENT] = ZOP_PRESENT, [BUILTIN_WEEKDAY] = ZOP_WEEKDAY,
                                     [BUILTIN_TIME_OF_DAY] = ZOP_TIME_OF_DAY, [BUILTIN_SIZE] = ZOP_SIZE};
        cg_expr(g, sc, e->args.items[0]);
        cg_emit(g, ops[e->builtin], 0, 0, 0, e->loc);
        return;
    }
    /* a definition: evaluate the arguments into fresh slots, then its body */
    const DefSym *de = sym_as(e->sym, SYM_DEF);
    Var *inner = NULL;
    for (int i = 0; i < e->args.len; i++) {
        cg_expr(g, sc, e->args.items[i]);
        int slot = cg_new_slots(g, 1, e->loc);
        cg_emit(g, ZOP_STORE, slot, 0, 0, e->loc);
        inner = cg_bind_var(g, inner, de->decl->params.items[i]->name, slot);
    }
    cg_expr(g, inner, de->decl->expr);
}

static void gen_and_or(Gen *g, Var *sc, Expr *e)
{
    bool is_and = e->op == OP_AND;
    cg_expr(g, sc, e->lhs);
    uint32_t short_jump = cg_emit(g, is_and ? ZOP_JUMP_IF_FALSE : ZOP_JUMP_IF_TRUE, 0, 0, 0, e->loc);
    cg_expr(g, sc, e->rhs);
    uint32_t end_jump = cg_emit(g, ZOP_JUMP, 0, 0, 0, e->loc);
    cg_patch(g, short_jump, cg_here(g));
    cg_emit(g, is_and ? ZOP_FALSE : ZOP_TRUE, 0, 0, 0, e->loc);
    cg_patch(g, end_jump, cg_here(g));
}

static void gen_binary(Gen *g, Var *sc, Expr *e)
{
    if (e->op == OP_AND || e->op == OP_OR) { gen_and_or(g, sc, e); return; }
    cg_expr(g, sc, e->lhs);
    if (e->rhs->kind == EX_WINDOW) { /* t in 08:00..12:00: its time of day in [from, to) */
        if (e->lhs->type->kind == T_TIME) cg_emit(g, ZOP_TIME_OF_DAY, 0, 0, 0, e->loc);
        cg_expr(g, sc, e->rhs->lhs);
        cg_expr(g, sc, e->rhs->rhs);
        cg_emit(g, ZOP_IN_WINDOW, 0, 0, 0, e->loc);
        if (e->op == OP_NOT_IN) cg_emit(g, ZOP_NOT, 0, 0, 0, e->loc);
        return;
    }
    cg_expr(g, sc, e->rhs);
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
    case OP_WITHIN: op = ZOP_ROW_WITHIN; break;
    case OP_OVERLAPS: op = ZOP_ROW_OVERLAPS; break;
    default: break;
    }
    cg_emit(g, op, 0, 0, 0, e->loc);
    if (e->op == OP_NOT_IN) cg_emit(g, ZOP_NOT, 0, 0, 0, e->loc);
}

/* A mask of event types as sema recorded it, `event` (all bits) cut to the
 * types the policy declares. */
uint64_t cg_known_types(Gen *g, uint64_t mask)
{
    if (g->pol->nevent_types < 64) mask &= ((uint64_t)1 << g->pol->nevent_types) - 1;
    return mask;
}

enum { MAX_TRACED_CONJUNCTS = 32 };

/* The operands of a chain of `and`, in source order. */
static int conjuncts(Expr *e, Expr **out, int n)
{
    if (e->kind == EX_BINARY && e->op == OP_AND && n < MAX_TRACED_CONJUNCTS) return conjuncts(e->rhs, out, conjuncts(e->lhs, out, n));
    if (n < MAX_TRACED_CONJUNCTS) out[n++] = e;
    return n;
}

/* A selection's where for zhidu explain: every condition of the chain is
 * evaluated and traced (they are total and have no effect, so the result is
 * the chain's), then the values are and-ed by jumps, each landing on enough
 * POPs to leave the stack as it found it. Returns the jump to the next event. */
static uint32_t gen_traced_where(Gen *g, Var *sc, Expr *where, uint32_t sel)
{
    Expr *cs[MAX_TRACED_CONJUNCTS];
    int n = conjuncts(where, cs, 0);
    if (n == MAX_TRACED_CONJUNCTS) n = 1, cs[0] = where; /* too long to list: one condition */
    for (int i = 0; i < n; i++) {
        cg_expr(g, sc, cs[i]);
        ZTracePoint tp = {.kind = ZTR_CONJ, .text = cg_span_text(g, cs[i]->loc), .name = ZNONE, .name2 = ZNONE, .owner = sel, .index = (uint32_t)i};
        cg_trace(g, tp, 0, cs[i]->loc);
    }
    uint32_t fails[MAX_TRACED_CONJUNCTS]; /* fails[k]: false with k values left under it */
    for (int k = n - 1; k >= 0; k--) fails[k] = cg_emit(g, ZOP_JUMP_IF_FALSE, 0, 0, 0, where->loc);
    uint32_t pass = cg_emit(g, ZOP_JUMP, 0, 0, 0, where->loc);
    for (int k = n - 1; k >= 1; k--) {
        cg_patch(g, fails[k], cg_here(g));
        cg_emit(g, ZOP_POP, 0, 0, 0, where->loc);
    }
    cg_patch(g, fails[0], cg_here(g));
    uint32_t skip = cg_emit(g, ZOP_JUMP, 0, 0, 0, where->loc);
    cg_patch(g, pass, cg_here(g));
    return skip;
}

/* The fields of a calendar row bound by name (slot: the row). */
Var *cg_row_vars(Gen *g, const TableSym *t, int slot, Var *up)
{
    Var *sc = up;
    for (int i = 0; i < t->nfields; i++) {
        sc = cg_bind_var(g, sc, t->fields[i]->name, slot);
        sc->row_table = t->index;
        sc->row_field = i;
    }
    return sc;
}

/* exists / count over the unit's rows of a calendar (sema allows no other). */
static void gen_row_select(Gen *g, Var *sc, Expr *e)
{
    int result = cg_new_slots(g, 1, e->loc);
    int row = cg_new_slots(g, 2, e->loc);
    Var *inner = cg_bind_var(g, sc, e->name, row);
    if (e->bare_fields) inner = cg_row_vars(g, e->rows, row, inner);
    if (e->select == SEL_EXISTS) cg_emit(g, ZOP_FALSE, 0, 0, 0, e->loc);
    else cg_emit(g, ZOP_CONST, 0, 0, cg_const(g, CONST_INT, 0), e->loc);
    cg_emit(g, ZOP_STORE, result, 0, 0, e->loc);
    cg_emit(g, ZOP_ROWS_INIT, row, e->rows->index, 0, e->loc);
    uint32_t head = cg_emit(g, ZOP_ROWS_NEXT, row, 0, 0, e->loc);
    uint32_t skip = ZNONE, found = ZNONE;
    if (e->rhs) {
        cg_expr(g, inner, e->rhs);
        skip = cg_emit(g, ZOP_JUMP_IF_FALSE, 0, 0, 0, e->loc);
    }
    if (e->select == SEL_EXISTS) {
        cg_emit(g, ZOP_TRUE, 0, 0, 0, e->loc);
        cg_emit(g, ZOP_STORE, result, 0, 0, e->loc);
        found = cg_emit(g, ZOP_JUMP, 0, 0, 0, e->loc);
    } else {
        cg_emit(g, ZOP_LOAD, result, 0, 0, e->loc);
        cg_emit(g, ZOP_CONST, 0, 0, cg_const(g, CONST_INT, 1), e->loc);
        cg_emit(g, ZOP_ADD, 0, 0, 0, e->loc);
        cg_emit(g, ZOP_STORE, result, 0, 0, e->loc);
    }
    if (skip != ZNONE) cg_patch(g, skip, cg_here(g));
    cg_emit(g, ZOP_LOOP, 0, 0, head - g->fstart, e->loc);
    cg_patch(g, head, cg_here(g));
    if (found != ZNONE) cg_patch(g, found, cg_here(g));
    cg_emit(g, ZOP_LOAD, result, 0, 0, e->loc);
}

/* An `exists` that only asks whether its keys happened by a time: one
 * EARLIEST, no scan and nothing kept while streaming (plan_earliest). Not
 * when tracing: zhidu explain shows the events a selection examines. */
static bool gen_earliest(Gen *g, Var *sc, Expr *e)
{
    EarliestPlan ep;
    if (g->trace || !plan_earliest(e, &ep)) return false;
    uint32_t fields = cg_const(g, CONST_MASK, (int64_t)ep.fields);
    if (fields > UINT16_MAX) return false; /* operand b is 16 bits: scan */
    uint32_t types = cg_const(g, CONST_MASK, (int64_t)cg_known_types(g, e->event_mask));
    for (int i = 0; i < ep.nkeys; i++) cg_expr(g, sc, ep.key[i]);
    cg_expr(g, sc, ep.until);
    cg_emit(g, ZOP_EARLIEST, ep.nkeys | (ep.strict ? 0x80 : 0), (int)fields, types, e->loc);
    return true;
}

/* exists / count / latest / first: a scan over the events of the checked range. */
static void gen_select(Gen *g, Var *sc, Expr *e)
{
    if (e->rows) {
        gen_row_select(g, sc, e);
        return;
    }
    if (gen_earliest(g, sc, e)) return;
    int result = cg_new_slots(g, 1, e->loc);
    int ev = cg_new_slots(g, 2, e->loc);
    Var *inner = cg_bind_var(g, sc, e->name, ev);
    switch (e->select) {
    case SEL_EXISTS: cg_emit(g, ZOP_FALSE, 0, 0, 0, e->loc); break;
    case SEL_COUNT: cg_emit(g, ZOP_CONST, 0, 0, cg_const(g, CONST_INT, 0), e->loc); break;
    default: cg_emit(g, ZOP_MISSING, 0, 0, 0, e->loc); break;
    }
    cg_emit(g, ZOP_STORE, result, 0, 0, e->loc);
    ZTracePoint begin = {.kind = ZTR_SEL_BEGIN, .select = (uint8_t)e->select, .name = ZNONE, .name2 = ZNONE, .owner = ZNONE};
    if (g->trace) {
        begin.text = cg_span_text(g, e->loc);
        begin.name = cg_intern(g, e->name);
    }
    uint32_t sel = cg_trace(g, begin, 0, e->loc);
    ScanPlan scan;
    plan_scan(e, &scan);
    Opcode init = scan.init;
    Expr *key = scan.key, *period = scan.period, *until = scan.until;
    int field = scan.field;
    uint64_t mask = cg_known_types(g, e->event_mask);
    uint32_t mask_const = cg_const(g, CONST_MASK, (int64_t)mask);
    /* the rule's context, unless a name hides it (this selection's own, or an
     * enclosing one's) */
    const Var *ctx = g->ctx_var && strcmp(e->name, g->ctx_var) ? cg_find_var(sc, g->ctx_var) : NULL;
    PlanContext where = {g->ctx_var, g->ctx_periodic, ctx && ctx->slot == 0 && ctx->row_table < 0, is_local, sc};
    plan_retention(&where, e, &scan, mask, cg_push(&g->pending_retains, sizeof(RetainPlan)));
    bool unbounded = init == ZOP_SCAN_INIT;
    if (g->trace) {
        /* zhidu explain reads every event of the selected types, near misses
         * too: the where alone decides, as it does after any narrowing */
        init = ZOP_SCAN_INIT;
        until = NULL;
        scan.since = NULL;
        scan.nalts = 0;
        scan.nany = 0;
    }
    /* the narrowings' operands first: they pop theirs after the init, in order */
    for (int i = scan.nany - 1; i >= 0; i--) cg_expr(g, sc, scan.any_key[i]);
    for (int i = scan.nalts - 1; i >= 0; i--) cg_expr(g, sc, scan.alt_key[i]);
    if (scan.since) cg_expr(g, sc, scan.since);
    if (init == ZOP_SCAN_INIT_EQ || init == ZOP_SCAN_INIT_EQ_IN) cg_expr(g, sc, key);
    if (init == ZOP_SCAN_INIT_IN || init == ZOP_SCAN_INIT_EQ_IN) cg_expr(g, sc, init == ZOP_SCAN_INIT_IN ? key : period);
    if (until) cg_expr(g, sc, until);
    else cg_emit(g, ZOP_MISSING, 0, 0, 0, e->loc);
    cg_emit(g, init, ev, init == ZOP_SCAN_INIT_EQ || init == ZOP_SCAN_INIT_EQ_IN ? field : 0, mask_const, e->loc);
    if (scan.since) cg_emit(g, ZOP_SCAN_FROM, ev, 0, 0, e->loc);
    for (int i = 0; i < scan.nalts; i++) cg_emit(g, ZOP_SCAN_ALSO_EQ, ev, (uint32_t)scan.alt_field[i], 0, e->loc);
    for (int i = 0; i < scan.nany; i++) {
        if (i && scan.any_group[i] != scan.any_group[i - 1]) cg_emit(g, ZOP_SCAN_ANY_OR, ev, 0, 0, e->loc);
        cg_emit(g, ZOP_SCAN_ANY_EQ, ev, (uint32_t)scan.any_field[i], 0, e->loc);
    }
    if (scan.nany) cg_emit(g, ZOP_SCAN_ANY_END, ev, 0, 0, e->loc);
    /* latest: read backwards from the limit, so the first match is the answer
     * (the one a forward scan would take last: the latest, ties to the later row) */
    if (e->select == SEL_LATEST) cg_emit(g, ZOP_SCAN_LAST, ev, 0, 0, e->loc);
    uint32_t head = cg_emit(g, ZOP_SCAN_NEXT, ev, 0, 0, e->loc);
    cg_trace(g, (ZTracePoint){.kind = ZTR_SEL_EVENT, .name = ZNONE, .name2 = ZNONE, .owner = sel}, ev, e->loc);
    uint32_t skip = ZNONE, found = ZNONE;
    /* a scan of every event, neither by a field's value nor by a period: its
     * cost multiplies with every such loop around it (docs/errors.md, E0407) */
    if (unbounded && ++g->open_scans == ZL_MAX_OPEN_SCANS + 1)
        diag_report(g->d, DIAG_E0407, e->loc,D_NESTED_SCANS,
                    ZL_MAX_OPEN_SCANS, g->ctx_var && !g->ctx_periodic ? "trigger and the selections" : "selections");
    if (e->rhs && g->trace) skip = gen_traced_where(g, inner, e->rhs, sel);
    else if (e->rhs) {
        cg_expr(g, inner, e->rhs);
        skip = cg_emit(g, ZOP_JUMP_IF_FALSE, 0, 0, 0, e->loc);
    }
    if (unbounded) g->open_scans--;
    switch (e->select) {
    case SEL_EXISTS:
        cg_emit(g, ZOP_TRUE, 0, 0, 0, e->loc);
        cg_emit(g, ZOP_STORE, result, 0, 0, e->loc);
        found = cg_emit(g, ZOP_JUMP, 0, 0, 0, e->loc);
        break;
    case SEL_COUNT:
        cg_emit(g, ZOP_LOAD, result, 0, 0, e->loc);
        cg_emit(g, ZOP_CONST, 0, 0, cg_const(g, CONST_INT, 1), e->loc);
        cg_emit(g, ZOP_ADD, 0, 0, 0, e->loc);
        cg_emit(g, ZOP_STORE, result, 0, 0, e->loc);
        break;
    case SEL_FIRST:
    case SEL_LATEST:
        /* scans run in (time, input order), latest backwards: the first match is the answer */
        cg_emit(g, ZOP_LOAD, ev, 0, 0, e->loc);
        cg_emit(g, ZOP_STORE, result, 0, 0, e->loc);
        found = cg_emit(g, ZOP_JUMP, 0, 0, 0, e->loc);
        break;
    }
    uint32_t loop = cg_here(g);
    if (skip != ZNONE) cg_patch(g, skip, loop);
    cg_emit(g, ZOP_LOOP, 0, 0, head - g->fstart, e->loc);
    cg_patch(g, head, cg_here(g));
    if (found != ZNONE) cg_patch(g, found, cg_here(g));
    cg_emit(g, ZOP_LOAD, result, 0, 0, e->loc);
    cg_trace(g, (ZTracePoint){.kind = ZTR_SEL_END, .name = ZNONE, .name2 = ZNONE, .owner = sel}, 0, e->loc);
}

void cg_expr(Gen *g, Var *sc, Expr *e)
{
    switch (e->kind) {
    case EX_NAME: gen_name(g, sc, e); break;
    case EX_STRING: cg_emit(g, ZOP_CONST, 0, 0, cg_str_const(g, e->text), e->loc); break;
    case EX_INT: cg_emit(g, ZOP_CONST, 0, 0, cg_const(g, CONST_INT, e->ival), e->loc); break;
    case EX_DURATION: cg_emit(g, ZOP_CONST, 0, 0, cg_const(g, CONST_DURATION, e->ival), e->loc); break;
    case EX_TIME: cg_emit(g, ZOP_CONST, 0, 0, cg_const(g, CONST_TIME, cg_literal_time(g, e)), e->loc); break;
    case EX_BOOL: cg_emit(g, e->ival ? ZOP_TRUE : ZOP_FALSE, 0, 0, 0, e->loc); break;
    case EX_FIELD: gen_field(g, sc, e); break;
    case EX_INDEX:
        cg_expr(g, sc, e->rhs);
        cg_emit(g, ZOP_LOOKUP, 0, e->lhs->type->table->index, 0, e->loc);
        break;
    case EX_CALL: gen_call(g, sc, e); break;
    case EX_UNARY:
        cg_expr(g, sc, e->lhs);
        cg_emit(g, e->op == OP_NOT ? ZOP_NOT : ZOP_NEG, 0, 0, 0, e->loc);
        break;
    case EX_BINARY: gen_binary(g, sc, e); break;
    case EX_SET:
        for (int i = 0; i < e->args.len; i++) cg_expr(g, sc, e->args.items[i]);
        cg_emit(g, ZOP_MAKE_LIST, 0, e->args.len, 0, e->loc);
        break;
    case EX_ROLE_AT:
    case EX_ROLE_OVER:
        cg_expr(g, sc, e->lhs);
        cg_expr(g, sc, e->rhs);
        cg_emit(g, e->kind == EX_ROLE_AT ? ZOP_ROLE_AT : ZOP_ROLE_OVER, 0, roster_index(g), 0, e->loc);
        break;
    case EX_SELECT: gen_select(g, sc, e); break;
    case EX_WINDOW: break; /* only after `in` (gen_binary) */
    }
}
