/* Unit tests: the Outlook back-ends over real-shaped registry fixtures
 * (tests/data/outlook/): every profile and POP3/IMAP account is found with
 * its Japanese names and default mark; each seed ISP's plan changes exactly
 * the values its .diff file lists and nothing else (other providers'
 * accounts, passwords, Exchange accounts untouched); applying twice changes
 * nothing; undo gives the original back byte for byte; a value of the wrong
 * size marks the account unreadable, named, and nothing changes; a failure
 * at any write leaves the account fully old. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "olktest.h"

#include "acctprops.h"
#include "backend.h"
#include "be_outlook.h"
#include "engine.h"
#include "journal.h"

static const ms_account *find_id(const ms_account_list *l, const char *id)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i].id, id) == 0)
            return &l->items[i];
    fail_msg("no account %s", id);
    return NULL;
}

static void scan(const ms_backend *be, memreg *m, ms_account_list *l)
{
    ms_env env = {.reg = memreg_reg(m)};
    account_list_init(l);
    ms_error err;
    if (be->scan(&env, l, &err) != MS_OK)
        fail_msg("scan: %s", err.detail);
}

static void test_scan_2010(void **state)
{
    (void)state;
    memreg *m = olk_load("outlook2010.reg");
    ms_account_list l;
    scan(&outlook_backend, m, &l);
    /* The Exchange account (no POP3/IMAP server) is not listed. */
    assert_int_equal(l.count, 5);
    assert_string_equal(l.items[0].id, "outlook/Outlook/00000002");
    assert_string_equal(l.items[3].id, "outlook/家族/00000001");

    const ms_account *a = find_id(&l, "outlook/Outlook/00000002");
    assert_int_equal(a->program, MS_PROG_OUTLOOK);
    assert_int_equal(a->read_error.code, MS_OK);
    assert_string_equal(a->account_name, "MicNet メール");
    assert_string_equal(a->display_name, "山田 太郎");
    assert_string_equal(a->email, "taro@micnet.ne.jp");
    assert_string_equal(a->container, "Outlook");
    assert_string_equal(a->incoming_host, "pop.micnet.ne.jp");
    assert_string_equal(a->incoming_user, "taro");
    assert_string_equal(a->smtp_host, "mail.micnet.ne.jp");
    assert_int_equal(a->smtp_port, 25);
    assert_int_equal(a->smtp_auth, MS_AUTH_NONE);
    assert_int_equal(a->smtp_security, MS_SEC_NONE);
    assert_true(a->is_default);
    assert_string_equal(a->location, "HKEY_CURRENT_USER\\" OLK_WMS_PREFIX
                                     "\\Outlook\\9375CFF0413111d3B88A00104B2A6676\\00000002");

    a = find_id(&l, "outlook/Outlook/00000003"); /* Gmail */
    assert_false(a->is_default);
    assert_int_equal(a->smtp_port, 465);
    assert_int_equal(a->smtp_auth, MS_AUTH_SAME_AS_INCOMING);
    assert_int_equal(a->smtp_security, MS_SEC_SSL);

    a = find_id(&l, "outlook/Outlook/00000005"); /* 2003 layout, no port value */
    assert_string_equal(a->account_name, "くるめ");
    assert_int_equal(a->smtp_port, 25);
    assert_int_equal(a->smtp_security, MS_SEC_NONE);
    ms_env env = {.reg = memreg_reg(m)};
    outlook_target t;
    ms_error err;
    assert_int_equal(outlook_target_of(&env, a, &t, &err), MS_OK);
    assert_string_equal(t.profile, "Outlook");
    assert_string_equal(t.version, "");
    assert_int_equal(t.account_id, 5);
    assert_true(t.legacy_ssl);

    a = find_id(&l, "outlook/家族/00000001");
    assert_false(a->is_default);
    assert_string_equal(a->container, "家族");
    assert_true(find_id(&l, "outlook/家族/00000002")->is_default);
    account_list_free(&l);

    /* The 2013+ back-end sees none of these. */
    scan(&outlook_backend_2013, m, &l);
    assert_int_equal(l.count, 0);
    account_list_free(&l);
    memreg_free(m);
}

