/* probe: the servers a profile means (the seed profiles), the POP3 and IMAP
 * dialogues of the .dialog files of tests/data/probe/ fed as libcurl's debug callback
 * would (capabilities, STARTTLS, the log-on redacted), and the verdicts of
 * probe_evaluate for what a network layer reports, and the verb itself
 * (`mailsetup probe`: options, usage errors, exit codes, text and JSON) on a
 * scripted network layer. The real network layer is tested against real
 * servers (tests/tools/check_probe.py). */
#define _POSIX_C_SOURCE 200809L /* dup, dup2, fileno: the verb's output captured */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <cjson/cJSON.h>

#include "account.h"
#include "platform.h"
#include "probe.h"

#define PASSWORD "s3cret!pw"

/* The verb's network layer, scripted: each test sets the servers it
 * "reaches" - what the real layer (wizard/net/probe_curl.c) would record
 * for that host and port: libcurl's result, the dialogue, the TLS session
 * and certificate - and the fake records what the verb asked of it. A
 * target the script does not name fails the test. */
typedef struct fake_server {
    const char *host;
    unsigned port;
    ms_code run_error; /* the layer itself cannot run (MS_OK: it runs) */
    int curl_code;
    const char *curl_text;
    const char *dialog; /* "< " server and "> " client lines */
    bool tls;
    const char *subject, *issuer, *expire;
    bool login_ok;
    /* what the verb asked for */
    int calls;
    char user[64];
    bool got_password;
    size_t n_resolve;
    char resolve0[128];
    char ca_file[512];
    long timeout_s;
} fake_server;

static fake_server *fake_net;
static size_t fake_n;
static const char *fake_password; /* what --password-stdin reads (NULL: read error) */
static int fake_password_reads;

static int fake_calls(void)
{
    int n = 0;
    for (size_t i = 0; i < fake_n; i++)
        n += fake_net[i].calls;
    return n;
}

ms_code probe_net_run(const probe_target *t, const probe_net_opts *o, probe_obs *obs, ms_error *err)
{
    fake_server *s = NULL;
    for (size_t i = 0; i < fake_n && !s; i++)
        if (strcmp(fake_net[i].host, t->host) == 0 && fake_net[i].port == t->port)
            s = &fake_net[i];
    if (!s) {
        fail_msg("the verb probed %s:%u, which the test does not script", t->host, t->port);
        return ms_fail(err, MS_ERR_INTERNAL, NULL);
    }
    s->calls++;
    snprintf(s->user, sizeof s->user, "%s", o->user ? o->user : "");
    s->got_password = o->password && fake_password && strcmp(o->password, fake_password) == 0;
    s->n_resolve = o->n_resolve;
    snprintf(s->resolve0, sizeof s->resolve0, "%s", o->n_resolve ? o->resolve[0] : "");
    snprintf(s->ca_file, sizeof s->ca_file, "%s", o->ca_file ? o->ca_file : "");
    s->timeout_s = o->timeout_s;
    if (s->run_error != MS_OK)
        return ms_fail(err, s->run_error, "%s", "probe_net_run");
    snprintf(obs->addr, sizeof obs->addr, "%s", "192.0.2.25");
    for (const char *p = s->dialog ? s->dialog : ""; *p;) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) + 1 : strlen(p);
        char line[256];
        /* as libcurl hands it over: CRLF-terminated */
        int len = snprintf(line, sizeof line, "%.*s\r\n", (int)(n - 2 - (e ? 1 : 0)), p + 2);
        probe_feed(obs, t, p[0] == '<' ? SMTPLOG_IN : SMTPLOG_OUT, line, (size_t)len);
        p += n;
    }
    /* a log-on goes out with the password (the transcript redacts it) */
    if (o->user && o->password) {
        char line[256];
        int len = snprintf(line, sizeof line, "%s %s\r\n",
                           t->proto == PROBE_SMTP ? "AUTH PLAIN" : "PASS", o->password);
        probe_feed(obs, t, SMTPLOG_OUT, line, (size_t)len);
        obs->login_tried = true;
        obs->login_ok = s->login_ok;
    }
    obs->curl_code = s->curl_code;
    snprintf(obs->curl_text, sizeof obs->curl_text, "%s", s->curl_text ? s->curl_text : "");
    obs->tls = s->tls;
    snprintf(obs->cert_subject, sizeof obs->cert_subject, "%s", s->subject ? s->subject : "");
    snprintf(obs->cert_issuer, sizeof obs->cert_issuer, "%s", s->issuer ? s->issuer : "");
    snprintf(obs->cert_expire, sizeof obs->cert_expire, "%s", s->expire ? s->expire : "");
    return MS_OK;
}

