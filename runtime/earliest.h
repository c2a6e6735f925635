/* earliest.h - per unit, the earliest time of each key of the program's
 * earliest tables: for an EARLIEST instruction (docs/bytecode.md), whose
 * operands name event types and key fields, the earliest time among the
 * unit's events of those types of each combination of those fields' values
 * (a list field: each of its items). Kept up to date as each step's events
 * arrive (the minimum: in any order), never trimmed, so the events
 * themselves need not be held; the string collection marks and remaps its
 * keys. Only a streaming run keeps them (earliest_fields). Owned by the unit (unit.h), filled by the scheduler (stream.c) before
 * a step's tasks read it, read by the VM. Internal to the runtime library. */
#ifndef ZD_EARLIEST_H
#define ZD_EARLIEST_H
#include <stdbool.h>
#include <stdint.h>
#include "dataset.h"
#include "hidx.h"
#include "program.h"

/* One table: `types` and `fields` as the instruction's constants give them. */
typedef struct EarliestTable {
    uint64_t types, fields;
    uint32_t nkeys;       /* fields set in `fields` */
    uint32_t *entries;    /* per entry: nkeys StrIds in field order, then the time (two words) */
    uint32_t n, cap;
    HIdx idx;             /* the hash of an entry's keys -> the entry */
} EarliestTable;

typedef struct Earliest {
    EarliestTable *tables;
    uint32_t ntables;
    bool set_up;
} Earliest;

/* The log fields p's EARLIEST instructions key by. A run holding every
 * event keeps no tables: the VM reads the held events through these fields'
 * indexes instead (vm.c), as the scan would, for no memory beyond them. */
uint64_t earliest_fields(const Program *p);
/* The tables p's EARLIEST instructions read (once per unit; false when out of memory). */
bool earliest_setup(Earliest *es, const Program *p);
/* Takes events evs[from .. n) (indices into ds->events) into the tables.
 * False when out of memory (the tables stay valid, but not complete). */
bool earliest_add(Earliest *es, const Dataset *ds, const uint32_t *evs, uint32_t from, uint32_t n);
/* The table of these operands, or NULL. */
const EarliestTable *earliest_table(const Earliest *es, uint64_t types, uint64_t fields);
/* The earliest time of the entry with these keys (nkeys, in field order), or INT64_MAX. */
int64_t earliest_get(const EarliestTable *t, const StrId *keys);
struct Unit;
/* The least earliest time, up to until, over every combination of keys (key
 * i one of the nv[i] > 0 names vals[i]) of the events of `types` whose key
 * `fields` hold them, in unit u: from its table when streaming (set up),
 * else read from the events held through the index of the key with the
 * fewest, in time order. INT64_MAX when none; *failed set when out of memory. */
int64_t earliest_least(struct Unit *u, const Dataset *ds, uint64_t types, uint64_t fields, const StrId *const *vals,
                       const uint32_t *nv, uint32_t n, int64_t until, bool *failed);
/* Calls fn on every key the tables hold (the string collection's mark and remap). */
void earliest_visit(Earliest *es, void (*fn)(StrId *id, void *ctx), void *ctx);
/* After the ids changed (earliest_visit with a remap): rehashes, in place. */
void earliest_rehash(Earliest *es);
void earliest_free(Earliest *es);

#endif
