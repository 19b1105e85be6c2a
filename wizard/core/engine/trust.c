/* trust: the string rules of where undo may act; see trust.h. */
#include "trust.h"

#include <string.h>

#include "account.h"
#include "strbuf.h"

/* ---- registry keys: matched component by component, case-insensitively */

enum pat {
    P_END = 0,
    P_LIT,  /* the literal component */
    P_GUID, /* {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX} */
    P_HEX8, /* an account key: 8 hex digits */
    P_NAME, /* any one component (an Outlook profile's name) */
};

struct comp {
    enum pat kind;
    const char *lit;
};

#define L(s)                                                                                       \
    {                                                                                              \
        P_LIT, s                                                                                   \
    }
#define IAM L("Software"), L("Microsoft"), L("Internet Account Manager")
#define OMI2000 L("Software"), L("Microsoft"), L("Office"), L("Outlook"), L("OMI Account Manager")
#define OMI98                                                                                      \
    L("Software"), L("Microsoft"), L("Office"), L("8.0"), L("Outlook"), L("OMI Account Manager")
#define WMS                                                                                        \
    L("Software"), L("Microsoft"), L("Windows NT"), L("CurrentVersion"),                           \
        L("Windows Messaging Subsystem"), L("Profiles"), {P_NAME, NULL},                           \
        L("9375CFF0413111d3B88A00104B2A6676")
#define OFFICE(v)                                                                                  \
    L("Software"), L("Microsoft"), L("Office"), L(v), L("Outlook"), L("Profiles"), {P_NAME, NULL}, \
        L("9375CFF0413111d3B88A00104B2A6676")

/* The values a back-end sets on a root rather than in an account. */
static const char *const oe_root_values[] = {"Default Mail Account", "Server ID", NULL};
static const char *const olk_root_values[] = {"{ED475418-B0D6-11D2-8C3B-00104B2A6676}", NULL};
static const char *const wm_root_values[] = {"Default Mail Account", NULL};

struct rule {
    struct comp c[14];
    const char *const *values; /* NULL: any value (an account container) */
    bool key_created;          /* undo may delete this key */
};

static const struct rule rules[] = {
    /* Outlook Express: the shared store and each identity's. */
    {{IAM}, oe_root_values, false},
    {{L("Identities"), {P_GUID, NULL}, IAM}, oe_root_values, false},
    {{IAM, L("Accounts"), {P_HEX8, NULL}}, NULL, true},
    {{L("Identities"), {P_GUID, NULL}, IAM, L("Accounts"), {P_HEX8, NULL}}, NULL, true},
    /* Outlook 2000 and 98 in Internet-only mode: OE's layout under their
     * own "OMI Account Manager" key (be_oe.c's second set of roots). */
    {{OMI2000}, oe_root_values, false},
    {{OMI2000, L("Accounts"), {P_HEX8, NULL}}, NULL, true},
    {{OMI98}, oe_root_values, false},
    {{OMI98, L("Accounts"), {P_HEX8, NULL}}, NULL, true},
    /* Outlook 2003-2010 and 2013 on: a profile's account manager key. */
    {{WMS}, olk_root_values, false},
    {{WMS, {P_HEX8, NULL}}, NULL, false},
    {{OFFICE("15.0")}, olk_root_values, false},
    {{OFFICE("15.0"), {P_HEX8, NULL}}, NULL, false},
    {{OFFICE("16.0")}, olk_root_values, false},
    {{OFFICE("16.0"), {P_HEX8, NULL}}, NULL, false},
    /* Windows Mail / Windows Live Mail: the default account's name. */
    {{L("Software"), L("Microsoft"), L("Windows Mail")}, wm_root_values, false},
    {{L("Software"), L("Microsoft"), L("Windows Live Mail")}, wm_root_values, false},
};

static bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool comp_eq(const char *s, size_t n, const char *lit)
{
    return strlen(lit) == n && ms_ascii_eq_n(s, lit, n);
}

static bool comp_match(const struct comp *p, const char *s, size_t n)
{
    switch (p->kind) {
    case P_LIT:
        return comp_eq(s, n, p->lit);
    case P_HEX8:
        if (n != 8)
            return false;
        for (size_t i = 0; i < n; i++)
            if (!is_hex(s[i]))
                return false;
        return true;
    case P_GUID:
        if (n != 38 || s[0] != '{' || s[37] != '}')
            return false;
        for (size_t i = 1; i < 37; i++) {
            bool dash = i == 9 || i == 14 || i == 19 || i == 24;
            if (dash ? s[i] != '-' : !is_hex(s[i]))
                return false;
        }
        return true;
    case P_NAME:
        return n > 0 && !(n == 1 && s[0] == '.') && !(n == 2 && s[0] == '.' && s[1] == '.');
    case P_END:
        break;
    }
    return false;
}

