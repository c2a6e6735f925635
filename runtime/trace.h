/* trace.h - the evidence trail of a traced program's runs, for zhidu explain:
 * the VM hands each TRACE instruction to trace_point (only when its host has
 * a Trace; a program compiled without tracing has none), and the trace keeps,
 * for every verdict of the rules asked about (kept, violated or pending), the
 * period or trigger, the value of each binding and what it ranged over, and
 * each selection with the events it examined and which of its conditions each
 * one failed. Needs a run holding every event (window 0): it records event
 * indexes into the data set. Owns everything it records; trace_free frees it. */
#ifndef ZD_TRACE_H
#define ZD_TRACE_H
#include <stdbool.h>
#include <stdint.h>
#include "arena.h"
#include "program.h"
#include "strtab.h"

typedef enum TraceOutcome { TRACE_KEPT, TRACE_VIOLATED, TRACE_PENDING } TraceOutcome;

typedef struct TraceEvent {
    uint32_t event;          /* index into the data set's events */
    uint64_t failed;         /* bit i: condition i of the selection was false */
} TraceEvent;

enum { TRACE_MAX_MATCHED = 10 };

/* A selection as run: counts, the first matches, and the nearest miss (the
 * examined event with the fewest false conditions; of equals, the nearest
 * in time to the period or the trigger, then the first examined). */
typedef struct TraceSel {
    uint32_t point;          /* its ZTR_SEL_BEGIN point */
    uint32_t depth;          /* the loop depth it ran at */
    uint32_t examined, nmatched;
    uint32_t matched[TRACE_MAX_MATCHED]; /* the first matches (event indexes) */
    bool has_miss;
    TraceEvent miss;
    int64_t miss_distance;   /* seconds from the period (0 inside) or the trigger */
    bool has_cur;
    TraceEvent cur;          /* the event being examined */
    uint8_t result;          /* 0 false/none, 1 true, 2 a count, 3 an event */
    int64_t count;           /* result 2 */
    uint32_t result_event;   /* result 3 */
} TraceSel;

typedef struct TraceBinding {
    uint32_t point;          /* its ZTR_RANGE point */
    StrId *range;            /* what it ranged over (persons, ids) */
    uint32_t nrange;
    StrId value, value2;     /* the value(s) of this verdict */
} TraceBinding;

typedef struct TraceVerdict {
    uint32_t rule;
    StrId unit;
    bool periodic;
    int64_t from, to;        /* periodic: the period */
    uint32_t trigger;        /* triggered: the event's index */
    uint8_t outcome;         /* TraceOutcome */
    TraceBinding *bindings;
    uint32_t nbindings;
    TraceSel *sels;          /* the outermost selections run for it, in order */
    uint32_t nsels;
} TraceVerdict;

enum { TRACE_MAX_DEPTH = 16 };

typedef struct Trace {
    const Program *p;
    bool *rules;             /* per rule: record its verdicts */
    TraceVerdict *v;         /* in the order reached */
    uint32_t n, cap;
    bool failed;             /* out of memory: the trail is incomplete */
    Arena arena;             /* the verdicts' copies */
    /* the run under way */
    bool active;
    TraceVerdict run;
    TraceBinding bound[TRACE_MAX_DEPTH];
    uint32_t depth;          /* bindings entered */
    TraceSel *sels;          /* of the current combination of bindings */
    uint32_t nsels, sels_cap;
    uint32_t open;           /* selections open (nested ones are a condition of the outer) */
    int64_t trigger_time;    /* of the run's trigger */
} Trace;

/* A trace of program p's verdicts (p compiled with tracing), for no rule yet. */
Trace *trace_new(const Program *p);
void trace_want_rule(Trace *t, uint32_t rule);
void trace_free(Trace *t);

/* TRACE instruction `in` of a running function: its slots and the top of its
 * stack (the missing value when empty). Called by the VM only. */
struct Vm;
struct Value;
void trace_point(Trace *t, const struct Vm *vm, const Insn *in, const struct Value *slots, const struct Value *top);

#endif
