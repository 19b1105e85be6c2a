/* wizard: the Wizard97 property sheet. One shared state (ms_wizard) reaches
 * every page through PROPSHEETPAGE.lParam; each page's dialog procedure
 * reacts to PSN_* notifications and shows what the core computed (scan,
 * plan, apply results, diagnosis). Scan, apply, test send and undo run on a
 * worker thread that posts WM_MS_DONE to a message-only window; the window
 * never waits on them. Texts and dialogs come from resources in the chosen
 * language (found with FindResourceEx, which works on XP, unlike
 * SetThreadUILanguage). */
#include "ui.h"

#include <commctrl.h>
#include <shellapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "be_byhand.h"
#include "diagnose.h"
#include "engine.h"
#include "env_win32.h"
#include "ms_version.h"
#include "platform.h"
#include "profile_res.h"
#include "resource.h"
#include "smtp_send.h"
#include "support.h"
#include "tlsup_net.h"
#include "utf.h"

/* Messages: worker -> message window -> current page. */
#define WM_MS_DONE (WM_APP + 1)     /* wParam: the job kind */
#define WM_MS_SENT_ONE (WM_APP + 2) /* wParam: plan index */
#define WM_MS_REFRESH (WM_APP + 3)  /* to the current page: show the state */
#define WM_MS_REPAINT (WM_APP + 4)  /* to the message window: repaint the sheet */
#define TIMER_SCAN 1                /* the message window's: start the scan */

/* Buttons of the property sheet (comctl32's ids). */
#define ID_PSBACK 0x3023
#define ID_PSNEXT 0x3024
#define ID_PSFINISH 0x3025

#define PW_MAX 256

typedef enum job_kind { JOB_NONE, JOB_SCAN, JOB_APPLY, JOB_SEND, JOB_UNDO, JOB_CHECK } job_kind;

typedef struct wtext {
    wchar_t *buf;
    size_t len, cap;
} wtext;

typedef struct ms_wizard {
    const ms_cli *cli;
    const ms_ui_options *opt;
    HINSTANCE inst;
    WORD langid;
    ms_lang lang;
    HWND sheet, msgwnd;
    HFONT title_font, code_font;
    profile *prof;
    ms_env_win32 env;
    bool env_ok, env_tried;
    ms_error env_err;

    /* the worker: one job at a time */
    HANDLE worker;
    job_kind job;

    /* scan */
    ms_scan *scan;
    ms_code scan_rc;
    ms_error scan_err;
    bool *selected;     /* per plan item */
    bool manual_needed; /* some program must be changed by hand */
    wtext programs_msg; /* the programs page's message, under a row's sentence */
    int manual_from;    /* the page that opened the manual page */

    /* passwords, per plan item: UTF-16 in memory only, wiped after the
     * test send; never written anywhere */
    wchar_t **pw;
    int pw_current; /* plan index shown in the password field, -1 none */

    /* the pre-flight check before the change, per plan item: the new
     * outgoing server with the typed password, nothing sent */
    bool checked;        /* done for the passwords as they are now */
    support_send *check; /* SUPPORT_SEND_OK / _FAILED / not checked */
    ms_error *check_err;

    /* apply */
    bool applied, cancel_pending, cancelled;
    strbuf backup_dir;
    engine_result *results;
    ms_code apply_rc;
    ms_error apply_err;

    /* test send */
    bool sent;
    support_send *send;
    ms_error *send_err;
    bool auth_failed;
    int sending_index;
    volatile long send_cancel; /* set by Cancel: smtp_send_run stops */

    /* undo */
    ms_code undo_rc;
    ms_error undo_err;
    bool undone;
    bool interrupted; /* the last apply did not finish: the undo pages first */
    bool finished;    /* left with Finish */

    /* texts the sheet keeps pointers to */
    wchar_t head_title[IDD_UNDO_DONE - IDD_WELCOME + 1][128];
    wchar_t head_sub[IDD_UNDO_DONE - IDD_WELCOME + 1][256];
} ms_wizard;

/* ------------------------------------------------------------ resources */

static WORD lang_id(ms_lang lang)
{
    return lang == MS_LANG_EN ? MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US)
                              : MAKELANGID(LANG_JAPANESE, SUBLANG_DEFAULT);
}

/* Loads string `id` in the wizard's language into buf (NUL-terminated). */
static const wchar_t *res_string(const ms_wizard *wz, UINT id, wchar_t *buf, size_t cch)
{
    buf[0] = L'\0';
    HRSRC r =
        FindResourceExW(wz->inst, (LPCWSTR)RT_STRING, MAKEINTRESOURCEW(id / 16 + 1), wz->langid);
    if (!r)
        return buf;
    const WCHAR *p = LockResource(LoadResource(wz->inst, r));
    if (!p)
        return buf;
    for (UINT i = 0; i < (id & 15); i++)
        p += 1 + *p;
    size_t n = *p;
    if (n >= cch)
        n = cch - 1;
    memcpy(buf, p + 1, n * sizeof *buf);
    buf[n] = L'\0';
    return buf;
}

static LPCDLGTEMPLATEW res_dialog(const ms_wizard *wz, UINT id)
{
    HRSRC r = FindResourceExW(wz->inst, (LPCWSTR)RT_DIALOG, MAKEINTRESOURCEW(id), wz->langid);
    return r ? LockResource(LoadResource(wz->inst, r)) : NULL;
}

/* A growable UTF-16 text for the pages' multi-line fields. */

static void wt_add(wtext *t, const wchar_t *s)
{
    size_t n = wcslen(s);
    if (t->len + n + 1 > t->cap) {
        size_t cap = (t->cap ? t->cap * 2 : 256) + n;
        wchar_t *b = realloc(t->buf, cap * sizeof *b);
        if (!b)
            return;
        t->buf = b;
        t->cap = cap;
    }
    memcpy(t->buf + t->len, s, (n + 1) * sizeof *s);
    t->len += n;
}

static void wt_add8(wtext *t, const char *utf8)
{
    wchar_t *w = utf8 ? ms_utf8_to_wide(utf8) : NULL;
    if (w) {
        wt_add(t, w);
        free(w);
    }
}

/* Appends the string resource `id` formatted with up to three arguments. */
static void wt_addf(wtext *t, const ms_wizard *wz, UINT id, ...)
{
    wchar_t fmt[1024], out[2048];
    res_string(wz, id, fmt, sizeof fmt / sizeof fmt[0]);
    va_list ap;
    va_start(ap, id);
    _vsnwprintf(out, sizeof out / sizeof out[0], fmt, ap);
    va_end(ap);
    out[sizeof out / sizeof out[0] - 1] = L'\0';
    wt_add(t, out);
}

static void wt_res(wtext *t, const ms_wizard *wz, UINT id)
{
    wchar_t buf[2048];
    wt_add(t, res_string(wz, id, buf, sizeof buf / sizeof buf[0]));
}

static void wt_set(HWND dlg, int ctl, wtext *t)
{
    SetDlgItemTextW(dlg, ctl, t->buf ? t->buf : L"");
    free(t->buf);
    t->buf = NULL;
    t->len = t->cap = 0;
}

static void set_res(HWND dlg, int ctl, const ms_wizard *wz, UINT ids)
{
    wchar_t buf[2048];
    SetDlgItemTextW(dlg, ctl, res_string(wz, ids, buf, sizeof buf / sizeof buf[0]));
}

/* The core's sentence for err, with its helpdesk code: "[S07] ...". */
static void wt_error(wtext *t, const ms_wizard *wz, const ms_error *err)
{
    char buf[1024];
    strbuf sb;
    strbuf_init(&sb);
    strbuf_addf(&sb, "[%s] %s", ms_code_helpdesk(err->code),
                ms_error_format(err, wz->lang, buf, sizeof buf));
    wt_add8(t, sb.buf);
    strbuf_free(&sb);
}

static const wchar_t *program_name(const ms_wizard *wz, ms_program p, wchar_t *buf, size_t cch)
{
    return res_string(wz, IDS_PROG_BASE + (UINT)p, buf, cch);
}

/* ------------------------------------------------------------ pages' frame */

enum { PAGE_COUNT_MAIN = 7 };

static int total_steps(const ms_wizard *wz)
{
    if (wz->opt->undo)
        return 2;
    return PAGE_COUNT_MAIN + (wz->manual_needed ? 1 : 0);
}

static int step_of(const ms_wizard *wz, int page)
{
    switch (page) {
    case IDD_WELCOME:
    case IDD_UNDO:
        return 1;
    case IDD_PROGRAMS:
    case IDD_UNDO_DONE:
        return 2;
    case IDD_PASSWORD:
        return 3;
    case IDD_CHANGES:
        return 4;
    case IDD_APPLY:
        return 5;
    case IDD_TEST:
        return 6;
    case IDD_MANUAL:
        /* Opened from the programs page it belongs to that step. */
        return wz->manual_from == IDD_PROGRAMS ? 2 : 7;
    default:
        return total_steps(wz);
    }
}

static void set_step(HWND dlg, const ms_wizard *wz, int page)
{
    wchar_t fmt[128], buf[160];
    res_string(wz, IDS_STEP_FMT, fmt, sizeof fmt / sizeof fmt[0]);
    _snwprintf(buf, sizeof buf / sizeof buf[0], fmt, step_of(wz, page), total_steps(wz));
    buf[sizeof buf / sizeof buf[0] - 1] = L'\0';
    SetDlgItemTextW(dlg, IDC_STEP, buf);
}

static void set_buttons(const ms_wizard *wz, DWORD flags)
{
    PostMessageW(wz->msgwnd, WM_MS_REPAINT, 0, 0);
    PropSheet_SetWizButtons(wz->sheet, flags);
}

static LRESULT page_result(HWND dlg, LONG_PTR r)
{
    SetWindowLongPtrW(dlg, DWLP_MSGRESULT, r);
    return TRUE;
}

/* Pages are made from in-memory templates (PSP_DLGINDIRECT, for the
 * language), so the sheet knows them by position, not by resource id:
 * jumps go by index. */
static void go_to(ms_wizard *wz, int page)
{
    int first = wz->opt->undo ? IDD_UNDO : IDD_WELCOME;
    PostMessageW(wz->sheet, PSM_SETCURSEL, (WPARAM)(page - first), 0);
}

/* From PSN_WIZNEXT / PSN_WIZBACK: go to `page` instead (0: the default). */
static LRESULT jump(HWND dlg, ms_wizard *wz, int page)
{
    if (!page)
        return page_result(dlg, 0);
    go_to(wz, page);
    return page_result(dlg, -1);
}

/* ------------------------------------------------------------ the worker */

static DWORD WINAPI worker_main(LPVOID arg);

static bool start_job(ms_wizard *wz, job_kind kind)
{
    if (wz->job != JOB_NONE)
        return false;
    /* libcurl is set up here, on the UI thread, before its first use:
     * not at start-up (it loads Windows' security DLLs). */
    if ((kind == JOB_CHECK || kind == JOB_SEND) && !smtp_send_global_init())
        return false;
    wz->job = kind;
    wz->worker = CreateThread(NULL, 0, worker_main, wz, 0, NULL);
    if (!wz->worker) {
        wz->job = JOB_NONE;
        return false;
    }
    return true;
}

static void free_scan(ms_wizard *wz)
{
    if (wz->scan) {
        for (size_t i = 0; wz->pw && i < wz->scan->plan->count; i++) {
            if (wz->pw[i]) {
                SecureZeroMemory(wz->pw[i], wcslen(wz->pw[i]) * sizeof(wchar_t));
                free(wz->pw[i]);
            }
        }
        engine_results_free(wz->results, wz->scan->plan->count);
        engine_scan_free(wz->scan);
    }
    free(wz->pw);
    free(wz->selected);
    free(wz->send);
    free(wz->send_err);
    free(wz->check);
    free(wz->check_err);
    wz->check = NULL;
    wz->check_err = NULL;
    wz->checked = false;
    wz->pw = NULL;
    wz->selected = NULL;
    wz->send = NULL;
    wz->send_err = NULL;
    wz->results = NULL;
    wz->scan = NULL;
}

/* The registry and the known folders, opened on first need (the scan's
 * worker, or the undo page): not before the first window. */
