/* csvsource.c - a directory of CSV files as a row source (source.h): table T
 * is DIR/T.csv, its first row the header. libcsv pushes fields and rows from
 * each chunk read; they are queued here and handed out one at a time, and a
 * problem found while parsing (malformed CSV, an unterminated quote, a read
 * error) comes out after the rows before it. Physical line numbers are
 * counted here (libcsv has none): the line a record starts on. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "errfmt.h"
#include "file.h"
#include "source.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct QRow { long line; uint32_t first; int nfields; } QRow;

typedef struct CsvSource {
    Source base;
    char *dir;
    char *real_dir;       /* dir with every link resolved: table files must lie inside it */
    FILE *f;
    struct csv_parser parser;
    bool parser_live;
    /* fields parsed and not yet handed out, their bytes back to back
     * (NUL-terminated), each a cell as the rows hand them out: both are
     * made room for before a chunk is parsed (reserve), so a field is
     * queued without a check and its bytes do not move while the chunk is */
    char *bytes;
    size_t nbytes, bytes_cap;
    RawCell *fields;
    uint32_t nfields, fields_cap;
    uint32_t rec_first;   /* the record being read: its first field */
    QRow *rows;
    uint32_t nrows, rows_cap, next_row;
    long line;            /* physical line of the next byte */
    long record_line;     /* line the current record started on */
    bool in_record;
    bool after_cr;        /* the last row end was a CR: an LF right after it ends no new line */
    bool header_done;
    int nul_in_header;    /* 1 + the first header column holding a NUL byte, or 0 */
    char **header;
    int ncols;
    long consumed;        /* bytes of the file parsed so far */
    bool first_chunk, eof, oom;
    char pending[700];    /* a problem after the queued rows, or "" */
    char problem[200];
} CsvSource;

static bool grow(void **p, uint32_t *cap, uint32_t need, size_t item)
{
    if (need <= *cap) return true;
    uint32_t n = *cap ? *cap : 16;
    while (n < need) n *= 2;
    void *q = realloc(*p, item * n);
    if (!q) return false;
    *p = q;
    *cap = n;
    return true;
}

/* Might d[0..len) hold a CR or an LF? Is any byte below 14, eight or four
 * bytes at a time (the last ones by loads that may overlap). */
static bool below14_64(uint64_t w) { return (w - 0x0E0E0E0E0E0E0E0Eull) & ~w & 0x8080808080808080ull; }
static bool below14_32(uint32_t w) { return (w - 0x0E0E0E0Eu) & ~w & 0x80808080u; }

static bool may_break_line(const char *d, size_t len)
{
    uint64_t w;
    uint32_t a, b;
    if (len >= 8) {
        for (size_t i = 0; i + 8 <= len; i += 8) {
            memcpy(&w, d + i, 8);
            if (below14_64(w)) return true;
        }
        memcpy(&w, d + len - 8, 8);
        return below14_64(w);
    }
    if (len >= 4) {
        memcpy(&a, d, 4);
        memcpy(&b, d + len - 4, 4);
        return below14_32(a) || below14_32(b);
    }
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)d[i] < 14) return true;
    return false;
}

static void on_field(void *data, size_t len, void *ctx)
{
    CsvSource *s = ctx;
    if (!s->in_record) {
        s->in_record = true;
        s->record_line = s->line;
    }
    char *at = s->bytes + s->nbytes;
    if (len) memcpy(at, data, len);
    at[len] = '\0';
    s->fields[s->nfields++] = (RawCell){at, len, len > 0, 0, NULL, 0};
    s->nbytes += len + 1;
    /* the line breaks inside a quoted field: LF, CRLF, and a lone CR (a CR-only file's line end) */
    const char *d = data;
    if (may_break_line(d, len))
        for (size_t i = 0; i < len; i++)
            if (d[i] == '\n' || (d[i] == '\r' && (i + 1 == len || d[i + 1] != '\n'))) s->line++;
}

/* The header: names copied, a byte-order mark stripped from the first. */
static void take_header(CsvSource *s, int n)
{
    s->header = calloc((size_t)n + 1, sizeof(char *));
    if (!s->header) { s->oom = true; return; }
    s->ncols = n;
    for (int i = 0; i < n; i++) {
        const RawCell *q = &s->fields[s->rec_first + (uint32_t)i];
        const char *name = q->p;
        if (i == 0 && q->len >= 3 && !memcmp(name, "\xEF\xBB\xBF", 3)) name += 3;
        s->header[i] = strdup(name);
        if (!s->header[i]) s->oom = true;
        if (!s->nul_in_header && memchr(name, '\0', q->len - (size_t)(name - q->p)))
            s->nul_in_header = i + 1; /* strdup would cut the name there */
    }
    s->header_done = true;
}

