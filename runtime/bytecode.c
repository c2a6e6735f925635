/* bytecode.c - writing and reading .zbc files: little-endian fixed-width
 * integers, a header with magic, version, size and CRC-32, a section table,
 * and sections in a fixed order. The reader bounds-checks every read, sizes
 * no allocation by a field it has not checked against the bytes left, and
 * validates strings as UTF-8. */
#include "bytecode.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify.h"

const unsigned char bc_magic[8] = {0x89, 'Z', 'D', 'B', '\r', '\n', 0x1A, '\n'};

const char *bc_section_name(uint32_t id)
{
    static const char *names[] = {"?", "strings", "consts", "meta", "log", "evtypes", "tables",
                                  "params", "rules", "funcs", "code", "lines", "retain"};
    return id < SEC_COUNT_PLUS_ONE ? names[id] : "?";
}

uint32_t bc_crc32(const unsigned char *data, size_t size)
{
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < size; i++) {
        crc ^= data[i];
        for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

/* ---- writing ------------------------------------------------------------------ */

typedef struct Out {
    unsigned char *data;
    size_t len, cap;
    bool failed;
} Out;

static void put(Out *o, const void *bytes, size_t n)
{
    if (o->failed) return;
    if (o->len + n > o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 4096;
        while (cap < o->len + n) cap *= 2;
        unsigned char *d = realloc(o->data, cap);
        if (!d) { o->failed = true; return; }
        o->data = d;
        o->cap = cap;
    }
    memcpy(o->data + o->len, bytes, n);
    o->len += n;
}

static void u8(Out *o, uint8_t v) { put(o, &v, 1); }
static void u16(Out *o, uint16_t v) { unsigned char b[2] = {(unsigned char)v, (unsigned char)(v >> 8)}; put(o, b, 2); }
static void u32(Out *o, uint32_t v)
{
    unsigned char b[4];
    for (int i = 0; i < 4; i++) b[i] = (unsigned char)(v >> (8 * i));
    put(o, b, 4);
}
static void u64(Out *o, uint64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++) b[i] = (unsigned char)(v >> (8 * i));
    put(o, b, 8);
}

static void put_u32_at(unsigned char *at, uint32_t v)
{
    for (int i = 0; i < 4; i++) at[i] = (unsigned char)(v >> (8 * i));
}

static void write_table(Out *o, const ZTable *t)
{
    u8(o, t->kind);
    u32(o, t->name);
    u32(o, t->table);
    u32(o, (uint32_t)t->key);
    u32(o, t->nfields);
    for (uint32_t i = 0; i < t->nfields; i++) {
        u32(o, t->fields[i].name);
        u32(o, t->fields[i].column);
        u8(o, t->fields[i].type);
        u8(o, t->fields[i].optional);
    }
}

