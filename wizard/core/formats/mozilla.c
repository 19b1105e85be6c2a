/* mozilla: the mail model of a Mozilla-family profile; see mozilla.h. */
#include "mozilla.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- small helpers */

static bool starts_with(const char *s, size_t n, const char *prefix)
{
    size_t p = strlen(prefix);
    return n >= p && memcmp(s, prefix, p) == 0;
}

/* "mail.smtpserver.<key>.<leaf>" with a non-empty key without dots. */
static bool is_server_pref(const char *name, size_t n, const char *prefix, const char *leaf)
{
    size_t pl = strlen(prefix), ll = strlen(leaf);
    if (!starts_with(name, n, prefix) || n < pl + 2 + ll)
        return false;
    if (name[n - ll - 1] != '.' || memcmp(name + n - ll, leaf, ll) != 0)
        return false;
    return memchr(name + pl, '.', n - ll - 1 - pl) == NULL;
}

typedef struct reader {
    mozilla_mail *mm;
    strbuf sb;
    ms_error *err;
    ms_code rc;
} reader;

/* Reads prefix<key>.leaf as a string into *dst (NULL when unset). lenient:
 * a value that is not UTF-8 reads as unset instead of failing. */
static void get_str(reader *r, const char *key_prefix, const char *key, const char *leaf,
                    char **dst, bool lenient)
{
    *dst = NULL;
    if (r->rc != MS_OK)
        return;
    char name[512];
    snprintf(name, sizeof name, "%s%s.%s", key_prefix, key, leaf);
    strbuf_reset(&r->sb);
    bool found = false;
    ms_error e;
    ms_code rc = prefs_get_string(r->mm->prefs, name, &r->sb, &found, &e);
    if (rc == MS_ERR_PREFS_UTF8 && lenient)
        return;
    if (rc != MS_OK) {
        r->rc = rc;
        if (r->err)
            *r->err = e;
        return;
    }
    if (!found)
        return;
    *dst = ms_strndup(r->sb.buf, r->sb.len);
    if (!*dst)
        r->rc = ms_fail(r->err, MS_ERR_NOMEM, NULL);
}

static int32_t get_int(reader *r, const char *key_prefix, const char *key, const char *leaf)
{
    if (r->rc != MS_OK)
        return MOZILLA_UNSET;
    char name[512];
    snprintf(name, sizeof name, "%s%s.%s", key_prefix, key, leaf);
    int32_t v = MOZILLA_UNSET;
    bool found = false;
    ms_code rc = prefs_get_int(r->mm->prefs, name, &v, &found, r->err);
    if (rc != MS_OK)
        r->rc = rc;
    return found ? v : MOZILLA_UNSET;
}

static int32_t get_bool(reader *r, const char *key_prefix, const char *key, const char *leaf)
{
    if (r->rc != MS_OK)
        return MOZILLA_UNSET;
    char name[512];
    snprintf(name, sizeof name, "%s%s.%s", key_prefix, key, leaf);
    bool v = false, found = false;
    ms_code rc = prefs_get_bool(r->mm->prefs, name, &v, &found, r->err);
    if (rc != MS_OK)
        r->rc = rc;
    return found ? (int32_t)v : MOZILLA_UNSET;
}

/* A comma-separated list pref ("smtp1,smtp2"); items trimmed of spaces,
 * empty items dropped (Mozilla splits on ',' and skips empties). */
typedef struct list {
    char **items;
    size_t n;
} list;

