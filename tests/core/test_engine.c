/* Unit tests: the engine over memreg with the Outlook Express back-end:
 * scan -> apply (journal, verify) -> undo gives the registry back byte for
 * byte; a failure injected at every write in turn (fault.h: the journal's
 * file writes and the registry's writes share one counter) leaves each
 * account fully old or fully new, and undo still restores everything; a
 * running program blocks only itself. */
#define _GNU_SOURCE /* mkdtemp */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "engine.h"
#include "fault.h"
#include "memreg.h"
#include "platform.h"
#include "profile.h"

static profile *load_profile(const char *isp)
{
    char path[512];
    snprintf(path, sizeof path, "%s/isp-profiles/%s.json", MS_SOURCE_DIR, isp);
    profile_errors errs;
    profile_errors_init(&errs);
    profile *p = NULL;
    ms_code rc = profile_load_file(path, &p, &errs);
    profile_errors_free(&errs);
    assert_int_equal(rc, MS_OK);
    return p;
}

static memreg *load_fixture(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/reg/%s", MS_TEST_DATA, name);
    memreg *m = memreg_new();
    ms_error err;
    if (memreg_load_file(m, path, &err) != MS_OK)
        fail_msg("%s: %s", name, err.detail);
    return m;
}

static void rm_rf(const char *dir)
{
    strbuf list;
    strbuf_init(&list);
    ms_error err;
    if (ms_dir_list(dir, &list, &err) == MS_OK) {
        for (size_t i = 0; i < list.len;) {
            char kind = list.buf[i];
            const char *name = list.buf + i + 1;
            char p[600];
            snprintf(p, sizeof p, "%s/%s", dir, name);
            if (kind == 'd')
                rm_rf(p);
            else
                unlink(p);
            i += strlen(name) + 2;
        }
    }
    strbuf_free(&list);
    rmdir(dir);
}

static void fresh_dir(char *dir, size_t n)
{
    snprintf(dir, n, "/tmp/test_engine.XXXXXX");
    assert_non_null(mkdtemp(dir));
}

/* The ISP's accounts, each either as scanned or as planned. */
static void assert_each_old_or_new(const ms_env *env, const ms_scan *before, bool *any_new)
{
    ms_error err;
    ms_account_list l;
    account_list_init(&l);
    size_t nb;
    const ms_backend *const *bes = backend_table(&nb);
    for (size_t b = 0; b < nb; b++)
        if (bes[b]->program == MS_PROG_OE)
            assert_int_equal(bes[b]->scan(env, &l, &err), MS_OK);
    for (size_t i = 0; i < before->plan->count; i++) {
        const plan_item *it = &before->plan->items[i];
        const ms_account *old = it->account;
        const ms_account *cur = NULL;
        for (size_t k = 0; k < l.count; k++)
            if (strcmp(l.items[k].id, old->id) == 0)
                cur = &l.items[k];
        assert_non_null(cur);
        if (it->status != PLAN_CHANGE) {
            /* Untouched accounts, and hotweb's old one apart from its
             * default flag, keep every setting. */
            ms_account a = *cur;
            if (it->status == PLAN_ADD_ACCOUNT)
                a.is_default = old->is_default;
            if (old->summary_only) {
                /* Another ISP's, read in part: what was read is unchanged. */
                assert_string_equal(old->email, cur->email);
                assert_string_equal(old->incoming_host, cur->incoming_host);
                assert_string_equal(old->smtp_host, cur->smtp_host);
                continue;
            }
            if (!engine_settings_equal(old, &a))
                fail_msg("%s changed", old->id);
            continue;
        }
        ms_account want;
        assert_int_equal(plan_expected_account(old, it->changes, it->n_changes, &want, &err),
                         MS_OK);
        bool is_old = engine_settings_equal(old, cur);
        bool is_new = engine_settings_equal(&want, cur);
        account_free(&want);
        if (!is_old && !is_new)
            fail_msg("%s is half changed", old->id);
        if (is_new)
            *any_new = true;
    }
    account_list_free(&l);
}

struct run {
    memreg *m, *orig;
    ms_env env;
    profile *prof;
    ms_scan *scan;
    char dir[64];
};

static void run_open(struct run *r, const char *fixture, const char *isp)
{
    memset(r, 0, sizeof *r);
    r->m = load_fixture(fixture);
    r->orig = memreg_clone(r->m);
    r->env.reg = memreg_reg(r->m);
    r->env.appdata = r->env.local_appdata = r->env.home = "/nonexistent";
    r->prof = load_profile(isp);
    ms_error err;
    assert_int_equal(engine_scan(&r->env, r->prof, NULL, NULL, &r->scan, &err), MS_OK);
    fresh_dir(r->dir, sizeof r->dir);
}

static void run_close(struct run *r)
{
    engine_scan_free(r->scan);
    profile_free(r->prof);
    memreg_free(r->m);
    memreg_free(r->orig);
    rm_rf(r->dir);
}

static void assert_restored(const struct run *r)
{
    strbuf diff;
    strbuf_init(&diff);
    size_t n = memreg_diff(r->orig, r->m, &diff);
    if (n) {
        fprintf(stderr, "%s", diff.buf);
        fail_msg("%zu differences after undo", n);
    }
    strbuf_free(&diff);
}

