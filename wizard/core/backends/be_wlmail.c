/* be_wlmail: Windows Mail and Windows Live Mail; see be_wlmail.h.
 *
 * How the programs find their accounts (Thunderbird's importer,
 * comm-central mailnews/import/src/nsWMUtils.cpp, does the same): read
 * "Store Root" (REG_EXPAND_SZ) from the program's key, expand it, and take
 * every *.oeaccount file in that folder and all folders below it. POP3
 * accounts live in "Local Folders", IMAP and news accounts in a folder of
 * their own (Microsoft, "New Handling for Account Data"). The default mail
 * account is the "Default Mail Account" value of the key: the file's name,
 * "account{GUID}.oeaccount" (nsWMSettings.cpp compares it with the leaf
 * name). A file with an IMAP_Server or POP3_Server is a mail account;
 * news (NNTP) and directory (LDAP) accounts are left alone. */
#include "be_wlmail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "bereg.h"
#include "guid.h"
#include "oeaccount.h"
#include "path.h"
#include "platform.h"
#include "regval.h"

#define VAL_STORE_ROOT "Store Root"
#define VAL_DEFAULT "Default Mail Account"
#define SUFFIX ".oeaccount"
#define MAX_DEPTH 12 /* folders below the store root searched */
#define MAX_FILES 20000

struct wm_prog {
    ms_program program;
    const char *id;
    const char *key;
    const char *folder; /* below %LOCALAPPDATA% */
};

static const struct wm_prog progs[] = {
    {MS_PROG_WINMAIL, "winmail", "Software\\Microsoft\\Windows Mail", "Microsoft\\Windows Mail"},
    {MS_PROG_WLMAIL, "wlmail", "Software\\Microsoft\\Windows Live Mail",
     "Microsoft\\Windows Live Mail"},
};

static const struct wm_prog *prog_of(ms_program p)
{
    for (size_t i = 0; i < sizeof progs / sizeof progs[0]; i++)
        if (progs[i].program == p)
            return &progs[i];
    return NULL;
}

const char *wlmail_reg_key(ms_program prog)
{
    const struct wm_prog *wp = prog_of(prog);
    return wp ? wp->key : NULL;
}

/* ---- the store root */

static const char *env_var(const ms_env *env, const char *name, size_t len)
{
    struct {
        const char *name;
        const char *value;
    } known[] = {{"USERPROFILE", env->home},
                 {"APPDATA", env->appdata},
                 {"LOCALAPPDATA", env->local_appdata}};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strlen(known[i].name) == len && known[i].value) {
            size_t k = 0;
            while (k < len && (name[k] | 0x20) == (known[i].name[k] | 0x20))
                k++;
            if (k == len)
                return known[i].value;
        }
    return NULL;
}

ms_code wlmail_expand(const ms_env *env, const char *s, strbuf *out, ms_error *err)
{
    while (*s) {
        const char *end = s[0] == '%' ? strchr(s + 1, '%') : NULL;
        if (!end || end == s + 1) {
            strbuf_addch(out, *s++);
            continue;
        }
        size_t len = (size_t)(end - s - 1);
        const char *v = env_var(env, s + 1, len);
        if (v) {
            strbuf_addstr(out, v);
        } else {
            char *name = malloc(len + 1);
            if (!name)
                return ms_fail(err, MS_ERR_NOMEM, NULL);
            memcpy(name, s + 1, len);
            name[len] = '\0';
            ms_error ignored;
            size_t before = out->len;
            if (ms_getenv(name, out, &ignored) != MS_OK) {
                /* ExpandEnvironmentStrings leaves an unknown %NAME% as is. */
                out->len = before;
                out->buf[before] = '\0';
                strbuf_add(out, s, len + 2);
            }
            free(name);
        }
        s = end + 1;
    }
    return out->oom ? ms_fail(err, MS_ERR_NOMEM, NULL) : MS_OK;
}

