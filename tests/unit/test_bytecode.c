/* test_bytecode.c - the .zbc writer and reader (runtime/bytecode.c), the
 * verifier (runtime/verify.c) and the disassembler (runtime/disasm.c):
 *  - every bundled rule file survives compile -> write -> load -> write with
 *    identical bytes, and compiling twice gives the same bytes;
 *  - corrupt files (every truncation, single bit flips, and field mutations
 *    with the checksum recomputed so they reach the section parsers and the
 *    verifier) are rejected with a message, or, when accepted, verify again,
 *    disassemble and re-serialise to the same bytes; nothing crashes;
 *  - hand-built programs with one defect each are refused by the verifier
 *    (and by bc_load after writing) with the right message.
 * Runs from the repository root (the suite's working directory).
 * ZD_TEST_TRACE=1 prints each mutation variant before loading it (to find the
 * one that crashes). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bytecode.h"
#include "codegen.h"
#include "compiler.h"
#include "disasm.h"
#include "verify.h"

/* ---- helpers ------------------------------------------------------------------- */

/* Compiles a rule file to a Program (no errors allowed). */
static Program *compile_program(const char *path)
{
    Compilation *c = compile_new();
    assert_non_null(c);
    if (!compile_check_file(c, path)) fail_msg("cannot read %s", path);
    if (c->diag.errors) fail_msg("%s: %d errors", path, c->diag.errors);
    Program *p = codegen_policy(c->policy, &c->diag);
    if (!p) fail_msg("%s: codegen failed", path);
    compile_free(c);
    return p;
}

static unsigned char *compile_bytes(const char *path, size_t *size)
{
    Program *p = compile_program(path);
    unsigned char *bytes = bc_write(p, size);
    assert_non_null(bytes);
    program_free(p);
    return bytes;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The rule files under rules/ and rules/units/, sorted; returns how many. */
static int rule_files(char ***out)
{
    static const char *dirs[] = {"rules", "rules/units"};
    char **names = NULL;
    int n = 0;
    for (size_t d = 0; d < sizeof dirs / sizeof *dirs; d++) {
        DIR *dir = opendir(dirs[d]);
        if (!dir) fail_msg("cannot open %s (tests run from the repository root)", dirs[d]);
        struct dirent *e;
        while ((e = readdir(dir))) {
            size_t len = strlen(e->d_name);
            if (len < 4 || strcmp(e->d_name + len - 3, ".zd")) continue;
            names = realloc(names, sizeof *names * (size_t)(n + 1));
            assert_non_null(names);
            names[n] = malloc(strlen(dirs[d]) + len + 2);
            assert_non_null(names[n]);
            sprintf(names[n], "%s/%s", dirs[d], e->d_name);
            n++;
        }
        closedir(dir);
    }
    qsort(names, (size_t)n, sizeof *names, cmp_str);
    *out = names;
    return n;
}

static void free_names(char **names, int n)
{
    for (int i = 0; i < n; i++) free(names[i]);
    free(names);
}

static uint64_t get_le(const unsigned char *at, int width)
{
    uint64_t v = 0;
    for (int i = 0; i < width; i++) v |= (uint64_t)at[i] << (8 * i);
    return v;
}

static void put_le(unsigned char *at, int width, uint64_t v)
{
    for (int i = 0; i < width; i++) at[i] = (unsigned char)(v >> (8 * i));
}

/* Stores the CRC-32 of the file (with the checksum field zeroed) in the header. */
static uint32_t crc32_table(const unsigned char *d, size_t size)
{
    /* table-driven (the reader's bitwise bc_crc32 is slow under ASan, and the
     * mutation test recomputes thousands of checksums); test_header_layout
     * checks that both agree */
    static uint32_t table[256];
    if (!table[1])
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
            table[i] = c;
        }
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < size; i++) crc = (crc >> 8) ^ table[(crc ^ d[i]) & 0xFF];
    return ~crc;
}