static bool ensure_env(ms_wizard *wz)
{
    if (!wz->env_ok && !wz->env_tried) {
        ms_error err;
        wz->env_tried = true;
        wz->env_ok = env_win32_open(&wz->env, &err) == MS_OK;
        if (!wz->env_ok)
            wz->env_err = err;
    }
    return wz->env_ok;
}

/* Whether the user may have a backup folder, without opening the registry
 * (ensure_env) on the way to the first window: most subscribers run the
 * wizard once and have none. Windows XP has no %LOCALAPPDATA%; there the
 * answer is "maybe" and the check is made properly. */
static bool may_have_backups(void)
{
    wchar_t p[MAX_PATH + 32];
    DWORD n = GetEnvironmentVariableW(L"LOCALAPPDATA", p, MAX_PATH);
    if (n == 0 || n >= MAX_PATH)
        return true;
    wcscat(p, L"\\mailsetup\\backup");
    return GetFileAttributesW(p) != INVALID_FILE_ATTRIBUTES;
}

static void job_scan(ms_wizard *wz)
{
    if (!ensure_env(wz)) {
        wz->scan_rc = wz->env_err.code;
        wz->scan_err = wz->env_err;
        wz->scan = NULL;
        return;
    }
    ms_scan *s = NULL;
    wz->scan_rc = engine_scan(&wz->env.env, wz->prof, env_win32_running, NULL, &s, &wz->scan_err);
    /* outgoing.tls_upgrade: decided before any page shows the plan. */
    if (wz->scan_rc == MS_OK)
        wz->scan_rc = tlsup_net_plan(s->plan, wz->prof, NULL, &wz->scan_err);
    if (wz->scan_rc != MS_OK)
        engine_scan_free(s);
    wz->scan = wz->scan_rc == MS_OK ? s : NULL;
}

static void job_apply(ms_wizard *wz)
{
    strbuf_reset(&wz->backup_dir);
    wz->apply_rc = env_win32_new_backup_dir(&wz->env, &wz->backup_dir, &wz->apply_err);
    if (wz->apply_rc == MS_OK)
        wz->apply_rc = engine_apply(&wz->env.env, wz->scan, wz->selected, env_win32_running, NULL,
                                    wz->backup_dir.buf, &wz->results, &wz->apply_err);
}

static void job_undo(ms_wizard *wz)
{
    if (!wz->backup_dir.len)
        wz->undo_rc = env_win32_last_backup_dir(&wz->env, &wz->backup_dir, &wz->undo_err);
    else
        wz->undo_rc = MS_OK;
    if (wz->undo_rc == MS_OK)
        wz->undo_rc = engine_undo(&wz->env.env, wz->backup_dir.buf, &wz->undo_err);
    if (wz->undo_rc == MS_OK) {
        /* The same marker the undo verb leaves, so the next --undo takes
         * an older backup. */
        strbuf marker;
        strbuf_init(&marker);
        strbuf_addf(&marker, "%s\\" ENV_UNDONE_MARKER, wz->backup_dir.buf);
        static const char note[] = "undone\r\n";
        wz->undo_rc = ms_file_write_atomic(marker.buf, note, sizeof note - 1, &wz->undo_err);
        strbuf_free(&marker);
    }
}

/* Should plan item i get a test message? Selected and changed, or already
 * right; not yet sent successfully. */
static bool wants_send(const ms_wizard *wz, size_t i)
{
    const plan_item *it = &wz->scan->plan->items[i];
    if (it->status == PLAN_NOT_ISP || it->status == PLAN_REPLACED)
        return false;
    if (!wz->selected[i])
        return false;
    if (wz->results &&
        (wz->results[i].outcome == ENGINE_ROLLED_BACK || wz->results[i].outcome == ENGINE_FAILED))
        return false;
    return wz->send[i] != SUPPORT_SEND_OK;
}

/* The test send of plan item i with its new settings; check: the
 * pre-flight instead (log on, send nothing). */
static ms_code send_one(ms_wizard *wz, size_t i, bool check, ms_error *err)
{
    const plan_item *it = &wz->scan->plan->items[i];
    ms_account acct = {0};
    ms_code rc = plan_expected_account(it->account, it->changes, it->n_changes, &acct, err);
    if (rc != MS_OK)
        return rc;
    const char *user = acct.smtp_auth == MS_AUTH_SAME_AS_INCOMING ? acct.incoming_user
                       : acct.smtp_auth == MS_AUTH_NONE           ? NULL
                                                                  : acct.smtp_user;
    char *password = wz->pw[i] ? ms_wide_to_utf8(wz->pw[i]) : NULL;
    strbuf resolve;
    strbuf_init(&resolve);
    if (user && !password) {
        rc = ms_fail(err, MS_ERR_SEND_NO_PASSWORD, "%s", acct.email ? acct.email : "");
    } else {
        smtp_send_req q = {0};
        q.host = acct.smtp_host;
        q.port = acct.smtp_port;
        q.security = acct.smtp_security;
        q.user = user;
        q.password = password;
        q.from = acct.email;
        q.check_only = check;
#ifdef MS_TEST_HOOKS
        q.ca_file = wz->opt->ca_file;
        const char *colon = wz->opt->test_server ? strrchr(wz->opt->test_server, ':') : NULL;
        const char *entry = NULL;
        if (colon) {
            /* The ISP's host name and certificate stay; only the address and
             * port the connection goes to change. */
            q.port = (unsigned)strtoul(colon + 1, NULL, 10);
            strbuf_addf(&resolve, "%s:%u:%.*s", acct.smtp_host ? acct.smtp_host : "", q.port,
                        (int)(colon - wz->opt->test_server), wz->opt->test_server);
            entry = resolve.buf;
            q.resolve = &entry;
            q.n_resolve = 1;
        }
#endif
        smtp_send_result res;
        smtp_send_result_init(&res);
        rc = smtp_send_run(&q, &res, &wz->send_cancel);
        if (rc != MS_OK)
            *err = res.err;
        smtp_send_result_free(&res);
    }
    if (password) {
        ms_wipe(password, strlen(password));
        free(password);
    }
    strbuf_free(&resolve);
    account_free(&acct);
    return rc;
}

static void job_send(ms_wizard *wz)
{
    for (size_t i = 0; i < wz->scan->plan->count; i++) {
        if (!wants_send(wz, i))
            continue;
        PostMessageW(wz->msgwnd, WM_MS_SENT_ONE, i, 1); /* 1: started */
        ms_error err;
        ms_error_clear(&err);
        ms_code rc = send_one(wz, i, false, &err);
        wz->send_err[i] = err;
        wz->send[i] = rc == MS_OK ? SUPPORT_SEND_OK : SUPPORT_SEND_FAILED;
        PostMessageW(wz->msgwnd, WM_MS_SENT_ONE, i, 0);
    }
}

/* Before the change: each account to be changed logs on to its new
 * outgoing server (port, security, AUTH) with the typed password. A
 * failure is shown with its diagnosis; the subscriber may still change. */
static void job_check(ms_wizard *wz)
{
    for (size_t i = 0; i < wz->scan->plan->count; i++) {
        const plan_item *it = &wz->scan->plan->items[i];
        wz->check[i] = SUPPORT_SEND_NONE;
        ms_error_clear(&wz->check_err[i]);
        if (!wz->selected[i] || !(it->status == PLAN_CHANGE || it->status == PLAN_ADD_ACCOUNT))
            continue;
        ms_error err;
        ms_error_clear(&err);
        ms_code rc = send_one(wz, i, true, &err);
        if (rc == MS_ERR_SEND_NO_PASSWORD)
            continue; /* no password typed: the test send will say so */
        wz->check_err[i] = err;
        wz->check[i] = rc == MS_OK ? SUPPORT_SEND_OK : SUPPORT_SEND_FAILED;
    }
}

static DWORD WINAPI worker_main(LPVOID arg)
{
    ms_wizard *wz = arg;
    job_kind kind = wz->job;
    switch (kind) {
    case JOB_SCAN:
        job_scan(wz);
        break;
    case JOB_APPLY:
        job_apply(wz);
        break;
    case JOB_SEND:
        job_send(wz);
        break;
    case JOB_UNDO:
        job_undo(wz);
        break;
    case JOB_CHECK:
        job_check(wz);
        break;
    case JOB_NONE:
        break;
    }
    PostMessageW(wz->msgwnd, WM_MS_DONE, (WPARAM)kind, 0);
    return 0;
}

static void wipe_passwords(ms_wizard *wz)
{
    for (size_t i = 0; wz->pw && wz->scan && i < wz->scan->plan->count; i++) {
        if (wz->pw[i]) {
            SecureZeroMemory(wz->pw[i], wcslen(wz->pw[i]) * sizeof(wchar_t));
            free(wz->pw[i]);
            wz->pw[i] = NULL;
        }
    }
}

static void after_scan(ms_wizard *wz)
{
    if (!wz->scan)
        return;
    size_t n = wz->scan->plan->count ? wz->scan->plan->count : 1;
    wz->selected = calloc(n, sizeof *wz->selected);
    wz->pw = calloc(n, sizeof *wz->pw);
    wz->send = calloc(n, sizeof *wz->send);
    wz->send_err = calloc(n, sizeof *wz->send_err);
    wz->check = calloc(n, sizeof *wz->check);
    wz->check_err = calloc(n, sizeof *wz->check_err);
    if (!wz->selected || !wz->pw || !wz->send || !wz->send_err || !wz->check || !wz->check_err) {
        free_scan(wz);
        wz->scan_rc = ms_fail(&wz->scan_err, MS_ERR_NOMEM, "scan");
        return;
    }
    wz->manual_needed = false;
    for (size_t i = 0; i < wz->scan->plan->count; i++) {
        plan_status st = wz->scan->plan->items[i].status;
        wz->selected[i] = st == PLAN_CHANGE || st == PLAN_ADD_ACCOUNT;
    }
    for (size_t p = 0; p < wz->scan->n_programs; p++)
        if (wz->scan->programs[p].scan_rc != MS_OK)
            wz->manual_needed = true;
    /* A program found that the wizard cannot change (Eudora): its steps;
     * and changes the plan leaves to the subscriber (by hand). */
    for (size_t i = 0; i < wz->scan->plan->count; i++)
        if (wz->scan->plan->items[i].account->read_error.code == MS_ERR_MANUAL_STEPS ||
            wz->scan->plan->items[i].n_manual)
            wz->manual_needed = true;
}

static void after_apply(ms_wizard *wz)
{
    wz->applied = wz->results != NULL;
    for (size_t i = 0; wz->results && i < wz->scan->plan->count; i++)
        if (wz->results[i].outcome == ENGINE_ROLLED_BACK || wz->results[i].outcome == ENGINE_FAILED)
            wz->manual_needed = true;
    if (wz->cancel_pending && wz->applied) {
        /* Closing during apply: put everything back, then close. */
        start_job(wz, JOB_UNDO);
    } else if (wz->cancel_pending) {
        wz->cancelled = true;
        PropSheet_PressButton(wz->sheet, PSBTN_CANCEL);
    }
}

