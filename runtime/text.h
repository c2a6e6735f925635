/* text.h - terminal layout of UTF-8 text: East Asian wide characters take
 * two columns, so tables with Chinese names line up. */
#ifndef ZD_TEXT_H
#define ZD_TEXT_H
#include <stdio.h>

int text_width(const char *s);
/* Prints s left-aligned in a field of `width` terminal columns. */
void text_pad(FILE *out, const char *s, int width);

#endif
