/* tlsup: outgoing.tls_upgrade, decided per server and set on the plan;
 * see tlsup.h. */
#include "tlsup.h"

#include <string.h>

#include "backend.h"

/* How telling a reason is: the higher wins when neither attempt proved TLS
 * (a certificate problem says more than a closed port 465). */
static int weight(tlsup_seen s)
{
    switch (s) {
    case TLSUP_CERT_NAME:
        return 4;
    case TLSUP_CERT_UNTRUSTED:
        return 3;
    case TLSUP_NO_TLS:
        return 2;
    default:
        return 1;
    }
}

static ms_code reason_code(tlsup_seen s)
{
    switch (s) {
    case TLSUP_VERIFIED:
        return MS_INFO_TLS_UPGRADED;
    case TLSUP_NO_TLS:
        return MS_INFO_TLS_NO_STARTTLS;
    case TLSUP_CERT_NAME:
        return MS_INFO_TLS_CERT_NAME;
    case TLSUP_CERT_UNTRUSTED:
        return MS_INFO_TLS_CERT_UNTRUSTED;
    case TLSUP_NOT_CHECKED:
        break;
    }
    return MS_INFO_TLS_NOT_CHECKED;
}

void tlsup_decide(const char *host, unsigned port, const tlsup_attempt *starttls,
                  const tlsup_attempt *ssl, tlsup_decision *d)
{
    memset(d, 0, sizeof *d);
    if (starttls->seen == TLSUP_VERIFIED || (ssl && ssl->seen == TLSUP_VERIFIED)) {
        bool st = starttls->seen == TLSUP_VERIFIED;
        d->upgrade = true;
        d->sec = st ? MS_SEC_STARTTLS : MS_SEC_SSL;
        d->port = st ? port : TLSUP_SSL_PORT;
        ms_fail(&d->why, MS_INFO_TLS_UPGRADED, "%s:%u %s", host, d->port,
                st ? "STARTTLS" : "SSL/TLS");
        return;
    }
    const tlsup_attempt *a = starttls;
    unsigned at = port;
    if (ssl && weight(ssl->seen) > weight(starttls->seen)) {
        a = ssl;
        at = TLSUP_SSL_PORT;
    }
    ms_fail(&d->why, reason_code(a->seen), "%s:%u: %s", host, at, a->detail[0] ? a->detail : "-");
}

/* The value the item gives field f: its change's, else the account's. */
static const ms_change *change_of(const plan_item *it, ms_field f)
{
    for (size_t i = 0; i < it->n_changes; i++)
        if (it->changes[i].field == f)
            return &it->changes[i];
    return NULL;
}

bool tlsup_wanted(const profile *p, const plan_item *it)
{
    if (p->outgoing.tls_upgrade != PROFILE_TLS_UPGRADE_WHEN_VERIFIED)
        return false;
    if (it->status != PLAN_CHANGE && it->status != PLAN_ADD_ACCOUNT)
        return false;
    if (it->security_note != PLAN_SEC_AS_PROFILE)
        return false;
    const ms_change *c = change_of(it, MS_F_SMTP_SECURITY);
    ms_security sec = c ? (ms_security)c->to.num : it->account->smtp_security;
    return sec == MS_SEC_NONE;
}

/* Can the account's program hold security sec on port? */
static bool program_can_hold(const plan_item *it, ms_security sec, unsigned port)
{
    const ms_account *a = it->account;
    const ms_backend *be = backend_for(a->program);
    ms_change cs = {MS_F_SMTP_SECURITY, {NULL, (unsigned)a->smtp_security}, {NULL, (unsigned)sec}};
    ms_change cp = {MS_F_SMTP_PORT, {NULL, a->smtp_port}, {NULL, port}};
    return backend_can_change(be, a, &cs) &&
           (a->smtp_port == port || backend_can_change(be, a, &cp));
}

