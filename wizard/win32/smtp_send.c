/* smtp_send: the test send with libcurl (Schannel); see smtp_send.h.
 * libcurl reports the dialogue through its debug callback; smtplog (core)
 * redacts it and follows the stage, and diagnose (core) turns the outcome
 * into an S-code. */
#include <winsock2.h>
#include <windows.h>
#include <wincrypt.h>

#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "curl_wipe.h"
#include "wine_roots.h"
#include "diagnose.h"
#include "platform.h"
#include "smtp_send.h"
#include "smtplog.h"
#include "testmail.h"

/* diagnose.h repeats libcurl's numbers so the core needs no curl.h. */
_Static_assert((int)DIAG_CURLE_COULDNT_RESOLVE_HOST == (int)CURLE_COULDNT_RESOLVE_HOST, "curl");
_Static_assert((int)DIAG_CURLE_COULDNT_CONNECT == (int)CURLE_COULDNT_CONNECT, "curl");
_Static_assert((int)DIAG_CURLE_WEIRD_SERVER_REPLY == (int)CURLE_WEIRD_SERVER_REPLY, "curl");
_Static_assert((int)DIAG_CURLE_OUT_OF_MEMORY == (int)CURLE_OUT_OF_MEMORY, "curl");
_Static_assert((int)DIAG_CURLE_OPERATION_TIMEDOUT == (int)CURLE_OPERATION_TIMEDOUT, "curl");
_Static_assert((int)DIAG_CURLE_SSL_CONNECT_ERROR == (int)CURLE_SSL_CONNECT_ERROR, "curl");
_Static_assert((int)DIAG_CURLE_ABORTED_BY_CALLBACK == (int)CURLE_ABORTED_BY_CALLBACK, "curl");
_Static_assert((int)DIAG_CURLE_GOT_NOTHING == (int)CURLE_GOT_NOTHING, "curl");
_Static_assert((int)DIAG_CURLE_SEND_ERROR == (int)CURLE_SEND_ERROR, "curl");
_Static_assert((int)DIAG_CURLE_RECV_ERROR == (int)CURLE_RECV_ERROR, "curl");
_Static_assert((int)DIAG_CURLE_SSL_CERTPROBLEM == (int)CURLE_SSL_CERTPROBLEM, "curl");
_Static_assert((int)DIAG_CURLE_SSL_CIPHER == (int)CURLE_SSL_CIPHER, "curl");
_Static_assert((int)DIAG_CURLE_PEER_FAILED_VERIFICATION == (int)CURLE_PEER_FAILED_VERIFICATION,
               "curl");
_Static_assert((int)DIAG_CURLE_USE_SSL_FAILED == (int)CURLE_USE_SSL_FAILED, "curl");
_Static_assert((int)DIAG_CURLE_LOGIN_DENIED == (int)CURLE_LOGIN_DENIED, "curl");
_Static_assert((int)DIAG_CURLE_SSL_CACERT_BADFILE == (int)CURLE_SSL_CACERT_BADFILE, "curl");

#define DEFAULT_CONNECT_S 20L
#define DEFAULT_REPLY_S 30L
#define DEFAULT_TOTAL_S 90L
#define DEFAULT_PORT25_S 10L
#define DEFAULT_POP3_WAIT_S 60L
#define POP3_MAX_LISTING (1u << 20)

bool smtp_send_global_init(void)
{
    return net_curl_global_init();
}

void smtp_send_global_cleanup(void)
{
    net_curl_global_cleanup();
}

void smtp_send_result_init(smtp_send_result *r)
{
    memset(r, 0, sizeof *r);
    strbuf_init(&r->log);
    strbuf_init(&r->pop3_log);
    r->code = MS_ERR_SEND_FAILED;
}

void smtp_send_result_free(smtp_send_result *r)
{
    strbuf_wipe(&r->log);
    strbuf_wipe(&r->pop3_log);
}

/* ---- the common easy-handle set-up */

struct xfer {
    const volatile long *cancel;
    smtplog *log;       /* SMTP: the dialogue */
    strbuf *pop3_log;   /* POP3: the dialogue */
    const char *secret; /* the password, to scrub */
    const char *msg;    /* upload */
    size_t msg_len, msg_pos;
    strbuf *download;    /* POP3 listings and headers */
    bool pop3_in_auth;   /* inside a POP3 AUTH exchange */
    const strbuf *roots; /* PEM of the trusted roots to verify against, or NULL */
};

static int on_progress(void *p, curl_off_t dlt, curl_off_t dln, curl_off_t ult, curl_off_t uln)
{
    (void)dlt, (void)dln, (void)ult, (void)uln;
    const struct xfer *x = p;
    return x->cancel && *x->cancel ? 1 : 0;
}

