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

/* The row of td whose column `key` holds the string s, or ZNONE. */
static uint32_t keyed_find(const HIdx *kx, const TableData *td, int key, StrId s)
{
    uint32_t pos = 0;
    for (uint32_t row; (row = hidx_next(kx, hidx_hash_id(s), &pos)) != HIDX_NONE;) {
        const Cell *c = &td->rows[row].cells[key];
        if (c->tag == CELL_STR && c->s == s) return row;
    }
    return ZNONE;
}

static bool build_keyed(HIdx *kx, const uint32_t *rows, uint32_t n, const TableData *td, int key)
{
    for (uint32_t k = n; k-- > 0;) { /* the later row wins: it is indexed first */
        uint32_t row = rows[k];
        const Cell *c = &td->rows[row].cells[key];
        if (c->tag != CELL_STR || keyed_find(kx, td, key, c->s) != ZNONE) continue;
        if (hidx_add(kx, hidx_hash_id(c->s), row) != 0) return false;
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

static void free_field_index(FieldIndex *fx)
{
    hidx_free(&fx->index);
    free(fx->keys);
    free(fx->starts);
    free(fx->counts);
    free(fx->positions);
    memset(fx, 0, sizeof *fx);
}

void unit_free_events(Unit *u, const Program *p)
{
    free(u->evs);
    u->evs = NULL;
    u->nevs = 0;
    for (uint32_t f = 0; u->fields && f < p->log.nfields; f++) free_field_index(&u->fields[f]);
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

uint32_t unit_lookup(const Unit *u, const Dataset *ds, uint32_t t, StrId key)
{
    return keyed_find(&u->keyed[t], &ds->tables[t], ds->prog->tables[t].key, key);
}

/* The entry of `key` in fx, or HIDX_NONE. */
static uint32_t field_entry(const FieldIndex *fx, StrId key)
{
    uint32_t pos = 0;
    for (uint32_t e; (e = hidx_next(&fx->index, hidx_hash_id(key), &pos)) != HIDX_NONE;)
        if (fx->keys[e] == key) return e;
    return HIDX_NONE;
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
    fx->keys = malloc(sizeof(StrId) * (total + 1));
    fx->starts = calloc(total + 1, sizeof(uint32_t));
    fx->counts = calloc(total + 1, sizeof(uint32_t));
    fx->positions = malloc(sizeof(uint32_t) * (total + 1));
    if (!fx->keys || !fx->starts || !fx->counts || !fx->positions) {
        free_field_index(fx);
        return false;
    }
    fx->nkeys = 0;
    /* pass 1: keys and counts; pass 2: positions */
    for (int pass = 0; pass < 2; pass++) {
        for (uint32_t k = 0; k < u->nevs; k++) {
            Cell cell = event_cell(ds, &ds->events[u->evs[k]], f);
            const Cell *c = &cell;
            uint32_t n = c->tag == CELL_STR ? 1 : c->tag == CELL_LIST ? c->list->n : 0;
            for (uint32_t m = 0; m < n; m++) {
                StrId key = c->tag == CELL_STR ? c->s : c->list->items[m];
                uint32_t e = field_entry(fx, key);
                if (e == HIDX_NONE) {
                    if (hidx_add(&fx->index, hidx_hash_id(key), fx->nkeys) != 0) {
                        free_field_index(fx);
                        return false;
                    }
                    e = fx->nkeys;
                    fx->keys[fx->nkeys++] = key;
                }
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
    uint32_t e = field_entry(fx, key);
    if (e == HIDX_NONE) return none; /* an empty positions array, not a range */
    *n = fx->counts[e];
    return fx->positions + fx->starts[e];
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
