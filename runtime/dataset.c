/* dataset.c - converting raw rows into typed, interned cells; bad rows are
 * refused with a message naming the column and the problem. */
#include "dataset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "ztime.h"

/* The short strings of the data met lately (the values that come back: a
 * person, a kind, a unit, a list's items), with their ids: a cell found
 * here is known by comparing its bytes with these, without hashing it,
 * checking its UTF-8 again (only a string that passed is kept) or looking
 * it up in the string table, whose texts lie elsewhere. A slot is chosen by
 * a few of the bytes, direct-mapped: a newcomer takes it. 64 bytes a slot. */
enum { TEXTS = 2048, TEXT_MAX = 48 }; /* sixteen Chinese characters */
enum { TYPE_UNKNOWN = -2 };          /* SeenText.type not worked out yet */
struct SeenText {
    uint64_t hash;        /* hidx_hash_text64 of the text: what the string table and the (unit, id) set take */
    StrId id;
    uint16_t len;         /* 0: an empty slot */
    int16_t type;         /* the event type of that value, -1 none, or TYPE_UNKNOWN */
    char text[TEXT_MAX];
};
_Static_assert(sizeof(SeenText) == 64, "a slot is 64 bytes");

/* A cell's kind is its field's (ValType); a time takes 2 words, an integer 3. */
static uint8_t cell_kind(uint8_t type)
{
    uint8_t base = type & (uint8_t)~VT_LIST_FLAG;
    return type & VT_LIST_FLAG ? CELL_LIST
           : base == VT_TIME ? CELL_TIME
           : base == VT_INT || base == VT_DURATION ? CELL_INT
           : base == VT_BOOL ? CELL_BOOL
                             : CELL_STR;
}
static const uint8_t cell_words[] = {[CELL_STR] = 1, [CELL_LIST] = 1, [CELL_TIME] = 2, [CELL_INT] = 3, [CELL_BOOL] = 1};

/* Which cells of table t's rows are kept (TableData.slot): those of the
 * fields an instruction reads (ROW_FIELD, PERIOD_FIELD, ROSTER_ATTR: every
 * one whose operands name a table and its field), a keyed table's key when
 * a LOOKUP reads the table (unit.c indexes it), and the fields the runtime
 * reads by name (TableData.fixed): a roster's person, role, from, to and
 * name (ROLE_*, ROSTER_ATTR, the reports' names), a calendar's from and to
 * (periods, ROW_WITHIN, ROW_OVERLAPS). Nothing else reads a row. */
static bool table_layout(Dataset *ds, uint32_t t)
{
    static const char *const fixed[ZT_KIND_COUNT][FIX_COUNT] = {
        [ZT_ROSTER] = {[FIX_PERSON] = "person", [FIX_ROLE] = "role", [FIX_FROM] = "from", [FIX_TO] = "to", [FIX_NAME] = "name"},
        [ZT_CALENDAR] = {[FIX_FROM] = "from", [FIX_TO] = "to"}};
    static const uint8_t fixed_kind[FIX_COUNT] = {CELL_STR, CELL_STR, CELL_TIME, CELL_TIME, CELL_STR};
    const Program *p = ds->prog;
    const ZTable *zt = &p->tables[t];
    TableData *td = &ds->tables[t];
    uint32_t nf = zt->nfields;
    td->slot = arena_alloc(&ds->arena, sizeof(uint16_t) * (nf + 1u));
    td->kind = arena_alloc(&ds->arena, nf + 1u);
    td->packed = arena_alloc(&ds->arena, sizeof(uint16_t) * (nf + 1u));
    if (ds->arena.failed) return false;
    uint8_t *read = td->kind; /* flags first */
    int at[FIX_COUNT];
    for (int k = 0; k < FIX_COUNT; k++) {
        at[k] = zt->kind < ZT_KIND_COUNT && fixed[zt->kind][k] ? zt_field(p, zt, fixed[zt->kind][k]) : -1;
        if (at[k] >= 0) read[at[k]] = true;
    }
    for (uint32_t i = 0; i < p->ninsns; i++) {
        const Insn *in = &p->code[i];
        if (in->op < OPCODE_COUNT && opcode_info[in->op].layout == LAYOUT_TFIELD && in->b == t && in->c < nf) read[in->c] = true;
        if (in->op == ZOP_LOOKUP && in->b == t && zt->kind == ZT_KEYED && zt->key >= 0 && (uint32_t)zt->key < nf) read[zt->key] = true;
    }
    for (uint32_t f = 0; f < nf; f++) {
        td->slot[f] = SLOT_NONE;
        if (read[f]) {
            td->slot[f] = td->nwords;
            td->nwords += cell_words[cell_kind(zt->fields[f].type)];
            td->packed[td->npacked++] = (uint16_t)f;
        }
        td->kind[f] = cell_kind(zt->fields[f].type);
    }
    for (int k = 0; k < FIX_COUNT; k++)
        td->fixed[k] = at[k] >= 0 && td->kind[at[k]] == fixed_kind[k] ? td->slot[at[k]] : SLOT_NONE;
    return true;
}

