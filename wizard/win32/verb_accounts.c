/* verb_accounts: `scan`, `apply` and `undo` on the real machine. The work is
 * the core engine's; this file only wires the real registry and folders,
 * prints results and writes the JSON report (docs/cli.md). */
#include <windows.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "account_json.h"
#include "acctapi.h"
#include "acctprops.h"
#include "be_byhand.h"
#include "engine.h"
#include "env_win32.h"
#include "fault.h"
#include "platform.h"
#include "profile_res.h"
#include "tlsup_net.h"
#include "verb_accounts.h"

static int usage(const ms_cli *cli, const char *what)
{
    ms_error err;
    ms_fail(&err, MS_ERR_USAGE, "%s", what);
    ms_print_error(cli, &err);
    return MS_EXIT_USAGE;
}

static bool ja(const ms_cli *cli)
{
    return cli->lang == MS_LANG_JA;
}

/* ---- the JSON report: the plan (account_json.c) plus what only the
 * command line knows: read errors, running programs, results, backup. */

static cJSON *error_json(const ms_cli *cli, const ms_error *e)
{
    char buf[1024];
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "code", ms_code_name(e->code));
    cJSON_AddStringToObject(o, "helpdesk", ms_code_helpdesk(e->code));
    cJSON_AddStringToObject(o, "message", ms_error_format(e, cli->lang, buf, sizeof buf));
    return o;
}

static const engine_program *program_of(const ms_scan *s, ms_program p)
{
    for (size_t i = 0; i < s->n_programs; i++)
        if (s->programs[i].backend->program == p)
            return &s->programs[i];
    return NULL;
}

/* A program found that only the subscriber can set (the new Outlook, the
 * Mail app, Eudora): its entry says so and carries the steps. */
static bool by_hand(const ms_account *a)
{
    return a->read_error.code == MS_ERR_MANUAL_STEPS;
}

static bool has_by_hand(const ms_scan *s)
{
    for (size_t i = 0; i < s->plan->count; i++)
        if (by_hand(s->plan->items[i].account))
            return true;
    return false;
}

static void add_steps_json(const ms_cli *cli, const profile *prof, const ms_account *a, cJSON *o)
{
    strbuf steps;
    strbuf_init(&steps);
    const char *title = NULL;
    size_t n = byhand_steps(prof, a->program, cli->lang, &steps, &title);
    cJSON_ReplaceItemInObjectCaseSensitive(o, "status", cJSON_CreateString("by_hand"));
    cJSON_ReplaceItemInObjectCaseSensitive(
        o, "status_text", cJSON_CreateString(ja(cli) ? "手で設定" : "set by hand"));
    if (title)
        cJSON_AddStringToObject(o, "steps_title", title);
    cJSON *arr = cJSON_AddArrayToObject(o, "steps");
    for (size_t i = 0, k = 0; arr && !steps.oom && k < n; k++) {
        cJSON_AddItemToArray(arr, cJSON_CreateString(steps.buf + i));
        i += strlen(steps.buf + i) + 1;
    }
    strbuf_free(&steps);
}

/* The report as a cJSON tree (NULL when out of memory). */
static cJSON *report_json(const ms_cli *cli, const profile *prof, const ms_scan *s)
{
    strbuf sb;
    strbuf_init(&sb);
    ms_error err;
    cJSON *root = NULL;
    if (plan_to_json(s->plan, cli->lang, &sb, &err) == MS_OK)
        root = cJSON_ParseWithLength(sb.buf, sb.len);
    strbuf_free(&sb);
    if (!root)
        return NULL;
    cJSON *arr = cJSON_GetObjectItemCaseSensitive(root, "accounts");
    for (size_t i = 0; i < s->plan->count; i++) {
        const ms_account *a = s->plan->items[i].account;
        cJSON *o = cJSON_GetArrayItem(arr, (int)i);
        if (!o)
            break;
        const engine_program *pr = program_of(s, a->program);
        cJSON_AddBoolToObject(o, "program_running", pr && pr->running);
        if (a->read_error.code != MS_OK)
            cJSON_AddItemToObject(o, "read_error", error_json(cli, &a->read_error));
        if (by_hand(a))
            add_steps_json(cli, prof, a, o);
    }
    cJSON *progs = cJSON_AddArrayToObject(root, "programs");
    for (size_t i = 0; progs && i < s->n_programs; i++) {
        const engine_program *pr = &s->programs[i];
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(progs, o)) {
            cJSON_Delete(o);
            break;
        }
        cJSON_AddStringToObject(o, "program", pr->backend->id);
        cJSON_AddNumberToObject(o, "accounts", (double)pr->n_accounts);
        cJSON_AddBoolToObject(o, "running", pr->running);
        bool hand = false;
        for (size_t k = 0; k < s->plan->count && !hand; k++)
            hand = s->plan->items[k].account->program == pr->backend->program &&
                   by_hand(s->plan->items[k].account);
        if (hand)
            cJSON_AddBoolToObject(o, "by_hand", true);
        if (pr->scan_rc != MS_OK)
            cJSON_AddItemToObject(o, "error", error_json(cli, &pr->scan_err));
    }
    return root;
}

