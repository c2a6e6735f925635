/* test_plan.c - the planner's answers for selections written by hand: which
 * scan a `where` asks for (keyed by a field, inside a period, both, or
 * none), where a time-ordered scan may stop, and what a streaming run keeps
 * (from when, which events alike, behind which conjuncts). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler.h"
#include "plan.h"

static const char base[] =
    "policy t { title \"t\" document \"d\" effective 2024-01-01 timezone \"+08:00\" }\n"
    "events \"events\" { id: id time: time type: text actor: person ref: id topic: list id }\n"
    "event meeting { actor, topic }\n"
    "event report { actor, ref }\n"
    "param 时限: duration = 3d\n"
    "def 相关(m: event, x: person, t: id) = m.actor == x or t in m.topic\n";

/* Checks base + one triggered rule `on e: meeting` requiring `require`,
 * and returns the checked compilation (its first rule's require is a
 * selection). */
static Compilation *check_require(const char *require)
{
    char text[2048];
    snprintf(text, sizeof text, "%srule r { tags T clause \"1\" \"x\" severity must on e: meeting\n require %s\n"
             " subjects e.actor message \"x\" }\n", base, require);
    Compilation *c = compile_new();
    compile_check_text(c, "test.zd", text, strlen(text));
    if (c->diag.errors) diag_print_text(&c->diag, stderr, false);
    assert_int_equal(c->diag.errors, 0);
    return c;
}

static Expr *the_selection(Compilation *c)
{
    RuleSym *r = c->policy->rules[0];
    for (int i = 0; i < r->clauses.len; i++)
        if (r->clauses.items[i]->kind == CL_REQUIRE) {
            Expr *e = r->clauses.items[i]->expr;
            assert_int_equal(e->kind, EX_SELECT);
            return e;
        }
    fail_msg("no require");
    return NULL;
}

/* the rule's trigger e is the only local where the selections stand */
static bool only_e(const void *scope, const char *name) { (void)scope; return !strcmp(name, "e"); }

static void plan(const char *require, ScanPlan *scan, RetainPlan *keep)
{
    Compilation *c = check_require(require);
    Expr *sel = the_selection(c);
    plan_scan(sel, scan);
    PlanContext where = {"e", false, true, only_e, NULL};
    plan_retention(&where, sel, scan, 2, keep);
    /* the plan points into the AST: keep what is checked below, then free */
    compile_free(c);
}

/* Whether plan_earliest takes `require` (an exists); its fields and strictness. */
static bool earliest(const char *require, EarliestPlan *ep)
{
    Compilation *c = check_require(require);
    bool ok = plan_earliest(the_selection(c), ep);
    compile_free(c);
    return ok;
}

/* An exists of pinned fields and an upper time bound, in any order and
 * form, is one lookup of the earliest time by its fields, in field order. */
static void test_earliest_time_by_keys(void **state)
{
    (void)state;
    EarliestPlan ep;
    /* ref (4) and actor (3) pinned, written in that order; a mirrored bound */
    assert_true(earliest("exists(x: report where x.ref == e.id and e.time >= x.time and x.actor == e.actor)", &ep));
    assert_int_equal(ep.fields, (1 << 3) | (1 << 4));
    assert_int_equal(ep.nkeys, 2);
    assert_int_equal(ep.field[0], 3);
    assert_int_equal(ep.field[1], 4);
    assert_false(ep.strict);
    /* any of a list: a field of one value in it, a list field meeting it */
    assert_true(earliest("exists(x: meeting where x.actor in {\"a\", e.actor} and x.topic & e.topic != {} and x.time < e.time)", &ep));
    assert_int_equal(ep.fields, (1 << 3) | (1 << 5));
    assert_true(ep.strict);
    assert_true(earliest("exists(x: meeting where {} != e.topic & x.topic and x.time <= e.time)", &ep));
    assert_int_equal(ep.fields, 1 << 5);
}

