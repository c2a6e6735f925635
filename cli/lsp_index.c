/* lsp_index.c - the name index of one compiled document (see lsp_index.h).
 * Declarations are collected from every file of the extends chain; then the
 * document's own declarations are walked clause by clause with a scope of
 * variables, the way the language scopes them (a rule's `every ... as`, `on`,
 * `for`, `let`, a selection's variable, a definition's parameters), and each
 * name written is paired with what it names. */
#include "lsp_index.h"

#include <string.h>

enum { MAX_SCOPE = 256, DETAIL_MAX = 240 };

/* compiler/lexer.l's keywords and the built-in functions (tests/lsp.sh checks the list) */
const char *const lidx_keywords[] = {
    "policy", "extends", "role", "body", "enum", "events", "event", "roster", "table", "calendar",
    "key", "param", "def", "rule", "rename", "to", "set", "override", "replace", "disable", "because",
    "tag", "tags", "clause", "severity", "must", "in-principle", "须", "原则上", "every", "day", "week", "weeks", "month",
    "year", "from", "as", "unless", "overlaps", "only", "within", "on", "where", "for", "in", "let", "when", "else",
    "pending", "require", "deadline", "subjects", "evidence", "message", "and", "or", "not", "true",
    "false", "at", "throughout", "exists", "count", "latest", "first", "list", "present", "weekday",
    "size", NULL,
};

static const char EVENT_OWNER[] = "event";

typedef struct Walk {
    LspIndex *ix;
    Arena *a;
    LspDef *scope[MAX_SCOPE];
    int nscope;
    size_t scope_end;      /* end of the declaration being walked */
    const char *row_table; /* bare names in a period, unless or only filter name its row's fields */
} Walk;

