/* trace.c - records the evidence trail of a traced program's runs (trace.h)
 * as the VM reaches its TRACE instructions. It only observes: it never
 * changes a value, a slot or the control flow of the run. */
#define _GNU_SOURCE /* qsort_r: a range in text order, as the VM iterates it */
#include "trace.h"

#include <stdlib.h>
#include <string.h>

#include "vm.h"

Trace *trace_new(const Program *p)
{
    Trace *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->p = p;
    t->rules = calloc(p->nrules + 1u, sizeof(bool));
    if (!t->rules) { free(t); return NULL; }
    arena_init(&t->arena);
    return t;
}

void trace_want_rule(Trace *t, uint32_t rule)
{
    if (rule < t->p->nrules) t->rules[rule] = true;
}

/* Drops the current selections run deeper than `depth`. */
static void drop_sels(Trace *t, uint32_t depth)
{
    while (t->nsels && t->sels[t->nsels - 1].depth > depth) free(t->sels[--t->nsels].evs);
}

void trace_free(Trace *t)
{
    if (!t) return;
    drop_sels(t, 0);
    free(t->sels);
    free(t->v);
    free(t->rules);
    arena_free(&t->arena);
    free(t);
}

static void begin_run(Trace *t, const Vm *vm, uint32_t rule, const Value *ctx)
{
    t->depth = 0;
    t->open = 0;
    if (t->nsels) {
        for (uint32_t i = 0; i < t->nsels; i++) free(t->sels[i].evs);
        t->nsels = 0;
    }
    t->active = rule < t->p->nrules && t->rules[rule];
    memset(&t->run, 0, sizeof t->run);
    t->run.rule = rule;
    t->run.unit = vm->unit->id;
    t->run.periodic = ctx->tag == V_PERIOD;
    t->run.from = ctx->i;
    t->run.to = ctx->to;
    t->run.trigger = ctx->tag == V_EVENT ? ctx->idx : ZNONE;
}

static int cmp_text(const void *a, const void *b, void *strs)
{
    return strcmp(strtab_str(strs, *(const StrId *)a), strtab_str(strs, *(const StrId *)b));
}

/* A copy of the list on top of the stack, for a binding's range, in the
 * order the loop takes it (text order). */
static void note_range(Trace *t, const Vm *vm, uint32_t point, const Value *top)
{
    uint32_t d = t->p->trace[point].index;
    if (d >= TRACE_MAX_DEPTH) return;
    TraceBinding *b = &t->bound[d];
    memset(b, 0, sizeof *b);
    b->point = point;
    if (top->tag == V_LIST && top->list && top->list->n) {
        b->range = arena_alloc(&t->arena, sizeof(StrId) * top->list->n);
        memcpy(b->range, top->list->items, sizeof(StrId) * top->list->n);
        b->nrange = top->list->n;
        qsort_r(b->range, b->nrange, sizeof(StrId), cmp_text, (void *)&vm->ds->strs);
    }
}

static void note_bind(Trace *t, uint32_t point, const Value *slots, uint8_t slot)
{
    uint32_t d = t->p->trace[point].index;
    if (d >= TRACE_MAX_DEPTH) return;
    drop_sels(t, d);
    t->depth = d + 1;
    t->bound[d].value = slots[slot].tag == V_STR ? slots[slot].idx : ZNONE;
    bool pair = t->p->trace[t->p->trace[point].owner].name2 != ZNONE;
    t->bound[d].value2 = pair && slots[slot + 1].tag == V_STR ? slots[slot + 1].idx : ZNONE;
}

static TraceSel *open_sel(Trace *t, uint32_t point)
{
    if (t->nsels == t->sels_cap) {
        uint32_t cap = t->sels_cap ? t->sels_cap * 2 : 8;
        TraceSel *s = realloc(t->sels, sizeof *s * cap);
        if (!s) { t->failed = true; return NULL; }
        t->sels = s;
        t->sels_cap = cap;
    }
    TraceSel *s = &t->sels[t->nsels++];
    memset(s, 0, sizeof *s);
    s->point = point;
    s->depth = t->depth;
    return s;
}

