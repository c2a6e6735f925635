/* stream.c - the streaming scheduler: what to run, for which unit, over
 * which periods and events. Units and their checked ranges, the judged
 * periods of periodic rules (whole periods inside the range, exemptions),
 * the triggering events of the others (dispatched by event type).
 *
 * It runs in steps over a window of events (docs/runtime.md, "Streaming"):
 * each step judges what the events read so far decide — a run is kept only
 * if nothing it read can still change (VmReads), else it is retried at a
 * later step — then forgets the events no later run can read (forget.c) and
 * the strings only they used (strgc.c). Given every event at once, a single
 * final step is the batch run. */
#define _GNU_SOURCE /* qsort_r: comparisons that need the data set, without globals */
#include "stream.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forget.h"
#include "hidx.h"
#include "period.h"
#include "pool.h"
#include "strgc.h"

/* ---- the VM's host ---------------------------------------------------------------- */

/* A new record of the worker's kept runs (zeroed), or NULL when out of memory. */
static Kept *kept_push(Worker *w)
{
    if (w->nkept == w->cap) {
        Kept *k = array_grow(w->kept, &w->cap, sizeof(Kept), 64);
        if (!k) {
            w->failed = true;
            return NULL;
        }
        w->kept = k;
    }
    Kept *k = &w->kept[w->nkept++];
    memset(k, 0, sizeof *k);
    return k;
}

/* A verdict of the worker's current run: recorded, to be replayed into the
 * result if the run is kept (replay_unit). Its lists and message in one
 * block of the worker's arena, which is emptied after each step. */
static void host_verdict(void *ctx, bool pending, const List *subjects, const List *evidence, const char *message)
{
    Worker *w = ctx;
    size_t lists = violation_lists_size(subjects->n, evidence->n), len = strlen(message);
    char *block = arena_alloc_packed(&w->arena, lists + len + 1, sizeof(int64_t));
    Kept *k = block ? kept_push(w) : NULL;
    if (!k) {
        w->failed = true;
        return;
    }
    k->id = w->run;
    k->id.pending = pending;
    k->id.nsubjects = subjects->n;
    k->id.nevidence = evidence->n;
    k->id.subjects = (StrId *)block;
    memcpy(k->id.subjects, subjects->items, sizeof(StrId) * subjects->n);
    memcpy(violation_evidence(&k->id), evidence->items, sizeof(StrId) * evidence->n);
    /* where each evidence event was read: the events may be gone by report time */
    int64_t *loc = violation_evidence_loc(&k->id);
    for (uint32_t i = 0; i < evidence->n; i++) {
        uint32_t e = unit_event_by_id(w->vm.unit, w->vm.ds, evidence->items[i]);
        loc[i] = e == ZNONE ? 0 : w->vm.ds->events[e].loc;
    }
    char *msg = block + lists;
    memcpy(msg, message, len + 1);
    k->message = msg;
}

static const char *host_person_name(void *ctx, StrId person)
{
    Worker *w = ctx;
    return unit_person_name(w->vm.ds, w->vm.unit->id, person);
}

/* forget.c's VM runs retention filters, which give no verdict. */
static void host_no_verdict(void *ctx, bool pending, const List *subjects, const List *evidence, const char *message)
{
    (void)pending, (void)subjects, (void)evidence, (void)message;
    ((Stream *)ctx)->failed = true;
}

static const char *host_main_person_name(void *ctx, StrId person)
{
    Stream *s = ctx;
    return unit_person_name(s->ds, s->vm.unit->id, person);
}

/* ---- periods ---------------------------------------------------------------------- */

/* The rows of calendar `table` that apply to the unit and pass `filter`. */
static Interval *calendar_rows(Vm *vm, uint32_t table, uint32_t filter, uint32_t *count)
{
    const Program *p = vm->p;
    const ZTable *t = &p->tables[table];
    int ff = zt_field(p, t, "from"), ft = zt_field(p, t, "to");
    uint32_t n = vm->unit->nrows[table];
    Interval *out = malloc(sizeof(Interval) * (n + 1));
    *count = 0;
    if (!out) return NULL;
    for (uint32_t k = 0; k < n; k++) {
        uint32_t row = vm->unit->rows[table][k];
        if (filter != ZNONE) {
            Value arg = {0};
            arg.tag = V_ROW;
            arg.table = (uint16_t)table;
            arg.idx = row;
            Value ok = vm_call(vm, filter, arg);
            if (!(ok.tag == V_BOOL && ok.i)) continue;
        }
        const TableData *td = &vm->ds->tables[table];
        Cell from = record_cell(td, &td->rows[row], (uint32_t)ff), to = record_cell(td, &td->rows[row], (uint32_t)ft);
        out[*count].from = from.tag == CELL_TIME ? from.i : INT64_MIN;
        out[*count].to = to.tag == CELL_TIME ? to.i : INT64_MAX;
        out[*count].row = row;
        (*count)++;
    }
    arena_reset(&vm->scratch);
    return out;
}


typedef struct PeriodCtx {
    Worker *w;
    UnitState *us;
    uint32_t rule;
    uint16_t table;        /* the calendar of ZP_CALENDAR periods, else 0xFFFF */
    bool final;
    int64_t done_to;       /* periods ending at or before it were judged in an earlier step */
    int64_t until;         /* periods ending after it wait for a later step */
    Interval *exempt;
    uint32_t nexempt;
} PeriodCtx;

