/* vm.c - executes verified functions. Every instruction defines its result
 * for every operand, missing and ill-typed ones included, so a verified
 * program cannot misbehave whatever the data: a missing value equals nothing,
 * compares as false, and a missing list is empty. Lists are sets of interned
 * strings kept sorted, so set operations are merges. */
#define _GNU_SOURCE /* qsort_r: orders by text without globals */
#include "vm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "limits.h"
#include "trace.h"
#include "ztime.h"

struct Iter {
    const StrId *items;
    uint32_t n, i, j;
    const uint32_t *pos;   /* scan: positions into unit->evs, or NULL for a range */
    uint32_t cur, end;
    uint64_t mask;
    int64_t until;         /* scan: the last time it can return (INT64_MAX: none) */
    bool backwards;        /* scan: SCAN_LAST, from the last event before until down to cur */
    bool started;          /* scan backwards: end is past the last event it can return */
    bool marked;           /* mark: the scratch arena when its loop's head first ran */
    ArenaMark mark;
    /* SCAN_ANY_*: the fewest candidates of each disjunct gathered so far
     * (any_pos[nany] the current one's, when any_has) */
    const uint32_t *any_pos[ZL_MAX_DISJUNCTS];
    uint32_t any_n[ZL_MAX_DISJUNCTS];
    uint8_t nany;
    bool any_has, any_off;
    /* after SCAN_ANY_END: the scan reads the union of any_pos[0 .. nunion),
     * merged as it goes (any_at: how far in each), not it->pos */
    bool lazy;
    uint8_t nunion;
    uint32_t any_at[ZL_MAX_DISJUNCTS];
};

static const Value missing = {0};

static Value mk_bool(bool b) { Value v = {0}; v.tag = V_BOOL; v.i = b; return v; }
static Value mk_int(uint8_t tag, int64_t i) { Value v = {0}; v.tag = tag; v.i = i; return v; }
static Value mk_str(StrId s) { Value v = {0}; v.tag = V_STR; v.idx = s; return v; }
static Value mk_list(const List *l) { Value v = {0}; v.tag = V_LIST; v.list = l; return v; }

static bool truthy(Value v) { return v.tag == V_BOOL && v.i; }

static const List empty_list = {0};

static const List *as_list(Value v) { return v.tag == V_LIST && v.list ? v.list : &empty_list; }

/* NULL when out of memory: the scratch arena's failed flag then voids the
 * run (the host checks it), so what follows only has to be safe. */
static List *new_list(Vm *vm, uint32_t n)
{
    return arena_alloc(&vm->scratch, sizeof(List) + sizeof(StrId) * n);
}

static const List *list_merge(Vm *vm, const List *a, const List *b, int op) /* 0 union, 1 inter, 2 diff */
{
    /* lists are never changed once made: an empty side gives a side, or the empty list, without a copy */
    if (a->n == 0) return op == 0 ? b : &empty_list;
    if (b->n == 0) return op == 1 ? &empty_list : a;
    List *r = new_list(vm, a->n + b->n);
    if (!r) return &empty_list;
    uint32_t i = 0, j = 0;
    while (i < a->n || j < b->n) {
        if (j == b->n || (i < a->n && a->items[i] < b->items[j])) {
            if (op != 1) r->items[r->n++] = a->items[i];
            i++;
        } else if (i == a->n || b->items[j] < a->items[i]) {
            if (op == 0) r->items[r->n++] = b->items[j];
            j++;
        } else {
            if (op != 2) r->items[r->n++] = a->items[i];
            i++;
            j++;
        }
    }
    return r;
}

static int cmp_strid(const void *x, const void *y)
{
    StrId a = *(const StrId *)x, b = *(const StrId *)y;
    return a < b ? -1 : a > b;
}

/* Makes l a set: sorted by id, without duplicates. */
static List *sorted_set(List *l)
{
    if (l->n > 16) {
        qsort(l->items, l->n, sizeof(StrId), cmp_strid);
    } else { /* most lists built at run time are a few values: qsort's call costs more */
        for (uint32_t i = 1; i < l->n; i++) {
            StrId x = l->items[i];
            uint32_t j = i;
            for (; j > 0 && l->items[j - 1] > x; j--) l->items[j] = l->items[j - 1];
            l->items[j] = x;
        }
    }
    uint32_t u = 0;
    for (uint32_t i = 0; i < l->n; i++)
        if (u == 0 || l->items[u - 1] != l->items[i]) l->items[u++] = l->items[i];
    l->n = u;
    return l;
}

static inline __attribute__((always_inline)) Value cell_value(const Cell *c, uint8_t type)
{
    switch (c->tag) {
    case CELL_STR: return mk_str(c->s);
    case CELL_LIST: return mk_list(c->list);
    case CELL_TIME: return mk_int(V_TIME, c->i);
    case CELL_INT: return mk_int((type & ~VT_LIST_FLAG) == VT_DURATION ? V_DUR : V_INT, c->i);
    case CELL_BOOL: return mk_bool(c->i != 0);
    default: return missing;
    }
}

static inline __attribute__((always_inline)) Value const_value(Vm *vm, uint32_t k)
{
    const ZConst *c = &vm->p->consts[k];
    switch (c->kind) {
    case CONST_STR: return mk_str(vm->ds->prog_str[c->value]);
    case CONST_INT: return mk_int(V_INT, c->value);
    case CONST_DURATION: return mk_int(V_DUR, c->value);
    case CONST_TIME: return mk_int(V_TIME, c->value);
    case CONST_BOOL: return mk_bool(c->value != 0);
    default: return mk_int(V_INT, c->value);
    }
}

