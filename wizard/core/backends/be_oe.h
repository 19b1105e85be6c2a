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
/* Outlook 98/2000 in Internet-only mode: the same accounts below
 *   HKCU\Software\Microsoft\Office\Outlook\OMI Account Manager (2000)
 *   HKCU\Software\Microsoft\Office\8.0\Outlook\OMI Account Manager (98),
 * the first that has an Accounts key; ids "outlook2000/office/NNNNNNNN"
 * and "outlook2000/office8/NNNNNNNN". */
extern const ms_backend outlook_imo_backend;

#define IMO_KEY_2000 "Software\\Microsoft\\Office\\Outlook\\OMI Account Manager"
#define IMO_KEY_98 "Software\\Microsoft\\Office\\8.0\\Outlook\\OMI Account Manager"
#define IMO_TAG_2000 "office"
#define IMO_TAG_98 "office8"

/* The Internet Account Manager key of the shared store, HKCU-relative. */
#define OE_IAM_KEY "Software\\Microsoft\\Internet Account Manager"
/* Container name the shared store's accounts get ("oe/shared/NNNNNNNN"). */
#define OE_SHARED "shared"

#endif