static void fix_crc(unsigned char *d, size_t size)
{
    memset(d + 24, 0, 4);
    put_le(d + 24, 4, crc32_table(d, size));
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool has_known_prefix(const char *msg)
{
    return !strncmp(msg, "header: ", 8) || !strncmp(msg, "section ", 8) || !strncmp(msg, "insn ", 5);
}

/* ---- round trips ---------------------------------------------------------------- */

static void test_round_trip_rule_files(void **state)
{
    (void)state;
    char **names;
    int n = rule_files(&names);
    assert_true(n >= 2); /* rules/gxnu.zd and rules/units/wenxueyuan.zd at least */
    FILE *null = fopen("/dev/null", "w");
    assert_non_null(null);
    for (int i = 0; i < n; i++) {
        Program *p = compile_program(names[i]);
        char err[512] = "";
        if (verify_program(p, err, sizeof err) != 0) fail_msg("%s: codegen output does not verify: %s", names[i], err);
        size_t size1, size2;
        unsigned char *b1 = bc_write(p, &size1);
        assert_non_null(b1);
        Program *q = bc_load(b1, size1, err, sizeof err);
        if (!q) fail_msg("%s: bc_load refused bc_write's output: %s", names[i], err);
        assert_int_equal(q->ninsns, p->ninsns);
        assert_int_equal(q->nrules, p->nrules);
        assert_int_equal(q->nstrings, p->nstrings);
        unsigned char *b2 = bc_write(q, &size2);
        assert_non_null(b2);
        assert_int_equal(size1, size2);
        if (memcmp(b1, b2, size1)) fail_msg("%s: write -> load -> write changed the bytes", names[i]);
        disasm_program(q, null);
        program_free(q);
        program_free(p);
        free(b1);
        free(b2);
    }
    fclose(null);
    free_names(names, n);
}

static void test_compile_is_deterministic(void **state)
{
    (void)state;
    char **names;
    int n = rule_files(&names);
    for (int i = 0; i < n; i++) {
        size_t s1, s2;
        unsigned char *b1 = compile_bytes(names[i], &s1);
        unsigned char *b2 = compile_bytes(names[i], &s2);
        assert_int_equal(s1, s2);
        if (memcmp(b1, b2, s1)) fail_msg("%s: two compilations differ", names[i]);
        free(b1);
        free(b2);
    }
    free_names(names, n);
}

static void test_header_layout(void **state)
{
    (void)state;
    size_t size;
    unsigned char *b = compile_bytes("rules/gxnu.zd", &size);
    assert_memory_equal(b, bc_magic, 8);
    assert_int_equal(get_le(b + 8, 4), BC_VERSION);
    assert_int_equal(get_le(b + 12, 4), BC_HEADER_SIZE);
    assert_int_equal(get_le(b + 16, 4), size);
    assert_int_equal(get_le(b + 20, 4), SEC_COUNT_PLUS_ONE - 1);
    assert_int_equal(get_le(b + 28, 4), 0);
    uint32_t stored = (uint32_t)get_le(b + 24, 4);
    memset(b + 24, 0, 4);
    assert_int_equal(bc_crc32(b, size), stored);
    fix_crc(b, size);
    assert_int_equal(get_le(b + 24, 4), stored);
    assert_int_equal(bc_crc32((const unsigned char *)"123456789", 9), 0xCBF43926u); /* the CRC-32 check value */
    /* sections in order, back to back, ending at the end of the file */
    size_t at = BC_HEADER_SIZE + (size_t)(SEC_COUNT_PLUS_ONE - 1) * BC_SECTION_ENTRY_SIZE;
    for (int id = 1; id < SEC_COUNT_PLUS_ONE; id++) {
        const unsigned char *e = b + BC_HEADER_SIZE + (size_t)(id - 1) * BC_SECTION_ENTRY_SIZE;
        assert_int_equal(get_le(e, 4), id);
        assert_int_equal(get_le(e + 4, 4), at);
        at += get_le(e + 8, 4);
    }
    assert_int_equal(at, size);
    free(b);
}

/* ---- corrupt files ------------------------------------------------------------- */

static unsigned char *g_bytes; /* rules/gxnu.zd compiled */
static size_t g_size;
static uint32_t g_nfuncs;

static int corrupt_setup(void **state)
{
    (void)state;
    Compilation *c = compile_new();
    if (!c || !compile_check_file(c, "rules/gxnu.zd") || c->diag.errors) return -1;
    Program *p = codegen_policy(c->policy, &c->diag);
    compile_free(c);
    if (!p) return -1;
    g_bytes = bc_write(p, &g_size);
    g_nfuncs = p->nfuncs;
    program_free(p);
    return g_bytes ? 0 : -1;
}

static int corrupt_teardown(void **state)
{
    (void)state;
    free(g_bytes);
    g_bytes = NULL;
    return 0;
}

typedef struct Stats {
    size_t variants, rejected, accepted, skipped;
    FILE *null;
} Stats;


/* Mutations that expose a known bug, left out until it is fixed; none now
 * (the filter-index write and the extreme-time overflow are fixed). */
static bool known_bug(const char *field, int width, uint64_t value)
{
    (void)field;
    (void)width;
    (void)value;
    return false;
}

/* Loads one variant held in a buffer of exactly `size` bytes (so ASan sees any
 * over-read): it must be refused with a message, or accepted and then verify
 * again, disassemble, and write back to the same bytes. The whole program is
 * disassembled when `insn` is negative or `full` is set; otherwise only
 * instruction `insn`, the one mutated (disasm_program prints each instruction
 * with disasm_insn, independently of the others, and costs ~20 ms under ASan,
 * too much for the thousand accepted instruction mutations). Returns whether
 * the variant was accepted. */
static bool try_variant(Stats *st, const unsigned char *buf, size_t size, const char *label, long insn, bool full)
{
    char err[512];
    memset(err, 0, sizeof err);
    st->variants++;
    if (getenv("ZD_TEST_TRACE")) fprintf(stderr, "variant: %s\n", label); /* to find the one that crashes */
    Program *p = bc_load(buf, size, err, sizeof err);
    if (!p) {
        if (!err[0]) fail_msg("%s: rejected without a message", label);
        if (!has_known_prefix(err)) fail_msg("%s: message without header:/section/insn prefix: %s", label, err);
        st->rejected++;
        return false;
    }
    st->accepted++;
    char err2[512] = "";
    if (verify_program(p, err2, sizeof err2) != 0) fail_msg("%s: accepted, then fails verification: %s", label, err2);
    if (insn < 0 || full) {
        disasm_program(p, st->null);
    } else {
        uint32_t start = 0;
        for (uint32_t f = 0; f < p->nfuncs; f++)
            if (p->funcs[f].start <= (uint32_t)insn) start = p->funcs[f].start;
        disasm_insn(p, (uint32_t)insn, start, st->null);
    }
    size_t n2;
    unsigned char *again = bc_write(p, &n2);
    assert_non_null(again);
    if (n2 != size || memcmp(again, buf, size)) fail_msg("%s: accepted, but writing it back changes the bytes", label);
    free(again);
    program_free(p);
    return true;
}

static void test_truncated_everywhere(void **state)
{
    (void)state;
    double t0 = now();
    Stats st = {0};
    char label[64];
    for (size_t n = 0; n < g_size; n++) {
        unsigned char *buf = malloc(n ? n : 1);
        assert_non_null(buf);
        memcpy(buf, g_bytes, n);
        char err[512];
        memset(err, 0, sizeof err);
        Program *p = bc_load(buf, n, err, sizeof err);
        snprintf(label, sizeof label, "truncated to %zu bytes", n);
        if (p) fail_msg("%s: accepted", label);
        if (!err[0] || !has_known_prefix(err)) fail_msg("%s: bad message '%s'", label, err);
        st.rejected++;
        free(buf);
    }
    print_message("# truncations: %zu variants, all rejected (%.1fs)\n", st.rejected, now() - t0);
}

/* Single bit flips (the CRC-32 catches them all): every byte of the header and
 * section table and every 7th byte after it, the flipped bit cycling with the
 * offset, and every bit of the header and section table. (Every byte of the
 * file takes ~40 s under ASan: the reader's bitwise CRC.) */
static void test_single_bit_flips(void **state)
{
    (void)state;
    double t0 = now();
    unsigned char *buf = malloc(g_size);
    assert_non_null(buf);
    memcpy(buf, g_bytes, g_size);
    size_t n = 0;
    size_t table_end = BC_HEADER_SIZE + (size_t)(SEC_COUNT_PLUS_ONE - 1) * BC_SECTION_ENTRY_SIZE;
    for (size_t i = 0; i < g_size; i += i < table_end ? 1 : 7) {
        unsigned char bit = (unsigned char)(1u << (i % 8));
        buf[i] ^= bit;
        char err[512];
        memset(err, 0, sizeof err);
        Program *p = bc_load(buf, g_size, err, sizeof err);
        if (p) fail_msg("bit %zu of byte %zu flipped: accepted", i % 8, i);
        if (!err[0] || !has_known_prefix(err)) fail_msg("bit %zu of byte %zu flipped: bad message '%s'", i % 8, i, err);
        buf[i] ^= bit;
        n++;
    }
    for (size_t i = 0; i < table_end * 8; i++) {
        buf[i / 8] ^= (unsigned char)(1u << (i % 8));
        char err[512] = "";
        Program *p = bc_load(buf, g_size, err, sizeof err);
        if (p) fail_msg("bit %zu of byte %zu flipped: accepted", i % 8, i / 8);
        if (!has_known_prefix(err)) fail_msg("bit %zu of byte %zu flipped: bad message '%s'", i % 8, i / 8, err);
        buf[i / 8] ^= (unsigned char)(1u << (i % 8));
        n++;
    }
    /* the last byte too (the stride may skip it) */
    buf[g_size - 1] ^= 0x80;
    char err[512] = "";
    assert_null(bc_load(buf, g_size, err, sizeof err));
    assert_non_null(strstr(err, "checksum mismatch"));
    n++;
    free(buf);
    print_message("# bit flips: %zu variants, all rejected (%.1fs)\n", n, now() - t0);
}

/* One field of the file: where it is, how wide, and a name for messages. */
typedef struct FieldRef {
    size_t off;
    int width;
    bool is_op, no_crc_fix;
    long insn; /* the instruction it belongs to, or -1 */
    char name[96];
} FieldRef;

typedef struct Walk {
    const unsigned char *d;
    size_t pos;
    FieldRef *items;
    size_t len, cap;
    bool keep;   /* record the fields read from now on */
    long insn;   /* the instruction being read, or -1 */
    char what[64];
} Walk;

static uint64_t wfield(Walk *w, int width, const char *name)
{
    uint64_t v = get_le(w->d + w->pos, width);
    if (w->keep) {
        if (w->len == w->cap) {
            w->cap = w->cap ? w->cap * 2 : 256;
            w->items = realloc(w->items, sizeof *w->items * w->cap);
            assert_non_null(w->items);
        }
        FieldRef *f = &w->items[w->len++];
        memset(f, 0, sizeof *f);
        f->off = w->pos;
        f->width = width;
        f->insn = w->insn;
        snprintf(f->name, sizeof f->name, "%s.%s", w->what, name);
    }
    w->pos += (size_t)width;
    return v;
}

static void walk_table(Walk *w, const char *what, bool keep_header)
{
    char base[32];
    snprintf(base, sizeof base, "%s", what);
    w->keep = keep_header;
    snprintf(w->what, sizeof w->what, "%s", base);
    wfield(w, 1, "kind");
    wfield(w, 4, "name");
    wfield(w, 4, "table");
    wfield(w, 4, "key");
    uint32_t n = (uint32_t)wfield(w, 4, "nfields");
    for (uint32_t i = 0; i < n; i++) {
        w->keep = keep_header && (i == 0 || i == n - 1);
        snprintf(w->what, sizeof w->what, "%s.field[%u]", base, i);
        wfield(w, 4, "name");
        wfield(w, 4, "column");
        wfield(w, 1, "type");
        wfield(w, 1, "optional");
    }
}

/* Lists the fields to mutate: the whole header and section table, and a
 * sample of records in every section: the length of strings 0-2, every 16th
 * and the last; the first and last constant, event type, parameter and line
 * entry; every field of the meta section, of the log's and every table's
 * header with their first and last field; every field of the first 3 rules
 * and functions; op, a, b and c of every instruction of the first two
 * functions. */
static size_t sample_fields(const unsigned char *d, FieldRef **out)
{
    Walk w = {.d = d, .keep = true, .insn = -1};
    snprintf(w.what, sizeof w.what, "header");
    wfield(&w, 8, "magic");
    wfield(&w, 4, "version");
    wfield(&w, 4, "header_size");
    wfield(&w, 4, "file_size");
    wfield(&w, 4, "nsections");
    wfield(&w, 4, "checksum");
    w.items[w.len - 1].no_crc_fix = true;
    wfield(&w, 4, "flags");
    enum { NSEC = SEC_COUNT_PLUS_ONE - 1 };
    uint32_t off[NSEC + 1], count[NSEC + 1];
    for (int id = 1; id <= NSEC; id++) {
        snprintf(w.what, sizeof w.what, "table[%s]", bc_section_name((uint32_t)id));
        wfield(&w, 4, "id");
        off[id] = (uint32_t)wfield(&w, 4, "offset");
        wfield(&w, 4, "size");
        count[id] = (uint32_t)wfield(&w, 4, "count");
    }
    uint32_t code_lo = 0, code_hi = 0; /* instructions of the first two functions */
    for (int id = 1; id <= NSEC; id++) {
        w.pos = off[id];
        uint32_t n = count[id];
        for (uint32_t i = 0; i < n; i++) {
            bool edge = i == 0 || i == n - 1;
            snprintf(w.what, sizeof w.what, "%s[%u]", bc_section_name((uint32_t)id), i);
            switch (id) {
            case SEC_STRS: {
                w.keep = i < 3 || i == n - 1 || i % 16 == 0;
                uint32_t len = (uint32_t)wfield(&w, 4, "len");
                w.pos += len;
                break;
            }
            case SEC_CONSTS:
                w.keep = edge;
                wfield(&w, 1, "kind");
                wfield(&w, 8, "value");
                break;
            case SEC_META: {
                w.keep = true;
                wfield(&w, 4, "name");
                wfield(&w, 4, "title");
                wfield(&w, 4, "document");
                wfield(&w, 8, "effective");
                wfield(&w, 4, "tz_offset");
                wfield(&w, 4, "units_column");
                uint32_t nf = (uint32_t)wfield(&w, 4, "nfiles");
                for (uint32_t k = 0; k < nf; k++) wfield(&w, 4, "file");
                break;
            }
            case SEC_LOG: walk_table(&w, "log", true); break;
            case SEC_EVTYPES:
                w.keep = edge;
                wfield(&w, 4, "name");
                wfield(&w, 4, "value");
                wfield(&w, 8, "fields");
                break;
            case SEC_TABLES: {
                char what[32];
                snprintf(what, sizeof what, "tables[%u]", i);
                walk_table(&w, what, true);
                break;
            }
            case SEC_PARAMS:
                w.keep = edge;
                wfield(&w, 4, "name");
                wfield(&w, 1, "type");
                wfield(&w, 4, "value");
                break;
            case SEC_RULES: {
                w.keep = i < 3;
                wfield(&w, 4, "name");
                uint32_t nt = (uint32_t)wfield(&w, 4, "ntags");
                for (uint32_t k = 0; k < nt; k++) wfield(&w, 4, "tag");
                uint32_t nc = (uint32_t)wfield(&w, 4, "nclauses");
                for (uint32_t k = 0; k < nc; k++) { wfield(&w, 4, "clause.id"); wfield(&w, 4, "clause.text"); }
                wfield(&w, 1, "severity");
                wfield(&w, 1, "disabled");
                wfield(&w, 4, "disabled_reason");
                wfield(&w, 4, "message");
                wfield(&w, 2, "file");
                wfield(&w, 4, "line");
                wfield(&w, 4, "col");
                wfield(&w, 1, "periodic");
                wfield(&w, 8, "trigger_mask");
                wfield(&w, 4, "trigger_filter");
                wfield(&w, 1, "period");
                wfield(&w, 4, "weeks");
                wfield(&w, 1, "anchor");
                wfield(&w, 4, "anchor_const");
                wfield(&w, 4, "period_table");
                wfield(&w, 4, "period_filter");
                wfield(&w, 4, "unless_table");
                wfield(&w, 4, "unless_filter");
                wfield(&w, 4, "body");
                break;
            }
            case SEC_FUNCS: {
                w.keep = i < 3;
                uint32_t start = (uint32_t)wfield(&w, 4, "start");
                uint32_t cnt = (uint32_t)wfield(&w, 4, "count");
                wfield(&w, 2, "nslots");
                wfield(&w, 2, "max_stack");
                wfield(&w, 1, "kind");
                wfield(&w, 4, "rule");
                if (i == 0) code_lo = start;
                if (i <= 1) code_hi = start + cnt;
                break;
            }
            case SEC_CODE:
                w.keep = i >= code_lo && i < code_hi;
                w.insn = i;
                wfield(&w, 1, "op");
                if (w.keep) w.items[w.len - 1].is_op = true;
                wfield(&w, 1, "a");
                wfield(&w, 2, "b");
                wfield(&w, 4, "c");
                w.insn = -1;
                break;
            case SEC_LINES:
                w.keep = edge;
                wfield(&w, 2, "file");
                wfield(&w, 4, "line");
                wfield(&w, 4, "col");
                break;
            case SEC_RETAIN:
                w.keep = edge;
                wfield(&w, 4, "rule");
                wfield(&w, 8, "mask");
                wfield(&w, 1, "kind");
                wfield(&w, 8, "offset");
                wfield(&w, 1, "pick");
                wfield(&w, 8, "fields");
                wfield(&w, 4, "filter");
                break;
            }
        }
        /* the walk must end exactly where the next section starts */
        if (id < NSEC) assert_int_equal(w.pos, off[id + 1]);
    }
    assert_int_equal(w.pos, g_size);
    *out = w.items;
    return w.len;
}

/* The values a field of `width` bytes is set to: 0, 1, max, max/2, +1, -1,
 * and for an opcode byte every opcode value and the two after the last.
 * Values equal to the original are left out. */
static int mutation_values(int width, uint64_t orig, bool is_op, uint64_t *vals)
{
    uint64_t max = width == 8 ? ~(uint64_t)0 : (((uint64_t)1 << (8 * width)) - 1);
    uint64_t cand[8 + OPCODE_COUNT + 2];
    int n = 0;
    cand[n++] = 0;
    cand[n++] = 1;
    cand[n++] = max;
    cand[n++] = max >> 1;
    cand[n++] = (orig + 1) & max;
    cand[n++] = (orig - 1) & max;
    if (is_op)
        for (uint64_t op = 0; op <= OPCODE_COUNT + 1; op++) cand[n++] = op;
    int out = 0;
    for (int i = 0; i < n; i++) {
        if (cand[i] == orig) continue;
        bool dup = false;
        for (int k = 0; k < out; k++) dup |= vals[k] == cand[i];
        if (!dup) vals[out++] = cand[i];
    }
    return out;
}

static void test_field_mutations(void **state)
{
    (void)state;
    double t0 = now();
    FieldRef *fields;
    size_t nfields = sample_fields(g_bytes, &fields);
    assert_true(nfields > 100);
    Stats st = {0};
    st.null = fopen("/dev/null", "w");
    assert_non_null(st.null);
    unsigned char *buf = malloc(g_size);
    assert_non_null(buf);
    char label[160];
    uint64_t vals[8 + OPCODE_COUNT + 2];
    size_t accepted_fields = 0;
    long last_full_insn = -1;
    for (size_t i = 0; i < nfields; i++) {
        const FieldRef *f = &fields[i];
        uint64_t orig = get_le(g_bytes + f->off, f->width);
        int nv = mutation_values(f->width, orig, f->is_op, vals);
        size_t before = st.accepted;
        for (int k = 0; k < nv; k++) {
            if (known_bug(f->name, f->width, vals[k])) { st.skipped++; continue; }
            memcpy(buf, g_bytes, g_size);
            put_le(buf + f->off, f->width, vals[k]);
            if (!f->no_crc_fix) fix_crc(buf, g_size);
            snprintf(label, sizeof label, "%s (byte %zu) = %llu (was %llu)", f->name, f->off, (unsigned long long)vals[k],
                     (unsigned long long)orig);
            /* instruction fields: the whole program is disassembled for the
             * first accepted variant of each instruction */
            bool full = f->insn < 0 || f->insn != last_full_insn;
            if (try_variant(&st, buf, g_size, label, f->insn, full) && full) last_full_insn = f->insn;
        }
        accepted_fields += st.accepted > before;
    }
    free(buf);
    free(fields);
    fclose(st.null);
    print_message("# field mutations: %zu fields, %zu variants, %zu rejected, %zu accepted (in %zu fields), %zu left out (known bugs) (%.1fs)\n",
                  nfields, st.variants, st.rejected, st.accepted, accepted_fields, st.skipped, now() - t0);
    assert_int_equal(st.variants, st.rejected + st.accepted);
    assert_true(st.rejected > 0);
}

/* Every opcode value replaces the first instruction of the first function of
 * each kind after the first two functions (whose every instruction the
 * mutation test covers) and of the last function, with the checksum fixed:
 * each variant must be refused or verify. */
static void test_opcode_in_other_functions(void **state)
{
    (void)state;
    double t0 = now();
    char err[512];
    Program *p = bc_read(g_bytes, g_size, err, sizeof err);
    assert_non_null(p);
    assert_true(p->nfuncs > 2);
    bool pick[4096] = {false};
    assert_true(p->nfuncs <= 4096);
    bool kind_seen[ZF_KIND_COUNT] = {false};
    for (uint32_t f = 2; f < p->nfuncs; f++)
        if (p->funcs[f].kind < ZF_KIND_COUNT && !kind_seen[p->funcs[f].kind]) kind_seen[p->funcs[f].kind] = pick[f] = true;
    pick[p->nfuncs - 1] = true;
    uint32_t code_off = (uint32_t)get_le(g_bytes + BC_HEADER_SIZE + (SEC_CODE - 1) * BC_SECTION_ENTRY_SIZE + 4, 4);
    Stats st = {0};
    st.null = fopen("/dev/null", "w");
    assert_non_null(st.null);
    unsigned char *buf = malloc(g_size);
    assert_non_null(buf);
    char label[96];
    size_t nfuncs = 0;
    for (uint32_t f = 2; f < p->nfuncs; f++) {
        if (!pick[f]) continue;
        nfuncs++;
        size_t at = code_off + (size_t)p->funcs[f].start * 8;
        bool full_done = false; /* disassemble all once per function, then the instruction */
        for (unsigned op = 0; op <= OPCODE_COUNT + 1; op++) {
            if (op == g_bytes[at]) continue;
            memcpy(buf, g_bytes, g_size);
            buf[at] = (unsigned char)op;
            fix_crc(buf, g_size);
            snprintf(label, sizeof label, "function %u insn 0 op = %u", f, op);
            bool full = !full_done;
            if (try_variant(&st, buf, g_size, label, p->funcs[f].start, full) && full) full_done = true;
        }
    }
    free(buf);
    fclose(st.null);
    program_free(p);
    print_message("# first opcode of %zu more functions: %zu variants, %zu rejected, %zu accepted (%.1fs)\n", nfuncs, st.variants,
                  st.rejected, st.accepted, now() - t0);
}

static void test_newer_version(void **state)
{
    (void)state;
    unsigned char *buf = malloc(g_size);
    assert_non_null(buf);
    memcpy(buf, g_bytes, g_size);
    put_le(buf + 8, 4, BC_VERSION + 1);
    fix_crc(buf, g_size);
    char err[512] = "";
    assert_null(bc_load(buf, g_size, err, sizeof err));
    if (!strstr(err, "newer") || strncmp(err, "header: ", 8)) fail_msg("message: %s", err);
    /* older versions (version 1 had no retention section) are refused too */
    for (uint32_t v = 0; v < BC_VERSION; v++) {
        put_le(buf + 8, 4, v);
        fix_crc(buf, g_size);
        assert_null(bc_load(buf, g_size, err, sizeof err));
        if (!strstr(err, "older") || !strstr(err, "recompile")) fail_msg("version %u: %s", v, err);
    }
    free(buf);
}

static void test_text_mode_magic(void **state)
{
    (void)state;
    /* "\r\n" -> "\n" in the magic: the file loses a byte */
    unsigned char *buf = malloc(g_size - 1);
    assert_non_null(buf);
    memcpy(buf, g_bytes, 4);
    memcpy(buf + 4, g_bytes + 5, g_size - 5);
    char err[512] = "";
    assert_null(bc_load(buf, g_size - 1, err, sizeof err));
    if (!strstr(err, "magic") || strncmp(err, "header: ", 8)) fail_msg("message: %s", err);
    assert_non_null(strstr(err, "altered"));
    /* "\n" -> "\r\n" (the other direction) */
    unsigned char *buf2 = malloc(g_size + 1);
    assert_non_null(buf2);
    memcpy(buf2, g_bytes, 7);
    buf2[7] = '\r';
    memcpy(buf2 + 8, g_bytes + 7, g_size - 7);
    assert_null(bc_load(buf2, g_size + 1, err, sizeof err));
    assert_non_null(strstr(err, "magic"));
    /* something that is not a bytecode file at all */
    static const unsigned char text[] = "policy x {}\n";
    assert_null(bc_load(text, sizeof text - 1, err, sizeof err));
    assert_non_null(strstr(err, "not a zhidu bytecode file"));
    free(buf);
    free(buf2);
}

static void test_bad_header_fields(void **state)
{
    (void)state;
    static const struct { size_t off; uint32_t value; const char *needle; } cases[] = {
        {12, 64, "header size 64"},
        {16, 12345, "says it has 12345"},
        {20, 10, "10 sections"},
        {28, 1, "unknown flags"},
    };
    unsigned char *buf = malloc(g_size);
    assert_non_null(buf);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        memcpy(buf, g_bytes, g_size);
        put_le(buf + cases[i].off, 4, cases[i].value);
        fix_crc(buf, g_size);
        char err[512] = "";
        assert_null(bc_load(buf, g_size, err, sizeof err));
        if (!strstr(err, cases[i].needle)) fail_msg("byte %zu = %u: message '%s' lacks '%s'", cases[i].off, cases[i].value, err, cases[i].needle);
    }
    /* a stale checksum */
    memcpy(buf, g_bytes, g_size);
    buf[g_size - 1] ^= 0x40;
    char err[512] = "";
    assert_null(bc_load(buf, g_size, err, sizeof err));
    assert_non_null(strstr(err, "checksum mismatch"));
    /* trailing garbage after a valid file */
    unsigned char *big = malloc(g_size + 4);
    assert_non_null(big);
    memcpy(big, g_bytes, g_size);
    memset(big + g_size, 0, 4);
    assert_null(bc_load(big, g_size + 4, err, sizeof err));
    assert_non_null(strstr(err, "truncated or padded"));
    free(big);
    free(buf);
}