static bool judge_period(Worker *w, UnitState *us, uint32_t rule, bool final, int64_t a, int64_t b, uint16_t table, uint32_t row);
static void note_judged(Worker *w, const UnitState *us, uint32_t rule, JudgedKind kind, int64_t a, int64_t b, uint32_t order);
static void push_deferred(Worker *w, const Deferred *d);

/* A period of the rule: judged when it lies inside the range known so far and
 * was not judged before, unless an exemption overlaps it. */
static void judge(void *ctx, int64_t a, int64_t b, uint32_t row)
{
    PeriodCtx *pc = ctx;
    uint16_t table = row == ZNONE ? 0xFFFF : pc->table;
    if (a < pc->us->u.r0 || b > pc->until || a >= b || b <= pc->done_to) return;
    for (uint32_t i = 0; i < pc->nexempt; i++)
        if (pc->exempt[i].from < b && a < pc->exempt[i].to) {
            note_judged(pc->w, pc->us, pc->rule, JUDGED_EXEMPT, a, b, 0);
            return;
        }
    if (!judge_period(pc->w, pc->us, pc->rule, pc->final, a, b, table, row)) {
        Deferred d = {pc->rule, true, a, b, table, row, ZNONE};
        push_deferred(pc->w, &d);
    }
}

/* Enumerates the rule's periods that end inside the range known so far. */
static void run_periodic(PeriodCtx *pc)
{
    Worker *w = pc->w;
    Stream *s = w->s;
    Vm *vm = &w->vm;
    const ZRule *r = &s->p->rules[pc->rule];
    int64_t tz = s->p->meta.tz_offset, r0 = vm->unit->r0, r1 = vm->unit->r1;
    if (r->unless_table != ZNONE) {
        pc->exempt = calendar_rows(vm, r->unless_table, r->unless_filter, &pc->nexempt);
        if (!pc->exempt) { w->failed = true; return; }
    }
    if (r->period == ZP_CALENDAR) {
        uint32_t n = 0;
        Interval *rows = calendar_rows(vm, r->period_table, r->period_filter, &n);
        if (!rows) w->failed = true;
        else period_each_row(rows, n, judge, pc);
        free(rows);
    } else {
        PeriodSpec spec = {r->period, r->weeks, r->anchor == ZA_TIME, 0, NULL, 0};
        if (spec.has_anchor) spec.anchor = s->p->consts[r->anchor_const].value;
        Interval *anchors = NULL;
        uint32_t na = 0;
        if (r->period == ZP_WEEKS && r->anchor == ZA_CALENDAR) {
            anchors = calendar_rows(vm, r->period_table, r->period_filter, &na);
            spec.starts = malloc(sizeof(int64_t) * (na + 1u));
            if (!anchors || !spec.starts) w->failed = true;
            for (uint32_t i = 0; !w->failed && i < na; i++) spec.starts[i] = anchors[i].from;
            spec.nstarts = na;
        }
        if (!w->failed) period_each(&spec, r0, r1, tz, judge, pc);
        free(spec.starts);
        free(anchors);
    }
    free(pc->exempt);
}

/* ---- units ------------------------------------------------------------------------ */

/* The units by id again (after the string ids change). */
static bool unit_index_rebuild(Stream *s)
{
    hidx_free(&s->unit_index);
    for (uint32_t i = 0; i < s->nunits; i++)
        if (hidx_add(&s->unit_index, hidx_hash_id(s->units[i].u.id), i) != 0) return false;
    return true;
}

/* The state of unit `id`, added when first seen; NULL when out of memory. */
static UnitState *unit_state(Stream *s, StrId id)
{
    uint32_t pos = 0;
    for (uint32_t i; (i = hidx_next(&s->unit_index, hidx_hash_id(id), &pos)) != HIDX_NONE;)
        if (s->units[i].u.id == id) return &s->units[i];
    if (s->nunits == s->cap) {
        UnitState *units = array_grow(s->units, &s->cap, sizeof(UnitState), 16);
        if (!units) return NULL;
        s->units = units;
    }
    UnitState *us = &s->units[s->nunits];
    memset(us, 0, sizeof *us);
    us->u.id = id;
    us->low = INT64_MAX;
    const char *name = strtab_str(&s->ds->strs, id);
    us->skip = (s->opt.unit && strcmp(name, s->opt.unit) != 0) ||
               (s->opt.nshards && hidx_hash_bytes(name, strlen(name)) % s->opt.nshards != s->opt.shard);
    us->done_to = malloc(sizeof(int64_t) * (s->p->nrules + 1u));
    if (!us->done_to) return NULL;
    s->nunits++; /* from here stream_free frees it */
    for (uint32_t r = 0; r <= s->p->nrules; r++) us->done_to[r] = INT64_MIN;
    if (!us->skip && !unit_build_rows(&us->u, s->p, s->ds)) return NULL;
    if (hidx_add(&s->unit_index, hidx_hash_id(id), s->nunits - 1) != 0) return NULL;
    return us;
}

/* The state of event unit `id`, `last` the previous event's: a log of few
 * units (interleaved in time order) asks no hash index; NULL when out of
 * memory. */
static UnitState *event_unit(Stream *s, UnitState *last, StrId id)
{
    if (last && last->u.id == id) return last;
    for (uint32_t k = 0; s->nunits <= 8 && k < s->nunits; k++)
        if (s->units[k].u.id == id) return &s->units[k];
    return unit_state(s, id);
}

