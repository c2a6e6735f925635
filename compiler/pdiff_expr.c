/* pdiff_expr.c - compares two rules of two checked policies clause by
 * clause (pdiff.h), and decides from where each difference sits whether the
 * rule became stricter or looser. A difference between two numbers (a
 * literal, or a parameter's value) has a polarity: inside `require` a
 * larger right side of `<=` makes the requirement easier (looser), inside
 * `when` or an `on … where` it makes more instances judged (stricter), a
 * later deadline is looser, a longer period is looser. Any other difference
 * is "not comparable". Reads the policies only. */
#include "pdiff_int.h"

#include <stdlib.h>
#include <string.h>

enum { MAX_DEPTH = 200 };

const char *pdiff_text(Arena *a, SrcLoc loc)
{
    if (!loc.src || loc.end < loc.off || loc.end > loc.src->len) return "";
    return arena_strndup(a, loc.src->text + loc.off, loc.end - loc.off);
}

/* The first difference found is the one named. */
static void note(PdCmp *c, unsigned flag, const char *old_text, const char *new_text)
{
    c->flags |= flag;
    c->ndiff++;
    if (!c->why && !c->quiet) c->why = arena_printf(c->a, "%s: %s → %s", c->where, old_text, new_text);
}

/* An expression as written; a parameter with its value in that policy. */
static const char *expr_text(Arena *a, const Expr *e)
{
    if (!e) return "(none)";
    const ParamSym *p = e->kind == EX_NAME ? sym_as(e->sym, SYM_PARAM) : NULL;
    if (p && p->value) return arena_printf(a, "%s (%s)", p->name, pdiff_text(a, p->value->loc));
    return pdiff_text(a, e->loc);
}

static void note_exprs(PdCmp *c, unsigned flag, const Expr *a, const Expr *b)
{
    if (c->why || c->quiet) { /* the texts would not be used */
        c->flags |= flag;
        c->ndiff++;
        return;
    }
    note(c, flag, expr_text(c->a, a), expr_text(c->a, b));
}

/* A parameter's name stands for its value (as set in that policy). */
static const Expr *resolve(const Expr *e)
{
    for (int i = 0; e && i < 16 && e->kind == EX_NAME; i++) {
        const ParamSym *p = sym_as(e->sym, SYM_PARAM);
        if (!p || !p->value) break;
        e = p->value;
    }
    return e;
}

/* The value of a number, duration or time, literal or through parameters. */
static bool numeric(const Expr *e, int64_t *v)
{
    e = resolve(e);
    if (!e) return false;
    if (e->kind == EX_INT || e->kind == EX_DURATION) { *v = e->ival; return true; }
    if (e->kind == EX_TIME) { *v = e->tval.local_seconds - (e->tval.has_offset ? e->tval.offset_seconds : 0); return true; }
    if (e->kind == EX_UNARY && e->op == OP_NEG && numeric(e->lhs, v)) { *v = -*v; return true; }
    return false;
}

static bool same_list(PdCmp *c, const ExprList *a, const ExprList *b, int pol, SrcLoc la, SrcLoc lb)
{
    if (a->len != b->len) {
        note(c, PD_F_UNKNOWN, pdiff_text(c->a, la), pdiff_text(c->a, lb));
        return false;
    }
    bool ok = true;
    for (int i = 0; i < a->len; i++) ok &= pdiff_same_expr(c, a->items[i], b->items[i], pol);
    return ok;
}

static bool same_names(const NameList *a, const NameList *b)
{
    if (a->len != b->len) return false;
    for (int i = 0; i < a->len; i++) {
        int k = 0;
        while (k < b->len && strcmp(a->names[i], b->names[k]) != 0) k++;
        if (k == b->len) return false;
    }
    return true;
}

/* What a plain name refers to, comparable across the two policies: a role,
 * body or enumeration value by its enumeration and declared name (a rename
 * does not change it), anything else by its name as written. */
