/* fuzz_frontend.c - libFuzzer target for the compiler front end: lexes,
 * parses and checks the input as a rule file (compile_check_text), then
 * renders the diagnostics as text (with and without colour) and as JSON so
 * the renderers are fuzzed too. A policy without errors is compiled, and the
 * program must pass the verifier (a trap otherwise: the code generator and
 * its retention entries are fuzzed too). The formatter runs on the input too:
 * it must never change a token (FMT_INTERNAL traps) and must be idempotent.
 * Built by fuzz/build.sh; see docs/reliability.md. */
#define _POSIX_C_SOURCE 200809L
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "codegen.h"
#include "compiler.h"
#include "fmt.h"
#include <string.h>
#include "verify.h"

static FILE *sink(void)
{
    static FILE *null_out;
    if (!null_out) null_out = fopen("/dev/null", "w");
    return null_out;
}

/* fmt over the input, then over its own output: the same text again. */
static void check_fmt(const uint8_t *data, size_t size)
{
    Arena a;
    arena_init(&a);
    DiagEngine d;
    diag_init(&d, &a);
    char *once, *twice;
    size_t n1, n2;
    FmtResult r = fmt_source(&a, &d, source_from_memory(&a, "fuzz-input.zd", (const char *)data, size), &once, &n1);
    if (r == FMT_OK) {
        DiagEngine d2;
        diag_init(&d2, &a);
        r = fmt_source(&a, &d2, source_from_memory(&a, "fuzz-input.zd", once, n1), &twice, &n2);
        if (r != FMT_OK || n1 != n2 || memcmp(once, twice, n1) != 0) {
            fprintf(stderr, "fmt is not idempotent on this input\n");
            __builtin_trap();
        }
    }
    if (r == FMT_INTERNAL) {
        fprintf(stderr, "fmt would change a token of this input\n");
        __builtin_trap();
    }
    arena_free(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_fmt(data, size);
    Compilation *c = compile_new();
    if (!c) return 0;
    compile_check_text(c, "fuzz-input.zd", (const char *)data, size);

    /* Text rendering into memory, so every byte is produced (not just handed
     * to a buffered /dev/null stream), then the colour variant and JSON. */
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    if (mem) {
        diag_print_text(&c->diag, mem, false);
        diag_print_json(&c->diag, mem);
        fclose(mem);
        free(buf);
    }
    FILE *out = sink();
    if (out) {
        diag_print_text(&c->diag, out, true);
        diag_print_json(&c->diag, out);
        fflush(out);
    }
    if (c->policy && c->diag.errors == 0) {
        Program *p = codegen_policy(c->policy, &c->diag);
        char err[256];
        if (p && verify_program(p, err, sizeof err) != 0) {
            fprintf(stderr, "generated code does not verify: %s\n", err);
            __builtin_trap();
        }
        program_free(p);
    }
    compile_free(c);
    return 0;
}
