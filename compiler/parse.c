/* parse.c - runs the scanner and parser over one source and attaches each
 * comment to the declaration (or rule clause) that follows it; or runs the
 * scanner alone, for the formatter, to list the tokens with their spans. */
#include <string.h>

#include "lexer.h"
#include "parser.h"

/* flex's reentrant API, declared here to avoid including the generated header */
typedef void *yyscan_t;
int zzlex_init_extra(LexState *extra, yyscan_t *scanner);
int zzlex_destroy(yyscan_t scanner);
void *zz_scan_bytes(const char *bytes, int len, yyscan_t scanner);
int zzlex(ZZSTYPE *lval, ZZLTYPE *lloc, yyscan_t scanner);

static void attach(Comment **list, Comment *c)
{
    while (*list) list = &(*list)->next;
    *list = c;
}

/* A comment belongs to the first node that starts after it; within a rule, to
 * the first clause after it; comments after the last declaration trail. */
static void attach_comments(AstFile *f, Comment *all)
{
    int di = 0;
    for (Comment *c = all; c; c = c->next_all) {
        c->next = NULL;
        while (di < f->decls.len && f->decls.items[di]->loc.end <= c->loc.off) di++;
        if (di == f->decls.len) { attach(&f->trailing, c); continue; }
        Decl *d = f->decls.items[di];
        if (d->loc.off >= c->loc.end) { attach(&d->comments, c); continue; }
        /* inside the declaration: a clause or field that follows */
        bool placed = false;
        for (int i = 0; i < d->clauses.len && !placed; i++)
            if (d->clauses.items[i]->loc.off >= c->loc.end) { attach(&d->clauses.items[i]->comments, c); placed = true; }
        for (int i = 0; i < d->fields.len && !placed; i++)
            if (d->fields.items[i]->loc.off >= c->loc.end) { attach(&d->fields.items[i]->comments, c); placed = true; }
        if (!placed) attach(&d->comments, c);
    }
}

/* Sets up ls and a scanner over src; false when there is nothing to scan. */
static bool scan_begin(LexState *ls, Arena *arena, DiagEngine *diag, const Source *src, yyscan_t *scanner)
{
    memset(ls, 0, sizeof *ls);
    ls->arena = arena;
    ls->diag = diag;
    ls->src = src;
    ls->line = 1;
    ls->col = 1;
    ls->last_bad_off = (size_t)-1;
    ls->file = arena_alloc(arena, sizeof(AstFile));
    ls->file->src = src;

    if (src->len > (size_t)0x7fffffff) {
        SrcLoc at = {src, 1, 1, 1, 1, 0, 0};
        diag_report(diag, DIAG_E0008, at, D_FILE_TOO_LARGE_BYTES, src->len);
        return false;
    }
    /* a UTF-8 byte-order mark (as some editors write) is not part of the text */
    size_t skip = src->len >= 3 && !memcmp(src->text, "\xEF\xBB\xBF", 3) ? 3 : 0;
    ls->off = skip;
    if (zzlex_init_extra(ls, scanner) != 0) return false;
    zz_scan_bytes(src->text + skip, (int)(src->len - skip), *scanner);
    return true;
}

AstFile *parse_source(Arena *arena, DiagEngine *diag, const Source *src)
{
    LexState ls;
    yyscan_t scanner;
    if (!scan_begin(&ls, arena, diag, src, &scanner)) return ls.file;
    zzparse(scanner, &ls);
    zzlex_destroy(scanner);
    ls.file->syntax_errors = ls.syntax_errors + (ls.stopped ? 1 : 0);
    ls.file->comments = ls.comments;
    attach_comments(ls.file, ls.comments);
    return ls.file;
}

int lex_tokens(Arena *arena, DiagEngine *diag, const Source *src, LexToken **tokens, Comment **comments)
{
    LexState ls;
    yyscan_t scanner;
    *tokens = NULL;
    *comments = NULL;
    if (!scan_begin(&ls, arena, diag, src, &scanner)) return 0;
    int n = 0, cap = 0;
    ZZSTYPE val;
    ZZLTYPE loc;
    int kind;
    while ((kind = zzlex(&val, &loc, scanner)) > 0) {
        if (n == cap) {
            cap = cap ? 2 * cap : 256;
            LexToken *grown = arena_alloc(arena, sizeof *grown * (size_t)cap);
            if (n) memcpy(grown, *tokens, sizeof *grown * (size_t)n);
            *tokens = grown;
        }
        (*tokens)[n].kind = kind;
        (*tokens)[n].loc = lex_loc(&ls, &loc);
        n++;
    }
    zzlex_destroy(scanner);
    *comments = ls.comments;
    return n;
}
