/* acctapi_outlook: Outlook's Account Management API on the real machine.
 *
 * IOlkAccountManager is created with CoCreateInstance(CLSID_OlkAccountManager)
 * (implemented by Outlook, in-process: only a process of Outlook's own
 * bitness can load it) and initialised with our IOlkAccountHelper, which
 * names the MAPI profile and hands over a session opened with MAPILogonEx
 * on that profile (Microsoft, "About the Account Management API",
 * "IOlkAccountManager::Init", "IOlkAccountHelper"). MAPI is loaded at run
 * time from the system's MAPI stub (mapi32.dll), which routes to Outlook's
 * MAPI; nothing is linked statically, so the exe starts where there is no
 * MAPI at all. Every failure is returned with its step and HRESULT. */
#include <windows.h>
#include <objbase.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acctapi.h"
#include "utf.h"

/* MAPILogonEx flags (mapi.h / mapix.h). */
#define MS_MAPI_NEW_SESSION 0x00000002u
#define MS_MAPI_EXPLICIT_PROFILE 0x00000010u
#define MS_MAPI_EXTENDED 0x00000020u
#define MS_MAPI_NO_MAIL 0x00008000u
#define MS_MAPI_UNICODE 0x80000000u

typedef HRESULT(WINAPI *mapi_initialize_fn)(void *init);
typedef void(WINAPI *mapi_uninitialize_fn)(void);
typedef HRESULT(WINAPI *mapi_logon_ex_fn)(ULONG_PTR ui, const wchar_t *profile,
                                          const wchar_t *password, ULONG flags, IUnknown **session);

/* ---- our IOlkAccountHelper */

struct helper {
    IOlkAccountHelper iface;
    LONG ref;
    wchar_t *profile;
    IUnknown *session;
};

static ms_hresult MS_STDCALL h_qi(IOlkAccountHelper *self, const ms_guid *riid, void **ppv)
{
    if (!memcmp(riid, &olk_iid_account_helper, sizeof *riid) ||
        !memcmp(riid, &ms_iid_iunknown, sizeof *riid)) {
        *ppv = self;
        self->lpVtbl->AddRef(self);
        return MS_S_OK;
    }
    *ppv = NULL;
    return MS_E_NOINTERFACE;
}

static uint32_t MS_STDCALL h_addref(IOlkAccountHelper *self)
{
    return (uint32_t)InterlockedIncrement(&((struct helper *)self)->ref);
}

static uint32_t MS_STDCALL h_release(IOlkAccountHelper *self)
{
    struct helper *h = (struct helper *)self;
    LONG r = InterlockedDecrement(&h->ref);
    if (r == 0) {
        if (h->session)
            h->session->lpVtbl->Release(h->session);
        free(h->profile);
        free(h);
    }
    return (uint32_t)r;
}

static ms_hresult MS_STDCALL h_placeholder(IOlkAccountHelper *self, void *unused)
{
    (void)self;
    (void)unused;
    return MS_E_NOTIMPL;
}

static ms_hresult MS_STDCALL h_getidentity(IOlkAccountHelper *self, ms_wchar *out, uint32_t *pcch)
{
    struct helper *h = (struct helper *)self;
    if (!pcch)
        return MS_E_INVALIDARG;
    size_t need = wcslen(h->profile) + 1;
    if (!out || *pcch < need) {
        *pcch = (uint32_t)need;
        return (ms_hresult)E_OUTOFMEMORY;
    }
    memcpy(out, h->profile, need * sizeof(wchar_t));
    *pcch = (uint32_t)need;
    return MS_S_OK;
}

static ms_hresult MS_STDCALL h_getmapisession(IOlkAccountHelper *self, void **out)
{
    struct helper *h = (struct helper *)self;
    if (!out || !h->session)
        return MS_E_FAIL;
    h->session->lpVtbl->AddRef(h->session);
    *out = h->session;
    return MS_S_OK;
}

static ms_hresult MS_STDCALL h_handsoff(IOlkAccountHelper *self)
{
    (void)self;
    return MS_S_OK;
}

