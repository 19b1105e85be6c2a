/* Unit tests: the .oeaccount reader and byte-preserving editor
 * (wizard/core/formats/oeaccount.c) on the fixtures of tests/data/wlmail/: every
 * encoding read and written back byte for byte, the manuals' edits giving
 * exactly the expected/ files bytes, the damaged files of broken/
 * refused with the file named, and the secret filter of the journal. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "error.h"
#include "oeaccount.h"
#include "platform.h"
#include "strbuf.h"

#define DATA MS_TEST_DATA "/wlmail/"
#define LF DATA "store/Local Folders/"
#define F_117 LF "account{6F1C2B8E-3A4D-4E5F-8A9B-117000000001}.oeaccount"
#define F_MIC LF "account{0B7E4C21-9D3A-4F6B-A1C2-3D4E5F600002}.oeaccount"
#define F_OTHER LF "account{A3D5E7F9-1B2C-4D3E-9F8A-7B6C5D4E0003}.oeaccount"
#define F_JN LF "account{C4E6A8B0-2D3F-4A5B-8C7D-9E0F1A2B0004}.oeaccount"
#define F_IMAP DATA "store/E1F2A3B4-C5D6-4E7F-8091-A2B3C4D50005/" \
                    "account{E1F2A3B4-C5D6-4E7F-8091-A2B3C4D50005}.oeaccount"

static void bytes_of(const char *path, strbuf *out)
{
    strbuf_init(out);
    ms_error err;
    if (ms_file_read(path, 1 << 20, out, &err) != MS_OK)
        fail_msg("%s: %s", path, err.detail);
}

static void load(const char *path, oeacct_doc *d)
{
    ms_error err;
    ms_code rc = oeacct_load(path, d, &err);
    if (rc != MS_OK)
        fail_msg("%s: %s", path, err.detail);
}

static void assert_serializes_to(const oeacct_doc *d, const strbuf *want)
{
    strbuf got;
    strbuf_init(&got);
    ms_error err;
    assert_int_equal(oeacct_serialize(d, &got, &err), MS_OK);
    if (got.len != want->len || memcmp(got.buf, want->buf, got.len) != 0) {
        size_t k = 0;
        while (k < got.len && k < want->len && got.buf[k] == want->buf[k])
            k++;
        fail_msg("bytes differ at %zu (got %zu bytes, want %zu)", k, got.len, want->len);
    }
    strbuf_free(&got);
}

/* Every fixture of the store reads and writes back byte for byte, in its
 * own encoding. */