ms_code wlmail_store_root(const ms_env *env, ms_program prog, strbuf *out, bool *configured,
                          ms_error *err)
{
    const struct wm_prog *wp = prog_of(prog);
    *configured = false;
    if (!wp || !env->reg)
        return ms_fail(err, MS_ERR_INTERNAL, "wlmail_store_root");
    ms_code rc = bereg_key_exists(env->reg, wp->key, configured, err);
    if (rc != MS_OK || !*configured)
        return rc;
    char *root = NULL;
    ms_error verr;
    rc = regval_get_string(env->reg, wp->key, VAL_STORE_ROOT, REGVAL_SZ, &root, &verr);
    if (rc != MS_OK && rc != MS_ERR_REG_NOT_FOUND) {
        if (err)
            *err = verr;
        return rc;
    }
    /* Missing is fine: the programs then use their default folder. */
    rc = MS_OK;
    size_t start = out->len;
    if (root && *root) {
        rc = wlmail_expand(env, root, out, err);
    } else {
        if (!env->local_appdata)
            rc = ms_fail(err, MS_ERR_INTERNAL, "no %%LOCALAPPDATA%%");
        else
            path_join(out, env->local_appdata, wp->folder);
    }
    free(root);
    if (rc != MS_OK)
        return rc;
    if (out->oom)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    path_normalize(out->buf + start);
    /* No trailing separator: paths are joined below it. */
    while (out->len > start + 1 &&
           (out->buf[out->len - 1] == '/' || out->buf[out->len - 1] == '\\'))
        out->buf[--out->len] = '\0';
    if (!ms_path_is_absolute(out->buf + start))
        return ms_fail(err, MS_ERR_SETTINGS_REGISTRY, "HKCU\\%s\\" VAL_STORE_ROOT " = \"%s\"",
                       wp->key, out->buf + start);
    return MS_OK;
}

/* ---- finding the files */

struct paths {
    char **v;
    size_t n, cap;
};

static void paths_free(struct paths *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->v[i]);
    free(p->v);
    memset(p, 0, sizeof *p);
}

static bool has_suffix_ci(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n > m && ms_strcasecmp(s + n - m, suffix) == 0;
}

static ms_code walk(const char *dir, int depth, struct paths *found, ms_error *err)
{
    strbuf list;
    strbuf_init(&list);
    ms_code rc = ms_dir_list(dir, &list, err);
    if (rc != MS_OK) {
        strbuf_free(&list);
        return rc;
    }
    strbuf sub;
    strbuf_init(&sub);
    for (size_t i = 0; rc == MS_OK && i < list.len;) {
        char kind = list.buf[i];
        const char *name = list.buf + i + 1;
        i += strlen(name) + 2;
        strbuf_reset(&sub);
        path_join(&sub, dir, name);
        if (sub.oom) {
            rc = ms_fail(err, MS_ERR_NOMEM, NULL);
        } else if (kind == 'd' && depth < MAX_DEPTH) {
            rc = walk(sub.buf, depth + 1, found, err);
        } else if (kind == 'f' && has_suffix_ci(name, SUFFIX)) {
            if (found->n == MAX_FILES) {
                rc = ms_fail(err, MS_ERR_OEACCOUNT_XML, "%s: more than %d account files", dir,
                             MAX_FILES);
            } else {
                if (found->n == found->cap) {
                    size_t cap = found->cap ? found->cap * 2 : 16;
                    char **nv = realloc(found->v, cap * sizeof *nv);
                    if (!nv) {
                        rc = ms_fail(err, MS_ERR_NOMEM, NULL);
                        break;
                    }
                    found->v = nv;
                    found->cap = cap;
                }
                found->v[found->n] = strbuf_detach(&sub, NULL);
                if (!found->v[found->n])
                    rc = ms_fail(err, MS_ERR_NOMEM, NULL);
                else
                    found->n++;
            }
        }
    }
    strbuf_free(&sub);
    strbuf_free(&list);
    return rc;
}

/* ---- reading one account */

static ms_code get_str(const oeacct_doc *d, const char *name, char **out, ms_error *err)
{
    return oeacct_get_str(d, name, out, err);
}

static ms_code get_port(const oeacct_doc *d, const char *name, uint32_t dflt, unsigned *out,
                        ms_error *err)
{
    uint32_t v;
    bool present;
    ms_code rc = oeacct_get_dword(d, name, dflt, &v, &present, err);
    if (rc != MS_OK)
        return rc;
    if (present && (v == 0 || v > 65535)) {
        const oeacct_elem *e = oeacct_find(d, name);
        return ms_fail(err, MS_ERR_OEACCOUNT_VALUE, "%s, line %u: <%s> is %lu, not a port number",
                       d->file, e ? e->line : 0, name, (unsigned long)v);
    }
    *out = (unsigned)v;
    return MS_OK;
}

