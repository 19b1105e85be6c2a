/* Unit tests: the engine over memreg with the Outlook Express back-end:
 * scan -> apply (journal, verify) -> undo gives the registry back byte for
 * byte; a failure injected at every write in turn (fault.h: the journal's
 * file writes and the registry's writes share one counter) leaves each
 * account fully old or fully new (judged by the expected registry diff in
 * tests/data/reg/expected/, not by the engine's own comparison), and undo
 * still restores everything; a registry whose re-read differs from what was
 * written (a value dropped, its type changed, the write landing in another
 * account) makes the apply fail with A03 (MS_ERR_VERIFY) and rolls the
 * account back exactly; a running program blocks only itself. */
#define _GNU_SOURCE /* mkdtemp */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "engine.h"
#include "fault.h"
#include "memreg.h"
#include "platform.h"
#include "profile.h"

/* isp: a seed ISP of isp-profiles/, or a file under tests/data/profiles/
 * (a name ending in .json). */
static profile *load_profile(const char *isp)
{
    char path[512];
    if (strstr(isp, ".json"))
        snprintf(path, sizeof path, "%s/profiles/%s", MS_TEST_DATA, isp);
    else
        snprintf(path, sizeof path, "%s/isp-profiles/%s.json", MS_SOURCE_DIR, isp);
    profile_errors errs;
    profile_errors_init(&errs);
    profile *p = NULL;
    ms_code rc = profile_load_file(path, &p, &errs);
    profile_errors_free(&errs);
    assert_int_equal(rc, MS_OK);
    return p;
}

static memreg *load_fixture(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/reg/%s", MS_TEST_DATA, name);
    memreg *m = memreg_new();
    ms_error err;
    if (memreg_load_file(m, path, &err) != MS_OK)
        fail_msg("%s: %s", name, err.detail);
    return m;
}

static void rm_rf(const char *dir)
{
    strbuf list;
    strbuf_init(&list);
    ms_error err;
    if (ms_dir_list(dir, &list, &err) == MS_OK) {
        for (size_t i = 0; i < list.len;) {
            char kind = list.buf[i];
            const char *name = list.buf + i + 1;
            char p[600];
            snprintf(p, sizeof p, "%s/%s", dir, name);
            if (kind == 'd')
                rm_rf(p);
            else
                unlink(p);
            i += strlen(name) + 2;
        }
    }
    strbuf_free(&list);
    rmdir(dir);
}

static void fresh_dir(char *dir, size_t n)
{
    snprintf(dir, n, "/tmp/test_engine.XXXXXX");
    assert_non_null(mkdtemp(dir));
}

/* ---- the judge of "half changed", independent of the engine: the
 * registry's difference from the fixture, line by line (memreg_diff), against
 * the expected difference of a complete apply (a file under
 * tests/data/reg/expected/, the same file test_be_oe checks the back-end
 * against). The lines are grouped by identity (each identity of these
 * fixtures holds one of the ISP's accounts, and an added account's
 * "Default Mail Account" and "Server ID" belong to the same identity): each
 * group must be all there or not there at all, and no other line may be. */

static void read_lines(const char *text, size_t len, char ***lines, size_t *n)
{
    *lines = NULL;
    *n = 0;
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - text) : len;
        if (e > i) {
            *lines = realloc(*lines, (*n + 1) * sizeof **lines);
            assert_non_null(*lines);
            (*lines)[*n] = strndup(text + i, e - i);
            assert_non_null((*lines)[*n]);
            (*n)++;
        }
        i = e + 1;
    }
}

static void free_lines(char **lines, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(lines[i]);
    free(lines);
}

/* "Identities\{GUID}" of a diff line, as a pointer/length into it. */
static size_t group_of(const char *line, const char **g)
{
    const char *p = strstr(line, "Identities\\{");
    if (!p)
        fail_msg("diff line outside any identity: %s", line);
    const char *e = strchr(p, '}');
    assert_non_null(e);
    *g = p;
    return (size_t)(e - p + 1);
}

static bool has_line(char **lines, size_t n, const char *l)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(lines[i], l) == 0)
            return true;
    return false;
}

/* Returns how many groups are complete (the rest are untouched); *groups:
 * how many there are. */