/* Writes the report to path ("-": standard output). */
static int write_report(const ms_cli *cli, cJSON *root, const char *path, int exit_code)
{
    if (!path) {
        cJSON_Delete(root);
        return exit_code;
    }
    ms_error err;
    if (!root) {
        ms_fail(&err, MS_ERR_NOMEM, NULL);
        ms_print_error(cli, &err);
        return MS_EXIT_FAILURE;
    }
    cJSON_AddNumberToObject(root, "exit_code", exit_code);
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text) {
        ms_fail(&err, MS_ERR_NOMEM, NULL);
        ms_print_error(cli, &err);
        return MS_EXIT_FAILURE;
    }
    ms_code rc = MS_OK;
    if (strcmp(path, "-") == 0) {
        ms_out("%s\n", text);
    } else {
        strbuf sb;
        strbuf_init(&sb);
        strbuf_addstr(&sb, text);
        strbuf_addch(&sb, '\n');
        rc = sb.oom ? ms_fail(&err, MS_ERR_NOMEM, NULL)
                    : ms_file_write_atomic(path, sb.buf, sb.len, &err);
        strbuf_free(&sb);
    }
    cJSON_free(text);
    if (rc != MS_OK) {
        ms_print_error(cli, &err);
        return MS_EXIT_FAILURE;
    }
    return exit_code;
}

/* ---- scanning and printing */

/* Loads the profile, opens the machine, scans. On failure prints why,
 * leaves *prof and *scan NULL and the machine closed, and returns the exit
 * code (> 0). */
static int open_and_scan(const ms_cli *cli, profile **prof, ms_env_win32 *env, ms_scan **scan)
{
    ms_error err;
    bool env_open = false;
    *scan = NULL;
    int rc = profile_res_load(cli, prof);
    if (rc != MS_EXIT_OK)
        goto out;
    rc = MS_EXIT_FAILURE;
    if (env_win32_open(env, &err) != MS_OK)
        goto out;
    env_open = true;
    if (engine_scan(&env->env, *prof, env_win32_running, NULL, scan, &err) != MS_OK)
        goto out;
    rc = MS_EXIT_OK;
out:
    if (rc == MS_EXIT_FAILURE)
        ms_print_error(cli, &err);
    if (rc != MS_EXIT_OK) {
        if (env_open)
            env_win32_close(env);
        profile_free(*prof);
        *prof = NULL;
        *scan = NULL;
    }
    return rc;
}

/* The numbered steps for a program set by hand, indented. */
static void print_steps(const ms_cli *cli, const profile *prof, const ms_account *a)
{
    strbuf steps;
    strbuf_init(&steps);
    const char *title = NULL;
    size_t n = byhand_steps(prof, a->program, cli->lang, &steps, &title);
    if (title)
        ms_out("    %s\n", title);
    for (size_t i = 0, k = 0; !steps.oom && k < n; k++) {
        ms_out("    %zu. %s\n", k + 1, steps.buf + i);
        i += strlen(steps.buf + i) + 1;
    }
    if (!n)
        ms_out("    %s\n", ja(cli) ? "プロバイダーの案内に沿って設定してください。"
                                   : "Please follow your provider's instructions.");
    strbuf_free(&steps);
}

/* The last apply was interrupted (killed, a power cut): the newest backup
 * not undone still says "in progress" (engine_interrupted, which also
 * removes the run's temporary files). Said on stderr with T06 and the way
 * out; dir gets the folder. */
