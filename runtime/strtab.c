/* strtab.c - string interning over the shared hash index (hidx.h). */
#include "strtab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void strtab_init(StrTab *t)
{
    memset(t, 0, sizeof *t);
    t->used = 1u << STRTAB_CHUNK_BITS; /* no chunk yet */
    t->index.dense = true;
    strtab_intern(t, "", 0);
}

void strtab_free(StrTab *t)
{
    for (uint32_t i = 0; i < t->nchunks; i++) free(t->chunks[i]);
    free(t->chunks);
    free(t->ent);
    hidx_free(&t->index);
    memset(t, 0, sizeof *t);
}

static inline StrId find(const StrTab *t, const char *s, size_t len, uint32_t hash)
{
    uint32_t pos = 0;
    for (StrId i; (i = hidx_next(&t->index, hash, &pos)) != HIDX_NONE;)
        if (strtab_len(t, i) == len && memcmp(strtab_str(t, i), s, len) == 0) return i;
    return UINT32_MAX;
}

/* The id of s if it was found lately, else UINT32_MAX. */
static inline StrId recent(const StrTab *t, const char *s, size_t len, uint32_t hash)
{
    const HIdxSlot *r = &t->recent[hash & (STRTAB_RECENT - 1)];
    if (r->hash == hash && r->id < t->n && strtab_len(t, r->id) == len && memcmp(strtab_str(t, r->id), s, len) == 0) return r->id;
    return UINT32_MAX;
}

StrId strtab_find(const StrTab *t, const char *s, size_t len) { return strtab_find_hashed(t, s, len, hidx_hash_text(s, len)); }

StrId strtab_find_hashed(const StrTab *t, const char *s, size_t len, uint32_t hash)
{
    StrId id = recent(t, s, len, hash);
    return id != UINT32_MAX ? id : find(t, s, len, hash);
}

static bool grow(StrTab *t)
{
    uint32_t cap = t->cap ? t->cap + t->cap / 2 : 1024; /* by half: the table of a million ids has less room to spare */
    uint64_t *ent = cap > t->cap ? realloc(t->ent, sizeof(uint64_t) * cap) : NULL;
    if (!ent) return false;
    t->ent = ent;
    t->cap = cap;
    return true;
}

/* Room for the text of len bytes and its NUL, never moved, and its entry
 * (StrTab.ent); NULL when out of memory (or out of chunks). */
static char *store(StrTab *t, size_t len, uint64_t *ent)
{
    const uint32_t chunk = 1u << STRTAB_CHUNK_BITS;
    size_t size = len + 1;
    if (t->nchunks && size <= chunk - t->used) { /* used is chunk when none is being filled */
        char *p = t->chunks[t->cur] + t->used;
        *ent = (uint64_t)t->cur << 40 | (uint64_t)t->used << STRTAB_CHUNK_BITS | len;
        t->used += (uint32_t)size;
        return p;
    }
    if (t->nchunks == 1u << 24) return NULL;
    if (t->nchunks == t->chunk_cap) {
        uint32_t cap = t->chunk_cap ? t->chunk_cap * 2 : 16;
        char **chunks = realloc(t->chunks, sizeof(char *) * cap);
        if (!chunks) return NULL;
        t->chunks = chunks;
        t->chunk_cap = cap;
    }
    bool is_long = len >= STRTAB_LONG; /* size >= chunk: a chunk of its own, its length first */
    uint64_t head = is_long ? sizeof(uint64_t) : 0;
    char *c = malloc(is_long ? head + size : chunk);
    if (!c) return NULL;
    uint32_t k = t->nchunks++;
    t->chunks[k] = c;
    if (is_long) {
        uint64_t n = len;
        memcpy(c, &n, sizeof n);
        *ent = (uint64_t)k << 40 | head << STRTAB_CHUNK_BITS | STRTAB_LONG;
        return c + head;
    }
    *ent = (uint64_t)k << 40 | len;
    t->cur = k;
    t->used = (uint32_t)size;
    return c;
}

