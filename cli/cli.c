/* cli.c - the argument parser and usage errors every command shares (cli.h).
 * Nothing here knows any one command: commands are data in their own files. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "suggest.h"

const char *cli_value(const Command *cmd, const CliArgs *args, const char *name)
{
    for (int i = 0; cmd->options[i].name; i++)
        if (!strcmp(cmd->options[i].name, name)) return args->value[i];
    return NULL;
}

int cli_input_options(const Command *cmd, const CliArgs *args, InputOptions *io)
{
    io->no_integrity_check = cli_value(cmd, args, "--no-integrity-check") != NULL;
    const char *held = cli_value(cmd, args, "--max-held-events");
    if (held) {
        char *end;
        errno = 0;
        unsigned long long n = strtoull(held, &end, 10);
        if (!*held || *end || errno || n < 1 || n > 4000000000ull || held[0] == '-')
            return cli_usage_error(cmd, args->lang, NULL, msg_text(args->lang, MSG_MAX_HELD_VALUE), held);
        io->max_held = n;
    }
    return 0;
}

int cli_usage_error(const Command *cmd, Lang lang, const char *suggestion, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("zhidu: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (suggestion) { /* as check writes a note */
        fprintf(stderr, "%s: ", msg_text(lang, D_NOTE));
        fprintf(stderr, msg_text(lang, D_DID_YOU_MEAN), suggestion);
        fputc('\n', stderr);
    }
    if (cmd) fprintf(stderr, msg_text(lang, MSG_USAGE_OF), cmd->usage, cmd->name);
    else fputs(msg_text(lang, MSG_USAGE_ZHIDU), stderr);
    return EXIT_USAGE;
}

void cli_print_help(const Command *cmd, Lang lang, FILE *out)
{
    fprintf(out, msg_text(lang, MSG_HELP_HEAD), cmd->usage, msg_text(lang, cmd->description));
    fputs(msg_text(lang, MSG_HELP_OPTIONS), out);
    for (const CliOption *o = cmd->options; o->name; o++) {
        char left[64];
        snprintf(left, sizeof left, "%s%s%s", o->name, o->arg ? " " : "", o->values ? o->values : o->arg ? o->arg : "");
        fprintf(out, "  %-34s %s\n", left, msg_text(lang, o->help));
    }
    fprintf(out, "  %-34s %s\n", "--lang zh|en", msg_text(lang, MSG_HELP_LANG));
    fprintf(out, "  %-34s %s\n", "-h, --help", msg_text(lang, MSG_HELP_HELP));
}

/* "a|b|c" as "a, b or c" (in lang) */
static void list_values(Lang lang, const char *values, char *out, size_t size)
{
    size_t n = 0;
    out[0] = '\0';
    for (const char *p = values; *p && n + 8 < size; p++) {
        if (*p != '|') { out[n++] = *p; continue; }
        const char *sep = msg_text(lang, strchr(p + 1, '|') ? MSG_LIST_SEP : MSG_LIST_LAST);
        for (; *sep && n + 1 < size; sep++) out[n++] = *sep;
    }
    out[n] = '\0';
}

/* Checks a value against "a|b|c"; on a mismatch suggests the nearest. */
static int check_value(const Command *cmd, Lang lang, const CliOption *o, const char *v)
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
    list_values(lang, o->values, list, sizeof list);
    return cli_usage_error(cmd, lang, suggest_result(&s), msg_text(lang, MSG_VALUE_NOT_ALLOWED), o->name, list, v);
}

static int unknown_option(const Command *cmd, Lang lang, const char *arg)
{
    char name[128];
    snprintf(name, sizeof name, "%.*s", (int)strcspn(arg, "="), arg);
    Suggest s;
    suggest_init(&s, name);
    for (const CliOption *o = cmd->options; o->name; o++) suggest_offer(&s, o->name);
    suggest_offer(&s, "--help");
    return cli_usage_error(cmd, lang, suggest_result(&s), msg_text(lang, MSG_UNKNOWN_OPTION), arg, cmd->name);
}

int cli_dispatch(const Command *cmd, int argc, char **argv, Lang lang)
{
    CliArgs args = {.pos = argv, .npos = 0, .lang = lang};
    for (int k = 0; cmd->options[k].name; k++)
        if (k == CLI_MAX_OPTIONS) { /* a new option needs a larger CLI_MAX_OPTIONS */
            fprintf(stderr, msg_text(lang, MSG_TOO_MANY_OPTIONS), cmd->name, CLI_MAX_OPTIONS);
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
            cli_print_help(cmd, lang, stdout);
            return EXIT_OK;
        }
        int k = 0;
        size_t n = 0;
        for (; cmd->options[k].name; k++) {
            n = strlen(cmd->options[k].name);
            if (!strncmp(a, cmd->options[k].name, n) && (a[n] == '\0' || a[n] == '=')) break;
        }
        const CliOption *o = &cmd->options[k];
        if (!o->name) return unknown_option(cmd, lang, a);
        if (a[n] == '=' && !o->arg) return cli_usage_error(cmd, lang, NULL, msg_text(lang, MSG_TAKES_NO_VALUE), o->name);
        const char *v = "";
        if (o->arg) {
            if (a[n] == '=') v = a + n + 1;
            else if (i + 1 < argc) v = argv[++i];
            else {
                char list[256];
                if (!o->values) return cli_usage_error(cmd, lang, NULL, msg_text(lang, MSG_NEEDS_VALUE), o->name);
                list_values(lang, o->values, list, sizeof list);
                return cli_usage_error(cmd, lang, NULL, msg_text(lang, MSG_NEEDS_VALUE_OF), o->name, list);
            }
            if (o->values && check_value(cmd, lang, o, v) != EXIT_OK) return EXIT_USAGE;
        }
        args.value[k] = v;
    }
    return cmd->run(cmd, &args);
}
