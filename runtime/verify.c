/* verify.c - the bytecode verifier (see verify.h). Rejections name the
 * instruction or section and say what is wrong; nothing is executed. */
#include "verify.h"

#include "limits.h"
#include "msg.h"
#include "ztime.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(Lang lang, char *err, size_t size, MsgId msg, ...)
{
    va_list ap;
    va_start(ap, msg);
    vsnprintf(err, size, msg_text(lang, msg), ap);
    va_end(ap);
    return -1;
}

static bool is_next(uint8_t op)
{
    return op == ZOP_ITER_NEXT || op == ZOP_PAIR_NEXT || op == ZOP_SCAN_NEXT || op == ZOP_ROWS_NEXT;
}
static bool is_init(uint8_t op)
{
    return op == ZOP_ITER_INIT || op == ZOP_PAIR_INIT || zop_is_scan_init(op) || op == ZOP_ROWS_INIT;
}

/* Slots an instruction writes: [*lo, *hi]; false when none. */
static bool writes(const Insn *in, uint32_t *lo, uint32_t *hi)
{
    switch (in->op) {
    case ZOP_STORE: case ZOP_ITER_NEXT: case ZOP_SCAN_NEXT: case ZOP_ROWS_NEXT: *lo = *hi = in->a; return true;
    case ZOP_PAIR_NEXT: *lo = in->a; *hi = in->a + 1u; return true;
    case ZOP_ITER_INIT: case ZOP_SCAN_INIT: case ZOP_SCAN_INIT_EQ: case ZOP_SCAN_INIT_IN: case ZOP_SCAN_INIT_EQ_IN:
    case ZOP_ROWS_INIT:
        *lo = in->a;
        *hi = in->a + 1u;
        return true;
    case ZOP_PAIR_INIT: *lo = in->a; *hi = in->a + 2u; return true;
    default: return false;
    }
}

/* The hidden iterator-state slot of an *_INIT or *_NEXT. */
static uint32_t state_slot(const Insn *in)
{
    return in->op == ZOP_PAIR_INIT || in->op == ZOP_PAIR_NEXT ? in->a + 2u : in->a + 1u;
}

static int pops_of(const Insn *in)
{
    int pops = opcode_info[in->op].pops;
    if (pops >= 0) return pops;
    if (in->op == ZOP_MAKE_LIST) return in->b;
    if (in->op == ZOP_EARLIEST) return (in->a & 0x7F) + 1; /* the keys and the until */
    return in->b + 2; /* VIOLATE / PENDING: subjects, evidence, b parts */
}

