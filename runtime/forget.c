/* forget.c - which events a streaming run keeps between steps (see
 * forget.h): those pinned by deferred triggers, and those a retention entry
 * keeps; the rest are dropped and the cells of the kept ones copied into a
 * fresh arena (those kept to the end: once, into the data set's own), so
 * memory follows what is held. */
#include "forget.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "period.h"
#include "pool.h"
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
        const TableData *td = &s->ds->tables[r->period_table];
        const Record *row = &td->rows[us->u.rows[r->period_table][k]];
        Cell from = record_cell(td, row, (uint32_t)ff), to = record_cell(td, row, (uint32_t)ft);
        if (from.tag != CELL_TIME || to.tag != CELL_TIME) continue;
        int64_t len = to.i - from.i;
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
 * unit, and the entry's filter (run on vm, whose unit is the event's). */
static bool entry_takes(Stream *s, Vm *vm, const ZRetain *z, uint32_t i)
{
    const Event *e = &s->ds->events[i];
    if (e->type >= 64 || !(z->mask & ((uint64_t)1 << e->type))) return false;
    if (z->filter == ZNONE) return true;
    Value arg = {0};
    arg.tag = V_EVENT;
    arg.idx = i;
    Value ok = vm_call(vm, z->filter, arg);
    arena_reset(&vm->scratch);
    return ok.tag == V_BOOL && ok.i;
}

enum {
    FATE_FOREVER = 1,      /* kept to the end: by an entry from the beginning, or the earliest of its group */
    FATE_SETTLED = 2       /* ... and its cells are in the data set's lasting arena */
};

/* Whether entry k takes event i: learnt when the event came (k < 64), or
 * asked (then vm->unit must be the event's unit). */
static bool takes(Stream *s, Vm *vm, uint32_t k, uint32_t i)
{
    if (k < 64) return s->forget.takes[i] >> k & 1;
    return entry_takes(s, vm, &s->p->retains[k], i);
}

/* The first call's set-up, and room for every event held and every unit. */
static bool prepare(Stream *s)
{
    const Program *p = s->p;
    Forget *f = &s->forget;
    if (!f->same) {
        f->same = malloc(sizeof(uint32_t) * (p->nretains + 1u));
        f->groups = calloc(p->nretains + 1u, sizeof(ForgetGroups));
        if (!f->same || !f->groups) return false;
        for (uint32_t k = 0; k < p->nretains; k++) f->groups[k].index.dense = true; /* as many groups as events, at worst */
        /* entries picking the earliest of the same events alike keep the same ones */
        for (uint32_t k = 0; k < p->nretains; k++) {
            const ZRetain *z = &p->retains[k];
            f->same[k] = k;
            for (uint32_t j = 0; j < k && z->pick == ZK_EARLIEST; j++) {
                const ZRetain *y = &p->retains[j];
                if (y->pick == ZK_EARLIEST && y->mask == z->mask && y->filter == z->filter && y->fields == z->fields) {
                    f->same[k] = f->same[j];
                    break;
                }
            }
        }
    }
    if (s->ds->nevents > f->cap) {
        uint32_t cap = s->ds->nevents + s->ds->nevents / 2;
        uint64_t *t = realloc(f->takes, sizeof(uint64_t) * cap);
        if (t) f->takes = t;
        uint8_t *fate = t ? realloc(f->fate, cap) : NULL;
        if (!fate) return false;
        f->fate = fate;
        f->cap = cap;
    }
    if (s->nunits > f->ngrouped_units) {
        int64_t *g = realloc(f->grouped_to, sizeof(int64_t) * ((size_t)s->nunits * p->nretains + 1u));
        if (!g) return false;
        for (size_t i = (size_t)f->ngrouped_units * p->nretains; i < (size_t)s->nunits * p->nretains; i++) g[i] = INT64_MIN;
        f->grouped_to = g;
        f->ngrouped_units = s->nunits;
    }
    return true;
}

/* The events to learn or to keep, in pieces of PIECE claimed by the workers. */
enum { PIECE = 4096 };
typedef struct Learn {
    Stream *s;
    const uint32_t *unit_of;
} Learn;

