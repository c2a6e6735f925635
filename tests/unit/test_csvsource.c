/* test_csvsource.c - the CSV backend (runtime/csvsource.c) keeps every
 * blank: libcsv trims spaces and tabs unless told that none is one, and the
 * backend tells it only for the pieces of a file where a blank could be
 * trimmed (at a field's edge, after a closing quote, at a piece's end,
 * pieces of 1,024 bytes). Values with blanks in every such place, and each
 * place laid on a piece's first and last bytes, read back as written; a
 * blank after a closing quote is an error at that byte, on a piece's edge
 * too; a blank at the end of a file without a final line break is kept. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "source.h"

static char dir[] = "/tmp/zd_csvsource_XXXXXX";

static void write_file(const char *text, size_t len)
{
    char path[64];
    snprintf(path, sizeof path, "%s/t.csv", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    fclose(f);
}

static Source *open_t(void)
{
    char err[512];
    Source *s = csv_source_open(dir, LANG_EN, err, sizeof err);
    assert_non_null(s);
    const char *const *names;
    int ncols;
    if (s->ops->open_table(s, "t", &names, &ncols, err, sizeof err)) fail_msg("%s", err);
    return s;
}

/* what is written (CSV) and what must be read */
static const char *const written[] = {" a", "a ", " ", "  ", "a b", "a  b", "\ta", "a\t", "a\tb", "\" q \"", "\"x\"", "b", "\" \""};
static const char *const read_as[] = {" a", "a ", " ", "  ", "a b", "a  b", "\ta", "a\t", "a\tb", " q ", "x", "b", " "};
enum { NV = sizeof written / sizeof written[0], ROWS = 3000 };

static void test_blanks_kept(void **state)
{
    (void)state;
    /* row r: a pad of x's that lays the value's first byte r % 4 bytes
     * before a multiple of 1,024 (a piece's first byte, its last, ...) */
    size_t cap = (size_t)ROWS * 1100, len = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    len += (size_t)sprintf(text, "pad,v,w\n");
    for (int r = 0; r < ROWS; r++) {
        size_t start = len + 1, boundary = (start + 3 + 1023) / 1024 * 1024, pad = boundary - (size_t)(r % 4) - start;
        memset(text + len, 'x', pad);
        len += pad;
        len += (size_t)sprintf(text + len, ",%s,%s\n", written[r % NV], written[(r / 4) % NV]);
    }
    write_file(text, len);
    Source *s = open_t();
    char err[512];
    SourceRow row;
    for (int r = 0; r < ROWS; r++) {
        assert_int_equal(s->ops->next(s, &row, err, sizeof err), 1);
        assert_null(row.problem);
        assert_int_equal(row.ncols, 3);
        assert_int_equal(row.loc, r + 2);
        const char *v = read_as[r % NV], *w = read_as[(r / 4) % NV];
        if (row.cols[1].len != strlen(v) || memcmp(row.cols[1].p, v, strlen(v)))
            fail_msg("row %d: v is '%.*s', expected '%s'", r, (int)row.cols[1].len, row.cols[1].p, v);
        if (row.cols[2].len != strlen(w) || memcmp(row.cols[2].p, w, strlen(w)))
            fail_msg("row %d: w is '%.*s', expected '%s'", r, (int)row.cols[2].len, row.cols[2].p, w);
        assert_true(row.cols[1].present);
    }
    assert_int_equal(s->ops->next(s, &row, err, sizeof err), 0);
    s->ops->free(s);
    free(text);
}

/* A blank after a closing quote: malformed at the blank's byte, wherever a
 * piece starts or ends; the file's bytes counted from 0. */
static void test_blank_after_quote(void **state)
{
    (void)state;
    for (int letter = 0; letter < 2; letter++) /* what follows the blank: a line end, a letter */
        for (size_t at = 1020; at <= 1027; at++) {
            /* "pad,v\n" (6 bytes), the pad, ',' '"' 'q' '"', then the blank: at 6 + pad + 4 */
            size_t pad = at - 10;
            char *text = malloc(pad + 32);
            assert_non_null(text);
            size_t len = (size_t)sprintf(text, "pad,v\n");
            memset(text + len, 'x', pad);
            len += pad;
            len += (size_t)sprintf(text + len, letter ? ",\"q\" x\n" : ",\"q\" \n");
            write_file(text, len);
            free(text);
            Source *s = open_t();
            char err[512], want[600];
            SourceRow row;
            assert_int_equal(s->ops->next(s, &row, err, sizeof err), -1);
            snprintf(want, sizeof want,
                     "%s/t.csv:2: malformed CSV at byte %zu: a quote inside an unquoted field, or text after a closing quote (RFC 4180)",
                     dir, at);
            assert_string_equal(err, want);
            s->ops->free(s);
        }
}

/* The last field of a file without a final line break keeps its blanks. */
static void test_blank_at_the_end(void **state)
{
    (void)state;
    const char *texts[] = {"pad,v\nx,a ", "pad,v\nx, ", "pad,v\nx,\t"};
    const char *want[] = {"a ", " ", "\t"};
    for (int i = 0; i < 3; i++) {
        write_file(texts[i], strlen(texts[i]));
        Source *s = open_t();
        char err[512];
        SourceRow row;
        assert_int_equal(s->ops->next(s, &row, err, sizeof err), 1);
        assert_int_equal(row.ncols, 2);
        assert_int_equal(row.cols[1].len, strlen(want[i]));
        assert_memory_equal(row.cols[1].p, want[i], strlen(want[i]));
        assert_int_equal(s->ops->next(s, &row, err, sizeof err), 0);
        s->ops->free(s);
    }
}

static int setup(void **state)
{
    (void)state;
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char path[64];
    snprintf(path, sizeof path, "%s/t.csv", dir);
    unlink(path);
    rmdir(dir);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blanks_kept),
        cmocka_unit_test(test_blank_after_quote),
        cmocka_unit_test(test_blank_at_the_end),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
