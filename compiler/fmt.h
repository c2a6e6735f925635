/* fmt.h - the canonical layout of a rule file (zhidu fmt): indentation from
 * nesting, spacing between tokens, at most one blank line; line breaks,
 * comments and every token kept as written. Changes whitespace only. */
#ifndef ZD_FMT_H
#define ZD_FMT_H
#include <stdbool.h>
#include <stddef.h>
#include "diag.h"

typedef enum FmtResult {
    FMT_OK,       /* *out holds the formatted text */
    FMT_ERRORS,   /* src has a lexical or syntax error: the diagnostics are in diag */
    FMT_INTERNAL, /* the layout would have changed a token: a bug; keep the file */
} FmtResult;

/* Formats src into *out (NUL-terminated, allocated from arena), *outlen bytes. */
FmtResult fmt_source(Arena *arena, DiagEngine *diag, const Source *src, char **out, size_t *outlen);

#endif
