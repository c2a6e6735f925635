/* lsp.h - `zhidu lsp`: a Language Server Protocol server over stdin/stdout. */
#ifndef ZD_LSP_H
#define ZD_LSP_H

#include "msg.h"

/* Serves until `exit` or the end of input; returns the process exit code
 * (0 after shutdown then exit, 1 otherwise). Diagnostics speak lang, or the
 * language of initialize's params.locale when the editor sends one. */
int lsp_main(Lang lang);

#endif
