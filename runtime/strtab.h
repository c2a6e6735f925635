/* strtab.h - interned strings: every string read from the data and every
 * string constant of the program is stored once and named by a StrId, so
 * comparisons are integer comparisons. Id 0 is the empty string. */
#ifndef ZD_STRTAB_H
#define ZD_STRTAB_H
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "hidx.h"

typedef uint32_t StrId;

enum { STRTAB_RECENT = 2048 };
/* The texts lie in chunks of 1 MiB (a longer one in a chunk of its own),
 * never moved: a string is named by its chunk (high 32 bits) and its offset
 * (low 32 bits), so neither the number of chunks nor the text is limited. */
enum { STRTAB_CHUNK_BITS = 20 };

typedef struct StrTab {
    char **chunks;
    uint32_t nchunks, chunk_cap;
    uint32_t cur, used;    /* the chunk being filled, and its bytes used */
    uint64_t *at;          /* per id: chunk << 32 | offset of its text */
    uint32_t *lens;
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
    uint64_t at = t->at[id];
    return t->chunks[at >> 32] + (uint32_t)at;
}
static inline uint32_t strtab_len(const StrTab *t, StrId id) { return id < t->n ? t->lens[id] : 0; }

#endif
