/* fmt.c - `zhidu fmt`: each rule file rewritten in place (through outfile.h)
 * when its layout differs from the canonical one; --check lists those instead. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "msg.h"
#include "compiler.h"
#include "file.h"
#include "fmt.h"
#include "outfile.h"

static int run_fmt(const Command *cmd, const CliArgs *args)
{
    bool check = cli_value(cmd, args, "--check") != NULL;
    if (args->npos == 0) return cli_usage_error(cmd, args->lang, NULL, msg_text(args->lang, MSG_NEEDS_RULE_FILE), "fmt");
    int rc = EXIT_OK;
    for (int i = 0; i < args->npos; i++) {
        const char *path = args->pos[i];
        Compilation *c = compile_new();
        if (!c) { fputs(msg_text(args->lang, MSG_OOM_FORMATTING), stderr); return EXIT_USAGE; }
        c->diag.lang = args->lang;
        Source *src = source_load(&c->arena, path);
        char *out;
        size_t len;
        FmtResult r = src ? fmt_source(&c->arena, &c->diag, src, &out, &len) : FMT_ERRORS;
        if (!src) {
            fprintf(stderr, msg_text(args->lang, MSG_CANNOT_READ), path, msg_translate(args->lang, file_error(errno)));
            rc = EXIT_USAGE;
        } else if (r == FMT_ERRORS) {
            diag_print_text(&c->diag, stderr, isatty(STDERR_FILENO));
            if (rc == EXIT_OK) rc = EXIT_FINDINGS;
        } else if (r == FMT_INTERNAL) {
            fprintf(stderr, msg_text(args->lang, MSG_FMT_INTERNAL), path);
            rc = EXIT_USAGE;
        } else if (len != src->len || memcmp(out, src->text, len) != 0) {
            if (check) {
                printf("%s\n", path);
                if (rc == EXIT_OK) rc = EXIT_FINDINGS;
            } else {
                char err[512];
                if (outfile_write_all(path, out, len, args->lang, err, sizeof err) != 0) {
                    fprintf(stderr, msg_text(args->lang, MSG_CANNOT_WRITE), path, err);
                    rc = EXIT_USAGE;
                }
            }
        }
        compile_free(c);
    }
    return rc;
}

static const CliOption fmt_options[] = {
    {"--check", NULL, NULL, MSG_O_FMT_CHECK},
    {0},
};

const Command fmt_command = {
    "fmt",
    MSG_CMD_FMT,
    "fmt [--check] FILE...",
    MSG_H_FMT,
    fmt_options,
    run_fmt,
};
