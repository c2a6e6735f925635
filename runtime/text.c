/* text.c - UTF-8 decoding, terminal widths, the terminal escaper and JSON strings (see text.h). */
#include "text.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* utf8_decode's body, inlined into the validator that every cell read goes through */
static inline __attribute__((always_inline)) int decode(const unsigned char *p, const unsigned char *end, uint32_t *cp)
{
    unsigned c = p[0];
    int n;
    uint32_t v, min;
    if (c < 0x80) { *cp = c; return 1; }
    if (c >= 0xC2 && c <= 0xDF) { n = 2; v = c & 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { n = 3; v = c & 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 4; v = c & 0x07; min = 0x10000; }
    else return 0;
    if (end - p < n) return 0;
    for (int i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) return 0;
        v = (v << 6) | (p[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return n;
}

int utf8_decode(const unsigned char *p, const unsigned char *end, uint32_t *cp) { return decode(p, end, cp); }

/* Three bytes of UTF-8 at p (< end) that need no more checking: a lead byte
 * that allows no overlong form or surrogate (most of CJK) and two continuation bytes. */
static inline bool valid_three(const unsigned char *p, const unsigned char *end)
{
    return (p[0] - 0xE1u < 0x0Cu || p[0] - 0xEEu < 2u) && end - p >= 3 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80;
}

/* Is every byte of the word in 1..0x7F (no NUL, nothing above ASCII)? */
static inline bool plain_ascii64(uint64_t w) { return !((w | (w - 0x0101010101010101ull)) & 0x8080808080808080ull); }
static inline bool plain_ascii32(uint32_t w) { return !((w | (w - 0x01010101u)) & 0x80808080u); }

long utf8_invalid_at(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    /* most cells are short and ASCII: checked a word at a time, the last
     * bytes by loads that may overlap the ones before */
    size_t i = 0;
    uint64_t w;
    uint32_t a, b;
    for (; i + 8 <= n; i += 8) {
        memcpy(&w, p + i, 8);
        if (!plain_ascii64(w)) break;
    }
    if (i == n) return -1;
    if (i + 8 > n) {
        if (n >= 8) {
            memcpy(&w, end - 8, 8);
            if (plain_ascii64(w)) return -1;
        } else if (n >= 4) {
            memcpy(&a, p, 4);
            memcpy(&b, end - 4, 4);
            if (plain_ascii32(a) && plain_ascii32(b)) return -1;
        }
    }
    while (i < n) {
        if (p[i] - 1u < 0x7Fu) {
            i++;
            continue;
        }
        if (valid_three(p + i, end)) { /* CJK; any other sequence, or a bad one, is decode's */
            i += 3;
            continue;
        }
        uint32_t cp;
        int k = decode(p + i, end, &cp);
        if (k == 0 || cp == 0) return (long)i;
        i += (size_t)k;
    }
    return -1;
}

int codepoint_width(uint32_t cp)
{
    bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
                (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
    return wide ? 2 : 1;
}

int text_width(const char *s)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);
    int w = 0;
    while (p < end) {
        uint32_t cp;
        int n = utf8_decode(p, end, &cp);
        w += n ? codepoint_width(cp) : 1;
        p += n ? n : 1;
    }
    return w;
}

void text_pad(FILE *out, const char *s, int width)
{
    for (int w = text_write_escaped(out, s); w < width; w++) fputc(' ', out);
}

/* Where escaped text goes: a WBuf, or a buffer that keeps what fits. */
typedef struct Sink {
    WBuf *w;
    char *buf;
    size_t size, len;
    bool full;
} Sink;

/* n bytes of whole characters, or one escape (whole: all or nothing); into a
 * buffer, as many whole characters as fit. */
static void put(Sink *k, const char *s, size_t n, bool whole)
{
    if (k->w) { wbuf_put(k->w, s, n); return; }
    if (k->full) return;
    if (k->len + n >= k->size) {
        k->full = true;
        n = whole ? 0 : k->size - 1 - k->len;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--; /* s[n]: the first byte left out */
    }
    memcpy(k->buf + k->len, s, n);
    k->len += n;
    k->buf[k->len] = '\0';
}

/* Whether a terminal is shown the code point as it is: not a C0 or C1 control,
 * DEL, or a bidirectional embedding, override or isolate. */
static inline bool shown_as_is(uint32_t cp)
{
    bool c1_or_bidi = (cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
    return cp >= 0x20 && cp != 0x7F && !c1_or_bidi;
}

/* The one decision of what a terminal is shown for the character at p (< end):
 * 0 when it is shown as it is (*n its bytes, *w its columns), else the length
 * of its escape written into e (NUL-terminated; *n the bytes it replaces). */
static int escape_of(const unsigned char *p, const unsigned char *end, int *n, int *w, char e[TEXT_ESCAPE_MAX])
{
    uint32_t cp = 0;
    *n = utf8_decode(p, end, &cp);
    if (*n && shown_as_is(cp)) { *w = codepoint_width(cp); return 0; }
    int len;
    if (*n == 0) len = snprintf(e, TEXT_ESCAPE_MAX, "\\x%02x", *p);
    else if (cp == '\n') len = snprintf(e, TEXT_ESCAPE_MAX, "\\n");
    else if (cp == '\r') len = snprintf(e, TEXT_ESCAPE_MAX, "\\r");
    else if (cp == '\t') len = snprintf(e, TEXT_ESCAPE_MAX, "\\t");
    else if (cp < 0x80) len = snprintf(e, TEXT_ESCAPE_MAX, "\\x%02x", (unsigned)cp);
    else len = snprintf(e, TEXT_ESCAPE_MAX, "\\u%04x", (unsigned)cp);
    if (*n == 0) *n = 1;
    *w = len;
    return len;
}

static int escape(Sink *k, const char *s)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s), *run = p; /* run: written as it is */
    int w = 0;
    while (p < end) {
        if (*p - 0x20u < 0x5Fu) { /* printable ASCII: as it is, one column */
            w++;
            p++;
            continue;
        }
        if (valid_three(p, end)) { /* CJK, mostly */
            uint32_t cp = (uint32_t)(*p & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (uint32_t)(p[2] & 0x3F);
            if (shown_as_is(cp)) {
                w += codepoint_width(cp);
                p += 3;
                continue;
            }
        }
        char e[TEXT_ESCAPE_MAX];
        int n, cw, len = escape_of(p, end, &n, &cw, e);
        w += cw;
        p += n;
        if (!len) continue;
        put(k, (const char *)run, (size_t)(p - n - run), false);
        put(k, e, (size_t)len, true);
        run = p;
    }
    put(k, (const char *)run, (size_t)(p - run), false);
    return w;
}

int text_escape_char(const char *p, const char *end, char e[TEXT_ESCAPE_MAX], int *width)
{
    int n;
    if (!escape_of((const unsigned char *)p, (const unsigned char *)end, &n, width, e)) {
        memcpy(e, p, (size_t)n);
        e[n] = '\0';
    }
    return n;
}

int text_write_escaped(FILE *out, const char *s)
{
    char storage[512];
    WBuf b;
    wbuf_init_stream(&b, out, storage, sizeof storage);
    int w = text_put_escaped(&b, s);
    wbuf_flush(&b);
    return w;
}

int text_put_escaped(WBuf *b, const char *s)
{
    Sink k = {b, NULL, 0, 0, false};
    return escape(&k, s);
}

void text_escape(char *buf, size_t size, const char *s)
{
    if (!size) return;
    Sink k = {NULL, buf, size, 0, false};
    buf[0] = '\0';
    escape(&k, s);
}

int text_printf_escaped(FILE *out, const char *fmt, ...)
{
    char *text = NULL;
    size_t n = 0;
    FILE *m = open_memstream(&text, &n);
    if (!m) return -1;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(m, fmt, ap);
    va_end(ap);
    if (fclose(m) != 0 || !text) { free(text); return -1; }
    bool nl = n > 0 && text[n - 1] == '\n';
    if (nl) text[n - 1] = '\0';
    text_write_escaped(out, text);
    if (nl) fputc('\n', out);
    free(text);
    return 0;
}

void json_put_string(WBuf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    const unsigned char *end = p + strlen(s), *run = p; /* run: the start of what is written as it is */
    wbuf_putc(b, '"');
    while (p < end) {
        unsigned c = *p;
        if (c - 0x20u < 0x5Fu && c != '"' && c != '\\') { p++; continue; } /* printable ASCII */
        if (valid_three(p, end)) { /* CJK: as it is */
            p += 3;
            continue;
        }
        uint32_t cp;
        int n = decode(p, end, &cp);
        if (n > 0 && cp != '"' && cp != '\\' && cp >= 0x20 && cp != 0x7F) { p += n; continue; }
        wbuf_put(b, (const char *)run, (size_t)(p - run)); /* one call a run, not one a character */
        if (n == 0) { wbuf_puts(b, "\\ufffd"); p++; run = p; continue; }
        if (cp == '"') wbuf_puts(b, "\\\"");
        else if (cp == '\\') wbuf_puts(b, "\\\\");
        else if (cp == '\n') wbuf_puts(b, "\\n");
        else if (cp == '\r') wbuf_puts(b, "\\r");
        else if (cp == '\t') wbuf_puts(b, "\\t");
        else wbuf_printf(b, "\\u%04x", cp);
        p += n;
        run = p;
    }
    wbuf_put(b, (const char *)run, (size_t)(p - run));
    wbuf_putc(b, '"');
}

void json_write_string(FILE *out, const char *s)
{
    char storage[512];
    WBuf b;
    wbuf_init_stream(&b, out, storage, sizeof storage);
    json_put_string(&b, s);
    wbuf_flush(&b);
}
