/* report.c - the report formats, each reading verdicts through vrow.h. jsonl
 * follows docs/data.md to the letter and holds nothing that depends on where
 * the data came from, so CSV and SQLite forms of a data set give
 * byte-identical reports. */
#include "report.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pool.h"
#include "text.h"
#include "vrow.h"
#include "wbuf.h"


static const char *S(const Dataset *ds, StrId id) { return strtab_str(&ds->strs, id); }
static const char *PS(const Program *p, uint32_t id) { return program_string(p, id); }

/* ---- formatting on threads ------------------------------------------------------------ */

/* A report's body is a sequence of items (a verdict and what stands just
 * before or after it), each formatted from its index alone; so slices of
 * items are formatted on the pool's threads, each into a buffer of its own,
 * and written out in order: the bytes of one thread. A round formats
 * SLICES_PER_WORKER slices a thread, then writes them and reuses their
 * buffers, so memory stays a few hundred KiB a thread whatever the report's
 * size. fn may use scratch for anything; out of memory shows in out or
 * scratch as failed, and the report stops there. */
typedef void (*ItemFn)(WBuf *out, WBuf *scratch, const void *ctx, uint32_t item);
enum { SLICE_ITEMS = 512, SLICES_PER_WORKER = 4 };
typedef struct Slice { WBuf out, scratch; } Slice;
typedef struct Round {
    ItemFn fn;
    const void *ctx;
    uint64_t first; /* the round's first item */
    uint32_t n;     /* items in all */
    uint32_t per;   /* items a slice: fewer than SLICE_ITEMS when a round would hold them all, so each thread has some */
    Slice *slices;
} Round;

static void format_slice(void *ctx, uint32_t worker, uint32_t s)
{
    (void)worker;
    const Round *r = ctx;
    uint64_t a = r->first + (uint64_t)s * r->per, b = a + r->per < r->n ? a + r->per : r->n;
    Slice *sl = &r->slices[s];
    for (uint64_t i = a; i < b && !sl->out.failed && !sl->scratch.failed; i++) r->fn(&sl->out, &sl->scratch, r->ctx, (uint32_t)i);
}

/* Items 0 .. n-1 written to out in order; -1 when out of memory (out is then cut short). */
static int write_items(FILE *out, Pool *pool, uint32_t n, ItemFn fn, const void *ctx)
{
    uint32_t nslices = pool ? pool_workers(pool) * SLICES_PER_WORKER : 1;
    Slice *slices = calloc(nslices, sizeof *slices);
    if (!slices) return -1;
    uint64_t per = ((uint64_t)n + nslices - 1) / nslices;
    Round r = {fn, ctx, 0, n, per < SLICE_ITEMS ? (per ? (uint32_t)per : 1) : SLICE_ITEMS, slices};
    int rc = 0;
    for (; r.first < n && rc == 0; r.first += (uint64_t)nslices * r.per) {
        uint64_t left = (n - r.first + r.per - 1) / r.per;
        uint32_t count = left < nslices ? (uint32_t)left : nslices;
        if (pool && count > 1) pool_run(pool, count, format_slice, &r);
        else for (uint32_t s = 0; s < count; s++) format_slice(&r, 0, s);
        for (uint32_t s = 0; s < count && rc == 0; s++) {
            if (slices[s].out.failed || slices[s].scratch.failed) rc = -1;
            else if (slices[s].out.len) fwrite(slices[s].out.data, 1, slices[s].out.len, out);
            slices[s].out.len = 0;
        }
    }
    for (uint32_t s = 0; s < nslices; s++) {
        wbuf_free(&slices[s].out);
        wbuf_free(&slices[s].scratch);
    }
    free(slices);
    return rc;
}

/* ---- pieces ------------------------------------------------------------------------------ */

static void put_uint(WBuf *b, uint64_t x)
{
    char d[24];
    int n = 0;
    do d[sizeof d - 1 - n++] = (char)('0' + x % 10); while ((x /= 10) > 0);
    wbuf_put(b, d + sizeof d - n, (size_t)n);
}

static void put_int(WBuf *b, int64_t x)
{
    if (x < 0) wbuf_putc(b, '-');
    put_uint(b, x < 0 ? 0 - (uint64_t)x : (uint64_t)x);
}