/* ---- hand-built programs the verifier must refuse ------------------------------- */

static const char *tiny_strings[] = {
    "", "tiny", "Tiny policy", "doc 1", "tiny.zd", "r", "events", "id", "time", "type", "ev",
    "roster", "person", "role", "from", "to", "topics", "topic", "cal", "kind", "limit", "a message",
};
enum { S_EMPTY, S_TINY, S_TITLE, S_DOC, S_FILE, S_R, S_EVENTS, S_ID, S_TIME, S_TYPE, S_EV,
       S_ROSTER, S_PERSON, S_ROLE, S_FROM, S_TO, S_TOPICS, S_TOPIC, S_CAL, S_KIND, S_LIMIT, S_MSG, S_COUNT };
/* constants */
enum { C_STR_EV, C_MASK, C_INT, C_DURATION, C_TIME, C_BOOL, C_COUNT };
/* tables */
enum { T_ROSTER, T_TOPICS, T_CAL };

#define I(op_, a_, b_, c_) {ZOP_##op_, (a_), (b_), (c_)}

static void set_table(Program *p, ZTable *t, uint8_t kind, uint32_t name, int32_t key, const uint32_t *fields, const uint8_t *types,
                      uint32_t n)
{
    t->kind = kind;
    t->name = t->table = name;
    t->key = key;
    t->nfields = n;
    t->fields = arena_alloc(&p->arena, sizeof(ZField) * (n + 1));
    for (uint32_t i = 0; i < n; i++) {
        t->fields[i].name = t->fields[i].column = fields[i];
        t->fields[i].type = types[i];
    }
}

