/* engine.c - what to run, for which unit, over which periods and events:
 * units and their checked ranges, the judged periods of periodic rules
 * (whole periods inside the range, exemptions), the triggering events of the
 * others (dispatched by event type), and the verdicts, each identity once.
 *
 * It runs in steps over a window of events (docs/runtime.md, "Streaming"):
 * each step judges what the events read so far decide — a run is kept only
 * if nothing it read can still change (vm.need_data, vm.need_r1), else it is
 * retried at a later step — then forgets the events no later run can read
 * (the program's retention entries) and the strings only they used. Given
 * every event at once (engine_run), a single final step is the batch run. */
#define _GNU_SOURCE /* qsort_r: comparisons that need the data set, without globals */
#include "engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "vm.h"
#include "ztime.h"

enum { DAY = 86400, WEEK = 7 * DAY };

static int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
static int64_t ceil_div(int64_t a, int64_t b) { return -floor_div(-a, b); }

/* ---- units ------------------------------------------------------------------------ */

static bool row_applies(const Record *r, StrId unit, bool calendar)
{
    if (!r->has_unit) return true;
    if (calendar && r->unit == 0) return true; /* empty unit: every unit */
    return r->unit == unit;
}

const char *engine_person_name(const Dataset *ds, StrId unit, StrId person)
{
    const Program *p = ds->prog;
    for (uint32_t t = 0; t < p->ntables; t++) {
        if (p->tables[t].kind != ZT_ROSTER) continue;
        int fp = zt_field(p, &p->tables[t], "person"), fn = zt_field(p, &p->tables[t], "name");
        if (fp < 0 || fn < 0) return NULL;
        const char *found = NULL;
        for (uint32_t k = 0; k < ds->tables[t].n; k++) {
            const Record *r = &ds->tables[t].rows[k];
            if (!row_applies(r, unit, false)) continue;
            if (r->cells[fp].tag == CELL_STR && r->cells[fp].s == person && r->cells[fn].tag == CELL_STR)
                found = strtab_str(&ds->strs, r->cells[fn].s);
        }
        return found;
    }
    return NULL;
}

/* ---- verdicts ------------------------------------------------------------------------ */


static uint64_t verdict_hash(const Violation *v, const List *subjects)
{
    uint64_t h = 1469598103934665603ull;
#define MIX(x) (h = (h ^ (uint64_t)(x)) * 1099511628211ull)
    MIX(v->rule);
    MIX(v->unit);
    MIX(v->pending);
    if (v->periodic) { MIX(v->from); MIX(v->to); } else MIX(v->trigger_order);
    for (uint32_t i = 0; i < subjects->n; i++) MIX(subjects->items[i]);
#undef MIX
    return h;
}

static bool same_identity(const Violation *a, const Violation *b, const List *subjects)
{
    if (a->rule != b->rule || a->unit != b->unit || a->pending != b->pending || a->periodic != b->periodic) return false;
    if (a->periodic ? (a->from != b->from || a->to != b->to) : a->trigger_order != b->trigger_order) return false;
    if (a->nsubjects != subjects->n) return false;
    /* a->subjects is sorted by string; compare as sets */
    for (uint32_t i = 0; i < subjects->n; i++) {
        bool found = false;
        for (uint32_t k = 0; k < a->nsubjects && !found; k++) found = a->subjects[k] == subjects->items[i];
        if (!found) return false;
    }
    return true;
}

static int cmp_strid_by_text(const void *a, const void *b, void *strs)
{
    return strcmp(strtab_str(strs, *(const StrId *)a), strtab_str(strs, *(const StrId *)b));
}

static void fill_verdict(Vm *vm, Violation *v, const Violation *probe, const List *subjects, const List *evidence,
                         const char *message);

void engine_emit(Vm *vm, bool pending, const List *subjects, const List *evidence, const char *message)
{
    RunResult *out = vm->out;
    Violation probe = {0};
    probe.rule = vm->rule;
    probe.unit = vm->unit->id;
    probe.pending = pending;
    probe.periodic = vm->periodic;
    probe.from = vm->from;
    probe.to = vm->to;
    probe.row = vm->periodic ? vm->period_row : ZNONE;
    if (!vm->periodic) {
        const Event *t = &vm->ds->events[vm->trigger];
        probe.trigger_id = t->id;
        probe.trigger_time = t->time;
        probe.trigger_order = t->order;
        probe.trigger_loc = t->loc;
    }
    Seen *seen = vm->seen;
    if ((seen->nused + 1) * 2 > seen->nslots) {
        uint32_t n = 1024;
        while (n < (out->n + 1) * 4) n *= 2;
        uint32_t *slots = malloc(sizeof(uint32_t) * n);
        if (!slots) abort();
        memset(slots, 0xFF, sizeof(uint32_t) * n);
        for (uint32_t i = 0; i < out->n; i++) {
            const Violation *v = &out->v[i];
            List *l = arena_alloc(&vm->scratch, sizeof(List) + sizeof(StrId) * v->nsubjects);
            /* rehash needs the id-sorted subjects */
            l->n = v->nsubjects;
            memcpy(l->items, v->subjects, sizeof(StrId) * v->nsubjects);
            for (uint32_t a = 1; a < l->n; a++)
                for (uint32_t b = a; b > 0 && l->items[b - 1] > l->items[b]; b--) {
                    StrId t = l->items[b]; l->items[b] = l->items[b - 1]; l->items[b - 1] = t;
                }
            uint32_t h = (uint32_t)verdict_hash(v, l) & (n - 1);
            while (slots[h] != UINT32_MAX) h = (h + 1) & (n - 1);
            slots[h] = i;
        }
        free(seen->slots);
        seen->slots = slots;
        seen->nslots = n;
        seen->nused = out->n;
    }
    uint32_t h = (uint32_t)verdict_hash(&probe, subjects) & (seen->nslots - 1);
    while (seen->slots[h] != UINT32_MAX) {
        /* slots past the end belong to verdicts taken back (run_end) */
        uint32_t k = seen->slots[h];
        if (k < out->n && same_identity(&out->v[k], &probe, subjects)) {
            /* reported already. Two calendar rows can give the same period:
             * the row judged first when every event is held (the lower one)
             * has its verdict reported, whichever step judges it */
            if (probe.row >= out->v[k].row) return;
            if (vm->nundo == vm->undo_cap) {
                vm->undo_cap = vm->undo_cap ? vm->undo_cap * 2 : 16;
                vm->undo = realloc(vm->undo, sizeof(Violation) * vm->undo_cap);
                vm->undo_at = realloc(vm->undo_at, sizeof(uint32_t) * vm->undo_cap);
                if (!vm->undo || !vm->undo_at) abort();
            }
            vm->undo[vm->nundo] = out->v[k];
            vm->undo_at[vm->nundo++] = k;
            fill_verdict(vm, &out->v[k], &probe, subjects, evidence, message);
            return;
        }
        h = (h + 1) & (seen->nslots - 1);
    }
    if (out->n == out->cap) {
        uint32_t cap = out->cap ? out->cap * 2 : 256;
        Violation *v = realloc(out->v, sizeof(Violation) * cap);
        if (!v) abort();
        out->v = v;
        out->cap = cap;
    }
    seen->slots[h] = out->n;
    seen->nused++;
    fill_verdict(vm, &out->v[out->n++], &probe, subjects, evidence, message);
}

