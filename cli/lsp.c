/* lsp.c - the requests of `zhidu lsp`: lifecycle (initialize, shutdown,
 * exit), document sync (full text) with diagnostics published on every
 * change, hover, definition, document symbols, completion and formatting
 * (compiler/fmt.h, the layout of `zhidu fmt`). Framing is in
 * lsp_rpc.c, the open documents in lsp_docs.c, names in lsp_index.c. The
 * diagnostics are the compiler's own: the codes, messages and spans of
 * `zhidu check`, with columns converted to UTF-16 code units. */
#define _XOPEN_SOURCE 700
#include "lsp.h"

#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "lsp_docs.h"
#include "lsp_rpc.h"
#include "text.h"

enum {
    ERR_PARSE = -32700, ERR_INVALID_REQUEST = -32600, ERR_METHOD = -32601, ERR_PARAMS = -32602,
    ERR_INTERNAL = -32603, ERR_NOT_INITIALIZED = -32002,
};

typedef struct Server {
    DocStore docs;
    bool initialized, shutdown;
    FILE *out;
    bool write_failed;
} Server;

static void emit(Server *s, json_t *msg)
{
    if (!msg) { /* cannot happen with text(): every string is made valid UTF-8 */
        fputs("zhidu lsp: an answer could not be encoded\n", stderr);
        return;
    }
    if (rpc_write(s->out, msg) != 0) s->write_failed = true;
    json_decref(msg);
}

static void reply(Server *s, json_t *id, json_t *result)
{
    emit(s, json_pack("{s:s, s:O, s:o}", "jsonrpc", "2.0", "id", id ? id : json_null(), "result", result ? result : json_null()));
}

static void reply_error(Server *s, json_t *id, int code, const char *message)
{
    emit(s, json_pack("{s:s, s:O, s:{s:i, s:s}}", "jsonrpc", "2.0", "id", id ? id : json_null(), "error", "code", code,
                      "message", message));
}

/* A JSON string of s. JSON strings are UTF-8: invalid bytes (a rule file on
 * disk may hold them, in strings and comments) become U+FFFD. */
static json_t *text(const char *s)
{
    json_t *j = json_string(s);
    if (j) return j;
    size_t n = strlen(s);
    char *out = malloc(n * 3 + 1);
    if (!out) return json_string("");
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    size_t k = 0;
    while (p < end) {
        uint32_t cp;
        int len = utf8_decode(p, end, &cp);
        if (len > 0) { memcpy(out + k, p, (size_t)len); k += (size_t)len; p += len; }
        else { memcpy(out + k, "\xEF\xBF\xBD", 3); k += 3; p++; }
    }
    out[k] = '\0';
    j = json_string(out);
    free(out);
    return j ? j : json_string("");
}

/* ---- positions ------------------------------------------------------------------ */

static json_t *position(const char *text, size_t len, size_t off)
{
    int line, ch;
    docs_position(text, len, off, &line, &ch);
    return json_pack("{s:i, s:i}", "line", line, "character", ch);
}

static json_t *range_in(const char *text, size_t len, size_t off, size_t end)
{
    if (end < off) end = off;
    return json_pack("{s:o, s:o}", "start", position(text, len, off), "end", position(text, len, end));
}

static json_t *range_of(SrcLoc loc)
{
    if (!loc.src) return range_in("", 0, 0, 0);
    return range_in(loc.src->text, loc.src->len, loc.off, loc.end);
}

static char *uri_of(const char *path)
{
    char *real = realpath(path, NULL);
    char *uri = docs_path_to_uri(real ? real : path);
    free(real);
    return uri;
}

/* A place in the document d (under the URI the editor gave) or in a file it extends. */
static json_t *location(const LspDoc *d, SrcLoc loc)
{
    if (d->index && loc.src == d->index->src) return json_pack("{s:s, s:o}", "uri", d->uri, "range", range_of(loc));
    char *uri = uri_of(loc.src->path);
    json_t *l = json_pack("{s:s, s:o}", "uri", uri ? uri : "", "range", range_of(loc));
    free(uri);
    return l;
}

/* The byte offset a request's params.position points at; false if absent. */
static bool request_offset(json_t *params, const LspDoc *d, size_t *off)
{
    json_t *pos = json_object_get(params, "position");
    json_t *line = json_object_get(pos, "line"), *ch = json_object_get(pos, "character");
    if (!json_is_integer(line) || !json_is_integer(ch)) return false;
    json_int_t l = json_integer_value(line), c = json_integer_value(ch);
    if (l < 0 || c < 0 || l > 0x7fffffff || c > 0x7fffffff) return false;
    *off = docs_offset(d->text, d->len, (int)l, (int)c);
    return true;
}

