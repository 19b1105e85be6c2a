/* page_manual: the manual page: steps by hand for what the wizard cannot change
 * (the profile's manuals, or built-in steps). */
#include "wizard_int.h"

#include <stdlib.h>
#include <string.h>

#include "be_byhand.h"
#include "utf.h"

/* The profile's manual for a program the wizard found (program ids of the
 * manuals follow the seeds: oe, winmail, outlook2003, ...). */
static const char *manual_id(ms_program p)
{
    switch (p) {
    case MS_PROG_OUTLOOK:
        return "outlook2003";
    case MS_PROG_OUTLOOK_NEW:
        return "outlook2007";
    default:
        return account_program_id(p);
    }
}

/* The combo box's entries: a profile manual (its index), or a program set
 * by hand that the profile has no manual for (its built-in steps). */
#define MANUAL_BUILTIN 0x10000

static void manual_show(HWND dlg, ms_wizard *wz)
{
    int sel = (int)SendDlgItemMessageW(dlg, IDC_PROGRAM, CB_GETCURSEL, 0, 0);
    LRESULT data = sel < 0 ? -1 : SendDlgItemMessageW(dlg, IDC_PROGRAM, CB_GETITEMDATA, sel, 0);
    int idx = data == CB_ERR ? -1 : (int)data;
    wtext t = {0};
    /* The plan's steps by hand, filled with the ISP's values, come first. */
    add_by_hand(&t, wz);
    if (idx >= MANUAL_BUILTIN) {
        strbuf steps, sb;
        strbuf_init(&steps);
        strbuf_init(&sb);
        ms_program prog = (ms_program)(idx - MANUAL_BUILTIN);
        size_t n = byhand_steps(wz->prof, prog, wz->lang, &steps, NULL);
        for (size_t k = 0, i = 0; !steps.oom && k < n; k++) {
            strbuf_addf(&sb, "%zu. %s\r\n\r\n", k + 1, steps.buf + i);
            i += strlen(steps.buf + i) + 1;
        }
        wt_add8(&t, sb.buf);
        strbuf_free(&steps);
        strbuf_free(&sb);
        wt_set(dlg, IDC_DIAG, &t);
        return;
    }
    if (idx < 0 || (size_t)idx >= wz->prof->n_manuals) {
        if (t.len) {
            wt_set(dlg, IDC_DIAG, &t);
            return;
        }
        wt_res(&t, wz, IDS_MANUAL_NONE);
        wt_set(dlg, IDC_DIAG, &t);
        return;
    }
    const profile_manual *m = &wz->prof->manuals[idx];
    strbuf sb;
    strbuf_init(&sb);
    for (size_t k = 0; k < m->n_steps; k++) {
        strbuf_reset(&sb);
        strbuf_addf(&sb, "%zu. ", k + 1);
        const char *step = profile_text_any(&m->steps[k], wz->lang);
        profile_expand(wz->prof, step ? step : "", wz->lang, NULL, &sb);
        strbuf_addstr(&sb, "\r\n\r\n");
        wt_add8(&t, sb.buf);
    }
    strbuf_free(&sb);
    wt_set(dlg, IDC_DIAG, &t);
}

/* The manual to show first: a program whose change failed, else one that
 * could not be read, else one with steps by hand (NULL: the first). */
static const char *manual_wanted(const ms_wizard *wz)
{
    const ms_scan *s = wz->scan;
    if (!s)
        return NULL;
    for (size_t i = 0; i < s->plan->count; i++) {
        engine_outcome o = wz->results ? wz->results[i].outcome : ENGINE_SKIPPED;
        if (o == ENGINE_ROLLED_BACK || o == ENGINE_FAILED)
            return manual_id(s->plan->items[i].account->program);
    }
    for (size_t p = 0; p < s->n_programs; p++)
        if (s->programs[p].scan_rc != MS_OK)
            return manual_id(s->programs[p].backend->program);
    for (size_t i = 0; i < s->plan->count; i++)
        if (s->plan->items[i].account->read_error.code == MS_ERR_MANUAL_STEPS ||
            s->plan->items[i].n_manual)
            return manual_id(s->plan->items[i].account->program);
    return NULL;
}

