/* test.c - `zhidu test [PATH…] [--junit FILE] [--coverage]`: runs the
 * cases of .zdtest files (testfile.h, docs/testing.md) and compares the
 * verdicts a run gives with the ones each case expects. Inline tables are
 * written to a temporary CSV folder and read by the ordinary reader, so a
 * test sees exactly what `zhidu run` would. Prints a diff per failed case
 * and "N passed, N failed"; never changes the engine's verdicts. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "cli.h"
#include "msg.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compiler.h"
#include "engine.h"
#include "file.h"
#include "input.h"
#include "outfile.h"
#include "testfile.h"
#include "text.h"
#include "vrow.h"
#include "ztime.h"

enum { ZT_PATH_MAX = 4096 };
enum { ACT_JUDGED = TF_OUTCOME_COUNT }; /* a period or trigger judged, whatever the verdict (never shown) */

/* One actual verdict of a run, in the terms of a test. */
typedef struct Act {
    uint32_t rule;
    uint8_t kind;        /* TfOutcome or ACT_JUDGED */
    bool periodic;
    StrId unit;
    int64_t from, to;
    const char *trigger;
    const StrId *subjects;
    uint32_t nsubjects;
    bool listed;         /* matched by an expected verdict */
    const Violation *v;  /* a violation or pending obligation: the verdict itself */
} Act;

typedef struct CovRule {
    char *name;
    char **clauses;
    uint32_t nclauses;
    bool kept, violated, disabled;
} CovRule;

typedef struct CovPolicy {
    char *key, *shown;
    CovRule *rules;
    uint32_t nrules;
} CovPolicy;

typedef struct CaseResult {
    char *file, *name;
    char *failure;       /* NULL when passed */
} CaseResult;

typedef struct Runner {
    bool coverage;
    CovPolicy *cov;
    uint32_t ncov;
    CaseResult *results;
    uint32_t nresults;
    uint32_t passed, failed;
    Lang lang;           /* of the messages; FAIL lines, verdict lines and coverage are the format */
} Runner;

/* What one case runs over: the program and its data set, with the test's names. */
typedef struct CaseRun {
    const char *tpath;
    const Program *p;
    Dataset *ds;
    RunResult res;
    Act *acts;
    uint32_t nacts, cap;
    Lang lang;
} CaseRun;

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) abort();
    return p;
}

static char *xstrdup(const char *s)
{
    char *d = strdup(s);
    if (!d) abort();
    return d;
}

static void record(Runner *R, const char *file, const char *name, char *failure)
{
    R->results = xrealloc(R->results, sizeof *R->results * (R->nresults + 1));
    R->results[R->nresults++] = (CaseResult){xstrdup(file), xstrdup(name), failure};
    if (failure) {
        R->failed++;
        fputs(failure, stdout);
    } else {
        R->passed++;
    }
}

/* ---- the actual verdicts ------------------------------------------------- */

static const char *str(const CaseRun *cr, StrId id) { return strtab_str(&cr->ds->strs, id); }

static bool same_key(const CaseRun *cr, const Act *a, const Act *b)
{
    if (a->rule != b->rule || a->unit != b->unit || a->periodic != b->periodic) return false;
    return a->periodic ? a->from == b->from && a->to == b->to : !strcmp(a->trigger, b->trigger);
    (void)cr;
}

static Act *add_act(CaseRun *cr, Act a)
{
    for (uint32_t i = 0; i < cr->nacts; i++)
        if (cr->acts[i].kind == a.kind && a.kind != TF_VIOLATED && a.kind != TF_PENDING && same_key(cr, &cr->acts[i], &a))
            return &cr->acts[i];
    if (cr->nacts == cr->cap) {
        cr->cap = cr->cap ? cr->cap * 2 : 64;
        cr->acts = xrealloc(cr->acts, sizeof *cr->acts * cr->cap);
    }
    cr->acts[cr->nacts] = a;
    return &cr->acts[cr->nacts++];
}

static const char *event_id_at(const Dataset *ds, uint32_t order)
{
    for (uint32_t i = 0; i < ds->nevents; i++)
        if (ds->events[i].order == order) return strtab_str(&ds->strs, ds->events[i].id);
    return "";
}

/* Violations and pending obligations as they are; every judged period or
 * trigger as ACT_JUDGED, and as kept when it has neither. */
