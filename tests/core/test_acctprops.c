/* Unit tests: the account-API path with fake COM objects (vtables
 * implemented here, recording every call and counting AddRef/Release).
 *   Outlook: for each seed ISP and both fixture layouts, applying through a
 *   fake IOlkAccountManager/IOlkAccount ends with the registry byte for
 *   byte as the registry back-end leaves it (the fake's SaveChanges writes
 *   each property to the value the documentation maps it to), SaveChanges
 *   is called once per account, every reference is released, and the
 *   report says "api". Creation failure, a failing SetProp or SaveChanges,
 *   or an account that is not the scanned one fall back to the registry
 *   path with the same result, and the report says why.
 *   Outlook Express: for each seed ISP, the IImnAccount writes of the plan,
 *   applied by a fake that stores them under the Internet Account Manager
 *   value names, equal what be_oe writes. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "olktest.h"

#include "acctprops.h"
#include "bereg.h"
#include "regval.h"

/* ---- a recorded call */

#define MAX_CALLS 64

struct call {
    uint32_t tag;
    bool is_string;
    uint32_t dw;
    char str[128];
};

/* What every fake object shares: the registry it writes to and the
 * counters the tests look at. */
struct world {
    memreg *m;
    long refs;         /* AddRef - Release over all objects (0 at the end) */
    int created;       /* objects handed out */
    int save_calls;    /* SaveChanges */
    int find_calls;    /* FindAccount */
    int fail_open;     /* outlook_open/oe_open fail */
    int fail_setprop;  /* the n-th SetProp fails (0: none) */
    int fail_save;     /* SaveChanges fails */
    int wrong_name;    /* PROP_ACCT_NAME answers another name */
    int setprop_calls; /* SetProp so far */
    struct call calls[MAX_CALLS];
    size_t n_calls;
};

static struct world W;

static void world_reset(memreg *m)
{
    memset(&W, 0, sizeof W);
    W.m = m;
}

/* ---- Outlook fakes */

/* Test-side map from property tag to the registry value Outlook's
 * SaveChanges writes (docs/account-apis.md). INET props depend on the
 * account's protocol. PROP_SMTP_USE_SPA is deliberately not here: the
 * registry name the product uses for it ("SMTP Use SPA") is unverified
 * (docs/mail-programs.md), and mapping it here would test that assumption
 * against itself. A SetProp of it makes the fake's SaveChanges fail the
 * test, so no 'API equals registry' comparison can silently include SPA;
 * the SPA write is checked at the API level only (test_outlook_unsupported). */
struct olk_map {
    uint32_t tag;
    const char *pop, *imap;
};
static const struct olk_map olk_map[] = {
    {OLK_PROP_SMTP_SERVER, "SMTP Server", "SMTP Server"},
    {OLK_PROP_SMTP_PORT, "SMTP Port", "SMTP Port"},
    {OLK_PROP_SMTP_USE_AUTH, "SMTP Use Auth", "SMTP Use Auth"},
    {OLK_PROP_SMTP_AUTH_METHOD, "SMTP Auth Method", "SMTP Auth Method"},
    {OLK_PROP_SMTP_USER, "SMTP User", "SMTP User"},
    {OLK_PROP_SMTP_SECURE_CONNECTION, "SMTP Secure Connection", "SMTP Secure Connection"},
    {OLK_PROP_INET_SERVER, "POP3 Server", "IMAP Server"},
    {OLK_PROP_INET_USER, "POP3 User", "IMAP User"},
};

struct fake_olk_account {
    IOlkAccount iface;
    long ref;
    char key[600]; /* HKCU-relative account key */
    bool imap;
    struct call pending[MAX_CALLS];
    size_t n_pending;
};

struct fake_olk_manager {
    IOlkAccountManager iface;
    long ref;
    char acct_root[512]; /* ...\<profile>\9375CFF0... */
};

static char *wide_to_utf8(const ms_wchar *w)
{
    strbuf b, out;
    strbuf_init(&b);
    strbuf_init(&out);
    for (size_t i = 0; w[i]; i++) {
        strbuf_addch(&b, (char)(w[i] & 0xff));
        strbuf_addch(&b, (char)(w[i] >> 8));
    }
    size_t bad;
    assert_true(utf16_to_utf8(b.buf ? b.buf : "", b.len, false, &out, &bad));
    strbuf_free(&b);
    strbuf_addstr(&out, "");
    return strbuf_detach(&out, NULL);
}

static ms_wchar *utf8_to_wide_alloc(const char *s)
{
    strbuf b;
    strbuf_init(&b);
    assert_true(utf16_from_utf8(s, strlen(s), false, &b));
    size_t n = b.len / 2;
    ms_wchar *w = calloc(n + 1, sizeof *w);
    assert_non_null(w);
    for (size_t i = 0; i < n; i++)
        w[i] = (ms_wchar)((unsigned char)b.buf[2 * i] | (unsigned char)b.buf[2 * i + 1] << 8);
    strbuf_free(&b);
    return w;
}

