/* strgc.h - between two steps of a streaming run, drops the interned strings
 * nothing holds any more (the forgotten events' ids and values). Internal to
 * the runtime library. */
#ifndef ZD_STRGC_H
#define ZD_STRGC_H
#include <stdbool.h>

typedef struct Stream Stream;

/* Compacts the string table and renumbers every id the run holds. Ids keep
 * their order, so sorted lists and the units' field indexes stay sorted; the
 * units' keyed tables are indexed again and the verdict index forgotten; the
 * unit map and forget.c's groups (hashed by ids) are left to the caller.
 * Returns false when out of memory. */
bool strgc_collect(Stream *s);

#endif
