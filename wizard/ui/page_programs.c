/* page_programs: page 2, programs: what the scan found, one row per account, ticked
 * where the plan would change it. */
#include "wizard_int.h"

#include <stdio.h>
#include <stdlib.h>

#include "utf.h"

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
        if (item.lParam >= 0 && (size_t)item.lParam < wz->scan->plan->count) {
            const plan_item *it = &wz->scan->plan->items[item.lParam];
            wt_account_head(&t, wz, it->account);
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

/* One row per account of program pr (or one row saying its scan failed);
 * returns the next row. */
static int programs_rows(HWND list, const ms_wizard *wz, const engine_program *pr, int row)
{
    const ms_scan *s = wz->scan;
    wchar_t name[128], acct[512], state[128];
    program_name(wz, pr->backend->program, name, 128);
    if (pr->scan_rc != MS_OK) {
        wchar_t *code = helpdesk_code_w(pr->scan_rc);
        wchar_t fmt[128];
        res_string(wz, IDS_PROGRAM_ERROR_FMT, fmt, 128);
        _snwprintf(state, 128, fmt, code ? code : L"");
        state[127] = L'\0';
        free(code);
        list_add(list, row++, -1, name, L"", state);
        return row;
    }
    for (size_t i = 0; i < s->plan->count; i++) {
        const plan_item *it = &s->plan->items[i];
        if (it->account->program != pr->backend->program)
            continue;
        account_label(it->account, acct, 512);
        if (it->account->read_error.code == MS_ERR_MANUAL_STEPS) {
            /* Found, but only the manual's steps change it (Eudora). */
            res_string(wz, IDS_PROGRAM_MANUAL, state, 128);
            list_add(list, row++, (LPARAM)i, name, L"", state);
            continue;
        }
        res_string(wz, state_short(it->status), state, 128);
        int at = list_add(list, row++, (LPARAM)i, name, acct, state);
        ListView_SetCheckState(list, at, wz->selected[i]);
    }
    return row;
}

/* The page's message and buttons once the list is filled; running: some
 * program with changes must be closed first. */
static void programs_verdict(wtext *t, ms_wizard *wz, bool running)
{
    const ms_scan *s = wz->scan;
    wchar_t isp[128];
    isp_name(wz, isp, 128);
    size_t isp_accounts = s->plan->count - plan_count(s->plan, PLAN_NOT_ISP);
    size_t wanted = plan_count(s->plan, PLAN_CHANGE) + plan_count(s->plan, PLAN_ADD_ACCOUNT);
    if (running) {
        set_buttons(wz, PSWIZB_BACK);
    } else if (!isp_accounts && any_by_hand(wz)) {
        /* Never "nothing to change" while a program must be set by hand. */
        wt_res(t, wz, IDS_BY_HAND_ONLY);
        set_buttons(wz, PSWIZB_BACK | PSWIZB_NEXT);
    } else if (!isp_accounts) {
        wt_addf(t, wz, IDS_NOTHING_FOUND, isp);
        set_buttons(wz, PSWIZB_BACK | PSWIZB_FINISH);
    } else if (!wanted && plan_count(s->plan, PLAN_MANUAL)) {
        /* Only steps by hand: Next shows them. */
        wt_addf(t, wz, IDS_ONLY_BY_HAND, isp);
        set_buttons(wz, PSWIZB_BACK | PSWIZB_NEXT);
    } else if (!wanted) {
        wt_addf(t, wz, IDS_ALL_DONE, isp);
        set_buttons(wz, PSWIZB_BACK | PSWIZB_FINISH);
    } else {
        wt_res(t, wz, IDS_SELECT_CHANGES);
        set_buttons(wz, PSWIZB_BACK | PSWIZB_NEXT);
    }
}

/* While the scan runs, or after it failed: the status alone; false then. */
static bool programs_scanned(HWND dlg, ms_wizard *wz)
{
    wtext t = {0};
    if (wz->job == JOB_SCAN || (!wz->scan && wz->scan_rc == MS_OK)) {
        wt_res(&t, wz, IDS_SCANNING);
        wt_set(dlg, IDC_STATUS, &t);
        EnableWindow(GetDlgItem(dlg, IDC_RETRY), FALSE);
        set_buttons(wz, PSWIZB_BACK);
        return false;
    }
    EnableWindow(GetDlgItem(dlg, IDC_RETRY), TRUE);
    if (!wz->scan) {
        wt_error_fmt(&t, wz, IDS_SCAN_FAILED_FMT, &wz->scan_err);
        wt_set(dlg, IDC_STATUS, &t);
        set_buttons(wz, PSWIZB_BACK);
        return false;
    }
    return true;
}

static void programs_fill(HWND dlg, ms_wizard *wz)
{
    HWND list = GetDlgItem(dlg, IDC_LIST);
    ListView_DeleteAllItems(list);
    if (!programs_scanned(dlg, wz))
        return;
    wtext t = {0};
    const ms_scan *s = wz->scan;
    int row = 0;
    bool running = false;
    for (size_t p = 0; p < s->n_programs; p++) {
        const engine_program *pr = &s->programs[p];
        row = programs_rows(list, wz, pr, row);
        if (program_running_with_changes(wz, pr)) {
            wchar_t name[128];
            program_name(wz, pr->backend->program, name, 128);
            if (running)
                wt_add(&t, L"\r\n");
            wt_addf(&t, wz, IDS_RUNNING_FMT, name);
            running = true;
        }
    }
    list_fit_columns(list, wz, IDS_COL_STATE);
    programs_verdict(&t, wz, running);
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

/* Whether a list notification changes a row's tick (not its selection). */
static bool tick_changes(const NMLISTVIEW *lv)
{
    return (lv->uChanged & LVIF_STATE) &&
           ((lv->uNewState ^ lv->uOldState) & LVIS_STATEIMAGEMASK) &&
           (lv->uOldState & LVIS_STATEIMAGEMASK);
}

/* The list's LVN_ITEMCHANGING / LVN_ITEMCHANGED: only accounts the plan
 * would change can be ticked; a tick selects the account, a selection
 * shows its sentence. */
static INT_PTR programs_list_notify(HWND dlg, ms_wizard *wz, const NMLISTVIEW *lv)
{
    if (lv->hdr.code == LVN_ITEMCHANGING) {
        if (!tick_changes(lv))
            return page_result(dlg, FALSE);
        if (lv->lParam < 0 || !wz->scan)
            return page_result(dlg, TRUE);
        plan_status st = wz->scan->plan->items[lv->lParam].status;
        return page_result(dlg, !(st == PLAN_CHANGE || st == PLAN_ADD_ACCOUNT));
    }
    if ((lv->uChanged & LVIF_STATE) && ((lv->uNewState ^ lv->uOldState) & LVIS_SELECTED))
        programs_detail(dlg, wz);
    if (tick_changes(lv) && lv->lParam >= 0 && wz->scan)
        wz->selected[lv->lParam] = ListView_GetCheckState(lv->hdr.hwndFrom, lv->iItem) != 0;
    return TRUE;
}

/* Next: to the manual page when there is only something to do by hand;
 * not without a selected account. */
static INT_PTR programs_next(HWND dlg, ms_wizard *wz)
{
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
}

static INT_PTR programs_notify(HWND dlg, ms_wizard *wz, NMHDR *nm)
{
    if (nm->idFrom == IDC_LIST && (nm->code == LVN_ITEMCHANGING || nm->code == LVN_ITEMCHANGED))
        return programs_list_notify(dlg, wz, (NMLISTVIEW *)nm);
    switch (page_notify(dlg, wz, nm, IDD_PROGRAMS)) {
    case 0:
        return TRUE;
    case PSN_SETACTIVE:
        programs_fill(dlg, wz);
        return page_result(dlg, 0);
    case PSN_WIZNEXT:
        return programs_next(dlg, wz);
    case PSN_WIZFINISH:
        return page_result(dlg, FALSE);
    }
    return FALSE;
}

INT_PTR CALLBACK programs_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp)
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
    case WM_NOTIFY:
        return programs_notify(dlg, wz, (NMHDR *)lp);
    }
    return FALSE;
}
