/* zhidu.h - embedding the zhidu runtime (no compiler needed): load a compiled
 * policy (.zbc, verified on load), give it data (a CSV directory or SQLite
 * file, or rows pushed one at a time), run it, and read the verdicts.
 *
 * Ownership: every zd_* object is created by a zd_*_new/load/run function and
 * released by the matching zd_*_free; a zd_data must not outlive its policy,
 * and a report must not outlive its data. Strings returned in a zd_violation
 * belong to the report. Functions that can fail take (err, errsize) and put
 * a one-line message there; running out of memory is such a failure ("out
 * of memory while ..."), never an abort, and leaves nothing allocated behind.
 * Thread safety: objects are independent; do not
 * share one object between threads without a lock. */
#ifndef ZHIDU_H
#define ZHIDU_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct zd_policy zd_policy;
typedef struct zd_data zd_data;
typedef struct zd_report zd_report;

zd_policy *zd_policy_load(const void *bytes, size_t size, char *err, size_t errsize);
zd_policy *zd_policy_load_file(const char *path, char *err, size_t errsize);
void zd_policy_free(zd_policy *policy);

zd_data *zd_data_new(const zd_policy *policy);
/* Reads a CSV directory or a SQLite file. Returns 0, or -1 (a missing table or
 * column, or a bad row when skip_bad_rows is false). */
int zd_data_load(zd_data *data, const char *path, bool skip_bad_rows, char *err, size_t errsize);
/* Adds one row to a table, named as in the data set ("events", "roster", ...);
 * values[i] is the text of column columns[i] (NULL or "" = missing); columns
 * the policy does not bind are ignored. Returns 0, or -1 if the row is bad
 * (nothing is added). */
int zd_data_add_row(zd_data *data, const char *table, const char *const *columns, const char *const *values, size_t n,
                    char *err, size_t errsize);
void zd_data_free(zd_data *data);

typedef struct zd_options {
    const char *from, *as_of; /* ISO 8601, NULL for the data's own range */
    const char *unit;         /* NULL for every unit */
} zd_options;

zd_report *zd_run(const zd_policy *policy, zd_data *data, const zd_options *options, char *err, size_t errsize);

typedef struct zd_violation {
    const char *unit, *rule, *clause, *clause_text, *severity, *message;
    bool pending;             /* an obligation not yet due, not a violation */
    const char *trigger;      /* the triggering event's id, or NULL */
    const char *window_from, *window_to; /* RFC 3339, or NULL */
    const char *const *tags;
    size_t ntags;
    const char *const *subjects;
    size_t nsubjects;
    const char *const *evidence;
    size_t nevidence;
} zd_violation;

size_t zd_report_count(const zd_report *report);
/* Fills *out with verdict i (0 <= i < count). Returns 0, or -1 (out of
 * range, or out of memory). */
int zd_report_get(const zd_report *report, size_t i, zd_violation *out);
/* format: "text", "jsonl", "json" or "csv". Returns 0, or -1 (unknown format,
 * or out of memory). */
int zd_report_write(const zd_report *report, FILE *out, const char *format);
void zd_report_free(zd_report *report);

#endif