static const char *param_uri(json_t *params)
{
    return json_string_value(json_object_get(json_object_get(params, "textDocument"), "uri"));
}

/* ---- diagnostics ---------------------------------------------------------------- */

/* Where a diagnostic of another file of the chain is shown: on `extends`. */
static SrcLoc extends_loc(const LspDoc *d)
{
    SrcLoc none = {0};
    const Compilation *c = d->comp;
    if (!c || c->nchain == 0) return none;
    const AstFile *f = c->chain[c->nchain - 1];
    for (int i = 0; i < f->decls.len; i++)
        if (f->decls.items[i]->kind == D_EXTENDS) return f->decls.items[i]->text_loc;
    return none;
}

static json_t *diagnostic(const LspDoc *d, const Diag *g)
{
    const Source *own = d->index ? d->index->src : NULL;
    DiagSeverity sev = diag_code_severity(g->code);
    json_t *range;
    char *message;
    if (g->loc.src && g->loc.src == own) {
        range = range_of(g->loc);
        message = strdup(g->shown);
    } else {
        /* a diagnostic in a file this one extends, placed on the extends line */
        SrcLoc at = extends_loc(d);
        range = at.src == own && own ? range_of(at) : range_in("", 0, 0, 0);
        size_t n = strlen(g->shown) + (g->loc.src ? strlen(g->loc.src->path) : 0) + 64;
        message = malloc(n);
        if (message && g->loc.src) snprintf(message, n, "%s:%d:%d: %s", g->loc.src->path, g->loc.line, g->loc.col, g->shown);
        else if (message) snprintf(message, n, "%s", g->shown);
    }
    json_t *related = json_array();
    if (g->loc.src && g->loc.src != own) /* the place itself, for a client to jump to */
        json_array_append_new(related, json_pack("{s:o, s:o}", "location", location(d, g->loc), "message", text(g->shown)));
    for (const DiagNote *n = g->notes; n; n = n->next) {
        if (n->loc.src) json_array_append_new(related, json_pack("{s:o, s:o}", "location", location(d, n->loc), "message", text(n->shown)));
    }
    json_t *out = json_pack("{s:o, s:i, s:s, s:s, s:o}", "range", range,
                            "severity", sev == DIAG_ERROR ? 1 : sev == DIAG_WARNING ? 2 : 3,
                            "code", diag_code_name(g->code), "source", "zhidu", "message", text(message ? message : g->shown));
    free(message);
    if (json_array_size(related)) json_object_set(out, "relatedInformation", related);
    json_decref(related);
    return out;
}

static void publish(Server *s, const char *uri, const LspDoc *d)
{
    json_t *list = json_array();
    if (d && d->comp)
        for (const Diag *g = d->comp->diag.first; g; g = g->next) json_array_append_new(list, diagnostic(d, g));
    emit(s, json_pack("{s:s, s:s, s:{s:s, s:o}}", "jsonrpc", "2.0", "method", "textDocument/publishDiagnostics",
                      "params", "uri", uri, "diagnostics", list));
}

/* ---- document sync -------------------------------------------------------------- */

static void did_open_or_change(Server *s, json_t *params, bool open)
{
    const char *uri = param_uri(params);
    json_t *body = NULL;
    if (open) {
        body = json_object_get(json_object_get(params, "textDocument"), "text");
    } else {
        json_t *changes = json_object_get(params, "contentChanges");
        size_t n = json_array_size(changes);
        if (n) body = json_object_get(json_array_get(changes, n - 1), "text"); /* full sync: the last is the text */
        if (!docs_find(&s->docs, uri ? uri : "")) return; /* a change to a document never opened */
    }
    if (!uri || !json_is_string(body)) return;
    LspDoc *d = docs_set(&s->docs, uri, json_string_value(body), json_string_length(body));
    if (d) publish(s, uri, d);
}

/* A file was saved: every open document may extend it, so each is checked again. */
static void did_save(Server *s)
{
    for (LspDoc *d = s->docs.first; d; d = d->next) {
        LspDoc *again = docs_set(&s->docs, d->uri, d->text, d->len);
        if (again) publish(s, again->uri, again);
    }
}

static void did_close(Server *s, json_t *params)
{
    const char *uri = param_uri(params);
    if (!uri || !docs_find(&s->docs, uri)) return;
    docs_close(&s->docs, uri);
    publish(s, uri, NULL);
}

