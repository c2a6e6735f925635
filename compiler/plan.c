/* plan.c - plans the scans of selections and their retention (see plan.h):
 * which conjunct of a `where` pins a field or a period, where a time-ordered
 * scan may stop, and which events a streaming run must keep, from when and
 * behind which filter. */
#include "plan.h"

#include <string.h>

#include "limits.h"

static bool mentions(const Expr *e, const char *name)
{
    if (!e) return false;
    if ((e->kind == EX_NAME || e->kind == EX_SELECT) && e->name && !strcmp(e->name, name)) return true;
    if (mentions(e->lhs, name) || mentions(e->rhs, name)) return true;
    for (int i = 0; i < e->args.len; i++)
        if (mentions(e->args.items[i], name)) return true;
    return false;
}


/* Is `e` the time field of `var`? */
static bool is_time_of(const Expr *e, const char *var)
{
    return e->kind == EX_FIELD && e->lhs->kind == EX_NAME && !strcmp(e->lhs->name, var) && !strcmp(e->name, "time");
}

/* Walks the conjuncts of a condition (its `and`s taken apart) in the order
 * written. An `and` nested deeper than the walk's stack is left out: a plan
 * may then miss a narrowing, never change an answer. */
typedef struct Conjuncts {
    Expr *stack[64];
    int n;
} Conjuncts;

static void conj_start(Conjuncts *w, Expr *cond)
{
    w->n = 0;
    if (cond) w->stack[w->n++] = cond;
}

static Expr *conj_next(Conjuncts *w)
{
    while (w->n > 0) {
        Expr *c = w->stack[--w->n];
        if (c->kind != EX_BINARY || c->op != OP_AND) return c;
        if (w->n < 62) { w->stack[w->n++] = c->rhs; w->stack[w->n++] = c->lhs; }
    }
    return NULL;
}

static void add_alt(ScanPlan *sp, Expr *key, int field)
{
    if (sp->nalts < PLAN_MAX_ALTS) {
        sp->alt_key[sp->nalts] = key;
        sp->alt_field[sp->nalts++] = field;
    }
}

/* Whether conjunct c pins a field of the event named `var` to a value not
 * depending on it: `var.f == k` (k not a list: rank 3) or `k in var.f` (a
 * list field: rank 2); sets *key and *field. 0 when it does not. */
static int pin_of(const char *var, Expr *c, Expr **key, int *field)
{
    if (c->kind != EX_BINARY) return 0;
    Expr *a = c->lhs, *b = c->rhs;
    bool a_field = a->kind == EX_FIELD && a->lhs->kind == EX_NAME && !strcmp(a->lhs->name, var);
    bool b_field = b->kind == EX_FIELD && b->lhs->kind == EX_NAME && !strcmp(b->lhs->name, var);
    if (c->op == OP_EQ && (a_field != b_field)) {
        Expr *f = a_field ? a : b, *k = a_field ? b : a;
        if (mentions(k, var) || !k->type || k->type->kind == T_LIST || !f->type || f->type->kind == T_LIST) return 0;
        *key = k;
        *field = f->field;
        return 3;
    }
    if (c->op == OP_IN && b_field && !mentions(a, var) && b->type && b->type->kind == T_LIST) {
        *key = a;
        *field = b->field;
        return 2;
    }
    return 0;
}

/* The field of `var` that a conjunct of a selection's condition pins to a
 * value not depending on var: sets *key and returns the scan to use. */
static Opcode pick_index(const char *var, Expr *cond, ScanPlan *sp)
{
    Expr **key = &sp->key, **period = &sp->period;
    int *field = &sp->field;
    Opcode best = ZOP_SCAN_INIT;
    int best_rank = 0;
    *period = NULL;
    Conjuncts w;
    conj_start(&w, cond);
    for (Expr *c; (c = conj_next(&w));) {
        if (c->kind != EX_BINARY) continue;
        Expr *k;
        int f, rank = pin_of(var, c, &k, &f);
        if (rank > best_rank) {
            if (best_rank) add_alt(sp, *key, *field);
            best_rank = rank; best = ZOP_SCAN_INIT_EQ; *key = k; *field = f;
        } else if (rank) {
            add_alt(sp, k, f);
        } else if (c->op == OP_IN && is_time_of(c->lhs, var) && c->rhs->type && c->rhs->type->kind == T_PERIOD &&
                   !mentions(c->rhs, var)) {
            if (!*period) *period = c->rhs;
        }
    }
    /* a key and a period together: the key's events inside the period */
    if (best == ZOP_SCAN_INIT_EQ && *period) return ZOP_SCAN_INIT_EQ_IN;
    if (best == ZOP_SCAN_INIT && *period) { *key = *period; return ZOP_SCAN_INIT_IN; }
    return best;
}

