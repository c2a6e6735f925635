/* lsp_docs.c - the open documents, URIs and positions (see lsp_docs.h). */
#include "lsp_docs.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

static void doc_free(LspDoc *d)
{
    compile_free(d->comp);
    free(d->uri);
    free(d->path);
    free(d->text);
    free(d);
}

LspDoc *docs_find(DocStore *s, const char *uri)
{
    for (LspDoc *d = s->first; d; d = d->next)
        if (!strcmp(d->uri, uri)) return d;
    return NULL;
}

LspDoc *docs_set(DocStore *s, const char *uri, const char *text, size_t len)
{
    char *path = docs_uri_to_path(uri);
    if (!path) return NULL;
    char *copy = malloc(len + 1);
    Compilation *c = compile_new();
    LspDoc *d = docs_find(s, uri);
    bool fresh = !d;
    if (fresh) d = calloc(1, sizeof *d);
    if (!copy || !c || !d || (fresh && !(d->uri = strdup(uri)))) {
        free(path);
        free(copy);
        compile_free(c);
        if (fresh && d) free(d);
        return NULL;
    }
    memcpy(copy, text, len);
    copy[len] = '\0';
    c->diag.lang = s->lang;
    compile_free(d->comp);
    free(d->text);
    free(d->path);
    d->path = path;
    d->text = copy;
    d->len = len;
    d->comp = c;
    /* the buffer, not the file on disk; the files it extends come from disk */
    compile_check_text(c, path, copy, len);
    d->index = lidx_build(c);
    if (fresh) {
        d->next = s->first;
        s->first = d;
    }
    return d;
}

void docs_close(DocStore *s, const char *uri)
{
    for (LspDoc **p = &s->first; *p; p = &(*p)->next)
        if (!strcmp((*p)->uri, uri)) {
            LspDoc *d = *p;
            *p = d->next;
            doc_free(d);
            return;
        }
}

void docs_free(DocStore *s)
{
    while (s->first) {
        LspDoc *d = s->first;
        s->first = d->next;
        doc_free(d);
    }
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

char *docs_uri_to_path(const char *uri)
{
    static const char scheme[] = "file://";
    if (strncmp(uri, scheme, sizeof scheme - 1) != 0) return NULL;
    const char *p = uri + sizeof scheme - 1;
    if (strncmp(p, "localhost/", 10) == 0) p += 9;
    if (*p != '/') return NULL; /* a remote host */
    char *out = malloc(strlen(p) + 1);
    if (!out) return NULL;
    size_t n = 0;
    for (; *p && *p != '?' && *p != '#'; p++) {
        int hi, lo;
        if (*p == '%' && (hi = hexval(p[1])) >= 0 && (lo = hexval(p[2])) >= 0) {
            out[n++] = (char)(hi * 16 + lo);
            p += 2;
        } else {
            out[n++] = *p;
        }
    }
    out[n] = '\0';
    if (strlen(out) != n) { free(out); return NULL; } /* %00 inside a path */
    return out;
}

char *docs_path_to_uri(const char *path)
{
    size_t n = strlen(path);
    char *out = malloc(8 + n * 3 + 1);
    if (!out) return NULL;
    size_t k = (size_t)sprintf(out, "file://");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        bool plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                     strchr("/-._~", *p);
        if (plain) out[k++] = (char)*p;
        else k += (size_t)sprintf(out + k, "%%%02X", *p);
    }
    out[k] = '\0';
    return out;
}

/* UTF-16 code units of the code point starting at p (1 for a bad byte). */
static int units_at(const unsigned char *p, const unsigned char *end, int *bytes)
{
    uint32_t cp;
    int n = utf8_decode(p, end, &cp);
    if (n <= 0) { *bytes = 1; return 1; }
    *bytes = n;
    return cp >= 0x10000 ? 2 : 1;
}

void docs_position(const char *text, size_t len, size_t off, int *line, int *character)
{
    const unsigned char *t = (const unsigned char *)text, *end = t + len;
    if (off > len) off = len;
    int l = 0;
    size_t bol = 0;
    for (size_t i = 0; i < off; i++)
        if (t[i] == '\n') { l++; bol = i + 1; }
    int ch = 0;
    for (size_t i = bol; i < off;) {
        int bytes;
        ch += units_at(t + i, end, &bytes);
        i += (size_t)bytes;
    }
    *line = l;
    *character = ch;
}

size_t docs_offset(const char *text, size_t len, int line, int character)
{
    const unsigned char *t = (const unsigned char *)text, *end = t + len;
    size_t i = 0;
    for (int l = 0; l < line && i < len; i++)
        if (t[i] == '\n') l++;
    int ch = 0;
    while (i < len && t[i] != '\n' && ch < character) {
        int bytes;
        ch += units_at(t + i, end, &bytes);
        i += (size_t)bytes;
    }
    return i > len ? len : i;
}
