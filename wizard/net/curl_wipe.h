/* curl_wipe: libcurl's memory is overwritten before it is freed. libcurl
 * keeps copies of the password (options, AUTH buffers) that it frees
 * without wiping; the test send (smtp_send.c) and the probe
 * (probe_curl.c) both start libcurl through this one allocator. */
#ifndef MS_CURL_WIPE_H
#define MS_CURL_WIPE_H

#include <stdbool.h>

/* curl_global_init with the wiping allocator, once; later calls return the
 * first call's result. Not thread-safe: call it before any thread uses
 * libcurl (main() does). */
bool net_curl_global_init(void);
/* curl_global_cleanup, when net_curl_global_init succeeded. */
void net_curl_global_cleanup(void);

#endif