/* ---- requests on a position ----------------------------------------------------- */

static const LspOcc *occ_at(Server *s, json_t *params, LspDoc **doc)
{
    LspDoc *d = docs_find(&s->docs, param_uri(params) ? param_uri(params) : "");
    size_t off;
    *doc = d;
    if (!d || !d->index || !request_offset(params, d, &off)) return NULL;
    return lidx_at(d->index, off);
}

static json_t *hover(Server *s, json_t *params)
{
    LspDoc *d;
    const LspOcc *o = occ_at(s, params, &d);
    const char *md = o ? lidx_hover(d->index, o) : NULL;
    if (!md) return json_null();
    return json_pack("{s:{s:s, s:o}, s:o}", "contents", "kind", "markdown", "value", text(md), "range",
                     range_in(d->text, d->len, o->off, o->end));
}

static json_t *definition(Server *s, json_t *params)
{
    LspDoc *d;
    const LspOcc *o = occ_at(s, params, &d);
    if (!o || !o->def || !o->def->loc.src) return json_null();
    return location(d, o->def->loc);
}

static json_t *symbol(const char *name, int kind, const char *detail, SrcLoc range, SrcLoc sel)
{
    if (range.off > sel.off || range.end < sel.end) range = sel;
    return json_pack("{s:o, s:i, s:o, s:o, s:o}", "name", text(name), "kind", kind, "detail", text(detail), "range", range_of(range),
                     "selectionRange", range_of(sel));
}

enum { SK_NAMESPACE = 3, SK_FIELD = 8, SK_ENUM = 10, SK_FUNCTION = 12, SK_CONSTANT = 14, SK_OBJECT = 19,
       SK_ENUM_MEMBER = 22, SK_STRUCT = 23, SK_EVENT = 24 };

static json_t *document_symbols(Server *s, json_t *params)
{
    LspDoc *d = docs_find(&s->docs, param_uri(params) ? param_uri(params) : "");
    if (!d || !d->comp || d->comp->nchain == 0) return json_null();
    const AstFile *f = d->comp->chain[d->comp->nchain - 1];
    json_t *list = json_array();
    for (int i = 0; i < f->decls.len; i++) {
        const Decl *x = f->decls.items[i];
        const char *kind = decl_kind_name(x->kind);
        int sk = 0;
        switch (x->kind) {
        case D_ROLE: case D_BODY:
            for (int k = 0; k < x->members.len; k++)
                json_array_append_new(list, symbol(x->members.items[k]->name, SK_ENUM_MEMBER, kind, x->members.items[k]->loc,
                                                   x->members.items[k]->loc));
            continue;
        case D_RENAME:
            json_array_append_new(list, symbol(x->new_name, SK_ENUM_MEMBER,
                                               x->rename_what == D_ROLE   ? "role (renamed)"
                                               : x->rename_what == D_BODY ? "body (renamed)"
                                                                          : "rule (renamed)",
                                               x->loc, x->new_name_loc));
            continue;
        case D_POLICY: sk = SK_NAMESPACE; break;
        case D_ENUM: sk = SK_ENUM; break;
        case D_EVENT: sk = SK_EVENT; break;
        case D_ROSTER: case D_TABLE: case D_CALENDAR: sk = SK_STRUCT; break;
        case D_PARAM: case D_SET: sk = SK_CONSTANT; break;
        case D_DEF: sk = SK_FUNCTION; break;
        case D_RULE: case D_OVERRIDE: case D_REPLACE: case D_DISABLE: sk = SK_OBJECT; break;
        default: continue;
        }
        if (!x->name) continue;
        json_t *sym = symbol(x->name, sk, x->kind == D_OVERRIDE || x->kind == D_REPLACE || x->kind == D_DISABLE
                                              ? (x->kind == D_OVERRIDE ? "override rule" : x->kind == D_REPLACE ? "replace rule" : "disable rule")
                                              : kind, x->loc, x->name_loc);
        if (sk == SK_STRUCT && x->fields.len) {
            json_t *kids = json_array();
            for (int k = 0; k < x->fields.len; k++) {
                const FieldDecl *fd = x->fields.items[k];
                json_array_append_new(kids, symbol(fd->name, SK_FIELD, "field", fd->loc, lidx_name_span(fd->loc, fd->name)));
            }
            json_object_set_new(sym, "children", kids);
        }
        json_array_append_new(list, sym);
    }
    return list;
}