Dataset *dataset_new(const Program *p)
{
    Dataset *ds = calloc(1, sizeof *ds);
    if (!ds) return NULL;
    ds->prog = p;
    strtab_init(&ds->strs);
    arena_init(&ds->arena);
    arena_init(&ds->event_arena);
    arena_init(&ds->row_lists);
    ds->prog_str = arena_alloc(&ds->arena, sizeof(StrId) * (p->nstrings + 1u));
    for (uint32_t i = 0; ds->prog_str && i < p->nstrings; i++) ds->prog_str[i] = strtab_intern(&ds->strs, p->strings[i], p->string_lens[i]);
    ds->tables = arena_alloc(&ds->arena, sizeof(TableData) * (p->ntables + 1u));
    if (!ds->tables || ds->strs.failed) {
        dataset_free(ds);
        return NULL;
    }
    ds->log_id = zt_field(p, &p->log, "id");
    ds->log_time = zt_field(p, &p->log, "time");
    ds->log_type = zt_field(p, &p->log, "type");
    /* an event holds the cells of the fields its type carries, not every field's */
    uint32_t nf = p->log.nfields;
    ds->cell_slot = arena_alloc(&ds->arena, sizeof(uint16_t) * ((size_t)p->nevent_types * nf + 1u));
    ds->nwords = arena_alloc(&ds->arena, sizeof(uint16_t) * (p->nevent_types + 1u));
    ds->npacked = arena_alloc(&ds->arena, sizeof(uint16_t) * (p->nevent_types + 1u));
    ds->packed = arena_alloc(&ds->arena, sizeof(uint16_t) * ((size_t)p->nevent_types * nf + 1u));
    ds->cell_kind = arena_alloc(&ds->arena, nf + 1u);
    ds->row = arena_alloc(&ds->arena, sizeof(Cell) * (nf + 1u));
    ds->texts = arena_alloc(&ds->arena, sizeof(SeenText) * TEXTS);
    if (ds->arena.failed) {
        dataset_free(ds);
        return NULL;
    }
    for (uint32_t f = 0; f < nf; f++) ds->cell_kind[f] = cell_kind(p->log.fields[f].type);
    for (uint32_t t = 0; t < p->ntables; t++)
        if (!table_layout(ds, t)) {
            dataset_free(ds);
            return NULL;
        }
    for (uint32_t t = 0; t < p->nevent_types; t++)
        for (uint32_t f = 0; f < nf; f++) {
            bool carried = f >= 64 || (p->event_types[t].fields & ((uint64_t)1 << f));
            uint16_t *slot = &ds->cell_slot[(size_t)t * nf + f];
            if (!carried) *slot = SLOT_NONE;
            else if ((int)f == ds->log_id) *slot = SLOT_ID; /* the Event holds these three */
            else if ((int)f == ds->log_time) *slot = SLOT_TIME;
            else if ((int)f == ds->log_type) *slot = SLOT_TYPE;
            else {
                *slot = ds->nwords[t];
                ds->nwords[t] += cell_words[ds->cell_kind[f]];
                ds->packed[(size_t)t * nf + ds->npacked[t]++] = (uint16_t)f;
            }
        }
    return ds;
}

void dataset_free(Dataset *ds)
{
    if (!ds) return;
    for (uint32_t i = 0; ds->tables && i < ds->prog->ntables; i++) free(ds->tables[i].rows);
    free(ds->events);
    free(ds->seen);
    strtab_free(&ds->strs);
    arena_free(&ds->arena);
    arena_free(&ds->event_arena);
    arena_free(&ds->row_lists);
    free(ds);
}

void dataset_forget_texts(Dataset *ds) { memset(ds->texts, 0, sizeof(SeenText) * TEXTS); }

/* Are a[0..len) and b[0..len) the same bytes, 1 <= len <= TEXT_MAX? By
 * loads that may overlap, none past either end. */
static inline bool same_short(const char *a, const char *b, size_t len)
{
    if (len > 16) return same_short(a, b, 16) && same_short(a + 16, b + 16, len - 16);
    if (len >= 8) {
        uint64_t x, y, u, v;
        memcpy(&x, a, 8), memcpy(&y, b, 8), memcpy(&u, a + len - 8, 8), memcpy(&v, b + len - 8, 8);
        return x == y && u == v;
    }
    if (len >= 4) {
        uint32_t x, y, u, v;
        memcpy(&x, a, 4), memcpy(&y, b, 4), memcpy(&u, a + len - 4, 4), memcpy(&v, b + len - 4, 4);
        return x == y && u == v;
    }
    return a[0] == b[0] && a[len / 2] == b[len / 2] && a[len - 1] == b[len - 1];
}

