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
    free(t->at);
    free(t->lens);
    hidx_free(&t->index);
    memset(t, 0, sizeof *t);
}

static StrId find(const StrTab *t, const char *s, size_t len, uint32_t hash)
{
    uint32_t pos = 0;
    for (StrId i; (i = hidx_next(&t->index, hash, &pos)) != HIDX_NONE;)
        if (t->lens[i] == len && memcmp(strtab_str(t, i), s, len) == 0) return i;
    return UINT32_MAX;
}

/* The id of s if it was found lately, else UINT32_MAX. */
static StrId recent(const StrTab *t, const char *s, size_t len, uint32_t hash)
{
    const HIdxSlot *r = &t->recent[hash & (STRTAB_RECENT - 1)];
    if (r->hash == hash && r->id < t->n && t->lens[r->id] == len && memcmp(strtab_str(t, r->id), s, len) == 0) return r->id;
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
    uint32_t cap = t->cap ? t->cap * 2 : 1024;
    uint64_t *at = realloc(t->at, sizeof(uint64_t) * cap);
    if (at) t->at = at;
    uint32_t *lens = at ? realloc(t->lens, sizeof(uint32_t) * cap) : NULL;
    if (!lens) return false;
    t->lens = lens;
    t->cap = cap;
    return true;
}

/* Room for size bytes of text, never moved; NULL when out of memory (or
 * past 4 GiB of text). */
static char *store(StrTab *t, size_t size, uint64_t *at)
{
    const uint32_t chunk = 1u << STRTAB_CHUNK_BITS;
    if (t->nchunks && size <= chunk - t->used) { /* used is chunk when none is being filled */
        char *p = t->chunks[t->cur] + t->used;
        *at = (uint64_t)t->cur << 32 | t->used;
        t->used += (uint32_t)size;
        return p;
    }
    if (t->nchunks == UINT32_MAX) return NULL;
    if (t->nchunks == t->chunk_cap) {
        uint32_t cap = t->chunk_cap ? t->chunk_cap * 2 : 16;
        char **chunks = realloc(t->chunks, sizeof(char *) * cap);
        if (!chunks) return NULL;
        t->chunks = chunks;
        t->chunk_cap = cap;
    }
    char *c = malloc(size > chunk ? size : chunk);
    if (!c) return NULL;
    uint32_t k = t->nchunks++;
    t->chunks[k] = c;
    *at = (uint64_t)k << 32;
    if (size < chunk) { /* a longer text keeps its chunk to itself */
        t->cur = k;
        t->used = (uint32_t)size;
    }
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
    uint64_t at = 0;
    if ((t->n == t->cap && !grow(t)) || len >= UINT32_MAX || !(copy = store(t, len + 1, &at)) ||
        hidx_add(&t->index, hash, t->n) != 0) {
        t->failed = true;
        return 0;
    }
    memcpy(copy, s, len);
    copy[len] = '\0';
    uint32_t id = t->n++;
    t->at[id] = at;
    t->lens[id] = (uint32_t)len;
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
        if (t->lens[i] + 1 >= chunk) state[t->at[i] >> 32] = LONG;
    uint32_t n = 1, to = 0, used = 1; /* id 0, the empty string, stays at the start of chunk 0 */
    state[0] = KEPT;
    for (uint32_t i = 1; i < t->n; i++) {
        if (!live[i]) continue;
        uint32_t size = t->lens[i] + 1, from = (uint32_t)(t->at[i] >> 32);
        if (size >= chunk) { /* a chunk of its own (store: not the one being filled) */
            state[from] |= KEPT;
        } else {
            if (size > chunk - used) { /* the next chunk of texts, at or before from */
                do to++;
                while (state[to] & LONG);
                used = 0;
            }
            state[to] |= KEPT;
            memmove(t->chunks[to] + used, strtab_str(t, i), size);
            t->at[i] = (uint64_t)to << 32 | used;
            used += size;
        }
        map[i] = n;
        t->at[n] = t->at[i];
        t->lens[n++] = t->lens[i];
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
    for (uint32_t i = 0; i < n; i++) t->at[i] = (uint64_t)state[t->at[i] >> 32] << 32 | (uint32_t)t->at[i];
    t->nchunks = k;
    t->cur = state[to];
    t->used = used;
    t->n = n;
    /* the index keeps its slots: fewer ids than before, no growth, no failure */
    hidx_clear(&t->index);
    for (uint32_t i = 0; i < n; i++) hidx_add(&t->index, hidx_hash_text(strtab_str(t, i), t->lens[i]), i);
    memset(t->recent, 0, sizeof t->recent);
    free(state);
    return map;
}
