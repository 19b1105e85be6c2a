/* win32_verbs: the table of mailsetup.exe's own verbs. */
#include "win32_verbs.h"

/* scan / apply / undo join this table with the registry layer. */
const ms_cli_verb *const ms_win32_verbs[] = {NULL};
const size_t ms_win32_verb_count = 0;