static void list_free(list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

static void get_list(reader *r, const char *name, list *out)
{
    out->items = NULL;
    out->n = 0;
    if (r->rc != MS_OK)
        return;
    strbuf_reset(&r->sb);
    bool found = false;
    ms_code rc = prefs_get_string(r->mm->prefs, name, &r->sb, &found, r->err);
    if (rc != MS_OK) {
        r->rc = rc;
        return;
    }
    if (!found)
        return;
    const char *s = r->sb.buf;
    size_t cap = 1;
    for (size_t i = 0; i < r->sb.len; i++)
        cap += s[i] == ',';
    out->items = calloc(cap, sizeof *out->items);
    if (!out->items) {
        r->rc = ms_fail(r->err, MS_ERR_NOMEM, NULL);
        return;
    }
    size_t i = 0;
    while (i <= r->sb.len) {
        size_t j = i;
        while (j < r->sb.len && s[j] != ',')
            j++;
        size_t a = i, b = j;
        while (a < b && (s[a] == ' ' || s[a] == '\t'))
            a++;
        while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
            b--;
        if (b > a) {
            char *item = ms_strndup(s + a, b - a);
            if (!item) {
                r->rc = ms_fail(r->err, MS_ERR_NOMEM, NULL);
                return;
            }
            out->items[out->n++] = item;
        }
        i = j + 1;
    }
}

/* ---- the generation */

mozilla_gen mozilla_detect_gen(const prefs_file *pf, const char **reason)
{
    bool old_style = false;
    const char *old_why = NULL;
    prefs_entry e;
    for (size_t i = 0; prefs_entry_at(pf, i, &e); i++) {
        if (e.kind != PREFS_USER_PREF)
            continue;
        if (is_server_pref(e.name, e.name_len, "mail.smtpserver.", "authMethod") ||
            is_server_pref(e.name, e.name_len, "mail.server.", "authMethod")) {
            if (reason)
                *reason = "an authMethod preference is set (Thunderbird 3.1+ / SeaMonkey 2.1+)";
            return MOZILLA_GEN_CURRENT;
        }
        if (is_server_pref(e.name, e.name_len, "mail.smtpserver.", "type")) {
            if (reason)
                *reason = "mail.smtpserver.*.type is set (Thunderbird 128+)";
            return MOZILLA_GEN_CURRENT;
        }
        if (!old_style && (is_server_pref(e.name, e.name_len, "mail.smtpserver.", "auth_method") ||
                           is_server_pref(e.name, e.name_len, "mail.smtpserver.", "useSecAuth") ||
                           is_server_pref(e.name, e.name_len, "mail.smtpserver.", "trySecAuth") ||
                           is_server_pref(e.name, e.name_len, "mail.server.", "useSecAuth") ||
                           is_server_pref(e.name, e.name_len, "mail.server.", "auth_login"))) {
            old_style = true;
            old_why = "auth_method/useSecAuth set and no authMethod (before Thunderbird 3.1)";
        }
    }
    if (old_style) {
        if (reason)
            *reason = old_why;
        return MOZILLA_GEN_OLD;
    }
    /* A version only a current program can have: Netscape stopped at 9,
     * SeaMonkey is 1.x-2.x, Thunderbird 3.0 was the last of the old style. */
    strbuf v;
    strbuf_init(&v);
    bool found = false;
    mozilla_gen gen = MOZILLA_GEN_UNKNOWN;
    if (prefs_get_string(pf, "extensions.lastAppVersion", &v, &found, NULL) == MS_OK && found) {
        long major = strtol(v.buf, NULL, 10);
        if (major >= 10) {
            gen = MOZILLA_GEN_CURRENT;
            if (reason)
                *reason = "extensions.lastAppVersion is 10 or later";
        }
    }
    strbuf_free(&v);
    if (gen == MOZILLA_GEN_UNKNOWN && reason)
        *reason = "no authentication preference and no version hint";
    return gen;
}

/* ---- outgoing servers */

static void smtp_derive(const mozilla_mail *mm, mozilla_smtp *s)
{
    if (mm->gen == MOZILLA_GEN_CURRENT) {
        s->eff_auth = s->auth_method != MOZILLA_UNSET ? s->auth_method
                                                        : MOZILLA_AUTH_PASSWORD_CLEARTEXT;
    } else {
        /* auth_method defaults to 1 (mailnews.js / nsSmtpServer.cpp). */
        int32_t am = s->old_auth_method != MOZILLA_UNSET ? s->old_auth_method : 1;
        if (am == 0)
            s->eff_auth = MOZILLA_AUTH_NONE;
        else
            s->eff_auth =
                s->use_sec_auth == 1 ? MOZILLA_AUTH_SECURE : MOZILLA_AUTH_PASSWORD_CLEARTEXT;
    }
    s->eff_security = s->try_ssl == MOZILLA_SOCKET_STARTTLS ? MS_SEC_STARTTLS
                      : s->try_ssl == MOZILLA_SOCKET_SSL    ? MS_SEC_SSL
                                                            : MS_SEC_NONE;
    if (s->port > 0 && s->port <= 65535)
        s->eff_port = (unsigned)s->port;
    else
        s->eff_port = s->try_ssl == MOZILLA_SOCKET_SSL ? 465u : 25u;
}

static void smtp_clear(mozilla_smtp *s)
{
    free(s->hostname);
    free(s->username);
    free(s->description);
    s->hostname = s->username = s->description = NULL;
}

static ms_code smtp_load(mozilla_mail *mm, mozilla_smtp *s, ms_error *err)
{
    reader r = {mm, {0}, err, MS_OK};
    strbuf_init(&r.sb);
    mozilla_smtp t = *s;
    const char *p = "mail.smtpserver.";
    get_str(&r, p, s->key, "hostname", &t.hostname, false);
    char *user = NULL, *desc = NULL;
    get_str(&r, p, s->key, "username", &user, false);
    get_str(&r, p, s->key, "description", &desc, true);
    t.username = user;
    t.description = desc;
    t.port = get_int(&r, p, s->key, "port");
    t.auth_method = get_int(&r, p, s->key, "authMethod");
    t.old_auth_method = get_int(&r, p, s->key, "auth_method");
    t.use_sec_auth = get_bool(&r, p, s->key, "useSecAuth");
    t.try_ssl = get_int(&r, p, s->key, "try_ssl");
    strbuf_free(&r.sb);
    if (r.rc != MS_OK) {
        smtp_clear(&t);
        return r.rc;
    }
    smtp_clear(s);
    *s = t;
    smtp_derive(mm, s);
    return MS_OK;
}

long mozilla_find_smtp(const mozilla_mail *mm, const char *key)
{
    if (!key)
        return -1;
    for (size_t i = 0; i < mm->nsmtp; i++)
        if (strcmp(mm->smtp[i].key, key) == 0)
            return (long)i;
    return -1;
}

/* The server with this key, added as unlisted when the list lacks it. */
static long smtp_ref(mozilla_mail *mm, const char *key, size_t *cap, ms_error *err, ms_code *rc)
{
    long i = mozilla_find_smtp(mm, key);
    if (i >= 0)
        return i;
    if (mm->nsmtp == *cap) {
        size_t nc = *cap ? *cap * 2 : 4;
        mozilla_smtp *ns = realloc(mm->smtp, nc * sizeof *ns);
        if (!ns) {
            *rc = ms_fail(err, MS_ERR_NOMEM, NULL);
            return -1;
        }
        mm->smtp = ns;
        *cap = nc;
    }
    mozilla_smtp *s = &mm->smtp[mm->nsmtp];
    memset(s, 0, sizeof *s);
    s->key = ms_strndup(key, strlen(key));
    if (!s->key) {
        *rc = ms_fail(err, MS_ERR_NOMEM, NULL);
        return -1;
    }
    mm->nsmtp++;
    *rc = smtp_load(mm, s, err);
    return *rc == MS_OK ? (long)(mm->nsmtp - 1) : -1;
}

/* ---- reading the whole model */

void mozilla_mail_free(mozilla_mail *mm)
{
    if (!mm)
        return;
    for (size_t i = 0; i < mm->naccounts; i++) {
        free(mm->accounts[i].key);
        free(mm->accounts[i].identities);
    }
    free(mm->accounts);
    for (size_t i = 0; i < mm->nservers; i++) {
        mozilla_server *s = &mm->servers[i];
        free(s->key);
        free(s->type);
        free(s->hostname);
        free(s->username);
    }
    free(mm->servers);
    for (size_t i = 0; i < mm->nidentities; i++) {
        mozilla_identity *d = &mm->identities[i];
        free(d->key);
        free(d->email);
        free(d->full_name);
        free(d->smtp_key);
    }
    free(mm->identities);
    for (size_t i = 0; i < mm->nsmtp; i++) {
        smtp_clear(&mm->smtp[i]);
        free(mm->smtp[i].key);
    }
    free(mm->smtp);
    free(mm->default_account);
    free(mm);
}

static long find_server(const mozilla_mail *mm, const char *key)
{
    for (size_t i = 0; i < mm->nservers; i++)
        if (strcmp(mm->servers[i].key, key) == 0)
            return (long)i;
    return -1;
}

static long find_identity(const mozilla_mail *mm, const char *key)
{
    for (size_t i = 0; i < mm->nidentities; i++)
        if (strcmp(mm->identities[i].key, key) == 0)
            return (long)i;
    return -1;
}

static long add_server(reader *r, const char *key)
{
    mozilla_mail *mm = r->mm;
    long i = find_server(mm, key);
    if (i >= 0 || r->rc != MS_OK)
        return i;
    mozilla_server *ns = realloc(mm->servers, (mm->nservers + 1) * sizeof *ns);
    if (!ns) {
        r->rc = ms_fail(r->err, MS_ERR_NOMEM, NULL);
        return -1;
    }
    mm->servers = ns;
    mozilla_server *s = &mm->servers[mm->nservers];
    memset(s, 0, sizeof *s);
    s->key = ms_strndup(key, strlen(key));
    if (!s->key) {
        r->rc = ms_fail(r->err, MS_ERR_NOMEM, NULL);
        return -1;
    }
    mm->nservers++;
    const char *p = "mail.server.";
    get_str(r, p, key, "type", &s->type, false);
    get_str(r, p, key, "realhostname", &s->hostname, false);
    if (!s->hostname || !*s->hostname) {
        free(s->hostname);
        get_str(r, p, key, "hostname", &s->hostname, false);
    }
    get_str(r, p, key, "realuserName", &s->username, false);
    if (!s->username || !*s->username) {
        free(s->username);
        get_str(r, p, key, "userName", &s->username, false);
    }
    s->port = get_int(r, p, key, "port");
    s->socket_type = get_int(r, p, key, "socketType");
    if (s->socket_type == MOZILLA_UNSET && get_bool(r, p, key, "isSecure") == 1)
        s->socket_type = MOZILLA_SOCKET_SSL; /* nsMsgIncomingServer::GetSocketType */
    s->auth_method = get_int(r, p, key, "authMethod");
    return (long)(mm->nservers - 1);
}

static long add_identity(reader *r, const char *key)
{
    mozilla_mail *mm = r->mm;
    long i = find_identity(mm, key);
    if (i >= 0 || r->rc != MS_OK)
        return i;
    mozilla_identity *nd = realloc(mm->identities, (mm->nidentities + 1) * sizeof *nd);
    if (!nd) {
        r->rc = ms_fail(r->err, MS_ERR_NOMEM, NULL);
        return -1;
    }
    mm->identities = nd;
    mozilla_identity *d = &mm->identities[mm->nidentities];
    memset(d, 0, sizeof *d);
    d->smtp = -1;
    d->key = ms_strndup(key, strlen(key));
    if (!d->key) {
        r->rc = ms_fail(r->err, MS_ERR_NOMEM, NULL);
        return -1;
    }
    mm->nidentities++;
    const char *p = "mail.identity.";
    get_str(r, p, key, "useremail", &d->email, false);
    get_str(r, p, key, "fullName", &d->full_name, true);
    get_str(r, p, key, "smtpServer", &d->smtp_key, false);
    if (d->smtp_key && !*d->smtp_key) {
        free(d->smtp_key);
        d->smtp_key = NULL;
    }
    return (long)(mm->nidentities - 1);
}

/* The outgoing servers, in list order. */
static ms_code read_smtp_servers(reader *r, size_t *smtp_cap)
{
    list keys;
    get_list(r, "mail.smtpservers", &keys);
    for (size_t i = 0; i < keys.n && r->rc == MS_OK; i++) {
        long at = smtp_ref(r->mm, keys.items[i], smtp_cap, r->err, &r->rc);
        if (at >= 0)
            r->mm->smtp[at].listed = true;
    }
    list_free(&keys);
    return r->rc;
}

/* The default outgoing server: mail.smtp.defaultserver, else the first
 * listed. */
static ms_code read_default_smtp(reader *r, size_t *smtp_cap)
{
    mozilla_mail *mm = r->mm;
    char *def = NULL;
    strbuf_reset(&r->sb);
    bool found = false;
    r->rc = prefs_get_string(mm->prefs, "mail.smtp.defaultserver", &r->sb, &found, r->err);
    if (r->rc == MS_OK && found && r->sb.len) {
        def = ms_strndup(r->sb.buf, r->sb.len);
        if (!def)
            r->rc = ms_fail(r->err, MS_ERR_NOMEM, NULL);
    }
    if (r->rc == MS_OK && def)
        mm->default_smtp = smtp_ref(mm, def, smtp_cap, r->err, &r->rc);
    else if (r->rc == MS_OK && mm->nsmtp)
        mm->default_smtp = 0;
    free(def);
    return r->rc;
}

/* One account a (its key set): its incoming server and identities. */
static void read_one_account(reader *r, mozilla_account *a)
{
    char *server = NULL;
    get_str(r, "mail.account.", a->key, "server", &server, false);
    if (server && *server)
        a->server = add_server(r, server);
    free(server);
    char name[512];
    snprintf(name, sizeof name, "mail.account.%s.identities", a->key);
    list ids;
    get_list(r, name, &ids);
    if (ids.n) {
        a->identities = calloc(ids.n, sizeof *a->identities);
        if (!a->identities)
            r->rc = ms_fail(r->err, MS_ERR_NOMEM, NULL);
    }
    for (size_t k = 0; k < ids.n && r->rc == MS_OK; k++) {
        long d = add_identity(r, ids.items[k]);
        if (d >= 0)
            a->identities[a->nidentities++] = (size_t)d;
    }
    list_free(&ids);
}

/* The accounts in mail.accountmanager.accounts, their incoming server and
 * identities, and the default account. */
static ms_code read_accounts(reader *r)
{
    mozilla_mail *mm = r->mm;
    list accts;
    get_list(r, "mail.accountmanager.accounts", &accts);
    if (r->rc == MS_OK && accts.n) {
        mm->accounts = calloc(accts.n, sizeof *mm->accounts);
        if (!mm->accounts)
            r->rc = ms_fail(r->err, MS_ERR_NOMEM, NULL);
    }
    for (size_t i = 0; i < accts.n && r->rc == MS_OK; i++) {
        mozilla_account *a = &mm->accounts[mm->naccounts];
        a->server = -1;
        a->key = accts.items[i];
        accts.items[i] = NULL;
        mm->naccounts++;
        read_one_account(r, a);
    }
    list_free(&accts);
    if (r->rc != MS_OK)
        return r->rc;
    strbuf_reset(&r->sb);
    bool found = false;
    r->rc = prefs_get_string(mm->prefs, "mail.accountmanager.defaultaccount", &r->sb, &found,
                             r->err);
    if (r->rc == MS_OK && found && !(mm->default_account = ms_strndup(r->sb.buf, r->sb.len)))
        r->rc = ms_fail(r->err, MS_ERR_NOMEM, NULL);
    return r->rc;
}

/* Which outgoing server each identity really uses. */
static ms_code resolve_identities(reader *r, size_t *smtp_cap)
{
    mozilla_mail *mm = r->mm;
    for (size_t i = 0; i < mm->nidentities && r->rc == MS_OK; i++) {
        mozilla_identity *d = &mm->identities[i];
        if (d->smtp_key) {
            d->smtp = smtp_ref(mm, d->smtp_key, smtp_cap, r->err, &r->rc);
        } else {
            d->smtp = mm->default_smtp;
            d->smtp_is_default = true;
        }
    }
    return r->rc;
}

ms_code mozilla_mail_read(prefs_file *pf, mozilla_mail **out, ms_error *err)
{
    *out = NULL;
    mozilla_mail *mm = calloc(1, sizeof *mm);
    if (!mm)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    mm->prefs = pf;
    mm->default_smtp = -1;
    mm->gen = mozilla_detect_gen(pf, &mm->gen_reason);
    reader r = {mm, {0}, err, MS_OK};
    strbuf_init(&r.sb);
    size_t smtp_cap = 0;
    ms_code rc = read_smtp_servers(&r, &smtp_cap);
    if (rc != MS_OK)
        goto out;
    rc = read_default_smtp(&r, &smtp_cap);
    if (rc != MS_OK)
        goto out;
    rc = read_accounts(&r);
    if (rc != MS_OK)
        goto out;
    rc = resolve_identities(&r, &smtp_cap);
    if (rc != MS_OK)
        goto out;
    *out = mm;
    mm = NULL;
out:
    strbuf_free(&r.sb);
    mozilla_mail_free(mm);
    return rc;
}

/* ---- changes */

static ms_code check_index(const mozilla_mail *mm, size_t i, ms_error *err)
{
    if (!mm || i >= mm->nsmtp)
        return ms_fail(err, MS_ERR_MOZ_NO_SMTP, "#%zu", i);
    return MS_OK;
}

static void pref_name(char *buf, size_t size, const mozilla_smtp *s, const char *leaf)
{
    snprintf(buf, size, "mail.smtpserver.%s.%s", s->key, leaf);
}

static ms_code reload(mozilla_mail *mm, size_t i, ms_error *err)
{
    return smtp_load(mm, &mm->smtp[i], err);
}

ms_code mozilla_smtp_set_hostname(mozilla_mail *mm, size_t i, const char *host, ms_error *err)
{
    ms_code rc = check_index(mm, i, err);
    if (rc != MS_OK)
        return rc;
    if (!host || !*host)
        return ms_fail(err, MS_ERR_MOZ_VALUE, "empty host name");
    char name[512];
    pref_name(name, sizeof name, &mm->smtp[i], "hostname");
    rc = prefs_set_string(mm->prefs, name, host, err);
    return rc == MS_OK ? reload(mm, i, err) : rc;
}

ms_code mozilla_smtp_set_port(mozilla_mail *mm, size_t i, unsigned port, ms_error *err)
{
    ms_code rc = check_index(mm, i, err);
    if (rc != MS_OK)
        return rc;
    if (port < 1 || port > 65535)
        return ms_fail(err, MS_ERR_MOZ_VALUE, "port %u", port);
    char name[512];
    pref_name(name, sizeof name, &mm->smtp[i], "port");
    rc = prefs_set_int(mm->prefs, name, (int32_t)port, err);
    return rc == MS_OK ? reload(mm, i, err) : rc;
}

ms_code mozilla_smtp_set_security(mozilla_mail *mm, size_t i, ms_security sec, ms_error *err)
{
    ms_code rc = check_index(mm, i, err);
    if (rc != MS_OK)
        return rc;
    int32_t v;
    switch (sec) {
    case MS_SEC_NONE:
        v = MOZILLA_SOCKET_PLAIN;
        break;
    case MS_SEC_STARTTLS:
        v = MOZILLA_SOCKET_STARTTLS;
        break;
    case MS_SEC_SSL:
        v = MOZILLA_SOCKET_SSL;
        break;
    default:
        return ms_fail(err, MS_ERR_MOZ_VALUE, "security %d", (int)sec);
    }
    char name[512];
    pref_name(name, sizeof name, &mm->smtp[i], "try_ssl");
    rc = prefs_set_int(mm->prefs, name, v, err);
    return rc == MS_OK ? reload(mm, i, err) : rc;
}

/* The older generation's auth_method and useSecAuth for auth. */
static ms_code write_old_auth(prefs_file *pf, const mozilla_smtp *s, int32_t auth, ms_error *err)
{
    char name[512];
    pref_name(name, sizeof name, s, "auth_method");
    ms_code rc = prefs_set_int(pf, name, auth == MOZILLA_AUTH_NONE ? 0 : 1, err);
    if (rc != MS_OK)
        return rc;
    /* useSecAuth: only "encrypted" needs it true; a true left from
     * before would stop the plain name-and-password login. */
    pref_name(name, sizeof name, s, "useSecAuth");
    if (auth == MOZILLA_AUTH_PASSWORD_ENCRYPTED)
        return prefs_set_bool(pf, name, true, err);
    if (s->use_sec_auth == 1)
        return prefs_set_bool(pf, name, false, err);
    return MS_OK;
}

ms_code mozilla_smtp_set_auth(mozilla_mail *mm, size_t i, int32_t auth, ms_error *err)
{
    ms_code rc = check_index(mm, i, err);
    if (rc != MS_OK)
        return rc;
    if (auth != MOZILLA_AUTH_NONE && auth != MOZILLA_AUTH_PASSWORD_CLEARTEXT &&
        auth != MOZILLA_AUTH_PASSWORD_ENCRYPTED)
        return ms_fail(err, MS_ERR_MOZ_VALUE, "authentication method %ld", (long)auth);
    mozilla_smtp *s = &mm->smtp[i];
    bool write_new = mm->gen != MOZILLA_GEN_OLD;
    bool write_old = mm->gen != MOZILLA_GEN_CURRENT;
    char name[512];

    /* Up to three preferences change: keep the bytes to put back if one
     * of them fails (out of memory), so the change is all or nothing. */
    size_t len = 0;
    const char *data = prefs_data(mm->prefs, &len);
    strbuf saved;
    strbuf_init(&saved);
    strbuf_add(&saved, data, len);
    if (saved.oom) {
        rc = ms_fail(err, MS_ERR_NOMEM, NULL);
        goto out;
    }
    if (write_new) {
        pref_name(name, sizeof name, s, "authMethod");
        rc = prefs_set_int(mm->prefs, name, auth, err);
        if (rc != MS_OK)
            goto out;
    }
    if (write_old) {
        rc = write_old_auth(mm->prefs, s, auth, err);
        if (rc != MS_OK)
            goto out;
    }
    rc = reload(mm, i, err);
out:
    if (rc != MS_OK && !saved.oom) /* the failure that brought us here is the one to report */
        (void)!prefs_replace(mm->prefs, saved.buf, saved.len, NULL);
    strbuf_free(&saved);
    return rc;
}

ms_code mozilla_smtp_set_username(mozilla_mail *mm, size_t i, const char *user, ms_error *err)
{
    ms_code rc = check_index(mm, i, err);
    if (rc != MS_OK)
        return rc;
    if (!user)
        return ms_fail(err, MS_ERR_MOZ_VALUE, "no user name");
    char name[512];
    pref_name(name, sizeof name, &mm->smtp[i], "username");
    if (!*user)
        rc = prefs_remove(mm->prefs, name, NULL, err);
    else
        rc = prefs_set_string(mm->prefs, name, user, err);
    return rc == MS_OK ? reload(mm, i, err) : rc;
}

/* ---- incoming server names */

/* encodeURIComponent: every byte but A-Z a-z 0-9 - _ . ! ~ * ' ( ) as %XX. */
static void uri_component(const char *s, strbuf *out)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            strchr("-_.!~*'()", c))
            strbuf_addch(out, (char)c);
        else
            strbuf_addf(out, "%%%c%c", hex[c >> 4], hex[c & 15]);
    }
}

