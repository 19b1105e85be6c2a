/* probe: the profile's servers checked as the profile means them; see
 * probe.h. */
#include "probe.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "account.h"
#include "platform.h"

/* ---------------------------------------------------------------- targets */

static bool same_host(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b - 'A' + 'a') : *b;
        if (x != y)
            return false;
    }
    return *a == *b;
}

static size_t add_target(probe_target *out, size_t n, size_t max, probe_target t)
{
    for (size_t i = 0; i < n; i++)
        if (out[i].role == t.role && out[i].port == t.port && same_host(out[i].host, t.host))
            return n;
    if (n < max)
        out[n++] = t;
    return n;
}

size_t probe_targets(const profile *p, bool port25, probe_target *out, size_t max,
                     bool *no_incoming)
{
    size_t n = 0;
    const char *hosts[PROBE_MAX_TARGETS];
    size_t nh = 0;
    if (p->outgoing.host) {
        hosts[nh++] = p->outgoing.host;
    } else if (p->outgoing.n_host_map) {
        for (size_t i = 0; i < p->outgoing.n_host_map && nh < PROBE_MAX_TARGETS; i++)
            hosts[nh++] = p->outgoing.host_map[i].to;
    } else if (profile_outgoing_target(p)) {
        hosts[nh++] = profile_outgoing_target(p);
    }
    for (size_t i = 0; i < nh; i++)
        n = add_target(out, n, max,
                       (probe_target){PROBE_OUTGOING, PROBE_SMTP, hosts[i], p->outgoing.port,
                                      (int)p->outgoing.security, false});
    for (size_t i = 0; i < p->outgoing.n_alternatives; i++) {
        const profile_alt_outgoing *a = &p->outgoing.alternatives[i];
        n = add_target(out, n, max,
                       (probe_target){PROBE_OUTGOING, PROBE_SMTP, a->host,
                                      profile_smtp_port_for(p, a->host), (int)p->outgoing.security,
                                      false});
    }
    size_t n_out = n;
    const char *in = p->incoming.host ? p->incoming.host : profile_incoming_target(p);
    *no_incoming = in == NULL;
    if (in) {
        bool keep = p->incoming.security == PROFILE_SEC_KEEP;
        int sec = keep ? MS_SEC_NONE : (int)p->incoming.security;
        bool imap = p->incoming.protocol == PROFILE_PROTO_IMAP;
        unsigned port = p->incoming.port ? p->incoming.port
                        : imap           ? (sec == MS_SEC_SSL ? 993u : 143u)
                                         : (sec == MS_SEC_SSL ? 995u : 110u);
        n = add_target(
            out, n, max,
            (probe_target){PROBE_INCOMING, imap ? PROBE_IMAP : PROBE_POP3, in, port, sec, keep});
    }
    if (port25)
        for (size_t i = 0; i < n_out; i++)
            n = add_target(
                out, n, max,
                (probe_target){PROBE_PORT25, PROBE_SMTP, out[i].host, 25, MS_SEC_NONE, false});
    return n;
}

/* ------------------------------------------------------------ observations */

void probe_obs_init(probe_obs *o, const probe_target *t, const char *secret)
{
    memset(o, 0, sizeof *o);
    smtplog_init(&o->smtp, t->security);
    if (secret && *secret)
        smtplog_add_secret(&o->smtp, secret);
    strbuf_init(&o->transcript);
    o->secret = secret;
}

void probe_obs_free(probe_obs *o)
{
    smtplog_free(&o->smtp);
    strbuf_wipe(&o->transcript);
}

static void copy_str(char *dst, size_t size, const char *src, size_t n)
{
    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static bool starts_ci(const char *s, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);
    if (n < k)
        return false;
    for (size_t i = 0; i < k; i++) {
        char c = s[i] >= 'a' && s[i] <= 'z' ? (char)(s[i] - 'a' + 'A') : s[i];
        if (c != prefix[i])
            return false;
    }
    return true;
}

/* Appends word w[0..n) to the space-separated list buf (NUL-terminated,
 * size bytes); a word that does not fit is left out. */
static void word_add(char *buf, size_t size, const char *w, size_t n)
{
    size_t have = strlen(buf);
    if (have + n + 2 >= size)
        return;
    if (have)
        buf[have++] = ' ';
    memcpy(buf + have, w, n);
    buf[have + n] = '\0';
}

static void caps_add(probe_obs *o, const char *w, size_t n)
{
    word_add(o->caps, sizeof o->caps, w, n);
}

static void sasl_add(probe_obs *o, const char *w, size_t n)
{
    word_add(o->sasl, sizeof o->sasl, w, n);
    o->caps_sasl = true;
}

