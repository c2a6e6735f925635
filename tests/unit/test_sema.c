/* test_sema.c - semantic analysis and the extends chain (compiler/sema.c,
 * compiler/compiler.c), driven through compile_check_text/compile_check_file:
 * the Policy model after adaptation, and error reporting without cascades. */
#define _XOPEN_SOURCE 700
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compiler.h"

/* ---- fixtures ------------------------------------------------------------------ */

typedef struct Fixture {
    Compilation *c;
    char dir[64];
    char *paths[8];
    int npaths;
} Fixture;

static int setup(void **state)
{
    Fixture *f = calloc(1, sizeof *f);
    if (!f) return -1;
    f->c = compile_new();
    strcpy(f->dir, "/tmp/zd_sema_XXXXXX");
    if (!f->c || !mkdtemp(f->dir)) return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    Fixture *f = *state;
    for (int i = 0; i < f->npaths; i++) {
        remove(f->paths[i]);
        free(f->paths[i]);
    }
    /* subdirectories made by write_file, deepest first */
    char sub[128];
    snprintf(sub, sizeof sub, "%s/units", f->dir);
    rmdir(sub);
    rmdir(f->dir);
    compile_free(f->c);
    free(f);
    return 0;
}

/* Writes text to DIR/name and returns the full path (owned by the fixture). */
static const char *write_file(Fixture *f, const char *name, const char *text)
{
    char *path = malloc(strlen(f->dir) + strlen(name) + 2);
    assert_non_null(path);
    sprintf(path, "%s/%s", f->dir, name);
    char *slash = strrchr(path, '/');
    if (slash > path + strlen(f->dir)) { /* one level of subdirectory */
        *slash = '\0';
        if (mkdir(path, 0700) != 0 && errno != EEXIST) fail_msg("mkdir %s: %s", path, strerror(errno));
        *slash = '/';
    }
    FILE *out = fopen(path, "wb");
    assert_non_null(out);
    fputs(text, out);
    fclose(out);
    assert_true(f->npaths < 8);
    f->paths[f->npaths++] = path;
    return path;
}

static const char *in_dir(Fixture *f, const char *name)
{
    return arena_printf(&f->c->arena, "%s/%s", f->dir, name);
}

static void check_text(Fixture *f, const char *path, const char *text)
{
    assert_true(compile_check_text(f->c, path, text, strlen(text)));
    assert_non_null(f->c->policy);
}

static int count_code(Fixture *f, DiagCode code)
{
    int n = 0;
    for (Diag *g = f->c->diag.first; g; g = g->next) n += g->code == code;
    return n;
}

static Diag *first_with(Fixture *f, DiagCode code)
{
    for (Diag *g = f->c->diag.first; g; g = g->next)
        if (g->code == code) return g;
    return NULL;
}

static char *diags_text(Fixture *f)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    diag_print_text(&f->c->diag, out, false);
    fclose(out);
    char *copy = arena_strdup(&f->c->arena, buf);
    free(buf);
    return copy;
}

static void expect_clean(Fixture *f)
{
    if (f->c->diag.errors || f->c->diag.warnings)
        fail_msg("expected no diagnostics, got %d errors and %d warnings:\n%s", f->c->diag.errors, f->c->diag.warnings,
                 diags_text(f));
}

/* Exactly one diagnostic in all, with this code. */
static Diag *expect_only(Fixture *f, DiagCode code)
{
    int n = 0;
    for (Diag *g = f->c->diag.first; g; g = g->next) n++;
    if (n != 1 || f->c->diag.first->code != code)
        fail_msg("expected exactly one %s, got %d diagnostics:\n%s", diag_code_name(code), n, diags_text(f));
    return f->c->diag.first;
}

static EnumMemberSym *member(EnumSym *en, const char *name)
{
    for (int i = 0; i < en->nmembers; i++)
        if (!strcmp(en->members[i]->name, name)) return en->members[i];
    fail_msg("%s has no member %s", en->name, name);
    return NULL;
}

static RuleSym *rule(Policy *p, const char *name)
{
    for (int i = 0; i < p->nrules; i++)
        if (!strcmp(p->rules[i]->name, name)) return p->rules[i];
    fail_msg("no rule %s", name);
    return NULL;
}

