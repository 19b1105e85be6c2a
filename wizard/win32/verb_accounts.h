/* verb_accounts: the scan, apply and undo verbs of mailsetup.exe. */
#ifndef MS_VERB_ACCOUNTS_H
#define MS_VERB_ACCOUNTS_H

#include "cli.h"

extern const ms_cli_verb verb_scan, verb_apply, verb_undo;

#endif