static void note_event(Trace *t, TraceSel *s, uint32_t event)
{
    if (s->nevs == s->cap) {
        uint32_t cap = s->cap ? s->cap * 2 : 16;
        TraceEvent *e = realloc(s->evs, sizeof *e * cap);
        if (!e) { t->failed = true; return; }
        s->evs = e;
        s->cap = cap;
    }
    s->evs[s->nevs].event = event;
    s->evs[s->nevs].failed = 0;
    s->nevs++;
}

static void note_result(TraceSel *s, const Value *top)
{
    switch (top->tag) {
    case V_BOOL: s->result = top->i ? 1 : 0; break;
    case V_INT: s->result = 2; s->count = top->i; break;
    case V_EVENT: s->result = 3; s->result_event = top->idx; break;
    default: s->result = 0; break;
    }
}

/* The run's state as one verdict, copied into the trace's arena. */
static void record(Trace *t, TraceOutcome outcome)
{
    if (t->n == t->cap) {
        uint32_t cap = t->cap ? t->cap * 2 : 32;
        TraceVerdict *v = realloc(t->v, sizeof *v * cap);
        if (!v) { t->failed = true; return; }
        t->v = v;
        t->cap = cap;
    }
    TraceVerdict *v = &t->v[t->n++];
    *v = t->run;
    v->outcome = (uint8_t)outcome;
    v->nbindings = t->depth;
    v->bindings = arena_alloc(&t->arena, sizeof(TraceBinding) * (t->depth + 1u));
    memcpy(v->bindings, t->bound, sizeof(TraceBinding) * t->depth);
    v->nsels = t->nsels;
    v->sels = arena_alloc(&t->arena, sizeof(TraceSel) * (t->nsels + 1u));
    for (uint32_t i = 0; i < t->nsels; i++) {
        v->sels[i] = t->sels[i];
        v->sels[i].evs = arena_alloc(&t->arena, sizeof(TraceEvent) * (t->sels[i].nevs + 1u));
        if (t->sels[i].nevs) memcpy(v->sels[i].evs, t->sels[i].evs, sizeof(TraceEvent) * t->sels[i].nevs);
        v->sels[i].cap = t->sels[i].nevs;
    }
}

void trace_point(Trace *t, const Vm *vm, const Insn *in, const Value *slots, const Value *top)
{
    if (in->c >= t->p->ntrace) return;
    const ZTracePoint *tp = &t->p->trace[in->c];
    if (tp->kind == ZTR_BODY) {
        begin_run(t, vm, tp->rule, &slots[in->a]);
        return;
    }
    if (!t->active || t->failed) return;
    TraceSel *cur = t->nsels ? &t->sels[t->nsels - 1] : NULL;
    switch ((ZTraceKind)tp->kind) {
    case ZTR_RANGE: note_range(t, vm, in->c, top); break;
    case ZTR_BIND: note_bind(t, in->c, slots, in->a); break;
    case ZTR_SEL_BEGIN:
        if (t->open++ == 0) open_sel(t, in->c);
        break;
    case ZTR_SEL_EVENT:
        if (t->open == 1 && cur && slots[in->a].tag == V_EVENT) note_event(t, cur, slots[in->a].idx);
        break;
    case ZTR_CONJ:
        if (t->open == 1 && cur && cur->nevs && tp->index < 64 && !(top->tag == V_BOOL && top->i))
            cur->evs[cur->nevs - 1].failed |= (uint64_t)1 << tp->index;
        break;
    case ZTR_SEL_END:
        if (t->open && --t->open == 0 && cur) note_result(cur, top);
        break;
    case ZTR_REQUIRE:
        if (top->tag == V_BOOL && top->i) record(t, TRACE_KEPT);
        break;
    case ZTR_VERDICT: record(t, tp->index ? TRACE_PENDING : TRACE_VIOLATED); break;
    default: break;
    }
}
