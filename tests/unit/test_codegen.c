/* test_codegen.c - pins the exact instructions the code generator emits for
 * small rules (checked by hand against docs/bytecode.md's code shapes), and
 * checks that generated programs verify. */
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
#include "verify.h"

static const char base[] =
    "policy t { title \"t\" document \"d\" effective 2024-01-01 timezone \"+08:00\" }\n"
    "role 书记, 班子成员\n"
    "enum 日历类别 { semester, vacation }\n"
    "events \"events\" { id: id time: time type: text actor: person targets: list person ref: id topic: list id }\n"
    "event meeting { actor, targets, topic }\n"
    "event report { actor, targets, ref }\n"
    "roster 名册 \"roster\" { person: person role: role from: time to: time }\n"
    "calendar 校历 \"calendar\" { kind: 日历类别 from: time to: time }\n";

/* Checks and compiles base + rules. */
static Compilation *check_rules(const char *rules)
{
    size_t n = strlen(base) + strlen(rules) + 1;
    char *text = malloc(n);
    snprintf(text, n, "%s%s", base, rules);
    Compilation *c = compile_new();
    compile_check_text(c, "test.zd", text, strlen(text));
    free(text);
    return c;
}

/* Compiles base + rules and returns the program (NULL on any error). */
static Program *compile_rules(const char *rules)
{
    Compilation *c = check_rules(rules);
    Program *p = compile_take_program(c);
    if (c->diag.errors) diag_print_text(&c->diag, stderr, false);
    compile_free(c);
    return p;
}

/* Checks base + rules and returns the code of its first error (-1: none),
 * and whether a program was made. */
static int first_error(const char *rules, bool *made)
{
    Compilation *c = check_rules(rules);
    int code = -1;
    for (const Diag *g = c->diag.first; g && code < 0; g = g->next)
        if (diag_code_severity(g->code) == DIAG_ERROR) code = (int)g->code;
    *made = c->program != NULL;
    compile_free(c);
    return code;
}

/* "OP operands; ..." for function f: operands as the layout says, constants
 * by value, so the listing does not depend on constant numbering. */
static char *listing(const Program *p, uint32_t f)
{
    size_t cap = 8192, len = 0;
    char *out = calloc(1, cap);
    const ZFunc *fn = &p->funcs[f];
    for (uint32_t i = 0; i < fn->count; i++) {
        const Insn *in = &p->code[fn->start + i];
        const OpcodeInfo *info = &opcode_info[in->op];
        char ops[128] = "";
        switch (info->layout) {
        case LAYOUT_CONST: {
            const ZConst *k = &p->consts[in->c];
            if (k->kind == CONST_STR) snprintf(ops, sizeof ops, " \"%s\"", program_string(p, (uint32_t)k->value));
            else snprintf(ops, sizeof ops, " %lld", (long long)k->value);
            break;
        }
        case LAYOUT_PARAM: snprintf(ops, sizeof ops, " %s", program_string(p, p->params[in->c].name)); break;
        case LAYOUT_SLOT: case LAYOUT_FORMAT: snprintf(ops, sizeof ops, " %u", in->a); break;
        case LAYOUT_FIELD: snprintf(ops, sizeof ops, " .%s", program_string(p, p->log.fields[in->c].name)); break;
        case LAYOUT_TFIELD: snprintf(ops, sizeof ops, " %u.%u", in->b, in->c); break;
        case LAYOUT_TABLE: case LAYOUT_COUNT: case LAYOUT_EMIT: snprintf(ops, sizeof ops, " %u", in->b); break;
        case LAYOUT_JUMP: case LAYOUT_LOOP: snprintf(ops, sizeof ops, " %u", in->c); break;
        case LAYOUT_ITER: snprintf(ops, sizeof ops, " %u %u", in->a, in->c); break;
        case LAYOUT_SCAN: snprintf(ops, sizeof ops, " %u %llx", in->a, (unsigned long long)p->consts[in->c].value); break;
        case LAYOUT_SCANF:
            snprintf(ops, sizeof ops, " %u .%s %llx", in->a, program_string(p, p->log.fields[in->b].name),
                     (unsigned long long)p->consts[in->c].value);
            break;
        case LAYOUT_SLOTF: snprintf(ops, sizeof ops, " %u .%s", in->a, program_string(p, p->log.fields[in->b].name)); break;
        case LAYOUT_TRACE: snprintf(ops, sizeof ops, " %u %u", in->a, in->c); break;
        case LAYOUT_ROWS: snprintf(ops, sizeof ops, " %u %u", in->a, in->b); break;
        case LAYOUT_EARLY:
            snprintf(ops, sizeof ops, " %u %llx %llx", in->a, (unsigned long long)p->consts[in->b].value,
                     (unsigned long long)p->consts[in->c].value);
            break;
        case LAYOUT_NONE: break;
        }
        len += (size_t)snprintf(out + len, cap - len, "%s%s%s", i ? "; " : "", info->name, ops);
    }
    return out;
}

