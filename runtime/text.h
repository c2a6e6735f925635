/* text.h - UTF-8 text: decoding, terminal widths (East Asian wide characters
 * take two columns, so Chinese names line up), escapes for a terminal, and
 * JSON string literals. Shared by the compiler's diagnostics, the runtime's
 * reports and its messages about data. */
#ifndef ZD_TEXT_H
#define ZD_TEXT_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "wbuf.h"

/* Decodes one UTF-8 sequence at p (< end); its length, or 0 if invalid. The
 * one UTF-8 validator: overlong forms, surrogates and code points past
 * U+10FFFF are invalid. */
int utf8_decode(const unsigned char *p, const unsigned char *end, uint32_t *cp);
/* Offset of the first invalid sequence or NUL byte in s[0..n), or -1. */
long utf8_invalid_at(const char *s, size_t n);
/* Terminal columns of a code point: 2 for East Asian wide ones, else 1. */
int codepoint_width(uint32_t cp);
int text_width(const char *s);
/* Prints s escaped (text_write_escaped) left-aligned in a field of `width` terminal columns. */
void text_pad(FILE *out, const char *s, int width);
/* The one escaper of text shown on a terminal (the text report, messages
 * that quote names and cells of the data): writes s with C0 controls (\n,
 * \r, \t, \x1b…), DEL, C1 controls (\u009b…), bidirectional embeddings,
 * overrides and isolates (\u202e…) and invalid UTF-8 bytes (\xff) shown
 * escaped, so a name cannot forge lines, hide text or reorder it. A backslash
 * stays as it is, so escaping twice changes nothing. Returns the columns written. */
int text_write_escaped(FILE *out, const char *s);
int text_put_escaped(WBuf *b, const char *s); /* the same, appended to b */
/* The same into buf (size bytes, NUL-terminated; what does not fit is cut at a
 * character or an escape, never inside one). */
void text_escape(char *buf, size_t size, const char *s);
/* The same for the one character at p (< end), NUL bytes included: what is
 * shown for it (the character or its escape) into e, its columns in *width;
 * returns the bytes it takes at p. For text shown with a caret under it. */
enum { TEXT_ESCAPE_MAX = 8 };
int text_escape_char(const char *p, const char *end, char e[TEXT_ESCAPE_MAX], int *width);
/* fmt with its arguments (names, values, source text of a rule file) written
 * escaped as a whole, but for a final newline, which stays: for a line of a
 * message whose format holds no control character but that one. -1 when out
 * of memory (nothing written). */
int text_printf_escaped(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Writes s as a JSON string literal (quotes included); invalid UTF-8 becomes U+FFFD. */
void json_write_string(FILE *out, const char *s);
void json_put_string(WBuf *b, const char *s); /* the same, appended to b */

#endif
