/* forget.h - between two steps of a streaming run, drops the events no later
 * run can read (the program's retention entries, docs/runtime.md,
 * "Streaming"). Internal to the runtime library. */
#ifndef ZD_FORGET_H
#define ZD_FORGET_H
#include <stdbool.h>
#include <stdint.h>

typedef struct Stream Stream;

/* Keeps the events a later run can still read and drops the rest; unit_of:
 * each event's unit (an index into s->units), or ZNONE for events no rule
 * judges. Returns false when out of memory (then the run is void: the events
 * past the failure are dropped too). */
bool forget_events(Stream *s, const uint32_t *unit_of);

#endif
