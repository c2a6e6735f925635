/* sema.c - semantic analysis: declarations, adaptation (extends, rename, set,
 * override, replace, disable), name resolution and type checking of every
 * expression, rule structure, message templates, unused declarations.
 * Reports errors with codes from diag_codes.def and never stops at the first:
 * an expression whose type could not be found gets T_ERROR, which silences
 * every later complaint about it (no cascades). */
#include "sema.h"

#include <stdlib.h>
#include <string.h>

#include "../runtime/ztime.h"

typedef struct Scope {
    const char *name;
    Type *type;
    SrcLoc loc;
    bool used;
    bool warn_unused;
    struct Scope *up;
} Scope;

typedef struct Sema {
    Arena *a;
    DiagEngine *d;
    Policy *p;
    const Source *leaf;
    Type *t_error, *t_bool, *t_int, *t_duration, *t_time, *t_text, *t_id, *t_person, *t_period;
    Type *t_persons;
    bool header_seen;
    bool in_leaf;
    bool roster_reported;
    SrcLoc header_loc;
    const Source *broken[32]; /* files with syntax errors: completeness is not judged there */
    int nbroken;
} Sema;

/* ---- types ----------------------------------------------------------------- */

static Type *mk_type(Sema *s, TypeKind k)
{
    Type *t = arena_alloc(s->a, sizeof *t);
    t->kind = k;
    return t;
}

static Type *list_of(Sema *s, Type *elem)
{
    Type *t = mk_type(s, T_LIST);
    t->elem = elem;
    return t;
}

static Type *enum_type(Sema *s, EnumSym *en)
{
    Type *t = mk_type(s, T_ENUM);
    t->en = en;
    return t;
}

static Type *event_type(Sema *s, uint64_t mask)
{
    Type *t = mk_type(s, T_EVENT);
    t->event_mask = mask;
    return t;
}

static Type *table_type(Sema *s, TypeKind k, TableSym *tab)
{
    Type *t = mk_type(s, k);
    t->table = tab;
    return t;
}

static bool is_error(const Type *t) { return !t || t->kind == T_ERROR; }
static bool is_stringish(const Type *t) { return t->kind == T_TEXT || t->kind == T_ID; }

const char *type_name(Arena *a, const Type *t)
{
    if (!t) return "?";
    switch (t->kind) {
    case T_ERROR: return "<error>";
    case T_BOOL: return "bool";
    case T_INT: return "int";
    case T_DURATION: return "duration";
    case T_TIME: return "time";
    case T_TEXT: return "text";
    case T_ID: return "id";
    case T_PERSON: return "person";
    case T_ENUM:
        if (t->en->kind == ENUM_ROLE) return "role";
        if (t->en->kind == ENUM_BODY) return "body";
        if (t->en->kind == ENUM_WEEKDAY) return "weekday";
        return arena_printf(a, "enum %s", t->en->name);
    case T_LIST: return t->elem ? arena_printf(a, "list %s", type_name(a, t->elem)) : "empty set";
    case T_EVENT: return "event";
    case T_ROW: return arena_printf(a, "row of %s", t->table->name);
    case T_TABLE: return arena_printf(a, "table %s", t->table->name);
    case T_PERIOD: return "period";
    }
    return "?";
}

/* Two types hold values that can be compared with == and in. */
static bool same_type(const Type *a, const Type *b)
{
    if (is_error(a) || is_error(b)) return true;
    if (is_stringish(a) && is_stringish(b)) return true;
    if (a->kind != b->kind) return false;
    switch (a->kind) {
    case T_ENUM: return a->en == b->en;
    case T_LIST: return !a->elem || !b->elem || same_type(a->elem, b->elem);
    case T_ROW: case T_TABLE: return a->table == b->table;
    default: return true;
    }
}

/* ---- symbol lookup --------------------------------------------------------- */

static EnumSym *find_enum(Sema *s, const char *name)
{
    for (int i = 0; i < s->p->nenums; i++)
        if (!strcmp(s->p->enums[i]->name, name)) return s->p->enums[i];
    return NULL;
}

static TableSym *find_table(Sema *s, const char *name)
{
    for (int i = 0; i < s->p->ntables; i++)
        if (!strcmp(s->p->tables[i]->name, name)) return s->p->tables[i];
    return NULL;
}

static EventTypeSym *find_event_type(Sema *s, const char *name)
{
    for (int i = 0; i < s->p->nevent_types; i++)
        if (!strcmp(s->p->event_types[i]->name, name)) return s->p->event_types[i];
    return NULL;
}

static ParamSym *find_param(Sema *s, const char *name)
{
    for (int i = 0; i < s->p->nparams; i++)
        if (!strcmp(s->p->params[i]->name, name)) return s->p->params[i];
    return NULL;
}

static DefSym *find_def(Sema *s, const char *name)
{
    for (int i = 0; i < s->p->ndefs; i++)
        if (!strcmp(s->p->defs[i]->name, name)) return s->p->defs[i];
    return NULL;
}

static RuleSym *find_rule(Sema *s, const char *name)
{
    for (int i = 0; i < s->p->nrules; i++)
        if (!strcmp(s->p->rules[i]->name, name)) return s->p->rules[i];
    return NULL;
}

static EnumMemberSym *find_member(EnumSym *en, const char *name)
{
    for (int i = 0; i < en->nmembers; i++) {
        EnumMemberSym *m = en->members[i];
        if (!strcmp(m->name, name) || (m->alias && !strcmp(m->alias, name))) return m;
        for (int k = 0; k < m->naliases; k++)
            if (!strcmp(m->aliases[k], name)) return m;
    }
    return NULL;
}

static int field_index(const TableSym *t, const char *name)
{
    for (int i = 0; i < t->nfields; i++)
        if (!strcmp(t->fields[i]->name, name)) return i;
    return -1;
}

static bool is_broken(const Sema *s, const Source *src)
{
    for (int i = 0; i < s->nbroken; i++)
        if (s->broken[i] == src) return true;
    return false;
}

static SrcLoc no_loc(void)
{
    SrcLoc l;
    memset(&l, 0, sizeof l);
    return l;
}

/* Where a top-level type-level name is already declared, for E0201. */
static bool type_name_taken(Sema *s, const char *name, SrcLoc *prev)
{
    EnumSym *en = find_enum(s, name);
    if (en) { *prev = en->loc; return true; }
    TableSym *t = find_table(s, name);
    if (t) { *prev = t->loc; return true; }
    EventTypeSym *ev = find_event_type(s, name);
    if (ev) { *prev = ev->loc; return true; }
    ParamSym *pa = find_param(s, name);
    if (pa) { *prev = pa->loc; return true; }
    DefSym *de = find_def(s, name);
    if (de) { *prev = de->decl->name_loc; return true; }
    static const char *builtin[] = {"text", "id", "person", "time", "duration", "int", "bool",
                                    "role", "body", "event", "weekday", "present", "size"};
    for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
        if (!strcmp(builtin[i], name)) { *prev = no_loc(); return true; }
    return false;
}

static bool check_new_name(Sema *s, const char *name, SrcLoc loc, const char *what)
{
    SrcLoc prev;
    if (!type_name_taken(s, name, &prev)) return true;
    Diag *g = diag_report(s->d, DIAG_E0201, loc, "%s '%s' is already declared", what, name);
    if (prev.src) diag_note(s->d, g, prev, "previously declared here");
    else diag_note(s->d, g, prev, "'%s' is a built-in name", name);
    return false;
}

/* Makes room for arr[n]. Capacity doubles (at n = 0, 1, 2, 4, 8, ...): growing
 * by one each time made n declarations cost O(n^2) arena memory. */
#define GROW(arr, n, cap_expr)                                                          \
    do {                                                                                \
        if ((n) & ((n) - 1)) break; /* n is not 0 or a power of two: room is left */    \
        void *grown_ = arena_alloc(s->a, sizeof(*(arr)) * (size_t)((n) ? 2 * (n) : 1)); \
        if (n) memcpy(grown_, (arr), sizeof(*(arr)) * (size_t)(n));                     \
        (arr) = grown_;                                                                 \
        (void)(cap_expr);                                                               \
    } while (0)

static EnumSym *new_enum(Sema *s, const char *name, EnumKind kind, SrcLoc loc)
{
    EnumSym *en = arena_alloc(s->a, sizeof *en);
    en->name = name;
    en->kind = kind;
    en->loc = loc;
    GROW(s->p->enums, s->p->nenums, 0);
    s->p->enums[s->p->nenums++] = en;
    return en;
}

