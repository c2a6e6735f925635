/* diag.h - source files, locations and diagnostics for one compilation.
 * Every diagnostic carries a code (diag_codes.def), a location and optional
 * notes; the engine collects them and renders them as text (with the source
 * line and a caret) or as JSON. Messages come from the catalogue (msg.def) by
 * id, in the engine's language for text and always in English for JSON.
 * Owns: the source texts it loaded. */
#ifndef ZD_DIAG_H
#define ZD_DIAG_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "arena.h"
#include "msg.h"
#include "text.h" /* json_write_string */

typedef struct Source {
    const char *path; /* as given by the user, for messages */
    char *text;       /* NUL-terminated copy; may contain NULs inside */
    size_t len;
} Source;

/* A span of source: lines and columns are 1-based, columns count code points;
 * off/end are byte offsets [off, end). */
typedef struct SrcLoc {
    const Source *src;
    int line, col, end_line, end_col;
    size_t off, end;
} SrcLoc;

typedef enum DiagSeverity { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE } DiagSeverity;

typedef enum DiagCode {
#define DIAG(code, sev, summary) DIAG_##code,
#include "diag_codes.def"
#undef DIAG
    DIAG_CODE_COUNT
} DiagCode;

typedef struct DiagNote {
    SrcLoc loc; /* loc.src may be NULL: a note without position */
    const char *message; /* English (JSON) */
    const char *shown;   /* in the engine's language (text, editors); == message in English */
    struct DiagNote *next;
} DiagNote;

typedef struct Diag {
    DiagCode code;
    SrcLoc loc;
    const char *message; /* English (JSON) */
    const char *shown;   /* in the engine's language (text, editors); == message in English */
    DiagNote *notes;
    struct Diag *next;
} Diag;

typedef struct DiagEngine {
    Arena *arena;
    Diag *first, *last;
    int errors, warnings;
    int max_errors; /* after this many errors, further ones are dropped (one E0102) */
    bool overflowed;
    Lang lang; /* of the shown messages; LANG_EN after diag_init */
} DiagEngine;

void diag_init(DiagEngine *d, Arena *arena);
/* The compiler's answer to running out of memory (it has no error path for
 * it): says so on stderr and exits with status 2. Its arenas call it through
 * Arena.on_fail; the runtime's never do. */
_Noreturn void diag_out_of_memory(void);
const char *diag_code_name(DiagCode code);
const char *diag_code_summary(DiagCode code);
DiagSeverity diag_code_severity(DiagCode code);
/* Report message msg (a printf format of msg.def) with its arguments; returns
 * the diagnostic so notes can be attached (NULL if dropped). */
Diag *diag_report(DiagEngine *d, DiagCode code, SrcLoc loc, MsgId msg, ...);
/* A word or phrase of msg.def (D_W_...) as a %s argument of a message: the
 * English message has it in English, the shown one in the engine's language. */
const char *diag_word(MsgId id);
void diag_note(DiagEngine *d, Diag *diag, SrcLoc loc, MsgId msg, ...);

/* Load a file into a Source allocated from the arena; NULL and errno on failure
 * as file_read (file.h) sets it; file_error names it. */
Source *source_load(Arena *a, const char *path);
Source *source_from_memory(Arena *a, const char *path, const char *text, size_t len);

void diag_print_text(const DiagEngine *d, FILE *out, bool color);
void diag_print_json(const DiagEngine *d, FILE *out);

#endif
