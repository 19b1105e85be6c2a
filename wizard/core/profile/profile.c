/* profile: loads an ISP profile from JSON and validates it; see profile.h.
 *
 * Three passes, so that `profile check` can list every error:
 *   1. the raw bytes: size, UTF-8, nesting depth (before cJSON, whose parser
 *      recurses), then cJSON's syntax check;
 *   2. the structure, driven by one key table (the same table the schema
 *      test reads): unknown and duplicate keys, types, each value's format;
 *   3. once the structure is right, the rules between fields (port 25 as a
 *      target, add_account without a new server, dates out of order ...).
 * Any error: the half-built profile is freed and nothing is returned.
 * Pass 3 is profile_rules.c; the lookups, host lists and placeholders are
 * profile_hosts.c. */
#include "profile.h"
#include "profile_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "platform.h"
#include "strbuf.h"

/* ---------------------------------------------------------------- errors */

void profile_errors_init(profile_errors *errs)
{
    errs->items = NULL;
    errs->count = 0;
    errs->cap = 0;
    errs->truncated = false;
}

void profile_errors_free(profile_errors *errs)
{
    free(errs->items);
    profile_errors_init(errs);
}

static void add_issue(vctx *c, ms_code code, const char *path, const char *extra)
{
    if (c->first == MS_OK)
        c->first = code;
    profile_errors *e = c->errs;
    if (!e)
        return;
    if (e->count >= PROFILE_MAX_ERRORS) {
        e->truncated = true;
        return;
    }
    if (e->count == e->cap) {
        size_t ncap = e->cap ? e->cap * 2 : 16;
        profile_issue *n = realloc(e->items, ncap * sizeof *n);
        if (!n) {
            e->truncated = true;
            return;
        }
        e->items = n;
        e->cap = ncap;
    }
    profile_issue *is = &e->items[e->count++];
    snprintf(is->path, sizeof is->path, "%s", path);
    if (extra && *extra)
        ms_fail(&is->err, code, "%s (%s)", path, extra);
    else
        ms_fail(&is->err, code, "%s", path);
}

/* Reports code at the current path; extra (printf) goes in parentheses. */
static void report(vctx *c, ms_code code, const char *fmt, ...) MS_PRINTF(3, 4);
static void report(vctx *c, ms_code code, const char *fmt, ...)
{
    char extra[256] = "";
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(extra, sizeof extra, fmt, ap);
        va_end(ap);
    }
    add_issue(c, code, c->path.buf, extra);
}

static void nomem(vctx *c)
{
    add_issue(c, MS_ERR_NOMEM, "$", NULL);
}

void profile_report_at(vctx *c, ms_code code, const char *path, const char *extra)
{
    add_issue(c, code, path, extra);
}

/* ------------------------------------------------------------------ paths */

static bool plain_key(const char *k)
{
    if (!*k)
        return false;
    for (const char *p = k; *p; p++) {
        char ch = *p;
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '_' || ch == '$' || ch == '-'))
            return false;
    }
    return true;
}

/* Appends s to the path; on overflow ends it with "..." (never splits a
 * UTF-8 character, since only whole characters are copied). */
static void path_put(jpath *p, const char *s, size_t n)
{
    const size_t room = sizeof p->buf - 4; /* keep space for "..." + NUL */
    if (p->len >= room)
        return;
    if (n > room - p->len) {
        size_t cut = room - p->len;
        while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
            cut--;
        memcpy(p->buf + p->len, s, cut);
        p->len += cut;
        memcpy(p->buf + p->len, "...", 4);
        p->len = sizeof p->buf - 1; /* full: later pushes are dropped */
        return;
    }
    memcpy(p->buf + p->len, s, n);
    p->len += n;
    p->buf[p->len] = '\0';
}

static size_t path_push_key(jpath *p, const char *key)
{
    size_t old = p->len;
    if (plain_key(key)) {
        path_put(p, ".", 1);
        path_put(p, key, strlen(key));
        return old;
    }
    /* Anything else is shown quoted, control characters escaped, so a
     * hostile key cannot garble the terminal. */
    path_put(p, "[\"", 2);
    for (const unsigned char *k = (const unsigned char *)key; *k; k++) {
        char esc[8];
        if (*k == '"' || *k == '\\') {
            esc[0] = '\\';
            esc[1] = (char)*k;
            path_put(p, esc, 2);
        } else if (*k < 0x20 || *k == 0x7f) {
            snprintf(esc, sizeof esc, "\\u%04x", *k);
            path_put(p, esc, 6);
        } else {
            size_t n = 1;
            while (k[n] && (k[n] & 0xC0) == 0x80)
                n++;
            path_put(p, (const char *)k, n);
            k += n - 1;
        }
    }
    path_put(p, "\"]", 2);
    return old;
}

static size_t path_push_index(jpath *p, size_t i)
{
    size_t old = p->len;
    char b[32];
    int n = snprintf(b, sizeof b, "[%zu]", i);
    path_put(p, b, (size_t)n);
    return old;
}

static void path_pop(jpath *p, size_t old)
{
    p->len = old;
    p->buf[old] = '\0';
}

/* ------------------------------------------------------- character checks */

static bool is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

static bool is_alnum_lower(char ch)
{
    return (ch >= 'a' && ch <= 'z') || is_digit(ch);
}