const char *lidx_kind_name(LspKind k)
{
    static const char *names[] = {
        "policy", "role", "body", "enum", "enum value", "event type", "table", "field",
        "param", "def", "rule", "variable", "file",
    };
    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

/* The source text of loc on one line: whitespace runs collapsed, cut at
 * DETAIL_MAX bytes on a character boundary. */
static const char *source_text(Arena *a, SrcLoc loc)
{
    if (!loc.src || loc.end <= loc.off || loc.end > loc.src->len) return "";
    char buf[DETAIL_MAX + 8];
    size_t n = 0;
    bool space = false;
    for (size_t i = loc.off; i < loc.end && n < DETAIL_MAX; i++) {
        char ch = loc.src->text[i];
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') { space = n > 0; continue; }
        if (space) { buf[n++] = ' '; space = false; }
        buf[n++] = ch;
    }
    if (n >= DETAIL_MAX) {
        while (n > 0 && ((unsigned char)buf[n - 1] & 0xC0) == 0x80) n--;
        if (n > 0 && ((unsigned char)buf[n - 1] & 0xC0) == 0xC0) n--;
        memcpy(buf + n, " …", 4);
        n += 4;
    }
    return arena_strndup(a, buf, n);
}

static LspDef *new_def(Walk *w, const char *name, LspKind kind, SrcLoc loc, SrcLoc range, const char *detail)
{
    LspDef *d = arena_alloc(w->a, sizeof *d);
    d->name = name;
    d->kind = kind;
    d->loc = loc;
    d->range = range;
    d->detail = detail;
    return d;
}

static LspDef *add_global(Walk *w, const char *name, LspKind kind, SrcLoc loc, SrcLoc range, const char *detail)
{
    if (!name) return NULL;
    LspDef *d = new_def(w, name, kind, loc, range, detail);
    ptrvec_push(w->a, &w->ix->defs, d);
    return d;
}

/* The first declaration (root-most) of name among the kinds in mask. */
static LspDef *lookup(const LspIndex *ix, const char *name, unsigned mask, const char *owner)
{
    if (!name) return NULL;
    for (int i = 0; i < ix->defs.len; i++) {
        LspDef *d = ix->defs.items[i];
        if (!(mask & (1u << d->kind)) || strcmp(d->name, name)) continue;
        if (owner && (!d->owner || strcmp(d->owner, owner))) continue;
        return d;
    }
    return NULL;
}

#define M(k) (1u << (k))

static void occ(Walk *w, SrcLoc loc, const LspDef *def, const Expr *e)
{
    if (loc.src != w->ix->src || loc.end <= loc.off) return;
    if (!def && !e) return;
    LspOcc *o = arena_alloc(w->a, sizeof *o);
    o->off = loc.off;
    o->end = loc.end;
    o->def = def;
    o->expr = e;
    ptrvec_push(w->a, &w->ix->occs, o);
}

/* ---- declarations of the chain ----------------------------------------------- */

SrcLoc lidx_name_span(SrcLoc loc, const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (loc.off + n <= loc.end) loc.end = loc.off + n;
    return loc;
}

static void collect_fields(Walk *w, const Decl *d, const char *owner)
{
    for (int i = 0; i < d->fields.len; i++) {
        FieldDecl *f = d->fields.items[i];
        if (!f->type) continue; /* an event type only names the log's field */
        LspDef *fd = add_global(w, f->name, LK_FIELD, lidx_name_span(f->loc, f->name), f->loc, source_text(w->a, f->loc));
        if (fd) fd->owner = owner;
    }
}

static void collect_members(Walk *w, const Decl *d, LspKind kind, const char *owner)
{
    for (int i = 0; i < d->members.len; i++) {
        EnumMember *m = d->members.items[i];
        const char *detail = kind == LK_VALUE ? arena_printf(w->a, "%s (a value of enum %s)", m->name, owner)
                                              : arena_printf(w->a, "%s %s", kind == LK_ROLE ? "role" : "body", m->name);
        LspDef *md = add_global(w, m->name, kind, m->loc, m->loc, detail);
        if (md) md->owner = owner;
    }
}

static void append_note(Walk *w, LspDef *d, const char *note)
{
    d->notes = d->notes ? arena_printf(w->a, "%s\n\n%s", d->notes, note) : note; /* Markdown paragraphs */
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* What a later file says about a rule or parameter declared earlier. */
static void collect_adaptation(Walk *w, const Decl *d)
{
    const char *file = base_name(d->loc.src ? d->loc.src->path : "");
    if (d->kind == D_SET) {
        LspDef *p = lookup(w->ix, d->name, M(LK_PARAM), NULL);
        if (p) append_note(w, p, arena_printf(w->a, "%s: `%s`", file, source_text(w->a, d->loc)));
        return;
    }
    LspDef *r = lookup(w->ix, d->name, M(LK_RULE), NULL);
    if (!r) return;
    if (d->kind == D_DISABLE) {
        append_note(w, r, arena_printf(w->a, "disabled in %s because \"%s\"", file, d->text ? d->text : ""));
        return;
    }
    for (int i = 0; i < d->clauses.len; i++) {
        RuleClause *cl = d->clauses.items[i];
        if (cl->kind != CL_CLAUSE) continue;
        append_note(w, r, arena_printf(w->a, "%s%s %s: %s", d->kind == D_RULE ? "" : "(",
                                       d->kind == D_RULE ? "clause" : arena_printf(w->a, "%s in %s)", decl_kind_name(d->kind), file),
                                       cl->text ? cl->text : "", cl->clause_text ? cl->clause_text : ""));
    }
}

static void collect(Walk *w, const AstFile *f)
{
    for (int i = 0; i < f->decls.len; i++) {
        const Decl *d = f->decls.items[i];
        const char *text = source_text(w->a, d->loc);
        switch (d->kind) {
        case D_POLICY: add_global(w, d->name, LK_POLICY, d->name_loc, d->loc, arena_printf(w->a, "policy %s", d->name)); break;
        case D_ROLE: collect_members(w, d, LK_ROLE, "role"); break;
        case D_BODY: collect_members(w, d, LK_BODY, "body"); break;
        case D_ENUM:
            add_global(w, d->name, LK_ENUM, d->name_loc, d->loc, text);
            collect_members(w, d, LK_VALUE, d->name);
            break;
        case D_EVENTS: collect_fields(w, d, EVENT_OWNER); break;
        case D_EVENT: add_global(w, d->name, LK_EVENT_TYPE, d->name_loc, d->loc, text); break;
        case D_ROSTER: case D_TABLE: case D_CALENDAR:
            add_global(w, d->name, LK_TABLE, d->name_loc, d->loc, text);
            collect_fields(w, d, d->name);
            break;
        case D_PARAM: add_global(w, d->name, LK_PARAM, d->name_loc, d->loc, text); break;
        case D_DEF: add_global(w, d->name, LK_DEF, d->name_loc, d->loc, text); break;
        case D_RULE:
            add_global(w, d->name, LK_RULE, d->name_loc, d->loc, arena_printf(w->a, "rule %s", d->name));
            collect_adaptation(w, d); /* its own clauses */
            break;
        case D_RENAME: {
            LspKind k = d->rename_what == D_ROLE ? LK_ROLE : d->rename_what == D_BODY ? LK_BODY : LK_RULE;
            LspDef *nd = add_global(w, d->new_name, k, d->new_name_loc, d->loc, text);
            if (nd && k != LK_RULE) nd->owner = k == LK_ROLE ? "role" : "body";
            break;
        }
        case D_SET: case D_OVERRIDE: case D_REPLACE: case D_DISABLE: collect_adaptation(w, d); break;
        case D_EXTENDS: break;
        }
    }
}

/* ---- names written in the document ------------------------------------------- */

static void push_var(Walk *w, const char *name, SrcLoc loc, const char *how)
{
    if (!name) return;
    LspDef *d = new_def(w, name, LK_VAR, loc, loc, how);
    d->scope_end = w->scope_end;
    if (w->nscope < MAX_SCOPE) w->scope[w->nscope++] = d;
    occ(w, loc, d, NULL);
    if (loc.src == w->ix->src) ptrvec_push(w->a, &w->ix->vars, d);
}

static const LspDef *resolve_name(Walk *w, const char *name)
{
    if (!name) return NULL;
    for (int i = w->nscope - 1; i >= 0; i--)
        if (!strcmp(w->scope[i]->name, name)) return w->scope[i];
    const LspDef *d = lookup(w->ix, name, M(LK_PARAM) | M(LK_TABLE) | M(LK_VALUE) | M(LK_ROLE) | M(LK_BODY), NULL);
    if (!d && w->row_table) d = lookup(w->ix, name, M(LK_FIELD), w->row_table);
    return d;
}

/* The table whose fields `.name` selects on a value of type t. */
static const char *owner_of(const Type *t)
{
    if (!t) return NULL;
    if (t->kind == T_EVENT) return EVENT_OWNER;
    if ((t->kind == T_ROW || t->kind == T_TABLE) && t->table) return t->table->name;
    return NULL;
}

static void walk_expr(Walk *w, const Expr *e);

static void walk_list(Walk *w, const ExprList *l)
{
    for (int i = 0; i < l->len; i++) walk_expr(w, l->items[i]);
}

static void walk_expr(Walk *w, const Expr *e)
{
    if (!e) return;
    switch (e->kind) {
    case EX_NAME: occ(w, e->name_loc, resolve_name(w, e->name), e); break;
    case EX_FIELD:
    case EX_CALL:
        walk_expr(w, e->lhs);
        if (e->kind == EX_CALL && !e->lhs)
            occ(w, e->name_loc, lookup(w->ix, e->name, M(LK_DEF), NULL), e);
        else
            occ(w, e->name_loc, lookup(w->ix, e->name, M(LK_FIELD), owner_of(e->lhs->type)), e);
        walk_list(w, &e->args);
        break;
    case EX_SELECT: {
        for (int i = 0; i < e->types.len; i++)
            occ(w, e->types.locs[i], lookup(w->ix, e->types.names[i], M(LK_EVENT_TYPE) | M(LK_TABLE), NULL), NULL);
        int mark = w->nscope;
        size_t saved = w->scope_end;
        w->scope_end = e->loc.end; /* the selection's variable is seen only inside it */
        push_var(w, e->name, e->name_loc, source_text(w->a, e->loc));
        w->scope_end = saved;
        walk_expr(w, e->rhs);
        w->nscope = mark;
        break;
    }
    default:
        walk_expr(w, e->lhs);
        walk_expr(w, e->rhs);
        walk_list(w, &e->args);
        break;
    }
}

static void walk_type(Walk *w, const TypeRef *t)
{
    if (t) occ(w, t->loc, lookup(w->ix, t->name, M(LK_ENUM), NULL), NULL);
}

static void walk_filter(Walk *w, const char *table, const Expr *filter)
{
    const char *saved = w->row_table;
    w->row_table = table;
    walk_expr(w, filter);
    w->row_table = saved;
}

/* `{name}` and `{name.field…}` in a message name a variable or parameter;
 * `{{` is a literal brace. Read from the source, so offsets are the file's. */
static void walk_template(Walk *w, SrcLoc loc)
{
    if (loc.src != w->ix->src || loc.end > loc.src->len) return;
    const char *t = loc.src->text;
    for (size_t i = loc.off + 1; i + 1 < loc.end; i++) {
        if (t[i] != '{') continue;
        if (t[i + 1] == '{') { i++; continue; }
        size_t j = i + 1;
        while (j < loc.end && t[j] != '}' && t[j] != '.' && t[j] != '"' && t[j] != '{' && t[j] != ' ') j++;
        if (j == i + 1 || j >= loc.end || (t[j] != '}' && t[j] != '.')) continue;
        char *name = arena_strndup(w->a, t + i + 1, j - i - 1);
        SrcLoc at = loc;
        at.off = i + 1;
        at.end = j;
        occ(w, at, resolve_name(w, name), NULL);
        i = j;
    }
}

static void walk_clause(Walk *w, const RuleClause *cl)
{
    const char *how = source_text(w->a, cl->loc);
    switch (cl->kind) {
    case CL_EVERY: {
        const PeriodSpec *p = cl->period;
        if (!p) break;
        walk_expr(w, p->count);
        walk_expr(w, p->anchor);
        if (p->table) occ(w, p->table_loc, lookup(w->ix, p->table, M(LK_TABLE), NULL), NULL);
        walk_filter(w, p->table, p->filter);
        push_var(w, p->var, p->var_loc, how);
        break;
    }
    case CL_UNLESS:
    case CL_ONLY:
        occ(w, cl->table_loc, lookup(w->ix, cl->table, M(LK_TABLE), NULL), NULL);
        walk_filter(w, cl->table, cl->expr);
        break;
    case CL_ON:
        for (int i = 0; i < cl->names.len; i++)
            occ(w, cl->names.locs[i], lookup(w->ix, cl->names.names[i], M(LK_EVENT_TYPE), NULL), NULL);
        push_var(w, cl->var, cl->var_loc, how);
        walk_expr(w, cl->expr);
        break;
    case CL_FOR:
        for (int i = 0; i < cl->nbindings; i++) {
            const Binding *b = cl->bindings[i];
            walk_expr(w, b->coll);
            push_var(w, b->var, b->var_loc, how);
            push_var(w, b->var2, b->var2_loc, how);
            walk_expr(w, b->filter);
        }
        break;
    case CL_LET:
        walk_expr(w, cl->expr);
        push_var(w, cl->var, cl->var_loc, how);
        break;
    case CL_WHEN: case CL_REQUIRE: case CL_DEADLINE: walk_expr(w, cl->expr); break;
    case CL_SUBJECTS: case CL_EVIDENCE: walk_list(w, &cl->list); break;
    case CL_MESSAGE: walk_template(w, cl->text_loc); break;
    default: break;
    }
}

static void walk_clauses(Walk *w, const ClauseList *l)
{
    for (int i = 0; i < l->len; i++) walk_clause(w, l->items[i]);
}

/* The rule an adaptation names, as first declared in the chain. */
static const Decl *original_rule(const Compilation *c, const char *name)
{
    for (int f = 0; f < c->nchain; f++)
        for (int i = 0; i < c->chain[f]->decls.len; i++) {
            const Decl *d = c->chain[f]->decls.items[i];
            if ((d->kind == D_RULE) && d->name && !strcmp(d->name, name)) return d;
        }
    return NULL;
}

static void walk_fields(Walk *w, const Decl *d, const char *owner)
{
    for (int i = 0; i < d->fields.len; i++) {
        const FieldDecl *f = d->fields.items[i];
        occ(w, lidx_name_span(f->loc, f->name), lookup(w->ix, f->name, M(LK_FIELD), owner), NULL);
        walk_type(w, f->type);
    }
}

static void walk_decl(Walk *w, const Decl *d)
{
    static const unsigned named[] = {
        [D_POLICY] = M(LK_POLICY), [D_ENUM] = M(LK_ENUM), [D_EVENT] = M(LK_EVENT_TYPE), [D_ROSTER] = M(LK_TABLE),
        [D_TABLE] = M(LK_TABLE), [D_CALENDAR] = M(LK_TABLE), [D_PARAM] = M(LK_PARAM), [D_DEF] = M(LK_DEF),
        [D_RULE] = M(LK_RULE), [D_RENAME] = M(LK_ROLE) | M(LK_BODY) | M(LK_RULE), [D_SET] = M(LK_PARAM),
        [D_OVERRIDE] = M(LK_RULE), [D_REPLACE] = M(LK_RULE), [D_DISABLE] = M(LK_RULE),
    };
    w->nscope = 0;
    w->scope_end = d->loc.end;
    w->row_table = NULL;
    if (d->name && (unsigned)d->kind < sizeof named / sizeof named[0] && named[d->kind])
        occ(w, d->name_loc, lookup(w->ix, d->name, named[d->kind], NULL), NULL);
    for (int i = 0; i < d->members.len; i++) {
        const EnumMember *m = d->members.items[i];
        unsigned mask = d->kind == D_ROLE ? M(LK_ROLE) : d->kind == D_BODY ? M(LK_BODY) : M(LK_VALUE);
        occ(w, m->loc, lookup(w->ix, m->name, mask, d->kind == D_ENUM ? d->name : NULL), NULL);
    }
    for (int i = 0; i < d->nentries; i++) walk_expr(w, d->entries[i]->value);
    switch (d->kind) {
    case D_EXTENDS: {
        const Compilation *c = w->ix->comp;
        if (c->nchain >= 2 && d->text) {
            SrcLoc top = {c->chain[c->nchain - 2]->src, 1, 1, 1, 1, 0, 0};
            LspDef *f = new_def(w, d->text, LK_FILE, top, top, arena_printf(w->a, "extends \"%s\"", d->text));
            occ(w, d->text_loc, f, NULL);
        }
        break;
    }
    case D_RENAME: occ(w, d->new_name_loc, lookup(w->ix, d->new_name, M(LK_ROLE) | M(LK_BODY) | M(LK_RULE), NULL), NULL); break;
    case D_EVENTS: walk_fields(w, d, EVENT_OWNER); break;
    case D_EVENT: walk_fields(w, d, EVENT_OWNER); break;
    case D_ROSTER: case D_CALENDAR: walk_fields(w, d, d->name); break;
    case D_TABLE:
        walk_fields(w, d, d->name);
        occ(w, d->key_loc, lookup(w->ix, d->key, M(LK_FIELD), d->name), NULL);
        break;
    case D_PARAM: walk_type(w, d->type); walk_expr(w, d->expr); break;
    case D_SET: walk_expr(w, d->expr); break;
    case D_DEF:
        for (int i = 0; i < d->params.len; i++) {
            const Param *p = d->params.items[i];
            push_var(w, p->name, lidx_name_span(p->loc, p->name),
                     arena_printf(w->a, "%s (a parameter of def %s)", source_text(w->a, p->loc), d->name));
            walk_type(w, p->type);
        }
        walk_expr(w, d->expr);
        break;
    case D_OVERRIDE: {
        /* the overriding clauses see the variables of the rule they change */
        const Decl *orig = original_rule(w->ix->comp, d->name);
        if (orig) walk_clauses(w, &orig->clauses);
        walk_clauses(w, &d->clauses);
        break;
    }
    case D_RULE: case D_REPLACE: walk_clauses(w, &d->clauses); break;
    default: break;
    }
}

LspIndex *lidx_build(Compilation *c)
{
    LspIndex *ix = arena_alloc(&c->arena, sizeof *ix);
    ix->comp = c;
    if (c->nchain == 0) return ix;
    const AstFile *doc = c->chain[c->nchain - 1];
    ix->src = doc->src;
    Walk w = {.ix = ix, .a = &c->arena};
    for (int i = 0; i < c->nchain; i++) collect(&w, c->chain[i]);
    for (int i = 0; i < doc->decls.len; i++) walk_decl(&w, doc->decls.items[i]);
    return ix;
}

const LspOcc *lidx_at(const LspIndex *ix, size_t off)
{
    const LspOcc *touching = NULL;
    for (int i = 0; i < ix->occs.len; i++) {
        const LspOcc *o = ix->occs.items[i];
        if (o->off <= off && off < o->end) return o;
        if (o->end == off) touching = o; /* the cursor just after a name */
    }
    return touching;
}

const char *lidx_hover(const LspIndex *ix, const LspOcc *o)
{
    Arena *a = &ix->comp->arena;
    const LspDef *d = o->def;
    const char *type = o->expr && o->expr->type && o->expr->type->kind != T_ERROR ? type_name(a, o->expr->type) : NULL;
    if (!d) return type ? arena_printf(a, "type: `%s`", type) : NULL;
    const char *where = d->loc.src ? arena_printf(a, "\n\n%s %s, declared at %s:%d", lidx_kind_name(d->kind), d->name,
                                                  base_name(d->loc.src->path), d->loc.line)
                                   : "";
    return arena_printf(a, "```zhidu\n%s\n```%s%s%s%s%s", d->detail ? d->detail : d->name,
                        type ? "\n\ntype: `" : "", type ? type : "", type ? "`" : "",
                        d->notes ? arena_printf(a, "\n\n%s", d->notes) : "", where);
}
