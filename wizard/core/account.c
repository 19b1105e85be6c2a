/* account: helpers for the client-neutral account model. */
#include "account.h"

#include <stdlib.h>
#include <string.h>

static const char *const program_ids[MS_PROG_COUNT] = {
    [MS_PROG_OE] = "oe",
    [MS_PROG_WINMAIL] = "winmail",
    [MS_PROG_WLMAIL] = "wlmail",
    [MS_PROG_OUTLOOK] = "outlook",
    [MS_PROG_OUTLOOK_NEW] = "outlook2013",
    [MS_PROG_THUNDERBIRD] = "thunderbird",
    [MS_PROG_NETSCAPE] = "netscape",
    [MS_PROG_BECKY] = "becky",
    [MS_PROG_POSTPET] = "postpet",
    [MS_PROG_EUDORA] = "eudora",
    [MS_PROG_OUTLOOK_IMO] = "outlook2000",
    [MS_PROG_OUTLOOK_APP] = "outlook_new",
    [MS_PROG_MAIL_APP] = "windows_mail_app",
};

static const char *const field_ids[MS_F_COUNT] = {
    [MS_F_SMTP_HOST] = "smtp_host",
    [MS_F_SMTP_PORT] = "smtp_port",
    [MS_F_SMTP_AUTH] = "smtp_auth",
    [MS_F_SMTP_USER] = "smtp_user",
    [MS_F_SMTP_SECURITY] = "smtp_security",
    [MS_F_INCOMING_HOST] = "incoming_host",
    [MS_F_INCOMING_USER] = "incoming_user",
    [MS_F_DEFAULT] = "default",
};

const char *account_program_id(ms_program p)
{
    return (unsigned)p < MS_PROG_COUNT ? program_ids[p] : "unknown";
}

static bool same_text(const char *a, const char *b, bool host)
{
    if (!a || !*a)
        return !b || !*b;
    if (!b)
        return false;
    return host ? ms_strcasecmp(a, b) == 0 : strcmp(a, b) == 0;
}

bool account_field_is(const ms_account *a, ms_field f, ms_value v)
{
    switch (f) {
    case MS_F_SMTP_HOST:
        return same_text(a->smtp_host, v.str, true);
    case MS_F_SMTP_PORT:
        return a->smtp_port == v.num;
    case MS_F_SMTP_AUTH:
        return (unsigned)a->smtp_auth == v.num;
    case MS_F_SMTP_USER:
        return same_text(a->smtp_user, v.str, false);
    case MS_F_SMTP_SECURITY:
        return (unsigned)a->smtp_security == v.num;
    case MS_F_INCOMING_HOST:
        return same_text(a->incoming_host, v.str, true);
    case MS_F_INCOMING_USER:
        return same_text(a->incoming_user, v.str, false);
    case MS_F_DEFAULT:
        return a->is_default == (v.num != 0);
    case MS_F_COUNT:
        break;
    }
    return false;
}

const char *account_field_id(ms_field f)
{
    return (unsigned)f < MS_F_COUNT ? field_ids[f] : "unknown";
}

char *ms_strdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

int ms_strcasecmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int ca = (unsigned char)*a, cb = (unsigned char)*b;
        if (ca >= 'A' && ca <= 'Z')
            ca += 'a' - 'A';
        if (cb >= 'A' && cb <= 'Z')
            cb += 'a' - 'A';
        if (ca != cb || !ca)
            return ca - cb;
    }
}

void account_list_init(ms_account_list *l)
{
    l->items = NULL;
    l->count = l->cap = 0;
}

ms_account *account_list_add(ms_account_list *l)
{
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        ms_account *n = realloc(l->items, cap * sizeof *n);
        if (!n)
            return NULL;
        l->items = n;
        l->cap = cap;
    }
    ms_account *a = &l->items[l->count++];
    memset(a, 0, sizeof *a);
    return a;
}

void account_free(ms_account *a)
{
    char **strs[] = {&a->program_version, &a->id,         &a->location,      &a->container,
                     &a->account_name,    &a->display_name, &a->email,         &a->incoming_host,
                     &a->incoming_user,   &a->smtp_host,    &a->smtp_user};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
        free(*strs[i]);
        *strs[i] = NULL;
    }
}

void account_list_free(ms_account_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        account_free(&l->items[i]);
    free(l->items);
    account_list_init(l);
}

ms_code account_copy(ms_account *dst, const ms_account *src)
{
    *dst = *src;
    char **strs[] = {&dst->program_version, &dst->id,          &dst->location,
                     &dst->container,       &dst->account_name, &dst->display_name,
                     &dst->email,           &dst->incoming_host, &dst->incoming_user,
                     &dst->smtp_host,       &dst->smtp_user};
    bool ok = true;
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
        if (*strs[i]) {
            *strs[i] = ms_strdup(*strs[i]);
            ok = ok && *strs[i];
        }
    }
    if (!ok) {
        account_free(dst);
        return MS_ERR_NOMEM;
    }
    return MS_OK;
}