/* The slot of p[0..len), 1 <= len <= TEXT_MAX: from its first and last bytes and its length. */
static inline SeenText *text_slot(const Dataset *ds, const char *p, size_t len)
{
    uint64_t x;
    if (len >= 8) {
        uint64_t a, b;
        memcpy(&a, p, 8), memcpy(&b, p + len - 8, 8);
        x = a * 0x9E3779B97F4A7C15ull ^ b;
    } else if (len >= 4) {
        uint32_t a, b;
        memcpy(&a, p, 4), memcpy(&b, p + len - 4, 4);
        x = a | (uint64_t)b << 32;
    } else {
        x = (unsigned char)p[0] | (unsigned)(unsigned char)p[len / 2] << 8 | (unsigned)(unsigned char)p[len - 1] << 16;
    }
    x = (x ^ len) * 0xBF58476D1CE4E5B9ull;
    return &ds->texts[x >> 53]; /* TEXTS = 2^11 */
}

/* The slot holding p[0..len) if it was met lately, else NULL. */
static inline SeenText *seen_text(const Dataset *ds, const char *p, size_t len)
{
    if (len - 1 >= TEXT_MAX) return NULL;
    SeenText *e = text_slot(ds, p, len);
    return e->len == len && same_short(e->text, p, len) ? e : NULL;
}

/* Keeps a string that is valid UTF-8 without a NUL byte, with its hash and
 * id: its slot, or NULL when it is too long to keep. */
static SeenText *met_text(Dataset *ds, const char *p, size_t len, uint64_t hash, StrId id)
{
    if (len - 1 >= TEXT_MAX || ds->strs.failed) return NULL;
    SeenText *e = text_slot(ds, p, len);
    *e = (SeenText){hash, id, (uint16_t)len, TYPE_UNKNOWN, {0}};
    memcpy(e->text, p, len);
    return e;
}

/* A cell's hash as the string table takes it (64 bits), found once. */
static uint64_t text_hash(const RawCell *c)
{
    return c->checked == RAW_TEXT ? (uint64_t)c->pre : hidx_hash_text64(c->p, c->present ? c->len : 0, 0);
}

static long invalid_at(const RawCell *c) { return c->checked ? -1 : utf8_invalid_at(c->p, c->len); }

/* A cell's string as an id: met lately, or checked (a fault: its offset in
 * *bad) and interned, and kept among those met unless `once` (an event's
 * id, which never comes back: it would only push out the values that do). */
static StrId intern_text(Dataset *ds, const RawCell *c, bool once, uint64_t *hash, long *bad)
{
    *bad = -1;
    const SeenText *e = once ? NULL : seen_text(ds, c->p, c->len);
    if (e) {
        *hash = e->hash;
        return e->id;
    }
    *hash = text_hash(c);
    if (!c->checked && (*bad = utf8_invalid_at(c->p, c->len)) >= 0) return 0;
    StrId id = strtab_intern_hashed(&ds->strs, c->p, c->len, (uint32_t)*hash);
    if (!once) met_text(ds, c->p, c->len, *hash, id);
    return id;
}

static int cmp_strid(const void *a, const void *b)
{
    StrId x = *(const StrId *)a, y = *(const StrId *)b;
    return x < y ? -1 : x > y;
}

/* Shows a value in a message, cut after 60 bytes and escaped as the text
 * report escapes it (text.h: \n, \x1b, \u202e, \xff). */
static void quote(const RawCell *c, char *buf, size_t size)
{
    size_t n = 0;
    for (const char *q = c->p, *end = c->p + c->len; q < end;) {
        char e[TEXT_ESCAPE_MAX] = "...";
        int w, k = q - c->p < 60 ? text_escape_char(q, end, e, &w) : 0; /* k == 0: cut here */
        size_t len = strlen(e);
        if (n + len >= size) break;
        memcpy(buf + n, e, len);
        n += len;
        if (!k) break;
        q += k;
    }
    buf[n] = '\0';
}

/* The row cannot be added for want of memory: not a bad row (no policy skips it). */
static const char *out_of_memory(Dataset *ds, char *msg, size_t size)
{
    ds->out_of_memory = true;
    snprintf(msg, size, "%s", msg_text(ds->lang, MSG_OOM));
    return msg;
}

