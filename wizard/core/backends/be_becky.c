/* be_becky: Becky! Internet Mail 2; see be_becky.h.
 *
 * [Account] keys (as Thunderbird's Becky! importer reads them,
 * comm-central mailnews/import/src/nsBeckySettings.cpp):
 *   MailServer, UserID, Protocol (1 = IMAP, else POP3), POP3Port,
 *   IMAP4Port, SMTPServer, SMTPPort (25 when missing), SSLSMTP (1 = SSL),
 *   SMTPAUTH (1 = SMTP authentication), SMTPAUTHMODE, MailAddress, Name,
 *   YourName.
 * SMTP authentication in Becky! logs on with the mailbox's UserID and
 * password: that is the manuals' "same as incoming". Names and values are
 * Shift_JIS; the model's strings are UTF-8, so a Japanese account or sender
 * name is left out of the scan (the id and file still name the mailbox),
 * and only ASCII values (host names, ports, user IDs) are written. */
#include "be_becky.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ini.h"
#include "path.h"
#include "platform.h"
#include "prefs.h"
#include "regval.h"

#define SECTION "Account"
#define MAILBOX_INI "Mailbox.ini"
#define MAX_MAILBOXES 1000

/* ---- the data folder */

static ms_code data_dir(const ms_env *env, strbuf *out, bool *found, ms_error *err)
{
    *found = false;
    if (env->reg) {
        char *dir = NULL;
        ms_error verr;
        ms_code rc = regval_get_string(env->reg, BECKY_REG_KEY, BECKY_REG_DATADIR, REGVAL_SZ, &dir,
                                       &verr);
        if (rc == MS_OK && dir && *dir) {
            strbuf_addstr(out, dir);
            free(dir);
            path_normalize(out->buf);
            while (out->len > 3 &&
                   (out->buf[out->len - 1] == '/' || out->buf[out->len - 1] == '\\'))
                out->buf[--out->len] = '\0';
            *found = ms_path_kind(out->buf) == MS_PATH_DIR;
            if (!*found)
                strbuf_reset(out);
            return out->oom ? ms_fail(err, MS_ERR_NOMEM, NULL) : MS_OK;
        }
        free(dir);
        if (rc != MS_OK && rc != MS_ERR_REG_NOT_FOUND) {
            if (err)
                *err = verr;
            return rc;
        }
    }
    /* As Thunderbird's importer: Documents\Becky, then C:\Becky!. */
    const char *cands[3] = {NULL, NULL, NULL};
    strbuf a, b;
    strbuf_init(&a);
    strbuf_init(&b);
    if (env->home) {
        path_join(&a, env->home, "Documents\\Becky");
        path_normalize(a.buf);
        path_join(&b, env->home, "My Documents\\Becky");
        path_normalize(b.buf);
        cands[0] = a.buf;
        cands[1] = b.buf;
    }
    if (ms_path_sep() == '\\')
        cands[2] = "C:\\Becky!";
    for (size_t i = 0; i < 3 && !*found; i++)
        if (cands[i] && ms_path_kind(cands[i]) == MS_PATH_DIR) {
            strbuf_addstr(out, cands[i]);
            *found = true;
        }
    bool oom = a.oom || b.oom || out->oom;
    strbuf_free(&a);
    strbuf_free(&b);
    return oom ? ms_fail(err, MS_ERR_NOMEM, NULL) : MS_OK;
}

/* ---- one mailbox */

static bool ascii(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
            return false;
    return true;
}

typedef struct reader {
    const ini_file *f;
    const char *path;
    ms_error *err;
    ms_code rc;
} reader;

/* A value; NULL when missing. Text must be UTF-8 unless optional_text (a
 * Shift_JIS name then reads as NULL). */
static char *get(reader *r, const char *key, bool optional_text)
{
    if (r->rc != MS_OK)
        return NULL;
    const char *v;
    size_t n;
    bool found = false;
    r->rc = ini_get(r->f, SECTION, key, &v, &n, &found, r->err);
    if (r->rc != MS_OK || !found)
        return NULL;
    if (!prefs_utf8_valid(v, n)) {
        if (!optional_text)
            r->rc = ms_fail(r->err, MS_ERR_BECKY_VALUE, "%s [" SECTION "] %s", r->path, key);
        return NULL;
    }
    char *s = ms_strndup(v, n);
    if (!s)
        r->rc = ms_fail(r->err, MS_ERR_NOMEM, NULL);
    return s;
}