/* Length of the valid UTF-8 sequence at s[0..n), 0 if invalid (overlongs,
 * surrogates and code points above U+10FFFF are invalid). */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char c0 = s[0];
    if (c0 < 0x80)
        return 1;
    size_t len;
    unsigned long cp;
    if (c0 >= 0xC2 && c0 <= 0xDF) {
        len = 2;
        cp = c0 & 0x1Fu;
    } else if (c0 >= 0xE0 && c0 <= 0xEF) {
        len = 3;
        cp = c0 & 0x0Fu;
    } else if (c0 >= 0xF0 && c0 <= 0xF4) {
        len = 4;
        cp = c0 & 0x07u;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

static bool utf8_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    while (n) {
        size_t k = utf8_seq(p, n);
        if (!k)
            return false;
        p += k;
        n -= k;
    }
    return true;
}

/* Host names (RFC 1123): LDH labels of 1-63, at least two labels, 253 in
 * all, no trailing dot, and a top label that is not all digits (so an IPv4
 * address is refused: TLS verification and the manuals use names). */
static bool valid_host(const char *h)
{
    size_t n = strlen(h);
    if (n == 0 || n > 253)
        return false;
    size_t labels = 0, lab = 0;
    bool all_digits = true;
    for (size_t i = 0; i <= n; i++) {
        char ch = h[i];
        if (ch == '.' || ch == '\0') {
            if (lab == 0 || lab > 63 || h[i - 1] == '-')
                return false;
            labels++;
            if (ch == '\0')
                break;
            lab = 0;
            all_digits = true;
            continue;
        }
        bool ldh =
            (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || is_digit(ch) || ch == '-';
        if (!ldh || (lab == 0 && ch == '-'))
            return false;
        if (!is_digit(ch))
            all_digits = false;
        lab++;
    }
    return labels >= 2 && !all_digits;
}

/* [a-z0-9][a-z0-9-]{0,31} */
static bool valid_profile_id(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 32 || !is_alnum_lower(s[0]))
        return false;
    for (size_t i = 1; i < n; i++)
        if (!is_alnum_lower(s[i]) && s[i] != '-')
            return false;
    return true;
}

/* [a-z0-9_]{1,32}: program and option ids */
static bool valid_token(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 32)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!is_alnum_lower(s[i]) && s[i] != '_')
            return false;
    return true;
}

static bool valid_url(const char *s)
{
    const char *rest;
    if (strncmp(s, "https://", 8) == 0)
        rest = s + 8;
    else if (strncmp(s, "http://", 7) == 0)
        rest = s + 7;
    else
        return false;
    size_t hl = strcspn(rest, ":/?#");
    if (hl == 0 || hl > 253)
        return false;
    char host[254];
    memcpy(host, rest, hl);
    host[hl] = '\0';
    if (!valid_host(host))
        return false;
    const char *p = rest + hl;
    if (*p == ':') {
        p++;
        unsigned long port = 0;
        size_t digits = 0;
        while (is_digit(*p) && digits < 6) {
            port = port * 10 + (unsigned long)(*p - '0');
            p++;
            digits++;
        }
        if (digits == 0 || port == 0 || port > 65535)
            return false;
    }
    if (*p && *p != '/' && *p != '?' && *p != '#')
        return false;
    /* The rest: printable ASCII without spaces, quotes or angle brackets
     * (it ends up in HTML and on a console). */
    for (; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch <= 0x20 || ch >= 0x7f || ch == '"' || ch == '<' || ch == '>' || ch == '\\')
            return false;
    }
    return true;
}

static bool valid_phone(const char *s)
{
    size_t n = strlen(s), digits = 0;
    if (n > 32)
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (is_digit(ch))
            digits++;
        else if (ch != '-' && ch != '(' && ch != ')' && ch != ' ' && !(ch == '+' && i == 0))
            return false;
    }
    return digits >= 6 && digits <= 15;
}

static bool parse_color(const char *s, uint32_t *rgb)
{
    if (strlen(s) != 7 || s[0] != '#')
        return false;
    uint32_t v = 0;
    for (int i = 1; i < 7; i++) {
        int h = ms_hexval((unsigned char)s[i]);
        if (h < 0)
            return false;
        v = (v << 4) | (uint32_t)h;
    }
    *rgb = v;
    return true;
}

/* A plain file name beside the profile: no directories, no drive, no
 * leading dot, ending in .png or .bmp. */
static bool valid_file_name(const char *s)
{
    size_t n = strlen(s);
    if (n < 5 || n > 64 || s[0] == '.' || s[0] == '-')
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (!(is_alnum_lower(profile_lower(ch)) || ch == '.' || ch == '_' || ch == '-'))
            return false;
    }
    const char *ext = s + n - 4;
    return profile_eq_nocase(ext, ".png") || profile_eq_nocase(ext, ".bmp");
}

static bool parse_date(const char *s, profile_date *d)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !is_digit(s[i]))
            return false;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int day = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 1990 || y > 2100 || m < 1 || m > 12 || day < 1)
        return false;
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int max = mdays[m - 1];
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        max = 29;
    if (day > max)
        return false;
    d->year = y;
    d->month = m;
    d->day = day;
    return true;
}

/* ------------------------------------------------------------- key table */

