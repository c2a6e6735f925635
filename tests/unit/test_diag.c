/* test_diag.c - diagnostics (compiler/diag.c): counting, notes, the error cap,
 * text rendering with the source line and caret, JSON output and escaping. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

typedef struct Fixture {
    Arena arena;
    DiagEngine diag;
} Fixture;

static int setup(void **state)
{
    Fixture *f = calloc(1, sizeof *f);
    if (!f) return -1;
    arena_init(&f->arena);
    diag_init(&f->diag, &f->arena);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    Fixture *f = *state;
    arena_free(&f->arena);
    free(f);
    return 0;
}

static Source *src_of(Fixture *f, const char *path, const char *text)
{
    return source_from_memory(&f->arena, path, text, strlen(text));
}

/* The span [off, end) of src, with lines and code-point columns computed. */
static SrcLoc span(const Source *src, size_t off, size_t end)
{
    SrcLoc l;
    memset(&l, 0, sizeof l);
    l.src = src;
    l.off = off;
    l.end = end;
    int line = 1, col = 1;
    for (size_t i = 0; i <= end && i <= src->len; i++) {
        if (i == off) { l.line = line; l.col = col; }
        if (i == end) { l.end_line = line; l.end_col = col; }
        if (i == src->len) break;
        unsigned char c = (unsigned char)src->text[i];
        if (c == '\n') { line++; col = 1; }
        else if ((c & 0xC0) != 0x80) col++;
    }
    return l;
}

static SrcLoc no_loc(void)
{
    SrcLoc l;
    memset(&l, 0, sizeof l);
    return l;
}

/* Renders d as text (or JSON) into a heap string the caller frees. */
static char *render(const DiagEngine *d, bool json)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_non_null(out);
    if (json) diag_print_json(d, out);
    else diag_print_text(d, out, false);
    fclose(out);
    return buf;
}

static char *json_of(const char *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_non_null(out);
    json_write_string(out, s);
    fclose(out);
    return buf;
}

/* ---- code table ---------------------------------------------------------------- */

static void test_code_table(void **state)
{
    (void)state;
    assert_string_equal(diag_code_name(DIAG_E0001), "E0001");
    assert_string_equal(diag_code_name(DIAG_E0102), "E0102");
    assert_string_equal(diag_code_name(DIAG_W0004), "W0004");
    assert_int_equal(diag_code_severity(DIAG_E0202), DIAG_ERROR);
    assert_int_equal(diag_code_severity(DIAG_W0001), DIAG_WARNING);
    assert_string_equal(diag_code_summary(DIAG_E0202), "type mismatch");
    for (int c = 0; c < DIAG_CODE_COUNT; c++) {
        const char *n = diag_code_name((DiagCode)c);
        assert_int_equal(strlen(n), 5);
        assert_true(n[0] == 'E' || n[0] == 'W');
        assert_int_equal(diag_code_severity((DiagCode)c), n[0] == 'E' ? DIAG_ERROR : DIAG_WARNING);
        assert_true(strlen(diag_code_summary((DiagCode)c)) > 0);
    }
}

/* ---- reporting ------------------------------------------------------------------- */

static void test_counts_errors_and_warnings(void **state)
{
    Fixture *f = *state;
    DiagEngine *d = &f->diag;
    assert_int_equal(d->max_errors, 100);
    Source *s = src_of(f, "a.zd", "role x\n");
    Diag *e1 = diag_report(d, DIAG_E0200, span(s, 5, 6), D_UNKNOWN_NAME, "x");
    Diag *w1 = diag_report(d, DIAG_W0001, span(s, 0, 4), D_TEXT, "unused");
    Diag *e2 = diag_report(d, DIAG_E0202, span(s, 0, 6), D_TEXT, "type 2");
    diag_report(d, DIAG_W0004, no_loc(), D_TEXT, "no message");
    assert_non_null(e1);
    assert_non_null(w1);
    assert_non_null(e2);
    assert_int_equal(d->errors, 2);
    assert_int_equal(d->warnings, 2);
    assert_false(d->overflowed);
    assert_string_equal(e1->message, "unknown name 'x'");
    assert_string_equal(e2->message, "type 2");
    assert_int_equal(e1->code, DIAG_E0200);
    /* report order is kept in the list */
    assert_ptr_equal(d->first, e1);
    assert_ptr_equal(e1->next, w1);
    assert_ptr_equal(w1->next, e2);
    assert_ptr_equal(d->last->next, NULL);
    assert_int_equal(d->last->code, DIAG_W0004);
}

