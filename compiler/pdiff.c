/* pdiff.c - what changes between two checked policies (see pdiff.h): the
 * header, renames, roles and bodies, parameters, definitions and rules,
 * matched by declared name. How a rule's clauses compare is pdiff_expr.c's. */
#include "pdiff_int.h"

#include <stdio.h>
#include <string.h>

#include "msg.h"

/* The words of a change (PdiffChange.what, pdiff_dir_name) are the
 * catalogue's English texts: JSON writes them as they are, text puts them
 * into a language with msg_translate(). */
#define EN(id) msg_text(LANG_EN, id)

static PdiffChange *push(Arena *a, PdiffResult *out, PdiffKind kind, const char *what)
{
    if (out->n == out->cap) {
        int cap = out->cap ? out->cap * 2 : 16;
        PdiffChange *items = arena_alloc(a, sizeof *items * (size_t)cap);
        if (out->n) memcpy(items, out->items, sizeof *items * (size_t)out->n);
        out->items = items;
        out->cap = cap;
    }
    PdiffChange *c = &out->items[out->n++];
    memset(c, 0, sizeof *c);
    c->kind = kind;
    c->what = what;
    return c;
}

const char *pdiff_dir_name(PdiffDir d)
{
    static const MsgId names[] = {MSG_DF_SAME, MSG_DF_STRICTER, MSG_DF_LOOSER, MSG_DF_INCOMPARABLE};
    return EN(names[d]);
}

const char *pdiff_rule_root(AstFile *const *chain, int nchain, const char *name)
{
    for (int f = nchain - 1; f >= 0; f--)
        for (int i = chain[f]->decls.len - 1; i >= 0; i--) {
            const Decl *d = chain[f]->decls.items[i];
            if (d->kind == D_RENAME && d->rename_what == D_RULE && !strcmp(d->new_name, name)) name = d->name;
        }
    return name;
}

/* ---- header, members, parameters, definitions ---------------------------------------- */

static bool same_str(const char *a, const char *b) { return !strcmp(a ? a : "", b ? b : ""); }

static void header_entry(Arena *a, PdiffResult *out, const char *what, const char *o, const char *n)
{
    if (same_str(o, n)) return;
    PdiffChange *c = push(a, out, PD_HEADER, what);
    c->old_value = o ? o : "";
    c->new_value = n ? n : "";
}

static const char *tz_text(Arena *a, int off)
{
    int m = off < 0 ? -off / 60 : off / 60;
    return arena_printf(a, "%c%02d:%02d", off < 0 ? '-' : '+', m / 60, m % 60);
}

static void compare_header(Arena *a, const PolicyHeader *o, const PolicyHeader *n, PdiffResult *out)
{
    header_entry(a, out, "policy", o->name, n->name);
    header_entry(a, out, "title", o->title, n->title);
    header_entry(a, out, "document", o->document, n->document);
    if (o->has_effective != n->has_effective || o->effective_local != n->effective_local) {
        PdiffChange *c = push(a, out, PD_HEADER, "effective");
        c->old_value = o->has_effective ? pdiff_text(a, o->effective_loc) : "";
        c->new_value = n->has_effective ? pdiff_text(a, n->effective_loc) : "";
    }
    header_entry(a, out, "timezone", tz_text(a, o->tz_offset), tz_text(a, n->tz_offset));
    header_entry(a, out, "units", o->units_column, n->units_column);
}

static const EnumMemberSym *member_named(const EnumSym *en, const char *declared)
{
    for (int i = 0; en && i < en->nmembers; i++)
        if (!strcmp(en->members[i]->name, declared)) return en->members[i];
    return NULL;
}

static const char *shown(const EnumMemberSym *m) { return m->alias ? m->alias : m->name; }

static void member_renames(Arena *a, const EnumSym *o, const EnumSym *n, const char *what, PdiffResult *out)
{
    for (int i = 0; o && i < o->nmembers; i++) {
        const EnumMemberSym *mo = o->members[i], *mn = member_named(n, mo->name);
        if (!mn || !strcmp(shown(mo), shown(mn))) continue;
        PdiffChange *c = push(a, out, PD_RENAME, what);
        c->old_name = shown(mo);
        c->new_name = shown(mn);
    }
}

