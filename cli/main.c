/* main.c - the zhidu command line: the table of commands, `zhidu help`,
 * `--version`, and dispatch. Each command lives in its own file (cli.h).
 * Exit codes: 0 success, 1 the input has errors (or violations), 2 usage or I/O. */
#include <stdio.h>
#include <string.h>

#include "bytecode.h"
#include "cli.h"
#include "lsp.h"
#include "suggest.h"

/* Adding a command: its file defines `const Command x_command`, cli.h
 * declares it, and one line here lists it. */
const Command *const cli_commands[] = {
    &check_command,
    &compile_command,
    &disasm_command,
    &run_command,
    &fmt_command,
    &test_command,
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

static void print_overview(FILE *out)
{
    fputs("usage: zhidu COMMAND [options] [args]\n\ncommands:\n", out);
    for (int i = 0; cli_commands[i]; i++) fprintf(out, "  %-9s %s\n", cli_commands[i]->name, cli_commands[i]->summary);
    fputs("\n"
          "zhidu COMMAND --help and zhidu help COMMAND show a command's usage and options;\n"
          "zhidu --version shows the version.\n"
          "\n"
          "exit codes: 0 ok (warnings allowed; no violation at the --fail-on level), 1 errors in a rule file or\n"
          "violations, 2 usage, I/O, bytecode or data error\n",
          out);
}

static int unknown_command(const char *name)
{
    Suggest s;
    suggest_init(&s, name);
    for (int i = 0; cli_commands[i]; i++) suggest_offer(&s, cli_commands[i]->name);
    suggest_offer(&s, "--help");
    suggest_offer(&s, "--version");
    return cli_usage_error(NULL, suggest_result(&s), "unknown command '%s'", name);
}

static int run_help(const Command *cmd, const CliArgs *args)
{
    if (args->npos > 1) return cli_usage_error(cmd, NULL, "help takes one command, not also '%s'", args->pos[1]);
    if (args->npos == 0) {
        print_overview(stdout);
        return EXIT_OK;
    }
    const Command *c = cli_find_command(args->pos[0]);
    if (!c) return unknown_command(args->pos[0]);
    cli_print_help(c, stdout);
    return EXIT_OK;
}

static const CliOption no_options[] = {{0}};

static int run_lsp(const Command *cmd, const CliArgs *args)
{
    if (args->npos) return cli_usage_error(cmd, NULL, "lsp takes no arguments, not '%s'", args->pos[0]);
    return lsp_main(0, NULL);
}

static const CliOption lsp_options[] = {
    {"--stdio", NULL, NULL, "talk over standard input and output (the only way; accepted for editors that pass it)"},
    {0},
};

const Command lsp_command = {
    "lsp",
    "a language server for editors, over standard input and output",
    "lsp [--stdio]",
    "Serves the Language Server Protocol on standard input and output until the\n"
    "editor sends exit (see docs/editors.md). Exit 0 after shutdown and exit, 1 when\n"
    "the input ends without them.",
    lsp_options,
    run_lsp,
};

const Command help_command = {
    "help",
    "list the commands, or show one command's usage and options",
    "help [COMMAND]",
    "Without COMMAND: the list of commands. With it: that command's usage and\n"
    "options, as `zhidu COMMAND --help` prints them.",
    no_options,
    run_help,
};

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_overview(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
        print_overview(stdout);
        return EXIT_OK;
    }
    if (!strcmp(name, "--version")) {
        printf("zhidu %s\nbytecode format %d\n", ZHIDU_VERSION, BC_VERSION);
        return EXIT_OK;
    }
    const Command *cmd = cli_find_command(name);
    if (!cmd) return unknown_command(name);
    return cli_dispatch(cmd, argc - 2, argv + 2);
}
