/* input.c - CSV directories and SQLite databases into a Dataset. */
#include "input.h"

#include <csv.h>
#include <errno.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int fail(char *err, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, size, fmt, ap);
    va_end(ap);
    return -1;
}

/* Which column of the source holds each field of a binding. */
typedef struct Binding {
    const ZTable *table;
    int table_index;      /* -1 for the event log */
    int *col;             /* per field: source column, or -1 (optional and absent) */
    int unit_col;         /* -1 when the source has no unit column */
    const char *source;   /* for messages */
} Binding;

static int bind_columns(const Program *p, Binding *b, const char **names, int ncols, char *err, size_t size)
{
    const ZTable *t = b->table;
    b->col = malloc(sizeof(int) * (t->nfields + 1));
    if (!b->col) return fail(err, size, "out of memory");
    for (int i = 0; i < ncols; i++)
        for (int k = 0; k < i; k++)
            if (!strcmp(names[i], names[k])) return fail(err, size, "%s: column %s appears twice in the header", b->source, names[i]);
    for (uint32_t f = 0; f < t->nfields; f++) {
        const char *want = program_string(p, t->fields[f].column);
        b->col[f] = -1;
        for (int i = 0; i < ncols; i++)
            if (!strcmp(names[i], want)) b->col[f] = i;
        if (b->col[f] < 0 && !t->fields[f].optional)
            return fail(err, size, "%s: missing column %s (field %s of %s)", b->source, want, program_string(p, t->fields[f].name),
                        program_string(p, t->name));
    }
    b->unit_col = -1;
    if (p->meta.units_column != ZNONE) {
        const char *u = program_string(p, p->meta.units_column);
        for (int i = 0; i < ncols; i++)
            if (!strcmp(names[i], u)) b->unit_col = i;
    }
    return 0;
}

/* Where a row is, formatted only when a message needs it. */
typedef struct Where {
    const char *source;   /* the CSV file, or the database */
    const char *table;    /* SQLite: the table; NULL for CSV */
    bool rowid;           /* SQLite: n is a rowid (else a row number, for views) */
    long long n;          /* CSV: the line */
} Where;

static const char *where_text(const Where *w, char *buf, size_t size)
{
    if (w->table) snprintf(buf, size, "%s:%s:%s %lld", w->source, w->table, w->rowid ? "rowid" : "row", w->n);
    else snprintf(buf, size, "%s:%lld", w->source, w->n);
    return buf;
}

/* A bad row under --on-bad-row skip: counted, and reported unless a first
 * reading reported it already. */
static void skip_row(const InputOptions *opt, InputStats *st, const char *where, const char *why)
{
    st->skipped++;
    if (opt->report && st->skipped > opt->quiet_skips) fprintf(opt->report, "zhidu: %s: %s (row skipped)\n", where, why);
}

/* Hands one source row to the data set. Returns 0 (added or skipped) or -1 (stop). */
static int take_row(Dataset *ds, const Binding *b, const RawCell *cols, int ncols, const Where *at, uint32_t loc,
                    const InputOptions *opt, InputStats *st, char *err, size_t size)
{
    char where[600];
    RawCell cells[64 + 1];
    const ZTable *t = b->table;
    char msg[512];
    const char *bad = NULL;
    st->rows++;
    for (uint32_t f = 0; f < t->nfields && f < 64; f++) {
        RawCell none = {"", 0, false};
        cells[f] = b->col[f] >= 0 && b->col[f] < ncols ? cols[b->col[f]] : none;
    }
    RawCell unit = {"", 0, false};
    if (b->unit_col >= 0 && b->unit_col < ncols) unit = cols[b->unit_col];
    if (b->table_index < 0) {
        bad = dataset_add_event(ds, cells, unit, loc, msg, sizeof msg);
        if (!bad) st->events++;
        /* a streaming run evaluates what it has read (stream.c); nonzero: stop reading */
        if (!bad && ds->on_events && ds->nevents >= ds->step_at && ds->on_events(ds->on_events_ctx))
            return fail(err, size, "events out of time order: reading again");
    } else {
        bad = dataset_add_record(ds, (uint32_t)b->table_index, cells, unit, b->unit_col >= 0, loc, msg, sizeof msg);
    }
    if (!bad) return 0;
    where_text(at, where, sizeof where);
    if (!opt->skip_bad_rows) return fail(err, size, "%s: %s", where, bad);
    skip_row(opt, st, where, bad);
    return 0;
}

/* ---- CSV --------------------------------------------------------------------------- */