static void test_scan_2016(void **state)
{
    (void)state;
    memreg *m = olk_load("outlook2016.reg");
    ms_account_list l;
    scan(&outlook_backend_2013, m, &l);
    assert_int_equal(l.count, 5);
    assert_string_equal(l.items[0].id, "outlook2013/16.0/Outlook/00000001");
    assert_string_equal(l.items[4].id, "outlook2013/15.0/Outlook 2013/00000001");
    const ms_account *a = &l.items[0];
    assert_int_equal(a->program, MS_PROG_OUTLOOK_NEW);
    assert_string_equal(a->program_version, "16.0");
    assert_string_equal(a->account_name, "support@japan-net.ne.jp");
    /* "Log on to incoming mail server before sending" is no SMTP AUTH. */
    assert_int_equal(a->smtp_auth, MS_AUTH_NONE);
    assert_true(a->is_default);

    a = &l.items[2];
    assert_int_equal(a->incoming_proto, MS_IN_IMAP);
    assert_string_equal(a->incoming_host, "outlook.office365.com");
    assert_int_equal(a->incoming_port, 993);
    assert_int_equal(a->smtp_security, MS_SEC_STARTTLS);
    assert_int_equal(a->smtp_auth, MS_AUTH_SAME_AS_INCOMING);

    a = &l.items[4];
    assert_string_equal(a->program_version, "15.0");
    assert_string_equal(a->account_name, "KTarn ウイルスチェック");
    assert_true(a->is_default);
    ms_env env = {.reg = memreg_reg(m)};
    outlook_target t;
    ms_error err;
    assert_int_equal(outlook_target_of(&env, a, &t, &err), MS_OK);
    assert_string_equal(t.profile, "Outlook 2013");
    assert_string_equal(t.version, "15.0");
    assert_false(t.legacy_ssl);
    account_list_free(&l);

    scan(&outlook_backend, m, &l);
    assert_int_equal(l.count, 0);
    account_list_free(&l);
    memreg_free(m);
}

/* Applies isp's plan to fixture and checks the diff, idempotence, undo. */
static void check_isp(const char *fixture, const char *isp)
{
    memreg *m = olk_load(fixture);
    memreg *before = memreg_clone(m);
    assert_non_null(before);
    ms_code rc;
    size_t changed;
    acctprops_records_clear(&olk_paths);
    char *dir = olk_apply(m, isp, &rc, &changed);
    assert_int_equal(rc, MS_OK);

    strbuf got, want;
    strbuf_init(&got);
    strbuf_init(&want);
    olk_diff(before, m, &got);
    char name[128];
    snprintf(name, sizeof name, "%.*s.%s.diff", (int)(strlen(fixture) - 4), fixture, isp);
    olk_expected(name, &want);
    if (strcmp(got.buf ? got.buf : "", want.buf ? want.buf : "") != 0)
        fail_msg("%s with %s changed:\n%s\nexpected:\n%s", fixture, isp, got.buf, want.buf);

    /* Every changed Outlook account went the registry way (no API here),
     * and the record says why. */
    size_t n_rec;
    const acctprops_record *rec = acctprops_records(&olk_paths, &n_rec);
    size_t olk_changed = 0;
    for (size_t i = 0; i < n_rec; i++) {
        assert_int_equal(rec[i].path, ACCTPROPS_REGISTRY);
        assert_string_equal(rec[i].reason, "no account API on this system");
        olk_changed++;
    }
    assert_int_equal(olk_changed, changed);

    /* Twice: nothing more to do. */
    assert_int_equal(olk_pending(m, isp), 0);

    /* Undo: byte for byte. */
    ms_env env = {.reg = memreg_reg(m)};
    ms_error err;
    if (want.len) {
        if (engine_undo(&env, dir, &err) != MS_OK)
            fail_msg("undo: %s", err.detail);
        assert_int_equal(memreg_diff(before, m, NULL), 0);
    }
    olk_rm_rf(dir);
    free(dir);
    strbuf_free(&got);
    strbuf_free(&want);
    memreg_free(before);
    memreg_free(m);
    acctprops_records_clear(&olk_paths);
}

