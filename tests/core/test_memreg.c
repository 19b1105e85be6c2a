/* Unit tests: the in-memory registry behaves like HKEY_CURRENT_USER where
 * the back-ends can tell (case-insensitive names, enumeration order,
 * missing keys and values, access denied) and its test hooks do what the
 * back-end tests rely on (a failed write changes nothing; diff sees every
 * change). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fault.h"
#include "memreg.h"
#include "regval.h"

#define OE_KEY "Identities\\{3A6E7F2C-58B1-4C0D-9E2A-71D45B8C0F13}\\Software\\Microsoft\\Internet Account Manager"

static memreg *load_fixture(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/reg/%s", MS_TEST_DATA, name);
    memreg *m = memreg_new();
    assert_non_null(m);
    ms_error err;
    if (memreg_load_file(m, path, &err) != MS_OK)
        fail_msg("%s: %s", name, err.detail);
    return m;
}

static void test_case_insensitive(void **state)
{
    (void)state;
    memreg *m = load_fixture("oe-117net.reg");
    ms_reg *r = memreg_reg(m);
    char *s = NULL;
    ms_error err;
    assert_int_equal(regval_get_string(r, "IDENTITIES\\{3a6e7f2c-58b1-4c0d-9e2a-71d45b8c0f13}"
                                          "\\software\\MICROSOFT\\internet account manager"
                                          "\\Accounts\\00000001",
                                       "smtp server", REGVAL_SZ, &s, &err),
                     MS_OK);
    assert_string_equal(s, "vs.117.ne.jp");
    free(s);
    /* Setting with other case replaces, keeping the stored name. */
    assert_int_equal(r->ops->set(r, OE_KEY, "default mail account", MS_REG_SZ, "2\0\0", 4, &err),
                     MS_OK);
    strbuf names;
    strbuf_init(&names);
    assert_int_equal(r->ops->values(r, OE_KEY, &names, &err), MS_OK);
    assert_string_equal(names.buf, "Default Mail Account"); /* first, as loaded */
    strbuf_free(&names);
    memreg_free(m);
}

static void test_enumeration_order(void **state)
{
    (void)state;
    memreg *m = memreg_new();
    ms_reg *r = memreg_reg(m);
    ms_error err;
    const char *keys[] = {"K\\beta", "K\\Alpha", "K\\gamma", "K\\ALPHA2"};
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(r->ops->create_key(r, keys[i], &err), MS_OK);
    strbuf out;
    strbuf_init(&out);
    assert_int_equal(r->ops->subkeys(r, "K", &out, &err), MS_OK);
    /* RegEnumKeyEx order: case-insensitive. */
    assert_int_equal(out.len, strlen("Alpha") + strlen("ALPHA2") + strlen("beta") +
                                  strlen("gamma") + 4);
    assert_memory_equal(out.buf, "Alpha\0ALPHA2\0beta\0gamma\0", out.len);
    strbuf_reset(&out);
    assert_int_equal(r->ops->set(r, "K", "z", MS_REG_DWORD, "\1\0\0\0", 4, &err), MS_OK);
    assert_int_equal(r->ops->set(r, "K", "a", MS_REG_DWORD, "\2\0\0\0", 4, &err), MS_OK);
    assert_int_equal(r->ops->values(r, "K", &out, &err), MS_OK);
    assert_memory_equal(out.buf, "z\0a\0", 4); /* values: in the order set */
    strbuf_free(&out);
    memreg_free(m);
}

static void test_missing_and_paths(void **state)
{
    (void)state;
    memreg *m = memreg_new();
    ms_reg *r = memreg_reg(m);
    ms_error err;
    ms_reg_value v;
    reg_value_init(&v);
    strbuf out;
    strbuf_init(&out);
    assert_int_equal(r->ops->subkeys(r, "Identities", &out, &err), MS_ERR_REG_NOT_FOUND);
    assert_int_equal(r->ops->get(r, "Identities", "x", &v, &err), MS_ERR_REG_NOT_FOUND);
    assert_int_equal(r->ops->create_key(r, "Identities", &err), MS_OK);
    assert_int_equal(r->ops->get(r, "Identities", "x", &v, &err), MS_ERR_REG_NOT_FOUND);
    assert_int_equal(r->ops->del_value(r, "Identities", "x", &err), MS_ERR_REG_NOT_FOUND);
    assert_int_equal(r->ops->set(r, "\\Identities", "x", MS_REG_SZ, "\0", 2, &err),
                     MS_ERR_REG_BAD_PATH);
    assert_int_equal(r->ops->set(r, "A\\\\B", "x", MS_REG_SZ, "\0", 2, &err),
                     MS_ERR_REG_BAD_PATH);
    assert_int_equal(r->ops->del_tree(r, "", &err), MS_ERR_REG_BAD_PATH);
    assert_int_equal(r->ops->del_tree(r, "Identities", &err), MS_OK);
    assert_int_equal(r->ops->subkeys(r, "Identities", &out, &err), MS_ERR_REG_NOT_FOUND);
    strbuf_free(&out);
    reg_value_free(&v);
    memreg_free(m);
}