/* "<store>://<user>@<host>" as Thunderbird builds a server's URI; store is
 * "mailbox" for POP3, "imap" for IMAP. */
static void server_uri(const char *type, const char *host, const char *user, strbuf *out)
{
    strbuf_reset(out);
    strbuf_addstr(out, type && strcmp(type, "imap") == 0 ? "imap://" : "mailbox://");
    if (user && *user) {
        uri_component(user, out);
        strbuf_addch(out, '@');
    }
    if (strchr(host, ':')) {
        strbuf_addch(out, '[');
        uri_component(host, out);
        strbuf_addch(out, ']');
    } else {
        uri_component(host, out);
    }
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Every string pref that holds a folder URI of the old server: the
 * identities' folders and the servers' spam targets. */
static bool holds_folder_uri(const char *name)
{
    static const char *const id_leaves[] = {".fcc_folder", ".draft_folder", ".archive_folder",
                                            ".stationery_folder"};
    static const char *const srv_leaves[] = {".spamActionTargetAccount", ".spamActionTargetFolder"};
    if (strncmp(name, "mail.identity.", 14) == 0) {
        for (size_t i = 0; i < sizeof id_leaves / sizeof id_leaves[0]; i++)
            if (ends_with(name, id_leaves[i]))
                return true;
    } else if (strncmp(name, "mail.server.", 12) == 0) {
        for (size_t i = 0; i < sizeof srv_leaves / sizeof srv_leaves[0]; i++)
            if (ends_with(name, srv_leaves[i]))
                return true;
    }
    return false;
}

/* Rewrites every folder-URI pref that starts with old (followed by the end
 * or '/') to start with new instead. */
static ms_code migrate_folder_uris(prefs_file *pf, const char *old, const char *new_uri,
                                   ms_error *err)
{
    size_t ol = strlen(old);
    strbuf v, nv, name;
    strbuf_init(&v);
    strbuf_init(&nv);
    strbuf_init(&name);
    ms_code rc = MS_OK;
    prefs_entry e;
    for (size_t i = 0; rc == MS_OK && prefs_entry_at(pf, i, &e); i++) {
        if (e.type != PREFS_STRING || !holds_folder_uri(e.name))
            continue;
        strbuf_reset(&name);
        strbuf_add(&name, e.name, e.name_len);
        strbuf_reset(&v);
        bool found = false;
        if (name.oom || prefs_get_string(pf, name.buf, &v, &found, NULL) != MS_OK || !found)
            continue; /* not UTF-8: not a URI we wrote or can match */
        if (v.len < ol || strncmp(v.buf, old, ol) != 0 || (v.buf[ol] && v.buf[ol] != '/'))
            continue;
        strbuf_reset(&nv);
        strbuf_addstr(&nv, new_uri);
        strbuf_addstr(&nv, v.buf + ol);
        rc =
            nv.oom ? ms_fail(err, MS_ERR_NOMEM, NULL) : prefs_set_string(pf, name.buf, nv.buf, err);
    }
    strbuf_free(&v);
    strbuf_free(&nv);
    strbuf_free(&name);
    return rc;
}

static char *raw_server_str(const mozilla_mail *mm, const char *key, const char *leaf)
{
    char name[512];
    snprintf(name, sizeof name, "mail.server.%s.%s", key, leaf);
    strbuf v;
    strbuf_init(&v);
    bool found = false;
    char *r = NULL;
    if (prefs_get_string(mm->prefs, name, &v, &found, NULL) == MS_OK && found && !v.oom)
        r = strbuf_detach(&v, NULL);
    strbuf_free(&v);
    return r;
}

/* Sets mail.server.<key>.<leaf> to v, or removes it when v is NULL. */
static ms_code set_server_str(prefs_file *pf, const char *key, const char *leaf, const char *v,
                              ms_error *err)
{
    char name[512];
    snprintf(name, sizeof name, "mail.server.%s.%s", key, leaf);
    return v ? prefs_set_string(pf, name, v, err) : prefs_remove(pf, name, NULL, err);
}

/* Does incoming server key have a folder (directory-rel or directory)? */
static bool has_folder(const mozilla_mail *mm, const char *key)
{
    char *dir_rel = raw_server_str(mm, key, "directory-rel");
    char *dir_abs = raw_server_str(mm, key, "directory");
    bool has_dir = (dir_rel && *dir_rel) || (dir_abs && *dir_abs);
    free(dir_rel);
    free(dir_abs);
    return has_dir;
}

/* The rename in prefs: hostname (and userName), no realhostname or
 * realuserName left over, folder URIs from ou to nu. */
static ms_code write_rename(prefs_file *pf, const char *key, const char *new_host,
                            const char *new_user, const strbuf *ou, const strbuf *nu,
                            ms_error *err)
{
    ms_code rc = set_server_str(pf, key, "hostname", new_host, err);
    if (rc != MS_OK)
        return rc;
    if (new_user) {
        rc = set_server_str(pf, key, "userName", new_user, err);
        if (rc != MS_OK)
            return rc;
    }
    rc = set_server_str(pf, key, "realhostname", NULL, err);
    if (rc != MS_OK)
        return rc;
    rc = set_server_str(pf, key, "realuserName", NULL, err);
    if (rc != MS_OK)
        return rc;
    if (strcmp(ou->buf, nu->buf) != 0)
        return migrate_folder_uris(pf, ou->buf, nu->buf, err);
    return MS_OK;
}

/* The model's server takes the new names. */
static ms_code rename_model(mozilla_server *s, const char *new_host, const char *new_user,
                            ms_error *err)
{
    char *h = ms_strdup(new_host), *u = new_user ? ms_strdup(new_user) : NULL;
    if (!h || (new_user && !u)) {
        free(h);
        free(u);
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    }
    free(s->hostname);
    free(s->username);
    s->hostname = h;
    s->username = u;
    return MS_OK;
}

ms_code mozilla_server_rename(mozilla_mail *mm, size_t i, const char *host, const char *user,
                              strbuf *old_uri, strbuf *new_uri, ms_error *err)
{
    if (!mm || i >= mm->nservers)
        return ms_fail(err, MS_ERR_MOZ_VALUE, "no incoming server #%zu", i);
    if ((host && (!*host || !prefs_utf8_valid(host, strlen(host)))) ||
        (user && (!*user || !prefs_utf8_valid(user, strlen(user)))))
        return ms_fail(err, MS_ERR_MOZ_VALUE, "empty or invalid server or user name");
    mozilla_server *s = &mm->servers[i];
    char *raw_host = raw_server_str(mm, s->key, "hostname");
    char *raw_user = raw_server_str(mm, s->key, "userName");
    const char *new_host = host ? host : s->hostname;
    const char *new_user = user ? user : s->username;
    ms_code rc = MS_OK;
    bool saved = false;
    strbuf keep, ou, nu;
    strbuf_init(&keep);
    strbuf_init(&ou);
    strbuf_init(&nu);
    if (!raw_host || !new_host || !has_folder(mm, s->key)) {
        rc = ms_fail(err, MS_ERR_MOZ_VALUE, "mail.server.%s.%s", s->key,
                     raw_host ? "directory" : "hostname");
        goto out;
    }
    /* The whole file is put back on any failure below. */
    size_t len = 0;
    const char *data = prefs_data(mm->prefs, &len);
    strbuf_add(&keep, data, len);
    saved = true;
    server_uri(s->type, raw_host, raw_user, &ou);
    server_uri(s->type, new_host, new_user, &nu);
    rc = write_rename(mm->prefs, s->key, new_host, new_user, &ou, &nu, err);
    if (rc != MS_OK)
        goto out;
    if (keep.oom || ou.oom || nu.oom) {
        rc = ms_fail(err, MS_ERR_NOMEM, NULL);
        goto out;
    }
    rc = rename_model(s, new_host, new_user, err);
    if (rc != MS_OK)
        goto out;
    if (old_uri) {
        strbuf_reset(old_uri);
        strbuf_addstr(old_uri, ou.buf);
    }
    if (new_uri) {
        strbuf_reset(new_uri);
        strbuf_addstr(new_uri, nu.buf);
    }
out:
    if (rc != MS_OK && saved && !keep.oom) {
        ms_error ignored; /* the failure that brought us here is the one to report */
        (void)!prefs_replace(mm->prefs, keep.buf, keep.len, &ignored);
    }
    strbuf_free(&keep);
    strbuf_free(&ou);
    strbuf_free(&nu);
    free(raw_host);
    free(raw_user);
    return rc;
}

/* ---- profiles.ini */

static bool ascii_prefix_nocase(const char *s, size_t n, const char *p)
{
    size_t pl = strlen(p);
    if (n < pl)
        return false;
    for (size_t i = 0; i < pl; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != p[i])
            return false;
    }
    return true;
}