static const IOlkAccountHelperVtbl helper_vtbl = {
    .QueryInterface = h_qi,
    .AddRef = h_addref,
    .Release = h_release,
    .PlaceHolder1 = h_placeholder,
    .GetIdentity = h_getidentity,
    .GetMapiSession = h_getmapisession,
    .HandsOffSession = h_handsoff,
};

/* ---- bitness */

static bool read_bitness(REGSAM view, const wchar_t *key, int *bits)
{
    HKEY k;
    if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, key, 0, KEY_QUERY_VALUE | view, &k) != ERROR_SUCCESS)
        return false;
    wchar_t v[16];
    DWORD type = 0, size = sizeof v - sizeof(wchar_t);
    LONG e = RegQueryValueExW(k, L"Bitness", NULL, &type, (BYTE *)v, &size);
    RegCloseKey(k);
    if (e != ERROR_SUCCESS || type != REG_SZ)
        return false;
    v[size / sizeof(wchar_t)] = L'\0';
    if (!_wcsicmp(v, L"x64"))
        *bits = 64;
    else if (!_wcsicmp(v, L"x86"))
        *bits = 32;
    else
        return false;
    return true;
}

int acctapi_outlook_bitness(const char *version)
{
    /* Outlook 2007 (12.0) and earlier exist only as 32-bit programs. */
    if (!version || !*version)
        version = "14.0";
    wchar_t key[96];
    swprintf(key, sizeof key / sizeof key[0], L"Software\\Microsoft\\Office\\%hs\\Outlook",
             version);
    int bits = 0;
    if (read_bitness(KEY_WOW64_64KEY, key, &bits) || read_bitness(KEY_WOW64_32KEY, key, &bits))
        return bits;
    return 0;
}

/* ---- open / close */

static ms_code fail_hr(ms_error *err, const char *what, HRESULT hr)
{
    return ms_fail(err, MS_ERR_INTERNAL, "%s: HRESULT 0x%08lX", what, (unsigned long)hr);
}

/* The account API loads only into a process of Outlook's bitness. */
static ms_code check_bitness(const char *version, ms_error *err)
{
    int bits = acctapi_outlook_bitness(version);
    int mine = (int)(sizeof(void *) * 8);
    if (bits && bits != mine)
        return ms_fail(err, MS_ERR_INTERNAL,
                       "Outlook is %d-bit and this mailsetup.exe is %d-bit; the account API "
                       "only loads into a process of Outlook's bitness",
                       bits, mine);
    return MS_OK;
}

/* The Extended MAPI entry points we call. */
struct mapi_fns {
    mapi_initialize_fn init;
    mapi_logon_ex_fn logon;
    mapi_uninitialize_fn uninit;
};

/* Loads mapi32.dll by full path from System32 (the MAPI stub Outlook
 * registers there): never a mapi32.dll planted beside the exe. */
static ms_code load_mapi(acctapi_state *st, struct mapi_fns *f, ms_error *err)
{
    wchar_t sys[MAX_PATH];
    UINT sn = GetSystemDirectoryW(sys, MAX_PATH - 12);
    if (sn > 0 && sn < MAX_PATH - 12) {
        wcscpy(sys + sn, L"\\mapi32.dll");
        st->mapi = LoadLibraryW(sys);
    }
    if (st->mapi) {
        f->init = (mapi_initialize_fn)(void *)GetProcAddress(st->mapi, "MAPIInitialize");
        f->logon = (mapi_logon_ex_fn)(void *)GetProcAddress(st->mapi, "MAPILogonEx");
        f->uninit = (mapi_uninitialize_fn)(void *)GetProcAddress(st->mapi, "MAPIUninitialize");
    }
    if (!f->init || !f->logon || !f->uninit)
        return ms_fail(err, MS_ERR_INTERNAL, "mapi32.dll: no Extended MAPI");
    HRESULT hr = f->init(NULL);
    if (FAILED(hr))
        return fail_hr(err, "MAPIInitialize", hr);
    st->mapi_uninit = f->uninit; /* balanced in close */
    return MS_OK;
}

