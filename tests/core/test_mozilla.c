/* Unit tests: the Mozilla-family mail model (wizard/core/formats/mozilla.c) on the
 * prefs.js files of Thunderbird 2.0, Thunderbird 128 and Netscape 7.1 in
 * tests/data/mozilla/: generation, which outgoing server each identity
 * uses, the wizard's change written in each generation's names (the result
 * must equal the *.expected.js file byte for byte), and profiles.ini. */
#include "moztest.h"

#include "error.h"
#include "ini.h"
#include "mozilla.h"
#include "prefs.h"

typedef struct loaded {
    strbuf orig;
    prefs_file *pf;
    mozilla_mail *mm;
} loaded;

static void load(const char *rel, loaded *l)
{
    strbuf_init(&l->orig);
    moztest_read(rel, &l->orig);
    ms_error err;
    assert_int_equal(prefs_parse(l->orig.buf, l->orig.len, &l->pf, &err), MS_OK);
    ms_code rc = mozilla_mail_read(l->pf, &l->mm, &err);
    if (rc != MS_OK)
        fail_msg("%s: %s %s", rel, ms_code_name(rc), err.detail);
}

static void unload(loaded *l)
{
    mozilla_mail_free(l->mm);
    prefs_free(l->pf);
    strbuf_free(&l->orig);
}

static void assert_file(const prefs_file *pf, const char *rel)
{
    strbuf want;
    strbuf_init(&want);
    moztest_read(rel, &want);
    size_t len;
    const char *d = prefs_data(pf, &len);
    if (len != want.len || memcmp(d, want.buf, len) != 0)
        fail_msg("result differs from %s:\n%.*s", rel, (int)len, d);
    strbuf_free(&want);
}

static const mozilla_identity *identity(const mozilla_mail *mm, const char *key)
{
    for (size_t i = 0; i < mm->nidentities; i++)
        if (strcmp(mm->identities[i].key, key) == 0)
            return &mm->identities[i];
    fail_msg("no identity %s", key);
    return NULL;
}

static void test_tb2_model(void **state)
{
    (void)state;
    loaded l;
    load("mozilla/tb2-prefs.js", &l);
    mozilla_mail *mm = l.mm;
    assert_int_equal(mm->gen, MOZILLA_GEN_OLD);
    assert_int_equal(mm->nsmtp, 2);
    assert_string_equal(mm->smtp[0].key, "smtp1");
    assert_true(mm->smtp[0].listed);
    assert_string_equal(mm->smtp[0].hostname, "secure.japan-mail.ne.jp");
    assert_int_equal(mm->smtp[0].port, 25);
    assert_int_equal(mm->smtp[0].old_auth_method, 0);
    assert_int_equal(mm->smtp[0].auth_method, MOZILLA_UNSET);
    assert_int_equal(mm->smtp[0].eff_auth, MOZILLA_AUTH_NONE);
    assert_int_equal(mm->smtp[0].eff_security, MS_SEC_NONE);
    assert_int_equal(mm->smtp[1].eff_auth, MOZILLA_AUTH_PASSWORD_CLEARTEXT);
    assert_int_equal(mm->smtp[1].eff_security, MS_SEC_SSL);
    assert_int_equal(mm->smtp[1].eff_port, 465);
    assert_string_equal(mm->smtp[1].username, "h-yamada");
    assert_int_equal(mm->default_smtp, 0);
    assert_string_equal(mm->default_account, "account2");
    /* account order as in mail.accountmanager.accounts */
    assert_int_equal(mm->naccounts, 3);
    assert_string_equal(mm->accounts[0].key, "account2");
    assert_int_equal(mm->accounts[0].nidentities, 1);
    const mozilla_identity *id1 = identity(mm, "id1");
    assert_string_equal(id1->email, "hanako@japan-net.ne.jp");
    assert_string_equal(id1->full_name, "\xe5\xb1\xb1\xe7\x94\xb0 \xe8\x8a\xb1\xe5\xad\x90");
    assert_int_equal(id1->smtp, 0);
    assert_false(id1->smtp_is_default);
    const mozilla_identity *id2 = identity(mm, "id2");
    assert_int_equal(id2->smtp, 1);
    /* POP3 over SSL from the old isSecure=true */
    const mozilla_server *s3 = &mm->servers[mm->accounts[1].server];
    assert_string_equal(s3->hostname, "pop.example.co.jp");
    assert_int_equal(s3->socket_type, 3);
    unload(&l);
}