/* A catalogue text (msg.def) with one conversion, %s or %lld, and its
 * argument: printf's result without its cost, a few times a verdict; printf
 * itself for any other text. */
static void put_msg_s(WBuf *b, const char *fmt, const char *s)
{
    const char *c = strchr(fmt, '%');
    if (!c || c[1] != 's' || strchr(c + 2, '%')) { wbuf_printf(b, fmt, s); return; }
    wbuf_put(b, fmt, (size_t)(c - fmt));
    wbuf_puts(b, s);
    wbuf_puts(b, c + 2);
}

static void put_msg_lld(WBuf *b, const char *fmt, long long x)
{
    const char *c = strchr(fmt, '%');
    if (!c || strncmp(c, "%lld", 4) || strchr(c + 4, '%')) { wbuf_printf(b, fmt, x); return; }
    wbuf_put(b, fmt, (size_t)(c - fmt));
    put_int(b, x);
    wbuf_puts(b, c + 4);
}

static void json_list(WBuf *b, const VRow *row, const char *(*item)(const VRow *, uint32_t), uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        if (i) wbuf_put(b, ", ", 2);
        json_put_string(b, item(row, i));
    }
}

static void json_violation(WBuf *b, const Program *p, const Dataset *ds, const Violation *v)
{
    VRow row;
    vrow_make(&row, p, ds, v);
    wbuf_puts(b, "{\"unit\": ");
    json_put_string(b, row.unit);
    wbuf_puts(b, ", \"rule\": ");
    json_put_string(b, row.rule);
    wbuf_puts(b, ", \"tags\": [");
    json_list(b, &row, vrow_tag, row.ntags);
    wbuf_puts(b, "], \"clause\": ");
    json_put_string(b, row.clause);
    wbuf_puts(b, ", \"severity\": ");
    json_put_string(b, row.severity);
    wbuf_puts(b, ", \"subjects\": [");
    json_list(b, &row, vrow_subject, row.nsubjects);
    wbuf_puts(b, "], ");
    if (row.periodic) {
        wbuf_puts(b, "\"window\": {\"from\": \"");
        wbuf_puts(b, row.window_from);
        wbuf_puts(b, "\", \"to\": \"");
        wbuf_puts(b, row.window_to);
        wbuf_puts(b, "\"}");
    } else {
        wbuf_puts(b, "\"trigger\": ");
        json_put_string(b, row.trigger);
    }
    wbuf_puts(b, ", \"evidence\": [");
    json_list(b, &row, vrow_evidence, row.nevidence);
    wbuf_puts(b, "], \"message\": ");
    json_put_string(b, row.message);
    wbuf_putc(b, '}');
}

typedef struct Counts {
    uint32_t violations, pending, must, in_principle;
} Counts;

static Counts count(const Program *p, const RunResult *r, int rule)
{
    Counts c = {0};
    for (uint32_t i = 0; i < r->n; i++) {
        const Violation *v = &r->v[i];
        if (rule >= 0 && v->rule != (uint32_t)rule) continue;
        if (v->pending) { c.pending++; continue; }
        c.violations++;
        if (p->rules[v->rule].severity == ZS_MUST) c.must++; else c.in_principle++;
    }
    return c;
}

/* The verdicts, for the items of a format. */
typedef struct Verdicts {
    const Program *p;
    const Dataset *ds;
    const RunResult *r;
    uint32_t first;  /* json: the first verdict of the list (violations or pending) */
    bool pending;    /* json: which list */
} Verdicts;

static void jsonl_item(WBuf *b, WBuf *scratch, const void *ctx, uint32_t i)
{
    (void)scratch;
    const Verdicts *vs = ctx;
    if (vs->r->v[i].pending) return;
    json_violation(b, vs->p, vs->ds, &vs->r->v[i]);
    wbuf_putc(b, '\n');
}

/* ---- text: for people, on a terminal ------------------------------------------------ */

/* Names of people: the answer of engine_person_name (the name in the last
 * row of the first roster that applies to the unit: rows of that unit, or
 * every row when the roster has no unit column), from a sorted index so that
 * a report of many units stays linear. */