static bool interrupted_run(const ms_cli *cli, const ms_env_win32 *env, strbuf *dir, ms_error *err)
{
    bool interrupted = false;
    ms_error ignored;
    strbuf_reset(dir);
    if (env_win32_last_backup_dir(env, dir, &ignored) != MS_OK ||
        engine_interrupted(&env->env, dir->buf, &interrupted, &ignored) != MS_OK || !interrupted)
        return false;
    ms_fail(err, MS_ERR_RUN_INTERRUPTED, "%s", dir->buf);
    ms_print_error(cli, err);
    ms_errout("%s\n",
              ja(cli) ? "元に戻すには: mailsetup undo --yes" : "To undo it: mailsetup undo --yes");
    return true;
}

static void add_interrupted(const ms_cli *cli, cJSON *report, const strbuf *dir,
                            const ms_error *err)
{
    cJSON *o = report ? error_json(cli, err) : NULL;
    if (o) {
        cJSON_AddStringToObject(o, "backup", dir->buf);
        cJSON_AddItemToObject(report, "interrupted_run", o);
    }
}

static void print_scan(const ms_cli *cli, const profile *prof, const ms_scan *s)
{
    strbuf sb;
    strbuf_init(&sb);
    char buf[1024];
    for (size_t p = 0; p < s->n_programs; p++) {
        const engine_program *pr = &s->programs[p];
        if (pr->scan_rc != MS_OK) {
            ms_out("[%s] %s\n", pr->backend->id,
                   ms_error_format(&pr->scan_err, cli->lang, buf, sizeof buf));
            continue;
        }
        if (!pr->n_accounts)
            continue;
        ms_out("[%s]%s\n", pr->backend->id,
               pr->running
                   ? (ja(cli) ? " (起動中です。終了してください)" : " (running; please close it)")
                   : "");
        for (size_t i = 0; i < s->plan->count; i++) {
            const plan_item *it = &s->plan->items[i];
            const ms_account *a = it->account;
            if (a->program != pr->backend->program)
                continue;
            ms_out("  %s  %s <%s>%s%s%s\n", a->id, a->account_name ? a->account_name : "",
                   a->email ? a->email : "", a->container ? " (" : "",
                   a->container ? a->container : "", a->container ? ")" : "");
            if (a->read_error.code != MS_OK) {
                ms_out("    [%s] %s\n", ms_code_helpdesk(a->read_error.code),
                       ms_error_format(&a->read_error, cli->lang, buf, sizeof buf));
                if (by_hand(a))
                    print_steps(cli, prof, a);
                continue;
            }
            ms_out("    %s\n", plan_item_text(it, cli->lang));
            for (size_t k = 0; k < it->n_changes; k++) {
                strbuf_reset(&sb);
                plan_describe_change(&it->changes[k], a->program, cli->lang, &sb);
                ms_out("    - %s\n", sb.buf);
            }
            if (it->n_manual && it->status != PLAN_MANUAL)
                ms_out("    %s\n", plan_manual_text(it, cli->lang));
            for (size_t k = 0; k < it->n_manual; k++) {
                strbuf_reset(&sb);
                plan_describe_change(&it->manual[k], a->program, cli->lang, &sb);
                ms_out("    * %s\n", sb.buf);
            }
            strbuf_reset(&sb);
            plan_describe_security_note(it, cli->lang, &sb);
            if (sb.len)
                ms_out("    %s\n", sb.buf);
        }
    }
    strbuf_free(&sb);
}

static bool has_isp_account(const ms_scan *s)
{
    return s->plan->count > plan_count(s->plan, PLAN_NOT_ISP);
}

static bool wants_change(const plan_item *it)
{
    return it->status == PLAN_CHANGE || it->status == PLAN_ADD_ACCOUNT;
}

/* Options shared by the verbs. */
struct opts {
    const char *json;
    bool yes, dry;
    const char **accounts;
    size_t n_accounts;
    const char *backup;
};

