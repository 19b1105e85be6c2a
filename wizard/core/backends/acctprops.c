/* acctprops: change plans as account-API property writes; see acctprops.h. */
#include "acctprops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf16.h"

/* The vtable slots as the documentation numbers them (IUnknown's three
 * first; Outlook's interfaces then IOlkErrorUnknown::GetLastError). */
#define SLOT(type, member, n)                                                                      \
    _Static_assert(offsetof(type, member) == (n) * sizeof(void (*)(void)), #type "." #member)
SLOT(IOlkAccountVtbl, GetAccountInfo, 10);
SLOT(IOlkAccountVtbl, SetProp, 12);
SLOT(IOlkAccountVtbl, FreeMemory, 16);
SLOT(IOlkAccountVtbl, SaveChanges, 18);
SLOT(IOlkAccountManagerVtbl, Init, 4);
SLOT(IOlkAccountManagerVtbl, FindAccount, 11);
SLOT(IOlkAccountManagerVtbl, SaveChanges, 17);
SLOT(IOlkAccountManagerVtbl, FreeMemory, 23);
SLOT(IOlkAccountHelperVtbl, HandsOffSession, 6);
SLOT(IImnAccountVtbl, SetPropDw, 7);
SLOT(IImnAccountVtbl, SetPropSz, 8);
SLOT(IImnAccountVtbl, SetAsDefault, 10);
SLOT(IImnAccountVtbl, SaveChanges, 12);
SLOT(IImnAccountManagerVtbl, FindAccount, 7);
SLOT(IImnAccountManagerVtbl, InitEx, 16);
SLOT(IImnAccountManagerVtbl, InitUser, 17);

/* ---- the lists */

static ms_code put(acctprops_list *l, uint32_t tag, uint32_t dw, const char *str, bool is_string,
                   ms_error *err)
{
    if (l->n == ACCTPROPS_MAX_WRITES)
        return ms_fail(err, MS_ERR_INTERNAL, "too many property writes");
    l->w[l->n++] = (acctprops_write){tag, is_string, dw, str};
    return MS_OK;
}

static ms_code put_dw(acctprops_list *l, uint32_t tag, uint32_t dw, ms_error *err)
{
    return put(l, tag, dw, NULL, false, err);
}

static ms_code put_str(acctprops_list *l, uint32_t tag, const char *s, ms_error *err)
{
    return put(l, tag, 0, s ? s : "", true, err);
}

size_t acctprops_olk_auth(unsigned to, ms_smtp_auth now, uint32_t v[3])
{
    switch ((ms_smtp_auth)to) {
    case MS_AUTH_NONE:
        v[0] = 0;
        return 1;
    case MS_AUTH_SAME_AS_INCOMING:
        v[0] = 1;
        v[1] = OLK_SMTP_AUTH_SAME_AS_POP;
        return 2;
    case MS_AUTH_OWN:
    case MS_AUTH_SPA:
        v[0] = 1;
        v[1] = OLK_SMTP_AUTH_USER_PASS;
        v[2] = to == MS_AUTH_SPA;
        return to == MS_AUTH_SPA || now == MS_AUTH_SPA ? 3 : 2;
    }
    return 0;
}

uint32_t acctprops_olk_encrypt(unsigned sec)
{
    return sec == MS_SEC_SSL        ? OLK_ENCRYPT_CONN_SSL
           : sec == MS_SEC_STARTTLS ? OLK_ENCRYPT_CONN_TLS
                                    : OLK_ENCRYPT_CONN_NO_SECURITY;
}

ms_code acctprops_outlook_list(const ms_account *cur, bool legacy_ssl, const ms_change *changes,
                               size_t n, acctprops_list *out, ms_error *err)
{
    memset(out, 0, sizeof *out);
    ms_code rc = MS_OK;
    for (size_t i = 0; rc == MS_OK && i < n; i++) {
        const ms_change *c = &changes[i];
        switch (c->field) {
        case MS_F_SMTP_HOST:
            rc = put_str(out, OLK_PROP_SMTP_SERVER, c->to.str, err);
            break;
        case MS_F_SMTP_PORT:
            rc = put_dw(out, OLK_PROP_SMTP_PORT, c->to.num, err);
            break;
        case MS_F_SMTP_AUTH: {
            static const uint32_t tags[3] = {OLK_PROP_SMTP_USE_AUTH, OLK_PROP_SMTP_AUTH_METHOD,
                                             OLK_PROP_SMTP_USE_SPA};
            uint32_t v[3];
            size_t k = acctprops_olk_auth(c->to.num, cur->smtp_auth, v);
            if (!k)
                rc = ms_fail(err, MS_ERR_INTERNAL, "%s: auth %u", cur->id, c->to.num);
            for (size_t w = 0; rc == MS_OK && w < k; w++)
                rc = put_dw(out, tags[w], v[w], err);
            break;
        }
        case MS_F_SMTP_USER:
            rc = put_str(out, OLK_PROP_SMTP_USER, c->to.str, err);
            break;
        case MS_F_SMTP_SECURITY:
            if (legacy_ssl)
                rc = ms_fail(err, MS_ERR_UNSUPPORTED_SETTING,
                             "%s: Outlook 2003's \"SMTP Use SSL\" is not an account API property",
                             cur->id);
            else
                rc = put_dw(out, OLK_PROP_SMTP_SECURE_CONNECTION, acctprops_olk_encrypt(c->to.num),
                            err);
            break;
        case MS_F_INCOMING_HOST:
            rc = put_str(out, OLK_PROP_INET_SERVER, c->to.str, err);
            break;
        case MS_F_INCOMING_USER:
            rc = put_str(out, OLK_PROP_INET_USER, c->to.str, err);
            break;
        case MS_F_DEFAULT:
            rc = ms_fail(err, MS_ERR_UNSUPPORTED_SETTING,
                         "%s: the default account is not set through the account API", cur->id);
            break;
        case MS_F_COUNT:
            rc = ms_fail(err, MS_ERR_INTERNAL, "%s: unknown field", cur->id);
            break;
        }
    }
    return rc;
}

static bool is_ascii(const char *s)
{
    for (; s && *s; s++)
        if ((unsigned char)*s >= 0x80)
            return false;
    return true;
}

ms_code acctprops_oe_list(const ms_account *cur, const ms_change *changes, size_t n,
                          acctprops_list *out, ms_error *err)
{
    memset(out, 0, sizeof *out);
    bool imap = cur->incoming_proto == MS_IN_IMAP;
    ms_code rc = MS_OK;
    for (size_t i = 0; rc == MS_OK && i < n; i++) {
        const ms_change *c = &changes[i];
        if (c->to.str && !is_ascii(c->to.str))
            return ms_fail(err, MS_ERR_UNSUPPORTED_SETTING,
                           "%s (%s): not ASCII, and IImnAccount::SetPropSz takes ANSI text",
                           cur->id, account_field_id(c->field));
        switch (c->field) {
        case MS_F_SMTP_HOST:
            rc = put_str(out, IMN_AP_SMTP_SERVER, c->to.str, err);
            break;
        case MS_F_SMTP_PORT:
            rc = put_dw(out, IMN_AP_SMTP_PORT, c->to.num, err);
            break;
        case MS_F_SMTP_AUTH: {
            static const uint32_t sicily_of[4] = {[MS_AUTH_NONE] = IMN_SMTP_AUTH_NONE,
                                                  [MS_AUTH_SAME_AS_INCOMING] =
                                                      IMN_SMTP_AUTH_USE_POP3ORIMAP_SETTINGS,
                                                  [MS_AUTH_OWN] = IMN_SMTP_AUTH_USE_SMTP_SETTINGS,
                                                  [MS_AUTH_SPA] = IMN_SMTP_AUTH_SICILY};
            if (c->to.num > MS_AUTH_SPA)
                return ms_fail(err, MS_ERR_INTERNAL, "%s: auth %u", cur->id, c->to.num);
            rc = put_dw(out, IMN_AP_SMTP_USE_SICILY, sicily_of[c->to.num], err);
            break;
        }
        case MS_F_SMTP_USER:
            /* The registry path removes "SMTP User Name"; the API cannot. */
            if (!c->to.str)
                return ms_fail(err, MS_ERR_UNSUPPORTED_SETTING,
                               "%s: the account API cannot remove the SMTP user name", cur->id);
            rc = put_str(out, IMN_AP_SMTP_USERNAME, c->to.str, err);
            break;
        case MS_F_SMTP_SECURITY:
            rc = put_dw(out, IMN_AP_SMTP_SSL, c->to.num != MS_SEC_NONE, err);
            break;
        case MS_F_INCOMING_HOST:
            rc = put_str(out, imap ? IMN_AP_IMAP_SERVER : IMN_AP_POP3_SERVER, c->to.str, err);
            break;
        case MS_F_INCOMING_USER:
            rc = put_str(out, imap ? IMN_AP_IMAP_USERNAME : IMN_AP_POP3_USERNAME, c->to.str, err);
            break;
        case MS_F_DEFAULT:
            if (!c->to.num)
                return ms_fail(err, MS_ERR_UNSUPPORTED_SETTING,
                               "%s: the account API can only make an account the default", cur->id);
            out->set_default = true;
            break;
        case MS_F_COUNT:
            rc = ms_fail(err, MS_ERR_INTERNAL, "%s: unknown field", cur->id);
            break;
        }
    }
    return rc;
}

/* ---- Outlook */

static ms_code hr_fail(ms_error *err, const char *what, ms_hresult hr)
{
    return ms_fail(err, MS_ERR_INTERNAL, "%s: HRESULT 0x%08lX", what, (unsigned long)(uint32_t)hr);
}

/* A UTF-16 copy of s with its NUL (malloc'd), or NULL. */
static ms_wchar *to_wide(const char *s)
{
    strbuf b;
    strbuf_init(&b);
    if (!utf16_from_utf8(s, strlen(s), false, &b) || b.oom) {
        strbuf_free(&b);
        return NULL;
    }
    strbuf_add(&b, "\0\0", 2);
    if (b.oom) {
        strbuf_free(&b);
        return NULL;
    }
    size_t len;
    char *raw = strbuf_detach(&b, &len);
    size_t units = len / 2;
    ms_wchar *w = malloc(units * sizeof *w);
    if (w)
        for (size_t i = 0; i < units; i++)
            w[i] = (ms_wchar)((unsigned char)raw[2 * i] | (unsigned char)raw[2 * i + 1] << 8);
    free(raw);
    return w;
}

/* Does the NUL-terminated UTF-16 w spell utf8? */
static bool wide_equals(const ms_wchar *w, const char *utf8)
{
    ms_wchar *x = to_wide(utf8 ? utf8 : "");
    if (!x || !w) {
        free(x);
        return false;
    }
    size_t i = 0;
    while (w[i] && w[i] == x[i])
        i++;
    bool eq = w[i] == x[i];
    free(x);
    return eq;
}

/* The account with that id must be the one scanned: its PROP_ACCT_NAME is
 * cur's account name. */
static ms_code check_olk_name(IOlkAccount *acct, uint32_t acct_id, const ms_account *cur,
                              ms_error *err)
{
    olk_acct_variant name;
    memset(&name, 0, sizeof name);
    ms_hresult hr = acct->lpVtbl->GetProp(acct, OLK_PROP_ACCT_NAME, &name);
    if (MS_FAILED(hr))
        return hr_fail(err, "IOlkAccount::GetProp(PROP_ACCT_NAME)", hr);
    bool same = name.dwType == OLK_PT_UNICODE && wide_equals(name.Val.pwsz, cur->account_name);
    if (name.dwType == OLK_PT_UNICODE || name.dwType == OLK_PT_BINARY)
        acct->lpVtbl->FreeMemory(acct, name.dwType == OLK_PT_UNICODE ? (uint8_t *)name.Val.pwsz
                                                                     : name.Val.bin.pb);
    if (!same)
        return ms_fail(err, MS_ERR_CHANGED_SINCE_SCAN, "%s: account %lu has another name",
                       cur->id, (unsigned long)acct_id);
    return MS_OK;
}

/* One IOlkAccount::SetProp: a DWORD, or a string as UTF-16. */
static ms_code olk_set(IOlkAccount *acct, const acctprops_write *w, ms_error *err)
{
    olk_acct_variant v;
    memset(&v, 0, sizeof v);
    ms_wchar *ws = NULL;
    if (w->is_string) {
        ws = to_wide(w->str);
        if (!ws)
            return ms_fail(err, MS_ERR_NOMEM, NULL);
        v.dwType = OLK_PT_UNICODE;
        v.Val.pwsz = ws;
    } else {
        v.dwType = OLK_PT_LONG;
        v.Val.dw = w->dw;
    }
    ms_hresult hr = acct->lpVtbl->SetProp(acct, w->tag, &v);
    free(ws);
    if (MS_FAILED(hr)) {
        char what[64];
        snprintf(what, sizeof what, "IOlkAccount::SetProp(0x%08lX)", (unsigned long)w->tag);
        return hr_fail(err, what, hr);
    }
    return MS_OK;
}

ms_code acctprops_outlook_write(IOlkAccountManager *mgr, uint32_t acct_id, const ms_account *cur,
                                const acctprops_list *l, ms_error *err)
{
    olk_acct_variant key = {.dwType = OLK_PT_LONG};
    key.Val.dw = acct_id;
    IOlkAccount *acct = NULL;
    ms_hresult hr = mgr->lpVtbl->FindAccount(mgr, OLK_PROP_ACCT_ID, &key, &acct);
    if (MS_FAILED(hr) || !acct)
        return hr_fail(err, "IOlkAccountManager::FindAccount", hr);
    ms_code rc = check_olk_name(acct, acct_id, cur, err);
    if (rc != MS_OK)
        goto out;
    for (size_t i = 0; i < l->n; i++) {
        rc = olk_set(acct, &l->w[i], err);
        if (rc != MS_OK)
            goto out;
    }
    hr = acct->lpVtbl->SaveChanges(acct, OLK_ACCOUNT_NO_FLAGS);
    if (MS_FAILED(hr))
        rc = hr_fail(err, "IOlkAccount::SaveChanges", hr);
out:
    acct->lpVtbl->Release(acct);
    return rc;
}

/* ---- Outlook Express */

/* One IImnAccount::SetPropSz (ANSI) or SetPropDw. */
static ms_code imn_set(IImnAccount *acct, const acctprops_write *w, ms_error *err)
{
    ms_hresult hr;
    if (w->is_string) {
        char *s = ms_strdup(w->str);
        if (!s)
            return ms_fail(err, MS_ERR_NOMEM, NULL);
        hr = acct->lpVtbl->SetPropSz(acct, w->tag, s);
        free(s);
    } else {
        hr = acct->lpVtbl->SetPropDw(acct, w->tag, w->dw);
    }
    if (MS_FAILED(hr)) {
        char what[64];
        snprintf(what, sizeof what, "IImnAccount::SetProp(0x%08lX)", (unsigned long)w->tag);
        return hr_fail(err, what, hr);
    }
    return MS_OK;
}

ms_code acctprops_oe_write(IImnAccountManager *mgr, const char *key_name, const acctprops_list *l,
                           ms_error *err)
{
    IImnAccount *acct = NULL;
    ms_hresult hr = mgr->lpVtbl->FindAccount(mgr, IMN_AP_ACCOUNT_ID, key_name, &acct);
    if (MS_FAILED(hr) || !acct)
        return hr_fail(err, "IImnAccountManager::FindAccount", hr);
    ms_code rc = MS_OK;
    for (size_t i = 0; i < l->n; i++) {
        rc = imn_set(acct, &l->w[i], err);
        if (rc != MS_OK)
            goto out;
    }
    hr = acct->lpVtbl->SaveChanges(acct);
    if (MS_FAILED(hr)) {
        rc = hr_fail(err, "IImnAccount::SaveChanges", hr);
        goto out;
    }
    if (l->set_default) {
        hr = acct->lpVtbl->SetAsDefault(acct);
        if (MS_FAILED(hr))
            rc = hr_fail(err, "IImnAccount::SetAsDefault", hr);
    }
out:
    acct->lpVtbl->Release(acct);
    return rc;
}

/* ---- choice and records */

static void record(acctprops_ctx *ctx, const ms_account *a, acctprops_path path,
                   const ms_error *why)
{
    if (ctx->n_records == ctx->cap_records) {
        size_t cap = ctx->cap_records ? ctx->cap_records * 2 : 8;
        acctprops_record *nv = realloc(ctx->records, cap * sizeof *nv);
        if (!nv)
            return; /* the report then lacks this line; the change itself is fine */
        ctx->records = nv;
        ctx->cap_records = cap;
    }
    acctprops_record *r = &ctx->records[ctx->n_records++];
    snprintf(r->account_id, sizeof r->account_id, "%s", a->id ? a->id : "");
    r->path = path;
    if (why && why->code != MS_OK)
        snprintf(r->reason, sizeof r->reason, "[%s] %s", ms_code_helpdesk(why->code), why->detail);
    else if (path == ACCTPROPS_REGISTRY)
        snprintf(r->reason, sizeof r->reason, "no account API on this system");
    else
        r->reason[0] = '\0';
}

bool acctprops_try_outlook(acctprops_ctx *ctx, const ms_account *scanned, const ms_account *cur,
                           const char *profile, const char *version, uint32_t acct_id,
                           bool legacy_ssl, const ms_change *changes, size_t n)
{
    if (!ctx)
        return false;
    const acctprops_api *api = ctx->api;
    if (!api || !api->outlook_open) {
        record(ctx, scanned, ACCTPROPS_REGISTRY, NULL);
        return false;
    }
    ms_error err;
    ms_error_clear(&err);
    acctprops_list l;
    IOlkAccountManager *mgr = NULL;
    ms_code rc = acctprops_outlook_list(cur, legacy_ssl, changes, n, &l, &err);
    if (rc != MS_OK)
        goto out;
    rc = api->outlook_open(api->ctx, profile, version, &mgr, &err);
    if (rc != MS_OK)
        goto out;
    if (!mgr) {
        rc = ms_fail(&err, MS_ERR_INTERNAL, "no account manager");
        goto out;
    }
    rc = acctprops_outlook_write(mgr, acct_id, cur, &l, &err);
out:
    if (mgr && api->outlook_close)
        api->outlook_close(api->ctx, mgr);
    record(ctx, scanned, rc == MS_OK ? ACCTPROPS_API : ACCTPROPS_REGISTRY, &err);
    return rc == MS_OK;
}

bool acctprops_try_oe(acctprops_ctx *ctx, const ms_account *scanned, const ms_account *cur,
                      const char *identity, const char *key_name, const ms_change *changes,
                      size_t n)
{
    if (!ctx)
        return false;
    const acctprops_api *api = ctx->api;
    if (!api || !api->oe_open) {
        record(ctx, scanned, ACCTPROPS_REGISTRY, NULL);
        return false;
    }
    ms_error err;
    ms_error_clear(&err);
    acctprops_list l;
    IImnAccountManager *mgr = NULL;
    ms_code rc = acctprops_oe_list(cur, changes, n, &l, &err);
    if (rc != MS_OK)
        goto out;
    rc = api->oe_open(api->ctx, identity, &mgr, &err);
    if (rc != MS_OK)
        goto out;
    if (!mgr) {
        rc = ms_fail(&err, MS_ERR_INTERNAL, "no account manager");
        goto out;
    }
    rc = acctprops_oe_write(mgr, key_name, &l, &err);
out:
    if (mgr && api->oe_close)
        api->oe_close(api->ctx, mgr);
    record(ctx, scanned, rc == MS_OK ? ACCTPROPS_API : ACCTPROPS_REGISTRY, &err);
    return rc == MS_OK;
}

const acctprops_record *acctprops_records(const acctprops_ctx *ctx, size_t *n)
{
    *n = ctx->n_records;
    return ctx->records;
}

void acctprops_records_clear(acctprops_ctx *ctx)
{
    free(ctx->records);
    ctx->records = NULL;
    ctx->n_records = ctx->cap_records = 0;
}

acctprops_path acctprops_path_of(const acctprops_ctx *ctx, const char *account_id)
{
    for (size_t i = ctx->n_records; account_id && i-- > 0;)
        if (strcmp(ctx->records[i].account_id, account_id) == 0)
            return ctx->records[i].path;
    return ACCTPROPS_REGISTRY;
}

const char *acctprops_path_id(acctprops_path p)
{
    return p == ACCTPROPS_API ? "api" : "registry";
}

/* ---- GUIDs (values: docs/account-apis.md) */

const ms_guid olk_clsid_account_manager = {
    0xed475410u, 0xb0d6, 0x11d2, {0x8c, 0x3b, 0x00, 0x10, 0x4b, 0x2a, 0x66, 0x76}};
const ms_guid olk_iid_account_manager = {
    0x9240a6cdu, 0xaf41, 0x11d2, {0x8c, 0x3b, 0x00, 0x10, 0x4b, 0x2a, 0x66, 0x76}};
const ms_guid olk_iid_account_helper = {
    0x9240a6cbu, 0xaf41, 0x11d2, {0x8c, 0x3b, 0x00, 0x10, 0x4b, 0x2a, 0x66, 0x76}};
const ms_guid olk_iid_account = {
    0x9240a6d2u, 0xaf41, 0x11d2, {0x8c, 0x3b, 0x00, 0x10, 0x4b, 0x2a, 0x66, 0x76}};
const ms_guid ms_iid_iunknown = {
    0x00000000u, 0x0000, 0x0000, {0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46}};
const ms_guid imn_clsid_account_manager = {
    0x8d4b04e1u, 0x1331, 0x11d0, {0x81, 0xb8, 0x00, 0xc0, 0x4f, 0xd8, 0x5a, 0xb4}};
const ms_guid imn_iid_account_manager = {
    0xfd465481u, 0x1384, 0x11d0, {0xab, 0xbd, 0x00, 0x20, 0xaf, 0xdf, 0xd1, 0x0a}};
const ms_guid imn_iid_account_manager2 = {
    0xc43dfc6fu, 0x62bb, 0x11d2, {0xa7, 0x27, 0x00, 0xc0, 0x4f, 0x79, 0xe7, 0xc8}};
