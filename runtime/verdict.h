/* verdict.h - the verdicts of a run: each identity (rule, unit, kind, period
 * or trigger, subjects) reported once, and the order of the report. Runs
 * that cannot be kept yet never reach it: the scheduler (stream.c) enters
 * only the verdicts of kept runs. Internal to the runtime library; the
 * scheduler owns a Verdicts. */
#ifndef ZD_VERDICT_H
#define ZD_VERDICT_H
#include <stdbool.h>
#include <stdint.h>
#include "arena.h"
#include "engine.h"
#include "unit.h"

typedef struct Verdicts {
    RunResult *out;
    const Dataset *ds;
    HIdx seen;              /* identity hash -> index into the result */
    bool seen_stale;        /* string ids changed: seen is rebuilt before its next use */
} Verdicts;

/* Records a verdict of identity `id` (everything but the lists and message);
 * evidence_loc[i]: where evidence->items[i] was read (NULL: all 0). Returns
 * false when out of memory. */
bool verdict_emit(Verdicts *vs, const Violation *id, const List *subjects, const List *evidence, const int64_t *evidence_loc,
                  const char *message, Arena *scratch);
/* Forgets the identity index (after string ids change); rebuilt on demand. */
void verdict_forget_index(Verdicts *vs);
void verdict_free(Verdicts *vs);

/* The order of the report: by unit, rule, window start or trigger time, then
 * subjects; and the unit summaries by unit. */
void verdict_sort(RunResult *out, const StrTab *strs);

#endif