static size_t assert_groups_old_or_new(const memreg *orig, const memreg *now, const char *expected,
                                       size_t *groups)
{
    *groups = 0;
    strbuf diff, want;
    strbuf_init(&diff);
    strbuf_init(&want);
    memreg_diff(orig, now, &diff);
    char path[512];
    snprintf(path, sizeof path, "%s/reg/expected/%s", MS_TEST_DATA, expected);
    ms_error err;
    if (ms_file_read(path, 1 << 20, &want, &err) != MS_OK)
        fail_msg("%s: %s", path, err.detail);
    char **got_l, **want_l;
    size_t n_got, n_want;
    read_lines(diff.buf ? diff.buf : "", diff.len, &got_l, &n_got);
    read_lines(want.buf, want.len, &want_l, &n_want);
    assert_true(n_want > 0);
    for (size_t i = 0; i < n_got; i++)
        if (!has_line(want_l, n_want, got_l[i])) {
            fprintf(stderr, "registry now differs from the fixture by:\n%s", diff.buf);
            fail_msg("a change that a complete apply does not make: %s", got_l[i]);
        }
    size_t complete = 0;
    for (size_t i = 0; i < n_want; i++) {
        const char *g;
        size_t gl = group_of(want_l[i], &g);
        bool first = true; /* count each group once, at its first line */
        for (size_t k = 0; k < i; k++) {
            const char *g2;
            size_t gl2 = group_of(want_l[k], &g2);
            if (gl2 == gl && strncmp(g, g2, gl) == 0)
                first = false;
        }
        if (!first)
            continue;
        (*groups)++;
        size_t in_group = 0, present = 0;
        for (size_t k = 0; k < n_want; k++) {
            const char *g2;
            size_t gl2 = group_of(want_l[k], &g2);
            if (gl2 != gl || strncmp(g, g2, gl) != 0)
                continue;
            in_group++;
            present += has_line(got_l, n_got, want_l[k]);
        }
        if (present && present != in_group) {
            fprintf(stderr, "registry now differs from the fixture by:\n%s", diff.buf);
            fail_msg("%.*s is half changed: %zu of %zu changes", (int)gl, g, present, in_group);
        }
        complete += present == in_group;
    }
    free_lines(got_l, n_got);
    free_lines(want_l, n_want);
    strbuf_free(&diff);
    strbuf_free(&want);
    return complete;
}

struct run {
    memreg *m, *orig;
    ms_env env;
    profile *prof;
    ms_scan *scan;
    char dir[64];
};

static void run_open(struct run *r, const char *fixture, const char *isp)
{
    memset(r, 0, sizeof *r);
    r->m = load_fixture(fixture);
    r->orig = memreg_clone(r->m);
    r->env.reg = memreg_reg(r->m);
    r->env.appdata = r->env.local_appdata = r->env.home = "/nonexistent";
    r->prof = load_profile(isp);
    ms_error err;
    assert_int_equal(engine_scan(&r->env, r->prof, NULL, NULL, &r->scan, &err), MS_OK);
    fresh_dir(r->dir, sizeof r->dir);
}

static void run_close(struct run *r)
{
    engine_scan_free(r->scan);
    profile_free(r->prof);
    memreg_free(r->m);
    memreg_free(r->orig);
    rm_rf(r->dir);
}

static void assert_restored(const struct run *r)
{
    strbuf diff;
    strbuf_init(&diff);
    size_t n = memreg_diff(r->orig, r->m, &diff);
    if (n) {
        fprintf(stderr, "%s", diff.buf);
        fail_msg("%zu differences after undo", n);
    }
    strbuf_free(&diff);
}

/* The registry differs from the fixture by exactly the lines of a file
 * under tests/data/reg/expected/. */
static void assert_diff_is_file(const memreg *orig, const memreg *now, const char *expected)
{
    strbuf diff, want;
    strbuf_init(&diff);
    strbuf_init(&want);
    memreg_diff(orig, now, &diff);
    char path[512];
    snprintf(path, sizeof path, "%s/reg/expected/%s", MS_TEST_DATA, expected);
    ms_error err;
    if (ms_file_read(path, 1 << 20, &want, &err) != MS_OK)
        fail_msg("%s: %s", path, err.detail);
    if (diff.len != want.len || memcmp(diff.buf, want.buf, diff.len) != 0) {
        fprintf(stderr, "registry now differs from the fixture by:\n%s",
                diff.buf ? diff.buf : "(nothing)\n");
        fail_msg("the difference is not %s", expected);
    }
    strbuf_free(&diff);
    strbuf_free(&want);
}

