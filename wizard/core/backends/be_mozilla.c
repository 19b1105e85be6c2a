/* be_mozilla: Thunderbird and Netscape / Mozilla Suite / SeaMonkey; see
 * be_mozilla.h.
 *
 * A profile whose prefs.js (or model) cannot be read is still listed, as one
 * account with read_error set (id "<program>/<profile>"), so the report
 * names it and the plan leaves it alone; other profiles go on. Account ids
 * are "<program>/<profile folder>/<account key>/<identity key>": apply
 * finds the identity again by its keys and refuses when the file changed
 * since the scan in any value it is asked to change. */
#include "be_mozilla.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ini.h"
#include "mozilla.h"
#include "path.h"
#include "plan.h"
#include "platform.h"
#include "prefs.h"

#define MAX_PROFILES 512

struct moz_prog {
    ms_program program;
    const char *id;
};

static const struct moz_prog prog_tb = {MS_PROG_THUNDERBIRD, "thunderbird"};
static const struct moz_prog prog_ns = {MS_PROG_NETSCAPE, "netscape"};

static const struct moz_prog *prog_of(ms_program p)
{
    return p == MS_PROG_THUNDERBIRD ? &prog_tb : p == MS_PROG_NETSCAPE ? &prog_ns : NULL;
}

/* ---- finding the profiles */

typedef struct moz_profile {
    char *dir;      /* the profile folder; NULL when bad */
    char *name;     /* the program's name for it, UTF-8 */
    char *tag;      /* the id part: the folder's name, unique in one scan */
    char *location; /* prefs.js, or profiles.ini when bad */
    ms_error bad;   /* MS_OK, or why it cannot be opened */
} moz_profile;

typedef struct profiles {
    moz_profile *v;
    size_t n, cap;
} profiles;

static void profiles_free(profiles *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->v[i].dir);
        free(p->v[i].name);
        free(p->v[i].tag);
        free(p->v[i].location);
    }
    free(p->v);
    memset(p, 0, sizeof *p);
}

static bool tag_taken(const profiles *p, const char *tag)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->v[i].tag, tag) == 0)
            return true;
    return false;
}

/* Adds a profile; dir NULL with bad set for one that cannot be opened.
 * tag_base is the folder name (or the profiles.ini section). */
static ms_code add_profile(profiles *p, const char *dir, const char *name, const char *tag_base,
                           const char *location, const ms_error *bad, ms_error *err)
{
    if (p->n == MAX_PROFILES)
        return ms_fail(err, MS_ERR_MOZ_VALUE, "more than %d profiles", MAX_PROFILES);
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 8;
        moz_profile *nv = realloc(p->v, cap * sizeof *nv);
        if (!nv)
            return ms_fail(err, MS_ERR_NOMEM, NULL);
        p->v = nv;
        p->cap = cap;
    }
    moz_profile *m = &p->v[p->n];
    memset(m, 0, sizeof *m);
    strbuf tag;
    strbuf_init(&tag);
    /* '/' separates the id's parts; a folder name never holds one on
     * Windows, but a section name might. */
    for (const char *s = tag_base; *s; s++)
        strbuf_addch(&tag, *s == '/' || *s == '\\' ? '_' : *s);
    for (unsigned k = 2; !tag.oom && tag_taken(p, tag.buf) && k < 10000; k++) {
        strbuf_reset(&tag);
        for (const char *s = tag_base; *s; s++)
            strbuf_addch(&tag, *s == '/' || *s == '\\' ? '_' : *s);
        strbuf_addf(&tag, "~%u", k);
    }
    m->tag = strbuf_detach(&tag, NULL);
    m->dir = dir ? ms_strdup(dir) : NULL;
    m->name = ms_strdup(name ? name : "");
    m->location = ms_strdup(location);
    if (bad)
        m->bad = *bad;
    else
        ms_error_clear(&m->bad);
    p->n++;
    if (!m->tag || (dir && !m->dir) || !m->name || !m->location)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    return MS_OK;
}

/* Strips trailing separators (a Path= may end in one). */
static void trim_sep(strbuf *sb, size_t start)
{
    while (sb->len > start + 1 && (sb->buf[sb->len - 1] == '/' || sb->buf[sb->len - 1] == '\\'))
        sb->buf[--sb->len] = '\0';
}

/* The profiles listed in <appdata>\<sub>\profiles.ini (none when the file
 * is missing). A profiles.ini that cannot be parsed fails the scan: the
 * program's profiles cannot be told apart from it. */
static ms_code discover_ini(const ms_env *env, const char *sub, profiles *out, ms_error *err)
{
    if (!env->appdata)
        return MS_OK;
    strbuf dir, ini, raw, path;
    strbuf_init(&dir);
    strbuf_init(&ini);
    strbuf_init(&raw);
    strbuf_init(&path);
    path_join(&dir, env->appdata, sub);
    path_normalize(dir.buf);
    path_join(&ini, dir.buf, "profiles.ini");
    ms_code rc = MS_OK;
    ini_file *f = NULL;
    mozilla_profile_list l = {0};
    if (dir.oom || ini.oom) {
        rc = ms_fail(err, MS_ERR_NOMEM, NULL);
        goto out;
    }
    if (!ms_file_exists(ini.buf))
        goto out;
    rc = ms_file_read(ini.buf, INI_MAX_BYTES, &raw, err);
    if (rc != MS_OK)
        goto out;
    ms_error perr;
    rc = ini_parse(raw.buf, raw.len, &f, &perr);
    if (rc != MS_OK) {
        ms_fail(err, rc, "%s %s", ini.buf, perr.detail);
        goto out;
    }
    rc = mozilla_profiles_list(f, &l, err);
    for (size_t i = 0; rc == MS_OK && i < l.count; i++) {
        const mozilla_profile_entry *e = &l.items[i];
        if (!e->utf8) {
            ms_error bad;
            ms_fail(&bad, MS_ERR_MOZ_PATH_ENCODING, "%s [%s]", ini.buf, e->section);
            rc = add_profile(out, NULL, e->section, e->section, ini.buf, &bad, err);
            continue;
        }
        strbuf_reset(&path);
        if (e->is_relative)
            path_join(&path, dir.buf, e->path);
        else
            strbuf_addstr(&path, e->path);
        path_normalize(path.buf);
        trim_sep(&path, 0);
        if (path.oom) {
            rc = ms_fail(err, MS_ERR_NOMEM, NULL);
            break;
        }
        strbuf prefs;
        strbuf_init(&prefs);
        path_join(&prefs, path.buf, "prefs.js");
        rc = prefs.oom ? ms_fail(err, MS_ERR_NOMEM, NULL)
                       : add_profile(out, path.buf, e->name, path_basename(path.buf), prefs.buf,
                                     NULL, err);
        strbuf_free(&prefs);
    }
out:
    mozilla_profiles_free(&l);
    ini_free(f);
    strbuf_free(&dir);
    strbuf_free(&ini);
    strbuf_free(&raw);
    strbuf_free(&path);
    return rc;
}

