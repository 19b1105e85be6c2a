/* floor: what the first window of tests/bench/startup.sh cannot go below
 * under Wine, built like minimal.c but with mailsetup.exe's manifest
 * (resources/mailsetup.manifest: Common Controls 6.0, DPI awareness), so it
 * pays what every themed Win32 program pays and nothing of mailsetup's:
 *
 *   floor-dialog.exe  a dialog with one push button: themed controls make
 *                     the loader bring comctl32 v6 (and, under Wine, what it
 *                     pulls in) before the first window;
 *   floor-sheet.exe   (MS_FLOOR_SHEET) an empty Wizard97 property sheet
 *                     with one blank page: no text, no bitmaps, no fonts.
 *
 * With --version both write one line and exit, like minimal.exe. */
#include <windows.h>
#include <commctrl.h>
#include <prsht.h>

#include <string.h>

static INT_PTR CALLBACK dialog_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp)
{
    (void)lp;
    if (msg == WM_INITDIALOG)
        return TRUE;
    if (msg == WM_COMMAND && (LOWORD(wp) == IDCANCEL || LOWORD(wp) == IDOK)) {
        EndDialog(dlg, 0);
        return TRUE;
    }
    return FALSE;
}

#ifdef MS_FLOOR_SHEET
static int show(HINSTANCE inst)
{
    /* A blank page template: no controls, no font, no title. */
    static const struct {
        DLGTEMPLATE t;
        WORD menu, cls, title;
    } page_tpl = {{WS_CHILD | WS_VISIBLE | WS_DISABLED, 0, 0, 0, 0, 317, 143}, 0, 0, 0};
    PROPSHEETPAGEW page;
    memset(&page, 0, sizeof page);
    page.dwSize = sizeof page;
    page.dwFlags = PSP_DLGINDIRECT | PSP_HIDEHEADER;
    page.hInstance = inst;
    page.pResource = &page_tpl.t;
    page.pfnDlgProc = dialog_proc;
    HPROPSHEETPAGE h = CreatePropertySheetPageW(&page);
    if (!h)
        return 1;
    PROPSHEETHEADERW sheet;
    memset(&sheet, 0, sizeof sheet);
    sheet.dwSize = sizeof sheet;
    sheet.dwFlags = PSH_WIZARD97;
    sheet.hInstance = inst;
    sheet.pszCaption = L"floor";
    sheet.nPages = 1;
    sheet.phpage = &h;
    return PropertySheetW(&sheet) < 0;
}
#else
static int show(HINSTANCE inst)
{
    /* Dialog 100 of floor.rc: the system font, one push button. */
    return DialogBoxParamW(inst, MAKEINTRESOURCEW(100), NULL, dialog_proc, 0) < 0;
}
#endif

int WINAPI wWinMain(HINSTANCE inst, HINSTANCE prev, PWSTR cmdline, int show_cmd)
{
    (void)prev;
    (void)show_cmd;
    if (cmdline && wcscmp(cmdline, L"--version") == 0) {
        static const char line[] = "floor 1\n";
        DWORD done = 0;
        WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), line, (DWORD)(sizeof line - 1), &done, NULL);
        return 0;
    }
    return show(inst);
}
