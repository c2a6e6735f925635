/* sqlite_scan.c - the bare SQLite scan zhidu's SQLite reading is compared with
 * (bench/compare.sh): reads every column of every row of the tables events,
 * roster, topics and calendar with typed accessors (read-only, no mutex,
 * memory-mapped), converts nothing. */
#include <sqlite3.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    static const char *const tables[] = {"roster", "topics", "calendar", "events"};
    sqlite3 *db;
    if (argc != 2) {
        fprintf(stderr, "usage: sqlite_scan DB\n");
        return 2;
    }
    if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        fprintf(stderr, "sqlite_scan: %s: %s\n", argv[1], sqlite3_errmsg(db));
        return 2;
    }
    sqlite3_exec(db, "PRAGMA mmap_size = 1073741824", NULL, NULL, NULL);
    unsigned long rows = 0, cells = 0, bytes = 0;
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
        char sql[64];
        sqlite3_stmt *st;
        snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", tables[t]);
        if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
            fprintf(stderr, "sqlite_scan: %s\n", sqlite3_errmsg(db));
            return 1;
        }
        int ncol = sqlite3_column_count(st);
        while (sqlite3_step(st) == SQLITE_ROW) {
            rows++;
            for (int c = 0; c < ncol; c++) {
                switch (sqlite3_column_type(st, c)) {
                case SQLITE_TEXT:
                    bytes += (unsigned long)sqlite3_column_bytes(st, c);
                    cells += sqlite3_column_text(st, c) != NULL;
                    break;
                case SQLITE_INTEGER:
                    cells += sqlite3_column_int64(st, c) != 0;
                    break;
                default:
                    break;
                }
            }
        }
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    printf("%lu rows, %lu cells, %lu bytes of text\n", rows, cells, bytes);
    return 0;
}
