/* verb_test_send: `test-send` - the account from the scan (--account ID) or
 * given outright (--server ...), the password from standard input or a
 * file (never the command line), smtp_send_run, the sentence and next step
 * on the console, the JSON report. docs/test-send.md. */
#include <windows.h>

#include <stddef.h>
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

/* The verb's options; req collects what goes to the send as it is read. */
struct ts_args {
    smtp_send_req req;
    const char **resolve; /* argc entries, owned */
    const char *account, *pw_file, *json;
    const char *server, *user, *from, *pop3_server, *pop3_user;
    bool pw_stdin, pop3, have_security, have_pop3_sec;
    long port, pop3_port;
    ms_security security, pop3_security;
};

/* An option without a value: whether a is one. */
static bool flag_arg(struct ts_args *t, const char *a)
{
    if (strcmp(a, "--password-stdin") == 0)
        t->pw_stdin = true;
    else if (strcmp(a, "--pop3") == 0)
        t->pop3 = true;
    else if (strcmp(a, "--check") == 0)
        t->req.check_only = true;
    else if (strcmp(a, "--no-port25") == 0)
        t->req.port25 = 0;
    else
        return false;
    return true;
}

/* A string option: whether a is one (val taken). */
static bool string_arg(struct ts_args *t, const char *a, const char *val)
{
    static const struct {
        const char *name;
        size_t off;
    } strs[] = {
        {"--account", offsetof(struct ts_args, account)},
        {"--password-file", offsetof(struct ts_args, pw_file)},
        {"--json", offsetof(struct ts_args, json)},
        {"--server", offsetof(struct ts_args, server)},
        {"--user", offsetof(struct ts_args, user)},
        {"--from", offsetof(struct ts_args, from)},
        {"--pop3-server", offsetof(struct ts_args, pop3_server)},
        {"--pop3-user", offsetof(struct ts_args, pop3_user)},
    };
    for (size_t k = 0; k < sizeof strs / sizeof strs[0]; k++)
        if (strcmp(a, strs[k].name) == 0) {
            *(const char **)((char *)t + strs[k].off) = val;
            return true;
        }
#ifdef MS_TEST_HOOKS
    if (strcmp(a, "--ca-file") == 0) {
        t->req.ca_file = val;
        return true;
    }
    if (strcmp(a, "--resolve") == 0) {
        t->resolve[t->req.n_resolve++] = val;
        return true;
    }
#endif
    return false;
}

/* A number or a security: whether a is one with a valid val. */
static bool value_arg(struct ts_args *t, const char *a, const char *val)
{
    long v;
    smtp_send_req *q = &t->req;
    if (strcmp(a, "--port") == 0)
        return parse_num(val, 1, 65535, &t->port);
    if (strcmp(a, "--pop3-port") == 0)
        return parse_num(val, 1, 65535, &t->pop3_port);
    if (strcmp(a, "--security") == 0)
        return (t->have_security = parse_security(val, &t->security));
    if (strcmp(a, "--pop3-security") == 0)
        return (t->have_pop3_sec = parse_security(val, &t->pop3_security));
    if (strcmp(a, "--port25") == 0 && parse_num(val, 1, 65535, &v))
        q->port25 = (unsigned)v;
    else if (strcmp(a, "--timeout") == 0 && parse_num(val, 1, 3600, &v))
        q->timeout_s = v;
    else if (strcmp(a, "--connect-timeout") == 0 && parse_num(val, 1, 3600, &v))
        q->connect_timeout_s = v;
    else if (strcmp(a, "--reply-timeout") == 0 && parse_num(val, 1, 3600, &v))
        q->reply_timeout_s = v;
    else if (strcmp(a, "--pop3-wait") == 0 && parse_num(val, 1, 3600, &v))
        q->pop3_wait_s = v;
    else
        return false;
    return true;
}

/* argv into t; MS_EXIT_OK or the usage error (printed). */
static int parse_ts_args(ms_cli *cli, int argc, char **argv, struct ts_args *t)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (flag_arg(t, a))
            continue;
        if (strcmp(a, "--password") == 0) /* never on a command line: others can read it */
            return usage(cli, "--password: use --password-stdin or --password-file");
        if (!val || !(string_arg(t, a, val) || value_arg(t, a, val)))
            return usage(cli, a);
        i++;
    }
    if (t->pw_stdin == (t->pw_file != NULL))
        return usage(cli, "--password-stdin | --password-file");
    if ((t->account != NULL) == (t->server != NULL))
        return usage(cli, "--account | --server");
    if (t->req.check_only && t->pop3)
        return usage(cli, "--check | --pop3");
    if (t->server && (!t->port || !t->from || !t->have_security))
        return usage(cli, "--server needs --port, --security and --from");
    return MS_EXIT_OK;
}

/* The request's server, user and POP3 settings: the account's (from the
 * scan, copies in acc) or the options'. */
