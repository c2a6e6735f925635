/* testfile.h - the .zdtest format of `zhidu test` (docs/testing.md), parsed
 * into plain strings: the rule file it names, settings, inline CSV tables and
 * the cases with their expected verdicts. Knows nothing of programs or data
 * sets; checking names and times against the policy is the runner's
 * (test.c). Every parsed item keeps its line for `file:line:` messages.
 *
 * Ownership: ztf_parse fills a TestFile whose strings and arrays are all
 * malloc'ed and released by ztf_free. */
#ifndef ZD_TESTFILE_H
#define ZD_TESTFILE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "msg.h"

/* A `table NAME` … `end` block: its CSV text and, per CSV line, the test
 * file's line it came from (to point a bad row back at the test file). */
typedef struct TfTable {
    char *name;
    char *csv;
    uint32_t line;       /* the `table` line */
    uint32_t *src_lines; /* src_lines[k]: test-file line of CSV line k + 1 */
    uint32_t nlines;
} TfTable;

/* What a case runs over; a case's own settings replace the file's. */
typedef struct TfSettings {
    char *data, *from, *as_of, *unit; /* NULL when not given */
    uint32_t data_line, from_line, as_of_line;
    TfTable *tables;
    uint32_t ntables;
} TfSettings;

typedef enum TfOutcome { TF_VIOLATED, TF_KEPT, TF_PENDING, TF_EXEMPT, TF_OUTCOME_COUNT } TfOutcome;
extern const char *const tf_outcome_name[TF_OUTCOME_COUNT];

typedef struct TfExpect {
    uint8_t outcome;          /* TfOutcome */
    char *rule;               /* a rule's name or one of its tags */
    char *window_from, *window_to; /* `window FROM[..TO]`, or NULL */
    char *trigger;            /* `trigger ID`, or NULL */
    char *unit;               /* `unit U`, or NULL for any unit */
    char **subjects;          /* sorted by strcmp */
    uint32_t nsubjects;
    uint32_t line;
} TfExpect;

typedef struct TfCase {
    char *name;
    uint32_t line;
    TfSettings set;
    TfExpect *expects;
    uint32_t nexpects;
} TfCase;

typedef struct TestFile {
    char *policy;             /* as written: relative to the test file's folder */
    uint32_t policy_line;
    TfSettings set;           /* the file's defaults */
    TfCase *cases;
    uint32_t ncases;
} TestFile;

/* Parses text. Returns 0, or -1 with "LINE: what is wrong" (in lang) in err
 * (the caller prefixes the file name); *out is then empty. */
int ztf_parse(const char *text, size_t len, Lang lang, TestFile *out, char *err, size_t errsize);
void ztf_free(TestFile *f);

#endif