static void test_notes(void **state)
{
    Fixture *f = *state;
    DiagEngine *d = &f->diag;
    Source *s = src_of(f, "a.zd", "role x\nrole x\n");
    Diag *g = diag_report(d, DIAG_E0201, span(s, 12, 13), D_ALREADY_A, "x", "role");
    diag_note(d, g, span(s, 5, 6), D_PREVIOUSLY_DECLARED_HERE);
    diag_note(d, g, no_loc(), D_TEXT, "second note");
    diag_note(d, NULL, no_loc(), D_TEXT, "ignored"); /* a dropped diagnostic takes no notes */
    assert_non_null(g->notes);
    assert_string_equal(g->notes->message, "previously declared here");
    assert_int_equal(g->notes->loc.line, 1);
    assert_int_equal(g->notes->loc.col, 6);
    assert_non_null(g->notes->next);
    assert_string_equal(g->notes->next->message, "second note");
    assert_null(g->notes->next->loc.src);
    assert_null(g->notes->next->next);
    /* notes are not counted */
    assert_int_equal(d->errors, 1);
    assert_int_equal(d->warnings, 0);

    char *text = render(d, false);
    assert_string_equal(text,
                        "a.zd:2:6: error[E0201]: 'x' is already a role\n"
                        "  role x\n"
                        "       ^\n"
                        "a.zd:1:6: note: previously declared here\n"
                        "  role x\n"
                        "       ^\n"
                        "note: second note\n");
    free(text);
}

static void test_max_errors_cap(void **state)
{
    Fixture *f = *state;
    DiagEngine *d = &f->diag;
    d->max_errors = 3;
    Source *s = src_of(f, "a.zd", "abcdefghij\n");
    int kept = 0;
    for (int i = 0; i < 10; i++) {
        Diag *g = diag_report(d, DIAG_E0002, span(s, (size_t)i, (size_t)i + 1), D_BUILTIN_TAKES_ONE, "bad", i);
        if (g) kept++;
        diag_note(d, g, no_loc(), D_TEXT, "note"); /* harmless when dropped */
    }
    assert_int_equal(kept, 3);
    assert_true(d->overflowed);
    int n = 0, e0102 = 0;
    for (Diag *g = d->first; g; g = g->next) {
        n++;
        if (g->code == DIAG_E0102) {
            e0102++;
            assert_non_null(strstr(g->message, "too many errors (3)"));
        }
    }
    assert_int_equal(n, 4);
    assert_int_equal(e0102, 1);
    assert_int_equal(d->last->code, DIAG_E0102);
    assert_int_equal(d->errors, 4);
    /* more errors still add nothing */
    assert_null(diag_report(d, DIAG_E0200, no_loc(), D_TEXT, "more"));
    n = 0;
    for (Diag *g = d->first; g; g = g->next) n++;
    assert_int_equal(n, 4);
    assert_int_equal(d->errors, 4);
}

static void test_cap_of_one(void **state)
{
    Fixture *f = *state;
    DiagEngine *d = &f->diag;
    d->max_errors = 1;
    assert_non_null(diag_report(d, DIAG_E0100, no_loc(), D_TEXT, "first"));
    assert_null(diag_report(d, DIAG_E0100, no_loc(), D_TEXT, "second"));
    assert_null(diag_report(d, DIAG_E0100, no_loc(), D_TEXT, "third"));
    assert_int_equal(d->first->code, DIAG_E0100);
    assert_int_equal(d->first->next->code, DIAG_E0102);
    assert_null(d->first->next->next);
}

