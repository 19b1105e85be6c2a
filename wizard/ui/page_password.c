/* page_password: page 3, password: typed per account for the pre-flight check and the
 * test send; kept in memory only and wiped after the test send. */
#include "wizard_int.h"

#include <stdlib.h>
#include <wchar.h>

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

INT_PTR CALLBACK password_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp)
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
        switch (page_notify(dlg, wz, (NMHDR *)lp, IDD_PASSWORD)) {
        case 0:
            return TRUE;
        case PSN_SETACTIVE:
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
