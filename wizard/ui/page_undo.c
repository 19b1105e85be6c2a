/* page_undo: the --undo pages (and an interrupted run's): which backup, then its
 * restore. */
#include "wizard_int.h"

#include <stdlib.h>

#include "utf.h"

void wt_undo_outcome(wtext *t, const ms_wizard *wz)
{
    if (wz->undone)
        wt_res(t, wz, IDS_UNDO_DONE);
    else
        wt_error_fmt(t, wz, IDS_UNDO_FAILED_FMT, &wz->undo_err);
}

/* The undo page: which backup would be restored (and why, after an
 * interrupted run), or that there is none. */
static void undo_show(HWND dlg, ms_wizard *wz)
{
    strbuf_reset(&wz->backup_dir);
    ms_error err;
    wtext t = {0};
    if (!ensure_env(wz) || env_win32_last_backup_dir(&wz->env, &wz->backup_dir, &err) != MS_OK) {
        strbuf_reset(&wz->backup_dir);
        wt_res(&t, wz, IDS_UNDO_NONE);
        set_buttons(wz, PSWIZB_FINISH);
        wt_set(dlg, IDC_BODY, &t);
        return;
    }
    wchar_t *w = ms_utf8_to_wide(wz->backup_dir.buf);
    if (wz->interrupted) {
        /* Named with its helpdesk code (T06), before any scan. */
        wchar_t *code = helpdesk_code_w(MS_ERR_RUN_INTERRUPTED);
        wt_addf(&t, wz, IDS_INTERRUPTED_BODY_FMT, w ? w : L"", code ? code : L"");
        free(code);
    } else {
        wt_addf(&t, wz, IDS_UNDO_BODY_FMT, w ? w : L"");
    }
    free(w);
    set_buttons(wz, PSWIZB_NEXT);
    wt_set(dlg, IDC_BODY, &t);
}

INT_PTR CALLBACK undo_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp)
{
    (void)wp;
    ms_wizard *wz = page_wz(dlg);
    switch (msg) {
    case WM_INITDIALOG:
        wz = page_init(dlg, lp, IDD_UNDO);
        return TRUE;
    case WM_NOTIFY:
        switch (page_notify(dlg, wz, (NMHDR *)lp, IDD_UNDO)) {
        case 0:
            return TRUE;
        case PSN_SETACTIVE:
            undo_show(dlg, wz);
            return page_result(dlg, 0);
        }
        break;
    }
    return FALSE;
}

INT_PTR CALLBACK undo_done_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp)
{
    (void)wp;
    ms_wizard *wz = page_wz(dlg);
    switch (msg) {
    case WM_INITDIALOG:
        wz = page_init(dlg, lp, IDD_UNDO_DONE);
        return TRUE;
    case WM_MS_REFRESH: {
        wtext t = {0};
        if (wz->undone)
            set_res(dlg, IDC_TITLE, wz, IDS_UNDO_DONE_TITLE);
        wt_undo_outcome(&t, wz);
        wt_add(&t, L"\r\n\r\n");
        wt_add8(&t, wz->backup_dir.buf);
        wt_set(dlg, IDC_BODY, &t);
        set_buttons(wz, PSWIZB_FINISH);
        return TRUE;
    }
    case WM_NOTIFY:
        switch (page_notify(dlg, wz, (NMHDR *)lp, IDD_UNDO_DONE)) {
        case 0:
            return TRUE;
        case PSN_SETACTIVE:
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