static EnumMemberSym *add_member(Sema *s, EnumSym *en, const char *name, const char *value, SrcLoc loc)
{
    EnumMemberSym *prev = find_member(en, name);
    if (prev) {
        Diag *g = diag_report(s->d, DIAG_E0201, loc, "'%s' is already a %s", name,
                              en->kind == ENUM_ROLE ? "role" : en->kind == ENUM_BODY ? "body" : "value of this enum");
        diag_note(s->d, g, prev->loc, "previously declared here");
        return NULL;
    }
    for (int i = 0; i < en->nmembers; i++)
        if (!strcmp(en->members[i]->value, value)) {
            Diag *g = diag_report(s->d, DIAG_E0201, loc, "two members stand for the same value \"%s\"", value);
            diag_note(s->d, g, en->members[i]->loc, "previously declared here");
            return NULL;
        }
    EnumMemberSym *m = arena_alloc(s->a, sizeof *m);
    m->name = name;
    m->value = value;
    m->loc = loc;
    m->owner = en;
    GROW(en->members, en->nmembers, 0);
    en->members[en->nmembers++] = m;
    return m;
}

/* ---- pass A: declarations and adaptation --------------------------------- */

static void header_entry(Sema *s, HeaderEntry *e)
{
    PolicyHeader *h = &s->p->header;
    Expr *v = e->value;
    const char *key = e->key;
    bool is_string = v->kind == EX_STRING;
    if (!strcmp(key, "title") || !strcmp(key, "document") || !strcmp(key, "units")) {
        if (!is_string) {
            diag_report(s->d, DIAG_E0209, v->loc, "'%s' takes a string", key);
            return;
        }
        if (!strcmp(key, "title")) h->title = v->text;
        else if (!strcmp(key, "document")) h->document = v->text;
        else h->units_column = v->text;
    } else if (!strcmp(key, "effective")) {
        if (v->kind != EX_TIME || v->tval.has_time) {
            diag_report(s->d, DIAG_E0209, v->loc, "'effective' takes a date such as 2018-03-01");
            return;
        }
        h->effective_local = v->tval.local_seconds;
        h->has_effective = true;
        h->effective_loc = v->loc;
    } else if (!strcmp(key, "timezone")) {
        if (!is_string || !zt_parse_offset(v->text, &h->tz_offset)) {
            diag_report(s->d, DIAG_E0209, v->loc, "'timezone' takes a string such as \"+08:00\", \"Z\" or \"Asia/Shanghai\"");
            return;
        }
        if (h->tz_offset < -ZL_MAX_TZ_OFFSET || h->tz_offset > ZL_MAX_TZ_OFFSET) {
            diag_report(s->d, DIAG_E0402, v->loc, "time zone offset %s is out of range (at most 18 hours from UTC)", v->text);
            h->tz_offset = 0;
        }
    } else {
        diag_report(s->d, DIAG_E0209, e->loc, "unknown policy header entry '%s' (known: title, document, effective, timezone, units)", key);
    }
}

static void policy_header(Sema *s, Decl *d, bool is_root)
{
    if (s->header_seen && s->header_loc.src == d->loc.src) {
        Diag *g = diag_report(s->d, DIAG_E0201, d->loc, "a file has one policy header");
        diag_note(s->d, g, s->header_loc, "previously declared here");
        return;
    }
    s->header_seen = true;
    s->header_loc = d->loc;
    s->p->header.name = d->name;
    s->p->header.loc = d->loc;
    for (int i = 0; i < d->nentries; i++)
        for (int j = 0; j < i; j++)
            if (!strcmp(d->entries[i]->key, d->entries[j]->key)) {
                Diag *g = diag_report(s->d, DIAG_E0209, d->entries[i]->loc, "'%s' is given twice", d->entries[i]->key);
                diag_note(s->d, g, d->entries[j]->loc, "first given here");
            }
    for (int i = 0; i < d->nentries; i++) header_entry(s, d->entries[i]);
    if (is_root && !is_broken(s, d->loc.src)) {
        static const char *required[] = {"title", "document", "effective", "timezone"};
        for (size_t k = 0; k < sizeof required / sizeof required[0]; k++) {
            bool found = false;
            for (int i = 0; i < d->nentries; i++) found |= !strcmp(d->entries[i]->key, required[k]);
            if (!found) diag_report(s->d, DIAG_E0209, d->name_loc, "policy header lacks '%s'", required[k]);
        }
    }
}

static TableSym *declare_table(Sema *s, Decl *d, TableKind kind)
{
    TableSym *t = arena_alloc(s->a, sizeof *t);
    t->name = d->name ? d->name : "events";
    t->table = d->text;
    t->kind = kind;
    t->loc = d->name ? d->name_loc : d->loc;
    t->key = -1;
    t->from_leaf = s->in_leaf;
    t->fields = arena_alloc(s->a, sizeof(FieldSym *) * (size_t)(d->fields.len + 1));
    for (int i = 0; i < d->fields.len; i++) {
        FieldDecl *fd = d->fields.items[i];
        for (int j = 0; j < t->nfields; j++) {
            if (!strcmp(t->fields[j]->name, fd->name)) {
                Diag *g = diag_report(s->d, DIAG_E0201, fd->loc, "field '%s' is declared twice", fd->name);
                diag_note(s->d, g, t->fields[j]->loc, "previously declared here");
                goto next;
            }
            if (!strcmp(t->fields[j]->column, fd->column)) {
                Diag *g = diag_report(s->d, DIAG_E0201, fd->column_loc, "column \"%s\" is bound twice", fd->column);
                diag_note(s->d, g, t->fields[j]->loc, "previously bound here");
                goto next;
            }
        }
        if (t->nfields == ZL_MAX_FIELDS)
            diag_report(s->d, DIAG_E0403, fd->loc, "%s '%s' has more than %d fields", kind == TABLE_EVENTS ? "event log" : "table",
                        t->name, ZL_MAX_FIELDS);
        FieldSym *f = arena_alloc(s->a, sizeof *f);
        f->name = fd->name;
        f->column = fd->column;
        f->optional = fd->optional;
        f->loc = fd->loc;
        t->fields[t->nfields++] = f;
    next:;
    }
    return t;
}

static void declare(Sema *s, Decl *d, bool is_root, bool has_parent)
{
    Policy *p = s->p;
    switch (d->kind) {
    case D_POLICY:
        policy_header(s, d, is_root);
        break;
    case D_EXTENDS:
        break; /* resolved by the driver */
    case D_ROLE:
    case D_BODY:
        for (int i = 0; i < d->members.len; i++) {
            EnumMember *m = d->members.items[i];
            add_member(s, d->kind == D_ROLE ? p->roles : p->bodies, m->name, m->value, m->loc);
        }
        break;
    case D_ENUM: {
        if (!check_new_name(s, d->name, d->name_loc, "enum")) break;
        EnumSym *en = new_enum(s, d->name, ENUM_USER, d->name_loc);
        for (int i = 0; i < d->members.len; i++) {
            EnumMember *m = d->members.items[i];
            add_member(s, en, m->name, m->value, m->loc);
        }
        break;
    }
    case D_EVENTS:
        if (p->events) {
            Diag *g = diag_report(s->d, DIAG_E0201, d->loc, "the event log is bound twice");
            diag_note(s->d, g, p->events->loc, "previously bound here");
            break;
        }
        p->events = declare_table(s, d, TABLE_EVENTS);
        break;
    case D_EVENT: {
        if (!check_new_name(s, d->name, d->name_loc, "event type")) break;
        for (int i = 0; i < p->nevent_types; i++)
            if (!strcmp(p->event_types[i]->value, d->text)) {
                Diag *g = diag_report(s->d, DIAG_E0201, d->name_loc, "two event types stand for type \"%s\"", d->text);
                diag_note(s->d, g, p->event_types[i]->loc, "previously declared here");
                return;
            }
        if (p->nevent_types == ZL_MAX_EVENT_TYPES) {
            diag_report(s->d, DIAG_E0403, d->name_loc, "too many event types (at most %d)", ZL_MAX_EVENT_TYPES);
            break;
        }
        EventTypeSym *ev = arena_alloc(s->a, sizeof *ev);
        ev->name = d->name;
        ev->value = d->text;
        ev->index = p->nevent_types;
        ev->loc = d->name_loc;
        GROW(p->event_types, p->nevent_types, 0);
        p->event_types[p->nevent_types++] = ev;
        d->sym = (Symbol *)ev;
        break;
    }
    case D_ROSTER:
    case D_TABLE:
    case D_CALENDAR: {
        if (!check_new_name(s, d->name, d->name_loc, "table")) break;
        if (d->kind == D_ROSTER)
            for (int i = 0; i < p->ntables; i++)
                if (p->tables[i]->kind == TABLE_ROSTER) {
                    Diag *g = diag_report(s->d, DIAG_E0201, d->name_loc, "a policy has one roster; '%s' is a second", d->name);
                    diag_note(s->d, g, p->tables[i]->loc, "the roster is declared here");
                    return;
                }
        TableSym *t = declare_table(s, d, d->kind == D_ROSTER ? TABLE_ROSTER : d->kind == D_TABLE ? TABLE_KEYED : TABLE_CALENDAR);
        if (d->kind == D_TABLE) {
            t->key = field_index(t, d->name2);
            if (t->key < 0) diag_report(s->d, DIAG_E0203, d->name2_loc, "key '%s' is not a field of table %s", d->name2, d->name);
        }
        GROW(p->tables, p->ntables, 0);
        p->tables[p->ntables++] = t;
        break;
    }
    case D_PARAM: {
        if (!check_new_name(s, d->name, d->name_loc, "parameter")) break;
        ParamSym *pa = arena_alloc(s->a, sizeof *pa);
        pa->name = d->name;
        pa->loc = d->name_loc;
        pa->value = d->expr;
        pa->value_loc = d->expr->loc;
        pa->from_leaf = s->in_leaf;
        GROW(p->params, p->nparams, 0);
        p->params[p->nparams++] = pa;
        d->sym = (Symbol *)pa;
        break;
    }
    case D_DEF: {
        if (!check_new_name(s, d->name, d->name_loc, "definition")) break;
        DefSym *de = arena_alloc(s->a, sizeof *de);
        de->name = d->name;
        de->decl = d;
        de->from_leaf = s->in_leaf;
        GROW(p->defs, p->ndefs, 0);
        p->defs[p->ndefs++] = de;
        break;
    }
    case D_RULE: {
        RuleSym *prev = find_rule(s, d->name);
        if (prev) {
            Diag *g = diag_report(s->d, DIAG_E0201, d->name_loc, "rule '%s' is already declared", d->name);
            diag_note(s->d, g, prev->decl->name_loc, "previously declared here");
            if (prev->decl->loc.src != d->loc.src)
                diag_note(s->d, g, no_loc(), "to change an inherited rule, use 'override rule' or 'replace rule'");
            break;
        }
        RuleSym *r = arena_alloc(s->a, sizeof *r);
        r->name = d->name;
        r->decl = d;
        r->clauses = d->clauses;
        GROW(p->rules, p->nrules, 0);
        p->rules[p->nrules++] = r;
        break;
    }
    case D_RENAME:
    case D_SET:
    case D_OVERRIDE:
    case D_REPLACE:
    case D_DISABLE:
        if (!has_parent) {
            diag_report(s->d, DIAG_E0306, d->loc, "'%s' adapts an inherited policy, but this file has no 'extends'",
                        decl_kind_name(d->kind));
            break;
        }
        break; /* applied by adapt() */
    }
}

