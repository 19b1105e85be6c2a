/* oeaccount: strict reader and byte-preserving editor of .oeaccount files;
 * see oeaccount.h. The parser knows just enough XML for this format: an
 * optional declaration, comments and processing instructions, one root
 * element whose children are flat properties (text, character references,
 * CDATA). A DOCTYPE, nested markup in a property, text between properties
 * or anything else unexpected is refused with the line it is on. */
#include "oeaccount.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "platform.h"
#include "utf16.h"

#define ROOT_NAME "MessageAccount"

const char *oeacct_encoding_name(oeacct_encoding e)
{
    switch (e) {
    case OEACCT_UTF8:
        return "UTF-8";
    case OEACCT_UTF8_BOM:
        return "UTF-8 with BOM";
    case OEACCT_UTF16LE_BOM:
        return "UTF-16LE with BOM";
    case OEACCT_UTF16BE_BOM:
        return "UTF-16BE with BOM";
    }
    return "?";
}

static int ascii_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static bool ieq(const char *a, const char *b)
{
    return ms_strcasecmp(a, b) == 0;
}

static bool iprefix(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++)
        if (ascii_lower((unsigned char)*s) != ascii_lower((unsigned char)*prefix))
            return false;
    return true;
}

static bool icontains(const char *s, const char *needle)
{
    for (; *s; s++)
        if (iprefix(s, needle))
            return true;
    return false;
}

static bool isuffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && ieq(s + n - m, suffix);
}

bool oeacct_is_secret(const char *name)
{
    return icontains(name, "password") && !isuffix(name, "_Prompt_for_Password");
}

/* ---- the parser */

struct px {
    const char *t;
    size_t n, i;
    const char *file;
    ms_error *err;
    oeacct_doc *doc;
    size_t line_pos; /* lines counted up to here */
    unsigned line;
    size_t root_open_end;
    bool root_empty;
};

static unsigned line_at(struct px *p, size_t pos)
{
    if (pos < p->line_pos) {
        p->line_pos = 0;
        p->line = 1;
    }
    for (; p->line_pos < pos && p->line_pos < p->n; p->line_pos++)
        if (p->t[p->line_pos] == '\n')
            p->line++;
    return p->line;
}

static ms_code fail_at(struct px *p, size_t pos, const char *fmt, ...) MS_PRINTF(3, 4);
static ms_code fail_at(struct px *p, size_t pos, const char *fmt, ...)
{
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return ms_fail(p->err, MS_ERR_OEACCOUNT_XML, "%s, line %u: %s", p->file, line_at(p, pos),
                   what);
}

static bool at(const struct px *p, const char *s)
{
    size_t m = strlen(s);
    return p->n - p->i >= m && memcmp(p->t + p->i, s, m) == 0;
}

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void skip_ws(struct px *p)
{
    while (p->i < p->n && is_ws(p->t[p->i]))
        p->i++;
}

static bool name_start(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == ':' || c >= 0x80;
}

