/* readahead.c - the read-ahead source of readahead.h. A reader thread per
 * table read, started by the first row asked for and joined when the table
 * is closed, so a run that stops early (a bad row, an error, too many events
 * held) leaves no thread behind. The thread fills batches: each row's cells
 * copied back to back into the batch's bytes (no allocation per row), up to
 * BATCH_ROWS rows or about BATCH_BYTES bytes; a ring of BATCHES batches
 * bounds the memory. The backend's end or error is kept in the batch after
 * the rows read before it, so it reaches the caller at the same row as
 * without the thread. The ring's counters are shared under one mutex; a
 * batch is the thread's while it fills it and the caller's from the moment
 * it is published until the caller moves past it. Signals are blocked on the
 * thread: they reach the caller's thread as in a run without it. While the
 * thread is ahead of the caller, it also checks the cells of the columns
 * the caller told it of (readahead_expect; dataset.h, rawcell_check). */
#include "readahead.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "errfmt.h"

enum { BATCHES = 8, BATCH_ROWS = 1024, BATCH_BYTES = 1 << 18, CHECK_AHEAD = 2 };

typedef struct BRow {
    int64_t loc;
    uint32_t first;   /* its first cell */
    int ncols;
    size_t problem;   /* offset of the backend's complaint in bytes, or SIZE_MAX */
} BRow;

typedef struct Batch {
    BRow *rows;       /* BATCH_ROWS of them */
    uint32_t nrows;
    RawCell *cells;   /* pointing into bytes (moved with them when they grow) */
    uint32_t ncells, cells_cap;
    char *bytes;      /* each cell NUL-terminated, as the backends give them */
    size_t nbytes, bytes_cap;
    int end;          /* after the rows: 0 more follow, 1 the table's end, -1 an error (err) */
    char err[4096];
    uint32_t next;    /* the caller's: the next row to hand out */
} Batch;

typedef struct Reader {
    Source base;
    Source *inner;
    pthread_mutex_t mu;
    pthread_cond_t ready, space;
    pthread_t thread;
    bool running;     /* a thread reads the open table: joined by close_table */
    bool direct;      /* no thread could be started: the caller reads inner itself */
    bool stop;        /* set under mu (atomically: fill reads it between rows): the thread stops before its next row */
    uint32_t take;    /* the caller's batch: written by the caller under mu */
    uint32_t nfull;   /* under mu: batches published and not yet passed by the caller */
    bool holding;     /* the caller holds batch[take] */
    uint8_t *kinds;   /* per column of the open table: the check of its cells (rawcell_check), set before the thread starts */
    int nkinds, tz;
    Batch batch[BATCHES];
} Reader;

/* Room for `need` cells: false when out of memory. */
static bool reserve_cells(Batch *b, uint32_t need)
{
    if (need <= b->cells_cap) return true;
    uint32_t cap = b->cells_cap ? b->cells_cap : 1024;
    while (cap < need) cap *= 2;
    RawCell *cells = realloc(b->cells, sizeof(RawCell) * cap);
    if (!cells) return false;
    b->cells = cells;
    b->cells_cap = cap;
    return true;
}

/* Room for `need` more bytes, the cells following them if they move:
 * false when out of memory. */
static bool reserve_bytes(Batch *b, size_t need)
{
    return source_grow_bytes(&b->bytes, &b->bytes_cap, b->nbytes, b->nbytes + need, BATCH_BYTES, b->cells, b->ncells);
}

/* One row copied into the batch, its cells checked as the caller will
 * convert them when `check` (the pure work done here, off the caller's
 * thread): false when out of memory. Cells that lie back to back, each
 * followed by its NUL (a CSV row's), are copied in one piece. */
