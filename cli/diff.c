/* diff.c - `zhidu diff OLD.zd NEW.zd [--data DATA]`: what a new policy (an
 * adaptation, typically) changes, computed by compiler/pdiff.c from the two
 * checked policies; with --data both run over the data and the verdicts only
 * one side reports are listed. Writes text or JSON; changes no file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "msg.h"
#include "compiler.h"
#include "engine.h"
#include "file.h"
#include "input.h"
#include "pdiff.h"
#include "vrow.h"
#include "text.h"

/* One policy compared, and with --data its run. */
typedef struct Side {
    const char *path;
    Compilation *c;
    Program *p;
    Dataset *ds;
    RunResult res;
    bool ran;
    char **keys;    /* per verdict: its identity across the two sides */
    char **sorted;  /* the same, sorted, for lookups */
} Side;

static bool load(Side *s, Lang lang)
{
    s->c = compile_new();
    if (!s->c) { fputs(msg_text(lang, MSG_OOM_LINE), stderr); return false; }
    if (!compile_check_file(s->c, s->path)) {
        fprintf(stderr, msg_text(lang, MSG_CANNOT_READ), s->path, msg_translate(lang, file_error(s->c->io_errno)));
        return false;
    }
    if (s->c->diag.errors || !s->c->policy) {
        diag_print_text(&s->c->diag, stderr, isatty(STDERR_FILENO));
        return false;
    }
    return true;
}

static void side_free(Side *s)
{
    if (s->keys) for (uint32_t i = 0; i < s->res.n; i++) free(s->keys[i]);
    free(s->keys);
    free(s->sorted);
    if (s->ran) run_result_free(&s->res);
    if (s->ds) dataset_free(s->ds);
    program_free(s->p);
    compile_free(s->c);
}

/* ---- verdicts ------------------------------------------------------------------------ */

static const char *vstr(const Side *s, StrId id) { return strtab_str(&s->ds->strs, id); }

/* unit, the rule's declared name (renames followed), window or trigger, subjects, status */
static char *verdict_key(const Side *s, const Violation *v)
{
    const char *rule = pdiff_rule_root(s->c->chain, s->c->nchain, program_string(s->p, s->p->rules[v->rule].name));
    size_t n = strlen(vstr(s, v->unit)) + strlen(rule) + strlen(vstr(s, v->trigger_id)) + 80;
    for (uint32_t i = 0; i < v->nsubjects; i++) n += strlen(vstr(s, v->subjects[i])) + 1;
    char *k = malloc(n);
    if (!k) return NULL;
    int len = v->periodic ? snprintf(k, n, "%s\x1f%s\x1f%lld..%lld\x1f", vstr(s, v->unit), rule, (long long)v->from, (long long)v->to)
                          : snprintf(k, n, "%s\x1f%s\x1f@%s\x1f", vstr(s, v->unit), rule, vstr(s, v->trigger_id));
    for (uint32_t i = 0; i < v->nsubjects; i++) len += snprintf(k + len, n - (size_t)len, "%s\x1e", vstr(s, v->subjects[i]));
    snprintf(k + len, n - (size_t)len, "\x1f%s", v->pending ? "pending" : "violated");
    return k;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static bool run_side(Side *s, const char *data, const InputOptions *io)
{
    s->p = compile_take_program(s->c);
    if (!s->p) { fputs(msg_text(io->lang, MSG_OOM_LINE), stderr); return false; }
    InputStats stats;
    RunOptions ro = {.window = ENGINE_DEFAULT_WINDOW};
    char err[1024];
    if (engine_run_input(s->p, data, io, &ro, &s->ds, &s->res, &stats, err, sizeof err) != 0) {
        fprintf(stderr, "zhidu: %s: %s\n", s->path, err);
        return false;
    }
    s->ran = true;
    s->keys = calloc(s->res.n + 1, sizeof *s->keys);
    s->sorted = calloc(s->res.n + 1, sizeof *s->sorted);
    if (!s->keys || !s->sorted) { fputs(msg_text(io->lang, MSG_OOM_LINE), stderr); return false; }
    for (uint32_t i = 0; i < s->res.n; i++)
        if (!(s->sorted[i] = s->keys[i] = verdict_key(s, &s->res.v[i]))) { fputs(msg_text(io->lang, MSG_OOM_LINE), stderr); return false; }
    qsort(s->sorted, s->res.n, sizeof *s->sorted, cmp_str);
    return true;
}

static bool in_other(const Side *other, const char *key)
{
    return bsearch(&key, other->sorted, other->res.n, sizeof *other->sorted, cmp_str) != NULL;
}

static uint32_t count_only(const Side *s, const Side *other)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < s->res.n; i++) n += !in_other(other, s->keys[i]);
    return n;
}

