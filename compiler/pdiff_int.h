/* pdiff_int.h - shared between pdiff.c (what to compare) and pdiff_expr.c
 * (comparing a rule's clauses and deciding stricter or looser); not for
 * other modules. */
#ifndef ZD_PDIFF_INT_H
#define ZD_PDIFF_INT_H
#include "pdiff.h"

enum { PD_F_STRICTER = 1, PD_F_LOOSER = 2, PD_F_UNKNOWN = 4 };

/* One comparison of two rules: the directions found so far and the first difference. */
typedef struct PdCmp {
    Arena *a;
    unsigned flags;     /* PD_F_* */
    const char *why;    /* "deadline: 2h → 1h" */
    const char *where;  /* the clause kind being compared */
    int depth;
    int ndiff;          /* differences noted */
    bool quiet;         /* only whether they differ: no texts */
} PdCmp;

/* pol: +1 when a larger value (or a truer condition) at this place makes the
 * rule stricter, -1 when looser, 0 when it cannot be told. Returns whether
 * a and b are the same; each difference is noted in c. */
bool pdiff_same_expr(PdCmp *c, const Expr *a, const Expr *b, int pol);
/* Two clauses of the same kind (not tags, clause, severity, message, evidence). */
void pdiff_compare_clause(PdCmp *c, const RuleClause *a, const RuleClause *b);
/* The source text of loc (arena copy), "" without a source. */
const char *pdiff_text(Arena *a, SrcLoc loc);

#endif
