/* Unit tests: the Outlook Express back-end over memreg, seeded from the .reg
 * fixtures in tests/data/reg/ (several identities, Japanese names, other
 * ISPs' accounts, news and directory accounts, broken values). What apply
 * writes is compared with the files in tests/data/reg/expected/. */
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

#include "account_json.h"
#include "backend.h"
#include "be_oe.h"
#include "engine.h"
#include "journal.h"
#include "memreg.h"
#include "plan.h"
#include "platform.h"
#include "profile.h"
#include "regval.h"

#define ID1 "{3A6E7F2C-58B1-4C0D-9E2A-71D45B8C0F13}"
#define ID2 "{9D04B1E7-2F3A-4E86-A5C9-0B6E18D7243F}"
#define HOTWEB_ID "{0C8E4F21-B3D7-4A59-86E1-5F9A2C7D0B38}"
#define IAM(g) "Identities\\" g "\\Software\\Microsoft\\Internet Account Manager"

struct world {
    const ms_backend *be; /* oe_backend unless a test picks another */
    memreg *m, *orig;
    ms_env env;
    profile *prof;
    ms_account_list accts;
    ms_plan *plan;
    char dir[64];
};

static profile *load_profile(const char *isp)
{
    char path[512];
    snprintf(path, sizeof path, "%s/isp-profiles/%s.json", MS_SOURCE_DIR, isp);
    profile_errors errs;
    profile_errors_init(&errs);
    profile *p = NULL;
    ms_code rc = profile_load_file(path, &p, &errs);
    if (rc != MS_OK && errs.count)
        fail_msg("%s: %s", path, errs.items[0].err.detail);
    profile_errors_free(&errs);
    assert_int_equal(rc, MS_OK);
    return p;
}

static void scan_and_plan(struct world *w)
{
    ms_error err;
    account_list_free(&w->accts);
    plan_free(w->plan);
    w->plan = NULL;
    account_list_init(&w->accts);
    if (w->be->scan(&w->env, &w->accts, &err) != MS_OK)
        fail_msg("scan: %s", err.detail);
    if (w->prof)
        assert_int_equal(plan_build(w->prof, &w->accts, &w->plan, &err), MS_OK);
}

static void open_world_be(struct world *w, const ms_backend *be, const char *fixture,
                          const char *isp)
{
    memset(w, 0, sizeof *w);
    w->be = be;
    char path[512];
    snprintf(path, sizeof path, "%s/reg/%s", MS_TEST_DATA, fixture);
    w->m = memreg_new();
    ms_error err;
    if (memreg_load_file(w->m, path, &err) != MS_OK)
        fail_msg("%s: %s", fixture, err.detail);
    w->orig = memreg_clone(w->m);
    w->env.reg = memreg_reg(w->m);
    w->prof = isp ? load_profile(isp) : NULL;
    account_list_init(&w->accts);
    snprintf(w->dir, sizeof w->dir, "/tmp/test_be_oe.XXXXXX");
    assert_non_null(mkdtemp(w->dir));
    scan_and_plan(w);
}

static void open_world(struct world *w, const char *fixture, const char *isp)
{
    open_world_be(w, &oe_backend, fixture, isp);
}

static void rm_dir(const char *dir)
{
    strbuf list;
    strbuf_init(&list);
    ms_error err;
    if (ms_dir_list(dir, &list, &err) == MS_OK) {
        for (size_t i = 0; i < list.len;) {
            const char *name = list.buf + i + 1;
            char p[512];
            snprintf(p, sizeof p, "%s/%s", dir, name);
            unlink(p);
            i += strlen(name) + 2;
        }
    }
    strbuf_free(&list);
    rmdir(dir);
}

static void close_world(struct world *w)
{
    plan_free(w->plan);
    account_list_free(&w->accts);
    profile_free(w->prof);
    memreg_free(w->m);
    memreg_free(w->orig);
    rm_dir(w->dir);
}

static const ms_account *by_id(const ms_account_list *l, const char *id)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i].id, id) == 0)
            return &l->items[i];
    return NULL;
}

static const plan_item *item_of(const struct world *w, const char *id)
{
    for (size_t i = 0; i < w->plan->count; i++)
        if (strcmp(w->plan->items[i].account->id, id) == 0)
            return &w->plan->items[i];
    fail_msg("no plan item %s", id);
    return NULL;
}

