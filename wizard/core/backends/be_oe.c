/* be_oe: Outlook Express 5/6 over the registry; see be_oe.h.
 *
 * Where things are (docs/mail-programs.md has each fact's source):
 * - HKCU\Identities\{GUID} is one identity; its "Username" is the name the
 *   user sees in File > Switch Identity.
 * - Below it, ...\Internet Account Manager holds "Default Mail Account" (the
 *   account key's name, "00000001") and Accounts\NNNNNNNN one key per
 *   account: mail, news and directory (LDAP) accounts alike. A mail account
 *   has "POP3 Server" or "IMAP Server"; the others are left alone.
 * - "SMTP Use Sicily" is the SMTPAUTHTYPE of imnact.h: 0 none, 1 SPA,
 *   2 the incoming server's settings, 3 "SMTP User Name" + password.
 * - "SMTP Port" absent means 25; "SMTP Secure Connection" is the SSL
 *   checkbox: implicit TLS on 465, STARTTLS elsewhere (as be_wlmail).
 * Passwords ("... Password2") are never read, copied or journalled. */
#include "be_oe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acctprops.h"
#include "bereg.h"
#include "journal.h"
#include "regval.h"

#define IDENTITIES "Identities"
#define IAM_BELOW_IDENTITY "Software\\Microsoft\\Internet Account Manager"
#define ACCOUNTS "Accounts"
#define VAL_DEFAULT "Default Mail Account"
#define VAL_SERVER_ID "Server ID"
#define MAX_ACCOUNT_NUMBER 0xFFFFFFFFul

/* A program that keeps its accounts as Outlook Express does: Outlook
 * Express itself, and Outlook 98/2000 in Internet-only mode, whose "OMI
 * Account Manager" has the same Accounts\NNNNNNNN keys and value names
 * (docs/mail-programs.md). One mechanism, two sets of roots. */
struct oe_flavor {
    ms_program program;
    const char *prefix; /* account ids: "<prefix>/<tag>/<leaf>" */
    bool identities;    /* stores under HKCU\Identities\{GUID} (OE 5/6) */
    /* The stores outside identities, {key, tag, container}; with
     * first_only, only the first whose Accounts key exists is read (as
     * Thunderbird's importer: Outlook 2000's key, else Outlook 98's). */
    const char *const (*roots)[3];
    size_t n_roots;
    bool first_only;
    bool api; /* OE's own account manager (msoeacct.dll) may write */
};

static const char *const oe_roots[][3] = {{OE_IAM_KEY, OE_SHARED, OE_SHARED}};
static const struct oe_flavor flavor_oe = {MS_PROG_OE, "oe", true, oe_roots, 1, false, true};
static const char *const imo_roots[][3] = {
    {IMO_KEY_2000, IMO_TAG_2000, "Outlook 2000"},
    {IMO_KEY_98, IMO_TAG_98, "Outlook 98"},
};
static const struct oe_flavor flavor_imo = {
    MS_PROG_OUTLOOK_IMO, "outlook2000", false, imo_roots, 2, true, false};

static const struct oe_flavor *flavor_of(ms_program p)
{
    return p == MS_PROG_OUTLOOK_IMO ? &flavor_imo : &flavor_oe;
}

/* One store of accounts: an identity's or the shared one. */
struct oe_store {
    const struct oe_flavor *fl;
    char *iam;       /* HKCU-relative Internet Account Manager key */
    char *tag;       /* "{GUID}" or "shared": the middle of account ids */
    char *container; /* identity name, or "shared" */
};

static void store_free(struct oe_store *s)
{
    free(s->iam);
    free(s->tag);
    free(s->container);
    memset(s, 0, sizeof *s);
}

/* a + b + c, malloc'd (NULL when out of memory). */
static char *cat3(const char *a, const char *b, const char *c)
{
    size_t na = strlen(a), nb = strlen(b), nc = strlen(c);
    char *s = malloc(na + nb + nc + 1);
    if (s) {
        memcpy(s, a, na);
        memcpy(s + na, b, nb);
        memcpy(s + na + nb, c, nc + 1);
    }
    return s;
}

/* "<prefix>/<tag>/<leaf>" ("oe/{GUID}/00000001") */
static char *account_id(const struct oe_flavor *fl, const char *tag, const char *leaf)
{
    char *p = cat3(fl->prefix, "/", tag);
    char *t = p ? cat3(p, "/", "") : NULL;
    free(p);
    char *id = t ? cat3(t, leaf, "") : NULL;
    free(t);
    return id;
}

/* ---- reading one account */

static const uint32_t sicily_of_auth[4] = {
    [MS_AUTH_NONE] = 0, [MS_AUTH_SAME_AS_INCOMING] = 2, [MS_AUTH_OWN] = 3, [MS_AUTH_SPA] = 1};
static const ms_smtp_auth auth_of_sicily[4] = {MS_AUTH_NONE, MS_AUTH_SPA, MS_AUTH_SAME_AS_INCOMING,
                                               MS_AUTH_OWN};

static unsigned read_port(bereg_reader *rd, const char *name, uint32_t dflt)
{
    bool present;
    uint32_t v = bereg_dword(rd, name, dflt, &present);
    if (present && (v == 0 || v > 65535)) {
        bereg_reader_fail(rd, MS_ERR_REG_BAD_VALUE, "%s\\%s: %lu is not a port number", rd->key,
                          name, (unsigned long)v);
        return (unsigned)dflt;
    }
    return (unsigned)v;
}