static LRESULT CALLBACK msg_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    ms_wizard *wz = (ms_wizard *)GetWindowLongPtrW(hwnd, GWLP_USERDATA);
    if (msg == WM_TIMER && wz && wp == TIMER_SCAN) {
        KillTimer(hwnd, TIMER_SCAN);
        if (!wz->scan && start_job(wz, JOB_SCAN)) {
            HWND page = PropSheet_GetCurrentPageHwnd(wz->sheet);
            if (page)
                SendMessageW(page, WM_MS_REFRESH, JOB_SCAN, 0);
        }
        return 0;
    }
    if (msg == WM_MS_DONE && wz) {
        job_kind kind = (job_kind)wp;
        WaitForSingleObject(wz->worker, INFINITE);
        CloseHandle(wz->worker);
        wz->worker = NULL;
        wz->job = JOB_NONE;
        if (kind == JOB_SCAN)
            after_scan(wz);
        else if (kind == JOB_APPLY)
            after_apply(wz);
        else if (kind == JOB_SEND) {
            wz->sent = true;
            wz->auth_failed = false;
            for (size_t i = 0; i < wz->scan->plan->count; i++)
                if (wz->send[i] == SUPPORT_SEND_FAILED && wz->send_err[i].code == MS_ERR_SEND_AUTH)
                    wz->auth_failed = true;
            wipe_passwords(wz);
        } else if (kind == JOB_CHECK) {
            wz->checked = true;
        } else if (kind == JOB_UNDO) {
            wz->undone = wz->undo_rc == MS_OK;
            if (wz->cancel_pending) {
                wz->cancelled = true;
                PropSheet_PressButton(wz->sheet, PSBTN_CANCEL);
                return 0;
            }
        }
        HWND page = PropSheet_GetCurrentPageHwnd(wz->sheet);
        if (page)
            SendMessageW(page, WM_MS_REFRESH, wp, 0);
        return 0;
    }
    if (msg == WM_MS_REPAINT && wz) {
        /* Switching between interior and exterior pages leaves parts of the
         * old header band on some comctl32s (Wine's): paint it all anew. */
        RedrawWindow(wz->sheet, NULL, NULL, RDW_INVALIDATE | RDW_ERASE | RDW_ALLCHILDREN);
        return 0;
    }
    if (msg == WM_MS_SENT_ONE && wz) {
        wz->sending_index = lp ? (int)wp : -1;
        HWND page = PropSheet_GetCurrentPageHwnd(wz->sheet);
        if (page)
            SendMessageW(page, WM_MS_REFRESH, JOB_SEND, (LPARAM)wp + 1);
        return 0;
    }
    return DefWindowProcW(hwnd, msg, wp, lp);
}

/* ------------------------------------------------------------ page helpers */

static bool cancel_guard(HWND dlg, ms_wizard *wz, const NMHDR *nm);

static ms_wizard *page_init(HWND dlg, LPARAM lp, int page)
{
    ms_wizard *wz = (ms_wizard *)((PROPSHEETPAGEW *)lp)->lParam;
    SetWindowLongPtrW(dlg, DWLP_USER, (LONG_PTR)wz);
    /* The page's own window text is its title, so a screen reader and the
     * test driver can read which page is shown. */
    SetWindowTextW(dlg, wz->head_title[page - IDD_WELCOME]);
    if (wz->title_font && GetDlgItem(dlg, IDC_TITLE))
        SendDlgItemMessageW(dlg, IDC_TITLE, WM_SETFONT, (WPARAM)wz->title_font, TRUE);
    return wz;
}

static ms_wizard *page_wz(HWND dlg)
{
    return (ms_wizard *)GetWindowLongPtrW(dlg, DWLP_USER);
}

static void list_columns(HWND list, const ms_wizard *wz, const UINT *ids, const int *widths, int n)
{
    ListView_SetExtendedListViewStyle(list,
                                      LVS_EX_FULLROWSELECT | LVS_EX_CHECKBOXES | LVS_EX_LABELTIP);
    RECT rc;
    GetClientRect(list, &rc);
    int total = rc.right - rc.left - GetSystemMetrics(SM_CXVSCROLL);
    for (int c = 0; c < n; c++) {
        wchar_t buf[64];
        LVCOLUMNW col = {0};
        col.mask = LVCF_TEXT | LVCF_WIDTH;
        col.pszText = (LPWSTR)res_string(wz, ids[c], buf, sizeof buf / sizeof buf[0]);
        col.cx = total * widths[c] / 100;
        ListView_InsertColumn(list, c, &col);
    }
}

static int list_add(HWND list, int row, LPARAM data, const wchar_t *c0, const wchar_t *c1,
                    const wchar_t *c2)
{
    LVITEMW item = {0};
    item.mask = LVIF_TEXT | LVIF_PARAM;
    item.iItem = row;
    item.pszText = (LPWSTR)c0;
    item.lParam = data;
    int at = (int)SendMessageW(list, LVM_INSERTITEMW, 0, (LPARAM)&item);
    ListView_SetItemText(list, at, 1, (LPWSTR)c1);
    if (c2)
        ListView_SetItemText(list, at, 2, (LPWSTR)c2);
    return at;
}

/* Program | account | short state: the first and last columns as wide as
 * their texts (and headers), the account column the rest, so an address
 * shows whole at any scaling. last_head: the last column's header. */
static void list_fit_columns(HWND list, const ms_wizard *wz, UINT last_head)
{
    ListView_SetColumnWidth(list, 0, LVSCW_AUTOSIZE_USEHEADER);
    /* (USEHEADER on the last column would fill the list instead.) */
    ListView_SetColumnWidth(list, 2, LVSCW_AUTOSIZE);
    wchar_t head[64];
    int head_w = ListView_GetStringWidth(list, res_string(wz, last_head, head, 64)) + 16;
    if (ListView_GetColumnWidth(list, 2) < head_w)
        ListView_SetColumnWidth(list, 2, head_w);
    RECT lr;
    GetClientRect(list, &lr);
    int rest = lr.right - ListView_GetColumnWidth(list, 0) - ListView_GetColumnWidth(list, 2) -
               GetSystemMetrics(SM_CXVSCROLL);
    if (rest > 0)
        ListView_SetColumnWidth(list, 1, rest);
}

/* "アカウント名 <address>" */
static void account_label(const ms_account *a, wchar_t *buf, size_t cch)
{
    strbuf sb;
    strbuf_init(&sb);
    if (a->account_name && *a->account_name &&
        !(a->email && ms_strcasecmp(a->account_name, a->email) == 0))
        strbuf_addf(&sb, "%s <%s>", a->account_name, a->email ? a->email : "");
    else
        strbuf_addstr(&sb, a->email ? a->email : "");
    wchar_t *w = ms_utf8_to_wide(sb.buf);
    _snwprintf(buf, cch, L"%ls", w ? w : L"");
    buf[cch - 1] = L'\0';
    free(w);
    strbuf_free(&sb);
}

static const wchar_t *isp_name(const ms_wizard *wz, wchar_t *buf, size_t cch)
{
    wchar_t *w = ms_utf8_to_wide(profile_text_any(&wz->prof->name, wz->lang));
    _snwprintf(buf, cch, L"%ls", w ? w : L"");
    buf[cch - 1] = L'\0';
    free(w);
    return buf;
}

/* ------------------------------------------------------------ 1 welcome */

static void welcome_fill(HWND dlg, ms_wizard *wz)
{
    const profile *p = wz->prof;
    wtext t = {0};
    wchar_t isp[128];
    if (wz->cli->profile_path) {
        /* Not the profile embedded (and signed) in the exe: say so first. */
        wchar_t *w = ms_utf8_to_wide(wz->cli->profile_path);
        wt_addf(&t, wz, IDS_PROFILE_FROM_FILE_FMT, w ? w : L"");
        wt_add(&t, L"\r\n\r\n");
        free(w);
    }
    wt_addf(&t, wz, IDS_WELCOME_ISP_FMT, isp_name(wz, isp, 128));
    wt_add(&t, L"\r\n\r\n");
    const char *expl = profile_text_get(&p->explanation, wz->lang);
    if (expl) {
        strbuf sb;
        strbuf_init(&sb);
        profile_expand(p, expl, wz->lang, NULL, &sb);
        /* The profile writes \n; an edit control wants \r\n. */
        strbuf crlf;
        strbuf_init(&crlf);
        for (const char *c = sb.buf; *c; c++) {
            if (*c == '\n')
                strbuf_addch(&crlf, '\r');
            strbuf_addch(&crlf, *c);
        }
        wt_add8(&t, crlf.buf);
        strbuf_free(&crlf);
        strbuf_free(&sb);
    } else {
        wt_res(&t, wz, IDS_WELCOME_OP25B);
    }
    wt_add(&t, L"\r\n\r\n");
    if (profile_date_is_set(p->dates.migration_end)) {
        wt_addf(&t, wz, IDS_DEADLINE_END_FMT, p->dates.migration_end.year,
                p->dates.migration_end.month, p->dates.migration_end.day);
        wt_add(&t, L"\r\n\r\n");
    } else if (!expl && profile_date_is_set(p->dates.op25b_start)) {
        wt_addf(&t, wz, IDS_DEADLINE_START_FMT, p->dates.op25b_start.year,
                p->dates.op25b_start.month, p->dates.op25b_start.day);
        wt_add(&t, L"\r\n\r\n");
    }
    wt_res(&t, wz, IDS_WELCOME_HAVE);
    if (p->support.phone) {
        wchar_t *ph = ms_utf8_to_wide(p->support.phone);
        wt_add(&t, L"\r\n\r\n");
        wt_addf(&t, wz, IDS_SUPPORT_FMT, ph ? ph : L"");
        free(ph);
        const char *hours = profile_text_any(&p->support.hours, wz->lang);
        wchar_t *h = hours ? ms_utf8_to_wide(hours) : NULL;
        if (h)
            wt_addf(&t, wz, IDS_SUPPORT_HOURS_FMT, h);
        free(h);
    }
    wt_set(dlg, IDC_BODY, &t);
}

static INT_PTR CALLBACK welcome_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp)
{
    (void)wp;
    ms_wizard *wz = page_wz(dlg);
    switch (msg) {
    case WM_INITDIALOG:
        wz = page_init(dlg, lp, IDD_WELCOME);
        set_res(dlg, IDC_TITLE, wz, IDS_WELCOME_TITLE);
        welcome_fill(dlg, wz);
        /* Look while the subscriber reads: once the window is up (a timer
         * comes after the first paint), not on the way to it. */
        SetTimer(wz->msgwnd, TIMER_SCAN, 1, NULL);
        return TRUE;
    case WM_NOTIFY:
        if (cancel_guard(dlg, wz, (NMHDR *)lp))
            return TRUE;
        if (((NMHDR *)lp)->code == PSN_SETACTIVE) {
            set_step(dlg, wz, IDD_WELCOME);
            set_buttons(wz, PSWIZB_NEXT);
            return page_result(dlg, 0);
        }
        break;
    }
    return FALSE;
}

/* ------------------------------------------------------------ 2 programs */

static bool program_running_with_changes(const ms_wizard *wz, const engine_program *pr)
{
    if (!pr->running)
        return false;
    for (size_t i = 0; i < wz->scan->plan->count; i++)
        if (wz->scan->plan->items[i].account->program == pr->backend->program && wz->selected[i])
            return true;
    return false;
}

/* A program found that only the subscriber can set (the new Outlook, the
 * Mail app, Eudora): the manual page shows its steps. */
static bool any_by_hand(const ms_wizard *wz)
{
    for (size_t i = 0; wz->scan && i < wz->scan->plan->count; i++)
        if (wz->scan->plan->items[i].account->read_error.code == MS_ERR_MANUAL_STEPS)
            return true;
    return false;
}

/* The list's short state; the whole sentence goes to the box below for
 * the selected row (programs_detail). */
static UINT state_short(plan_status st)
{
    switch (st) {
    case PLAN_CHANGE:
        return IDS_STATE_CHANGE;
    case PLAN_ALREADY_DONE:
        return IDS_STATE_DONE;
    case PLAN_ADD_ACCOUNT:
        return IDS_STATE_ADD;
    case PLAN_REPLACED:
        return IDS_STATE_REPLACED;
    case PLAN_MANUAL:
        return IDS_PROGRAM_MANUAL;
    default:
        return IDS_STATE_NOT_ISP;
    }
}

/* The selected row's account and whole sentence, then the page's own
 * message (kept in wz->programs_msg). */
static void programs_detail(HWND dlg, ms_wizard *wz)
{
    HWND list = GetDlgItem(dlg, IDC_LIST);
    int sel = ListView_GetNextItem(list, -1, LVNI_SELECTED);
    wtext t = {0};
    if (sel >= 0 && wz->scan) {
        LVITEMW item = {0};
        item.mask = LVIF_PARAM;
        item.iItem = sel;
        ListView_GetItem(list, &item);
        wchar_t acct[512], name[128];
        if (item.lParam >= 0 && (size_t)item.lParam < wz->scan->plan->count) {
            const plan_item *it = &wz->scan->plan->items[item.lParam];
            program_name(wz, it->account->program, name, 128);
            account_label(it->account, acct, 512);
            wt_add(&t, name);
            wt_add(&t, L" \x2014 ");
            wt_add(&t, acct);
            wt_add(&t, L":\r\n");
            if (it->account->read_error.code != MS_OK)
                wt_error(&t, wz, &it->account->read_error);
            else
                wt_add8(&t, plan_item_text(it, wz->lang));
            wt_add(&t, L"\r\n\r\n");
        }
    }
    wt_add(&t, wz->programs_msg.buf ? wz->programs_msg.buf : L"");
    wt_set(dlg, IDC_STATUS, &t);
}

