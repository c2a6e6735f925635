/* sema_bind.c - pass B of semantic analysis: the types of the fields of every
 * binding and event type, the fields bindings must have, and the values of
 * parameters (as declared and as set along the chain). */
#include "sema_int.h"

/* The index of the field, or -1 when missing (reported). */
static int require_field(Sema *s, TableSym *t, const char *name, TypeKind kind, bool list_ok)
{
    int i = sema_field_index(t, name);
    if (i < 0) {
        diag_report(s->d, DIAG_E0210, t->loc, D_NEEDS_FIELD, diag_word(t->kind == TABLE_EVENTS ? D_W_EVENT_LOG : D_W_TABLE),
                    t->name, name);
        return -1;
    }
    Type *ft = t->fields[i]->type;
    if (is_error(ft)) return i;
    if (ft->kind == kind || (kind == T_TEXT && (is_stringish(ft) || ft->kind == T_ENUM)) || (list_ok && ft->kind == T_LIST)) return i;
    diag_report(s->d, DIAG_E0202, t->fields[i]->loc, D_FIELD_MUST_TYPE_NOT, name,
                kind == T_ID ? "id" : kind == T_TIME ? "time" : kind == T_PERSON ? "person" : kind == T_ENUM ? "role" : "text",
                type_name(s->a, ft));
    return i;
}

void sema_resolve_table_fields(Sema *s, TableSym *t, Decl *d)
{
    for (int i = 0, k = 0; i < d->fields.len && k < t->nfields; i++) {
        if (strcmp(d->fields.items[i]->name, t->fields[k]->name)) continue;
        t->fields[k]->type = sema_resolve_typeref(s, d->fields.items[i]->type);
        k++;
    }
    switch (t->kind) {
    case TABLE_EVENTS:
        t->id_field = require_field(s, t, "id", T_ID, false);
        t->time_field = require_field(s, t, "time", T_TIME, false);
        require_field(s, t, "type", T_TEXT, false);
        break;
    case TABLE_ROSTER:
        require_field(s, t, "person", T_PERSON, false);
        require_field(s, t, "role", T_ENUM, false);
        require_field(s, t, "from", T_TIME, false);
        require_field(s, t, "to", T_TIME, false);
        break;
    case TABLE_CALENDAR:
        require_field(s, t, "kind", T_TEXT, false);
        require_field(s, t, "from", T_TIME, false);
        require_field(s, t, "to", T_TIME, false);
        break;
    case TABLE_KEYED:
        if (t->key >= 0) {
            Type *kt = t->fields[t->key]->type;
            if (!is_error(kt) && kt->kind == T_LIST)
                diag_report(s->d, DIAG_E0202, t->fields[t->key]->loc, D_KEY_TABLE_CANNOT_LIST, t->name);
        }
        break;
    }
    int ri = sema_field_index(t, "role");
    if (t->kind == TABLE_ROSTER && ri >= 0 && !is_error(t->fields[ri]->type) &&
        (t->fields[ri]->type->kind != T_ENUM || t->fields[ri]->type->en != s->p->roles))
        diag_report(s->d, DIAG_E0202, t->fields[ri]->loc, D_ROSTER_ROLE_FIELD_MUST_TYPE);
}

/* May an event type narrow a log field of type `log` to `narrow`? */
static bool narrows(const Type *log, const Type *narrow)
{
    if (is_error(log) || is_error(narrow)) return true;
    if (sema_same_type(log, narrow) && log->kind == narrow->kind) return true;
    if (log->kind == T_TEXT && (narrow->kind == T_ENUM || narrow->kind == T_ID || narrow->kind == T_PERSON)) return true;
    if (log->kind == T_LIST && narrow->kind == T_LIST) return narrows(log->elem, narrow->elem);
    return false;
}