enum { ANY_UNIT = UINT32_MAX };
typedef struct NameRow { StrId unit, person, name; uint32_t row; } NameRow;
typedef struct Names { NameRow *rows; uint32_t n; } Names;

static int cmp_name_row(const void *a, const void *b)
{
    const NameRow *x = a, *y = b;
    if (x->unit != y->unit) return x->unit < y->unit ? -1 : 1;
    if (x->person != y->person) return x->person < y->person ? -1 : 1;
    return x->row < y->row ? -1 : x->row > y->row;
}

/* False when out of memory. */
static bool names_index(const Dataset *ds, Names *nm)
{
    *nm = (Names){0};
    const Program *p = ds->prog;
    uint32_t t = 0;
    while (t < p->ntables && p->tables[t].kind != ZT_ROSTER) t++;
    if (t == p->ntables) return true;
    int fp = zt_field(p, &p->tables[t], "person"), fn = zt_field(p, &p->tables[t], "name");
    if (fp < 0 || fn < 0 || !ds->tables[t].n) return true;
    nm->rows = malloc(sizeof *nm->rows * ds->tables[t].n);
    if (!nm->rows) return false;
    for (uint32_t k = 0; k < ds->tables[t].n; k++) {
        const Record *r = &ds->tables[t].rows[k];
        Cell cp = record_cell(&ds->tables[t], r, (uint32_t)fp), cn = record_cell(&ds->tables[t], r, (uint32_t)fn);
        if (cp.tag == CELL_STR && cn.tag == CELL_STR) nm->rows[nm->n++] = (NameRow){r->has_unit ? r->unit : ANY_UNIT, cp.s, cn.s, k};
    }
    qsort(nm->rows, nm->n, sizeof *nm->rows, cmp_name_row);
    return true;
}

/* The last index row of (unit, person), or NULL. */
static const NameRow *names_last(const Names *nm, StrId unit, StrId person)
{
    uint32_t lo = 0, hi = nm->n; /* first row after (unit, person) */
    NameRow key = {unit, person, 0, UINT32_MAX};
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (cmp_name_row(&nm->rows[mid], &key) <= 0) lo = mid + 1; else hi = mid;
    }
    if (lo == 0) return NULL;
    const NameRow *r = &nm->rows[lo - 1];
    return r->unit == unit && r->person == person ? r : NULL;
}

static void person_text(WBuf *b, const Dataset *ds, const Names *nm, StrId unit, StrId s)
{
    const NameRow *a = names_last(nm, unit, s), *n = names_last(nm, ANY_UNIT, s);
    if (!a || (n && n->row > a->row)) a = n;
    const char *name = a ? S(ds, a->name) : NULL;
    if (name && *name && strcmp(name, S(ds, s))) {
        text_put_escaped(b, name);
        wbuf_putc(b, '(');
        text_put_escaped(b, S(ds, s));
        wbuf_putc(b, ')');
    } else {
        text_put_escaped(b, S(ds, s));
    }
}

/* "must" or "in-principle" in lang, padded to `width` columns (0: none). */
static void severity_text(WBuf *b, Lang lang, uint8_t severity, int width)
{
    int w = text_put_escaped(b, msg_text(lang, severity == ZS_MUST ? MSG_SEV_MUST : MSG_SEV_IN_PRINCIPLE));
    for (; w < width; w++) wbuf_putc(b, ' ');
}