static void programs_fill(HWND dlg, ms_wizard *wz)
{
    HWND list = GetDlgItem(dlg, IDC_LIST);
    ListView_DeleteAllItems(list);
    wtext t = {0};
    wchar_t isp[128], name[128], acct[512];
    isp_name(wz, isp, 128);
    if (wz->job == JOB_SCAN || (!wz->scan && wz->scan_rc == MS_OK)) {
        wt_res(&t, wz, IDS_SCANNING);
        wt_set(dlg, IDC_STATUS, &t);
        EnableWindow(GetDlgItem(dlg, IDC_RETRY), FALSE);
        set_buttons(wz, PSWIZB_BACK);
        return;
    }
    EnableWindow(GetDlgItem(dlg, IDC_RETRY), TRUE);
    if (!wz->scan) {
        wtext e = {0};
        wt_error(&e, wz, &wz->scan_err);
        wt_addf(&t, wz, IDS_SCAN_FAILED_FMT, e.buf ? e.buf : L"");
        free(e.buf);
        wt_set(dlg, IDC_STATUS, &t);
        set_buttons(wz, PSWIZB_BACK);
        return;
    }
    const ms_scan *s = wz->scan;
    int row = 0;
    bool running = false;
    for (size_t p = 0; p < s->n_programs; p++) {
        const engine_program *pr = &s->programs[p];
        program_name(wz, pr->backend->program, name, 128);
        if (pr->scan_rc != MS_OK) {
            wchar_t state[128];
            wchar_t *code = ms_utf8_to_wide(ms_code_helpdesk(pr->scan_rc));
            wchar_t fmt[128];
            res_string(wz, IDS_PROGRAM_ERROR_FMT, fmt, 128);
            _snwprintf(state, 128, fmt, code ? code : L"");
            state[127] = L'\0';
            free(code);
            list_add(list, row++, -1, name, L"", state);
            continue;
        }
        for (size_t i = 0; i < s->plan->count; i++) {
            const plan_item *it = &s->plan->items[i];
            if (it->account->program != pr->backend->program)
                continue;
            account_label(it->account, acct, 512);
            if (it->account->read_error.code == MS_ERR_MANUAL_STEPS) {
                /* Found, but only the manual's steps change it (Eudora). */
                wchar_t state[128];
                res_string(wz, IDS_PROGRAM_MANUAL, state, 128);
                list_add(list, row++, (LPARAM)i, name, L"", state);
                continue;
            }
            wchar_t state[128];
            res_string(wz, state_short(it->status), state, 128);
            int at = list_add(list, row++, (LPARAM)i, name, acct, state);
            ListView_SetCheckState(list, at, wz->selected[i]);
        }
        if (program_running_with_changes(wz, pr)) {
            if (running)
                wt_add(&t, L"\r\n");
            wt_addf(&t, wz, IDS_RUNNING_FMT, name);
            running = true;
        }
    }
    list_fit_columns(list, wz, IDS_COL_STATE);
    size_t isp_accounts = s->plan->count - plan_count(s->plan, PLAN_NOT_ISP);
    size_t wanted = plan_count(s->plan, PLAN_CHANGE) + plan_count(s->plan, PLAN_ADD_ACCOUNT);
    if (running) {
        set_buttons(wz, PSWIZB_BACK);
    } else if (!isp_accounts && any_by_hand(wz)) {
        /* Never "nothing to change" while a program must be set by hand. */
        wt_res(&t, wz, IDS_BY_HAND_ONLY);
        set_buttons(wz, PSWIZB_BACK | PSWIZB_NEXT);
    } else if (!isp_accounts) {
        wt_addf(&t, wz, IDS_NOTHING_FOUND, isp);
        set_buttons(wz, PSWIZB_BACK | PSWIZB_FINISH);
    } else if (!wanted && plan_count(s->plan, PLAN_MANUAL)) {
        /* Only steps by hand: Next shows them. */
        wt_addf(&t, wz, IDS_ONLY_BY_HAND, isp);
        set_buttons(wz, PSWIZB_BACK | PSWIZB_NEXT);
    } else if (!wanted) {
        wt_addf(&t, wz, IDS_ALL_DONE, isp);
        set_buttons(wz, PSWIZB_BACK | PSWIZB_FINISH);
    } else {
        wt_res(&t, wz, IDS_SELECT_CHANGES);
        set_buttons(wz, PSWIZB_BACK | PSWIZB_NEXT);
    }
    free(wz->programs_msg.buf);
    wz->programs_msg = t;
    programs_detail(dlg, wz);
}

static bool offers_changes(const ms_wizard *wz)
{
    return wz->scan &&
           plan_count(wz->scan->plan, PLAN_CHANGE) + plan_count(wz->scan->plan, PLAN_ADD_ACCOUNT) >
               0;
}

static bool any_selected(const ms_wizard *wz)
{
    for (size_t i = 0; wz->scan && i < wz->scan->plan->count; i++)
        if (wz->selected[i])
            return true;
    return false;
}

static INT_PTR CALLBACK programs_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp)
{
    ms_wizard *wz = page_wz(dlg);
    switch (msg) {
    case WM_INITDIALOG: {
        wz = page_init(dlg, lp, IDD_PROGRAMS);
        static const UINT cols[] = {IDS_COL_PROGRAM, IDS_COL_ACCOUNT, IDS_COL_STATE};
        static const int widths[] = {26, 40, 34};
        list_columns(GetDlgItem(dlg, IDC_LIST), wz, cols, widths, 3);
        return TRUE;
    }
    case WM_MS_REFRESH:
        programs_fill(dlg, wz);
        return TRUE;
    case WM_COMMAND:
        if (LOWORD(wp) == IDC_RETRY && wz->job == JOB_NONE) {
            free_scan(wz);
            if (start_job(wz, JOB_SCAN))
                programs_fill(dlg, wz);
            return TRUE;
        }
        if (LOWORD(wp) == IDC_MANUAL_LINK) {
            wz->manual_from = IDD_PROGRAMS;
            go_to(wz, IDD_MANUAL);
            return TRUE;
        }
        break;
    case WM_NOTIFY: {
        NMHDR *nm = (NMHDR *)lp;
        if (cancel_guard(dlg, wz, nm))
            return TRUE;
        if (nm->idFrom == IDC_LIST && nm->code == LVN_ITEMCHANGING) {
            /* Only accounts the plan would change can be ticked. */
            NMLISTVIEW *lv = (NMLISTVIEW *)lp;
            if (!(lv->uChanged & LVIF_STATE) ||
                ((lv->uNewState ^ lv->uOldState) & LVIS_STATEIMAGEMASK) == 0 ||
                (lv->uOldState & LVIS_STATEIMAGEMASK) == 0)
                return page_result(dlg, FALSE);
            if (lv->lParam < 0 || !wz->scan)
                return page_result(dlg, TRUE);
            plan_status st = wz->scan->plan->items[lv->lParam].status;
            return page_result(dlg, !(st == PLAN_CHANGE || st == PLAN_ADD_ACCOUNT));
        }
        if (nm->idFrom == IDC_LIST && nm->code == LVN_ITEMCHANGED) {
            NMLISTVIEW *lv = (NMLISTVIEW *)lp;
            if ((lv->uChanged & LVIF_STATE) && ((lv->uNewState ^ lv->uOldState) & LVIS_SELECTED))
                programs_detail(dlg, wz);
            if ((lv->uChanged & LVIF_STATE) && lv->lParam >= 0 && wz->scan &&
                ((lv->uNewState ^ lv->uOldState) & LVIS_STATEIMAGEMASK) &&
                (lv->uOldState & LVIS_STATEIMAGEMASK)) {
                wz->selected[lv->lParam] = ListView_GetCheckState(nm->hwndFrom, lv->iItem) != 0;
            }
            return TRUE;
        }
        switch (nm->code) {
        case PSN_SETACTIVE:
            set_step(dlg, wz, IDD_PROGRAMS);
            programs_fill(dlg, wz);
            return page_result(dlg, 0);
        case PSN_WIZNEXT:
            wz->manual_from = 0;
            if (!any_selected(wz) &&
                (any_by_hand(wz) || (wz->scan && plan_count(wz->scan->plan, PLAN_MANUAL))) &&
                !offers_changes(wz)) {
                wz->manual_from = IDD_PROGRAMS;
                return jump(dlg, wz, IDD_MANUAL);
            }
            if (!any_selected(wz)) {
                set_res(dlg, IDC_STATUS, wz, IDS_NONE_SELECTED);
                return page_result(dlg, -1);
            }
            return page_result(dlg, 0);
        case PSN_WIZFINISH:
            return page_result(dlg, FALSE);
        }
        break;
    }
    }
    return FALSE;
}

/* ------------------------------------------------------------ 3 password */

static void pw_save(HWND dlg, ms_wizard *wz)
{
    if (wz->pw_current < 0 || !wz->scan)
        return;
    wchar_t buf[PW_MAX];
    GetDlgItemTextW(dlg, IDC_PASSWORD, buf, PW_MAX);
    wchar_t **slot = &wz->pw[wz->pw_current];
    if (*slot) {
        SecureZeroMemory(*slot, wcslen(*slot) * sizeof(wchar_t));
        free(*slot);
        *slot = NULL;
    }
    if (buf[0])
        *slot = _wcsdup(buf);
    SecureZeroMemory(buf, sizeof buf);
}

/* Empties the password field after overwriting its text in place with as
 * many other characters: the edit control's own buffer then holds no copy
 * of the password (setting "" alone leaves the old text in freed memory). */
static void pw_clear_field(HWND dlg)
{
    wchar_t buf[PW_MAX];
    int n = GetWindowTextLengthW(GetDlgItem(dlg, IDC_PASSWORD));
    if (n > 0 && n < PW_MAX) {
        wmemset(buf, L'*', (size_t)n);
        buf[n] = L'\0';
        SetDlgItemTextW(dlg, IDC_PASSWORD, buf);
        SecureZeroMemory(buf, sizeof buf);
    }
    SetDlgItemTextW(dlg, IDC_PASSWORD, L"");
}

static void pw_show(HWND dlg, ms_wizard *wz, int index)
{
    pw_clear_field(dlg);
    wz->pw_current = index;
    SetDlgItemTextW(dlg, IDC_PASSWORD, index >= 0 && wz->pw[index] ? wz->pw[index] : L"");
}

static void password_fill(HWND dlg, ms_wizard *wz)
{
    HWND combo = GetDlgItem(dlg, IDC_ACCOUNT);
    SendMessageW(combo, CB_RESETCONTENT, 0, 0);
    int sel = -1, first = -1;
    for (size_t i = 0; wz->scan && i < wz->scan->plan->count; i++) {
        if (!wants_send(wz, i))
            continue;
        wchar_t label[512];
        account_label(wz->scan->plan->items[i].account, label, 512);
        int at = (int)SendMessageW(combo, CB_ADDSTRING, 0, (LPARAM)label);
        SendMessageW(combo, CB_SETITEMDATA, at, (LPARAM)i);
        if (first < 0)
            first = (int)i;
        if (sel < 0 && wz->send[i] == SUPPORT_SEND_FAILED &&
            wz->send_err[i].code == MS_ERR_SEND_AUTH)
            sel = at;
    }
    SendMessageW(combo, CB_SETCURSEL, sel < 0 ? 0 : sel, 0);
    int idx = (int)SendMessageW(combo, CB_GETCURSEL, 0, 0);
    pw_show(dlg, wz, idx >= 0 ? (int)SendMessageW(combo, CB_GETITEMDATA, idx, 0) : -1);
    if (wz->auth_failed)
        set_res(dlg, IDC_STATUS, wz, IDS_PASSWORD_RETRY);
    else
        SetDlgItemTextW(dlg, IDC_STATUS, L"");
}

