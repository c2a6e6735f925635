/* input.h - reading a data set into a Dataset: a directory of CSV files
 * (libcsv) or a SQLite database (opened read-only), both backends of one
 * driver (source.h), and the rows an embedding program pushes. Which tables
 * and columns are read is what the program binds. Every table and column the program
 * needs is checked before any row is read; a bad row is reported as
 * "FILE:LINE: column NAME: what is wrong" (SQLite: "DB:TABLE:rowid N: ...")
 * and either stops the load or is skipped and counted, never dropped silently. */
#ifndef ZD_INPUT_H
#define ZD_INPUT_H
#include <stdbool.h>
#include <stdio.h>
#include "dataset.h"

typedef struct InputOptions {
    bool skip_bad_rows;  /* else the first bad row stops the load */
    FILE *report;        /* where skipped rows are reported (stderr) */
    uint64_t quiet_skips;/* reading again: the first ones were reported already */
    Lang lang;           /* the language of the messages (msg.h) */
    bool no_integrity_check; /* a SQLite data set is trusted: no PRAGMA quick_check (it reads the whole file) */
    uint64_t max_held;   /* more events held at once (Dataset.nevents) is an error at the row that makes one more; 0: no limit */
    bool read_ahead;     /* the backend reads on a thread of its own (readahead.h): a run with more than one job */
} InputOptions;

typedef struct InputStats {
    uint64_t rows;       /* rows read, all tables */
    uint64_t events;     /* event rows accepted */
    uint64_t skipped;    /* bad rows skipped */
} InputStats;

/* A reading in progress, pulled by its caller. input_open checks every table
 * and column (NULL with the message in err: a missing table or column, a
 * malformed header); input_next reads on until one more event has been added
 * (1), to the end (0), or to an error (-1 with the message: for a bad row, its
 * location and problem). stats counts what was read. */
typedef struct Input Input;
Input *input_open(Dataset *ds, const char *path, const InputOptions *opt, InputStats *stats, char *err, size_t errsize);
int input_next(Input *in, char *err, size_t errsize);
void input_close(Input *in);

/* All of it: returns 0, or -1 with the message in err. */
int input_load(Dataset *ds, const char *path, const InputOptions *opt, InputStats *stats, char *err, size_t errsize);

/* One row pushed by an embedding program: values[i] (NULL: none) of column
 * columns[i] of table `table`. *next_loc numbers the rows (it counts the rows
 * whose table and columns are right). Returns 0 (stats counts it), or -1 with
 * the message in err. */
int input_add_row(Dataset *ds, const char *table, const char *const *columns, const char *const *values, size_t n,
                  uint32_t *next_loc, InputStats *stats, char *err, size_t errsize);

#endif
