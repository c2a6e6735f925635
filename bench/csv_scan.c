/* csv_scan.c - the bare libcsv parse zhidu's CSV reading is compared with
 * (bench/compare.sh): parses every file named on the command line with the
 * options zhidu uses, counts rows and fields, converts nothing. */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct {
    unsigned long rows, fields, bytes;
} Count;

static void on_field(void *s, size_t len, void *data)
{
    Count *c = data;
    (void)s;
    c->fields++;
    c->bytes += len;
}

static void on_row(int ch, void *data)
{
    (void)ch;
    ((Count *)data)->rows++;
}

int main(int argc, char **argv)
{
    static char buf[1 << 20];
    Count c = {0, 0, 0};
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        struct csv_parser p;
        if (!f || csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL) != 0) {
            fprintf(stderr, "csv_scan: cannot read %s\n", argv[i]);
            return 2;
        }
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
            if (csv_parse(&p, buf, n, on_field, on_row, &c) != n) {
                fprintf(stderr, "csv_scan: %s: %s\n", argv[i], csv_strerror(csv_error(&p)));
                return 1;
            }
        }
        if (csv_fini(&p, on_field, on_row, &c) != 0) {
            fprintf(stderr, "csv_scan: %s: %s\n", argv[i], csv_strerror(csv_error(&p)));
            return 1;
        }
        csv_free(&p);
        fclose(f);
    }
    printf("%lu rows, %lu fields, %lu bytes of fields\n", c.rows, c.fields, c.bytes);
    return 0;
}
