/* bytecode.c - writing and reading .zbc files: little-endian fixed-width
 * integers, a header with magic, version, size and CRC-32, a section table,
 * and sections in a fixed order. The reader bounds-checks every read, sizes
 * no allocation by a field it has not checked against the bytes left, and
 * validates strings as UTF-8. Each record kind is described once (the BcRecord
 * tables below) and both directions walk that description. */
#include "bytecode.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
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

static void put_u32_at(unsigned char *at, uint32_t v)
{
    for (int i = 0; i < 4; i++) at[i] = (unsigned char)(v >> (8 * i));
}

/* ---- the records ------------------------------------------------------------- */

/* Each record kind is described once, field by field in file order; the writer
 * and the reader both walk these descriptions, and the smallest size a record
 * can have on disk (to refuse counts the bytes left cannot hold) is derived
 * from them. An integer field is as wide on disk as its member in memory
 * (little-endian); a list is a u32 count member followed by that many
 * elements of another record, pointed to by a second member. */
typedef struct BcRecord BcRecord;
typedef struct BcField {
    uint8_t width;           /* 1, 2, 4 or 8; 0 for a list */
    uint16_t at;             /* the member (a list: its pointer) */
    uint16_t count_at;       /* a list: its u32 count member */
    const BcRecord *elem;    /* a list: what its elements are */
} BcField;
struct BcRecord {
    const BcField *fields;
    uint32_t nfields;
    size_t size;             /* in memory */
};

#define INT(T, m) {sizeof(((T *)0)->m), offsetof(T, m), 0, NULL}
#define LIST(T, n, m, rec) {0, offsetof(T, m), offsetof(T, n), &rec}
#define RECORD(T, f) {f, sizeof f / sizeof *f, sizeof(T)}

static const BcField u32_fields[] = {{4, 0, 0, NULL}};
static const BcRecord u32_rec = {u32_fields, 1, sizeof(uint32_t)};
static const BcField const_fields[] = {INT(ZConst, kind), INT(ZConst, value)};
static const BcRecord const_rec = RECORD(ZConst, const_fields);
static const BcField meta_fields[] = {INT(ZMeta, name), INT(ZMeta, title), INT(ZMeta, document), INT(ZMeta, effective),
                                      INT(ZMeta, tz_offset), INT(ZMeta, units_column), LIST(ZMeta, nfiles, files, u32_rec)};
static const BcRecord meta_rec = RECORD(ZMeta, meta_fields);
static const BcField field_fields[] = {INT(ZField, name), INT(ZField, column), INT(ZField, type), INT(ZField, optional)};
static const BcRecord field_rec = RECORD(ZField, field_fields);
static const BcField table_fields[] = {INT(ZTable, kind), INT(ZTable, name), INT(ZTable, table), INT(ZTable, key),
                                       LIST(ZTable, nfields, fields, field_rec)};
static const BcRecord table_rec = RECORD(ZTable, table_fields);
static const BcField evtype_fields[] = {INT(ZEventType, name), INT(ZEventType, value), INT(ZEventType, fields)};
static const BcRecord evtype_rec = RECORD(ZEventType, evtype_fields);
static const BcField param_fields[] = {INT(ZParam, name), INT(ZParam, type), INT(ZParam, value)};
static const BcRecord param_rec = RECORD(ZParam, param_fields);
static const BcField clause_fields[] = {INT(ZClauseRef, id), INT(ZClauseRef, text)};
static const BcRecord clause_rec = RECORD(ZClauseRef, clause_fields);
static const BcField rule_fields[] = {
    INT(ZRule, name), LIST(ZRule, ntags, tags, u32_rec), LIST(ZRule, nclauses, clauses, clause_rec), INT(ZRule, severity),
    INT(ZRule, disabled), INT(ZRule, disabled_reason), INT(ZRule, message), INT(ZRule, file), INT(ZRule, line),
    INT(ZRule, col), INT(ZRule, periodic), INT(ZRule, trigger_mask), INT(ZRule, trigger_filter), INT(ZRule, period),
    INT(ZRule, weeks), INT(ZRule, anchor), INT(ZRule, anchor_const), INT(ZRule, period_table), INT(ZRule, period_filter),
    INT(ZRule, unless_table), INT(ZRule, unless_filter), INT(ZRule, body)};