static size_t on_read(char *buf, size_t size, size_t n, void *p)
{
    struct xfer *x = p;
    size_t room = size * n, left = x->msg_len - x->msg_pos;
    size_t take = left < room ? left : room;
    memcpy(buf, x->msg + x->msg_pos, take);
    x->msg_pos += take;
    return take;
}

static size_t on_write(char *data, size_t size, size_t n, void *p)
{
    struct xfer *x = p;
    size_t len = size * n;
    if (!x->download || x->download->len + len > POP3_MAX_LISTING)
        return len; /* ignored beyond the cap: we only look for one header */
    strbuf_add(x->download, data, len);
    return len;
}

/* The POP3 dialogue: status lines in, commands out (PASS and SASL
 * payloads redacted); message contents are data and never logged. */
static void pop3_log_line(struct xfer *x, curl_infotype type, const char *data, size_t len)
{
    const char *prefix = type == CURLINFO_HEADER_IN    ? "< "
                         : type == CURLINFO_HEADER_OUT ? "> "
                                                       : "* ";
    size_t pos = 0, n;
    const char *line;
    while (smtplog_next_line(data, len, &pos, &line, &n)) {
        while (type == CURLINFO_TEXT && n && *line == ' ')
            line++, n--;
        if (n) {
            strbuf_addstr(x->pop3_log, prefix);
            if (type == CURLINFO_HEADER_OUT && x->pop3_in_auth) {
                strbuf_addstr(x->pop3_log, SMTPLOG_REDACTED);
            } else if (type == CURLINFO_HEADER_OUT && n >= 5 &&
                       (_strnicmp(line, "PASS ", 5) == 0 || _strnicmp(line, "APOP ", 5) == 0)) {
                strbuf_add(x->pop3_log, line, 5);
                strbuf_addstr(x->pop3_log, SMTPLOG_REDACTED);
            } else if (type == CURLINFO_HEADER_OUT && n >= 5 && _strnicmp(line, "AUTH ", 5) == 0) {
                size_t keep = 5;
                while (keep < n && line[keep] != ' ')
                    keep++;
                strbuf_add(x->pop3_log, line, keep);
                if (keep < n)
                    strbuf_addstr(x->pop3_log, " " SMTPLOG_REDACTED);
                x->pop3_in_auth = true;
            } else {
                if (type == CURLINFO_HEADER_IN && !(n >= 2 && line[0] == '+' && line[1] == ' '))
                    x->pop3_in_auth = false;
                const char *secrets[1] = {x->secret};
                smtplog_scrub(x->pop3_log, line, n, secrets, 1);
            }
            strbuf_addch(x->pop3_log, '\n');
        }
    }
}

static int on_debug(CURL *h, curl_infotype type, char *data, size_t len, void *p)
{
    (void)h;
    struct xfer *x = p;
    if (x->log) {
        switch (type) {
        case CURLINFO_TEXT:
            smtplog_feed(x->log, SMTPLOG_INFO, data, len);
            break;
        case CURLINFO_HEADER_IN:
            smtplog_feed(x->log, SMTPLOG_IN, data, len);
            break;
        case CURLINFO_HEADER_OUT:
            smtplog_feed(x->log, SMTPLOG_OUT, data, len);
            break;
        case CURLINFO_DATA_OUT:
            smtplog_feed(x->log, SMTPLOG_DATA_OUT, data, len);
            break;
        default:
            break; /* TLS records, downloaded data */
        }
    } else if (x->pop3_log && (type == CURLINFO_TEXT || type == CURLINFO_HEADER_IN ||
                               type == CURLINFO_HEADER_OUT)) {
        pop3_log_line(x, type, data, len);
    }
    return 0;
}

static const char *scheme(bool pop3, ms_security sec)
{
    if (pop3)
        return sec == MS_SEC_SSL ? "pop3s" : "pop3";
    return sec == MS_SEC_SSL ? "smtps" : "smtp";
}

/* The --resolve entries, plus each one that names req->host:req->port
 * copied for extra_port (the OP25B check, POP3). */
static struct curl_slist *resolve_list(const smtp_send_req *req, const char *host,
                                       unsigned extra_port)
{
    struct curl_slist *l = NULL;
    for (size_t i = 0; i < req->n_resolve; i++) {
        struct curl_slist *n = curl_slist_append(l, req->resolve[i]);
        if (!n)
            break;
        l = n;
        if (!extra_port || !host)
            continue;
        /* "HOST:PORT:ADDR" */
        const char *r = req->resolve[i];
        const char *c1 = strchr(r, ':');
        const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (!c2 || (size_t)(c1 - r) != strlen(host) || _strnicmp(r, host, strlen(host)) != 0)
            continue;
        strbuf sb;
        strbuf_init(&sb);
        strbuf_addf(&sb, "%s:%u%s", host, extra_port, c2);
        n = curl_slist_append(l, sb.buf);
        strbuf_free(&sb);
        if (n)
            l = n;
    }
    return l;
}

