/* verb_test_send: `test-send` - the account from the scan (--account ID) or
 * given outright (--server ...), the password from standard input or a
 * file (never the command line), smtp_send_run, the sentence and next step
 * on the console, the JSON report. docs/test-send.md. */
#include <windows.h>

#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "env_win32.h"
#include "platform.h"
#include "profile_res.h"
#include "smtp_send.h"
#include "tlsup_net.h"
#include "verb_test_send.h"

/* --resolve and --ca-file redirect the send and trust another CA: the
 * test-hook build only (cmake/test_hooks.cmake). */
#ifdef MS_TEST_HOOKS
#define USAGE_TEST_HOOKS "[--resolve HOST:PORT:ADDR]... [--ca-file PEM] "
#else
#define USAGE_TEST_HOOKS ""
#endif
#define USAGE                                                                                      \
    "test-send [--profile FILE] (--account ID | --server HOST --port N "                           \
    "--security none|starttls|tls --user USER --from ADDRESS) "                                    \
    "(--password-stdin | --password-file FILE) " USAGE_TEST_HOOKS                                  \
    "[--timeout S] [--connect-timeout S] [--reply-timeout S] [--port25 N | --no-port25] "          \
    "[--pop3 [--pop3-server HOST --pop3-port N --pop3-security none|starttls|tls "                 \
    "--pop3-user USER] [--pop3-wait S]] [--json FILE|-]"

#define MAX_PASSWORD 1024

static int usage(const ms_cli *cli, const char *what)
{
    ms_error err;
    ms_fail(&err, MS_ERR_USAGE, "%s (%s)", what, USAGE);
    ms_print_error(cli, &err);
    return MS_EXIT_USAGE;
}

static bool parse_security(const char *s, ms_security *out)
{
    if (strcmp(s, "none") == 0)
        *out = MS_SEC_NONE;
    else if (strcmp(s, "starttls") == 0)
        *out = MS_SEC_STARTTLS;
    else if (strcmp(s, "tls") == 0 || strcmp(s, "ssl") == 0)
        *out = MS_SEC_SSL;
    else
        return false;
    return true;
}

