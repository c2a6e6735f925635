/* ast.h - the syntax tree of a rule file. Every node carries its SrcLoc and
 * the comments written just before it. All nodes live in the compilation's
 * arena (see arena.h); nothing here is freed individually. The tree is what
 * the parser produced; semantic information (types, resolved symbols) is
 * attached by sema.c in the fields marked "sema". */
#ifndef ZD_AST_H
#define ZD_AST_H
#include <stdbool.h>
#include <stdint.h>
#include "arena.h"
#include "diag.h"

typedef struct Comment {
    SrcLoc loc;
    const char *text; /* including the // or the delimiters */
    struct Comment *next;     /* next comment attached to the same node */
    struct Comment *next_all; /* next comment of the file */
} Comment;

typedef struct Type Type;       /* sema.h */
typedef struct Symbol Symbol;   /* sema.h */
typedef struct TableSym TableSym; /* sema.h */

/* ---- types as written -------------------------------------------------- */
typedef struct TypeRef {
    SrcLoc loc;
    bool is_list;
    const char *name; /* text, id, person, time, duration, int, bool, role, body, or an enum */
} TypeRef;

/* ---- expressions ------------------------------------------------------- */
typedef enum ExprKind {
    EX_NAME,       /* name */
    EX_STRING,     /* text */
    EX_INT,        /* ival */
    EX_DURATION,   /* ival = seconds */
    EX_TIME,       /* time literal: tval */
    EX_BOOL,       /* ival */
    EX_FIELD,      /* lhs.name */
    EX_INDEX,      /* lhs[rhs]: keyed table lookup */
    EX_CALL,       /* name(args) */
    EX_UNARY,      /* op lhs */
    EX_BINARY,     /* lhs op rhs */
    EX_SET,        /* {args} */
    EX_ROLE_AT,    /* name at rhs: holders of a role at a time */
    EX_ROLE_OVER,  /* name throughout rhs: holders for a whole period */
    EX_SELECT,     /* sel(var: types where rhs); over a calendar's rows when types names one */
    EX_WINDOW,     /* lhs..rhs: a window of the day, two clock literals (only after `in`) */
} ExprKind;

typedef enum ExprOp {
    OP_NONE, OP_OR, OP_AND, OP_NOT, OP_NEG,
    OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_IN, OP_NOT_IN,
    OP_UNION, OP_INTER, OP_MINUS, OP_PLUS,
    OP_WITHIN, OP_OVERLAPS, /* a period or time against a calendar row */
} ExprOp;

typedef enum SelectKind { SEL_EXISTS, SEL_COUNT, SEL_LATEST, SEL_FIRST } SelectKind;
/* The built-in functions, resolved by sema (sema_expr.c names them). */
typedef enum Builtin { BUILTIN_NONE, BUILTIN_PRESENT, BUILTIN_WEEKDAY, BUILTIN_TIME_OF_DAY, BUILTIN_SIZE } Builtin;

typedef struct Expr Expr;
typedef struct ExprList {
    Expr **items;
    int len, cap;
} ExprList;

typedef struct NameList {
    const char **names;
    SrcLoc *locs;
    int len, cap;
} NameList;

struct Expr {
    ExprKind kind;
    SrcLoc loc;
    ExprOp op;
    const char *name;   /* EX_NAME, EX_FIELD, EX_CALL, EX_ROLE_*, EX_SELECT (variable) */
    SrcLoc name_loc;
    const char *text;   /* EX_STRING */
    int64_t ival;
    bool clock;         /* EX_DURATION written as a time of day (08:30) */
    struct {
        int64_t local_seconds;
        bool has_time, has_offset;
        int offset_seconds;
    } tval;
    Expr *lhs, *rhs;
    ExprList args;      /* EX_CALL, EX_SET */
    SelectKind select;
    NameList types;     /* EX_SELECT: event type names */
    int ival_depth;     /* tree depth, bounded by the parser */
    bool poisoned;      /* cut at the depth limit (already reported): its type is unknown */
    /* sema */
    Type *type;
    Symbol *sym;        /* EX_NAME: a parameter, table or enum member; EX_CALL: a definition */
    uint64_t event_mask; /* EX_SELECT: the event types selected */
    TableSym *rows;     /* EX_SELECT over a calendar: its rows (no events) */
    bool bare_fields;   /* EX_SELECT over a calendar: rhs names the row's fields bare (from a clause) */
    int field;          /* EX_FIELD of an event or a row, roster method EX_CALL: the field's index */
    Builtin builtin;    /* EX_CALL: the built-in function called, or BUILTIN_NONE (a definition) */
};

