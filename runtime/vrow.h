/* vrow.h - one verdict (violation or pending obligation) as the fields every
 * report shows: unit, rule, tags, clause, severity, status, the window or the
 * triggering event, subjects, evidence with where it was read, the message
 * (subjects' display names: report.c's roster index). Every report format (text, jsonl, json, csv, the
 * SQLite report, an HTML page) and the embedding API read verdicts through
 * this, so a field is computed in one place. A VRow borrows from the program,
 * the data set and the verdict (its message may be in the VRow itself); it
 * owns nothing and needs no freeing. */
#ifndef ZD_VROW_H
#define ZD_VROW_H
#include <stdbool.h>
#include <stdint.h>
#include "dataset.h"
#include "engine.h"
#include "wbuf.h"

enum { VROW_TIME_SIZE = 40, VROW_MESSAGE_SIZE = 512 /* verdict.h: VERDICT_MESSAGE_MAX */ };

typedef struct VRow {
    const Program *p;
    const Dataset *ds;
    const Violation *v;
    const char *unit, *rule, *severity, *status, *message;
    const char *clause, *clause_text; /* the rule's first clause, or "" */
    bool pending, periodic;
    char window_from[VROW_TIME_SIZE], window_to[VROW_TIME_SIZE]; /* periodic; else "" */
    const char *trigger;               /* triggered: the event's id; else NULL */
    int64_t trigger_loc;               /* line (CSV) or rowid (SQLite) */
    const char *source;                /* where events were read ("events" when unknown) */
    uint32_t ntags, nsubjects, nevidence;
    char message_buf[VROW_MESSAGE_SIZE];   /* message, when the verdict holds a template (verdict.h) */
} VRow;

void vrow_make(VRow *row, const Program *p, const Dataset *ds, const Violation *v);
const char *vrow_tag(const VRow *row, uint32_t i);
const char *vrow_subject(const VRow *row, uint32_t i);
const char *vrow_evidence(const VRow *row, uint32_t i);
int64_t vrow_evidence_loc(const VRow *row, uint32_t i);

typedef enum VRowList { VROW_TAGS, VROW_SUBJECTS, VROW_EVIDENCE } VRowList;
/* One of the lists as "a;b;c" (CSV cells, database columns), appended to b. */
void vrow_put_list(WBuf *b, const VRow *row, VRowList which);

/* A time as the reports write it (a triggered verdict's: v->trigger_time,
 * formatted only by the report that shows it). */
void vrow_time(const Program *p, int64_t t, char buf[VROW_TIME_SIZE]);

#endif
