/* embed.c - a program that embeds the zhidu runtime without the compiler:
 * it loads a compiled policy, pushes a roster row and two events, runs the
 * policy and prints each verdict. Built by `make` as build/examples/embed.
 *
 *   build/zhidu compile tests/golden/small.zd -o small.zbc
 *   build/examples/embed small.zbc
 */
#include <stdio.h>

#include "zhidu.h"

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s POLICY.zbc\n", argv[0]);
        return 2;
    }
    char err[512];
    zd_policy *policy = zd_policy_load_file(argv[1], err, sizeof err);
    if (!policy) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    zd_data *data = zd_data_new(policy);
    static const char *roster_cols[] = {"person", "role", "from", "to"};
    static const char *roster_row[] = {"p01", "院长", "2024-01-01", ""};
    static const char *event_cols[] = {"id", "time", "type", "actor", "targets", "ref"};
    static const char *incident[] = {"e1", "2024-09-02T09:00", "incident", "p02", "", ""};
    static const char *report[] = {"e2", "2024-09-02T13:00", "report", "p02", "p03", "e1"}; /* not to the 院长 */
    if (zd_data_add_row(data, "roster", roster_cols, roster_row, 4, err, sizeof err) ||
        zd_data_add_row(data, "events", event_cols, incident, 6, err, sizeof err) ||
        zd_data_add_row(data, "events", event_cols, report, 6, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        zd_data_free(data);
        zd_policy_free(policy);
        return 2;
    }
    zd_report *result = zd_run(policy, data, NULL, err, sizeof err);
    if (!result) {
        fprintf(stderr, "%s\n", err);
        zd_data_free(data);
        zd_policy_free(policy);
        return 2;
    }
    size_t n = zd_report_count(result);
    for (size_t i = 0; i < n; i++) {
        zd_violation v;
        zd_report_get(result, i, &v);
        printf("%s %s [%s %s] trigger %s: %s\n", v.pending ? "pending" : "violation", v.rule, v.clause, v.severity,
               v.trigger ? v.trigger : "-", v.message);
    }
    zd_report_free(result);
    zd_data_free(data);
    zd_policy_free(policy);
    return n ? 1 : 0;
}
