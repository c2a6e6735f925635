/* unit.c - the rows and indexes one unit is judged over (see unit.h). */
#include "unit.h"

#include <stdlib.h>
#include <string.h>

static bool row_applies(const Record *r, StrId unit, bool calendar)
{
    if (!r->has_unit) return true;
    if (calendar && r->unit == 0) return true; /* empty unit: every unit */
    return r->unit == unit;
}

const char *unit_person_name(const Dataset *ds, StrId unit, StrId person)
{
    const Program *p = ds->prog;
    for (uint32_t t = 0; t < p->ntables; t++) {
        if (p->tables[t].kind != ZT_ROSTER) continue;
        const TableData *td = &ds->tables[t];
        uint16_t kp = td->fixed[FIX_PERSON], kn = td->fixed[FIX_NAME];
        if (kp == SLOT_NONE || kn == SLOT_NONE || !person) return NULL;
        const char *found = NULL;
        for (uint32_t k = 0; k < td->n; k++) {
            const Record *r = &td->rows[k];
            if (row_applies(r, unit, false) && r->cells[kp] == person && r->cells[kn]) found = strtab_str(&ds->strs, r->cells[kn]);
        }
        return found;
    }
    return NULL;
}

/* The row of td whose column `key` holds the string s, or ZNONE. */
static uint32_t keyed_find(const HIdx *kx, const TableData *td, int key, StrId s)
{
    uint32_t pos = 0;
    for (uint32_t row; (row = hidx_next(kx, hidx_hash_id(s), &pos)) != HIDX_NONE;) {
        Cell c = record_cell(td, &td->rows[row], (uint32_t)key);
        if (c.tag == CELL_STR && c.s == s) return row;
    }
    return ZNONE;
}

static bool build_keyed(HIdx *kx, const uint32_t *rows, uint32_t n, const TableData *td, int key)
{
    for (uint32_t k = n; k-- > 0;) { /* the later row wins: it is indexed first */
        uint32_t row = rows[k];
        Cell c = record_cell(td, &td->rows[row], (uint32_t)key);
        if (c.tag != CELL_STR || keyed_find(kx, td, key, c.s) != ZNONE) continue;
        if (hidx_add(kx, hidx_hash_id(c.s), row) != 0) return false;
    }
    return true;
}

bool unit_build_rows(Unit *u, const Program *p, const Dataset *ds)
{
    u->rows = calloc(p->ntables + 1u, sizeof(uint32_t *));
    u->nrows = calloc(p->ntables + 1u, sizeof(uint32_t));
    u->keyed = calloc(p->ntables + 1u, sizeof(HIdx));
    u->fields = calloc(p->log.nfields + 1u, sizeof(FieldIndex));
    if (!u->rows || !u->nrows || !u->keyed || !u->fields) return false;
    /* the fields scans narrow by, and the id (a verdict's evidence): indexed together */
    for (uint32_t i = 0; i < p->ninsns; i++) {
        const Insn *in = &p->code[i];
        bool keyed = in->op == ZOP_SCAN_INIT_EQ || in->op == ZOP_SCAN_INIT_EQ_IN || in->op == ZOP_SCAN_ALSO_EQ ||
                     in->op == ZOP_SCAN_ANY_EQ;
        if (keyed && in->b < p->log.nfields) u->fields[in->b].wanted = true;
    }
    if (ds->log_id >= 0) u->fields[ds->log_id].wanted = true;
    for (uint32_t t = 0; t < p->ntables; t++) {
        const TableData *td = &ds->tables[t];
        u->rows[t] = malloc(sizeof(uint32_t) * (td->n + 1u));
        if (!u->rows[t]) return false;
        for (uint32_t k = 0; k < td->n; k++)
            if (row_applies(&td->rows[k], u->id, p->tables[t].kind == ZT_CALENDAR)) u->rows[t][u->nrows[t]++] = k;
        uint32_t *fit = realloc(u->rows[t], sizeof(uint32_t) * (u->nrows[t] + 1u)); /* a unit's share of the table */
        if (fit) u->rows[t] = fit;
        u->keyed[t].dense = true; /* as large as the table: three-quarters load */
        if (p->tables[t].kind == ZT_KEYED && !build_keyed(&u->keyed[t], u->rows[t], u->nrows[t], td, p->tables[t].key))
            return false;
    }
    return true;
}

