/* Unit tests: the Windows Mail and Windows Live Mail back-ends
 * (wizard/core/backends/be_wlmail.c) through the engine, on a copy of the store of
 * tests/data/wlmail/ and its registry (.reg, in memreg): the store root found
 * as the programs find it, scan, apply of the manuals' change (the file must
 * equal expected/ byte for byte, every other file and the registry
 * untouched), undo to the original bytes, damaged and read-only files, a
 * running program, a failure injected at every write in turn, a full disk,
 * and hotweb's new account made the default. */
#define _GNU_SOURCE /* mkdtemp */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "backend.h"
#include "be_wlmail.h"
#include "engine.h"
#include "error.h"
#include "fault.h"
#include "journal.h"
#include "memreg.h"
#include "oeaccount.h"
#include "platform.h"
#include "profile.h"
#include "regval.h"
#include "strbuf.h"

#define DATA MS_TEST_DATA "/wlmail/"
#define LEAF_117 "account{6F1C2B8E-3A4D-4E5F-8A9B-117000000001}.oeaccount"
#define LEAF_MIC "account{0B7E4C21-9D3A-4F6B-A1C2-3D4E5F600002}.oeaccount"
#define LEAF_OTHER "account{A3D5E7F9-1B2C-4D3E-9F8A-7B6C5D4E0003}.oeaccount"
#define LEAF_JN "account{C4E6A8B0-2D3F-4A5B-8C7D-9E0F1A2B0004}.oeaccount"
#define WLM_KEY "Software\\Microsoft\\Windows Live Mail"

/* One test's world: a temporary folder with Local/Microsoft/<program>, the
 * registry, the env the back-ends see. */
typedef struct world {
    char dir[128];
    char local[192], store[256], backup[256];
    memreg *reg;
    memreg *reg_orig;
    ms_env env;
    profile *prof; /* the plan borrows its strings: lives as long as w */
} world;

static void sh(const char *fmt, ...) MS_PRINTF(1, 2);
static void sh(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    if (system(cmd) != 0)
        fail_msg("command failed: %s", cmd);
}

static bool sh_ok(const char *fmt, ...) MS_PRINTF(1, 2);
static bool sh_ok(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    return system(cmd) == 0;
}

/* program_folder: "Windows Live Mail" or "Windows Mail"; reg: the .reg
 * fixture, NULL for none. */
static void world_init(world *w, const char *program_folder, const char *reg_path)
{
    memset(w, 0, sizeof *w);
    snprintf(w->dir, sizeof w->dir, "/tmp/test_be_wlmail.XXXXXX");
    assert_non_null(mkdtemp(w->dir));
    snprintf(w->local, sizeof w->local, "%s/Local", w->dir);
    snprintf(w->store, sizeof w->store, "%s/Microsoft/%s", w->local, program_folder);
    snprintf(w->backup, sizeof w->backup, "%s/backup", w->dir);
    sh("mkdir -p '%s/Microsoft' '%s' && cp -R '" DATA "store' '%s'", w->local, w->backup,
       w->store);
    w->reg = memreg_new();
    assert_non_null(w->reg);
    if (reg_path) {
        ms_error err;
        if (memreg_load_file(w->reg, reg_path, &err) != MS_OK)
            fail_msg("%s: %s", reg_path, err.detail);
    }
    w->reg_orig = memreg_clone(w->reg);
    w->env.reg = memreg_reg(w->reg);
    w->env.appdata = w->dir;
    w->env.local_appdata = w->local;
    w->env.home = w->dir;
}

static void world_free(world *w)
{
    fault_arm(0, false);
    fault_fake_free_off();
    memreg_free(w->reg);
    memreg_free(w->reg_orig);
    profile_free(w->prof);
    sh("chmod -R u+w '%s' && rm -rf '%s'", w->dir, w->dir);
}

static void new_backup(world *w, const char *name)
{
    snprintf(w->backup, sizeof w->backup, "%s/backup-%s", w->dir, name);
    sh("mkdir -p '%s'", w->backup);
}

static profile *load_profile(const char *id)
{
    char path[512];
    snprintf(path, sizeof path, MS_SOURCE_DIR "/isp-profiles/%s.json", id);
    profile *p = NULL;
    profile_errors errs;
    profile_errors_init(&errs);
    if (profile_load_file(path, &p, &errs) != MS_OK)
        fail_msg("profile %s", path);
    profile_errors_free(&errs);
    return p;
}

