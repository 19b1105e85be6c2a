/* acctprops: a change plan as writes through the mail programs' own account
 * APIs (Outlook's IOlkAccount, Outlook Express's IImnAccount), and the
 * choice between that path and the registry back-end.
 *
 * The back-ends (be_outlook.c; be_oe.c can do the same) journal every
 * registry value their registry path would write, then ask
 * acctprops_try_*() whether the API did the job; when it did not (no API on
 * this system, creation failed, a call failed, or the plan holds something
 * the API does not describe) they write the registry themselves. Either way
 * the backup is the same and the engine verifies by re-reading the
 * registry, so undo works after both. Which path each account took is kept
 * in a list the command line's report prints.
 *
 * Portable: the interfaces are declared in comapi.h; the Win32 layer
 * (wizard/win32/acctapi_outlook.c, acctapi_oe.c) creates the real objects,
 * unit tests pass fakes. */
#ifndef MS_ACCTPROPS_H
#define MS_ACCTPROPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "account.h"
#include "backend.h"
#include "comapi.h"
#include "error.h"

/* One property write: a tag and a DWORD or UTF-8 string value. */
typedef struct acctprops_write {
    uint32_t tag;
    bool is_string;
    uint32_t dw;
    const char *str; /* borrowed from the change or the account */
} acctprops_write;

#define ACCTPROPS_MAX_WRITES 16

typedef struct acctprops_list {
    acctprops_write w[ACCTPROPS_MAX_WRITES];
    size_t n;
    bool set_default; /* OE: IImnAccount::SetAsDefault */
} acctprops_list;

/* Outlook's values for the outgoing server's authentication `to` on an
 * account whose authentication is `now`: "SMTP Use Auth", then "SMTP Auth
 * Method", then "SMTP Use SPA" (SPA now or wanted). Returns how many of
 * v[] to write (the registry path and the account API write the same),
 * 0 for an unknown setting. */
size_t acctprops_olk_auth(unsigned to, ms_smtp_auth now, uint32_t v[3]);
/* Outlook's "SMTP Secure Connection" for a connection security. */
uint32_t acctprops_olk_encrypt(unsigned sec);

/* The Outlook property writes for changes on account cur (as read now).
 * MS_ERR_UNSUPPORTED_SETTING when the API cannot express them (the default
 * account order, Outlook 2003's "SMTP Use SSL" layout): the caller then
 * takes the registry path. */
MS_NODISCARD ms_code acctprops_outlook_list(const ms_account *cur, bool legacy_ssl,
                                            const ms_change *changes, size_t n, acctprops_list *out,
                                            ms_error *err);
/* The same for Outlook Express's AP_* properties. Strings go through the
 * ANSI SetPropSz, so a non-ASCII value is MS_ERR_UNSUPPORTED_SETTING. */
MS_NODISCARD ms_code acctprops_oe_list(const ms_account *cur, const ms_change *changes, size_t n,
                                       acctprops_list *out, ms_error *err);

/* Finds account acct_id with mgr, checks that it is the scanned account
 * (its PROP_ACCT_NAME equals cur->account_name), sets every property of l,
 * saves once and releases the account. Does not release mgr. */
MS_NODISCARD ms_code acctprops_outlook_write(IOlkAccountManager *mgr, uint32_t acct_id,
                                             const ms_account *cur, const acctprops_list *l,
                                             ms_error *err);
/* The same for Outlook Express: the account whose AP_ACCOUNT_ID is key_name
 * (its registry key's name, "00000001"). */
MS_NODISCARD ms_code acctprops_oe_write(IImnAccountManager *mgr, const char *key_name,
                                        const acctprops_list *l, ms_error *err);

/* What the platform offers. Any member may be NULL (that API is absent). */
typedef struct acctprops_api {
    void *ctx;
    /* An initialised account manager for MAPI profile `profile` of Outlook
     * `version` ("16.0", "15.0", NULL for 2003-2010); close releases it
     * and whatever session it needed. */
    ms_code (*outlook_open)(void *ctx, const char *profile, const char *version,
                            IOlkAccountManager **mgr, ms_error *err);
    void (*outlook_close)(void *ctx, IOlkAccountManager *mgr);
    /* For identity `identity` ("{GUID}", or NULL for the shared store). */
    ms_code (*oe_open)(void *ctx, const char *identity, IImnAccountManager **mgr, ms_error *err);
    void (*oe_close)(void *ctx, IImnAccountManager *mgr);
} acctprops_api;

typedef enum acctprops_path { ACCTPROPS_REGISTRY = 0, ACCTPROPS_API = 1 } acctprops_path;

typedef struct acctprops_record {
    char account_id[256];
    acctprops_path path;
    char reason[640]; /* why the registry path was taken; "" for the API */
} acctprops_record;

/* What one apply run knows of the account APIs, reached through
 * ms_env.acctprops (no global state): the platform's APIs (api NULL: none
 * here, every account takes the registry path) and which path each
 * account took, with the reason. Start it zeroed; acctprops_ctx_free. */
typedef struct acctprops_ctx {
    const acctprops_api *api;
    acctprops_record *records;
    size_t n_records, cap_records;
} acctprops_ctx;

/* Tries the API for one Outlook account. True when the API made every
 * change and saved; false when the caller must write the registry. Either
 * way the outcome is recorded with the reason. */
bool acctprops_try_outlook(acctprops_ctx *ctx, const ms_account *scanned, const ms_account *cur,
                           const char *profile, const char *version, uint32_t acct_id,
                           bool legacy_ssl, const ms_change *changes, size_t n);
/* The same for one Outlook Express account (identity as for oe_open). */
bool acctprops_try_oe(acctprops_ctx *ctx, const ms_account *scanned, const ms_account *cur,
                      const char *identity, const char *key_name, const ms_change *changes,
                      size_t n);

/* The records of this run, oldest first (NULL when none). */
const acctprops_record *acctprops_records(const acctprops_ctx *ctx, size_t *n);
/* Forgets every record (the api stays). */
void acctprops_records_clear(acctprops_ctx *ctx);
/* The path the last record of account_id says (ACCTPROPS_REGISTRY when
 * none). */
acctprops_path acctprops_path_of(const acctprops_ctx *ctx, const char *account_id);
/* The path's name in reports: "registry" or "api". */
const char *acctprops_path_id(acctprops_path p);

#endif
