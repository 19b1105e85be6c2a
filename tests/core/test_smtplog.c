/* smtplog: transcripts of tests/data/send/NAME.dialog fed as libcurl's debug
 * callback would, compared with their .expected redacted logs; the session
 * state the diagnosis reads; the password never in the log. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "account.h"
#include "platform.h"
#include "smtplog.h"
#include "testmail.h"

#define PASSWORD "s3cret!pw"

static char *read_fixture(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/send/%s", MS_TEST_DATA, name);
    strbuf sb;
    strbuf_init(&sb);
    ms_error err;
    assert_int_equal(ms_file_read(path, 1 << 20, &sb, &err), MS_OK);
    return strbuf_detach(&sb, NULL);
}

/* Feeds name.dialog line by line (each with CRLF, as libcurl hands them). */
static void feed_dialog(smtplog *l, const char *name)
{
    char file[128];
    snprintf(file, sizeof file, "%s.dialog", name);
    char *text = read_fixture(file);
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] == '#')
            continue;
        smtplog_kind kind;
        switch (line[0]) {
        case 'I': kind = SMTPLOG_INFO; break;
        case '<': kind = SMTPLOG_IN; break;
        case '>': kind = SMTPLOG_OUT; break;
        case 'D': kind = SMTPLOG_DATA_OUT; break;
        default: fail_msg("bad fixture line %s", line); return;
        }
        const char *payload = line[1] ? line + 2 : "";
        strbuf chunk;
        strbuf_init(&chunk);
        strbuf_addf(&chunk, "%s\r\n", payload);
        smtplog_feed(l, kind, chunk.buf, chunk.len);
        strbuf_free(&chunk);
    }
    free(text);
}

static void compare_expected(const smtplog *l, const char *name)
{
    char file[128];
    snprintf(file, sizeof file, "%s.expected", name);
    char *want = read_fixture(file);
    if (strcmp(want, l->text.buf) != 0)
        fail_msg("%s differs; got:\n%s", file, l->text.buf);
    free(want);
}

static void check_no_secret(const char *text)
{
    strbuf b;
    strbuf_init(&b);
    testmail_base64(&b, PASSWORD, strlen(PASSWORD), 0);
    assert_null(strstr(text, PASSWORD));
    assert_null(strstr(text, b.buf));
    assert_null(strstr(text, "AHRhcm8AczNjcmV0IXB3")); /* AUTH PLAIN's payload */
    assert_null(strstr(text, "body text"));              /* the message */
    assert_null(strstr(text, "must never be logged"));
    strbuf_free(&b);
}

static void test_auth_plain(void **state)
{
    (void)state;
    smtplog l;
    smtplog_init(&l, MS_SEC_STARTTLS);
    smtplog_add_secret(&l, PASSWORD);
    feed_dialog(&l, "auth-plain");
    compare_expected(&l, "auth-plain");
    check_no_secret(l.text.buf);
    assert_true(l.accepted);
    assert_true(l.auth_offered);
    assert_false(l.starttls_offered); /* the EHLO after STARTTLS no longer lists it */
    assert_string_equal(l.auth_mechanisms, "LOGIN PLAIN");
    /* QUIT and its 221 do not hide where the session was. */
    assert_int_equal(l.stage, DIAG_STAGE_DATA);
    assert_int_equal(l.reply, 250);
    assert_true(l.quit_sent);
    assert_int_equal(l.body_bytes, strlen("From: taro@example.jp\r\n"
                                          "Subject: a body line that must never be logged\r\n"
                                          "\r\nbody text " PASSWORD "\r\n.\r\n"));
    smtplog_free(&l);
}

