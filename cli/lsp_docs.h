/* lsp_docs.h - the language server's open documents: each one's text as the
 * editor last sent it and its latest compilation (diagnostics and the name
 * index). Also the two conversions every request needs: file URIs to paths
 * and back, and LSP positions (line, UTF-16 code unit) to byte offsets and
 * back. Ownership: the store owns its documents, each document its text, its
 * Compilation and the index (which lives in the compilation's arena). */
#ifndef ZD_LSP_DOCS_H
#define ZD_LSP_DOCS_H
#include <stdbool.h>
#include <stddef.h>

#include "compiler.h"
#include "lsp_index.h"

typedef struct LspDoc {
    char *uri, *path;
    char *text;
    size_t len;
    Compilation *comp; /* compiled from text; NULL only when out of memory */
    LspIndex *index;
    struct LspDoc *next;
} LspDoc;

typedef struct DocStore {
    LspDoc *first;
    Lang lang; /* of the diagnostics' messages */
} DocStore;

/* Opens or replaces the document and compiles it; NULL when the URI is not a
 * file: URI or memory runs out. text may be the document's own text (to
 * check it again): it is copied before the old one is freed. */
LspDoc *docs_set(DocStore *s, const char *uri, const char *text, size_t len);
LspDoc *docs_find(DocStore *s, const char *uri);
void docs_close(DocStore *s, const char *uri);
void docs_free(DocStore *s);

/* "file:///a/%E6%96%87.zd" -> "/a/文.zd" (malloc'd); NULL for other schemes. */
char *docs_uri_to_path(const char *uri);
/* The reverse, percent-encoding what a URI may not hold (malloc'd). */
char *docs_path_to_uri(const char *path);

/* Byte offset -> 0-based line and UTF-16 column within text. */
void docs_position(const char *text, size_t len, size_t off, int *line, int *character);
/* 0-based line and UTF-16 column -> byte offset (clamped to the line's end). */
size_t docs_offset(const char *text, size_t len, int line, int character);

#endif
