/* sema.h - the checked policy: symbols, types and the effective rules after
 * resolving `extends`, renames, parameter settings, overrides and disables.
 * sema_check() fills a Policy from the parsed files of one extends chain and
 * reports every error it can find; codegen lowers a Policy without errors.
 * All memory is in the compilation's arena. */
#ifndef ZD_SEMA_H
#define ZD_SEMA_H
#include <stdbool.h>
#include <stdint.h>
#include "ast.h"
#include "limits.h"

typedef enum TypeKind {
    T_ERROR,    /* already reported: suppresses cascades */
    T_BOOL, T_INT, T_DURATION, T_TIME, T_TEXT, T_ID, T_PERSON,
    T_ENUM,     /* en */
    T_LIST,     /* elem; elem NULL = the empty set literal {} */
    T_EVENT,    /* event_mask: which event types the value may be */
    T_ROW,      /* a row of table */
    T_TABLE,    /* the table itself (indexing, method calls) */
    T_PERIOD,   /* a judged period; table set when it comes from a calendar */
} TypeKind;

typedef struct EnumSym EnumSym;
typedef struct TableSym TableSym;

/* What a name stands for. Every symbol struct below starts with a Symbol, so
 * a Symbol * (what the AST's `sym` fields hold) says which struct it is. */
typedef enum SymKind { SYM_ENUM, SYM_MEMBER, SYM_TABLE, SYM_EVENT_TYPE, SYM_PARAM, SYM_DEF, SYM_RULE } SymKind;
struct Symbol {
    SymKind kind;
};

struct Type {
    TypeKind kind;
    Type *elem;
    EnumSym *en;
    uint64_t event_mask;
    TableSym *table;
};

enum { MAX_RENAMES = 8 };

typedef struct EnumMemberSym {
    Symbol sym;          /* SYM_MEMBER */
    const char *name;    /* as declared */
    const char *value;   /* the value in the log (changed by rename) */
    const char *alias;   /* the latest name given by rename, if any */
    const char *aliases[MAX_RENAMES]; /* every name given along an extends chain */
    int naliases;
    const Source *renamed_in; /* the file of the latest rename */
    SrcLoc loc;
    EnumSym *owner;
} EnumMemberSym;

typedef enum EnumKind { ENUM_USER, ENUM_ROLE, ENUM_BODY, ENUM_WEEKDAY } EnumKind;

struct EnumSym {
    Symbol sym;           /* SYM_ENUM */
    const char *name;
    EnumKind kind;
    SrcLoc loc;
    EnumMemberSym **members;
    int nmembers, cap;
};

typedef struct FieldSym {
    const char *name;
    const char *column;
    Type *type;
    bool optional;
    SrcLoc loc;
} FieldSym;

typedef enum TableKind { TABLE_EVENTS, TABLE_ROSTER, TABLE_KEYED, TABLE_CALENDAR } TableKind;

struct TableSym {
    Symbol sym;           /* SYM_TABLE */
    const char *name;     /* the policy's name for it */
    const char *table;    /* the data set's table name */
    TableKind kind;
    FieldSym **fields;
    int nfields;
    int key;              /* TABLE_KEYED: index of the key field */
    int id_field, time_field; /* TABLE_EVENTS: the indexes of id and time, for code generation */
    int index;            /* in Policy.tables (the event log: -1) */
    SrcLoc loc;
    bool used;
    bool from_leaf;       /* declared in the file being checked (for W0001) */
};

typedef struct EventTypeSym {
    Symbol sym;           /* SYM_EVENT_TYPE */
    const char *name;
    const char *value;    /* events.type value */
    int index;            /* bit in event masks */
    Type **field_types;   /* per events-table field: NULL when not carried */
    SrcLoc loc;
} EventTypeSym;

typedef struct ParamSym {
    Symbol sym;           /* SYM_PARAM */
    int index;            /* in Policy.params */
    const char *name;
    Type *type;
    Expr *value;          /* effective value (after `set`) */
    SrcLoc loc, value_loc;
    bool used, from_leaf;
} ParamSym;

typedef struct DefSym {
    Symbol sym;           /* SYM_DEF */
    const char *name;
    Decl *decl;
    Type **param_types;
    Type *result;         /* NULL until checked */
    bool checking;        /* recursion detection */
    uint64_t size;        /* expression nodes with every call inlined (at most ZL_MAX_EXPANSION + 1) */
    bool used, from_leaf;
} DefSym;

typedef struct RuleSym {
    Symbol sym;           /* SYM_RULE */
    const char *name;
    Decl *decl;           /* where it was declared (or replaced) */
    ClauseList clauses;   /* effective clauses after overrides */
    bool disabled;
    const char *disabled_reason;
    SrcLoc disabled_loc;
    bool overridden, replaced;
    /* filled by checking */
    Severity severity;
    bool periodic;        /* `every` (else `on`) */
} RuleSym;

typedef struct PolicyHeader {
    const char *name, *title, *document, *units_column;
    int64_t effective_local;  /* local civil seconds; 0 when absent */
    bool has_effective;
    SrcLoc effective_loc;
    int tz_offset;            /* seconds east of UTC */
    SrcLoc loc;
} PolicyHeader;

typedef struct Policy {
    PolicyHeader header;
    EnumSym **enums;        int nenums;
    EnumSym *roles, *bodies, *weekdays;
    TableSym *events;       /* the event log binding (NULL if none) */
    TableSym **tables;      int ntables;   /* reference tables */
    EventTypeSym **event_types; int nevent_types;
    ParamSym **params;      int nparams;
    DefSym **defs;          int ndefs;
    RuleSym **rules;        int nrules;
    const Source **files;   int nfiles;    /* the extends chain, root first */
} Policy;

/* Names sema gives what the rule file leaves unnamed (a space: no rule file
 * can write them): the period of `every` without `as`, and the calendar row
 * of an `unless`/`only` clause's test (RuleClause.cond). */
#define SEMA_PERIOD_VAR " period"
#define SEMA_ROW_VAR " row"

/* Checks the chain of files (root first, leaf last) and builds the policy.
 * Errors go to diag; the Policy is returned even when there are errors. */
Policy *sema_check(Arena *arena, DiagEngine *diag, AstFile **chain, int nchain);

const char *type_name(Arena *a, const Type *t);

/* The symbol a node resolved to, when it is of the kind asked for (else NULL). */
static inline void *sym_as(const Symbol *sym, SymKind kind) { return sym && sym->kind == kind ? (void *)sym : NULL; }

/* The index of the field called name in t (or NULL), or -1: the one lookup of
 * a field by name. Sema records the fields it resolves on the nodes
 * (Expr.field), event masks too (Expr.event_mask, RuleClause.event_mask), so
 * code generation looks up only the fields the format itself needs. */
int sema_field_index(const TableSym *t, const char *name);

#endif