/* A run the worker's task could not decide yet: retried at a later step. */
static void push_deferred(Worker *w, const Deferred *d)
{
    Task *t = w->task;
    if (t->ndeferred == t->cap) {
        Deferred *dd = array_grow(t->deferred, &t->cap, sizeof(Deferred), 16);
        if (!dd) { w->failed = true; return; }
        t->deferred = dd;
    }
    t->deferred[t->ndeferred++] = *d;
}

/* ---- runs ------------------------------------------------------------------------- */

/* Whether the run just made can be kept: every event it read up to
 * reads.need_data has arrived, and the range reaches reads.need_r1. */
static bool settled(const Worker *w, const UnitState *us, bool final)
{
    const RunOptions *opt = &w->s->opt;
    if (final) return true;
    bool all_read = opt->has_as_of && us->last > opt->as_of;
    if (!all_read && w->reads.need_data > us->last - 1) return false;
    if (!opt->has_as_of && w->reads.need_r1 > us->last) return false;
    return true;
}

static void run_begin(Worker *w, const UnitState *us, uint32_t rule)
{
    memset(&w->run, 0, sizeof w->run);
    w->run.rule = rule;
    w->run.unit = us->u.id;
    w->run.row = ZNONE;
    w->reads.need_data = INT64_MIN;
    w->reads.need_r1 = INT64_MIN;
}

/* Keeps the verdicts of a settled run, takes back those of another (the
 * records from `mark` on). */
static bool run_end(Worker *w, const UnitState *us, bool final, uint32_t mark)
{
    arena_reset(&w->vm.scratch);
    if (w->vm.failed || w->vm.scratch.failed) w->failed = true;
    if (settled(w, us, final)) {
        w->rule_runs++;
        return true;
    }
    w->nkept = mark;
    return false;
}

static bool judge_period(Worker *w, UnitState *us, uint32_t rule, bool final, int64_t a, int64_t b, uint16_t table, uint32_t row)
{
    Stream *s = w->s;
    run_begin(w, us, rule);
    w->run.periodic = true;
    w->run.from = a;
    w->run.to = b;
    w->run.row = row;
    Value per = {0};
    per.tag = V_PERIOD;
    per.i = a;
    per.to = b;
    per.table = table;
    per.idx = row;
    uint32_t mark = w->nkept;
    w->vm.left_out = false;
    vm_call(&w->vm, s->p->rules[rule].body, per);
    bool done = run_end(w, us, final, mark);
    if (done && !w->vm.left_out) note_judged(w, us, rule, JUDGED_PERIOD, a, b, 0);
    return done;
}

static bool run_trigger(Worker *w, UnitState *us, uint32_t rule, uint32_t event, bool final)
{
    Stream *s = w->s;
    Vm *vm = &w->vm;
    const ZRule *r = &s->p->rules[rule];
    const Event *t = &s->ds->events[event];
    run_begin(w, us, rule);
    w->run.trigger_id = t->id;
    w->run.trigger_time = t->time;
    w->run.trigger_order = t->order;
    w->run.trigger_loc = t->loc;
    Value arg = {0};
    arg.tag = V_EVENT;
    arg.idx = event;
    uint32_t mark = w->nkept;
    if (r->trigger_filter != ZNONE) {
        Value ok = vm_call(vm, r->trigger_filter, arg);
        arena_reset(&vm->scratch);
        if (!(ok.tag == V_BOOL && ok.i)) return settled(w, us, final); /* not triggered, unless what the filter read may change */
    }
    vm->left_out = false;
    vm_call(vm, r->body, arg);
    bool done = run_end(w, us, final, mark);
    if (done && !vm->left_out) note_judged(w, us, rule, JUDGED_TRIGGER, t->time, t->time, t->order);
    return done;
}

/* For the HTML report (opt.record_judged): each period judged or exempt and
 * each trigger run, kept. */
static void note_judged(Worker *w, const UnitState *us, uint32_t rule, JudgedKind kind, int64_t a, int64_t b, uint32_t order)
{
    if (!w->s->opt.record_judged) return;
    Kept *k = kept_push(w);
    if (!k) return;
    k->is_note = true;
    k->note = (Judged){rule, us->u.id, (uint8_t)kind, a, b, order};
}

/* A rule's calendar filters may select events (`unless overlaps C where
 * exists(…)`): which periods are judged, and which exempt, must not change
 * afterwards, so its periods wait until what those filters read is settled. */
static bool calendars_settled(Worker *w, UnitState *us, uint32_t rule, bool final)
{
    const Program *p = w->s->p;
    const ZRule *r = &p->rules[rule];
    if (final || (!program_func_scans(p, r->period_filter) && !program_func_scans(p, r->unless_filter))) return true;
    Vm *vm = &w->vm;
    run_begin(w, us, rule);
    uint32_t n;
    if (r->unless_table != ZNONE) free(calendar_rows(vm, r->unless_table, r->unless_filter, &n));
    if (r->period_table != ZNONE) free(calendar_rows(vm, r->period_table, r->period_filter, &n));
    if (vm->failed || vm->scratch.failed) w->failed = true;
    return settled(w, us, final);
}

static bool in_range(const Stream *s, const UnitState *us, const Event *e)
{
    return e->time >= us->u.r0 && !(s->opt.has_as_of && e->time > s->opt.as_of);
}

/* Runs task t on worker `worker`: its unit's deferred runs, one periodic
 * rule's periods that now end inside the range, or the runs its new events
 * trigger, in time order. */
