/* prefs: Mozilla prefs.js parser and byte-keeping editor; see prefs.h.
 *
 * The tokenizer follows Mozilla's Rust prefs parser token by token (char
 * classes, keywords, integer rules, escapes) so that whatever we accept,
 * Mozilla accepts the same way; where Mozilla recovers from an error we stop
 * and report it. */
#include "prefs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf16.h"

struct prefs_stmt {
    size_t start, end;   /* [start, end): keyword .. ';' */
    size_t vstart, vend; /* the value: literal, keyword, or sign .. digits */
    size_t name_off;     /* unescaped name in names (NUL-terminated) */
    size_t name_len;
    int32_t num;
    unsigned char kind, type;
};

struct prefs_file {
    strbuf text;
    strbuf names;
    struct prefs_stmt *st;
    size_t n, cap;
    size_t *hash; /* index + 1 of the last user_pref per name; 0 = empty */
    size_t hcap;  /* power of two, or 0 */
    char eol[3];
};

/* ---- tokens */

enum tok {
    T_EOF,
    T_LPAREN,
    T_RPAREN,
    T_COMMA,
    T_SEMI,
    T_PLUS,
    T_MINUS,
    T_USER_PREF,
    T_PREF,
    T_STICKY_PREF,
    T_LOCK_PREF,
    T_TRUE,
    T_FALSE,
    T_STICKY,
    T_LOCKED,
    T_STRING,
    T_INT,
    T_ERROR,
};

typedef struct lexer {
    const unsigned char *s;
    size_t len, i;
    size_t tstart, tend; /* the last token */
    uint32_t ival;       /* T_INT */
    strbuf *str;         /* T_STRING: unescaped bytes (may be NULL) */
    ms_code ecode;       /* T_ERROR */
    size_t eoff;
} lexer;

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\n' || c == '\r';
}

