/* be_outlook: Outlook 2003-2010 and 2013-2021/365 classic; see be_outlook.h.
 *
 * Every profile under the program's Profiles key is read; in each, every
 * subkey of 9375CFF0413111d3B88A00104B2A6676 named with 8 hex digits is an
 * account, and the ones with a "POP3 Server" or "IMAP Server" are the mail
 * accounts we handle (Exchange, HTTP and LDAP accounts are left alone). The
 * default mail account of a profile is the first id in the
 * {ED475418-...} (CLSID_OlkMail) order list. Sources: docs/mail-programs.md. */
#include "be_outlook.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acctprops.h"
#include "bereg.h"
#include "regval.h"

#define MAX_ORDER 4096 /* ids in an order list (a hostile value stops here) */

struct olk_root {
    ms_program program;
    const char *version; /* NULL for the Windows Messaging Subsystem */
    const char *key;
};

static const struct olk_root roots[] = {
    {MS_PROG_OUTLOOK, NULL, OUTLOOK_WMS_PROFILES},
    {MS_PROG_OUTLOOK_NEW, "16.0", "Software\\Microsoft\\Office\\16.0\\Outlook\\Profiles"},
    {MS_PROG_OUTLOOK_NEW, "15.0", "Software\\Microsoft\\Office\\15.0\\Outlook\\Profiles"},
};

/* ---- small helpers */

static bool is_account_key(const char *name)
{
    size_t n = strlen(name);
    if (n != 8)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
            return false;
    }
    return true;
}

static uint32_t hex_id(const char *name)
{
    uint32_t v = 0;
    for (const char *p = name; *p; p++) {
        char c = *p;
        unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
                     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                                            : (unsigned)(c - 'A' + 10);
        v = (v << 4) | d;
    }
    return v;
}

static char *join3(const char *a, const char *b, const char *c)
{
    strbuf sb;
    strbuf_init(&sb);
    strbuf_addstr(&sb, a);
    strbuf_addch(&sb, '\\');
    strbuf_addstr(&sb, b);
    if (c) {
        strbuf_addch(&sb, '\\');
        strbuf_addstr(&sb, c);
    }
    if (sb.oom) {
        strbuf_free(&sb);
        return NULL;
    }
    return strbuf_detach(&sb, NULL);
}

/* The profile's mail account order (ids), or none. A value of the wrong
 * type or size is MS_ERR_REG_BAD_VALUE. */
static ms_code read_order(ms_reg *reg, const char *acct_root, uint32_t **ids, size_t *n,
                          bool *present, ms_error *err)
{
    *ids = NULL;
    *n = 0;
    *present = false;
    ms_reg_value v;
    reg_value_init(&v);
    ms_error gerr;
    ms_code rc = reg->ops->get(reg, acct_root, OUTLOOK_MAIL_ORDER, &v, &gerr);
    if (rc == MS_ERR_REG_NOT_FOUND) {
        reg_value_free(&v);
        return MS_OK;
    }
    if (rc != MS_OK) {
        reg_value_free(&v);
        if (err)
            *err = gerr;
        return rc;
    }
    char tbuf[16];
    if (v.type != MS_REG_BINARY || v.data.len % 4 != 0 || v.data.len / 4 > MAX_ORDER) {
        rc = ms_fail(err, MS_ERR_REG_BAD_VALUE, "%s\\%s\\%s (%s, %zu bytes)", BEREG_HKCU, acct_root,
                     OUTLOOK_MAIL_ORDER, regval_type_name(v.type, tbuf), v.data.len);
        reg_value_free(&v);
        return rc;
    }
    *present = true;
    size_t count = v.data.len / 4;
    if (count) {
        *ids = malloc(count * sizeof **ids);
        if (!*ids) {
            reg_value_free(&v);
            return ms_fail(err, MS_ERR_NOMEM, NULL);
        }
        const unsigned char *b = (const unsigned char *)v.data.buf;
        for (size_t i = 0; i < count; i++)
            (*ids)[i] = (uint32_t)b[4 * i] | (uint32_t)b[4 * i + 1] << 8 |
                        (uint32_t)b[4 * i + 2] << 16 | (uint32_t)b[4 * i + 3] << 24;
    }
    *n = count;
    reg_value_free(&v);
    return MS_OK;
}

/* ---- reading one account */