/* Parses argv[1..]; allowed: the options this verb takes. */
static bool parse_opts(int argc, char **argv, const char *allowed, struct opts *o)
{
    memset(o, 0, sizeof *o);
    o->accounts = calloc((size_t)argc, sizeof *o->accounts);
    if (!o->accounts)
        return false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_arg = i + 1 < argc;
        if (strcmp(a, "--json") == 0 && has_arg && strstr(allowed, "json"))
            o->json = argv[++i];
        else if (strcmp(a, "--yes") == 0 && strstr(allowed, "yes"))
            o->yes = true;
        else if (strcmp(a, "--dry-run") == 0 && strstr(allowed, "dry"))
            o->dry = true;
        else if (strcmp(a, "--account") == 0 && has_arg && strstr(allowed, "account"))
            o->accounts[o->n_accounts++] = argv[++i];
        else if (strcmp(a, "--backup") == 0 && has_arg && strstr(allowed, "backup") && !o->backup)
            o->backup = argv[++i];
        else if (a[0] != '-' && strstr(allowed, "backup") && !o->backup)
            o->backup = a; /* undo BACKUP_FOLDER, as before */
        else
            return false;
    }
    return true;
}

static int run_scan(ms_cli *cli, int argc, char **argv)
{
    struct opts o;
    if (!parse_opts(argc, argv, "json", &o)) {
        free(o.accounts);
        return usage(cli, "scan [--json FILE|-]");
    }
    free(o.accounts);
    /* An interrupted run first: its half-changed account goes back before
     * the scan reads it. */
    strbuf idir;
    strbuf_init(&idir);
    ms_error ierr;
    bool interrupted = false;
    ms_env_win32 ienv;
    if (env_win32_open(&ienv, &ierr) == MS_OK) {
        interrupted = interrupted_run(cli, &ienv, &idir, &ierr);
        env_win32_close(&ienv);
    }
    profile *prof;
    ms_env_win32 env;
    ms_scan *s;
    int rc = open_and_scan(cli, &prof, &env, &s);
    if (rc != MS_EXIT_OK) {
        strbuf_free(&idir);
        return rc;
    }
    /* With --json -, stdout is the JSON alone. */
    if (!o.json || strcmp(o.json, "-") != 0)
        print_scan(cli, prof, s);
    if (!has_isp_account(s) && has_by_hand(s)) {
        /* Never "nothing to change" while a program only the subscriber
         * can set is there: its steps are above (exit 8). */
        if (!o.json || strcmp(o.json, "-") != 0)
            ms_out("%s\n", ja(cli)
                               ? "このパソコンには、自動では変更できないメールソフトがあります。上"
                                 "の手順に沿って設定を変更してください。"
                               : "This PC has a mail program that cannot be changed automatically. "
                                 "Please change its settings with the steps above.");
        rc = MS_EXIT_BY_HAND;
    } else if (!has_isp_account(s)) {
        if (!o.json || strcmp(o.json, "-") != 0)
            ms_out("%s\n",
                   ja(cli)
                       ? "このプロバイダーのメールアカウントは見つかりませんでした。設定の変更は必"
                         "要ありません。"
                       : "No mail account of this provider was found. Nothing needs to change.");
        rc = MS_EXIT_NOTHING;
    }
    /* An account that cannot be read is named on stderr too, and makes the
     * scan fail: it may be this ISP's. */
    for (size_t i = 0; i < s->plan->count; i++) {
        const ms_account *a = s->plan->items[i].account;
        /* A program the wizard cannot change (Eudora) is information: the
         * scan has said so ([F32]) and the profile's steps are the way. */
        if (a->read_error.code == MS_OK || a->read_error.code == MS_ERR_MANUAL_STEPS)
            continue;
        ms_error err;
        ms_fail(&err, MS_ERR_ACCOUNT_UNREADABLE, "%s: %s", a->id, a->read_error.detail);
        ms_print_error(cli, &err);
        rc = MS_EXIT_FAILURE;
    }
    if (interrupted && rc != MS_EXIT_FAILURE)
        rc = MS_EXIT_INTERRUPTED;
    cJSON *report = o.json ? report_json(cli, prof, s) : NULL;
    if (interrupted)
        add_interrupted(cli, report, &idir, &ierr);
    rc = write_report(cli, report, o.json, rc);
    strbuf_free(&idir);
    engine_scan_free(s);
    env_win32_close(&env);
    profile_free(prof);
    return rc;
}

/* Which way an account that has an account API was changed ("path":
 * "api" | "registry") and, for the registry, why the API was not used
 * ("path_reason"). Accounts of programs without an API get neither. */
