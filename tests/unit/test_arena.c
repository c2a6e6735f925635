/* test_arena.c - the bump allocator and pointer vectors (runtime/arena.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "arena.h"

static int setup(void **state)
{
    Arena *a = malloc(sizeof *a);
    if (!a) return -1;
    arena_init(a);
    *state = a;
    return 0;
}

static int teardown(void **state)
{
    Arena *a = *state;
    arena_free(a);
    free(a);
    return 0;
}

static void test_init_and_free_empty(void **state)
{
    (void)state;
    Arena a;
    arena_init(&a);
    assert_null(a.head);
    arena_free(&a);
    assert_null(a.head);
    /* free twice is harmless, and the arena is usable again */
    arena_free(&a);
    void *p = arena_alloc(&a, 10);
    assert_non_null(p);
    arena_free(&a);
    assert_null(a.head);
}

static void test_alignment(void **state)
{
    Arena *a = *state;
    const size_t align = _Alignof(max_align_t);
    for (size_t size = 0; size < 200; size++) {
        void *p = arena_alloc(a, size);
        assert_non_null(p);
        if ((uintptr_t)p % align != 0) fail_msg("arena_alloc(%zu) returned %p, not aligned to %zu", size, p, align);
    }
    /* alignment holds across block boundaries too */
    for (int i = 0; i < 2000; i++) {
        void *p = arena_alloc(a, 37 + (size_t)i % 91);
        assert_int_equal((uintptr_t)p % align, 0);
    }
    long double *ld = arena_alloc(a, sizeof(long double) * 3);
    ld[0] = 1.5L;
    ld[2] = 2.5L;
    assert_true(ld[0] + ld[2] == 4.0L);
}

static void test_zeroed_and_distinct(void **state)
{
    Arena *a = *state;
    unsigned char *prev = NULL;
    size_t prev_size = 0;
    for (size_t size = 1; size < 3000; size += 97) {
        unsigned char *p = arena_alloc(a, size);
        for (size_t i = 0; i < size; i++)
            if (p[i] != 0) fail_msg("byte %zu of a %zu-byte allocation is %u", i, size, p[i]);
        memset(p, 0xAB, size);
        if (prev) {
            /* no overlap with the previous block */
            assert_true(p + size <= prev || prev + prev_size <= p);
            for (size_t i = 0; i < prev_size; i++) assert_int_equal(prev[i], 0xAB);
        }
        prev = p;
        prev_size = size;
    }
    /* size 0 gives distinct, usable pointers */
    void *z1 = arena_alloc(a, 0);
    void *z2 = arena_alloc(a, 0);
    assert_non_null(z1);
    assert_non_null(z2);
    assert_ptr_not_equal(z1, z2);
}

static void test_large_allocations(void **state)
{
    Arena *a = *state;
    char *small1 = arena_alloc(a, 16);
    memcpy(small1, "before", 7);
    size_t big = 1u << 20; /* larger than one block */
    unsigned char *p = arena_alloc(a, big);
    for (size_t i = 0; i < big; i++) assert_true(p[i] == 0);
    memset(p, 0x11, big);
    char *small2 = arena_alloc(a, 16);
    memcpy(small2, "after", 6);
    unsigned char *q = arena_alloc(a, 3u << 20);
    memset(q, 0x22, 3u << 20);
    assert_string_equal(small1, "before");
    assert_string_equal(small2, "after");
    assert_int_equal(p[0], 0x11);
    assert_int_equal(p[big - 1], 0x11);
    /* exactly one block's worth */
    unsigned char *r = arena_alloc(a, 64 * 1024);
    memset(r, 0x33, 64 * 1024);
    assert_int_equal(p[big / 2], 0x11);
    assert_int_equal(q[(3u << 20) - 1], 0x22);
}

static void test_strndup_strdup(void **state)
{
    Arena *a = *state;
    char *s = arena_strndup(a, "abcdef", 3);
    assert_string_equal(s, "abc");
    s = arena_strndup(a, "abc", 0);
    assert_string_equal(s, "");
    s = arena_strdup(a, "书记与校长");
    assert_string_equal(s, "书记与校长");
    assert_int_equal(strlen(s), 15);
    /* n counts bytes, even through a NUL */
    const char with_nul[] = {'x', '\0', 'y'};
    s = arena_strndup(a, with_nul, 3);
    assert_int_equal(s[0], 'x');
    assert_int_equal(s[1], '\0');
    assert_int_equal(s[2], 'y');
    assert_int_equal(s[3], '\0');
    /* the copy is independent */
    char buf[8] = "hello";
    s = arena_strdup(a, buf);
    buf[0] = 'j';
    assert_string_equal(s, "hello");
}

