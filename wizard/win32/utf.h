/* utf: the one place where UTF-8 (the core) meets UTF-16 (Win32). Returned
 * strings are malloc'd and owned by the caller; NULL on invalid input or
 * out of memory. */
#ifndef MS_UTF_H
#define MS_UTF_H

#include <stddef.h>
#include <wchar.h>

wchar_t *ms_utf8_to_wide(const char *s);
wchar_t *ms_utf8n_to_wide(const char *s, size_t n, size_t *out_len);
char *ms_wide_to_utf8(const wchar_t *w);
char *ms_widen_to_utf8(const wchar_t *w, size_t n, size_t *out_len);

#endif