/* One verdict as the reports show it (vrow.h); json: an object, else two
 * lines of text in lang. */
static void verdict_write(FILE *out, Lang lang, const Side *s, const Violation *v, bool json)
{
    VRow row;
    vrow_make(&row, s->p, s->ds, v);
    if (!json) { /* what comes from the data escaped, as the text report shows it (text.h) */
        char shown[600];
        fprintf(out, "    %-8s ", msg_text(lang, v->pending ? M_PENDING : MSG_DF_VIOLATION));
        text_write_escaped(out, row.rule);
        fputc(' ', out);
        if (row.periodic) fprintf(out, "%s … %s", row.window_from, row.window_to);
        else {
            text_escape(shown, sizeof shown, row.trigger);
            fprintf(out, msg_text(lang, MSG_DF_ON), shown);
        }
        for (uint32_t i = 0; i < row.nsubjects; i++) {
            fputs(i ? ", " : " [", out);
            text_write_escaped(out, vrow_subject(&row, i));
        }
        if (row.nsubjects) fputc(']', out);
        if (row.unit[0]) {
            text_escape(shown, sizeof shown, row.unit);
            fprintf(out, msg_text(lang, MSG_DF_UNIT), shown);
        }
        fputs("\n      ", out);
        text_write_escaped(out, row.message);
        fputc('\n', out);
        return;
    }
    fputs("{\"unit\": ", out);
    json_write_string(out, row.unit);
    fputs(", \"rule\": ", out);
    json_write_string(out, row.rule);
    fprintf(out, ", \"status\": \"%s\", ", row.status);
    if (row.periodic) {
        fprintf(out, "\"window\": {\"from\": \"%s\", \"to\": \"%s\"}", row.window_from, row.window_to);
    } else {
        fputs("\"trigger\": ", out);
        json_write_string(out, row.trigger);
    }
    fputs(", \"subjects\": [", out);
    for (uint32_t i = 0; i < row.nsubjects; i++) {
        if (i) fputs(", ", out);
        json_write_string(out, vrow_subject(&row, i));
    }
    fputs("], \"message\": ", out);
    json_write_string(out, row.message);
    fputc('}', out);
}

static void verdicts_text(FILE *out, Lang lang, const Side *s, const Side *other)
{
    fprintf(out, msg_text(lang, MSG_DF_ONLY_WITH), s->path, count_only(s, other));
    for (uint32_t i = 0; i < s->res.n; i++)
        if (!in_other(other, s->keys[i])) verdict_write(out, lang, s, &s->res.v[i], false);
}

static void verdicts_json(FILE *out, const Side *s, const Side *other, const char *label)
{
    fprintf(out, "\"%s\": [", label);
    bool first = true;
    for (uint32_t i = 0; i < s->res.n; i++)
        if (!in_other(other, s->keys[i])) {
            fputs(first ? "\n    " : ",\n    ", out);
            verdict_write(out, LANG_EN, s, &s->res.v[i], true);
            first = false;
        }
    fputs(first ? "]" : "\n  ]", out);
}

/* ---- changes ------------------------------------------------------------------------- */

/* pdiff's words (PdiffChange.what, the directions) in lang; the names of
 * header entries and declarations are the language's keywords and stay. */
#define WORD(text) msg_translate(lang, text)

/* Names, values and clause texts of the rule files are written escaped as a
 * terminal is shown them (text.h), so a rule file cannot forge lines. */
