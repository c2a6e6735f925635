/* sema_expr.c - semantic analysis of expressions: variables and global
 * names, types of operators, fields, calls and selections, the range of
 * literals the compiled format can hold, and definitions (checked once, with
 * their size when inlined). Records on each node its type and symbol. */
#include "sema_int.h"

#include "../runtime/ztime.h"

Type *sema_check_expr(Sema *s, Scope *sc, Expr *e, Type *hint);
Type *sema_check_def(Sema *s, DefSym *de);

Scope *sema_bind(Sema *s, Scope *up, const char *name, Type *t, SrcLoc loc, bool warn_unused)
{
    for (Scope *o = up; o; o = o->up)
        if (!strcmp(o->name, name)) {
            Diag *g = diag_report(s->d, DIAG_W0002, loc, "'%s' shadows an outer variable", name);
            diag_note(s->d, g, o->loc, "the outer one is here");
            break;
        }
    Scope *sc = arena_alloc(s->a, sizeof *sc);
    sc->name = name;
    sc->type = t;
    sc->loc = loc;
    sc->warn_unused = warn_unused;
    sc->up = up;
    return sc;
}

void sema_warn_unused(Sema *s, Scope *from, Scope *to)
{
    for (Scope *v = from; v && v != to; v = v->up)
        if (v->warn_unused && !v->used && v->loc.src == s->leaf)
            diag_report(s->d, DIAG_W0001, v->loc, "variable '%s' is never used", v->name);
}

/* The fields of a row of t, by their bare names, above up. */
Scope *sema_row_scope(Sema *s, const TableSym *t, Scope *up)
{
    Scope *sc = up;
    for (int i = 0; i < t->nfields; i++) {
        Scope *v = arena_alloc(s->a, sizeof *v);
        v->name = t->fields[i]->name;
        v->type = t->fields[i]->type ? t->fields[i]->type : s->t_error;
        v->loc = t->fields[i]->loc;
        v->up = sc;
        sc = v;
    }
    return sc;
}

Scope *sema_lookup_var(Scope *sc, const char *name)
{
    for (; sc; sc = sc->up)
        if (!strcmp(sc->name, name)) return sc;
    return NULL;
}

void sema_expect(Sema *s, Type *t, TypeKind k, SrcLoc loc, const char *what)
{
    if (is_error(t) || t->kind == k) return;
    diag_report(s->d, DIAG_E0202, loc, "%s must be %s, not %s", what,
                k == T_BOOL ? "a condition (bool)" : k == T_TIME ? "a time" : k == T_INT ? "an integer" :
                k == T_DURATION ? "a duration" : k == T_PERIOD ? "a period" : "of another type",
                type_name(s->a, t));
}

/* Resolves a bare name that is not a variable: parameter, table or enum member
 * (the variables in scope sc are offered when it is none of them). */
