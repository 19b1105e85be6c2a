/* Unit tests: the backup journal and undo (wizard/core/engine/journal.c) with
 * files in a temporary folder and an in-memory registry: original values
 * (present with type and bytes, or absent), created keys, original file
 * bytes (or absence) restored exactly; no password ever in the backup;
 * the journal on disk consistent after a failure at any write; damaged
 * journals refused before anything is restored. */
#define _GNU_SOURCE /* mkdtemp */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "error.h"
#include "fault.h"
#include "journal.h"
#include "memreg.h"
#include "oeaccount.h"
#include "platform.h"
#include "strbuf.h"

#define DATA MS_TEST_DATA "/wlmail/"
#define F_117 DATA "store/Local Folders/account{6F1C2B8E-3A4D-4E5F-8A9B-117000000001}.oeaccount"
#define KEY "Software\\Microsoft\\Windows Live Mail"

typedef struct jw {
    char dir[128], backup[192], file[192], newfile[192];
    memreg *reg, *orig;
} jw;

static void sh(const char *fmt, ...) MS_PRINTF(1, 2);
static void sh(const char *fmt, ...)
{
    char cmd[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    if (system(cmd) != 0)
        fail_msg("command failed: %s", cmd);
}

static void put_dword(ms_reg *r, const char *name, uint32_t v)
{
    unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    ms_error err;
    assert_int_equal(r->ops->set(r, KEY, name, MS_REG_DWORD, b, 4, &err), MS_OK);
}

static void jw_init(jw *w)
{
    memset(w, 0, sizeof *w);
    snprintf(w->dir, sizeof w->dir, "/tmp/test_journal.XXXXXX");
    assert_non_null(mkdtemp(w->dir));
    snprintf(w->backup, sizeof w->backup, "%s/backup", w->dir);
    snprintf(w->file, sizeof w->file, "%s/a.oeaccount", w->dir);
    snprintf(w->newfile, sizeof w->newfile, "%s/new/b.txt", w->dir);
    sh("mkdir '%s' && cp '" F_117 "' '%s'", w->backup, w->file);
    w->reg = memreg_new();
    ms_reg *r = memreg_reg(w->reg);
    ms_error err;
    assert_int_equal(r->ops->create_key(r, KEY, &err), MS_OK);
    put_dword(r, "Settings Upgraded", 2);
    /* a REG_BINARY with odd length and a NUL inside */
    assert_int_equal(r->ops->set(r, KEY, "Blob", MS_REG_BINARY, "a\0b", 3, &err), MS_OK);
    w->orig = memreg_clone(w->reg);
}

static void jw_free(jw *w)
{
    fault_arm(0, false);
    fault_fake_free_off();
    memreg_free(w->reg);
    memreg_free(w->orig);
    sh("rm -rf '%s'", w->dir);
}

static void assert_reg_original(const jw *w)
{
    strbuf d;
    strbuf_init(&d);
    if (memreg_diff(w->orig, w->reg, &d))
        fail_msg("registry differs:\n%s", d.buf);
    strbuf_free(&d);
}

static bool same(const char *a, const char *b)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "cmp -s '%s' '%s'", a, b);
    return system(cmd) == 0;
}