static bool is_word(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* n hex digits at s[i..]; -1 when missing. */
static long hex_at(const unsigned char *s, size_t len, size_t i, int n)
{
    long v = 0;
    for (int k = 0; k < n; k++) {
        if (i + (size_t)k >= len)
            return -1;
        int h = ms_hexval(s[i + (size_t)k]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* A string literal whose opening quote is at s[open]. Appends the unescaped
 * bytes to out (if not NULL) and sets *end past the closing quote. */
/* The \uXXXX escape whose hex digits start at s[*i] (a high surrogate
 * with the \uXXXX of its low one): its code point, *i past it; 0 when
 * malformed, \u0000, or a surrogate alone. */
static unsigned long scan_unicode(const unsigned char *s, size_t len, size_t *i)
{
    long v = hex_at(s, len, *i, 4);
    if (v <= 0)
        return 0;
    *i += 4;
    unsigned long cp = (unsigned long)v;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        long lo = -1;
        if (*i + 1 < len && s[*i] == '\\' && s[*i + 1] == 'u')
            lo = hex_at(s, len, *i + 2, 4);
        if (lo < 0xDC00 || lo > 0xDFFF)
            return 0;
        *i += 6;
        return 0x10000 + ((cp - 0xD800) << 10) + ((unsigned long)lo - 0xDC00);
    }
    if (cp >= 0xDC00 && cp <= 0xDFFF)
        return 0; /* a low surrogate alone */
    return cp;
}

/* The escape whose backslash is at s[esc] (a byte follows it): appends
 * what it stands for to out (if not NULL) and sets *i past it; false for
 * one Mozilla refuses (\t, \0, \b..., \x00, a malformed \x or \u). */
static bool scan_escape(const unsigned char *s, size_t len, size_t esc, strbuf *out, size_t *i)
{
    unsigned char e = s[esc + 1], ch;
    *i = esc + 2;
    switch (e) {
    case '"':
    case '\'':
    case '\\':
        ch = e;
        break;
    case 'n':
        ch = '\n';
        break;
    case 'r':
        ch = '\r';
        break;
    case 'x': {
        long v = hex_at(s, len, *i, 2);
        if (v <= 0)
            return false;
        ch = (unsigned char)v;
        *i += 2;
        break;
    }
    case 'u': {
        unsigned long cp = scan_unicode(s, len, i);
        if (!cp)
            return false;
        if (out)
            utf16_utf8_put(out, cp);
        return true;
    }
    default:
        return false;
    }
    if (out)
        strbuf_addch(out, (char)ch);
    return true;
}

/* A string literal whose opening quote is at s[open]. Appends the unescaped
 * bytes to out (if not NULL) and sets *end past the closing quote. */
static ms_code scan_string(const unsigned char *s, size_t len, size_t open, strbuf *out,
                           size_t *end, size_t *bad)
{
    unsigned char q = s[open];
    size_t i = open + 1;
    size_t run = i; /* start of bytes not yet copied */
    for (;;) {
        if (i >= len) {
            *bad = open;
            return MS_ERR_PREFS_STRING_END;
        }
        unsigned char c = s[i];
        if (c == q) {
            if (out)
                strbuf_add(out, s + run, i - run);
            *end = i + 1;
            return MS_OK;
        }
        if (c == '\0') {
            *bad = i;
            return MS_ERR_PREFS_NUL;
        }
        if (c != '\\') {
            i++; /* raw bytes, line ends included, are the value */
            continue;
        }
        if (out)
            strbuf_add(out, s + run, i - run);
        if (i + 1 >= len) {
            *bad = open;
            return MS_ERR_PREFS_STRING_END;
        }
        size_t esc = i;
        if (!scan_escape(s, len, esc, out, &i)) {
            *bad = esc;
            return MS_ERR_PREFS_ESCAPE;
        }
        run = i;
    }
}

static enum tok lex_fail(lexer *lx, ms_code code, size_t off)
{
    lx->ecode = code;
    lx->eoff = off;
    return T_ERROR;
}

static const struct {
    const char *word;
    size_t len;
    enum tok tok;
} keywords[] = {
    {"pref", 4, T_PREF},         {"true", 4, T_TRUE},       {"false", 5, T_FALSE},
    {"user_pref", 9, T_USER_PREF}, {"sticky", 6, T_STICKY},   {"locked", 6, T_LOCKED},
    {"sticky_pref", 11, T_STICKY_PREF}, {"lockPref", 8, T_LOCK_PREF},
};

/* The one-byte token c is, or T_EOF when it is none. */
static enum tok punct(unsigned char c)
{
    static const char chars[] = "(),;+-";
    static const enum tok toks[] = {T_LPAREN, T_RPAREN, T_COMMA, T_SEMI, T_PLUS, T_MINUS};
    const char *p = c ? strchr(chars, c) : NULL;
    return p ? toks[p - chars] : T_EOF;
}

/* Skips to the line end from lx->i; false (lexer failed) at a NUL. */
static bool skip_line(lexer *lx)
{
    while (lx->i < lx->len && lx->s[lx->i] != '\n' && lx->s[lx->i] != '\r') {
        if (lx->s[lx->i] == '\0') {
            lex_fail(lx, MS_ERR_PREFS_NUL, lx->i);
            return false;
        }
        lx->i++;
    }
    return true;
}

/* Skips the comment at s[i] ('#' or '//' to the line end, or a block);
 * false (lexer failed) when it is malformed or a lone '/'. */
static bool skip_comment(lexer *lx, size_t i)
{
    const unsigned char *s = lx->s;
    size_t len = lx->len;
    if (s[i] == '#')
        return skip_line(lx);
    if (i + 1 < len && s[i + 1] == '/') {
        lx->i = i + 2;
        return skip_line(lx);
    }
    if (!(i + 1 < len && s[i + 1] == '*')) {
        lex_fail(lx, MS_ERR_PREFS_CHAR, i);
        return false;
    }
    size_t j = i + 2;
    for (;;) {
        if (j + 1 >= len) {
            lex_fail(lx, MS_ERR_PREFS_COMMENT_END, i);
            return false;
        }
        if (s[j] == '\0') {
            lex_fail(lx, MS_ERR_PREFS_NUL, j);
            return false;
        }
        if (s[j] == '*' && s[j + 1] == '/')
            break;
        j++;
    }
    lx->i = j + 2;
    return true;
}

/* A keyword starting at s[i]. */
static enum tok lex_word(lexer *lx, size_t i)
{
    size_t j = i;
    while (j < lx->len && is_word(lx->s[j]))
        j++;
    lx->i = lx->tend = j;
    for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++)
        if (keywords[k].len == j - i && memcmp(lx->s + i, keywords[k].word, j - i) == 0)
            return keywords[k].tok;
    return lex_fail(lx, MS_ERR_PREFS_KEYWORD, i);
}

/* A decimal number starting at s[i], at most UINT32_MAX. */
static enum tok lex_number(lexer *lx, size_t i)
{
    const unsigned char *s = lx->s;
    uint64_t v = 0;
    size_t j = i;
    bool over = false;
    while (j < lx->len && is_digit(s[j])) {
        v = v * 10 + (uint64_t)(s[j] - '0');
        if (v > UINT32_MAX) {
            over = true;
            v = UINT32_MAX; /* keep scanning the digits */
        }
        j++;
    }
    if (j < lx->len && is_word(s[j])) /* 123abc */
        return lex_fail(lx, MS_ERR_PREFS_NUMBER, i);
    if (over)
        return lex_fail(lx, MS_ERR_PREFS_NUMBER, i);
    lx->ival = (uint32_t)v;
    lx->i = lx->tend = j;
    return T_INT;
}

/* A string literal whose quote is at s[i], unescaped into lx->str. */
static enum tok lex_string(lexer *lx, size_t i)
{
    size_t end = 0, bad = 0;
    if (lx->str)
        strbuf_reset(lx->str);
    ms_code rc = scan_string(lx->s, lx->len, i, lx->str, &end, &bad);
    if (rc != MS_OK)
        return lex_fail(lx, rc, bad);
    lx->i = lx->tend = end;
    return T_STRING;
}

static enum tok lex_next(lexer *lx)
{
    for (;;) {
        size_t i = lx->i;
        if (i >= lx->len) {
            lx->tstart = lx->tend = lx->len;
            return T_EOF;
        }
        unsigned char c = lx->s[i];
        lx->tstart = i;
        if (is_space(c)) {
            lx->i++;
            continue;
        }
        enum tok t = punct(c);
        if (t != T_EOF) {
            lx->i++, lx->tend = lx->i;
            return t;
        }
        if (c == '#' || c == '/') {
            if (!skip_comment(lx, i))
                return T_ERROR;
            continue;
        }
        if (c == '"' || c == '\'')
            return lex_string(lx, i);
        if (c == '\0')
            return lex_fail(lx, MS_ERR_PREFS_NUL, i);
        if (is_word(c))
            return lex_word(lx, i);
        if (is_digit(c))
            return lex_number(lx, i);
        return lex_fail(lx, MS_ERR_PREFS_CHAR, i);
    }
}

/* ---- positions and errors */

static prefs_where where_of(const unsigned char *s, size_t len, size_t off)
{
    prefs_where w = {1, 1, off};
    size_t line_start = 0;
    if (off > len)
        off = len;
    for (size_t i = 0; i < off; i++) {
        if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= len || s[i + 1] != '\n'))) {
            w.line++;
            line_start = i + 1;
        }
    }
    unsigned col = 1;
    for (size_t i = line_start; i < off; i++)
        if ((s[i] & 0xC0) != 0x80 && s[i] != '\r')
            col++;
    w.col = col;
    return w;
}