static ms_hresult MS_STDCALL oa_qi(IOlkAccount *self, const ms_guid *riid, void **ppv)
{
    (void)self;
    (void)riid;
    *ppv = NULL;
    return MS_E_NOINTERFACE;
}

static uint32_t MS_STDCALL oa_addref(IOlkAccount *self)
{
    struct fake_olk_account *a = (struct fake_olk_account *)self;
    W.refs++;
    return (uint32_t)++a->ref;
}

static uint32_t MS_STDCALL oa_release(IOlkAccount *self)
{
    struct fake_olk_account *a = (struct fake_olk_account *)self;
    W.refs--;
    long r = --a->ref;
    assert_true(r >= 0);
    if (r == 0)
        free(a);
    return (uint32_t)r;
}

static ms_hresult MS_STDCALL oa_getlasterror(IOlkAccount *self, ms_hresult hr, ms_wchar **p)
{
    (void)self;
    (void)hr;
    *p = NULL;
    return MS_E_NOTIMPL;
}

static ms_hresult MS_STDCALL oa_getaccountinfo(IOlkAccount *self, ms_guid *t, uint32_t *n,
                                               ms_guid **c)
{
    (void)self;
    (void)t;
    (void)n;
    (void)c;
    return MS_E_NOTIMPL;
}

static ms_hresult MS_STDCALL oa_getprop(IOlkAccount *self, uint32_t prop, olk_acct_variant *v)
{
    struct fake_olk_account *a = (struct fake_olk_account *)self;
    if (prop != OLK_PROP_ACCT_NAME)
        return OLK_E_ACCT_NOT_FOUND;
    char *name = NULL;
    ms_error err;
    if (regval_get_string(memreg_reg(W.m), a->key, "Account Name", REGVAL_BINARY_SZ, &name, &err) !=
        MS_OK)
        return OLK_E_ACCT_NOT_FOUND;
    v->dwType = OLK_PT_UNICODE;
    v->Val.pwsz = utf8_to_wide_alloc(W.wrong_name ? "someone else" : name);
    free(name);
    return MS_S_OK;
}

static ms_hresult MS_STDCALL oa_setprop(IOlkAccount *self, uint32_t prop, olk_acct_variant *v)
{
    struct fake_olk_account *a = (struct fake_olk_account *)self;
    W.setprop_calls++;
    if (W.fail_setprop && W.setprop_calls == W.fail_setprop)
        return MS_E_FAIL;
    assert_true(a->n_pending < MAX_CALLS && W.n_calls < MAX_CALLS);
    struct call c = {.tag = prop};
    if (v->dwType == OLK_PT_UNICODE) {
        c.is_string = true;
        char *s = wide_to_utf8(v->Val.pwsz);
        snprintf(c.str, sizeof c.str, "%s", s);
        free(s);
    } else {
        assert_int_equal(v->dwType, OLK_PT_LONG);
        c.dw = v->Val.dw;
    }
    a->pending[a->n_pending++] = c;
    W.calls[W.n_calls++] = c;
    return MS_S_OK;
}

static ms_hresult MS_STDCALL oa_freememory(IOlkAccount *self, uint8_t *p)
{
    (void)self;
    free(p);
    return MS_S_OK;
}

/* Outlook's SaveChanges "commits changes ... by writing to the registry
 * store": the fake writes each pending property to its value. */
static ms_hresult MS_STDCALL oa_savechanges(IOlkAccount *self, uint32_t flags)
{
    struct fake_olk_account *a = (struct fake_olk_account *)self;
    assert_int_equal(flags, OLK_ACCOUNT_NO_FLAGS);
    W.save_calls++;
    if (W.fail_save)
        return MS_E_FAIL;
    ms_reg *r = memreg_reg(W.m);
    for (size_t i = 0; i < a->n_pending; i++) {
        const struct call *c = &a->pending[i];
        const char *name = NULL;
        for (size_t k = 0; k < sizeof olk_map / sizeof olk_map[0]; k++)
            if (olk_map[k].tag == c->tag)
                name = a->imap ? olk_map[k].imap : olk_map[k].pop;
        if (!name)
            fail_msg("SetProp of unexpected tag 0x%08x", c->tag);
        ms_error err;
        strbuf b;
        strbuf_init(&b);
        if (c->is_string) {
            assert_true(regval_encode_string(c->str, &b));
            assert_int_equal(r->ops->set(r, a->key, name, MS_REG_BINARY, b.buf, b.len, &err),
                             MS_OK);
        } else {
            unsigned char d[4];
            regval_encode_dword(c->dw, d);
            assert_int_equal(r->ops->set(r, a->key, name, MS_REG_DWORD, d, 4, &err), MS_OK);
        }
        strbuf_free(&b);
    }
    a->n_pending = 0;
    return MS_S_OK;
}

