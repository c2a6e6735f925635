/* dataset.h - a data set bound to a program: the event log and the reference
 * tables the program declares, with every value parsed and interned. Readers
 * (the CSV and SQLite readers of input.c, or an embedding program) hand it raw rows; it checks
 * and converts them and says precisely what is wrong with a bad one. */
#ifndef ZD_DATASET_H
#define ZD_DATASET_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "arena.h"
#include "msg.h"
#include "program.h"
#include "strtab.h"

/* A set of strings: sorted by id, without duplicates. */
typedef struct List {
    uint32_t n;
    StrId items[];
} List;

typedef enum CellTag { CELL_MISSING, CELL_STR, CELL_LIST, CELL_TIME, CELL_INT, CELL_BOOL } CellTag;

typedef struct Cell {
    uint8_t tag;
    StrId s;
    union {
        int64_t i;        /* CELL_TIME: UTC seconds; CELL_INT: value (durations in seconds) */
        const List *list;
    };
} Cell;

typedef struct Event {
    int64_t time;
    int64_t loc;          /* line (CSV) or rowid (SQLite: 64 bits, may be negative) */
    StrId id, unit;
    uint16_t type;        /* index into the program's event types */
    uint32_t order;       /* input order */
    Cell *cells;          /* one per log field its type carries but id, time and type, in field order: read through event_cell */
} Event;

typedef struct Record {
    StrId unit;
    bool has_unit;        /* the table has a unit column */
    int64_t loc;
    Cell *cells;          /* one per field of the table */
} Record;

typedef struct TableData {
    Record *rows;
    uint32_t n, cap;
    const char *source;   /* file or "db:table", for messages */
} TableData;

/* A raw value from a reader: bytes and whether the cell is present (not
 * empty/NULL), or what is wrong with it (a SQLite blob: "expected text,
 * found a blob"), reported only when the policy reads the cell. */
typedef struct RawCell {
    const char *p;
    size_t len;
    bool present;
    const char *bad;
} RawCell;

typedef struct Dataset {
    const Program *prog;
    StrTab strs;
    StrId *prog_str;      /* program string index -> StrId */
    int log_id, log_time, log_type; /* fields of the log, found once */
    Arena arena;          /* reference rows and everything else kept to the end */
    Arena event_arena;    /* the events' cells and lists (a streaming run replaces it) */
    Event *events;        /* the events held: all of them, or a streaming run's window */
    uint16_t *cell_slot;  /* per event type and log field: the index of its cell in Event.cells, or an EventSlot */
    uint16_t *ncells;     /* per event type: the cells of its events */
    Cell *row;            /* a row's cells (every log field) while it is converted */
    uint32_t nevents, cap;
    uint32_t next_order;  /* events accepted so far */
    const char *event_source;
    TableData *tables;    /* one per program table */
    /* every (unit, id) pair accepted, as a 64-bit hash of the two strings, for
     * duplicate detection: 8 bytes an event, the one cost that grows with the
     * number of events in a streaming run */
    uint64_t *seen;
    uint32_t nseen, seen_cap;
    bool out_of_memory;   /* a row could not be added for want of memory */
    Lang lang;            /* of the bad-row messages (LANG_EN unless the caller sets it) */
} Dataset;

Dataset *dataset_new(const Program *p);
void dataset_free(Dataset *ds);

/* Adds a row of the event log (cells in log-field order) or of reference table
 * `table` (cells in that table's field order). unit is the unit column's cell
 * (present=false when missing or when the table has no unit column; has_unit
 * says which). Returns NULL, or a message naming the column and what is wrong
 * (then nothing is added; ds->out_of_memory tells a row that is not bad
 * but could not be stored). The message is valid until the next call. */
const char *dataset_add_event(Dataset *ds, const RawCell *cells, RawCell unit, int64_t loc, char *msg, size_t msgsize);
const char *dataset_add_record(Dataset *ds, uint32_t table, const RawCell *cells, RawCell unit, bool has_unit, int64_t loc,
                               char *msg, size_t msgsize);

/* Where an event's field is when not in Event.cells: not carried (missing),
 * or the id, time and type the Event holds itself. */
enum EventSlot { SLOT_TYPE = UINT16_MAX - 3, SLOT_TIME, SLOT_ID, SLOT_NONE };

/* Event e's cell of log field f; a field its type does not carry is missing. */
static inline Cell event_cell(const Dataset *ds, const Event *e, uint32_t f)
{
    uint16_t k = ds->cell_slot[(size_t)e->type * ds->prog->log.nfields + f];
    if (k < SLOT_TYPE) return e->cells[k];
    Cell c = {0};
    if (k == SLOT_ID) c.tag = CELL_STR, c.s = e->id;
    else if (k == SLOT_TIME) c.tag = CELL_TIME, c.i = e->time;
    else if (k == SLOT_TYPE) c.tag = CELL_STR, c.s = ds->prog_str[ds->prog->event_types[e->type].value];
    return c;
}

#endif
