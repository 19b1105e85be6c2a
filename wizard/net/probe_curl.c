/* probe_curl: the network layer of `mailsetup probe` (wizard/core/send/probe.h)
 * with libcurl, shared by the Linux host build (Debian's libcurl, OpenSSL,
 * the system's trust store) and mailsetup.exe (libcurl with Schannel).
 * libcurl does the protocol's connect phase only (CURLOPT_CONNECT_ONLY):
 * greeting, EHLO/CAPA/CAPABILITY, STARTTLS/STLS, and a log-on only when a
 * user and password are given; nothing is sent. Certificates are always
 * verified (peer and host name); --ca-file replaces the trust, never
 * switches it off. */
#ifdef _WIN32
#include <windows.h>
#else
#include <malloc.h>
#include <unistd.h>
#endif

#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "account.h"
#include "curl_wipe.h"
#include "probe.h"
#include "wine_roots.h"

/* libcurl on the wiping allocator (curl_wipe.h); in mailsetup.exe main()
 * has already started it through smtp_send_global_init. */
static bool global_init(void)
{
    return net_curl_global_init();
}

#ifndef _WIN32
/* One byte of standard input: 1, 0 at its end, -1 on an error. */
static int read_byte(char *c)
{
    ssize_t got = read(0, c, 1);
    return got < 0 ? -1 : (int)got;
}
#else
static int read_byte(char *c)
{
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
    DWORD got = 0;
    if (in == NULL || in == INVALID_HANDLE_VALUE)
        return -1;
    if (!ReadFile(in, c, 1, &got, NULL))
        return GetLastError() == ERROR_BROKEN_PIPE ? 0 : -1;
    return (int)got;
}
#endif

/* The password's bytes pass through c and pw only; no stdio buffer. */
ms_code probe_read_password(strbuf *pw, ms_error *err)
{
    char c;
    int got;
    while (pw->len < 1024 && (got = read_byte(&c)) != 0) {
        if (got < 0)
            return ms_fail(err, MS_ERR_SEND_NO_PASSWORD, "%s", "--password-stdin");
        if (c == '\n')
            break;
        strbuf_addch(pw, c);
    }
    c = 0;
    while (pw->len && pw->buf[pw->len - 1] == '\r')
        pw->buf[--pw->len] = '\0';
    return pw->oom ? ms_fail(err, MS_ERR_NOMEM, NULL) : MS_OK;
}

struct ctx {
    const probe_target *t;
    probe_obs *obs;
};

static int on_debug(CURL *h, curl_infotype type, char *data, size_t len, void *p)
{
    (void)h;
    struct ctx *c = p;
    switch (type) {
    case CURLINFO_TEXT:
        probe_feed(c->obs, c->t, SMTPLOG_INFO, data, len);
        break;
    case CURLINFO_HEADER_IN:
        probe_feed(c->obs, c->t, SMTPLOG_IN, data, len);
        break;
    case CURLINFO_HEADER_OUT:
        probe_feed(c->obs, c->t, SMTPLOG_OUT, data, len);
        break;
    default:
        break; /* TLS records, data */
    }
    return 0;
}

static size_t on_write(char *data, size_t size, size_t n, void *p)
{
    (void)data, (void)p;
    return size * n;
}

static void copy_field(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);
    while (n && (src[n - 1] == '\r' || src[n - 1] == '\n'))
        n--;
    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* The leaf certificate's subject, issuer and end date (CURLOPT_CERTINFO:
 * "Subject:...", "Issuer:...", "Expire date:..."). */
static void cert_info(CURL *h, probe_obs *o)
{
    struct curl_certinfo *ci = NULL;
    if (curl_easy_getinfo(h, CURLINFO_CERTINFO, &ci) != CURLE_OK || !ci || ci->num_of_certs < 1)
        return;
    for (struct curl_slist *s = ci->certinfo[0]; s; s = s->next) {
        if (strncmp(s->data, "Subject:", 8) == 0)
            copy_field(o->cert_subject, sizeof o->cert_subject, s->data + 8);
        else if (strncmp(s->data, "Issuer:", 7) == 0)
            copy_field(o->cert_issuer, sizeof o->cert_issuer, s->data + 7);
        else if (strncmp(s->data, "Expire date:", 12) == 0)
            copy_field(o->cert_expire, sizeof o->cert_expire, s->data + 12);
    }
}

/* The trust: the CA file, else (under Wine) Wine's roots, else the
 * system's (Schannel / OpenSSL). */
