/* engine.c - the entry points of a run (see engine.h): a data set held in
 * memory (engine_run), or a path read while running (engine_run_input), which
 * reads the path again holding every event when an event comes out of time
 * order after a step. The work is the scheduler's (stream.c). */
#include "engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "msg.h"
#include "stream.h"
#include "text.h"

const char *engine_person_name(const Dataset *ds, StrId unit, StrId person) { return unit_person_name(ds, unit, person); }

int engine_run(const Program *p, Dataset *ds, const RunOptions *opt, RunResult *out, char *err, size_t errsize)
{
    RunOptions all = *opt;
    all.window = 0;
    Stream *s = stream_new(p, ds, &all, out);
    int rc = s ? stream_finish(s) : -1; /* holding every event, order does not matter: never 1 */
    stream_free(s);
    if (rc != 0) {
        run_result_free(out);
        snprintf(err, errsize, "%s", msg_text(ds->lang, MSG_OOM_EVALUATING));
        return -1;
    }
    return 0;
}

int engine_run_input(const Program *p, const char *path, const struct InputOptions *io, const RunOptions *opt, Dataset **ds_out,
                     RunResult *out, struct InputStats *stats, char *err, size_t errsize)
{
    RunOptions ro = *opt;
    InputOptions quiet = *io;
    quiet.read_ahead = opt->jobs > 1; /* one job: one thread */
    for (int attempt = 0; attempt < 2; attempt++) {
        Dataset *ds = dataset_new(p);
        if (!ds) { snprintf(err, errsize, "%s", msg_text(io->lang, MSG_OOM)); return -1; }
        ds->lang = io->lang;
        Stream *s = stream_new(p, ds, &ro, out);
        if (!s) {
            dataset_free(ds);
            snprintf(err, errsize, "%s", msg_text(io->lang, MSG_OOM));
            return -1;
        }
        /* pull the rows; a step when enough events have come */
        Input *in = input_open(ds, path, &quiet, stats, err, errsize);
        int rc = in ? 0 : -1;
        while (in && (rc = input_next(in, err, errsize)) == 1)
            if (stream_event_added(s) != 0) break;
        input_close(in);
        if (rc > 0) rc = 0; /* stopped by the stream: s->disorder or s->failed */
        int fin = rc == 0 && !s->disorder && !s->failed ? stream_finish(s) : 0;
        if (s->failed || fin < 0) {
            snprintf(err, errsize, "%s", msg_text(io->lang, MSG_OOM_EVALUATING));
            rc = -1;
        }
        bool again = !s->failed && (s->disorder || fin == 1);
        if (again) {
            /* an event out of time order after a step: read it all again, holding
             * every event; the bad rows reported already are not reported twice */
            if (io->report) { /* the unit and the names as the text report shows them (text.h) */
                char source[700], unit[sizeof s->disorder_unit * 4], data[700];
                text_escape(source, sizeof source, ds->event_source ? ds->event_source : path);
                text_escape(unit, sizeof unit, s->disorder_unit);
                text_escape(data, sizeof data, path);
                fprintf(io->report, msg_text(io->lang, s->disorder_unit[0] ? MSG_REREAD_UNIT : MSG_REREAD), source,
                        (long long)s->disorder_loc, unit, data);
            }
            stream_free(s);
            run_result_free(out);
            dataset_free(ds);
            ro.window = 0;
            quiet.quiet_skips = stats->skipped;
            continue;
        }
        stream_free(s);
        if (rc != 0) {
            run_result_free(out);
            dataset_free(ds);
            return -1;
        }
        *ds_out = ds;
        return 0;
    }
    snprintf(err, errsize, "%s", msg_text(io->lang, MSG_RUN_UNSETTLED));
    return -1;
}

void run_result_free(RunResult *r)
{
    free(r->v);
    free(r->judged);
    arena_free(&r->arena);
    memset(r, 0, sizeof *r);
}