int verify_stack_depth(const Insn *code, uint32_t count, uint32_t nslots, int kind, Lang lang, char *err, size_t errsize)
{
    if (count == 0) return fail(lang, err, errsize, V_EMPTY_FUNCTION);
    int *depth = malloc(sizeof(int) * count);
    bool *jumped_to = calloc(count, sizeof(bool));
    if (!depth || !jumped_to) { free(depth); free(jumped_to); return fail(lang, err, errsize, MSG_OOM); }
    for (uint32_t i = 0; i < count; i++) depth[i] = -1;
    depth[0] = 0;
    int max = 0, rc = 0;
    /* state slots may only be touched by their iterators */
    bool *is_state = calloc(nslots + 3u, sizeof(bool));
    if (!is_state) { free(depth); free(jumped_to); return fail(lang, err, errsize, MSG_OOM); }
    for (uint32_t i = 0; i < count; i++) {
        const Insn *in = &code[i];
        if (in->op >= OPCODE_COUNT) { rc = fail(lang, err, errsize, V_UNKNOWN_OPCODE, i, in->op); goto out; }
        if (is_init(in->op) || is_next(in->op)) {
            uint32_t s = state_slot(in);
            if (s >= nslots) { rc = fail(lang, err, errsize, V_ITERATOR_SLOT_OUT_RANGE, i, s, nslots); goto out; }
            is_state[s] = true;
        }
    }
#define MERGE(target, value)                                                                                       \
    do {                                                                                                           \
        uint32_t t_ = (target);                                                                                    \
        if (t_ >= count && t_ == i + 1) { rc = fail(lang, err, errsize, V_FALLS_OFF_END_FUNCTION, i); goto out; } \
        if (t_ >= count) { rc = fail(lang, err, errsize, V_JUMP_OUTSIDE_FUNCTION_INSNS, i, t_, count); goto out; } \
        if (depth[t_] < 0) depth[t_] = (value);                                                                     \
        else if (depth[t_] != (value)) { rc = fail(lang, err, errsize, V_STACK_DEPTH_MEETS_DEPTH, i, (value), depth[t_], t_); goto out; } \
    } while (0)
    for (uint32_t i = 0; i < count; i++) {
        const Insn *in = &code[i];
        const OpcodeInfo *info = &opcode_info[in->op];
        int d = depth[i];
        if (d < 0) { rc = fail(lang, err, errsize, V_UNREACHABLE, i); goto out; }
        /* operands that name local slots */
        if (info->layout == LAYOUT_SLOT || info->layout == LAYOUT_ITER || info->layout == LAYOUT_SCAN ||
            info->layout == LAYOUT_SCANF || info->layout == LAYOUT_SLOTF || info->layout == LAYOUT_TRACE ||
            info->layout == LAYOUT_ROWS) {
            if (in->a >= nslots) { rc = fail(lang, err, errsize, V_SLOT_OUT_RANGE_SLOTS, i, in->a, nslots); goto out; }
        }
        if ((in->op == ZOP_LOAD || in->op == ZOP_STORE) && is_state[in->a]) {
            rc = fail(lang, err, errsize, V_SLOT_HOLDS_ITERATOR_AND, i, in->a);
            goto out;
        }
        /* a scan's narrowings sit between its SCAN_INIT* and SCAN_NEXT, on its slot */
        uint32_t init = i;
        while (init > 0 && (is_next(in->op) || zop_is_scan_narrow(in->op)) && zop_is_scan_narrow(code[init - 1].op) &&
               code[init - 1].a == in->a && !jumped_to[init - 1])
            init--;
        if (zop_is_scan_narrow(in->op) &&
            (init == 0 || !zop_is_scan_init(code[init - 1].op) || code[init - 1].a != in->a || jumped_to[i])) {
            rc = fail(lang, err, errsize, V_DOES_NOT_DIRECTLY_FOLLOW, i, info->name);
            goto out;
        }
        if (is_next(in->op)) {
            if (init == 0 || !is_init(code[init - 1].op) || code[init - 1].a != in->a ||
                (in->op == ZOP_PAIR_NEXT) != (code[init - 1].op == ZOP_PAIR_INIT) ||
                (in->op == ZOP_SCAN_NEXT) != zop_is_scan_init(code[init - 1].op) ||
                (in->op == ZOP_ROWS_NEXT) != (code[init - 1].op == ZOP_ROWS_INIT)) {
                rc = fail(lang, err, errsize, V_DOES_NOT_DIRECTLY_FOLLOW_2, i, info->name);
                goto out;
            }
            if (jumped_to[i]) { rc = fail(lang, err, errsize, V_JUMP_ENTERS_LOOP_HEAD, i); goto out; }
        }
        int pops = pops_of(in);
        if (d < pops) { rc = fail(lang, err, errsize, V_NEEDS_STACK_VALUES_HAS, i, info->name, pops, d); goto out; }
        int nd = d - pops + info->pushes;
        if (nd > ZL_MAX_STACK) { rc = fail(lang, err, errsize, V_STACK_DEEPER_THAN, i, ZL_MAX_STACK) - 1; goto out; }
        if (nd > max) max = nd;
        switch (in->op) {
        case ZOP_JUMP:
        case ZOP_JUMP_IF_FALSE:
        case ZOP_JUMP_IF_TRUE:
            if (in->c <= i) { rc = fail(lang, err, errsize, V_BACKWARD_JUMP, i, in->c); goto out; }
            if (in->c < count) jumped_to[in->c] = true;
            MERGE(in->c, nd);
            if (in->op != ZOP_JUMP) MERGE(i + 1, nd);
            break;
        case ZOP_ITER_NEXT:
        case ZOP_PAIR_NEXT:
        case ZOP_SCAN_NEXT:
        case ZOP_ROWS_NEXT:
            if (in->c <= i) { rc = fail(lang, err, errsize, V_LOOP_EXIT_NOT_FORWARD, i, in->c); goto out; }
            if (in->c == 0 || in->c > count || code[in->c - 1].op != ZOP_LOOP || code[in->c - 1].c != i) {
                rc = fail(lang, err, errsize, V_LOOP_EXIT_DOES_NOT, i, in->c);
                goto out;
            }
            MERGE(in->c, nd);
            MERGE(i + 1, nd);
            break;
        case ZOP_LOOP: {
            uint32_t h = in->c;
            if (h >= i || !is_next(code[h].op) || code[h].c != i + 1) {
                rc = fail(lang, err, errsize, V_LOOP_MUST_GO_BACK, i);
                goto out;
            }
            if (depth[h] != nd) { rc = fail(lang, err, errsize, V_STACK_DEPTH_LOOP_HEAD, i, nd, depth[h]); goto out; }
            uint32_t s = state_slot(&code[h]);
            for (uint32_t j = h + 1; j < i; j++) {
                uint32_t lo, hi;
                if (writes(&code[j], &lo, &hi) && s >= lo && s <= hi) {
                    rc = fail(lang, err, errsize, V_OVERWRITES_ITERATOR_LOOP_INSN, j, h);
                    goto out;
                }
            }
            break;
        }
        case ZOP_RETURN:
            if (kind != ZF_BODY) { rc = fail(lang, err, errsize, V_RETURN_FILTER_FILTERS_END, i); goto out; }
            if (nd != 0) { rc = fail(lang, err, errsize, V_RETURN_WITH_VALUES_ON, i, nd); goto out; }
            break;
        case ZOP_RETURN_VALUE:
            if (kind == ZF_BODY) { rc = fail(lang, err, errsize, V_RETURN_VALUE_RULE_BODY, i); goto out; }
            if (nd != 0) { rc = fail(lang, err, errsize, V_RETURN_VALUE_WITH_VALUES, i, nd); goto out; }
            break;
        case ZOP_VIOLATE:
        case ZOP_PENDING:
            if (kind != ZF_BODY) { rc = fail(lang, err, errsize, V_OUTSIDE_RULE_BODY, i, info->name); goto out; }
            MERGE(i + 1, nd);
            break;
        default:
            MERGE(i + 1, nd);
            break;
        }
    }
    rc = max;
out:
#undef MERGE
    free(depth);
    free(jumped_to);
    free(is_state);
    return rc;
}