/* The differences between the fixture and now equal the expected file. */
static void assert_diff_file(const struct world *w, const char *expected)
{
    strbuf diff, want;
    strbuf_init(&diff);
    strbuf_init(&want);
    memreg_diff(w->orig, w->m, &diff);
    char path[512];
    snprintf(path, sizeof path, "%s/reg/expected/%s", MS_TEST_DATA, expected);
    ms_error err;
    ms_code rc = ms_file_read(path, 1 << 20, &want, &err);
    if (rc != MS_OK || diff.len != want.len || memcmp(diff.buf, want.buf, diff.len) != 0) {
        fprintf(stderr, "actual diff:\n%s", diff.buf ? diff.buf : "");
        fail_msg("registry diff differs from %s (%s)", path, rc == MS_OK ? "content" : err.detail);
    }
    strbuf_free(&diff);
    strbuf_free(&want);
}

static void test_scan_identities(void **state)
{
    (void)state;
    struct world w;
    open_world(&w, "oe-117net.reg", NULL);
    /* Three mail accounts; the news account and the shared store's
     * directory services are not mail accounts. */
    assert_int_equal(w.accts.count, 3);
    const ms_account *a = by_id(&w.accts, "oe/" ID1 "/00000001");
    assert_non_null(a);
    assert_int_equal(a->program, MS_PROG_OE);
    assert_string_equal(a->container, "メイン ユーザー");
    assert_string_equal(a->location, "HKEY_CURRENT_USER\\" IAM(ID1) "\\Accounts\\00000001");
    assert_string_equal(a->account_name, "vp.117.ne.jp");
    assert_string_equal(a->display_name, "山田 太郎");
    assert_string_equal(a->email, "yamada@vp.117.ne.jp");
    assert_int_equal(a->incoming_proto, MS_IN_POP3);
    assert_string_equal(a->incoming_host, "vp.117.ne.jp");
    assert_string_equal(a->incoming_user, "yamada");
    assert_string_equal(a->smtp_host, "vs.117.ne.jp");
    assert_int_equal(a->smtp_port, 25); /* absent: 25 */
    assert_int_equal(a->smtp_auth, MS_AUTH_NONE);
    assert_int_equal(a->smtp_security, MS_SEC_NONE);
    assert_true(a->is_default);
    assert_int_equal(a->read_error.code, MS_OK);
    const ms_account *other = by_id(&w.accts, "oe/" ID1 "/00000002");
    assert_non_null(other);
    assert_false(other->is_default);
    assert_string_equal(other->account_name, "会社のメール");
    const ms_account *h = by_id(&w.accts, "oe/" ID2 "/00000001");
    assert_non_null(h);
    assert_string_equal(h->container, "花子");
    assert_true(h->is_default);
    assert_string_equal(h->incoming_host, "VP.117.NE.JP");
    close_world(&w);
}

static void test_scan_kinds(void **state)
{
    (void)state;
    struct world w;
    open_world(&w, "oe-micnet.reg", NULL);
    /* Hotmail (HTTPMail) has no SMTP server of ours: not listed. */
    assert_int_equal(w.accts.count, 2);
    const ms_account *g = by_id(&w.accts, "oe/{5B2C9A40-7D1E-4F63-8A0B-C4E19F3D6275}/00000003");
    assert_non_null(g);
    assert_int_equal(g->incoming_proto, MS_IN_IMAP);
    assert_int_equal(g->incoming_port, 993);
    assert_int_equal(g->smtp_port, 465);
    assert_int_equal(g->smtp_security, MS_SEC_SSL);
    assert_int_equal(g->smtp_auth, MS_AUTH_SAME_AS_INCOMING); /* SMTP Use Sicily 2 */
    const ms_account *m = by_id(&w.accts, "oe/{5B2C9A40-7D1E-4F63-8A0B-C4E19F3D6275}/00000002");
    assert_true(m->is_default);
    assert_string_equal(m->account_name, "ミックネット");
    close_world(&w);

    /* No Identities key at all: nothing, and no error. */
    memreg *empty = memreg_new();
    ms_env env = {.reg = memreg_reg(empty)};
    ms_account_list l;
    account_list_init(&l);
    ms_error err;
    assert_int_equal(oe_backend.scan(&env, &l, &err), MS_OK);
    assert_int_equal(l.count, 0);
    account_list_free(&l);
    memreg_free(empty);
}

