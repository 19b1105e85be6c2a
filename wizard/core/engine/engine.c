/* engine: scan every back-end, apply plans with journal, verify by
 * re-scanning, roll back an account whose change did not verify. */
#include "engine.h"

#include <stdlib.h>
#include <string.h>

#include "path.h"
#include "platform.h"
#include "journal.h"

static bool str_eq(const char *a, const char *b)
{
    if (!a || !*a)
        return !b || !*b;
    return b && strcmp(a, b) == 0;
}

static bool host_eq(const char *a, const char *b)
{
    if (!a || !*a)
        return !b || !*b;
    return b && ms_strcasecmp(a, b) == 0;
}

bool engine_settings_equal(const ms_account *a, const ms_account *b)
{
    return host_eq(a->smtp_host, b->smtp_host) && a->smtp_port == b->smtp_port &&
           a->smtp_auth == b->smtp_auth &&
           (a->smtp_auth != MS_AUTH_OWN || str_eq(a->smtp_user, b->smtp_user)) &&
           a->smtp_security == b->smtp_security && host_eq(a->incoming_host, b->incoming_host) &&
           str_eq(a->incoming_user, b->incoming_user) && a->is_default == b->is_default &&
           str_eq(a->email, b->email);
}

static bool profile_wants(const void *ctx, const char *email, const char *incoming_host,
                          const char *outgoing_host)
{
    return profile_owns_account(ctx, email, incoming_host, outgoing_host);
}

ms_scope engine_profile_scope(const profile *p)
{
    return (ms_scope){profile_wants, p, NULL};
}

ms_code engine_scan(const ms_env *env_in, const profile *p, engine_running_fn running, void *ctx,
                    ms_scan **out, ms_error *err)
{
    /* Other providers' accounts are listed, not read in full. */
    const ms_scope scope = engine_profile_scope(p);
    ms_env scoped = *env_in;
    if (p)
        scoped.scope = &scope;
    const ms_env *env = &scoped;
    *out = NULL;
    size_t nb;
    const ms_backend *const *bes = backend_table(&nb);
    ms_scan *s = calloc(1, sizeof *s);
    if (!s)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    account_list_init(&s->accounts);
    s->programs = calloc(nb ? nb : 1, sizeof *s->programs);
    if (!s->programs) {
        free(s);
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    }
    s->n_programs = nb;
    for (size_t i = 0; i < nb; i++) {
        engine_program *pr = &s->programs[i];
        pr->backend = bes[i];
        size_t before = s->accounts.count;
        ms_error_clear(&pr->scan_err);
        pr->scan_rc = bes[i]->scan(env, &s->accounts, &pr->scan_err);
        if (pr->scan_rc == MS_ERR_NOMEM) {
            engine_scan_free(s);
            return ms_fail(err, MS_ERR_NOMEM, NULL);
        }
        if (pr->scan_rc != MS_OK) {
            /* A program whose settings cannot be read is reported and left
             * alone; its partial accounts are dropped. */
            while (s->accounts.count > before)
                account_free(&s->accounts.items[--s->accounts.count]);
        }
        pr->n_accounts = s->accounts.count - before;
        pr->running = running && pr->n_accounts && running(bes[i]->process_names, ctx);
    }
    ms_code rc = plan_build(p, &s->accounts, &s->plan, err);
    if (rc != MS_OK) {
        engine_scan_free(s);
        return rc;
    }
    *out = s;
    return MS_OK;
}

void engine_scan_free(ms_scan *s)
{
    if (!s)
        return;
    plan_free(s->plan);
    account_list_free(&s->accounts);
    free(s->programs);
    free(s);
}

static const ms_backend *backend_of(const ms_scan *scan, ms_program prog)
{
    for (size_t i = 0; i < scan->n_programs; i++)
        if (scan->programs[i].backend->program == prog)
            return scan->programs[i].backend;
    return NULL;
}

/* Re-reads the account with id (copied into *out) in full, or
 * MS_ERR_VERIFY when it is gone. The scope lets the registry back-ends skip
 * every other account, identity and profile: a re-read after each of n
 * changes must not cost n full scans. */
static ms_code reread(const ms_env *env_in, const ms_backend *be, const char *id, ms_account *out,
                      ms_error *err)
{
    const ms_scope only = {.only_id = id};
    ms_env env_one = *env_in;
    env_one.scope = &only;
    const ms_env *env = &env_one;
    ms_account_list l;
    account_list_init(&l);
    ms_code rc = be->scan(env, &l, err);
    if (rc == MS_OK) {
        rc = ms_fail(err, MS_ERR_VERIFY, "%s", id);
        for (size_t i = 0; i < l.count; i++) {
            if (l.items[i].id && strcmp(l.items[i].id, id) == 0) {
                rc = account_copy(out, &l.items[i]);
                if (rc != MS_OK)
                    ms_fail(err, rc, NULL);
                break;
            }
        }
    }
    account_list_free(&l);
    return rc;
}

