/* sha256: SHA-256 (FIPS 180-4) and HMAC-SHA-256 (RFC 2104), for the
 * journal's seal and its copies' digests (docs/security.md). */
#ifndef MS_SHA256_H
#define MS_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN 32

typedef struct sha256_ctx {
    uint32_t h[8];
    uint64_t total;
    unsigned char block[64];
    size_t used;
} sha256_ctx;

/* A hash of nothing yet. */
void sha256_init(sha256_ctx *c);
/* Adds n bytes of data to the hash. */
void sha256_update(sha256_ctx *c, const void *data, size_t n);
/* The digest of all that was added; c must be initialised again to reuse. */
void sha256_final(sha256_ctx *c, unsigned char out[SHA256_LEN]);
/* The SHA-256 digest of n bytes of data. */
void sha256(const void *data, size_t n, unsigned char out[SHA256_LEN]);
/* HMAC-SHA-256 (RFC 2104) of n bytes of data under key. */
void hmac_sha256(const unsigned char *key, size_t key_len, const void *data, size_t n,
                 unsigned char out[SHA256_LEN]);
/* Equal in time that does not depend on where they differ. */
int sha256_equal(const unsigned char *a, const unsigned char *b, size_t n);

#endif