static void clear_settings(ms_account *a)
{
    free(a->display_name);
    free(a->email);
    free(a->incoming_host);
    free(a->incoming_user);
    free(a->smtp_host);
    free(a->smtp_user);
    a->display_name = a->email = a->incoming_host = a->incoming_user = NULL;
    a->smtp_host = a->smtp_user = NULL;
}

/* Reads the account in key (HKCU-relative) into a (zeroed by the caller,
 * ids set). *mail false when it is not a POP3/IMAP account. Read problems
 * go to a->read_error; only MS_ERR_NOMEM is returned. *legacy_ssl tells
 * whether security lives in "SMTP Use SSL" (Outlook 2003). */
/* The display name and the incoming server's user, port and security
 * (in: "IMAP" or "POP3"). */
static void read_incoming(bereg_reader *rd, const char *key, const char *in, ms_account *a)
{
    char name[32];
    a->display_name = bereg_str(rd, "Display Name", REGVAL_BINARY_SZ);
    snprintf(name, sizeof name, "%s User", in);
    a->incoming_user = bereg_str(rd, name, REGVAL_BINARY_SZ);
    snprintf(name, sizeof name, "%s Port", in);
    uint32_t in_port = bereg_dword(rd, name, 0, NULL);
    if (in_port > 65535)
        bereg_reader_fail(rd, MS_ERR_REG_BAD_VALUE, "%s\\%s\\%s = %lu", BEREG_HKCU, key, name,
                          (unsigned long)in_port);
    a->incoming_port = (unsigned)in_port;
    /* "This server requires an encrypted connection (SSL)": implicit TLS. */
    snprintf(name, sizeof name, "%s Use SSL", in);
    a->incoming_security = bereg_dword(rd, name, 0, NULL) ? MS_SEC_SSL : MS_SEC_NONE;
}

/* The outgoing server's values as Outlook keeps them. */
struct olk_smtp {
    uint32_t use_auth, method, spa, secure, ssl;
    bool present, ssl_present;
};

/* The outgoing server's port, user name and raw authentication and
 * security values (range-checked). */
static void read_smtp(bereg_reader *rd, const char *key, ms_account *a, struct olk_smtp *s)
{
    bool present;
    uint32_t port = bereg_dword(rd, "SMTP Port", 25, &present);
    if (port == 0 || port > 65535)
        bereg_reader_fail(rd, MS_ERR_REG_BAD_VALUE, "%s\\%s\\SMTP Port = %lu", BEREG_HKCU, key,
                          (unsigned long)port);
    a->smtp_port = (unsigned)port;
    s->use_auth = bereg_dword(rd, "SMTP Use Auth", 0, NULL);
    s->method = bereg_dword(rd, "SMTP Auth Method", 0, NULL);
    if (s->method > OLK_SMTP_AUTH_RECEIVE_BEFORE_SEND)
        bereg_reader_fail(rd, MS_ERR_REG_BAD_VALUE, "%s\\%s\\SMTP Auth Method = %lu", BEREG_HKCU,
                          key, (unsigned long)s->method);
    s->spa = bereg_dword(rd, "SMTP Use SPA", 0, NULL);
    a->smtp_user = bereg_str(rd, "SMTP User", REGVAL_BINARY_SZ);
    s->secure = bereg_dword(rd, "SMTP Secure Connection", 0, &s->present);
    if (s->present && s->secure > OLK_ENCRYPT_CONN_AUTO)
        bereg_reader_fail(rd, MS_ERR_REG_BAD_VALUE, "%s\\%s\\SMTP Secure Connection = %lu",
                          BEREG_HKCU, key, (unsigned long)s->secure);
    s->ssl = bereg_dword(rd, "SMTP Use SSL", 0, &s->ssl_present);
}

/* The account model's authentication and security from Outlook's values;
 * *legacy_ssl when only the old "SMTP Use SSL" says it. */
static void smtp_model(const struct olk_smtp *s, ms_account *a, bool *legacy_ssl)
{
    if (!s->use_auth || s->method == OLK_SMTP_AUTH_RECEIVE_BEFORE_SEND)
        /* "Log on to incoming mail server before sending" is POP before
         * SMTP: no SMTP authentication. */
        a->smtp_auth = MS_AUTH_NONE;
    else if (s->method == OLK_SMTP_AUTH_SAME_AS_POP)
        a->smtp_auth = MS_AUTH_SAME_AS_INCOMING;
    else
        a->smtp_auth = s->spa ? MS_AUTH_SPA : MS_AUTH_OWN;
    if (s->present) {
        static const ms_security sec_of[4] = {MS_SEC_NONE, MS_SEC_SSL, MS_SEC_STARTTLS,
                                              MS_SEC_STARTTLS};
        a->smtp_security = sec_of[s->secure <= 3 ? s->secure : 0];
    } else if (s->ssl_present) {
        *legacy_ssl = true;
        /* One checkbox, as in Outlook Express: implicit TLS on 465. */
        a->smtp_security = !s->ssl                ? MS_SEC_NONE
                           : a->smtp_port == 465 ? MS_SEC_SSL
                                                 : MS_SEC_STARTTLS;
    }
}