/* What the item-th piece of the new events are: the entries that take them,
 * and whether one keeps them to the end (a pool job: each piece writes its
 * events' own takes and fate; the filters only read the data set). */
static void learn_piece(void *ctx, uint32_t worker, uint32_t item)
{
    const Learn *l = ctx;
    Stream *s = l->s;
    const uint32_t *unit_of = l->unit_of;
    const Program *p = s->p;
    Dataset *ds = s->ds;
    Forget *f = &s->forget;
    Vm *vm = stream_worker_vm(s, worker);
    uint32_t from = f->seen + item * PIECE, to = ds->nevents - from > PIECE ? from + PIECE : ds->nevents;
    for (uint32_t i = from; i < to; i++) {
        f->takes[i] = 0;
        f->fate[i] = 0;
        if (unit_of[i] == ZNONE) continue;
        vm->unit = &s->units[unit_of[i]].u;
        uint16_t type = ds->events[i].type;
        for (uint32_t j = 0; j < s->keep_count[type]; j++) {
            uint32_t k = s->keep_by_type[type][j];
            const ZRetain *z = &p->retains[k];
            bool always = z->pick == ZK_ALL && z->kind == ZR_ALWAYS;
            if (k >= 64 && !always) continue; /* asked each time */
            if (!entry_takes(s, vm, z, i)) continue;
            if (k < 64) f->takes[i] |= (uint64_t)1 << k;
            if (always) f->fate[i] |= FATE_FOREVER;
        }
    }
}

/* Event i's group of entry k (g: the entry's groups), or HIDX_NONE; its hash in *hash. */
static uint32_t find_group(Stream *s, const ForgetGroups *g, const ZRetain *z, uint32_t i, uint32_t *hash)
{
    const Dataset *ds = s->ds;
    uint32_t nf = s->p->log.nfields, pos = 0, k;
    *hash = alike_hash(ds, &ds->events[i], z->fields, nf);
    while ((k = hidx_next(&g->index, *hash, &pos)) != HIDX_NONE &&
           !events_alike(ds, &ds->events[g->rep[k]], &ds->events[i], z->fields, nf)) {}
    return k;
}

static bool add_group(ForgetGroups *g, uint32_t hash, uint32_t i)
{
    if (g->n == g->cap) {
        uint32_t *rep = array_grow(g->rep, &g->cap, sizeof(uint32_t), 256);
        if (!rep) return false;
        g->rep = rep;
    }
    if (hidx_add(&g->index, hash, g->n) != 0) return false;
    g->rep[g->n++] = i;
    return true;
}

/* Entry k's groups, grown by the events not grouped yet: every new one of an
 * entry picking the earliest (the group's first stays: events come in time
 * order per unit), and for one picking the latest, those no trigger still
 * to run can precede (since: per unit and rule); the others are kept.
 * Returns false when an event could not be grouped (kept: the run fails). */
static bool group_events(Stream *s, uint32_t k, const uint32_t *unit_of, const int64_t *since, uint8_t *keep)
{
    const Program *p = s->p;
    Dataset *ds = s->ds;
    Forget *f = &s->forget;
    const ZRetain *z = &p->retains[k];
    ForgetGroups *g = &f->groups[k];
    bool latest = z->pick == ZK_LATEST, ok = true;
    for (uint32_t i = latest ? 0 : f->seen; i < ds->nevents; i++) {
        if (unit_of[i] == ZNONE) continue;
        if (k >= 64) s->vm.unit = &s->units[unit_of[i]].u;
        if (!takes(s, &s->vm, k, i)) continue;
        int64_t t = ds->events[i].time;
        if (latest) {
            if (t > since[(size_t)unit_of[i] * p->nrules + z->rule]) { keep[i] = 1; continue; }
            if (i < f->seen && t <= f->grouped_to[(size_t)unit_of[i] * p->nretains + k]) continue; /* grouped before */
        }
        uint32_t hash, at = find_group(s, g, z, i, &hash);
        if (at != HIDX_NONE) {
            if (latest) g->rep[at] = i;
        } else if (add_group(g, hash, i)) {
            if (!latest) f->fate[i] |= FATE_FOREVER;
        } else {
            keep[i] = 1;
            ok = false;
        }
    }
    if (latest) {
        for (uint32_t u = 0; u < s->nunits; u++) {
            int64_t *to = &f->grouped_to[(size_t)u * p->nretains + k];
            if (since[(size_t)u * p->nrules + z->rule] > *to) *to = since[(size_t)u * p->nrules + z->rule];
        }
        for (uint32_t r = 0; r < g->n; r++) keep[g->rep[r]] = 1;
    }
    return ok;
}

