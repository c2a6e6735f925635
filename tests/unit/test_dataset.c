/* test_dataset.c - an event's packed cells (runtime/dataset.c): every kind
 * of field read back through event_cell as it was given, present or
 * missing, with the values that could pass for "missing" (0, false, the
 * smallest integer, an empty list) kept apart from it, and a field the
 * event's type does not carry missing; cells checked ahead (rawcell_check,
 * as the reader thread does) give the same events and the same messages;
 * values met before (dataset.c keeps the short ones with their ids) are
 * the same strings, types and faults as the first time; a reference
 * table's row keeps only the cells its program can read. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codegen.h"
#include "compiler.h"
#include "dataset.h"

static const char policy[] =
    "policy t { title \"t\" document \"d\" effective 2024-01-01 timezone \"+08:00\" }\n"
    "events \"events\" { id: id time: time type: text n: int ok: bool d: duration end: time tags: list text who: person }\n"
    "event full { n, ok, d, end, tags, who }\n"
    "event bare { who }\n";

enum { F_ID, F_TIME, F_TYPE, F_N, F_OK, F_D, F_END, F_TAGS, F_WHO, NF };

static RawCell cell(const char *s) { return (RawCell){s, strlen(s), *s != '\0', 0, NULL, 0}; }

static void add(Dataset *ds, const char *const v[NF])
{
    RawCell cells[NF], none = {"", 0, false, 0, NULL, 0};
    for (int i = 0; i < NF; i++) cells[i] = cell(v[i]);
    char msg[256];
    const char *bad = dataset_add_event(ds, cells, none, 1, msg, sizeof msg);
    if (bad) fail_msg("%s", bad);
}

static Program *compile_policy(void)
{
    Compilation *c = compile_new();
    compile_check_text(c, "t.zd", policy, strlen(policy));
    assert_int_equal(c->diag.errors, 0);
    Program *p = codegen_policy(c->policy, &c->diag);
    compile_free(c);
    assert_non_null(p);
    return p;
}

static void test_cells_read_back(void **state)
{
    (void)state;
    Program *p = compile_policy();
    Dataset *ds = dataset_new(p);
    assert_non_null(ds);
    const char *rows[][NF] = {
        {"e1", "2024-03-01 08:00:00", "full", "-9223372036854775808", "false", "0", "2024-03-02 00:00:00", "b;a;b", "p1"},
        {"e2", "2024-03-01 09:00:00", "full", "", "", "", "", "", ""},
        {"e3", "2024-03-01 10:00:00", "full", "0", "true", "7", "", ";", "p2"},
        {"e4", "2024-03-01 11:00:00", "bare", "5", "true", "5", "2024-03-02 00:00:00", "x", "p3"},
    };
    for (int i = 0; i < 4; i++) add(ds, rows[i]);
    assert_int_equal(ds->nevents, 4);
    const Event *e = ds->events;
    StrId a = strtab_find(&ds->strs, "a", 1), b = strtab_find(&ds->strs, "b", 1);

    Cell c = event_cell(ds, &e[0], F_N);
    assert_int_equal(c.tag, CELL_INT);
    assert_true(c.i == INT64_MIN);
    c = event_cell(ds, &e[0], F_OK);
    assert_int_equal(c.tag, CELL_BOOL);
    assert_int_equal(c.i, 0);
    c = event_cell(ds, &e[0], F_D);
    assert_int_equal(c.tag, CELL_INT);
    assert_int_equal(c.i, 0);
    c = event_cell(ds, &e[0], F_END);
    assert_int_equal(c.tag, CELL_TIME);
    assert_int_equal(c.i, 1709308800); /* 2024-03-02 00:00 at +08:00 */
    c = event_cell(ds, &e[0], F_TAGS);
    assert_int_equal(c.tag, CELL_LIST);
    assert_int_equal(c.list->n, 2); /* sorted by id, without duplicates */
    assert_int_equal(c.list->items[0], a < b ? a : b);
    assert_int_equal(c.list->items[1], a < b ? b : a);
    c = event_cell(ds, &e[0], F_WHO);
    assert_int_equal(c.tag, CELL_STR);
    assert_string_equal(strtab_str(&ds->strs, c.s), "p1");
    c = event_cell(ds, &e[0], F_ID);
    assert_int_equal(c.tag, CELL_STR);
    assert_string_equal(strtab_str(&ds->strs, c.s), "e1");
    c = event_cell(ds, &e[0], F_TIME);
    assert_int_equal(c.tag, CELL_TIME);
    assert_int_equal(c.i, 1709251200);

    for (int f = F_N; f < NF; f++) assert_int_equal(event_cell(ds, &e[1], f).tag, CELL_MISSING);

    c = event_cell(ds, &e[2], F_N);
    assert_int_equal(c.tag, CELL_INT);
    assert_int_equal(c.i, 0);
    c = event_cell(ds, &e[2], F_OK);
    assert_int_equal(c.tag, CELL_BOOL);
    assert_int_equal(c.i, 1);
    assert_int_equal(event_cell(ds, &e[2], F_D).i, 7);
    assert_int_equal(event_cell(ds, &e[2], F_END).tag, CELL_MISSING);
    c = event_cell(ds, &e[2], F_TAGS); /* present, with no items */
    assert_int_equal(c.tag, CELL_LIST);
    assert_int_equal(c.list->n, 0);

    for (int f = F_N; f < F_WHO; f++) assert_int_equal(event_cell(ds, &e[3], f).tag, CELL_MISSING);
    assert_string_equal(strtab_str(&ds->strs, event_cell(ds, &e[3], F_WHO).s), "p3");

    /* what a copy takes: the cells of a full event and its list's 3 words */
    assert_int_equal(dataset_event_bytes(ds, &e[0]), sizeof(uint32_t) * (3 + 1 + 3 + 2 + 1 + 1 + 3));
    assert_int_equal(dataset_event_bytes(ds, &e[3]), sizeof(uint32_t));
    dataset_free(ds);
    program_free(p);
}