typedef struct CsvState {
    Dataset *ds;
    Binding *b;
    const InputOptions *opt;
    InputStats *st;
    char *err;
    size_t errsize;
    /* the record being read: its fields back to back in buf */
    char *buf;
    size_t buflen, bufcap;
    size_t *offs, *lens;
    const char **fields;  /* pointers into buf, made at the end of the record */
    int nfields, cap;
    long line;            /* physical line of the next byte */
    long record_line;     /* line the current record started on */
    bool in_record;
    bool after_cr;        /* the last row end was a CR: an LF right after it ends no new line */
    bool header_done;
    bool header_only;     /* stop after the header */
    const char **header;
    int ncols;
    bool failed;
    bool stop;
} CsvState;

static void on_field(void *data, size_t len, void *ctx)
{
    CsvState *s = ctx;
    if (s->failed || s->stop) return;
    if (!s->in_record) {
        s->in_record = true;
        s->record_line = s->line;
    }
    if (s->nfields == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->offs = realloc(s->offs, sizeof(size_t) * (size_t)s->cap);
        s->lens = realloc(s->lens, sizeof(size_t) * (size_t)s->cap);
        s->fields = realloc(s->fields, sizeof(char *) * (size_t)s->cap);
        if (!s->offs || !s->lens || !s->fields) abort();
    }
    if (s->buflen + len + 1 > s->bufcap) {
        while (s->buflen + len + 1 > s->bufcap) s->bufcap = s->bufcap ? s->bufcap * 2 : 4096;
        s->buf = realloc(s->buf, s->bufcap);
        if (!s->buf) abort();
    }
    if (len) memcpy(s->buf + s->buflen, data, len);
    s->buf[s->buflen + len] = '\0';
    s->offs[s->nfields] = s->buflen;
    s->lens[s->nfields] = len;
    s->buflen += len + 1;
    s->nfields++;
    for (size_t i = 0; i < len; i++)
        if (((char *)data)[i] == '\n') s->line++;
}

static void clear_record(CsvState *s)
{
    s->nfields = 0;
    s->buflen = 0;
    s->in_record = false;
}

static void on_row(int c, void *ctx)
{
    CsvState *s = ctx;
    long started = s->in_record ? s->record_line : s->line;
    if (c == '\n' && s->after_cr && s->nfields == 0) {
        s->after_cr = false; /* the LF of a CRLF */
        return;
    }
    s->after_cr = c == '\r';
    if (c == '\n' || c == '\r') s->line++;
    if (s->failed || s->stop) { clear_record(s); return; }
    if (s->nfields == 0) return; /* a blank line */
    for (int i = 0; i < s->nfields; i++) s->fields[i] = s->buf + s->offs[i];
    Where at = {s->b->source, NULL, false, started};
    char where[600];
    if (!s->header_done) {
        /* the header: strip a byte-order mark from the first name */
        s->header = malloc(sizeof(char *) * (size_t)s->nfields);
        if (!s->header) abort();
        for (int i = 0; i < s->nfields; i++) {
            const char *name = s->fields[i];
            if (i == 0 && s->lens[0] >= 3 && !memcmp(name, "\xEF\xBB\xBF", 3)) name += 3;
            s->header[i] = strdup(name);
            if (!s->header[i]) abort();
        }
        s->ncols = s->nfields;
        clear_record(s);
        s->header_done = true;
        if (bind_columns(s->ds->prog, s->b, s->header, s->ncols, s->err, s->errsize)) s->failed = true;
        if (s->header_only) s->stop = true;
        return;
    }
    if (s->nfields != s->ncols) {
        where_text(&at, where, sizeof where);
        char msg[200];
        snprintf(msg, sizeof msg, "%d fields, but the header has %d", s->nfields, s->ncols);
        s->st->rows++;
        if (!s->opt->skip_bad_rows) {
            fail(s->err, s->errsize, "%s: %s", where, msg);
            s->failed = true;
        } else {
            skip_row(s->opt, s->st, where, msg);
        }
        clear_record(s);
        return;
    }
    RawCell *cols = malloc(sizeof(RawCell) * (size_t)s->nfields);
    if (!cols) abort();
    for (int i = 0; i < s->nfields; i++) {
        cols[i].p = s->fields[i];
        cols[i].len = s->lens[i];
        cols[i].present = s->lens[i] > 0;
    }
    if (take_row(s->ds, s->b, cols, s->nfields, &at, (uint32_t)started, s->opt, s->st, s->err, s->errsize)) s->failed = true;
    free(cols);
    clear_record(s);
}

