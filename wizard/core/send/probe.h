/* probe: `mailsetup probe PROFILE`, the ISP engineer's check, before a
 * profile ships, that its servers answer as the profile says: for each
 * outgoing server and port - resolve, connect, EHLO, AUTH mechanisms,
 * STARTTLS, the certificate (chain, expiry, name) or implicit TLS; for the
 * incoming server - banner and capabilities (STLS/STARTTLS, SASL); port 25
 * as information; optionally a real log-on (--user, --password-stdin).
 *
 * The split: the platform's network layer (wizard/net/probe_curl.c, libcurl)
 * connects and records what it saw in a probe_obs, feeding the dialogue
 * through probe_feed(); everything else - which servers, what the dialogue
 * means, the findings, pass or fail, the text and JSON - is here, portable
 * and testable. A password is never logged, printed or kept: the transcript
 * is redacted (smtplog) and the password buffer is wiped by the verb. */
#ifndef MS_PROBE_H
#define MS_PROBE_H

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"
#include "diagnose.h"
#include "error.h"
#include "profile.h"
#include "smtplog.h"
#include "strbuf.h"
#include "tlsup.h"

typedef enum probe_proto { PROBE_SMTP = 0, PROBE_POP3, PROBE_IMAP } probe_proto;

typedef enum probe_role {
    PROBE_OUTGOING = 0, /* a server the profile sends through */
    PROBE_INCOMING,     /* the profile's incoming server */
    PROBE_PORT25,       /* an outgoing server on port 25: information only */
} probe_role;

/* One server and port to look at, as the profile means it. */
typedef struct probe_target {
    probe_role role;
    probe_proto proto;
    const char *host; /* borrowed from the profile */
    unsigned port;
    int security;       /* ms_security; for port 25 always none */
    bool security_kept; /* incoming security not in the profile: not judged */
} probe_target;

#define PROBE_MAX_TARGETS 16

/* The servers of a profile: each distinct outgoing target host (host,
 * host_map targets, or the ISP's only listed host) with outgoing.port and
 * security, each alternative with its own port, the incoming target, and
 * port 25 of each outgoing host (unless !port25). Returns the count;
 * *no_incoming is set when the profile names no incoming server. */
size_t probe_targets(const profile *p, bool port25, probe_target *out, size_t max,
                     bool *no_incoming);

/* What the network layer saw for one target. */
typedef struct probe_obs {
    int curl_code;       /* CURLcode of the attempt (0 ok) */
    char curl_text[256]; /* libcurl's error text (redacted) */
    char addr[64];       /* the address connected to */
    char greeting[256];  /* the server's first line */
    bool got_greeting;
    bool tls;               /* the session ended up encrypted */
    char cert_subject[256]; /* the server certificate, when TLS was verified */
    char cert_issuer[256];
    char cert_expire[64]; /* as the TLS library gives it, e.g. "Dec  4 23:00:00 2027 GMT" */
    bool login_tried, login_ok;
    /* SMTP: the dialogue as smtplog follows it (stage, reply, EHLO offers) */
    smtplog smtp;
    /* POP3 / IMAP: the capabilities last listed (CAPA / CAPABILITY), the
     * STLS/STARTTLS and SASL offers in them */
    char caps[512];
    bool caps_starttls, caps_sasl;
    char sasl[128];
    bool in_capa;       /* inside a POP3 CAPA listing */
    bool in_auth;       /* inside a SASL exchange: client lines are secret */
    bool login_sent;    /* a log-on command (PASS, LOGIN, AUTH) went out */
    bool starttls_sent; /* STARTTLS / STLS went out (libcurl sends it only when offered) */
    strbuf transcript;  /* POP3/IMAP lines seen ("< ", "> "), redacted */
    const char *secret; /* borrowed: scrubbed from every line */
} probe_obs;

void probe_obs_init(probe_obs *o, const probe_target *t, const char *secret);
void probe_obs_free(probe_obs *o);
/* One piece of the dialogue (SMTPLOG_IN / OUT / INFO), as libcurl reports it. */
void probe_feed(probe_obs *o, const probe_target *t, smtplog_kind kind, const char *data,
                size_t len);

/* The network layer, supplied by the platform (wizard/net/probe_curl.c).
 * resolve: curl-style "HOST:PORT:ADDR" entries; ca_file may be NULL (the
 * system's trust); user/password NULL: no log-on. */
typedef struct probe_net_opts {
    const char *const *resolve;
    size_t n_resolve;
    const char *ca_file;
    const char *user;
    const char *password;
    long timeout_s;
} probe_net_opts;
ms_code probe_net_run(const probe_target *t, const probe_net_opts *o, probe_obs *obs,
                      ms_error *err);

/* The first line of standard input (line end stripped) into pw, read
 * without a stdio buffer (no copy left behind); the platform's. */
ms_code probe_read_password(strbuf *pw, ms_error *err);

typedef enum probe_level {
    PROBE_OK = 0, /* as the profile needs it */
    PROBE_INFO,   /* worth knowing; does not decide */
    PROBE_WARN,   /* works, but should be looked at */
    PROBE_FAIL,   /* the profile's settings would not work */
} probe_level;

typedef struct probe_finding {
    size_t target; /* index into the targets */
    probe_level level;
    ms_error what; /* the N-code and its detail */
} probe_finding;

typedef struct probe_report {
    probe_finding *items;
    size_t count, cap;
} probe_report;

void probe_report_free(probe_report *r);

/* Turns what was seen at t into findings. now: seconds since 1970 (for
 * the certificate's remaining days). */
void probe_evaluate(const probe_target *t, size_t index, const probe_obs *o, long long now,
                    probe_report *r);

/* What an attempt at t (an outgoing server with STARTTLS or SSL, no
 * log-on) showed, for outgoing.tls_upgrade (tlsup.h): verified, no TLS
 * offered, a certificate of another name or of an untrusted issuer, or
 * nothing to tell (refused, no answer, TLS failed); the words of the
 * network layer go to detail. */
tlsup_seen probe_tls_seen(const probe_target *t, const probe_obs *o, char *detail, size_t size);

/* True when no finding fails. */
bool probe_passed(const probe_report *r);

/* The verb `probe PROFILE [options]` (docs/cli.md); a platform verb, since
 * it needs the network layer. */
extern const ms_cli_verb probe_verb;

#endif
