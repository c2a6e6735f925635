/* report.h - writing a run's verdicts: text (grouped by rule, for people),
 * jsonl (one violation per line, the format docs/data.md fixes), json
 * (violations, pending obligations and a summary), csv, or a SQLite database
 * (tables violations and run). */
#ifndef ZD_REPORT_H
#define ZD_REPORT_H
#include <stdio.h>
#include "dataset.h"
#include "engine.h"
#include "input.h"
#include "msg.h"

typedef enum ReportFormat { REPORT_TEXT, REPORT_JSONL, REPORT_JSON, REPORT_CSV } ReportFormat;

typedef struct ReportInfo {
    const char *policy_path, *data_path;
    const InputStats *stats;
    Lang lang;           /* headings and the text summary; machine fields stay English */
    uint32_t jobs;       /* threads that format the verdicts (0 or 1: the caller's alone); the bytes are the same */
} ReportInfo;

/* Returns 0, or -1 when out of memory (the output is then cut short). */
int report_write(FILE *out, ReportFormat fmt, const Program *p, const Dataset *ds, const RunResult *r, const ReportInfo *info);
/* Writes the violations and a summary row into a new SQLite database at path
 * (which must not exist). Returns 0 or -1 with a message. */
int report_write_db(const char *path, const Program *p, const Dataset *ds, const RunResult *r, const ReportInfo *info,
                    char *err, size_t errsize);

#endif
