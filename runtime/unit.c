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

static bool build_keyed(KeyedIndex *kx, const uint32_t *rows, uint32_t n, const TableData *td, int key)
{
    kx->nslots = 16;
    while (kx->nslots < n * 2 + 16) kx->nslots *= 2;
    kx->slots = malloc(sizeof(uint32_t) * kx->nslots);
    if (!kx->slots) return false;
    memset(kx->slots, 0xFF, sizeof(uint32_t) * kx->nslots);
    for (uint32_t k = 0; k < n; k++) {
        uint32_t row = rows[k];
        const Cell *c = &td->rows[row].cells[key];
        if (c->tag != CELL_STR) continue;
        uint32_t h = hash32(c->s) & (kx->nslots - 1);
        while (kx->slots[h] != UINT32_MAX && td->rows[kx->slots[h]].cells[key].s != c->s) h = (h + 1) & (kx->nslots - 1);
        kx->slots[h] = row; /* the later row wins */
    }
    return true;
}

bool unit_build_rows(Unit *u, const Program *p, const Dataset *ds)
{
    u->rows = calloc(p->ntables + 1u, sizeof(uint32_t *));
    u->nrows = calloc(p->ntables + 1u, sizeof(uint32_t));
    u->keyed = calloc(p->ntables + 1u, sizeof(KeyedIndex));
    u->fields = calloc(p->log.nfields + 1u, sizeof(FieldIndex));
    if (!u->rows || !u->nrows || !u->keyed || !u->fields) return false;
    for (uint32_t t = 0; t < p->ntables; t++) {
        const TableData *td = &ds->tables[t];
        u->rows[t] = malloc(sizeof(uint32_t) * (td->n + 1u));
        if (!u->rows[t]) return false;
        for (uint32_t k = 0; k < td->n; k++)
            if (row_applies(&td->rows[k], u->id, p->tables[t].kind == ZT_CALENDAR)) u->rows[t][u->nrows[t]++] = k;
        if (p->tables[t].kind == ZT_KEYED && !build_keyed(&u->keyed[t], u->rows[t], u->nrows[t], td, p->tables[t].key))
            return false;
    }
    return true;
}

void unit_free_events(Unit *u, const Program *p)
{
    free(u->evs);
    u->evs = NULL;
    u->nevs = 0;
    for (uint32_t f = 0; u->fields && f < p->log.nfields; f++) {
        free(u->fields[f].slots);
        free(u->fields[f].keys);
        free(u->fields[f].starts);
        free(u->fields[f].counts);
        free(u->fields[f].positions);
        memset(&u->fields[f], 0, sizeof(FieldIndex));
    }
}

void unit_free_rows(Unit *u, const Program *p)
{
    unit_free_events(u, p);
    for (uint32_t t = 0; t < p->ntables; t++) {
        if (u->rows) free(u->rows[t]);
        if (u->keyed) free(u->keyed[t].slots);
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

uint32_t unit_lookup(const Unit *u, const Dataset *ds, uint32_t t, StrId key)
{
    const KeyedIndex *kx = &u->keyed[t];
    if (!kx->nslots) return ZNONE;
    int kc = ds->prog->tables[t].key;
    uint32_t h = hash32(key) & (kx->nslots - 1);
    while (kx->slots[h] != UINT32_MAX) {
        uint32_t row = kx->slots[h];
        const Cell *c = &ds->tables[t].rows[row].cells[kc];
        if (c->tag == CELL_STR && c->s == key) return row;
        h = (h + 1) & (kx->nslots - 1);
    }
    return ZNONE;
}

/* Builds the index of the unit's events by the value(s) of log field f. */
static bool build_field_index(Unit *u, const Dataset *ds, uint32_t f)
{
    FieldIndex *fx = &u->fields[f];
    uint32_t total = 0;
    for (uint32_t k = 0; k < u->nevs; k++) {
        Cell c = event_cell(ds, &ds->events[u->evs[k]], f);
        total += c.tag == CELL_STR ? 1 : c.tag == CELL_LIST ? c.list->n : 0;
    }
    fx->nslots = 16;
    while (fx->nslots < total * 2 + 16) fx->nslots *= 2;
    fx->slots = malloc(sizeof(uint32_t) * fx->nslots);
    fx->keys = malloc(sizeof(StrId) * (total + 1));
    fx->starts = calloc(total + 1, sizeof(uint32_t));
    fx->counts = calloc(total + 1, sizeof(uint32_t));
    fx->positions = malloc(sizeof(uint32_t) * (total + 1));
    if (!fx->slots || !fx->keys || !fx->starts || !fx->counts || !fx->positions) return false;
    memset(fx->slots, 0xFF, sizeof(uint32_t) * fx->nslots);
    fx->nkeys = 0;
    /* pass 1: keys and counts; pass 2: positions */
    for (int pass = 0; pass < 2; pass++) {
        for (uint32_t k = 0; k < u->nevs; k++) {
            Cell cell = event_cell(ds, &ds->events[u->evs[k]], f);
            const Cell *c = &cell;
            uint32_t n = c->tag == CELL_STR ? 1 : c->tag == CELL_LIST ? c->list->n : 0;
            for (uint32_t m = 0; m < n; m++) {
                StrId key = c->tag == CELL_STR ? c->s : c->list->items[m];
                uint32_t h = hash32(key) & (fx->nslots - 1);
                while (fx->slots[h] != UINT32_MAX && fx->keys[fx->slots[h]] != key) h = (h + 1) & (fx->nslots - 1);
                if (fx->slots[h] == UINT32_MAX) {
                    fx->slots[h] = fx->nkeys;
                    fx->keys[fx->nkeys++] = key;
                }
                uint32_t e = fx->slots[h];
                if (pass == 0) fx->counts[e]++;
                else fx->positions[fx->starts[e] + fx->counts[e]++] = k;
            }
        }
        if (pass == 0) {
            uint32_t at = 0;
            for (uint32_t e = 0; e < fx->nkeys; e++) {
                fx->starts[e] = at;
                at += fx->counts[e];
                fx->counts[e] = 0;
            }
        }
    }
    fx->built = true;
    return true;
}

const uint32_t *unit_key_positions(Unit *u, const Dataset *ds, uint32_t f, StrId key, uint32_t *n)
{
    static const uint32_t none[1] = {0};
    FieldIndex *fx = &u->fields[f];
    *n = 0;
    if (!fx->built && !build_field_index(u, ds, f)) return NULL;
    uint32_t h = hash32(key) & (fx->nslots - 1);
    while (fx->slots[h] != UINT32_MAX) {
        uint32_t e = fx->slots[h];
        if (fx->keys[e] == key) {
            *n = fx->counts[e];
            return fx->positions + fx->starts[e];
        }
        h = (h + 1) & (fx->nslots - 1);
    }
    return none; /* an empty positions array, not a range */
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