static const ms_account *find(const ms_scan *s, const char *id)
{
    for (size_t i = 0; i < s->accounts.count; i++)
        if (strcmp(s->accounts.items[i].id, id) == 0)
            return &s->accounts.items[i];
    return NULL;
}

static size_t index_of(const ms_scan *s, const char *id)
{
    for (size_t i = 0; i < s->accounts.count; i++)
        if (strcmp(s->accounts.items[i].id, id) == 0)
            return i;
    fail_msg("no account %s", id);
    return 0;
}

static ms_scan *scan(world *w, const char *profile_id)
{
    profile_free(w->prof);
    w->prof = load_profile(profile_id);
    ms_scan *s = NULL;
    ms_error err;
    if (engine_scan(&w->env, w->prof, NULL, NULL, &s, &err) != MS_OK)
        fail_msg("scan: %s", err.detail);
    return s;
}

/* The store is exactly the fixture store (no file more or less). */
static bool store_is_original(const world *w)
{
    return sh_ok("diff -r '" DATA "store' '%s' >/dev/null", w->store);
}

static bool same_file(const char *a, const char *b)
{
    return sh_ok("cmp -s '%s' '%s'", a, b);
}

static void path_in_store(const world *w, const char *leaf, char *out, size_t n)
{
    snprintf(out, n, "%s/Local Folders/%s", w->store, leaf);
}

static void assert_registry_original(const world *w)
{
    strbuf d;
    strbuf_init(&d);
    size_t n = memreg_diff(w->reg_orig, w->reg, &d);
    if (n)
        fail_msg("registry changed:\n%s", d.buf);
    strbuf_free(&d);
}

static bool running_none(const char *const *names, void *ctx)
{
    (void)names;
    (void)ctx;
    return false;
}

/* ctx: the one exe name that "runs". */
static bool running_named(const char *const *names, void *ctx)
{
    for (size_t i = 0; names[i]; i++)
        if (ms_strcasecmp(names[i], ctx) == 0)
            return true;
    return false;
}

static ms_code apply(world *w, const ms_scan *s, engine_result **res, ms_error *err)
{
    return engine_apply(&w->env, s, NULL, running_none, NULL, w->backup, res, err);
}

/* ---- tests */

static void test_backends_registered(void **state)
{
    (void)state;
    size_t n;
    const ms_backend *const *t = backend_table(&n);
    bool wm = false, wl = false;
    for (size_t i = 0; i < n; i++) {
        if (t[i] == &wlmail_backend_winmail) {
            wm = true;
            assert_string_equal(t[i]->process_names[0], "winmail.exe");
            assert_null(t[i]->process_names[1]);
        }
        if (t[i] == &wlmail_backend_wlmail) {
            wl = true;
            assert_string_equal(t[i]->process_names[0], "wlmail.exe");
            assert_null(t[i]->process_names[1]);
        }
    }
    assert_true(wm && wl);
    assert_string_equal(wlmail_reg_key(MS_PROG_WLMAIL), WLM_KEY);
    assert_string_equal(wlmail_reg_key(MS_PROG_WINMAIL), "Software\\Microsoft\\Windows Mail");
}