static uint32_t read_choice(bereg_reader *rd, const char *name, uint32_t max)
{
    uint32_t v = bereg_dword(rd, name, 0, NULL);
    if (v > max) {
        bereg_reader_fail(rd, MS_ERR_REG_BAD_VALUE, "%s\\%s: %lu (0 to %lu expected)", rd->key,
                          name, (unsigned long)v, (unsigned long)max);
        return 0;
    }
    return v;
}

/* Reads the account in key (HKCU-relative) into a (zeroed by the caller,
 * id/location/container set). *mail false: not a mail account (a stays
 * as it was). A broken value leaves a listed with read_error. An account
 * the scope does not want is left summary_only (NULL scope: read in full). */
static ms_code read_account(const ms_scope *scope, ms_reg *reg, const char *key,
                            const char *default_leaf, ms_account *a, bool *mail)
{
    bereg_reader rd;
    bereg_reader_init(&rd, reg, key);
    *mail = false;
    char *pop = bereg_str(&rd, "POP3 Server", REGVAL_SZ);
    /* A POP3 account needs no look for an IMAP server (one round trip
     * fewer per account: a scan reads hundreds). */
    char *imap = pop && *pop ? NULL : bereg_str(&rd, "IMAP Server", REGVAL_SZ);
    if (rd.err.code == MS_OK && !(pop && *pop) && !(imap && *imap)) {
        free(pop);
        free(imap);
        return MS_OK; /* news, directory service or HTTPMail account */
    }
    *mail = true;
    bool is_imap = rd.err.code == MS_OK && !(pop && *pop);
    a->incoming_proto = is_imap ? MS_IN_IMAP : MS_IN_POP3;
    a->incoming_host = is_imap ? imap : pop;
    free(is_imap ? pop : imap);
    a->account_name = bereg_str(&rd, "Account Name", REGVAL_SZ);
    a->email = bereg_str(&rd, "SMTP Email Address", REGVAL_SZ);
    a->smtp_host = bereg_str(&rd, "SMTP Server", REGVAL_SZ);
    const char *leaf = strrchr(key, '\\');
    a->is_default = default_leaf && leaf && ms_strcasecmp(leaf + 1, default_leaf) == 0;
    if (rd.err.code == MS_OK && !backend_wants(scope, a)) {
        a->summary_only = true;
        return MS_OK;
    }
    a->display_name = bereg_str(&rd, "SMTP Display Name", REGVAL_SZ);
    a->incoming_user = bereg_str(&rd, is_imap ? "IMAP User Name" : "POP3 User Name", REGVAL_SZ);
    a->incoming_port = read_port(&rd, is_imap ? "IMAP Port" : "POP3 Port", 0);
    /* One checkbox, "This server requires a secure connection (SSL)":
     * implicit TLS (OE has no STARTTLS for POP3/IMAP). */
    a->incoming_security =
        read_choice(&rd, is_imap ? "IMAP Secure Connection" : "POP3 Secure Connection", 1)
            ? MS_SEC_SSL
            : MS_SEC_NONE;
    a->smtp_port = read_port(&rd, "SMTP Port", 25);
    a->smtp_auth = auth_of_sicily[read_choice(&rd, "SMTP Use Sicily", 3)];
    a->smtp_user = bereg_str(&rd, "SMTP User Name", REGVAL_SZ);
    uint32_t secure = read_choice(&rd, "SMTP Secure Connection", 1);
    a->smtp_security = !secure ? MS_SEC_NONE : a->smtp_port == 465 ? MS_SEC_SSL : MS_SEC_STARTTLS;
    if (rd.err.code == MS_ERR_NOMEM)
        return MS_ERR_NOMEM;
    if (rd.err.code != MS_OK) {
        /* Listed so the report names it, but with nothing a plan could
         * match: the account is left alone. */
        a->read_error = rd.err;
        char **clear[] = {&a->email, &a->incoming_host, &a->incoming_user, &a->smtp_host,
                          &a->smtp_user};
        for (size_t i = 0; i < sizeof clear / sizeof clear[0]; i++) {
            free(*clear[i]);
            *clear[i] = NULL;
        }
    }
    return MS_OK;
}

/* The "Default Mail Account" of a store: NULL when unset. A broken value
 * is returned in *bad so every account of the store can carry it. */
static char *read_default(ms_reg *reg, const char *iam, ms_error *bad)
{
    char *s = NULL;
    ms_error_clear(bad);
    ms_code rc = regval_get_string(reg, iam, VAL_DEFAULT, REGVAL_SZ, &s, bad);
    if (rc == MS_ERR_REG_NOT_FOUND)
        ms_error_clear(bad);
    return rc == MS_OK ? s : NULL;
}

/* Lists NUL-separated names into a strbuf; NOT_FOUND is an empty list. */
static ms_code list_subkeys(ms_reg *reg, const char *key, strbuf *out, ms_error *err)
{
    ms_error e;
    ms_code rc = reg->ops->subkeys(reg, key, out, &e);
    if (rc == MS_ERR_REG_NOT_FOUND)
        return MS_OK;
    if (rc != MS_OK && err)
        *err = e;
    return rc;
}