static ParamSym *param(Policy *p, const char *name)
{
    for (int i = 0; i < p->nparams; i++)
        if (!strcmp(p->params[i]->name, name)) return p->params[i];
    fail_msg("no param %s", name);
    return NULL;
}

static Decl *decl_named(AstFile *file, DeclKind kind, const char *name)
{
    for (int i = 0; i < file->decls.len; i++) {
        Decl *d = file->decls.items[i];
        if (d->kind == kind && d->name && !strcmp(d->name, name)) return d;
    }
    fail_msg("no %s %s in %s", decl_kind_name(kind), name, file->src->path);
    return NULL;
}

/* A small complete policy: everything declared is used, so it checks clean. */
static const char parent_text[] =
    "policy p { title \"t\" document \"d\" effective 2020-01-01 timezone \"+08:00\" }\n"
    "role 书记, 校长, 班子成员\n"
    "body 碰头会, 常委会, 全委会, 办公会\n"
    "enum 结论 { agree, disagree }\n"
    "events \"events\" { id: id time: time type: text actor: person targets: list person kind: text outcome: 结论 }\n"
    "event meeting { actor, targets, kind: body }\n"
    "event consultation { actor, targets, outcome }\n"
    "roster 名册 \"roster\" { person: person role: role from: time to: time }\n"
    "calendar 校历 \"calendar\" { kind: text from: time to: time }\n"
    "param 时限: duration = 2h\n"
    "param 周数: int = 2\n"
    "def 主要(t: time) = 书记 at t | 校长 at t\n"
    "rule 会前沟通 {\n"
    "  tags A\n"
    "  clause \"1\" \"会前沟通\"\n"
    "  severity must\n"
    "  on m: meeting where m.kind in {常委会, 全委会}\n"
    "  require exists(c: consultation where c.actor in 书记 at m.time and c.time <= m.time + 时限)\n"
    "  deadline m.time + 时限\n"
    "  subjects m.actor\n"
    "  message \"{m}\"\n"
    "}\n"
    "rule 定期碰头 {\n"
    "  tags B\n"
    "  clause \"2\" \"隔周碰头\"\n"
    "  severity in-principle\n"
    "  every 周数 weeks from 2020-01-06 as 周期\n"
    "  unless overlaps 校历 where kind == \"vacation\"\n"
    "  require exists(m: meeting where m.kind == 碰头会 and m.time in 周期)\n"
    "  message \"{周期}\"\n"
    "}\n"
    "rule 办公会 {\n"
    "  tags C\n"
    "  clause \"3\" \"办公会\"\n"
    "  severity must\n"
    "  on m: meeting where m.kind == 办公会\n"
    "  require m.actor in 主要(m.time)\n"
    "  message \"{m}\"\n"
    "}\n"
    "rule 意见 {\n"
    "  tags D\n"
    "  clause \"4\" \"意见\"\n"
    "  severity must\n"
    "  on c: consultation\n"
    "  require c.outcome != disagree\n"
    "  message \"{c}\"\n"
    "}\n";

/* ---- clean policies ------------------------------------------------------------------ */

static void test_clean_policy(void **state)
{
    Fixture *f = *state;
    check_text(f, in_dir(f, "p.zd"), parent_text);
    expect_clean(f);
    Policy *p = f->c->policy;
    assert_string_equal(p->header.name, "p");
    assert_string_equal(p->header.title, "t");
    assert_true(p->header.has_effective);
    assert_int_equal(p->header.effective_local, 18262LL * 86400); /* 2020-01-01 */
    assert_int_equal(p->header.tz_offset, 8 * 3600);
    assert_int_equal(p->roles->nmembers, 3);
    assert_int_equal(p->bodies->nmembers, 4);
    assert_int_equal(p->nevent_types, 2);
    assert_int_equal(p->nparams, 2);
    assert_int_equal(p->nrules, 4);
    assert_int_equal(p->nfiles, 1);
    assert_int_equal(f->c->nchain, 1);
    assert_int_equal(param(p, "时限")->type->kind, T_DURATION);
    assert_int_equal(param(p, "时限")->value->ival, 7200);
    RuleSym *r = rule(p, "会前沟通");
    assert_false(r->periodic);
    assert_int_equal(r->severity, SEV_MUST);
    assert_false(r->disabled);
    assert_int_equal(r->clauses.len, 8);
    RuleSym *q = rule(p, "定期碰头");
    assert_true(q->periodic);
    assert_int_equal(q->severity, SEV_IN_PRINCIPLE);
    assert_non_null(p->events);
    assert_int_equal(p->events->nfields, 7);
}

