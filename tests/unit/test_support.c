/* test_support.c - the runtime's shared helpers: arena_alloc, the hash index
 * (runtime/hidx.c), string interning over it (strtab.c), the UTF-8 validator
 * (text.c) and the whole-file reader (file.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "file.h"
#include "hidx.h"
#include "strtab.h"
#include "text.h"

/* Every id added under a hash comes back from the walk, and no other. */
static void test_hidx_collisions_and_growth(void **state)
{
    (void)state;
    HIdx h = {0};
    assert_int_equal(hidx_next(&h, 7, &(uint32_t){0}), HIDX_NONE);
    enum { N = 5000 };
    for (uint32_t i = 0; i < N; i++) assert_int_equal(hidx_add(&h, i % 3 == 0 ? 42u : i * 2654435761u, i), 0);
    assert_true(h.nslots >= 2 * N);
    uint32_t pos = 0, id, seen = 0;
    while ((id = hidx_next(&h, 42, &pos)) != HIDX_NONE) {
        assert_int_equal(id % 3, 0);
        seen++;
    }
    assert_int_equal(seen, (N + 2) / 3);
    pos = 0;
    assert_int_equal(hidx_next(&h, 1u * 2654435761u, &pos), 1);
    hidx_free(&h);
    assert_int_equal(h.nslots, 0);
}

/* Texts fill chunks of 1 MiB; one longer than a chunk gets its own, and the
 * chunk being filled goes on after it: every text stays where it was put. */
static void test_strtab_long_texts(void **state)
{
    (void)state;
    StrTab t;
    strtab_init(&t);
    size_t big = (1u << STRTAB_CHUNK_BITS) + 10, mid = 700000;
    char *a = malloc(big), *b = malloc(mid);
    memset(a, 'a', big);
    memset(b, 'b', mid);
    assert_int_equal(strtab_intern(&t, "x", 1), 1);
    assert_int_equal(strtab_intern(&t, a, big), 2);
    assert_int_equal(strtab_intern(&t, "y", 1), 3);
    assert_int_equal(strtab_intern(&t, b, mid), 4);
    assert_int_equal(strtab_intern(&t, b, mid - 1), 5); /* does not fit the chunk being filled: a new one */
    assert_int_equal(strtab_intern(&t, "z", 1), 6);
    assert_false(t.failed);
    assert_string_equal(strtab_str(&t, 1), "x");
    assert_string_equal(strtab_str(&t, 3), "y");
    assert_string_equal(strtab_str(&t, 6), "z");
    assert_int_equal(strtab_len(&t, 2), big);
    assert_memory_equal(strtab_str(&t, 2), a, big);
    assert_int_equal(strtab_str(&t, 2)[big], '\0');
    assert_memory_equal(strtab_str(&t, 4), b, mid);
    assert_int_equal(strtab_len(&t, 5), mid - 1);
    assert_int_equal(strtab_find(&t, a, big), 2);
    assert_int_equal(strtab_find(&t, b, mid - 1), 5);
    assert_int_equal(t.nchunks, 3);
    free(a);
    free(b);
    strtab_free(&t);
}

