/* main.c - the zhidu command line: one binary, one function per subcommand.
 * Exit codes: 0 success, 1 the input has errors (or violations), 2 usage or I/O. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bytecode.h"
#include "compiler.h"
#include "disasm.h"
#include "engine.h"
#include "file.h"
#include "fmt.h"
#include "input.h"
#include "lsp.h"
#include "outfile.h"
#include "report.h"
#include "report_html.h"
#include "ztime.h"

enum { EXIT_OK = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2 };

static const char usage_text[] =
    "usage: zhidu <command> [options] [args]\n"
    "\n"
    "commands:\n"
    "  check [--format text|json] FILE...   check rule files (and the files they extend)\n"
    "  compile POLICY.zd -o OUT.zbc          compile a rule file to verified bytecode\n"
    "  disasm POLICY.zbc|POLICY.zd           print a compiled policy in readable form\n"
    "  run POLICY DATA [options]             check a data set (CSV directory or SQLite file)\n"
    "      --format text|jsonl|json|csv|html report format (default text; html: docs/report.md)\n"
    "      --output FILE                     write the report to FILE (atomically)\n"
    "      --db FILE                         also write violations and a run summary to a SQLite file\n"
    "      --from TIME, --as-of TIME         the checked range (default: the data's first and last events)\n"
    "      --unit U                          check only unit U\n"
    "      --fail-on must|in-principle|never which violations make the exit code 1 (default in-principle)\n"
    "      --on-bad-row stop|skip            stop at the first bad row (default) or report and skip it\n"
    "  lsp                                  a language server for editors, over stdin/stdout\n"
    "  fmt [--check] FILE...                 rewrite rule files in the canonical layout (--check: list\n"
    "                                       the files that differ and change nothing)\n"
    "  help                                 this text\n"
    "\n"
    "exit codes: 0 ok (warnings allowed; no violation at the --fail-on level), 1 errors in a rule file or\n"
    "violations, 2 usage, I/O, bytecode or data error\n";

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "zhidu: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n(run 'zhidu help' for usage)\n");
    return EXIT_USAGE;
}

static int cmd_check(int argc, char **argv)
{
    bool json = false;
    int first = argc;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--format") || !strncmp(a, "--format=", 9)) {
            const char *v = a[8] == '=' ? a + 9 : (i + 1 < argc ? argv[++i] : NULL);
            if (!v) return usage_error("%s needs a value: text or json", "--format");
            if (!strcmp(v, "json")) json = true;
            else if (!strcmp(v, "text")) json = false;
            else return usage_error("unknown format '%s' (text or json)", v);
        } else if (!strcmp(a, "--")) {
            first = i + 1;
            break;
        } else if (a[0] == '-' && a[1]) {
            return usage_error("unknown option '%s'", a);
        } else {
            first = i;
            break;
        }
    }
    if (first >= argc) return usage_error("%s", "check needs at least one rule file");
    int rc = EXIT_OK;
    bool color = !json && isatty(STDERR_FILENO);
    if (json && argc - first > 1) fputs("[", stdout);
    for (int i = first; i < argc; i++) {
        Compilation *c = compile_new();
        if (!c) { fputs("zhidu: out of memory\n", stderr); return EXIT_USAGE; }
        if (!compile_check_file(c, argv[i])) {
            fprintf(stderr, "zhidu: cannot read %s: %s\n", argv[i], file_error(c->io_errno));
            rc = EXIT_USAGE;
            if (json) {
                if (argc - first > 1 && i > first) fputs(",", stdout);
                fputs("{\"file\":", stdout);
                json_write_string(stdout, argv[i]);
                fprintf(stdout, ",\"io_error\":");
                json_write_string(stdout, file_error(c->io_errno));
                fputs(",\"diagnostics\":[],\"errors\":0,\"warnings\":0}\n", stdout);
            }
            compile_free(c);
            continue;
        }
        if (json) {
            if (argc - first > 1 && i > first) fputs(",", stdout);
            diag_print_json(&c->diag, stdout);
        } else {
            diag_print_text(&c->diag, stderr, color);
        }
        if (c->diag.errors && rc == EXIT_OK) rc = EXIT_FINDINGS;
        compile_free(c);
    }
    if (json && argc - first > 1) fputs("]\n", stdout);
    return rc;
}

/* Compiles a rule file to a Program, printing diagnostics; NULL on error
 * (*rc set to 1 for errors in the file, 2 when it cannot be read). */