static const char *repo_root(void)
{
    static char root[4096];
    const char *file = __FILE__;
    const char *cut = strstr(file, "tests/unit/test_sema.c");
    if (!cut) return ".";
    snprintf(root, sizeof root, "%.*s", (int)(cut - file), file);
    if (!root[0]) strcpy(root, ".");
    return root;
}

static void test_bundled_rule_files_are_clean(void **state)
{
    Fixture *f = *state;
    char path[4200];
    snprintf(path, sizeof path, "%s/rules/units/wenxueyuan.zd", repo_root());
    if (access(path, R_OK) != 0) fail_msg("%s not found: run the tests from the repository root (tests/run.sh does)", path);
    assert_true(compile_check_file(f->c, path));
    expect_clean(f);
    Policy *p = f->c->policy;
    assert_int_equal(f->c->nchain, 2);
    assert_int_equal(p->nfiles, 2);
    assert_string_equal(p->header.name, "wenxueyuan");
    /* the child's header entries win; the rest are inherited */
    assert_non_null(strstr(p->header.document, "文学院"));
    assert_true(p->header.has_effective);
    assert_int_equal(p->header.tz_offset, 8 * 3600);
    assert_string_equal(member(p->roles, "书记")->value, "院党委书记");
    assert_string_equal(member(p->bodies, "党委常委会")->value, "院党委会");
    assert_string_equal(member(p->bodies, "党委全委会")->value, "院党委会");
    assert_int_equal(param(p, "应急报告时限")->value->ival, 3600);
    assert_true(rule(p, "民主生活会")->disabled);
    assert_true(rule(p, "隔周碰头会")->overridden);
}

static void test_unreadable_file(void **state)
{
    Fixture *f = *state;
    assert_false(compile_check_file(f->c, in_dir(f, "missing.zd")));
    assert_int_equal(f->c->io_errno, ENOENT);
    assert_null(f->c->policy);
}

/* ---- adaptation ------------------------------------------------------------------------ */

static const char child_text[] =
    "extends \"parent.zd\"\n"
    "policy child { title \"child\" }\n"
    "rename role 书记 to 院党委书记\n"
    "rename body 常委会 to 党委会\n"
    "rename body 全委会 to 党委会\n"
    "set 时限 = 1h\n"
    "override rule 定期碰头 {\n"
    "  clause \"2'\" \"每周碰头\"\n"
    "  every week as 周期\n"
    "  message \"{周期}内没有碰头会\"\n"
    "}\n"
    "replace rule 办公会 {\n"
    "  tags C2\n"
    "  clause \"3'\" \"党政联席会\"\n"
    "  severity in-principle\n"
    "  on m: meeting where m.kind == 党委会\n"
    "  require m.actor in 院党委书记 at m.time | 书记 at m.time\n"
    "  message \"{m}\"\n"
    "}\n"
    "disable rule 意见 because \"学校统一检查\"\n";

static Policy *check_child(Fixture *f)
{
    write_file(f, "parent.zd", parent_text);
    check_text(f, in_dir(f, "child.zd"), child_text);
    expect_clean(f);
    assert_int_equal(f->c->nchain, 2);
    assert_string_equal(f->c->chain[1]->src->path, in_dir(f, "child.zd"));
    return f->c->policy;
}

static void test_chain_and_header(void **state)
{
    Fixture *f = *state;
    Policy *p = check_child(f);
    assert_int_equal(p->nfiles, 2);
    assert_ptr_equal(p->files[0], f->c->chain[0]->src); /* root first */
    assert_ptr_equal(p->files[1], f->c->chain[1]->src);
    assert_string_equal(p->header.name, "child");
    assert_string_equal(p->header.title, "child");
    assert_string_equal(p->header.document, "d"); /* inherited */
    assert_int_equal(p->header.tz_offset, 8 * 3600);
    /* the child adds nothing: same counts as the parent */
    assert_int_equal(p->nrules, 4);
    assert_int_equal(p->nparams, 2);
    assert_int_equal(p->roles->nmembers, 3);
    assert_int_equal(p->bodies->nmembers, 4);
}