static void run_task(Stream *s, uint32_t worker, Task *t)
{
    Worker *w = &s->workers[worker];
    UnitState *us = &s->units[t->unit];
    const Dataset *ds = s->ds;
    bool final = s->final;
    stream_worker_vm(s, worker)->unit = &us->u;
    w->task = t;
    t->worker = worker;
    t->kept_from = w->nkept;
    if (t->kind == TASK_DEFERRED) {
        for (uint32_t i = t->from; i < t->to; i++) {
            Deferred d = us->deferred[i];
            bool done = d.periodic ? judge_period(w, us, d.rule, final, d.from, d.to, d.table, d.row)
                                   : run_trigger(w, us, d.rule, d.event, final);
            if (!done) push_deferred(w, &d);
        }
    } else if (t->kind == TASK_PERIODS) {
        uint32_t r = t->from;
        if (calendars_settled(w, us, r, final)) { /* else its periods wait for a later step */
            /* before the end, only periods whose events have all been read */
            int64_t until = final || us->u.r1 < us->last ? us->u.r1 : us->last;
            PeriodCtx pc = {w, us, r, (uint16_t)s->p->rules[r].period_table, final, us->done_to[r], until, NULL, 0};
            run_periodic(&pc);
            us->done_to[r] = until;
        }
    } else {
        for (uint32_t i = t->from; i < t->to; i++) {
            uint32_t e = us->u.evs[i];
            if (e < s->first_new) continue;
            uint16_t type = ds->events[e].type;
            for (uint32_t j = 0; j < s->by_type_count[type]; j++) {
                uint32_t rule = s->by_type[type][j];
                if (!run_trigger(w, us, rule, e, final)) {
                    Deferred d = {rule, false, 0, 0, 0xFFFF, ZNONE, e};
                    push_deferred(w, &d);
                }
            }
        }
    }
    t->kept_to = w->nkept;
}

/* A new task of unit k (zeroed but for these), or NULL when out of memory. */
static Task *task_push(Stream *s, uint32_t k, TaskKind kind, uint32_t from, uint32_t to)
{
    if (s->ntasks == s->tasks_cap) {
        Task *t = array_grow(s->tasks, &s->tasks_cap, sizeof(Task), 64);
        if (!t) return NULL;
        s->tasks = t;
    }
    Task *t = &s->tasks[s->ntasks++];
    *t = (Task){.unit = k, .kind = (uint8_t)kind, .from = from, .to = to};
    return t;
}

/* The position of unit us's first new event: the new events come after the
 * ones held (in input order when streaming; holding every event, all new). */
static uint32_t first_new_position(const Stream *s, const UnitState *us)
{
    uint32_t lo = 0, hi = us->u.nevs;
    while (s->streaming && lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (us->u.evs[mid] < s->first_new) lo = mid + 1; else hi = mid;
    }
    return lo;
}

/* Unit k's tasks, in the order one worker runs them: its deferred runs, its
 * periodic rules in rule order, the runs of its new events in time order;
 * deferred runs and new events in pieces of `piece`. False when out of
 * memory. */
static bool plan_unit(Stream *s, uint32_t k, uint32_t piece)
{
    const Program *p = s->p;
    UnitState *us = &s->units[k];
    us->task_from = s->ntasks;
    for (uint32_t i = 0, to; i < us->ndeferred; i = to) {
        to = us->ndeferred - i > piece ? i + piece : us->ndeferred;
        if (!task_push(s, k, TASK_DEFERRED, i, to)) return false;
    }
    for (uint32_t r = 0; r < p->nrules; r++)
        if (!p->rules[r].disabled && p->rules[r].periodic && !task_push(s, k, TASK_PERIODS, r, r)) return false;
    uint32_t n = us->u.nevs;
    for (uint32_t i = first_new_position(s, us), to; i < n; i = to) {
        to = n - i > piece ? i + piece : n;
        if (!task_push(s, k, TASK_TRIGGERS, i, to)) return false;
    }
    us->task_to = s->ntasks;
    return true;
}

/* Unit k made ready for its tasks: its events sorted when the run holds them
 * all, on several workers its field indexes built, which the tasks then
 * only read, and, streaming, its new events taken into its earliest times.
 * False when out of memory. */
static bool prepare_unit(Stream *s, uint32_t k)
{
    Unit *u = &s->units[k].u;
    uint64_t read = s->streaming ? 0 : earliest_fields(s->p); /* holding every event: EARLIEST reads their indexes */
    for (uint32_t f = 0; f < s->p->log.nfields && f < 64; f++)
        if (read >> f & 1) u->fields[f].wanted = true;
    return (s->streaming || unit_sort_events(u, s->ds)) && (!s->pool || unit_build_indexes(u, s->ds)) &&
           (!s->streaming || (earliest_setup(&u->early, s->p) &&
                              earliest_add(&u->early, s->ds, u->evs, first_new_position(s, &s->units[k]), u->nevs)));
}

/* Pool job: the item-th piece of a step's work on several workers. The
 * units to prepare come first (the largest first), then their tasks, unit by
 * unit in the same order: a task waits for its unit's preparation, which
 * another worker has claimed before it (rarely: by the time the tasks of a
 * unit are claimed, the later units are being prepared). */
