/* test_lexer_parser.c - the scanner (compiler/lexer.l), the grammar
 * (compiler/parser.y) and comment attachment (compiler/parse.c), driven
 * through parse_source on small texts. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lexer.h"

typedef struct Fixture {
    Arena arena;
    DiagEngine diag;
} Fixture;

static int setup(void **state)
{
    Fixture *f = calloc(1, sizeof *f);
    if (!f) return -1;
    arena_init(&f->arena);
    diag_init(&f->diag, &f->arena);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    Fixture *f = *state;
    arena_free(&f->arena);
    free(f);
    return 0;
}

static AstFile *parse_n(Fixture *f, const char *text, size_t len)
{
    Source *src = source_from_memory(&f->arena, "t.zd", text, len);
    AstFile *file = parse_source(&f->arena, &f->diag, src);
    assert_non_null(file);
    return file;
}

static AstFile *parse(Fixture *f, const char *text) { return parse_n(f, text, strlen(text)); }

static int count_code(Fixture *f, DiagCode code)
{
    int n = 0;
    for (Diag *g = f->diag.first; g; g = g->next) n += g->code == code;
    return n;
}

static Diag *first_with(Fixture *f, DiagCode code)
{
    for (Diag *g = f->diag.first; g; g = g->next)
        if (g->code == code) return g;
    return NULL;
}

static void dump_diags(Fixture *f)
{
    diag_print_text(&f->diag, stderr, false);
}

static void expect_clean(Fixture *f)
{
    if (f->diag.errors || f->diag.warnings) {
        dump_diags(f);
        fail_msg("expected no diagnostics, got %d errors and %d warnings", f->diag.errors, f->diag.warnings);
    }
}

/* Parses "param p = EXPR" and returns the expression. */
static Expr *parse_expr(Fixture *f, const char *expr)
{
    char *text = arena_printf(&f->arena, "param p = %s\n", expr);
    AstFile *file = parse(f, text);
    expect_clean(f);
    assert_int_equal(file->decls.len, 1);
    assert_int_equal(file->decls.items[0]->kind, D_PARAM);
    Expr *e = file->decls.items[0]->expr;
    assert_non_null(e);
    return e;
}

/* A compact rendering of an expression tree: (op a b), name, 7200, {a b}, ... */
static void show(Arena *a, char **out, const Expr *e);

static const char *op_name(ExprOp op)
{
    switch (op) {
    case OP_OR: return "or";
    case OP_AND: return "and";
    case OP_NOT: return "not";
    case OP_NEG: return "neg";
    case OP_EQ: return "==";
    case OP_NE: return "!=";
    case OP_LT: return "<";
    case OP_LE: return "<=";
    case OP_GT: return ">";
    case OP_GE: return ">=";
    case OP_IN: return "in";
    case OP_NOT_IN: return "not-in";
    case OP_UNION: return "|";
    case OP_INTER: return "&";
    case OP_MINUS: return "-";
    case OP_PLUS: return "+";
    default: return "?";
    }
}

static void append(Arena *a, char **out, const char *s) { *out = arena_printf(a, "%s%s", *out, s); }

static void show(Arena *a, char **out, const Expr *e)
{
    if (!e) { append(a, out, "NULL"); return; }
    switch (e->kind) {
    case EX_NAME: append(a, out, e->name); break;
    case EX_STRING: append(a, out, arena_printf(a, "\"%s\"", e->text)); break;
    case EX_INT: append(a, out, arena_printf(a, "%lld", (long long)e->ival)); break;
    case EX_DURATION: append(a, out, arena_printf(a, "%llds", (long long)e->ival)); break;
    case EX_TIME: append(a, out, "TIME"); break;
    case EX_BOOL: append(a, out, e->ival ? "true" : "false"); break;
    case EX_FIELD: append(a, out, "(. "); show(a, out, e->lhs); append(a, out, arena_printf(a, " %s)", e->name)); break;
    case EX_INDEX: append(a, out, "([] "); show(a, out, e->lhs); append(a, out, " "); show(a, out, e->rhs); append(a, out, ")"); break;
    case EX_CALL:
        append(a, out, "(call ");
        if (e->lhs) { show(a, out, e->lhs); append(a, out, "."); }
        append(a, out, e->name);
        for (int i = 0; i < e->args.len; i++) { append(a, out, " "); show(a, out, e->args.items[i]); }
        append(a, out, ")");
        break;
    case EX_UNARY: append(a, out, arena_printf(a, "(%s ", op_name(e->op))); show(a, out, e->lhs); append(a, out, ")"); break;
    case EX_BINARY:
        append(a, out, arena_printf(a, "(%s ", op_name(e->op)));
        show(a, out, e->lhs);
        append(a, out, " ");
        show(a, out, e->rhs);
        append(a, out, ")");
        break;
    case EX_SET:
        append(a, out, "{");
        for (int i = 0; i < e->args.len; i++) { if (i) append(a, out, " "); show(a, out, e->args.items[i]); }
        append(a, out, "}");
        break;
    case EX_ROLE_AT: append(a, out, "(at "); show(a, out, e->lhs); append(a, out, " "); show(a, out, e->rhs); append(a, out, ")"); break;
    case EX_ROLE_OVER: append(a, out, "(throughout "); show(a, out, e->lhs); append(a, out, " "); show(a, out, e->rhs); append(a, out, ")"); break;
    case EX_WINDOW: append(a, out, "(.. "); show(a, out, e->lhs); append(a, out, " "); show(a, out, e->rhs); append(a, out, ")"); break;
    case EX_SELECT: {
        static const char *k[] = {"exists", "count", "latest", "first"};
        append(a, out, arena_printf(a, "(%s %s:", k[e->select], e->name));
        for (int i = 0; i < e->types.len; i++) append(a, out, arena_printf(a, "%s%s", i ? "|" : "", e->types.names[i]));
        if (e->rhs) { append(a, out, " "); show(a, out, e->rhs); }
        append(a, out, ")");
        break;
    }
    }
}