static ms_code read_account(const ms_scope *scope, ms_reg *reg, const char *key, ms_account *a,
                            bool *mail, bool *legacy_ssl)
{
    bereg_reader rd;
    bereg_reader_init(&rd, reg, key);
    *mail = false;
    *legacy_ssl = false;
    /* The name first: it names the account in any later error. */
    a->account_name = bereg_str(&rd, "Account Name", REGVAL_BINARY_SZ);
    /* Outlook stores one of the two; a POP3 account needs no look for an
     * IMAP server (a round trip fewer per account under Wine). */
    char *pop = bereg_str(&rd, "POP3 Server", REGVAL_BINARY_SZ);
    char *imap = pop && *pop ? NULL : bereg_str(&rd, "IMAP Server", REGVAL_BINARY_SZ);
    bool is_imap = imap && *imap;
    if (rd.err.code == MS_OK && !is_imap && !(pop && *pop)) {
        free(imap);
        free(pop);
        return MS_OK;
    }
    *mail = true;
    a->incoming_proto = is_imap ? MS_IN_IMAP : MS_IN_POP3;
    a->incoming_host = is_imap ? imap : pop;
    free(is_imap ? pop : imap);
    a->email = bereg_str(&rd, "Email", REGVAL_BINARY_SZ);
    a->smtp_host = bereg_str(&rd, "SMTP Server", REGVAL_BINARY_SZ);
    if (rd.err.code == MS_OK && !backend_wants(scope, a)) {
        a->summary_only = true;
        return MS_OK;
    }
    read_incoming(&rd, key, is_imap ? "IMAP" : "POP3", a);
    struct olk_smtp s;
    read_smtp(&rd, key, a, &s);
    smtp_model(&s, a, legacy_ssl);
    if (rd.err.code != MS_OK) {
        if (rd.err.code == MS_ERR_NOMEM)
            return MS_ERR_NOMEM;
        ms_fail(&a->read_error, rd.err.code, "%s (%s): %s", a->account_name ? a->account_name : "?",
                a->id, rd.err.detail);
        clear_settings(a);
    }
    return MS_OK;
}

/* The id: "outlook/<profile>/<key>" or "outlook2013/<version>/<profile>/<key>". */
static char *make_id(const struct olk_root *r, const char *profile, const char *key)
{
    strbuf sb;
    strbuf_init(&sb);
    strbuf_addstr(&sb, account_program_id(r->program));
    if (r->version)
        strbuf_addf(&sb, "/%s", r->version);
    strbuf_addf(&sb, "/%s/%s", profile, key);
    if (sb.oom) {
        strbuf_free(&sb);
        return NULL;
    }
    return strbuf_detach(&sb, NULL);
}

