/* lexer.h - state shared by the flex scanner (lexer.l) and the bison parser
 * (parser.y): the source being read, the current position, collected
 * comments, and the diagnostics engine. One LexState per file parse. */
#ifndef ZD_LEXER_H
#define ZD_LEXER_H
#include "ast.h"
#include "diag.h"

/* Bison location type: lines and code-point columns plus byte offsets. */
typedef struct ZZLTYPE {
    int first_line, first_column, last_line, last_column;
    size_t first_off, last_off;
} ZZLTYPE;
#define ZZLTYPE_IS_DECLARED 1
#define ZZLTYPE_IS_TRIVIAL 1

enum { LEX_MAX_IDENT_BYTES = 1024, PARSE_MAX_DEPTH = 200 };

typedef struct LexState {
    Arena *arena;
    DiagEngine *diag;
    const Source *src;
    int line, col;     /* position of the next byte */
    size_t off;
    Comment *comments, *comments_tail;
    ZZLTYPE pending_block; /* where an open block comment started */
    size_t block_start;
    size_t last_bad_off;   /* offset of the last unexpected byte, to report runs once */
    bool stopped;          /* the parse was cut short (depth limit): no more syntax errors */
    size_t lex_error_off;  /* where the last lexical error was (+1; 0 none): no syntax error there too */
    int depth;         /* current expression nesting, bounded by PARSE_MAX_DEPTH */
    bool depth_reported;
    int syntax_errors;
    AstFile *file;     /* the result */
} LexState;

/* Parses src into an AstFile (never NULL; possibly partial after errors). */
AstFile *parse_source(Arena *arena, DiagEngine *diag, const Source *src);

SrcLoc lex_loc(const LexState *ls, const ZZLTYPE *l);

/* One token as the scanner returned it: its kind (a bison token number or a
 * punctuation character) and its span. */
typedef struct LexToken {
    int kind;
    SrcLoc loc;
} LexToken;

/* Scans src without parsing (for the formatter): sets *tokens to its tokens
 * in order and *comments to its comments (linked by next_all), all allocated
 * from arena; lexical errors go to diag. Returns the number of tokens. */
int lex_tokens(Arena *arena, DiagEngine *diag, const Source *src, LexToken **tokens, Comment **comments);

#endif
