/* diag.c - collecting and rendering diagnostics (text with caret, or JSON). */
#define _POSIX_C_SOURCE 200809L
#include "diag.h"
#include "file.h"
#include "text.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    DiagSeverity severity;
    const char *summary;
} code_table[] = {
#define DIAG(code, sev, summary) {#code, DIAG_##sev, summary},
#include "diag_codes.def"
#undef DIAG
};

const char *diag_code_name(DiagCode code) { return code_table[code].name; }
const char *diag_code_summary(DiagCode code) { return code_table[code].summary; }
DiagSeverity diag_code_severity(DiagCode code) { return code_table[code].severity; }

void diag_init(DiagEngine *d, Arena *arena)
{
    memset(d, 0, sizeof *d);
    d->arena = arena;
    d->max_errors = 100;
}

_Noreturn void diag_out_of_memory(void)
{
    fputs(msg_text(LANG_EN, MSG_OOM_COMPILING), stderr); /* no language at hand */
    exit(2);
}

const char *diag_word(MsgId id) { return msg_text(LANG_EN, id); }

/* fmt (a message of msg.def) with the arguments ap, each %s argument that is a
 * diag_word() in lang: one conversion at a time, since a va_list cannot be
 * rewritten. The conversions are the few msg.def uses (test_msg.c checks
 * that both languages take the same ones). */
static char *vprintf_in(Arena *a, Lang lang, const char *fmt, va_list ap)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&buf, &size);
    if (!out) return arena_strdup(a, "");
    for (const char *p = fmt; *p;) {
        if (*p != '%') { fputc(*p++, out); continue; }
        char spec[32];
        size_t n = 0;
        int star[2], nstar = 0;
        spec[n++] = *p++;
        while (*p && n < sizeof spec - 2 && strchr("-+ #0123456789.*hlzjt", *p)) {
            if (*p == '*' && nstar < 2) star[nstar++] = va_arg(ap, int);
            spec[n++] = *p++;
        }
        char conv = *p ? *p++ : '%';
        spec[n++] = conv;
        spec[n] = '\0';
        bool ll = strstr(spec, "ll") != NULL, l = !ll && strchr(spec, 'l') != NULL, z = strchr(spec, 'z') != NULL;
        switch (conv) {
        case 's': {
            const char *s = msg_translate(lang, va_arg(ap, const char *));
            if (nstar == 2) fprintf(out, spec, star[0], star[1], s);
            else if (nstar == 1) fprintf(out, spec, star[0], s);
            else fprintf(out, spec, s);
            break;
        }
        case 'd': case 'i':
            if (ll) fprintf(out, spec, va_arg(ap, long long));
            else if (l) fprintf(out, spec, va_arg(ap, long));
            else if (z) fprintf(out, spec, va_arg(ap, size_t));
            else fprintf(out, spec, va_arg(ap, int));
            break;
        case 'u': case 'x': case 'X': case 'o':
            if (ll) fprintf(out, spec, va_arg(ap, unsigned long long));
            else if (l) fprintf(out, spec, va_arg(ap, unsigned long));
            else if (z) fprintf(out, spec, va_arg(ap, size_t));
            else fprintf(out, spec, va_arg(ap, unsigned));
            break;
        case 'c': fprintf(out, spec, va_arg(ap, int)); break;
        default: fputc('%', out); break; /* "%%" */
        }
    }
    fclose(out);
    char *s = arena_strdup(a, buf ? buf : "");
    free(buf);
    return s;
}

/* msg with the arguments ap in English (*en) and in the engine's language (*shown). */
static void format(DiagEngine *d, MsgId msg, va_list ap, const char **en, const char **shown)
{
    va_list again;
    va_copy(again, ap);
    *en = arena_vprintf(d->arena, msg_text(LANG_EN, msg), ap);
    *shown = d->lang == LANG_EN ? *en : vprintf_in(d->arena, d->lang, msg_text(d->lang, msg), again);
    va_end(again);
}

Diag *diag_report(DiagEngine *d, DiagCode code, SrcLoc loc, MsgId msg, ...)
{
    bool is_error = diag_code_severity(code) == DIAG_ERROR;
    if (is_error && d->errors >= d->max_errors) {
        if (!d->overflowed) {
            d->overflowed = true;
            Diag *over = arena_alloc(d->arena, sizeof *over);
            over->code = DIAG_E0102;
            over->loc = loc;
            over->message = arena_printf(d->arena, msg_text(LANG_EN, D_TOO_MANY_ERRORS), d->max_errors);
            over->shown = arena_printf(d->arena, msg_text(d->lang, D_TOO_MANY_ERRORS), d->max_errors);
            if (d->last) d->last->next = over; else d->first = over;
            d->last = over;
            d->errors++;
        }
        return NULL;
    }
    Diag *diag = arena_alloc(d->arena, sizeof *diag);
    diag->code = code;
    diag->loc = loc;
    va_list ap;
    va_start(ap, msg);
    format(d, msg, ap, &diag->message, &diag->shown);
    va_end(ap);
    if (d->last) d->last->next = diag; else d->first = diag;
    d->last = diag;
    if (is_error) d->errors++; else d->warnings++;
    return diag;
}