static void test_2010_micnet(void **s)
{
    (void)s;
    check_isp("outlook2010.reg", "micnet");
}
static void test_2010_117net(void **s)
{
    (void)s;
    check_isp("outlook2010.reg", "117net");
}
static void test_2010_ktarn(void **s)
{
    (void)s;
    check_isp("outlook2010.reg", "ktarn");
}
static void test_2010_japan_net(void **s)
{
    (void)s;
    check_isp("outlook2010.reg", "japan-net");
}
static void test_2010_hotweb(void **s)
{
    (void)s;
    check_isp("outlook2010.reg", "hotweb");
}
static void test_2016_micnet(void **s)
{
    (void)s;
    check_isp("outlook2016.reg", "micnet");
}
static void test_2016_117net(void **s)
{
    (void)s;
    check_isp("outlook2016.reg", "117net");
}
static void test_2016_ktarn(void **s)
{
    (void)s;
    check_isp("outlook2016.reg", "ktarn");
}
static void test_2016_japan_net(void **s)
{
    (void)s;
    check_isp("outlook2016.reg", "japan-net");
}
static void test_2016_hotweb(void **s)
{
    (void)s;
    check_isp("outlook2016.reg", "hotweb");
}

/* HotWeb adds a new account; Outlook cannot, so the plan item stays
 * "add_account" and the engine reports it cannot add (manual steps). */
static void test_hotweb_manual(void **state)
{
    (void)state;
    memreg *m = olk_load("outlook2016.reg");
    ms_env env = {.reg = memreg_reg(m)};
    profile *p = olk_profile("hotweb");
    ms_scan *s = NULL;
    ms_error err;
    assert_int_equal(engine_scan(&env, p, olk_not_running, NULL, &s, &err), MS_OK);
    assert_null(outlook_backend_2013.add_account);
    size_t idx = s->plan->count;
    for (size_t i = 0; i < s->plan->count; i++)
        if (strcmp(s->plan->items[i].account->id, "outlook2013/16.0/Outlook/00000004") == 0)
            idx = i;
    assert_true(idx < s->plan->count);
    /* Outlook cannot add an account (no documented safe mechanism): the
     * plan gives the new account's settings to the subscriber, by hand,
     * and apply never tries. */
    const plan_item *it = &s->plan->items[idx];
    assert_int_equal(it->status, PLAN_MANUAL);
    assert_true(it->add_by_hand);
    assert_int_equal(it->n_changes, 0);
    bool host = false;
    for (size_t k = 0; k < it->n_manual; k++)
        host |= it->manual[k].field == MS_F_INCOMING_HOST &&
                strcmp(it->manual[k].to.str, "mail.hotweb.or.jp") == 0;
    assert_true(host);
    char *dir = olk_backup_dir();
    engine_result *res = NULL;
    memreg *before = memreg_clone(m);
    assert_int_equal(engine_apply(&env, s, NULL, olk_not_running, NULL, dir, &res, &err), MS_OK);
    assert_non_null(res);
    assert_int_equal(res[idx].outcome, ENGINE_SKIPPED);
    assert_int_equal(memreg_diff(before, m, NULL), 0);
    memreg_free(before);
    engine_results_free(res, s->plan->count);
    engine_scan_free(s);
    profile_free(p);
    olk_rm_rf(dir);
    free(dir);
    memreg_free(m);
}

static void test_broken_size(void **state)
{
    (void)state;
    memreg *m = olk_load("broken-size.reg");
    memreg *before = memreg_clone(m);
    ms_account_list l;
    scan(&outlook_backend_2013, m, &l);
    assert_int_equal(l.count, 2);
    const ms_account *a = &l.items[0];
    assert_int_equal(a->read_error.code, MS_ERR_REG_BAD_VALUE);
    /* The message names the account and the value. */
    assert_non_null(strstr(a->read_error.detail, "壊れた MicNet"));
    assert_non_null(strstr(a->read_error.detail, "outlook2013/16.0/Outlook/00000001"));
    assert_non_null(strstr(a->read_error.detail, "SMTP Server"));
    assert_null(a->email);
    assert_null(a->smtp_host);
    assert_string_equal(a->account_name, "壊れた MicNet");
    assert_int_equal(l.items[1].read_error.code, MS_OK);

    /* Asked directly, the back-end refuses and writes nothing. */
    ms_env env = {.reg = memreg_reg(m)};
    char *dir = olk_backup_dir();
    ms_journal *j;
    ms_error err;
    assert_int_equal(journal_open(dir, &j, &err), MS_OK);
    ms_change c = {MS_F_SMTP_PORT, {NULL, 25}, {NULL, 587}};
    assert_int_equal(outlook_backend_2013.apply(&env, a, &c, 1, j, &err),
                     MS_ERR_ACCOUNT_UNREADABLE);
    assert_non_null(strstr(err.detail, "壊れた MicNet"));
    journal_free(j);
    olk_rm_rf(dir);
    free(dir);
    account_list_free(&l);

    /* The whole MicNet run changes nothing anywhere. */
    ms_code rc;
    dir = olk_apply(m, "micnet", &rc, NULL);
    assert_int_equal(memreg_diff(before, m, NULL), 0);
    olk_rm_rf(dir);
    free(dir);
    memreg_free(before);
    memreg_free(m);
}

