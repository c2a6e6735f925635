/* explain.c - `zhidu explain`: the evidence trail of a rule's verdicts, kept,
 * violated or pending, in the author's terms. The rule file is compiled with
 * tracing (its TRACE points carry the source text of each binding, selection
 * and condition), run holding every event, and what the trace recorded
 * (runtime/trace.h) is printed as text or as one JSON document. It judges
 * nothing itself: the verdicts are those the run reaches. */
#define _GNU_SOURCE /* qsort_r: the verdicts ordered by their data set's strings */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "compiler.h"
#include "engine.h"
#include "file.h"
#include "input.h"
#include "msg.h"
#include "suggest.h"
#include "text.h"
#include "trace.h"
#include "ztime.h"

typedef struct Ex {
    const Program *p;
    const Dataset *ds;
    const Trace *t;
    Lang lang;
    bool json;
} Ex;

static const char *str(const Ex *x, uint32_t i) { return program_string(x->p, i); }
static const char *dstr(const Ex *x, StrId s) { return strtab_str(&x->ds->strs, s); }

/* ---- loading ------------------------------------------------------------------- */

static Program *load_traced(const char *path, int *rc, Lang lang)
{
    Compilation *c = compile_new();
    if (!c) { *rc = EXIT_USAGE; return NULL; }
    c->trace = true;
    Program *p = NULL;
    *rc = EXIT_USAGE;
    if (!compile_check_file(c, path)) {
        fprintf(stderr, msg_text(lang, MSG_CANNOT_READ), path, msg_translate(lang, file_error(c->io_errno)));
    } else {
        diag_print_text(&c->diag, stderr, isatty(STDERR_FILENO)); /* errors, or warnings */
        if (!c->diag.errors && !(p = compile_take_program(c))) fputs(msg_text(lang, MSG_OOM_LINE), stderr);
    }
    compile_free(c);
    return p;
}

/* Rule `r` is asked for by NAME or TAG (a tag also names its sub-tags: O15
 * takes O15.leave). */
static bool rule_matches(const Program *p, const ZRule *r, const char *name)
{
    if (!strcmp(program_string(p, r->name), name)) return true;
    size_t n = strlen(name);
    for (uint32_t k = 0; k < r->ntags; k++) {
        const char *tag = program_string(p, r->tags[k]);
        if (!strncmp(tag, name, n) && (tag[n] == '\0' || tag[n] == '.')) return true;
    }
    return false;
}

static int want_rules(const Command *cmd, const Program *p, Trace *t, const char *name, const char *policy, Lang lang)
{
    int found = 0;
    Suggest s;
    suggest_init(&s, name);
    for (uint32_t i = 0; i < p->nrules; i++) {
        if (rule_matches(p, &p->rules[i], name)) {
            trace_want_rule(t, i);
            found++;
        }
        suggest_offer(&s, program_string(p, p->rules[i].name));
        for (uint32_t k = 0; k < p->rules[i].ntags; k++) suggest_offer(&s, program_string(p, p->rules[i].tags[k]));
    }
    if (found) return EXIT_OK;
    return cli_usage_error(cmd, lang, suggest_result(&s), msg_text(lang, MSG_EX_NO_RULE), name, policy);
}

/* ---- which verdicts ------------------------------------------------------------- */

typedef struct At {
    bool given, by_event;
    StrId id;       /* by_event */
    int64_t time;   /* else */
} At;

static bool at_resolve(const Ex *x, const char *text, At *at)
{
    memset(at, 0, sizeof *at);
    at->given = text != NULL;
    if (!text) return true;
    at->id = strtab_find(&x->ds->strs, text, strlen(text));
    for (uint32_t i = 0; at->id != UINT32_MAX && i < x->ds->nevents; i++)
        if (x->ds->events[i].id == at->id) return at->by_event = true;
    return zt_parse_instant(text, strlen(text), x->p->meta.tz_offset, &at->time) == NULL;
}

