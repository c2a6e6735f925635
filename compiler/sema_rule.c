/* sema_rule.c - semantic analysis of rules: the clauses a rule has and their
 * order, periods and calendars, `where` filters over rows, message
 * templates (split into parts for code generation), unused variables. */
#include "sema_int.h"

static TableSym *calendar_table(Sema *s, const char *name, SrcLoc loc)
{
    TableSym *t = sema_find(s, SYM_TABLE, name);
    if (!t) {
        Diag *g = diag_report(s->d, DIAG_E0200, loc, D_UNKNOWN_TABLE, name);
        Suggest sg;
        suggest_init(&sg, name);
        sema_offer_globals(s, &sg, SYM_TABLE);
        sema_did_you_mean(s, g, &sg);
        return NULL;
    }
    t->used = true;
    if (t->kind != TABLE_CALENDAR) {
        Diag *g = diag_report(s->d, DIAG_E0217, loc, D_NOT_CALENDAR_TABLE, name);
        diag_note(s->d, g, t->loc, D_DECLARED_HERE);
        return NULL;
    }
    return t;
}

static void check_filter(Sema *s, TableSym *t, Expr *filter)
{
    if (!t || !filter) return;
    const TableSym *outer = s->row_table;
    s->row_table = t;
    sema_check_condition(s, sema_row_scope(s, t, NULL), filter, D_W_WHERE_CONDITION);
    s->row_table = outer;
}

static bool mentions(const Expr *e, const char *name)
{
    if (!e) return false;
    if (e->kind == EX_NAME && !strcmp(e->name, name)) return true;
    if (mentions(e->lhs, name) || mentions(e->rhs, name)) return true;
    for (int i = 0; i < e->args.len; i++)
        if (mentions(e->args.items[i], name)) return true;
    return false;
}

static Expr *node(Sema *s, ExprKind kind, SrcLoc loc, const char *name, Expr *lhs, Expr *rhs)
{
    Expr *e = arena_alloc(s->a, sizeof *e);
    e->kind = kind;
    e->loc = e->name_loc = loc;
    e->name = name;
    e->lhs = lhs;
    e->rhs = rhs;
    return e;
}

/* `unless|only overlaps|within CAL where F`, after `every` or `on` (ctx, the
 * scope holding the period or trigger called var). The first `unless
 * overlaps` of a periodic rule whose filter reads the row alone exempts the
 * periods before they are judged (as it always did: reports count them
 * exempt); every other one becomes c->cond, tested in the body before
 * anything else: exists(row: CAL where F and CTX op row), negated for
 * `unless`, with the row's fields bare in F and the rule's period in scope. */
static void check_calendar_clause(Sema *s, RuleClause *c, Scope *ctx, const char *var, bool periodic, bool *exempt_taken)
{
    TableSym *cal = calendar_table(s, c->table, c->table_loc);
    c->sym = cal ? &cal->sym : NULL;
    if (!cal) return;
    if (c->kind == CL_UNLESS && c->cal_op == OP_OVERLAPS && periodic && !*exempt_taken && !mentions(c->expr, var)) {
        *exempt_taken = true;
        check_filter(s, cal, c->expr);
        return;
    }
    Expr *subject = node(s, EX_NAME, c->table_loc, var, NULL, NULL);
    if (!periodic) subject = node(s, EX_FIELD, c->table_loc, "time", subject, NULL);
    Expr *test = node(s, EX_BINARY, c->loc, NULL, subject, node(s, EX_NAME, c->table_loc, SEMA_ROW_VAR, NULL, NULL));
    test->op = c->cal_op;
    Expr *cond = test;
    if (c->expr) {
        cond = node(s, EX_BINARY, c->expr->loc, NULL, c->expr, test);
        cond->op = OP_AND;
    }
    Expr *sel = node(s, EX_SELECT, c->loc, SEMA_ROW_VAR, NULL, cond);
    sel->select = SEL_EXISTS;
    namelist_push(s->a, &sel->types, c->table, c->table_loc);
    sel->rows = cal;
    sel->bare_fields = true;
    c->cond = sel;
    if (c->kind == CL_UNLESS) {
        c->cond = node(s, EX_UNARY, c->loc, NULL, sel, NULL);
        c->cond->op = OP_NOT;
    }
    sema_check_expr(s, ctx, c->cond, s->t_bool);
}