static uint32_t write_section(Out *o, const Program *p, int id)
{
    uint32_t count = 0;
    switch (id) {
    case SEC_STRS:
        count = p->nstrings;
        for (uint32_t i = 0; i < p->nstrings; i++) {
            u32(o, p->string_lens[i]);
            put(o, p->strings[i], p->string_lens[i]);
        }
        break;
    case SEC_CONSTS:
        count = p->nconsts;
        for (uint32_t i = 0; i < p->nconsts; i++) {
            u8(o, p->consts[i].kind);
            u64(o, (uint64_t)p->consts[i].value);
        }
        break;
    case SEC_META:
        count = 1;
        u32(o, p->meta.name);
        u32(o, p->meta.title);
        u32(o, p->meta.document);
        u64(o, (uint64_t)p->meta.effective);
        u32(o, (uint32_t)p->meta.tz_offset);
        u32(o, p->meta.units_column);
        u32(o, p->meta.nfiles);
        for (uint32_t i = 0; i < p->meta.nfiles; i++) u32(o, p->meta.files[i]);
        break;
    case SEC_LOG:
        count = 1;
        write_table(o, &p->log);
        break;
    case SEC_EVTYPES:
        count = p->nevent_types;
        for (uint32_t i = 0; i < count; i++) {
            u32(o, p->event_types[i].name);
            u32(o, p->event_types[i].value);
            u64(o, p->event_types[i].fields);
        }
        break;
    case SEC_TABLES:
        count = p->ntables;
        for (uint32_t i = 0; i < count; i++) write_table(o, &p->tables[i]);
        break;
    case SEC_PARAMS:
        count = p->nparams;
        for (uint32_t i = 0; i < count; i++) {
            u32(o, p->params[i].name);
            u8(o, p->params[i].type);
            u32(o, p->params[i].value);
        }
        break;
    case SEC_RULES:
        count = p->nrules;
        for (uint32_t i = 0; i < count; i++) {
            const ZRule *r = &p->rules[i];
            u32(o, r->name);
            u32(o, r->ntags);
            for (uint32_t k = 0; k < r->ntags; k++) u32(o, r->tags[k]);
            u32(o, r->nclauses);
            for (uint32_t k = 0; k < r->nclauses; k++) { u32(o, r->clauses[k].id); u32(o, r->clauses[k].text); }
            u8(o, r->severity);
            u8(o, r->disabled);
            u32(o, r->disabled_reason);
            u32(o, r->message);
            u16(o, r->file);
            u32(o, r->line);
            u32(o, r->col);
            u8(o, r->periodic);
            u64(o, r->trigger_mask);
            u32(o, r->trigger_filter);
            u8(o, r->period);
            u32(o, r->weeks);
            u8(o, r->anchor);
            u32(o, r->anchor_const);
            u32(o, r->period_table);
            u32(o, r->period_filter);
            u32(o, r->unless_table);
            u32(o, r->unless_filter);
            u32(o, r->body);
        }
        break;
    case SEC_FUNCS:
        count = p->nfuncs;
        for (uint32_t i = 0; i < count; i++) {
            const ZFunc *f = &p->funcs[i];
            u32(o, f->start);
            u32(o, f->count);
            u16(o, f->nslots);
            u16(o, f->max_stack);
            u8(o, f->kind);
            u32(o, f->rule);
        }
        break;
    case SEC_CODE:
        count = p->ninsns;
        for (uint32_t i = 0; i < count; i++) {
            u8(o, p->code[i].op);
            u8(o, p->code[i].a);
            u16(o, p->code[i].b);
            u32(o, p->code[i].c);
        }
        break;
    case SEC_LINES:
        count = p->ninsns;
        for (uint32_t i = 0; i < count; i++) {
            u16(o, p->lines[i].file);
            u32(o, p->lines[i].line);
            u32(o, p->lines[i].col);
        }
        break;
    case SEC_RETAIN:
        count = p->nretains;
        for (uint32_t i = 0; i < count; i++) {
            u32(o, p->retains[i].rule);
            u64(o, p->retains[i].mask);
            u8(o, p->retains[i].kind);
            u64(o, (uint64_t)p->retains[i].offset);
            u8(o, p->retains[i].pick);
            u64(o, p->retains[i].fields);
            u32(o, p->retains[i].filter);
        }
        break;
    }
    return count;
}

unsigned char *bc_write(const Program *p, size_t *size)
{
    Out o = {0};
    enum { NSEC = SEC_COUNT_PLUS_ONE - 1 };
    put(&o, bc_magic, 8);
    u32(&o, BC_VERSION);
    u32(&o, BC_HEADER_SIZE);
    u32(&o, 0); /* file size, patched */
    u32(&o, NSEC);
    u32(&o, 0); /* checksum, patched */
    u32(&o, 0); /* flags */
    size_t table_at = o.len;
    for (int i = 0; i < NSEC * 4; i++) u32(&o, 0);
    for (int id = 1; id <= NSEC; id++) {
        size_t start = o.len;
        uint32_t count = write_section(&o, p, id);
        if (o.failed) break;
        unsigned char *e = o.data + table_at + (size_t)(id - 1) * BC_SECTION_ENTRY_SIZE;
        put_u32_at(e, (uint32_t)id);
        put_u32_at(e + 4, (uint32_t)start);
        put_u32_at(e + 8, (uint32_t)(o.len - start));
        put_u32_at(e + 12, count);
    }
    if (o.failed || o.len > BC_MAX_FILE_SIZE) { free(o.data); return NULL; }
    put_u32_at(o.data + 16, (uint32_t)o.len);
    put_u32_at(o.data + 24, bc_crc32(o.data, o.len));
    *size = o.len;
    return o.data;
}