StrId strtab_intern(StrTab *t, const char *s, size_t len) { return strtab_intern_hashed(t, s, len, hidx_hash_text(s, len)); }

StrId strtab_intern_hashed(StrTab *t, const char *s, size_t len, uint32_t hash)
{
    StrId found = recent(t, s, len, hash);
    if (found != UINT32_MAX) return found;
    if ((found = find(t, s, len, hash)) != UINT32_MAX) {
        t->recent[hash & (STRTAB_RECENT - 1)] = (HIdxSlot){hash, found};
        return found;
    }
    char *copy = NULL;
    uint64_t ent = 0;
    if ((t->n == t->cap && !grow(t)) || len >= UINT32_MAX || !(copy = store(t, len, &ent)) ||
        hidx_add(&t->index, hash, t->n) != 0) {
        t->failed = true;
        return 0;
    }
    memcpy(copy, s, len);
    copy[len] = '\0';
    uint32_t id = t->n++;
    t->ent[id] = ent;
    return id;
}

/* In place, so a compaction needs no second table beside the first: the
 * texts of the chunks filled in turn are packed towards the first (a text
 * never moves to a later chunk or offset: a kept text's new place is at or
 * before its old one), a long text's chunk is kept or freed whole, the
 * chunks left empty are freed and the others renumbered in order; the index
 * keeps its slots and takes the kept ids again. */
StrId *strtab_compact(StrTab *t, const uint8_t *live)
{
    enum { LONG = 1, KEPT = 2 };
    const uint32_t chunk = 1u << STRTAB_CHUNK_BITS;
    StrId *map = calloc(t->n + 1u, sizeof(StrId));
    uint32_t *state = calloc(t->nchunks + 1u, sizeof(uint32_t)); /* per chunk: LONG, KEPT; then its new number */
    if (!map || !state) {
        free(map);
        free(state);
        return NULL;
    }
    for (uint32_t i = 1; i < t->n; i++)
        if ((t->ent[i] & STRTAB_LONG) == STRTAB_LONG) state[t->ent[i] >> 40] = LONG;
    uint32_t n = 1, to = 0, used = 1; /* id 0, the empty string, stays at the start of chunk 0 */
    state[0] = KEPT;
    for (uint32_t i = 1; i < t->n; i++) {
        if (!live[i]) continue;
        uint32_t len = (uint32_t)(t->ent[i] & STRTAB_LONG), size = len + 1, from = (uint32_t)(t->ent[i] >> 40);
        if (len == STRTAB_LONG) { /* a chunk of its own (store: not the one being filled) */
            state[from] |= KEPT;
        } else {
            if (size > chunk - used) { /* the next chunk of texts, at or before from */
                do to++;
                while (state[to] & LONG);
                used = 0;
            }
            state[to] |= KEPT;
            memmove(t->chunks[to] + used, strtab_str(t, i), size);
            t->ent[i] = (uint64_t)to << 40 | (uint64_t)used << STRTAB_CHUNK_BITS | len;
            used += size;
        }
        map[i] = n;
        t->ent[n++] = t->ent[i];
    }
    uint32_t k = 0;
    for (uint32_t c = 0; c < t->nchunks; c++) {
        if (!(state[c] & KEPT)) {
            free(t->chunks[c]);
            continue;
        }
        state[c] = k;
        t->chunks[k++] = t->chunks[c];
    }
    for (uint32_t i = 0; i < n; i++) t->ent[i] = (uint64_t)state[t->ent[i] >> 40] << 40 | (t->ent[i] & (((uint64_t)1 << 40) - 1));
    t->nchunks = k;
    t->cur = state[to];
    t->used = used;
    t->n = n;
    /* the index keeps its slots: fewer ids than before, no growth, no failure */
    hidx_clear(&t->index);
    for (uint32_t i = 0; i < n; i++) hidx_add(&t->index, hidx_hash_text(strtab_str(t, i), strtab_len(t, i)), i);
    memset(t->recent, 0, sizeof t->recent);
    free(state);
    return map;
}
