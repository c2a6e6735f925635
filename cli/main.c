/* main.c - the zhidu command line: one binary, one function per subcommand.
 * Exit codes: 0 success, 1 the input has errors (or violations), 2 usage or I/O. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bytecode.h"
#include "codegen.h"
#include "compiler.h"
#include "disasm.h"

enum { EXIT_OK = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2 };

static const char usage_text[] =
    "usage: zhidu <command> [options] [args]\n"
    "\n"
    "commands:\n"
    "  check [--format text|json] FILE...   check rule files (and the files they extend)\n"
    "  compile POLICY.zd -o OUT.zbc          compile a rule file to verified bytecode\n"
    "  disasm POLICY.zbc|POLICY.zd           print a compiled policy in readable form\n"
    "  help                                 this text\n"
    "\n"
    "exit codes: 0 ok (warnings allowed), 1 errors in a rule file, 2 usage, I/O or bytecode error\n";

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "zhidu: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n(run 'zhidu help' for usage)\n");
    return EXIT_USAGE;
}

static int cmd_check(int argc, char **argv)
{
    bool json = false;
    int first = argc;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--format") || !strncmp(a, "--format=", 9)) {
            const char *v = a[8] == '=' ? a + 9 : (i + 1 < argc ? argv[++i] : NULL);
            if (!v) return usage_error("%s needs a value: text or json", "--format");
            if (!strcmp(v, "json")) json = true;
            else if (!strcmp(v, "text")) json = false;
            else return usage_error("unknown format '%s' (text or json)", v);
        } else if (!strcmp(a, "--")) {
            first = i + 1;
            break;
        } else if (a[0] == '-' && a[1]) {
            return usage_error("unknown option '%s'", a);
        } else {
            first = i;
            break;
        }
    }
    if (first >= argc) return usage_error("%s", "check needs at least one rule file");
    int rc = EXIT_OK;
    bool color = !json && isatty(STDERR_FILENO);
    if (json && argc - first > 1) fputs("[", stdout);
    for (int i = first; i < argc; i++) {
        Compilation *c = compile_new();
        if (!c) { fputs("zhidu: out of memory\n", stderr); return EXIT_USAGE; }
        if (!compile_check_file(c, argv[i])) {
            fprintf(stderr, "zhidu: cannot read %s: %s\n", argv[i], strerror(c->io_errno));
            rc = EXIT_USAGE;
            if (json) {
                if (argc - first > 1 && i > first) fputs(",", stdout);
                fputs("{\"file\":", stdout);
                json_write_string(stdout, argv[i]);
                fprintf(stdout, ",\"io_error\":");
                json_write_string(stdout, strerror(c->io_errno));
                fputs(",\"diagnostics\":[],\"errors\":0,\"warnings\":0}\n", stdout);
            }
            compile_free(c);
            continue;
        }
        if (json) {
            if (argc - first > 1 && i > first) fputs(",", stdout);
            diag_print_json(&c->diag, stdout);
        } else {
            diag_print_text(&c->diag, stderr, color);
        }
        if (c->diag.errors && rc == EXIT_OK) rc = EXIT_FINDINGS;
        compile_free(c);
    }
    if (json && argc - first > 1) fputs("]\n", stdout);
    return rc;
}

/* Compiles a rule file to a Program, printing diagnostics; NULL on error
 * (*rc set to 1 for errors in the file, 2 when it cannot be read). */
static Program *compile_to_program(const char *path, int *rc)
{
    Compilation *c = compile_new();
    if (!c) { *rc = EXIT_USAGE; return NULL; }
    Program *p = NULL;
    if (!compile_check_file(c, path)) {
        fprintf(stderr, "zhidu: cannot read %s: %s\n", path, strerror(c->io_errno));
        *rc = EXIT_USAGE;
    } else if (c->diag.errors) {
        diag_print_text(&c->diag, stderr, isatty(STDERR_FILENO));
        *rc = EXIT_FINDINGS;
    } else {
        diag_print_text(&c->diag, stderr, isatty(STDERR_FILENO)); /* warnings */
        p = codegen_policy(c->policy, &c->diag);
        if (!p) {
            diag_print_text(&c->diag, stderr, isatty(STDERR_FILENO));
            *rc = EXIT_FINDINGS;
        }
    }
    compile_free(c);
    return p;
}

