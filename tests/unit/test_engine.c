/* test_engine.c - each kind of monitor the engine runs, on small data pushed
 * row by row: period kinds and their boundaries, exemptions, anchored cycles,
 * calendar periods, triggered rules with deadlines (pending), selections and
 * their tie rules, identities, units and their tables, --from / --as-of.
 * Expected results are worked out by hand in the comments. Every run is
 * made twice: holding every event (engine_run), and streaming with a window
 * of one event (a step after every event, events forgotten as soon as no
 * rule can read them), which must give the same verdicts. */
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
#include "earliest.h"
#include "engine.h"
#include "ztime.h"

static const char header[] =
    "policy t { title \"t\" document \"d\" effective 2024-01-01 timezone \"+08:00\" units \"unit\" }\n"
    "role 书记, 班子成员\n"
    "enum 类别 { semester, vacation, anchor }\n"
    "events \"events\" { id: id time: time type: text actor: person targets: list person ref: id topic: list id }\n"
    "event meeting { actor, targets, topic }\n"
    "event report { actor, targets, ref }\n"
    "roster 名册 \"roster\" { person: person role: role from: time to: time }\n"
    "table 议题 \"topics\" key topic { topic: id lead: person }\n"
    "calendar 校历 \"calendar\" { kind: 类别 from: time to: time }\n";

enum { MAX_ROWS = 256 };

typedef struct World {
    Program *p;
    Dataset *ds;
    RunResult r;
    bool ran;
    char *tables[MAX_ROWS], *specs[MAX_ROWS]; /* the rows given, to replay them streaming */
    int nrows;
} World;

static World *world(const char *rules)
{
    World *w = calloc(1, sizeof *w);
    size_t n = strlen(header) + strlen(rules) + 1;
    char *text = malloc(n);
    snprintf(text, n, "%s%s", header, rules);
    Compilation *c = compile_new();
    compile_check_text(c, "t.zd", text, strlen(text));
    free(text);
    if (c->diag.errors) diag_print_text(&c->diag, stderr, false);
    assert_int_equal(c->diag.errors, 0);
    w->p = codegen_policy(c->policy, &c->diag);
    compile_free(c);
    assert_non_null(w->p);
    w->ds = dataset_new(w->p);
    return w;
}

static void world_free(World *w)
{
    if (w->ran) run_result_free(&w->r);
    for (int i = 0; i < w->nrows; i++) {
        free(w->tables[i]);
        free(w->specs[i]);
    }
    dataset_free(w->ds);
    program_free(w->p);
    free(w);
}

/* A row as "col=value|col=value|..." for table ("events" or a reference table). */
static void add_row(const Program *p, Dataset *ds, const char *table, const char *spec);

static void row(World *w, const char *table, const char *spec)
{
    assert_true(w->nrows < MAX_ROWS);
    w->tables[w->nrows] = strdup(table);
    w->specs[w->nrows++] = strdup(spec);
    add_row(w->p, w->ds, table, spec);
}

static void add_row(const Program *p, Dataset *ds, const char *table, const char *spec)
{
    const ZTable *t = NULL;
    int index = -1;
    if (!strcmp(table, "events")) t = &p->log;
    for (uint32_t i = 0; i < p->ntables && !t; i++)
        if (!strcmp(program_string(p, p->tables[i].table), table)) { t = &p->tables[i]; index = (int)i; }
    assert_non_null(t);
    RawCell cells[64];
    memset(cells, 0, sizeof cells);
    RawCell unit = {"", 0, false, 0, NULL, 0};
    bool has_unit = false;
    char *copy = strdup(spec);
    for (char *item = strtok(copy, "|"); item; item = strtok(NULL, "|")) {
        char *eq = strchr(item, '=');
        assert_non_null(eq);
        *eq = '\0';
        const char *v = eq + 1;
        RawCell c = {v, strlen(v), strlen(v) > 0, 0, NULL, 0};
        if (!strcmp(item, "unit")) { unit = c; has_unit = true; continue; }
        int f = zt_field(p, t, item);
        assert_true(f >= 0);
        cells[f] = c;
    }
    char msg[256];
    const char *bad = index < 0 ? dataset_add_event(ds, cells, unit, 1, msg, sizeof msg)
                                : dataset_add_record(ds, (uint32_t)index, cells, unit, has_unit, msg, sizeof msg);
    if (bad) fprintf(stderr, "row %s: %s\n", spec, bad);
    assert_null(bad);
    /* cells point into copy: the data set keeps only interned strings */
    free(copy);
}

