/* Unit tests: what each back-end declares it can change (backend.h
 * can_change / can_hold) is what its apply does. On one PC made of the
 * fixtures of every back-end (Outlook Express, Windows Live Mail and
 * Outlook 2010 in the registry, Thunderbird 117net profile, Becky!
 * mailboxes), the engine scans, plans, applies and scans again: every
 * change the plan marked automatic is in the re-scan, every change marked
 * "by hand" is not (apply never tried it), and no account failed. */
#define _GNU_SOURCE /* mkdtemp */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "backend.h"
#include "engine.h"
#include "memreg.h"
#include "plan.h"
#include "platform.h"
#include "profile.h"

typedef struct pc {
    char dir[128], appdata[192], local[192], home[192];
    memreg *reg;
    ms_env env;
} pc;

static void sh(const char *cmd)
{
    if (system(cmd) != 0)
        fail_msg("command failed: %s", cmd);
}

static void load_reg(memreg *m, const char *rel)
{
    char path[512];
    ms_error err;
    snprintf(path, sizeof path, "%s/%s", MS_TEST_DATA, rel);
    if (memreg_load_file(m, path, &err) != MS_OK)
        fail_msg("%s: %s", path, err.detail);
}

static void pc_init(pc *w)
{
    memset(w, 0, sizeof *w);
    snprintf(w->dir, sizeof w->dir, "/tmp/test_capabilities.XXXXXX");
    assert_non_null(mkdtemp(w->dir));
    snprintf(w->appdata, sizeof w->appdata, "%s/appdata", w->dir);
    snprintf(w->local, sizeof w->local, "%s/local", w->dir);
    snprintf(w->home, sizeof w->home, "%s/home", w->dir);
    char cmd[2048];
    snprintf(
        cmd, sizeof cmd,
        "mkdir -p '%s/Microsoft' '%s' && cp -R '%s/mozilla/tb117/current/Thunderbird' '%s/' && "
        "cp -R '%s/wlmail/store' '%s/Microsoft/Windows Live Mail' && cp -R '%s/becky/home' "
        "'%s'",
        w->local, w->appdata, MS_TEST_DATA, w->appdata, MS_TEST_DATA, w->local, MS_TEST_DATA,
        w->dir);
    sh(cmd);
    w->reg = memreg_new();
    assert_non_null(w->reg);
    load_reg(w->reg, "reg/oe-117net.reg");
    load_reg(w->reg, "wlmail/wlmail-store.reg");
    load_reg(w->reg, "outlook/outlook2010.reg");
    w->env.reg = memreg_reg(w->reg);
    w->env.appdata = w->appdata;
    w->env.local_appdata = w->local;
    w->env.home = w->home;
}

static void pc_free(pc *w)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", w->dir);
    sh(cmd);
    memreg_free(w->reg);
}

static profile *load_profile(const char *path)
{
    profile *p = NULL;
    profile_errors errs;
    profile_errors_init(&errs);
    if (profile_load_file(path, &p, &errs) != MS_OK)
        fail_msg("profile %s", path);
    profile_errors_free(&errs);
    return p;
}

static const ms_account *by_id(const ms_scan *s, const char *id)
{
    for (size_t i = 0; i < s->accounts.count; i++)
        if (s->accounts.items[i].id && strcmp(s->accounts.items[i].id, id) == 0)
            return &s->accounts.items[i];
    fail_msg("no account %s after apply", id);
    return NULL;
}

/* Per program: which fields were checked as automatic / by hand. */
typedef struct seen {
    unsigned autos[MS_PROG_COUNT], manual[MS_PROG_COUNT];
} seen;

static void apply_and_check(pc *w, const char *profile_path, seen *out)
{
    memset(out, 0, sizeof *out);
    profile *p = load_profile(profile_path);
    ms_scan *s = NULL, *again = NULL;
    ms_error err;
    assert_int_equal(engine_scan(&w->env, p, NULL, NULL, &s, &err), MS_OK);
    char backup[256];
    snprintf(backup, sizeof backup, "%s/backup-%s", w->dir, p->id);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", backup);
    sh(cmd);
    engine_result *res = NULL;
    ms_code rc = engine_apply(&w->env, s, NULL, NULL, NULL, backup, &res, &err);
    if (rc != MS_OK)
        fail_msg("apply: %s %s", ms_code_name(err.code), err.detail);
    assert_int_equal(engine_scan(&w->env, p, NULL, NULL, &again, &err), MS_OK);
    for (size_t i = 0; i < s->plan->count; i++) {
        const plan_item *it = &s->plan->items[i];
        if (it->status != PLAN_CHANGE && it->status != PLAN_MANUAL)
            continue;
        const ms_backend *be = backend_for(it->account->program);
        const ms_account *now = by_id(again, it->account->id);
        ms_program prog = it->account->program;
        assert_int_equal(res[i].outcome, it->n_changes ? ENGINE_CHANGED : ENGINE_SKIPPED);
        for (size_t k = 0; k < it->n_changes; k++) {
            const ms_change *c = &it->changes[k];
            assert_true(backend_can_change(be, it->account, c));
            if (!account_field_is(now, c->field, c->to))
                fail_msg("%s: automatic %s not made", it->account->id, account_field_id(c->field));
            out->autos[prog] |= BACKEND_FIELD(c->field);
        }
        for (size_t k = 0; k < it->n_manual; k++) {
            const ms_change *c = &it->manual[k];
            assert_false(backend_can_change(be, it->account, c));
            if (!account_field_is(now, c->field, c->from))
                fail_msg("%s: by-hand %s was changed", it->account->id, account_field_id(c->field));
            out->manual[prog] |= BACKEND_FIELD(c->field);
        }
    }
    engine_results_free(res, s->plan->count);
    engine_scan_free(again);
    engine_scan_free(s);
    profile_free(p);
}

