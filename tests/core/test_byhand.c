/* Unit tests: be_byhand — the new Outlook and the Mail app, found from
 * their per-user package folders (%LOCALAPPDATA%\Packages\<package family
 * name>), listed as 'set by hand' and never changed; their steps come from
 * the profile's manual for the program when there is one, else the
 * built-in steps filled with the profile's values. */
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

#include "be_byhand.h"
#include "be_eudora.h"
#include "engine.h"
#include "plan.h"
#include "profile.h"

static profile *load(const char *path)
{
    profile *p = NULL;
    assert_int_equal(profile_load_file(path, &p, NULL), MS_OK);
    return p;
}

static profile *load_isp(const char *isp)
{
    char path[512];
    snprintf(path, sizeof path, "%s/isp-profiles/%s.json", MS_SOURCE_DIR, isp);
    return load(path);
}

/* All steps joined by " | " (steps are NUL-separated). */
static char *steps_of(const profile *p, ms_program prog, ms_lang lang, size_t *n,
                      const char **title)
{
    strbuf sb, joined;
    strbuf_init(&sb);
    strbuf_init(&joined);
    *n = byhand_steps(p, prog, lang, &sb, title);
    for (size_t i = 0, k = 0; k < *n; k++) {
        assert_true(i < sb.len);
        assert_true(strlen(sb.buf + i) > 0);
        strbuf_addf(&joined, "%s%s", k ? " | " : "", sb.buf + i);
        i += strlen(sb.buf + i) + 1;
    }
    strbuf_free(&sb);
    return strbuf_detach(&joined, NULL);
}

struct home {
    char dir[64];
    char packages[128];
};

static void make_home(struct home *h)
{
    snprintf(h->dir, sizeof h->dir, "/tmp/test_byhand.XXXXXX");
    assert_non_null(mkdtemp(h->dir));
    snprintf(h->packages, sizeof h->packages, "%s/Packages", h->dir);
    assert_int_equal(mkdir(h->packages, 0700), 0);
}

static void make_pkg(const struct home *h, const char *pfn, bool as_dir)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", h->packages, pfn);
    if (as_dir) {
        assert_int_equal(mkdir(path, 0700), 0);
    } else {
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fclose(f);
    }
}

static void remove_home(const struct home *h)
{
    char path[256];
    const char *names[] = {BYHAND_PFN_OUTLOOK, BYHAND_PFN_MAIL};
    for (size_t i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/%s", h->packages, names[i]);
        if (rmdir(path) != 0)
            unlink(path);
    }
    rmdir(h->packages);
    rmdir(h->dir);
}

static void scan(const struct home *h, const ms_backend *be, ms_account_list *l)
{
    ms_env env = {.local_appdata = h->dir};
    ms_error err;
    account_list_init(l);
    assert_int_equal(be->scan(&env, l, &err), MS_OK);
}

static void test_found_by_package_folder(void **state)
{
    (void)state;
    struct home h;
    make_home(&h);
    ms_account_list l;
    scan(&h, &byhand_backend_outlook_app, &l);
    assert_int_equal(l.count, 0); /* no package folder: not there */
    account_list_free(&l);

    make_pkg(&h, BYHAND_PFN_OUTLOOK, true);
    make_pkg(&h, BYHAND_PFN_MAIL, false); /* a file of that name is not the app */
    scan(&h, &byhand_backend_outlook_app, &l);
    assert_int_equal(l.count, 1);
    const ms_account *a = &l.items[0];
    assert_int_equal(a->program, MS_PROG_OUTLOOK_APP);
    assert_string_equal(a->id, "outlook_new/manual");
    assert_int_equal(a->read_error.code, MS_ERR_MANUAL_STEPS);
    assert_non_null(strstr(a->location, BYHAND_PFN_OUTLOOK));
    assert_null(a->email);
    account_list_free(&l);
    scan(&h, &byhand_backend_mail_app, &l);
    assert_int_equal(l.count, 0);
    account_list_free(&l);
    remove_home(&h);

    make_home(&h);
    make_pkg(&h, BYHAND_PFN_MAIL, true);
    scan(&h, &byhand_backend_mail_app, &l);
    assert_int_equal(l.count, 1);
    assert_string_equal(l.items[0].id, "windows_mail_app/manual");
    assert_int_equal(l.items[0].program, MS_PROG_MAIL_APP);
    account_list_free(&l);
    remove_home(&h);

    /* No %LOCALAPPDATA% known (XP without it): nothing, no error. */
    ms_env none = {0};
    ms_error err;
    account_list_init(&l);
    assert_int_equal(byhand_backend_mail_app.scan(&none, &l, &err), MS_OK);
    assert_int_equal(l.count, 0);
    account_list_free(&l);
}

/* Asked to apply anyway (plan_build never does: can_change is 0), each
 * program that is set by hand says so, naming the account, and touches
 * nothing: no registry, no folder, no journal to write to. */