/* The pins of one disjunct (a conjunction) into the union of sp, as group g;
 * `ev` names the event there. Inside a definition (call non-NULL) a key must
 * be one of its parameters, replaced by the call's argument, which must not
 * read `var`. Returns whether it pins anything. */
static bool any_disjunct(const char *var, const char *ev, const Expr *call, Expr *d, int g, ScanPlan *sp)
{
    const Decl *def = call ? ((const DefSym *)sym_as(call->sym, SYM_DEF))->decl : NULL;
    int pins = 0;
    Conjuncts w;
    conj_start(&w, d);
    for (Expr *c; sp->nany < PLAN_MAX_ANY && (c = conj_next(&w));) {
        Expr *k;
        int f;
        if (!pin_of(ev, c, &k, &f)) continue;
        if (def) {
            Expr *arg = NULL;
            for (int i = 0; k->kind == EX_NAME && i < def->params.len && i < call->args.len; i++)
                if (!strcmp(def->params.items[i]->name, k->name)) arg = call->args.items[i];
            if (!arg || mentions(arg, var)) continue;
            k = arg;
        }
        sp->any_key[sp->nany] = k;
        sp->any_field[sp->nany] = f;
        sp->any_group[sp->nany++] = g;
        pins++;
    }
    return pins > 0;
}

/* A conjunct `var.f in {k1, k2, …}` on a field holding one value is the
 * union of `var.f == k1`, `var.f == k2`, …: each key a disjunct of sp. */
static bool set_union(const char *var, const Expr *c, ScanPlan *sp)
{
    if (c->kind != EX_BINARY || c->op != OP_IN || c->rhs->kind != EX_SET) return false;
    const Expr *f = c->lhs, *set = c->rhs;
    if (f->kind != EX_FIELD || f->lhs->kind != EX_NAME || strcmp(f->lhs->name, var) || !f->type || f->type->kind == T_LIST)
        return false;
    if (set->args.len < 1 || set->args.len > ZL_MAX_DISJUNCTS || set->args.len > PLAN_MAX_ANY) return false;
    for (int i = 0; i < set->args.len; i++) {
        const Expr *k = set->args.items[i];
        if (mentions(k, var) || !k->type || k->type->kind == T_LIST) return false;
    }
    for (int i = 0; i < set->args.len; i++) {
        sp->any_key[i] = set->args.items[i];
        sp->any_field[i] = f->field;
        sp->any_group[i] = i;
    }
    sp->nany = set->args.len;
    return true;
}

/* The first conjunct of cond that is an `or` (or a call of a definition that
 * is one, given var as its event) whose every disjunct pins a field, or a
 * field's membership in a set written out: its pins into sp->any_*, or none. */
static void pick_union(const char *var, Expr *cond, ScanPlan *sp)
{
    Conjuncts w;
    conj_start(&w, cond);
    for (Expr *c; (c = conj_next(&w));) {
        if (set_union(var, c, sp)) return;
        const char *ev = var;
        const Expr *call = NULL;
        const DefSym *de = c->kind == EX_CALL && !c->lhs ? sym_as(c->sym, SYM_DEF) : NULL;
        if (de) {
            /* the definition's parameter that receives the selection's event */
            ev = NULL;
            for (int i = 0; i < c->args.len && i < de->decl->params.len; i++)
                if (c->args.items[i]->kind == EX_NAME && !strcmp(c->args.items[i]->name, var)) ev = de->decl->params.items[i]->name;
            if (!ev) continue;
            call = c;
            c = de->decl->expr;
        }
        if (c->kind != EX_BINARY || c->op != OP_OR) continue;
        Expr *dis[ZL_MAX_DISJUNCTS], *todo[ZL_MAX_DISJUNCTS];
        int nd = 0, nt = 0;
        todo[nt++] = c;
        bool ok = true;
        while (nt > 0 && ok) {
            Expr *d = todo[--nt];
            if (d->kind == EX_BINARY && d->op == OP_OR && nt + 2 <= ZL_MAX_DISJUNCTS) {
                todo[nt++] = d->rhs;
                todo[nt++] = d->lhs;
            } else if (d->kind == EX_BINARY && d->op == OP_OR) {
                ok = false;
            } else if (nd < ZL_MAX_DISJUNCTS) {
                dis[nd++] = d;
            } else {
                ok = false;
            }
        }
        for (int g = 0; ok && g < nd; g++) ok = any_disjunct(var, ev, call, dis[g], g, sp);
        if (ok) return;
        sp->nany = 0;
    }
}

