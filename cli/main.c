/* main.c - the zhidu command line: one binary, one function per subcommand.
 * Exit codes: 0 success, 1 the input has errors (or violations), 2 usage or I/O. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "compiler.h"

enum { EXIT_OK = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2 };

static const char usage_text[] =
    "usage: zhidu <command> [options] [args]\n"
    "\n"
    "commands:\n"
    "  check [--format text|json] FILE...   check rule files (and the files they extend)\n"
    "  help                                 this text\n"
    "\n"
    "exit codes: 0 ok (warnings allowed), 1 errors in a file, 2 usage or I/O error\n";

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
            fprintf(stderr, "zhidu: cannot read %s: %s\n", argv[i], strerror(c->io_errno));
            rc = EXIT_USAGE;
            if (json) {
                if (argc - first > 1 && i > first) fputs(",", stdout);
                fputs("{\"file\":", stdout);
                json_write_string(stdout, argv[i]);
                fprintf(stdout, ",\"io_error\":");
                json_write_string(stdout, strerror(c->io_errno));
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

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage_text, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "check")) return cmd_check(argc - 2, argv + 2);
    if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
        fputs(usage_text, stdout);
        return EXIT_OK;
    }
    return usage_error("unknown command '%s'", cmd);
}
