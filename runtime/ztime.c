/* ztime.c - civil date arithmetic (Howard Hinnant's days_from_civil and
 * civil_from_days) and ISO 8601 parsing; no global state, no TZ. */
#include "ztime.h"
#include "msg.h"

#include <stdio.h>
#include <string.h>

int64_t zt_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

void zt_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static bool is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

bool zt_valid_date(int64_t y, unsigned m, unsigned d)
{
    static const unsigned mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1) return false;
    unsigned max = mdays[m - 1] + (m == 2 && is_leap(y));
    return d <= max;
}

int zt_weekday_from_days(int64_t days)
{
    /* 1970-01-01 was a Thursday (3 when Monday is 0) */
    int64_t w = (days + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

static int digits(const char *s, size_t len, size_t at, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (at + (size_t)i >= len || s[at + i] < '0' || s[at + i] > '9') return 0;
        v = v * 10 + (s[at + i] - '0');
    }
    *out = v;
    return 1;
}

/* Are the bytes of w under mask (0xFF each) ASCII digits, eight at a time? */
static bool digits8(uint64_t w, uint64_t mask)
{
    uint64_t high = mask & 0xF0F0F0F0F0F0F0F0ull, three = mask & 0x3030303030303030ull;
    return (w & high) == three && ((w + (mask & 0x0606060606060606ull)) & high) == three;
}

/* The shape a log's times mostly have, YYYY-MM-DD HH:MM:SS (or a T between),
 * taken in one pass: false for any other text, and for one out of range
 * (zt_parse then takes it or says what is wrong, as for any text). */
static bool plain(const char *s, size_t len, ZtParsed *out)
{
    /* the digits of "YYYY-MM-", of "DD HH:MM" and of "HH:MM:SS" (bytes 11..18),
     * the masks laid out as the bytes are, whatever the machine's byte order */
    static const unsigned char date[8] = {255, 255, 255, 255, 0, 255, 255, 0}, hms[8] = {255, 255, 0, 255, 255, 0, 255, 255};
    uint64_t a, b, c, ma, mt;
    if (len != 19) return false;
    memcpy(&a, s, 8), memcpy(&b, s + 8, 8), memcpy(&c, s + 11, 8), memcpy(&ma, date, 8), memcpy(&mt, hms, 8);
    if (!digits8(a, ma) || !digits8(b, mt) || !digits8(c, mt) ||
        s[4] != '-' || s[7] != '-' || (s[10] != ' ' && s[10] != 'T') || s[13] != ':' || s[16] != ':')
        return false;
#define D(i) ((unsigned)s[i] - '0')
    unsigned y = D(0) * 1000 + D(1) * 100 + D(2) * 10 + D(3), mo = D(5) * 10 + D(6), d = D(8) * 10 + D(9);
    unsigned hh = D(11) * 10 + D(12), mm = D(14) * 10 + D(15), ss = D(17) * 10 + D(18);
#undef D
    if (hh > 23 || mm > 59 || ss > 59 || !zt_valid_date(y, mo, d)) return false;
    *out = (ZtParsed){zt_days_from_civil(y, mo, d) * 86400 + hh * 3600 + mm * 60 + ss, true, false, 0};
    return true;
}

const char *zt_parse(const char *s, size_t len, ZtParsed *out)
{
    if (plain(s, len, out)) return NULL;
    int y, mo, d, hh = 0, mm = 0, ss = 0;
    memset(out, 0, sizeof *out);
    if (!digits(s, len, 0, 4, &y) || len < 10 || s[4] != '-' || !digits(s, len, 5, 2, &mo) ||
        s[7] != '-' || !digits(s, len, 8, 2, &d))
        return msg_text(LANG_EN, MSG_T_DATE);
    if (!zt_valid_date(y, (unsigned)mo, (unsigned)d)) return msg_text(LANG_EN, MSG_T_NO_DATE);
    size_t i = 10;
    if (i < len) {
        if (s[i] != 'T' && s[i] != ' ') return msg_text(LANG_EN, MSG_T_T);
        i++;
        if (!digits(s, len, i, 2, &hh) || i + 2 >= len || s[i + 2] != ':' || !digits(s, len, i + 3, 2, &mm))
            return msg_text(LANG_EN, MSG_T_HHMM);
        i += 5;
        if (i < len && s[i] == ':') {
            if (!digits(s, len, i + 1, 2, &ss)) return msg_text(LANG_EN, MSG_T_SECONDS);
            i += 3;
        }
        if (hh > 23 || mm > 59 || ss > 59) return msg_text(LANG_EN, MSG_T_RANGE);
        out->has_time = true;
        if (i < len) {
            if (s[i] == 'Z' && i + 1 == len) {
                out->has_offset = true;
                i++;
            } else if (s[i] == '+' || s[i] == '-') {
                int oh, om;
                if (!digits(s, len, i + 1, 2, &oh) || i + 3 >= len || s[i + 3] != ':' ||
                    !digits(s, len, i + 4, 2, &om) || i + 6 != len)
                    return msg_text(LANG_EN, MSG_T_ZONE);
                if (oh > 23 || om > 59) return msg_text(LANG_EN, MSG_T_ZONE_RANGE);
                out->has_offset = true;
                out->offset_seconds = (s[i] == '-' ? -1 : 1) * (oh * 3600 + om * 60);
                i = len;
            } else {
                return msg_text(LANG_EN, MSG_T_AFTER_TIME);
            }
        }
    }
    if (i != len) return msg_text(LANG_EN, MSG_T_AFTER_DATE);
    out->local_seconds = zt_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + hh * 3600 + mm * 60 + ss;
    return NULL;
}

zt_instant zt_to_instant(const ZtParsed *p, int local_offset_seconds)
{
    return p->local_seconds - (p->has_offset ? p->offset_seconds : local_offset_seconds);
}

bool zt_in_years(zt_instant t, int tz)
{
    return t >= ZT_MIN_TIME && t <= ZT_MAX_TIME && t + tz >= ZT_MIN_TIME && t + tz <= ZT_MAX_TIME;
}

const char *zt_parse_instant(const char *s, size_t len, int tz, zt_instant *out)
{
    ZtParsed tp;
    const char *why = zt_parse(s, len, &tp);
    if (why) return why;
    *out = zt_to_instant(&tp, tz);
    if (!zt_in_years(*out, tz)) return msg_text(LANG_EN, MSG_T_YEARS);
    return NULL;
}

static int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

void zt_format(zt_instant t, int offset_seconds, char *buf, size_t size)
{
    /* saturate: any instant and offset format without overflow */
    if (offset_seconds < -86399) offset_seconds = -86399;
    if (offset_seconds > 86399) offset_seconds = 86399;
    if (t < ZT_MIN_TIME - 86400) t = ZT_MIN_TIME - 86400;
    if (t > ZT_MAX_TIME + 86400) t = ZT_MAX_TIME + 86400;
    int64_t local = t + offset_seconds;
    int64_t days = floor_div(local, 86400);
    int64_t secs = local - days * 86400;
    int64_t y;
    unsigned m, d;
    zt_civil_from_days(days, &y, &m, &d);
    int off = offset_seconds < 0 ? -offset_seconds : offset_seconds;
    if (y >= 0 && y <= 9999 && size >= 26) { /* the usual case by hand: reports format two a verdict */
        unsigned f[] = {(unsigned)y / 100, (unsigned)y % 100, m, d, (unsigned)(secs / 3600), (unsigned)(secs / 60 % 60),
                        (unsigned)(secs % 60), (unsigned)off / 3600, (unsigned)off / 60 % 60};
        char *o = buf;
        for (int i = 0; i < 9; i++) {
            if (i > 1) *o++ = "--T::+:"[i - 2];
            if (i == 7 && offset_seconds < 0) o[-1] = '-';
            *o++ = (char)('0' + f[i] / 10);
            *o++ = (char)('0' + f[i] % 10);
        }
        *o = '\0';
        return;
    }
    snprintf(buf, size, "%04lld-%02u-%02uT%02d:%02d:%02d%c%02d:%02d", (long long)y, m, d, (int)(secs / 3600),
             (int)(secs / 60 % 60), (int)(secs % 60), offset_seconds < 0 ? '-' : '+', off / 3600, off / 60 % 60);
}

bool zt_parse_offset(const char *s, int *offset_seconds)
{
    if (!strcmp(s, "Z") || !strcmp(s, "UTC")) { *offset_seconds = 0; return true; }
    if (!strcmp(s, "Asia/Shanghai")) { *offset_seconds = 8 * 3600; return true; }
    int oh, om;
    size_t len = strlen(s);
    if (len == 6 && (s[0] == '+' || s[0] == '-') && digits(s, len, 1, 2, &oh) && s[3] == ':' &&
        digits(s, len, 4, 2, &om) && oh <= 23 && om <= 59) {
        *offset_seconds = (s[0] == '-' ? -1 : 1) * (oh * 3600 + om * 60);
        return true;
    }
    return false;
}