static INT_PTR CALLBACK password_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp)
{
    ms_wizard *wz = page_wz(dlg);
    switch (msg) {
    case WM_INITDIALOG:
        wz = page_init(dlg, lp, IDD_PASSWORD);
        set_res(dlg, IDC_BODY, wz, IDS_PASSWORD_BODY);
        set_res(dlg, IDC_HINT, wz, IDS_PASSWORD_HINT);
        SendDlgItemMessageW(dlg, IDC_PASSWORD, EM_LIMITTEXT, PW_MAX - 1, 0);
        wz->pw_current = -1;
        return TRUE;
    case WM_COMMAND:
        if (LOWORD(wp) == IDC_ACCOUNT && HIWORD(wp) == CBN_SELCHANGE) {
            pw_save(dlg, wz);
            int idx = (int)SendDlgItemMessageW(dlg, IDC_ACCOUNT, CB_GETCURSEL, 0, 0);
            pw_show(dlg, wz,
                    idx >= 0 ? (int)SendDlgItemMessageW(dlg, IDC_ACCOUNT, CB_GETITEMDATA, idx, 0)
                             : -1);
            return TRUE;
        }
        break;
    case WM_NOTIFY:
        if (cancel_guard(dlg, wz, (NMHDR *)lp))
            return TRUE;
        switch (((NMHDR *)lp)->code) {
        case PSN_SETACTIVE:
            set_step(dlg, wz, IDD_PASSWORD);
            password_fill(dlg, wz);
            set_buttons(wz, PSWIZB_BACK | PSWIZB_NEXT);
            SetFocus(GetDlgItem(dlg, IDC_PASSWORD));
            return page_result(dlg, 0);
        case PSN_WIZNEXT: {
            pw_save(dlg, wz);
            HWND combo = GetDlgItem(dlg, IDC_ACCOUNT);
            int n = (int)SendMessageW(combo, CB_GETCOUNT, 0, 0);
            for (int k = 0; k < n; k++) {
                int i = (int)SendMessageW(combo, CB_GETITEMDATA, k, 0);
                if (!wz->pw[i]) {
                    SendMessageW(combo, CB_SETCURSEL, k, 0);
                    pw_show(dlg, wz, i);
                    set_res(dlg, IDC_STATUS, wz, IDS_PASSWORD_EMPTY);
                    SetFocus(GetDlgItem(dlg, IDC_PASSWORD));
                    return page_result(dlg, -1);
                }
            }
            /* The field does not keep the password once the page is left. */
            pw_clear_field(dlg);
            wz->pw_current = -1;
            wz->checked = false; /* the pre-flight check runs with these */
            return jump(dlg, wz, wz->applied ? IDD_TEST : 0);
        }
        case PSN_WIZBACK:
            pw_save(dlg, wz);
            pw_clear_field(dlg);
            wz->pw_current = -1;
            return jump(dlg, wz, wz->applied ? IDD_TEST : 0);
        }
        break;
    }
    return FALSE;
}

/* ------------------------------------------------------------ 4 changes */

/* The plan's one sentence on the outgoing encryption, if it has one. */
static void add_security_note(wtext *t, const plan_item *it, ms_lang lang)
{
    strbuf sb;
    strbuf_init(&sb);
    plan_describe_security_note(it, lang, &sb);
    if (sb.len) {
        wt_add(t, L"    ");
        wt_add8(t, sb.buf);
        wt_add(t, L"\r\n");
    }
    strbuf_free(&sb);
}

/* Every account's steps by hand (the changes its program cannot hold),
 * with the ISP's values, program by program. */
/* Whether a selected account will send its password without encryption:
 * the profile says none and the account does not keep its own STARTTLS/SSL
 * (plan.c never downgrades one). */
static bool password_in_clear(const ms_wizard *wz)
{
    if (!wz->scan || wz->prof->outgoing.security != PROFILE_SEC_NONE)
        return false;
    for (size_t i = 0; i < wz->scan->plan->count; i++) {
        const plan_item *it = &wz->scan->plan->items[i];
        if (wz->selected[i] && (it->status == PLAN_CHANGE || it->status == PLAN_ADD_ACCOUNT) &&
            it->security_note != PLAN_SEC_KEPT && it->security_note != PLAN_SEC_UPGRADED)
            return true;
    }
    return false;
}

static void add_by_hand(wtext *t, const ms_wizard *wz)
{
    strbuf sb;
    strbuf_init(&sb);
    wchar_t name[128], acct[512];
    for (size_t i = 0; wz->scan && i < wz->scan->plan->count; i++) {
        const plan_item *it = &wz->scan->plan->items[i];
        if (!it->n_manual)
            continue;
        program_name(wz, it->account->program, name, 128);
        account_label(it->account, acct, 512);
        wt_add(t, L"\x25A1 ");
        wt_add(t, name);
        wt_add(t, L" \x2014 ");
        wt_add(t, acct);
        wt_add(t, L"\r\n    ");
        wt_add8(t, plan_manual_text(it, wz->lang));
        wt_add(t, L"\r\n");
        for (size_t k = 0; k < it->n_manual; k++) {
            strbuf_reset(&sb);
            plan_describe_change(&it->manual[k], it->account->program, wz->lang, &sb);
            wt_add(t, L"    \x30FB");
            wt_add8(t, sb.buf);
            wt_add(t, L"\r\n");
        }
        if (it->status == PLAN_MANUAL)
            add_security_note(t, it, wz->lang);
        wt_add(t, L"\r\n");
    }
    strbuf_free(&sb);
}

static void changes_fill(HWND dlg, ms_wizard *wz)
{
    wtext t = {0};
    strbuf sb;
    strbuf_init(&sb);
    wchar_t name[128], acct[512];
    for (size_t i = 0; wz->scan && i < wz->scan->plan->count; i++) {
        const plan_item *it = &wz->scan->plan->items[i];
        if (!wz->selected[i])
            continue;
        program_name(wz, it->account->program, name, 128);
        account_label(it->account, acct, 512);
        wt_add(&t, L"\x25A0 ");
        wt_add(&t, name);
        wt_add(&t, L" \x2014 ");
        wt_add(&t, acct);
        wt_add(&t, L"\r\n");
        if (it->status == PLAN_ADD_ACCOUNT) {
            wt_add(&t, L"    ");
            wt_add8(&t, plan_status_text(it->status, wz->lang));
            wt_add(&t, L"\r\n");
        }
        for (size_t k = 0; k < it->n_changes; k++) {
            strbuf_reset(&sb);
            plan_describe_change(&it->changes[k], it->account->program, wz->lang, &sb);
            wt_add(&t, L"    \x30FB");
            wt_add8(&t, sb.buf);
            wt_add(&t, L"\r\n");
        }
        add_security_note(&t, it, wz->lang);
        wt_add(&t, L"\r\n");
    }
    /* Before anything changes: what the subscriber will do by hand. */
    add_by_hand(&t, wz);
    /* The password will travel unencrypted: one calm sentence says so. */
    if (password_in_clear(wz))
        wt_res(&t, wz, IDS_CLEARTEXT_NOTE);
    strbuf_free(&sb);
    /* The pre-flight check's findings first: read before anything changes. */
    wtext pre = {0};
    bool failed = false;
    for (size_t i = 0; wz->checked && i < wz->scan->plan->count; i++) {
        if (wz->check[i] != SUPPORT_SEND_FAILED)
            continue;
        failed = true;
        account_label(wz->scan->plan->items[i].account, acct, 512);
        wt_add(&pre, acct);
        wt_add(&pre, L":\r\n");
        wt_error(&pre, wz, &wz->check_err[i]);
        const char *step = diagnose_next_step(wz->check_err[i].code, wz->lang);
        if (step && *step) {
            wt_add(&pre, L"\r\n");
            wt_res(&pre, wz, IDS_CHECK_NEXT_STEP);
            wt_add8(&pre, step);
        }
        wt_add(&pre, L"\r\n\r\n");
    }
    if (failed) {
        wt_add(&pre, t.buf ? t.buf : L"");
        wt_set(dlg, IDC_DIAG, &pre);
        free(t.buf);
    } else {
        wt_set(dlg, IDC_DIAG, &t);
    }
    UINT status = wz->job == JOB_CHECK ? IDS_CHECKING
                  : failed             ? IDS_CHECK_FAILED
                  : wz->checked        ? IDS_CHECK_OK
                                       : IDS_CHANGES_BACKUP;
    set_res(dlg, IDC_STATUS, wz, status);
    /* A failed check does not block: before the ISP's migration date the
     * new server may not answer yet. Next changes anyway. */
    set_buttons(wz, wz->job == JOB_CHECK ? PSWIZB_BACK : PSWIZB_BACK | PSWIZB_NEXT);
}

static INT_PTR CALLBACK changes_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp)
{
    (void)wp;
    ms_wizard *wz = page_wz(dlg);
    switch (msg) {
    case WM_INITDIALOG:
        wz = page_init(dlg, lp, IDD_CHANGES);
        set_res(dlg, IDC_BODY, wz, IDS_CHANGES_BODY);
        set_res(dlg, IDC_STATUS, wz, IDS_CHANGES_BACKUP);
        return TRUE;
    case WM_NOTIFY:
        if (cancel_guard(dlg, wz, (NMHDR *)lp))
            return TRUE;
        if (((NMHDR *)lp)->code == PSN_SETACTIVE) {
            set_step(dlg, wz, IDD_CHANGES);
            if (!wz->checked && !wz->applied && wz->job == JOB_NONE)
                start_job(wz, JOB_CHECK);
            changes_fill(dlg, wz);
            return page_result(dlg, 0);
        }
        break;
    case WM_MS_REFRESH:
        changes_fill(dlg, wz);
        return TRUE;
    }
    return FALSE;
}

/* ------------------------------------------------------------ 5 applying */

static void progress_busy(HWND dlg, bool busy)
{
    HWND bar = GetDlgItem(dlg, IDC_PROGRESS);
    LONG_PTR style = GetWindowLongPtrW(bar, GWL_STYLE);
    if (busy) {
        SetWindowLongPtrW(bar, GWL_STYLE, style | PBS_MARQUEE);
        SendMessageW(bar, PBM_SETMARQUEE, TRUE, 40);
    } else {
        SendMessageW(bar, PBM_SETMARQUEE, FALSE, 0);
        SetWindowLongPtrW(bar, GWL_STYLE, style & ~(LONG_PTR)PBS_MARQUEE);
        SendMessageW(bar, PBM_SETRANGE32, 0, 100);
        SendMessageW(bar, PBM_SETPOS, 100, 0);
    }
}

static void apply_fill(HWND dlg, ms_wizard *wz)
{
    wtext t = {0};
    if (wz->job == JOB_APPLY || (wz->job == JOB_UNDO && wz->cancel_pending)) {
        set_res(dlg, IDC_STATUS, wz, wz->cancel_pending ? IDS_APPLY_CANCELLING : IDS_APPLYING);
        progress_busy(dlg, true);
        set_buttons(wz, 0);
        return;
    }
    progress_busy(dlg, false);
    SetDlgItemTextW(dlg, IDC_BACKUP, L"");
    if (wz->backup_dir.len) {
        wchar_t *w = ms_utf8_to_wide(wz->backup_dir.buf);
        SetDlgItemTextW(dlg, IDC_BACKUP, w ? w : L"");
        free(w);
    }
    if (!wz->applied) {
        wtext e = {0};
        wt_error(&e, wz, &wz->apply_err);
        wt_addf(&t, wz, IDS_APPLY_FAILED_FMT, e.buf ? e.buf : L"");
        free(e.buf);
        wt_set(dlg, IDC_STATUS, &t);
        set_buttons(wz, PSWIZB_BACK);
        return;
    }
    set_res(dlg, IDC_STATUS, wz, IDS_APPLY_DONE);
    wchar_t name[128], acct[512], out[128];
    for (size_t i = 0; i < wz->scan->plan->count; i++) {
        const engine_result *r = &wz->results[i];
        if (r->outcome == ENGINE_SKIPPED)
            continue;
        const ms_account *a = wz->scan->plan->items[i].account;
        program_name(wz, a->program, name, 128);
        account_label(a, acct, 512);
        UINT ids = r->outcome == ENGINE_CHANGED  ? IDS_OUT_CHANGED
                   : r->outcome == ENGINE_ADDED  ? IDS_OUT_ADDED
                   : r->outcome == ENGINE_FAILED ? IDS_OUT_FAILED
                                                 : IDS_OUT_ROLLED_BACK;
        wt_add(&t, name);
        wt_add(&t, L" \x2014 ");
        wt_add(&t, acct);
        wt_add(&t, L": ");
        wt_add(&t, res_string(wz, ids, out, 128));
        wt_add(&t, L"\r\n");
        if (r->outcome == ENGINE_ROLLED_BACK || r->outcome == ENGINE_FAILED) {
            wt_add(&t, L"    ");
            wt_error(&t, wz, &r->err);
            wt_add(&t, L"\r\n");
        }
    }
    wt_set(dlg, IDC_DIAG, &t);
    set_buttons(wz, PSWIZB_NEXT);
}

