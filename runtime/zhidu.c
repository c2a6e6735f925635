/* zhidu.c - the embedding API (zhidu.h) over the runtime's modules. */
#include "zhidu.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "bytecode.h"
#include "dataset.h"
#include "engine.h"
#include "input.h"
#include "report.h"
#include "ztime.h"

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
    const char ***subjects, ***evidence, ***tags;
};

static void set_err(char *err, size_t size, const char *fmt, ...)
{
    if (!err || !size) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, size, fmt, ap);
    va_end(ap);
}

zd_policy *zd_policy_load(const void *bytes, size_t size, char *err, size_t errsize)
{
    char msg[512];
    Program *p = bc_load(bytes, size, msg, sizeof msg);
    if (!p) {
        set_err(err, errsize, "bytecode: %s", msg);
        return NULL;
    }
    zd_policy *policy = calloc(1, sizeof *policy);
    if (!policy) { program_free(p); set_err(err, errsize, "out of memory"); return NULL; }
    policy->program = p;
    return policy;
}

zd_policy *zd_policy_load_file(const char *path, char *err, size_t errsize)
{
    size_t len;
    unsigned char *buf = bc_read_file(path, &len);
    if (!buf) { set_err(err, errsize, "%s: cannot read", path); return NULL; }
    char msg[512];
    zd_policy *policy = zd_policy_load(buf, len, msg, sizeof msg);
    if (!policy) set_err(err, errsize, "%s: error: %s", path, msg);
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
    InputOptions opt = {skip_bad_rows, stderr, 0};
    InputStats st;
    char msg[1024];
    if (input_load(data->ds, path, &opt, &st, msg, sizeof msg) != 0) {
        set_err(err, errsize, "%s", msg);
        return -1;
    }
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
    ZtParsed tp;
    if (zt_parse(text, strlen(text), &tp)) return false;
    *out = zt_to_instant(&tp, tz);
    return true;
}

zd_report *zd_run(const zd_policy *policy, zd_data *data, const zd_options *options, char *err, size_t errsize)
{
    const Program *p = policy->program;
    RunOptions ro = {0};
    if (options && options->from && !(ro.has_from = parse_when(options->from, p->meta.tz_offset, &ro.from))) {
        set_err(err, errsize, "from: '%s' is not a date or time", options->from);
        return NULL;
    }
    if (options && options->as_of && !(ro.has_as_of = parse_when(options->as_of, p->meta.tz_offset, &ro.as_of))) {
        set_err(err, errsize, "as_of: '%s' is not a date or time", options->as_of);
        return NULL;
    }
    ro.unit = options ? options->unit : NULL;
    zd_report *r = calloc(1, sizeof *r);
    if (!r) { set_err(err, errsize, "out of memory"); return NULL; }
    r->data = data;
    arena_init(&r->arena);
    char msg[512];
    if (engine_run(p, data->ds, &ro, &r->result, msg, sizeof msg) != 0) {
        set_err(err, errsize, "%s", msg);
        zd_report_free(r);
        return NULL;
    }
    return r;
}

size_t zd_report_count(const zd_report *report) { return report->result.n; }

static const char **strings_of(zd_report *r, const Dataset *ds, const StrId *ids, uint32_t n)
{
    const char **out = arena_alloc(&r->arena, sizeof(char *) * (n + 1u));
    for (uint32_t i = 0; i < n; i++) out[i] = strtab_str(&ds->strs, ids[i]);
    return out;
}

int zd_report_get(const zd_report *report, size_t i, zd_violation *out)
{
    if (i >= report->result.n) return -1;
    zd_report *r = (zd_report *)report; /* the string arrays are made on demand */
    const Dataset *ds = r->data->ds;
    const Program *p = ds->prog;
    const Violation *v = &r->result.v[i];
    const ZRule *rule = &p->rules[v->rule];
    memset(out, 0, sizeof *out);
    out->unit = strtab_str(&ds->strs, v->unit);
    out->rule = program_string(p, rule->name);
    out->clause = rule->nclauses ? program_string(p, rule->clauses[0].id) : "";
    out->clause_text = rule->nclauses ? program_string(p, rule->clauses[0].text) : "";
    out->severity = program_severity_name(rule->severity);
    out->message = v->message;
    out->pending = v->pending;
    if (v->periodic) {
        char *a = arena_alloc(&r->arena, 40), *b = arena_alloc(&r->arena, 40);
        zt_format(v->from, p->meta.tz_offset, a, 40);
        zt_format(v->to, p->meta.tz_offset, b, 40);
        out->window_from = a;
        out->window_to = b;
    } else {
        out->trigger = strtab_str(&ds->strs, v->trigger_id);
    }
    const char **tags = arena_alloc(&r->arena, sizeof(char *) * (rule->ntags + 1u));
    for (uint32_t k = 0; k < rule->ntags; k++) tags[k] = program_string(p, rule->tags[k]);
    out->tags = tags;
    out->ntags = rule->ntags;
    out->subjects = strings_of(r, ds, v->subjects, v->nsubjects);
    out->nsubjects = v->nsubjects;
    out->evidence = strings_of(r, ds, v->evidence, v->nevidence);
    out->nevidence = v->nevidence;
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
    ReportInfo info = {NULL, NULL, &report->data->stats};
    report_write(out, fmt, report->data->ds->prog, report->data->ds, &report->result, &info);
    return 0;
}

void zd_report_free(zd_report *report)
{
    if (!report) return;
    run_result_free(&report->result);
    arena_free(&report->arena);
    free(report);
}