static const IOlkAccountVtbl fake_olk_account_vtbl = {
    .QueryInterface = oa_qi,
    .AddRef = oa_addref,
    .Release = oa_release,
    .GetLastError = oa_getlasterror,
    .GetAccountInfo = oa_getaccountinfo,
    .GetProp = oa_getprop,
    .SetProp = oa_setprop,
    .FreeMemory = oa_freememory,
    .SaveChanges = oa_savechanges,
};

static ms_hresult MS_STDCALL om_qi(IOlkAccountManager *self, const ms_guid *riid, void **ppv)
{
    (void)self;
    (void)riid;
    *ppv = NULL;
    return MS_E_NOINTERFACE;
}

static uint32_t MS_STDCALL om_addref(IOlkAccountManager *self)
{
    struct fake_olk_manager *m = (struct fake_olk_manager *)self;
    W.refs++;
    return (uint32_t)++m->ref;
}

static uint32_t MS_STDCALL om_release(IOlkAccountManager *self)
{
    struct fake_olk_manager *m = (struct fake_olk_manager *)self;
    W.refs--;
    long r = --m->ref;
    assert_true(r >= 0);
    if (r == 0)
        free(m);
    return (uint32_t)r;
}

static ms_hresult MS_STDCALL om_getlasterror(IOlkAccountManager *self, ms_hresult hr, ms_wchar **p)
{
    (void)self;
    (void)hr;
    *p = NULL;
    return MS_E_NOTIMPL;
}

static ms_hresult MS_STDCALL om_init(IOlkAccountManager *self, IOlkAccountHelper *h, uint32_t f)
{
    (void)self;
    (void)h;
    (void)f;
    return MS_S_OK;
}

static ms_hresult MS_STDCALL om_findaccount(IOlkAccountManager *self, uint32_t prop,
                                            olk_acct_variant *v, IOlkAccount **out)
{
    struct fake_olk_manager *m = (struct fake_olk_manager *)self;
    W.find_calls++;
    *out = NULL;
    if (prop != OLK_PROP_ACCT_ID || v->dwType != OLK_PT_LONG)
        return MS_E_INVALIDARG;
    struct fake_olk_account *a = calloc(1, sizeof *a);
    assert_non_null(a);
    a->iface.lpVtbl = &fake_olk_account_vtbl;
    snprintf(a->key, sizeof a->key, "%s\\%08lx", m->acct_root, (unsigned long)v->Val.dw);
    strbuf names;
    strbuf_init(&names);
    ms_error err;
    ms_reg *r = memreg_reg(W.m);
    if (r->ops->values(r, a->key, &names, &err) != MS_OK) {
        strbuf_free(&names);
        free(a);
        return OLK_E_ACCT_NOT_FOUND;
    }
    strbuf_free(&names);
    ms_reg_value val;
    reg_value_init(&val);
    a->imap = r->ops->get(r, a->key, "IMAP Server", &val, &err) == MS_OK;
    reg_value_free(&val);
    W.created++;
    a->iface.lpVtbl->AddRef(&a->iface);
    *out = &a->iface;
    return MS_S_OK;
}

static ms_hresult MS_STDCALL om_freememory(IOlkAccountManager *self, uint8_t *p)
{
    (void)self;
    free(p);
    return MS_S_OK;
}

static const IOlkAccountManagerVtbl fake_olk_manager_vtbl = {
    .QueryInterface = om_qi,
    .AddRef = om_addref,
    .Release = om_release,
    .GetLastError = om_getlasterror,
    .Init = om_init,
    .FindAccount = om_findaccount,
    .FreeMemory = om_freememory,
};

static ms_code fake_outlook_open(void *ctx, const char *prof_name, const char *version,
                                 IOlkAccountManager **mgr, ms_error *err)
{
    (void)ctx;
    if (W.fail_open)
        return ms_fail(err, MS_ERR_INTERNAL,
                       "CoCreateInstance(CLSID_OlkAccountManager): "
                       "HRESULT 0x80040154");
    struct fake_olk_manager *m = calloc(1, sizeof *m);
    assert_non_null(m);
    m->iface.lpVtbl = &fake_olk_manager_vtbl;
    if (version && *version)
        snprintf(m->acct_root, sizeof m->acct_root,
                 "Software\\Microsoft\\Office\\%s\\Outlook\\Profiles\\%s\\%s", version, prof_name,
                 "9375CFF0413111d3B88A00104B2A6676");
    else
        snprintf(m->acct_root, sizeof m->acct_root, "%s\\%s\\%s", OLK_WMS_PREFIX, prof_name,
                 "9375CFF0413111d3B88A00104B2A6676");
    W.created++;
    m->iface.lpVtbl->AddRef(&m->iface);
    *mgr = &m->iface;
    return MS_OK;
}

static void fake_outlook_close(void *ctx, IOlkAccountManager *mgr)
{
    (void)ctx;
    mgr->lpVtbl->Release(mgr);
}