static bool parse_num(const char *s, long lo, long hi, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

#ifdef MS_TEST_HOOKS
/* Test-hook build only: with MAILSETUP_TEST_PAUSE_FILE set, the test send
 * writes that file when it is done and waits (at most 2 minutes) until the
 * test deletes it, so that tests/wine/test_send_memory.py can read the
 * process's memory from Linux just before exit. */
static void pause_before_exit(void)
{
    strbuf f;
    strbuf_init(&f);
    ms_error ignored;
    if (ms_getenv("MAILSETUP_TEST_PAUSE_FILE", &f, &ignored) == MS_OK && f.len &&
        ms_file_write_atomic(f.buf, "paused\n", 7, &ignored) == MS_OK)
        for (int i = 0; i < 1200 && ms_path_kind(f.buf) != MS_PATH_NONE; i++)
            Sleep(100);
    strbuf_free(&f);
}
#endif

/* The first line of standard input (CR/LF stripped) into pw. */
static ms_code read_password_stdin(strbuf *pw, ms_error *err)
{
    HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
    if (in == NULL || in == INVALID_HANDLE_VALUE)
        return ms_fail(err, MS_ERR_SEND_NO_PASSWORD, "--password-stdin");
    char c;
    DWORD got;
    while (pw->len < MAX_PASSWORD && ReadFile(in, &c, 1, &got, NULL) && got == 1) {
        if (c == '\n')
            break;
        strbuf_addch(pw, c);
    }
    SecureZeroMemory(&c, sizeof c);
    return MS_OK;
}

static void strip_line_end(strbuf *pw)
{
    char *nl = memchr(pw->buf, '\n', pw->len);
    if (nl) {
        ms_wipe(nl, pw->len - (size_t)(nl - pw->buf));
        pw->len = (size_t)(nl - pw->buf);
    }
    while (pw->len && pw->buf[pw->len - 1] == '\r')
        pw->buf[--pw->len] = '\0';
}

/* --account ID: the account's settings as the scan reads them now (after
 * an apply: exactly what was written). Fills the request's strings from
 * copies in *keep (freed by the caller with account_free). */
static int account_from_scan(const ms_cli *cli, const char *id, smtp_send_req *req,
                             ms_account *keep, bool *pop3_allowed, bool planned)
{
    ms_error err;
    profile *prof = NULL;
    int rc = profile_res_load(cli, &prof);
    if (rc != MS_EXIT_OK)
        return rc;
    ms_env_win32 env;
    if (env_win32_open(&env, &err) != MS_OK) {
        ms_print_error(cli, &err);
        profile_free(prof);
        return MS_EXIT_FAILURE;
    }
    ms_scan *scan = NULL;
    rc = MS_EXIT_OK;
    if (engine_scan(&env.env, prof, env_win32_running, NULL, &scan, &err) != MS_OK) {
        ms_print_error(cli, &err);
        rc = MS_EXIT_FAILURE;
    } else {
        const ms_account *a = NULL;
        const plan_item *item = NULL;
        /* --check: the settings after apply, tls_upgrade's verdict included. */
        if (planned && tlsup_net_plan(scan->plan, prof, NULL, &err) != MS_OK)
            ms_print_error(cli, &err);
        for (size_t i = 0; i < scan->plan->count; i++)
            if (scan->plan->items[i].account->id &&
                strcmp(scan->plan->items[i].account->id, id) == 0) {
                item = &scan->plan->items[i];
                a = item->account;
            }
        if (!a) {
            ms_fail(&err, MS_ERR_USAGE, "--account %s (mailsetup scan)", id);
            ms_print_error(cli, &err);
            rc = MS_EXIT_USAGE;
        } else if (a->summary_only) {
            /* Another provider's account: the scan read only its names,
             * and its server is not this provider's to test. */
            ms_fail(&err, MS_ERR_USAGE, "--account %s (%s)", id,
                    cli->lang == MS_LANG_JA ? "このプロバイダーのアカウントではありません"
                                            : "not this provider's account");
            ms_print_error(cli, &err);
            rc = MS_EXIT_USAGE;
        } else if (a->read_error.code != MS_OK) {
            ms_print_error(cli, &a->read_error);
            rc = MS_EXIT_FAILURE;
        } else if (planned && (item->status == PLAN_CHANGE || item->status == PLAN_ADD_ACCOUNT)
                       /* --check: the settings the account will have after apply */
                       ? plan_expected_account(a, item->changes, item->n_changes, keep, &err) !=
                             MS_OK
                       : account_copy(keep, a) != MS_OK && ms_fail(&err, MS_ERR_NOMEM, NULL)) {
            ms_print_error(cli, &err);
            rc = MS_EXIT_FAILURE;
        } else {
            req->host = keep->smtp_host;
            req->port = keep->smtp_port ? keep->smtp_port : 25;
            req->security = keep->smtp_security;
            req->from = keep->email;
            req->user = keep->smtp_auth == MS_AUTH_OWN || keep->smtp_auth == MS_AUTH_SPA
                            ? keep->smtp_user
                        : keep->smtp_auth == MS_AUTH_SAME_AS_INCOMING ? keep->incoming_user
                                                                      : NULL;
            if (keep->incoming_proto == MS_IN_POP3 && keep->incoming_host) {
                req->pop3_host = keep->incoming_host;
                req->pop3_port = keep->incoming_port                       ? keep->incoming_port
                                 : keep->incoming_security == MS_SEC_SSL ? 995
                                                                         : 110;
                req->pop3_security = keep->incoming_security;
                req->pop3_user = keep->incoming_user;
            }
            *pop3_allowed = prof->test_send.allow_pop3_roundtrip;
        }
    }
    engine_scan_free(scan);
    env_win32_close(&env);
    profile_free(prof);
    return rc;
}

static void print_result(const ms_cli *cli, const smtp_send_req *req, const smtp_send_result *r)
{
    bool ja = cli->lang == MS_LANG_JA;
    char buf[1024];
    if (req->check_only && r->sent) {
        ms_out("%s %s:%u\n",
               ja ? "接続の確認: 成功 (ログオンできました。メールは送っていません)"
                  : "check: ok (logged on; no message sent)",
               req->host, req->port);
    } else if (req->check_only) {
        ms_out("%s\n", ja ? "接続の確認: 失敗 (設定はまだ何も変えていません)"
                          : "check: failed (nothing has been changed)");
    }
    if (req->check_only) {
    } else if (r->sent) {
        ms_out("%s %s:%u (%s)\n", ja ? "送信: 成功" : "sent: yes", req->host, req->port,
               r->message_id);
    }
    if (!r->sent) {
        if (!req->check_only)
            ms_out("%s\n", ja ? "送信: 失敗" : "sent: no");
        ms_errout("mailsetup: [%s] %s\n", ms_code_helpdesk(r->err.code),
                  ms_error_format(&r->err, cli->lang, buf, sizeof buf));
        const char *step = diagnose_next_step(r->err.code, cli->lang);
        if (*step)
            ms_errout("%s %s\n", ja ? "次の手順:" : "next step:", step);
        ms_errout("%s %s\n", ja ? "段階:" : "stage:", diagnose_stage_name(r->stage));
    }
    if (r->port25_checked && r->port25_code != MS_OK)
        ms_out("OP25B: [%s] %s\n", ms_code_helpdesk(r->port25_err.code),
               ms_error_format(&r->port25_err, cli->lang, buf, sizeof buf));
    if (r->pop3_checked) {
        ms_out("%s %s\n", ja ? "受信:" : "received:",
               r->received ? (ja ? "確認しました" : "yes") : (ja ? "確認できません" : "no"));
        if (r->received)
            ms_out("%s %s\n", ja ? "削除:" : "removed:",
                   r->removed ? (ja ? "はい" : "yes") : (ja ? "いいえ" : "no"));
        if (r->pop3_code != MS_OK)
            ms_errout("mailsetup: [%s] %s\n", ms_code_helpdesk(r->pop3_err.code),
                      ms_error_format(&r->pop3_err, cli->lang, buf, sizeof buf));
    }
}

static int run_test_send(ms_cli *cli, int argc, char **argv)
{
    smtp_send_req req;
    memset(&req, 0, sizeof req);
    req.port25 = 25;
    const char *account = NULL, *pw_file = NULL, *json = NULL;
    const char *server = NULL, *user = NULL, *from = NULL, *pop3_server = NULL, *pop3_user = NULL;
    bool pw_stdin = false, pop3 = false, have_security = false, have_pop3_sec = false;
    long port = 0, pop3_port = 0, v;
    ms_security security = MS_SEC_STARTTLS, pop3_security = MS_SEC_NONE;
    const char **resolve = calloc((size_t)argc, sizeof *resolve);
    if (!resolve)
        return MS_EXIT_FAILURE;

    int rc = MS_EXIT_OK;
    for (int i = 1; i < argc && rc == MS_EXIT_OK; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes = true;
        if (strcmp(a, "--password-stdin") == 0) {
            pw_stdin = true;
            takes = false;
        } else if (strcmp(a, "--pop3") == 0) {
            pop3 = true;
            takes = false;
        } else if (strcmp(a, "--check") == 0) {
            req.check_only = true;
            takes = false;
        } else if (strcmp(a, "--no-port25") == 0) {
            req.port25 = 0;
            takes = false;
        } else if (strcmp(a, "--password") == 0) {
            /* Never on a command line: other users can read it there. */
            rc = usage(cli, "--password: use --password-stdin or --password-file");
            break;
        } else if (!val) {
            rc = usage(cli, a);
            break;
        } else if (strcmp(a, "--account") == 0) {
            account = val;
        } else if (strcmp(a, "--password-file") == 0) {
            pw_file = val;
        } else if (strcmp(a, "--json") == 0) {
            json = val;
        } else if (strcmp(a, "--server") == 0) {
            server = val;
        } else if (strcmp(a, "--user") == 0) {
            user = val;
        } else if (strcmp(a, "--from") == 0) {
            from = val;
#ifdef MS_TEST_HOOKS
        } else if (strcmp(a, "--ca-file") == 0) {
            req.ca_file = val;
        } else if (strcmp(a, "--resolve") == 0) {
            resolve[req.n_resolve++] = val;
#endif
        } else if (strcmp(a, "--pop3-server") == 0) {
            pop3_server = val;
        } else if (strcmp(a, "--pop3-user") == 0) {
            pop3_user = val;
        } else if (strcmp(a, "--port") == 0 && parse_num(val, 1, 65535, &port)) {
        } else if (strcmp(a, "--pop3-port") == 0 && parse_num(val, 1, 65535, &pop3_port)) {
        } else if (strcmp(a, "--port25") == 0 && parse_num(val, 1, 65535, &v)) {
            req.port25 = (unsigned)v;
        } else if (strcmp(a, "--security") == 0 && parse_security(val, &security)) {
            have_security = true;
        } else if (strcmp(a, "--pop3-security") == 0 && parse_security(val, &pop3_security)) {
            have_pop3_sec = true;
        } else if (strcmp(a, "--timeout") == 0 && parse_num(val, 1, 3600, &v)) {
            req.timeout_s = v;
        } else if (strcmp(a, "--connect-timeout") == 0 && parse_num(val, 1, 3600, &v)) {
            req.connect_timeout_s = v;
        } else if (strcmp(a, "--reply-timeout") == 0 && parse_num(val, 1, 3600, &v)) {
            req.reply_timeout_s = v;
        } else if (strcmp(a, "--pop3-wait") == 0 && parse_num(val, 1, 3600, &v)) {
            req.pop3_wait_s = v;
        } else {
            rc = usage(cli, a);
            break;
        }
        if (takes)
            i++;
    }
    req.resolve = resolve;
    if (rc == MS_EXIT_OK && pw_stdin == (pw_file != NULL))
        rc = usage(cli, "--password-stdin | --password-file");
    if (rc == MS_EXIT_OK && (account != NULL) == (server != NULL))
        rc = usage(cli, "--account | --server");
    if (rc == MS_EXIT_OK && req.check_only && pop3)
        rc = usage(cli, "--check | --pop3");
    if (rc == MS_EXIT_OK && server && (!port || !from || !have_security))
        rc = usage(cli, "--server needs --port, --security and --from");
    if (rc != MS_EXIT_OK) {
        free(resolve);
        return rc;
    }

    ms_account acc;
    memset(&acc, 0, sizeof acc);
    bool pop3_allowed = true;
    if (account) {
        rc = account_from_scan(cli, account, &req, &acc, &pop3_allowed, req.check_only);
        if (rc != MS_EXIT_OK) {
            account_free(&acc);
            free(resolve);
            return rc;
        }
        if (!pop3)
            req.pop3_host = NULL;
        else if (!pop3_allowed) {
            account_free(&acc);
            free(resolve);
            return usage(cli, "--pop3: the ISP profile does not allow the POP3 round trip");
        }
    } else {
        req.host = server;
        req.port = (unsigned)port;
        req.security = security;
        req.user = user;
        req.from = from;
    }
    if (pop3_server) {
        req.pop3_host = pop3_server;
        req.pop3_port = pop3_port ? (unsigned)pop3_port : 110;
        req.pop3_security = pop3_security;
        req.pop3_user = pop3_user ? pop3_user : req.user;
    } else if (have_pop3_sec && req.pop3_host) {
        req.pop3_security = pop3_security;
    }
    if (pop3 && !req.pop3_host) {
        account_free(&acc);
        free(resolve);
        return usage(cli, "--pop3 needs --pop3-server (or an account with a POP3 server)");
    }
    if (!pop3)
        req.pop3_host = NULL;

    ms_error err;
    strbuf pw;
    strbuf_init_secret(&pw); /* grown byte by byte: no copy left behind */
    ms_code prc =
        pw_stdin ? read_password_stdin(&pw, &err) : ms_file_read(pw_file, MAX_PASSWORD, &pw, &err);
    strip_line_end(&pw);
    if (prc == MS_OK && pw.len == 0 && req.user && *req.user)
        prc = ms_fail(&err, MS_ERR_SEND_NO_PASSWORD, "%s", pw_stdin ? "--password-stdin" : pw_file);
    if (prc != MS_OK || pw.oom) {
        strbuf_wipe(&pw);
        ms_print_error(cli, &err);
        account_free(&acc);
        free(resolve);
        return prc == MS_ERR_USAGE ? MS_EXIT_USAGE : MS_EXIT_FAILURE;
    }
    req.password = pw.buf;

    smtp_send_result res;
    smtp_send_result_init(&res);
    /* libcurl with an allocator that wipes what it frees (the password). */
    if (!smtp_send_global_init()) {
        strbuf_wipe(&pw);
        account_free(&acc);
        free(resolve);
        ms_fail(&err, MS_ERR_NOMEM, "curl_global_init");
        ms_print_error(cli, &err);
        return MS_EXIT_FAILURE;
    }
    smtp_send_run(&req, &res, NULL);
    strbuf_wipe(&pw); /* the password's last copy in this process */
    req.password = NULL;

    print_result(cli, &req, &res);
    rc = res.sent ? MS_EXIT_OK : MS_EXIT_SEND_FAILED;
    if (res.sent && res.pop3_checked && !(res.received && res.removed))
        rc = MS_EXIT_FAILURE;
    if (json) {
        strbuf out;
        strbuf_init(&out);
        smtp_send_report_json(&req, &res, cli->lang, &out);
        ms_code wrc = out.oom || out.len == 0 ? ms_fail(&err, MS_ERR_NOMEM, NULL) : MS_OK;
        if (wrc == MS_OK) {
            if (strcmp(json, "-") == 0)
                ms_out("%s", out.buf);
            else
                wrc = ms_file_write_atomic(json, out.buf, out.len, &err);
        }
        if (wrc != MS_OK) {
            ms_print_error(cli, &err);
            rc = MS_EXIT_FAILURE;
        }
        strbuf_free(&out);
    }
    smtp_send_result_free(&res);
    account_free(&acc);
    free(resolve);
#ifdef MS_TEST_HOOKS
    pause_before_exit();
#endif
    return rc;
}

/* The test-hook build's options in the help, as in the usage line above. */
#ifdef MS_TEST_HOOKS
#define HELP_TEST_HOOKS_JA                                                                               \
    "  --resolve HOST:PORT:ADDR  この名前をこのアドレスにつなぎます (curl と同じ)\n" \
    "  --ca-file PEM             信頼するルート証明書を追加します (テスト用)\n"
#define HELP_TEST_HOOKS_EN                                                                         \
    "  --resolve HOST:PORT:ADDR  connect to ADDR for HOST:PORT (as curl's)\n"                      \
    "  --ca-file PEM             trust these extra root certificates (tests)\n"
#else
#define HELP_TEST_HOOKS_JA ""
#define HELP_TEST_HOOKS_EN ""
#endif

const ms_cli_verb verb_test_send = {
    "test-send",
    "test-send --account ID ...",
    "アカウントの設定でテストメールを送信し、失敗の理由を診断します\n"
    "  --account ID              scan が表示したこの ID のアカウントの設定で送ります\n"
    "  --server HOST --port N --security none|starttls|tls --user USER --from ADDRESS\n"
    "                            --account の代わりに、設定をすべて指定します\n"
    "  --password-stdin          パスワードを標準入力の 1 行目から読みます\n"
    "  --password-file FILE      パスワードをこのファイルから読みます\n" HELP_TEST_HOOKS_JA
    "  --timeout S               送信全体の制限時間 (秒、既定 90)\n"
    "  --connect-timeout S       接続までの制限時間 (秒、既定 20)\n"
    "  --reply-timeout S         サーバーの各応答の制限時間 (秒、既定 30)\n"
    "  --port25 N                OP25B を調べるポート (既定 25)\n"
    "  --no-port25               OP25B を調べません\n"
    "  --pop3                    送ったメールを POP3 で受信し、削除します\n"
    "  --pop3-server HOST --pop3-port N --pop3-security none|starttls|tls --pop3-user USER\n"
    "                            --server と一緒に使う受信サーバーの設定\n"
    "  --pop3-wait S             受信を待つ時間 (秒、既定 60)\n"
    "  --check                   送らずに確認だけ: 変更後の設定 (--account では apply が書く設定)\n"
    "                            で接続し、認証 (SMTP AUTH) でログオンします。何も変更しません\n"
    "  --json FILE|-             結果を JSON で書きます (- は標準出力に、JSON だけを)\n",
    "send a test message with an account's settings and diagnose failures\n"
    "  --account ID              send with the settings of this account (scan lists the ids)\n"
    "  --server HOST --port N --security none|starttls|tls --user USER --from ADDRESS\n"
    "                            all the settings instead of --account\n"
    "  --password-stdin          read the password from the first line of standard input\n"
    "  --password-file FILE      read the password from this file\n" HELP_TEST_HOOKS_EN
    "  --timeout S               limit for the whole send (seconds, default 90)\n"
    "  --connect-timeout S       limit up to the connection (seconds, default 20)\n"
    "  --reply-timeout S         limit for each server reply (seconds, default 30)\n"
    "  --port25 N                the port for the OP25B check (default 25)\n"
    "  --no-port25               skip the OP25B check\n"
    "  --pop3                    receive the message by POP3 and remove it\n"
    "  --pop3-server HOST --pop3-port N --pop3-security none|starttls|tls --pop3-user USER\n"
    "                            the incoming server with --server\n"
    "  --pop3-wait S             how long to wait for the message (seconds, default 60)\n"
    "  --check                   the pre-flight check: connect with the settings the account will\n"
    "                            have after apply (with --account), log on (SMTP AUTH), send\n"
    "                            nothing; nothing is changed\n"
    "  --json FILE|-             write the report as JSON (-: to standard output, alone)\n",
    run_test_send,
};
