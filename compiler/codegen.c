/* codegen.c - lowers a checked Policy to a Program: bindings, parameters with
 * their effective values, the rule table, and one function per rule body and
 * per filter (row filters, trigger filters, retention filters), then the
 * whole program verified. codegen_int.h names the other files. Output
 * depends only on the policy, so it is deterministic. */
#include "codegen_int.h"

#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "../runtime/limits.h"
#include "../runtime/verify.h"

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

static uint32_t gen_row_filter(Gen *g, const TableSym *t, Expr *filter, uint32_t rule, SrcLoc loc)
{
    if (!filter) return ZNONE;
    cg_begin_function(g, loc);
    cg_expr(g, cg_row_vars(g, t, 0, NULL), filter);
    cg_emit(g, ZOP_RETURN_VALUE, 0, 0, 0, filter->loc);
    return cg_end_function(g, ZF_ROW_FILTER, rule);
}

static void gen_verdict(Gen *g, Var *sc, RuleSym *r, RuleClause **by_kind, Opcode op, SrcLoc loc)
{
    RuleClause *subj = by_kind[CL_SUBJECTS], *ev = by_kind[CL_EVIDENCE], *msg = by_kind[CL_MESSAGE];
    if (subj && subj->list.len) {
        for (int i = 0; i < subj->list.len; i++) {
            Expr *x = subj->list.items[i];
            cg_expr(g, sc, x);
            if (!x->type || x->type->kind != T_LIST) cg_emit(g, ZOP_MAKE_LIST, 0, 1, 0, x->loc);
            if (i > 0) cg_emit(g, ZOP_UNION, 0, 0, 0, x->loc);
        }
    } else {
        cg_emit(g, ZOP_MAKE_LIST, 0, 0, 0, loc);
    }
    int id_field = g->pol->events ? g->pol->events->id_field : -1;
    int nev = ev ? ev->list.len : 0;
    for (int i = 0; i < nev; i++) {
        cg_expr(g, sc, ev->list.items[i]);
        cg_emit(g, ZOP_EV_FIELD, 0, 0, (uint32_t)id_field, ev->list.items[i]->loc);
    }
    cg_emit(g, ZOP_MAKE_LIST, 0, nev, 0, loc);
    int nparts = 0;
    if (msg) {
        for (int i = 0; i < msg->list.len; i++) {
            Expr *part = msg->list.items[i];
            cg_expr(g, sc, part);
            if (part->kind != EX_STRING) cg_emit(g, ZOP_TO_TEXT, format_of(part->type), 0, 0, part->loc);
            nparts++;
        }
    } else {
        cg_emit(g, ZOP_CONST, 0, 0, cg_str_const(g, r->name), loc);
        nparts = 1;
    }
    cg_trace(g, (ZTracePoint){.kind = ZTR_VERDICT, .name = ZNONE, .name2 = ZNONE, .owner = ZNONE, .index = op == ZOP_PENDING}, 0, loc);
    cg_emit(g, op, 0, nparts, 0, loc);
}

/* A jump to the next iteration of the loop at `depth` (0: out of the body). */
typedef struct Continue {
    int depth;
    uint32_t jump;
} Continue;

static void add_continue(Buf *continues, int nloops, uint32_t jump)
{
    Continue *c = cg_push(continues, sizeof(Continue));
    c->depth = nloops;
    c->jump = jump;
}

/* Points the continues of loop depth `depth` at `target` and drops them. */
static void patch_continues(Gen *g, Buf *continues, int depth, uint32_t target)
{
    Continue *cs = continues->items;
    uint32_t kept = 0;
    for (uint32_t k = 0; k < continues->len; k++) {
        if (cs[k].depth == depth) cg_patch(g, cs[k].jump, target);
        else cs[kept++] = cs[k];
    }
    continues->len = kept;
}