/* A verdict's stored form: the identity, then copies of the lists and message. */
static void fill_verdict(Vm *vm, Violation *v, const Violation *probe, const List *subjects, const List *evidence,
                         const char *message)
{
    RunResult *out = vm->out;
    *v = *probe;
    v->nsubjects = subjects->n;
    v->subjects = arena_alloc(&out->arena, sizeof(StrId) * (subjects->n + 1));
    memcpy(v->subjects, subjects->items, sizeof(StrId) * subjects->n);
    qsort_r(v->subjects, v->nsubjects, sizeof(StrId), cmp_strid_by_text, &vm->ds->strs);
    v->nevidence = evidence->n;
    v->evidence = arena_alloc(&out->arena, sizeof(StrId) * (evidence->n + 1));
    memcpy(v->evidence, evidence->items, sizeof(StrId) * evidence->n);
    qsort_r(v->evidence, v->nevidence, sizeof(StrId), cmp_strid_by_text, &vm->ds->strs);
    /* where each evidence event was read: the events may be gone by report time */
    v->evidence_loc = arena_alloc(&out->arena, sizeof(uint32_t) * (evidence->n + 1));
    for (uint32_t i = 0; i < v->nevidence; i++) {
        uint32_t e = vm_event_by_id(vm, v->evidence[i]);
        v->evidence_loc[i] = e == ZNONE ? 0 : vm->ds->events[e].loc;
    }
    v->message = arena_strdup(&out->arena, message);
}

/* ---- periods ----------------------------------------------------------------------------- */

typedef struct Interval {
    int64_t from, to;
    uint32_t row;
} Interval;

/* The rows of calendar `table` that apply to the unit and pass `filter`. */
static Interval *calendar_rows(Vm *vm, uint32_t table, uint32_t filter, uint32_t *count)
{
    const Program *p = vm->p;
    const ZTable *t = &p->tables[table];
    int ff = zt_field(p, t, "from"), ft = zt_field(p, t, "to");
    uint32_t n = vm->unit->nrows[table];
    Interval *out = malloc(sizeof(Interval) * (n + 1));
    if (!out) abort();
    *count = 0;
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
        const Record *r = &vm->ds->tables[table].rows[row];
        out[*count].from = r->cells[ff].tag == CELL_TIME ? r->cells[ff].i : INT64_MIN;
        out[*count].to = r->cells[ft].tag == CELL_TIME ? r->cells[ft].i : INT64_MAX;
        out[*count].row = row;
        (*count)++;
    }
    arena_reset(&vm->scratch);
    return out;
}

typedef struct Stream Stream;
typedef struct UnitState UnitState;

typedef struct PeriodCtx {
    Vm *vm;
    Stream *s;
    UnitState *us;
    const ZRule *r;
    uint32_t rule;
    bool final;
    int64_t done_to;       /* periods ending at or before it were judged in an earlier step */
    int64_t until;         /* periods ending after it wait for a later step */
    Interval *exempt;
    uint32_t nexempt;
} PeriodCtx;

static bool judge_period(Stream *s, UnitState *us, uint32_t rule, bool final, int64_t a, int64_t b, uint16_t table, uint32_t row);
static void note_judged(Stream *s, const UnitState *us, uint32_t rule, JudgedKind kind, int64_t a, int64_t b, uint32_t order);
static void defer_period(UnitState *us, uint32_t rule, int64_t a, int64_t b, uint16_t table, uint32_t row);

/* A period of the rule: judged when it lies inside the range known so far and
 * was not judged before, unless an exemption overlaps it. */
static void judge(PeriodCtx *pc, int64_t a, int64_t b, uint16_t table, uint32_t row)
{
    Vm *vm = pc->vm;
    if (a < vm->unit->r0 || b > pc->until || a >= b || b <= pc->done_to) return;
    for (uint32_t i = 0; i < pc->nexempt; i++)
        if (pc->exempt[i].from < b && a < pc->exempt[i].to) { note_judged(pc->s, pc->us, pc->rule, JUDGED_EXEMPT, a, b, 0); return; }
    if (!judge_period(pc->s, pc->us, pc->rule, pc->final, a, b, table, row)) defer_period(pc->us, pc->rule, a, b, table, row);
}

/* Local midnight of the first day starting at or after t. */
static int64_t first_midnight(int64_t t, int64_t tz) { return ceil_div(t + tz, DAY) * DAY - tz; }

static int64_t first_monday(int64_t t, int64_t tz)
{
    int64_t d = ceil_div(t + tz, DAY);
    d += (7 - zt_weekday_from_days(d)) % 7;
    return d * DAY - tz;
}

static int64_t month_start(int64_t y, unsigned m, int64_t tz) { return zt_days_from_civil(y, m, 1) * DAY - tz; }

static int cmp_interval(const void *a, const void *b)
{
    const Interval *x = a, *y = b;
    if (x->from != y->from) return x->from < y->from ? -1 : 1;
    if (x->to != y->to) return x->to < y->to ? -1 : 1;
    return x->row < y->row ? -1 : x->row > y->row;
}

