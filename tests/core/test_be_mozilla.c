/* Unit tests: the Thunderbird and Netscape back-ends (wizard/core/backends/be_mozilla.c)
 * on a copy of tests/data/mozilla/appdata/ (Thunderbird 2.0 and 128
 * profiles, a Japanese profile folder, a broken prefs.js, a profile never
 * started, a Netscape 7.1 salted folder): scan, apply of the manuals'
 * change (the file must equal the *.expected.js fixture byte for byte),
 * undo to the original bytes, and every refusal leaving the file alone. */
#define _POSIX_C_SOURCE 200809L
#include "moztest.h"

#include <unistd.h>

#include "be_mozilla.h"
#include "error.h"
#include "journal.h"

static char tmp[256];
static char appdata[300];

/* A copy of tests/data/mozilla/<fixture> as the APPDATA folder. */
static int copy_fixture(const char *fixture)
{
    snprintf(tmp, sizeof tmp, "/tmp/test_be_mozilla.XXXXXX");
    if (!mkdtemp(tmp))
        return -1;
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "cp -R '%s/mozilla/%s' '%s/appdata'", MS_TEST_DATA, fixture, tmp);
    if (system(cmd) != 0)
        return -1;
    snprintf(appdata, sizeof appdata, "%s/appdata", tmp);
    return 0;
}

static int setup(void **state)
{
    (void)state;
    return copy_fixture("appdata");
}

static int teardown(void **state)
{
    (void)state;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    return system(cmd) == 0 ? 0 : -1;
}

static ms_env env_of(void)
{
    ms_env e = {.appdata = appdata, .home = tmp};
    return e;
}

static const ms_account *find(const ms_account_list *l, const char *id)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i].id, id) == 0)
            return &l->items[i];
    fail_msg("no account %s", id);
    return NULL;
}

static void file_bytes(const char *path, strbuf *out)
{
    strbuf_init(out);
    ms_error err;
    if (ms_file_read(path, 1 << 24, out, &err) != MS_OK)
        fail_msg("%s: %s", path, err.detail);
}

static void assert_file_is(const char *path, const char *fixture)
{
    strbuf got, want;
    file_bytes(path, &got);
    strbuf_init(&want);
    moztest_read(fixture, &want);
    if (got.len != want.len || memcmp(got.buf, want.buf, got.len) != 0)
        fail_msg("%s differs from %s", path, fixture);
    strbuf_free(&got);
    strbuf_free(&want);
}

