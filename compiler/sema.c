/* sema.c - semantic analysis: the driver that runs the passes over an extends
 * chain (sema_int.h names the files of the passes), and what they all use:
 * types, the symbol table of global names, enumerations and their members.
 * Reports errors with codes from diag_codes.def and never stops at the first:
 * an expression whose type could not be found gets T_ERROR, which silences
 * every later complaint about it (no cascades). */
#include "sema_int.h"

#include <stdlib.h>

#include "../runtime/ztime.h"

/* ---- types ----------------------------------------------------------------- */

Type *sema_type(Sema *s, TypeKind k)
{
    Type *t = arena_alloc(s->a, sizeof *t);
    t->kind = k;
    return t;
}

Type *sema_list_of(Sema *s, Type *elem)
{
    Type *t = sema_type(s, T_LIST);
    t->elem = elem;
    return t;
}

Type *sema_enum_type(Sema *s, EnumSym *en)
{
    Type *t = sema_type(s, T_ENUM);
    t->en = en;
    return t;
}

Type *sema_event_type(Sema *s, uint64_t mask)
{
    Type *t = sema_type(s, T_EVENT);
    t->event_mask = mask;
    return t;
}

Type *sema_table_type(Sema *s, TypeKind k, TableSym *tab)
{
    Type *t = sema_type(s, k);
    t->table = tab;
    return t;
}


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
bool sema_same_type(const Type *a, const Type *b)
{
    if (is_error(a) || is_error(b)) return true;
    if (is_stringish(a) && is_stringish(b)) return true;
    if (a->kind != b->kind) return false;
    switch (a->kind) {
    case T_ENUM: return a->en == b->en;
    case T_LIST: return !a->elem || !b->elem || sema_same_type(a->elem, b->elem);
    case T_ROW: case T_TABLE: return a->table == b->table;
    default: return true;
    }
}

/* ---- symbol table ----------------------------------------------------------- */

static void symtab_init(SymTab *t)
{
    memset(t, 0, sizeof *t);
    strtab_init(&t->names);
}

static void symtab_free(SymTab *t)
{
    strtab_free(&t->names);
    memset(t, 0, sizeof *t);
}

static Symbol *lookup(const SymTab *t, bool rules, const char *name)
{
    StrId id = strtab_find(&t->names, name, strlen(name));
    if (id >= t->cap) return NULL;
    return rules ? t->rules[id] : t->globals[id];
}

void *sema_find(const Sema *s, SymKind kind, const char *name)
{
    return sym_as(lookup(&s->syms, kind == SYM_RULE, name), kind);
}

bool sema_add(Sema *s, Symbol *sym, const char *name)
{
    SymTab *t = &s->syms;
    StrId id = strtab_intern(&t->names, name, strlen(name));
    if (id >= t->cap) {
        uint32_t cap = t->cap ? t->cap : 64;
        while (cap <= id) cap *= 2;
        Symbol **globals = arena_alloc(s->a, sizeof(Symbol *) * cap), **rules = arena_alloc(s->a, sizeof(Symbol *) * cap);
        memset(globals, 0, sizeof(Symbol *) * cap);
        memset(rules, 0, sizeof(Symbol *) * cap);
        if (t->cap) {
            memcpy(globals, t->globals, sizeof(Symbol *) * t->cap);
            memcpy(rules, t->rules, sizeof(Symbol *) * t->cap);
        }
        t->globals = globals;
        t->rules = rules;
        t->cap = cap;
    }
    Symbol **slot = sym->kind == SYM_RULE ? &t->rules[id] : &t->globals[id];
    if (*slot) return false;
    *slot = sym;
    return true;
}

/* Where a global symbol is declared. */
static SrcLoc symbol_loc(const Symbol *sym)
{
    switch (sym->kind) {
    case SYM_ENUM: return ((const EnumSym *)sym)->loc;
    case SYM_TABLE: return ((const TableSym *)sym)->loc;
    case SYM_EVENT_TYPE: return ((const EventTypeSym *)sym)->loc;
    case SYM_PARAM: return ((const ParamSym *)sym)->loc;
    case SYM_DEF: return ((const DefSym *)sym)->decl->name_loc;
    case SYM_RULE: return ((const RuleSym *)sym)->decl->name_loc;
    case SYM_MEMBER: return ((const EnumMemberSym *)sym)->loc;
    }
    return sema_no_loc();
}