static bool at_matches(const Ex *x, const At *at, const TraceVerdict *v)
{
    if (!at->given) return true;
    if (!v->periodic) {
        const Event *e = &x->ds->events[v->trigger];
        return at->by_event ? e->id == at->id : e->time == at->time;
    }
    if (!at->by_event) return v->from <= at->time && at->time < v->to;
    for (uint32_t i = 0; i < x->ds->nevents; i++) {
        const Event *e = &x->ds->events[i];
        if (e->id == at->id && e->unit == v->unit && v->from <= e->time && e->time < v->to) return true;
    }
    return false;
}

static int64_t verdict_time(const Ex *x, const TraceVerdict *v)
{
    return v->periodic ? v->from : x->ds->events[v->trigger].time;
}

static int cmp_verdicts(const void *a, const void *b, void *ctx)
{
    const Ex *x = ctx;
    const TraceVerdict *p = *(const TraceVerdict *const *)a, *q = *(const TraceVerdict *const *)b;
    int c = strcmp(dstr(x, p->unit), dstr(x, q->unit));
    if (c) return c;
    if (p->rule != q->rule) return p->rule < q->rule ? -1 : 1;
    int64_t tp = verdict_time(x, p), tq = verdict_time(x, q);
    if (tp != tq) return tp < tq ? -1 : 1;
    return p < q ? -1 : p > q; /* the order the run reached them */
}

/* ---- text ------------------------------------------------------------------------ */

static void time_text(const Ex *x, int64_t t, char *buf, size_t size) { zt_format(t, x->p->meta.tz_offset, buf, size); }

static void period_text(const Ex *x, const TraceVerdict *v, char *buf, size_t size)
{
    char a[40], b[40];
    time_text(x, v->from, a, sizeof a);
    time_text(x, v->to, b, sizeof b);
    snprintf(buf, size, "%s … %s", a, b);
}

/* A string of the data as the text report shows it: escaped (text.h). */
static const char *shown(const Ex *x, StrId s, char *buf, size_t size)
{
    text_escape(buf, size, dstr(x, s));
    return buf;
}

/* "name(id)" for a person of the unit's roster, else the id. */
static void value_text(const Ex *x, StrId unit, StrId s, FILE *out)
{
    const char *id = dstr(x, s), *name = engine_person_name(x->ds, unit, s);
    if (name && *name && strcmp(name, id)) {
        text_write_escaped(out, name);
        fputc('(', out);
        text_write_escaped(out, id);
        fputc(')', out);
    } else {
        text_write_escaped(out, id);
    }
}

/* "E0042 (communication, 2024-03-05T10:00:00+08:00, events.csv:43)" */
static void event_text(const Ex *x, uint32_t ev, FILE *out)
{
    const Event *e = &x->ds->events[ev];
    char t[40];
    time_text(x, e->time, t, sizeof t);
    const char *type = e->type < x->p->nevent_types ? str(x, x->p->event_types[e->type].name) : "?";
    text_write_escaped(out, dstr(x, e->id));
    text_printf_escaped(out, " (%s, %s, ", type, t);
    text_write_escaped(out, x->ds->event_source ? x->ds->event_source : "events");
    fprintf(out, ":%lld)", (long long)e->loc);
}

/* The trace points of selection s's conditions, in order. */
static uint32_t conditions(const Ex *x, const TraceSel *s, uint32_t *out, uint32_t max)
{
    uint32_t n = 0;
    for (uint32_t i = s->point + 1; i < x->p->ntrace && n < max; i++)
        if (x->p->trace[i].kind == ZTR_CONJ && x->p->trace[i].owner == s->point) out[n++] = i;
    return n;
}