static void assert_body(const char *rules, uint32_t func, const char *expected)
{
    Program *p = compile_rules(rules);
    assert_non_null(p);
    char err[256];
    assert_int_equal(verify_program(p, err, sizeof err), 0);
    assert_true(func < p->nfuncs);
    char *got = listing(p, func);
    if (strcmp(got, expected)) fprintf(stderr, "expected: %s\n     got: %s\n", expected, got);
    assert_string_equal(got, expected);
    free(got);
    program_free(p);
}

static void test_simple_require(void **state)
{
    (void)state;
    assert_body("rule r { tags T clause \"1\" \"x\" severity must on m: meeting require present(m.actor) message \"m\" }\n", 0,
                "LOAD 0; EV_FIELD .actor; PRESENT; JUMP_IF_TRUE 8; MAKE_LIST 0; MAKE_LIST 0; CONST \"m\"; VIOLATE 1; RETURN");
}

static void test_loop_exists_deadline(void **state)
{
    (void)state;
    assert_body("param 时限: duration = 2h\n"
                "rule r { tags T clause \"1\" \"x\" severity must\n"
                "  on m: meeting\n"
                "  for x in m.targets where x != m.actor\n"
                "  require exists(r: report where r.ref == m.id and x in r.targets)\n"
                "  deadline m.time + 时限\n"
                "  subjects x\n"
                "  evidence m\n"
                "  message \"{x}\" }\n",
                0,
                /* for x in m.targets where x != m.actor */
                "LOAD 0; EV_FIELD .targets; ITER_INIT 1; ITER_NEXT 1 61; "
                "LOAD 1; LOAD 0; EV_FIELD .actor; NE; JUMP_IF_FALSE 60; "
                /* exists(...): indexed on ref = m.id, no time limit (MISSING); the other key
                 * (x in r.targets, its operand pushed first) narrows it at run time */
                "FALSE; STORE 3; LOAD 1; LOAD 0; EV_FIELD .id; MISSING; SCAN_INIT_EQ 4 .ref 2; SCAN_ALSO_EQ 4 .targets; "
                "SCAN_NEXT 4 35; "
                "LOAD 4; EV_FIELD .ref; LOAD 0; EV_FIELD .id; EQ; JUMP_IF_FALSE 29; "
                "LOAD 1; LOAD 4; EV_FIELD .targets; IN; JUMP 30; FALSE; "
                "JUMP_IF_FALSE 34; TRUE; STORE 3; JUMP 35; LOOP 17; LOAD 3; "
                /* require: met -> next x */
                "JUMP_IF_TRUE 60; "
                /* deadline in the future -> pending */
                "LOAD 0; EV_FIELD .time; PARAM 时限; ADD; PAST_END; JUMP_IF_TRUE 52; "
                "LOAD 1; MAKE_LIST 1; LOAD 0; EV_FIELD .id; MAKE_LIST 1; LOAD 1; TO_TEXT 1; VIOLATE 1; JUMP 60; "
                "LOAD 1; MAKE_LIST 1; LOAD 0; EV_FIELD .id; MAKE_LIST 1; LOAD 1; TO_TEXT 1; PENDING 1; "
                "LOOP 3; RETURN");
}