static void test_auth_login_denied(void **state)
{
    (void)state;
    smtplog l;
    smtplog_init(&l, MS_SEC_NONE);
    smtplog_add_secret(&l, PASSWORD);
    feed_dialog(&l, "auth-login-denied");
    compare_expected(&l, "auth-login-denied");
    check_no_secret(l.text.buf);
    assert_null(strstr(l.text.buf, "dGFybw==")); /* the user name's LOGIN response */
    assert_false(l.accepted);
    assert_int_equal(l.stage, DIAG_STAGE_AUTH);
    assert_int_equal(l.reply, 535);
    assert_string_equal(l.reply_text, "535 5.7.8 Authentication credentials invalid");
    assert_false(l.in_auth);

    diagnose_input in = {.curl_code = DIAG_CURLE_LOGIN_DENIED, .reply = l.reply,
                         .stage = l.stage, .auth_offered = l.auth_offered,
                         .starttls_offered = l.starttls_offered, .security = MS_SEC_NONE,
                         .host = "smtp.example.jp", .port = 587};
    assert_int_equal(diagnose_send(&in, NULL), MS_ERR_SEND_AUTH);
    smtplog_free(&l);
}

static void test_starttls_required(void **state)
{
    (void)state;
    smtplog l;
    smtplog_init(&l, MS_SEC_NONE);
    feed_dialog(&l, "starttls-required");
    compare_expected(&l, "starttls-required");
    assert_true(l.starttls_offered);
    assert_false(l.auth_offered);
    assert_int_equal(l.stage, DIAG_STAGE_MAIL);
    diagnose_input in = {.curl_code = DIAG_CURLE_SEND_ERROR, .reply = l.reply,
                         .stage = l.stage, .auth_offered = l.auth_offered,
                         .starttls_offered = l.starttls_offered, .security = MS_SEC_NONE,
                         .host = "smtp.example.jp", .port = 587};
    assert_int_equal(diagnose_send(&in, NULL), MS_ERR_SEND_STARTTLS_REQUIRED);
    smtplog_free(&l);
}

static void test_no_greeting(void **state)
{
    (void)state;
    smtplog l;
    smtplog_init(&l, MS_SEC_NONE);
    feed_dialog(&l, "no-greeting");
    assert_int_equal(l.stage, DIAG_STAGE_GREETING);
    assert_int_equal(l.reply, 0);
    smtplog_free(&l);
    smtplog_init(&l, MS_SEC_SSL);
    feed_dialog(&l, "no-greeting");
    assert_int_equal(l.stage, DIAG_STAGE_TLS);
    smtplog_free(&l);
}

/* Lines split across calls and several lines in one call. */
static void test_chunks(void **state)
{
    (void)state;
    smtplog l;
    smtplog_init(&l, MS_SEC_NONE);
    smtplog_feed(&l, SMTPLOG_IN, "220 hi\r\n", 8);
    smtplog_feed(&l, SMTPLOG_OUT, "EHLO x\r\n", 8);
    const char *caps = "250-a\r\n250-AUTH=PLAIN\r\n250 STARTTLS\r\n";
    smtplog_feed(&l, SMTPLOG_IN, caps, strlen(caps));
    assert_true(l.auth_offered);
    assert_true(l.starttls_offered);
    assert_string_equal(l.auth_mechanisms, "PLAIN");
    assert_string_equal(l.text.buf, "< 220 hi\n> EHLO x\n< 250-a\n< 250-AUTH=PLAIN\n< 250 STARTTLS\n");
    smtplog_free(&l);
}

static void test_scrub(void **state)
{
    (void)state;
    const char *secrets[] = {"pa55word", NULL};
    strbuf out;
    strbuf_init(&out);
    /* Plain, base64 with and without padding, twice in a line. */
    const char *line = "x pa55word y cGE1NXdvcmQ= z cGE1NXdvcmQ pa55wordpa55word";
    smtplog_scrub(&out, line, strlen(line), secrets, 2);
    assert_string_equal(out.buf, "x <redacted> y <redacted> z <redacted> <redacted><redacted>");
    strbuf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_auth_plain),        cmocka_unit_test(test_auth_login_denied),
        cmocka_unit_test(test_starttls_required), cmocka_unit_test(test_no_greeting),
        cmocka_unit_test(test_chunks),            cmocka_unit_test(test_scrub),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
