/* be_outlook: Microsoft Outlook's POP3 and IMAP accounts, kept in the MAPI
 * profiles in the registry (strings as REG_BINARY UTF-16LE, numbers as
 * REG_DWORD):
 *   Outlook 2003-2010: HKCU\Software\Microsoft\Windows NT\CurrentVersion\
 *                      Windows Messaging Subsystem\Profiles\<profile>\...
 *   Outlook 2013-2021/365 classic: HKCU\Software\Microsoft\Office\<15.0|16.0>\
 *                      Outlook\Profiles\<profile>\...
 * each account at ...\9375CFF0413111d3B88A00104B2A6676\<8 hex digits>.
 * Value names, their types and meanings, with sources: docs/mail-programs.md.
 * Adding an account (hotweb's mode) is not offered: a working Outlook
 * account needs MAPI service entries that are not documented, so the wizard
 * shows the manual's steps instead (add_account is NULL). */
#ifndef MS_BE_OUTLOOK_H
#define MS_BE_OUTLOOK_H

#include <stdbool.h>
#include <stdint.h>

#include "backend.h"

extern const ms_backend outlook_backend;      /* 2003-2010 */
extern const ms_backend outlook_backend_2013; /* 2013-2021 / 365 classic */

#define OUTLOOK_WMS_PROFILES                                                                       \
    "Software\\Microsoft\\Windows NT\\CurrentVersion\\Windows Messaging Subsystem\\Profiles"
/* The profile subkey that holds the Internet accounts (the account
 * manager's own key). */
#define OUTLOOK_ACCOUNTS_KEY "9375CFF0413111d3B88A00104B2A6676"
/* Value of that key: the mail accounts' ids in order (little-endian
 * DWORDs); the first is the default account. The name is CLSID_OlkMail. */
#define OUTLOOK_MAIL_ORDER "{ED475418-B0D6-11D2-8C3B-00104B2A6676}"

/* Where a scanned Outlook account lives, for the account API
 * (wizard/core/backends/acctprops.h): the MAPI profile's name, the Office version
 * ("16.0", "15.0", or NULL for the Windows Messaging Subsystem), and the
 * account's id (the number its key is named after, PROP_ACCT_ID). */
typedef struct outlook_target {
    char profile[256];
    char version[8];
    uint32_t account_id;
    /* The account stores connection security the Outlook 2003 way
     * ("SMTP Use SSL" only), which the account API does not describe. */
    bool legacy_ssl;
} outlook_target;

/* Fills t from a scanned account's location. MS_ERR_INTERNAL when the
 * account is not one of Outlook's. */
MS_NODISCARD ms_code outlook_target_of(const ms_env *env, const ms_account *a, outlook_target *t,
                                       ms_error *err);

#endif
