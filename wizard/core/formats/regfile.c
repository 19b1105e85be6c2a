/* regfile: .reg file reader and writer; see regfile.h. */
#include "regfile.h"

#include <stdlib.h>
#include <string.h>

#include "platform.h"
#include "reg.h"
#include "utf16.h"

static const char hdr_v5[] = "Windows Registry Editor Version 5.00";
static const char hdr_v4[] = "REGEDIT4";

/* ---- reading */

/* The text being parsed, split into lines on demand. */
struct lines {
    const char *text;
    size_t len, pos;
    unsigned lineno; /* of the line last returned */
    const char *source;
};

/* Next physical line without its line end; false at the end of the text. */
static bool next_line(struct lines *L, const char **s, size_t *n)
{
    if (L->pos >= L->len)
        return false;
    const char *start = L->text + L->pos;
    const char *nl = memchr(start, '\n', L->len - L->pos);
    size_t len = nl ? (size_t)(nl - start) : L->len - L->pos;
    L->pos += len + (nl ? 1 : 0);
    if (len && start[len - 1] == '\r')
        len--;
    L->lineno++;
    *s = start;
    *n = len;
    return true;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

static void trim(const char **s, size_t *n)
{
    while (*n && is_space(**s))
        (*s)++, (*n)--;
    while (*n && (is_space((*s)[*n - 1]) || (*s)[*n - 1] == '\r'))
        (*n)--;
}

static bool prefix_ci(const char *s, size_t n, const char *p)
{
    size_t pl = strlen(p);
    if (n < pl)
        return false;
    for (size_t i = 0; i < pl; i++) {
        char a = s[i], b = p[i];
        if (a >= 'A' && a <= 'Z')
            a = (char)(a - 'A' + 'a');
        if (b >= 'A' && b <= 'Z')
            b = (char)(b - 'A' + 'a');
        if (a != b)
            return false;
    }
    return true;
}

static ms_code syntax(ms_error *err, const struct lines *L, unsigned line, const char *what)
{
    return ms_fail(err, MS_ERR_REGFILE_SYNTAX, "%s:%u: %s", L->source, line, what);
}

static regfile_op *add_op(regfile *rf, regfile_op_kind kind, unsigned line)
{
    if (rf->count == rf->cap) {
        size_t cap = rf->cap ? rf->cap * 2 : 64;
        regfile_op *n = realloc(rf->ops, cap * sizeof *n);
        if (!n)
            return NULL;
        rf->ops = n;
        rf->cap = cap;
    }
    regfile_op *op = &rf->ops[rf->count++];
    memset(op, 0, sizeof *op);
    op->kind = kind;
    op->line = line;
    strbuf_init(&op->data);
    return op;
}

static const char *const roots[] = {"HKEY_LOCAL_MACHINE", "HKEY_CURRENT_USER", "HKEY_CLASSES_ROOT",
                                    "HKEY_USERS", "HKEY_CURRENT_CONFIG"};

/* A key path as regedit accepts it: a known root, no empty components. */
static const char *check_key_path(const char *s, size_t n)
{
    if (!n)
        return "empty key name in [ ]";
    size_t first = 0;
    while (first < n && s[first] != '\\')
        first++;
    bool root_ok = false;
    for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++)
        if (strlen(roots[i]) == first && prefix_ci(s, n, roots[i]))
            root_ok = true;
    if (!root_ok)
        return "the key must start with HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE or another root key";
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && (i + 1 == n || s[i + 1] == '\\'))
            return "empty key name between backslashes";
    }
    return NULL;
}

/* Parses a quoted string starting at s[0] == '"'. Appends the unescaped text
 * to out and returns the length consumed (including both quotes), or 0 with
 * *why set. */
static size_t parse_quoted(const char *s, size_t n, strbuf *out, const char **why)
{
    size_t i = 1;
    while (i < n) {
        char c = s[i];
        if (c == '"')
            return i + 1;
        if (c == '\\') {
            if (i + 1 >= n) {
                *why = "backslash at the end of a string";
                return 0;
            }
            char e = s[i + 1];
            if (e != '\\' && e != '"') {
                *why = "unknown escape in a string (only \\\\ and \\\" are allowed)";
                return 0;
            }
            strbuf_addch(out, e);
            i += 2;
            continue;
        }
        strbuf_addch(out, c);
        i++;
    }
    *why = "string without its closing quote";
    return 0;
}