/* Row v added with every cell checked ahead (rawcell_check, as a reader
 * thread does) or not: the message, or NULL. */
static const char *add_checked(Dataset *ds, const char *const v[NF], bool ahead, char *msg, size_t size)
{
    RawCell cells[NF], none = {"", 0, false, 0, NULL, 0};
    for (int i = 0; i < NF; i++) {
        cells[i] = cell(v[i]);
        if (ahead) rawcell_check(&cells[i], rawcell_kind(ds->prog->log.fields[i].type), ds->prog->meta.tz_offset);
    }
    return dataset_add_event(ds, cells, none, 1, msg, size);
}

static void test_checked_ahead(void **state)
{
    (void)state;
    Program *p = compile_policy();
    int tz = p->meta.tz_offset;
    /* what a check finds: a string's hash, a time's instant, UTF-8 alone for the rest */
    RawCell c = cell("p1");
    rawcell_check(&c, RAW_TEXT, tz);
    assert_int_equal(c.checked, RAW_TEXT);
    assert_true((uint64_t)c.pre == hidx_hash_text64("p1", 2, 0));
    c = cell("2024-03-01 08:00:00");
    rawcell_check(&c, RAW_TIME, tz);
    assert_int_equal(c.checked, RAW_TIME);
    assert_int_equal(c.pre, 1709251200);
    c = cell("b;a");
    rawcell_check(&c, rawcell_kind(p->log.fields[F_TAGS].type), tz);
    assert_int_equal(c.checked, RAW_UTF8);
    /* a cell that fails stays unchecked: a bad date, a time before year 1 at
     * +08:00 (in UTC), invalid UTF-8, a NUL byte; an empty cell is not checked */
    const char *fails[][2] = {{"2024-13-01", "t"}, {"0001-01-01 00:00:00", "t"}, {"p\xff", "s"}, {"2024-03-01\xff", "t"}};
    for (int i = 0; i < 4; i++) {
        c = cell(fails[i][0]);
        rawcell_check(&c, fails[i][1][0] == 't' ? RAW_TIME : RAW_TEXT, tz);
        assert_int_equal(c.checked, RAW_UNCHECKED);
    }
    c = (RawCell){"a\0b", 3, true, 0, NULL, 0};
    rawcell_check(&c, RAW_TEXT, tz);
    assert_int_equal(c.checked, RAW_UNCHECKED);
    c = cell("");
    rawcell_check(&c, RAW_TEXT, tz);
    assert_int_equal(c.checked, RAW_UNCHECKED);

    /* rows converted from checked cells are the rows converted from raw
     * ones, and a bad row gets the same message */
    Dataset *raw = dataset_new(p), *ahead = dataset_new(p);
    assert_non_null(raw);
    assert_non_null(ahead);
    const char *rows[][NF] = {
        {"e1", "2024-03-01 08:00:00", "full", "3", "true", "7", "2024-03-02 00:00:00", "b;a;b", "p1"},
        {"e2", "2024-03-01 09:00:00+00:00", "bare", "", "", "", "", "", "p2"},
        {"e3", "2024-03-01 10:00:00", "full", "x", "", "", "", "", ""},
        {"e4", "2024-02-30", "full", "", "", "", "", "", ""},
        {"e5", "2024-03-01", "full", "", "", "", "0001-01-01 00:00:00", "", ""},
        {"e6", "2024-03-01", "full", "", "", "", "", "", "p\xff"},
        {"e1", "2024-03-01", "full", "", "", "", "", "", ""},
    };
    for (int i = 0; i < 7; i++) {
        char m1[256], m2[256];
        const char *b1 = add_checked(raw, rows[i], false, m1, sizeof m1);
        const char *b2 = add_checked(ahead, rows[i], true, m2, sizeof m2);
        assert_true((b1 == NULL) == (b2 == NULL));
        if (b1) assert_string_equal(b1, b2);
    }
    assert_int_equal(raw->nevents, 2);
    assert_int_equal(ahead->nevents, 2);
    for (uint32_t e = 0; e < 2; e++)
        for (int f = 0; f < NF; f++) {
            Cell x = event_cell(raw, &raw->events[e], (uint32_t)f), y = event_cell(ahead, &ahead->events[e], (uint32_t)f);
            assert_int_equal(x.tag, y.tag);
            if (x.tag == CELL_STR) assert_string_equal(strtab_str(&raw->strs, x.s), strtab_str(&ahead->strs, y.s));
            if (x.tag == CELL_TIME || x.tag == CELL_INT || x.tag == CELL_BOOL) assert_true(x.i == y.i);
            if (x.tag == CELL_LIST) assert_int_equal(x.list->n, y.list->n);
        }
    dataset_free(raw);
    dataset_free(ahead);
    program_free(p);
}