static bool name_char(unsigned char c)
{
    return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

/* Reads a Name at p->i into [*s, *e). */
static ms_code read_name(struct px *p, size_t *s, size_t *e)
{
    if (p->i >= p->n || !name_start((unsigned char)p->t[p->i]))
        return fail_at(p, p->i, "a name was expected");
    *s = p->i;
    while (p->i < p->n && name_char((unsigned char)p->t[p->i]))
        p->i++;
    *e = p->i;
    return MS_OK;
}

static bool xml_char(unsigned long c)
{
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
           (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

/* A reference at p->i ('&'): checks it and appends its character to out
 * (when out is not NULL). */
/* The character reference r[0, len) ("#NNN" or "#xHH"): its code point,
 * which XML must allow. */
static ms_code char_ref(struct px *p, size_t start, const char *r, size_t len, unsigned long *cp)
{
    bool hex = r[1] == 'x';
    size_t k = hex ? 2 : 1;
    if (k >= len)
        return fail_at(p, start, "empty character reference");
    *cp = 0;
    for (; k < len; k++) {
        int d = ms_hexval((unsigned char)r[k]);
        if (d < 0 || (!hex && d > 9))
            return fail_at(p, start, "bad character reference");
        *cp = *cp * (hex ? 16 : 10) + (unsigned long)d;
        if (*cp > 0x10FFFF)
            return fail_at(p, start, "character reference out of range");
    }
    if (!xml_char(*cp))
        return fail_at(p, start, "character reference to a character XML does not allow");
    return MS_OK;
}

/* The character of a predefined entity r[0, len) ("lt", "amp"...), or 0
 * for any other name (there is no DTD). */
static unsigned long entity_char(const char *r, size_t len)
{
    static const struct {
        const char *name;
        unsigned long cp;
    } ents[] = {{"lt", '<'}, {"gt", '>'}, {"amp", '&'}, {"quot", '"'}, {"apos", '\''}};
    for (size_t k = 0; k < sizeof ents / sizeof ents[0]; k++)
        if (len == strlen(ents[k].name) && memcmp(r, ents[k].name, len) == 0)
            return ents[k].cp;
    return 0;
}

/* A reference at p->i ('&'): checks it and appends its character to out
 * (when out is not NULL). */
static ms_code read_ref(struct px *p, strbuf *out)
{
    size_t start = p->i++;
    size_t semi = p->i;
    while (semi < p->n && semi - start < 16 && p->t[semi] != ';')
        semi++;
    if (semi >= p->n || p->t[semi] != ';')
        return fail_at(p, start, "'&' that does not start a reference (write &amp;)");
    const char *r = p->t + p->i;
    size_t len = semi - p->i;
    unsigned long cp = 0;
    if (len >= 2 && r[0] == '#') {
        ms_code rc = char_ref(p, start, r, len, &cp);
        if (rc != MS_OK)
            return rc;
    } else if (!(cp = entity_char(r, len))) {
        return fail_at(p, start, "unknown entity &%.*s; (there is no DTD)", (int)len, r);
    }
    if (out)
        utf16_utf8_put(out, cp);
    p->i = semi + 1;
    return MS_OK;
}

static ms_code skip_comment(struct px *p)
{
    size_t start = p->i;
    p->i += 4; /* "<!--" */
    for (;;) {
        if (p->i + 1 >= p->n)
            return fail_at(p, start, "comment not closed");
        if (p->t[p->i] == '-' && p->t[p->i + 1] == '-') {
            if (p->i + 2 < p->n && p->t[p->i + 2] == '>') {
                p->i += 3;
                return MS_OK;
            }
            return fail_at(p, p->i, "\"--\" inside a comment");
        }
        p->i++;
    }
}

static ms_code skip_pi(struct px *p)
{
    size_t start = p->i, s, e;
    p->i += 2;
    ms_code rc = read_name(p, &s, &e);
    if (rc != MS_OK)
        return rc;
    if (e - s == 3 && iprefix(p->t + s, "xml"))
        return fail_at(p, start, "XML declaration not at the start of the file");
    while (p->i + 1 < p->n && !(p->t[p->i] == '?' && p->t[p->i + 1] == '>'))
        p->i++;
    if (p->i + 1 >= p->n)
        return fail_at(p, start, "processing instruction not closed");
    p->i += 2;
    return MS_OK;
}

/* Whitespace, comments and processing instructions. */
static ms_code skip_misc(struct px *p)
{
    for (;;) {
        skip_ws(p);
        ms_code rc;
        if (at(p, "<!--"))
            rc = skip_comment(p);
        else if (at(p, "<?"))
            rc = skip_pi(p);
        else
            return MS_OK;
        if (rc != MS_OK)
            return rc;
    }
}

/* Attributes up to '>' or "/>". When want is given, the value of the
 * attribute named want goes to *val (malloc'd). */
static ms_code read_attrs(struct px *p, const char *want, char **val, bool *empty_tag)
{
    size_t names[32][2];
    size_t n_names = 0;
    for (;;) {
        size_t before = p->i;
        skip_ws(p);
        if (at(p, "/>")) {
            p->i += 2;
            *empty_tag = true;
            return MS_OK;
        }
        if (at(p, ">")) {
            p->i++;
            *empty_tag = false;
            return MS_OK;
        }
        if (p->i >= p->n)
            return fail_at(p, p->i, "tag not closed");
        if (p->i == before)
            return fail_at(p, p->i, "space expected before an attribute");
        size_t s, e;
        ms_code rc = read_name(p, &s, &e);
        if (rc != MS_OK)
            return rc;
        for (size_t k = 0; k < n_names; k++)
            if (names[k][1] - names[k][0] == e - s && !memcmp(p->t + names[k][0], p->t + s, e - s))
                return fail_at(p, s, "attribute %.*s given twice", (int)(e - s), p->t + s);
        if (n_names == 32)
            return fail_at(p, s, "too many attributes");
        names[n_names][0] = s;
        names[n_names][1] = e;
        n_names++;
        skip_ws(p);
        if (!at(p, "="))
            return fail_at(p, p->i, "'=' expected after attribute %.*s", (int)(e - s), p->t + s);
        p->i++;
        skip_ws(p);
        if (p->i >= p->n || (p->t[p->i] != '"' && p->t[p->i] != '\''))
            return fail_at(p, p->i, "attribute value must be in quotes");
        char q = p->t[p->i++];
        bool wanted = want && strlen(want) == e - s && !memcmp(want, p->t + s, e - s);
        strbuf v;
        strbuf_init(&v);
        while (p->i < p->n && p->t[p->i] != q) {
            if (p->t[p->i] == '<') {
                strbuf_free(&v);
                return fail_at(p, p->i, "'<' in an attribute value");
            }
            if (p->t[p->i] == '&') {
                rc = read_ref(p, &v);
                if (rc != MS_OK) {
                    strbuf_free(&v);
                    return rc;
                }
            } else {
                strbuf_addch(&v, p->t[p->i++]);
            }
        }
        if (p->i >= p->n) {
            strbuf_free(&v);
            return fail_at(p, s, "attribute value not closed");
        }
        p->i++;
        if (v.oom) {
            strbuf_free(&v);
            return ms_fail(p->err, MS_ERR_NOMEM, NULL);
        }
        if (wanted) {
            *val = strbuf_detach(&v, NULL);
        } else {
            strbuf_free(&v);
        }
    }
}

/* The XML declaration, if any: version, encoding (checked against what the
 * bytes are), standalone. */
/* '= "value"' after a pseudo-attribute's name in the XML declaration: the
 * value is p->t[*vs, *ve). */
static ms_code read_decl_value(struct px *p, size_t *vs, size_t *ve)
{
    skip_ws(p);
    if (!at(p, "="))
        return fail_at(p, p->i, "'=' expected in the XML declaration");
    p->i++;
    skip_ws(p);
    if (p->i >= p->n || (p->t[p->i] != '"' && p->t[p->i] != '\''))
        return fail_at(p, p->i, "quoted value expected in the XML declaration");
    char q = p->t[p->i++];
    *vs = p->i;
    while (p->i < p->n && p->t[p->i] != q && p->t[p->i] != '<' && p->t[p->i] != '>')
        p->i++;
    if (p->i >= p->n || p->t[p->i] != q)
        return fail_at(p, *vs, "XML declaration not closed");
    *ve = p->i++;
    return MS_OK;
}

/* The k-th pseudo-attribute of the XML declaration: version (first),
 * encoding, standalone; the values of the first two into *ver and
 * *encname. *closed when "?>" comes instead. */
static ms_code read_decl_attr(struct px *p, int k, char **ver, char **encname, bool *closed)
{
    skip_ws(p);
    if (at(p, "?>")) {
        *closed = true;
        return MS_OK;
    }
    size_t s, e;
    ms_code rc = read_name(p, &s, &e);
    if (rc != MS_OK)
        return rc;
    char **slot = NULL;
    if (e - s == 7 && !memcmp(p->t + s, "version", 7) && k == 0)
        slot = ver;
    else if (e - s == 8 && !memcmp(p->t + s, "encoding", 8) && *ver && !*encname)
        slot = encname;
    else if (!(e - s == 10 && !memcmp(p->t + s, "standalone", 10) && *ver))
        return fail_at(p, s, "unexpected %.*s in the XML declaration", (int)(e - s), p->t + s);
    size_t vs = 0, ve = 0;
    rc = read_decl_value(p, &vs, &ve);
    if (rc != MS_OK)
        return rc;
    if (slot && !(*slot = ms_strndup(p->t + vs, ve - vs)))
        return ms_fail(p->err, MS_ERR_NOMEM, NULL);
    return MS_OK;
}

/* The declared encoding matches the file's: utf-16 (or -le/-be as its
 * byte order mark) for UTF-16, utf-8 otherwise. */
static ms_code check_decl_encoding(struct px *p, oeacct_encoding enc, const char *encname)
{
    bool utf16 = enc == OEACCT_UTF16LE_BOM || enc == OEACCT_UTF16BE_BOM;
    bool ok = utf16 ? (ieq(encname, "utf-16") ||
                       ieq(encname, enc == OEACCT_UTF16LE_BOM ? "utf-16le" : "utf-16be"))
                    : ieq(encname, "utf-8");
    if (!ok)
        return ms_fail(p->err, MS_ERR_OEACCOUNT_ENCODING,
                       "%s: the file says encoding=\"%s\" but is %s", p->file, encname,
                       oeacct_encoding_name(enc));
    return MS_OK;
}

static ms_code read_decl(struct px *p, oeacct_encoding enc)
{
    if (!at(p, "<?xml") || p->i + 5 >= p->n || !is_ws(p->t[p->i + 5]))
        return MS_OK;
    size_t start = p->i;
    p->i += 5;
    char *ver = NULL, *encname = NULL;
    ms_code rc = MS_OK;
    bool closed = false;
    for (int k = 0; k < 3 && !closed; k++) {
        rc = read_decl_attr(p, k, &ver, &encname, &closed);
        if (rc != MS_OK)
            goto out;
    }
    skip_ws(p);
    if (!at(p, "?>")) {
        rc = fail_at(p, p->i, "XML declaration not closed");
        goto out;
    }
    p->i += 2;
    if (!ver || strncmp(ver, "1.", 2) != 0) {
        rc = fail_at(p, start, "XML version %s is not 1.x", ver ? ver : "(missing)");
        goto out;
    }
    if (encname)
        rc = check_decl_encoding(p, enc, encname);
out:
    free(ver);
    free(encname);
    return rc;
}

static ms_code add_elem(struct px *p, oeacct_elem *e)
{
    oeacct_doc *d = p->doc;
    if (d->n_elems == OEACCT_MAX_PROPERTIES)
        return fail_at(p, e->start, "more than %d properties", OEACCT_MAX_PROPERTIES);
    for (size_t k = 0; k < d->n_elems; k++)
        if (ieq(d->elems[k].name, e->name))
            return fail_at(p, e->start, "property %s given twice (also on line %u)", e->name,
                           d->elems[k].line);
    if (d->n_elems == d->elems_cap) {
        size_t cap = d->elems_cap ? d->elems_cap * 2 : 32;
        oeacct_elem *ne = realloc(d->elems, cap * sizeof *ne);
        if (!ne)
            return ms_fail(p->err, MS_ERR_NOMEM, NULL);
        d->elems = ne;
        d->elems_cap = cap;
    }
    d->elems[d->n_elems++] = *e;
    return MS_OK;
}

/* A CDATA section at p->i: skipped whole. */
static ms_code skip_cdata(struct px *p)
{
    size_t cs = p->i;
    p->i += 9;
    while (p->i + 2 < p->n && !at(p, "]]>"))
        p->i++;
    if (!at(p, "]]>"))
        return fail_at(p, cs, "CDATA section not closed");
    p->i += 3;
    return MS_OK;
}

/* The closing tag at p->i ("</"), which must name the element (p->t[ns,
 * ne)): e's text ends before it, the element after it. */
static ms_code read_close(struct px *p, oeacct_elem *e, size_t ns, size_t ne)
{
    e->text_end = p->i;
    p->i += 2;
    size_t cs, ce;
    ms_code rc = read_name(p, &cs, &ce);
    if (rc != MS_OK)
        return rc;
    if (ce - cs != ne - ns || memcmp(p->t + cs, p->t + ns, ne - ns) != 0)
        return fail_at(p, cs, "</%.*s> where </%s> was expected", (int)(ce - cs), p->t + cs,
                       e->name);
    skip_ws(p);
    if (!at(p, ">"))
        return fail_at(p, p->i, "'>' expected");
    p->i++;
    e->end = p->i;
    return MS_OK;
}

/* The element's value and its closing tag: text, references and CDATA,
 * no markup. */
static ms_code read_value(struct px *p, oeacct_elem *e, size_t ns, size_t ne)
{
    e->text_start = p->i;
    for (;;) {
        if (p->i >= p->n)
            return fail_at(p, e->start, "<%s> not closed", e->name);
        char c = p->t[p->i];
        ms_code rc = MS_OK;
        if (c == '&')
            rc = read_ref(p, NULL);
        else if (at(p, "<![CDATA["))
            rc = skip_cdata(p);
        else if (at(p, "</"))
            return read_close(p, e, ns, ne);
        else if (c == '<')
            return fail_at(p, p->i, "markup inside property <%s> (only its value may be there)",
                           e->name);
        else if (at(p, "]]>"))
            return fail_at(p, p->i, "\"]]>\" in a value");
        else
            p->i++;
        if (rc != MS_OK)
            return rc;
    }
}

/* One property element, p->i at its '<'. */
static ms_code read_property(struct px *p)
{
    oeacct_elem e = {0};
    e.start = p->i;
    e.line = line_at(p, p->i);
    p->i++;
    size_t ns, ne;
    ms_code rc = read_name(p, &ns, &ne);
    if (rc != MS_OK)
        return rc;
    e.name = ms_strndup(p->t + ns, ne - ns);
    if (!e.name)
        return ms_fail(p->err, MS_ERR_NOMEM, NULL);
    rc = read_attrs(p, "type", &e.type, &e.empty_tag);
    if (rc != MS_OK)
        goto out;
    if (e.empty_tag) {
        e.text_start = e.text_end = p->i;
        e.end = p->i;
    } else {
        rc = read_value(p, &e, ns, ne);
        if (rc != MS_OK)
            goto out;
    }
    rc = add_elem(p, &e);
out:
    if (rc != MS_OK) {
        free(e.name);
        free(e.type);
    }
    return rc;
}

static ms_code parse_text(struct px *p, oeacct_encoding enc)
{
    ms_code rc = read_decl(p, enc);
    if (rc != MS_OK)
        return rc;
    rc = skip_misc(p);
    if (rc != MS_OK)
        return rc;
    if (at(p, "<!DOCTYPE") || at(p, "<!doctype"))
        return fail_at(p, p->i, "a DOCTYPE is not allowed in an account file");
    if (p->i >= p->n)
        return fail_at(p, p->i, "no <" ROOT_NAME "> element");
    if (p->t[p->i] != '<')
        return fail_at(p, p->i, "text before the <" ROOT_NAME "> element");
    p->i++;
    size_t s, e;
    rc = read_name(p, &s, &e);
    if (rc != MS_OK)
        return rc;
    if (e - s != strlen(ROOT_NAME) || memcmp(p->t + s, ROOT_NAME, e - s) != 0)
        return fail_at(p, s, "the root element is <%.*s>, not <" ROOT_NAME ">", (int)(e - s),
                       p->t + s);
    bool empty;
    rc = read_attrs(p, NULL, NULL, &empty);
    if (rc != MS_OK)
        return rc;
    p->root_open_end = p->i;
    p->root_empty = empty;
    if (empty) {
        p->doc->root_close = p->i;
    } else {
        for (;;) {
            rc = skip_misc(p);
            if (rc != MS_OK)
                return rc;
            if (p->i >= p->n)
                return fail_at(p, p->i, "<" ROOT_NAME "> not closed");
            if (at(p, "</")) {
                p->doc->root_close = p->i;
                p->i += 2;
                rc = read_name(p, &s, &e);
                if (rc != MS_OK)
                    return rc;
                if (e - s != strlen(ROOT_NAME) || memcmp(p->t + s, ROOT_NAME, e - s) != 0)
                    return fail_at(p, s, "</%.*s> where </" ROOT_NAME "> was expected",
                                   (int)(e - s), p->t + s);
                skip_ws(p);
                if (!at(p, ">"))
                    return fail_at(p, p->i, "'>' expected");
                p->i++;
                break;
            }
            if (at(p, "<![CDATA["))
                return fail_at(p, p->i, "text outside a property");
            if (p->t[p->i] != '<')
                return fail_at(p, p->i, "text outside a property");
            rc = read_property(p);
            if (rc != MS_OK)
                return rc;
        }
    }
    rc = skip_misc(p);
    if (rc != MS_OK)
        return rc;
    if (p->i < p->n)
        return fail_at(p, p->i, "content after </" ROOT_NAME ">");
    return MS_OK;
}

static void doc_clear(oeacct_doc *doc)
{
    for (size_t k = 0; k < doc->n_elems; k++) {
        free(doc->elems[k].name);
        free(doc->elems[k].type);
    }
    free(doc->elems);
    doc->elems = NULL;
    doc->n_elems = doc->elems_cap = 0;
    strbuf_free(&doc->text);
}

void oeacct_free(oeacct_doc *doc)
{
    if (!doc)
        return;
    doc_clear(doc);
    free(doc->file);
    doc->file = NULL;
}

/* Parses doc->text (UTF-8, already checked) in place. */
static ms_code parse_doc(oeacct_doc *doc, ms_error *err)
{
    struct px p = {.t = doc->text.buf,
                   .n = doc->text.len,
                   .file = doc->file ? doc->file : "(account file)",
                   .err = err,
                   .doc = doc,
                   .line = 1};
    ms_code rc = parse_text(&p, doc->enc);
    if (rc != MS_OK)
        return rc;
    const char *nl = memchr(doc->text.buf, '\n', doc->text.len);
    doc->newline = (nl && nl > doc->text.buf && nl[-1] == '\r') || !nl ? "\r\n" : "\n";
    /* root_close of an empty <MessageAccount/> is where its tag ends; edits
     * that would add a property there are refused in insert_elem(). */
    if (p.root_empty)
        doc->root_close = (size_t)-1;
    return MS_OK;
}

/* Checks the characters of the decoded text: XML's Char production. */
static ms_code check_chars(const char *t, size_t n, const char *file, ms_error *err)
{
    size_t i = 0;
    unsigned line = 1;
    while (i < n) {
        unsigned long cp;
        size_t k = utf16_utf8_next(t + i, n - i, &cp);
        if (!k)
            return ms_fail(err, MS_ERR_OEACCOUNT_ENCODING,
                           "%s, line %u: bytes that are not valid UTF-8", file, line);
        if (!xml_char(cp))
            return ms_fail(err, MS_ERR_OEACCOUNT_XML,
                           "%s, line %u: character U+%04lX is not allowed in XML", file, line, cp);
        if (cp == '\n')
            line++;
        i += k;
    }
    return MS_OK;
}

/* The file's encoding from its byte order mark (UTF-8 without one; no
 * UTF-32, no UTF-16 without one): doc->enc, and *skip the mark's length. */
static ms_code detect_encoding(const unsigned char *b, size_t len, const char *file,
                               oeacct_doc *doc, size_t *skip, ms_error *err)
{
    *skip = 0;
    if (len >= 4 && ((b[0] == 0xFF && b[1] == 0xFE && b[2] == 0 && b[3] == 0) ||
                     (b[0] == 0 && b[1] == 0 && b[2] == 0xFE && b[3] == 0xFF)))
        return ms_fail(err, MS_ERR_OEACCOUNT_ENCODING, "%s: UTF-32", file);
    if (len >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
        doc->enc = OEACCT_UTF8_BOM;
        *skip = 3;
    } else if (len >= 2 && b[0] == 0xFF && b[1] == 0xFE) {
        doc->enc = OEACCT_UTF16LE_BOM;
        *skip = 2;
    } else if (len >= 2 && b[0] == 0xFE && b[1] == 0xFF) {
        doc->enc = OEACCT_UTF16BE_BOM;
        *skip = 2;
    } else if (len >= 2 && ((b[0] != 0 && b[1] == 0) || (b[0] == 0 && b[1] != 0))) {
        return ms_fail(err, MS_ERR_OEACCOUNT_ENCODING,
                       "%s: looks like UTF-16 without a byte order mark", file);
    } else {
        doc->enc = OEACCT_UTF8;
    }
    return MS_OK;
}

/* doc->text: the bytes after the mark as UTF-8. */
static ms_code decode_text(const unsigned char *b, size_t len, size_t skip, const char *file,
                           oeacct_doc *doc, ms_error *err)
{
    size_t bad = 0;
    if (doc->enc == OEACCT_UTF16LE_BOM || doc->enc == OEACCT_UTF16BE_BOM) {
        if (!utf16_to_utf8(b + skip, len - skip, doc->enc == OEACCT_UTF16BE_BOM, &doc->text,
                           &bad)) {
            strbuf_free(&doc->text);
            return ms_fail(err, MS_ERR_OEACCOUNT_ENCODING,
                           "%s: not valid UTF-16 at byte %zu (odd length or unpaired surrogate)",
                           file, bad + skip);
        }
    } else {
        strbuf_add(&doc->text, b + skip, len - skip);
    }
    if (doc->text.oom) {
        strbuf_free(&doc->text);
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    }
    return MS_OK;
}

/* The parsed document serializes to the file's bytes again. The strict
 * decoding makes this a formality; it guards the promise that an edit
 * changes nothing else. */
static ms_code check_round_trip(const oeacct_doc *doc, const void *data, size_t len,
                                const char *file, ms_error *err)
{
    strbuf again;
    strbuf_init(&again);
    ms_code rc = oeacct_serialize(doc, &again, err);
    if (rc == MS_OK && (again.len != len || memcmp(again.buf, data, len) != 0))
        rc = ms_fail(err, MS_ERR_OEACCOUNT_ENCODING, "%s: cannot be rewritten byte for byte",
                     file);
    strbuf_free(&again);
    return rc;
}

ms_code oeacct_parse(const void *data, size_t len, const char *file, oeacct_doc *doc,
                     ms_error *err)
{
    const unsigned char *b = data;
    memset(doc, 0, sizeof *doc);
    strbuf_init(&doc->text);
    if (!file)
        file = "(account file)";
    doc->file = ms_strdup(file);
    if (!doc->file)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    if (len > OEACCT_MAX_SIZE)
        return ms_fail(err, MS_ERR_OEACCOUNT_XML, "%s: larger than %d bytes", file,
                       OEACCT_MAX_SIZE);
    size_t skip = 0;
    ms_code rc = detect_encoding(b, len, file, doc, &skip, err);
    if (rc != MS_OK)
        return rc;
    if (len == skip)
        return ms_fail(err, MS_ERR_OEACCOUNT_XML, "%s: the file is empty", file);
    rc = decode_text(b, len, skip, file, doc, err);
    if (rc != MS_OK)
        return rc;
    rc = check_chars(doc->text.buf, doc->text.len, file, err);
    if (rc != MS_OK)
        goto out;
    rc = parse_doc(doc, err);
    if (rc != MS_OK)
        goto out;
    rc = check_round_trip(doc, data, len, file, err);
out:
    if (rc != MS_OK) { /* the text and elements go; the file name stays */
        char *f = doc->file;
        doc->file = NULL;
        doc_clear(doc);
        doc->file = f;
    }
    return rc;
}

ms_code oeacct_load(const char *path, oeacct_doc *doc, ms_error *err)
{
    strbuf raw;
    strbuf_init(&raw);
    memset(doc, 0, sizeof *doc);
    strbuf_init(&doc->text);
    ms_code rc = ms_file_read(path, OEACCT_MAX_SIZE, &raw, err);
    if (rc != MS_OK)
        goto out;
    rc = oeacct_parse(raw.buf, raw.len, path, doc, err);
out:
    strbuf_free(&raw);
    return rc;
}

const oeacct_elem *oeacct_find(const oeacct_doc *doc, const char *name)
{
    for (size_t k = 0; k < doc->n_elems; k++)
        if (ieq(doc->elems[k].name, name))
            return &doc->elems[k];
    return NULL;
}

/* The element's text with references and CDATA resolved and line ends
 * normalised, as an XML parser delivers it. */
static ms_code elem_value(const oeacct_doc *doc, const oeacct_elem *e, strbuf *out, ms_error *err)
{
    struct px p = {.t = doc->text.buf, .n = e->text_end, .i = e->text_start, .file = doc->file,
                   .err = err, .doc = NULL, .line = 1};
    while (p.i < p.n) {
        if (p.t[p.i] == '&') {
            ms_code rc = read_ref(&p, out);
            if (rc != MS_OK)
                return rc;
        } else if (at(&p, "<![CDATA[")) {
            p.i += 9;
            while (!at(&p, "]]>")) {
                if (p.t[p.i] == '\r' && p.i + 1 < p.n && p.t[p.i + 1] == '\n')
                    p.i++;
                strbuf_addch(out, p.t[p.i] == '\r' ? '\n' : p.t[p.i]);
                p.i++;
            }
            p.i += 3;
        } else {
            if (p.t[p.i] == '\r' && p.i + 1 < p.n && p.t[p.i + 1] == '\n')
                p.i++;
            strbuf_addch(out, p.t[p.i] == '\r' ? '\n' : p.t[p.i]);
            p.i++;
        }
    }
    return out->oom ? ms_fail(err, MS_ERR_NOMEM, NULL) : MS_OK;
}

static ms_code check_type(const oeacct_doc *doc, const oeacct_elem *e, const char *want,
                          ms_error *err)
{
    if (!e->type)
        return ms_fail(err, MS_ERR_OEACCOUNT_VALUE, "%s, line %u: <%s> has no type attribute",
                       doc->file, e->line, e->name);
    if (!ieq(e->type, want))
        return ms_fail(err, MS_ERR_OEACCOUNT_VALUE, "%s, line %u: <%s> has type %s, not %s",
                       doc->file, e->line, e->name, e->type, want);
    return MS_OK;
}

/* The text of element name when it has type want (*e NULL, v empty, when
 * the element is missing). */
static ms_code typed_value(const oeacct_doc *doc, const char *name, const char *want,
                           const oeacct_elem **e, strbuf *v, ms_error *err)
{
    *e = oeacct_find(doc, name);
    if (!*e)
        return MS_OK;
    ms_code rc = check_type(doc, *e, want, err);
    if (rc != MS_OK)
        return rc;
    return elem_value(doc, *e, v, err);
}

ms_code oeacct_get_str(const oeacct_doc *doc, const char *name, char **out, ms_error *err)
{
    *out = NULL;
    const oeacct_elem *e;
    strbuf v;
    strbuf_init(&v);
    ms_code rc = typed_value(doc, name, "SZ", &e, &v, err);
    if (rc != MS_OK || !e)
        goto out;
    if (strcmp(v.buf, "0") == 0 || strcmp(v.buf, "FALSE") == 0)
        strbuf_reset(&v);
    *out = strbuf_detach(&v, NULL);
    if (!*out)
        rc = ms_fail(err, MS_ERR_NOMEM, NULL);
out:
    strbuf_free(&v);
    return rc;
}

/* A DWORD's text: TRUE, FALSE, or 1 to 8 hex digits. */
static bool dword_of(const strbuf *v, uint32_t *x)
{
    *x = 0;
    if (ieq(v->buf, "TRUE") || ieq(v->buf, "FALSE")) {
        *x = ieq(v->buf, "TRUE");
        return true;
    }
    if (v->len == 0 || v->len > 8)
        return false;
    for (size_t k = 0; k < v->len; k++) {
        int d = ms_hexval((unsigned char)v->buf[k]);
        if (d < 0)
            return false;
        *x = *x << 4 | (uint32_t)d;
    }
    return true;
}

ms_code oeacct_get_dword(const oeacct_doc *doc, const char *name, uint32_t dflt, uint32_t *out,
                         bool *present, ms_error *err)
{
    *out = dflt;
    *present = false;
    const oeacct_elem *e;
    strbuf v;
    strbuf_init(&v);
    ms_code rc = typed_value(doc, name, "DWORD", &e, &v, err);
    if (rc != MS_OK || !e)
        goto out;
    uint32_t x;
    if (!dword_of(&v, &x)) {
        rc = ms_fail(err, MS_ERR_OEACCOUNT_VALUE,
                     "%s, line %u: <%s> is \"%.40s\", not a DWORD (1 to 8 hexadecimal digits)",
                     doc->file, e->line, e->name, v.buf);
        goto out;
    }
    *out = x;
    *present = true;
out:
    strbuf_free(&v);
    return rc;
}

/* ---- edits */

/* Replaces text[a, b) with s[0, n) and re-parses; on failure doc is as
 * before. */
static ms_code splice(oeacct_doc *doc, size_t a, size_t b, const char *s, size_t n, ms_error *err)
{
    oeacct_doc nd = {.enc = doc->enc, .file = doc->file};
    strbuf_init(&nd.text);
    strbuf_add(&nd.text, doc->text.buf, a);
    strbuf_add(&nd.text, s, n);
    strbuf_add(&nd.text, doc->text.buf + b, doc->text.len - b);
    if (nd.text.oom) {
        strbuf_free(&nd.text);
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    }
    ms_code rc = parse_doc(&nd, err);
    if (rc != MS_OK) {
        nd.file = NULL;
        doc_clear(&nd);
        return rc;
    }
    doc_clear(doc);
    doc->text = nd.text;
    doc->elems = nd.elems;
    doc->n_elems = nd.n_elems;
    doc->elems_cap = nd.elems_cap;
    doc->root_close = nd.root_close;
    doc->newline = nd.newline;
    return MS_OK;
}

/* Escapes a value for element text; control characters other than tab
 * have no place in a setting. */
static ms_code escape_text(const oeacct_doc *doc, const char *name, const char *v, strbuf *out,
                           ms_error *err)
{
    size_t len = strlen(v), bad;
    if (!utf16_utf8_valid(v, len, &bad))
        return ms_fail(err, MS_ERR_OEACCOUNT_VALUE, "%s: <%s>: the new value is not valid UTF-8",
                       doc->file, name);
    for (const char *c = v; *c; c++) {
        unsigned char u = (unsigned char)*c;
        if (u < 0x20 && u != '\t')
            return ms_fail(err, MS_ERR_OEACCOUNT_VALUE,
                           "%s: <%s>: the new value holds a control character", doc->file, name);
        if (*c == '&')
            strbuf_addstr(out, "&amp;");
        else if (*c == '<')
            strbuf_addstr(out, "&lt;");
        else if (*c == '>')
            strbuf_addstr(out, "&gt;");
        else
            strbuf_addch(out, *c);
    }
    return out->oom ? ms_fail(err, MS_ERR_NOMEM, NULL) : MS_OK;
}

/* Sets the raw (already escaped) text of an existing element. */
static ms_code set_raw(oeacct_doc *doc, const oeacct_elem *e, const char *raw, size_t n,
                       ms_error *err)
{
    if (!e->empty_tag) {
        if (e->text_end - e->text_start == n &&
            memcmp(doc->text.buf + e->text_start, raw, n) == 0)
            return MS_OK;
        return splice(doc, e->text_start, e->text_end, raw, n, err);
    }
    if (n == 0)
        return MS_OK;
    /* <X a="b"/> becomes <X a="b">raw</X>: the start tag keeps its bytes. */
    size_t tag_end = e->end - 2; /* before "/>" */
    strbuf s;
    strbuf_init(&s);
    strbuf_add(&s, doc->text.buf + e->start, tag_end - e->start);
    strbuf_addch(&s, '>');
    strbuf_add(&s, raw, n);
    strbuf_addf(&s, "</%s>", e->name);
    ms_code rc = s.oom ? ms_fail(err, MS_ERR_NOMEM, NULL)
                       : splice(doc, e->start, e->end, s.buf, s.len, err);
    strbuf_free(&s);
    return rc;
}

/* Adds <name type="type">raw</name> on a line of its own. */
static ms_code insert_elem(oeacct_doc *doc, const char *name, const char *type, const char *raw,
                           ms_error *err)
{
    if (doc->root_close == (size_t)-1)
        return ms_fail(err, MS_ERR_OEACCOUNT_XML, "%s: <" ROOT_NAME "/> is empty; cannot add <%s>",
                       doc->file, name);
    /* The group is the name up to and including its first '_'. */
    const char *us = strchr(name, '_');
    size_t glen = us ? (size_t)(us - name + 1) : strlen(name);
    const oeacct_elem *anchor = NULL;
    for (size_t k = 0; k < doc->n_elems; k++) {
        const char *en = doc->elems[k].name;
        bool same_group = strlen(en) >= glen;
        for (size_t c = 0; same_group && c < glen; c++)
            same_group = ascii_lower((unsigned char)en[c]) == ascii_lower((unsigned char)name[c]);
        if (same_group)
            anchor = &doc->elems[k];
    }
    if (!anchor && doc->n_elems)
        anchor = &doc->elems[doc->n_elems - 1];
    strbuf s;
    strbuf_init(&s);
    size_t pos;
    if (anchor) {
        /* Indent like the anchor when it starts its line. */
        size_t ls = anchor->start;
        while (ls > 0 && doc->text.buf[ls - 1] != '\n')
            ls--;
        bool blank = true;
        for (size_t k = ls; k < anchor->start; k++)
            blank = blank && (doc->text.buf[k] == ' ' || doc->text.buf[k] == '\t');
        strbuf_addstr(&s, doc->newline);
        if (blank)
            strbuf_add(&s, doc->text.buf + ls, anchor->start - ls);
        strbuf_addf(&s, "<%s type=\"%s\">%s</%s>", name, type, raw, name);
        pos = anchor->end;
    } else {
        strbuf_addf(&s, "\t<%s type=\"%s\">%s</%s>%s", name, type, raw, name, doc->newline);
        pos = doc->root_close;
    }
    ms_code rc =
        s.oom ? ms_fail(err, MS_ERR_NOMEM, NULL) : splice(doc, pos, pos, s.buf, s.len, err);
    strbuf_free(&s);
    return rc;
}

static ms_code check_name(const oeacct_doc *doc, const char *name, ms_error *err)
{
    if (!*name || !name_start((unsigned char)*name))
        return ms_fail(err, MS_ERR_INTERNAL, "%s: bad property name", doc->file);
    for (const char *c = name; *c; c++)
        if (!name_char((unsigned char)*c) || (unsigned char)*c >= 0x80)
            return ms_fail(err, MS_ERR_INTERNAL, "%s: bad property name", doc->file);
    return MS_OK;
}

ms_code oeacct_set_str(oeacct_doc *doc, const char *name, const char *value, ms_error *err)
{
    ms_code rc = check_name(doc, name, err);
    if (rc != MS_OK)
        return rc;
    const oeacct_elem *e = oeacct_find(doc, name);
    if (e && (rc = check_type(doc, e, "SZ", err)) != MS_OK)
        return rc;
    strbuf raw;
    strbuf_init(&raw);
    rc = escape_text(doc, name, value, &raw, err);
    if (rc == MS_OK) {
        if (e) {
            /* Keep the bytes when the value is already the same. */
            strbuf cur;
            strbuf_init(&cur);
            rc = elem_value(doc, e, &cur, err);
            if (rc == MS_OK && strcmp(cur.buf, value) != 0)
                rc = set_raw(doc, e, raw.buf, raw.len, err);
            strbuf_free(&cur);
        } else {
            rc = insert_elem(doc, name, "SZ", raw.buf, err);
        }
    }
    strbuf_free(&raw);
    return rc;
}

ms_code oeacct_set_dword(oeacct_doc *doc, const char *name, uint32_t value, ms_error *err)
{
    ms_code rc = check_name(doc, name, err);
    if (rc != MS_OK)
        return rc;
    const oeacct_elem *e = oeacct_find(doc, name);
    char raw[9];
    snprintf(raw, sizeof raw, "%08lx", (unsigned long)value);
    if (!e)
        return insert_elem(doc, name, "DWORD", raw, err);
    uint32_t cur;
    bool present;
    rc = oeacct_get_dword(doc, name, 0, &cur, &present, err);
    if (rc != MS_OK)
        return rc;
    if (cur == value)
        return MS_OK;
    return set_raw(doc, e, raw, 8, err);
}

ms_code oeacct_remove(oeacct_doc *doc, const char *name, ms_error *err)
{
    const oeacct_elem *e = oeacct_find(doc, name);
    if (!e)
        return MS_OK;
    size_t a = e->start, b = e->end;
    size_t ls = a;
    while (ls > 0 && (doc->text.buf[ls - 1] == ' ' || doc->text.buf[ls - 1] == '\t'))
        ls--;
    bool line_start = ls == 0 || doc->text.buf[ls - 1] == '\n';
    size_t le = b;
    while (le < doc->text.len && (doc->text.buf[le] == ' ' || doc->text.buf[le] == '\t'))
        le++;
    bool line_end = le < doc->text.len && (doc->text.buf[le] == '\r' || doc->text.buf[le] == '\n');
    if (line_start && line_end) {
        a = ls;
        b = le + (doc->text.buf[le] == '\r' && le + 1 < doc->text.len &&
                          doc->text.buf[le + 1] == '\n'
                      ? 2
                      : 1);
    }
    return splice(doc, a, b, "", 0, err);
}

ms_code oeacct_serialize(const oeacct_doc *doc, strbuf *out, ms_error *err)
{
    switch (doc->enc) {
    case OEACCT_UTF8:
        strbuf_add(out, doc->text.buf, doc->text.len);
        break;
    case OEACCT_UTF8_BOM:
        strbuf_add(out, "\xEF\xBB\xBF", 3);
        strbuf_add(out, doc->text.buf, doc->text.len);
        break;
    case OEACCT_UTF16LE_BOM:
    case OEACCT_UTF16BE_BOM: {
        bool be = doc->enc == OEACCT_UTF16BE_BOM;
        strbuf_add(out, be ? "\xFE\xFF" : "\xFF\xFE", 2);
        if (!utf16_from_utf8(doc->text.buf, doc->text.len, be, out))
            return ms_fail(err, MS_ERR_INTERNAL, "%s: text not UTF-8", doc->file);
        break;
    }
    }
    return out->oom ? ms_fail(err, MS_ERR_NOMEM, NULL) : MS_OK;
}

/* ---- the journal filter */

static ms_code strip_secrets(const void *data, size_t len, strbuf *out, ms_error *err)
{
    oeacct_doc doc;
    ms_code rc = oeacct_parse(data, len, NULL, &doc, err);
    if (rc != MS_OK)
        goto out;
    for (size_t k = doc.n_elems; k-- > 0;) {
        if (!oeacct_is_secret(doc.elems[k].name))
            continue;
        rc = set_raw(&doc, &doc.elems[k], "", 0, err);
        if (rc != MS_OK)
            goto out;
    }
    rc = oeacct_serialize(&doc, out, err);
out:
    oeacct_free(&doc);
    return rc;
}

static ms_code merge_secrets(const void *backup, size_t blen, const void *current, size_t clen,
                             strbuf *out, ms_error *err)
{
    oeacct_doc b, c;
    ms_code rc = oeacct_parse(backup, blen, "(backup copy)", &b, err);
    if (rc != MS_OK) {
        oeacct_free(&b);
        return rc;
    }
    ms_error ignored;
    bool have_current = current && oeacct_parse(current, clen, NULL, &c, &ignored) == MS_OK;
    for (size_t k = b.n_elems; have_current && rc == MS_OK && k-- > 0;) {
        if (!oeacct_is_secret(b.elems[k].name))
            continue;
        const oeacct_elem *ce = oeacct_find(&c, b.elems[k].name);
        if (ce)
            rc = set_raw(&b, &b.elems[k], c.text.buf + ce->text_start,
                         ce->text_end - ce->text_start, err);
    }
    if (current)
        oeacct_free(&c);
    if (rc == MS_OK)
        rc = oeacct_serialize(&b, out, err);
    oeacct_free(&b);
    return rc;
}

const journal_file_filter oeacct_secret_filter = {"oeaccount", strip_secrets, merge_secrets};