static void test_round_trip_encodings(void **state)
{
    (void)state;
    struct {
        const char *path;
        oeacct_encoding enc;
        const char *nl;
    } cases[] = {{F_117, OEACCT_UTF16LE_BOM, "\r\n"},
                 {F_MIC, OEACCT_UTF16LE_BOM, "\r\n"},
                 {F_OTHER, OEACCT_UTF16LE_BOM, "\r\n"},
                 {F_JN, OEACCT_UTF8, "\n"},
                 {F_IMAP, OEACCT_UTF16LE_BOM, "\r\n"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        oeacct_doc d;
        strbuf raw;
        load(cases[i].path, &d);
        bytes_of(cases[i].path, &raw);
        assert_int_equal(d.enc, cases[i].enc);
        assert_string_equal(d.newline, cases[i].nl);
        assert_serializes_to(&d, &raw);
        strbuf_free(&raw);
        oeacct_free(&d);
    }
}

static void test_read_values(void **state)
{
    (void)state;
    oeacct_doc d;
    ms_error err;
    char *s;
    uint32_t v;
    bool present;
    load(F_117, &d);
    assert_int_equal(oeacct_get_str(&d, "SMTP_Display_Name", &s, &err), MS_OK);
    assert_string_equal(s, "山田 太郎");
    free(s);
    /* Names are looked up case-insensitively. */
    assert_int_equal(oeacct_get_str(&d, "pop3_server", &s, &err), MS_OK);
    assert_string_equal(s, "vp.117.ne.jp");
    free(s);
    /* Absent: the default. */
    assert_int_equal(oeacct_get_dword(&d, "SMTP_Port", 25, &v, &present, &err), MS_OK);
    assert_false(present);
    assert_int_equal(v, 25);
    assert_int_equal(oeacct_get_str(&d, "SMTP_User_Name", &s, &err), MS_OK);
    assert_null(s);
    /* The type is checked. */
    assert_int_equal(oeacct_get_dword(&d, "SMTP_Server", 0, &v, &present, &err),
                     MS_ERR_OEACCOUNT_VALUE);
    assert_non_null(strstr(err.detail, "has type SZ, not DWORD"));
    assert_non_null(strstr(err.detail, "account{6F1C2B8E"));
    oeacct_free(&d);

    load(F_MIC, &d);
    assert_int_equal(oeacct_get_dword(&d, "SMTP_Port", 0, &v, &present, &err), MS_OK);
    assert_true(present);
    assert_int_equal(v, 25); /* "00000019" is hexadecimal */
    oeacct_free(&d);

    load(F_OTHER, &d);
    assert_int_equal(oeacct_get_dword(&d, "SMTP_Port", 0, &v, &present, &err), MS_OK);
    assert_int_equal(v, 587); /* 0000024b */
    oeacct_free(&d);

    /* Character references resolved. */
    load(F_JN, &d);
    assert_int_equal(oeacct_get_str(&d, "SMTP_Display_Name", &s, &err), MS_OK);
    assert_string_equal(s, "田中 次郎 & 家族");
    free(s);
    oeacct_free(&d);
}

/* Microsoft's documented spellings: an SZ "0" or "FALSE" is empty, a
 * DWORD may be TRUE/FALSE or fewer than eight digits. */
static void test_documented_forms(void **state)
{
    (void)state;
    const char *x = "<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n<MessageAccount>\n"
                    "    <Account_Name type=\"SZ\">0</Account_Name>\n"
                    "    <SMTP_Display_Name type=\"SZ\">FALSE</SMTP_Display_Name>\n"
                    "    <IMAP_Polling type=\"DWORD\">TRUE</IMAP_Polling>\n"
                    "    <SMTP_Port type=\"DWORD\">19</SMTP_Port>\n"
                    "    <SMTP_Timeout type=\"DWORD\"><![CDATA[3c]]></SMTP_Timeout>\n"
                    "    <!-- a comment -->\n"
                    "    <SMTP_Signature type=\"SZ\"/>\n"
                    "</MessageAccount>\n";
    oeacct_doc d;
    ms_error err;
    assert_int_equal(oeacct_parse(x, strlen(x), "doc.oeaccount", &d, &err), MS_OK);
    char *s;
    uint32_t v;
    bool present;
    assert_int_equal(oeacct_get_str(&d, "Account_Name", &s, &err), MS_OK);
    assert_string_equal(s, "");
    free(s);
    assert_int_equal(oeacct_get_str(&d, "SMTP_Display_Name", &s, &err), MS_OK);
    assert_string_equal(s, "");
    free(s);
    assert_int_equal(oeacct_get_dword(&d, "IMAP_Polling", 0, &v, &present, &err), MS_OK);
    assert_int_equal(v, 1);
    assert_int_equal(oeacct_get_dword(&d, "SMTP_Port", 0, &v, &present, &err), MS_OK);
    assert_int_equal(v, 25);
    assert_int_equal(oeacct_get_dword(&d, "SMTP_Timeout", 0, &v, &present, &err), MS_OK);
    assert_int_equal(v, 60);
    /* An empty-tag element gains content with its start tag kept. */
    assert_int_equal(oeacct_set_str(&d, "SMTP_Signature", "sig", &err), MS_OK);
    strbuf out;
    strbuf_init(&out);
    assert_int_equal(oeacct_serialize(&d, &out, &err), MS_OK);
    assert_non_null(strstr(out.buf, "<SMTP_Signature type=\"SZ\">sig</SMTP_Signature>\n"));
    assert_non_null(strstr(out.buf, "<!-- a comment -->"));
    strbuf_free(&out);
    oeacct_free(&d);
}

/* Applies the manuals' edits in plan order. */
static void edit_like_plan(const char *path, const char *smtp, const char *pop3,
                           const char *pop3_user, const char *want_path)
{
    oeacct_doc d;
    ms_error err;
    load(path, &d);
    if (smtp)
        assert_int_equal(oeacct_set_str(&d, "SMTP_Server", smtp, &err), MS_OK);
    assert_int_equal(oeacct_set_dword(&d, "SMTP_Port", 587, &err), MS_OK);
    assert_int_equal(oeacct_set_dword(&d, "SMTP_Use_Sicily", 2, &err), MS_OK);
    if (pop3)
        assert_int_equal(oeacct_set_str(&d, "POP3_Server", pop3, &err), MS_OK);
    if (pop3_user)
        assert_int_equal(oeacct_set_str(&d, "POP3_User_Name", pop3_user, &err), MS_OK);
    strbuf want;
    bytes_of(want_path, &want);
    assert_serializes_to(&d, &want);
    strbuf_free(&want);
    oeacct_free(&d);
}

static void test_edits_give_expected_bytes(void **state)
{
    (void)state;
    /* Values replaced in place, SMTP_Port and SMTP_Use_Sicily added after
     * the last SMTP_ property with the same indentation and line end. */
    edit_like_plan(F_117, "vsmtp.117.ne.jp", "vpop.117.ne.jp", "taro@vp.117.ne.jp",
                   DATA "expected/117net.oeaccount");
    /* Existing 00000019 / 00000000 replaced in place. */
    edit_like_plan(F_MIC, "smtp.micnet.ne.jp", NULL, NULL, DATA "expected/micnet.oeaccount");
    /* UTF-8 without BOM, LF, four spaces, no final newline: all kept. */
    edit_like_plan(F_JN, NULL, NULL, NULL, DATA "expected/japan-net.oeaccount");
}

static void test_same_value_changes_nothing(void **state)
{
    (void)state;
    oeacct_doc d;
    ms_error err;
    strbuf raw;
    load(F_OTHER, &d);
    bytes_of(F_OTHER, &raw);
    assert_int_equal(oeacct_set_dword(&d, "SMTP_Port", 587, &err), MS_OK);
    assert_int_equal(oeacct_set_str(&d, "SMTP_Server", "smtp.example-isp.co.jp", &err), MS_OK);
    assert_int_equal(oeacct_set_dword(&d, "SMTP_Use_Sicily", 2, &err), MS_OK);
    assert_serializes_to(&d, &raw);
    strbuf_free(&raw);
    oeacct_free(&d);
}

static void test_escape_and_remove(void **state)
{
    (void)state;
    oeacct_doc d;
    ms_error err;
    char *s;
    load(F_117, &d);
    assert_int_equal(oeacct_set_str(&d, "SMTP_User_Name", "a<b>&c 日本", &err), MS_OK);
    strbuf out;
    strbuf_init(&out);
    assert_int_equal(oeacct_serialize(&d, &out, &err), MS_OK);
    /* Re-parse what was written: the value comes back. */
    oeacct_doc d2;
    assert_int_equal(oeacct_parse(out.buf, out.len, "again", &d2, &err), MS_OK);
    assert_int_equal(oeacct_get_str(&d2, "SMTP_User_Name", &s, &err), MS_OK);
    assert_string_equal(s, "a<b>&c 日本");
    free(s);
    oeacct_free(&d2);
    /* Removing it gives the original bytes back (the line goes too). */
    assert_int_equal(oeacct_remove(&d, "SMTP_User_Name", &err), MS_OK);
    strbuf raw;
    bytes_of(F_117, &raw);
    assert_serializes_to(&d, &raw);
    /* A control character has no place in a setting. */
    assert_int_equal(oeacct_set_str(&d, "SMTP_Server", "a\x01z", &err), MS_ERR_OEACCOUNT_VALUE);
    assert_serializes_to(&d, &raw);
    strbuf_free(&raw);
    strbuf_free(&out);
    oeacct_free(&d);
}

/* Setting a DWORD on an SZ property is refused and changes nothing. */
static void test_type_mismatch_refused(void **state)
{
    (void)state;
    oeacct_doc d;
    ms_error err;
    strbuf raw;
    load(F_117, &d);
    bytes_of(F_117, &raw);
    assert_int_equal(oeacct_set_dword(&d, "SMTP_Server", 587, &err), MS_ERR_OEACCOUNT_VALUE);
    assert_non_null(strstr(err.detail, "SMTP_Server"));
    assert_int_equal(oeacct_set_str(&d, "POP3_Password2", "x", &err), MS_ERR_OEACCOUNT_VALUE);
    assert_serializes_to(&d, &raw);
    strbuf_free(&raw);
    oeacct_free(&d);
}

/* broken/: every file that is malformed or in an unknown encoding is
 * refused by the parser, with the file and what is wrong in the message;
 * the files whose values are wrong parse, and reading the value fails. */
static void test_broken_files(void **state)
{
    (void)state;
    strbuf tsv;
    bytes_of(DATA "broken/EXPECTED.tsv", &tsv);
    size_t n = 0;
    for (char *line = strtok(tsv.buf, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] == '#')
            continue;
        char *file = line, *code = strchr(file, '\t');
        assert_non_null(code);
        *code++ = '\0';
        char *phrase = strchr(code, '\t');
        assert_non_null(phrase);
        *phrase++ = '\0';
        char path[512];
        snprintf(path, sizeof path, DATA "broken/%s", file);
        oeacct_doc d;
        ms_error err;
        ms_error_clear(&err);
        ms_code rc = oeacct_load(path, &d, &err);
        if (strcmp(code, "MS_ERR_OEACCOUNT_VALUE") == 0) {
            assert_int_equal(rc, MS_OK);
            char *s = NULL;
            uint32_t v;
            bool present;
            ms_code r1 = oeacct_get_dword(&d, "SMTP_Port", 25, &v, &present, &err);
            if (r1 == MS_OK && present && (v == 0 || v > 65535)) {
                /* in range for a DWORD: the back-end's port check */
                ms_fail(&err, MS_ERR_OEACCOUNT_VALUE, "%s: not a port number", path);
                r1 = MS_ERR_OEACCOUNT_VALUE;
            }
            if (r1 == MS_OK)
                r1 = oeacct_get_dword(&d, "SMTP_Use_Sicily", 0, &v, &present, &err);
            if (r1 == MS_OK && v > 3) {
                ms_fail(&err, MS_ERR_OEACCOUNT_VALUE, "%s: 0 to 3 expected", path);
                r1 = MS_ERR_OEACCOUNT_VALUE;
            }
            if (r1 == MS_OK)
                r1 = oeacct_get_str(&d, "SMTP_Server", &s, &err);
            free(s);
            rc = r1;
        }
        if (rc == MS_OK)
            fail_msg("%s: accepted", file);
        if (strcmp(ms_code_name(rc), code) != 0)
            fail_msg("%s: %s, expected %s (%s)", file, ms_code_name(rc), code, err.detail);
        if (!strstr(err.detail, file))
            fail_msg("%s: message does not name the file: %s", file, err.detail);
        if (!strstr(err.detail, phrase))
            fail_msg("%s: message lacks \"%s\": %s", file, phrase, err.detail);
        oeacct_free(&d);
        n++;
    }
    assert_true(n >= 10);
    strbuf_free(&tsv);
}