static ms_account *add_placeholder(ms_account_list *out, const struct oe_store *st, const char *key,
                                   const char *leaf, const ms_error *why)
{
    ms_account *a = account_list_add(out);
    if (!a)
        return NULL;
    a->program = st->fl->program;
    a->id = account_id(st->fl, st->tag, leaf);
    a->location = bereg_location(key);
    a->container = ms_strdup(st->container);
    a->read_error = *why;
    if (!a->id || !a->location || !a->container)
        return NULL;
    return a;
}

static ms_code scan_store(const ms_env *env, const struct oe_store *st, ms_account_list *out,
                          ms_error *err)
{
    ms_reg *reg = env->reg;
    char *accounts = cat3(st->iam, "\\" ACCOUNTS, "");
    if (!accounts)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    strbuf names, key;
    strbuf_init(&names);
    strbuf_init(&key);
    ms_error lerr;
    ms_error_clear(&lerr);
    ms_code rc = list_subkeys(reg, accounts, &names, &lerr);
    if (rc == MS_ERR_NOMEM) {
        free(accounts);
        strbuf_free(&names);
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    }
    if (rc != MS_OK) {
        /* The list itself cannot be read: one entry names the store. */
        rc = add_placeholder(out, st, accounts, "*", &lerr) ? MS_OK
                                                            : ms_fail(err, MS_ERR_NOMEM, NULL);
        free(accounts);
        strbuf_free(&names);
        return rc;
    }
    ms_error bad_default;
    char *def = read_default(reg, st->iam, &bad_default);
    for (size_t i = 0; rc == MS_OK && i < names.len; i += strlen(names.buf + i) + 1) {
        const char *leaf = names.buf + i;
        strbuf_reset(&key);
        strbuf_addf(&key, "%s\\%s", accounts, leaf);
        if (key.oom) {
            rc = ms_fail(err, MS_ERR_NOMEM, NULL);
            break;
        }
        ms_account a;
        memset(&a, 0, sizeof a);
        a.program = st->fl->program;
        a.id = account_id(st->fl, st->tag, leaf);
        if (a.id && backend_skips(env, a.id, true)) {
            free(a.id);
            continue;
        }
        bool mail = false;
        rc = a.id ? read_account(env->scope, reg, key.buf, def, &a, &mail) : MS_ERR_NOMEM;
        if (rc != MS_OK) {
            account_free(&a);
            rc = ms_fail(err, rc, NULL);
            break;
        }
        if (!mail) {
            account_free(&a);
            continue;
        }
        if (a.read_error.code == MS_OK && bad_default.code != MS_OK)
            a.read_error = bad_default;
        a.location = bereg_location(key.buf);
        a.container = ms_strdup(st->container);
        ms_account *slot = a.id && a.location && a.container ? account_list_add(out) : NULL;
        if (!slot) {
            account_free(&a);
            rc = ms_fail(err, MS_ERR_NOMEM, NULL);
            break;
        }
        *slot = a;
    }
    free(def);
    free(accounts);
    strbuf_free(&names);
    strbuf_free(&key);
    return rc;
}

static bool looks_like_guid(const char *s)
{
    return s[0] == '{' && strlen(s) == 38 && s[37] == '}';
}

/* Whether the scope rules out every account of the store tagged tag. */
static bool skips_store(const ms_env *env, const struct oe_flavor *fl, const char *tag)
{
    char *prefix = account_id(fl, tag, "");
    bool skip = prefix && backend_skips(env, prefix, false);
    free(prefix);
    return skip;
}

/* Whether key\Accounts exists (a store of this program is there). */
static bool has_accounts(ms_reg *reg, const char *key)
{
    char *accounts = cat3(key, "\\" ACCOUNTS, "");
    strbuf names;
    strbuf_init(&names);
    ms_error e;
    bool yes = accounts && reg->ops->subkeys(reg, accounts, &names, &e) != MS_ERR_REG_NOT_FOUND;
    strbuf_free(&names);
    free(accounts);
    return yes;
}

/* Every store: the identities in registry order (Outlook Express), then
 * the roots outside identities (those the scope rules out are left out
 * unread). */
static ms_code list_stores(const ms_env *env, const struct oe_flavor *fl, struct oe_store **out,
                           size_t *n, ms_error *err)
{
    ms_reg *reg = env->reg;
    *out = NULL;
    *n = 0;
    strbuf ids;
    strbuf_init(&ids);
    ms_code rc = fl->identities ? list_subkeys(reg, IDENTITIES, &ids, err) : MS_OK;
    if (rc != MS_OK) {
        /* HKCU\Identities unreadable: the shared store is still scanned;
         * an identity store cannot be named, so report the key. */
        strbuf_free(&ids);
        return rc;
    }
    size_t count = fl->n_roots;
    for (size_t i = 0; i < ids.len; i += strlen(ids.buf + i) + 1)
        count++;
    struct oe_store *v = calloc(count, sizeof *v);
    if (!v) {
        strbuf_free(&ids);
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    }
    size_t k = 0;
    for (size_t i = 0; i < ids.len; i += strlen(ids.buf + i) + 1) {
        const char *g = ids.buf + i;
        if (!looks_like_guid(g) || skips_store(env, fl, g))
            continue;
        struct oe_store *s = &v[k++];
        s->fl = fl;
        s->iam = cat3(IDENTITIES "\\", g, "\\" IAM_BELOW_IDENTITY);
        s->tag = ms_strdup(g);
        char *idkey = cat3(IDENTITIES "\\", g, "");
        char *name = NULL;
        ms_error ignored;
        if (idkey) /* no name: the identity's GUID names it */
            (void)!regval_get_string(reg, idkey, "Username", REGVAL_SZ, &name, &ignored);
        free(idkey);
        s->container = name && *name ? name : ms_strdup(g);
        if (s->container != name)
            free(name);
        if (!s->iam || !s->tag || !s->container)
            rc = ms_fail(err, MS_ERR_NOMEM, NULL);
    }
    for (size_t r = 0; r < fl->n_roots; r++) {
        if (fl->first_only && !has_accounts(reg, fl->roots[r][0]))
            continue;
        if (!skips_store(env, fl, fl->roots[r][1])) {
            struct oe_store *s = &v[k++];
            s->fl = fl;
            s->iam = ms_strdup(fl->roots[r][0]);
            s->tag = ms_strdup(fl->roots[r][1]);
            s->container = ms_strdup(fl->roots[r][2]);
            if (!s->iam || !s->tag || !s->container)
                rc = ms_fail(err, MS_ERR_NOMEM, NULL);
        }
        if (fl->first_only)
            break;
    }
    strbuf_free(&ids);
    if (rc != MS_OK) {
        for (size_t i = 0; i < k; i++)
            store_free(&v[i]);
        free(v);
        return rc;
    }
    *out = v;
    *n = k;
    return MS_OK;
}

