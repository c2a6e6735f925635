/* parse.c - runs the scanner and parser over one source and attaches each
 * comment to the declaration (or rule clause) that follows it. */
#include <string.h>

#include "lexer.h"
#include "parser.h"

/* flex's reentrant API, declared here to avoid including the generated header */
typedef void *yyscan_t;
int zzlex_init_extra(LexState *extra, yyscan_t *scanner);
int zzlex_destroy(yyscan_t scanner);
void *zz_scan_bytes(const char *bytes, int len, yyscan_t scanner);

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

AstFile *parse_source(Arena *arena, DiagEngine *diag, const Source *src)
{
    LexState ls;
    memset(&ls, 0, sizeof ls);
    ls.arena = arena;
    ls.diag = diag;
    ls.src = src;
    ls.line = 1;
    ls.col = 1;
    ls.last_bad_off = (size_t)-1;
    ls.file = arena_alloc(arena, sizeof(AstFile));
    ls.file->src = src;

    if (src->len > (size_t)0x7fffffff) {
        SrcLoc at = {src, 1, 1, 1, 1, 0, 0};
        diag_report(diag, DIAG_E0008, at, "file too large (%zu bytes)", src->len);
        return ls.file;
    }
    /* a UTF-8 byte-order mark (as some editors write) is not part of the text */
    size_t skip = src->len >= 3 && !memcmp(src->text, "\xEF\xBB\xBF", 3) ? 3 : 0;
    ls.off = skip;
    yyscan_t scanner;
    if (zzlex_init_extra(&ls, &scanner) != 0) return ls.file;
    zz_scan_bytes(src->text + skip, (int)(src->len - skip), scanner);
    zzparse(scanner, &ls);
    zzlex_destroy(scanner);
    ls.file->syntax_errors = ls.syntax_errors + (ls.stopped ? 1 : 0);
    ls.file->comments = ls.comments;
    attach_comments(ls.file, ls.comments);
    return ls.file;
}