static const acctprops_api fake_api = {
    .outlook_open = fake_outlook_open,
    .outlook_close = fake_outlook_close,
};

/* ---- Outlook tests */

/* Runs isp over fixture twice: registry only, then with the fake API;
 * both registries must end the same. Returns the API run's records. */
static void olk_compare(const char *fixture, const char *isp, acctprops_path want_path)
{
    memreg *reg_path = olk_load(fixture);
    memreg *api_path = olk_load(fixture);
    memreg *orig = olk_load(fixture);

    olk_paths.api = NULL;
    acctprops_records_clear(&olk_paths);
    ms_code rc;
    size_t changed_reg = 0, changed_api = 0;
    char *d1 = olk_apply(reg_path, isp, &rc, &changed_reg);
    assert_int_equal(rc, MS_OK);

    acctprops_records_clear(&olk_paths);
    olk_paths.api = &fake_api;
    W.m = api_path;
    char *d2 = olk_apply(api_path, isp, &rc, &changed_api);
    olk_paths.api = NULL;
    assert_int_equal(rc, MS_OK);
    assert_int_equal(changed_api, changed_reg);

    strbuf diff;
    strbuf_init(&diff);
    memreg_diff(reg_path, api_path, &diff);
    if (diff.len)
        fail_msg("%s/%s: API and registry paths differ:\n%s", fixture, isp, diff.buf);
    /* Every reference released. */
    assert_int_equal(W.refs, 0);

    size_t n;
    const acctprops_record *rec = acctprops_records(&olk_paths, &n);
    assert_int_equal(n, changed_api);
    for (size_t i = 0; i < n; i++) {
        if (rec[i].path != want_path)
            fail_msg("%s: path %s (%s)", rec[i].account_id, acctprops_path_id(rec[i].path),
                     rec[i].reason);
    }
    if (want_path == ACCTPROPS_API)
        assert_int_equal(W.save_calls, (int)changed_api); /* once per account */

    /* Undo after the API path gives the original back. */
    if (changed_api) {
        ms_env env = {.reg = memreg_reg(api_path)};
        ms_error err;
        assert_int_equal(engine_undo(&env, d2, &err), MS_OK);
        assert_int_equal(memreg_diff(orig, api_path, NULL), 0);
    }
    olk_rm_rf(d1);
    olk_rm_rf(d2);
    free(d1);
    free(d2);
    strbuf_free(&diff);
    memreg_free(orig);
    memreg_free(reg_path);
    memreg_free(api_path);
    acctprops_records_clear(&olk_paths);
}

static void olk_each_isp(acctprops_path want)
{
    static const char *const isps[] = {"micnet", "117net", "ktarn", "japan-net", "hotweb"};
    for (size_t f = 0; f < 2; f++)
        for (size_t i = 0; i < sizeof isps / sizeof isps[0]; i++) {
            world_reset(NULL);
            olk_compare(f ? "outlook2016.reg" : "outlook2010.reg", isps[i], want);
        }
}

static void test_outlook_api_equals_registry(void **state)
{
    (void)state;
    olk_each_isp(ACCTPROPS_API);
}

/* The exact property writes for one account (MicNet on Outlook 2016:
 * port 25 -> 587, "SMTP server requires authentication", "Use same
 * settings as my incoming mail server"). */
static void test_outlook_recorded_writes(void **state)
{
    (void)state;
    memreg *m = olk_load("outlook2016.reg");
    world_reset(m);
    acctprops_records_clear(&olk_paths);
    olk_paths.api = &fake_api;
    ms_code rc;
    char *d = olk_apply(m, "micnet", &rc, NULL);
    olk_paths.api = NULL;
    assert_int_equal(rc, MS_OK);
    assert_int_equal(W.n_calls, 3);
    assert_int_equal(W.calls[0].tag, OLK_PROP_SMTP_PORT);
    assert_int_equal(W.calls[0].dw, 587);
    assert_int_equal(W.calls[1].tag, OLK_PROP_SMTP_USE_AUTH);
    assert_int_equal(W.calls[1].dw, 1);
    assert_int_equal(W.calls[2].tag, OLK_PROP_SMTP_AUTH_METHOD);
    assert_int_equal(W.calls[2].dw, OLK_SMTP_AUTH_SAME_AS_POP);
    assert_int_equal(W.save_calls, 1);
    assert_int_equal(W.find_calls, 1);
    assert_int_equal(W.refs, 0);
    assert_int_equal(acctprops_path_of(&olk_paths, "outlook2013/16.0/Outlook/00000002"),
                     ACCTPROPS_API);
    olk_rm_rf(d);
    free(d);
    memreg_free(m);
    acctprops_records_clear(&olk_paths);

    /* 117net on Outlook 2010: servers, user name as the address. */
    m = olk_load("outlook2010.reg");
    world_reset(m);
    olk_paths.api = &fake_api;
    d = olk_apply(m, "117net", &rc, NULL);
    olk_paths.api = NULL;
    assert_int_equal(rc, MS_OK);
    bool server = false, user = false, smtp = false;
    for (size_t i = 0; i < W.n_calls; i++) {
        if (W.calls[i].tag == OLK_PROP_INET_SERVER)
            server = strcmp(W.calls[i].str, "vpop.117.ne.jp") == 0;
        if (W.calls[i].tag == OLK_PROP_INET_USER)
            user = strcmp(W.calls[i].str, "jiro@vp.117.ne.jp") == 0;
        if (W.calls[i].tag == OLK_PROP_SMTP_SERVER)
            smtp = strcmp(W.calls[i].str, "vsmtp.117.ne.jp") == 0;
    }
    assert_true(server && user && smtp);
    assert_int_equal(W.refs, 0);
    olk_rm_rf(d);
    free(d);
    memreg_free(m);
    acctprops_records_clear(&olk_paths);
}

