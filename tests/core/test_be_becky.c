/* Unit tests: the Becky! back-end (wizard/core/backends/be_becky.c) on a copy of
 * tests/data/becky/home/ (Documents\Becky with three mailboxes, Shift_JIS):
 * the data folder from the registry or the default place, scan, apply of
 * the manuals' change (the result must equal tests/data/becky/
 * Mailbox.expected.ini byte for byte), a backup without the password,
 * undo, and refusals. Also Eudora's detection-only back-end (be_eudora.c). */
#define _POSIX_C_SOURCE 200809L
#include "moztest.h"

#include "be_becky.h"
#include "be_eudora.h"
#include "error.h"
#include "journal.h"
#include "memreg.h"
#include "regval.h"

static char tmp[256], home[300], box[400];

static int setup(void **state)
{
    (void)state;
    snprintf(tmp, sizeof tmp, "/tmp/test_be_becky.XXXXXX");
    if (!mkdtemp(tmp))
        return -1;
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "cp -R '%s/becky/home' '%s/home'", MS_TEST_DATA, tmp);
    if (system(cmd) != 0)
        return -1;
    snprintf(home, sizeof home, "%s/home", tmp);
    snprintf(box, sizeof box, "%s/Documents/Becky/4a5b6c7d.mb/Mailbox.ini", home);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    return system(cmd) == 0 ? 0 : -1;
}

static const ms_account *find(const ms_account_list *l, const char *id)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i].id, id) == 0)
            return &l->items[i];
    fail_msg("no account %s", id);
    return NULL;
}

static void scan(const ms_env *env, ms_account_list *l)
{
    account_list_init(l);
    ms_error err;
    if (becky_backend.scan(env, l, &err) != MS_OK)
        fail_msg("scan: %s", err.detail);
}

static void test_scan(void **state)
{
    (void)state;
    ms_env env = {.home = home};
    ms_account_list l;
    scan(&env, &l);
    assert_int_equal(l.count, 3);
    const ms_account *a = find(&l, "becky/4a5b6c7d.mb");
    assert_int_equal(a->read_error.code, MS_OK);
    assert_null(a->account_name); /* Shift_JIS: not in the UTF-8 model */
    assert_string_equal(a->email, "taro@micnet.ne.jp");
    assert_string_equal(a->incoming_host, "pop.micnet.ne.jp");
    assert_int_equal(a->incoming_port, 110);
    assert_string_equal(a->incoming_user, "taro");
    assert_string_equal(a->smtp_host, "mail.micnet.ne.jp");
    assert_int_equal(a->smtp_port, 25);
    assert_int_equal(a->smtp_auth, MS_AUTH_NONE);
    assert_int_equal(a->smtp_security, MS_SEC_NONE);
    assert_true(a->is_default); /* first line of Folder.lst */
    a = find(&l, "becky/1234abcd.mb");
    assert_int_equal(a->incoming_proto, MS_IN_IMAP);
    assert_int_equal(a->incoming_port, 993);
    assert_int_equal(a->smtp_auth, MS_AUTH_SAME_AS_INCOMING);
    assert_int_equal(a->smtp_security, MS_SEC_SSL);
    assert_false(a->is_default);
    a = find(&l, "becky/99999999.mb");
    assert_int_equal(a->read_error.code, MS_ERR_BECKY_VALUE);
    assert_non_null(strstr(a->read_error.detail, "SMTPPort"));
    account_list_free(&l);

    /* The registry's DataDir wins; one that points nowhere finds nothing. */
    memreg *m = memreg_new();
    ms_reg *r = memreg_reg(m);
    strbuf v;
    strbuf_init(&v);
    char other[512];
    snprintf(other, sizeof other, "%s/elsewhere", tmp);
    assert_true(regval_encode_string(other, &v));
    ms_error err;
    assert_int_equal(r->ops->set(r, BECKY_REG_KEY, BECKY_REG_DATADIR, MS_REG_SZ, v.buf, v.len,
                                 &err),
                     MS_OK);
    env.reg = r;
    scan(&env, &l);
    assert_int_equal(l.count, 0);
    account_list_free(&l);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "mv '%s/Documents/Becky' '%s'", home, other);
    assert_int_equal(system(cmd), 0);
    scan(&env, &l);
    assert_int_equal(l.count, 3);
    assert_non_null(strstr(l.items[0].location, "/elsewhere/"));
    account_list_free(&l);
    snprintf(cmd, sizeof cmd, "mv '%s' '%s/Documents/Becky'", other, home);
    assert_int_equal(system(cmd), 0);
    strbuf_free(&v);
    memreg_free(m);
}

