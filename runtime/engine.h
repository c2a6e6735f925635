/* engine.h - runs a verified program over a data set: per unit, the checked
 * range, the judged periods and the triggering events of every rule, the VM
 * over each rule body, and the resulting violations and pending obligations
 * (each identity once). */
#ifndef ZD_ENGINE_H
#define ZD_ENGINE_H
#include <stdbool.h>
#include <stdint.h>
#include "dataset.h"
#include "program.h"

typedef struct Violation {
    uint32_t rule;
    StrId unit;
    bool pending;
    bool periodic;
    int64_t from, to;        /* periodic: the window */
    uint32_t trigger;        /* triggered: event index in the data set */
    StrId *subjects;         /* sorted by string */
    uint32_t nsubjects;
    StrId *evidence;         /* event ids, in the order given */
    uint32_t nevidence;
    char *message;
} Violation;

typedef struct UnitSummary {
    StrId unit;
    int64_t r0, r1;
    uint32_t events;         /* events of the unit inside the checked range */
} UnitSummary;

typedef struct RunOptions {
    bool has_from, has_as_of;
    int64_t from, as_of;     /* UTC seconds */
    const char *unit;        /* only this unit, or NULL */
} RunOptions;

typedef struct RunResult {
    Violation *v;
    uint32_t n, cap;
    UnitSummary *units;
    uint32_t nunits;
    uint64_t rule_runs;      /* rule bodies executed */
    Arena arena;             /* messages, subject arrays */
} RunResult;

/* Returns 0, or -1 with a message (a run-time limit was hit). The result is
 * sorted: by unit, rule, window start or trigger time, then subjects. */
int engine_run(const Program *p, Dataset *ds, const RunOptions *opt, RunResult *out, char *err, size_t errsize);
void run_result_free(RunResult *r);

/* Display helpers shared with the reports. */
const char *engine_person_name(const Dataset *ds, StrId unit, StrId person); /* NULL when unknown */

#endif
