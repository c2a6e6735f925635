/* text.h - UTF-8 text: decoding, terminal widths (East Asian wide characters
 * take two columns, so Chinese names line up), and JSON string literals.
 * Shared by the compiler's diagnostics and the runtime's reports. */
#ifndef ZD_TEXT_H
#define ZD_TEXT_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Decodes one UTF-8 sequence at p (< end); its length, or 0 if invalid. The
 * one UTF-8 validator: overlong forms, surrogates and code points past
 * U+10FFFF are invalid. */
int utf8_decode(const unsigned char *p, const unsigned char *end, uint32_t *cp);
/* Offset of the first invalid sequence or NUL byte in s[0..n), or -1. */
long utf8_invalid_at(const char *s, size_t n);
/* Terminal columns of a code point: 2 for East Asian wide ones, else 1. */
int codepoint_width(uint32_t cp);
int text_width(const char *s);
/* Prints s left-aligned in a field of `width` terminal columns. */
void text_pad(FILE *out, const char *s, int width);
/* Writes s as a JSON string literal (quotes included); invalid UTF-8 becomes U+FFFD. */
void json_write_string(FILE *out, const char *s);

#endif
