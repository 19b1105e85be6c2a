/* diagnose: libcurl result + SMTP dialogue -> S-code and next step; see
 * diagnose.h. The rules are ordered: the first that matches decides. */
#include "diagnose.h"

#include <stddef.h>
#include <string.h>

#include "account.h"

static const char *const stage_names[DIAG_STAGE_COUNT] = {
    "resolve", "connect", "tls", "greeting", "ehlo", "starttls",
    "auth",    "mail",    "rcpt", "data",    "quit",
};

const char *diagnose_stage_name(diagnose_stage s)
{
    return (unsigned)s < DIAG_STAGE_COUNT ? stage_names[s] : "?";
}

static bool has(const char *text, const char *needle)
{
    return text && strstr(text, needle) != NULL;
}

/* Schannel's words for "the certificate is for another name": curl's own
 * check (manual validation, with a CA file) and Schannel's SEC_E_WRONG_PRINCIPAL. */
static bool text_name_mismatch(const char *t)
{
    return has(t, "name verification failed") || has(t, "failed to match connection hostname") || has(t, "WRONG_PRINCIPAL") ||
           has(t, "0x80090322") || has(t, "CN_NO_MATCH") || has(t, "does not match");
}

/* ... and for "nobody we trust issued it". */
static bool text_untrusted(const char *t)
{
    return has(t, "UNTRUSTED_ROOT") || has(t, "PARTIAL_CHAIN") || has(t, "0x80090325") ||
           has(t, "CERT_E_UNTRUSTEDROOT") || has(t, "0x800b0109") || has(t, "NOT_TIME_VALID") ||
           has(t, "CertGetCertificateChain");
}

static ms_code fail_server(ms_error *err, ms_code code, const diagnose_input *in)
{
    return ms_fail(err, code, "%s:%u", in->host ? in->host : "?", in->port);
}

static ms_code fail_reply(ms_error *err, ms_code code, const diagnose_input *in)
{
    if (in->reply > 0)
        return ms_fail(err, code, "SMTP %ld, %s", in->reply, diagnose_stage_name(in->stage));
    return ms_fail(err, code, "%s", in->curl_text && *in->curl_text ? in->curl_text : "libcurl");
}

/* The server refused a command with reply (4xx/5xx) at MAIL, RCPT or DATA. */
static ms_code diagnose_refusal(const diagnose_input *in, ms_error *err)
{
    long r = in->reply;
    /* 530 "Must issue a STARTTLS command first" / 538 "encryption required":
     * the connection is plain while the server offers STARTTLS. */
    if ((r == 530 || r == 538) && in->security == MS_SEC_NONE && in->starttls_offered)
        return fail_server(err, MS_ERR_SEND_STARTTLS_REQUIRED, in);
    /* 530 "authentication required" when no AUTH happened: libcurl skips
     * AUTH when the server does not list it; the wizard always has a user. */
    if (r == 530 || ((r >= 550 && r <= 554) && !in->auth_offered))
        return fail_reply(err, MS_ERR_SEND_AUTH_REQUIRED, in);
    /* 550/551/553/554 (5.7.1 relaying denied, sender refused). */
    if (r >= 550 && r <= 554)
        return fail_reply(err, MS_ERR_SEND_REFUSED, in);
    return fail_reply(err, MS_ERR_SEND_SERVER_REPLY, in);
}