enum { CK_FUNCTION = 3, CK_FIELD = 5, CK_VARIABLE = 6, CK_CLASS = 7, CK_ENUM = 13, CK_KEYWORD = 14, CK_FILE = 17,
       CK_ENUM_MEMBER = 20, CK_CONSTANT = 21, CK_STRUCT = 22, CK_EVENT = 23 };

static int completion_kind(LspKind k)
{
    static const int kinds[] = {
        [LK_POLICY] = CK_CLASS, [LK_ROLE] = CK_ENUM_MEMBER, [LK_BODY] = CK_ENUM_MEMBER, [LK_ENUM] = CK_ENUM,
        [LK_VALUE] = CK_ENUM_MEMBER, [LK_EVENT_TYPE] = CK_EVENT, [LK_TABLE] = CK_STRUCT, [LK_FIELD] = CK_FIELD,
        [LK_PARAM] = CK_CONSTANT, [LK_DEF] = CK_FUNCTION, [LK_RULE] = CK_CLASS, [LK_VAR] = CK_VARIABLE, [LK_FILE] = CK_FILE,
    };
    return kinds[k];
}

static void add_item(json_t *items, json_t *seen, const char *label, int kind, const char *detail)
{
    if (json_object_get(seen, label)) return;
    json_object_set_new(seen, label, json_true());
    json_array_append_new(items, json_pack("{s:o, s:i, s:o}", "label", text(label), "kind", kind, "detail", text(detail)));
}

static json_t *completion(Server *s, json_t *params)
{
    LspDoc *d = docs_find(&s->docs, param_uri(params) ? param_uri(params) : "");
    size_t off;
    if (!d || !d->index || !request_offset(params, d, &off)) return json_null();
    json_t *items = json_array(), *seen = json_object();
    const LspIndex *ix = d->index;
    /* variables in scope first: the innermost declaration of a name wins */
    for (int i = ix->vars.len - 1; i >= 0; i--) {
        const LspDef *v = ix->vars.items[i];
        if (v->loc.end <= off && off <= v->scope_end) add_item(items, seen, v->name, CK_VARIABLE, v->detail);
    }
    for (int i = 0; i < ix->defs.len; i++) {
        const LspDef *g = ix->defs.items[i];
        if (g->kind != LK_POLICY) add_item(items, seen, g->name, completion_kind(g->kind), g->detail);
    }
    for (int i = 0; lidx_keywords[i]; i++) add_item(items, seen, lidx_keywords[i], CK_KEYWORD, "keyword");
    json_decref(seen);
    return json_pack("{s:b, s:o}", "isIncomplete", 0, "items", items);
}

/* ---- formatting ----------------------------------------------------------------- */

/* The whole document in `zhidu fmt`'s layout, as one edit replacing all of it;
 * [] when it already is. A document with syntax errors is left as it is
 * (null: no edits), its errors being on show as diagnostics already. The
 * request's options (tab size, spaces) are ignored: the layout is fixed. */
static void formatting(Server *s, json_t *id, json_t *params)
{
    LspDoc *d = docs_find(&s->docs, param_uri(params));
    if (!d) { reply(s, id, NULL); return; }
    Arena arena;
    DiagEngine diag;
    arena_init(&arena);
    diag_init(&diag, &arena);
    Source *src = source_from_memory(&arena, d->path, d->text, d->len);
    char *out = NULL;
    size_t len = 0;
    FmtResult r = src ? fmt_source(&arena, &diag, src, &out, &len) : FMT_INTERNAL;
    if (r == FMT_INTERNAL) reply_error(s, id, ERR_INTERNAL, "formatting would change the document's tokens; left as it is");
    else if (r == FMT_ERRORS) reply(s, id, NULL);
    else if (len == d->len && memcmp(out, d->text, len) == 0) reply(s, id, json_array());
    else
        reply(s, id, json_pack("[{s:o, s:o}]", "range", range_in(d->text, d->len, 0, d->len), "newText", text(out)));
    arena_free(&arena);
}

/* ---- dispatch ------------------------------------------------------------------- */

/* What the server does, and nothing more. Positions are UTF-16, the
 * protocol's default, said explicitly for 3.17 clients. */
static json_t *capabilities(void)
{
    return json_pack("{s:s, s:{s:b, s:i, s:b}, s:b, s:b, s:b, s:{}, s:b}", "positionEncoding", "utf-16", "textDocumentSync",
                     "openClose", 1, "change", 1, "save", 1, "hoverProvider", 1, "definitionProvider", 1,
                     "documentSymbolProvider", 1, "completionProvider", "documentFormattingProvider", 1);
}