static const char *add_row(Dataset *ds, const char *const v[NF], char *msg, size_t size) { return add_checked(ds, v, false, msg, size); }

/* The strings met lately (dataset.c, SeenText): a value found there again is
 * the same id; a list whose known items come before a fault is refused with
 * the fault's offset in the cell and interns nothing; a known string that
 * is not a type's value is not a type, and a type's value met first in
 * another column is still its type; after the string table renumbers its
 * ids (strtab_compact) and the data set forgets them, values met again get
 * the new ids. */
static void test_met_lately(void **state)
{
    (void)state;
    Program *p = compile_policy();
    Dataset *ds = dataset_new(p);
    assert_non_null(ds);
    char msg[256];
    const char *r1[NF] = {"e1", "2024-03-01 08:00:00", "full", "", "", "", "", "b;a", "full"};
    assert_null(add_row(ds, r1, msg, sizeof msg));
    StrId a = strtab_find(&ds->strs, "a", 1), b = strtab_find(&ds->strs, "b", 1);
    StrId who = strtab_find(&ds->strs, "full", 4);
    uint32_t n = ds->strs.n;
    /* 22 and 48 bytes: kept whole, compared by their 16-byte pieces */
    const char *long1 = "数学与统计学院x", *long2 = "物理科学与技术学院物理科学与技术";
    assert_int_equal(strlen(long1), 22);
    assert_int_equal(strlen(long2), 48);
    const char *r2[NF] = {"e2", "2024-03-01 09:00:00", "full", "", "", "", "", "a;b;a", long1};
    const char *r3[NF] = {"e3", "2024-03-01 10:00:00", "full", "", "", "", "", "", long2};
    const char *r4[NF] = {"e4", "2024-03-01 11:00:00", "full", "", "", "", "", long1, long2};
    assert_null(add_row(ds, r2, msg, sizeof msg));
    assert_null(add_row(ds, r3, msg, sizeof msg));
    assert_null(add_row(ds, r4, msg, sizeof msg));
    assert_int_equal(ds->strs.n, n + 5); /* e2, e3, e4, long1, long2 */
    const Event *e = ds->events;
    assert_int_equal(event_cell(ds, &e[0], F_WHO).s, who);
    assert_int_equal(event_cell(ds, &e[1], F_TAGS).list->n, 2);
    assert_int_equal(event_cell(ds, &e[1], F_TAGS).list->items[0], a < b ? a : b);
    assert_int_equal(event_cell(ds, &e[3], F_WHO).s, event_cell(ds, &e[2], F_WHO).s);
    assert_int_equal(event_cell(ds, &e[3], F_TAGS).list->items[0], event_cell(ds, &e[1], F_WHO).s);
    /* one byte apart from a kept one, at either end or in the middle: another string */
    const char *near[] = {"数学与统计学院x\x80", "敷学与统计学院x", "物理科学与技术学院物理科学与技木", "b;c", "fulm"};
    for (int i = 0; i < 5; i++) {
        char id[8];
        snprintf(id, sizeof id, "n%d", i);
        const char *r[NF] = {id, "2024-03-01 12:00:00", "full", "", "", "", "", i == 3 ? near[i] : "", i == 3 ? "" : near[i]};
        const char *bad = add_row(ds, r, msg, sizeof msg);
        if (i == 0) {
            assert_string_equal(bad, "column who: invalid UTF-8 (byte 0x80 at offset 22)");
            continue;
        }
        assert_null(bad);
        Cell c = event_cell(ds, &ds->events[ds->nevents - 1], i == 3 ? F_TAGS : F_WHO);
        if (i == 3) assert_int_equal(c.list->n, 2);
        else assert_string_equal(strtab_str(&ds->strs, c.s), near[i]);
    }
    /* a fault after items met before: refused, nothing of the cell interned
     * (the row's id is, converted before it, as ever) */
    n = ds->strs.n;
    const char *r5[NF] = {"e5", "2024-03-01 13:00:00", "full", "", "", "", "", "a;b;new;\xff", ""};
    assert_string_equal(add_row(ds, r5, msg, sizeof msg), "column tags: invalid UTF-8 (byte 0xFF at offset 8)");
    assert_int_equal(ds->strs.n, n + 1);
    assert_int_equal(strtab_find(&ds->strs, "new", 3), UINT32_MAX);
    /* types: a known string that is no type, then a type's value met as a person first */
    const char *r6[NF] = {"e6", "2024-03-01 14:00:00", "a", "", "", "", "", "", ""};
    assert_string_equal(add_row(ds, r6, msg, sizeof msg), "column type: unknown event type 'a'");
    const char *r7[NF] = {"e7", "2024-03-01 15:00:00", "bare", "", "", "", "", "", "bare"};
    const char *r8[NF] = {"e8", "2024-03-01 16:00:00", "bare", "", "", "", "", "", ""};
    assert_null(add_row(ds, r7, msg, sizeof msg));
    assert_null(add_row(ds, r8, msg, sizeof msg));
    assert_int_equal(ds->events[ds->nevents - 1].type, 1);
    assert_int_equal(ds->events[ds->nevents - 2].type, 1);
    /* renumbered: keep the program's strings and "b" only; "a" and the rest go */
    uint8_t *live = calloc(ds->strs.n + 1u, 1);
    assert_non_null(live);
    for (uint32_t i = 0; i < p->nstrings; i++) live[ds->prog_str[i]] = 1;
    live[b] = 1;
    StrId *map = strtab_compact(&ds->strs, live);
    assert_non_null(map);
    for (uint32_t i = 0; i < p->nstrings; i++) ds->prog_str[i] = map[ds->prog_str[i]];
    StrId b2 = map[b];
    free(map);
    free(live);
    dataset_forget_texts(ds);
    ds->nevents = 0;
    const char *r9[NF] = {"e9", "2024-03-01 17:00:00", "full", "", "", "", "", "b", "a"};
    assert_null(add_row(ds, r9, msg, sizeof msg));
    assert_int_equal(event_cell(ds, &ds->events[0], F_TAGS).list->items[0], b2);
    Cell w = event_cell(ds, &ds->events[0], F_WHO);
    assert_string_equal(strtab_str(&ds->strs, w.s), "a");
    assert_int_equal(ds->events[0].type, 0);
    dataset_free(ds);
    program_free(p);
}