/* One server asked once: STARTTLS on its port, then SSL on 465. */
static ms_code ask(const char *host, unsigned port, tlsup_probe_fn probe, void *ctx,
                   tlsup_decision *d, ms_error *err)
{
    tlsup_attempt st, ssl;
    memset(&st, 0, sizeof st);
    memset(&ssl, 0, sizeof ssl);
    ms_code rc = probe(host, port, MS_SEC_STARTTLS, ctx, &st);
    bool try_ssl = rc == MS_OK && st.seen != TLSUP_VERIFIED && port != TLSUP_SSL_PORT;
    if (try_ssl)
        rc = probe(host, TLSUP_SSL_PORT, MS_SEC_SSL, ctx, &ssl);
    if (rc != MS_OK)
        return ms_fail(err, rc, "%s:%u", host, port);
    tlsup_decide(host, port, &st, try_ssl ? &ssl : NULL, d);
    return MS_OK;
}

#define TLSUP_CACHE 16

struct cache {
    struct {
        const char *host;
        unsigned port;
        tlsup_decision d;
    } e[TLSUP_CACHE];
    size_t n;
};

/* The decision for host:port, asked at most once per run. */
static ms_code decision_for(struct cache *c, const char *host, unsigned port,
                            tlsup_probe_fn probe, void *ctx, size_t *n_probed,
                            tlsup_decision *d, ms_error *err)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->e[i].port == port && ms_strcasecmp(c->e[i].host, host) == 0) {
            *d = c->e[i].d;
            return MS_OK;
        }
    ms_code rc = ask(host, port, probe, ctx, d, err);
    if (rc != MS_OK)
        return rc;
    if (n_probed)
        (*n_probed)++;
    if (c->n < TLSUP_CACHE) {
        c->e[c->n].host = host;
        c->e[c->n].port = port;
        c->e[c->n++].d = *d;
    }
    return MS_OK;
}

/* One item: its program, then its server's verdict, onto the item. */
static ms_code upgrade_item(struct cache *c, plan_item *it, tlsup_probe_fn probe, void *ctx,
                            size_t *n_probed, ms_error *err)
{
    const ms_change *h = change_of(it, MS_F_SMTP_HOST);
    const ms_change *pc = change_of(it, MS_F_SMTP_PORT);
    const char *host = h ? h->to.str : it->account->smtp_host;
    unsigned port = pc ? pc->to.num : it->account->smtp_port;
    if (!host || !*host || !port)
        return MS_OK;
    if (!program_can_hold(it, MS_SEC_STARTTLS, port) &&
        !program_can_hold(it, MS_SEC_SSL, TLSUP_SSL_PORT)) {
        it->security_note = PLAN_SEC_NOT_UPGRADED;
        ms_fail(&it->tls_upgrade, MS_INFO_TLS_PROGRAM, "%s:%u", host, port);
        return MS_OK;
    }
    tlsup_decision d;
    ms_code rc = decision_for(c, host, port, probe, ctx, n_probed, &d, err);
    if (rc != MS_OK)
        return rc;
    if (d.upgrade && !program_can_hold(it, d.sec, d.port)) {
        it->security_note = PLAN_SEC_NOT_UPGRADED;
        ms_fail(&it->tls_upgrade, MS_INFO_TLS_PROGRAM, "%s:%u", host, d.port);
        return MS_OK;
    }
    if (d.upgrade) {
        rc = plan_set_smtp_security(it, d.sec, d.port, err);
        if (rc != MS_OK)
            return rc;
    }
    it->security_note = d.upgrade ? PLAN_SEC_UPGRADED : PLAN_SEC_NOT_UPGRADED;
    it->tls_upgrade = d.why;
    return MS_OK;
}

ms_code tlsup_plan(ms_plan *plan, const profile *p, const bool *selected, tlsup_probe_fn probe,
                   void *ctx, size_t *n_probed, ms_error *err)
{
    struct cache c;
    c.n = 0;
    if (n_probed)
        *n_probed = 0;
    for (size_t i = 0; i < plan->count; i++) {
        plan_item *it = &plan->items[i];
        if ((selected && !selected[i]) || !tlsup_wanted(p, it))
            continue;
        ms_code rc = upgrade_item(&c, it, probe, ctx, n_probed, err);
        if (rc != MS_OK)
            return rc;
    }
    return MS_OK;
}