static int no_space(unsigned char c)
{
    (void)c;
    return 0;
}

static int read_csv(Dataset *ds, Binding *b, const char *path, bool header_only, const InputOptions *opt, InputStats *st,
                    char *err, size_t size)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (errno == ENOENT)
            return fail(err, size, "%s: missing table %s (no such file)", path, program_string(ds->prog, b->table->table));
        return fail(err, size, "%s: cannot read: %s", path, strerror(errno));
    }
    struct csv_parser parser;
    if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL) != 0) {
        fclose(f);
        return fail(err, size, "out of memory");
    }
    csv_set_space_func(&parser, no_space);
    CsvState s;
    memset(&s, 0, sizeof s);
    s.ds = ds;
    s.b = b;
    s.opt = opt;
    s.st = st;
    s.err = err;
    s.errsize = size;
    s.line = 1;
    s.header_only = header_only;
    char buf[1 << 16];
    size_t n;
    long consumed_total = 0;
    bool first_chunk = true;
    while (!s.failed && !s.stop && (n = fread(buf, 1, sizeof buf, f)) > 0) {
        char *chunk = buf;
        if (first_chunk && n >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) {
            /* a byte-order mark is not part of the first header name (which may be quoted) */
            chunk += 3;
            n -= 3;
            consumed_total += 3;
        }
        first_chunk = false;
        size_t used = csv_parse(&parser, chunk, n, on_field, on_row, &s);
        if (used != n && !s.failed && !s.stop) {
            /* find the line of the bad byte */
            int code = csv_error(&parser);
            fail(err, size, "%s:%ld: malformed CSV at byte %ld: %s", b->source, s.line, consumed_total + (long)used,
                 code == CSV_EPARSE ? "a quote inside an unquoted field, or text after a closing quote (RFC 4180)"
                                    : csv_strerror(code));
            s.failed = true;
        }
        consumed_total += (long)n;
    }
    if (!s.failed && !s.stop && ferror(f)) {
        fail(err, size, "%s: read error: %s", path, strerror(errno));
        s.failed = true;
    }
    if (!s.failed && !s.stop && csv_fini(&parser, on_field, on_row, &s) != 0) {
        fail(err, size, "%s:%ld: unterminated quoted field at the end of the file", b->source, s.in_record ? s.record_line : s.line);
        s.failed = true;
    }
    csv_free(&parser);
    fclose(f);
    if (!s.failed && !s.header_done) {
        fail(err, size, "%s: empty file: no header row", b->source);
        s.failed = true;
    }
    clear_record(&s);
    if (s.header) {
        for (int i = 0; i < s.ncols; i++) free((char *)s.header[i]);
        free(s.header);
    }
    free(s.fields);
    free(s.offs);
    free(s.lens);
    free(s.buf);
    return s.failed ? -1 : 0;
}

static int load_csv_dir(Dataset *ds, const char *dir, const InputOptions *opt, InputStats *st, char *err, size_t size)
{
    const Program *p = ds->prog;
    uint32_t n = p->ntables + 1;
    Binding *b = calloc(n, sizeof(Binding));
    char **paths = calloc(n, sizeof(char *));
    if (!b || !paths) abort();
    int rc = 0;
    /* bindings: the reference tables, then the log (read last) */
    for (uint32_t i = 0; i < n; i++) {
        bool is_log = i == p->ntables;
        b[i].table = is_log ? &p->log : &p->tables[i];
        b[i].table_index = is_log ? -1 : (int)i;
        const char *name = program_string(p, b[i].table->table);
        size_t len = strlen(dir) + strlen(name) + 8;
        paths[i] = malloc(len);
        if (!paths[i]) abort();
        snprintf(paths[i], len, "%s/%s.csv", dir, name);
        b[i].source = paths[i];
    }
    InputStats header_stats = {0};
    for (uint32_t i = 0; i < n && rc == 0; i++) {
        if (i == p->ntables && p->log.nfields == 0) continue;
        rc = read_csv(ds, &b[i], paths[i], true, opt, &header_stats, err, size);
        free(b[i].col);
        b[i].col = NULL;
    }
    for (uint32_t i = 0; i < n && rc == 0; i++) {
        if (i == p->ntables && p->log.nfields == 0) continue;
        rc = read_csv(ds, &b[i], paths[i], false, opt, st, err, size);
        if (i == p->ntables) ds->event_source = arena_strdup(&ds->arena, paths[i]);
        else ds->tables[i].source = arena_strdup(&ds->arena, paths[i]);
    }
    for (uint32_t i = 0; i < n; i++) {
        free(b[i].col);
        free(paths[i]);
    }
    free(b);
    free(paths);
    return rc;
}