static void judge_item(void *ctx, uint32_t worker, uint32_t item)
{
    Stream *s = ctx;
    if (item < s->nprepare) {
        uint32_t k = s->order[item]; /* a unit */
        bool ok = prepare_unit(s, k);
        if (!ok) s->workers[worker].failed = true;
        atomic_store_explicit(&s->ready[k], ok ? UNIT_READY : UNIT_FAILED, memory_order_release);
        pthread_mutex_lock(&s->ready_mu);
        pthread_cond_broadcast(&s->ready_cv);
        pthread_mutex_unlock(&s->ready_mu);
        return;
    }
    Task *t = &s->tasks[s->order[item]];
    atomic_uchar *ready = &s->ready[t->unit];
    if (atomic_load_explicit(ready, memory_order_acquire) == UNIT_PREPARING) {
        pthread_mutex_lock(&s->ready_mu);
        while (atomic_load_explicit(ready, memory_order_acquire) == UNIT_PREPARING) pthread_cond_wait(&s->ready_cv, &s->ready_mu);
        pthread_mutex_unlock(&s->ready_mu);
    }
    if (atomic_load_explicit(ready, memory_order_acquire) == UNIT_READY) run_task(s, worker, t);
}

/* The index of unit `id`, which step() has seen, `last` the previous
 * event's: read only, so the pieces of positions_by_unit may ask at once. */
static uint32_t known_unit(const Stream *s, uint32_t last, StrId id)
{
    if (last != ZNONE && s->units[last].u.id == id) return last;
    if (s->nunits <= 8) {
        for (uint32_t k = 0; k < s->nunits; k++)
            if (s->units[k].u.id == id) return k;
        return ZNONE;
    }
    uint32_t pos = 0;
    for (uint32_t i; (i = hidx_next(&s->unit_index, hidx_hash_id(id), &pos)) != HIDX_NONE;)
        if (s->units[i].u.id == id) return i;
    return ZNONE;
}

/* positions_by_unit in pieces: nparts ranges of the events, and per range
 * and unit its events in the step (counted, then the next place in pos) and
 * its new ones. */
typedef struct Positions {
    Stream *s;
    uint32_t nparts;
    uint32_t *at, *news;
    uint32_t **pos;
} Positions;

static void part_range(const Positions *ps, uint32_t part, uint32_t *from, uint32_t *to)
{
    uint64_t n = ps->s->ds->nevents;
    *from = (uint32_t)(n * part / ps->nparts);
    *to = (uint32_t)(n * (part + 1) / ps->nparts);
}

/* Pool job: the units of the part-th range's events, counted. */
static void count_part(void *ctx, uint32_t worker, uint32_t part)
{
    (void)worker;
    Positions *ps = ctx;
    Stream *s = ps->s;
    uint32_t *at = ps->at + (size_t)part * s->nunits, *news = ps->news + (size_t)part * s->nunits;
    uint32_t from, to, k = ZNONE;
    part_range(ps, part, &from, &to);
    for (uint32_t i = from; i < to; i++) {
        const Event *e = &s->ds->events[i];
        k = known_unit(s, k, e->unit); /* every event's unit has a state: step() made them */
        s->slot_of[i] = k;
        if (k == ZNONE) continue;
        if (s->units[k].skip || !in_range(s, &s->units[k], e)) { s->slot_of[i] = ZNONE; continue; }
        at[k]++;
        if (i >= s->first_new) news[k]++;
    }
}

/* Pool job: the part-th range's events into their units' positions. */
static void fill_part(void *ctx, uint32_t worker, uint32_t part)
{
    (void)worker;
    Positions *ps = ctx;
    uint32_t *at = ps->at + (size_t)part * ps->s->nunits, *slot_of = ps->s->slot_of;
    uint32_t from, to;
    part_range(ps, part, &from, &to);
    for (uint32_t i = from; i < to; i++)
        if (slot_of[i] != ZNONE) ps->pos[slot_of[i]][at[slot_of[i]]++] = i;
}

/* Each event's unit (s->slot_of; ZNONE: not judged: another unit asked for,
 * or outside the range) and the positions of each unit's events in the
 * window (s->count of them), in ranges of the events on the workers. NULL
 * when out of memory. */
static uint32_t **positions_by_unit(Stream *s)
{
    Dataset *ds = s->ds;
    uint32_t nu = s->nunits;
    Positions ps = {s, s->pool && ds->nevents >= 65536 ? 2 * s->nworkers : 1, NULL, NULL, NULL};
    free(s->count);
    free(s->slot_of);
    s->count = calloc(nu + 1u, sizeof(uint32_t));
    s->slot_of = malloc(sizeof(uint32_t) * (ds->nevents + 1u));
    ps.pos = calloc(nu + 1u, sizeof(uint32_t *));
    ps.at = calloc((size_t)ps.nparts * nu + 1u, sizeof(uint32_t));
    ps.news = calloc((size_t)ps.nparts * nu + 1u, sizeof(uint32_t));
    bool ok = s->count && s->slot_of && ps.pos && ps.at && ps.news;
    if (ok) pool_run(s->pool, ps.nparts, count_part, &ps);
    for (uint32_t k = 0; ok && k < nu; k++) {
        for (uint32_t part = 0; part < ps.nparts; part++) {
            uint32_t n = ps.at[(size_t)part * nu + k];
            ps.at[(size_t)part * nu + k] = s->count[k]; /* where the part's events of unit k go */
            s->count[k] += n;
            s->units[k].events += ps.news[(size_t)part * nu + k];
        }
        ok = (ps.pos[k] = malloc(sizeof(uint32_t) * (s->count[k] + 1u))) != NULL;
    }
    if (ok) pool_run(s->pool, ps.nparts, fill_part, &ps);
    for (uint32_t k = 0; !ok && ps.pos && k < nu; k++) free(ps.pos[k]);
    free(ps.at);
    free(ps.news);
    if (ok) return ps.pos;
    free(ps.pos);
    return NULL;
}

