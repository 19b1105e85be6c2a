/* smtplog: the SMTP dialogue of a test send as the helpdesk may see it.
 * Fed with what libcurl's debug callback reports, it keeps a redacted
 * transcript (AUTH payloads, the message body and every occurrence of the
 * secrets - plain or base64 - replaced) and follows the session: the stage,
 * the last reply, what EHLO offered. Portable; tested with transcripts
 * under tests/data/send/. */
#ifndef MS_SMTPLOG_H
#define MS_SMTPLOG_H

#include <stdbool.h>
#include <stddef.h>

#include "diagnose.h"
#include "strbuf.h"

/* What a piece of the dialogue is (libcurl's curl_infotype, in words). */
typedef enum smtplog_kind {
    SMTPLOG_INFO,     /* libcurl's own remarks (CURLINFO_TEXT) */
    SMTPLOG_IN,       /* server reply lines (CURLINFO_HEADER_IN) */
    SMTPLOG_OUT,      /* client command lines (CURLINFO_HEADER_OUT) */
    SMTPLOG_DATA_OUT, /* the message itself (CURLINFO_DATA_OUT): never logged */
} smtplog_kind;

#define SMTPLOG_MAX_SECRETS 2
#define SMTPLOG_REDACTED "<redacted>"

typedef struct smtplog {
    strbuf text;          /* the transcript: "* info", "> command", "< reply" lines (LF) */
    diagnose_stage stage; /* the stage in progress (QUIT does not count) */
    long reply;           /* the last reply code before QUIT (0 none) */
    char reply_text[256]; /* the last reply line, redacted */
    bool auth_offered, starttls_offered;
    char auth_mechanisms[128]; /* "PLAIN LOGIN" as the last EHLO listed them */
    bool accepted;             /* the server took the message (250 after the data) */
    bool in_auth;              /* inside an AUTH exchange: client lines are secret */
    bool data_pending;         /* body bytes went out since the last reply */
    bool quit_sent;            /* QUIT went out: later replies change nothing */
    size_t body_bytes;
    int security; /* ms_security */
    const char *secrets[SMTPLOG_MAX_SECRETS]; /* borrowed; never copied */
    size_t n_secrets;
} smtplog;

void smtplog_init(smtplog *l, int security);
/* Every later line has s (and its base64) replaced. s is borrowed and must
 * outlive the log's feeding; empty or NULL is ignored. */
void smtplog_add_secret(smtplog *l, const char *s);
/* data[0..len) may hold several lines or part of one (CRLF or LF). */
void smtplog_feed(smtplog *l, smtplog_kind kind, const char *data, size_t len);

/* Steps through a chunk of a dialogue line by line: from *pos, sets *line
 * and *n to the next line without its CR LF (empty lines included) and
 * moves *pos past it; false when the chunk is used up. */
bool smtplog_next_line(const char *data, size_t len, size_t *pos, const char **line, size_t *n);
/* Wipes and frees the transcript. */
void smtplog_free(smtplog *l);

/* Appends line (len bytes, no line end) to out with every occurrence of
 * each secret and of its base64 replaced by SMTPLOG_REDACTED. */
void smtplog_scrub(strbuf *out, const char *line, size_t len, const char *const *secrets,
                   size_t n_secrets);

#endif