/* ---- whole program ---------------------------------------------------------- */

static bool valid_type(uint8_t t) { return (t & ~VT_LIST_FLAG) < VT_COUNT; }

static int check_table(const Program *p, const ZTable *t, const char *what, Lang lang, char *err, size_t size)
{
    if (t->name >= p->nstrings || t->table >= p->nstrings)
        return fail(lang, err, size, V_NAME_OUT_RANGE, what);
    const char *why = zl_table_name_problem(program_string(p, t->table));
    if (why) return fail(lang, err, size, V_TABLE_NAME, what, why);
    if (t->nfields > ZL_MAX_FIELDS) return fail(lang, err, size, V_FIELDS_MOST, what, t->nfields, ZL_MAX_FIELDS);
    for (uint32_t i = 0; i < t->nfields; i++) {
        const ZField *f = &t->fields[i];
        if (f->name >= p->nstrings || f->column >= p->nstrings)
            return fail(lang, err, size, V_FIELD_NAME_OUT_RANGE, what, i);
        if (!valid_type(f->type)) return fail(lang, err, size, V_FIELD_UNKNOWN_TYPE, what, i, f->type);
        if (f->optional > 1) return fail(lang, err, size, V_FIELD_BAD_OPTIONAL_FLAG, what, i);
        for (uint32_t j = 0; j < i; j++)
            if (t->fields[j].name == f->name) return fail(lang, err, size, V_FIELD_NAMED_TWICE, what, i);
    }
    static const char *required[ZT_KIND_COUNT][4] = {
        {"id", "time", "type", NULL}, {"person", "role", "from", "to"}, {NULL}, {"kind", "from", "to", NULL}};
    if (t->kind >= ZT_KIND_COUNT) return fail(lang, err, size, V_UNKNOWN_TABLE_KIND, what, t->kind);
    for (int k = 0; k < 4 && required[t->kind][k]; k++)
        if (zt_field(p, t, required[t->kind][k]) < 0)
            return fail(lang, err, size, V_TABLE_LACKS_FIELD, what, required[t->kind][k]);
    if (t->kind == ZT_KEYED ? (t->key < 0 || (uint32_t)t->key >= t->nfields) : t->key != -1)
        return fail(lang, err, size, V_BAD_KEY_FIELD, what, t->key);
    return 0;
}

