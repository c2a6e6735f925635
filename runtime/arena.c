/* arena.c - bump allocator; see arena.h for the ownership rule. */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ArenaBlock {
    ArenaBlock *next;
    size_t used, cap;
    max_align_t data[];
};

enum { ARENA_BLOCK_MIN = 64 * 1024 };

void arena_init(Arena *a)
{
    a->head = NULL;
    a->failed = false;
    a->on_fail = NULL;
    a->held = a->peak = 0;
}

void arena_free(Arena *a)
{
    ArenaBlock *b = a->head;
    while (b) {
        ArenaBlock *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->failed = false;
    a->held = 0;
}

void arena_reset(Arena *a)
{
    ArenaBlock *keep = a->head;
    if (!keep) return;
    ArenaBlock *b = keep->next;
    while (b) {
        ArenaBlock *next = b->next;
        free(b);
        b = next;
    }
    keep->next = NULL;
    keep->used = 0;
    a->held = sizeof(ArenaBlock) + keep->cap;
}

ArenaMark arena_mark(const Arena *a) { return (ArenaMark){a->head, a->head ? a->head->used : 0}; }

bool arena_grew(const Arena *a, ArenaMark m) { return a->head != m.block || (a->head && a->head->used != m.used); }

static bool inside(const ArenaBlock *b, size_t from, const void *p)
{
    const char *c = p, *data = (const char *)b->data;
    return c >= data + from && c < data + b->used;
}

bool arena_since(const Arena *a, ArenaMark m, const void *p)
{
    const ArenaBlock *b = a->head;
    for (; b && b != m.block; b = b->next)
        if (inside(b, 0, p)) return true;
    return b && inside(b, m.used, p);
}

void arena_rewind(Arena *a, ArenaMark m)
{
    ArenaBlock *b = a->head;
    while (b && b != m.block) {
        ArenaBlock *next = b->next;
        a->held -= sizeof(ArenaBlock) + b->cap;
        free(b);
        b = next;
    }
    a->head = b;
    if (b) b->used = m.used;
}

static void *out_of_memory(Arena *a)
{
    a->failed = true;
    if (a->on_fail) a->on_fail();
    return NULL;
}

/* Both allocators in one body, inlined into each: the VM's scratch calls
 * arena_alloc in its inner loops. */
static inline void *alloc(Arena *a, size_t size, size_t align)
{
    ArenaBlock *b = a->head;
    size_t at = b ? (b->used + align - 1) & ~(align - 1) : 0;
    if (!b || at > b->cap || b->cap - at < size) {
        size_t cap = size > ARENA_BLOCK_MIN ? size : ARENA_BLOCK_MIN;
        b = malloc(sizeof(ArenaBlock) + cap);
        if (!b) return out_of_memory(a);
        b->used = 0;
        b->cap = cap;
        b->next = a->head;
        a->head = b;
        a->held += sizeof(ArenaBlock) + cap;
        if (a->held > a->peak) a->peak = a->held;
        at = 0;
    }
    void *p = (char *)b->data + at;
    b->used = at + size;
    memset(p, 0, size);
    return p;
}

void *arena_alloc_packed(Arena *a, size_t size, size_t align)
{
    if (size > SIZE_MAX - sizeof(max_align_t) - sizeof(ArenaBlock)) return out_of_memory(a);
    return alloc(a, size, align);
}

void *arena_alloc(Arena *a, size_t size)
{
    size_t align = sizeof(max_align_t);
    if (size > SIZE_MAX - align - sizeof(ArenaBlock)) return out_of_memory(a);
    size = (size + align - 1) / align * align;
    return alloc(a, size ? size : align, align);
}

char *arena_strndup(Arena *a, const char *s, size_t n)
{
    char *p = n < SIZE_MAX ? arena_alloc(a, n + 1) : out_of_memory(a);
    if (!p) return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(Arena *a, const char *s) { return arena_strndup(a, s, strlen(s)); }

char *arena_vprintf(Arena *a, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) n = 0;
    char *p = arena_alloc(a, (size_t)n + 1);
    if (p) vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *arena_printf(Arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}

void *array_grow(void *items, uint32_t *cap, size_t size, uint32_t first)
{
    uint32_t n = *cap ? *cap * 2 : first;
    if (n <= *cap || (size && (size_t)n > SIZE_MAX / size)) return NULL;
    void *p = realloc(items, size * n);
    if (p) *cap = n;
    return p;
}

void ptrvec_push(Arena *a, PtrVec *v, void *item)
{
    if (v->len == v->cap) {
        int cap = v->cap ? v->cap * 2 : 4;
        void **items = arena_alloc(a, sizeof(void *) * (size_t)cap);
        if (!items) return;
        if (v->len) memcpy(items, v->items, sizeof(void *) * (size_t)v->len);
        v->items = items;
        v->cap = cap;
    }
    v->items[v->len++] = item;
}
