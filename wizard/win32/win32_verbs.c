/* win32_verbs: the table of mailsetup.exe's own verbs. */
#include "win32_verbs.h"

#include "probe.h"
#include "verb_accounts.h"
#include "verb_test_send.h"

#ifdef MS_TEST_HOOKS
#include "journal.h"

/* Test-hook build only (cmake/test_hooks.cmake): `journal-reseal FOLDER`
 * seals a hand-made journal with this user's key, as malware running as
 * the user could, so that tests/wine/test_undo_hostile.py reaches the
 * checks of where undo may act behind the seal. */
static int run_journal_reseal(ms_cli *cli, int argc, char **argv)
{
    ms_error err;
    if (argc != 2) {
        ms_fail(&err, MS_ERR_USAGE, "journal-reseal FOLDER");
        ms_print_error(cli, &err);
        return MS_EXIT_USAGE;
    }
    if (journal_reseal(argv[1], &err) != MS_OK) {
        ms_print_error(cli, &err);
        return MS_EXIT_FAILURE;
    }
    return MS_EXIT_OK;
}

static const ms_cli_verb verb_journal_reseal = {
    "journal-reseal", "journal-reseal FOLDER", "(テスト用) バックアップを封印し直します",
    "(tests) seal a backup again with this user's key", run_journal_reseal};
#endif

const ms_cli_verb *const ms_win32_verbs[] = {
    &verb_scan,
    &verb_apply,
    &verb_undo,
    &verb_test_send,
    &probe_verb,
#ifdef MS_TEST_HOOKS
    &verb_journal_reseal,
#endif
};
const size_t ms_win32_verb_count = sizeof ms_win32_verbs / sizeof ms_win32_verbs[0];
