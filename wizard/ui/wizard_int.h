/* wizard_int.h: what the wizard's pages share, inside wizard/ui/ only.
 *
 * One shared state (ms_wizard) reaches every page through
 * PROPSHEETPAGE.lParam (kept in the page's DWLP_USER) and the message-only
 * window through GWLP_USERDATA; there is no global. The files:
 *   text.c       resources in the wizard's language, the growable text
 *   frame.c      the pages' frame: steps, buttons, jumps, lists, Cancel
 *   worker.c     the worker thread's jobs and the message window
 *   page_*.c     one page each (welcome, programs, password, changes,
 *                apply, test, manual, finish, undo)
 *   wizard.c     the page tables, the property sheet, ms_ui_run */
#ifndef MS_WIZARD_INT_H
#define MS_WIZARD_INT_H

#include "ui.h"

#include <commctrl.h>

#include "engine.h"
#include "env_win32.h"
#include "resource.h"
#include "support.h"

/* Messages: worker -> message window -> current page. */
#define WM_MS_DONE (WM_APP + 1)     /* wParam: the job kind */
#define WM_MS_SENT_ONE (WM_APP + 2) /* wParam: plan index */
#define WM_MS_REFRESH (WM_APP + 3)  /* to the current page: show the state */
#define WM_MS_REPAINT (WM_APP + 4)  /* to the message window: repaint the sheet */
#define TIMER_SCAN 1                /* the message window's: start the scan */

/* Buttons of the property sheet (comctl32's ids). */
#define ID_PSBACK 0x3023
#define ID_PSNEXT 0x3024
#define ID_PSFINISH 0x3025

#define PW_MAX 256

typedef enum job_kind { JOB_NONE, JOB_SCAN, JOB_APPLY, JOB_SEND, JOB_UNDO, JOB_CHECK } job_kind;

/* A growable UTF-16 text for the pages' multi-line fields. */
typedef struct wtext {
    wchar_t *buf;
    size_t len, cap;
} wtext;

typedef struct ms_wizard {
    const ms_cli *cli;
    const ms_ui_options *opt;
    HINSTANCE inst;
    WORD langid;
    ms_lang lang;
    HWND sheet, msgwnd;
    HFONT title_font, code_font;
    profile *prof;
    ms_env_win32 env;
    bool env_ok, env_tried;
    ms_error env_err;

    /* the worker: one job at a time */
    HANDLE worker;
    job_kind job;

    /* scan */
    ms_scan *scan;
    ms_code scan_rc;
    ms_error scan_err;
    bool *selected;     /* per plan item */
    bool manual_needed; /* some program must be changed by hand */
    wtext programs_msg; /* the programs page's message, under a row's sentence */
    int manual_from;    /* the page that opened the manual page */

    /* passwords, per plan item: UTF-16 in memory only, wiped after the
     * test send; never written anywhere */
    wchar_t **pw;
    int pw_current; /* plan index shown in the password field, -1 none */

    /* the pre-flight check before the change, per plan item: the new
     * outgoing server with the typed password, nothing sent */
    bool checked;        /* done for the passwords as they are now */
    support_send *check; /* SUPPORT_SEND_OK / _FAILED / not checked */
    ms_error *check_err;

    /* apply */
    bool applied, cancel_pending, cancelled;
    strbuf backup_dir;
    engine_result *results;
    ms_code apply_rc;
    ms_error apply_err;

    /* test send */
    bool sent;
    support_send *send;
    ms_error *send_err;
    bool auth_failed;
    int sending_index;
    volatile long send_cancel; /* set by Cancel: smtp_send_run stops */

    /* undo */
    ms_code undo_rc;
    ms_error undo_err;
    bool undone;
    bool interrupted; /* the last apply did not finish: the undo pages first */
    bool finished;    /* left with Finish */

    /* texts the sheet keeps pointers to */
    wchar_t head_title[IDD_UNDO_DONE - IDD_WELCOME + 1][128];
    wchar_t head_sub[IDD_UNDO_DONE - IDD_WELCOME + 1][256];
} ms_wizard;

/* ------------------------------------------------------------ text.c */

/* The Windows language id of the wizard's language. */
WORD lang_id(ms_lang lang);
/* Loads string `id` in the wizard's language into buf (always
 * NUL-terminated, empty if missing); returns buf. */