static void test_rename_role(void **state)
{
    Fixture *f = *state;
    Policy *p = check_child(f);
    EnumMemberSym *m = member(p->roles, "书记");
    assert_string_equal(m->value, "院党委书记"); /* the value in the log is the new name */
    assert_string_equal(m->alias, "院党委书记");
    assert_null(member(p->roles, "校长")->alias);
    assert_string_equal(member(p->roles, "校长")->value, "校长");
    /* both names resolve to the same member: the replacing rule uses both */
    RuleSym *r = rule(p, "办公会");
    Expr *req = NULL;
    for (int i = 0; i < r->clauses.len; i++)
        if (r->clauses.items[i]->kind == CL_REQUIRE) req = r->clauses.items[i]->expr;
    assert_non_null(req);
    assert_int_equal(req->kind, EX_BINARY);
    Expr *u = req->rhs;
    assert_int_equal(u->kind, EX_BINARY);
    assert_int_equal(u->op, OP_UNION);
    assert_int_equal(u->lhs->kind, EX_ROLE_AT);
    assert_string_equal(u->lhs->lhs->name, "院党委书记");
    assert_ptr_equal(u->lhs->lhs->sym, m);
    assert_string_equal(u->rhs->lhs->name, "书记");
    assert_ptr_equal(u->rhs->lhs->sym, m);
    /* the parent's rule that says 书记 still checks against the same member */
    RuleSym *parent_rule = rule(p, "会前沟通");
    assert_false(parent_rule->overridden);
}

static void test_rename_two_bodies_to_one(void **state)
{
    Fixture *f = *state;
    Policy *p = check_child(f);
    EnumMemberSym *a = member(p->bodies, "常委会");
    EnumMemberSym *b = member(p->bodies, "全委会");
    assert_ptr_not_equal(a, b);
    assert_string_equal(a->value, "党委会");
    assert_string_equal(b->value, "党委会");
    assert_string_equal(a->alias, "党委会");
    assert_string_equal(b->alias, "党委会");
    assert_string_equal(member(p->bodies, "碰头会")->value, "碰头会");
    /* the new name resolves in the child (to one of the merged members) */
    Decl *rep = decl_named(f->c->chain[1], D_REPLACE, "办公会");
    Expr *where = rep->clauses.items[3]->expr; /* m.kind == 党委会 */
    assert_int_equal(where->op, OP_EQ);
    EnumMemberSym *s = sym_as(where->rhs->sym, SYM_MEMBER);
    assert_true(s == a || s == b);
    assert_string_equal(s->value, "党委会");
}

static void test_set_param(void **state)
{
    Fixture *f = *state;
    Policy *p = check_child(f);
    ParamSym *pa = param(p, "时限");
    assert_int_equal(pa->value->kind, EX_DURATION);
    assert_int_equal(pa->value->ival, 3600);
    assert_int_equal(pa->type->kind, T_DURATION);
    assert_ptr_equal(pa->value->loc.src, f->c->chain[1]->src); /* the value comes from the child */
    assert_int_equal(pa->value_loc.line, 6);
    /* an unset parameter keeps its default */
    ParamSym *weeks = param(p, "周数");
    assert_int_equal(weeks->value->ival, 2);
    assert_ptr_equal(weeks->value->loc.src, f->c->chain[0]->src);
}

