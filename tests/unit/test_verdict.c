/* test_verdict.c - verdict identity, dedupe and report order
 * (runtime/verdict.c), without a VM: verdicts are handed in directly. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "verdict.h"

typedef struct Fixture {
    Dataset ds;
    RunResult out;
    Verdicts vs;
    Unit unit;
    Arena scratch;
    StrId a, b, c, u1, u2;
} Fixture;

static int setup(void **state)
{
    static Fixture f;
    memset(&f, 0, sizeof f);
    strtab_init(&f.ds.strs);
    f.ds.log_id = -1; /* no event ids: evidence locations are 0 */
    /* interned out of text order, so id order and text order differ */
    f.c = strtab_intern(&f.ds.strs, "c", 1);
    f.a = strtab_intern(&f.ds.strs, "a", 1);
    f.b = strtab_intern(&f.ds.strs, "b", 1);
    f.u2 = strtab_intern(&f.ds.strs, "unit2", 5);
    f.u1 = strtab_intern(&f.ds.strs, "unit1", 5);
    arena_init(&f.out.arena);
    arena_init(&f.scratch);
    f.vs.out = &f.out;
    f.vs.ds = &f.ds;
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    Fixture *f = *state;
    verdict_free(&f->vs);
    run_result_free(&f->out);
    arena_free(&f->scratch);
    strtab_free(&f->ds.strs);
    return 0;
}

/* A list of up to three ids, sorted by id as the VM keeps lists. */
static List *list(Fixture *f, StrId x, StrId y, StrId z)
{
    StrId in[3] = {x, y, z};
    List *l = arena_alloc(&f->scratch, sizeof(List) + 3 * sizeof(StrId));
    for (int i = 0; i < 3; i++)
        if (in[i]) l->items[l->n++] = in[i];
    for (uint32_t i = 1; i < l->n; i++)
        for (uint32_t k = i; k > 0 && l->items[k - 1] > l->items[k]; k--) {
            StrId t = l->items[k]; l->items[k] = l->items[k - 1]; l->items[k - 1] = t;
        }
    return l;
}

static Violation period(uint32_t rule, StrId unit, int64_t from, int64_t to, uint32_t row)
{
    Violation v = {0};
    v.rule = rule;
    v.unit = unit;
    v.periodic = true;
    v.from = from;
    v.to = to;
    v.row = row;
    return v;
}

static void emit(Fixture *f, const Violation *id, const List *subjects, const char *message)
{
    Violation v = *id;
    v.subjects = (StrId *)subjects->items; /* no evidence: the block is the subjects */
    v.nsubjects = subjects->n;
    assert_true(verdict_emit(&f->vs, &v, message, &f->scratch));
}

/* Verdict i's message as the reports read it. */
static const char *message(Fixture *f, uint32_t i)
{
    static char buf[VERDICT_MESSAGE_MAX];
    return verdict_message(&f->out.v[i], &f->ds.strs, buf);
}

static void test_same_identity_once(void **state)
{
    Fixture *f = *state;
    Violation id = period(0, f->u1, 100, 200, ZNONE);
    emit(f, &id, list(f, f->a, f->b, 0), "first");
    /* the same subjects in another order: the same identity, kept once */
    emit(f, &id, list(f, f->b, f->a, 0), "again");
    assert_int_equal(f->out.n, 1);
    assert_string_equal(message(f, 0), "first");
    /* subjects are stored in text order */
    assert_int_equal(f->out.v[0].subjects[0], f->a);
    assert_int_equal(f->out.v[0].subjects[1], f->b);
    /* other subjects, another period, pending: three more identities */
    emit(f, &id, list(f, f->a, 0, 0), "fewer");
    Violation later = period(0, f->u1, 200, 300, ZNONE);
    emit(f, &later, list(f, f->a, f->b, 0), "later");
    Violation pend = id;
    pend.pending = true;
    emit(f, &pend, list(f, f->a, f->b, 0), "pending");
    assert_int_equal(f->out.n, 4);
}

static void test_lower_calendar_row_wins(void **state)
{
    Fixture *f = *state;
    /* two calendar rows give the same period: row 5 judged first, then row 2 */
    Violation r5 = period(1, f->u1, 100, 200, 5), r2 = period(1, f->u1, 100, 200, 2), r7 = period(1, f->u1, 100, 200, 7);
    emit(f, &r5, list(f, f->a, 0, 0), "row 5");
    emit(f, &r2, list(f, f->a, 0, 0), "row 2");
    emit(f, &r7, list(f, f->a, 0, 0), "row 7");
    assert_int_equal(f->out.n, 1);
    assert_string_equal(message(f, 0), "row 2");
    assert_int_equal(f->out.v[0].row, 2);
}

static void test_report_order(void **state)
{
    Fixture *f = *state;
    Violation t = {0};
    t.rule = 0;
    t.unit = f->u1;
    t.trigger_time = 150;
    t.trigger_order = 9;
    Violation p = period(0, f->u1, 100, 200, ZNONE);
    Violation r1 = period(1, f->u1, 0, 100, ZNONE), u2 = period(0, f->u2, 0, 100, ZNONE);
    emit(f, &r1, list(f, f->a, 0, 0), "rule 1");
    emit(f, &u2, list(f, f->a, 0, 0), "unit2");
    emit(f, &t, list(f, f->b, 0, 0), "trigger at 150");
    emit(f, &p, list(f, f->c, 0, 0), "period from 100, c");
    emit(f, &p, list(f, f->b, 0, 0), "period from 100, b");
    verdict_sort(&f->out, &f->ds.strs);
    const char *want[] = {"period from 100, b", "period from 100, c", "trigger at 150", "rule 1", "unit2"};
    assert_int_equal(f->out.n, 5);
    for (int i = 0; i < 5; i++) assert_string_equal(message(f, (uint32_t)i), want[i]);
}

