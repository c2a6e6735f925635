/* readahead.h - a row source (source.h) read ahead on a thread of its own:
 * while the caller converts and judges rows, a second thread pulls the next
 * ones from the backend (parsing CSV, stepping SQLite) into a bounded queue
 * of batches. The caller sees the backend's rows, problems, errors and
 * locations in the same order as without it. Used by a run with more than
 * one job (run --jobs N, N > 1); internal to the runtime library. */
#ifndef ZD_READAHEAD_H
#define ZD_READAHEAD_H
#include "source.h"

/* A source that reads `inner` ahead and owns it from then on (freeing it
 * frees inner). NULL when out of memory: inner is then still the caller's. */
Source *readahead_new(Source *inner);
/* What the columns of the table just opened hold, before its first row is
 * asked for: kinds[i] the check (dataset.h, rawcell_check) of column i's
 * cells, done on the thread, times at the zone offset tz. -1 when out of
 * memory. */
int readahead_expect(Source *ahead, const uint8_t *kinds, int ncols, int tz);

#endif