uint8_t rawcell_kind(uint8_t vt)
{
    if (vt & VT_LIST_FLAG) return RAW_UTF8;
    switch (vt) {
    case VT_TIME: return RAW_TIME;
    case VT_INT:
    case VT_DURATION:
    case VT_BOOL: return RAW_UTF8;
    default: return RAW_TEXT;
    }
}

void rawcell_check_present(RawCell *c, uint8_t kind, int tz)
{
    if (utf8_invalid_at(c->p, c->len) >= 0) return;
    if (kind == RAW_TIME) {
        ZtParsed tp;
        if (zt_parse(c->p, c->len, &tp)) return;
        zt_instant t = zt_to_instant(&tp, tz);
        if (!zt_in_years(t, tz)) return;
        c->pre = t;
    } else if (kind == RAW_TEXT) {
        c->pre = (int64_t)hidx_hash_text64(c->p, c->len, 0);
    }
    c->checked = kind;
}


/* A list cell: split on ';', empty items dropped, nothing trimmed. Its
 * UTF-8 is checked whole, before any of its items is interned, unless every
 * item was met lately (then it is valid). */
static const char *convert_list(Dataset *ds, const RawCell *raw, Cell *out, Arena *lists, char *msg, size_t size)
{
    uint32_t count = 0;
    StrId stack[64];
    StrId *items = stack;
    size_t cap = 64;
    bool checked = raw->checked;
    for (const char *q = raw->p, *end = raw->p + raw->len; q < end;) {
        const char *semi = memchr(q, ';', (size_t)(end - q));
        size_t len = (size_t)((semi ? semi : end) - q);
        if (len) {
            if (count == cap) {
                StrId *grown = malloc(sizeof(StrId) * cap * 2);
                if (!grown) {
                    if (items != stack) free(items);
                    return out_of_memory(ds, msg, size);
                }
                memcpy(grown, items, sizeof(StrId) * count);
                if (items != stack) free(items);
                items = grown;
                cap *= 2;
            }
            const SeenText *e = seen_text(ds, q, len);
            StrId id = e ? e->id : UINT32_MAX;
            if (!e) {
                long bad = checked ? -1 : utf8_invalid_at(raw->p, raw->len);
                if (bad >= 0) {
                    if (items != stack) free(items);
                    snprintf(msg, size, msg_text(ds->lang, MSG_INVALID_UTF8_AT), (unsigned char)raw->p[bad], bad);
                    return msg;
                }
                checked = true;
                uint64_t hash = hidx_hash_text64(q, len, 0);
                id = strtab_intern_hashed(&ds->strs, q, len, (uint32_t)hash);
                met_text(ds, q, len, hash, id);
            }
            items[count++] = id;
        }
        q += len + 1;
    }
    if (count > 16) qsort(items, count, sizeof(StrId), cmp_strid);
    else /* a few items: insertion sort, without qsort's calls */
        for (uint32_t i = 1; i < count; i++) {
            StrId x = items[i];
            uint32_t k = i;
            for (; k > 0 && items[k - 1] > x; k--) items[k] = items[k - 1];
            items[k] = x;
        }
    uint32_t u = 0;
    for (uint32_t i = 0; i < count; i++)
        if (u == 0 || items[u - 1] != items[i]) items[u++] = items[i];
    List *l = arena_alloc_packed(lists, sizeof(List) + sizeof(StrId) * u, _Alignof(List));
    if (!l) {
        if (items != stack) free(items);
        return out_of_memory(ds, msg, size);
    }
    l->n = u;
    memcpy(l->items, items, sizeof(StrId) * u);
    if (items != stack) free(items);
    out->tag = CELL_LIST;
    out->list = l;
    return NULL;
}

/* Converts one raw cell to the field's type; returns NULL or what is wrong.
 * A list's items go to `lists`; with none (NULL), a cell is only checked:
 * no string is interned nor list kept, and a string or list stays missing. */
