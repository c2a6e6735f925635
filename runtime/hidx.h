/* hidx.h - the one open-addressing hash index: maps a 32-bit hash to the ids
 * (indexes into the caller's own arrays) stored under it. The index holds no
 * keys: a lookup walks the candidates with the same hash and the caller
 * compares its own keys, so one index serves strings, ids and tuples alike.
 * Linear probing, grown (doubled) at half load (or three quarters, dense); nothing is ever removed
 * (rebuild or empty it, hidx_clear, to forget); the ids under one hash come in no promised order
 * (added order until a growth re-places a chain that wrapped past the end), so callers match
 * exactly one key. Also the string hashes and the one id hash.
 *
 * Every hash lookup of the runtime and the compiler goes through it but one:
 * the data set's set of (unit, id) pairs (dataset.c) keeps its 64-bit keys in
 * the slots themselves, because it is the one structure that grows with the
 * whole log in a streaming run, and ids into an array of keys would add 8
 * bytes an event to it. */
#ifndef ZD_HIDX_H
#define ZD_HIDX_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { HIDX_NONE = 0xFFFFFFFFu };

typedef struct HIdxSlot {
    uint32_t hash, id;       /* id HIDX_NONE: empty */
} HIdxSlot;

typedef struct HIdx {
    HIdxSlot *slots;
    uint32_t nslots, n;      /* nslots: 0 or a power of two */
    /* grown at three-quarters load, not half: for the one index as large
     * as the log (the string table's), longer probes for fewer bytes */
    bool dense;
} HIdx;

/* Asks the kernel for huge pages under a new table of `size` bytes at p
 * (not yet written) that is probed at random all over: the string index of
 * a million strings, the data set's (unit, id) set. Its 4 KiB pages would
 * cost a TLB miss a probe; 2 MiB ones do not. A hint: nothing else changes. */
void hidx_advise_huge(void *p, size_t size);
void hidx_free(HIdx *h);     /* back to empty (a zeroed HIdx is empty) */
/* Empty, keeping its slots: as many ids as it held before are added again
 * without growing (and without failing). */
void hidx_clear(HIdx *h);
/* Adds id under hash. Returns 0, or -1 when out of memory (nothing added). */
int hidx_add(HIdx *h, uint32_t hash, uint32_t id);
/* The ids stored under hash, one per call: start with *pos = 0, call until
 * it returns HIDX_NONE. */
uint32_t hidx_next(const HIdx *h, uint32_t hash, uint32_t *pos);

/* FNV-1a: stable across builds and machines (--shard splits units by it). */
uint32_t hidx_hash_bytes(const void *s, size_t len);
/* Eight bytes a step, for what lives in memory only (the string table, the
 * data set's (unit, id) keys): the values depend on the machine's byte
 * order. seed chains hashes: the hash of b with seed hash(a) is the pair's. */
uint64_t hidx_hash_text64(const void *s, size_t len, uint64_t seed);
static inline uint32_t hidx_hash_text(const void *s, size_t len) { return (uint32_t)hidx_hash_text64(s, len, 0); }
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
