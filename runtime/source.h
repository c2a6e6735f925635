/* source.h - the backends of the input driver (input.c): a store of named
 * tables whose rows a backend hands out one at a time as raw cells, pulled by
 * the driver. A directory of CSV files (csvsource.c, libcsv) or a SQLite
 * database (sqlsource.c). Backends know nothing of the program: binding,
 * column -> field mapping, cell conversion and the bad-row policy are the
 * driver's. Internal to the runtime library. */
#ifndef ZD_SOURCE_H
#define ZD_SOURCE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "dataset.h"
#include "msg.h"

typedef struct SourceRow {
    RawCell *cols;           /* valid until the next call on the source; the caller may
                              * check them in place (rawcell_check) */
    int ncols;
    int64_t loc;             /* line (CSV) or rowid (SQLite), kept with the row */
    const char *problem;     /* the backend's complaint about the row, or NULL (a cell's: RawCell.bad,
                              * which is static text: it outlives the row) */
} SourceRow;

typedef struct Source Source;
typedef struct SourceOps {
    /* Opens table `name` (its header, or a query): its column names, valid
     * until close_table. Returns 0, or -1 with the message in err. */
    int (*open_table)(Source *s, const char *name, const char *const **names, int *ncols, char *err, size_t size);
    /* The next row of the open table: 1, 0 at its end, or -1 with the message. */
    int (*next)(Source *s, SourceRow *row, char *err, size_t size);
    /* Where the row of the open table read at `loc` (SourceRow.loc) is, for
     * messages: "FILE:LINE" or "DB:TABLE:rowid N". */
    void (*where)(Source *s, int64_t loc, char *buf, size_t size);
    void (*close_table)(Source *s);
    void (*free)(Source *s);
} SourceOps;

struct Source {
    const SourceOps *ops;
    /* the open table, for messages: "DIR/T.csv" or "DB:T" */
    char name[600];
    Lang lang; /* of its messages */
    /* NULL, or a flag (read atomically) that a reader thread's owner sets
     * to stop it: the backend then stops in the middle of a long row and
     * says the table ended (the run is stopping; nobody reads on) */
    const bool *cancel;
};

/* Grows a buffer of cells' bytes (*bytes, *cap, `used` of them taken) to
 * hold `need` bytes, doubling from `first`, the n cells that point into it
 * moved with it: false when out of memory (nothing changed). For the
 * backends and the reader thread, which fill such buffers row by row. */
static inline bool source_grow_bytes(char **bytes, size_t *cap, size_t used, size_t need, size_t first, RawCell *cells, uint32_t n)
{
    if (need <= *cap) return true;
    size_t c = *cap ? *cap : first;
    while (c < need) c *= 2;
    char *b = malloc(c);
    if (!b) return false;
    if (used) memcpy(b, *bytes, used);
    for (uint32_t i = 0; i < n; i++) cells[i].p = b + (cells[i].p - *bytes);
    free(*bytes);
    *bytes = b;
    *cap = c;
    return true;
}

/* NULL with the message (in lang) in err. A database is checked with PRAGMA
 * quick_check before any row is read, unless `check` is false (a trusted one). */
Source *csv_source_open(const char *dir, Lang lang, char *err, size_t size);
Source *sql_source_open(const char *path, Lang lang, bool check, char *err, size_t size);

#endif
