/* compiler.c - loads the extends chain of a rule file (relative paths, cycle
 * and depth checks) and runs the parser, semantic analysis and code
 * generation (which verifies what it generates) over it. */
#define _XOPEN_SOURCE 700
#include "compiler.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "codegen.h"
#include "file.h"
#include "lexer.h"

Compilation *compile_new(void)
{
    Compilation *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    arena_init(&c->arena);
    c->arena.on_fail = diag_out_of_memory;
    diag_init(&c->diag, &c->arena);
    return c;
}

void compile_free(Compilation *c)
{
    if (!c) return;
    program_free(c->program);
    arena_free(&c->arena);
    free(c);
}

/* The `extends` declaration of a file, after checking its place. */
static Decl *find_extends(Compilation *c, AstFile *f)
{
    Decl *found = NULL;
    for (int i = 0; i < f->decls.len; i++) {
        Decl *d = f->decls.items[i];
        if (d->kind != D_EXTENDS) continue;
        if (found) {
            Diag *g = diag_report(&c->diag, DIAG_E0305, d->loc, D_POLICY_EXTENDS_AT_MOST_ONE);
            diag_note(&c->diag, g, found->loc, D_FIRST_EXTENDS_HERE);
            continue;
        }
        if (i != 0) diag_report(&c->diag, DIAG_E0305, d->loc, D_EXTENDS_MUST_FIRST_DECLARATION_FILE);
        found = d;
    }
    return found;
}

static const char *resolve_relative(Arena *a, const char *from, const char *path)
{
    if (path[0] == '/') return path;
    const char *slash = strrchr(from, '/');
    if (!slash) return path;
    return arena_printf(a, "%.*s/%s", (int)(slash - from), from, path);
}

/* Parses an extended file. A file that does not parse as a rule file may be
 * any file the sender named (`extends "/etc/passwd"`): its first error is
 * kept, with its line, and the rest are dropped so that no more of its lines
 * are echoed; the chain then stops there (item 6 of issue 11). */
static AstFile *parse_parent(Compilation *c, Source *parent, bool *ok)
{
    DiagEngine *d = &c->diag;
    Diag *mark = d->last;
    int errors = d->errors, warnings = d->warnings;
    bool overflowed = d->overflowed;
    AstFile *f = parse_source(&c->arena, d, parent);
    if (d->errors == errors) return f;
    Diag *first = mark ? mark->next : d->first;
    while (first->next && (diag_code_severity(first->code) != DIAG_ERROR || first->loc.src != parent)) first = first->next;
    first->next = NULL;
    d->last = first;
    d->errors = errors + 1;
    d->warnings = warnings;
    d->overflowed = overflowed;
    SrcLoc none;
    memset(&none, 0, sizeof none);
    diag_note(d, first, none, D_DOES_NOT_PARSE_AS_RULE, parent->path);
    *ok = false;
    return f;
}

/* An extended file is a rule file: its name ends in .zd. */
static bool is_rule_file_name(const char *path)
{
    size_t n = strlen(path);
    return n > 3 && !strcmp(path + n - 3, ".zd") && path[n - 4] != '/';
}

static bool run(Compilation *c, Source *src)
{
    enum { MAX = COMPILE_MAX_EXTENDS_DEPTH + 1 };
    AstFile *files[MAX];
    char *real[MAX];
    int n = 0;
    files[n] = parse_source(&c->arena, &c->diag, src);
    real[n] = realpath(src->path, NULL);
    n++;
    bool chain_ok = true;
    for (;;) {
        Decl *ext = find_extends(c, files[n - 1]);
        if (!ext) break;
        const char *path = resolve_relative(&c->arena, files[n - 1]->src->path, ext->text);
        char *rp = realpath(path, NULL);
        bool cycle = false;
        for (int i = 0; i < n && rp; i++)
            if (real[i] && !strcmp(real[i], rp)) {
                Diag *g = diag_report(&c->diag, DIAG_E0301, ext->text_loc, D_EXTENDS_CYCLE_ALREADY_CHAIN, ext->text);
                SrcLoc none;
                memset(&none, 0, sizeof none);
                for (int k = i; k < n; k++)
                    diag_note(&c->diag, g, none, D_EXTENDS_LINK, files[k]->src->path,
                              k + 1 < n ? files[k + 1]->src->path : ext->text);
                cycle = true;
                break;
            }
        if (cycle) { free(rp); chain_ok = false; break; }
        if (n == MAX) {
            diag_report(&c->diag, DIAG_E0301, ext->text_loc, D_EXTENDS_CHAIN_DEEPER_THAN_FILES, COMPILE_MAX_EXTENDS_DEPTH);
            free(rp);
            chain_ok = false;
            break;
        }
        Source *parent = source_load(&c->arena, path);
        if (!parent) {
            diag_report(&c->diag, DIAG_E0300, ext->text_loc, D_CANNOT_READ_EXTENDED_POLICY, path, file_error(errno));
            free(rp);
            chain_ok = false;
            break;
        }
        if (!is_rule_file_name(path)) { /* read, never shown */
            diag_report(&c->diag, DIAG_E0300, ext->text_loc, D_EXTENDED_NOT_ZD, path);
            free(rp);
            chain_ok = false;
            break;
        }
        files[n] = parse_parent(c, parent, &chain_ok);
        real[n] = rp;
        n++;
        if (!chain_ok) break;
    }
    for (int i = 0; i < n; i++) free(real[i]);
    /* root first */
    c->chain = arena_alloc(&c->arena, sizeof(AstFile *) * (size_t)n);
    for (int i = 0; i < n; i++) c->chain[i] = files[n - 1 - i];
    c->nchain = n;
    if (!chain_ok) {
        /* without its parent the file cannot be checked: its syntax errors
         * are reported, nothing that would only follow from the missing chain */
        c->policy = NULL;
        return true;
    }
    c->policy = sema_check(&c->arena, &c->diag, c->chain, n);
    if (c->diag.errors == 0) c->program = c->trace ? codegen_policy_traced(c->policy, &c->diag) : codegen_policy(c->policy, &c->diag);
    return true;
}

Program *compile_take_program(Compilation *c)
{
    Program *p = c->program;
    c->program = NULL;
    return p;
}

bool compile_check_file(Compilation *c, const char *path)
{
    Source *src = source_load(&c->arena, path);
    if (!src) {
        c->io_errno = errno;
        return false;
    }
    return run(c, src);
}

bool compile_check_text(Compilation *c, const char *path, const char *text, size_t len)
{
    return run(c, source_from_memory(&c->arena, path, text, len));
}