static void text_sel(const Ex *x, const TraceSel *s, FILE *out)
{
    const ZTracePoint *tp = &x->p->trace[s->point];
    text_printf_escaped(out, "   %s\n", str(x, tp->text)); /* rule-file text: escaped as the data is */
    char list[512] = "", id[200];
    size_t len = 0;
    for (uint32_t i = 0; i < s->nmatched && i < TRACE_MAX_MATCHED && len < sizeof list; i++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : msg_text(x->lang, MSG_EX_MATCHED),
                                shown(x, x->ds->events[s->matched[i]].id, id, sizeof id));
    fprintf(out, msg_text(x->lang, MSG_EX_EXAMINED), s->examined, s->examined == 1 ? "" : "s", s->nmatched, list,
            s->nmatched > TRACE_MAX_MATCHED ? ", …" : "");
    char res[64];
    if (s->result == 2) snprintf(res, sizeof res, "%lld", (long long)s->count);
    else if (s->result == 3) shown(x, x->ds->events[s->result_event].id, res, sizeof res);
    else snprintf(res, sizeof res, "%s", msg_text(x->lang, tp->select != 0 ? M_NONE : s->result ? MSG_EX_TRUE : MSG_EX_FALSE_VALUE));
    fprintf(out, msg_text(x->lang, MSG_EX_RESULT), res);
    if (s->nmatched || !s->has_miss) return;
    char buf[256];
    FILE *mem = fmemopen(buf, sizeof buf, "w");
    if (!mem) return;
    event_text(x, s->miss.event, mem);
    fclose(mem);
    fprintf(out, msg_text(x->lang, MSG_EX_NEAREST), buf);
    uint32_t conds[64];
    uint32_t n = conditions(x, s, conds, 64);
    for (uint32_t i = 0; i < n; i++)
        if (s->miss.failed & ((uint64_t)1 << x->p->trace[conds[i]].index)) text_printf_escaped(out, msg_text(x->lang, MSG_EX_FALSE), str(x, x->p->trace[conds[i]].text));
}

static const char *outcome_text(Lang lang, uint8_t o)
{
    return msg_text(lang, o == TRACE_KEPT ? MSG_EX_KEPT : o == TRACE_PENDING ? MSG_EX_PENDING : MSG_EX_VIOLATED);
}

/* The require's source text of rule r. */
static const char *require_text(const Ex *x, uint32_t rule)
{
    for (uint32_t i = 0; i < x->p->ntrace; i++)
        if (x->p->trace[i].kind == ZTR_REQUIRE && x->p->trace[i].rule == rule) return str(x, x->p->trace[i].text);
    return "";
}

/* " P" for `every … as P`, " e" for `on e: …`, else "". */
static const char *context_name(const Ex *x, uint32_t rule, char *buf, size_t size)
{
    buf[0] = '\0';
    for (uint32_t i = 0; i < x->p->ntrace; i++)
        if (x->p->trace[i].kind == ZTR_BODY && x->p->trace[i].rule == rule && x->p->trace[i].name != ZNONE)
            snprintf(buf, size, " %s", str(x, x->p->trace[i].name));
    return buf;
}

static void text_verdict(const Ex *x, const TraceVerdict *v, FILE *out)
{
    const ZRule *r = &x->p->rules[v->rule];
    text_printf_escaped(out, "== %s [", str(x, r->name)); /* the rule file's names: escaped as the data's */
    for (uint32_t k = 0; k < r->ntags; k++) text_printf_escaped(out, "%s%s", k ? ", " : "", str(x, r->tags[k]));
    fputs("]", out);
    for (uint32_t k = 0; k < r->nclauses; k++) text_printf_escaped(out, " %s", str(x, r->clauses[k].id));
    fprintf(out, " — %s\n", outcome_text(x->lang, v->outcome));
    char buf[256], name[128];
    if (*dstr(x, v->unit)) fprintf(out, msg_text(x->lang, MSG_EX_UNIT), shown(x, v->unit, buf, sizeof buf));
    context_name(x, v->rule, name, sizeof name);
    if (v->periodic) {
        period_text(x, v, buf, sizeof buf);
        text_printf_escaped(out, msg_text(x->lang, MSG_EX_PERIOD), name, buf);
    } else {
        FILE *mem = fmemopen(buf, sizeof buf, "w");
        if (mem) {
            event_text(x, v->trigger, mem);
            fclose(mem);
            text_printf_escaped(out, msg_text(x->lang, MSG_EX_TRIGGER), name, buf);
        }
    }
    for (uint32_t b = 0; b < v->nbindings; b++) {
        const TraceBinding *tb = &v->bindings[b];
        const ZTracePoint *tp = &x->p->trace[tb->point];
        const char *colon = msg_text(x->lang, MSG_EX_MATCHED);
        if (tp->name2 != ZNONE) text_printf_escaped(out, "   for {%s, %s} in %s%s", str(x, tp->name), str(x, tp->name2), str(x, tp->text), colon);
        else text_printf_escaped(out, "   for %s in %s%s", str(x, tp->name), str(x, tp->text), colon);
        value_text(x, v->unit, tb->value, out);
        if (tp->name2 != ZNONE) {
            fputs(", ", out);
            value_text(x, v->unit, tb->value2, out);
        }
        char *range = NULL;
        size_t rlen = 0;
        FILE *mem = open_memstream(&range, &rlen);
        if (mem) {
            for (uint32_t i = 0; i < tb->nrange; i++) {
                if (i) fputs(", ", mem);
                value_text(x, v->unit, tb->range[i], mem);
            }
            fclose(mem);
            fprintf(out, msg_text(x->lang, MSG_EX_RANGED), tb->nrange, range);
        }
        free(range);
        fputc('\n', out);
    }
    text_printf_escaped(out, msg_text(x->lang, MSG_EX_REQUIRE), require_text(x, v->rule));
    for (uint32_t i = 0; i < v->nsels; i++) text_sel(x, &v->sels[i], out);
}

