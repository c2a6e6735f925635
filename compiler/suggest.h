/* suggest.h - "did you mean" by edit distance, for every unknown name (the
 * compiler's names, the command line's commands, options and values).
 * Distances count code points, so Chinese names work. Owns nothing: the
 * chosen candidate is one of the caller's strings. */
#ifndef ZD_SUGGEST_H
#define ZD_SUGGEST_H

typedef struct Suggest {
    const char *name; /* the unknown name */
    const char *best; /* nearest candidate so far within reach, or NULL */
    int best_dist;
} Suggest;

/* Damerau-Levenshtein distance (optimal string alignment: insert, delete,
 * substitute, swap two neighbours) between two UTF-8 strings, in code points;
 * a large number when either has more than SUGGEST_MAX_LEN code points. */
enum { SUGGEST_MAX_LEN = 64 };
int suggest_distance(const char *a, const char *b);

void suggest_init(Suggest *s, const char *name);
/* Considers one candidate; on a tie the first offered stays. */
void suggest_offer(Suggest *s, const char *candidate);
/* The nearest candidate when it is near enough to be a likely misspelling
 * (at most one edit per three code points, at least one, and fewer edits than
 * the name is long), otherwise NULL. */
const char *suggest_result(const Suggest *s);

#endif