/* ---- text rendering ------------------------------------------------------------- */

static void test_text_basic(void **state)
{
    Fixture *f = *state;
    DiagEngine *d = &f->diag;
    Source *s = src_of(f, "dir/a.zd", "policy p {\n  require a == b\n}\n");
    /* the span "a == b" */
    diag_report(d, DIAG_E0202, span(s, 21, 27), D_CANNOT_COMPARE_WITH, "person", "time");
    char *text = render(d, false);
    assert_string_equal(text,
                        "dir/a.zd:2:11: error[E0202]: cannot compare person with time\n"
                        "    require a == b\n"
                        "            ^~~~~~\n");
    free(text);
}

static void test_text_color(void **state)
{
    Fixture *f = *state;
    DiagEngine *d = &f->diag;
    diag_report(d, DIAG_E0100, no_loc(), D_TEXT, "e");
    diag_report(d, DIAG_W0001, no_loc(), D_TEXT, "w");
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    diag_print_text(d, out, true);
    fclose(out);
    assert_string_equal(buf, "\x1b[1;31merror[E0100]\x1b[0m: e\n\x1b[1;35mwarning[W0001]\x1b[0m: w\n");
    free(buf);
}

static void test_caret_under_cjk(void **state)
{
    Fixture *f = *state;
    DiagEngine *d = &f->diag;
    Source *s = src_of(f, "a.zd", "role 书记, 校长\n");
    /* "书记" is bytes 5..11: two characters, four terminal columns */
    SrcLoc l = span(s, 5, 11);
    assert_int_equal(l.col, 6);
    assert_int_equal(l.end_col, 8);
    diag_report(d, DIAG_E0201, l, D_TEXT, "dup");
    /* a span after CJK text: "校长" at bytes 13..19 sits at terminal column 11 */
    diag_report(d, DIAG_E0201, span(s, 13, 19), D_TEXT, "dup2");
    char *text = render(d, false);
    assert_string_equal(text,
                        "a.zd:1:6: error[E0201]: dup\n"
                        "  role 书记, 校长\n"
                        "       ^~~~\n"
                        "a.zd:1:10: error[E0201]: dup2\n"
                        "  role 书记, 校长\n"
                        "             ^~~~\n");
    free(text);
}

static void test_caret_single_point_after_cjk(void **state)
{
    Fixture *f = *state;
    DiagEngine *d = &f->diag;
    Source *s = src_of(f, "a.zd", "书记 @ x\n");
    /* the '@' at byte 7 is character 4 but terminal column 6 */
    diag_report(d, DIAG_E0002, span(s, 7, 8), D_TEXT, "unexpected character '@'");
    char *text = render(d, false);
    assert_string_equal(text,
                        "a.zd:1:4: error[E0002]: unexpected character '@'\n"
                        "  书记 @ x\n"
                        "       ^\n");
    free(text);
}

static void test_caret_empty_span_and_end_of_line(void **state)
{
    Fixture *f = *state;
    DiagEngine *d = &f->diag;
    Source *s = src_of(f, "a.zd", "rule r {\nrole\n");
    /* an empty span points at one column */
    diag_report(d, DIAG_E0100, span(s, 5, 5), D_TEXT, "empty");
    /* a span at the end of the line points just past it */
    diag_report(d, DIAG_E0100, span(s, 13, 13), D_TEXT, "eol");
    /* a span running past the end of the line is cut there */
    diag_report(d, DIAG_E0100, span(s, 9, 14), D_TEXT, "multi");
    char *text = render(d, false);
    assert_string_equal(text,
                        "a.zd:1:6: error[E0100]: empty\n"
                        "  rule r {\n"
                        "       ^\n"
                        "a.zd:2:1: error[E0100]: multi\n"
                        "  role\n"
                        "  ^~~~\n"
                        "a.zd:2:5: error[E0100]: eol\n"
                        "  role\n"
                        "      ^\n");
    free(text);
}

