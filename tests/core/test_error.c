/* Unit tests: the result-code table and its sentences. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "error.h"

static void every_code_has_unique_helpdesk_code_and_both_sentences(void **state)
{
    (void)state;
    for (int i = 0; i < MS_CODE_COUNT; i++) {
        assert_true(strlen(ms_code_helpdesk((ms_code)i)) >= 2);
        assert_true(strlen(ms_code_sentence((ms_code)i, MS_LANG_JA)) > 0);
        assert_true(strlen(ms_code_sentence((ms_code)i, MS_LANG_EN)) > 0);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(ms_code_helpdesk((ms_code)i), ms_code_helpdesk((ms_code)j));
    }
}

static void detail_fills_the_sentence(void **state)
{
    (void)state;
    ms_error err;
    assert_int_equal(ms_fail(&err, MS_ERR_IO_READ, "%s", "C:\\a.json"), MS_ERR_IO_READ);
    char buf[256];
    assert_string_equal(ms_error_format(&err, MS_LANG_EN, buf, sizeof buf),
                        "Cannot read the file: C:\\a.json");
    assert_string_equal(ms_error_format(&err, MS_LANG_JA, buf, sizeof buf),
                        "ファイルを読み込めません: C:\\a.json");
}

/* True when s is a sequence of whole UTF-8 characters. */
static int whole_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int n = *p < 0x80 ? 1 : *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : 2;
        for (int i = 1; i < n; i++)
            if ((p[i] & 0xC0) != 0x80)
                return 0;
        p += n;
    }
    return 1;
}

static void truncation_never_splits_a_character(void **state)
{
    (void)state;
    ms_error err;
    char big[2000] = "";
    for (int i = 0; i < 600; i++)
        strcat(big, "あ");
    ms_fail(&err, MS_ERR_IO_READ, "%s", big);
    size_t n = strlen(err.detail);
    assert_true(n < sizeof err.detail);
    assert_int_equal(n % 3, 0); /* whole 3-byte characters only */
    char buf[100];
    for (size_t size = 1; size <= sizeof buf; size++) {
        ms_error_format(&err, MS_LANG_JA, buf, size);
        assert_true(strlen(buf) < size);
        assert_true(whole_utf8(buf));
    }
}

static void out_of_range_code_is_internal(void **state)
{
    (void)state;
    assert_string_equal(ms_code_helpdesk((ms_code)9999), "E99");
    assert_int_equal(ms_lang_parse("ja-JP"), MS_LANG_JA);
    assert_int_equal(ms_lang_parse("en_US.UTF-8"), MS_LANG_EN);
    assert_int_equal(ms_lang_parse("de"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_code_has_unique_helpdesk_code_and_both_sentences),
        cmocka_unit_test(detail_fills_the_sentence),
        cmocka_unit_test(truncation_never_splits_a_character),
        cmocka_unit_test(out_of_range_code_is_internal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