/* An exists of pinned fields and an upper time bound (plan_earliest): its
 * keys in field order (actor before targets before ref, whatever the order
 * written), the bound, one EARLIEST (a: 3 keys, | 0x80 for `<`; b: the
 * fields actor 3, targets 4, ref 5; c: the report type, 2); no scan, no
 * retention entry. */
static void test_earliest_lookup(void **state)
{
    (void)state;
    const char *rules = "rule r { tags T clause \"1\" \"x\" severity must on m: meeting\n"
                        "  for x in m.targets\n"
                        "  require exists(r: report where r.ref == m.id and x in r.targets and r.time < m.time and r.actor == m.actor)\n"
                        "  message \"x\" }\n";
    assert_body(rules, 0,
                "LOAD 0; EV_FIELD .targets; ITER_INIT 1; ITER_NEXT 1 18; "
                "LOAD 0; EV_FIELD .actor; LOAD 1; LOAD 0; EV_FIELD .id; LOAD 0; EV_FIELD .time; EARLIEST 131 38 2; "
                "JUMP_IF_TRUE 17; MAKE_LIST 0; MAKE_LIST 0; CONST \"x\"; VIOLATE 1; LOOP 3; RETURN");
    Program *p = compile_rules(rules);
    assert_non_null(p);
    assert_int_equal(p->nretains, 0);
    program_free(p);
}

static void test_periodic_with_exemption(void **state)
{
    (void)state;
    const char *rule = "rule w { tags T clause \"1\" \"x\" severity must\n"
                       "  every week as 周\n"
                       "  unless overlaps 校历 where kind == vacation\n"
                       "  require count(m: meeting where m.time in 周) >= 1\n"
                       "  message \"{周}\" }\n";
    /* f0: the exemption filter over calendar rows */
    assert_body(rule, 0, "LOAD 0; ROW_FIELD 1.0; CONST \"vacation\"; EQ; RETURN_VALUE");
    /* f1: count over the week's meetings, scanned by time range */
    assert_body(rule, 1,
                "CONST 0; STORE 1; LOAD 0; MISSING; SCAN_INIT_IN 2 1; SCAN_NEXT 2 16; "
                "LOAD 2; EV_FIELD .time; LOAD 0; IN_PERIOD; JUMP_IF_FALSE 15; "
                "LOAD 1; CONST 1; ADD; STORE 1; LOOP 5; LOAD 1; CONST 1; GE; JUMP_IF_TRUE 25; "
                "MAKE_LIST 0; MAKE_LIST 0; LOAD 0; TO_TEXT 3; VIOLATE 1; RETURN");
}

static void test_periodic_only_within(void **state)
{
    (void)state;
    /* the `only within` test first in the body (docs/bytecode.md): exists over
     * the calendar's rows, the row in slot 2, its field kind bare (ROW_FIELD
     * 1.0), the period against the row (ROW_WITHIN); false -> LEAVE_OUT, RETURN */
    assert_body("rule w { tags T clause \"1\" \"x\" severity must\n"
                "  every week as 周\n"
                "  only within 校历 where kind == semester\n"
                "  require 周.from < 周.to\n"
                "  message \"m\" }\n",
                0,
                "FALSE; STORE 1; ROWS_INIT 2 1; ROWS_NEXT 2 19; "
                "LOAD 2; ROW_FIELD 1.0; CONST \"semester\"; EQ; JUMP_IF_FALSE 13; LOAD 0; LOAD 2; ROW_WITHIN; JUMP 14; FALSE; "
                "JUMP_IF_FALSE 18; TRUE; STORE 1; JUMP 19; LOOP 3; LOAD 1; JUMP_IF_TRUE 23; LEAVE_OUT; RETURN; "
                "LOAD 0; PERIOD_FROM; LOAD 0; PERIOD_TO; LT; JUMP_IF_TRUE 33; "
                "MAKE_LIST 0; MAKE_LIST 0; CONST \"m\"; VIOLATE 1; RETURN");
}