static ms_code scan_profile(const ms_env *env, const struct olk_root *r, const char *profile,
                            ms_account_list *out, ms_error *err)
{
    char *acct_root = join3(r->key, profile, OUTLOOK_ACCOUNTS_KEY);
    if (!acct_root)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    strbuf names;
    strbuf_init(&names);
    ms_error kerr;
    ms_code rc = env->reg->ops->subkeys(env->reg, acct_root, &names, &kerr);
    if (rc == MS_ERR_REG_NOT_FOUND) {
        rc = MS_OK;
        goto done;
    }
    if (rc != MS_OK) {
        if (err)
            *err = kerr;
        goto done;
    }
    uint32_t *order = NULL;
    size_t n_order = 0;
    bool have_order;
    ms_error oerr;
    ms_error_clear(&oerr);
    /* A broken order list only loses the default mark; apply refuses to
     * change the default then. */
    if (read_order(env->reg, acct_root, &order, &n_order, &have_order, &oerr) == MS_ERR_NOMEM) {
        rc = ms_fail(err, MS_ERR_NOMEM, NULL);
        goto done;
    }
    for (size_t i = 0; rc == MS_OK && i < names.len;) {
        const char *kname = names.buf + i;
        i += strlen(kname) + 1;
        if (!is_account_key(kname))
            continue;
        ms_account a;
        memset(&a, 0, sizeof a);
        a.id = make_id(r, profile, kname);
        if (a.id && backend_skips(env, a.id, true)) {
            free(a.id);
            continue;
        }
        char *key = join3(acct_root, kname, NULL);
        a.program = r->program;
        a.program_version = ms_strdup(r->version);
        a.location = key ? bereg_location(key) : NULL;
        a.container = ms_strdup(profile);
        if (!key || !a.id || !a.location || !a.container || (r->version && !a.program_version)) {
            free(key);
            account_free(&a);
            rc = ms_fail(err, MS_ERR_NOMEM, NULL);
            break;
        }
        bool mail, legacy;
        rc = read_account(env->scope, env->reg, key, &a, &mail, &legacy);
        free(key);
        if (rc != MS_OK || !mail) {
            account_free(&a);
            if (rc != MS_OK)
                ms_fail(err, rc, NULL);
            continue;
        }
        a.is_default = n_order > 0 && order[0] == hex_id(kname);
        ms_account *slot = account_list_add(out);
        if (!slot) {
            account_free(&a);
            rc = ms_fail(err, MS_ERR_NOMEM, NULL);
            break;
        }
        *slot = a;
    }
    free(order);
done:
    strbuf_free(&names);
    free(acct_root);
    return rc;
}

static ms_code scan_root(const ms_env *env, const struct olk_root *r, ms_account_list *out,
                         ms_error *err)
{
    strbuf profiles;
    strbuf_init(&profiles);
    ms_error kerr;
    ms_code rc = env->reg->ops->subkeys(env->reg, r->key, &profiles, &kerr);
    if (rc == MS_ERR_REG_NOT_FOUND) {
        strbuf_free(&profiles);
        return MS_OK;
    }
    if (rc != MS_OK) {
        strbuf_free(&profiles);
        if (err)
            *err = kerr;
        return rc;
    }
    for (size_t i = 0; rc == MS_OK && i < profiles.len;) {
        const char *p = profiles.buf + i;
        i += strlen(p) + 1;
        char *prefix = make_id(r, p, "");
        if (!prefix)
            rc = ms_fail(err, MS_ERR_NOMEM, NULL);
        else if (!backend_skips(env, prefix, false))
            rc = scan_profile(env, r, p, out, err);
        free(prefix);
    }
    strbuf_free(&profiles);
    return rc;
}

static ms_code scan_program(const ms_env *env, ms_program prog, ms_account_list *out, ms_error *err)
{
    if (!env || !env->reg)
        return ms_fail(err, MS_ERR_INTERNAL, "outlook scan");
    ms_code rc = MS_OK;
    for (size_t i = 0; rc == MS_OK && i < sizeof roots / sizeof roots[0]; i++)
        if (roots[i].program == prog)
            rc = scan_root(env, &roots[i], out, err);
    return rc;
}

static ms_code scan_wms(const ms_env *env, ms_account_list *out, ms_error *err)
{
    return scan_program(env, MS_PROG_OUTLOOK, out, err);
}

static ms_code scan_2013(const ms_env *env, ms_account_list *out, ms_error *err)
{
    return scan_program(env, MS_PROG_OUTLOOK_NEW, out, err);
}

/* ---- where an account lives */

struct where {
    const struct olk_root *root;
    char profile[256];
    char kname[9];
    char *acct_root; /* ...\<profile>\9375CFF0... */
    char *key;       /* acct_root\<kname> */
};

static void where_free(struct where *w)
{
    free(w->acct_root);
    free(w->key);
}