static void test_scan(void **state)
{
    (void)state;
    ms_env env = env_of();
    ms_account_list l;
    account_list_init(&l);
    ms_error err;
    assert_int_equal(mozilla_backend_thunderbird.scan(&env, &l, &err), MS_OK);
    /* tb2: 2 (account2/id1, account3/id2); current: 3 (account1/id1,id3 and
     * account3/id2) in two profiles; the broken profile: 1 unreadable. */
    assert_int_equal(l.count, 2 + 3 + 3 + 1);
    const ms_account *a = find(&l, "thunderbird/k3n9x2ab.default/account2/id1");
    assert_int_equal(a->read_error.code, MS_OK);
    assert_string_equal(a->container, "default");
    assert_string_equal(a->email, "hanako@japan-net.ne.jp");
    assert_string_equal(a->smtp_host, "secure.japan-mail.ne.jp");
    assert_int_equal(a->smtp_port, 25);
    assert_int_equal(a->smtp_auth, MS_AUTH_NONE);
    assert_int_equal(a->incoming_proto, MS_IN_POP3);
    assert_string_equal(a->incoming_user, "hanako");
    assert_true(a->is_default);
    assert_string_equal(a->program_version, "2.0.0.14");
    a = find(&l, "thunderbird/k3n9x2ab.default/account3/id2");
    assert_string_equal(a->smtp_host, "smtp.example.co.jp");
    assert_int_equal(a->smtp_security, MS_SEC_SSL);
    assert_int_equal(a->smtp_auth, MS_AUTH_SAME_AS_INCOMING); /* h-yamada both */
    assert_false(a->is_default);
    /* The identity without smtpServer sends through the default server. */
    a = find(&l, "thunderbird/x7q2m1zc.default-release/account1/id3");
    assert_string_equal(a->smtp_host, "mail.micnet.ne.jp");
    assert_false(a->is_default);
    a = find(&l, "thunderbird/x7q2m1zc.default-release/account3/id2");
    assert_int_equal(a->smtp_auth, MS_AUTH_SPA); /* OAuth2 */
    assert_int_equal(a->incoming_proto, MS_IN_IMAP);
    /* A Japanese profile folder. */
    a = find(&l, "thunderbird/q1w2e3r4.\xe4\xbb\x95\xe4\xba\x8b\xe7\x94\xa8/account1/id1");
    assert_string_equal(a->container, "\xe4\xbb\x95\xe4\xba\x8b\xe7\x94\xa8");
    assert_non_null(strstr(a->location, "q1w2e3r4.\xe4\xbb\x95\xe4\xba\x8b\xe7\x94\xa8/prefs.js"));
    /* The broken one: listed, with its own error and place. */
    a = find(&l, "thunderbird/brokenpf.broken");
    assert_int_equal(a->read_error.code, MS_ERR_PREFS_EXPECT_COMMA);
    assert_memory_equal(a->read_error.detail, "1:15", 4);
    assert_null(a->email);
    account_list_free(&l);

    account_list_init(&l);
    assert_int_equal(mozilla_backend_netscape.scan(&env, &l, &err), MS_OK);
    assert_int_equal(l.count, 1);
    a = &l.items[0];
    assert_string_equal(a->id, "netscape/abcd1234.slt/account1/id1");
    assert_string_equal(a->container, "ichiro");
    assert_int_equal(a->smtp_port, 25);
    assert_string_equal(a->display_name, "\xe9\x88\xb4\xe6\x9c\xa8 \xe4\xb8\x80\xe9\x83\x8e");
    account_list_free(&l);
}

static ms_account_list scan_tb(void)
{
    ms_env env = env_of();
    ms_account_list l;
    account_list_init(&l);
    ms_error err;
    assert_int_equal(mozilla_backend_thunderbird.scan(&env, &l, &err), MS_OK);
    return l;
}

static ms_journal *new_journal(const char *name)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/%s", tmp, name);
    ms_error err;
    assert_int_equal(ms_mkdir_p(dir, &err), MS_OK);
    ms_journal *j;
    if (journal_open(dir, &j, &err) != MS_OK)
        fail_msg("journal_open: %s", err.detail);
    return j;
}