/* Wine's Schannel completes a handshake without checking the server's
 * certificate at all, so under Wine the certificate is checked the way
 * libcurl does with a CA file - CertGetCertificateChain against the roots
 * of the ROOT store, then the name - with the store's roots handed over as
 * a PEM blob. On Windows, Schannel's own check (with the automatic root
 * update) is used. */
/* What every handle gets: verification always on, the CA file, timeouts,
 * cancel, debug. */
static void common_opts(CURL *h, const smtp_send_req *req, struct xfer *x, char *errbuf,
                        struct curl_slist *resolve, long connect_s, long total_s)
{
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    /* Revocation: fail on a revoked certificate, but not when the CRL or
     * OCSP server cannot be reached (many networks block them). */
    curl_easy_setopt(h, CURLOPT_SSL_OPTIONS, (long)CURLSSLOPT_REVOKE_BEST_EFFORT);
    if (req->ca_file) {
        curl_easy_setopt(h, CURLOPT_CAINFO, req->ca_file);
    } else if (x->roots && x->roots->len) {
        struct curl_blob blob = {x->roots->buf, x->roots->len, CURL_BLOB_COPY};
        curl_easy_setopt(h, CURLOPT_CAINFO_BLOB, &blob);
    }
    if (resolve)
        curl_easy_setopt(h, CURLOPT_RESOLVE, resolve);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, connect_s);
    curl_easy_setopt(h, CURLOPT_SERVER_RESPONSE_TIMEOUT,
                     req->reply_timeout_s > 0 ? req->reply_timeout_s : DEFAULT_REPLY_S);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, total_s);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, x);
    curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
    curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, on_debug);
    curl_easy_setopt(h, CURLOPT_DEBUGDATA, x);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, x);
}

static void copy_str(char *dst, size_t size, const char *src)
{
    size_t n = src ? strlen(src) : 0;
    if (n >= size)
        n = size - 1;
    if (n)
        memcpy(dst, src, n);
    dst[n] = '\0';
}

/* Drops libcurl's copy of the password before the handle is freed (the
 * freed memory is overwritten by the allocator smtp_send_global_init sets). */
static void forget_password(CURL *h)
{
    curl_easy_setopt(h, CURLOPT_PASSWORD, "");
}

/* ---- the message */

static ms_code build_message(const smtp_send_req *req, smtp_send_result *res, strbuf *msg,
                             ms_error *err)
{
    SYSTEMTIME t;
    GetSystemTime(&t);
    unsigned char rnd[6];
    if (ms_random_bytes(rnd, sizeof rnd, err) != MS_OK)
        return err->code;
    char unique[2 * sizeof rnd + 1];
    for (size_t i = 0; i < sizeof rnd; i++) {
        unique[2 * i] = "0123456789abcdef"[rnd[i] >> 4];
        unique[2 * i + 1] = "0123456789abcdef"[rnd[i] & 15];
    }
    unique[2 * sizeof rnd] = '\0';
    strbuf server;
    strbuf_init(&server);
    strbuf_addf(&server, "%s:%u (%s)", req->host, req->port,
                req->security == MS_SEC_SSL        ? "SSL/TLS"
                : req->security == MS_SEC_STARTTLS ? "STARTTLS"
                                                   : "none");
    testmail_info info = {.from = req->from,
                          .user = req->user,
                          .server = server.buf,
                          .year = t.wYear,
                          .month = t.wMonth,
                          .day = t.wDay,
                          .hour = t.wHour,
                          .minute = t.wMinute,
                          .second = t.wSecond,
                          .unique = unique};
    ms_code rc = testmail_build(&info, msg, err);
    if (rc == MS_OK) {
        strbuf id;
        strbuf_init(&id);
        testmail_message_id(&info, &id);
        copy_str(res->message_id, sizeof res->message_id, id.buf);
        strbuf_free(&id);
    }
    strbuf_free(&server);
    return rc;
}

/* ---- the send */