static void collect(CaseRun *cr)
{
    const RunResult *r = &cr->res;
    for (uint32_t i = 0; i < r->n; i++) {
        const Violation *v = &r->v[i];
        add_act(cr, (Act){v->rule, v->pending ? TF_PENDING : TF_VIOLATED, v->periodic, v->unit, v->from, v->to,
                          v->periodic ? "" : str(cr, v->trigger_id), v->subjects, v->nsubjects, false, v});
    }
    uint32_t nverdicts = cr->nacts;
    for (uint32_t i = 0; i < r->njudged; i++) {
        const Judged *j = &r->judged[i];
        bool periodic = j->kind != JUDGED_TRIGGER;
        Act a = {j->rule, j->kind == JUDGED_EXEMPT ? TF_EXEMPT : ACT_JUDGED, periodic, j->unit, j->from, j->to,
                 periodic ? "" : event_id_at(cr->ds, j->order), NULL, 0, false, NULL};
        add_act(cr, a);
        if (a.kind == TF_EXEMPT) continue;
        bool any = false;
        for (uint32_t k = 0; k < nverdicts && !any; k++) any = same_key(cr, &cr->acts[k], &a);
        a.kind = TF_KEPT;
        if (!any) add_act(cr, a);
    }
}

/* ---- comparing ----------------------------------------------------------- */

/* Names, times and cells of the test file, the policy and the data are
 * hostile input too: a failure shows them as a terminal is shown them
 * (text.h), so a case cannot forge "PASS" lines or hide text. */
typedef struct Esc { char b[3][512]; } Esc;
static const char *esc(Esc *e, int i, const char *s)
{
    text_escape(e->b[i], sizeof e->b[i], s ? s : "");
    return e->b[i];
}
static void put(FILE *o, const char *lead, const char *s)
{
    fputs(lead, o);
    text_write_escaped(o, s);
}

static void format_time(int64_t t, int tz, char *buf, size_t size)
{
    char b[40];
    zt_format(t, tz, b, sizeof b); /* 2024-03-04T10:00:00+08:00 */
    size_t n = !strncmp(b + 11, "00:00:00", 8) ? 10 : !strncmp(b + 17, "00", 2) ? 16 : 19;
    snprintf(buf, size, "%.*s", (int)n, b);
}

/* An actual verdict as a test line (so it can be pasted into a case): a
 * violation's fields as every report shows them (vrow.h), a kept or exempt
 * period or trigger from what was judged. */
static void print_act(FILE *o, const CaseRun *cr, const Act *a)
{
    VRow row;
    if (a->v) vrow_make(&row, cr->p, cr->ds, a->v);
    const char *unit = a->v ? row.unit : str(cr, a->unit);
    fprintf(o, "  + %s", tf_outcome_name[a->kind]);
    put(o, " ", a->v ? row.rule : program_string(cr->p, cr->p->rules[a->rule].name));
    if (*unit) put(o, " unit ", unit);
    if (a->periodic) {
        char f[40], t[40];
        format_time(a->from, cr->p->meta.tz_offset, f, sizeof f);
        format_time(a->to, cr->p->meta.tz_offset, t, sizeof t);
        fprintf(o, " window %s..%s", f, t);
    } else {
        put(o, " trigger ", a->v ? row.trigger : a->trigger);
    }
    for (uint32_t i = 0; i < a->nsubjects; i++) put(o, i ? ", " : " subjects ", vrow_subject(&row, i));
    fputc('\n', o);
}

static void print_expect(FILE *o, const TfExpect *e)
{
    fprintf(o, "  - %s", tf_outcome_name[e->outcome]);
    put(o, " ", e->rule);
    if (e->unit) put(o, " unit ", e->unit);
    if (e->window_from) put(o, " window ", e->window_from);
    if (e->window_to) put(o, "..", e->window_to);
    if (e->trigger) put(o, " trigger ", e->trigger);
    for (uint32_t i = 0; i < e->nsubjects; i++) put(o, i ? ", " : " subjects ", e->subjects[i]);
    fprintf(o, "   (line %u)\n", e->line);
}

/* An expected verdict resolved against the program. */
typedef struct Want {
    const TfExpect *e;
    bool *rules;         /* which rules the name or tag selects */
    int64_t from, to;
} Want;

static bool parse_time(const char *text, int tz, int64_t *out)
{
    ZtParsed tp;
    if (zt_parse(text, strlen(text), &tp)) return false;
    *out = zt_to_instant(&tp, tz);
    return true;
}

