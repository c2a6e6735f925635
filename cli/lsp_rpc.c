/* lsp_rpc.c - Content-Length framing (see lsp_rpc.h). Header lines are read
 * with a length cap and unknown headers ignored; a body is read only when its
 * length is sane, so no input makes the server allocate without bound. */
#include "lsp_rpc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* One header line without its CR LF; a longer line is read to its end and cut.
 * Returns -1 at end of input. */
static int read_line(FILE *in, char *buf, size_t cap)
{
    size_t n = 0;
    int c;
    while ((c = getc(in)) != EOF && c != '\n')
        if (n + 1 < cap) buf[n++] = (char)c;
    if (c == EOF && n == 0) return -1;
    if (n > 0 && buf[n - 1] == '\r') n--;
    buf[n] = '\0';
    return c == EOF ? -1 : (int)n;
}

/* Parses the value of Content-Length: decimal digits only; -1 when invalid. */
static long long parse_length(const char *v)
{
    while (*v == ' ' || *v == '\t') v++;
    if (*v < '0' || *v > '9') return -1;
    long long n = 0;
    for (; *v >= '0' && *v <= '9'; v++) {
        if (n > (long long)1 << 50) return (long long)1 << 50; /* huge: cap, it is dropped anyway */
        n = n * 10 + (*v - '0');
    }
    while (*v == ' ' || *v == '\t') v++;
    return *v ? -1 : n;
}

RpcStatus rpc_read(FILE *in, char **body, size_t *len, const char **why)
{
    char line[RPC_MAX_HEADER_LINE];
    long long length = -1;
    bool any = false;
    *body = NULL;
    *len = 0;
    *why = NULL;
    for (;;) {
        int n = read_line(in, line, sizeof line);
        if (n < 0) return RPC_EOF;
        if (n == 0) {
            if (!any) continue; /* stray blank lines between messages */
            break;
        }
        any = true;
        static const char key[] = "Content-Length:";
        if (!strncasecmp(line, key, sizeof key - 1)) length = parse_length(line + sizeof key - 1);
    }
    if (length < 0) {
        *why = "a message without a valid Content-Length header";
        return RPC_SKIPPED;
    }
    if (length > RPC_MAX_BODY) {
        /* the header is authoritative for framing: read past the body */
        for (long long left = length; left > 0; left--)
            if (getc(in) == EOF) return RPC_EOF;
        *why = "a message longer than the limit";
        return RPC_SKIPPED;
    }
    char *buf = malloc((size_t)length + 1);
    if (!buf) {
        *why = "out of memory";
        return RPC_EOF;
    }
    size_t got = fread(buf, 1, (size_t)length, in);
    if (got != (size_t)length) {
        free(buf);
        return RPC_EOF;
    }
    buf[got] = '\0';
    *body = buf;
    *len = got;
    return RPC_OK;
}

int rpc_write(FILE *out, const json_t *msg)
{
    char *text = json_dumps(msg, JSON_COMPACT);
    if (!text) return -1;
    size_t n = strlen(text);
    int rc = fprintf(out, "Content-Length: %zu\r\n\r\n", n) < 0 || fwrite(text, 1, n, out) != n || fflush(out) != 0 ? -1 : 0;
    free(text);
    return rc;
}