/* Comma-separated hex bytes, possibly continued over lines ending in '\'.
 * s/n is the rest of the first line after "hex:" or "hex(N):". */
static ms_code parse_hex(struct lines *L, unsigned line, const char *s, size_t n, strbuf *out,
                         ms_error *err)
{
    bool expect_byte = true, any = false;
    for (;;) {
        trim(&s, &n);
        bool cont = n && s[n - 1] == '\\';
        if (cont)
            n--;
        size_t i = 0;
        while (i < n) {
            if (is_space(s[i])) {
                i++;
                continue;
            }
            if (s[i] == ',') {
                if (expect_byte)
                    return syntax(err, L, L->lineno, "two commas in a row in hex data");
                expect_byte = true;
                i++;
                continue;
            }
            int h1 = ms_hexval(s[i]);
            if (h1 < 0 || !expect_byte)
                return syntax(err, L, L->lineno,
                              "hex data must be two-digit hex bytes separated by commas");
            int v = h1;
            i++;
            if (i < n && ms_hexval(s[i]) >= 0) {
                v = v * 16 + ms_hexval(s[i]);
                i++;
            }
            if (i < n && ms_hexval(s[i]) >= 0)
                return syntax(err, L, L->lineno, "a hex byte has more than two digits");
            unsigned char b = (unsigned char)v;
            strbuf_add(out, &b, 1);
            expect_byte = false;
            any = true;
        }
        if (!cont)
            break;
        const char *ns;
        size_t nn;
        if (!next_line(L, &ns, &nn))
            return syntax(err, L, line, "the file ends after a \\ line continuation");
        const char *t = ns;
        size_t tn = nn;
        trim(&t, &tn);
        if (!tn)
            return syntax(err, L, L->lineno, "empty line after a \\ line continuation");
        s = ns;
        n = nn;
    }
    if (any && expect_byte)
        return syntax(err, L, L->lineno, "hex data ends with a comma");
    return MS_OK;
}

/* One value line: s/n starts at '"' or '@'. */
/* String data "text": UTF-16 with its terminating NUL. */
static ms_code parse_sz(struct lines *L, unsigned line, const char *d, size_t dn, regfile_op *op,
                        ms_error *err)
{
    strbuf text;
    strbuf_init(&text);
    ms_code rc = MS_OK;
    const char *why = NULL;
    size_t used = parse_quoted(d, dn, &text, &why);
    if (!used) {
        rc = syntax(err, L, line, why);
        goto out;
    }
    if (used != dn) {
        rc = syntax(err, L, line, "text after the closing quote of a string");
        goto out;
    }
    op->type = MS_REG_SZ;
    if (!utf16_from_utf8(text.buf, text.len, false, &op->data))
        rc = ms_fail(err, MS_ERR_REGFILE_ENCODING, "%s:%u: invalid UTF-8 in a string", L->source,
                     line);
    strbuf_add(&op->data, "\0\0", 2);
out:
    strbuf_free(&text);
    return rc;
}

/* dword:XXXXXXXX (the part after "dword:"): four bytes, little-endian. */
static ms_code parse_dword(struct lines *L, unsigned line, const char *h, size_t hn,
                           regfile_op *op, ms_error *err)
{
    uint32_t v = 0;
    if (hn < 1 || hn > 8)
        return syntax(err, L, line, "dword: needs 1 to 8 hex digits");
    for (size_t k = 0; k < hn; k++) {
        int x = ms_hexval(h[k]);
        if (x < 0)
            return syntax(err, L, line, "dword: needs 1 to 8 hex digits");
        v = v << 4 | (uint32_t)x;
    }
    unsigned char b[4] = {(unsigned char)(v & 0xFF), (unsigned char)(v >> 8 & 0xFF),
                          (unsigned char)(v >> 16 & 0xFF), (unsigned char)(v >> 24 & 0xFF)};
    op->type = MS_REG_DWORD;
    strbuf_add(&op->data, b, 4);
    return MS_OK;
}

