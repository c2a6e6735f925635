/* dataset.h - a data set bound to a program: the event log and the reference
 * tables the program declares, with every value parsed and interned. Readers
 * (the CSV and SQLite readers of input.c, or an embedding program) hand it raw rows; it checks
 * and converts them and says precisely what is wrong with a bad one. */
#ifndef ZD_DATASET_H
#define ZD_DATASET_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "arena.h"
#include "msg.h"
#include "program.h"
#include "strtab.h"

/* A set of strings: sorted by id, without duplicates. */
typedef struct List {
    uint32_t n;
    StrId items[];
} List;

/* Whether list l (its items sorted, as every list is) holds s. */
static inline bool list_has(const List *l, StrId s)
{
    uint32_t lo = 0, hi = l->n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (l->items[mid] < s) lo = mid + 1;
        else if (l->items[mid] > s) hi = mid;
        else return true;
    }
    return false;
}

typedef enum CellTag { CELL_MISSING, CELL_STR, CELL_LIST, CELL_TIME, CELL_INT, CELL_BOOL } CellTag;

typedef struct Cell {
    uint8_t tag;
    StrId s;
    union {
        int64_t i;        /* CELL_TIME: UTC seconds; CELL_INT: value (durations in seconds) */
        const List *list;
    };
} Cell;

/* An event's cells are packed in 32-bit words, in field order, only for the
 * fields its type carries but id, time and type (the Event holds those): a
 * cell's kind is its field's (Dataset.cell_kind), so only "missing" needs
 * marking. A string: its StrId (0, the empty string, is never a value:
 * missing). A list: the index of the word where it follows the cells (n,
 * then its items), 0 missing. A time: 2 words, INT64_MIN missing (never a
 * value: times have four-digit years). A bool: 0 missing, 1 false, 2 true. An
 * integer or duration: a word 1 (present) or 0, then 2 words. Read through
 * event_cell. */
typedef struct Event {
    int64_t time;
    int64_t loc;          /* line (CSV) or rowid (SQLite: 64 bits, may be negative) */
    StrId id, unit;
    uint16_t type;        /* index into the program's event types */
    uint32_t order;       /* input order */
    uint32_t *cells;      /* the packed cells (NULL: none), in Dataset.event_arena */
} Event;

/* A reference table's row holds its unit and the cells of the fields the
 * program can read (dataset_new finds them: the fields its instructions read,
 * a keyed table's key, a roster's and a calendar's fixed fields), packed as an
 * event's are; every other cell is checked as it is read, then dropped. Read
 * through record_cell. */
typedef struct Record {
    StrId unit;
    bool has_unit;        /* the table has a unit column */
    uint32_t *cells;      /* the packed cells (NULL: none), in Dataset.arena */
} Record;

/* The fields of a roster and a calendar that the runtime reads by name
 * (TableData.fixed): a calendar has from and to. */
enum { FIX_PERSON, FIX_ROLE, FIX_FROM, FIX_TO, FIX_NAME, FIX_COUNT };

typedef struct TableData {
    Record *rows;
    uint32_t n, cap;
    const char *source;   /* file or "db:table", for messages */
    uint16_t *slot;       /* per field: the word of its cell in Record.cells, or SLOT_NONE: not kept */
    uint8_t *kind;        /* per field: the CellTag of its values */
    uint16_t *packed;     /* the fields kept, in order */
    uint16_t npacked, nwords;
    uint16_t fixed[FIX_COUNT]; /* where those fields' cells lie (SLOT_NONE: absent, or not a string, a time) */
} TableData;

/* What is known of a raw cell before it is converted (RawCell.checked):
 * nothing, or that it is valid UTF-8 without a NUL byte, and also its hash
 * (a string's) or its instant (a time's). */
enum { RAW_UNCHECKED, RAW_UTF8, RAW_TEXT, RAW_TIME };

/* A raw value from a reader: bytes and whether the cell is present (not
 * empty/NULL), or what is wrong with it (a SQLite blob: "expected text,
 * found a blob"), reported only when the policy reads the cell. checked and
 * pre: what rawcell_check found (a reader leaves them 0: unchecked). */
typedef struct RawCell {
    const char *p;
    size_t len;
    bool present;
    uint8_t checked;
    const char *bad;
    int64_t pre;          /* RAW_TEXT: hidx_hash_text64(p, len, 0); RAW_TIME: the UTC instant */
} RawCell;

/* The check a cell of a field of type vt (ValType, maybe a list) can have
 * before its conversion: RAW_TEXT, RAW_TIME or RAW_UTF8. */
uint8_t rawcell_kind(uint8_t vt);
/* The pure part of converting a present cell as a field of that kind will
 * (UTF-8, the string's hash, the time at the zone offset tz): done ahead,
 * on a reader thread or once per cell, and sets checked and pre when the
 * cell passes. A cell that fails stays unchecked: its conversion finds the
 * fault again and says what it is, as without the check. */
void rawcell_check_present(RawCell *c, uint8_t kind, int tz);
static inline void rawcell_check(RawCell *c, uint8_t kind, int tz)
{
    if (kind && !c->checked && c->len && c->present && !c->bad) rawcell_check_present(c, kind, tz);
}

typedef struct SeenText SeenText;