/* ---- SQLite -------------------------------------------------------------------------- */

static int sql_fail(sqlite3 *db, char *err, size_t size, const char *path, const char *what)
{
    return fail(err, size, "%s: %s: %s", path, what, db ? sqlite3_errmsg(db) : "cannot open");
}

/* Column names of a table or view, by preparing SELECT * (no row is read). */
static int sql_columns(sqlite3 *db, const char *path, const char *table, char ***names, int *ncols, char *err, size_t size)
{
    char *sql = sqlite3_mprintf("SELECT * FROM \"%w\"", table);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    sqlite3_free(sql);
    if (rc != SQLITE_OK) {
        const char *msg = sqlite3_errmsg(db);
        if (strstr(msg, "no such table")) return fail(err, size, "%s: missing table %s", path, table);
        return fail(err, size, "%s: table %s: %s", path, table, msg);
    }
    *ncols = sqlite3_column_count(st);
    *names = calloc((size_t)*ncols + 1, sizeof(char *));
    if (!*names) abort();
    for (int i = 0; i < *ncols; i++) {
        const char *n = sqlite3_column_name(st, i);
        (*names)[i] = strdup(n ? n : "");
    }
    sqlite3_finalize(st);
    return 0;
}

static void free_names(char **names, int n)
{
    for (int i = 0; i < n; i++) free(names[i]);
    free(names);
}

static int read_sql_table(Dataset *ds, sqlite3 *db, const char *path, Binding *b, const InputOptions *opt, InputStats *st,
                          char *err, size_t size)
{
    const char *table = program_string(ds->prog, b->table->table);
    char **names;
    int ncols;
    if (sql_columns(db, path, table, &names, &ncols, err, size)) return -1;
    int rc = bind_columns(ds->prog, b, (const char **)names, ncols, err, size);
    if (rc) { free_names(names, ncols); return rc; }
    /* rowid when the table has one: not for views (their rowid is NULL) */
    bool is_view = false;
    sqlite3_stmt *kind = NULL;
    if (sqlite3_prepare_v2(db, "SELECT type FROM sqlite_master WHERE name = ?", -1, &kind, NULL) == SQLITE_OK) {
        sqlite3_bind_text(kind, 1, table, -1, SQLITE_STATIC);
        if (sqlite3_step(kind) == SQLITE_ROW) {
            const unsigned char *t = sqlite3_column_text(kind, 0);
            is_view = t && !strcmp((const char *)t, "view");
        }
    }
    sqlite3_finalize(kind);
    sqlite3_stmt *stmt = NULL;
    bool has_rowid = false;
    char *sql;
    if (!is_view) {
        sql = sqlite3_mprintf("SELECT rowid, * FROM \"%w\" ORDER BY rowid", table);
        has_rowid = sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) == SQLITE_OK;
        sqlite3_free(sql);
    }
    if (!has_rowid) {
        sql = sqlite3_mprintf("SELECT * FROM \"%w\"", table);
        if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK) {
            sqlite3_free(sql);
            free_names(names, ncols);
            return sql_fail(db, err, size, path, table);
        }
        sqlite3_free(sql);
    }
    int off = has_rowid ? 1 : 0;
    RawCell *cols = malloc(sizeof(RawCell) * (size_t)(ncols + 1));
    char **owned = calloc((size_t)ncols + 1, sizeof(char *));
    if (!cols || !owned) abort();
    uint32_t rownum = 0;
    for (;;) {
        int step = sqlite3_step(stmt);
        if (step == SQLITE_DONE) break;
        if (step != SQLITE_ROW) {
            rc = fail(err, size, "%s: reading %s: %s", path, table, sqlite3_errmsg(db));
            break;
        }
        rownum++;
        long long rowid = has_rowid ? sqlite3_column_int64(stmt, 0) : (long long)rownum;
        Where at = {path, table, has_rowid, rowid};
        const char *type_error = NULL;
        int bad_col = -1;
        for (int i = 0; i < ncols; i++) {
            free(owned[i]);
            owned[i] = NULL;
            int t = sqlite3_column_type(stmt, i + off);
            cols[i].present = false;
            cols[i].p = "";
            cols[i].len = 0;
            if (t == SQLITE_NULL) continue;
            if (t == SQLITE_BLOB) { type_error = "a blob"; bad_col = i; continue; }
            if (t == SQLITE_FLOAT) { type_error = "a real number"; bad_col = i; continue; }
            const unsigned char *text = sqlite3_column_text(stmt, i + off);
            int len = sqlite3_column_bytes(stmt, i + off);
            owned[i] = malloc((size_t)len + 1);
            if (!owned[i]) abort();
            if (len) memcpy(owned[i], text, (size_t)len);
            owned[i][len] = '\0';
            cols[i].p = owned[i];
            cols[i].len = (size_t)len;
            cols[i].present = len > 0;
        }
        /* a type error matters only in a column the policy reads */
        bool used = bad_col == b->unit_col;
        for (uint32_t f = 0; f < b->table->nfields && !used; f++) used = b->col[f] == bad_col;
        if (type_error && used) {
            char msg[300];
            snprintf(msg, sizeof msg, "column %s: expected text, found %s", names[bad_col], type_error);
            st->rows++;
            char where[600];
            where_text(&at, where, sizeof where);
            if (!opt->skip_bad_rows) { rc = fail(err, size, "%s: %s", where, msg); break; }
            skip_row(opt, st, where, msg);
            continue;
        }
        if (take_row(ds, b, cols, ncols, &at, (uint32_t)rowid, opt, st, err, size)) { rc = -1; break; }
    }
    for (int i = 0; i < ncols; i++) free(owned[i]);
    free(owned);
    free(cols);
    sqlite3_finalize(stmt);
    free_names(names, ncols);
    free(b->col);
    b->col = NULL;
    return rc;
}