/* Applies one plan item and checks the result; on any failure undoes what
 * the journal holds for this account. */
static void apply_item(const ms_env *env, const ms_backend *be, const plan_item *it, ms_journal *j,
                       engine_result *res)
{
    const ms_account *a = it->account;
    ms_error *err = &res->err;
    ms_account want, got;
    ms_code rc = journal_account(j, a->id, err);
    if (rc != MS_OK) {
        res->outcome = ENGINE_FAILED;
        return;
    }
    rc = plan_expected_account(a, it->changes, it->n_changes, &want, err);
    if (rc != MS_OK) {
        res->outcome = ENGINE_FAILED;
        return;
    }
    const char *check_id = a->id;
    if (it->status == PLAN_ADD_ACCOUNT) {
        if (!be->add_account) { /* plan_build makes this a step by hand: a bug */
            ms_fail(err, MS_ERR_INTERNAL, "add-account planned for %s, which cannot add one",
                    account_program_id(a->program));
            res->outcome = ENGINE_SKIPPED;
            account_free(&want);
            return;
        }
        rc = be->add_account(env, a, it->changes, it->n_changes, it->make_default, j, &res->new_id,
                             err);
        check_id = res->new_id;
    } else {
        rc = be->apply(env, a, it->changes, it->n_changes, j, err);
    }
    if (rc == MS_OK && check_id) {
        ms_error_clear(err);
        rc = reread(env, be, check_id, &got, err);
        if (rc == MS_OK) {
            if (!engine_settings_equal(&want, &got))
                rc = ms_fail(err, MS_ERR_VERIFY, "%s", check_id);
            account_free(&got);
        }
    } else if (rc == MS_OK) {
        rc = ms_fail(err, MS_ERR_VERIFY, "%s", a->id);
    }
    account_free(&want);
    if (rc == MS_OK) {
        res->outcome = it->status == PLAN_ADD_ACCOUNT ? ENGINE_ADDED : ENGINE_CHANGED;
        return;
    }
    /* Keep the first error; the rollback's own error only if it fails. */
    ms_error undo_err;
    if (journal_undo_account(j, env->reg, a->id, &undo_err) == MS_OK) {
        res->outcome = ENGINE_ROLLED_BACK;
    } else {
        res->outcome = ENGINE_FAILED;
        *err = undo_err;
    }
    free(res->new_id);
    res->new_id = NULL;
}

/* Whether apply changes plan item i. */
static bool to_change(const ms_plan *plan, const bool *selected, size_t i)
{
    const plan_item *it = &plan->items[i];
    return (!selected || selected[i]) &&
           (it->status == PLAN_CHANGE || it->status == PLAN_ADD_ACCOUNT);
}

/* MS_ERR_PROGRAM_RUNNING naming the first program to be changed that runs. */
static ms_code refuse_running(const ms_scan *scan, const bool *selected,
                              engine_running_fn running, void *ctx, ms_error *err)
{
    for (size_t i = 0; running && i < scan->plan->count; i++) {
        if (!to_change(scan->plan, selected, i))
            continue;
        const ms_backend *be = backend_of(scan, scan->plan->items[i].account->program);
        if (be && running(be->process_names, ctx))
            return ms_fail(err, MS_ERR_PROGRAM_RUNNING, "%s", be->process_names[0]);
    }
    return MS_OK;
}

/* The end of the run could not be recorded: a change whose backup is not
 * complete is no change. Everything goes back; first becomes rc. */
static void undo_unrecorded(const ms_env *env, ms_journal *j, engine_result *res, size_t n,
                            ms_code rc, const ms_error *ferr, ms_code *first, ms_error *err)
{
    ms_error uerr, e2;
    bool undone = journal_undo(j, env->reg, &uerr) == MS_OK;
    for (size_t i = 0; i < n; i++) {
        if (res[i].outcome == ENGINE_CHANGED || res[i].outcome == ENGINE_ADDED) {
            res[i].outcome = undone ? ENGINE_ROLLED_BACK : ENGINE_FAILED;
            res[i].err = *ferr;
            free(res[i].new_id);
            res[i].new_id = NULL;
        }
    }
    if (*first == MS_OK) {
        *first = rc;
        if (err)
            *err = *ferr;
    }
    /* The first failure is what the caller hears; a journal that cannot
     * also record its end is found by the next start (interrupted run). */
    (void)!journal_finish(j, undone ? JOURNAL_STATE_ROLLED_BACK : JOURNAL_STATE_FAILED, &e2);
}