/* hex(N):bytes, N the registry type in hex. */
static ms_code parse_hex_typed(struct lines *L, unsigned line, const char *d, size_t dn,
                               regfile_op *op, ms_error *err)
{
    size_t k = 4, digits = 0;
    uint32_t t = 0;
    while (k < dn && ms_hexval(d[k]) >= 0 && digits <= 8) {
        t = t << 4 | (uint32_t)ms_hexval(d[k]);
        k++, digits++;
    }
    if (!digits || digits > 8 || k + 1 >= dn || d[k] != ')' || d[k + 1] != ':')
        return syntax(err, L, line, "hex(N): needs a hex type number, then ):");
    op->type = t;
    return parse_hex(L, line, d + k + 2, dn - k - 2, &op->data, err);
}

/* The data after '=': -, "text", dword:, hex: or hex(N):. */
static ms_code parse_data(struct lines *L, unsigned line, const char *d, size_t dn,
                          regfile_op *op, ms_error *err)
{
    if (dn == 1 && d[0] == '-') {
        op->kind = REGFILE_DELETE_VALUE;
        return MS_OK;
    }
    if (d[0] == '"')
        return parse_sz(L, line, d, dn, op, err);
    if (prefix_ci(d, dn, "dword:"))
        return parse_dword(L, line, d + 6, dn - 6, op, err);
    if (prefix_ci(d, dn, "hex:")) {
        op->type = MS_REG_BINARY;
        return parse_hex(L, line, d + 4, dn - 4, &op->data, err);
    }
    if (prefix_ci(d, dn, "hex("))
        return parse_hex_typed(L, line, d, dn, op, err);
    return syntax(err, L, line,
                  "unknown value data (expected \"text\", dword:, hex:, hex(N): or -)");
}

/* The value name ("name" or @ for the default value) and the '=' after
 * it: *i past the '='. */
static ms_code parse_value_name(struct lines *L, unsigned line, const char *s, size_t n,
                                strbuf *name, size_t *i, ms_error *err)
{
    if (s[0] == '@') {
        *i = 1;
    } else {
        const char *why = NULL;
        *i = parse_quoted(s, n, name, &why);
        if (!*i)
            return syntax(err, L, line, why);
        if (name->len == 0)
            return syntax(err, L, line, "empty value name \"\" (the default value is written @)");
    }
    while (*i < n && is_space(s[*i]))
        (*i)++;
    if (*i >= n || s[*i] != '=')
        return syntax(err, L, line, "expected = after the value name");
    (*i)++;
    return MS_OK;
}

static ms_code parse_value(struct lines *L, regfile *rf, const char *key, bool key_deleted,
                           const char *s, size_t n, ms_error *err)
{
    unsigned line = L->lineno;
    if (!key)
        return syntax(err, L, line, "a value before the first [key]");
    if (key_deleted)
        return syntax(err, L, line, "a value under a [-key] that is being deleted");
    strbuf name;
    strbuf_init(&name);
    size_t i = 0;
    ms_code rc = parse_value_name(L, line, s, n, &name, &i, err);
    if (rc != MS_OK)
        goto out;
    const char *d = s + i;
    size_t dn = n - i;
    trim(&d, &dn);
    if (!dn) {
        rc = syntax(err, L, line, "no data after =");
        goto out;
    }
    regfile_op *op = add_op(rf, REGFILE_VALUE, line);
    if (!op) {
        rc = ms_fail(err, MS_ERR_NOMEM, NULL);
        goto out;
    }
    op->key = ms_strndup(key, strlen(key));
    op->name = name.len ? strbuf_detach(&name, NULL) : ms_strndup("", 0);
    if (!op->key || !op->name) {
        rc = ms_fail(err, MS_ERR_NOMEM, NULL);
        goto out;
    }
    rc = parse_data(L, line, d, dn, op, err);
    if (rc == MS_OK && op->data.oom)
        rc = ms_fail(err, MS_ERR_NOMEM, NULL);
out:
    strbuf_free(&name);
    return rc;
}

static void free_ops(regfile *rf)
{
    for (size_t i = 0; i < rf->count; i++) {
        free(rf->ops[i].key);
        free(rf->ops[i].name);
        strbuf_free(&rf->ops[i].data);
    }
    free(rf->ops);
    rf->ops = NULL;
    rf->count = rf->cap = 0;
}

void regfile_free(regfile *rf)
{
    free_ops(rf);
}

