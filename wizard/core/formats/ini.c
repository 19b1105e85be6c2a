/* ini: byte-keeping INI reader and editor; see ini.h. An edit splices the
 * bytes and parses the result again: INI files are small, and one code path
 * for positions keeps the records right. */
#include "ini.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct ini_span {
    size_t off, len;
};

struct ini_section {
    struct ini_span name;
    size_t line_end;  /* offset just past the header line (with its line end) */
    size_t last_end;  /* offset just past its last key line (or the header) */
    size_t first_key; /* index into keys */
    size_t nkeys;
};

struct ini_key {
    struct ini_span key, val;
    size_t line_start, line_end; /* the whole line with its line end */
};

struct ini_file {
    strbuf text;
    struct ini_section *sec;
    size_t nsec, capsec;
    struct ini_key *keys;
    size_t nkeys, capkeys;
    char eol[3];
};

static bool blank(unsigned char c)
{
    return c == ' ' || c == '\t';
}

static ini_where where_of(const unsigned char *s, size_t len, size_t off)
{
    ini_where w = {1, 1, off};
    size_t ls = 0;
    if (off > len)
        off = len;
    for (size_t i = 0; i < off; i++)
        if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= len || s[i + 1] != '\n'))) {
            w.line++;
            ls = i + 1;
        }
    unsigned col = 1;
    for (size_t i = ls; i < off; i++)
        if ((s[i] & 0xC0) != 0x80 && s[i] != '\r')
            col++;
    w.col = col;
    return w;
}

static void clear(ini_file *f)
{
    f->nsec = f->nkeys = 0;
}

void ini_free(ini_file *f)
{
    if (!f)
        return;
    strbuf_free(&f->text);
    free(f->sec);
    free(f->keys);
    free(f);
}

static bool push_section(ini_file *f, const struct ini_section *s)
{
    struct ini_section *n = ms_grow(f->sec, &f->capsec, f->nsec, sizeof *n, 8);
    if (!n)
        return false;
    f->sec = n;
    f->sec[f->nsec++] = *s;
    return true;
}

static bool push_key(ini_file *f, const struct ini_key *k)
{
    struct ini_key *n = ms_grow(f->keys, &f->capkeys, f->nkeys, sizeof *n, 16);
    if (!n)
        return false;
    f->keys = n;
    f->keys[f->nkeys++] = *k;
    return true;
}

/* Builds the records for f->text. Returns MS_OK or an error code with the
 * byte offset of the problem in *bad. */
/* One line of text: s[a..le) after its leading blanks, the whole line
 * s[ls..next) with its line end. */
struct ini_line {
    size_t ls, a, le, next;
};

/* A section header "[name]" (a is at '['): its record. */
static ms_code index_section(ini_file *f, const unsigned char *s, const struct ini_line *ln,
                             size_t *bad)
{
    size_t a = ln->a, le = ln->le;
    /* The last ']' closes the name: a Shift_JIS trail byte can be 0x5D
     * (the second byte of "ゾ"), never a blank. */
    size_t end = le;
    while (end > a && blank(s[end - 1]))
        end--;
    if (end - a < 2 || s[end - 1] != ']') {
        size_t rb = a + 1;
        while (rb < le && s[rb] != ']')
            rb++;
        size_t after = rb + 1;
        while (after < le && blank(s[after]))
            after++;
        *bad = rb < le ? after : a;
        return MS_ERR_INI_SECTION;
    }
    size_t na = a + 1, nb = end - 1;
    while (na < nb && blank(s[na]))
        na++;
    while (nb > na && blank(s[nb - 1]))
        nb--;
    if (na == nb) {
        *bad = a;
        return MS_ERR_INI_SECTION;
    }
    struct ini_section sec = {{na, nb - na}, ln->next, ln->next, f->nkeys, 0};
    return push_section(f, &sec) ? MS_OK : MS_ERR_NOMEM;
}

/* A "key = value" line of the last section: its record. */
static ms_code index_key(ini_file *f, const unsigned char *s, const struct ini_line *ln,
                         size_t *bad)
{
    size_t a = ln->a, le = ln->le, eq = a;
    while (eq < le && s[eq] != '=')
        eq++;
    if (eq == le || eq == a) {
        *bad = a;
        return MS_ERR_INI_LINE;
    }
    if (f->nsec == 0) {
        *bad = a;
        return MS_ERR_INI_NO_SECTION;
    }
    size_t kb = eq;
    while (kb > a && blank(s[kb - 1]))
        kb--;
    size_t va = eq + 1, vb = le;
    while (va < vb && blank(s[va]))
        va++;
    while (vb > va && blank(s[vb - 1]))
        vb--;
    struct ini_key k = {{a, kb - a}, {va, vb - va}, ln->ls, ln->next};
    if (!push_key(f, &k))
        return MS_ERR_NOMEM;
    struct ini_section *sec = &f->sec[f->nsec - 1];
    sec->nkeys++;
    sec->last_end = ln->next;
    return MS_OK;
}

