/* probe: the servers a profile means (the seed profiles), the POP3 and IMAP
 * dialogues of the .dialog files of tests/data/probe/ fed as libcurl's debug callback
 * would (capabilities, STARTTLS, the log-on redacted), and the verdicts of
 * probe_evaluate for what a network layer reports. The network layer itself
 * is tested against real servers (tests/tools/check_probe.py). */
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
#include "probe.h"

#define PASSWORD "s3cret!pw"

/* The verb's network layer is not linked into unit tests. */
ms_code probe_net_run(const probe_target *t, const probe_net_opts *o, probe_obs *obs,
                      ms_error *err)
{
    (void)t, (void)o, (void)obs;
    fail();
    return ms_fail(err, MS_ERR_INTERNAL, NULL);
}

ms_code probe_read_password(strbuf *pw, ms_error *err)
{
    (void)pw;
    fail();
    return ms_fail(err, MS_ERR_INTERNAL, NULL);
}

static profile *seed(const char *id)
{
    char path[512];
    snprintf(path, sizeof path, "%s/isp-profiles/%s.json", MS_SOURCE_DIR, id);
    profile *p = NULL;
    assert_int_equal(profile_load_file(path, &p, NULL), MS_OK);
    return p;
}

static void test_targets_micnet(void **state)
{
    (void)state;
    profile *p = seed("micnet");
    probe_target t[PROBE_MAX_TARGETS];
    bool no_in = true;
    size_t n = probe_targets(p, true, t, PROBE_MAX_TARGETS, &no_in);
    assert_int_equal(n, 3);
    assert_false(no_in);
    /* the host_map's target, not the old name */
    assert_int_equal(t[0].role, PROBE_OUTGOING);
    assert_string_equal(t[0].host, "smtp.micnet.ne.jp");
    assert_int_equal(t[0].port, 587);
    assert_int_equal(t[0].security, MS_SEC_NONE);
    assert_int_equal(t[1].role, PROBE_INCOMING);
    assert_int_equal(t[1].proto, PROBE_POP3);
    assert_string_equal(t[1].host, "pop.micnet.ne.jp");
    assert_int_equal(t[1].port, 110);
    assert_true(t[1].security_kept);
    assert_int_equal(t[2].role, PROBE_PORT25);
    assert_string_equal(t[2].host, "smtp.micnet.ne.jp");
    assert_int_equal(t[2].port, 25);
    assert_int_equal(probe_targets(p, false, t, PROBE_MAX_TARGETS, &no_in), 2);
    profile_free(p);
}

static void test_targets_ktarn(void **state)
{
    (void)state;
    profile *p = seed("ktarn");
    probe_target t[PROBE_MAX_TARGETS];
    bool no_in = false;
    size_t n = probe_targets(p, false, t, PROBE_MAX_TARGETS, &no_in);
    /* the main server and the paid virus-check server; no incoming host */
    assert_int_equal(n, 2);
    assert_true(no_in);
    assert_string_equal(t[0].host, "post.ktarn.or.jp");
    assert_string_equal(t[1].host, "vpost.ktarn.or.jp");
    assert_int_equal(t[1].port, 587);
    profile_free(p);
}

/* Feeds a .dialog file: "< " server lines, "> " client lines. */
static void feed_dialog(probe_obs *o, const probe_target *t, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/probe/%s", MS_TEST_DATA, name);
    strbuf sb;
    strbuf_init(&sb);
    ms_error err;
    assert_int_equal(ms_file_read(path, 1 << 20, &sb, &err), MS_OK);
    const char *p = sb.buf;
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) + 1 : strlen(p);
        assert_true(n > 2);
        probe_feed(o, t, p[0] == '<' ? SMTPLOG_IN : SMTPLOG_OUT, p + 2, n - 2);
        p += n;
    }
    strbuf_free(&sb);
}