static ms_code get_choice(const oeacct_doc *d, const char *name, uint32_t max, uint32_t *out,
                          ms_error *err)
{
    bool present;
    ms_code rc = oeacct_get_dword(d, name, 0, out, &present, err);
    if (rc == MS_OK && *out > max) {
        const oeacct_elem *e = oeacct_find(d, name);
        rc = ms_fail(err, MS_ERR_OEACCOUNT_VALUE, "%s, line %u: <%s> is %lu (0 to %lu expected)",
                     d->file, e ? e->line : 0, name, (unsigned long)*out, (unsigned long)max);
    }
    return rc;
}

/* The id part after "wlmail/": the file name without ".oeaccount". */
static char *leaf_id(const char *path)
{
    const char *b = path_basename(path);
    return ms_strndup(b, strlen(b) - strlen(SUFFIX));
}

/* An account's id from its file: "<program>/<file name>"; NULL when out
 * of memory. */
static char *account_id(const struct wm_prog *wp, const char *path)
{
    char *leaf = leaf_id(path);
    strbuf id;
    strbuf_init(&id);
    strbuf_addf(&id, "%s/%s", wp->id, leaf ? leaf : "");
    free(leaf);
    return strbuf_detach(&id, NULL);
}

/* The names, the incoming server's user and port (pfx "IMAP" or "POP3")
 * and the outgoing server's host and port. */
static ms_code read_names(const oeacct_doc *d, const char *pfx, ms_account *a, ms_error *err)
{
    char name[32];
    ms_code rc = get_str(d, "Account_Name", &a->account_name, err);
    if (rc != MS_OK)
        return rc;
    rc = get_str(d, "SMTP_Display_Name", &a->display_name, err);
    if (rc != MS_OK)
        return rc;
    rc = get_str(d, "SMTP_Email_Address", &a->email, err);
    if (rc != MS_OK)
        return rc;
    snprintf(name, sizeof name, "%s_User_Name", pfx);
    rc = get_str(d, name, &a->incoming_user, err);
    if (rc != MS_OK)
        return rc;
    snprintf(name, sizeof name, "%s_Port", pfx);
    rc = get_port(d, name, 0, &a->incoming_port, err);
    if (rc != MS_OK)
        return rc;
    rc = get_str(d, "SMTP_Server", &a->smtp_host, err);
    if (rc != MS_OK)
        return rc;
    return get_port(d, "SMTP_Port", 25, &a->smtp_port, err);
}

/* The connection security of both servers and the outgoing server's
 * authentication and user name. */
static ms_code read_security(const oeacct_doc *d, const char *pfx, ms_account *a, ms_error *err)
{
    static const ms_smtp_auth auth_of[4] = {MS_AUTH_NONE, MS_AUTH_SPA, MS_AUTH_SAME_AS_INCOMING,
                                            MS_AUTH_OWN};
    uint32_t sicily = 0, secure = 0, in_secure = 0;
    char name[32];
    /* The same checkbox as the registry's "POP3 Secure Connection":
     * implicit TLS. */
    snprintf(name, sizeof name, "%s_Secure_Connection", pfx);
    ms_code rc = get_choice(d, name, 1, &in_secure, err);
    a->incoming_security = in_secure ? MS_SEC_SSL : MS_SEC_NONE;
    if (rc != MS_OK)
        return rc;
    rc = get_choice(d, "SMTP_Use_Sicily", 3, &sicily, err);
    if (rc != MS_OK)
        return rc;
    rc = get_str(d, "SMTP_User_Name", &a->smtp_user, err);
    if (rc != MS_OK)
        return rc;
    rc = get_choice(d, "SMTP_Secure_Connection", 1, &secure, err);
    if (rc != MS_OK)
        return rc;
    a->smtp_auth = auth_of[sicily];
    /* One checkbox, "This server requires a secure connection (SSL)":
     * implicit TLS on port 465, STARTTLS on any other port. */
    a->smtp_security = !secure ? MS_SEC_NONE : a->smtp_port == 465 ? MS_SEC_SSL : MS_SEC_STARTTLS;
    return MS_OK;
}

/* Fills a from a parsed file; *mail false (a untouched) when it is not a
 * mail account. */