typedef enum ftype {
    T_OBJECT,  /* nested object; sub's offsets are relative to it */
    T_TEXT,    /* {ja, en} object with at least one language */
    T_ARRAY,   /* array of objects, elem_size each */
    T_HOSTS,   /* array of host names */
    T_DOMAINS, /* array of e-mail domains */
    T_LINE,    /* one-line string */
    T_MULTI,   /* text that may hold line breaks and tabs */
    T_ID,      /* profile id */
    T_TOKEN,   /* program / option id */
    T_HOST,    /* one host name */
    T_URL,     /* http(s) URL */
    T_PHONE,   /* phone number */
    T_COLOR,   /* "#rrggbb" into uint32_t + has_accent bool before it */
    T_FILE,    /* a file name beside the profile */
    T_PORT,    /* 1..65535 into uint16_t */
    T_DATE,    /* "YYYY-MM-DD" into profile_date */
    T_BOOL,    /* into bool */
    T_ENUM,    /* one of names[] into an int-sized enum */
    T_FORMAT,  /* the format version, int */
    T_SCHEMA,  /* "$schema": any one-line string, not stored */
} ftype;

typedef struct field {
    const char *key;
    ftype type;
    bool required;
    size_t off;               /* where the value goes, relative to the object's base */
    const struct field *sub;  /* T_OBJECT / T_TEXT / T_ARRAY: member fields */
    size_t count_off;         /* T_ARRAY / T_HOSTS / T_DOMAINS: where the count goes */
    size_t elem_size;         /* T_ARRAY */
    size_t max_items;         /* arrays */
    const char *const *names; /* T_ENUM: value names, index = enum value */
    size_t max_len;           /* strings, in bytes */
} field;

_Static_assert(sizeof(profile_mode) == sizeof(int), "enums are stored as int");
_Static_assert(sizeof(profile_security) == sizeof(int), "enums are stored as int");

#define LINE_MAX_LEN 200
#define TEXT_MAX_LEN 8000
#define LIST_MAX 64

static const char *const security_names[] = {"none", "starttls", "ssl", NULL};
static const char *const auth_names[] = {"", "same_as_incoming", "own", NULL};
static const char *const mode_names[] = {"modify_account", "add_account", NULL};
static const char *const user_names[] = {"unchanged", "email_address", NULL};
static const char *const protocol_names[] = {"pop3", "imap", NULL};
static const char *const tls_upgrade_names[] = {"never", "when_verified", NULL};

#define F_END                                                                                      \
    {                                                                                              \
        NULL, T_LINE, false, 0, NULL, 0, 0, 0, NULL, 0                                             \
    }
#define F_STR(k, t, req, st, m, len)                                                               \
    {                                                                                              \
        k, t, req, offsetof(st, m), NULL, 0, 0, 0, NULL, len                                       \
    }
#define F_VAL(k, t, req, st, m)                                                                    \
    {                                                                                              \
        k, t, req, offsetof(st, m), NULL, 0, 0, 0, NULL, 0                                         \
    }
#define F_ENUM(k, req, st, m, nm)                                                                  \
    {                                                                                              \
        k, T_ENUM, req, offsetof(st, m), NULL, 0, 0, 0, nm, 0                                      \
    }
#define F_OBJ(k, t, req, st, m, sub)                                                               \
    {                                                                                              \
        k, t, req, offsetof(st, m), sub, 0, 0, 0, NULL, 0                                          \
    }
#define F_LIST(k, t, st, m, n)                                                                     \
    {                                                                                              \
        k, t, false, offsetof(st, m), NULL, offsetof(st, n), 0, LIST_MAX, NULL, 0                  \
    }
#define F_ARR(k, st, m, n, sub, et, max)                                                           \
    {                                                                                              \
        k, T_ARRAY, false, offsetof(st, m), sub, offsetof(st, n), sizeof(et), max, NULL, 0         \
    }

