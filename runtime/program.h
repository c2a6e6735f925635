/* program.h - a compiled policy in memory: what codegen produces, what
 * bytecode.c writes and reads (docs/bytecode.md), what verify.c proves safe
 * and what the VM runs. Everything a Program points to lives in its arena;
 * program_free releases it. Indexes are used instead of pointers throughout,
 * so the same structure is the file format's content. */
#ifndef ZD_PROGRAM_H
#define ZD_PROGRAM_H
#include <stdbool.h>
#include <stdint.h>
#include "arena.h"

typedef enum Opcode {
#define OP(name, layout, pops, pushes, synopsis) ZOP_##name,
#include "opcodes.def"
#undef OP
    OPCODE_COUNT
} Opcode;

/* Which operands an instruction uses (checked by the verifier, printed by disasm). */
typedef enum InsnLayout {
    LAYOUT_NONE,   /* no operand */
    LAYOUT_CONST,  /* c: constant index */
    LAYOUT_PARAM,  /* c: parameter index */
    LAYOUT_SLOT,   /* a: local slot */
    LAYOUT_FIELD,  /* c: field of the event log */
    LAYOUT_TFIELD, /* b: table, c: field of that table */
    LAYOUT_TABLE,  /* b: table */
    LAYOUT_COUNT,  /* b: a count */
    LAYOUT_FORMAT, /* a: a FormatKind */
    LAYOUT_JUMP,   /* c: forward target instruction (function-relative) */
    LAYOUT_ITER,   /* a: slot, c: forward exit target */
    LAYOUT_LOOP,   /* c: backward target, an *_NEXT instruction */
    LAYOUT_SCAN,   /* a: slot, c: constant index of an event-type mask */
    LAYOUT_SCANF,  /* a: slot, b: log field, c: constant index of a mask */
    LAYOUT_SLOTF,  /* a: slot, b: log field */
    LAYOUT_EMIT,   /* b: number of message parts */
    LAYOUT_TRACE,  /* a: slot, c: trace point (Program.trace) */
    LAYOUT_ROWS,   /* a: slot, b: a calendar table */
    LAYOUT_EARLY,  /* a: key count (| 0x80: strict), b: constant index of a field mask, c: of a type mask */
} InsnLayout;

typedef struct OpcodeInfo {
    const char *name;
    InsnLayout layout;
    int pops, pushes;
    const char *synopsis;
} OpcodeInfo;
extern const OpcodeInfo opcode_info[OPCODE_COUNT];

/* One instruction: 8 bytes in the file, little-endian. */
typedef struct Insn {
    uint8_t op, a;
    uint16_t b;
    uint32_t c;
} Insn;

typedef enum FormatKind {
    FMT_PLAIN, FMT_PERSON, FMT_TIME, FMT_PERIOD, FMT_EVENT, FMT_LIST, FMT_PERSONS, FMT_DURATION,
    FMT_COUNT
} FormatKind;

/* Value types recorded in the file (bindings, parameters, constants). */
typedef enum ValType {
    VT_TEXT, VT_ID, VT_PERSON, VT_TIME, VT_DURATION, VT_INT, VT_BOOL, VT_ENUM,
    VT_COUNT,
    VT_LIST_FLAG = 0x80 /* or-ed in: a list of the base type */
} ValType;

typedef enum ConstKind { CONST_STR, CONST_INT, CONST_DURATION, CONST_TIME, CONST_MASK, CONST_BOOL, CONST_KIND_COUNT } ConstKind;

typedef struct ZConst {
    uint8_t kind;  /* ConstKind */
    int64_t value; /* CONST_STR: string index; CONST_TIME: UTC seconds; CONST_MASK: bits */
} ZConst;

typedef struct ZField {
    uint32_t name, column; /* string indexes */
    uint8_t type;          /* ValType, possibly | VT_LIST_FLAG */
    uint8_t optional;
} ZField;

typedef enum ZTableKind { ZT_EVENTS, ZT_ROSTER, ZT_KEYED, ZT_CALENDAR, ZT_KIND_COUNT } ZTableKind;

typedef struct ZTable {
    uint8_t kind;          /* ZTableKind */
    uint32_t name, table;  /* policy name, data set table name */
    int32_t key;           /* ZT_KEYED: key field; -1 otherwise */
    uint32_t nfields;
    ZField *fields;
} ZTable;