static const char *convert(Dataset *ds, const ZField *f, const RawCell *raw, bool once, Cell *out, Arena *lists, char *msg,
                           size_t size)
{
    memset(out, 0, sizeof *out);
    if (raw->bad) {
        snprintf(msg, size, "%s", raw->bad);
        return msg;
    }
    if (!raw->present || raw->len == 0) return NULL; /* missing */
    uint8_t base = f->type;
    bool text = (base & VT_LIST_FLAG) || (base != VT_TIME && base != VT_INT && base != VT_DURATION && base != VT_BOOL);
    long bad;
    if (text && !lists) {
        bad = invalid_at(raw); /* valid UTF-8 is all a string or list needs */
        if (bad < 0) return NULL;
    } else if (base & VT_LIST_FLAG) {
        return convert_list(ds, raw, out, lists, msg, size);
    } else if (text) {
        uint64_t hash;
        out->s = intern_text(ds, raw, once, &hash, &bad);
        if (bad < 0) {
            out->tag = CELL_STR;
            return NULL;
        }
    } else {
        bad = invalid_at(raw);
    }
    if (bad >= 0) {
        snprintf(msg, size, msg_text(ds->lang, MSG_INVALID_UTF8_AT), (unsigned char)raw->p[bad], bad);
        return msg;
    }
    char shown[200];
    switch (base) {
    case VT_TIME: {
        if (raw->checked == RAW_TIME) {
            out->tag = CELL_TIME;
            out->i = raw->pre;
            return NULL;
        }
        ZtParsed tp;
        const char *why = zt_parse(raw->p, raw->len, &tp);
        if (why) {
            quote(raw, shown, sizeof shown);
            snprintf(msg, size, msg_text(ds->lang, MSG_BAD_TIMESTAMP), shown, msg_translate(ds->lang, why));
            return msg;
        }
        out->tag = CELL_TIME;
        out->i = zt_to_instant(&tp, ds->prog->meta.tz_offset);
        if (!zt_in_years(out->i, ds->prog->meta.tz_offset)) {
            /* every time a run holds prints with a four-digit year, in UTC and in the policy's zone */
            quote(raw, shown, sizeof shown);
            snprintf(msg, size, msg_text(ds->lang, MSG_TIMESTAMP_YEARS), shown);
            return msg;
        }
        return NULL;
    }
    case VT_INT:
    case VT_DURATION: {
        char *end;
        char buf[32];
        if (raw->len >= sizeof buf) goto bad_number;
        memcpy(buf, raw->p, raw->len);
        buf[raw->len] = '\0';
        long long v = strtoll(buf, &end, 10);
        if (*end || end == buf) goto bad_number;
        out->tag = CELL_INT;
        out->i = v;
        return NULL;
    bad_number:
        quote(raw, shown, sizeof shown);
        snprintf(msg, size, msg_text(ds->lang, MSG_NOT_INTEGER), shown);
        return msg;
    }
    case VT_BOOL:
        if (raw->len == 4 && !memcmp(raw->p, "true", 4)) { out->tag = CELL_BOOL; out->i = 1; return NULL; }
        if (raw->len == 5 && !memcmp(raw->p, "false", 5)) { out->tag = CELL_BOOL; out->i = 0; return NULL; }
        quote(raw, shown, sizeof shown);
        snprintf(msg, size, msg_text(ds->lang, MSG_NOT_BOOL), shown);
        return msg;
    }
    return NULL; /* not reached: the strings are converted above */
}

/* slot: per field, SLOT_NONE when its cell is only checked (NULL: none). */
static const char *convert_row(Dataset *ds, const ZTable *t, const RawCell *raw, Cell *cells, Arena *lists, const uint16_t *slot,
                               char *msg, size_t size)
{
    uint32_t id = t == &ds->prog->log && ds->log_id >= 0 ? (uint32_t)ds->log_id : UINT32_MAX;
    for (uint32_t i = 0; i < t->nfields; i++) {
        char why[300];
        Arena *to = slot && slot[i] == SLOT_NONE ? NULL : lists;
        if (convert(ds, &t->fields[i], &raw[i], i == id, &cells[i], to, why, sizeof why)) {
            snprintf(msg, size, msg_text(ds->lang, MSG_COLUMN), program_string(ds->prog, t->fields[i].column), why);
            return msg;
        }
    }
    return NULL;
}

/* The unit's id and *hash (text_hash's), or 0 and *err. */
static StrId unit_of(Dataset *ds, const RawCell *unit, uint64_t *hash, char *msg, size_t size, const char **err)
{
    *err = NULL;
    *hash = 0;
    if (unit->bad) {
        snprintf(msg, size, "column %s: %s", program_string(ds->prog, ds->prog->meta.units_column), unit->bad);
        *err = msg;
        return 0;
    }
    if (!unit->present || unit->len == 0) {
        *hash = text_hash(unit);
        return 0;
    }
    long bad;
    StrId id = intern_text(ds, unit, false, hash, &bad);
    if (bad >= 0) {
        snprintf(msg, size, msg_text(ds->lang, MSG_COL_INVALID_UTF8), program_string(ds->prog, ds->prog->meta.units_column));
        *err = msg;
        return 0;
    }
    return id;
}

/* A 64-bit hash of (unit, id) by their text, so it outlives the strings. Two
 * different pairs collide with probability about n^2 / 2^65 (10 million
 * events: 3 in a million), reported as a duplicate id. Made of the two
 * cells' hashes (text_hash: an accepted cell's text is the interned
 * string's), the ones their interning takes, so the slot can be fetched
 * while the row is converted. */
