/* earliest.c - the per-unit earliest time of each key (see earliest.h). */
#include "earliest.h"

#include <stdlib.h>
#include <string.h>

#include "limits.h"
#include "unit.h"

/* The next combination of n lists' values, nv[i] values in list i (none
 * empty): advances the odometer `at` (all 0 at first); false after the last. */
static bool next_combination(uint32_t *at, const uint32_t *nv, uint32_t n)
{
    uint32_t i = 0;
    while (i < n && ++at[i] == nv[i]) at[i++] = 0;
    return i < n;
}

uint64_t earliest_fields(const Program *p)
{
    uint64_t fields = 0;
    for (uint32_t i = 0; i < p->ninsns; i++)
        if (p->code[i].op == ZOP_EARLIEST) fields |= (uint64_t)p->consts[p->code[i].b].value;
    return fields;
}

bool earliest_setup(Earliest *es, const Program *p)
{
    if (es->set_up) return true;
    for (uint32_t i = 0; i < p->ninsns; i++) {
        const Insn *in = &p->code[i];
        if (in->op != ZOP_EARLIEST) continue;
        uint64_t fields = (uint64_t)p->consts[in->b].value, types = (uint64_t)p->consts[in->c].value;
        if (earliest_table(es, types, fields)) continue;
        EarliestTable *t = realloc(es->tables, sizeof *t * (es->ntables + 1u));
        if (!t) return false;
        es->tables = t;
        t = &t[es->ntables++];
        memset(t, 0, sizeof *t);
        t->types = types;
        t->fields = fields;
        t->nkeys = (uint32_t)__builtin_popcountll(fields);
        t->idx.dense = true; /* as large as the history: three-quarters load */
    }
    es->set_up = true;
    return true;
}

const EarliestTable *earliest_table(const Earliest *es, uint64_t types, uint64_t fields)
{
    for (uint32_t i = 0; i < es->ntables; i++)
        if (es->tables[i].types == types && es->tables[i].fields == fields) return &es->tables[i];
    return NULL;
}

static uint32_t hash_keys(const StrId *keys, uint32_t n)
{
    uint32_t h = 0x9e3779b9u;
    for (uint32_t i = 0; i < n; i++) h = hidx_hash_id(h ^ keys[i]) + i;
    return h;
}

static uint32_t stride(const EarliestTable *t) { return t->nkeys + 2u; }

/* The entry with these keys, or HIDX_NONE. */
static uint32_t find(const EarliestTable *t, const StrId *keys, uint32_t h)
{
    uint32_t pos = 0;
    for (uint32_t k; (k = hidx_next(&t->idx, h, &pos)) != HIDX_NONE;)
        if (!memcmp(&t->entries[(size_t)k * stride(t)], keys, sizeof(StrId) * t->nkeys)) return k;
    return HIDX_NONE;
}

static int64_t entry_time(const EarliestTable *t, uint32_t k)
{
    int64_t v;
    memcpy(&v, &t->entries[(size_t)k * stride(t) + t->nkeys], sizeof v);
    return v;
}

/* The keys' time becomes `time` if that is earlier. False when out of memory. */
static bool put(EarliestTable *t, const StrId *keys, int64_t time)
{
    uint32_t h = hash_keys(keys, t->nkeys), k = find(t, keys, h);
    if (k != HIDX_NONE) {
        if (time < entry_time(t, k)) memcpy(&t->entries[(size_t)k * stride(t) + t->nkeys], &time, sizeof time);
        return true;
    }
    if (t->n == t->cap) {
        uint32_t cap = t->cap ? t->cap + t->cap / 2 : 256;
        uint32_t *e = realloc(t->entries, sizeof(uint32_t) * stride(t) * cap);
        if (!e) return false;
        t->entries = e;
        t->cap = cap;
    }
    if (hidx_add(&t->idx, h, t->n) != 0) return false;
    uint32_t *e = &t->entries[(size_t)t->n++ * stride(t)];
    memcpy(e, keys, sizeof(StrId) * t->nkeys);
    memcpy(e + t->nkeys, &time, sizeof time);
    return true;
}

/* Every combination of event e's values of t's fields (a missing one: none). */
static bool add_event(EarliestTable *t, const Dataset *ds, const Event *e)
{
    const StrId *vals[ZL_EARLIEST_KEYS];
    uint32_t nv[ZL_EARLIEST_KEYS], at[ZL_EARLIEST_KEYS] = {0};
    StrId keys[ZL_EARLIEST_KEYS];
    uint32_t k = 0;
    for (uint32_t f = 0; f < 64 && k < t->nkeys; f++) {
        if (!(t->fields >> f & 1)) continue;
        Cell c = event_cell(ds, e, f);
        if (c.tag == CELL_STR) { keys[k] = c.s; vals[k] = &keys[k]; nv[k] = 1; }
        else if (c.tag == CELL_LIST && c.list && c.list->n) { vals[k] = c.list->items; nv[k] = c.list->n; }
        else return true;
        k++;
    }
    for (;;) {
        StrId combo[ZL_EARLIEST_KEYS];
        for (uint32_t i = 0; i < t->nkeys; i++) combo[i] = vals[i][at[i]];
        if (!put(t, combo, e->time)) return false;
        if (!next_combination(at, nv, t->nkeys)) return true;
    }
}

