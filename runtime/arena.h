/* arena.h - bump allocator for everything that lives exactly as long as its
 * owner: a compilation (AST nodes, symbols), a loaded Program, a data set's
 * strings, a run's verdicts. Ownership: the arena owns every block it
 * returns; nothing allocated from it is freed individually. */
#ifndef ZD_ARENA_H
#define ZD_ARENA_H
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Out of memory: every allocating function below returns NULL (ptrvec_push
 * leaves the vector as it was) and sets `failed`, which stays set until
 * arena_free, so an owner with an error path may check it once at its
 * boundary (the runtime never aborts). An owner with no error path (the
 * compiler) sets on_fail, which is called first and does not return. */
typedef struct ArenaBlock ArenaBlock;
typedef struct Arena {
    ArenaBlock *head;
    bool failed;
    void (*on_fail)(void);
    size_t held, peak;    /* bytes of its blocks now, and the most it has held: a measure for tests */
} Arena;

void arena_init(Arena *a);
void arena_free(Arena *a);
/* Forgets every allocation but keeps the most recent block for reuse. */
void arena_reset(Arena *a);
/* A point in an arena's allocations to come back to: arena_rewind forgets
 * every allocation made after it (marks are used last in, first out: a
 * rewind to a mark forgets the marks taken after it). */
typedef struct ArenaMark {
    ArenaBlock *block;
    size_t used;
} ArenaMark;
ArenaMark arena_mark(const Arena *a);
/* Whether anything was allocated after m, and whether p points into it. */
bool arena_grew(const Arena *a, ArenaMark m);
bool arena_since(const Arena *a, ArenaMark m, const void *p);
void arena_rewind(Arena *a, ArenaMark m);
/* Zeroed memory, aligned for any type. */
void *arena_alloc(Arena *a, size_t size);
/* Zeroed memory aligned to align only (a power of two up to
 * sizeof(max_align_t)): what is held by the million packs tighter. */
void *arena_alloc_packed(Arena *a, size_t size, size_t align);
char *arena_strndup(Arena *a, const char *s, size_t n);
char *arena_strdup(Arena *a, const char *s);
char *arena_printf(Arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(Arena *a, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* A malloc'd array one element larger: `items` reallocated to twice *cap
 * elements of `size` bytes (`first` when empty), *cap updated; NULL, and
 * items and *cap as they were, when out of memory or past 2^32 elements. */
void *array_grow(void *items, uint32_t *cap, size_t size, uint32_t first);

/* A growable array of pointers whose storage comes from the arena. */
typedef struct PtrVec {
    void **items;
    int len, cap;
} PtrVec;
void ptrvec_push(Arena *a, PtrVec *v, void *item);

#endif