/* Resolves e; on error writes "file:line: …" to o and returns false. */
static bool resolve(FILE *o, const CaseRun *cr, const TfExpect *e, Want *w)
{
    const Program *p = cr->p;
    Esc x;
    w->e = e;
    w->rules = xrealloc(NULL, p->nrules + 1u);
    uint32_t n = 0, first = 0;
    for (uint32_t k = 0; k < p->nrules; k++) {
        const ZRule *r = &p->rules[k];
        bool hit = !strcmp(program_string(p, r->name), e->rule);
        for (uint32_t t = 0; t < r->ntags && !hit; t++) hit = !strcmp(program_string(p, r->tags[t]), e->rule);
        w->rules[k] = hit;
        if (hit && n++ == 0) first = k;
    }
    if (!n) {
        fprintf(o, msg_text(cr->lang, MSG_TEST_NO_RULE), esc(&x, 0, cr->tpath), e->line, esc(&x, 1, e->rule));
        return false;
    }
    bool periodic = p->rules[first].periodic;
    if (periodic && !e->window_from) {
        fprintf(o, msg_text(cr->lang, MSG_TEST_PERIODIC), esc(&x, 0, cr->tpath), e->line, esc(&x, 1, e->rule));
        return false;
    }
    if (!periodic && !e->trigger) {
        fprintf(o, msg_text(cr->lang, MSG_TEST_TRIGGERED), esc(&x, 0, cr->tpath), e->line, esc(&x, 1, e->rule));
        return false;
    }
    int tz = p->meta.tz_offset;
    if (e->window_from && !parse_time(e->window_from, tz, &w->from)) {
        fprintf(o, msg_text(cr->lang, MSG_TEST_WINDOW_TIME), esc(&x, 0, cr->tpath), e->line, esc(&x, 1, e->window_from));
        return false;
    }
    if (e->window_to && !parse_time(e->window_to, tz, &w->to)) {
        fprintf(o, msg_text(cr->lang, MSG_TEST_WINDOW_TIME), esc(&x, 0, cr->tpath), e->line, esc(&x, 1, e->window_to));
        return false;
    }
    return true;
}

static bool same_subjects(const CaseRun *cr, const Act *a, const TfExpect *e)
{
    if (a->nsubjects != e->nsubjects) return false;
    for (uint32_t i = 0; i < a->nsubjects; i++)
        if (strcmp(str(cr, a->subjects[i]), e->subjects[i])) return false;
    return true;
}

/* Whether a is the period or trigger w names. */
static bool at_key(const CaseRun *cr, const Want *w, const Act *a)
{
    const TfExpect *e = w->e;
    if (!w->rules[a->rule] || (e->unit && strcmp(e->unit, str(cr, a->unit)))) return false;
    if (a->periodic) return e->window_from && a->from == w->from && (!e->window_to || a->to == w->to);
    return e->trigger && !strcmp(a->trigger, e->trigger);
}

static bool matches(const CaseRun *cr, const Want *w, const Act *a)
{
    const TfExpect *e = w->e;
    if (!at_key(cr, w, a)) return false;
    switch (e->outcome) {
    case TF_VIOLATED:
    case TF_PENDING: return a->kind == e->outcome && same_subjects(cr, a, e);
    case TF_EXEMPT: return a->kind == TF_EXEMPT;
    default:
        if (!e->nsubjects) return a->kind == TF_KEPT;
        if (a->kind != ACT_JUDGED) return false;
        /* kept for these subjects: judged, and no verdict against them */
        for (uint32_t i = 0; i < cr->nacts; i++) {
            const Act *b = &cr->acts[i];
            if ((b->kind == TF_VIOLATED || b->kind == TF_PENDING) && same_key(cr, a, b) && same_subjects(cr, b, e)) return false;
        }
        return true;
    }
}