/* A small complete program: an event log (id, time, type), one event type, a
 * roster, a keyed table, a calendar, one int parameter, and one triggered
 * rule whose body is `body` (function 0) and, when `filter` is given, whose
 * trigger filter is `filter` (function 1). Functions have 4 slots and a
 * declared stack of 16. */
static Program *tiny_program(const Insn *body, uint32_t nbody, const Insn *filter, uint32_t nfilter)
{
    Program *p = program_new();
    assert_non_null(p);
    Arena *a = &p->arena;
    p->nstrings = S_COUNT;
    p->strings = arena_alloc(a, sizeof(char *) * S_COUNT);
    p->string_lens = arena_alloc(a, sizeof(uint32_t) * S_COUNT);
    for (uint32_t i = 0; i < S_COUNT; i++) {
        p->strings[i] = tiny_strings[i];
        p->string_lens[i] = (uint32_t)strlen(tiny_strings[i]);
    }
    p->nconsts = C_COUNT;
    p->consts = arena_alloc(a, sizeof(ZConst) * C_COUNT);
    p->consts[C_STR_EV] = (ZConst){CONST_STR, S_EV};
    p->consts[C_MASK] = (ZConst){CONST_MASK, 1};
    p->consts[C_INT] = (ZConst){CONST_INT, 5};
    p->consts[C_DURATION] = (ZConst){CONST_DURATION, 60};
    p->consts[C_TIME] = (ZConst){CONST_TIME, 1514736000};
    p->consts[C_BOOL] = (ZConst){CONST_BOOL, 1};
    p->meta.name = S_TINY;
    p->meta.title = S_TITLE;
    p->meta.document = S_DOC;
    p->meta.effective = 1514736000;
    p->meta.tz_offset = 8 * 3600;
    p->meta.units_column = ZNONE;
    p->meta.nfiles = 1;
    p->meta.files = arena_alloc(a, sizeof(uint32_t));
    p->meta.files[0] = S_FILE;
    static const uint32_t log_f[] = {S_ID, S_TIME, S_TYPE};
    static const uint8_t log_t[] = {VT_ID, VT_TIME, VT_TEXT};
    set_table(p, &p->log, ZT_EVENTS, S_EVENTS, -1, log_f, log_t, 3);
    p->nevent_types = 1;
    p->event_types = arena_alloc(a, sizeof(ZEventType));
    p->event_types[0] = (ZEventType){S_EV, S_EV, 7};
    p->ntables = 3;
    p->tables = arena_alloc(a, sizeof(ZTable) * 3);
    static const uint32_t ros_f[] = {S_PERSON, S_ROLE, S_FROM, S_TO};
    static const uint8_t ros_t[] = {VT_PERSON, VT_ENUM, VT_TIME, VT_TIME};
    set_table(p, &p->tables[T_ROSTER], ZT_ROSTER, S_ROSTER, -1, ros_f, ros_t, 4);
    static const uint32_t top_f[] = {S_TOPIC};
    static const uint8_t top_t[] = {VT_ID};
    set_table(p, &p->tables[T_TOPICS], ZT_KEYED, S_TOPICS, 0, top_f, top_t, 1);
    static const uint32_t cal_f[] = {S_KIND, S_FROM, S_TO};
    static const uint8_t cal_t[] = {VT_ENUM, VT_TIME, VT_TIME};
    set_table(p, &p->tables[T_CAL], ZT_CALENDAR, S_CAL, -1, cal_f, cal_t, 3);
    p->nparams = 1;
    p->params = arena_alloc(a, sizeof(ZParam));
    p->params[0] = (ZParam){S_LIMIT, VT_INT, C_INT};

    p->nrules = 1;
    p->rules = arena_alloc(a, sizeof(ZRule));
    ZRule *r = &p->rules[0];
    r->name = S_R;
    r->tags = arena_alloc(a, sizeof(uint32_t));
    r->clauses = arena_alloc(a, sizeof(ZClauseRef));
    r->severity = ZS_MUST;
    r->disabled_reason = ZNONE;
    r->message = S_MSG;
    r->line = r->col = 1;
    r->trigger_mask = 1;
    r->trigger_filter = filter ? 1 : ZNONE;
    r->anchor = ZA_NONE;
    r->anchor_const = ZNONE;
    r->period_table = r->period_filter = r->unless_table = r->unless_filter = ZNONE;
    r->body = 0;
    /* a streaming run keeps every event of the one type */
    p->nretains = 1;
    p->retains = arena_alloc(a, sizeof(ZRetain));
    p->retains[0] = (ZRetain){0, 1, ZR_ALWAYS, 0, ZK_ALL, 0, ZNONE};

    p->nfuncs = filter ? 2 : 1;
    p->funcs = arena_alloc(a, sizeof(ZFunc) * 2);
    p->funcs[0] = (ZFunc){0, nbody, 4, 16, ZF_BODY, 0};
    if (filter) p->funcs[1] = (ZFunc){nbody, nfilter, 4, 16, ZF_EVENT_FILTER, 0};
    p->ninsns = nbody + (filter ? nfilter : 0);
    p->code = arena_alloc(a, sizeof(Insn) * (p->ninsns + 1));
    p->lines = arena_alloc(a, sizeof(ZLine) * (p->ninsns + 1));
    memcpy(p->code, body, sizeof(Insn) * nbody);
    if (filter) memcpy(p->code + nbody, filter, sizeof(Insn) * nfilter);
    for (uint32_t i = 0; i < p->ninsns; i++) p->lines[i] = (ZLine){0, 1, i + 1};
    return p;
}

