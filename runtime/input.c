/* input.c - the input driver: binds the program's tables to a backend's
 * (source.h) tables and columns, pulls their rows, converts each into the
 * Dataset (reference tables first, then the log) and applies the bad-row
 * policy. The caller pulls events from it (input_next), so a streaming run
 * steps between two rows without the readers calling back up. */
#define _GNU_SOURCE /* qsort_r: orders column names without globals */
#include "input.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "errfmt.h"
#include "readahead.h"
#include "source.h"
#include "text.h"

/* Which column of the source holds each field of a binding. */
typedef struct Binding {
    const ZTable *table;
    int table_index;      /* -1 for the event log */
    int *col;             /* per field: source column, or -1 (absent) */
    uint8_t *kind;        /* per field: the check of its cells (rawcell_kind) */
    int unit_col;         /* -1 when the source has no unit column */
    bool in_order;        /* field f is column f, for every field (at most 64) */
} Binding;

/* The column of each field and of the unit (the last of a name). */
static bool map_columns(const Program *p, Binding *b, const char *const *names, int ncols)
{
    const ZTable *t = b->table;
    free(b->col);
    free(b->kind);
    b->col = malloc(sizeof(int) * (t->nfields + 1));
    b->kind = malloc(t->nfields + 1u);
    if (!b->col || !b->kind) return false;
    for (uint32_t f = 0; f < t->nfields; f++) {
        b->kind[f] = rawcell_kind(t->fields[f].type);
        const char *want = program_string(p, t->fields[f].column);
        b->col[f] = -1;
        for (int i = 0; i < ncols; i++)
            if (!strcmp(names[i], want)) b->col[f] = i;
    }
    b->in_order = t->nfields <= 64;
    for (uint32_t f = 0; f < t->nfields; f++) b->in_order &= b->col[f] == (int)f;
    b->unit_col = -1;
    if (p->meta.units_column != ZNONE) {
        const char *u = program_string(p, p->meta.units_column);
        for (int i = 0; i < ncols; i++)
            if (!strcmp(names[i], u)) b->unit_col = i;
    }
    return true;
}

static int by_name_then_place(const void *a, const void *b, void *names)
{
    int i = *(const int *)a, k = *(const int *)b;
    int c = strcmp(((const char *const *)names)[i], ((const char *const *)names)[k]);
    return c ? c : (i > k) - (i < k);
}

/* The first column (in header order) whose name an earlier column has: its
 * index, -1 when none, -2 out of memory. Sorted, so 60,000 columns are quick. */
static int first_repeated(const char *const *names, int ncols)
{
    int *order = malloc(sizeof(int) * ((size_t)ncols + 1));
    if (!order) return -2;
    for (int i = 0; i < ncols; i++) order[i] = i;
    qsort_r(order, (size_t)ncols, sizeof(int), by_name_then_place, (void *)names);
    int first = -1;
    for (int i = 1; i < ncols; i++)
        if (!strcmp(names[order[i]], names[order[i - 1]]) && (first < 0 || order[i] < first)) first = order[i];
    free(order);
    return first;
}

static int bind_columns(Lang lang, const Program *p, Binding *b, const char *source, const char *const *names, int ncols, char *err,
                        size_t size)
{
    const ZTable *t = b->table;
    int twice = first_repeated(names, ncols);
    if (twice == -2) return errfmt(err, size, "%s", msg_text(lang, MSG_OOM));
    if (twice >= 0) return errfmt(err, size, msg_text(lang, MSG_COLUMN_TWICE), source, names[twice]);
    if (!map_columns(p, b, names, ncols)) return errfmt(err, size, "%s", msg_text(lang, MSG_OOM));
    for (uint32_t f = 0; f < t->nfields; f++)
        if (b->col[f] < 0 && !t->fields[f].optional)
            return errfmt(err, size, msg_text(lang, MSG_MISSING_COLUMN), source, program_string(p, t->fields[f].column),
                        program_string(p, t->fields[f].name), program_string(p, t->name));
    return 0;
}

/* Hands one source row to the data set: NULL, or what is wrong with it.
 * When the source's columns are the table's fields in order, its cells are
 * handed on as they are, not copied. */