/* A reference table keeps only the cells its program can read: the key, read
 * by the lookup, and lead, read through the row; title, when, n and tags,
 * which nothing reads, are checked as they are read, then dropped. */
static const char table_policy[] =
    "policy t { title \"t\" document \"d\" effective 2024-01-01 timezone \"+08:00\" }\n"
    "events \"events\" { id: id time: time type: text topic: id }\n"
    "event meeting { topic }\n"
    "table 议题 \"topics\" key topic { topic: id title: text at: time n: int tags: list text lead: person }\n"
    "%s";
static const char lookup_rule[] = "rule r { tags R clause \"c\" \"t\" severity must on m: meeting\n"
                                  "  require present(议题[m.topic].lead) subjects m.topic message \"x\" }\n";

enum { T_TOPIC, T_TITLE, T_WHEN, T_N, T_TAGS, T_LEAD, TNF };

static Dataset *table_dataset(const char *rules, Program **out)
{
    char src[1024];
    snprintf(src, sizeof src, table_policy, rules);
    Compilation *c = compile_new();
    compile_check_text(c, "t.zd", src, strlen(src));
    assert_int_equal(c->diag.errors, 0);
    Program *p = codegen_policy(c->policy, &c->diag);
    compile_free(c);
    assert_non_null(p);
    *out = p;
    Dataset *ds = dataset_new(p);
    assert_non_null(ds);
    return ds;
}

