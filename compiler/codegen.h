/* codegen.h - lowers a checked Policy (sema.h) to a Program (program.h): one
 * self-contained program with extends, renames and overrides resolved. */
#ifndef ZD_CODEGEN_H
#define ZD_CODEGEN_H
#include "diag.h"
#include "program.h"
#include "sema.h"

/* Returns NULL (with a diagnostic) when a limit of the format is exceeded.
 * The policy must have been checked without errors. Deterministic: the same
 * policy gives the same program. */
Program *codegen_policy(const Policy *policy, DiagEngine *diag);
/* The same program with trace points (program.h, ZTraceKind) for zhidu
 * explain: for running in memory, not for a .zbc. */
Program *codegen_policy_traced(const Policy *policy, DiagEngine *diag);

#endif