static void test_current_model(void **state)
{
    (void)state;
    loaded l;
    load("mozilla/tb-current-prefs.js", &l);
    mozilla_mail *mm = l.mm;
    assert_int_equal(mm->gen, MOZILLA_GEN_CURRENT);
    assert_non_null(mm->gen_reason);
    assert_int_equal(mm->nsmtp, 2);
    assert_int_equal(mm->smtp[0].auth_method, MOZILLA_AUTH_NONE);
    assert_int_equal(mm->smtp[0].eff_auth, MOZILLA_AUTH_NONE);
    assert_int_equal(mm->smtp[1].eff_auth, MOZILLA_AUTH_OAUTH2);
    /* id3 has no smtpServer: it sends through the default, smtp1. */
    const mozilla_identity *id3 = identity(mm, "id3");
    assert_null(id3->smtp_key);
    assert_true(id3->smtp_is_default);
    assert_int_equal(id3->smtp, 0);
    assert_int_equal(identity(mm, "id2")->smtp, 1);
    /* account1 has two identities */
    assert_string_equal(mm->accounts[0].key, "account1");
    assert_int_equal(mm->accounts[0].nidentities, 2);
    unload(&l);
}

/* The manuals' change: port 587, "use name and password", the user name;
 * the ISP's server only. */
static void change(loaded *l, size_t i, const char *host, const char *user)
{
    ms_error err;
    if (host)
        assert_int_equal(mozilla_smtp_set_hostname(l->mm, i, host, &err), MS_OK);
    assert_int_equal(mozilla_smtp_set_port(l->mm, i, 587, &err), MS_OK);
    assert_int_equal(mozilla_smtp_set_security(l->mm, i, MS_SEC_NONE, &err), MS_OK);
    assert_int_equal(mozilla_smtp_set_auth(l->mm, i, MOZILLA_AUTH_PASSWORD_CLEARTEXT, &err), MS_OK);
    assert_int_equal(mozilla_smtp_set_username(l->mm, i, user, &err), MS_OK);
    assert_int_equal(l->mm->smtp[i].eff_port, 587);
    assert_int_equal(l->mm->smtp[i].eff_auth, MOZILLA_AUTH_PASSWORD_CLEARTEXT);
    assert_string_equal(l->mm->smtp[i].username, user);
}

static void test_change_tb2(void **state)
{
    (void)state;
    loaded l;
    load("mozilla/tb2-prefs.js", &l);
    change(&l, 0, "secure.japan-mail.ne.jp", "hanako");
    assert_file(l.pf, "mozilla/tb2-prefs.expected.js");
    /* No authMethod in an old-generation file. */
    assert_false(prefs_has(l.pf, "mail.smtpserver.smtp1.authMethod"));
    unload(&l);
}

static void test_change_current(void **state)
{
    (void)state;
    loaded l;
    load("mozilla/tb-current-prefs.js", &l);
    change(&l, 0, "smtp.micnet.ne.jp", "jiro");
    assert_file(l.pf, "mozilla/tb-current-prefs.expected.js");
    assert_false(prefs_has(l.pf, "mail.smtpserver.smtp1.auth_method"));
    unload(&l);
}

static void test_change_netscape(void **state)
{
    (void)state;
    loaded l;
    load("mozilla/netscape71-prefs.js", &l);
    assert_int_equal(l.mm->gen, MOZILLA_GEN_OLD);
    assert_int_equal(l.mm->smtp[0].port, MOZILLA_UNSET);
    assert_int_equal(l.mm->smtp[0].eff_port, 25);
    change(&l, 0, NULL, "ichiro");
    assert_file(l.pf, "mozilla/netscape71-prefs.expected.js");
    unload(&l);
}

/* Old generation: "encrypted password" sets useSecAuth; plain name and
 * password clears a useSecAuth left true. Unknown generation writes both. */
