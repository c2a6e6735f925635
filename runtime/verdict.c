/* verdict.c - identity, dedupe and ordering of verdicts (see verdict.h).
 * Identities are found through a hash index (hidx.h) of the result. */
#define _GNU_SOURCE /* qsort_r: comparisons that need the string table, without globals */
#include "verdict.h"

#include <stdlib.h>
#include <string.h>

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

/* Indexes the result again after the string ids changed. */
static bool seen_rebuild(Verdicts *vs, Arena *scratch)
{
    RunResult *out = vs->out;
    hidx_free(&vs->seen);
    for (uint32_t i = 0; i < out->n; i++) {
        const Violation *v = &out->v[i];
        List *l = arena_alloc(scratch, sizeof(List) + sizeof(StrId) * v->nsubjects);
        if (!l) return false;
        /* the hash needs the id-sorted subjects */
        l->n = v->nsubjects;
        memcpy(l->items, v->subjects, sizeof(StrId) * v->nsubjects);
        for (uint32_t a = 1; a < l->n; a++)
            for (uint32_t b = a; b > 0 && l->items[b - 1] > l->items[b]; b--) {
                StrId t = l->items[b]; l->items[b] = l->items[b - 1]; l->items[b - 1] = t;
            }
        if (hidx_add(&vs->seen, (uint32_t)verdict_hash(v, l), i) != 0) return false;
    }
    vs->seen_stale = false;
    return true;
}

/* An evidence event and where it was read, sorted together by the event's id. */
typedef struct Evidence { StrId id; int64_t loc; } Evidence;

static int cmp_evidence_by_text(const void *a, const void *b, void *strs)
{
    return strcmp(strtab_str(strs, ((const Evidence *)a)->id), strtab_str(strs, ((const Evidence *)b)->id));
}

/* A verdict's stored form: the identity, then copies of the lists and
 * message; false when out of memory. */
static bool fill_verdict(Verdicts *vs, Violation *v, const Violation *id, const List *subjects, const List *evidence,
                         const int64_t *evidence_loc, const char *message, Arena *scratch)
{
    RunResult *out = vs->out;
    const Dataset *ds = vs->ds;
    *v = *id;
    v->nsubjects = subjects->n;
    v->subjects = arena_alloc(&out->arena, sizeof(StrId) * (subjects->n + 1));
    v->evidence = arena_alloc(&out->arena, sizeof(StrId) * (evidence->n + 1));
    v->evidence_loc = arena_alloc(&out->arena, sizeof(int64_t) * (evidence->n + 1));
    v->message = arena_strdup(&out->arena, message);
    if (out->arena.failed) return false;
    memcpy(v->subjects, subjects->items, sizeof(StrId) * subjects->n);
    qsort_r(v->subjects, v->nsubjects, sizeof(StrId), cmp_strid_by_text, (void *)&ds->strs);
    v->nevidence = evidence->n;
    Evidence *ev = arena_alloc(scratch, sizeof(Evidence) * (evidence->n + 1));
    if (!ev) return false;
    for (uint32_t i = 0; i < evidence->n; i++) ev[i] = (Evidence){evidence->items[i], evidence_loc ? evidence_loc[i] : 0};
    if (evidence->n) qsort_r(ev, evidence->n, sizeof(Evidence), cmp_evidence_by_text, (void *)&ds->strs);
    for (uint32_t i = 0; i < evidence->n; i++) {
        v->evidence[i] = ev[i].id;
        v->evidence_loc[i] = ev[i].loc;
    }
    return true;
}

bool verdict_emit(Verdicts *vs, const Violation *id, const List *subjects, const List *evidence, const int64_t *evidence_loc,
                  const char *message, Arena *scratch)
{
    RunResult *out = vs->out;
    if (vs->seen_stale && !seen_rebuild(vs, scratch)) return false;
    uint32_t hash = (uint32_t)verdict_hash(id, subjects), pos = 0;
    for (uint32_t k; (k = hidx_next(&vs->seen, hash, &pos)) != HIDX_NONE;) {
        if (k < out->n && same_identity(&out->v[k], id, subjects)) {
            /* reported already. Two calendar rows can give the same period:
             * the row judged first when every event is held (the lower one)
             * has its verdict reported, whichever step judges it */
            if (id->row >= out->v[k].row) return true;
            return fill_verdict(vs, &out->v[k], id, subjects, evidence, evidence_loc, message, scratch);
        }
    }
    if (out->n == out->cap) {
        uint32_t cap = out->cap ? out->cap * 2 : 256;
        Violation *v = realloc(out->v, sizeof(Violation) * cap);
        if (!v) return false;
        out->v = v;
        out->cap = cap;
    }
    if (hidx_add(&vs->seen, hash, out->n) != 0) return false;
    return fill_verdict(vs, &out->v[out->n++], id, subjects, evidence, evidence_loc, message, scratch);
}

void verdict_forget_index(Verdicts *vs)
{
    hidx_free(&vs->seen);
    vs->seen_stale = true;
}

void verdict_free(Verdicts *vs)
{
    verdict_forget_index(vs);
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

void verdict_sort(RunResult *out, const StrTab *strs)
{
    if (out->nunits) qsort_r(out->units, out->nunits, sizeof(UnitSummary), cmp_unit_summary, (void *)strs);
    if (out->n) qsort_r(out->v, out->n, sizeof(Violation), cmp_violation, (void *)strs);
}
