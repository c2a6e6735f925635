/* pdiff.h - what changes between two checked policies (zhidu diff): roles,
 * bodies and rules renamed, parameters set, rules added, removed, disabled,
 * overridden or replaced, and for a changed rule whether it became stricter
 * or looser, where the rule's shape decides it. It compares the checked
 * Policy values (effective clauses, resolved names, parameter values), never
 * the text; it reads both policies and changes neither. All memory comes
 * from the arena given. */
#ifndef ZD_PDIFF_H
#define ZD_PDIFF_H
#include "sema.h"

typedef enum PdiffKind {
    PD_HEADER,        /* a policy header entry: what = "title", ... */
    PD_RENAME,        /* what = "role" | "body" | "rule": old_name -> new_name */
    PD_MEMBER_ADDED,  /* what = "role" | "body": new_name */
    PD_MEMBER_REMOVED,
    PD_PARAM,         /* old_name: old_value -> new_value (either NULL: added/removed) */
    PD_DECL,          /* what = "changed" | "added" | "removed": the declaration `decl` called old_name
                         (an enumeration, an event type, a table or binding of the log, a definition) */
    PD_RULE,          /* a rule: see PdiffChange.how */
} PdiffKind;

typedef enum PdiffDir {
    PDIR_SAME,         /* only its wording changed (clause text, message, tags, evidence) */
    PDIR_STRICTER,     /* reports at least what it reported before */
    PDIR_LOOSER,       /* reports at most what it reported before */
    PDIR_INCOMPARABLE, /* changed, not comparable from its shape */
} PdiffDir;

typedef struct PdiffChange {
    PdiffKind kind;
    const char *decl;               /* PD_DECL: "enum", "event", "table", "def" */
    const char *what;               /* PD_HEADER: the entry; PD_RENAME, PD_MEMBER_*: "role", "body", "rule";
                                       PD_RULE: "added", "removed", "disabled", "enabled", "overridden",
                                       "replaced", "changed" */
    const char *old_name, *new_name; /* NULL on the side that has none */
    const char *old_value, *new_value; /* PD_HEADER, PD_PARAM: as written; PD_RULE disabled: the reason */
    const char *clause;             /* PD_RULE: the first clause id it cites (the new side's when it has one) */
    const char *parts;              /* PD_RULE changed: the clause kinds that differ, "every, message" */
    PdiffDir dir;                   /* PD_RULE */
    const char *why;                /* PD_RULE: what decided dir ("every: 2 weeks -> week"), or NULL */
} PdiffChange;

typedef struct PdiffResult {
    PdiffChange *items;
    int n, cap;
} PdiffResult;

/* Compares old and new (both checked without errors). Rules are matched by
 * the name they were declared with, following `rename rule` along each
 * policy's extends chain (chain/nchain as in Compilation), so a rule renamed
 * in an adaptation is the same rule; roles, bodies and parameters by their
 * declared names. Changes come in this order: header, renames, members,
 * parameters, declarations (enumerations, event types, tables, definitions), then rules in the new policy's order (removed
 * ones last). Types are compared by kind and name; the event type masks and
 * field types of event types are not. */
void pdiff_compare(Arena *a, const Policy *old, AstFile *const *old_chain, int old_nchain, const Policy *new,
                   AstFile *const *new_chain, int new_nchain, PdiffResult *out);

/* The name a rule was declared with in its chain (following renames back). */
const char *pdiff_rule_root(AstFile *const *chain, int nchain, const char *name);

const char *pdiff_dir_name(PdiffDir d); /* "same checks", "stricter", "looser", "not comparable" */

#endif