static void every_backend_does_what_it_declares(void **state)
{
    (void)state;
    pc w;
    pc_init(&w);
    seen sn;
    /* 117net: new servers, 587, same as incoming, user -> address. */
    apply_and_check(&w, MS_SOURCE_DIR "/isp-profiles/117net.json", &sn);
    const unsigned renames = BACKEND_FIELD(MS_F_SMTP_HOST) | BACKEND_FIELD(MS_F_SMTP_PORT) |
                             BACKEND_FIELD(MS_F_SMTP_AUTH) | BACKEND_FIELD(MS_F_INCOMING_HOST) |
                             BACKEND_FIELD(MS_F_INCOMING_USER);
    /* Thunderbird's filter that moves mail into a folder of the renamed
     * server follows it. */
    char path[400];
    snprintf(path, sizeof path,
             "%s/Thunderbird/Profiles/t117cur.default/Mail/vp.117.ne.jp/msgFilterRules.dat",
             w.appdata);
    strbuf rules;
    strbuf_init(&rules);
    ms_error err;
    assert_int_equal(ms_file_read(path, 1 << 20, &rules, &err), MS_OK);
    assert_non_null(
        strstr(rules.buf, "actionValue=\"mailbox://taro%40vp.117.ne.jp@vpop.117.ne.jp/Inbox/ML\""));
    strbuf_free(&rules);
    const ms_program progs[] = {MS_PROG_OE, MS_PROG_WLMAIL, MS_PROG_OUTLOOK, MS_PROG_THUNDERBIRD};
    for (size_t i = 0; i < sizeof progs / sizeof progs[0]; i++) {
        if ((sn.autos[progs[i]] & renames) != renames)
            fail_msg("%s: automatic fields %#x, want %#x", account_program_id(progs[i]),
                     sn.autos[progs[i]], renames);
        assert_int_equal(sn.manual[progs[i]], 0);
    }
    /* MicNet asking for STARTTLS and an own SMTP user: Becky! has no key
     * for either (by hand, with the user name), the rest is written. */
    apply_and_check(&w, MS_TEST_DATA "/plan/micnet-starttls-own.profile.json", &sn);
    assert_true(sn.autos[MS_PROG_BECKY] & BACKEND_FIELD(MS_F_SMTP_HOST));
    assert_true(sn.autos[MS_PROG_BECKY] & BACKEND_FIELD(MS_F_SMTP_PORT));
    assert_int_equal(sn.manual[MS_PROG_BECKY], BACKEND_FIELD(MS_F_SMTP_AUTH) |
                                                   BACKEND_FIELD(MS_F_SMTP_USER) |
                                                   BACKEND_FIELD(MS_F_SMTP_SECURITY));
    /* Outlook writes both. */
    assert_true(sn.autos[MS_PROG_OUTLOOK] & BACKEND_FIELD(MS_F_SMTP_AUTH));
    assert_true(sn.autos[MS_PROG_OUTLOOK] & BACKEND_FIELD(MS_F_SMTP_SECURITY));
    assert_int_equal(sn.manual[MS_PROG_OUTLOOK], 0);
    pc_free(&w);
}

/* The declarations themselves: a back-end that adds accounts holds every
 * field of a new account; Eudora holds nothing. */
static void declarations_are_consistent(void **state)
{
    (void)state;
    size_t n;
    const ms_backend *const *t = backend_table(&n);
    for (size_t i = 0; i < n; i++) {
        assert_true(backend_for(t[i]->program) == t[i]);
        if (t[i]->add_account)
            assert_int_equal(t[i]->can_change & BACKEND_ALL_FIELDS & ~BACKEND_FIELD(MS_F_DEFAULT),
                             BACKEND_ALL_FIELDS & ~BACKEND_FIELD(MS_F_DEFAULT));
    }
    const ms_backend *eu = backend_for(MS_PROG_EUDORA);
    assert_non_null(eu);
    assert_int_equal(eu->can_change, 0);
    assert_null(backend_for(MS_PROG_POSTPET));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_backend_does_what_it_declares),
        cmocka_unit_test(declarations_are_consistent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