static void assert_tree(Fixture *f, const char *expr, const char *want)
{
    Expr *e = parse_expr(f, expr);
    char *got = "";
    show(&f->arena, &got, e);
    if (strcmp(got, want)) fail_msg("%s parsed as %s, expected %s", expr, got, want);
}

/* ---- declarations ------------------------------------------------------------------- */

static const char all_decls[] =
    "policy gxnu { title \"t\" document \"d\" effective 2018-01-01 timezone \"+08:00\" units \"unit\" }\n"
    "role 书记, 校长\n"
    "body 碰头会, 常委会 = \"党委常委会\"\n"
    "enum 方式 { 个别交流, 通报, }\n"
    "events \"events\" { id: id time: time type: text actor: person targets: list person kind: text }\n"
    "event meeting = \"mtg\" { actor, targets, kind: body }\n"
    "roster 名册 \"roster\" { person: person role: role from: time to: time }\n"
    "table 议题 \"topics\" key topic { topic: id lead?: person = \"lead_person\" }\n"
    "calendar 校历 \"calendar\" { kind: text from: time to: time }\n"
    "param 时限: duration = 2h\n"
    "param 文号 = \"x\"\n"
    "def 主要(t: time, x: person) = 书记 at t\n"
    "rule r { tags A message \"m\" }\n"
    "rename role 书记 to 院党委书记\n"
    "rename body 碰头会 to 例会\n"
    "set 时限 = 1h\n"
    "override rule r { message \"n\" }\n"
    "replace rule r { tags B }\n"
    "disable rule r because \"why\"\n";

static void test_decl_kinds_and_names(void **state)
{
    Fixture *f = *state;
    AstFile *file = parse(f, all_decls);
    expect_clean(f);
    static const struct { DeclKind kind; const char *name; } want[] = {
        {D_POLICY, "gxnu"}, {D_ROLE, NULL}, {D_BODY, NULL}, {D_ENUM, "方式"}, {D_EVENTS, NULL}, {D_EVENT, "meeting"},
        {D_ROSTER, "名册"}, {D_TABLE, "议题"}, {D_CALENDAR, "校历"}, {D_PARAM, "时限"}, {D_PARAM, "文号"},
        {D_DEF, "主要"}, {D_RULE, "r"}, {D_RENAME, "书记"}, {D_RENAME, "碰头会"}, {D_SET, "时限"},
        {D_OVERRIDE, "r"}, {D_REPLACE, "r"}, {D_DISABLE, "r"},
    };
    assert_int_equal(file->decls.len, (int)(sizeof want / sizeof want[0]));
    for (int i = 0; i < file->decls.len; i++) {
        Decl *d = file->decls.items[i];
        if (d->kind != want[i].kind)
            fail_msg("decl %d is %s, expected %s", i, decl_kind_name(d->kind), decl_kind_name(want[i].kind));
        if (want[i].name) assert_string_equal(d->name, want[i].name);
    }
    Decl **d = file->decls.items;
    /* header */
    assert_int_equal(d[0]->nentries, 5);
    assert_string_equal(d[0]->entries[2]->key, "effective");
    assert_int_equal(d[0]->entries[2]->value->kind, EX_TIME);
    assert_string_equal(d[0]->entries[4]->value->text, "unit");
    /* members and their log values */
    assert_int_equal(d[1]->members.len, 2);
    assert_string_equal(d[1]->members.items[1]->name, "校长");
    assert_string_equal(d[1]->members.items[1]->value, "校长");
    assert_string_equal(d[2]->members.items[1]->name, "常委会");
    assert_string_equal(d[2]->members.items[1]->value, "党委常委会");
    assert_int_equal(d[3]->members.len, 2); /* trailing comma allowed */
    /* bindings */
    assert_string_equal(d[4]->text, "events");
    assert_int_equal(d[4]->fields.len, 6);
    assert_true(d[4]->fields.items[4]->type->is_list);
    assert_string_equal(d[4]->fields.items[4]->type->name, "person");
    assert_string_equal(d[5]->text, "mtg");
    assert_int_equal(d[5]->fields.len, 3);
    assert_null(d[5]->fields.items[0]->type);
    assert_string_equal(d[5]->fields.items[2]->type->name, "body");
    assert_string_equal(d[6]->text, "roster");
    assert_string_equal(d[6]->fields.items[1]->type->name, "role");
    assert_string_equal(d[7]->key, "topic");
    assert_true(d[7]->fields.items[1]->optional);
    assert_string_equal(d[7]->fields.items[1]->column, "lead_person");
    assert_string_equal(d[7]->fields.items[0]->column, "topic");
    /* params and defs */
    assert_string_equal(d[9]->type->name, "duration");
    assert_null(d[10]->type);
    assert_int_equal(d[11]->params.len, 2);
    assert_string_equal(d[11]->params.items[1]->name, "x");
    assert_int_equal(d[11]->expr->kind, EX_ROLE_AT);
    /* adaptation */
    assert_int_equal(d[13]->rename_what, D_ROLE);
    assert_string_equal(d[13]->new_name, "院党委书记");
    assert_int_equal(d[14]->rename_what, D_BODY);
    assert_string_equal(d[14]->new_name, "例会");
    assert_int_equal(d[15]->expr->ival, 3600);
    assert_int_equal(d[16]->clauses.len, 1);
    assert_int_equal(d[16]->clauses.items[0]->kind, CL_MESSAGE);
    assert_int_equal(d[17]->clauses.items[0]->kind, CL_TAGS);
    assert_string_equal(d[18]->text, "why");
}