static const field line_text_fields[] = {
    F_STR("ja", T_LINE, false, profile_text, ja, LINE_MAX_LEN),
    F_STR("en", T_LINE, false, profile_text, en, LINE_MAX_LEN),
    F_END,
};
static const field name_fields[] = {
    F_STR("ja", T_LINE, true, profile_text, ja, LINE_MAX_LEN),
    F_STR("en", T_LINE, false, profile_text, en, LINE_MAX_LEN),
    F_END,
};
static const field multi_text_fields[] = {
    F_STR("ja", T_MULTI, false, profile_text, ja, TEXT_MAX_LEN),
    F_STR("en", T_MULTI, false, profile_text, en, TEXT_MAX_LEN),
    F_END,
};
static const field support_fields[] = {
    F_STR("phone", T_PHONE, false, struct profile_support, phone, 32),
    F_OBJ("hours", T_TEXT, false, struct profile_support, hours, line_text_fields),
    F_STR("web", T_URL, false, struct profile_support, web, 2000),
    F_END,
};
static const field branding_fields[] = {
    F_STR("logo", T_FILE, false, struct profile_branding, logo, 64),
    F_VAL("accent_color", T_COLOR, false, struct profile_branding, accent_rgb),
    F_END,
};
static const field accounts_fields[] = {
    F_LIST("domains", T_DOMAINS, profile, domains, n_domains),
    F_LIST("incoming_hosts", T_HOSTS, profile, incoming_hosts, n_incoming_hosts),
    F_LIST("outgoing_hosts", T_HOSTS, profile, outgoing_hosts, n_outgoing_hosts),
    F_END,
};
static const field add_account_fields[] = {
    F_VAL("make_default", T_BOOL, false, struct profile_add_account, make_default),
    F_OBJ("account_name", T_TEXT, false, struct profile_add_account, account_name,
          line_text_fields),
    F_END,
};
static const field host_map_fields[] = {
    F_STR("from", T_HOST, true, profile_host_map, from, 253),
    F_STR("to", T_HOST, true, profile_host_map, to, 253),
    F_END,
};
static const field incoming_fields[] = {
    F_ENUM("protocol", false, struct profile_incoming, protocol, protocol_names),
    F_STR("host", T_HOST, false, struct profile_incoming, host, 253),
    F_ARR("host_map", struct profile_incoming, host_map, n_host_map, host_map_fields,
          profile_host_map, LIST_MAX),
    F_VAL("port", T_PORT, false, struct profile_incoming, port),
    F_ENUM("security", false, struct profile_incoming, security, security_names),
    F_ENUM("user_name", false, struct profile_incoming, user_name, user_names),
    F_END,
};
static const field alt_fields[] = {
    F_STR("id", T_TOKEN, true, profile_alt_outgoing, id, 32),
    F_STR("host", T_HOST, true, profile_alt_outgoing, host, 253),
    F_VAL("port", T_PORT, false, profile_alt_outgoing, port),
    F_VAL("paid", T_BOOL, false, profile_alt_outgoing, paid),
    F_OBJ("label", T_TEXT, true, profile_alt_outgoing, label, line_text_fields),
    F_END,
};
static const field outgoing_fields[] = {
    F_STR("host", T_HOST, false, struct profile_outgoing, host, 253),
    F_ARR("host_map", struct profile_outgoing, host_map, n_host_map, host_map_fields,
          profile_host_map, LIST_MAX),
    F_VAL("port", T_PORT, true, struct profile_outgoing, port),
    F_ENUM("auth", true, struct profile_outgoing, auth, auth_names),
    F_ENUM("security", true, struct profile_outgoing, security, security_names),
    F_VAL("keep_pop_before_smtp", T_BOOL, false, struct profile_outgoing, keep_pop_before_smtp),
    F_VAL("server_offers_no_tls", T_BOOL, false, struct profile_outgoing, server_offers_no_tls),
    F_ENUM("tls_upgrade", false, struct profile_outgoing, tls_upgrade, tls_upgrade_names),
    F_ARR("alternatives", struct profile_outgoing, alternatives, n_alternatives, alt_fields,
          profile_alt_outgoing, 8),
    F_END,
};
static const field dates_fields[] = {
    F_VAL("op25b_start", T_DATE, false, struct profile_dates, op25b_start),
    F_VAL("migration_start", T_DATE, false, struct profile_dates, migration_start),
    F_VAL("migration_end", T_DATE, false, struct profile_dates, migration_end),
    F_VAL("old_incoming_until", T_DATE, false, struct profile_dates, old_incoming_until),
    F_VAL("old_outgoing_until", T_DATE, false, struct profile_dates, old_outgoing_until),
    F_VAL("pop_before_smtp_end", T_DATE, false, struct profile_dates, pop_before_smtp_end),
    F_END,
};
static const field step_fields[] = {
    F_STR("ja", T_MULTI, false, profile_text, ja, TEXT_MAX_LEN),
    F_STR("en", T_MULTI, false, profile_text, en, TEXT_MAX_LEN),
    F_END,
};
static const field manual_fields[] = {
    F_STR("program", T_TOKEN, true, profile_manual, program, 32),
    F_OBJ("title", T_TEXT, true, profile_manual, title, line_text_fields),
    /* steps: array of text objects (T_ARRAY whose elements are texts) */
    {"steps", T_ARRAY, true, offsetof(profile_manual, steps), step_fields,
     offsetof(profile_manual, n_steps), sizeof(profile_text), 100, NULL, 0},
    F_END,
};
static const field test_send_fields[] = {
    F_VAL("allow_pop3_roundtrip", T_BOOL, false, struct profile_test_send, allow_pop3_roundtrip),
    F_END,
};
static const field root_fields[] = {
    F_VAL("$schema", T_SCHEMA, false, profile, format),
    F_VAL("format", T_FORMAT, true, profile, format),
    F_STR("id", T_ID, true, profile, id, 32),
    F_OBJ("name", T_TEXT, true, profile, name, name_fields),
    F_OBJ("support", T_OBJECT, false, profile, support, support_fields),
    F_OBJ("branding", T_OBJECT, false, profile, branding, branding_fields),
    /* accounts' members live directly in profile, so its base is the root */
    {"accounts", T_OBJECT, true, 0, accounts_fields, 0, 0, 0, NULL, 0},
    F_ENUM("mode", true, profile, mode, mode_names),
    F_OBJ("add_account", T_OBJECT, false, profile, add_account, add_account_fields),
    F_OBJ("incoming", T_OBJECT, false, profile, incoming, incoming_fields),
    F_OBJ("outgoing", T_OBJECT, true, profile, outgoing, outgoing_fields),
    F_OBJ("dates", T_OBJECT, false, profile, dates, dates_fields),
    F_OBJ("explanation", T_TEXT, false, profile, explanation, multi_text_fields),
    F_ARR("manuals", profile, manuals, n_manuals, manual_fields, profile_manual, LIST_MAX),
    F_OBJ("test_send", T_OBJECT, false, profile, test_send, test_send_fields),
    F_END,
};

