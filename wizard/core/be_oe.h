/* be_oe: Outlook Express 5 and 6. Accounts live in the registry, one key
 * per account, per identity:
 *   HKCU\Identities\{GUID}\Software\Microsoft\Internet Account Manager\Accounts\NNNNNNNN
 * and, from before identities (OE4, or accounts shared by all identities),
 *   HKCU\Software\Microsoft\Internet Account Manager\Accounts\NNNNNNNN.
 * Sources of every value name: docs/mail-programs.md. */
#ifndef MS_BE_OE_H
#define MS_BE_OE_H

#include "backend.h"

extern const ms_backend oe_backend;

/* The Internet Account Manager key of the shared store, HKCU-relative. */
#define OE_IAM_KEY "Software\\Microsoft\\Internet Account Manager"
/* Container name the shared store's accounts get ("oe/shared/NNNNNNNN"). */
#define OE_SHARED "shared"

#endif
