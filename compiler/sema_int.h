/* sema_int.h - what the passes of semantic analysis share and nothing else
 * includes: the analysis state, variable scopes, the symbol table of global
 * names, and the helpers each pass uses from the others. Files: sema.c (the
 * driver, calling the passes), sema_sym.c (types, names; calls no pass),
 * sema_decl.c (declarations and adaptation),
 * sema_bind.c (binding types and parameter values), sema_expr.c
 * (expressions and definitions), sema_rule.c (rules and templates). */
#ifndef ZD_SEMA_INT_H
#define ZD_SEMA_INT_H
#include <string.h>

#include "sema.h"
#include "suggest.h"
#include "strtab.h"

typedef struct Scope {
    const char *name;
    Type *type;
    SrcLoc loc;
    bool used;
    bool warn_unused;
    struct Scope *up;
} Scope;

/* Global names in two namespaces (rules apart from everything else), each a
 * map from the name's id in `names` to its symbol. */
typedef struct SymTab {
    StrTab names;
    Symbol **globals, **rules;
    uint32_t cap;
} SymTab;

typedef struct Sema {
    Arena *a;
    DiagEngine *d;
    Policy *p;
    SymTab syms;
    const Source *leaf;
    Type *t_error, *t_bool, *t_int, *t_duration, *t_time, *t_text, *t_id, *t_person;
    Type *t_persons;
    bool header_seen;
    bool in_leaf;
    bool roster_reported;
    SrcLoc header_loc;
    const TableSym *row_table; /* checking a filter over this calendar's rows (bare field names) */
    const Source *broken[32]; /* files with syntax errors: completeness is not judged there */
    int nbroken;
} Sema;

/* Makes room for arr[n]. Capacity doubles (at n = 0, 1, 2, 4, 8, ...): growing
 * by one each time made n declarations cost O(n^2) arena memory. */
#define GROW(arr, n)                                                                    \
    do {                                                                                \
        if ((n) & ((n) - 1)) break; /* n is not 0 or a power of two: room is left */    \
        void *grown_ = arena_alloc(s->a, sizeof(*(arr)) * (size_t)((n) ? 2 * (n) : 1)); \
        if (n) memcpy(grown_, (arr), sizeof(*(arr)) * (size_t)(n));                     \
        (arr) = grown_;                                                                 \
    } while (0)

static inline bool is_error(const Type *t) { return !t || t->kind == T_ERROR; }
static inline bool is_stringish(const Type *t) { return t->kind == T_TEXT || t->kind == T_ID; }
static inline Type *elem_or_self(Type *t) { return t && t->kind == T_LIST && t->elem ? t->elem : t; }

/* sema_sym.c: types */
Type *sema_type(Sema *s, TypeKind k);
Type *sema_list_of(Sema *s, Type *elem);
Type *sema_enum_type(Sema *s, EnumSym *en);
Type *sema_event_type(Sema *s, uint64_t mask);
Type *sema_table_type(Sema *s, TypeKind k, TableSym *tab);
bool sema_same_type(const Type *a, const Type *b);
/* sema_sym.c: names. sema_find gives the global symbol of that kind called name
 * (rules have their own namespace), sema_add declares one (false when the
 * name is taken in its namespace). */
void *sema_find(const Sema *s, SymKind kind, const char *name);
bool sema_add(Sema *s, Symbol *sym, const char *name);
EnumMemberSym *sema_find_member(EnumSym *en, const char *name);
/* sema_sym.c: "did you mean": offer the global names of a kind, an enumeration's values
 * (as renamed), a table's fields or the variables in scope, then attach the
 * nearest as a note to g (nothing when none is near). */
void sema_offer_globals(const Sema *s, Suggest *sg, SymKind kind);
void sema_offer_members(Suggest *sg, const EnumSym *en);
void sema_offer_fields(Suggest *sg, const TableSym *t);
void sema_offer_scope(Suggest *sg, const Scope *sc);
void sema_did_you_mean(Sema *s, Diag *g, const Suggest *sg);
bool sema_is_broken(const Sema *s, const Source *src);
SrcLoc sema_no_loc(void);
bool sema_check_new_name(Sema *s, const char *name, SrcLoc loc, MsgId what);
EnumSym *sema_new_enum(Sema *s, const char *name, EnumKind kind, SrcLoc loc);
EnumMemberSym *sema_add_member(Sema *s, EnumSym *en, const char *name, const char *value, SrcLoc loc);
void sema_symtab_init(SymTab *t);
void sema_symtab_free(SymTab *t);
/* sema_sym.c: the type a declaration names (text, id, ..., an enum, a list) */
Type *sema_resolve_typeref(Sema *s, TypeRef *tr);
/* sema_decl.c: pass A */
void sema_declare(Sema *s, Decl *d, bool is_root, bool has_parent);
void sema_adapt(Sema *s, Decl *d, bool *set_here);
void sema_cite_followed(Sema *s, AstFile **chain, const char **docs, int nchain);
/* sema_bind.c: pass B and parameter values */
void sema_resolve_table_fields(Sema *s, TableSym *t, Decl *d);
void sema_resolve_event_type(Sema *s, EventTypeSym *ev, Decl *d);
void sema_check_params(Sema *s, AstFile **chain, int nchain);
/* sema_expr.c: expressions and definitions */
Type *sema_check_expr(Sema *s, Scope *sc, Expr *e, Type *hint);
void sema_check_condition(Sema *s, Scope *sc, Expr *e, MsgId what);
Type *sema_check_def(Sema *s, DefSym *de);
Scope *sema_bind(Sema *s, Scope *up, const char *name, Type *t, SrcLoc loc, bool warn_unused);
void sema_warn_unused(Sema *s, Scope *from, Scope *to);
Scope *sema_lookup_var(Scope *sc, const char *name);
Scope *sema_row_scope(Sema *s, const TableSym *t, Scope *up);
void sema_expect(Sema *s, Type *t, TypeKind k, SrcLoc loc, MsgId what);
bool sema_comparable(Sema *s, Expr *ea, Type *a, Expr *eb, Type *b);
uint64_t sema_check_event_types(Sema *s, NameList *types);
/* sema_rule.c: rules */
void sema_check_rule(Sema *s, RuleSym *r);

#endif