static void on_row(int c, void *ctx)
{
    CsvSource *s = ctx;
    int n = (int)(s->nfields - s->rec_first);
    long started = s->in_record ? s->record_line : s->line;
    if (c == '\n' && s->after_cr && n == 0) {
        s->after_cr = false; /* the LF of a CRLF */
        return;
    }
    s->after_cr = c == '\r';
    if (c == '\n' || c == '\r') s->line++;
    s->in_record = false;
    if (n == 0 || s->oom) return; /* a blank line */
    if (!s->header_done) {
        take_header(s, n);
        s->nfields = s->rec_first; /* its bytes stay until the queue is emptied */
        return;
    }
    s->rows[s->nrows++] = (QRow){started, s->rec_first, n};
    s->rec_first = s->nfields;
}

static int no_space(unsigned char c)
{
    (void)c;
    return 0;
}

static void set_pending(CsvSource *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_pending(CsvSource *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->pending, sizeof s->pending, fmt, ap);
    va_end(ap);
}

/* Empties the queue, keeping the fields of a record not yet complete. */
static void queue_reset(CsvSource *s)
{
    size_t from = s->rec_first < s->nfields ? (size_t)(s->fields[s->rec_first].p - s->bytes) : s->nbytes;
    memmove(s->bytes, s->bytes + from, s->nbytes - from);
    s->nbytes -= from;
    uint32_t keep = s->nfields - s->rec_first;
    for (uint32_t i = 0; i < keep; i++) {
        s->fields[i] = s->fields[s->rec_first + i];
        s->fields[i].p -= from;
    }
    s->nfields = keep;
    s->rec_first = 0;
    s->nrows = s->next_row = 0;
}

/* Room for what parsing n more bytes can queue: a field or a row per byte
 * at most (and one of each at the end), and the bytes of the fields, which
 * are these and what libcsv holds of a field begun before (less than its
 * buffer), a NUL after each. The queued fields follow their bytes if they
 * move. false when out of memory. */
static bool reserve(CsvSource *s, size_t n)
{
    size_t need = s->nbytes + csv_get_buffer_size(&s->parser) + 2 * n + 2;
    if (!source_grow_bytes(&s->bytes, &s->bytes_cap, s->nbytes, need, 1 << 17, s->fields, s->nfields)) return false;
    if (n + 1 > UINT32_MAX - s->nfields || n + 1 > UINT32_MAX - s->nrows) return false;
    return grow((void **)&s->fields, &s->fields_cap, s->nfields + (uint32_t)n + 1, sizeof(RawCell)) &&
           grow((void **)&s->rows, &s->rows_cap, s->nrows + (uint32_t)n + 1, sizeof(QRow));
}

static bool blank(unsigned char c) { return c == ' ' || c == '\t'; }
static bool field_edge(unsigned char c) { return c == ',' || c == '\r' || c == '\n' || blank(c); }

/* Could a blank (a space or a tab) of d[0..n) be trimmed if libcsv took
 * blanks for spaces, as by default? It trims them at the start and the end
 * of an unquoted field, and keeps them after a quoted field's closing quote
 * to see what follows; inside a quoted field it never asks. A blank between
 * two other bytes of an unquoted field (the one in "2024-09-02 09:39:16")
 * is a byte like any other either way: after a byte that is not a comma, a
 * line end or a quote, libcsv is inside a field; then a byte that is not a
 * comma, a line end or a blank keeps it there, forgetting the blank (a
 * quote there is the same error either way). A blank at either end of d
 * has a neighbour not known here: it could be. */
static bool may_trim(const char *d, size_t n)
{
    for (int k = 0; k < 2; k++) /* spaces, then tabs: memchr skips the bytes between */
        for (const char *q = d, *end = d + n; (q = memchr(q, k ? '\t' : ' ', (size_t)(end - q))) != NULL; q++)
            if (q == d || q + 1 == end || field_edge((unsigned char)q[-1]) || q[-1] == '"' || field_edge((unsigned char)q[1]))
                return true;
    return false;
}