/* Applies every PLAN_CHANGE item with a journal. */
static void apply_plan(struct world *w)
{
    ms_journal *j;
    ms_error err;
    assert_int_equal(journal_open(w->dir, &j, &err), MS_OK);
    for (size_t i = 0; i < w->plan->count; i++) {
        const plan_item *it = &w->plan->items[i];
        if (it->status != PLAN_CHANGE)
            continue;
        assert_int_equal(journal_account(j, it->account->id, &err), MS_OK);
        if (w->be->apply(&w->env, it->account, it->changes, it->n_changes, j, &err) != MS_OK)
            fail_msg("apply %s: %s", it->account->id, err.detail);
    }
    journal_free(j);
}

/* Applies the plan; the registry then differs by exactly `expected`;
 * planned again, nothing is left to do (n_done accounts already done);
 * undo from the journal on disk gives the fixture back byte for byte. */
static void apply_redo_undo(struct world *w, const char *expected, size_t n_done)
{
    apply_plan(w);
    assert_diff_file(w, expected);
    scan_and_plan(w);
    assert_int_equal(plan_count(w->plan, PLAN_CHANGE), 0);
    assert_int_equal(plan_count(w->plan, PLAN_ALREADY_DONE), n_done);
    ms_journal *j;
    ms_error err;
    assert_int_equal(journal_load(w->dir, &j, &err), MS_OK);
    assert_int_equal(journal_undo(j, w->env.reg, &err), MS_OK);
    journal_free(j);
    assert_int_equal(memreg_diff(w->orig, w->m, NULL), 0);
}

static void test_apply_117net(void **state)
{
    (void)state;
    struct world w;
    open_world(&w, "oe-117net.reg", "117net");
    assert_int_equal(item_of(&w, "oe/" ID1 "/00000001")->status, PLAN_CHANGE);
    assert_int_equal(item_of(&w, "oe/" ID1 "/00000002")->status, PLAN_NOT_ISP);
    assert_int_equal(item_of(&w, "oe/" ID2 "/00000001")->status, PLAN_CHANGE);
    apply_redo_undo(&w, "oe-117net.apply.diff", 2);
    close_world(&w);
}