static ms_code doc_account(const struct wm_prog *wp, const oeacct_doc *d, const char *path,
                           const char *default_leaf, ms_account *a, bool *mail, ms_error *err)
{
    *mail = false;
    char *imap = NULL, *pop = NULL;
    ms_code rc = get_str(d, "IMAP_Server", &imap, err);
    if (rc != MS_OK)
        return rc;
    rc = get_str(d, "POP3_Server", &pop, err);
    if (rc != MS_OK || !((imap && *imap) || (pop && *pop))) {
        free(imap);
        free(pop);
        return rc;
    }
    *mail = true;
    memset(a, 0, sizeof *a);
    a->program = wp->program;
    bool is_imap = imap && *imap;
    a->incoming_proto = is_imap ? MS_IN_IMAP : MS_IN_POP3;
    a->incoming_host = is_imap ? imap : pop;
    free(is_imap ? pop : imap);
    const char *pfx = is_imap ? "IMAP" : "POP3";
    a->id = account_id(wp, path);
    a->location = ms_strdup(path);
    if (!a->id || !a->location) {
        rc = ms_fail(err, MS_ERR_NOMEM, NULL);
        goto out;
    }
    rc = read_names(d, pfx, a, err);
    if (rc != MS_OK)
        goto out;
    rc = read_security(d, pfx, a, err);
    if (rc != MS_OK)
        goto out;
    a->is_default = default_leaf && ms_strcasecmp(path_basename(path), default_leaf) == 0;
out:
    if (rc != MS_OK)
        account_free(a);
    return rc;
}

/* The "Default Mail Account" file name, NULL when unset. */
static ms_code default_leaf(const ms_env *env, const struct wm_prog *wp, char **out, ms_error *err)
{
    ms_error verr;
    ms_code rc = regval_get_string(env->reg, wp->key, VAL_DEFAULT, REGVAL_SZ, out, &verr);
    if (rc == MS_ERR_REG_NOT_FOUND) {
        *out = NULL;
        return MS_OK;
    }
    if (rc != MS_OK && err)
        *err = verr;
    return rc;
}

/* Lists a file that could not be read as an account: its id, file and
 * why, and nothing a plan could match, so the report names it and the
 * account is left alone. */
static ms_code add_unreadable(const struct wm_prog *wp, const char *path, const char *def,
                              const ms_error *why, ms_account_list *out, ms_error *err)
{
    ms_account *a = account_list_add(out);
    if (!a)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    a->program = wp->program;
    a->id = account_id(wp, path);
    a->location = ms_strdup(path);
    a->read_error = *why;
    a->is_default = def && ms_strcasecmp(path_basename(path), def) == 0;
    if (!a->id || !a->location)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    return MS_OK;
}

/* Ids use the file name, which the default-account value relies on being
 * unique: two files with one name (in any folders) make that ambiguous. */
static ms_code check_unique_names(const struct paths *files, ms_error *err)
{
    for (size_t i = 0; i < files->n; i++)
        for (size_t k = i + 1; k < files->n; k++)
            if (ms_strcasecmp(path_basename(files->v[i]), path_basename(files->v[k])) == 0)
                return ms_fail(err, MS_ERR_OEACCOUNT_XML, "%s and %s: two account files, one name",
                               files->v[i], files->v[k]);
    return MS_OK;
}

/* The account in file path, listed in out: a mail account as read, a file
 * that cannot be read as unreadable (one broken file does not hide the
 * other accounts), anything else not at all. */
static ms_code scan_file(const struct wm_prog *wp, const char *path, const char *def,
                         ms_account_list *out, ms_error *err)
{
    oeacct_doc d;
    ms_error why;
    ms_error_clear(&why);
    ms_code frc = oeacct_load(path, &d, &why);
    ms_account a;
    bool mail = false;
    if (frc == MS_OK)
        frc = doc_account(wp, &d, path, def, &a, &mail, &why);
    oeacct_free(&d);
    if (frc == MS_ERR_NOMEM)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    if (frc != MS_OK)
        return add_unreadable(wp, path, def, &why, out, err);
    if (!mail)
        return MS_OK;
    ms_account *slot = account_list_add(out);
    if (!slot) {
        account_free(&a);
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    }
    *slot = a;
    return MS_OK;
}

static ms_code scan_program(const ms_env *env, const struct wm_prog *wp, ms_account_list *out,
                            ms_error *err)
{
    strbuf root;
    strbuf_init(&root);
    char *def = NULL;
    struct paths files = {0};
    bool configured;
    ms_code rc = wlmail_store_root(env, wp->program, &root, &configured, err);
    if (rc != MS_OK || !configured || ms_path_kind(root.buf) != MS_PATH_DIR)
        goto out;
    rc = default_leaf(env, wp, &def, err);
    if (rc != MS_OK)
        goto out;
    rc = walk(root.buf, 0, &files, err);
    if (rc != MS_OK)
        goto out;
    qsort(files.v, files.n, sizeof *files.v, ms_cmp_str);
    rc = check_unique_names(&files, err);
    for (size_t i = 0; rc == MS_OK && i < files.n; i++)
        rc = scan_file(wp, files.v[i], def, out, err);
out:
    paths_free(&files);
    free(def);
    strbuf_free(&root);
    return rc;
}