static const BcRecord rule_rec = RECORD(ZRule, rule_fields);
static const BcField func_fields[] = {INT(ZFunc, start), INT(ZFunc, count), INT(ZFunc, nslots), INT(ZFunc, max_stack),
                                      INT(ZFunc, kind), INT(ZFunc, rule)};
static const BcRecord func_rec = RECORD(ZFunc, func_fields);
static const BcField insn_fields[] = {INT(Insn, op), INT(Insn, a), INT(Insn, b), INT(Insn, c)};
static const BcRecord insn_rec = RECORD(Insn, insn_fields);
static const BcField line_fields[] = {INT(ZLine, file), INT(ZLine, line), INT(ZLine, col)};
static const BcRecord line_rec = RECORD(ZLine, line_fields);
static const BcField retain_fields[] = {INT(ZRetain, rule), INT(ZRetain, mask), INT(ZRetain, kind), INT(ZRetain, offset),
                                        INT(ZRetain, pick), INT(ZRetain, fields), INT(ZRetain, filter)};
static const BcRecord retain_rec = RECORD(ZRetain, retain_fields);

/* The sections after the strings, in file order: either one record held in
 * the Program (count 1), or an array of records with its count member. */
typedef struct BcSectionDesc {
    const BcRecord *rec;
    bool single;
    uint16_t at;             /* the record, or the array's pointer */
    uint16_t count_at;       /* an array's u32 count member */
} BcSectionDesc;

#define ONE(m, rec) {&rec, true, offsetof(Program, m), 0}
#define MANY(n, m, rec) {&rec, false, offsetof(Program, m), offsetof(Program, n)}
static const BcSectionDesc sections[SEC_COUNT_PLUS_ONE] = {
    [SEC_CONSTS] = MANY(nconsts, consts, const_rec),    [SEC_META] = ONE(meta, meta_rec),
    [SEC_LOG] = ONE(log, table_rec),                    [SEC_EVTYPES] = MANY(nevent_types, event_types, evtype_rec),
    [SEC_TABLES] = MANY(ntables, tables, table_rec),    [SEC_PARAMS] = MANY(nparams, params, param_rec),
    [SEC_RULES] = MANY(nrules, rules, rule_rec),        [SEC_FUNCS] = MANY(nfuncs, funcs, func_rec),
    [SEC_CODE] = MANY(ninsns, code, insn_rec),          [SEC_LINES] = MANY(ninsns, lines, line_rec),
    [SEC_RETAIN] = MANY(nretains, retains, retain_rec),
};

/* The fewest bytes a record takes on disk: its integers and list counts. */
static size_t min_size(const BcRecord *rec)
{
    size_t n = 0;
    for (uint32_t i = 0; i < rec->nfields; i++) n += rec->fields[i].width ? rec->fields[i].width : 4;
    return n;
}

static uint32_t get_u32(const void *base, size_t at)
{
    uint32_t v;
    memcpy(&v, (const char *)base + at, 4);
    return v;
}

static void *get_ptr(const void *base, size_t at)
{
    void *v;
    memcpy(&v, (const char *)base + at, sizeof v);
    return v;
}

/* ---- writing ------------------------------------------------------------------ */

static void put_int(Out *o, const void *member, unsigned width)
{
    uint64_t v = 0;
    switch (width) {
    case 1: { uint8_t x; memcpy(&x, member, 1); v = x; break; }
    case 2: { uint16_t x; memcpy(&x, member, 2); v = x; break; }
    case 4: { uint32_t x; memcpy(&x, member, 4); v = x; break; }
    default: memcpy(&v, member, 8); break;
    }
    unsigned char b[8];
    for (unsigned i = 0; i < width; i++) b[i] = (unsigned char)(v >> (8 * i));
    put(o, b, width);
}

static void put_u32(Out *o, uint32_t v) { put_int(o, &v, 4); }