static bool const_matches(uint8_t vt, uint8_t ck)
{
    switch (vt) {
    case VT_TIME: return ck == CONST_TIME;
    case VT_DURATION: return ck == CONST_DURATION;
    case VT_INT: return ck == CONST_INT;
    case VT_BOOL: return ck == CONST_BOOL;
    case VT_TEXT: case VT_ID: case VT_PERSON: case VT_ENUM: return ck == CONST_STR;
    default: return false;
    }
}

static int check_func_ref(const Program *p, uint32_t f, uint32_t rule, ZFuncKind kind, const char *what, Lang lang, char *err, size_t size)
{
    if (f == ZNONE) return 0;
    if (f >= p->nfuncs) return fail(lang, err, size, V_RULE_FUNCTION_OUT_RANGE, rule, what, f);
    if (p->funcs[f].kind != kind || p->funcs[f].rule != rule)
        return fail(lang, err, size, V_RULE_FUNCTION_NOT_ONE, rule, what, f, what);
    return 0;
}

/* EARLIEST: a type mask, and 1 to ZL_EARLIEST_KEYS key fields of the log
 * holding names (text, id, person, enum, or lists of them), as many as keys. */
static int check_earliest(const Program *p, uint32_t at, const Insn *in, Lang lang, char *err, size_t size)
{
    if (in->c >= p->nconsts || p->consts[in->c].kind != CONST_MASK)
        return fail(lang, err, size, V_OPERAND_NOT_EVENT_TYPE, at, in->c);
    if (p->nevent_types < 64 && ((uint64_t)p->consts[in->c].value >> p->nevent_types) != 0)
        return fail(lang, err, size, V_MASK_NAMES_EVENT_TYPES, at);
    uint64_t fields = in->b < p->nconsts && p->consts[in->b].kind == CONST_MASK ? (uint64_t)p->consts[in->b].value : 0;
    uint32_t n = (uint32_t)__builtin_popcountll(fields);
    bool ok = n >= 1 && n <= ZL_EARLIEST_KEYS && (p->log.nfields >= 64 || (fields >> p->log.nfields) == 0);
    for (uint32_t f = 0; ok && f < p->log.nfields && f < 64; f++) {
        uint8_t base = p->log.fields[f].type & ~VT_LIST_FLAG;
        if (fields >> f & 1) ok = base == VT_TEXT || base == VT_ID || base == VT_PERSON || base == VT_ENUM;
    }
    if (!ok) return fail(lang, err, size, V_EARLIEST_FIELDS, at, in->b, ZL_EARLIEST_KEYS);
    if ((in->a & 0x7Fu) != n) return fail(lang, err, size, V_EARLIEST_COUNT, at, in->a & 0x7Fu, n);
    return 0;
}

