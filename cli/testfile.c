/* testfile.c - parsing .zdtest files (testfile.h): one directive a line,
 * `#` comments, `table NAME` … `end` blocks of CSV. Must not read the policy
 * or any data: it only splits the text and says where it is malformed. */
#include "testfile.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const tf_outcome_name[TF_OUTCOME_COUNT] = {"violated", "kept", "pending", "exempt"};

typedef struct Parser {
    const char *p, *end;
    uint32_t line;
    char *err;
    size_t errsize;
    Lang lang; /* of the messages */
} Parser;

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) abort();
    return p;
}

static char *xstrndup(const char *s, size_t n)
{
    char *d = xrealloc(NULL, n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

static int fail(Parser *ps, uint32_t line, MsgId msg, ...)
{
    int k = snprintf(ps->err, ps->errsize, "%u: ", line);
    va_list ap;
    va_start(ap, msg);
    if (k >= 0 && (size_t)k < ps->errsize) vsnprintf(ps->err + k, ps->errsize - (size_t)k, msg_text(ps->lang, msg), ap);
    va_end(ap);
    return -1;
}

static bool is_space(char c) { return c == ' ' || c == '\t'; }

/* The next line without its end and without leading and trailing blanks;
 * false at the end of the text. */
static bool next_line(Parser *ps, const char **s, size_t *n)
{
    if (ps->p >= ps->end) return false;
    const char *a = ps->p, *e = memchr(a, '\n', (size_t)(ps->end - a));
    if (!e) e = ps->end;
    ps->p = e < ps->end ? e + 1 : e;
    ps->line++;
    while (a < e && is_space(*a)) a++;
    while (e > a && (is_space(e[-1]) || e[-1] == '\r')) e--;
    *s = a;
    *n = (size_t)(e - a);
    return true;
}

/* Splits off the first word of [*s, *s + *n). */
static bool word(const char **s, size_t *n, const char **w, size_t *wn)
{
    while (*n && is_space(**s)) (*s)++, (*n)--;
    if (!*n) return false;
    *w = *s;
    while (*n && !is_space(**s)) (*s)++, (*n)--;
    *wn = (size_t)(*s - *w);
    while (*n && is_space(**s)) (*s)++, (*n)--;
    return true;
}

static bool is(const char *w, size_t n, const char *kw) { return strlen(kw) == n && !memcmp(w, kw, n); }

static int read_table(Parser *ps, TfSettings *set, const char *name, size_t nlen)
{
    uint32_t start = ps->line;
    for (uint32_t i = 0; i < set->ntables; i++)
        if (is(name, nlen, set->tables[i].name)) return fail(ps, start, MSG_TF_TABLE_TWICE, set->tables[i].name);
    set->tables = xrealloc(set->tables, sizeof *set->tables * (set->ntables + 1));
    TfTable *t = &set->tables[set->ntables++];
    memset(t, 0, sizeof *t);
    t->name = xstrndup(name, nlen);
    t->line = start;
    size_t len = 0;
    const char *s;
    size_t n;
    while (next_line(ps, &s, &n)) {
        if (n == 0 || s[0] == '#') continue;
        if (is(s, n, "end")) {
            if (t->nlines == 0) return fail(ps, start, MSG_TF_TABLE_EMPTY, t->name);
            return 0;
        }
        t->csv = xrealloc(t->csv, len + n + 2);
        memcpy(t->csv + len, s, n);
        len += n;
        t->csv[len++] = '\n';
        t->csv[len] = '\0';
        t->src_lines = xrealloc(t->src_lines, sizeof *t->src_lines * (t->nlines + 1));
        t->src_lines[t->nlines++] = ps->line;
    }
    return fail(ps, start, MSG_TF_TABLE_NO_END, t->name);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* OUTCOME RULE [window FROM[..TO]] [trigger ID] [unit U] [subjects A, B …] */
static int read_expect(Parser *ps, TfCase *c, uint8_t outcome, const char *s, size_t n)
{
    const char *w;
    size_t wn;
    if (!word(&s, &n, &w, &wn)) return fail(ps, ps->line, MSG_TF_NEEDS_RULE, tf_outcome_name[outcome]);
    c->expects = xrealloc(c->expects, sizeof *c->expects * (c->nexpects + 1));
    TfExpect *e = &c->expects[c->nexpects++];
    memset(e, 0, sizeof *e);
    e->outcome = outcome;
    e->line = ps->line;
    e->rule = xstrndup(w, wn);
    while (word(&s, &n, &w, &wn)) {
        char *kw = xstrndup(w, wn);
        int rc = 0;
        if (is(w, wn, "subjects")) {
            /* the rest of the line: names separated by commas and/or blanks */
            while (n) {
                size_t k = 0;
                while (k < n && s[k] != ',' && !is_space(s[k])) k++;
                if (k) {
                    e->subjects = xrealloc(e->subjects, sizeof *e->subjects * (e->nsubjects + 1));
                    e->subjects[e->nsubjects++] = xstrndup(s, k);
                }
                s += k, n -= k;
                while (n && (*s == ',' || is_space(*s))) s++, n--;
            }
            if (!e->nsubjects) rc = fail(ps, ps->line, MSG_TF_SUBJECTS_EMPTY);
            qsort(e->subjects, e->nsubjects, sizeof *e->subjects, cmp_str);
        } else if (is(w, wn, "window") || is(w, wn, "trigger") || is(w, wn, "unit")) {
            const char *v;
            size_t vn;
            if (!word(&s, &n, &v, &vn)) rc = fail(ps, ps->line, MSG_TF_NEEDS_VALUE, kw);
            else if (e->window_from || e->trigger ? kw[0] != 'u' : false)
                rc = fail(ps, ps->line, MSG_TF_WINDOW_OR_TRIGGER);
            else if (kw[0] == 'u') {
                if (e->unit) rc = fail(ps, ps->line, MSG_TF_UNIT_TWICE);
                else e->unit = xstrndup(v, vn);
            } else if (kw[0] == 't') {
                e->trigger = xstrndup(v, vn);
            } else {
                const char *dots = NULL;
                for (size_t i = 0; i + 1 < vn; i++)
                    if (v[i] == '.' && v[i + 1] == '.') { dots = v + i; break; }
                e->window_from = xstrndup(v, dots ? (size_t)(dots - v) : vn);
                if (dots) e->window_to = xstrndup(dots + 2, vn - (size_t)(dots + 2 - v));
            }
        } else {
            rc = fail(ps, ps->line, MSG_TF_UNKNOWN_WORD, kw);
        }
        free(kw);
        if (rc) return rc;
    }
    if (!e->window_from && !e->trigger)
        return fail(ps, ps->line, MSG_TF_WHICH_VERDICT);
    return 0;
}

static int set_value(Parser *ps, char **slot, uint32_t *line, const char *kw, const char *s, size_t n)
{
    if (!n) return fail(ps, ps->line, MSG_TF_NEEDS_VALUE, kw);
    if (*slot) return fail(ps, ps->line, MSG_TF_GIVEN_TWICE, kw);
    *slot = xstrndup(s, n);
    if (line) *line = ps->line;
    return 0;
}

static int parse(Parser *ps, TestFile *f)
{
    const char *s, *w;
    size_t n, wn;
    TfCase *c = NULL;
    while (next_line(ps, &s, &n)) {
        if (n == 0 || s[0] == '#') continue;
        word(&s, &n, &w, &wn);
        TfSettings *set = c ? &c->set : &f->set;
        int rc = 0;
        uint8_t outcome = TF_OUTCOME_COUNT;
        for (uint8_t k = 0; k < TF_OUTCOME_COUNT; k++)
            if (is(w, wn, tf_outcome_name[k])) outcome = k;
        if (is(w, wn, "policy")) {
            if (c) rc = fail(ps, ps->line, MSG_TF_POLICY_FIRST);
            else rc = set_value(ps, &f->policy, &f->policy_line, "policy", s, n);
        } else if (is(w, wn, "data")) {
            rc = set_value(ps, &set->data, &set->data_line, "data", s, n);
        } else if (is(w, wn, "from")) {
            rc = set_value(ps, &set->from, &set->from_line, "from", s, n);
        } else if (is(w, wn, "as-of")) {
            rc = set_value(ps, &set->as_of, &set->as_of_line, "as-of", s, n);
        } else if (is(w, wn, "unit")) {
            rc = set_value(ps, &set->unit, NULL, "unit", s, n);
        } else if (is(w, wn, "table")) {
            const char *t;
            size_t tn;
            if (!word(&s, &n, &t, &tn) || n) rc = fail(ps, ps->line, MSG_TF_TABLE_ONE_NAME);
            else rc = read_table(ps, set, t, tn);
        } else if (is(w, wn, "case")) {
            if (n >= 2 && s[0] == '"' && s[n - 1] == '"') s++, n -= 2;
            if (!n) return fail(ps, ps->line, MSG_TF_CASE_NAME);
            for (uint32_t i = 0; i < f->ncases; i++)
                if (is(s, n, f->cases[i].name)) return fail(ps, ps->line, MSG_TF_CASE_TWICE, f->cases[i].name, f->cases[i].line);
            f->cases = xrealloc(f->cases, sizeof *f->cases * (f->ncases + 1));
            c = &f->cases[f->ncases++];
            memset(c, 0, sizeof *c);
            c->name = xstrndup(s, n);
            c->line = ps->line;
        } else if (outcome < TF_OUTCOME_COUNT) {
            if (!c) rc = fail(ps, ps->line, MSG_TF_VERDICT_OUTSIDE);
            else rc = read_expect(ps, c, outcome, s, n);
        } else {
            char *kw = xstrndup(w, wn);
            rc = fail(ps, ps->line, MSG_TF_UNKNOWN_DIRECTIVE, kw);
            free(kw);
        }
        if (rc) return rc;
    }
    if (!f->policy) return fail(ps, ps->line ? ps->line : 1, MSG_TF_NO_POLICY);
    if (!f->ncases) return fail(ps, ps->line ? ps->line : 1, MSG_TF_NO_CASE);
    for (uint32_t i = 0; i < f->ncases; i++)
        if (!f->cases[i].nexpects) return fail(ps, f->cases[i].line, MSG_TF_CASE_EMPTY, f->cases[i].name);
    return 0;
}

int ztf_parse(const char *text, size_t len, Lang lang, TestFile *out, char *err, size_t errsize)
{
    memset(out, 0, sizeof *out);
    Parser ps = {text, text + len, 0, err, errsize, lang};
    if (memchr(text, '\0', len)) return fail(&ps, 1, MSG_TF_NUL);
    if (parse(&ps, out) != 0) {
        ztf_free(out);
        return -1;
    }
    return 0;
}

static void free_settings(TfSettings *s)
{
    free(s->data), free(s->from), free(s->as_of), free(s->unit);
    for (uint32_t i = 0; i < s->ntables; i++) free(s->tables[i].name), free(s->tables[i].csv), free(s->tables[i].src_lines);
    free(s->tables);
}

void ztf_free(TestFile *f)
{
    free(f->policy);
    free_settings(&f->set);
    for (uint32_t i = 0; i < f->ncases; i++) {
        TfCase *c = &f->cases[i];
        free(c->name);
        free_settings(&c->set);
        for (uint32_t j = 0; j < c->nexpects; j++) {
            TfExpect *e = &c->expects[j];
            free(e->rule), free(e->window_from), free(e->window_to), free(e->trigger), free(e->unit);
            for (uint32_t k = 0; k < e->nsubjects; k++) free(e->subjects[k]);
            free(e->subjects);
        }
        free(c->expects);
    }
    free(f->cases);
    memset(f, 0, sizeof *f);
}
