/* sema_sym.c - what every pass of semantic analysis uses and which calls no
 * pass back: types, type names written in declarations, the symbol table of
 * global names, enumerations and their members. The driver (sema.c) and the
 * passes call in here; nothing here calls out to them. */
#include "sema_int.h"

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

void sema_symtab_init(SymTab *t)
{
    memset(t, 0, sizeof *t);
    strtab_init(&t->names);
}

void sema_symtab_free(SymTab *t)
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
    if (t->names.failed) diag_out_of_memory();
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

void sema_offer_globals(const Sema *s, Suggest *sg, SymKind kind)
{
    Symbol **syms = kind == SYM_RULE ? s->syms.rules : s->syms.globals;
    for (uint32_t id = 0; id < s->syms.cap; id++)
        if (syms[id] && syms[id]->kind == kind) suggest_offer(sg, strtab_str(&s->syms.names, id));
}

void sema_offer_members(Suggest *sg, const EnumSym *en)
{
    for (int i = 0; en && i < en->nmembers; i++) {
        suggest_offer(sg, en->members[i]->name);
        suggest_offer(sg, en->members[i]->alias);
    }
}

void sema_offer_fields(Suggest *sg, const TableSym *t)
{
    for (int i = 0; t && i < t->nfields; i++) suggest_offer(sg, t->fields[i]->name);
}

void sema_offer_scope(Suggest *sg, const Scope *sc)
{
    for (; sc; sc = sc->up) suggest_offer(sg, sc->name);
}

void sema_did_you_mean(Sema *s, Diag *g, const Suggest *sg)
{
    const char *best = suggest_result(sg);
    if (g && best) diag_note(s->d, g, sema_no_loc(), D_DID_YOU_MEAN, best);
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

bool sema_check_new_name(Sema *s, const char *name, SrcLoc loc, MsgId what)
{
    SrcLoc prev;
    if (!type_name_taken(s, name, &prev)) return true;
    Diag *g = diag_report(s->d, DIAG_E0201, loc, D_ALREADY_DECLARED, diag_word(what), name);
    if (prev.src) diag_note(s->d, g, prev, D_PREVIOUSLY_DECLARED_HERE);
    else diag_note(s->d, g, prev, D_BUILT_NAME, name);
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
        Diag *g = diag_report(s->d, DIAG_E0201, loc, D_ALREADY_A, name,
                              diag_word(en->kind == ENUM_ROLE ? D_W_ROLE : en->kind == ENUM_BODY ? D_W_BODY : D_W_ENUM_VALUE));
        diag_note(s->d, g, prev->loc, D_PREVIOUSLY_DECLARED_HERE);
        return NULL;
    }
    for (int i = 0; i < en->nmembers; i++)
        if (!strcmp(en->members[i]->value, value)) {
            Diag *g = diag_report(s->d, DIAG_E0201, loc, D_TWO_MEMBERS_STAND_FOR_SAME, value);
            diag_note(s->d, g, en->members[i]->loc, D_PREVIOUSLY_DECLARED_HERE);
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

/* ---- type names written in declarations ----------------------------------- */

Type *sema_resolve_typeref(Sema *s, TypeRef *tr)
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
    else if (!strcmp(n, "role")) t = sema_enum_type(s, s->p->roles);
    else if (!strcmp(n, "body")) t = sema_enum_type(s, s->p->bodies);
    else if (!strcmp(n, "weekday")) t = sema_enum_type(s, s->p->weekdays);
    else if (!strcmp(n, "event")) t = sema_event_type(s, ~(uint64_t)0);
    else {
        EnumSym *en = sema_find(s, SYM_ENUM, n);
        if (en) {
            t = sema_enum_type(s, en);
        } else {
            Diag *g = diag_report(s->d, DIAG_E0200, tr->loc, D_UNKNOWN_TYPE_TYPES_TEXT_ID, n);
            static const char *const builtin[] = {"text", "id", "person", "time", "duration", "int", "bool", "role", "body", "weekday", "event"};
            Suggest sg;
            suggest_init(&sg, n);
            for (size_t k = 0; k < sizeof builtin / sizeof *builtin; k++) suggest_offer(&sg, builtin[k]);
            sema_offer_globals(s, &sg, SYM_ENUM);
            sema_did_you_mean(s, g, &sg);
            return s->t_error;
        }
    }
    if (tr->is_list) {
        if (!(is_stringish(t) || t->kind == T_PERSON || t->kind == T_ENUM)) {
            diag_report(s->d, DIAG_E0202, tr->loc, D_LIST_CANNOT_READ_FROM_LOG, type_name(s->a, t));
            return s->t_error;
        }
        t = sema_list_of(s, t);
    }
    return t;
}
