/* file.h - reading a whole file into memory, for the compiler's rule files
 * and the runtime's .zbc files alike (data files are streamed by input.c). */
#ifndef ZD_FILE_H
#define ZD_FILE_H
#include <stddef.h>

#include "msg.h"

enum { FILE_MAX_BYTES = 256 * 1024 * 1024 };

/* Reads the regular file at path (at most max bytes) into a malloc'd buffer
 * with a NUL byte after the end. NULL on failure, with errno set: EISDIR (a
 * directory), EINVAL (not a regular file: looked at before opening, as opening
 * a FIFO blocks and a device never ends), EFBIG (more than max bytes), ENOMEM,
 * or the error of opening or reading. */
char *file_read(const char *path, size_t max, size_t *size);
/* Why file_read failed, for messages: strerror with its own cases named
 * (those in the catalogue's English: msg_translate() puts them in a language). */
const char *file_error(int err);
/* What a file of mode st_mode that is not a regular file is ("a FIFO"), as
 * a message of the catalogue. */
MsgId file_kind(unsigned mode);

#endif
