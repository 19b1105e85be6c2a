/* wizard: the Wizard97 property sheet. One shared state (ms_wizard) reaches
 * every page through PROPSHEETPAGE.lParam; each page's dialog procedure
 * (page_*.c) reacts to PSN_* notifications and shows what the core computed
 * (scan, plan, apply results, diagnosis). Scan, apply, test send and undo
 * run on a worker thread (worker.c). This file holds the page tables and
 * makes the sheet. */
#include "wizard_int.h"

#include <stdlib.h>
#include <string.h>

#include "profile_res.h"

typedef struct page_def {
    int id;
    DLGPROC proc;
    UINT title, sub; /* 0 for exterior pages */
} page_def;

static const page_def main_pages[] = {
    {IDD_WELCOME, welcome_proc, 0, 0},
    {IDD_PROGRAMS, programs_proc, IDS_PROGRAMS_TITLE, IDS_PROGRAMS_SUB},
    {IDD_PASSWORD, password_proc, IDS_PASSWORD_TITLE, IDS_PASSWORD_SUB},
    {IDD_CHANGES, changes_proc, IDS_CHANGES_TITLE, IDS_CHANGES_SUB},
    {IDD_APPLY, apply_proc, IDS_APPLY_TITLE, IDS_APPLY_SUB},
    {IDD_TEST, test_proc, IDS_TEST_TITLE, IDS_TEST_SUB},
    {IDD_MANUAL, manual_proc, IDS_MANUAL_TITLE, IDS_MANUAL_SUB},
    {IDD_FINISH, finish_proc, 0, 0},
};

static const page_def undo_pages[] = {
    {IDD_UNDO, undo_proc, IDS_UNDO_TITLE, IDS_UNDO_SUB},
    {IDD_UNDO_DONE, undo_done_proc, 0, 0},
};

/* The last apply was interrupted: offered to undo it before anything else. */
static const page_def interrupted_pages[] = {
    {IDD_UNDO, undo_proc, IDS_INTERRUPTED_TITLE, IDS_INTERRUPTED_SUB},
    {IDD_UNDO_DONE, undo_done_proc, 0, 0},
};

#define MAX_PAGES (sizeof main_pages / sizeof main_pages[0])

int ms_ui_take_options(int argc, char **argv, ms_ui_options *opt, const char **bad)
{
    memset(opt, 0, sizeof *opt);
    (void)bad; /* only the test-hook build's options can be bad */
    int out = 1, i = 1;
    /* Only before the verb: a verb's own options (test-send --ca-file) stay. */
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--undo") == 0) {
            opt->undo = true;
#ifdef MS_TEST_HOOKS
        } else if (strcmp(a, "--test-server") == 0 || strcmp(a, "--ca-file") == 0) {
            if (i + 1 >= argc || (a[2] == 't' && !strchr(argv[i + 1], ':'))) {
                *bad = a;
                return -1;
            }
            if (a[2] == 't')
                opt->test_server = argv[++i];
            else
                opt->ca_file = argv[++i];
#endif
        } else if ((strcmp(a, "--lang") == 0 || strcmp(a, "--profile") == 0) && i + 1 < argc) {
            argv[out++] = argv[i++];
            argv[out++] = argv[i];
        } else {
            break;
        }
    }
    for (; i < argc; i++)
        argv[out++] = argv[i];
    argv[out] = NULL;
    return out;
}

static void message_box(const ms_wizard *wz, UINT ids)
{
    wchar_t text[1024], title[128];
    MessageBoxW(NULL, res_string(wz, ids, text, 1024), res_string(wz, IDS_APP_TITLE, title, 128),
                MB_OK | MB_ICONERROR);
}

/* What the sheet draws with: the title and code fonts, and the Wizard97
 * bitmaps in the ISP's accent colour. */
typedef struct sheet_art {
    HBITMAP watermark, header;
} sheet_art;

