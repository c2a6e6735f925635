/* strtab.h - interned strings: every string read from the data and every
 * string constant of the program is stored once and named by a StrId, so
 * comparisons are integer comparisons. Id 0 is the empty string. */
#ifndef ZD_STRTAB_H
#define ZD_STRTAB_H
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>
#include "hidx.h"

typedef uint32_t StrId;

enum { STRTAB_RECENT = 2048 };
/* The texts lie in chunks of 1 MiB, never moved (a text of a chunk or more
 * in a chunk of its own: a long text). An id's entry, 8 bytes, says where
 * its text is and how long it is: its chunk (high 24 bits), its offset in
 * the chunk (20 bits) and its length (low 20 bits); a long text's length is
 * STRTAB_LONG there, and its chunk starts with its length (8 bytes, then the
 * text). So up to 2^24 chunks (16 TiB of text) and texts of up to 4 GiB. */
enum { STRTAB_CHUNK_BITS = 20, STRTAB_LONG = (1 << STRTAB_CHUNK_BITS) - 1 };

typedef struct StrTab {
    char **chunks;
    uint32_t nchunks, chunk_cap;
    uint32_t cur, used;    /* the chunk being filled, and its bytes used */
    uint64_t *ent;         /* per id: chunk << 40 | offset << 20 | length (or STRTAB_LONG) */
    uint32_t n, cap;
    HIdx index;            /* hash of the text -> id */
    /* the strings found again lately, by the low bits of their hash: a data
     * set's few recurring values (people, kinds, units) are found here
     * without probing the index, whose slots a million ids spread out */
    HIdxSlot recent[STRTAB_RECENT];
    bool failed;           /* an intern ran out of memory (and gave id 0) */
} StrTab;

void strtab_init(StrTab *t);
void strtab_free(StrTab *t);
/* The id of s, added if new. Out of memory: id 0 and t->failed set, which
 * whoever reads a whole input checks once and reports. */
StrId strtab_intern(StrTab *t, const char *s, size_t len);
/* The same, given hash = hidx_hash_text(s, len) (worked out once per cell). */
StrId strtab_intern_hashed(StrTab *t, const char *s, size_t len, uint32_t hash);
/* Asks the memory for where the string of that hash would be found: a
 * reader that will intern a string (an event id) a little later calls this
 * first, so the miss on a large table overlaps other work. */
static inline void strtab_prefetch(const StrTab *t, uint32_t hash)
{
    if (t->index.nslots) __builtin_prefetch(&t->index.slots[hash & (t->index.nslots - 1)]);
}
/* The id of s if interned, else UINT32_MAX (does not add it). */
StrId strtab_find(const StrTab *t, const char *s, size_t len);
StrId strtab_find_hashed(const StrTab *t, const char *s, size_t len, uint32_t hash);
/* Keeps only the strings with live[id] set (id 0 always), in id order, and
 * returns the map old id -> new id (malloc'd; entries of dropped strings are
 * 0). Order is kept: a < b implies map[a] <= map[b]. In place: it takes no
 * more memory than the map. Out of memory: NULL and the table unchanged. */
StrId *strtab_compact(StrTab *t, const uint8_t *live);
static inline const char *strtab_str(const StrTab *t, StrId id)
{
    if (id >= t->n) return "";
    uint64_t e = t->ent[id];
    return t->chunks[e >> 40] + ((e >> STRTAB_CHUNK_BITS) & STRTAB_LONG);
}
static inline uint32_t strtab_len(const StrTab *t, StrId id)
{
    if (id >= t->n) return 0;
    uint64_t e = t->ent[id], len = e & STRTAB_LONG;
    if (len == STRTAB_LONG) memcpy(&len, t->chunks[e >> 40], sizeof len);
    return (uint32_t)len;
}

#endif
