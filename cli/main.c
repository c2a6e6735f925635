/* main.c - the zhidu command line: the table of commands, `zhidu help`,
 * `--version`, and dispatch. Each command lives in its own file (cli.h).
 * Exit codes: 0 success, 1 the input has errors (or violations), 2 usage or I/O. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytecode.h"
#include "cli.h"
#include "lsp.h"
#include "msg.h"
#include "suggest.h"

/* Adding a command: its file defines `const Command x_command`, cli.h
 * declares it, and one line here lists it. */
const Command *const cli_commands[] = {
    &check_command,
    &compile_command,
    &disasm_command,
    &run_command,
    &explain_command,
    &fmt_command,
    &test_command,
    &merge_command,
    &diff_command,
    &lsp_command,
    &help_command,
    NULL,
};

const Command *cli_find_command(const char *name)
{
    for (int i = 0; cli_commands[i]; i++)
        if (!strcmp(cli_commands[i]->name, name)) return cli_commands[i];
    return NULL;
}

static void print_overview(FILE *out, Lang lang)
{
    fputs(msg_text(lang, MSG_OVERVIEW_HEAD), out);
    for (int i = 0; cli_commands[i]; i++) fprintf(out, "  %-9s %s\n", cli_commands[i]->name, msg_text(lang, cli_commands[i]->summary));
    fputs(msg_text(lang, MSG_OVERVIEW_TAIL), out);
}

static int unknown_command(const char *name, Lang lang)
{
    Suggest s;
    suggest_init(&s, name);
    for (int i = 0; cli_commands[i]; i++) suggest_offer(&s, cli_commands[i]->name);
    suggest_offer(&s, "--help");
    suggest_offer(&s, "--version");
    return cli_usage_error(NULL, lang, suggest_result(&s), msg_text(lang, MSG_UNKNOWN_COMMAND), name);
}

static int run_help(const Command *cmd, const CliArgs *args)
{
    if (args->npos > 1) return cli_usage_error(cmd, args->lang, NULL, msg_text(args->lang, MSG_ONE_ONLY), "help", msg_text(args->lang, MSG_ONE_COMMAND), args->pos[1]);
    if (args->npos == 0) {
        print_overview(stdout, args->lang);
        return EXIT_OK;
    }
    const Command *c = cli_find_command(args->pos[0]);
    if (!c) return unknown_command(args->pos[0], args->lang);
    cli_print_help(c, args->lang, stdout);
    return EXIT_OK;
}

static const CliOption no_options[] = {{0}};

static int run_lsp(const Command *cmd, const CliArgs *args)
{
    if (args->npos) return cli_usage_error(cmd, args->lang, NULL, msg_text(args->lang, MSG_UNEXPECTED_ARG), args->pos[0]);
    return lsp_main(args->lang);
}

static const CliOption lsp_options[] = {
    {"--stdio", NULL, NULL, MSG_O_LSP_STDIO},
    {0},
};

const Command lsp_command = {
    "lsp",
    MSG_CMD_LSP,
    "lsp [--stdio]",
    MSG_H_LSP,
    lsp_options,
    run_lsp,
};

const Command help_command = {
    "help",
    MSG_CMD_HELP,
    "help [COMMAND]",
    MSG_H_HELP,
    no_options,
    run_help,
};

/* --lang zh|en anywhere before "--" (so every command takes it), taken out
 * of argv; the default comes from the locale (msg_lang_from_env). Returns
 * false with *bad set to the unusable value. */
static bool take_lang(int *argc, char **argv, Lang *lang, const char **bad)
{
    *lang = msg_lang_from_env(getenv("LC_ALL"), getenv("LC_MESSAGES"), getenv("LANG"));
    int n = 1;
    bool ok = true, rest = false;
    for (int i = 1; i < *argc; i++) {
        const char *a = argv[i];
        const char *v = NULL;
        if (!rest && !strcmp(a, "--lang")) v = i + 1 < *argc ? argv[++i] : "";
        else if (!rest && !strncmp(a, "--lang=", 7)) v = a + 7;
        if (!v) {
            if (!strcmp(a, "--")) rest = true;
            argv[n++] = argv[i];
        } else if (ok && !msg_lang_parse(v, lang)) {
            ok = false;
            *bad = v;
        }
    }
    *argc = n;
    argv[n] = NULL;
    return ok;
}

int main(int argc, char **argv)
{
    Lang lang;
    const char *bad = NULL;
    if (!take_lang(&argc, argv, &lang, &bad)) return cli_usage_error(NULL, lang, NULL, msg_text(lang, MSG_LANG_VALUE), bad);
    if (argc < 2) {
        print_overview(stderr, lang);
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
        print_overview(stdout, lang);
        return EXIT_OK;
    }
    if (!strcmp(name, "--version")) {
        printf("zhidu %s\nbytecode format %d\n", ZHIDU_VERSION, BC_VERSION);
        return EXIT_OK;
    }
    const Command *cmd = cli_find_command(name);
    if (!cmd) return unknown_command(name, lang);
    return cli_dispatch(cmd, argc - 2, argv + 2, lang);
}