/* Records, changes everything, and undoes: all back exactly. */
static void do_changes(jw *w, ms_journal *j)
{
    ms_reg *r = memreg_reg(w->reg);
    ms_error err;
    assert_int_equal(journal_account(j, "wlmail/a", &err), MS_OK);
    assert_int_equal(journal_reg_before(j, r, KEY, "Settings Upgraded", &err), MS_OK);
    put_dword(r, "Settings Upgraded", 7);
    assert_int_equal(journal_reg_before(j, r, KEY, "Default Mail Account", &err), MS_OK);
    assert_int_equal(r->ops->set(r, KEY, "Default Mail Account", MS_REG_SZ, "x\0\0", 4, &err),
                     MS_OK);
    assert_int_equal(journal_reg_before(j, r, KEY, "Blob", &err), MS_OK);
    assert_int_equal(r->ops->del_value(r, KEY, "Blob", &err), MS_OK);
    assert_int_equal(journal_reg_key_created(j, KEY "\\New", &err), MS_OK);
    assert_int_equal(r->ops->create_key(r, KEY "\\New", &err), MS_OK);
    assert_int_equal(journal_file_before_filtered(j, w->file, &oeacct_secret_filter, &err),
                     MS_OK);
    /* Edited as the back-end edits it; the password stays in the file. */
    sh("cp '" DATA "expected/117net.oeaccount' '%s'", w->file);
    assert_int_equal(journal_account(j, "wlmail/b", &err), MS_OK);
    assert_int_equal(journal_file_before(j, w->newfile, &err), MS_OK);
    assert_int_equal(ms_mkdir_p(w->dir, &err), MS_OK);
    sh("mkdir -p '%s/new' && echo hi > '%s'", w->dir, w->newfile);
    /* A second record of the same value keeps the first (the original). */
    assert_int_equal(journal_account(j, "wlmail/a", &err), MS_OK);
    assert_int_equal(journal_reg_before(j, r, KEY, "Settings Upgraded", &err), MS_OK);
    assert_int_equal(journal_count(j), 6);
}

static void test_record_and_undo(void **state)
{
    (void)state;
    jw w;
    jw_init(&w);
    ms_journal *j;
    ms_error err;
    assert_int_equal(journal_open(w.backup, &j, &err), MS_OK);
    do_changes(&w, j);
    journal_free(j);
    /* A later run loads it from disk and undoes it. */
    assert_int_equal(journal_load(w.backup, &j, &err), MS_OK);
    assert_int_equal(journal_count(j), 6);
    assert_int_equal(journal_undo(j, memreg_reg(w.reg), &err), MS_OK);
    journal_free(j);
    assert_reg_original(&w);
    assert_true(same(w.file, F_117));
    assert_false(ms_file_exists(w.newfile));
    /* Undo twice is harmless. */
    assert_int_equal(journal_load(w.backup, &j, &err), MS_OK);
    assert_int_equal(journal_undo(j, memreg_reg(w.reg), &err), MS_OK);
    journal_free(j);
    assert_reg_original(&w);
    assert_true(same(w.file, F_117));
    /* The file deleted meanwhile: restored, but the password, which the
     * backup never held, is empty (the program asks for it). */
    sh("rm '%s'", w.file);
    assert_int_equal(journal_load(w.backup, &j, &err), MS_OK);
    assert_int_equal(journal_undo(j, memreg_reg(w.reg), &err), MS_OK);
    journal_free(j);
    assert_true(ms_file_exists(w.file));
    assert_false(same(w.file, F_117));
    oeacct_doc d;
    assert_int_equal(oeacct_load(w.file, &d, &err), MS_OK);
    const oeacct_elem *e = oeacct_find(&d, "POP3_Password2");
    assert_non_null(e);
    assert_int_equal(e->text_start, e->text_end);
    oeacct_free(&d);
    jw_free(&w);
}

static void test_undo_one_account(void **state)
{
    (void)state;
    jw w;
    jw_init(&w);
    ms_journal *j;
    ms_error err;
    assert_int_equal(journal_open(w.backup, &j, &err), MS_OK);
    do_changes(&w, j);
    assert_int_equal(journal_undo_account(j, memreg_reg(w.reg), "wlmail/b", &err), MS_OK);
    assert_false(ms_file_exists(w.newfile));
    assert_false(same(w.file, F_117)); /* wlmail/a not touched */
    assert_int_equal(journal_undo_account(j, memreg_reg(w.reg), "wlmail/a", &err), MS_OK);
    assert_true(same(w.file, F_117));
    assert_reg_original(&w);
    journal_free(j);
    jw_free(&w);
}

/* The user replaced a changed file by a folder of the same name: undo does
 * not touch the folder and says so (E04, MS_ERR_IO_WRITE), and still
 * restores everything else. */