static void test_deny(void **state)
{
    (void)state;
    memreg *m = load_fixture("oe-117net.reg");
    ms_reg *r = memreg_reg(m);
    ms_error err;
    assert_int_equal(memreg_deny(m, OE_KEY "\\Accounts", &err), MS_OK);
    strbuf out;
    strbuf_init(&out);
    assert_int_equal(r->ops->subkeys(r, OE_KEY "\\Accounts", &out, &err), MS_ERR_REG_READ);
    assert_non_null(strstr(err.detail, "access denied"));
    ms_reg_value v;
    reg_value_init(&v);
    /* Below a denied key too. */
    assert_int_equal(r->ops->get(r, OE_KEY "\\Accounts\\00000001", "SMTP Server", &v, &err),
                     MS_ERR_REG_READ);
    assert_int_equal(r->ops->set(r, OE_KEY "\\Accounts\\00000001", "SMTP Port", MS_REG_DWORD,
                                 "\x4b\x02\0\0", 4, &err),
                     MS_ERR_REG_WRITE);
    /* The key above still reads. */
    assert_int_equal(r->ops->get(r, OE_KEY, "Default Mail Account", &v, &err), MS_OK);
    reg_value_free(&v);
    strbuf_free(&out);
    memreg_free(m);
}

/* The n-th write fails and changes nothing; memreg's own counter and
 * fault.h's (which the platform's file writes share) both work. */
static void test_failing_writes(void **state)
{
    (void)state;
    memreg *m = load_fixture("oe-117net.reg");
    memreg *before = memreg_clone(m);
    ms_reg *r = memreg_reg(m);
    ms_error err;
    memreg_fail_write(m, 2, false);
    assert_int_equal(r->ops->set(r, "Software", "a", MS_REG_DWORD, "\1\0\0\0", 4, &err), MS_OK);
    assert_int_equal(r->ops->set(r, "Software", "b", MS_REG_DWORD, "\1\0\0\0", 4, &err),
                     MS_ERR_REG_WRITE);
    assert_int_equal(r->ops->del_tree(r, "Identities", &err), MS_OK);
    strbuf diff;
    strbuf_init(&diff);
    /* a set, Identities gone: b never arrived */
    assert_true(memreg_diff(before, m, &diff) > 2);
    assert_non_null(strstr(diff.buf, "+ HKEY_CURRENT_USER\\Software\\a=dword:00000001\n"));
    assert_non_null(strstr(diff.buf, "- [HKEY_CURRENT_USER\\Identities]\n"));
    assert_null(strstr(diff.buf, "\\b="));
    memreg_free(m);

    m = memreg_clone(before);
    r = memreg_reg(m);
    fault_arm(1, false);
    assert_int_equal(r->ops->create_key(r, "New", &err), MS_ERR_REG_WRITE);
    assert_true(fault_fired());
    assert_int_equal(r->ops->create_key(r, "New", &err), MS_OK);
    fault_arm(0, false);
    strbuf_reset(&diff);
    assert_int_equal(memreg_diff(before, m, &diff), 1);
    assert_string_equal(diff.buf, "+ [HKEY_CURRENT_USER\\New]\n");
    strbuf_free(&diff);
    memreg_free(m);
    memreg_free(before);
}

static void test_diff_and_load_refusals(void **state)
{
    (void)state;
    memreg *a = load_fixture("oe-117net.reg");
    memreg *b = memreg_clone(a);
    ms_reg *r = memreg_reg(b);
    ms_error err;
    assert_int_equal(r->ops->set(r, OE_KEY "\\Accounts\\00000001", "SMTP Port", MS_REG_DWORD,
                                 "\x4b\x02\0\0", 4, &err),
                     MS_OK);
    assert_int_equal(r->ops->set(r, OE_KEY "\\Accounts\\00000001", "SMTP Server", MS_REG_SZ,
                                 "x\0\0", 4, &err),
                     MS_OK);
    strbuf diff;
    strbuf_init(&diff);
    assert_int_equal(memreg_diff(a, b, &diff), 2);
    assert_non_null(strstr(diff.buf, "\\00000001\\SMTP Port=dword:0000024b\n"));
    assert_non_null(strstr(diff.buf, "\\00000001\\SMTP Server: \"vs.117.ne.jp\" -> \"x\"\n"));
    strbuf_free(&diff);

    /* ms_reg is HKCU-relative: a fixture with HKLM is refused, naming the line. */
    char path[512];
    snprintf(path, sizeof path, "%s/reg/parse/hklm.reg", MS_TEST_DATA);
    memreg *c = memreg_new();
    assert_int_equal(memreg_load_file(c, path, &err), MS_ERR_REGFILE_SYNTAX);
    assert_non_null(strstr(err.detail, "line 3"));
    memreg_free(c);
    memreg_free(a);
    memreg_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_case_insensitive),
        cmocka_unit_test(test_enumeration_order),
        cmocka_unit_test(test_missing_and_paths),
        cmocka_unit_test(test_deny),
        cmocka_unit_test(test_failing_writes),
        cmocka_unit_test(test_diff_and_load_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