static unsigned char *read_all(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, len = 0;
    unsigned char *buf = malloc(cap);
    while (buf) {
        if (len == cap) {
            if (cap >= (size_t)BC_MAX_FILE_SIZE * 2) break;
            unsigned char *nb = realloc(buf, cap * 2);
            if (!nb) { free(buf); buf = NULL; break; }
            buf = nb;
            cap *= 2;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0) break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) { free(buf); errno = EIO; return NULL; }
    *size = len;
    return buf;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && !strcmp(s + n - k, suffix);
}

/* A rule file (compiled in memory) or a bytecode file (loaded and verified). */
static Program *load_policy(const char *path, int *rc)
{
    if (!ends_with(path, ".zbc")) return compile_to_program(path, rc);
    size_t size;
    unsigned char *data = read_all(path, &size);
    if (!data) {
        fprintf(stderr, "zhidu: cannot read %s: %s\n", path, strerror(errno));
        *rc = EXIT_USAGE;
        return NULL;
    }
    char err[512];
    Program *p = bc_load(data, size, err, sizeof err);
    free(data);
    if (!p) {
        fprintf(stderr, "%s: error: bytecode: %s\n", path, err);
        *rc = EXIT_USAGE;
    }
    return p;
}

/* Writes bytes to path atomically: a temporary file in the same directory, then rename. */
static int write_atomically(const char *path, const unsigned char *data, size_t size)
{
    size_t n = strlen(path);
    char *tmp = malloc(n + 32);
    if (!tmp) return -1;
    snprintf(tmp, n + 32, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) { free(tmp); return -1; }
    bool ok = fwrite(data, 1, size, f) == size;
    ok = (fflush(f) == 0) && ok;
    ok = (fclose(f) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) {
        int e = errno;
        remove(tmp);
        free(tmp);
        errno = e ? e : EIO;
        return -1;
    }
    free(tmp);
    return 0;
}

static int cmd_compile(int argc, char **argv)
{
    const char *in = NULL, *out = NULL;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "-o")) {
            if (i + 1 >= argc) return usage_error("%s needs a file name", "-o");
            out = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return usage_error("unknown option '%s'", argv[i]);
        } else if (in) {
            return usage_error("compile takes one rule file, not also '%s'", argv[i]);
        } else {
            in = argv[i];
        }
    }
    if (!in || !out) return usage_error("%s", "usage: zhidu compile POLICY.zd -o OUT.zbc");
    int rc = EXIT_OK;
    Program *p = compile_to_program(in, &rc);
    if (!p) return rc;
    size_t size;
    unsigned char *bytes = bc_write(p, &size);
    program_free(p);
    if (!bytes) { fputs("zhidu: out of memory writing bytecode\n", stderr); return EXIT_USAGE; }
    if (write_atomically(out, bytes, size) != 0) {
        fprintf(stderr, "zhidu: cannot write %s: %s\n", out, strerror(errno));
        rc = EXIT_USAGE;
    }
    free(bytes);
    return rc;
}

static int cmd_disasm(int argc, char **argv)
{
    if (argc != 1 || argv[0][0] == '-') return usage_error("%s", "usage: zhidu disasm POLICY.zbc|POLICY.zd");
    int rc = EXIT_OK;
    Program *p = load_policy(argv[0], &rc);
    if (!p) return rc;
    disasm_program(p, stdout);
    program_free(p);
    return EXIT_OK;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage_text, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "check")) return cmd_check(argc - 2, argv + 2);
    if (!strcmp(cmd, "compile")) return cmd_compile(argc - 2, argv + 2);
    if (!strcmp(cmd, "disasm")) return cmd_disasm(argc - 2, argv + 2);
    if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
        fputs(usage_text, stdout);
        return EXIT_OK;
    }
    return usage_error("unknown command '%s'", cmd);
}