static void test_undo_file_became_folder(void **state)
{
    (void)state;
    jw w;
    jw_init(&w);
    ms_journal *j;
    ms_error err;
    assert_int_equal(journal_open(w.backup, &j, &err), MS_OK);
    do_changes(&w, j);
    journal_free(j);
    sh("rm '%s' && mkdir '%s' && echo keep > '%s/inside.txt'", w.file, w.file, w.file);
    assert_int_equal(journal_load(w.backup, &j, &err), MS_OK);
    assert_int_equal(journal_undo(j, memreg_reg(w.reg), &err), MS_ERR_IO_WRITE);
    assert_string_equal(ms_code_helpdesk(err.code), "E04");
    assert_non_null(strstr(err.detail, "a.oeaccount"));
    journal_free(j);
    assert_int_equal(ms_path_kind(w.file), MS_PATH_DIR);
    sh("test \"$(cat '%s/inside.txt')\" = keep", w.file);
    assert_reg_original(&w);
    assert_false(ms_file_exists(w.newfile));
    jw_free(&w);
}

/* Two accounts change the same value in turn (a shared prefs.js or a
 * shared registry value): each records what it found, so the second record
 * holds the first account's change. Undo replays newest first and ends on
 * the true original. */
static void test_undo_shared_value_newest_first(void **state)
{
    (void)state;
    jw w;
    jw_init(&w);
    ms_journal *j;
    ms_error err;
    ms_reg *r = memreg_reg(w.reg);
    assert_int_equal(journal_open(w.backup, &j, &err), MS_OK);
    assert_int_equal(journal_account(j, "x/first", &err), MS_OK);
    assert_int_equal(journal_reg_before(j, r, KEY, "Settings Upgraded", &err), MS_OK);
    put_dword(r, "Settings Upgraded", 11);
    assert_int_equal(journal_file_before(j, w.file, &err), MS_OK);
    sh("echo first > '%s'", w.file);
    assert_int_equal(journal_account(j, "x/second", &err), MS_OK);
    assert_int_equal(journal_reg_before(j, r, KEY, "Settings Upgraded", &err), MS_OK);
    put_dword(r, "Settings Upgraded", 12);
    assert_int_equal(journal_file_before(j, w.file, &err), MS_OK);
    sh("echo second > '%s'", w.file);
    journal_free(j);
    assert_int_equal(journal_load(w.backup, &j, &err), MS_OK);
    assert_int_equal(journal_undo(j, r, &err), MS_OK);
    journal_free(j);
    assert_reg_original(&w);
    assert_true(same(w.file, F_117));
    jw_free(&w);
}

/* A backup copy changed after it was saved (same size, other bytes) is
 * refused as altered (T02) before anything is restored: the user's file is
 * not overwritten with it. */
static void test_tampered_copy_refused(void **state)
{
    (void)state;
    jw w;
    jw_init(&w);
    ms_journal *j;
    ms_error err;
    assert_int_equal(journal_open(w.backup, &j, &err), MS_OK);
    do_changes(&w, j);
    journal_free(j);
    sh("printf 'Z' | dd of='%s/files/001.orig' bs=1 seek=40 conv=notrunc status=none", w.backup);
    /* Refused when loaded, before anything is restored. */
    assert_int_equal(journal_load(w.backup, &j, &err), MS_ERR_JOURNAL_TAMPERED);
    assert_string_equal(ms_code_helpdesk(err.code), "T02");
    assert_non_null(strstr(err.detail, "001.orig"));
    assert_true(same(w.file, DATA "expected/117net.oeaccount"));
    assert_true(memreg_diff(w.orig, w.reg, NULL) > 0);
    jw_free(&w);
}

