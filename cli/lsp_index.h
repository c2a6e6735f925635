/* lsp_index.h - what the language server knows about the names of one
 * compiled document: every name declared along its extends chain, the
 * variables of its rules and definitions, and every name written in the
 * document with the declaration it refers to. Built from the syntax tree
 * (ast.h) and the types sema attached to expressions; it does not look
 * inside sema. Everything lives in the compilation's arena. */
#ifndef ZD_LSP_INDEX_H
#define ZD_LSP_INDEX_H
#include <stdbool.h>
#include <stddef.h>

#include "compiler.h"

typedef enum LspKind {
    LK_POLICY, LK_ROLE, LK_BODY, LK_ENUM, LK_VALUE, LK_EVENT_TYPE, LK_TABLE, LK_FIELD,
    LK_PARAM, LK_DEF, LK_RULE, LK_VAR, LK_FILE,
} LspKind;

typedef struct LspDef {
    const char *name;
    LspKind kind;
    SrcLoc loc;          /* the name where it is declared */
    SrcLoc range;        /* the whole declaration (a member or field: itself) */
    const char *detail;  /* how it is declared, as one line of source */
    const char *owner;   /* LK_VALUE: its enum; LK_FIELD: its table ("event" for the log) */
    const char *notes;   /* LK_RULE: its clauses; LK_PARAM: later settings; or NULL */
    size_t scope_end;    /* LK_VAR: visible from loc.off up to here (bytes) */
} LspDef;

typedef struct LspOcc {
    size_t off, end;     /* bytes in the document */
    const LspDef *def;   /* NULL when it names nothing the index knows (a built-in) */
    const Expr *expr;    /* the expression it is, for its type; may be NULL */
} LspOcc;

typedef struct LspIndex {
    Compilation *comp;
    const Source *src;   /* the document; NULL when nothing was parsed */
    PtrVec defs;         /* LspDef *: declarations of the chain, root first */
    PtrVec vars;         /* LspDef *: variables declared in the document */
    PtrVec occs;         /* LspOcc *: names written in the document, in order */
} LspIndex;

LspIndex *lidx_build(Compilation *c);
/* The name under (or just before) byte offset off; NULL when there is none. */
const LspOcc *lidx_at(const LspIndex *ix, size_t off);
/* A hover text in Markdown for an occurrence (arena memory). */
const char *lidx_hover(const LspIndex *ix, const LspOcc *o);
const char *lidx_kind_name(LspKind k);
/* The name at the start of a field or parameter, whose loc spans "name: type". */
SrcLoc lidx_name_span(SrcLoc loc, const char *name);
/* The language's keywords, NULL-terminated. */
extern const char *const lidx_keywords[];

#endif