static bool copy_row(const Reader *rd, Batch *b, const SourceRow *row, bool check)
{
    size_t need = row->problem ? strlen(row->problem) + 1 : 0, span = 0;
    bool whole = row->ncols > 0;
    for (int i = 0; i < row->ncols; i++) {
        need += row->cols[i].len + 1;
        whole = whole && row->cols[i].p == row->cols[0].p + span;
        span += row->cols[i].len + 1;
    }
    if (!reserve_bytes(b, need) || !reserve_cells(b, b->ncells + (uint32_t)row->ncols)) return false;
    if (!b->rows && !(b->rows = malloc(sizeof(BRow) * BATCH_ROWS))) return false;
    BRow *r = &b->rows[b->nrows++];
    *r = (BRow){row->loc, b->ncells, row->ncols, SIZE_MAX};
    if (row->problem) {
        size_t len = strlen(row->problem);
        r->problem = b->nbytes;
        memcpy(b->bytes + b->nbytes, row->problem, len + 1);
        b->nbytes += len + 1;
    }
    if (whole) memcpy(b->bytes + b->nbytes, row->cols[0].p, span);
    for (int i = 0; i < row->ncols; i++) {
        const RawCell *c = &row->cols[i];
        RawCell *cell = &b->cells[b->ncells++];
        *cell = *c;
        if (check && i < rd->nkinds) rawcell_check(cell, rd->kinds[i], rd->tz);
        cell->p = b->bytes + b->nbytes;
        if (!whole && c->len) memcpy(b->bytes + b->nbytes, c->p, c->len);
        b->bytes[b->nbytes + c->len] = '\0';
        b->nbytes += c->len + 1;
    }
    return true;
}

/* On the thread: the next rows of inner into b, up to its end or an error. */
static void fill(Reader *r, Batch *b, bool check)
{
    if (b->bytes_cap > 8 * (size_t)BATCH_BYTES) { /* after a huge row: give it back */
        free(b->bytes);
        b->bytes = NULL;
        b->bytes_cap = 0;
    }
    b->nrows = b->ncells = b->next = 0;
    b->nbytes = 0;
    b->end = 0;
    /* a batch's cells count against its bytes too; a stop asked for is seen
     * before the next row (and, by Source.cancel, inside a long one) */
    while (b->nrows < BATCH_ROWS && b->nbytes + b->ncells * (sizeof(RawCell) + sizeof(size_t)) < BATCH_BYTES &&
           !__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
        SourceRow row;
        int rc = r->inner->ops->next(r->inner, &row, b->err, sizeof b->err);
        if (rc <= 0) {
            b->end = rc == 0 ? 1 : -1;
            break;
        }
        if (!copy_row(r, b, &row, check)) {
            errfmt(b->err, sizeof b->err, msg_text(r->inner->lang, MSG_OOM_READING), r->inner->name);
            b->end = -1;
            break;
        }
    }
}

static void *read_ahead(void *arg)
{
    Reader *r = arg;
    for (;;) {
        pthread_mutex_lock(&r->mu);
        while (r->nfull == BATCHES && !r->stop) pthread_cond_wait(&r->space, &r->mu);
        if (r->stop) {
            pthread_mutex_unlock(&r->mu);
            return NULL;
        }
        Batch *b = &r->batch[(r->take + r->nfull) % BATCHES];
        /* the thread checks cells for the caller only while it is ahead of
         * it: when the caller waits for rows, the thread reads them bare and
         * the caller checks them itself; the two threads balance so */
        bool check = r->nfull >= CHECK_AHEAD;
        pthread_mutex_unlock(&r->mu);
        fill(r, b, check);
        pthread_mutex_lock(&r->mu);
        r->nfull++;
        pthread_cond_signal(&r->ready);
        pthread_mutex_unlock(&r->mu);
        if (b->end) return NULL;
    }
}

/* The thread, with every signal a process is sent blocked (it inherits the
 * mask); the ones a fault raises stay deliverable. */
static bool start(Reader *r)
{
    sigset_t block, old;
    sigfillset(&block);
    static const int faults[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP};
    for (size_t i = 0; i < sizeof faults / sizeof faults[0]; i++) sigdelset(&block, faults[i]);
    pthread_sigmask(SIG_SETMASK, &block, &old);
    r->running = pthread_create(&r->thread, NULL, read_ahead, r) == 0;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return r->running;
}