/* The options of one send (or, check_only, one log-on and NOOP). */
static void send_opts(CURL *h, const smtp_send_req *req, struct xfer *x, char *errbuf,
                      struct curl_slist *resolve, const char *url, const char *from,
                      struct curl_slist *rcpt, size_t msg_len)
{
    long total = req->timeout_s > 0 ? req->timeout_s : DEFAULT_TOTAL_S;
    common_opts(h, req, x, errbuf, resolve,
                req->connect_timeout_s > 0 ? req->connect_timeout_s : DEFAULT_CONNECT_S, total);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_USE_SSL,
                     req->security == MS_SEC_NONE ? (long)CURLUSESSL_NONE : (long)CURLUSESSL_ALL);
    if (req->user && *req->user) {
        curl_easy_setopt(h, CURLOPT_USERNAME, req->user);
        curl_easy_setopt(h, CURLOPT_PASSWORD, req->password);
    }
    if (req->check_only) {
        /* No MAIL FROM, no upload: libcurl logs on (EHLO, STARTTLS, AUTH)
         * and then sends this one command instead of a message. */
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "NOOP");
        return;
    }
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
    curl_easy_setopt(h, CURLOPT_READDATA, x);
    curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)msg_len);
}

/* What the send ended with: res filled from libcurl's result and the
 * dialogue; returns MS_OK or the diagnosis (S-code). */
static ms_code send_outcome(const smtp_send_req *req, smtp_send_result *res, CURLcode cc,
                            const char *errbuf, const smtplog *log)
{
    ms_error *err = &res->err;
    res->curl_code = (int)cc;
    copy_str(res->curl_error, sizeof res->curl_error, errbuf);
    res->stage = log->stage;
    res->smtp_reply = log->reply;
    copy_str(res->smtp_reply_text, sizeof res->smtp_reply_text, log->reply_text);
    res->auth_offered = log->auth_offered;
    res->starttls_offered = log->starttls_offered;
    copy_str(res->auth_mechanisms, sizeof res->auth_mechanisms, log->auth_mechanisms);
    /* libcurl may fail at QUIT after the server took the message. */
    res->sent = cc == CURLE_OK || log->accepted;
    if (req->check_only && res->sent && req->user && *req->user && !log->auth_offered) {
        /* libcurl goes on without AUTH when the server offers none; the
         * account would then be refused at its first message. */
        res->sent = false;
        return ms_fail(err, MS_ERR_SEND_AUTH_REQUIRED, "%s:%u", req->host, req->port);
    }
    if (res->sent) {
        res->stage = DIAG_STAGE_QUIT;
        ms_error_clear(err);
        return MS_OK;
    }
    /* The curl error text is scrubbed as well, for safety. */
    strbuf clean;
    strbuf_init(&clean);
    const char *secrets[1] = {req->password};
    smtplog_scrub(&clean, errbuf, strlen(errbuf), secrets, 1);
    copy_str(res->curl_error, sizeof res->curl_error, clean.buf);
    strbuf_wipe(&clean);
    diagnose_input in = {.curl_code = (int)cc,
                         .curl_text = res->curl_error,
                         .reply = log->reply,
                         .stage = log->stage,
                         .auth_offered = log->auth_offered,
                         .starttls_offered = log->starttls_offered,
                         .auth_mechanisms = log->auth_mechanisms,
                         .security = req->security,
                         .host = req->host,
                         .port = req->port};
    return diagnose_send(&in, err);
}

static ms_code do_send(const smtp_send_req *req, smtp_send_result *res, const volatile long *cancel,
                       const strbuf *roots)
{
    ms_error *err = &res->err;
    if (!req->host || !*req->host || req->port == 0 || req->port > 65535)
        return ms_fail(err, MS_ERR_USAGE, "--server/--port");
    if (req->user && *req->user && (!req->password || !*req->password))
        return ms_fail(err, MS_ERR_SEND_NO_PASSWORD, "%s", req->user);

    strbuf msg;
    strbuf_init(&msg);
    ms_code rc = req->check_only ? MS_OK : build_message(req, res, &msg, err);
    if (rc != MS_OK) {
        strbuf_free(&msg);
        return rc;
    }

    smtplog log;
    smtplog_init(&log, req->security);
    smtplog_add_secret(&log, req->password);
    struct xfer x = {
        .cancel = cancel, .log = &log, .msg = msg.buf, .msg_len = msg.len, .roots = roots};
    char errbuf[CURL_ERROR_SIZE] = "";
    struct curl_slist *rcpt = NULL, *resolve = resolve_list(req, NULL, 0);
    strbuf url, from;
    strbuf_init(&url);
    strbuf_init(&from);
    strbuf_addf(&url, "%s://%s:%u", scheme(false, req->security), req->host, req->port);
    strbuf_addf(&from, "<%s>", req->from ? req->from : "");
    rcpt = req->check_only ? NULL : curl_slist_append(NULL, from.buf);

    CURL *h = curl_easy_init();
    if (!h || (!rcpt && !req->check_only) || url.oom || from.oom) {
        rc = ms_fail(err, MS_ERR_NOMEM, NULL);
        goto done;
    }
    send_opts(h, req, &x, errbuf, resolve, url.buf, from.buf, rcpt, msg.len);
    DWORD t0 = GetTickCount();
    CURLcode cc = curl_easy_perform(h);
    res->seconds = (double)(GetTickCount() - t0) / 1000.0;
    forget_password(h);
    rc = send_outcome(req, res, cc, errbuf, &log);
    strbuf_add(&res->log, log.text.buf, log.text.len);
    if (rc == MS_OK && res->log.oom)
        rc = ms_fail(err, MS_ERR_NOMEM, NULL);

done:
    if (h)
        curl_easy_cleanup(h);
    curl_slist_free_all(rcpt);
    curl_slist_free_all(resolve);
    smtplog_free(&log);
    strbuf_free(&url);
    strbuf_free(&from);
    strbuf_wipe(&msg);
    ms_wipe(errbuf, sizeof errbuf);
    return rc;
}

