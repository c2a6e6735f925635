/* test_period.c - the calendar arithmetic of periodic rules (runtime/period.c),
 * without a VM: days, Monday weeks, months, years, N-week cycles from a fixed
 * anchor and from calendar starts, calendar rows, and the range boundaries.
 * Every expected instant is worked out by hand from one known one:
 * 2024-01-01 (a Monday) 00:00 at UTC+8 is 1704067200 - 8 h. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "period.h"
#include "program.h"

enum { DAY = 86400, H = 3600 };
static const int64_t TZ = 8 * H;
static const int64_t JAN1 = 1704067200 - 8 * H; /* 2024-01-01 00:00 local, a Monday */

/* Day d of 2024 (0: January 1), local midnight. 2024 is a leap year:
 * Feb 1 = 31, Mar 1 = 60, Apr 1 = 91, Sep 1 = 244, 2025-01-01 = 366. */
static int64_t D(int64_t d) { return JAN1 + d * DAY; }

typedef struct Got {
    int n;
    int64_t from[16], to[16];
    uint32_t row[16];
} Got;

static void collect(void *ctx, int64_t from, int64_t to, uint32_t row)
{
    Got *g = ctx;
    assert_true(g->n < 16);
    g->from[g->n] = from;
    g->to[g->n] = to;
    g->row[g->n++] = row;
}

static Got each(uint8_t period, uint32_t weeks, int64_t r0, int64_t r1)
{
    PeriodSpec spec = {period, weeks, false, 0, NULL, 0};
    Got g = {0};
    period_each(&spec, r0, r1, TZ, collect, &g);
    return g;
}

static void test_days(void **state)
{
    (void)state;
    /* from Jan 1 10:00: the first whole day starts Jan 2 */
    Got g = each(ZP_DAY, 0, D(0) + 10 * H, D(3));
    assert_int_equal(g.n, 2);
    assert_int_equal(g.from[0], D(1));
    assert_int_equal(g.to[0], D(2));
    assert_int_equal(g.from[1], D(2));
    assert_int_equal(g.to[1], D(3));
    assert_int_equal(g.row[0], ZNONE);
    /* a range shorter than a day holds none */
    assert_int_equal(each(ZP_DAY, 0, D(1), D(1) + 23 * H).n, 0);
}

static void test_weeks(void **state)
{
    (void)state;
    /* from Wednesday Jan 3 noon to Monday Jan 22: the weeks of Jan 8 and Jan 15 */
    Got g = each(ZP_WEEK, 0, D(2) + 12 * H, D(21));
    assert_int_equal(g.n, 2);
    assert_int_equal(g.from[0], D(7));
    assert_int_equal(g.to[0], D(14));
    assert_int_equal(g.from[1], D(14));
    assert_int_equal(g.to[1], D(21));
    /* a range starting on a Monday midnight includes that week */
    g = each(ZP_WEEK, 0, D(0), D(7));
    assert_int_equal(g.n, 1);
    assert_int_equal(g.from[0], D(0));
    /* one second short of the week's end: not a whole week */
    assert_int_equal(each(ZP_WEEK, 0, D(0), D(7) - 1).n, 0);
}

static void test_months_and_leap_february(void **state)
{
    (void)state;
    /* from Jan 15 to Apr 1: February (29 days in 2024) and March */
    Got g = each(ZP_MONTH, 0, D(14), D(91));
    assert_int_equal(g.n, 2);
    assert_int_equal(g.from[0], D(31));
    assert_int_equal(g.to[0], D(60));
    assert_int_equal(g.to[0] - g.from[0], 29 * DAY);
    assert_int_equal(g.from[1], D(60));
    assert_int_equal(g.to[1], D(91));
    /* boundaries: a range from Feb 1 00:00 to Mar 1 00:00 holds February exactly */
    g = each(ZP_MONTH, 0, D(31), D(60));
    assert_int_equal(g.n, 1);
    assert_int_equal(g.from[0], D(31));
    /* in UTC the same instants are 8 hours after midnight: no whole month */
    PeriodSpec spec = {ZP_MONTH, 0, false, 0, NULL, 0};
    Got utc = {0};
    period_each(&spec, D(31), D(60), 0, collect, &utc);
    assert_int_equal(utc.n, 0);
}

static void test_years(void **state)
{
    (void)state;
    /* from 2023-06-01 to 2025-01-01: the year 2024, 366 days */
    Got g = each(ZP_YEAR, 0, D(-214), D(366));
    assert_int_equal(g.n, 1);
    assert_int_equal(g.from[0], D(0));
    assert_int_equal(g.to[0], D(366));
}

