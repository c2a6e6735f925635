/* zhidu.c - the embedding API (zhidu.h) over the runtime's modules. */
#include "zhidu.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "bytecode.h"
#include "dataset.h"
#include "engine.h"
#include "file.h"
#include "input.h"
#include "msg.h"
#include "report.h"
#include "vrow.h"
#include "ztime.h"

/* zhidu.h has no language option: its messages are the catalogue's English. */
#define API_LANG LANG_EN

struct zd_policy {
    Program *program;
};

struct zd_data {
    const zd_policy *policy;
    Dataset *ds;
    InputStats stats;
    uint32_t next_loc; /* row numbers for pushed rows */
};

struct zd_report {
    const zd_data *data;
    RunResult result;
    Arena arena;
};

static void set_err(char *err, size_t size, const char *fmt, ...)
{
    if (!err || !size) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, size, fmt, ap);
    va_end(ap);
}

/* Strings interned while the table could not grow were given id 0: the data
 * is then unusable, and said so once. */
static int out_of_memory(const zd_data *data, char *err, size_t errsize)
{
    if (!data->ds->strs.failed) return 0;
    set_err(err, errsize, "%s", msg_text(API_LANG, MSG_API_OOM_DATA));
    return -1;
}

zd_policy *zd_policy_load(const void *bytes, size_t size, char *err, size_t errsize)
{
    char msg[512];
    Program *p = bc_load(bytes, size, msg, sizeof msg);
    if (!p) {
        set_err(err, errsize, msg_text(API_LANG, MSG_API_BYTECODE), msg);
        return NULL;
    }
    zd_policy *policy = calloc(1, sizeof *policy);
    if (!policy) { program_free(p); set_err(err, errsize, "%s", msg_text(API_LANG, MSG_API_OOM_POLICY)); return NULL; }
    policy->program = p;
    return policy;
}

zd_policy *zd_policy_load_file(const char *path, char *err, size_t errsize)
{
    size_t len;
    char *buf = file_read(path, BC_MAX_FILE_SIZE, &len);
    if (!buf) { set_err(err, errsize, msg_text(API_LANG, MSG_TABLE_UNREADABLE), path, file_error(errno)); return NULL; }
    char msg[512];
    zd_policy *policy = zd_policy_load(buf, len, msg, sizeof msg);
    if (!policy) set_err(err, errsize, msg_text(API_LANG, MSG_API_ERROR), path, msg);
    free(buf);
    return policy;
}

void zd_policy_free(zd_policy *policy)
{
    if (!policy) return;
    program_free(policy->program);
    free(policy);
}

zd_data *zd_data_new(const zd_policy *policy)
{
    zd_data *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->policy = policy;
    d->ds = dataset_new(policy->program);
    if (!d->ds) { free(d); return NULL; }
    return d;
}

int zd_data_load(zd_data *data, const char *path, bool skip_bad_rows, char *err, size_t errsize)
{
    InputOptions opt = {.skip_bad_rows = skip_bad_rows, .report = stderr, .lang = API_LANG};
    InputStats st;
    char msg[1024];
    if (input_load(data->ds, path, &opt, &st, msg, sizeof msg) != 0) {
        set_err(err, errsize, "%s", msg);
        return -1;
    }
    if (out_of_memory(data, err, errsize)) return -1;
    data->stats.rows += st.rows;
    data->stats.events += st.events;
    data->stats.skipped += st.skipped;
    return 0;
}

int zd_data_add_row(zd_data *data, const char *table, const char *const *columns, const char *const *values, size_t n,
                    char *err, size_t errsize)
{
    char msg[1024];
    if (input_add_row(data->ds, table, columns, values, n, &data->next_loc, &data->stats, msg, sizeof msg) == 0) return 0;
    set_err(err, errsize, "%s", msg);
    return -1;
}

void zd_data_free(zd_data *data)
{
    if (!data) return;
    dataset_free(data->ds);
    free(data);
}

