/* strgc.c - the string collection of a streaming run (see strgc.h): mark
 * every id the run holds, compact the table, remap. */
#include "strgc.h"

#include <stdatomic.h>
#include <stdlib.h>

#include "pool.h"
#include "stream.h"

/* Every interned string the run still holds, for marking and remapping. */
typedef void (*StrVisit)(StrId *id, void *ctx);

static void visit_strings(Stream *s, StrVisit fn, void *ctx)
{
    const Program *p = s->p;
    Dataset *ds = s->ds;
    for (uint32_t i = 0; i < p->nstrings; i++) fn(&ds->prog_str[i], ctx);
    for (uint32_t t = 0; t < p->ntables; t++)
        for (uint32_t k = 0; k < ds->tables[t].n; k++) dataset_record_strs(&ds->tables[t].rows[k], &ds->tables[t], fn, ctx);
    for (uint32_t i = 0; i < ds->nevents; i++) {
        fn(&ds->events[i].id, ctx);
        fn(&ds->events[i].unit, ctx);
        if (ds->events[i].cells) dataset_event_strs(&ds->events[i], ds, fn, ctx);
    }
    RunResult *out = s->out;
    for (uint32_t i = 0; i < out->n; i++) {
        Violation *v = &out->v[i];
        fn(&v->unit, ctx);
        fn(&v->trigger_id, ctx);
        for (uint32_t k = 0; k < v->nsubjects; k++) fn(&v->subjects[k], ctx);
        for (uint32_t k = 0; k < v->nevidence; k++) fn(&violation_evidence(v)[k], ctx);
    }
    for (uint32_t i = 0; i < s->nunits; i++) {
        fn(&s->units[i].u.id, ctx);
        earliest_visit(&s->units[i].u.early, fn, ctx);
    }
    for (uint32_t i = 0; i < out->njudged; i++) fn(&out->judged[i].unit, ctx);
    for (int d = 1; d <= 7; d++) fn(&s->vm.weekday[d], ctx);
}

static void mark_string(StrId *id, void *live) { ((uint8_t *)live)[*id] = 1; }
static void remap_string(StrId *id, void *map) { *id = ((const StrId *)map)[*id]; }

typedef struct Rekey {
    Stream *s;
    const StrId *map;
    atomic_bool failed;
} Rekey;

/* Pool job: the item-th unit's indexes under the new string ids. */
static void rekey_unit(void *ctx, uint32_t worker, uint32_t item)
{
    (void)worker;
    Rekey *rk = ctx;
    UnitState *us = &rk->s->units[item];
    earliest_rehash(&us->u.early);
    if (!us->skip && !unit_rekey(&us->u, rk->s->p, rk->s->ds, rk->map)) atomic_store(&rk->failed, true);
}

bool strgc_collect(Stream *s)
{
    Dataset *ds = s->ds;
    uint8_t *live = calloc(ds->strs.n + 1u, 1);
    if (!live) return false;
    live[0] = 1;
    visit_strings(s, mark_string, live);
    StrId *map = strtab_compact(&ds->strs, live);
    if (!map) {
        free(live);
        return false;
    }
    visit_strings(s, remap_string, map);
    dataset_forget_texts(ds);
    Rekey rk = {s, map, false};
    pool_run(s->pool, s->nunits, rekey_unit, &rk); /* each unit's indexes are its own */
    bool ok = !atomic_load(&rk.failed);
    free(map);
    free(live);
    verdict_forget_index(&s->verdicts); /* verdict identities hash the ids */
    s->strings_kept = ds->strs.n;
    return ok;
}