/* journal.json is what docs/backup.md says. */
static void test_format_on_disk(void **state)
{
    (void)state;
    jw w;
    jw_init(&w);
    ms_journal *j;
    ms_error err;
    assert_int_equal(journal_open(w.backup, &j, &err), MS_OK);
    do_changes(&w, j);
    journal_free(j);
    strbuf t;
    strbuf_init(&t);
    char p[256];
    snprintf(p, sizeof p, "%s/journal.json", w.backup);
    assert_int_equal(ms_file_read(p, 1 << 20, &t, &err), MS_OK);
    const char *want[] = {"\"format\":\t\"mailsetup-journal\"", "\"version\":\t2",
                          "\"writer\":\t\"", "\"state\":\t\"in_progress\"", "\"sha256\":\t\"",
                          "\n\t\"seal\":\t\"",
                          "\"kind\":\t\"registry_value\"", "\"state\":\t\"absent\"",
                          "\"type\":\t4", "\"data\":\t\"02000000\"",
                          "\"kind\":\t\"registry_key_created\"", "\"kind\":\t\"file\"",
                          "\"copy\":\t\"files/001.orig\"", "\"filter\":\t\"oeaccount\"",
                          "\"account\":\t\"wlmail/a\""};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (!strstr(t.buf, want[i]))
            fail_msg("journal.json lacks %s:\n%s", want[i], t.buf);
    /* The copy of the .oeaccount holds no password. */
    assert_null(strstr(t.buf, "d08c9ddf"));
    sh("! grep -r -q d08c9ddf '%s'", w.backup);
    sh("! grep -r -q -a 'd.0.8.c.9.d.d.f' '%s'", w.backup);
    strbuf_free(&t);
    jw_free(&w);
}

static void test_secrets_refused(void **state)
{
    (void)state;
    jw w;
    jw_init(&w);
    ms_journal *j;
    ms_error err;
    assert_int_equal(journal_open(w.backup, &j, &err), MS_OK);
    assert_int_equal(journal_reg_before(j, memreg_reg(w.reg), KEY, "SMTP Password2", &err),
                     MS_ERR_JOURNAL_SECRET);
    char p[256];
    snprintf(p, sizeof p, "%s/logins.json", w.dir);
    assert_int_equal(journal_file_before(j, p, &err), MS_ERR_JOURNAL_SECRET);
    assert_int_equal(journal_count(j), 0);
    journal_free(j);
    /* A second journal in the same folder is refused. */
    assert_int_equal(journal_open(w.backup, &j, &err), MS_ERR_JOURNAL_EXISTS);
    jw_free(&w);
}

static void test_no_room(void **state)
{
    (void)state;
    jw w;
    jw_init(&w);
    ms_journal *j;
    ms_error err;
    fault_fake_free(1000);
    assert_int_equal(journal_open(w.backup, &j, &err), MS_ERR_BACKUP_SPACE);
    fault_fake_free_off();
    sh("test -z \"$(ls -A '%s')\"", w.backup);
    /* Room to start, then a full disk at the first write. */
    fault_arm(1, true);
    assert_int_equal(journal_open(w.backup, &j, &err), MS_ERR_BACKUP_SPACE);
    fault_arm(0, false);
    jw_free(&w);
}

/* A failure at each write of journalling: the call fails, the journal on
 * disk still loads and holds exactly the entries recorded before. */
static void test_fault_while_journalling(void **state)
{
    (void)state;
    for (unsigned long nth = 1; nth < 40; nth++) {
        jw w;
        jw_init(&w);
        ms_journal *j;
        ms_error err;
        assert_int_equal(journal_open(w.backup, &j, &err), MS_OK);
        ms_reg *r = memreg_reg(w.reg);
        fault_arm(nth, false);
        size_t ok = 0;
        ms_code rc = journal_reg_before(j, r, KEY, "Settings Upgraded", &err);
        ok += rc == MS_OK;
        if (rc == MS_OK) {
            rc = journal_file_before_filtered(j, w.file, &oeacct_secret_filter, &err);
            ok += rc == MS_OK;
        }
        if (rc == MS_OK) {
            rc = journal_file_before(j, w.newfile, &err);
            ok += rc == MS_OK;
        }
        bool fired = fault_fired();
        fault_arm(0, false);
        assert_int_equal(journal_count(j), ok);
        journal_free(j);
        assert_int_equal(journal_load(w.backup, &j, &err), MS_OK);
        assert_int_equal(journal_count(j), ok);
        assert_int_equal(journal_undo(j, r, &err), MS_OK);
        journal_free(j);
        assert_true(same(w.file, F_117));
        jw_free(&w);
        if (!fired)
            return;
    }
    fail_msg("no end to the writes");
}

