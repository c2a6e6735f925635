/* outfile.h - writing a named output (a report, a .zbc, a database) safely in
 * a folder others may write to: a new temporary file made with mkstemp beside
 * the target, every write, the fsync and the close checked, then a rename over
 * the target. A symbolic link is written through to its target; an existing
 * target keeps its mode (and its owner and group when the process may set
 * them); a target that is not a regular file is refused, except the standard
 * output itself, which is written directly. SIGINT, SIGTERM and SIGHUP remove
 * the temporary files (and a SQLite -journal beside them) before the process
 * ends, and so does the time limit's alarm (outfile_time_limit). Nothing else
 * here exits or prints: failures come back as messages. */
#ifndef ZD_OUTFILE_H
#define ZD_OUTFILE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "msg.h"

typedef struct OutFile {
    const char *name; /* as given on the command line, for messages (borrowed) */
    char *target;     /* the file the rename replaces, symbolic links resolved */
    char *tmp;        /* the temporary file; NULL when writing to standard output */
    char *journal;    /* tmp + "-journal", removed too on a signal */
    int fd;           /* open on tmp (or STDOUT_FILENO) */
    FILE *f;          /* a stream on fd, when asked for */
} OutFile;

/* Prepares to write `name`: checks the target and creates the temporary file
 * (with a stream on it when `stream`). `allow_stdout` lets a name that is the
 * standard output (/dev/stdout, or the file it is redirected to) be written
 * directly. 0, or -1 with the reason (in lang) in err (nothing left behind). */
int outfile_open(OutFile *o, const char *name, bool stream, bool allow_stdout, Lang lang, char *err, size_t size);
/* The standard output, checked as outfile_commit checks a file. Returns 0. */
int outfile_stdout(OutFile *o);
/* Flushes and checks the stream, fsyncs and closes the temporary file, and
 * renames it over the target. 0, or -1 with the reason in err (the temporary
 * file removed, the target untouched). Frees o either way. Clear errno before
 * writing to the stream and call this right after: a failed write's errno is
 * the reason given. */
int outfile_commit(OutFile *o, char *err, size_t size);
/* Gives up: closes and removes the temporary file. Frees o. */
void outfile_discard(OutFile *o);
/* After `seconds`, whatever the process is doing (reading a SQLite view that
 * never ends, judging, writing): remove the temporary files, write `message`
 * (copied, at most 255 bytes) to standard error and exit with `status`. */
void outfile_time_limit(unsigned seconds, const char *message, int status);
/* Writes `size` bytes to `name` safely (outfile_open + commit). */
int outfile_write_all(const char *name, const void *data, size_t size, Lang lang, char *err, size_t errsize);

#endif