ms_code probe_read_password(strbuf *pw, ms_error *err)
{
    fake_password_reads++;
    if (!fake_password)
        return ms_fail(err, MS_ERR_IO_READ, "%s", "<stdin>");
    strbuf_add(pw, fake_password, strlen(fake_password));
    return MS_OK;
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
    probe_target t = {PROBE_INCOMING,  PROBE_IMAP, "imap.probe.invalid", 143,
                      MS_SEC_STARTTLS, false};
    probe_obs o;
    probe_obs_init(&o, &t, PASSWORD);
    feed_dialog(&o, &t, "imap-starttls.dialog");
    assert_string_equal(o.greeting, "* OK [CAPABILITY IMAP4rev1 LITERAL+ STARTTLS LOGINDISABLED] "
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
    probe_target t = {PROBE_INCOMING, PROBE_POP3, "pop.probe.invalid", 110, MS_SEC_STARTTLS, false};
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

/* ------------------------------------------------------------ the verb */

/* Runs `mailsetup probe ARGS...` with standard output and error captured
 * (the platform writes them to file descriptors 1 and 2). */
typedef struct verb_result {
    int rc;
    strbuf out, err;
} verb_result;

static void slurp(FILE *f, strbuf *sb)
{
    rewind(f);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        strbuf_add(sb, buf, n);
    fclose(f);
}

static verb_result run_probe(ms_lang lang, const char *const *args)
{
    char *argv[24];
    int argc = 0;
    argv[argc++] = (char *)"probe";
    for (; args[argc - 1]; argc++) {
        assert_true(argc < 23);
        argv[argc] = (char *)args[argc - 1];
    }
    argv[argc] = NULL;
    ms_cli cli = {lang, NULL};
    verb_result v;
    strbuf_init(&v.out);
    strbuf_init(&v.err);
    FILE *out = tmpfile(), *err = tmpfile();
    assert_non_null(out);
    assert_non_null(err);
    fflush(stdout);
    fflush(stderr);
    int saved_out = dup(1), saved_err = dup(2);
    assert_true(saved_out >= 0 && saved_err >= 0);
    assert_true(dup2(fileno(out), 1) >= 0 && dup2(fileno(err), 2) >= 0);
    v.rc = probe_verb.run(&cli, argc, argv);
    fflush(stdout);
    fflush(stderr);
    dup2(saved_out, 1);
    dup2(saved_err, 2);
    close(saved_out);
    close(saved_err);
    slurp(out, &v.out);
    slurp(err, &v.err);
    return v;
}

static void verb_free(verb_result *v)
{
    strbuf_free(&v->out);
    strbuf_free(&v->err);
}

static const char *contains(const strbuf *sb, const char *what)
{
    return sb->buf ? strstr(sb->buf, what) : NULL;
}

#define PROFILE_STARTTLS MS_TEST_DATA "/probe/starttls.json"

/* A submission server on 587 that offers STARTTLS and AUTH, upgrades, and
 * shows a certificate of a trusted issuer valid for years. */
#define SMTP_587_OK                                                                                \
    "< 220 smtp.probe.invalid ESMTP\n"                                                             \
    "> EHLO probe\n"                                                                               \
    "< 250-smtp.probe.invalid\n"                                                                   \
    "< 250-STARTTLS\n"                                                                             \
    "< 250-AUTH PLAIN LOGIN\n"                                                                     \
    "< 250 HELP\n"                                                                                 \
    "> STARTTLS\n"                                                                                 \
    "< 220 2.0.0 Ready to start TLS\n"                                                             \
    "> EHLO probe\n"                                                                               \
    "< 250-smtp.probe.invalid\n"                                                                   \
    "< 250-AUTH PLAIN LOGIN\n"                                                                     \
    "< 250 HELP\n"

#define POP3_110_OK                                                                                \
    "< +OK pop.probe.invalid ready\n"                                                              \
    "> CAPA\n"                                                                                     \
    "< +OK capability list follows\n"                                                              \
    "< USER\n"                                                                                     \
    "< STLS\n"                                                                                     \
    "< SASL PLAIN LOGIN\n"                                                                         \
    "< .\n"

/* The three servers of tests/data/probe/starttls.json, all as they should be;
 * OP25B blocks port 25 from this line. */
static void script_working(fake_server s[3])
{
    memset(s, 0, 3 * sizeof *s);
    s[0] = (fake_server){.host = "smtp.probe.invalid",
                         .port = 587,
                         .dialog = SMTP_587_OK,
                         .tls = true,
                         .subject = "CN=smtp.probe.invalid",
                         .issuer = "CN=mailsetup test CA",
                         .expire = "Dec  4 23:00:00 2099 GMT",
                         .login_ok = true};
    s[1] = (fake_server){
        .host = "pop.probe.invalid", .port = 110, .dialog = POP3_110_OK, .login_ok = true};
    s[2] = (fake_server){.host = "smtp.probe.invalid",
                         .port = 25,
                         .curl_code = DIAG_CURLE_COULDNT_CONNECT,
                         .curl_text = "Failed to connect to smtp.probe.invalid port 25"};
    fake_net = s;
    fake_n = 3;
}

static void test_verb_working(void **state)
{
    (void)state;
    fake_server s[3];
    script_working(s);
    fake_password = PASSWORD;
    fake_password_reads = 0;
    verb_result v = run_probe(MS_LANG_EN, (const char *[]){PROFILE_STARTTLS, "--user", "taro",
                                                           "--password-stdin", "--resolve",
                                                           "smtp.probe.invalid:587:127.0.0.1",
                                                           "--timeout", "30", NULL});
    assert_int_equal(v.rc, MS_EXIT_OK);
    /* every server once; the log-on on the profile's servers, never on port 25 */
    assert_int_equal(fake_password_reads, 1);
    for (int i = 0; i < 3; i++)
        assert_int_equal(s[i].calls, 1);
    assert_string_equal(s[0].user, "taro");
    assert_true(s[0].got_password);
    assert_string_equal(s[1].user, "taro");
    assert_true(s[1].got_password);
    assert_string_equal(s[2].user, "");
    assert_false(s[2].got_password);
    assert_int_equal(s[0].n_resolve, 1);
    assert_string_equal(s[0].resolve0, "smtp.probe.invalid:587:127.0.0.1");
    assert_int_equal(s[0].timeout_s, 30);
    /* what the engineer reads */
    assert_non_null(contains(&v.out, "outgoing smtp.probe.invalid:587 (smtp, STARTTLS)"));
    assert_non_null(contains(&v.out, "incoming pop.probe.invalid:110 (pop3,"));
    assert_non_null(contains(&v.out, "port 25 (information) smtp.probe.invalid:25"));
    assert_non_null(contains(&v.out, "[N05] OK"));             /* STARTTLS offered */
    assert_non_null(contains(&v.out, "[N10] OK"));             /* certificate */
    assert_non_null(contains(&v.out, "CN=mailsetup test CA")); /* its issuer */
    assert_non_null(contains(&v.out, "[N16] OK"));             /* logged in */
    assert_non_null(contains(&v.out, "[N18] INFO"));           /* OP25B blocks 25 */
    assert_null(contains(&v.out, "FAIL"));
    assert_non_null(contains(&v.out, "Result: the profile's settings work.\n"));
    assert_null(contains(&v.out, PASSWORD));
    assert_null(contains(&v.err, PASSWORD));
    assert_int_equal(v.err.len, 0);
    verb_free(&v);

    /* in Japanese, without a log-on and without port 25 */
    script_working(s);
    fake_password_reads = 0;
    v = run_probe(MS_LANG_JA, (const char *[]){PROFILE_STARTTLS, "--no-port25", NULL});
    assert_int_equal(v.rc, MS_EXIT_OK);
    assert_int_equal(fake_password_reads, 0);
    assert_int_equal(s[0].calls, 1);
    assert_string_equal(s[0].user, "");
    assert_int_equal(s[1].calls, 1);
    assert_int_equal(s[2].calls, 0);
    assert_int_equal(s[0].timeout_s, 10); /* the default */
    assert_non_null(contains(&v.out, "送信メールサーバー smtp.probe.invalid:587"));
    assert_non_null(contains(&v.out, "受信メールサーバー pop.probe.invalid:110"));
    assert_null(contains(&v.out, "[N16]"));
    assert_non_null(contains(&v.out, "結果: このプロファイルの設定で送信できます。\n"));
    verb_free(&v);
}

static const cJSON *server_json(const cJSON *root, const char *role, unsigned port)
{
    const cJSON *s;
    cJSON_ArrayForEach(s, cJSON_GetObjectItem(root, "servers"))
    {
        if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(s, "role")), role) == 0 &&
            cJSON_GetNumberValue(cJSON_GetObjectItem(s, "port")) == port)
            return s;
    }
    return NULL;
}