/* Damaged journals: refused, nothing restored. */
static void test_damaged_journal_refused(void **state)
{
    (void)state;
    /* Any edit breaks the seal (T02); one that breaks the JSON or is not a
     * journal of this version at all is B03. */
    const char *edits[] = {
        "s/mailsetup-journal/other-journal/",
        "s/\"version\":\\t2/\"version\":\\t3/",
        "s/registry_value/registry_thing/",
        "s/\"data\":\\t\"02000000\"/\"data\":\\t\"0200000\"/",
        "s/Settings Upgraded/POP3 Password2/",
        "s|files/001.orig|../../etc/passwd|",
        "s/\"state\":\\t\"absent\"/\"state\":\\t\"gone\"/",
        /* the seal's first digit, changed whatever it was */
        "s/\"seal\":\\t\"0/\"seal\":\\t\"1/;t;s/\"seal\":\\t\"./\"seal\":\\t\"0/",
        "$d",
        "1s/{/[/",
    };
    const ms_code want[] = {
        MS_ERR_JOURNAL_MALFORMED, MS_ERR_JOURNAL_MALFORMED, MS_ERR_JOURNAL_TAMPERED,
        MS_ERR_JOURNAL_TAMPERED,  MS_ERR_JOURNAL_TAMPERED,  MS_ERR_JOURNAL_TAMPERED,
        MS_ERR_JOURNAL_TAMPERED,  MS_ERR_JOURNAL_TAMPERED,  MS_ERR_JOURNAL_MALFORMED,
        MS_ERR_JOURNAL_MALFORMED, MS_ERR_JOURNAL_TAMPERED,  MS_ERR_JOURNAL_MALFORMED,
    };
    for (size_t i = 0; i < sizeof edits / sizeof edits[0] + 2; i++) {
        jw w;
        jw_init(&w);
        ms_journal *j;
        ms_error err;
        assert_int_equal(journal_open(w.backup, &j, &err), MS_OK);
        do_changes(&w, j);
        journal_free(j);
        if (i < sizeof edits / sizeof edits[0])
            sh("sed -i '%s' '%s/journal.json'", edits[i], w.backup);
        else if (i == sizeof edits / sizeof edits[0])
            sh("printf x >> '%s/files/001.orig'", w.backup); /* copy changed */
        else
            sh("rm '%s/files/001.orig'", w.backup); /* copy gone */
        ms_code rc = journal_load(w.backup, &j, &err);
        if (rc != want[i])
            fail_msg("damage %zu: %s (%s), not %s", i, ms_code_name(rc), err.detail,
                     ms_code_name(want[i]));
        assert_null(j);
        assert_non_null(strstr(err.detail, w.backup));
        /* nothing restored */
        assert_false(same(w.file, F_117));
        assert_true(ms_file_exists(w.newfile));
        jw_free(&w);
    }
    /* No journal at all. */
    ms_journal *j;
    ms_error err;
    assert_int_equal(journal_load("/tmp/no-such-backup-folder", &j, &err), MS_ERR_NO_BACKUP);
}

/* A journal sealed by another user (another key, another writer): T01,
 * naming who wrote it; the same journal back home loads. */
static void test_foreign_refused(void **state)
{
    (void)state;
    jw w;
    jw_init(&w);
    ms_journal *j;
    ms_error err;
    assert_int_equal(journal_open(w.backup, &j, &err), MS_OK);
    do_changes(&w, j);
    journal_free(j);
    const char *home = getenv("MAILSETUP_SECRET_DIR");
    char *saved = home ? strdup(home) : NULL;
    char other[256];
    snprintf(other, sizeof other, "%s/other-user", w.dir);
    setenv("MAILSETUP_SECRET_DIR", other, 1);
    assert_int_equal(journal_load(w.backup, &j, &err), MS_ERR_JOURNAL_FOREIGN);
    assert_null(j);
    assert_non_null(strstr(err.detail, " on "));
    /* Resealed by that other user: now it is theirs, and only theirs. */
    assert_int_equal(journal_reseal(w.backup, &err), MS_OK);
    assert_int_equal(journal_load(w.backup, &j, &err), MS_OK);
    journal_free(j);
    if (saved)
        setenv("MAILSETUP_SECRET_DIR", saved, 1);
    else
        unsetenv("MAILSETUP_SECRET_DIR");
    free(saved);
    /* Back home: it names our key but bears their seal: altered. */
    assert_int_equal(journal_load(w.backup, &j, &err), MS_ERR_JOURNAL_TAMPERED);
    assert_false(same(w.file, F_117)); /* nothing restored */
    jw_free(&w);
}