/* The manuals' change on the ISP's server only; byte-exact result; undo. */
static void test_apply_and_undo(void **state)
{
    (void)state;
    ms_env env = env_of();
    ms_account_list l = scan_tb();
    char tb2[512], cur[512], other_before_path[512];
    snprintf(tb2, sizeof tb2, "%s/Thunderbird/Profiles/k3n9x2ab.default/prefs.js", appdata);
    snprintf(cur, sizeof cur, "%s/Thunderbird/Profiles/x7q2m1zc.default-release/prefs.js",
             appdata);
    snprintf(other_before_path, sizeof other_before_path,
             "%s/Thunderbird/Profiles/q1w2e3r4.\xe4\xbb\x95\xe4\xba\x8b\xe7\x94\xa8/prefs.js",
             appdata);
    strbuf other_before;
    file_bytes(other_before_path, &other_before);

    ms_journal *j = new_journal("backup1");
    ms_error err;
    const ms_account *a = find(&l, "thunderbird/k3n9x2ab.default/account2/id1");
    ms_change c1[] = {
        {MS_F_SMTP_PORT, {NULL, 25}, {NULL, 587}},
        {MS_F_SMTP_AUTH, {NULL, MS_AUTH_NONE}, {NULL, MS_AUTH_SAME_AS_INCOMING}},
    };
    if (mozilla_backend_thunderbird.apply(&env, a, c1, 2, j, &err) != MS_OK)
        fail_msg("apply tb2: %s", err.detail);
    assert_file_is(tb2, "mozilla/tb2-prefs.expected.js");

    a = find(&l, "thunderbird/x7q2m1zc.default-release/account1/id1");
    ms_change c2[] = {
        {MS_F_SMTP_HOST, {"mail.micnet.ne.jp", 0}, {"smtp.micnet.ne.jp", 0}},
        {MS_F_SMTP_PORT, {NULL, 25}, {NULL, 587}},
        {MS_F_SMTP_AUTH, {NULL, MS_AUTH_NONE}, {NULL, MS_AUTH_SAME_AS_INCOMING}},
    };
    if (mozilla_backend_thunderbird.apply(&env, a, c2, 3, j, &err) != MS_OK)
        fail_msg("apply current: %s", err.detail);
    assert_file_is(cur, "mozilla/tb-current-prefs.expected.js");

    /* A re-scan reads the change back, for the other identity too. */
    ms_account_list after = scan_tb();
    const ms_account *b = find(&after, "thunderbird/x7q2m1zc.default-release/account1/id3");
    assert_string_equal(b->smtp_host, "smtp.micnet.ne.jp");
    assert_int_equal(b->smtp_port, 587);
    b = find(&after, "thunderbird/x7q2m1zc.default-release/account3/id2");
    assert_string_equal(b->smtp_host, "smtp.gmail.com"); /* not the ISP's: unchanged */
    account_list_free(&after);

    /* The same apply again (as for a second identity on the same server)
     * finds every value as wanted and writes nothing. */
    assert_int_equal(mozilla_backend_thunderbird.apply(&env, a, c2, 3, j, &err), MS_OK);
    a = find(&l, "thunderbird/x7q2m1zc.default-release/account1/id3");
    assert_int_equal(mozilla_backend_thunderbird.apply(&env, a, c2, 3, j, &err), MS_OK);
    assert_file_is(cur, "mozilla/tb-current-prefs.expected.js");
    assert_int_equal(journal_count(j), 2); /* one original per file */
    journal_free(j);

    /* Undo from the journal on disk. */
    char dir[512];
    snprintf(dir, sizeof dir, "%s/backup1", tmp);
    assert_int_equal(journal_load(dir, &j, &err), MS_OK);
    if (journal_undo(j, NULL, &err) != MS_OK)
        fail_msg("undo: %s", err.detail);
    journal_free(j);
    assert_file_is(tb2, "mozilla/tb2-prefs.js");
    assert_file_is(cur, "mozilla/tb-current-prefs.js");
    strbuf other_after;
    file_bytes(other_before_path, &other_after);
    assert_int_equal(other_after.len, other_before.len);
    assert_memory_equal(other_after.buf, other_before.buf, other_after.len);
    strbuf_free(&other_after);
    strbuf_free(&other_before);
    account_list_free(&l);
}

static void test_netscape(void **state)
{
    (void)state;
    ms_env env = env_of();
    ms_account_list l;
    account_list_init(&l);
    ms_error err;
    assert_int_equal(mozilla_backend_netscape.scan(&env, &l, &err), MS_OK);
    ms_journal *j = new_journal("backup-ns");
    ms_change c[] = {
        {MS_F_SMTP_PORT, {NULL, 25}, {NULL, 587}},
        {MS_F_SMTP_AUTH, {NULL, MS_AUTH_NONE}, {NULL, MS_AUTH_SAME_AS_INCOMING}},
    };
    if (mozilla_backend_netscape.apply(&env, &l.items[0], c, 2, j, &err) != MS_OK)
        fail_msg("apply: %s", err.detail);
    char p[512];
    snprintf(p, sizeof p, "%s/Mozilla/Profiles/ichiro/abcd1234.slt/prefs.js", appdata);
    assert_file_is(p, "mozilla/netscape71-prefs.expected.js");
    assert_int_equal(journal_undo(j, NULL, &err), MS_OK);
    assert_file_is(p, "mozilla/netscape71-prefs.js");
    journal_free(j);
    account_list_free(&l);
}