static void test_store_root(void **state)
{
    (void)state;
    world w;
    world_init(&w, "Windows Live Mail", NULL);
    strbuf root;
    strbuf_init(&root);
    bool configured;
    ms_error err;
    /* No key: the program never ran for this user. */
    assert_int_equal(wlmail_store_root(&w.env, MS_PROG_WLMAIL, &root, &configured, &err), MS_OK);
    assert_false(configured);
    /* The key without "Store Root": the default folder. */
    assert_int_equal(w.env.reg->ops->create_key(w.env.reg, WLM_KEY, &err), MS_OK);
    ms_code rc = wlmail_store_root(&w.env, MS_PROG_WLMAIL, &root, &configured, &err);
    if (rc != MS_OK)
        fail_msg("%s: %s", ms_code_name(rc), err.detail);
    assert_true(configured);
    assert_string_equal(root.buf, w.store);
    /* "Store Root" as REG_EXPAND_SZ with %LOCALAPPDATA%, from the .reg. */
    strbuf_reset(&root);
    ms_error lerr;
    assert_int_equal(memreg_load_file(w.reg, DATA "wlmail-store.reg", &lerr), MS_OK);
    assert_int_equal(wlmail_store_root(&w.env, MS_PROG_WLMAIL, &root, &configured, &err), MS_OK);
    assert_string_equal(root.buf, w.store);
    /* A moved store (Options > Advanced > Store Folder): a plain path. */
    strbuf data;
    strbuf_init(&data);
    char moved[300];
    snprintf(moved, sizeof moved, "%s\\Mail Store\\", w.dir);
    assert_true(regval_encode_string(moved, &data));
    assert_int_equal(w.env.reg->ops->set(w.env.reg, WLM_KEY, "Store Root", MS_REG_SZ, data.buf,
                                         data.len, &err),
                     MS_OK);
    strbuf_reset(&root);
    assert_int_equal(wlmail_store_root(&w.env, MS_PROG_WLMAIL, &root, &configured, &err), MS_OK);
    char want[300];
    snprintf(want, sizeof want, "%s/Mail Store", w.dir);
    assert_string_equal(root.buf, want);
    /* A relative path is refused, naming the value. */
    strbuf_reset(&data);
    assert_true(regval_encode_string("Mail Store", &data));
    assert_int_equal(w.env.reg->ops->set(w.env.reg, WLM_KEY, "Store Root", MS_REG_SZ, data.buf,
                                         data.len, &err),
                     MS_OK);
    strbuf_reset(&root);
    assert_int_equal(wlmail_store_root(&w.env, MS_PROG_WLMAIL, &root, &configured, &err),
                     MS_ERR_SETTINGS_REGISTRY);
    assert_non_null(strstr(err.detail, "Store Root"));
    strbuf_free(&data);
    strbuf_free(&root);
    world_free(&w);
}

static void test_scan(void **state)
{
    (void)state;
    world w;
    world_init(&w, "Windows Live Mail", DATA "wlmail-store.reg");
    ms_scan *s = scan(&w, "117net");
    /* Five mail accounts; the news account is not one. */
    size_t mine = 0;
    for (size_t i = 0; i < s->accounts.count; i++)
        if (s->accounts.items[i].program == MS_PROG_WLMAIL)
            mine++;
    assert_int_equal(mine, 5);
    const ms_account *a = find(s, "wlmail/account{6F1C2B8E-3A4D-4E5F-8A9B-117000000001}");
    assert_non_null(a);
    assert_int_equal(a->read_error.code, MS_OK);
    assert_string_equal(a->display_name, "山田 太郎");
    assert_string_equal(a->account_name, "vp.117.ne.jp (山田)");
    assert_string_equal(a->email, "taro@vp.117.ne.jp");
    assert_string_equal(a->incoming_host, "vp.117.ne.jp");
    assert_string_equal(a->incoming_user, "taro");
    assert_string_equal(a->smtp_host, "vs.117.ne.jp");
    assert_int_equal(a->smtp_port, 25);
    assert_int_equal(a->smtp_auth, MS_AUTH_NONE);
    assert_int_equal(a->smtp_security, MS_SEC_NONE);
    assert_true(a->is_default);
    assert_non_null(strstr(a->location, "/Local Folders/" LEAF_117));
    a = find(s, "wlmail/account{A3D5E7F9-1B2C-4D3E-9F8A-7B6C5D4E0003}");
    assert_non_null(a);
    assert_int_equal(a->smtp_port, 587);
    assert_int_equal(a->smtp_auth, MS_AUTH_SAME_AS_INCOMING);
    assert_false(a->is_default);
    a = find(s, "wlmail/account{E1F2A3B4-C5D6-4E7F-8091-A2B3C4D50005}");
    assert_non_null(a);
    assert_int_equal(a->incoming_proto, MS_IN_IMAP);
    assert_int_equal(a->incoming_port, 993);
    assert_int_equal(a->smtp_port, 465);
    assert_int_equal(a->smtp_security, MS_SEC_SSL);
    assert_null(find(s, "wlmail/account{F0E1D2C3-B4A5-4968-8776-655443320006}"));
    /* The plan: only the 117net account changes. */
    size_t idx = index_of(s, "wlmail/account{6F1C2B8E-3A4D-4E5F-8A9B-117000000001}");
    assert_int_equal(s->plan->items[idx].status, PLAN_CHANGE);
    idx = index_of(s, "wlmail/account{A3D5E7F9-1B2C-4D3E-9F8A-7B6C5D4E0003}");
    assert_int_equal(s->plan->items[idx].status, PLAN_NOT_ISP);
    engine_scan_free(s);
    assert_true(store_is_original(&w));
    world_free(&w);
}

