/* Unit tests: outgoing.tls_upgrade (wizard/core/send/tlsup.c) - the verdict
 * from what the two attempts showed, and what it does to the plan of
 * Internet Kurume's accounts (tests/data/tlsup/), with a fake network. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "account_json.h"
#include "plan.h"
#include "platform.h"
#include "profile.h"
#include "tlsup.h"

/* ---------------------------------------------------------------- verdict */

static tlsup_attempt att(tlsup_seen s, const char *detail)
{
    tlsup_attempt a;
    memset(&a, 0, sizeof a);
    a.seen = s;
    snprintf(a.detail, sizeof a.detail, "%s", detail);
    return a;
}

static void test_decide_starttls(void **state)
{
    (void)state;
    tlsup_attempt st = att(TLSUP_VERIFIED, "");
    tlsup_decision d;
    tlsup_decide("post.ktarn.or.jp", 587, &st, NULL, &d);
    assert_true(d.upgrade);
    assert_int_equal(d.sec, MS_SEC_STARTTLS);
    assert_int_equal(d.port, 587);
    assert_int_equal(d.why.code, MS_INFO_TLS_UPGRADED);
    assert_string_equal(d.why.detail, "post.ktarn.or.jp:587 STARTTLS");
}

static void test_decide_ssl_only(void **state)
{
    (void)state;
    tlsup_attempt st = att(TLSUP_NO_TLS, "STARTTLS not supported.");
    tlsup_attempt ssl = att(TLSUP_VERIFIED, "");
    tlsup_decision d;
    tlsup_decide("post.ktarn.or.jp", 587, &st, &ssl, &d);
    assert_true(d.upgrade);
    assert_int_equal(d.sec, MS_SEC_SSL);
    assert_int_equal(d.port, 465);
    assert_int_equal(d.why.code, MS_INFO_TLS_UPGRADED);
}