static Type *resolve_global(Sema *s, const Scope *sc, Expr *e, Type *hint)
{
    ParamSym *pa = sema_find(s, SYM_PARAM, e->name);
    if (pa) {
        pa->used = true;
        e->sym = &pa->sym;
        return pa->type ? pa->type : s->t_error;
    }
    TableSym *t = sema_find(s, SYM_TABLE, e->name);
    if (t) {
        t->used = true;
        e->sym = &t->sym;
        return sema_table_type(s, T_TABLE, t);
    }
    /* enum members: prefer the enum the context expects */
    EnumMemberSym *found = NULL;
    int nfound = 0;
    if (hint && !is_error(hint)) {
        const Type *h = hint->kind == T_LIST && hint->elem ? hint->elem : hint;
        if (h->kind == T_ENUM) {
            EnumMemberSym *m = sema_find_member(h->en, e->name);
            if (m) { e->sym = &m->sym; return sema_enum_type(s, h->en); }
        }
    }
    for (int i = 0; i < s->p->nenums; i++) {
        EnumMemberSym *m = sema_find_member(s->p->enums[i], e->name);
        if (m) { if (!found) found = m; nfound++; }
    }
    if (nfound > 1) {
        Diag *g = diag_report(s->d, DIAG_E0200, e->loc, "'%s' is ambiguous: it is a value of several enumerations", e->name);
        for (int i = 0; i < s->p->nenums; i++) {
            EnumMemberSym *m = sema_find_member(s->p->enums[i], e->name);
            if (m) diag_note(s->d, g, m->loc, "a value of %s", s->p->enums[i]->name);
        }
        return s->t_error;
    }
    if (found) {
        e->sym = &found->sym;
        return sema_enum_type(s, found->owner);
    }
    if (sema_find(s, SYM_DEF, e->name)) {
        diag_report(s->d, DIAG_E0217, e->loc, "'%s' is a definition: call it with arguments", e->name);
        return s->t_error;
    }
    if (sema_find(s, SYM_EVENT_TYPE, e->name)) {
        diag_report(s->d, DIAG_E0217, e->loc, "'%s' is an event type: select events with exists(x: %s where ...)", e->name, e->name);
        return s->t_error;
    }
    Diag *g = s->row_table ? diag_report(s->d, DIAG_E0221, e->loc, "unknown name '%s': calendar %s has no such field, "
                                          "and it is no variable, parameter or value", e->name, s->row_table->name)
                           : diag_report(s->d, DIAG_E0200, e->loc, "unknown name '%s'", e->name);
    Suggest sg;
    suggest_init(&sg, e->name);
    sema_offer_scope(&sg, sc);
    sema_offer_globals(s, &sg, SYM_TABLE);
    sema_offer_globals(s, &sg, SYM_PARAM);
    for (int i = 0; i < s->p->nenums; i++) sema_offer_members(&sg, s->p->enums[i]);
    sema_did_you_mean(s, g, &sg);
    return s->t_error;
}

/* A string literal used where an enum is expected must be one of its values. */
static void check_literal_member(Sema *s, Expr *lit, const Type *t)
{
    if (!lit || lit->kind != EX_STRING || is_error(t)) return;
    const Type *et = t->kind == T_LIST && t->elem ? t->elem : t;
    if (et->kind != T_ENUM) return;
    for (int i = 0; i < et->en->nmembers; i++)
        if (!strcmp(et->en->members[i]->value, lit->text)) return;
    diag_report(s->d, DIAG_E0214, lit->loc, "\"%s\" is not a value of %s", lit->text, type_name(s->a, et));
}

/* Can a value of type a be compared with one of type b? String literals adapt. */
bool sema_comparable(Sema *s, Expr *ea, Type *a, Expr *eb, Type *b)
{
    if (is_error(a) || is_error(b)) return true;
    if (ea->kind == EX_STRING && (b->kind == T_PERSON || b->kind == T_ENUM || is_stringish(b))) {
        check_literal_member(s, ea, b);
        return true;
    }
    if (eb->kind == EX_STRING && (a->kind == T_PERSON || a->kind == T_ENUM || is_stringish(a))) {
        check_literal_member(s, eb, a);
        return true;
    }
    if (a->kind == T_EVENT && b->kind == T_EVENT) return true;
    return sema_same_type(a, b);
}