static void write_record(Out *o, const BcRecord *rec, const void *r)
{
    for (uint32_t i = 0; i < rec->nfields; i++) {
        const BcField *f = &rec->fields[i];
        if (f->width) { put_int(o, (const char *)r + f->at, f->width); continue; }
        uint32_t n = get_u32(r, f->count_at);
        const char *elems = get_ptr(r, f->at);
        put_u32(o, n);
        for (uint32_t k = 0; k < n; k++) write_record(o, f->elem, elems + (size_t)k * f->elem->size);
    }
}

static uint32_t write_section(Out *o, const Program *p, int id)
{
    if (id == SEC_STRS) {
        for (uint32_t i = 0; i < p->nstrings; i++) {
            put_u32(o, p->string_lens[i]);
            put(o, p->strings[i], p->string_lens[i]);
        }
        return p->nstrings;
    }
    const BcSectionDesc *s = &sections[id];
    if (s->single) {
        write_record(o, s->rec, (const char *)p + s->at);
        return 1;
    }
    uint32_t n = get_u32(p, s->count_at);
    const char *elems = get_ptr(p, s->at);
    for (uint32_t i = 0; i < n; i++) write_record(o, s->rec, elems + (size_t)i * s->rec->size);
    return n;
}

unsigned char *bc_write(const Program *p, size_t *size)
{
    Out o = {0};
    enum { NSEC = SEC_COUNT_PLUS_ONE - 1 };
    put(&o, bc_magic, 8);
    put_u32(&o, BC_VERSION);
    put_u32(&o, BC_HEADER_SIZE);
    put_u32(&o, 0); /* file size, patched */
    put_u32(&o, NSEC);
    put_u32(&o, 0); /* checksum, patched */
    put_u32(&o, 0); /* flags */
    size_t table_at = o.len;
    for (int i = 0; i < NSEC * 4; i++) put_u32(&o, 0);
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
    Lang lang;
} In;

static void in_fail(In *in, MsgId msg, ...)
{
    if (in->failed) return;
    in->failed = true;
    int n = snprintf(in->err, in->errsize, "section %s: ", in->section);
    va_list ap;
    va_start(ap, msg);
    if (n >= 0 && (size_t)n < in->errsize) vsnprintf(in->err + n, in->errsize - (size_t)n, msg_text(in->lang, msg), ap);
    va_end(ap);
}

static bool need(In *in, size_t n)
{
    if (in->failed) return false;
    if (in->end - in->pos < n) {
        in_fail(in, MSG_BC_IN_TRUNCATED, in->pos, n, in->end - in->pos);
        return false;
    }
    return true;
}

/* Reads a little-endian integer of width bytes into the member at. */
static void read_int(In *in, void *member, unsigned width)
{
    if (!need(in, width)) return;
    uint64_t v = 0;
    for (unsigned i = 0; i < width; i++) v |= (uint64_t)in->data[in->pos + i] << (8 * i);
    in->pos += width;
    switch (width) {
    case 1: { uint8_t x = (uint8_t)v; memcpy(member, &x, 1); break; }
    case 2: { uint16_t x = (uint16_t)v; memcpy(member, &x, 2); break; }
    case 4: { uint32_t x = (uint32_t)v; memcpy(member, &x, 4); break; }
    default: memcpy(member, &v, 8); break;
    }
}

static uint32_t r32(In *in)
{
    uint32_t v = 0;
    read_int(in, &v, 4);
    return v;
}

/* An array of count elements of at least min_size bytes each: refuses counts
 * the remaining bytes cannot hold before allocating anything. */
static void *arr(In *in, Arena *a, uint32_t count, size_t min_bytes, size_t elem_size)
{
    if (in->failed) return NULL;
    if (min_bytes && (in->end - in->pos) / min_bytes < count) {
        in_fail(in, MSG_BC_IN_COUNT, count, in->end - in->pos);
        return NULL;
    }
    void *p = arena_alloc(a, elem_size * ((size_t)count + 1));
    if (!p) in_fail(in, MSG_BC_IN_OOM_ENTRIES, count);
    return p;
}

