/* utf16: strict conversions between UTF-8 (the core) and UTF-16 (files and
 * registry values written by Windows programs), in portable C. Unpaired
 * surrogates, overlong or truncated sequences and code points above U+10FFFF
 * are refused, so a conversion there and back gives the same bytes. */
#ifndef MS_UTF16_H
#define MS_UTF16_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

/* Appends the UTF-8 form of len bytes of UTF-16 (little- or big-endian).
 * False on bad input (odd length, unpaired surrogate); *bad_at then holds
 * the byte offset of the problem. */
bool utf16_to_utf8(const void *data, size_t len, bool big_endian, strbuf *out, size_t *bad_at);
/* Appends the UTF-16 form of len bytes of UTF-8. False on invalid UTF-8. */
bool utf16_from_utf8(const char *s, size_t len, bool big_endian, strbuf *out);
/* Is s[0..len) valid UTF-8 (strictly, as above)? *bad_at gets the offset
 * of the first bad byte. */
bool utf16_utf8_valid(const char *s, size_t len, size_t *bad_at);
/* Decodes one UTF-8 sequence at s (len bytes left) into *cp; returns its
 * length, or 0 when invalid. */
size_t utf16_utf8_next(const char *s, size_t len, unsigned long *cp);
/* Appends the UTF-8 form of code point cp (<= U+10FFFF, not a surrogate). */
void utf16_utf8_put(strbuf *out, unsigned long cp);

#endif
