/* engine.c - what to run, for which unit, over which periods and events:
 * units and their checked ranges, the judged periods of periodic rules
 * (whole periods inside the range, exemptions), the triggering events of the
 * others (dispatched by event type), and the verdicts, each identity once. */
#define _GNU_SOURCE /* qsort_r: comparisons that need the data set, without globals */
#include "engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static int cmp_event_pos(const void *a, const void *b, void *ctx)
{
    const Dataset *ds = ctx;
    const Event *x = &ds->events[*(const uint32_t *)a], *y = &ds->events[*(const uint32_t *)b];
    if (x->time != y->time) return x->time < y->time ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}


static void unit_build(Unit *u, const Program *p, Dataset *ds, StrId id, const RunOptions *opt)
{
    memset(u, 0, sizeof *u);
    u->id = id;
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    uint32_t n = 0;
    for (uint32_t i = 0; i < ds->nevents; i++) {
        if (ds->events[i].unit != id) continue;
        n++;
        if (ds->events[i].time < lo) lo = ds->events[i].time;
        if (ds->events[i].time > hi) hi = ds->events[i].time;
    }
    int64_t tz = p->meta.tz_offset;
    u->r0 = opt->has_from ? opt->from : floor_div(lo + tz, DAY) * DAY - tz;
    u->r1 = opt->has_as_of ? opt->as_of : hi;
    u->evs = malloc(sizeof(uint32_t) * (n + 1));
    if (!u->evs) abort();
    for (uint32_t i = 0; i < ds->nevents; i++) {
        const Event *e = &ds->events[i];
        if (e->unit == id && e->time >= u->r0 && e->time <= u->r1) u->evs[u->nevs++] = i;
    }
    /* a stable order: by time, then input order (qsort with the order as tie-break) */
    qsort_r(u->evs, u->nevs, sizeof(uint32_t), cmp_event_pos, ds);
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
            if (row_applies(&td->rows[k], id, p->tables[t].kind == ZT_CALENDAR)) u->rows[t][u->nrows[t]++] = k;
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

static void unit_free(Unit *u, const Program *p)
{
    free(u->evs);
    for (uint32_t t = 0; t < p->ntables; t++) {
        free(u->rows[t]);
        free(u->keyed[t].slots);
    }
    for (uint32_t f = 0; f < p->log.nfields; f++) {
        free(u->fields[f].slots);
        free(u->fields[f].keys);
        free(u->fields[f].starts);
        free(u->fields[f].counts);
        free(u->fields[f].positions);
    }
    free(u->rows);
    free(u->nrows);
    free(u->keyed);
    free(u->fields);
}

/* ---- verdicts ------------------------------------------------------------------------ */


static uint64_t verdict_hash(const Violation *v, const List *subjects)
{
    uint64_t h = 1469598103934665603ull;
#define MIX(x) (h = (h ^ (uint64_t)(x)) * 1099511628211ull)
    MIX(v->rule);
    MIX(v->unit);
    MIX(v->pending);
    if (v->periodic) { MIX(v->from); MIX(v->to); } else MIX(v->trigger);
    for (uint32_t i = 0; i < subjects->n; i++) MIX(subjects->items[i]);
#undef MIX
    return h;
}

static bool same_identity(const Violation *a, const Violation *b, const List *subjects)
{
    if (a->rule != b->rule || a->unit != b->unit || a->pending != b->pending || a->periodic != b->periodic) return false;
    if (a->periodic ? (a->from != b->from || a->to != b->to) : a->trigger != b->trigger) return false;
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
    probe.trigger = vm->trigger;
    Seen *seen = vm->seen;
    if ((out->n + 1) * 2 > seen->nslots) {
        uint32_t n = seen->nslots ? seen->nslots * 2 : 1024;
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
    }
    uint32_t h = (uint32_t)verdict_hash(&probe, subjects) & (seen->nslots - 1);
    while (seen->slots[h] != UINT32_MAX) {
        if (same_identity(&out->v[seen->slots[h]], &probe, subjects)) return; /* reported already */
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
    Violation *v = &out->v[out->n++];
    *v = probe;
    v->nsubjects = subjects->n;
    v->subjects = arena_alloc(&out->arena, sizeof(StrId) * (subjects->n + 1));
    memcpy(v->subjects, subjects->items, sizeof(StrId) * subjects->n);
    qsort_r(v->subjects, v->nsubjects, sizeof(StrId), cmp_strid_by_text, &vm->ds->strs);
    v->nevidence = evidence->n;
    v->evidence = arena_alloc(&out->arena, sizeof(StrId) * (evidence->n + 1));
    memcpy(v->evidence, evidence->items, sizeof(StrId) * evidence->n);
    qsort_r(v->evidence, v->nevidence, sizeof(StrId), cmp_strid_by_text, &vm->ds->strs);
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

typedef struct PeriodCtx {
    Vm *vm;
    const ZRule *r;
    Interval *exempt;
    uint32_t nexempt;
} PeriodCtx;

static void judge(PeriodCtx *pc, int64_t a, int64_t b, uint16_t table, uint32_t row)
{
    Vm *vm = pc->vm;
    if (a < vm->unit->r0 || b > vm->unit->r1 || a >= b) return;
    for (uint32_t i = 0; i < pc->nexempt; i++)
        if (pc->exempt[i].from < b && a < pc->exempt[i].to) return;
    Value per = {0};
    per.tag = V_PERIOD;
    per.i = a;
    per.to = b;
    per.table = table;
    per.idx = row;
    vm->from = a;
    vm->to = b;
    vm->out->rule_runs++;
    vm_call(vm, pc->r->body, per);
    arena_reset(&vm->scratch);
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

static void run_periodic(Vm *vm, const ZRule *r)
{
    const Program *p = vm->p;
    int64_t tz = p->meta.tz_offset, r0 = vm->unit->r0, r1 = vm->unit->r1;
    PeriodCtx pc = {vm, r, NULL, 0};
    if (r->unless_table != ZNONE) pc.exempt = calendar_rows(vm, r->unless_table, r->unless_filter, &pc.nexempt);
    vm->periodic = true;
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

/* ---- the run ------------------------------------------------------------------------------ */

static int cmp_violation(const void *a, const void *b, void *ctx)
{
    const Dataset *result_ds = ctx;
    const Violation *x = a, *y = b;
    int c = strcmp(strtab_str(&result_ds->strs, x->unit), strtab_str(&result_ds->strs, y->unit));
    if (c) return c;
    if (x->rule != y->rule) return x->rule < y->rule ? -1 : 1;
    int64_t tx = x->periodic ? x->from : result_ds->events[x->trigger].time;
    int64_t ty = y->periodic ? y->from : result_ds->events[y->trigger].time;
    if (tx != ty) return tx < ty ? -1 : 1;
    if (x->periodic && x->to != y->to) return x->to < y->to ? -1 : 1;
    if (!x->periodic && x->trigger != y->trigger)
        return result_ds->events[x->trigger].order < result_ds->events[y->trigger].order ? -1 : 1;
    for (uint32_t i = 0; i < x->nsubjects && i < y->nsubjects; i++) {
        c = strcmp(strtab_str(&result_ds->strs, x->subjects[i]), strtab_str(&result_ds->strs, y->subjects[i]));
        if (c) return c;
    }
    if (x->nsubjects != y->nsubjects) return x->nsubjects < y->nsubjects ? -1 : 1;
    return x->pending - y->pending;
}

int engine_run(const Program *p, Dataset *ds, const RunOptions *opt, RunResult *out, char *err, size_t errsize)
{
    (void)err;
    (void)errsize;
    memset(out, 0, sizeof *out);
    arena_init(&out->arena);
    /* the units: distinct unit values of the events, in text order */
    StrId *units = malloc(sizeof(StrId) * (ds->nevents + 1));
    if (!units) abort();
    uint32_t nunits = 0;
    for (uint32_t i = 0; i < ds->nevents; i++) units[nunits++] = ds->events[i].unit;
    qsort_r(units, nunits, sizeof(StrId), cmp_strid_by_text, &ds->strs);
    uint32_t u = 0;
    for (uint32_t i = 0; i < nunits; i++)
        if (u == 0 || units[u - 1] != units[i]) units[u++] = units[i];
    nunits = u;
    out->units = arena_alloc(&out->arena, sizeof(UnitSummary) * (nunits + 1));
    /* triggered rules by event type */
    uint32_t *by_type_count = calloc(p->nevent_types + 1u, sizeof(uint32_t));
    uint32_t **by_type = calloc(p->nevent_types + 1u, sizeof(uint32_t *));
    if (!by_type_count || !by_type) abort();
    for (uint32_t t = 0; t < p->nevent_types; t++) {
        by_type[t] = malloc(sizeof(uint32_t) * (p->nrules + 1u));
        if (!by_type[t]) abort();
        for (uint32_t r = 0; r < p->nrules; r++)
            if (!p->rules[r].disabled && !p->rules[r].periodic && (p->rules[r].trigger_mask & ((uint64_t)1 << t)))
                by_type[t][by_type_count[t]++] = r;
    }
    Seen seen = {NULL, 0};
    Vm vm;
    memset(&vm, 0, sizeof vm);
    vm.seen = &seen;
    vm.roster = vm_roster_cols(p);
    vm.p = p;
    vm.ds = ds;
    vm.out = out;
    arena_init(&vm.scratch);
    for (int d = 1; d <= 7; d++) {
        char s[2] = {(char)('0' + d), 0};
        vm.weekday[d] = strtab_intern(&ds->strs, s, 1);
    }
    for (uint32_t k = 0; k < nunits; k++) {
        if (opt->unit && strcmp(strtab_str(&ds->strs, units[k]), opt->unit)) continue;
        Unit unit;
        unit_build(&unit, p, ds, units[k], opt);
        vm.unit = &unit;
        UnitSummary *sum = &out->units[out->nunits++];
        sum->unit = units[k];
        sum->r0 = unit.r0;
        sum->r1 = unit.r1;
        sum->events = unit.nevs;
        for (uint32_t r = 0; r < p->nrules; r++) {
            const ZRule *rule = &p->rules[r];
            if (rule->disabled || !rule->periodic) continue;
            vm.rule = r;
            run_periodic(&vm, rule);
        }
        vm.periodic = false;
        for (uint32_t i = 0; i < unit.nevs; i++) {
            uint32_t e = unit.evs[i];
            uint16_t t = ds->events[e].type;
            for (uint32_t j = 0; j < by_type_count[t]; j++) {
                const ZRule *rule = &p->rules[by_type[t][j]];
                Value arg = {0};
                arg.tag = V_EVENT;
                arg.idx = e;
                vm.rule = by_type[t][j];
                vm.trigger = e;
                if (rule->trigger_filter != ZNONE) {
                    Value ok = vm_call(&vm, rule->trigger_filter, arg);
                    arena_reset(&vm.scratch);
                    if (!(ok.tag == V_BOOL && ok.i)) continue;
                }
                out->rule_runs++;
                vm_call(&vm, rule->body, arg);
                arena_reset(&vm.scratch);
            }
        }
        unit_free(&unit, p);
    }
    if (out->n) qsort_r(out->v, out->n, sizeof(Violation), cmp_violation, ds);
    for (uint32_t t = 0; t < p->nevent_types; t++) free(by_type[t]);
    free(by_type);
    free(by_type_count);
    free(units);
    free(seen.slots);
    arena_free(&vm.scratch);
    return 0;
}

void run_result_free(RunResult *r)
{
    free(r->v);
    arena_free(&r->arena);
    memset(r, 0, sizeof *r);
}