/* ---- reading ------------------------------------------------------------------ */

typedef struct In {
    const unsigned char *data;
    size_t pos, end;
    const char *section;
    char *err;
    size_t errsize;
    bool failed;
} In;

static void in_fail(In *in, const char *fmt, ...)
{
    if (in->failed) return;
    in->failed = true;
    int n = snprintf(in->err, in->errsize, "section %s: ", in->section);
    va_list ap;
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < in->errsize) vsnprintf(in->err + n, in->errsize - (size_t)n, fmt, ap);
    va_end(ap);
}

static bool need(In *in, size_t n)
{
    if (in->failed) return false;
    if (in->end - in->pos < n) {
        in_fail(in, "truncated at byte %zu (needs %zu more, has %zu)", in->pos, n, in->end - in->pos);
        return false;
    }
    return true;
}

static uint8_t r8(In *in)
{
    if (!need(in, 1)) return 0;
    return in->data[in->pos++];
}
static uint16_t r16(In *in)
{
    if (!need(in, 2)) return 0;
    uint16_t v = (uint16_t)(in->data[in->pos] | in->data[in->pos + 1] << 8);
    in->pos += 2;
    return v;
}
static uint32_t r32(In *in)
{
    if (!need(in, 4)) return 0;
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) v |= (uint32_t)in->data[in->pos + i] << (8 * i);
    in->pos += 4;
    return v;
}
static uint64_t r64(In *in)
{
    if (!need(in, 8)) return 0;
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v |= (uint64_t)in->data[in->pos + i] << (8 * i);
    in->pos += 8;
    return v;
}

/* An array of count elements of at least min_size bytes each: refuses counts
 * the remaining bytes cannot hold before allocating anything. */
static void *arr(In *in, Arena *a, uint32_t count, size_t min_size, size_t elem_size)
{
    if (in->failed) return NULL;
    if (min_size && (in->end - in->pos) / min_size < count) {
        in_fail(in, "count %u does not fit in the %zu bytes left", count, in->end - in->pos);
        return NULL;
    }
    return arena_alloc(a, elem_size * ((size_t)count + 1));
}

static bool valid_utf8(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        size_t len;
        if (c == 0) return false;
        if (c < 0x80) { i++; continue; }
        if (c >= 0xC2 && c <= 0xDF) len = 2;
        else if (c >= 0xE0 && c <= 0xEF) len = 3;
        else if (c >= 0xF0 && c <= 0xF4) len = 4;
        else return false;
        if (n - i < len) return false;
        for (size_t k = 1; k < len; k++)
            if ((s[i + k] & 0xC0) != 0x80) return false;
        if (len == 3 && ((c == 0xE0 && s[i + 1] < 0xA0) || (c == 0xED && s[i + 1] > 0x9F))) return false;
        if (len == 4 && ((c == 0xF0 && s[i + 1] < 0x90) || (c == 0xF4 && s[i + 1] > 0x8F))) return false;
        i += len;
    }
    return true;
}