static void test_key_and_period_scan(void **state)
{
    (void)state;
    /* a key (actor) and a period together: the key's events narrowed to the period */
    assert_body("rule k { tags T clause \"1\" \"x\" severity must every week as w\n"
                "  require exists(m: meeting where m.actor == \"p1\" and m.time in w) message \"x\" }\n",
                0,
                "FALSE; STORE 1; CONST \"p1\"; LOAD 0; MISSING; SCAN_INIT_EQ_IN 2 .actor 1; SCAN_NEXT 2 23; "
                "LOAD 2; EV_FIELD .actor; CONST \"p1\"; EQ; JUMP_IF_FALSE 17; LOAD 2; EV_FIELD .time; LOAD 0; IN_PERIOD; JUMP 18; FALSE; "
                "JUMP_IF_FALSE 22; TRUE; STORE 1; JUMP 23; LOOP 6; LOAD 1; JUMP_IF_TRUE 29; "
                "MAKE_LIST 0; MAKE_LIST 0; CONST \"x\"; VIOLATE 1; RETURN");
}

static void test_latest_and_pending_when(void **state)
{
    (void)state;
    assert_body("rule l { tags T clause \"1\" \"x\" severity must\n"
                "  on m: meeting\n"
                "  let c = latest(c: report where c.time <= m.time)\n"
                "  when present(c) else pending\n"
                "  require c.actor == m.actor\n"
                "  message \"x\" }\n",
                0,
                /* the scan is limited by m.time (c.time <= m.time) and read backwards from there */
                "MISSING; STORE 1; LOAD 0; EV_FIELD .time; SCAN_INIT 2 2; SCAN_LAST 2; SCAN_NEXT 2 17; "
                "LOAD 2; EV_FIELD .time; LOAD 0; EV_FIELD .time; LE; JUMP_IF_FALSE 16; "
                /* the first match backwards is the latest (ties: the later row): take it and stop */
                "LOAD 2; STORE 1; JUMP 17; LOOP 6; LOAD 1; STORE 4; "
                /* when present(c) else pending */
                "LOAD 4; PRESENT; JUMP_IF_TRUE 27; MAKE_LIST 0; MAKE_LIST 0; CONST \"x\"; PENDING 1; JUMP 37; "
                "LOAD 4; EV_FIELD .actor; LOAD 0; EV_FIELD .actor; EQ; JUMP_IF_TRUE 37; "
                "MAKE_LIST 0; MAKE_LIST 0; CONST \"x\"; VIOLATE 1; RETURN");
}

static void test_definition_inlined_and_roles(void **state)
{
    (void)state;
    assert_body("def 领导(t: time) = 书记 at t\n"
                "rule d { tags T clause \"1\" \"x\" severity must\n"
                "  on m: meeting\n"
                "  require m.actor in 领导(m.time) | 班子成员 at m.time\n"
                "  message \"x\" }\n",
                0,
                "LOAD 0; EV_FIELD .actor; LOAD 0; EV_FIELD .time; STORE 1; CONST \"书记\"; LOAD 1; ROLE_AT 0; "
                "CONST \"班子成员\"; LOAD 0; EV_FIELD .time; ROLE_AT 0; UNION; IN; JUMP_IF_TRUE 19; "
                "MAKE_LIST 0; MAKE_LIST 0; CONST \"x\"; VIOLATE 1; RETURN");
}

static void test_pairs_and_or(void **state)
{
    (void)state;
    assert_body("rule p { tags T clause \"1\" \"x\" severity must\n"
                "  every year as y\n"
                "  for {a, b} in 班子成员 throughout y\n"
                "  require a == b or b == a\n"
                "  subjects a, b\n"
                "  message \"x\" }\n",
                0,
                "CONST \"班子成员\"; LOAD 0; ROLE_OVER 0; PAIR_INIT 1; PAIR_NEXT 1 24; "
                /* a == b or b == a: a == b; JUMP_IF_TRUE Lt; b == a; JUMP Lend; Lt: TRUE; Lend: */
                "LOAD 1; LOAD 2; EQ; JUMP_IF_TRUE 13; LOAD 2; LOAD 1; EQ; JUMP 14; TRUE; JUMP_IF_TRUE 23; "
                "LOAD 1; MAKE_LIST 1; LOAD 2; MAKE_LIST 1; UNION; MAKE_LIST 0; CONST \"x\"; VIOLATE 1; LOOP 4; RETURN");
}