static int load_sqlite(Dataset *ds, const char *path, const InputOptions *opt, InputStats *st, char *err, size_t size)
{
    const Program *p = ds->prog;
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        int rc = sql_fail(db, err, size, path, "cannot open the database");
        sqlite3_close(db);
        return rc;
    }
    sqlite3_busy_timeout(db, 2000);
    /* is it a database at all? */
    if (sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL) != SQLITE_OK) {
        int rc = fail(err, size, "%s: not a usable SQLite database: %s", path, sqlite3_errmsg(db));
        sqlite3_close(db);
        return rc;
    }
    uint32_t n = p->ntables + 1;
    Binding *b = calloc(n, sizeof(Binding));
    if (!b) abort();
    int rc = 0;
    for (uint32_t i = 0; i < n; i++) {
        bool is_log = i == p->ntables;
        b[i].table = is_log ? &p->log : &p->tables[i];
        b[i].table_index = is_log ? -1 : (int)i;
        b[i].source = path;
    }
    /* every table and column first, before any row */
    for (uint32_t i = 0; i < n && rc == 0; i++) {
        if (i == p->ntables && p->log.nfields == 0) continue;
        char **names;
        int ncols;
        rc = sql_columns(db, path, program_string(p, b[i].table->table), &names, &ncols, err, size);
        if (rc) break;
        char src[600];
        snprintf(src, sizeof src, "%s:%s", path, program_string(p, b[i].table->table));
        b[i].source = src;
        rc = bind_columns(p, &b[i], (const char **)names, ncols, err, size);
        b[i].source = path;
        free(b[i].col);
        b[i].col = NULL;
        free_names(names, ncols);
    }
    for (uint32_t i = 0; i < n && rc == 0; i++) {
        if (i == p->ntables && p->log.nfields == 0) continue;
        rc = read_sql_table(ds, db, path, &b[i], opt, st, err, size);
        const char *src = arena_printf(&ds->arena, "%s:%s", path, program_string(p, b[i].table->table));
        if (i == p->ntables) ds->event_source = src;
        else ds->tables[i].source = src;
    }
    for (uint32_t i = 0; i < n; i++) free(b[i].col);
    free(b);
    sqlite3_close(db);
    return rc;
}

int input_load(Dataset *ds, const char *path, const InputOptions *opt, InputStats *stats, char *err, size_t size)
{
    memset(stats, 0, sizeof *stats);
    struct stat sb;
    if (stat(path, &sb) != 0) return fail(err, size, "%s: %s", path, strerror(errno));
    if (S_ISDIR(sb.st_mode)) return load_csv_dir(ds, path, opt, stats, err, size);
    FILE *f = fopen(path, "rb");
    if (!f) return fail(err, size, "%s: %s", path, strerror(errno));
    char magic[16] = {0};
    size_t got = fread(magic, 1, sizeof magic, f);
    fclose(f);
    if (got < 16 || memcmp(magic, "SQLite format 3", 16) != 0)
        return fail(err, size, "%s: neither a directory of CSV files nor a SQLite database", path);
    return load_sqlite(ds, path, opt, stats, err, size);
}
