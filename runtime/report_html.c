/* report_html.c - writes the HTML report: everything is rendered here as
 * static HTML (readable without script and when printed); the script
 * (report_html.js) only filters the list of violations. Every string from the
 * data or the policy goes through esc(). Headings come from the message
 * catalogue (msg.def) in the language of ReportInfo. */
#define _GNU_SOURCE /* qsort_r: orders that need the data set's strings, without globals */
#include "report_html.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report_html_assets.h" /* generated: report_css, report_js */
#include "msg.h"
#include "verdict.h"
#include "ztime.h"

typedef struct Page {
    FILE *out;
    const Program *p;
    const Dataset *ds;
    const RunResult *r;
    Lang lang;            /* from ReportInfo */
    bool *failed;         /* out of memory: a part is left out and the page is void */
} Page;

static const char *T(const Page *pg, MsgId m) { return msg_text(pg->lang, m); }
static const char *S(const Page *pg, StrId id) { return strtab_str(&pg->ds->strs, id); }
static const char *PS(const Page *pg, uint32_t id) { return program_string(pg->p, id); }

/* Writes the n bytes at s with the five HTML-significant characters escaped
 * (text and attribute values). */
static void esc_n(FILE *out, const char *s, size_t n)
{
    for (const char *end = s + n; s < end; s++) {
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default: fputc(*s, out);
        }
    }
}

static void esc(FILE *out, const char *s) { esc_n(out, s, strlen(s)); }

static const char *sev_key(uint8_t s) { return s == 1 ? "must" : "in-principle"; }
static const char *sev_text(const Page *pg, uint8_t s) { return T(pg, s == 1 ? MSG_SEV_MUST : M_IN_PRINCIPLE); }

/* The local date of t ("2024-04-15"); last=true: of the second before t (a window's last day). */
static void date_str(const Page *pg, int64_t t, bool last, char *buf)
{
    char full[40];
    zt_format(last ? t - 1 : t, pg->p->meta.tz_offset, full, sizeof full);
    memcpy(buf, full, 10);
    buf[10] = '\0';
}

static void time_str(const Page *pg, int64_t t, char *buf, size_t size)
{
    char full[40];
    zt_format(t, pg->p->meta.tz_offset, full, sizeof full);
    snprintf(buf, size, "%.10s %.5s", full, full + 11); /* "2024-04-15 08:30" */
}

static void unit_name(const Page *pg, StrId unit)
{
    const char *u = S(pg, unit);
    esc(pg->out, *u ? u : T(pg, M_WHOLE));
}

/* A subject as people read it: "name（id）" when the roster names them. */
static void person(const Page *pg, StrId unit, StrId s)
{
    const char *name = engine_person_name(pg->ds, unit, s);
    if (name && *name && strcmp(name, S(pg, s))) {
        esc(pg->out, name);
        fputs("（", pg->out);
        esc(pg->out, S(pg, s));
        fputs("）", pg->out);
    } else {
        esc(pg->out, S(pg, s));
    }
}

static void source(const Page *pg, int64_t loc)
{
    fputs("<span class=\"src\">", pg->out);
    esc(pg->out, pg->ds->event_source ? pg->ds->event_source : "events");
    fprintf(pg->out, ":%lld</span>", (long long)loc);
}

typedef struct Counts {
    uint32_t must, in_principle, pending;
} Counts;

static Counts count(const Page *pg, int rule, const StrId *unit)
{
    Counts c = {0, 0, 0};
    for (uint32_t i = 0; i < pg->r->n; i++) {
        const Violation *v = &pg->r->v[i];
        if ((rule >= 0 && v->rule != (uint32_t)rule) || (unit && v->unit != *unit)) continue;
        if (v->pending) c.pending++;
        else if (pg->p->rules[v->rule].severity == ZS_MUST) c.must++;
        else c.in_principle++;
    }
    return c;
}

/* ---- header ---------------------------------------------------------------------------- */

/* The data set's name without directories or extension, so that a CSV
 * directory and the SQLite file made from it read alike. */
static void data_name(const Page *pg, const char *path)
{
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/') n--;
    size_t b = n;
    while (b > 0 && path[b - 1] != '/') b--;
    size_t e = n;
    for (size_t k = n; k > b; k--)
        if (path[k - 1] == '.') { e = k - 1; break; }
    if (e == b) e = n;
    esc_n(pg->out, path + b, e - b);
}