static ms_code scan_winmail(const ms_env *env, ms_account_list *out, ms_error *err)
{
    return scan_program(env, prog_of(MS_PROG_WINMAIL), out, err);
}

static ms_code scan_wlmail(const ms_env *env, ms_account_list *out, ms_error *err)
{
    return scan_program(env, prog_of(MS_PROG_WLMAIL), out, err);
}

/* ---- changing */

/* Is the account (as the file says now) still what the plan saw? */
static bool still_from(const ms_account *cur, const ms_change *c)
{
    return account_field_is(cur, c->field, c->from);
}

/* Applies one change (not MS_F_DEFAULT) to the document. */
static ms_code edit(oeacct_doc *d, ms_incoming_proto proto, const ms_change *c, ms_error *err)
{
    static const uint32_t sicily_of[4] = {
        [MS_AUTH_NONE] = 0, [MS_AUTH_SAME_AS_INCOMING] = 2, [MS_AUTH_OWN] = 3, [MS_AUTH_SPA] = 1};
    const char *in = proto == MS_IN_IMAP ? "IMAP" : "POP3";
    char name[32];
    switch (c->field) {
    case MS_F_SMTP_HOST:
        if (!c->to.str || !*c->to.str)
            return ms_fail(err, MS_ERR_INTERNAL, "%s: empty SMTP server", d->file);
        return oeacct_set_str(d, "SMTP_Server", c->to.str, err);
    case MS_F_SMTP_PORT:
        if (c->to.num == 0 || c->to.num > 65535)
            return ms_fail(err, MS_ERR_INTERNAL, "%s: port %u", d->file, c->to.num);
        return oeacct_set_dword(d, "SMTP_Port", c->to.num, err);
    case MS_F_SMTP_AUTH:
        if (c->to.num > MS_AUTH_SPA)
            return ms_fail(err, MS_ERR_INTERNAL, "%s: auth %u", d->file, c->to.num);
        return oeacct_set_dword(d, "SMTP_Use_Sicily", sicily_of[c->to.num], err);
    case MS_F_SMTP_USER:
        if (!c->to.str)
            return oeacct_remove(d, "SMTP_User_Name", err);
        return oeacct_set_str(d, "SMTP_User_Name", c->to.str, err);
    case MS_F_SMTP_SECURITY:
        if (c->to.num > MS_SEC_SSL)
            return ms_fail(err, MS_ERR_INTERNAL, "%s: security %u", d->file, c->to.num);
        return oeacct_set_dword(d, "SMTP_Secure_Connection", c->to.num != MS_SEC_NONE, err);
    case MS_F_INCOMING_HOST:
        if (!c->to.str || !*c->to.str)
            return ms_fail(err, MS_ERR_INTERNAL, "%s: empty incoming server", d->file);
        snprintf(name, sizeof name, "%s_Server", in);
        return oeacct_set_str(d, name, c->to.str, err);
    case MS_F_INCOMING_USER:
        snprintf(name, sizeof name, "%s_User_Name", in);
        return oeacct_set_str(d, name, c->to.str ? c->to.str : "", err);
    case MS_F_DEFAULT:
    case MS_F_COUNT:
        break;
    }
    return MS_OK;
}

/* Makes the file named leaf the default mail account (or, with !on, stops
 * it being the default), journalling the value first. */
static ms_code set_default(const ms_env *env, const struct wm_prog *wp, const char *leaf, bool on,
                           ms_journal *j, ms_error *err)
{
    char *cur = NULL;
    ms_code rc = default_leaf(env, wp, &cur, err);
    if (rc != MS_OK)
        return rc;
    bool is = cur && ms_strcasecmp(cur, leaf) == 0;
    free(cur);
    if (is == on)
        return MS_OK;
    rc = journal_reg_before(j, env->reg, wp->key, VAL_DEFAULT, err);
    if (rc != MS_OK)
        return rc;
    if (!on)
        return env->reg->ops->del_value(env->reg, wp->key, VAL_DEFAULT, err);
    strbuf data;
    strbuf_init(&data);
    if (!regval_encode_string(leaf, &data) || data.oom) {
        strbuf_free(&data);
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    }
    rc = env->reg->ops->set(env->reg, wp->key, VAL_DEFAULT, MS_REG_SZ, data.buf, data.len, err);
    strbuf_free(&data);
    return rc;
}