static void test_override_clauses(void **state)
{
    Fixture *f = *state;
    Policy *p = check_child(f);
    RuleSym *r = rule(p, "定期碰头");
    assert_true(r->overridden);
    assert_false(r->replaced);
    assert_false(r->disabled);
    Decl *orig = decl_named(f->c->chain[0], D_RULE, "定期碰头");
    Decl *ov = decl_named(f->c->chain[1], D_OVERRIDE, "定期碰头");
    assert_ptr_equal(r->decl, orig); /* still the parent's rule */
    static const ClauseKind want[] = {CL_TAGS, CL_CLAUSE, CL_SEVERITY, CL_EVERY, CL_UNLESS, CL_REQUIRE, CL_MESSAGE};
    assert_int_equal(r->clauses.len, (int)(sizeof want / sizeof want[0]));
    for (int i = 0; i < r->clauses.len; i++) {
        RuleClause *c = r->clauses.items[i];
        if (c->kind != want[i]) fail_msg("clause %d is %s, expected %s", i, clause_kind_name(c->kind), clause_kind_name(want[i]));
        bool from_override = c->kind == CL_CLAUSE || c->kind == CL_EVERY || c->kind == CL_MESSAGE;
        if (from_override) assert_ptr_equal(c->loc.src, f->c->chain[1]->src);
        else assert_ptr_equal(c, orig->clauses.items[i]);
    }
    assert_ptr_equal(r->clauses.items[1], ov->clauses.items[0]);
    assert_ptr_equal(r->clauses.items[3], ov->clauses.items[1]);
    assert_ptr_equal(r->clauses.items[6], ov->clauses.items[2]);
    assert_string_equal(r->clauses.items[1]->text, "2'");
    assert_int_equal(r->clauses.items[3]->period->kind, PER_WEEK);
    assert_true(r->periodic);
    assert_int_equal(r->severity, SEV_IN_PRINCIPLE);
    /* the parent's declaration itself is untouched */
    assert_int_equal(orig->clauses.items[3]->period->kind, PER_WEEKS);
}

static void test_override_adds_missing_clause(void **state)
{
    Fixture *f = *state;
    write_file(f, "parent.zd", parent_text);
    /* 意见 has no deadline: it is added; its severity is replaced */
    check_text(f, in_dir(f, "child.zd"),
               "extends \"parent.zd\"\n"
               "override rule 意见 { severity in-principle deadline c.time + 1d }\n");
    expect_clean(f);
    RuleSym *r = rule(f->c->policy, "意见");
    static const ClauseKind want[] = {CL_TAGS, CL_CLAUSE, CL_SEVERITY, CL_ON, CL_REQUIRE, CL_MESSAGE, CL_DEADLINE};
    assert_int_equal(r->clauses.len, 7);
    for (int i = 0; i < 7; i++) assert_int_equal(r->clauses.items[i]->kind, want[i]);
    assert_int_equal(r->severity, SEV_IN_PRINCIPLE);
}

static void test_rename_rule(void **state)
{
    Fixture *f = *state;
    write_file(f, "parent.zd", parent_text);
    /* renamed, then overridden by its old name; a misspelt one gets a hint */
    check_text(f, in_dir(f, "child.zd"),
               "extends \"parent.zd\"\n"
               "rename rule 意见 to 分歧意见\n"
               "override rule 意见 { severity in-principle }\n"
               "disable rule 定期碰面 because \"x\"\n");
    Diag *g = expect_only(f, DIAG_E0302);
    assert_int_equal(g->loc.line, 4);
    assert_non_null(g->notes);
    assert_string_equal(g->notes->message, "did you mean '定期碰头'?");
    RuleSym *r = rule(f->c->policy, "分歧意见");
    assert_true(r->overridden);
    assert_int_equal(r->severity, SEV_IN_PRINCIPLE);
}

static void test_message_names_roles_after_renames(void **state)
{
    Fixture *f = *state;
    write_file(f, "parent.zd",
               "policy p { title \"t\" document \"校〔1〕\" effective 2025-01-01 timezone \"+08:00\" }\n"
               "role 书记, 校长\nbody 办公会\n"
               "events \"events\" { id: id time: time type: text actor: person kind: text }\n"
               "event meeting { actor, kind: body }\n"
               "rule 会 { tags A clause \"1\" \"会\" severity must on m: meeting\n"
               "  require present(m.actor) message \"{{{校长}}}未主持{办公会}{m}\" }\n");
    check_text(f, in_dir(f, "child.zd"),
               "extends \"parent.zd\"\npolicy c { document \"院〔2〕\" }\n"
               "rename role 校长 to 院长\nrename body 办公会 to 联席会\n");
    expect_clean(f);
    RuleSym *r = rule(f->c->policy, "会");
    RuleClause *msg = NULL, *cite = NULL;
    int nclauses = 0;
    for (int i = 0; i < r->clauses.len; i++) {
        RuleClause *c = r->clauses.items[i];
        if (c->kind == CL_MESSAGE) msg = c;
        if (c->kind == CL_CLAUSE && ++nclauses == 2) cite = c;
    }
    /* text parts are joined: "{院长}未主持联席会", then {m} */
    assert_non_null(msg);
    assert_int_equal(msg->list.len, 2);
    assert_string_equal(msg->list.items[0]->text, "{院长}未主持联席会");
    /* 参照执行: the child's document cites the parent's clause */
    assert_non_null(cite);
    assert_string_equal(cite->text, "院〔2〕");
    assert_string_equal(cite->clause_text, "参照校〔1〕1执行");
}