static void read_record(In *in, Arena *a, const BcRecord *rec, void *r);

/* count records into a new array (its place checked against the bytes left). */
static void *read_array(In *in, Arena *a, const BcRecord *rec, uint32_t count)
{
    char *elems = arr(in, a, count, min_size(rec), rec->size);
    for (uint32_t k = 0; k < count && !in->failed; k++) read_record(in, a, rec, elems + (size_t)k * rec->size);
    return elems;
}

static void read_record(In *in, Arena *a, const BcRecord *rec, void *r)
{
    for (uint32_t i = 0; i < rec->nfields && !in->failed; i++) {
        const BcField *f = &rec->fields[i];
        if (f->width) { read_int(in, (char *)r + f->at, f->width); continue; }
        uint32_t n = r32(in);
        memcpy((char *)r + f->count_at, &n, 4);
        void *elems = read_array(in, a, f->elem, n);
        memcpy((char *)r + f->at, &elems, sizeof elems);
    }
}

static void read_strings(In *in, Program *p, uint32_t count)
{
    Arena *a = &p->arena;
    p->nstrings = count;
    p->strings = arr(in, a, count, 4, sizeof(char *));
    p->string_lens = arr(in, a, count, 4, sizeof(uint32_t));
    for (uint32_t i = 0; i < count && !in->failed; i++) {
        uint32_t len = r32(in);
        if (!need(in, len)) return;
        if (utf8_invalid_at((const char *)in->data + in->pos, len) >= 0) { in_fail(in, MSG_BC_IN_STRING_UTF8, i); return; }
        char *s = arena_alloc(a, (size_t)len + 1);
        if (!s) { in_fail(in, MSG_BC_IN_OOM_STRING, i); return; }
        memcpy(s, in->data + in->pos, len);
        p->strings[i] = s;
        p->string_lens[i] = len;
        in->pos += len;
    }
    if (count == 0) in_fail(in, MSG_BC_IN_NO_STRINGS);
    else if (!in->failed && p->string_lens[0] != 0) in_fail(in, MSG_BC_IN_STRING0);
}

static void read_section(In *in, Program *p, int id, uint32_t count)
{
    const BcSectionDesc *s = &sections[id];
    if (id == SEC_STRS) read_strings(in, p, count);
    else if (s->single) {
        if (count != 1) { in_fail(in, MSG_BC_IN_COUNT_ONE, count); return; }
        read_record(in, &p->arena, s->rec, (char *)p + s->at);
    } else {
        if (id == SEC_LINES && count != p->ninsns) { in_fail(in, MSG_BC_IN_LINES, count, p->ninsns); return; }
        memcpy((char *)p + s->count_at, &count, 4);
        void *elems = read_array(in, &p->arena, s->rec, count);
        memcpy((char *)p + s->at, &elems, sizeof elems);
    }
    if (!in->failed && in->pos != in->end) in_fail(in, MSG_BC_IN_LEFT_OVER, in->end - in->pos, count);
}

static uint32_t le32(const unsigned char *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }

static int header_fail(Lang lang, char *err, size_t size, const char *fmt, ...)
{
    int n = snprintf(err, size, "%s", msg_text(lang, MSG_BC_HEADER));
    va_list ap;
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < size) vsnprintf(err + n, size - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

static int check_header(const unsigned char *d, size_t size, Lang lang, char *err, size_t errsize)
{
    if (size < 8 || memcmp(d, bc_magic, 8) != 0) {
        if (size >= 4 && d[0] == 0x89 && d[1] == 'Z' && d[2] == 'D' && d[3] == 'B')
            return header_fail(lang, err, errsize, "%s", msg_text(lang, MSG_BC_MAGIC_ALTERED));
        return header_fail(lang, err, errsize, "%s", msg_text(lang, MSG_BC_MAGIC));
    }
    if (size < BC_HEADER_SIZE) return header_fail(lang, err, errsize, msg_text(lang, MSG_BC_TRUNCATED), size, BC_HEADER_SIZE);
    uint32_t version = le32(d + 8);
    if (version > BC_VERSION)
        return header_fail(lang, err, errsize, msg_text(lang, MSG_BC_NEWER),
                           version, BC_VERSION);
    if (version < BC_VERSION)
        return header_fail(lang, err, errsize, msg_text(lang, MSG_BC_OLDER), version,
                           BC_VERSION);
    if (le32(d + 12) != BC_HEADER_SIZE) return header_fail(lang, err, errsize, msg_text(lang, MSG_BC_HEADER_SIZE), le32(d + 12), BC_HEADER_SIZE);
    if (le32(d + 16) != size)
        return header_fail(lang, err, errsize, msg_text(lang, MSG_BC_SIZE), size, le32(d + 16));
    if (size > BC_MAX_FILE_SIZE) return header_fail(lang, err, errsize, msg_text(lang, MSG_BC_TOO_LARGE), BC_MAX_FILE_SIZE);
    unsigned char *copy = malloc(size);
    if (!copy) return header_fail(lang, err, errsize, "%s", msg_text(lang, MSG_OOM));
    memcpy(copy, d, size);
    memset(copy + 24, 0, 4);
    uint32_t crc = bc_crc32(copy, size);
    free(copy);
    if (crc != le32(d + 24)) return header_fail(lang, err, errsize, msg_text(lang, MSG_BC_CHECKSUM), le32(d + 24), crc);
    if (le32(d + 28) != 0) return header_fail(lang, err, errsize, msg_text(lang, MSG_BC_FLAGS), le32(d + 28));
    return 0;
}

static Program *read_program(const unsigned char *d, size_t size, Lang lang, char *err, size_t errsize)
{
    if (check_header(d, size, lang, err, errsize)) return NULL;
    uint32_t nsec = le32(d + 20);
    enum { NSEC = SEC_COUNT_PLUS_ONE - 1 };
    if (nsec != NSEC) { header_fail(lang, err, errsize, msg_text(lang, MSG_BC_NSECTIONS), nsec, NSEC); return NULL; }
    size_t table_end = BC_HEADER_SIZE + (size_t)NSEC * BC_SECTION_ENTRY_SIZE;
    if (size < table_end) { header_fail(lang, err, errsize, "%s", msg_text(lang, MSG_BC_SECTION_TABLE)); return NULL; }
    Program *p = program_new();
    if (!p) { header_fail(lang, err, errsize, "%s", msg_text(lang, MSG_OOM)); return NULL; }
    size_t expect_off = table_end;
    for (int id = 1; id <= NSEC; id++) {
        const unsigned char *e = d + BC_HEADER_SIZE + (size_t)(id - 1) * BC_SECTION_ENTRY_SIZE;
        uint32_t sid = le32(e), off = le32(e + 4), len = le32(e + 8), count = le32(e + 12);
        In in = {d, off, (size_t)off + len, bc_section_name((uint32_t)id), err, errsize, false, lang};
        if (sid != (uint32_t)id) { in_fail(&in, MSG_BC_IN_ENTRY_ID, id, sid, id); goto bad; }
        if (off != expect_off || (size_t)off + len > size) { in_fail(&in, MSG_BC_IN_OFFSET, off, len); goto bad; }
        expect_off = (size_t)off + len;
        read_section(&in, p, id, count);
        if (in.failed) goto bad;
    }
    if (expect_off != size) { header_fail(lang, err, errsize, msg_text(lang, MSG_BC_TRAILING), size - expect_off); goto bad; }
    return p;
bad:
    program_free(p);
    return NULL;
}

Program *bc_read(const unsigned char *d, size_t size, char *err, size_t errsize)
{
    return read_program(d, size, LANG_EN, err, errsize);
}

Program *bc_load(const unsigned char *data, size_t size, char *err, size_t errsize)
{
    return bc_load_in(data, size, LANG_EN, err, errsize);
}

Program *bc_load_in(const unsigned char *data, size_t size, Lang lang, char *err, size_t errsize)
{
    Program *p = read_program(data, size, lang, err, errsize);
    if (!p) return NULL;
    if (verify_program_in(p, lang, err, errsize) != 0) {
        program_free(p);
        return NULL;
    }
    return p;
}