/* Enumerates the rule's periods that end inside the range known so far. */
static void run_periodic(PeriodCtx *pcp)
{
    PeriodCtx pc = *pcp;
    Vm *vm = pc.vm;
    const ZRule *r = pc.r;
    const Program *p = vm->p;
    int64_t tz = p->meta.tz_offset, r0 = vm->unit->r0, r1 = vm->unit->r1;
    if (r->unless_table != ZNONE) pc.exempt = calendar_rows(vm, r->unless_table, r->unless_filter, &pc.nexempt);
    switch (r->period) {
    case ZP_DAY:
        for (int64_t a = first_midnight(r0, tz); a + DAY <= r1; a += DAY) judge(&pc, a, a + DAY, 0xFFFF, ZNONE);
        break;
    case ZP_WEEK:
        for (int64_t a = first_monday(r0, tz); a + WEEK <= r1; a += WEEK) judge(&pc, a, a + WEEK, 0xFFFF, ZNONE);
        break;
    case ZP_MONTH:
    case ZP_YEAR: {
        int64_t y;
        unsigned m, d;
        zt_civil_from_days(floor_div(r0 + tz, DAY), &y, &m, &d);
        if (r->period == ZP_YEAR) m = 1;
        int64_t a = month_start(y, m, tz);
        while (a < r0) {
            if (r->period == ZP_YEAR) y++;
            else if (++m > 12) { m = 1; y++; }
            a = month_start(y, m, tz);
        }
        for (;;) {
            int64_t ny = y;
            unsigned nm = m;
            if (r->period == ZP_YEAR) ny++;
            else if (++nm > 12) { nm = 1; ny++; }
            int64_t b = month_start(ny, nm, tz);
            if (b > r1) break;
            judge(&pc, a, b, 0xFFFF, ZNONE);
            a = b;
            y = ny;
            m = nm;
        }
        break;
    }
    case ZP_WEEKS: {
        int64_t len = (int64_t)r->weeks * WEEK;
        if (r->anchor == ZA_TIME) {
            int64_t anchor = p->consts[r->anchor_const].value;
            for (int64_t a = anchor + ceil_div(r0 - anchor, len) * len; a + len <= r1; a += len) judge(&pc, a, a + len, 0xFFFF, ZNONE);
            break;
        }
        /* origins: the first Monday of the range until the first anchor, then
         * each anchor until the next (the cycle straddling it is kept) */
        uint32_t na = 0;
        Interval *anchors = r->anchor == ZA_CALENDAR ? calendar_rows(vm, r->period_table, r->period_filter, &na) : NULL;
        int64_t *starts = malloc(sizeof(int64_t) * (na + 2));
        if (!starts) abort();
        uint32_t ns = 0;
        for (uint32_t i = 0; i < na; i++)
            if (anchors[i].from != INT64_MIN) starts[ns++] = anchors[i].from;
        for (uint32_t i = 1; i < ns; i++)
            for (uint32_t k = i; k > 0 && starts[k - 1] > starts[k]; k--) {
                int64_t t = starts[k]; starts[k] = starts[k - 1]; starts[k - 1] = t;
            }
        uint32_t u = 0;
        for (uint32_t i = 0; i < ns; i++)
            if (u == 0 || starts[u - 1] != starts[i]) starts[u++] = starts[i];
        ns = u;
        int64_t monday = first_monday(r0, tz);
        if (ns == 0 || monday < starts[0]) {
            int64_t limit = ns ? starts[0] : INT64_MAX;
            for (int64_t a = monday; a < limit && a + len <= r1; a += len) judge(&pc, a, a + len, 0xFFFF, ZNONE);
        }
        for (uint32_t i = 0; i < ns; i++) {
            int64_t origin = starts[i], limit = i + 1 < ns ? starts[i + 1] : INT64_MAX;
            int64_t a = origin;
            if (a < r0) a = origin + ceil_div(r0 - origin, len) * len;
            for (; a < limit && a + len <= r1; a += len) judge(&pc, a, a + len, 0xFFFF, ZNONE);
        }
        free(starts);
        free(anchors);
        break;
    }
    case ZP_CALENDAR: {
        uint32_t n = 0;
        Interval *rows = calendar_rows(vm, r->period_table, r->period_filter, &n);
        qsort(rows, n, sizeof(Interval), cmp_interval);
        for (uint32_t i = 0; i < n; i++)
            if (rows[i].from != INT64_MIN && rows[i].to != INT64_MAX)
                judge(&pc, rows[i].from, rows[i].to, (uint16_t)r->period_table, rows[i].row);
        free(rows);
        break;
    }
    }
    free(pc.exempt);
}

/* ---- the stream ------------------------------------------------------------------------ */

/* A run that could not be decided yet: a period, or a triggering event. */
typedef struct Deferred {
    uint32_t rule;
    bool periodic;
    int64_t from, to;      /* the period */
    uint16_t table;        /* its calendar row, if any */
    uint32_t row;
    uint32_t event;        /* the trigger: an index into the data set's events */
} Deferred;

struct UnitState {
    bool skip;             /* not the unit asked for (--unit) */
    bool started;          /* r0 is known */
    bool has_events;       /* an event of the unit has been read */
    int64_t last;          /* the latest event time seen */
    int64_t low;           /* scratch: the earliest event time in this step */
    uint32_t events;       /* events inside the range, so far */
    Unit u;                /* reference rows built once; events and indexes per step */
    int64_t *done_to;      /* per rule: periods ending at or before it are judged */
    Deferred *deferred;
    uint32_t ndeferred, cap;
};

struct Stream {
    const Program *p;
    Dataset *ds;
    RunOptions opt;
    RunResult *out;
    Vm vm;
    Seen seen;
    uint32_t **by_type, *by_type_count;   /* triggered rules per event type */
    uint32_t **keep_by_type, *keep_count; /* retention entries per event type */
    UnitState *units;
    uint32_t nunits, cap;
    uint32_t *unit_slots, unit_nslots;    /* unit string -> index into units */
    uint32_t first_new;                   /* events before it were evaluated */
    bool streaming;                       /* steps before the end (events in time order per unit) */
    bool stepped;                         /* a step before the end has run */
    bool disorder;                        /* an event came too late: run again holding everything */
    uint32_t disorder_loc;                /* where */
    char disorder_unit[128];
    uint32_t window;                      /* events read between steps, at least */
    uint32_t strings_kept;                /* strings after the last compaction */
};

static void unit_build_rows(Unit *u, const Program *p, const Dataset *ds)
{
    u->rows = calloc(p->ntables + 1u, sizeof(uint32_t *));
    u->nrows = calloc(p->ntables + 1u, sizeof(uint32_t));
    u->keyed = calloc(p->ntables + 1u, sizeof(KeyedIndex));
    u->fields = calloc(p->log.nfields + 1u, sizeof(FieldIndex));
    if (!u->rows || !u->nrows || !u->keyed || !u->fields) abort();
    for (uint32_t t = 0; t < p->ntables; t++) {
        const TableData *td = &ds->tables[t];
        u->rows[t] = malloc(sizeof(uint32_t) * (td->n + 1u));
        if (!u->rows[t]) abort();
        for (uint32_t k = 0; k < td->n; k++)
            if (row_applies(&td->rows[k], u->id, p->tables[t].kind == ZT_CALENDAR)) u->rows[t][u->nrows[t]++] = k;
        if (p->tables[t].kind != ZT_KEYED) continue;
        KeyedIndex *kx = &u->keyed[t];
        kx->nslots = 16;
        while (kx->nslots < u->nrows[t] * 2 + 16) kx->nslots *= 2;
        kx->slots = malloc(sizeof(uint32_t) * kx->nslots);
        if (!kx->slots) abort();
        memset(kx->slots, 0xFF, sizeof(uint32_t) * kx->nslots);
        int key = p->tables[t].key;
        for (uint32_t k = 0; k < u->nrows[t]; k++) {
            uint32_t row = u->rows[t][k];
            const Cell *c = &td->rows[row].cells[key];
            if (c->tag != CELL_STR) continue;
            uint32_t h = hash32(c->s) & (kx->nslots - 1);
            while (kx->slots[h] != UINT32_MAX && td->rows[kx->slots[h]].cells[key].s != c->s) h = (h + 1) & (kx->nslots - 1);
            kx->slots[h] = row; /* the later row wins */
        }
    }
}