static void write_text_violation(WBuf *b, Lang lang, const Program *p, const Dataset *ds, const Names *nm, const Violation *v)
{
    VRow row;
    vrow_make(&row, p, ds, v);
    wbuf_puts(b, "  - ");
    if (row.periodic) {
        wbuf_puts(b, row.window_from);
        wbuf_puts(b, " … ");
        wbuf_puts(b, row.window_to);
    } else {
        wbuf_puts(b, msg_text(lang, MSG_REP_EVENT));
        text_put_escaped(b, row.trigger);
        char at[VROW_TIME_SIZE];
        vrow_time(p, v->trigger_time, at);
        put_msg_s(b, msg_text(lang, MSG_REP_EVENT_AT), at);
        text_put_escaped(b, row.source);
        put_msg_lld(b, msg_text(lang, MSG_REP_EVENT_LOC), (long long)row.trigger_loc);
    }
    wbuf_puts(b, "\n    ");
    text_put_escaped(b, row.message);
    wbuf_putc(b, '\n');
    if (row.nsubjects) {
        wbuf_puts(b, msg_text(lang, MSG_REP_SUBJECTS));
        for (uint32_t s = 0; s < row.nsubjects; s++) {
            if (s) wbuf_puts(b, msg_text(lang, MSG_LIST_SEP));
            person_text(b, ds, nm, v->unit, v->subjects[s]);
        }
        wbuf_putc(b, '\n');
    }
    for (uint32_t s = 0; s < row.nevidence; s++) {
        wbuf_puts(b, msg_text(lang, MSG_REP_EVIDENCE));
        text_put_escaped(b, vrow_evidence(&row, s));
        wbuf_putc(b, ' ');
        text_put_escaped(b, row.source);
        wbuf_putc(b, ':');
        put_int(b, vrow_evidence_loc(&row, s));
        wbuf_putc(b, '\n');
    }
}

/* The order of the text report: violations (not pending) by unit in the order
 * of r->units, then by rule, then as found; those of no listed unit left out. */
typedef struct Slot { uint32_t unit, rule, i; } Slot;

static int cmp_slot(const void *a, const void *b)
{
    const Slot *x = a, *y = b;
    if (x->unit != y->unit) return x->unit < y->unit ? -1 : 1;
    if (x->rule != y->rule) return x->rule < y->rule ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* NULL when out of memory. */
static Slot *text_order(const RunResult *r, uint32_t *n)
{
    Slot *units = malloc(sizeof *units * (r->nunits + 1u)), *order = malloc(sizeof *order * (r->n + 1u));
    if (!units || !order) {
        free(units);
        free(order);
        return NULL;
    }
    for (uint32_t u = 0; u < r->nunits; u++) units[u] = (Slot){r->units[u].unit, 0, u}; /* by StrId, to find a unit's place */
    qsort(units, r->nunits, sizeof *units, cmp_slot);
    *n = 0;
    for (uint32_t i = 0; i < r->n; i++) {
        if (r->v[i].pending) continue;
        uint32_t lo = 0, hi = r->nunits;
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (units[mid].unit < r->v[i].unit) lo = mid + 1; else hi = mid;
        }
        if (lo < r->nunits && units[lo].unit == r->v[i].unit) order[(*n)++] = (Slot){units[lo].i, r->v[i].rule, i};
    }
    qsort(order, *n, sizeof *order, cmp_slot);
    free(units);
    return order;
}

typedef struct TextBody {
    const Program *p;
    const Dataset *ds;
    const RunResult *r;
    const Names *nm;
    const Slot *order;
    uint32_t n;
    Lang lang;
} TextBody;

/* The headings of units u0 .. u1-1 (none when there is one unit). */
static void unit_headings(WBuf *b, const TextBody *t, uint32_t u0, uint32_t u1)
{
    for (uint32_t u = u0; u < u1 && t->r->nunits > 1; u++) {
        wbuf_puts(b, msg_text(t->lang, MSG_REP_UNIT));
        text_put_escaped(b, S(t->ds, t->r->units[u].unit));
        wbuf_puts(b, "\n\n");
    }
}

/* Item `at` of the text report's body: the violation order[at], after the
 * headings of the units before it that have none yet and of its rule when it
 * is the rule's first; a blank line after a rule's last. */