/* The line starting at i: its end (a NUL in it is an error) and the start
 * of the next (past CR, LF or CR LF). */
static ms_code split_line(const unsigned char *s, size_t len, size_t i, struct ini_line *ln,
                          size_t *bad)
{
    size_t le = i;
    while (le < len && s[le] != '\n' && s[le] != '\r') {
        if (s[le] == '\0') {
            *bad = le;
            return MS_ERR_INI_NUL;
        }
        le++;
    }
    size_t next = le;
    if (next < len && s[next] == '\r')
        next++;
    if (next < len && s[next] == '\n' && (next == le || s[next - 1] == '\r'))
        next++;
    size_t a = i;
    while (a < le && blank(s[a]))
        a++;
    *ln = (struct ini_line){i, a, le, next};
    return MS_OK;
}

/* Builds the records for f->text. Returns MS_OK or an error code with the
 * byte offset of the problem in *bad. */
static ms_code index_text(ini_file *f, size_t *bad)
{
    const unsigned char *s = (const unsigned char *)f->text.buf;
    size_t len = f->text.len;
    clear(f);
    size_t i = 0;
    if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
        i = 3;
    bool have_eol = false;
    strcpy(f->eol, "\r\n");
    while (i < len) {
        struct ini_line ln;
        ms_code rc = split_line(s, len, i, &ln, bad);
        if (rc != MS_OK)
            return rc;
        if (!have_eol && ln.next > ln.le) {
            memcpy(f->eol, s + ln.le, ln.next - ln.le);
            f->eol[ln.next - ln.le] = '\0';
            have_eol = true;
        }
        if (ln.a == ln.le || s[ln.a] == ';' || s[ln.a] == '#')
            rc = MS_OK; /* blank or comment */
        else if (s[ln.a] == '[')
            rc = index_section(f, s, &ln, bad);
        else
            rc = index_key(f, s, &ln, bad);
        if (rc != MS_OK)
            return rc;
        i = ln.next;
    }
    return MS_OK;
}

ms_code ini_parse(const char *buf, size_t len, ini_file **out, ms_error *err)
{
    return ini_parse_at(buf, len, out, NULL, err);
}

ms_code ini_parse_at(const char *buf, size_t len, ini_file **out, ini_where *where, ms_error *err)
{
    *out = NULL;
    if (where)
        *where = (ini_where){0, 0, 0};
    if (len > INI_MAX_BYTES)
        return ms_fail(err, MS_ERR_INI_TOO_LARGE, "%zu > %zu bytes", len, INI_MAX_BYTES);
    ini_file *f = calloc(1, sizeof *f);
    if (!f)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    strbuf_init(&f->text);
    strbuf_add(&f->text, buf, len);
    if (f->text.oom) {
        ini_free(f);
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    }
    size_t bad = 0;
    ms_code rc = index_text(f, &bad);
    if (rc != MS_OK) {
        ini_where w = where_of((const unsigned char *)f->text.buf, f->text.len, bad);
        ini_free(f);
        if (where)
            *where = w;
        if (rc == MS_ERR_NOMEM)
            return ms_fail(err, rc, NULL);
        return ms_fail(err, rc, "%u:%u", w.line, w.col);
    }
    *out = f;
    ms_error_clear(err);
    return MS_OK;
}

void ini_serialize(const ini_file *f, strbuf *out)
{
    if (f)
        strbuf_add(out, f->text.buf, f->text.len);
}

const char *ini_newline(const ini_file *f)
{
    return f->eol;
}

size_t ini_section_count(const ini_file *f)
{
    return f ? f->nsec : 0;
}

const char *ini_section_name(const ini_file *f, size_t i, size_t *len)
{
    if (!f || i >= f->nsec) {
        *len = 0;
        return NULL;
    }
    *len = f->sec[i].name.len;
    return f->text.buf + f->sec[i].name.off;
}