/* Compares; writes the diff to o. Returns true when the case passes. */
static bool compare(FILE *o, CaseRun *cr, const TfCase *c)
{
    Want *wants = xrealloc(NULL, sizeof *wants * c->nexpects);
    bool *met = xrealloc(NULL, c->nexpects + 1u);
    bool ok = true;
    uint32_t nw = 0;
    for (; nw < c->nexpects; nw++)
        if (!resolve(o, cr, &c->expects[nw], &wants[nw])) {
            free(wants[nw].rules);
            ok = false;
            break;
        }
    if (ok) {
        for (uint32_t i = 0; i < nw; i++) {
            met[i] = false;
            for (uint32_t k = 0; k < cr->nacts; k++)
                if (matches(cr, &wants[i], &cr->acts[k])) {
                    met[i] = true;
                    cr->acts[k].listed = true;
                }
            if (!met[i]) ok = false;
        }
        for (uint32_t k = 0; k < cr->nacts; k++)
            if ((cr->acts[k].kind == TF_VIOLATED || cr->acts[k].kind == TF_PENDING) && !cr->acts[k].listed) ok = false;
        if (!ok) {
            bool *shown = xrealloc(NULL, cr->nacts + 1u);
            memset(shown, 0, cr->nacts + 1u);
            for (uint32_t i = 0; i < nw; i++) {
                if (met[i]) continue;
                print_expect(o, wants[i].e);
                bool any = false;
                for (uint32_t k = 0; k < cr->nacts; k++) {
                    const Act *a = &cr->acts[k];
                    if (a->kind == ACT_JUDGED || !at_key(cr, &wants[i], a)) continue;
                    any = true;
                    if (!shown[k]) print_act(o, cr, a);
                    shown[k] = true;
                }
                if (!any) fputs(msg_text(cr->lang, MSG_TEST_NOTHING_JUDGED), o);
            }
            for (uint32_t k = 0; k < cr->nacts; k++) {
                const Act *a = &cr->acts[k];
                if ((a->kind == TF_VIOLATED || a->kind == TF_PENDING) && !a->listed && !shown[k]) print_act(o, cr, a);
            }
            free(shown);
        }
    }
    for (uint32_t i = 0; i < nw; i++) free(wants[i].rules);
    free(wants);
    free(met);
    return ok;
}

/* ---- running a case ------------------------------------------------------ */

static char *join_path(const char *dir, const char *rel)
{
    size_t n = strlen(dir) + strlen(rel) + 2;
    char *s = xrealloc(NULL, n);
    size_t d = strlen(dir);
    if (rel[0] == '/' || !d) snprintf(s, n, "%s", rel);
    else snprintf(s, n, "%s%s%s", dir, dir[d - 1] == '/' ? "" : "/", rel);
    return s;
}

static const TfTable *find_table(const TfCase *c, const TestFile *tf, const char *name)
{
    for (uint32_t i = 0; i < c->set.ntables; i++)
        if (!strcmp(c->set.tables[i].name, name)) return &c->set.tables[i];
    for (uint32_t i = 0; i < tf->set.ntables; i++)
        if (!strcmp(tf->set.tables[i].name, name)) return &tf->set.tables[i];
    return NULL;
}

static const ZTable *program_table(const Program *p, uint32_t i) { return i < p->ntables ? &p->tables[i] : &p->log; }

/* Checks every table the test gives is one the program reads. */
static bool tables_known(FILE *o, Lang lang, const char *tpath, const Program *p, const TfSettings *set)
{
    for (uint32_t i = 0; i < set->ntables; i++) {
        bool found = false;
        for (uint32_t k = 0; k <= p->ntables && !found; k++)
            found = !strcmp(program_string(p, program_table(p, k)->table), set->tables[i].name);
        if (found) continue;
        Esc x;
        fprintf(o, msg_text(lang, MSG_TEST_NO_TABLE), esc(&x, 0, tpath), set->tables[i].line, esc(&x, 1, set->tables[i].name));
        for (uint32_t k = 0; k <= p->ntables; k++)
            if (k < p->ntables || p->log.nfields) put(o, " ", program_string(p, program_table(p, k)->table));
        fputs(")\n", o);
        return false;
    }
    return true;
}

/* DIR/NAME.csv for table k of the program (malloc'ed). */
static char *table_path(const char *dir, const Program *p, uint32_t k)
{
    const char *name = program_string(p, program_table(p, k)->table);
    size_t n = strlen(dir) + strlen(name) + 6;
    char *s = xrealloc(NULL, n);
    snprintf(s, n, "%s/%s.csv", dir, name);
    return s;
}

/* Writes each table the program reads into dir: the test's, or a header alone. */
static bool write_tables(FILE *o, Lang lang, const char *dir, const Program *p, const TestFile *tf, const TfCase *c)
{
    for (uint32_t k = 0; k <= p->ntables; k++) {
        const ZTable *t = program_table(p, k);
        if (k == p->ntables && !t->nfields) continue;
        const char *name = program_string(p, t->table);
        char *path = table_path(dir, p, k);
        FILE *f = fopen(path, "w");
        if (!f) {
            fprintf(o, msg_text(lang, MSG_CANNOT_WRITE), path, strerror(errno));
            free(path);
            return false;
        }
        const TfTable *tt = find_table(c, tf, name);
        if (tt) fputs(tt->csv, f);
        else
            for (uint32_t i = 0; i < t->nfields; i++)
                fprintf(f, "%s%s", program_string(p, t->fields[i].column), i + 1 < t->nfields ? "," : "\n");
        bool bad = fclose(f) != 0;
        if (bad) fprintf(o, msg_text(lang, MSG_CANNOT_WRITE), path, strerror(errno));
        free(path);
        if (bad) return false;
    }
    return true;
}

