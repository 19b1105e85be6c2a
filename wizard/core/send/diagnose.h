/* diagnose: what a failed test send means, as a code of messages.def (an
 * S-code the helpdesk can hear on the phone) with a next step. Portable:
 * libcurl's result codes are given as the numbers libcurl documents
 * (libcurl-errors(3), stable since they are part of the ABI);
 * wizard/win32/smtp_send.c checks them against curl.h at compile time. */
#ifndef MS_DIAGNOSE_H
#define MS_DIAGNOSE_H

#include <stdbool.h>

#include "error.h"

/* The CURLcode values the table uses (same names as curl.h, DIAG_ prefix). */
enum diagnose_curl {
    DIAG_CURLE_OK = 0,
    DIAG_CURLE_UNSUPPORTED_PROTOCOL = 1,
    DIAG_CURLE_FAILED_INIT = 2,
    DIAG_CURLE_URL_MALFORMAT = 3,
    DIAG_CURLE_COULDNT_RESOLVE_HOST = 6,
    DIAG_CURLE_COULDNT_CONNECT = 7,
    DIAG_CURLE_WEIRD_SERVER_REPLY = 8,
    DIAG_CURLE_OUT_OF_MEMORY = 27,
    DIAG_CURLE_OPERATION_TIMEDOUT = 28,
    DIAG_CURLE_SSL_CONNECT_ERROR = 35,
    DIAG_CURLE_ABORTED_BY_CALLBACK = 42,
    DIAG_CURLE_GOT_NOTHING = 52,
    DIAG_CURLE_SEND_ERROR = 55,
    DIAG_CURLE_RECV_ERROR = 56,
    DIAG_CURLE_SSL_CERTPROBLEM = 58,
    DIAG_CURLE_SSL_CIPHER = 59,
    DIAG_CURLE_PEER_FAILED_VERIFICATION = 60,
    DIAG_CURLE_USE_SSL_FAILED = 64,
    DIAG_CURLE_LOGIN_DENIED = 67,
    DIAG_CURLE_SSL_CACERT_BADFILE = 77,
};

/* Where the SMTP session was when it ended, in order. */
typedef enum diagnose_stage {
    DIAG_STAGE_RESOLVE = 0, /* looking up the server's name */
    DIAG_STAGE_CONNECT,     /* TCP connection */
    DIAG_STAGE_TLS,         /* TLS handshake (implicit TLS, or after STARTTLS) */
    DIAG_STAGE_GREETING,    /* connected, waiting for the server's 220 */
    DIAG_STAGE_EHLO,
    DIAG_STAGE_STARTTLS,
    DIAG_STAGE_AUTH,
    DIAG_STAGE_MAIL,
    DIAG_STAGE_RCPT,
    DIAG_STAGE_DATA,
    DIAG_STAGE_QUIT,
    DIAG_STAGE_COUNT
} diagnose_stage;

/* "resolve", "connect", "tls", "greeting", "ehlo", ... (the JSON report's
 * words); "?" when out of range. */
const char *diagnose_stage_name(diagnose_stage s);

typedef struct diagnose_input {
    int curl_code;         /* CURLcode */
    const char *curl_text; /* libcurl's error buffer; may be NULL */
    long reply;            /* the last SMTP reply code; 0 when none */
    diagnose_stage stage;  /* the stage in progress when it ended */
    bool auth_offered;     /* the last EHLO listed AUTH */
    bool starttls_offered; /* the last EHLO listed STARTTLS */
    const char *auth_mechanisms; /* as the last EHLO listed them; may be NULL */
    int security;          /* ms_security of the attempt */
    const char *host;      /* for the sentence: "host:port" */
    unsigned port;
} diagnose_input;

/* Sets err (may be NULL) to the code for in with the detail its sentence
 * expects ("host:port", "SMTP 535", libcurl's words) and returns the code.
 * MS_OK (err cleared) when curl_code is 0; never MS_OK otherwise. */
MS_NODISCARD ms_code diagnose_send(const diagnose_input *in, ms_error *err);

/* The OP25B measurement: the libcurl result of a connection to port 25 of
 * the same server, given that the send through the submission port
 * succeeded. MS_INFO_OP25B_BLOCKED when port 25 could not be reached
 * (refused, filtered, timed out), MS_INFO_PORT25_OPEN when it answered,
 * MS_OK when the result says nothing (e.g. the name did not resolve).
 * err (may be NULL) gets "host" as detail. */
MS_NODISCARD ms_code diagnose_port25(int curl_code_port25, const char *host, ms_error *err);

/* The next step for a test-send code (S-codes and the E-codes a send can
 * end with), in lang; "" when the code has none. Static string. */
const char *diagnose_next_step(ms_code code, ms_lang lang);

#endif