static void free_field_index(FieldIndex *fx)
{
    free(fx->keys);
    free(fx->starts);
    free(fx->positions);
    fx->keys = NULL;
    fx->starts = fx->positions = NULL;
    fx->nkeys = 0;
    fx->covered = 0;
}

void unit_free_events(Unit *u, const Program *p)
{
    free(u->evs);
    u->evs = NULL;
    u->nevs = 0;
    for (uint32_t f = 0; u->fields && f < p->log.nfields; f++) free_field_index(&u->fields[f]);
}

void unit_forget(Unit *u, const Program *p, const uint32_t *moved)
{
    /* u->evs becomes each position's new position, or ZNONE: the events held keep their order */
    uint32_t held = 0;
    for (uint32_t k = 0; k < u->nevs; k++) u->evs[k] = moved[u->evs[k]] == ZNONE ? ZNONE : held++;
    for (uint32_t f = 0; u->fields && f < p->log.nfields; f++) {
        FieldIndex *fx = &u->fields[f];
        uint32_t nkeys = 0, n = 0, covered = 0;
        for (uint32_t k = 0; k < fx->covered; k++) covered += u->evs[k] != ZNONE;
        for (uint32_t k = 0; k < fx->nkeys; k++) {
            uint32_t from = n;
            for (uint32_t i = fx->starts[k]; i < fx->starts[k + 1]; i++)
                if (u->evs[fx->positions[i]] != ZNONE) fx->positions[n++] = u->evs[fx->positions[i]];
            if (n == from) continue;
            fx->keys[nkeys] = fx->keys[k];
            fx->starts[nkeys++] = from;
        }
        if (fx->starts) fx->starts[nkeys] = n;
        fx->nkeys = nkeys;
        fx->covered = covered;
    }
    free(u->evs);
    u->evs = NULL;
    u->nevs = 0;
}

void unit_free_rows(Unit *u, const Program *p)
{
    unit_free_events(u, p);
    for (uint32_t t = 0; t < p->ntables; t++) {
        if (u->rows) free(u->rows[t]);
        if (u->keyed) hidx_free(&u->keyed[t]);
    }
    free(u->rows);
    free(u->nrows);
    free(u->keyed);
    free(u->fields);
    u->rows = NULL;
    u->nrows = NULL;
    u->keyed = NULL;
    u->fields = NULL;
}

bool unit_rekey(Unit *u, const Program *p, const Dataset *ds, const StrId *map)
{
    for (uint32_t f = 0; f < p->log.nfields; f++)
        for (uint32_t k = 0; k < u->fields[f].nkeys; k++) u->fields[f].keys[k] = map[u->fields[f].keys[k]];
    for (uint32_t t = 0; t < p->ntables; t++) {
        if (p->tables[t].kind != ZT_KEYED) continue;
        hidx_clear(&u->keyed[t]); /* as many keys as before: no growth */
        if (!build_keyed(&u->keyed[t], u->rows[t], u->nrows[t], &ds->tables[t], p->tables[t].key)) return false;
    }
    return true;
}

uint32_t unit_lookup(const Unit *u, const Dataset *ds, uint32_t t, StrId key)
{
    return keyed_find(&u->keyed[t], &ds->tables[t], ds->prog->tables[t].key, key);
}

/* The (key, position) pairs of one field's index while it is built: the
 * key in the upper half, so sorting the numbers sorts by key. */
typedef struct Pairs {
    uint64_t *v;
    uint32_t n, cap;
    StrId max;
} Pairs;

static bool push_pair(Pairs *pp, StrId key, uint32_t k)
{
    if (pp->n == pp->cap) {
        uint64_t *v = array_grow(pp->v, &pp->cap, sizeof(uint64_t), 1024);
        if (!v) return false;
        pp->v = v;
    }
    pp->v[pp->n++] = (uint64_t)key << 32 | k;
    if (key > pp->max) pp->max = key;
    return true;
}

/* Sorts pairs by key only (a stable radix sort, 11 bits a pass, as many
 * passes as the largest key needs): each key's positions stay in time order.
 * tmp holds n. Returns where the result is (v or tmp). */