/* ---- OP25B: can this connection reach port 25 of the same server? */

static void check_port25(const smtp_send_req *req, smtp_send_result *res,
                         const volatile long *cancel, const strbuf *roots)
{
    struct xfer x = {.cancel = cancel, .roots = roots};
    char errbuf[CURL_ERROR_SIZE] = "";
    struct curl_slist *resolve = resolve_list(req, req->host, req->port25);
    strbuf url;
    strbuf_init(&url);
    strbuf_addf(&url, "smtp://%s:%u", req->host, req->port25);
    CURL *h = curl_easy_init();
    if (!h || url.oom) {
        curl_slist_free_all(resolve);
        strbuf_free(&url);
        return;
    }
    long t = req->port25_timeout_s > 0 ? req->port25_timeout_s : DEFAULT_PORT25_S;
    common_opts(h, req, &x, errbuf, resolve, t, t);
    curl_easy_setopt(h, CURLOPT_VERBOSE, 0L);
    curl_easy_setopt(h, CURLOPT_URL, url.buf);
    /* Connect (and read the greeting), no mail, no credentials. */
    curl_easy_setopt(h, CURLOPT_CONNECT_ONLY, 1L);
    CURLcode cc = curl_easy_perform(h);
    curl_easy_cleanup(h);
    curl_slist_free_all(resolve);
    strbuf_free(&url);
    if (cc == CURLE_ABORTED_BY_CALLBACK)
        return;
    res->port25_checked = true;
    res->port25_curl_code = (int)cc;
    res->port25_code = diagnose_port25((int)cc, req->host, &res->port25_err);
}

/* ---- the POP3 round trip */

/* The line of headers (TOP n 0 output) that carries message_id. */
static bool has_message_id(const strbuf *headers, const char *id)
{
    const char *p = headers->buf;
    size_t idlen = strlen(id);
    while ((p = strstr(p, id)) != NULL) {
        /* Back to the start of the (possibly folded) header. */
        const char *ls = p;
        while (ls > headers->buf && ls[-1] != '\n')
            ls--;
        if (_strnicmp(ls, "Message-ID:", 11) == 0 ||
            (ls > headers->buf + 1 && (ls[0] == ' ' || ls[0] == '\t')))
            return true;
        p += idlen;
    }
    return false;
}

static CURL *pop3_handle(const smtp_send_req *req, struct xfer *x, char *errbuf,
                         struct curl_slist *resolve, const char *url, long total)
{
    CURL *h = curl_easy_init();
    if (!h)
        return NULL;
    common_opts(h, req, x, errbuf, resolve,
                req->connect_timeout_s > 0 ? req->connect_timeout_s : DEFAULT_CONNECT_S, total);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_USE_SSL,
                     req->pop3_security == MS_SEC_NONE ? (long)CURLUSESSL_NONE
                                                       : (long)CURLUSESSL_ALL);
    curl_easy_setopt(h, CURLOPT_USERNAME, req->pop3_user ? req->pop3_user : req->user);
    curl_easy_setopt(h, CURLOPT_PASSWORD, req->password);
    return h;
}

/* One POP3 session: LIST, then TOP n 0 of each message from the newest
 * until the test message is found; with dele, DELE it (committed by the
 * QUIT curl_easy_cleanup sends). *found tells whether it is there. */
