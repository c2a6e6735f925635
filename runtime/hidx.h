/* hidx.h - the one open-addressing hash index: maps a 32-bit hash to the ids
 * (indexes into the caller's own arrays) stored under it. The index holds no
 * keys: a lookup walks the candidates with the same hash and the caller
 * compares its own keys, so one index serves strings, ids and tuples alike.
 * Linear probing, grown (doubled) at half load; nothing is ever removed
 * (rebuild to forget); the ids under one hash come in the order they were
 * added. Also the one string hash (FNV-1a) and the one id hash.
 *
 * Every hash lookup of the runtime and the compiler goes through it but one:
 * the data set's set of (unit, id) pairs (dataset.c) keeps its 64-bit keys in
 * the slots themselves, because it is the one structure that grows with the
 * whole log in a streaming run, and ids into an array of keys would add 8
 * bytes an event to it. */
#ifndef ZD_HIDX_H
#define ZD_HIDX_H
#include <stddef.h>
#include <stdint.h>

enum { HIDX_NONE = 0xFFFFFFFFu };

typedef struct HIdxSlot {
    uint32_t hash, id;       /* id HIDX_NONE: empty */
} HIdxSlot;

typedef struct HIdx {
    HIdxSlot *slots;
    uint32_t nslots, n;      /* nslots: 0 or a power of two */
} HIdx;

void hidx_free(HIdx *h);     /* back to empty (a zeroed HIdx is empty) */
/* Adds id under hash. Returns 0, or -1 when out of memory (nothing added). */
int hidx_add(HIdx *h, uint32_t hash, uint32_t id);
/* The ids stored under hash, one per call: start with *pos = 0, call until
 * it returns HIDX_NONE. */
uint32_t hidx_next(const HIdx *h, uint32_t hash, uint32_t *pos);

uint32_t hidx_hash_bytes(const void *s, size_t len);
/* The hash of a 32-bit id (an interned string's StrId, mostly). */
static inline uint32_t hidx_hash_id(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    x ^= x >> 16;
    return x;
}

#endif