static void member_changes(Arena *a, const EnumSym *o, const EnumSym *n, const char *what, PdiffResult *out)
{
    for (int i = 0; o && i < o->nmembers; i++)
        if (!member_named(n, o->members[i]->name)) push(a, out, PD_MEMBER_REMOVED, what)->old_name = shown(o->members[i]);
    for (int i = 0; n && i < n->nmembers; i++)
        if (!member_named(o, n->members[i]->name)) push(a, out, PD_MEMBER_ADDED, what)->new_name = shown(n->members[i]);
}

static const ParamSym *param_named(const Policy *p, const char *name)
{
    for (int i = 0; i < p->nparams; i++)
        if (!strcmp(p->params[i]->name, name)) return p->params[i];
    return NULL;
}

static void compare_params(Arena *a, const Policy *o, const Policy *n, PdiffResult *out)
{
    for (int i = 0; i < n->nparams; i++) {
        const ParamSym *pn = n->params[i], *po = param_named(o, pn->name);
        PdCmp c = {.a = a, .quiet = true};
        if (po && pdiff_same_expr(&c, po->value, pn->value, 0)) continue;
        PdiffChange *ch = push(a, out, PD_PARAM, EN(po ? MSG_DF_SET : MSG_DF_ADDED));
        ch->old_name = pn->name;
        ch->old_value = po ? pdiff_text(a, po->value->loc) : NULL;
        ch->new_value = pdiff_text(a, pn->value->loc);
    }
    for (int i = 0; i < o->nparams; i++)
        if (!param_named(n, o->params[i]->name)) {
            PdiffChange *ch = push(a, out, PD_PARAM, EN(MSG_DF_REMOVED));
            ch->old_name = o->params[i]->name;
            ch->old_value = pdiff_text(a, o->params[i]->value->loc);
        }
}

static void decl_change(Arena *a, PdiffResult *out, const char *decl, const char *what, const char *name)
{
    PdiffChange *c = push(a, out, PD_DECL, what);
    c->decl = decl;
    c->old_name = name;
}

static bool same_type(const Type *x, const Type *y)
{
    if (!x || !y) return x == y;
    return x->kind == y->kind && same_type(x->elem, y->elem) && same_str(x->en ? x->en->name : NULL, y->en ? y->en->name : NULL) &&
           same_str(x->table ? x->table->name : NULL, y->table ? y->table->name : NULL);
}

static bool same_table(const TableSym *x, const TableSym *y)
{
    if (!same_str(x->table, y->table) || x->kind != y->kind || x->nfields != y->nfields || x->key != y->key) return false;
    for (int i = 0; i < x->nfields; i++) {
        const FieldSym *f = x->fields[i], *g = y->fields[i];
        if (!same_str(f->name, g->name) || !same_str(f->column, g->column) || f->optional != g->optional || !same_type(f->type, g->type))
            return false;
    }
    return true;
}

static bool same_def(Arena *a, const DefSym *x, const DefSym *y)
{
    const ParamList *px = &x->decl->params, *py = &y->decl->params;
    if (px->len != py->len) return false;
    for (int i = 0; i < px->len; i++)
        if (strcmp(px->items[i]->name, py->items[i]->name) != 0 || !same_type(x->param_types[i], y->param_types[i])) return false;
    PdCmp c = {.a = a, .quiet = true};
    return pdiff_same_expr(&c, x->decl->expr, y->decl->expr, 0);
}

static bool same_enum(const EnumSym *x, const EnumSym *y)
{
    if (x->nmembers != y->nmembers) return false;
    for (int i = 0; i < x->nmembers; i++)
        if (!member_named(y, x->members[i]->name) || !same_str(x->members[i]->value, member_named(y, x->members[i]->name)->value))
            return false;
    return true;
}

/* Declarations matched by name: get(p, i) names the i-th of n(p) and gives it in *item. */
typedef const char *(*NthDecl)(const Policy *p, int i, const void **item);
static const char *nth_enum(const Policy *p, int i, const void **x)
{
    if (i >= p->nenums || p->enums[i]->kind != ENUM_USER) return NULL;
    *x = p->enums[i];
    return p->enums[i]->name;
}
static const char *nth_event(const Policy *p, int i, const void **x)
{
    if (i >= p->nevent_types) return NULL;
    *x = p->event_types[i];
    return p->event_types[i]->name;
}
static const char *nth_table(const Policy *p, int i, const void **x)
{
    const TableSym *t = i == 0 ? p->events : i <= p->ntables ? p->tables[i - 1] : NULL;
    *x = t;
    return t ? t->name : NULL;
}
static const char *nth_def(const Policy *p, int i, const void **x)
{
    if (i >= p->ndefs) return NULL;
    *x = p->defs[i];
    return p->defs[i]->name;
}