static void test_apply_micnet_ktarn_japannet(void **state)
{
    (void)state;
    static const char *const cases[][3] = {
        {"oe-micnet.reg", "micnet", "oe-micnet.apply.diff"},
        {"oe-ktarn.reg", "ktarn", "oe-ktarn.apply.diff"},
        {"oe-japan-net.reg", "japan-net", "oe-japan-net.apply.diff"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        struct world w;
        open_world(&w, cases[c][0], cases[c][1]);
        assert_true(plan_count(w.plan, PLAN_CHANGE) > 0);
        apply_plan(&w);
        assert_diff_file(&w, cases[c][2]);
        scan_and_plan(&w);
        assert_int_equal(plan_count(w.plan, PLAN_CHANGE), 0);
        unsigned long before = memreg_writes(w.m);
        rm_dir(w.dir); /* a journal wants an empty folder */
        assert_int_equal(mkdir(w.dir, 0700), 0);
        apply_plan(&w); /* nothing planned: nothing written */
        assert_int_equal(memreg_writes(w.m), before);
        close_world(&w);
    }
}

static void test_add_account_hotweb(void **state)
{
    (void)state;
    struct world w;
    open_world(&w, "oe-hotweb.reg", "hotweb");
    const plan_item *it = item_of(&w, "oe/" HOTWEB_ID "/00000001");
    assert_int_equal(it->status, PLAN_ADD_ACCOUNT);
    ms_journal *j;
    ms_error err;
    char *new_id = NULL;
    assert_int_equal(journal_open(w.dir, &j, &err), MS_OK);
    assert_int_equal(journal_account(j, it->account->id, &err), MS_OK);
    if (oe_backend.add_account(&w.env, it->account, it->changes, it->n_changes, it->make_default,
                               j, &new_id, &err) != MS_OK)
        fail_msg("add: %s", err.detail);
    journal_free(j);
    /* Above the keys (00000002) and the "Server ID" counter (3). */
    assert_string_equal(new_id, "oe/" HOTWEB_ID "/00000004");
    free(new_id);
    assert_diff_file(&w, "oe-hotweb.add.diff");
    scan_and_plan(&w);
    const ms_account *n = by_id(&w.accts, "oe/" HOTWEB_ID "/00000004");
    assert_non_null(n);
    assert_true(n->is_default);
    assert_false(by_id(&w.accts, "oe/" HOTWEB_ID "/00000001")->is_default);
    /* "mail.hotweb.or.jp" is taken by another account: the name is unique. */
    assert_string_equal(n->account_name, "mail.hotweb.or.jp (2)");
    assert_string_equal(n->display_name, "佐藤 三郎");
    /* The old account is now replaced; nothing more to add. */
    assert_int_equal(plan_count(w.plan, PLAN_ADD_ACCOUNT), 0);
    assert_int_equal(journal_load(w.dir, &j, &err), MS_OK);
    assert_int_equal(journal_undo(j, w.env.reg, &err), MS_OK);
    journal_free(j);
    assert_int_equal(memreg_diff(w.orig, w.m, NULL), 0);
    close_world(&w);
}

/* A value of the wrong type or size: the account is listed, named, with the
 * reason; nothing is planned for it and apply refuses it. */
static void test_broken_values(void **state)
{
    (void)state;
    static const char *const files[][2] = {
        {"oe-broken-type.reg", "SMTP Port: REG_SZ where REG_DWORD was expected"},
        {"oe-broken-size.reg", "SMTP Use Sicily: REG_DWORD of 2 bytes"},
    };
    for (size_t f = 0; f < 2; f++) {
        struct world w;
        open_world(&w, files[f][0], "micnet");
        assert_int_equal(w.accts.count, 2);
        const ms_account *a = by_id(&w.accts, "oe/{5B2C9A40-7D1E-4F63-8A0B-C4E19F3D6275}/00000001");
        assert_non_null(a);
        assert_int_equal(a->read_error.code, MS_ERR_REG_BAD_VALUE);
        if (!strstr(a->read_error.detail, files[f][1]))
            fail_msg("%s: \"%s\"", files[f][0], a->read_error.detail);
        assert_string_equal(a->account_name, "ミックネット");
        assert_null(a->email);
        assert_null(a->smtp_host);
        assert_int_equal(item_of(&w, a->id)->status, PLAN_NOT_ISP);
        /* Even a plan made elsewhere is refused, before any write. */
        ms_change c = {MS_F_SMTP_PORT, {NULL, 25}, {NULL, 587}};
        ms_journal *j;
        ms_error err;
        assert_int_equal(journal_open(w.dir, &j, &err), MS_OK);
        assert_int_equal(oe_backend.apply(&w.env, a, &c, 1, j, &err), MS_ERR_ACCOUNT_UNREADABLE);
        assert_non_null(strstr(err.detail, a->id));
        journal_free(j);
        assert_int_equal(memreg_diff(w.orig, w.m, NULL), 0);
        close_world(&w);
    }
}

/* A text value longer than any real setting (REGVAL_MAX_STRING, 32 KiB):
 * the account is unreadable with R10 naming the value, and not planned. */
static void test_string_too_large(void **state)
{
    (void)state;
    struct world w;
    open_world(&w, "oe-117net.reg", "117net");
    size_t len = 32768 + 2;
    unsigned char *big = malloc(len);
    assert_non_null(big);
    for (size_t i = 0; i < len; i += 2) {
        big[i] = 'a';
        big[i + 1] = 0;
    }
    big[len - 2] = 0;
    ms_error err;
    assert_int_equal(w.env.reg->ops->set(w.env.reg, IAM(ID1) "\\Accounts\\00000001",
                                         "SMTP Display Name", MS_REG_SZ, big, len, &err),
                     MS_OK);
    free(big);
    scan_and_plan(&w);
    const ms_account *a = by_id(&w.accts, "oe/" ID1 "/00000001");
    assert_non_null(a);
    assert_int_equal(a->read_error.code, MS_ERR_REG_TOO_LARGE);
    assert_string_equal(ms_code_helpdesk(a->read_error.code), "R10");
    assert_non_null(strstr(a->read_error.detail, "SMTP Display Name: 32770 bytes"));
    assert_int_not_equal(item_of(&w, a->id)->status, PLAN_CHANGE);
    close_world(&w);
}

/* "SMTP Port" = 0 is no port: the account is unreadable, named with the
 * value, and not planned (a port 0 would otherwise be "changed" to 587
 * over a broken setting nobody looked at). */
static void test_port_zero(void **state)
{
    (void)state;
    struct world w;
    open_world(&w, "oe-117net.reg", "117net");
    unsigned char zero[4] = {0, 0, 0, 0};
    ms_error err;
    assert_int_equal(w.env.reg->ops->set(w.env.reg, IAM(ID2) "\\Accounts\\00000001", "SMTP Port",
                                         MS_REG_DWORD, zero, 4, &err),
                     MS_OK);
    scan_and_plan(&w);
    const ms_account *a = by_id(&w.accts, "oe/" ID2 "/00000001");
    assert_non_null(a);
    assert_int_equal(a->read_error.code, MS_ERR_REG_BAD_VALUE);
    assert_non_null(strstr(a->read_error.detail, "SMTP Port: 0 is not a port number"));
    assert_int_not_equal(item_of(&w, a->id)->status, PLAN_CHANGE);
    close_world(&w);
}

/* "SMTP Use Sicily" (imnact.h's SMTPAUTHTYPE): 3 is "log on using" an own
 * user name; 4 is no value Outlook Express writes: unreadable, named. */
static void test_sicily_range(void **state)
{
    (void)state;
    for (unsigned v = 3; v <= 4; v++) {
        struct world w;
        open_world(&w, "oe-117net.reg", "117net");
        unsigned char d[4] = {(unsigned char)v, 0, 0, 0};
        ms_error err;
        assert_int_equal(w.env.reg->ops->set(w.env.reg, IAM(ID2) "\\Accounts\\00000001",
                                             "SMTP Use Sicily", MS_REG_DWORD, d, 4, &err),
                         MS_OK);
        scan_and_plan(&w);
        const ms_account *a = by_id(&w.accts, "oe/" ID2 "/00000001");
        assert_non_null(a);
        if (v == 3) {
            assert_int_equal(a->read_error.code, MS_OK);
            assert_int_equal(a->smtp_auth, MS_AUTH_OWN);
        } else {
            assert_int_equal(a->read_error.code, MS_ERR_REG_BAD_VALUE);
            assert_non_null(strstr(a->read_error.detail, "SMTP Use Sicily: 4 (0 to 3 expected)"));
        }
        close_world(&w);
    }
}

/* Keys that cannot be read: the account, or the store, is named. */
static void test_unreadable_keys(void **state)
{
    (void)state;
    struct world w;
    open_world(&w, "oe-117net.reg", "117net");
    ms_error err;
    assert_int_equal(memreg_deny(w.m, IAM(ID1) "\\Accounts\\00000002", &err), MS_OK);
    assert_int_equal(memreg_deny(w.m, IAM(ID2) "\\Accounts", &err), MS_OK);
    scan_and_plan(&w);
    const ms_account *a = by_id(&w.accts, "oe/" ID1 "/00000002");
    assert_non_null(a);
    assert_int_equal(a->read_error.code, MS_ERR_REG_READ);
    const ms_account *s = by_id(&w.accts, "oe/" ID2 "/*");
    assert_non_null(s);
    assert_int_equal(s->read_error.code, MS_ERR_REG_READ);
    assert_string_equal(s->container, "花子");
    /* The readable account is still found and planned. */
    assert_int_equal(item_of(&w, "oe/" ID1 "/00000001")->status, PLAN_CHANGE);
    close_world(&w);
}

/* OE has one SSL checkbox: STARTTLS on 465 cannot be expressed. */
static void test_inexpressible(void **state)
{
    (void)state;
    struct world w;
    open_world(&w, "oe-micnet.reg", NULL);
    const ms_account *a = by_id(&w.accts, "oe/{5B2C9A40-7D1E-4F63-8A0B-C4E19F3D6275}/00000002");
    ms_change c[2] = {{MS_F_SMTP_PORT, {NULL, 25}, {NULL, 465}},
                      {MS_F_SMTP_SECURITY, {NULL, MS_SEC_NONE}, {NULL, MS_SEC_STARTTLS}}};
    ms_journal *j;
    ms_error err;
    assert_int_equal(journal_open(w.dir, &j, &err), MS_OK);
    assert_int_equal(oe_backend.apply(&w.env, a, c, 2, j, &err), MS_ERR_UNSUPPORTED_SETTING);
    /* And a change that no longer matches the registry is refused. */
    ms_change stale = {MS_F_SMTP_PORT, {NULL, 110}, {NULL, 587}};
    assert_int_equal(oe_backend.apply(&w.env, a, &stale, 1, j, &err), MS_ERR_CHANGED_SINCE_SCAN);
    journal_free(j);
    assert_int_equal(memreg_diff(w.orig, w.m, NULL), 0);
    close_world(&w);
}

/* A registry that counts the values read through it. */
struct counting_reg {
    ms_reg base;
    ms_reg *inner;
    unsigned long gets;
};

static ms_code count_subkeys(ms_reg *r, const char *key, strbuf *out, ms_error *err)
{
    ms_reg *in = ((struct counting_reg *)r)->inner;
    return in->ops->subkeys(in, key, out, err);
}

static ms_code count_get(ms_reg *r, const char *key, const char *name, ms_reg_value *out,
                         ms_error *err)
{
    struct counting_reg *c = (struct counting_reg *)r;
    c->gets++;
    return c->inner->ops->get(c->inner, key, name, out, err);
}

static const ms_reg_ops counting_ops = {count_subkeys, NULL, count_get, NULL, NULL, NULL, NULL};

/* With the profile as scope (what engine_scan does), another provider's
 * account is listed by name, address and hosts only, with fewer reads; the
 * provider's own accounts and the plan are exactly as without a scope. */
static void test_scan_scope(void **state)
{
    (void)state;
    struct world w;
    open_world(&w, "oe-117net.reg", "117net");
    struct counting_reg c = {{&counting_ops}, memreg_reg(w.m), 0};
    ms_scope scope = engine_profile_scope(w.prof);
    ms_env full = {.reg = &c.base}, scoped = {.reg = &c.base, .scope = &scope};
    ms_account_list all, part;
    account_list_init(&all);
    account_list_init(&part);
    ms_error err;
    assert_int_equal(oe_backend.scan(&full, &all, &err), MS_OK);
    unsigned long full_gets = c.gets;
    c.gets = 0;
    assert_int_equal(oe_backend.scan(&scoped, &part, &err), MS_OK);
    assert_int_equal(part.count, all.count);

    const ms_account *other = by_id(&part, "oe/" ID1 "/00000002");
    assert_non_null(other);
    assert_true(other->summary_only);
    assert_int_equal(other->read_error.code, MS_OK);
    assert_string_equal(other->account_name, "会社のメール");
    assert_string_equal(other->email, "t-yamada@example.co.jp");
    assert_string_equal(other->incoming_host, "pop.example.co.jp");
    assert_string_equal(other->smtp_host, "smtp.example.co.jp");
    assert_null(other->display_name);
    assert_null(other->incoming_user);
    /* What identifies it: POP3 Server, Account Name, address, SMTP Server;
     * a full read is eleven values. */
    assert_true(full_gets - c.gets >= 7);

    for (size_t i = 0; i < part.count; i++) {
        const ms_account *a = &part.items[i];
        const ms_account *b = by_id(&all, a->id);
        assert_non_null(b);
        if (a == other)
            continue;
        assert_false(a->summary_only);
        assert_true(engine_settings_equal(a, b));
        assert_string_equal(a->display_name, b->display_name);
    }

    /* The plan: the same statuses and changes either way. */
    ms_plan *pa, *pb;
    assert_int_equal(plan_build(w.prof, &all, &pa, &err), MS_OK);
    assert_int_equal(plan_build(w.prof, &part, &pb, &err), MS_OK);
    for (size_t i = 0; i < pa->count; i++) {
        assert_int_equal(pa->items[i].status, pb->items[i].status);
        assert_int_equal(pa->items[i].n_changes, pb->items[i].n_changes);
    }
    assert_int_equal(pb->items[other - part.items].status, PLAN_NOT_ISP);

    /* The report says it was read in part and shows no made-up port. */
    strbuf js;
    strbuf_init(&js);
    assert_int_equal(plan_to_json(pb, MS_LANG_EN, &js, &err), MS_OK);
    const char *o = strstr(js.buf, "\"t-yamada@example.co.jp\"");
    assert_non_null(o);
    const char *end = strchr(o, '}');
    const char *flag = strstr(o, "\"summary_only\"");
    assert_true(flag && flag < end);
    const char *port = strstr(o, "\"smtp_port\"");
    assert_true(!port || port > end);
    assert_null(strstr(flag + 1, "\"summary_only\"")); /* only where true */
    assert_true(strstr(js.buf, "\"summary_only\"") == flag);
    strbuf_free(&js);
    plan_free(pa);
    plan_free(pb);

    /* only_id (the engine's re-read after a change): that one account, in
     * full, and no value of any other account or identity read. */
    ms_scope one = {NULL, NULL, "oe/" ID2 "/00000001"};
    ms_env only = {.reg = &c.base, .scope = &one};
    ms_account_list l;
    account_list_init(&l);
    c.gets = 0;
    assert_int_equal(oe_backend.scan(&only, &l, &err), MS_OK);
    assert_int_equal(l.count, 1);
    assert_string_equal(l.items[0].id, one.only_id);
    assert_false(l.items[0].summary_only);
    assert_true(engine_settings_equal(&l.items[0], by_id(&all, one.only_id)));
    /* Its twelve values, its store's default account, the identity's name
     * (the full scan above: 44). */
    assert_int_equal(c.gets, 14);
    account_list_free(&l);
    one.only_id = "oe/" ID2 "/00000007";
    assert_int_equal(oe_backend.scan(&only, &l, &err), MS_OK);
    assert_int_equal(l.count, 0);
    account_list_free(&all);
    account_list_free(&part);
    close_world(&w);
}

/* Outlook 2000 Internet-only: the OMI Account Manager's accounts, read and
 * changed as Outlook Express's; Outlook 98's older key beside it is left
 * alone (Outlook 2000's key wins, as in Thunderbird's importer); Outlook
 * Express's own stores are not this back-end's. */
#define IMO2000 "Software\\Microsoft\\Office\\Outlook\\OMI Account Manager"
static void test_outlook2000_internet_only(void **state)
{
    (void)state;
    struct world w;
    open_world_be(&w, &outlook_imo_backend, "outlook2000-117net.reg", "117net");
    assert_int_equal(w.accts.count, 2); /* the news account is not mail */
    const ms_account *a = by_id(&w.accts, "outlook2000/office/00000001");
    assert_non_null(a);
    assert_int_equal(a->program, MS_PROG_OUTLOOK_IMO);
    assert_string_equal(a->container, "Outlook 2000");
    assert_string_equal(a->location, "HKEY_CURRENT_USER\\" IMO2000 "\\Accounts\\00000001");
    assert_string_equal(a->email, "yamada@vp.117.ne.jp");
    assert_string_equal(a->smtp_host, "vs.117.ne.jp");
    assert_int_equal(a->smtp_port, 25);
    assert_true(a->is_default);
    assert_int_equal(item_of(&w, "outlook2000/office/00000001")->status, PLAN_CHANGE);
    assert_int_equal(item_of(&w, "outlook2000/office/00000002")->status, PLAN_NOT_ISP);
    /* Exactly the values Outlook Express's account gets (oe-117net). */
    apply_redo_undo(&w, "outlook2000-117net.apply.diff", 1);
    close_world(&w);

    /* Outlook 98: the Office\8.0 key. */
    open_world_be(&w, &outlook_imo_backend, "outlook98-117net.reg", "117net");
    assert_int_equal(w.accts.count, 2);
    const ms_account *b = by_id(&w.accts, "outlook2000/office8/00000002");
    assert_non_null(b);
    assert_string_equal(b->container, "Outlook 98");
    assert_true(b->is_default);
    apply_plan(&w);
    assert_diff_file(&w, "outlook98-117net.apply.diff");
    close_world(&w);

    /* Neither back-end reads the other's accounts. */
    open_world_be(&w, &outlook_imo_backend, "oe-117net.reg", NULL);
    assert_int_equal(w.accts.count, 0);
    close_world(&w);
    open_world(&w, "outlook2000-117net.reg", NULL);
    assert_int_equal(w.accts.count, 0);
    close_world(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scan_identities),
        cmocka_unit_test(test_scan_kinds),
        cmocka_unit_test(test_scan_scope),
        cmocka_unit_test(test_apply_117net),
        cmocka_unit_test(test_apply_micnet_ktarn_japannet),
        cmocka_unit_test(test_add_account_hotweb),
        cmocka_unit_test(test_broken_values),
        cmocka_unit_test(test_string_too_large),
        cmocka_unit_test(test_port_zero),
        cmocka_unit_test(test_sicily_range),
        cmocka_unit_test(test_unreadable_keys),
        cmocka_unit_test(test_inexpressible),
        cmocka_unit_test(test_outlook2000_internet_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