/* Neither proved: the reason that says most, with the port it was seen on. */
static void test_decide_reasons(void **state)
{
    (void)state;
    static const struct {
        tlsup_seen st, ssl;
        ms_code want;
        const char *detail;
    } cases[] = {
        {TLSUP_CERT_NAME, TLSUP_NOT_CHECKED, MS_INFO_TLS_CERT_NAME, "h.example.jp:587: st"},
        {TLSUP_NOT_CHECKED, TLSUP_CERT_NAME, MS_INFO_TLS_CERT_NAME, "h.example.jp:465: ssl"},
        {TLSUP_NO_TLS, TLSUP_NOT_CHECKED, MS_INFO_TLS_NO_STARTTLS, "h.example.jp:587: st"},
        {TLSUP_NO_TLS, TLSUP_CERT_UNTRUSTED, MS_INFO_TLS_CERT_UNTRUSTED, "h.example.jp:465: ssl"},
        {TLSUP_CERT_UNTRUSTED, TLSUP_NO_TLS, MS_INFO_TLS_CERT_UNTRUSTED, "h.example.jp:587: st"},
        {TLSUP_CERT_UNTRUSTED, TLSUP_CERT_NAME, MS_INFO_TLS_CERT_NAME, "h.example.jp:465: ssl"},
        {TLSUP_NOT_CHECKED, TLSUP_NOT_CHECKED, MS_INFO_TLS_NOT_CHECKED, "h.example.jp:587: st"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tlsup_attempt st = att(cases[i].st, "st"), ssl = att(cases[i].ssl, "ssl");
        tlsup_decision d;
        tlsup_decide("h.example.jp", 587, &st, &ssl, &d);
        assert_false(d.upgrade);
        assert_int_equal(d.why.code, cases[i].want);
        assert_string_equal(d.why.detail, cases[i].detail);
    }
}

/* ------------------------------------------------------------ fake network */

struct net {
    tlsup_seen starttls, ssl; /* what every server shows */
    ms_code fail;             /* returned instead, when not MS_OK */
    char calls[16][80];       /* "host:port:sec" */
    size_t n;
};

static ms_code fake_probe(const char *host, unsigned port, ms_security sec, void *ctx,
                          tlsup_attempt *out)
{
    struct net *n = ctx;
    if (n->n < 16)
        snprintf(n->calls[n->n], sizeof n->calls[0], "%s:%u:%d", host, port, (int)sec);
    n->n++;
    if (n->fail != MS_OK)
        return n->fail;
    *out = att(sec == MS_SEC_SSL ? n->ssl : n->starttls, sec == MS_SEC_SSL ? "ssl" : "starttls");
    return MS_OK;
}

struct fixture {
    profile *prof;
    ms_account_list accts;
    ms_plan *plan;
};

static void load(struct fixture *f, const char *prof_file)
{
    char path[512];
    snprintf(path, sizeof path, "%s", prof_file);
    profile_errors errs;
    profile_errors_init(&errs);
    ms_code rc = profile_load_file(path, &f->prof, &errs);
    if (rc != MS_OK && errs.count)
        fail_msg("%s: %s", path, errs.items[0].err.detail);
    profile_errors_free(&errs);
    assert_int_equal(rc, MS_OK);
    snprintf(path, sizeof path, "%s/tlsup/ktarn.accounts.json", MS_TEST_DATA);
    strbuf sb;
    strbuf_init(&sb);
    ms_error err;
    assert_int_equal(ms_file_read(path, 1 << 20, &sb, &err), MS_OK);
    account_list_init(&f->accts);
    assert_int_equal(account_list_from_json(sb.buf, sb.len, &f->accts, &err), MS_OK);
    strbuf_free(&sb);
    assert_int_equal(plan_build(f->prof, &f->accts, &f->plan, &err), MS_OK);
    assert_int_equal(f->plan->count, 6);
}

static void load_upgrade(struct fixture *f)
{
    load(f, MS_TEST_DATA "/tlsup/ktarn-upgrade.profile.json");
}

static void unload(struct fixture *f)
{
    plan_free(f->plan);
    account_list_free(&f->accts);
    profile_free(f->prof);
}

/* The account as apply will leave it. */
static void expected(const plan_item *it, ms_account *out)
{
    ms_error err;
    assert_int_equal(plan_expected_account(it->account, it->changes, it->n_changes, out, &err),
                     MS_OK);
}

static void note_text(const plan_item *it, ms_lang lang, strbuf *sb)
{
    strbuf_reset(sb);
    plan_describe_security_note(it, lang, sb);
}

/* Items 0-1 on post (asked once), 2 on vpost: STARTTLS on 587; 3 keeps
 * its SSL unasked; 4 is another provider's; 5 is Becky!'s, which has no
 * STARTTLS setting. */
static void test_plan_upgraded(void **state)
{
    (void)state;
    struct fixture f;
    load_upgrade(&f);
    struct net n = {.starttls = TLSUP_VERIFIED, .ssl = TLSUP_VERIFIED, .fail = MS_OK};
    ms_error err;
    size_t asked = 0;
    assert_int_equal(tlsup_plan(f.plan, f.prof, NULL, fake_probe, &n, &asked, &err), MS_OK);
    assert_int_equal(asked, 2);
    assert_int_equal(n.n, 2);
    assert_string_equal(n.calls[0], "post.ktarn.or.jp:587:1");
    assert_string_equal(n.calls[1], "vpost.ktarn.or.jp:587:1");
    strbuf sb;
    strbuf_init(&sb);
    for (size_t i = 0; i < 3; i++) {
        const plan_item *it = &f.plan->items[i];
        assert_int_equal(it->security_note, PLAN_SEC_UPGRADED);
        assert_string_equal(plan_security_note_id(it->security_note), "upgraded");
        assert_int_equal(it->tls_upgrade.code, MS_INFO_TLS_UPGRADED);
        ms_account a;
        expected(it, &a);
        assert_int_equal(a.smtp_security, MS_SEC_STARTTLS);
        assert_int_equal(a.smtp_port, 587);
        account_free(&a);
        note_text(it, MS_LANG_JA, &sb);
        assert_non_null(strstr(sb.buf, "[T09]"));
        assert_non_null(strstr(sb.buf, "暗号化するように設定します"));
    }
    assert_int_equal(f.plan->items[3].security_note, PLAN_SEC_KEPT);
    assert_int_equal(f.plan->items[4].status, PLAN_NOT_ISP);
    const plan_item *becky = &f.plan->items[5];
    assert_int_equal(becky->security_note, PLAN_SEC_NOT_UPGRADED);
    assert_int_equal(becky->tls_upgrade.code, MS_INFO_TLS_PROGRAM);
    ms_account a;
    expected(becky, &a);
    assert_int_equal(a.smtp_security, MS_SEC_NONE);
    account_free(&a);
    note_text(becky, MS_LANG_EN, &sb);
    assert_non_null(strstr(sb.buf, "[T14]"));
    strbuf_free(&sb);
    unload(&f);
}

/* After the upgrade is applied, planning again changes nothing and asks
 * nothing (the account keeps its STARTTLS). */
static void test_plan_idempotent(void **state)
{
    (void)state;
    struct fixture f;
    load_upgrade(&f);
    struct net n = {.starttls = TLSUP_VERIFIED, .ssl = TLSUP_NOT_CHECKED, .fail = MS_OK};
    ms_error err;
    assert_int_equal(tlsup_plan(f.plan, f.prof, NULL, fake_probe, &n, NULL, &err), MS_OK);
    ms_account_list after;
    account_list_init(&after);
    for (size_t i = 0; i < f.plan->count; i++) {
        ms_account *a = account_list_add(&after);
        assert_non_null(a);
        expected(&f.plan->items[i], a);
    }
    ms_plan *again = NULL;
    assert_int_equal(plan_build(f.prof, &after, &again, &err), MS_OK);
    struct net n2 = {.starttls = TLSUP_VERIFIED, .ssl = TLSUP_VERIFIED, .fail = MS_OK};
    assert_int_equal(tlsup_plan(again, f.prof, NULL, fake_probe, &n2, NULL, &err), MS_OK);
    assert_int_equal(n2.n, 0);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(again->items[i].status, PLAN_ALREADY_DONE);
        assert_int_equal(again->items[i].security_note, PLAN_SEC_KEPT);
    }
    plan_free(again);
    account_list_free(&after);
    unload(&f);
}