/* By decreasing number of events in the step (count[k]), then unit index. */
static int cmp_unit_events(const void *a, const void *b, void *count)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    const uint32_t *c = count;
    if (c[x] != c[y]) return c[x] > c[y] ? -1 : 1;
    return x < y ? -1 : x > y;
}

/* Task t's kept verdicts and notes, in the order its worker gave them, into
 * the result: dedupe by identity as they come (verdict.h). Once: its
 * records are then none. */
static void replay_task(Stream *s, Task *t)
{
    Worker *w = &s->workers[t->worker];
    RunResult *o = s->out;
    for (uint32_t i = t->kept_from; i < t->kept_to && !s->failed; i++) {
        const Kept *k = &w->kept[i];
        if (!k->is_note) {
            if (!verdict_emit(&s->verdicts, &k->id, k->message, &s->scratch))
                s->failed = true;
            continue;
        }
        if (o->njudged == o->judged_cap) {
            Judged *j = array_grow(o->judged, &o->judged_cap, sizeof(Judged), 64);
            if (!j) { s->failed = true; return; }
            o->judged = j;
        }
        o->judged[o->njudged++] = k->note;
    }
    t->kept_to = t->kept_from;
}

/* Unit us's runs still undecided after the step: its tasks', in task order.
 * False when out of memory. */
static bool gather_deferred(Stream *s, UnitState *us)
{
    uint32_t n = 0;
    for (uint32_t i = us->task_from; i < us->task_to; i++) n += s->tasks[i].ndeferred;
    if (n > us->cap) {
        Deferred *d = realloc(us->deferred, sizeof(Deferred) * n);
        if (!d) return false;
        us->deferred = d;
        us->cap = n;
    }
    us->ndeferred = 0;
    for (uint32_t i = us->task_from; i < us->task_to; i++) {
        Task *t = &s->tasks[i];
        if (t->ndeferred) memcpy(us->deferred + us->ndeferred, t->deferred, sizeof(Deferred) * t->ndeferred);
        us->ndeferred += t->ndeferred;
    }
    return true;
}

/* On several workers, the deferred runs and new events of a task: about
 * TASK_SHARE tasks a worker (enough that the workers finish together, few
 * enough that claiming one costs nothing), of TASK_MIN to TASK_MAX each. */
enum { TASK_SHARE = 16, TASK_MIN = 16, TASK_MAX = 16384 };

/* The step's units judged: on one worker unit by unit, each unit's events
 * freed (holding every event) once judged; on several, in one pool job
 * (judge_item). False when out of memory. */
static bool judge_units(Stream *s)
{
    bool release = s->final || !s->streaming; /* a streaming step keeps the indexes for forget.c to trim (unit_forget) */
    s->ntasks = 0;
    if (!s->pool) {
        for (uint32_t k = 0; k < s->nunits; k++) {
            if (!s->pos[k]) continue;
            if (!prepare_unit(s, k) || !plan_unit(s, k, UINT32_MAX)) return false;
            for (uint32_t i = s->units[k].task_from; i < s->units[k].task_to; i++) run_task(s, 0, &s->tasks[i]);
            /* into the result now, in the replay's order: the worker holds
             * the records of one unit, not of the whole step */
            for (uint32_t i = s->units[k].task_from; i < s->units[k].task_to; i++) replay_task(s, &s->tasks[i]);
            s->workers[0].nkept = 0;
            arena_reset(&s->workers[0].arena);
            if (release) unit_free_events(&s->units[k].u, s->p);
        }
        return true;
    }
    uint32_t *units = malloc(sizeof(uint32_t) * (s->nunits + 1u));
    s->ready = calloc(s->nunits + 1u, sizeof(atomic_uchar));
    bool ok = units && s->ready;
    s->nprepare = 0;
    for (uint32_t k = 0; ok && k < s->nunits; k++)
        if (s->pos[k]) units[s->nprepare++] = k;
    if (ok) qsort_r(units, s->nprepare, sizeof(uint32_t), cmp_unit_events, s->count);
    uint64_t runs = 0;
    for (uint32_t i = 0; ok && i < s->nprepare; i++)
        runs += s->units[units[i]].ndeferred + (s->units[units[i]].u.nevs - first_new_position(s, &s->units[units[i]]));
    uint64_t piece = runs / ((uint64_t)s->nworkers * TASK_SHARE);
    piece = piece < TASK_MIN ? TASK_MIN : piece > TASK_MAX ? TASK_MAX : piece;
    for (uint32_t k = 0; ok && k < s->nunits; k++) ok = !s->pos[k] || plan_unit(s, k, (uint32_t)piece); /* in unit order: the replay's */
    s->order = ok ? malloc(sizeof(uint32_t) * ((size_t)s->nprepare + s->ntasks + 1u)) : NULL;
    if (s->order) {
        uint32_t n = 0;
        for (uint32_t i = 0; i < s->nprepare; i++) s->order[n++] = units[i];
        for (uint32_t i = 0; i < s->nprepare; i++)
            for (uint32_t t = s->units[units[i]].task_from; t < s->units[units[i]].task_to; t++) s->order[n++] = t;
        pool_run(s->pool, n, judge_item, s);
    }
    ok = s->order != NULL;
    free(s->order);
    free((void *)s->ready);
    free(units);
    s->order = NULL;
    s->ready = NULL;
    for (uint32_t k = 0; release && k < s->nunits; k++)
        if (s->pos[k]) unit_free_events(&s->units[k].u, s->p);
    return ok;
}

