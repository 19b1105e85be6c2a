/* page_apply: page 5, applying: the change on the worker, then what it did per account. */
#include "wizard_int.h"

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
    set_text8(dlg, IDC_BACKUP, wz->backup_dir.len ? wz->backup_dir.buf : NULL);
    if (!wz->applied) {
        wt_error_fmt(&t, wz, IDS_APPLY_FAILED_FMT, &wz->apply_err);
        wt_set(dlg, IDC_STATUS, &t);
        set_buttons(wz, PSWIZB_BACK);
        return;
    }
    set_res(dlg, IDC_STATUS, wz, IDS_APPLY_DONE);
    wchar_t out[128];
    for (size_t i = 0; i < wz->scan->plan->count; i++) {
        const engine_result *r = &wz->results[i];
        if (r->outcome == ENGINE_SKIPPED)
            continue;
        UINT ids = r->outcome == ENGINE_CHANGED  ? IDS_OUT_CHANGED
                   : r->outcome == ENGINE_ADDED  ? IDS_OUT_ADDED
                   : r->outcome == ENGINE_FAILED ? IDS_OUT_FAILED
                                                 : IDS_OUT_ROLLED_BACK;
        wt_account_head(&t, wz, wz->scan->plan->items[i].account);
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

INT_PTR CALLBACK apply_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp)
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
        switch (page_notify(dlg, wz, (NMHDR *)lp, IDD_APPLY)) {
        case 0:
            return TRUE;
        case PSN_SETACTIVE:
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