static void add_path(cJSON *r, const acctprops_ctx *paths, const char *id)
{
    size_t n = 0;
    const acctprops_record *recs = acctprops_records(paths, &n);
    const acctprops_record *last = NULL;
    for (size_t i = 0; i < n; i++)
        if (strcmp(recs[i].account_id, id) == 0)
            last = &recs[i];
    if (!last)
        return;
    cJSON_AddStringToObject(r, "path", acctprops_path_id(last->path));
    if (last->reason[0])
        cJSON_AddStringToObject(r, "path_reason", last->reason);
}

static const char *outcome_id(engine_outcome o)
{
    static const char *const ids[] = {"skipped", "changed", "added", "rolled_back", "failed"};
    return (unsigned)o < 5 ? ids[o] : "unknown";
}

static const char *outcome_text(engine_outcome o, bool j)
{
    switch (o) {
    case ENGINE_SKIPPED:
        return j ? "変更なし" : "unchanged";
    case ENGINE_CHANGED:
        return j ? "変更しました" : "changed";
    case ENGINE_ADDED:
        return j ? "追加しました" : "added";
    case ENGINE_ROLLED_BACK:
        return j ? "失敗したため元に戻しました" : "failed, restored";
    case ENGINE_FAILED:
        return j ? "失敗しました (元に戻せませんでした)" : "failed (could not restore)";
    }
    return "?";
}

/* Test-only switch for the Wine tests of rollback (tests/wine/
 * test_oe_fault.py): MAILSETUP_TEST_FAULT_WRITE=n makes the n-th write of
 * this apply fail once (fault.h counts the journal's file writes and the
 * registry's writes alike). Only in the test-hook build
 * (cmake/test_hooks.cmake): what ships never reads it. */
static bool arm_test_fault(void)
{
#ifndef MS_TEST_HOOKS
    return false;
#endif
    bool armed = false;
    strbuf v;
    strbuf_init(&v);
    ms_error ignored;
    if (ms_getenv("MAILSETUP_TEST_FAULT_WRITE", &v, &ignored) == MS_OK && v.len) {
        char *end;
        unsigned long n = strtoul(v.buf, &end, 10);
        if (*end == '\0' && n > 0) {
            fault_arm(n, false);
            armed = true;
        }
    }
    strbuf_free(&v);
    return armed;
}

/* What apply makes of the accounts before changing anything. */
struct apply_sel {
    bool *sel;            /* per plan item: to be changed */
    size_t n_unreadable;  /* selected accounts that cannot be read */
    const char *bad_id;   /* an --account that names no account */
    bool busy;            /* a running program kept some accounts back */
};

/* Selects the accounts --account names (all without it); an unreadable
 * one is said, since it might be this ISP's. */
static void select_named(const ms_cli *cli, const ms_scan *s, const struct opts *o,
                         struct apply_sel *a)
{
    ms_error err;
    size_t n = s->plan->count;
    for (size_t i = 0; i < n; i++) {
        const ms_account *acct = s->plan->items[i].account;
        bool named = !o->n_accounts;
        for (size_t k = 0; k < o->n_accounts && !named; k++)
            named = acct->id && strcmp(acct->id, o->accounts[k]) == 0;
        a->sel[i] = named;
        /* An account that cannot be read might be this ISP's: without
         * --account, nothing changes until it is mended or left out. */
        if (named && acct->read_error.code != MS_OK &&
            acct->read_error.code != MS_ERR_MANUAL_STEPS) {
            a->n_unreadable++;
            ms_fail(&err, MS_ERR_ACCOUNT_UNREADABLE, "%s: %s", acct->id, acct->read_error.detail);
            ms_print_error(cli, &err);
        }
    }
    for (size_t k = 0; k < o->n_accounts && !a->bad_id; k++) {
        bool found = false;
        for (size_t i = 0; i < n && !found; i++)
            found = s->plan->items[i].account->id &&
                    strcmp(s->plan->items[i].account->id, o->accounts[k]) == 0;
        if (!found)
            a->bad_id = o->accounts[k];
    }
}

/* A running program blocks only its own accounts: they are left out, and
 * each such program is said. */