void mozilla_profiles_free(mozilla_profile_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->count; i++) {
        free(l->items[i].section);
        free(l->items[i].name);
        free(l->items[i].path);
    }
    free(l->items);
    free(l->install_default);
    l->items = NULL;
    l->count = 0;
    l->install_default = NULL;
}

static bool value_is(const char *v, size_t n, const char *want)
{
    return n == strlen(want) && memcmp(v, want, n) == 0;
}

ms_code mozilla_profiles_list(const ini_file *ini, mozilla_profile_list *out, ms_error *err)
{
    out->items = NULL;
    out->count = 0;
    out->install_default = NULL;
    size_t ns = ini_section_count(ini);
    if (ns) {
        out->items = calloc(ns, sizeof *out->items);
        if (!out->items)
            return ms_fail(err, MS_ERR_NOMEM, NULL);
    }
    for (size_t i = 0; i < ns; i++) {
        size_t nl = 0;
        const char *sn = ini_section_name(ini, i, &nl);
        char *sec = ms_strndup(sn, nl);
        if (!sec)
            goto nomem;
        if (ascii_prefix_nocase(sn, nl, "install") && !out->install_default) {
            const char *v;
            size_t vl;
            bool found = false;
            ms_code rc = ini_get(ini, sec, "Default", &v, &vl, &found, err);
            if (rc != MS_OK) {
                free(sec);
                mozilla_profiles_free(out);
                return rc;
            }
            if (found && !(out->install_default = ms_strndup(v, vl))) {
                free(sec);
                goto nomem;
            }
            free(sec);
            continue;
        }
        bool digits = nl > 7 && ascii_prefix_nocase(sn, nl, "profile");
        for (size_t k = 7; digits && k < nl; k++)
            digits = sn[k] >= '0' && sn[k] <= '9';
        if (!digits) {
            free(sec);
            continue;
        }
        const char *path, *name = "", *rel = "", *def = "";
        size_t pl = 0, nal = 0, rl = 0, dl = 0;
        bool has_path = false, f2 = false;
        ms_code rc = ini_get(ini, sec, "Path", &path, &pl, &has_path, err);
        if (rc == MS_OK)
            rc = ini_get(ini, sec, "Name", &name, &nal, &f2, err);
        if (rc == MS_OK)
            rc = ini_get(ini, sec, "IsRelative", &rel, &rl, &f2, err);
        if (rc == MS_OK)
            rc = ini_get(ini, sec, "Default", &def, &dl, &f2, err);
        if (rc != MS_OK) {
            free(sec);
            mozilla_profiles_free(out);
            return rc;
        }
        if (!has_path) {
            free(sec);
            continue;
        }
        mozilla_profile_entry *e = &out->items[out->count];
        e->section = sec;
        e->name = ms_strndup(name, nal);
        e->path = ms_strndup(path, pl);
        out->count++;
        if (!e->name || !e->path)
            goto nomem;
        e->is_relative = value_is(rel, rl, "1");
        e->is_default = value_is(def, dl, "1");
        e->utf8 = prefs_utf8_valid(name, nal) && prefs_utf8_valid(path, pl);
    }
    return MS_OK;
nomem:
    mozilla_profiles_free(out);
    return ms_fail(err, MS_ERR_NOMEM, NULL);
}