/* Array elements of T_ARRAY whose fields are a text's ja/en must hold at
 * least one language, like T_TEXT. */
static bool is_text_table(const field *sub)
{
    return sub == step_fields || sub == line_text_fields || sub == multi_text_fields ||
           sub == name_fields;
}

/* ------------------------------------------------------- structure pass */

#define AT(base, off, type) ((type *)(void *)((base) + (off)))

static void parse_object(vctx *c, const cJSON *obj, const field *fields, char *base);

/* Checks a string value; returns a copy (NULL after reporting an error). */
static char *take_string(vctx *c, const cJSON *v, const field *f)
{
    if (!cJSON_IsString(v) || !v->valuestring) {
        report(c, MS_ERR_PROFILE_NOT_STRING, NULL);
        return NULL;
    }
    const char *s = v->valuestring;
    if (!utf8_valid(s)) {
        report(c, MS_ERR_PROFILE_UTF8, NULL);
        return NULL;
    }
    bool blank = true;
    for (const char *p = s; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r')
            blank = false;
        bool allowed_ctl = f->type == T_MULTI && (ch == '\n' || ch == '\t');
        if ((ch < 0x20 || ch == 0x7f) && !allowed_ctl) {
            report(c, MS_ERR_PROFILE_CONTROL_CHAR, NULL);
            return NULL;
        }
    }
    if (blank) {
        report(c, MS_ERR_PROFILE_EMPTY_STRING, NULL);
        return NULL;
    }
    size_t max = f->max_len ? f->max_len : LINE_MAX_LEN;
    if (strlen(s) > max) {
        report(c, MS_ERR_PROFILE_TOO_LONG, "> %zu bytes", max);
        return NULL;
    }
    char *copy = profile_dupstr(s);
    if (!copy)
        nomem(c);
    return copy;
}

/* An integer-valued JSON number, or false after reporting. */
static bool take_integer(vctx *c, const cJSON *v, ms_code range_code, double lo, double hi,
                         long *out)
{
    if (!cJSON_IsNumber(v)) {
        report(c, MS_ERR_PROFILE_NOT_INTEGER, NULL);
        return false;
    }
    double d = v->valuedouble;
    /* NaN fails both comparisons; huge values fail the range before the cast. */
    if (!(d >= -1e15 && d <= 1e15) || (double)(long long)d != d) {
        report(c, MS_ERR_PROFILE_NOT_INTEGER, NULL);
        return false;
    }
    if (d < lo || d > hi) {
        report(c, range_code, "%.0f", d);
        return false;
    }
    *out = (long)d;
    return true;
}

/* The number of entries of the array v (1 to f->max_items); 0 after
 * reporting why it is not one (not an array, too many, empty). */
static size_t array_size(vctx *c, const cJSON *v, const field *f)
{
    if (!cJSON_IsArray(v)) {
        report(c, MS_ERR_PROFILE_NOT_ARRAY, NULL);
        return 0;
    }
    size_t n = 0;
    for (const cJSON *e = v->child; e; e = e->next)
        if (++n > f->max_items) {
            report(c, MS_ERR_PROFILE_TOO_MANY, "> %zu", f->max_items);
            return 0;
        }
    if (n == 0)
        report(c, MS_ERR_PROFILE_EMPTY_ARRAY, NULL);
    return n;
}

static void take_list(vctx *c, const cJSON *v, const field *f, char *base)
{
    size_t n = array_size(c, v, f);
    if (n == 0)
        return;
    char **list = calloc(n, sizeof *list);
    if (!list) {
        nomem(c);
        return;
    }
    *AT(base, f->off, char **) = list;
    size_t i = 0;
    field elem = *f;
    elem.type = T_LINE;
    elem.max_len = 253;
    for (const cJSON *e = v->child; e; e = e->next, i++) {
        size_t old = path_push_index(&c->path, i);
        char *s = take_string(c, e, &elem);
        if (s) {
            bool ok = valid_host(s);
            if (!ok) {
                report(c,
                       f->type == T_DOMAINS ? MS_ERR_PROFILE_BAD_DOMAIN : MS_ERR_PROFILE_BAD_HOST,
                       NULL);
            } else {
                for (size_t j = 0; j < i; j++)
                    if (profile_eq_nocase(list[j], s)) {
                        report(c, MS_ERR_PROFILE_DUPLICATE_VALUE, NULL);
                        ok = false;
                        break;
                    }
            }
            if (!ok) {
                free(s);
                s = NULL;
            }
        }
        /* Failed entries stay NULL; profile_free skips them. */
        list[i] = s;
        *AT(base, f->count_off, size_t) = i + 1;
        path_pop(&c->path, old);
    }
}

static void take_array(vctx *c, const cJSON *v, const field *f, char *base)
{
    size_t n = array_size(c, v, f);
    if (n == 0)
        return;
    char *arr = calloc(n, f->elem_size);
    if (!arr) {
        nomem(c);
        return;
    }
    *AT(base, f->off, void *) = arr;
    *AT(base, f->count_off, size_t) = n;
    size_t i = 0;
    for (const cJSON *e = v->child; e; e = e->next, i++) {
        size_t old = path_push_index(&c->path, i);
        if (!cJSON_IsObject(e)) {
            report(c, MS_ERR_PROFILE_NOT_OBJECT_VALUE, NULL);
        } else {
            char *eb = arr + i * f->elem_size;
            parse_object(c, e, f->sub, eb);
            if (is_text_table(f->sub) && e->child == NULL)
                report(c, MS_ERR_PROFILE_EMPTY_ARRAY, NULL);
        }
        path_pop(&c->path, old);
    }
}