static void text_item(WBuf *b, WBuf *scratch, const void *ctx, uint32_t at)
{
    (void)scratch;
    const TextBody *t = ctx;
    const Slot *o = t->order;
    const Program *p = t->p;
    uint32_t u = o[at].unit, k = o[at].rule;
    bool first_of_unit = at == 0 || o[at - 1].unit != u;
    if (first_of_unit) unit_headings(b, t, at ? o[at - 1].unit + 1 : 0, u + 1);
    if (first_of_unit || o[at - 1].rule != k) {
        uint32_t end = at;
        while (end < t->n && o[end].unit == u && o[end].rule == k) end++;
        const ZRule *rule = &p->rules[k];
        wbuf_puts(b, "== ");
        text_put_escaped(b, PS(p, rule->name));
        wbuf_puts(b, " [");
        for (uint32_t i = 0; i < rule->ntags; i++) {
            if (i) wbuf_putc(b, ' ');
            text_put_escaped(b, PS(p, rule->tags[i]));
        }
        wbuf_puts(b, "] ");
        severity_text(b, t->lang, rule->severity, 0);
        wbuf_printf(b, msg_text(t->lang, MSG_REP_RULE_COUNT), end - at, end - at == 1 ? "" : "s");
        for (uint32_t q = 0; q < rule->nclauses; q++) {
            wbuf_puts(b, "   ");
            text_put_escaped(b, PS(p, rule->clauses[q].id));
            wbuf_putc(b, ' ');
            text_put_escaped(b, PS(p, rule->clauses[q].text));
            wbuf_putc(b, '\n');
        }
    }
    write_text_violation(b, t->lang, p, t->ds, t->nm, &t->r->v[o[at].i]);
    if (at + 1 == t->n || o[at + 1].unit != u || o[at + 1].rule != k) wbuf_putc(b, '\n');
}

static void text_summary(WBuf *b, const Program *p, const Dataset *ds, const RunResult *r, const ReportInfo *info,
                         uint32_t *per_rule)
{
    Lang lang = info ? info->lang : LANG_EN;
    Counts all = count(p, r, -1);
    wbuf_puts(b, msg_text(lang, MSG_SUM_HEADING));
    for (uint32_t u = 0; u < r->nunits; u++) {
        char from[VROW_TIME_SIZE], to[VROW_TIME_SIZE];
        vrow_time(p, r->units[u].r0, from);
        vrow_time(p, r->units[u].r1, to);
        wbuf_puts(b, msg_text(lang, MSG_SUM_UNIT_OPEN));
        text_put_escaped(b, S(ds, r->units[u].unit));
        wbuf_printf(b, msg_text(lang, MSG_SUM_UNIT), r->units[u].events, from, to);
    }
    uint32_t enabled = 0;
    for (uint32_t k = 0; k < p->nrules; k++) enabled += !p->rules[k].disabled;
    wbuf_printf(b, msg_text(lang, MSG_SUM_COUNTS), r->nunits, enabled, p->nrules - enabled, (unsigned long long)r->rule_runs);
    if (info && info->stats)
        wbuf_printf(b, msg_text(lang, MSG_SUM_ROWS), (unsigned long long)info->stats->rows,
                    (unsigned long long)info->stats->events, (unsigned long long)info->stats->skipped);
    for (uint32_t i = 0; i < r->n; i++) per_rule[r->v[i].rule * 2 + r->v[i].pending]++;
    for (uint32_t k = 0; k < p->nrules; k++) {
        const ZRule *rule = &p->rules[k];
        wbuf_puts(b, "  ");
        for (int w = text_put_escaped(b, PS(p, rule->name)); w < 24; w++) wbuf_putc(b, ' ');
        if (rule->disabled) {
            wbuf_puts(b, msg_text(lang, MSG_SUM_DISABLED));
            text_put_escaped(b, PS(p, rule->disabled_reason));
            wbuf_putc(b, '\n');
        } else {
            wbuf_putc(b, ' ');
            severity_text(b, lang, rule->severity, 12);
            wbuf_putc(b, ' ');
            wbuf_printf(b, msg_text(lang, MSG_SUM_RULE), per_rule[2 * k], per_rule[2 * k] == 1 ? "" : "s", per_rule[2 * k + 1]);
        }
    }
    wbuf_printf(b, msg_text(lang, MSG_SUM_TOTAL), all.violations, all.must, all.in_principle, all.pending);
}

