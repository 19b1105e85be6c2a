/* testmail: the test message (golden file tests/data/send/testmail.eml and
 * independent checks: line lengths, CRLF, the subject and body decoded
 * back), address checks from tests/data/send/addresses.txt. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ms_version.h"
#include "platform.h"
#include "strbuf.h"
#include "testmail.h"

static char *read_fixture(const char *name, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/send/%s", MS_TEST_DATA, name);
    strbuf sb;
    strbuf_init(&sb);
    ms_error err;
    assert_int_equal(ms_file_read(path, 1 << 20, &sb, &err), MS_OK);
    return strbuf_detach(&sb, len);
}

static const testmail_info info = {
    .from = "taro.yamada@example.jp",
    .user = "taro.yamada",
    .server = "smtp.example.jp:587 (STARTTLS)",
    .year = 2026, .month = 11, .day = 25, .hour = 9, .minute = 30, .second = 5,
    .unique = "k3x9q2",
};

/* A base64 decoder independent of the encoder under test. */
static void unbase64(const char *s, size_t n, strbuf *out)
{
    unsigned v = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        const char *alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        const char *p = c ? strchr(alpha, c) : NULL;
        if (!p)
            continue; /* '=', CR, LF */
        v = (v << 6) | (unsigned)(p - alpha);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            strbuf_addch(out, (char)((v >> bits) & 0xFF));
        }
    }
}

/* The decoded text of a header's encoded words ("=?UTF-8?B?...?=" each). */
static void decode_words(const char *value, strbuf *out)
{
    const char *p = value;
    while ((p = strstr(p, "=?UTF-8?B?")) != NULL) {
        p += 10;
        const char *e = strstr(p, "?=");
        assert_non_null(e);
        unbase64(p, (size_t)(e - p), out);
        p = e + 2;
    }
}

static void test_golden(void **state)
{
    (void)state;
    strbuf sb;
    strbuf_init(&sb);
    ms_error err;
    assert_int_equal(testmail_build(&info, &sb, &err), MS_OK);
    /* The fixture says @VERSION@ where the X-Mailer header has the version. */
    char *want = read_fixture("testmail.eml", NULL);
    char *at = strstr(want, "@VERSION@");
    assert_non_null(at);
    strbuf exp;
    strbuf_init(&exp);
    strbuf_add(&exp, want, (size_t)(at - want));
    strbuf_addstr(&exp, MS_VERSION);
    strbuf_addstr(&exp, at + 9);
    free(want);
    if (exp.len != sb.len || memcmp(exp.buf, sb.buf, exp.len) != 0)
        fail_msg("the message differs from testmail.eml:\n%s", sb.buf);
    strbuf_free(&exp);
    strbuf_free(&sb);
}

static void test_shape(void **state)
{
    (void)state;
    strbuf sb;
    strbuf_init(&sb);
    assert_int_equal(testmail_build(&info, &sb, NULL), MS_OK);
    /* CRLF only, no line over 78 characters, ASCII only. */
    size_t col = 0;
    for (size_t i = 0; i < sb.len; i++) {
        unsigned char c = (unsigned char)sb.buf[i];
        assert_true(c < 0x80);
        if (c == '\n') {
            assert_true(i > 0 && sb.buf[i - 1] == '\r');
            col = 0;
        } else if (c != '\r') {
            assert_true(++col <= 78);
        }
    }
    assert_non_null(strstr(sb.buf, "Date: Wed, 25 Nov 2026 09:30:05 +0000\r\n"));
    assert_non_null(strstr(sb.buf, "\r\nFrom: taro.yamada@example.jp\r\n"));
    assert_non_null(strstr(sb.buf, "\r\nTo: taro.yamada@example.jp\r\n"));
    assert_non_null(strstr(sb.buf, "\r\nX-Mailsetup-Test: 1\r\n"));
    assert_non_null(strstr(sb.buf, "\r\nContent-Type: text/plain; charset=UTF-8\r\n"));

    strbuf id;
    strbuf_init(&id);
    testmail_message_id(&info, &id);
    assert_string_equal(id.buf, "<mailsetup-test.20261125093005.k3x9q2@example.jp>");
    strbuf line;
    strbuf_init(&line);
    strbuf_addf(&line, "\r\nMessage-ID: %s\r\n", id.buf);
    assert_non_null(strstr(sb.buf, line.buf));
    strbuf_free(&line);
    strbuf_free(&id);

    /* The subject decodes back to the Japanese text. */
    const char *subj = strstr(sb.buf, "\r\nSubject: ");
    assert_non_null(subj);
    const char *end = strstr(subj + 2, "\r\nMessage-ID:");
    assert_non_null(end);
    strbuf value;
    strbuf_init(&value);
    strbuf_add(&value, subj + 11, (size_t)(end - subj - 11));
    strbuf dec;
    strbuf_init(&dec);
    decode_words(value.buf, &dec);
    assert_string_equal(dec.buf, TESTMAIL_SUBJECT);
    strbuf_free(&value);
    strbuf_free(&dec);

    /* The body decodes to UTF-8 Japanese and English. */
    const char *body = strstr(sb.buf, "\r\n\r\n");
    assert_non_null(body);
    strbuf text;
    strbuf_init(&text);
    unbase64(body + 4, strlen(body + 4), &text);
    assert_non_null(strstr(text.buf, "メール設定ウィザード"));
    assert_non_null(strstr(text.buf, "テストメール"));
    assert_non_null(strstr(text.buf, "test message from the mail setup wizard"));
    assert_non_null(strstr(text.buf, "smtp.example.jp:587 (STARTTLS)"));
    strbuf_free(&text);
    strbuf_free(&sb);
}