static void roundtrip(const char *fixture, const char *isp, engine_outcome expect)
{
    struct run r;
    run_open(&r, fixture, isp);
    engine_result *res;
    ms_error err;
    ms_code rc = engine_apply(&r.env, r.scan, NULL, NULL, NULL, r.dir, &res, &err);
    if (rc != MS_OK)
        fail_msg("%s: %s", fixture, err.detail);
    size_t n_expect = 0;
    for (size_t i = 0; i < r.scan->plan->count; i++)
        n_expect += res[i].outcome == expect;
    assert_true(n_expect > 0);
    assert_true(memreg_diff(r.orig, r.m, NULL) > 0);
    engine_results_free(res, r.scan->plan->count);
    assert_int_equal(engine_undo(&r.env, r.dir, &err), MS_OK);
    assert_restored(&r);
    run_close(&r);
}

static void test_roundtrips(void **state)
{
    (void)state;
    roundtrip("oe-117net.reg", "117net", ENGINE_CHANGED);
    roundtrip("oe-micnet.reg", "micnet", ENGINE_CHANGED);
    roundtrip("oe-ktarn.reg", "ktarn", ENGINE_CHANGED);
    roundtrip("oe-japan-net.reg", "japan-net", ENGINE_CHANGED);
    roundtrip("oe-hotweb.reg", "hotweb", ENGINE_ADDED);
}

/* Every write in turn fails, once (transient) or from then on (a disk or
 * registry that stays broken). */
static void fault_sweep(const char *fixture, const char *isp, const char *expected, bool persistent)
{
    /* A clean run counts the writes. */
    struct run r;
    run_open(&r, fixture, isp);
    engine_result *res;
    ms_error err;
    fault_arm(0, false);
    assert_int_equal(engine_apply(&r.env, r.scan, NULL, NULL, NULL, r.dir, &res, &err), MS_OK);
    unsigned long total = fault_writes();
    engine_results_free(res, r.scan->plan->count);
    run_close(&r);
    assert_true(total > 5);

    unsigned long fired = 0;
    for (unsigned long nth = 1; nth <= total + 1; nth++) {
        run_open(&r, fixture, isp);
        fault_arm(nth, persistent);
        res = NULL;
        ms_code rc = engine_apply(&r.env, r.scan, NULL, NULL, NULL, r.dir, &res, &err);
        bool hit = fault_fired();
        fault_arm(0, false);
        fired += hit;
        if (!hit) {
            assert_int_equal(rc, MS_OK);
        } else {
            assert_int_not_equal(rc, MS_OK);
        }
        /* With a persistent fault the rollback may fail too (ENGINE_FAILED):
         * then only the undo below must mend it. */
        if (!persistent) {
            size_t groups;
            size_t complete = assert_groups_old_or_new(r.orig, r.m, expected, &groups);
            /* No fault: every account is new; a fault: not every one. */
            if (!hit)
                assert_int_equal(complete, groups);
            else
                assert_true(complete < groups);
        }
        if (res)
            engine_results_free(res, r.scan->plan->count);
        /* The journal on disk undoes whatever happened. */
        ms_code urc = engine_undo(&r.env, r.dir, &err);
        if (urc != MS_OK && urc != MS_ERR_NO_BACKUP && urc != MS_ERR_IO_READ &&
            urc != MS_ERR_NOT_FOUND)
            fail_msg("write %lu: undo: %s (%s)", nth, ms_code_name(urc), err.detail);
        assert_restored(&r);
        run_close(&r);
    }
    assert_int_equal(fired, total); /* every write was hit once */
}

static void test_fault_every_write(void **state)
{
    (void)state;
    fault_sweep("oe-117net.reg", "117net", "oe-117net.apply.diff", false);
    fault_sweep("oe-117net.reg", "117net", "oe-117net.apply.diff", true);
    fault_sweep("oe-hotweb.reg", "hotweb", "oe-hotweb.add.diff", false);
    fault_sweep("oe-hotweb.reg", "hotweb", "oe-hotweb.add.diff", true);
}

/* ---- a registry whose re-read differs from what was written: an ms_reg
 * over memreg that, once, mistreats one write the way a real program or
 * registry could: the value dropped right after (a mail program that
 * rewrites its account from memory), stored with another type (a program
 * that writes the port as text), stored in another account's key, or not
 * stored at all while the call says it was (the value keeps its old
 * content: a registry virtualised away, a program writing it back). */

