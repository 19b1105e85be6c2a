/* Unit tests: the change plan for each seed ISP's profile and typical
 * scanned accounts (tests/data/plan/), its words, and its idempotence. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "account_json.h"
#include "backend.h"
#include "plan.h"
#include "platform.h"
#include "profile.h"

struct fixture {
    profile *prof;
    ms_account_list accts;
    ms_plan *plan;
};

/* A profile and an accounts file by path below tests/data/plan. */
static void load_files(struct fixture *f, const char *prof_path, const char *accts)
{
    profile_errors errs;
    profile_errors_init(&errs);
    ms_code rc = profile_load_file(prof_path, &f->prof, &errs);
    if (rc != MS_OK && errs.count)
        fail_msg("%s: %s", prof_path, errs.items[0].err.detail);
    profile_errors_free(&errs);
    assert_int_equal(rc, MS_OK);
    char path[512];
    snprintf(path, sizeof path, "%s/plan/%s", MS_TEST_DATA, accts);
    strbuf sb;
    strbuf_init(&sb);
    ms_error err;
    assert_int_equal(ms_file_read(path, 1 << 20, &sb, &err), MS_OK);
    account_list_init(&f->accts);
    rc = account_list_from_json(sb.buf, sb.len, &f->accts, &err);
    if (rc != MS_OK)
        fail_msg("%s: %s", path, err.detail);
    strbuf_free(&sb);
    assert_int_equal(plan_build(f->prof, &f->accts, &f->plan, &err), MS_OK);
}

static void load(struct fixture *f, const char *isp)
{
    char prof[512], accts[128];
    snprintf(prof, sizeof prof, "%s/isp-profiles/%s.json", MS_SOURCE_DIR, isp);
    snprintf(accts, sizeof accts, "%s.accounts.json", isp);
    load_files(f, prof, accts);
}

static void unload(struct fixture *f)
{
    plan_free(f->plan);
    account_list_free(&f->accts);
    profile_free(f->prof);
}

static const ms_change *find(const plan_item *it, ms_field field)
{
    for (size_t i = 0; i < it->n_changes; i++)
        if (it->changes[i].field == field)
            return &it->changes[i];
    return NULL;
}

static void assert_str_change(const plan_item *it, ms_field field, const char *from,
                              const char *to)
{
    const ms_change *c = find(it, field);
    if (!c)
        fail_msg("no change of %s", account_field_id(field));
    if (from)
        assert_string_equal(c->from.str, from);
    assert_string_equal(c->to.str, to);
}

static void assert_num_change(const plan_item *it, ms_field field, unsigned from, unsigned to)
{
    const ms_change *c = find(it, field);
    if (!c)
        fail_msg("no change of %s", account_field_id(field));
    assert_int_equal(c->from.num, from);
    assert_int_equal(c->to.num, to);
}

/* Applies the plan to the accounts as a perfect back-end would, then plans
 * again: nothing may be left to do. */
static void assert_idempotent(struct fixture *f)
{
    ms_account_list after;
    account_list_init(&after);
    ms_error err;
    for (size_t i = 0; i < f->plan->count; i++) {
        const plan_item *it = &f->plan->items[i];
        ms_account *a = account_list_add(&after);
        assert_non_null(a);
        if (it->status == PLAN_CHANGE) {
            assert_int_equal(plan_expected_account(it->account, it->changes, it->n_changes, a,
                                                   &err),
                             MS_OK);
        } else {
            assert_int_equal(account_copy(a, it->account), MS_OK);
        }
        if (it->status == PLAN_ADD_ACCOUNT) {
            if (it->make_default)
                a->is_default = false;
            ms_account *n = account_list_add(&after);
            assert_non_null(n);
            assert_int_equal(plan_expected_account(it->account, it->changes, it->n_changes, n,
                                                   &err),
                             MS_OK);
        }
    }
    ms_plan *again;
    assert_int_equal(plan_build(f->prof, &after, &again, &err), MS_OK);
    assert_int_equal(plan_count(again, PLAN_CHANGE), 0);
    assert_int_equal(plan_count(again, PLAN_ADD_ACCOUNT), 0);
    plan_free(again);
    account_list_free(&after);
}

static void upper(char *s)
{
    for (; s && *s; s++)
        if (*s >= 'a' && *s <= 'z')
            *s = (char)(*s - 'a' + 'A');
}

/* Server names are case-insensitive (DNS): an account already on the new
 * servers, written in capitals (as some users type them), is done, not
 * planned again. */
