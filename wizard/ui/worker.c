/* worker.c: scan, apply, test send, pre-flight check and undo run on a
 * worker thread, one job at a time, that posts WM_MS_DONE to a message-only
 * window; the window never waits on them and passes what happened on to
 * the current page (WM_MS_REFRESH). */
#include "wizard_int.h"

#include <stdlib.h>
#include <string.h>

#include "smtp_send.h"
#include "tlsup_net.h"
#include "utf.h"

static DWORD WINAPI worker_main(LPVOID arg);

bool start_job(ms_wizard *wz, job_kind kind)
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

void wipe_passwords(ms_wizard *wz)
{
    for (size_t i = 0; wz->pw && wz->scan && i < wz->scan->plan->count; i++) {
        if (wz->pw[i]) {
            SecureZeroMemory(wz->pw[i], wcslen(wz->pw[i]) * sizeof(wchar_t));
            free(wz->pw[i]);
            wz->pw[i] = NULL;
        }
    }
}

void free_scan(ms_wizard *wz)
{
    if (wz->scan) {
        wipe_passwords(wz);
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
bool ensure_env(ms_wizard *wz)
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
bool may_have_backups(void)
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
    if (wz->apply_rc != MS_OK)
        return;
    wz->apply_rc = engine_apply(&wz->env.env, wz->scan, wz->selected, env_win32_running, NULL,
                                wz->backup_dir.buf, &wz->results, &wz->apply_err);
}

static void job_undo(ms_wizard *wz)
{
    wz->undo_rc = MS_OK;
    if (!wz->backup_dir.len)
        wz->undo_rc = env_win32_last_backup_dir(&wz->env, &wz->backup_dir, &wz->undo_err);
    if (wz->undo_rc != MS_OK)
        return;
    wz->undo_rc = engine_undo(&wz->env.env, wz->backup_dir.buf, &wz->undo_err);
    if (wz->undo_rc != MS_OK)
        return;
    wz->undo_rc = env_win32_mark_undone(wz->backup_dir.buf, &wz->undo_err);
}

/* Should plan item i get a test message? Selected and changed, or already
 * right; not yet sent successfully. */
bool wants_send(const ms_wizard *wz, size_t i)
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

/* The user name the outgoing server wants for acct, or NULL (no AUTH). */
static const char *send_user(const ms_account *acct)
{
    return acct->smtp_auth == MS_AUTH_SAME_AS_INCOMING ? acct->incoming_user
           : acct->smtp_auth == MS_AUTH_NONE           ? NULL
                                                       : acct->smtp_user;
}

#ifdef MS_TEST_HOOKS
/* --test-server / --ca-file: the ISP's host name and certificate stay; only
 * the address and port the connection goes to change. resolve keeps the
 * curl resolve entry that *entry points to. */
static void send_test_hooks(const ms_wizard *wz, const ms_account *acct, smtp_send_req *q,
                            strbuf *resolve, const char **entry)
{
    q->ca_file = wz->opt->ca_file;
    const char *colon = wz->opt->test_server ? strrchr(wz->opt->test_server, ':') : NULL;
    if (!colon)
        return;
    q->port = (unsigned)strtoul(colon + 1, NULL, 10);
    strbuf_addf(resolve, "%s:%u:%.*s", acct->smtp_host ? acct->smtp_host : "", q->port,
                (int)(colon - wz->opt->test_server), wz->opt->test_server);
    *entry = resolve->buf;
    q->resolve = entry;
    q->n_resolve = 1;
}
#endif

/* The test send of plan item i with its new settings; check: the
 * pre-flight instead (log on, send nothing). */
static ms_code send_one(ms_wizard *wz, size_t i, bool check, ms_error *err)
{
    const plan_item *it = &wz->scan->plan->items[i];
    ms_account acct = {0};
    char *password = NULL;
    strbuf resolve;
    strbuf_init(&resolve);
    smtp_send_result res;
    smtp_send_result_init(&res);
    ms_code rc = plan_expected_account(it->account, it->changes, it->n_changes, &acct, err);
    if (rc != MS_OK)
        goto out;
    const char *user = send_user(&acct);
    password = wz->pw[i] ? ms_wide_to_utf8(wz->pw[i]) : NULL;
    if (user && !password) {
        rc = ms_fail(err, MS_ERR_SEND_NO_PASSWORD, "%s", acct.email ? acct.email : "");
        goto out;
    }
    smtp_send_req q = {0};
    q.host = acct.smtp_host;
    q.port = acct.smtp_port;
    q.security = acct.smtp_security;
    q.user = user;
    q.password = password;
    q.from = acct.email;
    q.check_only = check;
#ifdef MS_TEST_HOOKS
    const char *entry = NULL;
    send_test_hooks(wz, &acct, &q, &resolve, &entry);
#endif
    rc = smtp_send_run(&q, &res, &wz->send_cancel);
    if (rc != MS_OK)
        *err = res.err;
out:
    smtp_send_result_free(&res);
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

/* Tells the current page what changed (WM_MS_REFRESH with wp, lp). */
static void refresh_page(const ms_wizard *wz, WPARAM wp, LPARAM lp)
{
    HWND page = PropSheet_GetCurrentPageHwnd(wz->sheet);
    if (page)
        SendMessageW(page, WM_MS_REFRESH, wp, lp);
}

static void after_send(ms_wizard *wz)
{
    wz->sent = true;
    wz->auth_failed = false;
    for (size_t i = 0; i < wz->scan->plan->count; i++)
        if (wz->send[i] == SUPPORT_SEND_FAILED && wz->send_err[i].code == MS_ERR_SEND_AUTH)
            wz->auth_failed = true;
    wipe_passwords(wz);
}

/* WM_MS_DONE: the worker has ended job `kind`; keeps what it found and
 * shows it on the current page (or closes, when Cancel waited for it). */
static void job_done(ms_wizard *wz, job_kind kind)
{
    WaitForSingleObject(wz->worker, INFINITE);
    CloseHandle(wz->worker);
    wz->worker = NULL;
    wz->job = JOB_NONE;
    if (kind == JOB_SCAN)
        after_scan(wz);
    else if (kind == JOB_APPLY)
        after_apply(wz);
    else if (kind == JOB_SEND)
        after_send(wz);
    else if (kind == JOB_CHECK)
        wz->checked = true;
    else if (kind == JOB_UNDO) {
        wz->undone = wz->undo_rc == MS_OK;
        if (wz->cancel_pending) {
            wz->cancelled = true;
            PropSheet_PressButton(wz->sheet, PSBTN_CANCEL);
            return;
        }
    }
    refresh_page(wz, (WPARAM)kind, 0);
}

LRESULT CALLBACK msg_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    ms_wizard *wz = (ms_wizard *)GetWindowLongPtrW(hwnd, GWLP_USERDATA);
    if (!wz)
        return DefWindowProcW(hwnd, msg, wp, lp);
    switch (msg) {
    case WM_TIMER:
        if (wp != TIMER_SCAN)
            break;
        KillTimer(hwnd, TIMER_SCAN);
        if (!wz->scan && start_job(wz, JOB_SCAN))
            refresh_page(wz, JOB_SCAN, 0);
        return 0;
    case WM_MS_DONE:
        job_done(wz, (job_kind)wp);
        return 0;
    case WM_MS_REPAINT:
        /* Switching between interior and exterior pages leaves parts of the
         * old header band on some comctl32s (Wine's): paint it all anew. */
        RedrawWindow(wz->sheet, NULL, NULL, RDW_INVALIDATE | RDW_ERASE | RDW_ALLCHILDREN);
        return 0;
    case WM_MS_SENT_ONE:
        wz->sending_index = lp ? (int)wp : -1;
        refresh_page(wz, JOB_SEND, (LPARAM)wp + 1);
        return 0;
    }
    return DefWindowProcW(hwnd, msg, wp, lp);
}

bool any_selected(const ms_wizard *wz)
{
    for (size_t i = 0; wz->scan && i < wz->scan->plan->count; i++)
        if (wz->selected[i])
            return true;
    return false;
}