bool earliest_add(Earliest *es, const Dataset *ds, const uint32_t *evs, uint32_t from, uint32_t n)
{
    for (uint32_t i = from; i < n; i++) {
        const Event *e = &ds->events[evs[i]];
        for (uint32_t j = 0; j < es->ntables; j++)
            if ((es->tables[j].types >> e->type & 1) && !add_event(&es->tables[j], ds, e)) return false;
    }
    return true;
}

int64_t earliest_get(const EarliestTable *t, const StrId *keys)
{
    uint32_t k = find(t, keys, hash_keys(keys, t->nkeys));
    return k == HIDX_NONE ? INT64_MAX : entry_time(t, k);
}

/* Holding every event: the time of the first event of `types` up to until
 * whose fields f[0..n) hold combo, read through the index of the key with the
 * fewest events, as a scan narrowed by them would; INT64_MAX when none. */
static int64_t first_held(Unit *u, const Dataset *ds, uint64_t types, const uint32_t *f, const StrId *combo, uint32_t n,
                          int64_t until, bool *failed)
{
    uint32_t best = 0, fewest = UINT32_MAX;
    const uint32_t *pos = NULL;
    for (uint32_t j = 0; j < n; j++) {
        uint32_t np;
        const uint32_t *p = unit_key_positions(u, ds, f[j], combo[j], &np);
        if (!p) { *failed = true; return INT64_MAX; }
        if (np < fewest) fewest = np, pos = p, best = j;
    }
    for (uint32_t i = 0; i < fewest; i++) {
        const Event *ev = &ds->events[u->evs[pos[i]]];
        if (ev->time > until) break;
        bool all = types >> ev->type & 1;
        for (uint32_t j = 0; all && j < n; j++) {
            if (j == best) continue;
            Cell c = event_cell(ds, ev, f[j]);
            all = (c.tag == CELL_STR && c.s == combo[j]) || (c.tag == CELL_LIST && c.list && list_has(c.list, combo[j]));
        }
        if (all) return ev->time;
    }
    return INT64_MAX;
}

int64_t earliest_least(Unit *u, const Dataset *ds, uint64_t types, uint64_t fields, const StrId *const *vals,
                       const uint32_t *nv, uint32_t n, int64_t until, bool *failed)
{
    const EarliestTable *t = u->early.set_up ? earliest_table(&u->early, types, fields) : NULL;
    if (u->early.set_up && !t) return INT64_MAX;
    uint32_t f[ZL_EARLIEST_KEYS], k = 0, at[ZL_EARLIEST_KEYS] = {0};
    for (uint32_t b = 0; b < 64 && k < n; b++)
        if (fields >> b & 1) f[k++] = b;
    int64_t best = INT64_MAX;
    do {
        StrId combo[ZL_EARLIEST_KEYS] = {0};
        for (uint32_t i = 0; i < n; i++) combo[i] = vals[i][at[i]];
        int64_t e = t ? earliest_get(t, combo) : first_held(u, ds, types, f, combo, n, until, failed);
        if (e < best) best = e;
    } while (next_combination(at, nv, n));
    return best;
}

void earliest_visit(Earliest *es, void (*fn)(StrId *id, void *ctx), void *ctx)
{
    for (uint32_t j = 0; j < es->ntables; j++) {
        EarliestTable *t = &es->tables[j];
        for (uint32_t k = 0; k < t->n; k++)
            for (uint32_t i = 0; i < t->nkeys; i++) fn(&t->entries[(size_t)k * stride(t) + i], ctx);
    }
}

void earliest_rehash(Earliest *es)
{
    for (uint32_t j = 0; j < es->ntables; j++) {
        EarliestTable *t = &es->tables[j];
        hidx_clear(&t->idx); /* as many entries as before: no growth, no failure */
        for (uint32_t k = 0; k < t->n; k++) hidx_add(&t->idx, hash_keys(&t->entries[(size_t)k * stride(t)], t->nkeys), k);
    }
}

void earliest_free(Earliest *es)
{
    for (uint32_t j = 0; j < es->ntables; j++) {
        free(es->tables[j].entries);
        hidx_free(&es->tables[j].idx);
    }
    free(es->tables);
    memset(es, 0, sizeof *es);
}