/* Our IOlkAccountHelper for MAPI profile `profile`, with a session logged
 * on to it (*out: one reference, NULL on failure). */
static ms_code helper_logon(const struct mapi_fns *f, const char *profile, struct helper **out,
                            ms_error *err)
{
    struct helper *h = calloc(1, sizeof *h);
    if (h) {
        h->iface.lpVtbl = &helper_vtbl;
        h->ref = 1;
        h->profile = ms_utf8_to_wide(profile);
    }
    *out = h;
    if (!h || !h->profile)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    HRESULT hr = f->logon(0, h->profile, NULL,
                          MS_MAPI_EXTENDED | MS_MAPI_NEW_SESSION | MS_MAPI_EXPLICIT_PROFILE |
                              MS_MAPI_NO_MAIL | MS_MAPI_UNICODE,
                          &h->session);
    if (FAILED(hr) || !h->session)
        return fail_hr(err, "MAPILogonEx", hr);
    return MS_OK;
}

ms_code acctapi_outlook_open(void *ctx, const char *profile, const char *version,
                             IOlkAccountManager **mgr, ms_error *err)
{
    acctapi_state *st = ctx;
    IOlkAccountManager *m = NULL;
    struct helper *h = NULL;
    struct mapi_fns f = {NULL, NULL, NULL};
    *mgr = NULL;
    ms_code rc = check_bitness(version, err);
    if (rc != MS_OK)
        return rc;
    HRESULT hr = CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    if (FAILED(hr) && hr != RPC_E_CHANGED_MODE)
        return fail_hr(err, "CoInitializeEx", hr);
    st->outlook_com = SUCCEEDED(hr);
    /* The cheap test first: without Outlook the class is not registered. */
    hr = CoCreateInstance((REFCLSID)&olk_clsid_account_manager, NULL, CLSCTX_INPROC_SERVER,
                          (REFIID)&olk_iid_account_manager, (void **)&m);
    if (FAILED(hr) || !m) {
        rc = fail_hr(err, "CoCreateInstance(CLSID_OlkAccountManager)", hr);
        goto out;
    }
    rc = load_mapi(st, &f, err);
    if (rc != MS_OK)
        goto out;
    rc = helper_logon(&f, profile, &h, err);
    if (rc != MS_OK)
        goto out;
    hr = m->lpVtbl->Init(m, &h->iface, OLK_ACCT_INIT_NOSYNCH_MAPI_ACCTS);
    if (FAILED(hr))
        rc = fail_hr(err, "IOlkAccountManager::Init", hr);
out:
    /* The manager holds the helper now (if Init took it); ours goes. */
    if (h)
        h->iface.lpVtbl->Release(&h->iface);
    if (rc != MS_OK) {
        acctapi_outlook_close(st, m);
        return rc;
    }
    *mgr = m;
    return MS_OK;
}

void acctapi_outlook_close(void *ctx, IOlkAccountManager *mgr)
{
    acctapi_state *st = ctx;
    if (mgr)
        mgr->lpVtbl->Release(mgr);
    if (st->mapi_uninit)
        st->mapi_uninit();
    if (st->mapi)
        FreeLibrary(st->mapi);
    if (st->outlook_com)
        CoUninitialize();
    st->mapi_uninit = NULL;
    st->mapi = NULL;
    st->outlook_com = false;
}

/* ---- installation */

void acctapi_install(acctapi_state *st, acctprops_ctx *ctx)
{
    memset(st, 0, sizeof *st);
    st->api.ctx = st;
    st->api.outlook_open = acctapi_outlook_open;
    st->api.outlook_close = acctapi_outlook_close;
    st->api.oe_open = acctapi_oe_open;
    st->api.oe_close = acctapi_oe_close;
    ctx->api = &st->api;
}

void acctapi_uninstall(acctprops_ctx *ctx)
{
    ctx->api = NULL;
}