static void test_auth_generations(void **state)
{
    (void)state;
    static const char old[] = "user_pref(\"mail.smtpservers\", \"smtp1\");\n"
                              "user_pref(\"mail.smtpserver.smtp1.hostname\", \"a\");\n"
                              "user_pref(\"mail.smtpserver.smtp1.useSecAuth\", true);\n";
    prefs_file *pf;
    mozilla_mail *mm;
    ms_error err;
    assert_int_equal(prefs_parse(old, sizeof old - 1, &pf, &err), MS_OK);
    assert_int_equal(mozilla_mail_read(pf, &mm, &err), MS_OK);
    assert_int_equal(mm->gen, MOZILLA_GEN_OLD);
    assert_int_equal(mm->smtp[0].eff_auth, MOZILLA_AUTH_SECURE);
    assert_int_equal(mozilla_smtp_set_auth(mm, 0, MOZILLA_AUTH_PASSWORD_CLEARTEXT, &err), MS_OK);
    bool b = true, found = false;
    assert_int_equal(prefs_get_bool(pf, "mail.smtpserver.smtp1.useSecAuth", &b, &found, &err),
                     MS_OK);
    assert_true(found);
    assert_false(b);
    int32_t v = 0;
    assert_int_equal(prefs_get_int(pf, "mail.smtpserver.smtp1.auth_method", &v, &found, &err),
                     MS_OK);
    assert_true(found);
    assert_int_equal(v, 1);
    assert_int_equal(mm->smtp[0].eff_auth, MOZILLA_AUTH_PASSWORD_CLEARTEXT);
    /* Refused values change nothing. */
    size_t len0, len1;
    prefs_data(pf, &len0);
    assert_int_equal(mozilla_smtp_set_auth(mm, 0, MOZILLA_AUTH_OAUTH2, &err), MS_ERR_MOZ_VALUE);
    assert_int_equal(mozilla_smtp_set_port(mm, 0, 0, &err), MS_ERR_MOZ_VALUE);
    assert_int_equal(mozilla_smtp_set_port(mm, 0, 65536, &err), MS_ERR_MOZ_VALUE);
    assert_int_equal(mozilla_smtp_set_hostname(mm, 0, "", &err), MS_ERR_MOZ_VALUE);
    assert_int_equal(mozilla_smtp_set_port(mm, 5, 587, &err), MS_ERR_MOZ_NO_SMTP);
    prefs_data(pf, &len1);
    assert_int_equal(len0, len1);
    mozilla_mail_free(mm);
    prefs_free(pf);

    static const char unknown[] = "user_pref(\"mail.smtpservers\", \"smtp1\");\n";
    assert_int_equal(prefs_parse(unknown, sizeof unknown - 1, &pf, &err), MS_OK);
    assert_int_equal(mozilla_mail_read(pf, &mm, &err), MS_OK);
    assert_int_equal(mm->gen, MOZILLA_GEN_UNKNOWN);
    assert_int_equal(mozilla_smtp_set_auth(mm, 0, MOZILLA_AUTH_PASSWORD_CLEARTEXT, &err), MS_OK);
    assert_true(prefs_has(pf, "mail.smtpserver.smtp1.authMethod"));
    assert_true(prefs_has(pf, "mail.smtpserver.smtp1.auth_method"));
    mozilla_mail_free(mm);
    prefs_free(pf);
}

/* A preference of the wrong type fails the whole read. */
static void test_bad_types(void **state)
{
    (void)state;
    static const char bad[] = "user_pref(\"mail.smtpservers\", \"smtp1\");\n"
                              "user_pref(\"mail.smtpserver.smtp1.port\", \"587\");\n";
    prefs_file *pf;
    mozilla_mail *mm = (mozilla_mail *)&pf;
    ms_error err;
    assert_int_equal(prefs_parse(bad, sizeof bad - 1, &pf, &err), MS_OK);
    assert_int_equal(mozilla_mail_read(pf, &mm, &err), MS_ERR_PREFS_TYPE);
    assert_null(mm);
    assert_non_null(strstr(err.detail, "mail.smtpserver.smtp1.port"));
    prefs_free(pf);
}

static void test_profiles_ini(void **state)
{
    (void)state;
    strbuf sb;
    strbuf_init(&sb);
    moztest_read("mozilla/profiles.ini", &sb);
    ini_file *ini;
    ms_error err;
    assert_int_equal(ini_parse(sb.buf, sb.len, &ini, &err), MS_OK);
    mozilla_profile_list l;
    assert_int_equal(mozilla_profiles_list(ini, &l, &err), MS_OK);
    assert_int_equal(l.count, 3);
    assert_string_equal(l.items[0].section, "Profile2");
    assert_false(l.items[0].is_relative);
    assert_true(l.items[0].utf8);
    assert_string_equal(l.items[0].name, "\xe4\xbb\x95\xe4\xba\x8b\xe7\x94\xa8");
    assert_true(l.items[2].is_default);
    assert_true(l.items[1].is_relative);
    assert_string_equal(l.items[1].path, "Profiles/x7q2m1zc.default-release");
    assert_string_equal(l.install_default, "Profiles/x7q2m1zc.default-release");
    mozilla_profiles_free(&l);
    ini_free(ini);
    strbuf_free(&sb);

    strbuf_init(&sb);
    moztest_read("mozilla/profiles-tb2.ini", &sb);
    assert_int_equal(ini_parse(sb.buf, sb.len, &ini, &err), MS_OK);
    assert_int_equal(mozilla_profiles_list(ini, &l, &err), MS_OK);
    assert_int_equal(l.count, 2);
    assert_true(l.items[0].utf8);
    assert_false(l.items[1].utf8); /* a Shift_JIS absolute path */
    assert_true(l.items[1].is_default);
    assert_null(l.install_default);
    mozilla_profiles_free(&l);
    ini_free(ini);
    strbuf_free(&sb);

    /* A section without Path is skipped; a name missing is "". */
    static const char t[] = "[Profile0]\nName=x\n[Profile1]\nPath=p\n[ProfileX]\nPath=q\n";
    assert_int_equal(ini_parse(t, sizeof t - 1, &ini, &err), MS_OK);
    assert_int_equal(mozilla_profiles_list(ini, &l, &err), MS_OK);
    assert_int_equal(l.count, 1);
    assert_string_equal(l.items[0].path, "p");
    assert_string_equal(l.items[0].name, "");
    mozilla_profiles_free(&l);
    ini_free(ini);
}

