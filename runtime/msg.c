/* msg.c - looking up the message catalogue declared in msg.def. */
#include "msg.h"

#include <string.h>

/* The English texts as named arrays, not literals: a literal may share its
 * storage with an equal literal elsewhere ("duration" of a type name), and
 * msg_translate() must know the catalogue's own texts by their address. */
#define MSG(id, en, zh) static const char en_##id[] = en;
#include "msg.def"
#undef MSG

static const char *const texts[MSG_COUNT][2] = {
#define MSG(id, en, zh) [id] = {en_##id, zh},
#include "msg.def"
#undef MSG
};

const char *msg_text(Lang lang, MsgId id) { return texts[id][lang == LANG_ZH]; }

const char *msg_translate(Lang lang, const char *en)
{
    for (int i = 0; en && i < MSG_COUNT; i++)
        if (texts[i][0] == en) return texts[i][lang == LANG_ZH];
    return en;
}

bool msg_lang_parse(const char *s, Lang *out)
{
    if (!strcmp(s, "zh")) *out = LANG_ZH;
    else if (!strcmp(s, "en")) *out = LANG_EN;
    else return false;
    return true;
}

Lang msg_lang_from_env(const char *lc_all, const char *lc_messages, const char *lang)
{
    const char *v = lc_all && *lc_all ? lc_all : lc_messages && *lc_messages ? lc_messages : lang;
    return v && !strncmp(v, "zh", 2) ? LANG_ZH : LANG_EN;
}