static void close_table(Source *base)
{
    Reader *r = (Reader *)base;
    if (r->running) {
        pthread_mutex_lock(&r->mu);
        __atomic_store_n(&r->stop, true, __ATOMIC_RELEASE); /* fill reads it without the lock */
        pthread_cond_signal(&r->space);
        pthread_mutex_unlock(&r->mu);
        pthread_join(r->thread, NULL);
        r->running = false;
    }
    r->stop = r->direct = r->holding = false;
    r->take = r->nfull = 0;
    r->nkinds = 0; /* the next table's columns are told anew */
    r->inner->ops->close_table(r->inner);
}

static int open_table(Source *base, const char *name, const char *const **names, int *ncols, char *err, size_t size)
{
    Reader *r = (Reader *)base;
    close_table(base);
    int rc = r->inner->ops->open_table(r->inner, name, names, ncols, err, size);
    memcpy(base->name, r->inner->name, sizeof base->name);
    return rc;
}

static int next_row(Source *base, SourceRow *row, char *err, size_t size)
{
    Reader *r = (Reader *)base;
    if (r->direct || (!r->running && !start(r))) {
        r->direct = true;
        return r->inner->ops->next(r->inner, row, err, size);
    }
    Batch *b = r->holding ? &r->batch[r->take] : NULL;
    while (!b || b->next == b->nrows) {
        pthread_mutex_lock(&r->mu);
        if (b) {
            if (b->end) {
                pthread_mutex_unlock(&r->mu);
                return b->end > 0 ? 0 : errfmt(err, size, "%s", b->err);
            }
            r->take = (r->take + 1) % BATCHES;
            r->nfull--;
            r->holding = false;
            pthread_cond_signal(&r->space);
        }
        while (r->nfull == 0) pthread_cond_wait(&r->ready, &r->mu);
        r->holding = true;
        b = &r->batch[r->take];
        pthread_mutex_unlock(&r->mu);
    }
    const BRow *q = &b->rows[b->next++];
    row->cols = &b->cells[q->first];
    row->ncols = q->ncols;
    row->loc = q->loc;
    row->problem = q->problem == SIZE_MAX ? NULL : b->bytes + q->problem;
    return 1;
}

static void where(Source *base, int64_t loc, char *buf, size_t size)
{
    Reader *r = (Reader *)base;
    r->inner->ops->where(r->inner, loc, buf, size);
}

static void free_source(Source *base)
{
    Reader *r = (Reader *)base;
    close_table(base);
    r->inner->ops->free(r->inner);
    free(r->kinds);
    for (int i = 0; i < BATCHES; i++) {
        free(r->batch[i].rows);
        free(r->batch[i].cells);
        free(r->batch[i].bytes);
    }
    pthread_cond_destroy(&r->ready);
    pthread_cond_destroy(&r->space);
    pthread_mutex_destroy(&r->mu);
    free(r);
}

int readahead_expect(Source *base, const uint8_t *kinds, int ncols, int tz)
{
    Reader *r = (Reader *)base;
    uint8_t *k = realloc(r->kinds, (size_t)ncols + 1);
    if (!k) return -1;
    memcpy(k, kinds, (size_t)ncols);
    r->kinds = k;
    r->nkinds = ncols;
    r->tz = tz;
    return 0;
}

static const SourceOps readahead_ops = {open_table, next_row, where, close_table, free_source};

Source *readahead_new(Source *inner)
{
    Reader *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    if (pthread_mutex_init(&r->mu, NULL) != 0) {
        free(r);
        return NULL;
    }
    pthread_cond_init(&r->ready, NULL);
    pthread_cond_init(&r->space, NULL);
    r->inner = inner;
    inner->cancel = &r->stop; /* a row of hundreds of megabytes need not be read to its end to stop */
    r->base.ops = &readahead_ops;
    r->base.lang = inner->lang;
    memcpy(r->base.name, inner->name, sizeof r->base.name);
    return &r->base;
}
