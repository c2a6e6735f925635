/* sema_decl.c - pass A of semantic analysis: the declarations of each file
 * of an extends chain (header, enumerations, bindings, event types,
 * parameters, definitions, rules), then its adaptations of the files it
 * extends (rename, set, override, replace, disable). Types are pass B's. */
#include "sema_int.h"

#include "../runtime/ztime.h"

static void header_entry(Sema *s, HeaderEntry *e)
{
    PolicyHeader *h = &s->p->header;
    Expr *v = e->value;
    const char *key = e->key;
    bool is_string = v->kind == EX_STRING;
    if (!strcmp(key, "title") || !strcmp(key, "document") || !strcmp(key, "units")) {
        if (!is_string) {
            diag_report(s->d, DIAG_E0209, v->loc, D_TAKES_STRING, key);
            return;
        }
        if (!strcmp(key, "title")) h->title = v->text;
        else if (!strcmp(key, "document")) h->document = v->text;
        else h->units_column = v->text;
    } else if (!strcmp(key, "effective")) {
        if (v->kind != EX_TIME || v->tval.has_time) {
            diag_report(s->d, DIAG_E0209, v->loc, D_EFFECTIVE_TAKES_DATE_SUCH_AS);
            return;
        }
        h->effective_local = v->tval.local_seconds;
        h->has_effective = true;
        h->effective_loc = v->loc;
    } else if (!strcmp(key, "timezone")) {
        if (!is_string || !zt_parse_offset(v->text, &h->tz_offset)) {
            diag_report(s->d, DIAG_E0209, v->loc, D_TIMEZONE_TAKES_STRING_SUCH_AS);
            return;
        }
        if (h->tz_offset < -ZL_MAX_TZ_OFFSET || h->tz_offset > ZL_MAX_TZ_OFFSET) {
            diag_report(s->d, DIAG_E0402, v->loc, D_TIME_ZONE_OFFSET_OUT_RANGE, v->text);
            h->tz_offset = 0;
        }
    } else {
        Diag *g = diag_report(s->d, DIAG_E0209, e->loc, D_UNKNOWN_POLICY_HEADER_ENTRY_KNOWN, key);
        static const char *const known[] = {"title", "document", "effective", "timezone", "units"};
        Suggest sg;
        suggest_init(&sg, key);
        for (size_t k = 0; k < sizeof known / sizeof *known; k++) suggest_offer(&sg, known[k]);
        sema_did_you_mean(s, g, &sg);
    }
}

static void policy_header(Sema *s, Decl *d, bool is_root)
{
    if (s->header_seen && s->header_loc.src == d->loc.src) {
        Diag *g = diag_report(s->d, DIAG_E0201, d->loc, D_FILE_HAS_ONE_POLICY_HEADER);
        diag_note(s->d, g, s->header_loc, D_PREVIOUSLY_DECLARED_HERE);
        return;
    }
    s->header_seen = true;
    s->header_loc = d->loc;
    s->p->header.name = d->name;
    s->p->header.loc = d->loc;
    for (int i = 0; i < d->nentries; i++)
        for (int j = 0; j < i; j++)
            if (!strcmp(d->entries[i]->key, d->entries[j]->key)) {
                Diag *g = diag_report(s->d, DIAG_E0209, d->entries[i]->loc, D_GIVEN_TWICE, d->entries[i]->key);
                diag_note(s->d, g, d->entries[j]->loc, D_FIRST_GIVEN_HERE);
            }
    for (int i = 0; i < d->nentries; i++) header_entry(s, d->entries[i]);
    if (is_root && !sema_is_broken(s, d->loc.src)) {
        static const char *required[] = {"title", "document", "effective", "timezone"};
        for (size_t k = 0; k < sizeof required / sizeof required[0]; k++) {
            bool found = false;
            for (int i = 0; i < d->nentries; i++) found |= !strcmp(d->entries[i]->key, required[k]);
            if (!found) diag_report(s->d, DIAG_E0209, d->name_loc, D_POLICY_HEADER_LACKS, required[k]);
        }
    }
}