static void read_table(In *in, Arena *a, ZTable *t)
{
    t->kind = r8(in);
    t->name = r32(in);
    t->table = r32(in);
    t->key = (int32_t)r32(in);
    t->nfields = r32(in);
    t->fields = arr(in, a, t->nfields, 10, sizeof(ZField));
    for (uint32_t i = 0; i < t->nfields && !in->failed; i++) {
        t->fields[i].name = r32(in);
        t->fields[i].column = r32(in);
        t->fields[i].type = r8(in);
        t->fields[i].optional = r8(in);
    }
}

static void read_section(In *in, Program *p, int id, uint32_t count)
{
    Arena *a = &p->arena;
    switch (id) {
    case SEC_STRS:
        p->nstrings = count;
        p->strings = arr(in, a, count, 4, sizeof(char *));
        p->string_lens = arr(in, a, count, 4, sizeof(uint32_t));
        for (uint32_t i = 0; i < count && !in->failed; i++) {
            uint32_t len = r32(in);
            if (!need(in, len)) return;
            if (!valid_utf8(in->data + in->pos, len)) { in_fail(in, "string %u is not valid UTF-8 (or holds NUL)", i); return; }
            p->strings[i] = arena_strndup(a, (const char *)in->data + in->pos, len);
            p->string_lens[i] = len;
            in->pos += len;
        }
        if (count == 0) in_fail(in, "no strings (string 0 must be the empty string)");
        else if (!in->failed && p->string_lens[0] != 0) in_fail(in, "string 0 is not the empty string");
        break;
    case SEC_CONSTS:
        p->nconsts = count;
        p->consts = arr(in, a, count, 9, sizeof(ZConst));
        for (uint32_t i = 0; i < count && !in->failed; i++) {
            p->consts[i].kind = r8(in);
            p->consts[i].value = (int64_t)r64(in);
        }
        break;
    case SEC_META:
        if (count != 1) { in_fail(in, "count %u, expected 1", count); return; }
        p->meta.name = r32(in);
        p->meta.title = r32(in);
        p->meta.document = r32(in);
        p->meta.effective = (int64_t)r64(in);
        p->meta.tz_offset = (int32_t)r32(in);
        p->meta.units_column = r32(in);
        p->meta.nfiles = r32(in);
        p->meta.files = arr(in, a, p->meta.nfiles, 4, sizeof(uint32_t));
        for (uint32_t i = 0; i < p->meta.nfiles && !in->failed; i++) p->meta.files[i] = r32(in);
        break;
    case SEC_LOG:
        if (count != 1) { in_fail(in, "count %u, expected 1", count); return; }
        read_table(in, a, &p->log);
        break;
    case SEC_EVTYPES:
        p->nevent_types = count;
        p->event_types = arr(in, a, count, 16, sizeof(ZEventType));
        for (uint32_t i = 0; i < count && !in->failed; i++) {
            p->event_types[i].name = r32(in);
            p->event_types[i].value = r32(in);
            p->event_types[i].fields = r64(in);
        }
        break;
    case SEC_TABLES:
        p->ntables = count;
        p->tables = arr(in, a, count, 17, sizeof(ZTable));
        for (uint32_t i = 0; i < count && !in->failed; i++) read_table(in, a, &p->tables[i]);
        break;
    case SEC_PARAMS:
        p->nparams = count;
        p->params = arr(in, a, count, 9, sizeof(ZParam));
        for (uint32_t i = 0; i < count && !in->failed; i++) {
            p->params[i].name = r32(in);
            p->params[i].type = r8(in);
            p->params[i].value = r32(in);
        }
        break;
    case SEC_RULES:
        p->nrules = count;
        p->rules = arr(in, a, count, 75, sizeof(ZRule));
        for (uint32_t i = 0; i < count && !in->failed; i++) {
            ZRule *r = &p->rules[i];
            r->name = r32(in);
            r->ntags = r32(in);
            r->tags = arr(in, a, r->ntags, 4, sizeof(uint32_t));
            for (uint32_t k = 0; k < r->ntags && !in->failed; k++) r->tags[k] = r32(in);
            r->nclauses = r32(in);
            r->clauses = arr(in, a, r->nclauses, 8, sizeof(ZClauseRef));
            for (uint32_t k = 0; k < r->nclauses && !in->failed; k++) {
                r->clauses[k].id = r32(in);
                r->clauses[k].text = r32(in);
            }
            r->severity = r8(in);
            r->disabled = r8(in);
            r->disabled_reason = r32(in);
            r->message = r32(in);
            r->file = r16(in);
            r->line = r32(in);
            r->col = r32(in);
            r->periodic = r8(in);
            r->trigger_mask = r64(in);
            r->trigger_filter = r32(in);
            r->period = r8(in);
            r->weeks = r32(in);
            r->anchor = r8(in);
            r->anchor_const = r32(in);
            r->period_table = r32(in);
            r->period_filter = r32(in);
            r->unless_table = r32(in);
            r->unless_filter = r32(in);
            r->body = r32(in);
        }
        break;
    case SEC_FUNCS:
        p->nfuncs = count;
        p->funcs = arr(in, a, count, 17, sizeof(ZFunc));
        for (uint32_t i = 0; i < count && !in->failed; i++) {
            ZFunc *f = &p->funcs[i];
            f->start = r32(in);
            f->count = r32(in);
            f->nslots = r16(in);
            f->max_stack = r16(in);
            f->kind = r8(in);
            f->rule = r32(in);
        }
        break;
    case SEC_CODE:
        p->ninsns = count;
        p->code = arr(in, a, count, 8, sizeof(Insn));
        for (uint32_t i = 0; i < count && !in->failed; i++) {
            p->code[i].op = r8(in);
            p->code[i].a = r8(in);
            p->code[i].b = r16(in);
            p->code[i].c = r32(in);
        }
        break;
    case SEC_LINES:
        if (count != p->ninsns) { in_fail(in, "%u line entries for %u instructions", count, p->ninsns); return; }
        p->lines = arr(in, a, count, 10, sizeof(ZLine));
        for (uint32_t i = 0; i < count && !in->failed; i++) {
            p->lines[i].file = r16(in);
            p->lines[i].line = r32(in);
            p->lines[i].col = r32(in);
        }
        break;
    case SEC_RETAIN:
        p->nretains = count;
        p->retains = arr(in, a, count, 34, sizeof(ZRetain));
        for (uint32_t i = 0; i < count && !in->failed; i++) {
            p->retains[i].rule = r32(in);
            p->retains[i].mask = r64(in);
            p->retains[i].kind = r8(in);
            p->retains[i].offset = (int64_t)r64(in);
            p->retains[i].pick = r8(in);
            p->retains[i].fields = r64(in);
            p->retains[i].filter = r32(in);
        }
        break;
    }
    if (!in->failed && in->pos != in->end) in_fail(in, "%zu bytes left over after %u entries", in->end - in->pos, count);
}