enum lie { LIE_DROP, LIE_RETYPE, LIE_MISDIRECT, LIE_STALE };

struct liar {
    ms_reg reg; /* first: the ops cast ms_reg * to struct liar * */
    ms_reg *inner;
    enum lie lie;
    const char *key, *name; /* the write to mistreat */
    const char *other_key;  /* LIE_MISDIRECT: where it lands */
    int fired;
};

static struct liar *L(ms_reg *r)
{
    return (struct liar *)r;
}

static ms_code liar_subkeys(ms_reg *r, const char *key, strbuf *out, ms_error *err)
{
    return L(r)->inner->ops->subkeys(L(r)->inner, key, out, err);
}

static ms_code liar_values(ms_reg *r, const char *key, strbuf *out, ms_error *err)
{
    return L(r)->inner->ops->values(L(r)->inner, key, out, err);
}

static ms_code liar_get(ms_reg *r, const char *key, const char *name, ms_reg_value *out,
                        ms_error *err)
{
    return L(r)->inner->ops->get(L(r)->inner, key, name, out, err);
}

static ms_code liar_set(ms_reg *r, const char *key, const char *name, uint32_t type,
                        const void *data, size_t len, ms_error *err)
{
    struct liar *l = L(r);
    ms_reg *in = l->inner;
    if (l->fired || strcasecmp(key, l->key) != 0 || strcasecmp(name, l->name) != 0)
        return in->ops->set(in, key, name, type, data, len, err);
    l->fired++;
    switch (l->lie) {
    case LIE_DROP: {
        ms_code rc = in->ops->set(in, key, name, type, data, len, err);
        return rc != MS_OK ? rc : in->ops->del_value(in, key, name, err);
    }
    case LIE_RETYPE: {
        /* A DWORD stored as REG_SZ text of the same number. */
        assert_int_equal(type, MS_REG_DWORD);
        assert_int_equal(len, 4);
        const unsigned char *b = data;
        unsigned long v = b[0] | b[1] << 8 | (unsigned long)b[2] << 16 | (unsigned long)b[3] << 24;
        char text[16];
        int n = snprintf(text, sizeof text, "%lu", v);
        unsigned char w[34];
        for (int i = 0; i <= n; i++) {
            w[2 * i] = (unsigned char)text[i];
            w[2 * i + 1] = 0;
        }
        return in->ops->set(in, key, name, MS_REG_SZ, w, (size_t)(2 * n + 2), err);
    }
    case LIE_MISDIRECT:
        return in->ops->set(in, l->other_key, name, type, data, len, err);
    case LIE_STALE:
        return MS_OK;
    }
    return MS_ERR_INTERNAL;
}

static ms_code liar_del_value(ms_reg *r, const char *key, const char *name, ms_error *err)
{
    return L(r)->inner->ops->del_value(L(r)->inner, key, name, err);
}

static ms_code liar_create_key(ms_reg *r, const char *key, ms_error *err)
{
    return L(r)->inner->ops->create_key(L(r)->inner, key, err);
}

static ms_code liar_del_tree(ms_reg *r, const char *key, ms_error *err)
{
    return L(r)->inner->ops->del_tree(L(r)->inner, key, err);
}

static const ms_reg_ops liar_ops = {liar_subkeys,   liar_values,     liar_get,     liar_set,
                                    liar_del_value, liar_create_key, liar_del_tree};

#define IAM1                                                                                       \
    "Identities\\{3A6E7F2C-58B1-4C0D-9E2A-71D45B8C0F13}\\Software\\Microsoft\\Internet Account "   \
    "Manager\\Accounts\\"
#define ACCT1 "oe/{3A6E7F2C-58B1-4C0D-9E2A-71D45B8C0F13}/00000001"

/* Applies 117net with the lie; the first identity's account must fail with
 * A03 and be exactly as before, the second identity's account is changed
 * as planned: the registry then differs from the fixture by exactly the
 * lines of after_apply (a file); after undo, by exactly those of
 * after_undo (NULL: not at all). */
