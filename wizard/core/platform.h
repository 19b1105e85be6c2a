/* platform: what the portable core needs from the system it runs on
 * (after PuTTY's split). wizard/host/ implements it with POSIX calls for the
 * Linux build, wizard/win32/ with wide Win32 calls. Paths are UTF-8. */
#ifndef MS_PLATFORM_H
#define MS_PLATFORM_H

#include <stddef.h>

#include "error.h"
#include "strbuf.h"

enum ms_stream { MS_STDOUT = 1, MS_STDERR = 2 };

/* Writes UTF-8 text to standard output or error (converted for a console). */
void ms_platform_write(enum ms_stream stream, const char *utf8, size_t len);

/* Reads a whole file into out (appending). Files larger than max bytes are
 * refused with MS_ERR_IO_READ, so a hostile file cannot exhaust memory. */
ms_code ms_file_read(const char *path, size_t max, strbuf *out, ms_error *err);

/* Replaces path with data atomically: a temporary file beside it, flushed to
 * disk, then renamed over. On failure path is untouched. */
ms_code ms_file_write_atomic(const char *path, const void *data, size_t len, ms_error *err);

/* Appends "name version" lines for the libraries this build links. */
void ms_platform_versions(strbuf *out);

/* The user's UI language, as the system reports it. */
ms_lang ms_platform_ui_lang(void);

#endif
