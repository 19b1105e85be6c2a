/* support: the support code read out on the phone and the support report
 * (golden files tests/data/support/report-{ja,en}.txt), for a scan of the
 * sample PC (MicNet accounts in Outlook Express and Thunderbird, plus
 * another provider's account) after apply and test send. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "platform.h"
#include "support.h"

typedef struct fixture {
    profile *prof;
    ms_scan scan;
    engine_program programs[2];
    engine_result results[3];
    support_send send[3];
    ms_error send_err[3];
    bool selected[3];
} fixture;

static void add(ms_account_list *l, ms_program prog, const char *id, const char *name,
                const char *email, const char *pop, const char *user, const char *smtp)
{
    ms_account *a = account_list_add(l);
    assert_non_null(a);
    a->program = prog;
    a->id = ms_strdup(id);
    a->account_name = ms_strdup(name);
    a->email = ms_strdup(email);
    a->incoming_host = ms_strdup(pop);
    a->incoming_user = ms_strdup(user);
    a->smtp_host = ms_strdup(smtp);
    a->smtp_port = 25;
}

static const ms_backend *backend_of(ms_program prog)
{
    size_t n;
    const ms_backend *const *t = backend_table(&n);
    for (size_t i = 0; i < n; i++)
        if (t[i]->program == prog)
            return t[i];
    fail();
    return NULL;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    char path[512];
    snprintf(path, sizeof path, "%s/isp-profiles/micnet.json", MS_SOURCE_DIR);
    assert_int_equal(profile_load_file(path, &f->prof, NULL), MS_OK);
    account_list_init(&f->scan.accounts);
    add(&f->scan.accounts, MS_PROG_OE, "oe/{6A1F}/00000001", "MicNet (taro)", "taro@micnet.ne.jp",
        "pop.micnet.ne.jp", "taro", "mail.micnet.ne.jp");
    add(&f->scan.accounts, MS_PROG_OE, "oe/{6A1F}/00000002", "Office", "t-yamada@example.co.jp",
        "pop.example.co.jp", "t-yamada", "smtp.example.co.jp");
    add(&f->scan.accounts, MS_PROG_THUNDERBIRD, "thunderbird/default/account2",
        "hanako@micnet.ne.jp", "hanako@micnet.ne.jp", "pop.micnet.ne.jp", "hanako",
        "smtp.micnet.ne.jp");
    assert_int_equal(plan_build(f->prof, &f->scan.accounts, &f->scan.plan, NULL), MS_OK);
    f->programs[0].backend = backend_of(MS_PROG_OE);
    f->programs[0].n_accounts = 2;
    f->programs[1].backend = backend_of(MS_PROG_THUNDERBIRD);
    f->programs[1].n_accounts = 1;
    f->scan.programs = f->programs;
    f->scan.n_programs = 2;
    f->selected[0] = f->selected[2] = true;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    plan_free(f->scan.plan);
    account_list_free(&f->scan.accounts);
    profile_free(f->prof);
    free(f);
    return 0;
}

static char *code_of(const support_info *in)
{
    strbuf sb;
    strbuf_init(&sb);
    support_code(in, &sb);
    return strbuf_detach(&sb, NULL);
}

static void assert_code(const support_info *in, const char *want)
{
    char *got = code_of(in);
    assert_string_equal(got, want);
    free(got);
}

static void test_code_after_scan(void **state)
{
    fixture *f = *state;
    support_info in = {.prof = f->prof, .scan = &f->scan, .selected = f->selected};
    assert_code(&in, "2P-2A-0C-0T-OK");
}

static void test_code_nothing_found(void **state)
{
    fixture *f = *state;
    /* Only the other provider's account. */
    f->scan.plan->items[0].status = PLAN_NOT_ISP;
    f->scan.plan->items[2].status = PLAN_NOT_ISP;
    support_info in = {.prof = f->prof, .scan = &f->scan};
    assert_code(&in, "0P-0A-0C-0T-OK");
}

/* Only the new Outlook (a program set by hand) besides another provider's
 * account: never "OK", but F32 — the subscriber still has steps to do. */