static uint32_t gen_body(Gen *g, RuleSym *r, uint32_t rule)
{
    RuleClause *by_kind[CL_KIND_COUNT] = {0};
    for (int i = 0; i < r->clauses.len; i++)
        if (!by_kind[r->clauses.items[i]->kind]) by_kind[r->clauses.items[i]->kind] = r->clauses.items[i];
    cg_begin_function(g, r->decl->name_loc);
    g->rule = rule;
    if (g->trace) { /* the context's name: `on e: …`, `every … as P` */
        const char *ctx = by_kind[CL_ON] ? by_kind[CL_ON]->var : by_kind[CL_EVERY] ? by_kind[CL_EVERY]->period->var : NULL;
        ZTracePoint body = {.kind = ZTR_BODY, .name = ctx ? cg_intern(g, ctx) : ZNONE, .name2 = ZNONE, .owner = ZNONE};
        cg_trace(g, body, 0, r->decl->name_loc);
    }
    Var *sc = NULL;
    if (by_kind[CL_ON]) sc = cg_bind_var(g, sc, by_kind[CL_ON]->var, 0);
    if (by_kind[CL_EVERY]) sc = cg_bind_var(g, sc, by_kind[CL_EVERY]->period->var ? by_kind[CL_EVERY]->period->var : SEMA_PERIOD_VAR, 0);
    g->ctx_var = by_kind[CL_ON] ? by_kind[CL_ON]->var : by_kind[CL_EVERY] ? by_kind[CL_EVERY]->period->var : NULL;
    g->ctx_periodic = by_kind[CL_EVERY] != NULL;
    g->open_scans = by_kind[CL_ON] ? 1 : 0; /* the rule runs once per event of its trigger */
    uint32_t heads[ZL_MAX_LOOPS]; /* the *_NEXT instruction of each open loop */
    Buf continues = {0};
    int nloops = 0;
    /* `unless` / `only` tests of the period or trigger come first, whatever their place */
    for (int i = 0; i < r->clauses.len; i++) {
        RuleClause *c = r->clauses.items[i];
        if ((c->kind != CL_UNLESS && c->kind != CL_ONLY) || !c->cond) continue;
        cg_expr(g, sc, c->cond);
        uint32_t ok = cg_emit(g, ZOP_JUMP_IF_TRUE, 0, 0, 0, c->loc);
        cg_emit(g, ZOP_LEAVE_OUT, 0, 0, 0, c->loc);
        cg_emit(g, ZOP_RETURN, 0, 0, 0, c->loc);
        cg_patch(g, ok, cg_here(g));
    }
    for (int i = 0; i < r->clauses.len; i++) {
        RuleClause *c = r->clauses.items[i];
        switch (c->kind) {
        case CL_FOR:
            for (int k = 0; k < c->nbindings; k++) {
                Binding *b = c->bindings[k];
                if (nloops == ZL_MAX_LOOPS) { /* sema refuses it first */
                    diag_report(g->d, DIAG_E0405, b->loc, D_TOO_MANY_LOOPS, ZL_MAX_LOOPS);
                    g->failed = true;
                    free(continues.items);
                    return ZNONE;
                }
                cg_expr(g, sc, b->coll);
                bool pair = b->var2 != NULL;
                int slot = cg_new_slots(g, pair ? 3 : 2, b->loc);
                ZTracePoint range = {.kind = ZTR_RANGE, .name = ZNONE, .name2 = ZNONE, .owner = ZNONE, .index = (uint32_t)nloops};
                if (g->trace) {
                    range.text = cg_span_text(g, b->coll->loc);
                    range.name = cg_intern(g, b->var);
                    range.name2 = pair ? cg_intern(g, b->var2) : ZNONE;
                }
                uint32_t rp = cg_trace(g, range, 0, b->loc);
                cg_emit(g, pair ? ZOP_PAIR_INIT : ZOP_ITER_INIT, slot, 0, 0, b->loc);
                heads[nloops] = cg_emit(g, pair ? ZOP_PAIR_NEXT : ZOP_ITER_NEXT, slot, 0, 0, b->loc);
                cg_trace(g, (ZTracePoint){.kind = ZTR_BIND, .name = ZNONE, .name2 = ZNONE, .owner = rp, .index = (uint32_t)nloops}, slot, b->loc);
                nloops++;
                sc = cg_bind_var(g, sc, b->var, slot);
                if (pair) sc = cg_bind_var(g, sc, b->var2, slot + 1);
                if (b->filter) {
                    cg_expr(g, sc, b->filter);
                    add_continue(&continues, nloops, cg_emit(g, ZOP_JUMP_IF_FALSE, 0, 0, 0, b->filter->loc));
                }
            }
            break;
        case CL_LET: {
            cg_expr(g, sc, c->expr);
            int slot = cg_new_slots(g, 1, c->loc);
            cg_emit(g, ZOP_STORE, slot, 0, 0, c->loc);
            sc = cg_bind_var(g, sc, c->var, slot);
            break;
        }
        case CL_WHEN:
            cg_expr(g, sc, c->expr);
            if (c->else_pending) {
                uint32_t ok = cg_emit(g, ZOP_JUMP_IF_TRUE, 0, 0, 0, c->loc);
                gen_verdict(g, sc, r, by_kind, ZOP_PENDING, c->loc);
                add_continue(&continues, nloops, cg_emit(g, ZOP_JUMP, 0, 0, 0, c->loc));
                cg_patch(g, ok, cg_here(g));
            } else {
                add_continue(&continues, nloops, cg_emit(g, ZOP_JUMP_IF_FALSE, 0, 0, 0, c->loc));
            }
            break;
        default:
            break;
        }
    }
    RuleClause *req = by_kind[CL_REQUIRE];
    cg_expr(g, sc, req->expr);
    cg_trace(g, (ZTracePoint){.kind = ZTR_REQUIRE, .text = g->trace ? cg_span_text(g, req->expr->loc) : 0, .name = ZNONE, .name2 = ZNONE, .owner = ZNONE}, 0, req->loc);
    add_continue(&continues, nloops, cg_emit(g, ZOP_JUMP_IF_TRUE, 0, 0, 0, req->loc));
    if (by_kind[CL_DEADLINE]) {
        cg_expr(g, sc, by_kind[CL_DEADLINE]->expr);
        cg_emit(g, ZOP_PAST_END, 0, 0, 0, by_kind[CL_DEADLINE]->loc);
        uint32_t pend = cg_emit(g, ZOP_JUMP_IF_TRUE, 0, 0, 0, req->loc);
        gen_verdict(g, sc, r, by_kind, ZOP_VIOLATE, req->loc);
        add_continue(&continues, nloops, cg_emit(g, ZOP_JUMP, 0, 0, 0, req->loc));
        cg_patch(g, pend, cg_here(g));
        gen_verdict(g, sc, r, by_kind, ZOP_PENDING, by_kind[CL_DEADLINE]->loc);
    } else {
        gen_verdict(g, sc, r, by_kind, ZOP_VIOLATE, req->loc);
    }
    /* close the loops, innermost first: `continue` lands on the LOOP */
    while (nloops > 0) {
        uint32_t head = heads[--nloops];
        uint32_t loop = cg_here(g);
        patch_continues(g, &continues, nloops + 1, loop);
        cg_emit(g, ZOP_LOOP, 0, 0, head - g->fstart, req->loc);
        cg_patch(g, head, cg_here(g));
    }
    uint32_t ret = cg_here(g);
    patch_continues(g, &continues, 0, ret);
    free(continues.items);
    cg_emit(g, ZOP_RETURN, 0, 0, 0, r->decl->loc);
    g->ctx_var = NULL;
    g->open_scans = 0;
    return cg_end_function(g, ZF_BODY, rule);
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
    case EX_STRING: return cg_str_const(g, v->text);
    case EX_INT: return cg_const(g, CONST_INT, v->ival);
    case EX_DURATION: return cg_const(g, CONST_DURATION, v->ival);
    case EX_TIME: return cg_const(g, CONST_TIME, cg_literal_time(g, v));
    case EX_BOOL: return cg_const(g, CONST_BOOL, v->ival);
    case EX_NAME: {
        const EnumMemberSym *m = sym_as(v->sym, SYM_MEMBER);
        return cg_str_const(g, m ? m->value : v->name);
    }
    default: return cg_str_const(g, "");
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
        ZRetain *z = cg_push(&g->retains, sizeof(ZRetain));
        z->rule = rule;
        z->mask = pr->mask;
        z->kind = pr->kind;
        z->offset = pr->offset;
        z->pick = pr->pick;
        z->fields = pr->fields;
        z->filter = ZNONE;
        if (pr->nkeep == 0) continue;
        cg_begin_function(g, pr->keep[0]->loc);
        Var *sc = cg_bind_var(g, NULL, pr->var, 0);
        uint32_t fails[PLAN_MAX_KEEP];
        for (int k = 0; k < pr->nkeep; k++) {
            cg_expr(g, sc, pr->keep[k]);
            fails[k] = cg_emit(g, ZOP_JUMP_IF_FALSE, 0, 0, 0, pr->keep[k]->loc);
        }
        cg_emit(g, ZOP_TRUE, 0, 0, 0, pr->keep[0]->loc);
        cg_emit(g, ZOP_RETURN_VALUE, 0, 0, 0, pr->keep[0]->loc);
        for (int k = 0; k < pr->nkeep; k++) cg_patch(g, fails[k], cg_here(g));
        cg_emit(g, ZOP_FALSE, 0, 0, 0, pr->keep[0]->loc);
        cg_emit(g, ZOP_RETURN_VALUE, 0, 0, 0, pr->keep[0]->loc);
        uint32_t f = cg_end_function(g, ZF_EVENT_FILTER, rule);
        /* re-fetch: the buffer may have moved */
        ((ZRetain *)g->retains.items)[g->retains.len - 1].filter = f;
    }
    g->pending_retains.len = 0;
}