/* The events of one step: the positions and the field indexes built on them. */
static void unit_free_events(Unit *u, const Program *p)
{
    free(u->evs);
    u->evs = NULL;
    u->nevs = 0;
    for (uint32_t f = 0; f < p->log.nfields; f++) {
        free(u->fields[f].slots);
        free(u->fields[f].keys);
        free(u->fields[f].starts);
        free(u->fields[f].counts);
        free(u->fields[f].positions);
        memset(&u->fields[f], 0, sizeof(FieldIndex));
    }
}

static void unit_free_rows(Unit *u, const Program *p)
{
    unit_free_events(u, p);
    for (uint32_t t = 0; t < p->ntables; t++) {
        free(u->rows[t]);
        free(u->keyed[t].slots);
    }
    free(u->rows);
    free(u->nrows);
    free(u->keyed);
    free(u->fields);
    u->rows = NULL;
}

static void unit_slots_rebuild(Stream *s)
{
    uint32_t n = 64;
    while (n < s->nunits * 2 + 2) n *= 2;
    free(s->unit_slots);
    s->unit_slots = malloc(sizeof(uint32_t) * n);
    if (!s->unit_slots) abort();
    memset(s->unit_slots, 0xFF, sizeof(uint32_t) * n);
    s->unit_nslots = n;
    for (uint32_t i = 0; i < s->nunits; i++) {
        uint32_t h = hash32(s->units[i].u.id) & (n - 1);
        while (s->unit_slots[h] != UINT32_MAX) h = (h + 1) & (n - 1);
        s->unit_slots[h] = i;
    }
}

static UnitState *unit_state(Stream *s, StrId id)
{
    uint32_t h = hash32(id) & (s->unit_nslots - 1);
    while (s->unit_slots[h] != UINT32_MAX) {
        if (s->units[s->unit_slots[h]].u.id == id) return &s->units[s->unit_slots[h]];
        h = (h + 1) & (s->unit_nslots - 1);
    }
    if (s->nunits == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->units = realloc(s->units, sizeof(UnitState) * s->cap);
        if (!s->units) abort();
    }
    UnitState *us = &s->units[s->nunits++];
    memset(us, 0, sizeof *us);
    us->u.id = id;
    us->low = INT64_MAX;
    us->skip = s->opt.unit && strcmp(strtab_str(&s->ds->strs, id), s->opt.unit) != 0;
    us->done_to = malloc(sizeof(int64_t) * (s->p->nrules + 1u));
    if (!us->done_to) abort();
    for (uint32_t r = 0; r <= s->p->nrules; r++) us->done_to[r] = INT64_MIN;
    if (!us->skip) unit_build_rows(&us->u, s->p, s->ds);
    if (s->nunits * 2 > s->unit_nslots) unit_slots_rebuild(s);
    else s->unit_slots[h] = s->nunits - 1;
    return us;
}

static void push_deferred(UnitState *us, const Deferred *d)
{
    if (us->ndeferred == us->cap) {
        us->cap = us->cap ? us->cap * 2 : 16;
        us->deferred = realloc(us->deferred, sizeof(Deferred) * us->cap);
        if (!us->deferred) abort();
    }
    us->deferred[us->ndeferred++] = *d;
}

static void defer_period(UnitState *us, uint32_t rule, int64_t a, int64_t b, uint16_t table, uint32_t row)
{
    Deferred d = {rule, true, a, b, table, row, ZNONE};
    push_deferred(us, &d);
}

/* Whether the run just made can be kept: every event it read up to
 * vm.need_data has arrived, and the range reaches vm.need_r1. */
static bool settled(Stream *s, const UnitState *us, bool final)
{
    if (final) return true;
    const Vm *vm = &s->vm;
    bool all_read = s->opt.has_as_of && us->last > s->opt.as_of;
    if (!all_read && vm->need_data > us->last - 1) return false;
    if (!s->opt.has_as_of && vm->need_r1 > us->last) return false;
    return true;
}

static void run_begin(Vm *vm, uint32_t rule)
{
    vm->nundo = 0;
    vm->rule = rule;
    vm->need_data = INT64_MIN;
    vm->need_r1 = INT64_MIN;
}

/* Keeps the verdicts of a settled run, takes back those of another. Taking
 * back leaves their identity slots pointing past the end, which the lookup
 * treats as occupied by another identity: harmless. */
static bool run_end(Stream *s, const UnitState *us, bool final, uint32_t mark)
{
    Vm *vm = &s->vm;
    arena_reset(&vm->scratch);
    if (settled(s, us, final)) {
        s->out->rule_runs++;
        return true;
    }
    while (vm->nundo > 0) { /* verdicts it replaced, newest first */
        vm->nundo--;
        s->out->v[vm->undo_at[vm->nundo]] = vm->undo[vm->nundo];
    }
    s->out->n = mark;
    return false;
}

static bool judge_period(Stream *s, UnitState *us, uint32_t rule, bool final, int64_t a, int64_t b, uint16_t table, uint32_t row)
{
    Vm *vm = &s->vm;
    run_begin(vm, rule);
    vm->periodic = true;
    vm->from = a;
    vm->to = b;
    vm->period_row = row;
    Value per = {0};
    per.tag = V_PERIOD;
    per.i = a;
    per.to = b;
    per.table = table;
    per.idx = row;
    uint32_t mark = s->out->n;
    vm_call(vm, s->p->rules[rule].body, per);
    bool done = run_end(s, us, final, mark);
    if (done) note_judged(s, us, rule, JUDGED_PERIOD, a, b, 0);
    return done;
}

static bool run_trigger(Stream *s, UnitState *us, uint32_t rule, uint32_t event, bool final)
{
    Vm *vm = &s->vm;
    const ZRule *r = &s->p->rules[rule];
    run_begin(vm, rule);
    vm->periodic = false;
    vm->trigger = event;
    Value arg = {0};
    arg.tag = V_EVENT;
    arg.idx = event;
    uint32_t mark = s->out->n;
    if (r->trigger_filter != ZNONE) {
        Value ok = vm_call(vm, r->trigger_filter, arg);
        arena_reset(&vm->scratch);
        if (!(ok.tag == V_BOOL && ok.i)) return settled(s, us, final); /* not triggered, unless what the filter read may change */
    }
    vm_call(vm, r->body, arg);
    bool done = run_end(s, us, final, mark);
    const Event *e = &s->ds->events[event];
    if (done) note_judged(s, us, rule, JUDGED_TRIGGER, e->time, e->time, e->order);
    return done;
}

static void note_judged(Stream *s, const UnitState *us, uint32_t rule, JudgedKind kind, int64_t a, int64_t b, uint32_t order)
{
    RunResult *o = s->out;
    if (!s->opt.record_judged) return;
    if (o->njudged == o->judged_cap) {
        o->judged_cap = o->judged_cap ? o->judged_cap * 2 : 64;
        o->judged = realloc(o->judged, sizeof(Judged) * o->judged_cap);
        if (!o->judged) abort();
    }
    o->judged[o->njudged++] = (Judged){rule, us->u.id, (uint8_t)kind, a, b, order};
}