static bool override_allowed(ClauseKind k)
{
    return k == CL_TAGS || k == CL_CLAUSE || k == CL_SEVERITY || k == CL_EVERY || k == CL_UNLESS ||
           k == CL_MESSAGE || k == CL_DEADLINE;
}

/* Replaces, in r's effective clauses, every clause of each kind the override
 * gives; a kind the rule lacks is added at the end (metadata) or after `every`. */
static void apply_override(Sema *s, RuleSym *r, Decl *d)
{
    bool has_every = false, has_on = false;
    for (int i = 0; i < r->clauses.len; i++) {
        has_every |= r->clauses.items[i]->kind == CL_EVERY;
        has_on |= r->clauses.items[i]->kind == CL_ON;
    }
    for (int i = 0; i < d->clauses.len; i++) {
        RuleClause *c = d->clauses.items[i];
        if (!override_allowed(c->kind)) {
            diag_report(s->d, DIAG_E0218, c->loc,
                        "'override' may change tags, clause, severity, every, unless, message and deadline; "
                        "to change '%s', use 'replace rule %s'", clause_kind_name(c->kind), r->name);
            return;
        }
        if ((c->kind == CL_EVERY || c->kind == CL_UNLESS) && !has_every) {
            diag_report(s->d, DIAG_E0218, c->loc, "rule '%s' is triggered by events ('on'): it has no period to override", r->name);
            return;
        }
        if (c->kind == CL_DEADLINE && !has_on) {
            diag_report(s->d, DIAG_E0218, c->loc, "rule '%s' is periodic: it has no deadline to override", r->name);
            return;
        }
    }
    /* a new `every` keeps the name the rule's clauses use for the period */
    const char *period_name = NULL;
    for (int i = 0; i < r->clauses.len; i++)
        if (r->clauses.items[i]->kind == CL_EVERY) period_name = r->clauses.items[i]->period->var;
    for (int i = 0; i < d->clauses.len; i++) {
        RuleClause *c = d->clauses.items[i];
        if (c->kind != CL_EVERY || !period_name) continue;
        if (!c->period->var) {
            c->period->var = period_name;
        } else if (strcmp(c->period->var, period_name)) {
            diag_report(s->d, DIAG_E0218, c->period->var_loc, "rule '%s' calls its period '%s': write 'as %s'", r->name,
                        period_name, period_name);
            return;
        }
    }
    ClauseList out;
    memset(&out, 0, sizeof out);
    bool done[CL_KIND_COUNT] = {false};
    for (int i = 0; i < r->clauses.len; i++) {
        RuleClause *c = r->clauses.items[i];
        bool replaced = false;
        for (int j = 0; j < d->clauses.len; j++) replaced |= d->clauses.items[j]->kind == c->kind;
        if (!replaced) { AST_PUSH(s->a, out, c); continue; }
        if (done[c->kind]) continue;
        done[c->kind] = true;
        for (int j = 0; j < d->clauses.len; j++)
            if (d->clauses.items[j]->kind == c->kind) AST_PUSH(s->a, out, d->clauses.items[j]);
    }
    for (int j = 0; j < d->clauses.len; j++) {
        RuleClause *c = d->clauses.items[j];
        if (done[c->kind]) continue;
        if (c->kind == CL_UNLESS) {
            /* insert right after `every` */
            ClauseList out2;
            memset(&out2, 0, sizeof out2);
            for (int i = 0; i < out.len; i++) {
                AST_PUSH(s->a, out2, out.items[i]);
                if (out.items[i]->kind == CL_EVERY) AST_PUSH(s->a, out2, c);
            }
            out = out2;
        } else {
            AST_PUSH(s->a, out, c);
        }
    }
    r->clauses = out;
    r->overridden = true;
}

static void adapt(Sema *s, Decl *d, bool *set_here)
{
    Policy *p = s->p;
    switch (d->kind) {
    case D_RENAME: {
        EnumSym *en = d->rename_what == D_ROLE ? p->roles : p->bodies;
        const char *what = d->rename_what == D_ROLE ? "role" : "body";
        EnumMemberSym *m = find_member(en, d->name);
        if (!m) {
            diag_report(s->d, DIAG_E0304, d->name_loc, "there is no %s '%s' to rename", what, d->name);
            break;
        }
        /* a file renames a member once; a later file of the chain may rename it again */
        if (m->alias && m->renamed_in == d->loc.src) {
            diag_report(s->d, DIAG_E0307, d->name_loc, "%s '%s' is already renamed to '%s'", what, d->name, m->alias);
            break;
        }
        if (m->naliases == MAX_RENAMES) {
            diag_report(s->d, DIAG_E0307, d->name_loc, "%s '%s' is renamed more than %d times", what, d->name, MAX_RENAMES);
            break;
        }
        /* onto another member's declared name is a conflict; onto a name another
         * member was renamed to merges the two (both match the new value) */
        EnumMemberSym *other = find_member(en, d->name2);
        if (other && other != m && !strcmp(other->name, d->name2)) {
            Diag *g = diag_report(s->d, DIAG_E0307, d->name2_loc, "'%s' is already a %s of this policy", d->name2, what);
            diag_note(s->d, g, other->loc, "declared here");
            break;
        }
        m->aliases[m->naliases++] = d->name2;
        m->alias = d->name2;
        m->renamed_in = d->loc.src;
        m->value = d->name2;
        break;
    }
    case D_SET: {
        ParamSym *pa = find_param(s, d->name);
        if (!pa) {
            diag_report(s->d, DIAG_E0303, d->name_loc, "there is no parameter '%s' to set", d->name);
            break;
        }
        int idx = 0;
        while (p->params[idx] != pa) idx++;
        if (set_here[idx]) {
            diag_report(s->d, DIAG_E0307, d->name_loc, "parameter '%s' is set twice in this file", d->name);
            break;
        }
        set_here[idx] = true;
        pa->value = d->expr;
        pa->value_loc = d->expr->loc;
        d->sym = (Symbol *)pa;
        break;
    }
    case D_OVERRIDE:
    case D_REPLACE:
    case D_DISABLE: {
        RuleSym *r = find_rule(s, d->name);
        if (!r) {
            diag_report(s->d, DIAG_E0302, d->name_loc, "there is no rule '%s' to %s", d->name, decl_kind_name(d->kind));
            break;
        }
        if (r->disabled) {
            Diag *g = diag_report(s->d, DIAG_E0307, d->name_loc, "rule '%s' is disabled", d->name);
            diag_note(s->d, g, r->disabled_loc, "disabled here");
            break;
        }
        if (d->kind == D_DISABLE) {
            if (!d->text || !d->text[0]) {
                diag_report(s->d, DIAG_E0207, d->text_loc, "a disabled rule needs a reason");
                break;
            }
            r->disabled = true;
            r->disabled_reason = d->text;
            r->disabled_loc = d->loc;
        } else if (d->kind == D_REPLACE) {
            r->decl = d;
            r->clauses = d->clauses;
            r->replaced = true;
        } else {
            apply_override(s, r, d);
        }
        break;
    }
    default:
        break;
    }
}