static void set_trust(CURL *h, const probe_net_opts *o)
{
    strbuf roots;
    strbuf_init(&roots);
    if (o->ca_file) {
        curl_easy_setopt(h, CURLOPT_CAINFO, o->ca_file);
    } else if (net_wine_roots(&roots)) {
        struct curl_blob blob = {roots.buf, roots.len, CURL_BLOB_COPY};
        curl_easy_setopt(h, CURLOPT_CAINFO_BLOB, &blob);
    }
    strbuf_free(&roots);
}

/* Every option of one connect phase: verification always on. */
static void set_options(CURL *h, const probe_target *t, const probe_net_opts *o, struct ctx *c,
                        char *errbuf, const char *url, struct curl_slist *resolve)
{
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_CONNECT_ONLY, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_USE_SSL,
                     t->security == MS_SEC_STARTTLS ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_NONE);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(h, CURLOPT_CERTINFO, 1L);
#ifdef _WIN32
    /* Schannel: a revoked certificate fails; an unreachable CRL/OCSP server
     * does not (as the test send) */
    curl_easy_setopt(h, CURLOPT_SSL_OPTIONS, (long)CURLSSLOPT_REVOKE_BEST_EFFORT);
#endif
    set_trust(h, o);
    if (resolve)
        curl_easy_setopt(h, CURLOPT_RESOLVE, resolve);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, o->timeout_s);
    curl_easy_setopt(h, CURLOPT_SERVER_RESPONSE_TIMEOUT, o->timeout_s);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 3 * o->timeout_s);
    curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
    curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, on_debug);
    curl_easy_setopt(h, CURLOPT_DEBUGDATA, c);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_write);
}

/* What the attempt ended with, into obs (the error text scrubbed of the
 * password). */
static void record_result(CURL *h, const probe_target *t, const probe_net_opts *o,
                          probe_obs *obs, CURLcode cc, const char *errbuf)
{
    obs->curl_code = (int)cc;
    strbuf clean;
    strbuf_init(&clean);
    const char *secrets[1] = {o->password};
    smtplog_scrub(&clean, errbuf, strlen(errbuf), secrets, o->password ? 1 : 0);
    copy_field(obs->curl_text, sizeof obs->curl_text, clean.buf ? clean.buf : "");
    strbuf_wipe(&clean);
    if (!obs->curl_text[0] && cc != CURLE_OK)
        copy_field(obs->curl_text, sizeof obs->curl_text, curl_easy_strerror(cc));
    char *ip = NULL;
    if (curl_easy_getinfo(h, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK && ip)
        copy_field(obs->addr, sizeof obs->addr, ip);
    if (cc == CURLE_OK && t->security != MS_SEC_NONE) {
        obs->tls = true;
        cert_info(h, obs);
    }
    if (obs->login_tried)
        obs->login_ok =
            cc == CURLE_OK && (t->proto == PROBE_SMTP ? obs->smtp.reply == 235 : obs->login_sent);
}

ms_code probe_net_run(const probe_target *t, const probe_net_opts *o, probe_obs *obs, ms_error *err)
{
    if (!global_init())
        return ms_fail(err, MS_ERR_INTERNAL, "%s", "curl_global_init");
    static const char *const schemes[3][2] = {
        {"smtp", "smtps"}, {"pop3", "pop3s"}, {"imap", "imaps"}};
    ms_code rc = MS_OK;
    bool implicit = t->security == MS_SEC_SSL;
    strbuf url;
    strbuf_init(&url);
    strbuf_addf(&url, "%s://%s:%u/", schemes[t->proto][implicit], t->host, t->port);
    struct curl_slist *resolve = NULL;
    for (size_t i = 0; i < o->n_resolve; i++) {
        struct curl_slist *n = curl_slist_append(resolve, o->resolve[i]);
        if (!n)
            break;
        resolve = n;
    }
    CURL *h = curl_easy_init();
    if (!h || url.oom) {
        rc = ms_fail(err, MS_ERR_NOMEM, NULL);
        goto out;
    }
    char errbuf[CURL_ERROR_SIZE] = "";
    struct ctx c = {t, obs};
    set_options(h, t, o, &c, errbuf, url.buf, resolve);
    if (o->user && o->password) {
        curl_easy_setopt(h, CURLOPT_USERNAME, o->user);
        curl_easy_setopt(h, CURLOPT_PASSWORD, o->password);
        obs->login_tried = true;
    }
    CURLcode cc = curl_easy_perform(h);
    curl_easy_setopt(h, CURLOPT_PASSWORD, ""); /* libcurl's copy, before the handle goes */
    record_result(h, t, o, obs, cc, errbuf);
out:
    if (h)
        curl_easy_cleanup(h);
    curl_slist_free_all(resolve);
    strbuf_free(&url);
    return rc;
}