static void test_rule_clause_kinds(void **state)
{
    Fixture *f = *state;
    AstFile *file = parse(f,
                          "rule r {\n"
                          "  tags O1, O2.monday, \"x y\"\n"
                          "  clause \"三(一)\" \"text\"\n"
                          "  severity in-principle\n"
                          "  every 2 weeks from 校历 where kind == cycle_anchor as 周期\n"
                          "  unless overlaps 校历 where kind == vacation\n"
                          "  for s in 书记 throughout 周期, {x, y} in 班子 where x != y\n"
                          "  let c = latest(c: consultation or meeting where c.time <= now)\n"
                          "  when present(c) else pending\n"
                          "  require c.outcome != disagree\n"
                          "  deadline c.time + 72h\n"
                          "  subjects s, x\n"
                          "  evidence c\n"
                          "  message \"{s}\"\n"
                          "}\n"
                          "rule q { severity 须 on m: meeting every day every week every month every year every 校历 as 学期 }\n");
    expect_clean(f);
    assert_int_equal(file->decls.len, 2);
    Decl *r = file->decls.items[0];
    static const ClauseKind want[] = {CL_TAGS, CL_CLAUSE, CL_SEVERITY, CL_EVERY, CL_UNLESS, CL_FOR, CL_LET,
                                      CL_WHEN, CL_REQUIRE, CL_DEADLINE, CL_SUBJECTS, CL_EVIDENCE, CL_MESSAGE};
    assert_int_equal(r->clauses.len, (int)(sizeof want / sizeof want[0]));
    for (int i = 0; i < r->clauses.len; i++)
        if (r->clauses.items[i]->kind != want[i])
            fail_msg("clause %d is %s, expected %s", i, clause_kind_name(r->clauses.items[i]->kind), clause_kind_name(want[i]));
    RuleClause **c = r->clauses.items;
    assert_int_equal(c[0]->names.len, 3);
    assert_string_equal(c[0]->names.names[1], "O2.monday");
    assert_string_equal(c[0]->names.names[2], "x y");
    assert_string_equal(c[1]->text, "三(一)");
    assert_string_equal(c[1]->clause_text, "text");
    assert_int_equal(c[2]->severity, SEV_IN_PRINCIPLE);
    PeriodSpec *ps = c[3]->period;
    assert_int_equal(ps->kind, PER_WEEKS);
    assert_int_equal(ps->count->kind, EX_INT);
    assert_int_equal(ps->count->ival, 2);
    assert_string_equal(ps->table, "校历");
    assert_non_null(ps->filter);
    assert_string_equal(ps->var, "周期");
    assert_string_equal(c[4]->table, "校历");
    assert_non_null(c[4]->expr);
    assert_int_equal(c[5]->nbindings, 2);
    assert_string_equal(c[5]->bindings[0]->var, "s");
    assert_null(c[5]->bindings[0]->var2);
    assert_int_equal(c[5]->bindings[0]->coll->kind, EX_ROLE_OVER);
    assert_string_equal(c[5]->bindings[1]->var, "x");
    assert_string_equal(c[5]->bindings[1]->var2, "y");
    assert_non_null(c[5]->bindings[1]->filter);
    assert_string_equal(c[6]->var, "c");
    assert_int_equal(c[6]->expr->kind, EX_SELECT);
    assert_int_equal(c[6]->expr->select, SEL_LATEST);
    assert_int_equal(c[6]->expr->types.len, 2);
    assert_string_equal(c[6]->expr->types.names[1], "meeting");
    assert_true(c[7]->else_pending);
    assert_false(c[8]->else_pending);
    assert_int_equal(c[10]->list.len, 2);
    assert_int_equal(c[11]->list.len, 1);
    assert_string_equal(c[12]->text, "{s}");

    Decl *q = file->decls.items[1];
    assert_int_equal(q->clauses.len, 7);
    assert_int_equal(q->clauses.items[0]->severity, SEV_MUST);
    assert_int_equal(q->clauses.items[1]->kind, CL_ON);
    assert_string_equal(q->clauses.items[1]->var, "m");
    assert_null(q->clauses.items[1]->expr);
    assert_int_equal(q->clauses.items[2]->period->kind, PER_DAY);
    assert_int_equal(q->clauses.items[3]->period->kind, PER_WEEK);
    assert_int_equal(q->clauses.items[4]->period->kind, PER_MONTH);
    assert_int_equal(q->clauses.items[5]->period->kind, PER_YEAR);
    assert_int_equal(q->clauses.items[6]->period->kind, PER_CALENDAR);
    assert_string_equal(q->clauses.items[6]->period->table, "校历");
    assert_string_equal(q->clauses.items[6]->period->var, "学期");
}