/* ---- pass B: types of bindings, event types, parameters ---------------------- */

static Type *resolve_typeref(Sema *s, TypeRef *tr)
{
    Type *t = NULL;
    const char *n = tr->name;
    if (!strcmp(n, "text")) t = s->t_text;
    else if (!strcmp(n, "id")) t = s->t_id;
    else if (!strcmp(n, "person")) t = s->t_person;
    else if (!strcmp(n, "time")) t = s->t_time;
    else if (!strcmp(n, "duration")) t = s->t_duration;
    else if (!strcmp(n, "int")) t = s->t_int;
    else if (!strcmp(n, "bool")) t = s->t_bool;
    else if (!strcmp(n, "role")) t = enum_type(s, s->p->roles);
    else if (!strcmp(n, "body")) t = enum_type(s, s->p->bodies);
    else if (!strcmp(n, "weekday")) t = enum_type(s, s->p->weekdays);
    else if (!strcmp(n, "event")) t = event_type(s, ~(uint64_t)0);
    else {
        EnumSym *en = find_enum(s, n);
        if (en) {
            t = enum_type(s, en);
        } else {
            diag_report(s->d, DIAG_E0200, tr->loc, "unknown type '%s' (types: text, id, person, time, duration, int, bool, role, body, or an enum)", n);
            return s->t_error;
        }
    }
    if (tr->is_list) {
        if (!(is_stringish(t) || t->kind == T_PERSON || t->kind == T_ENUM)) {
            diag_report(s->d, DIAG_E0202, tr->loc, "a list of %s cannot be read from a log", type_name(s->a, t));
            return s->t_error;
        }
        t = list_of(s, t);
    }
    return t;
}

static void require_field(Sema *s, TableSym *t, const char *name, TypeKind kind, bool list_ok)
{
    int i = field_index(t, name);
    if (i < 0) {
        diag_report(s->d, DIAG_E0210, t->loc, "%s '%s' needs a field '%s'", t->kind == TABLE_EVENTS ? "event log" : "table",
                    t->name, name);
        return;
    }
    Type *ft = t->fields[i]->type;
    if (is_error(ft)) return;
    if (ft->kind == kind || (kind == T_TEXT && (is_stringish(ft) || ft->kind == T_ENUM)) || (list_ok && ft->kind == T_LIST)) return;
    diag_report(s->d, DIAG_E0202, t->fields[i]->loc, "field '%s' must be of type %s, not %s", name,
                kind == T_ID ? "id" : kind == T_TIME ? "time" : kind == T_PERSON ? "person" : kind == T_ENUM ? "role" : "text",
                type_name(s->a, ft));
}

static void resolve_table_fields(Sema *s, TableSym *t, Decl *d)
{
    for (int i = 0, k = 0; i < d->fields.len && k < t->nfields; i++) {
        if (strcmp(d->fields.items[i]->name, t->fields[k]->name)) continue;
        t->fields[k]->type = resolve_typeref(s, d->fields.items[i]->type);
        k++;
    }
    switch (t->kind) {
    case TABLE_EVENTS:
        require_field(s, t, "id", T_ID, false);
        require_field(s, t, "time", T_TIME, false);
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
                diag_report(s->d, DIAG_E0202, t->fields[t->key]->loc, "the key of table %s cannot be a list", t->name);
        }
        break;
    }
    int ri = field_index(t, "role");
    if (t->kind == TABLE_ROSTER && ri >= 0 && !is_error(t->fields[ri]->type) &&
        (t->fields[ri]->type->kind != T_ENUM || t->fields[ri]->type->en != s->p->roles))
        diag_report(s->d, DIAG_E0202, t->fields[ri]->loc, "the roster's 'role' field must be of type role");
}

/* May an event type narrow a log field of type `log` to `narrow`? */
static bool narrows(const Type *log, const Type *narrow)
{
    if (is_error(log) || is_error(narrow)) return true;
    if (same_type(log, narrow) && log->kind == narrow->kind) return true;
    if (log->kind == T_TEXT && (narrow->kind == T_ENUM || narrow->kind == T_ID || narrow->kind == T_PERSON)) return true;
    if (log->kind == T_LIST && narrow->kind == T_LIST) return narrows(log->elem, narrow->elem);
    return false;
}

static void resolve_event_type(Sema *s, EventTypeSym *ev, Decl *d)
{
    TableSym *log = s->p->events;
    if (!log) {
        diag_report(s->d, DIAG_E0210, d->loc, "event type '%s' is declared, but no 'events' block binds the log", d->name);
        return;
    }
    ev->field_types = arena_alloc(s->a, sizeof(Type *) * (size_t)(log->nfields + 1));
    static const char *always[] = {"id", "time", "type"};
    for (size_t k = 0; k < 3; k++) {
        int i = field_index(log, always[k]);
        if (i >= 0) ev->field_types[i] = log->fields[i]->type;
    }
    for (int j = 0; j < d->fields.len; j++) {
        FieldDecl *fd = d->fields.items[j];
        int i = field_index(log, fd->name);
        if (i < 0) {
            diag_report(s->d, DIAG_E0203, fd->loc, "the event log has no field '%s'", fd->name);
            continue;
        }
        Type *t = log->fields[i]->type;
        if (fd->type) {
            Type *nt = resolve_typeref(s, fd->type);
            if (!narrows(t, nt)) {
                diag_report(s->d, DIAG_E0202, fd->type->loc, "field '%s' is %s in the log; it cannot be read as %s", fd->name,
                            type_name(s->a, t), type_name(s->a, nt));
                nt = s->t_error;
            }
            t = nt;
        }
        ev->field_types[i] = t;
    }
}

/* ---- pass C: expressions ----------------------------------------------------- */

static Type *check_expr(Sema *s, Scope *sc, Expr *e, Type *hint);
static Type *check_def(Sema *s, DefSym *de);

static Scope *bind(Sema *s, Scope *up, const char *name, Type *t, SrcLoc loc, bool warn_unused)
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

static void warn_unused_scope(Sema *s, Scope *from, Scope *to)
{
    for (Scope *v = from; v && v != to; v = v->up)
        if (v->warn_unused && !v->used && v->loc.src == s->leaf)
            diag_report(s->d, DIAG_W0001, v->loc, "variable '%s' is never used", v->name);
}

static Scope *lookup_var(Scope *sc, const char *name)
{
    for (; sc; sc = sc->up)
        if (!strcmp(sc->name, name)) return sc;
    return NULL;
}

static void expect(Sema *s, Type *t, TypeKind k, SrcLoc loc, const char *what)
{
    if (is_error(t) || t->kind == k) return;
    diag_report(s->d, DIAG_E0202, loc, "%s must be %s, not %s", what,
                k == T_BOOL ? "a condition (bool)" : k == T_TIME ? "a time" : k == T_INT ? "an integer" :
                k == T_DURATION ? "a duration" : k == T_PERIOD ? "a period" : "of another type",
                type_name(s->a, t));
}

/* Resolves a bare name that is not a variable: parameter, table or enum member. */
static Type *resolve_global(Sema *s, Expr *e, Type *hint)
{
    ParamSym *pa = find_param(s, e->name);
    if (pa) {
        pa->used = true;
        e->sym = (Symbol *)pa;
        return pa->type ? pa->type : s->t_error;
    }
    TableSym *t = find_table(s, e->name);
    if (t) {
        t->used = true;
        e->sym = (Symbol *)t;
        return table_type(s, T_TABLE, t);
    }
    /* enum members: prefer the enum the context expects */
    EnumMemberSym *found = NULL;
    int nfound = 0;
    if (hint && !is_error(hint)) {
        const Type *h = hint->kind == T_LIST && hint->elem ? hint->elem : hint;
        if (h->kind == T_ENUM) {
            EnumMemberSym *m = find_member(h->en, e->name);
            if (m) { e->sym = (Symbol *)m; return enum_type(s, h->en); }
        }
    }
    for (int i = 0; i < s->p->nenums; i++) {
        EnumMemberSym *m = find_member(s->p->enums[i], e->name);
        if (m) { if (!found) found = m; nfound++; }
    }
    if (nfound > 1) {
        Diag *g = diag_report(s->d, DIAG_E0200, e->loc, "'%s' is ambiguous: it is a value of several enumerations", e->name);
        for (int i = 0; i < s->p->nenums; i++) {
            EnumMemberSym *m = find_member(s->p->enums[i], e->name);
            if (m) diag_note(s->d, g, m->loc, "a value of %s", s->p->enums[i]->name);
        }
        return s->t_error;
    }
    if (found) {
        e->sym = (Symbol *)found;
        return enum_type(s, found->owner);
    }
    if (find_def(s, e->name)) {
        diag_report(s->d, DIAG_E0217, e->loc, "'%s' is a definition: call it with arguments", e->name);
        return s->t_error;
    }
    if (find_event_type(s, e->name)) {
        diag_report(s->d, DIAG_E0217, e->loc, "'%s' is an event type: select events with exists(x: %s where ...)", e->name, e->name);
        return s->t_error;
    }
    diag_report(s->d, DIAG_E0200, e->loc, "unknown name '%s'", e->name);
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
static bool comparable(Sema *s, Expr *ea, Type *a, Expr *eb, Type *b)
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
    return same_type(a, b);
}