static void caps_reset(probe_obs *o)
{
    o->caps[0] = o->sasl[0] = '\0';
    o->caps_starttls = o->caps_sasl = false;
}

/* IMAP: "* CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN" or the greeting's
 * "[CAPABILITY ...]": every word after CAPABILITY. */
static void imap_caps(probe_obs *o, const char *s, size_t n)
{
    const char *end = s + n;
    const char *c = s;
    while (c + 10 <= end && !starts_ci(c, (size_t)(end - c), "CAPABILITY"))
        c++;
    if (c + 10 > end)
        return;
    caps_reset(o);
    c += 10;
    while (c < end && *c != ']') {
        while (c < end && *c == ' ')
            c++;
        const char *w = c;
        while (c < end && *c != ' ' && *c != ']')
            c++;
        size_t wn = (size_t)(c - w);
        if (!wn)
            continue;
        caps_add(o, w, wn);
        if (wn == 8 && starts_ci(w, wn, "STARTTLS"))
            o->caps_starttls = true;
        if (wn > 5 && starts_ci(w, wn, "AUTH="))
            sasl_add(o, w + 5, wn - 5);
    }
}

/* POP3: the lines between "+OK" after CAPA and "." */
static void pop3_line(probe_obs *o, const char *s, size_t n)
{
    if (!o->in_capa)
        return;
    if (n == 1 && s[0] == '.') {
        o->in_capa = false;
        return;
    }
    if (n >= 3 && s[0] == '+' && starts_ci(s, n, "+OK"))
        return;
    if (n >= 4 && starts_ci(s, n, "-ERR")) {
        o->in_capa = false;
        return;
    }
    caps_add(o, s, n);
    if (n == 4 && starts_ci(s, n, "STLS"))
        o->caps_starttls = true;
    if (n > 5 && starts_ci(s, n, "SASL "))
        sasl_add(o, s + 5, n - 5);
}

/* STARTTLS / STLS, or IMAP's "tag STARTTLS", went out. */
static bool is_starttls(const probe_target *t, const char *data, size_t len)
{
    if (starts_ci(data, len, "STARTTLS") || starts_ci(data, len, "STLS"))
        return true;
    const char *sp = t->proto == PROBE_IMAP ? memchr(data, ' ', len) : NULL;
    return sp && starts_ci(sp + 1, len - (size_t)(sp + 1 - data), "STARTTLS");
}

/* SMTP: smtplog follows the dialogue; the first line is the greeting. */
static void feed_smtp(probe_obs *o, smtplog_kind kind, const char *data, size_t len)
{
    smtplog_feed(&o->smtp, kind, data, len);
    if (kind == SMTPLOG_IN && !o->got_greeting) {
        size_t n = 0;
        while (n < len && data[n] != '\r' && data[n] != '\n')
            n++;
        copy_str(o->greeting, sizeof o->greeting, data, n);
        o->got_greeting = n > 0;
    }
}

/* POP3 / IMAP: the greeting and the capabilities a line holds. */
static void note_line(probe_obs *o, const probe_target *t, smtplog_kind kind, const char *line,
                      size_t n)
{
    if (kind == SMTPLOG_IN) {
        if (!o->got_greeting) {
            copy_str(o->greeting, sizeof o->greeting, line, n);
            o->got_greeting = true;
        }
        if (t->proto == PROBE_IMAP && n > 2 && line[0] == '*')
            imap_caps(o, line, n);
        else if (t->proto == PROBE_POP3)
            pop3_line(o, line, n);
    } else if (kind == SMTPLOG_OUT && t->proto == PROBE_POP3 && n == 4 &&
               starts_ci(line, n, "CAPA")) {
        o->in_capa = true;
        caps_reset(o);
    }
}

/* A client line that logs on: how much of it stays (the command word, and
 * for AUTH the mechanism); *secret tells whether it is one. */
static size_t logon_keep(probe_obs *o, const probe_target *t, const char *line, size_t n,
                         bool *secret)
{
    *secret = true;
    if (o->in_auth)
        return 0;
    size_t keep = 0;
    const char *w = line;
    size_t wn = n;
    if (t->proto == PROBE_IMAP) { /* skip the tag */
        while (keep < n && line[keep] != ' ')
            keep++;
        if (keep < n)
            keep++;
        w = line + keep;
        wn = n - keep;
    }
    if (!(starts_ci(w, wn, "PASS ") || starts_ci(w, wn, "APOP ") || starts_ci(w, wn, "LOGIN ") ||
          starts_ci(w, wn, "AUTHENTICATE ") || starts_ci(w, wn, "AUTH "))) {
        *secret = false;
        return 0;
    }
    while (keep < n && line[keep] != ' ')
        keep++;
    if (starts_ci(w, wn, "AUTH")) {
        /* the mechanism name stays; a payload after it is secret */
        keep++;
        while (keep < n && line[keep] != ' ')
            keep++;
        o->in_auth = true;
    }
    return keep;
}

