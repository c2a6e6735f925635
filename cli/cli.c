/* cli.c - the argument parser and usage errors every command shares (cli.h).
 * Nothing here knows any one command: commands are data in their own files. */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "suggest.h"

const char *cli_value(const Command *cmd, const CliArgs *args, const char *name)
{
    for (int i = 0; cmd->options[i].name; i++)
        if (!strcmp(cmd->options[i].name, name)) return args->value[i];
    return NULL;
}

int cli_usage_error(const Command *cmd, const char *suggestion, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("zhidu: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (suggestion) fprintf(stderr, "note: did you mean '%s'?\n", suggestion);
    if (cmd)
        fprintf(stderr, "usage: zhidu %s\n(run 'zhidu help %s' for more)\n", cmd->usage, cmd->name);
    else
        fputs("usage: zhidu COMMAND [options] [args]\n(run 'zhidu help' for the commands)\n", stderr);
    return EXIT_USAGE;
}

void cli_print_help(const Command *cmd, FILE *out)
{
    fprintf(out, "usage: zhidu %s\n\n%s\n", cmd->usage, cmd->description);
    fputs("\noptions:\n", out);
    for (const CliOption *o = cmd->options; o->name; o++) {
        char left[64];
        snprintf(left, sizeof left, "%s%s%s", o->name, o->arg ? " " : "", o->values ? o->values : o->arg ? o->arg : "");
        fprintf(out, "  %-34s %s\n", left, o->help);
    }
    fprintf(out, "  %-34s %s\n", "-h, --help", "this help");
}

/* "a|b|c" as "a, b or c" */
static void list_values(const char *values, char *out, size_t size)
{
    size_t n = 0;
    out[0] = '\0';
    for (const char *p = values; *p && n + 8 < size; p++) {
        if (*p != '|') { out[n++] = *p; continue; }
        const char *sep = strchr(p + 1, '|') ? ", " : " or ";
        for (; *sep && n + 1 < size; sep++) out[n++] = *sep;
    }
    out[n] = '\0';
}

/* Checks a value against "a|b|c"; on a mismatch suggests the nearest. */
static int check_value(const Command *cmd, const CliOption *o, const char *v)
{
    char copy[256], list[256];
    snprintf(copy, sizeof copy, "%s", o->values);
    Suggest s;
    suggest_init(&s, v);
    for (char *p = copy, *end; p; p = end) {
        end = strchr(p, '|');
        if (end) *end++ = '\0';
        if (!strcmp(p, v)) return EXIT_OK;
        suggest_offer(&s, p);
    }
    list_values(o->values, list, sizeof list);
    return cli_usage_error(cmd, suggest_result(&s), "%s takes %s, not '%s'", o->name, list, v);
}

static int unknown_option(const Command *cmd, const char *arg)
{
    char name[128];
    snprintf(name, sizeof name, "%.*s", (int)strcspn(arg, "="), arg);
    Suggest s;
    suggest_init(&s, name);
    for (const CliOption *o = cmd->options; o->name; o++) suggest_offer(&s, o->name);
    suggest_offer(&s, "--help");
    return cli_usage_error(cmd, suggest_result(&s), "unknown option '%s' for %s", arg, cmd->name);
}

int cli_dispatch(const Command *cmd, int argc, char **argv)
{
    CliArgs args = {.pos = argv, .npos = 0};
    for (int k = 0; cmd->options[k].name; k++)
        if (k == CLI_MAX_OPTIONS) { /* a new option needs a larger CLI_MAX_OPTIONS */
            fprintf(stderr, "zhidu: internal error: %s has more than %d options\n", cmd->name, CLI_MAX_OPTIONS);
            return EXIT_USAGE;
        }
    bool options_end = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (options_end || a[0] != '-' || !a[1]) {
            argv[args.npos++] = argv[i]; /* never ahead of i: reordering in place is safe */
            continue;
        }
        if (!strcmp(a, "--")) { options_end = true; continue; }
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            cli_print_help(cmd, stdout);
            return EXIT_OK;
        }
        int k = 0;
        size_t n = 0;
        for (; cmd->options[k].name; k++) {
            n = strlen(cmd->options[k].name);
            if (!strncmp(a, cmd->options[k].name, n) && (a[n] == '\0' || a[n] == '=')) break;
        }
        const CliOption *o = &cmd->options[k];
        if (!o->name) return unknown_option(cmd, a);
        if (a[n] == '=' && !o->arg) return cli_usage_error(cmd, NULL, "%s takes no value", o->name);
        const char *v = "";
        if (o->arg) {
            if (a[n] == '=') v = a + n + 1;
            else if (i + 1 < argc) v = argv[++i];
            else {
                char list[256] = "";
                if (o->values) list_values(o->values, list, sizeof list);
                return cli_usage_error(cmd, NULL, "%s needs a value%s%s%s", o->name, o->values ? " (" : "", list,
                                       o->values ? ")" : "");
            }
            if (o->values && check_value(cmd, o, v) != EXIT_OK) return EXIT_USAGE;
        }
        args.value[k] = v;
    }
    return cmd->run(cmd, &args);
}