/* Frees the tasks' deferred runs (after gather_deferred, or on failure). */
static void tasks_clear(Stream *s)
{
    for (uint32_t i = 0; i < s->ntasks; i++) free(s->tasks[i].deferred);
    s->ntasks = 0;
}

/* Evaluates what the events read so far decide. Returns 0, 1 when an event
 * arrived out of time order after a step (the caller runs again with every
 * event held: window 0), or -1 when out of memory. */
static int step(Stream *s, bool final)
{
    const Program *p = s->p;
    Dataset *ds = s->ds;
    /* the new events: units, their latest time, and whether they come in time order */
    for (uint32_t k = 0; k < s->nunits; k++) s->units[k].low = INT64_MAX;
    bool ordered = true;
    UnitState *us = NULL;
    for (uint32_t i = s->first_new; i < ds->nevents; i++) {
        const Event *e = &ds->events[i];
        if (!(us = event_unit(s, us, e->unit))) return -1;
        if (us->has_events && e->time < us->last && ordered) {
            ordered = false;
            s->disorder_loc = e->loc;
            snprintf(s->disorder_unit, sizeof s->disorder_unit, "%s", strtab_str(&ds->strs, e->unit));
        }
        if (!us->has_events || e->time > us->last) us->last = e->time;
        us->has_events = true;
        if (e->time < us->low) us->low = e->time;
    }
    if (!ordered && s->streaming) {
        if (s->stepped) {
            s->disorder = true;
            s->stepping = false;
            return 1;
        }
        s->streaming = false; /* nothing decided yet: hold every event and sort at the end */
        s->stepping = false;
        if (!final) return 0;
    }
    if (!final && !s->streaming) return 0;
    for (uint32_t k = 0; k < s->nunits; k++) {
        UnitState *us = &s->units[k];
        if (!us->started && us->low != INT64_MAX) {
            us->started = true;
            us->u.r0 = s->opt.has_from ? s->opt.from : period_day_start(us->low, p->meta.tz_offset);
        }
    }
    uint32_t **pos = positions_by_unit(s);
    if (!pos) return -1;
    for (uint32_t k = 0; k < s->nunits; k++) {
        UnitState *us = &s->units[k];
        if (us->skip || !us->started) {
            free(pos[k]);
            pos[k] = NULL;
            continue;
        }
        us->u.evs = pos[k]; /* the unit's from here */
        us->u.nevs = s->count[k];
        us->u.r1 = s->opt.has_as_of ? s->opt.as_of : us->last;
    }
    s->pos = pos;
    s->final = final;
    if (!judge_units(s)) s->failed = true;
    /* the verdicts into the result, task by task as one worker would have given them */
    for (uint32_t i = 0; i < s->ntasks && !s->failed; i++) replay_task(s, &s->tasks[i]);
    for (uint32_t k = 0; k < s->nunits && !s->failed; k++)
        if (pos[k] && !gather_deferred(s, &s->units[k])) s->failed = true;
    tasks_clear(s);
    for (uint32_t i = 0; i < s->nworkers; i++) {
        Worker *w = &s->workers[i];
        if (w->failed) s->failed = true;
        s->out->rule_runs += w->rule_runs;
        w->rule_runs = 0;
        w->nkept = 0;
        arena_reset(&w->arena);
    }
    arena_reset(&s->scratch);
    free(pos);
    if (s->scratch.failed || s->out->arena.failed) s->failed = true;
    s->pos = NULL;
    if (s->failed) return -1;
    if (!final) {
        if (!forget_events(s, s->slot_of)) return -1;
        /* strings: when they have doubled since the last compaction, or since
         * the first step (the reference tables' came before it): amortised */
        if (!s->stepped) s->strings_kept = ds->strs.n;
        s->stepped = true;
        if (ds->strs.n > 2 * s->strings_kept + s->window && (!strgc_collect(s) || !unit_index_rebuild(s) || !forget_rehash(s)))
            return -1;
        /* the next step after at least window new events, or half the events
         * held: the work of a step grows with the events held (a few bit tests
         * and copies an event: forget.c, unit_forget), so it stays linear in
         * the log, and at most 1.5 times as many are held */
        uint32_t more = ds->nevents / 2 > s->window ? ds->nevents / 2 : s->window;
        s->step_at = ds->nevents + more;
    }
    s->first_new = ds->nevents;
    return 0;
}

int stream_event_added(Stream *s)
{
    if (!s->stepping || s->ds->nevents < s->step_at) return 0;
    int rc = step(s, false);
    if (rc < 0) s->failed = true;
    return rc;
}