static void test_rule_table(void **state)
{
    (void)state;
    Program *p = compile_rules("param n: int = 3\n"
                               "rule a { tags A, B.c clause \"一(二)\" \"文本\" severity in-principle every n weeks from 2024-09-02 as w\n"
                               "  require count(m: meeting where m.time in w) >= n message \"{w}\" }\n");
    assert_non_null(p);
    assert_int_equal(p->nrules, 1);
    const ZRule *r = &p->rules[0];
    assert_int_equal(r->ntags, 2);
    assert_string_equal(program_string(p, r->tags[1]), "B.c");
    assert_string_equal(program_string(p, r->clauses[0].id), "一(二)");
    assert_string_equal(program_string(p, r->clauses[0].text), "文本");
    assert_int_equal(r->severity, 2);
    assert_int_equal(r->periodic, 1);
    assert_int_equal(r->period, ZP_WEEKS);
    assert_int_equal(r->weeks, 3);
    assert_int_equal(r->anchor, ZA_TIME);
    /* 2024-09-02 00:00 at +08:00 is 2024-09-01T16:00Z = 1725235200 - 8 h */
    assert_int_equal(p->consts[r->anchor_const].value, 1725235200 - 8 * 3600);
    assert_int_equal(r->line, 10);
    program_free(p);
}

/* What a streaming run keeps for each scan (ZRetain): the event types, a
 * filter made of the conjuncts that read only the scanned event, and from
 * when: the trigger's time (`c.time >= e.time - 1d`), the period (`in w`) or the
 * beginning. And `first` stops at its first match (scans run in time order). */
/* Of events alike in the fields a selection reads: `exists` and `first`
 * limited only from above keep the earliest; `latest` limited by its
 * trigger's time keeps the latest; reading the time elsewhere, a bare use,
 * `count` or another limit keep them all. */
static void test_retention_pick(void **state)
{
    (void)state;
    Program *p = compile_rules("rule a { tags T clause \"1\" \"x\" severity must on m: meeting\n"
                               "  require exists(c: report where c.ref == \"r1\" and c.time <= m.time)\n"
                               "      and present(latest(c: report where m.actor in c.targets and c.time <= m.time))\n"
                               "      and present(latest(c: report where c.actor == m.actor and c.time <= m.time - 1d))\n"
                               "      and count(c: report where c.actor == m.actor) > 1\n"
                               "      and exists(c: report where c.actor in 书记 at c.time)\n"
                               "      and exists(c: meeting where c.time <= m.time and c != m)\n"
                               "  message \"x\" }\n");
    assert_non_null(p);
    char err[256];
    if (verify_program(p, err, sizeof err)) fail_msg("%s", err);
    assert_int_equal(p->nretains, 6);
    const ZRetain *z = p->retains;
    assert_int_equal(z[0].pick, ZK_EARLIEST);
    assert_int_equal(z[0].fields, 1u << 5); /* ref */
    assert_int_equal(z[1].pick, ZK_LATEST);
    assert_int_equal(z[1].fields, 1u << 4); /* targets */
    assert_int_equal(z[2].pick, ZK_ALL);    /* limited by m.time - 1d */
    assert_int_equal(z[3].pick, ZK_ALL);    /* count */
    assert_int_equal(z[4].pick, ZK_ALL);    /* c.time read by the role */
    assert_int_equal(z[5].pick, ZK_ALL);    /* c used bare */
    for (int i = 0; i < 6; i++) assert_int_equal(z[i].kind, ZR_ALWAYS);
    program_free(p);
    /* a strict limit: latest keeps every event (the one just before the
     * trigger's time may be needed); a definition that selects events is
     * no filter and allows no pick; a `let` hides the parameter of an offset */
    p = compile_rules("param W: duration = 1h\n"
                      "def reported(x: event) = exists(r: report where r.ref == x.id)\n"
                      "rule s { tags T clause \"1\" \"x\" severity must on m: meeting\n"
                      "  let W = 30d\n"
                      "  require present(latest(c: report where c.actor == m.actor and c.time < m.time))\n"
                      "      and exists(c: meeting where c.actor == \"p1\" and reported(c))\n"
                      "      and exists(r: report where r.time >= m.time - W)\n"
                      "  message \"x\" }\n");
    assert_non_null(p);
    if (verify_program(p, err, sizeof err)) fail_msg("%s", err);
    assert_int_equal(p->nretains, 4); /* latest, exists (meeting), the definition's exists (report), exists (report) */
    assert_int_equal(p->retains[0].pick, ZK_ALL);
    assert_int_equal(p->retains[1].pick, ZK_ALL);
    assert_int_not_equal(p->retains[1].filter, ZNONE); /* c.actor == "p1" only */
    char *filter = listing(p, p->retains[1].filter);
    assert_null(strstr(filter, "SCAN"));
    free(filter);
    assert_int_equal(p->retains[3].kind, ZR_ALWAYS); /* m.time - W, with W the local 30d: not recognised */
    program_free(p);
    /* a selection named like the trigger hides it: `m.time >= m.time` bounds nothing */
    p = compile_rules("rule h { tags T clause \"1\" \"x\" severity must on m: meeting\n"
                      "  require exists(m: report where m.time >= m.time) message \"x\" }\n");
    assert_non_null(p);
    assert_int_equal(p->nretains, 1);
    assert_int_equal(p->retains[0].kind, ZR_ALWAYS);
    assert_int_equal(p->retains[0].pick, ZK_ALL); /* it reads its time */
    program_free(p);
}

