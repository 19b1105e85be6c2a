/* tlsup_net: outgoing.tls_upgrade over the network - tlsup.h's probe
 * function on the probe's libcurl layer (wizard/net/probe_curl.c: Schannel
 * in mailsetup.exe, Debian's libcurl on Linux; certificates and host names
 * always verified, no log-on, nothing sent). */
#ifndef MS_TLSUP_NET_H
#define MS_TLSUP_NET_H

#include <stdbool.h>

#include "error.h"
#include "plan.h"
#include "profile.h"
#include "tlsup.h"

/* tlsup_plan with the network: each wanted item's new outgoing server is
 * asked (10 s per attempt), under the system's trust. The test-hook exe
 * (MS_TEST_HOOKS) and the Linux build also read MAILSETUP_TEST_CA_FILE (a
 * PEM of roots to trust instead) and MAILSETUP_TEST_RESOLVE ("HOST:PORT:
 * ADDR" entries separated by ';', as curl's --resolve), as the Wine tests
 * set them; what ships never reads them. Promises: the plan's items are
 * either as the profile says or carry a verdict; MS_OK unless memory or
 * libcurl failed. */
MS_NODISCARD ms_code tlsup_net_plan(ms_plan *plan, const profile *p, const bool *selected,
                                    ms_error *err);

/* Whether tlsup_net_plan would ask anything (any selected item wants an
 * upgrade): callers print a line before the network wait. */
bool tlsup_net_wanted(const ms_plan *plan, const profile *p, const bool *selected);

#endif