static const char *add_row(Dataset *ds, const Binding *b, RawCell *cols, int ncols, int64_t loc, char *msg, size_t size)
{
    RawCell copy[64 + 1];
    RawCell *cells = cols;
    const ZTable *t = b->table;
    int tz = ds->prog->meta.tz_offset;
    if (!b->in_order || (int)t->nfields > ncols) {
        cells = copy;
        for (uint32_t f = 0; f < t->nfields && f < 64; f++) {
            RawCell none = {"", 0, false, 0, NULL, 0};
            cells[f] = b->col[f] >= 0 && b->col[f] < ncols ? cols[b->col[f]] : none;
        }
    }
    RawCell unit = {"", 0, false, 0, NULL, 0};
    if (b->unit_col >= 0 && b->unit_col < ncols) unit = cols[b->unit_col];
    /* the id's hash serves three look-ups: found once */
    if (b->table_index < 0 && ds->log_id >= 0 && ds->log_id < 64) rawcell_check(&cells[ds->log_id], b->kind[ds->log_id], tz);
    if (b->table_index < 0) return dataset_add_event(ds, cells, unit, loc, msg, size);
    return dataset_add_record(ds, (uint32_t)b->table_index, cells, unit, b->unit_col >= 0, msg, size);
}

struct Input {
    Dataset *ds;
    Source *src;
    Source *ahead;        /* src when it reads ahead (readahead.h), else NULL */
    InputOptions opt;
    InputStats *st;
    Binding *b;           /* the reference tables, then the log */
    uint32_t n;
    uint32_t at;          /* the binding being read */
    bool open;            /* its table is open */
};

static bool wanted(const Input *in, uint32_t i) { return i < in->ds->prog->ntables || in->ds->prog->log.nfields > 0; }

static int open_binding(Input *in, uint32_t i, char *err, size_t size)
{
    const Program *p = in->ds->prog;
    const char *const *names;
    int ncols;
    if (in->src->ops->open_table(in->src, program_string(p, in->b[i].table->table), &names, &ncols, err, size)) return -1;
    return bind_columns(in->opt.lang, p, &in->b[i], in->src->name, names, ncols, err, size);
}

void input_close(Input *in)
{
    if (!in) return;
    if (in->src) in->src->ops->free(in->src);
    for (uint32_t i = 0; in->b && i < in->n; i++) {
        free(in->b[i].col);
        free(in->b[i].kind);
    }
    free(in->b);
    free(in);
}

/* A data set that cannot be opened: a missing one named as such. */
static Input *data_error(Lang lang, const char *path, int e, char *err, size_t size)
{
    if (e == ENOENT) errfmt(err, size, msg_text(lang, MSG_DATA_NOT_FOUND), path);
    else errfmt(err, size, msg_text(lang, MSG_DATA_UNREADABLE), path, strerror(e));
    return NULL;
}

/* Messages quote names and cells of the data (a header name, a SQLite
 * error about a view, an unknown event type, a unit): every one leaves here
 * escaped as the text report escapes them (text.h), so none can forge a line,
 * hide text or reorder it on a terminal. Returns -1. */
static int escaped(char *err, size_t size)
{
    if (!err || !size) return -1;
    char raw[2048];
    snprintf(raw, sizeof raw, "%s", err);
    text_escape(err, size, raw);
    return -1;
}