typedef struct Dataset {
    const Program *prog;
    StrTab strs;
    StrId *prog_str;      /* program string index -> StrId */
    int log_id, log_time, log_type; /* fields of the log, found once */
    Arena arena;          /* reference rows and everything else kept to the end */
    Arena event_arena;    /* the events' packed cells (a streaming run replaces it) */
    Arena row_lists;      /* the lists of the row being converted */
    Event *events;        /* the events held: all of them, or a streaming run's window */
    uint16_t *cell_slot;  /* per event type and log field: the word of its cell in Event.cells, or an EventSlot */
    uint16_t *nwords;     /* per event type: the words of its cells (lists follow them) */
    uint16_t *packed;     /* per event type, nfields apart: the log fields of its cells, in order */
    uint16_t *npacked;    /* per event type: how many */
    uint8_t *cell_kind;   /* per log field: the CellTag of its values */
    Cell *row;            /* a row's cells (every log field) while it is converted */
    SeenText *texts;      /* short strings of the data met lately, with their ids (dataset.c) */
    uint32_t nevents, cap;
    uint32_t next_order;  /* events accepted so far */
    const char *event_source;
    TableData *tables;    /* one per program table */
    /* every (unit, id) pair accepted, as a 64-bit hash of the two strings, for
     * duplicate detection: 8 bytes an event in an ordered hash table
     * (dataset.c: seen_cap slots and 64 after them), the one cost that grows
     * with the number of events in a streaming run */
    uint64_t *seen;
    uint32_t nseen, seen_cap;
    bool out_of_memory;   /* a row could not be added for want of memory */
    Lang lang;            /* of the bad-row messages (LANG_EN unless the caller sets it) */
} Dataset;

Dataset *dataset_new(const Program *p);
void dataset_free(Dataset *ds);
/* Forgets the ids of the strings met lately: called when the string table
 * renumbers its ids (strtab_compact). */
void dataset_forget_texts(Dataset *ds);

/* Adds a row of the event log (cells in log-field order) or of reference table
 * `table` (cells in that table's field order). unit is the unit column's cell
 * (present=false when missing or when the table has no unit column; has_unit
 * says which). Returns NULL, or a message naming the column and what is wrong
 * (then nothing is added; ds->out_of_memory tells a row that is not bad
 * but could not be stored). The message is valid until the next call. */
const char *dataset_add_event(Dataset *ds, const RawCell *cells, RawCell unit, int64_t loc, char *msg, size_t msgsize);
const char *dataset_add_record(Dataset *ds, uint32_t table, const RawCell *cells, RawCell unit, bool has_unit, char *msg,
                               size_t msgsize);

/* Where an event's field is when not in Event.cells: not carried (missing),
 * or the id, time and type the Event holds itself. */
enum EventSlot { SLOT_TYPE = UINT16_MAX - 3, SLOT_TIME, SLOT_ID, SLOT_NONE };

/* The cell at word k of packed cells (Event), of that CellTag (inlined
 * whole: the VM reads every event's cells through it). */
__attribute__((always_inline)) static inline Cell packed_cell(const uint32_t *cells, uint32_t k, uint8_t kind)
{
    const uint32_t *w = cells + k;
    Cell c = {0};
    switch (kind) {
    case CELL_STR:
        if (w[0]) c.tag = CELL_STR, c.s = w[0];
        break;
    case CELL_LIST:
        if (w[0]) c.tag = CELL_LIST, c.list = (const List *)(cells + w[0]);
        break;
    case CELL_TIME:
        memcpy(&c.i, w, sizeof c.i);
        if (c.i != INT64_MIN) c.tag = CELL_TIME;
        else c.i = 0;
        break;
    case CELL_INT:
        if (w[0]) c.tag = CELL_INT, memcpy(&c.i, w + 1, sizeof c.i);
        break;
    case CELL_BOOL:
        if (w[0]) c.tag = CELL_BOOL, c.i = w[0] - 1;
        break;
    }
    return c;
}

/* Event e's cell of log field f; a field its type does not carry is missing. */
static inline Cell event_cell(const Dataset *ds, const Event *e, uint32_t f)
{
    uint16_t k = ds->cell_slot[(size_t)e->type * ds->prog->log.nfields + f];
    if (k < SLOT_TYPE) return packed_cell(e->cells, k, ds->cell_kind[f]);
    Cell c = {0};
    if (k == SLOT_ID) c.tag = CELL_STR, c.s = e->id;
    else if (k == SLOT_TIME) c.tag = CELL_TIME, c.i = e->time;
    else if (k == SLOT_TYPE) c.tag = CELL_STR, c.s = ds->prog_str[ds->prog->event_types[e->type].value];
    return c;
}

/* Row r's cell of field f of its table td; a field not kept (no instruction
 * reads it) is missing. */
static inline Cell record_cell(const TableData *td, const Record *r, uint32_t f)
{
    uint16_t k = td->slot[f];
    if (k < SLOT_TYPE) return packed_cell(r->cells, k, td->kind[f]);
    return (Cell){0};
}
/* A row's time at word k of its cells w (a slot of TableData.fixed),
 * INT64_MIN when missing (never a time's value: times have four-digit
 * years); a string there is w[k], 0 when missing. */
static inline int64_t record_time_at(const uint32_t *w, uint16_t k)
{
    int64_t t = INT64_MIN;
    if (k != SLOT_NONE) memcpy(&t, w + k, sizeof t);
    return t;
}

/* The bytes of e's packed cells, its lists included (what a copy takes). */
size_t dataset_event_bytes(const Dataset *ds, const Event *e);
/* Calls fn on every string e's cells hold (list items too), for a collection
 * that marks and remaps them; a remap must keep the order of the ids (lists
 * stay sorted). */
void dataset_event_strs(Event *e, const Dataset *ds, void (*fn)(StrId *id, void *ctx), void *ctx);
/* The same for a row of td (its unit too). */
void dataset_record_strs(Record *r, const TableData *td, void (*fn)(StrId *id, void *ctx), void *ctx);

#endif
