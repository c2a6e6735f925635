/* fuzz_csv.c - libFuzzer target for the CSV reader, through the binding and
 * the bad-row policy to the engine and every report writer: the input's
 * first byte chooses which table file of tests/data/mini_good it replaces
 * (events, roster, topics, calendar), whether bad rows stop the run or are
 * skipped, and whether the run holds every event or streams; the rest is
 * that file. Reports are checked as fuzz_common.h says. See
 * docs/reliability.md. */
#include "fuzz_common.h"

static const char *const tables[] = {"events", "roster", "topics", "calendar"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char *good[4];
    static size_t good_len[4];
    const char *dir = fuzz_tmpdir();
    char path[600];
    if (!good[0])
        for (int t = 0; t < 4; t++) {
            snprintf(path, sizeof path, FUZZ_ROOT "/tests/data/mini_good/%s.csv", tables[t]);
            if (!(good[t] = fuzz_read(path, &good_len[t]))) abort();
            snprintf(path, sizeof path, "%s/%s.csv", dir, tables[t]);
            fuzz_write(path, (const uint8_t *)good[t], good_len[t]);
        }
    if (size == 0) return 0;
    int t = data[0] & 3;
    snprintf(path, sizeof path, "%s/%s.csv", dir, tables[t]);
    if (!fuzz_write(path, data + 1, size - 1)) abort();
    fuzz_run(dir, data[0] & 4, data[0] & 8 ? 2 : 0);
    fuzz_write(path, (const uint8_t *)good[t], good_len[t]);
    return 0;
}