static void test_printf(void **state)
{
    Arena *a = *state;
    assert_string_equal(arena_printf(a, "%s-%d-%c", "rule", 42, 'x'), "rule-42-x");
    assert_string_equal(arena_printf(a, "%s", ""), "");
    assert_string_equal(arena_printf(a, "%.*s", 6, "书记与校长"), "书记");
    assert_string_equal(arena_printf(a, "%05.1f|%lld", 3.14159, -1234567890123LL), "003.1|-1234567890123");
    /* output larger than one block */
    char *big = arena_printf(a, "[%*s]", 100000, "x");
    assert_int_equal(strlen(big), 100002);
    assert_int_equal(big[0], '[');
    assert_int_equal(big[1], ' ');
    assert_int_equal(big[100000], 'x');
    assert_int_equal(big[100001], ']');
}

static void test_ptrvec_growth(void **state)
{
    Arena *a = *state;
    PtrVec v = {0};
    static int values[5000];
    for (int i = 0; i < 5000; i++) {
        values[i] = i;
        ptrvec_push(a, &v, &values[i]);
        assert_int_equal(v.len, i + 1);
        assert_true(v.cap >= v.len);
    }
    for (int i = 0; i < 5000; i++) assert_ptr_equal(v.items[i], &values[i]);
    /* capacity grows geometrically from 4 */
    assert_int_equal(v.cap, 8192);
    PtrVec w = {0};
    ptrvec_push(a, &w, NULL);
    assert_int_equal(w.len, 1);
    assert_int_equal(w.cap, 4);
    assert_null(w.items[0]);
    for (int i = 0; i < 4; i++) ptrvec_push(a, &w, &values[i]);
    assert_int_equal(w.cap, 8);
    assert_null(w.items[0]);
    assert_ptr_equal(w.items[4], &values[3]);
}

/* A mark, then allocations within its block and past it (a new block, a
 * block of its own): arena_since tells them from what came before, and a
 * rewind forgets them, freeing the blocks made since (held goes back down,
 * peak stays). */
static void test_mark_and_rewind(void **state)
{
    Arena *a = *state;
    char *before = arena_alloc(a, 100);
    ArenaMark m = arena_mark(a);
    assert_false(arena_grew(a, m));
    size_t held = a->held;
    char *in_block = arena_alloc(a, 100);
    char *big = arena_alloc(a, 200 * 1024); /* more than a block: one of its own */
    assert_true(arena_grew(a, m));
    assert_false(arena_since(a, m, before));
    assert_true(arena_since(a, m, in_block));
    assert_true(arena_since(a, m, big));
    assert_true(arena_since(a, m, big + 200 * 1024 - 1));
    assert_true(a->held >= held + 200 * 1024);
    size_t peak = a->peak;
    arena_rewind(a, m);
    assert_false(arena_grew(a, m));
    assert_int_equal(a->held, held);
    assert_int_equal(a->peak, peak);
    /* the next allocation takes the place of the forgotten one */
    assert_ptr_equal(arena_alloc(a, 100), in_block);
    /* a mark of an empty arena: a rewind frees every block */
    Arena e;
    arena_init(&e);
    ArenaMark none = arena_mark(&e);
    assert_non_null(arena_alloc(&e, 10));
    assert_true(arena_grew(&e, none));
    arena_rewind(&e, none);
    assert_null(e.head);
    assert_int_equal(e.held, 0);
    arena_free(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_and_free_empty),
        cmocka_unit_test_setup_teardown(test_alignment, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zeroed_and_distinct, setup, teardown),
        cmocka_unit_test_setup_teardown(test_large_allocations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_strndup_strdup, setup, teardown),
        cmocka_unit_test_setup_teardown(test_printf, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ptrvec_growth, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mark_and_rewind, setup, teardown),
    };
    return cmocka_run_group_tests_name("arena", tests, NULL, NULL);
}
