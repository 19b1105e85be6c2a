/* guid: random GUIDs in Windows' registry form, "{8-4-4-4-12}" upper-case
 * hex, for new account files and keys. Version 4 (random) GUIDs per
 * RFC 4122, fed by the platform's cryptographic generator. */
#ifndef MS_GUID_H
#define MS_GUID_H

#include "error.h"

#define GUID_STR_LEN 38 /* "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}" */

/* Formats 16 bytes (in RFC 4122 byte order) as "{...}" into out. */
void guid_format(const unsigned char bytes[16], char out[GUID_STR_LEN + 1]);
/* A new random version-4 GUID. */
MS_NODISCARD ms_code guid_random(char out[GUID_STR_LEN + 1], ms_error *err);

#endif
