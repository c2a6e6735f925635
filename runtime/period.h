/* period.h - the calendar arithmetic of periodic rules: which days, Monday
 * weeks, months, years, N-week cycles and calendar rows lie inside a checked
 * range, in the program's local time. Pure arithmetic: no data set, no VM
 * (the scheduler, stream.c, decides which of them to judge). */
#ifndef ZD_PERIOD_H
#define ZD_PERIOD_H
#include <stdbool.h>
#include <stdint.h>

enum { PERIOD_DAY = 86400, PERIOD_WEEK = 7 * PERIOD_DAY };

/* A period given to a PeriodFn: [from, to), and its calendar row (ZNONE when
 * it is not a calendar row). */
typedef void (*PeriodFn)(void *ctx, int64_t from, int64_t to, uint32_t row);

/* One row of a calendar: [from, to), INT64_MIN / INT64_MAX when open. */
typedef struct Interval {
    int64_t from, to;
    uint32_t row;
} Interval;

/* What to enumerate: a ZPeriodKind (program.h) other than ZP_CALENDAR, and
 * for ZP_WEEKS the cycle's length and origin: a fixed anchor time, or the
 * starts of calendar rows (any order, INT64_MIN for an open start, which is
 * ignored; sorted and deduplicated in place; none: the first Monday of the
 * range). */
typedef struct PeriodSpec {
    uint8_t period;
    uint32_t weeks;
    bool has_anchor;
    int64_t anchor;
    int64_t *starts;
    uint32_t nstarts;
} PeriodSpec;

int64_t period_floor_div(int64_t a, int64_t b);
int64_t period_ceil_div(int64_t a, int64_t b);
/* Local midnight of the day holding t. */
int64_t period_day_start(int64_t t, int64_t tz);

/* Calls fn for each period of spec that starts at or after r0 and ends at or
 * before r1, in time order. N-week cycles run from the first Monday of the
 * range until the first anchor, then from each anchor until the next (the
 * cycle straddling the next anchor is kept). */
void period_each(const PeriodSpec *spec, int64_t r0, int64_t r1, int64_t tz, PeriodFn fn, void *ctx);

/* Calls fn for each closed row of a calendar, ordered by start, end, row
 * (rows is sorted in place). */
void period_each_row(Interval *rows, uint32_t n, PeriodFn fn, void *ctx);

/* The longest period of a kind other than ZP_CALENDAR (months: 31 days,
 * years: 366), or -1 for ZP_CALENDAR. */
int64_t period_longest(uint8_t period, uint32_t weeks);

#endif