static ms_code locate(const ms_account *a, struct where *w, ms_error *err)
{
    memset(w, 0, sizeof *w);
    const char *rel = bereg_rel(a->location);
    if (!rel)
        return ms_fail(err, MS_ERR_INTERNAL, "%s: not a registry account", a->id);
    for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++) {
        const struct olk_root *r = &roots[i];
        size_t n = strlen(r->key);
        if (r->program != a->program || strncmp(rel, r->key, n) != 0 || rel[n] != '\\')
            continue;
        const char *profile = rel + n + 1;
        const char *tail = strstr(profile, "\\" OUTLOOK_ACCOUNTS_KEY "\\");
        if (!tail || (size_t)(tail - profile) >= sizeof w->profile)
            break;
        const char *kname = tail + 1 + strlen(OUTLOOK_ACCOUNTS_KEY) + 1;
        if (!is_account_key(kname))
            break;
        memcpy(w->profile, profile, (size_t)(tail - profile));
        w->profile[tail - profile] = '\0';
        memcpy(w->kname, kname, 9);
        w->root = r;
        w->key = ms_strdup(rel);
        w->acct_root = malloc((size_t)(kname - rel));
        if (!w->key || !w->acct_root) {
            where_free(w);
            return ms_fail(err, MS_ERR_NOMEM, NULL);
        }
        memcpy(w->acct_root, rel, (size_t)(kname - rel - 1));
        w->acct_root[kname - rel - 1] = '\0';
        return MS_OK;
    }
    return ms_fail(err, MS_ERR_INTERNAL, "%s: not an Outlook account location", a->id);
}

ms_code outlook_target_of(const ms_env *env, const ms_account *a, outlook_target *t, ms_error *err)
{
    struct where w;
    ms_code rc = locate(a, &w, err);
    if (rc != MS_OK)
        return rc;
    memset(t, 0, sizeof *t);
    snprintf(t->profile, sizeof t->profile, "%s", w.profile);
    snprintf(t->version, sizeof t->version, "%s", w.root->version ? w.root->version : "");
    t->account_id = hex_id(w.kname);
    ms_account cur;
    memset(&cur, 0, sizeof cur);
    cur.id = a->id;
    bool mail;
    rc = read_account(NULL, env->reg, w.key, &cur, &mail, &t->legacy_ssl);
    cur.id = NULL;
    account_free(&cur);
    where_free(&w);
    return rc == MS_OK ? MS_OK : ms_fail(err, rc, NULL);
}

/* ---- changing */

/* One registry write of the registry path. */
struct rwrite {
    const char *name;
    uint32_t type;
    strbuf data;
};

struct rlist {
    struct rwrite w[ACCTPROPS_MAX_WRITES];
    size_t n;
};

static void rlist_free(struct rlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        strbuf_wipe(&l->w[i].data);
    l->n = 0;
}

static struct rwrite *rlist_add(struct rlist *l, const char *name, uint32_t type)
{
    if (l->n == ACCTPROPS_MAX_WRITES)
        return NULL;
    struct rwrite *w = &l->w[l->n++];
    w->name = name;
    w->type = type;
    strbuf_init(&w->data);
    return w;
}

static ms_code add_dword(struct rlist *l, const char *name, uint32_t v, ms_error *err)
{
    struct rwrite *w = rlist_add(l, name, MS_REG_DWORD);
    if (!w)
        return ms_fail(err, MS_ERR_INTERNAL, "too many writes");
    unsigned char b[4];
    regval_encode_dword(v, b);
    strbuf_add(&w->data, b, 4);
    return w->data.oom ? ms_fail(err, MS_ERR_NOMEM, NULL) : MS_OK;
}

static ms_code add_string(struct rlist *l, const char *name, const char *utf8, ms_error *err)
{
    struct rwrite *w = rlist_add(l, name, MS_REG_BINARY);
    if (!w)
        return ms_fail(err, MS_ERR_INTERNAL, "too many writes");
    if (!regval_encode_string(utf8 ? utf8 : "", &w->data))
        return ms_fail(err, MS_ERR_INTERNAL, "%s: the new text is not valid UTF-8", name);
    return w->data.oom ? ms_fail(err, MS_ERR_NOMEM, NULL) : MS_OK;
}

