/* merge.c - shards (see shard.h): parsing --shard, the shard record, and
 * `zhidu merge`. A report's lines are in the engine's order (verdict.c: by
 * unit, then rule, window or trigger, subjects) and each unit lies in exactly
 * one shard, so the merged report is each shard's runs of lines of one unit,
 * taken in the order of their unit names (compared as strcmp compares them). */
#include "shard.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bytecode.h"
#include "cli.h"
#include "file.h"
#include "msg.h"
#include "outfile.h"
#include "text.h"

static const char record_head[] = "{\"shard\": ";

static bool parse_number(const char *s, const char *end, uint32_t *out)
{
    if (s == end || end - s > 7) return false;
    uint32_t v = 0;
    for (; s < end; s++) {
        if (*s < '0' || *s > '9') return false;
        v = v * 10 + (uint32_t)(*s - '0');
    }
    *out = v;
    return true;
}

bool shard_parse(const char *text, uint32_t *index, uint32_t *count)
{
    const char *slash = strchr(text, '/');
    return slash && parse_number(text, slash, index) && parse_number(slash + 1, slash + strlen(slash), count) &&
           *count >= 1 && *count <= SHARD_MAX && *index < *count;
}

void shard_write_record(FILE *out, const Program *p, uint32_t index, uint32_t count)
{
    size_t size = 0;
    unsigned char *bytes = bc_write(p, &size);
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; bytes && i < size; i++) h = (h ^ bytes[i]) * 1099511628211ull;
    free(bytes);
    fprintf(out, "%s%u, \"of\": %u, \"policy\": ", record_head, index, count);
    json_write_string(out, program_string(p, p->meta.name));
    fprintf(out, ", \"bytecode\": \"%016llx\"}\n", (unsigned long long)h);
}

/* One shard report: its lines, the unit of the current one (decoded), and
 * the policy part of its shard record. */
typedef struct Shard {
    const char *path;
    char *text, *at, *end; /* at: the next line */
    char *record;          /* from ", \"policy\"" to the end of the record */
    uint32_t index, count;
    char *unit;            /* the unit of the line at `at`, decoded; NULL at the end */
    Lang lang;             /* of the messages */
} Shard;

/* Decodes the JSON string at s (just after its opening quote) into a new
 * string; NULL when malformed. */
static char *json_string(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(n + 1), *o = out;
    if (!out) return NULL;
    for (; *s && *s != '"'; s++) {
        if (*s != '\\') { *o++ = *s; continue; }
        s++;
        const char *map = strchr("\"\"\\\\//b\bf\fn\nr\rt\t", *s);
        if (*s && map && (map - "\"\"\\\\//b\bf\fn\nr\rt\t") % 2 == 0) { *o++ = map[1]; continue; }
        if (*s != 'u') break;
        unsigned cp = 0;
        if (sscanf(s + 1, "%4x", &cp) != 1) break;
        s += 4;
        if (cp >= 0xD800 && cp < 0xDC00 && s[1] == '\\' && s[2] == 'u') {
            unsigned lo = 0;
            if (sscanf(s + 3, "%4x", &lo) != 1) break;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            s += 6;
        }
        if (cp < 0x80) *o++ = (char)cp;
        else if (cp < 0x800) { *o++ = (char)(0xC0 | cp >> 6); *o++ = (char)(0x80 | (cp & 0x3F)); }
        else if (cp < 0x10000) { *o++ = (char)(0xE0 | cp >> 12); *o++ = (char)(0x80 | (cp >> 6 & 0x3F)); *o++ = (char)(0x80 | (cp & 0x3F)); }
        else { *o++ = (char)(0xF0 | cp >> 18); *o++ = (char)(0x80 | (cp >> 12 & 0x3F)); *o++ = (char)(0x80 | (cp >> 6 & 0x3F)); *o++ = (char)(0x80 | (cp & 0x3F)); }
    }
    if (*s != '"') { free(out); return NULL; }
    *o = '\0';
    return out;
}

/* Reads the unit of the line at sh->at; false with a message when it is not a violation line. */
static bool read_unit(Shard *sh)
{
    free(sh->unit);
    sh->unit = NULL;
    if (sh->at == sh->end) return true;
    static const char head[] = "{\"unit\": \"";
    char *nl = memchr(sh->at, '\n', (size_t)(sh->end - sh->at));
    if (nl) *nl = '\0';
    sh->unit = strncmp(sh->at, head, sizeof head - 1) ? NULL : json_string(sh->at + sizeof head - 1);
    if (nl) *nl = '\n';
    if (!sh->unit) fprintf(stderr, msg_text(sh->lang, MSG_MERGE_NOT_VIOLATION), sh->path);
    return sh->unit != NULL;
}

/* Loads a shard report and splits off its shard record (its last line). */
static bool load(Shard *sh)
{
    size_t size;
    sh->text = file_read(sh->path, FILE_MAX_BYTES, &size);
    if (!sh->text) {
        fprintf(stderr, msg_text(sh->lang, MSG_CANNOT_READ), sh->path, msg_translate(sh->lang, file_error(errno)));
        return false;
    }
    char *end = sh->text + size;
    if (size && end[-1] == '\n') *--end = '\0';
    char *last = end;
    while (last > sh->text && last[-1] != '\n') last--;
    char *of = strstr(last, ", \"of\": "), *pol = of ? strstr(of, ", \"policy\": ") : NULL;
    if (strncmp(last, record_head, sizeof record_head - 1) || !pol ||
        !parse_number(last + sizeof record_head - 1, of, &sh->index) || !parse_number(of + 8, pol, &sh->count)) {
        fprintf(stderr, msg_text(sh->lang, MSG_MERGE_NO_RECORD), sh->path);
        return false;
    }
    sh->record = pol;
    sh->at = sh->text;
    sh->end = last;
    return read_unit(sh);
}