static Type *field_of(Sema *s, Expr *e, Type *obj)
{
    if (is_error(obj)) return s->t_error;
    if (obj->kind == T_EVENT) {
        TableSym *log = s->p->events;
        int i = e->field = sema_field_index(log, e->name);
        if (i < 0) {
            Diag *g = diag_report(s->d, DIAG_E0203, e->name_loc, "events have no field '%s'", e->name);
            Suggest sg;
            suggest_init(&sg, e->name);
            sema_offer_fields(&sg, log);
            sema_did_you_mean(s, g, &sg);
            return s->t_error;
        }
        Type *common = NULL;
        bool mixed = false;
        for (int k = 0; k < s->p->nevent_types; k++) {
            if (!(obj->event_mask & ((uint64_t)1 << k))) continue;
            EventTypeSym *ev = s->p->event_types[k];
            if (!ev->field_types) continue;
            Type *ft = ev->field_types[i];
            if (!ft) {
                if (obj->event_mask == ~(uint64_t)0) continue; /* any event: the log's type */
                diag_report(s->d, DIAG_E0211, e->name_loc, "event type '%s' does not carry field '%s'", ev->name, e->name);
                return s->t_error;
            }
            if (!common) common = ft;
            else if (!(sema_same_type(common, ft) && common->kind == ft->kind)) mixed = true;
        }
        if (!common || mixed || obj->event_mask == ~(uint64_t)0) return log->fields[i]->type;
        return common;
    }
    if (obj->kind == T_ROW || (obj->kind == T_PERIOD && obj->table)) {
        if (obj->kind == T_PERIOD && (!strcmp(e->name, "from") || !strcmp(e->name, "to"))) return s->t_time;
        int i = e->field = sema_field_index(obj->table, e->name);
        if (i < 0) {
            Diag *g = obj->table->kind == TABLE_CALENDAR
                          ? diag_report(s->d, DIAG_E0221, e->name_loc, "calendar %s has no field '%s'", obj->table->name, e->name)
                          : diag_report(s->d, DIAG_E0203, e->name_loc, "table %s has no field '%s'", obj->table->name, e->name);
            Suggest sg;
            suggest_init(&sg, e->name);
            sema_offer_fields(&sg, obj->table);
            sema_did_you_mean(s, g, &sg);
            return s->t_error;
        }
        return obj->table->fields[i]->type ? obj->table->fields[i]->type : s->t_error;
    }
    if (obj->kind == T_PERIOD) {
        if (!strcmp(e->name, "from") || !strcmp(e->name, "to")) return s->t_time;
        Diag *g = diag_report(s->d, DIAG_E0203, e->name_loc, "a period has fields 'from' and 'to', not '%s'", e->name);
        Suggest sg;
        suggest_init(&sg, e->name);
        suggest_offer(&sg, "from");
        suggest_offer(&sg, "to");
        sema_did_you_mean(s, g, &sg);
        return s->t_error;
    }
    diag_report(s->d, DIAG_E0203, e->name_loc, "a value of type %s has no fields", type_name(s->a, obj));
    return s->t_error;
}