/* The transcript: log-on lines (PASS, APOP, AUTH, IMAP's LOGIN) keep their
 * command word, the rest redacted; client lines inside a SASL exchange are
 * redacted whole; all is scrubbed of the password. */
static void transcript_line(probe_obs *o, const probe_target *t, smtplog_kind kind,
                            const char *line, size_t n)
{
    strbuf_addstr(&o->transcript, kind == SMTPLOG_IN ? "< " : "> ");
    if (kind == SMTPLOG_IN && !(n >= 1 && line[0] == '+' && (n == 1 || line[1] == ' ')))
        o->in_auth = false;
    bool secret_line = false;
    size_t keep = kind == SMTPLOG_OUT ? logon_keep(o, t, line, n, &secret_line) : 0;
    if (secret_line) {
        o->login_sent = true;
        strbuf_add(&o->transcript, line, keep < n ? keep : n);
        if (keep < n) /* an AUTH without a payload has nothing to hide */
            strbuf_addstr(&o->transcript, keep ? " " SMTPLOG_REDACTED : SMTPLOG_REDACTED);
    } else {
        const char *secrets[1] = {o->secret};
        smtplog_scrub(&o->transcript, line, n, secrets, o->secret ? 1 : 0);
    }
    strbuf_addch(&o->transcript, '\n');
}

void probe_feed(probe_obs *o, const probe_target *t, smtplog_kind kind, const char *data,
                size_t len)
{
    if (kind == SMTPLOG_OUT && is_starttls(t, data, len))
        o->starttls_sent = true;
    if (t->proto == PROBE_SMTP) {
        feed_smtp(o, kind, data, len);
        return;
    }
    size_t pos = 0, n;
    const char *line;
    while (smtplog_next_line(data, len, &pos, &line, &n)) {
        if (!n || kind == SMTPLOG_DATA_OUT)
            continue;
        note_line(o, t, kind, line, n);
        if (kind != SMTPLOG_INFO)
            transcript_line(o, t, kind, line, n);
    }
}

/* ---------------------------------------------------------------- findings */

void probe_report_free(probe_report *r)
{
    free(r->items);
    memset(r, 0, sizeof *r);
}

static void add(probe_report *r, size_t target, probe_level level, ms_code code, const char *fmt,
                ...) MS_PRINTF(5, 6);
static void add(probe_report *r, size_t target, probe_level level, ms_code code, const char *fmt,
                ...)
{
    if (r->count == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        probe_finding *n = realloc(r->items, cap * sizeof *n);
        if (!n)
            return;
        r->items = n;
        r->cap = cap;
    }
    probe_finding *f = &r->items[r->count++];
    f->target = target;
    f->level = level;
    f->what.code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->what.detail, sizeof f->what.detail, fmt, ap);
    va_end(ap);
}

bool probe_passed(const probe_report *r)
{
    for (size_t i = 0; i < r->count; i++)
        if (r->items[i].level == PROBE_FAIL)
            return false;
    return true;
}

/* "Dec  4 23:00:00 2027 GMT" (OpenSSL) or "2027-12-04 23:00:00 GMT"
 * (Schannel) -> seconds since 1970; -1 when unreadable. */
