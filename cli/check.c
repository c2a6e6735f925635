/* check.c - `zhidu check`: parse and check rule files, print diagnostics as
 * text (standard error) or JSON (standard output). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "msg.h"
#include "compiler.h"
#include "file.h"

static int run_check(const Command *cmd, const CliArgs *args)
{
    const char *format = cli_value(cmd, args, "--format");
    bool json = format && !strcmp(format, "json");
    if (args->npos == 0) return cli_usage_error(cmd, args->lang, NULL, msg_text(args->lang, MSG_NEEDS_RULE_FILE), "check");
    int rc = EXIT_OK;
    bool color = !json && isatty(STDERR_FILENO);
    bool many = args->npos > 1;
    if (json && many) fputs("[", stdout);
    for (int i = 0; i < args->npos; i++) {
        const char *path = args->pos[i];
        Compilation *c = compile_new();
        if (!c) { fputs(msg_text(args->lang, MSG_OOM_COMPILING), stderr); return EXIT_USAGE; }
        c->diag.lang = args->lang; /* the text's messages; JSON keeps the English */
        if (json && many && i > 0) fputs(",", stdout);
        if (!compile_check_file(c, path)) {
            fprintf(stderr, msg_text(args->lang, MSG_CANNOT_READ), path, msg_translate(args->lang, file_error(c->io_errno)));
            rc = EXIT_USAGE;
            if (json) {
                fputs("{\"file\":", stdout);
                json_write_string(stdout, path);
                fprintf(stdout, ",\"io_error\":");
                json_write_string(stdout, file_error(c->io_errno));
                fputs(",\"diagnostics\":[],\"errors\":0,\"warnings\":0}\n", stdout);
            }
            compile_free(c);
            continue;
        }
        if (json) diag_print_json(&c->diag, stdout);
        else diag_print_text(&c->diag, stderr, color);
        if (c->diag.errors && rc == EXIT_OK) rc = EXIT_FINDINGS;
        compile_free(c);
    }
    if (json && many) fputs("]\n", stdout);
    return rc;
}

static const CliOption check_options[] = {
    {"--format", "FORMAT", "text|json", MSG_O_CHECK_FORMAT},
    {0},
};

const Command check_command = {
    "check",
    MSG_CMD_CHECK,
    "check [--format text|json] FILE...",
    MSG_H_CHECK,
    check_options,
    run_check,
};