/* Writes doc to path when its bytes differ from orig, journalling first. */
static ms_code write_doc(const oeacct_doc *d, const char *path, const strbuf *orig, ms_journal *j,
                         ms_error *err)
{
    strbuf out;
    strbuf_init(&out);
    ms_code rc = oeacct_serialize(d, &out, err);
    if (rc != MS_OK || (orig && orig->len == out.len && !memcmp(orig->buf, out.buf, out.len)))
        goto out;
    rc = journal_file_before_filtered(j, path, &oeacct_secret_filter, err);
    if (rc != MS_OK)
        goto out;
    rc = ms_file_write_atomic(path, out.buf, out.len, err);
out:
    strbuf_wipe(&out);
    return rc;
}

static ms_code load_with_bytes(const char *path, strbuf *raw, oeacct_doc *d, ms_error *err)
{
    memset(d, 0, sizeof *d);
    strbuf_init(&d->text);
    ms_code rc = ms_file_read(path, OEACCT_MAX_SIZE, raw, err);
    if (rc != MS_OK)
        return rc;
    return oeacct_parse(raw->buf, raw->len, path, d, err);
}

/* Each change still finds its scanned value in cur, then is made in d; a
 * change of the default account sets *make_default or *unset_default. */
static ms_code edit_all(oeacct_doc *d, const ms_account *cur, const char *id,
                        const ms_change *changes, size_t n, bool *make_default,
                        bool *unset_default, ms_error *err)
{
    for (size_t i = 0; i < n; i++) {
        if (!still_from(cur, &changes[i]))
            return ms_fail(err, MS_ERR_CHANGED_SINCE_SCAN, "%s (%s)", id,
                           account_field_id(changes[i].field));
        if (changes[i].field == MS_F_DEFAULT) {
            *make_default = changes[i].to.num != 0;
            *unset_default = !*make_default;
            continue;
        }
        ms_code rc = edit(d, cur->incoming_proto, &changes[i], err);
        if (rc != MS_OK)
            return rc;
    }
    return MS_OK;
}

static ms_code apply_common(const ms_env *env, const ms_account *acct, const ms_change *changes,
                            size_t n, ms_journal *j, ms_error *err)
{
    const struct wm_prog *wp = prog_of(acct->program);
    if (!wp || !acct->location || !j)
        return ms_fail(err, MS_ERR_INTERNAL, "wlmail apply");
    if (acct->read_error.code != MS_OK)
        return ms_fail(err, MS_ERR_ACCOUNT_UNREADABLE, "%s: %s", acct->id,
                       acct->read_error.detail);
    /* Checked before anything is journalled or written: Windows would
     * refuse the replace anyway, the host build must not replace it. */
    if (ms_file_readonly(acct->location))
        return ms_fail(err, MS_ERR_FILE_READONLY, "%s (%s)", acct->location, acct->id);
    strbuf raw;
    strbuf_init(&raw);
    oeacct_doc d;
    char *def = NULL;
    ms_account cur;
    bool mail = false, make_default = false, unset_default = false;
    ms_code rc = load_with_bytes(acct->location, &raw, &d, err);
    if (rc != MS_OK)
        goto out;
    rc = default_leaf(env, wp, &def, err);
    if (rc != MS_OK)
        goto out;
    rc = doc_account(wp, &d, acct->location, def, &cur, &mail, err);
    if (rc == MS_OK && !mail)
        rc = ms_fail(err, MS_ERR_CHANGED_SINCE_SCAN, "%s: no longer a mail account", acct->id);
    if (rc != MS_OK)
        goto out;
    rc = edit_all(&d, &cur, acct->id, changes, n, &make_default, &unset_default, err);
    if (rc != MS_OK)
        goto out;
    /* The file first, then the default: one account's two places, each
     * journalled; a failure between them is rolled back by the engine. */
    rc = write_doc(&d, acct->location, &raw, j, err);
    if (rc != MS_OK)
        goto out;
    if (make_default || unset_default)
        rc = set_default(env, wp, path_basename(acct->location), make_default, j, err);
out:
    if (mail)
        account_free(&cur);
    free(def);
    oeacct_free(&d);
    strbuf_wipe(&raw);
    return rc;
}