static long long cert_time(const char *s)
{
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    int y, mo = 0, d, h, mi, sec;
    char mon[4];
    if (sscanf(s, "%3s %d %d:%d:%d %d", mon, &d, &h, &mi, &sec, &y) == 6) {
        const char *m = strstr(months, mon);
        if (!m || (m - months) % 3)
            return -1;
        mo = (int)((m - months) / 3) + 1;
    } else if (sscanf(s, "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &sec) != 6) {
        return -1;
    }
    if (mo < 1 || mo > 12 || d < 1 || d > 31)
        return -1;
    /* days from civil (Howard Hinnant's algorithm), UTC */
    int yy = y - (mo <= 2);
    int era = (yy >= 0 ? yy : yy - 399) / 400;
    int yoe = yy - era * 400;
    int doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    long long days = (long long)era * 146097 + doe - 719468;
    return days * 86400 + h * 3600 + mi * 60 + sec;
}

static const char *sec_name(int s)
{
    return s == MS_SEC_SSL ? "SSL/TLS" : s == MS_SEC_STARTTLS ? "STARTTLS" : "none";
}

/* PLAIN or LOGIN in a space-separated list: what OE, Outlook, Windows
 * Mail and Thunderbird's "normal password" use. */
static bool has_password_mech(const char *mechs)
{
    const char *p = mechs;
    while (*p) {
        while (*p == ' ')
            p++;
        const char *w = p;
        while (*p && *p != ' ')
            p++;
        size_t n = (size_t)(p - w);
        if ((n == 5 && starts_ci(w, n, "PLAIN")) || (n == 5 && starts_ci(w, n, "LOGIN")))
            return true;
    }
    return false;
}

static void cert_findings(const probe_target *t, size_t ix, const probe_obs *o, long long now,
                          probe_report *r, const char *where)
{
    if (!o->tls)
        return;
    long long exp = o->cert_expire[0] ? cert_time(o->cert_expire) : -1;
    if (o->cert_subject[0] || o->cert_expire[0])
        add(r, ix, PROBE_OK, MS_PROBE_CERT_OK, "%s: %s; %s; %s", where, o->cert_subject,
            o->cert_issuer, o->cert_expire);
    else
        add(r, ix, PROBE_OK, MS_PROBE_CERT_OK, "%s", where);
    if (exp >= 0 && exp - now <= 30LL * 86400)
        add(r, ix, PROBE_WARN, MS_PROBE_CERT_SOON, "%s: %s (%lld days)", where, o->cert_expire,
            (exp - now) / 86400);
    (void)t;
}

/* A failed attempt: what it means, from libcurl's result and where the
 * dialogue was (diagnose_send knows the TLS libraries' words). */
static void failure_findings(const probe_target *t, size_t ix, const probe_obs *o, probe_report *r,
                             const char *where)
{
    probe_level lv = t->role == PROBE_PORT25 ? PROBE_INFO : PROBE_FAIL;
    const char *text = o->curl_text;
    if (t->role == PROBE_PORT25) {
        add(r, ix, PROBE_INFO, MS_PROBE_PORT25_BLOCKED, "%s (%s)", where, text);
        return;
    }
    if (o->curl_code == DIAG_CURLE_LOGIN_DENIED) {
        add(r, ix, PROBE_FAIL, MS_PROBE_LOGIN_FAILED, "%s (%s)", where, text);
        return;
    }
    diagnose_input in = {.curl_code = o->curl_code,
                         .curl_text = text,
                         .reply = o->smtp.reply,
                         .stage = t->proto == PROBE_SMTP ? o->smtp.stage : DIAG_STAGE_GREETING,
                         .auth_offered = o->smtp.auth_offered,
                         .starttls_offered = o->smtp.starttls_offered || o->caps_starttls,
                         .auth_mechanisms = o->smtp.auth_mechanisms,
                         .security = t->security,
                         .host = t->host,
                         .port = t->port};
    ms_error e;
    ms_code s = diagnose_send(&in, &e);
    bool expired = strstr(text, "expired") || strstr(text, "not yet valid") ||
                   strstr(text, "CERT_E_EXPIRED") || strstr(text, "期限");
    ms_code n;
    switch (s) {
    case MS_ERR_SEND_RESOLVE:
        n = MS_PROBE_RESOLVE;
        break;
    case MS_ERR_SEND_CONNECT:
        n = MS_PROBE_CONNECT;
        break;
    case MS_ERR_SEND_TIMEOUT:
    case MS_ERR_SEND_NO_GREETING:
        n = MS_PROBE_TIMEOUT;
        break;
    case MS_ERR_SEND_CERT_NAME:
        n = MS_PROBE_CERT_NAME;
        break;
    case MS_ERR_SEND_CERT:
        n = expired ? MS_PROBE_CERT_EXPIRED : MS_PROBE_CERT_UNTRUSTED;
        break;
    case MS_ERR_SEND_TLS:
        n = MS_PROBE_TLS;
        break;
    case MS_ERR_SEND_NO_STARTTLS:
        n = MS_PROBE_NO_STARTTLS;
        break;
    case MS_ERR_SEND_STARTTLS_REQUIRED:
        n = MS_PROBE_STARTTLS_REQUIRED;
        break;
    case MS_ERR_SEND_AUTH:
        n = MS_PROBE_LOGIN_FAILED;
        break;
    case MS_ERR_SEND_AUTH_REQUIRED:
        n = MS_PROBE_NO_AUTH;
        break;
    case MS_ERR_SEND_AUTH_MECH:
        n = MS_PROBE_AUTH_MECH;
        break;
    default:
        n = MS_PROBE_REPLY;
        break;
    }
    if (expired && (n == MS_PROBE_TLS || n == MS_PROBE_CERT_UNTRUSTED))
        n = MS_PROBE_CERT_EXPIRED;
    /* OpenSSL's words (the host build) for a certificate of another name */
    if (strstr(text, "no alternative certificate subject name") ||
        strstr(text, "subject name does not match"))
        n = MS_PROBE_CERT_NAME;
    add(r, ix, lv, n, "%s (%s)", where, text[0] ? text : ms_code_helpdesk(s));
}

void probe_evaluate(const probe_target *t, size_t ix, const probe_obs *o, long long now,
                    probe_report *r)
{
    char where[300];
    snprintf(where, sizeof where, "%s:%u%s%s%s", t->host, t->port, o->addr[0] ? " [" : "", o->addr,
             o->addr[0] ? "]" : "");
    bool ok = o->curl_code == 0;
    if (!ok && !o->got_greeting) {
        failure_findings(t, ix, o, r, where);
        return;
    }
    if (t->role == PROBE_PORT25) {
        add(r, ix, PROBE_INFO, MS_PROBE_PORT25_OPEN, "%s: %s", where, o->greeting);
        return;
    }
    add(r, ix, PROBE_OK, MS_PROBE_CONNECTED, "%s %s: %s", where, sec_name(t->security),
        o->greeting);
    if (t->proto == PROBE_SMTP) {
        const smtplog *l = &o->smtp;
        bool offered = l->starttls_offered || o->starttls_sent;
        if (t->security == MS_SEC_STARTTLS || (t->security == MS_SEC_NONE && offered))
            add(r, ix, offered ? PROBE_OK : PROBE_FAIL,
                offered ? MS_PROBE_STARTTLS : MS_PROBE_NO_STARTTLS, "%s", where);
        else if (t->security == MS_SEC_NONE)
            add(r, ix, PROBE_INFO, MS_PROBE_NO_STARTTLS, "%s", where);
        if (!ok) {
            failure_findings(t, ix, o, r, where);
            return;
        }
        cert_findings(t, ix, o, now, r, where);
        if (!l->auth_offered) {
            add(r, ix, PROBE_FAIL, MS_PROBE_NO_AUTH, "%s", where);
        } else {
            add(r, ix, PROBE_OK, MS_PROBE_AUTH, "%s",
                l->auth_mechanisms[0] ? l->auth_mechanisms : "-");
            if (!has_password_mech(l->auth_mechanisms))
                add(r, ix, PROBE_FAIL, MS_PROBE_AUTH_MECH, "%s: %s", where, l->auth_mechanisms);
            if (t->security == MS_SEC_NONE)
                add(r, ix, PROBE_WARN, MS_PROBE_PLAIN_AUTH, "%s", where);
        }
    } else {
        if (o->caps[0])
            add(r, ix, PROBE_INFO, MS_PROBE_CAPS, "%s: %s", where, o->caps);
        bool offered = o->caps_starttls || o->starttls_sent;
        if (t->security == MS_SEC_STARTTLS || offered)
            add(r, ix, offered ? PROBE_OK : PROBE_FAIL,
                offered ? MS_PROBE_STARTTLS : MS_PROBE_NO_STARTTLS, "%s", where);
        if (!ok) {
            failure_findings(t, ix, o, r, where);
            return;
        }
        cert_findings(t, ix, o, now, r, where);
        if (o->caps_sasl)
            add(r, ix, PROBE_OK, MS_PROBE_AUTH, "%s", o->sasl);
    }
    if (o->login_tried && o->login_ok)
        add(r, ix, PROBE_OK, MS_PROBE_LOGIN_OK, "%s", where);
}

/* The finding of a failed attempt that says most about its TLS. */
static tlsup_seen seen_of(ms_code n)
{
    switch (n) {
    case MS_PROBE_CERT_NAME:
        return TLSUP_CERT_NAME;
    case MS_PROBE_CERT_UNTRUSTED:
    case MS_PROBE_CERT_EXPIRED:
        return TLSUP_CERT_UNTRUSTED;
    case MS_PROBE_NO_STARTTLS:
        return TLSUP_NO_TLS;
    default:
        return TLSUP_NOT_CHECKED;
    }
}

/* A certificate problem says more than a missing STARTTLS. */
static int seen_rank(tlsup_seen s)
{
    return s == TLSUP_CERT_NAME ? 3 : s == TLSUP_CERT_UNTRUSTED ? 2 : s == TLSUP_NO_TLS ? 1 : 0;
}

tlsup_seen probe_tls_seen(const probe_target *t, const probe_obs *o, char *detail, size_t size)
{
    copy_str(detail, size, o->curl_text, strlen(o->curl_text));
    if (o->curl_code == 0)
        return o->tls ? TLSUP_VERIFIED : TLSUP_NO_TLS;
    probe_report r = {0};
    probe_evaluate(t, 0, o, 0, &r);
    tlsup_seen best = TLSUP_NOT_CHECKED;
    for (size_t i = 0; i < r.count; i++) {
        tlsup_seen s = r.items[i].level == PROBE_FAIL ? seen_of(r.items[i].what.code)
                                                      : TLSUP_NOT_CHECKED;
        if (seen_rank(s) > seen_rank(best))
            best = s;
    }
    probe_report_free(&r);
    return best;
}

/* -------------------------------------------------------------------- verb */

/* --resolve and --ca-file send the probe elsewhere and trust another CA:
 * the Linux engineer's tool and the test-hook exe have them; the exe an ISP
 * signs does not even hold their names (docs/security.md, "No test
 * switches in what ships"). This file is compiled into each program, not
 * into ms_core, for that reason. */
#if defined(_WIN32) && !defined(MS_TEST_HOOKS)
#define PROBE_REDIRECT 0
#define PROBE_USAGE_REDIRECT ""
#else
#define PROBE_REDIRECT 1
#define PROBE_USAGE_REDIRECT "[--resolve HOST:PORT:ADDR]... [--ca-file PEM] "
#endif
#define PROBE_USAGE                                                                                \
    "probe PROFILE " PROBE_USAGE_REDIRECT "[--json] [--user NAME --password-stdin] [--timeout S] " \
    "[--no-port25]"

static int usage(const ms_cli *cli, const char *what)
{
    ms_error err;
    ms_fail(&err, MS_ERR_USAGE, "%s (mailsetup " PROBE_USAGE ")", what);
    ms_print_error(cli, &err);
    return MS_EXIT_USAGE;
}

static const char *level_name(probe_level l)
{
    static const char *const n[] = {"ok", "info", "warn", "fail"};
    return n[l];
}

static const char *role_name(probe_role r)
{
    return r == PROBE_OUTGOING ? "outgoing" : r == PROBE_INCOMING ? "incoming" : "port25";
}

static const char *proto_name(probe_proto p)
{
    return p == PROBE_SMTP ? "smtp" : p == PROBE_POP3 ? "pop3" : "imap";
}

static void print_text(const ms_cli *cli, const probe_target *t, size_t nt, const probe_report *r,
                       bool no_incoming, bool passed)
{
    bool ja = cli->lang == MS_LANG_JA;
    static const char *const lv_ja[] = {"OK  ", "情報", "注意", "失敗"};
    static const char *const lv_en[] = {"OK  ", "INFO", "WARN", "FAIL"};
    char buf[1024];
    for (size_t i = 0; i < nt; i++) {
        const char *role = t[i].role == PROBE_OUTGOING ? (ja ? "送信メールサーバー" : "outgoing")
                           : t[i].role == PROBE_INCOMING
                               ? (ja ? "受信メールサーバー" : "incoming")
                               : (ja ? "25 番ポート（参考）" : "port 25 (information)");
        ms_out("%s %s:%u (%s, %s)\n", role, t[i].host, t[i].port, proto_name(t[i].proto),
               sec_name(t[i].security));
        for (size_t k = 0; k < r->count; k++) {
            if (r->items[k].target != i)
                continue;
            ms_error_format(&r->items[k].what, cli->lang, buf, sizeof buf);
            ms_out("  [%s] %s %s\n", ms_code_helpdesk(r->items[k].what.code),
                   (ja ? lv_ja : lv_en)[r->items[k].level], buf);
        }
    }
    if (no_incoming) {
        ms_error e;
        ms_fail(&e, MS_PROBE_NO_INCOMING, "%s", "$.incoming.host");
        ms_out("[%s] %s\n", ms_code_helpdesk(e.code),
               ms_error_format(&e, cli->lang, buf, sizeof buf));
    }
    ms_out("%s\n", passed ? (ja ? "結果: このプロファイルの設定で送信できます。"
                                : "Result: the profile's settings work.")
                          : (ja ? "結果: このプロファイルの設定では送信・受信できない点があります。"
                                : "Result: the profile's settings would not work."));
}

static void print_json(const ms_cli *cli, const char *profile_id, const probe_target *t, size_t nt,
                       const probe_report *r, bool no_incoming, bool passed)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "profile", profile_id);
    cJSON_AddBoolToObject(root, "passed", passed);
    cJSON *servers = cJSON_AddArrayToObject(root, "servers");
    char buf[1024];
    for (size_t i = 0; i < nt; i++) {
        cJSON *s = cJSON_CreateObject();
        cJSON_AddStringToObject(s, "role", role_name(t[i].role));
        cJSON_AddStringToObject(s, "protocol", proto_name(t[i].proto));
        cJSON_AddStringToObject(s, "host", t[i].host);
        cJSON_AddNumberToObject(s, "port", t[i].port);
        cJSON_AddStringToObject(s, "security",
                                t[i].security == MS_SEC_SSL        ? "ssl"
                                : t[i].security == MS_SEC_STARTTLS ? "starttls"
                                                                   : "none");
        cJSON *fs = cJSON_AddArrayToObject(s, "findings");
        for (size_t k = 0; k < r->count; k++) {
            if (r->items[k].target != i)
                continue;
            cJSON *f = cJSON_CreateObject();
            cJSON_AddStringToObject(f, "code", ms_code_helpdesk(r->items[k].what.code));
            cJSON_AddStringToObject(f, "level", level_name(r->items[k].level));
            cJSON_AddStringToObject(f, "detail", r->items[k].what.detail);
            cJSON_AddStringToObject(
                f, "ja", ms_error_format(&r->items[k].what, MS_LANG_JA, buf, sizeof buf));
            cJSON_AddStringToObject(
                f, "en", ms_error_format(&r->items[k].what, MS_LANG_EN, buf, sizeof buf));
            cJSON_AddItemToArray(fs, f);
        }
        cJSON_AddItemToArray(servers, s);
    }
    if (no_incoming) {
        ms_error e;
        ms_fail(&e, MS_PROBE_NO_INCOMING, "%s", "$.incoming.host");
        cJSON *f = cJSON_AddObjectToObject(root, "incoming_not_checked");
        cJSON_AddStringToObject(f, "code", ms_code_helpdesk(e.code));
        cJSON_AddStringToObject(f, "ja", ms_error_format(&e, MS_LANG_JA, buf, sizeof buf));
        cJSON_AddStringToObject(f, "en", ms_error_format(&e, MS_LANG_EN, buf, sizeof buf));
    }
    char *text = cJSON_Print(root);
    if (text) {
        ms_out("%s\n", text);
        cJSON_free(text);
    } else {
        ms_error e;
        ms_fail(&e, MS_ERR_NOMEM, NULL);
        ms_print_error(cli, &e);
    }
    cJSON_Delete(root);
}

