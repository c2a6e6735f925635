/* msg.h - the message catalogue (msg.def) and the language a run speaks.
 * The language is a value passed along (ReportInfo, InputOptions, Dataset),
 * never a global: msg_text() is a pure lookup. */
#ifndef ZD_MSG_H
#define ZD_MSG_H
#include <stdbool.h>

typedef enum Lang { LANG_EN, LANG_ZH } Lang;

typedef enum MsgId {
#define MSG(id, en, zh) id,
#include "msg.def"
#undef MSG
    MSG_COUNT
} MsgId;

/* The text (often a printf format) of message id in language lang. */
const char *msg_text(Lang lang, MsgId id);
/* A text of the catalogue given in English (as msg_text(LANG_EN, id) returned
 * it: the same pointer) in language lang; any other text as it is. For
 * messages chosen where no language is known (ztime.h's reasons). */
const char *msg_translate(Lang lang, const char *en);
/* "zh" or "en" -> *out; false for anything else. */
bool msg_lang_parse(const char *s, Lang *out);
/* The locale rule: the first of LC_ALL, LC_MESSAGES, LANG that is set and
 * not empty decides; a value starting with "zh" gives LANG_ZH, anything else
 * (C, POSIX, en_US.UTF-8, none) LANG_EN. The caller passes getenv()'s values. */
Lang msg_lang_from_env(const char *lc_all, const char *lc_messages, const char *lang);

#endif