/* Windows Mail: same files, its own key and folder; Windows Live Mail's
 * absence is no error. */
static void test_scan_winmail(void **state)
{
    (void)state;
    world w;
    world_init(&w, "Windows Mail", DATA "winmail-store.reg");
    ms_scan *s = scan(&w, "micnet");
    const ms_account *a = find(s, "winmail/account{0B7E4C21-9D3A-4F6B-A1C2-3D4E5F600002}");
    assert_non_null(a);
    assert_int_equal(a->program, MS_PROG_WINMAIL);
    assert_true(a->is_default);
    assert_null(find(s, "wlmail/account{0B7E4C21-9D3A-4F6B-A1C2-3D4E5F600002}"));
    for (size_t i = 0; i < s->n_programs; i++)
        if (s->programs[i].backend == &wlmail_backend_wlmail) {
            assert_int_equal(s->programs[i].scan_rc, MS_OK);
            assert_int_equal(s->programs[i].n_accounts, 0);
        }
    engine_scan_free(s);
    world_free(&w);
}

/* Apply with each profile: the ISP's file becomes expected/<isp> byte for
 * byte, nothing else changes; undo gives back the original bytes. */
static void check_apply_undo(const char *program_folder, const char *reg_path, const char *isp,
                             const char *leaf)
{
    world w;
    world_init(&w, program_folder, reg_path);
    new_backup(&w, isp);
    ms_scan *s = scan(&w, isp);
    engine_result *res = NULL;
    ms_error err;
    ms_error_clear(&err);
    ms_code rc = apply(&w, s, &res, &err);
    if (rc != MS_OK)
        fail_msg("%s: apply: %s %s", isp, ms_code_name(rc), err.detail);
    size_t changed = 0;
    for (size_t i = 0; i < s->plan->count; i++)
        if (res[i].outcome == ENGINE_CHANGED)
            changed++;
    assert_int_equal(changed, 1);
    char path[512], want[512];
    path_in_store(&w, leaf, path, sizeof path);
    snprintf(want, sizeof want, DATA "expected/%s.oeaccount", isp);
    if (!same_file(path, want))
        fail_msg("%s: %s differs from %s", isp, path, want);
    /* Every other file as it was; no temporary file left. */
    assert_true(sh_ok("diff -r -x '%s' '" DATA "store' '%s' >/dev/null", leaf, w.store));
    assert_registry_original(&w);
    engine_results_free(res, s->plan->count);
    engine_scan_free(s);
    /* Twice is once: a second plan finds nothing to do. */
    ms_scan *s2 = scan(&w, isp);
    size_t idx = 0;
    for (size_t i = 0; i < s2->accounts.count; i++)
        if (strstr(s2->accounts.items[i].location, leaf))
            idx = i;
    assert_int_equal(s2->plan->items[idx].status, PLAN_ALREADY_DONE);
    engine_scan_free(s2);
    /* The backup holds no password. */
    assert_false(sh_ok("grep -r -q d08c9ddf '%s'", w.backup));
    assert_false(sh_ok("grep -r -q -a 'd.0.8.c.9.d.d.f' '%s'", w.backup)); /* UTF-16 */
    assert_int_equal(engine_undo(&w.env, w.backup, &err), MS_OK);
    assert_true(store_is_original(&w));
    assert_registry_original(&w);
    world_free(&w);
}

static void test_apply_undo_117net(void **state)
{
    (void)state;
    check_apply_undo("Windows Live Mail", DATA "wlmail-store.reg", "117net", LEAF_117);
}

static void test_apply_undo_micnet(void **state)
{
    (void)state;
    check_apply_undo("Windows Live Mail", DATA "wlmail-store.reg", "micnet", LEAF_MIC);
}

static void test_apply_undo_japan_net_utf8(void **state)
{
    (void)state;
    check_apply_undo("Windows Live Mail", DATA "wlmail-store.reg", "japan-net", LEAF_JN);
}

static void test_apply_undo_winmail(void **state)
{
    (void)state;
    check_apply_undo("Windows Mail", DATA "winmail-store.reg", "117net", LEAF_117);
}

/* Every damaged file of broken/: listed with a read_error naming it, the
 * other accounts still there and changed, the damaged file left alone. */