/* Parses the chunk's bytes. libcsv asks whether a byte is a space (to trim
 * it, which zhidu never does: no_space says none is) through a function, a
 * call a byte; a piece where none could be trimmed is parsed with libcsv's
 * own test (blanks are spaces), which then makes no difference. The bytes
 * parsed: less than n after an error. */
static size_t parse_pieces(CsvSource *s, const char *chunk, size_t n)
{
    enum { PIECE = 1024 };
    size_t done = 0;
    while (done < n) {
        size_t len = n - done < PIECE ? n - done : PIECE;
        csv_set_space_func(&s->parser, may_trim(chunk + done, len) ? no_space : NULL);
        size_t used = csv_parse(&s->parser, chunk + done, len, on_field, on_row, s);
        done += used;
        if (used != len) break;
    }
    csv_set_space_func(&s->parser, no_space);
    return done;
}

/* Parses the next chunk of the file (or its end). */
static void parse_more(CsvSource *s)
{
    char buf[1 << 16];
    const char *path = s->base.name;
    size_t n = fread(buf, 1, sizeof buf, s->f);
    if (n == 0) {
        s->eof = true;
        if (ferror(s->f)) {
            set_pending(s, msg_text(s->base.lang, MSG_CSV_READ_ERROR), path, strerror(errno));
            return;
        }
        if (!reserve(s, 0)) {
            s->oom = true;
            return;
        }
        if (csv_fini(&s->parser, on_field, on_row, s) != 0)
            set_pending(s, msg_text(s->base.lang, MSG_CSV_UNTERMINATED), path,
                     s->in_record ? s->record_line : s->line);
        return;
    }
    char *chunk = buf;
    if (s->first_chunk && n >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3)) {
        /* a byte-order mark is not part of the first header name (which may be quoted) */
        chunk += 3;
        n -= 3;
        s->consumed += 3;
    }
    s->first_chunk = false;
    /* libcsv grows a field's buffer by its block size (128 bytes) at a time,
     * which copies a long field over and over (a 5 MB cell took 100 s under
     * ASan): a block as large as the buffer doubles it instead */
    size_t have = csv_get_buffer_size(&s->parser);
    csv_set_blk_size(&s->parser, have > 4096 ? have : 4096);
    if (!reserve(s, n)) {
        s->oom = true;
        s->eof = true;
        return;
    }
    size_t used = parse_pieces(s, chunk, n);
    if (used != n && !s->oom) {
        int code = csv_error(&s->parser);
        set_pending(s, msg_text(s->base.lang, MSG_CSV_MALFORMED), path, s->line, s->consumed + (long)used,
                 code == CSV_EPARSE ? msg_text(s->base.lang, MSG_CSV_BAD_QUOTE) : csv_strerror(code));
        s->eof = true;
    }
    s->consumed += (long)n;
}

/* Parses until a row is queued: 1, 0 at the end, -1 with err. */
static int fill(CsvSource *s, char *err, size_t size)
{
    while (s->next_row == s->nrows) {
        if (s->oom) return errfmt(err, size, msg_text(s->base.lang, MSG_OOM_READING), s->base.name);
        if (s->pending[0]) return errfmt(err, size, "%s", s->pending);
        if (s->eof || (s->base.cancel && __atomic_load_n(s->base.cancel, __ATOMIC_ACQUIRE))) return 0;
        queue_reset(s);
        parse_more(s);
    }
    return 1;
}

static void close_table(Source *base)
{
    CsvSource *s = (CsvSource *)base;
    if (s->parser_live) csv_free(&s->parser);
    s->parser_live = false;
    if (s->f) fclose(s->f);
    s->f = NULL;
    for (int i = 0; s->header && i < s->ncols; i++) free(s->header[i]);
    free(s->header);
    s->header = NULL;
    s->ncols = 0;
    s->nbytes = s->nfields = s->rec_first = s->nrows = s->next_row = 0;
}

/* Opens PATH as s->f: a regular file inside the data folder. A FIFO or a
 * device is refused before a byte is read (a FIFO would block, /dev/zero
 * never ends; O_NONBLOCK keeps the open itself from blocking), and so is a
 * symbolic link that leads out of the folder. */
