/* engine.h - runs a verified program over a data set: per unit, the checked
 * range, the judged periods and the triggering events of every rule, the VM
 * over each rule body, and the resulting violations and pending obligations
 * (each identity once). */
#ifndef ZD_ENGINE_H
#define ZD_ENGINE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "dataset.h"
#include "program.h"

typedef struct Violation {
    /* a million verdicts are held to the end of a run: no padding, the lists
     * in one block, the message's text shared (verdict.h) */
    uint32_t rule;
    StrId unit;
    bool pending;
    bool periodic;
    bool message_refs;       /* message is a template: read it with verdict_message (verdict.h) */
    uint32_t row;            /* periodic: its calendar row, or ZNONE (rows giving the same window: the lowest reports) */
    /* triggered: the triggering event (events may be forgotten before the report) */
    StrId trigger_id;
    uint32_t trigger_order;  /* its place in the input */
    uint32_t nsubjects;
    uint32_t nevidence;
    int64_t from, to;        /* periodic: the window */
    int64_t trigger_time;
    int64_t trigger_loc;     /* line (CSV) or rowid (SQLite) */
    StrId *subjects;         /* sorted by string; the block of the lists (violation_evidence) */
    const char *message;     /* shared by the verdicts with the same text or template */
} Violation;

/* A verdict's lists are one block: its subjects, its evidence (event ids,
 * sorted by string), then, aligned, where each evidence event was read. */
static inline size_t violation_lists_size(uint32_t nsubjects, uint32_t nevidence)
{
    size_t ids = sizeof(StrId) * ((size_t)nsubjects + nevidence);
    return (ids + sizeof(int64_t) - 1) / sizeof(int64_t) * sizeof(int64_t) + sizeof(int64_t) * nevidence;
}
static inline StrId *violation_evidence(const Violation *v) { return v->subjects + v->nsubjects; }
static inline int64_t *violation_evidence_loc(const Violation *v)
{
    return (int64_t *)((char *)v->subjects + violation_lists_size(v->nsubjects, v->nevidence) - sizeof(int64_t) * v->nevidence);
}

typedef struct UnitSummary {
    StrId unit;
    int64_t r0, r1;
    uint32_t events;         /* events of the unit inside the checked range */
} UnitSummary;

typedef struct RunOptions {
    bool has_from, has_as_of;
    int64_t from, as_of;     /* UTC seconds */
    const char *unit;        /* only this unit, or NULL */
    uint32_t shard, nshards; /* nshards > 0: only units whose FNV-1a 32 hash of the id bytes mod nshards is shard */
    uint32_t window;         /* streaming: evaluate after at least this many new events; 0 holds them all */
    bool record_judged;      /* also list every period and trigger judged (RunResult.judged) */
    struct Trace *trace;     /* zhidu explain: the sink of a traced program's TRACE points (trace.h), or NULL */
    uint32_t jobs;           /* units judged in parallel on this many threads; 0 or 1: on the caller's */
} RunOptions;

enum { ENGINE_DEFAULT_WINDOW = 65536 };

/* A period judged or exempted, or a trigger judged, whatever the verdict:
 * recorded only with RunOptions.record_judged (the HTML report's calendar
 * strips and timelines); in the order judged. */
typedef enum JudgedKind { JUDGED_PERIOD, JUDGED_EXEMPT, JUDGED_TRIGGER } JudgedKind;
typedef struct Judged {
    uint32_t rule;
    StrId unit;
    uint8_t kind;            /* JudgedKind */
    int64_t from, to;        /* the period; a trigger: its time, twice */
    uint32_t order;          /* a trigger: its place in the input */
} Judged;

typedef struct RunResult {
    Violation *v;
    uint32_t n, cap;
    Judged *judged;
    uint32_t njudged, judged_cap;
    UnitSummary *units;
    uint32_t nunits;
    uint64_t rule_runs;      /* rule bodies executed */
    Arena arena;             /* messages, subject arrays */
} RunResult;

/* Runs over a data set holding every event (any order; opt->window is
 * ignored). Returns 0, or -1 with a message. The result is sorted: by unit,
 * rule, window start or trigger time, then subjects. */
int engine_run(const Program *p, Dataset *ds, const RunOptions *opt, RunResult *out, char *err, size_t errsize);

/* Reads PATH (input.h), pulling its rows, and runs while reading: with opt->window > 0, events
 * in time order per unit are evaluated in steps and forgotten once no rule
 * can read them (docs/runtime.md, "Streaming"); an event out of order after a
 * step makes it read PATH again holding every event. On success *ds is the
 * data set (its reference tables, the events still held, the strings of the
 * result) for the report. Returns 0, or -1 with the input's message. */
struct InputOptions;
struct InputStats;
int engine_run_input(const Program *p, const char *path, const struct InputOptions *io, const RunOptions *opt, Dataset **ds,
                     RunResult *out, struct InputStats *stats, char *err, size_t errsize);
void run_result_free(RunResult *r);

/* The streaming run behind engine_run_input, for readers of other sources.
 * Whoever adds events to ds calls stream_event_added after each one: with
 * opt->window > 0 it runs a step once enough new events have come, and
 * returns 0 (read on), 1 (an event came out of time order after a step: stop
 * reading and run again holding every event) or -1 (out of memory: stop).
 * Reference rows must all be added before the first event.
 * stream_finish runs the last step and sorts the result; it returns 0, 1
 * when an event came out of time order after a step (then run again holding
 * every event: window 0), or -1 when out of memory. stream_new returns NULL
 * when out of memory. out belongs to the caller (run_result_free). */
typedef struct Stream Stream;
Stream *stream_new(const Program *p, Dataset *ds, const RunOptions *opt, RunResult *out);
int stream_event_added(Stream *s);
int stream_finish(Stream *s);
void stream_free(Stream *s);

/* Display helpers shared with the reports. */
const char *engine_person_name(const Dataset *ds, StrId unit, StrId person); /* NULL when unknown */

#endif
