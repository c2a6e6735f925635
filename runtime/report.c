/* report.c - the report formats, each reading verdicts through vrow.h. jsonl
 * follows docs/data.md to the letter and holds nothing that depends on where
 * the data came from, so CSV and SQLite forms of a data set give
 * byte-identical reports. */
#include "report.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "vrow.h"


static const char *S(const Dataset *ds, StrId id) { return strtab_str(&ds->strs, id); }
static const char *PS(const Program *p, uint32_t id) { return program_string(p, id); }

static void json_list(FILE *out, const VRow *row, const char *(*item)(const VRow *, uint32_t), uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        if (i) fputs(", ", out);
        json_write_string(out, item(row, i));
    }
}

static void json_violation(FILE *out, const Program *p, const Dataset *ds, const Violation *v)
{
    VRow row;
    vrow_make(&row, p, ds, v);
    fputs("{\"unit\": ", out);
    json_write_string(out, row.unit);
    fputs(", \"rule\": ", out);
    json_write_string(out, row.rule);
    fputs(", \"tags\": [", out);
    json_list(out, &row, vrow_tag, row.ntags);
    fputs("], \"clause\": ", out);
    json_write_string(out, row.clause);
    fputs(", \"severity\": ", out);
    json_write_string(out, row.severity);
    fputs(", \"subjects\": [", out);
    json_list(out, &row, vrow_subject, row.nsubjects);
    fputs("], ", out);
    if (row.periodic) {
        fprintf(out, "\"window\": {\"from\": \"%s\", \"to\": \"%s\"}", row.window_from, row.window_to);
    } else {
        fputs("\"trigger\": ", out);
        json_write_string(out, row.trigger);
    }
    fputs(", \"evidence\": [", out);
    json_list(out, &row, vrow_evidence, row.nevidence);
    fputs("], \"message\": ", out);
    json_write_string(out, row.message);
    fputs("}", out);
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
        if (r->cells[fp].tag == CELL_STR && r->cells[fn].tag == CELL_STR)
            nm->rows[nm->n++] = (NameRow){r->has_unit ? r->unit : ANY_UNIT, r->cells[fp].s, r->cells[fn].s, k};
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

static void person_text(FILE *out, const Dataset *ds, const Names *nm, StrId unit, StrId s)
{
    const NameRow *a = names_last(nm, unit, s), *b = names_last(nm, ANY_UNIT, s);
    if (!a || (b && b->row > a->row)) a = b;
    const char *name = a ? S(ds, a->name) : NULL;
    if (name && *name && strcmp(name, S(ds, s))) {
        text_write_escaped(out, name);
        fputc('(', out);
        text_write_escaped(out, S(ds, s));
        fputc(')', out);
    } else {
        text_write_escaped(out, S(ds, s));
    }
}

/* "must" or "in-principle" in lang, padded to `width` columns (0: none). */
static void severity_text(FILE *out, Lang lang, uint8_t severity, int width)
{
    int w = text_write_escaped(out, msg_text(lang, severity == ZS_MUST ? MSG_SEV_MUST : MSG_SEV_IN_PRINCIPLE));
    for (; w < width; w++) fputc(' ', out);
}

static void write_text_violation(FILE *out, Lang lang, const Program *p, const Dataset *ds, const Names *nm, const Violation *v)
{
    VRow row;
    vrow_make(&row, p, ds, v);
    fputs("  - ", out);
    if (row.periodic) {
        fprintf(out, "%s … %s", row.window_from, row.window_to);
    } else {
        fputs(msg_text(lang, MSG_REP_EVENT), out);
        text_write_escaped(out, row.trigger);
        fprintf(out, msg_text(lang, MSG_REP_EVENT_AT), row.trigger_time);
        text_write_escaped(out, row.source);
        fprintf(out, msg_text(lang, MSG_REP_EVENT_LOC), (long long)row.trigger_loc);
    }
    fputs("\n    ", out);
    text_write_escaped(out, row.message);
    fputs("\n", out);
    if (row.nsubjects) {
        fputs(msg_text(lang, MSG_REP_SUBJECTS), out);
        for (uint32_t s = 0; s < row.nsubjects; s++) {
            if (s) fputs(msg_text(lang, MSG_LIST_SEP), out);
            person_text(out, ds, nm, v->unit, v->subjects[s]);
        }
        fputs("\n", out);
    }
    for (uint32_t s = 0; s < row.nevidence; s++) {
        fputs(msg_text(lang, MSG_REP_EVIDENCE), out);
        text_write_escaped(out, vrow_evidence(&row, s));
        fputc(' ', out);
        text_write_escaped(out, row.source);
        fprintf(out, ":%lld\n", (long long)vrow_evidence_loc(&row, s));
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

static int write_text(FILE *out, const Program *p, const Dataset *ds, const RunResult *r, const ReportInfo *info)
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
    Counts all = count(p, r, -1);
    Lang lang = info ? info->lang : LANG_EN;
    text_write_escaped(out, PS(p, p->meta.name));
    fputs(" — ", out);
    text_write_escaped(out, PS(p, p->meta.title));
    fputs("（", out);
    text_write_escaped(out, PS(p, p->meta.document));
    fputs("）\n", out);
    if (info && info->data_path) {
        fputs(msg_text(lang, MSG_REP_DATA), out);
        text_write_escaped(out, info->data_path);
        fputs("\n", out);
    }
    fputs("\n", out);
    /* grouped by unit (when there are several), then by rule */
    for (uint32_t at = 0, u = 0; u < r->nunits; u++) {
        if (r->nunits > 1) {
            fputs(msg_text(lang, MSG_REP_UNIT), out);
            text_write_escaped(out, S(ds, r->units[u].unit));
            fputs("\n\n", out);
        }
        while (at < n && order[at].unit == u) {
            uint32_t k = order[at].rule, end = at;
            while (end < n && order[end].unit == u && order[end].rule == k) end++;
            const ZRule *rule = &p->rules[k];
            fputs("== ", out);
            text_write_escaped(out, PS(p, rule->name));
            fputs(" [", out);
            for (uint32_t t = 0; t < rule->ntags; t++) {
                if (t) fputc(' ', out);
                text_write_escaped(out, PS(p, rule->tags[t]));
            }
            fputs("] ", out);
            severity_text(out, lang, rule->severity, 0);
            fprintf(out, msg_text(lang, MSG_REP_RULE_COUNT), end - at, end - at == 1 ? "" : "s");
            for (uint32_t q = 0; q < rule->nclauses; q++) {
                fputs("   ", out);
                text_write_escaped(out, PS(p, rule->clauses[q].id));
                fputc(' ', out);
                text_write_escaped(out, PS(p, rule->clauses[q].text));
                fputs("\n", out);
            }
            for (; at < end; at++) write_text_violation(out, lang, p, ds, &nm, &r->v[order[at].i]);
            fputs("\n", out);
        }
    }
    free(order);
    free(nm.rows);
    fputs(msg_text(lang, MSG_SUM_HEADING), out);
    for (uint32_t u = 0; u < r->nunits; u++) {
        char a[VROW_TIME_SIZE], b[VROW_TIME_SIZE];
        vrow_time(p, r->units[u].r0, a);
        vrow_time(p, r->units[u].r1, b);
        fputs(msg_text(lang, MSG_SUM_UNIT_OPEN), out);
        text_write_escaped(out, S(ds, r->units[u].unit));
        fprintf(out, msg_text(lang, MSG_SUM_UNIT), r->units[u].events, a, b);
    }
    uint32_t enabled = 0;
    for (uint32_t k = 0; k < p->nrules; k++) enabled += !p->rules[k].disabled;
    fprintf(out, msg_text(lang, MSG_SUM_COUNTS), r->nunits, enabled, p->nrules - enabled,
            (unsigned long long)r->rule_runs);
    if (info && info->stats)
        fprintf(out, msg_text(lang, MSG_SUM_ROWS), (unsigned long long)info->stats->rows,
                (unsigned long long)info->stats->events, (unsigned long long)info->stats->skipped);
    for (uint32_t i = 0; i < r->n; i++) per_rule[r->v[i].rule * 2 + r->v[i].pending]++;
    for (uint32_t k = 0; k < p->nrules; k++) {
        const ZRule *rule = &p->rules[k];
        fputs("  ", out);
        for (int w = text_write_escaped(out, PS(p, rule->name)); w < 24; w++) fputc(' ', out);
        if (rule->disabled) {
            fputs(msg_text(lang, MSG_SUM_DISABLED), out);
            text_write_escaped(out, PS(p, rule->disabled_reason));
            fputs("\n", out);
        } else {
            fputc(' ', out);
            severity_text(out, lang, rule->severity, 12);
            fputc(' ', out);
            fprintf(out, msg_text(lang, MSG_SUM_RULE), per_rule[2 * k],
                    per_rule[2 * k] == 1 ? "" : "s", per_rule[2 * k + 1]);
        }
    }
    free(per_rule);
    fprintf(out, msg_text(lang, MSG_SUM_TOTAL), all.violations, all.must,
            all.in_principle, all.pending);
    return 0;
}

/* ---- csv ---------------------------------------------------------------------------- */

/* One CSV cell: quoted when it holds a comma, a quote or a line break; a cell
 * a spreadsheet would take for a formula (one starting with = + - @, a tab or
 * a CR) gets a leading ' as OWASP advises against CSV injection. */
static void csv_field(FILE *out, const char *s)
{
    bool quote = strpbrk(s, ",\"\r\n") != NULL;
    const char *formula = *s && strchr("=+-@\t\r", *s) ? "'" : "";
    if (!quote) {
        fputs(formula, out);
        fputs(s, out);
        return;
    }
    fputc('"', out);
    fputs(formula, out);
    for (; *s; s++) {
        if (*s == '"') fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

/* The lists as "a;b;c"; false when out of memory (then nothing to free). */
static bool join_lists(const VRow *row, char **tags, char **subjects, char **evidence)
{
    *tags = vrow_join(row, VROW_TAGS);
    *subjects = vrow_join(row, VROW_SUBJECTS);
    *evidence = vrow_join(row, VROW_EVIDENCE);
    if (*tags && *subjects && *evidence) return true;
    free(*tags);
    free(*subjects);
    free(*evidence);
    return false;
}

static int write_csv(FILE *out, const Program *p, const Dataset *ds, const RunResult *r)
{
    fputs("unit,rule,tags,clause,severity,status,window_from,window_to,trigger,subjects,evidence,message\r\n", out);
    for (uint32_t i = 0; i < r->n; i++) {
        VRow row;
        char *tags, *subjects, *evidence;
        vrow_make(&row, p, ds, &r->v[i]);
        if (!join_lists(&row, &tags, &subjects, &evidence)) return -1;
        const char *cells[] = {row.unit, row.rule, tags, row.clause, row.severity, row.status, row.window_from, row.window_to,
                               row.periodic ? "" : row.trigger, subjects, evidence, row.message};
        for (size_t c = 0; c < sizeof cells / sizeof *cells; c++) {
            if (c) fputc(',', out);
            csv_field(out, cells[c]);
        }
        fputs("\r\n", out);
        free(tags);
        free(subjects);
        free(evidence);
    }
    return 0;
}

static void write_json(FILE *out, const Program *p, const Dataset *ds, const RunResult *r, const ReportInfo *info)
{
    Counts all = count(p, r, -1);
    fputs("{\"policy\": ", out);
    json_write_string(out, PS(p, p->meta.name));
    fputs(", \"violations\": [", out);
    bool first = true;
    for (uint32_t i = 0; i < r->n; i++) {
        if (r->v[i].pending) continue;
        fputs(first ? "\n  " : ",\n  ", out);
        first = false;
        json_violation(out, p, ds, &r->v[i]);
    }
    fputs("\n], \"pending\": [", out);
    first = true;
    for (uint32_t i = 0; i < r->n; i++) {
        if (!r->v[i].pending) continue;
        fputs(first ? "\n  " : ",\n  ", out);
        first = false;
        json_violation(out, p, ds, &r->v[i]);
    }
    fputs("\n], \"summary\": {\"units\": [", out);
    for (uint32_t u = 0; u < r->nunits; u++) {
        char a[VROW_TIME_SIZE], b[VROW_TIME_SIZE];
        vrow_time(p, r->units[u].r0, a);
        vrow_time(p, r->units[u].r1, b);
        if (u) fputs(", ", out);
        fputs("{\"unit\": ", out);
        json_write_string(out, S(ds, r->units[u].unit));
        fprintf(out, ", \"events\": %u, \"from\": \"%s\", \"to\": \"%s\"}", r->units[u].events, a, b);
    }
    fprintf(out, "], \"violations\": %u, \"must\": %u, \"in_principle\": %u, \"pending\": %u", all.violations, all.must,
            all.in_principle, all.pending);
    if (info && info->stats)
        fprintf(out, ", \"rows_read\": %llu, \"events_read\": %llu, \"bad_rows_skipped\": %llu", (unsigned long long)info->stats->rows,
                (unsigned long long)info->stats->events, (unsigned long long)info->stats->skipped);
    fputs(", \"rules\": [", out);
    for (uint32_t k = 0; k < p->nrules; k++) {
        Counts c = count(p, r, (int)k);
        if (k) fputs(", ", out);
        fputs("{\"rule\": ", out);
        json_write_string(out, PS(p, p->rules[k].name));
        fprintf(out, ", \"severity\": \"%s\", \"disabled\": %s, \"violations\": %u, \"pending\": %u}",
                program_severity_name(p->rules[k].severity), p->rules[k].disabled ? "true" : "false", c.violations, c.pending);
    }
    fputs("]}}\n", out);
}

int report_write(FILE *out, ReportFormat fmt, const Program *p, const Dataset *ds, const RunResult *r, const ReportInfo *info)
{
    switch (fmt) {
    case REPORT_JSONL:
        for (uint32_t i = 0; i < r->n; i++) {
            if (r->v[i].pending) continue;
            json_violation(out, p, ds, &r->v[i]);
            fputc('\n', out);
        }
        break;
    case REPORT_JSON: write_json(out, p, ds, r, info); break;
    case REPORT_CSV: return write_csv(out, p, ds, r);
    case REPORT_TEXT: return write_text(out, p, ds, r, info);
    }
    return 0;
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
    for (uint32_t i = 0; i < r->n && rc == SQLITE_OK; i++) {
        VRow row;
        char *tags, *subjects, *evidence;
        vrow_make(&row, p, ds, &r->v[i]);
        if (!join_lists(&row, &tags, &subjects, &evidence)) { rc = SQLITE_NOMEM; break; }
        const char *text[] = {row.unit, row.rule, tags, row.clause, row.clause_text, row.severity, row.status,
                              row.periodic ? row.window_from : NULL, row.periodic ? row.window_to : NULL, row.trigger,
                              subjects, evidence, row.message};
        for (int c = 0; c < (int)(sizeof text / sizeof *text); c++) {
            if (text[c]) sqlite3_bind_text(st, c + 1, text[c], -1, SQLITE_TRANSIENT);
            else sqlite3_bind_null(st, c + 1);
        }
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
        sqlite3_reset(st);
        free(tags);
        free(subjects);
        free(evidence);
    }
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
