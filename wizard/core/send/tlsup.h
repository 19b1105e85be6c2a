/* tlsup: outgoing.tls_upgrade ("when_verified"). Before apply, the wizard
 * asks each account's new outgoing server whether it proves TLS: STARTTLS
 * on the account's port, else implicit TLS on 465, each with a certificate
 * valid for that host name under the system's trust (never an 'insecure'
 * switch). Proved: the plan item is set to that security and port
 * (PLAN_SEC_UPGRADED, T09). Not proved: the profile's setting stays and the
 * item says why (PLAN_SEC_NOT_UPGRADED, T10-T14). The test send and the
 * pre-flight check then use the plan's settings, so they use exactly what
 * the account will use. docs/security.md, "Clear text, decided and said".
 *
 * Portable: the connection itself is the platform's (tlsup_probe_fn; the
 * programs use wizard/net/tlsup_net.c over the probe's libcurl layer). */
#ifndef MS_TLSUP_H
#define MS_TLSUP_H

#include <stdbool.h>
#include <stddef.h>

#include "account.h"
#include "error.h"
#include "plan.h"
#include "profile.h"

/* What one attempt (one port, one kind of TLS) showed. */
typedef enum tlsup_seen {
    TLSUP_VERIFIED = 0,   /* TLS set up, certificate verified for the host */
    TLSUP_NO_TLS,         /* the server answered without offering it */
    TLSUP_CERT_NAME,      /* the certificate is for another name */
    TLSUP_CERT_UNTRUSTED, /* the certificate's issuer is not trusted (self-signed, expired) */
    TLSUP_NOT_CHECKED,    /* no answer: refused, unreachable, timed out, TLS failed */
} tlsup_seen;

typedef struct tlsup_attempt {
    tlsup_seen seen;
    char detail[200]; /* what the network layer said, e.g. libcurl's words */
} tlsup_attempt;

/* The platform's probe: connects to host:port with sec (STARTTLS or SSL),
 * no log-on, certificate and host name verified. Returns MS_OK with *out
 * filled in (any outcome of the server's), or an error of its own (NOMEM). */
typedef ms_code (*tlsup_probe_fn)(const char *host, unsigned port, ms_security sec, void *ctx,
                                  tlsup_attempt *out);

/* The port implicit TLS is tried on when STARTTLS is not proved. */
#define TLSUP_SSL_PORT 465u

/* The verdict for one server. */
typedef struct tlsup_decision {
    bool upgrade;     /* set sec and port */
    ms_security sec;  /* MS_SEC_STARTTLS or MS_SEC_SSL */
    unsigned port;    /* the STARTTLS port or TLSUP_SSL_PORT */
    ms_error why;     /* T09 when upgraded, else T10-T13: "host:port: detail" */
} tlsup_decision;

/* Decides from the STARTTLS attempt on host:port and the implicit-TLS
 * attempt on 465 (ssl NULL: not made, because STARTTLS was proved).
 * Upgrade when either is verified (STARTTLS first); otherwise the reason
 * that says most: another name, an untrusted issuer, no TLS, not checked. */
void tlsup_decide(const char *host, unsigned port, const tlsup_attempt *starttls,
                  const tlsup_attempt *ssl, tlsup_decision *d);

/* Whether the profile's tls_upgrade applies to plan item it: the profile
 * asks for it, the item changes the account (or adds one) and leaves its
 * outgoing connection unencrypted as the profile says. */
bool tlsup_wanted(const profile *p, const plan_item *it);

/* For every selected item (selected NULL: all) tlsup_wanted names, asks
 * probe about its new outgoing server (once per host and port) and sets
 * the upgrade or the reason on the item. An item whose program cannot hold
 * the change keeps the profile's setting (T14), unprobed. Returns MS_OK,
 * or the first error of probe or of memory (items not yet reached stay as
 * the profile says). n_probed (may be NULL) counts the servers asked. */
MS_NODISCARD ms_code tlsup_plan(ms_plan *plan, const profile *p, const bool *selected,
                                tlsup_probe_fn probe, void *ctx, size_t *n_probed, ms_error *err);

#endif