static void done_in_capitals(const char *isp)
{
    struct fixture f;
    load(&f, isp);
    ms_account_list after;
    account_list_init(&after);
    ms_error err;
    size_t n = 0;
    for (size_t i = 0; i < f.plan->count; i++) {
        const plan_item *it = &f.plan->items[i];
        if (it->status != PLAN_CHANGE)
            continue;
        ms_account *a = account_list_add(&after);
        assert_non_null(a);
        assert_int_equal(plan_expected_account(it->account, it->changes, it->n_changes, a, &err),
                         MS_OK);
        upper(a->smtp_host);
        upper(a->incoming_host);
        n++;
    }
    assert_true(n >= 1);
    ms_plan *again;
    assert_int_equal(plan_build(f.prof, &after, &again, &err), MS_OK);
    for (size_t i = 0; i < again->count; i++)
        if (again->items[i].status != PLAN_ALREADY_DONE)
            fail_msg("%s: %s (%s) is planned again", isp, again->items[i].account->id,
                     again->items[i].account->smtp_host);
    plan_free(again);
    account_list_free(&after);
    unload(&f);
}

static void done_account_in_capitals_is_not_changed(void **state)
{
    (void)state;
    done_in_capitals("117net");    /* host_map: old -> new names */
    done_in_capitals("japan-net"); /* one fixed new server name */
}

static void net117_renames_both_hosts_and_user_becomes_address(void **state)
{
    (void)state;
    struct fixture f;
    load(&f, "117net");
    const plan_item *it = &f.plan->items[0];
    assert_int_equal(it->status, PLAN_CHANGE);
    assert_str_change(it, MS_F_INCOMING_HOST, "vp.117.ne.jp", "vpop.117.ne.jp");
    assert_str_change(it, MS_F_SMTP_HOST, "vs.117.ne.jp", "vsmtp.117.ne.jp");
    assert_num_change(it, MS_F_SMTP_PORT, 25, 587);
    assert_num_change(it, MS_F_SMTP_AUTH, MS_AUTH_NONE, MS_AUTH_SAME_AS_INCOMING);
    assert_str_change(it, MS_F_INCOMING_USER, "taro", "taro@vp.117.ne.jp");
    assert_int_equal(f.plan->items[1].status, PLAN_NOT_ISP); /* Gmail */
    assert_int_equal(f.plan->items[1].n_changes, 0);
    assert_idempotent(&f);
    unload(&f);
}

static void micnet_moves_mail_to_smtp_and_leaves_done_account(void **state)
{
    (void)state;
    struct fixture f;
    load(&f, "micnet");
    const plan_item *it = &f.plan->items[0];
    assert_int_equal(it->status, PLAN_CHANGE);
    assert_str_change(it, MS_F_SMTP_HOST, "mail.micnet.ne.jp", "smtp.micnet.ne.jp");
    assert_num_change(it, MS_F_SMTP_PORT, 25, 587);
    assert_num_change(it, MS_F_SMTP_AUTH, MS_AUTH_NONE, MS_AUTH_SAME_AS_INCOMING);
    assert_null(find(it, MS_F_INCOMING_HOST));
    assert_null(find(it, MS_F_INCOMING_USER));
    assert_int_equal(f.plan->items[1].status, PLAN_ALREADY_DONE);
    assert_idempotent(&f);
    unload(&f);
}

static void ktarn_keeps_paid_virus_check_server(void **state)
{
    (void)state;
    struct fixture f;
    load(&f, "ktarn");
    const plan_item *it = &f.plan->items[0];
    assert_int_equal(it->status, PLAN_CHANGE);
    assert_null(find(it, MS_F_SMTP_HOST));
    assert_num_change(it, MS_F_SMTP_PORT, 25, 587);
    assert_num_change(it, MS_F_SMTP_AUTH, MS_AUTH_NONE, MS_AUTH_SAME_AS_INCOMING);
    it = &f.plan->items[1]; /* on vpost.ktarn.or.jp */
    assert_int_equal(it->status, PLAN_CHANGE);
    assert_null(find(it, MS_F_SMTP_HOST));
    assert_num_change(it, MS_F_SMTP_PORT, 25, 587);
    assert_num_change(it, MS_F_SMTP_AUTH, MS_AUTH_OWN, MS_AUTH_SAME_AS_INCOMING);
    assert_int_equal(f.plan->items[2].status, PLAN_NOT_ISP);
    assert_idempotent(&f);
    unload(&f);
}

