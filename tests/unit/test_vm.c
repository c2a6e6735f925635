/* test_vm.c - the VM's scratch memory (runtime/vm.c): what one iteration of a
 * loop allocates is forgotten when the loop's head runs again (issue 11, item
 * 13: a meeting of 100,000 attendees against a 2,000-row roster held 2.5 GB,
 * every attendee's role lists kept until the rule run ended). Measured by the
 * scratch arena's high-water mark (Arena.peak), which depends only on what
 * is allocated: the same on every machine, no clock. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codegen.h"
#include "compiler.h"
#include "dataset.h"
#include "unit.h"
#include "vm.h"

/* Rule O3 of rules/gxnu.zd in small: every attendee of a meeting must hold a role at its time. */
static const char policy[] =
    "policy t { title \"t\" document \"d\" effective 2024-01-01 timezone \"+08:00\" }\n"
    "role 班子成员, 办公室主任\n"
    "events \"events\" { id: id time: time type: text actor: person targets: list person }\n"
    "event meeting { actor, targets }\n"
    "roster 名册 \"roster\" { person: person role: role from: time to: time }\n"
    "rule attend {\n"
    "  tags A\n"
    "  clause \"1\" \"attendees hold a role\"\n"
    "  severity must\n"
    "  on m: meeting\n"
    "  for x in {m.actor} | m.targets\n"
    "  require x in 班子成员 at m.time | 办公室主任 at m.time\n"
    "  subjects x\n"
    "  message \"{x} at {m}\"\n"
    "}\n";

static uint32_t verdicts;

static void count_verdict(void *ctx, bool pending, const List *subjects, const List *evidence, const char *message)
{
    (void)ctx, (void)pending, (void)subjects, (void)evidence, (void)message;
    verdicts++;
}

static const char *no_name(void *ctx, StrId person) { return (void)ctx, (void)person, NULL; }

static void add(Dataset *ds, int table, RawCell *cells)
{
    RawCell none = {"", 0, false, 0, NULL, 0};
    char msg[256];
    const char *bad = table < 0 ? dataset_add_event(ds, cells, none, 1, msg, sizeof msg)
                                : dataset_add_record(ds, (uint32_t)table, cells, none, false, msg, sizeof msg);
    if (bad) fail_msg("%s", bad);
}

static RawCell cell(const char *s) { return (RawCell){s, strlen(s), *s != '\0', 0, NULL, 0}; }

/* Runs the rule's body on one meeting of `attendees` people (the first
 * `roster` of them 班子成员) and returns the scratch arena's peak in bytes. */
static size_t peak_of_meeting(uint32_t attendees, uint32_t roster)
{
    Compilation *c = compile_new();
    compile_check_text(c, "t.zd", policy, strlen(policy));
    if (c->diag.errors) diag_print_text(&c->diag, stderr, false);
    assert_int_equal(c->diag.errors, 0);
    Program *p = codegen_policy(c->policy, &c->diag);
    compile_free(c);
    assert_non_null(p);
    Dataset *ds = dataset_new(p);
    assert_non_null(ds);
    char name[32];
    for (uint32_t i = 0; i < roster; i++) {
        snprintf(name, sizeof name, "p%u", i);
        RawCell row[4] = {cell(name), cell("班子成员"), cell("2020-01-01"), cell("")};
        add(ds, 0, row);
    }
    size_t cap = (size_t)attendees * 12 + 1, len = 0;
    char *targets = malloc(cap);
    assert_non_null(targets);
    for (uint32_t i = 0; i < attendees; i++) len += (size_t)snprintf(targets + len, cap - len, "%sp%u", i ? ";" : "", i);
    RawCell ev[5] = {cell("M1"), cell("2024-03-04T09:00"), cell("meeting"), cell("p0"), cell(targets)};
    add(ds, -1, ev);
    free(targets);

    Unit u = {0};
    u.id = ds->events[0].unit;
    assert_true(unit_build_rows(&u, p, ds));
    VmReads reads = {0};
    VmHost host = {NULL, count_verdict, no_name, &reads, NULL};
    Vm vm = {0};
    vm.p = p;
    vm.ds = ds;
    vm.unit = &u;
    vm.host = &host;
    vm.roster = vm_roster_cols(p);
    arena_init(&vm.scratch);
    Value trigger = {0};
    trigger.tag = V_EVENT;
    trigger.idx = 0;
    verdicts = 0;
    vm_call(&vm, p->rules[0].body, trigger);
    assert_false(vm.failed || vm.scratch.failed);
    /* p0 .. p{roster-1} hold the role; the others do not */
    assert_int_equal(verdicts, attendees > roster ? attendees - roster : 0);
    size_t peak = vm.scratch.peak;
    arena_free(&vm.scratch);
    unit_free_rows(&u, p);
    dataset_free(ds);
    program_free(p);
    return peak;
}

/* Before the fix each attendee's two role lists (4 bytes a roster row each)
 * and their union stayed until the rule run ended: about 8 KB an attendee
 * against 500 rows. Now an iteration's lists are forgotten when the next one
 * begins, and what grows with the attendees is only what the loop needs
 * before it starts: the list of attendees and its copy in text order (4
 * bytes a name each, in blocks of at least 64 KiB). */
static void test_loop_iterations_do_not_accumulate(void **state)
{
    (void)state;
    size_t small = peak_of_meeting(1000, 500), large = peak_of_meeting(20000, 500);
    double per_attendee = (double)(large - small) / (20000 - 1000);
    if (per_attendee > 32) fail_msg("peak %zu bytes for 1,000 attendees, %zu for 20,000: %.0f bytes an attendee", small, large, per_attendee);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loop_iterations_do_not_accumulate),
    };
    return cmocka_run_group_tests_name("vm", tests, NULL, NULL);
}