/* Adds an entry to the combo box; returns its index. */
static int combo_add(HWND combo, const wchar_t *text, LPARAM data)
{
    LRESULT at = SendMessageW(combo, CB_ADDSTRING, 0, (LPARAM)text);
    SendMessageW(combo, CB_SETITEMDATA, (WPARAM)at, data);
    return (int)at;
}

/* Programs set by hand that the profile has no manual for: their built-in
 * steps (the new Outlook, the Mail app), under their name. */
static void add_builtin_manuals(HWND combo, const ms_wizard *wz, const char *want, int *pick)
{
    for (size_t i = 0; wz->scan && i < wz->scan->plan->count; i++) {
        const ms_account *a = wz->scan->plan->items[i].account;
        if (a->read_error.code != MS_ERR_MANUAL_STEPS ||
            profile_find_manual(wz->prof, manual_id(a->program)))
            continue;
        strbuf probe;
        strbuf_init(&probe);
        size_t n = byhand_steps(wz->prof, a->program, wz->lang, &probe, NULL);
        strbuf_free(&probe);
        if (!n)
            continue;
        wchar_t name[128];
        program_name(wz, a->program, name, 128);
        int at = combo_add(combo, name, (LPARAM)(MANUAL_BUILTIN + (int)a->program));
        if (want && strcmp(manual_id(a->program), want) == 0)
            *pick = at;
    }
}

static void manual_fill(HWND dlg, ms_wizard *wz)
{
    HWND combo = GetDlgItem(dlg, IDC_PROGRAM);
    SendMessageW(combo, CB_RESETCONTENT, 0, 0);
    int pick = 0;
    const char *want = manual_wanted(wz);
    for (size_t i = 0; i < wz->prof->n_manuals; i++) {
        const profile_manual *m = &wz->prof->manuals[i];
        const char *title = profile_text_any(&m->title, wz->lang);
        wchar_t *w = ms_utf8_to_wide(title ? title : m->program);
        int at = combo_add(combo, w ? w : L"", (LPARAM)i);
        free(w);
        if (want && strcmp(m->program, want) == 0)
            pick = at;
    }
    add_builtin_manuals(combo, wz, want, &pick);
    SendMessageW(combo, CB_SETCURSEL, pick, 0);
    manual_show(dlg, wz);
}

INT_PTR CALLBACK manual_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp)
{
    ms_wizard *wz = page_wz(dlg);
    switch (msg) {
    case WM_INITDIALOG:
        wz = page_init(dlg, lp, IDD_MANUAL);
        set_res(dlg, IDC_BODY, wz, IDS_MANUAL_BODY);
        /* CBS_DROPDOWNLIST does not sort: the profile's order. */
        return TRUE;
    case WM_COMMAND:
        if (LOWORD(wp) == IDC_PROGRAM && HIWORD(wp) == CBN_SELCHANGE) {
            manual_show(dlg, wz);
            return TRUE;
        }
        break;
    case WM_NOTIFY:
        switch (page_notify(dlg, wz, (NMHDR *)lp, IDD_MANUAL)) {
        case 0:
            return TRUE;
        case PSN_SETACTIVE:
            manual_fill(dlg, wz);
            set_buttons(wz, PSWIZB_BACK | PSWIZB_NEXT);
            return page_result(dlg, 0);
        case PSN_WIZBACK:
            return jump(dlg, wz, wz->manual_from ? wz->manual_from : IDD_TEST);
        case PSN_WIZNEXT:
            return jump(dlg, wz, IDD_FINISH);
        }
        break;
    }
    return FALSE;
}
