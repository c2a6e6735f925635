/* outfile.c - named outputs written safely (see outfile.h). The one piece of
 * process-wide state is the list of temporary files a signal must remove: a
 * signal handler can reach nothing else. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"

/* ---- removal on a signal ------------------------------------------------------- */

enum { MAX_PENDING = 8 };
static const char *volatile pending[MAX_PENDING]; /* temporary files that exist now */
static const int caught[] = {SIGINT, SIGTERM, SIGHUP};
static bool handlers_installed;

static void on_signal(int sig)
{
    for (int i = 0; i < MAX_PENDING; i++)
        if (pending[i]) unlink(pending[i]);
    signal(sig, SIG_DFL); /* then die of the signal, as without the handler */
    raise(sig);
}

static void install_handlers(void)
{
    if (handlers_installed) return;
    handlers_installed = true;
    for (size_t i = 0; i < sizeof caught / sizeof caught[0]; i++) {
        struct sigaction old, sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        if (sigaction(caught[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN) continue; /* nohup: keep ignoring */
        sigaction(caught[i], &sa, NULL);
    }
}

/* The time limit: the alarm's message and exit status, set before it is armed. */
static char limit_message[256];
static int limit_status;

static void on_alarm(int sig)
{
    (void)sig;
    for (int i = 0; i < MAX_PENDING; i++)
        if (pending[i]) unlink(pending[i]);
    ssize_t w = write(STDERR_FILENO, limit_message, strlen(limit_message));
    (void)w;
    _exit(limit_status);
}

void outfile_time_limit(unsigned seconds, const char *message, int status)
{
    snprintf(limit_message, sizeof limit_message, "%s", message);
    limit_status = status;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof caught / sizeof caught[0]; i++) sigaddset(&sa.sa_mask, caught[i]);
    sigaction(SIGALRM, &sa, NULL);
    alarm(seconds);
}

/* Adds (on) or removes (!on) a path from the list, with the signals blocked. */
static void track(const char *path, bool on)
{
    sigset_t block, old;
    sigemptyset(&block);
    for (size_t i = 0; i < sizeof caught / sizeof caught[0]; i++) sigaddset(&block, caught[i]);
    sigaddset(&block, SIGALRM);
    sigprocmask(SIG_BLOCK, &block, &old);
    for (int i = 0; i < MAX_PENDING; i++) {
        if (on && !pending[i]) { pending[i] = path; break; }
        if (!on && pending[i] == path) { pending[i] = NULL; break; }
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
}

/* ---- opening -------------------------------------------------------------------- */

static int fail(char *err, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, size, fmt, ap);
    va_end(ap);
    return -1;
}

static char *concat3(const char *a, const char *b, const char *c)
{
    size_t na = strlen(a), nb = strlen(b), nc = strlen(c);
    char *s = malloc(na + nb + nc + 1);
    if (!s) return NULL;
    memcpy(s, a, na);
    memcpy(s + na, b, nb);
    memcpy(s + na + nb, c, nc + 1);
    return s;
}

static void free_outfile(OutFile *o)
{
    if (o->tmp) {
        track(o->tmp, false);
        track(o->journal, false);
    }
    free(o->target);
    free(o->tmp);
    free(o->journal);
    o->target = o->tmp = o->journal = NULL;
    o->f = NULL;
    o->fd = -1;
}

/* The file to replace: symbolic links followed, the folder made absolute
 * (a dangling link is refused: the name it points to was never checked). */
static char *resolve(const char *name, bool exists, Lang lang, char *err, size_t size)
{
    if (exists) {
        char *t = realpath(name, NULL);
        if (!t) fail(err, size, "%s", strerror(errno));
        return t;
    }
    struct stat lst;
    if (lstat(name, &lst) == 0 && S_ISLNK(lst.st_mode)) {
        fail(err, size, "%s", msg_text(lang, MSG_OUT_DANGLING));
        return NULL;
    }
    char *d = strdup(name), *b = strdup(name);
    char *t = NULL;
    if (d && b) {
        char *dir = realpath(dirname(d), NULL);
        if (!dir) fail(err, size, "%s", strerror(errno));
        else {
            const char *base = basename(b);
            t = concat3(dir, strcmp(dir, "/") ? "/" : "", base);
            if (!t) fail(err, size, "%s", msg_text(lang, MSG_OOM));
            free(dir);
        }
    } else {
        fail(err, size, "%s", msg_text(lang, MSG_OOM));
    }
    free(d);
    free(b);
    return t;
}

int outfile_open(OutFile *o, const char *name, bool stream, bool allow_stdout, Lang lang, char *err, size_t size)
{
    memset(o, 0, sizeof *o);
    o->name = name;
    o->fd = -1;
    struct stat st, out;
    if (!*name) return fail(err, size, "%s", msg_text(lang, MSG_OUT_EMPTY_NAME));
    bool exists = stat(name, &st) == 0;
    if (!exists && errno != ENOENT) return fail(err, size, "%s", strerror(errno));
    if (exists && allow_stdout && fstat(STDOUT_FILENO, &out) == 0 && out.st_dev == st.st_dev && out.st_ino == st.st_ino)
        return outfile_stdout(o);
    if (exists && S_ISDIR(st.st_mode)) return fail(err, size, "%s", strerror(EISDIR));
    if (exists && !S_ISREG(st.st_mode))
        return fail(err, size, msg_text(lang, MSG_OUT_NOT_FILE), msg_text(lang, file_kind(st.st_mode)));
    o->target = resolve(name, exists, lang, err, size);
    if (!o->target) return -1;

    /* ".NAME.tmp.XXXXXX" beside the target: mkstemp opens it O_CREAT|O_EXCL, mode 600 */
    char *slash = strrchr(o->target, '/');
    *slash = '\0';
    o->tmp = concat3(o->target, "/.", slash + 1); /* "/dir" "/." "NAME" */
    *slash = '/';
    char *dotted = o->tmp;
    o->tmp = dotted ? concat3(dotted, ".tmp.", "XXXXXX") : NULL;
    free(dotted);
    o->journal = o->tmp ? concat3(o->tmp, "-journal", "") : NULL;
    if (!o->journal) {
        free_outfile(o);
        return fail(err, size, "%s", msg_text(lang, MSG_OOM));
    }
    install_handlers();
    sigset_t block, old;
    sigemptyset(&block);
    for (size_t i = 0; i < sizeof caught / sizeof caught[0]; i++) sigaddset(&block, caught[i]);
    sigprocmask(SIG_BLOCK, &block, &old); /* no signal between creating and listing it */
    o->fd = mkstemp(o->tmp);
    int e = errno;
    if (o->fd >= 0) {
        track(o->tmp, true);
        track(o->journal, true);
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (o->fd < 0) {
        *strrchr(o->tmp, '/') = '\0';
        fail(err, size, msg_text(lang, MSG_OUT_TMP), o->tmp, strerror(e));
        free(o->tmp);
        o->tmp = NULL;
        free_outfile(o);
        return -1;
    }
    mode_t mode;
    if (exists) {
        mode = st.st_mode & 0777; /* the permissions; never a set-user-id bit on a report */
        /* the old owner and group where allowed; else the file is whoever runs zhidu's */
        if (fchown(o->fd, st.st_uid, st.st_gid) != 0 && fchown(o->fd, (uid_t)-1, st.st_gid) != 0) errno = 0;
    } else {
        mode_t mask = umask(0);
        umask(mask);
        mode = 0666 & ~mask;
    }
    if (fchmod(o->fd, mode) != 0) {
        e = errno;
        outfile_discard(o);
        return fail(err, size, msg_text(lang, MSG_OUT_MODE), strerror(e));
    }
    if (stream && !(o->f = fdopen(o->fd, "wb"))) {
        e = errno;
        outfile_discard(o);
        return fail(err, size, "%s", strerror(e));
    }
    return 0;
}

int outfile_stdout(OutFile *o)
{
    memset(o, 0, sizeof *o);
    o->fd = STDOUT_FILENO;
    o->f = stdout;
    return 0;
}

/* ---- finishing ------------------------------------------------------------------ */

void outfile_discard(OutFile *o)
{
    if (o->tmp) {
        if (o->f) fclose(o->f);
        else if (o->fd >= 0) close(o->fd);
        unlink(o->tmp);
        unlink(o->journal);
    }
    free_outfile(o);
}

/* The folder's entry made durable too (a failure here changes nothing written). */
static void sync_folder(const char *target)
{
    char *d = strdup(target);
    if (!d) return;
    char *s = strrchr(d, '/');
    s[s == d] = '\0'; /* "/a/b" -> "/a", "/b" -> "/" */
    int fd = open(d, O_RDONLY);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(d);
}

/* Whether the stream took everything; *e the reason when not. errno still
 * holds the reason of a failed write when the caller cleared it before writing. */
static bool stream_ok(FILE *f, int *e)
{
    int before = errno;
    if (ferror(f)) {
        clearerr(f);
        errno = 0;
        (void)fflush(f); /* the same failure again tells what it was */
        *e = before ? before : errno ? errno : EIO;
        return false;
    }
    if (fflush(f) != 0) {
        *e = errno ? errno : EIO;
        return false;
    }
    return true;
}

int outfile_commit(OutFile *o, char *err, size_t size)
{
    int e = 0;
    if (!o->tmp) { /* the standard output itself */
        bool ok = !o->f || stream_ok(o->f, &e);
        free_outfile(o);
        return ok ? 0 : fail(err, size, "%s", strerror(e));
    }
    const char *step = NULL;
    if (o->f && !stream_ok(o->f, &e)) step = "writing";
    else if (fsync(o->fd) != 0) step = "fsync", e = errno;
    if (step) {
        outfile_discard(o);
        return fail(err, size, "%s: %s", step, strerror(e));
    }
    int c = o->f ? fclose(o->f) : close(o->fd);
    e = errno;
    o->f = NULL;
    o->fd = -1;
    if (c != 0) {
        outfile_discard(o);
        return fail(err, size, "close: %s", strerror(e));
    }
    if (rename(o->tmp, o->target) != 0) {
        e = errno;
        outfile_discard(o);
        return fail(err, size, "rename: %s", strerror(e));
    }
    sync_folder(o->target);
    free_outfile(o);
    return 0;
}

int outfile_write_all(const char *name, const void *data, size_t size, Lang lang, char *err, size_t errsize)
{
    OutFile o;
    if (outfile_open(&o, name, false, true, lang, err, errsize) != 0) return -1;
    const unsigned char *p = data;
    while (size) {
        ssize_t n = write(o.fd, p, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            int e = n < 0 ? errno : EIO;
            outfile_discard(&o);
            return fail(err, errsize, "writing: %s", strerror(e));
        }
        p += n;
        size -= (size_t)n;
    }
    return outfile_commit(&o, err, errsize);
}
