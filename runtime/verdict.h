/* verdict.h - the verdicts of a run: each identity (rule, unit, kind, period
 * or trigger, subjects) reported once, the verdicts of a run taken back when
 * the run cannot be kept yet, and the order of the report. Internal to the
 * runtime library; the scheduler (stream.c) owns a Verdicts. */
#ifndef ZD_VERDICT_H
#define ZD_VERDICT_H
#include <stdbool.h>
#include <stdint.h>
#include "arena.h"
#include "engine.h"
#include "unit.h"

/* Verdicts already reported: indexes into the result, by identity hash. */
typedef struct Seen {
    uint32_t *slots;
    uint32_t nslots, nused; /* used: with the slots of verdicts taken back */
} Seen;

typedef struct Verdicts {
    RunResult *out;
    const Dataset *ds;
    Seen seen;
    /* verdicts the current run replaced, to restore if it is taken back */
    Violation *undo;
    uint32_t *undo_at;
    uint32_t nundo, undo_cap;
} Verdicts;

/* Starts a run: its verdicts can be taken back until the next begin. */
void verdict_begin(Verdicts *vs);
/* Records a verdict of identity `id` (everything but the lists and message);
 * evidence_loc[i]: where evidence->items[i] was read (NULL: all 0). Returns
 * false when out of memory. */
bool verdict_emit(Verdicts *vs, const Violation *id, const List *subjects, const List *evidence, const uint32_t *evidence_loc,
                  const char *message, Arena *scratch);
/* Takes back the current run's verdicts: the result had `mark` before it. */
void verdict_take_back(Verdicts *vs, uint32_t mark);
/* Forgets the identity index (after string ids change); rebuilt on demand. */
void verdict_forget_index(Verdicts *vs);
void verdict_free(Verdicts *vs);

/* The order of the report: by unit, rule, window start or trigger time, then
 * subjects; and the unit summaries by unit. */
void verdict_sort(RunResult *out, const StrTab *strs);

#endif
