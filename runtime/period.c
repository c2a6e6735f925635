/* period.c - the periods of periodic rules inside a checked range (see
 * period.h). Everything is in UTC seconds shifted by the program's fixed
 * offset `tz`; no time zone rules, no data. */
#include "period.h"

#include <stdlib.h>

#include "program.h"
#include "ztime.h"

enum { DAY = PERIOD_DAY, WEEK = PERIOD_WEEK };

int64_t period_floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
int64_t period_ceil_div(int64_t a, int64_t b) { return -period_floor_div(-a, b); }

int64_t period_day_start(int64_t t, int64_t tz) { return period_floor_div(t + tz, DAY) * DAY - tz; }

/* Local midnight of the first day starting at or after t. */
static int64_t first_midnight(int64_t t, int64_t tz) { return period_ceil_div(t + tz, DAY) * DAY - tz; }

static int64_t first_monday(int64_t t, int64_t tz)
{
    int64_t d = period_ceil_div(t + tz, DAY);
    d += (7 - zt_weekday_from_days(d)) % 7;
    return d * DAY - tz;
}

static int64_t month_start(int64_t y, unsigned m, int64_t tz) { return zt_days_from_civil(y, m, 1) * DAY - tz; }

static void each_month(bool years, int64_t r0, int64_t r1, int64_t tz, PeriodFn fn, void *ctx)
{
    int64_t y;
    unsigned m, d;
    zt_civil_from_days(period_floor_div(r0 + tz, DAY), &y, &m, &d);
    if (years) m = 1;
    int64_t a = month_start(y, m, tz);
    while (a < r0) {
        if (years) y++;
        else if (++m > 12) { m = 1; y++; }
        a = month_start(y, m, tz);
    }
    for (;;) {
        int64_t ny = y;
        unsigned nm = m;
        if (years) ny++;
        else if (++nm > 12) { nm = 1; ny++; }
        int64_t b = month_start(ny, nm, tz);
        if (b > r1) break;
        fn(ctx, a, b, ZNONE);
        a = b;
        y = ny;
        m = nm;
    }
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static void each_cycle(const PeriodSpec *spec, int64_t r0, int64_t r1, int64_t tz, PeriodFn fn, void *ctx)
{
    int64_t len = (int64_t)spec->weeks * WEEK;
    if (spec->has_anchor) {
        int64_t anchor = spec->anchor;
        for (int64_t a = anchor + period_ceil_div(r0 - anchor, len) * len; a + len <= r1; a += len) fn(ctx, a, a + len, ZNONE);
        return;
    }
    /* the distinct closed starts, in order (in place: the caller's array) */
    int64_t *starts = spec->starts;
    uint32_t ns = 0;
    for (uint32_t i = 0; i < spec->nstarts; i++)
        if (starts[i] != INT64_MIN) starts[ns++] = starts[i];
    if (ns > 1) qsort(starts, ns, sizeof(int64_t), cmp_i64);
    uint32_t u = 0;
    for (uint32_t i = 0; i < ns; i++)
        if (u == 0 || starts[u - 1] != starts[i]) starts[u++] = starts[i];
    ns = u;
    int64_t monday = first_monday(r0, tz);
    if (ns == 0 || monday < starts[0]) {
        int64_t limit = ns ? starts[0] : INT64_MAX;
        for (int64_t a = monday; a < limit && a + len <= r1; a += len) fn(ctx, a, a + len, ZNONE);
    }
    for (uint32_t i = 0; i < ns; i++) {
        int64_t origin = starts[i], limit = i + 1 < ns ? starts[i + 1] : INT64_MAX;
        int64_t a = origin;
        if (a < r0) a = origin + period_ceil_div(r0 - origin, len) * len;
        for (; a < limit && a + len <= r1; a += len) fn(ctx, a, a + len, ZNONE);
    }
}

void period_each(const PeriodSpec *spec, int64_t r0, int64_t r1, int64_t tz, PeriodFn fn, void *ctx)
{
    switch (spec->period) {
    case ZP_DAY:
        for (int64_t a = first_midnight(r0, tz); a + DAY <= r1; a += DAY) fn(ctx, a, a + DAY, ZNONE);
        break;
    case ZP_WEEK:
        for (int64_t a = first_monday(r0, tz); a + WEEK <= r1; a += WEEK) fn(ctx, a, a + WEEK, ZNONE);
        break;
    case ZP_MONTH:
    case ZP_YEAR: each_month(spec->period == ZP_YEAR, r0, r1, tz, fn, ctx); break;
    case ZP_WEEKS: each_cycle(spec, r0, r1, tz, fn, ctx); break;
    default: break;
    }
}

static int cmp_interval(const void *a, const void *b)
{
    const Interval *x = a, *y = b;
    if (x->from != y->from) return x->from < y->from ? -1 : 1;
    if (x->to != y->to) return x->to < y->to ? -1 : 1;
    return x->row < y->row ? -1 : x->row > y->row;
}

void period_each_row(Interval *rows, uint32_t n, PeriodFn fn, void *ctx)
{
    if (n > 1) qsort(rows, n, sizeof(Interval), cmp_interval);
    for (uint32_t i = 0; i < n; i++)
        if (rows[i].from != INT64_MIN && rows[i].to != INT64_MAX) fn(ctx, rows[i].from, rows[i].to, rows[i].row);
}

int64_t period_longest(uint8_t period, uint32_t weeks)
{
    switch (period) {
    case ZP_DAY: return DAY;
    case ZP_WEEK: return WEEK;
    case ZP_MONTH: return 31 * DAY;
    case ZP_YEAR: return 366 * DAY;
    case ZP_WEEKS: return (int64_t)weeks * WEEK;
    default: return -1;
    }
}