/* ---- declarations ------------------------------------------------------ */
typedef struct FieldDecl {
    SrcLoc loc;
    const char *name;
    TypeRef *type;      /* NULL in an event declaration that only names the field */
    const char *column; /* column name; defaults to the field name */
    SrcLoc column_loc;
    bool optional;
    Comment *comments;
} FieldDecl;

typedef struct FieldList {
    FieldDecl **items;
    int len, cap;
} FieldList;

typedef struct EnumMember {
    SrcLoc loc;
    const char *name;
    const char *value; /* the value in the log; defaults to the name */
} EnumMember;

typedef struct MemberList {
    EnumMember **items;
    int len, cap;
} MemberList;

typedef struct Param {
    SrcLoc loc;
    const char *name;
    TypeRef *type;
} Param;

typedef struct ParamList {
    Param **items;
    int len, cap;
} ParamList;

/* Period specification of a periodic rule. */
typedef enum PeriodKind { PER_DAY, PER_WEEK, PER_MONTH, PER_YEAR, PER_WEEKS, PER_CALENDAR } PeriodKind;
typedef struct PeriodSpec {
    SrcLoc loc;
    PeriodKind kind;
    Expr *count;          /* PER_WEEKS: an int literal or a parameter name */
    Expr *anchor;         /* PER_WEEKS: optional: a time or the table in anchor_table */
    const char *table;    /* PER_CALENDAR, or PER_WEEKS anchored on a calendar table */
    SrcLoc table_loc;
    Expr *filter;         /* where-predicate over the table's row fields */
    const char *var;      /* as NAME */
    SrcLoc var_loc;
    Symbol *sym;          /* sema: the calendar or the anchor parameter `table` names */
} PeriodSpec;

typedef enum ClauseKind {
    CL_TAGS, CL_CLAUSE, CL_SEVERITY, CL_EVERY, CL_UNLESS, CL_ON, CL_FOR, CL_LET,
    CL_WHEN, CL_REQUIRE, CL_DEADLINE, CL_SUBJECTS, CL_EVIDENCE, CL_MESSAGE, CL_ONLY,
    CL_KIND_COUNT
} ClauseKind;

typedef enum Severity { SEV_NONE, SEV_MUST, SEV_IN_PRINCIPLE } Severity;

typedef struct Binding {
    SrcLoc loc;
    const char *var, *var2; /* var2 set for an unordered pair {var, var2} */
    SrcLoc var_loc, var2_loc;
    Expr *coll;
    Expr *filter;
} Binding;

typedef struct RuleClause {
    ClauseKind kind;
    SrcLoc loc;
    Comment *comments;
    NameList names;      /* CL_TAGS; CL_ON: event types */
    const char *text;    /* CL_CLAUSE: clause id; CL_MESSAGE: template */
    const char *clause_text; /* CL_CLAUSE: quoted clause text */
    SrcLoc text_loc;
    Severity severity;
    PeriodSpec *period;  /* CL_EVERY */
    const char *var;     /* CL_ON, CL_LET */
    SrcLoc var_loc;
    const char *table;   /* CL_UNLESS, CL_ONLY: the calendar */
    SrcLoc table_loc;
    ExprOp cal_op;       /* CL_UNLESS, CL_ONLY: OP_OVERLAPS or OP_WITHIN */
    Expr *expr;          /* CL_ON where, CL_LET, CL_WHEN, CL_REQUIRE, CL_DEADLINE, CL_UNLESS/CL_ONLY filter */
    bool else_pending;   /* CL_WHEN ... else pending */
    Binding **bindings;  /* CL_FOR */
    int nbindings;
    ExprList list;       /* CL_SUBJECTS, CL_EVIDENCE */
    /* sema */
    uint64_t event_mask; /* CL_ON: the event types that trigger the rule */
    Symbol *sym;         /* CL_UNLESS, CL_ONLY: the calendar */
    Expr *cond;          /* CL_UNLESS, CL_ONLY: the test on the rule's context, built by sema (NULL:
                          * the runtime exempts the periods, a lone `unless overlaps` of rows alone) */
} RuleClause;