static char *verdicts_of(const RunResult *r, const Dataset *ds);

/* The same run, streaming: reference rows first, then the events in the
 * order given, a step after each. Events out of time order after a step make
 * stream_finish ask for a run holding every event: nothing to compare then. */
static void run_streaming(World *w, const RunOptions *batch)
{
    RunOptions opt = *batch;
    opt.window = 1;
    Dataset *ds = dataset_new(w->p);
    RunResult r;
    Stream *s = stream_new(w->p, ds, &opt, &r);
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < w->nrows; i++) {
            if ((pass == 0) != (strcmp(w->tables[i], "events") != 0)) continue;
            add_row(w->p, ds, w->tables[i], w->specs[i]);
            if (pass == 1) stream_event_added(s);
        }
    if (stream_finish(s) == 0) {
        char *want = verdicts_of(&w->r, w->ds), *got = verdicts_of(&r, ds);
        if (strcmp(want, got)) fail_msg("streaming gave\n%s\nholding every event gave\n%s", got, want);
        assert_int_equal(r.rule_runs, w->r.rule_runs);
        free(want);
        free(got);
    }
    stream_free(s);
    run_result_free(&r);
    dataset_free(ds);
}

static void run(World *w, const char *from, const char *as_of)
{
    RunOptions opt = {0};
    ZtParsed tp;
    if (from) { assert_null(zt_parse(from, strlen(from), &tp)); opt.has_from = true; opt.from = zt_to_instant(&tp, 8 * 3600); }
    if (as_of) { assert_null(zt_parse(as_of, strlen(as_of), &tp)); opt.has_as_of = true; opt.as_of = zt_to_instant(&tp, 8 * 3600); }
    char err[256];
    assert_int_equal(engine_run(w->p, w->ds, &opt, &w->r, err, sizeof err), 0);
    w->ran = true;
    run_streaming(w, &opt);
}

/* The verdicts as "window-from..window-to" or "trigger" plus subjects, one per line. */
static char *verdicts(World *w) { return verdicts_of(&w->r, w->ds); }

static char *verdicts_of(const RunResult *res, const Dataset *ds)
{
    size_t cap = 8192, len = 0;
    char *out = calloc(1, cap);
    for (uint32_t i = 0; i < res->n; i++) {
        const Violation *v = &res->v[i];
        char a[40], b[40];
        if (v->pending) len += (size_t)snprintf(out + len, cap - len, "pending ");
        if (strtab_str(&ds->strs, v->unit)[0]) len += (size_t)snprintf(out + len, cap - len, "[%s] ", strtab_str(&ds->strs, v->unit));
        if (v->periodic) {
            zt_format(v->from, 8 * 3600, a, sizeof a);
            zt_format(v->to, 8 * 3600, b, sizeof b);
            a[16] = b[16] = '\0';
            len += (size_t)snprintf(out + len, cap - len, "%s..%s", a, b);
        } else {
            len += (size_t)snprintf(out + len, cap - len, "%s", strtab_str(&ds->strs, v->trigger_id));
        }
        for (uint32_t s = 0; s < v->nsubjects; s++)
            len += (size_t)snprintf(out + len, cap - len, " %s", strtab_str(&ds->strs, v->subjects[s]));
        len += (size_t)snprintf(out + len, cap - len, "\n");
    }
    return out;
}

static void expect(World *w, const char *want)
{
    char *got = verdicts(w);
    if (strcmp(got, want)) fprintf(stderr, "want:\n%sgot:\n%s", want, got);
    assert_string_equal(got, want);
    free(got);
}

static const char weekly[] =
    "rule w { tags W clause \"c\" \"t\" severity must every week as 周\n"
    "  unless overlaps 校历 where kind == vacation\n"
    "  require exists(m: meeting where m.time in 周) message \"{周}\" }\n";

/* Weeks run Monday 00:00 to Monday 00:00 local; only whole weeks inside
 * [R0, R1] are judged; a meeting at exactly Monday 00:00 belongs to the new week. */