static void test_apply_says_by_hand(void **state)
{
    (void)state;
    struct home h;
    make_home(&h);
    make_pkg(&h, BYHAND_PFN_OUTLOOK, true);
    ms_env env = {.local_appdata = h.dir};
    ms_account_list l;
    ms_error err;
    account_list_init(&l);
    assert_int_equal(byhand_backend_outlook_app.scan(&env, &l, &err), MS_OK);
    assert_int_equal(l.count, 1);
    ms_change c = {.field = MS_F_SMTP_PORT, .from = {.num = 25}, .to = {.num = 587}};
    ms_env nothing = {0};
    assert_int_equal(byhand_backend_outlook_app.apply(&nothing, &l.items[0], &c, 1, NULL, &err),
                     MS_ERR_MANUAL_STEPS);
    assert_string_equal(err.detail, l.items[0].account_name);
    account_list_free(&l);

    ms_account eudora = {.program = MS_PROG_EUDORA, .account_name = "Eudora"};
    assert_int_equal(eudora_backend.apply(&nothing, &eudora, &c, 1, NULL, &err),
                     MS_ERR_MANUAL_STEPS);
    assert_string_equal(err.detail, "Eudora");
    remove_home(&h);
}

/* Found by the engine too, planned as nothing to change, never applied. */
static void test_engine_leaves_them_alone(void **state)
{
    (void)state;
    struct home h;
    make_home(&h);
    make_pkg(&h, BYHAND_PFN_OUTLOOK, true);
    make_pkg(&h, BYHAND_PFN_MAIL, true);
    profile *p = load_isp("117net");
    ms_env env = {.local_appdata = h.dir};
    ms_scan *s = NULL;
    ms_error err;
    assert_int_equal(engine_scan(&env, p, NULL, NULL, &s, &err), MS_OK);
    size_t by_hand = 0;
    for (size_t i = 0; i < s->plan->count; i++) {
        const plan_item *it = &s->plan->items[i];
        if (it->account->read_error.code != MS_ERR_MANUAL_STEPS)
            continue;
        by_hand++;
        assert_true(it->status != PLAN_CHANGE && it->status != PLAN_ADD_ACCOUNT);
    }
    assert_int_equal(by_hand, 2);
    engine_scan_free(s);
    profile_free(p);
    remove_home(&h);
}

static void test_builtin_steps_have_the_profiles_values(void **state)
{
    (void)state;
    profile *p = load_isp("117net");
    size_t n;
    const char *title;
    char *ja = steps_of(p, MS_PROG_OUTLOOK_APP, MS_LANG_JA, &n, &title);
    assert_null(title);
    assert_true(n >= 5);
    assert_non_null(strstr(ja, "vsmtp.117.ne.jp"));
    assert_non_null(strstr(ja, "SMTP ポートを 587"));
    assert_non_null(strstr(ja, "vpop.117.ne.jp"));     /* the incoming rename */
    assert_non_null(strstr(ja, "メールアドレス全体")); /* user name policy */
    assert_non_null(strstr(ja, "受信と同じ"));         /* same_as_incoming */
    assert_null(strstr(ja, "{"));
    free(ja);

    char *en = steps_of(p, MS_PROG_MAIL_APP, MS_LANG_EN, &n, &title);
    assert_true(n >= 6);
    assert_non_null(strstr(en, "vsmtp.117.ne.jp:587"));
    assert_non_null(strstr(en, "turn on 'Use the same user name and password for sending email'"));
    assert_non_null(strstr(en, "Turn off 'Require SSL for outgoing email'")); /* security none */
    free(en);
    profile_free(p);

    /* MicNet keeps its incoming server and user names: no step for them. */
    p = load_isp("micnet");
    ja = steps_of(p, MS_PROG_MAIL_APP, MS_LANG_JA, &n, &title);
    assert_non_null(strstr(ja, "smtp.micnet.ne.jp:587"));
    assert_null(strstr(ja, "受信メール サーバー"));
    assert_null(strstr(ja, "メールアドレス全体"));
    free(ja);
    /* Any program with a manual in the profile gets it (MicNet has one for
     * PostPet); one without built-in steps and without a manual: none. */
    strbuf sb;
    strbuf_init(&sb);
    assert_int_equal(byhand_steps(p, MS_PROG_POSTPET, MS_LANG_JA, &sb, NULL),
                     profile_find_manual(p, "postpet")->n_steps);
    strbuf_reset(&sb);
    assert_int_equal(byhand_steps(p, MS_PROG_BECKY, MS_LANG_JA, &sb, NULL), 0);
    strbuf_free(&sb);
    profile_free(p);
}

static void test_profile_manual_wins(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/profiles/117net-manual-outlook-new.json", MS_TEST_DATA);
    profile *p = load(path);
    size_t n;
    const char *title;
    char *ja = steps_of(p, MS_PROG_OUTLOOK_APP, MS_LANG_JA, &n, &title);
    assert_int_equal(n, 2);
    assert_string_equal(title, "Outlook (new) の設定 (117net)");
    assert_string_equal(ja, "117net の会員ページの案内を開きます。 | "
                            "送信サーバーを vsmtp.117.ne.jp、ポートを 587 にします。");
    free(ja);
    /* The Mail app has no manual in this profile: the built-in steps. */
    char *en = steps_of(p, MS_PROG_MAIL_APP, MS_LANG_EN, &n, &title);
    assert_null(title);
    assert_non_null(strstr(en, "Advanced mailbox settings"));
    free(en);
    profile_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_found_by_package_folder),
        cmocka_unit_test(test_apply_says_by_hand),
        cmocka_unit_test(test_engine_leaves_them_alone),
        cmocka_unit_test(test_builtin_steps_have_the_profiles_values),
        cmocka_unit_test(test_profile_manual_wins),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