static ms_code parse_fail(const unsigned char *s, size_t len, ms_code code, size_t off,
                          prefs_where *where, ms_error *err)
{
    prefs_where w = where_of(s, len, off);
    if (where)
        *where = w;
    if (off < len && (code == MS_ERR_PREFS_KEYWORD || code == MS_ERR_PREFS_NUMBER)) {
        size_t n = 0;
        while (off + n < len && n < 32 && (is_word(s[off + n]) || is_digit(s[off + n])))
            n++;
        return ms_fail(err, code, "%u:%u %.*s", w.line, w.col, (int)n, (const char *)s + off);
    }
    if (off < len && code == MS_ERR_PREFS_CHAR) {
        unsigned char c = s[off];
        if (c > 0x20 && c < 0x7F)
            return ms_fail(err, code, "%u:%u '%c'", w.line, w.col, c);
        return ms_fail(err, code, "%u:%u 0x%02X", w.line, w.col, (unsigned)c);
    }
    return ms_fail(err, code, "%u:%u", w.line, w.col);
}

/* ---- the name index */

static size_t hash_name(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return (size_t)h;
}

static const char *stmt_name(const prefs_file *pf, const struct prefs_stmt *st)
{
    return pf->names.buf + st->name_off;
}

static bool hash_put(prefs_file *pf, size_t idx)
{
    const struct prefs_stmt *st = &pf->st[idx];
    size_t mask = pf->hcap - 1;
    size_t h = hash_name(stmt_name(pf, st), st->name_len) & mask;
    for (;;) {
        size_t cur = pf->hash[h];
        if (cur == 0) {
            pf->hash[h] = idx + 1;
            return true;
        }
        const struct prefs_stmt *o = &pf->st[cur - 1];
        if (o->name_len == st->name_len &&
            memcmp(stmt_name(pf, o), stmt_name(pf, st), st->name_len) == 0) {
            pf->hash[h] = idx + 1; /* later statements win */
            return true;
        }
        h = (h + 1) & mask;
    }
}

static bool hash_rebuild(prefs_file *pf)
{
    size_t want = 16;
    while (want < pf->n * 2 + 2)
        want *= 2;
    size_t *nh = calloc(want, sizeof *nh);
    if (!nh)
        return false;
    free(pf->hash);
    pf->hash = nh;
    pf->hcap = want;
    for (size_t i = 0; i < pf->n; i++)
        if (pf->st[i].kind == PREFS_USER_PREF)
            hash_put(pf, i);
    return true;
}

