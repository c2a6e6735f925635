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
            Diag *g = diag_report(s->d, DIAG_W0002, loc, D_SHADOWS_OUTER_VARIABLE, name);
            diag_note(s->d, g, o->loc, D_OUTER_ONE_HERE);
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
            diag_report(s->d, DIAG_W0001, v->loc, D_VARIABLE_NEVER_USED, v->name);
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

void sema_expect(Sema *s, Type *t, TypeKind k, SrcLoc loc, MsgId what)
{
    if (is_error(t) || t->kind == k) return;
    diag_report(s->d, DIAG_E0202, loc, D_MUST_NOT, diag_word(what),
                diag_word(k == T_BOOL ? D_W_A_CONDITION : k == T_TIME ? D_W_A_TIME : k == T_INT ? D_W_AN_INTEGER :
                         k == T_DURATION ? D_W_A_DURATION : k == T_PERIOD ? D_W_A_PERIOD : D_W_ANOTHER_TYPE),
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
        Diag *g = diag_report(s->d, DIAG_E0200, e->loc, D_AMBIGUOUS_VALUE_SEVERAL_ENUMERATIONS, e->name);
        for (int i = 0; i < s->p->nenums; i++) {
            EnumMemberSym *m = sema_find_member(s->p->enums[i], e->name);
            if (m) diag_note(s->d, g, m->loc, D_A_VALUE_OF, s->p->enums[i]->name);
        }
        return s->t_error;
    }
    if (found) {
        e->sym = &found->sym;
        return sema_enum_type(s, found->owner);
    }
    if (sema_find(s, SYM_DEF, e->name)) {
        diag_report(s->d, DIAG_E0217, e->loc, D_DEFINITION_CALL_WITH_ARGUMENTS, e->name);
        return s->t_error;
    }
    if (sema_find(s, SYM_EVENT_TYPE, e->name)) {
        diag_report(s->d, DIAG_E0217, e->loc, D_EVENT_TYPE_SELECT_EVENTS_WITH, e->name, e->name);
        return s->t_error;
    }
    Diag *g = s->row_table ? diag_report(s->d, DIAG_E0221, e->loc, D_UNKNOWN_NAME_CAL_FIELD, e->name, s->row_table->name)
                           : diag_report(s->d, DIAG_E0200, e->loc, D_UNKNOWN_NAME, e->name);
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
    diag_report(s->d, DIAG_E0214, lit->loc, D_NOT_VALUE, lit->text, type_name(s->a, et));
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
            Diag *g = diag_report(s->d, DIAG_E0203, e->name_loc, D_EVENTS_HAVE_NO_FIELD, e->name);
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
                diag_report(s->d, DIAG_E0211, e->name_loc, D_EVENT_TYPE_DOES_NOT_CARRY, ev->name, e->name);
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
                          ? diag_report(s->d, DIAG_E0221, e->name_loc, D_CALENDAR_HAS_NO_FIELD, obj->table->name, e->name)
                          : diag_report(s->d, DIAG_E0203, e->name_loc, D_TABLE_HAS_NO_FIELD, obj->table->name, e->name);
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
        Diag *g = diag_report(s->d, DIAG_E0203, e->name_loc, D_PERIOD_HAS_FIELDS_FROM_AND, e->name);
        Suggest sg;
        suggest_init(&sg, e->name);
        suggest_offer(&sg, "from");
        suggest_offer(&sg, "to");
        sema_did_you_mean(s, g, &sg);
        return s->t_error;
    }
    diag_report(s->d, DIAG_E0203, e->name_loc, D_VALUE_TYPE_HAS_NO_FIELDS, type_name(s->a, obj));
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
            diag_report(s->d, DIAG_E0206, e->name_loc, D_CAN_ONLY_ASKED_ROSTER, e->name);
            return s->t_error;
        }
        int fi = e->field = sema_field_index(obj->table, e->name);
        if (fi < 0) {
            Diag *g = diag_report(s->d, DIAG_E0203, e->name_loc, D_ROSTER_HAS_NO_FIELD, obj->table->name, e->name);
            Suggest sg;
            suggest_init(&sg, e->name);
            sema_offer_fields(&sg, obj->table);
            sema_did_you_mean(s, g, &sg);
            return s->t_error;
        }
        if (args->len != 3) {
            diag_report(s->d, DIAG_E0205, e->loc, D_PERSON_ROLE_TIME_TAKES_ARGUMENTS, obj->table->name,
                        e->name, args->len);
            return s->t_error;
        }
        Type *ft = obj->table->fields[fi]->type;
        Type *t0 = args->items[0]->type, *t1 = args->items[1]->type, *t2 = args->items[2]->type;
        if (!is_error(t0) && t0->kind != T_PERSON)
            diag_report(s->d, DIAG_E0202, args->items[0]->loc, D_FIRST_ARGUMENT_MUST_PERSON_NOT, type_name(s->a, t0));
        if (!is_error(t1) && !(t1->kind == T_ENUM && t1->en == s->p->roles))
            diag_report(s->d, DIAG_E0204, args->items[1]->loc, D_SECOND_ARGUMENT_MUST_ROLE_NOT, type_name(s->a, t1));
        sema_expect(s, t2, T_TIME, args->items[2]->loc, D_W_THIRD_ARGUMENT);
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
            diag_report(s->d, DIAG_E0205, e->loc, D_BUILTIN_TAKES_ONE, n, args->len);
            for (int i = 0; i < args->len; i++) sema_check_expr(s, sc, args->items[i], NULL);
            return s->t_error;
        }
        Type *t = sema_check_expr(s, sc, args->items[0], NULL);
        if (e->builtin == BUILTIN_PRESENT) return s->t_bool;
        if (e->builtin == BUILTIN_WEEKDAY) {
            sema_expect(s, t, T_TIME, args->items[0]->loc, D_W_ARG_WEEKDAY);
            return sema_enum_type(s, s->p->weekdays);
        }
        if (e->builtin == BUILTIN_TIME_OF_DAY) {
            sema_expect(s, t, T_TIME, args->items[0]->loc, D_W_ARG_TIME_OF_DAY);
            return s->t_duration;
        }
        if (!is_error(t) && t->kind != T_LIST)
            diag_report(s->d, DIAG_E0216, args->items[0]->loc, D_SIZE_COUNTS_LIST_NOT, type_name(s->a, t));
        return s->t_int;
    }
    DefSym *de = sema_find(s, SYM_DEF, n);
    if (!de) {
        for (int i = 0; i < args->len; i++) sema_check_expr(s, sc, args->items[i], NULL);
        Diag *g = diag_report(s->d, DIAG_E0206, e->name_loc, D_UNKNOWN_FUNCTION_BUILT_PRESENT_WEEKDAY, n);
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
        Diag *g = diag_report(s->d, DIAG_E0205, e->loc, D_DEF_ARG_COUNT, n, ps->len, ps->len == 1 ? "" : "s",
                              args->len);
        diag_note(s->d, g, de->decl->name_loc, D_DEFINED_HERE);
        return result ? result : s->t_error;
    }
    for (int i = 0; i < args->len; i++) {
        Type *pt = de->param_types ? de->param_types[i] : NULL;
        Type *at = sema_check_expr(s, sc, args->items[i], pt);
        if (pt && !sema_comparable(s, args->items[i], at, args->items[i], pt)) {
            Diag *g = diag_report(s->d, DIAG_E0202, args->items[i]->loc, D_ARGUMENT_MUST_NOT, i + 1, n,
                                  type_name(s->a, pt), type_name(s->a, at));
            diag_note(s->d, g, ps->items[i]->loc, D_PARAMETER_DECLARED_HERE);
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
            Diag *g = diag_report(s->d, DIAG_E0200, types->locs[i], D_UNKNOWN_EVENT_TYPE, types->names[i]);
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

void sema_check_condition(Sema *s, Scope *sc, Expr *e, MsgId what)
{
    Type *t = sema_check_expr(s, sc, e, s->t_bool);
    sema_expect(s, t, T_BOOL, e->loc, what);
    if (e->kind == EX_BOOL && !e->poisoned && !s->d->overflowed)
        diag_report(s->d, DIAG_W0003, e->loc, D_ALWAYS, diag_word(what), e->ival ? "true" : "false");
}

static void check_window(Sema *s, Expr *w);

static Type *check_binary(Sema *s, Scope *sc, Expr *e)
{
    ExprOp op = e->op;
    if (op == OP_AND || op == OP_OR) {
        sema_check_condition(s, sc, e->lhs, D_W_OPERAND_AND_OR);
        sema_check_condition(s, sc, e->rhs, D_W_OPERAND_AND_OR);
        return s->t_bool;
    }
    Type *a = sema_check_expr(s, sc, e->lhs, NULL);
    if ((op == OP_IN || op == OP_NOT_IN) && e->rhs->kind == EX_WINDOW) {
        check_window(s, e->rhs);
        if (!is_error(a) && a->kind != T_TIME && a->kind != T_DURATION)
            diag_report(s->d, DIAG_E0202, e->lhs->loc, D_ONLY_TIME_OR_TIME_DAY,
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
            diag_report(s->d, DIAG_E0202, e->loc, D_CANNOT_COMPARE_WITH, an, bn);
        return s->t_bool;
    case OP_LT: case OP_LE: case OP_GT: case OP_GE:
        if (!(a->kind == b->kind && (a->kind == T_TIME || a->kind == T_DURATION || a->kind == T_INT)))
            diag_report(s->d, DIAG_E0202, e->loc, D_CANNOT_ORDER_AND_TIMES_DURATIONS, an, bn);
        return s->t_bool;
    case OP_WITHIN:
    case OP_OVERLAPS:
        if (b->kind != T_ROW || b->table->kind != TABLE_CALENDAR)
            diag_report(s->d, DIAG_E0202, e->rhs->loc, D_TESTS_AGAINST_ROW,
                        op == OP_WITHIN ? "within" : "overlaps", bn);
        else if (a->kind != T_PERIOD && a->kind != T_TIME)
            diag_report(s->d, DIAG_E0202, e->lhs->loc, D_ONLY_PERIOD_TIME_IN_ROW, an);
        return s->t_bool;
    case OP_IN:
    case OP_NOT_IN:
        if (b->kind == T_PERIOD) {
            if (a->kind != T_TIME) diag_report(s->d, DIAG_E0202, e->lhs->loc, D_ONLY_TIME_CAN_PERIOD_NOT, an);
            return s->t_bool;
        }
        if (b->kind != T_LIST) {
            diag_report(s->d, DIAG_E0216, e->rhs->loc, D_NEEDS_LIST_OR_PERIOD_ON, bn);
            return s->t_bool;
        }
        if (b->elem && !sema_comparable(s, e->lhs, a, e->lhs, b->elem))
            diag_report(s->d, DIAG_E0202, e->loc, D_CANNOT_LOOK_FOR, an, bn);
        return s->t_bool;
    case OP_UNION:
    case OP_INTER:
        if (a->kind != T_LIST || b->kind != T_LIST) {
            diag_report(s->d, DIAG_E0216, a->kind != T_LIST ? e->lhs->loc : e->rhs->loc, D_COMBINES_LISTS_WRITE_X_FOR, op == OP_UNION ? "|" : "&");
            return s->t_error;
        }
        if (!sema_same_type(a, b)) {
            diag_report(s->d, DIAG_E0202, e->loc, D_CANNOT_COMBINE_WITH, an, bn);
            return s->t_error;
        }
        return a->elem ? a : b;
    case OP_MINUS:
        if (a->kind == T_LIST && b->kind == T_LIST) {
            if (!sema_same_type(a, b)) diag_report(s->d, DIAG_E0202, e->loc, D_CANNOT_REMOVE_FROM, bn, an);
            return a->elem ? a : b;
        }
        if (a->kind == T_TIME && b->kind == T_TIME) return s->t_duration;
        if (a->kind == T_TIME && b->kind == T_DURATION) return s->t_time;
        if (a->kind == b->kind && (a->kind == T_DURATION || a->kind == T_INT)) return a;
        diag_report(s->d, DIAG_E0202, e->loc, D_CANNOT_SUBTRACT_FROM, bn, an);
        return s->t_error;
    case OP_PLUS:
        if (a->kind == T_TIME && b->kind == T_DURATION) return s->t_time;
        if (a->kind == T_DURATION && b->kind == T_TIME) return s->t_time;
        if (a->kind == b->kind && (a->kind == T_DURATION || a->kind == T_INT)) return a;
        diag_report(s->d, DIAG_E0202, e->loc, D_CANNOT_ADD_AND, an, bn);
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
        diag_report(s->d, DIAG_E0220, w->loc, D_WINDOW_DAY_WRITE_EARLIER_TIME,
                    diag_word(w->lhs->ival == w->rhs->ival ? D_W_WINDOW_EMPTY : D_W_WINDOW_BACKWARDS));
}

/* A time the compiled format can hold: an instant of the years 1 to 9999. */
static void check_time_range(Sema *s, const Expr *e)
{
    ZtParsed p = {e->tval.local_seconds, e->tval.has_time, e->tval.has_offset, e->tval.offset_seconds};
    zt_instant t = zt_to_instant(&p, s->p->header.tz_offset);
    if (t < ZT_MIN_TIME || t > ZT_MAX_TIME)
        diag_report(s->d, DIAG_E0400, e->loc, D_THIS_TIME_FALLS_YEARS_UTC, diag_word(t < ZT_MIN_TIME ? D_W_BEFORE : D_W_AFTER));
}

/* exists / count over a calendar's rows: `x` is a row; a selection built
 * for an `unless`/`only` clause also names the row's fields bare. */
static Type *check_row_select(Sema *s, Scope *sc, Expr *e)
{
    TableSym *t = e->rows;
    t->used = true;
    bool picks = e->select != SEL_EXISTS && e->select != SEL_COUNT;
    if (picks)
        diag_report(s->d, DIAG_E0217, e->loc, D_PICKS_EVENT_ROWS,
                    e->select == SEL_LATEST ? "latest" : "first", t->name);
    Scope *inner = sema_bind(s, sc, e->name, sema_table_type(s, T_ROW, t), e->name_loc, false);
    const TableSym *outer = s->row_table;
    if (e->bare_fields) {
        inner = sema_row_scope(s, t, inner);
        s->row_table = t;
    }
    if (e->rhs) sema_check_condition(s, inner, e->rhs, D_W_WHERE_CONDITION);
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
            diag_report(s->d, DIAG_E0401, e->loc, D_DURATION_LONGER_THAN_DAYS_FROM,
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
            diag_report(s->d, DIAG_E0217, e->lhs->loc, D_ONLY_KEYED_TABLE_CAN_INDEXED, type_name(s->a, t));
            return s->t_error;
        }
        Type *kt = t->table->key >= 0 ? t->table->fields[t->table->key]->type : NULL;
        Type *it = sema_check_expr(s, sc, e->rhs, kt);
        if (kt && !sema_comparable(s, e->rhs, it, e->rhs, kt))
            diag_report(s->d, DIAG_E0202, e->rhs->loc, D_TABLE_KEYED_NOT, t->table->name, type_name(s->a, kt),
                        type_name(s->a, it));
        return sema_table_type(s, T_ROW, t->table);
    }
    case EX_CALL: return check_call(s, sc, e);
    case EX_UNARY: {
        if (e->op == OP_NOT) { sema_check_condition(s, sc, e->lhs, D_W_OPERAND_NOT); return s->t_bool; }
        Type *t = sema_check_expr(s, sc, e->lhs, NULL);
        if (!is_error(t) && t->kind != T_INT && t->kind != T_DURATION) {
            diag_report(s->d, DIAG_E0202, e->loc, D_CANNOT_NEGATE, type_name(s->a, t));
            return s->t_error;
        }
        return t;
    }
    case EX_BINARY: return check_binary(s, sc, e);
    case EX_SET: {
        if (e->args.len > ZL_MAX_COUNT)
            diag_report(s->d, DIAG_E0404, e->loc, D_SET_LITERAL_HOLDS_AT_MOST, ZL_MAX_COUNT, e->args.len);
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
                diag_report(s->d, DIAG_E0202, e->args.items[i]->loc, D_SET_HOLDS_PERSONS_IDS_TEXTS, type_name(s->a, t));
                continue;
            }
            if (!first) first = t;
            else if (!sema_comparable(s, e->args.items[0], first, e->args.items[i], t))
                diag_report(s->d, DIAG_E0202, e->args.items[i]->loc, D_SET_MIXES_AND, type_name(s->a, first),
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
            diag_report(s->d, DIAG_E0210, e->loc, D_WHO_HOLDS_ROLE_READ_FROM);
            s->roster_reported = true;
        }
        Type *rt = sema_check_expr(s, sc, e->lhs, sema_enum_type(s, s->p->roles));
        Type *at = sema_check_expr(s, sc, e->rhs, NULL);
        if (!is_error(rt) && !(rt->kind == T_ENUM && rt->en == s->p->roles))
            diag_report(s->d, DIAG_E0204, e->lhs->loc, D_NEEDS_ROLE_ON_LEFT_NOT,
                        e->kind == EX_ROLE_AT ? "at" : "throughout", type_name(s->a, rt));
        if (e->kind == EX_ROLE_AT) sema_expect(s, at, T_TIME, e->rhs->loc, D_W_RIGHT_OF_AT);
        else sema_expect(s, at, T_PERIOD, e->rhs->loc, D_W_RIGHT_OF_THROUGHOUT);
        return s->t_persons;
    }
    case EX_WINDOW:
        check_window(s, e);
        diag_report(s->d, DIAG_E0217, e->loc, D_WINDOW_DAY_ONLY_WRITTEN_AFTER);
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
        if (e->rhs) sema_check_condition(s, inner, e->rhs, D_W_WHERE_CONDITION);
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
        diag_report(s->d, DIAG_E0215, d->name_loc, D_DEFINED_TERMS_ITSELF, de->name);
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
                Diag *g = diag_report(s->d, DIAG_E0201, pa->loc, D_PARAMETER_DECLARED_TWICE, pa->name);
                diag_note(s->d, g, d->params.items[j]->loc, D_PREVIOUSLY_DECLARED_HERE);
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
        diag_report(s->d, DIAG_E0406, d->name_loc, D_GROWS_PAST_EXPRESSION_NODES_WHEN, de->name, ZL_MAX_EXPANSION);
    return de->result;
}
