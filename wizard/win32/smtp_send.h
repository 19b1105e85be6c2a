/* smtp_send: the test send of one account with libcurl - SMTP over
 * none / STARTTLS / implicit TLS, certificates always verified (Schannel),
 * AUTH with what the server offers, per-stage and overall timeouts,
 * cancellable - then optionally the OP25B check (is port 25 of the same
 * server reachable?) and the POP3 round trip. A plain C function so the GUI
 * can run it on a worker thread. The password is borrowed: it goes to
 * libcurl and is never printed, logged or stored by this module; the
 * caller wipes its copy (libcurl's copies are freed by curl_easy_cleanup,
 * after this module has overwritten the options). */
#ifndef MS_SMTP_SEND_H
#define MS_SMTP_SEND_H

#include <stdbool.h>
#include <stddef.h>

#include "account.h"
#include "diagnose.h"
#include "error.h"
#include "strbuf.h"

typedef struct smtp_send_req {
    const char *host; /* UTF-8 host name or IPv4 address */
    unsigned port;
    ms_security security;
    const char *user;     /* SMTP AUTH user; NULL or "": no AUTH */
    const char *password; /* NUL-terminated; borrowed */
    const char *from;     /* the account's address: sender and only recipient */
    const char *const *resolve; /* "HOST:PORT:ADDR" entries, as curl's --resolve */
    size_t n_resolve;
    const char *ca_file; /* PEM of extra trusted roots (tests); NULL: Windows' stores */
    long connect_timeout_s; /* name lookup + TCP + TLS handshake; 0: 20 */
    long reply_timeout_s;   /* each SMTP reply (greeting, EHLO, AUTH, ...); 0: 30 */
    long timeout_s;         /* the whole send; 0: 90 */
    /* OP25B: after a successful send, try port25 (0: no check) of the same host. */
    unsigned port25;
    long port25_timeout_s; /* 0: 10 */
    /* POP3 round trip (pop3_host NULL: none): fetch the test message back,
     * delete only it. The password is the same; the user may differ. */
    const char *pop3_host;
    unsigned pop3_port;
    ms_security pop3_security;
    const char *pop3_user;
    long pop3_wait_s; /* how long to wait for the message; 0: 60 */
    const char *lang; /* unused by the send; kept for the report */
    /* The pre-flight check: connect with the same security, EHLO, see AUTH
     * offered (when there is a user), log on with the password, then NOOP
     * and QUIT - no message is sent, no OP25B check, no POP3. */
    bool check_only;
} smtp_send_req;

typedef struct smtp_send_result {
    /* ---- the send */
    bool sent;            /* the server accepted the message (check_only: the log-on worked) */
    ms_code code;         /* MS_OK or the S-code (diagnose_send) */
    ms_error err;         /* the code with its detail */
    diagnose_stage stage; /* the stage in progress when it ended */
    int curl_code;        /* CURLcode */
    long smtp_reply;      /* the last SMTP reply code, 0 if none */
    char smtp_reply_text[256];
    char curl_error[256]; /* libcurl's error buffer (never holds the password) */
    char auth_mechanisms[128];
    bool auth_offered, starttls_offered;
    char message_id[160];
    double seconds; /* how long the send took */
    strbuf log;     /* the redacted SMTP dialogue (smtplog) */
    /* ---- OP25B */
    bool port25_checked;
    int port25_curl_code;
    ms_code port25_code; /* MS_INFO_OP25B_BLOCKED, MS_INFO_PORT25_OPEN, MS_OK */
    ms_error port25_err;
    /* ---- POP3 round trip */
    bool pop3_checked;
    bool received; /* the message was found in the mailbox */
    bool removed;  /* it was deleted, and a new session no longer lists it */
    ms_code pop3_code;
    ms_error pop3_err;
    strbuf pop3_log; /* redacted POP3 dialogue */
} smtp_send_result;

/* curl_global_init with an allocator that overwrites every block libcurl
 * frees (its copies of the password included). Call before the first
 * libcurl call that needs it, instead of curl_global_init, while no other
 * thread uses libcurl; later calls do nothing (the wizard calls it on the
 * UI thread before its first check or send, not at start-up: it loads
 * Windows' security DLLs, off the path to the first window). */
bool smtp_send_global_init(void);
/* curl_global_cleanup when smtp_send_global_init succeeded. */
void smtp_send_global_cleanup(void);

void smtp_send_result_init(smtp_send_result *r);
void smtp_send_result_free(smtp_send_result *r);

/* Runs the test send. *cancel (may be NULL), set non-zero by another
 * thread, stops it within about a second (MS_ERR_SEND_CANCELLED). Returns
 * res->code; res is filled in either way (init it first). */
ms_code smtp_send_run(const smtp_send_req *req, smtp_send_result *res,
                      const volatile long *cancel);

/* Writes the JSON report of a run (no password, ever) to out. */
void smtp_send_report_json(const smtp_send_req *req, const smtp_send_result *res, ms_lang lang,
                           strbuf *out);

#endif
