/* sqlsource.c - a SQLite database as a row source (source.h), opened
 * read-only: table T is the table or view T, its rows in rowid order (a
 * view's in the order it gives). Every value is read as text; a blob or a
 * real number is a problem of its cell (RawCell.bad), reported only if the
 * policy reads the column. */
#include "errfmt.h"
#include "source.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct SqlSource {
    Source base;
    char *path;
    sqlite3 *db;
    char *table;
    char **names;
    int ncols;
    sqlite3_stmt *stmt;   /* the rows, prepared on the first next */
    bool has_rowid;
    uint32_t rownum;
    RawCell *cols;
} SqlSource;

static void close_table(Source *base)
{
    SqlSource *s = (SqlSource *)base;
    sqlite3_finalize(s->stmt);
    s->stmt = NULL;
    for (int i = 0; s->names && i < s->ncols; i++) free(s->names[i]);
    free(s->names);
    free(s->cols);
    free(s->table);
    s->names = NULL;
    s->cols = NULL;
    s->table = NULL;
    s->ncols = 0;
}

typedef enum { KIND_UNKNOWN, KIND_NONE, KIND_TABLE, KIND_VIEW } Kind;

/* What the database holds under name: a table, a view, neither, or unknown
 * (the schema could not be read). Names are matched as SQLite matches them,
 * without regard to ASCII case. */
static Kind object_kind(SqlSource *s, const char *name)
{
    Kind k = KIND_UNKNOWN;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT type FROM sqlite_master WHERE name = ? COLLATE NOCASE AND type IN ('table', 'view')",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_DONE) k = KIND_NONE;
        else if (rc == SQLITE_ROW) {
            const unsigned char *t = sqlite3_column_text(st, 0);
            k = t && !strcmp((const char *)t, "view") ? KIND_VIEW : KIND_TABLE;
        }
    }
    sqlite3_finalize(st);
    return k;
}

/* Column names of a table or view, by preparing SELECT * (no row is read). */
static int open_table(Source *base, const char *name, const char *const **names, int *ncols, char *err, size_t size)
{
    SqlSource *s = (SqlSource *)base;
    close_table(base);
    snprintf(base->name, sizeof base->name, "%s:%s", s->path, name);
    char *sql = sqlite3_mprintf("SELECT * FROM \"%w\"", name);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    sqlite3_free(sql);
    if (rc != SQLITE_OK) {
        /* "no such table" alone does not say which: a view naming a missing
         * table says it too */
        char msg[512]; /* copied: the look-up below replaces SQLite's message */
        snprintf(msg, sizeof msg, "%s", sqlite3_errmsg(s->db));
        Kind k = object_kind(s, name);
        if (k == KIND_NONE) return errfmt(err, size, msg_text(base->lang, MSG_MISSING_TABLE), s->path, name);
        if (k == KIND_VIEW) return errfmt(err, size, msg_text(base->lang, MSG_SQL_VIEW_ERROR), s->path, name, msg);
        return errfmt(err, size, msg_text(base->lang, MSG_SQL_TABLE_ERROR), s->path, name, msg);
    }
    int n = sqlite3_column_count(st);
    s->table = strdup(name);
    s->names = calloc((size_t)n + 1, sizeof(char *));
    s->cols = calloc((size_t)n + 1, sizeof(RawCell));
    bool ok = s->table && s->names && s->cols;
    for (int i = 0; ok && i < n; i++) {
        const char *c = sqlite3_column_name(st, i);
        ok = (s->names[i] = strdup(c ? c : "")) != NULL;
        s->ncols = i + 1;
    }
    sqlite3_finalize(st);
    if (!ok) return errfmt(err, size, msg_text(base->lang, MSG_OOM_READING), base->name);
    s->ncols = n;
    s->rownum = 0;
    *names = (const char *const *)s->names;
    *ncols = n;
    return 0;
}

/* The name that reaches a table's rowid: the first of SQLite's three that no
 * column of the table has taken, or NULL (then rows are numbered). */
