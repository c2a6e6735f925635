/* codegen_int.h - what the files of the code generator share and nothing
 * else includes: the generator's state, its growable buffers, the variables
 * in scope, and the helpers each file uses from the others. Files:
 * cg_emit.c (constants, instructions, slots, function boundaries),
 * cg_expr.c (expressions and selections), codegen.c (rule bodies, rule
 * table, bindings, the program). Scans are planned by plan.c. */
#ifndef ZD_CODEGEN_INT_H
#define ZD_CODEGEN_INT_H
#include "codegen.h"
#include "strtab.h"

typedef struct Var {
    const char *name;
    int slot;
    int row_table;   /* >= 0: a bare field name of the row in `slot` */
    int row_field;
    struct Var *up;
} Var;

typedef struct Buf {
    void *items;
    uint32_t len, cap;
} Buf;

typedef struct Gen {
    const Policy *pol;
    Program *p;
    DiagEngine *d;
    bool failed;
    StrTab strs;           /* the program's strings: id 0 is "" */
    Buf consts, code, lines, funcs, rules;
    /* the rule being generated: its context variable (`on x` / `as P`), for
     * the retention analysis of its scans, and the scans seen so far */
    uint32_t rule;
    const char *ctx_var;
    bool ctx_periodic;
    Buf pending_retains;   /* RetainPlan */
    int open_scans;        /* loops over all events open here: the trigger, unbounded selections */
    Buf retains;           /* ZRetain */
    bool trace;            /* emit TRACE instructions and their points (zhidu explain) */
    Buf tpoints;           /* ZTracePoint */
    /* the function being generated */
    uint32_t fstart;
    int nslots;
    SrcLoc fallback_loc;
} Gen;

/* cg_emit.c */
void *cg_push(Buf *b, size_t size);
void *cg_to_arena(Arena *a, Buf *b, size_t size);
uint32_t cg_intern(Gen *g, const char *s);
uint32_t cg_const(Gen *g, ConstKind kind, int64_t value);
uint32_t cg_str_const(Gen *g, const char *s);
uint16_t cg_file_index(Gen *g, const Source *src);
uint32_t cg_here(Gen *g);
uint32_t cg_emit(Gen *g, Opcode op, int a, int b, uint32_t c, SrcLoc loc);
/* Points the jump or iterator exit at `at` to `target` (function-relative). */
void cg_patch(Gen *g, uint32_t at, uint32_t target);
int cg_new_slots(Gen *g, int n, SrcLoc loc);
Var *cg_bind_var(Gen *g, Var *up, const char *name, int slot);
Var *cg_find_var(const Var *sc, const char *name);
void cg_begin_function(Gen *g, SrcLoc loc);
/* Ends the function begun last, verified; returns its index. */
uint32_t cg_end_function(Gen *g, ZFuncKind kind, uint32_t rule);
/* The source text of a span, its runs of white space made one space (a string index). */
uint32_t cg_span_text(Gen *g, SrcLoc loc);
/* When tracing: a new trace point `tp` of the rule being generated (g->rule)
 * and its TRACE instruction on `slot`; returns its index. Otherwise nothing,
 * ZNONE: a program compiled without tracing is the same as before. */
uint32_t cg_trace(Gen *g, ZTracePoint tp, int slot, SrcLoc loc);
/* cg_expr.c */
void cg_expr(Gen *g, Var *sc, Expr *e);
int64_t cg_literal_time(Gen *g, const Expr *e);
uint64_t cg_known_types(Gen *g, uint64_t mask);
/* The fields of table t's row in `slot`, by their bare names, above up. */
Var *cg_row_vars(Gen *g, const TableSym *t, int slot, Var *up);

#endif
