/* path: building and taking apart file paths in the core, with the
 * platform's separator (platform.h: ms_path_sep). Accepts both '\\' and '/'
 * on input, since paths from the registry use '\\' and tests run on Linux. */
#ifndef MS_PATH_H
#define MS_PATH_H

#include <stddef.h>

#include "strbuf.h"

/* Appends dir, one separator, and name to out (no doubled separator). */
void path_join(strbuf *out, const char *dir, const char *name);
/* Rewrites every '\\' and '/' in s to the platform's separator. */
void path_normalize(char *s);
/* The part after the last '\\' or '/' (s itself when there is none). */
const char *path_basename(const char *s);
/* Length of the folder part of s (up to, not including, the last separator;
 * 0 when there is none). */
size_t path_dirname_len(const char *s);

#endif