static void test_imap_dialog(void **state)
{
    (void)state;
    probe_target t = {PROBE_INCOMING, PROBE_IMAP, "imap.probe.invalid", 143, MS_SEC_STARTTLS,
                      false};
    probe_obs o;
    probe_obs_init(&o, &t, PASSWORD);
    feed_dialog(&o, &t, "imap-starttls.dialog");
    assert_string_equal(o.greeting,
                        "* OK [CAPABILITY IMAP4rev1 LITERAL+ STARTTLS LOGINDISABLED] "
                        "imap.probe.invalid ready");
    /* the capabilities after STARTTLS replace those before */
    assert_string_equal(o.caps, "IMAP4rev1 LITERAL+ AUTH=PLAIN AUTH=LOGIN");
    assert_string_equal(o.sasl, "PLAIN LOGIN");
    assert_true(o.starttls_sent);
    assert_true(o.login_sent);
    assert_null(strstr(o.transcript.buf, PASSWORD));
    assert_non_null(strstr(o.transcript.buf, "> A004 LOGIN <redacted>\n"));

    o.curl_code = 0;
    o.tls = true;
    probe_report r = {0};
    probe_evaluate(&t, 0, &o, 0, &r);
    bool starttls = false, auth = false;
    for (size_t i = 0; i < r.count; i++) {
        assert_int_not_equal(r.items[i].level, PROBE_FAIL);
        starttls |= r.items[i].what.code == MS_PROBE_STARTTLS;
        auth |= r.items[i].what.code == MS_PROBE_AUTH;
    }
    assert_true(starttls && auth);
    assert_true(probe_passed(&r));
    probe_report_free(&r);
    probe_obs_free(&o);
}

static void test_pop3_dialog(void **state)
{
    (void)state;
    probe_target t = {PROBE_INCOMING, PROBE_POP3, "pop.probe.invalid", 110, MS_SEC_STARTTLS,
                      false};
    probe_obs o;
    probe_obs_init(&o, &t, PASSWORD);
    feed_dialog(&o, &t, "pop3-stls.dialog");
    assert_string_equal(o.greeting, "+OK pop.probe.invalid ready");
    assert_string_equal(o.caps, "USER SASL PLAIN LOGIN");
    assert_string_equal(o.sasl, "PLAIN LOGIN");
    assert_true(o.starttls_sent);
    const char *tr = o.transcript.buf;
    assert_null(strstr(tr, PASSWORD));
    assert_null(strstr(tr, "AHRhcm8AczNjcmV0IXB3")); /* AUTH PLAIN's payload */
    assert_non_null(strstr(tr, "> AUTH PLAIN\n"));
    assert_non_null(strstr(tr, "> <redacted>\n"));
    assert_non_null(strstr(tr, "> USER taro\n"));
    assert_non_null(strstr(tr, "> PASS <redacted>\n"));
    probe_obs_free(&o);
}

static bool has(const probe_report *r, ms_code code, probe_level level)
{
    for (size_t i = 0; i < r->count; i++)
        if (r->items[i].what.code == code && r->items[i].level == level)
            return true;
    return false;
}

/* What the SMTP network layer reports, as smtplog sees it. */
static void smtp_session(probe_obs *o, const probe_target *t, const char *ehlo)
{
    probe_feed(o, t, SMTPLOG_IN, "220 smtp.probe.invalid ESMTP\r\n", 30);
    probe_feed(o, t, SMTPLOG_OUT, "EHLO probe\r\n", 12);
    probe_feed(o, t, SMTPLOG_IN, ehlo, strlen(ehlo));
}