static bool same_name(const Expr *a, const Expr *b)
{
    const EnumMemberSym *ma = sym_as(a->sym, SYM_MEMBER), *mb = sym_as(b->sym, SYM_MEMBER);
    if (ma || mb) return ma && mb && !strcmp(ma->name, mb->name) && !strcmp(ma->owner->name, mb->owner->name);
    return !strcmp(a->name, b->name);
}

static int binary_polarity(ExprOp op, int pol, bool left)
{
    switch (op) {
    case OP_AND: case OP_OR: case OP_PLUS: return pol;
    case OP_MINUS: return left ? pol : -pol;
    case OP_LT: case OP_LE: return left ? -pol : pol;
    case OP_GT: case OP_GE: return left ? pol : -pol;
    default: return 0;
    }
}

static bool same_kids(PdCmp *c, const Expr *a, const Expr *b, int pol)
{
    switch (a->kind) {
    case EX_NAME: return same_name(a, b);
    case EX_STRING: return !strcmp(a->text, b->text);
    case EX_INT: case EX_DURATION: case EX_BOOL: return a->ival == b->ival;
    case EX_TIME: return a->tval.local_seconds == b->tval.local_seconds && a->tval.has_time == b->tval.has_time;
    case EX_FIELD: return (!strcmp(a->name, b->name)) & pdiff_same_expr(c, a->lhs, b->lhs, 0);
    case EX_INDEX: case EX_WINDOW:
        return pdiff_same_expr(c, a->lhs, b->lhs, 0) & pdiff_same_expr(c, a->rhs, b->rhs, 0);
    case EX_CALL: {
        if (strcmp(a->name, b->name) != 0) return false;
        bool ok = same_list(c, &a->args, &b->args, 0, a->loc, b->loc);
        const DefSym *da = sym_as(a->sym, SYM_DEF), *db = sym_as(b->sym, SYM_DEF);
        if (da && db && c->depth < MAX_DEPTH) ok &= pdiff_same_expr(c, da->decl->expr, db->decl->expr, 0);
        return ok;
    }
    case EX_UNARY: return pdiff_same_expr(c, a->lhs, b->lhs, a->op == OP_NOT || a->op == OP_NEG ? -pol : 0);
    case EX_BINARY:
        return pdiff_same_expr(c, a->lhs, b->lhs, binary_polarity(a->op, pol, true)) &
               pdiff_same_expr(c, a->rhs, b->rhs, binary_polarity(a->op, pol, false));
    case EX_SET: return same_list(c, &a->args, &b->args, 0, a->loc, b->loc);
    case EX_ROLE_AT: case EX_ROLE_OVER:
        return pdiff_same_expr(c, a->lhs, b->lhs, 0) & pdiff_same_expr(c, a->rhs, b->rhs, 0);
    case EX_SELECT:
        if (a->select != b->select || strcmp(a->name, b->name) != 0 || !same_names(&a->types, &b->types)) return false;
        /* exists and count grow with their filter; latest and first do not */
        return pdiff_same_expr(c, a->rhs, b->rhs, a->select == SEL_EXISTS || a->select == SEL_COUNT ? pol : 0);
    }
    return false;
}

/* b is `a or X` (+1: true more often), `a and X` (-1), or a is one of those of b (the reverse); else 0.
 * Asked only where a and b differ at the top, so the quiet comparisons stay linear. */
static int or_and(const PdCmp *c, const Expr *a, const Expr *b)
{
    for (int side = 1; side >= -1; side -= 2) {
        const Expr *x = side > 0 ? a : b, *y = side > 0 ? b : a; /* y is x with a condition added */
        if (y->kind != EX_BINARY || (y->op != OP_OR && y->op != OP_AND) || c->depth >= MAX_DEPTH) continue;
        PdCmp q1 = {.a = c->a, .depth = c->depth + 1, .quiet = true}, q2 = q1;
        if (pdiff_same_expr(&q1, x, y->lhs, 0) || pdiff_same_expr(&q2, x, y->rhs, 0)) return (y->op == OP_OR ? 1 : -1) * side;
    }
    return 0;
}