static Type *check_call(Sema *s, Scope *sc, Expr *e)
{
    ExprList *args = &e->args;
    if (e->lhs) { /* method: roster.field(person, role, time) */
        Type *obj = sema_check_expr(s, sc, e->lhs, NULL);
        for (int i = 0; i < args->len; i++) sema_check_expr(s, sc, args->items[i], NULL);
        if (is_error(obj)) return s->t_error;
        if (obj->kind != T_TABLE || obj->table->kind != TABLE_ROSTER) {
            diag_report(s->d, DIAG_E0206, e->name_loc, "'%s(...)' can only be asked of a roster", e->name);
            return s->t_error;
        }
        int fi = e->field = sema_field_index(obj->table, e->name);
        if (fi < 0) {
            Diag *g = diag_report(s->d, DIAG_E0203, e->name_loc, "roster %s has no field '%s'", obj->table->name, e->name);
            Suggest sg;
            suggest_init(&sg, e->name);
            sema_offer_fields(&sg, obj->table);
            sema_did_you_mean(s, g, &sg);
            return s->t_error;
        }
        if (args->len != 3) {
            diag_report(s->d, DIAG_E0205, e->loc, "%s.%s(person, role, time) takes 3 arguments, not %d", obj->table->name,
                        e->name, args->len);
            return s->t_error;
        }
        Type *ft = obj->table->fields[fi]->type;
        Type *t0 = args->items[0]->type, *t1 = args->items[1]->type, *t2 = args->items[2]->type;
        if (!is_error(t0) && t0->kind != T_PERSON)
            diag_report(s->d, DIAG_E0202, args->items[0]->loc, "first argument must be a person, not %s", type_name(s->a, t0));
        if (!is_error(t1) && !(t1->kind == T_ENUM && t1->en == s->p->roles))
            diag_report(s->d, DIAG_E0204, args->items[1]->loc, "second argument must be a role, not %s", type_name(s->a, t1));
        sema_expect(s, t2, T_TIME, args->items[2]->loc, "third argument");
        if (is_error(ft)) return s->t_error;
        return ft->kind == T_LIST ? ft : sema_list_of(s, ft);
    }
    const char *n = e->name;
    static const char *const builtins[] = {[BUILTIN_PRESENT] = "present", [BUILTIN_WEEKDAY] = "weekday",
                                           [BUILTIN_TIME_OF_DAY] = "time_of_day", [BUILTIN_SIZE] = "size"};
    for (int b = BUILTIN_PRESENT; b <= BUILTIN_SIZE; b++)
        if (!strcmp(n, builtins[b])) e->builtin = (Builtin)b;
    if (e->builtin != BUILTIN_NONE) {
        if (args->len != 1) {
            diag_report(s->d, DIAG_E0205, e->loc, "%s() takes 1 argument, not %d", n, args->len);
            for (int i = 0; i < args->len; i++) sema_check_expr(s, sc, args->items[i], NULL);
            return s->t_error;
        }
        Type *t = sema_check_expr(s, sc, args->items[0], NULL);
        if (e->builtin == BUILTIN_PRESENT) return s->t_bool;
        if (e->builtin == BUILTIN_WEEKDAY) {
            sema_expect(s, t, T_TIME, args->items[0]->loc, "the argument of weekday()");
            return sema_enum_type(s, s->p->weekdays);
        }
        if (e->builtin == BUILTIN_TIME_OF_DAY) {
            sema_expect(s, t, T_TIME, args->items[0]->loc, "the argument of time_of_day()");
            return s->t_duration;
        }
        if (!is_error(t) && t->kind != T_LIST)
            diag_report(s->d, DIAG_E0216, args->items[0]->loc, "size() counts a list, not %s", type_name(s->a, t));
        return s->t_int;
    }
    DefSym *de = sema_find(s, SYM_DEF, n);
    if (!de) {
        for (int i = 0; i < args->len; i++) sema_check_expr(s, sc, args->items[i], NULL);
        Diag *g = diag_report(s->d, DIAG_E0206, e->name_loc, "unknown function '%s' (built in: present, weekday, time_of_day, size)", n);
        Suggest sg;
        suggest_init(&sg, n);
        suggest_offer(&sg, "present");
        suggest_offer(&sg, "weekday");
        suggest_offer(&sg, "time_of_day");
        suggest_offer(&sg, "size");
        sema_offer_globals(s, &sg, SYM_DEF);
        sema_did_you_mean(s, g, &sg);
        return s->t_error;
    }
    de->used = true;
    e->sym = &de->sym;
    Type *result = sema_check_def(s, de);
    ParamList *ps = &de->decl->params;
    if (args->len != ps->len) {
        for (int i = 0; i < args->len; i++) sema_check_expr(s, sc, args->items[i], NULL);
        Diag *g = diag_report(s->d, DIAG_E0205, e->loc, "'%s' takes %d argument%s, not %d", n, ps->len, ps->len == 1 ? "" : "s",
                              args->len);
        diag_note(s->d, g, de->decl->name_loc, "defined here");
        return result ? result : s->t_error;
    }
    for (int i = 0; i < args->len; i++) {
        Type *pt = de->param_types ? de->param_types[i] : NULL;
        Type *at = sema_check_expr(s, sc, args->items[i], pt);
        if (pt && !sema_comparable(s, args->items[i], at, args->items[i], pt)) {
            Diag *g = diag_report(s->d, DIAG_E0202, args->items[i]->loc, "argument %d of '%s' must be %s, not %s", i + 1, n,
                                  type_name(s->a, pt), type_name(s->a, at));
            diag_note(s->d, g, ps->items[i]->loc, "parameter declared here");
        }
    }
    return result ? result : s->t_error;
}

uint64_t sema_check_event_types(Sema *s, NameList *types)
{
    uint64_t mask = 0;
    for (int i = 0; i < types->len; i++) {
        if (!strcmp(types->names[i], "event")) { mask = ~(uint64_t)0; continue; }
        EventTypeSym *ev = sema_find(s, SYM_EVENT_TYPE, types->names[i]);
        if (!ev) {
            Diag *g = diag_report(s->d, DIAG_E0200, types->locs[i], "unknown event type '%s'", types->names[i]);
            Suggest sg;
            suggest_init(&sg, types->names[i]);
            sema_offer_globals(s, &sg, SYM_EVENT_TYPE);
            suggest_offer(&sg, "event");
            sema_did_you_mean(s, g, &sg);
            return 0;
        }
        mask |= (uint64_t)1 << ev->index;
    }
    return mask;
}

void sema_check_condition(Sema *s, Scope *sc, Expr *e, const char *what)
{
    Type *t = sema_check_expr(s, sc, e, s->t_bool);
    sema_expect(s, t, T_BOOL, e->loc, what);
    if (e->kind == EX_BOOL && !e->poisoned && !s->d->overflowed)
        diag_report(s->d, DIAG_W0003, e->loc, "%s is always %s", what, e->ival ? "true" : "false");
}