EnumMemberSym *sema_find_member(EnumSym *en, const char *name)
{
    for (int i = 0; i < en->nmembers; i++) {
        EnumMemberSym *m = en->members[i];
        if (!strcmp(m->name, name) || (m->alias && !strcmp(m->alias, name))) return m;
        for (int k = 0; k < m->naliases; k++)
            if (!strcmp(m->aliases[k], name)) return m;
    }
    return NULL;
}

int sema_field_index(const TableSym *t, const char *name)
{
    for (int i = 0; t && i < t->nfields; i++)
        if (!strcmp(t->fields[i]->name, name)) return i;
    return -1;
}

bool sema_is_broken(const Sema *s, const Source *src)
{
    for (int i = 0; i < s->nbroken; i++)
        if (s->broken[i] == src) return true;
    return false;
}

SrcLoc sema_no_loc(void)
{
    SrcLoc l;
    memset(&l, 0, sizeof l);
    return l;
}

/* Where a top-level type-level name is already declared, for E0201. */
static bool type_name_taken(Sema *s, const char *name, SrcLoc *prev)
{
    const Symbol *sym = lookup(&s->syms, false, name);
    if (sym) { *prev = symbol_loc(sym); return true; }
    static const char *builtin[] = {"text", "id", "person", "time", "duration", "int", "bool",
                                    "role", "body", "event", "weekday", "present", "size"};
    for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
        if (!strcmp(builtin[i], name)) { *prev = sema_no_loc(); return true; }
    return false;
}

bool sema_check_new_name(Sema *s, const char *name, SrcLoc loc, const char *what)
{
    SrcLoc prev;
    if (!type_name_taken(s, name, &prev)) return true;
    Diag *g = diag_report(s->d, DIAG_E0201, loc, "%s '%s' is already declared", what, name);
    if (prev.src) diag_note(s->d, g, prev, "previously declared here");
    else diag_note(s->d, g, prev, "'%s' is a built-in name", name);
    return false;
}

EnumSym *sema_new_enum(Sema *s, const char *name, EnumKind kind, SrcLoc loc)
{
    EnumSym *en = arena_alloc(s->a, sizeof *en);
    en->sym.kind = SYM_ENUM;
    en->name = name;
    en->kind = kind;
    en->loc = loc;
    GROW(s->p->enums, s->p->nenums);
    s->p->enums[s->p->nenums++] = en;
    sema_add(s, &en->sym, name);
    return en;
}

EnumMemberSym *sema_add_member(Sema *s, EnumSym *en, const char *name, const char *value, SrcLoc loc)
{
    EnumMemberSym *prev = sema_find_member(en, name);
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
    m->sym.kind = SYM_MEMBER;
    m->name = name;
    m->value = value;
    m->loc = loc;
    m->owner = en;
    GROW(en->members, en->nmembers);
    en->members[en->nmembers++] = m;
    return m;
}

/* ---- driver ---------------------------------------------------------------------- */

static void init_builtins(Sema *s)
{
    s->t_error = sema_type(s, T_ERROR);
    s->t_bool = sema_type(s, T_BOOL);
    s->t_int = sema_type(s, T_INT);
    s->t_duration = sema_type(s, T_DURATION);
    s->t_time = sema_type(s, T_TIME);
    s->t_text = sema_type(s, T_TEXT);
    s->t_id = sema_type(s, T_ID);
    s->t_person = sema_type(s, T_PERSON);
    s->t_persons = sema_list_of(s, s->t_person);
    SrcLoc none = sema_no_loc();
    s->p->roles = sema_new_enum(s, "role", ENUM_ROLE, none);
    s->p->bodies = sema_new_enum(s, "body", ENUM_BODY, none);
    s->p->weekdays = sema_new_enum(s, "weekday", ENUM_WEEKDAY, none);
    static const char *days[][2] = {{"monday", "星期一"}, {"tuesday", "星期二"}, {"wednesday", "星期三"},
                                    {"thursday", "星期四"}, {"friday", "星期五"}, {"saturday", "星期六"},
                                    {"sunday", "星期日"}};
    for (int i = 0; i < 7; i++) {
        EnumMemberSym *m = sema_add_member(s, s->p->weekdays, days[i][0], arena_printf(s->a, "%d", i + 1), none);
        m->alias = days[i][1];
    }
}