static void test_override_rejects_logic_clauses(void **state)
{
    Fixture *f = *state;
    write_file(f, "parent.zd", parent_text);
    check_text(f, in_dir(f, "child.zd"), "extends \"parent.zd\"\noverride rule 意见 { require true }\n");
    Diag *g = expect_only(f, DIAG_E0218);
    assert_non_null(strstr(g->message, "replace rule 意见"));
    assert_int_equal(g->loc.line, 2);
    /* the rule is left as it was */
    RuleSym *r = rule(f->c->policy, "意见");
    assert_false(r->overridden);
    assert_int_equal(r->clauses.len, 6);
}

static void test_replace_rule(void **state)
{
    Fixture *f = *state;
    Policy *p = check_child(f);
    RuleSym *r = rule(p, "办公会");
    Decl *rep = decl_named(f->c->chain[1], D_REPLACE, "办公会");
    assert_true(r->replaced);
    assert_false(r->overridden);
    assert_ptr_equal(r->decl, rep);
    assert_int_equal(r->clauses.len, rep->clauses.len);
    assert_ptr_equal(r->clauses.items, rep->clauses.items);
    for (int i = 0; i < r->clauses.len; i++) assert_ptr_equal(r->clauses.items[i]->loc.src, f->c->chain[1]->src);
    assert_string_equal(r->clauses.items[0]->names.names[0], "C2");
    assert_int_equal(r->severity, SEV_IN_PRINCIPLE);
    /* its place in the rule list is kept */
    assert_ptr_equal(p->rules[2], r);
}

static void test_disable_rule(void **state)
{
    Fixture *f = *state;
    Policy *p = check_child(f);
    RuleSym *r = rule(p, "意见");
    assert_true(r->disabled);
    assert_string_equal(r->disabled_reason, "学校统一检查");
    assert_ptr_equal(r->disabled_loc.src, f->c->chain[1]->src);
    assert_int_equal(r->disabled_loc.line, 20);
    /* still in the model, with its clauses */
    assert_int_equal(p->nrules, 4);
    assert_int_equal(r->clauses.len, 6);
    assert_false(rule(p, "会前沟通")->disabled);
}

static void test_three_level_chain(void **state)
{
    Fixture *f = *state;
    write_file(f, "parent.zd", parent_text);
    write_file(f, "units/mid.zd", "extends \"../parent.zd\"\nset 时限 = 3h\nrename role 校长 to 院长\n");
    check_text(f, in_dir(f, "units/leaf.zd"),
               "extends \"mid.zd\"\n"
               "set 时限 = 30min\n"
               "disable rule 办公会 because \"x\"\n");
    expect_clean(f);
    assert_int_equal(f->c->nchain, 3);
    Policy *p = f->c->policy;
    assert_int_equal(param(p, "时限")->value->ival, 1800); /* the leaf's setting wins */
    assert_string_equal(member(p->roles, "校长")->value, "院长");
    assert_true(rule(p, "办公会")->disabled);
}

/* A later file of an extends chain may rename again what an earlier one renamed:
 * both names still resolve (rules of the middle file use the first), and the
 * data's value is the last name. */
static void test_rename_again_along_chain(void **state)
{
    Fixture *f = *state;
    write_file(f, "parent.zd", parent_text);
    write_file(f, "middle.zd",
               "extends \"parent.zd\"\nrename role 书记 to 院党委书记\n"
               "def 院书记在任(t: time) = 院党委书记 at t\n");
    check_text(f, in_dir(f, "leaf.zd"),
               "extends \"middle.zd\"\nrename role 院党委书记 to 系书记\n"
               "rule 新 { tags N clause \"1\" \"x\" severity must on m: meeting\n"
               "  require m.actor in 系书记 at m.time | 院书记在任(m.time) message \"x\" }\n");
    assert_int_equal(f->c->diag.errors, 0); /* 系书记 and 院党委书记 both resolved */
    EnumMemberSym *m = member(f->c->policy->roles, "书记");
    assert_int_equal(m->naliases, 2);
    assert_string_equal(m->aliases[0], "院党委书记");
    assert_string_equal(m->aliases[1], "系书记");
    assert_string_equal(m->value, "系书记");
}