static Program *compile_to_program(const char *path, int *rc)
{
    Compilation *c = compile_new();
    if (!c) { *rc = EXIT_USAGE; return NULL; }
    Program *p = NULL;
    if (!compile_check_file(c, path)) {
        fprintf(stderr, "zhidu: cannot read %s: %s\n", path, file_error(c->io_errno));
        *rc = EXIT_USAGE;
    } else if (c->diag.errors) {
        diag_print_text(&c->diag, stderr, isatty(STDERR_FILENO));
        *rc = EXIT_FINDINGS;
    } else {
        diag_print_text(&c->diag, stderr, isatty(STDERR_FILENO)); /* warnings */
        p = compile_take_program(c);
        if (!p) { fputs("zhidu: out of memory\n", stderr); *rc = EXIT_USAGE; }
    }
    compile_free(c);
    return p;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && !strcmp(s + n - k, suffix);
}

/* A rule file (compiled in memory) or a bytecode file (loaded and verified). */
static Program *load_policy(const char *path, int *rc)
{
    if (!ends_with(path, ".zbc")) return compile_to_program(path, rc);
    size_t size;
    unsigned char *data = (unsigned char *)file_read(path, BC_MAX_FILE_SIZE, &size);
    if (!data) {
        fprintf(stderr, "zhidu: cannot read %s: %s\n", path, file_error(errno));
        *rc = EXIT_USAGE;
        return NULL;
    }
    char err[512];
    Program *p = bc_load(data, size, err, sizeof err);
    free(data);
    if (!p) {
        fprintf(stderr, "%s: error: bytecode: %s\n", path, err);
        *rc = EXIT_USAGE;
    }
    return p;
}

static int cmd_compile(int argc, char **argv)
{
    const char *in = NULL, *out = NULL;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "-o")) {
            if (i + 1 >= argc) return usage_error("%s needs a file name", "-o");
            out = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return usage_error("unknown option '%s'", argv[i]);
        } else if (in) {
            return usage_error("compile takes one rule file, not also '%s'", argv[i]);
        } else {
            in = argv[i];
        }
    }
    if (!in || !out) return usage_error("%s", "usage: zhidu compile POLICY.zd -o OUT.zbc");
    int rc = EXIT_OK;
    Program *p = compile_to_program(in, &rc);
    if (!p) return rc;
    size_t size;
    unsigned char *bytes = bc_write(p, &size);
    program_free(p);
    if (!bytes) { fputs("zhidu: out of memory writing bytecode\n", stderr); return EXIT_USAGE; }
    char err[1024];
    if (outfile_write_all(out, bytes, size, err, sizeof err) != 0) {
        fprintf(stderr, "zhidu: cannot write %s: %s\n", out, err);
        rc = EXIT_USAGE;
    }
    free(bytes);
    return rc;
}

static int cmd_disasm(int argc, char **argv)
{
    if (argc != 1 || argv[0][0] == '-') return usage_error("%s", "usage: zhidu disasm POLICY.zbc|POLICY.zd");
    int rc = EXIT_OK;
    Program *p = load_policy(argv[0], &rc);
    if (!p) return rc;
    disasm_program(p, stdout);
    program_free(p);
    return EXIT_OK;
}

/* An option's value: "--name value" or "--name=value". Returns NULL when
 * argv[*i] is not this option; sets *missing when the value is absent. */