static bool values_equal(Value a, Value b)
{
    if (a.tag == V_MISSING || b.tag == V_MISSING) return false;
    if (a.tag == V_LIST || b.tag == V_LIST) {
        if (a.tag != b.tag) return false;
        const List *x = as_list(a), *y = as_list(b);
        return x->n == y->n && (x->n == 0 || !memcmp(x->items, y->items, sizeof(StrId) * x->n));
    }
    if (a.tag != b.tag) return false;
    switch (a.tag) {
    case V_STR: case V_EVENT: return a.idx == b.idx;
    case V_ROW: return a.table == b.table && a.idx == b.idx;
    case V_PERIOD: return a.i == b.i && a.to == b.to;
    case V_TEXT: return !strcmp(a.text, b.text);
    default: return a.i == b.i;
    }
}

static bool ordered(Value a, Value b) { return a.tag == b.tag && (a.tag == V_INT || a.tag == V_DUR || a.tag == V_TIME); }

static const Event *event_of(Vm *vm, Value v) { return v.tag == V_EVENT && v.idx < vm->ds->nevents ? &vm->ds->events[v.idx] : NULL; }

static const Record *row_of(Vm *vm, Value v)
{
    if ((v.tag != V_ROW && v.tag != V_PERIOD) || v.table >= vm->p->ntables || v.idx >= vm->ds->tables[v.table].n) return NULL;
    return &vm->ds->tables[v.table].rows[v.idx];
}

/* ROW_FIELD, PERIOD_FIELD: field in->c of v, a row of table in->b. */
static Value row_field(Vm *vm, const Insn *in, Value v)
{
    const Record *r = v.table == in->b ? row_of(vm, v) : NULL;
    if (!r) return missing;
    Cell c = record_cell(&vm->ds->tables[in->b], r, in->c);
    return cell_value(&c, vm->p->tables[in->b].fields[in->c].type);
}

/* ---- calendar rows ----------------------------------------------------------------- */

/* Whether a period [a, b) (a time: a == b) lies in (within) or shares an
 * instant with (overlaps) calendar row v's [from, to); an empty from or to
 * leaves that side open. A time lies in the row when from <= t < to. */
static bool row_holds(Vm *vm, Value x, Value v, bool within)
{
    const Record *r = row_of(vm, v);
    if (!r || v.tag != V_ROW || vm->p->tables[v.table].kind != ZT_CALENDAR) return false;
    const ZTable *t = &vm->p->tables[v.table];
    const TableData *td = &vm->ds->tables[v.table];
    int ff = zt_field(vm->p, t, "from"), ft = zt_field(vm->p, t, "to");
    Cell cf = ff >= 0 ? record_cell(td, r, (uint32_t)ff) : (Cell){0}, ct = ft >= 0 ? record_cell(td, r, (uint32_t)ft) : (Cell){0};
    int64_t from = cf.tag == CELL_TIME ? cf.i : INT64_MIN;
    int64_t to = ct.tag == CELL_TIME ? ct.i : INT64_MAX;
    if (x.tag == V_TIME) return from <= x.i && x.i < to;
    if (x.tag != V_PERIOD) return false;
    return within ? from <= x.i && x.to <= to : from < x.to && x.i < to;
}

/* An iterator over the unit's rows of calendar `table`, and its next row. */
static Value rows_init(Vm *vm, uint16_t table)
{
    Iter *it = arena_alloc(&vm->scratch, sizeof *it);
    Value v = {0};
    if (!it) return v;
    it->pos = vm->unit->rows[table];
    it->n = vm->unit->nrows[table];
    it->cur = table;
    v.tag = V_ITER;
    v.it = it;
    return v;
}

static bool rows_next(Iter *it, Value *row)
{
    if (it->i >= it->n) return false;
    Value v = {0};
    v.tag = V_ROW;
    v.table = (uint16_t)it->cur;
    v.idx = it->pos[it->i++];
    *row = v;
    return true;
}

/* ---- roster -------------------------------------------------------------------- */

RosterCols vm_roster_cols(const Program *p)
{
    RosterCols c = {-1, -1, -1, -1, -1};
    for (uint32_t i = 0; i < p->ntables; i++) {
        const ZTable *t = &p->tables[i];
        if (t->kind != ZT_ROSTER) continue;
        c.person = zt_field(p, t, "person");
        c.role = zt_field(p, t, "role");
        c.from = zt_field(p, t, "from");
        c.to = zt_field(p, t, "to");
        c.name = zt_field(p, t, "name");
    }
    return c;
}

/* Where a roster's person, role, from and to lie in its rows
 * (TableData.fixed), copied out for a loop over them. */
typedef struct RosterSlots {
    uint16_t person, role, from, to;
} RosterSlots;

static RosterSlots roster_slots(const TableData *td)
{
    return (RosterSlots){td->fixed[FIX_PERSON], td->fixed[FIX_ROLE], td->fixed[FIX_FROM], td->fixed[FIX_TO]};
}

/* Row w (Record.cells) is person's (0: anyone's) in role, from <= a
 * (missing: always) and, for `at`, a < to; for `throughout`, to >= b. The
 * caller makes sure that person and role lie somewhere. */
static inline bool row_valid(const uint32_t *w, RosterSlots k, StrId person, StrId role, int64_t a, int64_t b, bool throughout)
{
    if (w[k.role] != role || !w[k.person] || (person && w[k.person] != person)) return false; /* missing: 0 */
    int64_t from = record_time_at(w, k.from), to = record_time_at(w, k.to);
    if (from > a) return false; /* missing: INT64_MIN */
    return to == INT64_MIN || (throughout ? to >= b : a < to);
}

static const List *role_holders(Vm *vm, uint32_t table, Value role, int64_t a, int64_t b, bool throughout)
{
    if (table >= vm->p->ntables || role.tag != V_STR) return &empty_list;
    uint32_t n = vm->unit->nrows[table];
    List *l = new_list(vm, n);
    if (!l) return &empty_list;
    const TableData *td = &vm->ds->tables[table]; /* the verifier allows ROLE_* only on the roster */
    const Record *rows = td->rows;
    const uint32_t *mine = vm->unit->rows[table];
    RosterSlots rs = roster_slots(td);
    if (rs.person == SLOT_NONE || rs.role == SLOT_NONE || !role.idx) n = 0;
    for (uint32_t k = 0; k < n; k++) {
        const uint32_t *w = rows[mine[k]].cells;
        if (row_valid(w, rs, 0, role.idx, a, b, throughout)) l->items[l->n++] = w[rs.person];
    }
    return sorted_set(l);
}

