/* Unit tests: .reg files (tests/data/reg/parse/ and the OE fixtures) read
 * in all three forms regedit knows, refused with the line when broken, and
 * written back so that reading the export gives the same registry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "memreg.h"
#include "platform.h"
#include "reg.h"
#include "regfile.h"

static void data_path(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/reg/%s", MS_TEST_DATA, name);
}

static ms_code load(const char *name, regfile *rf, ms_error *err)
{
    char path[512];
    data_path(path, sizeof path, name);
    return regfile_load(path, rf, err);
}

static const regfile_op *find_op(const regfile *rf, regfile_op_kind kind, const char *name)
{
    for (size_t i = 0; i < rf->count; i++)
        if (rf->ops[i].kind == kind && (!name || (rf->ops[i].name &&
                                                  strcmp(rf->ops[i].name, name) == 0)))
            return &rf->ops[i];
    return NULL;
}

static void assert_bytes(const regfile_op *op, uint32_t type, const void *data, size_t len)
{
    assert_non_null(op);
    assert_int_equal(op->type, type);
    assert_int_equal(op->data.len, len);
    if (len)
        assert_memory_equal(op->data.buf, data, len);
}

/* Every value kind of the REGEDIT4 fixture, byte for byte. */
static void test_v4_values(void **state)
{
    (void)state;
    regfile rf;
    ms_error err;
    assert_int_equal(load("parse/v4-ascii.reg", &rf, &err), MS_OK);
    assert_int_equal(rf.format, REGFILE_V4);
    /* [key], 10 values, [-key] */
    assert_int_equal(rf.count, 12);
    assert_int_equal(rf.ops[0].kind, REGFILE_KEY);
    assert_string_equal(rf.ops[0].key, "HKEY_CURRENT_USER\\Software\\mailsetup-test");
    assert_int_equal(rf.ops[0].line, 4);

    assert_bytes(find_op(&rf, REGFILE_VALUE, ""), MS_REG_SZ,
                 "d\0e\0f\0a\0u\0l\0t\0 \0v\0a\0l\0u\0e\0\0", 28);
    const regfile_op *p = find_op(&rf, REGFILE_VALUE, "Path");
    assert_non_null(p);
    /* "C:\\Program Files\\..." is C:\Program Files\...: 45 characters + NUL */
    assert_int_equal(p->data.len, 2 * (strlen("C:\\Program Files\\Outlook Express\\msimn.exe") + 1));
    assert_int_equal((unsigned char)p->data.buf[4], '\\');
    const regfile_op *q = find_op(&rf, REGFILE_VALUE, "Quoted");
    assert_bytes(q, MS_REG_SZ, "s\0a\0y\0 \0\"\0h\0i\0\"\0\0", 18);
    assert_bytes(find_op(&rf, REGFILE_VALUE, "Port"), MS_REG_DWORD, "\x4b\x02\0\0", 4);
    assert_bytes(find_op(&rf, REGFILE_VALUE, "Small"), MS_REG_DWORD, "\x19\0\0\0", 4);
    unsigned char blob[26];
    for (unsigned i = 0; i < sizeof blob; i++)
        blob[i] = (unsigned char)i;
    const regfile_op *b = find_op(&rf, REGFILE_VALUE, "Blob");
    assert_bytes(b, MS_REG_BINARY, blob, sizeof blob);
    assert_int_equal(b->line, 10); /* where it starts, not where it ends */
    assert_bytes(find_op(&rf, REGFILE_VALUE, "Expand"), MS_REG_EXPAND_SZ,
                 "%\0A\0P\0P\0D\0A\0T\0A\0%\0\0", 20);
    assert_bytes(find_op(&rf, REGFILE_VALUE, "Multi"), MS_REG_MULTI_SZ, "a\0\0\0b\0\0\0\0", 10);
    assert_bytes(find_op(&rf, REGFILE_VALUE, "Empty"), MS_REG_BINARY, "", 0);
    assert_non_null(find_op(&rf, REGFILE_DELETE_VALUE, "Gone"));
    const regfile_op *dk = find_op(&rf, REGFILE_DELETE_KEY, NULL);
    assert_non_null(dk);
    assert_string_equal(dk->key, "HKEY_CURRENT_USER\\Software\\mailsetup-test\\Old");
    regfile_free(&rf);
}