/* Each refusal: its own code, and the file as it was. */
static void test_refusals(void **state)
{
    (void)state;
    ms_env env = env_of();
    ms_account_list l = scan_tb();
    char prefs[512], lock[512], userjs[512];
    snprintf(prefs, sizeof prefs, "%s/Thunderbird/Profiles/k3n9x2ab.default/prefs.js", appdata);
    snprintf(lock, sizeof lock, "%s/Thunderbird/Profiles/k3n9x2ab.default/parent.lock", appdata);
    snprintf(userjs, sizeof userjs, "%s/Thunderbird/Profiles/k3n9x2ab.default/user.js", appdata);
    ms_journal *j = new_journal("backup2");
    ms_error err;
    const ms_account *a = find(&l, "thunderbird/k3n9x2ab.default/account2/id1");
    ms_change port[] = {{MS_F_SMTP_PORT, {NULL, 25}, {NULL, 587}}};

    /* The unreadable profile. */
    assert_int_equal(mozilla_backend_thunderbird.apply(&env, find(&l, "thunderbird/brokenpf.broken"),
                                                       port, 1, j, &err),
                     MS_ERR_ACCOUNT_UNREADABLE);
    /* In use: a lock the program holds (here: one that cannot be read). */
    assert_int_equal(ms_mkdir_p(lock, &err), MS_OK);
    assert_int_equal(mozilla_backend_thunderbird.apply(&env, a, port, 1, j, &err),
                     MS_ERR_MOZ_PROFILE_IN_USE);
    assert_non_null(strstr(err.detail, "parent.lock"));
    assert_int_equal(rmdir(lock), 0);
    /* A stale lock file left by a crash does not block. user.js does. */
    assert_int_equal(ms_file_write_atomic(lock, "", 0, &err), MS_OK);
    static const char uj[] = "user_pref(\"mail.smtpserver.smtp1.port\", 25);\n";
    assert_int_equal(ms_file_write_atomic(userjs, uj, sizeof uj - 1, &err), MS_OK);
    assert_int_equal(mozilla_backend_thunderbird.apply(&env, a, port, 1, j, &err),
                     MS_ERR_MOZ_USER_JS);
    assert_non_null(strstr(err.detail, "mail.smtpserver.smtp1.port"));
    assert_int_equal(ms_file_delete(userjs, &err), MS_OK);
    /* An incoming server that is no longer what the scan saw. */
    ms_change in[] = {{MS_F_INCOMING_HOST, {"old.japan-mail.ne.jp", 0}, {"pop.x.jp", 0}}};
    assert_int_equal(mozilla_backend_thunderbird.apply(&env, a, in, 1, j, &err),
                     MS_ERR_CHANGED_SINCE_SCAN);
    /* A port of 0 is not written. */
    ms_change bad[] = {{MS_F_SMTP_PORT, {NULL, 25}, {NULL, 0}}};
    assert_int_equal(mozilla_backend_thunderbird.apply(&env, a, bad, 1, j, &err),
                     MS_ERR_MOZ_VALUE);
    /* Changed since the scan. */
    ms_change stale[] = {{MS_F_SMTP_PORT, {NULL, 2525}, {NULL, 587}}};
    assert_int_equal(mozilla_backend_thunderbird.apply(&env, a, stale, 1, j, &err),
                     MS_ERR_CHANGED_SINCE_SCAN);
    assert_int_equal(journal_count(j), 0);
    assert_file_is(prefs, "mozilla/tb2-prefs.js");
    journal_free(j);
    assert_int_equal(ms_file_delete(lock, &err), MS_OK);
    account_list_free(&l);
}

/* A profile on an absolute, non-ASCII path; a profiles.ini that is broken
 * fails the whole scan with its place. */
