/* text.c - terminal widths of UTF-8 text (see text.h). */
#include "text.h"

#include <stdbool.h>
#include <stdint.h>

int text_width(const char *s)
{
    int w = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (*p < 0x80) { w++; p++; continue; }
        int n = *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : 2;
        uint32_t cp = *p & (n == 4 ? 0x07 : n == 3 ? 0x0F : 0x1F);
        for (int k = 1; k < n && p[k]; k++) cp = (cp << 6) | (p[k] & 0x3F);
        bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
                    (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                    (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
        w += wide ? 2 : 1;
        for (int k = 0; k < n && *p; k++) p++;
    }
    return w;
}

void text_pad(FILE *out, const char *s, int width)
{
    fputs(s, out);
    for (int w = text_width(s); w < width; w++) fputc(' ', out);
}