static int open_file(CsvSource *s, const char *path, const char *name, char *err, size_t size)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) return errfmt(err, size, msg_text(s->base.lang, MSG_MISSING_TABLE_FILE), path, name);
        return errfmt(err, size, msg_text(s->base.lang, MSG_TABLE_UNREADABLE), path, strerror(errno));
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        int e = errno;
        close(fd);
        if (S_ISREG(st.st_mode)) return errfmt(err, size, msg_text(s->base.lang, MSG_TABLE_UNREADABLE), path, strerror(e));
        return errfmt(err, size, msg_text(s->base.lang, MSG_TABLE_NOT_REGULAR), path, msg_text(s->base.lang, file_kind(st.st_mode)));
    }
    char *real = realpath(path, NULL);
    size_t n = s->real_dir ? strlen(s->real_dir) : 0;
    if (!real || !s->real_dir || strncmp(real, s->real_dir, n) != 0 || (real[n] != '/' && strcmp(s->real_dir, "/"))) {
        int rc = real ? errfmt(err, size, msg_text(s->base.lang, MSG_TABLE_LINK_OUTSIDE), path, real)
                      : errfmt(err, size, msg_text(s->base.lang, MSG_TABLE_UNREADABLE), path, strerror(errno));
        free(real);
        close(fd);
        return rc;
    }
    free(real);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    s->f = fdopen(fd, "rb");
    if (!s->f) {
        close(fd);
        return errfmt(err, size, "%s", msg_text(s->base.lang, MSG_OOM));
    }
    return 0;
}

static int open_table(Source *base, const char *name, const char *const **names, int *ncols, char *err, size_t size)
{
    CsvSource *s = (CsvSource *)base;
    close_table(base);
    snprintf(base->name, sizeof base->name, "%s/%s.csv", s->dir, name);
    const char *path = base->name;
    if (open_file(s, path, name, err, size)) return -1;
    if (csv_init(&s->parser, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL) != 0) return errfmt(err, size, "%s", msg_text(base->lang, MSG_OOM));
    s->parser_live = true;
    csv_set_space_func(&s->parser, no_space);
    s->line = 1;
    s->record_line = 0;
    s->in_record = s->after_cr = s->header_done = s->eof = s->oom = false;
    s->nul_in_header = 0;
    s->first_chunk = true;
    s->consumed = 0;
    s->pending[0] = '\0';
    while (!s->header_done) {
        if (s->oom) return errfmt(err, size, msg_text(base->lang, MSG_OOM_READING), path);
        if (s->pending[0]) return errfmt(err, size, "%s", s->pending);
        if (s->eof) return errfmt(err, size, msg_text(base->lang, MSG_CSV_NO_HEADER), path);
        parse_more(s);
    }
    if (s->oom) return errfmt(err, size, msg_text(base->lang, MSG_OOM_READING), path);
    if (s->nul_in_header)
        return errfmt(err, size, "%s: column %d of the header holds a NUL byte", path, s->nul_in_header);
    *names = (const char *const *)s->header;
    *ncols = s->ncols;
    return 0;
}

static int next_row(Source *base, SourceRow *row, char *err, size_t size)
{
    CsvSource *s = (CsvSource *)base;
    int rc = fill(s, err, size);
    if (rc <= 0) return rc;
    const QRow *q = &s->rows[s->next_row++];
    row->cols = &s->fields[q->first];
    row->ncols = q->nfields;
    row->loc = q->line;
    row->problem = NULL;
    if (q->nfields != s->ncols) {
        snprintf(s->problem, sizeof s->problem, msg_text(base->lang, MSG_CSV_FIELD_COUNT), q->nfields, s->ncols);
        row->problem = s->problem;
    }
    return 1;
}

static void where(Source *base, int64_t loc, char *buf, size_t size) { snprintf(buf, size, "%s:%lld", base->name, (long long)loc); }

static void free_source(Source *base)
{
    CsvSource *s = (CsvSource *)base;
    close_table(base);
    free(s->bytes);
    free(s->fields);
    free(s->rows);
    free(s->dir);
    free(s->real_dir);
    free(s);
}

static const SourceOps csv_ops = {open_table, next_row, where, close_table, free_source};

Source *csv_source_open(const char *dir, Lang lang, char *err, size_t size)
{
    CsvSource *s = calloc(1, sizeof *s);
    if (s) s->dir = strdup(dir);
    if (!s || !s->dir) {
        free(s);
        errfmt(err, size, "%s", msg_text(lang, MSG_OOM));
        return NULL;
    }
    s->real_dir = realpath(dir, NULL); /* NULL: every table is refused with the reason */
    s->base.ops = &csv_ops;
    s->base.lang = lang;
    return &s->base;
}