/* A name for the new account that no other account of the program has:
 * the incoming server, as the programs name an account by default, then
 * "server (2)", ... */
static ms_code new_account_name(const ms_env *env, const struct wm_prog *wp, const char *base,
                                char **out, ms_error *err)
{
    *out = NULL;
    ms_account_list all;
    account_list_init(&all);
    strbuf name;
    strbuf_init(&name);
    ms_code rc = scan_program(env, wp, &all, err);
    if (rc != MS_OK)
        goto out;
    for (unsigned k = 1;; k++) {
        strbuf_reset(&name);
        if (k == 1)
            strbuf_addstr(&name, base);
        else
            strbuf_addf(&name, "%s (%u)", base, k);
        bool taken = false;
        for (size_t i = 0; i < all.count && !taken; i++)
            taken = all.items[i].account_name &&
                    ms_strcasecmp(all.items[i].account_name, name.buf) == 0;
        if (!taken)
            break;
    }
    if (name.oom) {
        rc = ms_fail(err, MS_ERR_NOMEM, NULL);
        goto out;
    }
    *out = strbuf_detach(&name, NULL);
out:
    account_list_free(&all);
    strbuf_free(&name);
    return rc;
}

/* The template's passwords stay with it: the new account asks. */
static ms_code drop_secrets(oeacct_doc *d, ms_error *err)
{
    for (size_t k = d->n_elems; k-- > 0;) {
        if (!oeacct_is_secret(d->elems[k].name))
            continue;
        char *nm = ms_strdup(d->elems[k].name);
        ms_code rc = nm ? oeacct_remove(d, nm, err) : ms_fail(err, MS_ERR_NOMEM, NULL);
        free(nm);
        if (rc != MS_OK)
            return rc;
    }
    return MS_OK;
}

/* The changes made to the copy; a change of the default account sets
 * *make_default instead. */
static ms_code edit_copy(oeacct_doc *d, ms_incoming_proto proto, const ms_change *changes,
                         size_t n, bool *make_default, ms_error *err)
{
    for (size_t i = 0; i < n; i++) {
        if (changes[i].field == MS_F_DEFAULT) {
            *make_default = *make_default || changes[i].to.num != 0;
            continue;
        }
        ms_code rc = edit(d, proto, &changes[i], err);
        if (rc != MS_OK)
            return rc;
    }
    return MS_OK;
}

/* "Account_Name": the incoming server's name, made unique among the
 * program's accounts. */
static ms_code name_copy(const ms_env *env, const struct wm_prog *wp, oeacct_doc *d, bool imap,
                         ms_error *err)
{
    char *host = NULL, *aname = NULL;
    ms_code rc = oeacct_get_str(d, imap ? "IMAP_Server" : "POP3_Server", &host, err);
    if (rc != MS_OK)
        goto out;
    rc = new_account_name(env, wp, host ? host : "", &aname, err);
    if (rc != MS_OK)
        goto out;
    rc = oeacct_set_str(d, "Account_Name", aname, err);
out:
    free(host);
    free(aname);
    return rc;
}

/* Where the new file goes: POP3 account files live in "Local Folders",
 * beside the template's; an IMAP account needs a folder of its own, which
 * the program makes when it finds a new account file in the store root. */
static ms_code new_file_dir(const ms_env *env, const struct wm_prog *wp, const char *tmpl_path,
                            bool imap, strbuf *root, ms_error *err)
{
    if (!imap) {
        strbuf_add(root, tmpl_path, path_dirname_len(tmpl_path));
        return MS_OK;
    }
    bool configured = false;
    ms_code rc = wlmail_store_root(env, wp->program, root, &configured, err);
    if (rc == MS_OK && !configured)
        rc = ms_fail(err, MS_ERR_CHANGED_SINCE_SCAN, "%s", wp->key);
    return rc;
}

/* A new file "account{GUID}.oeaccount" in root that does not exist yet
 * (four tries): its path, leaf and GUID. */
static ms_code new_file_path(const char *root, strbuf *path, char *leaf, size_t leaf_cap,
                             char guid[GUID_STR_LEN + 1], ms_error *err)
{
    for (int tries = 0;; tries++) {
        ms_code rc = guid_random(guid, err);
        if (rc != MS_OK)
            return rc;
        snprintf(leaf, leaf_cap, "account%s" SUFFIX, guid);
        strbuf_reset(path);
        path_join(path, root, leaf);
        if (path->oom)
            return ms_fail(err, MS_ERR_NOMEM, NULL);
        if (ms_path_kind(path->buf) == MS_PATH_NONE)
            return MS_OK;
        if (tries == 3)
            return ms_fail(err, MS_ERR_INTERNAL, "%s exists", path->buf);
    }
}