static uint64_t *sort_by_key(uint64_t *v, uint64_t *tmp, uint32_t n, StrId max)
{
    enum { BITS = 11, BUCKETS = 1 << BITS };
    uint32_t count[BUCKETS];
    for (unsigned shift = 32; shift < 64 && max >> (shift - 32); shift += BITS) {
        memset(count, 0, sizeof count);
        for (uint32_t i = 0; i < n; i++) count[(v[i] >> shift) & (BUCKETS - 1)]++;
        uint32_t at = 0;
        for (uint32_t b = 0; b < BUCKETS; b++) {
            uint32_t c = count[b];
            count[b] = at;
            at += c;
        }
        for (uint32_t i = 0; i < n; i++) tmp[count[(v[i] >> shift) & (BUCKETS - 1)]++] = v[i];
        uint64_t *t = v;
        v = tmp;
        tmp = t;
    }
    return v;
}

/* The index grown by pairs sorted by key, whose positions all come after
 * those it holds: each key's positions stay in time order. */
static bool merge_index(FieldIndex *fx, const uint64_t *v, uint32_t n, uint32_t covered)
{
    uint32_t old = fx->nkeys ? fx->starts[fx->nkeys] : 0, nkeys = 0;
    for (uint32_t i = 0, k = 0; i < n || k < fx->nkeys;) { /* the keys of both */
        StrId key = i < n && (k == fx->nkeys || (StrId)(v[i] >> 32) <= fx->keys[k]) ? (StrId)(v[i] >> 32) : fx->keys[k];
        while (i < n && (StrId)(v[i] >> 32) == key) i++;
        if (k < fx->nkeys && fx->keys[k] == key) k++;
        nkeys++;
    }
    StrId *keys = malloc(sizeof(StrId) * (nkeys + 1u));
    uint32_t *starts = malloc(sizeof(uint32_t) * (nkeys + 1u));
    uint32_t *positions = malloc(sizeof(uint32_t) * ((size_t)old + n + 1u));
    if (!keys || !starts || !positions) {
        free(keys);
        free(starts);
        free(positions);
        return false;
    }
    uint32_t at = 0, m = 0;
    for (uint32_t i = 0, k = 0; i < n || k < fx->nkeys;) {
        StrId key = i < n && (k == fx->nkeys || (StrId)(v[i] >> 32) <= fx->keys[k]) ? (StrId)(v[i] >> 32) : fx->keys[k];
        keys[m] = key;
        starts[m++] = at;
        if (k < fx->nkeys && fx->keys[k] == key) {
            uint32_t len = fx->starts[k + 1] - fx->starts[k];
            memcpy(positions + at, fx->positions + fx->starts[k], sizeof(uint32_t) * len);
            at += len;
            k++;
        }
        for (; i < n && (StrId)(v[i] >> 32) == key; i++) positions[at++] = (uint32_t)v[i];
    }
    starts[m] = at;
    free_field_index(fx);
    fx->keys = keys;
    fx->starts = starts;
    fx->positions = positions;
    fx->nkeys = m;
    fx->covered = covered;
    return true;
}

/* Builds the index of field f and of every other wanted field not built yet,
 * in one pass over the unit's events not indexed yet (reading an event is
 * what costs: they lie all over the data set), then one field at a time. */
static bool build_indexes(Unit *u, const Dataset *ds, uint32_t f)
{
    uint32_t nf = ds->prog->log.nfields, nset = 0, most = 0, from = u->nevs;
    uint32_t *set = malloc(sizeof(uint32_t) * (nf + 1u));
    Pairs *pairs = calloc(nf + 1u, sizeof(Pairs));
    bool ok = set && pairs;
    for (uint32_t g = 0; ok && g < nf; g++)
        if (u->fields[g].covered < u->nevs && (g == f || u->fields[g].wanted)) {
            set[nset++] = g;
            if (u->fields[g].covered < from) from = u->fields[g].covered;
        }
    for (uint32_t k = from; ok && k < u->nevs; k++) {
        const Event *e = &ds->events[u->evs[k]];
        for (uint32_t i = 0; ok && i < nset; i++) {
            if (k < u->fields[set[i]].covered) continue;
            Cell c = event_cell(ds, e, set[i]);
            if (c.tag == CELL_STR) ok = push_pair(&pairs[i], c.s, k);
            else if (c.tag == CELL_LIST)
                for (uint32_t m = 0; ok && m < c.list->n; m++) ok = push_pair(&pairs[i], c.list->items[m], k);
        }
    }
    for (uint32_t i = 0; ok && i < nset; i++)
        if (pairs[i].n > most) most = pairs[i].n;
    uint64_t *tmp = ok ? malloc(sizeof(uint64_t) * (most + 1u)) : NULL;
    ok = ok && tmp;
    for (uint32_t i = 0; i < nset; i++) {
        FieldIndex *fx = &u->fields[set[i]];
        if (ok && !merge_index(fx, sort_by_key(pairs[i].v, tmp, pairs[i].n, pairs[i].max), pairs[i].n, u->nevs)) ok = false;
        if (!ok) free_field_index(fx);
        free(pairs[i].v);
    }
    free(tmp);
    free(pairs);
    free(set);
    return ok;
}