/* Where undo may act, on a loaded journal: mail settings pass; a value
 * that is not one, a file outside the roots, and a file reached through a
 * symbolic link (a junction's cousin) are refused with their own codes. */
static void test_places(void **state)
{
    (void)state;
    jw w;
    jw_init(&w);
    char root[256], store[320], file[400], other[256], via[400];
    snprintf(root, sizeof root, "%s/Local", w.dir);
    snprintf(store, sizeof store, "%s/Microsoft/Windows Live Mail", root);
    snprintf(file, sizeof file, "%s/x.oeaccount", store);
    snprintf(other, sizeof other, "%s/elsewhere", w.dir);
    snprintf(via, sizeof via, "%s/link/x.oeaccount", root);
    sh("mkdir -p '%s' '%s' && cp '" F_117 "' '%s' && cp '" F_117 "' '%s/x.oeaccount' && "
       "ln -s '%s' '%s/link'",
       store, other, file, other, other, root);
    const char *roots[] = {root};
    ms_reg *r = memreg_reg(w.reg);
    struct {
        int kind; /* 0 value, 1 key, 2 file */
        const char *key, *name;
        ms_code want;
    } cases[] = {
        {0, KEY, "Default Mail Account", MS_OK},
        {2, file, NULL, MS_OK},
        {0, KEY, "Settings Upgraded", MS_ERR_JOURNAL_OUTSIDE},
        {1, KEY "\\New", NULL, MS_ERR_JOURNAL_OUTSIDE},
        {1, "Software", NULL, MS_ERR_JOURNAL_OUTSIDE},
        {2, via, NULL, MS_ERR_JOURNAL_LINK},
        {2, F_117, NULL, MS_ERR_JOURNAL_OUTSIDE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char b[300];
        snprintf(b, sizeof b, "%s/b%zu", w.dir, i);
        sh("mkdir '%s'", b);
        ms_journal *j;
        ms_error err;
        assert_int_equal(journal_open(b, &j, &err), MS_OK);
        ms_code rc = cases[i].kind == 0   ? journal_reg_before(j, r, cases[i].key, cases[i].name, &err)
                     : cases[i].kind == 1 ? journal_reg_key_created(j, cases[i].key, &err)
                                          : journal_file_before(j, cases[i].key, &err);
        assert_int_equal(rc, MS_OK);
        journal_free(j);
        assert_int_equal(journal_load(b, &j, &err), MS_OK);
        rc = journal_check_places(j, roots, 1, &err);
        journal_free(j);
        if (rc != cases[i].want)
            fail_msg("case %zu: %s (%s), not %s", i, ms_code_name(rc), err.detail,
                     ms_code_name(cases[i].want));
    }
    jw_free(&w);
}

/* The run's state: in progress until journal_finish; an interrupted run's
 * temporary files are found and removed, the settings files' too. */
static void test_state_and_temp(void **state)
{
    (void)state;
    jw w;
    jw_init(&w);
    ms_journal *j;
    ms_error err;
    assert_int_equal(journal_open(w.backup, &j, &err), MS_OK);
    do_changes(&w, j);
    assert_string_equal(journal_state(j), JOURNAL_STATE_IN_PROGRESS);
    journal_free(j);
    sh("touch '%s/journal.json.mailsetup-tmp' '%s/files/001.orig.mailsetup-tmp' "
       "'%s.mailsetup-tmp' '%s/keep.txt'",
       w.backup, w.backup, w.file, w.backup);
    assert_int_equal(journal_load(w.backup, &j, &err), MS_OK);
    assert_string_equal(journal_state(j), JOURNAL_STATE_IN_PROGRESS);
    assert_string_equal(journal_last_account(j), "wlmail/b"); /* the newest entry's */
    assert_int_equal(journal_clean_temp(j), 2);
    journal_free(j);
    sh("test ! -e '%s/journal.json.mailsetup-tmp' && test ! -e '%s/files/001.orig.mailsetup-tmp' "
       "&& test ! -e '%s.mailsetup-tmp' && test -e '%s/keep.txt'",
       w.backup, w.backup, w.file, w.backup);
    /* A loaded journal is not for writing; a fresh run ends "verified". */
    char b2[256];
    snprintf(b2, sizeof b2, "%s/b2", w.dir);
    sh("mkdir '%s'", b2);
    assert_int_equal(journal_open(b2, &j, &err), MS_OK);
    assert_int_equal(journal_finish(j, JOURNAL_STATE_VERIFIED, &err), MS_OK);
    journal_free(j);
    assert_int_equal(journal_load(b2, &j, &err), MS_OK);
    assert_string_equal(journal_state(j), JOURNAL_STATE_VERIFIED);
    assert_int_equal(journal_finish(j, JOURNAL_STATE_FAILED, &err), MS_ERR_INTERNAL);
    journal_free(j);
    jw_free(&w);
}

/* The first run of two wizards at once (or of the unit tests, which share
 * a key folder): each makes a key, one wins, and all use the same whole
 * key. Eight processes wait on a pipe and start together. */
static void test_key_made_once_by_many(void **state)
{
    (void)state;
    char dir[64] = "/tmp/test_journal_key.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char keydir[128];
    snprintf(keydir, sizeof keydir, "%s/k", dir);
    enum { N = 8 };
    int go[2], back[2];
    assert_int_equal(pipe(go), 0);
    assert_int_equal(pipe(back), 0);
    pid_t kids[N];
    for (int i = 0; i < N; i++) {
        kids[i] = fork();
        assert_true(kids[i] >= 0);
        if (kids[i] == 0) {
            close(go[1]);
            char c;
            if (read(go[0], &c, 1) != 0) /* EOF: all start */
                _exit(3);
            setenv("MAILSETUP_SECRET_DIR", keydir, 1);
            unsigned char key[33];
            ms_error err;
            key[0] = 1;
            if (ms_journal_key(key + 1, &err) != MS_OK)
                key[0] = 0;
            _exit(write(back[1], key, sizeof key) == (ssize_t)sizeof key ? 0 : 4);
        }
    }
    close(go[0]);
    close(go[1]);
    close(back[1]);
    unsigned char first[33], got[33];
    for (int i = 0; i < N; i++) {
        assert_int_equal(read(back[0], got, sizeof got), (ssize_t)sizeof got);
        assert_int_equal(got[0], 1); /* every one had a key */
        if (i == 0)
            memcpy(first, got, sizeof got);
        assert_memory_equal(got, first, sizeof got); /* the same key */
    }
    close(back[0]);
    for (int i = 0; i < N; i++) {
        int st;
        assert_int_equal(waitpid(kids[i], &st, 0), kids[i]);
        assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    }
    sh("test \"$(ls -A '%s')\" = journal.key && rm -r '%s'", keydir, dir); /* no leftovers */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_record_and_undo),
        cmocka_unit_test(test_undo_one_account),
        cmocka_unit_test(test_undo_file_became_folder),
        cmocka_unit_test(test_undo_shared_value_newest_first),
        cmocka_unit_test(test_tampered_copy_refused),
        cmocka_unit_test(test_format_on_disk),
        cmocka_unit_test(test_secrets_refused),
        cmocka_unit_test(test_no_room),
        cmocka_unit_test(test_fault_while_journalling),
        cmocka_unit_test(test_damaged_journal_refused),
        cmocka_unit_test(test_foreign_refused),
        cmocka_unit_test(test_places),
        cmocka_unit_test(test_state_and_temp),
        cmocka_unit_test(test_key_made_once_by_many),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