/* A conjunct `var.time <= U` (or `<`, or mirrored; upper) or `var.time >= L`
 * (or `>`, or mirrored; lower): the time after (before) which no event can
 * pass the condition. Scans run in time order: they stop (start) there. */
static Expr *pick_bound(const char *var, Expr *cond, bool upper, Expr **conjunct, bool *strict)
{
    *conjunct = NULL;
    *strict = false;
    Conjuncts w;
    conj_start(&w, cond);
    for (Expr *c; (c = conj_next(&w));) {
        if (c->kind != EX_BINARY) continue;
        Expr *bound = NULL;
        bool le = c->op == OP_LE || c->op == OP_LT, ge = c->op == OP_GE || c->op == OP_GT;
        if ((upper ? le : ge) && is_time_of(c->lhs, var)) bound = c->rhs;
        if ((upper ? ge : le) && is_time_of(c->rhs, var)) bound = c->lhs;
        if (bound && !mentions(bound, var) && bound->type && bound->type->kind == T_TIME) {
            *conjunct = c;
            *strict = c->op == OP_LT || c->op == OP_GT;
            return bound;
        }
    }
    return NULL;
}

/* Does `e` select events, itself or in a definition it calls? */
static bool selects_events(const Expr *e)
{
    if (!e) return false;
    if (e->kind == EX_SELECT) return true;
    const DefSym *de = e->kind == EX_CALL && !e->lhs ? sym_as(e->sym, SYM_DEF) : NULL;
    if (de && selects_events(de->decl->expr)) return true;
    if (selects_events(e->lhs) || selects_events(e->rhs)) return true;
    for (int i = 0; i < e->args.len; i++)
        if (selects_events(e->args.items[i])) return true;
    return false;
}

/* Does `e` read a local variable other than `var`, or select events? */
static bool reads_other_locals(const Expr *e, const PlanContext *ctx, const char *var)
{
    if (!e) return false;
    if (selects_events(e)) return true;
    if (e->kind == EX_NAME && strcmp(e->name, var) && ctx->is_local(ctx->scope, e->name)) return true;
    if (reads_other_locals(e->lhs, ctx, var) || reads_other_locals(e->rhs, ctx, var)) return true;
    for (int i = 0; i < e->args.len; i++)
        if (reads_other_locals(e->args.items[i], ctx, var)) return true;
    return false;
}

/* Adds to *fields the log fields of `var` that `e` reads; false when it uses
 * var otherwise: bare (`x in …`, a definition's argument), in a nested
 * selection, or its time anywhere but the limit conjunct `limit`. */
static bool fields_read(const Expr *e, const char *var, const Expr *limit, uint64_t *fields)
{
    if (!e || e == limit) return true;
    if (e->kind == EX_FIELD && e->lhs->kind == EX_NAME && !strcmp(e->lhs->name, var)) {
        int f = e->field;
        if (!strcmp(e->name, "time") || f < 0 || f >= 64) return false;
        *fields |= (uint64_t)1 << f;
        return true;
    }
    if ((e->kind == EX_NAME && !strcmp(e->name, var)) || selects_events(e)) return false;
    if (!fields_read(e->lhs, var, limit, fields) || !fields_read(e->rhs, var, limit, fields)) return false;
    for (int i = 0; i < e->args.len; i++)
        if (!fields_read(e->args.items[i], var, limit, fields)) return false;
    return true;
}

/* `e.time`, `e.time - D` or `e.time + D` for the trigger `e` and a duration
 * D written as a literal or a parameter: *offset is the seconds added. */
