/* report.c - the report formats. jsonl follows docs/data.md to the letter and
 * holds nothing that depends on where the data came from, so CSV and SQLite
 * forms of a data set give byte-identical reports. */
#include "report.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "ztime.h"


static const char *S(const Dataset *ds, StrId id) { return strtab_str(&ds->strs, id); }
static const char *PS(const Program *p, uint32_t id) { return program_string(p, id); }

static void time_str(const Program *p, int64_t t, char *buf, size_t size) { zt_format(t, p->meta.tz_offset, buf, size); }

static const char *severity_name(uint8_t s) { return s == 1 ? "must" : "in-principle"; }

static void json_violation(FILE *out, const Program *p, const Dataset *ds, const Violation *v)
{
    const ZRule *r = &p->rules[v->rule];
    char a[40], b[40];
    fputs("{\"unit\": ", out);
    json_write_string(out, S(ds, v->unit));
    fputs(", \"rule\": ", out);
    json_write_string(out, PS(p, r->name));
    fputs(", \"tags\": [", out);
    for (uint32_t i = 0; i < r->ntags; i++) {
        if (i) fputs(", ", out);
        json_write_string(out, PS(p, r->tags[i]));
    }
    fputs("], \"clause\": ", out);
    json_write_string(out, r->nclauses ? PS(p, r->clauses[0].id) : "");
    fputs(", \"severity\": ", out);
    json_write_string(out, severity_name(r->severity));
    fputs(", \"subjects\": [", out);
    for (uint32_t i = 0; i < v->nsubjects; i++) {
        if (i) fputs(", ", out);
        json_write_string(out, S(ds, v->subjects[i]));
    }
    fputs("], ", out);
    if (v->periodic) {
        time_str(p, v->from, a, sizeof a);
        time_str(p, v->to, b, sizeof b);
        fprintf(out, "\"window\": {\"from\": \"%s\", \"to\": \"%s\"}", a, b);
    } else {
        fputs("\"trigger\": ", out);
        json_write_string(out, S(ds, v->trigger_id));
    }
    fputs(", \"evidence\": [", out);
    for (uint32_t i = 0; i < v->nevidence; i++) {
        if (i) fputs(", ", out);
        json_write_string(out, S(ds, v->evidence[i]));
    }
    fputs("], \"message\": ", out);
    json_write_string(out, v->message);
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
        if (p->rules[v->rule].severity == 1) c.must++; else c.in_principle++;
    }
    return c;
}

static void person_text(FILE *out, const Dataset *ds, StrId unit, StrId s)
{
    const char *name = engine_person_name(ds, unit, s);
    if (name && *name && strcmp(name, S(ds, s))) fprintf(out, "%s(%s)", name, S(ds, s));
    else fputs(S(ds, s), out);
}

static void write_text_violation(FILE *out, const Program *p, const Dataset *ds, const Violation *v)
{
    char a[40], b[40];
    fputs("  - ", out);
    if (v->periodic) {
        time_str(p, v->from, a, sizeof a);
        time_str(p, v->to, b, sizeof b);
        fprintf(out, "%s … %s", a, b);
    } else {
        time_str(p, v->trigger_time, a, sizeof a);
        fprintf(out, "event %s at %s (%s:%u)", S(ds, v->trigger_id), a, ds->event_source ? ds->event_source : "events", v->trigger_loc);
    }
    fputs("\n    ", out);
    fputs(v->message, out);
    fputs("\n", out);
    if (v->nsubjects) {
        fputs("    subjects: ", out);
        for (uint32_t s = 0; s < v->nsubjects; s++) {
            if (s) fputs(", ", out);
            person_text(out, ds, v->unit, v->subjects[s]);
        }
        fputs("\n", out);
    }
    for (uint32_t s = 0; s < v->nevidence; s++)
        fprintf(out, "    evidence: %s %s:%u\n", S(ds, v->evidence[s]), ds->event_source ? ds->event_source : "events", v->evidence_loc[s]);
}

