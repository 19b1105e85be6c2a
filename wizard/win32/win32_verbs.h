/* win32_verbs: the command-line verbs only mailsetup.exe has (they touch
 * mail programs, the registry or the network). */
#ifndef MS_WIN32_VERBS_H
#define MS_WIN32_VERBS_H

#include <stddef.h>

#include "cli.h"

extern const ms_cli_verb *const ms_win32_verbs[];
extern const size_t ms_win32_verb_count;

#endif