/* Line number of byte offset off in text. */
static unsigned line_of(const char *text, size_t off)
{
    unsigned line = 1;
    for (size_t i = 0; i < off; i++)
        if (text[i] == '\n')
            line++;
    return line;
}

static ms_code parse_text(const char *text, size_t len, const char *source, regfile *rf,
                          ms_error *err)
{
    struct lines L = {text, len, 0, 0, source};
    const char *s;
    size_t n;
    if (!next_line(&L, &s, &n))
        return ms_fail(err, MS_ERR_REGFILE_HEADER, "%s: the file is empty", source);
    trim(&s, &n);
    if (n == strlen(hdr_v5) && memcmp(s, hdr_v5, n) == 0) {
        /* format set by the caller (UTF-16 or UTF-8) */
    } else if (n == strlen(hdr_v4) && memcmp(s, hdr_v4, n) == 0) {
        rf->format = REGFILE_V4;
    } else {
        return ms_fail(err, MS_ERR_REGFILE_HEADER, "%s:1", source);
    }
    char *key = NULL;
    bool key_deleted = false;
    ms_code rc = MS_OK;
    while (rc == MS_OK && next_line(&L, &s, &n)) {
        trim(&s, &n);
        if (!n || s[0] == ';')
            continue;
        if (s[0] == '[') {
            if (s[n - 1] != ']') {
                rc = syntax(err, &L, L.lineno, "a [key] line must end with ]");
                break;
            }
            bool del = n > 1 && s[1] == '-';
            const char *k = s + (del ? 2 : 1);
            size_t kn = n - (del ? 3 : 2);
            const char *why = check_key_path(k, kn);
            if (why) {
                rc = syntax(err, &L, L.lineno, why);
                break;
            }
            free(key);
            key = ms_strndup(k, kn);
            regfile_op *op = key ? add_op(rf, del ? REGFILE_DELETE_KEY : REGFILE_KEY, L.lineno)
                                 : NULL;
            if (!op || !(op->key = ms_strndup(key, strlen(key)))) {
                rc = ms_fail(err, MS_ERR_NOMEM, NULL);
                break;
            }
            key_deleted = del;
        } else if (s[0] == '"' || s[0] == '@') {
            rc = parse_value(&L, rf, key, key_deleted, s, n, err);
        } else {
            rc = syntax(err, &L, L.lineno,
                        "expected [key], \"name\"=data, @=data or a ; comment");
        }
    }
    free(key);
    return rc;
}

ms_code regfile_parse(const void *data, size_t len, const char *source, regfile *out,
                      ms_error *err)
{
    memset(out, 0, sizeof *out);
    const unsigned char *p = data;
    strbuf text;
    strbuf_init(&text);
    const char *t;
    size_t tn;
    if (len >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF))) {
        bool be = p[0] == 0xFE;
        size_t bad_at = 0;
        if (!utf16_to_utf8(p + 2, len - 2, be, &text, &bad_at)) {
            /* Count the line in the part that did convert. */
            unsigned line = line_of(text.buf, text.len);
            strbuf_free(&text);
            return ms_fail(err, MS_ERR_REGFILE_ENCODING, "%s:%u: invalid UTF-16 (byte %zu)",
                           source, line, bad_at + 2);
        }
        if (text.oom) {
            strbuf_free(&text);
            return ms_fail(err, MS_ERR_NOMEM, NULL);
        }
        out->format = REGFILE_V5_UTF16;
        t = text.buf;
        tn = text.len;
    } else {
        t = data;
        tn = len;
        if (tn >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
            t += 3, tn -= 3;
        size_t bad_at = 0;
        if (!utf16_utf8_valid(t, tn, &bad_at))
            return ms_fail(err, MS_ERR_REGFILE_ENCODING,
                           "%s:%u: bytes that are not UTF-8 (save it from regedit as a Unicode "
                           ".reg file)",
                           source, line_of(t, bad_at));
        out->format = REGFILE_V5_UTF8;
    }
    if (memchr(t, '\0', tn)) {
        unsigned line = line_of(t, (size_t)((const char *)memchr(t, '\0', tn) - t));
        strbuf_free(&text);
        return ms_fail(err, MS_ERR_REGFILE_ENCODING, "%s:%u: a NUL character in the text", source,
                       line);
    }
    ms_code rc = parse_text(t, tn, source, out, err);
    strbuf_free(&text);
    if (rc != MS_OK)
        free_ops(out);
    return rc;
}