static void remove_tables(const char *dir, const Program *p)
{
    for (uint32_t k = 0; k <= p->ntables; k++) {
        char *path = table_path(dir, p, k);
        unlink(path);
        free(path);
    }
    rmdir(dir);
}

/* The reader's message with the temporary folder's "DIR/NAME.csv:LINE" turned
 * back into the test file's line. */
static void data_error(FILE *o, Lang lang, const char *tpath, const char *tmp, const TestFile *tf, const TfCase *c, const char *err)
{
    const char *at = tmp ? strstr(err, tmp) : NULL;
    if (at && at[strlen(tmp)] == '/') {
        const char *name = at + strlen(tmp) + 1, *dot = strstr(name, ".csv");
        if (dot) {
            char tname[256];
            snprintf(tname, sizeof tname, "%.*s", (int)(dot - name), name);
            const TfTable *tt = find_table(c, tf, tname);
            const char *rest = dot + 4;
            unsigned long line = 0;
            if (*rest == ':') {
                char *end;
                line = strtoul(rest + 1, &end, 10);
                if (end != rest + 1) rest = end;
            }
            uint32_t src = tt && line >= 1 && line <= tt->nlines ? tt->src_lines[line - 1] : tt ? tt->line : c->line;
            Esc x;
            fprintf(o, msg_text(lang, MSG_TEST_TABLE_AT), esc(&x, 0, tpath), src, esc(&x, 1, tname), esc(&x, 2, rest));
            return;
        }
    }
    text_write_escaped(o, tpath);
    fprintf(o, ":%u: ", c->line);
    text_write_escaped(o, err);
    fputc('\n', o);
}

static const char *pick(const char *a, const char *b) { return a ? a : b; }

static void cover(Runner *R, CovPolicy *cov, const CaseRun *cr)
{
    if (!R->coverage || !cov) return;
    for (uint32_t i = 0; i < cr->nacts; i++) {
        if (cr->acts[i].kind == TF_KEPT) cov->rules[cr->acts[i].rule].kept = true;
        if (cr->acts[i].kind == TF_VIOLATED) cov->rules[cr->acts[i].rule].violated = true;
    }
}

/* Runs case c; the failure text (or NULL) in *failure. */
static char *run_case(Runner *R, CovPolicy *cov, const char *tpath, const char *tdir, const TestFile *tf, const TfCase *c, const Program *p)
{
    char *text = NULL;
    size_t textlen = 0;
    FILE *o = open_memstream(&text, &textlen);
    if (!o) abort();
    put(o, "FAIL ", tpath);
    fprintf(o, ":%u: ", c->line);
    text_write_escaped(o, c->name);
    fputc('\n', o);
    Esc x;
    const char *data = pick(c->set.data, tf->set.data);
    uint32_t data_line = c->set.data ? c->set.data_line : tf->set.data_line;
    char *data_path = NULL, tmp[ZT_PATH_MAX] = "";
    CaseRun cr = {tpath, p, NULL, {0}, NULL, 0, 0, R->lang};
    bool ok = false, ran = false;
    int tz = p->meta.tz_offset;
    RunOptions ro = {0};
    const char *from = pick(c->set.from, tf->set.from), *as_of = pick(c->set.as_of, tf->set.as_of);
    if (data && (c->set.ntables || tf->set.ntables)) {
        fprintf(o, msg_text(R->lang, MSG_TEST_DATA_AND_TABLE), esc(&x, 0, tpath), data_line);
    } else if (from && !(ro.has_from = parse_time(from, tz, &ro.from))) {
        fprintf(o, msg_text(R->lang, MSG_TEST_FROM_TIME), esc(&x, 0, tpath), c->set.from ? c->set.from_line : tf->set.from_line, esc(&x, 1, from));
    } else if (as_of && !(ro.has_as_of = parse_time(as_of, tz, &ro.as_of))) {
        fprintf(o, msg_text(R->lang, MSG_TEST_AS_OF_TIME), esc(&x, 0, tpath), c->set.as_of ? c->set.as_of_line : tf->set.as_of_line, esc(&x, 1, as_of));
    } else if (!data && tables_known(o, R->lang, tpath, p, &tf->set) && tables_known(o, R->lang, tpath, p, &c->set)) {
        const char *base = getenv("TMPDIR");
        snprintf(tmp, sizeof tmp, "%s/zdtest.XXXXXX", base && *base ? base : "/tmp");
        if (!mkdtemp(tmp)) {
            fprintf(o, msg_text(R->lang, MSG_TEST_TMP_FOLDER), base && *base ? base : "/tmp", strerror(errno));
            tmp[0] = '\0';
        } else if (write_tables(o, R->lang, tmp, p, tf, c)) {
            data_path = xstrdup(tmp);
        }
    } else if (data) {
        data_path = join_path(tdir, data);
    }
    if (data_path) {
        ro.unit = pick(c->set.unit, tf->set.unit);
        ro.window = 0;
        ro.record_judged = true;
        InputOptions io = {.report = stderr, .lang = R->lang};
        InputStats stats;
        char err[1024];
        if (engine_run_input(p, data_path, &io, &ro, &cr.ds, &cr.res, &stats, err, sizeof err) != 0) {
            data_error(o, R->lang, tpath, tmp[0] ? tmp : NULL, tf, c, err);
        } else {
            ran = true;
            collect(&cr);
            ok = compare(o, &cr, c);
            cover(R, cov, &cr);
        }
    }
    if (tmp[0]) remove_tables(tmp, p);
    free(data_path);
    if (ran) {
        run_result_free(&cr.res);
        dataset_free(cr.ds);
    }
    free(cr.acts);
    fclose(o);
    if (ok) {
        free(text);
        return NULL;
    }
    return text;
}