static void write_header(const Page *pg, const ReportInfo *info)
{
    FILE *o = pg->out;
    const ZMeta *m = &pg->p->meta;
    fputs("<header>\n<h1>", o);
    esc(o, PS(pg, m->title));
    fprintf(o, " <small>%s</small></h1>\n<dl class=\"meta\">\n", T(pg, M_REPORT));
    fprintf(o, "<dt>%s</dt><dd>", T(pg, M_POLICY));
    esc(o, PS(pg, m->name));
    fprintf(o, "</dd>\n<dt>%s</dt><dd>", T(pg, M_DOCUMENT));
    esc(o, PS(pg, m->document));
    fprintf(o, "</dd>\n<dt>%s</dt><dd>", T(pg, M_DATA));
    if (info && info->data_path) {
        data_name(pg, info->data_path);
        fputs(" <span class=\"src\">", o);
        esc(o, info->data_path);
        fputs("</span>", o);
    }
    fputs("</dd>\n</dl>\n", o);
    fprintf(o, "<table class=\"units\">\n<caption>%s</caption>\n<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
               "<th scope=\"col\">%s</th><th scope=\"col\">%s %s</th><th scope=\"col\">%s %s</th><th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
            T(pg, M_UNITS), T(pg, M_UNIT), T(pg, M_RANGE), T(pg, M_EVENTS), T(pg, M_VIOLATIONS), T(pg, MSG_SEV_MUST),
            T(pg, M_VIOLATIONS), T(pg, M_IN_PRINCIPLE), T(pg, M_PENDING));
    for (uint32_t u = 0; u < pg->r->nunits; u++) {
        const UnitSummary *us = &pg->r->units[u];
        char a[40], b[40];
        time_str(pg, us->r0, a, sizeof a);
        time_str(pg, us->r1, b, sizeof b);
        Counts c = count(pg, -1, &us->unit);
        fputs("<tr><th scope=\"row\">", o);
        unit_name(pg, us->unit);
        fprintf(o, "</th><td>%s – %s</td><td class=\"n\">%u</td><td class=\"n\">%u</td><td class=\"n\">%u</td><td class=\"n\">%u</td></tr>\n",
                a, b, us->events, c.must, c.in_principle, c.pending);
    }
    Counts all = count(pg, -1, NULL);
    fprintf(o, "</tbody>\n<tfoot><tr><th scope=\"row\">%s</th><td></td><td></td><td class=\"n\">%u</td><td class=\"n\">%u</td>"
               "<td class=\"n\">%u</td></tr></tfoot>\n</table>\n</header>\n",
            T(pg, M_TOTAL), all.must, all.in_principle, all.pending);
}

static void write_overview(const Page *pg)
{
    FILE *o = pg->out;
    fprintf(o, "<section id=\"rules\" aria-labelledby=\"h-rules\">\n<h2 id=\"h-rules\">%s</h2>\n<table class=\"rules\">\n<thead><tr>"
               "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
               "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
            T(pg, M_RULES), T(pg, M_RULE), T(pg, M_TAGS), T(pg, M_CLAUSE), T(pg, M_SEVERITY), T(pg, M_VIOLATIONS),
            T(pg, M_PENDING), T(pg, M_STATUS));
    for (uint32_t k = 0; k < pg->p->nrules; k++) {
        const ZRule *rule = &pg->p->rules[k];
        Counts c = count(pg, (int)k, NULL);
        fprintf(o, "<tr%s><th scope=\"row\"><a href=\"#r%u\">", rule->disabled ? " class=\"off\"" : "", k);
        esc(o, PS(pg, rule->name));
        fputs("</a></th><td>", o);
        for (uint32_t t = 0; t < rule->ntags; t++) {
            if (t) fputc(' ', o);
            esc(o, PS(pg, rule->tags[t]));
        }
        fputs("</td><td>", o);
        for (uint32_t q = 0; q < rule->nclauses; q++) {
            if (q) fputc(' ', o);
            esc(o, PS(pg, rule->clauses[q].id));
        }
        fprintf(o, "</td><td>%s</td><td class=\"n\">%u</td><td class=\"n\">%u</td><td>", sev_text(pg, rule->severity),
                c.must + c.in_principle, c.pending);
        if (rule->disabled) {
            fprintf(o, "%s：", T(pg, M_DISABLED));
            esc(o, rule->disabled_reason == ZNONE ? "" : PS(pg, rule->disabled_reason));
        } else {
            fputs(T(pg, M_ACTIVE), o);
        }
        fputs("</td></tr>\n", o);
    }
    fputs("</tbody>\n</table>\n</section>\n", o);
}

