/* standalone.c - a main for the fuzz targets without libFuzzer: runs
 * LLVMFuzzerTestOneInput once over each file named (a folder: each file in
 * it). The suite builds every target with gcc, ASan and UBSan this way and
 * runs it over its seeds (tests/fuzz_smoke.sh), so the harnesses build and
 * pass in every `make test`; the long runs use libFuzzer (fuzz/build.sh). */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
    size_t n;
    char *buf = file_read(path, FILE_MAX_BYTES, &n);
    if (!buf) {
        fprintf(stderr, "%s: %s\n", path, file_error(errno));
        return -1;
    }
    uint8_t *exact = malloc(n ? n : 1); /* the input's size: reading past it is caught */
    if (!exact) abort();
    memcpy(exact, buf, n);
    free(buf);
    LLVMFuzzerTestOneInput(exact, n);
    free(exact);
    return 0;
}

int main(int argc, char **argv)
{
    int ran = 0, bad = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            DIR *d = opendir(argv[i]);
            struct dirent *e;
            while (d && (e = readdir(d))) {
                if (e->d_name[0] == '.') continue;
                char path[4096];
                snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
                if (run_file(path) == 0) ran++;
                else bad++;
            }
            if (d) closedir(d);
        } else if (run_file(argv[i]) == 0) ran++;
        else bad++;
    }
    printf("ran %d inputs\n", ran);
    return bad ? 2 : 0;
}