/* The journal's filter: the backup copy has no password; merged with the
 * file as it is at undo time, it is the original byte for byte. */
static void test_secret_filter(void **state)
{
    (void)state;
    strbuf raw, stripped, merged;
    bytes_of(F_117, &raw);
    strbuf_init(&stripped);
    strbuf_init(&merged);
    ms_error err;
    assert_int_equal(oeacct_secret_filter.strip(raw.buf, raw.len, &stripped, &err), MS_OK);
    oeacct_doc d;
    assert_int_equal(oeacct_parse(stripped.buf, stripped.len, "stripped", &d, &err), MS_OK);
    const oeacct_elem *e = oeacct_find(&d, "POP3_Password2");
    assert_non_null(e);
    assert_int_equal(e->text_end, e->text_start);
    assert_null(strstr(d.text.buf, "d08c9ddf"));
    oeacct_free(&d);
    assert_true(oeacct_is_secret("SMTP_Password2"));
    assert_false(oeacct_is_secret("POP3_Prompt_for_Password"));
    /* Merged with the edited file (which still holds the password). */
    strbuf after;
    bytes_of(DATA "expected/117net.oeaccount", &after);
    assert_int_equal(oeacct_secret_filter.merge(stripped.buf, stripped.len, after.buf, after.len,
                                                &merged, &err),
                     MS_OK);
    assert_int_equal(merged.len, raw.len);
    assert_memory_equal(merged.buf, raw.buf, raw.len);
    strbuf_free(&after);
    strbuf_free(&raw);
    strbuf_free(&stripped);
    strbuf_free(&merged);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_encodings),
        cmocka_unit_test(test_read_values),
        cmocka_unit_test(test_documented_forms),
        cmocka_unit_test(test_edits_give_expected_bytes),
        cmocka_unit_test(test_same_value_changes_nothing),
        cmocka_unit_test(test_escape_and_remove),
        cmocka_unit_test(test_type_mismatch_refused),
        cmocka_unit_test(test_broken_files),
        cmocka_unit_test(test_secret_filter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
