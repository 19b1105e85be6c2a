/* journal: the backup of one apply run, kept on disk as it grows, and the
 * undo; see journal.h.
 *
 * On disk, in the run's backup folder:
 *   journal.json      {"format": "mailsetup-journal", "version": 1,
 *                      "entries": [ ...oldest first... ]}
 *   files/NNN.orig    the original bytes of each file recorded (secrets
 *                     removed by the file's filter, when it has one)
 * Entries:
 *   {"kind": "registry_value", "account": ID, "key": K, "name": N,
 *    "state": "present", "type": 4, "data": "4b020000"}   (hex of the bytes)
 *   {"kind": "registry_value", ..., "state": "absent"}
 *   {"kind": "registry_key_created", "account": ID, "key": K}
 *   {"kind": "file", "account": ID, "path": P, "state": "present",
 *    "copy": "files/001.orig", "size": 1234, "fnv1a64": "...", "filter": "oeaccount"}
 *   {"kind": "file", ..., "state": "absent"}
 * ("account" is left out for entries recorded before any journal_account().)
 * Every entry is on disk (journal.json replaced atomically, after its copy
 * file) before the call that records it returns, so the change it guards
 * is never made without it. journal_load() treats the folder as outside
 * data: anything unexpected is refused before anything is restored. */
#include "journal.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "account.h"
#include "be_becky.h"
#include "oeaccount.h"
#include "path.h"
#include "platform.h"
#include "sha256.h"
#include "trust.h"
#include "utf16.h"

#define JOURNAL_FILE "journal.json"
#define JOURNAL_FORMAT "mailsetup-journal"
#define JOURNAL_VERSION 2
/* The seal closes the file: everything before it is what it covers. */
#define SEAL_HEAD ",\n\t\"seal\":\t\""
#define SEAL_TAIL "\"\n}\n"
#define JOURNAL_MAX_JSON (64u * 1024 * 1024)
#define JOURNAL_MAX_ENTRIES 100000
#define JOURNAL_MAX_VALUE (1024u * 1024)     /* one registry value */
#define JOURNAL_MAX_FILE (64u * 1024 * 1024) /* one file copy */
#define JOURNAL_MAX_STRING 32767             /* registry paths, file paths, ids */

/* The filters journal_load() can find again by id. */
static const journal_file_filter *const filters[] = {&oeacct_secret_filter,
                                                     &becky_secret_filter};

enum jkind { J_REG_VALUE, J_REG_KEY_CREATED, J_FILE };

struct jentry {
    enum jkind kind;
    char *account;
    char *key, *name; /* registry */
    char *path;       /* file */
    bool present;
    uint32_t type; /* registry value */
    unsigned char *data;
    size_t len;
    unsigned copy; /* file: files/NNN.orig */
    size_t size;
    unsigned char sha[SHA256_LEN];
    const journal_file_filter *filter;
    char *json; /* the entry as written, made once (NULL: not yet) */
};

struct ms_journal {
    char *dir;
    char *writer;       /* "user on PC" that wrote it */
    const char *state;  /* JOURNAL_STATE_* */
    unsigned char key[SHA256_LEN]; /* this user's journal key (written journals) */
    bool sealed;        /* key is set: write_journal seals */
    char *account; /* the tag for new entries */
    struct jentry *v;
    size_t n, cap;
    unsigned next_copy;
};

static void entry_free(struct jentry *e)
{
    free(e->account);
    free(e->key);
    free(e->name);
    free(e->path);
    free(e->data);
    free(e->json);
    memset(e, 0, sizeof *e);
}

void journal_free(ms_journal *j)
{
    if (!j)
        return;
    for (size_t i = 0; i < j->n; i++)
        entry_free(&j->v[i]);
    free(j->v);
    free(j->dir);
    free(j->writer);
    free(j->account);
    ms_wipe(j->key, sizeof j->key);
    free(j);
}

const char *journal_dir(const ms_journal *j)
{
    return j->dir;
}

size_t journal_count(const ms_journal *j)
{
    return j->n;
}

static void hex_encode(strbuf *out, const unsigned char *p, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        strbuf_addch(out, digits[p[i] >> 4]);
        strbuf_addch(out, digits[p[i] & 15]);
    }
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1; /* upper case is not what we write: refused */
}

/* The key's public fingerprint (the first bytes of its SHA-256): tells a
 * journal sealed by another user or PC from one altered here. */