static void stores_free(struct oe_store *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        store_free(&v[i]);
    free(v);
}

static ms_code scan_flavor(const ms_env *env, const struct oe_flavor *fl, ms_account_list *out,
                           ms_error *err)
{
    if (!env->reg)
        return MS_OK;
    struct oe_store *st;
    size_t n;
    ms_code rc = list_stores(env, fl, &st, &n, err);
    if (rc != MS_OK)
        return rc;
    for (size_t i = 0; rc == MS_OK && i < n; i++)
        rc = scan_store(env, &st[i], out, err);
    stores_free(st, n);
    return rc;
}

static ms_code oe_scan(const ms_env *env, ms_account_list *out, ms_error *err)
{
    return scan_flavor(env, &flavor_oe, out, err);
}

static ms_code imo_scan(const ms_env *env, ms_account_list *out, ms_error *err)
{
    return scan_flavor(env, &flavor_imo, out, err);
}

/* ---- changing */

/* key = "...\Internet Account Manager\Accounts\NNNNNNNN": the IAM key
 * (malloc'd) and the leaf. */
static ms_code split_location(const ms_account *a, char **iam, const char **leaf, ms_error *err)
{
    *iam = NULL;
    const char *rel = bereg_rel(a->location);
    const char *slash = rel ? strrchr(rel, '\\') : NULL;
    static const char acc[] = "\\" ACCOUNTS;
    size_t plen = slash ? (size_t)(slash - rel) : 0;
    bool ok = slash && plen >= sizeof acc;
    for (size_t i = 0; ok && i < sizeof acc - 1; i++) {
        char c = rel[plen - (sizeof acc - 1) + i];
        ok = (c >= 'A' && c <= 'Z' ? (char)(c + 32) : c) ==
             (acc[i] >= 'A' && acc[i] <= 'Z' ? (char)(acc[i] + 32) : acc[i]);
    }
    if (!ok)
        return ms_fail(err, MS_ERR_INTERNAL, "not an Outlook Express account key: %s",
                       a->location ? a->location : "(null)");
    size_t n = plen - (sizeof acc - 1);
    *iam = malloc(n + 1);
    if (!*iam)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    memcpy(*iam, rel, n);
    (*iam)[n] = '\0';
    *leaf = slash + 1;
    return MS_OK;
}

/* The value a change writes: name, and either a string or a DWORD. */
struct oe_write {
    const char *name;
    bool is_str, remove;
    const char *str;
    uint32_t num;
};

static ms_code write_of(const ms_change *c, ms_incoming_proto proto, struct oe_write *w,
                        ms_error *err)
{
    memset(w, 0, sizeof *w);
    bool imap = proto == MS_IN_IMAP;
    switch (c->field) {
    case MS_F_SMTP_HOST:
    case MS_F_INCOMING_HOST:
        if (!c->to.str || !*c->to.str)
            return ms_fail(err, MS_ERR_INTERNAL, "empty server name");
        w->name = c->field == MS_F_SMTP_HOST ? "SMTP Server" : imap ? "IMAP Server" : "POP3 Server";
        w->is_str = true;
        w->str = c->to.str;
        return MS_OK;
    case MS_F_SMTP_PORT:
        if (c->to.num == 0 || c->to.num > 65535)
            return ms_fail(err, MS_ERR_INTERNAL, "port %u", c->to.num);
        w->name = "SMTP Port";
        w->num = c->to.num;
        return MS_OK;
    case MS_F_SMTP_AUTH:
        if (c->to.num > MS_AUTH_SPA)
            return ms_fail(err, MS_ERR_INTERNAL, "auth %u", c->to.num);
        w->name = "SMTP Use Sicily";
        w->num = sicily_of_auth[c->to.num];
        return MS_OK;
    case MS_F_SMTP_USER:
        w->name = "SMTP User Name";
        w->is_str = true;
        w->str = c->to.str;
        w->remove = !c->to.str;
        return MS_OK;
    case MS_F_SMTP_SECURITY:
        if (c->to.num > MS_SEC_SSL)
            return ms_fail(err, MS_ERR_INTERNAL, "security %u", c->to.num);
        w->name = "SMTP Secure Connection";
        w->num = c->to.num != MS_SEC_NONE;
        return MS_OK;
    case MS_F_INCOMING_USER:
        w->name = imap ? "IMAP User Name" : "POP3 User Name";
        w->is_str = true;
        w->str = c->to.str ? c->to.str : "";
        return MS_OK;
    case MS_F_DEFAULT:
    case MS_F_COUNT:
        break;
    }
    return ms_fail(err, MS_ERR_INTERNAL, "field %d", (int)c->field);
}

