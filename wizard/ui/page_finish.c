/* page_finish: page 7, finish: the outcome, the support code, the report, and undo. */
#include "wizard_int.h"

#include <shellapi.h>
#include <stdlib.h>
#include <string.h>

#include "ms_version.h"
#include "platform.h"
#include "utf.h"

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

/* Puts text on the clipboard (the clipboard owns the memory once taken). */
static void clipboard_put(HWND dlg, const wchar_t *text)
{
    size_t bytes = (wcslen(text) + 1) * sizeof *text;
    HGLOBAL g = GlobalAlloc(GMEM_MOVEABLE, bytes);
    void *p = g ? GlobalLock(g) : NULL;
    if (!p)
        goto out;
    memcpy(p, text, bytes);
    GlobalUnlock(g);
    if (!OpenClipboard(dlg))
        goto out;
    EmptyClipboard();
    if (SetClipboardData(CF_UNICODETEXT, g))
        g = NULL;
    CloseClipboard();
out:
    if (g)
        GlobalFree(g);
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
    clipboard_put(dlg, w);
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
    set_text8(dlg, IDC_CODE, code.buf);
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

static void open_report(HWND dlg, const ms_wizard *wz)
{
    char *log = write_report(wz);
    wchar_t *w = log ? ms_utf8_to_wide(log) : NULL;
    if (w)
        ShellExecuteW(dlg, L"open", L"notepad.exe", w, NULL, SW_SHOWNORMAL);
    free(w);
    free(log);
}

/* [元に戻す]: asks first, then restores the backup on the worker. */
static void ask_undo(HWND dlg, ms_wizard *wz)
{
    wchar_t q[512], title[128];
    res_string(wz, IDS_UNDO_CONFIRM, q, 512);
    res_string(wz, IDS_APP_TITLE, title, 128);
    if (MessageBoxW(wz->sheet, q, title, MB_YESNO | MB_ICONQUESTION | MB_DEFBUTTON2) == IDYES &&
        start_job(wz, JOB_UNDO)) {
        set_res(dlg, IDC_SUPPORT, wz, IDS_UNDOING);
        EnableWindow(GetDlgItem(dlg, IDC_UNDO), FALSE);
    }
}

static INT_PTR finish_command(HWND dlg, ms_wizard *wz, WPARAM wp)
{
    switch (LOWORD(wp)) {
    case IDC_OPEN_LOG:
        open_report(dlg, wz);
        return TRUE;
    case IDC_COPY_REPORT:
        copy_report(dlg, wz);
        return TRUE;
    case IDC_UNDO:
        ask_undo(dlg, wz);
        return TRUE;
    }
    return FALSE;
}

static INT_PTR finish_notify(HWND dlg, ms_wizard *wz, const NMHDR *nm)
{
    switch (page_notify(dlg, wz, nm, IDD_FINISH)) {
    case 0:
        return TRUE;
    case PSN_SETACTIVE:
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
    return FALSE;
}

INT_PTR CALLBACK finish_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp)
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
            wt_undo_outcome(&t, wz);
            wt_set(dlg, IDC_SUPPORT, &t);
        }
        finish_fill(dlg, wz);
        return TRUE;
    case WM_COMMAND:
        return finish_command(dlg, wz, wp);
    case WM_NOTIFY:
        return finish_notify(dlg, wz, (NMHDR *)lp);
    }
    return FALSE;
}
