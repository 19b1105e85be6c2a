/* profile_rules: the rules between a profile's fields (P31-P51), checked
 * once its structure is right, so they never report on half-read values;
 * see profile.c and isp-profiles/README.md, "Rules between fields". */
#include <stdio.h>
#include <string.h>

#include "profile_int.h"


/* Ports whose standard service is implicit TLS. */
static bool tls_port(unsigned port)
{
    return port == 465 || port == 993 || port == 995;
}
/* Ports whose standard service is plain text (+ optional STARTTLS). */
static bool plain_port(unsigned port)
{
    return port == 25 || port == 587 || port == 110 || port == 143;
}

static bool security_port_clash(profile_security s, unsigned port)
{
    if (port == 0 || s == PROFILE_SEC_KEEP)
        return false;
    return (s == PROFILE_SEC_SSL && plain_port(port)) || (s != PROFILE_SEC_SSL && tls_port(port));
}

static void check_map(vctx *c, const char *section, const profile_host_map *map, size_t n)
{
    char path[128];
    for (size_t i = 0; i < n; i++) {
        if (profile_eq_nocase(map[i].from, map[i].to)) {
            snprintf(path, sizeof path, "$.%s.host_map[%zu].to", section, i);
            profile_report_at(c, MS_ERR_PROFILE_MAP_TO_SELF, path, NULL);
        }
        for (size_t j = 0; j < i; j++)
            if (profile_eq_nocase(map[i].from, map[j].from)) {
                snprintf(path, sizeof path, "$.%s.host_map[%zu].from", section, i);
                profile_report_at(c, MS_ERR_PROFILE_DUPLICATE_VALUE, path, NULL);
                break;
            }
    }
}

/* Placeholders a text may hold; `email` only in add_account.account_name. */
static const char *const placeholder_names[] = {
    "isp_name",      "incoming_host",     "outgoing_host",
    "outgoing_port", "alt_outgoing_host", "domain",
    "support_phone", "support_web",       NULL,
};

static bool placeholder_has_value(const profile *p, const char *name)
{
    if (strcmp(name, "incoming_host") == 0)
        return profile_incoming_target(p) != NULL;
    if (strcmp(name, "outgoing_host") == 0)
        return profile_outgoing_target(p) != NULL;
    if (strcmp(name, "alt_outgoing_host") == 0)
        return p->outgoing.n_alternatives > 0;
    if (strcmp(name, "domain") == 0)
        return p->n_domains > 0;
    if (strcmp(name, "support_phone") == 0)
        return p->support.phone != NULL;
    if (strcmp(name, "support_web") == 0)
        return p->support.web != NULL;
    return true; /* isp_name, outgoing_port: always there */
}

/* Each {name} in s must be known (and have a value); other braces are
 * plain text. */
static void check_placeholders(vctx *c, const profile *p, const char *s, const char *path,
                               bool allow_email)
{
    if (!s)
        return;
    for (const char *o = strchr(s, '{'); o; o = strchr(o + 1, '{')) {
        size_t n = 0;
        while ((o[1 + n] >= 'a' && o[1 + n] <= 'z') || o[1 + n] == '_')
            n++;
        if (n == 0 || o[1 + n] != '}' || n > 40)
            continue;
        char name[48];
        memcpy(name, o + 1, n);
        name[n] = '\0';
        bool known = allow_email && strcmp(name, "email") == 0;
        for (int i = 0; !known && placeholder_names[i]; i++)
            known = strcmp(placeholder_names[i], name) == 0;
        char extra[64];
        snprintf(extra, sizeof extra, "{%s}", name);
        if (!known)
            profile_report_at(c, MS_ERR_PROFILE_PLACEHOLDER, path, extra);
        else if (!placeholder_has_value(p, name))
            profile_report_at(c, MS_ERR_PROFILE_PLACEHOLDER_EMPTY, path, extra);
    }
}

static void check_text_placeholders(vctx *c, const profile *p, const profile_text *t,
                                    const char *path, bool allow_email)
{
    char full[200];
    snprintf(full, sizeof full, "%s.ja", path);
    check_placeholders(c, p, t->ja, full, allow_email);
    snprintf(full, sizeof full, "%s.en", path);
    check_placeholders(c, p, t->en, full, allow_email);
}

