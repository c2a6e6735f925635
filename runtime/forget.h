/* forget.h - between two steps of a streaming run, drops the events no later
 * run can read (the program's retention entries, docs/runtime.md,
 * "Streaming"). Internal to the runtime library.
 *
 * What it learns of an event is learnt once: which entries take it (their
 * filters read only the event), and the groups of events alike that an
 * entry keeping the earliest or latest of each holds, across steps. An
 * event kept to the end (taken by an entry that keeps from the beginning, or
 * the earliest of its group) has its cells moved once into the data set's
 * lasting arena; only the others are copied at each step. So a step costs a
 * few bit tests per event held and a filter call per new event; with a pool
 * (run --jobs), the filters, the keep tests and each unit's indexes are done
 * in pieces on its workers, each piece writing only its own events' marks. */
#ifndef ZD_FORGET_H
#define ZD_FORGET_H
#include <stdbool.h>
#include <stdint.h>

#include "hidx.h"

typedef struct Stream Stream;

/* The groups of events alike of one entry that picks the earliest or the
 * latest of each. */
typedef struct ForgetGroups {
    HIdx index;            /* alike hash -> group */
    uint32_t *rep;         /* per group: the event it keeps (an index into the data set's events) */
    uint32_t n, cap;
} ForgetGroups;

/* forget.c's memory across steps, owned by the scheduler's Stream. */
typedef struct Forget {
    uint64_t *takes;       /* per event held: the entries 0..63 that take it (later ones are asked each time) */
    uint8_t *fate;         /* per event held: FATE_* bits (forget.c) */
    uint32_t cap;          /* of takes and fate */
    uint32_t seen;         /* the events before it were looked at by an earlier step */
    ForgetGroups *groups;  /* per retention entry (those that pick) */
    uint32_t *same;        /* per retention entry: the earlier entry alike whose groups it shares, or itself */
    int64_t *grouped_to;   /* per unit and entry picking the latest: events up to this time are grouped */
    uint32_t ngrouped_units;
} Forget;

/* Keeps the events a later run can still read and drops the rest; unit_of:
 * each event's unit (an index into s->units), or ZNONE for events no rule
 * judges. Returns false when out of memory (then the run is void: the events
 * past the failure are dropped too). */
bool forget_events(Stream *s, const uint32_t *unit_of);
/* The groups hashed again after the string ids change (strgc.c). Returns
 * false when out of memory. */
bool forget_rehash(Stream *s);
void forget_free(Forget *f, uint32_t nretains);

#endif