static void lie_case(enum lie lie, const char *name, const char *other_key, const char *after_apply,
                     const char *after_undo)
{
    struct run r;
    run_open(&r, "oe-117net.reg", "117net");
    struct liar l = {{&liar_ops}, memreg_reg(r.m), lie, IAM1 "00000001", name, other_key, 0};
    r.env.reg = &l.reg;
    engine_result *res = NULL;
    ms_error err;
    ms_code rc = engine_apply(&r.env, r.scan, NULL, NULL, NULL, r.dir, &res, &err);
    assert_int_equal(l.fired, 1);
    assert_int_equal(rc, MS_ERR_VERIFY);
    assert_string_equal(ms_code_helpdesk(rc), "A03");
    assert_non_null(strstr(err.detail, ACCT1));
    size_t rolled = 0, changed = 0;
    for (size_t i = 0; i < r.scan->plan->count; i++) {
        const char *id = r.scan->plan->items[i].account->id;
        if (strcmp(id, ACCT1) == 0) {
            assert_int_equal(res[i].outcome, ENGINE_ROLLED_BACK);
            assert_int_equal(res[i].err.code, MS_ERR_VERIFY);
            rolled++;
        } else if (res[i].outcome == ENGINE_CHANGED) {
            changed++;
        }
    }
    assert_int_equal(rolled, 1);
    assert_int_equal(changed, 1);
    engine_results_free(res, r.scan->plan->count);
    /* The rollback left the first identity exactly as it was. */
    assert_diff_is_file(r.orig, r.m, after_apply);
    assert_int_equal(engine_undo(&r.env, r.dir, &err), MS_OK);
    if (after_undo)
        assert_diff_is_file(r.orig, r.m, after_undo);
    else
        assert_restored(&r);
    run_close(&r);
}

/* A write to the first identity's account (ID1) that does not stick,
 * under profile isp: A03, that account exactly as before (no line of its
 * identity in the registry's difference), the other 117net account
 * (second identity) changed completely as tests/data/reg/expected/<expect>
 * says; undo then restores everything. Each setting verify compares is
 * tried this way. */
static void stale_case(const char *isp, const char *name, const char *expect)
{
    struct run r;
    run_open(&r, "oe-117net.reg", isp);
    struct liar l = {{&liar_ops}, memreg_reg(r.m), LIE_STALE, IAM1 "00000001", name, NULL, 0};
    r.env.reg = &l.reg;
    engine_result *res = NULL;
    ms_error err;
    ms_code rc = engine_apply(&r.env, r.scan, NULL, NULL, NULL, r.dir, &res, &err);
    if (l.fired != 1)
        fail_msg("%s: \"%s\" was not written", isp, name);
    if (rc != MS_ERR_VERIFY)
        fail_msg("%s: \"%s\" not stored: apply gave %s, not MS_ERR_VERIFY", isp, name,
                 ms_code_name(rc));
    for (size_t i = 0; i < r.scan->plan->count; i++)
        if (strcmp(r.scan->plan->items[i].account->id, ACCT1) == 0)
            assert_int_equal(res[i].outcome, ENGINE_ROLLED_BACK);
    engine_results_free(res, r.scan->plan->count);
    size_t groups, complete = assert_groups_old_or_new(r.orig, r.m, expect, &groups);
    assert_int_equal(groups, 2);
    assert_int_equal(complete, 1);
    strbuf diff;
    strbuf_init(&diff);
    memreg_diff(r.orig, r.m, &diff);
    if (diff.buf && strstr(diff.buf, "{3A6E7F2C"))
        fail_msg("%s: the rolled-back identity still differs:\n%s", isp, diff.buf);
    strbuf_free(&diff);
    assert_int_equal(engine_undo(&r.env, r.dir, &err), MS_OK);
    assert_restored(&r);
    run_close(&r);
}

static void test_verify_each_setting(void **state)
{
    (void)state;
    stale_case("117net", "SMTP Server", "oe-117net.apply.diff");
    stale_case("117net", "SMTP Port", "oe-117net.apply.diff");
    stale_case("117net", "SMTP Use Sicily", "oe-117net.apply.diff");
    stale_case("117net", "POP3 Server", "oe-117net.apply.diff");
    stale_case("117net", "POP3 User Name", "oe-117net.apply.diff");
    stale_case("117net-starttls.json", "SMTP Secure Connection", "oe-117net-starttls.apply.diff");
}

/* HotWeb adds an account and makes it the default; the default does not
 * stick ("Default Mail Account" stale): the new account does not read back
 * as planned (not the default), A03, and the rollback removes it and
 * restores the counter, leaving the registry exactly as before. */