/* Handles one message; returns an exit code when the server must stop, else -1. */
static int handle(Server *s, json_t *msg)
{
    if (!json_is_object(msg)) {
        reply_error(s, NULL, ERR_INVALID_REQUEST, "a message must be a JSON object");
        return -1;
    }
    json_t *id = json_object_get(msg, "id");
    json_t *m = json_object_get(msg, "method");
    json_t *params = json_object_get(msg, "params");
    if (id && !json_is_string(id) && !json_is_integer(id)) {
        reply_error(s, NULL, ERR_INVALID_REQUEST, "the id must be a number or a string");
        return -1;
    }
    if (!json_is_string(m)) {
        if (!id || json_object_get(msg, "result") || json_object_get(msg, "error")) return -1; /* a response: we sent no request */
        reply_error(s, id, ERR_INVALID_REQUEST, "a request needs a method");
        return -1;
    }
    const char *method = json_string_value(m);
    if (!strcmp(method, "exit")) return s->shutdown ? 0 : 1;
    if (!s->initialized && strcmp(method, "initialize") != 0) {
        if (id) reply_error(s, id, ERR_NOT_INITIALIZED, "the server is not initialized");
        return -1;
    }
    if (s->shutdown) {
        if (id) reply_error(s, id, ERR_INVALID_REQUEST, "the server is shutting down");
        return -1;
    }
    if (!id) { /* notifications: unknown ones are ignored, as the protocol asks */
        if (!json_is_object(params)) return -1;
        if (!strcmp(method, "textDocument/didOpen")) did_open_or_change(s, params, true);
        else if (!strcmp(method, "textDocument/didChange")) did_open_or_change(s, params, false);
        else if (!strcmp(method, "textDocument/didClose")) did_close(s, params);
        else if (!strcmp(method, "textDocument/didSave")) did_save(s);
        return -1;
    }
    if (!strcmp(method, "initialize")) {
        if (s->initialized) { reply_error(s, id, ERR_INVALID_REQUEST, "initialize was already received"); return -1; }
        s->initialized = true;
        const char *locale = json_is_object(params) ? json_string_value(json_object_get(params, "locale")) : NULL;
        if (locale) s->docs.lang = !strncmp(locale, "zh", 2) ? LANG_ZH : LANG_EN; /* the editor's language wins */
        reply(s, id, json_pack("{s:o, s:{s:s}}", "capabilities", capabilities(), "serverInfo", "name", "zhidu"));
        return -1;
    }
    if (!strcmp(method, "shutdown")) {
        s->shutdown = true;
        reply(s, id, NULL);
        return -1;
    }
    json_t *(*fn)(Server *, json_t *) = NULL;
    if (!strcmp(method, "textDocument/hover")) fn = hover;
    else if (!strcmp(method, "textDocument/definition")) fn = definition;
    else if (!strcmp(method, "textDocument/documentSymbol")) fn = document_symbols;
    else if (!strcmp(method, "textDocument/completion")) fn = completion;
    bool format = !strcmp(method, "textDocument/formatting");
    if (!fn && !format) {
        reply_error(s, id, ERR_METHOD, "method not supported");
        return -1;
    }
    if (!json_is_object(params) || !param_uri(params)) {
        reply_error(s, id, ERR_PARAMS, "params.textDocument.uri is missing");
        return -1;
    }
    if (format) formatting(s, id, params);
    else reply(s, id, fn(s, params));
    return -1;
}

int lsp_main(Lang lang)
{
    signal(SIGPIPE, SIG_IGN); /* a client that went away ends the loop through a write error */
    Server s = {.out = stdout, .docs = {.lang = lang}};
    int rc = 1;
    for (;;) {
        char *body;
        size_t len;
        const char *why;
        RpcStatus st = rpc_read(stdin, &body, &len, &why);
        if (st == RPC_EOF) break;
        if (st == RPC_SKIPPED) {
            fprintf(stderr, msg_text(lang, MSG_LSP_IGNORED), why);
            continue;
        }
        json_error_t err;
        json_t *msg = json_loadb(body, len, JSON_ALLOW_NUL, &err);
        free(body);
        if (!msg) {
            reply_error(&s, NULL, ERR_PARSE, err.text);
            continue;
        }
        int stop = handle(&s, msg);
        json_decref(msg);
        if (stop >= 0) { rc = stop; break; }
        if (s.write_failed) break;
    }
    docs_free(&s.docs);
    return rc;
}