static void check_date_not_before(vctx *c, profile_date later, const char *later_path,
                                  profile_date earlier, const char *earlier_key)
{
    if (profile_date_is_set(later) && profile_date_is_set(earlier) &&
        profile_date_cmp(later, earlier) < 0) {
        char extra[64];
        snprintf(extra, sizeof extra, "< dates.%s", earlier_key);
        profile_report_at(c, MS_ERR_PROFILE_DATE_ORDER, later_path, extra);
    }
}

/* One alternative outgoing server: not a main or mapped host, not twice,
 * not port 25, security fits its port. */
static void check_alternative(vctx *c, const struct profile_outgoing *o, size_t i)
{
    char path[160];
    const profile_alt_outgoing *a = &o->alternatives[i];
    bool clash = profile_eq_nocase(a->host, o->host);
    for (size_t j = 0; j < o->n_host_map && !clash; j++)
        clash = profile_eq_nocase(a->host, o->host_map[j].from) ||
                profile_eq_nocase(a->host, o->host_map[j].to);
    if (clash) {
        snprintf(path, sizeof path, "$.outgoing.alternatives[%zu].host", i);
        profile_report_at(c, MS_ERR_PROFILE_ALT_CONFLICT, path, NULL);
    }
    for (size_t j = 0; j < i; j++) {
        if (strcmp(a->id, o->alternatives[j].id) == 0) {
            snprintf(path, sizeof path, "$.outgoing.alternatives[%zu].id", i);
            profile_report_at(c, MS_ERR_PROFILE_DUPLICATE_VALUE, path, NULL);
        }
        if (profile_eq_nocase(a->host, o->alternatives[j].host)) {
            snprintf(path, sizeof path, "$.outgoing.alternatives[%zu].host", i);
            profile_report_at(c, MS_ERR_PROFILE_DUPLICATE_VALUE, path, NULL);
        }
    }
    if (a->port == 25) {
        snprintf(path, sizeof path, "$.outgoing.alternatives[%zu].port", i);
        profile_report_at(c, MS_ERR_PROFILE_PORT_25, path, NULL);
    } else if (security_port_clash(o->security, a->port)) {
        snprintf(path, sizeof path, "$.outgoing.alternatives[%zu].port", i);
        profile_report_at(c, MS_ERR_PROFILE_SECURITY_PORT, path, NULL);
    }
}

static void check_outgoing(vctx *c, const profile *p)
{
    const struct profile_outgoing *o = &p->outgoing;
    if (o->port == 25)
        profile_report_at(c, MS_ERR_PROFILE_PORT_25, "$.outgoing.port", NULL);
    else if (security_port_clash(o->security, o->port))
        profile_report_at(c, MS_ERR_PROFILE_SECURITY_PORT, "$.outgoing.security", NULL);
    if (o->host && o->n_host_map && p->mode != PROFILE_MODE_ADD_ACCOUNT)
        profile_report_at(c, MS_ERR_PROFILE_HOST_AND_MAP, "$.outgoing.host_map", NULL);
    check_map(c, "outgoing", o->host_map, o->n_host_map);
    for (size_t i = 0; i < o->n_alternatives; i++)
        check_alternative(c, o, i);
    if (o->keep_pop_before_smtp && profile_date_is_set(p->dates.pop_before_smtp_end))
        profile_report_at(c, MS_ERR_PROFILE_POP_BEFORE_SMTP, "$.outgoing.keep_pop_before_smtp",
                          NULL);
    /* Encryption is turned off only on the ISP's explicit word. */
    if (o->server_offers_no_tls && o->security != PROFILE_SEC_NONE)
        profile_report_at(c, MS_ERR_PROFILE_NO_TLS_SECURITY, "$.outgoing.server_offers_no_tls",
                          NULL);
    /* An upgrade is asked only from no encryption, and not by an ISP that
     * states its server has none. */
    if (o->tls_upgrade == PROFILE_TLS_UPGRADE_WHEN_VERIFIED &&
        (o->security != PROFILE_SEC_NONE || o->server_offers_no_tls))
        profile_report_at(c, MS_ERR_PROFILE_TLS_UPGRADE, "$.outgoing.tls_upgrade", NULL);
}