static void test_weeks_and_boundaries(void **state)
{
    (void)state;
    World *w = world(weekly);
    /* R0 = 2024-09-04 00:00 (a Wednesday): the first judged week starts 09-09 */
    row(w, "events", "id=e1|time=2024-09-04T10:00|type=meeting");
    row(w, "events", "id=e2|time=2024-09-16T00:00|type=meeting");           /* week 09-16 */
    row(w, "events", "id=e3|time=2024-09-22T23:59:59|type=meeting");        /* still week 09-16 */
    row(w, "events", "id=e4|time=2024-09-29T16:00:00Z|type=meeting");       /* = 09-30 00:00 +08: week 09-30 */
    row(w, "events", "id=e5|time=2024-10-07T00:00|type=meeting");           /* R1: week 09-30 ends exactly here */
    run(w, NULL, NULL);
    /* judged: 09-09 (none), 09-16 (e2,e3), 09-23 (none), 09-30 (e4); 10-07 not whole */
    expect(w, "2024-09-09T00:00..2024-09-16T00:00\n2024-09-23T00:00..2024-09-30T00:00\n");
    world_free(w);
}

static void test_vacation_exempts_overlapping_weeks(void **state)
{
    (void)state;
    World *w = world(weekly);
    /* a vacation sharing one instant (09-22 23:00 .. 09-23 01:00) with two weeks exempts both */
    row(w, "calendar", "kind=vacation|from=2024-09-22T23:00|to=2024-09-23T01:00");
    /* a vacation ending exactly when a week starts does not overlap it */
    row(w, "calendar", "kind=vacation|from=2024-09-29T12:00|to=2024-09-30");
    row(w, "events", "id=e1|time=2024-09-09T08:00|type=meeting");
    row(w, "events", "id=e2|time=2024-10-14T08:00|type=meeting");
    run(w, NULL, NULL);
    /* weeks 09-09 (e1), 09-16 and 09-23 exempt, 09-30 judged and empty, 10-07 empty */
    expect(w, "2024-09-30T00:00..2024-10-07T00:00\n2024-10-07T00:00..2024-10-14T00:00\n");
    world_free(w);
}

/* Cycles anchored on calendar rows: before the first anchor they count from
 * the first Monday of the range; each anchor restarts them; the cycle that
 * straddles the next anchor is kept. */
static void test_anchored_cycles(void **state)
{
    (void)state;
    World *w = world("rule c { tags C clause \"c\" \"t\" severity must every 2 weeks from 校历 where kind == anchor as 期\n"
                     "  require exists(m: meeting where m.time in 期) message \"{期}\" }\n");
    row(w, "calendar", "kind=anchor|from=2024-09-23");  /* origin 2: mid-cycle of origin 1 */
    row(w, "calendar", "kind=anchor|from=2024-10-14");  /* origin 3 */
    row(w, "events", "id=e0|time=2024-09-02T09:00|type=meeting");   /* R0 = 09-02, a Monday */
    row(w, "events", "id=e9|time=2024-11-11T09:00|type=meeting");   /* R1 */
    run(w, NULL, NULL);
    /* origin 09-02: 09-02..09-16 (e0), 09-16..09-30 (straddles 09-23: kept, empty);
     * origin 09-23: 09-23..10-07, 10-07..10-21 (straddles 10-14: kept);
     * origin 10-14: 10-14..10-28, 10-28..11-11 (ends at 11-11 09:00 > end: judged), 11-11..11-25 not whole */
    expect(w,
           "2024-09-16T00:00..2024-09-30T00:00\n"
           "2024-09-23T00:00..2024-10-07T00:00\n"
           "2024-10-07T00:00..2024-10-21T00:00\n"
           "2024-10-14T00:00..2024-10-28T00:00\n"
           "2024-10-28T00:00..2024-11-11T00:00\n");
    world_free(w);
}