/* A rule's calendar filters may select events (`unless overlaps C where
 * exists(…)`): which periods are judged, and which exempt, must not change
 * afterwards, so its periods wait until what those filters read is settled. */
static bool calendars_settled(Stream *s, UnitState *us, uint32_t rule, bool final)
{
    const ZRule *r = &s->p->rules[rule];
    if (final || (!program_func_scans(s->p, r->period_filter) && !program_func_scans(s->p, r->unless_filter))) return true;
    Vm *vm = &s->vm;
    run_begin(vm, rule);
    uint32_t n;
    if (r->unless_table != ZNONE) free(calendar_rows(vm, r->unless_table, r->unless_filter, &n));
    if (r->period_table != ZNONE) free(calendar_rows(vm, r->period_table, r->period_filter, &n));
    return settled(s, us, final);
}

static int cmp_event_pos(const void *a, const void *b, void *ctx)
{
    const Dataset *ds = ctx;
    const Event *x = &ds->events[*(const uint32_t *)a], *y = &ds->events[*(const uint32_t *)b];
    if (x->time != y->time) return x->time < y->time ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static bool in_range(const Stream *s, const UnitState *us, const Event *e)
{
    return e->time >= us->u.r0 && !(s->opt.has_as_of && e->time > s->opt.as_of);
}

/* One unit's part of a step: its events in the range, the deferred runs, the
 * periods that now end inside the range, and the new triggering events. */
static void step_unit(Stream *s, UnitState *us, uint32_t *positions, uint32_t n, bool final)
{
    const Program *p = s->p;
    Dataset *ds = s->ds;
    Vm *vm = &s->vm;
    Unit *u = &us->u;
    u->evs = positions;
    u->nevs = n;
    if (!s->streaming) qsort_r(u->evs, u->nevs, sizeof(uint32_t), cmp_event_pos, ds);
    u->r1 = s->opt.has_as_of ? s->opt.as_of : us->last;
    vm->unit = u;
    /* runs deferred by earlier steps */
    uint32_t kept = 0;
    for (uint32_t i = 0; i < us->ndeferred; i++) {
        Deferred d = us->deferred[i];
        bool done = d.periodic ? judge_period(s, us, d.rule, final, d.from, d.to, d.table, d.row)
                               : run_trigger(s, us, d.rule, d.event, final);
        if (!done) us->deferred[kept++] = d;
    }
    us->ndeferred = kept;
    /* periods now inside the range */
    for (uint32_t r = 0; r < p->nrules; r++) {
        const ZRule *rule = &p->rules[r];
        if (rule->disabled || !rule->periodic) continue;
        if (!calendars_settled(s, us, r, final)) continue; /* its periods wait for a later step */
        vm->rule = r;
        /* before the end, only periods whose events have all been read */
        int64_t until = final || u->r1 < us->last ? u->r1 : us->last;
        PeriodCtx pc = {vm, s, us, rule, r, final, us->done_to[r], until, NULL, 0};
        run_periodic(&pc);
        us->done_to[r] = until;
    }
    /* new triggering events, in time order */
    for (uint32_t i = 0; i < u->nevs; i++) {
        uint32_t e = u->evs[i];
        if (e < s->first_new) continue;
        uint16_t t = ds->events[e].type;
        for (uint32_t j = 0; j < s->by_type_count[t]; j++) {
            uint32_t rule = s->by_type[t][j];
            if (!run_trigger(s, us, rule, e, final)) {
                Deferred d = {rule, false, 0, 0, 0xFFFF, ZNONE, e};
                push_deferred(us, &d);
            }
        }
    }
}

/* ---- forgetting ------------------------------------------------------------------------ */

/* The longest period of a periodic rule for the unit (INT64_MAX: unbounded). */
static int64_t longest_period(Stream *s, UnitState *us, const ZRule *r)
{
    switch (r->period) {
    case ZP_DAY: return DAY;
    case ZP_WEEK: return WEEK;
    case ZP_MONTH: return 31 * DAY;
    case ZP_YEAR: return 366 * DAY;
    case ZP_WEEKS: return (int64_t)r->weeks * WEEK;
    default: break;
    }
    const Program *p = s->p;
    const ZTable *t = &p->tables[r->period_table];
    int ff = zt_field(p, t, "from"), ft = zt_field(p, t, "to");
    int64_t longest = 0;
    for (uint32_t k = 0; k < us->u.nrows[r->period_table]; k++) {
        const Record *row = &s->ds->tables[r->period_table].rows[us->u.rows[r->period_table][k]];
        if (row->cells[ff].tag != CELL_TIME || row->cells[ft].tag != CELL_TIME) continue;
        int64_t len = row->cells[ft].i - row->cells[ff].i;
        if (len > longest) longest = len;
    }
    return longest;
}

static bool cells_alike(const Cell *a, const Cell *b)
{
    if (a->tag != b->tag) return false;
    switch (a->tag) {
    case CELL_MISSING: return true;
    case CELL_STR: return a->s == b->s;
    case CELL_LIST:
        return a->list->n == b->list->n && memcmp(a->list->items, b->list->items, sizeof(StrId) * a->list->n) == 0;
    default: return a->i == b->i;
    }
}

static uint32_t alike_hash(const Event *e, uint64_t fields, uint32_t nf)
{
    uint32_t h = hash32(e->unit) ^ e->type;
    for (uint32_t f = 0; f < nf && f < 64; f++) {
        if (!(fields & ((uint64_t)1 << f))) continue;
        const Cell *c = &e->cells[f];
        h = hash32(h ^ c->tag);
        if (c->tag == CELL_STR) h = hash32(h ^ c->s);
        else if (c->tag == CELL_LIST)
            for (uint32_t k = 0; k < c->list->n; k++) h = hash32(h ^ c->list->items[k]);
        else if (c->tag != CELL_MISSING) h = hash32(h ^ (uint32_t)c->i ^ (uint32_t)((uint64_t)c->i >> 32));
    }
    return h;
}

static bool events_alike(const Event *a, const Event *b, uint64_t fields, uint32_t nf)
{
    if (a->unit != b->unit || a->type != b->type) return false;
    for (uint32_t f = 0; f < nf && f < 64; f++)
        if ((fields & ((uint64_t)1 << f)) && !cells_alike(&a->cells[f], &b->cells[f])) return false;
    return true;
}

/* Whether retention entry z keeps event i at all: its type, the range of its
 * unit, and the entry's filter. */
static bool entry_takes(Stream *s, const ZRetain *z, uint32_t i)
{
    const Event *e = &s->ds->events[i];
    if (e->type >= 64 || !(z->mask & ((uint64_t)1 << e->type))) return false;
    if (z->filter == ZNONE) return true;
    Value arg = {0};
    arg.tag = V_EVENT;
    arg.idx = i;
    Value ok = vm_call(&s->vm, z->filter, arg);
    arena_reset(&s->vm.scratch);
    return ok.tag == V_BOOL && ok.i;
}

/* Keeps the events a later run can still read (docs/runtime.md): those
 * pinned by deferred triggers, and those a retention entry of an enabled rule
 * keeps — from the beginning, from the earliest period not yet judged, or
 * from the earliest trigger not yet run; of events alike, only the earliest
 * or latest when the entry says so. The rest are dropped and their cells
 * copied into a fresh arena. unit_of: each event's unit (the step's), or
 * ZNONE for events no rule judges. */
static void forget(Stream *s, const uint32_t *unit_of)
{
    const Program *p = s->p;
    Dataset *ds = s->ds;
    Vm *vm = &s->vm;
    uint8_t *keep = calloc(ds->nevents + 1u, 1);
    int64_t *since = malloc(sizeof(int64_t) * ((size_t)s->nunits * p->nrules + 1u));
    if (!keep || !since) abort();
    /* per unit and rule, the earliest start of a period still to judge, or the
     * earliest time of a trigger still to run (new ones come at or after the
     * unit's latest time) */
    for (uint32_t k = 0; k < s->nunits; k++) {
        UnitState *us = &s->units[k];
        int64_t *from = since + (size_t)k * p->nrules;
        for (uint32_t r = 0; r < p->nrules; r++)
            from[r] = !p->rules[r].periodic         ? us->last
                      : us->done_to[r] == INT64_MIN ? INT64_MIN
                                                    : us->done_to[r] - longest_period(s, us, &p->rules[r]);
        for (uint32_t i = 0; i < us->ndeferred; i++) {
            const Deferred *d = &us->deferred[i];
            int64_t t = d->periodic ? d->from : ds->events[d->event].time;
            if (t < from[d->rule]) from[d->rule] = t;
            if (!d->periodic) keep[d->event] = 1;
        }
    }
    /* the events each entry keeps; the units' events come in time order */
    uint32_t nslots = 16, nf = p->log.nfields;
    while (nslots < ds->nevents * 2u + 16u) nslots *= 2;
    uint32_t *alike = malloc(sizeof(uint32_t) * nslots);
    if (!alike) abort();
    for (uint32_t k = 0; k < p->nretains; k++) {
        const ZRetain *z = &p->retains[k];
        if (z->pick == ZK_ALL) continue;
        memset(alike, 0xFF, sizeof(uint32_t) * nslots);
        for (uint32_t i = 0; i < ds->nevents; i++) {
            if (unit_of[i] == ZNONE) continue;
            UnitState *us = &s->units[unit_of[i]];
            vm->unit = &us->u;
            if (!entry_takes(s, z, i)) continue;
            const Event *e = &ds->events[i];
            /* a trigger still to run may precede it */
            if (z->pick == ZK_LATEST && e->time > since[(size_t)unit_of[i] * p->nrules + z->rule]) { keep[i] = 1; continue; }
            uint32_t h = alike_hash(e, z->fields, nf) & (nslots - 1);
            while (alike[h] != UINT32_MAX && !events_alike(&ds->events[alike[h]], e, z->fields, nf)) h = (h + 1) & (nslots - 1);
            if (alike[h] == UINT32_MAX || z->pick == ZK_LATEST) alike[h] = i;
        }
        for (uint32_t h = 0; h < nslots; h++)
            if (alike[h] != UINT32_MAX) keep[alike[h]] = 1;
    }
    free(alike);
    for (uint32_t i = 0; i < ds->nevents; i++) {
        if (keep[i] || unit_of[i] == ZNONE) continue;
        UnitState *us = &s->units[unit_of[i]];
        const int64_t *from = since + (size_t)unit_of[i] * p->nrules;
        const Event *e = &ds->events[i];
        vm->unit = &us->u;
        for (uint32_t j = 0; j < s->keep_count[e->type] && !keep[i]; j++) {
            const ZRetain *z = &p->retains[s->keep_by_type[e->type][j]];
            if (z->pick != ZK_ALL) continue;
            /* |offset| <= ZT_MAX_SPAN: no overflow */
            int64_t t = z->kind == ZR_ALWAYS ? INT64_MIN : z->kind == ZR_PERIOD ? from[z->rule] : from[z->rule] + z->offset;
            if (e->time >= t && entry_takes(s, z, i)) keep[i] = 1;
        }
    }
    /* compact the events, copying what they point to */
    uint32_t *moved = malloc(sizeof(uint32_t) * (ds->nevents + 1u));
    if (!moved) abort();
    Arena cells;
    arena_init(&cells);
    uint32_t n = 0;
    for (uint32_t i = 0; i < ds->nevents; i++) {
        moved[i] = ZNONE;
        if (!keep[i]) continue;
        Event e = ds->events[i];
        Cell *c = arena_alloc(&cells, sizeof(Cell) * (nf + 1u));
        memcpy(c, e.cells, sizeof(Cell) * nf);
        for (uint32_t f = 0; f < nf; f++)
            if (c[f].tag == CELL_LIST && c[f].list) {
                size_t size = sizeof(List) + sizeof(StrId) * c[f].list->n;
                List *l = arena_alloc(&cells, size);
                memcpy(l, c[f].list, size);
                c[f].list = l;
            }
        e.cells = c;
        moved[i] = n;
        ds->events[n++] = e;
    }
    arena_free(&ds->event_arena);
    ds->event_arena = cells;
    ds->nevents = n;
    for (uint32_t k = 0; k < s->nunits; k++)
        for (uint32_t i = 0; i < s->units[k].ndeferred; i++)
            if (!s->units[k].deferred[i].periodic) s->units[k].deferred[i].event = moved[s->units[k].deferred[i].event];
    free(moved);
    free(since);
    free(keep);
}

/* Every interned string the run still holds, for marking and remapping. */
typedef void (*StrVisit)(StrId *id, void *ctx);

static void visit_cells(Cell *cells, uint32_t n, StrVisit fn, void *ctx)
{
    for (uint32_t f = 0; f < n; f++) {
        if (cells[f].tag == CELL_MISSING) continue;
        fn(&cells[f].s, ctx);
        if (cells[f].tag == CELL_LIST && cells[f].list) {
            List *l = (List *)cells[f].list;
            for (uint32_t i = 0; i < l->n; i++) fn(&l->items[i], ctx);
        }
    }
}

static void visit_strings(Stream *s, StrVisit fn, void *ctx)
{
    const Program *p = s->p;
    Dataset *ds = s->ds;
    for (uint32_t i = 0; i < p->nstrings; i++) fn(&ds->prog_str[i], ctx);
    for (uint32_t t = 0; t < p->ntables; t++)
        for (uint32_t k = 0; k < ds->tables[t].n; k++) {
            fn(&ds->tables[t].rows[k].unit, ctx);
            visit_cells(ds->tables[t].rows[k].cells, p->tables[t].nfields, fn, ctx);
        }
    for (uint32_t i = 0; i < ds->nevents; i++) {
        fn(&ds->events[i].id, ctx);
        fn(&ds->events[i].unit, ctx);
        visit_cells(ds->events[i].cells, p->log.nfields, fn, ctx);
    }
    RunResult *out = s->out;
    for (uint32_t i = 0; i < out->n; i++) {
        Violation *v = &out->v[i];
        fn(&v->unit, ctx);
        fn(&v->trigger_id, ctx);
        for (uint32_t k = 0; k < v->nsubjects; k++) fn(&v->subjects[k], ctx);
        for (uint32_t k = 0; k < v->nevidence; k++) fn(&v->evidence[k], ctx);
    }
    for (uint32_t i = 0; i < s->nunits; i++) {
        fn(&s->units[i].u.id, ctx);
    }
    for (uint32_t i = 0; i < out->njudged; i++) fn(&out->judged[i].unit, ctx);
    for (int d = 1; d <= 7; d++) fn(&s->vm.weekday[d], ctx);
}

static void mark_string(StrId *id, void *live) { ((uint8_t *)live)[*id] = 1; }
static void remap_string(StrId *id, void *map) { *id = ((const StrId *)map)[*id]; }

/* Drops the strings nothing holds any more. Ids keep their order, so sorted
 * lists stay sorted; the hash tables keyed by ids are rebuilt. */
static void forget_strings(Stream *s)
{
    Dataset *ds = s->ds;
    uint8_t *live = calloc(ds->strs.n + 1u, 1);
    if (!live) abort();
    live[0] = 1;
    visit_strings(s, mark_string, live);
    StrId *map = strtab_compact(&ds->strs, live);
    visit_strings(s, remap_string, map);
    free(map);
    free(live);
    unit_slots_rebuild(s);
    for (uint32_t i = 0; i < s->nunits; i++)
        if (!s->units[i].skip) {
            unit_free_rows(&s->units[i].u, s->p);
            unit_build_rows(&s->units[i].u, s->p, ds);
        }
    free(s->seen.slots); /* verdict identities hash the ids: rebuilt at the next verdict */
    s->seen.slots = NULL;
    s->seen.nslots = 0;
    s->seen.nused = 0;
    s->strings_kept = ds->strs.n;
}

/* ---- steps ------------------------------------------------------------------------------ */

static int step(Stream *s, bool final);

static int on_events(void *ctx) { return step(ctx, false); }

Stream *stream_new(const Program *p, Dataset *ds, const RunOptions *opt, RunResult *out)
{
    Stream *s = calloc(1, sizeof *s);
    if (!s) abort();
    s->p = p;
    s->ds = ds;
    s->opt = *opt;
    s->out = out;
    memset(out, 0, sizeof *out);
    arena_init(&out->arena);
    s->by_type_count = calloc(p->nevent_types + 1u, sizeof(uint32_t));
    s->by_type = calloc(p->nevent_types + 1u, sizeof(uint32_t *));
    s->keep_count = calloc(p->nevent_types + 1u, sizeof(uint32_t));
    s->keep_by_type = calloc(p->nevent_types + 1u, sizeof(uint32_t *));
    if (!s->by_type_count || !s->by_type || !s->keep_count || !s->keep_by_type) abort();
    for (uint32_t t = 0; t < p->nevent_types; t++) {
        s->by_type[t] = malloc(sizeof(uint32_t) * (p->nrules + 1u));
        s->keep_by_type[t] = malloc(sizeof(uint32_t) * (p->nretains + 1u));
        if (!s->by_type[t] || !s->keep_by_type[t]) abort();
        for (uint32_t r = 0; r < p->nrules; r++)
            if (!p->rules[r].disabled && !p->rules[r].periodic && (p->rules[r].trigger_mask & ((uint64_t)1 << t)))
                s->by_type[t][s->by_type_count[t]++] = r;
        for (uint32_t k = 0; k < p->nretains; k++)
            if (t < 64 && (p->retains[k].mask & ((uint64_t)1 << t))) s->keep_by_type[t][s->keep_count[t]++] = k;
    }
    Vm *vm = &s->vm;
    vm->seen = &s->seen;
    vm->roster = vm_roster_cols(p);
    vm->p = p;
    vm->ds = ds;
    vm->out = out;
    arena_init(&vm->scratch);
    for (int d = 1; d <= 7; d++) {
        char name[2] = {(char)('0' + d), 0};
        vm->weekday[d] = strtab_intern(&ds->strs, name, 1);
    }
    unit_slots_rebuild(s);
    s->strings_kept = ds->strs.n;
    s->window = opt->window;
    s->streaming = opt->window > 0;
    if (s->streaming) {
        ds->on_events = on_events;
        ds->on_events_ctx = s;
        ds->step_at = s->window;
    }
    return s;
}

/* Evaluates what the events read so far decide. Returns 0, or 1 when an
 * event arrived out of time order after a step (the caller runs again with
 * every event held: window 0). */
static int step(Stream *s, bool final)
{
    const Program *p = s->p;
    Dataset *ds = s->ds;
    /* the new events: units, their latest time, and whether they come in time order */
    for (uint32_t k = 0; k < s->nunits; k++) s->units[k].low = INT64_MAX;
    bool ordered = true;
    for (uint32_t i = s->first_new; i < ds->nevents; i++) {
        const Event *e = &ds->events[i];
        UnitState *us = unit_state(s, e->unit);
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
            ds->on_events = NULL;
            return 1;
        }
        s->streaming = false; /* nothing decided yet: hold every event and sort at the end */
        ds->on_events = NULL;
        if (!final) return 0;
    }
    if (!final && !s->streaming) return 0;
    /* positions of each unit's events in the window */
    uint32_t *count = calloc(s->nunits + 1u, sizeof(uint32_t));
    if (!count) abort();
    for (uint32_t k = 0; k < s->nunits; k++) {
        UnitState *us = &s->units[k];
        if (!us->started && us->low != INT64_MAX) {
            us->started = true;
            int64_t tz = p->meta.tz_offset;
            us->u.r0 = s->opt.has_from ? s->opt.from : floor_div(us->low + tz, DAY) * DAY - tz;
        }
    }
    /* each event's unit (ZNONE: not judged: another unit asked for, or outside the range) */
    uint32_t *slot_of = malloc(sizeof(uint32_t) * (ds->nevents + 1u));
    if (!slot_of) abort();
    for (uint32_t i = 0; i < ds->nevents; i++) {
        const Event *e = &ds->events[i];
        UnitState *us = unit_state(s, e->unit);
        slot_of[i] = (uint32_t)(us - s->units);
        if (us->skip || !in_range(s, us, e)) { slot_of[i] = ZNONE; continue; }
        count[slot_of[i]]++;
        if (i >= s->first_new) us->events++;
    }
    uint32_t **pos = calloc(s->nunits + 1u, sizeof(uint32_t *));
    if (!pos) abort();
    for (uint32_t k = 0; k < s->nunits; k++) {
        pos[k] = malloc(sizeof(uint32_t) * (count[k] + 1u));
        if (!pos[k]) abort();
        count[k] = 0;
    }
    for (uint32_t i = 0; i < ds->nevents; i++)
        if (slot_of[i] != ZNONE) pos[slot_of[i]][count[slot_of[i]]++] = i;
    for (uint32_t k = 0; k < s->nunits; k++) {
        UnitState *us = &s->units[k];
        if (us->skip || !us->started) {
            free(pos[k]);
            continue;
        }
        step_unit(s, us, pos[k], count[k], final);
        unit_free_events(&us->u, p);
    }
    free(pos);
    free(count);
    if (!final) {
        s->stepped = true;
        forget(s, slot_of);
        /* strings: when they have doubled since the last time (amortised) */
        if (ds->strs.n > 2 * s->strings_kept + s->window) forget_strings(s);
        /* the next step after at least window new events, or half the events
         * held: the work of a step is proportional to the events held, so it
         * stays linear in the log, and at most 1.5 times as many are held */
        uint32_t more = ds->nevents / 2 > s->window ? ds->nevents / 2 : s->window;
        ds->step_at = ds->nevents + more;
    }
    free(slot_of);
    s->first_new = ds->nevents;
    return 0;
}