static void rule_line(FILE *out, Lang lang, const PdiffChange *c)
{
    text_printf_escaped(out, msg_text(lang, MSG_DF_RULE_LINE), c->new_name ? c->new_name : c->old_name, WORD(c->what));
    if (c->new_value) text_printf_escaped(out, msg_text(lang, MSG_DF_BECAUSE), c->new_value);
    if (c->parts) text_printf_escaped(out, msg_text(lang, MSG_DF_PARTS), c->parts);
    fprintf(out, " — %s", WORD(pdiff_dir_name(c->dir)));
    if (c->why) text_printf_escaped(out, msg_text(lang, MSG_DF_WHY), c->why);
    fputc('\n', out);
}

static void changes_text(FILE *out, Lang lang, const PdiffResult *r)
{
    static const MsgId heads[] = {MSG_DF_H_POLICY, MSG_DF_H_RENAMED, MSG_DF_H_MEMBERS, MSG_DF_H_MEMBERS, MSG_DF_H_PARAMS, MSG_DF_H_DECLS, MSG_DF_H_RULES};
    int last = -1;
    for (int i = 0; i < r->n; i++) {
        const PdiffChange *c = &r->items[i];
        if (c->kind == PD_RULE) break;
        if ((int)c->kind != last && !(last == PD_MEMBER_ADDED && c->kind == PD_MEMBER_REMOVED) &&
            !(last == PD_MEMBER_REMOVED && c->kind == PD_MEMBER_ADDED))
            fputs(msg_text(lang, heads[c->kind]), out);
        last = (int)c->kind;
        switch (c->kind) {
        case PD_HEADER: text_printf_escaped(out, msg_text(lang, MSG_DF_VALUE), c->what, c->old_value, c->new_value); break;
        case PD_RENAME: text_printf_escaped(out, "  %s %s → %s\n", WORD(c->what), c->old_name, c->new_name); break;
        case PD_MEMBER_ADDED: text_printf_escaped(out, msg_text(lang, MSG_DF_MEMBER_ADDED), WORD(c->what), c->new_name); break;
        case PD_MEMBER_REMOVED: text_printf_escaped(out, msg_text(lang, MSG_DF_MEMBER_REMOVED), WORD(c->what), c->old_name); break;
        case PD_PARAM:
            if (c->old_value && c->new_value) text_printf_escaped(out, msg_text(lang, MSG_DF_VALUE), c->old_name, c->old_value, c->new_value);
            else text_printf_escaped(out, msg_text(lang, MSG_DF_PARAM_ONE), WORD(c->what), c->old_name, c->old_value ? c->old_value : c->new_value);
            break;
        case PD_DECL: text_printf_escaped(out, "  %s %s %s\n", WORD(c->what), c->decl, c->old_name); break;
        case PD_RULE: break;
        }
    }
    /* rules: one group per clause, in the order the groups first appear */
    bool head = false;
    for (int i = 0; i < r->n; i++) {
        const PdiffChange *c = &r->items[i];
        bool seen = false;
        for (int k = 0; k < i && !seen; k++) seen = r->items[k].kind == PD_RULE && !strcmp(r->items[k].clause, c->clause);
        if (c->kind != PD_RULE || seen) continue;
        if (!head) fputs(msg_text(lang, heads[PD_RULE]), out);
        head = true;
        text_printf_escaped(out, "  %s\n", c->clause[0] ? c->clause : msg_text(lang, MSG_DF_NO_CLAUSE));
        for (int k = i; k < r->n; k++)
            if (r->items[k].kind == PD_RULE && !strcmp(r->items[k].clause, c->clause)) rule_line(out, lang, &r->items[k]);
    }
}

static void json_field(FILE *out, const char *key, const char *value)
{
    if (!value) return;
    fprintf(out, ", \"%s\": ", key);
    json_write_string(out, value);
}

