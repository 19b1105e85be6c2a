/* wine_roots: under Wine, Schannel completes a handshake without checking
 * the server's certificate (docs/test-send.md, "Certificates"), so the
 * test send and the probe hand the roots of Wine's ROOT store to libcurl
 * as a PEM blob (CURLOPT_CAINFO_BLOB) and libcurl verifies. On Windows
 * itself, and on Linux, nothing is done: Schannel / OpenSSL verify. */
#ifndef MS_WINE_ROOTS_H
#define MS_WINE_ROOTS_H

#include <stdbool.h>

#include "strbuf.h"

/* Appends the ROOT store as PEM to out when running under Wine; returns
 * whether out now holds roots to give libcurl. */
bool net_wine_roots(strbuf *out);

#endif