static const struct prefs_stmt *find(const prefs_file *pf, const char *name)
{
    if (!pf || !name || !pf->hcap)
        return NULL;
    size_t n = strlen(name);
    size_t mask = pf->hcap - 1;
    size_t h = hash_name(name, n) & mask;
    for (;;) {
        size_t cur = pf->hash[h];
        if (cur == 0)
            return NULL;
        const struct prefs_stmt *o = &pf->st[cur - 1];
        if (o->name_len == n && memcmp(stmt_name(pf, o), name, n) == 0)
            return o;
        h = (h + 1) & mask;
    }
}

/* ---- parsing */

static bool stmt_push(prefs_file *pf, const struct prefs_stmt *st)
{
    if (pf->n == pf->cap) {
        size_t nc = pf->cap ? pf->cap * 2 : 64;
        struct prefs_stmt *ns = realloc(pf->st, nc * sizeof *ns);
        if (!ns)
            return false;
        pf->st = ns;
        pf->cap = nc;
    }
    pf->st[pf->n++] = *st;
    return true;
}

static void detect_eol(prefs_file *pf)
{
    const char *s = pf->text.buf;
    size_t n = pf->text.len;
    strcpy(pf->eol, "\r\n");
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n') {
            strcpy(pf->eol, "\n");
            return;
        }
        if (s[i] == '\r') {
            strcpy(pf->eol, i + 1 < n && s[i + 1] == '\n' ? "\r\n" : "\r");
            return;
        }
    }
}

void prefs_free(prefs_file *pf)
{
    if (!pf)
        return;
    strbuf_free(&pf->text);
    strbuf_free(&pf->names);
    free(pf->st);
    free(pf->hash);
    free(pf);
}

ms_code prefs_parse(const char *buf, size_t len, prefs_file **out, ms_error *err)
{
    return prefs_parse_at(buf, len, out, NULL, err);
}

/* Where and why parsing stopped. */
typedef struct parse_err {
    ms_code rc;
    size_t off;
} parse_err;

static bool fail_at(parse_err *pe, ms_code rc, size_t off)
{
    pe->rc = rc;
    pe->off = off;
    return false;
}

/* Token t is not one wanted here: the lexer's error, or code at t. */
static bool unexpected(const lexer *lx, enum tok t, ms_code code, parse_err *pe)
{
    return t == T_ERROR ? fail_at(pe, lx->ecode, lx->eoff) : fail_at(pe, code, lx->tstart);
}

/* The next token is want; otherwise code at it. */
static bool expect(lexer *lx, enum tok want, ms_code code, parse_err *pe)
{
    enum tok t = lex_next(lx);
    return t == want || unexpected(lx, t, code, pe);
}

/* The statement kind keyword t starts, or false for any other token. */
static bool stmt_kind(enum tok t, unsigned char *kind)
{
    switch (t) {
    case T_USER_PREF:
        *kind = PREFS_USER_PREF;
        return true;
    case T_PREF:
        *kind = PREFS_PREF;
        return true;
    case T_STICKY_PREF:
        *kind = PREFS_STICKY_PREF;
        return true;
    case T_LOCK_PREF:
        *kind = PREFS_LOCK_PREF;
        return true;
    default:
        return false;
    }
}

/* An integer with its sign token (T_PLUS or T_MINUS) read: -2^31..2^31-1. */
static bool parse_signed(lexer *lx, enum tok sign, struct prefs_stmt *st, parse_err *pe)
{
    enum tok t = lex_next(lx);
    if (t != T_INT)
        return unexpected(lx, t, MS_ERR_PREFS_EXPECT_VALUE, pe);
    if (sign == T_MINUS && lx->ival == (uint32_t)INT32_MAX + 1u)
        st->num = INT32_MIN;
    else if (lx->ival > INT32_MAX)
        return fail_at(pe, MS_ERR_PREFS_NUMBER, lx->tstart);
    else
        st->num = sign == T_MINUS ? -(int32_t)lx->ival : (int32_t)lx->ival;
    st->type = PREFS_INT;
    return true;
}