typedef struct ZEventType {
    uint32_t name, value;  /* string indexes */
    uint64_t fields;       /* bit i: carries field i of the event log */
} ZEventType;

typedef struct ZParam {
    uint32_t name;
    uint8_t type;          /* ValType */
    uint32_t value;        /* constant index */
} ZParam;

/* A rule's severity; the numbers are the .zbc encoding. */
typedef enum ZSeverity { ZS_MUST = 1, ZS_IN_PRINCIPLE = 2 } ZSeverity;
typedef enum ZPeriodKind { ZP_DAY, ZP_WEEK, ZP_MONTH, ZP_YEAR, ZP_WEEKS, ZP_CALENDAR, ZP_KIND_COUNT } ZPeriodKind;
typedef enum ZAnchorKind { ZA_NONE, ZA_TIME, ZA_CALENDAR, ZA_KIND_COUNT } ZAnchorKind;

enum { ZNONE = 0xFFFFFFFFu }; /* "no such index" in optional references */

typedef struct ZClauseRef {
    uint32_t id, text;     /* string indexes */
} ZClauseRef;

typedef struct ZRule {
    uint32_t name;
    uint32_t ntags;
    uint32_t *tags;        /* string indexes */
    uint32_t nclauses;
    ZClauseRef *clauses;
    uint8_t severity;      /* a ZSeverity */
    uint8_t disabled;
    uint32_t disabled_reason; /* string index or ZNONE */
    uint32_t message;      /* the template as written (string index) */
    uint16_t file;         /* source file index (into the meta's file list) */
    uint32_t line, col;
    uint8_t periodic;
    /* event-triggered */
    uint64_t trigger_mask;
    uint32_t trigger_filter; /* function index or ZNONE */
    /* periodic */
    uint8_t period;        /* ZPeriodKind */
    uint32_t weeks;        /* ZP_WEEKS: cycle length */
    uint8_t anchor;        /* ZAnchorKind */
    uint32_t anchor_const; /* ZA_TIME: constant index */
    uint32_t period_table; /* ZP_CALENDAR / ZA_CALENDAR: calendar table, else ZNONE */
    uint32_t period_filter;/* filter over that table's rows (function index or ZNONE) */
    uint32_t unless_table; /* exemption calendar or ZNONE */
    uint32_t unless_filter;
    uint32_t body;         /* function index */
} ZRule;

/* What a streaming run keeps for one scan of a rule (docs/runtime.md): the
 * events of `mask` accepted by `filter` (an event filter, or ZNONE for all),
 * from the beginning (ZR_ALWAYS), from the start of the rule's period being
 * judged (ZR_PERIOD), or from the time of its trigger plus an offset
 * (ZR_TRIGGER: `x.time >= e.time - 30d`). */
typedef enum ZRetainKind { ZR_ALWAYS, ZR_PERIOD, ZR_TRIGGER, ZR_KIND_COUNT } ZRetainKind;
/* Of events alike in `fields` (ZR_ALWAYS only): all, the earliest (an exists
 * or first limited only by an upper time bound), or the latest that no
 * trigger still to run precedes (a latest limited by its trigger's time). */
typedef enum ZRetainPick { ZK_ALL, ZK_EARLIEST, ZK_LATEST, ZK_PICK_COUNT } ZRetainPick;

typedef struct ZRetain {
    uint32_t rule;
    uint64_t mask;
    uint8_t kind;          /* ZRetainKind */
    int64_t offset;        /* ZR_TRIGGER: from the trigger's time plus this (seconds); else 0 */
    uint8_t pick;          /* ZRetainPick */
    uint64_t fields;       /* log fields that make two events alike, for pick */
    uint32_t filter;       /* function index or ZNONE */
} ZRetain;

typedef enum ZFuncKind { ZF_BODY, ZF_EVENT_FILTER, ZF_ROW_FILTER, ZF_KIND_COUNT } ZFuncKind;

typedef struct ZFunc {
    uint32_t start, count; /* instruction range in code */
    uint16_t nslots, max_stack;
    uint8_t kind;          /* ZFuncKind */
    uint32_t rule;         /* owning rule */
} ZFunc;

typedef struct ZLine {
    uint16_t file;
    uint32_t line, col;
} ZLine;

/* What a TRACE instruction reports (zhidu explain): the points of a rule
 * body in the author's terms. Only a program compiled with tracing has them
 * (in memory, from a rule file); bytecode files carry none, so the verifier
 * refuses TRACE in a .zbc. */