/* ---- the pictures of one rule ---------------------------------------------------------- */

typedef enum State { ST_KEPT, ST_VIOLATED, ST_EXEMPT, ST_PENDING, ST_NOT_JUDGED, ST_COUNT } State;
static const char *const state_class[ST_COUNT] = {"k", "x", "e", "p", "n"};
static const char *const state_mark[ST_COUNT] = {"✓", "✗", "○", "…", "—"};
static const MsgId state_msg[ST_COUNT] = {M_KEPT, M_VIOLATED, M_EXEMPT, M_PENDING, M_NOT_JUDGED};

static void legend(const Page *pg)
{
    fprintf(pg->out, "<p class=\"legend\"><span class=\"sr\">%s：</span>", T(pg, M_LEGEND));
    for (int s = 0; s < ST_COUNT; s++)
        fprintf(pg->out, "<span class=\"st-%s\">%s</span> %s ", state_class[s], state_mark[s], T(pg, state_msg[s]));
    fputs("</p>\n", pg->out);
}

/* The first verdict (index into r->v) of rule k in unit u for the window [a, b)
 * or the trigger at input place `order`; UINT32_MAX if none. Verdicts are
 * sorted by unit and rule, so the search starts at that group. */
static uint32_t verdict_of(const Page *pg, uint32_t k, StrId u, bool periodic, int64_t a, int64_t b, uint32_t order)
{
    for (uint32_t i = 0; i < pg->r->n; i++) {
        const Violation *v = &pg->r->v[i];
        if (v->rule != k || v->unit != u || v->periodic != periodic) continue;
        if (periodic ? v->from == a && v->to == b : v->trigger_order == order) return i;
    }
    return UINT32_MAX;
}

static State state_at(const Page *pg, uint32_t vi, bool exempt)
{
    if (exempt) return ST_EXEMPT;
    if (vi == UINT32_MAX) return ST_KEPT;
    return pg->r->v[vi].pending ? ST_PENDING : ST_VIOLATED;
}

static int cmp_judged(const void *a, const void *b)
{
    const Judged *x = *(const Judged *const *)a, *y = *(const Judged *const *)b;
    if (x->from != y->from) return x->from < y->from ? -1 : 1;
    if (x->to != y->to) return x->to < y->to ? -1 : 1;
    if (x->order != y->order) return x->order < y->order ? -1 : 1;
    return (x->kind > y->kind) - (x->kind < y->kind);
}

/* The judged periods or triggers of rule k in unit *u (NULL: every unit), in time order, each once. */
static const Judged **judged_of(const Page *pg, uint32_t k, const StrId *u, uint32_t *n)
{
    const Judged **list = malloc(sizeof(Judged *) * (pg->r->njudged + 1u));
    *n = 0;
    if (!list) {
        *pg->failed = true;
        return NULL;
    }
    uint32_t m = 0;
    for (uint32_t i = 0; i < pg->r->njudged; i++)
        if (pg->r->judged[i].rule == k && (!u || pg->r->judged[i].unit == *u)) list[m++] = &pg->r->judged[i];
    qsort(list, m, sizeof *list, cmp_judged);
    uint32_t w = 0;
    for (uint32_t i = 0; i < m; i++)
        if (w == 0 || cmp_judged(&list[w - 1], &list[i]) != 0) list[w++] = list[i];
    *n = w;
    return list;
}

/* A cell's or mark's content: the symbol, a link to the verdict if any. */
static void mark(const Page *pg, State st, uint32_t vi)
{
    if (vi != UINT32_MAX) fprintf(pg->out, "<a href=\"#v%u\">%s</a>", vi, state_mark[st]);
    else fputs(state_mark[st], pg->out);
}

