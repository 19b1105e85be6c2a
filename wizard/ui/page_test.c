/* page_test: page 6, test send: one message per changed account, with why one failed. */
#include "wizard_int.h"

#include <stdio.h>
#include <stdlib.h>

/* The result column of plan item i into res (256): sent, its helpdesk
 * code, sending, waiting or skipped. */
static void send_state(const ms_wizard *wz, size_t i, wchar_t *res)
{
    if (wz->send[i] == SUPPORT_SEND_OK) {
        res_string(wz, IDS_SEND_OK, res, 256);
    } else if (wz->send[i] == SUPPORT_SEND_FAILED) {
        wchar_t *code = helpdesk_code_w(wz->send_err[i].code);
        _snwprintf(res, 256, L"%ls", code ? code : L"");
        res[255] = L'\0';
        free(code);
    } else if (wz->job == JOB_SEND && wz->sending_index == (int)i) {
        res_string(wz, IDS_SENDING, res, 256);
    } else if (wz->job == JOB_SEND) {
        res_string(wz, IDS_SEND_WAITING, res, 256);
    } else {
        res_string(wz, IDS_SEND_SKIPPED, res, 256);
    }
}

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
        send_state(wz, i, res);
        if (wz->send[i] == SUPPORT_SEND_FAILED) {
            any_failed = true;
            wt_account_error(&diag, wz, it->account, &wz->send_err[i]);
            wt_add(&diag, L"\r\n\r\n");
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

INT_PTR CALLBACK test_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp)
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
        switch (page_notify(dlg, wz, (NMHDR *)lp, IDD_TEST)) {
        case 0:
            return TRUE;
        case PSN_SETACTIVE:
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
