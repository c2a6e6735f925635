/* fmt.c - zhidu fmt: rewrites the whitespace of a rule file into its one
 * canonical layout (the rules are stated in docs/cli.md). It works on the
 * scanner's tokens and comments, never on the text between them, so it can
 * only move whitespace; a final re-scan proves the tokens are unchanged.
 * It must not reorder, add or drop a token or a comment. */
#include "fmt.h"

#include <stdlib.h>
#include <string.h>

#include "lexer.h"
#include "parser.h"

enum { COMMENT = -1 };
enum { SP_NONE, SP_ONE, SP_KEEP }; /* no space; a space (runs kept); none or a space as written */

/* A token or a comment, in source order. */
typedef struct Item {
    const char *text;
    size_t len;
    size_t off;
    int kind;            /* token kind, or COMMENT */
    int line, end_line;
    bool starts;         /* begins a declaration, rule clause, field or header entry */
    bool has_items;      /* an opening bracket whose content holds such starts */
} Item;

/* An open bracket while the output is written. */
typedef struct Open {
    int indent;          /* of a line inside it */
    int close_indent;    /* of a line that starts with its closing bracket */
    bool align_pending;  /* indent is the column of the next item */
    bool has_items;
} Open;

typedef struct Buf {
    char *p;
    size_t len, cap;
    int col;             /* code points since the last newline */
} Buf;

static void put(Buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (b->len + n + 1 > cap) cap *= 2;
        char *q = realloc(b->p, cap);
        if (!q) diag_out_of_memory();
        b->p = q;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n') b->col = 0;
        else if (((unsigned char)s[i] & 0xC0) != 0x80) b->col++;
    }
}

static void spaces(Buf *b, int n)
{
    for (int i = 0; i < n; i++) put(b, " ", 1);
}

static void trim_blanks(Buf *b)
{
    while (b->len > 0 && (b->p[b->len - 1] == ' ' || b->p[b->len - 1] == '\t' || b->p[b->len - 1] == '\r')) b->len--;
    b->p[b->len] = '\0';
}

/* A comment's text, without the blanks that end any of its lines. */
static void put_comment(Buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n') trim_blanks(b);
        put(b, s + i, 1);
    }
    trim_blanks(b);
}

static bool is_opener(int k) { return k == '(' || k == '[' || k == '{'; }
static bool is_closer(int k) { return k == ')' || k == ']' || k == '}'; }

static int prev_token(const Item *it, int i)
{
    for (i--; i >= 0; i--)
        if (it[i].kind != COMMENT) return i;
    return -1;
}

/* A name: an identifier, or any word after '.' (a field such as .from). */
static bool name_like(const Item *it, int i)
{
    if (it[i].kind == TOK_IDENT) return true;
    int p = prev_token(it, i);
    return p >= 0 && it[p].kind == '.';
}

/* Something an infix operator can follow: a name, a literal, a closed bracket. */
static bool ends_operand(const Item *it, int i)
{
    int k = it[i].kind;
    return name_like(it, i) || is_closer(k) || k == TOK_INT || k == TOK_DURATION || k == TOK_CLOCK || k == TOK_TIME ||
           k == TOK_STRING || k == TOK_TRUE || k == TOK_FALSE || k == TOK_TO; /* `to`: a calendar row's, bare */
}

/* The space wanted between item b-1 and item b on one line. */
static int spacing(const Item *it, int b)
{
    int a = it[b - 1].kind, k = it[b].kind;
    if (a == COMMENT || k == COMMENT) return SP_ONE;
    if (a == '(' || a == '[' || a == '.') return SP_NONE;
    if (is_closer(k) && k != '}') return SP_NONE;
    if (k == ',' || k == ':' || k == '?' || k == '.') return SP_NONE;
    if (a == TOK_DOTDOT || k == TOK_DOTDOT) return SP_NONE; /* 08:00..12:00 */
    if (a == '{' || k == '}') return SP_KEEP;
    if (k == '(' || k == '[') {
        bool call = name_like(it, b - 1) || a == TOK_EXISTS || a == TOK_COUNT || a == TOK_LATEST || a == TOK_FIRST;
        return call || (k == '[' && is_closer(a)) ? SP_NONE : SP_ONE;
    }
    if (a == '-') {
        int p = prev_token(it, b - 1);
        if (p < 0 || !ends_operand(it, p)) return SP_NONE; /* unary minus */
    }
    return SP_ONE;
}

/* The indentation of a line whose first item is it[i]. */
static int line_indent(const Item *it, int n, int i, const Open *top)
{
    int j = i;
    while (j < n && it[j].kind == COMMENT) j++;
    bool comment = j != i;
    if (j == n || (comment && is_closer(it[j].kind))) return top ? top->indent : 0;
    if (is_closer(it[j].kind)) return top ? top->close_indent : 0;
    bool items = top ? top->has_items : true;
    return (top ? top->indent : 0) + (items && !it[j].starts ? 2 : 0);
}

static void mark(bool *starts, size_t len, SrcLoc loc)
{
    if (loc.off < len) starts[loc.off] = true;
}

static bool *item_starts(Arena *a, const AstFile *f, size_t len)
{
    bool *starts = arena_alloc(a, len + 1);
    for (int i = 0; i < f->decls.len; i++) {
        const Decl *d = f->decls.items[i];
        mark(starts, len, d->loc);
        for (int k = 0; k < d->clauses.len; k++) mark(starts, len, d->clauses.items[k]->loc);
        for (int k = 0; k < d->fields.len; k++) mark(starts, len, d->fields.items[k]->loc);
        for (int k = 0; k < d->nentries; k++) mark(starts, len, d->entries[k]->loc);
    }
    return starts;
}

