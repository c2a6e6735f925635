/* fuzz_sqlite.c - libFuzzer target for the SQLite reader: the input is a
 * database file (seeds: tests/data/mini_good as SQLite, with hostile schemas:
 * views, WITHOUT ROWID tables, a column named rowid, blobs and reals, huge and
 * negative rowids; fuzz/seeds/sqlite/), read through the input driver with
 * bad rows skipped, run by tests/data/mini.zd holding every event and then
 * streaming, and reported (checks in fuzz_common.h). Mutations make corrupt
 * pages (PRAGMA quick_check must catch what would be read wrong) and broken
 * schema text. See docs/reliability.md. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[600];
    snprintf(path, sizeof path, "%s/in.db", fuzz_tmpdir());
    if (!fuzz_write(path, data, size)) abort();
    fuzz_run(path, true, 0);
    fuzz_run(path, false, 2);
    return 0;
}