/* OE has one checkbox for TLS: implicit on 465, STARTTLS on other ports.
 * Refuses, before any write, a plan it cannot express. */
static ms_code check_expressible(const ms_account *cur, const ms_change *changes, size_t n,
                                 ms_error *err)
{
    unsigned port = cur->smtp_port;
    unsigned sec = cur->smtp_security;
    bool sec_changed = false;
    for (size_t i = 0; i < n; i++) {
        if (changes[i].field == MS_F_SMTP_PORT)
            port = changes[i].to.num;
        if (changes[i].field == MS_F_SMTP_SECURITY) {
            sec = changes[i].to.num;
            sec_changed = true;
        }
    }
    bool ok = sec == MS_SEC_NONE || (sec == MS_SEC_SSL) == (port == 465);
    if (!ok && (sec_changed || port != cur->smtp_port))
        return ms_fail(err, MS_ERR_UNSUPPORTED_SETTING, "%s: %s on port %u", cur->id,
                       sec == MS_SEC_SSL ? "SSL" : "STARTTLS", port);
    return MS_OK;
}

/* Writes w into key: journalled (j != NULL) or raw (a key we created). */
/* w's new value as the registry stores it (REG_SZ or REG_DWORD bytes);
 * false when the text is not valid UTF-8 or memory ran out on it. */
static bool encode_write(const struct oe_write *w, strbuf *b)
{
    if (w->is_str)
        return regval_encode_string(w->str, b) && !b->oom;
    unsigned char d[4];
    regval_encode_dword(w->num, d);
    strbuf_add(b, d, 4);
    return true;
}

static bool value_absent(ms_reg *reg, const char *key, const char *name)
{
    ms_reg_value v;
    reg_value_init(&v);
    ms_code g = reg->ops->get(reg, key, name, &v, NULL);
    reg_value_free(&v);
    return g == MS_ERR_REG_NOT_FOUND;
}

/* Records w's value in the journal when writing w would change it (a
 * value to remove: when it is there), before anything writes. */
static ms_code journal_write(ms_reg *reg, ms_journal *j, const char *key, const struct oe_write *w,
                             ms_error *err)
{
    if (w->remove)
        return value_absent(reg, key, w->name) ? MS_OK
                                               : journal_reg_before(j, reg, key, w->name, err);
    strbuf b;
    strbuf_init(&b);
    if (!encode_write(w, &b)) {
        strbuf_free(&b);
        return ms_fail(err, MS_ERR_INTERNAL, "%s\\%s: not valid UTF-8", key, w->name);
    }
    ms_code rc = MS_OK;
    if (b.oom)
        rc = ms_fail(err, MS_ERR_NOMEM, NULL);
    else if (!regval_equals(reg, key, w->name, w->is_str ? MS_REG_SZ : MS_REG_DWORD, b.buf, b.len))
        rc = journal_reg_before(j, reg, key, w->name, err);
    strbuf_free(&b);
    return rc;
}

static ms_code put(ms_reg *reg, ms_journal *j, const char *key, const struct oe_write *w,
                   ms_error *err)
{
    if (w->remove) {
        if (j) {
            if (value_absent(reg, key, w->name))
                return MS_OK;
            ms_code rc = journal_reg_before(j, reg, key, w->name, err);
            if (rc != MS_OK)
                return rc;
        }
        ms_error e;
        ms_code rc = reg->ops->del_value(reg, key, w->name, &e);
        if (rc == MS_ERR_REG_NOT_FOUND)
            return MS_OK;
        if (rc != MS_OK && err)
            *err = e;
        return rc;
    }
    if (j)
        return w->is_str ? bereg_put_string(reg, j, key, w->name, MS_REG_SZ, w->str, err)
                         : bereg_put_dword(reg, j, key, w->name, w->num, err);
    strbuf b;
    strbuf_init(&b);
    if (!encode_write(w, &b)) {
        strbuf_free(&b);
        return ms_fail(err, MS_ERR_INTERNAL, "%s\\%s: not valid UTF-8", key, w->name);
    }
    ms_code rc = b.oom ? ms_fail(err, MS_ERR_NOMEM, NULL)
                       : reg->ops->set(reg, key, w->name, w->is_str ? MS_REG_SZ : MS_REG_DWORD,
                                       b.buf, b.len, err);
    strbuf_free(&b);
    return rc;
}

/* The identity GUID of a store key ("Identities\\{GUID}\\Software\\...")
 * in *out; NULL for the shared store. False when out of memory. */
static bool identity_of(const char *iam, char **out)
{
    static const char pre[] = "identities\\";
    *out = NULL;
    if (strlen(iam) <= sizeof pre - 1)
        return true;
    for (size_t i = 0; i < sizeof pre - 1; i++) {
        char c = iam[i] >= 'A' && iam[i] <= 'Z' ? (char)(iam[i] + 32) : iam[i];
        if (c != pre[i])
            return true;
    }
    const char *g = iam + sizeof pre - 1;
    const char *end = strchr(g, '\\');
    size_t n = end ? (size_t)(end - g) : strlen(g);
    *out = malloc(n + 1);
    if (!*out)
        return false;
    memcpy(*out, g, n);
    (*out)[n] = '\0';
    return true;
}

