/* lsp_rpc.h - the Language Server Protocol's framing over a byte stream:
 * "Content-Length: N" headers, a blank line, N bytes of JSON. Reads one
 * message at a time and writes one; knows nothing of the methods. */
#ifndef ZD_LSP_RPC_H
#define ZD_LSP_RPC_H
#include <stddef.h>
#include <stdio.h>
#include <jansson.h>

/* A message body larger than this is read past and dropped. */
enum { RPC_MAX_BODY = 64 * 1024 * 1024, RPC_MAX_HEADER_LINE = 4096 };

typedef enum RpcStatus {
    RPC_OK,        /* *body holds the message (malloc'd, NUL-terminated) */
    RPC_EOF,       /* the stream ended (possibly in the middle of a message) */
    RPC_SKIPPED,   /* a header block without a usable Content-Length, or a body
                      over RPC_MAX_BODY: read past and dropped (*why says which) */
} RpcStatus;

RpcStatus rpc_read(FILE *in, char **body, size_t *len, const char **why);
/* Writes msg framed; does not take ownership. Returns 0, or -1 on a write error. */
int rpc_write(FILE *out, const json_t *msg);

#endif