/* The incoming server renamed (117net): hostname / userName, real*
 * gone, the old server's folder URIs moved, others' left; a server
 * without a folder preference is refused with nothing changed. */
static void test_server_rename(void **state)
{
    (void)state;
    loaded l;
    load("mozilla/tb117/current/Thunderbird/Profiles/t117cur.default/prefs.js", &l);
    strbuf ou, nu, v;
    strbuf_init(&ou);
    strbuf_init(&nu);
    strbuf_init(&v);
    ms_error err;
    assert_int_equal(
        mozilla_server_rename(l.mm, 0, "vpop.117.ne.jp", "taro@vp.117.ne.jp", &ou, &nu, &err),
        MS_OK);
    assert_string_equal(ou.buf, "mailbox://taro@vp.117.ne.jp");
    assert_string_equal(nu.buf, "mailbox://taro%40vp.117.ne.jp@vpop.117.ne.jp");
    static const struct {
        const char *name, *value;
    } want[] = {
        {"mail.server.server1.hostname", "vpop.117.ne.jp"},
        {"mail.server.server1.userName", "taro@vp.117.ne.jp"},
        {"mail.identity.id1.fcc_folder", "mailbox://taro%40vp.117.ne.jp@vpop.117.ne.jp/Sent"},
        {"mail.server.server1.spamActionTargetFolder",
         "mailbox://taro%40vp.117.ne.jp@vpop.117.ne.jp/Junk"},
        /* The IMAP account on the same host is another server URI. */
        {"mail.identity.id2.fcc_folder", "imap://hanako@vp.117.ne.jp/Sent"},
        {"mail.server.server2.hostname", "vp.117.ne.jp"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        bool found = false;
        strbuf_reset(&v);
        assert_int_equal(prefs_get_string(l.pf, want[i].name, &v, &found, &err), MS_OK);
        assert_true(found);
        assert_string_equal(v.buf, want[i].value);
    }
    unload(&l);

    static const char nodir[] = "user_pref(\"mail.accountmanager.accounts\", \"account1\");\n"
                                "user_pref(\"mail.account.account1.server\", \"server1\");\n"
                                "user_pref(\"mail.server.server1.type\", \"pop3\");\n"
                                "user_pref(\"mail.server.server1.hostname\", \"vp.117.ne.jp\");\n";
    prefs_file *pf;
    mozilla_mail *mm;
    assert_int_equal(prefs_parse(nodir, sizeof nodir - 1, &pf, &err), MS_OK);
    assert_int_equal(mozilla_mail_read(pf, &mm, &err), MS_OK);
    assert_int_equal(mozilla_server_rename(mm, 0, "vpop.117.ne.jp", NULL, NULL, NULL, &err),
                     MS_ERR_MOZ_VALUE);
    size_t len;
    const char *d = prefs_data(pf, &len);
    assert_int_equal(len, sizeof nodir - 1);
    assert_memory_equal(d, nodir, len);
    mozilla_mail_free(mm);
    prefs_free(pf);
    strbuf_free(&ou);
    strbuf_free(&nu);
    strbuf_free(&v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tb2_model),       cmocka_unit_test(test_current_model),
        cmocka_unit_test(test_change_tb2),      cmocka_unit_test(test_change_current),
        cmocka_unit_test(test_change_netscape), cmocka_unit_test(test_auth_generations),
        cmocka_unit_test(test_bad_types),       cmocka_unit_test(test_profiles_ini),
        cmocka_unit_test(test_server_rename),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
