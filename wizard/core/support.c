/* support: the support code and the support report (see support.h). */
#include "support.h"

#include <string.h>

static bool is_isp(const plan_item *it)
{
    return it->status != PLAN_NOT_ISP;
}

/* The first failure, in the order a helpdesk wants to hear it. */
static const char *first_failure(const support_info *in)
{
    if (in->error && in->error->code != MS_OK)
        return ms_code_helpdesk(in->error->code);
    if (!in->scan)
        return NULL;
    for (size_t p = 0; p < in->scan->n_programs; p++)
        if (in->scan->programs[p].scan_rc != MS_OK)
            return ms_code_helpdesk(in->scan->programs[p].scan_rc);
    const ms_plan *plan = in->scan->plan;
    for (size_t i = 0; in->results && i < plan->count; i++) {
        engine_outcome o = in->results[i].outcome;
        if (o == ENGINE_ROLLED_BACK || o == ENGINE_FAILED)
            return ms_code_helpdesk(in->results[i].err.code);
    }
    for (size_t i = 0; in->send && in->send_err && i < plan->count; i++)
        if (in->send[i] == SUPPORT_SEND_FAILED)
            return ms_code_helpdesk(in->send_err[i].code);
    /* Last: a program only the subscriber can set (the new Outlook, the
     * Mail app, Eudora) is still to do, so the run never reads "OK". */
    for (size_t i = 0; i < plan->count; i++)
        if (plan->items[i].account->read_error.code == MS_ERR_MANUAL_STEPS)
            return ms_code_helpdesk(MS_ERR_MANUAL_STEPS);
    return NULL;
}

void support_code(const support_info *in, strbuf *out)
{
    size_t programs = 0, accounts = 0, changed = 0, sent = 0;
    if (in->scan) {
        const ms_plan *plan = in->scan->plan;
        for (size_t p = 0; p < in->scan->n_programs; p++) {
            ms_program prog = in->scan->programs[p].backend->program;
            for (size_t i = 0; i < plan->count; i++) {
                if (plan->items[i].account->program == prog && is_isp(&plan->items[i])) {
                    programs++;
                    break;
                }
            }
        }
        for (size_t i = 0; i < plan->count; i++) {
            if (!is_isp(&plan->items[i]))
                continue;
            accounts++;
            if (in->results && (in->results[i].outcome == ENGINE_CHANGED ||
                                in->results[i].outcome == ENGINE_ADDED))
                changed++;
            if (in->send && in->send[i] == SUPPORT_SEND_OK)
                sent++;
        }
    }
    const char *fail = first_failure(in);
    strbuf_addf(out, "%zuP-%zuA-%zuC-%zuT-%s", programs, accounts, changed, sent,
                fail ? fail : "OK");
}

static const char *outcome_id(engine_outcome o)
{
    switch (o) {
    case ENGINE_SKIPPED:
        return "skipped";
    case ENGINE_CHANGED:
        return "changed";
    case ENGINE_ADDED:
        return "added";
    case ENGINE_ROLLED_BACK:
        return "rolled_back";
    case ENGINE_FAILED:
        return "failed";
    }
    return "?";
}

static void add_error(strbuf *out, const char *label, const ms_error *err, ms_lang lang)
{
    char buf[1024];
    strbuf_addf(out, "    %s: [%s] %s\r\n", label, ms_code_helpdesk(err->code),
                ms_error_format(err, lang, buf, sizeof buf));
}

/* "  name <address>: status", " (not selected)" where it was left out. */
static void report_account_line(const support_info *in, size_t i, bool ja, strbuf *out)
{
    const plan_item *it = &in->scan->plan->items[i];
    strbuf_addf(out, "  %s <%s>: %s%s\r\n",
                it->account->account_name ? it->account->account_name : "",
                it->account->email ? it->account->email : "", plan_status_id(it->status),
                in->selected && !in->selected[i] && it->status != PLAN_NOT_ISP &&
                        it->status != PLAN_MANUAL
                    ? (ja ? " (選択なし)" : " (not selected)")
                    : "");
}

/* An ISP account's changes, steps by hand, encryption note, outcome and
 * test message (sb: scratch). */