static TableSym *declare_table(Sema *s, Decl *d, TableKind kind)
{
    TableSym *t = arena_alloc(s->a, sizeof *t);
    t->sym.kind = SYM_TABLE;
    t->name = d->name ? d->name : "events";
    t->table = d->text;
    t->kind = kind;
    t->loc = d->name ? d->name_loc : d->loc;
    t->key = -1;
    t->index = -1;
    t->from_leaf = s->in_leaf;
    const char *why = zl_table_name_problem(t->table);
    if (why)
        diag_report(s->d, DIAG_E0219, d->text_loc, D_THIS_TABLE_NAME_BINDING_NAMES,
                    why);
    t->fields = arena_alloc(s->a, sizeof(FieldSym *) * (size_t)(d->fields.len + 1));
    for (int i = 0; i < d->fields.len; i++) {
        FieldDecl *fd = d->fields.items[i];
        for (int j = 0; j < t->nfields; j++) {
            if (!strcmp(t->fields[j]->name, fd->name)) {
                Diag *g = diag_report(s->d, DIAG_E0201, fd->loc, D_FIELD_DECLARED_TWICE, fd->name);
                diag_note(s->d, g, t->fields[j]->loc, D_PREVIOUSLY_DECLARED_HERE);
                goto next;
            }
            if (!strcmp(t->fields[j]->column, fd->column)) {
                Diag *g = diag_report(s->d, DIAG_E0201, fd->column_loc, D_COLUMN_BOUND_TWICE, fd->column);
                diag_note(s->d, g, t->fields[j]->loc, D_PREVIOUSLY_BOUND_HERE);
                goto next;
            }
        }
        if (t->nfields == ZL_MAX_FIELDS)
            diag_report(s->d, DIAG_E0403, fd->loc, D_HAS_MORE_THAN_FIELDS, diag_word(kind == TABLE_EVENTS ? D_W_EVENT_LOG : D_W_TABLE),
                        t->name, ZL_MAX_FIELDS);
        FieldSym *f = arena_alloc(s->a, sizeof *f);
        f->name = fd->name;
        f->column = fd->column;
        f->optional = fd->optional;
        f->loc = fd->loc;
        t->fields[t->nfields++] = f;
    next:;
    }
    return t;
}