/* Anything else the condition asks of the event keeps the scan. */
static void test_earliest_refused(void **state)
{
    (void)state;
    EarliestPlan ep;
    const char *refused[] = {
        "exists(x: meeting where x.actor == e.actor)",                                        /* no upper bound */
        "exists(x: meeting where x.actor == e.actor and x.time <= e.time and x.time >= e.time - 时限)", /* a lower one */
        "exists(x: meeting where x.actor != e.actor and x.time <= e.time)",                   /* not a pin */
        "exists(x: meeting where x.actor == e.actor and \"T1\" in x.topic and x.time <= e.time)", /* a constant key */
        "exists(x: meeting where x.actor == e.actor and x.topic & {\"T1\"} != {} and x.time <= e.time)",
        "exists(x: meeting where x.actor == e.actor and x.actor == \"a\" and x.time <= e.time)", /* a field twice */
        "exists(x: meeting where 相关(x, e.actor, \"T\") and x.time <= e.time)",              /* the event bare */
        "exists(x: meeting where x.actor == e.actor and x.time <= e.time and x.time <= e.time)", /* two bounds */
        "exists(x: report where x.ref == x.id and x.time <= e.time)",                         /* a key reading x */
        "exists(x: report where x.actor == latest(y: report where y.time < e.time).actor and x.time <= e.time)",
        "exists(x: meeting where (x.actor == e.actor or \"T\" in x.topic) and x.time <= e.time)",
        "count(x: meeting where x.actor == e.actor and x.time <= e.time) > 0",
    };
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        Compilation *c = check_require(refused[i]);
        RuleSym *r = c->policy->rules[0];
        Expr *sel = NULL;
        for (int k = 0; k < r->clauses.len; k++)
            if (r->clauses.items[k]->kind == CL_REQUIRE) sel = r->clauses.items[k]->expr;
        if (sel->kind != EX_SELECT) sel = sel->lhs; /* count(...) > 0 */
        if (plan_earliest(sel, &ep)) fail_msg("taken: %s", refused[i]);
        compile_free(c);
    }
}

static void test_keyed_scan_from_trigger(void **state)
{
    (void)state;
    ScanPlan scan;
    RetainPlan keep;
    plan("exists(x: report where x.ref == e.id and x.time >= e.time - 时限)", &scan, &keep);
    assert_int_equal(scan.init, ZOP_SCAN_INIT_EQ);
    assert_int_equal(scan.field, 4); /* ref: id time type actor ref */
    assert_null(scan.until);
    assert_int_equal(keep.kind, ZR_TRIGGER);
    assert_int_equal(keep.offset, -3 * 86400);
    assert_int_equal(keep.pick, ZK_ALL);
    assert_int_equal(keep.nkeep, 0); /* both conjuncts read the trigger */
}

static void test_until_and_earliest(void **state)
{
    (void)state;
    ScanPlan scan;
    RetainPlan keep;
    plan("exists(x: report where x.actor == \"P1\" and x.time <= e.time)", &scan, &keep);
    assert_int_equal(scan.init, ZOP_SCAN_INIT_EQ);
    assert_int_equal(scan.field, 3);
    assert_non_null(scan.until);
    assert_false(scan.strict);
    /* kept from the beginning, the earliest of each actor, behind x.actor == "P1" */
    assert_int_equal(keep.kind, ZR_ALWAYS);
    assert_int_equal(keep.pick, ZK_EARLIEST);
    assert_int_equal(keep.fields, (uint64_t)1 << 3);
    assert_int_equal(keep.nkeep, 1);
}

static void test_member_of_list_field(void **state)
{
    (void)state;
    ScanPlan scan;
    RetainPlan keep;
    plan("exists(x: meeting where \"T1\" in x.topic and x.time < e.time)", &scan, &keep);
    assert_int_equal(scan.init, ZOP_SCAN_INIT_EQ);
    assert_int_equal(scan.field, 5);
    assert_true(scan.strict);
    /* a strict upper limit by the trigger: kept always, the earliest of each topic list */
    assert_int_equal(keep.kind, ZR_ALWAYS);
    assert_int_equal(keep.pick, ZK_EARLIEST);
    assert_int_equal(keep.fields, (uint64_t)1 << 5);
}

/* Every conjunct pinning a field is in the plan, whatever the order written:
 * one opens the scan, the others narrow it at run time (SCAN_ALSO_EQ). */
static void test_every_key_either_order(void **state)
{
    (void)state;
    const char *orders[] = {"exists(x: meeting where x.actor == \"P1\" and \"T1\" in x.topic)",
                            "exists(x: meeting where \"T1\" in x.topic and x.actor == \"P1\")"};
    for (int i = 0; i < 2; i++) {
        ScanPlan scan;
        RetainPlan keep;
        plan(orders[i], &scan, &keep);
        assert_int_equal(scan.init, ZOP_SCAN_INIT_EQ);
        assert_int_equal(scan.nalts, 1);
        /* actor (3) and topic (5), one of each */
        assert_int_equal((1 << scan.field) | (1 << scan.alt_field[0]), (1 << 3) | (1 << 5));
        assert_null(scan.since);
    }
}

/* A lower time bound, written either way round, is where the scan starts. */
static void test_lower_bound(void **state)
{
    (void)state;
    const char *forms[] = {"exists(x: report where x.time > e.time)", "exists(x: report where e.time - 时限 <= x.time)"};
    for (int i = 0; i < 2; i++) {
        ScanPlan scan;
        RetainPlan keep;
        plan(forms[i], &scan, &keep);
        assert_int_equal(scan.init, ZOP_SCAN_INIT);
        assert_non_null(scan.since);
        assert_null(scan.until);
        assert_int_equal(scan.nalts, 0);
    }
}