static void test_smtp_verdicts(void **state)
{
    (void)state;
    probe_target t = {PROBE_OUTGOING, PROBE_SMTP, "smtp.probe.invalid", 587, MS_SEC_NONE, false};
    /* AUTH with PLAIN on a plain connection: works, with a warning */
    probe_obs o;
    probe_obs_init(&o, &t, NULL);
    smtp_session(&o, &t, "250-smtp.probe.invalid\r\n250-AUTH PLAIN LOGIN\r\n250 HELP\r\n");
    probe_report r = {0};
    probe_evaluate(&t, 0, &o, 0, &r);
    assert_true(has(&r, MS_PROBE_CONNECTED, PROBE_OK));
    assert_true(has(&r, MS_PROBE_AUTH, PROBE_OK));
    assert_true(has(&r, MS_PROBE_PLAIN_AUTH, PROBE_WARN));
    assert_true(has(&r, MS_PROBE_NO_STARTTLS, PROBE_INFO));
    assert_true(probe_passed(&r));
    probe_report_free(&r);
    probe_obs_free(&o);

    /* only CRAM-MD5: the mail programs' password log-on is not there */
    probe_obs_init(&o, &t, NULL);
    smtp_session(&o, &t, "250-smtp.probe.invalid\r\n250 AUTH CRAM-MD5\r\n");
    probe_evaluate(&t, 0, &o, 0, &r);
    assert_true(has(&r, MS_PROBE_AUTH_MECH, PROBE_FAIL));
    assert_false(probe_passed(&r));
    probe_report_free(&r);
    probe_obs_free(&o);

    /* no AUTH at all */
    probe_obs_init(&o, &t, NULL);
    smtp_session(&o, &t, "250-smtp.probe.invalid\r\n250 HELP\r\n");
    probe_evaluate(&t, 0, &o, 0, &r);
    assert_true(has(&r, MS_PROBE_NO_AUTH, PROBE_FAIL));
    probe_report_free(&r);
    probe_obs_free(&o);

    /* the profile says STARTTLS, the server does not offer it */
    t.security = MS_SEC_STARTTLS;
    probe_obs_init(&o, &t, NULL);
    smtp_session(&o, &t, "250-smtp.probe.invalid\r\n250 AUTH PLAIN\r\n");
    o.curl_code = DIAG_CURLE_USE_SSL_FAILED;
    snprintf(o.curl_text, sizeof o.curl_text, "%s", "STARTTLS not supported.");
    probe_evaluate(&t, 0, &o, 0, &r);
    assert_true(has(&r, MS_PROBE_NO_STARTTLS, PROBE_FAIL));
    probe_report_free(&r);
    probe_obs_free(&o);

    /* port 25 blocked: information only, never a failure */
    probe_target p25 = {PROBE_PORT25, PROBE_SMTP, "smtp.probe.invalid", 25, MS_SEC_NONE, false};
    probe_obs_init(&o, &p25, NULL);
    o.curl_code = DIAG_CURLE_COULDNT_CONNECT;
    probe_evaluate(&p25, 0, &o, 0, &r);
    assert_true(has(&r, MS_PROBE_PORT25_BLOCKED, PROBE_INFO));
    assert_true(probe_passed(&r));
    probe_report_free(&r);
    probe_obs_free(&o);
}

static void test_cert_expiry(void **state)
{
    (void)state;
    probe_target t = {PROBE_OUTGOING, PROBE_SMTP, "smtp.probe.invalid", 465, MS_SEC_SSL, false};
    probe_obs o;
    probe_obs_init(&o, &t, NULL);
    smtp_session(&o, &t, "250-smtp.probe.invalid\r\n250 AUTH PLAIN\r\n");
    o.tls = true;
    snprintf(o.cert_expire, sizeof o.cert_expire, "%s", "Jan 10 00:00:00 2027 GMT");
    probe_report r = {0};
    /* 2026-12-31 00:00:00 UTC: ten days left */
    probe_evaluate(&t, 0, &o, 1798675200LL, &r);
    assert_true(has(&r, MS_PROBE_CERT_OK, PROBE_OK));
    assert_true(has(&r, MS_PROBE_CERT_SOON, PROBE_WARN));
    probe_report_free(&r);
    /* 2026-06-01: months left, no warning */
    probe_evaluate(&t, 0, &o, 1780272000LL, &r);
    assert_false(has(&r, MS_PROBE_CERT_SOON, PROBE_WARN));
    probe_report_free(&r);
    probe_obs_free(&o);
}

/* One failed attempt, as the network layer reports it: libcurl's code and
 * text, and (SMTP) the dialogue up to the failure. */