/* The value: true, false, a string literal or a 32-bit integer. */
static bool parse_value(lexer *lx, struct prefs_stmt *st, parse_err *pe)
{
    enum tok t = lex_next(lx);
    st->vstart = lx->tstart;
    switch (t) {
    case T_TRUE:
    case T_FALSE:
        st->type = PREFS_BOOL;
        st->num = t == T_TRUE;
        return true;
    case T_STRING:
        st->type = PREFS_STRING;
        return true;
    case T_INT:
        if (lx->ival > INT32_MAX)
            return fail_at(pe, MS_ERR_PREFS_NUMBER, lx->tstart);
        st->type = PREFS_INT;
        st->num = (int32_t)lx->ival;
        return true;
    case T_PLUS:
    case T_MINUS:
        return parse_signed(lx, t, st, pe);
    default:
        return unexpected(lx, t, MS_ERR_PREFS_EXPECT_VALUE, pe);
    }
}

/* One statement 'user_pref("name", value);' from its first token t; the
 * unescaped name goes to pf->names (through scratch). */
static bool parse_stmt(lexer *lx, enum tok t, prefs_file *pf, strbuf *scratch,
                       struct prefs_stmt *st, parse_err *pe)
{
    st->start = lx->tstart;
    if (!stmt_kind(t, &st->kind))
        return unexpected(lx, t, MS_ERR_PREFS_EXPECT_SPEC, pe);
    if (!expect(lx, T_LPAREN, MS_ERR_PREFS_EXPECT_OPEN, pe))
        return false;
    lx->str = scratch;
    t = lex_next(lx);
    lx->str = NULL;
    if (t != T_STRING)
        return unexpected(lx, t, MS_ERR_PREFS_EXPECT_NAME, pe);
    st->name_off = pf->names.len;
    st->name_len = scratch->len;
    strbuf_add(&pf->names, scratch->buf, scratch->len);
    strbuf_addch(&pf->names, '\0');
    if (!expect(lx, T_COMMA, MS_ERR_PREFS_EXPECT_COMMA, pe) || !parse_value(lx, st, pe))
        return false;
    st->vend = lx->tend;
    /* prefs.js is a user prefs file: no ", sticky" / ", locked" here. */
    if (!expect(lx, T_RPAREN, MS_ERR_PREFS_EXPECT_CLOSE, pe) ||
        !expect(lx, T_SEMI, MS_ERR_PREFS_EXPECT_SEMI, pe))
        return false;
    st->end = lx->tend;
    return true;
}

ms_code prefs_parse_at(const char *buf, size_t len, prefs_file **out, prefs_where *where,
                       ms_error *err)
{
    *out = NULL;
    if (where)
        *where = (prefs_where){0, 0, 0};
    if (len > PREFS_MAX_BYTES)
        return ms_fail(err, MS_ERR_PREFS_TOO_LARGE, "%zu > %zu bytes", len, PREFS_MAX_BYTES);
    const unsigned char *s = (const unsigned char *)(buf ? buf : "");
    prefs_file *pf = calloc(1, sizeof *pf);
    if (!pf)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    strbuf_init(&pf->text);
    strbuf_init(&pf->names);
    strbuf scratch;
    strbuf_init(&scratch);
    parse_err pe = {MS_OK, 0};
    lexer lx = {.s = s, .len = len, .i = 0};
    /* Mozilla strips a UTF-8 byte order mark before parsing. */
    if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
        lx.i = 3;
    for (;;) {
        lx.str = NULL;
        enum tok t = lex_next(&lx);
        if (t == T_EOF)
            break;
        struct prefs_stmt st = {0};
        if (!parse_stmt(&lx, t, pf, &scratch, &st, &pe))
            goto out;
        if (!stmt_push(pf, &st)) {
            pe.rc = MS_ERR_NOMEM;
            goto out;
        }
    }
    strbuf_add(&pf->text, s, len);
    if (pf->text.oom || pf->names.oom || scratch.oom || !hash_rebuild(pf)) {
        pe.rc = MS_ERR_NOMEM;
        goto out;
    }
    detect_eol(pf);
    *out = pf;
    pf = NULL;
    ms_error_clear(err);
out:
    strbuf_free(&scratch);
    prefs_free(pf);
    if (pe.rc == MS_OK)
        return MS_OK;
    if (pe.rc == MS_ERR_NOMEM)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    return parse_fail(s, len, pe.rc, pe.off, where, err);
}

/* ---- reading */

void prefs_serialize(const prefs_file *pf, strbuf *out)
{
    if (pf)
        strbuf_add(out, pf->text.buf, pf->text.len);
}

const char *prefs_data(const prefs_file *pf, size_t *len)
{
    *len = pf->text.len;
    return pf->text.buf;
}

const char *prefs_newline(const prefs_file *pf)
{
    return pf->eol;
}

bool prefs_has(const prefs_file *pf, const char *name)
{
    return find(pf, name) != NULL;
}

