/* diagnose: the table of tests/data/send/diagnose-table.txt (libcurl result
 * + SMTP state -> helpdesk code), the port-25 measurement, next steps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "account.h"
#include "diagnose.h"
#include "platform.h"
#include "strbuf.h"

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

static diagnose_stage stage_by_name(const char *name)
{
    for (int s = 0; s < DIAG_STAGE_COUNT; s++)
        if (strcmp(diagnose_stage_name((diagnose_stage)s), name) == 0)
            return (diagnose_stage)s;
    fail_msg("unknown stage %s", name);
    return DIAG_STAGE_COUNT;
}

static int security_by_name(const char *name)
{
    if (strcmp(name, "none") == 0)
        return MS_SEC_NONE;
    if (strcmp(name, "starttls") == 0)
        return MS_SEC_STARTTLS;
    if (strcmp(name, "tls") == 0)
        return MS_SEC_SSL;
    fail_msg("unknown security %s", name);
    return -1;
}

static void test_table(void **state)
{
    (void)state;
    char *text = read_fixture("diagnose-table.txt");
    size_t cases = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] == '#' || line[0] == '\0')
            continue;
        int curl, auth, starttls, used = 0;
        long reply;
        char stage[16], sec[16], expect[8];
        int n = sscanf(line, "%d %ld %15s %d %d %15s %7s %n", &curl, &reply, stage, &auth,
                       &starttls, sec, expect, &used);
        assert_int_equal(n, 7);
        const char *curl_text = line + used;
        if (strcmp(curl_text, "-") == 0)
            curl_text = NULL;
        diagnose_input in = {.curl_code = curl,
                             .curl_text = curl_text,
                             .reply = reply,
                             .stage = stage_by_name(stage),
                             .auth_offered = auth != 0,
                             .starttls_offered = starttls != 0,
                             .security = security_by_name(sec),
                             .host = "smtp.example.jp",
                             .port = 587};
        ms_error err;
        ms_code code = diagnose_send(&in, &err);
        if (strcmp(ms_code_helpdesk(code), expect) != 0)
            fail_msg("line '%s': got %s (%s), want %s", line, ms_code_helpdesk(code),
                     ms_code_name(code), expect);
        assert_int_equal(err.code, code);
        if (code != MS_OK) {
            /* The sentence is complete in both languages and names something. */
            char buf[1024];
            ms_error_format(&err, MS_LANG_EN, buf, sizeof buf);
            assert_null(strstr(buf, "%s"));
            assert_true(err.detail[0] != '\0' || code == MS_ERR_NOMEM);
            ms_error_format(&err, MS_LANG_JA, buf, sizeof buf);
            assert_null(strstr(buf, "%s"));
            assert_string_not_equal(diagnose_next_step(code, MS_LANG_JA), "");
            assert_string_not_equal(diagnose_next_step(code, MS_LANG_EN), "");
        }
        cases++;
    }
    assert_true(cases >= 30);
    free(text);
}

static void test_detail(void **state)
{
    (void)state;
    ms_error err;
    diagnose_input in = {.curl_code = DIAG_CURLE_COULDNT_CONNECT, .reply = 0,
                         .stage = DIAG_STAGE_CONNECT, .host = "smtp.example.jp", .port = 587};
    assert_int_equal(diagnose_send(&in, &err), MS_ERR_SEND_CONNECT);
    assert_string_equal(err.detail, "smtp.example.jp:587");
    in = (diagnose_input){.curl_code = DIAG_CURLE_LOGIN_DENIED, .reply = 535,
                          .stage = DIAG_STAGE_AUTH, .auth_offered = true,
                          .security = MS_SEC_STARTTLS, .host = "h.example.jp", .port = 587};
    assert_int_equal(diagnose_send(&in, &err), MS_ERR_SEND_AUTH);
    assert_string_equal(err.detail, "SMTP 535, auth");
    in = (diagnose_input){.curl_code = DIAG_CURLE_OPERATION_TIMEDOUT, .reply = 250,
                          .stage = DIAG_STAGE_RCPT, .host = "h.example.jp", .port = 587};
    assert_int_equal(diagnose_send(&in, &err), MS_ERR_SEND_TIMEOUT);
    assert_string_equal(err.detail, "h.example.jp:587 (rcpt)");
    in = (diagnose_input){.curl_code = DIAG_CURLE_LOGIN_DENIED, .reply = 250,
                          .stage = DIAG_STAGE_EHLO, .auth_offered = true,
                          .auth_mechanisms = "X-UNKNOWN-MECH", .host = "h.example.jp", .port = 587};
    assert_int_equal(diagnose_send(&in, &err), MS_ERR_SEND_AUTH_MECH);
    assert_string_equal(err.detail, "AUTH X-UNKNOWN-MECH");
}

static void test_port25(void **state)
{
    (void)state;
    char *text = read_fixture("port25-table.txt");
    size_t cases = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] == '#')
            continue;
        int curl;
        char expect[8];
        assert_int_equal(sscanf(line, "%d %7s", &curl, expect), 2);
        ms_error err;
        ms_code c = diagnose_port25(curl, "smtp.example.jp", &err);
        assert_string_equal(ms_code_helpdesk(c), expect);
        if (c != MS_OK)
            assert_string_equal(err.detail, "smtp.example.jp");
        cases++;
    }
    assert_int_equal(cases, 6);
    free(text);
}

/* Every S-code has a next step in both languages and every stage a name. */
static void test_every_code_has_a_step(void **state)
{
    (void)state;
    size_t s_codes = 0;
    for (int c = 0; c < MS_CODE_COUNT; c++) {
        if (ms_code_helpdesk((ms_code)c)[0] != 'S')
            continue;
        s_codes++;
        if (diagnose_next_step((ms_code)c, MS_LANG_JA)[0] == '\0')
            fail_msg("%s has no next step", ms_code_name((ms_code)c));
        assert_string_not_equal(diagnose_next_step((ms_code)c, MS_LANG_EN), "");
    }
    assert_true(s_codes >= 24);
    assert_string_equal(diagnose_next_step(MS_OK, MS_LANG_EN), "");
    for (int s = 0; s < DIAG_STAGE_COUNT; s++)
        assert_string_not_equal(diagnose_stage_name((diagnose_stage)s), "?");
    assert_string_equal(diagnose_stage_name(DIAG_STAGE_COUNT), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_detail),
        cmocka_unit_test(test_port25),
        cmocka_unit_test(test_every_code_has_a_step),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
