/* stream.h - the state of the streaming scheduler (stream.c), shared with
 * the two passes that shrink it between steps: forgetting events
 * (forget.c) and compacting strings (strgc.c). Neither calls back into the
 * scheduler. Internal to the runtime library; the public face is engine.h.
 *
 * A step judges its units on one or more workers (run --jobs): a worker owns
 * its VM and what its kept runs produced, and touches no unit but the one it
 * judges; the scheduler then replays each unit's verdicts into the result in
 * unit order, so the result is the same whatever the number of workers. */
#ifndef ZD_STREAM_H
#define ZD_STREAM_H
#include <stdbool.h>
#include <stdint.h>
#include "engine.h"
#include "forget.h"
#include "unit.h"
#include "verdict.h"
#include "vm.h"

/* A run that could not be decided yet: a period, or a triggering event. */
typedef struct Deferred {
    uint32_t rule;
    bool periodic;
    int64_t from, to;      /* the period */
    uint16_t table;        /* its calendar row, if any */
    uint32_t row;
    uint32_t event;        /* the trigger: an index into the data set's events */
} Deferred;

typedef struct UnitState {
    bool skip;             /* not the unit asked for (--unit) */
    bool started;          /* r0 is known */
    bool has_events;       /* an event of the unit has been read */
    int64_t last;          /* the latest event time seen */
    int64_t low;           /* scratch: the earliest event time in this step */
    uint32_t events;       /* events inside the range, so far */
    Unit u;                /* reference rows built once; events and indexes per step */
    int64_t *done_to;      /* per rule: periods ending at or before it are judged */
    Deferred *deferred;
    uint32_t ndeferred, cap;
    uint32_t worker, kept_from, kept_to; /* in this step: who judged it, its records there */
} UnitState;

/* What a kept run produced, until the scheduler replays it into the result:
 * a verdict (its identity, lists and message), or a judged note. */
typedef struct Kept {
    bool is_note;
    Judged note;
    Violation id;
    const List *subjects, *evidence;
    const int64_t *evidence_loc;         /* where each evidence event was read */
    const char *message;
} Kept;

/* One worker of a step: a VM with its own scratch, the identity and reads
 * of the run it is making, and the records of its kept runs. */
typedef struct Worker {
    struct Stream *s;
    Vm vm;
    VmHost host;
    VmReads reads;
    Violation run;
    bool failed;
    uint64_t rule_runs;
    Arena arena;                          /* the lists and messages of kept */
    Kept *kept;
    uint32_t nkept, cap;
} Worker;

struct Stream {
    const Program *p;
    Dataset *ds;
    RunOptions opt;
    RunResult *out;
    Vm vm;                                /* forget.c's; the workers' copy its settings */
    VmHost host;
    VmReads reads;
    Verdicts verdicts;
    Arena scratch;                        /* the replay's */
    Worker *workers;
    uint32_t nworkers;
    struct Pool *pool;                    /* nworkers > 1 */
    uint32_t **pos;                       /* in a step: per unit, its events' positions (NULL: not judged) */
    uint32_t *order;                      /* in a step on several workers: the units, largest first */
    bool final;                           /* in a step: the last one */
    uint32_t **by_type, *by_type_count;   /* triggered rules per event type */
    uint32_t **keep_by_type, *keep_count; /* retention entries per event type */
    UnitState *units;
    uint32_t nunits, cap;
    HIdx unit_index;                      /* hidx_hash_id of a unit's id -> its index in units */
    uint32_t first_new;                   /* events before it were evaluated */
    uint32_t *slot_of;                    /* per event of the step: its unit, or ZNONE */
    uint32_t *count;                      /* per unit: its events in the step */
    bool streaming;                       /* steps before the end (events in time order per unit) */
    bool stepping;                        /* stream_event_added steps (streaming, no disorder seen) */
    uint32_t step_at;                     /* ... once the data set holds this many events */
    bool stepped;                         /* a step before the end has run */
    bool disorder;                        /* an event came too late: run again holding everything */
    bool failed;                          /* out of memory: the run stops with an error */
    int64_t disorder_loc;                 /* where */
    char disorder_unit[128];
    uint32_t window;                      /* events read between steps, at least */
    uint32_t strings_kept;                /* strings after the last compaction */
    Forget forget;                        /* forget.c's, across steps */
};

#endif