static const cJSON *finding_json(const cJSON *server, const char *code)
{
    const cJSON *f;
    cJSON_ArrayForEach(f, cJSON_GetObjectItem(server, "findings"))
    {
        if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(f, "code")), code) == 0)
            return f;
    }
    return NULL;
}

/* As script_working, but the profile says STARTTLS and the server on 587
 * does not offer it (libcurl: CURLE_USE_SSL_FAILED). */
static void script_no_starttls(fake_server s[3])
{
    script_working(s);
    s[0].dialog = "< 220 smtp.probe.invalid ESMTP\n> EHLO probe\n< 250-smtp.probe.invalid\n"
                  "< 250 AUTH PLAIN LOGIN\n";
    s[0].tls = false;
    s[0].curl_code = DIAG_CURLE_USE_SSL_FAILED;
    s[0].curl_text = "STARTTLS not supported.";
}

static void test_verb_failing(void **state)
{
    (void)state;
    fake_server s[3];
    /* the profile says STARTTLS; the server on 587 does not offer it */
    script_no_starttls(s);
    fake_password = PASSWORD;
    verb_result v = run_probe(MS_LANG_EN, (const char *[]){PROFILE_STARTTLS, NULL});
    assert_int_equal(v.rc, MS_EXIT_FAILURE);
    assert_non_null(contains(&v.out, "[N06] FAIL"));
    assert_non_null(contains(&v.out, "Result: the profile's settings would not work.\n"));
    verb_free(&v);

    script_no_starttls(s);
    v = run_probe(MS_LANG_EN, (const char *[]){"--json", PROFILE_STARTTLS, NULL});
    assert_int_equal(v.rc, MS_EXIT_FAILURE);
    cJSON *root = cJSON_Parse(v.out.buf);
    assert_non_null(root);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(root, "profile")),
                        "probe-starttls");
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(root, "passed")));
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(root, "servers")), 3);
    const cJSON *out587 = server_json(root, "outgoing", 587);
    assert_non_null(out587);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(out587, "host")),
                        "smtp.probe.invalid");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(out587, "protocol")), "smtp");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(out587, "security")), "starttls");
    const cJSON *n06 = finding_json(out587, "N06");
    assert_non_null(n06);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(n06, "level")), "fail");
    assert_non_null(strstr(cJSON_GetStringValue(cJSON_GetObjectItem(n06, "en")), "STARTTLS"));
    assert_non_null(strstr(cJSON_GetStringValue(cJSON_GetObjectItem(n06, "ja")), "STARTTLS"));
    /* the incoming server is fine, port 25 blocked is information */
    const cJSON *in = server_json(root, "incoming", 110);
    assert_non_null(in);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(in, "protocol")), "pop3");
    assert_non_null(finding_json(in, "N04"));
    const cJSON *p25 = server_json(root, "port25", 25);
    assert_non_null(p25);
    assert_string_equal(
        cJSON_GetStringValue(cJSON_GetObjectItem(finding_json(p25, "N18"), "level")), "info");
    assert_null(cJSON_GetObjectItem(root, "incoming_not_checked"));
    cJSON_Delete(root);
    verb_free(&v);

    /* a wrong password on the incoming server: N17, exit 1 */
    script_working(s);
    s[1].login_ok = false;
    s[1].curl_code = DIAG_CURLE_LOGIN_DENIED;
    s[1].curl_text = "Access denied: 67";
    v = run_probe(MS_LANG_EN, (const char *[]){PROFILE_STARTTLS, "--user", "taro",
                                               "--password-stdin", "--json", NULL});
    assert_int_equal(v.rc, MS_EXIT_FAILURE);
    root = cJSON_Parse(v.out.buf);
    assert_non_null(root);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(root, "passed")));
    in = server_json(root, "incoming", 110);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(finding_json(in, "N17"), "level")),
                        "fail");
    assert_non_null(finding_json(server_json(root, "outgoing", 587), "N16"));
    cJSON_Delete(root);
    assert_null(contains(&v.out, PASSWORD));
    assert_null(contains(&v.err, PASSWORD));
    verb_free(&v);

    /* the network layer itself cannot run: an error, and no pass */
    script_working(s);
    s[1].run_error = MS_ERR_NOMEM;
    v = run_probe(MS_LANG_EN, (const char *[]){PROFILE_STARTTLS, NULL});
    assert_int_equal(v.rc, MS_EXIT_FAILURE);
    assert_int_equal(s[2].calls, 1); /* the others are still looked at */
    char code[32];
    snprintf(code, sizeof code, "[%s]", ms_code_helpdesk(MS_ERR_NOMEM));
    assert_non_null(contains(&v.err, code));
    assert_non_null(contains(&v.out, "Result: the profile's settings would not work.\n"));
    verb_free(&v);
}