static void test_broken_files_listed_and_untouched(void **state)
{
    (void)state;
    strbuf tsv;
    strbuf_init(&tsv);
    ms_error err;
    assert_int_equal(ms_file_read(DATA "broken/EXPECTED.tsv", 1 << 16, &tsv, &err), MS_OK);
    size_t n = 0;
    char *save = NULL;
    for (char *line = strtok_r(tsv.buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '#')
            continue;
        char *file = line, *code = strchr(file, '\t');
        *code++ = '\0';
        char *phrase = strchr(code, '\t');
        *phrase++ = '\0';
        world w;
        world_init(&w, "Windows Live Mail", DATA "wlmail-store.reg");
        new_backup(&w, "b");
        /* Named like a real account file, beside the good ones. */
        char leaf[64], path[512];
        snprintf(leaf, sizeof leaf, "account{BAD%05zu-0000-4000-8000-000000000000}.oeaccount", n);
        path_in_store(&w, leaf, path, sizeof path);
        sh("cp '" DATA "broken/%s' '%s'", file, path);
        ms_scan *s = scan(&w, "117net");
        char id[96];
        snprintf(id, sizeof id, "wlmail/%.*s", (int)(strlen(leaf) - strlen(".oeaccount")), leaf);
        const ms_account *a = find(s, id);
        if (!a)
            fail_msg("%s: not listed", file);
        if (strcmp(ms_code_name(a->read_error.code), code) != 0)
            fail_msg("%s: %s (%s), expected %s", file, ms_code_name(a->read_error.code),
                     a->read_error.detail, code);
        if (!strstr(a->read_error.detail, leaf) || !strstr(a->read_error.detail, phrase))
            fail_msg("%s: message \"%s\" lacks the file or \"%s\"", file, a->read_error.detail,
                     phrase);
        assert_null(a->email);
        assert_null(a->smtp_host);
        assert_int_equal(s->plan->items[index_of(s, id)].status, PLAN_NOT_ISP);
        /* The good accounts are still found and changed. */
        assert_non_null(find(s, "wlmail/account{6F1C2B8E-3A4D-4E5F-8A9B-117000000001}"));
        engine_result *res = NULL;
        ms_error_clear(&err);
        assert_int_equal(apply(&w, s, &res, &err), MS_OK);
        char good[512];
        path_in_store(&w, LEAF_117, good, sizeof good);
        assert_true(same_file(good, DATA "expected/117net.oeaccount"));
        char orig[512];
        snprintf(orig, sizeof orig, DATA "broken/%s", file);
        assert_true(same_file(path, orig));
        /* Asked directly, the back-end refuses it. */
        ms_journal *j = NULL;
        new_backup(&w, "direct");
        assert_int_equal(journal_open(w.backup, &j, &err), MS_OK);
        ms_change c = {MS_F_SMTP_PORT, {NULL, 25}, {NULL, 587}};
        assert_int_equal(wlmail_backend_wlmail.apply(&w.env, a, &c, 1, j, &err),
                         MS_ERR_ACCOUNT_UNREADABLE);
        assert_non_null(strstr(err.detail, id));
        assert_int_equal(journal_count(j), 0);
        journal_free(j);
        assert_true(same_file(path, orig));
        engine_results_free(res, s->plan->count);
        engine_scan_free(s);
        world_free(&w);
        n++;
    }
    assert_true(n >= 10);
    strbuf_free(&tsv);
}

static void test_readonly_file_refused(void **state)
{
    (void)state;
    world w;
    world_init(&w, "Windows Live Mail", DATA "wlmail-store.reg");
    char path[512];
    path_in_store(&w, LEAF_117, path, sizeof path);
    assert_int_equal(chmod(path, 0444), 0);
    assert_true(ms_file_readonly(path));
    ms_scan *s = scan(&w, "117net");
    engine_result *res = NULL;
    ms_error err;
    assert_int_equal(apply(&w, s, &res, &err), MS_ERR_FILE_READONLY);
    assert_non_null(strstr(err.detail, LEAF_117));
    size_t idx = index_of(s, "wlmail/account{6F1C2B8E-3A4D-4E5F-8A9B-117000000001}");
    assert_int_equal(res[idx].outcome, ENGINE_ROLLED_BACK);
    char buf[1024];
    ms_error_format(&err, MS_LANG_JA, buf, sizeof buf);
    assert_non_null(strstr(buf, "読み取り専用"));
    assert_true(store_is_original(&w));
    assert_registry_original(&w);
    engine_results_free(res, s->plan->count);
    engine_scan_free(s);
    world_free(&w);
}

/* A running wlmail.exe blocks Windows Live Mail; a running winmail.exe
 * does not. */