void diag_note(DiagEngine *d, Diag *diag, SrcLoc loc, MsgId msg, ...)
{
    if (!diag) return;
    DiagNote *note = arena_alloc(d->arena, sizeof *note);
    note->loc = loc;
    va_list ap;
    va_start(ap, msg);
    format(d, msg, ap, &note->message, &note->shown);
    va_end(ap);
    DiagNote **tail = &diag->notes;
    while (*tail) tail = &(*tail)->next;
    *tail = note;
}

Source *source_from_memory(Arena *a, const char *path, const char *text, size_t len)
{
    Source *s = arena_alloc(a, sizeof *s);
    s->path = arena_strdup(a, path);
    s->text = arena_alloc(a, len + 1);
    memcpy(s->text, text, len);
    s->text[len] = '\0';
    s->len = len;
    return s;
}

Source *source_load(Arena *a, const char *path)
{
    size_t len;
    char *buf = file_read(path, FILE_MAX_BYTES, &len);
    if (!buf) return NULL;
    Source *s = source_from_memory(a, path, buf, len);
    free(buf);
    return s;
}

/* ---- rendering ---------------------------------------------------------- */

enum { SNIPPET_MAX_COLUMNS = 160 };

/* What the character at p is shown as in a snippet (into e, its columns in
 * *w); returns its bytes. A tab becomes one space, so the caret stays aligned;
 * every other character goes through the terminal escaper (text.h), so a
 * rule file cannot forge lines, hide text or reorder it in a diagnostic. */
static int snippet_char(const char *p, const char *end, char e[TEXT_ESCAPE_MAX], int *w)
{
    if (*p == '\t') { e[0] = ' '; e[1] = '\0'; *w = 1; return 1; }
    return text_escape_char(p, end, e, w);
}

/* Prints the source line holding loc and a caret line under the span. Long
 * lines are cut to a window around the span; columns count what is shown
 * (an escape such as \x1b takes four), so the caret stays under the span. */
static void print_snippet(FILE *out, SrcLoc loc)
{
    const Source *src = loc.src;
    if (!src || loc.off > src->len) return;
    const char *text = src->text, *end = text + src->len;
    char e[TEXT_ESCAPE_MAX];
    int w;
    size_t bol = loc.off;
    while (bol > 0 && text[bol - 1] != '\n') bol--;
    size_t eol = loc.off;
    while (eol < src->len && text[eol] != '\n') eol++;
    size_t span_end = loc.end > loc.off ? loc.end : loc.off + 1;
    if (span_end > eol) span_end = eol > loc.off ? eol : loc.off + 1;

    /* Start the window a little before the span when the span lies past the
     * middle of the window, counting the columns shown, not bytes. */
    size_t start = bol;
    int cols_before = 0;
    for (const char *q = text + bol; q < text + loc.off;) {
        q += snippet_char(q, end, e, &w);
        cols_before += w;
    }
    if (cols_before > SNIPPET_MAX_COLUMNS / 2) {
        /* walk back from the span about a quarter of the window */
        int back = 0;
        start = loc.off;
        while (start > bol && back < SNIPPET_MAX_COLUMNS / 4) {
            start--;
            while (start > bol && ((unsigned char)text[start] & 0xC0) == 0x80) start--;
            snippet_char(text + start, end, e, &w);
            back += w;
        }
    }
    char line[SNIPPET_MAX_COLUMNS * 4 + 16];
    char caret[SNIPPET_MAX_COLUMNS * 2 + 16];
    size_t ln = 0, cn = 0;
    int width = 0;
    if (start > bol) { memcpy(line, "...", 3); ln = 3; memcpy(caret, "   ", 3); cn = 3; }
    const char *p = text + start;
    while (p < text + eol) {
        int n = snippet_char(p, end, e, &w);
        size_t here = (size_t)(p - text);
        if (width + w > SNIPPET_MAX_COLUMNS) break;
        size_t elen = strlen(e);
        memcpy(line + ln, e, elen);
        ln += elen;
        char mark = here < loc.off ? ' ' : here < span_end ? (here == loc.off ? '^' : '~') : '\0';
        if (mark) for (int i = 0; i < w; i++) caret[cn++] = (mark == '^' && i > 0) ? '~' : mark;
        width += w;
        p += n;
    }
    if (p < text + eol) { memcpy(line + ln, "...", 3); ln += 3; }
    if (loc.off >= eol) caret[cn++] = '^'; /* span at end of line: point past it */
    line[ln] = '\0';
    caret[cn] = '\0';
    /* trim trailing spaces of the caret line */
    while (cn > 0 && caret[cn - 1] == ' ') caret[--cn] = '\0';
    fprintf(out, "  %s\n  %s\n", line, caret);
}

