/* utf: the one place where UTF-8 (the core) meets UTF-16 (Win32). Returned
 * strings are malloc'd and owned by the caller; NULL on invalid input or
 * out of memory. */
#ifndef MS_UTF_H
#define MS_UTF_H

#include <stddef.h>
#include <wchar.h>

/* The NUL-terminated UTF-8 string s as UTF-16. */
wchar_t *ms_utf8_to_wide(const char *s);
/* The n bytes of UTF-8 at s as UTF-16; *out_len: its length in units. */
wchar_t *ms_utf8n_to_wide(const char *s, size_t n, size_t *out_len);
/* The NUL-terminated UTF-16 string w as UTF-8. */
char *ms_wide_to_utf8(const wchar_t *w);
/* The n UTF-16 units at w as UTF-8; *out_len: its length in bytes. */
char *ms_widen_to_utf8(const wchar_t *w, size_t n, size_t *out_len);

#endif