static unsigned get_port(reader *r, const char *key, unsigned dflt)
{
    char *s = get(r, key, false);
    if (!s)
        return dflt;
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (!*s || *end || v < 1 || v > 65535)
        r->rc = ms_fail(r->err, MS_ERR_BECKY_VALUE, "%s [" SECTION "] %s=%s", r->path, key, s);
    free(s);
    return r->rc == MS_OK ? (unsigned)v : dflt;
}

static bool get_flag(reader *r, const char *key)
{
    char *s = get(r, key, false);
    bool on = s && strcmp(s, "1") == 0;
    free(s);
    return on;
}

/* The program, id "becky/<leaf>", location and container of a mailbox's
 * account; false when out of memory. */
static bool identify(ms_account *a, const char *path, const char *leaf, const char *container)
{
    a->program = MS_PROG_BECKY;
    strbuf id;
    strbuf_init(&id);
    strbuf_addf(&id, "becky/%s", leaf);
    a->id = strbuf_detach(&id, NULL);
    a->location = ms_strdup(path);
    a->container = ms_strdup(container);
    return a->id && a->location && a->container;
}

static ms_code read_account(const ini_file *f, const char *path, const char *leaf, bool is_default,
                            const char *container, ms_account *a, ms_error *err)
{
    memset(a, 0, sizeof *a);
    reader r = {f, path, err, MS_OK};
    if (!identify(a, path, leaf, container))
        r.rc = ms_fail(err, MS_ERR_NOMEM, NULL);
    a->account_name = get(&r, "Name", true);
    a->display_name = get(&r, "YourName", true);
    a->email = get(&r, "MailAddress", false);
    char *proto = get(&r, "Protocol", false);
    bool imap = proto && strcmp(proto, "1") == 0;
    free(proto);
    a->incoming_proto = imap ? MS_IN_IMAP : MS_IN_POP3;
    a->incoming_host = get(&r, "MailServer", false);
    a->incoming_port = get_port(&r, imap ? "IMAP4Port" : "POP3Port", 0);
    a->incoming_security = get_flag(&r, imap ? "SSLIMAP" : "SSLPOP") ? MS_SEC_SSL : MS_SEC_NONE;
    a->incoming_user = get(&r, "UserID", false);
    a->smtp_host = get(&r, "SMTPServer", false);
    a->smtp_port = get_port(&r, "SMTPPort", 25);
    a->smtp_auth = get_flag(&r, "SMTPAUTH") ? MS_AUTH_SAME_AS_INCOMING : MS_AUTH_NONE;
    a->smtp_security = get_flag(&r, "SSLSMTP") ? MS_SEC_SSL : MS_SEC_NONE;
    a->is_default = is_default;
    if (r.rc != MS_OK)
        account_free(a);
    return r.rc;
}

/* The first line of Folder.lst: the default mailbox's folder name. */
static char *default_mailbox(const char *dir)
{
    strbuf p, raw;
    strbuf_init(&p);
    strbuf_init(&raw);
    path_join(&p, dir, "Folder.lst");
    char *r = NULL;
    ms_error ignored;
    if (!p.oom && ms_file_read(p.buf, 1 << 20, &raw, &ignored) == MS_OK) {
        size_t n = strcspn(raw.buf, "\r\n");
        r = ms_strndup(raw.buf, n);
    }
    strbuf_free(&p);
    strbuf_free(&raw);
    return r;
}

/* A mailbox that cannot be read: listed with why. */
static ms_code add_unreadable(const char *path, const char *leaf, const char *container,
                              const ms_error *why, ms_account_list *out, ms_error *err)
{
    ms_account *a = account_list_add(out);
    if (!a)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    a->read_error = *why;
    return identify(a, path, leaf, container) ? MS_OK : ms_fail(err, MS_ERR_NOMEM, NULL);
}

static ms_code load(const char *path, strbuf *raw, ini_file **f, ms_error *err)
{
    ms_code rc = ms_file_read(path, INI_MAX_BYTES, raw, err);
    if (rc == MS_OK) {
        ms_error perr;
        rc = ini_parse(raw->buf, raw->len, f, &perr);
        if (rc != MS_OK)
            ms_fail(err, rc, "%s %s", path, perr.detail);
    }
    return rc;
}

/* The names of dir's subfolders (at most MAX_MAILBOXES), sorted; none
 * when dir cannot be listed. The caller frees each and the array. */
