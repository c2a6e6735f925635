/* run.c - `zhidu run`: judge a data set against a policy and write the report
 * (and optionally a SQLite copy of it). */
#define _GNU_SOURCE /* sched_getaffinity: the cores this process may use (a Slurm task's, taskset's) */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "msg.h"
#include "engine.h"
#include "input.h"
#include "outfile.h"
#include "report.h"
#include "report_html.h"
#include "shard.h"
#include "ztime.h"

static bool parse_time_option(const char *text, int tz, int64_t *out)
{
    return zt_parse_instant(text, strlen(text), tz, out) == NULL;
}

/* The report (to standard output or --output) and the --db database, each
 * through a temporary file renamed over its target (outfile.h). */
static int write_outputs(const char *output, const char *dbpath, ReportFormat fmt, bool html, const Program *p, const Dataset *ds,
                         const RunResult *result, const ReportInfo *info, const RunOptions *ro)
{
    Lang lang = info->lang;
    char err[1024];
    OutFile o;
    const char *name = output ? output : msg_text(lang, MSG_STDOUT_NAME);
    if (output ? outfile_open(&o, output, true, true, lang, err, sizeof err) : outfile_stdout(&o)) {
        fprintf(stderr, msg_text(lang, MSG_CANNOT_WRITE), name, err);
        return EXIT_USAGE;
    }
    errno = 0;
    if ((html ? report_html_write(o.f, p, ds, result, info) : report_write(o.f, fmt, p, ds, result, info)) != 0) {
        outfile_discard(&o);
        fputs(msg_text(lang, MSG_OOM_WRITING_REPORT), stderr);
        return EXIT_USAGE;
    }
    if (ro->nshards && fmt == REPORT_JSONL && !html) shard_write_record(o.f, p, ro->shard, ro->nshards);
    if (outfile_commit(&o, err, sizeof err) != 0) {
        fprintf(stderr, msg_text(lang, MSG_CANNOT_WRITE), name, err);
        return EXIT_USAGE;
    }
    if (!dbpath) return EXIT_OK;
    if (outfile_open(&o, dbpath, false, false, lang, err, sizeof err) != 0) {
        fprintf(stderr, msg_text(lang, MSG_CANNOT_WRITE), dbpath, err);
        return EXIT_USAGE;
    }
    if (report_write_db(o.tmp, p, ds, result, info, err, sizeof err) != 0) {
        outfile_discard(&o);
        fprintf(stderr, msg_text(lang, MSG_CANNOT_WRITE), dbpath, err);
        return EXIT_USAGE;
    }
    if (outfile_commit(&o, err, sizeof err) != 0) {
        fprintf(stderr, msg_text(lang, MSG_CANNOT_WRITE), dbpath, err);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

static ReportFormat report_format(const char *name)
{
    if (!strcmp(name, "jsonl")) return REPORT_JSONL;
    if (!strcmp(name, "json")) return REPORT_JSON;
    if (!strcmp(name, "csv")) return REPORT_CSV;
    return REPORT_TEXT;
}

/* --jobs: 1 to 256 threads; by default one per core this process may run
 * on. Returns false on a bad value. */
static bool parse_jobs(const char *text, uint32_t *jobs)
{
    if (!text) {
        cpu_set_t set;
        long n = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : sysconf(_SC_NPROCESSORS_ONLN);
        *jobs = n < 1 ? 1 : n > 256 ? 256 : (uint32_t)n;
        return true;
    }
    char *end;
    errno = 0;
    unsigned long n = strtoul(text, &end, 10);
    if (!*text || *end || errno || n < 1 || n > 256 || text[0] == '-' || text[0] == '+' || text[0] == ' ') return false;
    *jobs = (uint32_t)n;
    return true;
}

/* A checked range of centuries is a data error far more often than a log:
 * every periodic rule judges every period of it (a log from year 1 to 9999
 * gives 521,720 weeks per weekly rule; docs/security.md, item 18). */
static void warn_long_range(const Program *p, const RunResult *result, Lang lang)
{
    const int64_t long_range = 100 * 366 * 86400LL; /* a hundred years */
    for (uint32_t u = 0; u < result->nunits; u++) {
        const UnitSummary *s = &result->units[u];
        if (s->r1 - s->r0 <= long_range) continue;
        char a[40], b[40];
        zt_format(s->r0, p->meta.tz_offset, a, sizeof a);
        zt_format(s->r1, p->meta.tz_offset, b, sizeof b);
        fprintf(stderr, msg_text(lang, MSG_LONG_RANGE), (long long)((s->r1 - s->r0) / 31556952) /* 365.2425 days */, a, b);
        return;
    }
}

static int run_run(const Command *cmd, const CliArgs *args)
{
    Lang lang = args->lang;
#define OPT(name, dflt) (cli_value(cmd, args, name) ? cli_value(cmd, args, name) : (dflt))
    const char *format = OPT("--format", "text"), *output = OPT("--output", NULL), *dbpath = OPT("--db", NULL);
    const char *from = OPT("--from", NULL), *as_of = OPT("--as-of", NULL), *unit = OPT("--unit", NULL);
    const char *fail_on = OPT("--fail-on", "in-principle"), *bad_rows = OPT("--on-bad-row", "stop");
    const char *window_text = OPT("--window", NULL), *shard = OPT("--shard", NULL),
                *limit = OPT("--time-limit", NULL), *jobs = OPT("--jobs", NULL);
#undef OPT
    if (args->npos > 2) return cli_usage_error(cmd, lang, NULL, msg_text(lang, MSG_UNEXPECTED_ARG), args->pos[2]);
    if (args->npos < 2) return cli_usage_error(cmd, lang, NULL, "%s", msg_text(lang, MSG_RUN_NEEDS));
    const char *policy = args->pos[0], *data = args->pos[1];
    ReportFormat fmt = report_format(format);
    bool html = !strcmp(format, "html"); /* report_html.c, not one of report.c's formats */
    int fail_level = !strcmp(fail_on, "never") ? 0 : !strcmp(fail_on, "must") ? 1 : 2; /* 2: in-principle */
    bool skip = !strcmp(bad_rows, "skip");
    uint32_t window = ENGINE_DEFAULT_WINDOW;
    if (window_text) {
        char *end;
        errno = 0;
        unsigned long long w = strtoull(window_text, &end, 10);
        if (!*window_text || *end || errno || w > 100000000ull || window_text[0] == '-')
            return cli_usage_error(cmd, lang, NULL, msg_text(lang, MSG_WINDOW_VALUE), window_text);
        window = (uint32_t)w;
    }

    if (limit) { /* a timer for the whole run: a SQLite view may never end, pair rules take long */
        char *end;
        errno = 0;
        unsigned long s = strtoul(limit, &end, 10);
        if (!*limit || *end || errno || s < 1 || s > 604800 || limit[0] == '-')
            return cli_usage_error(cmd, lang, NULL, msg_text(lang, MSG_TIME_LIMIT_VALUE), limit);
        char message[256];
        snprintf(message, sizeof message, msg_text(lang, MSG_TIME_LIMIT_REACHED), limit);
        outfile_time_limit((unsigned)s, message, EXIT_USAGE);
    }

    RunOptions ro = {0};
    if (shard && !shard_parse(shard, &ro.shard, &ro.nshards)) return cli_usage_error(cmd, lang, NULL, msg_text(lang, MSG_SHARD_VALUE), shard);
    if (!parse_jobs(jobs, &ro.jobs)) return cli_usage_error(cmd, lang, NULL, msg_text(lang, MSG_JOBS_VALUE), jobs);
    InputOptions io = {.skip_bad_rows = skip, .report = stderr, .lang = lang};
    if (cli_input_options(cmd, args, &io)) return EXIT_USAGE;
    int rc = EXIT_OK;
    Program *p = cli_load_policy(policy, &rc, lang);
    if (!p) return rc == EXIT_FINDINGS ? EXIT_USAGE : rc;
    if (from && !(ro.has_from = parse_time_option(from, p->meta.tz_offset, &ro.from))) {
        program_free(p);
        return cli_usage_error(cmd, lang, NULL, msg_text(lang, MSG_FROM_VALUE), from);
    }
    if (as_of && !(ro.has_as_of = parse_time_option(as_of, p->meta.tz_offset, &ro.as_of))) {
        program_free(p);
        return cli_usage_error(cmd, lang, NULL, msg_text(lang, MSG_AS_OF_VALUE), as_of);
    }
    ro.unit = unit;
    if (ro.has_from && ro.has_as_of && ro.from > ro.as_of) {
        program_free(p);
        return cli_usage_error(cmd, lang, NULL, msg_text(lang, MSG_FROM_AFTER_AS_OF), from);
    }
    ro.window = window;
    ro.record_judged = html;
    Dataset *ds = NULL;
    InputStats stats;
    RunResult result;
    char err[1024];
    if (engine_run_input(p, data, &io, &ro, &ds, &result, &stats, err, sizeof err) != 0) {
        fprintf(stderr, "zhidu: %s\n", err);
        program_free(p);
        return EXIT_USAGE;
    }
    if (ds->strs.failed) snprintf(err, sizeof err, msg_text(lang, MSG_OOM_READING), data);
    else if (unit && result.nunits == 0) snprintf(err, sizeof err, msg_text(lang, MSG_NO_UNIT), unit, data);
    if (ds->strs.failed || (unit && result.nunits == 0)) {
        fprintf(stderr, "zhidu: %s\n", err);
        run_result_free(&result);
        dataset_free(ds);
        program_free(p);
        return EXIT_USAGE;
    }
    warn_long_range(p, &result, lang);
    ReportInfo info = {policy, data, &stats, lang, ro.jobs};
    rc = write_outputs(output, dbpath, fmt, html, p, ds, &result, &info, &ro);
    if (skip && stats.skipped) fprintf(stderr, msg_text(lang, MSG_BAD_ROWS_SKIPPED), (unsigned long long)stats.skipped, stats.skipped == 1 ? "" : "s");
    if (rc == EXIT_OK)
        for (uint32_t i = 0; i < result.n; i++)
            if (!result.v[i].pending && p->rules[result.v[i].rule].severity <= fail_level) rc = EXIT_FINDINGS;
    run_result_free(&result);
    dataset_free(ds);
    program_free(p);
    return rc;
}

static const CliOption run_options[] = {
    {"--format", "FORMAT", "text|jsonl|json|csv|html", MSG_O_RUN_FORMAT},
    {"--output", "FILE", NULL, MSG_O_RUN_OUTPUT},
    {"--db", "FILE", NULL, MSG_O_RUN_DB},
    {"--from", "TIME", NULL, MSG_O_RUN_FROM},
    {"--as-of", "TIME", NULL, MSG_O_RUN_AS_OF},
    {"--unit", "U", NULL, MSG_O_RUN_UNIT},
    {"--shard", "I/N", NULL, MSG_O_RUN_SHARD},
    {"--fail-on", "LEVEL", "must|in-principle|never", MSG_O_RUN_FAIL_ON},
    {"--on-bad-row", "ACTION", "stop|skip", MSG_O_RUN_ON_BAD_ROW},
    {"--window", "N", NULL, MSG_O_RUN_WINDOW},
    {"--jobs", "N", NULL, MSG_O_RUN_JOBS},
    {"--time-limit", "SECONDS", NULL, MSG_O_RUN_TIME_LIMIT},
    CLI_DATA_OPTIONS,
    {0},
};

const Command run_command = {
    "run",
    MSG_CMD_RUN,
    "run POLICY DATA [options]",
    MSG_H_RUN,
    run_options,
    run_run,
};