#define TINY(body) tiny_program((body), sizeof(body) / sizeof *(body), NULL, 0)

static const Insn good_body[] = {
    I(LOAD, 0, 0, 0),         /* the trigger event */
    I(EV_FIELD, 0, 0, 1),     /* .time */
    I(POP, 0, 0, 0),
    I(CONST, 0, 0, C_STR_EV),
    I(LOOKUP, 0, T_TOPICS, 0),
    I(POP, 0, 0, 0),
    I(MAKE_LIST, 0, 0, 0),
    I(ITER_INIT, 1, 0, 0),
    I(ITER_NEXT, 1, 0, 10),
    I(LOOP, 0, 0, 8),
    I(RETURN, 0, 0, 0),
};
static const Insn good_filter[] = {
    I(PARAM, 0, 0, 0),
    I(CONST, 0, 0, C_INT),
    I(GE, 0, 0, 0),
    I(RETURN_VALUE, 0, 0, 0),
};

/* The program must be refused by the verifier with a message containing
 * `needle` (and `needle2` when given), and bc_load of its bytes must refuse
 * it with the same message. Frees p. */
static void expect_refused(Program *p, const char *needle, const char *needle2)
{
    char err[512] = "";
    if (verify_program(p, err, sizeof err) == 0) fail_msg("accepted; expected '%s'", needle);
    if (!strstr(err, needle) || (needle2 && !strstr(err, needle2)))
        fail_msg("message '%s' lacks '%s'%s%s", err, needle, needle2 ? " / " : "", needle2 ? needle2 : "");
    size_t size;
    unsigned char *bytes = bc_write(p, &size);
    assert_non_null(bytes);
    char err2[512] = "";
    Program *q = bc_load(bytes, size, err2, sizeof err2);
    if (q) fail_msg("bc_load accepted what verify_program refused (%s)", err);
    assert_string_equal(err, err2);
    /* bc_read alone takes it, and the disassembler copes with it */
    q = bc_read(bytes, size, err2, sizeof err2);
    assert_non_null(q);
    FILE *null = fopen("/dev/null", "w");
    assert_non_null(null);
    disasm_program(q, null);
    fclose(null);
    program_free(q);
    free(bytes);
    program_free(p);
}

static void test_tiny_program_is_valid(void **state)
{
    (void)state;
    Program *p = tiny_program(good_body, sizeof good_body / sizeof *good_body, good_filter, sizeof good_filter / sizeof *good_filter);
    char err[512] = "";
    if (verify_program(p, err, sizeof err)) fail_msg("the baseline program is refused: %s", err);
    size_t size, size2;
    unsigned char *bytes = bc_write(p, &size);
    assert_non_null(bytes);
    Program *q = bc_load(bytes, size, err, sizeof err);
    if (!q) fail_msg("bc_load: %s", err);
    unsigned char *again = bc_write(q, &size2);
    assert_int_equal(size, size2);
    assert_memory_equal(bytes, again, size);
    assert_int_equal(verify_stack_depth(q->code, q->funcs[0].count, q->funcs[0].nslots, ZF_BODY, LANG_EN, err, sizeof err), 1);
    assert_int_equal(verify_stack_depth(q->code + q->funcs[1].start, q->funcs[1].count, 4, ZF_EVENT_FILTER, LANG_EN, err, sizeof err), 2);
    free(again);
    free(bytes);
    program_free(q);
    program_free(p);
}

static void test_refuse_backward_jump(void **state)
{
    (void)state;
    static const Insn body[] = {I(NOP, 0, 0, 0), I(JUMP, 0, 0, 0), I(RETURN, 0, 0, 0)};
    expect_refused(TINY(body), "insn 1: backward jump to 0", NULL);
    static const Insn self[] = {I(TRUE, 0, 0, 0), I(JUMP_IF_TRUE, 0, 0, 1), I(RETURN, 0, 0, 0)};
    expect_refused(TINY(self), "insn 1: backward jump to 1", NULL);
}

static void test_refuse_in_chinese(void **state)
{
    (void)state; /* where stays in the disassembler's words, what is wrong is in the language */
    static const Insn body[] = {I(NOP, 0, 0, 0), I(JUMP, 0, 0, 0), I(RETURN, 0, 0, 0)};
    Program *p = TINY(body);
    char err[512] = "";
    assert_int_not_equal(verify_program_in(p, LANG_ZH, err, sizeof err), 0);
    assert_string_equal(err, "insn 1: 向后跳转到 0");
    size_t size;
    unsigned char *bytes = bc_write(p, &size);
    assert_non_null(bytes);
    assert_null(bc_load_in(bytes, size, LANG_ZH, err, sizeof err));
    assert_string_equal(err, "insn 1: 向后跳转到 0");
    bytes[0] ^= 1;
    assert_null(bc_load_in(bytes, size, LANG_ZH, err, sizeof err));
    assert_string_equal(err, "文件头：不是 zhidu 字节码文件（魔数不对）");
    free(bytes);
    program_free(p);
}

static void test_refuse_jump_past_end(void **state)
{
    (void)state;
    static const Insn body[] = {I(TRUE, 0, 0, 0), I(JUMP_IF_FALSE, 0, 0, 7), I(RETURN, 0, 0, 0)};
    expect_refused(TINY(body), "insn 1: jump to 7, outside the function", NULL);
    static const Insn huge[] = {I(JUMP, 0, 0, 0xFFFFFFFFu), I(RETURN, 0, 0, 0)};
    expect_refused(TINY(huge), "insn 0: jump to 4294967295, outside the function", NULL);
    /* the last instruction must not fall through */
    static const Insn falls[] = {I(NOP, 0, 0, 0)};
    expect_refused(TINY(falls), "insn 0: falls off the end of the function", NULL);
}

static void test_refuse_loop_not_to_next(void **state)
{
    (void)state;
    static const Insn body[] = {I(NOP, 0, 0, 0), I(LOOP, 0, 0, 0), I(RETURN, 0, 0, 0)};
    expect_refused(TINY(body), "insn 1: LOOP must go back to the loop head", NULL);
    /* a LOOP forward (to itself) */
    static const Insn self[] = {I(LOOP, 0, 0, 0), I(RETURN, 0, 0, 0)};
    expect_refused(TINY(self), "insn 0: LOOP must go back to the loop head", NULL);
    /* a *_NEXT whose exit is not right after its LOOP */
    static const Insn exit[] = {
        I(MAKE_LIST, 0, 0, 0), I(ITER_INIT, 1, 0, 0), I(ITER_NEXT, 1, 0, 5), I(LOOP, 0, 0, 2), I(NOP, 0, 0, 0), I(RETURN, 0, 0, 0),
    };
    expect_refused(TINY(exit), "insn 2: loop exit 5 does not follow the loop's LOOP", NULL);
}

static void test_refuse_next_without_init(void **state)
{
    (void)state;
    static const Insn body[] = {
        I(MAKE_LIST, 0, 0, 0), I(POP, 0, 0, 0), I(ITER_NEXT, 1, 0, 4), I(LOOP, 0, 0, 2), I(RETURN, 0, 0, 0),
    };
    expect_refused(TINY(body), "insn 2: ITER_NEXT does not directly follow its matching initialisation", NULL);
    static const Insn first[] = {I(SCAN_NEXT, 1, 0, 2), I(LOOP, 0, 0, 0), I(RETURN, 0, 0, 0)};
    expect_refused(TINY(first), "insn 0: SCAN_NEXT does not directly follow its matching initialisation", NULL);
    /* a scan's narrowing with no scan before it */
    static const Insn from[] = {I(MISSING, 0, 0, 0), I(SCAN_FROM, 1, 0, 0), I(RETURN, 0, 0, 0)};
    expect_refused(TINY(from), "insn 1: SCAN_FROM does not directly follow its scan's initialisation", NULL);
    static const Insn also[] = {I(MISSING, 0, 0, 0), I(MISSING, 0, 0, 0), I(SCAN_FROM, 1, 0, 0), I(SCAN_ALSO_EQ, 1, 0, 0),
                                I(RETURN, 0, 0, 0)};
    expect_refused(TINY(also), "insn 2: SCAN_FROM does not directly follow its scan's initialisation", NULL);
    /* a union's end with no scan before it, or after another slot's scan */
    static const Insn any[] = {I(SCAN_ANY_END, 1, 0, 0), I(RETURN, 0, 0, 0)};
    expect_refused(TINY(any), "insn 0: SCAN_ANY_END does not directly follow its scan's initialisation", NULL);
    static const Insn other[] = {I(MISSING, 0, 0, 0), I(MISSING, 0, 0, 0), I(SCAN_INIT, 1, 0, C_MASK), I(SCAN_ANY_EQ, 0, 0, 0),
                                 I(RETURN, 0, 0, 0)};
    expect_refused(TINY(other), "insn 3: SCAN_ANY_EQ does not directly follow its scan's initialisation", NULL);
    /* the wrong kind of initialisation */
    static const Insn pair[] = {
        I(MAKE_LIST, 0, 0, 0), I(ITER_INIT, 1, 0, 0), I(PAIR_NEXT, 1, 0, 4), I(LOOP, 0, 0, 2), I(RETURN, 0, 0, 0),
    };
    expect_refused(TINY(pair), "insn 2: PAIR_NEXT does not directly follow", NULL);
    /* calendar rows: ROWS_NEXT only after ROWS_INIT, and ROWS_INIT only of a calendar */
    static const Insn rows[] = {
        I(MAKE_LIST, 0, 0, 0), I(ITER_INIT, 1, 0, 0), I(ROWS_NEXT, 1, 0, 4), I(LOOP, 0, 0, 2), I(RETURN, 0, 0, 0),
    };
    expect_refused(TINY(rows), "insn 2: ROWS_NEXT does not directly follow", NULL);
    static const Insn iter[] = {I(ROWS_INIT, 1, T_CAL, 0), I(ITER_NEXT, 1, 0, 3), I(LOOP, 0, 0, 1), I(RETURN, 0, 0, 0)};
    expect_refused(TINY(iter), "insn 1: ITER_NEXT does not directly follow", NULL);
    static const Insn keyed[] = {I(ROWS_INIT, 1, T_TOPICS, 0), I(ROWS_NEXT, 1, 0, 3), I(LOOP, 0, 0, 1), I(RETURN, 0, 0, 0)};
    expect_refused(TINY(keyed), "insn 0: ROWS_INIT on a table of the wrong kind", NULL);
    static const Insn good[] = {I(ROWS_INIT, 1, T_CAL, 0), I(ROWS_NEXT, 1, 0, 3), I(LOOP, 0, 0, 1), I(RETURN, 0, 0, 0)};
    Program *ok = TINY(good);
    char err[256];
    assert_int_equal(verify_program(ok, err, sizeof err), 0);
    program_free(ok);
    /* the right kind on another slot */
    static const Insn slot[] = {
        I(MAKE_LIST, 0, 0, 0), I(ITER_INIT, 0, 0, 0), I(ITER_NEXT, 1, 0, 4), I(LOOP, 0, 0, 2), I(RETURN, 0, 0, 0),
    };
    expect_refused(TINY(slot), "insn 2: ITER_NEXT does not directly follow", NULL);
    /* a jump that enters the loop head directly */
    static const Insn enter[] = {
        I(MAKE_LIST, 0, 0, 0), I(TRUE, 0, 0, 0), I(JUMP_IF_TRUE, 0, 0, 5), I(MAKE_LIST, 0, 0, 0), I(ITER_INIT, 1, 0, 0),
        I(ITER_NEXT, 1, 0, 7), I(LOOP, 0, 0, 5), I(POP, 0, 0, 0), I(RETURN, 0, 0, 0),
    };
    expect_refused(TINY(enter), "insn 5: a jump enters a loop head", NULL);
}