static void check_window(Sema *s, Expr *w);

static Type *check_binary(Sema *s, Scope *sc, Expr *e)
{
    ExprOp op = e->op;
    if (op == OP_AND || op == OP_OR) {
        sema_check_condition(s, sc, e->lhs, "operand of 'and'/'or'");
        sema_check_condition(s, sc, e->rhs, "operand of 'and'/'or'");
        return s->t_bool;
    }
    Type *a = sema_check_expr(s, sc, e->lhs, NULL);
    if ((op == OP_IN || op == OP_NOT_IN) && e->rhs->kind == EX_WINDOW) {
        check_window(s, e->rhs);
        if (!is_error(a) && a->kind != T_TIME && a->kind != T_DURATION)
            diag_report(s->d, DIAG_E0202, e->lhs->loc, "only a time (or a time of day) can be in a window of the day, not %s",
                        type_name(s->a, a));
        return s->t_bool;
    }
    Type *hint = a;
    if (op == OP_IN || op == OP_NOT_IN) hint = is_error(a) || a->kind == T_LIST || a->kind == T_TIME ? NULL : sema_list_of(s, a);
    Type *b = sema_check_expr(s, sc, e->rhs, hint);
    if (is_error(a) || is_error(b))
        return (op >= OP_EQ && op <= OP_NOT_IN) || op == OP_WITHIN || op == OP_OVERLAPS ? s->t_bool : s->t_error;
    const char *an = type_name(s->a, a), *bn = type_name(s->a, b);
    switch (op) {
    case OP_EQ:
    case OP_NE:
        if (a->kind == T_BOOL || !sema_comparable(s, e->lhs, a, e->rhs, b))
            diag_report(s->d, DIAG_E0202, e->loc, "cannot compare %s with %s", an, bn);
        return s->t_bool;
    case OP_LT: case OP_LE: case OP_GT: case OP_GE:
        if (!(a->kind == b->kind && (a->kind == T_TIME || a->kind == T_DURATION || a->kind == T_INT)))
            diag_report(s->d, DIAG_E0202, e->loc, "cannot order %s and %s (times, durations and integers can be ordered)", an, bn);
        return s->t_bool;
    case OP_WITHIN:
    case OP_OVERLAPS:
        if (b->kind != T_ROW || b->table->kind != TABLE_CALENDAR)
            diag_report(s->d, DIAG_E0202, e->rhs->loc, "'%s' tests against a calendar row, not %s",
                        op == OP_WITHIN ? "within" : "overlaps", bn);
        else if (a->kind != T_PERIOD && a->kind != T_TIME)
            diag_report(s->d, DIAG_E0202, e->lhs->loc, "only a period or a time can lie in a calendar row, not %s", an);
        return s->t_bool;
    case OP_IN:
    case OP_NOT_IN:
        if (b->kind == T_PERIOD) {
            if (a->kind != T_TIME) diag_report(s->d, DIAG_E0202, e->lhs->loc, "only a time can be in a period, not %s", an);
            return s->t_bool;
        }
        if (b->kind != T_LIST) {
            diag_report(s->d, DIAG_E0216, e->rhs->loc, "'in' needs a list or a period on the right, not %s", bn);
            return s->t_bool;
        }
        if (b->elem && !sema_comparable(s, e->lhs, a, e->lhs, b->elem))
            diag_report(s->d, DIAG_E0202, e->loc, "cannot look for %s in a %s", an, bn);
        return s->t_bool;
    case OP_UNION:
    case OP_INTER:
        if (a->kind != T_LIST || b->kind != T_LIST) {
            diag_report(s->d, DIAG_E0216, a->kind != T_LIST ? e->lhs->loc : e->rhs->loc,
                        "'%s' combines lists; write {x} for a single value", op == OP_UNION ? "|" : "&");
            return s->t_error;
        }
        if (!sema_same_type(a, b)) {
            diag_report(s->d, DIAG_E0202, e->loc, "cannot combine %s with %s", an, bn);
            return s->t_error;
        }
        return a->elem ? a : b;
    case OP_MINUS:
        if (a->kind == T_LIST && b->kind == T_LIST) {
            if (!sema_same_type(a, b)) diag_report(s->d, DIAG_E0202, e->loc, "cannot remove %s from %s", bn, an);
            return a->elem ? a : b;
        }
        if (a->kind == T_TIME && b->kind == T_TIME) return s->t_duration;
        if (a->kind == T_TIME && b->kind == T_DURATION) return s->t_time;
        if (a->kind == b->kind && (a->kind == T_DURATION || a->kind == T_INT)) return a;
        diag_report(s->d, DIAG_E0202, e->loc, "cannot subtract %s from %s", bn, an);
        return s->t_error;
    case OP_PLUS:
        if (a->kind == T_TIME && b->kind == T_DURATION) return s->t_time;
        if (a->kind == T_DURATION && b->kind == T_TIME) return s->t_time;
        if (a->kind == b->kind && (a->kind == T_DURATION || a->kind == T_INT)) return a;
        diag_report(s->d, DIAG_E0202, e->loc, "cannot add %s and %s", an, bn);
        return s->t_error;
    default:
        return s->t_error;
    }
}