static int check_insn(const Program *p, uint32_t at, const Insn *in, Lang lang, char *err, size_t size)
{
    const OpcodeInfo *info = &opcode_info[in->op];
    const ZTable *t = NULL;
    switch (info->layout) {
    case LAYOUT_CONST:
        if (in->c >= p->nconsts) return fail(lang, err, size, V_CONSTANT_OUT_RANGE, at, in->c);
        break;
    case LAYOUT_PARAM:
        if (in->c >= p->nparams) return fail(lang, err, size, V_PARAMETER_OUT_RANGE, at, in->c);
        break;
    case LAYOUT_FIELD:
        if (in->c >= p->log.nfields) return fail(lang, err, size, V_LOG_FIELD_OUT_RANGE, at, in->c);
        break;
    case LAYOUT_TFIELD:
    case LAYOUT_TABLE:
    case LAYOUT_ROWS:
        if (in->b >= p->ntables) return fail(lang, err, size, V_TABLE_OUT_RANGE, at, in->b);
        t = &p->tables[in->b];
        if (info->layout == LAYOUT_TFIELD && in->c >= t->nfields)
            return fail(lang, err, size, V_FIELD_TABLE_OUT_RANGE, at, in->c, in->b);
        break;
    case LAYOUT_COUNT:
    case LAYOUT_EMIT:
        if (in->b > ZL_MAX_COUNT) return fail(lang, err, size, V_COUNT_TOO_LARGE, at, in->b);
        break;
    case LAYOUT_FORMAT:
        if (in->a >= FMT_COUNT) return fail(lang, err, size, V_UNKNOWN_FORMAT, at, in->a);
        break;
    case LAYOUT_TRACE:
        if (in->c >= p->ntrace) return fail(lang, err, size, V_TRACE_OUT_RANGE, at, in->c);
        break;
    case LAYOUT_SLOTF:
        if (in->b >= p->log.nfields) return fail(lang, err, size, V_LOG_FIELD_OUT_RANGE, at, in->b);
        break;
    case LAYOUT_SCANF:
        if (in->b >= p->log.nfields) return fail(lang, err, size, V_LOG_FIELD_OUT_RANGE, at, in->b);
        /* fall through */
    case LAYOUT_SCAN:
        if (in->c >= p->nconsts || p->consts[in->c].kind != CONST_MASK)
            return fail(lang, err, size, V_OPERAND_NOT_EVENT_TYPE, at, in->c);
        if (p->nevent_types < 64 && ((uint64_t)p->consts[in->c].value >> p->nevent_types) != 0)
            return fail(lang, err, size, V_MASK_NAMES_EVENT_TYPES, at);
        break;
    case LAYOUT_EARLY:
        return check_earliest(p, at, in, lang, err, size);
    default:
        break;
    }
    uint8_t want = 0xFF;
    switch (in->op) {
    case ZOP_ROW_FIELD:
        if (t->kind != ZT_KEYED && t->kind != ZT_CALENDAR) return fail(lang, err, size, V_ROW_FIELD_TABLE_WITHOUT, at);
        break;
    case ZOP_PERIOD_FIELD: want = ZT_CALENDAR; break;
    case ZOP_ROWS_INIT: want = ZT_CALENDAR; break;
    case ZOP_LOOKUP: want = ZT_KEYED; break;
    case ZOP_ROSTER_ATTR:
    case ZOP_ROLE_AT:
    case ZOP_ROLE_OVER: want = ZT_ROSTER; break;
    default: break;
    }
    if (want != 0xFF && t->kind != want) return fail(lang, err, size, V_ON_TABLE_WRONG_KIND, at, info->name);
    return 0;
}

int verify_program(const Program *p, char *err, size_t size) { return verify_program_in(p, LANG_EN, err, size); }