static void test_chinese_severity_spelling(void **state)
{
    Fixture *f = *state;
    AstFile *file = parse(f, "rule r { severity 原则上 } rule s { severity must }\n");
    expect_clean(f);
    assert_int_equal(file->decls.items[0]->clauses.items[0]->severity, SEV_IN_PRINCIPLE);
    assert_int_equal(file->decls.items[1]->clauses.items[0]->severity, SEV_MUST);
}

/* ---- expressions ------------------------------------------------------------------- */

static void test_precedence(void **state)
{
    Fixture *f = *state;
    assert_tree(f, "a or b and c", "(or a (and b c))");
    assert_tree(f, "a and b or c", "(or (and a b) c)");
    assert_tree(f, "(a or b) and c", "(and (or a b) c)");
    assert_tree(f, "not a and b", "(and (not a) b)");
    assert_tree(f, "not a == b", "(not (== a b))");
    assert_tree(f, "a == b and c != d", "(and (== a b) (!= c d))");
    assert_tree(f, "书记 at t | 校长 at t", "(| (at 书记 t) (at 校长 t))");
    assert_tree(f, "x not in S", "(not-in x S)");
    assert_tree(f, "x in S | T", "(in x (| S T))");
    assert_tree(f, "a | b & c", "(| a (& b c))");
    assert_tree(f, "e.time + 2h", "(+ (. e time) 7200s)");
    assert_tree(f, "班子成员 at t - {x}", "(- (at 班子成员 t) {x})");
    assert_tree(f, "班子成员 at e.time - {e.actor}", "(- (at 班子成员 (. e time)) {(. e actor)})");
    assert_tree(f, "a - b - c", "(- (- a b) c)");
    assert_tree(f, "-a + b", "(+ (neg a) b)");
    assert_tree(f, "a + b < c", "(< (+ a b) c)");
    assert_tree(f, "r.time <= e.time + 受阻报告时限", "(<= (. r time) (+ (. e time) 受阻报告时限))");
    assert_tree(f, "c.targets & 校长 at m.time != {}", "(!= (& (. c targets) (at 校长 (. m time))) {})");
    assert_tree(f, "名册 throughout 周", "(throughout 名册 周)");
    assert_tree(f, "议题[T].lead", "(. ([] 议题 T) lead)");
    assert_tree(f, "名册.areas(x, 班子成员, m.time)", "(call 名册.areas x 班子成员 (. m time))");
    assert_tree(f, "主要领导(e.time) != {}", "(!= (call 主要领导 (. e time)) {})");
    assert_tree(f, "present(c) and weekday(m.time) == monday", "(and (call present c) (== (call weekday (. m time)) monday))");
    assert_tree(f, "{a, b, \"c\"}", "{a b \"c\"}");
    assert_tree(f, "exists(e: communication or consultation where e.time in 周 and 沟通(e, s, p))",
                "(exists e:communication|consultation (and (in (. e time) 周) (call 沟通 e s p)))");
    assert_tree(f, "count(e: event)", "(count e:event)");
    assert_tree(f, "first(m: meeting where m.kind in {党委常委会, 校长办公会})",
                "(first m:meeting (in (. m kind) {党委常委会 校长办公会}))");
    assert_tree(f, "true or false", "(or true false)");
    /* times of day and windows of the day */
    assert_tree(f, "m.time in 08:30..12:00", "(in (. m time) (.. 30600s 43200s))");
    assert_tree(f, "m.time not in 00:00..24:00 and x", "(and (not-in (. m time) (.. 0s 86400s)) x)");
    assert_tree(f, "time_of_day(t) < 14:30:15", "(< (call time_of_day t) 52215s)");
    /* keywords usable as field names */
    assert_tree(f, "x.from < x.to", "(< (. x from) (. x to))");
}

