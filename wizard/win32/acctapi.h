/* acctapi: the real account APIs behind acctprops_api (wizard/core/
 * acctprops.h): Outlook's Account Management API through a MAPI session
 * (acctapi_outlook.c) and Outlook Express's Internet Account Manager from
 * msoeacct.dll (acctapi_oe.c). Where one is missing (Wine, no Outlook,
 * Outlook of the other bitness) opening it fails with the reason, and the
 * back-end writes the registry itself.
 *
 * Use: call acctapi_install(&state, &ctx) before engine_apply() (the apply
 * verb) and point the env's acctprops at ctx, with a state that lives as
 * long as the apply, and acctapi_uninstall(&ctx) after it; then
 * acctprops_path_of(&ctx, id) / acctprops_records(&ctx) say which path
 * each account took, for the report ("path": "api" | "registry", and the
 * reason). */
#ifndef MS_ACCTAPI_H
#define MS_ACCTAPI_H

#include <windows.h>

#include <stdbool.h>

#include "acctprops.h"

/* What the open APIs hold (COM initialised by us, MAPI loaded and
 * initialised), reached through acctprops_api.ctx: no global. */
typedef struct acctapi_state {
    acctprops_api api; /* what acctapi_install hands to acctprops; ctx: this */
    HMODULE mapi;      /* mapi32.dll while an Outlook manager is open */
    void(WINAPI *mapi_uninit)(void); /* MAPIUninitialize, once MAPIInitialize worked */
    bool outlook_com, oe_com;        /* CoInitializeEx succeeded for that API */
} acctapi_state;

/* Installs both APIs into acctprops with st as their state (st is reset);
 * st must outlive every use until acctapi_uninstall(). */
void acctapi_install(acctapi_state *st, acctprops_ctx *ctx);
/* Takes the APIs out of acctprops again (the registry path only). */
void acctapi_uninstall(acctprops_ctx *ctx);

/* ---- used by the two files above (ctx: the acctapi_state) */
/* An initialised Outlook account manager for MAPI profile `profile`, or
 * the reason (step and HRESULT) it cannot be had. */
MS_NODISCARD ms_code acctapi_outlook_open(void *ctx, const char *profile, const char *version,
                                          IOlkAccountManager **mgr, ms_error *err);
/* Releases mgr (may be NULL) and the MAPI session and COM it needed. */
void acctapi_outlook_close(void *ctx, IOlkAccountManager *mgr);
/* An initialised Outlook Express account manager for identity (NULL: the
 * shared store), or the reason it cannot be had. */
MS_NODISCARD ms_code acctapi_oe_open(void *ctx, const char *identity, IImnAccountManager **mgr,
                                     ms_error *err);
/* Releases mgr (may be NULL) and the COM it needed. */
void acctapi_oe_close(void *ctx, IImnAccountManager *mgr);

/* Outlook's bitness as its installation records it (HKLM\Software\
 * Microsoft\Office\<version>\Outlook, value "Bitness": "x86" or "x64";
 * read-only, either registry view). Returns 32 or 64, or 0 when unknown. */
int acctapi_outlook_bitness(const char *version);

#endif
