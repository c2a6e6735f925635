/* suggest.c - edit distance on code points and the nearest-candidate choice
 * behind every "did you mean". Pure functions; no allocation. */
#include "suggest.h"

#include <string.h>

/* Decodes UTF-8 into code points (a byte that starts no valid sequence counts
 * as one code point of its own); -1 when longer than SUGGEST_MAX_LEN. */
static int decode(const char *s, unsigned out[SUGGEST_MAX_LEN])
{
    const unsigned char *p = (const unsigned char *)s;
    int n = 0;
    while (*p) {
        if (n == SUGGEST_MAX_LEN) return -1;
        unsigned c = *p++;
        int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
        if (c >= 0x80 && c < 0xC0) more = 0;
        else if (more) c &= 0x3F >> more;
        for (; more && (*p & 0xC0) == 0x80; more--) c = c << 6 | (*p++ & 0x3F);
        out[n++] = c;
    }
    return n;
}

static int min3(int a, int b, int c)
{
    int m = a < b ? a : b;
    return m < c ? m : c;
}

int suggest_distance(const char *a, const char *b)
{
    unsigned x[SUGGEST_MAX_LEN], y[SUGGEST_MAX_LEN];
    int n = decode(a, x), m = decode(b, y);
    if (n < 0 || m < 0) return 1 << 20;
    /* three rows of the dynamic-programming table: i-2, i-1 and i */
    int rows[3][SUGGEST_MAX_LEN + 1];
    for (int j = 0; j <= m; j++) rows[0][j] = j;
    for (int i = 1; i <= n; i++) {
        int *cur = rows[i % 3], *prev = rows[(i + 2) % 3], *prev2 = rows[(i + 1) % 3];
        cur[0] = i;
        for (int j = 1; j <= m; j++) {
            int cost = x[i - 1] != y[j - 1];
            cur[j] = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
            if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1] && prev2[j - 2] + 1 < cur[j])
                cur[j] = prev2[j - 2] + 1;
        }
    }
    return rows[n % 3][m];
}

void suggest_init(Suggest *s, const char *name)
{
    s->name = name;
    s->best = NULL;
    s->best_dist = 1 << 20;
}

void suggest_offer(Suggest *s, const char *candidate)
{
    if (!candidate || !strcmp(candidate, s->name)) return;
    int d = suggest_distance(s->name, candidate);
    if (d < s->best_dist) {
        s->best = candidate;
        s->best_dist = d;
    }
}

const char *suggest_result(const Suggest *s)
{
    unsigned cps[SUGGEST_MAX_LEN];
    int n = decode(s->name, cps);
    if (!s->best || n < 0) return NULL;
    int reach = n / 3 > 1 ? n / 3 : 1;
    return s->best_dist <= reach && s->best_dist < n ? s->best : NULL;
}
