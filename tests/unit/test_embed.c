/* test_embed.c - the embedding API (zhidu.h): load a compiled policy, push
 * rows, run, read verdicts; and its error paths. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "bytecode.h"
#include "codegen.h"
#include "compiler.h"
#include "zhidu.h"

static const char policy_text[] =
    "policy e { title \"t\" document \"d\" effective 2024-01-01 timezone \"+08:00\" units \"unit\" }\n"
    "role 院长\n"
    "events \"events\" { id: id time: time type: text actor: person targets: list person ref: id }\n"
    "event incident { actor }\n"
    "event report { actor, targets, ref }\n"
    "roster 名册 \"roster\" { person: person name: text role: role from: time to: time }\n"
    "rule 及时报告 { tags R1 clause \"三(五)\" \"须及时汇报。\" severity must\n"
    "  on e: incident\n"
    "  require exists(r: report where r.ref == e.id and r.targets & 院长 at e.time != {}\n"
    "                 and r.time <= e.time + 2h)\n"
    "  deadline e.time + 2h\n"
    "  subjects e.actor\n"
    "  message \"{e.actor}未及时向院长汇报{e}\" }\n";

static zd_policy *load_policy(void)
{
    Compilation *c = compile_new();
    compile_check_text(c, "e.zd", policy_text, strlen(policy_text));
    assert_int_equal(c->diag.errors, 0);
    Program *p = codegen_policy(c->policy, &c->diag);
    assert_non_null(p);
    size_t size;
    unsigned char *bytes = bc_write(p, &size);
    program_free(p);
    compile_free(c);
    char err[256];
    zd_policy *policy = zd_policy_load(bytes, size, err, sizeof err);
    free(bytes);
    assert_non_null(policy);
    return policy;
}

static const char *roster_cols[] = {"person", "name", "role", "from", "to"};
static const char *event_cols[] = {"id", "time", "type", "actor", "targets", "ref", "unit"};

static void test_push_run_read(void **state)
{
    (void)state;
    zd_policy *policy = load_policy();
    zd_data *data = zd_data_new(policy);
    char err[256];
    const char *r1[] = {"p01", "王院长", "院长", "2024-01-01", ""};
    assert_int_equal(zd_data_add_row(data, "roster", roster_cols, r1, 5, err, sizeof err), 0);
    const char *e1[] = {"e1", "2024-09-02T09:00", "incident", "p02", "", "", "u1"};
    const char *e2[] = {"e2", "2024-09-02T10:00", "report", "p02", "p01", "e1", "u1"};  /* in time */
    const char *e3[] = {"e3", "2024-09-03T09:00", "incident", "p03", "", "", "u1"};
    const char *e4[] = {"e4", "2024-09-03T12:00", "report", "p03", "p01", "e3", "u1"}; /* 3 h: late */
    const char *e5[] = {"e5", "2024-09-03T11:30", "incident", "p04", "", "", "u1"};   /* due 13:30 > last event: pending */
    const char *const *rows[] = {e1, e2, e3, e4, e5};
    for (int i = 0; i < 5; i++) assert_int_equal(zd_data_add_row(data, "events", event_cols, rows[i], 7, err, sizeof err), 0);
    zd_report *rep = zd_run(policy, data, NULL, err, sizeof err);
    assert_non_null(rep);
    assert_int_equal(zd_report_count(rep), 2);
    zd_violation v;
    assert_int_equal(zd_report_get(rep, 0, &v), 0);
    assert_false(v.pending);
    assert_string_equal(v.unit, "u1");
    assert_string_equal(v.rule, "及时报告");
    assert_string_equal(v.clause, "三(五)");
    assert_string_equal(v.severity, "must");
    assert_string_equal(v.trigger, "e3");
    assert_null(v.window_from);
    assert_int_equal(v.nsubjects, 1);
    assert_string_equal(v.subjects[0], "p03");
    assert_string_equal(v.message, "p03未及时向院长汇报e3");
    assert_int_equal(v.ntags, 1);
    assert_string_equal(v.tags[0], "R1");
    assert_int_equal(zd_report_get(rep, 1, &v), 0);
    assert_true(v.pending);
    assert_string_equal(v.trigger, "e5");
    assert_int_equal(zd_report_get(rep, 2, &v), -1);
    FILE *null = fopen("/dev/null", "w");
    assert_int_equal(zd_report_write(rep, null, "nope"), -1);
    assert_int_equal(zd_report_write(rep, null, "jsonl"), 0);
    fclose(null);
    zd_report_free(rep);
    /* as of a later time the pending obligation is a violation */
    zd_options opt = {NULL, "2024-09-04", NULL};
    rep = zd_run(policy, data, &opt, err, sizeof err);
    assert_non_null(rep);
    assert_int_equal(zd_report_count(rep), 2);
    assert_int_equal(zd_report_get(rep, 1, &v), 0);
    assert_false(v.pending);
    assert_string_equal(v.trigger, "e5");
    zd_report_free(rep);
    zd_data_free(data);
    zd_policy_free(policy);
}

static void test_bad_rows_and_inputs(void **state)
{
    (void)state;
    zd_policy *policy = load_policy();
    zd_data *data = zd_data_new(policy);
    char err[256];
    const char *bad_time[] = {"e1", "2024-13-01", "incident", "p02", "", "", ""};
    assert_int_equal(zd_data_add_row(data, "events", event_cols, bad_time, 7, err, sizeof err), -1);
    assert_non_null(strstr(err, "column time: malformed timestamp '2024-13-01'"));
    const char *bad_type[] = {"e1", "2024-09-01", "meeting", "p02", "", "", ""};
    assert_int_equal(zd_data_add_row(data, "events", event_cols, bad_type, 7, err, sizeof err), -1);
    assert_non_null(strstr(err, "unknown event type 'meeting'"));
    const char *ok[] = {"e1", "2024-09-01", "incident", "p02", "", "", ""};
    assert_int_equal(zd_data_add_row(data, "events", event_cols, ok, 7, err, sizeof err), 0);
    assert_int_equal(zd_data_add_row(data, "events", event_cols, ok, 7, err, sizeof err), -1);
    assert_non_null(strstr(err, "duplicate event id 'e1'"));
    assert_int_equal(zd_data_add_row(data, "nosuch", event_cols, ok, 7, err, sizeof err), -1);
    assert_non_null(strstr(err, "no table 'nosuch'"));
    assert_int_equal(zd_data_add_row(data, "events", event_cols, ok, 2, err, sizeof err), -1);
    assert_non_null(strstr(err, "missing column type"));
    assert_null(zd_policy_load("junk", 4, err, sizeof err));
    assert_non_null(strstr(err, "bytecode: header:"));
    assert_null(zd_policy_load_file("/nonexistent/x.zbc", err, sizeof err));
    assert_string_equal(err, "/nonexistent/x.zbc: cannot read: No such file or directory");
    assert_null(zd_policy_load_file("/", err, sizeof err));
    assert_string_equal(err, "/: cannot read: Is a directory");
    assert_int_equal(zd_data_load(data, "/nonexistent/dir", false, err, sizeof err), -1);
    zd_options bad = {"yesterday", NULL, NULL};
    assert_null(zd_run(policy, data, &bad, err, sizeof err));
    assert_non_null(strstr(err, "'yesterday'"));
    zd_data_free(data);
    zd_policy_free(policy);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_push_run_read),
        cmocka_unit_test(test_bad_rows_and_inputs),
    };
    return cmocka_run_group_tests_name("embed", tests, NULL, NULL);
}