static void test_profiles_ini_cases(void **state)
{
    (void)state;
    ms_env env = env_of();
    char ini[512], dir[512], prefs[600];
    snprintf(ini, sizeof ini, "%s/Thunderbird/profiles.ini", appdata);
    snprintf(dir, sizeof dir, "%s/\xe3\x83\xa1\xe3\x83\xbc\xe3\x83\xab/Thunderbird", tmp);
    snprintf(prefs, sizeof prefs, "%s/prefs.js", dir);
    strbuf orig;
    file_bytes(ini, &orig);
    ms_error err;
    assert_int_equal(ms_mkdir_p(dir, &err), MS_OK);
    strbuf t;
    strbuf_init(&t);
    moztest_read("mozilla/tb2-prefs.js", &t);
    assert_int_equal(ms_file_write_atomic(prefs, t.buf, t.len, &err), MS_OK);
    strbuf_reset(&t);
    strbuf_addf(&t, "[Profile0]\r\nName=abs\r\nIsRelative=0\r\nPath=%s\r\n", dir);
    assert_int_equal(ms_file_write_atomic(ini, t.buf, t.len, &err), MS_OK);
    ms_account_list l;
    account_list_init(&l);
    assert_int_equal(mozilla_backend_thunderbird.scan(&env, &l, &err), MS_OK);
    assert_int_equal(l.count, 2);
    assert_string_equal(l.items[0].id, "thunderbird/Thunderbird/account2/id1");
    assert_string_equal(l.items[0].location, prefs);
    account_list_free(&l);

    /* Shift_JIS absolute path (Thunderbird 2 wrote the ANSI code page). */
    strbuf_reset(&t);
    moztest_read("mozilla/profiles-tb2.ini", &t);
    assert_int_equal(ms_file_write_atomic(ini, t.buf, t.len, &err), MS_OK);
    account_list_init(&l);
    assert_int_equal(mozilla_backend_thunderbird.scan(&env, &l, &err), MS_OK);
    const ms_account *a = find(&l, "thunderbird/Profile1");
    assert_int_equal(a->read_error.code, MS_ERR_MOZ_PATH_ENCODING);
    account_list_free(&l);

    strbuf_reset(&t);
    moztest_read("mozilla/malformed/ini-unclosed-section.ini", &t);
    assert_int_equal(ms_file_write_atomic(ini, t.buf, t.len, &err), MS_OK);
    account_list_init(&l);
    assert_int_equal(mozilla_backend_thunderbird.scan(&env, &l, &err), MS_ERR_INI_SECTION);
    assert_non_null(strstr(err.detail, "profiles.ini 1:1"));
    account_list_free(&l);

    assert_int_equal(ms_file_write_atomic(ini, orig.buf, orig.len, &err), MS_OK);
    strbuf_free(&t);
    strbuf_free(&orig);
}

/* No Thunderbird at all: nothing found, no error. */
static void test_nothing(void **state)
{
    (void)state;
    ms_env env = {.appdata = "/nonexistent/appdata", .home = "/nonexistent"};
    ms_account_list l;
    account_list_init(&l);
    ms_error err;
    assert_int_equal(mozilla_backend_thunderbird.scan(&env, &l, &err), MS_OK);
    assert_int_equal(mozilla_backend_netscape.scan(&env, &l, &err), MS_OK);
    assert_int_equal(l.count, 0);
    account_list_free(&l);
}

/* ---- tests/data/mozilla/tbhotweb/: one POP3 account of Thunderbird 128 */

#define HOTWEB_ID "thunderbird/hotweb.default/account1/id1"
#define HOTWEB_PREFS_FIXTURE "mozilla/tbhotweb/Thunderbird/Profiles/hotweb.default/prefs.js"

static int setup_hotweb(void **state)
{
    (void)state;
    return copy_fixture("tbhotweb");
}

static void hotweb_paths(char *prefs, char *lock, char *userjs, size_t n)
{
    snprintf(prefs, n, "%s/Thunderbird/Profiles/hotweb.default/prefs.js", appdata);
    snprintf(lock, n, "%s/Thunderbird/Profiles/hotweb.default/parent.lock", appdata);
    snprintf(userjs, n, "%s/Thunderbird/Profiles/hotweb.default/user.js", appdata);
}

/* Hotweb's manual: a new account on the new server, with the e-mail
 * address as user name, sending on 587 with authentication; the default. */
static const ms_change hotweb_add[] = {
    {MS_F_INCOMING_HOST, {"pop.hotweb.or.jp", 0}, {"mail.hotweb.or.jp", 0}},
    {MS_F_INCOMING_USER, {"hanako", 0}, {"hanako@hotweb.or.jp", 0}},
    {MS_F_SMTP_HOST, {"smtp.hotweb.or.jp", 0}, {"mail.hotweb.or.jp", 0}},
    {MS_F_SMTP_PORT, {NULL, 25}, {NULL, 587}},
    {MS_F_SMTP_AUTH, {NULL, MS_AUTH_NONE}, {NULL, MS_AUTH_SAME_AS_INCOMING}},
};