static void test_running_program(void **state)
{
    (void)state;
    world w;
    world_init(&w, "Windows Live Mail", DATA "wlmail-store.reg");
    ms_scan *s = scan(&w, "117net");
    engine_result *res = NULL;
    ms_error err;
    assert_int_equal(engine_apply(&w.env, s, NULL, running_named, "WLMAIL.EXE", w.backup, &res,
                                  &err),
                     MS_ERR_PROGRAM_RUNNING);
    assert_non_null(strstr(err.detail, "wlmail.exe"));
    assert_null(res);
    assert_true(store_is_original(&w));
    assert_true(sh_ok("test -z \"$(ls -A '%s')\"", w.backup)); /* no backup either */
    assert_int_equal(engine_apply(&w.env, s, NULL, running_named, "winmail.exe", w.backup, &res,
                                  &err),
                     MS_OK);
    assert_false(store_is_original(&w));
    engine_results_free(res, s->plan->count);
    engine_scan_free(s);
    world_free(&w);
}

/* A second 117net account (not the default), so a run changes two files. */
#define LEAF_117B "account{6F1C2B8E-3A4D-4E5F-8A9B-117000000009}.oeaccount"

static void add_second_117(world *w)
{
    char a[512], b[512];
    path_in_store(w, LEAF_117, a, sizeof a);
    path_in_store(w, LEAF_117B, b, sizeof b);
    sh("cp '%s' '%s'", a, b);
}

/* Each ISP file is its original or exactly the expected result. */
static void assert_each_old_or_new(const world *w, bool *any_new)
{
    const char *leaves[] = {LEAF_117, LEAF_117B};
    for (size_t i = 0; i < 2; i++) {
        char p[512];
        path_in_store(w, leaves[i], p, sizeof p);
        bool old = same_file(p, DATA "store/Local Folders/" LEAF_117);
        bool nw = same_file(p, DATA "expected/117net.oeaccount");
        if (!old && !nw)
            fail_msg("%s is neither old nor new", p);
        *any_new = *any_new || nw;
    }
    const char *others[] = {LEAF_MIC, LEAF_OTHER, LEAF_JN};
    for (size_t i = 0; i < 3; i++) {
        char p[512], o[512];
        path_in_store(w, others[i], p, sizeof p);
        snprintf(o, sizeof o, DATA "store/Local Folders/%s", others[i]);
        assert_true(same_file(p, o));
    }
    assert_true(sh_ok("test -z \"$(find '%s' -name '*.mailsetup-tmp')\"", w->store));
}

static void check_fault_sweep(bool persistent)
{
    unsigned long total = 0;
    for (unsigned long nth = 1;; nth++) {
        world w;
        world_init(&w, "Windows Live Mail", DATA "wlmail-store.reg");
        add_second_117(&w);
        char name[32];
        snprintf(name, sizeof name, "f%lu", nth);
        new_backup(&w, name);
        ms_scan *s = scan(&w, "117net");
        engine_result *res = NULL;
        ms_error err;
        ms_error_clear(&err);
        fault_arm(nth, persistent);
        ms_code rc = apply(&w, s, &res, &err);
        bool fired = fault_fired();
        unsigned long writes = fault_writes();
        fault_arm(0, false);
        bool any_new = false;
        assert_each_old_or_new(&w, &any_new);
        if (!fired) {
            assert_int_equal(rc, MS_OK);
            total = writes;
            engine_results_free(res, s->plan->count);
            engine_scan_free(s);
            world_free(&w);
            break;
        }
        if (rc == MS_OK)
            fail_msg("write %lu failed but apply says OK", nth);
        /* A clear error: the disk is full / the backup has no room. */
        assert_true(rc == MS_ERR_DISK_FULL || rc == MS_ERR_BACKUP_SPACE);
        assert_non_null(strstr(err.detail, "/"));
        /* Undo (if a backup was started) gives back the original. */
        ms_error uerr;
        ms_code urc = engine_undo(&w.env, w.backup, &uerr);
        if (urc != MS_OK && urc != MS_ERR_NO_BACKUP)
            fail_msg("write %lu: undo: %s %s", nth, ms_code_name(urc), uerr.detail);
        char extra[512];
        path_in_store(&w, LEAF_117B, extra, sizeof extra);
        sh("rm '%s'", extra);
        assert_true(store_is_original(&w));
        assert_registry_original(&w);
        engine_results_free(res, s->plan->count);
        engine_scan_free(s);
        world_free(&w);
        if (nth > 200)
            fail_msg("no end to the writes");
    }
    /* journal, 2 copies, 2 journal updates, 2 files at least */
    print_message("%s: %lu writes, a failure injected at each\n",
                  persistent ? "disk full" : "one failure", total);
    assert_true(total >= 6);
}