static void test_hidden_trigger(void **state)
{
    (void)state;
    ScanPlan scan;
    RetainPlan keep;
    Compilation *c = check_require("exists(x: report where x.ref == e.id and x.time >= e.time)");
    Expr *sel = the_selection(c);
    plan_scan(sel, &scan);
    /* the trigger hidden by a local of the same name: kept from the beginning */
    PlanContext hidden = {"e", false, false, only_e, NULL};
    plan_retention(&hidden, sel, &scan, 2, &keep);
    assert_int_equal(keep.kind, ZR_ALWAYS);
    assert_int_equal(keep.pick, ZK_ALL);
    compile_free(c);
}

/* An `or` each of whose disjuncts pins a field is a union of index lists
 * (SCAN_ANY_*), written out or as a call of a definition whose event
 * parameter gets the selection's variable (its keys: the call's arguments). */
static void test_union_of_disjuncts(void **state)
{
    (void)state;
    const char *forms[] = {"exists(x: meeting where x.actor == e.actor or \"T1\" in x.topic)",
                           "exists(x: meeting where 相关(x, e.actor, \"T1\"))"};
    for (int i = 0; i < 2; i++) {
        ScanPlan scan;
        Compilation *c = check_require(forms[i]);
        plan_scan(the_selection(c), &scan);
        assert_int_equal(scan.init, ZOP_SCAN_INIT);
        assert_int_equal(scan.nany, 2);
        assert_int_equal(scan.any_field[0], 3); /* actor */
        assert_int_equal(scan.any_group[0], 0);
        assert_int_equal(scan.any_field[1], 5); /* topic */
        assert_int_equal(scan.any_group[1], 1);
        /* the keys are the caller's expressions: e.actor and "T1" */
        assert_int_equal(scan.any_key[0]->kind, EX_FIELD);
        assert_string_equal(scan.any_key[0]->lhs->name, "e");
        assert_int_equal(scan.any_key[1]->kind, EX_STRING);
        compile_free(c);
    }
    /* two pins in the first disjunct: both in its group */
    ScanPlan scan;
    RetainPlan keep;
    plan("exists(x: meeting where (x.actor == e.actor and \"T1\" in x.topic) or x.actor == \"P2\")", &scan, &keep);
    assert_int_equal(scan.nany, 3);
    assert_int_equal(scan.any_group[0], 0);
    assert_int_equal(scan.any_group[1], 0);
    assert_int_equal(scan.any_group[2], 1);
    /* a disjunct that pins nothing (a time), or a key that reads the event: no union */
    plan("exists(x: meeting where x.actor == e.actor or x.time > e.time)", &scan, &keep);
    assert_int_equal(scan.nany, 0);
    plan("exists(x: meeting where 相关(x, x.actor, \"T1\") and x.actor == e.actor)", &scan, &keep);
    assert_int_equal(scan.nany, 0);
    assert_int_equal(scan.init, ZOP_SCAN_INIT_EQ);
}

/* `x.f in {k1, k2}` on a field of one value is the union of `x.f == k1` and
 * `x.f == k2`; a set not written out, or a key that reads the event, is not. */
static void test_union_of_set_members(void **state)
{
    (void)state;
    ScanPlan scan;
    RetainPlan keep;
    Compilation *c = check_require("exists(x: meeting where x.actor in {\"P1\", e.actor, \"P3\"} and x.time > e.time)");
    plan_scan(the_selection(c), &scan);
    assert_int_equal(scan.init, ZOP_SCAN_INIT);
    assert_non_null(scan.since);
    assert_int_equal(scan.nany, 3);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(scan.any_field[i], 3); /* actor */
        assert_int_equal(scan.any_group[i], i);
    }
    assert_int_equal(scan.any_key[0]->kind, EX_STRING);
    assert_int_equal(scan.any_key[1]->kind, EX_FIELD);
    compile_free(c);
    plan("exists(x: meeting where x.actor in {x.actor, \"P3\"})", &scan, &keep);
    assert_int_equal(scan.nany, 0);
    plan("exists(x: meeting where x.actor in {e.actor} | {\"P2\"})", &scan, &keep);
    assert_int_equal(scan.nany, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_earliest_time_by_keys),
        cmocka_unit_test(test_earliest_refused),
        cmocka_unit_test(test_keyed_scan_from_trigger),
        cmocka_unit_test(test_until_and_earliest),
        cmocka_unit_test(test_member_of_list_field),
        cmocka_unit_test(test_hidden_trigger),
        cmocka_unit_test(test_every_key_either_order),
        cmocka_unit_test(test_lower_bound),
        cmocka_unit_test(test_union_of_disjuncts),
        cmocka_unit_test(test_union_of_set_members),
    };
    return cmocka_run_group_tests_name("plan", tests, NULL, NULL);
}