static INT_PTR CALLBACK apply_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp)
{
    (void)wp;
    ms_wizard *wz = page_wz(dlg);
    switch (msg) {
    case WM_INITDIALOG:
        wz = page_init(dlg, lp, IDD_APPLY);
        return TRUE;
    case WM_MS_REFRESH:
        apply_fill(dlg, wz);
        return TRUE;
    case WM_NOTIFY:
        if (cancel_guard(dlg, wz, (NMHDR *)lp))
            return TRUE;
        switch (((NMHDR *)lp)->code) {
        case PSN_SETACTIVE:
            set_step(dlg, wz, IDD_APPLY);
            if (!wz->applied && wz->job == JOB_NONE) {
                SetDlgItemTextW(dlg, IDC_DIAG, L"");
                start_job(wz, JOB_APPLY);
            }
            apply_fill(dlg, wz);
            return page_result(dlg, 0);
        case PSN_WIZBACK:
            /* Once applied, going back would only show a stale plan. */
            return page_result(dlg, wz->applied ? -1 : 0);
        }
        break;
    }
    return FALSE;
}

/* ------------------------------------------------------------ 6 test send */

static void test_fill(HWND dlg, ms_wizard *wz)
{
    HWND list = GetDlgItem(dlg, IDC_LIST);
    ListView_DeleteAllItems(list);
    wchar_t name[128], acct[512], res[256];
    bool any_failed = false, any = false;
    wtext diag = {0};
    for (size_t i = 0; wz->scan && i < wz->scan->plan->count; i++) {
        const plan_item *it = &wz->scan->plan->items[i];
        if (it->status == PLAN_NOT_ISP || it->status == PLAN_REPLACED || !wz->selected[i])
            continue;
        any = true;
        program_name(wz, it->account->program, name, 128);
        account_label(it->account, acct, 512);
        if (wz->send[i] == SUPPORT_SEND_OK) {
            res_string(wz, IDS_SEND_OK, res, 256);
        } else if (wz->send[i] == SUPPORT_SEND_FAILED) {
            wchar_t *code = ms_utf8_to_wide(ms_code_helpdesk(wz->send_err[i].code));
            _snwprintf(res, 256, L"%ls", code ? code : L"");
            res[255] = L'\0';
            free(code);
            any_failed = true;
            wt_add(&diag, acct);
            wt_add(&diag, L":\r\n");
            wt_error(&diag, wz, &wz->send_err[i]);
            wt_add(&diag, L"\r\n\r\n");
        } else if (wz->job == JOB_SEND && wz->sending_index == (int)i) {
            res_string(wz, IDS_SENDING, res, 256);
        } else if (wz->job == JOB_SEND) {
            res_string(wz, IDS_SEND_WAITING, res, 256);
        } else {
            res_string(wz, IDS_SEND_SKIPPED, res, 256);
        }
        int at = list_add(list, (int)i, (LPARAM)i, name, acct, res);
        ListView_SetCheckState(list, at, FALSE);
    }
    list_fit_columns(list, wz, IDS_COL_RESULT);
    ShowWindow(GetDlgItem(dlg, IDC_TO_PASSWORD), wz->auth_failed ? SW_SHOW : SW_HIDE);
    if (wz->job == JOB_SEND) {
        set_res(dlg, IDC_STATUS, wz, IDS_SENDING);
        set_buttons(wz, 0);
        wt_set(dlg, IDC_DIAG, &diag);
        return;
    }
    if (wz->auth_failed)
        wt_res(&diag, wz, IDS_TEST_AUTH_NEXT);
    wt_set(dlg, IDC_DIAG, &diag);
    set_res(dlg, IDC_STATUS, wz, any_failed || !any ? IDS_TEST_FAILED : IDS_TEST_ALL_OK);
    set_buttons(wz, PSWIZB_BACK | PSWIZB_NEXT);
}

static bool send_pending(const ms_wizard *wz)
{
    for (size_t i = 0; wz->scan && i < wz->scan->plan->count; i++)
        if (wants_send(wz, i) && wz->pw[i])
            return true;
    return false;
}

static INT_PTR CALLBACK test_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp)
{
    ms_wizard *wz = page_wz(dlg);
    switch (msg) {
    case WM_INITDIALOG: {
        wz = page_init(dlg, lp, IDD_TEST);
        static const UINT cols[] = {IDS_COL_PROGRAM, IDS_COL_ACCOUNT, IDS_COL_RESULT};
        static const int widths[] = {28, 47, 25};
        HWND list = GetDlgItem(dlg, IDC_LIST);
        list_columns(list, wz, cols, widths, 3);
        ListView_SetExtendedListViewStyle(list, LVS_EX_FULLROWSELECT | LVS_EX_LABELTIP);
        return TRUE;
    }
    case WM_MS_REFRESH:
        test_fill(dlg, wz);
        return TRUE;
    case WM_COMMAND:
        if (LOWORD(wp) == IDC_TO_PASSWORD) {
            go_to(wz, IDD_PASSWORD);
            return TRUE;
        }
        break;
    case WM_NOTIFY:
        if (cancel_guard(dlg, wz, (NMHDR *)lp))
            return TRUE;
        switch (((NMHDR *)lp)->code) {
        case PSN_SETACTIVE:
            set_step(dlg, wz, IDD_TEST);
            if (wz->job == JOB_NONE && send_pending(wz)) {
                wz->auth_failed = false;
                wz->sending_index = -1;
                start_job(wz, JOB_SEND);
            }
            test_fill(dlg, wz);
            return page_result(dlg, 0);
        case PSN_WIZBACK:
            return jump(dlg, wz, IDD_PASSWORD);
        case PSN_WIZNEXT:
            if (!wz->manual_needed)
                return jump(dlg, wz, IDD_FINISH);
            wz->manual_from = IDD_TEST;
            return page_result(dlg, 0);
        }
        break;
    }
    return FALSE;
}

/* ------------------------------------------------------------ manual steps */

/* The profile's manual for a program the wizard found (program ids of the
 * manuals follow the seeds: oe, winmail, outlook2003, ...). */
static const char *manual_id(ms_program p)
{
    switch (p) {
    case MS_PROG_OUTLOOK:
        return "outlook2003";
    case MS_PROG_OUTLOOK_NEW:
        return "outlook2007";
    default:
        return account_program_id(p);
    }
}

/* The combo box's entries: a profile manual (its index), or a program set
 * by hand that the profile has no manual for (its built-in steps). */
#define MANUAL_BUILTIN 0x10000

static void manual_show(HWND dlg, ms_wizard *wz)
{
    int sel = (int)SendDlgItemMessageW(dlg, IDC_PROGRAM, CB_GETCURSEL, 0, 0);
    LRESULT data = sel < 0 ? -1 : SendDlgItemMessageW(dlg, IDC_PROGRAM, CB_GETITEMDATA, sel, 0);
    int idx = data == CB_ERR ? -1 : (int)data;
    wtext t = {0};
    /* The plan's steps by hand, filled with the ISP's values, come first. */
    add_by_hand(&t, wz);
    if (idx >= MANUAL_BUILTIN) {
        strbuf steps, sb;
        strbuf_init(&steps);
        strbuf_init(&sb);
        ms_program prog = (ms_program)(idx - MANUAL_BUILTIN);
        size_t n = byhand_steps(wz->prof, prog, wz->lang, &steps, NULL);
        for (size_t k = 0, i = 0; !steps.oom && k < n; k++) {
            strbuf_addf(&sb, "%zu. %s\r\n\r\n", k + 1, steps.buf + i);
            i += strlen(steps.buf + i) + 1;
        }
        wt_add8(&t, sb.buf);
        strbuf_free(&steps);
        strbuf_free(&sb);
        wt_set(dlg, IDC_DIAG, &t);
        return;
    }
    if (idx < 0 || (size_t)idx >= wz->prof->n_manuals) {
        if (t.len) {
            wt_set(dlg, IDC_DIAG, &t);
            return;
        }
        wt_res(&t, wz, IDS_MANUAL_NONE);
        wt_set(dlg, IDC_DIAG, &t);
        return;
    }
    const profile_manual *m = &wz->prof->manuals[idx];
    strbuf sb;
    strbuf_init(&sb);
    for (size_t k = 0; k < m->n_steps; k++) {
        strbuf_reset(&sb);
        strbuf_addf(&sb, "%zu. ", k + 1);
        const char *step = profile_text_any(&m->steps[k], wz->lang);
        profile_expand(wz->prof, step ? step : "", wz->lang, NULL, &sb);
        strbuf_addstr(&sb, "\r\n\r\n");
        wt_add8(&t, sb.buf);
    }
    strbuf_free(&sb);
    wt_set(dlg, IDC_DIAG, &t);
}

static void manual_fill(HWND dlg, ms_wizard *wz)
{
    HWND combo = GetDlgItem(dlg, IDC_PROGRAM);
    SendMessageW(combo, CB_RESETCONTENT, 0, 0);
    int pick = 0;
    const char *want = NULL;
    for (size_t i = 0; wz->scan && !want && i < wz->scan->plan->count; i++) {
        engine_outcome o = wz->results ? wz->results[i].outcome : ENGINE_SKIPPED;
        if (o == ENGINE_ROLLED_BACK || o == ENGINE_FAILED)
            want = manual_id(wz->scan->plan->items[i].account->program);
    }
    for (size_t p = 0; wz->scan && !want && p < wz->scan->n_programs; p++)
        if (wz->scan->programs[p].scan_rc != MS_OK)
            want = manual_id(wz->scan->programs[p].backend->program);
    for (size_t i = 0; wz->scan && !want && i < wz->scan->plan->count; i++)
        if (wz->scan->plan->items[i].account->read_error.code == MS_ERR_MANUAL_STEPS ||
            wz->scan->plan->items[i].n_manual)
            want = manual_id(wz->scan->plan->items[i].account->program);
    for (size_t i = 0; i < wz->prof->n_manuals; i++) {
        const profile_manual *m = &wz->prof->manuals[i];
        const char *title = profile_text_any(&m->title, wz->lang);
        wchar_t *w = ms_utf8_to_wide(title ? title : m->program);
        LRESULT at = SendMessageW(combo, CB_ADDSTRING, 0, (LPARAM)(w ? w : L""));
        free(w);
        SendMessageW(combo, CB_SETITEMDATA, (WPARAM)at, (LPARAM)i);
        if (want && strcmp(m->program, want) == 0)
            pick = (int)at;
    }
    /* Programs set by hand that the profile has no manual for: their
     * built-in steps (the new Outlook, the Mail app), under their name. */
    for (size_t i = 0; wz->scan && i < wz->scan->plan->count; i++) {
        const ms_account *a = wz->scan->plan->items[i].account;
        if (a->read_error.code != MS_ERR_MANUAL_STEPS ||
            profile_find_manual(wz->prof, manual_id(a->program)))
            continue;
        strbuf probe;
        strbuf_init(&probe);
        size_t n = byhand_steps(wz->prof, a->program, wz->lang, &probe, NULL);
        strbuf_free(&probe);
        if (!n)
            continue;
        wchar_t name[128];
        program_name(wz, a->program, name, 128);
        LRESULT at = SendMessageW(combo, CB_ADDSTRING, 0, (LPARAM)name);
        SendMessageW(combo, CB_SETITEMDATA, (WPARAM)at, (LPARAM)(MANUAL_BUILTIN + (int)a->program));
        if (want && strcmp(manual_id(a->program), want) == 0)
            pick = (int)at;
    }
    SendMessageW(combo, CB_SETCURSEL, pick, 0);
    manual_show(dlg, wz);
}