static bool parse_when(const char *text, int tz, int64_t *out)
{
    return zt_parse_instant(text, strlen(text), tz, out) == NULL;
}

zd_report *zd_run(const zd_policy *policy, zd_data *data, const zd_options *options, char *err, size_t errsize)
{
    const Program *p = policy->program;
    RunOptions ro = {0};
    if (options && options->from && !(ro.has_from = parse_when(options->from, p->meta.tz_offset, &ro.from))) {
        set_err(err, errsize, msg_text(API_LANG, MSG_API_FROM), options->from);
        return NULL;
    }
    if (options && options->as_of && !(ro.has_as_of = parse_when(options->as_of, p->meta.tz_offset, &ro.as_of))) {
        set_err(err, errsize, msg_text(API_LANG, MSG_API_AS_OF), options->as_of);
        return NULL;
    }
    ro.unit = options ? options->unit : NULL;
    zd_report *r = calloc(1, sizeof *r);
    if (!r) { set_err(err, errsize, "%s", msg_text(API_LANG, MSG_API_OOM_RUN)); return NULL; }
    r->data = data;
    arena_init(&r->arena);
    char msg[512];
    if (engine_run(p, data->ds, &ro, &r->result, msg, sizeof msg) != 0 || out_of_memory(data, msg, sizeof msg)) {
        set_err(err, errsize, "%s", msg);
        zd_report_free(r);
        return NULL;
    }
    return r;
}

size_t zd_report_count(const zd_report *report) { return report->result.n; }

/* A list of the row as an array made on demand in the report's arena. */
static const char *const *list_of(zd_report *r, const VRow *row, const char *(*item)(const VRow *, uint32_t), uint32_t n)
{
    const char **out = arena_alloc(&r->arena, sizeof(char *) * (n + 1u));
    for (uint32_t i = 0; out && i < n; i++) out[i] = item(row, i);
    return out;
}

int zd_report_get(const zd_report *report, size_t i, zd_violation *out)
{
    if (i >= report->result.n) return -1;
    zd_report *r = (zd_report *)report; /* the string arrays are made on demand */
    VRow row;
    vrow_make(&row, r->data->ds->prog, r->data->ds, &r->result.v[i]);
    memset(out, 0, sizeof *out);
    out->unit = row.unit;
    out->rule = row.rule;
    out->clause = row.clause;
    out->clause_text = row.clause_text;
    out->severity = row.severity;
    out->message = arena_strdup(&r->arena, row.message); /* row.message may be in row */
    out->pending = row.pending;
    out->trigger = row.trigger;
    if (row.periodic) {
        out->window_from = arena_strdup(&r->arena, row.window_from);
        out->window_to = arena_strdup(&r->arena, row.window_to);
    }
    out->tags = list_of(r, &row, vrow_tag, row.ntags);
    out->ntags = row.ntags;
    out->subjects = list_of(r, &row, vrow_subject, row.nsubjects);
    out->nsubjects = row.nsubjects;
    out->evidence = list_of(r, &row, vrow_evidence, row.nevidence);
    out->nevidence = row.nevidence;
    if (r->arena.failed) {
        memset(out, 0, sizeof *out);
        return -1;
    }
    return 0;
}

int zd_report_write(const zd_report *report, FILE *out, const char *format)
{
    ReportFormat fmt;
    if (!strcmp(format, "text")) fmt = REPORT_TEXT;
    else if (!strcmp(format, "jsonl")) fmt = REPORT_JSONL;
    else if (!strcmp(format, "json")) fmt = REPORT_JSON;
    else if (!strcmp(format, "csv")) fmt = REPORT_CSV;
    else return -1;
    ReportInfo info = {NULL, NULL, &report->data->stats, LANG_EN, 1};
    return report_write(out, fmt, report->data->ds->prog, report->data->ds, &report->result, &info);
}

void zd_report_free(zd_report *report)
{
    if (!report) return;
    run_result_free(&report->result);
    arena_free(&report->arena);
    free(report);
}