static void test_code_by_hand(void **state)
{
    fixture *f = *state;
    f->scan.plan->items[0].status = PLAN_NOT_ISP;
    f->scan.plan->items[2].status = PLAN_NOT_ISP;
    support_info in = {.prof = f->prof, .scan = &f->scan};
    ms_fail(&f->scan.accounts.items[2].read_error, MS_ERR_MANUAL_STEPS, "Outlook (new)");
    assert_code(&in, "0P-0A-0C-0T-F32");
    ms_error_clear(&f->scan.accounts.items[2].read_error);
}

static void test_code_no_scan(void **state)
{
    fixture *f = *state;
    ms_error err;
    ms_fail(&err, MS_ERR_NOMEM, "scan");
    support_info in = {.prof = f->prof, .error = &err};
    assert_code(&in, "0P-0A-0C-0T-E01");
}

static void test_code_rolled_back(void **state)
{
    fixture *f = *state;
    f->results[0].outcome = ENGINE_CHANGED;
    f->results[2].outcome = ENGINE_ROLLED_BACK;
    ms_fail(&f->results[2].err, MS_ERR_MOZ_NO_SMTP, "smtp1");
    support_info in = {.prof = f->prof, .scan = &f->scan, .selected = f->selected,
                       .results = f->results};
    assert_code(&in, "2P-2A-1C-0T-F26");
}

static void test_code_scan_error_first(void **state)
{
    fixture *f = *state;
    f->programs[1].scan_rc = MS_ERR_PREFS_CHAR;
    f->results[0].outcome = ENGINE_ROLLED_BACK;
    f->results[0].err.code = MS_ERR_REG_WRITE;
    support_info in = {.prof = f->prof, .scan = &f->scan, .results = f->results};
    char *got = code_of(&in);
    assert_string_equal(got + strlen(got) - 3, "F01");
    free(got);
}

/* After apply and a test send where Thunderbird's password was wrong. */
static support_info after_send(fixture *f)
{
    f->results[0].outcome = ENGINE_CHANGED;
    f->results[2].outcome = ENGINE_CHANGED;
    f->send[0] = SUPPORT_SEND_OK;
    f->send[2] = SUPPORT_SEND_FAILED;
    ms_fail(&f->send_err[2], MS_ERR_SEND_AUTH, "535");
    support_info in = {.prof = f->prof, .scan = &f->scan, .selected = f->selected,
                       .results = f->results, .send = f->send, .send_err = f->send_err,
                       .backup_dir = "C:\\backup\\20261125-093000", .version = "0.1.0"};
    return in;
}

static void test_code_send_failed(void **state)
{
    fixture *f = *state;
    support_info in = after_send(f);
    assert_code(&in, "2P-2A-2C-1T-S07");
    /* Phone-safe: upper-case letters, digits and hyphens only. */
    char *code = code_of(&in);
    for (const char *c = code; *c; c++)
        assert_true((*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '-');
    free(code);
}

static void check_report(fixture *f, ms_lang lang, const char *golden)
{
    support_info in = after_send(f);
    strbuf got;
    strbuf_init(&got);
    support_report(&in, lang, &got);
    char path[512];
    snprintf(path, sizeof path, "%s/support/%s", MS_TEST_DATA, golden);
    /* The golden files are written by hand (tests/data/support/README.md);
     * nothing here can regenerate them from the code they check. */
    strbuf want;
    strbuf_init(&want);
    ms_error err;
    assert_int_equal(ms_file_read(path, 1 << 20, &want, &err), MS_OK);
    assert_string_equal(got.buf, want.buf);
    strbuf_free(&want);
    strbuf_free(&got);
}

static void test_report_ja(void **state)
{
    check_report(*state, MS_LANG_JA, "report-ja.txt");
}

static void test_report_en(void **state)
{
    check_report(*state, MS_LANG_EN, "report-en.txt");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_code_after_scan, setup, teardown),
        cmocka_unit_test_setup_teardown(test_code_nothing_found, setup, teardown),
        cmocka_unit_test_setup_teardown(test_code_by_hand, setup, teardown),
        cmocka_unit_test_setup_teardown(test_code_no_scan, setup, teardown),
        cmocka_unit_test_setup_teardown(test_code_rolled_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_code_scan_error_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_code_send_failed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report_ja, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report_en, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