/* "HOST:PORT:ADDR" with a port of 1-65535 and something after it. */
#if PROBE_REDIRECT
static bool valid_resolve(const char *s)
{
    const char *c1 = strchr(s, ':');
    if (!c1 || c1 == s)
        return false;
    char *end;
    long port = strtol(c1 + 1, &end, 10);
    return end != c1 + 1 && *end == ':' && end[1] && port >= 1 && port <= 65535;
}
#endif

/* The verb's options. */
struct probe_args {
    const char *path, *ca_file, *user;
    const char *resolve[32];
    size_t n_resolve;
    bool json, pw_stdin, port25;
    long timeout;
};

/* --resolve and --ca-file where they exist: 1 taken (i advanced), 0 not
 * one of them, -1 a bad value. */
static int redirect_arg(struct probe_args *pa, int argc, char **argv, int *i)
{
#if PROBE_REDIRECT
    const char *a = argv[*i];
    bool more = *i + 1 < argc;
    if (strcmp(a, "--resolve") == 0 && more) {
        if (pa->n_resolve == sizeof pa->resolve / sizeof pa->resolve[0] ||
            !valid_resolve(argv[*i + 1]))
            return -1;
        pa->resolve[pa->n_resolve++] = argv[++*i];
        return 1;
    }
    if (strcmp(a, "--ca-file") == 0 && more) {
        pa->ca_file = argv[++*i];
        return 1;
    }
#else
    (void)pa, (void)argc, (void)argv, (void)i;
#endif
    return 0;
}