static int build_request(ms_cli *cli, struct ts_args *t, ms_account *acc)
{
    smtp_send_req *q = &t->req;
    if (t->account) {
        bool pop3_allowed = true;
        int rc = account_from_scan(cli, t->account, q, acc, &pop3_allowed, q->check_only);
        if (rc != MS_EXIT_OK)
            return rc;
        if (t->pop3 && !pop3_allowed)
            return usage(cli, "--pop3: the ISP profile does not allow the POP3 round trip");
    } else {
        q->host = t->server;
        q->port = (unsigned)t->port;
        q->security = t->security;
        q->user = t->user;
        q->from = t->from;
    }
    if (t->pop3_server) {
        q->pop3_host = t->pop3_server;
        q->pop3_port = t->pop3_port ? (unsigned)t->pop3_port : 110;
        q->pop3_security = t->pop3_security;
        q->pop3_user = t->pop3_user ? t->pop3_user : q->user;
    } else if (t->have_pop3_sec && q->pop3_host) {
        q->pop3_security = t->pop3_security;
    }
    if (!t->pop3)
        q->pop3_host = NULL;
    else if (!q->pop3_host)
        return usage(cli, "--pop3 needs --pop3-server (or an account with a POP3 server)");
    return MS_EXIT_OK;
}

/* The password from standard input or the file into pw (a secret buffer). */
static int read_password(ms_cli *cli, const struct ts_args *t, strbuf *pw)
{
    ms_error err;
    ms_code prc = t->pw_stdin ? read_password_stdin(pw, &err)
                              : ms_file_read(t->pw_file, MAX_PASSWORD, pw, &err);
    strip_line_end(pw);
    if (prc == MS_OK && pw->len == 0 && t->req.user && *t->req.user)
        prc = ms_fail(&err, MS_ERR_SEND_NO_PASSWORD, "%s",
                      t->pw_stdin ? "--password-stdin" : t->pw_file);
    if (prc == MS_OK && !pw->oom)
        return MS_EXIT_OK;
    ms_print_error(cli, &err);
    return prc == MS_ERR_USAGE ? MS_EXIT_USAGE : MS_EXIT_FAILURE;
}

/* --json FILE|-: the report; MS_EXIT_OK or MS_EXIT_FAILURE (said). */
static int write_report(ms_cli *cli, const char *json, const smtp_send_req *req,
                        const smtp_send_result *res)
{
    ms_error err;
    strbuf out;
    strbuf_init(&out);
    smtp_send_report_json(req, res, cli->lang, &out);
    ms_code wrc = out.oom || out.len == 0 ? ms_fail(&err, MS_ERR_NOMEM, NULL) : MS_OK;
    if (wrc == MS_OK) {
        if (strcmp(json, "-") == 0)
            ms_out("%s", out.buf);
        else
            wrc = ms_file_write_atomic(json, out.buf, out.len, &err);
    }
    if (wrc != MS_OK)
        ms_print_error(cli, &err);
    strbuf_free(&out);
    return wrc == MS_OK ? MS_EXIT_OK : MS_EXIT_FAILURE;
}

static int run_test_send(ms_cli *cli, int argc, char **argv)
{
    struct ts_args t;
    memset(&t, 0, sizeof t);
    t.req.port25 = 25;
    t.security = MS_SEC_STARTTLS;
    t.pop3_security = MS_SEC_NONE;
    t.resolve = calloc((size_t)argc, sizeof *t.resolve);
    if (!t.resolve)
        return MS_EXIT_FAILURE;
    t.req.resolve = t.resolve;
    ms_account acc;
    memset(&acc, 0, sizeof acc);
    strbuf pw;
    strbuf_init_secret(&pw); /* grown byte by byte: no copy left behind */
    smtp_send_result res;
    smtp_send_result_init(&res);
    int rc = parse_ts_args(cli, argc, argv, &t);
    if (rc == MS_EXIT_OK)
        rc = build_request(cli, &t, &acc);
    if (rc == MS_EXIT_OK)
        rc = read_password(cli, &t, &pw);
    if (rc != MS_EXIT_OK)
        goto out;
    /* libcurl with an allocator that wipes what it frees (the password). */
    if (!smtp_send_global_init()) {
        ms_error err;
        ms_fail(&err, MS_ERR_NOMEM, "curl_global_init");
        ms_print_error(cli, &err);
        rc = MS_EXIT_FAILURE;
        goto out;
    }
    t.req.password = pw.buf;
    smtp_send_run(&t.req, &res, NULL);
    strbuf_wipe(&pw); /* the password's last copy in this process */
    t.req.password = NULL;
    print_result(cli, &t.req, &res);
    rc = res.sent ? MS_EXIT_OK : MS_EXIT_SEND_FAILED;
    if (res.sent && res.pop3_checked && !(res.received && res.removed))
        rc = MS_EXIT_FAILURE;
    if (t.json && write_report(cli, t.json, &t.req, &res) != MS_EXIT_OK)
        rc = MS_EXIT_FAILURE;
#ifdef MS_TEST_HOOKS
    pause_before_exit();
#endif
out:
    strbuf_wipe(&pw);
    smtp_send_result_free(&res);
    account_free(&acc);
    free(t.resolve);
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
