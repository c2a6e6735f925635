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
    while (t->nsels && t->sels[t->nsels - 1].depth > depth) t->nsels--;
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
    t->nsels = 0;
    t->active = rule < t->p->nrules && t->rules[rule];
    memset(&t->run, 0, sizeof t->run);
    t->run.rule = rule;
    t->run.unit = vm->unit->id;
    t->run.periodic = ctx->tag == V_PERIOD;
    t->run.from = ctx->i;
    t->run.to = ctx->to;
    t->run.trigger = ctx->tag == V_EVENT ? ctx->idx : ZNONE;
    t->trigger_time = ctx->tag == V_EVENT && ctx->idx < vm->ds->nevents ? vm->ds->events[ctx->idx].time : 0;
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

/* How far an event at time `at` lies from the run's period (0 inside) or trigger. */
static int64_t distance(const Trace *t, int64_t at)
{
    if (!t->run.periodic) return at < t->trigger_time ? t->trigger_time - at : at - t->trigger_time;
    return at < t->run.from ? t->run.from - at : at >= t->run.to ? at - t->run.to + 1 : 0;
}

/* The event just examined: a match, or perhaps the nearest miss so far. */
static void close_event(Trace *t, const Vm *vm, TraceSel *s)
{
    if (!s->has_cur) return;
    s->has_cur = false;
    if (s->cur.failed == 0) {
        if (s->nmatched < TRACE_MAX_MATCHED) s->matched[s->nmatched] = s->cur.event;
        s->nmatched++;
        return;
    }
    int n = __builtin_popcountll(s->cur.failed), best = s->has_miss ? __builtin_popcountll(s->miss.failed) : 65;
    int64_t d = distance(t, vm->ds->events[s->cur.event].time);
    if (n < best || (n == best && d < s->miss_distance)) {
        s->has_miss = true;
        s->miss = s->cur;
        s->miss_distance = d;
    }
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
    if (t->nsels) memcpy(v->sels, t->sels, sizeof(TraceSel) * t->nsels);
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
        if (t->open != 1 || !cur || slots[in->a].tag != V_EVENT) break;
        close_event(t, vm, cur);
        cur->examined++;
        cur->has_cur = true;
        cur->cur.event = slots[in->a].idx;
        cur->cur.failed = 0;
        break;
    case ZTR_CONJ:
        if (t->open == 1 && cur && cur->has_cur && tp->index < 64 && !(top->tag == V_BOOL && top->i))
            cur->cur.failed |= (uint64_t)1 << tp->index;
        break;
    case ZTR_SEL_END:
        if (t->open && --t->open == 0 && cur) {
            close_event(t, vm, cur);
            note_result(cur, top);
        }
        break;
    case ZTR_REQUIRE:
        if (top->tag == V_BOOL && top->i) record(t, TRACE_KEPT);
        break;
    case ZTR_VERDICT: record(t, tp->index ? TRACE_PENDING : TRACE_VIOLATED); break;
    default: break;
    }
}
