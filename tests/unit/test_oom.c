/* test_oom.c - the embedding API (zhidu.h) when memory runs out: the runtime
 * reports it through its error path and never aborts. This binary alone is
 * linked with --wrap=malloc,calloc,realloc,strdup (Makefile), so every
 * allocation the runtime makes passes through the wrappers below, which fail
 * the N-th one and every one after it. Round N = 0, 1, 2, ... runs the whole
 * API (load a policy, read a CSV directory, push rows, run, read and write
 * the verdicts, free) until a round runs out of nothing; then the same for
 * the command line's path (a streaming run with a window of one event, so
 * that events and strings are dropped between steps, and every report
 * format, HTML too), on one thread and on two (--jobs 2). Each call must
 * either succeed or say "out of memory", and LeakSanitizer (the suite runs
 * under ASan) finds nothing left behind when the binary exits. */
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bytecode.h"
#include "codegen.h"
#include "compiler.h"
#include "engine.h"
#include "input.h"
#include "report.h"
#include "report_html.h"
#include "zhidu.h"

/* ---- the seam: allocations counted, and failed from the N-th on ---------- */

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
char *__real_strdup(const char *s);

/* atomic: with --jobs the runtime allocates on several threads */
static _Atomic long budget = -1; /* allocations left before they fail; -1: never fail */
static _Atomic long refused;     /* allocations failed so far */

static int take(void)
{
    long b = atomic_load(&budget);
    while (b > 0 && !atomic_compare_exchange_weak(&budget, &b, b - 1)) continue;
    if (b == 0) { refused++; return 0; }
    return 1;
}

void *__wrap_malloc(size_t size) { return take() ? __real_malloc(size) : NULL; }
void *__wrap_calloc(size_t n, size_t size) { return take() ? __real_calloc(n, size) : NULL; }
void *__wrap_realloc(void *p, size_t size) { return take() ? __real_realloc(p, size) : NULL; }
char *__wrap_strdup(const char *s) { return take() ? __real_strdup(s) : NULL; }

/* ---- the API under it ------------------------------------------------------- */

static const char policy_text[] =
    "policy oom { title \"t\" document \"d\" effective 2024-01-01 timezone \"+08:00\" units \"unit\" }\n"
    "role 院长\n"
    "roster 名册 \"roster\" { person: person name: text role: role from: time to: time }\n"
    "events \"events\" { id: id time: time type: text actor: person targets: list person ref: id }\n"
    "event meeting { actor, targets }\n"
    "event incident { actor }\n"
    "event report { actor, targets, ref }\n"
    "rule 当日报告 { tags R1 clause \"二\" \"当日报告。\" severity must on x: incident\n"
    "  require exists(r: report where r.ref == x.id and r.targets & 院长 at x.time != {} and r.time <= x.time + 1d)\n"
    "  deadline x.time + 1d subjects x.actor message \"{x.actor}未当日报告{x}\" }\n"
    "rule 周会 { tags R2 clause \"一\" \"每周开会。\" severity in-principle every week as 周\n"
    "  require exists(m: meeting where m.time in 周) message \"{周}无会议\" }\n";

static const char *roster_cols[] = {"person", "name", "role", "from", "to"};
static const char *event_cols[] = {"id", "time", "type", "actor", "targets", "ref", "unit"};

static unsigned char *policy_bytes(size_t *size)
{
    Compilation *c = compile_new();
    compile_check_text(c, "e.zd", policy_text, strlen(policy_text));
    if (c->diag.errors) diag_print_text(&c->diag, stderr, false);
    assert_int_equal(c->diag.errors, 0);
    Program *p = codegen_policy(c->policy, &c->diag);
    assert_non_null(p);
    unsigned char *bytes = bc_write(p, size);
    program_free(p);
    compile_free(c);
    return bytes;
}

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Which calls have been seen to fail for want of memory (the test can fail:
 * each must have been reached by some round). */
enum { AT_LOAD, AT_DATA_NEW, AT_DATA_LOAD, AT_ADD_ROW, AT_RUN, AT_GET, AT_WRITE, AT_STREAM, AT_REPORT, AT_COUNT };
static int seen_failing[AT_COUNT];

static int failed_at(int at, const char *err)
{
    seen_failing[at]++;
    budget = -1; /* cmocka's own messages must not run out */
    if (err && !strstr(err, "out of memory") && !strstr(err, "Cannot allocate memory"))
        fail_msg("call %d failed for another reason: '%s'", at, err);
    return 1;
}

/* One round of the API; returns when a call fails (after freeing what it has). */
static void one_round(const unsigned char *bytes, size_t size, const char *dir, FILE *null)
{
    char err[512] = "";
    zd_policy *policy = zd_policy_load(bytes, size, err, sizeof err);
    if (!policy) { failed_at(AT_LOAD, err); return; }
    zd_data *data = zd_data_new(policy);
    if (!data) { failed_at(AT_DATA_NEW, NULL); goto out_policy; }
    if (zd_data_load(data, dir, false, err, sizeof err) != 0) { failed_at(AT_DATA_LOAD, err); goto out_data; }
    const char *r2[] = {"p03", "李老师", "", "2024-01-01", ""};
    if (zd_data_add_row(data, "roster", roster_cols, r2, 5, err, sizeof err) != 0) { failed_at(AT_ADD_ROW, err); goto out_data; }
    const char *e9[] = {"e9", "2024-09-20T09:00", "incident", "p03", "", "", "u2"};
    if (zd_data_add_row(data, "events", event_cols, e9, 7, err, sizeof err) != 0) { failed_at(AT_ADD_ROW, err); goto out_data; }
    zd_report *rep = zd_run(policy, data, NULL, err, sizeof err);
    if (!rep) { failed_at(AT_RUN, err); goto out_data; }
    for (size_t i = 0; i < zd_report_count(rep); i++) {
        zd_violation v;
        if (zd_report_get(rep, i, &v) != 0) { failed_at(AT_GET, NULL); goto out_report; }
    }
    static const char *const formats[] = {"text", "jsonl", "json", "csv"};
    for (int f = 0; f < 4; f++)
        if (zd_report_write(rep, null, formats[f]) != 0) { failed_at(AT_WRITE, NULL); goto out_report; }
out_report:
    zd_report_free(rep);
out_data:
    zd_data_free(data);
out_policy:
    zd_policy_free(policy);
}

