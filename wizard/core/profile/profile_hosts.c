/* profile_hosts: the host lists, lookups (whose account, which host an
 * account gets), texts, dates and placeholders of a loaded profile; see
 * profile.h. */
#include <stdio.h>
#include <string.h>

#include "profile_int.h"

/* ------------------------------------------------------------ host maps */

static const char *map_target(const profile_host_map *map, size_t n)
{
    const char *t = n ? map[0].to : NULL;
    for (size_t i = 1; i < n; i++)
        if (!profile_eq_nocase(map[i].to, t))
            return NULL;
    return t;
}

/* host, else the map's one target, else the one host the ISP lists */
static const char *target_of(const char *host, const profile_host_map *map, size_t n_map,
                             char *const *known, size_t n_known)
{
    if (host)
        return host;
    if (n_map)
        return map_target(map, n_map);
    return n_known == 1 ? known[0] : NULL;
}

const char *profile_incoming_target(const profile *p)
{
    return target_of(p->incoming.host, p->incoming.host_map, p->incoming.n_host_map,
                     p->incoming_hosts, p->n_incoming_hosts);
}

const char *profile_outgoing_target(const profile *p)
{
    return target_of(p->outgoing.host, p->outgoing.host_map, p->outgoing.n_host_map,
                     p->outgoing_hosts, p->n_outgoing_hosts);
}

/* Adds host (NULL: nothing) to the list unless it is there already. */
static bool list_add(char ***list, size_t *n, const char *host)
{
    if (!host)
        return true;
    for (size_t i = 0; i < *n; i++)
        if (profile_eq_nocase((*list)[i], host))
            return true;
    char **nl = realloc(*list, (*n + 1) * sizeof *nl);
    if (!nl)
        return false;
    *list = nl;
    if (!(nl[*n] = profile_dupstr(host)))
        return false;
    (*n)++;
    return true;
}

bool profile_complete_host_lists(profile *p)
{
    bool ok = list_add(&p->incoming_hosts, &p->n_incoming_hosts, p->incoming.host);
    for (size_t i = 0; i < p->incoming.n_host_map; i++)
        ok = ok &&
             list_add(&p->incoming_hosts, &p->n_incoming_hosts, p->incoming.host_map[i].from) &&
             list_add(&p->incoming_hosts, &p->n_incoming_hosts, p->incoming.host_map[i].to);
    ok = ok && list_add(&p->outgoing_hosts, &p->n_outgoing_hosts, p->outgoing.host);
    for (size_t i = 0; i < p->outgoing.n_host_map; i++)
        ok = ok &&
             list_add(&p->outgoing_hosts, &p->n_outgoing_hosts, p->outgoing.host_map[i].from) &&
             list_add(&p->outgoing_hosts, &p->n_outgoing_hosts, p->outgoing.host_map[i].to);
    for (size_t i = 0; i < p->outgoing.n_alternatives; i++)
        ok = ok &&
             list_add(&p->outgoing_hosts, &p->n_outgoing_hosts, p->outgoing.alternatives[i].host);
    return ok;
}

/* ------------------------------------------------------------ raw bytes */

/* -------------------------------------------------------------- lookups */

static bool in_list(char *const *l, size_t n, const char *s)
{
    if (!s)
        return false;
    for (size_t i = 0; i < n; i++)
        if (profile_eq_nocase(l[i], s))
            return true;
    return false;
}

bool profile_owns_domain(const profile *p, const char *domain)
{
    return in_list(p->domains, p->n_domains, domain);
}

bool profile_owns_address(const profile *p, const char *email)
{
    if (!email)
        return false;
    const char *at = strrchr(email, '@');
    return at && profile_owns_domain(p, at + 1);
}

bool profile_owns_incoming_host(const profile *p, const char *host)
{
    return in_list(p->incoming_hosts, p->n_incoming_hosts, host);
}

bool profile_owns_outgoing_host(const profile *p, const char *host)
{
    return in_list(p->outgoing_hosts, p->n_outgoing_hosts, host);
}

bool profile_owns_account(const profile *p, const char *email, const char *incoming_host,
                          const char *outgoing_host)
{
    return profile_owns_address(p, email) || profile_owns_incoming_host(p, incoming_host) ||
           profile_owns_outgoing_host(p, outgoing_host);
}