/* incoming, and what the mode asks of both sections */
static void check_incoming_and_mode(vctx *c, const profile *p, const cJSON *root)
{
    const struct profile_incoming *in = &p->incoming;
    const struct profile_outgoing *o = &p->outgoing;
    bool add = p->mode == PROFILE_MODE_ADD_ACCOUNT;
    if (security_port_clash(in->security, in->port))
        profile_report_at(c, MS_ERR_PROFILE_SECURITY_PORT, "$.incoming.security", NULL);
    if (in->host && in->n_host_map && !add)
        profile_report_at(c, MS_ERR_PROFILE_HOST_AND_MAP, "$.incoming.host_map", NULL);
    check_map(c, "incoming", in->host_map, in->n_host_map);
    /* The new account of add_account gets host; a host_map there is one
     * error (not also "host and host_map" or "no host"). */
    if (add) {
        if (in->n_host_map)
            profile_report_at(c, MS_ERR_PROFILE_ADD_MAP, "$.incoming.host_map", NULL);
        else if (!in->host)
            profile_report_at(c, MS_ERR_PROFILE_ADD_NEEDS_HOST, "$.incoming.host", NULL);
        if (o->n_host_map)
            profile_report_at(c, MS_ERR_PROFILE_ADD_MAP, "$.outgoing.host_map", NULL);
        else if (!o->host)
            profile_report_at(c, MS_ERR_PROFILE_ADD_NEEDS_HOST, "$.outgoing.host", NULL);
    } else if (cJSON_GetObjectItemCaseSensitive(root, "add_account")) {
        profile_report_at(c, MS_ERR_PROFILE_ADD_ONLY, "$.add_account", NULL);
    }
}

/* The texts' placeholders and the manuals' programs. */
static void check_texts(vctx *c, const profile *p)
{
    char path[160];
    check_text_placeholders(c, p, &p->explanation, "$.explanation", false);
    check_text_placeholders(c, p, &p->add_account.account_name, "$.add_account.account_name",
                            true);
    for (size_t i = 0; i < p->n_manuals; i++) {
        const profile_manual *m = &p->manuals[i];
        for (size_t j = 0; j < i; j++)
            if (strcmp(m->program, p->manuals[j].program) == 0) {
                snprintf(path, sizeof path, "$.manuals[%zu].program", i);
                profile_report_at(c, MS_ERR_PROFILE_DUPLICATE_VALUE, path, NULL);
                break;
            }
        snprintf(path, sizeof path, "$.manuals[%zu].title", i);
        check_text_placeholders(c, p, &m->title, path, false);
        for (size_t k = 0; k < m->n_steps; k++) {
            snprintf(path, sizeof path, "$.manuals[%zu].steps[%zu]", i, k);
            check_text_placeholders(c, p, &m->steps[k], path, false);
        }
    }
}

void profile_check_rules(vctx *c, profile *p, const cJSON *root)
{
    if (!p->n_domains && !p->n_incoming_hosts && !p->n_outgoing_hosts)
        profile_report_at(c, MS_ERR_PROFILE_NO_ACCOUNT_RULE, "$.accounts", NULL);
    check_outgoing(c, p);
    check_incoming_and_mode(c, p, root);
    const struct profile_dates *d = &p->dates;
    check_date_not_before(c, d->migration_end, "$.dates.migration_end", d->migration_start,
                          "migration_start");
    check_date_not_before(c, d->old_incoming_until, "$.dates.old_incoming_until",
                          d->migration_start, "migration_start");
    check_date_not_before(c, d->old_outgoing_until, "$.dates.old_outgoing_until",
                          d->migration_start, "migration_start");
    if (p->test_send.allow_pop3_roundtrip && p->incoming.protocol != PROFILE_PROTO_POP3)
        profile_report_at(c, MS_ERR_PROFILE_ROUNDTRIP_IMAP, "$.test_send.allow_pop3_roundtrip",
                          NULL);
    check_texts(c, p);
}