static const char *option(int argc, char **argv, int *i, const char *name, bool *missing)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n) != 0) return NULL;
    if (a[n] == '=') return a + n + 1;
    if (a[n] != '\0') return NULL;
    if (*i + 1 >= argc) { *missing = true; return ""; }
    return argv[++*i];
}

static bool parse_time_option(const char *text, int tz, int64_t *out)
{
    return zt_parse_instant(text, strlen(text), tz, out) == NULL;
}

/* The report (to standard output or --output) and the --db database, each
 * through a temporary file renamed over its target (outfile.h). */
static int write_outputs(const char *output, const char *dbpath, ReportFormat fmt, bool html, const Program *p, const Dataset *ds,
                         const RunResult *result, const ReportInfo *info)
{
    char err[1024];
    OutFile o;
    const char *name = output ? output : "the report to standard output";
    if (output ? outfile_open(&o, output, true, true, err, sizeof err) : outfile_stdout(&o)) {
        fprintf(stderr, "zhidu: cannot write %s: %s\n", name, err);
        return EXIT_USAGE;
    }
    errno = 0;
    if (html) report_html_write(o.f, p, ds, result, info);
    else report_write(o.f, fmt, p, ds, result, info);
    if (outfile_commit(&o, err, sizeof err) != 0) {
        fprintf(stderr, "zhidu: cannot write %s: %s\n", name, err);
        return EXIT_USAGE;
    }
    if (!dbpath) return EXIT_OK;
    if (outfile_open(&o, dbpath, false, false, err, sizeof err) != 0) {
        fprintf(stderr, "zhidu: cannot write %s: %s\n", dbpath, err);
        return EXIT_USAGE;
    }
    if (report_write_db(o.tmp, p, ds, result, info, err, sizeof err) != 0) {
        outfile_discard(&o);
        fprintf(stderr, "zhidu: cannot write %s: %s\n", dbpath, err);
        return EXIT_USAGE;
    }
    if (outfile_commit(&o, err, sizeof err) != 0) {
        fprintf(stderr, "zhidu: cannot write %s: %s\n", dbpath, err);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

/* A checked range of centuries is a data error far more often than a log:
 * every periodic rule judges every period of it (a log from year 1 to 9999
 * gives 521,720 weeks per weekly rule; docs/security.md, item 18). */
static void warn_long_range(const Program *p, const RunResult *result)
{
    const int64_t long_range = 100 * 366 * 86400LL; /* a hundred years */
    for (uint32_t u = 0; u < result->nunits; u++) {
        const UnitSummary *s = &result->units[u];
        if (s->r1 - s->r0 <= long_range) continue;
        char a[40], b[40];
        zt_format(s->r0, p->meta.tz_offset, a, sizeof a);
        zt_format(s->r1, p->meta.tz_offset, b, sizeof b);
        fprintf(stderr, "zhidu: warning: the checked range spans %lld years (%.10s … %.10s): periodic rules judge every period of it; "
                "narrow it with --from, or check the data's times\n", (long long)((s->r1 - s->r0) / 31556952) /* 365.2425 days */, a, b);
        return;
    }
}

static int cmd_run(int argc, char **argv)
{
    const char *policy = NULL, *data = NULL, *format = "text", *output = NULL, *dbpath = NULL;
    const char *from = NULL, *as_of = NULL, *unit = NULL, *fail_on = "in-principle", *bad_rows = "stop", *window_text = NULL;
    for (int i = 0; i < argc; i++) {
        bool missing = false;
        const char *v;
        if ((v = option(argc, argv, &i, "--format", &missing))) format = v;
        else if ((v = option(argc, argv, &i, "--output", &missing))) output = v;
        else if ((v = option(argc, argv, &i, "--db", &missing))) dbpath = v;
        else if ((v = option(argc, argv, &i, "--from", &missing))) from = v;
        else if ((v = option(argc, argv, &i, "--as-of", &missing))) as_of = v;
        else if ((v = option(argc, argv, &i, "--unit", &missing))) unit = v;
        else if ((v = option(argc, argv, &i, "--fail-on", &missing))) fail_on = v;
        else if ((v = option(argc, argv, &i, "--on-bad-row", &missing))) bad_rows = v;
        else if ((v = option(argc, argv, &i, "--window", &missing))) window_text = v;
        else if (argv[i][0] == '-' && argv[i][1]) return usage_error("unknown option '%s'", argv[i]);
        else if (!policy) policy = argv[i];
        else if (!data) data = argv[i];
        else return usage_error("unexpected argument '%s'", argv[i]);
        if (missing) return usage_error("%s needs a value", argv[i]);
    }
    if (!policy || !data) return usage_error("%s", "usage: zhidu run POLICY DATA [options]");
    ReportFormat fmt = REPORT_TEXT;
    bool html = !strcmp(format, "html"); /* report_html.c, not one of report.c's formats */
    if (html || !strcmp(format, "text")) fmt = REPORT_TEXT;
    else if (!strcmp(format, "jsonl")) fmt = REPORT_JSONL;
    else if (!strcmp(format, "json")) fmt = REPORT_JSON;
    else if (!strcmp(format, "csv")) fmt = REPORT_CSV;
    else return usage_error("unknown format '%s' (text, jsonl, json, csv or html)", format);
    int fail_level; /* 0 never, 1 must, 2 in-principle */
    if (!strcmp(fail_on, "never")) fail_level = 0;
    else if (!strcmp(fail_on, "must")) fail_level = 1;
    else if (!strcmp(fail_on, "in-principle")) fail_level = 2;
    else return usage_error("--fail-on takes must, in-principle or never, not '%s'", fail_on);
    bool skip;
    if (!strcmp(bad_rows, "stop")) skip = false;
    else if (!strcmp(bad_rows, "skip")) skip = true;
    else return usage_error("--on-bad-row takes stop or skip, not '%s'", bad_rows);
    uint32_t window = ENGINE_DEFAULT_WINDOW;
    if (window_text) {
        char *end;
        errno = 0;
        unsigned long long w = strtoull(window_text, &end, 10);
        if (!*window_text || *end || errno || w > 100000000ull || window_text[0] == '-')
            return usage_error("--window takes a number of events (0 to 100000000), not '%s'", window_text);
        window = (uint32_t)w;
    }

    int rc = EXIT_OK;
    Program *p = load_policy(policy, &rc);
    if (!p) return rc == EXIT_FINDINGS ? EXIT_USAGE : rc;
    RunOptions ro = {0};
    if (from && !(ro.has_from = parse_time_option(from, p->meta.tz_offset, &ro.from))) {
        program_free(p);
        return usage_error("--from: '%s' is not a date or time of the years 1 to 9999 (YYYY-MM-DD[THH:MM[:SS]][Z|+HH:MM])", from);
    }
    if (as_of && !(ro.has_as_of = parse_time_option(as_of, p->meta.tz_offset, &ro.as_of))) {
        program_free(p);
        return usage_error("--as-of: '%s' is not a date or time of the years 1 to 9999 (YYYY-MM-DD[THH:MM[:SS]][Z|+HH:MM])", as_of);
    }
    ro.unit = unit;
    if (ro.has_from && ro.has_as_of && ro.from > ro.as_of) {
        program_free(p);
        return usage_error("--from %s is later than --as-of", from);
    }
    ro.window = window;
    ro.record_judged = html;
    Dataset *ds = NULL;
    InputOptions io = {skip, stderr, 0};
    InputStats stats;
    RunResult result;
    char err[1024];
    if (engine_run_input(p, data, &io, &ro, &ds, &result, &stats, err, sizeof err) != 0) {
        fprintf(stderr, "zhidu: %s\n", err);
        program_free(p);
        return EXIT_USAGE;
    }
    if (ds->strs.failed) snprintf(err, sizeof err, "out of memory");
    else if (unit && result.nunits == 0) snprintf(err, sizeof err, "--unit: no events of unit '%s' in %s", unit, data);
    if (ds->strs.failed || (unit && result.nunits == 0)) {
        fprintf(stderr, "zhidu: %s\n", err);
        run_result_free(&result);
        dataset_free(ds);
        program_free(p);
        return EXIT_USAGE;
    }
    warn_long_range(p, &result);
    ReportInfo info = {policy, data, &stats};
    rc = write_outputs(output, dbpath, fmt, html, p, ds, &result, &info);
    if (skip && stats.skipped) fprintf(stderr, "zhidu: %llu bad row%s skipped\n", (unsigned long long)stats.skipped, stats.skipped == 1 ? "" : "s");
    if (rc == EXIT_OK)
        for (uint32_t i = 0; i < result.n; i++)
            if (!result.v[i].pending && p->rules[result.v[i].rule].severity <= fail_level) rc = EXIT_FINDINGS;
    run_result_free(&result);
    dataset_free(ds);
    program_free(p);
    return rc;
}

/* zhidu fmt: each file rewritten in place (through outfile.h) when
 * its layout differs from the canonical one; --check lists those instead. */
static int cmd_fmt(int argc, char **argv)
{
    bool check = argc > 0 && !strcmp(argv[0], "--check");
    int rc = EXIT_OK, first = check ? 1 : 0;
    if (first < argc && !strcmp(argv[first], "--")) first++;
    else if (first < argc && argv[first][0] == '-' && argv[first][1]) return usage_error("unknown option '%s'", argv[first]);
    if (first >= argc) return usage_error("%s", "usage: zhidu fmt [--check] FILE...");
    for (int i = first; i < argc; i++) {
        Compilation *c = compile_new();
        if (!c) { fputs("zhidu: out of memory\n", stderr); return EXIT_USAGE; }
        Source *src = source_load(&c->arena, argv[i]);
        char *out;
        size_t len;
        FmtResult r = src ? fmt_source(&c->arena, &c->diag, src, &out, &len) : FMT_ERRORS;
        if (!src) {
            fprintf(stderr, "zhidu: cannot read %s: %s\n", argv[i], file_error(errno));
            rc = EXIT_USAGE;
        } else if (r == FMT_ERRORS) {
            diag_print_text(&c->diag, stderr, isatty(STDERR_FILENO));
            if (rc == EXIT_OK) rc = EXIT_FINDINGS;
        } else if (r == FMT_INTERNAL) {
            fprintf(stderr, "zhidu: internal error: formatting %s would change its tokens; left as it is\n", argv[i]);
            rc = EXIT_USAGE;
        } else if (len != src->len || memcmp(out, src->text, len) != 0) {
            if (check) {
                printf("%s\n", argv[i]);
                if (rc == EXIT_OK) rc = EXIT_FINDINGS;
            } else {
                char err[512];
                if (outfile_write_all(argv[i], out, len, err, sizeof err) != 0) {
                    fprintf(stderr, "zhidu: cannot write %s: %s\n", argv[i], err);
                    rc = EXIT_USAGE;
                }
            }
        }
        compile_free(c);
    }
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage_text, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "check")) return cmd_check(argc - 2, argv + 2);
    if (!strcmp(cmd, "compile")) return cmd_compile(argc - 2, argv + 2);
    if (!strcmp(cmd, "disasm")) return cmd_disasm(argc - 2, argv + 2);
    if (!strcmp(cmd, "run")) return cmd_run(argc - 2, argv + 2);
    if (!strcmp(cmd, "lsp")) return lsp_main(argc - 2, argv + 2);
    if (!strcmp(cmd, "fmt")) return cmd_fmt(argc - 2, argv + 2);
    if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
        fputs(usage_text, stdout);
        return EXIT_OK;
    }
    return usage_error("unknown command '%s'", cmd);
}