/* A window of the day lhs..rhs: from its start (included) to its end
 * (excluded), so the start must come before the end. */
static void check_window(Sema *s, Expr *w)
{
    w->type = w->lhs->type = w->rhs->type = s->t_duration;
    if (w->lhs->ival >= 0 && w->rhs->ival >= 0 && w->lhs->ival >= w->rhs->ival)
        diag_report(s->d, DIAG_E0220, w->loc, "the window of the day %s: write the earlier time first, from 00:00 to 24:00",
                    w->lhs->ival == w->rhs->ival ? "is empty (it starts where it ends)" : "ends before it starts");
}

/* A time the compiled format can hold: an instant of the years 1 to 9999. */
static void check_time_range(Sema *s, const Expr *e)
{
    ZtParsed p = {e->tval.local_seconds, e->tval.has_time, e->tval.has_offset, e->tval.offset_seconds};
    zt_instant t = zt_to_instant(&p, s->p->header.tz_offset);
    if (t < ZT_MIN_TIME || t > ZT_MAX_TIME)
        diag_report(s->d, DIAG_E0400, e->loc, "this time falls %s the years 1 to 9999 (UTC)", t < ZT_MIN_TIME ? "before" : "after");
}

/* exists / count over a calendar's rows: `x` is a row; a selection built
 * for an `unless`/`only` clause also names the row's fields bare. */
static Type *check_row_select(Sema *s, Scope *sc, Expr *e)
{
    TableSym *t = e->rows;
    t->used = true;
    bool picks = e->select != SEL_EXISTS && e->select != SEL_COUNT;
    if (picks)
        diag_report(s->d, DIAG_E0217, e->loc, "'%s' picks an event; over the rows of calendar %s write exists or count",
                    e->select == SEL_LATEST ? "latest" : "first", t->name);
    Scope *inner = sema_bind(s, sc, e->name, sema_table_type(s, T_ROW, t), e->name_loc, false);
    const TableSym *outer = s->row_table;
    if (e->bare_fields) {
        inner = sema_row_scope(s, t, inner);
        s->row_table = t;
    }
    if (e->rhs) sema_check_condition(s, inner, e->rhs, "the 'where' condition");
    s->row_table = outer;
    return picks ? s->t_error : e->select == SEL_COUNT ? s->t_int : s->t_bool;
}