static int write_text(WBuf *b, Pool *pool, const Program *p, const Dataset *ds, const RunResult *r, const ReportInfo *info)
{
    /* everything it needs first: out of memory, nothing is written */
    Names nm;
    uint32_t n;
    Slot *order = NULL;
    uint32_t *per_rule = calloc(p->nrules + 1u, sizeof *per_rule * 2); /* violations, pending */
    if (!names_index(ds, &nm) || !per_rule || !(order = text_order(r, &n))) {
        free(nm.rows);
        free(per_rule);
        return -1;
    }
    Lang lang = info ? info->lang : LANG_EN;
    text_put_escaped(b, PS(p, p->meta.name));
    wbuf_puts(b, " — ");
    text_put_escaped(b, PS(p, p->meta.title));
    wbuf_puts(b, "（");
    text_put_escaped(b, PS(p, p->meta.document));
    wbuf_puts(b, "）\n");
    if (info && info->data_path) {
        wbuf_puts(b, msg_text(lang, MSG_REP_DATA));
        text_put_escaped(b, info->data_path);
        wbuf_putc(b, '\n');
    }
    wbuf_putc(b, '\n');
    /* grouped by unit (when there are several), then by rule */
    TextBody body = {p, ds, r, &nm, order, n, lang};
    wbuf_flush(b);
    int rc = write_items(b->f, pool, n, text_item, &body);
    unit_headings(b, &body, n ? order[n - 1].unit + 1 : 0, r->nunits); /* the units after the last violation's */
    free(order);
    free(nm.rows);
    if (rc == 0) text_summary(b, p, ds, r, info, per_rule);
    free(per_rule);
    return rc;
}

/* ---- csv ---------------------------------------------------------------------------- */

/* One CSV cell: quoted when it holds a comma, a quote or a line break; a cell
 * a spreadsheet would take for a formula (one starting with = + - @, a tab or
 * a CR) gets a leading ' as OWASP advises against CSV injection. */
static void csv_field(WBuf *b, const char *s, size_t len)
{
    bool quote = false;
    for (size_t i = 0; i < len && !quote; i++) quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
    bool formula = len && strchr("=+-@\t\r", *s);
    if (quote) wbuf_putc(b, '"');
    if (formula) wbuf_putc(b, '\'');
    if (!quote) {
        wbuf_put(b, s, len);
        return;
    }
    for (const char *q; (q = memchr(s, '"', len)); len -= (size_t)(q + 1 - s), s = q + 1) {
        wbuf_put(b, s, (size_t)(q + 1 - s));
        wbuf_putc(b, '"');
    }
    wbuf_put(b, s, len);
    wbuf_putc(b, '"');
}

/* The three lists of row as "a;b;c", one after another in scratch (emptied
 * first, never NULL): list l is scratch->data[at[l] .. at[l + 1]). False
 * when out of memory. */
static bool put_lists(WBuf *scratch, const VRow *row, size_t at[4])
{
    scratch->len = 0;
    at[0] = 0;
    wbuf_reserve(scratch, 1);
    for (VRowList l = VROW_TAGS; l <= VROW_EVIDENCE; l++) {
        vrow_put_list(scratch, row, l);
        at[l + 1] = scratch->len;
    }
    return !scratch->failed;
}

static void csv_item(WBuf *b, WBuf *scratch, const void *ctx, uint32_t i)
{
    const Verdicts *vs = ctx;
    VRow row;
    size_t at[4];
    vrow_make(&row, vs->p, vs->ds, &vs->r->v[i]);
    if (!put_lists(scratch, &row, at)) return;
    const char *cells[] = {row.unit, row.rule, NULL, row.clause, row.severity, row.status, row.window_from, row.window_to,
                           row.periodic ? "" : row.trigger, NULL, NULL, row.message};
    const int list_of[] = {-1, -1, VROW_TAGS, -1, -1, -1, -1, -1, -1, VROW_SUBJECTS, VROW_EVIDENCE, -1};
    for (size_t c = 0; c < sizeof cells / sizeof *cells; c++) {
        if (c) wbuf_putc(b, ',');
        int l = list_of[c];
        if (l < 0) csv_field(b, cells[c], strlen(cells[c]));
        else csv_field(b, scratch->data + at[l], at[l + 1] - at[l]);
    }
    wbuf_put(b, "\r\n", 2);
}

/* ---- json ---------------------------------------------------------------------------- */

static void json_item(WBuf *b, WBuf *scratch, const void *ctx, uint32_t i)
{
    (void)scratch;
    const Verdicts *vs = ctx;
    if (vs->r->v[i].pending != vs->pending) return;
    wbuf_puts(b, i == vs->first ? "\n  " : ",\n  ");
    json_violation(b, vs->p, vs->ds, &vs->r->v[i]);
}