/* ---- json ------------------------------------------------------------------------ */

static void json_str(FILE *out, const char *s) { json_write_string(out, s); }

static void json_time(const Ex *x, int64_t t, FILE *out)
{
    char buf[40];
    time_text(x, t, buf, sizeof buf);
    json_str(out, buf);
}

static void json_event(const Ex *x, uint32_t ev, FILE *out)
{
    const Event *e = &x->ds->events[ev];
    fputs("{\"id\": ", out);
    json_str(out, dstr(x, e->id));
    fputs(", \"type\": ", out);
    json_str(out, e->type < x->p->nevent_types ? str(x, x->p->event_types[e->type].name) : "");
    fputs(", \"time\": ", out);
    json_time(x, e->time, out);
    fputs(", \"source\": ", out);
    json_str(out, x->ds->event_source ? x->ds->event_source : "events");
    fprintf(out, ", \"loc\": %lld}", (long long)e->loc);
}

static void json_name(const Ex *x, uint32_t name, FILE *out)
{
    if (name == ZNONE) fputs("null", out);
    else json_str(out, str(x, name));
}

static void json_sel(const Ex *x, const TraceSel *s, FILE *out)
{
    static const char *kinds[] = {"exists", "count", "latest", "first"};
    const ZTracePoint *tp = &x->p->trace[s->point];
    fprintf(out, "{\"kind\": \"%s\", \"text\": ", kinds[tp->select & 3]);
    json_str(out, str(x, tp->text));
    fputs(", \"variable\": ", out);
    json_name(x, tp->name, out);
    fputs(", \"conditions\": [", out);
    uint32_t conds[64];
    uint32_t n = conditions(x, s, conds, 64);
    for (uint32_t i = 0; i < n; i++) {
        if (i) fputs(", ", out);
        json_str(out, str(x, x->p->trace[conds[i]].text));
    }
    fprintf(out, "], \"examined\": %u, \"matched_count\": %u, \"matched\": [", s->examined, s->nmatched);
    for (uint32_t i = 0; i < s->nmatched && i < TRACE_MAX_MATCHED; i++) {
        if (i) fputs(", ", out);
        json_str(out, dstr(x, x->ds->events[s->matched[i]].id));
    }
    fputs("], \"result\": ", out);
    if (s->result == 2) fprintf(out, "%lld", (long long)s->count);
    else if (s->result == 3) json_str(out, dstr(x, x->ds->events[s->result_event].id));
    else if (tp->select == 0) fputs(s->result ? "true" : "false", out);
    else fputs(tp->select == 1 ? "0" : "null", out);
    fputs(", \"nearest_miss\": ", out);
    if (s->nmatched || !s->has_miss) {
        fputs("null}", out);
        return;
    }
    fputs("{\"event\": ", out);
    json_event(x, s->miss.event, out);
    fputs(", \"failed\": [", out);
    for (uint32_t i = 0, k = 0; i < n; i++) {
        if (!(s->miss.failed & ((uint64_t)1 << x->p->trace[conds[i]].index))) continue;
        if (k++) fputs(", ", out);
        json_str(out, str(x, x->p->trace[conds[i]].text));
    }
    fputs("]}}", out);
}

