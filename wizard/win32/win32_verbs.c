/* win32_verbs: the table of mailsetup.exe's own verbs. */
#include "win32_verbs.h"

#include "probe.h"
#include "verb_accounts.h"
#include "verb_test_send.h"

const ms_cli_verb *const ms_win32_verbs[] = {
    &verb_scan,
    &verb_apply,
    &verb_undo,
    &verb_test_send,
    &probe_verb,
};
const size_t ms_win32_verb_count = sizeof ms_win32_verbs / sizeof ms_win32_verbs[0];