typedef enum ZTraceKind {
    ZTR_BODY,       /* start of a rule body: slot a is the period or the trigger */
    ZTR_RANGE,      /* top: the list a binding (`for x in ...`) ranges over */
    ZTR_BIND,       /* slot a (and a+1 for a pair): the binding's next value */
    ZTR_SEL_BEGIN,  /* a selection starts */
    ZTR_SEL_EVENT,  /* slot a: the next event the selection examines */
    ZTR_CONJ,       /* top: one condition of the selection's where, for that event */
    ZTR_SEL_END,    /* top: the selection's result */
    ZTR_REQUIRE,    /* top: the require condition */
    ZTR_VERDICT,    /* a verdict is reported next (pending: ZTracePoint.index 1) */
    ZTR_KIND_COUNT
} ZTraceKind;

typedef struct ZTracePoint {
    uint8_t kind;          /* ZTraceKind */
    uint8_t select;        /* SEL_*: 0 exists, 1 count, 2 latest, 3 first */
    uint32_t rule;
    uint32_t text;         /* string index: the source text (a collection, a selection, a condition) */
    uint32_t name, name2;  /* string indexes: the variables bound (ZNONE when none) */
    uint32_t owner;        /* CONJ, SEL_EVENT, SEL_END: the SEL_BEGIN point; BIND: its RANGE point */
    uint32_t index;        /* CONJ: place in its selection; RANGE, BIND: loop depth; VERDICT: pending */
    uint32_t line;         /* of the source text */
} ZTracePoint;

typedef struct ZMeta {
    uint32_t name, title, document; /* string indexes */
    int64_t effective;     /* UTC seconds of the effective date's local midnight */
    int32_t tz_offset;     /* seconds east of UTC */
    uint32_t units_column; /* string index or ZNONE */
    uint32_t nfiles;
    uint32_t *files;       /* source file names, root first */
} ZMeta;

typedef struct Program {
    Arena arena;
    uint32_t nstrings;
    const char **strings;  /* NUL-terminated, valid UTF-8 */
    uint32_t *string_lens;
    uint32_t nconsts;
    ZConst *consts;
    ZMeta meta;
    ZTable log;            /* kind ZT_EVENTS; nfields 0 when the policy reads no log */
    uint32_t nevent_types;
    ZEventType *event_types;
    uint32_t ntables;
    ZTable *tables;
    uint32_t nparams;
    ZParam *params;
    uint32_t nrules;
    ZRule *rules;
    uint32_t nretains;
    ZRetain *retains;      /* grouped by rule, in rule order */
    uint32_t nfuncs;
    ZFunc *funcs;
    uint32_t ninsns;
    Insn *code;
    ZLine *lines;          /* one per instruction */
    uint32_t ntrace;
    ZTracePoint *trace;    /* compiled with tracing only (ZTraceKind) */
} Program;

/* An instruction that starts a scan over events (SCAN_INIT and its indexed forms). */
static inline bool zop_is_scan_init(uint8_t op)
{
    return op == ZOP_SCAN_INIT || op == ZOP_SCAN_INIT_EQ || op == ZOP_SCAN_INIT_IN || op == ZOP_SCAN_INIT_EQ_IN;
}
/* An instruction that narrows the scan just initialised, between its SCAN_INIT* and SCAN_NEXT. */
static inline bool zop_is_scan_narrow(uint8_t op)
{
    return op == ZOP_SCAN_FROM || op == ZOP_SCAN_ALSO_EQ || op == ZOP_SCAN_LAST || op == ZOP_SCAN_ANY_EQ ||
           op == ZOP_SCAN_ANY_OR || op == ZOP_SCAN_ANY_END;
}
/* Whether function f (an index, or ZNONE) scans events. */
bool program_func_scans(const Program *p, uint32_t f);

Program *program_new(void);
void program_free(Program *p);
const char *program_string(const Program *p, uint32_t index); /* "" when out of range */
/* Index of the field named `name` in a table binding, or -1: the one lookup
 * of a field by name in the runtime (the compiler's is sema_field_index). */
int zt_field(const Program *p, const ZTable *t, const char *name);
/* "must" or "in-principle", as the reports and the disassembler write it. */
const char *program_severity_name(uint8_t severity);

#endif