static void write_text(FILE *out, const Program *p, const Dataset *ds, const RunResult *r, const ReportInfo *info)
{
    Counts all = count(p, r, -1);
    fprintf(out, "%s — %s（%s）\n", PS(p, p->meta.name), PS(p, p->meta.title), PS(p, p->meta.document));
    if (info && info->data_path) fprintf(out, "data: %s\n", info->data_path);
    fputs("\n", out);
    /* grouped by unit (when there are several), then by rule */
    for (uint32_t u = 0; u < r->nunits; u++) {
        StrId unit = r->units[u].unit;
        if (r->nunits > 1) fprintf(out, "#### unit %s\n\n", S(ds, unit));
        for (uint32_t k = 0; k < p->nrules; k++) {
            uint32_t n = 0;
            for (uint32_t i = 0; i < r->n; i++) n += r->v[i].rule == k && r->v[i].unit == unit && !r->v[i].pending;
            if (!n) continue;
            const ZRule *rule = &p->rules[k];
            fprintf(out, "== %s [", PS(p, rule->name));
            for (uint32_t t = 0; t < rule->ntags; t++) fprintf(out, "%s%s", t ? " " : "", PS(p, rule->tags[t]));
            fprintf(out, "] %s — %u violation%s\n", severity_name(rule->severity), n, n == 1 ? "" : "s");
            for (uint32_t q = 0; q < rule->nclauses; q++)
                fprintf(out, "   %s %s\n", PS(p, rule->clauses[q].id), PS(p, rule->clauses[q].text));
            for (uint32_t i = 0; i < r->n; i++) {
                const Violation *v = &r->v[i];
                if (v->rule != k || v->unit != unit || v->pending) continue;
                write_text_violation(out, p, ds, v);
            }
            fputs("\n", out);
        }
    }
    fputs("summary\n", out);
    for (uint32_t u = 0; u < r->nunits; u++) {
        char a[40], b[40];
        time_str(p, r->units[u].r0, a, sizeof a);
        time_str(p, r->units[u].r1, b, sizeof b);
        fprintf(out, "  unit \"%s\": %u events checked, range %s … %s\n", S(ds, r->units[u].unit), r->units[u].events, a, b);
    }
    uint32_t enabled = 0;
    for (uint32_t k = 0; k < p->nrules; k++) enabled += !p->rules[k].disabled;
    fprintf(out, "  units: %u, rules evaluated: %u (%u disabled), rule runs: %llu\n", r->nunits, enabled, p->nrules - enabled,
            (unsigned long long)r->rule_runs);
    if (info && info->stats)
        fprintf(out, "  rows read: %llu, events: %llu, bad rows skipped: %llu\n", (unsigned long long)info->stats->rows,
                (unsigned long long)info->stats->events, (unsigned long long)info->stats->skipped);
    for (uint32_t k = 0; k < p->nrules; k++) {
        Counts c = count(p, r, (int)k);
        const ZRule *rule = &p->rules[k];
        fputs("  ", out);
        text_pad(out, PS(p, rule->name), 24);
        if (rule->disabled) fprintf(out, " disabled: %s\n", PS(p, rule->disabled_reason));
        else
            fprintf(out, " %-12s %u violation%s, %u pending\n", severity_name(rule->severity), c.violations,
                    c.violations == 1 ? "" : "s", c.pending);
    }
    fprintf(out, "  total: %u violations (%u must, %u in-principle), %u obligations pending\n", all.violations, all.must,
            all.in_principle, all.pending);
}