void sema_declare(Sema *s, Decl *d, bool is_root, bool has_parent)
{
    Policy *p = s->p;
    switch (d->kind) {
    case D_POLICY:
        policy_header(s, d, is_root);
        break;
    case D_EXTENDS:
        break; /* resolved by the driver */
    case D_ROLE:
    case D_BODY:
        for (int i = 0; i < d->members.len; i++) {
            EnumMember *m = d->members.items[i];
            sema_add_member(s, d->kind == D_ROLE ? p->roles : p->bodies, m->name, m->value, m->loc);
        }
        break;
    case D_ENUM: {
        if (!sema_check_new_name(s, d->name, d->name_loc, D_W_ENUM)) break;
        EnumSym *en = sema_new_enum(s, d->name, ENUM_USER, d->name_loc);
        for (int i = 0; i < d->members.len; i++) {
            EnumMember *m = d->members.items[i];
            sema_add_member(s, en, m->name, m->value, m->loc);
        }
        break;
    }
    case D_EVENTS:
        if (p->events) {
            Diag *g = diag_report(s->d, DIAG_E0201, d->loc, D_EVENT_LOG_BOUND_TWICE);
            diag_note(s->d, g, p->events->loc, D_PREVIOUSLY_BOUND_HERE);
            break;
        }
        p->events = declare_table(s, d, TABLE_EVENTS);
        break;
    case D_EVENT: {
        if (!sema_check_new_name(s, d->name, d->name_loc, D_W_EVENT_TYPE)) break;
        for (int i = 0; i < p->nevent_types; i++)
            if (!strcmp(p->event_types[i]->value, d->text)) {
                Diag *g = diag_report(s->d, DIAG_E0201, d->name_loc, D_TWO_EVENT_TYPES_STAND_FOR, d->text);
                diag_note(s->d, g, p->event_types[i]->loc, D_PREVIOUSLY_DECLARED_HERE);
                return;
            }
        if (p->nevent_types == ZL_MAX_EVENT_TYPES) {
            diag_report(s->d, DIAG_E0403, d->name_loc, D_TOO_MANY_EVENT_TYPES_AT, ZL_MAX_EVENT_TYPES);
            break;
        }
        EventTypeSym *ev = arena_alloc(s->a, sizeof *ev);
        ev->sym.kind = SYM_EVENT_TYPE;
        ev->name = d->name;
        ev->value = d->text;
        ev->index = p->nevent_types;
        ev->loc = d->name_loc;
        GROW(p->event_types, p->nevent_types);
        p->event_types[p->nevent_types++] = ev;
        sema_add(s, &ev->sym, ev->name);
        d->sym = &ev->sym;
        break;
    }
    case D_ROSTER:
    case D_TABLE:
    case D_CALENDAR: {
        if (!sema_check_new_name(s, d->name, d->name_loc, D_W_TABLE)) break;
        if (d->kind == D_ROSTER)
            for (int i = 0; i < p->ntables; i++)
                if (p->tables[i]->kind == TABLE_ROSTER) {
                    Diag *g = diag_report(s->d, DIAG_E0201, d->name_loc, D_POLICY_HAS_ONE_ROSTER_SECOND, d->name);
                    diag_note(s->d, g, p->tables[i]->loc, D_ROSTER_DECLARED_HERE);
                    return;
                }
        TableSym *t = declare_table(s, d, d->kind == D_ROSTER ? TABLE_ROSTER : d->kind == D_TABLE ? TABLE_KEYED : TABLE_CALENDAR);
        if (d->kind == D_TABLE) {
            t->key = sema_field_index(t, d->key);
            if (t->key < 0) {
                Diag *g = diag_report(s->d, DIAG_E0203, d->key_loc, D_KEY_NOT_FIELD_TABLE, d->key, d->name);
                Suggest sg;
                suggest_init(&sg, d->key);
                sema_offer_fields(&sg, t);
                sema_did_you_mean(s, g, &sg);
            }
        }
        GROW(p->tables, p->ntables);
        t->index = p->ntables;
        p->tables[p->ntables++] = t;
        sema_add(s, &t->sym, t->name);
        break;
    }
    case D_PARAM: {
        if (!sema_check_new_name(s, d->name, d->name_loc, D_W_PARAMETER)) break;
        ParamSym *pa = arena_alloc(s->a, sizeof *pa);
        pa->sym.kind = SYM_PARAM;
        pa->name = d->name;
        pa->loc = d->name_loc;
        pa->value = d->expr;
        pa->value_loc = d->expr->loc;
        pa->from_leaf = s->in_leaf;
        GROW(p->params, p->nparams);
        pa->index = p->nparams;
        p->params[p->nparams++] = pa;
        sema_add(s, &pa->sym, pa->name);
        d->sym = &pa->sym;
        break;
    }
    case D_DEF: {
        if (!sema_check_new_name(s, d->name, d->name_loc, D_W_DEFINITION)) break;
        DefSym *de = arena_alloc(s->a, sizeof *de);
        de->sym.kind = SYM_DEF;
        de->name = d->name;
        de->decl = d;
        de->from_leaf = s->in_leaf;
        GROW(p->defs, p->ndefs);
        p->defs[p->ndefs++] = de;
        sema_add(s, &de->sym, de->name);
        break;
    }
    case D_RULE: {
        RuleSym *prev = sema_find(s, SYM_RULE, d->name);
        if (prev) {
            Diag *g = diag_report(s->d, DIAG_E0201, d->name_loc, D_RULE_ALREADY_DECLARED, d->name);
            diag_note(s->d, g, prev->decl->name_loc, D_PREVIOUSLY_DECLARED_HERE);
            if (prev->decl->loc.src != d->loc.src)
                diag_note(s->d, g, sema_no_loc(), D_CHANGE_INHERITED_RULE_USE_OVERRIDE);
            break;
        }
        RuleSym *r = arena_alloc(s->a, sizeof *r);
        r->sym.kind = SYM_RULE;
        r->name = d->name;
        r->decl = d;
        r->clauses = d->clauses;
        GROW(p->rules, p->nrules);
        p->rules[p->nrules++] = r;
        sema_add(s, &r->sym, r->name);
        break;
    }
    case D_RENAME:
    case D_SET:
    case D_OVERRIDE:
    case D_REPLACE:
    case D_DISABLE:
        if (!has_parent) {
            diag_report(s->d, DIAG_E0306, d->loc, D_ADAPTS_INHERITED_POLICY_BUT_THIS,
                        decl_kind_name(d->kind));
            break;
        }
        break; /* applied by sema_adapt() */
    }
}