static Input *open_input(Dataset *ds, const char *path, const InputOptions *opt, InputStats *stats, char *err, size_t size)
{
    memset(stats, 0, sizeof *stats);
    struct stat sb;
    if (stat(path, &sb) != 0) return data_error(opt->lang, path, errno, err, size);
    Source *src = NULL;
    if (S_ISDIR(sb.st_mode)) {
        src = csv_source_open(path, opt->lang, err, size);
    } else {
        if (!S_ISREG(sb.st_mode)) { /* a FIFO would block, a device never end */
            errfmt(err, size, msg_text(opt->lang, MSG_DATA_NEITHER), path);
            return NULL;
        }
        FILE *f = fopen(path, "rb");
        if (!f) return data_error(opt->lang, path, errno, err, size);
        char magic[16] = {0};
        size_t got = fread(magic, 1, sizeof magic, f);
        fclose(f);
        if (got < 16 || memcmp(magic, "SQLite format 3", 16) != 0) {
            errfmt(err, size, msg_text(opt->lang, MSG_DATA_NEITHER), path);
            return NULL;
        }
        src = sql_source_open(path, opt->lang, !opt->no_integrity_check, err, size);
    }
    if (!src) return NULL;
    Source *ahead = opt->read_ahead ? readahead_new(src) : NULL; /* NULL, out of memory: read on this thread */
    if (ahead) src = ahead;
    const Program *p = ds->prog;
    Input *in = calloc(1, sizeof *in);
    if (in) in->b = calloc(p->ntables + 1u, sizeof(Binding));
    if (!in || !in->b) {
        src->ops->free(src);
        if (in) free(in);
        errfmt(err, size, "%s", msg_text(opt->lang, MSG_OOM));
        return NULL;
    }
    in->ds = ds;
    in->src = src;
    in->ahead = ahead;
    in->opt = *opt;
    in->st = stats;
    in->n = p->ntables + 1;
    for (uint32_t i = 0; i < in->n; i++) {
        bool is_log = i == p->ntables;
        in->b[i].table = is_log ? &p->log : &p->tables[i];
        in->b[i].table_index = is_log ? -1 : (int)i;
    }
    /* every table and column first, before any row */
    for (uint32_t i = 0; i < in->n; i++) {
        if (!wanted(in, i)) continue;
        int rc = open_binding(in, i, err, size);
        src->ops->close_table(src);
        if (rc) { input_close(in); return NULL; }
    }
    return in;
}

Input *input_open(Dataset *ds, const char *path, const InputOptions *opt, InputStats *stats, char *err, size_t size)
{
    Input *in = open_input(ds, path, opt, stats, err, size);
    if (!in) escaped(err, size);
    return in;
}

/* A bad row under --on-bad-row skip: counted, and reported (escaped, as
 * escaped() says) unless a first reading reported it already. */
static void skip_row(const InputOptions *opt, InputStats *st, const char *where, const char *why)
{
    st->skipped++;
    if (!opt->report || st->skipped <= opt->quiet_skips) return;
    char w[700], y[1024];
    text_escape(w, sizeof w, where);
    text_escape(y, sizeof y, why);
    fprintf(opt->report, msg_text(opt->lang, MSG_ROW_SKIPPED), w, y);
}

/* Tells the reader thread what each column of the open table holds, so it
 * checks the cells as their fields will be converted (rawcell_check): a
 * column bound to fields of two kinds gets the check both share. -1 when
 * out of memory. */
static int expect(Input *in, const Binding *b)
{
    int ncols = 0;
    for (uint32_t f = 0; f < b->table->nfields; f++)
        if (b->col[f] >= ncols) ncols = b->col[f] + 1;
    if (b->unit_col >= ncols) ncols = b->unit_col + 1;
    uint8_t *kinds = calloc((size_t)ncols + 1, 1);
    if (!kinds) return -1;
    for (uint32_t f = 0; f <= b->table->nfields; f++) {
        int c = f < b->table->nfields ? b->col[f] : b->unit_col;
        if (c < 0) continue;
        uint8_t k = f < b->table->nfields ? b->kind[f] : RAW_TEXT;
        kinds[c] = !kinds[c] || kinds[c] == k ? k : RAW_UTF8;
    }
    int rc = readahead_expect(in->ahead, kinds, ncols, in->ds->prog->meta.tz_offset);
    free(kinds);
    return rc;
}