/* Whether held event i is kept for an entry that keeps all its events
 * from a time on (from: per rule, for its unit). */
static bool kept_from(Stream *s, Vm *vm, uint32_t i, const int64_t *from)
{
    const Event *e = &s->ds->events[i];
    for (uint32_t j = 0; j < s->keep_count[e->type]; j++) {
        uint32_t k = s->keep_by_type[e->type][j];
        const ZRetain *z = &s->p->retains[k];
        if (z->pick != ZK_ALL || z->kind == ZR_ALWAYS) continue; /* the latter: FATE_FOREVER */
        /* |offset| <= ZT_MAX_SPAN: no overflow */
        int64_t t = z->kind == ZR_PERIOD ? from[z->rule] : from[z->rule] + z->offset;
        if (e->time >= t && takes(s, vm, k, i)) return true;
    }
    return false;
}

typedef struct Held {
    Stream *s;
    const uint32_t *unit_of;
    const int64_t *since;  /* per unit and rule (forget_events) */
    uint8_t *keep;
} Held;

/* Pool job: whether the events held of the item-th piece not kept yet are
 * kept, to the end or for an entry keeping all from a time on (each piece
 * writes its events' own keep). */
static void keep_piece(void *ctx, uint32_t worker, uint32_t item)
{
    const Held *h = ctx;
    Stream *s = h->s;
    Vm *vm = stream_worker_vm(s, worker);
    uint32_t n = s->ds->nevents, from = item * PIECE, to = n - from > PIECE ? from + PIECE : n;
    for (uint32_t i = from; i < to; i++) {
        uint32_t u = h->unit_of[i];
        if (h->keep[i] || u == ZNONE) continue;
        vm->unit = &s->units[u].u;
        h->keep[i] = (s->forget.fate[i] & FATE_FOREVER) || kept_from(s, vm, i, h->since + (size_t)u * s->p->nrules);
    }
}

/* A copy of an event's packed cells into arena a; NULL when out of memory. */
static uint32_t *copy_cells(Arena *a, const Dataset *ds, const Event *e)
{
    size_t size = dataset_event_bytes(ds, e);
    uint32_t *c = arena_alloc_packed(a, size, sizeof(uint32_t));
    if (c) memcpy(c, e->cells, size);
    return c;
}

/* Drops the events not kept, in place; moved: each event's new index, or
 * ZNONE. Returns false when out of memory. */
static bool compact(Stream *s, const uint8_t *keep, uint32_t *moved)
{
    Dataset *ds = s->ds;
    Forget *f = &s->forget;
    Arena cells;
    arena_init(&cells);
    uint32_t n = 0;
    bool ok = true;
    for (uint32_t i = 0; i < ds->nevents; i++) {
        moved[i] = ZNONE;
        if (!keep[i] || !ok) continue;
        Event e = ds->events[i];
        uint8_t fate = f->fate[i];
        if (e.cells && !(fate & FATE_SETTLED)) {
            e.cells = copy_cells(fate & FATE_FOREVER ? &ds->arena : &cells, ds, &e);
            if (!e.cells) { ok = false; continue; }
            if (fate & FATE_FOREVER) fate |= FATE_SETTLED;
        }
        moved[i] = n;
        f->takes[n] = f->takes[i];
        f->fate[n] = fate;
        ds->events[n++] = e;
    }
    arena_free(&ds->event_arena);
    ds->event_arena = cells;
    ds->nevents = n;
    f->seen = n;
    return ok && !ds->event_arena.failed;
}

typedef struct ForgetUnits {
    Stream *s;
    const uint32_t *moved;
} ForgetUnits;