static Type *check_period(Sema *s, Scope *sc, PeriodSpec *ps)
{
    Type *t = sema_type(s, T_PERIOD);
    switch (ps->kind) {
    case PER_DAY: case PER_WEEK: case PER_MONTH: case PER_YEAR: break;
    case PER_WEEKS: {
        Type *ct = sema_check_expr(s, sc, ps->count, NULL);
        sema_expect(s, ct, T_INT, ps->count->loc, D_W_NUMBER_OF_WEEKS);
        Expr *n = ps->count;
        if (n->kind == EX_NAME && n->sym && !sema_lookup_var(sc, n->name)) {
            ParamSym *pa = sema_find(s, SYM_PARAM, n->name);
            if (pa && pa->value) n = pa->value;
        }
        if (n->kind == EX_INT && n->ival < 1)
            diag_report(s->d, DIAG_E0213, ps->count->loc, D_PERIOD_WEEKS_NOT_PERIOD, (long long)n->ival);
        if (n->kind == EX_INT && n->ival > ZL_MAX_WEEKS)
            diag_report(s->d, DIAG_E0213, ps->count->loc, D_PERIOD_WEEKS_LONGER_THAN_TEN, (long long)n->ival);
        if (ps->anchor) {
            Type *at = sema_check_expr(s, sc, ps->anchor, NULL);
            sema_expect(s, at, T_TIME, ps->anchor->loc, D_W_ANCHOR_OF_WEEKS);
        } else if (ps->table) {
            TableSym *cal = sema_find(s, SYM_TABLE, ps->table);
            ParamSym *pa = cal ? NULL : sema_find(s, SYM_PARAM, ps->table);
            ps->sym = cal ? &cal->sym : pa && !ps->filter ? &pa->sym : NULL;
            if (pa && !ps->filter) {
                pa->used = true;
                if (pa->type) sema_expect(s, pa->type, T_TIME, ps->table_loc, D_W_ANCHOR_OF_WEEKS);
            } else {
                check_filter(s, calendar_table(s, ps->table, ps->table_loc), ps->filter);
            }
        }
        break;
    }
    case PER_CALENDAR: {
        TableSym *cal = calendar_table(s, ps->table, ps->table_loc);
        check_filter(s, cal, ps->filter);
        t->table = cal;
        ps->sym = cal ? &cal->sym : NULL;
        break;
    }
    }
    return t;
}

static void add_text_part(Sema *s, ExprList *parts, const char *from, const char *to, SrcLoc loc)
{
    if (to == from) return;
    /* undouble {{ and }} */
    char *text = arena_alloc(s->a, (size_t)(to - from) + 1);
    size_t n = 0;
    for (const char *q = from; q < to; q++) {
        text[n++] = *q;
        if ((q[0] == '{' || q[0] == '}') && q + 1 < to && q[1] == q[0]) q++;
    }
    text[n] = '\0';
    Expr *last = parts->len ? parts->items[parts->len - 1] : NULL;
    if (last && last->kind == EX_STRING) { /* one constant for adjacent text */
        last->text = arena_printf(s->a, "%s%s", last->text, text);
        return;
    }
    Expr *e = arena_alloc(s->a, sizeof *e);
    e->kind = EX_STRING;
    e->loc = loc;
    e->text = text;
    e->type = s->t_text;
    AST_PUSH(s->a, *parts, e);
}

/* Checks {name} and {name.field...} placeholders of a message ({{ and }} are
 * braces) and splits it into parts: EX_STRING for text (and for {R} of a role
 * or body: its name after renames), checked expressions for placeholders,
 * kept in the clause for code generation. */
static void check_template(Sema *s, Scope *sc, RuleClause *c)
{
    const char *text = c->text;
    SrcLoc loc = c->text_loc;
    ExprList parts;
    memset(&parts, 0, sizeof parts);
    const char *p = text, *lit = text;
    while (*p) {
        if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) { p += 2; continue; }
        if (*p == '}') {
            diag_report(s->d, DIAG_E0212, loc, D_MESSAGE_LONE_CLOSE);
            return;
        }
        if (*p != '{') { p++; continue; }
        add_text_part(s, &parts, lit, p, loc);
        const char *start = ++p;
        while (*p && *p != '}' && *p != '{') p++;
        if (*p != '}') {
            diag_report(s->d, DIAG_E0212, loc, D_MESSAGE_LONE_OPEN);
            return;
        }
        char *path = arena_strndup(s->a, start, (size_t)(p - start));
        lit = ++p;
        if (!*path) {
            diag_report(s->d, DIAG_E0212, loc, D_MESSAGE_HAS_EMPTY_PLACEHOLDER);
            continue;
        }
        char *dot = strchr(path, '.');
        if (dot) *dot = '\0';
        if (!sema_lookup_var(sc, path) && !sema_find(s, SYM_PARAM, path)) {
            /* {R} of a role or body is its name after every rename of the chain */
            EnumMemberSym *m = dot ? NULL : sema_find_member(s->p->roles, path);
            if (!m && !dot) m = sema_find_member(s->p->bodies, path);
            if (m) {
                add_text_part(s, &parts, m->value, m->value + strlen(m->value), loc);
                continue;
            }
            diag_report(s->d, DIAG_E0212, loc, D_MESSAGE_MENTIONS_WHICH_NOT_VARIABLE, path);
            continue;
        }
        Expr *e = arena_alloc(s->a, sizeof *e);
        e->kind = EX_NAME;
        e->name = path;
        e->loc = e->name_loc = loc;
        while (dot) {
            char *name = dot + 1;
            dot = strchr(name, '.');
            if (dot) *dot = '\0';
            Expr *f = arena_alloc(s->a, sizeof *f);
            f->kind = EX_FIELD;
            f->lhs = e;
            f->name = name;
            f->loc = f->name_loc = loc;
            e = f;
        }
        sema_check_expr(s, sc, e, NULL);
        AST_PUSH(s->a, parts, e);
    }
    add_text_part(s, &parts, lit, p, loc);
    c->list = parts;
}

