/* vm.h - the virtual machine's values and the per-unit context it runs in
 * (shared by vm.c, which executes instructions, and engine.c, which decides
 * what to run). Internal to the runtime library. */
#ifndef ZD_VM_H
#define ZD_VM_H
#include <stdbool.h>
#include <stdint.h>
#include "dataset.h"
#include "engine.h"
#include "program.h"

typedef enum VTag { V_MISSING, V_BOOL, V_INT, V_DUR, V_TIME, V_STR, V_TEXT, V_LIST, V_EVENT, V_ROW, V_PERIOD, V_ITER } VTag;

typedef struct Iter Iter;

typedef struct Value {
    uint8_t tag;
    uint16_t table;       /* V_ROW, V_PERIOD: table index (0xFFFF: none) */
    uint32_t idx;         /* V_STR: StrId; V_EVENT: event index; V_ROW/V_PERIOD: row (ZNONE: none) */
    union {
        int64_t i;        /* bool, int, duration, time; V_PERIOD: start */
        const List *list;
        const char *text; /* V_TEXT: formatted text in the scratch arena */
        Iter *it;
    };
    int64_t to;           /* V_PERIOD: end */
} Value;

/* An index of the unit's events by the value of one log field. */
typedef struct FieldIndex {
    bool built;
    uint32_t *slots;      /* hash of StrId -> entry */
    uint32_t nslots;
    StrId *keys;
    uint32_t *starts, *counts; /* per key: range in positions */
    uint32_t nkeys;
    uint32_t *positions;  /* positions into Unit.evs, grouped by key, in time order */
} FieldIndex;

typedef struct KeyedIndex {
    uint32_t *slots;      /* hash of key StrId -> row index (the later row wins) */
    uint32_t nslots;
} KeyedIndex;

typedef struct Unit {
    StrId id;
    int64_t r0, r1;
    uint32_t *evs;        /* event indices in the range, by (time, input order) */
    uint32_t nevs;
    uint32_t **rows;      /* per table: indices of the rows that apply to the unit */
    uint32_t *nrows;
    KeyedIndex *keyed;    /* per table (keyed tables only) */
    FieldIndex *fields;   /* per log field, built on first use */
} Unit;

/* The roster's columns, found once per run. */
typedef struct RosterCols { int person, role, from, to, name; } RosterCols;

/* Verdicts already reported: indexes into the result, by identity hash. */
typedef struct Seen {
    uint32_t *slots;
    uint32_t nslots, nused; /* used: with the slots of verdicts taken back */
} Seen;

typedef struct Vm {
    const Program *p;
    Dataset *ds;
    Unit *unit;
    Arena scratch;        /* lists, iterators and texts of one rule run */
    RunResult *out;
    Seen *seen;
    RosterCols roster;    /* of the program's roster (at most one) */
    /* the rule being run and its context */
    uint32_t rule;
    bool periodic;
    int64_t from, to;
    uint32_t trigger;
    /* what the run has depended on, for streaming: every event of the unit
     * up to need_data, and a checked range reaching need_r1 */
    int64_t need_data, need_r1;
    uint32_t period_row;  /* the calendar row of the period judged, or ZNONE */
    /* verdicts the run replaced (engine_emit), to restore if it is taken back */
    Violation *undo;
    uint32_t *undo_at;
    uint32_t nundo, undo_cap;
    StrId weekday[8];     /* "1" .. "7" */
    char err[256];
    bool failed;
} Vm;

/* The hash of an interned string id, for the open-addressed indexes. */
static inline uint32_t hash32(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    x ^= x >> 16;
    return x;
}

RosterCols vm_roster_cols(const Program *p);

/* Runs function f with `arg` in slot 0. A filter's result is returned; a
 * body's verdicts go to vm->out. */
Value vm_call(Vm *vm, uint32_t f, Value arg);
/* Records a verdict (used by VIOLATE / PENDING). */
void engine_emit(Vm *vm, bool pending, const List *subjects, const List *evidence, const char *message);
/* The unit's event (in this step) with that id, or ZNONE. */
uint32_t vm_event_by_id(Vm *vm, StrId id);
/* A person's display name in the unit's roster, or NULL. */
const char *vm_person_name(Vm *vm, StrId person);

#endif