static void test_calendar_months_years_days(void **state)
{
    (void)state;
    World *w = world("rule s { tags S clause \"c\" \"t\" severity must every 校历 where kind == semester as 学期\n"
                     "  require count(m: meeting where m.time in 学期) >= 2 message \"{学期}\" }\n"
                     "rule m { tags M clause \"c\" \"t\" severity must every month as 月\n"
                     "  require exists(m: meeting where m.time in 月) message \"{月}\" }\n"
                     "rule y { tags Y clause \"c\" \"t\" severity must every year as 年\n"
                     "  require exists(m: meeting where m.time in 年) message \"{年}\" }\n"
                     "rule d { tags D clause \"c\" \"t\" severity must every day as 日\n"
                     "  require weekday(日.from) == saturday or weekday(日.from) == sunday or exists(m: meeting where m.time in 日)\n"
                     "  message \"{日}\" }\n");
    row(w, "calendar", "kind=semester|from=2024-02-01|to=2024-03-01");  /* judged, one meeting */
    row(w, "calendar", "kind=semester|from=2024-03-01|to=2024-04-01");  /* ends after R1: not judged */
    row(w, "events", "id=e1|time=2024-01-31T10:00|type=meeting");
    row(w, "events", "id=e2|time=2024-02-29T10:00|type=meeting");       /* a leap day */
    row(w, "events", "id=e3|time=2024-03-01T10:00|type=meeting");
    run(w, NULL, NULL);
    /* months: 2024-02 judged (e2); years: none whole; days: R0 01-31 .. R1 03-01 10:00:
     * every weekday without a meeting from 02-01 to 02-29 fails except 02-29 (e2) */
    char *got = verdicts(w);
    assert_non_null(strstr(got, "2024-02-01T00:00..2024-03-01T00:00\n"));      /* the semester: 1 < 2 */
    assert_null(strstr(got, "2024-03-01T00:00..2024-04-01T00:00"));
    assert_null(strstr(got, "2024-02-29T00:00..2024-03-01T00:00"));           /* e2 on that day */
    assert_non_null(strstr(got, "2024-02-28T00:00..2024-02-29T00:00"));
    assert_null(strstr(got, "2024-02-03T00:00..2024-02-04T00:00"));           /* a Saturday */
    assert_null(strstr(got, "2024-03-01T00:00..2024-03-02T00:00"));           /* not whole */
    assert_null(strstr(got, "2024-01-31T00:00..2024-02-01T00:00"));           /* e1 */
    /* 20 weekdays in 02-01..02-28 without a meeting + the semester; no month fails */
    int lines = 0;
    for (char *c = got; *c; c++) lines += *c == '\n';
    assert_int_equal(lines, 20 + 1);
    free(got);
    world_free(w);
}

/* History a streaming run keeps: a report of the meeting's actor in the day
 * before it (kept from the trigger's time minus a day), any report of the
 * actor before it (the earliest of each actor), and the actor's latest
 * report, which must have targets (the latest of each actor). Worked by
 * hand: m1 (a) has r1 23 hours before; m2 (a, 3 days after r2) has none in
 * its day; m3 (b) has none at all; latest: m1 -> r1 (targets s), m2 -> r2
 * (no targets: violation), m3 -> none: pending. */
static void test_history_kept(void **state)
{
    (void)state;
    World *w = world("rule 一日 { tags D clause \"c\" \"t\" severity must on m: meeting\n"
                     "  require exists(r: report where r.actor == m.actor and r.time >= m.time - 1d and r.time <= m.time)\n"
                     "  message \"x\" }\n"
                     "rule 曾经 { tags E clause \"c\" \"t\" severity must on m: meeting\n"
                     "  require exists(r: report where r.actor == m.actor and r.time <= m.time)\n"
                     "  message \"x\" }\n"
                     "rule 最近 { tags L clause \"c\" \"t\" severity must on m: meeting\n"
                     "  let r = latest(r: report where r.actor == m.actor and r.time <= m.time)\n"
                     "  when present(r) else pending\n"
                     "  require present(r.targets)\n"
                     "  subjects r.id\n"
                     "  message \"x\" }\n");
    row(w, "events", "id=r1|time=2024-09-01T09:00|type=report|actor=a|targets=s");
    row(w, "events", "id=m1|time=2024-09-02T08:00|type=meeting|actor=a");
    row(w, "events", "id=r2|time=2024-09-03T09:00|type=report|actor=a");
    row(w, "events", "id=r3|time=2024-09-04T09:00|type=report|actor=c|targets=s");
    row(w, "events", "id=m2|time=2024-09-06T09:00|type=meeting|actor=a");
    row(w, "events", "id=m3|time=2024-09-07T09:00|type=meeting|actor=b");
    run(w, NULL, NULL);
    /* day: m2 (r2 is 3 days before), m3; ever: m3; last: m2's latest is r2
     * (no targets: a violation with subject r2), m3 pending */
    expect(w, "m2\nm3\nm3\nm2 r2\npending m3\n");
    world_free(w);
}