Stream *stream_new(const Program *p, Dataset *ds, const RunOptions *opt, RunResult *out)
{
    memset(out, 0, sizeof *out);
    arena_init(&out->arena);
    Stream *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->p = p;
    s->ds = ds;
    s->opt = *opt;
    s->out = out;
    arena_init(&s->vm.scratch);
    s->by_type_count = calloc(p->nevent_types + 1u, sizeof(uint32_t));
    s->by_type = calloc(p->nevent_types + 1u, sizeof(uint32_t *));
    s->keep_count = calloc(p->nevent_types + 1u, sizeof(uint32_t));
    s->keep_by_type = calloc(p->nevent_types + 1u, sizeof(uint32_t *));
    if (!s->by_type_count || !s->by_type || !s->keep_count || !s->keep_by_type) goto oom;
    for (uint32_t t = 0; t < p->nevent_types; t++) {
        s->by_type[t] = malloc(sizeof(uint32_t) * (p->nrules + 1u));
        s->keep_by_type[t] = malloc(sizeof(uint32_t) * (p->nretains + 1u));
        if (!s->by_type[t] || !s->keep_by_type[t]) goto oom;
        for (uint32_t r = 0; r < p->nrules; r++)
            if (!p->rules[r].disabled && !p->rules[r].periodic && (p->rules[r].trigger_mask & ((uint64_t)1 << t)))
                s->by_type[t][s->by_type_count[t]++] = r;
        for (uint32_t k = 0; k < p->nretains; k++)
            if (t < 64 && (p->retains[k].mask & ((uint64_t)1 << t))) s->keep_by_type[t][s->keep_count[t]++] = k;
    }
    s->verdicts.out = out;
    s->verdicts.ds = ds;
    s->host.ctx = s;
    s->host.verdict = host_no_verdict;
    s->host.person_name = host_main_person_name;
    s->host.reads = &s->reads;
    s->host.trace = opt->trace;
    Vm *vm = &s->vm;
    vm->host = &s->host;
    vm->roster = vm_roster_cols(p);
    vm->p = p;
    vm->ds = ds;
    for (int d = 1; d <= 7; d++) {
        char name[2] = {(char)('0' + d), 0};
        vm->weekday[d] = strtab_intern(&ds->strs, name, 1);
    }
    arena_init(&s->scratch);
    if (opt->jobs > 1) {
        if (pthread_mutex_init(&s->ready_mu, NULL) != 0) goto oom;
        if (pthread_cond_init(&s->ready_cv, NULL) != 0) {
            pthread_mutex_destroy(&s->ready_mu);
            goto oom;
        }
        s->gate = true;
        if (!(s->pool = pool_new(opt->jobs))) goto oom;
    }
    s->nworkers = s->pool ? pool_workers(s->pool) : 1;
    s->workers = calloc(s->nworkers, sizeof(Worker));
    if (!s->workers) goto oom;
    for (uint32_t i = 0; i < s->nworkers; i++) {
        Worker *w = &s->workers[i];
        w->s = s;
        w->vm = *vm;
        arena_init(&w->vm.scratch);
        arena_init(&w->arena);
        w->host.ctx = w;
        w->host.verdict = host_verdict;
        w->host.person_name = host_person_name;
        w->host.reads = &w->reads;
        w->host.trace = opt->trace;
        w->vm.host = &w->host;
    }
    s->window = opt->window;
    s->streaming = opt->window > 0;
    s->stepping = s->streaming;
    s->step_at = s->window;
    return s;
oom:
    stream_free(s);
    return NULL;
}

int stream_finish(Stream *s)
{
    if (s->disorder) return 1;
    int rc = step(s, true);
    if (rc) return rc;
    RunResult *out = s->out;
    out->units = arena_alloc(&out->arena, sizeof(UnitSummary) * (s->nunits + 1u));
    if (!out->units) return -1;
    for (uint32_t k = 0; k < s->nunits; k++) {
        const UnitState *us = &s->units[k];
        if (us->skip || !us->started) continue;
        UnitSummary *sum = &out->units[out->nunits++];
        sum->unit = us->u.id;
        sum->r0 = us->u.r0;
        sum->r1 = s->opt.has_as_of ? s->opt.as_of : us->last;
        sum->events = us->events;
    }
    verdict_sort(out, &s->ds->strs);
    return 0;
}

void stream_free(Stream *s)
{
    if (!s) return;
    const Program *p = s->p;
    for (uint32_t k = 0; k < s->nunits; k++) {
        if (!s->units[k].skip) unit_free_rows(&s->units[k].u, p);
        earliest_free(&s->units[k].u.early);
        free(s->units[k].done_to);
        free(s->units[k].deferred);
    }
    free(s->units);
    hidx_free(&s->unit_index);
    forget_free(&s->forget, p->nretains);
    for (uint32_t t = 0; t < p->nevent_types; t++) {
        if (s->by_type) free(s->by_type[t]);
        if (s->keep_by_type) free(s->keep_by_type[t]);
    }
    free(s->by_type);
    free(s->by_type_count);
    free(s->keep_by_type);
    free(s->keep_count);
    free(s->count);
    free(s->slot_of);
    tasks_clear(s);
    free(s->tasks);
    verdict_free(&s->verdicts);
    arena_free(&s->vm.scratch);
    pool_free(s->pool);
    if (s->gate) {
        pthread_cond_destroy(&s->ready_cv);
        pthread_mutex_destroy(&s->ready_mu);
    }
    for (uint32_t i = 0; s->workers && i < s->nworkers; i++) {
        arena_free(&s->workers[i].vm.scratch);
        arena_free(&s->workers[i].arena);
        free(s->workers[i].kept);
    }
    free(s->workers);
    arena_free(&s->scratch);
    free(s);
}