static bool failure_gives(const probe_target *t, const char *ehlo, const char *last_reply,
                          int curl_code, const char *curl_text, ms_code want, probe_level lv)
{
    probe_obs o;
    probe_obs_init(&o, t, NULL);
    if (ehlo)
        smtp_session(&o, t, ehlo);
    if (last_reply) {
        probe_feed(&o, t, SMTPLOG_OUT, "MAIL FROM:<probe@probe.invalid>\r\n", 33);
        probe_feed(&o, t, SMTPLOG_IN, last_reply, strlen(last_reply));
    }
    o.curl_code = curl_code;
    snprintf(o.curl_text, sizeof o.curl_text, "%s", curl_text);
    probe_report r = {0};
    probe_evaluate(t, 0, &o, 0, &r);
    bool found = has(&r, want, lv);
    bool passed = probe_passed(&r);
    probe_report_free(&r);
    probe_obs_free(&o);
    return found && (lv == PROBE_FAIL ? !passed : true);
}

static void test_failures(void **state)
{
    (void)state;
    probe_target sub = {PROBE_OUTGOING, PROBE_SMTP, "smtp.probe.invalid", 587, MS_SEC_NONE, false};
    probe_target ssl = {PROBE_OUTGOING, PROBE_SMTP, "smtp.probe.invalid", 465, MS_SEC_SSL, false};
    /* a POP3 server that takes the connection and never greets: N03 */
    probe_target pop = {PROBE_INCOMING, PROBE_POP3, "pop.probe.invalid", 110, MS_SEC_NONE, false};
    assert_true(failure_gives(&pop, NULL, NULL, DIAG_CURLE_OPERATION_TIMEDOUT,
                              "Connection timed out after 15000 milliseconds", MS_PROBE_TIMEOUT,
                              PROBE_FAIL));
    /* the TLS handshake of port 465 breaks: N15 */
    assert_true(failure_gives(&ssl, NULL, NULL, DIAG_CURLE_SSL_CONNECT_ERROR,
                              "OpenSSL SSL_connect: SSL_ERROR_SYSCALL", MS_PROBE_TLS, PROBE_FAIL));
    /* a certificate past its date: N13, not 'untrusted' */
    assert_true(failure_gives(&ssl, NULL, NULL, DIAG_CURLE_PEER_FAILED_VERIFICATION,
                              "SSL certificate problem: certificate has expired",
                              MS_PROBE_CERT_EXPIRED, PROBE_FAIL));
    assert_false(failure_gives(&ssl, NULL, NULL, DIAG_CURLE_PEER_FAILED_VERIFICATION,
                               "SSL certificate problem: certificate has expired",
                               MS_PROBE_CERT_UNTRUSTED, PROBE_FAIL));
    /* plain 587 while the server wants STARTTLS before anything: N22 */
    assert_true(failure_gives(&sub, "250-smtp.probe.invalid\r\n250-STARTTLS\r\n250 AUTH PLAIN\r\n",
                              "530 5.7.0 Must issue a STARTTLS command first\r\n",
                              DIAG_CURLE_SEND_ERROR, "MAIL failed: 530", MS_PROBE_STARTTLS_REQUIRED,
                              PROBE_FAIL));
    /* the server hangs up in the middle of the dialogue: N23 */
    assert_true(failure_gives(&sub, "250-smtp.probe.invalid\r\n250 AUTH PLAIN\r\n", NULL,
                              DIAG_CURLE_RECV_ERROR, "Connection died", MS_PROBE_REPLY,
                              PROBE_FAIL));

    /* port 25 answers: information that OP25B does not block this line */
    probe_target p25 = {PROBE_PORT25, PROBE_SMTP, "smtp.probe.invalid", 25, MS_SEC_NONE, false};
    probe_obs o;
    probe_obs_init(&o, &p25, NULL);
    probe_feed(&o, &p25, SMTPLOG_IN, "220 smtp.probe.invalid ESMTP\r\n", 30);
    probe_report r = {0};
    probe_evaluate(&p25, 0, &o, 0, &r);
    assert_true(has(&r, MS_PROBE_PORT25_OPEN, PROBE_INFO));
    assert_true(probe_passed(&r));
    probe_report_free(&r);
    probe_obs_free(&o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_targets_micnet), cmocka_unit_test(test_targets_ktarn),
        cmocka_unit_test(test_imap_dialog),    cmocka_unit_test(test_pop3_dialog),
        cmocka_unit_test(test_smtp_verdicts),  cmocka_unit_test(test_cert_expiry), cmocka_unit_test(test_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