static uint64_t seen_key(uint64_t unit, uint64_t id)
{
    uint64_t h = (unit ^ 0x9E3779B97F4A7C15ull) * 0xBF58476D1CE4E5B9ull;
    h = (h ^ (h >> 31) ^ id) * 0x94D049BB133111EBull;
    h ^= h >> 32;
    return h == UINT64_MAX ? 0 : h; /* UINT64_MAX marks an empty slot */
}

/* The set of keys is an ordered table (Amble and Knuth's ordered hash
 * table): linear probing whose keys stand in ascending order, each at or
 * after its home slot, which rises with the key (its top bits scaled to the
 * table), so a search stops at the first key not below its own, and an
 * insertion shifts the rest of its run by one. Full to seven eighths, grown
 * by half: 9 to 14 bytes a key. SEEN_PAD slots after the last home take
 * the runs that go past it (the last one stays empty: every scan stops). */
enum { SEEN_PAD = 64 };

static uint32_t seen_slot(uint64_t key, uint32_t cap) { return (uint32_t)(((key >> 32) * cap) >> 32); }

/* The set in a table of cap slots (and the pad): the keys in order, each at
 * its home or just after the one before. False when out of memory, or when
 * the keys overrun the pad (then a larger table is tried). */
static bool seen_rebuild(Dataset *ds, uint64_t cap)
{
    for (;; cap += cap / 8) {
        if (cap >= UINT32_MAX - SEEN_PAD) return false; /* past 3.7 billion keys */
        size_t total = (size_t)cap + SEEN_PAD, at = 0;
        uint64_t *slots = malloc(sizeof(uint64_t) * total);
        if (!slots) return false;
        hidx_advise_huge(slots, sizeof(uint64_t) * total);
        memset(slots, 0xFF, sizeof(uint64_t) * total); /* UINT64_MAX: empty */
        for (size_t i = 0, old = ds->seen_cap ? (size_t)ds->seen_cap + SEEN_PAD : 0; i < old && at < total - 1; i++) {
            uint64_t k = ds->seen[i];
            if (k == UINT64_MAX) continue;
            size_t h = seen_slot(k, (uint32_t)cap);
            if (h < at) h = at;
            slots[h] = k;
            at = h + 1;
        }
        if (at < total - 1 || ds->nseen == 0) {
            free(ds->seen);
            ds->seen = slots;
            ds->seen_cap = (uint32_t)cap;
            return true;
        }
        free(slots);
    }
}

/* Inserts (unit, id) into the set: 1, 0 if it was there, -1 when out of
 * memory. */
static int seen_insert(Dataset *ds, uint64_t key)
{
    if ((uint64_t)(ds->nseen + 1) * 8 > (uint64_t)ds->seen_cap * 7 &&
        !seen_rebuild(ds, ds->seen_cap ? (uint64_t)ds->seen_cap * 3 / 2 : 4096))
        return -1;
    for (;;) {
        uint64_t *s = ds->seen;
        uint32_t i = seen_slot(key, ds->seen_cap), j;
        while (s[i] < key) i++; /* an empty slot (UINT64_MAX) stops it too */
        if (s[i] == key) return 0;
        for (j = i; s[j] != UINT64_MAX; j++) {}
        if (j < ds->seen_cap + SEEN_PAD - 1u) {
            memmove(&s[i + 1], &s[i], sizeof(uint64_t) * (j - i));
            s[i] = key;
            ds->nseen++;
            return 1;
        }
        if (!seen_rebuild(ds, (uint64_t)ds->seen_cap * 9 / 8)) return -1; /* the run would reach the last slot */
    }
}

/* Packed cells (dataset.h, Event) in arena a from a row's cells: the n
 * fields `field` at their words `slot` (by field), of kinds `kind` (by
 * field), nwords words and their lists after them; NULL when there are none
 * (or out of memory). */