static void json_verdict(const Ex *x, const TraceVerdict *v, FILE *out)
{
    static const char *outcomes[] = {"kept", "violated", "pending"};
    const ZRule *r = &x->p->rules[v->rule];
    fputs("    {\"rule\": ", out);
    json_str(out, str(x, r->name));
    fputs(", \"tags\": [", out);
    for (uint32_t k = 0; k < r->ntags; k++) {
        if (k) fputs(", ", out);
        json_str(out, str(x, r->tags[k]));
    }
    fputs("], \"clauses\": [", out);
    for (uint32_t k = 0; k < r->nclauses; k++) {
        if (k) fputs(", ", out);
        json_str(out, str(x, r->clauses[k].id));
    }
    fputs("], \"unit\": ", out);
    if (*dstr(x, v->unit)) json_str(out, dstr(x, v->unit));
    else fputs("null", out);
    fprintf(out, ", \"verdict\": \"%s\",\n     \"context\": ", outcomes[v->outcome % 3]);
    char name[128];
    context_name(x, v->rule, name, sizeof name);
    fputs("{\"name\": ", out);
    if (name[0]) json_str(out, name + 1);
    else fputs("null", out);
    if (v->periodic) {
        fputs(", \"period\": {\"from\": ", out);
        json_time(x, v->from, out);
        fputs(", \"to\": ", out);
        json_time(x, v->to, out);
        fputs("}, \"trigger\": null}", out);
    } else {
        fputs(", \"period\": null, \"trigger\": ", out);
        json_event(x, v->trigger, out);
        fputs("}", out);
    }
    fputs(",\n     \"bindings\": [", out);
    for (uint32_t b = 0; b < v->nbindings; b++) {
        const TraceBinding *tb = &v->bindings[b];
        const ZTracePoint *tp = &x->p->trace[tb->point];
        fputs(b ? ", {\"names\": [" : "{\"names\": [", out);
        json_str(out, str(x, tp->name));
        if (tp->name2 != ZNONE) {
            fputs(", ", out);
            json_str(out, str(x, tp->name2));
        }
        fputs("], \"in\": ", out);
        json_str(out, str(x, tp->text));
        fputs(", \"value\": [", out);
        json_str(out, dstr(x, tb->value));
        if (tp->name2 != ZNONE) {
            fputs(", ", out);
            json_str(out, dstr(x, tb->value2));
        }
        fputs("], \"range\": [", out);
        for (uint32_t i = 0; i < tb->nrange; i++) {
            if (i) fputs(", ", out);
            json_str(out, dstr(x, tb->range[i]));
        }
        fputs("]}", out);
    }
    fputs("],\n     \"require\": ", out);
    json_str(out, require_text(x, v->rule));
    fputs(",\n     \"selections\": [", out);
    for (uint32_t i = 0; i < v->nsels; i++) {
        if (i) fputs(",\n       ", out);
        json_sel(x, &v->sels[i], out);
    }
    fputs("]}", out);
}

/* ---- the command ------------------------------------------------------------------- */

static int print_trail(const Ex *x, const At *at, const char *rule, const char *policy, const char *data, FILE *out)
{
    const Trace *t = x->t;
    const TraceVerdict **sel = malloc(sizeof *sel * (t->n + 1u));
    if (!sel) { fputs(msg_text(x->lang, MSG_OOM_LINE), stderr); return EXIT_USAGE; }
    uint32_t n = 0;
    for (uint32_t i = 0; i < t->n; i++)
        if (at_matches(x, at, &t->v[i])) sel[n++] = &t->v[i];
    qsort_r(sel, n, sizeof *sel, cmp_verdicts, (void *)x);
    if (x->json) {
        fputs("{\"policy\": ", out);
        json_str(out, policy);
        fputs(", \"data\": ", out);
        json_str(out, data);
        fputs(", \"rule\": ", out);
        json_str(out, rule);
        fputs(", \"verdicts\": [\n", out);
        for (uint32_t i = 0; i < n; i++) {
            json_verdict(x, sel[i], out);
            fputs(i + 1 < n ? ",\n" : "\n", out);
        }
        fputs("]}\n", out);
    } else {
        for (uint32_t i = 0; i < n; i++) text_verdict(x, sel[i], out);
    }
    free(sel);
    if (n == 0) fprintf(stderr, msg_text(x->lang, MSG_EX_NONE), rule, at->given ? msg_text(x->lang, MSG_EX_AT_GIVEN) : "");
    return n ? EXIT_OK : EXIT_FINDINGS;
}