/* The names of path's subfolders, sorted; caller frees each and the array. */
static ms_code subdirs(const char *path, char ***names, size_t *count, ms_error *err)
{
    *names = NULL;
    *count = 0;
    strbuf list;
    strbuf_init(&list);
    ms_error lerr;
    ms_code rc = ms_dir_list(path, &list, &lerr);
    if (rc != MS_OK) {
        strbuf_free(&list);
        /* A folder that is not there (or not a folder) holds no profile. */
        return rc == MS_ERR_NOMEM ? ms_fail(err, rc, NULL) : MS_OK;
    }
    size_t n = 0;
    for (size_t i = 0; i < list.len; i += strlen(list.buf + i + 1) + 2)
        n += list.buf[i] == 'd';
    char **v = calloc(n ? n : 1, sizeof *v);
    if (!v) {
        strbuf_free(&list);
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    }
    size_t k = 0;
    for (size_t i = 0; i < list.len; i += strlen(list.buf + i + 1) + 2)
        if (list.buf[i] == 'd' && !(v[k++] = ms_strdup(list.buf + i + 1)))
            rc = ms_fail(err, MS_ERR_NOMEM, NULL);
    strbuf_free(&list);
    if (rc != MS_OK) {
        for (size_t i = 0; i < k; i++)
            free(v[i]);
        free(v);
        return rc;
    }
    qsort(v, n, sizeof *v, ms_cmp_str);
    *names = v;
    *count = n;
    return MS_OK;
}

