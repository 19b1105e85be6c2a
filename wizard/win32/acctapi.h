/* acctapi: the real account APIs behind acctprops_api (wizard/core/
 * acctprops.h): Outlook's Account Management API through a MAPI session
 * (acctapi_outlook.c) and Outlook Express's Internet Account Manager from
 * msoeacct.dll (acctapi_oe.c). Where one is missing (Wine, no Outlook,
 * Outlook of the other bitness) opening it fails with the reason, and the
 * back-end writes the registry itself.
 *
 * Use: call acctapi_install() once before engine_apply() (the apply verb);
 * after it, acctprops_path_of(id) / acctprops_records() say which path each
 * account took, for the report ("path": "api" | "registry", and the
 * reason). */
#ifndef MS_ACCTAPI_H
#define MS_ACCTAPI_H

#include <stdbool.h>

#include "acctprops.h"

/* Installs both APIs into acctprops (idempotent). */
void acctapi_install(void);

/* ---- used by the two files above */

ms_code acctapi_outlook_open(void *ctx, const char *profile, const char *version,
                             IOlkAccountManager **mgr, ms_error *err);
void acctapi_outlook_close(void *ctx, IOlkAccountManager *mgr);
ms_code acctapi_oe_open(void *ctx, const char *identity, IImnAccountManager **mgr, ms_error *err);
void acctapi_oe_close(void *ctx, IImnAccountManager *mgr);

/* Outlook's bitness as its installation records it (HKLM\Software\
 * Microsoft\Office\<version>\Outlook, value "Bitness": "x86" or "x64";
 * read-only, either registry view). Returns 32 or 64, or 0 when unknown. */
int acctapi_outlook_bitness(const char *version);

#endif