static bool override_allowed(ClauseKind k)
{
    return k == CL_TAGS || k == CL_CLAUSE || k == CL_SEVERITY || k == CL_EVERY || k == CL_UNLESS || k == CL_ONLY ||
           k == CL_MESSAGE || k == CL_DEADLINE;
}

/* Replaces, in r's effective clauses, every clause of each kind the override
 * gives; a kind the rule lacks is added at the end (metadata) or after `every`. */
static void apply_override(Sema *s, RuleSym *r, Decl *d)
{
    bool has_every = false, has_on = false;
    for (int i = 0; i < r->clauses.len; i++) {
        has_every |= r->clauses.items[i]->kind == CL_EVERY;
        has_on |= r->clauses.items[i]->kind == CL_ON;
    }
    for (int i = 0; i < d->clauses.len; i++) {
        RuleClause *c = d->clauses.items[i];
        if (!override_allowed(c->kind)) {
            diag_report(s->d, DIAG_E0218, c->loc,D_OVERRIDE_MAY_CHANGE_TAGS_CLAUSE, clause_kind_name(c->kind), r->name);
            return;
        }
        if (c->kind == CL_EVERY && !has_every) {
            diag_report(s->d, DIAG_E0218, c->loc, D_RULE_TRIGGERED_EVENTS_ON_HAS, r->name);
            return;
        }
        if (c->kind == CL_DEADLINE && !has_on) {
            diag_report(s->d, DIAG_E0218, c->loc, D_RULE_PERIODIC_HAS_NO_DEADLINE, r->name);
            return;
        }
    }
    /* a new `every` keeps the name the rule's clauses use for the period */
    const char *period_name = NULL;
    for (int i = 0; i < r->clauses.len; i++)
        if (r->clauses.items[i]->kind == CL_EVERY) period_name = r->clauses.items[i]->period->var;
    for (int i = 0; i < d->clauses.len; i++) {
        RuleClause *c = d->clauses.items[i];
        if (c->kind != CL_EVERY || !period_name) continue;
        if (!c->period->var) {
            c->period->var = period_name;
        } else if (strcmp(c->period->var, period_name)) {
            diag_report(s->d, DIAG_E0218, c->period->var_loc, D_RULE_CALLS_PERIOD_WRITE_AS, r->name,
                        period_name, period_name);
            return;
        }
    }
    ClauseList out;
    memset(&out, 0, sizeof out);
    bool done[CL_KIND_COUNT] = {false};
    for (int i = 0; i < r->clauses.len; i++) {
        RuleClause *c = r->clauses.items[i];
        bool replaced = false;
        for (int j = 0; j < d->clauses.len; j++) replaced |= d->clauses.items[j]->kind == c->kind;
        if (!replaced) { AST_PUSH(s->a, out, c); continue; }
        if (done[c->kind]) continue;
        done[c->kind] = true;
        for (int j = 0; j < d->clauses.len; j++)
            if (d->clauses.items[j]->kind == c->kind) AST_PUSH(s->a, out, d->clauses.items[j]);
    }
    for (int j = 0; j < d->clauses.len; j++) {
        RuleClause *c = d->clauses.items[j];
        if (done[c->kind]) continue;
        if (c->kind == CL_UNLESS || c->kind == CL_ONLY) {
            /* insert right after `every` or `on` */
            ClauseList out2;
            memset(&out2, 0, sizeof out2);
            for (int i = 0; i < out.len; i++) {
                AST_PUSH(s->a, out2, out.items[i]);
                if (out.items[i]->kind == CL_EVERY || out.items[i]->kind == CL_ON) AST_PUSH(s->a, out2, c);
            }
            out = out2;
        } else {
            AST_PUSH(s->a, out, c);
        }
    }
    r->clauses = out;
    r->overridden = true;
}