static bool trigger_offset(const PlanContext *ctx, const Expr *bound, int64_t *offset)
{
    *offset = 0;
    if (is_time_of(bound, ctx->ctx_var)) return true;
    if (bound->kind != EX_BINARY || (bound->op != OP_MINUS && bound->op != OP_PLUS) || !is_time_of(bound->lhs, ctx->ctx_var))
        return false;
    const Expr *d = bound->rhs;
    const ParamSym *pa = d->kind == EX_NAME && !ctx->is_local(ctx->scope, d->name) ? sym_as(d->sym, SYM_PARAM) : NULL;
    if (pa && pa->value && pa->value->kind == EX_DURATION) d = pa->value; /* a parameter, unless a local hides it */
    if (d->kind != EX_DURATION) return false;
    int64_t seconds = d->ival;
    *offset = bound->op == OP_MINUS ? -seconds : seconds;
    return true;
}

/* What a streaming run must keep for this scan (docs/runtime.md): the events
 * of its types that pass the conjuncts reading nothing but the scanned event,
 * from the start of the rule's period (`x.time in P`), from the trigger's time
 * (`x.time >= e.time`), or from the beginning. Kept from the beginning, and
 * read only through some fields and an upper time limit, an `exists` or
 * `first` needs only the earliest event of each set of values of those
 * fields, and a `latest` limited by its trigger's time only the latest of
 * those the triggers still to run cannot precede. */
void plan_retention(const PlanContext *ctx, const Expr *select, const ScanPlan *scan, uint64_t mask, RetainPlan *pr)
{
    const char *var = select->name;
    memset(pr, 0, sizeof *pr);
    pr->mask = mask;
    pr->var = var;
    pr->kind = ZR_ALWAYS;
    bool ctx_ok = ctx->ctx_visible;
    const Expr *period = scan->period;
    if (ctx_ok && ctx->ctx_periodic && period && period->kind == EX_NAME && !strcmp(period->name, ctx->ctx_var))
        pr->kind = ZR_PERIOD;
    Conjuncts w;
    conj_start(&w, select->rhs);
    for (Expr *c; (c = conj_next(&w));) {
        if (ctx_ok && !ctx->ctx_periodic && pr->kind == ZR_ALWAYS && c->kind == EX_BINARY) {
            Expr *bound = NULL;
            if ((c->op == OP_GE || c->op == OP_GT) && is_time_of(c->lhs, var)) bound = c->rhs;
            if ((c->op == OP_LE || c->op == OP_LT) && is_time_of(c->rhs, var)) bound = c->lhs;
            if (bound && trigger_offset(ctx, bound, &pr->offset)) pr->kind = ZR_TRIGGER;
        }
        if (pr->nkeep < PLAN_MAX_KEEP && mentions(c, var) && !reads_other_locals(c, ctx, var)) pr->keep[pr->nkeep++] = c;
    }
    pr->pick = ZK_ALL;
    uint64_t fields = 0;
    if (pr->kind != ZR_ALWAYS || !fields_read(select->rhs, var, scan->limit, &fields)) return;
    if (select->select == SEL_EXISTS || select->select == SEL_FIRST) pr->pick = ZK_EARLIEST;
    /* latest: the latest of events alike up to the trigger's time (not before it) */
    if (select->select == SEL_LATEST && ctx_ok && !ctx->ctx_periodic && !scan->strict &&
        (!scan->until || is_time_of(scan->until, ctx->ctx_var)))
        pr->pick = ZK_LATEST;
    if (pr->pick != ZK_ALL) pr->fields = fields;
}

/* Whether e is `var.f` of a log field holding names (or lists of them, `list`). */
static bool name_field(const Expr *e, const char *var, bool list)
{
    if (e->kind != EX_FIELD || e->lhs->kind != EX_NAME || strcmp(e->lhs->name, var) || e->field < 0 || e->field >= 64 ||
        !e->type)
        return false;
    const Type *t = e->type;
    if ((t->kind == T_LIST) != list) return false;
    if (list) t = t->elem;
    return t && (t->kind == T_TEXT || t->kind == T_ID || t->kind == T_PERSON || t->kind == T_ENUM);
}

/* Does e read a variable (a bare name that is no parameter, table or enum
 * member: sema resolves those to a symbol)? */
static bool reads_variable(const Expr *e)
{
    if (!e) return false;
    if (e->kind == EX_NAME && !e->sym) return true;
    if (reads_variable(e->lhs) || reads_variable(e->rhs)) return true;
    for (int i = 0; i < e->args.len; i++)
        if (reads_variable(e->args.items[i])) return true;
    return false;
}

