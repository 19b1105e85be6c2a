/* tlsup_net: tls_upgrade's probe on libcurl; see tlsup_net.h. */
#include "tlsup_net.h"

#include <stdlib.h>
#include <string.h>

#include "platform.h"
#include "probe.h"
#include "strbuf.h"

#if defined(_WIN32) && !defined(MS_TEST_HOOKS)
#define TLSUP_TEST_ENV 0
#else
#define TLSUP_TEST_ENV 1
#endif

#define TLSUP_TIMEOUT_S 10
#define TLSUP_MAX_RESOLVE 8

/* One attempt: STARTTLS or SSL to host:port, no user, no password. */
static ms_code net_probe(const char *host, unsigned port, ms_security sec, void *ctx,
                         tlsup_attempt *out)
{
    const probe_net_opts *opts = ctx;
    probe_target t = {PROBE_OUTGOING, PROBE_SMTP, host, port, (int)sec, false};
    probe_obs obs;
    probe_obs_init(&obs, &t, NULL);
    ms_error e;
    ms_code rc = probe_net_run(&t, opts, &obs, &e);
    if (rc == MS_OK)
        out->seen = probe_tls_seen(&t, &obs, out->detail, sizeof out->detail);
    probe_obs_free(&obs);
    return rc;
}

/* The test hooks' environment into opts; env holds the strings. */
static ms_code test_env(probe_net_opts *opts, strbuf *ca, strbuf *res, const char **resolve,
                        ms_error *err)
{
#if TLSUP_TEST_ENV
    ms_error ignored;
    if (ms_getenv("MAILSETUP_TEST_CA_FILE", ca, &ignored) == MS_OK && ca->len)
        opts->ca_file = ca->buf;
    if (ms_getenv("MAILSETUP_TEST_RESOLVE", res, &ignored) == MS_OK && res->len) {
        size_t n = 0;
        for (char *s = res->buf; s && *s && n < TLSUP_MAX_RESOLVE;) {
            char *semi = strchr(s, ';');
            if (semi)
                *semi = '\0';
            resolve[n++] = s;
            s = semi ? semi + 1 : NULL;
        }
        opts->resolve = resolve;
        opts->n_resolve = n;
    }
    if (ca->oom || res->oom)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
#else
    (void)opts, (void)ca, (void)res, (void)resolve, (void)err;
#endif
    return MS_OK;
}

bool tlsup_net_wanted(const ms_plan *plan, const profile *p, const bool *selected)
{
    for (size_t i = 0; i < plan->count; i++)
        if ((!selected || selected[i]) && tlsup_wanted(p, &plan->items[i]))
            return true;
    return false;
}

ms_code tlsup_net_plan(ms_plan *plan, const profile *p, const bool *selected, ms_error *err)
{
    if (!tlsup_net_wanted(plan, p, selected))
        return MS_OK;
    strbuf ca, res;
    strbuf_init(&ca);
    strbuf_init(&res);
    const char *resolve[TLSUP_MAX_RESOLVE];
    probe_net_opts opts = {NULL, 0, NULL, NULL, NULL, TLSUP_TIMEOUT_S};
    ms_code rc = test_env(&opts, &ca, &res, resolve, err);
    if (rc != MS_OK)
        goto out;
    rc = tlsup_plan(plan, p, selected, net_probe, &opts, NULL, err);
out:
    strbuf_free(&ca);
    strbuf_free(&res);
    return rc;
}