static ms_code mailbox_names(const char *dir, char ***names, size_t *n, ms_error *err)
{
    *names = NULL;
    *n = 0;
    strbuf list;
    strbuf_init(&list);
    ms_error lerr;
    ms_code rc = MS_OK;
    if (ms_dir_list(dir, &list, &lerr) != MS_OK)
        goto out;
    for (size_t i = 0; i < list.len; i += strlen(list.buf + i + 1) + 2) {
        if (list.buf[i] != 'd')
            continue;
        if (*n == MAX_MAILBOXES) {
            rc = ms_fail(err, MS_ERR_BECKY_VALUE, "%s: more than %d folders", dir, MAX_MAILBOXES);
            goto out;
        }
        char **nv = realloc(*names, (*n + 1) * sizeof *nv);
        if (!nv || !(nv[*n] = ms_strdup(list.buf + i + 1))) {
            *names = nv ? nv : *names;
            rc = ms_fail(err, MS_ERR_NOMEM, NULL);
            goto out;
        }
        *names = nv;
        (*n)++;
    }
    if (*n)
        qsort(*names, *n, sizeof **names, ms_cmp_str);
out:
    strbuf_free(&list);
    return rc;
}

/* The account of mailbox folder name (when it has a Mailbox.ini): listed
 * in out, or listed as unreadable with why. path and raw are scratch. */
static ms_code scan_mailbox(const char *dir, const char *name, const char *def, strbuf *path,
                            strbuf *raw, ms_account_list *out, ms_error *err)
{
    strbuf_reset(raw);
    path_join(raw, dir, name);
    strbuf_reset(path);
    path_join(path, raw->buf, MAILBOX_INI);
    if (path->oom || raw->oom)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    if (!ms_file_exists(path->buf))
        return MS_OK;
    strbuf_reset(raw);
    ini_file *f = NULL;
    ms_error why;
    ms_code lr = load(path->buf, raw, &f, &why);
    ms_account a;
    if (lr == MS_OK)
        lr = read_account(f, path->buf, name, def && strcmp(def, name) == 0, dir, &a, &why);
    ini_free(f);
    if (lr == MS_ERR_NOMEM)
        return ms_fail(err, lr, NULL);
    if (lr != MS_OK)
        return add_unreadable(path->buf, name, dir, &why, out, err);
    ms_account *slot = account_list_add(out);
    if (!slot) {
        account_free(&a);
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    }
    *slot = a;
    return MS_OK;
}

static ms_code scan_becky(const ms_env *env, ms_account_list *out, ms_error *err)
{
    strbuf dir, path, raw;
    strbuf_init(&dir);
    strbuf_init(&path);
    strbuf_init(&raw);
    size_t n = 0;
    char **names = NULL;
    char *def = NULL;
    bool found;
    ms_code rc = data_dir(env, &dir, &found, err);
    if (rc != MS_OK || !found)
        goto out;
    rc = mailbox_names(dir.buf, &names, &n, err);
    if (rc != MS_OK || !n)
        goto out;
    def = default_mailbox(dir.buf);
    for (size_t i = 0; i < n; i++) {
        rc = scan_mailbox(dir.buf, names[i], def, &path, &raw, out, err);
        if (rc != MS_OK)
            goto out;
    }
out:
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(def);
    strbuf_free(&path);
    strbuf_wipe(&raw); /* Mailbox.ini holds the (obfuscated) password */
    strbuf_free(&dir);
    return rc;
}

/* ---- the backup without the password
 * Mailbox.ini keeps the mailbox's password (PassWd, obfuscated). The
 * journal's copy gets every value whose key holds "pass" emptied in place;
 * at undo the current file's values go back into those lines, so a file
 * whose password did not change comes back byte for byte. */

static bool secret_key(const char *k, size_t n)
{
    for (size_t i = 0; i + 4 <= n; i++)
        if ((k[i] | 0x20) == 'p' && (k[i + 1] | 0x20) == 'a' && (k[i + 2] | 0x20) == 's' &&
            (k[i + 3] | 0x20) == 's')
            return true;
    return false;
}