/* An exists of pinned fields and an upper time bound is a lookup of the
 * earliest time of each (actor, target) of the reports (EARLIEST), per unit.
 * Worked by hand (<=: 先, <: 严, the secretary at the meeting's time: 书):
 * m1 (a; s, u): s has r1 before it, u none -> 先 and 严 "m1 u"; 书: p1 is
 * secretary and reported to s at m1's very time (r2) -> nothing. m2 (a; u)
 * at r3's time: 先 passes, 严 not -> "m2 u"; 书: p1 never reported to u ->
 * "m2 a". m3 (b; s): b reports to s only after it (r4) -> 先, 严 "m3 s";
 * 书: p2 is secretary by then and never reported (p1's r2 no longer counts)
 * -> "m3 b". Unit B has no reports: m4 fails all three. */
static void test_earliest_lookup(void **state)
{
    (void)state;
    World *w = world("rule 先 { tags E clause \"c\" \"t\" severity must on m: meeting\n"
                     "  for x in m.targets\n"
                     "  require exists(r: report where r.actor == m.actor and x in r.targets and r.time <= m.time)\n"
                     "  subjects x message \"x\" }\n"
                     "rule 严 { tags F clause \"c\" \"t\" severity must on m: meeting\n"
                     "  for x in m.targets\n"
                     "  require exists(r: report where r.time < m.time and x in r.targets and m.actor == r.actor)\n"
                     "  subjects x message \"x\" }\n"
                     "rule 书 { tags G clause \"c\" \"t\" severity must on m: meeting\n"
                     "  require exists(r: report where r.actor in 书记 at m.time and r.targets & m.targets != {} and r.time <= m.time)\n"
                     "  subjects m.actor message \"x\" }\n");
    Program *p = w->p;
    uint32_t earliest = 0;
    for (uint32_t i = 0; i < p->ninsns; i++) earliest += p->code[i].op == ZOP_EARLIEST;
    assert_int_equal(earliest, 3); /* no scan: every rule's selection is a lookup */
    assert_int_equal(p->nretains, 0); /* and keeps nothing */
    row(w, "roster", "person=p1|role=书记|from=2024-01-01|to=2024-09-05|unit=A");
    row(w, "roster", "person=p2|role=书记|from=2024-09-05|to=|unit=A");
    row(w, "roster", "person=p1|role=书记|from=|to=|unit=B");
    row(w, "events", "id=r1|time=2024-09-01T09:00|type=report|actor=a|targets=s;t|unit=A");
    row(w, "events", "id=r2|time=2024-09-02T09:00|type=report|actor=p1|targets=s|unit=A");
    row(w, "events", "id=m1|time=2024-09-02T09:00|type=meeting|actor=a|targets=s;u|unit=A");
    row(w, "events", "id=m4|time=2024-09-02T10:00|type=meeting|actor=a|targets=s|unit=B");
    row(w, "events", "id=r3|time=2024-09-03T10:00|type=report|actor=a|targets=u|unit=A");
    row(w, "events", "id=m2|time=2024-09-03T10:00|type=meeting|actor=a|targets=u|unit=A");
    row(w, "events", "id=m3|time=2024-09-06T09:00|type=meeting|actor=b|targets=s|unit=A");
    row(w, "events", "id=r4|time=2024-09-07T09:00|type=report|actor=b|targets=s|unit=A");
    run(w, NULL, NULL);
    expect(w, "[A] m1 u\n[A] m3 s\n[A] m1 u\n[A] m2 u\n[A] m3 s\n[A] m2 a\n[A] m3 b\n[B] m4 s\n[B] m4 s\n[B] m4 a\n");
    world_free(w);
}

/* The earliest time of a key is the least of its events' times, whatever
 * order they are taken in: here the latest first. */
