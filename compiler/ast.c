/* ast.c - small helpers over the syntax tree: list pushes and names. */
#include "ast.h"

#include <string.h>

void namelist_push(Arena *a, NameList *l, const char *name, SrcLoc loc)
{
    if (l->len == l->cap) {
        int cap = l->cap ? l->cap * 2 : 4;
        const char **names = arena_alloc(a, sizeof(char *) * (size_t)cap);
        SrcLoc *locs = arena_alloc(a, sizeof(SrcLoc) * (size_t)cap);
        if (l->len) {
            memcpy(names, l->names, sizeof(char *) * (size_t)l->len);
            memcpy(locs, l->locs, sizeof(SrcLoc) * (size_t)l->len);
        }
        l->names = names;
        l->locs = locs;
        l->cap = cap;
    }
    l->names[l->len] = name;
    l->locs[l->len] = loc;
    l->len++;
}

const char *clause_kind_name(ClauseKind k)
{
    static const char *names[CL_KIND_COUNT] = {
        "tags", "clause", "severity", "every", "unless", "on", "for", "let",
        "when", "require", "deadline", "subjects", "evidence", "message", "only",
    };
    return (unsigned)k < CL_KIND_COUNT ? names[k] : "?";
}

const char *decl_kind_name(DeclKind k)
{
    static const char *names[] = {
        "policy", "extends", "role", "body", "enum", "events", "event", "roster", "table",
        "calendar", "param", "def", "rule", "rename", "set", "override", "replace", "disable",
    };
    return (unsigned)k < sizeof names / sizeof names[0] ? names[k] : "?";
}