static CURLcode pop3_session(const smtp_send_req *req, smtp_send_result *res,
                             const volatile long *cancel, const strbuf *roots, bool dele,
                             bool *found, char *errbuf)
{
    *found = false;
    strbuf data, url;
    strbuf_init(&data);
    strbuf_init(&url);
    struct xfer x = {.cancel = cancel,
                     .pop3_log = &res->pop3_log,
                     .secret = req->password,
                     .download = &data,
                     .roots = roots};
    struct curl_slist *resolve = resolve_list(req, NULL, 0);
    strbuf_addf(&url, "%s://%s:%u/", scheme(true, req->pop3_security), req->pop3_host,
                req->pop3_port);
    long total = req->timeout_s > 0 ? req->timeout_s : DEFAULT_TOTAL_S;
    CURL *h = pop3_handle(req, &x, errbuf, resolve, url.buf, total);
    CURLcode cc = h ? curl_easy_perform(h) : CURLE_OUT_OF_MEMORY; /* LIST */
    if (cc == CURLE_OK) {
        /* "n size" lines; look at the newest first. */
        unsigned nums[512];
        size_t count = 0;
        for (const char *p = data.buf; *p && count < 512;) {
            unsigned n = (unsigned)strtoul(p, NULL, 10);
            if (n)
                nums[count++] = n;
            const char *nl = strchr(p, '\n');
            if (!nl)
                break;
            p = nl + 1;
        }
        for (size_t i = count; i-- > 0 && cc == CURLE_OK && !*found;) {
            char cmd[32];
            wsprintfA(cmd, "TOP %u 0", nums[i]);
            strbuf_reset(&data);
            curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, cmd);
            cc = curl_easy_perform(h);
            if (cc == CURLE_OK && has_message_id(&data, res->message_id)) {
                *found = true;
                if (dele) {
                    strbuf_reset(&url);
                    strbuf_addf(&url, "%s://%s:%u/%u", scheme(true, req->pop3_security),
                                req->pop3_host, req->pop3_port, nums[i]);
                    curl_easy_setopt(h, CURLOPT_URL, url.buf);
                    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "DELE");
                    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
                    cc = curl_easy_perform(h);
                    /* QUIT commits the deletion. Sent here, as a command:
                     * the one curl_easy_cleanup sends after STLS arrives
                     * garbled under Wine's Schannel (bad record MAC). */
                    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "QUIT");
                    if (cc == CURLE_OK)
                        cc = curl_easy_perform(h);
                }
            }
        }
    }
    if (h) {
        forget_password(h);
        curl_easy_cleanup(h); /* QUIT: the server now removes what DELE marked */
    }
    curl_slist_free_all(resolve);
    strbuf_free(&data);
    strbuf_free(&url);
    return cc;
}

static void pop3_fail(const smtp_send_req *req, smtp_send_result *res, CURLcode cc,
                      const char *errbuf)
{
    /* The account says STLS and the server does not offer it: libcurl
     * stops after CAPA, before USER - the password was not sent. */
    if (cc == CURLE_USE_SSL_FAILED && req->pop3_security == MS_SEC_STARTTLS)
        res->pop3_code = ms_fail(&res->pop3_err, MS_ERR_RECV_NO_STLS, "%s:%u", req->pop3_host,
                                 req->pop3_port);
    else if (cc == CURLE_LOGIN_DENIED)
        res->pop3_code = ms_fail(&res->pop3_err, MS_ERR_RECV_AUTH, "POP3 %s:%s", "-ERR",
                                 errbuf[0] ? errbuf : "login denied");
    else if (cc == CURLE_ABORTED_BY_CALLBACK)
        res->pop3_code = ms_fail(&res->pop3_err, MS_ERR_SEND_CANCELLED, "pop3");
    else
        res->pop3_code = ms_fail(&res->pop3_err, MS_ERR_RECV_FAILED, "%s (libcurl %d)",
                                 errbuf[0] ? errbuf : curl_easy_strerror(cc), (int)cc);
}

static void round_trip(const smtp_send_req *req, smtp_send_result *res, const volatile long *cancel,
                       const strbuf *roots)
{
    res->pop3_checked = true;
    long wait = req->pop3_wait_s > 0 ? req->pop3_wait_s : DEFAULT_POP3_WAIT_S;
    DWORD t0 = GetTickCount();
    char errbuf[CURL_ERROR_SIZE];
    for (;;) {
        errbuf[0] = '\0';
        bool found;
        CURLcode cc = pop3_session(req, res, cancel, roots, true, &found, errbuf);
        if (cc != CURLE_OK) {
            pop3_fail(req, res, cc, errbuf);
            return;
        }
        if (found) {
            res->received = true;
            break;
        }
        if ((long)(GetTickCount() - t0) / 1000 >= wait) {
            res->pop3_code = ms_fail(&res->pop3_err, MS_ERR_RECV_NOT_FOUND, "%ld s", wait);
            return;
        }
        for (int i = 0; i < 20; i++) { /* 2 s, cancellable */
            if (cancel && *cancel) {
                res->pop3_code = ms_fail(&res->pop3_err, MS_ERR_SEND_CANCELLED, "pop3");
                return;
            }
            Sleep(100);
        }
    }
    /* A new session must no longer list it. */
    errbuf[0] = '\0';
    bool still;
    CURLcode cc = pop3_session(req, res, cancel, roots, false, &still, errbuf);
    if (cc != CURLE_OK) {
        pop3_fail(req, res, cc, errbuf);
        return;
    }
    res->removed = !still;
    if (still)
        res->pop3_code = ms_fail(&res->pop3_err, MS_ERR_RECV_FAILED, "DELE %s", res->message_id);
    else
        res->pop3_code = MS_OK;
}