/* The command line's path: streaming with a window of one event on `jobs`
 * threads (run --jobs: a reader thread, the steps' tasks over a pool), then
 * every report format. */
static void streaming_round(const unsigned char *bytes, size_t size, const char *dir, FILE *null, uint32_t jobs)
{
    char err[512] = "";
    Program *p = bc_load(bytes, size, err, sizeof err);
    if (!p) { failed_at(AT_LOAD, err); return; }
    InputOptions io = {.report = null, .lang = LANG_EN};
    RunOptions ro = {0};
    ro.window = 1;
    ro.record_judged = true;
    ro.jobs = jobs;
    Dataset *ds = NULL;
    RunResult result;
    InputStats stats;
    if (engine_run_input(p, dir, &io, &ro, &ds, &result, &stats, err, sizeof err) != 0) {
        failed_at(AT_STREAM, err);
        program_free(p);
        return;
    }
    ReportInfo info = {"e.zbc", dir, &stats, LANG_EN, jobs}; /* the report formatted on `jobs` threads too */
    if (ds->strs.failed) failed_at(AT_STREAM, NULL);
    else if (report_html_write(null, p, ds, &result, &info) != 0) failed_at(AT_REPORT, NULL);
    else
        for (int f = REPORT_TEXT; f <= REPORT_CSV; f++)
            if (report_write(null, (ReportFormat)f, p, ds, &result, &info) != 0) { failed_at(AT_REPORT, NULL); break; }
    run_result_free(&result);
    dataset_free(ds);
    program_free(p);
}

static void one_streaming_round(const unsigned char *bytes, size_t size, const char *dir, FILE *null)
{
    streaming_round(bytes, size, dir, null, 1);
}

static void one_parallel_round(const unsigned char *bytes, size_t size, const char *dir, FILE *null)
{
    streaming_round(bytes, size, dir, null, 2);
}

/* Runs rounds with 0, 1, 2, ... allocations allowed until one needs no more. */
static long rounds_of(void (*round)(const unsigned char *, size_t, const char *, FILE *), const unsigned char *bytes,
                      size_t size, const char *dir, FILE *null)
{
    long rounds = 0;
    for (long n = 0;; n++, rounds++) {
        budget = n;
        refused = 0;
        round(bytes, size, dir, null);
        budget = -1;
        if (refused == 0) return rounds;
    }
}

static void test_every_allocation_may_fail(void **state)
{
    (void)state;
    size_t size;
    unsigned char *bytes = policy_bytes(&size);
    char dir[] = "/tmp/zd_oom_XXXXXX";
    assert_non_null(mkdtemp(dir));
    write_file(dir, "roster.csv", "person,name,role,from,to\np01,王院长,院长,2024-01-01,\np02,张老师,,2024-01-01,\n");
    write_file(dir, "events.csv",
               "id,time,type,actor,targets,ref,unit\n"
               "e1,2024-09-02T09:00,incident,p02,,,u1\n"
               "e2,2024-09-02T10:00,report,p02,p01,e1,u1\n"
               "e3,2024-09-03T09:00,incident,p02,,,u1\n"
               "e4,2024-09-03T12:00,report,p02,p01;p02,e3,u1\n"
               "e5,2024-09-04T10:00,meeting,p01,p02,,u1\n"
               "e6,2024-09-18T10:00,meeting,p01,p02,,u1\n"
               "e7,2024-09-05T10:00,incident,p02,,,u2\n");
    FILE *null = fopen("/dev/null", "w");
    assert_non_null(null);

    /* without a limit, the rounds succeed */
    one_round(bytes, size, dir, null);
    one_streaming_round(bytes, size, dir, null);
    one_parallel_round(bytes, size, dir, null);
    for (int at = 0; at < AT_COUNT; at++) assert_int_equal(seen_failing[at], 0);

    long rounds = rounds_of(one_round, bytes, size, dir, null);
    if (rounds < 50) fail_msg("only %ld rounds: the seam does not see the runtime's allocations", rounds);
    rounds = rounds_of(one_streaming_round, bytes, size, dir, null);
    if (rounds < 50) fail_msg("only %ld streaming rounds", rounds);
    rounds = rounds_of(one_parallel_round, bytes, size, dir, null);
    if (rounds < 50) fail_msg("only %ld streaming rounds on two threads", rounds);
    for (int at = 0; at < AT_COUNT; at++)
        if (!seen_failing[at]) fail_msg("no round ran out of memory in call %d", at);

    fclose(null);
    free(bytes);
    char path[512];
    snprintf(path, sizeof path, "%s/roster.csv", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/events.csv", dir);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_allocation_may_fail),
    };
    return cmocka_run_group_tests_name("out of memory", tests, NULL, NULL);
}