/* The default account is the first id of the profile's order list. */
static void test_make_default(void **state)
{
    (void)state;
    memreg *m = olk_load("outlook2010.reg");
    memreg *before = memreg_clone(m);
    ms_account_list l;
    scan(&outlook_backend, m, &l);
    const ms_account *a = find_id(&l, "outlook/家族/00000001");
    assert_false(a->is_default);
    ms_env env = {.reg = memreg_reg(m)};
    char *dir = olk_backup_dir();
    ms_journal *j;
    ms_error err;
    assert_int_equal(journal_open(dir, &j, &err), MS_OK);
    assert_int_equal(journal_account(j, a->id, &err), MS_OK);
    ms_change c = {MS_F_DEFAULT, {NULL, 0}, {NULL, 1}};
    if (outlook_backend.apply(&env, a, &c, 1, j, &err) != MS_OK)
        fail_msg("%s", err.detail);
    strbuf got;
    strbuf_init(&got);
    olk_diff(before, m, &got);
    assert_string_equal(got.buf, "~ WMS\\家族\\{ED475418-B0D6-11D2-8C3B-00104B2A6676}: "
                                 "hex:02,00,00,00,01,00,00,00 -> hex:01,00,00,00,02,00,00,00\n");
    account_list_free(&l);
    scan(&outlook_backend, m, &l);
    assert_true(find_id(&l, "outlook/家族/00000001")->is_default);
    assert_false(find_id(&l, "outlook/家族/00000002")->is_default);
    assert_true(find_id(&l, "outlook/Outlook/00000002")->is_default); /* other profile */
    assert_int_equal(journal_undo(j, memreg_reg(m), &err), MS_OK);
    assert_int_equal(memreg_diff(before, m, NULL), 0);
    journal_free(j);
    strbuf_free(&got);
    account_list_free(&l);
    olk_rm_rf(dir);
    free(dir);
    memreg_free(before);
    memreg_free(m);
}

/* A write failing at each point in turn: the account ends fully old (the
 * engine rolls it back) or fully new, and undo still restores. */
static void test_fail_every_write(void **state)
{
    (void)state;
    memreg *orig = olk_load("outlook2010.reg");
    strbuf want, got;
    strbuf_init(&want);
    strbuf_init(&got);
    olk_expected("outlook2010.117net.diff", &want);
    unsigned long tried = 0;
    for (unsigned long nth = 1; nth < 64; nth++) {
        memreg *m = memreg_clone(orig);
        memreg_fail_write(m, nth, false);
        ms_code rc;
        char *dir = olk_apply(m, "117net", &rc, NULL);
        unsigned long writes = memreg_writes(m);
        memreg_fail_write(m, 0, false); /* disarmed: undo must not hit it */
        olk_diff(orig, m, &got);
        bool fully_old = got.len == 0, fully_new = strcmp(got.buf, want.buf) == 0;
        if (!fully_old && !fully_new)
            fail_msg("write %lu failed: half-changed:\n%s", nth, got.buf);
        ms_env env = {.reg = memreg_reg(m)};
        ms_error err;
        if (fully_new) {
            assert_int_equal(engine_undo(&env, dir, &err), MS_OK);
            assert_int_equal(memreg_diff(orig, m, NULL), 0);
        } else {
            assert_int_not_equal(rc, MS_OK);
        }
        olk_rm_rf(dir);
        free(dir);
        memreg_free(m);
        tried++;
        if (writes < nth) /* the run made fewer writes: all points covered */
            break;
    }
    assert_true(tried >= 6);
    strbuf_free(&want);
    strbuf_free(&got);
    memreg_free(orig);
}