/* Makes leaf the store's default mail account (journalled). */
static ms_code set_default(ms_reg *reg, ms_journal *j, const char *iam, const char *leaf, bool on,
                           ms_error *err)
{
    if (on)
        return bereg_put_string(reg, j, iam, VAL_DEFAULT, MS_REG_SZ, leaf, err);
    ms_error bad;
    char *cur = read_default(reg, iam, &bad);
    bool is = cur && ms_strcasecmp(cur, leaf) == 0;
    free(cur);
    if (!is)
        return MS_OK;
    struct oe_write w = {.name = VAL_DEFAULT, .is_str = true, .remove = true};
    return put(reg, j, iam, &w, err);
}

/* Re-reads the account as it is now; refuses one that is unreadable or no
 * longer a mail account. cur is freed by the caller on MS_OK. */
static ms_code reread(ms_reg *reg, const ms_account *acct, const char *iam, ms_account *cur,
                      ms_error *err)
{
    if (acct->read_error.code != MS_OK)
        return ms_fail(err, MS_ERR_ACCOUNT_UNREADABLE, "%s: %s", acct->id, acct->read_error.detail);
    ms_error bad;
    char *def = read_default(reg, iam, &bad);
    memset(cur, 0, sizeof *cur);
    bool mail = false;
    ms_code rc = read_account(NULL, reg, bereg_rel(acct->location), def, cur, &mail);
    free(def);
    if (rc != MS_OK) {
        account_free(cur);
        return ms_fail(err, rc, NULL);
    }
    if (!mail) {
        account_free(cur);
        return ms_fail(err, MS_ERR_CHANGED_SINCE_SCAN, "%s: no longer a mail account", acct->id);
    }
    if (cur->read_error.code == MS_OK && bad.code != MS_OK)
        cur->read_error = bad;
    if (cur->read_error.code != MS_OK) {
        rc = ms_fail(err, MS_ERR_ACCOUNT_UNREADABLE, "%s: %s", acct->id, cur->read_error.detail);
        account_free(cur);
        return rc;
    }
    cur->id = ms_strdup(acct->id);
    return MS_OK;
}

/* Each change backed up (backup_only: the backup first, whichever path
 * writes - the journal keeps a value's first record, so put() adding it
 * again on the registry path changes nothing) or written to the
 * registry, one value at a time. */
static ms_code each_change(ms_reg *reg, ms_journal *j, const char *iam, const char *leaf,
                           const char *key, const ms_account *cur, const ms_change *changes,
                           size_t n, bool backup_only, ms_error *err)
{
    struct oe_write w;
    for (size_t i = 0; i < n; i++) {
        ms_code rc;
        if (changes[i].field == MS_F_DEFAULT) {
            rc = backup_only ? journal_reg_before(j, reg, iam, VAL_DEFAULT, err)
                             : set_default(reg, j, iam, leaf, changes[i].to.num != 0, err);
        } else {
            write_of(&changes[i], cur->incoming_proto, &w, NULL);
            rc = backup_only ? journal_write(reg, j, key, &w, err) : put(reg, j, key, &w, err);
        }
        if (rc != MS_OK)
            return rc;
    }
    return MS_OK;
}

/* Every change but the default account's can be written as a value. */
static ms_code check_writes(const ms_change *changes, size_t n, ms_incoming_proto proto,
                            ms_error *err)
{
    struct oe_write w;
    for (size_t i = 0; i < n; i++) {
        if (changes[i].field == MS_F_DEFAULT)
            continue;
        ms_code rc = write_of(&changes[i], proto, &w, err);
        if (rc != MS_OK)
            return rc;
    }
    return MS_OK;
}

/* Every change is checked before the first write. */
static ms_code check_apply(const ms_account *cur, const ms_change *changes, size_t n,
                           ms_error *err)
{
    ms_code rc = bereg_check_changes(cur, changes, n, err);
    if (rc != MS_OK)
        return rc;
    rc = check_expressible(cur, changes, n, err);
    if (rc != MS_OK)
        return rc;
    return check_writes(changes, n, cur->incoming_proto, err);
}

static ms_code oe_apply(const ms_env *env, const ms_account *acct, const ms_change *changes,
                        size_t n, ms_journal *j, ms_error *err)
{
    if (!env->reg || !j)
        return ms_fail(err, MS_ERR_INTERNAL, "oe apply");
    char *iam = NULL, *ident = NULL;
    const char *leaf;
    ms_account cur = {0};
    ms_code rc = split_location(acct, &iam, &leaf, err);
    if (rc != MS_OK)
        goto out;
    rc = reread(env->reg, acct, iam, &cur, err);
    if (rc != MS_OK)
        goto out;
    rc = check_apply(&cur, changes, n, err);
    if (rc != MS_OK)
        goto out;
    const char *key = bereg_rel(acct->location);
    rc = each_change(env->reg, j, iam, leaf, key, &cur, changes, n, true, err);
    if (rc != MS_OK)
        goto out;
    /* OE's own account manager where Windows has it (msoeacct.dll), else
     * the registry (docs/account-apis.md). */
    if (flavor_of(acct->program)->api) {
        if (!identity_of(iam, &ident)) {
            rc = ms_fail(err, MS_ERR_NOMEM, NULL);
            goto out;
        }
        if (acctprops_try_oe(env->acctprops, acct, &cur, ident, leaf, changes, n))
            goto out;
    }
    rc = each_change(env->reg, j, iam, leaf, key, &cur, changes, n, false, err);
out:
    free(ident);
    account_free(&cur);
    free(iam);
    return rc;
}