static ms_code strip_secrets(const void *data, size_t len, strbuf *out, ms_error *err)
{
    ini_file *f;
    ms_code rc = ini_parse(data, len, &f, err);
    for (size_t s = 0; rc == MS_OK && s < ini_section_count(f); s++) {
        size_t sl;
        const char *sn = ini_section_name(f, s, &sl);
        for (size_t k = 0; rc == MS_OK && k < ini_key_count(f, s); k++) {
            const char *key, *val;
            size_t kl, vl;
            if (!ini_key_at(f, s, k, &key, &kl, &val, &vl) || !secret_key(key, kl) || !vl)
                continue;
            char *sec = ms_strndup(sn, sl), *kk = ms_strndup(key, kl);
            rc = sec && kk ? ini_set(f, sec, kk, "", 0, err) : ms_fail(err, MS_ERR_NOMEM, NULL);
            free(sec);
            free(kk);
        }
    }
    if (rc == MS_OK)
        ini_serialize(f, out);
    ini_free(f);
    return rc == MS_OK && out->oom ? ms_fail(err, MS_ERR_NOMEM, NULL) : rc;
}

static ms_code merge_secrets(const void *backup, size_t backup_len, const void *current,
                             size_t current_len, strbuf *out, ms_error *err)
{
    ini_file *b = NULL, *c = NULL;
    ms_code rc = ini_parse(backup, backup_len, &b, err);
    /* No current file, or one that no longer parses: the backup as kept. */
    ms_error ignored;
    if (rc == MS_OK && current && ini_parse(current, current_len, &c, &ignored) != MS_OK)
        c = NULL;
    for (size_t s = 0; rc == MS_OK && c && s < ini_section_count(c); s++) {
        size_t sl;
        const char *sn = ini_section_name(c, s, &sl);
        for (size_t k = 0; rc == MS_OK && k < ini_key_count(c, s); k++) {
            const char *key, *val;
            size_t kl, vl;
            if (!ini_key_at(c, s, k, &key, &kl, &val, &vl) || !secret_key(key, kl))
                continue;
            char *sec = ms_strndup(sn, sl), *kk = ms_strndup(key, kl);
            if (!sec || !kk) {
                rc = ms_fail(err, MS_ERR_NOMEM, NULL);
            } else {
                const char *old;
                size_t ol;
                bool found = false;
                ms_error gerr;
                /* Only into a line the strip emptied (duplicates: left). */
                if (ini_get(b, sec, kk, &old, &ol, &found, &gerr) == MS_OK && found && !ol)
                    rc = ini_set(b, sec, kk, val, vl, err);
            }
            free(sec);
            free(kk);
        }
    }
    if (rc == MS_OK)
        ini_serialize(b, out);
    ini_free(b);
    ini_free(c);
    return rc == MS_OK && out->oom ? ms_fail(err, MS_ERR_NOMEM, NULL) : rc;
}

const journal_file_filter becky_secret_filter = {"becky-mailbox", strip_secrets, merge_secrets};

/* ---- changing */

/* Is the account (as the file says now) still what the plan saw? */
static bool still_from(const ms_account *cur, const ms_change *c)
{
    return account_field_is(cur, c->field, c->from);
}

static ms_code set_str(ini_file *f, const char *path, const char *key, const char *v, ms_error *err)
{
    if (!v || !*v || !ascii(v, strlen(v)))
        return ms_fail(err, MS_ERR_BECKY_VALUE, "%s [" SECTION "] %s=%s", path, key, v ? v : "");
    return ini_set(f, SECTION, key, v, strlen(v), err);
}

static ms_code set_num(ini_file *f, const char *key, unsigned v, ms_error *err)
{
    char b[16];
    int n = snprintf(b, sizeof b, "%u", v);
    return ini_set(f, SECTION, key, b, (size_t)n, err);
}

static ms_code edit(ini_file *f, const ms_account *cur, const ms_change *c, ms_error *err)
{
    const char *path = cur->location;
    switch (c->field) {
    case MS_F_SMTP_HOST:
        return set_str(f, path, "SMTPServer", c->to.str, err);
    case MS_F_SMTP_PORT:
        if (c->to.num < 1 || c->to.num > 65535)
            return ms_fail(err, MS_ERR_BECKY_VALUE, "%s SMTPPort=%u", path, c->to.num);
        return set_num(f, "SMTPPort", c->to.num, err);
    case MS_F_SMTP_AUTH:
        if (c->to.num == MS_AUTH_NONE || c->to.num == MS_AUTH_SAME_AS_INCOMING)
            return set_num(f, "SMTPAUTH", c->to.num == MS_AUTH_NONE ? 0u : 1u, err);
        break; /* its own SMTP user: not a Mailbox.ini key we could confirm */
    case MS_F_SMTP_SECURITY:
        if (c->to.num == MS_SEC_SSL)
            return set_num(f, "SSLSMTP", 1, err);
        if (c->to.num == MS_SEC_NONE)
            return set_num(f, "SSLSMTP", 0, err);
        break; /* STARTTLS: no confirmed key */
    case MS_F_INCOMING_HOST:
        return set_str(f, path, "MailServer", c->to.str, err);
    case MS_F_INCOMING_USER:
        return set_str(f, path, "UserID", c->to.str, err);
    case MS_F_SMTP_USER:
    case MS_F_DEFAULT:
    case MS_F_COUNT:
        break;
    }
    return ms_fail(err, MS_ERR_UNSUPPORTED_SETTING, "%s: %s", cur->id, account_field_id(c->field));
}