/* The new account is read back as the manual wants it, beside the old one
 * (left as it was); undo gives the original bytes back. */
static void test_add_account(void **state)
{
    (void)state;
    ms_env env = env_of();
    char prefs[512], lock[512], userjs[512];
    hotweb_paths(prefs, lock, userjs, sizeof prefs);
    ms_account_list l = scan_tb();
    assert_int_equal(l.count, 1);
    const ms_account *t = find(&l, HOTWEB_ID);
    ms_journal *j = new_journal("backup-add");
    ms_error err;
    char *id = NULL;
    if (mozilla_backend_thunderbird.add_account(&env, t, hotweb_add, 5, true, j, &id, &err) !=
        MS_OK)
        fail_msg("add_account: %s", err.detail);
    /* the keys after the highest in use (mail.account.lastKey 2) */
    assert_string_equal(id, "thunderbird/hotweb.default/account3/id2");
    assert_int_equal(journal_count(j), 1);

    ms_account_list after = scan_tb();
    assert_int_equal(after.count, 2);
    const ms_account *a = find(&after, id);
    assert_int_equal(a->incoming_proto, MS_IN_POP3);
    assert_string_equal(a->incoming_host, "mail.hotweb.or.jp");
    assert_string_equal(a->incoming_user, "hanako@hotweb.or.jp");
    assert_string_equal(a->email, "hanako@hotweb.or.jp");
    assert_string_equal(a->display_name, "\xe6\xb8\xa9\xe6\xb3\x89 \xe8\x8a\xb1\xe5\xad\x90");
    assert_string_equal(a->smtp_host, "mail.hotweb.or.jp");
    assert_int_equal(a->smtp_port, 587);
    assert_int_equal(a->smtp_security, MS_SEC_NONE);
    assert_int_equal(a->smtp_auth, MS_AUTH_SAME_AS_INCOMING);
    assert_true(a->is_default);
    const ms_account *old = find(&after, HOTWEB_ID);
    assert_string_equal(old->incoming_host, "pop.hotweb.or.jp");
    assert_string_equal(old->smtp_host, "smtp.hotweb.or.jp");
    assert_int_equal(old->smtp_port, 25);
    assert_false(old->is_default);
    account_list_free(&after);
    free(id);

    assert_int_equal(journal_undo(j, NULL, &err), MS_OK);
    journal_free(j);
    assert_file_is(prefs, HOTWEB_PREFS_FIXTURE);

    /* Not the default, with its own outgoing user name: the old account
     * stays the default; the outgoing server logs on as that user. */
    j = new_journal("backup-add2");
    ms_change own[] = {
        {MS_F_INCOMING_HOST, {"pop.hotweb.or.jp", 0}, {"mail.hotweb.or.jp", 0}},
        {MS_F_SMTP_HOST, {"smtp.hotweb.or.jp", 0}, {"mail.hotweb.or.jp", 0}},
        {MS_F_SMTP_PORT, {NULL, 25}, {NULL, 465}},
        {MS_F_SMTP_SECURITY, {NULL, MS_SEC_NONE}, {NULL, MS_SEC_SSL}},
        {MS_F_SMTP_AUTH, {NULL, MS_AUTH_NONE}, {NULL, MS_AUTH_OWN}},
        {MS_F_SMTP_USER, {NULL, 0}, {"hanako-smtp", 0}},
    };
    if (mozilla_backend_thunderbird.add_account(&env, t, own, 6, false, j, &id, &err) != MS_OK)
        fail_msg("add_account: %s", err.detail);
    after = scan_tb();
    a = find(&after, id);
    assert_string_equal(a->incoming_user, "hanako");
    assert_int_equal(a->smtp_port, 465);
    assert_int_equal(a->smtp_security, MS_SEC_SSL);
    assert_int_equal(a->smtp_auth, MS_AUTH_OWN);
    assert_string_equal(a->smtp_user, "hanako-smtp");
    assert_false(a->is_default);
    assert_true(find(&after, HOTWEB_ID)->is_default);
    account_list_free(&after);
    free(id);
    assert_int_equal(journal_undo(j, NULL, &err), MS_OK);
    journal_free(j);
    assert_file_is(prefs, HOTWEB_PREFS_FIXTURE);
    account_list_free(&l);
}

