/* input.h - reading a data set into a Dataset: a directory of CSV files
 * (libcsv) or a SQLite database (opened read-only). Which tables and columns
 * are read is what the program binds. Every table and column the program
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
} InputOptions;

typedef struct InputStats {
    uint64_t rows;       /* rows read, all tables */
    uint64_t events;     /* event rows accepted */
    uint64_t skipped;    /* bad rows skipped */
} InputStats;

/* Returns 0, or -1 with the message in err (for a bad row: its location and
 * problem; for a missing table or column: which). */
int input_load(Dataset *ds, const char *path, const InputOptions *opt, InputStats *stats, char *err, size_t errsize);

#endif
