/* wbuf.c - the byte buffer of wbuf.h. */
#include "wbuf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>

void wbuf_init(WBuf *b) { *b = (WBuf){0}; }

void wbuf_init_stream(WBuf *b, FILE *f, char *storage, size_t size) { *b = (WBuf){storage, 0, size, f, false}; }

void wbuf_flush(WBuf *b)
{
    if (b->f && b->len) fwrite(b->data, 1, b->len, b->f);
    if (b->f) b->len = 0;
}

bool wbuf_reserve(WBuf *b, size_t n)
{
    if (b->failed) return false;
    if (b->cap - b->len >= n) return true;
    if (b->f) { /* empty it; wbuf_put writes a larger piece past it */
        wbuf_flush(b);
        return true;
    }
    size_t cap = b->cap ? b->cap : 4096;
    while (cap - b->len < n) {
        if (cap > SIZE_MAX / 2) { b->failed = true; return false; }
        cap *= 2;
    }
    char *d = realloc(b->data, cap);
    if (!d) { b->failed = true; return false; }
    b->data = d;
    b->cap = cap;
    return true;
}

void wbuf_printf(WBuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof small) { wbuf_put(b, small, (size_t)n); return; }
    char *big = malloc((size_t)n + 1);
    if (!big) { b->failed = true; return; }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    wbuf_put(b, big, (size_t)n);
    free(big);
}

void wbuf_free(WBuf *b)
{
    if (!b->f) free(b->data);
    *b = (WBuf){0};
}