/* Not proved: the profile's "none" stays, the port still moves to 587, the
 * reason is the item's. */
static void test_plan_not_upgraded(void **state)
{
    (void)state;
    static const struct {
        tlsup_seen st, ssl;
        ms_code code;
        const char *hd;
    } cases[] = {
        {TLSUP_CERT_NAME, TLSUP_NOT_CHECKED, MS_INFO_TLS_CERT_NAME, "[T11]"},
        {TLSUP_NO_TLS, TLSUP_NOT_CHECKED, MS_INFO_TLS_NO_STARTTLS, "[T10]"},
        {TLSUP_CERT_UNTRUSTED, TLSUP_NOT_CHECKED, MS_INFO_TLS_CERT_UNTRUSTED, "[T12]"},
        {TLSUP_NOT_CHECKED, TLSUP_NOT_CHECKED, MS_INFO_TLS_NOT_CHECKED, "[T13]"},
    };
    strbuf sb;
    strbuf_init(&sb);
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        struct fixture f;
        load_upgrade(&f);
        struct net n = {.starttls = cases[k].st, .ssl = cases[k].ssl, .fail = MS_OK};
        ms_error err;
        assert_int_equal(tlsup_plan(f.plan, f.prof, NULL, fake_probe, &n, NULL, &err), MS_OK);
        /* STARTTLS on 587, then SSL on 465, per server */
        assert_int_equal(n.n, 4);
        assert_string_equal(n.calls[1], "post.ktarn.or.jp:465:2");
        const plan_item *it = &f.plan->items[0];
        assert_int_equal(it->security_note, PLAN_SEC_NOT_UPGRADED);
        assert_int_equal(it->tls_upgrade.code, cases[k].code);
        ms_account a;
        expected(it, &a);
        assert_int_equal(a.smtp_security, MS_SEC_NONE);
        assert_int_equal(a.smtp_port, 587);
        account_free(&a);
        note_text(it, MS_LANG_JA, &sb);
        assert_non_null(strstr(sb.buf, cases[k].hd));
        assert_non_null(strstr(sb.buf, "post.ktarn.or.jp"));
        unload(&f);
    }
    strbuf_free(&sb);
}

/* Without the key nothing is asked; with a selection, only the selected. */
static void test_plan_scope(void **state)
{
    (void)state;
    struct fixture f;
    load(&f, MS_SOURCE_DIR "/isp-profiles/ktarn.json");
    struct net n = {.starttls = TLSUP_VERIFIED, .ssl = TLSUP_VERIFIED, .fail = MS_OK};
    ms_error err;
    assert_int_equal(tlsup_plan(f.plan, f.prof, NULL, fake_probe, &n, NULL, &err), MS_OK);
    assert_int_equal(n.n, 0);
    assert_int_equal(f.plan->items[0].security_note, PLAN_SEC_AS_PROFILE);
    unload(&f);

    load_upgrade(&f);
    bool sel[6] = {false, false, true, false, false, false};
    assert_int_equal(tlsup_plan(f.plan, f.prof, sel, fake_probe, &n, NULL, &err), MS_OK);
    assert_int_equal(n.n, 1);
    assert_string_equal(n.calls[0], "vpost.ktarn.or.jp:587:1");
    assert_int_equal(f.plan->items[0].security_note, PLAN_SEC_AS_PROFILE);
    assert_int_equal(f.plan->items[2].security_note, PLAN_SEC_UPGRADED);
    unload(&f);
}

/* A failure of the network layer itself is returned; the item stays. */
static void test_plan_probe_error(void **state)
{
    (void)state;
    struct fixture f;
    load_upgrade(&f);
    struct net n = {.fail = MS_ERR_NOMEM};
    ms_error err;
    assert_int_equal(tlsup_plan(f.plan, f.prof, NULL, fake_probe, &n, NULL, &err), MS_ERR_NOMEM);
    assert_int_equal(f.plan->items[0].security_note, PLAN_SEC_AS_PROFILE);
    unload(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decide_starttls), cmocka_unit_test(test_decide_ssl_only),
        cmocka_unit_test(test_decide_reasons),  cmocka_unit_test(test_plan_upgraded),
        cmocka_unit_test(test_plan_idempotent), cmocka_unit_test(test_plan_not_upgraded),
        cmocka_unit_test(test_plan_scope),      cmocka_unit_test(test_plan_probe_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
