/* limits.h - the limits of the compiled format, declared once: the verifier
 * (verify.c) refuses a program past them, and the compiler (sema, codegen)
 * refuses a rule file past them with a diagnostic of its own
 * (docs/errors.md, E0400-E0407, E0219), so `check` refuses what `compile` would. */
#ifndef ZD_LIMITS_H
#define ZD_LIMITS_H

#include <string.h>

#include "msg.h"
#include "ztime.h"

enum {
    ZL_MAX_STACK = 1024,        /* values on one function's stack */
    ZL_MAX_COUNT = 1024,        /* elements of one list built at once, message parts */
    ZL_MAX_FIELDS = 64,         /* fields of one binding (a bit each in masks) */
    ZL_MAX_EVENT_TYPES = 64,    /* event types (a bit each in masks) */
    ZL_MAX_SLOTS = 250,         /* local values of one function (an 8-bit operand, 3 spare) */
    ZL_MAX_LOOPS = 64,          /* nested `for` bindings of one rule */
    ZL_MAX_WEEKS = 520,         /* `every N weeks`: ten years */
    ZL_MAX_TZ_OFFSET = 18 * 3600, /* seconds east or west of UTC */
    ZL_MAX_EXPANSION = 100000,  /* expression nodes of one definition, its calls inlined */
    ZL_MAX_DISJUNCTS = 8,       /* disjuncts of one `or` whose index lists a scan unites (SCAN_ANY_*) */
    ZL_EARLIEST_KEYS = 4,       /* key fields of one EARLIEST: an `exists` pinning more keeps scanning */
    ZL_MAX_OPEN_SCANS = 2,      /* loops over all events nested in a rule (a trigger, a selection
                                 * by neither a field's value nor a period): n events cost n^2 */
};

/* A binding's table name names a table of the data set, never a path: it
 * becomes DATA/NAME.csv or a SQLite table name, so a separator, "." or ".."
 * or a control character could leave the data set (issue 11, item 5).
 * Returns what is wrong with NAME (English, from msg.def: msg_translate), or
 * NULL when it is a plain name. */
static inline const char *zl_table_name_problem(const char *name)
{
    if (!*name) return msg_text(LANG_EN, MSG_TN_EMPTY);
    if (!strcmp(name, ".") || !strcmp(name, "..")) return msg_text(LANG_EN, MSG_TN_FOLDER);
    for (const char *c = name; *c; c++) {
        if (*c == '/' || *c == '\\') return msg_text(LANG_EN, MSG_TN_SEPARATOR);
        if ((unsigned char)*c < 0x20 || *c == 0x7F) return msg_text(LANG_EN, MSG_TN_CONTROL);
    }
    if (strstr(name, "..")) return msg_text(LANG_EN, MSG_TN_DOTDOT);
    return NULL;
}

/* Times: the instants of years 1 to 9999 (ZT_MIN_TIME, ZT_MAX_TIME); a
 * duration at most ZT_MAX_SPAN seconds long either way (ztime.h). */

#endif