static int run_explain(const Command *cmd, const CliArgs *args)
{
    Lang lang = args->lang;
    const char *rule = cli_value(cmd, args, "--rule"), *at_text = cli_value(cmd, args, "--at");
    const char *unit = cli_value(cmd, args, "--unit"), *format = cli_value(cmd, args, "--format");
    if (args->npos > 2) return cli_usage_error(cmd, lang, NULL, msg_text(lang, MSG_UNEXPECTED_ARG), args->pos[2]);
    if (args->npos < 2 || !rule) return cli_usage_error(cmd, lang, NULL, "%s", msg_text(lang, MSG_EX_NEEDS));
    const char *policy = args->pos[0], *data = args->pos[1];
    size_t len = strlen(policy);
    if (len >= 4 && !strcmp(policy + len - 4, ".zbc")) return cli_usage_error(cmd, lang, NULL, msg_text(lang, MSG_EX_ZBC), policy);
    InputOptions io = {.report = stderr, .lang = lang};
    if (cli_input_options(cmd, args, &io)) return EXIT_USAGE;
    int rc = EXIT_OK;
    Program *p = load_traced(policy, &rc, lang);
    if (!p) return rc;
    Trace *t = trace_new(p);
    if (!t) { program_free(p); fputs(msg_text(lang, MSG_OOM_LINE), stderr); return EXIT_USAGE; }
    if ((rc = want_rules(cmd, p, t, rule, policy, lang)) != EXIT_OK) {
        trace_free(t);
        program_free(p);
        return rc;
    }
    for (uint32_t i = 0; i < p->nrules; i++) /* run only the rules asked about */
        if (!t->rules[i]) p->rules[i].disabled = 1;
    RunOptions ro = {0};
    ro.unit = unit;
    ro.window = 0; /* hold every event: the trail names events by index */
    ro.trace = t;
    Dataset *ds = NULL;
    InputStats stats;
    RunResult result;
    char err[1024];
    if (engine_run_input(p, data, &io, &ro, &ds, &result, &stats, err, sizeof err) != 0) {
        fprintf(stderr, "zhidu: %s\n", err);
        trace_free(t);
        program_free(p);
        return EXIT_USAGE;
    }
    Ex x = {p, ds, t, lang, format && !strcmp(format, "json")};
    At at;
    if (ds->strs.failed || t->failed) rc = (fputs(msg_text(lang, MSG_OOM_LINE), stderr), EXIT_USAGE);
    else if (unit && result.nunits == 0) rc = cli_usage_error(cmd, lang, NULL, msg_text(lang, MSG_NO_UNIT), unit, data);
    else if (!at_resolve(&x, at_text, &at)) rc = cli_usage_error(cmd, lang, NULL, msg_text(lang, MSG_EX_AT), at_text, data);
    else rc = print_trail(&x, &at, rule, policy, data, stdout);
    run_result_free(&result);
    dataset_free(ds);
    trace_free(t);
    program_free(p);
    return rc;
}

static const CliOption explain_options[] = {
    {"--rule", "RULE", NULL, MSG_O_EXPLAIN_RULE},
    {"--at", "WHEN", NULL, MSG_O_EXPLAIN_AT},
    {"--unit", "U", NULL, MSG_O_EXPLAIN_UNIT},
    {"--format", "FORMAT", "text|json", MSG_O_EXPLAIN_FORMAT},
    CLI_DATA_OPTIONS,
    {0},
};

const Command explain_command = {
    "explain",
    MSG_CMD_EXPLAIN,
    "explain POLICY.zd DATA --rule RULE [options]",
    MSG_H_EXPLAIN,
    explain_options,
    run_explain,
};