static int pull(Input *in, char *err, size_t size)
{
    Dataset *ds = in->ds;
    for (;;) {
        if (!in->open) {
            while (in->at < in->n && !wanted(in, in->at)) in->at++;
            if (in->at == in->n) return 0;
            if (open_binding(in, in->at, err, size)) return -1;
            if (in->ahead && expect(in, &in->b[in->at])) return errfmt(err, size, msg_text(in->opt.lang, MSG_OOM_READING), in->src->name);
            const char *name = arena_strdup(&ds->arena, in->src->name);
            if (in->b[in->at].table_index < 0) ds->event_source = name;
            else ds->tables[in->at].source = name;
            in->open = true;
            if (!name) return errfmt(err, size, msg_text(in->opt.lang, MSG_OOM_READING), in->src->name);
        }
        const Binding *b = &in->b[in->at];
        SourceRow row;
        int rc = in->src->ops->next(in->src, &row, err, size);
        if (rc < 0) return -1;
        if (rc == 0) {
            in->src->ops->close_table(in->src);
            in->open = false;
            in->at++;
            continue;
        }
        in->st->rows++;
        char msg[512];
        const char *bad = row.problem;
        if (!bad) bad = add_row(ds, b, row.cols, row.ncols, row.loc, msg, sizeof msg);
        if (ds->out_of_memory) return errfmt(err, size, msg_text(in->opt.lang, MSG_OOM_READING), in->src->name);
        char where[700];
        if (!bad && b->table_index < 0 && in->opt.max_held && ds->nevents > in->opt.max_held) {
            in->src->ops->where(in->src, row.loc, where, sizeof where);
            return errfmt(err, size, msg_text(in->opt.lang, MSG_TOO_MANY_HELD), where, (unsigned long long)in->opt.max_held);
        }
        if (!bad) {
            if (b->table_index >= 0) continue;
            in->st->events++;
            return 1;
        }
        in->src->ops->where(in->src, row.loc, where, sizeof where);
        if (!in->opt.skip_bad_rows) return errfmt(err, size, "%s: %s", where, bad);
        skip_row(&in->opt, in->st, where, bad);
    }
}

int input_next(Input *in, char *err, size_t size)
{
    int rc = pull(in, err, size);
    return rc < 0 ? escaped(err, size) : rc;
}

int input_load(Dataset *ds, const char *path, const InputOptions *opt, InputStats *stats, char *err, size_t size)
{
    Input *in = input_open(ds, path, opt, stats, err, size);
    if (!in) return -1;
    int rc;
    while ((rc = input_next(in, err, size)) == 1) continue;
    input_close(in);
    return rc;
}

int input_add_row(Dataset *ds, const char *table, const char *const *columns, const char *const *values, size_t n,
                  uint32_t *next_loc, InputStats *stats, char *err, size_t size)
{
    const Program *p = ds->prog;
    Binding b = {NULL, -1, NULL, NULL, -1, false};
    if (p->log.nfields && !strcmp(program_string(p, p->log.table), table)) b.table = &p->log;
    for (uint32_t i = 0; i < p->ntables && !b.table; i++)
        if (!strcmp(program_string(p, p->tables[i].table), table)) { b.table = &p->tables[i]; b.table_index = (int)i; }
    if (!b.table) return errfmt(err, size, msg_text(ds->lang, MSG_NO_SUCH_TABLE), table);
    RawCell *cols = malloc(sizeof(RawCell) * (n + 1));
    if (!cols || !map_columns(p, &b, columns, (int)n)) {
        free(cols);
        free(b.col);
        free(b.kind);
        return errfmt(err, size, "%s", msg_text(ds->lang, MSG_OOM));
    }
    int rc = 0;
    for (uint32_t f = 0; f < b.table->nfields && rc == 0; f++)
        if (b.col[f] < 0 && !b.table->fields[f].optional)
            rc = errfmt(err, size, msg_text(ds->lang, MSG_ROW_MISSING_COLUMN), table, program_string(p, b.table->fields[f].column));
    if (rc == 0) {
        for (size_t c = 0; c < n; c++) {
            size_t len = values[c] ? strlen(values[c]) : 0;
            cols[c] = (RawCell){values[c] ? values[c] : "", len, len > 0, 0, NULL, 0};
        }
        char msg[512];
        uint32_t loc = ++*next_loc;
        const char *bad = add_row(ds, &b, cols, (int)n, loc, msg, sizeof msg);
        if (bad) rc = errfmt(err, size, msg_text(ds->lang, MSG_ROW_BAD), table, loc, bad);
        else {
            stats->rows++;
            if (b.table_index < 0) stats->events++;
        }
    }
    free(cols);
    free(b.col);
    free(b.kind);
    return rc ? escaped(err, size) : 0;
}