static bool same_period(const Judged *a, const Judged *b) { return a->from == b->from && a->to == b->to; }

/* One row per unit, one column per period judged in any unit (so the columns
 * line up): a unit's period outside its checked range is "not judged". */
static void write_strip(const Page *pg, uint32_t k)
{
    FILE *o = pg->out;
    fprintf(o, "<h4>%s</h4>\n", T(pg, M_CALENDAR));
    legend(pg);
    uint32_t ncols;
    const Judged **cols = judged_of(pg, k, NULL, &ncols);
    uint32_t w = 0;
    for (uint32_t i = 0; i < ncols; i++)
        if (w == 0 || !same_period(cols[w - 1], cols[i])) cols[w++] = cols[i];
    ncols = w;
    fputs("<div class=\"scroll\"><table class=\"strip\">\n<tbody>\n", o);
    for (uint32_t u = 0; u < pg->r->nunits; u++) {
        StrId unit = pg->r->units[u].unit;
        uint32_t n, at = 0;
        const Judged **list = judged_of(pg, k, &unit, &n);
        fputs("<tr><th scope=\"row\">", o);
        unit_name(pg, unit);
        fputs("</th>", o);
        for (uint32_t c = 0; c < ncols; c++) {
            const Judged *j = at < n && same_period(list[at], cols[c]) ? list[at++] : NULL;
            uint32_t vi = !j || j->kind == JUDGED_EXEMPT ? UINT32_MAX : verdict_of(pg, k, unit, true, j->from, j->to, 0);
            State st = !j ? ST_NOT_JUDGED : state_at(pg, vi, j->kind == JUDGED_EXEMPT);
            char a[16], b[16];
            date_str(pg, cols[c]->from, false, a);
            date_str(pg, cols[c]->to, true, b);
            fprintf(o, "<td class=\"st-%s\" title=\"%s – %s %s\">", state_class[st], a, b, T(pg, state_msg[st]));
            mark(pg, st, vi);
            fputs("</td>", o);
        }
        if (ncols == 0) fprintf(o, "<td>%s</td>", T(pg, M_NO_JUDGED));
        fputs("</tr>\n", o);
        free(list);
    }
    free(cols);
    fputs("</tbody>\n</table></div>\n", o);
}

/* A pair rule: periodic over calendar rows (semesters), each verdict naming two people. */
static bool is_pair_rule(const Page *pg, uint32_t k)
{
    const ZRule *rule = &pg->p->rules[k];
    if (!rule->periodic || rule->period != ZP_CALENDAR) return false;
    bool any = false;
    for (uint32_t i = 0; i < pg->r->n; i++) {
        if (pg->r->v[i].rule != k) continue;
        if (pg->r->v[i].nsubjects != 2) return false;
        any = true;
    }
    return any;
}

static int cmp_subject(const void *a, const void *b, void *pg)
{
    return strcmp(S(pg, *(const StrId *)a), S(pg, *(const StrId *)b));
}

/* The people named by rule k's verdicts in unit u: sorted by id text, each once. */
static StrId *pair_people(const Page *pg, uint32_t k, StrId u, uint32_t *n)
{
    StrId *ids = malloc(sizeof(StrId) * (2u * pg->r->n + 1u));
    *n = 0;
    if (!ids) {
        *pg->failed = true;
        return NULL;
    }
    uint32_t m = 0;
    for (uint32_t i = 0; i < pg->r->n; i++) {
        const Violation *v = &pg->r->v[i];
        if (v->rule == k && v->unit == u)
            for (uint32_t s = 0; s < v->nsubjects && s < 2; s++) ids[m++] = v->subjects[s];
    }
    qsort_r(ids, m, sizeof *ids, cmp_subject, (void *)pg);
    uint32_t w = 0;
    for (uint32_t i = 0; i < m; i++)
        if (w == 0 || ids[w - 1] != ids[i]) ids[w++] = ids[i];
    *n = w;
    return ids;
}