const uint32_t *unit_key_positions(Unit *u, const Dataset *ds, uint32_t f, StrId key, uint32_t *n)
{
    static const uint32_t none[1] = {0};
    FieldIndex *fx = &u->fields[f];
    *n = 0;
    if (fx->covered < u->nevs && !build_indexes(u, ds, f)) return NULL;
    uint32_t lo = 0, hi = fx->nkeys;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (fx->keys[mid] < key) lo = mid + 1; else hi = mid;
    }
    if (lo == fx->nkeys || fx->keys[lo] != key) return none; /* an empty positions array, not a range */
    *n = fx->starts[lo + 1] - fx->starts[lo];
    return fx->positions + fx->starts[lo];
}

bool unit_build_indexes(Unit *u, const Dataset *ds)
{
    for (uint32_t f = 0; f < ds->prog->log.nfields; f++)
        if (u->fields[f].wanted && u->fields[f].covered < u->nevs) return build_indexes(u, ds, f); /* and the others */
    return true;
}

/* An event to sort: its time from the earliest, input order, index. */
typedef struct SortRec {
    uint64_t t;
    uint32_t order, ev;
} SortRec;

static int cmp_sort_rec(const void *a, const void *b)
{
    const SortRec *x = a, *y = b;
    if (x->t != y->t) return x->t < y->t ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

bool unit_sort_events(Unit *u, const Dataset *ds)
{
    uint32_t n = u->nevs;
    if (n < 2) return true;
    SortRec *r = malloc(sizeof(SortRec) * n), *tmp = malloc(sizeof(SortRec) * n);
    if (!r || !tmp) {
        free(r);
        free(tmp);
        return false;
    }
    int64_t min = INT64_MAX;
    for (uint32_t k = 0; k < n; k++)
        if (ds->events[u->evs[k]].time < min) min = ds->events[u->evs[k]].time;
    bool in_order = true, sorted = true; /* in input order; already in time order */
    uint64_t max = 0;
    for (uint32_t k = 0; k < n; k++) {
        const Event *e = &ds->events[u->evs[k]];
        r[k] = (SortRec){(uint64_t)e->time - (uint64_t)min, e->order, u->evs[k]};
        if (r[k].t > max) max = r[k].t;
        if (k && r[k].order < r[k - 1].order) in_order = false;
        if (k && cmp_sort_rec(&r[k - 1], &r[k]) > 0) sorted = false;
    }
    if (sorted) {
        /* nothing to do */
    } else if (!in_order) {
        qsort(r, n, sizeof *r, cmp_sort_rec);
    } else {
        /* a stable radix sort by time, 11 bits a pass: input order between equal times */
        enum { BITS = 11, BUCKETS = 1 << BITS };
        uint32_t count[BUCKETS];
        for (unsigned shift = 0; shift < 64 && max >> shift; shift += BITS) {
            memset(count, 0, sizeof count);
            for (uint32_t k = 0; k < n; k++) count[(r[k].t >> shift) & (BUCKETS - 1)]++;
            uint32_t at = 0;
            for (uint32_t b = 0; b < BUCKETS; b++) {
                uint32_t c = count[b];
                count[b] = at;
                at += c;
            }
            for (uint32_t k = 0; k < n; k++) tmp[count[(r[k].t >> shift) & (BUCKETS - 1)]++] = r[k];
            SortRec *t = r;
            r = tmp;
            tmp = t;
        }
    }
    for (uint32_t k = 0; k < n; k++) u->evs[k] = r[k].ev;
    free(r);
    free(tmp);
    return true;
}

uint32_t unit_lower_bound(const Unit *u, const Dataset *ds, int64_t t)
{
    uint32_t lo = 0, hi = u->nevs;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (ds->events[u->evs[mid]].time < t) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

uint32_t unit_event_by_id(Unit *u, const Dataset *ds, StrId id)
{
    if (ds->log_id < 0) return ZNONE;
    uint32_t n;
    const uint32_t *pos = unit_key_positions(u, ds, (uint32_t)ds->log_id, id, &n);
    return pos && n ? u->evs[pos[0]] : ZNONE;
}
