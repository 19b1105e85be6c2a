/* The core's one error type: a code from messages.def, plus the context it
 * happened in (JSON path, account, file) as UTF-8. Functions that can fail
 * return an ms_code and fill an ms_error the caller passes in (may be NULL).
 * Library code never exits; only the command line and the GUI decide. */
#ifndef MS_ERROR_H
#define MS_ERROR_H

#include <stddef.h>

#include "compat.h"

typedef enum ms_code {
#define MS_MSG(name, hd, ja, en) name,
#include "messages.def"
#undef MS_MSG
    MS_CODE_COUNT
} ms_code;

typedef enum ms_lang { MS_LANG_JA = 0, MS_LANG_EN = 1 } ms_lang;

typedef struct ms_error {
    ms_code code;
    char detail[512]; /* UTF-8; what the sentence's %s becomes */
} ms_error;

/* Sets err (if not NULL) and returns code, so callers can `return ms_fail(...)`.
 * Not MS_NODISCARD: filling an error record (an account's read_error) is
 * what it is for; the result is only a convenience. */
ms_code ms_fail(ms_error *err, ms_code code, const char *fmt, ...)
MS_PRINTF(3, 4);
/* err (if not NULL) says MS_OK with an empty detail. */
void ms_error_clear(ms_error *err);

/* Static strings; never NULL, even for an out-of-range code. */
const char *ms_code_name(ms_code code);     /* "MS_ERR_NOMEM" */
const char *ms_code_helpdesk(ms_code code); /* "E01" */
const char *ms_code_sentence(ms_code code, ms_lang lang);

/* The full sentence with the detail filled in, written to buf (always
 * NUL-terminated, truncated on a UTF-8 boundary). Returns buf. */
char *ms_error_format(const ms_error *err, ms_lang lang, char *buf, size_t size);

/* Parses "ja"/"en" (and "ja-JP", "en_US"...); returns -1 when unknown. */
int ms_lang_parse(const char *s);

#endif