bool prefs_type_of(const prefs_file *pf, const char *name, prefs_type *type)
{
    const struct prefs_stmt *st = find(pf, name);
    if (st && type)
        *type = (prefs_type)st->type;
    return st != NULL;
}

static const struct prefs_stmt *lookup(const prefs_file *pf, const char *name, prefs_type want,
                                       bool *found, ms_code *rc, ms_error *err)
{
    const struct prefs_stmt *st = find(pf, name);
    if (found)
        *found = st != NULL;
    *rc = MS_OK;
    if (st && st->type != want) {
        *rc = ms_fail(err, MS_ERR_PREFS_TYPE, "%s", name);
        return NULL;
    }
    return st;
}

ms_code prefs_get_string(const prefs_file *pf, const char *name, strbuf *out, bool *found,
                         ms_error *err)
{
    ms_code rc;
    const struct prefs_stmt *st = lookup(pf, name, PREFS_STRING, found, &rc, err);
    if (!st)
        return rc;
    size_t old = out->len, end = 0, bad = 0;
    const unsigned char *s = (const unsigned char *)pf->text.buf;
    rc = scan_string(s, pf->text.len, st->vstart, out, &end, &bad);
    if (rc == MS_OK && out->oom)
        rc = MS_ERR_NOMEM;
    if (rc == MS_OK && !prefs_utf8_valid(out->buf + old, out->len - old))
        rc = MS_ERR_PREFS_UTF8;
    if (rc != MS_OK) {
        out->len = old;
        if (out->cap)
            out->buf[old] = '\0';
        if (found)
            *found = false;
        if (rc == MS_ERR_NOMEM)
            return ms_fail(err, rc, NULL);
        prefs_where w = where_of(s, pf->text.len, st->vstart);
        return ms_fail(err, rc, "%u:%u %s", w.line, w.col, name);
    }
    return MS_OK;
}

ms_code prefs_get_int(const prefs_file *pf, const char *name, int32_t *out, bool *found,
                      ms_error *err)
{
    ms_code rc;
    const struct prefs_stmt *st = lookup(pf, name, PREFS_INT, found, &rc, err);
    if (st)
        *out = st->num;
    return rc;
}

ms_code prefs_get_bool(const prefs_file *pf, const char *name, bool *out, bool *found,
                       ms_error *err)
{
    ms_code rc;
    const struct prefs_stmt *st = lookup(pf, name, PREFS_BOOL, found, &rc, err);
    if (st)
        *out = st->num != 0;
    return rc;
}

size_t prefs_count(const prefs_file *pf)
{
    return pf ? pf->n : 0;
}

bool prefs_entry_at(const prefs_file *pf, size_t i, prefs_entry *e)
{
    if (!pf || i >= pf->n)
        return false;
    const struct prefs_stmt *st = &pf->st[i];
    e->kind = (prefs_kind)st->kind;
    e->type = (prefs_type)st->type;
    e->name = stmt_name(pf, st);
    e->name_len = st->name_len;
    e->offset = st->start;
    e->length = st->end - st->start;
    e->num = st->num;
    return true;
}

/* ---- escaping */

void prefs_escape(const char *s, size_t n, strbuf *out)
{
    strbuf_addch(out, '"');
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        const char *rep = NULL;
        switch (s[i]) {
        case '\n':
            rep = "\\n";
            break;
        case '\r':
            rep = "\\r";
            break;
        case '\\':
            rep = "\\\\";
            break;
        case '"':
            rep = "\\\"";
            break;
        default:
            continue;
        }
        strbuf_add(out, s + run, i - run);
        strbuf_addstr(out, rep);
        run = i + 1;
    }
    strbuf_add(out, s + run, n - run);
    strbuf_addch(out, '"');
}

ms_code prefs_unescape(const char *lit, size_t n, strbuf *out, size_t *bad)
{
    size_t end = 0, b = 0;
    const unsigned char *s = (const unsigned char *)lit;
    if (n == 0 || (s[0] != '"' && s[0] != '\'')) {
        if (bad)
            *bad = 0;
        return MS_ERR_PREFS_EXPECT_VALUE;
    }
    ms_code rc = scan_string(s, n, 0, out, &end, &b);
    if (rc == MS_OK && end != n) {
        rc = MS_ERR_PREFS_CHAR;
        b = end;
    }
    if (rc != MS_OK && bad)
        *bad = b;
    return rc;
}