/* ---- adaptation errors ------------------------------------------------------------------- */

static void test_adaptation_errors(void **state)
{
    Fixture *f = *state;
    write_file(f, "parent.zd", parent_text);
    check_text(f, in_dir(f, "child.zd"),
               "extends \"parent.zd\"\n"
               "rename role 院长 to 校长2\n"
               "set 不存在 = 1h\n"
               "override rule 无此规则 { message \"x\" }\n"
               "rename role 书记 to 校长\n");
    assert_int_equal(count_code(f, DIAG_E0304), 1);
    assert_int_equal(count_code(f, DIAG_E0303), 1);
    assert_int_equal(count_code(f, DIAG_E0302), 1);
    assert_int_equal(count_code(f, DIAG_E0307), 1);
    assert_int_equal(f->c->diag.errors, 4);
    assert_int_equal(first_with(f, DIAG_E0307)->loc.line, 5);
}

static void test_adaptation_without_extends(void **state)
{
    Fixture *f = *state;
    char *text = arena_printf(&f->c->arena, "%sset 时限 = 1h\n", parent_text);
    check_text(f, in_dir(f, "p.zd"), text);
    expect_only(f, DIAG_E0306);
    assert_int_equal(param(f->c->policy, "时限")->value->ival, 7200);
}

static void test_missing_parent(void **state)
{
    Fixture *f = *state;
    const char *text = "extends \"nowhere.zd\"\nset x = 1\n";
    assert_true(compile_check_text(f->c, in_dir(f, "child.zd"), text, strlen(text)));
    /* without its parent nothing else can be judged: one error, no policy */
    assert_null(f->c->policy);
    assert_int_equal(f->c->diag.errors, 1);
    Diag *g = first_with(f, DIAG_E0300);
    assert_non_null(g);
    assert_int_equal(count_code(f, DIAG_E0300), 1);
    assert_int_equal(g->loc.line, 1);
    assert_int_equal(g->loc.col, 9);
}

static void test_extends_cycle(void **state)
{
    Fixture *f = *state;
    write_file(f, "a.zd", "extends \"b.zd\"\n");
    write_file(f, "b.zd", "extends \"a.zd\"\n");
    assert_true(compile_check_file(f->c, in_dir(f, "a.zd")));
    assert_int_equal(count_code(f, DIAG_E0301), 1);
    assert_non_null(first_with(f, DIAG_E0301)->notes);
}

/* ---- no cascades ---------------------------------------------------------------------------- */

/* parent_text's rule 意见 with one line changed. */
static const char *with_require(Fixture *f, const char *require)
{
    const char *anchor = "  require c.outcome != disagree\n";
    const char *at = strstr(parent_text, anchor);
    assert_non_null(at);
    return arena_printf(&f->c->arena, "%.*s  require %s\n%s", (int)(at - parent_text), parent_text, require,
                        at + strlen(anchor));
}

static void test_base_of_variants_is_clean(void **state)
{
    Fixture *f = *state;
    check_text(f, in_dir(f, "p.zd"), with_require(f, "c.outcome != disagree"));
    expect_clean(f);
}

static void test_type_error_once(void **state)
{
    Fixture *f = *state;
    check_text(f, in_dir(f, "p.zd"), with_require(f, "c.actor == c.time"));
    Diag *g = expect_only(f, DIAG_E0202);
    assert_non_null(strstr(g->message, "cannot compare person with time"));
}

static void test_type_error_no_cascade_upwards(void **state)
{
    Fixture *f = *state;
    /* person + duration fails; the comparison, the 'and' and the 'not' above it stay quiet */
    check_text(f, in_dir(f, "p.zd"), with_require(f, "not (c.actor + 1h > c.time and c.outcome == agree)"));
    Diag *g = expect_only(f, DIAG_E0202);
    assert_non_null(strstr(g->message, "cannot add person and duration"));
}