/* The registry writes for the changes (all but MS_F_DEFAULT). */
static ms_code plan_writes(const ms_account *cur, bool legacy_ssl, const ms_change *changes,
                           size_t n, struct rlist *l, ms_error *err)
{
    bool imap = cur->incoming_proto == MS_IN_IMAP;
    ms_code rc = MS_OK;
    for (size_t i = 0; rc == MS_OK && i < n; i++) {
        const ms_change *c = &changes[i];
        switch (c->field) {
        case MS_F_SMTP_HOST:
            if (!c->to.str || !*c->to.str)
                return ms_fail(err, MS_ERR_INTERNAL, "%s: empty SMTP server", cur->id);
            rc = add_string(l, "SMTP Server", c->to.str, err);
            break;
        case MS_F_SMTP_PORT:
            if (c->to.num == 0 || c->to.num > 65535)
                return ms_fail(err, MS_ERR_INTERNAL, "%s: port %u", cur->id, c->to.num);
            rc = add_dword(l, "SMTP Port", c->to.num, err);
            break;
        case MS_F_SMTP_AUTH: {
            static const char *const names[3] = {"SMTP Use Auth", "SMTP Auth Method",
                                                 "SMTP Use SPA"};
            uint32_t v[3];
            size_t k = acctprops_olk_auth(c->to.num, cur->smtp_auth, v);
            if (!k)
                return ms_fail(err, MS_ERR_INTERNAL, "%s: auth %u", cur->id, c->to.num);
            for (size_t w = 0; rc == MS_OK && w < k; w++)
                rc = add_dword(l, names[w], v[w], err);
            break;
        }
        case MS_F_SMTP_USER:
            rc = add_string(l, "SMTP User", c->to.str, err);
            break;
        case MS_F_SMTP_SECURITY:
            if (c->to.num > MS_SEC_SSL)
                return ms_fail(err, MS_ERR_INTERNAL, "%s: security %u", cur->id, c->to.num);
            if (legacy_ssl)
                rc = add_dword(l, "SMTP Use SSL", c->to.num != MS_SEC_NONE, err);
            else
                rc = add_dword(l, "SMTP Secure Connection", acctprops_olk_encrypt(c->to.num), err);
            break;
        case MS_F_INCOMING_HOST:
            if (!c->to.str || !*c->to.str)
                return ms_fail(err, MS_ERR_INTERNAL, "%s: empty incoming server", cur->id);
            rc = add_string(l, imap ? "IMAP Server" : "POP3 Server", c->to.str, err);
            break;
        case MS_F_INCOMING_USER:
            rc = add_string(l, imap ? "IMAP User" : "POP3 User", c->to.str, err);
            break;
        case MS_F_DEFAULT:
            break;
        case MS_F_COUNT:
            return ms_fail(err, MS_ERR_INTERNAL, "%s: unknown field", cur->id);
        }
    }
    return rc;
}

/* Moves kname's id to the front of the order list (on) or off it (!on:
 * behind the next account), journalling the value first. */
static ms_code set_default(ms_reg *reg, ms_journal *j, const struct where *w, bool on,
                           ms_error *err)
{
    uint32_t *ids;
    size_t n;
    bool present;
    ms_code rc = read_order(reg, w->acct_root, &ids, &n, &present, err);
    if (rc != MS_OK)
        return rc;
    uint32_t id = hex_id(w->kname);
    size_t at = n;
    for (size_t i = 0; i < n; i++)
        if (ids[i] == id) {
            at = i;
            break;
        }
    uint32_t *nv = malloc((n + 1) * sizeof *nv);
    if (!nv) {
        free(ids);
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    }
    size_t m = 0;
    if (on) {
        nv[m++] = id;
        for (size_t i = 0; i < n; i++)
            if (i != at)
                nv[m++] = ids[i];
    } else {
        if (at != 0 || n < 2) {
            free(ids);
            free(nv);
            return ms_fail(err, MS_ERR_UNSUPPORTED_SETTING, "%s\\%s: no other default account",
                           BEREG_HKCU, w->acct_root);
        }
        nv[m++] = ids[1];
        nv[m++] = id;
        for (size_t i = 2; i < n; i++)
            nv[m++] = ids[i];
    }
    free(ids);
    strbuf b;
    strbuf_init(&b);
    for (size_t i = 0; i < m; i++) {
        unsigned char e[4];
        regval_encode_dword(nv[i], e);
        strbuf_add(&b, e, 4);
    }
    free(nv);
    rc = b.oom ? ms_fail(err, MS_ERR_NOMEM, NULL)
               : bereg_put(reg, j, w->acct_root, OUTLOOK_MAIL_ORDER, MS_REG_BINARY, b.buf, b.len,
                           err);
    strbuf_free(&b);
    return rc;
}

/* The account as the registry holds it now (cur), checked against the
 * scan: still a mail account, readable, each change's from value (or its
 * to value) still there. */
