/* test_suggest.c - edit distance on code points and the "did you mean" choice
 * (compiler/suggest.c). Expected distances worked out by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "suggest.h"

static void test_distance_ascii(void **state)
{
    (void)state;
    assert_int_equal(suggest_distance("", ""), 0);
    assert_int_equal(suggest_distance("abc", ""), 3);
    assert_int_equal(suggest_distance("", "abc"), 3);
    assert_int_equal(suggest_distance("kitten", "sitting"), 3);
    assert_int_equal(suggest_distance("consultaton", "consultation"), 1); /* one insertion */
    assert_int_equal(suggest_distance("jsnol", "jsonl"), 1);              /* one swap */
    assert_int_equal(suggest_distance("--fromat", "--format"), 1);
    assert_int_equal(suggest_distance("ca", "abc"), 3); /* optimal string alignment, not full Damerau */
}

static void test_distance_code_points(void **state)
{
    (void)state;
    /* each Chinese character is one code point (three bytes) */
    assert_int_equal(suggest_distance("书记", "书纪"), 1);
    assert_int_equal(suggest_distance("校长", "长校"), 1);
    assert_int_equal(suggest_distance("党委会", "党委"), 1);
    assert_int_equal(suggest_distance("校长", "院长"), 1);
    assert_int_equal(suggest_distance("a", "书"), 1);
    /* a stray continuation byte counts as one */
    assert_int_equal(suggest_distance("a\x80", "a"), 1);
}

static void test_distance_too_long(void **state)
{
    (void)state;
    char a[SUGGEST_MAX_LEN + 2];
    memset(a, 'x', sizeof a - 1);
    a[sizeof a - 1] = '\0';
    assert_true(suggest_distance(a, "x") > 1000);
}

static const char *best(const char *name, const char *const *cands)
{
    Suggest s;
    suggest_init(&s, name);
    for (; *cands; cands++) suggest_offer(&s, *cands);
    return suggest_result(&s);
}

static void test_choice(void **state)
{
    (void)state;
    const char *types[] = {"meeting", "consultation", "report", NULL};
    assert_string_equal(best("consultaton", types), "consultation");
    assert_string_equal(best("meetin", types), "meeting");
    assert_null(best("phone_call", types)); /* nothing near */
    const char *formats[] = {"text", "jsonl", "json", "csv", NULL};
    assert_string_equal(best("jsnol", formats), "jsonl");
    assert_string_equal(best("jsn", formats), "json");  /* first nearest: json (1) before jsonl (2) */
    assert_null(best("xml", formats));                   /* xml→csv is 2 edits of 3 */
    const char *roles[] = {"书记", "校长", "副校长", NULL};
    assert_string_equal(best("书纪", roles), "书记");
    assert_string_equal(best("副校常", roles), "副校长"); /* 1 edit; 校长 is 2 */
    assert_null(best("院", roles)); /* one code point: nothing is within fewer edits than its length */
    const char *ties[] = {"ab", "ba", NULL};
    assert_string_equal(best("aa", ties), "ab"); /* a tie keeps the first offered */
    const char *same[] = {"run", NULL};
    assert_null(best("run", same)); /* the name itself is no suggestion */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_distance_ascii),
        cmocka_unit_test(test_distance_code_points),
        cmocka_unit_test(test_distance_too_long),
        cmocka_unit_test(test_choice),
    };
    return cmocka_run_group_tests_name("suggest", tests, NULL, NULL);
}
