/* page_changes: page 4, changes: what will change, what stays by hand, and the
 * pre-flight check's findings, before anything changes. */
#include "wizard_int.h"

#include <stdlib.h>

#include "diagnose.h"

/* The plan's one sentence on the outgoing encryption, if it has one. */
static void add_security_note(wtext *t, const plan_item *it, ms_lang lang)
{
    strbuf sb;
    strbuf_init(&sb);
    plan_describe_security_note(it, lang, &sb);
    if (sb.len) {
        wt_add(t, L"    ");
        wt_add8(t, sb.buf);
        wt_add(t, L"\r\n");
    }
    strbuf_free(&sb);
}

/* Whether a selected account will send its password without encryption:
 * the profile says none and the account does not keep its own STARTTLS/SSL
 * (plan.c never downgrades one). */
static bool password_in_clear(const ms_wizard *wz)
{
    if (!wz->scan || wz->prof->outgoing.security != PROFILE_SEC_NONE)
        return false;
    for (size_t i = 0; i < wz->scan->plan->count; i++) {
        const plan_item *it = &wz->scan->plan->items[i];
        if (wz->selected[i] && (it->status == PLAN_CHANGE || it->status == PLAN_ADD_ACCOUNT) &&
            it->security_note != PLAN_SEC_KEPT && it->security_note != PLAN_SEC_UPGRADED)
            return true;
    }
    return false;
}

/* Appends "    ・change" for each of the n changes (sb: scratch). */
static void add_change_lines(wtext *t, const ms_wizard *wz, const ms_change *changes, size_t n,
                             ms_program program, strbuf *sb)
{
    for (size_t k = 0; k < n; k++) {
        strbuf_reset(sb);
        plan_describe_change(&changes[k], program, wz->lang, sb);
        wt_add(t, L"    \x30FB");
        wt_add8(t, sb->buf);
        wt_add(t, L"\r\n");
    }
}

/* Every account's steps by hand (the changes its program cannot hold),
 * with the ISP's values, program by program. */
void add_by_hand(wtext *t, const ms_wizard *wz)
{
    strbuf sb;
    strbuf_init(&sb);
    for (size_t i = 0; wz->scan && i < wz->scan->plan->count; i++) {
        const plan_item *it = &wz->scan->plan->items[i];
        if (!it->n_manual)
            continue;
        wt_add(t, L"\x25A1 ");
        wt_account_head(t, wz, it->account);
        wt_add(t, L"\r\n    ");
        wt_add8(t, plan_manual_text(it, wz->lang));
        wt_add(t, L"\r\n");
        add_change_lines(t, wz, it->manual, it->n_manual, it->account->program, &sb);
        if (it->status == PLAN_MANUAL)
            add_security_note(t, it, wz->lang);
        wt_add(t, L"\r\n");
    }
    strbuf_free(&sb);
}

/* Every selected account's changes, then the steps by hand. */
static void add_changes(wtext *t, const ms_wizard *wz)
{
    strbuf sb;
    strbuf_init(&sb);
    for (size_t i = 0; wz->scan && i < wz->scan->plan->count; i++) {
        const plan_item *it = &wz->scan->plan->items[i];
        if (!wz->selected[i])
            continue;
        wt_add(t, L"\x25A0 ");
        wt_account_head(t, wz, it->account);
        wt_add(t, L"\r\n");
        if (it->status == PLAN_ADD_ACCOUNT) {
            wt_add(t, L"    ");
            wt_add8(t, plan_status_text(it->status, wz->lang));
            wt_add(t, L"\r\n");
        }
        add_change_lines(t, wz, it->changes, it->n_changes, it->account->program, &sb);
        add_security_note(t, it, wz->lang);
        wt_add(t, L"\r\n");
    }
    strbuf_free(&sb);
    /* Before anything changes: what the subscriber will do by hand. */
    add_by_hand(t, wz);
}

/* The pre-flight check's failures with the next step; whether any failed. */
static bool add_check_findings(wtext *pre, const ms_wizard *wz)
{
    bool failed = false;
    for (size_t i = 0; wz->checked && i < wz->scan->plan->count; i++) {
        if (wz->check[i] != SUPPORT_SEND_FAILED)
            continue;
        failed = true;
        wt_account_error(pre, wz, wz->scan->plan->items[i].account, &wz->check_err[i]);
        const char *step = diagnose_next_step(wz->check_err[i].code, wz->lang);
        if (step && *step) {
            wt_add(pre, L"\r\n");
            wt_res(pre, wz, IDS_CHECK_NEXT_STEP);
            wt_add8(pre, step);
        }
        wt_add(pre, L"\r\n\r\n");
    }
    return failed;
}

static void changes_fill(HWND dlg, ms_wizard *wz)
{
    wtext t = {0};
    add_changes(&t, wz);
    /* The password will travel unencrypted: one calm sentence says so. */
    if (password_in_clear(wz))
        wt_res(&t, wz, IDS_CLEARTEXT_NOTE);
    /* The pre-flight check's findings first: read before anything changes. */
    wtext pre = {0};
    bool failed = add_check_findings(&pre, wz);
    if (failed) {
        wt_add(&pre, t.buf ? t.buf : L"");
        wt_set(dlg, IDC_DIAG, &pre);
        free(t.buf);
    } else {
        wt_set(dlg, IDC_DIAG, &t);
    }
    UINT status = wz->job == JOB_CHECK ? IDS_CHECKING
                  : failed             ? IDS_CHECK_FAILED
                  : wz->checked        ? IDS_CHECK_OK
                                       : IDS_CHANGES_BACKUP;
    set_res(dlg, IDC_STATUS, wz, status);
    /* A failed check does not block: before the ISP's migration date the
     * new server may not answer yet. Next changes anyway. */
    set_buttons(wz, wz->job == JOB_CHECK ? PSWIZB_BACK : PSWIZB_BACK | PSWIZB_NEXT);
}

INT_PTR CALLBACK changes_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp)
{
    (void)wp;
    ms_wizard *wz = page_wz(dlg);
    switch (msg) {
    case WM_INITDIALOG:
        wz = page_init(dlg, lp, IDD_CHANGES);
        set_res(dlg, IDC_BODY, wz, IDS_CHANGES_BODY);
        set_res(dlg, IDC_STATUS, wz, IDS_CHANGES_BACKUP);
        return TRUE;
    case WM_NOTIFY:
        switch (page_notify(dlg, wz, (NMHDR *)lp, IDD_CHANGES)) {
        case 0:
            return TRUE;
        case PSN_SETACTIVE:
            if (!wz->checked && !wz->applied && wz->job == JOB_NONE)
                start_job(wz, JOB_CHECK);
            changes_fill(dlg, wz);
            return page_result(dlg, 0);
        }
        break;
    case WM_MS_REFRESH:
        changes_fill(dlg, wz);
        return TRUE;
    }
    return FALSE;
}