/* ---- text formatting --------------------------------------------------------------- */

static const char *or_empty(const char *text) { return text ? text : ""; }

static const char *fmt_time(Vm *vm, int64_t t, bool date_only)
{
    /* data and literals lie in the years 1 to 9999; a time computed from
     * them (e.time + 3000000d) may not, and has no four-digit year to show */
    if (!zt_in_years(t, vm->p->meta.tz_offset)) return t < 0 ? "(before the year 1)" : "(after the year 9999)";
    char buf[40];
    zt_format(t, vm->p->meta.tz_offset, buf, sizeof buf);
    buf[date_only ? 10 : 16] = '\0';
    if (!date_only) buf[10] = ' ';
    return or_empty(arena_strdup(&vm->scratch, buf));
}

static int cmp_by_text(const void *a, const void *b, void *strs)
{
    return strcmp(strtab_str(strs, *(const StrId *)a), strtab_str(strs, *(const StrId *)b));
}

/* A list's items in text order, for what the user sees and for loops: lists
 * are sets kept in id order, and ids depend on when a string was first read
 * (and a streaming run may forget a string and read it again later). */
static const StrId *in_text_order(Vm *vm, const List *l)
{
    StrId *items = arena_alloc(&vm->scratch, sizeof(StrId) * (l->n + 1));
    if (!items) return l->items;
    memcpy(items, l->items, sizeof(StrId) * l->n);
    if (l->n > 16) {
        qsort_r(items, l->n, sizeof(StrId), cmp_by_text, &vm->ds->strs);
        return items;
    }
    for (uint32_t i = 1; i < l->n; i++) { /* a few values (a meeting's topics, its attendees): by insertion */
        StrId x = items[i];
        uint32_t j = i;
        for (; j > 0 && cmp_by_text(&items[j - 1], &x, &vm->ds->strs) > 0; j--) items[j] = items[j - 1];
        items[j] = x;
    }
    return items;
}

static const char *fmt_person(Vm *vm, StrId s)
{
    const char *id = strtab_str(&vm->ds->strs, s);
    const char *name = vm->host->person_name(vm->host->ctx, s);
    if (!name || !*name || !strcmp(name, id)) return id;
    return or_empty(arena_printf(&vm->scratch, "%s(%s)", name, id));
}

static const char *fmt_duration(Vm *vm, int64_t d)
{
    if (d % 86400 == 0) return or_empty(arena_printf(&vm->scratch, "%lldd", (long long)(d / 86400)));
    if (d % 3600 == 0) return or_empty(arena_printf(&vm->scratch, "%lldh", (long long)(d / 3600)));
    if (d % 60 == 0) return or_empty(arena_printf(&vm->scratch, "%lldmin", (long long)(d / 60)));
    return or_empty(arena_printf(&vm->scratch, "%llds", (long long)d));
}

static const char *to_text(Vm *vm, Value v, int fmt)
{
    switch (v.tag) {
    case V_MISSING: return "";
    case V_STR: return fmt == FMT_PERSON ? fmt_person(vm, v.idx) : strtab_str(&vm->ds->strs, v.idx);
    case V_TEXT: return v.text;
    case V_BOOL: return v.i ? "true" : "false";
    case V_INT: return or_empty(arena_printf(&vm->scratch, "%lld", (long long)v.i));
    case V_DUR: return fmt_duration(vm, v.i);
    case V_TIME: return fmt_time(vm, v.i, false);
    case V_PERIOD: {
        /* whole days: show the last day included */
        bool days = (v.i + vm->p->meta.tz_offset) % 86400 == 0 && (v.to + vm->p->meta.tz_offset) % 86400 == 0;
        if (days) return or_empty(arena_printf(&vm->scratch, "%s至%s", fmt_time(vm, v.i, true), fmt_time(vm, v.to - 86400, true)));
        return or_empty(arena_printf(&vm->scratch, "%s至%s", fmt_time(vm, v.i, false), fmt_time(vm, v.to, false)));
    }
    case V_EVENT: {
        const Event *e = event_of(vm, v);
        return e ? strtab_str(&vm->ds->strs, e->id) : "";
    }
    case V_LIST: {
        const List *l = as_list(v);
        const StrId *items = in_text_order(vm, l);
        size_t len = 1;
        const char **parts = arena_alloc(&vm->scratch, sizeof(char *) * (l->n + 1));
        if (!parts) return "";
        for (uint32_t i = 0; i < l->n; i++) {
            parts[i] = fmt == FMT_PERSONS ? fmt_person(vm, items[i]) : strtab_str(&vm->ds->strs, items[i]);
            len += strlen(parts[i]) + 2;
        }
        char *out = arena_alloc(&vm->scratch, len);
        if (!out) return "";
        for (uint32_t i = 0; i < l->n; i++) {
            if (i) strcat(out, ", ");
            strcat(out, parts[i]);
        }
        return out;
    }
    default: return "";
    }
}

/* ---- scans ------------------------------------------------------------------------- */

/* The events of the unit whose log field f holds key (an index of the unit,
 * built on first use). it->pos is NULL for a missing key. */
static void scan_by_key(Vm *vm, Iter *it, uint32_t f, Value key)
{
    it->pos = NULL;
    it->cur = it->end = 0;
    if (key.tag != V_STR || f >= vm->p->log.nfields) return;
    uint32_t n;
    it->pos = unit_key_positions(vm->unit, vm->ds, f, key.idx, &n);
    if (!it->pos) { vm->failed = true; return; } /* out of memory: the run is void */
    it->end = n;
}

