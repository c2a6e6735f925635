/* verdict.c - identity, dedupe and ordering of verdicts (see verdict.h).
 * Identities are found through a hash index (hidx.h) of the result. */
#define _GNU_SOURCE /* qsort_r: comparisons that need the string table, without globals */
#include "verdict.h"

#include <stdlib.h>
#include <string.h>

static uint64_t verdict_hash(const Violation *v, const StrId *subjects, uint32_t n)
{
    uint64_t h = 1469598103934665603ull;
#define MIX(x) (h = (h ^ (uint64_t)(x)) * 1099511628211ull)
    MIX(v->rule);
    MIX(v->unit);
    MIX(v->pending);
    if (v->periodic) { MIX(v->from); MIX(v->to); } else MIX(v->trigger_order);
    for (uint32_t i = 0; i < n; i++) MIX(subjects[i]);
#undef MIX
    return h;
}

static bool same_identity(const Violation *a, const Violation *b)
{
    if (a->rule != b->rule || a->unit != b->unit || a->pending != b->pending || a->periodic != b->periodic) return false;
    if (a->periodic ? (a->from != b->from || a->to != b->to) : a->trigger_order != b->trigger_order) return false;
    if (a->nsubjects != b->nsubjects) return false;
    /* a->subjects is sorted by string; compare as sets */
    for (uint32_t i = 0; i < b->nsubjects; i++) {
        bool found = false;
        for (uint32_t k = 0; k < a->nsubjects && !found; k++) found = a->subjects[k] == b->subjects[i];
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
    hidx_clear(&vs->seen);
    uint32_t most = 0;
    for (uint32_t i = 0; i < out->n; i++) most = out->v[i].nsubjects > most ? out->v[i].nsubjects : most;
    StrId *ids = arena_alloc(scratch, sizeof(StrId) * (most + 1u)); /* one for all: scratch must not grow with the verdicts */
    if (!ids) return false;
    for (uint32_t i = 0; i < out->n; i++) {
        const Violation *v = &out->v[i];
        /* the hash needs the id-sorted subjects */
        memcpy(ids, v->subjects, sizeof(StrId) * v->nsubjects);
        for (uint32_t a = 1; a < v->nsubjects; a++)
            for (uint32_t b = a; b > 0 && ids[b - 1] > ids[b]; b--) {
                StrId t = ids[b]; ids[b] = ids[b - 1]; ids[b - 1] = t;
            }
        if (hidx_add(&vs->seen, (uint32_t)verdict_hash(v, ids, v->nsubjects), i) != 0) return false;
    }
    vs->seen_stale = false;
    return true;
}

/* ---- messages --------------------------------------------------------------------- */

/* A template's references: ESC 'T' (the trigger's id), ESC 'S' k and ESC
 * 'E' k (subject or evidence k - 1, in stored order), ESC ESC (the byte
 * ESC itself). Only the first REF_MAX subjects and evidence, and texts of
 * two bytes or more, are looked for. */
enum { ESC = 0x01, REF_MAX = 16 };

typedef struct Ref { const char *text; size_t len; char kind, k; } Ref;

static uint32_t add_refs(Ref *refs, uint32_t n, const StrTab *strs, const StrId *ids, uint32_t count, char kind)
{
    for (uint32_t i = 0; i < count && i < REF_MAX; i++) {
        size_t len = strtab_len(strs, ids[i]);
        if (len >= 2) refs[n++] = (Ref){strtab_str(strs, ids[i]), len, kind, (char)(i + 1)};
    }
    return n;
}

/* message as v's template into out (2 * VERDICT_MESSAGE_MAX bytes); false
 * when it has no reference (then it is held as it is). */
static bool make_template(const Violation *v, const StrTab *strs, const char *message, size_t len, char *out)
{
    Ref refs[2 * REF_MAX + 1];
    uint32_t n = 0;
    if (!v->periodic && strtab_len(strs, v->trigger_id) >= 2)
        refs[n++] = (Ref){strtab_str(strs, v->trigger_id), strtab_len(strs, v->trigger_id), 'T', 0};
    n = add_refs(refs, n, strs, v->subjects, v->nsubjects, 'S');
    n = add_refs(refs, n, strs, violation_evidence(v), v->nevidence, 'E');
    /* the bytes a reference or an escape starts with: the runs of other bytes are copied whole */
    char stops[2 * REF_MAX + 3] = {ESC};
    for (uint32_t i = 0; i < n; i++) stops[i + 1] = refs[i].text[0];
    bool any = false;
    size_t o = 0;
    for (size_t p = 0; p < len;) {
        size_t run = strcspn(message + p, stops);
        memcpy(out + o, message + p, run);
        o += run;
        p += run;
        if (p == len) break;
        const Ref *best = NULL;
        for (uint32_t i = 0; i < n; i++)
            if (refs[i].len <= len - p && refs[i].text[0] == message[p] && (!best || refs[i].len > best->len) &&
                memcmp(message + p, refs[i].text, refs[i].len) == 0)
                best = &refs[i];
        if (best) {
            out[o++] = ESC;
            out[o++] = best->kind;
            if (best->k) out[o++] = best->k;
            p += best->len;
            any = true;
        } else if (message[p] == ESC) {
            out[o++] = ESC;
            out[o++] = ESC;
            p++;
            any = true;
        } else {
            out[o++] = message[p++];
        }
    }
    out[o] = '\0';
    return any;
}

/* The text reference r stands for (r just after an ESC), and its length in the template. */
static const char *ref_text(const Violation *v, const StrTab *strs, const char *r, size_t *skip)
{
    *skip = (r[0] == 'S' || r[0] == 'E') && r[1] ? 2 : 1;
    uint32_t k = *skip == 2 ? (uint8_t)r[1] - 1u : 0;
    if (r[0] == 'T') return strtab_str(strs, v->trigger_id);
    if (r[0] == 'S' && k < v->nsubjects) return strtab_str(strs, v->subjects[k]);
    if (r[0] == 'E' && k < v->nevidence) return strtab_str(strs, violation_evidence(v)[k]);
    *skip = r[0] == ESC;
    return r[0] == ESC ? "\x01" : ""; /* ESC ESC; nothing else is made */
}

/* Appends n bytes of s to buf[*o], within VERDICT_MESSAGE_MAX (always: the
 * text filled in is the message, shorter than that). */
static void put(char *buf, size_t *o, const char *s, size_t n)
{
    if (n > VERDICT_MESSAGE_MAX - 1 - *o) n = VERDICT_MESSAGE_MAX - 1 - *o;
    memcpy(buf + *o, s, n);
    *o += n;
}

const char *verdict_message(const Violation *v, const StrTab *strs, char buf[VERDICT_MESSAGE_MAX])
{
    if (!v->message_refs) return v->message;
    size_t o = 0, skip;
    for (const char *t = v->message;;) {
        const char *esc = strchrnul(t, ESC);
        put(buf, &o, t, (size_t)(esc - t));
        if (!*esc) break;
        const char *ref = ref_text(v, strs, esc + 1, &skip);
        put(buf, &o, ref, strlen(ref));
        t = esc + 1 + skip;
    }
    buf[o] = '\0';
    return buf;
}

/* The one stored copy of text (a message or a template); NULL when out of memory. */
static const char *intern_text(Verdicts *vs, const char *text)
{
    size_t len = strlen(text);
    uint32_t hash = hidx_hash_text(text, len), pos = 0;
    for (uint32_t k; (k = hidx_next(&vs->texts, hash, &pos)) != HIDX_NONE;)
        if (!strcmp(vs->text[k], text)) return vs->text[k];
    if (vs->ntext == vs->text_cap) {
        const char **t = array_grow(vs->text, &vs->text_cap, sizeof(char *), 64);
        if (!t) return NULL;
        vs->text = t;
    }
    char *copy = arena_alloc_packed(&vs->out->arena, len + 1, 1);
    if (!copy || hidx_add(&vs->texts, hash, vs->ntext) != 0) return NULL;
    memcpy(copy, text, len + 1);
    return vs->text[vs->ntext++] = copy;
}

/* ---- storing ---------------------------------------------------------------------- */

/* An evidence event and where it was read, sorted together by the event's id. */
typedef struct Evidence { StrId id; int64_t loc; } Evidence;

static int cmp_evidence_by_text(const void *a, const void *b, void *strs)
{
    return strcmp(strtab_str(strs, ((const Evidence *)a)->id), strtab_str(strs, ((const Evidence *)b)->id));
}

/* A verdict's stored form: the identity, its lists in one block of the
 * result's arena, its message shared; false when out of memory. */
static bool fill_verdict(Verdicts *vs, Violation *v, const Violation *in, const char *message, Arena *scratch)
{
    RunResult *out = vs->out;
    const StrTab *strs = &vs->ds->strs;
    uint32_t ns = in->nsubjects, ne = in->nevidence;
    StrId *block = arena_alloc_packed(&out->arena, violation_lists_size(ns, ne), sizeof(int64_t));
    /* a verdict names a few evidence events: sorted on the stack, in scratch when many */
    Evidence few[16];
    ArenaMark mark = arena_mark(scratch);
    Evidence *ev = ne <= 16 ? few : arena_alloc(scratch, sizeof(Evidence) * ne);
    if (!block || !ev) return false;
    const StrId *in_ev = violation_evidence(in);
    const int64_t *in_loc = violation_evidence_loc(in);
    for (uint32_t i = 0; i < ne; i++) ev[i] = (Evidence){in_ev[i], in_loc[i]};
    if (ne > 1) qsort_r(ev, ne, sizeof(Evidence), cmp_evidence_by_text, (void *)strs);
    *v = *in;
    v->subjects = block;
    memcpy(v->subjects, in->subjects, sizeof(StrId) * ns);
    if (ns > 1) qsort_r(v->subjects, ns, sizeof(StrId), cmp_strid_by_text, (void *)strs);
    StrId *evidence = violation_evidence(v);
    int64_t *loc = violation_evidence_loc(v);
    for (uint32_t i = 0; i < ne; i++) {
        evidence[i] = ev[i].id;
        loc[i] = ev[i].loc;
    }
    if (ev != few) arena_rewind(scratch, mark); /* a step replays a million verdicts: scratch must not grow with them */
    size_t len = strlen(message);
    char tpl[2 * VERDICT_MESSAGE_MAX];
    v->message_refs = len < VERDICT_MESSAGE_MAX && make_template(v, strs, message, len, tpl);
    v->message = intern_text(vs, v->message_refs ? tpl : message);
    return v->message != NULL;
}

bool verdict_emit(Verdicts *vs, const Violation *in, const char *message, Arena *scratch)
{
    RunResult *out = vs->out;
    if (vs->seen_stale && !seen_rebuild(vs, scratch)) return false;
    uint32_t hash = (uint32_t)verdict_hash(in, in->subjects, in->nsubjects), pos = 0;
    for (uint32_t k; (k = hidx_next(&vs->seen, hash, &pos)) != HIDX_NONE;) {
        if (k < out->n && same_identity(&out->v[k], in)) {
            /* reported already. Two calendar rows can give the same period:
             * the row judged first when every event is held (the lower one)
             * has its verdict reported, whichever step judges it */
            if (in->row >= out->v[k].row) return true;
            return fill_verdict(vs, &out->v[k], in, message, scratch);
        }
    }
    if (out->n == out->cap) {
        /* by half again: the result is held to the end of the run */
        uint32_t cap = out->cap ? out->cap + out->cap / 2 : 256;
        Violation *v = realloc(out->v, sizeof(Violation) * cap);
        if (!v) return false;
        out->v = v;
        out->cap = cap;
    }
    if (hidx_add(&vs->seen, hash, out->n) != 0) return false;
    if (!fill_verdict(vs, &out->v[out->n], in, message, scratch)) return false;
    out->n++;
    return true;
}

void verdict_forget_index(Verdicts *vs)
{
    hidx_clear(&vs->seen); /* its slots stay: as many verdicts come back */
    vs->seen_stale = true;
}

void verdict_free(Verdicts *vs)
{
    hidx_free(&vs->seen);
    hidx_free(&vs->texts);
    free(vs->text);
    vs->text = NULL;
    vs->ntext = vs->text_cap = 0;
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