/* Reads argv into pa; on a usage error returns the word to name (else NULL). */
static const char *parse_args(struct probe_args *pa, int argc, char **argv)
{
    memset(pa, 0, sizeof *pa);
    pa->port25 = true;
    pa->timeout = 10;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool more = i + 1 < argc;
        int r = redirect_arg(pa, argc, argv, &i);
        if (r < 0)
            return argv[i + 1];
        if (r > 0)
            continue;
        if (strcmp(a, "--user") == 0 && more) {
            pa->user = argv[++i];
        } else if (strcmp(a, "--timeout") == 0 && more) {
            char *end;
            pa->timeout = strtol(argv[++i], &end, 10);
            if (*end || pa->timeout < 1 || pa->timeout > 600)
                return argv[i];
        } else if (strcmp(a, "--json") == 0) {
            pa->json = true;
        } else if (strcmp(a, "--password-stdin") == 0) {
            pa->pw_stdin = true;
        } else if (strcmp(a, "--no-port25") == 0) {
            pa->port25 = false;
        } else if (strcmp(a, "--password") == 0) {
            return "--password: use --password-stdin";
        } else if ((a[0] == '-' && a[1]) || pa->path) {
            return a;
        } else {
            pa->path = a;
        }
    }
    return NULL;
}

/* Each target asked and judged; MS_EXIT_OK unless the network layer
 * itself failed somewhere. */
