/* stream.h - the state of the streaming scheduler (stream.c), shared with
 * the two passes that shrink it between steps: forgetting events
 * (forget.c) and compacting strings (strgc.c). Neither calls back into the
 * scheduler. Internal to the runtime library; the public face is engine.h.
 *
 * A step splits each unit's work into tasks (its deferred runs, each periodic
 * rule, runs of its new events) judged on one or more workers (run --jobs): a
 * worker owns its VM and what its kept runs produced; a task writes only its
 * own records and its rule's done_to, and reads a unit whose events are sorted
 * and indexed before the tasks start. The scheduler then replays the tasks'
 * verdicts into the result in task order, which is the order one worker
 * would have given them, so the result is the same whatever the number of
 * workers. */
#ifndef ZD_STREAM_H
#define ZD_STREAM_H
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
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
    uint32_t task_from, task_to; /* in this step: its tasks in Stream.tasks */
} UnitState;

/* Whether a unit's tasks may start (a step on several workers). */
enum UnitReadiness { UNIT_PREPARING, UNIT_READY, UNIT_FAILED };

/* A piece of one unit's work in a step: runs deferred by earlier steps, one
 * periodic rule's periods, or the runs of some of its new events. */
typedef enum TaskKind { TASK_DEFERRED, TASK_PERIODS, TASK_TRIGGERS } TaskKind;
typedef struct Task {
    uint32_t unit;         /* its index in Stream.units */
    uint8_t kind;          /* TaskKind */
    uint32_t from, to;     /* deferred runs [from, to) of the unit; its rule (from); positions [from, to) of Unit.evs */
    uint32_t worker, kept_from, kept_to; /* who ran it, its records there */
    Deferred *deferred;    /* the runs it could not decide yet, in order */
    uint32_t ndeferred, cap;
} Task;

/* What a kept run produced, until the scheduler replays it into the result:
 * a verdict (its identity and lists, as verdict_emit takes them, and its
 * message), or a judged note. */
typedef struct Kept {
    union {
        Violation id;                     /* lists and message in the worker's arena */
        Judged note;
    };
    const char *message;
    bool is_note;
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
    Task *task;                           /* the task it runs */
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
    Task *tasks;                          /* in a step: every unit's, unit by unit, in the order one worker runs them */
    uint32_t ntasks, tasks_cap;
    uint32_t *order;                      /* in a step on several workers: the units to prepare, then the tasks, in the order claimed */
    uint32_t nprepare;                    /* ... the units' count */
    atomic_uchar *ready;                  /* ... per unit: UnitReadiness */
    bool gate;                            /* ready_mu and ready_cv are set up (with a pool) */
    pthread_mutex_t ready_mu;             /* a task waits on ready_cv for its unit, under ready_mu */
    pthread_cond_t ready_cv;
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

/* Worker w's VM, for a pool job of the scheduler or of the passes between
 * steps (forget.c's filters): the weekday names as the main VM's now, which
 * strgc.c renumbers. */
static inline Vm *stream_worker_vm(struct Stream *s, uint32_t w)
{
    Vm *vm = &s->workers[w].vm;
    memcpy(vm->weekday, s->vm.weekday, sizeof vm->weekday);
    return vm;
}

#endif
