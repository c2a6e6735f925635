/* cli.h - what every zhidu command shares: the command and option tables,
 * the argument parser that serves --help, "did you mean" and value checks
 * for all of them, and the exit codes. A command is one Command value in its
 * own file, listed once in main.c's table; its help text, its usage errors,
 * docs/cli.md and the bash completion are all checked against that entry. */
#ifndef ZD_CLI_H
#define ZD_CLI_H
#include <stdbool.h>
#include <stdio.h>

#include "msg.h"

#define ZHIDU_VERSION "0.1.0"

enum { EXIT_OK = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2 };

typedef struct CliOption {
    const char *name;   /* "--format" or "-o" */
    const char *arg;    /* what the value is ("FILE", "N"); NULL for a flag */
    const char *values; /* the only values allowed, "text|json"; NULL: any */
    MsgId help;         /* one line, for the command's help (msg.def) */
} CliOption;

typedef struct CliArgs CliArgs;

typedef struct Command {
    const char *name;
    MsgId summary;           /* one line in `zhidu help` (msg.def) */
    const char *usage;       /* "run POLICY DATA [options]", after "zhidu " */
    MsgId description;       /* paragraphs between the usage line and the options (msg.def) */
    const CliOption *options; /* ends with a zeroed entry; -h/--help is implicit */
    int (*run)(const struct Command *cmd, const CliArgs *args);
} Command;

enum { CLI_MAX_OPTIONS = 16 };

/* Parsed arguments: values by the index of their option in cmd->options
 * (NULL when absent, "" for a flag given), and the other arguments in order. */
struct CliArgs {
    const char *value[CLI_MAX_OPTIONS];
    char **pos;
    int npos;
    Lang lang; /* --lang, or the locale's (main.c) */
};

/* The value of option `name` (which must be one of cmd's options), or NULL. */
const char *cli_value(const Command *cmd, const CliArgs *args, const char *name);

/* Parses argv (the arguments after the command's name; reordered in place)
 * and runs the command: -h/--help anywhere prints its help and exits 0; an
 * unknown option, a missing value or a value not among the allowed ones is a
 * usage error with a suggestion. Returns the exit code. */
int cli_dispatch(const Command *cmd, int argc, char **argv, Lang lang);

/* Prints the command's full help (usage, description, options) in language
 * lang; option names, placeholders and values stay as they are typed. */
void cli_print_help(const Command *cmd, Lang lang, FILE *out);

/* "zhidu: MESSAGE", a "note: did you mean" line when `suggestion` is not NULL, the
 * usage line of cmd (of zhidu when NULL) and where to read more, on standard
 * error, in language lang (fmt is normally msg_text(lang, ...)). Returns EXIT_USAGE. */
int cli_usage_error(const Command *cmd, Lang lang, const char *suggestion, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The options of every command that reads a data set (run, explain, diff),
 * in each one's option table; cli_input_options reads them into io. */
#define CLI_DATA_OPTIONS \
    {"--no-integrity-check", NULL, NULL, MSG_O_DATA_NO_INTEGRITY_CHECK}, \
    {"--max-held-events", "N", NULL, MSG_O_DATA_MAX_HELD_EVENTS}
struct InputOptions;
/* 0, or EXIT_USAGE after a usage error about a value. */
int cli_input_options(const Command *cmd, const CliArgs *args, struct InputOptions *io);

/* The commands, in the order `zhidu help` lists them (main.c). */
extern const Command *const cli_commands[];
const Command *cli_find_command(const char *name);

/* A rule file (compiled in memory, diagnostics printed) or a .zbc (loaded and
 * verified); NULL with *rc set to 1 (errors in the rule file) or 2 (cannot be
 * read, bytecode refused). In compile.c. */
struct Program *cli_load_policy(const char *path, int *rc, Lang lang);

extern const Command check_command, compile_command, disasm_command, run_command, explain_command, fmt_command, test_command, merge_command, diff_command, lsp_command, help_command;

#endif
