/* sema.c - semantic analysis: the driver that runs the passes over an extends
 * chain (sema_int.h names the files of the passes; what they all use is in
 * sema_sym.c). Reports errors with codes from diag_codes.def and never stops
 * at the first: an expression whose type could not be found gets T_ERROR,
 * which silences every later complaint about it (no cascades). */
#include "sema_int.h"

#include "../runtime/ztime.h"

/* ---- driver ---------------------------------------------------------------------- */

static void init_builtins(Sema *s)
{
    s->t_error = sema_type(s, T_ERROR);
    s->t_bool = sema_type(s, T_BOOL);
    s->t_int = sema_type(s, T_INT);
    s->t_duration = sema_type(s, T_DURATION);
    s->t_time = sema_type(s, T_TIME);
    s->t_text = sema_type(s, T_TEXT);
    s->t_id = sema_type(s, T_ID);
    s->t_person = sema_type(s, T_PERSON);
    s->t_persons = sema_list_of(s, s->t_person);
    SrcLoc none = sema_no_loc();
    s->p->roles = sema_new_enum(s, "role", ENUM_ROLE, none);
    s->p->bodies = sema_new_enum(s, "body", ENUM_BODY, none);
    s->p->weekdays = sema_new_enum(s, "weekday", ENUM_WEEKDAY, none);
    static const char *days[][2] = {{"monday", "星期一"}, {"tuesday", "星期二"}, {"wednesday", "星期三"},
                                    {"thursday", "星期四"}, {"friday", "星期五"}, {"saturday", "星期六"},
                                    {"sunday", "星期日"}};
    for (int i = 0; i < 7; i++) {
        EnumMemberSym *m = sema_add_member(s, s->p->weekdays, days[i][0], arena_printf(s->a, "%d", i + 1), none);
        m->alias = days[i][1];
    }
}

Policy *sema_check(Arena *arena, DiagEngine *diag, AstFile **chain, int nchain)
{
    Sema sema;
    memset(&sema, 0, sizeof sema);
    Sema *s = &sema;
    s->a = arena;
    s->d = diag;
    s->p = arena_alloc(arena, sizeof(Policy));
    sema_symtab_init(&s->syms);
    s->p->header.tz_offset = 0;
    s->leaf = chain[nchain - 1]->src;
    for (int i = 0; i < nchain && s->nbroken < 32; i++)
        if (chain[i]->syntax_errors) s->broken[s->nbroken++] = chain[i]->src;
    init_builtins(s);
    s->p->files = arena_alloc(arena, sizeof(Source *) * (size_t)nchain);
    for (int i = 0; i < nchain; i++) s->p->files[s->p->nfiles++] = chain[i]->src;

    /* Pass A: declarations, then each file's adaptations, root first. */
    const char **docs = arena_alloc(arena, sizeof(char *) * (size_t)nchain); /* the document as of each file */
    for (int f = 0; f < nchain; f++) {
        AstFile *file = chain[f];
        s->in_leaf = f == nchain - 1;
        s->header_seen = false;
        bool root_header = false;
        for (int i = 0; i < file->decls.len; i++) {
            Decl *d = file->decls.items[i];
            if (d->kind == D_POLICY) root_header = true;
            sema_declare(s, d, f == 0, f > 0);
        }
        if (f == 0 && !root_header && !file->syntax_errors) {
            SrcLoc at = {file->src, 1, 1, 1, 1, 0, 0};
            diag_report(s->d, DIAG_E0209, at, D_NO_POLICY_HEADER_START_FILE);
        }
        if (f > 0) {
            bool *set_here = arena_alloc(arena, sizeof(bool) * (size_t)(s->p->nparams + 1));
            for (int i = 0; i < file->decls.len; i++) sema_adapt(s, file->decls.items[i], set_here);
        }
        docs[f] = s->p->header.document;
    }
    /* Pass B: types of bindings and event types, in declaration order. */
    for (int f = 0; f < nchain; f++) {
        AstFile *file = chain[f];
        for (int i = 0; i < file->decls.len; i++) {
            Decl *d = file->decls.items[i];
            if (d->kind == D_EVENTS && s->p->events && s->p->events->loc.off == d->loc.off &&
                s->p->events->loc.src == d->loc.src)
                sema_resolve_table_fields(s, s->p->events, d);
            if (d->kind == D_ROSTER || d->kind == D_TABLE || d->kind == D_CALENDAR) {
                TableSym *t = sema_find(s, SYM_TABLE, d->name);
                if (t && t->loc.off == d->name_loc.off && t->loc.src == d->name_loc.src) sema_resolve_table_fields(s, t, d);
            }
        }
    }
    for (int f = 0; f < nchain; f++) {
        AstFile *file = chain[f];
        for (int i = 0; i < file->decls.len; i++) {
            Decl *d = file->decls.items[i];
            if (d->kind == D_EVENT && d->sym) sema_resolve_event_type(s, sym_as(d->sym, SYM_EVENT_TYPE), d);
        }
    }
    PolicyHeader *h = &s->p->header;
    int64_t effective = h->effective_local - h->tz_offset;
    if (h->has_effective && (effective < ZT_MIN_TIME || effective > ZT_MAX_TIME))
        diag_report(s->d, DIAG_E0400, h->effective_loc, D_EFFECTIVE_DATE_FALLS_YEARS_UTC,
                    diag_word(effective < ZT_MIN_TIME ? D_W_BEFORE : D_W_AFTER));
    /* Pass C: parameter values (the declaration's type, the effective value). */
    sema_check_params(s, chain, nchain);
    for (int i = 0; i < s->p->ndefs; i++) sema_check_def(s, s->p->defs[i]);
    for (int i = 0; i < s->p->nrules; i++) {
        RuleSym *r = s->p->rules[i];
        sema_check_rule(s, r);
    }
    sema_cite_followed(s, chain, docs, nchain);
    /* Unused declarations of the file being checked. */
    for (int i = 0; i < s->p->nparams; i++)
        if (!s->p->params[i]->used && s->p->params[i]->from_leaf)
            diag_report(s->d, DIAG_W0001, s->p->params[i]->loc, D_PARAMETER_NEVER_USED, s->p->params[i]->name);
    for (int i = 0; i < s->p->ndefs; i++)
        if (!s->p->defs[i]->used && s->p->defs[i]->from_leaf)
            diag_report(s->d, DIAG_W0001, s->p->defs[i]->decl->name_loc, D_DEFINITION_NEVER_USED, s->p->defs[i]->name);
    for (int i = 0; i < s->p->ntables; i++)
        if (!s->p->tables[i]->used && s->p->tables[i]->from_leaf)
            diag_report(s->d, DIAG_W0001, s->p->tables[i]->loc, D_TABLE_NEVER_USED, s->p->tables[i]->name);
    sema_symtab_free(&s->syms);
    return s->p;
}
