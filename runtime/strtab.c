/* strtab.c - string interning with open addressing (FNV-1a hash). */
#include "strtab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t hash_bytes(const char *s, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (!q) { fputs("zhidu: out of memory\n", stderr); abort(); }
    return q;
}

void strtab_init(StrTab *t)
{
    memset(t, 0, sizeof *t);
    arena_init(&t->arena);
    strtab_intern(t, "", 0);
}

void strtab_free(StrTab *t)
{
    arena_free(&t->arena);
    free(t->strs);
    free(t->lens);
    free(t->slots);
    memset(t, 0, sizeof *t);
}

static void rehash(StrTab *t)
{
    uint32_t n = t->nslots ? t->nslots * 2 : 1024;
    free(t->slots);
    t->slots = xrealloc(NULL, sizeof(uint32_t) * n);
    memset(t->slots, 0xFF, sizeof(uint32_t) * n);
    t->nslots = n;
    for (uint32_t i = 0; i < t->n; i++) {
        uint32_t h = hash_bytes(t->strs[i], t->lens[i]) & (n - 1);
        while (t->slots[h] != UINT32_MAX) h = (h + 1) & (n - 1);
        t->slots[h] = i;
    }
}

StrId strtab_find(const StrTab *t, const char *s, size_t len)
{
    if (!t->nslots) return UINT32_MAX;
    uint32_t h = hash_bytes(s, len) & (t->nslots - 1);
    while (t->slots[h] != UINT32_MAX) {
        uint32_t i = t->slots[h];
        if (t->lens[i] == len && memcmp(t->strs[i], s, len) == 0) return i;
        h = (h + 1) & (t->nslots - 1);
    }
    return UINT32_MAX;
}

StrId strtab_intern(StrTab *t, const char *s, size_t len)
{
    StrId found = strtab_find(t, s, len);
    if (found != UINT32_MAX) return found;
    if ((t->n + 1) * 2 > t->nslots) rehash(t);
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 1024;
        t->strs = xrealloc(t->strs, sizeof(char *) * t->cap);
        t->lens = xrealloc(t->lens, sizeof(uint32_t) * t->cap);
    }
    uint32_t id = t->n++;
    t->strs[id] = arena_strndup(&t->arena, s, len);
    t->lens[id] = (uint32_t)len;
    uint32_t h = hash_bytes(s, len) & (t->nslots - 1);
    while (t->slots[h] != UINT32_MAX) h = (h + 1) & (t->nslots - 1);
    t->slots[h] = id;
    return id;
}

StrId *strtab_compact(StrTab *t, const uint8_t *live)
{
    StrId *map = calloc(t->n + 1u, sizeof(StrId));
    if (!map) { fputs("zhidu: out of memory\n", stderr); abort(); }
    StrTab fresh;
    strtab_init(&fresh);
    for (uint32_t i = 1; i < t->n; i++)
        if (live[i]) map[i] = strtab_intern(&fresh, t->strs[i], t->lens[i]);
    strtab_free(t);
    *t = fresh;
    return map;
}
