/* vrow.c - a verdict as report fields (see vrow.h). */
#include "vrow.h"

#include <stddef.h>
#include <string.h>

#include "verdict.h"
#include "ztime.h"

_Static_assert((int)VROW_MESSAGE_SIZE == (int)VERDICT_MESSAGE_MAX, "a VRow holds any message verdict.h fills in");


void vrow_time(const Program *p, int64_t t, char buf[VROW_TIME_SIZE]) { zt_format(t, p->meta.tz_offset, buf, VROW_TIME_SIZE); }

void vrow_make(VRow *row, const Program *p, const Dataset *ds, const Violation *v)
{
    const ZRule *rule = &p->rules[v->rule];
    memset(row, 0, offsetof(VRow, message_buf));
    row->p = p;
    row->ds = ds;
    row->v = v;
    row->unit = strtab_str(&ds->strs, v->unit);
    row->rule = program_string(p, rule->name);
    row->severity = program_severity_name(rule->severity);
    row->status = v->pending ? "pending" : "violation";
    row->message = verdict_message(v, &ds->strs, row->message_buf);
    row->clause = rule->nclauses ? program_string(p, rule->clauses[0].id) : "";
    row->clause_text = rule->nclauses ? program_string(p, rule->clauses[0].text) : "";
    row->pending = v->pending;
    row->periodic = v->periodic;
    if (v->periodic) {
        vrow_time(p, v->from, row->window_from);
        vrow_time(p, v->to, row->window_to);
    } else {
        row->trigger = strtab_str(&ds->strs, v->trigger_id);
        row->trigger_loc = v->trigger_loc;
    }
    row->source = ds->event_source ? ds->event_source : "events";
    row->ntags = rule->ntags;
    row->nsubjects = v->nsubjects;
    row->nevidence = v->nevidence;
}

const char *vrow_tag(const VRow *row, uint32_t i) { return program_string(row->p, row->p->rules[row->v->rule].tags[i]); }
const char *vrow_subject(const VRow *row, uint32_t i) { return strtab_str(&row->ds->strs, row->v->subjects[i]); }
const char *vrow_evidence(const VRow *row, uint32_t i) { return strtab_str(&row->ds->strs, violation_evidence(row->v)[i]); }
int64_t vrow_evidence_loc(const VRow *row, uint32_t i) { return violation_evidence_loc(row->v)[i]; }

static const char *list_item(const VRow *row, VRowList which, uint32_t i)
{
    switch (which) {
    case VROW_TAGS: return vrow_tag(row, i);
    case VROW_SUBJECTS: return vrow_subject(row, i);
    case VROW_EVIDENCE: return vrow_evidence(row, i);
    }
    return "";
}

void vrow_put_list(WBuf *b, const VRow *row, VRowList which)
{
    uint32_t n = which == VROW_TAGS ? row->ntags : which == VROW_SUBJECTS ? row->nsubjects : row->nevidence;
    for (uint32_t i = 0; i < n; i++) {
        if (i) wbuf_putc(b, ';');
        wbuf_puts(b, list_item(row, which, i));
    }
}