int verify_program_in(const Program *p, Lang lang, char *err, size_t size)
{
    for (uint32_t i = 0; i < p->nconsts; i++) {
        const ZConst *c = &p->consts[i];
        if (c->kind >= CONST_KIND_COUNT) return fail(lang, err, size, V_CONSTANT_UNKNOWN_KIND, i, c->kind);
        if (c->kind == CONST_STR && (c->value < 0 || (uint64_t)c->value >= p->nstrings))
            return fail(lang, err, size, V_CONSTANT_STRING_OUT_RANGE, i, (long long)c->value);
        if (c->kind == CONST_BOOL && (c->value < 0 || c->value > 1))
            return fail(lang, err, size, V_CONSTANT_BAD_BOOLEAN, i);
        if (c->kind == CONST_TIME && (c->value < ZT_MIN_TIME || c->value > ZT_MAX_TIME))
            return fail(lang, err, size, V_CONSTANT_TIME_OUTSIDE_YEARS, i);
    }
    const ZMeta *m = &p->meta;
    if (m->name >= p->nstrings || m->title >= p->nstrings || m->document >= p->nstrings ||
        (m->units_column != ZNONE && m->units_column >= p->nstrings))
        return fail(lang, err, size, V_STRING_OUT_RANGE);
    if (m->tz_offset < -ZL_MAX_TZ_OFFSET || m->tz_offset > ZL_MAX_TZ_OFFSET) return fail(lang, err, size, V_TIME_ZONE_OFFSET_OUT);
    if (m->effective < ZT_MIN_TIME || m->effective > ZT_MAX_TIME) return fail(lang, err, size, V_EFFECTIVE_DATE_OUTSIDE_YEARS);
    if (m->nfiles == 0) return fail(lang, err, size, V_NO_SOURCE_FILE);
    for (uint32_t i = 0; i < m->nfiles; i++)
        if (m->files[i] >= p->nstrings) return fail(lang, err, size, V_FILE_NAME_OUT_RANGE);
    if (p->log.nfields && check_table(p, &p->log, "log", lang, err, size)) return -1;
    if (p->log.kind != ZT_EVENTS) return fail(lang, err, size, V_NOT_EVENT_LOG);
    if (p->nevent_types > ZL_MAX_EVENT_TYPES) return fail(lang, err, size, V_EVENT_TYPES_MOST, p->nevent_types, ZL_MAX_EVENT_TYPES);
    for (uint32_t i = 0; i < p->nevent_types; i++) {
        const ZEventType *e = &p->event_types[i];
        if (e->name >= p->nstrings || e->value >= p->nstrings) return fail(lang, err, size, V_TYPE_NAME_OUT_RANGE, i);
        if (p->log.nfields < 64 && (e->fields >> p->log.nfields) != 0)
            return fail(lang, err, size, V_TYPE_CARRIES_FIELDS_LOG, i);
        for (uint32_t j = 0; j < i; j++)
            if (p->event_types[j].value == e->value) return fail(lang, err, size, V_TYPE_VALUE_GIVEN_TWICE, i);
    }
    int rosters = 0;
    for (uint32_t i = 0; i < p->ntables; i++) {
        if (p->tables[i].kind == ZT_EVENTS) return fail(lang, err, size, V_TABLE_SECOND_EVENT_LOG, i);
        rosters += p->tables[i].kind == ZT_ROSTER;
        char what[32];
        snprintf(what, sizeof what, "tables[%u]", i);
        if (check_table(p, &p->tables[i], what, lang, err, size)) return -1;
    }
    if (rosters > 1) return fail(lang, err, size, V_MORE_THAN_ONE_ROSTER);
    for (uint32_t i = 0; i < p->nparams; i++) {
        const ZParam *pa = &p->params[i];
        if (pa->name >= p->nstrings) return fail(lang, err, size, V_PARAM_NAME_OUT_RANGE, i);
        if (pa->type >= VT_COUNT) return fail(lang, err, size, V_PARAM_UNKNOWN_TYPE, i, pa->type);
        if (pa->value >= p->nconsts || !const_matches(pa->type, p->consts[pa->value].kind))
            return fail(lang, err, size, V_PARAM_VALUE_NOT_CONSTANT, i);
    }
    /* functions: inside the code, in order, without overlap */
    uint32_t next_start = 0;
    for (uint32_t i = 0; i < p->nfuncs; i++) {
        const ZFunc *f = &p->funcs[i];
        if (f->start != next_start) return fail(lang, err, size, V_FUNCTION_STARTS_EXPECTED, i, f->start, next_start);
        if (f->count == 0 || f->count > p->ninsns - f->start) return fail(lang, err, size, V_FUNCTION_EXCEEDS_CODE, i);
        next_start = f->start + f->count;
        if (f->kind >= ZF_KIND_COUNT) return fail(lang, err, size, V_FUNCTION_UNKNOWN_KIND, i);
        if (f->rule >= p->nrules) return fail(lang, err, size, V_FUNCTION_RULE_OUT_RANGE, i);
        if (f->nslots == 0 || f->nslots > 256) return fail(lang, err, size, V_FUNCTION_SLOTS, i, f->nslots);
        for (uint32_t k = 0; k < f->count; k++) {
            const Insn *in = &p->code[f->start + k];
            if (in->op >= OPCODE_COUNT) return fail(lang, err, size, V_UNKNOWN_OPCODE, f->start + k, in->op);
            if (check_insn(p, f->start + k, in, lang, err, size)) return -1;
            if (p->lines[f->start + k].file >= m->nfiles) return fail(lang, err, size, V_INSN_FILE_OUT_RANGE, f->start + k);
        }
        char sub[200];
        int depth = verify_stack_depth(p->code + f->start, f->count, f->nslots, f->kind, lang, sub, sizeof sub);
        if (depth < 0) {
            unsigned rel = 0;
            if (sscanf(sub, "insn %u:", &rel) == 1) {
                const char *colon = strchr(sub, ':');
                return fail(lang, err, size, V_SUB, f->start + rel, colon ? colon + 1 : sub);
            }
            return fail(lang, err, size, V_FUNCTION, i, sub);
        }
        if (depth > f->max_stack)
            return fail(lang, err, size, V_FUNCTION_NEEDS_STACK_DECLARES, i, depth, f->max_stack);
    }
    if (next_start != p->ninsns) return fail(lang, err, size, V_INSTRUCTIONS_BELONG_NO_FUNCTION, p->ninsns - next_start);
    uint64_t all_types = p->nevent_types >= 64 ? ~(uint64_t)0 : (((uint64_t)1 << p->nevent_types) - 1);
    uint32_t *owner = calloc(p->nfuncs + 1u, sizeof(uint32_t));
    if (!owner) return fail(lang, err, size, MSG_OOM);
    int rc = 0;
    for (uint32_t i = 0; i < p->nrules && rc == 0; i++) {
        const ZRule *r = &p->rules[i];
        if (r->name >= p->nstrings || (r->message != ZNONE && r->message >= p->nstrings) ||
            (r->disabled_reason != ZNONE && r->disabled_reason >= p->nstrings)) {
            rc = fail(lang, err, size, V_RULE_STRING_OUT_RANGE, i);
            break;
        }
        for (uint32_t k = 0; k < r->ntags && rc == 0; k++)
            if (r->tags[k] >= p->nstrings) rc = fail(lang, err, size, V_RULE_TAG_OUT_RANGE, i);
        for (uint32_t k = 0; k < r->nclauses && rc == 0; k++)
            if (r->clauses[k].id >= p->nstrings || r->clauses[k].text >= p->nstrings)
                rc = fail(lang, err, size, V_RULE_CLAUSE_OUT_RANGE, i);
        if (rc) break;
        if (r->severity != ZS_MUST && r->severity != ZS_IN_PRINCIPLE) { rc = fail(lang, err, size, V_RULE_BAD_SEVERITY, i, r->severity); break; }
        if (r->file >= m->nfiles) { rc = fail(lang, err, size, V_RULE_FILE_OUT_RANGE, i); break; }
        if (r->disabled > 1 || r->periodic > 1) { rc = fail(lang, err, size, V_RULE_BAD_FLAG, i); break; }
        if (r->disabled) {
            if (r->body != ZNONE || r->disabled_reason == ZNONE) { rc = fail(lang, err, size, V_RULE_DISABLED_RULE_WITH, i); break; }
            continue;
        }
        if (r->body >= p->nfuncs) { rc = fail(lang, err, size, V_RULE_NO_BODY, i); break; }
        if ((rc = check_func_ref(p, r->body, i, ZF_BODY, "body", lang, err, size))) break;
        uint32_t refs[4] = {r->body, r->trigger_filter, r->period_filter, r->unless_filter};
        for (int k = 0; k < 4 && rc == 0; k++) {
            if (refs[k] == ZNONE) continue;
            if (refs[k] >= p->nfuncs) { rc = fail(lang, err, size, V_RULE_FUNCTION_OUT_RANGE_2, i, refs[k]); break; }
            if (owner[refs[k]]) rc = fail(lang, err, size, V_RULE_FUNCTION_USED_TWICE, i, refs[k]);
            owner[refs[k]] = i + 1;
        }
        if (rc) break;
        if (!r->periodic) {
            if (r->trigger_mask == 0 || (r->trigger_mask & ~all_types)) { rc = fail(lang, err, size, V_RULE_BAD_TRIGGER_MASK, i); break; }
            if ((rc = check_func_ref(p, r->trigger_filter, i, ZF_EVENT_FILTER, "trigger filter", lang, err, size))) break;
            if (r->period_filter != ZNONE || r->unless_filter != ZNONE) { rc = fail(lang, err, size, V_RULE_PERIOD_DATA_ON, i); break; }
            continue;
        }
        if (r->trigger_filter != ZNONE || r->trigger_mask) { rc = fail(lang, err, size, V_RULE_TRIGGER_ON_PERIODIC, i); break; }
        if (r->period >= ZP_KIND_COUNT || r->anchor >= ZA_KIND_COUNT) { rc = fail(lang, err, size, V_RULE_BAD_PERIOD, i); break; }
        if (r->period == ZP_WEEKS && (r->weeks < 1 || r->weeks > ZL_MAX_WEEKS)) { rc = fail(lang, err, size, V_RULE_CYCLE_WEEKS, i, r->weeks); break; }
        if (r->anchor == ZA_TIME && (r->anchor_const >= p->nconsts || p->consts[r->anchor_const].kind != CONST_TIME)) {
            rc = fail(lang, err, size, V_RULE_ANCHOR_NOT_TIME, i);
            break;
        }
        bool needs_table = r->period == ZP_CALENDAR || r->anchor == ZA_CALENDAR;
        if (needs_table != (r->period_table != ZNONE) ||
            (needs_table && (r->period_table >= p->ntables || p->tables[r->period_table].kind != ZT_CALENDAR))) {
            rc = fail(lang, err, size, V_RULE_PERIOD_TABLE_NOT, i);
            break;
        }
        if (r->period_filter != ZNONE && !needs_table) { rc = fail(lang, err, size, V_RULE_FILTER_WITHOUT_TABLE, i); break; }
        if ((rc = check_func_ref(p, r->period_filter, i, ZF_ROW_FILTER, "period filter", lang, err, size))) break;
        if (r->unless_table != ZNONE && (r->unless_table >= p->ntables || p->tables[r->unless_table].kind != ZT_CALENDAR)) {
            rc = fail(lang, err, size, V_RULE_EXEMPTION_TABLE_NOT, i);
            break;
        }
        if (r->unless_filter != ZNONE && r->unless_table == ZNONE) { rc = fail(lang, err, size, V_RULE_FILTER_WITHOUT_TABLE, i); break; }
        if ((rc = check_func_ref(p, r->unless_filter, i, ZF_ROW_FILTER, "exemption filter", lang, err, size))) break;
    }
    /* retention: grouped by rule, filters owned by their rule, and every scan
     * of a rule covered by its entries (the events a streaming run keeps) */
    uint64_t *covered = calloc(p->nrules + 1u, sizeof(uint64_t));
    if (!covered) { free(owner); return fail(lang, err, size, MSG_OOM); }
    for (uint32_t i = 0; i < p->nretains && rc == 0; i++) {
        const ZRetain *z = &p->retains[i];
        if (z->rule >= p->nrules || p->rules[z->rule].disabled) { rc = fail(lang, err, size, V_ENTRY_NO_SUCH_ENABLED, i); break; }
        if (i > 0 && z->rule < p->retains[i - 1].rule) { rc = fail(lang, err, size, V_ENTRY_NOT_RULE_ORDER, i); break; }
        if (z->kind >= ZR_KIND_COUNT || (z->kind == ZR_PERIOD && !p->rules[z->rule].periodic) ||
            (z->kind == ZR_TRIGGER && p->rules[z->rule].periodic)) {
            rc = fail(lang, err, size, V_ENTRY_BAD_KIND_FOR, i, z->kind);
            break;
        }
        if (z->mask == 0 || (z->mask & ~all_types)) { rc = fail(lang, err, size, V_ENTRY_BAD_EVENT_TYPE, i); break; }
        uint64_t all_fields = p->log.nfields >= 64 ? ~(uint64_t)0 : (((uint64_t)1 << p->log.nfields) - 1);
        if (z->pick >= ZK_PICK_COUNT || (z->pick != ZK_ALL && z->kind != ZR_ALWAYS) || (z->pick == ZK_ALL && z->fields) ||
            (z->fields & ~all_fields)) {
            rc = fail(lang, err, size, V_ENTRY_BAD_PICK, i);
            break;
        }
        if ((z->kind != ZR_TRIGGER && z->offset != 0) || z->offset < -ZT_MAX_SPAN || z->offset > ZT_MAX_SPAN) {
            rc = fail(lang, err, size, V_ENTRY_BAD_OFFSET, i);
            break;
        }
        if (z->filter != ZNONE) {
            if ((rc = check_func_ref(p, z->filter, z->rule, ZF_EVENT_FILTER, "retention filter", lang, err, size))) break;
            if (owner[z->filter]) { rc = fail(lang, err, size, V_ENTRY_FUNCTION_USED_TWICE, i, z->filter); break; }
            owner[z->filter] = z->rule + 1;
            /* it runs on one event while the others may be gone: it must select none */
            if (program_func_scans(p, z->filter)) { rc = fail(lang, err, size, V_ENTRY_FILTER_SELECTS_EVENTS, i); break; }
        }
        covered[z->rule] |= z->mask;
    }
    for (uint32_t f = 0; f < p->nfuncs && rc == 0; f++) {
        const ZFunc *fn = &p->funcs[f];
        for (uint32_t k = 0; k < fn->count && rc == 0; k++) {
            const Insn *in = &p->code[fn->start + k];
            if (zop_is_scan_init(in->op) && ((uint64_t)p->consts[in->c].value & ~covered[fn->rule]))
                rc = fail(lang, err, size, V_SCANS_EVENT_TYPES_THAT, fn->start + k);
        }
    }
    free(covered);
    for (uint32_t f = 0; f < p->nfuncs && rc == 0; f++)
        if (!owner[f]) rc = fail(lang, err, size, V_FUNCTION_BELONGS_NO_RULE, f);
    free(owner);
    return rc;
}