static Type *check_expr_inner(Sema *s, Scope *sc, Expr *e, Type *hint)
{
    switch (e->kind) {
    case EX_NAME: {
        Scope *v = sema_lookup_var(sc, e->name);
        if (v) { v->used = true; return v->type; }
        return resolve_global(s, sc, e, hint);
    }
    case EX_STRING: return s->t_text;
    case EX_INT: return s->t_int;
    case EX_DURATION:
        if (e->ival < -ZT_MAX_SPAN || e->ival > ZT_MAX_SPAN)
            diag_report(s->d, DIAG_E0401, e->loc, "duration longer than the %lld days from year 1 to year 9999",
                        (long long)(ZT_MAX_SPAN / 86400));
        return s->t_duration;
    case EX_TIME: check_time_range(s, e); return s->t_time;
    case EX_BOOL: return e->poisoned ? s->t_error : s->t_bool;
    case EX_FIELD: return field_of(s, e, sema_check_expr(s, sc, e->lhs, NULL));
    case EX_INDEX: {
        Type *t = sema_check_expr(s, sc, e->lhs, NULL);
        if (is_error(t)) { sema_check_expr(s, sc, e->rhs, NULL); return s->t_error; }
        if (t->kind != T_TABLE || t->table->kind != TABLE_KEYED) {
            sema_check_expr(s, sc, e->rhs, NULL);
            diag_report(s->d, DIAG_E0217, e->lhs->loc, "only a keyed table can be indexed with [...], not %s", type_name(s->a, t));
            return s->t_error;
        }
        Type *kt = t->table->key >= 0 ? t->table->fields[t->table->key]->type : NULL;
        Type *it = sema_check_expr(s, sc, e->rhs, kt);
        if (kt && !sema_comparable(s, e->rhs, it, e->rhs, kt))
            diag_report(s->d, DIAG_E0202, e->rhs->loc, "table %s is keyed by %s, not %s", t->table->name, type_name(s->a, kt),
                        type_name(s->a, it));
        return sema_table_type(s, T_ROW, t->table);
    }
    case EX_CALL: return check_call(s, sc, e);
    case EX_UNARY: {
        if (e->op == OP_NOT) { sema_check_condition(s, sc, e->lhs, "operand of 'not'"); return s->t_bool; }
        Type *t = sema_check_expr(s, sc, e->lhs, NULL);
        if (!is_error(t) && t->kind != T_INT && t->kind != T_DURATION) {
            diag_report(s->d, DIAG_E0202, e->loc, "cannot negate %s", type_name(s->a, t));
            return s->t_error;
        }
        return t;
    }
    case EX_BINARY: return check_binary(s, sc, e);
    case EX_SET: {
        if (e->args.len > ZL_MAX_COUNT)
            diag_report(s->d, DIAG_E0404, e->loc, "a set literal holds at most %d elements, not %d", ZL_MAX_COUNT, e->args.len);
        Type *elem = hint && hint->kind == T_LIST ? hint->elem : NULL;
        Type *first = NULL;
        for (int i = 0; i < e->args.len; i++) {
            Expr *x = e->args.items[i];
            Type *t = sema_check_expr(s, sc, x, first ? first : elem);
            if (is_error(t)) continue;
            if (x->kind == EX_STRING && elem && !is_error(elem) && (elem->kind == T_ENUM || elem->kind == T_PERSON)) {
                check_literal_member(s, x, elem); /* a literal stands for a value of the expected type */
                t = elem;
            }
            if (!(is_stringish(t) || t->kind == T_PERSON || t->kind == T_ENUM)) {
                diag_report(s->d, DIAG_E0202, e->args.items[i]->loc,
                            "a set holds persons, ids, texts or enumeration values, not %s", type_name(s->a, t));
                continue;
            }
            if (!first) first = t;
            else if (!sema_comparable(s, e->args.items[0], first, e->args.items[i], t))
                diag_report(s->d, DIAG_E0202, e->args.items[i]->loc, "a set mixes %s and %s", type_name(s->a, first),
                            type_name(s->a, t));
        }
        return sema_list_of(s, first);
    }
    case EX_ROLE_AT:
    case EX_ROLE_OVER: {
        bool have_roster = false;
        for (int i = 0; i < s->p->ntables; i++)
            if (s->p->tables[i]->kind == TABLE_ROSTER) { s->p->tables[i]->used = true; have_roster = true; }
        if (!have_roster && !s->roster_reported) {
            diag_report(s->d, DIAG_E0210, e->loc, "who holds a role is read from a roster, but no 'roster' table is declared");
            s->roster_reported = true;
        }
        Type *rt = sema_check_expr(s, sc, e->lhs, sema_enum_type(s, s->p->roles));
        Type *at = sema_check_expr(s, sc, e->rhs, NULL);
        if (!is_error(rt) && !(rt->kind == T_ENUM && rt->en == s->p->roles))
            diag_report(s->d, DIAG_E0204, e->lhs->loc, "'%s' needs a role on its left, not %s",
                        e->kind == EX_ROLE_AT ? "at" : "throughout", type_name(s->a, rt));
        if (e->kind == EX_ROLE_AT) sema_expect(s, at, T_TIME, e->rhs->loc, "the right side of 'at'");
        else sema_expect(s, at, T_PERIOD, e->rhs->loc, "the right side of 'throughout'");
        return s->t_persons;
    }
    case EX_WINDOW:
        check_window(s, e);
        diag_report(s->d, DIAG_E0217, e->loc, "a window of the day (08:00..12:00) is only written after 'in': t in 08:00..12:00");
        return s->t_error;
    case EX_SELECT: {
        if (!e->rows && e->types.len == 1 && !sema_find(s, SYM_EVENT_TYPE, e->types.names[0])) {
            TableSym *t = sema_find(s, SYM_TABLE, e->types.names[0]);
            if (t && t->kind == TABLE_CALENDAR) e->rows = t;
        }
        if (e->rows) return check_row_select(s, sc, e);
        uint64_t mask = e->event_mask = sema_check_event_types(s, &e->types);
        Type *vt = mask ? sema_event_type(s, mask) : s->t_error;
        Scope *inner = sema_bind(s, sc, e->name, vt, e->name_loc, false);
        if (e->rhs) sema_check_condition(s, inner, e->rhs, "the 'where' condition");
        switch (e->select) {
        case SEL_EXISTS: return s->t_bool;
        case SEL_COUNT: return s->t_int;
        default: return vt;
        }
    }
    }
    return s->t_error;
}