/* Each refusal to add: its own code, no new id, nothing journalled, the
 * file as it was. */
static void test_add_account_refusals(void **state)
{
    (void)state;
    ms_env env = env_of();
    char prefs[512], lock[512], userjs[512];
    hotweb_paths(prefs, lock, userjs, sizeof prefs);
    ms_account_list l = scan_tb();
    const ms_account *t = find(&l, HOTWEB_ID);
    ms_journal *j = new_journal("backup-add-refused");
    ms_error err;
    char *id = (char *)"unset";
    const ms_backend *b = &mozilla_backend_thunderbird;

    /* no journal to back the file up into: not written */
    assert_int_equal(b->add_account(&env, t, hotweb_add, 5, true, NULL, &id, &err),
                     MS_ERR_INTERNAL);
    assert_null(id);
    /* a template whose profile could not be read */
    ms_account broken = *t;
    broken.read_error.code = MS_ERR_PREFS_EXPECT_COMMA;
    snprintf(broken.read_error.detail, sizeof broken.read_error.detail, "%s", "3:7");
    assert_int_equal(b->add_account(&env, &broken, hotweb_add, 5, true, j, &id, &err),
                     MS_ERR_ACCOUNT_UNREADABLE);
    assert_non_null(strstr(err.detail, "3:7"));
    /* a template account that is no longer in prefs.js */
    ms_account gone = *t;
    gone.id = (char *)"thunderbird/hotweb.default/account9/id1";
    assert_int_equal(b->add_account(&env, &gone, hotweb_add, 5, true, j, &id, &err),
                     MS_ERR_CHANGED_SINCE_SCAN);
    /* a new account without a user name is not written */
    ms_change no_user[] = {{MS_F_INCOMING_USER, {"hanako", 0}, {"", 0}}};
    assert_int_equal(b->add_account(&env, t, no_user, 1, true, j, &id, &err), MS_ERR_MOZ_VALUE);
    /* Thunderbird is running */
    assert_int_equal(ms_mkdir_p(lock, &err), MS_OK);
    assert_int_equal(b->add_account(&env, t, hotweb_add, 5, true, j, &id, &err),
                     MS_ERR_MOZ_PROFILE_IN_USE);
    assert_int_equal(rmdir(lock), 0);
    /* user.js already sets the new outgoing server's key: Thunderbird would
     * override what the wizard writes */
    static const char uj[] = "user_pref(\"mail.smtpserver.smtp2.port\", 25);\n";
    assert_int_equal(ms_file_write_atomic(userjs, uj, sizeof uj - 1, &err), MS_OK);
    assert_int_equal(b->add_account(&env, t, hotweb_add, 5, true, j, &id, &err),
                     MS_ERR_MOZ_USER_JS);
    assert_non_null(strstr(err.detail, "mail.smtpserver.smtp2.port"));
    assert_null(id);
    assert_int_equal(ms_file_delete(userjs, &err), MS_OK);

    assert_int_equal(journal_count(j), 0);
    assert_file_is(prefs, HOTWEB_PREFS_FIXTURE);
    ms_account_list again = scan_tb();
    assert_int_equal(again.count, 1);
    account_list_free(&again);
    journal_free(j);
    account_list_free(&l);
}

/* A new user name (e-mail address as user), STARTTLS and an own outgoing
 * user on the existing account; what cannot be written is refused. */