/* Adds a topics row: NULL, or the message. */
static const char *add_topic(Dataset *ds, const char *const v[TNF], char *msg, size_t size)
{
    RawCell cells[TNF], none = {"", 0, false, 0, NULL, 0};
    for (int i = 0; i < TNF; i++) cells[i] = cell(v[i]);
    return dataset_add_record(ds, 0, cells, none, false, msg, size);
}

static void test_table_keeps_what_is_read(void **state)
{
    (void)state;
    Program *p;
    Dataset *ds = table_dataset(lookup_rule, &p);
    const TableData *td = &ds->tables[0];
    char msg[256];
    const char *good[TNF] = {"T1", "关于T1的议题", "2024-03-01", "7", "tag1;tag2", "p1"};
    assert_null(add_topic(ds, good, msg, sizeof msg));
    assert_int_equal(td->n, 1);
    assert_int_equal(td->npacked, 2);
    assert_int_equal(td->nwords, 2); /* two strings: a word each */
    Cell c = record_cell(td, &td->rows[0], T_TOPIC);
    assert_int_equal(c.tag, CELL_STR);
    assert_string_equal(strtab_str(&ds->strs, c.s), "T1");
    c = record_cell(td, &td->rows[0], T_LEAD);
    assert_int_equal(c.tag, CELL_STR);
    assert_string_equal(strtab_str(&ds->strs, c.s), "p1");
    for (int f = T_TITLE; f <= T_TAGS; f++) assert_int_equal(record_cell(td, &td->rows[0], (uint32_t)f).tag, CELL_MISSING);
    /* the strings of the cells dropped are not interned either */
    assert_int_equal(strtab_find(&ds->strs, "关于T1的议题", strlen("关于T1的议题")), UINT32_MAX);
    assert_int_equal(strtab_find(&ds->strs, "tag1", 4), UINT32_MAX);
    assert_int_equal(strtab_find(&ds->strs, "tag2", 4), UINT32_MAX);

    /* a bad cell in a column nothing reads is a bad row as before, with the same message */
    const char *bad[][TNF] = {
        {"T2", "ab\xff", "", "", "", "p2"},
        {"T2", "", "2024-02-30", "", "", "p2"},
        {"T2", "", "", "seven", "", "p2"},
        {"T2", "", "", "", "x;\xc0\x80", "p2"},
    };
    const char *why[] = {
        "column title: invalid UTF-8 (byte 0xFF at offset 2)",
        "column at: malformed timestamp '2024-02-30': no such date",
        "column n: 'seven' is not an integer",
        "column tags: invalid UTF-8 (byte 0xC0 at offset 2)",
    };
    for (int i = 0; i < 4; i++) {
        const char *m = add_topic(ds, bad[i], msg, sizeof msg);
        assert_non_null(m);
        assert_string_equal(m, why[i]);
    }
    assert_int_equal(td->n, 1);
    dataset_free(ds);
    program_free(p);

    /* with no lookup of the table, not even its key is kept */
    ds = table_dataset("", &p);
    td = &ds->tables[0];
    assert_null(add_topic(ds, good, msg, sizeof msg));
    assert_int_equal(td->npacked, 0);
    assert_null(td->rows[0].cells);
    assert_int_equal(record_cell(td, &td->rows[0], T_TOPIC).tag, CELL_MISSING);
    assert_int_equal(strtab_find(&ds->strs, "T1", 2), UINT32_MAX);
    assert_null(add_topic(ds, bad[0], msg, sizeof msg) ? NULL : "accepted");
    dataset_free(ds);
    program_free(p);
}