static int cmp_violation(const void *a, const void *b, void *ctx)
{
    const StrTab *strs = ctx;
    const Violation *x = a, *y = b;
    int c = strcmp(strtab_str(strs, x->unit), strtab_str(strs, y->unit));
    if (c) return c;
    if (x->rule != y->rule) return x->rule < y->rule ? -1 : 1;
    int64_t tx = x->periodic ? x->from : x->trigger_time;
    int64_t ty = y->periodic ? y->from : y->trigger_time;
    if (tx != ty) return tx < ty ? -1 : 1;
    if (x->periodic && x->to != y->to) return x->to < y->to ? -1 : 1;
    if (!x->periodic && x->trigger_order != y->trigger_order) return x->trigger_order < y->trigger_order ? -1 : 1;
    for (uint32_t i = 0; i < x->nsubjects && i < y->nsubjects; i++) {
        c = strcmp(strtab_str(strs, x->subjects[i]), strtab_str(strs, y->subjects[i]));
        if (c) return c;
    }
    if (x->nsubjects != y->nsubjects) return x->nsubjects < y->nsubjects ? -1 : 1;
    return x->pending - y->pending;
}

static int cmp_unit_summary(const void *a, const void *b, void *strs)
{
    return strcmp(strtab_str(strs, ((const UnitSummary *)a)->unit), strtab_str(strs, ((const UnitSummary *)b)->unit));
}