static void test_retention_and_first(void **state)
{
    (void)state;
    Program *p = compile_rules("rule f { tags T clause \"1\" \"x\" severity must on e: report\n"
                               "  let m = first(m: meeting where m.time > e.time and m.actor == \"p1\")\n"
                               "  when present(m) else pending\n"
                               "  require exists(c: report where c.ref == e.id and c.time >= e.time - 1d)\n"
                               "  message \"x\" }\n"
                               "rule w { tags T clause \"1\" \"x\" severity must every week as w\n"
                               "  require exists(m: meeting where m.time in w and m.actor == \"p1\")\n"
                               "       or exists(r: report where r.actor == \"p2\")\n"
                               "  message \"x\" }\n");
    assert_non_null(p);
    char err[256];
    assert_int_equal(verify_program(p, err, sizeof err), 0);
    assert_int_equal(p->nretains, 4);
    const ZRetain *z = p->retains;
    /* rule f: meetings after the trigger with actor p1; reports after the trigger, all */
    assert_int_equal(z[0].rule, 0);
    assert_int_equal(z[0].mask, 1); /* meeting */
    assert_int_equal(z[0].kind, ZR_TRIGGER);
    assert_int_not_equal(z[0].filter, ZNONE);
    char *f = listing(p, z[0].filter);
    assert_string_equal(f, "LOAD 0; EV_FIELD .actor; CONST \"p1\"; EQ; JUMP_IF_FALSE 7; TRUE; RETURN_VALUE; FALSE; RETURN_VALUE");
    free(f);
    assert_int_equal(z[1].mask, 2); /* report */
    assert_int_equal(z[1].kind, ZR_TRIGGER);
    assert_int_equal(z[0].offset, 0);
    assert_int_equal(z[1].offset, -86400);
    assert_int_equal(z[1].filter, ZNONE); /* c.ref == e.id reads the trigger */
    /* rule w: the week's meetings of p1; reports of p2 from the beginning */
    assert_int_equal(z[2].rule, 1);
    assert_int_equal(z[2].kind, ZR_PERIOD);
    assert_int_not_equal(z[2].filter, ZNONE);
    assert_int_equal(z[3].mask, 2);
    assert_int_equal(z[3].kind, ZR_ALWAYS);
    assert_int_not_equal(z[3].filter, ZNONE);
    /* only rule w's report entry is kept from the beginning: an exists read
     * through actor alone keeps the earliest report of each actor */
    assert_int_equal(z[0].pick, ZK_ALL);
    assert_int_equal(z[2].pick, ZK_ALL);
    assert_int_equal(z[3].pick, ZK_EARLIEST);
    assert_int_equal(z[3].fields, 1u << 3); /* actor: the log's fourth field */
    /* first: after taking the match, jump out of the scan */
    char *body = listing(p, p->rules[0].body);
    assert_non_null(strstr(body, "LOAD 2; STORE 1; JUMP "));
    free(body);
    program_free(p);
}