/* ---- files --------------------------------------------------------------- */

static Program *compile_policy(const char *path, FILE *o, Lang lang)
{
    Compilation *c = compile_new();
    if (!c) abort();
    c->diag.lang = lang;
    Program *p = NULL;
    if (!compile_check_file(c, path)) fprintf(o, msg_text(lang, MSG_CANNOT_READ), path, msg_translate(lang, file_error(c->io_errno)));
    else if (c->diag.errors) diag_print_text(&c->diag, o, false);
    else p = compile_take_program(c);
    compile_free(c);
    return p;
}

static CovPolicy *coverage_of(Runner *R, const char *path, const Program *p)
{
    if (!R->coverage) return NULL;
    char *key = realpath(path, NULL);
    if (!key) key = xstrdup(path);
    for (uint32_t i = 0; i < R->ncov; i++)
        if (!strcmp(R->cov[i].key, key)) {
            free(key);
            return &R->cov[i];
        }
    R->cov = xrealloc(R->cov, sizeof *R->cov * (R->ncov + 1));
    CovPolicy *cp = &R->cov[R->ncov++];
    cp->key = key;
    cp->shown = xstrdup(path);
    cp->nrules = p->nrules;
    cp->rules = xrealloc(NULL, sizeof *cp->rules * (p->nrules + 1u));
    for (uint32_t k = 0; k < p->nrules; k++) {
        const ZRule *r = &p->rules[k];
        CovRule *cr = &cp->rules[k];
        cr->name = xstrdup(program_string(p, r->name));
        cr->nclauses = r->nclauses;
        cr->clauses = xrealloc(NULL, sizeof *cr->clauses * (r->nclauses + 1u));
        for (uint32_t i = 0; i < r->nclauses; i++) cr->clauses[i] = xstrdup(program_string(p, r->clauses[i].id));
        cr->kept = cr->violated = false;
        cr->disabled = r->disabled;
    }
    return cp;
}

static char *failure_text(const char *fmt, const char *a, const char *b)
{
    char *text = NULL;
    size_t n = 0;
    FILE *o = open_memstream(&text, &n);
    if (!o) abort();
    Esc x;
    fprintf(o, fmt, esc(&x, 0, a), esc(&x, 1, b));
    fclose(o);
    return text;
}

static void run_file(Runner *R, const char *path)
{
    size_t len;
    char *text = file_read(path, FILE_MAX_BYTES, &len);
    if (!text) {
        record(R, path, "(file)", failure_text(msg_text(R->lang, MSG_TEST_CANNOT_READ), path, msg_translate(R->lang, file_error(errno))));
        return;
    }
    TestFile tf;
    char err[1024];
    int rc = ztf_parse(text, len, R->lang, &tf, err, sizeof err);
    free(text);
    if (rc != 0) {
        record(R, path, "(file)", failure_text("FAIL %s:%s\n", path, err));
        return;
    }
    char *dir = xstrdup(path), *slash = strrchr(dir, '/');
    if (slash) *slash = '\0';
    else strcpy(dir, ".");
    char *policy = join_path(dir, tf.policy);
    char *msg = NULL;
    size_t msglen = 0;
    FILE *o = open_memstream(&msg, &msglen);
    if (!o) abort();
    Program *p = compile_policy(policy, o, R->lang);
    fclose(o);
    if (!p) {
        char line[32];
        snprintf(line, sizeof line, "%u", tf.policy_line);
        char *f = failure_text(msg_text(R->lang, MSG_TEST_NO_COMPILE), path, line);
        f = xrealloc(f, strlen(f) + strlen(msg) + 1);
        strcat(f, msg);
        record(R, path, "(policy)", f);
    } else {
        CovPolicy *cov = coverage_of(R, policy, p);
        for (uint32_t i = 0; i < tf.ncases; i++) record(R, path, tf.cases[i].name, run_case(R, cov, path, dir, &tf, &tf.cases[i], p));
        program_free(p);
    }
    free(msg);
    free(policy);
    free(dir);
    ztf_free(&tf);
}

