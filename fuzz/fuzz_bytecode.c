/* fuzz_bytecode.c - libFuzzer target for the bytecode loader and verifier:
 * any input is read, verified and, when accepted, disassembled and run over a
 * small data set, all of which must neither crash nor trip the sanitizers. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytecode.h"
#include "dataset.h"
#include "disasm.h"
#include "engine.h"

/* A few rows for whatever the program binds: every column gets a plausible
 * value of its type, so accepted programs actually execute. */
/* Three rows of every table the program binds: the reference tables, the
 * log, or both interleaved; `ordered` gives the events nondecreasing times
 * (a streaming run steps through them), else they go back in time. */
static void add_rows(Dataset *ds, Stream *s, const Program *p, bool tables, bool events, bool ordered)
{
    static const char *samples[] = {"p1", "2024-09-02T09:00", "2024-09-09", "a;b", "x"};
    char msg[256];
    RawCell cells[65];
    for (int row = 0; row < 3; row++) {
        for (uint32_t t = 0; t <= p->ntables; t++) {
            if (t == p->ntables ? !events : !tables) continue;
            const ZTable *tb = t < p->ntables ? &p->tables[t] : &p->log;
            if (tb->nfields == 0 || tb->nfields > 64) continue;
            const char *when = samples[1 + (ordered ? row > 0 : row & 1)];
            for (uint32_t f = 0; f < tb->nfields; f++) {
                uint8_t base = tb->fields[f].type & (uint8_t)~VT_LIST_FLAG;
                const char *v = base == VT_TIME ? when : (tb->fields[f].type & VT_LIST_FLAG) ? samples[3] : samples[0];
                const char *name = program_string(p, tb->fields[f].name);
                if (!strcmp(name, "id")) v = row == 0 ? "e0" : row == 1 ? "e1" : "e2";
                if (!strcmp(name, "type") && p->nevent_types) v = program_string(p, p->event_types[row % p->nevent_types].value);
                cells[f].p = v;
                cells[f].len = strlen(v);
                cells[f].present = true;
                cells[f].bad = NULL;
            }
            RawCell unit = {"", 0, false, 0, NULL, 0};
            if (t == p->ntables) {
                if (dataset_add_event(ds, cells, unit, (uint32_t)row, msg, sizeof msg) == NULL && s) stream_event_added(s);
            } else {
                dataset_add_record(ds, t, cells, unit, false, msg, sizeof msg);
            }
        }
    }
}

/* A streaming run with a step after every event (docs/runtime.md). */
static void run_streaming(const Program *p, bool ordered)
{
    Dataset *ds = dataset_new(p);
    if (!ds) return;
    RunOptions opt = {0};
    opt.window = 1;
    RunResult r;
    Stream *s = stream_new(p, ds, &opt, &r);
    add_rows(ds, s, p, true, false, ordered);
    add_rows(ds, s, p, false, true, ordered);
    stream_finish(s);
    stream_free(s);
    run_result_free(&r);
    dataset_free(ds);
}

static void put32(unsigned char *at, uint32_t v)
{
    for (int i = 0; i < 4; i++) at[i] = (unsigned char)(v >> (8 * i));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512];
    /* Fix the size and checksum fields so mutations reach the section parsers
     * and the verifier (the checksum itself is tested by the unit tests). */
    unsigned char *copy = malloc(size ? size : 1);
    if (!copy) return 0;
    memcpy(copy, data, size);
    if (size >= BC_HEADER_SIZE) {
        put32(copy + 16, (uint32_t)size);
        put32(copy + 24, 0);
        put32(copy + 24, bc_crc32(copy, size));
    }
    Program *p = bc_load(copy, size, err, sizeof err);
    free(copy);
    if (!p) return 0;
    FILE *null = fopen("/dev/null", "w");
    if (null) {
        disasm_program(p, null);
        fclose(null);
    }
    Dataset *ds = dataset_new(p);
    if (ds) {
        add_rows(ds, NULL, p, true, true, false);
        RunOptions opt = {0};
        RunResult r;
        if (engine_run(p, ds, &opt, &r, err, sizeof err) == 0) run_result_free(&r);
        dataset_free(ds);
    }
    run_streaming(p, true);
    run_streaming(p, false);
    program_free(p);
    return 0;
}