static void report_isp_item(const support_info *in, size_t i, ms_lang lang, strbuf *out,
                            strbuf *sb)
{
    bool ja = lang == MS_LANG_JA;
    const plan_item *it = &in->scan->plan->items[i];
    for (size_t k = 0; k < it->n_changes; k++) {
        strbuf_reset(sb);
        plan_describe_change(&it->changes[k], it->account->program, lang, sb);
        strbuf_addf(out, "    - %s\r\n", sb->buf);
    }
    /* What the subscriber was asked to change by hand. */
    for (size_t k = 0; k < it->n_manual; k++) {
        strbuf_reset(sb);
        plan_describe_change(&it->manual[k], it->account->program, lang, sb);
        strbuf_addf(out, "    * %s: %s\r\n", ja ? "手動" : "by hand", sb->buf);
    }
    if (it->security_note != PLAN_SEC_AS_PROFILE)
        strbuf_addf(out, "    %s: %s\r\n", ja ? "暗号化" : "Encryption",
                    plan_security_note_id(it->security_note));
    if (in->results) {
        strbuf_addf(out, "    %s: %s\r\n", ja ? "結果" : "Result",
                    outcome_id(in->results[i].outcome));
        if (in->results[i].outcome == ENGINE_ROLLED_BACK ||
            in->results[i].outcome == ENGINE_FAILED)
            add_error(out, ja ? "理由" : "Reason", &in->results[i].err, lang);
    }
    if (in->send && in->send[i] == SUPPORT_SEND_OK)
        strbuf_addf(out, "    %s: OK\r\n", ja ? "テストメール" : "Test message");
    else if (in->send && in->send_err && in->send[i] == SUPPORT_SEND_FAILED)
        add_error(out, ja ? "テストメール" : "Test message", &in->send_err[i], lang);
}

/* One program: its scan error, or its accounts. */
static void report_program(const support_info *in, const engine_program *pr, ms_lang lang,
                           strbuf *out, strbuf *sb)
{
    bool ja = lang == MS_LANG_JA;
    if (pr->scan_rc != MS_OK) {
        strbuf_addf(out, "[%s]\r\n", pr->backend->id);
        add_error(out, ja ? "読み取り" : "Scan", &pr->scan_err, lang);
        return;
    }
    if (!pr->n_accounts)
        return;
    strbuf_addf(out, "[%s]%s\r\n", pr->backend->id,
                pr->running ? (ja ? " (起動中)" : " (running)") : "");
    const ms_plan *plan = in->scan->plan;
    for (size_t i = 0; i < plan->count; i++) {
        const plan_item *it = &plan->items[i];
        if (it->account->program != pr->backend->program)
            continue;
        report_account_line(in, i, ja, out);
        if (is_isp(it))
            report_isp_item(in, i, lang, out, sb);
    }
}

void support_report(const support_info *in, ms_lang lang, strbuf *out)
{
    bool ja = lang == MS_LANG_JA;
    const char *isp = in->prof ? profile_text_any(&in->prof->name, lang) : NULL;
    strbuf_addf(out, "mailsetup %s\r\n", in->version ? in->version : "");
    strbuf_addf(out, "%s: %s (%s)\r\n", ja ? "プロバイダー" : "Provider", isp ? isp : "-",
                in->prof ? in->prof->id : "-");
    strbuf_addf(out, "%s: ", ja ? "サポートコード" : "Support code");
    support_code(in, out);
    strbuf_addstr(out, "\r\n");
    if (in->error && in->error->code != MS_OK)
        add_error(out, ja ? "エラー" : "Error", in->error, lang);
    if (!in->scan) {
        strbuf_addstr(out, ja ? "メールソフトの確認は終わっていません。\r\n"
                              : "The mail programs were not checked.\r\n");
        return;
    }
    strbuf sb;
    strbuf_init(&sb);
    for (size_t p = 0; p < in->scan->n_programs; p++)
        report_program(in, &in->scan->programs[p], lang, out, &sb);
    strbuf_free(&sb);
    if (in->backup_dir)
        strbuf_addf(out, "%s: %s\r\n", ja ? "バックアップ" : "Backup", in->backup_dir);
}