static void test_long_line_cut(void **state)
{
    Fixture *f = *state;
    DiagEngine *d = &f->diag;
    /* 1000 columns: a..z repeated; the span is "XY" at byte 500 */
    char line[1002];
    for (int i = 0; i < 1000; i++) line[i] = (char)('a' + i % 26);
    line[500] = 'X';
    line[501] = 'Y';
    line[1000] = '\n';
    line[1001] = '\0';
    Source *s = src_of(f, "a.zd", line);
    diag_report(d, DIAG_E0100, span(s, 500, 502), D_TEXT, "far");
    char *text = render(d, false);
    /* window: 40 bytes before the span, 160 columns, "..." on both sides */
    char want[1024];
    int n = snprintf(want, sizeof want, "a.zd:1:501: error[E0100]: far\n  ...%.160s...\n  %*s^~\n", line + 460, 3 + 40, "");
    assert_true(n > 0 && n < (int)sizeof want);
    assert_string_equal(text, want);
    free(text);
}

static void test_long_line_span_at_start(void **state)
{
    Fixture *f = *state;
    DiagEngine *d = &f->diag;
    char line[302];
    memset(line, 'q', 300);
    line[300] = '\n';
    line[301] = '\0';
    Source *s = src_of(f, "a.zd", line);
    diag_report(d, DIAG_E0100, span(s, 2, 3), D_TEXT, "near");
    char *text = render(d, false);
    char want[512];
    snprintf(want, sizeof want, "a.zd:1:3: error[E0100]: near\n  %.160s...\n    ^\n", line);
    assert_string_equal(text, want);
    free(text);
}

static void test_long_cjk_line_cut(void **state)
{
    Fixture *f = *state;
    DiagEngine *d = &f->diag;
    /* 300 CJK characters (600 columns); the span is the 151st, at byte 450 */
    char line[300 * 3 + 2];
    for (int i = 0; i < 300; i++) memcpy(line + 3 * i, "字", 3);
    memcpy(line + 3 * 150, "错", 3);
    line[900] = '\n';
    line[901] = '\0';
    Source *s = src_of(f, "a.zd", line);
    diag_report(d, DIAG_E0100, span(s, 450, 453), D_TEXT, "cjk");
    char *text = render(d, false);
    /* The window starts 40 columns (20 wide characters) before the span, at
     * character 130 = byte 390, and holds 160 columns = 80 characters. */
    char want[1024];
    int n = snprintf(want, sizeof want, "a.zd:1:151: error[E0100]: cjk\n  ...%.240s...\n  %*s^~\n", line + 390,
                     3 + 2 * (150 - 130), "");
    assert_true(n > 0 && n < (int)sizeof want);
    assert_string_equal(text, want);
    free(text);
}

static void test_invalid_utf8_and_controls_shown_escaped(void **state)
{
    Fixture *f = *state;
    DiagEngine *d = &f->diag;
    Source *s = src_of(f, "a.zd", "ab\xff\xfe" "cd\x01" "e\tf\xe4\xb8" "g\n");
    diag_report(d, DIAG_E0001, span(s, 4, 5), D_TEXT, "here");
    diag_report(d, DIAG_E0001, span(s, 12, 13), D_TEXT, "g");
    char *text = render(d, false);
    assert_string_equal(text,
                        "a.zd:1:5: error[E0001]: here\n"
                        "  ab\\xff\\xfecd\\x01e f\\xe4\\xb8g\n"
                        "            ^\n" /* 2 + a b + two escapes of 4 columns */
                        "a.zd:1:12: error[E0001]: g\n"
                        "  ab\\xff\\xfecd\\x01e f\\xe4\\xb8g\n"
                        "                             ^\n"); /* 12 + cd, \x01 (4), e, the tab (1), f, \xe4 \xb8 (8) */
    free(text);
}