/* Tokens and comments of src merged in source order; *n their number. */
static Item *items_of(Arena *a, const Source *src, const bool *starts, int *n)
{
    DiagEngine quiet; /* the parse has reported (and rejected) every lexical error */
    diag_init(&quiet, a);
    LexToken *toks;
    Comment *comments;
    int nt = lex_tokens(a, &quiet, src, &toks, &comments);
    int nc = 0;
    for (Comment *c = comments; c; c = c->next_all) nc++;
    Item *it = arena_alloc(a, sizeof *it * (size_t)(nt + nc + 1));
    int k = 0, t = 0;
    for (Comment *c = comments;; ) {
        bool take_comment = c && (t == nt || c->loc.off < toks[t].loc.off);
        if (!take_comment && t == nt) break;
        Item *x = &it[k++];
        SrcLoc loc = take_comment ? c->loc : toks[t].loc;
        x->off = loc.off;
        x->text = src->text + loc.off;
        x->len = loc.end - loc.off;
        x->line = loc.line;
        x->end_line = loc.end_line;
        if (take_comment) {
            x->kind = COMMENT;
            c = c->next_all;
        } else {
            x->kind = toks[t++].kind;
            x->starts = starts && starts[loc.off];
        }
    }
    /* which opening brackets directly hold a declaration, clause or field */
    int *stack = arena_alloc(a, sizeof *stack * (size_t)(k + 1));
    int depth = 0;
    for (int i = 0; i < k; i++) {
        if (it[i].starts && depth > 0) it[stack[depth - 1]].has_items = true;
        if (is_opener(it[i].kind)) stack[depth++] = i;
        else if (is_closer(it[i].kind) && depth > 0) depth--;
    }
    *n = k;
    return it;
}

static void layout(Buf *b, const Item *it, int n)
{
    Open *stack = calloc((size_t)n + 1, sizeof *stack);
    if (!stack) diag_out_of_memory();
    int depth = 0, line_ind = 0;
    for (int i = 0; i < n; i++) {
        const Item *x = &it[i];
        Open *top = depth ? &stack[depth - 1] : NULL;
        if (i == 0 || x->line > it[i - 1].end_line) {
            if (i > 0) {
                put(b, "\n", 1);
                if (x->line - it[i - 1].end_line > 1) put(b, "\n", 1);
            }
            line_ind = line_indent(it, n, i, top);
            spaces(b, line_ind);
        } else {
            int sp = spacing(it, i);
            const char *gap = it[i - 1].text + it[i - 1].len;
            size_t glen = (size_t)(x->text - gap);
            bool run = glen >= 2 && strspn(gap, " ") >= glen;
            if (x->kind == COMMENT && i > 0 && it[i - 1].kind == COMMENT) run = false;
            if (sp == SP_ONE || (sp == SP_KEEP && glen > 0)) {
                if (run) put(b, gap, glen);
                else put(b, " ", 1);
            }
        }
        if (top && top->align_pending) {
            top->indent = b->col;
            top->align_pending = false;
        }
        int col = b->col;
        if (x->kind == COMMENT) put_comment(b, x->text, x->len);
        else put(b, x->text, x->len);
        if (is_opener(x->kind)) {
            /* '{' opens a block; '(' and '[' followed on their line align what continues */
            bool last = i + 1 == n || it[i + 1].line > x->end_line || it[i + 1].kind == COMMENT;
            bool align = !last && x->kind != '{';
            Open o = {line_ind + 2, align ? col : line_ind, align, x->has_items};
            stack[depth++] = o;
        } else if (is_closer(x->kind) && depth > 0) {
            depth--;
        }
    }
    if (n > 0) put(b, "\n", 1);
    free(stack);
}

/* The tokens of text, in order, must be those of the original. */
static bool same_tokens(Arena *a, const Source *src, const Item *it, int n, const char *text, size_t len)
{
    DiagEngine quiet;
    diag_init(&quiet, a);
    const Source *out = source_from_memory(a, src->path, text, len);
    LexToken *toks;
    Comment *comments;
    int nt = lex_tokens(a, &quiet, out, &toks, &comments);
    if (quiet.errors) return false;
    int k = 0;
    for (int i = 0; i < n; i++) {
        if (it[i].kind == COMMENT) {
            if (!comments || (comments->loc.end - comments->loc.off) > it[i].len) return false;
            comments = comments->next_all;
            continue;
        }
        if (k == nt || toks[k].kind != it[i].kind || toks[k].loc.end - toks[k].loc.off != it[i].len ||
            memcmp(out->text + toks[k].loc.off, it[i].text, it[i].len) != 0)
            return false;
        k++;
    }
    return k == nt && comments == NULL;
}

FmtResult fmt_source(Arena *arena, DiagEngine *diag, const Source *src, char **out, size_t *outlen)
{
    *out = NULL;
    *outlen = 0;
    int errors = diag->errors;
    AstFile *f = parse_source(arena, diag, src);
    if (diag->errors > errors || f->syntax_errors) return FMT_ERRORS;
    int n;
    Item *it = items_of(arena, src, item_starts(arena, f, src->len), &n);
    Buf b = {0};
    if (src->len >= 3 && !memcmp(src->text, "\xEF\xBB\xBF", 3)) {
        put(&b, src->text, 3); /* a byte-order mark stays; it is not a column */
        b.col = 0;
    }
    layout(&b, it, n);
    if (!b.p) put(&b, "", 0);
    *out = arena_strndup(arena, b.p, b.len);
    *outlen = b.len;
    free(b.p);
    return same_tokens(arena, src, it, n, *out, *outlen) ? FMT_OK : FMT_INTERNAL;
}