/* Says why (when the caller asked: why not NULL); false. */
static bool refuse(const char **why, const char *text)
{
    if (why)
        *why = text;
    return false;
}

/* The rule key matches, or NULL (with *why, when why is not NULL). */
static const struct rule *match_key(const char *key, const char **why)
{
    if (!key || !*key || key[0] == '\\') {
        refuse(why, "not a key below HKEY_CURRENT_USER");
        return NULL;
    }
    for (size_t r = 0; r < sizeof rules / sizeof rules[0]; r++) {
        const char *s = key;
        size_t k = 0;
        bool ok = true;
        while (ok) {
            const char *e = strchr(s, '\\');
            size_t n = e ? (size_t)(e - s) : strlen(s);
            const struct comp *p = &rules[r].c[k];
            if (p->kind == P_END || !comp_match(p, s, n)) {
                ok = false;
                break;
            }
            k++;
            if (!e)
                break;
            s = e + 1;
        }
        if (ok && rules[r].c[k].kind == P_END)
            return &rules[r];
    }
    refuse(why, "not a mail account's key");
    return NULL;
}

bool trust_reg_value(const char *key, const char *name, const char **why)
{
    const struct rule *r = match_key(key, why);
    if (!r)
        return false;
    if (!name)
        return refuse(why, "no value name");
    if (!r->values)
        return true;
    for (size_t i = 0; r->values[i]; i++)
        if (ms_strcasecmp(name, r->values[i]) == 0)
            return true;
    return refuse(why, "a value mailsetup never sets on this key");
}

bool trust_reg_key_created(const char *key, const char **why)
{
    const struct rule *r = match_key(key, why);
    if (!r)
        return false;
    return r->key_created || refuse(why, "not an account container mailsetup creates");
}

/* ---- files */

static bool name_is(const char *s, size_t n, const char *lit)
{
    return comp_eq(s, n, lit);
}

/* prefs.js and a server's msgFilterRules.dat (Thunderbird, SeaMonkey,
 * Netscape: the filters' target folders follow a renamed server),
 * NAME.oeaccount (Windows Mail, Windows Live Mail), Mailbox.ini (Becky!). */
static bool known_name(const char *s, size_t n)
{
    static const char ext[] = ".oeaccount";
    size_t m = sizeof ext - 1;
    return name_is(s, n, "prefs.js") || name_is(s, n, "msgFilterRules.dat") ||
           name_is(s, n, "Mailbox.ini") || (n > m && comp_eq(s + n - m, m, ext));
}

/* Every component from p on is a plain name: no "", ".", "..", no stream
 * (":") and no trailing dot or space (Windows drops them: "..." or
 * "prefs.js." would name another file). */
static bool plain_components(const char *p, char sep, const char **why)
{
    for (;;) {
        const char *e = strchr(p, sep);
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == 0) {
            *why = "an empty folder name";
            return false;
        }
        if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.')) {
            *why = "\".\" or \"..\" in the path";
            return false;
        }
        if (memchr(p, ':', n) || memchr(p, '/', n) || memchr(p, '\\', n)) {
            *why = "a stream or a second kind of separator in the path";
            return false;
        }
        if (p[n - 1] == '.' || p[n - 1] == ' ') {
            *why = "a name ending in a dot or space";
            return false;
        }
        if (!e)
            return true;
        p = e + 1;
    }
}

/* Length of root when path is strictly below it (compared
 * case-insensitively: Windows folder names), else 0. */
static size_t below(const char *path, const char *root, char sep)
{
    size_t n = strlen(root);
    while (n > 1 && root[n - 1] == sep)
        n--;
    if (n == 0 || strlen(path) <= n + 1 || path[n] != sep)
        return 0;
    return ms_ascii_eq_n(path, root, n) ? n : 0;
}

bool trust_file(const char *path, const char *const *roots, size_t n_roots, char sep,
                size_t *root_len, const char **why)
{
    const char *dummy;
    if (!why)
        why = &dummy;
    *root_len = 0;
    if (!path || !*path) {
        *why = "no path";
        return false;
    }
    const char *base = strrchr(path, sep);
    base = base ? base + 1 : path;
    if (!known_name(base, strlen(base))) {
        *why = "not the name of a mail program's settings file";
        return false;
    }
    size_t best = 0;
    for (size_t i = 0; i < n_roots; i++) {
        size_t n = roots[i] ? below(path, roots[i], sep) : 0;
        if (n > best)
            best = n;
    }
    if (!best) {
        *why = "not below the user's own folders";
        return false;
    }
    if (!plain_components(path + best + 1, sep, why))
        return false;
    *root_len = best;
    return true;
}