static void write_matrix(const Page *pg, uint32_t k)
{
    FILE *o = pg->out;
    fprintf(o, "<h4>%s</h4>\n<p>%s</p>\n", T(pg, M_MATRIX), T(pg, M_PAIR_NOTE));
    for (uint32_t u = 0; u < pg->r->nunits; u++) {
        StrId unit = pg->r->units[u].unit;
        uint32_t np, n;
        StrId *people = pair_people(pg, k, unit, &np);
        const Judged **list = judged_of(pg, k, &unit, &n);
        for (uint32_t i = 0; i < n && np; i++) {
            const Judged *j = list[i];
            if (j->kind == JUDGED_EXEMPT) continue;
            char a[16], b[16];
            date_str(pg, j->from, false, a);
            date_str(pg, j->to, true, b);
            fputs("<div class=\"scroll\"><table class=\"matrix\">\n<caption>", o);
            if (pg->r->nunits > 1) { unit_name(pg, unit); fputs(" ", o); }
            fprintf(o, "%s – %s</caption>\n<thead><tr><td></td>", a, b);
            for (uint32_t y = 0; y < np; y++) { /* the name only, to keep the columns narrow; the row says the id */
                const char *nm = engine_person_name(pg->ds, unit, people[y]);
                fputs("<th scope=\"col\" title=\"", o);
                esc(o, S(pg, people[y]));
                fputs("\">", o);
                esc(o, nm && *nm ? nm : S(pg, people[y]));
                fputs("</th>", o);
            }
            fputs("</tr></thead>\n<tbody>\n", o);
            for (uint32_t x = 0; x < np; x++) {
                fputs("<tr><th scope=\"row\">", o);
                person(pg, unit, people[x]);
                fputs("</th>", o);
                for (uint32_t y = 0; y < np; y++) {
                    uint32_t misses = 0, first = UINT32_MAX;
                    for (uint32_t vi = 0; vi < pg->r->n && x != y; vi++) {
                        const Violation *v = &pg->r->v[vi];
                        if (v->rule != k || v->unit != unit || v->from != j->from || v->to != j->to || v->pending) continue;
                        bool hit = (v->subjects[0] == people[x] && v->subjects[1] == people[y]) ||
                                   (v->subjects[0] == people[y] && v->subjects[1] == people[x]);
                        if (hit && misses++ == 0) first = vi;
                    }
                    if (x == y) fputs("<td class=\"self\"></td>", o);
                    else if (!misses) fputs("<td></td>", o);
                    else fprintf(o, "<td class=\"st-x\"><a href=\"#v%u\">✗ %u</a></td>", first, misses);
                }
                fputs("</tr>\n", o);
            }
            fputs("</tbody>\n</table></div>\n", o);
        }
        free(list);
        free(people);
    }
}

/* The triggers that broke rule k or wait: when, which event, and the message
 * (which says the deadline and how late, or that no answer came). */
static void late_table(const Page *pg, uint32_t k)
{
    FILE *o = pg->out;
    bool any = false;
    for (uint32_t i = 0; i < pg->r->n; i++) {
        const Violation *v = &pg->r->v[i];
        if (v->rule != k) continue;
        if (!any)
            fprintf(o, "<table class=\"late\">\n<thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
                       "<th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead>\n<tbody>\n",
                    T(pg, M_TIME), T(pg, M_TRIGGER), T(pg, M_RESULT), T(pg, M_MESSAGE));
        any = true;
        char t[40];
        time_str(pg, v->trigger_time, t, sizeof t);
        State st = v->pending ? ST_PENDING : ST_VIOLATED;
        fprintf(o, "<tr><td>%s</td><td><a href=\"#v%u\">", t, i);
        if (pg->r->nunits > 1) {
            unit_name(pg, v->unit);
            fputc(' ', o);
        }
        esc(o, S(pg, v->trigger_id));
        fprintf(o, "</a></td><td class=\"st-%s\">%s %s</td><td>", state_class[st], state_mark[st], T(pg, state_msg[st]));
        char msg[VERDICT_MESSAGE_MAX];
        esc(o, verdict_message(v, &pg->ds->strs, msg));
        fputs("</td></tr>\n", o);
    }
    if (any) fputs("</tbody>\n</table>\n", o);
}

