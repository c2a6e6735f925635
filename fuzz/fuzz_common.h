/* fuzz_common.h - what the data-side fuzz targets share (fuzz_csv.c,
 * fuzz_sqlite.c): the policy they run (tests/data/mini.zd, compiled once),
 * a private temporary folder removed at exit, and the checks every report
 * must pass whatever the data held. FUZZ_ROOT (the repository, given by the
 * build) locates the policy and the good data set. Header-only: each target
 * is one translation unit. */
#ifndef ZD_FUZZ_COMMON_H
#define ZD_FUZZ_COMMON_H
#define _GNU_SOURCE /* mkdtemp, open_memstream */
#include <csv.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compiler.h"
#include "engine.h"
#include "file.h"
#include "report.h"
#include "report_html.h"
#include "ztime.h"

#ifndef FUZZ_ROOT
#error "build with -DFUZZ_ROOT=\"/path/to/the/repository\""
#endif

static char fuzz_dir[64];

static void fuzz_remove_dir(void)
{
    DIR *d = opendir(fuzz_dir);
    if (!d) return;
    struct dirent *e;
    char path[600];
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(path, sizeof path, "%s/%s", fuzz_dir, e->d_name);
            unlink(path);
        }
    closedir(d);
    rmdir(fuzz_dir);
}

/* The folder every input is written into, made once. */
static const char *fuzz_tmpdir(void)
{
    if (!fuzz_dir[0]) {
        snprintf(fuzz_dir, sizeof fuzz_dir, "/tmp/zhidu-fuzz-XXXXXX");
        if (!mkdtemp(fuzz_dir)) abort();
        atexit(fuzz_remove_dir);
    }
    return fuzz_dir;
}

static char *fuzz_read(const char *path, size_t *len) { return file_read(path, FILE_MAX_BYTES, len); }

static bool fuzz_write(const char *path, const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f) return false;
    bool ok = fwrite(data, 1, size, f) == size;
    return fclose(f) == 0 && ok;
}

/* tests/data/mini.zd, compiled once. */
static const Program *fuzz_policy(void)
{
    static Program *p;
    if (p) return p;
    size_t len;
    char *text = fuzz_read(FUZZ_ROOT "/tests/data/mini.zd", &len);
    if (!text) abort();
    Compilation *c = compile_new();
    compile_check_text(c, FUZZ_ROOT "/tests/data/mini.zd", text, len);
    p = compile_take_program(c);
    compile_free(c);
    free(text);
    if (!p) abort();
    return p;
}

static void fuzz_fail(const char *what, const char *text, size_t len)
{
    fprintf(stderr, "%s\n---- the report ----\n%.*s\n", what, (int)(len > 4000 ? 4000 : len), text);
    __builtin_trap();
}

/* Every byte below 0x20 but the line end, and DEL: what the text report
 * escapes (a forged line, a terminal escape). */
static void check_no_control(const char *what, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\n') || c == 0x7F) fuzz_fail(what, s, len);
    }
}

/* The CSV report: parsed back, no cell may start like a formula. */
static void on_csv_cell(void *data, size_t len, void *ctx)
{
    const char *s = data;
    if (len && strchr("=+-@\t\r", s[0])) fuzz_fail("a CSV report cell starts like a formula", s, len);
    (void)ctx;
}

static void check_csv_report(const char *s, size_t len)
{
    struct csv_parser cp;
    if (csv_init(&cp, CSV_STRICT | CSV_STRICT_FINI) != 0) return;
    if (csv_parse(&cp, s, len, on_csv_cell, NULL, NULL) != len || csv_fini(&cp, on_csv_cell, NULL, NULL) != 0)
        fuzz_fail("the CSV report is not well-formed CSV", s, len);
    csv_free(&cp);
}

/* Writes every report of a run into memory and checks what can be checked
 * without knowing the data: text and JSON hold no raw control character,
 * CSV parses and no cell starts like a formula. */
static void fuzz_reports(const Program *p, const Dataset *ds, const RunResult *r, const InputStats *st)
{
    ReportInfo info = {"policy.zd", "data", st, LANG_EN, 1};
    static const ReportFormat formats[] = {REPORT_TEXT, REPORT_JSONL, REPORT_JSON, REPORT_CSV};
    for (int k = 0; k <= 4; k++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&buf, &len);
        if (!mem) return;
        if (k == 4) report_html_write(mem, p, ds, r, &info);
        else report_write(mem, formats[k], p, ds, r, &info);
        fclose(mem);
        if (k == 0) check_no_control("a control character in the text report", buf, len);
        if (k == 1 || k == 2) check_no_control("a raw control character in a JSON report", buf, len);
        if (k == 3) check_csv_report(buf, len);
        free(buf);
    }
}

/* Reads DIR or a database through the input driver and runs the policy
 * (holding every event, or streaming in steps of two events, which reads
 * the data again when an event comes out of order), then the reports. */
static void fuzz_run(const char *data, bool skip_bad_rows, uint32_t window)
{
    const Program *p = fuzz_policy();
    FILE *null = fopen("/dev/null", "w");
    InputOptions io = {.skip_bad_rows = skip_bad_rows, .report = null, .lang = LANG_EN};
    RunOptions ro = {0};
    ro.window = window;
    ro.record_judged = true;
    /* a checked range of centuries takes seconds per input (every period of
     * every periodic rule is judged; zhidu run warns of it): a fixed range
     * keeps the fuzzer on the readers and writers */
    ro.has_from = zt_parse_instant("2020-01-01", 10, p->meta.tz_offset, &ro.from) == NULL;
    ro.has_as_of = zt_parse_instant("2030-01-01", 10, p->meta.tz_offset, &ro.as_of) == NULL;
    Dataset *ds = NULL;
    RunResult r;
    InputStats st;
    char err[1024];
    int rc = engine_run_input(p, data, &io, &ro, &ds, &r, &st, err, sizeof err);
    if (getenv("FUZZ_VERBOSE")) /* what each seed reaches */
        fprintf(stderr, "%s: %s\n", data, rc == 0 ? "read and run" : err);
    if (rc == 0) {
        fuzz_reports(p, ds, &r, &st);
        run_result_free(&r);
        dataset_free(ds);
    } else if (!err[0]) {
        fuzz_fail("a failed run without a message", "", 0);
    }
    if (null) fclose(null);
}

#endif
