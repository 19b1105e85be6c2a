/* acctapi_oe: Outlook Express's Internet Account Manager on the real
 * machine: CoCreateInstance(CLSID_ImnAccountManager) from msoeacct.dll
 * (Microsoft, "IImnAccountManager interface"), initialised for one identity
 * with IImnAccountManager2::InitUser(identity GUID), or with Init for the
 * shared store. Accounts are then found by AP_ACCOUNT_ID (their registry key
 * name) in acctprops_oe_write(). Failures come back with step and HRESULT,
 * and the back-end takes the registry path. */
#include <windows.h>
#include <objbase.h>
#include <stdlib.h>
#include <string.h>

#include "acctapi.h"
#include "utf.h"

static ms_code fail_hr(ms_error *err, const char *what, HRESULT hr)
{
    return ms_fail(err, MS_ERR_INTERNAL, "%s: HRESULT 0x%08lX", what, (unsigned long)hr);
}

/* Initialises m for identity (a "{GUID}") with IImnAccountManager2::InitUser,
 * a member of IImnAccountManager2 only. */
static HRESULT init_user(IImnAccountManager *m, const char *identity)
{
    GUID g;
    wchar_t *w = ms_utf8_to_wide(identity);
    HRESULT hr = w ? CLSIDFromString(w, &g) : E_OUTOFMEMORY;
    free(w);
    IImnAccountManager *m2 = NULL;
    if (SUCCEEDED(hr))
        hr = m->lpVtbl->QueryInterface(m, &imn_iid_account_manager2, (void **)&m2);
    if (SUCCEEDED(hr) && m2) {
        hr = m2->lpVtbl->InitUser(m2, NULL, (const ms_guid *)&g, 0);
        m2->lpVtbl->Release(m2);
    }
    return hr;
}

ms_code acctapi_oe_open(void *ctx, const char *identity, IImnAccountManager **mgr, ms_error *err)
{
    acctapi_state *st = ctx;
    IImnAccountManager *m = NULL;
    ms_code rc = MS_OK;
    *mgr = NULL;
    HRESULT hr = CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    if (FAILED(hr) && hr != RPC_E_CHANGED_MODE)
        return fail_hr(err, "CoInitializeEx", hr);
    st->oe_com = SUCCEEDED(hr);
    hr = CoCreateInstance((REFCLSID)&imn_clsid_account_manager, NULL, CLSCTX_INPROC_SERVER,
                          (REFIID)&imn_iid_account_manager, (void **)&m);
    if (FAILED(hr) || !m) {
        rc = fail_hr(err, "CoCreateInstance(CLSID_ImnAccountManager)", hr);
        goto out;
    }
    if (identity && *identity) {
        hr = init_user(m, identity);
        if (FAILED(hr))
            rc = fail_hr(err, "IImnAccountManager2::InitUser", hr);
    } else {
        hr = m->lpVtbl->Init(m, NULL);
        if (FAILED(hr))
            rc = fail_hr(err, "IImnAccountManager::Init", hr);
    }
out:
    if (rc != MS_OK) {
        acctapi_oe_close(st, m);
        return rc;
    }
    *mgr = m;
    return MS_OK;
}

void acctapi_oe_close(void *ctx, IImnAccountManager *mgr)
{
    acctapi_state *st = ctx;
    if (mgr)
        mgr->lpVtbl->Release(mgr);
    if (st->oe_com)
        CoUninitialize();
    st->oe_com = false;
}