static void test_type_error_no_cascade_through_let(void **state)
{
    Fixture *f = *state;
    const char *text = with_require(f, "x > c.time and x.foo == 1");
    const char *at = strstr(text, "  require x > c.time");
    text = arena_printf(&f->c->arena, "%.*s  let x = c.actor + 1h\n%s", (int)(at - text), text, at);
    check_text(f, in_dir(f, "p.zd"), text);
    expect_only(f, DIAG_E0202);
}

static void test_unknown_name_once(void **state)
{
    Fixture *f = *state;
    /* deep inside a selection, a comparison, arithmetic and field access */
    check_text(f, in_dir(f, "p.zd"),
               with_require(f, "exists(e: meeting where e.actor in 书记 at e.time and not (foo.bar.baz == e.time + 1h))"));
    Diag *g = expect_only(f, DIAG_E0200);
    assert_non_null(strstr(g->message, "unknown name 'foo'"));
}

static void test_unknown_name_each_use(void **state)
{
    Fixture *f = *state;
    check_text(f, in_dir(f, "p.zd"), with_require(f, "not (foo.bar == c.time + 1h or size(foo.list) > 2)"));
    /* one E0200 per use of foo; .bar, ==, +, size() and > add nothing */
    assert_int_equal(count_code(f, DIAG_E0200), 2);
    assert_int_equal(f->c->diag.errors, 2);
    assert_int_equal(f->c->diag.warnings, 0);
}

static void test_unknown_role_and_operand(void **state)
{
    Fixture *f = *state;
    check_text(f, in_dir(f, "p.zd"),
               with_require(f, "{c.actor} & 未知 at c.time != {} and 不存在 + 1h > c.time"));
    assert_int_equal(count_code(f, DIAG_E0200), 2);
    assert_int_equal(f->c->diag.errors, 2);
    assert_int_equal(f->c->diag.warnings, 0);
}

static void test_unknown_field_once(void **state)
{
    Fixture *f = *state;
    check_text(f, in_dir(f, "p.zd"), with_require(f, "c.nosuch.deeper == c.time"));
    expect_only(f, DIAG_E0203);
}

static void test_field_not_carried(void **state)
{
    Fixture *f = *state;
    /* consultation carries no kind */
    check_text(f, in_dir(f, "p.zd"), with_require(f, "c.kind == \"x\""));
    expect_only(f, DIAG_E0211);
}

static void test_error_cap_through_compile(void **state)
{
    Fixture *f = *state;
    f->c->diag.max_errors = 5;
    char *text = arena_strdup(&f->c->arena, parent_text);
    for (int i = 0; i < 20; i++) text = arena_printf(&f->c->arena, "%srole 书记\n", text);
    check_text(f, in_dir(f, "p.zd"), text);
    assert_int_equal(count_code(f, DIAG_E0201), 5);
    assert_int_equal(count_code(f, DIAG_E0102), 1);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest model[] = {
        T(test_clean_policy),
        T(test_bundled_rule_files_are_clean),
        T(test_unreadable_file),
        T(test_chain_and_header),
        T(test_rename_role),
        T(test_rename_two_bodies_to_one),
        T(test_set_param),
        T(test_override_clauses),
        T(test_override_adds_missing_clause),
        T(test_override_rejects_logic_clauses),
        T(test_rename_rule),
        T(test_message_names_roles_after_renames),
        T(test_replace_rule),
        T(test_disable_rule),
        T(test_three_level_chain),
        T(test_adaptation_errors),
        T(test_adaptation_without_extends),
        T(test_missing_parent),
        T(test_rename_again_along_chain),
        T(test_extends_cycle),
    };
    const struct CMUnitTest errors[] = {
        T(test_base_of_variants_is_clean),
        T(test_type_error_once),
        T(test_type_error_no_cascade_upwards),
        T(test_type_error_no_cascade_through_let),
        T(test_unknown_name_once),
        T(test_unknown_name_each_use),
        T(test_unknown_role_and_operand),
        T(test_unknown_field_once),
        T(test_field_not_carried),
        T(test_error_cap_through_compile),
    };
#undef T
    int failed = 0;
    failed += cmocka_run_group_tests_name("sema policy model", model, NULL, NULL);
    failed += cmocka_run_group_tests_name("sema errors", errors, NULL, NULL);
    return failed;
}