static void test_comparisons_do_not_chain(void **state)
{
    Fixture *f = *state;
    parse(f, "param p = a == b == c\n");
    assert_int_equal(count_code(f, DIAG_E0100), 1);
}

static void test_duration_literals(void **state)
{
    Fixture *f = *state;
    static const struct { const char *text; int64_t seconds; } cases[] = {
        {"2h", 7200}, {"72h", 259200}, {"3d", 259200}, {"30min", 1800}, {"1w", 604800}, {"45s", 45}, {"0h", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Expr *e = parse_expr(f, cases[i].text);
        if (e->kind != EX_DURATION) fail_msg("%s is not a duration", cases[i].text);
        if (e->ival != cases[i].seconds) fail_msg("%s = %lld s, expected %lld", cases[i].text, (long long)e->ival, (long long)cases[i].seconds);
    }
    Expr *e = parse_expr(f, "42");
    assert_int_equal(e->kind, EX_INT);
    assert_int_equal(e->ival, 42);
    e = parse_expr(f, "9223372036854775799");
    assert_int_equal(e->kind, EX_INT);
    assert_int_equal(e->ival, INT64_MAX - 8);
}

static void test_malformed_numbers(void **state)
{
    Fixture *f = *state;
    AstFile *file = parse(f, "param a = 3x\nparam b = 2hours\nparam c = 99999999999999999999\nparam d = 5m\n");
    assert_int_equal(count_code(f, DIAG_E0006), 4);
    assert_int_equal(f->diag.errors, 4);
    assert_int_equal(file->decls.len, 4); /* reported, not fatal to the parse */
    Diag *g = first_with(f, DIAG_E0006);
    assert_non_null(strstr(g->message, "'3x'"));
    assert_int_equal(g->loc.line, 1);
    assert_int_equal(g->loc.col, 11);
}

static void test_bad_clock_literals(void **state)
{
    Fixture *f = *state;
    parse(f, "param a = 24:30\nparam b = 08:60\nparam c = 25:00\nparam d = 24:00\n");
    assert_int_equal(count_code(f, DIAG_E0006), 3);
    assert_non_null(strstr(first_with(f, DIAG_E0006)->message, "'24:30'"));
}

static void test_duration_overflow(void **state)
{
    Fixture *f = *state;
    parse(f, "param a = 9999999999999999w\n");
    assert_int_equal(count_code(f, DIAG_E0006), 1);
    assert_non_null(strstr(first_with(f, DIAG_E0006)->message, "too large"));
}

static void test_time_literals(void **state)
{
    Fixture *f = *state;
    const int64_t day = 20150LL * 86400; /* 2025-03-03 */
    Expr *e = parse_expr(f, "2025-03-03");
    assert_int_equal(e->kind, EX_TIME);
    assert_int_equal(e->tval.local_seconds, day);
    assert_false(e->tval.has_time);
    assert_false(e->tval.has_offset);
    e = parse_expr(f, "2025-03-03T08:30");
    assert_int_equal(e->tval.local_seconds, day + 8 * 3600 + 30 * 60);
    assert_true(e->tval.has_time);
    assert_false(e->tval.has_offset);
    e = parse_expr(f, "2025-03-03T08:30:15+08:00");
    assert_int_equal(e->tval.local_seconds, day + 8 * 3600 + 30 * 60 + 15);
    assert_true(e->tval.has_offset);
    assert_int_equal(e->tval.offset_seconds, 8 * 3600);
    e = parse_expr(f, "2025-03-03T00:00Z");
    assert_true(e->tval.has_offset);
    assert_int_equal(e->tval.offset_seconds, 0);
    e = parse_expr(f, "2025-03-03T00:00-05:30");
    assert_int_equal(e->tval.offset_seconds, -(5 * 3600 + 30 * 60));
    /* a time literal in arithmetic */
    assert_tree(f, "2025-03-03 + 1d", "(+ TIME 86400s)");
}

static void test_bad_time_literals(void **state)
{
    Fixture *f = *state;
    AstFile *file = parse(f, "param a = 2025-02-30\nparam b = 2025-03-03T24:00\n");
    assert_int_equal(count_code(f, DIAG_E0006), 2);
    assert_int_equal(f->diag.errors, 2);
    assert_int_equal(file->decls.len, 2);
    Diag *g = first_with(f, DIAG_E0006);
    assert_non_null(strstr(g->message, "2025-02-30"));
    assert_non_null(strstr(g->message, "no such date"));
    assert_non_null(strstr(g->next->message, "out of range"));
    assert_int_equal(g->next->loc.line, 2);
    assert_int_equal(g->next->loc.col, 11);
}

static void test_strings(void **state)
{
    Fixture *f = *state;
    Expr *e = parse_expr(f, "\"a\\\"b\\\\c\\nd\\te 书记\"");
    assert_int_equal(e->kind, EX_STRING);
    assert_string_equal(e->text, "a\"b\\c\nd\te 书记");
    parse(f, "param p = \"bad \\q escape\"\n");
    assert_int_equal(count_code(f, DIAG_E0005), 1);
    Diag *g = first_with(f, DIAG_E0005);
    assert_int_equal(g->loc.col, 16);
    assert_int_equal(g->loc.end - g->loc.off, 2);
}

static void test_unterminated_string(void **state)
{
    Fixture *f = *state;
    AstFile *file = parse(f, "param p = \"open\nrole x\n");
    assert_int_equal(count_code(f, DIAG_E0003), 1);
    assert_int_equal(f->diag.errors, 1);
    assert_int_equal(file->decls.len, 2);
    assert_int_equal(file->decls.items[1]->kind, D_ROLE);
}

/* ---- positions --------------------------------------------------------------------- */

static void test_columns_after_chinese(void **state)
{
    Fixture *f = *state;
    AstFile *file = parse(f, "role 书记, 校长\nparam 时限 = 2h\n");
    expect_clean(f);
    EnumMember *m = file->decls.items[0]->members.items[1];
    assert_string_equal(m->name, "校长");
    assert_int_equal(m->loc.line, 1);
    assert_int_equal(m->loc.col, 10);
    assert_int_equal(m->loc.end_col, 12);
    assert_int_equal(m->loc.off, 13);
    assert_int_equal(m->loc.end, 19);
    Decl *p = file->decls.items[1];
    assert_int_equal(p->name_loc.line, 2);
    assert_int_equal(p->name_loc.col, 7);
    assert_int_equal(p->name_loc.end_col, 9);
    assert_int_equal(p->expr->loc.col, 12);
    assert_int_equal(p->expr->loc.end_col, 14);
    assert_int_equal(p->expr->loc.off, 20 + 15);
    /* the declaration spans from its keyword to its last token */
    assert_int_equal(p->loc.col, 1);
    assert_int_equal(p->loc.end_col, 14);
}

static void test_error_columns_after_chinese(void **state)
{
    Fixture *f = *state;
    parse(f, "// 注释：中文\nrole 书记 @\n");
    assert_int_equal(count_code(f, DIAG_E0002), 1);
    Diag *g = first_with(f, DIAG_E0002);
    assert_int_equal(g->loc.line, 2);
    assert_int_equal(g->loc.col, 9);
    assert_non_null(strstr(g->message, "'@'"));
}

static void test_fullwidth_punctuation(void **state)
{
    Fixture *f = *state;
    parse(f, "role 书记，校长\n");
    Diag *g = first_with(f, DIAG_E0002);
    assert_non_null(g);
    assert_non_null(strstr(g->message, "full-width"));
    assert_int_equal(g->loc.col, 8);
    assert_int_equal(g->loc.off, 11);
    assert_int_equal(g->loc.end, 14);
}

static void test_invalid_utf8_and_nul(void **state)
{
    Fixture *f = *state;
    static const char text[] = "role a\n\xff\xfe\nrole b\n\0role c\n";
    AstFile *file = parse_n(f, text, sizeof text - 1);
    assert_int_equal(count_code(f, DIAG_E0001), 1); /* a run of bad bytes is reported once */
    assert_int_equal(count_code(f, DIAG_E0007), 1);
    assert_int_equal(first_with(f, DIAG_E0001)->loc.line, 2);
    assert_int_equal(first_with(f, DIAG_E0007)->loc.line, 4);
    assert_int_equal(file->decls.len, 3);
}

/* ---- comments ---------------------------------------------------------------------- */

static void test_comments_attached(void **state)
{
    Fixture *f = *state;
    AstFile *file = parse(f,
                          "// header\n"
                          "// second line\n"
                          "role 书记\n"
                          "\n"
                          "// about the rule\n"
                          "rule r {\n"
                          "  // about tags\n"
                          "  tags T\n"
                          "  // about require\n"
                          "  require a\n"
                          "}\n"
                          "// trailing one\n"
                          "// trailing two\n");
    expect_clean(f);
    Decl *role = file->decls.items[0];
    Decl *rule = file->decls.items[1];
    assert_non_null(role->comments);
    assert_string_equal(role->comments->text, "// header");
    assert_non_null(role->comments->next);
    assert_string_equal(role->comments->next->text, "// second line");
    assert_null(role->comments->next->next);
    assert_int_equal(role->comments->loc.line, 1);
    assert_int_equal(role->comments->next->loc.line, 2);

    assert_non_null(rule->comments);
    assert_string_equal(rule->comments->text, "// about the rule");
    assert_null(rule->comments->next);
    assert_string_equal(rule->clauses.items[0]->comments->text, "// about tags");
    assert_string_equal(rule->clauses.items[1]->comments->text, "// about require");
    assert_null(rule->clauses.items[1]->comments->next);

    assert_non_null(file->trailing);
    assert_string_equal(file->trailing->text, "// trailing one");
    assert_string_equal(file->trailing->next->text, "// trailing two");
    assert_null(file->trailing->next->next);

    /* every comment in file order */
    int n = 0;
    for (Comment *c = file->comments; c; c = c->next_all) n++;
    assert_int_equal(n, 7);
}

static void test_comments_in_fields_and_same_line(void **state)
{
    Fixture *f = *state;
    AstFile *file = parse(f,
                          "events \"events\" {\n"
                          "  id: id\n"
                          "  // the time\n"
                          "  time: time\n"
                          "}\n"
                          "param a = 2h // about a, written after it\n"
                          "param b = 3h\n"
                          "rule r { tags T // before the closing brace\n"
                          "}\n");
    expect_clean(f);
    Decl *ev = file->decls.items[0];
    assert_null(ev->comments);
    assert_null(ev->fields.items[0]->comments);
    assert_string_equal(ev->fields.items[1]->comments->text, "// the time");
    /* a comment after a declaration belongs to the next one */
    assert_null(file->decls.items[1]->comments);
    assert_string_equal(file->decls.items[2]->comments->text, "// about a, written after it");
    /* inside a rule with no clause after it: the rule keeps it */
    Decl *r = file->decls.items[3];
    assert_null(r->clauses.items[0]->comments);
    assert_string_equal(r->comments->text, "// before the closing brace");
    assert_null(file->trailing);
}

static void test_comment_at_end_without_newline(void **state)
{
    Fixture *f = *state;
    AstFile *file = parse(f, "role x // end");
    expect_clean(f);
    assert_null(file->decls.items[0]->comments);
    assert_string_equal(file->trailing->text, "// end");
}

static void test_block_comments(void **state)
{
    Fixture *f = *state;
    AstFile *file = parse(f, "/* a block\n   comment */ role x /* inline */ , y\n");
    expect_clean(f);
    assert_int_equal(file->decls.len, 1);
    assert_int_equal(file->decls.items[0]->members.len, 2);
    /* positions after a block comment still count from the real text */
    assert_int_equal(file->decls.items[0]->members.items[1]->loc.line, 2);
    assert_int_equal(file->decls.items[0]->members.items[1]->loc.col, 37);
}

static void test_unterminated_block_comment(void **state)
{
    Fixture *f = *state;
    AstFile *file = parse(f, "role x\n  /* never closed\nrole y\n");
    assert_int_equal(count_code(f, DIAG_E0004), 1);
    Diag *g = first_with(f, DIAG_E0004);
    assert_int_equal(g->loc.line, 2);
    assert_int_equal(g->loc.col, 3);
    assert_int_equal(file->decls.len, 1);
}

/* ---- errors and recovery ------------------------------------------------------------- */

static void test_several_syntax_errors(void **state)
{
    Fixture *f = *state;
    AstFile *file = parse(f,
                          "role 书记\n"
                          "rule a { tags T require }\n"
                          "role 甲, 乙\n"
                          "param = 3\n"
                          "role 丙, 丁\n"
                          "rule b { tags U severity sometimes }\n"
                          "role 校长\n");
    int n = count_code(f, DIAG_E0100);
    if (n < 3) { dump_diags(f); fail_msg("%d syntax errors reported, expected one per broken declaration", n); }
    assert_int_equal(f->diag.errors, n);
    /* the good declarations around them survive */
    Decl *last = file->decls.items[file->decls.len - 1];
    assert_int_equal(last->kind, D_ROLE);
    assert_string_equal(last->members.items[0]->name, "校长");
    assert_int_equal(file->decls.items[0]->kind, D_ROLE);
    /* the rule bodies keep their good clauses */
    bool found_a = false;
    for (int i = 0; i < file->decls.len; i++) {
        Decl *d = file->decls.items[i];
        if (d->kind == D_RULE && !strcmp(d->name, "a")) {
            found_a = true;
            assert_true(d->clauses.len >= 1);
            assert_int_equal(d->clauses.items[0]->kind, CL_TAGS);
        }
    }
    assert_true(found_a);
    /* messages say what was found and what was expected */
    Diag *g = first_with(f, DIAG_E0100);
    assert_int_equal(g->loc.line, 2);
    assert_non_null(strstr(g->message, "unexpected '}'"));
}

static void test_syntax_error_message_at_eof(void **state)
{
    Fixture *f = *state;
    parse(f, "rule r {");
    assert_int_equal(count_code(f, DIAG_E0100), 1);
    assert_non_null(strstr(first_with(f, DIAG_E0100)->message, "end of file"));
}

static void test_depth_limit_brackets(void **state)
{
    Fixture *f = *state;
    enum { N = 300 };
    char *text = arena_alloc(&f->arena, 2 * N + 64);
    strcpy(text, "param p = ");
    size_t len = strlen(text);
    for (int i = 0; i < N; i++) text[len++] = '(';
    text[len++] = 'x';
    for (int i = 0; i < N; i++) text[len++] = ')';
    strcpy(text + len, "\nrole y\n");
    parse(f, text);
    assert_int_equal(count_code(f, DIAG_E0101), 1);
    assert_int_equal(count_code(f, DIAG_E0100), 0); /* no follow-up syntax errors */
    Diag *g = first_with(f, DIAG_E0101);
    assert_int_equal(g->loc.col, (int)strlen("param p = ") + PARSE_MAX_DEPTH + 1);
}

static void test_depth_limit_operators(void **state)
{
    Fixture *f = *state;
    /* no brackets, but a chain of 400 prefix operators builds a deep tree */
    enum { N = 400 };
    char *text = arena_alloc(&f->arena, 4 * N + 64);
    strcpy(text, "param p = ");
    for (int i = 0; i < N; i++) strcat(text, "not ");
    strcat(text, "x\nrole y\n");
    AstFile *file = parse(f, text);
    assert_int_equal(count_code(f, DIAG_E0101), 1);
    assert_int_equal(f->diag.errors, 1);
    assert_int_equal(file->decls.len, 2);
    /* the tree below the cut is gone, so no later pass recurses through it */
    int depth = 0;
    for (Expr *e = file->decls.items[0]->expr; e; e = e->lhs) depth++;
    assert_true(depth <= 256);
}

static void test_long_chain_is_fine(void **state)
{
    Fixture *f = *state;
    /* 150 nested brackets are within the limit */
    char text[512] = "param p = ";
    for (int i = 0; i < 150; i++) strcat(text, "(");
    strcat(text, "1");
    for (int i = 0; i < 150; i++) strcat(text, ")");
    AstFile *file = parse(f, text);
    expect_clean(f);
    assert_int_equal(file->decls.items[0]->expr->kind, EX_INT);
}

static void test_identifier_too_long(void **state)
{
    Fixture *f = *state;
    char *text = arena_alloc(&f->arena, LEX_MAX_IDENT_BYTES + 64);
    strcpy(text, "role ");
    memset(text + 5, 'a', LEX_MAX_IDENT_BYTES + 10);
    AstFile *file = parse(f, text);
    assert_int_equal(count_code(f, DIAG_E0008), 1);
    assert_int_equal(strlen(file->decls.items[0]->members.items[0]->name), LEX_MAX_IDENT_BYTES);
}

static void test_empty_input(void **state)
{
    Fixture *f = *state;
    AstFile *file = parse(f, "");
    expect_clean(f);
    assert_int_equal(file->decls.len, 0);
    assert_null(file->comments);
    file = parse(f, "  \n\t// only a comment\n");
    expect_clean(f);
    assert_int_equal(file->decls.len, 0);
    assert_string_equal(file->trailing->text, "// only a comment");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest decls[] = {
        T(test_decl_kinds_and_names),
        T(test_rule_clause_kinds),
        T(test_chinese_severity_spelling),
        T(test_empty_input),
    };
    const struct CMUnitTest exprs[] = {
        T(test_precedence),
        T(test_comparisons_do_not_chain),
        T(test_duration_literals),
        T(test_malformed_numbers),
        T(test_bad_clock_literals),
        T(test_duration_overflow),
        T(test_time_literals),
        T(test_bad_time_literals),
        T(test_strings),
        T(test_unterminated_string),
    };
    const struct CMUnitTest lexing[] = {
        T(test_columns_after_chinese),
        T(test_error_columns_after_chinese),
        T(test_fullwidth_punctuation),
        T(test_invalid_utf8_and_nul),
        T(test_identifier_too_long),
        T(test_comments_attached),
        T(test_comments_in_fields_and_same_line),
        T(test_comment_at_end_without_newline),
        T(test_block_comments),
        T(test_unterminated_block_comment),
    };
    const struct CMUnitTest errors[] = {
        T(test_several_syntax_errors),
        T(test_syntax_error_message_at_eof),
        T(test_depth_limit_brackets),
        T(test_depth_limit_operators),
        T(test_long_chain_is_fine),
    };
#undef T
    int failed = 0;
    failed += cmocka_run_group_tests_name("parser declarations", decls, NULL, NULL);
    failed += cmocka_run_group_tests_name("parser expressions", exprs, NULL, NULL);
    failed += cmocka_run_group_tests_name("lexer positions and comments", lexing, NULL, NULL);
    failed += cmocka_run_group_tests_name("parser errors", errors, NULL, NULL);
    return failed;
}
