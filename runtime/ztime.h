/* ztime.h - civil time without the C library's time zone state: ISO 8601
 * parsing, days-from-civil arithmetic, weekdays. Times are seconds since
 * 1970-01-01T00:00:00Z (UTC instants); local civil time is UTC plus a fixed
 * offset in seconds. Used by the compiler (literals) and the runtime (logs). */
#ifndef ZD_ZTIME_H
#define ZD_ZTIME_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int64_t zt_instant; /* seconds since the Unix epoch, UTC */

/* The instants of years 1 to 9999, the ones ISO 8601 writes with four digits. */
#define ZT_MIN_TIME (-62135596800LL)  /* 0001-01-01T00:00:00Z */
#define ZT_MAX_TIME (253402300799LL)  /* 9999-12-31T23:59:59Z */
#define ZT_MAX_SPAN (ZT_MAX_TIME - ZT_MIN_TIME) /* the longest duration between two times */

typedef struct ZtParsed {
    int64_t local_seconds; /* civil date-time as seconds since 1970-01-01 00:00 (no zone) */
    bool has_time;         /* a time of day was given */
    bool has_offset;       /* Z or +-HH:MM was given */
    int offset_seconds;    /* valid when has_offset */
} ZtParsed;

/* Days since 1970-01-01 of a proleptic Gregorian date (no validation). */
int64_t zt_days_from_civil(int64_t y, unsigned m, unsigned d);
void zt_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);
bool zt_valid_date(int64_t y, unsigned m, unsigned d);
/* 0 = Monday ... 6 = Sunday */
int zt_weekday_from_days(int64_t days);

/* Parses an ISO 8601 timestamp as docs/data.md ("Time") allows:
 * YYYY-MM-DD[(T| )HH:MM[:SS]][Z|(+|-)HH:MM]. A date alone takes no offset.
 * Returns NULL on success, else a static message saying what is wrong: an
 * English text of the catalogue (msg.def), which msg_translate() puts in
 * another language. */
const char *zt_parse(const char *s, size_t len, ZtParsed *out);
/* The UTC instant of a parsed time, given the local offset for times without one. */
zt_instant zt_to_instant(const ZtParsed *p, int local_offset_seconds);
/* Is t inside the years 1 to 9999 both in UTC and at the offset tz? A run
 * holds only such times (data, --from, --as-of, arithmetic), so that every
 * time it prints in the policy's zone has a four-digit year. */
bool zt_in_years(zt_instant t, int tz);
/* zt_parse, then zt_to_instant at the offset tz, then zt_in_years: NULL on
 * success, else a static message saying what is wrong. */
const char *zt_parse_instant(const char *s, size_t len, int tz, zt_instant *out);
/* Formats an instant as RFC 3339 with the given offset: 2025-03-03T00:00:00+08:00.
 * buf must hold at least 32 bytes. */
void zt_format(zt_instant t, int offset_seconds, char *buf, size_t size);

/* Parses a zone offset: "+08:00", "-05:30", "Z", "UTC", or "Asia/Shanghai".
 * Returns false when the text is none of these. */
bool zt_parse_offset(const char *s, int *offset_seconds);

#endif