/* Values that are not strings: objects, arrays, numbers, booleans.
 * Returns false when f's type is a string type (nothing done). */
static bool parse_nonstring(vctx *c, const cJSON *v, const field *f, char *base)
{
    long num;
    switch (f->type) {
    case T_OBJECT:
    case T_TEXT:
        if (!cJSON_IsObject(v)) {
            report(c, MS_ERR_PROFILE_NOT_OBJECT_VALUE, NULL);
            return true;
        }
        parse_object(c, v, f->sub, base + f->off);
        if (f->type == T_TEXT && v->child == NULL)
            report(c, MS_ERR_PROFILE_EMPTY_ARRAY, NULL); /* {} : no language at all */
        return true;
    case T_ARRAY:
        take_array(c, v, f, base);
        return true;
    case T_HOSTS:
    case T_DOMAINS:
        take_list(c, v, f, base);
        return true;
    case T_PORT:
        if (take_integer(c, v, MS_ERR_PROFILE_BAD_PORT, 1, 65535, &num))
            *AT(base, f->off, uint16_t) = (uint16_t)num;
        return true;
    case T_FORMAT:
        if (take_integer(c, v, MS_ERR_PROFILE_FORMAT_VERSION, PROFILE_FORMAT, PROFILE_FORMAT, &num))
            *AT(base, f->off, int) = (int)num;
        return true;
    case T_BOOL:
        if (!cJSON_IsBool(v))
            report(c, MS_ERR_PROFILE_NOT_BOOL, NULL);
        else
            *AT(base, f->off, bool) = cJSON_IsTrue(v);
        return true;
    default:
        return false;
    }
}

/* A string checked by its format: whether it is valid (reported if not). */
static bool valid_format(vctx *c, const field *f, const char *s)
{
    switch (f->type) {
    case T_ID:
        if (valid_profile_id(s))
            return true;
        report(c, MS_ERR_PROFILE_BAD_ID, NULL);
        return false;
    case T_TOKEN:
        if (valid_token(s))
            return true;
        report(c, MS_ERR_PROFILE_BAD_ID, "[a-z0-9_]");
        return false;
    case T_HOST:
        if (valid_host(s))
            return true;
        report(c, MS_ERR_PROFILE_BAD_HOST, NULL);
        return false;
    case T_URL:
        if (valid_url(s))
            return true;
        report(c, MS_ERR_PROFILE_BAD_URL, NULL);
        return false;
    case T_PHONE:
        if (valid_phone(s))
            return true;
        report(c, MS_ERR_PROFILE_BAD_PHONE, NULL);
        return false;
    case T_FILE:
        if (valid_file_name(s))
            return true;
        report(c, MS_ERR_PROFILE_BAD_FILE_NAME, NULL);
        return false;
    default: /* T_LINE, T_MULTI */
        return true;
    }
}

/* An enum's value into its int; a value not allowed names those that are. */
static void parse_enum(vctx *c, const field *f, const char *s, char *base)
{
    for (int i = 0; f->names[i]; i++)
        if (f->names[i][0] && strcmp(f->names[i], s) == 0) {
            *AT(base, f->off, int) = i;
            return;
        }
    char allowed[160] = "";
    size_t at = 0;
    for (int i = 0; f->names[i]; i++) {
        if (!f->names[i][0])
            continue;
        int n = snprintf(allowed + at, sizeof allowed - at, "%s%s", at ? ", " : "", f->names[i]);
        if (n < 0 || (size_t)n >= sizeof allowed - at)
            break;
        at += (size_t)n;
    }
    report(c, MS_ERR_PROFILE_BAD_ENUM, "%s", allowed);
}

/* Strings parsed into another value (colour, date, enum) or not stored
 * ($schema): whether f is one of those (s is then done with). */
static bool parse_converted(vctx *c, const field *f, const char *s, char *base)
{
    switch (f->type) {
    case T_COLOR: {
        uint32_t rgb;
        if (!parse_color(s, &rgb)) {
            report(c, MS_ERR_PROFILE_BAD_COLOR, NULL);
        } else {
            struct profile_branding *b = (struct profile_branding *)(void *)base;
            b->accent_rgb = rgb;
            b->has_accent = true;
        }
        return true;
    }
    case T_DATE: {
        profile_date d;
        if (!parse_date(s, &d))
            report(c, MS_ERR_PROFILE_BAD_DATE, NULL);
        else
            *AT(base, f->off, profile_date) = d;
        return true;
    }
    case T_ENUM:
        parse_enum(c, f, s, base);
        return true;
    case T_SCHEMA:
        return true;
    default:
        return false;
    }
}

static void parse_value(vctx *c, const cJSON *v, const field *f, char *base)
{
    if (parse_nonstring(c, v, f, base))
        return;
    /* The rest are strings. */
    char *s = take_string(c, v, f);
    if (!s)
        return;
    if (parse_converted(c, f, s, base) || !valid_format(c, f, s))
        free(s);
    else
        *AT(base, f->off, char *) = s;
}

