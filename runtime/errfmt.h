/* errfmt.h - the runtime's error path: a message formatted into the caller's
 * buffer (err, size), as every runtime function that can fail promises. */
#ifndef ZD_ERRFMT_H
#define ZD_ERRFMT_H
#include <stddef.h>

/* Formats the message into err (at most size bytes, NUL-terminated; nothing
 * when size is 0) and returns -1, so `return errfmt(err, size, ...);`. */
int errfmt(char *err, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