static void test_fault_at_every_write(void **state)
{
    (void)state;
    check_fault_sweep(false);
}

/* A disk that fills up and stays full. */
static void test_disk_full_at_every_write(void **state)
{
    (void)state;
    check_fault_sweep(true);
}

/* Too little room for the backup: nothing starts. */
static void test_no_room_for_backup(void **state)
{
    (void)state;
    world w;
    world_init(&w, "Windows Live Mail", DATA "wlmail-store.reg");
    ms_scan *s = scan(&w, "117net");
    engine_result *res = NULL;
    ms_error err;
    fault_fake_free(100 * 1024);
    assert_int_equal(apply(&w, s, &res, &err), MS_ERR_BACKUP_SPACE);
    fault_fake_free_off();
    char buf[1024];
    ms_error_format(&err, MS_LANG_EN, buf, sizeof buf);
    assert_non_null(strstr(buf, "not enough free space"));
    assert_true(store_is_original(&w));
    engine_results_free(res, s->plan->count);
    engine_scan_free(s);
    world_free(&w);
}

/* hotweb: a new account{GUID}.oeaccount beside the old one, made from its
 * user data (no password), made the default; undo removes it again. */
static void test_hotweb_add_account(void **state)
{
    (void)state;
    for (unsigned long reg_fail = 0; reg_fail <= 2; reg_fail++) {
        world w;
        world_init(&w, "Windows Live Mail", DATA "wlmail-store.reg");
        sh("cp '" DATA "extra/hotweb.oeaccount' '%s/Local Folders/"
           "account{12345678-1234-4234-8234-123456789ABC}.oeaccount'",
           w.store);
        memreg_free(w.reg_orig);
        w.reg_orig = memreg_clone(w.reg);
        new_backup(&w, "hotweb");
        ms_scan *s = scan(&w, "hotweb");
        size_t idx = index_of(s, "wlmail/account{12345678-1234-4234-8234-123456789ABC}");
        assert_int_equal(s->plan->items[idx].status, PLAN_ADD_ACCOUNT);
        engine_result *res = NULL;
        ms_error err;
        /* reg_fail: the registry write of the default fails (1st write). */
        memreg_fail_write(w.reg, reg_fail, false);
        ms_code rc = apply(&w, s, &res, &err);
        memreg_fail_write(w.reg, 0, false);
        if (reg_fail == 1) {
            /* The new file is removed again, the default unchanged. */
            assert_int_not_equal(rc, MS_OK);
            assert_int_equal(res[idx].outcome, ENGINE_ROLLED_BACK);
            assert_true(sh_ok("test $(ls '%s/Local Folders' | wc -l) -eq 5", w.store));
            assert_registry_original(&w);
        } else {
            if (rc != MS_OK)
                fail_msg("apply: %s", err.detail);
            assert_int_equal(res[idx].outcome, ENGINE_ADDED);
            assert_non_null(res[idx].new_id);
            assert_int_equal(strncmp(res[idx].new_id, "wlmail/account{", 15), 0);
            char leaf[96], path[512];
            snprintf(leaf, sizeof leaf, "%s.oeaccount", res[idx].new_id + 7);
            path_in_store(&w, leaf, path, sizeof path);
            oeacct_doc d;
            assert_int_equal(oeacct_load(path, &d, &err), MS_OK);
            assert_int_equal(d.enc, OEACCT_UTF16LE_BOM);
            struct {
                const char *name, *want;
            } sz[] = {{"POP3_Server", "mail.hotweb.or.jp"},
                      {"POP3_User_Name", "hanako@hotweb.or.jp"},
                      {"SMTP_Server", "mail.hotweb.or.jp"},
                      {"SMTP_Email_Address", "hanako@hotweb.or.jp"},
                      {"SMTP_Display_Name", "花子"},
                      {"Account_Name", "mail.hotweb.or.jp"}};
            for (size_t i = 0; i < sizeof sz / sizeof sz[0]; i++) {
                char *v = NULL;
                assert_int_equal(oeacct_get_str(&d, sz[i].name, &v, &err), MS_OK);
                assert_non_null(v);
                assert_string_equal(v, sz[i].want);
                free(v);
            }
            uint32_t v;
            bool present;
            assert_int_equal(oeacct_get_dword(&d, "SMTP_Port", 0, &v, &present, &err), MS_OK);
            assert_int_equal(v, 587);
            assert_int_equal(oeacct_get_dword(&d, "SMTP_Use_Sicily", 0, &v, &present, &err),
                             MS_OK);
            assert_int_equal(v, 2);
            assert_null(oeacct_find(&d, "POP3_Password2"));
            assert_null(oeacct_find(&d, "SMTP_Password2"));
            oeacct_free(&d);
            char *def = NULL;
            assert_int_equal(regval_get_string(w.env.reg, WLM_KEY, "Default Mail Account",
                                               REGVAL_SZ, &def, &err),
                             MS_OK);
            assert_string_equal(def, leaf);
            free(def);
            /* The old account file is untouched. */
            char old[512];
            path_in_store(&w, "account{12345678-1234-4234-8234-123456789ABC}.oeaccount", old,
                          sizeof old);
            assert_true(same_file(old, DATA "extra/hotweb.oeaccount"));
            /* Undo: the new file gone, the default back. */
            assert_int_equal(engine_undo(&w.env, w.backup, &err), MS_OK);
            assert_false(ms_file_exists(path));
            assert_registry_original(&w);
        }
        engine_results_free(res, s->plan->count);
        engine_scan_free(s);
        world_free(&w);
    }
}