static int decl_count(const Policy *p, NthDecl nth)
{
    return nth == nth_enum ? p->nenums : nth == nth_event ? p->nevent_types : nth == nth_table ? p->ntables + 1 : p->ndefs;
}

static const void *decl_named(const Policy *p, NthDecl nth, const char *name)
{
    const void *x;
    for (int i = 0; i < decl_count(p, nth); i++) {
        const char *nm = nth(p, i, &x);
        if (nm && !strcmp(nm, name)) return x;
    }
    return NULL;
}

static bool same_decl(Arena *a, NthDecl nth, const void *x, const void *y)
{
    if (nth == nth_enum) return same_enum(x, y);
    if (nth == nth_event) return same_str(((const EventTypeSym *)x)->value, ((const EventTypeSym *)y)->value);
    if (nth == nth_table) return same_table(x, y);
    return same_def(a, x, y);
}

static void compare_decls(Arena *a, const Policy *o, const Policy *n, PdiffResult *out)
{
    static const struct { NthDecl nth; const char *decl; } kinds[] = {
        {nth_enum, "enum"}, {nth_event, "event"}, {nth_table, "table"}, {nth_def, "def"},
    };
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        const void *x, *y;
        for (int i = 0; i < decl_count(n, kinds[k].nth); i++) {
            const char *name = kinds[k].nth(n, i, &y);
            if (!name) continue;
            x = decl_named(o, kinds[k].nth, name);
            if (!x) decl_change(a, out, kinds[k].decl, EN(MSG_DF_ADDED), name);
            else if (!same_decl(a, kinds[k].nth, x, y)) decl_change(a, out, kinds[k].decl, EN(MSG_DF_CHANGED), name);
        }
        for (int i = 0; i < decl_count(o, kinds[k].nth); i++) {
            const char *name = kinds[k].nth(o, i, &x);
            if (name && !decl_named(n, kinds[k].nth, name)) decl_change(a, out, kinds[k].decl, EN(MSG_DF_REMOVED), name);
        }
    }
}

/* ---- rules -------------------------------------------------------------------------- */

static bool is_wording(ClauseKind k) { return k == CL_TAGS || k == CL_CLAUSE || k == CL_MESSAGE || k == CL_EVIDENCE; }

/* The clauses of kind k, but the one an adapting policy adds to every rule it
 * inherits (citing its own document, "参照…执行", sema_cite_followed): that
 * follows from the header's document, which is compared on its own. */
static int clauses_of(const RuleSym *r, ClauseKind k, const char *doc, const RuleClause **out)
{
    int n = 0;
    for (int i = 0; i < r->clauses.len; i++) {
        const RuleClause *c = r->clauses.items[i];
        if (c->kind != k) continue;
        if (k == CL_CLAUSE && doc && c->text && !strcmp(c->text, doc) && c->clause_text && !strncmp(c->clause_text, "参照", strlen("参照")))
            continue;
        out[n++] = c;
    }
    return n;
}

/* Whether the clauses of wording kind k say the same on both sides. */
static bool same_wording(Arena *a, const RuleSym *x, const RuleSym *y, ClauseKind k, const char *docx, const char *docy)
{
    const RuleClause **cx = arena_alloc(a, sizeof *cx * (size_t)(x->clauses.len + 1));
    const RuleClause **cy = arena_alloc(a, sizeof *cy * (size_t)(y->clauses.len + 1));
    int nx = clauses_of(x, k, docx, cx), ny = clauses_of(y, k, docy, cy);
    if (nx != ny) return false;
    for (int i = 0; i < nx; i++) {
        const RuleClause *p = cx[i], *q = cy[i];
        if (!same_str(p->text, q->text) || !same_str(p->clause_text, q->clause_text) || p->names.len != q->names.len) return false;
        for (int j = 0; j < p->names.len; j++)
            if (strcmp(p->names.names[j], q->names.names[j]) != 0) return false;
        if (k != CL_EVIDENCE) continue; /* a message's parts name roles after renames: those are listed as renames */
        if (p->list.len != q->list.len) return false;
        for (int j = 0; j < p->list.len; j++) {
            PdCmp c = {.a = a, .quiet = true};
            if (!pdiff_same_expr(&c, p->list.items[j], q->list.items[j], 0)) return false;
        }
    }
    return true;
}