const wchar_t *res_string(const ms_wizard *wz, UINT id, wchar_t *buf, size_t cch);
/* The dialog template `id` in the wizard's language, or NULL. */
LPCDLGTEMPLATEW res_dialog(const ms_wizard *wz, UINT id);
/* Appends s to t (t stays as it was if memory runs out). */
void wt_add(wtext *t, const wchar_t *s);
/* Appends the UTF-8 text utf8 (NULL: nothing) to t. */
void wt_add8(wtext *t, const char *utf8);
/* Appends the string resource `id` formatted with the arguments that follow. */
void wt_addf(wtext *t, const ms_wizard *wz, UINT id, ...);
/* Appends the string resource `id` to t. */
void wt_res(wtext *t, const ms_wizard *wz, UINT id);
/* Shows t in control ctl of dlg and empties t. */
void wt_set(HWND dlg, int ctl, wtext *t);
/* Shows the string resource ids in control ctl of dlg. */
void set_res(HWND dlg, int ctl, const ms_wizard *wz, UINT ids);
/* Shows the UTF-8 text utf8 (NULL: empty) in control ctl of dlg. */
void set_text8(HWND dlg, int ctl, const char *utf8);
/* Appends the core's sentence for err with its helpdesk code: "[S07] ...". */
void wt_error(wtext *t, const ms_wizard *wz, const ms_error *err);
/* Appends the format resource fmt_id filled with err's sentence (wt_error). */
void wt_error_fmt(wtext *t, const ms_wizard *wz, UINT fmt_id, const ms_error *err);
/* The helpdesk code of rc as a new UTF-16 string (caller frees; may be NULL). */
wchar_t *helpdesk_code_w(ms_code rc);
/* The program's name in the wizard's language, into buf; returns buf. */
const wchar_t *program_name(const ms_wizard *wz, ms_program p, wchar_t *buf, size_t cch);
/* "アカウント名 <address>" (or the address alone) into buf. */
void account_label(const ms_account *a, wchar_t *buf, size_t cch);
/* Appends "Program — アカウント名 <address>" for account a. */
void wt_account_head(wtext *t, const ms_wizard *wz, const ms_account *a);
/* Appends "アカウント名 <address>:" and, on the next line, err (wt_error). */
void wt_account_error(wtext *t, const ms_wizard *wz, const ms_account *a, const ms_error *err);
/* The ISP's name from the profile in the wizard's language, into buf. */
const wchar_t *isp_name(const ms_wizard *wz, wchar_t *buf, size_t cch);

/* ------------------------------------------------------------ frame.c */

/* Numbers the page "step k of n" in its IDC_STEP field. */
void set_step(HWND dlg, const ms_wizard *wz, int page);
/* Sets the sheet's buttons (PSWIZB_*) and has the sheet repainted. */
void set_buttons(const ms_wizard *wz, DWORD flags);
/* Answers a notification with r (DWLP_MSGRESULT); returns TRUE. */
LRESULT page_result(HWND dlg, LONG_PTR r);
/* Shows page `page` (an IDD_*) of the sheet. */
void go_to(ms_wizard *wz, int page);
/* From PSN_WIZNEXT / PSN_WIZBACK: go to `page` instead (0: the default). */
LRESULT jump(HWND dlg, ms_wizard *wz, int page);
/* A page's WM_INITDIALOG: keeps wz (from PROPSHEETPAGE.lParam) in the
 * page's DWLP_USER, titles the page, and on the first page made sets up
 * the sheet; returns wz. */
ms_wizard *page_init(HWND dlg, LPARAM lp, int page);
/* The wizard a page was made for (NULL before WM_INITDIALOG). */
ms_wizard *page_wz(HWND dlg);
/* Cancel and Finish as every page handles them first; true when the
 * notification nm is answered (Cancel waits for an apply or undo). */
bool cancel_guard(HWND dlg, ms_wizard *wz, const NMHDR *nm);
/* A page's WM_NOTIFY, first: cancel_guard, and on PSN_SETACTIVE the step
 * number of `page`. Returns nm's code for the page to handle, or 0 when
 * cancel_guard has answered (the page returns TRUE). */
UINT page_notify(HWND dlg, ms_wizard *wz, const NMHDR *nm, int page);
/* Gives a list view n columns with these headers and widths (percent). */
void list_columns(HWND list, const ms_wizard *wz, const UINT *ids, const int *widths, int n);
/* Inserts a row of three columns (c2 may be NULL) at `row`; returns its index. */
int list_add(HWND list, int row, LPARAM data, const wchar_t *c0, const wchar_t *c1,
             const wchar_t *c2);
/* Fits program | account | state columns to their texts (last_head: the
 * last column's header). */
void list_fit_columns(HWND list, const ms_wizard *wz, UINT last_head);

/* ------------------------------------------------------------ worker.c */

/* Starts job `kind` on the worker thread; false if one runs or it cannot. */
bool start_job(ms_wizard *wz, job_kind kind);
/* Frees the scan and everything kept per plan item (passwords wiped). */
void free_scan(ms_wizard *wz);
/* Wipes and frees the typed passwords. */
void wipe_passwords(ms_wizard *wz);
/* Opens the registry and known folders on first need; whether they are open. */
bool ensure_env(ms_wizard *wz);
/* Whether the user may have a backup folder (cheap; true when unsure). */
bool may_have_backups(void);
/* Whether plan item i should get a test message (selected, not yet sent). */
bool wants_send(const ms_wizard *wz, size_t i);
/* Whether any plan item is selected. */
bool any_selected(const ms_wizard *wz);
/* The message-only window's procedure: job ends, progress, repaints. */
LRESULT CALLBACK msg_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp);

/* ------------------------------------------------------------ the pages */

/* The dialog procedures, one per page (page_*.c), for the page tables. */
INT_PTR CALLBACK welcome_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp);
INT_PTR CALLBACK programs_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp);
INT_PTR CALLBACK password_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp);
INT_PTR CALLBACK changes_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp);
INT_PTR CALLBACK apply_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp);
INT_PTR CALLBACK test_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp);
INT_PTR CALLBACK manual_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp);
INT_PTR CALLBACK finish_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp);
INT_PTR CALLBACK undo_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp);
INT_PTR CALLBACK undo_done_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp);

/* page_changes.c: appends every account's steps by hand (the changes its
 * program cannot hold), with the ISP's values; the manual page shows them too. */
void add_by_hand(wtext *t, const ms_wizard *wz);
/* page_undo.c: appends the undo's outcome (done, or failed with why). */
void wt_undo_outcome(wtext *t, const ms_wizard *wz);

#endif