static void test_refuse_iterator_overwrite(void **state)
{
    (void)state;
    /* an inner loop whose element slot is the outer loop's state slot */
    static const Insn body[] = {
        I(MAKE_LIST, 0, 0, 0), I(ITER_INIT, 0, 0, 0), I(ITER_NEXT, 0, 0, 8),
        I(MAKE_LIST, 0, 0, 0), I(ITER_INIT, 1, 0, 0), I(ITER_NEXT, 1, 0, 7), I(LOOP, 0, 0, 5),
        I(LOOP, 0, 0, 2), I(RETURN, 0, 0, 0),
    };
    expect_refused(TINY(body), "insn 4: overwrites the iterator of the loop at insn 2", NULL);
    /* a STORE into a state slot */
    static const Insn store[] = {
        I(MAKE_LIST, 0, 0, 0), I(ITER_INIT, 1, 0, 0), I(ITER_NEXT, 1, 0, 6), I(TRUE, 0, 0, 0), I(STORE, 2, 0, 0),
        I(LOOP, 0, 0, 2), I(RETURN, 0, 0, 0),
    };
    expect_refused(TINY(store), "insn 4: slot 2 holds an iterator", NULL);
    /* a LOAD of a state slot, even outside the loop */
    static const Insn load[] = {
        I(MAKE_LIST, 0, 0, 0), I(ITER_INIT, 1, 0, 0), I(ITER_NEXT, 1, 0, 4), I(LOOP, 0, 0, 2),
        I(LOAD, 2, 0, 0), I(POP, 0, 0, 0), I(RETURN, 0, 0, 0),
    };
    expect_refused(TINY(load), "insn 4: slot 2 holds an iterator", NULL);
    /* an iterator whose state slot lies past the function's slots */
    static const Insn slots[] = {
        I(MAKE_LIST, 0, 0, 0), I(PAIR_INIT, 2, 0, 0), I(PAIR_NEXT, 2, 0, 4), I(LOOP, 0, 0, 2), I(RETURN, 0, 0, 0),
    };
    expect_refused(TINY(slots), "iterator slot 4 out of range (4 slots)", NULL);
}

static void test_refuse_stack_underflow(void **state)
{
    (void)state;
    static const Insn body[] = {I(POP, 0, 0, 0), I(RETURN, 0, 0, 0)};
    expect_refused(TINY(body), "insn 0: POP needs 1 stack values, has 0", NULL);
    /* VIOLATE pops subjects, evidence and b parts */
    static const Insn violate[] = {
        I(MAKE_LIST, 0, 0, 0), I(MAKE_LIST, 0, 0, 0), I(CONST, 0, 0, C_STR_EV), I(VIOLATE, 0, 2, 0), I(RETURN, 0, 0, 0),
    };
    expect_refused(TINY(violate), "insn 3: VIOLATE needs 4 stack values, has 3", NULL);
    static const Insn list[] = {I(TRUE, 0, 0, 0), I(MAKE_LIST, 0, 2, 0), I(POP, 0, 0, 0), I(RETURN, 0, 0, 0)};
    expect_refused(TINY(list), "insn 1: MAKE_LIST needs 2 stack values, has 1", NULL);
}

static void test_refuse_merge_mismatch(void **state)
{
    (void)state;
    static const Insn body[] = {I(TRUE, 0, 0, 0), I(JUMP_IF_FALSE, 0, 0, 3), I(TRUE, 0, 0, 0), I(RETURN, 0, 0, 0)};
    expect_refused(TINY(body), "insn 2: stack depth 1 meets depth 0 at insn 3", NULL);
    /* the depth at a LOOP differs from the depth at its head */
    static const Insn loop[] = {
        I(MAKE_LIST, 0, 0, 0), I(ITER_INIT, 1, 0, 0), I(ITER_NEXT, 1, 0, 5), I(TRUE, 0, 0, 0), I(LOOP, 0, 0, 2), I(RETURN, 0, 0, 0),
    };
    expect_refused(TINY(loop), "insn 4: stack depth 1 at LOOP, 0 at its head", NULL);
}

static void test_refuse_return_with_values(void **state)
{
    (void)state;
    static const Insn body[] = {I(TRUE, 0, 0, 0), I(RETURN, 0, 0, 0)};
    expect_refused(TINY(body), "insn 1: RETURN with 1 values on the stack", NULL);
    /* a filter's RETURN_VALUE must leave nothing behind either */
    static const Insn ret[] = {I(RETURN, 0, 0, 0)};
    static const Insn filter[] = {I(TRUE, 0, 0, 0), I(TRUE, 0, 0, 0), I(RETURN_VALUE, 0, 0, 0)};
    expect_refused(tiny_program(ret, 1, filter, 3), "insn 3: RETURN_VALUE with 1 values left", NULL);
    /* and the two returns do not swap */
    static const Insn rv[] = {I(TRUE, 0, 0, 0), I(RETURN_VALUE, 0, 0, 0)};
    expect_refused(TINY(rv), "insn 1: RETURN_VALUE in a rule body", NULL);
    static const Insn fr[] = {I(RETURN, 0, 0, 0)};
    expect_refused(tiny_program(ret, 1, fr, 1), "insn 1: RETURN in a filter", NULL);
}

static void test_refuse_violate_in_filter(void **state)
{
    (void)state;
    static const Insn body[] = {I(RETURN, 0, 0, 0)};
    static const Insn filter[] = {
        I(MAKE_LIST, 0, 0, 0), I(MAKE_LIST, 0, 0, 0), I(VIOLATE, 0, 0, 0), I(TRUE, 0, 0, 0), I(RETURN_VALUE, 0, 0, 0),
    };
    /* function 1 starts at instruction 1: the message counts program-wide */
    expect_refused(tiny_program(body, 1, filter, 5), "insn 3: VIOLATE outside a rule body", NULL);
    static const Insn pending[] = {
        I(MAKE_LIST, 0, 0, 0), I(MAKE_LIST, 0, 0, 0), I(PENDING, 0, 0, 0), I(TRUE, 0, 0, 0), I(RETURN_VALUE, 0, 0, 0),
    };
    expect_refused(tiny_program(body, 1, pending, 5), "insn 3: PENDING outside a rule body", NULL);
}