bool pdiff_same_expr(PdCmp *c, const Expr *a, const Expr *b, int pol)
{
    if (!a || !b) {
        if (a == b) return true;
        note_exprs(c, PD_F_UNKNOWN, a, b);
        return false;
    }
    int64_t va, vb;
    if (numeric(a, &va) && numeric(b, &vb)) {
        if (va == vb) return true;
        int d = (vb > va ? 1 : -1) * pol;
        note_exprs(c, d > 0 ? PD_F_STRICTER : d < 0 ? PD_F_LOOSER : PD_F_UNKNOWN, a, b);
        return false;
    }
    const Expr *ra = resolve(a), *rb = resolve(b);
    if (ra->kind != rb->kind || ra->op != rb->op || c->depth >= MAX_DEPTH) {
        int widened = c->depth < MAX_DEPTH ? or_and(c, ra, rb) : 0;
        note_exprs(c, widened * pol > 0 ? PD_F_STRICTER : widened * pol < 0 ? PD_F_LOOSER : PD_F_UNKNOWN, a, b);
        return false;
    }
    c->depth++;
    int before = c->ndiff;
    bool ok = same_kids(c, ra, rb, pol);
    c->depth--;
    /* a difference found here, not in a part already noted */
    if (!ok && c->ndiff == before) note_exprs(c, PD_F_UNKNOWN, a, b);
    return ok;
}

/* ---- periods ------------------------------------------------------------------ */

/* A period's length in days, for ordering (a month is 30, a year 365); -1 for a calendar's rows. */
static int64_t period_days(const PeriodSpec *p)
{
    int64_t n;
    switch (p->kind) {
    case PER_DAY: return 1;
    case PER_WEEK: return 7;
    case PER_MONTH: return 30;
    case PER_YEAR: return 365;
    case PER_WEEKS: return numeric(p->count, &n) && n > 0 ? 7 * n : -1;
    case PER_CALENDAR: return -1;
    }
    return -1;
}

static const char *period_name(Arena *a, const PeriodSpec *p)
{
    static const char *names[] = {"day", "week", "month", "year"};
    int64_t n;
    if (p->kind <= PER_YEAR) return names[p->kind];
    if (p->kind == PER_WEEKS && numeric(p->count, &n)) return arena_printf(a, "%lld weeks", (long long)n);
    return arena_printf(a, "rows of %s", p->table ? p->table : "?");
}

static void compare_period(PdCmp *c, const PeriodSpec *a, const PeriodSpec *b)
{
    int64_t la = period_days(a), lb = period_days(b);
    bool anchors = pdiff_same_expr(&(PdCmp){.a = c->a, .quiet = true}, a->anchor, b->anchor, 0) &&
                   pdiff_same_expr(&(PdCmp){.a = c->a, .quiet = true}, a->filter, b->filter, 0) &&
                   !strcmp(a->table ? a->table : "", b->table ? b->table : "");
    if (a->kind == b->kind && la == lb && anchors && !strcmp(a->var ? a->var : "", b->var ? b->var : "")) return;
    if (la > 0 && lb > 0 && la != lb)
        note(c, lb > la ? PD_F_LOOSER : PD_F_STRICTER, period_name(c->a, a), period_name(c->a, b));
    else
        note(c, PD_F_UNKNOWN, period_name(c->a, a), period_name(c->a, b));
}

/* ---- clauses ------------------------------------------------------------------ */

/* An optional filter, present on one side only: on, for (where), when, unless. */
static void one_sided(PdCmp *c, const Expr *a, const Expr *b, int pol)
{
    if (!a && b) note_exprs(c, pol > 0 ? PD_F_LOOSER : PD_F_STRICTER, a, b);
    else if (a && !b) note_exprs(c, pol > 0 ? PD_F_STRICTER : PD_F_LOOSER, a, b);
    else pdiff_same_expr(c, a, b, pol);
}

