/* unit.h - one unit's view of the data set while it is judged: the reference
 * rows that apply to it, the index of each keyed table, its events of the
 * current step in time order, and the per-field indexes of those events that
 * scans use (built together, on first use). A streaming run keeps the
 * indexes across steps: the events a step forgets are taken out of them
 * (unit_forget), and the next step adds only its new events, which come
 * after the ones held. Owned by the scheduler (stream.c), read by the VM
 * (vm.c). Internal to the runtime library. */
#ifndef ZD_UNIT_H
#define ZD_UNIT_H
#include <stdbool.h>
#include <stdint.h>
#include "dataset.h"
#include "earliest.h"
#include "hidx.h"
#include "program.h"

/* An index of the unit's events by the value of one log field: for a list
 * field, by each of its items (membership). */
typedef struct FieldIndex {
    bool wanted;          /* a scan narrows by it, or it is the id: built with the others */
    uint32_t covered;     /* the events indexed: the first `covered` positions of Unit.evs */
    StrId *keys;          /* the distinct keys, ascending (binary search) */
    uint32_t *starts;     /* per key: its first position; starts[nkeys]: the end */
    uint32_t nkeys;
    uint32_t *positions;  /* positions into Unit.evs, grouped by key, in time order */
} FieldIndex;

typedef struct Unit {
    StrId id;
    int64_t r0, r1;
    uint32_t *evs;        /* event indices in the range, by (time, input order) */
    uint32_t nevs;
    uint32_t **rows;      /* per table: indices of the rows that apply to the unit */
    uint32_t *nrows;
    HIdx *keyed;          /* per table (keyed tables only): hidx_hash_id of a key -> its row (the later row wins) */
    FieldIndex *fields;   /* per log field, built on first use */
    Earliest early;       /* the earliest time of each key, over every event of the unit so far (earliest.h) */
} Unit;

/* The reference rows that apply to u->id and the keyed indexes. Returns
 * false when out of memory (then unit_free_rows frees what was built). */
bool unit_build_rows(Unit *u, const Program *p, const Dataset *ds);
/* Frees the step's events and their field indexes (u->evs is the unit's). */
void unit_free_events(Unit *u, const Program *p);
/* Between two steps of a streaming run: takes the events forgotten out of
 * the field indexes (moved: each event's new index into the data set, or
 * ZNONE when dropped) and frees the step's events; the next step's come
 * after those held, in the same order. */
void unit_forget(Unit *u, const Program *p, const uint32_t *moved);
/* After the string ids change (map: old id -> new, in the same order): the
 * field indexes' keys and the keyed tables' indexes. Returns false when out
 * of memory. */
bool unit_rekey(Unit *u, const Program *p, const Dataset *ds, const StrId *map);
/* Frees everything the unit holds. */
void unit_free_rows(Unit *u, const Program *p);

/* The row of keyed table t whose key is the string `key`, or ZNONE. */
uint32_t unit_lookup(const Unit *u, const Dataset *ds, uint32_t t, StrId key);
/* The positions (into u->evs, in time order) of the events whose log field f
 * holds `key`; *n of them. NULL when out of memory. */
const uint32_t *unit_key_positions(Unit *u, const Dataset *ds, uint32_t f, StrId key, uint32_t *n);
/* Puts u->evs in time order, input order between equal times. Returns
 * false when out of memory. */
bool unit_sort_events(Unit *u, const Dataset *ds);
/* Builds the indexes scans may use (the wanted fields') over every event of
 * u->evs, so that the unit can then be read by several threads at once.
 * Returns false when out of memory. */
bool unit_build_indexes(Unit *u, const Dataset *ds);
/* The first position whose event time is >= t. */
uint32_t unit_lower_bound(const Unit *u, const Dataset *ds, int64_t t);
/* The unit's event (in this step) with that id, or ZNONE. */
uint32_t unit_event_by_id(Unit *u, const Dataset *ds, StrId id);
/* A person's display name in the unit's roster, or NULL. */
const char *unit_person_name(const Dataset *ds, StrId unit, StrId person);

#endif