static void read_all(const char *path, strbuf *sb)
{
    strbuf_init(sb);
    ms_error err;
    if (ms_file_read(path, 1 << 20, sb, &err) != MS_OK)
        fail_msg("%s: %s", path, err.detail);
}

static void test_apply_undo(void **state)
{
    (void)state;
    ms_env env = {.home = home};
    ms_account_list l;
    scan(&env, &l);
    strbuf orig;
    read_all(box, &orig);
    char jdir[512];
    snprintf(jdir, sizeof jdir, "%s/backup", tmp);
    ms_error err;
    assert_int_equal(ms_mkdir_p(jdir, &err), MS_OK);
    ms_journal *j;
    assert_int_equal(journal_open(jdir, &j, &err), MS_OK);
    const ms_account *a = find(&l, "becky/4a5b6c7d.mb");
    ms_change c[] = {
        {MS_F_SMTP_HOST, {"mail.micnet.ne.jp", 0}, {"smtp.micnet.ne.jp", 0}},
        {MS_F_SMTP_PORT, {NULL, 25}, {NULL, 587}},
        {MS_F_SMTP_AUTH, {NULL, MS_AUTH_NONE}, {NULL, MS_AUTH_SAME_AS_INCOMING}},
    };
    if (becky_backend.apply(&env, a, c, 3, j, &err) != MS_OK)
        fail_msg("apply: %s", err.detail);
    strbuf got, want;
    read_all(box, &got);
    strbuf_init(&want);
    moztest_read("becky/Mailbox.expected.ini", &want);
    assert_int_equal(got.len, want.len);
    assert_memory_equal(got.buf, want.buf, got.len);
    journal_free(j);

    /* The backup holds no password. */
    char cmd[700];
    snprintf(cmd, sizeof cmd, "grep -r -q 5A3F9C1B77 '%s'", jdir);
    assert_int_not_equal(system(cmd), 0);

    /* A re-scan reads the change; the other mailbox is untouched. */
    ms_account_list after;
    scan(&env, &after);
    a = find(&after, "becky/4a5b6c7d.mb");
    assert_string_equal(a->smtp_host, "smtp.micnet.ne.jp");
    assert_int_equal(a->smtp_port, 587);
    assert_int_equal(a->smtp_auth, MS_AUTH_SAME_AS_INCOMING);
    account_list_free(&after);

    assert_int_equal(journal_load(jdir, &j, &err), MS_OK);
    if (journal_undo(j, NULL, &err) != MS_OK)
        fail_msg("undo: %s", err.detail);
    journal_free(j);
    strbuf_free(&got);
    read_all(box, &got);
    assert_int_equal(got.len, orig.len);
    assert_memory_equal(got.buf, orig.buf, got.len); /* password merged back in place */
    strbuf_free(&got);
    strbuf_free(&want);
    strbuf_free(&orig);
    account_list_free(&l);
}