/* regedit's UTF-16 export and the same text as UTF-8 with a BOM read the
 * same, Japanese names included. */
static void test_v5_utf16_equals_utf8(void **state)
{
    (void)state;
    regfile a, b;
    ms_error err;
    assert_int_equal(load("parse/v5-utf16.reg", &a, &err), MS_OK);
    assert_int_equal(load("parse/v5-utf8-bom.reg", &b, &err), MS_OK);
    assert_int_equal(a.format, REGFILE_V5_UTF16);
    assert_int_equal(b.format, REGFILE_V5_UTF8);
    assert_int_equal(a.count, b.count);
    assert_int_equal(a.count, 14);
    for (size_t i = 0; i < a.count; i++) {
        assert_int_equal(a.ops[i].kind, b.ops[i].kind);
        assert_int_equal(a.ops[i].line, b.ops[i].line);
        assert_string_equal(a.ops[i].key, b.ops[i].key);
        assert_int_equal(a.ops[i].type, b.ops[i].type);
        assert_int_equal(a.ops[i].data.len, b.ops[i].data.len);
        if (a.ops[i].data.len)
            assert_memory_equal(a.ops[i].data.buf, b.ops[i].data.buf, a.ops[i].data.len);
    }
    const regfile_op *jp = find_op(&a, REGFILE_VALUE, "表示名");
    assert_non_null(jp);
    assert_string_equal(jp->key, "HKEY_CURRENT_USER\\Software\\mailsetup-test\\日本語");
    /* 山 is U+5C71: 71 5C in UTF-16LE */
    assert_int_equal((unsigned char)jp->data.buf[0], 0x71);
    assert_int_equal((unsigned char)jp->data.buf[1], 0x5C);
    regfile_free(&a);
    regfile_free(&b);
}

struct bad_case {
    const char *file;
    ms_code code;
    const char *where; /* must appear in the message: file:line */
};

static const struct bad_case bad_cases[] = {
    {"parse/bad-header.reg", MS_ERR_REGFILE_HEADER, "bad-header.reg:1"},
    {"parse/bad-hex.reg", MS_ERR_REGFILE_SYNTAX, "bad-hex.reg:5"},
    {"parse/bad-quote.reg", MS_ERR_REGFILE_SYNTAX, "bad-quote.reg:4"},
    {"parse/bad-value-before-key.reg", MS_ERR_REGFILE_SYNTAX, "bad-value-before-key.reg:3"},
    {"parse/bad-dword.reg", MS_ERR_REGFILE_SYNTAX, "bad-dword.reg:4"},
    {"parse/bad-root.reg", MS_ERR_REGFILE_SYNTAX, "bad-root.reg:3"},
    {"parse/bad-continuation-eof.reg", MS_ERR_REGFILE_SYNTAX, "bad-continuation-eof.reg:4"},
    {"parse/bad-escape.reg", MS_ERR_REGFILE_SYNTAX, "bad-escape.reg:4"},
    {"parse/bad-v4-cp932.reg", MS_ERR_REGFILE_ENCODING, "bad-v4-cp932.reg:4"},
    {"parse/bad-utf16-surrogate.reg", MS_ERR_REGFILE_ENCODING, "bad-utf16-surrogate.reg:4"},
};

static void test_broken_files(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        regfile rf;
        ms_error err;
        ms_error_clear(&err);
        ms_code rc = load(bad_cases[i].file, &rf, &err);
        if (rc != bad_cases[i].code)
            fail_msg("%s: got %s (%s)", bad_cases[i].file, ms_code_name(rc), err.detail);
        if (!strstr(err.detail, bad_cases[i].where))
            fail_msg("%s: message \"%s\" lacks \"%s\"", bad_cases[i].file, err.detail,
                     bad_cases[i].where);
        assert_int_equal(rf.count, 0);
        regfile_free(&rf);
    }
}