/* Narrows a key's positions (in time order) to the events inside [from, to). */
static void narrow_to_period(Vm *vm, Iter *it, int64_t from, int64_t to)
{
    const Unit *u = vm->unit;
    const Event *ev = vm->ds->events;
    uint32_t lo = 0, hi = it->end;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (ev[u->evs[it->pos[mid]]].time < from) lo = mid + 1; else hi = mid;
    }
    uint32_t first = lo;
    hi = it->end;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (ev[u->evs[it->pos[mid]]].time < to) lo = mid + 1; else hi = mid;
    }
    it->pos += first;
    it->end = lo - first;
}

/* SCAN_INIT*: pops the operands (until; then the period and/or the key) and
 * returns the iterator over the unit's events they select. */
static Iter *scan_init(Vm *vm, const Insn *in, Value **spp)
{
    Value *sp = *spp;
    Iter *it = arena_alloc(&vm->scratch, sizeof *it);
    if (!it) return NULL;
    it->mask = (uint64_t)vm->p->consts[in->c].value;
    Value until = *--sp;
    it->until = until.tag == V_TIME ? until.i : INT64_MAX;
    if (in->op == ZOP_SCAN_INIT) {
        it->cur = 0;
        it->end = vm->unit->nevs;
    } else if (in->op == ZOP_SCAN_INIT_IN) {
        Value per = *--sp;
        if (per.tag == V_PERIOD) {
            it->cur = unit_lower_bound(vm->unit, vm->ds, per.i);
            it->end = unit_lower_bound(vm->unit, vm->ds, per.to);
            if (per.to - 1 < it->until) it->until = per.to - 1;
        } else {
            it->until = INT64_MIN; /* empty whatever the events: it reads none */
        }
    } else if (in->op == ZOP_SCAN_INIT_EQ) {
        scan_by_key(vm, it, in->b, *--sp);
        if (!it->pos) it->until = INT64_MIN; /* a missing key: empty whatever the events */
    } else {
        /* the key's events, narrowed to the period: positions are in time order */
        Value per = *--sp;
        scan_by_key(vm, it, in->b, *--sp);
        if (per.tag != V_PERIOD || !it->pos) {
            it->end = 0;
            it->until = INT64_MIN; /* a missing key or period: empty whatever the events */
        } else {
            if (per.to - 1 < it->until) it->until = per.to - 1;
            narrow_to_period(vm, it, per.i, per.to);
        }
    }
    *spp = sp;
    return it;
}

/* The time of the event at index i of a scan. */
static int64_t scan_time(const Vm *vm, const Iter *it, uint32_t i)
{
    return vm->ds->events[vm->unit->evs[it->pos ? it->pos[i] : i]].time;
}

/* SCAN_FROM: skips the events before t (the scan is in time order). Every
 * condition is still tested on the events read, so this only saves work. */
static void scan_from(Vm *vm, Iter *it, Value t)
{
    if (t.tag != V_TIME) return;
    uint32_t lo = it->cur, hi = it->end;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (scan_time(vm, it, mid) < t.i) lo = mid + 1; else hi = mid;
    }
    it->cur = lo;
}

/* The events whose field f holds key (a name) within the positions the scan
 * has left: *n of them, from the returned pointer (NULL when out of memory:
 * the run is void). In position order, as the scan's. */
static const uint32_t *key_in_range(Vm *vm, const Iter *it, uint32_t f, Value key, uint32_t *n)
{
    const uint32_t *pos = unit_key_positions(vm->unit, vm->ds, f, key.idx, n);
    if (!pos) { vm->failed = true; return NULL; }
    uint32_t from = it->pos ? it->pos[it->cur] : it->cur, to = it->pos ? it->pos[it->end - 1] + 1u : it->end;
    uint32_t lo = 0, hi = *n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (pos[mid] < from) lo = mid + 1; else hi = mid;
    }
    uint32_t first = lo;
    hi = *n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (pos[mid] < to) lo = mid + 1; else hi = mid;
    }
    *n = lo - first;
    return pos + first;
}

/* SCAN_ALSO_EQ: the events whose field f holds key, within the positions the
 * scan has left, when they are fewer. Both lists are in position order and the
 * second holds every event of the first that can pass the condition, so the
 * scan returns the same events in the same order. */
static void scan_also_eq(Vm *vm, Iter *it, uint32_t f, Value key)
{
    if (key.tag != V_STR || f >= vm->p->log.nfields || it->cur >= it->end) return;
    uint32_t n;
    const uint32_t *pos = key_in_range(vm, it, f, key, &n);
    if (!pos || n >= it->end - it->cur) return;
    it->pos = pos;
    it->cur = 0;
    it->end = n;
}

/* SCAN_ANY_EQ: a candidate for the disjunct being gathered; of a disjunct's
 * candidates (each holds every event that can pass it) the fewest is kept.
 * A key that is not a name gives up the union (the scan stays as it is). */
static void scan_any_eq(Vm *vm, Iter *it, uint32_t f, Value key)
{
    if (it->any_off || it->cur >= it->end) return;
    if (key.tag != V_STR || f >= vm->p->log.nfields) { it->any_off = true; return; }
    uint32_t n;
    const uint32_t *pos = key_in_range(vm, it, f, key, &n);
    if (!pos) { it->any_off = true; return; }
    if (!it->any_has || n < it->any_n[it->nany]) {
        it->any_pos[it->nany] = pos;
        it->any_n[it->nany] = n;
    }
    it->any_has = true;
}

/* SCAN_ANY_OR: the next candidates are another disjunct's. */
static void scan_any_or(Iter *it)
{
    if (!it->any_has || it->nany + 1u >= ZL_MAX_DISJUNCTS) it->any_off = true;
    else it->nany++;
    it->any_has = false;
}