static void csv_field(FILE *out, const char *s)
{
    bool quote = strpbrk(s, ",\"\r\n") != NULL;
    if (!quote) { fputs(s, out); return; }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"') fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

/* "a;b;c" of n strings, malloc'd (lists in CSV cells and database columns). */
static char *join(const char *const *parts, uint32_t n)
{
    size_t len = 1;
    for (uint32_t i = 0; i < n; i++) len += strlen(parts[i]) + 1;
    char *s = malloc(len), *at = s;
    if (!s) abort();
    for (uint32_t i = 0; i < n; i++) {
        if (i) *at++ = ';';
        size_t k = strlen(parts[i]);
        memcpy(at, parts[i], k);
        at += k;
    }
    *at = '\0';
    return s;
}

static char *join_ids(const Dataset *ds, const StrId *ids, uint32_t n)
{
    const char **parts = malloc(sizeof(char *) * (n + 1u));
    if (!parts) abort();
    for (uint32_t i = 0; i < n; i++) parts[i] = S(ds, ids[i]);
    char *s = join(parts, n);
    free(parts);
    return s;
}

static char *join_tags(const Program *p, const ZRule *rule)
{
    const char **parts = malloc(sizeof(char *) * (rule->ntags + 1u));
    if (!parts) abort();
    for (uint32_t i = 0; i < rule->ntags; i++) parts[i] = PS(p, rule->tags[i]);
    char *s = join(parts, rule->ntags);
    free(parts);
    return s;
}

static void write_csv(FILE *out, const Program *p, const Dataset *ds, const RunResult *r)
{
    fputs("unit,rule,tags,clause,severity,status,window_from,window_to,trigger,subjects,evidence,message\r\n", out);
    for (uint32_t i = 0; i < r->n; i++) {
        const Violation *v = &r->v[i];
        const ZRule *rule = &p->rules[v->rule];
        char a[40] = "", b[40] = "";
        char *tags = join_tags(p, rule), *subjects = join_ids(ds, v->subjects, v->nsubjects),
             *evidence = join_ids(ds, v->evidence, v->nevidence);
        csv_field(out, S(ds, v->unit));
        fputc(',', out);
        csv_field(out, PS(p, rule->name));
        fputc(',', out);
        csv_field(out, tags);
        fputc(',', out);
        csv_field(out, rule->nclauses ? PS(p, rule->clauses[0].id) : "");
        fprintf(out, ",%s,%s,", severity_name(rule->severity), v->pending ? "pending" : "violation");
        if (v->periodic) {
            time_str(p, v->from, a, sizeof a);
            time_str(p, v->to, b, sizeof b);
        }
        fprintf(out, "%s,%s,", a, b);
        csv_field(out, v->periodic ? "" : S(ds, v->trigger_id));
        fputc(',', out);
        csv_field(out, subjects);
        fputc(',', out);
        csv_field(out, evidence);
        fputc(',', out);
        csv_field(out, v->message);
        fputs("\r\n", out);
        free(tags);
        free(subjects);
        free(evidence);
    }
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
        char a[40], b[40];
        time_str(p, r->units[u].r0, a, sizeof a);
        time_str(p, r->units[u].r1, b, sizeof b);
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
                severity_name(p->rules[k].severity), p->rules[k].disabled ? "true" : "false", c.violations, c.pending);
    }
    fputs("]}}\n", out);
}

void report_write(FILE *out, ReportFormat fmt, const Program *p, const Dataset *ds, const RunResult *r, const ReportInfo *info)
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
    case REPORT_CSV: write_csv(out, p, ds, r); break;
    case REPORT_TEXT: write_text(out, p, ds, r, info); break;
    }
}


int report_write_db(const char *path, const Program *p, const Dataset *ds, const RunResult *r, const ReportInfo *info,
                    char *err, size_t size)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        snprintf(err, size, "%s: %s", path, db ? sqlite3_errmsg(db) : "cannot create");
        sqlite3_close(db);
        return -1;
    }
    const char *schema =
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
        const Violation *v = &r->v[i];
        const ZRule *rule = &p->rules[v->rule];
        char a[40] = "", b[40] = "";
        if (v->periodic) {
            time_str(p, v->from, a, sizeof a);
            time_str(p, v->to, b, sizeof b);
        }
        char *tags = join_tags(p, rule), *subjects = join_ids(ds, v->subjects, v->nsubjects),
             *evidence = join_ids(ds, v->evidence, v->nevidence);
        sqlite3_bind_text(st, 1, S(ds, v->unit), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, PS(p, rule->name), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, tags, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 4, rule->nclauses ? PS(p, rule->clauses[0].id) : "", -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 5, rule->nclauses ? PS(p, rule->clauses[0].text) : "", -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 6, severity_name(rule->severity), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, v->pending ? "pending" : "violation", -1, SQLITE_STATIC);
        if (v->periodic) {
            sqlite3_bind_text(st, 8, a, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st, 9, b, -1, SQLITE_TRANSIENT);
            sqlite3_bind_null(st, 10);
        } else {
            sqlite3_bind_null(st, 8);
            sqlite3_bind_null(st, 9);
            sqlite3_bind_text(st, 10, S(ds, v->trigger_id), -1, SQLITE_TRANSIENT);
        }
        sqlite3_bind_text(st, 11, subjects, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 12, evidence, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 13, v->message, -1, SQLITE_TRANSIENT);
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