static uint32_t le32(const unsigned char *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }

static int header_fail(char *err, size_t size, const char *fmt, ...)
{
    int n = snprintf(err, size, "header: ");
    va_list ap;
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < size) vsnprintf(err + n, size - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

static int check_header(const unsigned char *d, size_t size, char *err, size_t errsize)
{
    if (size < 8 || memcmp(d, bc_magic, 8) != 0) {
        if (size >= 4 && d[0] == 0x89 && d[1] == 'Z' && d[2] == 'D' && d[3] == 'B')
            return header_fail(err, errsize, "the magic bytes were altered (line endings converted by a text-mode transfer?)");
        return header_fail(err, errsize, "not a zhidu bytecode file (bad magic bytes)");
    }
    if (size < BC_HEADER_SIZE) return header_fail(err, errsize, "truncated: %zu bytes, the header alone has %d", size, BC_HEADER_SIZE);
    uint32_t version = le32(d + 8);
    if (version > BC_VERSION)
        return header_fail(err, errsize, "format version %u is newer than this zhidu reads (%d): recompile the policy or upgrade zhidu",
                           version, BC_VERSION);
    if (version < BC_VERSION)
        return header_fail(err, errsize, "format version %u is older than this zhidu reads (%d): recompile the policy", version,
                           BC_VERSION);
    if (le32(d + 12) != BC_HEADER_SIZE) return header_fail(err, errsize, "header size %u, expected %d", le32(d + 12), BC_HEADER_SIZE);
    if (le32(d + 16) != size)
        return header_fail(err, errsize, "the file has %zu bytes but says it has %u (truncated or padded)", size, le32(d + 16));
    if (size > BC_MAX_FILE_SIZE) return header_fail(err, errsize, "file larger than %d bytes", BC_MAX_FILE_SIZE);
    unsigned char *copy = malloc(size);
    if (!copy) return header_fail(err, errsize, "out of memory");
    memcpy(copy, d, size);
    memset(copy + 24, 0, 4);
    uint32_t crc = bc_crc32(copy, size);
    free(copy);
    if (crc != le32(d + 24)) return header_fail(err, errsize, "checksum mismatch (stored %08x, computed %08x): the file is corrupt", le32(d + 24), crc);
    if (le32(d + 28) != 0) return header_fail(err, errsize, "unknown flags %08x", le32(d + 28));
    return 0;
}

Program *bc_read(const unsigned char *d, size_t size, char *err, size_t errsize)
{
    if (check_header(d, size, err, errsize)) return NULL;
    uint32_t nsec = le32(d + 20);
    enum { NSEC = SEC_COUNT_PLUS_ONE - 1 };
    if (nsec != NSEC) { header_fail(err, errsize, "%u sections, expected %d", nsec, NSEC); return NULL; }
    size_t table_end = BC_HEADER_SIZE + (size_t)NSEC * BC_SECTION_ENTRY_SIZE;
    if (size < table_end) { header_fail(err, errsize, "truncated section table"); return NULL; }
    Program *p = program_new();
    if (!p) { header_fail(err, errsize, "out of memory"); return NULL; }
    size_t expect_off = table_end;
    for (int id = 1; id <= NSEC; id++) {
        const unsigned char *e = d + BC_HEADER_SIZE + (size_t)(id - 1) * BC_SECTION_ENTRY_SIZE;
        uint32_t sid = le32(e), off = le32(e + 4), len = le32(e + 8), count = le32(e + 12);
        In in = {d, off, (size_t)off + len, bc_section_name((uint32_t)id), err, errsize, false};
        if (sid != (uint32_t)id) { in_fail(&in, "section table entry %d has id %u, expected %d", id, sid, id); goto bad; }
        if (off != expect_off || (size_t)off + len > size) { in_fail(&in, "offset %u size %u outside the file or out of order", off, len); goto bad; }
        expect_off = (size_t)off + len;
        read_section(&in, p, id, count);
        if (in.failed) goto bad;
    }
    if (expect_off != size) { header_fail(err, errsize, "%zu bytes after the last section", size - expect_off); goto bad; }
    return p;
bad:
    program_free(p);
    return NULL;
}

Program *bc_load(const unsigned char *data, size_t size, char *err, size_t errsize)
{
    Program *p = bc_read(data, size, err, errsize);
    if (!p) return NULL;
    if (verify_program(p, err, errsize) != 0) {
        program_free(p);
        return NULL;
    }
    return p;
}

unsigned char *bc_read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, len = 0;
    unsigned char *buf = malloc(cap);
    while (buf && len <= (size_t)BC_MAX_FILE_SIZE) {
        if (len == cap) {
            unsigned char *nb = realloc(buf, cap * 2);
            if (!nb) { free(buf); buf = NULL; errno = ENOMEM; break; }
            buf = nb;
            cap *= 2;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0) break;
    }
    if (buf && ferror(f)) { free(buf); buf = NULL; errno = EIO; }
    fclose(f);
    if (buf) *size = len;
    return buf;
}