/* SCAN_ANY_END: the union of each disjunct's candidates, when it is smaller
 * than what the scan has left. An event that can pass the condition passes
 * one disjunct, so it is in the union; the union is merged in position order
 * as the scan reads it (scan_next: a `first` or an `exists` that finds one
 * early reads no further), each event once, so the scan returns the same
 * events in the same order. */
static void scan_any_end(Iter *it)
{
    bool use = !it->any_off && it->any_has && it->cur < it->end;
    uint32_t groups = it->nany + 1u, total = 0;
    for (uint32_t g = 0; use && g < groups; g++) total += it->any_n[g];
    it->nany = 0;
    it->any_has = it->any_off = false;
    if (!use || total >= it->end - it->cur) return;
    it->lazy = true;
    it->nunion = (uint8_t)groups;
    memset(it->any_at, 0, sizeof it->any_at);
}

/* The union's next position (in order, each once), or false at its end. */
static bool union_next(Iter *it, uint32_t *position)
{
    uint32_t best = UINT32_MAX;
    for (uint32_t g = 0; g < it->nunion; g++)
        if (it->any_at[g] < it->any_n[g] && it->any_pos[g][it->any_at[g]] < best) best = it->any_pos[g][it->any_at[g]];
    if (best == UINT32_MAX) return false;
    for (uint32_t g = 0; g < it->nunion; g++)
        if (it->any_at[g] < it->any_n[g] && it->any_pos[g][it->any_at[g]] == best) it->any_at[g]++;
    *position = best;
    return true;
}

/* SCAN_LAST: a backwards scan reads positions from the end, so a union is
 * merged whole first (out of memory: the scratch arena's flag voids the run). */
static void scan_last(Vm *vm, Iter *it)
{
    it->backwards = true;
    if (!it->lazy) return;
    uint32_t total = 0, n = 0;
    for (uint32_t g = 0; g < it->nunion; g++) total += it->any_n[g] - it->any_at[g];
    uint32_t *merged = arena_alloc(&vm->scratch, sizeof(uint32_t) * (total + 1u));
    if (!merged) return;
    while (n < total && union_next(it, &merged[n])) n++;
    it->lazy = false;
    it->pos = merged;
    it->cur = 0;
    it->end = n;
}

/* The next event of a scan. What the run has read is recorded for streaming
 * (host->reads->need_data): up to each event returned, and, when the scan runs out, up
 * to the last time it could have returned. */
static bool scan_next(Vm *vm, Iter *it, uint32_t *event)
{
    if (it->backwards) {
        /* latest first: the answer depends on every event up to until, as a
         * forward scan that runs out does */
        if (!it->started) {
            uint32_t lo = it->cur, hi = it->end;
            while (lo < hi) {
                uint32_t mid = lo + (hi - lo) / 2;
                if (scan_time(vm, it, mid) <= it->until) lo = mid + 1; else hi = mid;
            }
            it->end = lo;
            it->started = true;
            if (it->until > vm->host->reads->need_data) vm->host->reads->need_data = it->until;
        }
        while (it->end > it->cur) {
            it->end--;
            uint32_t e = vm->unit->evs[it->pos ? it->pos[it->end] : it->end];
            if (it->mask & ((uint64_t)1 << vm->ds->events[e].type)) {
                *event = e;
                return true;
            }
        }
        return false;
    }
    for (uint32_t position;;) {
        if (it->lazy) {
            if (!union_next(it, &position)) break;
        } else {
            if (it->cur >= it->end) break;
            position = it->pos ? it->pos[it->cur] : it->cur;
            it->cur++;
        }
        uint32_t e = vm->unit->evs[position];
        const Event *ev = &vm->ds->events[e];
        if (ev->time > it->until) break; /* in time order: nothing later can pass */
        if (it->mask & ((uint64_t)1 << ev->type)) {
            if (ev->time > vm->host->reads->need_data) vm->host->reads->need_data = ev->time;
            *event = e;
            return true;
        }
    }
    it->cur = it->end;
    it->lazy = false;
    if (it->until > vm->host->reads->need_data) vm->host->reads->need_data = it->until;
    return false;
}

/* EARLIEST: pops the keys and until, pushes whether some combination of the
 * keys (each a name, or any name of a list; missing: none) has its earliest
 * time <= until (< when strict), which is what an `exists` scan pinning
 * those fields would find (earliest_least). What it read is recorded as that
 * scan would: up to the match, else up to until. */
static Value *earliest(Vm *vm, const Insn *in, Value *sp)
{
    uint32_t n = in->a & 0x7Fu, nv[ZL_EARLIEST_KEYS];
    sp -= n + 1u;
    const Value *keys = sp, until = sp[n];
    const StrId *vals[ZL_EARLIEST_KEYS];
    bool any = until.tag == V_TIME; /* else nothing passes `v.time <= until` */
    for (uint32_t i = 0; any && i < n; i++) {
        if (keys[i].tag == V_STR) vals[i] = &keys[i].idx, nv[i] = 1;
        else if (keys[i].tag == V_LIST) vals[i] = as_list(keys[i])->items, nv[i] = as_list(keys[i])->n;
        else nv[i] = 0;
        any = nv[i] > 0;
    }
    int64_t best = !any ? INT64_MAX
                        : earliest_least(vm->unit, vm->ds, (uint64_t)vm->p->consts[in->c].value,
                                         (uint64_t)vm->p->consts[in->b].value, vals, nv, n, until.i, &vm->failed);
    bool found = until.tag == V_TIME && best != INT64_MAX && (in->a & 0x80u ? best < until.i : best <= until.i);
    int64_t need = found ? best : until.tag == V_TIME ? until.i : INT64_MAX;
    if (need > vm->host->reads->need_data) vm->host->reads->need_data = need;
    *sp = mk_bool(found);
    return sp + 1;
}

/* ---- the interpreter ---------------------------------------------------------------- */

/* ROSTER_ATTR: the union of column in->c over the roster rows of `person` in
 * `role` valid at time t. */