Policy *sema_check(Arena *arena, DiagEngine *diag, AstFile **chain, int nchain)
{
    Sema sema;
    memset(&sema, 0, sizeof sema);
    Sema *s = &sema;
    s->a = arena;
    s->d = diag;
    s->p = arena_alloc(arena, sizeof(Policy));
    symtab_init(&s->syms);
    s->p->header.tz_offset = 0;
    s->leaf = chain[nchain - 1]->src;
    for (int i = 0; i < nchain && s->nbroken < 32; i++)
        if (chain[i]->syntax_errors) s->broken[s->nbroken++] = chain[i]->src;
    init_builtins(s);
    s->p->files = arena_alloc(arena, sizeof(Source *) * (size_t)nchain);
    for (int i = 0; i < nchain; i++) s->p->files[s->p->nfiles++] = chain[i]->src;

    /* Pass A: declarations, then each file's adaptations, root first. */
    const char **docs = arena_alloc(arena, sizeof(char *) * (size_t)nchain); /* the document as of each file */
    for (int f = 0; f < nchain; f++) {
        AstFile *file = chain[f];
        s->in_leaf = f == nchain - 1;
        s->header_seen = false;
        bool root_header = false;
        for (int i = 0; i < file->decls.len; i++) {
            Decl *d = file->decls.items[i];
            if (d->kind == D_POLICY) root_header = true;
            sema_declare(s, d, f == 0, f > 0);
        }
        if (f == 0 && !root_header && !file->syntax_errors) {
            SrcLoc at = {file->src, 1, 1, 1, 1, 0, 0};
            diag_report(s->d, DIAG_E0209, at, "no policy header: start the file with 'policy NAME { title ... document ... effective ... timezone ... }'");
        }
        if (f > 0) {
            bool *set_here = arena_alloc(arena, sizeof(bool) * (size_t)(s->p->nparams + 1));
            for (int i = 0; i < file->decls.len; i++) sema_adapt(s, file->decls.items[i], set_here);
        }
        docs[f] = s->p->header.document;
    }
    /* Pass B: types of bindings and event types, in declaration order. */
    for (int f = 0; f < nchain; f++) {
        AstFile *file = chain[f];
        for (int i = 0; i < file->decls.len; i++) {
            Decl *d = file->decls.items[i];
            if (d->kind == D_EVENTS && s->p->events && s->p->events->loc.off == d->loc.off &&
                s->p->events->loc.src == d->loc.src)
                sema_resolve_table_fields(s, s->p->events, d);
            if (d->kind == D_ROSTER || d->kind == D_TABLE || d->kind == D_CALENDAR) {
                TableSym *t = sema_find(s, SYM_TABLE, d->name);
                if (t && t->loc.off == d->name_loc.off && t->loc.src == d->name_loc.src) sema_resolve_table_fields(s, t, d);
            }
        }
    }
    for (int f = 0; f < nchain; f++) {
        AstFile *file = chain[f];
        for (int i = 0; i < file->decls.len; i++) {
            Decl *d = file->decls.items[i];
            if (d->kind == D_EVENT && d->sym) sema_resolve_event_type(s, sym_as(d->sym, SYM_EVENT_TYPE), d);
        }
    }
    PolicyHeader *h = &s->p->header;
    int64_t effective = h->effective_local - h->tz_offset;
    if (h->has_effective && (effective < ZT_MIN_TIME || effective > ZT_MAX_TIME))
        diag_report(s->d, DIAG_E0400, h->effective_loc, "the effective date falls %s the years 1 to 9999 (UTC)",
                    effective < ZT_MIN_TIME ? "before" : "after");
    /* Pass C: parameter values (the declaration's type, the effective value). */
    sema_check_params(s, chain, nchain);
    for (int i = 0; i < s->p->ndefs; i++) sema_check_def(s, s->p->defs[i]);
    for (int i = 0; i < s->p->nrules; i++) {
        RuleSym *r = s->p->rules[i];
        sema_check_rule(s, r);
    }
    sema_cite_followed(s, chain, docs, nchain);
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
    symtab_free(&s->syms);
    return s->p;
}