static int probe_all(const ms_cli *cli, const probe_target *t, size_t nt,
                     const probe_net_opts *no, probe_report *r)
{
    long long now = (long long)time(NULL);
    int rc = MS_EXIT_OK;
    for (size_t i = 0; i < nt; i++) {
        probe_obs o;
        probe_obs_init(&o, &t[i], no->password);
        ms_error e;
        /* port 25 is looked at without logging on */
        probe_net_opts one = *no;
        if (t[i].role == PROBE_PORT25)
            one.user = one.password = NULL;
        if (probe_net_run(&t[i], &one, &o, &e) != MS_OK) {
            ms_print_error(cli, &e);
            rc = MS_EXIT_FAILURE;
        } else {
            probe_evaluate(&t[i], i, &o, now, r);
        }
        probe_obs_free(&o);
    }
    return rc;
}

/* The profile, or the exit code that says why not. */
static int load_profile(const ms_cli *cli, const char *path, profile **p)
{
    profile_errors errs;
    profile_errors_init(&errs);
    ms_code lr = profile_load_file(path, p, &errs);
    if (lr != MS_OK)
        profile_print_errors(path, &errs, lr, cli->lang);
    profile_errors_free(&errs);
    if (lr == MS_OK)
        return MS_EXIT_OK;
    return lr == MS_ERR_IO_READ || lr == MS_ERR_NOMEM ? MS_EXIT_FAILURE : MS_EXIT_PROFILE;
}