static Type *elem_or_self(Type *t) { return t && t->kind == T_LIST && t->elem ? t->elem : t; }

static Type *field_of(Sema *s, Expr *e, Type *obj)
{
    if (is_error(obj)) return s->t_error;
    if (obj->kind == T_EVENT) {
        TableSym *log = s->p->events;
        int i = log ? field_index(log, e->name) : -1;
        if (i < 0) {
            diag_report(s->d, DIAG_E0203, e->name_loc, "events have no field '%s'", e->name);
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
            else if (!(same_type(common, ft) && common->kind == ft->kind)) mixed = true;
        }
        if (!common || mixed || obj->event_mask == ~(uint64_t)0) return log->fields[i]->type;
        return common;
    }
    if (obj->kind == T_ROW || (obj->kind == T_PERIOD && obj->table)) {
        if (obj->kind == T_PERIOD && (!strcmp(e->name, "from") || !strcmp(e->name, "to"))) return s->t_time;
        int i = field_index(obj->table, e->name);
        if (i < 0) {
            diag_report(s->d, DIAG_E0203, e->name_loc, "table %s has no field '%s'", obj->table->name, e->name);
            return s->t_error;
        }
        return obj->table->fields[i]->type ? obj->table->fields[i]->type : s->t_error;
    }
    if (obj->kind == T_PERIOD) {
        if (!strcmp(e->name, "from") || !strcmp(e->name, "to")) return s->t_time;
        diag_report(s->d, DIAG_E0203, e->name_loc, "a period has fields 'from' and 'to', not '%s'", e->name);
        return s->t_error;
    }
    diag_report(s->d, DIAG_E0203, e->name_loc, "a value of type %s has no fields", type_name(s->a, obj));
    return s->t_error;
}