ms_code smtp_send_run(const smtp_send_req *req, smtp_send_result *res, const volatile long *cancel)
{
    strbuf roots;
    strbuf_init(&roots);
    if (!req->ca_file)
        net_wine_roots(&roots);
    res->code = do_send(req, res, cancel, &roots);
    if (res->sent && !req->check_only && req->port25 && req->port25 != req->port &&
        !(cancel && *cancel))
        check_port25(req, res, cancel, &roots);
    if (res->sent && !req->check_only && req->pop3_host && !(cancel && *cancel))
        round_trip(req, res, cancel, &roots);
    strbuf_free(&roots);
    return res->code;
}

/* ---- the JSON report */

static cJSON *sentence_json(const ms_error *e)
{
    cJSON *o = cJSON_CreateObject();
    char buf[1024];
    cJSON_AddStringToObject(o, "code", ms_code_helpdesk(e->code));
    cJSON_AddStringToObject(o, "name", ms_code_name(e->code));
    cJSON_AddStringToObject(o, "ja", ms_error_format(e, MS_LANG_JA, buf, sizeof buf));
    cJSON_AddStringToObject(o, "en", ms_error_format(e, MS_LANG_EN, buf, sizeof buf));
    cJSON *step = cJSON_AddObjectToObject(o, "next_step");
    cJSON_AddStringToObject(step, "ja", diagnose_next_step(e->code, MS_LANG_JA));
    cJSON_AddStringToObject(step, "en", diagnose_next_step(e->code, MS_LANG_EN));
    return o;
}

static cJSON *lines_json(const strbuf *text)
{
    cJSON *a = cJSON_CreateArray();
    const char *p = text->buf;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char *line = malloc(n + 1);
        if (!line)
            break;
        memcpy(line, p, n);
        line[n] = '\0';
        cJSON_AddItemToArray(a, cJSON_CreateString(line));
        free(line);
        p += n + (nl ? 1 : 0);
    }
    return a;
}

static const char *security_word(ms_security s)
{
    return s == MS_SEC_SSL ? "tls" : s == MS_SEC_STARTTLS ? "starttls" : "none";
}

/* "stages": every stage this security goes through, in its order, up to
 * where it ended. */
static void add_stages(cJSON *root, const smtp_send_req *req, const smtp_send_result *res)
{
    static const diagnose_stage order_plain[] = {
        DIAG_STAGE_RESOLVE, DIAG_STAGE_CONNECT, DIAG_STAGE_GREETING,
        DIAG_STAGE_EHLO,    DIAG_STAGE_AUTH,    DIAG_STAGE_MAIL,
        DIAG_STAGE_RCPT,    DIAG_STAGE_DATA,    DIAG_STAGE_QUIT,
    };
    static const diagnose_stage order_starttls[] = {
        DIAG_STAGE_RESOLVE,  DIAG_STAGE_CONNECT, DIAG_STAGE_GREETING, DIAG_STAGE_EHLO,
        DIAG_STAGE_STARTTLS, DIAG_STAGE_TLS,     DIAG_STAGE_AUTH,     DIAG_STAGE_MAIL,
        DIAG_STAGE_RCPT,     DIAG_STAGE_DATA,    DIAG_STAGE_QUIT,
    };
    static const diagnose_stage order_tls[] = {
        DIAG_STAGE_RESOLVE, DIAG_STAGE_CONNECT, DIAG_STAGE_TLS,  DIAG_STAGE_GREETING,
        DIAG_STAGE_EHLO,    DIAG_STAGE_AUTH,    DIAG_STAGE_MAIL, DIAG_STAGE_RCPT,
        DIAG_STAGE_DATA,    DIAG_STAGE_QUIT,
    };
    const diagnose_stage *order = req->security == MS_SEC_SSL        ? order_tls
                                  : req->security == MS_SEC_STARTTLS ? order_starttls
                                                                     : order_plain;
    size_t n_order = req->security == MS_SEC_SSL ? sizeof order_tls / sizeof *order_tls
                     : req->security == MS_SEC_STARTTLS
                         ? sizeof order_starttls / sizeof *order_starttls
                         : sizeof order_plain / sizeof *order_plain;
    cJSON *stages = cJSON_AddArrayToObject(root, "stages");
    for (size_t i = 0; i < n_order; i++) {
        diagnose_stage s = order[i];
        if (s == DIAG_STAGE_AUTH && !(req->user && *req->user))
            continue;
        bool last = s == res->stage;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "stage", diagnose_stage_name(s));
        cJSON_AddStringToObject(o, "result", last && !res->sent ? "failed" : "ok");
        cJSON_AddItemToArray(stages, o);
        if (last)
            break;
    }
}