static void compare_on(PdCmp *c, const RuleClause *a, const RuleClause *b)
{
    if (strcmp(a->var ? a->var : "", b->var ? b->var : "") != 0) note(c, PD_F_UNKNOWN, a->var, b->var);
    bool sub = true, super = true; /* a's types within b's, b's within a's */
    for (int i = 0; i < a->names.len; i++) {
        int k = 0;
        while (k < b->names.len && strcmp(a->names.names[i], b->names.names[k]) != 0) k++;
        sub &= k < b->names.len;
    }
    for (int i = 0; i < b->names.len; i++) {
        int k = 0;
        while (k < a->names.len && strcmp(b->names.names[i], a->names.names[k]) != 0) k++;
        super &= k < a->names.len;
    }
    if (!sub || !super) {
        SrcLoc la = a->loc, lb = b->loc;
        note(c, sub ? PD_F_STRICTER : super ? PD_F_LOOSER : PD_F_UNKNOWN, pdiff_text(c->a, la), pdiff_text(c->a, lb));
    }
    one_sided(c, a->expr, b->expr, 1); /* the where: more events trigger it */
}

static void compare_for(PdCmp *c, const RuleClause *a, const RuleClause *b)
{
    if (a->nbindings != b->nbindings) {
        note(c, PD_F_UNKNOWN, pdiff_text(c->a, a->loc), pdiff_text(c->a, b->loc));
        return;
    }
    for (int i = 0; i < a->nbindings; i++) {
        const Binding *x = a->bindings[i], *y = b->bindings[i];
        if (strcmp(x->var, y->var) != 0 || strcmp(x->var2 ? x->var2 : "", y->var2 ? y->var2 : "") != 0)
            note(c, PD_F_UNKNOWN, pdiff_text(c->a, x->loc), pdiff_text(c->a, y->loc));
        pdiff_same_expr(c, x->coll, y->coll, 0);
        one_sided(c, x->filter, y->filter, 1); /* more subjects judged */
    }
}

void pdiff_compare_clause(PdCmp *c, const RuleClause *a, const RuleClause *b)
{
    c->where = clause_kind_name(a->kind);
    switch (a->kind) {
    case CL_EVERY: compare_period(c, a->period, b->period); break;
    case CL_UNLESS:
    case CL_ONLY:
        if (strcmp(a->table ? a->table : "", b->table ? b->table : "") != 0 || a->cal_op != b->cal_op)
            note(c, PD_F_UNKNOWN, pdiff_text(c->a, a->loc), pdiff_text(c->a, b->loc));
        else if (a->kind == CL_UNLESS) one_sided(c, a->expr, b->expr, -1); /* a larger exemption is looser */
        else one_sided(c, a->expr, b->expr, 1); /* a narrower `only` judges less: looser */
        break;
    case CL_ON: compare_on(c, a, b); break;
    case CL_FOR: compare_for(c, a, b); break;
    case CL_LET:
        if (strcmp(a->var, b->var) != 0) note(c, PD_F_UNKNOWN, a->var, b->var);
        pdiff_same_expr(c, a->expr, b->expr, 0);
        break;
    case CL_WHEN:
        if (a->else_pending != b->else_pending) note(c, PD_F_UNKNOWN, pdiff_text(c->a, a->loc), pdiff_text(c->a, b->loc));
        pdiff_same_expr(c, a->expr, b->expr, 1);
        break;
    case CL_REQUIRE: pdiff_same_expr(c, a->expr, b->expr, -1); break;
    case CL_DEADLINE: pdiff_same_expr(c, a->expr, b->expr, -1); break;
    case CL_SUBJECTS: same_list(c, &a->list, &b->list, 0, a->loc, b->loc); break;
    default: break;
    }
}