static void test_refuse_operands_out_of_range(void **state)
{
    (void)state;
    static const Insn cst[] = {I(CONST, 0, 0, 99), I(POP, 0, 0, 0), I(RETURN, 0, 0, 0)};
    expect_refused(TINY(cst), "insn 0: constant 99 out of range", NULL);
    static const Insn cst_end[] = {I(CONST, 0, 0, C_COUNT), I(POP, 0, 0, 0), I(RETURN, 0, 0, 0)};
    expect_refused(TINY(cst_end), "insn 0: constant 6 out of range", NULL);
    static const Insn par[] = {I(PARAM, 0, 0, 1), I(POP, 0, 0, 0), I(RETURN, 0, 0, 0)};
    expect_refused(TINY(par), "insn 0: parameter 1 out of range", NULL);
    static const Insn fld[] = {I(LOAD, 0, 0, 0), I(EV_FIELD, 0, 0, 3), I(POP, 0, 0, 0), I(RETURN, 0, 0, 0)};
    expect_refused(TINY(fld), "insn 1: log field 3 out of range", NULL);
    static const Insn tab[] = {I(CONST, 0, 0, C_STR_EV), I(LOOKUP, 0, 3, 0), I(POP, 0, 0, 0), I(RETURN, 0, 0, 0)};
    expect_refused(TINY(tab), "insn 1: table 3 out of range", NULL);
    static const Insn tfld[] = {I(LOAD, 0, 0, 0), I(ROW_FIELD, 0, T_TOPICS, 1), I(POP, 0, 0, 0), I(RETURN, 0, 0, 0)};
    expect_refused(TINY(tfld), "insn 1: field 1 of table 1 out of range", NULL);
    static const Insn slot[] = {I(LOAD, 4, 0, 0), I(POP, 0, 0, 0), I(RETURN, 0, 0, 0)};
    expect_refused(TINY(slot), "insn 0: slot 4 out of range (4 slots)", NULL);
    static const Insn fmt[] = {I(TRUE, 0, 0, 0), I(TO_TEXT, FMT_COUNT, 0, 0), I(POP, 0, 0, 0), I(RETURN, 0, 0, 0)};
    expect_refused(TINY(fmt), "insn 1: unknown format 8", NULL);
    static const Insn cnt[] = {I(MAKE_LIST, 0, 1025, 0), I(POP, 0, 0, 0), I(RETURN, 0, 0, 0)};
    expect_refused(TINY(cnt), "insn 0: count 1025 too large", NULL);
    static const Insn op[] = {I(NOP, 0, 0, 0), {OPCODE_COUNT, 0, 0, 0}, I(RETURN, 0, 0, 0)};
    expect_refused(TINY(op), "insn 1: unknown opcode", NULL);
    static const Insn op255[] = {{255, 0, 0, 0}, I(RETURN, 0, 0, 0)};
    expect_refused(TINY(op255), "insn 0: unknown opcode 255", NULL);
}

/* EARLIEST: its key fields a mask of fields holding names, as many as the
 * keys it pops, and an event-type mask; a well-formed one verifies and runs
 * off no retention entry. The tiny log's fields: id (0), time (1), type (2). */
static void test_refuse_bad_earliest(void **state)
{
    (void)state;
    static const Insn ok[] = {I(CONST, 0, 0, C_STR_EV), I(CONST, 0, 0, C_TIME), I(EARLIEST, 1, C_MASK, C_MASK), I(POP, 0, 0, 0),
                              I(RETURN, 0, 0, 0)};
    Program *p = TINY(ok);
    p->nretains = 0;
    char err[512] = "";
    if (verify_program(p, err, sizeof err)) fail_msg("a well-formed EARLIEST is refused: %s", err);
    program_free(p);
    static const Insn strict[] = {I(CONST, 0, 0, C_STR_EV), I(CONST, 0, 0, C_TIME), I(EARLIEST, 0x81, C_MASK, C_MASK),
                                  I(POP, 0, 0, 0), I(RETURN, 0, 0, 0)};
    p = TINY(strict);
    if (verify_program(p, err, sizeof err)) fail_msg("a strict EARLIEST is refused: %s", err);
    program_free(p);
    /* the key fields not a mask constant */
    static const Insn not_mask[] = {I(CONST, 0, 0, C_STR_EV), I(CONST, 0, 0, C_TIME), I(EARLIEST, 1, C_INT, C_MASK),
                                    I(POP, 0, 0, 0), I(RETURN, 0, 0, 0)};
    expect_refused(TINY(not_mask), "insn 2: EARLIEST's key fields (constant 2) must be a mask of 1 to 4 fields of the log", NULL);
    /* a key field holding times: the constant's mask names field 1 */
    p = TINY(ok);
    p->consts[C_DURATION] = (ZConst){CONST_MASK, 2};
    p->code[2].b = C_DURATION;
    expect_refused(p, "insn 2: EARLIEST's key fields (constant 3) must be", NULL);
    /* two keys popped, one field named */
    static const Insn count[] = {I(CONST, 0, 0, C_STR_EV), I(CONST, 0, 0, C_STR_EV), I(CONST, 0, 0, C_TIME),
                                 I(EARLIEST, 2, C_MASK, C_MASK), I(POP, 0, 0, 0), I(RETURN, 0, 0, 0)};
    expect_refused(TINY(count), "insn 3: EARLIEST takes 2 keys, but its field mask names 1 fields", NULL);
    /* the event types not a mask constant, or naming types that do not exist */
    static const Insn types[] = {I(CONST, 0, 0, C_STR_EV), I(CONST, 0, 0, C_TIME), I(EARLIEST, 1, C_MASK, C_STR_EV),
                                 I(POP, 0, 0, 0), I(RETURN, 0, 0, 0)};
    expect_refused(TINY(types), "insn 2: operand 0 is not an event-type mask constant", NULL);
    /* more keys than the stack holds */
    static const Insn under[] = {I(CONST, 0, 0, C_TIME), I(EARLIEST, 1, C_MASK, C_MASK), I(POP, 0, 0, 0), I(RETURN, 0, 0, 0)};
    expect_refused(TINY(under), "insn 1: EARLIEST needs 2 stack values", NULL);
}

static void test_refuse_scan_without_mask(void **state)
{
    (void)state;
    /* every scan pops its time limit (MISSING: none) */
    static const Insn body[] = {I(MISSING, 0, 0, 0), I(SCAN_INIT, 1, 0, C_INT), I(SCAN_NEXT, 1, 0, 4), I(LOOP, 0, 0, 2), I(RETURN, 0, 0, 0)};
    expect_refused(TINY(body), "insn 1: operand 2 is not an event-type mask constant", NULL);
    static const Insn eq[] = {
        I(CONST, 0, 0, C_STR_EV), I(MISSING, 0, 0, 0), I(SCAN_INIT_EQ, 1, 2, C_STR_EV), I(SCAN_NEXT, 1, 0, 5), I(LOOP, 0, 0, 3), I(RETURN, 0, 0, 0),
    };
    expect_refused(TINY(eq), "insn 2: operand 0 is not an event-type mask constant", NULL);
    static const Insn no_limit[] = {I(SCAN_INIT, 1, 0, C_MASK), I(SCAN_NEXT, 1, 0, 3), I(LOOP, 0, 0, 1), I(RETURN, 0, 0, 0)};
    expect_refused(TINY(no_limit), "SCAN_INIT needs 1 stack values, has 0", NULL);
    /* the same with the mask constant is fine */
    static const Insn ok[] = {I(MISSING, 0, 0, 0), I(SCAN_INIT, 1, 0, C_MASK), I(SCAN_NEXT, 1, 0, 4), I(LOOP, 0, 0, 2), I(RETURN, 0, 0, 0)};
    Program *p = TINY(ok);
    char err[512] = "";
    if (verify_program(p, err, sizeof err)) fail_msg("a SCAN over the mask constant is refused: %s", err);
    /* a scan of event types no retention entry keeps (a streaming run would have forgotten them) */
    p->nretains = 0;
    expect_refused(p, "insn 1: scans event types that no retention entry of its rule keeps", NULL);
    p = TINY(ok);
    p->retains[0].kind = ZR_PERIOD; /* on a triggered rule */
    expect_refused(p, "section retain: entry 0: bad kind 1 for its rule", NULL);
    p = TINY(ok);
    p->retains[0].offset = -86400; /* an offset is for trigger entries only */
    expect_refused(p, "section retain: entry 0: bad offset", NULL);
    p = TINY(ok);
    p->retains[0].mask = 2;
    expect_refused(p, "section retain: entry 0: bad event-type mask", NULL);
    p = TINY(ok);
    p->retains[0].filter = 0; /* the body is no event filter */
    expect_refused(p, "retention filter function 0 is not one of its retention filter functions", NULL);
    /* a retention filter runs on one event while others may be gone: no scans */
    static const Insn scanning[] = {I(MISSING, 0, 0, 0), I(SCAN_INIT, 1, 0, C_MASK), I(SCAN_NEXT, 1, 0, 4), I(LOOP, 0, 0, 2),
                                    I(TRUE, 0, 0, 0), I(RETURN_VALUE, 0, 0, 0)};
    p = tiny_program(ok, sizeof ok / sizeof *ok, scanning, sizeof scanning / sizeof *scanning);
    p->rules[0].trigger_filter = ZNONE;
    p->retains[0].filter = 1;
    expect_refused(p, "section retain: entry 0: its filter selects events", NULL);
    /* a mask naming an event type that does not exist */
    p = TINY(ok);
    p->consts[C_MASK].value = 2;
    expect_refused(p, "insn 1: mask names event types that do not exist", NULL);
}

static void test_refuse_table_of_wrong_kind(void **state)
{
    (void)state;
    static const Insn body[] = {I(CONST, 0, 0, C_STR_EV), I(LOOKUP, 0, T_ROSTER, 0), I(POP, 0, 0, 0), I(RETURN, 0, 0, 0)};
    expect_refused(TINY(body), "insn 1: LOOKUP on a table of the wrong kind", NULL);
    static const Insn role[] = {
        I(CONST, 0, 0, C_STR_EV), I(CONST, 0, 0, C_TIME), I(ROLE_AT, 0, T_CAL, 0), I(POP, 0, 0, 0), I(RETURN, 0, 0, 0),
    };
    expect_refused(TINY(role), "insn 2: ROLE_AT on a table of the wrong kind", NULL);
    static const Insn period[] = {I(LOAD, 0, 0, 0), I(PERIOD_FIELD, 0, T_TOPICS, 0), I(POP, 0, 0, 0), I(RETURN, 0, 0, 0)};
    expect_refused(TINY(period), "insn 1: PERIOD_FIELD on a table of the wrong kind", NULL);
    static const Insn row[] = {I(LOAD, 0, 0, 0), I(ROW_FIELD, 0, T_ROSTER, 0), I(POP, 0, 0, 0), I(RETURN, 0, 0, 0)};
    expect_refused(TINY(row), "insn 1: ROW_FIELD of a table without rows", NULL);
}