/* The (unit, id) pairs accepted: through every growth of the set (an
 * ordered table, dataset.c), every id given again in its unit is refused,
 * the same id in another unit is not, and nothing new is taken for one
 * seen. */
static void test_duplicate_ids(void **state)
{
    (void)state;
    Program *p = compile_policy();
    Dataset *ds = dataset_new(p);
    assert_non_null(ds);
    enum { N = 60000 };
    char id[32], msg[256];
    const char *v[NF] = {id, "2024-03-01 08:00:00", "bare", "", "", "", "", "", ""};
    RawCell cells[NF];
    RawCell units[2] = {cell("u1"), cell("u2")};
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < N; i++) {
            snprintf(id, sizeof id, "e%d", i);
            for (int f = 0; f < NF; f++) cells[f] = cell(v[f]);
            const char *bad = dataset_add_event(ds, cells, units[i % 2], 1, msg, sizeof msg);
            if (round == 0) {
                if (bad) fail_msg("%s", bad);
                continue;
            }
            char want[64];
            snprintf(want, sizeof want, "column id: duplicate event id 'e%d'", i);
            assert_non_null(bad);
            assert_string_equal(bad, want);
            /* in the other unit, new */
            assert_null(dataset_add_event(ds, cells, units[1 - i % 2], 1, msg, sizeof msg));
        }
    assert_int_equal(ds->nevents, 2 * N);
    assert_int_equal(ds->nseen, 2 * N);
    assert_true(ds->seen_cap >= 2 * N && (uint64_t)ds->seen_cap * 7 >= (uint64_t)ds->nseen * 8); /* full to 7/8 at most */
    dataset_free(ds);
    program_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cells_read_back),
        cmocka_unit_test(test_checked_ahead),
        cmocka_unit_test(test_met_lately),
        cmocka_unit_test(test_table_keeps_what_is_read),
        cmocka_unit_test(test_duplicate_ids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