static void test_apply_user_and_security(void **state)
{
    (void)state;
    ms_env env = env_of();
    char prefs[512], lock[512], userjs[512];
    hotweb_paths(prefs, lock, userjs, sizeof prefs);
    ms_account_list l = scan_tb();
    const ms_account *a = find(&l, HOTWEB_ID);
    ms_journal *j = new_journal("backup-user");
    ms_error err;
    const ms_backend *b = &mozilla_backend_thunderbird;

    /* refusals first: each leaves the file alone */
    ms_change spa[] = {{MS_F_SMTP_AUTH, {NULL, MS_AUTH_NONE}, {NULL, MS_AUTH_SPA}}};
    assert_int_equal(b->apply(&env, a, spa, 1, j, &err), MS_ERR_UNSUPPORTED_SETTING);
    ms_change undefault[] = {{MS_F_DEFAULT, {NULL, 1}, {NULL, 0}}};
    assert_int_equal(b->apply(&env, a, undefault, 1, j, &err), MS_ERR_UNSUPPORTED_SETTING);
    ms_change stale_user[] = {{MS_F_INCOMING_USER, {"taro", 0}, {"taro@hotweb.or.jp", 0}}};
    assert_int_equal(b->apply(&env, a, stale_user, 1, j, &err), MS_ERR_CHANGED_SINCE_SCAN);
    ms_account gone = *a;
    gone.id = (char *)"thunderbird/hotweb.default/account1/id7";
    ms_change port[] = {{MS_F_SMTP_PORT, {NULL, 25}, {NULL, 587}}};
    assert_int_equal(b->apply(&env, &gone, port, 1, j, &err), MS_ERR_CHANGED_SINCE_SCAN);
    assert_int_equal(b->apply(&env, a, port, 1, NULL, &err), MS_ERR_INTERNAL);
    assert_int_equal(journal_count(j), 0);
    assert_file_is(prefs, HOTWEB_PREFS_FIXTURE);

    ms_change c[] = {
        {MS_F_INCOMING_USER, {"hanako", 0}, {"hanako@hotweb.or.jp", 0}},
        {MS_F_SMTP_PORT, {NULL, 25}, {NULL, 587}},
        {MS_F_SMTP_SECURITY, {NULL, MS_SEC_NONE}, {NULL, MS_SEC_STARTTLS}},
        {MS_F_SMTP_AUTH, {NULL, MS_AUTH_NONE}, {NULL, MS_AUTH_OWN}},
        {MS_F_SMTP_USER, {NULL, 0}, {"hanako-smtp", 0}},
    };
    if (b->apply(&env, a, c, 5, j, &err) != MS_OK)
        fail_msg("apply: %s", err.detail);
    ms_account_list after = scan_tb();
    const ms_account *r = find(&after, HOTWEB_ID);
    assert_string_equal(r->incoming_host, "pop.hotweb.or.jp");
    assert_string_equal(r->incoming_user, "hanako@hotweb.or.jp");
    assert_int_equal(r->smtp_port, 587);
    assert_int_equal(r->smtp_security, MS_SEC_STARTTLS);
    assert_int_equal(r->smtp_auth, MS_AUTH_OWN);
    assert_string_equal(r->smtp_user, "hanako-smtp");
    /* and authentication switched off again, from what was just written */
    ms_change off[] = {{MS_F_SMTP_AUTH, {NULL, MS_AUTH_OWN}, {NULL, MS_AUTH_NONE}}};
    if (b->apply(&env, r, off, 1, j, &err) != MS_OK)
        fail_msg("apply: %s", err.detail);
    ms_account_list again = scan_tb();
    assert_int_equal(find(&again, HOTWEB_ID)->smtp_auth, MS_AUTH_NONE);
    assert_int_equal(find(&again, HOTWEB_ID)->smtp_port, 587);
    account_list_free(&again);
    account_list_free(&after);
    /* one original per file: undo gives back the bytes before both */
    assert_int_equal(journal_count(j), 1);
    assert_int_equal(journal_undo(j, NULL, &err), MS_OK);
    journal_free(j);
    assert_file_is(prefs, HOTWEB_PREFS_FIXTURE);
    account_list_free(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_scan, setup, teardown),
        cmocka_unit_test_setup_teardown(test_apply_and_undo, setup, teardown),
        cmocka_unit_test_setup_teardown(test_netscape, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_profiles_ini_cases, setup, teardown),
        cmocka_unit_test_setup_teardown(test_add_account, setup_hotweb, teardown),
        cmocka_unit_test_setup_teardown(test_add_account_refusals, setup_hotweb, teardown),
        cmocka_unit_test_setup_teardown(test_apply_user_and_security, setup_hotweb, teardown),
        cmocka_unit_test(test_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