/* ---- finding test files -------------------------------------------------- */

typedef struct PathList {
    char **v;
    uint32_t n;
} PathList;

static int cmp_path(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void find_tests(const char *dir, PathList *out)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char *path = join_path(strcmp(dir, ".") ? dir : "", e->d_name);
        struct stat st;
        if (lstat(path, &st) != 0) {
            free(path);
            continue;
        }
        size_t n = strlen(path);
        if (S_ISDIR(st.st_mode)) {
            find_tests(path, out);
            free(path);
        } else if (S_ISREG(st.st_mode) && n > 7 && !strcmp(path + n - 7, ".zdtest")) {
            out->v = xrealloc(out->v, sizeof *out->v * (out->n + 1));
            out->v[out->n++] = path;
        } else {
            free(path);
        }
    }
    closedir(d);
}

/* ---- reports -------------------------------------------------------------- */

static void print_coverage(const Runner *R)
{
    for (uint32_t i = 0; i < R->ncov; i++) {
        const CovPolicy *cp = &R->cov[i];
        uint32_t both = 0;
        put(stdout, "coverage of ", cp->shown);
        fputs(":\n", stdout);
        for (uint32_t k = 0; k < cp->nrules; k++) {
            const CovRule *r = &cp->rules[k];
            both += r->kept && r->violated;
            if (r->disabled) {
                put(stdout, "  rule ", r->name);
                fputs(": disabled\n", stdout);
                continue;
            }
            put(stdout, "  rule ", r->name);
            printf(":%s%s\n", r->kept ? " kept" : " NEVER KEPT", r->violated ? ", violated" : ", NEVER VIOLATED");
        }
        /* clauses, in the order first cited */
        uint32_t nclauses = 0, cboth = 0;
        for (uint32_t k = 0; k < cp->nrules; k++)
            for (uint32_t c = 0; c < cp->rules[k].nclauses; c++) {
                const char *id = cp->rules[k].clauses[c];
                bool seen = false, kept = false, violated = false;
                for (uint32_t j = 0; j < cp->nrules && !seen; j++)
                    for (uint32_t d = 0; d < cp->rules[j].nclauses; d++)
                        if (!strcmp(cp->rules[j].clauses[d], id)) {
                            if (j < k || (j == k && d < c)) seen = true;
                            kept |= cp->rules[j].kept;
                            violated |= cp->rules[j].violated;
                        }
                if (seen) continue;
                nclauses++;
                cboth += kept && violated;
                put(stdout, "  clause ", id);
                printf(":%s%s\n", kept ? " kept" : " NEVER KEPT", violated ? ", violated" : ", NEVER VIOLATED");
            }
        printf("  %u of %u rules and %u of %u clauses both kept and violated\n", both, cp->nrules, cboth, nclauses);
    }
}

static void xml_text(FILE *o, const char *s)
{
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '<') fputs("&lt;", o);
        else if (ch == '>') fputs("&gt;", o);
        else if (ch == '&') fputs("&amp;", o);
        else if (ch == '"') fputs("&quot;", o);
        else if (ch < 0x20 && ch != '\n' && ch != '\t') fprintf(o, "&#xFFFD;");
        else fputc(ch, o);
    }
}

