/* frame.c: what every page does the same way: the step it is, the sheet's
 * buttons, jumps between pages, its two-or-three-column lists, and Cancel
 * during an apply. */
#include "wizard_int.h"

#include <stdio.h>

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

void set_step(HWND dlg, const ms_wizard *wz, int page)
{
    wchar_t fmt[128], buf[160];
    res_string(wz, IDS_STEP_FMT, fmt, sizeof fmt / sizeof fmt[0]);
    _snwprintf(buf, sizeof buf / sizeof buf[0], fmt, step_of(wz, page), total_steps(wz));
    buf[sizeof buf / sizeof buf[0] - 1] = L'\0';
    SetDlgItemTextW(dlg, IDC_STEP, buf);
}

void set_buttons(const ms_wizard *wz, DWORD flags)
{
    PostMessageW(wz->msgwnd, WM_MS_REPAINT, 0, 0);
    PropSheet_SetWizButtons(wz->sheet, flags);
}

LRESULT page_result(HWND dlg, LONG_PTR r)
{
    SetWindowLongPtrW(dlg, DWLP_MSGRESULT, r);
    return TRUE;
}

/* Pages are made from in-memory templates (PSP_DLGINDIRECT, for the
 * language), so the sheet knows them by position, not by resource id:
 * jumps go by index. */
void go_to(ms_wizard *wz, int page)
{
    int first = wz->opt->undo ? IDD_UNDO : IDD_WELCOME;
    PostMessageW(wz->sheet, PSM_SETCURSEL, (WPARAM)(page - first), 0);
}

LRESULT jump(HWND dlg, ms_wizard *wz, int page)
{
    if (!page)
        return page_result(dlg, 0);
    go_to(wz, page);
    return page_result(dlg, -1);
}

/* The sheet, met through its first page (a page's parent is the sheet, and
 * its buttons exist before any page): the buttons in the wizard's
 * language, whatever Windows' is. The sheet's own callback would need a
 * global to find wz; the page has it from its lParam. */
static void sheet_init(ms_wizard *wz, HWND sheet)
{
    static const struct {
        int id;
        UINT ids;
    } buttons[] = {{ID_PSBACK, IDS_BTN_BACK},
                   {ID_PSNEXT, IDS_BTN_NEXT},
                   {ID_PSFINISH, IDS_BTN_FINISH},
                   {IDCANCEL, IDS_BTN_CANCEL}};
    wz->sheet = sheet;
    for (size_t i = 0; i < sizeof buttons / sizeof buttons[0]; i++) {
        wchar_t buf[64];
        SetDlgItemTextW(sheet, buttons[i].id,
                        res_string(wz, buttons[i].ids, buf, sizeof buf / sizeof buf[0]));
    }
    ShowWindow(GetDlgItem(sheet, IDHELP), SW_HIDE);
}

ms_wizard *page_init(HWND dlg, LPARAM lp, int page)
{
    ms_wizard *wz = (ms_wizard *)((PROPSHEETPAGEW *)lp)->lParam;
    SetWindowLongPtrW(dlg, DWLP_USER, (LONG_PTR)wz);
    if (!wz->sheet)
        sheet_init(wz, GetParent(dlg));
    /* The page's own window text is its title, so a screen reader and the
     * test driver can read which page is shown. */
    SetWindowTextW(dlg, wz->head_title[page - IDD_WELCOME]);
    if (wz->title_font && GetDlgItem(dlg, IDC_TITLE))
        SendDlgItemMessageW(dlg, IDC_TITLE, WM_SETFONT, (WPARAM)wz->title_font, TRUE);
    return wz;
}

ms_wizard *page_wz(HWND dlg)
{
    return (ms_wizard *)GetWindowLongPtrW(dlg, DWLP_USER);
}

/* Cancel is always possible; during an apply (or the undo that follows a
 * cancel) it waits for the work to end and then restores the backup:
 * closing during apply rolls back. PSN_QUERYCANCEL goes to the current
 * page, so every page asks this first. */
bool cancel_guard(HWND dlg, ms_wizard *wz, const NMHDR *nm)
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

UINT page_notify(HWND dlg, ms_wizard *wz, const NMHDR *nm, int page)
{
    if (cancel_guard(dlg, wz, nm))
        return 0;
    if (nm->code == PSN_SETACTIVE)
        set_step(dlg, wz, page);
    return nm->code;
}

void list_columns(HWND list, const ms_wizard *wz, const UINT *ids, const int *widths, int n)
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

int list_add(HWND list, int row, LPARAM data, const wchar_t *c0, const wchar_t *c1,
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
 * shows whole at any scaling. */
void list_fit_columns(HWND list, const ms_wizard *wz, UINT last_head)
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