static void test_sorting(void **state)
{
    Fixture *f = *state;
    DiagEngine *d = &f->diag;
    Source *b = src_of(f, "b.zd", "xxxxxxxxxx\n");
    Source *a = src_of(f, "a.zd", "yyyyyyyyyy\n");
    diag_report(d, DIAG_E0100, span(b, 5, 6), D_TEXT, "b5");
    diag_report(d, DIAG_E0100, span(a, 7, 8), D_TEXT, "a7");
    diag_report(d, DIAG_E0100, span(b, 1, 2), D_TEXT, "b1");
    diag_report(d, DIAG_W0001, span(a, 7, 8), D_TEXT, "a7 again");
    diag_report(d, DIAG_E0100, no_loc(), D_TEXT, "nowhere");
    diag_report(d, DIAG_E0100, span(a, 2, 3), D_TEXT, "a2");
    char *text = render(d, false);
    const char *order[] = {"nowhere", "a2", "a7\n", "a7 again", "b1", "b5"};
    const char *p = text;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        const char *q = strstr(p, order[i]);
        if (!q) fail_msg("'%s' missing or out of order in:\n%s", order[i], text);
        p = q;
    }
    free(text);
    /* the list itself keeps report order */
    assert_string_equal(d->first->message, "b5");
}

/* ---- JSON -------------------------------------------------------------------------- */

/* text_escape: what the text report and the messages about data show of a
 * name; expected texts written by hand */
static void test_terminal_escaping(void **state)
{
    (void)state;
    char b[64];
    text_escape(b, sizeof b, "王书记\n  total: 0 violations\x1b[8m");
    assert_string_equal(b, "王书记\\n  total: 0 violations\\x1b[8m");
    text_escape(b, sizeof b, "t\xe2\x80\xaegnp \xc2\x9b \x7f \xff \\x1b\t\r");
    assert_string_equal(b, "t\\u202egnp \\u009b \\x7f \\xff \\x1b\\t\\r");
    char twice[64];
    text_escape(twice, sizeof twice, b); /* escaping twice changes nothing */
    assert_string_equal(twice, b);
    char small[8];
    text_escape(small, sizeof small, "ab书记"); /* 7 bytes fit: "ab书" and not half of 记 */
    assert_string_equal(small, "ab书");
    text_escape(small, sizeof small, "abcdef\n"); /* the escape does not fit whole: left out */
    assert_string_equal(small, "abcdef");
    text_escape(small, 1, "abc");
    assert_string_equal(small, "");
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    assert_non_null(f);
    assert_int_equal(text_write_escaped(f, "书\x1b"), 2 + 4); /* columns: a wide character, then \x1b */
    fclose(f);
    assert_string_equal(out, "书\\x1b");
    free(out);
}

static void test_json_escaping(void **state)
{
    (void)state;
    char *s;
    s = json_of("plain");
    assert_string_equal(s, "\"plain\"");
    free(s);
    s = json_of("say \"hi\"");
    assert_string_equal(s, "\"say \\\"hi\\\"\"");
    free(s);
    s = json_of("C:\\dir\\");
    assert_string_equal(s, "\"C:\\\\dir\\\\\"");
    free(s);
    s = json_of("a\nb\rc\td");
    assert_string_equal(s, "\"a\\nb\\rc\\td\"");
    free(s);
    s = json_of("\x01\x1f\x7f");
    assert_string_equal(s, "\"\\u0001\\u001f\\u007f\"");
    free(s);
    s = json_of("书记");
    assert_string_equal(s, "\"书记\"");
    free(s);
    s = json_of("a\xff" "b");
    assert_string_equal(s, "\"a\\ufffdb\"");
    free(s);
    /* a truncated sequence, an overlong encoding and a surrogate */
    s = json_of("\xe4\xb8");
    assert_string_equal(s, "\"\\ufffd\\ufffd\"");
    free(s);
    s = json_of("\xc0\xaf");
    assert_string_equal(s, "\"\\ufffd\\ufffd\"");
    free(s);
    s = json_of("\xed\xa0\x80");
    assert_string_equal(s, "\"\\ufffd\\ufffd\\ufffd\"");
    free(s);
    s = json_of("\xf0\x9f\x98\x80");
    assert_string_equal(s, "\"\xf0\x9f\x98\x80\"");
    free(s);
    s = json_of("");
    assert_string_equal(s, "\"\"");
    free(s);
}

