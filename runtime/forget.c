/* forget.c - which events a streaming run keeps between steps (see
 * forget.h): those pinned by deferred triggers, and those a retention entry
 * of an enabled rule keeps; the rest are dropped and the cells of the kept
 * ones copied into a fresh arena, so memory follows what is held. */
#include "forget.h"

#include <stdlib.h>
#include <string.h>

#include "period.h"
#include "stream.h"

/* The longest period of a periodic rule for the unit (INT64_MAX: unbounded). */
static int64_t longest_period(Stream *s, UnitState *us, const ZRule *r)
{
    int64_t fixed = period_longest(r->period, r->weeks);
    if (fixed >= 0) return fixed;
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

static uint32_t alike_hash(const Dataset *ds, const Event *e, uint64_t fields, uint32_t nf)
{
    uint32_t h = hidx_hash_id(e->unit) ^ e->type;
    for (uint32_t f = 0; f < nf && f < 64; f++) {
        if (!(fields & ((uint64_t)1 << f))) continue;
        Cell cell = event_cell(ds, e, f);
        const Cell *c = &cell;
        h = hidx_hash_id(h ^ c->tag);
        if (c->tag == CELL_STR) h = hidx_hash_id(h ^ c->s);
        else if (c->tag == CELL_LIST)
            for (uint32_t k = 0; k < c->list->n; k++) h = hidx_hash_id(h ^ c->list->items[k]);
        else if (c->tag != CELL_MISSING) h = hidx_hash_id(h ^ (uint32_t)c->i ^ (uint32_t)((uint64_t)c->i >> 32));
    }
    return h;
}

static bool events_alike(const Dataset *ds, const Event *a, const Event *b, uint64_t fields, uint32_t nf)
{
    if (a->unit != b->unit || a->type != b->type) return false;
    for (uint32_t f = 0; f < nf && f < 64; f++) {
        if (!(fields & ((uint64_t)1 << f))) continue;
        Cell x = event_cell(ds, a, f), y = event_cell(ds, b, f);
        if (!cells_alike(&x, &y)) return false;
    }
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

/* A retention entry keeps events from the beginning, from the earliest
 * period not yet judged, or from the earliest trigger not yet run; of events
 * alike, only the earliest or latest when the entry says so. */
bool forget_events(Stream *s, const uint32_t *unit_of)
{
    const Program *p = s->p;
    Dataset *ds = s->ds;
    Vm *vm = &s->vm;
    uint32_t nf = p->log.nfields;
    bool failed = false;
    uint8_t *keep = calloc(ds->nevents + 1u, 1);
    int64_t *since = malloc(sizeof(int64_t) * ((size_t)s->nunits * p->nrules + 1u));
    uint32_t *alike = malloc(sizeof(uint32_t) * (ds->nevents + 1u)); /* per group of alike events: the one kept */
    uint32_t *moved = malloc(sizeof(uint32_t) * (ds->nevents + 1u));
    if (!keep || !since || !alike || !moved) {
        free(keep);
        free(since);
        free(alike);
        free(moved);
        return false;
    }
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
    for (uint32_t k = 0; k < p->nretains; k++) {
        const ZRetain *z = &p->retains[k];
        if (z->pick == ZK_ALL) continue;
        HIdx groups = {0}; /* alike_hash -> group */
        uint32_t ngroups = 0;
        for (uint32_t i = 0; i < ds->nevents; i++) {
            if (unit_of[i] == ZNONE) continue;
            UnitState *us = &s->units[unit_of[i]];
            vm->unit = &us->u;
            if (!entry_takes(s, z, i)) continue;
            const Event *e = &ds->events[i];
            /* a trigger still to run may precede it */
            if (z->pick == ZK_LATEST && e->time > since[(size_t)unit_of[i] * p->nrules + z->rule]) { keep[i] = 1; continue; }
            uint32_t hash = alike_hash(ds, e, z->fields, nf), pos = 0, g;
            while ((g = hidx_next(&groups, hash, &pos)) != HIDX_NONE && !events_alike(ds, &ds->events[alike[g]], e, z->fields, nf)) {}
            if (g != HIDX_NONE) {
                if (z->pick == ZK_LATEST) alike[g] = i;
            } else if (hidx_add(&groups, hash, ngroups) == 0) {
                alike[ngroups++] = i;
            } else {
                keep[i] = 1; /* out of memory: kept, and the run stops */
                failed = true;
            }
        }
        hidx_free(&groups);
        for (uint32_t g = 0; g < ngroups; g++) keep[alike[g]] = 1;
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
    Arena cells;
    arena_init(&cells);
    uint32_t n = 0;
    for (uint32_t i = 0; i < ds->nevents; i++) {
        moved[i] = ZNONE;
        if (!keep[i]) continue;
        Event e = ds->events[i];
        size_t size = e.cells ? dataset_event_bytes(ds, &e) : 0;
        uint32_t *c = size ? arena_alloc_packed(&cells, size, sizeof(uint32_t)) : NULL;
        if (size && !c) break;
        if (size) memcpy(c, e.cells, size);
        e.cells = c;
        moved[i] = n;
        ds->events[n++] = e;
    }
    arena_free(&ds->event_arena);
    ds->event_arena = cells;
    ds->nevents = n;
    bool ok = !failed && !ds->event_arena.failed;
    for (uint32_t k = 0; ok && k < s->nunits; k++)
        for (uint32_t i = 0; i < s->units[k].ndeferred; i++)
            if (!s->units[k].deferred[i].periodic) s->units[k].deferred[i].event = moved[s->units[k].deferred[i].event];
    free(moved);
    free(since);
    free(keep);
    return ok;
}