static void parse_object(vctx *c, const cJSON *obj, const field *fields, char *base)
{
    bool seen[32] = {false};
    size_t nfields = 0;
    while (fields[nfields].key)
        nfields++;

    for (const cJSON *ch = obj->child; ch; ch = ch->next) {
        const char *key = ch->string ? ch->string : "";
        size_t old = path_push_key(&c->path, key);
        size_t idx = 0;
        while (idx < nfields && strcmp(fields[idx].key, key) != 0)
            idx++;
        if (!utf8_valid(key))
            report(c, MS_ERR_PROFILE_UTF8, NULL);
        else if (idx == nfields)
            report(c, MS_ERR_PROFILE_UNKNOWN_KEY, NULL);
        else if (seen[idx])
            /* cJSON keeps both copies; which one a reader would take is
             * ambiguous, so the profile is refused. */
            report(c, MS_ERR_PROFILE_DUPLICATE_KEY, NULL);
        else {
            seen[idx] = true;
            parse_value(c, ch, &fields[idx], base);
        }
        path_pop(&c->path, old);
    }
    for (size_t i = 0; i < nfields; i++)
        if (fields[i].required && !seen[i]) {
            size_t old = path_push_key(&c->path, fields[i].key);
            report(c, MS_ERR_PROFILE_MISSING, NULL);
            path_pop(&c->path, old);
        }
}

static void line_col(const char *s, size_t off, size_t *line, size_t *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off; i++) {
        if (s[i] == '\n') {
            (*line)++;
            *col = 1;
        } else if (((unsigned char)s[i] & 0xC0) != 0x80) {
            (*col)++;
        }
    }
}

static void report_pos(vctx *c, ms_code code, const char *s, size_t off)
{
    size_t line, col;
    line_col(s, off, &line, &col);
    char extra[80];
    snprintf(extra, sizeof extra, "line %zu, column %zu", line, col);
    add_issue(c, code, "$", extra);
}

/* Checks UTF-8, NUL bytes, "\u0000" escapes (cJSON would cut the string
 * there) and the nesting depth, without recursion. Returns false after
 * reporting. */
static bool check_raw(vctx *c, const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    bool in_str = false;
    size_t depth = 0;
    for (size_t i = 0; i < len;) {
        unsigned char ch = u[i];
        if (ch >= 0x80) {
            size_t k = utf8_seq(u + i, len - i);
            if (!k) {
                report_pos(c, MS_ERR_PROFILE_UTF8, s, i);
                return false;
            }
            i += k;
            continue;
        }
        if (ch == 0) {
            report_pos(c, MS_ERR_PROFILE_CONTROL_CHAR, s, i);
            return false;
        }
        if (in_str) {
            if (ch == '\\' && i + 1 < len) {
                if (u[i + 1] == 'u' && i + 6 <= len && memcmp(s + i + 2, "0000", 4) == 0) {
                    report_pos(c, MS_ERR_PROFILE_CONTROL_CHAR, s, i);
                    return false;
                }
                i += 2;
                continue;
            }
            if (ch == '"')
                in_str = false;
        } else if (ch == '"') {
            in_str = true;
        } else if (ch == '{' || ch == '[') {
            if (++depth > PROFILE_MAX_DEPTH) {
                report_pos(c, MS_ERR_PROFILE_TOO_DEEP, s, i);
                return false;
            }
        } else if ((ch == '}' || ch == ']') && depth > 0) {
            depth--;
        }
        i++;
    }
    return true;
}

static bool only_space(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
            return false;
    return true;
}

/* ------------------------------------------------------------ load/free */

static void free_text(profile_text *t)
{
    free(t->ja);
    free(t->en);
}

static void free_list(char **l, size_t n)
{
    if (!l)
        return;
    for (size_t i = 0; i < n; i++)
        free(l[i]);
    free(l);
}

static void free_map(profile_host_map *m, size_t n)
{
    if (!m)
        return;
    for (size_t i = 0; i < n; i++) {
        free(m[i].from);
        free(m[i].to);
    }
    free(m);
}

void profile_free(profile *p)
{
    if (!p)
        return;
    free(p->id);
    free_text(&p->name);
    free(p->support.phone);
    free_text(&p->support.hours);
    free(p->support.web);
    free(p->branding.logo);
    free_list(p->domains, p->n_domains);
    free_list(p->incoming_hosts, p->n_incoming_hosts);
    free_list(p->outgoing_hosts, p->n_outgoing_hosts);
    free_text(&p->add_account.account_name);
    free(p->incoming.host);
    free_map(p->incoming.host_map, p->incoming.n_host_map);
    free(p->outgoing.host);
    free_map(p->outgoing.host_map, p->outgoing.n_host_map);
    if (p->outgoing.alternatives) {
        for (size_t i = 0; i < p->outgoing.n_alternatives; i++) {
            free(p->outgoing.alternatives[i].id);
            free(p->outgoing.alternatives[i].host);
            free_text(&p->outgoing.alternatives[i].label);
        }
        free(p->outgoing.alternatives);
    }
    free_text(&p->explanation);
    if (p->manuals) {
        for (size_t i = 0; i < p->n_manuals; i++) {
            profile_manual *m = &p->manuals[i];
            free(m->program);
            free_text(&m->title);
            if (m->steps) {
                for (size_t k = 0; k < m->n_steps; k++)
                    free_text(&m->steps[k]);
                free(m->steps);
            }
        }
        free(p->manuals);
    }
    free(p);
}

