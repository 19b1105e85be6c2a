/* curl_wipe: the wiping allocator libcurl runs on; see curl_wipe.h. */
#include "curl_wipe.h"

#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "strbuf.h"

/* The usable size of a malloc'd block: what libcurl may have written. */
#ifdef _WIN32
#define BLOCK_SIZE(p) _msize(p)
#else
#define BLOCK_SIZE(p) malloc_usable_size(p)
#endif

static void wiping_free(void *p)
{
    if (p) {
        ms_wipe(p, BLOCK_SIZE(p));
        free(p);
    }
}

static void *wiping_realloc(void *p, size_t n)
{
    if (!p)
        return malloc(n);
    if (n == 0) {
        wiping_free(p);
        return NULL;
    }
    size_t old = BLOCK_SIZE(p);
    void *q = malloc(n);
    if (!q)
        return NULL;
    memcpy(q, p, old < n ? old : n);
    wiping_free(p);
    return q;
}

static char *wiping_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static int state; /* 0 not yet, 1 ready, -1 failed */

bool net_curl_global_init(void)
{
    if (!state)
        state = curl_global_init_mem(CURL_GLOBAL_ALL, malloc, wiping_free, wiping_realloc,
                                     wiping_strdup, calloc) == CURLE_OK
                    ? 1
                    : -1;
    return state > 0;
}

void net_curl_global_cleanup(void)
{
    if (state > 0)
        curl_global_cleanup();
    state = 0;
}
