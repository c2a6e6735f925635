/* test_msg.c - the message catalogue (runtime/msg.def): every message has
 * both languages with the same printf conversions and {name} placeholders in
 * the same order; the locale rule; a few Chinese texts written out by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "msg.h"

static const char *const names[MSG_COUNT] = {
#define MSG(id, en, zh) [id] = #id,
#include "msg.def"
#undef MSG
};

/* The conversions of a printf format, one letter each ("%-12s %u%%" -> "su"),
 * flags, width and precision left out, then every {name} placeholder. */
static void shape(const char *s, char *out, size_t size)
{
    size_t n = 0;
    for (const char *p = s; *p && n + 1 < size; p++) {
        if (*p == '%') {
            p++;
            if (*p == '%') continue;
            while (*p && strchr("-+ #0123456789.lhjzt", *p)) {
                if (*p == 'l' || *p == 'h') out[n++] = *p; /* the length matters to the argument */
                p++;
            }
            if (!*p) break;
            out[n++] = *p;
        } else if (*p == '{') { /* {name}: letters and '_' only; other braces are text */
            const char *e = p + 1;
            while ((*e >= 'a' && *e <= 'z') || (*e >= 'A' && *e <= 'Z') || *e == '_') e++;
            if (*e != '}' || e == p + 1) continue;
            for (; p <= e && n + 1 < size; p++) out[n++] = *p;
            p--;
        }
    }
    out[n] = '\0';
}

static void test_every_message_in_both_languages(void **state)
{
    (void)state;
    for (int i = 0; i < MSG_COUNT; i++) {
        const char *en = msg_text(LANG_EN, (MsgId)i), *zh = msg_text(LANG_ZH, (MsgId)i);
        if (!en || !*en || !zh || !*zh) fail_msg("%s: a language is missing", names[i]);
        char a[256], b[256];
        shape(en, a, sizeof a);
        shape(zh, b, sizeof b);
        if (strcmp(a, b)) fail_msg("%s: English takes \"%s\", Chinese \"%s\"", names[i], a, b);
    }
}

static void test_shape_sees_differences(void **state)
{
    (void)state; /* the check above can fail */
    char a[64], b[64];
    shape("column %s: %u rows, {n} of {total}", a, sizeof a);
    assert_string_equal(a, "su{n}{total}");
    shape("a '{' without '}', {%s}, {{", a, sizeof a);
    assert_string_equal(a, "s");
    shape("%-12s %llu%%", a, sizeof a);
    shape("%s %lu", b, sizeof b);
    assert_string_equal(a, "sllu");
    assert_string_not_equal(a, b);
}

static void test_locale_rule(void **state)
{
    (void)state;
    assert_int_equal(msg_lang_from_env(NULL, NULL, NULL), LANG_EN);
    assert_int_equal(msg_lang_from_env(NULL, NULL, "C"), LANG_EN);
    assert_int_equal(msg_lang_from_env(NULL, NULL, "zh_CN.UTF-8"), LANG_ZH);
    assert_int_equal(msg_lang_from_env(NULL, "zh_TW", "en_US.UTF-8"), LANG_ZH);
    assert_int_equal(msg_lang_from_env("C", "zh_CN", "zh_CN"), LANG_EN);       /* LC_ALL first */
    assert_int_equal(msg_lang_from_env("", "", "zh_SG.UTF-8"), LANG_ZH);       /* empty: not set */
    assert_int_equal(msg_lang_from_env("en_GB", NULL, "zh_CN"), LANG_EN);
    Lang l = LANG_EN;
    assert_true(msg_lang_parse("zh", &l));
    assert_int_equal(l, LANG_ZH);
    assert_true(msg_lang_parse("en", &l));
    assert_int_equal(l, LANG_EN);
    assert_false(msg_lang_parse("zh_CN", &l));
    assert_false(msg_lang_parse("", &l));
}

static void test_chinese_texts(void **state)
{
    (void)state;
    char buf[200];
    snprintf(buf, sizeof buf, msg_text(LANG_ZH, MSG_COLUMN), "time", "时间为空");
    assert_string_equal(buf, "列 time：时间为空");
    snprintf(buf, sizeof buf, msg_text(LANG_ZH, MSG_SUM_RULE), 1u, "", 2u);
    assert_string_equal(buf, "违规 1 条，待定 2 项\n");
    snprintf(buf, sizeof buf, msg_text(LANG_EN, MSG_SUM_RULE), 3u, "s", 2u);
    assert_string_equal(buf, "3 violations, 2 pending\n");
    assert_string_equal(msg_text(LANG_ZH, MSG_SEV_IN_PRINCIPLE), "原则上");
    assert_string_equal(msg_translate(LANG_ZH, msg_text(LANG_EN, MSG_DF_STRICTER)), "更严");
    assert_string_equal(msg_text(LANG_ZH, M_REPORT), "合规报告");
    assert_string_equal(msg_text(LANG_EN, M_REPORT), "Compliance report");
}

/* msg_translate knows the catalogue's English texts by address: an equal
 * text from elsewhere (a type name "duration") stays as it is. */
static void test_translate(void **state)
{
    (void)state;
    assert_string_equal(msg_translate(LANG_ZH, msg_text(LANG_EN, D_TOKEN_DURATION)), "时长");
    assert_string_equal(msg_translate(LANG_EN, msg_text(LANG_EN, D_TOKEN_DURATION)), "duration");
    char other[] = "duration";
    assert_ptr_equal(msg_translate(LANG_ZH, other), other);
    assert_string_equal(msg_translate(LANG_ZH, "duration"), "duration");
    assert_null(msg_translate(LANG_ZH, NULL));
    assert_string_equal(msg_translate(LANG_ZH, msg_text(LANG_EN, MSG_T_NO_DATE)), "没有这个日期");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_message_in_both_languages),
        cmocka_unit_test(test_shape_sees_differences),
        cmocka_unit_test(test_locale_rule),
        cmocka_unit_test(test_chinese_texts),
        cmocka_unit_test(test_translate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