/* The next free account number: above every existing key and the store's
 * "Server ID" (the counter OE keeps; see docs/mail-programs.md). */
static ms_code next_number(ms_reg *reg, const char *iam, const char *accounts, unsigned long *out,
                           bool *has_server_id, ms_error *err)
{
    strbuf names;
    strbuf_init(&names);
    ms_code rc = list_subkeys(reg, accounts, &names, err);
    unsigned long max = 0;
    for (size_t i = 0; rc == MS_OK && i < names.len; i += strlen(names.buf + i) + 1) {
        char *end;
        unsigned long v = strtoul(names.buf + i, &end, 16);
        if (*end == '\0' && v > max)
            max = v;
    }
    strbuf_free(&names);
    if (rc != MS_OK)
        return rc;
    uint32_t sid;
    ms_error e;
    if (regval_get_dword(reg, iam, VAL_SERVER_ID, 0, &sid, has_server_id, &e) != MS_OK)
        *has_server_id = false; /* a broken counter is not ours to judge */
    if (*has_server_id && sid > max)
        max = sid;
    if (max >= MAX_ACCOUNT_NUMBER)
        return ms_fail(err, MS_ERR_INTERNAL, "%s: no free account number", accounts);
    *out = max + 1;
    return MS_OK;
}

/* Does another account of the store have this "Account Name"? */
static bool name_taken(ms_reg *reg, const char *accounts, const char *name)
{
    strbuf names, key;
    strbuf_init(&names);
    strbuf_init(&key);
    bool taken = false;
    if (list_subkeys(reg, accounts, &names, NULL) == MS_OK) {
        for (size_t i = 0; !taken && i < names.len; i += strlen(names.buf + i) + 1) {
            strbuf_reset(&key);
            strbuf_addf(&key, "%s\\%s", accounts, names.buf + i);
            char *s = NULL;
            ms_error e;
            if (!key.oom &&
                regval_get_string(reg, key.buf, "Account Name", REGVAL_SZ, &s, &e) == MS_OK)
                taken = ms_strcasecmp(s, name) == 0;
            free(s);
        }
    }
    strbuf_free(&names);
    strbuf_free(&key);
    return taken;
}

/* Every change can be written (checked before the first write); a change
 * of the default account sets *make_default instead. */
static ms_code check_new_changes(const ms_change *changes, size_t n, ms_incoming_proto proto,
                                 bool *make_default, ms_error *err)
{
    for (size_t i = 0; i < n; i++)
        if (changes[i].field == MS_F_DEFAULT)
            *make_default = *make_default || changes[i].to.num != 0;
    return check_writes(changes, n, proto, err);
}

/* The name the program would give a new account: its incoming server's
 * (host), made unique within the store ("Account Name" must be). */
static ms_code unique_name(ms_reg *reg, const char *accounts, const char *host, strbuf *aname,
                           ms_error *err)
{
    for (unsigned k = 1;; k++) {
        strbuf_reset(aname);
        if (k == 1)
            strbuf_addstr(aname, host ? host : "");
        else
            strbuf_addf(aname, "%s (%u)", host ? host : "", k);
        if (aname->oom || k > 1000)
            return ms_fail(err, MS_ERR_NOMEM, NULL);
        if (!name_taken(reg, accounts, aname->buf))
            return MS_OK;
    }
}

/* Copies the template key's values (names: its value names, NUL-separated)
 * to the new key, without passwords or "Account Name". */
static ms_code copy_user_values(ms_reg *reg, const char *tkey, const char *nkey,
                                const strbuf *names, ms_error *err)
{
    for (size_t i = 0; i < names->len; i += strlen(names->buf + i) + 1) {
        const char *name = names->buf + i;
        if (bereg_is_secret(name) || ms_strcasecmp(name, "Account Name") == 0)
            continue;
        ms_reg_value v;
        reg_value_init(&v);
        ms_code rc = reg->ops->get(reg, tkey, name, &v, err);
        if (rc == MS_OK)
            rc = reg->ops->set(reg, nkey, name, v.type, v.data.buf, v.data.len, err);
        reg_value_free(&v);
        if (rc != MS_OK)
            return rc;
    }
    return MS_OK;
}

/* The new account's "Account Name" and changed values. */
static ms_code write_new_values(ms_reg *reg, const char *nkey, const char *aname,
                                const ms_change *changes, size_t n, ms_incoming_proto proto,
                                ms_error *err)
{
    struct oe_write nm = {.name = "Account Name", .is_str = true, .str = aname};
    ms_code rc = put(reg, NULL, nkey, &nm, err);
    if (rc != MS_OK)
        return rc;
    struct oe_write w;
    for (size_t i = 0; i < n; i++) {
        if (changes[i].field == MS_F_DEFAULT)
            continue;
        write_of(&changes[i], proto, &w, NULL);
        rc = put(reg, NULL, nkey, &w, err);
        if (rc != MS_OK)
            return rc;
    }
    return MS_OK;
}

