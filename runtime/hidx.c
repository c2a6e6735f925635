/* hidx.c - open-addressing hash index (see hidx.h). */
#define _DEFAULT_SOURCE /* MADV_HUGEPAGE */
#include "hidx.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

enum { HIDX_MIN_SLOTS = 16 };

uint32_t hidx_hash_bytes(const void *s, size_t len)
{
    const unsigned char *p = s;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) h = (h ^ p[i]) * 16777619u;
    return h;
}

uint64_t hidx_hash_text64(const void *s, size_t len, uint64_t seed)
{
    const unsigned char *p = s;
    uint64_t h = (seed ^ 0x9E3779B97F4A7C15ull ^ len) * 0xD6E8FEB86659FD93ull, w;
    for (; len >= 8; p += 8, len -= 8) {
        memcpy(&w, p, 8);
        h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
        h ^= h >> 31;
    }
    if (len) { /* the last 1-7 bytes in two loads that may overlap */
        uint32_t a, b;
        if (len >= 4) {
            memcpy(&a, p, 4);
            memcpy(&b, p + len - 4, 4);
        } else {
            a = p[0] | (uint32_t)p[len / 2] << 8;
            b = p[len - 1];
        }
        w = a | (uint64_t)b << 32;
        h = (h ^ w) * 0x94D049BB133111EBull;
        h ^= h >> 29;
    }
    h *= 0xD6E8FEB86659FD93ull;
    h ^= h >> 32;
    return h;
}

void hidx_advise_huge(void *p, size_t size)
{
#ifdef MADV_HUGEPAGE
    const uintptr_t huge = (uintptr_t)2 << 20;
    if (size < 4 * huge) return;
    uintptr_t from = ((uintptr_t)p + huge - 1) & ~(huge - 1), to = ((uintptr_t)p + size) & ~(huge - 1);
    if (to > from) madvise((void *)from, to - from, MADV_HUGEPAGE); /* a hint: its failure changes nothing */
#else
    (void)p, (void)size;
#endif
}

void hidx_free(HIdx *h)
{
    free(h->slots);
    h->slots = NULL;
    h->nslots = h->n = 0;
}

void hidx_clear(HIdx *h)
{
    for (uint32_t i = 0; i < h->nslots; i++) h->slots[i].id = HIDX_NONE;
    h->n = 0;
}

static void place(HIdxSlot *slots, uint32_t nslots, uint32_t hash, uint32_t id)
{
    uint32_t at = hash & (nslots - 1);
    while (slots[at].id != HIDX_NONE) at = (at + 1) & (nslots - 1);
    slots[at].hash = hash;
    slots[at].id = id;
}

int hidx_add(HIdx *h, uint32_t hash, uint32_t id)
{
    if ((uint64_t)(h->n + 1) * (h->dense ? 4 : 2) > (uint64_t)h->nslots * (h->dense ? 3 : 1)) {
        uint32_t n = h->nslots ? h->nslots * 2 : HIDX_MIN_SLOTS;
        if (!n) return -1;
        HIdxSlot *slots = malloc(sizeof *slots * n);
        if (!slots) return -1;
        hidx_advise_huge(slots, sizeof *slots * n);
        for (uint32_t i = 0; i < n; i++) slots[i].id = HIDX_NONE;
        for (uint32_t i = 0; i < h->nslots; i++)
            if (h->slots[i].id != HIDX_NONE) place(slots, n, h->slots[i].hash, h->slots[i].id);
        free(h->slots);
        h->slots = slots;
        h->nslots = n;
    }
    place(h->slots, h->nslots, hash, id);
    h->n++;
    return 0;
}

/* *pos counts the slots probed so far, so the walk resumes where it stopped. */
uint32_t hidx_next(const HIdx *h, uint32_t hash, uint32_t *pos)
{
    if (!h->nslots) return HIDX_NONE;
    for (;;) {
        const HIdxSlot *s = &h->slots[(hash + *pos) & (h->nslots - 1)];
        if (s->id == HIDX_NONE || *pos >= h->nslots) return HIDX_NONE;
        ++*pos;
        if (s->hash == hash) return s->id;
    }
}