/* A triggered verdict of rule 2 in unit1 at trigger `trig` (input place
 * `order`) with these subjects and evidence (their locations 10, 20, ...),
 * its lists laid out as the VM's host lays them out (engine.h). */
static Violation triggered(Fixture *f, const char *trig, uint32_t order, const char *const *subjects, uint32_t ns,
                           const char *const *evidence, uint32_t ne)
{
    Violation v = {0};
    v.rule = 2;
    v.unit = f->u1;
    v.row = ZNONE;
    v.trigger_id = strtab_intern(&f->ds.strs, trig, strlen(trig));
    v.trigger_order = order;
    v.nsubjects = ns;
    v.nevidence = ne;
    v.subjects = arena_alloc(&f->scratch, violation_lists_size(ns, ne));
    for (uint32_t i = 0; i < ns; i++) v.subjects[i] = strtab_intern(&f->ds.strs, subjects[i], strlen(subjects[i]));
    for (uint32_t i = 0; i < ne; i++) {
        violation_evidence(&v)[i] = strtab_intern(&f->ds.strs, evidence[i], strlen(evidence[i]));
        violation_evidence_loc(&v)[i] = 10 * (i + 1);
    }
    return v;
}

static void test_messages_held_once(void **state)
{
    Fixture *f = *state;
    /* two verdicts of a rule whose messages differ only in the verdict's own subject and trigger */
    const char *s1[] = {"u2-T00068"}, *s2[] = {"u2-T00070"};
    Violation a = triggered(f, "u2-0000347", 1, s1, 1, NULL, 0), b = triggered(f, "u2-0000348", 2, s2, 1, NULL, 0);
    assert_true(verdict_emit(&f->vs, &a, "议题u2-T00068提交u2-0000347前，书记未与校长沟通", &f->scratch));
    assert_true(verdict_emit(&f->vs, &b, "议题u2-T00070提交u2-0000348前，书记未与校长沟通", &f->scratch));
    assert_int_equal(f->out.n, 2);
    assert_string_equal(message(f, 0), "议题u2-T00068提交u2-0000347前，书记未与校长沟通");
    assert_string_equal(message(f, 1), "议题u2-T00070提交u2-0000348前，书记未与校长沟通");
    /* one stored text for both, which names neither */
    assert_true(f->out.v[0].message_refs);
    assert_ptr_equal(f->out.v[0].message, f->out.v[1].message);
    assert_null(strstr(f->out.v[0].message, "u2-T00068"));
    assert_null(strstr(f->out.v[0].message, "u2-0000347"));
    /* a message with no id of its own is held as it is, once */
    Violation c = triggered(f, "u2-0000349", 3, s1, 1, NULL, 0), d = triggered(f, "u2-0000350", 4, s2, 1, NULL, 0);
    assert_true(verdict_emit(&f->vs, &c, "未通报", &f->scratch));
    assert_true(verdict_emit(&f->vs, &d, "未通报", &f->scratch));
    assert_false(f->out.v[2].message_refs);
    assert_string_equal(f->out.v[2].message, "未通报");
    assert_ptr_equal(f->out.v[2].message, f->out.v[3].message);
}

static void test_message_text_kept_exactly(void **state)
{
    Fixture *f = *state;
    /* evidence given out of text order: stored in text order with their locations,
     * and the message still reads as given */
    const char *subj[] = {"ab123", "ab12"}, *ev[] = {"ev-2", "ev-1"};
    Violation v = triggered(f, "t-1", 1, subj, 2, ev, 2);
    const char *text = "ab12 and ab123 (ab12) saw ev-1, ev-2 at t-1; \x01S\x01 \x01\x01 a";
    assert_true(verdict_emit(&f->vs, &v, text, &f->scratch));
    const Violation *got = &f->out.v[0];
    assert_string_equal(strtab_str(&f->ds.strs, violation_evidence(got)[0]), "ev-1");
    assert_int_equal(violation_evidence_loc(got)[0], 20);
    assert_string_equal(strtab_str(&f->ds.strs, violation_evidence(got)[1]), "ev-2");
    assert_int_equal(violation_evidence_loc(got)[1], 10);
    assert_true(got->message_refs);
    assert_string_equal(message(f, 0), text);
    /* one too long to fill into a report's buffer is held as it is */
    char longer[VERDICT_MESSAGE_MAX + 40];
    memset(longer, 'x', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    memcpy(longer + 100, "ab123", 5);
    Violation w = triggered(f, "t-2", 2, subj, 2, NULL, 0);
    assert_true(verdict_emit(&f->vs, &w, longer, &f->scratch));
    assert_false(f->out.v[1].message_refs);
    assert_string_equal(message(f, 1), longer);
}

static void test_violation_size(void **state)
{
    (void)state;
    /* a million verdicts are held to the end of a run (docs/runtime.md, "Memory") */
    assert_true(sizeof(Violation) <= 80);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_same_identity_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lower_calendar_row_wins, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_messages_held_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_message_text_kept_exactly, setup, teardown),
        cmocka_unit_test(test_violation_size),
    };
    return cmocka_run_group_tests_name("verdict", tests, NULL, NULL);
}