/* A value (or a list of values, `list`) of names for a key: it depends
 * neither on var nor on other events, but on some variable of the rule. A
 * constant key (`m.kind == 讨论会`) would key every event of the types where
 * a retention entry's filter keeps only those it matches: that selection
 * stays a scan. */
static bool key_value(const Expr *k, const char *var, bool list)
{
    if (!k->type || mentions(k, var) || selects_events(k) || !reads_variable(k)) return false;
    if (list) return k->type->kind == T_LIST;
    return k->type->kind == T_TEXT || k->type->kind == T_ID || k->type->kind == T_PERSON || k->type->kind == T_ENUM;
}

/* Conjunct c as a key of p: the field it pins and its value(s). */
static bool earliest_key(const char *var, Expr *c, EarliestPlan *p)
{
    if (c->kind != EX_BINARY) return false;
    Expr *a = c->lhs, *b = c->rhs, *f = NULL, *k = NULL;
    if (c->op == OP_EQ && name_field(a, var, false) && key_value(b, var, false)) f = a, k = b;
    else if (c->op == OP_EQ && name_field(b, var, false) && key_value(a, var, false)) f = b, k = a;
    else if (c->op == OP_IN && name_field(b, var, true) && key_value(a, var, false)) f = b, k = a;
    else if (c->op == OP_IN && name_field(a, var, false) && key_value(b, var, true)) f = a, k = b;
    else if (c->op == OP_NE) {
        /* `var.f & S != {}` (or `S & var.f`, or mirrored): any of S in var.f */
        Expr *inter = b->kind == EX_SET && !b->args.len ? a : a->kind == EX_SET && !a->args.len ? b : NULL;
        if (!inter || inter->kind != EX_BINARY || inter->op != OP_INTER) return false;
        if (name_field(inter->lhs, var, true) && key_value(inter->rhs, var, true)) f = inter->lhs, k = inter->rhs;
        else if (name_field(inter->rhs, var, true) && key_value(inter->lhs, var, true)) f = inter->rhs, k = inter->lhs;
    }
    if (!f || (p->fields >> f->field & 1) || p->nkeys == ZL_EARLIEST_KEYS) return false;
    /* in field order: the keys after it move up */
    int at = p->nkeys++;
    for (; at > 0 && p->field[at - 1] > f->field; at--) {
        p->key[at] = p->key[at - 1];
        p->field[at] = p->field[at - 1];
    }
    p->key[at] = k;
    p->field[at] = f->field;
    p->fields |= (uint64_t)1 << f->field;
    return true;
}

/* Every conjunct of e (its `and`s taken apart, to a depth) a key of p or
 * its one upper time bound. */
static bool earliest_conjuncts(const char *var, Expr *e, EarliestPlan *p, int depth)
{
    if (e->kind == EX_BINARY && e->op == OP_AND)
        return depth < 64 && earliest_conjuncts(var, e->lhs, p, depth + 1) && earliest_conjuncts(var, e->rhs, p, depth + 1);
    if (e->kind == EX_BINARY && !p->until) {
        Expr *bound = NULL;
        if ((e->op == OP_LE || e->op == OP_LT) && is_time_of(e->lhs, var)) bound = e->rhs;
        if ((e->op == OP_GE || e->op == OP_GT) && is_time_of(e->rhs, var)) bound = e->lhs;
        if (bound && !mentions(bound, var) && !selects_events(bound) && bound->type && bound->type->kind == T_TIME) {
            p->until = bound;
            p->strict = e->op == OP_LT || e->op == OP_GT;
            return true;
        }
    }
    return earliest_key(var, e, p);
}

bool plan_earliest(const Expr *select, EarliestPlan *out)
{
    memset(out, 0, sizeof *out);
    if (select->select != SEL_EXISTS || select->rows || !select->rhs) return false;
    return earliest_conjuncts(select->name, select->rhs, out, 0) && out->until && out->nkeys > 0;
}

void plan_scan(const Expr *select, ScanPlan *out)
{
    memset(out, 0, sizeof *out);
    out->field = -1;
    out->init = pick_index(select->name, select->rhs, out);
    pick_union(select->name, select->rhs, out);
    out->until = pick_bound(select->name, select->rhs, true, &out->limit, &out->strict);
    Expr *conjunct;
    bool strict;
    out->since = pick_bound(select->name, select->rhs, false, &conjunct, &strict);
}