ms_code profile_load_json(const char *json, size_t len, profile **out, profile_errors *errs)
{
    vctx c = {errs, MS_OK, {"$", 1}};
    *out = NULL;

    if (!json)
        len = 0;
    if (len > PROFILE_MAX_BYTES) {
        add_issue(&c, MS_ERR_PROFILE_TOO_LARGE, "$", NULL);
        return c.first;
    }
    /* A UTF-8 byte order mark, as Notepad writes, is allowed. */
    if (len >= 3 && memcmp(json, "\xEF\xBB\xBF", 3) == 0) {
        json += 3;
        len -= 3;
    }
    if (len == 0 || only_space(json, len)) {
        add_issue(&c, MS_ERR_PROFILE_EMPTY, "$", NULL);
        return c.first;
    }
    if (!check_raw(&c, json, len))
        return c.first;

    /* A NUL-terminated copy, so the parser can never read past the end. */
    char *buf = malloc(len + 1);
    if (!buf) {
        nomem(&c);
        return c.first;
    }
    memcpy(buf, json, len);
    buf[len] = '\0';
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithOpts(buf, &end, 1);
    if (!root) {
        const char *at = cJSON_GetErrorPtr();
        size_t off = (at && at >= buf && at <= buf + len) ? (size_t)(at - buf) : 0;
        /* ParseWithOpts(require_null_terminated) also fails on trailing
         * garbage; the error pointer then points at it. */
        report_pos(&c, MS_ERR_PROFILE_SYNTAX, buf, off);
        free(buf);
        return c.first;
    }
    if (!cJSON_IsObject(root)) {
        add_issue(&c, MS_ERR_PROFILE_NOT_OBJECT, "$", NULL);
        cJSON_Delete(root);
        free(buf);
        return c.first;
    }

    profile *p = calloc(1, sizeof *p);
    if (!p) {
        nomem(&c);
        cJSON_Delete(root);
        free(buf);
        return c.first;
    }
    p->incoming.security = PROFILE_SEC_KEEP;
    p->outgoing.auth = PROFILE_AUTH_SAME_AS_INCOMING;

    parse_object(&c, root, root_fields, (char *)p);
    if (c.first == MS_OK)
        profile_check_rules(&c, p, root);
    if (c.first == MS_OK && !profile_complete_host_lists(p))
        nomem(&c);
    cJSON_Delete(root);
    free(buf);

    if (c.first != MS_OK) {
        profile_free(p);
        return c.first;
    }
    *out = p;
    return MS_OK;
}

ms_code profile_load_file(const char *path, profile **out, profile_errors *errs)
{
    strbuf sb;
    strbuf_init(&sb);
    ms_error err;
    *out = NULL;
    /* One byte more than the limit, so an oversized file gets P05. */
    ms_code rc = ms_file_read(path, PROFILE_MAX_BYTES + 1, &sb, &err);
    if (rc != MS_OK) {
        strbuf_free(&sb);
        vctx c = {errs, MS_OK, {"$", 1}};
        size_t before = errs ? errs->count : 0;
        add_issue(&c, rc, "$", NULL);
        if (errs && errs->count > before)
            errs->items[before].err = err; /* keep the platform's sentence */
        return rc;
    }
    rc = profile_load_json(sb.buf, sb.len, out, errs);
    strbuf_free(&sb);
    return rc;
}

static const char *name_of(const char *const *names, int v)
{
    for (int i = 0; names[i]; i++)
        if (i == v)
            return names[i];
    return "?";
}

const char *profile_security_name(profile_security s)
{
    return s == PROFILE_SEC_KEEP ? "keep" : name_of(security_names, (int)s);
}

const char *profile_auth_name(profile_auth a)
{
    return name_of(auth_names, (int)a);
}

const char *profile_mode_name(profile_mode m)
{
    return name_of(mode_names, (int)m);
}

const char *profile_user_policy_name(profile_user_policy u)
{
    return name_of(user_names, (int)u);
}

const char *profile_protocol_name(profile_protocol pr)
{
    return name_of(protocol_names, (int)pr);
}

const char *profile_tls_upgrade_name(profile_tls_upgrade u)
{
    return name_of(tls_upgrade_names, (int)u);
}

/* ------------------------------------------------------------ key list */

static size_t walk_keys(const field *fields, const char *prefix,
                        void (*fn)(const char *, bool, const char *const *, void *), void *ctxp)
{
    size_t count = 0;
    for (const field *f = fields; f->key; f++) {
        char dotted[160];
        snprintf(dotted, sizeof dotted, "%s%s%s", prefix, *prefix ? "." : "", f->key);
        const char *const *en = NULL;
        /* auth_names[0] is a placeholder for the unused value 0 */
        static const char *const auth_values[] = {"same_as_incoming", "own", NULL};
        if (f->type == T_ENUM)
            en = f->names == auth_names ? auth_values : f->names;
        if (fn)
            fn(dotted, f->required, en, ctxp);
        count++;
        if (f->sub) {
            char sub[170];
            snprintf(sub, sizeof sub, "%s%s", dotted, f->type == T_ARRAY ? "[]" : "");
            count += walk_keys(f->sub, sub, fn, ctxp);
        }
    }
    return count;
}

size_t profile_list_keys(void (*fn)(const char *dotted, bool required,
                                    const char *const *enum_values, void *ctx),
                         void *ctx)
{
    return walk_keys(root_fields, "", fn, ctx);
}