size_t ini_key_count(const ini_file *f, size_t section)
{
    return f && section < f->nsec ? f->sec[section].nkeys : 0;
}

bool ini_key_at(const ini_file *f, size_t section, size_t i, const char **key, size_t *key_len,
                const char **val, size_t *val_len)
{
    if (!f || section >= f->nsec || i >= f->sec[section].nkeys)
        return false;
    const struct ini_key *k = &f->keys[f->sec[section].first_key + i];
    *key = f->text.buf + k->key.off;
    *key_len = k->key.len;
    *val = f->text.buf + k->val.off;
    *val_len = k->val.len;
    return true;
}

/* ---- lookup */

static bool name_eq(const char *a, size_t an, const char *b, size_t bn)
{
    if (an != bn)
        return false;
    bool ascii = true;
    for (size_t i = 0; i < an; i++)
        if ((unsigned char)a[i] >= 0x80 || (unsigned char)b[i] >= 0x80)
            ascii = false;
    if (!ascii)
        return memcmp(a, b, an) == 0;
    for (size_t i = 0; i < an; i++) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (char)(y - 'A' + 'a');
        if (x != y)
            return false;
    }
    return true;
}

/* The one section named name: index, or -1 missing; -2 ambiguous. */
static long find_section(const ini_file *f, const char *name)
{
    long hit = -1;
    size_t n = strlen(name);
    for (size_t i = 0; i < f->nsec; i++)
        if (name_eq(f->text.buf + f->sec[i].name.off, f->sec[i].name.len, name, n)) {
            if (hit >= 0)
                return -2;
            hit = (long)i;
        }
    return hit;
}

static long find_key(const ini_file *f, size_t sec, const char *key)
{
    long hit = -1;
    size_t n = strlen(key);
    const struct ini_section *s = &f->sec[sec];
    for (size_t i = 0; i < s->nkeys; i++) {
        const struct ini_key *k = &f->keys[s->first_key + i];
        if (name_eq(f->text.buf + k->key.off, k->key.len, key, n)) {
            if (hit >= 0)
                return -2;
            hit = (long)(s->first_key + i);
        }
    }
    return hit;
}

/* Detail text for errors: section and key names are bytes, so only their
 * printable ASCII is shown. */
static void safe_name(char *dst, size_t size, const char *s)
{
    size_t j = 0;
    for (size_t i = 0; s[i] && j + 1 < size; i++) {
        unsigned char c = (unsigned char)s[i];
        dst[j++] = c >= 0x20 && c < 0x7F ? (char)c : '?';
    }
    dst[j] = '\0';
}

static ms_code ambiguous(ms_error *err, const char *section, const char *key)
{
    char s[128], k[128];
    safe_name(s, sizeof s, section);
    if (!key)
        return ms_fail(err, MS_ERR_INI_DUPLICATE, "[%s]", s);
    safe_name(k, sizeof k, key);
    return ms_fail(err, MS_ERR_INI_DUPLICATE, "[%s] %s", s, k);
}

/* The index of key's record in section into *k, -1 when either is
 * missing; a repeated section or key is an error (which one is meant?). */
static ms_code locate_key(const ini_file *f, const char *section, const char *key, long *k,
                          ms_error *err)
{
    *k = -1;
    long s = find_section(f, section);
    if (s == -2)
        return ambiguous(err, section, NULL);
    if (s < 0)
        return MS_OK;
    *k = find_key(f, (size_t)s, key);
    if (*k == -2)
        return ambiguous(err, section, key);
    return MS_OK;
}

ms_code ini_get(const ini_file *f, const char *section, const char *key, const char **val,
                size_t *len, bool *found, ms_error *err)
{
    if (found)
        *found = false;
    long k;
    ms_code rc = locate_key(f, section, key, &k, err);
    if (rc != MS_OK || k < 0)
        return rc;
    *val = f->text.buf + f->keys[k].val.off;
    *len = f->keys[k].val.len;
    if (found)
        *found = true;
    return MS_OK;
}

/* ---- editing */

static bool has_any(const char *s, size_t n, const char *bad)
{
    for (size_t i = 0; i < n; i++)
        if (strchr(bad, s[i]))
            return true;
    return false;
}