/* The reproductions of the format's limits: refused by checking (which
 * generates the code too), with their own codes, and no program made. */
static void test_limits_refused(void **state)
{
    (void)state;
    static const struct { const char *rules; int code; } cases[] = {
        /* overflowed the engine's trigger time + offset */
        {"rule r { tags T clause \"1\" \"x\" severity must on e: meeting\n"
         " require exists(x: report where x.time >= e.time + 9223372036854775807s) subjects e.actor message \"x\" }\n",
         DIAG_E0401},
        /* a retention offset the verifier refuses */
        {"rule r { tags T clause \"1\" \"x\" severity must on e: meeting\n"
         " require exists(x: report where x.time >= e.time - 10000000d) subjects e.actor message \"x\" }\n",
         DIAG_E0401},
        {"rule r { tags T clause \"1\" \"x\" severity must every 2 weeks from 0001-01-01 as p\n"
         " require not exists(x: report where x.time in p) message \"x\" }\n",
         DIAG_E0400},
        {"param start: time = 0000-01-01\n", DIAG_E0400},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bool made = true;
        int code = first_error(cases[i].rules, &made);
        if (code != cases[i].code) fail_msg("case %zu: first error %s, expected %s", i, code < 0 ? "none" : diag_code_name((DiagCode)code),
                                            diag_code_name((DiagCode)cases[i].code));
        assert_false(made);
    }
}

/* 257 `when` clauses: each jumps to the RETURN; no fixed table of jumps. */
static void test_many_when(void **state)
{
    (void)state;
    size_t cap = 32768, len = 0;
    char *rules = malloc(cap);
    len += (size_t)snprintf(rules + len, cap - len, "rule r { tags T clause \"1\" \"x\" severity must on e: meeting\n");
    for (int i = 0; i < 257; i++) len += (size_t)snprintf(rules + len, cap - len, " when e.actor != \"p%d\"\n", i);
    snprintf(rules + len, cap - len, " require e.targets != {} subjects e.actor message \"x\" }\n");
    Program *p = compile_rules(rules);
    free(rules);
    assert_non_null(p);
    const ZFunc *body = &p->funcs[p->rules[0].body];
    uint32_t ret = body->count - 1;
    assert_int_equal(p->code[body->start + ret].op, ZOP_RETURN);
    int jumps = 0;
    for (uint32_t i = 0; i < body->count; i++)
        if (p->code[body->start + i].op == ZOP_JUMP_IF_FALSE) {
            assert_int_equal(p->code[body->start + i].c, ret);
            jumps++;
        }
    assert_int_equal(jumps, 257);
    program_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple_require),
        cmocka_unit_test(test_loop_exists_deadline),
        cmocka_unit_test(test_earliest_lookup),
        cmocka_unit_test(test_periodic_with_exemption),
        cmocka_unit_test(test_key_and_period_scan),
        cmocka_unit_test(test_latest_and_pending_when),
        cmocka_unit_test(test_definition_inlined_and_roles),
        cmocka_unit_test(test_pairs_and_or),
        cmocka_unit_test(test_rule_table),
        cmocka_unit_test(test_retention_and_first),
        cmocka_unit_test(test_retention_pick),
        cmocka_unit_test(test_limits_refused),
        cmocka_unit_test(test_many_when),
        cmocka_unit_test(test_periodic_only_within),
    };
    return cmocka_run_group_tests_name("codegen", tests, NULL, NULL);
}