#define KEY_ID_LEN 8
static void key_id(const unsigned char *key, char out[2 * KEY_ID_LEN + 1])
{
    unsigned char d[SHA256_LEN];
    sha256(key, SHA256_LEN, d);
    for (size_t i = 0; i < KEY_ID_LEN; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* Exactly 2n lower-case hex digits into out. */
static bool hex_decode(const char *hex, unsigned char *out, size_t n)
{
    if (strlen(hex) != 2 * n)
        return false;
    for (size_t k = 0; k < n; k++) {
        int hi = hex_digit(hex[2 * k]), lo = hex_digit(hex[2 * k + 1]);
        if (hi < 0 || lo < 0)
            return false;
        out[k] = (unsigned char)(hi << 4 | lo);
    }
    return true;
}

static void file_path(strbuf *out, const char *dir, const char *name)
{
    path_join(out, dir, name);
}

static void copy_path(strbuf *out, const char *dir, unsigned copy)
{
    char rel[32];
    snprintf(rel, sizeof rel, "files%c%03u.orig", ms_path_sep(), copy);
    path_join(out, dir, rel);
}

/* ---- writing */

static cJSON *entry_json(const struct jentry *e)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    bool ok = true;
    static const char *const kinds[] = {"registry_value", "registry_key_created", "file"};
    ok = ok && cJSON_AddStringToObject(o, "kind", kinds[e->kind]);
    if (e->account)
        ok = ok && cJSON_AddStringToObject(o, "account", e->account);
    switch (e->kind) {
    case J_REG_VALUE:
        ok = ok && cJSON_AddStringToObject(o, "key", e->key) &&
             cJSON_AddStringToObject(o, "name", e->name) &&
             cJSON_AddStringToObject(o, "state", e->present ? "present" : "absent");
        if (ok && e->present) {
            strbuf hex;
            strbuf_init(&hex);
            hex_encode(&hex, e->data, e->len);
            ok = !hex.oom && cJSON_AddNumberToObject(o, "type", e->type) &&
                 cJSON_AddStringToObject(o, "data", hex.buf);
            strbuf_free(&hex);
        }
        break;
    case J_REG_KEY_CREATED:
        ok = ok && cJSON_AddStringToObject(o, "key", e->key);
        break;
    case J_FILE:
        ok = ok && cJSON_AddStringToObject(o, "path", e->path) &&
             cJSON_AddStringToObject(o, "state", e->present ? "present" : "absent");
        if (ok && e->present) {
            char copy[32];
            snprintf(copy, sizeof copy, "files/%03u.orig", e->copy);
            strbuf hash;
            strbuf_init(&hash);
            hex_encode(&hash, e->sha, SHA256_LEN);
            ok = !hash.oom && cJSON_AddStringToObject(o, "copy", copy) &&
                 cJSON_AddNumberToObject(o, "size", (double)e->size) &&
                 cJSON_AddStringToObject(o, "sha256", hash.buf) &&
                 (!e->filter || cJSON_AddStringToObject(o, "filter", e->filter->id));
            strbuf_free(&hash);
        }
        break;
    }
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* Writes the whole journal (it is replaced atomically, so it is rewritten
 * for every entry). Each entry is rendered once and kept: an apply of n
 * entries then costs n copies of the text, not n renderings of all of it. */
static ms_code write_journal(ms_journal *j, ms_error *err)
{
    strbuf text;
    strbuf_init(&text);
    cJSON *writer = cJSON_CreateString(j->writer ? j->writer : "");
    char *wtext = writer ? cJSON_PrintUnformatted(writer) : NULL;
    cJSON_Delete(writer);
    if (!wtext)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    char kid[2 * KEY_ID_LEN + 1];
    key_id(j->key, kid);
    strbuf_addf(&text,
                "{\n\t\"format\":\t\"%s\",\n\t\"version\":\t%d,\n\t\"writer\":\t%s,\n"
                "\t\"key_id\":\t\"%s\",\n\t\"state\":\t\"%s\",\n\t\"entries\":\t[",
                JOURNAL_FORMAT, JOURNAL_VERSION, wtext, kid, j->state);
    cJSON_free(wtext);
    for (size_t i = 0; i < j->n && !text.oom; i++) {
        struct jentry *e = &j->v[i];
        if (!e->json) {
            cJSON *o = entry_json(e);
            e->json = o ? cJSON_Print(o) : NULL;
            cJSON_Delete(o);
            if (!e->json) {
                strbuf_free(&text);
                return ms_fail(err, MS_ERR_NOMEM, NULL);
            }
        }
        strbuf_addstr(&text, i ? ",\n" : "\n");
        strbuf_addstr(&text, e->json);
    }
    strbuf_addstr(&text, "]");
    /* The seal: HMAC-SHA-256 of all the text before it, keyed by this
     * user's journal key (docs/security.md). */
    unsigned char mac[SHA256_LEN];
    hmac_sha256(j->key, sizeof j->key, text.buf, text.len, mac);
    strbuf_addstr(&text, SEAL_HEAD);
    hex_encode(&text, mac, SHA256_LEN);
    strbuf_addstr(&text, SEAL_TAIL);
    strbuf p;
    strbuf_init(&p);
    file_path(&p, j->dir, JOURNAL_FILE);
    ms_code rc = p.oom || text.oom ? ms_fail(err, MS_ERR_NOMEM, NULL)
                                   : ms_file_write_atomic(p.buf, text.buf, text.len, err);
    strbuf_free(&p);
    strbuf_free(&text);
    return rc;
}

/* Appends e (taking its contents) and writes the journal; on failure the
 * journal on disk and in memory is as before and e is freed. */
static ms_code commit(ms_journal *j, struct jentry *e, ms_error *err)
{
    if (j->n == JOURNAL_MAX_ENTRIES) {
        entry_free(e);
        return ms_fail(err, MS_ERR_INTERNAL, "journal full (%d entries)", JOURNAL_MAX_ENTRIES);
    }
    struct jentry *nv = ms_grow(j->v, &j->cap, j->n, sizeof *nv, 16);
    if (!nv) {
        entry_free(e);
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    }
    j->v = nv;
    if (j->account && !(e->account = ms_strdup(j->account))) {
        entry_free(e);
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    }
    j->v[j->n++] = *e;
    ms_code rc = write_journal(j, err);
    if (rc != MS_OK)
        entry_free(&j->v[--j->n]);
    memset(e, 0, sizeof *e);
    return rc;
}

static ms_code check_free(const char *dir, unsigned long long need, ms_error *err)
{
    unsigned long long avail;
    ms_code rc = ms_disk_free(dir, &avail, err);
    if (rc != MS_OK)
        return rc;
    if (avail < need)
        return ms_fail(err, MS_ERR_BACKUP_SPACE, "%s (%llu KB free, %llu KB needed)", dir,
                       avail / 1024, (need + 1023) / 1024);
    return MS_OK;
}

ms_code journal_open(const char *dir, ms_journal **out, ms_error *err)
{
    *out = NULL;
    if (ms_path_kind(dir) != MS_PATH_DIR)
        return ms_fail(err, MS_ERR_NOT_FOUND, "%s", dir);
    strbuf p;
    strbuf_init(&p);
    file_path(&p, dir, JOURNAL_FILE);
    if (p.oom)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    bool exists = ms_path_kind(p.buf) != MS_PATH_NONE;
    strbuf_free(&p);
    if (exists)
        return ms_fail(err, MS_ERR_JOURNAL_EXISTS, "%s", dir);
    ms_code rc = check_free(dir, JOURNAL_MIN_FREE, err);
    if (rc != MS_OK)
        return rc;
    ms_journal *j = calloc(1, sizeof *j);
    if (!j || !(j->dir = ms_strdup(dir))) {
        free(j);
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    }
    j->next_copy = 1;
    j->state = JOURNAL_STATE_IN_PROGRESS;
    strbuf who;
    strbuf_init(&who);
    ms_user_identity(&who);
    rc = who.oom ? ms_fail(err, MS_ERR_NOMEM, NULL) : ms_journal_key(j->key, err);
    j->writer = strbuf_detach(&who, NULL);
    if (rc != MS_OK) {
        journal_free(j);
        return rc;
    }
    j->sealed = true;
    rc = write_journal(j, err);
    if (rc != MS_OK) {
        if (rc == MS_ERR_DISK_FULL)
            rc = ms_fail(err, MS_ERR_BACKUP_SPACE, "%s", dir);
        journal_free(j);
        return rc;
    }
    *out = j;
    return MS_OK;
}

ms_code journal_account(ms_journal *j, const char *account_id, ms_error *err)
{
    char *d = NULL;
    if (account_id && !(d = ms_strdup(account_id)))
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    free(j->account);
    j->account = d;
    return MS_OK;
}

static bool same_tag(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool contains_ci(const char *s, const char *needle)
{
    size_t m = strlen(needle);
    for (; *s; s++) {
        size_t k = 0;
        while (k < m && s[k] &&
               ((s[k] | 0x20) == (needle[k] | 0x20) &&
                ((s[k] >= 'A' && s[k] <= 'Z') || (s[k] >= 'a' && s[k] <= 'z'))))
            k++;
        if (k == m)
            return true;
    }
    return false;
}

/* Value names that hold a secret: never copied into a backup. */
static bool secret_value_name(const char *name)
{
    return contains_ci(name, "password");
}

/* Mozilla's password stores and the keys that decrypt them. */
static bool secret_file(const char *path)
{
    const char *b = path_basename(path);
    size_t n = strlen(b);
    char low[64];
    if (n >= sizeof low)
        return false;
    for (size_t i = 0; i <= n; i++)
        low[i] = (char)(b[i] >= 'A' && b[i] <= 'Z' ? b[i] + 32 : b[i]);
    return strncmp(low, "signons", 7) == 0 || strcmp(low, "logins.json") == 0 ||
           strcmp(low, "logins-backup.json") == 0 || strcmp(low, "key3.db") == 0 ||
           strcmp(low, "key4.db") == 0;
}

ms_code journal_reg_before(ms_journal *j, ms_reg *reg, const char *key, const char *name,
                           ms_error *err)
{
    if (!j || !reg || !key || !name)
        return ms_fail(err, MS_ERR_INTERNAL, "journal_reg_before");
    if (secret_value_name(name))
        return ms_fail(err, MS_ERR_JOURNAL_SECRET, "%s\\%s", key, name);
    /* The first record of a value for an account holds its original. */
    for (size_t i = 0; i < j->n; i++) {
        const struct jentry *e = &j->v[i];
        if (e->kind == J_REG_VALUE && same_tag(e->account, j->account) &&
            ms_strcasecmp(e->key, key) == 0 && ms_strcasecmp(e->name, name) == 0)
            return MS_OK;
    }
    ms_reg_value v;
    v.type = 0;
    strbuf_init(&v.data);
    ms_error gerr;
    ms_code rc = reg->ops->get(reg, key, name, &v, &gerr);
    struct jentry e = {.kind = J_REG_VALUE};
    if (rc == MS_OK) {
        if (v.data.len > JOURNAL_MAX_VALUE) {
            strbuf_free(&v.data);
            return ms_fail(err, MS_ERR_INTERNAL, "%s\\%s: value larger than %u bytes", key, name,
                           JOURNAL_MAX_VALUE);
        }
        e.present = true;
        e.type = v.type;
        e.len = v.data.len;
        e.data = malloc(e.len ? e.len : 1);
        if (e.data)
            memcpy(e.data, v.data.buf, e.len);
    } else if (rc != MS_ERR_REG_NOT_FOUND) {
        strbuf_free(&v.data);
        if (err)
            *err = gerr;
        return rc;
    }
    strbuf_free(&v.data);
    e.key = ms_strdup(key);
    e.name = ms_strdup(name);
    if (!e.key || !e.name || (e.present && !e.data)) {
        entry_free(&e);
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    }
    return commit(j, &e, err);
}

ms_code journal_reg_key_created(ms_journal *j, const char *key, ms_error *err)
{
    if (!j || !key || !*key)
        return ms_fail(err, MS_ERR_INTERNAL, "journal_reg_key_created");
    struct jentry e = {.kind = J_REG_KEY_CREATED, .key = ms_strdup(key)};
    if (!e.key)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    return commit(j, &e, err);
}

ms_code journal_file_before(ms_journal *j, const char *path, ms_error *err)
{
    return journal_file_before_filtered(j, path, NULL, err);
}

/* Saves keep as the entry's copy files/NNN.orig (cp: scratch) and
 * records the entry; the copy goes again when the record cannot be made. */
static ms_code write_copy(ms_journal *j, struct jentry *e, const strbuf *keep, strbuf *cp,
                          ms_error *err)
{
    e->present = true;
    e->copy = j->next_copy++;
    e->size = keep->len;
    sha256(keep->buf, keep->len, e->sha);
    strbuf_reset(cp);
    copy_path(cp, j->dir, e->copy);
    ms_code rc = cp->oom ? ms_fail(err, MS_ERR_NOMEM, NULL)
                         : ms_file_write_atomic(cp->buf, keep->buf, keep->len, err);
    if (rc != MS_OK)
        return rc;
    rc = commit(j, e, err);
    if (rc != MS_OK) {
        ms_error ignored; /* an orphan copy is harmless; commit's error counts */
        (void)!ms_file_delete(cp->buf, &ignored);
    }
    return rc;
}

ms_code journal_file_before_filtered(ms_journal *j, const char *path,
                                     const journal_file_filter *filter, ms_error *err)
{
    if (!j || !path)
        return ms_fail(err, MS_ERR_INTERNAL, "journal_file_before");
    if (secret_file(path))
        return ms_fail(err, MS_ERR_JOURNAL_SECRET, "%s", path);
    if (!ms_path_is_absolute(path))
        return ms_fail(err, MS_ERR_INTERNAL, "%s: not an absolute path", path);
    for (size_t i = 0; i < j->n; i++) {
        const struct jentry *e = &j->v[i];
        if (e->kind == J_FILE && same_tag(e->account, j->account) && strcmp(e->path, path) == 0)
            return MS_OK;
    }
    struct jentry e = {.kind = J_FILE, .path = ms_strdup(path), .filter = filter};
    if (!e.path)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    enum ms_path_kind kind = ms_path_kind(path);
    if (kind == MS_PATH_NONE)
        return commit(j, &e, err);
    if (kind != MS_PATH_FILE) {
        entry_free(&e);
        return ms_fail(err, MS_ERR_IO_READ, "%s (not a regular file)", path);
    }
    strbuf raw, kept, cp;
    strbuf_init(&raw);
    strbuf_init(&kept);
    strbuf_init(&cp);
    ms_code rc = ms_file_read(path, JOURNAL_MAX_FILE, &raw, err);
    if (rc != MS_OK)
        goto out;
    strbuf *keep = &raw;
    if (filter) {
        rc = filter->strip(raw.buf, raw.len, &kept, err);
        if (rc != MS_OK)
            goto out;
        keep = &kept;
    }
    rc = check_free(j->dir, (unsigned long long)keep->len * 2 + JOURNAL_MIN_FREE, err);
    if (rc != MS_OK)
        goto out;
    file_path(&cp, j->dir, "files");
    rc = cp.oom ? ms_fail(err, MS_ERR_NOMEM, NULL) : ms_mkdir_p(cp.buf, err);
    if (rc != MS_OK)
        goto out;
    rc = write_copy(j, &e, keep, &cp, err);
out:
    if (rc == MS_ERR_DISK_FULL)
        rc = ms_fail(err, MS_ERR_BACKUP_SPACE, "%s", j->dir);
    entry_free(&e);
    strbuf_wipe(&raw); /* may hold a password the filter removed */
    strbuf_free(&kept);
    strbuf_free(&cp);
    return rc;
}

/* ---- undo */

static ms_code read_copy(const ms_journal *j, const struct jentry *e, strbuf *out, ms_error *err)
{
    strbuf p;
    strbuf_init(&p);
    copy_path(&p, j->dir, e->copy);
    ms_code rc = p.oom ? ms_fail(err, MS_ERR_NOMEM, NULL)
                       : ms_file_read(p.buf, JOURNAL_MAX_FILE, out, err);
    unsigned char sha[SHA256_LEN];
    if (rc == MS_OK)
        sha256(out->buf, out->len, sha);
    if (rc == MS_OK && (out->len != e->size || !sha256_equal(sha, e->sha, SHA256_LEN)))
        rc = ms_fail(err, MS_ERR_JOURNAL_TAMPERED, "%s: changed since it was saved", p.buf);
    else if (rc == MS_ERR_IO_READ)
        rc = ms_fail(err, MS_ERR_JOURNAL_MALFORMED, "%s: cannot be read", p.buf);
    strbuf_free(&p);
    return rc;
}

/* The folder that holds path exists (made when missing). */
static ms_code make_parent(const char *path, ms_error *err)
{
    size_t dl = path_dirname_len(path);
    if (!dl)
        return MS_OK;
    char *dir = ms_strndup(path, dl);
    if (!dir)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    ms_code rc = ms_path_kind(dir) == MS_PATH_NONE ? ms_mkdir_p(dir, err) : MS_OK;
    free(dir);
    return rc;
}

static ms_code undo_file(const ms_journal *j, const struct jentry *e, ms_error *err)
{
    enum ms_path_kind kind = ms_path_kind(e->path);
    if (!e->present) {
        if (kind == MS_PATH_NONE)
            return MS_OK;
        if (kind != MS_PATH_FILE)
            return ms_fail(err, MS_ERR_IO_WRITE, "%s (not a regular file)", e->path);
        return ms_file_delete(e->path, err);
    }
    if (kind != MS_PATH_NONE && kind != MS_PATH_FILE)
        return ms_fail(err, MS_ERR_IO_WRITE, "%s (not a regular file)", e->path);
    strbuf orig, cur, merged;
    strbuf_init(&orig);
    strbuf_init(&cur);
    strbuf_init(&merged);
    bool have_cur = false;
    ms_code rc = read_copy(j, e, &orig, err);
    if (rc != MS_OK)
        goto out;
    if (kind == MS_PATH_FILE) {
        ms_error ignored;
        have_cur = ms_file_read(e->path, JOURNAL_MAX_FILE, &cur, &ignored) == MS_OK;
    }
    strbuf *want = &orig;
    if (e->filter) {
        rc = e->filter->merge(orig.buf, orig.len, have_cur ? cur.buf : NULL, cur.len, &merged,
                              err);
        if (rc != MS_OK)
            goto out;
        want = &merged;
    }
    if (have_cur && cur.len == want->len && memcmp(cur.buf, want->buf, want->len) == 0)
        goto out; /* already as it was */
    rc = make_parent(e->path, err);
    if (rc != MS_OK)
        goto out;
    rc = ms_file_write_atomic(e->path, want->buf, want->len, err);
out:
    strbuf_wipe(&cur);
    strbuf_wipe(&merged);
    strbuf_free(&orig);
    return rc;
}

static ms_code undo_reg_value(const struct jentry *e, ms_reg *reg, ms_error *err)
{
    if (!e->present) {
        ms_error derr;
        ms_code rc = reg->ops->del_value(reg, e->key, e->name, &derr);
        if (rc == MS_ERR_REG_NOT_FOUND)
            return MS_OK;
        if (rc != MS_OK && err)
            *err = derr;
        return rc;
    }
    ms_reg_value cur;
    cur.type = 0;
    strbuf_init(&cur.data);
    ms_error gerr;
    bool same = reg->ops->get(reg, e->key, e->name, &cur, &gerr) == MS_OK &&
                cur.type == e->type && cur.data.len == e->len &&
                (e->len == 0 || memcmp(cur.data.buf, e->data, e->len) == 0);
    strbuf_free(&cur.data);
    if (same)
        return MS_OK;
    return reg->ops->set(reg, e->key, e->name, e->type, e->data, e->len, err);
}

static ms_code undo_entry(const ms_journal *j, const struct jentry *e, ms_reg *reg,
                          ms_error *err)
{
    if (e->kind != J_FILE && !reg)
        return ms_fail(err, MS_ERR_INTERNAL, "undo needs the registry");
    switch (e->kind) {
    case J_REG_VALUE:
        return undo_reg_value(e, reg, err);
    case J_REG_KEY_CREATED: {
        ms_error derr;
        ms_code rc = reg->ops->del_tree(reg, e->key, &derr);
        if (rc == MS_ERR_REG_NOT_FOUND)
            return MS_OK;
        if (rc != MS_OK && err)
            *err = derr;
        return rc;
    }
    case J_FILE:
        return undo_file(j, e, err);
    }
    return ms_fail(err, MS_ERR_INTERNAL, "journal entry kind");
}

static ms_code undo_where(ms_journal *j, ms_reg *reg, const char *account, ms_error *err)
{
    ms_code first = MS_OK;
    for (size_t i = j->n; i-- > 0;) {
        const struct jentry *e = &j->v[i];
        if (account && !(e->account && strcmp(e->account, account) == 0))
            continue;
        ms_error one;
        ms_error_clear(&one);
        ms_code rc = undo_entry(j, e, reg, &one);
        if (rc != MS_OK && first == MS_OK) {
            first = rc;
            if (err)
                *err = one;
        }
    }
    return first;
}

ms_code journal_undo(ms_journal *j, ms_reg *reg, ms_error *err)
{
    return undo_where(j, reg, NULL, err);
}

ms_code journal_undo_account(ms_journal *j, ms_reg *reg, const char *account_id, ms_error *err)
{
    if (!account_id)
        return ms_fail(err, MS_ERR_INTERNAL, "journal_undo_account");
    return undo_where(j, reg, account_id, err);
}

/* ---- loading: the folder is outside data */

struct loader {
    const char *file; /* journal.json's path, for messages */
    ms_error *err;
};

static ms_code bad(struct loader *l, const char *fmt, ...) MS_PRINTF(2, 3);
static ms_code bad(struct loader *l, const char *fmt, ...)
{
    char what[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return ms_fail(l->err, MS_ERR_JOURNAL_MALFORMED, "%s: %s", l->file, what);
}

/* Every member of o is one of the allowed names, none given twice. */
static bool members_ok(const cJSON *o, const char *const *allowed, const char **badname)
{
    for (const cJSON *c = o->child; c; c = c->next) {
        bool known = false;
        for (size_t k = 0; allowed[k]; k++)
            known = known || strcmp(c->string, allowed[k]) == 0;
        for (const cJSON *d = o->child; known && d != c; d = d->next)
            if (strcmp(d->string, c->string) == 0)
                known = false;
        if (!known) {
            *badname = c->string;
            return false;
        }
    }
    return true;
}

static bool text_ok(const char *s, bool may_be_empty)
{
    size_t n = strlen(s), at;
    if ((!n && !may_be_empty) || n > JOURNAL_MAX_STRING || !utf16_utf8_valid(s, n, &at))
        return false;
    for (const char *c = s; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7F)
            return false;
    return true;
}

static const char *get_text(const cJSON *o, const char *name, bool may_be_empty)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    if (!cJSON_IsString(v) || !v->valuestring || !text_ok(v->valuestring, may_be_empty))
        return NULL;
    return v->valuestring;
}

static bool get_uint(const cJSON *o, const char *name, double max, double *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    if (!cJSON_IsNumber(v))
        return false;
    double d = v->valuedouble;
    if (!(d >= 0 && d <= max) || (double)(unsigned long long)d != d)
        return false;
    *out = d;
    return true;
}

/* The data of a present registry value: its type (0 to 11) and its bytes
 * as lower-case hex. */
static ms_code load_value_data(struct loader *l, const cJSON *o, size_t idx, struct jentry *e)
{
    double type;
    if (!get_uint(o, "type", 11, &type))
        return bad(l, "entry %zu: \"type\" must be a registry type from 0 to 11", idx);
    e->type = (uint32_t)type;
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(o, "data");
    if (!cJSON_IsString(d) || !d->valuestring)
        return bad(l, "entry %zu: \"data\" missing or not a string", idx);
    size_t hl = strlen(d->valuestring);
    if (hl % 2 || hl / 2 > JOURNAL_MAX_VALUE)
        return bad(l, "entry %zu: \"data\" must be an even number of hex digits", idx);
    e->len = hl / 2;
    if (!(e->data = malloc(e->len ? e->len : 1)))
        return ms_fail(l->err, MS_ERR_NOMEM, NULL);
    for (size_t k = 0; k < e->len; k++) {
        int hi = hex_digit(d->valuestring[2 * k]), lo = hex_digit(d->valuestring[2 * k + 1]);
        if (hi < 0 || lo < 0)
            return bad(l, "entry %zu: \"data\" holds a character that is not a lower-case "
                          "hex digit", idx);
        e->data[k] = (unsigned char)(hi << 4 | lo);
    }
    return MS_OK;
}

/* A registry value entry after its state: its name (never a password's)
 * and, when present, its type and data. */
static ms_code load_value(struct loader *l, const cJSON *o, size_t idx, struct jentry *e)
{
    const char *name = get_text(o, "name", true);
    if (!name)
        return bad(l, "entry %zu: \"name\" missing or invalid", idx);
    if (secret_value_name(name))
        return bad(l, "entry %zu: a password value (\"%.40s\") has no place in a backup", idx,
                   name);
    if (!(e->name = ms_strdup(name)))
        return ms_fail(l->err, MS_ERR_NOMEM, NULL);
    bool has_type = cJSON_GetObjectItemCaseSensitive(o, "type") != NULL;
    bool has_data = cJSON_GetObjectItemCaseSensitive(o, "data") != NULL;
    if (!e->present) {
        if (has_type || has_data)
            return bad(l, "entry %zu: an absent value has no type or data", idx);
        return MS_OK;
    }
    return load_value_data(l, o, idx, e);
}

/* The number NNN of a copy "files/NNN.orig" (three to six digits), or 0
 * when copy is not one. */
static unsigned copy_number(const char *copy)
{
    unsigned num = 0;
    size_t digits = 0;
    if (!copy || strncmp(copy, "files/", 6) != 0)
        return 0;
    const char *c = copy + 6;
    while (c[digits] >= '0' && c[digits] <= '9' && digits < 7)
        num = num * 10 + (unsigned)(c[digits++] - '0');
    if (digits < 3 || digits > 6 || strcmp(c + digits, ".orig") != 0)
        return 0;
    return num;
}

/* The copy of a present file: its name (used once in the journal), size,
 * SHA-256 and, optionally, the filter that merges it back. */
static ms_code load_file_copy(struct loader *l, const ms_journal *j, const cJSON *o, size_t idx,
                              struct jentry *e)
{
    unsigned num = copy_number(get_text(o, "copy", false));
    if (num == 0)
        return bad(l, "entry %zu: \"copy\" must be files/NNN.orig", idx);
    for (size_t k = 0; k < j->n; k++)
        if (j->v[k].kind == J_FILE && j->v[k].present && j->v[k].copy == num)
            return bad(l, "entry %zu: copy files/%03u.orig used twice", idx, num);
    e->copy = num;
    double size;
    if (!get_uint(o, "size", JOURNAL_MAX_FILE, &size))
        return bad(l, "entry %zu: \"size\" missing or out of range", idx);
    e->size = (size_t)size;
    const char *hash = get_text(o, "sha256", false);
    if (!hash || !hex_decode(hash, e->sha, SHA256_LEN))
        return bad(l, "entry %zu: \"sha256\" must be 64 lower-case hex digits", idx);
    if (cJSON_GetObjectItemCaseSensitive(o, "filter")) {
        const char *f = get_text(o, "filter", false);
        for (size_t k = 0; f && k < sizeof filters / sizeof filters[0]; k++)
            if (strcmp(filters[k]->id, f) == 0)
                e->filter = filters[k];
        if (!e->filter)
            return bad(l, "entry %zu: unknown filter", idx);
    }
    return MS_OK;
}

/* A file entry after its state: an absolute path (never a password
 * store's) and, when present, its copy. */
static ms_code load_file(struct loader *l, const ms_journal *j, const cJSON *o, size_t idx,
                         struct jentry *e)
{
    const char *path = get_text(o, "path", false);
    if (!path || !ms_path_is_absolute(path))
        return bad(l, "entry %zu: \"path\" missing or not an absolute path", idx);
    if (secret_file(path))
        return bad(l, "entry %zu: a password store (%.80s) has no place in a backup", idx, path);
    if (!(e->path = ms_strdup(path)))
        return ms_fail(l->err, MS_ERR_NOMEM, NULL);
    bool extra = cJSON_GetObjectItemCaseSensitive(o, "copy") ||
                 cJSON_GetObjectItemCaseSensitive(o, "size") ||
                 cJSON_GetObjectItemCaseSensitive(o, "sha256") ||
                 cJSON_GetObjectItemCaseSensitive(o, "filter");
    if (!e->present) {
        if (extra)
            return bad(l, "entry %zu: an absent file has no copy", idx);
        return MS_OK;
    }
    return load_file_copy(l, j, o, idx, e);
}

/* The entry's kind, and the members an entry of that kind may have. */
static ms_code entry_kind(struct loader *l, const cJSON *o, size_t idx, struct jentry *e,
                          const char *const **allowed)
{
    static const char *const reg_keys[] = {"kind", "account", "key", "name", "state", "type",
                                           "data", NULL};
    static const char *const key_keys[] = {"kind", "account", "key", NULL};
    static const char *const file_keys[] = {"kind", "account", "path", "state", "copy",
                                            "size", "sha256", "filter", NULL};
    const char *kind = get_text(o, "kind", false);
    if (!kind)
        return bad(l, "entry %zu: \"kind\" missing or not a string", idx);
    if (strcmp(kind, "registry_value") == 0) {
        e->kind = J_REG_VALUE;
        *allowed = reg_keys;
    } else if (strcmp(kind, "registry_key_created") == 0) {
        e->kind = J_REG_KEY_CREATED;
        *allowed = key_keys;
    } else if (strcmp(kind, "file") == 0) {
        e->kind = J_FILE;
        *allowed = file_keys;
    } else {
        return bad(l, "entry %zu: unknown kind \"%.40s\"", idx, kind);
    }
    return MS_OK;
}

/* The copyable text member name of o into *to (absent: left NULL). */
static ms_code load_text(struct loader *l, const cJSON *o, size_t idx, const char *name,
                         bool optional, char **to)
{
    if (optional && !cJSON_GetObjectItemCaseSensitive(o, name))
        return MS_OK;
    const char *v = get_text(o, name, false);
    if (!v)
        return optional ? bad(l, "entry %zu: \"%s\" is not a valid string", idx, name)
                        : bad(l, "entry %zu: \"%s\" missing or invalid", idx, name);
    if (!(*to = ms_strdup(v)))
        return ms_fail(l->err, MS_ERR_NOMEM, NULL);
    return MS_OK;
}

/* One entry of the journal, checked member by member (the caller frees
 * e also on failure). */
static ms_code load_entry(struct loader *l, ms_journal *j, const cJSON *o, size_t idx,
                          struct jentry *e)
{
    if (!cJSON_IsObject(o))
        return bad(l, "entry %zu is not an object", idx);
    const char *const *allowed = NULL;
    ms_code rc = entry_kind(l, o, idx, e, &allowed);
    if (rc != MS_OK)
        return rc;
    const char *badname;
    if (!members_ok(o, allowed, &badname))
        return bad(l, "entry %zu: unexpected or repeated member \"%.40s\"", idx, badname);
    rc = load_text(l, o, idx, "account", true, &e->account);
    if (rc != MS_OK)
        return rc;
    if (e->kind == J_REG_VALUE || e->kind == J_REG_KEY_CREATED) {
        rc = load_text(l, o, idx, "key", false, &e->key);
        if (rc != MS_OK)
            return rc;
    }
    if (e->kind == J_REG_KEY_CREATED)
        return MS_OK;
    const char *state = get_text(o, "state", false);
    if (!state || (strcmp(state, "present") != 0 && strcmp(state, "absent") != 0))
        return bad(l, "entry %zu: \"state\" must be \"present\" or \"absent\"", idx);
    e->present = strcmp(state, "present") == 0;
    if (e->kind == J_REG_VALUE)
        return load_value(l, o, idx, e);
    return load_file(l, j, o, idx, e);
}

/* The seal at the end of raw is this user's HMAC of all that comes before
 * it. A journal sealed with another key was written by another user or on
 * another PC (or forged): refused, and the writer it names is said. */
static ms_code check_seal(struct loader *l, const char *raw, size_t len, const char *writer,
                          const char *kid)
{
    size_t head = sizeof SEAL_HEAD - 1, tail = sizeof SEAL_TAIL - 1, hex = 2 * SHA256_LEN;
    if (len < head + hex + tail || memcmp(raw + len - tail, SEAL_TAIL, tail) != 0 ||
        memcmp(raw + len - tail - hex - head, SEAL_HEAD, head) != 0)
        return ms_fail(l->err, MS_ERR_JOURNAL_TAMPERED, "%s: no seal at its end", l->file);
    size_t body = len - tail - hex - head;
    char seal_hex[2 * SHA256_LEN + 1];
    memcpy(seal_hex, raw + body + head, hex);
    seal_hex[hex] = '\0';
    unsigned char seal[SHA256_LEN], key[SHA256_LEN], mac[SHA256_LEN];
    if (!hex_decode(seal_hex, seal, SHA256_LEN))
        return ms_fail(l->err, MS_ERR_JOURNAL_TAMPERED, "%s: the seal is not 64 hex digits",
                       l->file);
    ms_code rc = ms_journal_key(key, l->err);
    if (rc != MS_OK)
        return rc;
    hmac_sha256(key, sizeof key, raw, body, mac);
    char mine[2 * KEY_ID_LEN + 1];
    key_id(key, mine);
    ms_wipe(key, sizeof key);
    if (sha256_equal(mac, seal, SHA256_LEN))
        return MS_OK;
    if (strcmp(mine, kid) != 0)
        return ms_fail(l->err, MS_ERR_JOURNAL_FOREIGN, "%s (%.200s)", l->file, writer);
    return ms_fail(l->err, MS_ERR_JOURNAL_TAMPERED, "%s: the seal does not match", l->file);
}

/* journal.json's text: there, not empty, UTF-8 without NUL. */
static ms_code read_text(struct loader *l, strbuf *raw)
{
    ms_code rc = ms_file_read(l->file, JOURNAL_MAX_JSON, raw, l->err);
    if (rc == MS_ERR_IO_READ && ms_path_kind(l->file) == MS_PATH_NONE)
        return ms_fail(l->err, MS_ERR_NO_BACKUP, NULL);
    if (rc == MS_ERR_IO_READ)
        return bad(l, "cannot be read (or is larger than %u bytes)", JOURNAL_MAX_JSON);
    if (rc != MS_OK)
        return rc;
    size_t at = 0;
    if (raw->len == 0)
        return bad(l, "empty");
    if (memchr(raw->buf, '\0', raw->len) || !utf16_utf8_valid(raw->buf, raw->len, &at))
        return bad(l, "not UTF-8 text (byte %zu)", at);
    return MS_OK;
}

/* What the journal says about itself, checked; pointers into its tree. */
struct jheader {
    const cJSON *entries;
    const char *writer, *kid, *state;
};

/* One of the known states, as the constant; NULL for any other. */
static const char *known_state(const char *state)
{
    static const char *const states[] = {JOURNAL_STATE_IN_PROGRESS, JOURNAL_STATE_VERIFIED,
                                         JOURNAL_STATE_ROLLED_BACK, JOURNAL_STATE_FAILED};
    for (size_t k = 0; state && k < sizeof states / sizeof states[0]; k++)
        if (strcmp(state, states[k]) == 0)
            return states[k];
    return NULL;
}

/* The top object: only the known members, this format and version, an
 * array of at most JOURNAL_MAX_ENTRIES, a writer, a key id and a state. */
static ms_code check_header(struct loader *l, const cJSON *root, struct jheader *h)
{
    static const char *const top[] = {"format", "version", "writer", "key_id", "state",
                                      "entries", "seal", NULL};
    const char *badname;
    const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(root, "format");
    double ver;
    h->entries = cJSON_GetObjectItemCaseSensitive(root, "entries");
    if (!cJSON_IsObject(root))
        return bad(l, "not a JSON object");
    if (!members_ok(root, top, &badname))
        return bad(l, "unexpected or repeated member \"%.40s\"", badname);
    if (!cJSON_IsString(fmt) || strcmp(fmt->valuestring, JOURNAL_FORMAT) != 0)
        return bad(l, "\"format\" is not \"" JOURNAL_FORMAT "\"");
    if (!get_uint(root, "version", 1e9, &ver) || ver != JOURNAL_VERSION)
        return bad(l, "unsupported \"version\" (this program reads version %d)", JOURNAL_VERSION);
    if (!cJSON_IsArray(h->entries))
        return bad(l, "\"entries\" is not an array");
    if (cJSON_GetArraySize(h->entries) > JOURNAL_MAX_ENTRIES)
        return bad(l, "more than %d entries", JOURNAL_MAX_ENTRIES);
    h->writer = get_text(root, "writer", true);
    h->state = known_state(get_text(root, "state", false));
    h->kid = get_text(root, "key_id", false);
    if (!h->writer)
        return bad(l, "\"writer\" missing or invalid");
    if (!h->kid || strlen(h->kid) != 2 * KEY_ID_LEN)
        return bad(l, "\"key_id\" missing or invalid");
    if (!h->state)
        return bad(l, "\"state\" missing or unknown");
    return MS_OK;
}

/* Adds a loaded entry to j by hand (commit() would write); on failure
 * frees it. */
static ms_code add_loaded(ms_journal *j, struct jentry *je, ms_error *err)
{
    struct jentry *nv = ms_grow(j->v, &j->cap, j->n, sizeof *nv, 16);
    if (!nv) {
        entry_free(je);
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    }
    j->v = nv;
    j->v[j->n++] = *je;
    if (je->kind == J_FILE && je->present && je->copy >= j->next_copy)
        j->next_copy = je->copy + 1;
    return MS_OK;
}

/* The entries of the array, each checked, into j. */
static ms_code load_entries(struct loader *l, ms_journal *j, const cJSON *entries)
{
    size_t idx = 0;
    for (const cJSON *e = entries->child; e; e = e->next, idx++) {
        struct jentry je = {0};
        ms_code rc = load_entry(l, j, e, idx, &je);
        if (rc != MS_OK) {
            entry_free(&je);
            return rc;
        }
        rc = add_loaded(j, &je, l->err);
        if (rc != MS_OK)
            return rc;
    }
    return MS_OK;
}

/* The copy of file entry i is there, whole, and (with a filter) something
 * the filter can merge into. */
static ms_code check_copy(struct loader *l, const ms_journal *j, size_t i)
{
    const struct jentry *e = &j->v[i];
    strbuf c, m;
    strbuf_init(&c);
    strbuf_init(&m);
    ms_code rc = read_copy(j, e, &c, l->err);
    if (rc != MS_OK || !e->filter)
        goto out;
    ms_error ferr;
    if (e->filter->merge(c.buf, c.len, NULL, 0, &m, &ferr) != MS_OK)
        rc = bad(l, "entry %zu: the copy of %.80s is not a valid %s file", i, e->path,
                 e->filter->id);
out:
    strbuf_free(&m);
    strbuf_free(&c);
    return rc;
}

/* Every copy is there, whole, before anything is restored. */
static ms_code check_copies(struct loader *l, const ms_journal *j)
{
    for (size_t i = 0; i < j->n; i++) {
        if (j->v[i].kind != J_FILE || !j->v[i].present)
            continue;
        ms_code rc = check_copy(l, j, i);
        if (rc != MS_OK)
            return rc;
    }
    return MS_OK;
}

ms_code journal_load(const char *dir, ms_journal **out, ms_error *err)
{
    *out = NULL;
    ms_code rc = MS_OK;
    strbuf p, raw;
    strbuf_init(&p);
    strbuf_init(&raw);
    cJSON *root = NULL;
    ms_journal *j = NULL;
    file_path(&p, dir, JOURNAL_FILE);
    if (p.oom) {
        rc = ms_fail(err, MS_ERR_NOMEM, NULL);
        goto out;
    }
    struct loader l = {p.buf, err};
    rc = read_text(&l, &raw);
    if (rc != MS_OK)
        goto out;
    const char *end = NULL;
    root = cJSON_ParseWithLengthOpts(raw.buf, raw.len + 1, &end, 1);
    if (!root) {
        rc = bad(&l, "not valid JSON (near byte %zu)",
                 end && end >= raw.buf ? (size_t)(end - raw.buf) : (size_t)0);
        goto out;
    }
    struct jheader h = {NULL, NULL, NULL, NULL};
    rc = check_header(&l, root, &h);
    if (rc != MS_OK)
        goto out;
    rc = check_seal(&l, raw.buf, raw.len, h.writer, h.kid);
    if (rc != MS_OK)
        goto out;
    j = calloc(1, sizeof *j);
    if (!j || !(j->dir = ms_strdup(dir)) || !(j->writer = ms_strdup(h.writer))) {
        rc = ms_fail(err, MS_ERR_NOMEM, NULL);
        goto out;
    }
    j->state = h.state;
    rc = load_entries(&l, j, h.entries);
    if (rc != MS_OK)
        goto out;
    rc = check_copies(&l, j);
    if (rc != MS_OK)
        goto out;
    if (j->next_copy == 0)
        j->next_copy = 1;
    *out = j;
    j = NULL;
out:
    journal_free(j);
    cJSON_Delete(root);
    strbuf_free(&raw);
    strbuf_free(&p);
    return rc;
}

/* ---- the run's end, and where undo may act */

ms_code journal_finish(ms_journal *j, const char *state, ms_error *err)
{
    if (!j || !j->sealed || !state)
        return ms_fail(err, MS_ERR_INTERNAL, "journal_finish");
    const char *old = j->state;
    j->state = state;
    ms_code rc = write_journal(j, err);
    if (rc != MS_OK)
        j->state = old;
    return rc;
}

const char *journal_state(const ms_journal *j)
{
    return j->state;
}

const char *journal_writer(const ms_journal *j)
{
    return j->writer;
}

/* Every folder of path below its root is a plain folder (not a junction,
 * symbolic link or other reparse point), and path itself a plain file or
 * nothing. */
static ms_code check_links(const char *path, size_t root_len, ms_error *err)
{
    char sep = ms_path_sep();
    size_t n = strlen(path);
    char *p = malloc(n + 1);
    if (!p)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    memcpy(p, path, n + 1);
    ms_code rc = MS_OK;
    for (size_t i = root_len + 1; i <= n && rc == MS_OK; i++) {
        if (i < n && p[i] != sep)
            continue;
        char c = p[i];
        p[i] = '\0';
        enum ms_path_kind k = ms_path_kind(p);
        p[i] = c;
        if (k == MS_PATH_NONE)
            break; /* nothing further down exists: undo makes plain folders */
        if (i < n ? k != MS_PATH_DIR : k != MS_PATH_FILE)
            rc = ms_fail(err, MS_ERR_JOURNAL_LINK, "%s", path);
    }
    free(p);
    return rc;
}

ms_code journal_check_places(const ms_journal *j, const char *const *roots, size_t n_roots,
                             ms_error *err)
{
    for (size_t i = 0; i < j->n; i++) {
        const struct jentry *e = &j->v[i];
        const char *why = NULL;
        size_t root_len = 0;
        switch (e->kind) {
        case J_REG_VALUE:
            if (!trust_reg_value(e->key, e->name, &why))
                return ms_fail(err, MS_ERR_JOURNAL_OUTSIDE, "HKCU\\%.300s\\%.100s (%s)", e->key,
                               e->name, why);
            break;
        case J_REG_KEY_CREATED:
            if (!trust_reg_key_created(e->key, &why))
                return ms_fail(err, MS_ERR_JOURNAL_OUTSIDE, "HKCU\\%.300s (%s)", e->key, why);
            break;
        case J_FILE:
            if (!trust_file(e->path, roots, n_roots, ms_path_sep(), &root_len, &why))
                return ms_fail(err, MS_ERR_JOURNAL_OUTSIDE, "%.400s (%s)", e->path, why);
            ms_code rc = check_links(e->path, root_len, err);
            if (rc != MS_OK)
                return rc;
            break;
        }
    }
    return MS_OK;
}

ms_code journal_reseal(const char *dir, ms_error *err)
{
    strbuf p, raw;
    strbuf_init(&p);
    strbuf_init(&raw);
    strbuf sealed;
    strbuf_init(&sealed);
    file_path(&p, dir, JOURNAL_FILE);
    ms_code rc = p.oom ? ms_fail(err, MS_ERR_NOMEM, NULL)
                       : ms_file_read(p.buf, JOURNAL_MAX_JSON, &raw, err);
    if (rc != MS_OK)
        goto out;
    size_t head = sizeof SEAL_HEAD - 1, tail = sizeof SEAL_TAIL - 1, hex = 2 * SHA256_LEN;
    if (raw.len >= head + hex + tail && memcmp(raw.buf + raw.len - tail, SEAL_TAIL, tail) == 0 &&
        memcmp(raw.buf + raw.len - tail - hex - head, SEAL_HEAD, head) == 0)
        raw.len -= head + hex + tail; /* the old seal goes */
    unsigned char key[SHA256_LEN], mac[SHA256_LEN];
    rc = ms_journal_key(key, err);
    if (rc != MS_OK)
        goto out;
    hmac_sha256(key, sizeof key, raw.buf, raw.len, mac);
    ms_wipe(key, sizeof key);
    strbuf_add(&sealed, raw.buf, raw.len);
    strbuf_addstr(&sealed, SEAL_HEAD);
    hex_encode(&sealed, mac, SHA256_LEN);
    strbuf_addstr(&sealed, SEAL_TAIL);
    rc = sealed.oom ? ms_fail(err, MS_ERR_NOMEM, NULL)
                    : ms_file_write_atomic(p.buf, sealed.buf, sealed.len, err);
out:
    strbuf_free(&sealed);
    strbuf_free(&raw);
    strbuf_free(&p);
    return rc;
}

/* Deletes path + MS_TEMP_SUFFIX when it is a regular file. */
static void drop_temp(const char *path)
{
    strbuf t;
    strbuf_init(&t);
    strbuf_addf(&t, "%s" MS_TEMP_SUFFIX, path);
    ms_error ignored;
    if (!t.oom && ms_path_kind(t.buf) == MS_PATH_FILE) /* best effort: a leftover is harmless */
        (void)!ms_file_delete(t.buf, &ignored);
    strbuf_free(&t);
}

size_t journal_clean_temp(const ms_journal *j)
{
    size_t n = 0;
    strbuf p;
    strbuf_init(&p);
    /* Beside every file the run could have been replacing. */
    for (size_t i = 0; i < j->n; i++)
        if (j->v[i].kind == J_FILE)
            drop_temp(j->v[i].path);
    /* In the backup folder: journal.json's and the copies'. */
    const char *sub[] = {"", "files"};
    for (size_t s = 0; s < 2; s++) {
        strbuf_reset(&p);
        if (*sub[s])
            path_join(&p, j->dir, sub[s]);
        else
            strbuf_addstr(&p, j->dir);
        strbuf list;
        strbuf_init(&list);
        ms_error ignored;
        if (!p.oom && ms_dir_list(p.buf, &list, &ignored) == MS_OK) {
            size_t sl = strlen(MS_TEMP_SUFFIX);
            for (size_t at = 0; at < list.len; at += strlen(list.buf + at) + 1) {
                const char *name = list.buf + at + 1;
                size_t nl = strlen(name);
                if (list.buf[at] != 'f' || nl <= sl || strcmp(name + nl - sl, MS_TEMP_SUFFIX) != 0)
                    continue;
                strbuf f;
                strbuf_init(&f);
                path_join(&f, p.buf, name);
                if (!f.oom && ms_file_delete(f.buf, &ignored) == MS_OK)
                    n++;
                strbuf_free(&f);
            }
        }
        strbuf_free(&list);
    }
    strbuf_free(&p);
    return n;
}

const char *journal_last_account(const ms_journal *j)
{
    return j->n ? j->v[j->n - 1].account : NULL;
}
