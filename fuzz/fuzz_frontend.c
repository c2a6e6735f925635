/* fuzz_frontend.c - libFuzzer target for the compiler front end: lexes,
 * parses and checks the input as a rule file (compile_check_text), then
 * renders the diagnostics as text (with and without colour) and as JSON so
 * the renderers are fuzzed too. A policy without errors is compiled, and the
 * program must pass the verifier (a trap otherwise: the code generator and
 * its retention entries are fuzzed too). Built by fuzz/build.sh; see
 * docs/reliability.md. */
#define _POSIX_C_SOURCE 200809L
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "codegen.h"
#include "compiler.h"
#include "verify.h"

static FILE *sink(void)
{
    static FILE *null_out;
    if (!null_out) null_out = fopen("/dev/null", "w");
    return null_out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
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