static void changes_json(FILE *out, const PdiffResult *r)
{
    static const char *kinds[] = {"header", "rename", "added", "removed", "param", "decl", "rule"};
    fputs("  \"changes\": [", out);
    for (int i = 0; i < r->n; i++) {
        const PdiffChange *c = &r->items[i];
        fprintf(out, "%s\n    {\"kind\": \"%s\", \"what\": \"%s\"", i ? "," : "", kinds[c->kind], c->what);
        if (c->kind == PD_PARAM || c->kind == PD_DECL) {
            json_field(out, "decl", c->decl);
            json_field(out, "name", c->old_name);
        } else {
            json_field(out, "old", c->kind == PD_HEADER ? c->old_value : c->old_name);
            json_field(out, "new", c->kind == PD_HEADER ? c->new_value : c->new_name);
        }
        if (c->kind == PD_PARAM) {
            json_field(out, "old_value", c->old_value);
            json_field(out, "new_value", c->new_value);
        }
        if (c->kind == PD_RULE) {
            json_field(out, "clause", c->clause);
            json_field(out, "reason", c->new_value);
            json_field(out, "parts", c->parts);
            json_field(out, "direction", pdiff_dir_name(c->dir));
            json_field(out, "why", c->why);
        }
        fputc('}', out);
    }
    fputs(r->n ? "\n  ]" : "]", out);
}

static int run_diff(const Command *cmd, const CliArgs *args)
{
    Lang lang = args->lang;
    const char *format = cli_value(cmd, args, "--format"), *data = cli_value(cmd, args, "--data");
    bool json = format && !strcmp(format, "json");
    if (args->npos > 2) return cli_usage_error(cmd, lang, NULL, msg_text(lang, MSG_UNEXPECTED_ARG), args->pos[2]);
    if (args->npos < 2) return cli_usage_error(cmd, lang, NULL, "%s", msg_text(lang, MSG_DIFF_NEEDS));
    InputOptions io = {.report = stderr, .lang = lang};
    if (cli_input_options(cmd, args, &io)) return EXIT_USAGE;
    Side o = {.path = args->pos[0]}, n = {.path = args->pos[1]};
    int rc = EXIT_USAGE;
    Arena arena;
    arena_init(&arena);
    PdiffResult r = {0};
    if (!load(&o, lang) || !load(&n, lang)) goto done;
    pdiff_compare(&arena, o.c->policy, o.c->chain, o.c->nchain, n.c->policy, n.c->chain, n.c->nchain, &r);
    if (data && (!run_side(&o, data, &io) || !run_side(&n, data, &io))) goto done;
    uint32_t only_o = data ? count_only(&o, &n) : 0, only_n = data ? count_only(&n, &o) : 0;
    if (json) {
        fputs("{\n  \"old\": ", stdout);
        json_write_string(stdout, o.path);
        fputs(",\n  \"new\": ", stdout);
        json_write_string(stdout, n.path);
        fputs(",\n", stdout);
        changes_json(stdout, &r);
        if (data) {
            fputs(",\n  \"data\": ", stdout);
            json_write_string(stdout, data);
            fputs(",\n  ", stdout);
            verdicts_json(stdout, &o, &n, "only_old");
            fputs(",\n  ", stdout);
            verdicts_json(stdout, &n, &o, "only_new");
        }
        fputs("\n}\n", stdout);
    } else {
        printf("--- %s\n+++ %s\n", o.path, n.path);
        changes_text(stdout, lang, &r);
        if (data) {
            printf(msg_text(lang, MSG_DF_VERDICTS), data);
            verdicts_text(stdout, lang, &o, &n);
            verdicts_text(stdout, lang, &n, &o);
        }
        if (r.n || only_o || only_n) {
            printf(msg_text(lang, MSG_DF_CHANGES), r.n, r.n == 1 ? "" : "s");
            if (data) printf(msg_text(lang, MSG_DF_VERDICT_COUNTS), only_o, only_o == 1 ? "" : "s", only_n);
            putchar('\n');
        } else {
            fputs(msg_text(lang, MSG_DF_NO_CHANGES), stdout);
        }
    }
    rc = r.n || only_o || only_n ? EXIT_FINDINGS : EXIT_OK;
done:
    side_free(&o);
    side_free(&n);
    arena_free(&arena);
    return rc;
}

static const CliOption diff_options[] = {
    {"--data", "DATA", NULL, MSG_O_DIFF_DATA},
    {"--format", "FORMAT", "text|json", MSG_O_DIFF_FORMAT},
    CLI_DATA_OPTIONS,
    {0},
};

const Command diff_command = {
    "diff",
    MSG_CMD_DIFF,
    "diff OLD.zd NEW.zd [--data DATA] [--format text|json]",
    MSG_H_DIFF,
    diff_options,
    run_diff,
};