static void leave_out_running(const ms_cli *cli, const ms_scan *s, struct apply_sel *a)
{
    ms_error err;
    size_t n = s->plan->count;
    for (size_t i = 0; i < n; i++) {
        const plan_item *it = &s->plan->items[i];
        const engine_program *pr = program_of(s, it->account->program);
        if (a->sel[i] && wants_change(it) && pr && pr->running) {
            a->sel[i] = false;
            a->busy = true;
        }
    }
    for (size_t p = 0; a->busy && p < s->n_programs; p++) {
        const engine_program *pr = &s->programs[p];
        bool blocks = false;
        for (size_t i = 0; i < n && pr->running && !blocks; i++)
            blocks = s->plan->items[i].account->program == pr->backend->program &&
                     wants_change(&s->plan->items[i]);
        if (blocks) {
            ms_fail(&err, MS_ERR_PROGRAM_RUNNING, "%s", pr->backend->process_names[0]);
            ms_print_error(cli, &err);
        }
    }
}

static bool any_change(const ms_scan *s, const bool *sel)
{
    for (size_t i = 0; i < s->plan->count; i++)
        if (sel[i] && wants_change(&s->plan->items[i]))
            return true;
    return false;
}

static bool result_failed(const engine_result *r)
{
    return r->outcome == ENGINE_ROLLED_BACK || r->outcome == ENGINE_FAILED;
}

/* One account's outcome: printed (unless quiet) and added to results. */
static void report_result(const ms_cli *cli, const char *id, const engine_result *r,
                          const acctprops_ctx *paths, cJSON *results, bool quiet)
{
    if (!quiet) {
        ms_out("%s: %s\n", id, outcome_text(r->outcome, ja(cli)));
        if (r->new_id)
            ms_out("  -> %s\n", r->new_id);
    }
    if (result_failed(r))
        ms_print_error(cli, &r->err);
    cJSON *o = results ? cJSON_CreateObject() : NULL;
    if (!o || !cJSON_AddItemToArray(results, o)) {
        cJSON_Delete(o);
        return;
    }
    cJSON_AddStringToObject(o, "id", id);
    cJSON_AddStringToObject(o, "outcome", outcome_id(r->outcome));
    if (r->new_id)
        cJSON_AddStringToObject(o, "new_id", r->new_id);
    add_path(o, paths, id);
    if (result_failed(r))
        cJSON_AddItemToObject(o, "error", error_json(cli, &r->err));
}

/* Every changed account's outcome, then the backup folder. */
static void report_results(const ms_cli *cli, const ms_scan *s, const engine_result *res,
                           const acctprops_ctx *paths, const char *dir, cJSON *report,
                           cJSON *results, bool quiet)
{
    for (size_t i = 0; i < s->plan->count; i++)
        if (res[i].outcome != ENGINE_SKIPPED)
            report_result(cli, s->plan->items[i].account->id, &res[i], paths, results, quiet);
    if (!quiet)
        ms_out("%s %s\n", ja(cli) ? "バックアップ:" : "Backup:", dir);
    if (report)
        cJSON_AddStringToObject(report, "backup", dir);
}

/* Changes the selected accounts (backup first); returns the exit code. */
static int apply_selected(const ms_cli *cli, ms_env_win32 *env, const ms_scan *s,
                          const struct apply_sel *a, cJSON *report, bool quiet)
{
    ms_error err;
    strbuf dir;
    strbuf_init(&dir);
    engine_result *res = NULL;
    ms_code c = env_win32_new_backup_dir(env, &dir, &err);
    bool armed = arm_test_fault();
    /* Outlook's accounts go through its Account Management API where
     * it is there; each account's path and reason are recorded. */
    acctapi_state api;
    acctprops_ctx paths = {0};
    acctapi_install(&api, &paths);
    env->env.acctprops = &paths;
    if (c == MS_OK)
        c = engine_apply(&env->env, s, a->sel, env_win32_running, NULL, dir.buf, &res, &err);
    env->env.acctprops = NULL;
    acctapi_uninstall(&paths);
    if (armed && report)
        cJSON_AddBoolToObject(report, "test_fault_fired", fault_fired());
    fault_arm(0, false);
    cJSON *results = report ? cJSON_AddArrayToObject(report, "results") : NULL;
    if (res)
        report_results(cli, s, res, &paths, dir.buf, report, results, quiet);
    else
        ms_print_error(cli, &err);
    int rc = c == MS_OK                    ? (a->busy ? MS_EXIT_BUSY : MS_EXIT_OK)
             : c == MS_ERR_PROGRAM_RUNNING ? MS_EXIT_BUSY
             : res                         ? MS_EXIT_ROLLED_BACK
                                           : MS_EXIT_FAILURE;
    engine_results_free(res, s->plan->count);
    acctprops_records_clear(&paths);
    strbuf_free(&dir);
    return rc;
}