/* The last step, the summary and the order of the report. Returns 0, or 1
 * (events out of order after a step: run again with window 0). */
int stream_finish(Stream *s)
{
    if (s->disorder || step(s, true)) return 1;
    RunResult *out = s->out;
    Dataset *ds = s->ds;
    out->units = arena_alloc(&out->arena, sizeof(UnitSummary) * (s->nunits + 1u));
    for (uint32_t k = 0; k < s->nunits; k++) {
        const UnitState *us = &s->units[k];
        if (us->skip || !us->started) continue;
        UnitSummary *sum = &out->units[out->nunits++];
        sum->unit = us->u.id;
        sum->r0 = us->u.r0;
        sum->r1 = s->opt.has_as_of ? s->opt.as_of : us->last;
        sum->events = us->events;
    }
    qsort_r(out->units, out->nunits, sizeof(UnitSummary), cmp_unit_summary, &ds->strs);
    if (out->n) qsort_r(out->v, out->n, sizeof(Violation), cmp_violation, &ds->strs);
    return 0;
}

void stream_free(Stream *s)
{
    if (!s) return;
    const Program *p = s->p;
    if (s->ds && s->ds->on_events_ctx == s) s->ds->on_events = NULL;
    for (uint32_t k = 0; k < s->nunits; k++) {
        if (!s->units[k].skip) unit_free_rows(&s->units[k].u, p);
        free(s->units[k].done_to);
        free(s->units[k].deferred);
    }
    free(s->units);
    free(s->unit_slots);
    for (uint32_t t = 0; t < p->nevent_types; t++) {
        free(s->by_type[t]);
        free(s->keep_by_type[t]);
    }
    free(s->by_type);
    free(s->by_type_count);
    free(s->keep_by_type);
    free(s->keep_count);
    free(s->seen.slots);
    free(s->vm.undo);
    free(s->vm.undo_at);
    arena_free(&s->vm.scratch);
    free(s);
}

