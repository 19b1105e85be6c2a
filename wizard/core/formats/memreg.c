/* memreg: in-memory registry for tests; see memreg.h. */
#include "memreg.h"

#include <stdlib.h>
#include <string.h>

#include "fault.h"
#include "regval.h"
#include "utf16.h"

struct mr_value {
    char *name;
    uint32_t type;
    unsigned char *data;
    size_t len;
};

struct mr_key {
    char *name;
    struct mr_key **kids; /* sorted case-insensitively */
    size_t nkids, capkids;
    struct mr_value *vals; /* in the order first set */
    size_t nvals, capvals;
    bool denied;
};

struct memreg {
    ms_reg reg; /* first: memreg_reg() and the ops cast between them */
    struct mr_key root;
    unsigned long writes, fail_at;
    bool fail_persistent;
};

static const char hkcu[] = "HKEY_CURRENT_USER";

static int fold(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Case-insensitive compare of a[0..an) with b[0..bn). */
static int cmp_ci(const char *a, size_t an, const char *b, size_t bn)
{
    size_t n = an < bn ? an : bn;
    for (size_t i = 0; i < n; i++) {
        int ca = fold((unsigned char)a[i]), cb = fold((unsigned char)b[i]);
        if (ca != cb)
            return ca - cb;
    }
    return an < bn ? -1 : an > bn ? 1 : 0;
}

static void key_clear(struct mr_key *k)
{
    for (size_t i = 0; i < k->nkids; i++) {
        key_clear(k->kids[i]);
        free(k->kids[i]);
    }
    free(k->kids);
    for (size_t i = 0; i < k->nvals; i++) {
        free(k->vals[i].name);
        free(k->vals[i].data);
    }
    free(k->vals);
    free(k->name);
    memset(k, 0, sizeof *k);
}

/* Index of kid name (or where it would go) by binary search. */
static size_t kid_pos(const struct mr_key *k, const char *name, size_t n, bool *found)
{
    size_t lo = 0, hi = k->nkids;
    *found = false;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *kn = k->kids[mid]->name;
        int c = cmp_ci(kn, strlen(kn), name, n);
        if (c == 0) {
            *found = true;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static struct mr_key *kid_add(struct mr_key *k, size_t pos, const char *name, size_t n)
{
    if (k->nkids == k->capkids) {
        size_t cap = k->capkids ? k->capkids * 2 : 4;
        struct mr_key **nk = realloc(k->kids, cap * sizeof *nk);
        if (!nk)
            return NULL;
        k->kids = nk;
        k->capkids = cap;
    }
    struct mr_key *c = calloc(1, sizeof *c);
    if (!c || !(c->name = ms_strndup(name, n))) {
        free(c);
        return NULL;
    }
    memmove(&k->kids[pos + 1], &k->kids[pos], (k->nkids - pos) * sizeof *k->kids);
    k->kids[pos] = c;
    k->nkids++;
    return c;
}

/* Checks a key path: "" is the root; otherwise components without empty
 * ones and without a leading or trailing backslash. */
static ms_code check_path(const char *key, ms_error *err)
{
    if (!key)
        return ms_fail(err, MS_ERR_REG_BAD_PATH, "(null)");
    size_t n = strlen(key);
    if (n && (key[0] == '\\' || key[n - 1] == '\\' || strstr(key, "\\\\")))
        return ms_fail(err, MS_ERR_REG_BAD_PATH, "%s", key);
    return MS_OK;
}

/* Walks to key; with create, makes missing keys. *denied_on is set when a
 * key on the way is denied. NULL when missing (or out of memory with
 * create; *oom then). */
static struct mr_key *walk(struct mr_key *root, const char *key, bool create, bool *denied_on,
                           bool *oom)
{
    struct mr_key *k = root;
    *denied_on = root->denied;
    if (oom)
        *oom = false;
    const char *p = key;
    while (*p) {
        const char *e = strchr(p, '\\');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        bool found;
        size_t pos = kid_pos(k, p, n, &found);
        if (found) {
            k = k->kids[pos];
        } else if (create && !*denied_on) {
            k = kid_add(k, pos, p, n);
            if (!k) {
                if (oom)
                    *oom = true;
                return NULL;
            }
        } else {
            return NULL;
        }
        if (k->denied)
            *denied_on = true;
        p = e ? e + 1 : p + n;
    }
    return k;
}

static struct mr_value *find_value(const struct mr_key *k, const char *name)
{
    for (size_t i = 0; i < k->nvals; i++)
        if (cmp_ci(k->vals[i].name, strlen(k->vals[i].name), name, strlen(name)) == 0)
            return &k->vals[i];
    return NULL;
}

static bool set_value(struct mr_key *k, const char *name, uint32_t type, const void *data,
                      size_t len)
{
    unsigned char *copy = malloc(len ? len : 1);
    if (!copy)
        return false;
    if (len)
        memcpy(copy, data, len);
    struct mr_value *v = find_value(k, name);
    if (!v) {
        if (k->nvals == k->capvals) {
            size_t cap = k->capvals ? k->capvals * 2 : 8;
            struct mr_value *nv = realloc(k->vals, cap * sizeof *nv);
            if (!nv) {
                free(copy);
                return false;
            }
            k->vals = nv;
            k->capvals = cap;
        }
        char *nm = ms_strndup(name, strlen(name));
        if (!nm) {
            free(copy);
            return false;
        }
        v = &k->vals[k->nvals++];
        v->name = nm;
        v->data = NULL;
    }
    free(v->data);
    v->type = type;
    v->data = copy;
    v->len = len;
    return true;
}

static void delete_value_at(struct mr_key *k, struct mr_value *v)
{
    size_t i = (size_t)(v - k->vals);
    free(v->name);
    free(v->data);
    memmove(&k->vals[i], &k->vals[i + 1], (k->nvals - i - 1) * sizeof *k->vals);
    k->nvals--;
}

/* Removes key (not the root) and everything below; false when missing. */
static bool delete_key(struct mr_key *root, const char *key)
{
    size_t n = strlen(key);
    const char *slash = NULL;
    for (size_t i = n; i > 0; i--)
        if (key[i - 1] == '\\') {
            slash = key + i - 1;
            break;
        }
    struct mr_key *parent = root;
    const char *leaf = key;
    bool denied;
    if (slash) {
        char *pp = ms_strndup(key, (size_t)(slash - key));
        if (!pp)
            return false;
        parent = walk(root, pp, false, &denied, NULL);
        free(pp);
        leaf = slash + 1;
    }
    if (!parent)
        return false;
    bool found;
    size_t pos = kid_pos(parent, leaf, strlen(leaf), &found);
    if (!found)
        return false;
    struct mr_key *victim = parent->kids[pos];
    key_clear(victim);
    free(victim);
    memmove(&parent->kids[pos], &parent->kids[pos + 1],
            (parent->nkids - pos - 1) * sizeof *parent->kids);
    parent->nkids--;
    return true;
}

/* ---- the ms_reg interface */

static struct memreg *M(ms_reg *r)
{
    return (struct memreg *)r;
}

/* The existing key *out; denied (as code) or not found otherwise. */
static ms_code existing_key(struct memreg *m, const char *key, ms_code denied_code,
                            struct mr_key **out, ms_error *err)
{
    bool denied;
    struct mr_key *k = walk(&m->root, key, false, &denied, NULL);
    if (denied)
        return ms_fail(err, denied_code, "%s (access denied)", key);
    if (!k)
        return ms_fail(err, MS_ERR_REG_NOT_FOUND, "%s", key);
    *out = k;
    return MS_OK;
}

/* *out is the key, or NULL on every failure path (so a caller never reads
 * an unset pointer, and gcc -O2 can see that). */
static ms_code read_key(struct memreg *m, const char *key, struct mr_key **out, ms_error *err)
{
    *out = NULL;
    ms_code rc = check_path(key, err);
    if (rc != MS_OK)
        return rc;
    return existing_key(m, key, MS_ERR_REG_READ, out, err);
}

/* Counts a write and says whether an armed fault makes it fail: memreg's
 * own (registry writes only) or fault.h's, which the platform's file
 * writes share, so "every write in turn" covers the journal too. */
static bool write_fails(struct memreg *m)
{
    m->writes++;
    bool global = fault_should_fail();
    return global || (m->fail_at &&
                      (m->writes == m->fail_at || (m->fail_persistent && m->writes > m->fail_at)));
}

/* The names of key's subkeys (kids) or values, each with its NUL. */
static ms_code list_names(ms_reg *r, const char *key, bool kids, strbuf *out, ms_error *err)
{
    struct mr_key *k;
    ms_code rc = read_key(M(r), key, &k, err);
    if (rc != MS_OK)
        return rc;
    size_t n = kids ? k->nkids : k->nvals;
    for (size_t i = 0; i < n; i++) {
        const char *name = kids ? k->kids[i]->name : k->vals[i].name;
        strbuf_add(out, name, strlen(name) + 1);
    }
    return out->oom ? ms_fail(err, MS_ERR_NOMEM, NULL) : MS_OK;
}

static ms_code mr_subkeys(ms_reg *r, const char *key, strbuf *out, ms_error *err)
{
    return list_names(r, key, true, out, err);
}

static ms_code mr_values(ms_reg *r, const char *key, strbuf *out, ms_error *err)
{
    return list_names(r, key, false, out, err);
}

static ms_code mr_get(ms_reg *r, const char *key, const char *name, ms_reg_value *out,
                      ms_error *err)
{
    struct mr_key *k;
    ms_code rc = read_key(M(r), key, &k, err);
    if (rc != MS_OK)
        return rc;
    const struct mr_value *v = find_value(k, name);
    if (!v)
        return ms_fail(err, MS_ERR_REG_NOT_FOUND, "%s\\%s", key, name);
    strbuf_reset(&out->data);
    strbuf_add(&out->data, v->data, v->len);
    out->type = v->type;
    return out->data.oom ? ms_fail(err, MS_ERR_NOMEM, NULL) : MS_OK;
}

/* A write to key\\name may go ahead: a valid path and no injected
 * failure. */
static ms_code may_write(struct memreg *m, const char *key, const char *name, ms_error *err)
{
    ms_code rc = check_path(key, err);
    if (rc != MS_OK)
        return rc;
    if (write_fails(m))
        return ms_fail(err, MS_ERR_REG_WRITE, "%s\\%s (injected failure)", key, name);
    return MS_OK;
}

static ms_code mr_set(ms_reg *r, const char *key, const char *name, uint32_t type,
                      const void *data, size_t len, ms_error *err)
{
    struct memreg *m = M(r);
    ms_code rc = may_write(m, key, name, err);
    if (rc != MS_OK)
        return rc;
    bool denied, oom;
    struct mr_key *k = walk(&m->root, key, true, &denied, &oom);
    if (denied)
        return ms_fail(err, MS_ERR_REG_WRITE, "%s\\%s (access denied)", key, name);
    if (!k || !set_value(k, name, type, data, len))
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    return MS_OK;
}

static ms_code mr_del_value(ms_reg *r, const char *key, const char *name, ms_error *err)
{
    struct memreg *m = M(r);
    ms_code rc = may_write(m, key, name, err);
    if (rc != MS_OK)
        return rc;
    bool denied;
    struct mr_key *k = walk(&m->root, key, false, &denied, NULL);
    if (denied)
        return ms_fail(err, MS_ERR_REG_WRITE, "%s\\%s (access denied)", key, name);
    struct mr_value *v = k ? find_value(k, name) : NULL;
    if (!v)
        return ms_fail(err, MS_ERR_REG_NOT_FOUND, "%s\\%s", key, name);
    delete_value_at(k, v);
    return MS_OK;
}

static ms_code mr_create_key(ms_reg *r, const char *key, ms_error *err)
{
    struct memreg *m = M(r);
    ms_code rc = check_path(key, err);
    if (rc != MS_OK)
        return rc;
    if (write_fails(m))
        return ms_fail(err, MS_ERR_REG_WRITE, "%s (injected failure)", key);
    bool denied, oom;
    struct mr_key *k = walk(&m->root, key, true, &denied, &oom);
    if (denied)
        return ms_fail(err, MS_ERR_REG_WRITE, "%s (access denied)", key);
    return k ? MS_OK : ms_fail(err, MS_ERR_NOMEM, NULL);
}

static ms_code mr_del_tree(ms_reg *r, const char *key, ms_error *err)
{
    struct memreg *m = M(r);
    ms_code rc = check_path(key, err);
    if (rc != MS_OK)
        return rc;
    if (!key[0])
        return ms_fail(err, MS_ERR_REG_BAD_PATH, "refusing to delete HKEY_CURRENT_USER itself");
    if (write_fails(m))
        return ms_fail(err, MS_ERR_REG_WRITE, "%s (injected failure)", key);
    struct mr_key *k;
    rc = existing_key(m, key, MS_ERR_REG_WRITE, &k, err);
    if (rc != MS_OK)
        return rc;
    delete_key(&m->root, key);
    return MS_OK;
}

static const ms_reg_ops memreg_ops = {
    mr_subkeys, mr_values, mr_get, mr_set, mr_del_value, mr_create_key, mr_del_tree,
};

memreg *memreg_new(void)
{
    struct memreg *m = calloc(1, sizeof *m);
    if (m)
        m->reg.ops = &memreg_ops;
    return m;
}

void memreg_free(memreg *m)
{
    if (!m)
        return;
    key_clear(&m->root);
    free(m);
}

ms_reg *memreg_reg(memreg *m)
{
    return &m->reg;
}

static bool copy_key(struct mr_key *dst, const struct mr_key *src)
{
    for (size_t i = 0; i < src->nvals; i++)
        if (!set_value(dst, src->vals[i].name, src->vals[i].type, src->vals[i].data,
                       src->vals[i].len))
            return false;
    for (size_t i = 0; i < src->nkids; i++) {
        struct mr_key *c = kid_add(dst, dst->nkids, src->kids[i]->name,
                                   strlen(src->kids[i]->name));
        if (!c || !copy_key(c, src->kids[i]))
            return false;
    }
    return true;
}

memreg *memreg_clone(const memreg *m)
{
    memreg *c = memreg_new();
    if (c && !copy_key(&c->root, &m->root)) {
        memreg_free(c);
        return NULL;
    }
    return c;
}

/* "HKEY_CURRENT_USER\rest" -> "rest"; "HKEY_CURRENT_USER" -> "". */
static const char *strip_hkcu(const char *key)
{
    size_t n = strlen(hkcu);
    if (cmp_ci(key, strlen(key) < n ? strlen(key) : n, hkcu, n) != 0)
        return NULL;
    if (key[n] == '\0')
        return key + n;
    return key[n] == '\\' ? key + n + 1 : NULL;
}

ms_code memreg_load(memreg *m, const regfile *rf, ms_error *err)
{
    for (size_t i = 0; i < rf->count; i++) {
        const regfile_op *op = &rf->ops[i];
        const char *key = strip_hkcu(op->key);
        if (!key)
            return ms_fail(err, MS_ERR_REGFILE_SYNTAX,
                           "line %u: only HKEY_CURRENT_USER keys can be loaded: %s", op->line,
                           op->key);
        bool denied, oom;
        switch (op->kind) {
        case REGFILE_KEY:
            if (!walk(&m->root, key, true, &denied, &oom))
                return ms_fail(err, MS_ERR_NOMEM, NULL);
            break;
        case REGFILE_DELETE_KEY:
            if (key[0])
                delete_key(&m->root, key);
            break;
        case REGFILE_VALUE: {
            struct mr_key *k = walk(&m->root, key, true, &denied, &oom);
            if (!k || !set_value(k, op->name, op->type, op->data.buf, op->data.len))
                return ms_fail(err, MS_ERR_NOMEM, NULL);
            break;
        }
        case REGFILE_DELETE_VALUE: {
            struct mr_key *k = walk(&m->root, key, false, &denied, NULL);
            struct mr_value *v = k ? find_value(k, op->name) : NULL;
            if (v)
                delete_value_at(k, v);
            break;
        }
        }
    }
    return MS_OK;
}

ms_code memreg_load_file(memreg *m, const char *path, ms_error *err)
{
    regfile rf;
    ms_code rc = regfile_load(path, &rf, err);
    if (rc != MS_OK)
        goto out;
    rc = memreg_load(m, &rf, err);
out:
    regfile_free(&rf);
    return rc;
}

static void export_key(const struct mr_key *k, strbuf *path, strbuf *out)
{
    regfile_write_key(out, path->buf);
    for (size_t i = 0; i < k->nvals; i++)
        regfile_write_value(out, k->vals[i].name, k->vals[i].type, k->vals[i].data,
                            k->vals[i].len);
    for (size_t i = 0; i < k->nkids; i++) {
        size_t mark = path->len;
        strbuf_addch(path, '\\');
        strbuf_addstr(path, k->kids[i]->name);
        export_key(k->kids[i], path, out);
        path->len = mark;
        path->buf[mark] = '\0';
    }
}

void memreg_export(const memreg *m, strbuf *out)
{
    regfile_write_header(out);
    strbuf path;
    strbuf_init(&path);
    strbuf_addstr(&path, hkcu);
    if (m->root.nvals) {
        regfile_write_key(out, hkcu);
        for (size_t i = 0; i < m->root.nvals; i++)
            regfile_write_value(out, m->root.vals[i].name, m->root.vals[i].type,
                                m->root.vals[i].data, m->root.vals[i].len);
    }
    for (size_t i = 0; i < m->root.nkids; i++) {
        strbuf_reset(&path);
        strbuf_addf(&path, "%s\\%s", hkcu, m->root.kids[i]->name);
        export_key(m->root.kids[i], &path, out);
    }
    strbuf_free(&path);
}

/* One value for a diff line: the .reg form without the name. */
static void describe_value(const struct mr_value *v, strbuf *out)
{
    strbuf line;
    strbuf_init(&line);
    regfile_write_value(&line, "x", v->type, v->data, v->len);
    /* Drop the "x"= prefix, the continuations and the newline. */
    for (size_t i = 4; i < line.len; i++) {
        if (line.buf[i] == '\\' && i + 1 < line.len && line.buf[i + 1] == '\n') {
            i += 3; /* "\\\n  " */
            continue;
        }
        if (line.buf[i] != '\n')
            strbuf_addch(out, line.buf[i]);
    }
    strbuf_free(&line);
}

/* A key only on one side: "+ [key]" (or "-"), then its values and
 * subkeys, one line each. Returns the lines. */
static size_t list_key(const struct mr_key *k, const char *path, char sign, strbuf *out)
{
    size_t n = 1;
    if (out)
        strbuf_addf(out, "%c [%s]\n", sign, path);
    for (size_t i = 0; i < k->nvals; i++) {
        n++;
        if (out) {
            strbuf_addf(out, "%c %s\\%s=", sign, path, k->vals[i].name);
            describe_value(&k->vals[i], out);
            strbuf_addch(out, '\n');
        }
    }
    for (size_t i = 0; i < k->nkids; i++) {
        strbuf sub;
        strbuf_init(&sub);
        strbuf_addf(&sub, "%s\\%s", path, k->kids[i]->name);
        n += list_key(k->kids[i], sub.buf, sign, out);
        strbuf_free(&sub);
    }
    return n;
}

static size_t diff_key(const struct mr_key *a, const struct mr_key *b, const char *path,
                       strbuf *out)
{
    size_t n = 0;
    for (size_t i = 0; i < a->nvals; i++) {
        const struct mr_value *va = &a->vals[i];
        const struct mr_value *vb = find_value(b, va->name);
        if (!vb) {
            n++;
            if (out) {
                strbuf_addf(out, "- %s\\%s=", path, va->name);
                describe_value(va, out);
                strbuf_addch(out, '\n');
            }
        } else if (va->type != vb->type || va->len != vb->len ||
                   (va->len && memcmp(va->data, vb->data, va->len) != 0)) {
            n++;
            if (out) {
                strbuf_addf(out, "~ %s\\%s: ", path, va->name);
                describe_value(va, out);
                strbuf_addstr(out, " -> ");
                describe_value(vb, out);
                strbuf_addch(out, '\n');
            }
        }
    }
    for (size_t i = 0; i < b->nvals; i++) {
        if (!find_value(a, b->vals[i].name)) {
            n++;
            if (out) {
                strbuf_addf(out, "+ %s\\%s=", path, b->vals[i].name);
                describe_value(&b->vals[i], out);
                strbuf_addch(out, '\n');
            }
        }
    }
    size_t i = 0, j = 0;
    while (i < a->nkids || j < b->nkids) {
        int c;
        if (i == a->nkids)
            c = 1;
        else if (j == b->nkids)
            c = -1;
        else
            c = cmp_ci(a->kids[i]->name, strlen(a->kids[i]->name), b->kids[j]->name,
                       strlen(b->kids[j]->name));
        if (c < 0 || c > 0) {
            const struct mr_key *k = c < 0 ? a->kids[i++] : b->kids[j++];
            strbuf sub;
            strbuf_init(&sub);
            strbuf_addf(&sub, "%s\\%s", path, k->name);
            n += list_key(k, sub.buf, c < 0 ? '-' : '+', out);
            strbuf_free(&sub);
        } else {
            strbuf sub;
            strbuf_init(&sub);
            strbuf_addf(&sub, "%s\\%s", path, a->kids[i]->name);
            n += diff_key(a->kids[i], b->kids[j], sub.buf, out);
            strbuf_free(&sub);
            i++, j++;
        }
    }
    return n;
}

size_t memreg_diff(const memreg *a, const memreg *b, strbuf *out)
{
    return diff_key(&a->root, &b->root, hkcu, out);
}

ms_code memreg_deny(memreg *m, const char *key, ms_error *err)
{
    ms_code rc = check_path(key, err);
    if (rc != MS_OK)
        return rc;
    bool denied;
    struct mr_key *k = walk(&m->root, key, false, &denied, NULL);
    if (!k)
        return ms_fail(err, MS_ERR_REG_NOT_FOUND, "%s", key);
    k->denied = true;
    return MS_OK;
}

void memreg_fail_write(memreg *m, unsigned long nth, bool persistent)
{
    m->fail_at = nth;
    m->fail_persistent = persistent;
    m->writes = 0;
}

unsigned long memreg_writes(const memreg *m)
{
    return m->writes;
}