static void free_names(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static bool ends_with_ci(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n > m && ms_strcasecmp(s + n - m, suffix) == 0;
}

/* Netscape 6/7 and Mozilla Suite 1.x: %APPDATA%\Mozilla\Profiles\<profile
 * name>\<8 random characters>.slt\. registry.dat (a binary file) names the
 * same folders; every salted folder found is taken instead. */
static ms_code discover_salted(const ms_env *env, profiles *out, ms_error *err)
{
    if (!env->appdata)
        return MS_OK;
    strbuf base, dir, leaf, prefs;
    strbuf_init(&base);
    strbuf_init(&dir);
    strbuf_init(&leaf);
    strbuf_init(&prefs);
    path_join(&base, env->appdata, "Mozilla\\Profiles");
    path_normalize(base.buf);
    char **names = NULL;
    size_t nn = 0;
    ms_code rc = base.oom ? ms_fail(err, MS_ERR_NOMEM, NULL) : subdirs(base.buf, &names, &nn, err);
    for (size_t i = 0; rc == MS_OK && i < nn; i++) {
        strbuf_reset(&dir);
        path_join(&dir, base.buf, names[i]);
        char **salts = NULL;
        size_t ns = 0;
        rc = dir.oom ? ms_fail(err, MS_ERR_NOMEM, NULL) : subdirs(dir.buf, &salts, &ns, err);
        for (size_t k = 0; rc == MS_OK && k < ns; k++) {
            if (!ends_with_ci(salts[k], ".slt"))
                continue;
            strbuf_reset(&leaf);
            path_join(&leaf, dir.buf, salts[k]);
            strbuf_reset(&prefs);
            path_join(&prefs, leaf.buf, "prefs.js");
            rc = leaf.oom || prefs.oom
                     ? ms_fail(err, MS_ERR_NOMEM, NULL)
                     : add_profile(out, leaf.buf, names[i], salts[k], prefs.buf, NULL, err);
        }
        free_names(salts, ns);
    }
    free_names(names, nn);
    strbuf_free(&base);
    strbuf_free(&dir);
    strbuf_free(&leaf);
    strbuf_free(&prefs);
    return rc;
}

static ms_code discover(const ms_env *env, const struct moz_prog *mp, profiles *out, ms_error *err)
{
    if (mp->program == MS_PROG_THUNDERBIRD)
        return discover_ini(env, "Thunderbird", out, err);
    ms_code rc = discover_ini(env, "Mozilla\\SeaMonkey", out, err);
    if (rc != MS_OK)
        return rc;
    return discover_salted(env, out, err);
}

/* ---- reading one profile */

typedef struct loaded {
    strbuf bytes;
    prefs_file *pf;
    mozilla_mail *mm;
} loaded;

static void loaded_free(loaded *l)
{
    mozilla_mail_free(l->mm);
    prefs_free(l->pf);
    strbuf_free(&l->bytes);
    memset(l, 0, sizeof *l);
}

static ms_code load(const char *path, loaded *l, ms_error *err)
{
    memset(l, 0, sizeof *l);
    strbuf_init(&l->bytes);
    ms_code rc = ms_file_read(path, PREFS_MAX_BYTES, &l->bytes, err);
    if (rc != MS_OK)
        goto out;
    rc = prefs_parse(l->bytes.buf, l->bytes.len, &l->pf, err);
    if (rc != MS_OK)
        goto out;
    rc = mozilla_mail_read(l->pf, &l->mm, err);
out:
    if (rc != MS_OK)
        loaded_free(l);
    return rc;
}

/* The string preference <prefix><key><suffix> as UTF-8, or NULL (not set,
 * another type, not UTF-8). */
static char *pref_str(const prefs_file *pf, const char *prefix, const char *key,
                      const char *suffix)
{
    char name[512];
    snprintf(name, sizeof name, "%s%s%s", prefix, key, suffix);
    strbuf v;
    strbuf_init(&v);
    bool found = false;
    char *r = NULL;
    if (prefs_get_string(pf, name, &v, &found, NULL) == MS_OK && found && !v.oom)
        r = strbuf_detach(&v, NULL);
    strbuf_free(&v);
    return r;
}

/* What the outgoing server's authentication is, in the account model:
 * "name and password" with the incoming server's user name is the manuals'
 * same-as-incoming (Mozilla keeps no such flag: it asks for the password
 * on the first send); with another user name, its own; any other method
 * (encrypted password, Kerberos, NTLM, OAuth2...) counts as SPA, which the
 * plan then changes to the manuals' plain password. */
static ms_smtp_auth smtp_auth_of(const mozilla_smtp *s, const char *incoming_user)
{
    switch (s->eff_auth) {
    case MOZILLA_AUTH_NONE:
        return MS_AUTH_NONE;
    case MOZILLA_AUTH_OLD:
    case MOZILLA_AUTH_PASSWORD_CLEARTEXT:
    case MOZILLA_AUTH_ANYTHING:
        if (s->username && *s->username && incoming_user && strcmp(s->username, incoming_user) == 0)
            return MS_AUTH_SAME_AS_INCOMING;
        return MS_AUTH_OWN;
    default:
        return MS_AUTH_SPA;
    }
}

static ms_code fill_account(const struct moz_prog *mp, const char *tag, const char *name,
                            const char *location, const loaded *l, size_t ai, size_t k,
                            ms_account *a, ms_error *err)
{
    const mozilla_mail *mm = l->mm;
    const mozilla_account *acc = &mm->accounts[ai];
    const mozilla_identity *id = &mm->identities[acc->identities[k]];
    const mozilla_server *srv = &mm->servers[acc->server];
    memset(a, 0, sizeof *a);
    a->program = mp->program;
    strbuf sb;
    strbuf_init(&sb);
    strbuf_addf(&sb, "%s/%s/%s/%s", mp->id, tag, acc->key, id->key);
    a->id = strbuf_detach(&sb, NULL);
    a->location = ms_strdup(location);
    a->container = ms_strdup(name);
    a->program_version = pref_str(l->pf, "", "extensions.lastAppVersion", "");
    a->account_name = pref_str(l->pf, "mail.server.", srv->key, ".name");
    a->display_name = ms_strdup(id->full_name);
    a->email = ms_strdup(id->email);
    a->incoming_proto = srv->type && strcmp(srv->type, "imap") == 0   ? MS_IN_IMAP
                        : srv->type && strcmp(srv->type, "pop3") == 0 ? MS_IN_POP3
                                                                      : MS_IN_OTHER;
    a->incoming_host = ms_strdup(srv->hostname);
    a->incoming_port = srv->port > 0 && srv->port <= 65535 ? (unsigned)srv->port : 0;
    a->incoming_user = ms_strdup(srv->username);
    /* socketType 2 STARTTLS, 3 SSL (old isSecure=true); 1, "STARTTLS if
     * available", counts as none, as for the outgoing server. */
    a->incoming_security = srv->socket_type == MOZILLA_SOCKET_SSL        ? MS_SEC_SSL
                           : srv->socket_type == MOZILLA_SOCKET_STARTTLS ? MS_SEC_STARTTLS
                                                                         : MS_SEC_NONE;
    if (id->smtp >= 0) {
        const mozilla_smtp *s = &mm->smtp[id->smtp];
        a->smtp_host = ms_strdup(s->hostname);
        a->smtp_port = s->eff_port;
        a->smtp_auth = smtp_auth_of(s, srv->username);
        a->smtp_user = ms_strdup(s->username);
        a->smtp_security = s->eff_security;
    } else {
        a->smtp_port = 25;
    }
    a->is_default = k == 0 && mm->default_account && strcmp(mm->default_account, acc->key) == 0;
    if (!a->id || !a->location || !a->container || (id->full_name && !a->display_name) ||
        (id->email && !a->email) || (srv->hostname && !a->incoming_host) ||
        (srv->username && !a->incoming_user)) {
        account_free(a);
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    }
    return MS_OK;
}

/* Mail accounts are the pop3 and imap ones with an identity; Local
 * Folders ("none"), news, RSS and chat accounts are left alone. */
static bool is_mail(const mozilla_mail *mm, size_t ai)
{
    const mozilla_account *acc = &mm->accounts[ai];
    if (acc->server < 0 || !acc->nidentities)
        return false;
    const char *t = mm->servers[acc->server].type;
    return t && (strcmp(t, "pop3") == 0 || strcmp(t, "imap") == 0);
}

/* The profile listed as one unreadable account. */
static ms_code add_unreadable(const struct moz_prog *mp, const moz_profile *pr,
                              const ms_error *why, ms_account_list *out, ms_error *err)
{
    ms_account *a = account_list_add(out);
    if (!a)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    a->program = mp->program;
    strbuf sb;
    strbuf_init(&sb);
    strbuf_addf(&sb, "%s/%s", mp->id, pr->tag);
    a->id = strbuf_detach(&sb, NULL);
    a->location = ms_strdup(pr->location);
    a->container = prefs_utf8_valid(pr->name, strlen(pr->name)) ? ms_strdup(pr->name) : NULL;
    a->read_error = *why;
    if (!a->id || !a->location)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    return MS_OK;
}

static ms_code scan_profile(const struct moz_prog *mp, const moz_profile *pr, ms_account_list *out,
                            ms_error *err)
{
    if (pr->bad.code != MS_OK)
        return add_unreadable(mp, pr, &pr->bad, out, err);
    /* A profile that was never started has no prefs.js: no accounts. */
    if (ms_path_kind(pr->dir) != MS_PATH_DIR || !ms_file_exists(pr->location))
        return MS_OK;
    loaded l;
    ms_error why;
    ms_code rc = load(pr->location, &l, &why);
    if (rc == MS_ERR_NOMEM)
        return ms_fail(err, rc, NULL);
    if (rc != MS_OK)
        return add_unreadable(mp, pr, &why, out, err);
    for (size_t ai = 0; rc == MS_OK && ai < l.mm->naccounts; ai++) {
        if (!is_mail(l.mm, ai))
            continue;
        for (size_t k = 0; rc == MS_OK && k < l.mm->accounts[ai].nidentities; k++) {
            ms_account a;
            rc = fill_account(mp, pr->tag, pr->name, pr->location, &l, ai, k, &a, err);
            if (rc != MS_OK)
                break;
            ms_account *slot = account_list_add(out);
            if (!slot) {
                account_free(&a);
                rc = ms_fail(err, MS_ERR_NOMEM, NULL);
            } else {
                *slot = a;
            }
        }
    }
    loaded_free(&l);
    return rc;
}

static ms_code scan_prog(const ms_env *env, const struct moz_prog *mp, ms_account_list *out,
                         ms_error *err)
{
    profiles ps = {0};
    ms_code rc = discover(env, mp, &ps, err);
    for (size_t i = 0; rc == MS_OK && i < ps.n; i++)
        rc = scan_profile(mp, &ps.v[i], out, err);
    profiles_free(&ps);
    return rc;
}

static ms_code scan_thunderbird(const ms_env *env, ms_account_list *out, ms_error *err)
{
    return scan_prog(env, &prog_tb, out, err);
}

static ms_code scan_netscape(const ms_env *env, ms_account_list *out, ms_error *err)
{
    return scan_prog(env, &prog_ns, out, err);
}

/* ---- changing */

/* In use: the lock file is there and cannot be read (a running Mozilla
 * holds it open without sharing). One that reads is left from a crash. */
static ms_code check_lock(const char *dir, ms_error *err)
{
    strbuf p;
    strbuf_init(&p);
    path_join(&p, dir, MOZILLA_LOCK_FILE);
    ms_code rc = p.oom ? ms_fail(err, MS_ERR_NOMEM, NULL) : MS_OK;
    enum ms_path_kind kind = rc == MS_OK ? ms_path_kind(p.buf) : MS_PATH_NONE;
    if (kind == MS_PATH_FILE) {
        strbuf tmp;
        strbuf_init(&tmp);
        ms_error ignored;
        if (ms_file_read(p.buf, 4096, &tmp, &ignored) != MS_OK)
            rc = ms_fail(err, MS_ERR_MOZ_PROFILE_IN_USE, "%s", p.buf);
        strbuf_free(&tmp);
    } else if (kind != MS_PATH_NONE) {
        rc = ms_fail(err, MS_ERR_MOZ_PROFILE_IN_USE, "%s", p.buf);
    }
    strbuf_free(&p);
    return rc;
}

/* user.js is read after prefs.js at every start and wins: a user_pref
 * there for the outgoing server (or the incoming one, server_key, when
 * not NULL) would undo the change. */
static ms_code check_user_js(const char *dir, const char *smtp_key, const char *server_key,
                             ms_error *err)
{
    strbuf p, raw;
    strbuf_init(&p);
    strbuf_init(&raw);
    prefs_file *uj = NULL;
    path_join(&p, dir, "user.js");
    ms_code rc = p.oom ? ms_fail(err, MS_ERR_NOMEM, NULL) : MS_OK;
    if (rc != MS_OK || ms_path_kind(p.buf) == MS_PATH_NONE)
        goto out;
    rc = ms_file_read(p.buf, PREFS_MAX_BYTES, &raw, err);
    if (rc != MS_OK)
        goto out;
    rc = prefs_parse(raw.buf, raw.len, &uj, err);
    if (rc != MS_OK)
        goto out;
    char prefix[300], sprefix[300];
    snprintf(prefix, sizeof prefix, "mail.smtpserver.%s.", smtp_key ? smtp_key : "");
    snprintf(sprefix, sizeof sprefix, "mail.server.%s.", server_key ? server_key : "");
    prefs_entry e;
    for (size_t i = 0; prefs_entry_at(uj, i, &e); i++)
        if ((smtp_key && strncmp(e.name, prefix, strlen(prefix)) == 0) ||
            (server_key && strncmp(e.name, sprefix, strlen(sprefix)) == 0)) {
            rc = ms_fail(err, MS_ERR_MOZ_USER_JS, "%s: %s", p.buf, e.name);
            goto out;
        }
out:
    prefs_free(uj);
    strbuf_free(&p);
    strbuf_free(&raw);
    return rc;
}

/* The folder of incoming server key: directory-rel ("[ProfD]Mail/host",
 * below the profile folder), else directory (absolute). */
static bool server_dir(const prefs_file *pf, const char *profile_dir, const char *key, strbuf *out)
{
    char *rel = pref_str(pf, "mail.server.", key, ".directory-rel");
    strbuf_reset(out);
    if (rel && strncmp(rel, "[ProfD]", 7) == 0) {
        path_join(out, profile_dir, rel + 7);
        path_normalize(out->buf);
    } else {
        char *abs = pref_str(pf, "mail.server.", key, ".directory");
        if (abs)
            strbuf_addstr(out, abs);
        free(abs);
    }
    free(rel);
    return out->len && !out->oom;
}

/* Writes a server's changed filter file, journaled first. */
static ms_code save_filters(const char *file, const strbuf *out, ms_journal *j, ms_error *err)
{
    ms_code rc = journal_file_before(j, file, err);
    if (rc != MS_OK)
        return rc;
    return ms_file_write_atomic(file, out->buf, out->len, err);
}

/* Rewrites the filter targets (actionValue="<old_uri>/...") in every
 * server's msgFilterRules.dat to new_uri, journalling each file first: a
 * filter that moves mail into a folder of the renamed server keeps it. */
static ms_code migrate_filters(const prefs_file *pf, const mozilla_mail *mm, const char *dir,
                               const char *old_uri, const char *new_uri, ms_journal *j,
                               ms_error *err)
{
    strbuf sdir, file, raw, out, needle;
    strbuf_init(&sdir);
    strbuf_init(&file);
    strbuf_init(&raw);
    strbuf_init(&out);
    strbuf_init(&needle);
    strbuf_addf(&needle, "actionValue=\"%s", old_uri);
    ms_code rc = needle.oom ? ms_fail(err, MS_ERR_NOMEM, NULL) : MS_OK;
    for (size_t s = 0; rc == MS_OK && s < mm->nservers; s++) {
        if (!server_dir(pf, dir, mm->servers[s].key, &sdir))
            continue;
        strbuf_reset(&file);
        path_join(&file, sdir.buf, "msgFilterRules.dat");
        if (file.oom || !ms_file_exists(file.buf))
            continue;
        strbuf_reset(&raw);
        rc = ms_file_read(file.buf, PREFS_MAX_BYTES, &raw, err);
        strbuf_reset(&out);
        bool changed = false;
        for (size_t at = 0; rc == MS_OK && at < raw.len;) {
            const char *hit = strstr(raw.buf + at, needle.buf);
            size_t end = hit ? (size_t)(hit - raw.buf) + needle.len : raw.len;
            char next = hit && end < raw.len ? raw.buf[end] : 0;
            if (!hit || (next != '/' && next != '"')) {
                strbuf_add(&out, raw.buf + at, end - at);
                at = end;
                continue;
            }
            strbuf_add(&out, raw.buf + at, (size_t)(hit - raw.buf) - at);
            strbuf_addf(&out, "actionValue=\"%s", new_uri);
            at = end;
            changed = true;
        }
        if (rc == MS_OK && out.oom)
            rc = ms_fail(err, MS_ERR_NOMEM, NULL);
        if (rc == MS_OK && changed)
            rc = save_filters(file.buf, &out, j, err);
    }
    strbuf_free(&sdir);
    strbuf_free(&file);
    strbuf_free(&raw);
    strbuf_free(&out);
    strbuf_free(&needle);
    return rc;
}

/* Does cur hold v in c's field? */
static bool holds(const ms_account *cur, const ms_change *c, const ms_value *v)
{
    return account_field_is(cur, c->field, *v);
}

/* One change to the identity's outgoing server (index si). */
static ms_code edit(mozilla_mail *mm, size_t si, const ms_account *cur, const char *in_user,
                    const ms_change *c, const char *acct_key, bool first_identity, ms_error *err)
{
    switch (c->field) {
    case MS_F_SMTP_HOST:
        return mozilla_smtp_set_hostname(mm, si, c->to.str, err);
    case MS_F_SMTP_PORT:
        return mozilla_smtp_set_port(mm, si, c->to.num, err);
    case MS_F_SMTP_SECURITY:
        return mozilla_smtp_set_security(mm, si, (ms_security)c->to.num, err);
    case MS_F_SMTP_USER:
        return mozilla_smtp_set_username(mm, si, c->to.str ? c->to.str : "", err);
    case MS_F_SMTP_AUTH:
        switch ((ms_smtp_auth)c->to.num) {
        case MS_AUTH_NONE:
            return mozilla_smtp_set_auth(mm, si, MOZILLA_AUTH_NONE, err);
        case MS_AUTH_OWN:
            return mozilla_smtp_set_auth(mm, si, MOZILLA_AUTH_PASSWORD_CLEARTEXT, err);
        case MS_AUTH_SAME_AS_INCOMING: {
            /* "name and password" with the incoming server's user name
             * (the new one when this apply changes it). */
            if (!in_user || !*in_user)
                return ms_fail(err, MS_ERR_MOZ_VALUE, "%s: no incoming user name", cur->id);
            ms_code rc = mozilla_smtp_set_auth(mm, si, MOZILLA_AUTH_PASSWORD_CLEARTEXT, err);
            return rc == MS_OK ? mozilla_smtp_set_username(mm, si, in_user, err) : rc;
        }
        case MS_AUTH_SPA:
            break;
        }
        return ms_fail(err, MS_ERR_UNSUPPORTED_SETTING, "%s: SPA", cur->id);
    case MS_F_DEFAULT:
        /* The default account is an account, its first identity is the
         * default sender; there is no "not default" without another. */
        if (c->to.num && first_identity)
            return prefs_set_string(mm->prefs, "mail.accountmanager.defaultaccount", acct_key,
                                    err);
        return ms_fail(err, MS_ERR_UNSUPPORTED_SETTING, "%s: %s", cur->id,
                       account_field_id(c->field));
    case MS_F_INCOMING_HOST:
    case MS_F_INCOMING_USER: /* apply_moz renames the server once for both */
    case MS_F_COUNT:
        break;
    }
    return ms_fail(err, MS_ERR_UNSUPPORTED_SETTING, "%s: %s", cur->id, account_field_id(c->field));
}

/* The account and identity keys: the last two parts of
 * "<prog>/<tag>/<account>/<identity>". */
static bool split_id(const char *id, char *acct, size_t an, char *ident, size_t in)
{
    const char *last = strrchr(id, '/');
    if (!last || last == id)
        return false;
    const char *prev = last - 1;
    while (prev > id && *prev != '/')
        prev--;
    if (*prev != '/')
        return false;
    size_t al = (size_t)(last - prev - 1), il = strlen(last + 1);
    if (!al || !il || al >= an || il >= in)
        return false;
    memcpy(acct, prev + 1, al);
    acct[al] = '\0';
    memcpy(ident, last + 1, il + 1);
    return true;
}

/* The account key akey's mail account and its identity ikey (index into
 * the account's identities); false when either is gone since the scan. */
static bool find_identity(const mozilla_mail *mm, const char *akey, const char *ikey, long *ai,
                          long *k)
{
    for (size_t i = 0; i < mm->naccounts; i++) {
        if (strcmp(mm->accounts[i].key, akey) != 0 || !is_mail(mm, i))
            continue;
        for (size_t d = 0; d < mm->accounts[i].nidentities; d++)
            if (strcmp(mm->identities[mm->accounts[i].identities[d]].key, ikey) == 0) {
                *ai = (long)i;
                *k = (long)d;
                return true;
            }
    }
    return false;
}

/* The account as the file holds it now: the tag and name from the scan's
 * id "<prog>/<tag>/<akey>/<ikey>", the rest from the file. */
static ms_code current_account(const struct moz_prog *mp, const ms_account *acct, const char *akey,
                               const char *ikey, const loaded *l, long ai, long k,
                               ms_account *cur, ms_error *err)
{
    char tag[512];
    size_t tl = strlen(acct->id) - strlen(mp->id) - 1 - strlen(akey) - 1 - strlen(ikey) - 1;
    if (tl >= sizeof tag)
        tl = sizeof tag - 1;
    memcpy(tag, acct->id + strlen(mp->id) + 1, tl);
    tag[tl] = '\0';
    return fill_account(mp, tag, acct->container ? acct->container : "", acct->location, l,
                        (size_t)ai, (size_t)k, cur, err);
}

/* Each value must still be as scanned - or already as wanted (done[i]):
 * two identities that send through one server share its change, and the
 * second finds it made. Anything else changed since the scan. */
static ms_code check_unchanged(const char *id, const ms_account *cur, const ms_change *changes,
                               size_t n, bool *done, ms_error *err)
{
    for (size_t i = 0; i < n; i++) {
        done[i] = holds(cur, &changes[i], &changes[i].to);
        if (!done[i] && !holds(cur, &changes[i], &changes[i].from))
            return ms_fail(err, MS_ERR_CHANGED_SINCE_SCAN, "%s (%s)", id,
                           account_field_id(changes[i].field));
    }
    return MS_OK;
}

/* Renames the incoming server of account ai once for a new host name and
 * user name (old_uri and new_uri get its folder URIs); *in_user becomes
 * the user name the account has after this apply. */
static ms_code rename_incoming(mozilla_mail *mm, long ai, long k, const ms_account *cur,
                               const ms_change *changes, size_t n, const bool *done,
                               const char **in_user, strbuf *old_uri, strbuf *new_uri,
                               ms_error *err)
{
    const char *new_host = NULL, *new_user = NULL;
    bool auth_planned = false;
    for (size_t i = 0; i < n; i++) {
        if (changes[i].field == MS_F_INCOMING_HOST && !done[i])
            new_host = changes[i].to.str;
        if (changes[i].field == MS_F_INCOMING_USER) {
            *in_user = changes[i].to.str;
            if (!done[i])
                new_user = changes[i].to.str;
        }
        auth_planned |= changes[i].field == MS_F_SMTP_AUTH;
    }
    if (!new_host && !new_user)
        return MS_OK;
    ms_code rc = mozilla_server_rename(mm, (size_t)mm->accounts[ai].server, new_host, new_user,
                                       old_uri, new_uri, err);
    if (rc != MS_OK)
        return rc;
    /* Mozilla keeps no "same as incoming" flag: the outgoing server's user
     * name is the incoming one, so it follows a new user name. */
    long osi = mm->identities[mm->accounts[ai].identities[k]].smtp;
    if (new_user && osi >= 0 && !auth_planned && cur->smtp_auth == MS_AUTH_SAME_AS_INCOMING)
        return mozilla_smtp_set_username(mm, (size_t)osi, new_user, err);
    return MS_OK;
}

/* The changes to the identity's outgoing server si (and the default
 * account) not yet made; the incoming server's are rename_incoming's. */
static ms_code edit_outgoing(const char *id, mozilla_mail *mm, long si, const ms_account *cur,
                             const char *in_user, const ms_change *changes, size_t n,
                             const bool *done, const char *akey, bool first_identity,
                             ms_error *err)
{
    for (size_t i = 0; i < n; i++) {
        if (done[i] || changes[i].field == MS_F_INCOMING_HOST ||
            changes[i].field == MS_F_INCOMING_USER)
            continue;
        if (si < 0 && changes[i].field != MS_F_DEFAULT)
            return ms_fail(err, MS_ERR_MOZ_NO_SMTP, "%s", id);
        ms_code rc = edit(mm, (size_t)(si < 0 ? 0 : si), cur, in_user, &changes[i], akey,
                          first_identity, err);
        if (rc != MS_OK)
            return rc;
    }
    return MS_OK;
}

/* Writes prefs.js when the edits changed it: user.js checked, the old
 * file journaled, the filters of a renamed server moved first (a failure
 * there leaves prefs.js as it was). */
static ms_code save_prefs(const loaded *l, const char *dir, const char *location, long si, long ai,
                          const strbuf *old_uri, const strbuf *new_uri, ms_journal *j,
                          ms_error *err)
{
    size_t len = 0;
    const char *data = prefs_data(l->pf, &len);
    if (!data || (len == l->bytes.len && memcmp(data, l->bytes.buf, len) == 0))
        return MS_OK;
    ms_code rc = check_user_js(dir, si >= 0 ? l->mm->smtp[si].key : NULL,
                               old_uri->len ? l->mm->servers[l->mm->accounts[ai].server].key : NULL,
                               err);
    if (rc != MS_OK)
        return rc;
    rc = journal_file_before(j, location, err);
    if (rc != MS_OK)
        return rc;
    if (old_uri->len && strcmp(old_uri->buf, new_uri->buf) != 0) {
        rc = migrate_filters(l->pf, l->mm, dir, old_uri->buf, new_uri->buf, j, err);
        if (rc != MS_OK)
            return rc;
    }
    return ms_file_write_atomic(location, data, len, err);
}

static ms_code apply_moz(const ms_env *env, const ms_account *acct, const ms_change *changes,
                         size_t n, ms_journal *j, ms_error *err)
{
    (void)env;
    const struct moz_prog *mp = prog_of(acct->program);
    if (!mp || !acct->location || !acct->id || !j)
        return ms_fail(err, MS_ERR_INTERNAL, "mozilla apply");
    if (acct->read_error.code != MS_OK)
        return ms_fail(err, MS_ERR_ACCOUNT_UNREADABLE, "%s: %s", acct->id,
                       acct->read_error.detail);
    char akey[256], ikey[256];
    if (!split_id(acct->id, akey, sizeof akey, ikey, sizeof ikey))
        return ms_fail(err, MS_ERR_INTERNAL, "mozilla id %s", acct->id);
    ms_code rc = MS_OK;
    strbuf dir, old_uri, new_uri;
    strbuf_init(&dir);
    strbuf_init(&old_uri);
    strbuf_init(&new_uri);
    loaded l = {0};
    strbuf_init(&l.bytes);
    ms_account cur = {0};
    bool *done = NULL;
    strbuf_add(&dir, acct->location, path_dirname_len(acct->location));
    if (dir.oom) {
        rc = ms_fail(err, MS_ERR_NOMEM, NULL);
        goto out;
    }
    rc = check_lock(dir.buf, err);
    if (rc != MS_OK)
        goto out;
    rc = load(acct->location, &l, err);
    if (rc != MS_OK)
        goto out;
    long ai = -1, k = -1;
    if (!find_identity(l.mm, akey, ikey, &ai, &k)) {
        rc = ms_fail(err, MS_ERR_CHANGED_SINCE_SCAN, "%s", acct->id);
        goto out;
    }
    rc = current_account(mp, acct, akey, ikey, &l, ai, k, &cur, err);
    if (rc != MS_OK)
        goto out;
    done = calloc(n ? n : 1, sizeof *done);
    if (!done) {
        rc = ms_fail(err, MS_ERR_NOMEM, NULL);
        goto out;
    }
    rc = check_unchanged(acct->id, &cur, changes, n, done, err);
    if (rc != MS_OK)
        goto out;
    const char *in_user = cur.incoming_user;
    rc = rename_incoming(l.mm, ai, k, &cur, changes, n, done, &in_user, &old_uri, &new_uri, err);
    if (rc != MS_OK)
        goto out;
    long si = l.mm->identities[l.mm->accounts[ai].identities[k]].smtp;
    rc = edit_outgoing(acct->id, l.mm, si, &cur, in_user, changes, n, done, akey, k == 0, err);
    if (rc != MS_OK)
        goto out;
    rc = save_prefs(&l, dir.buf, acct->location, si, ai, &old_uri, &new_uri, j, err);
out:
    strbuf_free(&old_uri);
    strbuf_free(&new_uri);
    account_free(&cur);
    free(done);
    loaded_free(&l);
    strbuf_free(&dir);
    return rc;
}

/* What edit() writes: "name and password" or none (not SPA); the default
 * account only by making one the default. */
static bool moz_can_hold(const ms_account *a, const ms_change *c)
{
    (void)a;
    if (c->field == MS_F_SMTP_AUTH)
        return c->to.num != MS_AUTH_SPA;
    if (c->field == MS_F_DEFAULT)
        return c->to.num != 0;
    if (c->field == MS_F_INCOMING_HOST || c->field == MS_F_INCOMING_USER)
        return c->to.str && *c->to.str;
    return true;
}

#define MOZ_CAN_CHANGE                                                                             \
    (BACKEND_FIELD(MS_F_SMTP_HOST) | BACKEND_FIELD(MS_F_SMTP_PORT) |                               \
     BACKEND_FIELD(MS_F_SMTP_AUTH) | BACKEND_FIELD(MS_F_SMTP_USER) |                               \
     BACKEND_FIELD(MS_F_SMTP_SECURITY) | BACKEND_FIELD(MS_F_DEFAULT) |                             \
     BACKEND_FIELD(MS_F_INCOMING_HOST) | BACKEND_FIELD(MS_F_INCOMING_USER))

/* ---- adding an account (HotWeb's mode) */

/* The next free number for keys "<prefix><n>" (mail.account.account,
 * mail.server.server, mail.identity.id, mail.smtpserver.smtp): one more
 * than the highest in use, and than floor. */
static unsigned long next_key(const prefs_file *pf, const char *prefix, unsigned long floor)
{
    size_t pl = strlen(prefix);
    unsigned long max = floor;
    prefs_entry e;
    for (size_t i = 0; prefs_entry_at(pf, i, &e); i++) {
        if (strncmp(e.name, prefix, pl) != 0)
            continue;
        char *end;
        unsigned long v = strtoul(e.name + pl, &end, 10);
        if (end != e.name + pl && *end == '.' && v > max && v < 1000000)
            max = v;
    }
    return max + 1;
}

/* Appends ",item" (or "item") to the comma list pref name. */
static ms_code list_append(prefs_file *pf, const char *name, const char *item, ms_error *err)
{
    strbuf v;
    strbuf_init(&v);
    bool found = false;
    ms_code rc = prefs_get_string(pf, name, &v, &found, err);
    if (rc != MS_OK)
        goto out;
    if (found && v.len)
        strbuf_addch(&v, ',');
    strbuf_addstr(&v, item);
    rc = v.oom ? ms_fail(err, MS_ERR_NOMEM, NULL) : prefs_set_string(pf, name, v.buf, err);
out:
    strbuf_free(&v);
    return rc;
}

static ms_code set_keyed(prefs_file *pf, const char *branch, const char *key, const char *leaf,
                         const char *value, ms_error *err)
{
    char name[512];
    snprintf(name, sizeof name, "%s%s.%s", branch, key, leaf);
    return prefs_set_string(pf, name, value, err);
}

/* The new account's values: the template's with the changes applied. */
static ms_code new_values(const ms_account *tmpl, const ms_change *changes, size_t n,
                          ms_account *want, ms_error *err)
{
    ms_code rc = plan_expected_account(tmpl, changes, n, want, err);
    if (rc != MS_OK)
        return rc;
    if (!want->incoming_host || !*want->incoming_host || !want->smtp_host || !*want->smtp_host ||
        !want->incoming_user || !*want->incoming_user) {
        account_free(want);
        return ms_fail(err, MS_ERR_MOZ_VALUE, "%s: new account without server or user", tmpl->id);
    }
    return MS_OK;
}

/* The keys of a new account: mail.account.<acct>, mail.server.<srv>,
 * mail.identity.<ident>, mail.smtpserver.<smtp>. */
typedef struct new_keys {
    char acct[32], srv[32], ident[32], smtp[32];
} new_keys;

/* One string preference <branch><key>.<leaf>; value NULL: not written. */
typedef struct keyed_pref {
    const char *branch, *key, *leaf, *value;
} keyed_pref;

/* Writes the preferences v[0..n) in order. */
static ms_code set_all_keyed(prefs_file *pf, const keyed_pref *v, size_t n, ms_error *err)
{
    for (size_t i = 0; i < n; i++) {
        if (!v[i].value)
            continue;
        ms_code rc = set_keyed(pf, v[i].branch, v[i].key, v[i].leaf, v[i].value, err);
        if (rc != MS_OK)
            return rc;
    }
    return MS_OK;
}

/* The integer preference <branch><key>.<leaf>, unless value is unset. */
static ms_code set_keyed_int(prefs_file *pf, const char *branch, const char *key,
                             const char *leaf, int32_t value, ms_error *err)
{
    if (value == MOZILLA_UNSET)
        return MS_OK;
    char name[512];
    snprintf(name, sizeof name, "%s%s.%s", branch, key, leaf);
    return prefs_set_int(pf, name, value, err);
}

/* The new account (server, identities), its incoming server (type,
 * hostname, userName, name; port and socketType as the template's), its
 * identity (fullName, useremail, smtpServer, valid) and outgoing server's
 * host name, in Thunderbird's order. */
static ms_code write_new_prefs(prefs_file *pf, const new_keys *nk, const mozilla_server *tsrv,
                               const ms_account *want, ms_error *err)
{
    const char *acc = "mail.account.", *srv = "mail.server.", *idn = "mail.identity.";
    const keyed_pref server[] = {
        {acc, nk->acct, "server", nk->srv},
        {acc, nk->acct, "identities", nk->ident},
        {srv, nk->srv, "type", tsrv->type},
        {srv, nk->srv, "hostname", want->incoming_host},
        {srv, nk->srv, "userName", want->incoming_user},
        {srv, nk->srv, "name", want->email ? want->email : want->incoming_host},
    };
    const keyed_pref identity[] = {
        {idn, nk->ident, "fullName", want->display_name},
        {idn, nk->ident, "useremail", want->email},
        {idn, nk->ident, "smtpServer", nk->smtp},
    };
    const keyed_pref smtp = {"mail.smtpserver.", nk->smtp, "hostname", want->smtp_host};
    char name[512];
    ms_code rc = set_all_keyed(pf, server, sizeof server / sizeof server[0], err);
    if (rc != MS_OK)
        return rc;
    rc = set_keyed_int(pf, srv, nk->srv, "port", tsrv->port, err);
    if (rc != MS_OK)
        return rc;
    rc = set_keyed_int(pf, srv, nk->srv, "socketType", tsrv->socket_type, err);
    if (rc != MS_OK)
        return rc;
    rc = set_all_keyed(pf, identity, sizeof identity / sizeof identity[0], err);
    if (rc != MS_OK)
        return rc;
    snprintf(name, sizeof name, "mail.identity.%s.valid", nk->ident);
    rc = prefs_set_bool(pf, name, true, err);
    if (rc != MS_OK)
        return rc;
    return set_all_keyed(pf, &smtp, 1, err);
}

/* The new outgoing server's port, security and authentication, written
 * with the setters of a change (in the file's generation) once the model
 * is read again. */
static ms_code write_new_smtp(loaded *l, const char *mkey, const ms_account *want, ms_error *err)
{
    mozilla_mail_free(l->mm);
    l->mm = NULL;
    ms_code rc = mozilla_mail_read(l->pf, &l->mm, err);
    if (rc != MS_OK)
        return rc;
    long si = mozilla_find_smtp(l->mm, mkey);
    if (si < 0)
        return ms_fail(err, MS_ERR_MOZ_NO_SMTP, "%s", mkey);
    rc = mozilla_smtp_set_port(l->mm, (size_t)si, want->smtp_port, err);
    if (rc != MS_OK)
        return rc;
    rc = mozilla_smtp_set_security(l->mm, (size_t)si, want->smtp_security, err);
    if (rc != MS_OK)
        return rc;
    if (want->smtp_auth == MS_AUTH_NONE)
        return mozilla_smtp_set_auth(l->mm, (size_t)si, MOZILLA_AUTH_NONE, err);
    rc = mozilla_smtp_set_auth(l->mm, (size_t)si, MOZILLA_AUTH_PASSWORD_CLEARTEXT, err);
    if (rc != MS_OK)
        return rc;
    return mozilla_smtp_set_username(
        l->mm, (size_t)si,
        want->smtp_auth == MS_AUTH_OWN && want->smtp_user ? want->smtp_user : want->incoming_user,
        err);
}

/* Writes a new account as Thunderbird's account wizard does: an account
 * (mail.account.accountN: server, identities) listed in
 * mail.accountmanager.accounts, its incoming server (type, hostname,
 * userName, name, port and socketType as the template's), an identity
 * (fullName, useremail, smtpServer, valid) and its own outgoing server
 * listed in mail.smtpservers, written with the same setters as a change.
 * No folder preference: Thunderbird makes the server's folder
 * (Mail/<host>) on its next start. keys[] gets the four keys (the caller
 * frees them), also on failure. */
static ms_code write_new_account(loaded *l, const mozilla_server *tsrv, const ms_account *want,
                                 bool make_default, char *keys[4], ms_error *err)
{
    prefs_file *pf = l->pf;
    bool found = false;
    int32_t last = 0;
    ms_code rc = prefs_get_int(pf, "mail.account.lastKey", &last, &found, err);
    unsigned long an =
        next_key(pf, "mail.account.account", found && last > 0 ? (unsigned long)last : 0);
    new_keys nk;
    snprintf(nk.acct, sizeof nk.acct, "account%lu", an);
    snprintf(nk.srv, sizeof nk.srv, "server%lu", next_key(pf, "mail.server.server", 0));
    snprintf(nk.ident, sizeof nk.ident, "id%lu", next_key(pf, "mail.identity.id", 0));
    snprintf(nk.smtp, sizeof nk.smtp, "smtp%lu", next_key(pf, "mail.smtpserver.smtp", 0));
    if (rc != MS_OK)
        goto out;
    rc = write_new_prefs(pf, &nk, tsrv, want, err);
    if (rc != MS_OK)
        goto out;
    rc = list_append(pf, "mail.smtpservers", nk.smtp, err);
    if (rc != MS_OK)
        goto out;
    rc = list_append(pf, "mail.accountmanager.accounts", nk.acct, err);
    if (rc != MS_OK)
        goto out;
    if (found) {
        rc = prefs_set_int(pf, "mail.account.lastKey", (int32_t)an, err);
        if (rc != MS_OK)
            goto out;
    }
    if (make_default) {
        rc = prefs_set_string(pf, "mail.accountmanager.defaultaccount", nk.acct, err);
        if (rc != MS_OK)
            goto out;
    }
    rc = write_new_smtp(l, nk.smtp, want, err);
out:
    keys[0] = ms_strdup(nk.acct);
    keys[1] = ms_strdup(nk.ident);
    keys[2] = ms_strdup(nk.srv);
    keys[3] = ms_strdup(nk.smtp);
    return rc;
}

/* The incoming server of the mail account akey, or NULL when it is gone. */
static const mozilla_server *template_server(const mozilla_mail *mm, const char *akey)
{
    for (size_t i = 0; i < mm->naccounts; i++)
        if (strcmp(mm->accounts[i].key, akey) == 0 && is_mail(mm, i))
            return &mm->servers[mm->accounts[i].server];
    return NULL;
}

/* The new account's id: the template's "<prog>/<tag>/" with the new
 * account and identity keys. */
static ms_code added_id(const char *tmpl_id, const char *akey, const char *ikey,
                        char *const keys[4], char **new_id, ms_error *err)
{
    size_t pre = strlen(tmpl_id) - strlen(akey) - 1 - strlen(ikey);
    strbuf id;
    strbuf_init(&id);
    strbuf_add(&id, tmpl_id, pre);
    strbuf_addf(&id, "%s/%s", keys[0], keys[1]);
    *new_id = strbuf_detach(&id, NULL);
    return *new_id ? MS_OK : ms_fail(err, MS_ERR_NOMEM, NULL);
}

static ms_code add_moz(const ms_env *env, const ms_account *tmpl, const ms_change *changes,
                       size_t n, bool make_default, ms_journal *j, char **new_id, ms_error *err)
{
    (void)env;
    *new_id = NULL;
    const struct moz_prog *mp = prog_of(tmpl->program);
    if (!mp || !tmpl->location || !tmpl->id || !j)
        return ms_fail(err, MS_ERR_INTERNAL, "mozilla add_account");
    if (tmpl->read_error.code != MS_OK)
        return ms_fail(err, MS_ERR_ACCOUNT_UNREADABLE, "%s: %s", tmpl->id, tmpl->read_error.detail);
    char akey[256], ikey[256];
    if (!split_id(tmpl->id, akey, sizeof akey, ikey, sizeof ikey))
        return ms_fail(err, MS_ERR_INTERNAL, "mozilla id %s", tmpl->id);
    for (size_t i = 0; i < n; i++)
        if (changes[i].field == MS_F_DEFAULT && changes[i].to.num)
            make_default = true;
    ms_account want;
    ms_code rc = new_values(tmpl, changes, n, &want, err);
    if (rc != MS_OK)
        return rc;
    strbuf dir;
    strbuf_init(&dir);
    loaded l = {0};
    strbuf_init(&l.bytes);
    mozilla_server tcopy = {0};
    char *keys[4] = {NULL, NULL, NULL, NULL};
    strbuf_add(&dir, tmpl->location, path_dirname_len(tmpl->location));
    rc = dir.oom ? ms_fail(err, MS_ERR_NOMEM, NULL) : check_lock(dir.buf, err);
    if (rc != MS_OK)
        goto out;
    rc = load(tmpl->location, &l, err);
    if (rc != MS_OK)
        goto out;
    const mozilla_server *tsrv = template_server(l.mm, akey);
    if (!tsrv) {
        rc = ms_fail(err, MS_ERR_CHANGED_SINCE_SCAN, "%s", tmpl->id);
        goto out;
    }
    tcopy = *tsrv; /* the model is read again while writing */
    tcopy.type = ms_strdup(tsrv->type);
    if (!tcopy.type) {
        rc = ms_fail(err, MS_ERR_NOMEM, NULL);
        goto out;
    }
    rc = write_new_account(&l, &tcopy, &want, make_default, keys, err);
    if (rc == MS_OK && (!keys[0] || !keys[1]))
        rc = ms_fail(err, MS_ERR_NOMEM, NULL);
    if (rc != MS_OK)
        goto out;
    rc = check_user_js(dir.buf, keys[3], keys[2], err);
    if (rc != MS_OK)
        goto out;
    size_t len = 0;
    const char *data = prefs_data(l.pf, &len);
    rc = journal_file_before(j, tmpl->location, err);
    if (rc != MS_OK)
        goto out;
    rc = ms_file_write_atomic(tmpl->location, data, len, err);
    if (rc != MS_OK)
        goto out;
    rc = added_id(tmpl->id, akey, ikey, keys, new_id, err);
out:
    for (size_t i = 0; i < 4; i++)
        free(keys[i]);
    free(tcopy.type);
    account_free(&want);
    loaded_free(&l);
    strbuf_free(&dir);
    return rc;
}

static const char *const tb_exes[] = {"thunderbird.exe", NULL};
static const char *const ns_exes[] = {"netscp.exe",    "netscp6.exe", "netscape.exe",
                                      "seamonkey.exe", "mozilla.exe", NULL};

const ms_backend mozilla_backend_thunderbird = {
    .program = MS_PROG_THUNDERBIRD,
    .id = "thunderbird",
    .process_names = tb_exes,
    .scan = scan_thunderbird,
    .apply = apply_moz,
    .add_account = add_moz,
    .can_change = MOZ_CAN_CHANGE,
    .can_hold = moz_can_hold,
};

const ms_backend mozilla_backend_netscape = {
    .program = MS_PROG_NETSCAPE,
    .id = "netscape",
    .process_names = ns_exes,
    .scan = scan_netscape,
    .apply = apply_moz,
    .add_account = add_moz,
    .can_change = MOZ_CAN_CHANGE,
    .can_hold = moz_can_hold,
};
