/* report_html.h - the HTML report (docs/report.md): one self-contained page
 * (inline style and script, no network) with the run's header, a calendar
 * strip per periodic rule, a matrix per pair rule and semester, a timeline per
 * triggered rule, and every violation with filters. Deterministic: the same
 * verdicts give the same bytes; only the data set's path and the source
 * locations (marked class "src") depend on where the data came from. */
#ifndef ZD_REPORT_HTML_H
#define ZD_REPORT_HTML_H
#include <stdio.h>
#include "report.h"

/* r should come from a run with RunOptions.record_judged (without it the
 * strips and timelines show only the periods and triggers that have a verdict). */
/* Returns 0, or -1 when out of memory (then the page is incomplete). */
int report_html_write(FILE *out, const Program *p, const Dataset *ds, const RunResult *r, const ReportInfo *info);

#endif