static ms_code check_names(const char *section, const char *key, ms_error *err)
{
    size_t sl = section ? strlen(section) : 0, kl = key ? strlen(key) : 0;
    if (!sl || has_any(section, sl, "\r\n]"))
        return ms_fail(err, MS_ERR_INI_BAD_SET, "section name");
    if (blank((unsigned char)section[0]) || blank((unsigned char)section[sl - 1]))
        return ms_fail(err, MS_ERR_INI_BAD_SET, "section name");
    if (!kl || has_any(key, kl, "\r\n=") || key[0] == ';' || key[0] == '#' || key[0] == '[')
        return ms_fail(err, MS_ERR_INI_BAD_SET, "key");
    if (blank((unsigned char)key[0]) || blank((unsigned char)key[kl - 1]))
        return ms_fail(err, MS_ERR_INI_BAD_SET, "key");
    return MS_OK;
}

/* Replaces text[off, off+old) with rep and re-indexes; on failure restores. */
static ms_code splice(ini_file *f, size_t off, size_t old, const char *rep, size_t n,
                      ms_error *err)
{
    strbuf nt;
    strbuf_init(&nt);
    strbuf_add(&nt, f->text.buf, off);
    strbuf_add(&nt, rep, n);
    strbuf_add(&nt, f->text.buf + off + old, f->text.len - off - old);
    if (nt.oom) {
        strbuf_free(&nt);
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    }
    strbuf saved = f->text;
    f->text = nt;
    size_t bad = 0;
    ms_code rc = index_text(f, &bad);
    if (rc != MS_OK) {
        strbuf_free(&f->text);
        f->text = saved;
        size_t b2 = 0;
        (void)index_text(f, &b2); /* the old text indexed before */
        if (rc == MS_ERR_NOMEM)
            return ms_fail(err, rc, NULL);
        return ms_fail(err, MS_ERR_INTERNAL, "ini edit did not re-parse");
    }
    strbuf_free(&saved);
    return MS_OK;
}

ms_code ini_set(ini_file *f, const char *section, const char *key, const char *val, size_t len,
                ms_error *err)
{
    ms_code rc = check_names(section, key, err);
    if (rc != MS_OK)
        return rc;
    if (!val && len)
        return ms_fail(err, MS_ERR_INI_BAD_SET, "value");
    if (len && (memchr(val, '\r', len) || memchr(val, '\n', len) || memchr(val, '\0', len)))
        return ms_fail(err, MS_ERR_INI_BAD_SET, "value holds a line break or NUL");
    long s = find_section(f, section);
    if (s == -2)
        return ambiguous(err, section, NULL);
    if (s >= 0) {
        long k = find_key(f, (size_t)s, key);
        if (k == -2)
            return ambiguous(err, section, key);
        if (k >= 0) {
            const struct ini_key *kk = &f->keys[k];
            if (kk->val.len == len &&
                (len == 0 || memcmp(f->text.buf + kk->val.off, val, len) == 0))
                return MS_OK;
            /* An empty value's span sits after '=' and its blanks. */
            return splice(f, kk->val.off, kk->val.len, val, len, err);
        }
    }

    /* A new line (and maybe a new section). */
    strbuf add;
    strbuf_init(&add);
    size_t at;
    const char *t = f->text.buf;
    if (s >= 0) {
        at = f->sec[s].last_end;
        if (at > 0 && t[at - 1] != '\n' && t[at - 1] != '\r')
            strbuf_addstr(&add, f->eol); /* the last line had no line end */
    } else {
        at = f->text.len;
        if (at > 0 && t[at - 1] != '\n' && t[at - 1] != '\r')
            strbuf_addstr(&add, f->eol);
        strbuf_addch(&add, '[');
        strbuf_addstr(&add, section);
        strbuf_addch(&add, ']');
        strbuf_addstr(&add, f->eol);
    }
    strbuf_addstr(&add, key);
    strbuf_addch(&add, '=');
    strbuf_add(&add, val, len);
    strbuf_addstr(&add, f->eol);
    if (add.oom) {
        strbuf_free(&add);
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    }
    rc = splice(f, at, 0, add.buf, add.len, err);
    strbuf_free(&add);
    return rc;
}

ms_code ini_remove(ini_file *f, const char *section, const char *key, bool *removed,
                   ms_error *err)
{
    if (removed)
        *removed = false;
    if (!section || !key)
        return ms_fail(err, MS_ERR_INI_BAD_SET, "section or key");
    long k;
    ms_code rc = locate_key(f, section, key, &k, err);
    if (rc != MS_OK || k < 0)
        return rc;
    size_t a = f->keys[k].line_start, b = f->keys[k].line_end;
    rc = splice(f, a, b - a, "", 0, err);
    if (rc == MS_OK && removed)
        *removed = true;
    return rc;
}