static void write_timeline(const Page *pg, uint32_t k)
{
    FILE *o = pg->out;
    fprintf(o, "<h4>%s</h4>\n", T(pg, M_TIMELINE));
    legend(pg);
    for (uint32_t u = 0; u < pg->r->nunits; u++) {
        const UnitSummary *us = &pg->r->units[u];
        uint32_t n;
        const Judged **list = judged_of(pg, k, &us->unit, &n);
        int64_t span = us->r1 > us->r0 ? us->r1 - us->r0 : 1;
        fputs("<div class=\"tl-row\"><span class=\"tl-unit\">", o);
        unit_name(pg, us->unit);
        fprintf(o, " · %u %s</span><div class=\"tl\">", n, T(pg, M_TRIGGERS));
        for (uint32_t i = 0; i < n; i++) {
            const Judged *j = list[i];
            uint32_t vi = verdict_of(pg, k, us->unit, false, 0, 0, j->order);
            State st = state_at(pg, vi, false);
            int64_t at = j->from < us->r0 ? 0 : j->from > us->r1 ? span : j->from - us->r0;
            long permille = (long)(at * 1000 / span);
            char t[40];
            time_str(pg, j->from, t, sizeof t);
            fprintf(o, "<span class=\"m st-%s\" style=\"left:%ld.%ld%%\" title=\"%s %s\">", state_class[st], permille / 10,
                    permille % 10, t, T(pg, state_msg[st]));
            mark(pg, st, vi);
            fputs("</span>", o);
        }
        fputs("</div></div>\n", o);
        free(list);
    }
    late_table(pg, k);
}

static void write_rule_sections(const Page *pg)
{
    FILE *o = pg->out;
    for (uint32_t k = 0; k < pg->p->nrules; k++) {
        const ZRule *rule = &pg->p->rules[k];
        fprintf(o, "<section class=\"rule\" id=\"r%u\" aria-labelledby=\"h-r%u\">\n<h3 id=\"h-r%u\">", k, k, k);
        esc(o, PS(pg, rule->name));
        for (uint32_t t = 0; t < rule->ntags; t++) {
            fputs(" <span class=\"tag\">", o);
            esc(o, PS(pg, rule->tags[t]));
            fputs("</span>", o);
        }
        fprintf(o, " <span class=\"sev sev-%s\">%s</span></h3>\n", sev_key(rule->severity), sev_text(pg, rule->severity));
        for (uint32_t q = 0; q < rule->nclauses; q++) {
            fputs("<blockquote><b>", o);
            esc(o, PS(pg, rule->clauses[q].id));
            fputs("</b> ", o);
            esc(o, PS(pg, rule->clauses[q].text));
            fputs("</blockquote>\n", o);
        }
        if (rule->disabled) {
            fprintf(o, "<p class=\"off\"><strong>%s</strong>：", T(pg, M_DISABLED));
            esc(o, rule->disabled_reason == ZNONE ? "" : PS(pg, rule->disabled_reason));
            fputs("</p>\n</section>\n", o);
            continue;
        }
        Counts c = count(pg, (int)k, NULL);
        fprintf(o, "<p><a href=\"#violations\" data-show-rule=\"");
        esc(o, PS(pg, rule->name));
        fprintf(o, "\">%s %u</a> · %s %u</p>\n", T(pg, M_VIOLATIONS), c.must + c.in_principle, T(pg, M_PENDING), c.pending);
        if (!rule->periodic) write_timeline(pg, k);
        else if (is_pair_rule(pg, k)) write_matrix(pg, k);
        else write_strip(pg, k);
        fputs("</section>\n", o);
    }
}

/* ---- the violations, with filters ------------------------------------------------------- */

static void option(FILE *o, const char *value, const char *label)
{
    fputs("<option value=\"", o);
    esc(o, value);
    fputs("\">", o);
    esc(o, label);
    fputs("</option>", o);
}

static void select_open(const Page *pg, const char *id, MsgId label)
{
    fprintf(pg->out, "<label for=\"%s\">%s</label> <select id=\"%s\"><option value=\"\">%s</option>", id, T(pg, label), id,
            T(pg, M_ALL));
}

static int cmp_subject_unit(const void *a, const void *b, void *pg)
{
    const StrId *x = a, *y = b;
    int c = strcmp(S(pg, x[0]), S(pg, y[0]));
    return c ? c : strcmp(S(pg, x[1]), S(pg, y[1]));
}