/* Pool job: the item-th unit's field indexes without the events dropped. */
static void forget_unit(void *ctx, uint32_t worker, uint32_t item)
{
    (void)worker;
    const ForgetUnits *fu = ctx;
    UnitState *us = &fu->s->units[item];
    if (!us->skip) unit_forget(&us->u, fu->s->p, fu->moved);
}

/* A retention entry keeps events from the beginning, from the earliest
 * period not yet judged, or from the earliest trigger not yet run; of events
 * alike, only the earliest or latest when the entry says so. */
bool forget_events(Stream *s, const uint32_t *unit_of)
{
    const Program *p = s->p;
    Dataset *ds = s->ds;
    Forget *f = &s->forget;
    uint8_t *keep = calloc(ds->nevents + 1u, 1);
    int64_t *since = malloc(sizeof(int64_t) * ((size_t)s->nunits * p->nrules + 1u));
    uint32_t *moved = malloc(sizeof(uint32_t) * (ds->nevents + 1u));
    bool ok = keep && since && moved && prepare(s);
    /* per unit and rule, the earliest start of a period still to judge, or the
     * earliest time of a trigger still to run (new ones come at or after the
     * unit's latest time) */
    for (uint32_t k = 0; ok && k < s->nunits; k++) {
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
    if (ok) {
        Learn l = {s, unit_of};
        pool_run(s->pool, (ds->nevents - f->seen + PIECE - 1) / PIECE, learn_piece, &l);
    }
    for (uint32_t k = 0; ok && k < p->nretains; k++)
        if (p->retains[k].pick != ZK_ALL && f->same[k] == k && !group_events(s, k, unit_of, since, keep)) ok = false;
    if (ok) {
        Held h = {s, unit_of, since, keep};
        pool_run(s->pool, (ds->nevents + PIECE - 1) / PIECE, keep_piece, &h);
    }
    ok = ok && compact(s, keep, moved);
    for (uint32_t k = 0; ok && k < p->nretains; k++)
        if (p->retains[k].pick != ZK_ALL && f->same[k] == k)
            for (uint32_t g = 0; g < f->groups[k].n; g++) f->groups[k].rep[g] = moved[f->groups[k].rep[g]];
    if (ok) {
        ForgetUnits fu = {s, moved};
        pool_run(s->pool, s->nunits, forget_unit, &fu);
    }
    for (uint32_t k = 0; ok && k < s->nunits; k++)
        for (uint32_t i = 0; i < s->units[k].ndeferred; i++)
            if (!s->units[k].deferred[i].periodic) s->units[k].deferred[i].event = moved[s->units[k].deferred[i].event];
    free(moved);
    free(since);
    free(keep);
    return ok;
}

typedef struct Rehash {
    Stream *s;
    atomic_bool failed;
} Rehash;

/* Pool job: entry item's groups hashed again (each entry's index is its own). */
static void rehash_entry(void *ctx, uint32_t worker, uint32_t item)
{
    (void)worker;
    Rehash *rh = ctx;
    const Program *p = rh->s->p;
    ForgetGroups *g = &rh->s->forget.groups[item];
    hidx_clear(&g->index); /* as many groups as before: no growth */
    for (uint32_t r = 0; r < g->n; r++)
        if (hidx_add(&g->index, alike_hash(rh->s->ds, &rh->s->ds->events[g->rep[r]], p->retains[item].fields, p->log.nfields), r) != 0) {
            atomic_store(&rh->failed, true);
            return;
        }
}

bool forget_rehash(Stream *s)
{
    if (!s->forget.groups) return true;
    Rehash rh = {s, false};
    pool_run(s->pool, s->p->nretains, rehash_entry, &rh);
    return !atomic_load(&rh.failed);
}

void forget_free(Forget *f, uint32_t nretains)
{
    for (uint32_t k = 0; f->groups && k < nretains; k++) {
        hidx_free(&f->groups[k].index);
        free(f->groups[k].rep);
    }
    free(f->groups);
    free(f->same);
    free(f->takes);
    free(f->fate);
    free(f->grouped_to);
    memset(f, 0, sizeof *f);
}