/* The judging clauses, in order: every, unless, on, for, let, when, require, deadline, subjects. */
static int judging(const RuleSym *r, const RuleClause **out)
{
    int n = 0;
    for (int i = 0; i < r->clauses.len; i++) {
        const RuleClause *c = r->clauses.items[i];
        if (!is_wording(c->kind) && c->kind != CL_SEVERITY) out[n++] = c;
    }
    return n;
}

/* A when, unless or deadline present on one side only (side > 0: the new one). */
static void lone_clause(PdCmp *c, const RuleClause *x, int side)
{
    c->where = clause_kind_name(x->kind);
    /* an added condition or exemption judges less */
    unsigned added = x->kind == CL_WHEN || x->kind == CL_UNLESS ? PD_F_LOOSER : PD_F_UNKNOWN;
    unsigned flag = side > 0 ? added : added == PD_F_LOOSER ? PD_F_STRICTER : PD_F_UNKNOWN;
    c->flags |= flag;
    c->ndiff++;
    const char *t = pdiff_text(c->a, x->loc);
    if (!c->why) c->why = arena_printf(c->a, "%s: %s → %s", c->where, side > 0 ? "(none)" : t, side > 0 ? t : "(none)");
}

/* Compares two enabled rules; sets ch->parts, dir and why. Returns whether anything differs. */
static bool compare_rule(Arena *a, const RuleSym *x, const char *docx, const RuleSym *y, const char *docy, PdiffChange *ch)
{
    PdCmp c = {.a = a};
    unsigned kinds = 0;
    for (ClauseKind k = 0; k < CL_KIND_COUNT; k++)
        if (is_wording(k) && !same_wording(a, x, y, k, docx, docy)) kinds |= 1u << k;
    if (x->severity != y->severity) {
        c.where = "severity";
        c.flags |= y->severity == SEV_MUST ? PD_F_STRICTER : PD_F_LOOSER;
        c.why = arena_printf(a, "severity: %s → %s", x->severity == SEV_MUST ? "must" : "in-principle",
                             y->severity == SEV_MUST ? "must" : "in-principle");
        kinds |= 1u << CL_SEVERITY;
    }
    const RuleClause **jx = arena_alloc(a, sizeof *jx * (size_t)(x->clauses.len + 1));
    const RuleClause **jy = arena_alloc(a, sizeof *jy * (size_t)(y->clauses.len + 1));
    int nx = judging(x, jx), ny = judging(y, jy), i = 0, j = 0;
    while (i < nx || j < ny) {
        int before = c.ndiff;
        ClauseKind k;
        if (i < nx && j < ny && jx[i]->kind == jy[j]->kind) {
            k = jx[i]->kind;
            pdiff_compare_clause(&c, jx[i++], jy[j++]);
        } else if (i < nx && (jx[i]->kind == CL_WHEN || jx[i]->kind == CL_UNLESS || jx[i]->kind == CL_DEADLINE)) {
            k = jx[i]->kind;
            lone_clause(&c, jx[i++], -1);
        } else if (j < ny && (jy[j]->kind == CL_WHEN || jy[j]->kind == CL_UNLESS || jy[j]->kind == CL_DEADLINE)) {
            k = jy[j]->kind;
            lone_clause(&c, jy[j++], 1);
        } else { /* another shape: the rest is not comparable */
            k = i < nx ? jx[i]->kind : jy[j]->kind;
            c.flags |= PD_F_UNKNOWN;
            if (!c.why) c.why = arena_printf(a, "%s: %s → %s", clause_kind_name(k), i < nx ? pdiff_text(a, jx[i]->loc) : "(none)",
                                            j < ny ? pdiff_text(a, jy[j]->loc) : "(none)");
            kinds |= 1u << k;
            break;
        }
        if (c.ndiff != before) kinds |= 1u << k;
    }
    if (!kinds) return false;
    char parts[256] = "";
    static const ClauseKind order[] = {CL_CLAUSE, CL_TAGS, CL_SEVERITY, CL_EVERY, CL_UNLESS, CL_ON, CL_FOR, CL_LET,
                                       CL_WHEN, CL_REQUIRE, CL_DEADLINE, CL_SUBJECTS, CL_EVIDENCE, CL_MESSAGE, CL_ONLY};
    for (size_t n = 0; n < sizeof order / sizeof order[0]; n++)
        if (kinds & (1u << order[n]))
            snprintf(parts + strlen(parts), sizeof parts - strlen(parts), "%s%s", parts[0] ? ", " : "",
                     order[n] == CL_CLAUSE ? "clause text" : clause_kind_name(order[n]));
    ch->parts = arena_strdup(a, parts);
    ch->dir = !c.flags ? PDIR_SAME : c.flags == PD_F_STRICTER ? PDIR_STRICTER : c.flags == PD_F_LOOSER ? PDIR_LOOSER : PDIR_INCOMPARABLE;
    ch->why = c.flags ? c.why : NULL;
    return true;
}

