/* file.c - reading a whole file (see file.h). */
#include "file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *file_error(int err)
{
    if (err == EINVAL) return msg_text(LANG_EN, MSG_OUT_NOT_REGULAR);
    if (err == EFBIG) return msg_text(LANG_EN, MSG_FILE_TOO_LARGE);
    return strerror(err);
}

MsgId file_kind(unsigned mode)
{
    if (S_ISDIR(mode)) return MSG_FILE_DIRECTORY;
    if (S_ISCHR(mode)) return MSG_OUT_CHAR_DEVICE;
    if (S_ISBLK(mode)) return MSG_OUT_BLOCK_DEVICE;
    if (S_ISFIFO(mode)) return MSG_OUT_FIFO;
    if (S_ISSOCK(mode)) return MSG_OUT_SOCKET;
    return MSG_OUT_NOT_REGULAR;
}

char *file_read(const char *path, size_t max, size_t *size)
{
    struct stat st;
    if (stat(path, &st) != 0) return NULL;
    if (!S_ISREG(st.st_mode)) {
        errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
        return NULL;
    }
    if ((unsigned long long)st.st_size > max) {
        errno = EFBIG;
        return NULL;
    }
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    int err = buf ? 0 : ENOMEM;
    while (!err) {
        if (len == cap) {
            char *nb = len > max ? NULL : realloc(buf, cap * 2);
            if (!nb) { err = len > max ? EFBIG : ENOMEM; break; }
            buf = nb;
            cap *= 2;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0) break;
    }
    if (!err && ferror(f)) err = errno ? errno : EIO;
    if (!err && len > max) err = EFBIG; /* it grew while being read */
    if (!err && len == cap) {
        char *nb = realloc(buf, cap + 1);
        if (nb) buf = nb; else err = ENOMEM;
    }
    fclose(f);
    if (err) { free(buf); errno = err; return NULL; }
    buf[len] = '\0';
    *size = len;
    return buf;
}