/* The template's file, read again, as a new account's: no passwords, the
 * changes made, a name of its own. */
static ms_code copy_template(const ms_env *env, const struct wm_prog *wp, const ms_account *tmpl,
                             const ms_change *changes, size_t n, oeacct_doc *d, bool *imap,
                             bool *make_default, ms_error *err)
{
    ms_account cur;
    bool mail = false;
    ms_code rc = doc_account(wp, d, tmpl->location, NULL, &cur, &mail, err);
    if (rc != MS_OK)
        return rc;
    *imap = mail && cur.incoming_proto == MS_IN_IMAP;
    ms_incoming_proto proto = mail ? cur.incoming_proto : MS_IN_POP3;
    if (mail)
        account_free(&cur);
    if (!mail)
        return ms_fail(err, MS_ERR_CHANGED_SINCE_SCAN, "%s: no longer a mail account", tmpl->id);
    rc = drop_secrets(d, err);
    if (rc != MS_OK)
        return rc;
    rc = edit_copy(d, proto, changes, n, make_default, err);
    if (rc != MS_OK)
        return rc;
    return name_copy(env, wp, d, *imap, err);
}

static ms_code add_common(const ms_env *env, const ms_account *tmpl, const ms_change *changes,
                          size_t n, bool make_default, ms_journal *j, char **new_id,
                          ms_error *err)
{
    *new_id = NULL;
    const struct wm_prog *wp = prog_of(tmpl->program);
    if (!wp || !tmpl->location || !j)
        return ms_fail(err, MS_ERR_INTERNAL, "wlmail add_account");
    if (tmpl->read_error.code != MS_OK)
        return ms_fail(err, MS_ERR_ACCOUNT_UNREADABLE, "%s: %s", tmpl->id,
                       tmpl->read_error.detail);
    strbuf raw, root, path;
    strbuf_init(&raw);
    strbuf_init(&root);
    strbuf_init(&path);
    oeacct_doc d;
    ms_code rc = load_with_bytes(tmpl->location, &raw, &d, err);
    strbuf_wipe(&raw);
    if (rc != MS_OK)
        goto out;
    bool imap = false;
    rc = copy_template(env, wp, tmpl, changes, n, &d, &imap, &make_default, err);
    if (rc != MS_OK)
        goto out;
    rc = new_file_dir(env, wp, tmpl->location, imap, &root, err);
    if (rc != MS_OK)
        goto out;
    char guid[GUID_STR_LEN + 1], leaf[GUID_STR_LEN + 32];
    rc = new_file_path(root.buf, &path, leaf, sizeof leaf, guid, err);
    if (rc != MS_OK)
        goto out;
    rc = write_doc(&d, path.buf, NULL, j, err);
    if (rc != MS_OK)
        goto out;
    if (make_default) {
        rc = set_default(env, wp, leaf, true, j, err);
        if (rc != MS_OK)
            goto out;
    }
    strbuf id;
    strbuf_init(&id);
    strbuf_addf(&id, "%s/account%s", wp->id, guid);
    *new_id = strbuf_detach(&id, NULL);
    if (!*new_id)
        rc = ms_fail(err, MS_ERR_NOMEM, NULL);
out:
    oeacct_free(&d);
    strbuf_free(&root);
    strbuf_free(&path);
    return rc;
}

static const char *const winmail_exes[] = {"winmail.exe", NULL};
static const char *const wlmail_exes[] = {"wlmail.exe", NULL};

const ms_backend wlmail_backend_winmail = {
    .program = MS_PROG_WINMAIL,
    .id = "winmail",
    .process_names = winmail_exes,
    .scan = scan_winmail,
    .apply = apply_common,
    .add_account = add_common,
    .can_change = BACKEND_ALL_FIELDS,
};

const ms_backend wlmail_backend_wlmail = {
    .program = MS_PROG_WLMAIL,
    .id = "wlmail",
    .process_names = wlmail_exes,
    .scan = scan_wlmail,
    .apply = apply_common,
    .add_account = add_common,
    .can_change = BACKEND_ALL_FIELDS,
};
