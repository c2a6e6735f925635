/* lsp.h - `zhidu lsp`: a Language Server Protocol server over stdin/stdout. */
#ifndef ZD_LSP_H
#define ZD_LSP_H

/* Serves until `exit` or the end of input; returns the process exit code
 * (0 after shutdown then exit, 1 otherwise, 2 for bad arguments). */
int lsp_main(int argc, char **argv);

#endif
