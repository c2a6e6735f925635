/* fuzz_time.c - libFuzzer target for the timestamp and zone readers
 * (runtime/ztime.c): any text is parsed as a data cell's time and as a zone
 * offset; an accepted time inside the years 1 to 9999 is formatted at the
 * offset the input's first byte chooses and must parse back to the same
 * instant (the reports print times that way and zhidu merge reads them back).
 * See docs/reliability.md. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ztime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) return 0;
    /* offsets of whole minutes within -18:00 .. +18:00, as a policy may have */
    int tz = ((int)data[0] - 128) * 506 / 60 * 60;
    const char *s = (const char *)data + 1;
    size_t len = size - 1;
    ZtParsed tp;
    if (zt_parse(s, len, &tp) == NULL) {
        zt_instant t = zt_to_instant(&tp, tz);
        if (zt_in_years(t, tz)) {
            char buf[64];
            zt_format(t, tz, buf, sizeof buf);
            zt_instant back;
            const char *why = zt_parse_instant(buf, strlen(buf), tz, &back);
            if (why || back != t) {
                fprintf(stderr, "%.*s -> %s does not read back (%s)\n", (int)len, s, buf, why ? why : "another instant");
                __builtin_trap();
            }
        }
    }
    zt_instant any;
    zt_parse_instant(s, len, tz, &any);
    /* the zone reader takes a C string */
    char *z = malloc(len + 1);
    if (!z) return 0;
    memcpy(z, s, len);
    z[len] = '\0';
    int off;
    if (zt_parse_offset(z, &off) && (off < -86340 || off > 86340 || off % 60)) { /* within +-23:59 (check refuses past 18 h) */
        fprintf(stderr, "zone '%s' read as an offset of %d s\n", z, off);
        __builtin_trap();
    }
    free(z);
    return 0;
}
