/* win32_verbs: the table of mailsetup.exe's own verbs. */
#include "win32_verbs.h"

const ms_cli_verb ms_win32_verbs[] = {
    {0}, /* keeps the array non-empty; not counted */
};
const size_t ms_win32_verb_count = 0;
