/* verb_test_send: `mailsetup.exe test-send` (docs/test-send.md). */
#ifndef MS_VERB_TEST_SEND_H
#define MS_VERB_TEST_SEND_H

#include "cli.h"

extern const ms_cli_verb verb_test_send;

#endif