/* Encoded words hold whole characters and stay within RFC 2047's limit. */
static void test_encode_words(void **state)
{
    (void)state;
    const char *s = "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほ"
                    "まみむめもやゆよらりるれろわをん、ASCII と 𠮷 (4 bytes)";
    strbuf out;
    strbuf_init(&out);
    testmail_encode_words(&out, s);
    strbuf dec;
    strbuf_init(&dec);
    size_t words = 0;
    for (const char *p = out.buf; (p = strstr(p, "=?UTF-8?B?")) != NULL; words++) {
        const char *e = strstr(p + 10, "?=");
        assert_non_null(e);
        assert_true((size_t)(e + 2 - p) <= 75);
        strbuf one;
        strbuf_init(&one);
        unbase64(p + 10, (size_t)(e - p - 10), &one);
        /* Each word on its own is whole UTF-8: it does not end inside a character. */
        unsigned char last = (unsigned char)one.buf[one.len - 1];
        assert_true(last < 0x80 || (last & 0xC0) == 0x80);
        strbuf_add(&dec, one.buf, one.len);
        strbuf_free(&one);
        p = e + 2;
    }
    assert_true(words >= 3);
    assert_string_equal(dec.buf, s);
    strbuf_free(&dec);
    strbuf_free(&out);
}

static void test_addresses(void **state)
{
    (void)state;
    char *text = read_fixture("addresses.txt", NULL);
    size_t good = 0, bad = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] == '#')
            continue;
        bool want = line[0] == '+';
        assert_true(line[0] == '+' || line[0] == '-');
        const char *addr = line + 2;
        if (testmail_address_ok(addr) != want)
            fail_msg("%s: want %s", addr, want ? "accepted" : "refused");
        want ? good++ : bad++;
        if (!want) {
            testmail_info bad_info = info;
            bad_info.from = addr;
            strbuf sb;
            strbuf_init(&sb);
            ms_error err;
            assert_int_equal(testmail_build(&bad_info, &sb, &err), MS_ERR_USAGE);
            assert_int_equal(sb.len, 0);
            strbuf_free(&sb);
        }
    }
    assert_true(good >= 3 && bad >= 8);
    free(text);
}

static void test_bad_date(void **state)
{
    (void)state;
    testmail_info bad = info;
    bad.month = 2;
    bad.day = 30;
    strbuf sb;
    strbuf_init(&sb);
    assert_int_equal(testmail_build(&bad, &sb, NULL), MS_ERR_INTERNAL);
    bad = info;
    bad.unique = "a b";
    assert_int_equal(testmail_build(&bad, &sb, NULL), MS_ERR_INTERNAL);
    strbuf_free(&sb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden),      cmocka_unit_test(test_shape),
        cmocka_unit_test(test_encode_words), cmocka_unit_test(test_addresses),
        cmocka_unit_test(test_bad_date),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
