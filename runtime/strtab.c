/* strtab.c - string interning over the shared hash index (hidx.h). */
#include "strtab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void strtab_init(StrTab *t)
{
    memset(t, 0, sizeof *t);
    arena_init(&t->arena);
    t->index.dense = true;
    strtab_intern(t, "", 0);
}

void strtab_free(StrTab *t)
{
    arena_free(&t->arena);
    free(t->strs);
    free(t->lens);
    hidx_free(&t->index);
    memset(t, 0, sizeof *t);
}

static StrId find(const StrTab *t, const char *s, size_t len, uint32_t hash)
{
    uint32_t pos = 0;
    for (StrId i; (i = hidx_next(&t->index, hash, &pos)) != HIDX_NONE;)
        if (t->lens[i] == len && memcmp(t->strs[i], s, len) == 0) return i;
    return UINT32_MAX;
}

/* The id of s if it was found lately, else UINT32_MAX. */
static StrId recent(const StrTab *t, const char *s, size_t len, uint32_t hash)
{
    const HIdxSlot *r = &t->recent[hash & (STRTAB_RECENT - 1)];
    if (r->hash == hash && r->id < t->n && t->lens[r->id] == len && memcmp(t->strs[r->id], s, len) == 0) return r->id;
    return UINT32_MAX;
}

StrId strtab_find(const StrTab *t, const char *s, size_t len)
{
    uint32_t hash = hidx_hash_text(s, len);
    StrId id = recent(t, s, len, hash);
    return id != UINT32_MAX ? id : find(t, s, len, hash);
}

static bool grow(StrTab *t)
{
    uint32_t cap = t->cap ? t->cap * 2 : 1024;
    const char **strs = realloc(t->strs, sizeof(char *) * cap);
    if (strs) t->strs = strs;
    uint32_t *lens = strs ? realloc(t->lens, sizeof(uint32_t) * cap) : NULL;
    if (!lens) return false;
    t->lens = lens;
    t->cap = cap;
    return true;
}

StrId strtab_intern(StrTab *t, const char *s, size_t len)
{
    uint32_t hash = hidx_hash_text(s, len);
    StrId found = recent(t, s, len, hash);
    if (found != UINT32_MAX) return found;
    if ((found = find(t, s, len, hash)) != UINT32_MAX) {
        t->recent[hash & (STRTAB_RECENT - 1)] = (HIdxSlot){hash, found};
        return found;
    }
    char *copy = NULL;
    if ((t->n == t->cap && !grow(t)) || len > UINT32_MAX || !(copy = arena_alloc_packed(&t->arena, len + 1, 1)) ||
        hidx_add(&t->index, hash, t->n) != 0) {
        t->failed = true;
        return 0;
    }
    memcpy(copy, s, len);
    uint32_t id = t->n++;
    t->strs[id] = copy;
    t->lens[id] = (uint32_t)len;
    return id;
}

StrId *strtab_compact(StrTab *t, const uint8_t *live)
{
    StrId *map = calloc(t->n + 1u, sizeof(StrId));
    if (!map) return NULL;
    StrTab fresh;
    strtab_init(&fresh);
    for (uint32_t i = 1; i < t->n; i++)
        if (live[i]) map[i] = strtab_intern(&fresh, t->strs[i], t->lens[i]);
    fresh.failed |= t->failed;
    strtab_free(t);
    *t = fresh;
    return map;
}