Type *sema_check_expr(Sema *s, Scope *sc, Expr *e, Type *hint)
{
    Type *t = check_expr_inner(s, sc, e, hint);
    e->type = t;
    return t;
}

/* Expression nodes of e with every call of a definition inlined, as code
 * generation inlines them; saturates past ZL_MAX_EXPANSION. *over is set
 * when a definition called is itself too large (already reported). */
static uint64_t expanded_size(const Expr *e, bool *over)
{
    if (!e) return 0;
    uint64_t n = 1 + expanded_size(e->lhs, over) + expanded_size(e->rhs, over);
    for (int i = 0; i < e->args.len; i++) n += expanded_size(e->args.items[i], over);
    if (e->kind == EX_CALL && !e->lhs && sym_as(e->sym, SYM_DEF)) {
        const DefSym *de = sym_as(e->sym, SYM_DEF);
        if (de->size > ZL_MAX_EXPANSION) *over = true;
        n += de->size;
    }
    return n > ZL_MAX_EXPANSION ? ZL_MAX_EXPANSION + 1 : n;
}

Type *sema_check_def(Sema *s, DefSym *de)
{
    if (de->result) return de->result;
    Decl *d = de->decl;
    if (de->checking) {
        diag_report(s->d, DIAG_E0215, d->name_loc, "'%s' is defined in terms of itself", de->name);
        de->result = s->t_error;
        return de->result;
    }
    de->checking = true;
    de->param_types = arena_alloc(s->a, sizeof(Type *) * (size_t)(d->params.len + 1));
    Scope *sc = NULL;
    for (int i = 0; i < d->params.len; i++) {
        Param *pa = d->params.items[i];
        de->param_types[i] = sema_resolve_typeref(s, pa->type);
        bool dup = false;
        for (int j = 0; j < i && !dup; j++)
            if (!strcmp(d->params.items[j]->name, pa->name)) {
                Diag *g = diag_report(s->d, DIAG_E0201, pa->loc, "parameter '%s' is declared twice", pa->name);
                diag_note(s->d, g, d->params.items[j]->loc, "previously declared here");
                dup = true;
            }
        if (!dup) sc = sema_bind(s, sc, pa->name, de->param_types[i], pa->loc, true);
    }
    Type *t = sema_check_expr(s, sc, d->expr, NULL);
    sema_warn_unused(s, sc, NULL);
    if (!de->result) de->result = t;
    de->checking = false;
    bool over = false;
    de->size = expanded_size(d->expr, &over);
    if (de->size > ZL_MAX_EXPANSION && !over)
        diag_report(s->d, DIAG_E0406, d->name_loc,
                    "'%s' grows past %d expression nodes when the definitions it calls are written out", de->name, ZL_MAX_EXPANSION);
    return de->result;
}
