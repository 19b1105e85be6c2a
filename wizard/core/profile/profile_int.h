/* profile_int: what the parts of the profile loader share (profile.c
 * loads and checks the structure, profile_rules.c the rules between
 * fields, profile_hosts.c the host lists, lookups and placeholders). Not
 * for use outside wizard/core/profile*.c. */
#ifndef MS_PROFILE_INT_H
#define MS_PROFILE_INT_H

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "profile.h"

/* A JSON path being built while walking the document: "$.a.b[3]". */
typedef struct jpath {
    char buf[256];
    size_t len;
} jpath;

typedef struct vctx {
    profile_errors *errs;
    ms_code first; /* MS_OK until the first error */
    jpath path;
} vctx;

/* Adds an error at path (extra, when not empty, in parentheses). */
void profile_report_at(vctx *c, ms_code code, const char *path, const char *extra);

/* The rules between fields, once the structure is right (P31-P51). */
void profile_check_rules(vctx *c, profile *p, const cJSON *root);

/* After validation: the host lists also hold every host the profile names,
 * so already-migrated accounts and alternative servers are recognised.
 * False: out of memory. */
bool profile_complete_host_lists(profile *p);

static inline char *profile_dupstr(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static inline char profile_lower(char ch)
{
    return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
}

/* Equal but for ASCII case; NULL equals nothing. */
static inline bool profile_eq_nocase(const char *a, const char *b)
{
    if (!a || !b)
        return false;
    while (*a && profile_lower(*a) == profile_lower(*b)) {
        a++;
        b++;
    }
    return *a == '\0' && *b == '\0';
}

#endif