static void unknown_rule(Sema *s, Decl *d, const char *verb)
{
    Diag *g = diag_report(s->d, DIAG_E0302, d->name_loc, D_THERE_NO_RULE, d->name, verb);
    Suggest sg;
    suggest_init(&sg, d->name);
    sema_offer_globals(s, &sg, SYM_RULE);
    sema_did_you_mean(s, g, &sg);
}

/* `rename rule A to B`: the rule is reported as B; A and B both name it in
 * the adaptations that follow (as with roles and bodies). */
static void rename_rule(Sema *s, Decl *d)
{
    RuleSym *r = sema_find(s, SYM_RULE, d->name);
    if (!r) {
        unknown_rule(s, d, "rename");
        return;
    }
    RuleSym *other = sema_find(s, SYM_RULE, d->new_name);
    if (other && other != r) {
        Diag *g = diag_report(s->d, DIAG_E0307, d->new_name_loc, D_ALREADY_RULE_THIS_POLICY, d->new_name);
        diag_note(s->d, g, other->decl->name_loc, D_DECLARED_HERE);
        return;
    }
    if (!other) sema_add(s, &r->sym, d->new_name);
    r->name = d->new_name;
}

void sema_adapt(Sema *s, Decl *d, bool *set_here)
{
    Policy *p = s->p;
    switch (d->kind) {
    case D_RENAME: {
        if (d->rename_what == D_RULE) {
            rename_rule(s, d);
            break;
        }
        EnumSym *en = d->rename_what == D_ROLE ? p->roles : p->bodies;
        const char *what = diag_word(d->rename_what == D_ROLE ? D_W_ROLE : D_W_BODY);
        EnumMemberSym *m = sema_find_member(en, d->name);
        if (!m) {
            Diag *g = diag_report(s->d, DIAG_E0304, d->name_loc, D_THERE_NO_RENAME, what, d->name);
            Suggest sg;
            suggest_init(&sg, d->name);
            sema_offer_members(&sg, en);
            sema_did_you_mean(s, g, &sg);
            break;
        }
        /* a file renames a member once; a later file of the chain may rename it again */
        if (m->alias && m->renamed_in == d->loc.src) {
            diag_report(s->d, DIAG_E0307, d->name_loc, D_ALREADY_RENAMED, what, d->name, m->alias);
            break;
        }
        if (m->naliases == MAX_RENAMES) {
            diag_report(s->d, DIAG_E0307, d->name_loc, D_RENAMED_MORE_THAN_TIMES, what, d->name, MAX_RENAMES);
            break;
        }
        /* onto another member's declared name is a conflict; onto a name another
         * member was renamed to merges the two (both match the new value) */
        EnumMemberSym *other = sema_find_member(en, d->new_name);
        if (other && other != m && !strcmp(other->name, d->new_name)) {
            Diag *g = diag_report(s->d, DIAG_E0307, d->new_name_loc, D_ALREADY_THIS_POLICY, d->new_name, what);
            diag_note(s->d, g, other->loc, D_DECLARED_HERE);
            break;
        }
        m->aliases[m->naliases++] = d->new_name;
        m->alias = d->new_name;
        m->renamed_in = d->loc.src;
        m->value = d->new_name;
        break;
    }
    case D_SET: {
        ParamSym *pa = sema_find(s, SYM_PARAM, d->name);
        if (!pa) {
            Diag *g = diag_report(s->d, DIAG_E0303, d->name_loc, D_THERE_NO_PARAMETER_SET, d->name);
            Suggest sg;
            suggest_init(&sg, d->name);
            sema_offer_globals(s, &sg, SYM_PARAM);
            sema_did_you_mean(s, g, &sg);
            break;
        }
        int idx = 0;
        while (p->params[idx] != pa) idx++;
        if (set_here[idx]) {
            diag_report(s->d, DIAG_E0307, d->name_loc, D_PARAMETER_SET_TWICE_THIS_FILE, d->name);
            break;
        }
        set_here[idx] = true;
        pa->value = d->expr;
        pa->value_loc = d->expr->loc;
        d->sym = &pa->sym;
        break;
    }
    case D_OVERRIDE:
    case D_REPLACE:
    case D_DISABLE: {
        RuleSym *r = sema_find(s, SYM_RULE, d->name);
        if (!r) {
            unknown_rule(s, d, decl_kind_name(d->kind));
            break;
        }
        if (r->disabled) {
            Diag *g = diag_report(s->d, DIAG_E0307, d->name_loc, D_RULE_DISABLED, d->name);
            diag_note(s->d, g, r->disabled_loc, D_DISABLED_HERE);
            break;
        }
        if (d->kind == D_DISABLE) {
            if (!d->text || !d->text[0]) {
                diag_report(s->d, DIAG_E0207, d->text_loc, D_DISABLED_RULE_NEEDS_REASON);
                break;
            }
            r->disabled = true;
            r->disabled_reason = d->text;
            r->disabled_loc = d->loc;
        } else if (d->kind == D_REPLACE) {
            r->decl = d;
            r->clauses = d->clauses;
            r->replaced = true;
        } else {
            apply_override(s, r, d);
        }
        break;
    }
    default:
        break;
    }
}