/* hotweb with a failure at every file write in turn: the new account is
 * either complete and the default, or not there and the default unchanged. */
static void test_hotweb_fault_at_every_write(void **state)
{
    (void)state;
    for (unsigned long nth = 1;; nth++) {
        world w;
        world_init(&w, "Windows Live Mail", DATA "wlmail-store.reg");
        sh("cp '" DATA "extra/hotweb.oeaccount' '%s/Local Folders/"
           "account{12345678-1234-4234-8234-123456789ABC}.oeaccount'",
           w.store);
        new_backup(&w, "hw");
        ms_scan *s = scan(&w, "hotweb");
        engine_result *res = NULL;
        ms_error err;
        fault_arm(nth, false);
        ms_code rc = apply(&w, s, &res, &err);
        bool fired = fault_fired();
        fault_arm(0, false);
        bool added = sh_ok("test $(ls '%s/Local Folders' | wc -l) -eq 6", w.store);
        strbuf d;
        strbuf_init(&d);
        size_t ndiff = memreg_diff(w.reg_orig, w.reg, &d);
        strbuf_free(&d);
        if (!fired) {
            assert_int_equal(rc, MS_OK);
            assert_true(added);
            assert_int_equal(ndiff, 1); /* Default Mail Account */
        } else {
            assert_int_not_equal(rc, MS_OK);
            assert_false(added);
            assert_int_equal(ndiff, 0);
        }
        assert_true(sh_ok("test -z \"$(find '%s' -name '*.mailsetup-tmp')\"", w.store));
        ms_error uerr;
        ms_code urc = engine_undo(&w.env, w.backup, &uerr);
        if (urc != MS_OK && urc != MS_ERR_NO_BACKUP)
            fail_msg("write %lu: undo: %s", nth, uerr.detail);
        assert_true(sh_ok("test $(ls '%s/Local Folders' | wc -l) -eq 5", w.store));
        assert_registry_original(&w);
        engine_results_free(res, s->plan->count);
        engine_scan_free(s);
        world_free(&w);
        if (!fired)
            break;
        if (nth > 100)
            fail_msg("no end to the writes");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_backends_registered),
        cmocka_unit_test(test_store_root),
        cmocka_unit_test(test_scan),
        cmocka_unit_test(test_scan_winmail),
        cmocka_unit_test(test_apply_undo_117net),
        cmocka_unit_test(test_apply_undo_micnet),
        cmocka_unit_test(test_apply_undo_japan_net_utf8),
        cmocka_unit_test(test_apply_undo_winmail),
        cmocka_unit_test(test_broken_files_listed_and_untouched),
        cmocka_unit_test(test_readonly_file_refused),
        cmocka_unit_test(test_running_program),
        cmocka_unit_test(test_fault_at_every_write),
        cmocka_unit_test(test_disk_full_at_every_write),
        cmocka_unit_test(test_no_room_for_backup),
        cmocka_unit_test(test_hotweb_add_account),
        cmocka_unit_test(test_hotweb_fault_at_every_write),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
