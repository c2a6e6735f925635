/* main.c - the zhidu command line: subcommands over the compiler and runtime. */
#include <stdio.h>
#include <string.h>
#include "lexer.h"

int main(int argc, char **argv)
{
    if (argc < 3) return 2;
    Arena a; arena_init(&a);
    DiagEngine d; diag_init(&d, &a);
    Source *s = source_load(&a, argv[2]);
    if (!s) { perror(argv[2]); return 2; }
    AstFile *f = parse_source(&a, &d, s);
    printf("%d decls\n", f->decls.len);
    diag_print_text(&d, stderr, false);
    int rc = d.errors ? 1 : 0;
    arena_free(&a);
    return rc;
}