int engine_run(const Program *p, Dataset *ds, const RunOptions *opt, RunResult *out, char *err, size_t errsize)
{
    (void)err;
    (void)errsize;
    RunOptions all = *opt;
    all.window = 0;
    Stream *s = stream_new(p, ds, &all, out);
    stream_finish(s); /* holding every event, order does not matter */
    stream_free(s);
    return 0;
}

int engine_run_input(const Program *p, const char *path, const struct InputOptions *io, const RunOptions *opt, Dataset **ds_out,
                     RunResult *out, struct InputStats *stats, char *err, size_t errsize)
{
    RunOptions ro = *opt;
    InputOptions quiet = *io;
    for (int attempt = 0; attempt < 2; attempt++) {
        Dataset *ds = dataset_new(p);
        if (!ds) { snprintf(err, errsize, "out of memory"); return -1; }
        Stream *s = stream_new(p, ds, &ro, out);
        int rc = input_load(ds, path, &quiet, stats, err, errsize);
        bool again = s->disorder || (rc == 0 && stream_finish(s) != 0);
        if (again) {
            /* an event out of time order after a step: read it all again, holding
             * every event; the bad rows reported already are not reported twice */
            if (io->report)
                fprintf(io->report, "zhidu: note: %s:%u: an event%s%s%s earlier than one read before it; reading %s again, "
                                    "holding every event (--window 0 skips the first reading)\n",
                        ds->event_source ? ds->event_source : path, s->disorder_loc, s->disorder_unit[0] ? " of unit '" : "",
                        s->disorder_unit, s->disorder_unit[0] ? "'" : "", path);
            stream_free(s);
            run_result_free(out);
            dataset_free(ds);
            ro.window = 0;
            quiet.quiet_skips = stats->skipped;
            continue;
        }
        stream_free(s);
        if (rc != 0) {
            run_result_free(out);
            dataset_free(ds);
            return -1;
        }
        *ds_out = ds;
        return 0;
    }
    snprintf(err, errsize, "internal error: the run did not settle");
    return -1;
}

void run_result_free(RunResult *r)
{
    free(r->v);
    free(r->judged);
    arena_free(&r->arena);
    memset(r, 0, sizeof *r);
}