static Type *check_call(Sema *s, Scope *sc, Expr *e)
{
    ExprList *args = &e->args;
    if (e->lhs) { /* method: roster.field(person, role, time) */
        Type *obj = check_expr(s, sc, e->lhs, NULL);
        for (int i = 0; i < args->len; i++) check_expr(s, sc, args->items[i], NULL);
        if (is_error(obj)) return s->t_error;
        if (obj->kind != T_TABLE || obj->table->kind != TABLE_ROSTER) {
            diag_report(s->d, DIAG_E0206, e->name_loc, "'%s(...)' can only be asked of a roster", e->name);
            return s->t_error;
        }
        int fi = field_index(obj->table, e->name);
        if (fi < 0) {
            diag_report(s->d, DIAG_E0203, e->name_loc, "roster %s has no field '%s'", obj->table->name, e->name);
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
        expect(s, t2, T_TIME, args->items[2]->loc, "third argument");
        if (is_error(ft)) return s->t_error;
        return ft->kind == T_LIST ? ft : list_of(s, ft);
    }
    const char *n = e->name;
    if (!strcmp(n, "present") || !strcmp(n, "weekday") || !strcmp(n, "size")) {
        if (args->len != 1) {
            diag_report(s->d, DIAG_E0205, e->loc, "%s() takes 1 argument, not %d", n, args->len);
            for (int i = 0; i < args->len; i++) check_expr(s, sc, args->items[i], NULL);
            return s->t_error;
        }
        Type *t = check_expr(s, sc, args->items[0], NULL);
        if (!strcmp(n, "present")) return s->t_bool;
        if (!strcmp(n, "weekday")) {
            expect(s, t, T_TIME, args->items[0]->loc, "the argument of weekday()");
            return enum_type(s, s->p->weekdays);
        }
        if (!is_error(t) && t->kind != T_LIST)
            diag_report(s->d, DIAG_E0216, args->items[0]->loc, "size() counts a list, not %s", type_name(s->a, t));
        return s->t_int;
    }
    DefSym *de = find_def(s, n);
    if (!de) {
        for (int i = 0; i < args->len; i++) check_expr(s, sc, args->items[i], NULL);
        diag_report(s->d, DIAG_E0206, e->name_loc, "unknown function '%s' (built in: present, weekday, size)", n);
        return s->t_error;
    }
    de->used = true;
    e->sym = (Symbol *)de;
    Type *result = check_def(s, de);
    ParamList *ps = &de->decl->params;
    if (args->len != ps->len) {
        for (int i = 0; i < args->len; i++) check_expr(s, sc, args->items[i], NULL);
        Diag *g = diag_report(s->d, DIAG_E0205, e->loc, "'%s' takes %d argument%s, not %d", n, ps->len, ps->len == 1 ? "" : "s",
                              args->len);
        diag_note(s->d, g, de->decl->name_loc, "defined here");
        return result ? result : s->t_error;
    }
    for (int i = 0; i < args->len; i++) {
        Type *pt = de->param_types ? de->param_types[i] : NULL;
        Type *at = check_expr(s, sc, args->items[i], pt);
        if (pt && !comparable(s, args->items[i], at, args->items[i], pt)) {
            Diag *g = diag_report(s->d, DIAG_E0202, args->items[i]->loc, "argument %d of '%s' must be %s, not %s", i + 1, n,
                                  type_name(s->a, pt), type_name(s->a, at));
            diag_note(s->d, g, ps->items[i]->loc, "parameter declared here");
        }
    }
    return result ? result : s->t_error;
}

static uint64_t event_mask_of(Sema *s, NameList *types)
{
    uint64_t mask = 0;
    for (int i = 0; i < types->len; i++) {
        if (!strcmp(types->names[i], "event")) { mask = ~(uint64_t)0; continue; }
        EventTypeSym *ev = find_event_type(s, types->names[i]);
        if (!ev) {
            diag_report(s->d, DIAG_E0200, types->locs[i], "unknown event type '%s'", types->names[i]);
            return 0;
        }
        mask |= (uint64_t)1 << ev->index;
    }
    return mask;
}

static void check_condition(Sema *s, Scope *sc, Expr *e, const char *what)
{
    Type *t = check_expr(s, sc, e, s->t_bool);
    expect(s, t, T_BOOL, e->loc, what);
    if (e->kind == EX_BOOL && !e->poisoned && !s->d->overflowed)
        diag_report(s->d, DIAG_W0003, e->loc, "%s is always %s", what, e->ival ? "true" : "false");
}

static Type *check_binary(Sema *s, Scope *sc, Expr *e)
{
    ExprOp op = e->op;
    if (op == OP_AND || op == OP_OR) {
        check_condition(s, sc, e->lhs, "operand of 'and'/'or'");
        check_condition(s, sc, e->rhs, "operand of 'and'/'or'");
        return s->t_bool;
    }
    Type *a = check_expr(s, sc, e->lhs, NULL);
    Type *hint = a;
    if (op == OP_IN || op == OP_NOT_IN) hint = is_error(a) || a->kind == T_LIST || a->kind == T_TIME ? NULL : list_of(s, a);
    Type *b = check_expr(s, sc, e->rhs, hint);
    if (is_error(a) || is_error(b)) return op >= OP_EQ && op <= OP_NOT_IN ? s->t_bool : s->t_error;
    const char *an = type_name(s->a, a), *bn = type_name(s->a, b);
    switch (op) {
    case OP_EQ:
    case OP_NE:
        if (a->kind == T_BOOL || !comparable(s, e->lhs, a, e->rhs, b))
            diag_report(s->d, DIAG_E0202, e->loc, "cannot compare %s with %s", an, bn);
        return s->t_bool;
    case OP_LT: case OP_LE: case OP_GT: case OP_GE:
        if (!(a->kind == b->kind && (a->kind == T_TIME || a->kind == T_DURATION || a->kind == T_INT)))
            diag_report(s->d, DIAG_E0202, e->loc, "cannot order %s and %s (times, durations and integers can be ordered)", an, bn);
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
        if (b->elem && !comparable(s, e->lhs, a, e->lhs, b->elem))
            diag_report(s->d, DIAG_E0202, e->loc, "cannot look for %s in a %s", an, bn);
        return s->t_bool;
    case OP_UNION:
    case OP_INTER:
        if (a->kind != T_LIST || b->kind != T_LIST) {
            diag_report(s->d, DIAG_E0216, a->kind != T_LIST ? e->lhs->loc : e->rhs->loc,
                        "'%s' combines lists; write {x} for a single value", op == OP_UNION ? "|" : "&");
            return s->t_error;
        }
        if (!same_type(a, b)) {
            diag_report(s->d, DIAG_E0202, e->loc, "cannot combine %s with %s", an, bn);
            return s->t_error;
        }
        return a->elem ? a : b;
    case OP_MINUS:
        if (a->kind == T_LIST && b->kind == T_LIST) {
            if (!same_type(a, b)) diag_report(s->d, DIAG_E0202, e->loc, "cannot remove %s from %s", bn, an);
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

/* A time the compiled format can hold: an instant of the years 1 to 9999. */
static void check_time_range(Sema *s, const Expr *e)
{
    ZtParsed p = {e->tval.local_seconds, e->tval.has_time, e->tval.has_offset, e->tval.offset_seconds};
    zt_instant t = zt_to_instant(&p, s->p->header.tz_offset);
    if (t < ZT_MIN_TIME || t > ZT_MAX_TIME)
        diag_report(s->d, DIAG_E0400, e->loc, "this time falls %s the years 1 to 9999 (UTC)", t < ZT_MIN_TIME ? "before" : "after");
}

static Type *check_expr_inner(Sema *s, Scope *sc, Expr *e, Type *hint)
{
    switch (e->kind) {
    case EX_NAME: {
        Scope *v = lookup_var(sc, e->name);
        if (v) { v->used = true; return v->type; }
        return resolve_global(s, e, hint);
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
    case EX_FIELD: return field_of(s, e, check_expr(s, sc, e->lhs, NULL));
    case EX_INDEX: {
        Type *t = check_expr(s, sc, e->lhs, NULL);
        if (is_error(t)) { check_expr(s, sc, e->rhs, NULL); return s->t_error; }
        if (t->kind != T_TABLE || t->table->kind != TABLE_KEYED) {
            check_expr(s, sc, e->rhs, NULL);
            diag_report(s->d, DIAG_E0217, e->lhs->loc, "only a keyed table can be indexed with [...], not %s", type_name(s->a, t));
            return s->t_error;
        }
        Type *kt = t->table->key >= 0 ? t->table->fields[t->table->key]->type : NULL;
        Type *it = check_expr(s, sc, e->rhs, kt);
        if (kt && !comparable(s, e->rhs, it, e->rhs, kt))
            diag_report(s->d, DIAG_E0202, e->rhs->loc, "table %s is keyed by %s, not %s", t->table->name, type_name(s->a, kt),
                        type_name(s->a, it));
        return table_type(s, T_ROW, t->table);
    }
    case EX_CALL: return check_call(s, sc, e);
    case EX_UNARY: {
        if (e->op == OP_NOT) { check_condition(s, sc, e->lhs, "operand of 'not'"); return s->t_bool; }
        Type *t = check_expr(s, sc, e->lhs, NULL);
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
            Type *t = check_expr(s, sc, x, first ? first : elem);
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
            else if (!comparable(s, e->args.items[0], first, e->args.items[i], t))
                diag_report(s->d, DIAG_E0202, e->args.items[i]->loc, "a set mixes %s and %s", type_name(s->a, first),
                            type_name(s->a, t));
        }
        return list_of(s, first);
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
        Type *rt = check_expr(s, sc, e->lhs, enum_type(s, s->p->roles));
        Type *at = check_expr(s, sc, e->rhs, NULL);
        if (!is_error(rt) && !(rt->kind == T_ENUM && rt->en == s->p->roles))
            diag_report(s->d, DIAG_E0204, e->lhs->loc, "'%s' needs a role on its left, not %s",
                        e->kind == EX_ROLE_AT ? "at" : "throughout", type_name(s->a, rt));
        if (e->kind == EX_ROLE_AT) expect(s, at, T_TIME, e->rhs->loc, "the right side of 'at'");
        else expect(s, at, T_PERIOD, e->rhs->loc, "the right side of 'throughout'");
        return s->t_persons;
    }
    case EX_SELECT: {
        uint64_t mask = event_mask_of(s, &e->types);
        Type *vt = mask ? event_type(s, mask) : s->t_error;
        Scope *inner = bind(s, sc, e->name, vt, e->name_loc, false);
        if (e->rhs) check_condition(s, inner, e->rhs, "the 'where' condition");
        switch (e->select) {
        case SEL_EXISTS: return s->t_bool;
        case SEL_COUNT: return s->t_int;
        default: return vt;
        }
    }
    }
    return s->t_error;
}

static Type *check_expr(Sema *s, Scope *sc, Expr *e, Type *hint)
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
    if (e->kind == EX_CALL && !e->lhs && e->sym) {
        const DefSym *de = (const DefSym *)e->sym;
        if (de->size > ZL_MAX_EXPANSION) *over = true;
        n += de->size;
    }
    return n > ZL_MAX_EXPANSION ? ZL_MAX_EXPANSION + 1 : n;
}

static Type *check_def(Sema *s, DefSym *de)
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
        de->param_types[i] = resolve_typeref(s, pa->type);
        bool dup = false;
        for (int j = 0; j < i && !dup; j++)
            if (!strcmp(d->params.items[j]->name, pa->name)) {
                Diag *g = diag_report(s->d, DIAG_E0201, pa->loc, "parameter '%s' is declared twice", pa->name);
                diag_note(s->d, g, d->params.items[j]->loc, "previously declared here");
                dup = true;
            }
        if (!dup) sc = bind(s, sc, pa->name, de->param_types[i], pa->loc, true);
    }
    Type *t = check_expr(s, sc, d->expr, NULL);
    warn_unused_scope(s, sc, NULL);
    if (!de->result) de->result = t;
    de->checking = false;
    bool over = false;
    de->size = expanded_size(d->expr, &over);
    if (de->size > ZL_MAX_EXPANSION && !over)
        diag_report(s->d, DIAG_E0406, d->name_loc,
                    "'%s' grows past %d expression nodes when the definitions it calls are written out", de->name, ZL_MAX_EXPANSION);
    return de->result;
}

/* ---- rules --------------------------------------------------------------------- */

/* Binds a table's fields as variables, for `where` filters over its rows. */
static Scope *row_scope(Sema *s, TableSym *t)
{
    Scope *sc = NULL;
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

static TableSym *calendar_table(Sema *s, const char *name, SrcLoc loc)
{
    TableSym *t = find_table(s, name);
    if (!t) {
        diag_report(s->d, DIAG_E0200, loc, "unknown table '%s'", name);
        return NULL;
    }
    t->used = true;
    if (t->kind != TABLE_CALENDAR) {
        Diag *g = diag_report(s->d, DIAG_E0217, loc, "'%s' is not a calendar table", name);
        diag_note(s->d, g, t->loc, "declared here");
        return NULL;
    }
    return t;
}

static void check_filter(Sema *s, TableSym *t, Expr *filter)
{
    if (!t || !filter) return;
    check_condition(s, row_scope(s, t), filter, "the 'where' condition");
}

static Type *check_period(Sema *s, Scope *sc, PeriodSpec *ps)
{
    Type *t = mk_type(s, T_PERIOD);
    switch (ps->kind) {
    case PER_DAY: case PER_WEEK: case PER_MONTH: case PER_YEAR: break;
    case PER_WEEKS: {
        Type *ct = check_expr(s, sc, ps->count, NULL);
        expect(s, ct, T_INT, ps->count->loc, "the number of weeks");
        Expr *n = ps->count;
        if (n->kind == EX_NAME && n->sym && !lookup_var(sc, n->name)) {
            ParamSym *pa = find_param(s, n->name);
            if (pa && pa->value) n = pa->value;
        }
        if (n->kind == EX_INT && n->ival < 1)
            diag_report(s->d, DIAG_E0213, ps->count->loc, "a period of %lld weeks is not a period", (long long)n->ival);
        if (n->kind == EX_INT && n->ival > ZL_MAX_WEEKS)
            diag_report(s->d, DIAG_E0213, ps->count->loc, "a period of %lld weeks is longer than ten years", (long long)n->ival);
        if (ps->anchor) {
            Type *at = check_expr(s, sc, ps->anchor, NULL);
            expect(s, at, T_TIME, ps->anchor->loc, "the anchor of the weeks");
        } else if (ps->table) {
            TableSym *cal = find_table(s, ps->table);
            ParamSym *pa = cal ? NULL : find_param(s, ps->table);
            if (pa && !ps->filter) {
                pa->used = true;
                if (pa->type) expect(s, pa->type, T_TIME, ps->table_loc, "the anchor of the weeks");
            } else {
                check_filter(s, calendar_table(s, ps->table, ps->table_loc), ps->filter);
            }
        }
        break;
    }
    case PER_CALENDAR: {
        TableSym *cal = calendar_table(s, ps->table, ps->table_loc);
        check_filter(s, cal, ps->filter);
        t->table = cal;
        break;
    }
    }
    return t;
}

static void add_text_part(Sema *s, ExprList *parts, const char *from, const char *to, SrcLoc loc)
{
    if (to == from) return;
    /* undouble {{ and }} */
    char *text = arena_alloc(s->a, (size_t)(to - from) + 1);
    size_t n = 0;
    for (const char *q = from; q < to; q++) {
        text[n++] = *q;
        if ((q[0] == '{' || q[0] == '}') && q + 1 < to && q[1] == q[0]) q++;
    }
    text[n] = '\0';
    Expr *e = arena_alloc(s->a, sizeof *e);
    e->kind = EX_STRING;
    e->loc = loc;
    e->text = text;
    e->type = s->t_text;
    AST_PUSH(s->a, *parts, e);
}

/* Checks {name} and {name.field...} placeholders of a message ({{ and }} are
 * braces) and splits it into parts: EX_STRING for text, checked expressions
 * for placeholders, kept in the clause for code generation. */
static void check_template(Sema *s, Scope *sc, RuleClause *c)
{
    const char *text = c->text;
    SrcLoc loc = c->text_loc;
    ExprList parts;
    memset(&parts, 0, sizeof parts);
    const char *p = text, *lit = text;
    while (*p) {
        if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) { p += 2; continue; }
        if (*p == '}') {
            diag_report(s->d, DIAG_E0212, loc, "message has a '}' without '{' (write '}}' for a brace)");
            return;
        }
        if (*p != '{') { p++; continue; }
        add_text_part(s, &parts, lit, p, loc);
        const char *start = ++p;
        while (*p && *p != '}' && *p != '{') p++;
        if (*p != '}') {
            diag_report(s->d, DIAG_E0212, loc, "message has a '{' without '}' (write '{{' for a brace)");
            return;
        }
        char *path = arena_strndup(s->a, start, (size_t)(p - start));
        lit = ++p;
        if (!*path) {
            diag_report(s->d, DIAG_E0212, loc, "message has an empty placeholder {}");
            continue;
        }
        char *dot = strchr(path, '.');
        if (dot) *dot = '\0';
        if (!lookup_var(sc, path) && !find_param(s, path)) {
            diag_report(s->d, DIAG_E0212, loc, "message mentions {%s}, which is not a variable or parameter of this rule", path);
            continue;
        }
        Expr *e = arena_alloc(s->a, sizeof *e);
        e->kind = EX_NAME;
        e->name = path;
        e->loc = e->name_loc = loc;
        while (dot) {
            char *name = dot + 1;
            dot = strchr(name, '.');
            if (dot) *dot = '\0';
            Expr *f = arena_alloc(s->a, sizeof *f);
            f->kind = EX_FIELD;
            f->lhs = e;
            f->name = name;
            f->loc = f->name_loc = loc;
            e = f;
        }
        check_expr(s, sc, e, NULL);
        AST_PUSH(s->a, parts, e);
    }
    add_text_part(s, &parts, lit, p, loc);
    c->list = parts;
}

static void check_rule(Sema *s, RuleSym *r)
{
    int count[CL_KIND_COUNT] = {0};
    RuleClause *firsts[CL_KIND_COUNT] = {0};
    Scope *sc = NULL;
    bool periodic = false, triggered = false;
    int nloops = 0;
    for (int i = 0; i < r->clauses.len; i++) {
        RuleClause *c = r->clauses.items[i];
        count[c->kind]++;
        if (!firsts[c->kind]) firsts[c->kind] = c;
        bool once = c->kind == CL_SEVERITY || c->kind == CL_EVERY || c->kind == CL_ON || c->kind == CL_REQUIRE ||
                    c->kind == CL_DEADLINE || c->kind == CL_MESSAGE || c->kind == CL_SUBJECTS || c->kind == CL_EVIDENCE ||
                    c->kind == CL_UNLESS;
        if (once && count[c->kind] > 1) {
            Diag *g = diag_report(s->d, DIAG_E0208, c->loc, "rule '%s' has more than one '%s'", r->name, clause_kind_name(c->kind));
            diag_note(s->d, g, firsts[c->kind]->loc, "first given here");
            continue;
        }
        if ((c->kind == CL_FOR || c->kind == CL_LET || c->kind == CL_WHEN) && count[CL_REQUIRE]) {
            diag_report(s->d, DIAG_E0218, c->loc, "'%s' must come before 'require'", clause_kind_name(c->kind));
            continue;
        }
        switch (c->kind) {
        case CL_TAGS:
            for (int k = 0; k < c->names.len; k++)
                if (!c->names.names[k][0]) diag_report(s->d, DIAG_E0207, c->names.locs[k], "empty tag");
            break;
        case CL_CLAUSE:
            if (!c->text[0]) diag_report(s->d, DIAG_E0207, c->text_loc, "the clause id is empty");
            if (!c->text2[0]) diag_report(s->d, DIAG_E0207, c->loc, "quote the clause's text after its id");
            break;
        case CL_SEVERITY: r->severity = c->severity; break;
        case CL_EVERY:
        case CL_ON:
            if (periodic || triggered) {
                diag_report(s->d, DIAG_E0208, c->loc, "a rule is either periodic ('every') or triggered by events ('on'), not both");
                break;
            }
            if (sc) {
                diag_report(s->d, DIAG_E0218, c->loc, "'%s' must come before 'for', 'let' and 'when'", clause_kind_name(c->kind));
            }
            if (c->kind == CL_EVERY) {
                periodic = true;
                Type *pt = check_period(s, sc, c->period);
                if (c->period->var) sc = bind(s, sc, c->period->var, pt, c->period->var_loc, false);
            } else {
                triggered = true;
                uint64_t mask = event_mask_of(s, &c->names);
                sc = bind(s, sc, c->var, mask ? event_type(s, mask) : s->t_error, c->var_loc, false);
                if (c->expr) check_condition(s, sc, c->expr, "the 'where' condition");
            }
            break;
        case CL_UNLESS:
            if (!periodic) {
                diag_report(s->d, DIAG_E0218, c->loc, "'unless overlaps' exempts periods: it needs 'every' before it");
                break;
            }
            check_filter(s, calendar_table(s, c->table, c->table_loc), c->expr);
            break;
        case CL_FOR:
            for (int k = 0; k < c->nbindings; k++) {
                Binding *b = c->bindings[k];
                if (++nloops == ZL_MAX_LOOPS + 1)
                    diag_report(s->d, DIAG_E0405, b->loc, "rule too large: more than %d nested loops", ZL_MAX_LOOPS);
                Type *ct = check_expr(s, sc, b->coll, NULL);
                Type *et = s->t_error;
                if (!is_error(ct)) {
                    if (ct->kind != T_LIST) diag_report(s->d, DIAG_E0216, b->coll->loc, "'for' needs a list, not %s", type_name(s->a, ct));
                    else if (ct->elem) et = ct->elem;
                }
                sc = bind(s, sc, b->var, et, b->var_loc, true);
                if (b->var2) {
                    if (!strcmp(b->var, b->var2)) {
                        diag_report(s->d, DIAG_E0201, b->var2_loc, "a pair needs two different names");
                        sc->warn_unused = false;
                    } else {
                        sc = bind(s, sc, b->var2, et, b->var2_loc, true);
                    }
                }
                if (b->filter) check_condition(s, sc, b->filter, "the 'where' condition");
            }
            break;
        case CL_LET:
            sc = bind(s, sc, c->var, check_expr(s, sc, c->expr, NULL), c->var_loc, true);
            break;
        case CL_WHEN:
            check_condition(s, sc, c->expr, "'when'");
            if (c->else_pending && !triggered)
                diag_report(s->d, DIAG_E0218, c->loc, "'else pending' applies to rules triggered by events ('on')");
            break;
        case CL_REQUIRE: check_condition(s, sc, c->expr, "'require'"); break;
        case CL_DEADLINE:
            if (!triggered) diag_report(s->d, DIAG_E0218, c->loc, "'deadline' applies to rules triggered by events ('on')");
            expect(s, check_expr(s, sc, c->expr, NULL), T_TIME, c->expr->loc, "the deadline");
            break;
        case CL_SUBJECTS:
            for (int k = 0; k < c->list.len; k++) {
                Type *t = check_expr(s, sc, c->list.items[k], NULL);
                Type *et = elem_or_self(t);
                if (!is_error(et) && !(et->kind == T_PERSON || is_stringish(et) || et->kind == T_ENUM))
                    diag_report(s->d, DIAG_E0202, c->list.items[k]->loc, "a subject is a person, an id or a text, not %s",
                                type_name(s->a, t));
            }
            break;
        case CL_EVIDENCE:
            for (int k = 0; k < c->list.len; k++) {
                Type *t = check_expr(s, sc, c->list.items[k], NULL);
                if (!is_error(t) && t->kind != T_EVENT)
                    diag_report(s->d, DIAG_E0202, c->list.items[k]->loc, "evidence is an event, not %s", type_name(s->a, t));
            }
            break;
        case CL_MESSAGE: check_template(s, sc, c); break;
        case CL_KIND_COUNT: break;
        }
    }
    SrcLoc at = r->decl->name_loc;
    r->periodic = periodic;
    if (r->clauses.broken || r->decl->clauses.broken || is_broken(s, r->decl->loc.src)) {
        /* a syntax error inside the rule was already reported: its parts may be missing */
        warn_unused_scope(s, sc, NULL);
        return;
    }
    if (!periodic && !triggered)
        diag_report(s->d, DIAG_E0207, at, "rule '%s' says neither when it is judged ('every ...') nor what triggers it ('on ...')", r->name);
    if (!count[CL_REQUIRE]) diag_report(s->d, DIAG_E0207, at, "rule '%s' has no 'require'", r->name);
    if (!count[CL_CLAUSE]) diag_report(s->d, DIAG_E0207, at, "rule '%s' cites no clause ('clause \"id\" \"text\"')", r->name);
    if (!count[CL_SEVERITY]) diag_report(s->d, DIAG_E0207, at, "rule '%s' has no 'severity' (must or in-principle)", r->name);
    if (!count[CL_TAGS]) diag_report(s->d, DIAG_E0207, at, "rule '%s' has no 'tags'", r->name);
    if (!count[CL_MESSAGE] && r->decl->loc.src == s->leaf)
        diag_report(s->d, DIAG_W0004, at, "rule '%s' has no message; reports will show a generic one", r->name);
    r->periodic = periodic;
    warn_unused_scope(s, sc, NULL);
}

/* ---- driver ---------------------------------------------------------------------- */

static void init_builtins(Sema *s)
{
    s->t_error = mk_type(s, T_ERROR);
    s->t_bool = mk_type(s, T_BOOL);
    s->t_int = mk_type(s, T_INT);
    s->t_duration = mk_type(s, T_DURATION);
    s->t_time = mk_type(s, T_TIME);
    s->t_text = mk_type(s, T_TEXT);
    s->t_id = mk_type(s, T_ID);
    s->t_person = mk_type(s, T_PERSON);
    s->t_persons = list_of(s, s->t_person);
    s->t_period = mk_type(s, T_PERIOD);
    SrcLoc none = no_loc();
    s->p->roles = new_enum(s, "role", ENUM_ROLE, none);
    s->p->bodies = new_enum(s, "body", ENUM_BODY, none);
    s->p->weekdays = new_enum(s, "weekday", ENUM_WEEKDAY, none);
    static const char *days[][2] = {{"monday", "星期一"}, {"tuesday", "星期二"}, {"wednesday", "星期三"},
                                    {"thursday", "星期四"}, {"friday", "星期五"}, {"saturday", "星期六"},
                                    {"sunday", "星期日"}};
    for (int i = 0; i < 7; i++) {
        EnumMemberSym *m = add_member(s, s->p->weekdays, days[i][0], arena_printf(s->a, "%d", i + 1), none);
        m->alias = days[i][1];
    }
}

/* A string literal fits text-like parameters only; everything else must match exactly. */
static bool param_value_fits(Sema *s, Expr *v, Type *t, Type *declared)
{
    if (is_error(t) || is_error(declared)) return true;
    if (v->kind == EX_STRING)
        return (is_stringish(declared) || declared->kind == T_PERSON || declared->kind == T_ENUM) && comparable(s, v, t, v, declared);
    return declared->kind == t->kind && same_type(declared, t);
}

static void check_param_value(Sema *s, ParamSym *pa, Decl *d)
{
    Expr *v = pa->value;
    Type *declared = d->type ? resolve_typeref(s, d->type) : NULL;
    bool member = false;
    if (v->kind == EX_NAME)
        for (int i = 0; i < s->p->nenums && !member; i++) member = find_member(s->p->enums[i], v->name) != NULL;
    if (v->kind != EX_STRING && v->kind != EX_INT && v->kind != EX_DURATION && v->kind != EX_TIME && v->kind != EX_BOOL &&
        !member) {
        diag_report(s->d, DIAG_E0202, v->loc, "a parameter's value must be a literal (text, number, duration, date)");
        pa->type = declared ? declared : s->t_error;
        return;
    }
    Type *t = check_expr(s, NULL, v, declared);
    if (!declared) { pa->type = t; return; }
    pa->type = declared;
    if (!param_value_fits(s, v, t, declared))
        diag_report(s->d, DIAG_E0202, v->loc, "parameter '%s' is %s; this value is %s", pa->name, type_name(s->a, declared),
                    type_name(s->a, t));
}

Policy *sema_check(Arena *arena, DiagEngine *diag, AstFile **chain, int nchain)
{
    Sema sema;
    memset(&sema, 0, sizeof sema);
    Sema *s = &sema;
    s->a = arena;
    s->d = diag;
    s->p = arena_alloc(arena, sizeof(Policy));
    s->p->header.tz_offset = 0;
    s->leaf = chain[nchain - 1]->src;
    for (int i = 0; i < nchain && s->nbroken < 32; i++)
        if (chain[i]->syntax_errors) s->broken[s->nbroken++] = chain[i]->src;
    init_builtins(s);
    s->p->files = arena_alloc(arena, sizeof(Source *) * (size_t)nchain);
    for (int i = 0; i < nchain; i++) s->p->files[s->p->nfiles++] = chain[i]->src;

    /* Pass A: declarations, then each file's adaptations, root first. */
    for (int f = 0; f < nchain; f++) {
        AstFile *file = chain[f];
        s->in_leaf = f == nchain - 1;
        s->header_seen = false;
        bool root_header = false;
        for (int i = 0; i < file->decls.len; i++) {
            Decl *d = file->decls.items[i];
            if (d->kind == D_POLICY) root_header = true;
            declare(s, d, f == 0, f > 0);
        }
        if (f == 0 && !root_header && !file->syntax_errors) {
            SrcLoc at = {file->src, 1, 1, 1, 1, 0, 0};
            diag_report(s->d, DIAG_E0209, at, "no policy header: start the file with 'policy NAME { title ... document ... effective ... timezone ... }'");
        }
        if (f > 0) {
            bool *set_here = arena_alloc(arena, sizeof(bool) * (size_t)(s->p->nparams + 1));
            for (int i = 0; i < file->decls.len; i++) adapt(s, file->decls.items[i], set_here);
        }
    }
    /* Pass B: types of bindings and event types, in declaration order. */
    for (int f = 0; f < nchain; f++) {
        AstFile *file = chain[f];
        for (int i = 0; i < file->decls.len; i++) {
            Decl *d = file->decls.items[i];
            if (d->kind == D_EVENTS && s->p->events && s->p->events->loc.off == d->loc.off &&
                s->p->events->loc.src == d->loc.src)
                resolve_table_fields(s, s->p->events, d);
            if (d->kind == D_ROSTER || d->kind == D_TABLE || d->kind == D_CALENDAR) {
                TableSym *t = find_table(s, d->name);
                if (t && t->loc.off == d->name_loc.off && t->loc.src == d->name_loc.src) resolve_table_fields(s, t, d);
            }
        }
    }
    for (int f = 0; f < nchain; f++) {
        AstFile *file = chain[f];
        for (int i = 0; i < file->decls.len; i++) {
            Decl *d = file->decls.items[i];
            if (d->kind == D_EVENT && d->sym) resolve_event_type(s, (EventTypeSym *)d->sym, d);
        }
    }
    /* Pass C: parameter values (the declaration's type, the effective value). */
    for (int f = 0; f < nchain; f++) {
        AstFile *file = chain[f];
        for (int i = 0; i < file->decls.len; i++) {
            Decl *d = file->decls.items[i];
            if (d->kind == D_PARAM && d->sym) {
                ParamSym *pa = (ParamSym *)d->sym;
                Expr *effective = pa->value;
                pa->value = d->expr;
                check_param_value(s, pa, d);
                if (effective != d->expr) {
                    Type *declared = pa->type;
                    Type *t = check_expr(s, NULL, effective, declared);
                    if (!param_value_fits(s, effective, t, declared))
                        diag_report(s->d, DIAG_E0202, effective->loc, "parameter '%s' is %s; this value is %s", pa->name,
                                    type_name(s->a, declared), type_name(s->a, t));
                    pa->value = effective;
                }
            }
        }
    }
    PolicyHeader *h = &s->p->header;
    int64_t effective = h->effective_local - h->tz_offset;
    if (h->has_effective && (effective < ZT_MIN_TIME || effective > ZT_MAX_TIME))
        diag_report(s->d, DIAG_E0400, h->effective_loc, "the effective date falls %s the years 1 to 9999 (UTC)",
                    effective < ZT_MIN_TIME ? "before" : "after");
    for (int i = 0; i < s->p->ndefs; i++) check_def(s, s->p->defs[i]);
    for (int i = 0; i < s->p->nrules; i++) {
        RuleSym *r = s->p->rules[i];
        check_rule(s, r);
    }
    /* Unused declarations of the file being checked. */
    for (int i = 0; i < s->p->nparams; i++)
        if (!s->p->params[i]->used && s->p->params[i]->from_leaf)
            diag_report(s->d, DIAG_W0001, s->p->params[i]->loc, "parameter '%s' is never used", s->p->params[i]->name);
    for (int i = 0; i < s->p->ndefs; i++)
        if (!s->p->defs[i]->used && s->p->defs[i]->from_leaf)
            diag_report(s->d, DIAG_W0001, s->p->defs[i]->decl->name_loc, "definition '%s' is never used", s->p->defs[i]->name);
    for (int i = 0; i < s->p->ntables; i++)
        if (!s->p->tables[i]->used && s->p->tables[i]->from_leaf)
            diag_report(s->d, DIAG_W0001, s->p->tables[i]->loc, "table '%s' is never used", s->p->tables[i]->name);
    return s->p;
}