__attribute__((always_inline)) static inline uint32_t *pack(Arena *a, const uint16_t *slot, const uint16_t *field, uint32_t n, size_t nwords, const uint8_t *kind,
                                                             const Cell *cells)
{
    size_t nw = nwords;
    for (uint32_t j = 0; j < n; j++)
        if (cells[field[j]].tag == CELL_LIST) nw += 1u + cells[field[j]].list->n;
    uint32_t *w = nw ? arena_alloc_packed(a, sizeof(uint32_t) * nw, sizeof(uint32_t)) : NULL;
    if (!w) return NULL;
    uint32_t at = (uint32_t)nwords;
    for (uint32_t j = 0; j < n; j++) {
        uint32_t f = field[j], k = slot[f];
        const Cell *c = &cells[f];
        switch (kind[f]) {
        case CELL_STR: w[k] = c->tag == CELL_STR ? c->s : 0; break;
        case CELL_LIST:
            if (c->tag != CELL_LIST) break;
            w[k] = at;
            w[at] = c->list->n;
            memcpy(&w[at + 1], c->list->items, sizeof(StrId) * c->list->n);
            at += 1u + c->list->n;
            break;
        case CELL_TIME: {
            int64_t v = c->tag == CELL_TIME ? c->i : INT64_MIN;
            memcpy(&w[k], &v, sizeof v);
            break;
        }
        case CELL_INT:
            w[k] = c->tag == CELL_INT;
            memcpy(&w[k + 1], &c->i, sizeof c->i);
            break;
        case CELL_BOOL: w[k] = c->tag == CELL_BOOL ? 1u + (c->i != 0) : 0; break;
        }
    }
    return w;
}

size_t dataset_event_bytes(const Dataset *ds, const Event *e)
{
    uint32_t nf = ds->prog->log.nfields;
    const uint16_t *slot = &ds->cell_slot[(size_t)e->type * nf], *field = &ds->packed[(size_t)e->type * nf];
    size_t nw = ds->nwords[e->type];
    for (uint32_t j = 0; j < ds->npacked[e->type]; j++) {
        uint32_t list = ds->cell_kind[field[j]] == CELL_LIST ? e->cells[slot[field[j]]] : 0;
        if (list) nw += 1u + e->cells[list];
    }
    return sizeof(uint32_t) * nw;
}

/* fn on every string of packed cells (see pack). */
static void packed_strs(uint32_t *cells, const uint16_t *slot, const uint16_t *field, uint32_t n, const uint8_t *kind,
                        void (*fn)(StrId *id, void *ctx), void *ctx)
{
    for (uint32_t j = 0; j < n; j++) {
        uint32_t *w = &cells[slot[field[j]]];
        if (!*w) continue;
        if (kind[field[j]] == CELL_STR) fn(w, ctx);
        else if (kind[field[j]] == CELL_LIST)
            for (uint32_t i = 0, *l = &cells[*w]; i < l[0]; i++) fn(&l[1 + i], ctx);
    }
}

void dataset_event_strs(Event *e, const Dataset *ds, void (*fn)(StrId *id, void *ctx), void *ctx)
{
    uint32_t nf = ds->prog->log.nfields;
    packed_strs(e->cells, &ds->cell_slot[(size_t)e->type * nf], &ds->packed[(size_t)e->type * nf], ds->npacked[e->type],
                ds->cell_kind, fn, ctx);
}

void dataset_record_strs(Record *r, const TableData *td, void (*fn)(StrId *id, void *ctx), void *ctx)
{
    fn(&r->unit, ctx);
    if (r->cells) packed_strs(r->cells, td->slot, td->packed, td->npacked, td->kind, fn, ctx);
}