static void hotweb_adds_new_account_and_makes_it_default(void **state)
{
    (void)state;
    struct fixture f;
    load(&f, "hotweb");
    const plan_item *it = &f.plan->items[0];
    assert_int_equal(it->status, PLAN_ADD_ACCOUNT);
    assert_true(it->make_default);
    assert_str_change(it, MS_F_INCOMING_HOST, "pop.hotweb.or.jp", "mail.hotweb.or.jp");
    assert_str_change(it, MS_F_SMTP_HOST, "smtp.hotweb.or.jp", "mail.hotweb.or.jp");
    assert_num_change(it, MS_F_SMTP_PORT, 25, 587);
    assert_num_change(it, MS_F_SMTP_AUTH, MS_AUTH_NONE, MS_AUTH_SAME_AS_INCOMING);
    assert_str_change(it, MS_F_INCOMING_USER, "hanako", "hanako@hotweb.or.jp");
    assert_num_change(it, MS_F_DEFAULT, 0, 1);
    assert_idempotent(&f);
    unload(&f);
}

static void japan_net_sets_587_without_encryption(void **state)
{
    (void)state;
    struct fixture f;
    load(&f, "japan-net");
    for (size_t i = 0; i < 2; i++) {
        const plan_item *it = &f.plan->items[i];
        assert_int_equal(it->status, PLAN_CHANGE);
        assert_num_change(it, MS_F_SMTP_PORT, 25, 587);
        assert_num_change(it, MS_F_SMTP_AUTH, MS_AUTH_NONE, MS_AUTH_SAME_AS_INCOMING);
        assert_null(find(it, MS_F_SMTP_SECURITY));
        assert_null(find(it, MS_F_SMTP_HOST));
    }
    assert_idempotent(&f);
    unload(&f);
}

static void changes_read_like_the_manuals(void **state)
{
    (void)state;
    struct fixture f;
    load(&f, "117net");
    const plan_item *it = &f.plan->items[0];
    strbuf sb;
    strbuf_init(&sb);
    plan_describe_change(find(it, MS_F_SMTP_PORT), MS_PROG_OE, MS_LANG_JA, &sb);
    assert_string_equal(sb.buf, "サーバーのポート番号 送信メール (SMTP): 25 → 587");
    strbuf_reset(&sb);
    plan_describe_change(find(it, MS_F_SMTP_AUTH), MS_PROG_OE, MS_LANG_JA, &sb);
    assert_string_equal(sb.buf,
                        "このサーバーは認証が必要: オフ → オン (受信メールサーバーと同じ設定を使用する)");
    strbuf_reset(&sb);
    plan_describe_change(find(it, MS_F_SMTP_AUTH), MS_PROG_OUTLOOK, MS_LANG_JA, &sb);
    assert_string_equal(
        sb.buf, "送信サーバー (SMTP) は認証が必要: オフ → オン (受信メール サーバーと同じ設定を使用する)");
    strbuf_reset(&sb);
    plan_describe_change(find(it, MS_F_SMTP_PORT), MS_PROG_THUNDERBIRD, MS_LANG_EN, &sb);
    assert_string_equal(sb.buf, "Outgoing Server (SMTP): Port: 25 → 587");
    strbuf_free(&sb);

    strbuf js;
    strbuf_init(&js);
    ms_error err;
    assert_int_equal(plan_to_json(f.plan, MS_LANG_JA, &js, &err), MS_OK);
    assert_non_null(strstr(js.buf, "\"status\":\t\"change\""));
    assert_non_null(strstr(js.buf, "\"status\":\t\"not_isp\""));
    strbuf_free(&js);
    unload(&f);
}

static void malformed_account_json_names_the_key(void **state)
{
    (void)state;
    ms_account_list l;
    account_list_init(&l);
    ms_error err;
    const char *bad = "{\"accounts\":[{\"email\":\"a@b.jp\",\"smtp_prot\":587}]}";
    assert_int_equal(account_list_from_json(bad, strlen(bad), &l, &err), MS_ERR_ACCOUNT_JSON);
    assert_string_equal(err.detail, "$.accounts[0].smtp_prot");
    account_list_free(&l);
    const char *bad2 = "{\"accounts\":[{\"smtp_port\":70000}]}";
    assert_int_equal(account_list_from_json(bad2, strlen(bad2), &l, &err), MS_ERR_ACCOUNT_JSON);
    assert_string_equal(err.detail, "$.accounts[0].smtp_port");
    account_list_free(&l);
}

