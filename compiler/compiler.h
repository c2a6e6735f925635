/* compiler.h - the compiler library's entry points: load a rule file and the
 * files it extends, parse and check them, and generate the verified program,
 * so that checking refuses exactly what compiling would. One Compilation owns
 * everything (arena, diagnostics, AST, checked policy, program);
 * compile_free releases it. */
#ifndef ZD_COMPILER_H
#define ZD_COMPILER_H
#include <stdbool.h>
#include <stddef.h>
#include "ast.h"
#include "diag.h"
#include "program.h"
#include "sema.h"

enum { COMPILE_MAX_EXTENDS_DEPTH = 16 };

typedef struct Compilation {
    Arena arena;
    DiagEngine diag;
    AstFile **chain;  /* root first, the requested file last */
    int nchain;
    Policy *policy;   /* NULL when the file could not be read */
    Program *program; /* generated and verified when the policy has no errors */
    int io_errno;     /* set when the requested file itself could not be read */
    bool trace;       /* set before checking: generate a traced program (codegen.h), for zhidu explain */
} Compilation;

Compilation *compile_new(void);
void compile_free(Compilation *c);
/* Parses and checks path (and what it extends) and, without errors, generates
 * c->program. Returns false only when path itself cannot be read (c->io_errno
 * says why); diagnostics, of the format's limits too, are in c->diag. */
bool compile_check_file(Compilation *c, const char *path);
/* The same over text in memory; `extends` is resolved relative to path. */
bool compile_check_text(Compilation *c, const char *path, const char *text, size_t len);
/* Hands c->program over to the caller (NULL when there were errors). */
Program *compile_take_program(Compilation *c);

#endif