static void test_outlook_creation_fails(void **state)
{
    (void)state;
    static const char *const isps[] = {"micnet", "117net", "ktarn", "japan-net"};
    for (size_t f = 0; f < 2; f++)
        for (size_t i = 0; i < 4; i++) {
            world_reset(NULL);
            W.fail_open = 1;
            olk_compare(f ? "outlook2016.reg" : "outlook2010.reg", isps[i], ACCTPROPS_REGISTRY);
            assert_int_equal(W.created, 0);
        }
    /* The report says why. */
    memreg *m = olk_load("outlook2016.reg");
    world_reset(m);
    W.fail_open = 1;
    olk_paths.api = &fake_api;
    ms_code rc;
    char *d = olk_apply(m, "micnet", &rc, NULL);
    olk_paths.api = NULL;
    size_t n;
    const acctprops_record *rec = acctprops_records(&olk_paths, &n);
    assert_int_equal(n, 1);
    assert_int_equal(rec[0].path, ACCTPROPS_REGISTRY);
    assert_non_null(strstr(rec[0].reason, "CLSID_OlkAccountManager"));
    olk_rm_rf(d);
    free(d);
    memreg_free(m);
    acctprops_records_clear(&olk_paths);
}

static void test_outlook_call_fails(void **state)
{
    (void)state;
    /* SetProp failing at the 1st, 2nd, 3rd call; SaveChanges failing; the
     * account under that id having another name. */
    for (int mode = 0; mode < 5; mode++) {
        for (size_t f = 0; f < 2; f++) {
            world_reset(NULL);
            if (mode < 3)
                W.fail_setprop = mode + 1;
            else if (mode == 3)
                W.fail_save = 1;
            else
                W.wrong_name = 1;
            olk_compare(f ? "outlook2016.reg" : "outlook2010.reg", "micnet", ACCTPROPS_REGISTRY);
            if (mode < 3 || mode == 4)
                assert_int_equal(W.save_calls, 0); /* never saved half a plan */
            assert_true(W.created > 0);
        }
    }
    memreg *m = olk_load("outlook2016.reg");
    world_reset(m);
    W.fail_setprop = 2;
    olk_paths.api = &fake_api;
    ms_code rc;
    char *d = olk_apply(m, "micnet", &rc, NULL);
    olk_paths.api = NULL;
    size_t n;
    const acctprops_record *rec = acctprops_records(&olk_paths, &n);
    assert_int_equal(n, 1);
    assert_non_null(strstr(rec[0].reason, "IOlkAccount::SetProp(0x02030003)"));
    assert_non_null(strstr(rec[0].reason, "0x80004005"));
    assert_int_equal(W.refs, 0);
    olk_rm_rf(d);
    free(d);
    memreg_free(m);
    acctprops_records_clear(&olk_paths);
}

/* Outlook 2003's layout and the default account order are not API
 * properties: the registry path, said so. */
static void test_outlook_unsupported(void **state)
{
    (void)state;
    ms_account cur;
    memset(&cur, 0, sizeof cur);
    cur.id = (char *)"outlook/Outlook/00000005";
    acctprops_list l;
    ms_error err;
    ms_change sec = {MS_F_SMTP_SECURITY, {NULL, MS_SEC_NONE}, {NULL, MS_SEC_STARTTLS}};
    assert_int_equal(acctprops_outlook_list(&cur, true, &sec, 1, &l, &err),
                     MS_ERR_UNSUPPORTED_SETTING);
    assert_int_equal(acctprops_outlook_list(&cur, false, &sec, 1, &l, &err), MS_OK);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.w[0].tag, OLK_PROP_SMTP_SECURE_CONNECTION);
    assert_int_equal(l.w[0].dw, OLK_ENCRYPT_CONN_TLS);
    ms_change def = {MS_F_DEFAULT, {NULL, 0}, {NULL, 1}};
    assert_int_equal(acctprops_outlook_list(&cur, false, &def, 1, &l, &err),
                     MS_ERR_UNSUPPORTED_SETTING);
    /* SPA on -> off writes PROP_SMTP_USE_SPA 0. */
    cur.smtp_auth = MS_AUTH_SPA;
    ms_change own = {MS_F_SMTP_AUTH, {NULL, MS_AUTH_SPA}, {NULL, MS_AUTH_OWN}};
    assert_int_equal(acctprops_outlook_list(&cur, false, &own, 1, &l, &err), MS_OK);
    assert_int_equal(l.n, 3);
    assert_int_equal(l.w[2].tag, OLK_PROP_SMTP_USE_SPA);
    assert_int_equal(l.w[2].dw, 0);
}