static const List *roster_attr(Vm *vm, const Insn *in, Value person, Value role, Value t)
{
    const List *acc = &empty_list;
    if (person.tag != V_STR || role.tag != V_STR || t.tag != V_TIME) return acc;
    const TableData *td = &vm->ds->tables[in->b];
    RosterSlots rs = roster_slots(td);
    uint32_t n = rs.person == SLOT_NONE || rs.role == SLOT_NONE || !person.idx || !role.idx ? 0 : vm->unit->nrows[in->b];
    for (uint32_t k = 0; k < n; k++) {
        const Record *r = &td->rows[vm->unit->rows[in->b][k]];
        if (!row_valid(r->cells, rs, person.idx, role.idx, t.i, t.i, false)) continue;
        Cell cell = record_cell(td, r, in->c);
        if (cell.tag == CELL_LIST) acc = list_merge(vm, acc, cell.list, 0);
        else if (cell.tag == CELL_STR) {
            List *one = new_list(vm, 1);
            if (!one) break;
            one->items[one->n++] = cell.s;
            acc = list_merge(vm, acc, one, 0);
        }
    }
    return acc;
}

/* ADD / SUB: overflow gives a missing value, never undefined behaviour. */
static Value add_sub(bool add, Value a, Value b)
{
    uint8_t tag = V_MISSING;
    if (add) {
        if ((a.tag == V_TIME && b.tag == V_DUR) || (a.tag == V_DUR && b.tag == V_TIME)) tag = V_TIME;
        else if ((a.tag == V_DUR || a.tag == V_INT) && a.tag == b.tag) tag = a.tag;
    } else {
        if (a.tag == V_TIME && b.tag == V_DUR) tag = V_TIME;
        else if (a.tag == V_TIME && b.tag == V_TIME) tag = V_DUR;
        else if ((a.tag == V_DUR || a.tag == V_INT) && a.tag == b.tag) tag = a.tag;
    }
    int64_t r;
    bool overflow = add ? __builtin_add_overflow(a.i, b.i, &r) : __builtin_sub_overflow(a.i, b.i, &r);
    return tag == V_MISSING || overflow ? missing : mk_int(tag, r);
}

/* MAKE_LIST: the set of the n values' strings (others dropped). */
static const List *make_list(Vm *vm, const Value *vals, uint32_t n)
{
    if (n == 0) return &empty_list;
    List *l = new_list(vm, n);
    if (!l) return &empty_list;
    for (uint32_t i = 0; i < n; i++)
        if (vals[i].tag == V_STR) l->items[l->n++] = vals[i].idx;
    return sorted_set(l);
}

static Value emit_verdict(Vm *vm, Value *sp, int nparts, bool pending)
{
    /* each part formatted once (a person's name is looked up in the roster), copied once */
    const char **parts = arena_alloc(&vm->scratch, sizeof(char *) * ((size_t)nparts + 1));
    size_t *lens = arena_alloc(&vm->scratch, sizeof(size_t) * ((size_t)nparts + 1)), len = 1;
    if (!parts || !lens) return missing;
    for (int i = 0; i < nparts; i++) {
        parts[i] = to_text(vm, sp[i], FMT_PLAIN);
        lens[i] = strlen(parts[i]);
        len += lens[i];
    }
    char *msg = arena_alloc(&vm->scratch, len), *at = msg;
    if (!msg) return missing;
    for (int i = 0; i < nparts; i++) {
        memcpy(at, parts[i], lens[i]);
        at += lens[i];
    }
    *at = '\0';
    vm->host->verdict(vm->host->ctx, pending, as_list(sp[-2]), as_list(sp[-1]), msg);
    return missing;
}

/* ITER_INIT, PAIR_INIT: an iterator over the list (in text order) in the
 * loop's state slot; false when out of memory. */
static bool iter_init(Vm *vm, const Insn *in, Value *slots, Value list)
{
    Iter *it = arena_alloc(&vm->scratch, sizeof *it);
    if (!it) return false;
    const List *l = as_list(list);
    it->items = in_text_order(vm, l);
    it->n = l->n;
    it->i = 0;
    it->j = 1;
    Value v = {0};
    v.tag = V_ITER;
    v.it = it;
    slots[in->op == ZOP_PAIR_INIT ? in->a + 2u : in->a + 1u] = v;
    return true;
}

/* Whether v points at scratch memory allocated after m. */
static bool made_since(const Vm *vm, ArenaMark m, Value v)
{
    const void *p = v.tag == V_LIST ? (const void *)v.list : v.tag == V_TEXT ? (const void *)v.text : v.tag == V_ITER ? (const void *)v.it : NULL;
    return p && arena_since(&vm->scratch, m, p);
}

/* A loop's head runs again: its last iteration is over, and what that
 * iteration allocated (the lists of the roles at an attendee's meeting, a
 * message) is forgotten, so a loop over 100,000 attendees holds one
 * iteration's lists, not all of them. The loop's slots (from `loop`) and
 * those after them are its body's: codegen numbers slots in order and writes
 * a body's before reading them, so they are dead here, and any that points at
 * what is forgotten is made missing (a hand-made program that reads one first
 * finds nothing). A slot before the loop's, or a value on the stack, that the
 * iteration made (an accumulated list) keeps everything: nothing is forgotten. */
static void next_iteration(Vm *vm, Iter *it, Value *slots, uint32_t nslots, uint32_t loop, uint32_t state, const Value *stack,
                           const Value *sp)
{
    if (!it->marked) { /* the first iteration: what its loop's init allocated stays */
        it->mark = arena_mark(&vm->scratch);
        it->marked = true;
        return;
    }
    if (!arena_grew(&vm->scratch, it->mark)) return; /* most scans: nothing allocated */
    for (uint32_t i = 0; i < loop; i++)
        if (made_since(vm, it->mark, slots[i])) return;
    for (const Value *v = stack; v < sp; v++)
        if (made_since(vm, it->mark, *v)) return;
    for (uint32_t i = loop; i < nslots; i++)
        if (i != state && made_since(vm, it->mark, slots[i])) slots[i] = missing;
    arena_rewind(&vm->scratch, it->mark);
}