/* The first verdict that is (pending) or is not (!pending) an obligation pending, or r->n. */
static uint32_t first_of(const RunResult *r, bool pending)
{
    uint32_t i = 0;
    while (i < r->n && r->v[i].pending != pending) i++;
    return i;
}

static int write_json(WBuf *b, Pool *pool, const Program *p, const Dataset *ds, const RunResult *r, const ReportInfo *info)
{
    Counts all = count(p, r, -1);
    wbuf_puts(b, "{\"policy\": ");
    json_put_string(b, PS(p, p->meta.name));
    wbuf_puts(b, ", \"violations\": [");
    Verdicts vs = {p, ds, r, first_of(r, false), false};
    wbuf_flush(b);
    if (write_items(b->f, pool, r->n, json_item, &vs) != 0) return -1;
    wbuf_puts(b, "\n], \"pending\": [");
    vs.first = first_of(r, true);
    vs.pending = true;
    wbuf_flush(b);
    if (write_items(b->f, pool, r->n, json_item, &vs) != 0) return -1;
    wbuf_puts(b, "\n], \"summary\": {\"units\": [");
    for (uint32_t u = 0; u < r->nunits; u++) {
        char from[VROW_TIME_SIZE], to[VROW_TIME_SIZE];
        vrow_time(p, r->units[u].r0, from);
        vrow_time(p, r->units[u].r1, to);
        if (u) wbuf_puts(b, ", ");
        wbuf_puts(b, "{\"unit\": ");
        json_put_string(b, S(ds, r->units[u].unit));
        wbuf_printf(b, ", \"events\": %u, \"from\": \"%s\", \"to\": \"%s\"}", r->units[u].events, from, to);
    }
    wbuf_printf(b, "], \"violations\": %u, \"must\": %u, \"in_principle\": %u, \"pending\": %u", all.violations, all.must,
                all.in_principle, all.pending);
    if (info && info->stats)
        wbuf_printf(b, ", \"rows_read\": %llu, \"events_read\": %llu, \"bad_rows_skipped\": %llu",
                    (unsigned long long)info->stats->rows, (unsigned long long)info->stats->events,
                    (unsigned long long)info->stats->skipped);
    wbuf_puts(b, ", \"rules\": [");
    for (uint32_t k = 0; k < p->nrules; k++) {
        Counts c = count(p, r, (int)k);
        if (k) wbuf_puts(b, ", ");
        wbuf_puts(b, "{\"rule\": ");
        json_put_string(b, PS(p, p->rules[k].name));
        wbuf_printf(b, ", \"severity\": \"%s\", \"disabled\": %s, \"violations\": %u, \"pending\": %u}",
                    program_severity_name(p->rules[k].severity), p->rules[k].disabled ? "true" : "false", c.violations,
                    c.pending);
    }
    wbuf_puts(b, "]}}\n");
    return 0;
}

int report_write(FILE *out, ReportFormat fmt, const Program *p, const Dataset *ds, const RunResult *r, const ReportInfo *info)
{
    uint32_t jobs = info && info->jobs > 1 ? info->jobs : 1;
    Pool *pool = jobs > 1 && r->n > 1 ? pool_new(jobs) : NULL; /* none (out of memory): one thread does it all */
    char storage[4096];
    WBuf b; /* what lies outside the items, written through */
    wbuf_init_stream(&b, out, storage, sizeof storage);
    Verdicts vs = {p, ds, r, 0, false};
    int rc = 0;
    switch (fmt) {
    case REPORT_JSONL: rc = write_items(out, pool, r->n, jsonl_item, &vs); break;
    case REPORT_JSON: rc = write_json(&b, pool, p, ds, r, info); break;
    case REPORT_CSV:
        wbuf_puts(&b, "unit,rule,tags,clause,severity,status,window_from,window_to,trigger,subjects,evidence,message\r\n");
        wbuf_flush(&b);
        rc = write_items(out, pool, r->n, csv_item, &vs);
        break;
    case REPORT_TEXT: rc = write_text(&b, pool, p, ds, r, info); break;
    }
    wbuf_flush(&b);
    pool_free(pool);
    return rc == 0 && !b.failed ? 0 : -1;
}