static void test_verify_default_not_kept(void **state)
{
    (void)state;
    struct run r;
    run_open(&r, "oe-hotweb.reg", "hotweb");
    struct liar l = {{&liar_ops},
                     memreg_reg(r.m),
                     LIE_STALE,
                     "Identities\\{0C8E4F21-B3D7-4A59-86E1-5F9A2C7D0B38}\\Software\\Microsoft\\"
                     "Internet Account Manager",
                     "Default Mail Account",
                     NULL,
                     0};
    r.env.reg = &l.reg;
    engine_result *res = NULL;
    ms_error err;
    ms_code rc = engine_apply(&r.env, r.scan, NULL, NULL, NULL, r.dir, &res, &err);
    assert_int_equal(l.fired, 1);
    assert_int_equal(rc, MS_ERR_VERIFY);
    size_t rolled = 0;
    for (size_t i = 0; i < r.scan->plan->count; i++) {
        assert_int_not_equal(res[i].outcome, ENGINE_ADDED);
        rolled += res[i].outcome == ENGINE_ROLLED_BACK;
    }
    assert_int_equal(rolled, 1);
    engine_results_free(res, r.scan->plan->count);
    assert_restored(&r);
    run_close(&r);
}

/* "SMTP Port" (absent in the fixture: 25) is written as 587 and gone when
 * read back. */
static void test_verify_value_dropped(void **state)
{
    (void)state;
    lie_case(LIE_DROP, "SMTP Port", NULL, "oe-117net.second-only.diff", NULL);
}

/* "SMTP Port" reads back as the text "587": not a DWORD port. */
static void test_verify_type_changed(void **state)
{
    (void)state;
    lie_case(LIE_RETYPE, "SMTP Port", NULL, "oe-117net.second-only.diff", NULL);
}

/* "SMTP Server" of the ISP's account lands in the other provider's account
 * (00000002) of the same identity. The ISP's account does not read back as
 * written: A03, and it is rolled back. The stray value in the other account
 * is a write the wizard never made and cannot know of: it stays, after the
 * rollback and after undo (docs/testing.md, "not covered"). */
static void test_verify_other_account_touched(void **state)
{
    (void)state;
    lie_case(LIE_MISDIRECT, "SMTP Server", IAM1 "00000002", "oe-117net.misdirected.diff",
             "oe-117net.misdirected-undone.diff");
}

static bool running_exe(const char *const *names, void *ctx)
{
    for (size_t i = 0; names && names[i]; i++)
        if (strcmp(names[i], (const char *)ctx) == 0)
            return true;
    return false;
}

static void test_running_blocks_only_its_program(void **state)
{
    (void)state;
    struct run r;
    run_open(&r, "oe-117net.reg", "117net");
    engine_result *res = NULL;
    ms_error err;
    char msimn[] = "msimn.exe", wlmail[] = "wlmail.exe";
    assert_int_equal(engine_apply(&r.env, r.scan, NULL, running_exe, msimn, r.dir, &res, &err),
                     MS_ERR_PROGRAM_RUNNING);
    assert_non_null(strstr(err.detail, "msimn.exe"));
    assert_null(res);
    assert_int_equal(memreg_diff(r.orig, r.m, NULL), 0);
    /* Windows Live Mail running does not stop Outlook Express's change. */
    assert_int_equal(engine_apply(&r.env, r.scan, NULL, running_exe, wlmail, r.dir, &res, &err),
                     MS_OK);
    assert_true(memreg_diff(r.orig, r.m, NULL) > 0);
    engine_results_free(res, r.scan->plan->count);
    /* And the scan reports who runs. */
    ms_scan *s;
    assert_int_equal(engine_scan(&r.env, r.prof, running_exe, msimn, &s, &err), MS_OK);
    for (size_t i = 0; i < s->n_programs; i++)
        if (s->programs[i].backend->program == MS_PROG_OE)
            assert_true(s->programs[i].running);
    engine_scan_free(s);
    run_close(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrips),
        cmocka_unit_test(test_fault_every_write),
        cmocka_unit_test(test_verify_value_dropped),
        cmocka_unit_test(test_verify_type_changed),
        cmocka_unit_test(test_verify_other_account_touched),
        cmocka_unit_test(test_verify_each_setting),
        cmocka_unit_test(test_verify_default_not_kept),
        cmocka_unit_test(test_running_blocks_only_its_program),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