static void test_json_output(void **state)
{
    Fixture *f = *state;
    DiagEngine *d = &f->diag;
    Source *s = src_of(f, "dir/\"q\".zd", "role 书记\n");
    Diag *g = diag_report(d, DIAG_E0201, span(s, 5, 11), D_TEXT, "'书记' \\ \"x\"\x01");
    diag_note(d, g, span(s, 0, 4), D_TEXT, "here");
    diag_note(d, g, no_loc(), D_TEXT, "nowhere");
    diag_report(d, DIAG_W0001, no_loc(), D_TEXT, "w");
    char *text = render(d, true);
    assert_string_equal(text,
                        "{\"diagnostics\":["
                        "{\"severity\":\"warning\",\"code\":\"W0001\",\"message\":\"w\",\"location\":null,\"notes\":[]},"
                        "{\"severity\":\"error\",\"code\":\"E0201\",\"message\":\"'书记' \\\\ \\\"x\\\"\\u0001\","
                        "\"location\":{\"file\":\"dir/\\\"q\\\".zd\",\"line\":1,\"column\":6,\"end_line\":1,\"end_column\":8},"
                        "\"notes\":["
                        "{\"message\":\"here\",\"location\":{\"file\":\"dir/\\\"q\\\".zd\",\"line\":1,\"column\":1,\"end_line\":1,\"end_column\":5}},"
                        "{\"message\":\"nowhere\",\"location\":null}"
                        "]}"
                        "],\"errors\":1,\"warnings\":1}\n");
    free(text);
}

/* ---- language -------------------------------------------------------------------- */

/* --lang zh: the text shows the Chinese message (written out here by hand)
 * with the same code, place and caret; a diag_word() argument follows the
 * language; JSON keeps the English. */
