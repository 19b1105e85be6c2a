/* strbuf: the one growable, always NUL-terminated byte buffer of the core
 * (after git's and PuTTY's). Owns its memory; strbuf_free() releases it.
 * Allocation failure is sticky: the buffer stays valid, `oom` is set, and
 * every later append is ignored, so callers check once at the end. */
#ifndef MS_STRBUF_H
#define MS_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "compat.h"

typedef struct strbuf {
    char *buf;  /* never NULL after strbuf_init: "" when empty */
    size_t len; /* bytes used, not counting the terminating NUL */
    size_t cap; /* bytes allocated (0 while buf points at the shared "") */
    bool oom;   /* an allocation failed; contents are truncated */
    bool secret; /* strbuf_init_secret: every old block is wiped (growth,
                    reset, free), so no copy of a password is left behind */
} strbuf;

/* An empty buffer that allocates nothing until the first append. */
void strbuf_init(strbuf *sb);
/* A buffer for a password: growing moves it to a new block and wipes the
 * old one (no realloc leaving a copy), strbuf_reset and strbuf_free wipe. */
void strbuf_init_secret(strbuf *sb);
/* Frees the memory; sb is empty (and usable) after. */
void strbuf_free(strbuf *sb);
/* Like strbuf_free, but overwrites the memory first: for passwords. */
void strbuf_wipe(strbuf *sb);
/* Empties sb, keeping its memory (wiped for a secret buffer). */
void strbuf_reset(strbuf *sb);
/* Room for extra more bytes; false (and oom set) when out of memory. */
bool strbuf_grow(strbuf *sb, size_t extra);
/* Appends n bytes of data. */
void strbuf_add(strbuf *sb, const void *data, size_t n);
/* Appends the string s. */
void strbuf_addstr(strbuf *sb, const char *s);
/* Appends one byte. */
void strbuf_addch(strbuf *sb, char c);
/* Appends printf-formatted text. */
void strbuf_addf(strbuf *sb, const char *fmt, ...)
MS_PRINTF(2, 3);
/* strbuf_addf with a va_list. */
void strbuf_vaddf(strbuf *sb, const char *fmt, va_list ap)
MS_PRINTF(2, 0);
/* Hands the buffer to the caller (free() it) and leaves sb empty. */
char *strbuf_detach(strbuf *sb, size_t *len);

/* ---- small helpers shared by the file formats and back-ends */

/* The value of hex digit c (0-9, a-f, A-F), or -1 for any other byte. */
int ms_hexval(int c);
/* A NUL-terminated copy of the n bytes at s (free() it); NULL when out of
 * memory. */
char *ms_strndup(const char *s, size_t n);
/* Are the n bytes at a and b the same, ASCII letters compared without
 * case (Windows names: "Software" is "SOFTWARE")? */
bool ms_ascii_eq_n(const char *a, const char *b, size_t n);
/* qsort comparator for an array of char *: strcmp order. */
int ms_cmp_str(const void *a, const void *b);
/* Room for one more element after n of size bytes in v (capacity *cap,
 * first allocation `first` elements): v itself, or the grown block (v is
 * then invalid), or NULL when out of memory (v is left as it was). */
void *ms_grow(void *v, size_t *cap, size_t n, size_t size, size_t first);

/* Overwrites n bytes in a way the compiler may not elide (volatile stores
 * and a compiler barrier: the SecureZeroMemory / explicit_bzero of the
 * portable core). */
void ms_wipe(void *p, size_t n);

#endif