static void test_earliest_out_of_order(void **state)
{
    (void)state;
    World *w = world("rule 先 { tags E clause \"c\" \"t\" severity must on m: meeting\n"
                     "  for x in m.targets\n"
                     "  require exists(r: report where r.actor == m.actor and x in r.targets and r.time <= m.time)\n"
                     "  subjects x message \"x\" }\n");
    row(w, "events", "id=r1|time=2024-09-05T09:00|type=report|actor=a|targets=v");
    row(w, "events", "id=m1|time=2024-09-04T09:00|type=meeting|actor=a|targets=v;w");
    row(w, "events", "id=r2|time=2024-09-01T09:00|type=report|actor=a|targets=v;w");
    row(w, "events", "id=r3|time=2024-09-03T09:00|type=report|actor=a|targets=w");
    Earliest es = {0};
    assert_true(earliest_setup(&es, w->p));
    assert_int_equal(es.ntables, 1);
    uint32_t evs[] = {0, 3, 2};                 /* r1, r3, r2: not in time order */
    assert_true(earliest_add(&es, w->ds, evs, 0, 3));
    const EarliestTable *t = earliest_table(&es, es.tables[0].types, es.tables[0].fields);
    assert_non_null(t);
    StrId a = strtab_find(&w->ds->strs, "a", 1), v = strtab_find(&w->ds->strs, "v", 1), x = strtab_find(&w->ds->strs, "w", 1);
    ZtParsed tp;
    assert_null(zt_parse("2024-09-01T09:00", 16, &tp));
    int64_t sep1 = zt_to_instant(&tp, 8 * 3600);
    StrId av[] = {a, v}, aw[] = {a, x}, va[] = {v, a};
    assert_true(earliest_get(t, av) == sep1);  /* r2, not r1 taken first */
    assert_true(earliest_get(t, aw) == sep1);  /* r2, not r3 */
    assert_true(earliest_get(t, va) == INT64_MAX); /* keys in field order */
    earliest_free(&es);
    /* and the whole run, holding every event as the rows come out of order */
    run(w, NULL, NULL);
    expect(w, "");
    world_free(w);
}

/* Triggered rules: the deadline decides between violation and pending, with
 * --as-of moving the end of the range. */
static void test_deadline_pending_and_as_of(void **state)
{
    (void)state;
    World *w = world("rule r { tags R clause \"c\" \"t\" severity must on m: meeting\n"
                     "  require exists(r: report where r.ref == m.id and r.time >= m.time and r.time <= m.time + 2h)\n"
                     "  deadline m.time + 2h subjects m.actor message \"{m}\" }\n");
    row(w, "events", "id=m1|time=2024-09-02T08:00|type=meeting|actor=p1");
    row(w, "events", "id=r1|time=2024-09-02T10:00|type=report|ref=m1");   /* exactly at the deadline: kept */
    row(w, "events", "id=m2|time=2024-09-02T09:00|type=meeting|actor=p2"); /* no report: due 11:00 */
    row(w, "events", "id=m3|time=2024-09-02T11:30|type=meeting|actor=p3"); /* due 13:30 > R1 = 11:30: pending */
    run(w, NULL, NULL);
    expect(w, "m2 p2\npending m3 p3\n");
    run_result_free(&w->r);
    run(w, NULL, "2024-09-02T14:00");
    expect(w, "m2 p2\nm3 p3\n");
    world_free(w);
}

/* latest: ties go to the later row; first: ties keep the earlier row. */
static void test_latest_first_ties(void **state)
{
    (void)state;
    World *w = world("rule l { tags L clause \"c\" \"t\" severity must on m: meeting where present(m.actor)\n"
                     "  let c = latest(c: report where c.time <= m.time)\n"
                     "  let f = first(f: report where f.time >= m.time)\n"
                     "  require false or c.actor == \"ok\" and f.actor == \"ok\"\n"
                     "  subjects c.actor, f.actor message \"x\" }\n");
    row(w, "events", "id=r1|time=2024-09-02T08:00|type=report|actor=a");
    row(w, "events", "id=r2|time=2024-09-02T08:00|type=report|actor=b");  /* same instant, later row: latest */
    row(w, "events", "id=m1|time=2024-09-02T09:00|type=meeting|actor=x");
    row(w, "events", "id=r3|time=2024-09-02T10:00|type=report|actor=c");  /* same instant, earlier row: first */
    row(w, "events", "id=r4|time=2024-09-02T10:00|type=report|actor=d");
    run(w, NULL, NULL);
    expect(w, "m1 b c\n");
    world_free(w);
}

