/* stream.h - the state of the streaming scheduler (stream.c), shared with
 * the two passes that shrink it between steps: forgetting events
 * (forget.c) and compacting strings (strgc.c). Neither calls back into the
 * scheduler. Internal to the runtime library; the public face is engine.h. */
#ifndef ZD_STREAM_H
#define ZD_STREAM_H
#include <stdbool.h>
#include <stdint.h>
#include "engine.h"
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
} UnitState;

struct Stream {
    const Program *p;
    Dataset *ds;
    RunOptions opt;
    RunResult *out;
    Vm vm;
    VmHost host;
    VmReads reads;                        /* what the current run read */
    Violation run;                        /* the identity of the current run's verdicts */
    Verdicts verdicts;
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
};

#endif
