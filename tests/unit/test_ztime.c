/* test_ztime.c - civil date arithmetic, ISO 8601 parsing, instants, formatting
 * and zone offsets (runtime/ztime.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "ztime.h"

enum { H = 3600, M = 60, DAY = 86400 };

/* ---- days_from_civil / civil_from_days ------------------------------------ */

static void test_epoch(void **state)
{
    (void)state;
    assert_int_equal(zt_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(zt_days_from_civil(1969, 12, 31), -1);
    assert_int_equal(zt_days_from_civil(1970, 1, 2), 1);
    int64_t y;
    unsigned m, d;
    zt_civil_from_days(0, &y, &m, &d);
    assert_int_equal(y, 1970);
    assert_int_equal(m, 1);
    assert_int_equal(d, 1);
    zt_civil_from_days(-1, &y, &m, &d);
    assert_int_equal(y, 1969);
    assert_int_equal(m, 12);
    assert_int_equal(d, 31);
}

static void test_known_day_numbers(void **state)
{
    (void)state;
    /* values from Python's datetime.date(...) - date(1970, 1, 1) */
    assert_int_equal(zt_days_from_civil(1800, 1, 1), -62091);
    assert_int_equal(zt_days_from_civil(1900, 1, 1), -25567);
    assert_int_equal(zt_days_from_civil(1900, 3, 1), -25508);
    assert_int_equal(zt_days_from_civil(2000, 1, 1), 10957);
    assert_int_equal(zt_days_from_civil(2000, 2, 29), 11016);
    assert_int_equal(zt_days_from_civil(2018, 1, 1), 17532);
    assert_int_equal(zt_days_from_civil(2024, 2, 29), 19782);
    assert_int_equal(zt_days_from_civil(2025, 3, 3), 20150);
    assert_int_equal(zt_days_from_civil(2200, 12, 31), 84370);
}

/* Every day of 1800-01-01 .. 2200-12-31: consecutive numbers, exact inverse,
 * weekdays advancing by one. */
static void test_round_trip_every_day(void **state)
{
    (void)state;
    int64_t first = zt_days_from_civil(1800, 1, 1);
    int64_t prev = first - 1;
    int prev_wd = zt_weekday_from_days(prev);
    long count = 0;
    for (int64_t y = 1800; y <= 2200; y++)
        for (unsigned m = 1; m <= 12; m++)
            for (unsigned d = 1; d <= 31; d++) {
                if (!zt_valid_date(y, m, d)) continue;
                int64_t n = zt_days_from_civil(y, m, d);
                if (n != prev + 1) fail_msg("%lld-%02u-%02u is day %lld, expected %lld", (long long)y, m, d, (long long)n,
                                            (long long)(prev + 1));
                int64_t yy;
                unsigned mm, dd;
                zt_civil_from_days(n, &yy, &mm, &dd);
                if (yy != y || mm != m || dd != d)
                    fail_msg("day %lld gives %lld-%02u-%02u, expected %lld-%02u-%02u", (long long)n, (long long)yy, mm, dd,
                             (long long)y, m, d);
                int wd = zt_weekday_from_days(n);
                if (wd != (prev_wd + 1) % 7) fail_msg("weekday of day %lld is %d after %d", (long long)n, wd, prev_wd);
                prev = n;
                prev_wd = wd;
                count++;
            }
    assert_int_equal(count, 146462);
    assert_int_equal(prev - first + 1, 146462);
}

static void test_weekdays(void **state)
{
    (void)state;
    /* 0 = Monday ... 6 = Sunday */
    assert_int_equal(zt_weekday_from_days(zt_days_from_civil(1970, 1, 1)), 3);  /* Thursday */
    assert_int_equal(zt_weekday_from_days(zt_days_from_civil(1969, 12, 31)), 2); /* Wednesday */
    assert_int_equal(zt_weekday_from_days(zt_days_from_civil(1800, 1, 1)), 2);  /* Wednesday */
    assert_int_equal(zt_weekday_from_days(zt_days_from_civil(1900, 1, 1)), 0);  /* Monday */
    assert_int_equal(zt_weekday_from_days(zt_days_from_civil(2000, 1, 1)), 5);  /* Saturday */
    assert_int_equal(zt_weekday_from_days(zt_days_from_civil(2000, 2, 29)), 1); /* Tuesday */
    assert_int_equal(zt_weekday_from_days(zt_days_from_civil(2018, 1, 1)), 0);  /* Monday */
    assert_int_equal(zt_weekday_from_days(zt_days_from_civil(2023, 12, 31)), 6); /* Sunday */
    assert_int_equal(zt_weekday_from_days(zt_days_from_civil(2024, 2, 29)), 3); /* Thursday */
    assert_int_equal(zt_weekday_from_days(zt_days_from_civil(2025, 3, 3)), 0);  /* Monday */
    assert_int_equal(zt_weekday_from_days(zt_days_from_civil(2200, 12, 31)), 2); /* Wednesday */
    /* far before the epoch the result stays in 0..6 */
    for (int64_t n = -1000; n < 0; n++) {
        int w = zt_weekday_from_days(n);
        assert_true(w >= 0 && w <= 6);
    }
}

static void test_leap_years(void **state)
{
    (void)state;
    assert_false(zt_valid_date(1900, 2, 29));
    assert_true(zt_valid_date(2000, 2, 29));
    assert_true(zt_valid_date(2024, 2, 29));
    assert_false(zt_valid_date(2023, 2, 29));
    assert_false(zt_valid_date(2100, 2, 29));
    assert_true(zt_valid_date(1600, 2, 29));
    assert_false(zt_valid_date(2024, 2, 30));
    /* the day after Feb 28 */
    int64_t y;
    unsigned m, d;
    zt_civil_from_days(zt_days_from_civil(1900, 2, 28) + 1, &y, &m, &d);
    assert_int_equal(m, 3);
    assert_int_equal(d, 1);
    zt_civil_from_days(zt_days_from_civil(2000, 2, 28) + 1, &y, &m, &d);
    assert_int_equal(m, 2);
    assert_int_equal(d, 29);
    zt_civil_from_days(zt_days_from_civil(2024, 2, 28) + 1, &y, &m, &d);
    assert_int_equal(m, 2);
    assert_int_equal(d, 29);
    /* year lengths */
    assert_int_equal(zt_days_from_civil(1901, 1, 1) - zt_days_from_civil(1900, 1, 1), 365);
    assert_int_equal(zt_days_from_civil(2001, 1, 1) - zt_days_from_civil(2000, 1, 1), 366);
    assert_int_equal(zt_days_from_civil(2025, 1, 1) - zt_days_from_civil(2024, 1, 1), 366);
}

static void test_month_and_year_ends(void **state)
{
    (void)state;
    static const unsigned last[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (unsigned m = 1; m <= 12; m++) {
        assert_true(zt_valid_date(2025, m, last[m - 1]));
        assert_false(zt_valid_date(2025, m, last[m - 1] + 1));
        int64_t y;
        unsigned mm, dd;
        zt_civil_from_days(zt_days_from_civil(2025, m, last[m - 1]) + 1, &y, &mm, &dd);
        assert_int_equal(dd, 1);
        assert_int_equal(mm, m == 12 ? 1 : m + 1);
        assert_int_equal(y, m == 12 ? 2026 : 2025);
    }
    assert_false(zt_valid_date(2025, 0, 1));
    assert_false(zt_valid_date(2025, 13, 1));
    assert_false(zt_valid_date(2025, 1, 0));
    assert_int_equal(zt_days_from_civil(2025, 1, 1) - zt_days_from_civil(2024, 12, 31), 1);
}

/* ---- zt_parse ------------------------------------------------------------------ */

static ZtParsed parse_ok(const char *s)
{
    ZtParsed p;
    const char *err = zt_parse(s, strlen(s), &p);
    if (err) fail_msg("zt_parse(\"%s\") failed: %s", s, err);
    return p;
}

static void expect_parse_error(const char *s, const char *message)
{
    ZtParsed p;
    const char *err = zt_parse(s, strlen(s), &p);
    if (!err) fail_msg("zt_parse(\"%s\") accepted it", s);
    if (strcmp(err, message)) fail_msg("zt_parse(\"%s\"): \"%s\", expected \"%s\"", s, err, message);
}

static const int64_t D20250303 = 20150LL * DAY;

static void test_parse_date(void **state)
{
    (void)state;
    ZtParsed p = parse_ok("2025-03-03");
    assert_int_equal(p.local_seconds, D20250303);
    assert_false(p.has_time);
    assert_false(p.has_offset);
    p = parse_ok("1969-12-31");
    assert_int_equal(p.local_seconds, -DAY);
    p = parse_ok("2024-02-29");
    assert_int_equal(p.local_seconds, 19782LL * DAY);
}

static void test_parse_times(void **state)
{
    (void)state;
    ZtParsed p = parse_ok("2025-03-03T08:30");
    assert_int_equal(p.local_seconds, D20250303 + 8 * H + 30 * M);
    assert_true(p.has_time);
    assert_false(p.has_offset);

    p = parse_ok("2025-03-03 08:30");
    assert_int_equal(p.local_seconds, D20250303 + 8 * H + 30 * M);
    assert_true(p.has_time);

    p = parse_ok("2025-03-03T08:30:15");
    assert_int_equal(p.local_seconds, D20250303 + 8 * H + 30 * M + 15);
    p = parse_ok("2025-03-03 23:59:59");
    assert_int_equal(p.local_seconds, D20250303 + DAY - 1);

    p = parse_ok("2025-03-03T08:30Z");
    assert_true(p.has_offset);
    assert_int_equal(p.offset_seconds, 0);
    assert_int_equal(p.local_seconds, D20250303 + 8 * H + 30 * M);

    p = parse_ok("2025-03-03T08:30:15Z");
    assert_true(p.has_offset);
    assert_int_equal(p.offset_seconds, 0);
    assert_int_equal(p.local_seconds, D20250303 + 8 * H + 30 * M + 15);

    p = parse_ok("2025-03-03T08:30+08:00");
    assert_true(p.has_offset);
    assert_int_equal(p.offset_seconds, 8 * H);
    assert_int_equal(p.local_seconds, D20250303 + 8 * H + 30 * M);

    p = parse_ok("2025-03-03 08:30:00-05:30");
    assert_true(p.has_offset);
    assert_int_equal(p.offset_seconds, -(5 * H + 30 * M));

    p = parse_ok("2025-03-03T00:00:00+00:00");
    assert_true(p.has_offset);
    assert_int_equal(p.offset_seconds, 0);
    assert_int_equal(p.local_seconds, D20250303);

    p = parse_ok("2025-03-03T00:00+23:59");
    assert_int_equal(p.offset_seconds, 23 * H + 59 * M);
}

static void test_parse_uses_len_not_nul(void **state)
{
    (void)state;
    ZtParsed p;
    const char *s = "2025-03-03T08:30xyz";
    assert_null(zt_parse(s, 10, &p));
    assert_false(p.has_time);
    assert_int_equal(p.local_seconds, D20250303);
    assert_null(zt_parse(s, 16, &p));
    assert_true(p.has_time);
    assert_int_equal(p.local_seconds, D20250303 + 8 * H + 30 * M);
}

static void test_parse_rejects(void **state)
{
    (void)state;
    expect_parse_error("2025-02-30", "no such date");
    expect_parse_error("2023-02-29", "no such date");
    expect_parse_error("2025-13-01", "no such date");
    expect_parse_error("2025-00-10", "no such date");
    expect_parse_error("2025-03-03T24:00", "hour, minute or second out of range");
    expect_parse_error("2025-03-03T23:60", "hour, minute or second out of range");
    expect_parse_error("2025-03-03T23:59:60", "hour, minute or second out of range");
    /* a date alone takes no offset */
    expect_parse_error("2025-03-03Z", "expected 'T' or a space before the time");
    expect_parse_error("2025-03-03+08:00", "expected 'T' or a space before the time");
    /* trailing junk */
    expect_parse_error("2025-03-03T08:00Zx", "unexpected text after the time");
    expect_parse_error("2025-03-03T08:00:00abc", "unexpected text after the time");
    expect_parse_error("2025-03-03T08:00 ", "unexpected text after the time");
    expect_parse_error("2025-03-03T08:00+08:00x", "expected a zone offset +HH:MM or -HH:MM");
    expect_parse_error("2025-03-03x", "expected 'T' or a space before the time");
    /* lowercase t */
    expect_parse_error("2025-03-03t08:00", "expected 'T' or a space before the time");
    /* broken pieces */
    expect_parse_error("2025-3-03", "expected a date YYYY-MM-DD");
    expect_parse_error("25-03-03", "expected a date YYYY-MM-DD");
    expect_parse_error("2025/03/03", "expected a date YYYY-MM-DD");
    expect_parse_error("", "expected a date YYYY-MM-DD");
    expect_parse_error("2025-03-0", "expected a date YYYY-MM-DD");
    expect_parse_error("2025-03-03T", "expected a time HH:MM");
    expect_parse_error("2025-03-03 ", "expected a time HH:MM");
    expect_parse_error("2025-03-03T8:00", "expected a time HH:MM");
    expect_parse_error("2025-03-03T08", "expected a time HH:MM");
    expect_parse_error("2025-03-03T0800", "expected a time HH:MM");
    expect_parse_error("2025-03-03T08:00:", "expected seconds after ':'");
    expect_parse_error("2025-03-03T08:00:5", "expected seconds after ':'");
    expect_parse_error("2025-03-03T08:00+08", "expected a zone offset +HH:MM or -HH:MM");
    expect_parse_error("2025-03-03T08:00+0800", "expected a zone offset +HH:MM or -HH:MM");
    expect_parse_error("2025-03-03T08:00+24:00", "zone offset out of range");
    expect_parse_error("2025-03-03T08:00-05:60", "zone offset out of range");
}

/* YYYY-MM-DD HH:MM:SS, the shape of most log times, has a path of its own
 * (ztime.c, plain): the same values, and every fault of that length named
 * as the general parse names it. */
static void test_parse_nineteen_bytes(void **state)
{
    (void)state;
    ZtParsed p = parse_ok("2025-03-03 08:30:15");
    assert_int_equal(p.local_seconds, D20250303 + 8 * H + 30 * M + 15);
    assert_true(p.has_time);
    assert_false(p.has_offset);
    assert_int_equal(p.offset_seconds, 0);
    assert_int_equal(parse_ok("2024-02-29T23:59:59").local_seconds, 19782LL * DAY + DAY - 1);
    assert_int_equal(parse_ok("0001-01-01 00:00:00").local_seconds, -62135596800LL);
    assert_int_equal(parse_ok("9999-12-31 23:59:59").local_seconds, 253402300799LL);
    assert_int_equal(parse_ok("1969-12-31 23:59:59").local_seconds, -1);
    expect_parse_error("2023-02-29 10:00:00", "no such date");
    expect_parse_error("2025-13-01 10:00:00", "no such date");
    expect_parse_error("2025-03-00 10:00:00", "no such date");
    expect_parse_error("2025-03-03 24:00:00", "hour, minute or second out of range");
    expect_parse_error("2025-03-03 23:60:00", "hour, minute or second out of range");
    expect_parse_error("2025-03-03 23:59:60", "hour, minute or second out of range");
    expect_parse_error("2025-03-03t10:00:00", "expected 'T' or a space before the time");
    expect_parse_error("2025-03-03 10:00-00", "expected a zone offset +HH:MM or -HH:MM");
    expect_parse_error("2025-03-03 10:00x00", "unexpected text after the time");
    expect_parse_error("2025-03-03 10-00:00", "expected a time HH:MM");
    expect_parse_error("2025/03-03 10:00:00", "expected a date YYYY-MM-DD");
    expect_parse_error("2025-03/03 10:00:00", "expected a date YYYY-MM-DD");
    expect_parse_error("2025-03-03 10:00:0x", "expected seconds after ':'");
    expect_parse_error("2025-03-03 10:0x:00", "expected a time HH:MM");
    expect_parse_error("2025-03-03 x0:00:00", "expected a time HH:MM");
    expect_parse_error("2025-03-0x 10:00:00", "expected a date YYYY-MM-DD");
    expect_parse_error("202x-03-03 10:00:00", "expected a date YYYY-MM-DD");
    /* a digit's neighbours below '0' and above '9' */
    expect_parse_error("2025-03-03 10:00:/0", "expected seconds after ':'");
    expect_parse_error("2025-03-03 10:00::0", "expected seconds after ':'");
    expect_parse_error("2025-03-03 08:30:1Z", "expected seconds after ':'");
}

static void test_parse_clears_output_on_error(void **state)
{
    (void)state;
    ZtParsed p;
    memset(&p, 0x5A, sizeof p);
    assert_non_null(zt_parse("2025-02-30", 10, &p));
    assert_false(p.has_time);
    assert_false(p.has_offset);
}

/* ---- zt_to_instant ---------------------------------------------------------------- */

static void test_to_instant(void **state)
{
    (void)state;
    const zt_instant midnight_utc = D20250303;
    ZtParsed p = parse_ok("2025-03-03T08:00+08:00");
    assert_int_equal(zt_to_instant(&p, 0), midnight_utc);
    assert_int_equal(zt_to_instant(&p, -5 * H), midnight_utc); /* the written offset wins */

    p = parse_ok("2025-03-03T08:00");
    assert_int_equal(zt_to_instant(&p, 8 * H), midnight_utc);
    assert_int_equal(zt_to_instant(&p, 0), midnight_utc + 8 * H);

    p = parse_ok("2025-03-03T00:00Z");
    assert_int_equal(zt_to_instant(&p, 8 * H), midnight_utc);

    p = parse_ok("2025-03-03T00:00-05:30");
    assert_int_equal(zt_to_instant(&p, 8 * H), midnight_utc + 5 * H + 30 * M);

    /* a date alone is its local midnight */
    p = parse_ok("2025-03-03");
    assert_int_equal(zt_to_instant(&p, 8 * H), midnight_utc - 8 * H);
    assert_int_equal(zt_to_instant(&p, 0), midnight_utc);
}

static void test_midnight_boundaries(void **state)
{
    (void)state;
    /* local midnight of 2025-01-01 in +08:00 is still 2024 in UTC */
    ZtParsed p = parse_ok("2025-01-01T00:00:00+08:00");
    zt_instant t = zt_to_instant(&p, 0);
    assert_int_equal(t, zt_days_from_civil(2024, 12, 31) * DAY + 16 * H);
    char buf[64];
    zt_format(t, 0, buf, sizeof buf);
    assert_string_equal(buf, "2024-12-31T16:00:00+00:00");
    zt_format(t, 8 * H, buf, sizeof buf);
    assert_string_equal(buf, "2025-01-01T00:00:00+08:00");
    /* one second before */
    zt_format(t - 1, 8 * H, buf, sizeof buf);
    assert_string_equal(buf, "2024-12-31T23:59:59+08:00");
    /* exactly 00:00 never prints as 24:00 */
    zt_format(D20250303, 0, buf, sizeof buf);
    assert_string_equal(buf, "2025-03-03T00:00:00+00:00");
    p = parse_ok("2025-03-03T23:59:59");
    assert_int_equal(zt_to_instant(&p, 0) + 1, D20250303 + DAY);
}

/* ---- zt_format ---------------------------------------------------------------------- */

static void test_format(void **state)
{
    (void)state;
    char buf[64];
    zt_format(0, 0, buf, sizeof buf);
    assert_string_equal(buf, "1970-01-01T00:00:00+00:00");
    zt_format(-1, 0, buf, sizeof buf);
    assert_string_equal(buf, "1969-12-31T23:59:59+00:00");
    zt_format(D20250303, 8 * H, buf, sizeof buf);
    assert_string_equal(buf, "2025-03-03T08:00:00+08:00");
    zt_format(D20250303, -(5 * H + 30 * M), buf, sizeof buf);
    assert_string_equal(buf, "2025-03-02T18:30:00-05:30");
    zt_format(D20250303 + 3723, 0, buf, sizeof buf);
    assert_string_equal(buf, "2025-03-03T01:02:03+00:00");
    /* truncation is safe */
    char small[11];
    zt_format(D20250303, 0, small, sizeof small);
    assert_string_equal(small, "2025-03-03");
}

static void test_format_round_trip(void **state)
{
    (void)state;
    static const int offsets[] = {0, 8 * H, -(5 * H + 30 * M), 5 * H + 45 * M, -12 * H, 14 * H};
    static const zt_instant instants[] = {0, -1, 1, 951782400 /* 2000-02-29 */, 1740960000, -2208988800LL /* 1900 */,
                                          4102444799LL /* 2099-12-31T23:59:59Z */, 86399, 1709164800 /* 2024-02-29 */};
    char buf[64];
    for (size_t i = 0; i < sizeof offsets / sizeof offsets[0]; i++)
        for (size_t k = 0; k < sizeof instants / sizeof instants[0]; k++) {
            zt_format(instants[k], offsets[i], buf, sizeof buf);
            ZtParsed p;
            const char *err = zt_parse(buf, strlen(buf), &p);
            if (err) fail_msg("zt_parse(\"%s\"): %s", buf, err);
            assert_true(p.has_time);
            assert_true(p.has_offset);
            assert_int_equal(p.offset_seconds, offsets[i]);
            assert_int_equal(zt_to_instant(&p, 12345), instants[k]);
            assert_int_equal(strlen(buf), 25);
        }
}

/* ---- zt_parse_offset ---------------------------------------------------------------- */

static void test_parse_offset(void **state)
{
    (void)state;
    int off = -1;
    assert_true(zt_parse_offset("+08:00", &off));
    assert_int_equal(off, 8 * H);
    assert_true(zt_parse_offset("-05:30", &off));
    assert_int_equal(off, -(5 * H + 30 * M));
    off = -1;
    assert_true(zt_parse_offset("Z", &off));
    assert_int_equal(off, 0);
    off = -1;
    assert_true(zt_parse_offset("UTC", &off));
    assert_int_equal(off, 0);
    assert_true(zt_parse_offset("Asia/Shanghai", &off));
    assert_int_equal(off, 8 * H);
    assert_true(zt_parse_offset("+00:00", &off));
    assert_int_equal(off, 0);
    assert_true(zt_parse_offset("+23:59", &off));
    assert_int_equal(off, 23 * H + 59 * M);

    off = 777;
    assert_false(zt_parse_offset("", &off));
    assert_false(zt_parse_offset("08:00", &off));
    assert_false(zt_parse_offset("+8:00", &off));
    assert_false(zt_parse_offset("+0800", &off));
    assert_false(zt_parse_offset("+24:00", &off));
    assert_false(zt_parse_offset("+08:60", &off));
    assert_false(zt_parse_offset("+08:00 ", &off));
    assert_false(zt_parse_offset("utc", &off));
    assert_false(zt_parse_offset("z", &off));
    assert_false(zt_parse_offset("Europe/Paris", &off));
    assert_int_equal(off, 777); /* untouched on failure */
}

int main(void)
{
    const struct CMUnitTest civil[] = {
        cmocka_unit_test(test_epoch),
        cmocka_unit_test(test_known_day_numbers),
        cmocka_unit_test(test_round_trip_every_day),
        cmocka_unit_test(test_weekdays),
        cmocka_unit_test(test_leap_years),
        cmocka_unit_test(test_month_and_year_ends),
    };
    const struct CMUnitTest parsing[] = {
        cmocka_unit_test(test_parse_date),
        cmocka_unit_test(test_parse_times),
        cmocka_unit_test(test_parse_uses_len_not_nul),
        cmocka_unit_test(test_parse_rejects),
        cmocka_unit_test(test_parse_nineteen_bytes),
        cmocka_unit_test(test_parse_clears_output_on_error),
        cmocka_unit_test(test_to_instant),
        cmocka_unit_test(test_midnight_boundaries),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_format_round_trip),
        cmocka_unit_test(test_parse_offset),
    };
    int failed = 0;
    failed += cmocka_run_group_tests_name("ztime civil dates", civil, NULL, NULL);
    failed += cmocka_run_group_tests_name("ztime parsing and formatting", parsing, NULL, NULL);
    return failed;
}