void sema_resolve_event_type(Sema *s, EventTypeSym *ev, Decl *d)
{
    TableSym *log = s->p->events;
    if (!log) {
        diag_report(s->d, DIAG_E0210, d->loc, D_EVENT_TYPE_DECLARED_BUT_NO, d->name);
        return;
    }
    ev->field_types = arena_alloc(s->a, sizeof(Type *) * (size_t)(log->nfields + 1));
    static const char *always[] = {"id", "time", "type"};
    for (size_t k = 0; k < 3; k++) {
        int i = sema_field_index(log, always[k]);
        if (i >= 0) ev->field_types[i] = log->fields[i]->type;
    }
    for (int j = 0; j < d->fields.len; j++) {
        FieldDecl *fd = d->fields.items[j];
        int i = sema_field_index(log, fd->name);
        if (i < 0) {
            diag_report(s->d, DIAG_E0203, fd->loc, D_EVENT_LOG_HAS_NO_FIELD, fd->name);
            continue;
        }
        Type *t = log->fields[i]->type;
        if (fd->type) {
            Type *nt = sema_resolve_typeref(s, fd->type);
            if (!narrows(t, nt)) {
                diag_report(s->d, DIAG_E0202, fd->type->loc, D_FIELD_LOG_CANNOT_READ_AS, fd->name,
                            type_name(s->a, t), type_name(s->a, nt));
                nt = s->t_error;
            }
            t = nt;
        }
        ev->field_types[i] = t;
    }
}

/* A string literal fits text-like parameters only; everything else must match exactly. */
static bool param_value_fits(Sema *s, Expr *v, Type *t, Type *declared)
{
    if (is_error(t) || is_error(declared)) return true;
    if (v->kind == EX_STRING)
        return (is_stringish(declared) || declared->kind == T_PERSON || declared->kind == T_ENUM) && sema_comparable(s, v, t, v, declared);
    return declared->kind == t->kind && sema_same_type(declared, t);
}

static void check_param_value(Sema *s, ParamSym *pa, Decl *d)
{
    Expr *v = pa->value;
    Type *declared = d->type ? sema_resolve_typeref(s, d->type) : NULL;
    bool member = false;
    if (v->kind == EX_NAME)
        for (int i = 0; i < s->p->nenums && !member; i++) member = sema_find_member(s->p->enums[i], v->name) != NULL;
    if (v->kind != EX_STRING && v->kind != EX_INT && v->kind != EX_DURATION && v->kind != EX_TIME && v->kind != EX_BOOL &&
        !member) {
        diag_report(s->d, DIAG_E0202, v->loc, D_PARAMETER_VALUE_MUST_LITERAL_TEXT);
        pa->type = declared ? declared : s->t_error;
        return;
    }
    Type *t = sema_check_expr(s, NULL, v, declared);
    if (!declared) { pa->type = t; return; }
    pa->type = declared;
    if (!param_value_fits(s, v, t, declared))
        diag_report(s->d, DIAG_E0202, v->loc, D_PARAMETER_THIS_VALUE, pa->name, type_name(s->a, declared),
                    type_name(s->a, t));
}

/* Pass C: parameter values (the declaration's type, the effective value). */
void sema_check_params(Sema *s, AstFile **chain, int nchain)
{
    for (int f = 0; f < nchain; f++) {
        AstFile *file = chain[f];
        for (int i = 0; i < file->decls.len; i++) {
            Decl *d = file->decls.items[i];
            ParamSym *pa = d->kind == D_PARAM ? sym_as(d->sym, SYM_PARAM) : NULL;
            if (pa) {
                Expr *effective = pa->value;
                pa->value = d->expr;
                check_param_value(s, pa, d);
                if (effective != d->expr) {
                    Type *declared = pa->type;
                    Type *t = sema_check_expr(s, NULL, effective, declared);
                    if (!param_value_fits(s, effective, t, declared))
                        diag_report(s->d, DIAG_E0202, effective->loc, D_PARAMETER_THIS_VALUE, pa->name,
                                    type_name(s->a, declared), type_name(s->a, t));
                    pa->value = effective;
                }
            }
        }
    }
}