static int probe_run(ms_cli *cli, int argc, char **argv)
{
    struct probe_args pa;
    const char *bad = parse_args(&pa, argc, argv);
    if (bad)
        return usage(cli, bad);
    if (!pa.path)
        pa.path = cli->profile_path;
    if (!pa.path)
        return usage(cli, "PROFILE");
    if ((pa.user != NULL) != pa.pw_stdin)
        return usage(cli, "--user NAME --password-stdin");
    ms_error e;
    if (pa.ca_file && !ms_file_exists(pa.ca_file)) {
        ms_fail(&e, MS_ERR_SEND_CA_FILE, "%s", pa.ca_file);
        ms_print_error(cli, &e);
        return MS_EXIT_USAGE;
    }
    profile *p = NULL;
    int rc = load_profile(cli, pa.path, &p);
    if (rc != MS_EXIT_OK)
        return rc;
    strbuf pw;
    strbuf_init(&pw);
    if (pa.pw_stdin && (probe_read_password(&pw, &e) != MS_OK || pw.len == 0)) {
        if (pw.len == 0)
            ms_fail(&e, MS_ERR_SEND_NO_PASSWORD, "%s", "--password-stdin");
        ms_print_error(cli, &e);
        rc = MS_EXIT_USAGE;
        goto out;
    }
    probe_target t[PROBE_MAX_TARGETS];
    bool no_incoming = false;
    size_t nt = probe_targets(p, pa.port25, t, PROBE_MAX_TARGETS, &no_incoming);
    probe_net_opts no = {pa.resolve, pa.n_resolve,  pa.ca_file,
                         pa.user,    pa.pw_stdin ? pw.buf : NULL, pa.timeout};
    probe_report r = {0};
    rc = probe_all(cli, t, nt, &no, &r);
    strbuf_wipe(&pw); /* the password's last copy in this process */
    bool passed = rc == MS_EXIT_OK && probe_passed(&r);
    if (pa.json)
        print_json(cli, p->id, t, nt, &r, no_incoming, passed);
    else
        print_text(cli, t, nt, &r, no_incoming, passed);
    probe_report_free(&r);
    rc = passed ? MS_EXIT_OK : MS_EXIT_FAILURE;
out:
    strbuf_wipe(&pw);
    profile_free(p);
    return rc;
}

const ms_cli_verb probe_verb = {
    "probe",
    PROBE_USAGE,
    "プロファイルのサーバーに実際に接続して、設定どおりに使えるか確かめます（ISP の技術者向け）",
    "connect to the profile's servers and check they work as the profile says (for ISP engineers)",
    probe_run,
};
