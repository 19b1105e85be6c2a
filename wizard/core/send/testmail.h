/* testmail: the test message the wizard sends from an account to itself
 * (RFC 5322 + MIME): a UTF-8 Japanese subject as RFC 2047 encoded words, a
 * base64 UTF-8 body in Japanese and English, Date, Message-ID and the header
 * that marks it as the wizard's test. Portable; the caller supplies the
 * clock and the randomness so the output is reproducible in tests. */
#ifndef MS_TESTMAIL_H
#define MS_TESTMAIL_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "strbuf.h"

/* The subject, decoded (tests compare with it). */
#define TESTMAIL_SUBJECT "【テスト】メール設定ウィザードからのテストメール"
/* The header that marks the message as the wizard's test. */
#define TESTMAIL_MARK_HEADER "X-Mailsetup-Test"

typedef struct testmail_info {
    const char *from;     /* addr-spec; the message goes from it to itself */
    const char *user;     /* the SMTP AUTH user, shown in the body (may be NULL) */
    const char *server;   /* "smtp.example.jp:587 (STARTTLS)", shown in the body */
    int year, month, day; /* the date, UTC */
    int hour, minute, second;
    const char *unique; /* a few random letters or digits for the Message-ID */
} testmail_info;

/* True for a plain ASCII addr-spec a test can be sent to: one '@', a local
 * part of 1..64 characters and a domain of dot-separated labels, no spaces,
 * quotes, brackets or control characters (nothing that needs quoting in
 * MAIL FROM or a header). */
bool testmail_address_ok(const char *addr);

/* Appends the whole message (CRLF line ends, no line over 78 characters) to
 * out. MS_ERR_USAGE for a bad address or date, MS_ERR_NOMEM. */
ms_code testmail_build(const testmail_info *in, strbuf *out, ms_error *err);

/* Appends the Message-ID testmail_build() gives the message, with its
 * angle brackets: the POP3 round trip looks for it. */
void testmail_message_id(const testmail_info *in, strbuf *out);

/* Appends s (UTF-8) as RFC 2047 "B" encoded words, each at most 64
 * characters long and holding whole characters, separated by CRLF SP. */
void testmail_encode_words(strbuf *out, const char *s);

/* Appends the base64 of data[0..n), in lines of `line` characters each
 * ending CRLF (line 0: one line, no CRLF). */
void testmail_base64(strbuf *out, const void *data, size_t n, size_t line);

#endif
