/* vm.h - the virtual machine's values, the unit it runs over (unit.h) and
 * the narrow interface to its host (a verdict sink, a name lookup, a tracker
 * of what was read, and for zhidu explain a trace sink). vm.c executes instructions; the scheduler (stream.c)
 * decides what to run. Internal to the runtime library. */
#ifndef ZD_VM_H
#define ZD_VM_H
#include <stdbool.h>
#include <stdint.h>
#include "dataset.h"
#include "unit.h"
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

/* The roster's columns, found once per run. */
typedef struct RosterCols { int person, role, from, to, name; } RosterCols;

/* What a run has depended on, for streaming: every event of the unit up to
 * need_data, and a checked range reaching need_r1. The VM raises them; the
 * host resets them before a run and reads them after. */
typedef struct VmReads {
    int64_t need_data, need_r1;
} VmReads;

/* What the VM needs from whoever runs it (the scheduler, stream.c). */
typedef struct VmHost {
    void *ctx;
    /* a verdict of the body being run (VIOLATE / PENDING) */
    void (*verdict)(void *ctx, bool pending, const List *subjects, const List *evidence, const char *message);
    /* a person's display name in the unit's roster, or NULL */
    const char *(*person_name)(void *ctx, StrId person);
    VmReads *reads;
    struct Trace *trace;  /* zhidu explain: where TRACE instructions report (trace.h), or NULL */
} VmHost;

typedef struct Vm {
    const Program *p;
    Dataset *ds;
    Unit *unit;           /* the unit judged: its rows, events and indexes */
    Arena scratch;        /* lists, iterators and texts of one rule run */
    const VmHost *host;
    RosterCols roster;    /* of the program's roster (at most one) */
    StrId weekday[8];     /* "1" .. "7" */
    bool failed;          /* out of memory building an index (or scratch.failed): the run is void */
    bool left_out;        /* the body ran LEAVE_OUT: its period or trigger is not judged (the host resets it) */
} Vm;

RosterCols vm_roster_cols(const Program *p);

/* Runs function f with `arg` in slot 0. A filter's result is returned; a
 * body's verdicts go to vm->host. */
Value vm_call(Vm *vm, uint32_t f, Value arg);

#endif