/* latest by a key with a strict limit, read backwards (SCAN_LAST): the
 * latest report of the meeting's actor strictly before it, whatever comes
 * later or belongs to another actor; the actor's meetings (in the same
 * index, not of the selected type) are skipped. m1 (a, 10:00): r2 (a, 09:00;
 * r3 is b's, r4 is at 10:00 itself); n1 (b, 11:30): r5 (b, 11:00); m2 (b,
 * 12:00): r5 again (n1 is a meeting); m3 (c): no report of c, no verdict. */
static void test_latest_by_key(void **state)
{
    (void)state;
    World *w = world("rule l { tags L clause \"c\" \"t\" severity must on m: meeting\n"
                     "  let c = latest(c: report where c.actor == m.actor and c.time < m.time)\n"
                     "  when present(c)\n"
                     "  require false\n"
                     "  subjects m.actor, c.id message \"x\" }\n");
    row(w, "events", "id=r1|time=2024-09-02T08:00|type=report|actor=a");
    row(w, "events", "id=r2|time=2024-09-02T09:00|type=report|actor=a");
    row(w, "events", "id=r3|time=2024-09-02T09:30|type=report|actor=b");
    row(w, "events", "id=r4|time=2024-09-02T10:00|type=report|actor=a");
    row(w, "events", "id=m1|time=2024-09-02T10:00|type=meeting|actor=a");
    row(w, "events", "id=r5|time=2024-09-02T11:00|type=report|actor=b");
    row(w, "events", "id=n1|time=2024-09-02T11:30|type=meeting|actor=b");
    row(w, "events", "id=m2|time=2024-09-02T12:00|type=meeting|actor=b");
    row(w, "events", "id=m3|time=2024-09-02T13:00|type=meeting|actor=c");
    run(w, NULL, NULL);
    expect(w, "m1 a r2\nn1 b r5\nm2 b r5\n");
    world_free(w);
}

/* A field in a set written out reads the union of the set's keys (SCAN_ANY_*),
 * merged as the scan goes (first) or whole before reading backwards (latest);
 * z's reports are outside the union. m1 (10:00): the latest a or b report
 * strictly before is r3 (b, 09:30; r4 is z's), the first strictly after is r7
 * (b, 11:00; r5 is at 10:00 itself, r6 is z's); m2 (11:30): r7 and r8. */
static void test_union_of_set_keys(void **state)
{
    (void)state;
    World *w = world("rule l { tags L clause \"c\" \"t\" severity must on m: meeting\n"
                     "  let c = latest(c: report where c.actor in {\"a\", \"b\"} and c.time < m.time)\n"
                     "  let f = first(f: report where f.actor in {\"a\", \"b\"} and f.time > m.time)\n"
                     "  require false\n"
                     "  subjects c.id, f.id message \"x\" }\n");
    row(w, "events", "id=r1|time=2024-09-02T08:00|type=report|actor=a");
    row(w, "events", "id=r2|time=2024-09-02T09:00|type=report|actor=z");
    row(w, "events", "id=r3|time=2024-09-02T09:30|type=report|actor=b");
    row(w, "events", "id=r4|time=2024-09-02T10:00|type=report|actor=z");
    row(w, "events", "id=m1|time=2024-09-02T10:00|type=meeting|actor=x");
    row(w, "events", "id=r5|time=2024-09-02T10:00|type=report|actor=a");
    row(w, "events", "id=r6|time=2024-09-02T10:30|type=report|actor=z");
    row(w, "events", "id=r7|time=2024-09-02T11:00|type=report|actor=b");
    row(w, "events", "id=m2|time=2024-09-02T11:30|type=meeting|actor=x");
    row(w, "events", "id=r8|time=2024-09-02T12:00|type=report|actor=a");
    row(w, "events", "id=r9|time=2024-09-02T12:30|type=report|actor=z");
    run(w, NULL, NULL);
    expect(w, "m1 r3 r7\nm2 r7 r8\n");
    world_free(w);
}