/* Mailbox.ini has keys for these values only (docs/mail-programs.md). */
static bool becky_can_hold(const ms_account *a, const ms_change *c)
{
    (void)a;
    if (c->field == MS_F_SMTP_AUTH)
        return c->to.num == MS_AUTH_NONE || c->to.num == MS_AUTH_SAME_AS_INCOMING;
    if (c->field == MS_F_SMTP_SECURITY)
        return c->to.num == MS_SEC_NONE || c->to.num == MS_SEC_SSL;
    return true;
}

/* Every change still finds its scanned value, then all are made in f. */
static ms_code edit_all(ini_file *f, const ms_account *cur, const char *id,
                        const ms_change *changes, size_t n, ms_error *err)
{
    for (size_t i = 0; i < n; i++)
        if (!still_from(cur, &changes[i]))
            return ms_fail(err, MS_ERR_CHANGED_SINCE_SCAN, "%s (%s)", id,
                           account_field_id(changes[i].field));
    for (size_t i = 0; i < n; i++) {
        ms_code rc = edit(f, cur, &changes[i], err);
        if (rc != MS_OK)
            return rc;
    }
    return MS_OK;
}

static ms_code apply_becky(const ms_env *env, const ms_account *acct, const ms_change *changes,
                           size_t n, ms_journal *j, ms_error *err)
{
    (void)env;
    if (!acct->location || !acct->id || !j || strncmp(acct->id, "becky/", 6) != 0)
        return ms_fail(err, MS_ERR_INTERNAL, "becky apply");
    if (acct->read_error.code != MS_OK)
        return ms_fail(err, MS_ERR_ACCOUNT_UNREADABLE, "%s: %s", acct->id,
                       acct->read_error.detail);
    strbuf raw;
    strbuf_init(&raw);
    ini_file *f = NULL;
    strbuf outb;
    strbuf_init(&outb);
    ms_account cur;
    bool have = false;
    ms_code rc = load(acct->location, &raw, &f, err);
    if (rc != MS_OK)
        goto out;
    rc = read_account(f, acct->location, acct->id + 6, acct->is_default,
                      acct->container ? acct->container : "", &cur, err);
    if (rc != MS_OK)
        goto out;
    have = true;
    rc = edit_all(f, &cur, acct->id, changes, n, err);
    if (rc != MS_OK)
        goto out;
    ini_serialize(f, &outb);
    if (outb.oom) {
        rc = ms_fail(err, MS_ERR_NOMEM, NULL);
        goto out;
    }
    if (outb.len == raw.len && !memcmp(outb.buf, raw.buf, raw.len))
        goto out; /* nothing changed */
    rc = journal_file_before_filtered(j, acct->location, &becky_secret_filter, err);
    if (rc != MS_OK)
        goto out;
    rc = ms_file_write_atomic(acct->location, outb.buf, outb.len, err);
out:
    if (have)
        account_free(&cur);
    ini_free(f);
    strbuf_wipe(&outb);
    strbuf_wipe(&raw);
    return rc;
}

static const char *const becky_exes[] = {"B2.exe", NULL};

const ms_backend becky_backend = {
    .program = MS_PROG_BECKY,
    .id = "becky",
    .process_names = becky_exes,
    .scan = scan_becky,
    .apply = apply_becky,
    .add_account = NULL,
    .can_change = BACKEND_FIELD(MS_F_SMTP_HOST) | BACKEND_FIELD(MS_F_SMTP_PORT) |
                  BACKEND_FIELD(MS_F_SMTP_AUTH) | BACKEND_FIELD(MS_F_SMTP_SECURITY) |
                  BACKEND_FIELD(MS_F_INCOMING_HOST) | BACKEND_FIELD(MS_F_INCOMING_USER),
    .can_hold = becky_can_hold,
};