void sema_check_rule(Sema *s, RuleSym *r)
{
    int count[CL_KIND_COUNT] = {0};
    RuleClause *firsts[CL_KIND_COUNT] = {0};
    Scope *sc = NULL, *ctx = NULL;
    const char *ctx_var = NULL;
    bool periodic = false, triggered = false, exempt_taken = false;
    int nloops = 0;
    for (int i = 0; i < r->clauses.len; i++) {
        RuleClause *c = r->clauses.items[i];
        count[c->kind]++;
        if (!firsts[c->kind]) firsts[c->kind] = c;
        bool once = c->kind == CL_SEVERITY || c->kind == CL_EVERY || c->kind == CL_ON || c->kind == CL_REQUIRE ||
                    c->kind == CL_DEADLINE || c->kind == CL_MESSAGE || c->kind == CL_SUBJECTS || c->kind == CL_EVIDENCE;
        if (once && count[c->kind] > 1) {
            Diag *g = diag_report(s->d, DIAG_E0208, c->loc, D_RULE_HAS_MORE_THAN_ONE, r->name, clause_kind_name(c->kind));
            diag_note(s->d, g, firsts[c->kind]->loc, D_FIRST_GIVEN_HERE);
            continue;
        }
        if ((c->kind == CL_FOR || c->kind == CL_LET || c->kind == CL_WHEN) && count[CL_REQUIRE]) {
            diag_report(s->d, DIAG_E0218, c->loc, D_MUST_COME_BEFORE_REQUIRE, clause_kind_name(c->kind));
            continue;
        }
        switch (c->kind) {
        case CL_TAGS:
            for (int k = 0; k < c->names.len; k++)
                if (!c->names.names[k][0]) diag_report(s->d, DIAG_E0207, c->names.locs[k], D_EMPTY_TAG);
            break;
        case CL_CLAUSE:
            if (!c->text[0]) diag_report(s->d, DIAG_E0207, c->text_loc, D_CLAUSE_ID_EMPTY);
            if (!c->clause_text[0]) diag_report(s->d, DIAG_E0207, c->loc, D_QUOTE_CLAUSE_TEXT_AFTER_ID);
            break;
        case CL_SEVERITY: r->severity = c->severity; break;
        case CL_EVERY:
        case CL_ON:
            if (periodic || triggered) {
                diag_report(s->d, DIAG_E0208, c->loc, D_RULE_EITHER_PERIODIC_EVERY_OR);
                break;
            }
            if (sc) {
                diag_report(s->d, DIAG_E0218, c->loc, D_MUST_COME_BEFORE_FOR_LET, clause_kind_name(c->kind));
            }
            if (c->kind == CL_EVERY) {
                periodic = true;
                Type *pt = check_period(s, sc, c->period);
                if (c->period->var) sc = sema_bind(s, sc, c->period->var, pt, c->period->var_loc, false);
                /* the period has a name in `unless`/`only` tests even without `as` */
                ctx_var = c->period->var ? c->period->var : SEMA_PERIOD_VAR;
                ctx = c->period->var ? sc : sema_bind(s, sc, ctx_var, pt, c->period->loc, false);
            } else {
                triggered = true;
                uint64_t mask = c->event_mask = sema_check_event_types(s, &c->names);
                sc = sema_bind(s, sc, c->var, mask ? sema_event_type(s, mask) : s->t_error, c->var_loc, false);
                if (c->expr) sema_check_condition(s, sc, c->expr, D_W_WHERE_CONDITION);
                ctx = sc;
                ctx_var = c->var;
            }
            break;
        case CL_UNLESS:
        case CL_ONLY:
            if (!periodic && (!triggered || c->cal_op == OP_OVERLAPS)) {
                diag_report(s->d, DIAG_E0218, c->loc,
                            triggered ? D_CAL_OVERLAPS_NEEDS_EVERY : D_CAL_CLAUSE_NEEDS_CONTEXT,
                            clause_kind_name(c->kind), clause_kind_name(c->kind));
                break;
            }
            check_calendar_clause(s, c, ctx, ctx_var, periodic, &exempt_taken);
            break;
        case CL_FOR:
            for (int k = 0; k < c->nbindings; k++) {
                Binding *b = c->bindings[k];
                if (++nloops == ZL_MAX_LOOPS + 1)
                    diag_report(s->d, DIAG_E0405, b->loc, D_TOO_MANY_LOOPS, ZL_MAX_LOOPS);
                Type *ct = sema_check_expr(s, sc, b->coll, NULL);
                Type *et = s->t_error;
                if (!is_error(ct)) {
                    if (ct->kind != T_LIST) diag_report(s->d, DIAG_E0216, b->coll->loc, D_FOR_NEEDS_LIST_NOT, type_name(s->a, ct));
                    else if (ct->elem) et = ct->elem;
                }
                sc = sema_bind(s, sc, b->var, et, b->var_loc, true);
                if (b->var2) {
                    if (!strcmp(b->var, b->var2)) {
                        diag_report(s->d, DIAG_E0201, b->var2_loc, D_PAIR_NEEDS_TWO_DIFFERENT_NAMES);
                        sc->warn_unused = false;
                    } else {
                        sc = sema_bind(s, sc, b->var2, et, b->var2_loc, true);
                    }
                }
                if (b->filter) sema_check_condition(s, sc, b->filter, D_W_WHERE_CONDITION);
            }
            break;
        case CL_LET:
            sc = sema_bind(s, sc, c->var, sema_check_expr(s, sc, c->expr, NULL), c->var_loc, true);
            break;
        case CL_WHEN:
            sema_check_condition(s, sc, c->expr, D_W_WHEN);
            if (c->else_pending && !triggered)
                diag_report(s->d, DIAG_E0218, c->loc, D_ELSE_PENDING_APPLIES_RULES_TRIGGERED);
            break;
        case CL_REQUIRE: sema_check_condition(s, sc, c->expr, D_W_REQUIRE); break;
        case CL_DEADLINE:
            if (!triggered) diag_report(s->d, DIAG_E0218, c->loc, D_DEADLINE_APPLIES_RULES_TRIGGERED_EVENTS);
            sema_expect(s, sema_check_expr(s, sc, c->expr, NULL), T_TIME, c->expr->loc, D_W_THE_DEADLINE);
            break;
        case CL_SUBJECTS:
            for (int k = 0; k < c->list.len; k++) {
                Type *t = sema_check_expr(s, sc, c->list.items[k], NULL);
                Type *et = elem_or_self(t);
                if (!is_error(et) && !(et->kind == T_PERSON || is_stringish(et) || et->kind == T_ENUM))
                    diag_report(s->d, DIAG_E0202, c->list.items[k]->loc, D_SUBJECT_PERSON_ID_OR_TEXT,
                                type_name(s->a, t));
            }
            break;
        case CL_EVIDENCE:
            for (int k = 0; k < c->list.len; k++) {
                Type *t = sema_check_expr(s, sc, c->list.items[k], NULL);
                if (!is_error(t) && t->kind != T_EVENT)
                    diag_report(s->d, DIAG_E0202, c->list.items[k]->loc, D_EVIDENCE_EVENT_NOT, type_name(s->a, t));
            }
            break;
        case CL_MESSAGE: check_template(s, sc, c); break;
        case CL_KIND_COUNT: break;
        }
    }
    SrcLoc at = r->decl->name_loc;
    r->periodic = periodic;
    if (r->clauses.broken || r->decl->clauses.broken || sema_is_broken(s, r->decl->loc.src)) {
        /* a syntax error inside the rule was already reported: its parts may be missing */
        sema_warn_unused(s, sc, NULL);
        return;
    }
    if (!periodic && !triggered)
        diag_report(s->d, DIAG_E0207, at, D_RULE_SAYS_NEITHER_WHEN_JUDGED, r->name);
    if (!count[CL_REQUIRE]) diag_report(s->d, DIAG_E0207, at, D_RULE_HAS_NO_REQUIRE, r->name);
    if (!count[CL_CLAUSE]) diag_report(s->d, DIAG_E0207, at, D_RULE_CITES_NO_CLAUSE_CLAUSE, r->name);
    if (!count[CL_SEVERITY]) diag_report(s->d, DIAG_E0207, at, D_RULE_HAS_NO_SEVERITY_MUST, r->name);
    if (!count[CL_TAGS]) diag_report(s->d, DIAG_E0207, at, D_RULE_HAS_NO_TAGS, r->name);
    if (!count[CL_MESSAGE] && r->decl->loc.src == s->leaf)
        diag_report(s->d, DIAG_W0004, at, D_RULE_HAS_NO_MESSAGE_REPORTS, r->name);
    r->periodic = periodic;
    sema_warn_unused(s, sc, NULL);
}