/* An account key that cannot be read (access denied) is listed, named by
 * its id, and left alone; the other accounts still scan. */
static void test_denied_key(void **state)
{
    (void)state;
    memreg *m = olk_load("outlook2010.reg");
    ms_error err;
    assert_int_equal(
        memreg_deny(m, OLK_WMS_PREFIX "\\家族\\9375CFF0413111d3B88A00104B2A6676\\00000001", &err),
        MS_OK);
    ms_account_list l;
    scan(&outlook_backend, m, &l);
    assert_int_equal(l.count, 5);
    const ms_account *a = find_id(&l, "outlook/家族/00000001");
    assert_int_equal(a->read_error.code, MS_ERR_REG_READ);
    assert_non_null(strstr(a->read_error.detail, "outlook/家族/00000001"));
    assert_null(a->email);
    assert_int_equal(find_id(&l, "outlook/家族/00000002")->read_error.code, MS_OK);
    account_list_free(&l);
    memreg_free(m);
}

/* With MicNet's profile as scope, Gmail's account is listed by name,
 * address and hosts only; MicNet's is read in full as without a scope. */
static void test_scan_scope(void **state)
{
    (void)state;
    memreg *m = olk_load("outlook2010.reg");
    profile *p = olk_profile("micnet");
    ms_scope scope = engine_profile_scope(p);
    ms_env env = {.reg = memreg_reg(m), .scope = &scope};
    ms_account_list part, all;
    account_list_init(&part);
    ms_error err;
    assert_int_equal(outlook_backend.scan(&env, &part, &err), MS_OK);
    scan(&outlook_backend, m, &all);
    assert_int_equal(part.count, all.count);

    const ms_account *g = find_id(&part, "outlook/Outlook/00000003");
    assert_true(g->summary_only);
    assert_int_equal(g->read_error.code, MS_OK);
    assert_string_equal(g->email, find_id(&all, g->id)->email);
    assert_string_equal(g->smtp_host, find_id(&all, g->id)->smtp_host);
    assert_string_equal(g->incoming_host, find_id(&all, g->id)->incoming_host);
    assert_string_equal(g->account_name, find_id(&all, g->id)->account_name);
    assert_null(g->display_name);
    assert_null(g->incoming_user);

    const ms_account *a = find_id(&part, "outlook/Outlook/00000002");
    assert_false(a->summary_only);
    assert_true(engine_settings_equal(a, find_id(&all, a->id)));
    assert_string_equal(a->display_name, "山田 太郎");

    /* only_id: that one account (of another profile), in full. */
    ms_scope one = {NULL, NULL, "outlook/家族/00000001"};
    ms_env only = {.reg = memreg_reg(m), .scope = &one};
    ms_account_list l;
    account_list_init(&l);
    assert_int_equal(outlook_backend.scan(&only, &l, &err), MS_OK);
    assert_int_equal(l.count, 1);
    assert_string_equal(l.items[0].id, one.only_id);
    assert_true(engine_settings_equal(&l.items[0], find_id(&all, one.only_id)));
    assert_int_equal(l.items[0].is_default, find_id(&all, one.only_id)->is_default);
    account_list_free(&l);
    account_list_free(&part);
    account_list_free(&all);
    profile_free(p);
    memreg_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scan_2010),      cmocka_unit_test(test_scan_2016),
        cmocka_unit_test(test_2010_micnet),    cmocka_unit_test(test_2010_117net),
        cmocka_unit_test(test_2010_ktarn),     cmocka_unit_test(test_2010_japan_net),
        cmocka_unit_test(test_2010_hotweb),    cmocka_unit_test(test_2016_micnet),
        cmocka_unit_test(test_2016_117net),    cmocka_unit_test(test_2016_ktarn),
        cmocka_unit_test(test_2016_japan_net), cmocka_unit_test(test_2016_hotweb),
        cmocka_unit_test(test_hotweb_manual),  cmocka_unit_test(test_broken_size),
        cmocka_unit_test(test_make_default),   cmocka_unit_test(test_fail_every_write),
        cmocka_unit_test(test_denied_key),     cmocka_unit_test(test_scan_scope),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