bool prefs_utf8_valid(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        unsigned long cp, min;
        if (c >= 0xC2 && c <= 0xDF)
            need = 1, cp = c & 0x1Fu, min = 0x80;
        else if (c >= 0xE0 && c <= 0xEF)
            need = 2, cp = c & 0x0Fu, min = 0x800;
        else if (c >= 0xF0 && c <= 0xF4)
            need = 3, cp = c & 0x07u, min = 0x10000;
        else
            return false;
        if (n - i <= need)
            return false;
        for (size_t k = 1; k <= need; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3Fu);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += need + 1;
    }
    return true;
}

/* ---- editing */

/* Replaces text[off, off+old) with rep, moving every offset after it. */
static bool splice(prefs_file *pf, size_t off, size_t old, const char *rep, size_t n)
{
    strbuf *t = &pf->text;
    if (n > old && !strbuf_grow(t, n - old))
        return false;
    memmove(t->buf + off + n, t->buf + off + old, t->len - off - old);
    memcpy(t->buf + off, rep, n);
    t->len = t->len - old + n;
    t->buf[t->len] = '\0';
    for (size_t i = 0; i < pf->n; i++) {
        struct prefs_stmt *st = &pf->st[i];
        /* Offsets at or past the end of the replaced range move. */
        if (st->start >= off + old)
            st->start = st->start - old + n;
        if (st->end >= off + old)
            st->end = st->end - old + n;
        if (st->vstart >= off + old)
            st->vstart = st->vstart - old + n;
        if (st->vend >= off + old)
            st->vend = st->vend - old + n;
    }
    return true;
}

static ms_code check_name(const char *name, ms_error *err)
{
    if (!name || !*name)
        return ms_fail(err, MS_ERR_PREFS_BAD_SET, "empty name");
    if (!prefs_utf8_valid(name, strlen(name)))
        return ms_fail(err, MS_ERR_PREFS_BAD_SET, "name is not UTF-8");
    return MS_OK;
}

/* Sets name's value to the literal rep (already escaped) of the given type. */
static ms_code set_value(prefs_file *pf, const char *name, prefs_type type, int32_t num,
                         const char *rep, size_t n, ms_error *err)
{
    const struct prefs_stmt *cst = find(pf, name);
    if (cst) {
        struct prefs_stmt *st = &pf->st[cst - pf->st];
        size_t old = st->vend - st->vstart;
        if (!splice(pf, st->vstart, old, rep, n))
            return ms_fail(err, MS_ERR_NOMEM, NULL);
        st->vend = st->vstart + n;
        st->type = (unsigned char)type;
        st->num = num;
        return MS_OK;
    }

    /* Append a new line: user_pref(<name>, <value>);<eol> */
    strbuf line;
    strbuf_init(&line);
    const char *t = pf->text.buf;
    size_t tl = pf->text.len;
    if (tl && t[tl - 1] != '\n' && t[tl - 1] != '\r')
        strbuf_addstr(&line, pf->eol);
    size_t start = tl + line.len;
    strbuf_addstr(&line, "user_pref(");
    prefs_escape(name, strlen(name), &line);
    strbuf_addstr(&line, ", ");
    size_t vstart = tl + line.len;
    strbuf_add(&line, rep, n);
    strbuf_addstr(&line, ");");
    size_t end = tl + line.len;
    strbuf_addstr(&line, pf->eol);

    struct prefs_stmt st = {0};
    st.kind = PREFS_USER_PREF;
    st.type = (unsigned char)type;
    st.num = num;
    st.start = start;
    st.end = end;
    st.vstart = vstart;
    st.vend = vstart + n;
    st.name_off = pf->names.len;
    st.name_len = strlen(name);
    size_t old_names = pf->names.len, old_text = pf->text.len;
    strbuf_add(&pf->names, name, st.name_len);
    strbuf_addch(&pf->names, '\0');
    strbuf_add(&pf->text, line.buf, line.len);
    bool ok = !line.oom && !pf->names.oom && !pf->text.oom && stmt_push(pf, &st);
    strbuf_free(&line);
    if (ok && pf->n * 2 + 2 > pf->hcap)
        ok = hash_rebuild(pf);
    else if (ok)
        hash_put(pf, pf->n - 1);
    if (!ok) {
        /* Roll back to the file as it was. */
        if (pf->n && pf->st[pf->n - 1].start == start && pf->st[pf->n - 1].name_off == old_names)
            pf->n--;
        pf->names.len = old_names;
        pf->text.len = old_text;
        if (pf->names.cap)
            pf->names.buf[old_names] = '\0';
        if (pf->text.cap)
            pf->text.buf[old_text] = '\0';
        pf->names.oom = pf->text.oom = false;
        hash_rebuild(pf);
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    }
    return MS_OK;
}