static void test_strtab_interns_once(void **state)
{
    (void)state;
    StrTab t;
    strtab_init(&t);
    assert_int_equal(strtab_intern(&t, "", 0), 0);
    char buf[16];
    for (int i = 0; i < 3000; i++) {
        snprintf(buf, sizeof buf, "s%d", i);
        assert_int_equal(strtab_intern(&t, buf, strlen(buf)), (StrId)i + 1);
    }
    assert_int_equal(strtab_intern(&t, "s17", 3), 18);
    assert_int_equal(strtab_find(&t, "s2999", 5), 3000);
    assert_int_equal(strtab_find(&t, "s3000", 5), UINT32_MAX);
    assert_int_equal(strtab_intern(&t, "a\0b", 3), 3001); /* lengths, not NUL ends */
    assert_int_equal(strtab_find(&t, "a", 1), UINT32_MAX);
    assert_false(t.failed);
    uint8_t *live = calloc(t.n, 1);
    live[5] = live[3001] = 1;
    StrId *map = strtab_compact(&t, live);
    assert_int_equal(map[5], 1);
    assert_int_equal(map[3001], 2);
    assert_int_equal(t.n, 3);
    assert_int_equal(strtab_find(&t, "s4", 2), 1);
    /* a string found again is in the table of recent ones: after a compaction
     * that dropped it, it is not found, and the id it had is another's */
    assert_int_equal(strtab_intern(&t, "s4", 2), 1);
    free(map);
    memset(live, 0, 3);
    live[2] = 1;
    map = strtab_compact(&t, live);
    assert_int_equal(map[2], 1);
    assert_int_equal(strtab_find(&t, "s4", 2), UINT32_MAX);
    assert_int_equal(strtab_find(&t, "a\0b", 3), 1);
    assert_int_equal(strtab_intern(&t, "s4", 2), 2);
    free(map);
    free(live);
    strtab_free(&t);
}

/* The i-th text of the test below in buf: its length. */
static size_t compact_text(char *buf, int i)
{
    size_t len = i % 50 == 8                    ? (1u << 20) + 10 - (size_t)i /* longer than a chunk */
                 : i % 50 == 20 || i % 50 == 21 ? (1u << 20) - 1              /* with its NUL, a chunk exactly */
                                                : 40000 + (size_t)i;
    memset(buf, 'a' + i % 26, len);
    buf[0] = (char)('0' + i / 100), buf[1] = (char)('0' + i / 10 % 10), buf[2] = (char)('0' + i % 10); /* distinct */
    return len;
}

/* A compaction in place over many chunks: texts of 40 kB (26 to a chunk of
 * 1 MiB), and among them texts that take a chunk of their own (longer than a
 * chunk, or a chunk exactly), some kept, some dropped; every second one of
 * the others dropped. What is kept is found by its text, reads back the
 * same, and new strings go on after it. */
static void test_strtab_compact_in_place(void **state)
{
    (void)state;
    enum { N = 200 };
    StrTab t;
    strtab_init(&t);
    char *buf = malloc((1u << 20) + 10);
    assert_non_null(buf);
    for (int i = 0; i < N; i++) assert_int_equal(strtab_intern(&t, buf, compact_text(buf, i)), (StrId)i + 1);
    uint32_t chunks = t.nchunks;
    uint8_t *live = calloc(t.n, 1);
    for (int i = 0; i < N; i++) live[i + 1] = i % 2 == 1 || i == 8 || i == 70; /* 8: longer, kept; 70: a chunk, kept */
    StrId *map = strtab_compact(&t, live);
    assert_non_null(map);
    assert_int_equal(t.n, N / 2 + 3);
    assert_true(t.nchunks < chunks / 2 + 3);
    for (int i = 0; i < N; i++) {
        size_t len = compact_text(buf, i);
        if (!live[i + 1]) {
            assert_int_equal(map[i + 1], 0);
            assert_int_equal(strtab_find(&t, buf, len), UINT32_MAX);
            continue;
        }
        StrId id = map[i + 1];
        assert_int_equal(strtab_len(&t, id), len);
        assert_memory_equal(strtab_str(&t, id), buf, len);
        assert_int_equal(strtab_str(&t, id)[len], '\0');
        assert_int_equal(strtab_find(&t, buf, len), id);
    }
    assert_int_equal(strtab_intern(&t, "after", 5), N / 2 + 3);
    assert_string_equal(strtab_str(&t, N / 2 + 3), "after");
    assert_false(t.failed);
    free(map);
    strtab_free(&t);
    /* a text of a chunk exactly, between two that share the chunk being filled, all kept */
    strtab_init(&t);
    assert_int_equal(strtab_intern(&t, "x", 1), 1);
    size_t len = compact_text(buf, 20);
    assert_int_equal(strtab_intern(&t, buf, len), 2);
    assert_int_equal(strtab_intern(&t, "y", 1), 3);
    memset(live, 1, 4);
    map = strtab_compact(&t, live);
    assert_non_null(map);
    assert_int_equal(map[3], 3);
    assert_string_equal(strtab_str(&t, 1), "x");
    assert_string_equal(strtab_str(&t, 3), "y");
    assert_int_equal(strtab_find(&t, buf, len), 2);
    assert_int_equal(t.nchunks, 2);
    free(map);
    free(live);
    free(buf);
    strtab_free(&t);
}