typedef struct ClauseList {
    RuleClause **items;
    int len, cap;
    bool broken;        /* a syntax error was recovered inside: completeness is not judged */
} ClauseList;

typedef enum DeclKind {
    D_POLICY, D_EXTENDS, D_ROLE, D_BODY, D_ENUM, D_EVENTS, D_EVENT, D_ROSTER, D_TABLE,
    D_CALENDAR, D_PARAM, D_DEF, D_RULE, D_RENAME, D_SET, D_OVERRIDE, D_REPLACE, D_DISABLE,
} DeclKind;

typedef struct HeaderEntry {
    SrcLoc loc;
    const char *key;
    Expr *value;
} HeaderEntry;

typedef struct Decl {
    DeclKind kind;
    SrcLoc loc;
    Comment *comments;
    const char *name;     /* policy, enum, event, table, param, def, rule; rename/set/override target */
    SrcLoc name_loc;
    const char *text;     /* D_EXTENDS path; D_EVENTS/D_ROSTER/D_TABLE/D_CALENDAR table name;
                             D_EVENT log value; D_DISABLE reason */
    SrcLoc text_loc;
    const char *new_name; /* D_RENAME: the name it is renamed to */
    SrcLoc new_name_loc;
    const char *key;      /* D_TABLE: the key field */
    SrcLoc key_loc;
    DeclKind rename_what; /* D_RENAME: D_ROLE, D_BODY or D_RULE */
    HeaderEntry **entries; /* D_POLICY */
    int nentries;
    MemberList members;   /* D_ROLE, D_BODY, D_ENUM */
    FieldList fields;     /* D_EVENTS, D_EVENT, D_ROSTER, D_TABLE, D_CALENDAR */
    TypeRef *type;        /* D_PARAM */
    Expr *expr;           /* D_PARAM default, D_SET value, D_DEF body */
    ParamList params;     /* D_DEF */
    ClauseList clauses;   /* D_RULE, D_OVERRIDE, D_REPLACE */
    /* sema */
    Symbol *sym;
} Decl;

typedef struct DeclList {
    Decl **items;
    int len, cap;
} DeclList;

typedef struct AstFile {
    const Source *src;
    DeclList decls;
    Comment *comments;        /* every comment of the file, in order */
    Comment *trailing;        /* comments after the last declaration */
    int syntax_errors;        /* parts may be missing: completeness is not judged */
} AstFile;

/* Appends to any of the lists above (they share the items/len/cap layout). */
#define AST_PUSH(arena, list, item)                                                        \
    do {                                                                                   \
        if ((list).len == (list).cap) {                                                    \
            int ncap_ = (list).cap ? (list).cap * 2 : 4;                                   \
            void *nitems_ = arena_alloc((arena), sizeof(*(list).items) * (size_t)ncap_);   \
            if ((list).len) memcpy(nitems_, (list).items, sizeof(*(list).items) * (size_t)(list).len); \
            (list).items = nitems_;                                                        \
            (list).cap = ncap_;                                                            \
        }                                                                                  \
        (list).items[(list).len++] = (item);                                               \
    } while (0)

void namelist_push(Arena *a, NameList *l, const char *name, SrcLoc loc);
const char *clause_kind_name(ClauseKind k);
const char *decl_kind_name(DeclKind k);

#endif