static void test_refusals(void **state)
{
    (void)state;
    ms_env env = {.home = home};
    ms_account_list l;
    scan(&env, &l);
    strbuf orig;
    read_all(box, &orig);
    char jdir[512];
    snprintf(jdir, sizeof jdir, "%s/backup2", tmp);
    ms_error err;
    assert_int_equal(ms_mkdir_p(jdir, &err), MS_OK);
    ms_journal *j;
    assert_int_equal(journal_open(jdir, &j, &err), MS_OK);
    const ms_account *a = find(&l, "becky/4a5b6c7d.mb");
    ms_change own[] = {{MS_F_SMTP_AUTH, {NULL, MS_AUTH_NONE}, {NULL, MS_AUTH_OWN}}};
    assert_int_equal(becky_backend.apply(&env, a, own, 1, j, &err), MS_ERR_UNSUPPORTED_SETTING);
    ms_change tls[] = {{MS_F_SMTP_SECURITY, {NULL, MS_SEC_NONE}, {NULL, MS_SEC_STARTTLS}}};
    assert_int_equal(becky_backend.apply(&env, a, tls, 1, j, &err), MS_ERR_UNSUPPORTED_SETTING);
    ms_change jp[] = {{MS_F_SMTP_HOST, {"mail.micnet.ne.jp", 0}, {"\xe3\x83\xa1\xe3\x83\xbc\xe3\x83\xab.jp", 0}}};
    assert_int_equal(becky_backend.apply(&env, a, jp, 1, j, &err), MS_ERR_BECKY_VALUE);
    ms_change stale[] = {{MS_F_SMTP_PORT, {NULL, 26}, {NULL, 587}}};
    assert_int_equal(becky_backend.apply(&env, a, stale, 1, j, &err), MS_ERR_CHANGED_SINCE_SCAN);
    ms_change ok[] = {{MS_F_SMTP_PORT, {NULL, 25}, {NULL, 587}}};
    assert_int_equal(becky_backend.apply(&env, find(&l, "becky/99999999.mb"), ok, 1, j, &err),
                     MS_ERR_ACCOUNT_UNREADABLE);
    assert_int_equal(journal_count(j), 0);
    strbuf now;
    read_all(box, &now);
    assert_int_equal(now.len, orig.len);
    assert_memory_equal(now.buf, orig.buf, now.len);
    strbuf_free(&now);
    strbuf_free(&orig);
    journal_free(j);
    account_list_free(&l);
}

/* Eudora: found through its registry key, listed with "manual steps",
 * never changed. */
static void test_eudora(void **state)
{
    (void)state;
    memreg *m = memreg_new();
    ms_reg *r = memreg_reg(m);
    ms_env env = {.reg = r};
    ms_account_list l;
    account_list_init(&l);
    ms_error err;
    assert_int_equal(eudora_backend.scan(&env, &l, &err), MS_OK);
    assert_int_equal(l.count, 0);
    strbuf v;
    strbuf_init(&v);
    assert_true(regval_encode_string("C:\\Eudora\\Eudora.exe C:\\Eudora", &v));
    assert_int_equal(r->ops->set(r, EUDORA_REG_KEY, "CommandLine", MS_REG_SZ, v.buf, v.len, &err),
                     MS_OK);
    assert_int_equal(eudora_backend.scan(&env, &l, &err), MS_OK);
    assert_int_equal(l.count, 1);
    assert_int_equal(l.items[0].program, MS_PROG_EUDORA);
    assert_int_equal(l.items[0].read_error.code, MS_ERR_MANUAL_STEPS);
    assert_null(l.items[0].email);
    ms_change c[] = {{MS_F_SMTP_PORT, {NULL, 25}, {NULL, 587}}};
    assert_int_equal(eudora_backend.apply(&env, &l.items[0], c, 1, NULL, &err),
                     MS_ERR_MANUAL_STEPS);
    char msg[512];
    ms_error_format(&l.items[0].read_error, MS_LANG_JA, msg, sizeof msg);
    assert_non_null(strstr(msg, "Eudora"));
    strbuf_free(&v);
    account_list_free(&l);
    memreg_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_scan, setup, teardown),
        cmocka_unit_test_setup_teardown(test_apply_undo, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
        cmocka_unit_test(test_eudora),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