static const ms_change *find_manual(const plan_item *it, ms_field field)
{
    for (size_t i = 0; i < it->n_manual; i++)
        if (it->manual[i].field == field)
            return &it->manual[i];
    return NULL;
}

/* Every change is either automatic (the back-end can hold it) or by hand,
 * never both, never lost. */
static void assert_split(const plan_item *it)
{
    const ms_backend *be = backend_for(it->account->program);
    for (size_t k = 0; k < it->n_changes; k++)
        assert_true(backend_can_change(be, it->account, &it->changes[k]));
    for (size_t k = 0; k < it->n_manual; k++)
        assert_false(it->add_by_hand ? be && be->add_account
                                     : backend_can_change(be, it->account, &it->manual[k]));
}

static void encryption_is_never_downgraded(void **state)
{
    (void)state;
    struct fixture f;
    char prof[512];
    snprintf(prof, sizeof prof, "%s/isp-profiles/117net.json", MS_SOURCE_DIR);
    load_files(&f, prof, "117net-caps.accounts.json");
    /* OE on STARTTLS/587: keeps both, though 117net says security none. */
    const plan_item *it = &f.plan->items[0];
    assert_int_equal(it->status, PLAN_CHANGE);
    assert_null(find(it, MS_F_SMTP_SECURITY));
    assert_null(find(it, MS_F_SMTP_PORT));
    assert_str_change(it, MS_F_SMTP_HOST, "vs.117.ne.jp", "vsmtp.117.ne.jp");
    assert_int_equal(it->security_note, PLAN_SEC_KEPT);
    assert_int_equal(it->n_manual, 0);
    /* Thunderbird 102 on SSL/465: keeps both; its incoming server and
     * user name are changed automatically. */
    it = &f.plan->items[1];
    assert_int_equal(it->status, PLAN_CHANGE);
    assert_null(find(it, MS_F_SMTP_SECURITY));
    assert_null(find(it, MS_F_SMTP_PORT));
    assert_int_equal(it->security_note, PLAN_SEC_KEPT);
    assert_str_change(it, MS_F_INCOMING_HOST, "vp.117.ne.jp", "vpop.117.ne.jp");
    assert_str_change(it, MS_F_INCOMING_USER, "saburo", "saburo@vp.117.ne.jp");
    assert_int_equal(it->n_manual, 0);
    /* STARTTLS on port 25: the profile's 587, STARTTLS kept. */
    it = &f.plan->items[2];
    assert_num_change(it, MS_F_SMTP_PORT, 25, 587);
    assert_null(find(it, MS_F_SMTP_SECURITY));
    assert_int_equal(it->security_note, PLAN_SEC_KEPT);

    /* The sentences the changes page and the JSON give. */
    strbuf sb;
    strbuf_init(&sb);
    plan_describe_security_note(&f.plan->items[1], MS_LANG_JA, &sb);
    assert_string_equal(sb.buf, "このアカウントは送信メールの接続をすでに暗号化 (SSL/TLS) "
                                "しているため、暗号化の設定はそのままにします。");
    strbuf_reset(&sb);
    ms_error err;
    assert_int_equal(plan_to_json(f.plan, MS_LANG_EN, &sb, &err), MS_OK);
    assert_non_null(strstr(sb.buf, "\"security_note\":\t\"kept\""));
    assert_non_null(strstr(sb.buf, "so the encryption stays as it is."));
    assert_non_null(strstr(sb.buf, "\"incoming_security\":\t\"ssl\""));
    strbuf_free(&sb);
    assert_idempotent(&f);
    unload(&f);

    /* Only a profile that states its server offers no TLS turns it off. */
    snprintf(prof, sizeof prof, "%s/plan/117net-no-tls.profile.json", MS_TEST_DATA);
    load_files(&f, prof, "117net-caps.accounts.json");
    it = &f.plan->items[0];
    assert_num_change(it, MS_F_SMTP_SECURITY, MS_SEC_STARTTLS, MS_SEC_NONE);
    assert_int_equal(it->security_note, PLAN_SEC_TURNED_OFF);
    it = &f.plan->items[1];
    assert_num_change(it, MS_F_SMTP_SECURITY, MS_SEC_SSL, MS_SEC_NONE);
    assert_num_change(it, MS_F_SMTP_PORT, 465, 587);
    strbuf_init(&sb);
    plan_describe_security_note(it, MS_LANG_EN, &sb);
    assert_string_equal(sb.buf, "Your provider states that its outgoing mail server offers no "
                                "encryption, so the encryption of this connection is turned off.");
    strbuf_free(&sb);
    unload(&f);
}