/* Every shard 0..N-1 once, all of one policy. */
static bool check_set(Shard *sh, int n)
{
    for (int i = 0; i < n; i++) {
        if (sh[i].count != sh[0].count || strcmp(sh[i].record, sh[0].record)) {
            fprintf(stderr, msg_text(sh->lang, MSG_MERGE_NOT_ONE_RUN), sh[0].path, sh[i].path,
                    msg_text(sh->lang, sh[i].count != sh[0].count ? MSG_MERGE_SHARD_COUNTS : MSG_MERGE_POLICIES));
            return false;
        }
        for (int k = 0; k < i; k++)
            if (sh[k].index == sh[i].index) {
                fprintf(stderr, msg_text(sh->lang, MSG_MERGE_BOTH_SHARD), sh[k].path, sh[i].path, sh[i].index, sh[i].count);
                return false;
            }
    }
    if ((uint32_t)n != sh[0].count) {
        fprintf(stderr, msg_text(sh->lang, MSG_MERGE_SHARDS_GIVEN), n, n == 1 ? "" : "s", sh[0].count);
        return false;
    }
    return true;
}

/* Writes the lines in unit order; false (with a message) on a malformed line or a unit in two shards. */
static bool merge(FILE *out, Shard *sh, int n)
{
    for (;;) {
        int best = -1;
        for (int i = 0; i < n; i++) {
            if (!sh[i].unit) continue;
            int c = best < 0 ? -1 : strcmp(sh[i].unit, sh[best].unit);
            if (c == 0) { /* units are data: shown as the text report shows them */
                char u[600];
                text_escape(u, sizeof u, sh[i].unit);
                fprintf(stderr, msg_text(sh->lang, MSG_MERGE_UNIT_TWICE), u, sh[best].path, sh[i].path);
                return false;
            }
            if (c < 0) best = i;
        }
        if (best < 0) return true;
        Shard *s = &sh[best];
        char *unit = s->unit;
        s->unit = NULL;
        do {
            char *nl = memchr(s->at, '\n', (size_t)(s->end - s->at));
            char *next = nl ? nl + 1 : s->end;
            fwrite(s->at, 1, (size_t)(next - s->at), out);
            s->at = next;
            if (!read_unit(s)) { free(unit); return false; }
        } while (s->unit && !strcmp(s->unit, unit));
        bool again = s->unit && strcmp(s->unit, unit) < 0;
        if (again) {
            char u[600], before[600];
            text_escape(u, sizeof u, s->unit);
            text_escape(before, sizeof before, unit);
            fprintf(stderr, msg_text(s->lang, MSG_MERGE_ORDER), s->path, u, before);
        }
        free(unit);
        if (again) return false;
    }
}

static int run_merge(const Command *cmd, const CliArgs *args)
{
    const char *output = cli_value(cmd, args, "--output");
    int n = args->npos;
    if (n < 1) return cli_usage_error(cmd, args->lang, NULL, "%s", msg_text(args->lang, MSG_MERGE_NEEDS));
    Shard *sh = calloc((size_t)n, sizeof *sh);
    if (!sh) { fputs(msg_text(args->lang, MSG_OOM_MERGING), stderr); return EXIT_USAGE; }
    bool ok = true;
    for (int i = 0; i < n && ok; i++) {
        sh[i].path = args->pos[i];
        sh[i].lang = args->lang;
        ok = load(&sh[i]);
    }
    ok = ok && check_set(sh, n);
    if (ok) {
        char err[1024];
        OutFile o;
        const char *name = output ? output : msg_text(args->lang, MSG_STDOUT_NAME);
        if (output ? outfile_open(&o, output, true, true, args->lang, err, sizeof err) : outfile_stdout(&o)) {
            fprintf(stderr, msg_text(args->lang, MSG_CANNOT_WRITE), name, err);
            ok = false;
        } else {
            errno = 0;
            if (!merge(o.f, sh, n)) {
                ok = false;
                if (output) outfile_discard(&o);
            }
            if (ok && outfile_commit(&o, err, sizeof err) != 0) {
                fprintf(stderr, msg_text(args->lang, MSG_CANNOT_WRITE), name, err);
                ok = false;
            }
        }
    }
    for (int i = 0; i < n; i++) {
        free(sh[i].text);
        free(sh[i].unit);
    }
    free(sh);
    return ok ? EXIT_OK : EXIT_USAGE;
}

static const CliOption merge_options[] = {
    {"--format", "FORMAT", "jsonl", MSG_O_MERGE_FORMAT},
    {"--output", "FILE", NULL, MSG_O_MERGE_OUTPUT},
    {0},
};

const Command merge_command = {
    "merge",
    MSG_CMD_MERGE,
    "merge [--format jsonl] [--output FILE] REPORT.jsonl...",
    MSG_H_MERGE,
    merge_options,
    run_merge,
};
