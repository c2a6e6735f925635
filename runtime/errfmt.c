/* errfmt.c - see errfmt.h. */
#include "errfmt.h"

#include <stdarg.h>
#include <stdio.h>

int errfmt(char *err, size_t size, const char *fmt, ...)
{
    if (!err || !size) return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, size, fmt, ap);
    va_end(ap);
    return -1;
}