static const char *rowid_name(const SqlSource *s)
{
    static const char *const aliases[] = {"rowid", "_rowid_", "oid"};
    for (int a = 0; a < 3; a++) {
        bool taken = false;
        for (int i = 0; i < s->ncols && !taken; i++) taken = sqlite3_stricmp(s->names[i], aliases[a]) == 0;
        if (!taken) return aliases[a];
    }
    return NULL;
}

/* The rows: by rowid when the table has one (not views: their rowid is NULL). */
static int prepare_rows(SqlSource *s, char *err, size_t size)
{
    bool is_view = object_kind(s, s->table) == KIND_VIEW;
    s->has_rowid = false;
    char *sql;
    const char *rowid = rowid_name(s);
    if (!is_view && rowid) {
        sql = sqlite3_mprintf("SELECT %s, * FROM \"%w\" ORDER BY %s", rowid, s->table, rowid);
        s->has_rowid = sqlite3_prepare_v2(s->db, sql, -1, &s->stmt, NULL) == SQLITE_OK;
        sqlite3_free(sql);
    }
    if (!s->has_rowid) {
        sql = sqlite3_mprintf("SELECT * FROM \"%w\"", s->table);
        int rc = sqlite3_prepare_v2(s->db, sql, -1, &s->stmt, NULL);
        sqlite3_free(sql);
        if (rc != SQLITE_OK) return errfmt(err, size, msg_text(s->base.lang, MSG_SQL_TABLE_ERROR), s->path, s->table, sqlite3_errmsg(s->db));
    }
    return 0;
}

static int next_row(Source *base, SourceRow *row, char *err, size_t size)
{
    SqlSource *s = (SqlSource *)base;
    if (!s->stmt && prepare_rows(s, err, size)) return -1;
    int step = sqlite3_step(s->stmt);
    if (step == SQLITE_DONE) return 0;
    if (step != SQLITE_ROW) return errfmt(err, size, msg_text(s->base.lang, MSG_SQL_READING), s->path, s->table, sqlite3_errmsg(s->db));
    s->rownum++;
    int off = s->has_rowid ? 1 : 0;
    for (int i = 0; i < s->ncols; i++) {
        /* the column's value itself: one call into SQLite per cell instead of
         * three (its value_ calls are not thread-safe: this connection is
         * read by this thread alone) */
        sqlite3_value *v = sqlite3_column_value(s->stmt, i + off);
        int t = sqlite3_value_type(v);
        const char *bad = NULL; /* a problem of this cell, reported if the policy reads the column */
        if (t == SQLITE_BLOB) bad = msg_text(base->lang, MSG_SQL_BLOB);
        if (t == SQLITE_FLOAT) bad = msg_text(base->lang, MSG_SQL_REAL);
        if (t == SQLITE_NULL || bad) {
            s->cols[i] = (RawCell){"", 0, false, 0, bad, 0};
            continue;
        }
        /* SQLite's own copy: valid until the next step, as a row's cells must be */
        const unsigned char *text = sqlite3_value_text(v);
        int len = sqlite3_value_bytes(v);
        if (!text && len) return errfmt(err, size, msg_text(base->lang, MSG_OOM_READING), base->name);
        s->cols[i] = (RawCell){text ? (const char *)text : "", (size_t)len, len > 0, 0, NULL, 0};
    }
    row->cols = s->cols;
    row->ncols = s->ncols;
    row->loc = s->has_rowid ? sqlite3_column_int64(s->stmt, 0) : (long long)s->rownum;
    row->problem = NULL;
    return 1;
}

static void where(Source *base, int64_t loc, char *buf, size_t size)
{
    SqlSource *s = (SqlSource *)base;
    snprintf(buf, size, "%s:%s:%s %lld", s->path, s->table, s->has_rowid ? "rowid" : "row", (long long)loc);
}

static void free_source(Source *base)
{
    SqlSource *s = (SqlSource *)base;
    close_table(base);
    sqlite3_close(s->db);
    free(s->path);
    free(s);
}

/* Is there a file at PATH followed by SUFFIX? */
static bool beside(const char *path, const char *suffix)
{
    char *name = sqlite3_mprintf("%s%s", path, suffix);
    struct stat st;
    bool found = name && lstat(name, &st) == 0;
    sqlite3_free(name);
    return found;
}

