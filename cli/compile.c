/* compile.c - `zhidu compile` and `zhidu disasm`, and loading a policy from a
 * rule file or a verified .zbc for every command that runs one. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bytecode.h"
#include "cli.h"
#include "msg.h"
#include "compiler.h"
#include "disasm.h"
#include "file.h"
#include "outfile.h"

/* Compiles a rule file to a Program, printing diagnostics; NULL on error
 * (*rc set to 1 for errors in the file, 2 when it cannot be read). */
static Program *compile_to_program(const char *path, int *rc, Lang lang)
{
    Compilation *c = compile_new();
    if (!c) { *rc = EXIT_USAGE; return NULL; }
    c->diag.lang = lang;
    Program *p = NULL;
    if (!compile_check_file(c, path)) {
        fprintf(stderr, msg_text(lang, MSG_CANNOT_READ), path, msg_translate(lang, file_error(c->io_errno)));
        *rc = EXIT_USAGE;
    } else if (c->diag.errors) {
        diag_print_text(&c->diag, stderr, isatty(STDERR_FILENO));
        *rc = EXIT_FINDINGS;
    } else {
        diag_print_text(&c->diag, stderr, isatty(STDERR_FILENO)); /* warnings */
        p = compile_take_program(c);
        if (!p) { fputs(msg_text(lang, MSG_OOM_COMPILING), stderr); *rc = EXIT_USAGE; }
    }
    compile_free(c);
    return p;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && !strcmp(s + n - k, suffix);
}

Program *cli_load_policy(const char *path, int *rc, Lang lang)
{
    if (!ends_with(path, ".zbc")) return compile_to_program(path, rc, lang);
    size_t size;
    unsigned char *data = (unsigned char *)file_read(path, BC_MAX_FILE_SIZE, &size);
    if (!data) {
        fprintf(stderr, msg_text(lang, MSG_CANNOT_READ), path, msg_translate(lang, file_error(errno)));
        *rc = EXIT_USAGE;
        return NULL;
    }
    char err[512];
    Program *p = bc_load_in(data, size, lang, err, sizeof err);
    free(data);
    if (!p) {
        fprintf(stderr, msg_text(lang, MSG_BC_REFUSED), path, err);
        *rc = EXIT_USAGE;
    }
    return p;
}

static int run_compile(const Command *cmd, const CliArgs *args)
{
    const char *out = cli_value(cmd, args, "-o");
    if (args->npos > 1) return cli_usage_error(cmd, args->lang, NULL, msg_text(args->lang, MSG_ONE_ONLY), "compile", msg_text(args->lang, MSG_ONE_FILE), args->pos[1]);
    if (args->npos == 0 || !out) return cli_usage_error(cmd, args->lang, NULL, "%s", msg_text(args->lang, MSG_COMPILE_NEEDS));
    int rc = EXIT_OK;
    Program *p = compile_to_program(args->pos[0], &rc, args->lang);
    if (!p) return rc;
    size_t size;
    unsigned char *bytes = bc_write(p, &size);
    program_free(p);
    if (!bytes) { fputs(msg_text(args->lang, MSG_OOM_WRITING_BC), stderr); return EXIT_USAGE; }
    char err[1024];
    if (outfile_write_all(out, bytes, size, args->lang, err, sizeof err) != 0) {
        fprintf(stderr, msg_text(args->lang, MSG_CANNOT_WRITE), out, err);
        rc = EXIT_USAGE;
    }
    free(bytes);
    return rc;
}

static int run_disasm(const Command *cmd, const CliArgs *args)
{
    if (args->npos != 1) return cli_usage_error(cmd, args->lang, NULL, "%s", msg_text(args->lang, MSG_DISASM_NEEDS));
    int rc = EXIT_OK;
    Program *p = cli_load_policy(args->pos[0], &rc, args->lang);
    if (!p) return rc;
    disasm_program(p, stdout);
    program_free(p);
    return EXIT_OK;
}

static const CliOption compile_options[] = {
    {"-o", "OUT.zbc", NULL, MSG_O_COMPILE_OUT},
    {0},
};

const Command compile_command = {
    "compile",
    MSG_CMD_COMPILE,
    "compile POLICY.zd -o OUT.zbc",
    MSG_H_COMPILE,
    compile_options,
    run_compile,
};

static const CliOption no_options[] = {{0}};

const Command disasm_command = {
    "disasm",
    MSG_CMD_DISASM,
    "disasm POLICY.zbc|POLICY.zd",
    MSG_H_DISASM,
    no_options,
    run_disasm,
};