static void plan_splits_what_each_program_can_hold(void **state)
{
    (void)state;
    struct fixture f;
    char prof[512];
    snprintf(prof, sizeof prof, "%s/isp-profiles/117net.json", MS_SOURCE_DIR);
    load_files(&f, prof, "117net-caps.accounts.json");
    for (size_t i = 0; i < f.plan->count; i++)
        assert_split(&f.plan->items[i]);
    /* Thunderbird (its version unknown): every change, the incoming server
     * and user name too. */
    const plan_item *it = &f.plan->items[2];
    assert_int_equal(it->status, PLAN_CHANGE);
    assert_str_change(it, MS_F_SMTP_HOST, "vs.117.ne.jp", "vsmtp.117.ne.jp");
    assert_str_change(it, MS_F_INCOMING_HOST, "vp.117.ne.jp", "vpop.117.ne.jp");
    assert_int_equal(it->n_manual, 0);
    /* PostPet: no back-end, everything by hand. */
    it = &f.plan->items[3];
    assert_int_equal(it->status, PLAN_MANUAL);
    assert_int_equal(it->n_changes, 0);
    assert_int_equal(it->n_manual, 5);
    /* Becky!: every change of 117net is a Mailbox.ini key. */
    it = &f.plan->items[4];
    assert_int_equal(it->status, PLAN_CHANGE);
    assert_int_equal(it->n_manual, 0);
    assert_str_change(it, MS_F_INCOMING_USER, "rokuro", "rokuro@vp.117.ne.jp");

    strbuf js;
    strbuf_init(&js);
    ms_error err;
    assert_int_equal(plan_to_json(f.plan, MS_LANG_JA, &js, &err), MS_OK);
    assert_non_null(strstr(js.buf, "\"status\":\t\"by_hand\""));
    assert_non_null(strstr(js.buf, "\"by_hand_text\""));
    assert_non_null(strstr(js.buf, "受信メール"));
    strbuf_free(&js);
    unload(&f);

    /* STARTTLS and an own SMTP user: Becky!'s Mailbox.ini has no key for
     * either, so the subscriber sets them by hand; the rest is automatic. */
    snprintf(prof, sizeof prof, "%s/plan/117net-starttls-own.profile.json", MS_TEST_DATA);
    load_files(&f, prof, "117net-caps.accounts.json");
    for (size_t i = 0; i < f.plan->count; i++)
        assert_split(&f.plan->items[i]);
    it = &f.plan->items[4];
    assert_int_equal(it->status, PLAN_CHANGE);
    assert_num_change(it, MS_F_SMTP_PORT, 25, 587);
    assert_str_change(it, MS_F_SMTP_HOST, "vs.117.ne.jp", "vsmtp.117.ne.jp");
    assert_non_null(find_manual(it, MS_F_SMTP_AUTH));
    assert_non_null(find_manual(it, MS_F_SMTP_SECURITY));
    assert_null(find(it, MS_F_SMTP_AUTH));
    assert_null(find(it, MS_F_SMTP_SECURITY));
    assert_string_equal(plan_item_text(it, MS_LANG_EN),
                        "Needs these changes; some of them by hand.");
    /* Outlook Express holds both. */
    it = &f.plan->items[0];
    assert_int_equal(it->n_manual, 0);
    assert_non_null(find(it, MS_F_SMTP_AUTH));
    unload(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(net117_renames_both_hosts_and_user_becomes_address),
        cmocka_unit_test(done_account_in_capitals_is_not_changed),
        cmocka_unit_test(micnet_moves_mail_to_smtp_and_leaves_done_account),
        cmocka_unit_test(ktarn_keeps_paid_virus_check_server),
        cmocka_unit_test(hotweb_adds_new_account_and_makes_it_default),
        cmocka_unit_test(japan_net_sets_587_without_encryption),
        cmocka_unit_test(changes_read_like_the_manuals),
        cmocka_unit_test(malformed_account_json_names_the_key),
        cmocka_unit_test(encryption_is_never_downgraded),
        cmocka_unit_test(plan_splits_what_each_program_can_hold),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