/* A profile without an incoming server: the outgoing servers are checked,
 * the JSON says what was not. */
static void test_verb_no_incoming(void **state)
{
    (void)state;
    const char *ehlo = "< 220 post ESMTP\n> EHLO probe\n< 250-post\n< 250 AUTH PLAIN LOGIN\n";
    fake_server s[2] = {{.host = "post.ktarn.or.jp", .port = 587, .dialog = ehlo},
                        {.host = "vpost.ktarn.or.jp", .port = 587, .dialog = ehlo}};
    fake_net = s;
    fake_n = 2;
    char path[512];
    snprintf(path, sizeof path, "%s/isp-profiles/ktarn.json", MS_SOURCE_DIR);
    verb_result v = run_probe(MS_LANG_EN, (const char *[]){path, "--no-port25", "--json", NULL});
    assert_int_equal(v.rc, MS_EXIT_OK);
    assert_int_equal(fake_calls(), 2);
    cJSON *root = cJSON_Parse(v.out.buf);
    assert_non_null(root);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(root, "passed")));
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(root, "servers")), 2);
    const cJSON *nc = cJSON_GetObjectItem(root, "incoming_not_checked");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(nc, "code")), "N21");
    /* password log-on over a plain connection: works, but a warning */
    const cJSON *n24 = finding_json(server_json(root, "outgoing", 587), "N24");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(n24, "level")), "warn");
    cJSON_Delete(root);
    verb_free(&v);

    s[0].calls = s[1].calls = 0;
    v = run_probe(MS_LANG_EN, (const char *[]){path, "--no-port25", NULL});
    assert_int_equal(v.rc, MS_EXIT_OK);
    assert_non_null(contains(&v.out, "[N21] "));
    assert_non_null(contains(&v.out, "[N24] WARN"));
    verb_free(&v);
}