static int write_junit(const Runner *R, const char *name)
{
    char err[1024];
    OutFile o;
    if (outfile_open(&o, name, true, true, R->lang, err, sizeof err) != 0) {
        fprintf(stderr, msg_text(R->lang, MSG_CANNOT_WRITE), name, err);
        return -1;
    }
    errno = 0;
    FILE *f = o.f;
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"zhidu test\" tests=\"%u\" failures=\"%u\">\n",
            R->passed + R->failed, R->failed);
    for (uint32_t i = 0; i < R->nresults;) {
        uint32_t j = i, nfail = 0;
        while (j < R->nresults && !strcmp(R->results[j].file, R->results[i].file)) nfail += R->results[j++].failure != NULL;
        fputs("  <testsuite name=\"", f);
        xml_text(f, R->results[i].file);
        fprintf(f, "\" tests=\"%u\" failures=\"%u\">\n", j - i, nfail);
        for (; i < j; i++) {
            const CaseResult *c = &R->results[i];
            fputs("    <testcase classname=\"", f);
            xml_text(f, c->file);
            fputs("\" name=\"", f);
            xml_text(f, c->name);
            if (!c->failure) {
                fputs("\"/>\n", f);
                continue;
            }
            fputs("\">\n      <failure message=\"expected and actual verdicts differ\">", f);
            xml_text(f, c->failure);
            fputs("</failure>\n    </testcase>\n", f);
        }
        fputs("  </testsuite>\n", f);
    }
    fputs("</testsuites>\n", f);
    if (outfile_commit(&o, err, sizeof err) != 0) {
        fprintf(stderr, msg_text(R->lang, MSG_CANNOT_WRITE), name, err);
        return -1;
    }
    return 0;
}

static void runner_free(Runner *R)
{
    for (uint32_t i = 0; i < R->nresults; i++) free(R->results[i].file), free(R->results[i].name), free(R->results[i].failure);
    free(R->results);
    for (uint32_t i = 0; i < R->ncov; i++) {
        for (uint32_t k = 0; k < R->cov[i].nrules; k++) {
            for (uint32_t c = 0; c < R->cov[i].rules[k].nclauses; c++) free(R->cov[i].rules[k].clauses[c]);
            free(R->cov[i].rules[k].clauses);
            free(R->cov[i].rules[k].name);
        }
        free(R->cov[i].rules);
        free(R->cov[i].key);
        free(R->cov[i].shown);
    }
    free(R->cov);
}

static int run_test(const Command *cmd, const CliArgs *args)
{
    Runner R = {.lang = args->lang};
    const char *junit = cli_value(cmd, args, "--junit");
    R.coverage = cli_value(cmd, args, "--coverage") != NULL;
    PathList paths = {0};
    int rc = EXIT_OK;
    if (junit && !*junit) rc = cli_usage_error(cmd, args->lang, NULL, msg_text(args->lang, MSG_NEEDS_VALUE), "--junit");
    for (int i = 0; i < args->npos && rc == EXIT_OK; i++) {
        const char *a = args->pos[i];
        struct stat st;
        if (stat(a, &st) != 0) {
            fprintf(stderr, msg_text(args->lang, MSG_CANNOT_READ), a, msg_translate(args->lang, file_error(errno)));
            rc = EXIT_USAGE;
        } else if (S_ISDIR(st.st_mode)) {
            uint32_t first = paths.n;
            find_tests(a, &paths);
            if (paths.n > first) qsort(paths.v + first, paths.n - first, sizeof *paths.v, cmp_path);
        } else {
            paths.v = xrealloc(paths.v, sizeof *paths.v * (paths.n + 1));
            paths.v[paths.n++] = xstrdup(a);
        }
    }
    if (rc == EXIT_OK && args->npos == 0) {
        find_tests(".", &paths);
        if (paths.n) qsort(paths.v, paths.n, sizeof *paths.v, cmp_path);
    }
    if (rc == EXIT_OK && paths.n == 0) {
        fputs(msg_text(args->lang, MSG_TEST_NONE_FOUND), stderr);
        rc = EXIT_USAGE;
    }
    for (uint32_t i = 0; rc == EXIT_OK && i < paths.n; i++) run_file(&R, paths.v[i]);
    if (rc == EXIT_OK) {
        if (R.coverage) print_coverage(&R);
        printf("%u passed, %u failed\n", R.passed, R.failed);
        fflush(stdout);
        if (junit && write_junit(&R, junit) != 0) rc = EXIT_USAGE;
        else rc = R.failed ? EXIT_FINDINGS : EXIT_OK;
    }
    for (uint32_t i = 0; i < paths.n; i++) free(paths.v[i]);
    free(paths.v);
    runner_free(&R);
    return rc;
}

static const CliOption test_options[] = {
    {"--junit", "FILE", NULL, MSG_O_TEST_JUNIT},
    {"--coverage", NULL, NULL, MSG_O_TEST_COVERAGE},
    {0},
};

const Command test_command = {
    "test",
    MSG_CMD_TEST,
    "test [PATH...] [--junit FILE] [--coverage]",
    MSG_H_TEST,
    test_options,
    run_test,
};