static void gen_rule(Gen *g, RuleSym *r, uint32_t index)
{
    ZRule *z = cg_push(&g->rules, sizeof(ZRule));
    z->name = cg_intern(g, r->name);
    z->disabled = r->disabled;
    z->disabled_reason = r->disabled ? cg_intern(g, r->disabled_reason) : ZNONE;
    z->file = cg_file_index(g, r->decl->name_loc.src);
    z->line = (uint32_t)r->decl->name_loc.line;
    z->col = (uint32_t)r->decl->name_loc.col;
    z->trigger_filter = z->period_table = z->period_filter = z->unless_table = z->unless_filter = ZNONE;
    z->anchor_const = ZNONE;
    z->body = ZNONE;
    z->message = ZNONE;
    z->severity = r->severity == SEV_MUST ? ZS_MUST : ZS_IN_PRINCIPLE;
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
            for (int k = 0; k < c->names.len; k++) tags[ntags++] = cg_intern(g, c->names.names[k]);
        if (c->kind == CL_CLAUSE) {
            clauses[nclauses].id = cg_intern(g, c->text);
            clauses[nclauses].text = cg_intern(g, c->clause_text);
            nclauses++;
        }
        if (c->kind == CL_MESSAGE) z->message = cg_intern(g, c->text);
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
            zr.trigger_mask = cg_known_types(g, c->event_mask);
            if (c->expr) {
                cg_begin_function(g, c->loc);
                cg_expr(g, cg_bind_var(g, NULL, c->var, 0), c->expr);
                cg_emit(g, ZOP_RETURN_VALUE, 0, 0, 0, c->expr->loc);
                zr.trigger_filter = cg_end_function(g, ZF_EVENT_FILTER, index);
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
                    zr.anchor_const = cg_const(g, CONST_TIME, cg_literal_time(g, ps->anchor));
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
        } else if (c->kind == CL_UNLESS && !c->cond) {
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
    z->name = cg_intern(g, t->name);
    z->table = cg_intern(g, t->table);
    z->key = t->kind == TABLE_KEYED ? t->key : -1;
    z->nfields = (uint32_t)t->nfields;
    z->fields = arena_alloc(&g->p->arena, sizeof(ZField) * (size_t)(t->nfields + 1));
    for (int i = 0; i < t->nfields; i++) {
        z->fields[i].name = cg_intern(g, t->fields[i]->name);
        z->fields[i].column = cg_intern(g, t->fields[i]->column);
        z->fields[i].type = val_type(g->pol, t->fields[i]->type);
        z->fields[i].optional = t->fields[i]->optional;
    }
}

static Program *generate(const Policy *pol, DiagEngine *diag, bool trace)
{
    Gen gen;
    memset(&gen, 0, sizeof gen);
    Gen *g = &gen;
    g->trace = trace;
    g->pol = pol;
    g->d = diag;
    g->p = program_new();
    if (!g->p) diag_out_of_memory();
    Program *p = g->p;
    p->arena.on_fail = diag_out_of_memory;
    strtab_init(&g->strs); /* string 0 is the empty string */

    ZMeta *m = &p->meta;
    m->name = cg_intern(g, pol->header.name);
    m->title = cg_intern(g, pol->header.title);
    m->document = cg_intern(g, pol->header.document);
    m->effective = pol->header.effective_local - pol->header.tz_offset;
    m->tz_offset = pol->header.tz_offset;
    m->units_column = pol->header.units_column ? cg_intern(g, pol->header.units_column) : ZNONE;
    m->nfiles = (uint32_t)pol->nfiles;
    m->files = arena_alloc(&p->arena, sizeof(uint32_t) * (size_t)(pol->nfiles + 1));
    for (int i = 0; i < pol->nfiles; i++) m->files[i] = cg_intern(g, pol->files[i]->path);

    if (pol->events) gen_table(g, &p->log, pol->events);
    p->nevent_types = (uint32_t)pol->nevent_types;
    p->event_types = arena_alloc(&p->arena, sizeof(ZEventType) * (size_t)(pol->nevent_types + 1));
    for (int i = 0; i < pol->nevent_types; i++) {
        EventTypeSym *ev = pol->event_types[i];
        p->event_types[i].name = cg_intern(g, ev->name);
        p->event_types[i].value = cg_intern(g, ev->value);
        for (int f = 0; pol->events && ev->field_types && f < pol->events->nfields && f < 64; f++)
            if (ev->field_types[f]) p->event_types[i].fields |= (uint64_t)1 << f;
    }
    p->ntables = (uint32_t)pol->ntables;
    p->tables = arena_alloc(&p->arena, sizeof(ZTable) * (size_t)(pol->ntables + 1));
    for (int i = 0; i < pol->ntables; i++) gen_table(g, &p->tables[i], pol->tables[i]);
    p->nparams = (uint32_t)pol->nparams;
    p->params = arena_alloc(&p->arena, sizeof(ZParam) * (size_t)(pol->nparams + 1));
    for (int i = 0; i < pol->nparams; i++) {
        p->params[i].name = cg_intern(g, pol->params[i]->name);
        p->params[i].type = val_type(pol, pol->params[i]->type);
        p->params[i].value = param_value_const(g, pol->params[i]);
    }
    for (int i = 0; i < pol->nrules && !g->failed; i++) gen_rule(g, pol->rules[i], (uint32_t)i);

    if (g->strs.failed) diag_out_of_memory();
    p->nstrings = g->strs.n;
    const char **strings = arena_alloc(&p->arena, sizeof(char *) * (g->strs.n + 1u));
    p->string_lens = arena_alloc(&p->arena, sizeof(uint32_t) * (g->strs.n + 1u));
    for (uint32_t i = 0; i < g->strs.n; i++) {
        strings[i] = arena_strndup(&p->arena, strtab_str(&g->strs, i), strtab_len(&g->strs, i));
        p->string_lens[i] = strtab_len(&g->strs, i);
    }
    p->strings = strings;
    strtab_free(&g->strs);
    p->nconsts = g->consts.len;
    p->consts = cg_to_arena(&p->arena, &g->consts, sizeof(ZConst));
    p->ninsns = g->code.len;
    p->code = cg_to_arena(&p->arena, &g->code, sizeof(Insn));
    p->lines = cg_to_arena(&p->arena, &g->lines, sizeof(ZLine));
    p->nfuncs = g->funcs.len;
    p->funcs = cg_to_arena(&p->arena, &g->funcs, sizeof(ZFunc));
    p->nrules = g->rules.len;
    p->rules = cg_to_arena(&p->arena, &g->rules, sizeof(ZRule));
    p->nretains = g->retains.len;
    p->retains = cg_to_arena(&p->arena, &g->retains, sizeof(ZRetain));
    p->ntrace = g->tpoints.len;
    p->trace = cg_to_arena(&p->arena, &g->tpoints, sizeof(ZTracePoint));
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
        diag_report(diag, DIAG_E0101, loc, D_CODE_DOES_NOT_VERIFY, err);
        program_free(p);
        return NULL;
    }
    return p;
}

Program *codegen_policy(const Policy *pol, DiagEngine *diag) { return generate(pol, diag, false); }
Program *codegen_policy_traced(const Policy *pol, DiagEngine *diag) { return generate(pol, diag, true); }
