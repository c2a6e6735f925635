/* plan.h - how a selection reads events, decided before any code is emitted:
 * the scan (every event of its types in time order, only those whose field
 * holds a value, only those inside a period, or both), the time after which
 * it may stop, and what a streaming run must keep for it (its retention,
 * docs/runtime.md). Pure analysis of checked expressions (sema.h): it emits
 * nothing, allocates nothing and knows nothing of slots or instructions;
 * codegen.c asks, then lowers. A query planner belongs here. */
#ifndef ZD_PLAN_H
#define ZD_PLAN_H
#include <stdbool.h>
#include <stdint.h>
#include "limits.h"
#include "program.h"
#include "sema.h"

enum { PLAN_MAX_ALTS = 4, PLAN_MAX_ANY = 8 };

/* The scan of one selection `sel(x: types where cond)`. */
typedef struct ScanPlan {
    Opcode init;   /* ZOP_SCAN_INIT; _EQ: events whose log field `field` holds `key`;
                    * _IN: events inside the period `key`; _EQ_IN: both, the period in `period` */
    Expr *key;
    int field;
    Expr *period;  /* a conjunct `x.time in P`: P, or NULL */
    Expr *until;   /* a conjunct `x.time <= U` (or <, or mirrored): U, where the time-ordered scan
                    * may stop; NULL when there is none */
    Expr *limit;   /* that conjunct */
    bool strict;   /* it is `<` (or `>`) */
    Expr *since;   /* a conjunct `x.time >= L` (or >, or mirrored): L, before which the scan
                    * skips (SCAN_FROM); NULL when there is none */
    /* the other conjuncts pinning a field (`x.f == k`, `k in x.f`): the run reads
     * the fewest of the indexed events (SCAN_ALSO_EQ), whatever the order written */
    Expr *alt_key[PLAN_MAX_ALTS];
    int alt_field[PLAN_MAX_ALTS];
    int nalts;
    /* a conjunct `A or B …` (or a call of a definition that is one, its event
     * parameter given the selection's variable) each of whose disjuncts pins a
     * field: the run reads the union of the fewest pinned events of each
     * disjunct (SCAN_ANY_EQ per pin, SCAN_ANY_OR between disjuncts,
     * SCAN_ANY_END). Keys are expressions of the selection's scope (a
     * definition's parameter is replaced by its argument). */
    Expr *any_key[PLAN_MAX_ANY];
    int any_field[PLAN_MAX_ANY];
    int any_group[PLAN_MAX_ANY]; /* its disjunct: 0, 1, … in order */
    int nany;
} ScanPlan;

void plan_scan(const Expr *select, ScanPlan *out);

/* An `exists` answered by the earliest time of each key (EARLIEST): every
 * conjunct of its where pins a field of the event that holds names to values
 * not depending on it but on a variable of the rule (`x.f == k`, `k in
 * x.f`; `x.f in S` for a field of one value, `x.f & S != {}` for a list
 * field: any of S), each field once, but
 * one, its upper time bound `x.time <= U` (or `<`, or mirrored). Keys in
 * field order. */
typedef struct EarliestPlan {
    uint64_t fields;
    Expr *key[ZL_EARLIEST_KEYS];
    int field[ZL_EARLIEST_KEYS];
    int nkeys;
    Expr *until;
    bool strict;
} EarliestPlan;

bool plan_earliest(const Expr *select, EarliestPlan *out);

/* Where a selection stands in its rule, as far as retention cares. */
typedef struct PlanContext {
    const char *ctx_var;  /* the rule's context variable (`on x`, `as P`), or NULL */
    bool ctx_periodic;    /* the rule is periodic (`every`) */
    bool ctx_visible;     /* ctx_var names the context there (no local hides it) */
    /* whether `name` is a local variable where the selection stands */
    bool (*is_local)(const void *scope, const char *name);
    const void *scope;
} PlanContext;

enum { PLAN_MAX_KEEP = 16 };

/* What a streaming run keeps for one scan: a ZRetain entry (program.h) less
 * its rule, and the conjuncts its filter function is made of. */
typedef struct RetainPlan {
    uint64_t mask;          /* the event types scanned */
    uint8_t kind;           /* ZRetainKind */
    int64_t offset;         /* ZR_TRIGGER: seconds from the trigger's time */
    uint8_t pick;           /* ZRetainPick */
    uint64_t fields;        /* which log fields make events alike, for pick */
    const char *var;        /* the selection's variable, which the conjuncts read */
    Expr *keep[PLAN_MAX_KEEP];
    int nkeep;
} RetainPlan;

void plan_retention(const PlanContext *ctx, const Expr *select, const ScanPlan *scan, uint64_t mask, RetainPlan *out);

#endif