const char *dataset_add_event(Dataset *ds, const RawCell *raw, RawCell unit_raw, int64_t loc, char *msg, size_t size)
{
    const Program *p = ds->prog;
    const ZTable *log = &p->log;
    int fid = ds->log_id, ftime = ds->log_time, ftype = ds->log_type;
    const char *err;
    /* the set's slot is a cache miss in a long log: asked for now, used last */
    uint64_t hid = text_hash(&raw[fid]), hunit;
    strtab_prefetch(&ds->strs, (uint32_t)hid);
    StrId unit = unit_of(ds, &unit_raw, &hunit, msg, size, &err);
    if (err) return err;
    uint64_t key = seen_key(hunit, hid);
    if (ds->seen_cap) __builtin_prefetch(&ds->seen[seen_slot(key, ds->seen_cap)]);
    /* the type first: it decides which fields matter */
    const RawCell *t = &raw[ftype];
    if (t->bad) {
        snprintf(msg, size, "column %s: %s", program_string(p, log->fields[ftype].column), t->bad);
        return msg;
    }
    if (!t->present || t->len == 0) {
        snprintf(msg, size, msg_text(ds->lang, MSG_COL_EMPTY_TYPE), program_string(p, log->fields[ftype].column));
        return msg;
    }
    /* the type's value is interned already if it is one the program knows;
     * a value met lately knows its type */
    SeenText *seen = seen_text(ds, t->p, t->len);
    int type = seen ? seen->type : TYPE_UNKNOWN;
    if (type == TYPE_UNKNOWN) {
        StrId tv = seen ? seen->id : UINT32_MAX;
        if (!seen) {
            long bad_at = invalid_at(t);
            if (bad_at >= 0) {
                snprintf(msg, size, msg_text(ds->lang, MSG_COL_INVALID_UTF8_AT), program_string(p, log->fields[ftype].column),
                         (unsigned char)t->p[bad_at], bad_at);
                return msg;
            }
            uint64_t htype = text_hash(t);
            tv = strtab_find_hashed(&ds->strs, t->p, t->len, (uint32_t)htype);
            if (tv != UINT32_MAX) seen = met_text(ds, t->p, t->len, htype, tv);
        }
        type = -1; /* the last type of that value, as the program's */
        for (uint32_t i = p->nevent_types; i-- > 0 && tv != UINT32_MAX && type < 0;)
            if (ds->prog_str[p->event_types[i].value] == tv) type = (int)i;
        if (seen && type < INT16_MAX) seen->type = (int16_t)type;
    }
    if (type < 0) {
        char shown[200];
        quote(t, shown, sizeof shown);
        snprintf(msg, size, msg_text(ds->lang, MSG_COL_UNKNOWN_TYPE), program_string(p, log->fields[ftype].column), shown);
        return msg;
    }
    /* a row read ahead (its type checked ahead too) comes with the hashes of
     * its strings: their index slots are asked for before they are interned */
    for (uint32_t f = 0; t->checked && f < log->nfields && f < 64; f++)
        if (raw[f].checked == RAW_TEXT) strtab_prefetch(&ds->strs, (uint32_t)raw[f].pre);
    Cell *cells = ds->row;
    memset(cells, 0, sizeof(Cell) * log->nfields);
    arena_reset(&ds->row_lists);
    const char *bad = convert_row(ds, log, raw, cells, &ds->row_lists, NULL, msg, size);
    if (bad) return bad;
    if (cells[fid].tag != CELL_STR) {
        snprintf(msg, size, msg_text(ds->lang, MSG_COL_EMPTY_ID), program_string(p, log->fields[fid].column));
        return msg;
    }
    if (cells[ftime].tag != CELL_TIME) {
        snprintf(msg, size, msg_text(ds->lang, MSG_COL_EMPTY_TIME), program_string(p, log->fields[ftime].column));
        return msg;
    }
    int fresh = seen_insert(ds, key);
    if (fresh < 0) return out_of_memory(ds, msg, size);
    if (!fresh) {
        snprintf(msg, size, msg_text(ds->lang, MSG_COL_DUP_ID), program_string(p, log->fields[fid].column),
                 strtab_str(&ds->strs, cells[fid].s));
        return msg;
    }
    if (ds->nevents == ds->cap) {
        Event *ev = array_grow(ds->events, &ds->cap, sizeof(Event), 1024);
        if (!ev) return out_of_memory(ds, msg, size);
        ds->events = ev;
    }
    Event *e = &ds->events[ds->nevents];
    e->time = cells[ftime].i;
    e->id = cells[fid].s;
    e->unit = unit;
    e->type = (uint16_t)type;
    e->loc = loc;
    e->order = ds->next_order++;
    /* fields the type does not carry are not part of the event */
    uint32_t nf = log->nfields;
    e->cells = pack(&ds->event_arena, &ds->cell_slot[(size_t)type * nf], &ds->packed[(size_t)type * nf], ds->npacked[type],
                    ds->nwords[type], ds->cell_kind, cells);
    if (!e->cells && ds->event_arena.failed) return out_of_memory(ds, msg, size);
    ds->nevents++;
    return NULL;
}

const char *dataset_add_record(Dataset *ds, uint32_t table, const RawCell *raw, RawCell unit_raw, bool has_unit, char *msg,
                               size_t size)
{
    const ZTable *t = &ds->prog->tables[table];
    TableData *td = &ds->tables[table];
    const char *err;
    uint64_t hunit;
    StrId unit = unit_of(ds, &unit_raw, &hunit, msg, size, &err);
    if (err) return err;
    arena_reset(&ds->row_lists); /* the row's cells and lists, until they are packed */
    Cell *cells = arena_alloc(&ds->row_lists, sizeof(Cell) * t->nfields);
    if (!cells) return out_of_memory(ds, msg, size);
    const char *bad = convert_row(ds, t, raw, cells, &ds->row_lists, td->slot, msg, size);
    if (bad) return bad;
    if (td->n == td->cap) {
        Record *rows = array_grow(td->rows, &td->cap, sizeof(Record), 64);
        if (!rows) return out_of_memory(ds, msg, size);
        td->rows = rows;
    }
    uint32_t *w = pack(&ds->arena, td->slot, td->packed, td->npacked, td->nwords, td->kind, cells);
    if (!w && ds->arena.failed) return out_of_memory(ds, msg, size);
    td->rows[td->n++] = (Record){unit, has_unit, w};
    return NULL;
}