/* 参照执行: a rule whose clauses were written under another document than the
 * adapted policy's (an inherited, not re-cited rule) cites, after them, the
 * adapting document and the clauses it follows: "DOC" "参照PARENT一(二)、三(八)执行".
 * docs[f] is the policy's document as of chain file f. */
void sema_cite_followed(Sema *s, AstFile **chain, const char **docs, int nchain)
{
    const char *doc = s->p->header.document;
    if (!doc || nchain < 2) return;
    for (int i = 0; i < s->p->nrules; i++) {
        RuleSym *r = s->p->rules[i];
        RuleClause *first = NULL, *last = NULL;
        const char *ids = NULL;
        for (int k = 0; k < r->clauses.len; k++) {
            RuleClause *c = r->clauses.items[k];
            if (c->kind != CL_CLAUSE) continue;
            if (!first) first = c;
            last = c;
            ids = ids ? arena_printf(s->a, "%s、%s", ids, c->text) : c->text;
        }
        const char *followed = NULL;
        for (int f = 0; first && f < nchain; f++)
            if (chain[f]->src == first->loc.src) followed = docs[f];
        if (!followed || !strcmp(followed, doc)) continue;
        RuleClause *c = arena_alloc(s->a, sizeof *c);
        *c = *last;
        c->comments = NULL;
        c->text = doc;
        c->clause_text = arena_printf(s->a, "参照%s%s执行", followed, ids);
        ClauseList out;
        memset(&out, 0, sizeof out);
        for (int k = 0; k < r->clauses.len; k++) {
            AST_PUSH(s->a, out, r->clauses.items[k]);
            if (r->clauses.items[k] == last) AST_PUSH(s->a, out, c);
        }
        r->clauses = out;
    }
}