/* ---- Outlook Express fakes */

struct oe_map {
    uint32_t tag;
    const char *name;
    uint32_t type;
};
/* AP_* -> the Internet Account Manager value (docs/account-apis.md). */
static const struct oe_map oe_map[] = {
    {IMN_AP_SMTP_SERVER, "SMTP Server", MS_REG_SZ},
    {IMN_AP_SMTP_PORT, "SMTP Port", MS_REG_DWORD},
    {IMN_AP_SMTP_USE_SICILY, "SMTP Use Sicily", MS_REG_DWORD},
    {IMN_AP_SMTP_USERNAME, "SMTP User Name", MS_REG_SZ},
    {IMN_AP_SMTP_SSL, "SMTP Secure Connection", MS_REG_DWORD},
    {IMN_AP_POP3_SERVER, "POP3 Server", MS_REG_SZ},
    {IMN_AP_POP3_USERNAME, "POP3 User Name", MS_REG_SZ},
    {IMN_AP_IMAP_SERVER, "IMAP Server", MS_REG_SZ},
    {IMN_AP_IMAP_USERNAME, "IMAP User Name", MS_REG_SZ},
};

struct fake_imn_account {
    IImnAccount iface;
    long ref;
    char iam[512], leaf[16];
    struct call pending[MAX_CALLS];
    size_t n_pending;
};

struct fake_imn_manager {
    IImnAccountManager iface;
    long ref;
    char iam[512];
};

static ms_hresult MS_STDCALL ia_qi(IImnAccount *self, const ms_guid *riid, void **ppv)
{
    (void)self;
    (void)riid;
    *ppv = NULL;
    return MS_E_NOINTERFACE;
}

static uint32_t MS_STDCALL ia_addref(IImnAccount *self)
{
    W.refs++;
    return (uint32_t)++((struct fake_imn_account *)self)->ref;
}

static uint32_t MS_STDCALL ia_release(IImnAccount *self)
{
    struct fake_imn_account *a = (struct fake_imn_account *)self;
    W.refs--;
    long r = --a->ref;
    assert_true(r >= 0);
    if (!r)
        free(a);
    return (uint32_t)r;
}

static ms_hresult MS_STDCALL ia_getprop(IImnAccount *self, uint32_t t, uint8_t *pb, uint32_t *pcb)
{
    (void)self;
    (void)t;
    (void)pb;
    (void)pcb;
    return MS_E_NOTIMPL;
}

static ms_hresult MS_STDCALL ia_getpropdw(IImnAccount *self, uint32_t t, uint32_t *pdw)
{
    (void)self;
    (void)t;
    (void)pdw;
    return MS_E_NOTIMPL;
}

static ms_hresult MS_STDCALL ia_getpropsz(IImnAccount *self, uint32_t t, char *psz, uint32_t cch)
{
    (void)self;
    (void)t;
    (void)psz;
    (void)cch;
    return MS_E_NOTIMPL;
}

static ms_hresult MS_STDCALL ia_setprop(IImnAccount *self, uint32_t t, uint8_t *pb, uint32_t cb)
{
    (void)self;
    (void)t;
    (void)pb;
    (void)cb;
    return MS_E_NOTIMPL;
}

static ms_hresult record_oe(struct fake_imn_account *a, struct call c)
{
    W.setprop_calls++;
    if (W.fail_setprop && W.setprop_calls == W.fail_setprop)
        return MS_E_FAIL;
    assert_true(a->n_pending < MAX_CALLS && W.n_calls < MAX_CALLS);
    a->pending[a->n_pending++] = c;
    W.calls[W.n_calls++] = c;
    return MS_S_OK;
}

static ms_hresult MS_STDCALL ia_setpropdw(IImnAccount *self, uint32_t t, uint32_t dw)
{
    return record_oe((struct fake_imn_account *)self, (struct call){.tag = t, .dw = dw});
}

static ms_hresult MS_STDCALL ia_setpropsz(IImnAccount *self, uint32_t t, char *psz)
{
    struct call c = {.tag = t, .is_string = true};
    snprintf(c.str, sizeof c.str, "%s", psz);
    return record_oe((struct fake_imn_account *)self, c);
}

static ms_hresult MS_STDCALL ia_exist(IImnAccount *self)
{
    (void)self;
    return MS_S_OK;
}

