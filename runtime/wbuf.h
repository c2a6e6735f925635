/* wbuf.h - a byte buffer that report text is formatted into, cheaper than
 * stdio per call (no lock, no vtable): in memory, growing (a slice of a
 * report formatted on a thread of its own), or in front of a stream, emptied
 * into it when full. Ownership: a memory buffer owns its bytes (wbuf_free);
 * a stream buffer writes into storage the caller gives. */
#ifndef ZD_WBUF_H
#define ZD_WBUF_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

typedef struct WBuf {
    char *data;
    size_t len, cap;
    FILE *f;     /* set: what does not fit is written to f */
    bool failed; /* out of memory: everything after is dropped, nothing is cut silently */
} WBuf;

/* An empty memory buffer (allocates nothing yet). */
void wbuf_init(WBuf *b);
/* A buffer in front of f, in storage[size] (size > 0). */
void wbuf_init_stream(WBuf *b, FILE *f, char *storage, size_t size);
/* Room for n more bytes: false (and failed set) when out of memory. */
bool wbuf_reserve(WBuf *b, size_t n);
void wbuf_printf(WBuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Writes what a stream buffer holds into its stream. */
void wbuf_flush(WBuf *b);
void wbuf_free(WBuf *b);

static inline void wbuf_put(WBuf *b, const char *s, size_t n)
{
    if (b->cap - b->len < n && !wbuf_reserve(b, n)) return;
    if (!n) return; /* data may be NULL */
    if (b->f && n > b->cap) { fwrite(s, 1, n, b->f); return; } /* larger than the buffer: past it */
    memcpy(b->data + b->len, s, n);
    b->len += n;
}
static inline void wbuf_puts(WBuf *b, const char *s) { wbuf_put(b, s, strlen(s)); }
static inline void wbuf_putc(WBuf *b, char c)
{
    if (b->len == b->cap && !wbuf_reserve(b, 1)) return;
    b->data[b->len++] = c;
}

#endif