ms_code diagnose_send(const diagnose_input *in, ms_error *err)
{
    const char *t = in->curl_text;
    /* A reply below 400 is the last success, not a refusal. */
    bool refused = in->reply >= 400 && in->reply <= 599;

    switch (in->curl_code) {
    case DIAG_CURLE_OK:
        ms_error_clear(err);
        return MS_OK;
    case DIAG_CURLE_ABORTED_BY_CALLBACK:
        return ms_fail(err, MS_ERR_SEND_CANCELLED, "%s", diagnose_stage_name(in->stage));
    case DIAG_CURLE_COULDNT_RESOLVE_HOST:
        return fail_server(err, MS_ERR_SEND_RESOLVE, in);
    case DIAG_CURLE_COULDNT_CONNECT:
        return fail_server(err, MS_ERR_SEND_CONNECT, in);
    case DIAG_CURLE_OPERATION_TIMEDOUT:
        /* A SYN nobody answers is a filter (firewall, antivirus, OP25B). */
        if (in->stage <= DIAG_STAGE_CONNECT)
            return fail_server(err, MS_ERR_SEND_CONNECT, in);
        /* Connected, yet no greeting: a server waiting for a TLS hello we
         * never send (SSL port with security "none") or a stuck scanner. */
        if (in->stage == DIAG_STAGE_GREETING || in->stage == DIAG_STAGE_TLS)
            return fail_server(err, MS_ERR_SEND_NO_GREETING, in);
        return ms_fail(err, MS_ERR_SEND_TIMEOUT, "%s:%u (%s)", in->host ? in->host : "?", in->port,
                       diagnose_stage_name(in->stage));
    case DIAG_CURLE_PEER_FAILED_VERIFICATION:
    case DIAG_CURLE_SSL_CONNECT_ERROR:
    case DIAG_CURLE_SSL_CERTPROBLEM:
        if (text_name_mismatch(t))
            return fail_server(err, MS_ERR_SEND_CERT_NAME, in);
        if (in->curl_code == DIAG_CURLE_PEER_FAILED_VERIFICATION || text_untrusted(t))
            return fail_server(err, MS_ERR_SEND_CERT, in);
        return fail_server(err, MS_ERR_SEND_TLS, in);
    case DIAG_CURLE_SSL_CIPHER:
        return fail_server(err, MS_ERR_SEND_TLS, in);
    case DIAG_CURLE_USE_SSL_FAILED:
        return fail_server(err, MS_ERR_SEND_NO_STARTTLS, in);
    case DIAG_CURLE_LOGIN_DENIED:
        if (in->reply == 538 || (in->reply == 530 && in->security == MS_SEC_NONE))
            return fail_server(err, MS_ERR_SEND_STARTTLS_REQUIRED, in);
        /* No reply to an AUTH at all: no mechanism in common. */
        if (!refused)
            return ms_fail(err, MS_ERR_SEND_AUTH_MECH, "AUTH %s",
                           in->auth_mechanisms && *in->auth_mechanisms ? in->auth_mechanisms
                                                                       : "-");
        return fail_reply(err, MS_ERR_SEND_AUTH, in);
    case DIAG_CURLE_SSL_CACERT_BADFILE:
        return ms_fail(err, MS_ERR_SEND_CA_FILE, "%s", t && *t ? t : "CA");
    case DIAG_CURLE_OUT_OF_MEMORY:
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    case DIAG_CURLE_SEND_ERROR:
    case DIAG_CURLE_RECV_ERROR:
    case DIAG_CURLE_WEIRD_SERVER_REPLY:
    case DIAG_CURLE_GOT_NOTHING:
        if (refused && in->stage >= DIAG_STAGE_EHLO)
            return diagnose_refusal(in, err);
        if (in->curl_code == DIAG_CURLE_WEIRD_SERVER_REPLY)
            return ms_fail(err, MS_ERR_SEND_SERVER_REPLY, "%s",
                           t && *t ? t : diagnose_stage_name(in->stage));
        return fail_server(err, MS_ERR_SEND_DROPPED, in);
    default:
        break;
    }
    if (refused)
        return diagnose_refusal(in, err);
    return ms_fail(err, MS_ERR_SEND_FAILED, "%s (libcurl %d)", t && *t ? t : "libcurl",
                   in->curl_code);
}

ms_code diagnose_port25(int curl_code_port25, const char *host, ms_error *err)
{
    const char *h = host ? host : "?";
    switch (curl_code_port25) {
    case DIAG_CURLE_OK:
    case DIAG_CURLE_WEIRD_SERVER_REPLY: /* something answered on 25 */
        return ms_fail(err, MS_INFO_PORT25_OPEN, "%s", h);
    case DIAG_CURLE_COULDNT_CONNECT:
    case DIAG_CURLE_OPERATION_TIMEDOUT:
    case DIAG_CURLE_RECV_ERROR:
    case DIAG_CURLE_GOT_NOTHING:
        return ms_fail(err, MS_INFO_OP25B_BLOCKED, "%s", h);
    default:
        ms_error_clear(err);
        return MS_OK;
    }
}

static const struct diag_step {
    ms_code code;
    const char *text[2];
} steps[] = {
#define DIAG_STEP(code, ja, en) {code, {ja, en}},
#include "diagnose.def"
#undef DIAG_STEP
};

const char *diagnose_next_step(ms_code code, ms_lang lang)
{
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (steps[i].code == code)
            return steps[i].text[lang == MS_LANG_EN ? 1 : 0];
    return "";
}