static void oe_put(const char *key, const char *name, uint32_t type, const char *str, uint32_t dw)
{
    ms_reg *r = memreg_reg(W.m);
    ms_error err;
    if (type == MS_REG_SZ) {
        strbuf b;
        strbuf_init(&b);
        assert_true(regval_encode_string(str, &b));
        assert_int_equal(r->ops->set(r, key, name, MS_REG_SZ, b.buf, b.len, &err), MS_OK);
        strbuf_free(&b);
    } else {
        unsigned char d[4];
        regval_encode_dword(dw, d);
        assert_int_equal(r->ops->set(r, key, name, MS_REG_DWORD, d, 4, &err), MS_OK);
    }
}

static ms_hresult MS_STDCALL ia_setasdefault(IImnAccount *self)
{
    struct fake_imn_account *a = (struct fake_imn_account *)self;
    oe_put(a->iam, "Default Mail Account", MS_REG_SZ, a->leaf, 0);
    return MS_S_OK;
}

static ms_hresult MS_STDCALL ia_savechanges(IImnAccount *self)
{
    struct fake_imn_account *a = (struct fake_imn_account *)self;
    W.save_calls++;
    if (W.fail_save)
        return MS_E_FAIL;
    char key[600];
    snprintf(key, sizeof key, "%s\\Accounts\\%s", a->iam, a->leaf);
    for (size_t i = 0; i < a->n_pending; i++) {
        const struct call *c = &a->pending[i];
        const struct oe_map *mp = NULL;
        for (size_t k = 0; k < sizeof oe_map / sizeof oe_map[0]; k++)
            if (oe_map[k].tag == c->tag)
                mp = &oe_map[k];
        if (!mp)
            fail_msg("SetProp of unexpected tag 0x%08x", c->tag);
        oe_put(key, mp->name, mp->type, c->str, c->dw);
    }
    a->n_pending = 0;
    return MS_S_OK;
}

static const IImnAccountVtbl fake_imn_account_vtbl = {
    .QueryInterface = ia_qi,
    .AddRef = ia_addref,
    .Release = ia_release,
    .GetProp = ia_getprop,
    .GetPropDw = ia_getpropdw,
    .GetPropSz = ia_getpropsz,
    .SetProp = ia_setprop,
    .SetPropDw = ia_setpropdw,
    .SetPropSz = ia_setpropsz,
    .Exist = ia_exist,
    .SetAsDefault = ia_setasdefault,
    .SaveChanges = ia_savechanges,
};

static ms_hresult MS_STDCALL im_qi(IImnAccountManager *self, const ms_guid *riid, void **ppv)
{
    (void)self;
    (void)riid;
    *ppv = NULL;
    return MS_E_NOINTERFACE;
}

static uint32_t MS_STDCALL im_addref(IImnAccountManager *self)
{
    W.refs++;
    return (uint32_t)++((struct fake_imn_manager *)self)->ref;
}

static uint32_t MS_STDCALL im_release(IImnAccountManager *self)
{
    struct fake_imn_manager *m = (struct fake_imn_manager *)self;
    W.refs--;
    long r = --m->ref;
    assert_true(r >= 0);
    if (!r)
        free(m);
    return (uint32_t)r;
}

static ms_hresult MS_STDCALL im_findaccount(IImnAccountManager *self, uint32_t tag,
                                            const char *data, IImnAccount **out)
{
    struct fake_imn_manager *m = (struct fake_imn_manager *)self;
    W.find_calls++;
    *out = NULL;
    if (tag != IMN_AP_ACCOUNT_ID)
        return MS_E_INVALIDARG;
    struct fake_imn_account *a = calloc(1, sizeof *a);
    assert_non_null(a);
    a->iface.lpVtbl = &fake_imn_account_vtbl;
    snprintf(a->iam, sizeof a->iam, "%s", m->iam);
    snprintf(a->leaf, sizeof a->leaf, "%s", data);
    W.created++;
    a->iface.lpVtbl->AddRef(&a->iface);
    *out = &a->iface;
    return MS_S_OK;
}

static const IImnAccountManagerVtbl fake_imn_manager_vtbl = {
    .QueryInterface = im_qi,
    .AddRef = im_addref,
    .Release = im_release,
    .FindAccount = im_findaccount,
};

/* OE: the plan's IImnAccount writes, stored by the fake, equal be_oe's
 * registry writes for the same accounts. */