static void write_filters(const Page *pg)
{
    FILE *o = pg->out;
    fprintf(o, "<form id=\"filters\" class=\"filters\" hidden role=\"search\" onsubmit=\"return false\">\n<fieldset><legend>%s</legend>\n",
            T(pg, M_FILTERS));
    select_open(pg, "f-unit", M_UNIT);
    for (uint32_t u = 0; u < pg->r->nunits; u++) {
        const char *name = S(pg, pg->r->units[u].unit);
        option(o, name, *name ? name : T(pg, M_WHOLE));
    }
    fputs("</select>\n", o);
    select_open(pg, "f-rule", M_RULE);
    for (uint32_t k = 0; k < pg->p->nrules; k++)
        if (!pg->p->rules[k].disabled) option(o, PS(pg, pg->p->rules[k].name), PS(pg, pg->p->rules[k].name));
    fputs("</select>\n", o);
    select_open(pg, "f-sev", M_SEVERITY);
    option(o, "must", T(pg, MSG_SEV_MUST));
    option(o, "in-principle", T(pg, M_IN_PRINCIPLE));
    option(o, "pending", T(pg, M_PENDING));
    fputs("</select>\n", o);
    /* subjects: (id, unit) of their first verdict, sorted by id text, each once */
    size_t total = 0;
    for (uint32_t i = 0; i < pg->r->n; i++) total += pg->r->v[i].nsubjects;
    StrId *subj = malloc(sizeof(StrId) * 2 * (total + 1));
    if (!subj) *pg->failed = true;
    uint32_t m = 0;
    for (uint32_t i = 0; subj && i < pg->r->n; i++)
        for (uint32_t s = 0; s < pg->r->v[i].nsubjects; s++) {
            subj[2 * m] = pg->r->v[i].subjects[s];
            subj[2 * m + 1] = pg->r->v[i].unit;
            m++;
        }
    /* stable for equal ids: the first verdict's unit names them (qsort_r is not stable, so order by unit text too) */
    if (m) qsort_r(subj, m, 2 * sizeof(StrId), cmp_subject_unit, (void *)pg);
    select_open(pg, "f-person", M_SUBJECT);
    for (uint32_t i = 0; i < m; i++) {
        if (i && subj[2 * i] == subj[2 * i - 2]) continue;
        fputs("<option value=\"", o);
        esc(o, S(pg, subj[2 * i]));
        fputs("\">", o);
        person(pg, subj[2 * i + 1], subj[2 * i]);
        fputs("</option>", o);
    }
    free(subj);
    fputs("</select>\n", o);
    fprintf(o, "<label for=\"f-q\">%s</label> <input id=\"f-q\" type=\"search\">\n</fieldset>\n</form>\n", T(pg, M_SEARCH));
}