/* Bad command lines: exit 2, a sentence on standard error, nothing probed,
 * nothing on standard output. */
static void test_verb_usage(void **state)
{
    (void)state;
    fake_server s[3];
    script_working(s);
    fake_password = PASSWORD;
    fake_password_reads = 0;
    const char *const *bad[] = {
        (const char *[]){NULL}, /* no profile */
        (const char *[]){"--json", NULL},
        (const char *[]){PROFILE_STARTTLS, "--resolve", "smtp.probe.invalid:587", NULL},
        (const char *[]){PROFILE_STARTTLS, "--resolve", "smtp.probe.invalid:0:127.0.0.1", NULL},
        (const char *[]){PROFILE_STARTTLS, "--resolve", "smtp.probe.invalid:65536:127.0.0.1", NULL},
        (const char *[]){PROFILE_STARTTLS, "--resolve", ":587:127.0.0.1", NULL},
        (const char *[]){PROFILE_STARTTLS, "--resolve", "smtp.probe.invalid:smtp:127.0.0.1", NULL},
        (const char *[]){PROFILE_STARTTLS, "--resolve", "smtp.probe.invalid:587:", NULL},
        (const char *[]){PROFILE_STARTTLS, "--timeout", "0", NULL},
        (const char *[]){PROFILE_STARTTLS, "--timeout", "5s", NULL},
        (const char *[]){PROFILE_STARTTLS, "--timeout", "601", NULL},
        (const char *[]){PROFILE_STARTTLS, "--bogus", NULL},
        (const char *[]){PROFILE_STARTTLS, PROFILE_STARTTLS, NULL},
        (const char *[]){PROFILE_STARTTLS, "--user", "taro", NULL},
        (const char *[]){PROFILE_STARTTLS, "--password-stdin", NULL},
        (const char *[]){PROFILE_STARTTLS, "--ca-file", MS_TEST_DATA "/probe/no-such-ca.pem", NULL},
        /* a password on the command line is refused and not repeated */
        (const char *[]){PROFILE_STARTTLS, "--user", "taro", "--password", PASSWORD, NULL},
    };
    char usage_code[32];
    snprintf(usage_code, sizeof usage_code, "[%s]", ms_code_helpdesk(MS_ERR_USAGE));
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        verb_result v = run_probe(MS_LANG_EN, bad[i]);
        if (v.rc != MS_EXIT_USAGE)
            fail_msg("case %zu: exit %d", i, v.rc);
        assert_int_equal(v.out.len, 0);
        assert_true(v.err.len > 0);
        if (i != 15) /* the CA file: its own code */
            assert_non_null(contains(&v.err, usage_code));
        assert_null(contains(&v.err, PASSWORD));
        verb_free(&v);
    }
    assert_int_equal(fake_calls(), 0);
    assert_int_equal(fake_password_reads, 0);

    /* an empty password from standard input, or none: exit 2, nothing probed */
    fake_password = "";
    verb_result v = run_probe(
        MS_LANG_EN, (const char *[]){PROFILE_STARTTLS, "--user", "taro", "--password-stdin", NULL});
    assert_int_equal(v.rc, MS_EXIT_USAGE);
    assert_non_null(contains(&v.err, "--password-stdin"));
    verb_free(&v);
    fake_password = NULL;
    v = run_probe(MS_LANG_EN,
                  (const char *[]){PROFILE_STARTTLS, "--user", "taro", "--password-stdin", NULL});
    assert_int_equal(v.rc, MS_EXIT_USAGE);
    verb_free(&v);
    assert_int_equal(fake_password_reads, 2);
    assert_int_equal(fake_calls(), 0);

    /* a profile that is not there, or not valid: nothing probed */
    v = run_probe(MS_LANG_EN, (const char *[]){MS_TEST_DATA "/probe/no-such-profile.json", NULL});
    assert_int_equal(v.rc, MS_EXIT_FAILURE);
    assert_int_equal(v.out.len, 0);
    verb_free(&v);
    v = run_probe(MS_LANG_EN, (const char *[]){MS_TEST_DATA "/probe/pop3-stls.dialog", NULL});
    assert_int_equal(v.rc, MS_EXIT_PROFILE);
    verb_free(&v);
    assert_int_equal(fake_calls(), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_targets_micnet), cmocka_unit_test(test_targets_ktarn),
        cmocka_unit_test(test_imap_dialog),    cmocka_unit_test(test_pop3_dialog),
        cmocka_unit_test(test_smtp_verdicts),  cmocka_unit_test(test_cert_expiry),
        cmocka_unit_test(test_failures),       cmocka_unit_test(test_verb_working),
        cmocka_unit_test(test_verb_failing),   cmocka_unit_test(test_verb_no_incoming),
        cmocka_unit_test(test_verb_usage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
