/* wizard: the Wizard97 property sheet. Each page's dialog procedure only
 * reacts to PSN_* notifications and shows what the core computed. Texts and
 * dialogs come from resources in the chosen language (found with
 * FindResourceEx, which works on XP, unlike SetThreadUILanguage). */
#include "ui.h"

#include <commctrl.h>
#include <stdio.h>
#include <stdlib.h>

#include "resource.h"

typedef struct ms_wizard {
    const ms_cli *cli;
    HINSTANCE inst;
    WORD langid;
    HFONT title_font;
} ms_wizard;

static WORD lang_id(ms_lang lang)
{
    return lang == MS_LANG_EN ? MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US)
                              : MAKELANGID(LANG_JAPANESE, SUBLANG_DEFAULT);
}

/* Loads string `id` in the wizard's language into buf (NUL-terminated). */
static void res_string(const ms_wizard *wz, UINT id, wchar_t *buf, size_t cch)
{
    buf[0] = L'\0';
    HRSRC r = FindResourceExW(wz->inst, (LPCWSTR)RT_STRING, MAKEINTRESOURCEW(id / 16 + 1),
                              wz->langid);
    if (!r)
        return;
    const WCHAR *p = LockResource(LoadResource(wz->inst, r));
    if (!p)
        return;
    for (UINT i = 0; i < (id & 15); i++)
        p += 1 + *p;
    size_t n = *p;
    if (n >= cch)
        n = cch - 1;
    memcpy(buf, p + 1, n * sizeof *buf);
    buf[n] = L'\0';
}

static LPCDLGTEMPLATEW res_dialog(const ms_wizard *wz, UINT id)
{
    HRSRC r = FindResourceExW(wz->inst, (LPCWSTR)RT_DIALOG, MAKEINTRESOURCEW(id), wz->langid);
    return r ? LockResource(LoadResource(wz->inst, r)) : NULL;
}

static void set_text(HWND dlg, int ctl, const ms_wizard *wz, UINT ids)
{
    wchar_t buf[2048];
    res_string(wz, ids, buf, sizeof buf / sizeof buf[0]);
    SetDlgItemTextW(dlg, ctl, buf);
}

static void set_step(HWND dlg, const ms_wizard *wz, int step, int total)
{
    wchar_t fmt[128], buf[160];
    res_string(wz, IDS_STEP_FMT, fmt, sizeof fmt / sizeof fmt[0]);
    _snwprintf(buf, sizeof buf / sizeof buf[0], fmt, step, total);
    buf[sizeof buf / sizeof buf[0] - 1] = L'\0';
    SetDlgItemTextW(dlg, IDC_STEP, buf);
}

static INT_PTR CALLBACK welcome_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp)
{
    (void)wp;
    ms_wizard *wz = (ms_wizard *)GetWindowLongPtrW(dlg, DWLP_USER);
    switch (msg) {
    case WM_INITDIALOG:
        wz = (ms_wizard *)((PROPSHEETPAGEW *)lp)->lParam;
        SetWindowLongPtrW(dlg, DWLP_USER, (LONG_PTR)wz);
        if (wz->title_font)
            SendDlgItemMessageW(dlg, IDC_TITLE, WM_SETFONT, (WPARAM)wz->title_font, TRUE);
        set_text(dlg, IDC_TITLE, wz, IDS_WELCOME_TITLE);
        set_text(dlg, IDC_BODY, wz, IDS_WELCOME_BODY);
        set_step(dlg, wz, 1, 7);
        return TRUE;
    case WM_NOTIFY:
        if (((NMHDR *)lp)->code == PSN_SETACTIVE) {
            PropSheet_SetWizButtons(GetParent(dlg), PSWIZB_NEXT);
            return TRUE;
        }
        break;
    }
    return FALSE;
}

int ms_ui_run(HINSTANCE inst, const ms_cli *cli)
{
    INITCOMMONCONTROLSEX icc = {sizeof icc, ICC_WIN95_CLASSES};
    InitCommonControlsEx(&icc);

    ms_wizard wz = {cli, inst, lang_id(cli->lang), NULL};
    NONCLIENTMETRICSW ncm = {0};
    ncm.cbSize = sizeof ncm;
    if (SystemParametersInfoW(SPI_GETNONCLIENTMETRICS, sizeof ncm, &ncm, 0)) {
        ncm.lfMessageFont.lfWeight = FW_BOLD;
        ncm.lfMessageFont.lfHeight = ncm.lfMessageFont.lfHeight * 3 / 2;
        wz.title_font = CreateFontIndirectW(&ncm.lfMessageFont);
    }

    PROPSHEETPAGEW page = {0};
    page.dwSize = sizeof page;
    page.dwFlags = PSP_DLGINDIRECT | PSP_HIDEHEADER;
    page.hInstance = inst;
    page.pResource = res_dialog(&wz, IDD_WELCOME);
    page.pfnDlgProc = welcome_proc;
    page.lParam = (LPARAM)&wz;
    HPROPSHEETPAGE pages[1] = {CreatePropertySheetPageW(&page)};

    wchar_t title[128];
    res_string(&wz, IDS_APP_TITLE, title, sizeof title / sizeof title[0]);
    PROPSHEETHEADERW psh = {0};
    psh.dwSize = sizeof psh;
    psh.dwFlags = PSH_WIZARD97;
    psh.hInstance = inst;
    psh.pszCaption = title;
    psh.nPages = 1;
    psh.phpage = pages;
    INT_PTR r = PropertySheetW(&psh);
    if (wz.title_font)
        DeleteObject(wz.title_font);
    return r < 0 ? MS_EXIT_FAILURE : MS_EXIT_OK;
}