static ms_code reread_checked(ms_reg *reg, const ms_account *acct, const struct where *w,
                              const ms_change *changes, size_t n, ms_account *cur, bool *legacy,
                              ms_error *err)
{
    memset(cur, 0, sizeof *cur);
    cur->program = acct->program;
    cur->id = ms_strdup(acct->id);
    if (!cur->id)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    bool mail = false;
    ms_code rc = read_account(NULL, reg, w->key, cur, &mail, legacy);
    if (rc != MS_OK)
        return rc == MS_ERR_NOMEM ? ms_fail(err, rc, NULL) : rc;
    if (!mail)
        return ms_fail(err, MS_ERR_CHANGED_SINCE_SCAN, "%s: no longer a mail account", acct->id);
    if (cur->read_error.code != MS_OK)
        return ms_fail(err, MS_ERR_ACCOUNT_UNREADABLE, "%s", cur->read_error.detail);
    uint32_t *ids;
    size_t n_ids;
    bool present;
    if (read_order(reg, w->acct_root, &ids, &n_ids, &present, err) == MS_OK) {
        cur->is_default = n_ids > 0 && ids[0] == hex_id(w->kname);
        free(ids);
    }
    return bereg_check_changes(cur, changes, n, err);
}

/* The backup first, whichever path writes: the same journal either way
 * (values that already hold their new bytes are not written). */
static ms_code journal_writes(ms_reg *reg, ms_journal *j, const char *key, const struct rlist *l,
                              ms_error *err)
{
    for (size_t i = 0; i < l->n; i++) {
        if (regval_equals(reg, key, l->w[i].name, l->w[i].type, l->w[i].data.buf,
                          l->w[i].data.len))
            continue;
        ms_code rc = journal_reg_before(j, reg, key, l->w[i].name, err);
        if (rc != MS_OK)
            return rc;
    }
    return MS_OK;
}

/* The registry path: the values, then the default account's order. */
static ms_code put_writes(ms_reg *reg, ms_journal *j, const struct where *w, const struct rlist *l,
                          const ms_change *changes, size_t n, ms_error *err)
{
    for (size_t i = 0; i < l->n; i++) {
        ms_code rc = bereg_put(reg, j, w->key, l->w[i].name, l->w[i].type, l->w[i].data.buf,
                               l->w[i].data.len, err);
        if (rc != MS_OK)
            return rc;
    }
    for (size_t i = 0; i < n; i++) {
        if (changes[i].field != MS_F_DEFAULT)
            continue;
        ms_code rc = set_default(reg, j, w, changes[i].to.num != 0, err);
        if (rc != MS_OK)
            return rc;
    }
    return MS_OK;
}

static ms_code apply_account(const ms_env *env, const ms_account *acct, const ms_change *changes,
                             size_t n, ms_journal *j, ms_error *err)
{
    if (!env || !env->reg || !acct || !j)
        return ms_fail(err, MS_ERR_INTERNAL, "outlook apply");
    if (acct->read_error.code != MS_OK)
        return ms_fail(err, MS_ERR_ACCOUNT_UNREADABLE, "%s", acct->read_error.detail);
    struct where w;
    ms_code rc = locate(acct, &w, err);
    if (rc != MS_OK)
        return rc;
    ms_account cur;
    bool legacy = false;
    struct rlist l = {.n = 0};
    rc = reread_checked(env->reg, acct, &w, changes, n, &cur, &legacy, err);
    if (rc != MS_OK)
        goto out;
    rc = plan_writes(&cur, legacy, changes, n, &l, err);
    if (rc != MS_OK)
        goto out;
    rc = journal_writes(env->reg, j, w.key, &l, err);
    if (rc != MS_OK)
        goto out;
    if (acctprops_try_outlook(env->acctprops, acct, &cur, w.profile, w.root->version,
                              hex_id(w.kname), legacy, changes, n))
        goto out;
    rc = put_writes(env->reg, j, &w, &l, changes, n, err);
out:
    rlist_free(&l);
    account_free(&cur);
    where_free(&w);
    return rc;
}

static const char *const outlook_exes[] = {"outlook.exe", NULL};

const ms_backend outlook_backend = {
    .program = MS_PROG_OUTLOOK,
    .id = "outlook",
    .process_names = outlook_exes,
    .scan = scan_wms,
    .apply = apply_account,
    .add_account = NULL,
    .can_change = BACKEND_ALL_FIELDS,
};

const ms_backend outlook_backend_2013 = {
    .program = MS_PROG_OUTLOOK_NEW,
    .id = "outlook2013",
    .process_names = outlook_exes,
    .scan = scan_2013,
    .apply = apply_account,
    .add_account = NULL,
    .can_change = BACKEND_ALL_FIELDS,
};
