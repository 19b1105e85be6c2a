/* page_welcome: page 1, welcome: the ISP, why the change is needed, by when, and whom to call. */
#include "wizard_int.h"

#include <stdlib.h>

#include "utf.h"

static void welcome_fill(HWND dlg, ms_wizard *wz)
{
    const profile *p = wz->prof;
    wtext t = {0};
    wchar_t isp[128];
    if (wz->cli->profile_path) {
        /* Not the profile embedded (and signed) in the exe: say so first. */
        wchar_t *w = ms_utf8_to_wide(wz->cli->profile_path);
        wt_addf(&t, wz, IDS_PROFILE_FROM_FILE_FMT, w ? w : L"");
        wt_add(&t, L"\r\n\r\n");
        free(w);
    }
    wt_addf(&t, wz, IDS_WELCOME_ISP_FMT, isp_name(wz, isp, 128));
    wt_add(&t, L"\r\n\r\n");
    const char *expl = profile_text_get(&p->explanation, wz->lang);
    if (expl) {
        strbuf sb;
        strbuf_init(&sb);
        profile_expand(p, expl, wz->lang, NULL, &sb);
        /* The profile writes \n; an edit control wants \r\n. */
        strbuf crlf;
        strbuf_init(&crlf);
        for (const char *c = sb.buf; *c; c++) {
            if (*c == '\n')
                strbuf_addch(&crlf, '\r');
            strbuf_addch(&crlf, *c);
        }
        wt_add8(&t, crlf.buf);
        strbuf_free(&crlf);
        strbuf_free(&sb);
    } else {
        wt_res(&t, wz, IDS_WELCOME_OP25B);
    }
    wt_add(&t, L"\r\n\r\n");
    if (profile_date_is_set(p->dates.migration_end)) {
        wt_addf(&t, wz, IDS_DEADLINE_END_FMT, p->dates.migration_end.year,
                p->dates.migration_end.month, p->dates.migration_end.day);
        wt_add(&t, L"\r\n\r\n");
    } else if (!expl && profile_date_is_set(p->dates.op25b_start)) {
        wt_addf(&t, wz, IDS_DEADLINE_START_FMT, p->dates.op25b_start.year,
                p->dates.op25b_start.month, p->dates.op25b_start.day);
        wt_add(&t, L"\r\n\r\n");
    }
    wt_res(&t, wz, IDS_WELCOME_HAVE);
    if (p->support.phone) {
        wchar_t *ph = ms_utf8_to_wide(p->support.phone);
        wt_add(&t, L"\r\n\r\n");
        wt_addf(&t, wz, IDS_SUPPORT_FMT, ph ? ph : L"");
        free(ph);
        const char *hours = profile_text_any(&p->support.hours, wz->lang);
        wchar_t *h = hours ? ms_utf8_to_wide(hours) : NULL;
        if (h)
            wt_addf(&t, wz, IDS_SUPPORT_HOURS_FMT, h);
        free(h);
    }
    wt_set(dlg, IDC_BODY, &t);
}

INT_PTR CALLBACK welcome_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp)
{
    (void)wp;
    ms_wizard *wz = page_wz(dlg);
    switch (msg) {
    case WM_INITDIALOG:
        wz = page_init(dlg, lp, IDD_WELCOME);
        set_res(dlg, IDC_TITLE, wz, IDS_WELCOME_TITLE);
        welcome_fill(dlg, wz);
        /* Look while the subscriber reads: once the window is up (a timer
         * comes after the first paint), not on the way to it. */
        SetTimer(wz->msgwnd, TIMER_SCAN, 1, NULL);
        return TRUE;
    case WM_NOTIFY:
        switch (page_notify(dlg, wz, (NMHDR *)lp, IDD_WELCOME)) {
        case 0:
            return TRUE;
        case PSN_SETACTIVE:
            set_buttons(wz, PSWIZB_NEXT);
            return page_result(dlg, 0);
        }
        break;
    }
    return FALSE;
}