static void oe_compare(const char *isp)
{
    char fixture[128];
    snprintf(fixture, sizeof fixture, "%s/reg/oe-%s.reg", MS_TEST_DATA, isp);
    memreg *reg_path = memreg_new(), *api_path = memreg_new();
    ms_error err;
    assert_int_equal(memreg_load_file(reg_path, fixture, &err), MS_OK);
    assert_int_equal(memreg_load_file(api_path, fixture, &err), MS_OK);
    world_reset(api_path);

    /* The registry path: the whole engine with be_oe. */
    ms_code rc;
    size_t changed = 0;
    char *d = olk_apply(reg_path, isp, &rc, &changed);
    assert_int_equal(rc, MS_OK);

    /* The API path: the same plan, through the fake account manager. */
    ms_env env = {.reg = memreg_reg(api_path)};
    profile *p = olk_profile(isp);
    ms_scan *s = NULL;
    assert_int_equal(engine_scan(&env, p, olk_not_running, NULL, &s, &err), MS_OK);
    size_t done = 0;
    for (size_t i = 0; i < s->plan->count; i++) {
        const plan_item *it = &s->plan->items[i];
        if (it->status != PLAN_CHANGE || it->account->program != MS_PROG_OE)
            continue;
        acctprops_list l;
        if (acctprops_oe_list(it->account, it->changes, it->n_changes, &l, &err) != MS_OK)
            fail_msg("%s: %s", it->account->id, err.detail);
        const char *rel = bereg_rel(it->account->location);
        assert_non_null(rel);
        const char *leaf = strrchr(rel, '\\') + 1;
        struct fake_imn_manager *m = calloc(1, sizeof *m);
        assert_non_null(m);
        m->iface.lpVtbl = &fake_imn_manager_vtbl;
        size_t iam_len = (size_t)(leaf - rel) - strlen("\\Accounts\\");
        snprintf(m->iam, sizeof m->iam, "%.*s", (int)iam_len, rel);
        m->iface.lpVtbl->AddRef(&m->iface);
        int saves = W.save_calls;
        if (acctprops_oe_write(&m->iface, leaf, &l, &err) != MS_OK)
            fail_msg("%s: %s", it->account->id, err.detail);
        assert_int_equal(W.save_calls, saves + 1);
        m->iface.lpVtbl->Release(&m->iface);
        done++;
    }
    assert_int_equal(done, changed);
    assert_int_equal(W.refs, 0);
    strbuf diff;
    strbuf_init(&diff);
    memreg_diff(reg_path, api_path, &diff);
    if (diff.len)
        fail_msg("oe/%s: API writes differ from be_oe's:\n%s", isp, diff.buf);
    strbuf_free(&diff);
    engine_scan_free(s);
    profile_free(p);
    olk_rm_rf(d);
    free(d);
    memreg_free(reg_path);
    memreg_free(api_path);
}

static void test_oe_api_equals_registry(void **state)
{
    (void)state;
    oe_compare("micnet");
    oe_compare("117net");
    oe_compare("ktarn");
    oe_compare("japan-net");
}

static void test_oe_call_fails(void **state)
{
    (void)state;
    memreg *reg = memreg_new();
    world_reset(reg);
    struct fake_imn_manager *m = calloc(1, sizeof *m);
    assert_non_null(m);
    m->iface.lpVtbl = &fake_imn_manager_vtbl;
    m->iface.lpVtbl->AddRef(&m->iface);
    W.fail_setprop = 2;
    acctprops_list l = {.n = 2};
    l.w[0] = (acctprops_write){IMN_AP_SMTP_PORT, false, 587, NULL};
    l.w[1] = (acctprops_write){IMN_AP_SMTP_USE_SICILY, false, 2, NULL};
    ms_error err;
    assert_int_equal(acctprops_oe_write(&m->iface, "00000001", &l, &err), MS_ERR_INTERNAL);
    assert_non_null(strstr(err.detail, "IImnAccount::SetProp(0x142C03E9)"));
    assert_int_equal(W.save_calls, 0);
    m->iface.lpVtbl->Release(&m->iface);
    assert_int_equal(W.refs, 0);
    /* Non-ASCII text cannot go through the ANSI SetPropSz. */
    ms_account cur;
    memset(&cur, 0, sizeof cur);
    cur.id = (char *)"oe/x/00000001";
    ms_change c = {MS_F_INCOMING_USER, {"a", 0}, {"ユーザー", 0}};
    assert_int_equal(acctprops_oe_list(&cur, &c, 1, &l, &err), MS_ERR_UNSUPPORTED_SETTING);
    /* Property ids as imnact.h computes them. */
    assert_int_equal(IMN_AP_SMTP_PORT, 0x142D03E9u);
    assert_int_equal(IMN_AP_SMTP_USE_SICILY, 0x142C03E9u);
    assert_int_equal(IMN_AP_SMTP_SERVER, 0x142803F0u);
    assert_int_equal(IMN_AP_POP3_SERVER, 0x13C403F0u);
    memreg_free(reg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_outlook_api_equals_registry),
        cmocka_unit_test(test_outlook_recorded_writes),
        cmocka_unit_test(test_outlook_creation_fails),
        cmocka_unit_test(test_outlook_call_fails),
        cmocka_unit_test(test_outlook_unsupported),
        cmocka_unit_test(test_oe_api_equals_registry),
        cmocka_unit_test(test_oe_call_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