/* "curl", "smtp", the message id, the time and the redacted dialogue. */
static void add_dialogue(cJSON *root, const smtp_send_result *res)
{
    cJSON *curl = cJSON_AddObjectToObject(root, "curl");
    cJSON_AddNumberToObject(curl, "code", res->curl_code);
    cJSON_AddStringToObject(curl, "error", res->curl_error);
    cJSON *smtp = cJSON_AddObjectToObject(root, "smtp");
    cJSON_AddNumberToObject(smtp, "reply", (double)res->smtp_reply);
    cJSON_AddStringToObject(smtp, "reply_text", res->smtp_reply_text);
    cJSON_AddBoolToObject(smtp, "auth_offered", res->auth_offered);
    cJSON_AddStringToObject(smtp, "auth_mechanisms", res->auth_mechanisms);
    cJSON_AddBoolToObject(smtp, "starttls_offered", res->starttls_offered);
    cJSON_AddStringToObject(root, "message_id", res->message_id);
    cJSON_AddNumberToObject(root, "seconds", res->seconds);
    cJSON_AddItemToObject(root, "log", lines_json(&res->log));
}

/* "op25b" and "pop3": what happened after the send. */
static void add_after_send(cJSON *root, const smtp_send_req *req, const smtp_send_result *res)
{
    cJSON *op = cJSON_AddObjectToObject(root, "op25b");
    cJSON_AddBoolToObject(op, "checked", res->port25_checked);
    if (res->port25_checked) {
        cJSON_AddNumberToObject(op, "port", req->port25);
        cJSON_AddNumberToObject(op, "curl_code", res->port25_curl_code);
        cJSON_AddBoolToObject(op, "port25_blocked", res->port25_code == MS_INFO_OP25B_BLOCKED);
        if (res->port25_code != MS_OK)
            cJSON_AddItemToObject(op, "diagnosis", sentence_json(&res->port25_err));
    }
    cJSON *pop = cJSON_AddObjectToObject(root, "pop3");
    cJSON_AddBoolToObject(pop, "checked", res->pop3_checked);
    if (!res->pop3_checked)
        return;
    cJSON_AddStringToObject(pop, "host", req->pop3_host ? req->pop3_host : "");
    cJSON_AddNumberToObject(pop, "port", req->pop3_port);
    cJSON_AddStringToObject(pop, "security", security_word(req->pop3_security));
    cJSON_AddBoolToObject(pop, "received", res->received);
    cJSON_AddBoolToObject(pop, "removed", res->removed);
    ms_error ok;
    ms_error_clear(&ok);
    const ms_error *pe = res->pop3_code == MS_OK ? &ok : &res->pop3_err;
    cJSON_AddItemToObject(pop, "diagnosis", sentence_json(pe));
    cJSON_AddItemToObject(pop, "log", lines_json(&res->pop3_log));
}

void smtp_send_report_json(const smtp_send_req *req, const smtp_send_result *res, ms_lang lang,
                           strbuf *out)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return;
    char buf[1024];
    cJSON *acc = cJSON_AddObjectToObject(root, "server");
    cJSON_AddStringToObject(acc, "host", req->host ? req->host : "");
    cJSON_AddNumberToObject(acc, "port", req->port);
    cJSON_AddStringToObject(acc, "security", security_word(req->security));
    cJSON_AddStringToObject(acc, "user", req->user ? req->user : "");
    cJSON_AddStringToObject(acc, "from", req->from ? req->from : "");
    cJSON_AddBoolToObject(root, "sent", res->sent);
    if (req->check_only)
        cJSON_AddBoolToObject(root, "check_only", true); /* "sent": the log-on worked */
    ms_error ok;
    ms_error_clear(&ok);
    const ms_error *e = res->code == MS_OK ? &ok : &res->err;
    cJSON_AddStringToObject(root, "code", ms_code_helpdesk(e->code));
    cJSON_AddStringToObject(root, "code_name", ms_code_name(e->code));
    cJSON_AddStringToObject(root, "message", ms_error_format(e, lang, buf, sizeof buf));
    cJSON_AddItemToObject(root, "diagnosis", sentence_json(e));
    cJSON_AddStringToObject(root, "stage", diagnose_stage_name(res->stage));
    add_stages(root, req, res);
    add_dialogue(root, res);
    add_after_send(root, req, res);
    char *text = cJSON_Print(root);
    if (text) {
        strbuf_addstr(out, text);
        strbuf_addch(out, '\n');
        cJSON_free(text);
    }
    cJSON_Delete(root);
}