static INT_PTR CALLBACK manual_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp)
{
    ms_wizard *wz = page_wz(dlg);
    switch (msg) {
    case WM_INITDIALOG:
        wz = page_init(dlg, lp, IDD_MANUAL);
        set_res(dlg, IDC_BODY, wz, IDS_MANUAL_BODY);
        /* CBS_DROPDOWNLIST does not sort: the profile's order. */
        return TRUE;
    case WM_COMMAND:
        if (LOWORD(wp) == IDC_PROGRAM && HIWORD(wp) == CBN_SELCHANGE) {
            manual_show(dlg, wz);
            return TRUE;
        }
        break;
    case WM_NOTIFY:
        if (cancel_guard(dlg, wz, (NMHDR *)lp))
            return TRUE;
        switch (((NMHDR *)lp)->code) {
        case PSN_SETACTIVE:
            set_step(dlg, wz, IDD_MANUAL);
            manual_fill(dlg, wz);
            set_buttons(wz, PSWIZB_BACK | PSWIZB_NEXT);
            return page_result(dlg, 0);
        case PSN_WIZBACK:
            return jump(dlg, wz, wz->manual_from ? wz->manual_from : IDD_TEST);
        case PSN_WIZNEXT:
            return jump(dlg, wz, IDD_FINISH);
        }
        break;
    }
    return FALSE;
}

/* ------------------------------------------------------------ 7 finish */

static void report_info(const ms_wizard *wz, support_info *in)
{
    memset(in, 0, sizeof *in);
    in->prof = wz->prof;
    in->scan = wz->scan;
    in->selected = wz->selected;
    in->results = wz->results;
    in->send = wz->sent ? wz->send : NULL;
    in->send_err = wz->send_err;
    in->error = !wz->scan                                 ? &wz->scan_err
                : (!wz->applied && wz->apply_rc != MS_OK) ? &wz->apply_err
                                                          : NULL;
    in->backup_dir = wz->backup_dir.len ? wz->backup_dir.buf : NULL;
    in->version = MS_VERSION;
}

/* The report goes beside the backup (or to %LOCALAPPDATA%\mailsetup):
 * the "log" the finish page opens. Returns the file name (caller frees). */
static char *write_report(const ms_wizard *wz)
{
    support_info in;
    report_info(wz, &in);
    strbuf text, path;
    strbuf_init(&text);
    strbuf_init(&path);
    static const char bom[] = "\xEF\xBB\xBF"; /* Notepad on XP wants it */
    strbuf_addstr(&text, bom);
    support_report(&in, wz->lang, &text);
    if (wz->backup_dir.len)
        strbuf_addf(&path, "%s\\report.txt", wz->backup_dir.buf);
    else if (wz->env.env.local_appdata)
        strbuf_addf(&path, "%s\\mailsetup\\report.txt", wz->env.env.local_appdata);
    ms_error err;
    char *name = NULL;
    if (path.len && ms_file_write_atomic(path.buf, text.buf, text.len, &err) == MS_OK)
        name = strbuf_detach(&path, NULL);
    strbuf_free(&text);
    strbuf_free(&path);
    return name;
}

static void copy_report(HWND dlg, ms_wizard *wz)
{
    support_info in;
    report_info(wz, &in);
    strbuf text;
    strbuf_init(&text);
    support_report(&in, wz->lang, &text);
    wchar_t *w = ms_utf8_to_wide(text.buf);
    strbuf_free(&text);
    if (!w)
        return;
    size_t bytes = (wcslen(w) + 1) * sizeof *w;
    HGLOBAL g = GlobalAlloc(GMEM_MOVEABLE, bytes);
    void *p = g ? GlobalLock(g) : NULL;
    if (p) {
        memcpy(p, w, bytes);
        GlobalUnlock(g);
        if (OpenClipboard(dlg)) {
            EmptyClipboard();
            if (SetClipboardData(CF_UNICODETEXT, g))
                g = NULL;
            CloseClipboard();
        }
    }
    if (g)
        GlobalFree(g);
    free(w);
    set_res(dlg, IDC_SUPPORT, wz, IDS_REPORT_COPIED);
}

static bool all_sent(const ms_wizard *wz)
{
    for (size_t i = 0; wz->scan && i < wz->scan->plan->count; i++) {
        const plan_item *it = &wz->scan->plan->items[i];
        if (it->status != PLAN_NOT_ISP && it->status != PLAN_REPLACED && wz->selected[i] &&
            wz->send[i] != SUPPORT_SEND_OK)
            return false;
    }
    return true;
}

static void finish_fill(HWND dlg, ms_wizard *wz)
{
    UINT body;
    bool partial = false;
    for (size_t i = 0; wz->results && i < wz->scan->plan->count; i++)
        if (wz->results[i].outcome == ENGINE_ROLLED_BACK || wz->results[i].outcome == ENGINE_FAILED)
            partial = true;
    if (wz->undone)
        body = IDS_UNDO_DONE;
    else if (!wz->applied)
        body = wz->scan && !any_selected(wz) ? IDS_FINISH_NOTHING : IDS_FINISH_CANCELLED;
    else if (partial)
        body = IDS_FINISH_PARTIAL;
    else if (!all_sent(wz))
        body = IDS_FINISH_SEND_FAILED;
    else
        body = IDS_FINISH_OK;
    set_res(dlg, IDC_BODY, wz, body);
    support_info in;
    report_info(wz, &in);
    strbuf code;
    strbuf_init(&code);
    support_code(&in, &code);
    wchar_t *w = ms_utf8_to_wide(code.buf);
    SetDlgItemTextW(dlg, IDC_CODE, w ? w : L"");
    free(w);
    strbuf_free(&code);
    EnableWindow(GetDlgItem(dlg, IDC_UNDO), wz->applied && !wz->undone && wz->job == JOB_NONE);
    char *log = write_report(wz);
    EnableWindow(GetDlgItem(dlg, IDC_OPEN_LOG), log != NULL);
    free(log);
    set_buttons(wz, wz->applied ? PSWIZB_FINISH : PSWIZB_BACK | PSWIZB_FINISH);
    /* Once the settings are changed, Cancel would undo nothing (and a
     * subscriber may think it does): [元に戻す] is the way back. */
    EnableWindow(GetDlgItem(wz->sheet, IDCANCEL), !wz->applied || wz->undone);
}

static INT_PTR CALLBACK finish_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp)
{
    ms_wizard *wz = page_wz(dlg);
    switch (msg) {
    case WM_INITDIALOG:
        wz = page_init(dlg, lp, IDD_FINISH);
        set_res(dlg, IDC_TITLE, wz, IDS_FINISH_TITLE);
        if (wz->code_font)
            SendDlgItemMessageW(dlg, IDC_CODE, WM_SETFONT, (WPARAM)wz->code_font, TRUE);
        return TRUE;
    case WM_MS_REFRESH:
        if ((job_kind)wp == JOB_UNDO) {
            wtext t = {0};
            if (wz->undone) {
                wt_res(&t, wz, IDS_UNDO_DONE);
            } else {
                wtext e = {0};
                wt_error(&e, wz, &wz->undo_err);
                wt_addf(&t, wz, IDS_UNDO_FAILED_FMT, e.buf ? e.buf : L"");
                free(e.buf);
            }
            wt_set(dlg, IDC_SUPPORT, &t);
        }
        finish_fill(dlg, wz);
        return TRUE;
    case WM_COMMAND:
        switch (LOWORD(wp)) {
        case IDC_OPEN_LOG: {
            char *log = write_report(wz);
            wchar_t *w = log ? ms_utf8_to_wide(log) : NULL;
            if (w)
                ShellExecuteW(dlg, L"open", L"notepad.exe", w, NULL, SW_SHOWNORMAL);
            free(w);
            free(log);
            return TRUE;
        }
        case IDC_COPY_REPORT:
            copy_report(dlg, wz);
            return TRUE;
        case IDC_UNDO: {
            wchar_t q[512], title[128];
            res_string(wz, IDS_UNDO_CONFIRM, q, 512);
            res_string(wz, IDS_APP_TITLE, title, 128);
            if (MessageBoxW(wz->sheet, q, title, MB_YESNO | MB_ICONQUESTION | MB_DEFBUTTON2) ==
                    IDYES &&
                start_job(wz, JOB_UNDO)) {
                set_res(dlg, IDC_SUPPORT, wz, IDS_UNDOING);
                EnableWindow(GetDlgItem(dlg, IDC_UNDO), FALSE);
            }
            return TRUE;
        }
        }
        break;
    case WM_NOTIFY:
        if (cancel_guard(dlg, wz, (NMHDR *)lp))
            return TRUE;
        switch (((NMHDR *)lp)->code) {
        case PSN_SETACTIVE:
            set_step(dlg, wz, IDD_FINISH);
            finish_fill(dlg, wz);
            return page_result(dlg, 0);
        case PSN_WIZBACK:
            if (!wz->scan || !any_selected(wz))
                return jump(dlg, wz, IDD_PROGRAMS);
            return jump(dlg, wz, wz->manual_needed ? IDD_MANUAL : IDD_TEST);
        case PSN_WIZFINISH:
            /* Not while the undo runs. */
            wz->finished = wz->job == JOB_NONE;
            return page_result(dlg, wz->job != JOB_NONE);
        }
        break;
    }
    return FALSE;
}

/* ------------------------------------------------------------ undo (--undo) */

static INT_PTR CALLBACK undo_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp)
{
    (void)wp;
    ms_wizard *wz = page_wz(dlg);
    switch (msg) {
    case WM_INITDIALOG:
        wz = page_init(dlg, lp, IDD_UNDO);
        return TRUE;
    case WM_NOTIFY:
        if (cancel_guard(dlg, wz, (NMHDR *)lp))
            return TRUE;
        if (((NMHDR *)lp)->code == PSN_SETACTIVE) {
            set_step(dlg, wz, IDD_UNDO);
            strbuf_reset(&wz->backup_dir);
            ms_error err;
            wtext t = {0};
            if (ensure_env(wz) &&
                env_win32_last_backup_dir(&wz->env, &wz->backup_dir, &err) == MS_OK) {
                wchar_t *w = ms_utf8_to_wide(wz->backup_dir.buf);
                if (wz->interrupted) {
                    /* Named with its helpdesk code (T06), before any scan. */
                    wchar_t *code = ms_utf8_to_wide(ms_code_helpdesk(MS_ERR_RUN_INTERRUPTED));
                    wt_addf(&t, wz, IDS_INTERRUPTED_BODY_FMT, w ? w : L"", code ? code : L"");
                    free(code);
                } else {
                    wt_addf(&t, wz, IDS_UNDO_BODY_FMT, w ? w : L"");
                }
                free(w);
                set_buttons(wz, PSWIZB_NEXT);
            } else {
                strbuf_reset(&wz->backup_dir);
                wt_res(&t, wz, IDS_UNDO_NONE);
                set_buttons(wz, PSWIZB_FINISH);
            }
            wt_set(dlg, IDC_BODY, &t);
            return page_result(dlg, 0);
        }
        break;
    }
    return FALSE;
}

static INT_PTR CALLBACK undo_done_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp)
{
    (void)wp;
    ms_wizard *wz = page_wz(dlg);
    switch (msg) {
    case WM_INITDIALOG:
        wz = page_init(dlg, lp, IDD_UNDO_DONE);
        return TRUE;
    case WM_MS_REFRESH: {
        wtext t = {0};
        if (wz->undone) {
            set_res(dlg, IDC_TITLE, wz, IDS_UNDO_DONE_TITLE);
            wt_res(&t, wz, IDS_UNDO_DONE);
        } else {
            wtext e = {0};
            wt_error(&e, wz, &wz->undo_err);
            wt_addf(&t, wz, IDS_UNDO_FAILED_FMT, e.buf ? e.buf : L"");
            free(e.buf);
        }
        wt_add(&t, L"\r\n\r\n");
        wt_add8(&t, wz->backup_dir.buf);
        wt_set(dlg, IDC_BODY, &t);
        set_buttons(wz, PSWIZB_FINISH);
        return TRUE;
    }
    case WM_NOTIFY:
        if (cancel_guard(dlg, wz, (NMHDR *)lp))
            return TRUE;
        switch (((NMHDR *)lp)->code) {
        case PSN_SETACTIVE:
            set_step(dlg, wz, IDD_UNDO_DONE);
            set_res(dlg, IDC_TITLE, wz, IDS_UNDO_TITLE);
            set_res(dlg, IDC_BODY, wz, IDS_UNDOING);
            set_buttons(wz, 0);
            if (!start_job(wz, JOB_UNDO))
                set_buttons(wz, PSWIZB_FINISH);
            return page_result(dlg, 0);
        case PSN_WIZBACK:
            return page_result(dlg, -1);
        }
        break;
    }
    return FALSE;
}