static void make_fonts(ms_wizard *wz)
{
    NONCLIENTMETRICSW ncm = {0};
    ncm.cbSize = sizeof ncm;
    if (!SystemParametersInfoW(SPI_GETNONCLIENTMETRICS, sizeof ncm, &ncm, 0))
        return;
    ncm.lfMessageFont.lfWeight = FW_BOLD;
    ncm.lfMessageFont.lfHeight = ncm.lfMessageFont.lfHeight * 3 / 2;
    wz->title_font = CreateFontIndirectW(&ncm.lfMessageFont);
    ncm.lfMessageFont.lfFaceName[0] = L'\0';
    wcscpy(ncm.lfMessageFont.lfFaceName, L"Courier New");
    wz->code_font = CreateFontIndirectW(&ncm.lfMessageFont);
}

static void make_art(const ms_wizard *wz, sheet_art *art)
{
    COLORREF accent = RGB(0x1f, 0x5f, 0xa8);
    if (wz->prof->branding.has_accent) {
        uint32_t c = wz->prof->branding.accent_rgb;
        accent = RGB((c >> 16) & 0xff, (c >> 8) & 0xff, c & 0xff);
    }
    art->watermark = ms_art_watermark(accent);
    art->header = ms_art_header(accent);
}

/* The message-only window the worker reports to (worker.c's msg_proc). */
static void make_msgwnd(ms_wizard *wz)
{
    WNDCLASSW wc = {0};
    wc.lpfnWndProc = msg_proc;
    wc.hInstance = wz->inst;
    wc.lpszClassName = L"mailsetup.wizard.worker";
    RegisterClassW(&wc);
    wz->msgwnd =
        CreateWindowW(wc.lpszClassName, L"", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, wz->inst, NULL);
    SetWindowLongPtrW(wz->msgwnd, GWLP_USERDATA, (LONG_PTR)wz);
}

/* An interrupted run (killed, a power cut) is offered for undo before
 * the scan (engine_interrupted also removes its temporary files). */
static void check_interrupted(ms_wizard *wz)
{
    if (wz->opt->undo || !may_have_backups() || !ensure_env(wz))
        return;
    strbuf d;
    strbuf_init(&d);
    ms_error ierr;
    bool intr = false;
    if (env_win32_last_backup_dir(&wz->env, &d, &ierr) == MS_OK &&
        engine_interrupted(&wz->env.env, d.buf, &intr, &ierr) == MS_OK)
        wz->interrupted = intr;
    strbuf_free(&d);
}

/* Makes the sheet's page for def (NULL if its template is missing). */
static HPROPSHEETPAGE make_page(ms_wizard *wz, const page_def *def)
{
    int slot = def->id - IDD_WELCOME;
    PROPSHEETPAGEW page = {0};
    page.dwSize = sizeof page;
    page.dwFlags = PSP_DLGINDIRECT;
    page.hInstance = wz->inst;
    page.pResource = res_dialog(wz, (UINT)def->id);
    page.pfnDlgProc = def->proc;
    page.lParam = (LPARAM)wz;
    if (def->title) {
        res_string(wz, def->title, wz->head_title[slot], 128);
        res_string(wz, def->sub, wz->head_sub[slot], 256);
        page.dwFlags |= PSP_USEHEADERTITLE | PSP_USEHEADERSUBTITLE;
        page.pszHeaderTitle = wz->head_title[slot];
        page.pszHeaderSubTitle = wz->head_sub[slot];
    } else {
        res_string(wz,
                   def->id == IDD_FINISH    ? IDS_FINISH_TITLE
                   : def->id == IDD_WELCOME ? IDS_WELCOME_TITLE
                                            : IDS_UNDO_DONE_TITLE,
                   wz->head_title[slot], 128);
        page.dwFlags |= PSP_HIDEHEADER;
    }
    return page.pResource ? CreatePropertySheetPageW(&page) : NULL;
}

/* Makes the pages this run shows into pages[]; returns how many there
 * should be, *made how many were made. */