ms_code engine_apply(const ms_env *env, const ms_scan *scan, const bool *selected,
                     engine_running_fn running, void *ctx, const char *backup_dir,
                     engine_result **results, ms_error *err)
{
    *results = NULL;
    const ms_plan *plan = scan->plan;
    /* Nothing changes while a program that would be changed is running. */
    ms_code rc = refuse_running(scan, selected, running, ctx, err);
    if (rc != MS_OK)
        return rc;
    engine_result *res = calloc(plan->count ? plan->count : 1, sizeof *res);
    if (!res)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    ms_journal *j;
    rc = journal_open(backup_dir, &j, err);
    if (rc != MS_OK) {
        free(res);
        return rc;
    }
    ms_code first = MS_OK;
    bool failed = false;
    for (size_t i = 0; i < plan->count; i++) {
        ms_error_clear(&res[i].err);
        const ms_backend *be =
            to_change(plan, selected, i) ? backend_of(scan, plan->items[i].account->program) : NULL;
        if (!be)
            continue;
        apply_item(env, be, &plan->items[i], j, &res[i]);
        failed = failed || res[i].outcome == ENGINE_FAILED;
        if ((res[i].outcome == ENGINE_ROLLED_BACK || res[i].outcome == ENGINE_FAILED) &&
            first == MS_OK) {
            first = res[i].err.code;
            if (err)
                *err = res[i].err;
        }
    }
    /* The run is over: the next start must not call it interrupted. */
    ms_error ferr;
    rc = journal_finish(j,
                        first == MS_OK ? JOURNAL_STATE_VERIFIED
                        : failed       ? JOURNAL_STATE_FAILED
                                       : JOURNAL_STATE_ROLLED_BACK,
                        &ferr);
    if (rc != MS_OK)
        undo_unrecorded(env, j, res, plan->count, rc, &ferr, &first, err);
    journal_free(j);
    *results = res;
    return first;
}

void engine_results_free(engine_result *r, size_t n)
{
    if (!r)
        return;
    for (size_t i = 0; i < n; i++)
        free(r[i].new_id);
    free(r);
}

/* The folders a backup's files may be in (trust.h): the user's own, and
 * the folder of every settings file the back-ends find now (a Thunderbird
 * profile on another drive, Becky!'s data folder, a moved Windows Live Mail
 * store). Returns the count; roots point into *names (free it). */
static size_t undo_roots(const ms_env *env, strbuf *names, const char ***out)
{
    const char *base[] = {env->appdata, env->local_appdata, env->home};
    for (size_t i = 0; i < 3; i++)
        if (base[i] && *base[i])
            strbuf_add(names, base[i], strlen(base[i]) + 1);
    size_t nb;
    const ms_backend *const *tab = backend_table(&nb);
    for (size_t b = 0; b < nb; b++) {
        ms_account_list l;
        account_list_init(&l);
        ms_error ignored;
        tab[b]->scan(env, &l, &ignored);
        for (size_t i = 0; i < l.count; i++) {
            const char *loc = l.items[i].location;
            size_t dl = loc && ms_path_is_absolute(loc) ? path_dirname_len(loc) : 0;
            if (dl) {
                strbuf_add(names, loc, dl);
                strbuf_addch(names, '\0');
            }
        }
        account_list_free(&l);
    }
    size_t n = 0;
    for (size_t at = 0; at < names->len; at += strlen(names->buf + at) + 1)
        n++;
    const char **roots = calloc(n ? n : 1, sizeof *roots);
    if (!roots || names->oom) {
        free(roots);
        *out = NULL;
        return 0;
    }
    size_t k = 0;
    for (size_t at = 0; at < names->len; at += strlen(names->buf + at) + 1)
        roots[k++] = names->buf + at;
    *out = roots;
    return n;
}

ms_code engine_undo(const ms_env *env, const char *backup_dir, ms_error *err)
{
    ms_journal *j;
    ms_code rc = journal_load(backup_dir, &j, err);
    if (rc != MS_OK)
        return rc;
    strbuf names;
    strbuf_init(&names);
    const char **roots;
    size_t n_roots = undo_roots(env, &names, &roots);
    rc = roots ? journal_check_places(j, roots, n_roots, err) : ms_fail(err, MS_ERR_NOMEM, NULL);
    free(roots);
    strbuf_free(&names);
    if (rc == MS_OK)
        rc = journal_undo(j, env->reg, err);
    journal_free(j);
    return rc;
}

ms_code engine_interrupted(const ms_env *env, const char *backup_dir, bool *interrupted,
                           ms_error *err)
{
    *interrupted = false;
    ms_journal *j;
    ms_code rc = journal_load(backup_dir, &j, err);
    if (rc != MS_OK)
        return rc;
    if (strcmp(journal_state(j), JOURNAL_STATE_IN_PROGRESS) == 0) {
        *interrupted = true;
        /* The account being changed when the run stopped may hold some new
         * values and some old: it goes back to all old. The accounts before
         * it are whole; undo takes them back. */
        const char *last = journal_last_account(j);
        ms_error ignored;
        if (last && env && env->reg)
            /* Best effort: undo of the whole backup comes next anyway. */
            (void)!journal_undo_account(j, env->reg, last, &ignored);
        journal_clean_temp(j);
    }
    journal_free(j);
    return MS_OK;
}