/* Pairs and identities: an unordered pair reached twice is one violation. */
static void test_pairs_identity(void **state)
{
    (void)state;
    World *w = world("rule p { tags P clause \"c\" \"t\" severity must every 校历 where kind == semester as 学\n"
                     "  for x in 班子成员 throughout 学, y in 班子成员 throughout 学 where x != y\n"
                     "  require exists(e: meeting where e.time in 学 and e.actor == x and y in e.targets)\n"
                     "  subjects x, y message \"x\" }\n");
    row(w, "calendar", "kind=semester|from=2024-09-02|to=2024-09-09");
    /* a: whole semester; b: from mid-semester (not judged); c: whole; d: two back-to-back rows (not whole) */
    row(w, "roster", "person=a|role=班子成员|from=|to=");
    row(w, "roster", "person=b|role=班子成员|from=2024-09-04|to=");
    row(w, "roster", "person=c|role=班子成员|from=2024-01-01|to=2024-09-09");
    row(w, "roster", "person=d|role=班子成员|from=2024-01-01|to=2024-09-05");
    row(w, "roster", "person=d|role=班子成员|from=2024-09-05|to=");
    row(w, "events", "id=e1|time=2024-09-02T09:00|type=meeting|actor=a|targets=c");
    row(w, "events", "id=e2|time=2024-09-09T09:00|type=meeting|actor=a");
    run(w, NULL, NULL);
    /* x,y over {a, c}: (a,c) met by e1; (c,a) fails but its identity {a, c} ... is the same set:
     * reported once because (c,a) -> subjects {a, c} */
    expect(w, "2024-09-02T00:00..2024-09-09T00:00 a c\n");
    world_free(w);
}

/* Units: each with its own roster and topics; calendar rows without a unit
 * apply to all; ranges are per unit; --unit selects one. */
static void test_units(void **state)
{
    (void)state;
    World *w = world("rule u { tags U clause \"c\" \"t\" severity must on m: meeting\n"
                     "  for T in m.topic\n"
                     "  when present(议题[T].lead)\n"
                     "  require 议题[T].lead in 书记 at m.time\n"
                     "  subjects T message \"x\" }\n");
    row(w, "roster", "person=p1|role=书记|from=|to=|unit=A");
    row(w, "roster", "person=p1|role=班子成员|from=|to=|unit=B");
    row(w, "topics", "topic=T1|lead=p1|unit=A");
    row(w, "topics", "topic=T1|lead=p1|unit=B");
    row(w, "topics", "topic=T2|lead=p2|unit=B");
    row(w, "topics", "topic=T2|lead=p1|unit=B");   /* the later row wins */
    row(w, "events", "id=m1|time=2024-09-02T09:00|type=meeting|topic=T1;T2|unit=A");  /* T2 has no row in A */
    row(w, "events", "id=m1|time=2024-09-03T09:00|type=meeting|topic=T1;;T2|unit=B"); /* ids are per unit */
    run(w, NULL, NULL);
    expect(w, "[B] m1 T1\n[B] m1 T2\n");
    run_result_free(&w->r);
    RunOptions opt = {0};
    opt.unit = "A";
    char err[100];
    assert_int_equal(engine_run(w->p, w->ds, &opt, &w->r, err, sizeof err), 0);
    assert_int_equal(w->r.n, 0);
    assert_int_equal(w->r.nunits, 1);
    world_free(w);
}

static void test_from_narrows_range(void **state)
{
    (void)state;
    World *w = world(weekly);
    row(w, "events", "id=e1|time=2024-09-02T10:00|type=meeting");
    row(w, "events", "id=e2|time=2024-09-30T10:00|type=meeting");
    run(w, "2024-09-16", NULL);
    /* R0 = 09-16: weeks 09-16 and 09-23 judged, both empty; e1 is outside the range */
    expect(w, "2024-09-16T00:00..2024-09-23T00:00\n2024-09-23T00:00..2024-09-30T00:00\n");
    world_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weeks_and_boundaries),
        cmocka_unit_test(test_vacation_exempts_overlapping_weeks),
        cmocka_unit_test(test_anchored_cycles),
        cmocka_unit_test(test_calendar_months_years_days),
        cmocka_unit_test(test_deadline_pending_and_as_of),
        cmocka_unit_test(test_latest_first_ties),
        cmocka_unit_test(test_latest_by_key),
        cmocka_unit_test(test_union_of_set_keys),
        cmocka_unit_test(test_pairs_identity),
        cmocka_unit_test(test_units),
        cmocka_unit_test(test_from_narrows_range),
        cmocka_unit_test(test_history_kept),
        cmocka_unit_test(test_earliest_lookup),
        cmocka_unit_test(test_earliest_out_of_order),
    };
    return cmocka_run_group_tests_name("engine", tests, NULL, NULL);
}