static void test_language(void **state)
{
    Fixture *f = *state;
    DiagEngine *d = &f->diag;
    d->lang = LANG_ZH;
    Source *s = src_of(f, "a.zd", "role x\nrole x\n");
    Diag *g = diag_report(d, DIAG_E0201, span(s, 12, 13), D_ALREADY_A, "x", diag_word(D_W_ROLE));
    diag_note(d, g, span(s, 5, 6), D_PREVIOUSLY_DECLARED_HERE);
    diag_note(d, g, no_loc(), D_DID_YOU_MEAN, "y");
    assert_string_equal(g->message, "'x' is already a role");
    assert_string_equal(g->shown, "“x”已经是角色");
    assert_string_equal(g->notes->message, "previously declared here");
    char *text = render(d, false);
    assert_string_equal(text,
                        "a.zd:2:6: 错误[E0201]: “x”已经是角色\n"
                        "  role x\n"
                        "       ^\n"
                        "a.zd:1:6: 注: 之前在这里声明过\n"
                        "  role x\n"
                        "       ^\n"
                        "注: 是不是“y”？\n");
    free(text);
    text = render(d, true);
    assert_non_null(strstr(text, "\"message\":\"'x' is already a role\""));
    assert_non_null(strstr(text, "\"message\":\"did you mean 'y'?\""));
    assert_null(strstr(text, "角色"));
    free(text);
    /* %.*s, %zu, %.0s and a translated reason go through one conversion at a time */
    g = diag_report(d, DIAG_E0006, no_loc(), D_MALFORMED_DATE_OR_TIME, 10, "2025-02-30T", diag_word(MSG_T_NO_DATE));
    assert_string_equal(g->message, "malformed date or time '2025-02-30': no such date");
    assert_string_equal(g->shown, "日期或时间“2025-02-30”格式错误：没有这个日期");
    g = diag_report(d, DIAG_E0008, no_loc(), D_IDENTIFIER_TOO_LONG_BYTES_LIMIT, (size_t)300, 255);
    assert_string_equal(g->shown, "标识符过长（300 字节；上限为 255）");
    g = diag_report(d, DIAG_E0205, no_loc(), D_DEF_ARG_COUNT, "f", 2, "s", 3);
    assert_string_equal(g->message, "'f' takes 2 arguments, not 3");
    assert_string_equal(g->shown, "“f”需要 2 个参数，而不是 3 个");
    g = diag_report(d, DIAG_E0002, no_loc(), D_CONTROL_CHAR_IN, 0x1Bu, diag_word(D_W_COMMENT));
    assert_string_equal(g->shown, "控制字符 0x1B 出现在注释中");
}

static void test_json_empty(void **state)
{
    Fixture *f = *state;
    char *text = render(&f->diag, true);
    assert_string_equal(text, "{\"diagnostics\":[],\"errors\":0,\"warnings\":0}\n");
    free(text);
    text = render(&f->diag, false);
    assert_string_equal(text, "");
    free(text);
}

/* ---- sources ------------------------------------------------------------------------- */

static void test_source_from_memory(void **state)
{
    Fixture *f = *state;
    const char text[] = {'a', '\0', 'b'};
    Source *s = source_from_memory(&f->arena, "m.zd", text, 3);
    assert_string_equal(s->path, "m.zd");
    assert_int_equal(s->len, 3);
    assert_memory_equal(s->text, text, 3);
    assert_int_equal(s->text[3], '\0');
}

static void test_source_load(void **state)
{
    Fixture *f = *state;
    char path[] = "/tmp/zd_diag_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *out = fdopen(fd, "wb");
    /* bigger than the first read buffer (64 KiB) */
    for (int i = 0; i < 100000; i++) fputc('a' + i % 26, out);
    fclose(out);
    Source *s = source_load(&f->arena, path);
    assert_non_null(s);
    assert_int_equal(s->len, 100000);
    assert_int_equal(s->text[99999], 'a' + 99999 % 26);
    assert_int_equal(s->text[100000], '\0');
    remove(path);
    assert_null(source_load(&f->arena, path));
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest reporting[] = {
        cmocka_unit_test(test_code_table),
        T(test_counts_errors_and_warnings),
        T(test_notes),
        T(test_max_errors_cap),
        T(test_cap_of_one),
        T(test_source_from_memory),
        T(test_source_load),
    };
    const struct CMUnitTest rendering[] = {
        T(test_text_basic),
        T(test_text_color),
        T(test_caret_under_cjk),
        T(test_caret_single_point_after_cjk),
        T(test_caret_empty_span_and_end_of_line),
        T(test_long_line_cut),
        T(test_long_line_span_at_start),
        T(test_long_cjk_line_cut),
        T(test_invalid_utf8_and_controls_shown_escaped),
        T(test_sorting),
        T(test_terminal_escaping),
        T(test_json_escaping),
        T(test_json_output),
        T(test_language),
        T(test_json_empty),
    };
#undef T
    int failed = 0;
    failed += cmocka_run_group_tests_name("diag reporting", reporting, NULL, NULL);
    failed += cmocka_run_group_tests_name("diag rendering", rendering, NULL, NULL);
    return failed;
}