static void roundtrip(const char *fixture, const char *isp, engine_outcome expect)
{
    struct run r;
    run_open(&r, fixture, isp);
    engine_result *res;
    ms_error err;
    ms_code rc = engine_apply(&r.env, r.scan, NULL, NULL, NULL, r.dir, &res, &err);
    if (rc != MS_OK)
        fail_msg("%s: %s", fixture, err.detail);
    size_t n_expect = 0;
    for (size_t i = 0; i < r.scan->plan->count; i++)
        n_expect += res[i].outcome == expect;
    assert_true(n_expect > 0);
    assert_true(memreg_diff(r.orig, r.m, NULL) > 0);
    engine_results_free(res, r.scan->plan->count);
    assert_int_equal(engine_undo(&r.env, r.dir, &err), MS_OK);
    assert_restored(&r);
    run_close(&r);
}

static void test_roundtrips(void **state)
{
    (void)state;
    roundtrip("oe-117net.reg", "117net", ENGINE_CHANGED);
    roundtrip("oe-micnet.reg", "micnet", ENGINE_CHANGED);
    roundtrip("oe-ktarn.reg", "ktarn", ENGINE_CHANGED);
    roundtrip("oe-japan-net.reg", "japan-net", ENGINE_CHANGED);
    roundtrip("oe-hotweb.reg", "hotweb", ENGINE_ADDED);
}

/* Every write in turn fails, once (transient) or from then on (a disk or
 * registry that stays broken). */
static void fault_sweep(const char *fixture, const char *isp, bool persistent)
{
    /* A clean run counts the writes. */
    struct run r;
    run_open(&r, fixture, isp);
    engine_result *res;
    ms_error err;
    fault_arm(0, false);
    assert_int_equal(engine_apply(&r.env, r.scan, NULL, NULL, NULL, r.dir, &res, &err), MS_OK);
    unsigned long total = fault_writes();
    engine_results_free(res, r.scan->plan->count);
    run_close(&r);
    assert_true(total > 5);

    unsigned long fired = 0;
    for (unsigned long nth = 1; nth <= total + 1; nth++) {
        run_open(&r, fixture, isp);
        fault_arm(nth, persistent);
        res = NULL;
        ms_code rc = engine_apply(&r.env, r.scan, NULL, NULL, NULL, r.dir, &res, &err);
        bool hit = fault_fired();
        fault_arm(0, false);
        fired += hit;
        if (!hit) {
            assert_int_equal(rc, MS_OK);
        } else {
            assert_int_not_equal(rc, MS_OK);
        }
        bool any_new = false;
        /* With a persistent fault the rollback may fail too (ENGINE_FAILED):
         * then only the undo below must mend it. */
        if (!persistent)
            assert_each_old_or_new(&r.env, r.scan, &any_new);
        if (res)
            engine_results_free(res, r.scan->plan->count);
        /* The journal on disk undoes whatever happened. */
        ms_code urc = engine_undo(&r.env, r.dir, &err);
        if (urc != MS_OK && urc != MS_ERR_NO_BACKUP && urc != MS_ERR_IO_READ &&
            urc != MS_ERR_NOT_FOUND)
            fail_msg("write %lu: undo: %s (%s)", nth, ms_code_name(urc), err.detail);
        assert_restored(&r);
        run_close(&r);
    }
    assert_int_equal(fired, total); /* every write was hit once */
}

static void test_fault_every_write(void **state)
{
    (void)state;
    fault_sweep("oe-117net.reg", "117net", false);
    fault_sweep("oe-117net.reg", "117net", true);
    fault_sweep("oe-hotweb.reg", "hotweb", false);
    fault_sweep("oe-hotweb.reg", "hotweb", true);
}

static bool running_exe(const char *const *names, void *ctx)
{
    for (size_t i = 0; names && names[i]; i++)
        if (strcmp(names[i], (const char *)ctx) == 0)
            return true;
    return false;
}

static void test_running_blocks_only_its_program(void **state)
{
    (void)state;
    struct run r;
    run_open(&r, "oe-117net.reg", "117net");
    engine_result *res = NULL;
    ms_error err;
    char msimn[] = "msimn.exe", wlmail[] = "wlmail.exe";
    assert_int_equal(engine_apply(&r.env, r.scan, NULL, running_exe, msimn, r.dir, &res, &err),
                     MS_ERR_PROGRAM_RUNNING);
    assert_non_null(strstr(err.detail, "msimn.exe"));
    assert_null(res);
    assert_int_equal(memreg_diff(r.orig, r.m, NULL), 0);
    /* Windows Live Mail running does not stop Outlook Express's change. */
    assert_int_equal(engine_apply(&r.env, r.scan, NULL, running_exe, wlmail, r.dir, &res, &err),
                     MS_OK);
    assert_true(memreg_diff(r.orig, r.m, NULL) > 0);
    engine_results_free(res, r.scan->plan->count);
    /* And the scan reports who runs. */
    ms_scan *s;
    assert_int_equal(engine_scan(&r.env, r.prof, running_exe, msimn, &s, &err), MS_OK);
    for (size_t i = 0; i < s->n_programs; i++)
        if (s->programs[i].backend->program == MS_PROG_OE)
            assert_true(s->programs[i].running);
    engine_scan_free(s);
    run_close(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrips),
        cmocka_unit_test(test_fault_every_write),
        cmocka_unit_test(test_running_blocks_only_its_program),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
