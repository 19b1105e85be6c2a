/* support: what the helpdesk hears and reads. The support code is a short
 * string the subscriber reads out on the phone (programs, accounts, result,
 * first error's helpdesk code); the support report is the text the wizard
 * copies to the clipboard and writes to its log. Neither ever holds a
 * password: the inputs below carry none. */
#ifndef MS_SUPPORT_H
#define MS_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "engine.h"
#include "error.h"
#include "profile.h"
#include "strbuf.h"

/* A test send's outcome for one plan item. */
typedef enum support_send {
    SUPPORT_SEND_NONE = 0, /* not tried */
    SUPPORT_SEND_OK,
    SUPPORT_SEND_FAILED, /* see the matching support_info.send_err */
} support_send;

typedef struct support_info {
    const profile *prof;
    const ms_scan *scan;           /* NULL: the scan did not finish */
    const bool *selected;          /* per plan item; NULL: none chosen yet */
    const engine_result *results;  /* per plan item; NULL: not applied */
    const support_send *send;      /* per plan item; NULL: no test send */
    const ms_error *send_err;      /* per plan item; read when send[i] == FAILED */
    const ms_error *error;         /* a failure of the whole run, or NULL */
    const char *backup_dir;        /* NULL when nothing was backed up */
    const char *version;           /* the wizard's version */
} support_info;

/* Appends the support code, e.g. "2P-2A-2C-2T-OK": P programs with an
 * account of the ISP, A such accounts, C changed, T test messages sent,
 * then OK or the first failure's helpdesk code (the whole run's error,
 * then apply, then test send). Upper-case letters, digits and hyphens
 * only, so it can be spelled out on the phone. */
void support_code(const support_info *in, strbuf *out);

/* Appends the report in lang: ISP, version, code, then each account of the
 * ISP with its state, planned changes, outcome and test-send diagnosis,
 * and the backup folder. Lines end in CRLF (it goes to the clipboard and
 * Notepad). */
void support_report(const support_info *in, ms_lang lang, strbuf *out);

#endif