Value vm_call(Vm *vm, uint32_t f, Value arg)
{
    const ZFunc *fn = &vm->p->funcs[f];
    const Insn *code = vm->p->code + fn->start;
    Value *slots = arena_alloc(&vm->scratch, sizeof(Value) * fn->nslots);
    Value *stack = arena_alloc(&vm->scratch, sizeof(Value) * (fn->max_stack + 1u));
    if (!slots || !stack) return missing;
    Value *sp = stack; /* next free */
    slots[0] = arg;
    uint32_t pc = 0;
    for (;;) {
        const Insn *in = &code[pc++];
        switch ((Opcode)in->op) {
        case ZOP_NOP: break;
        case ZOP_CONST: *sp++ = const_value(vm, in->c); break;
        case ZOP_MISSING: *sp++ = missing; break;
        case ZOP_TRUE: *sp++ = mk_bool(true); break;
        case ZOP_FALSE: *sp++ = mk_bool(false); break;
        case ZOP_PARAM: *sp++ = const_value(vm, vm->p->params[in->c].value); break;
        case ZOP_LOAD: *sp++ = slots[in->a]; break;
        case ZOP_STORE: slots[in->a] = *--sp; break;
        case ZOP_POP: --sp; break;
        case ZOP_EV_FIELD: {
            const Event *e = event_of(vm, sp[-1]);
            if (e) {
                Cell c = event_cell(vm->ds, e, in->c);
                sp[-1] = cell_value(&c, vm->p->log.fields[in->c].type);
            } else {
                sp[-1] = missing;
            }
            break;
        }
        case ZOP_ROW_FIELD:
        case ZOP_PERIOD_FIELD: sp[-1] = row_field(vm, in, sp[-1]); break;
        case ZOP_PERIOD_FROM: sp[-1] = sp[-1].tag == V_PERIOD ? mk_int(V_TIME, sp[-1].i) : missing; break;
        case ZOP_PERIOD_TO: sp[-1] = sp[-1].tag == V_PERIOD ? mk_int(V_TIME, sp[-1].to) : missing; break;
        case ZOP_LOOKUP: {
            Value key = sp[-1];
            uint32_t row = key.tag == V_STR ? unit_lookup(vm->unit, vm->ds, in->b, key.idx) : ZNONE;
            sp[-1] = missing;
            if (row != ZNONE) {
                sp[-1].tag = V_ROW;
                sp[-1].table = in->b;
                sp[-1].idx = row;
            }
            break;
        }
        case ZOP_ROSTER_ATTR:
            sp -= 2;
            sp[-1] = mk_list(roster_attr(vm, in, sp[-1], sp[0], sp[1]));
            break;
        case ZOP_ROLE_AT:
            sp--;
            sp[-1] = mk_list(sp[0].tag == V_TIME ? role_holders(vm, in->b, sp[-1], sp[0].i, sp[0].i, false) : &empty_list);
            break;
        case ZOP_ROLE_OVER:
            sp--;
            sp[-1] = mk_list(sp[0].tag == V_PERIOD ? role_holders(vm, in->b, sp[-1], sp[0].i, sp[0].to, true) : &empty_list);
            break;
        case ZOP_NOT: sp[-1] = mk_bool(!truthy(sp[-1])); break;
        case ZOP_EQ: sp--; sp[-1] = mk_bool(values_equal(sp[-1], sp[0])); break;
        case ZOP_NE: sp--; sp[-1] = mk_bool(!values_equal(sp[-1], sp[0])); break;
        case ZOP_LT: sp--; sp[-1] = mk_bool(ordered(sp[-1], sp[0]) && sp[-1].i < sp[0].i); break;
        case ZOP_LE: sp--; sp[-1] = mk_bool(ordered(sp[-1], sp[0]) && sp[-1].i <= sp[0].i); break;
        case ZOP_GT: sp--; sp[-1] = mk_bool(ordered(sp[-1], sp[0]) && sp[-1].i > sp[0].i); break;
        case ZOP_GE: sp--; sp[-1] = mk_bool(ordered(sp[-1], sp[0]) && sp[-1].i >= sp[0].i); break;
        case ZOP_IN: sp--; sp[-1] = mk_bool(sp[-1].tag == V_STR && list_has(as_list(sp[0]), sp[-1].idx)); break;
        case ZOP_IN_PERIOD:
            sp--;
            sp[-1] = mk_bool(sp[-1].tag == V_TIME && sp[0].tag == V_PERIOD && sp[0].i <= sp[-1].i && sp[-1].i < sp[0].to);
            break;
        case ZOP_UNION: sp--; sp[-1] = mk_list(list_merge(vm, as_list(sp[-1]), as_list(sp[0]), 0)); break;
        case ZOP_INTER: sp--; sp[-1] = mk_list(list_merge(vm, as_list(sp[-1]), as_list(sp[0]), 1)); break;
        case ZOP_DIFF: sp--; sp[-1] = mk_list(list_merge(vm, as_list(sp[-1]), as_list(sp[0]), 2)); break;
        case ZOP_ADD:
        case ZOP_SUB: sp--; sp[-1] = add_sub(in->op == ZOP_ADD, sp[-1], sp[0]); break;
        case ZOP_NEG:
            sp[-1] = (sp[-1].tag == V_INT || sp[-1].tag == V_DUR) && sp[-1].i != INT64_MIN ? mk_int(sp[-1].tag, -sp[-1].i) : missing;
            break;
        case ZOP_MAKE_LIST: sp -= in->b; *sp = mk_list(make_list(vm, sp, in->b)); sp++; break;
        case ZOP_SIZE: sp[-1] = mk_int(V_INT, as_list(sp[-1])->n); break;
        case ZOP_PRESENT: sp[-1] = mk_bool(sp[-1].tag != V_MISSING); break;
        case ZOP_WEEKDAY: {
            if (sp[-1].tag != V_TIME) { sp[-1] = missing; break; }
            int64_t local = sp[-1].i + vm->p->meta.tz_offset;
            int64_t days = local / 86400 - (local % 86400 < 0);
            sp[-1] = mk_str(vm->weekday[zt_weekday_from_days(days) + 1]);
            break;
        }
        case ZOP_TIME_OF_DAY: {
            if (sp[-1].tag != V_TIME) { sp[-1] = missing; break; }
            int64_t local = sp[-1].i + vm->p->meta.tz_offset;
            int64_t secs = local % 86400;
            sp[-1] = mk_int(V_DUR, secs < 0 ? secs + 86400 : secs);
            break;
        }
        case ZOP_IN_WINDOW:
            sp -= 2;
            sp[-1] = mk_bool(sp[-1].tag == V_DUR && sp[0].tag == V_DUR && sp[1].tag == V_DUR && sp[0].i <= sp[-1].i &&
                             sp[-1].i < sp[1].i);
            break;
        case ZOP_TO_TEXT: {
            Value v = {0};
            v.tag = V_TEXT;
            v.text = to_text(vm, sp[-1], in->a);
            sp[-1] = v;
            break;
        }
        case ZOP_JUMP: pc = in->c; break;
        case ZOP_JUMP_IF_FALSE: if (!truthy(*--sp)) pc = in->c; break;
        case ZOP_JUMP_IF_TRUE: if (truthy(*--sp)) pc = in->c; break;
        case ZOP_ITER_INIT:
        case ZOP_PAIR_INIT:
            if (!iter_init(vm, in, slots, *--sp)) return missing;
            break;
        case ZOP_ITER_NEXT: {
            Iter *it = slots[in->a + 1u].it;
            next_iteration(vm, it, slots, fn->nslots, in->a, in->a + 1u, stack, sp);
            if (it->i >= it->n) { pc = in->c; break; }
            slots[in->a] = mk_str(it->items[it->i++]);
            break;
        }
        case ZOP_PAIR_NEXT: {
            Iter *it = slots[in->a + 2u].it;
            next_iteration(vm, it, slots, fn->nslots, in->a, in->a + 2u, stack, sp);
            if (it->j >= it->n) {
                it->i++;
                it->j = it->i + 1;
            }
            if (it->i + 1 >= it->n) { pc = in->c; break; }
            slots[in->a] = mk_str(it->items[it->i]);
            slots[in->a + 1u] = mk_str(it->items[it->j++]);
            break;
        }
        case ZOP_SCAN_INIT:
        case ZOP_SCAN_INIT_EQ:
        case ZOP_SCAN_INIT_IN:
        case ZOP_SCAN_INIT_EQ_IN: {
            Value v = {0};
            v.tag = V_ITER;
            v.it = scan_init(vm, in, &sp);
            if (!v.it) return missing;
            slots[in->a + 1u] = v;
            break;
        }
        case ZOP_ROWS_INIT:
            slots[in->a + 1u] = rows_init(vm, in->b);
            if (!slots[in->a + 1u].it) return missing;
            break;
        case ZOP_ROWS_NEXT:
            next_iteration(vm, slots[in->a + 1u].it, slots, fn->nslots, in->a, in->a + 1u, stack, sp);
            if (!rows_next(slots[in->a + 1u].it, &slots[in->a])) pc = in->c;
            break;
        case ZOP_LEAVE_OUT: vm->left_out = true; break;
        case ZOP_ROW_WITHIN:
        case ZOP_ROW_OVERLAPS: sp--; sp[-1] = mk_bool(row_holds(vm, sp[-1], sp[0], in->op == ZOP_ROW_WITHIN)); break;
        case ZOP_SCAN_FROM: scan_from(vm, slots[in->a + 1u].it, *--sp); break;
        case ZOP_SCAN_ALSO_EQ: scan_also_eq(vm, slots[in->a + 1u].it, in->b, *--sp); break;
        case ZOP_SCAN_ANY_EQ: scan_any_eq(vm, slots[in->a + 1u].it, in->b, *--sp); break;
        case ZOP_SCAN_ANY_OR: scan_any_or(slots[in->a + 1u].it); break;
        case ZOP_SCAN_ANY_END: scan_any_end(slots[in->a + 1u].it); break;
        case ZOP_SCAN_LAST: scan_last(vm, slots[in->a + 1u].it); break;
        case ZOP_EARLIEST: sp = earliest(vm, in, sp); break;
        case ZOP_SCAN_NEXT: {
            next_iteration(vm, slots[in->a + 1u].it, slots, fn->nslots, in->a, in->a + 1u, stack, sp);
            uint32_t e;
            if (!scan_next(vm, slots[in->a + 1u].it, &e)) { pc = in->c; break; }
            Value v = {0};
            v.tag = V_EVENT;
            v.idx = e;
            slots[in->a] = v;
            break;
        }
        case ZOP_LOOP: pc = in->c; break;
        case ZOP_PAST_END:
            if (sp[-1].tag == V_TIME && sp[-1].i > vm->host->reads->need_r1) vm->host->reads->need_r1 = sp[-1].i;
            sp[-1] = mk_bool(sp[-1].tag == V_TIME && sp[-1].i > vm->unit->r1);
            break;
        case ZOP_VIOLATE:
        case ZOP_PENDING:
            sp -= in->b;
            emit_verdict(vm, sp, in->b, in->op == ZOP_PENDING);
            sp -= 2;
            break;
        case ZOP_TRACE:
            if (vm->host->trace) trace_point(vm->host->trace, vm, in, slots, sp > stack ? &sp[-1] : &missing);
            break;
        case ZOP_RETURN: return missing;
        case ZOP_RETURN_VALUE: return *--sp;
        case OPCODE_COUNT: return missing;
        }
    }
}
