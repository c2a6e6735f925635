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
    HIdx texts;             /* hash of a message text or template -> index into text */
    const char **text;      /* each stored once, in out->arena */
    uint32_t ntext, text_cap;
} Verdicts;

/* Records verdict v: its identity (everything but the lists and message) and
 * its lists as the VM gives them (subjects and evidence sorted by id, in a
 * block as engine.h lays it out). The result keeps copies. Returns false
 * when out of memory. */
bool verdict_emit(Verdicts *vs, const Violation *v, const char *message, Arena *scratch);
/* Forgets the identity index (after string ids change); rebuilt on demand. */
void verdict_forget_index(Verdicts *vs);
void verdict_free(Verdicts *vs);

/* A stored message is held once for all verdicts with the same text; one
 * shorter than VERDICT_MESSAGE_MAX is held as a template, the verdict's own
 * subjects, evidence and trigger replaced by references to them, so that
 * the messages of a rule that differ only in those share one copy
 * ("议题\1S\1提交\1T前，…": ESC is byte 1). verdict_message gives the text: the stored one,
 * or the template filled in into buf. */
enum { VERDICT_MESSAGE_MAX = 512 };
const char *verdict_message(const Violation *v, const StrTab *strs, char buf[VERDICT_MESSAGE_MAX]);

/* The order of the report: by unit, rule, window start or trigger time, then
 * subjects; and the unit summaries by unit. */
void verdict_sort(RunResult *out, const StrTab *strs);

#endif