/* The template's id with the new leaf: "<prefix>/<tag>/" + leaf. */
static ms_code leaf_id(const char *tmpl_id, const char *leaf, char **new_id, ms_error *err)
{
    const char *slash = strrchr(tmpl_id, '/');
    size_t head = slash ? (size_t)(slash - tmpl_id) + 1 : 0;
    strbuf id;
    strbuf_init(&id);
    strbuf_addf(&id, "%.*s%s", (int)head, tmpl_id, leaf);
    *new_id = strbuf_detach(&id, NULL);
    return *new_id ? MS_OK : ms_fail(err, MS_ERR_NOMEM, NULL);
}

/* The incoming server's name after the changes. */
static const char *new_host(const ms_account *cur, const ms_change *changes, size_t n)
{
    const char *host = cur->incoming_host;
    for (size_t i = 0; i < n; i++)
        if (changes[i].field == MS_F_INCOMING_HOST && changes[i].to.str)
            host = changes[i].to.str;
    return host;
}

/* Makes the new key (journaled as created before it exists: undo deletes
 * it, and everything written into it, in one step) and fills it. */
static ms_code make_account_key(ms_reg *reg, ms_journal *j, const char *tkey, const char *nkey,
                                const strbuf *names, const char *aname, const ms_change *changes,
                                size_t n, ms_incoming_proto proto, ms_error *err)
{
    ms_code rc = journal_reg_key_created(j, nkey, err);
    if (rc != MS_OK)
        return rc;
    rc = reg->ops->create_key(reg, nkey, err);
    if (rc != MS_OK)
        return rc;
    /* The old account's user data, without its passwords. */
    rc = copy_user_values(reg, tkey, nkey, names, err);
    if (rc != MS_OK)
        return rc;
    return write_new_values(reg, nkey, aname, changes, n, proto, err);
}

static ms_code oe_add_account(const ms_env *env, const ms_account *tmpl, const ms_change *changes,
                              size_t n, bool make_default, ms_journal *j, char **new_id,
                              ms_error *err)
{
    *new_id = NULL;
    ms_reg *reg = env->reg;
    if (!reg || !j)
        return ms_fail(err, MS_ERR_INTERNAL, "oe add_account");
    char *iam = NULL;
    const char *leaf;
    ms_account cur = {0};
    strbuf accounts, nkey, names, aname;
    strbuf_init(&accounts);
    strbuf_init(&nkey);
    strbuf_init(&names);
    strbuf_init(&aname);
    ms_code rc = split_location(tmpl, &iam, &leaf, err);
    if (rc != MS_OK)
        goto out;
    rc = reread(reg, tmpl, iam, &cur, err);
    if (rc != MS_OK)
        goto out;
    const char *tkey = bereg_rel(tmpl->location);
    ms_incoming_proto proto = cur.incoming_proto;
    rc = check_new_changes(changes, n, proto, &make_default, err);
    if (rc != MS_OK)
        goto out;
    rc = check_expressible(&cur, changes, n, err);
    if (rc != MS_OK)
        goto out;
    strbuf_addf(&accounts, "%s\\" ACCOUNTS, iam);
    unsigned long num = 0;
    bool has_sid = false;
    rc = next_number(reg, iam, accounts.buf, &num, &has_sid, err);
    if (rc != MS_OK)
        goto out;
    char leafbuf[16];
    snprintf(leafbuf, sizeof leafbuf, "%08lx", num);
    strbuf_addf(&nkey, "%s\\%s", accounts.buf, leafbuf);
    rc = unique_name(reg, accounts.buf, new_host(&cur, changes, n), &aname, err);
    if (rc != MS_OK)
        goto out;
    if (accounts.oom || nkey.oom) {
        rc = ms_fail(err, MS_ERR_NOMEM, NULL);
        goto out;
    }
    rc = reg->ops->values(reg, tkey, &names, err);
    if (rc != MS_OK)
        goto out;
    rc = make_account_key(reg, j, tkey, nkey.buf, &names, aname.buf, changes, n, proto, err);
    if (rc != MS_OK)
        goto out;
    if (has_sid) {
        rc = bereg_put_dword(reg, j, iam, VAL_SERVER_ID, (uint32_t)(num + 1), err);
        if (rc != MS_OK)
            goto out;
    }
    if (make_default) {
        rc = set_default(reg, j, iam, leafbuf, true, err);
        if (rc != MS_OK)
            goto out;
    }
    rc = leaf_id(tmpl->id, leafbuf, new_id, err);
out:
    strbuf_free(&accounts);
    strbuf_free(&nkey);
    strbuf_free(&names);
    strbuf_free(&aname);
    account_free(&cur);
    free(iam);
    return rc;
}

/* Outlook Express and Outlook 2000 (Internet Mail Only) keep one layout:
 * one apply and one add for both, every field changeable. */
#define OE_FAMILY_BACKEND(prog, key, exes, scan_fn)                                                \
    {                                                                                              \
        .program = (prog), .id = (key), .process_names = (exes), .scan = (scan_fn),                \
        .apply = oe_apply, .add_account = oe_add_account, .can_change = BACKEND_ALL_FIELDS,        \
    }

static const char *const oe_exes[] = {"msimn.exe", NULL};
static const char *const imo_exes[] = {"outlook.exe", NULL};

const ms_backend oe_backend = OE_FAMILY_BACKEND(MS_PROG_OE, "oe", oe_exes, oe_scan);
const ms_backend outlook_imo_backend =
    OE_FAMILY_BACKEND(MS_PROG_OUTLOOK_IMO, "outlook2000", imo_exes, imo_scan);