int report_write_db(const char *path, const Program *p, const Dataset *ds, const RunResult *r, const ReportInfo *info,
                    char *err, size_t size)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK) {
        snprintf(err, size, "%s: %s", path, db ? sqlite3_errmsg(db) : "cannot create");
        sqlite3_close(db);
        return -1;
    }
    const char *schema = /* no -journal file: a failed write is never renamed into place */
        "PRAGMA journal_mode=MEMORY;"
        "BEGIN;"
        "CREATE TABLE violations (unit TEXT, rule TEXT, tags TEXT, clause TEXT, clause_text TEXT, severity TEXT, status TEXT,"
        " window_from TEXT, window_to TEXT, trigger TEXT, subjects TEXT, evidence TEXT, message TEXT);"
        "CREATE TABLE run (policy TEXT, document TEXT, data TEXT, units INTEGER, rows_read INTEGER, events_read INTEGER,"
        " bad_rows_skipped INTEGER, violations INTEGER, must INTEGER, in_principle INTEGER, pending INTEGER);";
    int rc = sqlite3_exec(db, schema, NULL, NULL, NULL);
    sqlite3_stmt *st = NULL;
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(db, "INSERT INTO violations VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", -1, &st, NULL);
    WBuf lists;
    wbuf_init(&lists);
    for (uint32_t i = 0; i < r->n && rc == SQLITE_OK; i++) {
        VRow row;
        size_t at[4];
        vrow_make(&row, p, ds, &r->v[i]);
        if (!put_lists(&lists, &row, at)) { rc = SQLITE_NOMEM; break; }
        const char *text[] = {row.unit, row.rule, NULL, row.clause, row.clause_text, row.severity, row.status,
                              row.periodic ? row.window_from : NULL, row.periodic ? row.window_to : NULL, row.trigger,
                              NULL, NULL, row.message};
        const int list_of[] = {-1, -1, VROW_TAGS, -1, -1, -1, -1, -1, -1, -1, VROW_SUBJECTS, VROW_EVIDENCE, -1};
        for (int c = 0; c < (int)(sizeof text / sizeof *text); c++) {
            int l = list_of[c];
            if (l >= 0) sqlite3_bind_text(st, c + 1, lists.data + at[l], (int)(at[l + 1] - at[l]), SQLITE_TRANSIENT);
            else if (text[c]) sqlite3_bind_text(st, c + 1, text[c], -1, SQLITE_TRANSIENT);
            else sqlite3_bind_null(st, c + 1);
        }
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
        sqlite3_reset(st);
    }
    wbuf_free(&lists);
    sqlite3_finalize(st);
    st = NULL;
    if (rc == SQLITE_OK) rc = sqlite3_prepare_v2(db, "INSERT INTO run VALUES (?,?,?,?,?,?,?,?,?,?,?)", -1, &st, NULL);
    if (rc == SQLITE_OK) {
        Counts all = count(p, r, -1);
        sqlite3_bind_text(st, 1, PS(p, p->meta.name), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, PS(p, p->meta.document), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, info && info->data_path ? info->data_path : "", -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 4, r->nunits);
        sqlite3_bind_int64(st, 5, info && info->stats ? (sqlite3_int64)info->stats->rows : 0);
        sqlite3_bind_int64(st, 6, info && info->stats ? (sqlite3_int64)info->stats->events : 0);
        sqlite3_bind_int64(st, 7, info && info->stats ? (sqlite3_int64)info->stats->skipped : 0);
        sqlite3_bind_int64(st, 8, all.violations);
        sqlite3_bind_int64(st, 9, all.must);
        sqlite3_bind_int64(st, 10, all.in_principle);
        sqlite3_bind_int64(st, 11, all.pending);
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_OK) rc = sqlite3_exec(db, "COMMIT;", NULL, NULL, NULL);
    if (rc != SQLITE_OK) snprintf(err, size, "%s: %s", path, sqlite3_errmsg(db));
    sqlite3_close(db);
    return rc == SQLITE_OK ? 0 : -1;
}