static const char *map_lookup(const profile_host_map *m, size_t n, const char *old)
{
    for (size_t i = 0; old && i < n; i++)
        if (profile_eq_nocase(m[i].from, old))
            return m[i].to;
    return NULL;
}

const char *profile_map_smtp_host(const profile *p, const char *old)
{
    const char *to = map_lookup(p->outgoing.host_map, p->outgoing.n_host_map, old);
    if (to)
        return to;
    for (size_t i = 0; old && i < p->outgoing.n_alternatives; i++)
        if (profile_eq_nocase(p->outgoing.alternatives[i].host, old))
            return old;
    return p->outgoing.host ? p->outgoing.host : old;
}

const char *profile_map_incoming_host(const profile *p, const char *old)
{
    const char *to = map_lookup(p->incoming.host_map, p->incoming.n_host_map, old);
    if (to)
        return to;
    return p->incoming.host ? p->incoming.host : old;
}

uint16_t profile_smtp_port_for(const profile *p, const char *host)
{
    for (size_t i = 0; host && i < p->outgoing.n_alternatives; i++)
        if (profile_eq_nocase(p->outgoing.alternatives[i].host, host) &&
            p->outgoing.alternatives[i].port)
            return p->outgoing.alternatives[i].port;
    return p->outgoing.port;
}

const char *profile_text_get(const profile_text *t, ms_lang lang)
{
    return lang == MS_LANG_EN ? t->en : t->ja;
}

const char *profile_text_any(const profile_text *t, ms_lang lang)
{
    const char *s = profile_text_get(t, lang);
    return s ? s : profile_text_get(t, lang == MS_LANG_EN ? MS_LANG_JA : MS_LANG_EN);
}

const profile_manual *profile_find_manual(const profile *p, const char *program)
{
    for (size_t i = 0; program && i < p->n_manuals; i++)
        if (strcmp(p->manuals[i].program, program) == 0)
            return &p->manuals[i];
    return NULL;
}

bool profile_date_is_set(profile_date d)
{
    return d.year != 0;
}

int profile_date_cmp(profile_date a, profile_date b)
{
    long ka = (long)a.year * 10000 + a.month * 100 + a.day;
    long kb = (long)b.year * 10000 + b.month * 100 + b.day;
    return ka < kb ? -1 : ka > kb;
}

/* -------------------------------------------------------- placeholders */

void profile_expand(const profile *p, const char *text, ms_lang lang, const char *email,
                    strbuf *out)
{
    if (!text)
        return;
    const char *s = text;
    for (const char *o = strchr(s, '{'); o; o = strchr(s, '{')) {
        size_t n = 0;
        while ((o[1 + n] >= 'a' && o[1 + n] <= 'z') || o[1 + n] == '_')
            n++;
        strbuf_add(out, s, (size_t)(o - s));
        if (n == 0 || o[1 + n] != '}') {
            strbuf_addch(out, '{');
            s = o + 1;
            continue;
        }
        char name[48] = "";
        if (n < sizeof name) {
            memcpy(name, o + 1, n);
            name[n] = '\0';
        }
        const char *val = NULL;
        char port[8];
        if (strcmp(name, "isp_name") == 0)
            val = profile_text_any(&p->name, lang);
        else if (strcmp(name, "incoming_host") == 0)
            val = profile_incoming_target(p);
        else if (strcmp(name, "outgoing_host") == 0)
            val = profile_outgoing_target(p);
        else if (strcmp(name, "outgoing_port") == 0) {
            snprintf(port, sizeof port, "%u", (unsigned)p->outgoing.port);
            val = port;
        } else if (strcmp(name, "alt_outgoing_host") == 0)
            val = p->outgoing.n_alternatives ? p->outgoing.alternatives[0].host : NULL;
        else if (strcmp(name, "domain") == 0)
            val = p->n_domains ? p->domains[0] : NULL;
        else if (strcmp(name, "support_phone") == 0)
            val = p->support.phone;
        else if (strcmp(name, "support_web") == 0)
            val = p->support.web;
        else if (strcmp(name, "email") == 0)
            val = email;
        if (val) {
            strbuf_addstr(out, val);
            s = o + n + 2;
        } else {
            strbuf_addch(out, '{');
            s = o + 1;
        }
    }
    strbuf_addstr(out, s);
}