static void test_refuse_unreachable(void **state)
{
    (void)state;
    static const Insn body[] = {I(JUMP, 0, 0, 2), I(NOP, 0, 0, 0), I(RETURN, 0, 0, 0)};
    expect_refused(TINY(body), "insn 1: unreachable", NULL);
    static const Insn after[] = {I(RETURN, 0, 0, 0), I(RETURN, 0, 0, 0)};
    expect_refused(TINY(after), "insn 1: unreachable", NULL);
}

static void test_refuse_small_max_stack(void **state)
{
    (void)state;
    Program *p = tiny_program(good_body, sizeof good_body / sizeof *good_body, NULL, 0);
    p->funcs[0].max_stack = 0;
    expect_refused(p, "section funcs: function 0 needs a stack of 1, declares 0", NULL);
    p = tiny_program(good_body, sizeof good_body / sizeof *good_body, good_filter, sizeof good_filter / sizeof *good_filter);
    p->funcs[1].max_stack = 1;
    expect_refused(p, "section funcs: function 1 needs a stack of 2, declares 1", NULL);
    /* in a compiled program */
    p = compile_program("rules/gxnu.zd");
    assert_true(p->funcs[1].max_stack > 0);
    p->funcs[1].max_stack--;
    expect_refused(p, "section funcs: function 1 needs a stack of", NULL);
}

static void test_refuse_foreign_body(void **state)
{
    (void)state;
    Program *p = compile_program("rules/gxnu.zd");
    assert_true(p->nrules >= 2);
    assert_int_not_equal(p->rules[0].body, ZNONE);
    assert_int_not_equal(p->rules[1].body, ZNONE);
    char needle[96];
    snprintf(needle, sizeof needle, "rule 0: body function %u is not one of its body functions", p->rules[1].body);
    p->rules[0].body = p->rules[1].body;
    expect_refused(p, "section rules: ", needle);
    /* a filter as a body */
    p = compile_program("rules/gxnu.zd");
    assert_int_not_equal(p->rules[0].unless_filter, ZNONE);
    snprintf(needle, sizeof needle, "rule 0: body function %u is not one of its body functions", p->rules[0].unless_filter);
    p->rules[0].body = p->rules[0].unless_filter;
    expect_refused(p, "section rules: ", needle);
    /* two rules sharing one body: the function's owner says rule 0 */
    p = tiny_program(good_body, sizeof good_body / sizeof *good_body, NULL, 0);
    ZRule *rules = arena_alloc(&p->arena, sizeof(ZRule) * 2);
    rules[0] = rules[1] = p->rules[0];
    p->rules = rules;
    p->nrules = 2;
    expect_refused(p, "section rules: rule 1: body function 0 is not one of its body functions", NULL);
    /* a function no rule uses */
    p = tiny_program(good_body, sizeof good_body / sizeof *good_body, good_filter, sizeof good_filter / sizeof *good_filter);
    p->rules[0].trigger_filter = ZNONE;
    expect_refused(p, "section funcs: function 1 belongs to no rule", NULL);
}

static void test_refuse_param_kind_mismatch(void **state)
{
    (void)state;
    static const Insn body[] = {I(RETURN, 0, 0, 0)};
    Program *p = TINY(body);
    p->params[0].value = C_STR_EV; /* an int parameter holding a string */
    expect_refused(p, "section params: param 0: value is not a constant of its type", NULL);
    p = TINY(body);
    p->params[0].type = VT_DURATION; /* the int constant is not a duration */
    expect_refused(p, "section params: param 0: value is not a constant of its type", NULL);
    p = TINY(body);
    p->params[0].value = C_COUNT;
    expect_refused(p, "section params: param 0: value is not a constant of its type", NULL);
    p = TINY(body);
    p->params[0].type = VT_INT | VT_LIST_FLAG;
    expect_refused(p, "section params: param 0: unknown type 133", NULL);
    /* in a compiled program: a duration parameter given a text constant */
    p = compile_program("rules/gxnu.zd");
    uint32_t k = 0;
    while (k < p->nparams && p->params[k].type != VT_DURATION) k++;
    assert_true(k < p->nparams);
    uint32_t c = 0;
    while (c < p->nconsts && p->consts[c].kind != CONST_STR) c++;
    assert_true(c < p->nconsts);
    p->params[k].value = c;
    char needle[64];
    snprintf(needle, sizeof needle, "section params: param %u: value is not a constant of its type", k);
    expect_refused(p, needle, NULL);
}

static void test_refuse_section_inconsistencies(void **state)
{
    (void)state;
    static const Insn body[] = {I(RETURN, 0, 0, 0)};
    Program *p = TINY(body);
    p->consts[C_BOOL].value = 2;
    expect_refused(p, "section consts: constant 5: bad boolean", NULL);
    p = TINY(body);
    p->consts[C_STR_EV].value = S_COUNT;
    expect_refused(p, "section consts: constant 0: string 22 out of range", NULL);
    p = TINY(body);
    p->meta.tz_offset = 19 * 3600;
    expect_refused(p, "section meta: time zone offset out of range", NULL);
    p = TINY(body);
    p->tables[T_TOPICS].key = 1;
    expect_refused(p, "section tables[1]: bad key field 1", NULL);
    p = TINY(body);
    p->tables[T_CAL].kind = ZT_ROSTER;
    expect_refused(p, "section tables[2]: table lacks the field 'person'", NULL);
    p = TINY(body);
    p->tables[T_CAL].kind = ZT_EVENTS;
    expect_refused(p, "section tables: table 2 is a second event log", NULL);
    p = TINY(body);
    p->event_types[0].fields = 8;
    expect_refused(p, "section evtypes: type 0 carries fields the log does not have", NULL);
    p = TINY(body);
    p->rules[0].trigger_mask = 2;
    expect_refused(p, "section rules: rule 0: bad trigger mask", NULL);
    p = TINY(body);
    p->rules[0].severity = 3;
    expect_refused(p, "section rules: rule 0: bad severity 3", NULL);
    p = TINY(body);
    p->funcs[0].nslots = 0;
    expect_refused(p, "section funcs: function 0: 0 slots", NULL);
    p = tiny_program(good_body, sizeof good_body / sizeof *good_body, good_filter, sizeof good_filter / sizeof *good_filter);
    p->funcs[1].kind = ZF_ROW_FILTER;
    expect_refused(p, "section rules: rule 0: trigger filter function 1 is not one of its trigger filter functions", NULL);
    p = TINY(body);
    p->lines[0].file = 1;
    expect_refused(p, "section lines: insn 0: file out of range", NULL);
}

int main(void)
{
    const struct CMUnitTest round_trip[] = {
        cmocka_unit_test(test_round_trip_rule_files),
        cmocka_unit_test(test_compile_is_deterministic),
        cmocka_unit_test(test_header_layout),
    };
    const struct CMUnitTest corrupt[] = {
        cmocka_unit_test(test_truncated_everywhere),
        cmocka_unit_test(test_single_bit_flips),
        cmocka_unit_test(test_field_mutations),
        cmocka_unit_test(test_opcode_in_other_functions),
        cmocka_unit_test(test_newer_version),
        cmocka_unit_test(test_text_mode_magic),
        cmocka_unit_test(test_bad_header_fields),
    };
    const struct CMUnitTest verifier[] = {
        cmocka_unit_test(test_tiny_program_is_valid),
        cmocka_unit_test(test_refuse_backward_jump),
        cmocka_unit_test(test_refuse_in_chinese),
        cmocka_unit_test(test_refuse_jump_past_end),
        cmocka_unit_test(test_refuse_loop_not_to_next),
        cmocka_unit_test(test_refuse_next_without_init),
        cmocka_unit_test(test_refuse_iterator_overwrite),
        cmocka_unit_test(test_refuse_stack_underflow),
        cmocka_unit_test(test_refuse_merge_mismatch),
        cmocka_unit_test(test_refuse_return_with_values),
        cmocka_unit_test(test_refuse_violate_in_filter),
        cmocka_unit_test(test_refuse_operands_out_of_range),
        cmocka_unit_test(test_refuse_scan_without_mask),
        cmocka_unit_test(test_refuse_bad_earliest),
        cmocka_unit_test(test_refuse_table_of_wrong_kind),
        cmocka_unit_test(test_refuse_unreachable),
        cmocka_unit_test(test_refuse_small_max_stack),
        cmocka_unit_test(test_refuse_foreign_body),
        cmocka_unit_test(test_refuse_param_kind_mismatch),
        cmocka_unit_test(test_refuse_section_inconsistencies),
    };
    int failed = 0;
    failed += cmocka_run_group_tests_name("bytecode round trip", round_trip, NULL, NULL);
    failed += cmocka_run_group_tests_name("bytecode corrupt files", corrupt, corrupt_setup, corrupt_teardown);
    failed += cmocka_run_group_tests_name("bytecode verifier", verifier, NULL, NULL);
    return failed;
}