static const char *severity_word(DiagSeverity s)
{
    return s == DIAG_ERROR ? "error" : s == DIAG_WARNING ? "warning" : "note";
}

/* "error", "warning", "note" in lang: the text output's words for people. */
static const char *severity_shown(DiagSeverity s, Lang lang)
{
    return msg_text(lang, s == DIAG_ERROR ? D_ERROR : s == DIAG_WARNING ? D_WARNING : D_NOTE);
}

static int diag_cmp(const void *a, const void *b)
{
    const Diag *x = *(const Diag *const *)a, *y = *(const Diag *const *)b;
    const char *px = x->loc.src ? x->loc.src->path : "", *py = y->loc.src ? y->loc.src->path : "";
    int c = strcmp(px, py);
    if (c) return c;
    if (x->loc.off != y->loc.off) return x->loc.off < y->loc.off ? -1 : 1;
    return 0;
}

/* Diagnostics sorted by file and position (stable: equal keys keep report order). */
static Diag **sorted_diags(const DiagEngine *d, int *count)
{
    int n = 0;
    for (Diag *g = d->first; g; g = g->next) n++;
    Diag **v = malloc(sizeof(Diag *) * (size_t)(n ? n : 1));
    if (!v) { *count = 0; return NULL; }
    n = 0;
    for (Diag *g = d->first; g; g = g->next) v[n++] = g;
    /* insertion sort keeps it stable; lists are short (max_errors bounds them) */
    for (int i = 1; i < n; i++) {
        Diag *k = v[i];
        int j = i - 1;
        while (j >= 0 && diag_cmp(&v[j], &k) > 0) { v[j + 1] = v[j]; j--; }
        v[j + 1] = k;
    }
    *count = n;
    return v;
}

/* The path may come from the rule file (extends), so it is escaped too. */
static void print_location(FILE *out, SrcLoc loc)
{
    if (!loc.src) return;
    text_write_escaped(out, loc.src->path);
    fprintf(out, ":%d:%d: ", loc.line, loc.col);
}

void diag_print_text(const DiagEngine *d, FILE *out, bool color)
{
    int n;
    Diag **v = sorted_diags(d, &n);
    for (int i = 0; i < n; i++) {
        const Diag *g = v[i];
        DiagSeverity sev = diag_code_severity(g->code);
        print_location(out, g->loc);
        const char *on = "", *off = "";
        if (color) { on = sev == DIAG_ERROR ? "\x1b[1;31m" : "\x1b[1;35m"; off = "\x1b[0m"; }
        /* messages quote names and strings of the rule file: escaped */
        fprintf(out, "%s%s[%s]%s: ", on, severity_shown(sev, d->lang), diag_code_name(g->code), off);
        text_write_escaped(out, g->shown);
        fputc('\n', out);
        print_snippet(out, g->loc);
        for (const DiagNote *note = g->notes; note; note = note->next) {
            print_location(out, note->loc);
            fprintf(out, "%s: ", severity_shown(DIAG_NOTE, d->lang));
            text_write_escaped(out, note->shown);
            fputc('\n', out);
            if (note->loc.src) print_snippet(out, note->loc);
        }
    }
    free(v);
}

static void json_loc(FILE *out, SrcLoc loc)
{
    if (!loc.src) { fputs("null", out); return; }
    fputs("{\"file\":", out);
    json_write_string(out, loc.src->path);
    fprintf(out, ",\"line\":%d,\"column\":%d,\"end_line\":%d,\"end_column\":%d}", loc.line, loc.col,
            loc.end_line, loc.end_col);
}

void diag_print_json(const DiagEngine *d, FILE *out)
{
    int n;
    Diag **v = sorted_diags(d, &n);
    fputs("{\"diagnostics\":[", out);
    for (int i = 0; i < n; i++) {
        const Diag *g = v[i];
        if (i) fputc(',', out);
        fprintf(out, "{\"severity\":\"%s\",\"code\":\"%s\",\"message\":",
                severity_word(diag_code_severity(g->code)), diag_code_name(g->code));
        json_write_string(out, g->message);
        fputs(",\"location\":", out);
        json_loc(out, g->loc);
        fputs(",\"notes\":[", out);
        for (const DiagNote *note = g->notes; note; note = note->next) {
            if (note != g->notes) fputc(',', out);
            fputs("{\"message\":", out);
            json_write_string(out, note->message);
            fputs(",\"location\":", out);
            json_loc(out, note->loc);
            fputc('}', out);
        }
        fputs("]}", out);
    }
    fprintf(out, "],\"errors\":%d,\"warnings\":%d}\n", d->errors, d->warnings);
    free(v);
}