static const char *first_clause(const RuleSym *r)
{
    for (int i = 0; i < r->clauses.len; i++)
        if (r->clauses.items[i]->kind == CL_CLAUSE) return r->clauses.items[i]->text;
    return "";
}

static PdiffChange *rule_change(Arena *a, PdiffResult *out, const char *what, const RuleSym *x, const RuleSym *y, PdiffDir dir)
{
    PdiffChange *ch = push(a, out, PD_RULE, what);
    ch->old_name = x ? x->name : NULL;
    ch->new_name = y ? y->name : NULL;
    ch->clause = first_clause(y ? y : x);
    ch->dir = dir;
    return ch;
}

static void compare_rules(Arena *a, const Policy *o, const char **oroot, const Policy *n, const char **nroot, PdiffResult *out)
{
    for (int i = 0; i < n->nrules; i++) {
        const RuleSym *y = n->rules[i], *x = NULL;
        for (int k = 0; k < o->nrules && !x; k++)
            if (!strcmp(oroot[k], nroot[i])) x = o->rules[k];
        if (!x) {
            if (!y->disabled) rule_change(a, out, EN(MSG_DF_ADDED), NULL, y, PDIR_STRICTER);
        } else if (x->disabled || y->disabled) {
            if (x->disabled && !y->disabled) rule_change(a, out, EN(MSG_DF_ENABLED), x, y, PDIR_STRICTER);
            if (!x->disabled && y->disabled) rule_change(a, out, EN(M_DISABLED), x, y, PDIR_LOOSER)->new_value = y->disabled_reason;
        } else {
            PdiffChange tmp = {0};
            if (!compare_rule(a, x, o->header.document, y, n->header.document, &tmp)) continue;
            const char *how = EN(y->replaced && !x->replaced ? MSG_DF_REPLACED : y->overridden && !x->overridden ? MSG_DF_OVERRIDDEN : MSG_DF_CHANGED);
            PdiffChange *ch = rule_change(a, out, how, x, y, tmp.dir);
            ch->parts = tmp.parts;
            ch->why = tmp.why;
        }
    }
    for (int k = 0; k < o->nrules; k++) {
        bool found = false;
        for (int i = 0; i < n->nrules && !found; i++) found = !strcmp(oroot[k], nroot[i]);
        if (!found && !o->rules[k]->disabled) rule_change(a, out, EN(MSG_DF_REMOVED), o->rules[k], NULL, PDIR_LOOSER);
    }
}

void pdiff_compare(Arena *a, const Policy *o, AstFile *const *ochain, int onchain, const Policy *n, AstFile *const *nchain,
                   int nnchain, PdiffResult *out)
{
    memset(out, 0, sizeof *out);
    const char **oroot = arena_alloc(a, sizeof *oroot * (size_t)(o->nrules + 1));
    const char **nroot = arena_alloc(a, sizeof *nroot * (size_t)(n->nrules + 1));
    for (int i = 0; i < o->nrules; i++) oroot[i] = pdiff_rule_root(ochain, onchain, o->rules[i]->name);
    for (int i = 0; i < n->nrules; i++) nroot[i] = pdiff_rule_root(nchain, nnchain, n->rules[i]->name);
    compare_header(a, &o->header, &n->header, out);
    member_renames(a, o->roles, n->roles, EN(D_W_ROLE), out);
    member_renames(a, o->bodies, n->bodies, EN(D_W_BODY), out);
    for (int i = 0; i < n->nrules; i++)
        for (int k = 0; k < o->nrules; k++)
            if (!strcmp(oroot[k], nroot[i]) && strcmp(o->rules[k]->name, n->rules[i]->name) != 0) {
                PdiffChange *c = push(a, out, PD_RENAME, EN(MSG_DF_RULE));
                c->old_name = o->rules[k]->name;
                c->new_name = n->rules[i]->name;
            }
    member_changes(a, o->roles, n->roles, EN(D_W_ROLE), out);
    member_changes(a, o->bodies, n->bodies, EN(D_W_BODY), out);
    compare_params(a, o, n, out);
    compare_decls(a, o, n, out);
    compare_rules(a, o, oroot, n, nroot, out);
}