/* ------------------------------------------------------------ the sheet */

static ms_wizard *g_wz; /* for the sheet callback, which gets no lParam */

static int CALLBACK sheet_callback(HWND sheet, UINT msg, LPARAM lp)
{
    (void)lp;
    if (msg == PSCB_INITIALIZED && g_wz) {
        ms_wizard *wz = g_wz;
        wz->sheet = sheet;
        /* The buttons in the wizard's language, whatever Windows' is. */
        static const struct {
            int id;
            UINT ids;
        } buttons[] = {{ID_PSBACK, IDS_BTN_BACK},
                       {ID_PSNEXT, IDS_BTN_NEXT},
                       {ID_PSFINISH, IDS_BTN_FINISH},
                       {IDCANCEL, IDS_BTN_CANCEL}};
        for (size_t i = 0; i < sizeof buttons / sizeof buttons[0]; i++) {
            wchar_t buf[64];
            SetDlgItemTextW(sheet, buttons[i].id,
                            res_string(wz, buttons[i].ids, buf, sizeof buf / sizeof buf[0]));
        }
        ShowWindow(GetDlgItem(sheet, IDHELP), SW_HIDE);
    }
    return 0;
}

/* Cancel is always possible; during an apply (or the undo that follows a
 * cancel) it waits for the work to end and then restores the backup:
 * closing during apply rolls back. PSN_QUERYCANCEL goes to the current
 * page, so every page asks this first. */
static bool cancel_guard(HWND dlg, ms_wizard *wz, const NMHDR *nm)
{
    if (nm->code == PSN_QUERYCANCEL && !wz->cancelled &&
        (wz->job == JOB_APPLY || wz->job == JOB_UNDO)) {
        wz->cancel_pending = true;
        SendMessageW(dlg, WM_MS_REFRESH, (WPARAM)wz->job, 0);
        SetWindowLongPtrW(dlg, DWLP_MSGRESULT, TRUE);
        return true;
    }
    if (nm->code == PSN_QUERYCANCEL && (wz->job == JOB_SEND || wz->job == JOB_CHECK))
        InterlockedExchange((volatile LONG *)&wz->send_cancel, 1);
    if (nm->code == PSN_WIZFINISH)
        wz->finished = true;
    return false;
}

typedef struct page_def {
    int id;
    DLGPROC proc;
    UINT title, sub; /* 0 for exterior pages */
} page_def;

static const page_def main_pages[] = {
    {IDD_WELCOME, welcome_proc, 0, 0},
    {IDD_PROGRAMS, programs_proc, IDS_PROGRAMS_TITLE, IDS_PROGRAMS_SUB},
    {IDD_PASSWORD, password_proc, IDS_PASSWORD_TITLE, IDS_PASSWORD_SUB},
    {IDD_CHANGES, changes_proc, IDS_CHANGES_TITLE, IDS_CHANGES_SUB},
    {IDD_APPLY, apply_proc, IDS_APPLY_TITLE, IDS_APPLY_SUB},
    {IDD_TEST, test_proc, IDS_TEST_TITLE, IDS_TEST_SUB},
    {IDD_MANUAL, manual_proc, IDS_MANUAL_TITLE, IDS_MANUAL_SUB},
    {IDD_FINISH, finish_proc, 0, 0},
};

static const page_def undo_pages[] = {
    {IDD_UNDO, undo_proc, IDS_UNDO_TITLE, IDS_UNDO_SUB},
    {IDD_UNDO_DONE, undo_done_proc, 0, 0},
};

/* The last apply was interrupted: offered to undo it before anything else. */
static const page_def interrupted_pages[] = {
    {IDD_UNDO, undo_proc, IDS_INTERRUPTED_TITLE, IDS_INTERRUPTED_SUB},
    {IDD_UNDO_DONE, undo_done_proc, 0, 0},
};

int ms_ui_take_options(int argc, char **argv, ms_ui_options *opt, const char **bad)
{
    memset(opt, 0, sizeof *opt);
    (void)bad; /* only the test-hook build's options can be bad */
    int out = 1, i = 1;
    /* Only before the verb: a verb's own options (test-send --ca-file) stay. */
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--undo") == 0) {
            opt->undo = true;
#ifdef MS_TEST_HOOKS
        } else if (strcmp(a, "--test-server") == 0 || strcmp(a, "--ca-file") == 0) {
            if (i + 1 >= argc || (a[2] == 't' && !strchr(argv[i + 1], ':'))) {
                *bad = a;
                return -1;
            }
            if (a[2] == 't')
                opt->test_server = argv[++i];
            else
                opt->ca_file = argv[++i];
#endif
        } else if ((strcmp(a, "--lang") == 0 || strcmp(a, "--profile") == 0) && i + 1 < argc) {
            argv[out++] = argv[i++];
            argv[out++] = argv[i];
        } else {
            break;
        }
    }
    for (; i < argc; i++)
        argv[out++] = argv[i];
    argv[out] = NULL;
    return out;
}

static void message_box(const ms_wizard *wz, UINT ids)
{
    wchar_t text[1024], title[128];
    MessageBoxW(NULL, res_string(wz, ids, text, 1024), res_string(wz, IDS_APP_TITLE, title, 128),
                MB_OK | MB_ICONERROR);
}

int ms_ui_run(HINSTANCE inst, const ms_cli *cli, const ms_ui_options *opt)
{
    INITCOMMONCONTROLSEX icc = {sizeof icc, ICC_WIN95_CLASSES | ICC_PROGRESS_CLASS};
    InitCommonControlsEx(&icc);

    ms_wizard *wz = calloc(1, sizeof *wz);
    if (!wz)
        return MS_EXIT_FAILURE;
    wz->cli = cli;
    wz->opt = opt;
    wz->inst = inst;
    wz->lang = cli->lang;
    wz->langid = lang_id(cli->lang);
    wz->pw_current = -1;
    strbuf_init(&wz->backup_dir);

    int rc = profile_res_load(cli, &wz->prof);
    if (rc != MS_EXIT_OK) {
        message_box(wz, IDS_ERR_PROFILE);
        free(wz);
        return rc;
    }

    WNDCLASSW wc = {0};
    wc.lpfnWndProc = msg_proc;
    wc.hInstance = inst;
    wc.lpszClassName = L"mailsetup.wizard.worker";
    RegisterClassW(&wc);
    wz->msgwnd =
        CreateWindowW(wc.lpszClassName, L"", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, inst, NULL);
    SetWindowLongPtrW(wz->msgwnd, GWLP_USERDATA, (LONG_PTR)wz);

    NONCLIENTMETRICSW ncm = {0};
    ncm.cbSize = sizeof ncm;
    if (SystemParametersInfoW(SPI_GETNONCLIENTMETRICS, sizeof ncm, &ncm, 0)) {
        ncm.lfMessageFont.lfWeight = FW_BOLD;
        ncm.lfMessageFont.lfHeight = ncm.lfMessageFont.lfHeight * 3 / 2;
        wz->title_font = CreateFontIndirectW(&ncm.lfMessageFont);
        ncm.lfMessageFont.lfFaceName[0] = L'\0';
        wcscpy(ncm.lfMessageFont.lfFaceName, L"Courier New");
        wz->code_font = CreateFontIndirectW(&ncm.lfMessageFont);
    }
    COLORREF accent = RGB(0x1f, 0x5f, 0xa8);
    if (wz->prof->branding.has_accent) {
        uint32_t c = wz->prof->branding.accent_rgb;
        accent = RGB((c >> 16) & 0xff, (c >> 8) & 0xff, c & 0xff);
    }
    HBITMAP watermark = ms_art_watermark(accent), header = ms_art_header(accent);

    /* An interrupted run (killed, a power cut) is offered for undo before
     * the scan (engine_interrupted also removes its temporary files). */
    if (!opt->undo && may_have_backups() && ensure_env(wz)) {
        strbuf d;
        strbuf_init(&d);
        ms_error ierr;
        bool intr = false;
        if (env_win32_last_backup_dir(&wz->env, &d, &ierr) == MS_OK &&
            engine_interrupted(&wz->env.env, d.buf, &intr, &ierr) == MS_OK)
            wz->interrupted = intr;
        strbuf_free(&d);
    }
    bool undo_only = opt->undo || wz->interrupted;
    const page_def *defs = wz->interrupted ? interrupted_pages
                           : opt->undo     ? undo_pages
                                           : main_pages;
    size_t n = undo_only ? sizeof undo_pages / sizeof undo_pages[0]
                         : sizeof main_pages / sizeof main_pages[0];
    HPROPSHEETPAGE pages[sizeof main_pages / sizeof main_pages[0]];
    size_t made = 0;
    for (size_t i = 0; i < n; i++) {
        int slot = defs[i].id - IDD_WELCOME;
        PROPSHEETPAGEW page = {0};
        page.dwSize = sizeof page;
        page.dwFlags = PSP_DLGINDIRECT;
        page.hInstance = inst;
        page.pResource = res_dialog(wz, (UINT)defs[i].id);
        page.pfnDlgProc = defs[i].proc;
        page.lParam = (LPARAM)wz;
        if (defs[i].title) {
            res_string(wz, defs[i].title, wz->head_title[slot], 128);
            res_string(wz, defs[i].sub, wz->head_sub[slot], 256);
            page.dwFlags |= PSP_USEHEADERTITLE | PSP_USEHEADERSUBTITLE;
            page.pszHeaderTitle = wz->head_title[slot];
            page.pszHeaderSubTitle = wz->head_sub[slot];
        } else {
            res_string(wz,
                       defs[i].id == IDD_FINISH    ? IDS_FINISH_TITLE
                       : defs[i].id == IDD_WELCOME ? IDS_WELCOME_TITLE
                                                   : IDS_UNDO_DONE_TITLE,
                       wz->head_title[slot], 128);
            page.dwFlags |= PSP_HIDEHEADER;
        }
        if (page.pResource && (pages[made] = CreatePropertySheetPageW(&page)) != NULL)
            made++;
    }
    if (made != n) {
        message_box(wz, IDS_ERR_START);
        rc = MS_EXIT_FAILURE;
    } else {
        wchar_t title[128];
        res_string(wz, IDS_APP_TITLE, title, sizeof title / sizeof title[0]);
        PROPSHEETHEADERW psh = {0};
        psh.dwSize = sizeof psh;
        psh.dwFlags = PSH_WIZARD97 | PSH_WATERMARK | PSH_HEADER | PSH_USEHBMWATERMARK |
                      PSH_USEHBMHEADER | PSH_USECALLBACK;
        psh.hInstance = inst;
        psh.pszCaption = title;
        psh.nPages = (UINT)made;
        psh.phpage = pages;
        psh.hbmWatermark = watermark;
        psh.hbmHeader = header;
        psh.pfnCallback = sheet_callback;
        g_wz = wz;
        INT_PTR r = PropertySheetW(&psh);
        rc = r < 0 ? MS_EXIT_FAILURE : wz->finished ? MS_EXIT_OK : MS_EXIT_FAILURE;
    }
    if (wz->worker) {
        /* A test send still waiting for a slow server holds no state worth
         * keeping; do not wait for libcurl's timeout with no window. */
        if (WaitForSingleObject(wz->worker, 3000) == WAIT_TIMEOUT)
            ExitProcess((UINT)rc);
        CloseHandle(wz->worker);
    }
    wipe_passwords(wz);
    free_scan(wz);
    free(wz->programs_msg.buf);
    if (wz->env_ok)
        env_win32_close(&wz->env);
    profile_free(wz->prof);
    strbuf_free(&wz->backup_dir);
    DestroyWindow(wz->msgwnd);
    DeleteObject(watermark);
    DeleteObject(header);
    if (wz->title_font)
        DeleteObject(wz->title_font);
    if (wz->code_font)
        DeleteObject(wz->code_font);
    free(wz);
    g_wz = NULL;
    return rc;
}