/* After selection: why nothing changes (exit code), or the change. */
static int apply_decide(const ms_cli *cli, ms_env_win32 *env, const ms_scan *s,
                        const struct opts *o, const struct apply_sel *a, cJSON *report)
{
    if (a->bad_id)
        return usage(cli, a->bad_id);
    if (a->n_unreadable)
        return MS_EXIT_FAILURE;
    if (!has_isp_account(s)) {
        /* A program set by hand (steps printed above) is still to do. */
        return has_by_hand(s) ? MS_EXIT_BY_HAND : MS_EXIT_NOTHING;
    }
    if (!any_change(s, a->sel) || o->dry)
        return a->busy ? MS_EXIT_BUSY : MS_EXIT_OK;
    bool quiet = o->json && strcmp(o->json, "-") == 0;
    return apply_selected(cli, env, s, a, report, quiet);
}

/* Nothing changes on top of an interrupted run: undo it first. Returns
 * whether it was (the report is then written, *rc its exit code). */
static bool apply_interrupted(const ms_cli *cli, const ms_env_win32 *env, const struct opts *o,
                              int *rc)
{
    strbuf idir;
    strbuf_init(&idir);
    ms_error ierr;
    bool interrupted = !o->dry && interrupted_run(cli, env, &idir, &ierr);
    if (interrupted) {
        cJSON *r = o->json ? cJSON_CreateObject() : NULL;
        add_interrupted(cli, r, &idir, &ierr);
        *rc = write_report(cli, r, o->json, MS_EXIT_INTERRUPTED);
    }
    strbuf_free(&idir);
    return interrupted;
}

static int run_apply(ms_cli *cli, int argc, char **argv)
{
    struct opts o;
    profile *prof = NULL;
    ms_env_win32 env;
    ms_scan *s = NULL;
    struct apply_sel a = {0};
    int rc;
    if (!parse_opts(argc, argv, "json yes dry account", &o)) {
        rc = usage(cli, "apply --yes|--dry-run [--account ID]... [--json FILE|-]");
        goto out;
    }
    if (!o.yes && !o.dry) {
        rc = usage(cli, ja(cli) ? "設定を変更するには --yes を付けてください (確認だけなら --dry-run)"
                                : "apply changes settings only with --yes (or use --dry-run)");
        goto out;
    }
    rc = open_and_scan(cli, &prof, &env, &s);
    if (rc != MS_EXIT_OK)
        goto out;
    if (apply_interrupted(cli, &env, &o, &rc))
        goto out;
    /* outgoing.tls_upgrade: the servers are asked before the plan is shown. */
    ms_error uerr;
    if (tlsup_net_plan(s->plan, prof, NULL, &uerr) != MS_OK)
        ms_print_error(cli, &uerr);
    if (!(o.json && strcmp(o.json, "-") == 0))
        print_scan(cli, prof, s);
    a.sel = calloc(s->plan->count ? s->plan->count : 1, sizeof *a.sel);
    cJSON *report = o.json ? report_json(cli, prof, s) : NULL;
    if (a.sel) {
        select_named(cli, s, &o, &a);
        leave_out_running(cli, s, &a);
    }
    rc = a.sel ? apply_decide(cli, &env, s, &o, &a, report) : MS_EXIT_FAILURE;
    rc = write_report(cli, report, o.json, rc);
out:
    free(a.sel);
    free(o.accounts);
    if (s) {
        engine_scan_free(s);
        env_win32_close(&env);
    }
    profile_free(prof);
    return rc;
}

/* Restores the --backup folder or the newest one into dir, and marks it
 * undone. */