static void write_violation(const Page *pg, uint32_t i)
{
    FILE *o = pg->out;
    const Violation *v = &pg->r->v[i];
    const ZRule *rule = &pg->p->rules[v->rule];
    fprintf(o, "<article class=\"v\" id=\"v%u\" data-unit=\"", i);
    esc(o, S(pg, v->unit));
    fputs("\" data-rule=\"", o);
    esc(o, PS(pg, rule->name));
    fprintf(o, "\" data-sev=\"%s\" data-status=\"%s\">\n<h4>", v->pending ? "pending" : sev_key(rule->severity),
            v->pending ? "pending" : "violation");
    esc(o, PS(pg, rule->name));
    fprintf(o, " <span class=\"sev sev-%s\">%s</span>", v->pending ? "pending" : sev_key(rule->severity),
            v->pending ? T(pg, M_PENDING) : sev_text(pg, rule->severity));
    if (pg->r->nunits > 1 || *S(pg, v->unit)) {
        fputs(" <span class=\"unit\">", o);
        unit_name(pg, v->unit);
        fputs("</span>", o);
    }
    fputs("</h4>\n<dl>\n", o);
    char a[40], b[40];
    if (v->periodic) {
        date_str(pg, v->from, false, a);
        date_str(pg, v->to, true, b);
        fprintf(o, "<dt>%s</dt><dd>%s – %s</dd>\n", T(pg, M_WINDOW), a, b);
    } else {
        time_str(pg, v->trigger_time, a, sizeof a);
        fprintf(o, "<dt>%s</dt><dd>", T(pg, M_TRIGGER));
        esc(o, S(pg, v->trigger_id));
        fprintf(o, " %s ", a);
        source(pg, v->trigger_loc);
        fputs("</dd>\n", o);
    }
    fprintf(o, "<dt>%s</dt><dd>", T(pg, M_CLAUSE));
    for (uint32_t q = 0; q < rule->nclauses; q++) {
        fputs(q ? "<br><b>" : "<b>", o);
        esc(o, PS(pg, rule->clauses[q].id));
        fputs("</b> ", o);
        esc(o, PS(pg, rule->clauses[q].text));
    }
    fprintf(o, "</dd>\n<dt>%s</dt><dd>", T(pg, M_SUBJECTS));
    if (!v->nsubjects) fputs(T(pg, M_NONE), o);
    for (uint32_t s = 0; s < v->nsubjects; s++) {
        fputs(s ? "、<span class=\"person\" data-person=\"" : "<span class=\"person\" data-person=\"", o);
        esc(o, S(pg, v->subjects[s]));
        fputs("\">", o);
        person(pg, v->unit, v->subjects[s]);
        fputs("</span>", o);
    }
    fprintf(o, "</dd>\n<dt>%s</dt><dd>", T(pg, M_EVIDENCE));
    if (!v->nevidence) fputs(T(pg, M_NONE), o);
    for (uint32_t s = 0; s < v->nevidence; s++) {
        if (s) fputs("<br>", o);
        esc(o, S(pg, violation_evidence(v)[s]));
        fputc(' ', o);
        source(pg, violation_evidence_loc(v)[s]);
    }
    fprintf(o, "</dd>\n<dt>%s</dt><dd class=\"msg\">", T(pg, M_MESSAGE));
    char msg[VERDICT_MESSAGE_MAX];
    esc(o, verdict_message(v, &pg->ds->strs, msg));
    fputs("</dd>\n</dl>\n</article>\n", o);
}

static void write_violations(const Page *pg)
{
    FILE *o = pg->out;
    fprintf(o, "<section id=\"violations\" aria-labelledby=\"h-violations\">\n<h2 id=\"h-violations\">%s</h2>\n", T(pg, M_VIOLATIONS));
    write_filters(pg);
    char shown[64];
    snprintf(shown, sizeof shown, "%u", pg->r->n);
    fprintf(o, "<p id=\"shown\" aria-live=\"polite\" data-format=\"%s\">", T(pg, M_SHOWN));
    const char *f = T(pg, M_SHOWN);
    for (; *f; f++) { /* the same text the script writes, so the page reads alike without it */
        if (!strncmp(f, "{n}", 3) || !strncmp(f, "{total}", 7)) {
            fputs(shown, o);
            f += f[1] == 'n' ? 2 : 6;
        } else {
            fputc(*f, o);
        }
    }
    fprintf(o, "</p>\n<p id=\"nothing\" hidden>%s</p>\n", T(pg, M_NOTHING_SHOWN));
    for (uint32_t i = 0; i < pg->r->n; i++) write_violation(pg, i);
    fputs("</section>\n", o);
}

int report_html_write(FILE *out, const Program *p, const Dataset *ds, const RunResult *r, const ReportInfo *info)
{
    bool failed = false;
    Page pg = {out, p, ds, r, info ? info->lang : LANG_EN, &failed};
    fprintf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
            T(&pg, M_HTML_LANG));
    esc(out, PS(&pg, p->meta.title));
    fprintf(out, " — %s</title>\n<style>\n%s</style>\n</head>\n<body>\n", T(&pg, M_REPORT), report_css);
    write_header(&pg, info);
    fprintf(out, "<nav aria-label=\"%s\"><a href=\"#rules\">%s</a> · <a href=\"#violations\">%s</a></nav>\n<main>\n",
            T(&pg, M_CONTENTS), T(&pg, M_RULES), T(&pg, M_VIOLATIONS));
    write_overview(&pg);
    write_rule_sections(&pg);
    write_violations(&pg);
    fprintf(out, "</main>\n<script>\n%s</script>\n</body>\n</html>\n", report_js);
    return failed ? -1 : 0;
}