static size_t make_pages(ms_wizard *wz, HPROPSHEETPAGE *pages, size_t *made)
{
    bool undo_only = wz->opt->undo || wz->interrupted;
    const page_def *defs = wz->interrupted ? interrupted_pages
                           : wz->opt->undo ? undo_pages
                                           : main_pages;
    size_t n = undo_only ? sizeof undo_pages / sizeof undo_pages[0] : MAX_PAGES;
    *made = 0;
    for (size_t i = 0; i < n; i++)
        if ((pages[*made] = make_page(wz, &defs[i])) != NULL)
            (*made)++;
    return n;
}

/* Shows the sheet modally; returns the process exit code. */
static int show_sheet(ms_wizard *wz, const sheet_art *art, HPROPSHEETPAGE *pages, size_t made)
{
    wchar_t title[128];
    res_string(wz, IDS_APP_TITLE, title, sizeof title / sizeof title[0]);
    PROPSHEETHEADERW psh = {0};
    psh.dwSize = sizeof psh;
    psh.dwFlags = PSH_WIZARD97 | PSH_WATERMARK | PSH_HEADER | PSH_USEHBMWATERMARK |
                  PSH_USEHBMHEADER;
    psh.hInstance = wz->inst;
    psh.pszCaption = title;
    psh.nPages = (UINT)made;
    psh.phpage = pages;
    psh.hbmWatermark = art->watermark;
    psh.hbmHeader = art->header;
    INT_PTR r = PropertySheetW(&psh);
    return r < 0 ? MS_EXIT_FAILURE : wz->finished ? MS_EXIT_OK : MS_EXIT_FAILURE;
}

/* After the sheet: the worker ended (or abandoned), everything freed. */
static void wizard_free(ms_wizard *wz, sheet_art *art, int rc)
{
    if (wz->worker) {
        /* A test send still waiting for a slow server holds no state worth
         * keeping; do not wait for libcurl's timeout with no window. */
        if (WaitForSingleObject(wz->worker, 3000) == WAIT_TIMEOUT)
            ExitProcess((UINT)rc);
        CloseHandle(wz->worker);
    }
    wipe_passwords(wz);
    free_scan(wz);
    free(wz->programs_msg.buf);
    if (wz->env_ok)
        env_win32_close(&wz->env);
    profile_free(wz->prof);
    strbuf_free(&wz->backup_dir);
    if (wz->msgwnd)
        DestroyWindow(wz->msgwnd);
    if (art->watermark)
        DeleteObject(art->watermark);
    if (art->header)
        DeleteObject(art->header);
    if (wz->title_font)
        DeleteObject(wz->title_font);
    if (wz->code_font)
        DeleteObject(wz->code_font);
    free(wz);
}

int ms_ui_run(HINSTANCE inst, const ms_cli *cli, const ms_ui_options *opt)
{
    INITCOMMONCONTROLSEX icc = {sizeof icc, ICC_WIN95_CLASSES | ICC_PROGRESS_CLASS};
    InitCommonControlsEx(&icc);

    ms_wizard *wz = calloc(1, sizeof *wz);
    if (!wz)
        return MS_EXIT_FAILURE;
    wz->cli = cli;
    wz->opt = opt;
    wz->inst = inst;
    wz->lang = cli->lang;
    wz->langid = lang_id(cli->lang);
    wz->pw_current = -1;
    strbuf_init(&wz->backup_dir);
    sheet_art art = {NULL, NULL};

    int rc = profile_res_load(cli, &wz->prof);
    if (rc != MS_EXIT_OK) {
        message_box(wz, IDS_ERR_PROFILE);
        goto out;
    }
    make_msgwnd(wz);
    make_fonts(wz);
    make_art(wz, &art);
    check_interrupted(wz);
    HPROPSHEETPAGE pages[MAX_PAGES];
    size_t made;
    if (make_pages(wz, pages, &made) != made) {
        message_box(wz, IDS_ERR_START);
        rc = MS_EXIT_FAILURE;
        goto out;
    }
    rc = show_sheet(wz, &art, pages, made);
out:
    wizard_free(wz, &art, rc);
    return rc;
}
