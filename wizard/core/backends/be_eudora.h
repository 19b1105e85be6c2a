/* be_eudora: Eudora (Qualcomm) for Windows, found but not changed. Where
 * Eudora keeps its account settings could not be confirmed from a source,
 * so the back-end only says the program is there: one entry with
 * read_error MS_ERR_MANUAL_STEPS (detail "Eudora"), which the plan leaves
 * alone and the report shows with the ISP profile's manual steps for
 * "eudora" (profile_find_manual). Found when HKCU\Software\Qualcomm\Eudora
 * exists (Eudora writes its CommandLine value there).
 * Sources: docs/mail-programs.md, "PostPet and Eudora". */
#ifndef MS_BE_EUDORA_H
#define MS_BE_EUDORA_H

#include "backend.h"

extern const ms_backend eudora_backend; /* MS_PROG_EUDORA */

#define EUDORA_REG_KEY "Software\\Qualcomm\\Eudora"

#endif