ms_code regfile_load(const char *path, regfile *out, ms_error *err)
{
    memset(out, 0, sizeof *out);
    strbuf sb;
    strbuf_init(&sb);
    ms_code rc = ms_file_read(path, REGFILE_MAX_SIZE, &sb, err);
    if (rc != MS_OK)
        goto out;
    if (sb.oom) {
        rc = ms_fail(err, MS_ERR_NOMEM, NULL);
        goto out;
    }
    rc = regfile_parse(sb.buf, sb.len, path, out, err);
out:
    strbuf_free(&sb);
    return rc;
}

/* ---- writing */

void regfile_write_header(strbuf *out)
{
    strbuf_addstr(out, hdr_v5);
    strbuf_addch(out, '\n');
}

void regfile_write_key(strbuf *out, const char *key)
{
    strbuf_addf(out, "\n[%s]\n", key);
}

void regfile_write_delete_key(strbuf *out, const char *key)
{
    strbuf_addf(out, "\n[-%s]\n", key);
}

static void write_quoted(strbuf *out, const char *s, size_t n)
{
    strbuf_addch(out, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' || s[i] == '"')
            strbuf_addch(out, '\\');
        strbuf_addch(out, s[i]);
    }
    strbuf_addch(out, '"');
}

static void write_name(strbuf *out, const char *name)
{
    if (!name[0])
        strbuf_addch(out, '@');
    else
        write_quoted(out, name, strlen(name));
    strbuf_addch(out, '=');
}

/* Is data clean UTF-16LE text with exactly one NUL, at the end, and no
 * line breaks (which a "..." string cannot hold)? Appends its UTF-8. */
static bool as_text(const void *data, size_t len, strbuf *utf8)
{
    const unsigned char *p = data;
    if (len < 2 || len % 2 || p[len - 1] || p[len - 2])
        return false;
    for (size_t i = 0; i + 2 < len; i += 2) {
        unsigned u = (unsigned)(p[i] | p[i + 1] << 8);
        if (u == 0 || u == '\r' || u == '\n')
            return false;
    }
    return utf16_to_utf8(p, len - 2, false, utf8, NULL);
}

void regfile_write_value(strbuf *out, const char *name, uint32_t type, const void *data,
                         size_t len)
{
    size_t line_start = out->len;
    write_name(out, name);
    const unsigned char *p = data;
    if (type == MS_REG_SZ) {
        strbuf text;
        strbuf_init(&text);
        bool ok = as_text(data, len, &text);
        if (ok)
            write_quoted(out, text.buf, text.len);
        strbuf_free(&text);
        if (ok) {
            strbuf_addch(out, '\n');
            return;
        }
    }
    if (type == MS_REG_DWORD && len == 4) {
        strbuf_addf(out, "dword:%02x%02x%02x%02x\n", p[3], p[2], p[1], p[0]);
        return;
    }
    if (type == MS_REG_BINARY)
        strbuf_addstr(out, "hex:");
    else
        strbuf_addf(out, "hex(%lx):", (unsigned long)type);
    for (size_t i = 0; i < len; i++) {
        strbuf_addf(out, "%02x", p[i]);
        if (i + 1 < len) {
            strbuf_addch(out, ',');
            /* regedit keeps lines within 80 columns, continuing with "\". */
            if (out->len - line_start > 75) {
                strbuf_addstr(out, "\\\n  ");
                line_start = out->len - 2;
            }
        }
    }
    strbuf_addch(out, '\n');
}

void regfile_write_delete_value(strbuf *out, const char *name)
{
    write_name(out, name);
    strbuf_addstr(out, "-\n");
}

bool regfile_to_utf16(const char *text, size_t len, strbuf *out)
{
    strbuf crlf;
    strbuf_init(&crlf);
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r'))
            strbuf_addch(&crlf, '\r');
        strbuf_addch(&crlf, text[i]);
    }
    strbuf_add(out, "\xFF\xFE", 2);
    bool ok = !crlf.oom && utf16_from_utf8(crlf.buf, crlf.len, false, out);
    strbuf_free(&crlf);
    return ok && !out->oom;
}