/* A fixed pseudo-random sequence (xorshift64): the same on every run. */
static uint64_t next_random(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

/* Random texts (short ones, ones near a chunk's size and a few longer than
 * a chunk, whose length the chunk holds), interned and compacted in turn
 * with random strings kept, checked after each round against a copy of what
 * each id should name: its text, its length (the 20 bits of an entry, or
 * the long text's own), the NUL after it, and that the table finds it. */
static void test_strtab_random_compactions(void **state)
{
    (void)state;
    enum { ROUNDS = 12, ADD = 400, CHUNK = 1 << STRTAB_CHUNK_BITS };
    uint64_t x = 0x9E3779B97F4A7C15ull;
    StrTab t;
    strtab_init(&t);
    char **model = calloc(ROUNDS * ADD + 2, sizeof(char *)); /* per id: its text (id 0: "") */
    size_t *lens = calloc(ROUNDS * ADD + 2, sizeof(size_t));
    char *buf = malloc(CHUNK + 5000);
    assert_true(model && lens && buf);
    model[0] = strdup("");
    uint32_t n = 1, serial = 0;
    for (int round = 0; round < ROUNDS; round++) {
        for (int i = 0; i < ADD; i++) {
            uint64_t r = next_random(&x);
            size_t len = r % 100 == 0 ? CHUNK - 2 + (r >> 8) % 4 /* around STRTAB_LONG */
                         : r % 100 == 1 ? CHUNK + (r >> 8) % 5000
                         : r % 100 < 20 ? 1000 + (r >> 8) % 60000
                                        : 12 + (r >> 8) % 30;
            for (size_t k = 0; k < len; k++) buf[k] = (char)('a' + (r >> (k % 50)) % 26);
            int w = snprintf(buf, 12, "%u.", serial++); /* distinct: each starts with its own number */
            buf[w] = '.';
            StrId id = strtab_intern(&t, buf, len);
            assert_false(t.failed);
            assert_int_equal(id, n);
            model[n] = malloc(len + 1);
            memcpy(model[n], buf, len);
            model[n][len] = '\0';
            lens[n++] = len;
        }
        uint8_t *live = calloc(n, 1);
        live[0] = 1;
        for (uint32_t i = 1; i < n; i++) live[i] = next_random(&x) % 3 != 0;
        StrId *map = strtab_compact(&t, live);
        assert_non_null(map);
        uint32_t kept = 0;
        for (uint32_t i = 0; i < n; i++) {
            if (!live[i]) {
                assert_int_equal(strtab_find(&t, model[i], lens[i]), UINT32_MAX);
                free(model[i]);
                continue;
            }
            assert_int_equal(map[i], kept);
            model[kept] = model[i];
            lens[kept++] = lens[i];
        }
        n = kept;
        assert_int_equal(t.n, n);
        for (uint32_t i = 0; i < n; i++) {
            assert_int_equal(strtab_len(&t, i), lens[i]);
            assert_memory_equal(strtab_str(&t, i), model[i], lens[i]);
            assert_int_equal(strtab_str(&t, i)[lens[i]], '\0');
            assert_int_equal(strtab_find(&t, model[i], lens[i]), i);
        }
        free(map);
        free(live);
    }
    for (uint32_t i = 0; i < n; i++) free(model[i]);
    free(model);
    free(lens);
    free(buf);
    strtab_free(&t);
}

static void test_utf8_invalid_at(void **state)
{
    (void)state;
    assert_int_equal(utf8_invalid_at("", 0), -1);
    assert_int_equal(utf8_invalid_at("ab\xe6\x96\x87", 5), -1);     /* 文 */
    assert_int_equal(utf8_invalid_at("ab\0c", 4), 2);                /* NUL */
    assert_int_equal(utf8_invalid_at("a\xc0\x80", 3), 1);            /* overlong NUL */
    assert_int_equal(utf8_invalid_at("a\xe0\x9f\xbf", 4), 1);        /* overlong 3-byte */
    assert_int_equal(utf8_invalid_at("\xed\xa0\x80", 3), 0);         /* surrogate */
    assert_int_equal(utf8_invalid_at("\xf4\x90\x80\x80", 4), 0);     /* past U+10FFFF */
    assert_int_equal(utf8_invalid_at("xy\xe6\x96", 4), 2);           /* cut short */
    assert_int_equal(utf8_invalid_at("a\xe6\x41\x87", 4), 1);       /* a CJK lead byte, then ASCII */
    assert_int_equal(utf8_invalid_at("\xf0\x9f\x98\x80!", 5), -1);   /* 4-byte */
    assert_int_equal(utf8_invalid_at("\x80", 1), 0);                 /* lone continuation */
}

/* The validator reads eight or four bytes at a time where it can: a bad
 * sequence is found at every place in cells of every length around those
 * steps, and clean ASCII and CJK cells of every length pass. */
static void test_utf8_invalid_at_every_place(void **state)
{
    (void)state;
    static const struct { const char *bad; size_t len; } bads[] = {
        {"\0", 1}, {"\x80", 1}, {"\xff", 1}, {"\xc0\x80", 2}, {"\xed\xa0\x80", 3}, {"\xe1\x41\x80", 3}, {"\xe6\x96", 2},
    };
    char buf[40];
    for (size_t n = 0; n <= 24; n++) {
        memset(buf, 'a', n);
        assert_int_equal(utf8_invalid_at(buf, n), -1);
        for (size_t k = 0; k < sizeof bads / sizeof bads[0]; k++)
            for (size_t at = 0; at + bads[k].len <= n; at++) {
                memset(buf, 'a', n);
                memcpy(buf + at, bads[k].bad, bads[k].len);
                /* a cut-short character at the very end, or followed by 'a', is bad where it starts */
                assert_int_equal(utf8_invalid_at(buf, n), (long)at);
            }
    }
    for (size_t chars = 0; chars <= 9; chars++) { /* 议 (E8 AE AE) after 0-2 ASCII bytes */
        for (size_t lead = 0; lead <= 2; lead++) {
            size_t n = lead;
            memset(buf, 'x', lead);
            for (size_t c = 0; c < chars; c++, n += 3) memcpy(buf + n, "\xe8\xae\xae", 3);
            assert_int_equal(utf8_invalid_at(buf, n), -1);
            if (chars) assert_int_equal(utf8_invalid_at(buf, n - 1), (long)(n - 3)); /* the last one cut */
        }
    }
}

/* The in-memory text hash tells lengths apart even where the bytes past
 * the shorter one are NUL, and a seed changes it. */
static void test_hash_text(void **state)
{
    (void)state;
    assert_int_not_equal(hidx_hash_text64("", 0, 0), hidx_hash_text64("\0", 1, 0));
    assert_int_not_equal(hidx_hash_text64("a", 1, 0), hidx_hash_text64("a\0", 2, 0));
    assert_int_not_equal(hidx_hash_text64("abcdefgh", 8, 0), hidx_hash_text64("abcdefgh\0", 9, 0));
    assert_int_not_equal(hidx_hash_text64("u1", 2, 0), hidx_hash_text64("u1", 2, 1));
    assert_int_equal(hidx_hash_text64("u1-0000001", 10, 7), hidx_hash_text64("u1-0000001", 10, 7));
}

static void test_file_read(void **state)
{
    (void)state;
    char dir[] = "/tmp/zd_test_file_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64], fifo[64];
    snprintf(path, sizeof path, "%s/f", dir);
    snprintf(fifo, sizeof fifo, "%s/p", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    for (int i = 0; i < 100000; i++) fputc('a' + i % 26, f); /* more than one read buffer */
    fclose(f);
    size_t size = 0;
    char *buf = file_read(path, FILE_MAX_BYTES, &size);
    assert_non_null(buf);
    assert_int_equal(size, 100000);
    assert_int_equal(buf[99999], 'a' + 99999 % 26);
    assert_int_equal(buf[size], '\0');
    free(buf);
    errno = 0;
    assert_null(file_read(path, 99999, &size));
    assert_int_equal(errno, EFBIG);
    assert_null(file_read(dir, FILE_MAX_BYTES, &size));
    assert_int_equal(errno, EISDIR);
    assert_string_equal(file_error(EISDIR), strerror(EISDIR));
    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_null(file_read(fifo, FILE_MAX_BYTES, &size)); /* refused before opening: no block */
    assert_int_equal(errno, EINVAL);
    assert_string_equal(file_error(EINVAL), "not a regular file");
    assert_null(file_read("/nonexistent/zd", FILE_MAX_BYTES, &size));
    assert_int_equal(errno, ENOENT);
    unlink(path);
    unlink(fifo);
    rmdir(dir);
}

/* An impossible size is refused with NULL and sets the sticky failed flag
 * (what an owner checks at its boundary); the arena still works, and only
 * arena_free clears the flag. An owner's on_fail is called first. */
static int on_fail_calls;
static void count_on_fail(void) { on_fail_calls++; }

static void test_arena_alloc_refuses(void **state)
{
    (void)state;
    Arena a;
    arena_init(&a);
    assert_false(a.failed);
    assert_null(arena_alloc(&a, SIZE_MAX));
    assert_true(a.failed);
    assert_null(arena_alloc(&a, SIZE_MAX - 8));
    assert_null(arena_strndup(&a, "x", SIZE_MAX));
    char *p = arena_alloc(&a, 10);
    assert_non_null(p);
    assert_int_equal(p[9], 0);
    arena_reset(&a);
    assert_true(a.failed);
    arena_free(&a);
    assert_false(a.failed);
    a.on_fail = count_on_fail;
    assert_null(arena_alloc(&a, SIZE_MAX));
    assert_int_equal(on_fail_calls, 1);
    arena_free(&a);
}

/* array_grow: the first size, then twice; past 2^32 elements NULL with the
 * array and its capacity as they were. */
static void test_array_grow(void **state)
{
    (void)state;
    uint32_t cap = 0;
    int *v = array_grow(NULL, &cap, sizeof(int), 4);
    assert_non_null(v);
    assert_int_equal(cap, 4);
    for (int i = 0; i < 4; i++) v[i] = i;
    v = array_grow(v, &cap, sizeof(int), 4);
    assert_non_null(v);
    assert_int_equal(cap, 8);
    assert_int_equal(v[3], 3);
    uint32_t big = 0x80000000u;
    assert_null(array_grow(v, &big, sizeof(int), 4));
    assert_int_equal(big, 0x80000000u);
    free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_array_grow),
        cmocka_unit_test(test_hidx_collisions_and_growth),
        cmocka_unit_test(test_strtab_interns_once),
        cmocka_unit_test(test_strtab_long_texts),
        cmocka_unit_test(test_strtab_compact_in_place),
        cmocka_unit_test(test_strtab_random_compactions),
        cmocka_unit_test(test_utf8_invalid_at),
        cmocka_unit_test(test_utf8_invalid_at_every_place),
        cmocka_unit_test(test_hash_text),
        cmocka_unit_test(test_file_read),
        cmocka_unit_test(test_arena_alloc_refuses),
    };
    return cmocka_run_group_tests_name("support", tests, NULL, NULL);
}