/* Load a fixture, export, parse the export (UTF-8 and regedit's UTF-16):
 * the same registry each time. */
static void roundtrip(const char *fixture)
{
    char path[512];
    data_path(path, sizeof path, fixture);
    memreg *a = memreg_new();
    ms_error err;
    if (memreg_load_file(a, path, &err) != MS_OK)
        fail_msg("%s: %s", fixture, err.detail);
    strbuf text, wide;
    strbuf_init(&text);
    strbuf_init(&wide);
    memreg_export(a, &text);
    assert_true(regfile_to_utf16(text.buf, text.len, &wide));
    const strbuf *forms[] = {&text, &wide};
    for (size_t f = 0; f < 2; f++) {
        regfile rf;
        if (regfile_parse(forms[f]->buf, forms[f]->len, "export", &rf, &err) != MS_OK)
            fail_msg("%s export (%zu): %s", fixture, f, err.detail);
        memreg *b = memreg_new();
        assert_int_equal(memreg_load(b, &rf, &err), MS_OK);
        strbuf diff;
        strbuf_init(&diff);
        size_t nd = memreg_diff(a, b, &diff);
        if (nd)
            fail_msg("%s: %zu differences after export:\n%s", fixture, nd, diff.buf);
        strbuf_free(&diff);
        memreg_free(b);
        regfile_free(&rf);
    }
    strbuf_free(&text);
    strbuf_free(&wide);
    memreg_free(a);
}

static void test_roundtrip_fixtures(void **state)
{
    (void)state;
    roundtrip("oe-117net.reg");
    roundtrip("oe-micnet.reg");
    roundtrip("oe-japan-net.reg");
    roundtrip("oe-broken-size.reg");
    roundtrip("parse/v5-utf16.reg");
}

/* The writer: regedit's 80 columns, and text a "..." cannot hold. */
static void test_writer(void **state)
{
    (void)state;
    strbuf out;
    strbuf_init(&out);
    unsigned char blob[200];
    for (unsigned i = 0; i < sizeof blob; i++)
        blob[i] = (unsigned char)i;
    regfile_write_value(&out, "POP3 Password2 look-alike", MS_REG_BINARY, blob, sizeof blob);
    for (const char *line = out.buf; *line;) {
        const char *nl = strchr(line, '\n');
        assert_non_null(nl);
        assert_true(nl - line <= 80);
        line = nl + 1;
    }
    strbuf_reset(&out);
    /* "a\nb" as REG_SZ: written as hex(1) */
    regfile_write_value(&out, "Multi line", MS_REG_SZ, "a\0\n\0b\0\0", 8);
    assert_string_equal(out.buf, "\"Multi line\"=hex(1):61,00,0a,00,62,00,00,00\n");
    strbuf_reset(&out);
    /* REG_DWORD of the wrong size keeps its bytes: hex(4) */
    regfile_write_value(&out, "SMTP Use Sicily", MS_REG_DWORD, "\x02\x00", 2);
    assert_string_equal(out.buf, "\"SMTP Use Sicily\"=hex(4):02,00\n");
    strbuf_reset(&out);
    regfile_write_value(&out, "Quote\"and\\slash", MS_REG_SZ, "x\0\0", 4);
    assert_string_equal(out.buf, "\"Quote\\\"and\\\\slash\"=\"x\"\n");
    strbuf_reset(&out);
    regfile_write_value(&out, "", MS_REG_DWORD, "\x4b\x02\0\0", 4);
    assert_string_equal(out.buf, "@=dword:0000024b\n");
    strbuf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_v4_values),
        cmocka_unit_test(test_v5_utf16_equals_utf8),
        cmocka_unit_test(test_broken_files),
        cmocka_unit_test(test_roundtrip_fixtures),
        cmocka_unit_test(test_writer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