static ms_code undo_restore(const ms_env_win32 *env, const struct opts *o, strbuf *dir,
                            ms_error *err)
{
    ms_code c = MS_OK;
    if (o->backup)
        strbuf_addstr(dir, o->backup);
    else
        c = env_win32_last_backup_dir(env, dir, err);
    if (c != MS_OK)
        return c;
    c = engine_undo(&env->env, dir->buf, err);
    if (c != MS_OK)
        return c;
    return env_win32_mark_undone(dir->buf, err);
}

static cJSON *undo_report_json(const ms_cli *cli, const strbuf *dir, ms_code c,
                               const ms_error *err)
{
    cJSON *report = cJSON_CreateObject();
    if (!report)
        return NULL;
    if (dir->len)
        cJSON_AddStringToObject(report, "backup", dir->buf);
    cJSON_AddBoolToObject(report, "restored", c == MS_OK);
    if (c != MS_OK)
        cJSON_AddItemToObject(report, "error", error_json(cli, err));
    return report;
}

static int run_undo(ms_cli *cli, int argc, char **argv)
{
    struct opts o;
    if (!parse_opts(argc, argv, "json yes backup", &o)) {
        free(o.accounts);
        return usage(cli, "undo [--backup FOLDER] --yes [--json FILE|-]");
    }
    free(o.accounts);
    if (!o.yes)
        return usage(cli, ja(cli) ? "元に戻すには --yes を付けてください"
                                  : "undo restores settings only with --yes");
    ms_env_win32 env;
    ms_error err;
    if (env_win32_open(&env, &err) != MS_OK) {
        ms_print_error(cli, &err);
        return MS_EXIT_FAILURE;
    }
    strbuf dir;
    strbuf_init(&dir);
    ms_code c = undo_restore(&env, &o, &dir, &err);
    int rc = MS_EXIT_OK;
    bool quiet = o.json && strcmp(o.json, "-") == 0;
    if (c == MS_OK) {
        if (!quiet)
            ms_out("%s %s\n", ja(cli) ? "元に戻しました:" : "Restored:", dir.buf);
    } else {
        ms_print_error(cli, &err);
        rc = c == MS_ERR_NO_BACKUP ? MS_EXIT_NOTHING : MS_EXIT_FAILURE;
    }
    cJSON *report = o.json ? undo_report_json(cli, &dir, c, &err) : NULL;
    rc = write_report(cli, report, o.json, rc);
    strbuf_free(&dir);
    env_win32_close(&env);
    return rc;
}

const ms_cli_verb verb_scan = {
    "scan", "scan [--json FILE|-]",
    "メールソフトとアカウントを調べ、必要な変更を表示します\n"
    "  --json FILE|-             結果を JSON で書きます (- は標準出力に、JSON だけを)\n",
    "find mail programs and accounts, show what would change\n"
    "  --json FILE|-             write the report as JSON (-: to standard output, alone)\n",
    run_scan};
const ms_cli_verb verb_apply = {
    "apply", "apply --yes|--dry-run [--account ID]... [--json FILE|-]",
    "設定を変更します (バックアップを取り、確認し、失敗したら戻します)\n"
    "  --yes                     変更します (付けないと何も変更しません)\n"
    "  --dry-run                 変更の予定だけを表示します\n"
    "  --account ID              この ID のアカウントだけを変更します (繰り返せます; ID は scan "
    "が表示します)\n"
    "  --json FILE|-             結果を JSON で書きます (- は標準出力に、JSON だけを)\n",
    "change the settings (backed up, verified, rolled back on failure)\n"
    "  --yes                     change (without it nothing changes)\n"
    "  --dry-run                 only show what would change\n"
    "  --account ID              change only this account (repeatable; scan lists the ids)\n"
    "  --json FILE|-             write the report as JSON (-: to standard output, alone)\n",
    run_apply};
const ms_cli_verb verb_undo = {
    "undo", "undo [--backup FOLDER] --yes [--json FILE|-]",
    "最後の変更を元に戻します\n"
    "  --yes                     元に戻します (付けないと何も変更しません)\n"
    "  --backup FOLDER           このバックアップから戻します (既定: 最後のもの)\n"
    "  --json FILE|-             結果を JSON で書きます (- は標準出力に、JSON だけを)\n",
    "undo the last change\n"
    "  --yes                     restore (without it nothing changes)\n"
    "  --backup FOLDER           restore this backup (default: the last one)\n"
    "  --json FILE|-             write the report as JSON (-: to standard output, alone)\n",
    run_undo};