/* "file:" and the path with every byte but unreserved ones and '/' as %XX. */
static char *file_uri(const char *path, const char *query)
{
    size_t n = strlen(path);
    char *uri = malloc(5 + 3 * n + strlen(query) + 1);
    if (!uri) return NULL;
    char *o = uri + sprintf(uri, "file:");
    for (const unsigned char *c = (const unsigned char *)path; *c; c++) {
        if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || strchr("/-._~", *c))
            *o++ = (char)*c;
        else
            o += sprintf(o, "%%%02X", *c);
    }
    strcpy(o, query);
    return uri;
}

/* Opens the database for reading without creating anything beside it, and
 * checks it with PRAGMA quick_check when asked to. With
 * no -wal and no -journal file beside it, the main file holds every committed
 * row, so it is opened immutable: SQLite then takes no lock and creates no
 * -wal or -shm file, in a read-only folder too. Otherwise it is opened
 * read-only as usual: a -wal file holds committed rows SQLite must read
 * through a -shm file; a -journal file may be a hot journal to roll back. */
static int open_db(SqlSource *s, const char *path, bool check, char *err, size_t size)
{
    bool immutable = !beside(path, "-wal") && !beside(path, "-journal");
    char *uri = file_uri(path, immutable ? "?mode=ro&immutable=1" : "?mode=ro");
    if (!uri) return errfmt(err, size, "%s", msg_text(s->base.lang, MSG_OOM));
    int rc = sqlite3_open_v2(uri, &s->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL);
    free(uri);
    if (rc != SQLITE_OK)
        return errfmt(err, size, msg_text(s->base.lang, MSG_SQL_CANNOT_OPEN), path, s->db ? sqlite3_errmsg(s->db) : "cannot open");
    sqlite3_busy_timeout(s->db, 2000);
    /* quick_check reads every page; without it a read of the schema still
     * meets a hot journal or an unusable -wal file here, not at the first row */
    sqlite3_stmt *st = NULL;
    rc = sqlite3_prepare_v2(s->db, check ? "PRAGMA quick_check" : "SELECT 'ok', count(*) FROM sqlite_master", -1, &st, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *r = (const char *)sqlite3_column_text(st, 0);
        if (r && strcmp(r, "ok")) {
            errfmt(err, size, msg_text(s->base.lang, MSG_SQL_DAMAGED), path, r);
            for (char *c = err; *c; c++) if (*c == '\n') *c = ' '; /* its report is several lines */
            sqlite3_finalize(st);
            return -1;
        }
        sqlite3_finalize(st);
        return 0;
    }
    int ext = sqlite3_extended_errcode(s->db);
    const char *msg = sqlite3_errmsg(s->db);
    sqlite3_finalize(st);
    if (ext == SQLITE_READONLY_ROLLBACK)
        return errfmt(err, size, msg_text(s->base.lang, MSG_SQL_HOT_JOURNAL), path, path);
    if (ext == SQLITE_READONLY_RECOVERY || ext == SQLITE_READONLY_CANTINIT || ext == SQLITE_READONLY_CANTLOCK ||
        ext == SQLITE_CANTOPEN)
        return errfmt(err, size, msg_text(s->base.lang, MSG_SQL_WAL), path, path, msg);
    return errfmt(err, size, msg_text(s->base.lang, MSG_SQL_UNUSABLE), path, msg);
}

static const SourceOps sql_ops = {open_table, next_row, where, close_table, free_source};

Source *sql_source_open(const char *path, Lang lang, bool check, char *err, size_t size)
{
    SqlSource *s = calloc(1, sizeof *s);
    if (s) s->path = strdup(path);
    if (!s || !s->path) {
        free(s);
        errfmt(err, size, "%s", msg_text(lang, MSG_OOM));
        return NULL;
    }
    s->base.ops = &sql_ops;
    s->base.lang = lang;
    if (open_db(s, path, check, err, size)) {
        free_source(&s->base);
        return NULL;
    }
    return &s->base;
}