ms_code prefs_set_string(prefs_file *pf, const char *name, const char *value, ms_error *err)
{
    ms_code rc = check_name(name, err);
    if (rc != MS_OK)
        return rc;
    if (!value || !prefs_utf8_valid(value, strlen(value)))
        return ms_fail(err, MS_ERR_PREFS_BAD_SET, "%s: value is not UTF-8", name);
    const struct prefs_stmt *st = find(pf, name);
    if (st && st->type == PREFS_STRING) {
        /* Unchanged values keep their bytes (quote style, escapes). */
        strbuf cur;
        strbuf_init(&cur);
        size_t end = 0, bad = 0;
        bool same = scan_string((const unsigned char *)pf->text.buf, pf->text.len, st->vstart,
                                &cur, &end, &bad) == MS_OK &&
                    !cur.oom && cur.len == strlen(value) && memcmp(cur.buf, value, cur.len) == 0;
        strbuf_free(&cur);
        if (same)
            return MS_OK;
    }
    strbuf rep;
    strbuf_init(&rep);
    prefs_escape(value, strlen(value), &rep);
    if (rep.oom) {
        strbuf_free(&rep);
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    }
    rc = set_value(pf, name, PREFS_STRING, 0, rep.buf, rep.len, err);
    strbuf_free(&rep);
    return rc;
}

ms_code prefs_set_int(prefs_file *pf, const char *name, int32_t value, ms_error *err)
{
    ms_code rc = check_name(name, err);
    if (rc != MS_OK)
        return rc;
    const struct prefs_stmt *st = find(pf, name);
    if (st && st->type == PREFS_INT && st->num == value)
        return MS_OK;
    char rep[16];
    int n = snprintf(rep, sizeof rep, "%ld", (long)value);
    return set_value(pf, name, PREFS_INT, value, rep, (size_t)n, err);
}

ms_code prefs_set_bool(prefs_file *pf, const char *name, bool value, ms_error *err)
{
    ms_code rc = check_name(name, err);
    if (rc != MS_OK)
        return rc;
    const struct prefs_stmt *st = find(pf, name);
    if (st && st->type == PREFS_BOOL && (st->num != 0) == value)
        return MS_OK;
    const char *rep = value ? "true" : "false";
    return set_value(pf, name, PREFS_BOOL, value, rep, strlen(rep), err);
}

ms_code prefs_replace(prefs_file *pf, const char *buf, size_t len, ms_error *err)
{
    prefs_file *np = NULL;
    ms_code rc = prefs_parse(buf, len, &np, err);
    if (rc != MS_OK)
        return rc;
    prefs_file tmp = *pf;
    *pf = *np;
    *np = tmp;
    prefs_free(np);
    return MS_OK;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

ms_code prefs_remove(prefs_file *pf, const char *name, bool *removed, ms_error *err)
{
    if (removed)
        *removed = false;
    if (!name)
        return ms_fail(err, MS_ERR_PREFS_BAD_SET, "empty name");
    size_t nlen = strlen(name);
    /* Back to front, so earlier offsets stay valid while removing. */
    for (size_t k = pf->n; k-- > 0;) {
        struct prefs_stmt *st = &pf->st[k];
        if (st->kind != PREFS_USER_PREF || st->name_len != nlen ||
            memcmp(stmt_name(pf, st), name, nlen) != 0)
            continue;
        const char *t = pf->text.buf;
        size_t tl = pf->text.len;
        size_t a = st->start, b = st->end;
        size_t ls = a;
        while (ls > 0 && is_blank(t[ls - 1]))
            ls--;
        size_t le = b;
        while (le < tl && is_blank(t[le]))
            le++;
        bool line_start = ls == 0 || t[ls - 1] == '\n' || t[ls - 1] == '\r';
        bool line_end = le == tl || t[le] == '\n' || t[le] == '\r';
        if (line_start && line_end) {
            a = ls;
            b = le;
            if (b < tl && t[b] == '\r')
                b++;
            if (b < tl && t[b] == '\n' && (b == le || t[b - 1] == '\r'))
                b++;
        }
        size_t cut = b - a;
        memmove(pf->text.buf + a, pf->text.buf + b, tl - b);
        pf->text.len -= cut;
        pf->text.buf[pf->text.len] = '\0';
        memmove(&pf->st[k], &pf->st[k + 1], (pf->n - k - 1) * sizeof *pf->st);
        pf->n--;
        for (size_t i = k; i < pf->n; i++) {
            pf->st[i].start -= cut;
            pf->st[i].end -= cut;
            pf->st[i].vstart -= cut;
            pf->st[i].vend -= cut;
        }
        if (removed)
            *removed = true;
    }
    if (!hash_rebuild(pf))
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    return MS_OK;
}