static void test_cycles_from_a_fixed_anchor(void **state)
{
    (void)state;
    /* two-week cycles from Monday Jan 1; from Jan 10 to Feb 12: Jan 15-29, Jan 29-Feb 12 */
    PeriodSpec spec = {ZP_WEEKS, 2, true, D(0), NULL, 0};
    Got g = {0};
    period_each(&spec, D(9), D(42), TZ, collect, &g);
    assert_int_equal(g.n, 2);
    assert_int_equal(g.from[0], D(14));
    assert_int_equal(g.to[0], D(28));
    assert_int_equal(g.from[1], D(28));
    assert_int_equal(g.to[1], D(42));
    /* an anchor after the start of the range: cycles run backwards from it too
     * (anchor Jan 15, range from Jan 1: the first cycle starts Jan 1) */
    PeriodSpec later = {ZP_WEEKS, 2, true, D(14), NULL, 0};
    Got h = {0};
    period_each(&later, D(0), D(28), TZ, collect, &h);
    assert_int_equal(h.n, 2);
    assert_int_equal(h.from[0], D(0));
    assert_int_equal(h.from[1], D(14));
}

static void test_cycles_from_calendar_starts(void **state)
{
    (void)state;
    /* semester starts Monday Feb 26 and Monday Sep 2, given out of order,
     * twice, and with an open start; range Wednesday Feb 14 to Mar 25.
     * Before the first start: from the first Monday (Feb 19), the cycle
     * straddling Feb 26 kept; then from Feb 26: Feb 26-Mar 11, Mar 11-25. */
    int64_t starts[] = {D(245), INT64_MIN, D(56), D(56)};
    PeriodSpec spec = {ZP_WEEKS, 2, false, 0, starts, 4};
    Got g = {0};
    period_each(&spec, D(44), D(84), TZ, collect, &g);
    assert_int_equal(g.n, 3);
    assert_int_equal(g.from[0], D(49));
    assert_int_equal(g.to[0], D(63));
    assert_int_equal(g.from[1], D(56));
    assert_int_equal(g.to[1], D(70));
    assert_int_equal(g.from[2], D(70));
    assert_int_equal(g.to[2], D(84));
    /* no starts at all: cycles from the first Monday of the range */
    Got h = each(ZP_WEEKS, 3, D(2), D(44));
    assert_int_equal(h.n, 1);
    assert_int_equal(h.from[0], D(7));
    assert_int_equal(h.to[0], D(28));
}

static void test_calendar_rows(void **state)
{
    (void)state;
    /* autumn semester row 0, spring row 1, an open row 2, a copy of spring as row 3:
     * by start, end, then row; the open row is not a period */
    Interval rows[] = {{D(244), D(385), 0}, {D(56), D(191), 1}, {D(100), INT64_MAX, 2}, {D(56), D(191), 3}};
    Got g = {0};
    period_each_row(rows, 4, collect, &g);
    assert_int_equal(g.n, 3);
    assert_int_equal(g.row[0], 1);
    assert_int_equal(g.row[1], 3);
    assert_int_equal(g.row[2], 0);
    assert_int_equal(g.from[2], D(244));
    assert_int_equal(g.to[2], D(385));
}

static void test_longest_and_day_start(void **state)
{
    (void)state;
    assert_int_equal(period_longest(ZP_DAY, 0), DAY);
    assert_int_equal(period_longest(ZP_WEEK, 0), 7 * DAY);
    assert_int_equal(period_longest(ZP_MONTH, 0), 31 * DAY);
    assert_int_equal(period_longest(ZP_YEAR, 0), 366 * DAY);
    assert_int_equal(period_longest(ZP_WEEKS, 3), 21 * DAY);
    assert_int_equal(period_longest(ZP_CALENDAR, 0), -1);
    /* local midnight at or before an instant, before 1970 too */
    assert_int_equal(period_day_start(D(5) + 13 * H, TZ), D(5));
    assert_int_equal(period_day_start(D(5), TZ), D(5));
    assert_int_equal(period_day_start(-1, 0), -DAY);
    assert_int_equal(period_floor_div(-7, 2), -4);
    assert_int_equal(period_ceil_div(-7, 2), -3);
    assert_int_equal(period_ceil_div(7, 2), 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_days),
        cmocka_unit_test(test_weeks),
        cmocka_unit_test(test_months_and_leap_february),
        cmocka_unit_test(test_years),
        cmocka_unit_test(test_cycles_from_a_fixed_anchor),
        cmocka_unit_test(test_cycles_from_calendar_starts),
        cmocka_unit_test(test_calendar_rows),
        cmocka_unit_test(test_longest_and_day_start),
    };
    return cmocka_run_group_tests_name("period", tests, NULL, NULL);
}
