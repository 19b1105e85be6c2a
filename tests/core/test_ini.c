/* Unit tests: the byte-keeping INI reader and editor (wizard/core/formats/ini.c) on
 * profiles.ini / installs.ini and a Becky!-style Shift_JIS file from
 * tests/data/mozilla/, and every malformed .ini in malformed/EXPECTED.tsv. */
#include "moztest.h"

#include "error.h"
#include "ini.h"

static ini_file *load(const char *rel, strbuf *orig)
{
    strbuf_init(orig);
    moztest_read(rel, orig);
    ini_file *f = NULL;
    ms_error err;
    ms_code rc = ini_parse(orig->buf, orig->len, &f, &err);
    if (rc != MS_OK)
        fail_msg("%s: %s %s", rel, ms_code_name(rc), err.detail);
    return f;
}

static void assert_bytes(const ini_file *f, const char *want, size_t want_len)
{
    strbuf out;
    strbuf_init(&out);
    ini_serialize(f, &out);
    if (out.len != want_len || memcmp(out.buf, want, want_len) != 0)
        fail_msg("bytes differ:\n--- got\n%s\n--- want\n%.*s", out.buf, (int)want_len, want);
    strbuf_free(&out);
}

static void expect(const ini_file *f, const char *sec, const char *key, const char *want)
{
    const char *v = NULL;
    size_t len = 0;
    bool found = false;
    ms_error err;
    assert_int_equal(ini_get(f, sec, key, &v, &len, &found, &err), MS_OK);
    if (!want) {
        assert_false(found);
        return;
    }
    if (!found)
        fail_msg("[%s] %s: not found", sec, key);
    assert_int_equal(len, strlen(want));
    assert_memory_equal(v, want, len);
}

static void test_round_trip(void **state)
{
    (void)state;
    static const char *const files[] = {"mozilla/profiles.ini", "mozilla/profiles-tb2.ini",
                                        "mozilla/installs.ini", "mozilla/sjis-mailbox.ini",
                                        "mozilla/sjis-mailbox.expected.ini"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        strbuf orig;
        ini_file *f = load(files[i], &orig);
        assert_bytes(f, orig.buf, orig.len);
        ini_free(f);
        strbuf_free(&orig);
    }
}

static void test_read(void **state)
{
    (void)state;
    strbuf orig;
    ini_file *f = load("mozilla/profiles.ini", &orig);
    assert_string_equal(ini_newline(f), "\n");
    assert_int_equal(ini_section_count(f), 5);
    size_t len;
    const char *name = ini_section_name(f, 0, &len);
    assert_int_equal(len, 8);
    assert_memory_equal(name, "Profile2", 8);
    expect(f, "Profile0", "Path", "Profiles/k3n9x2ab.default");
    expect(f, "profile0", "PATH", "Profiles/k3n9x2ab.default"); /* ASCII case-insensitive */
    expect(f, "Profile0", "Default", "1");
    expect(f, "Profile1", "Default", NULL);
    expect(f, "NoSuch", "Path", NULL);
    expect(f, "Profile2", "Path", "D:\\\xe3\x83\xa1\xe3\x83\xbc\xe3\x83\xab\\Thunderbird\\"
                                  "\xe4\xbb\x95\xe4\xba\x8b\xe7\x94\xa8");
    assert_int_equal(ini_key_count(f, 4), 2);
    const char *k, *v;
    size_t kl, vl;
    assert_true(ini_key_at(f, 4, 1, &k, &kl, &v, &vl));
    assert_memory_equal(k, "Locked", kl);
    assert_memory_equal(v, "1", vl);
    assert_false(ini_key_at(f, 4, 2, &k, &kl, &v, &vl));
    ini_free(f);
    strbuf_free(&orig);

    /* Shift_JIS: names and values are bytes; spaces around '=' are not part
     * of either; a trail byte that looks like an ASCII letter is not folded. */
    f = load("mozilla/sjis-mailbox.ini", &orig);
    assert_string_equal(ini_newline(f), "\r\n");
    expect(f, "Account", "SMTPServer", "mail.example.ne.jp");
    expect(f, "Account", "Name", "\x8e\x52\x93\x63\x82\xcc\x83\x81\x81\x5b\x83\x8b");
    /* [ゾーン表]: 表 is 0x95 0x5C, and ア is 0x83 0x41 ('A' as a trail byte) */
    expect(f, "\x83\x5d\x81\x5b\x83\x93\x95\x5c", "Key\x83\x41", "\x95\x5c\x8e\xa6");
    expect(f, "\x83\x5d\x81\x5b\x83\x93\x95\x5c", "Key\x83\x61", NULL);
    expect(f, "\x83\x5d\x81\x5b\x83\x93\x95\x5c", "Keya", "ascii");
    expect(f, "\x83\x5d\x81\x5b\x83\x93\x95\x5c", "KEYA", "ascii");
    ini_free(f);
    strbuf_free(&orig);
}

/* The Becky! edit: one value replaced in place, one key added after the
 * section's last key, Shift_JIS and CRLF kept: the expected file exactly. */
static void test_edit_sjis(void **state)
{
    (void)state;
    strbuf orig, want;
    ini_file *f = load("mozilla/sjis-mailbox.ini", &orig);
    strbuf_init(&want);
    moztest_read("mozilla/sjis-mailbox.expected.ini", &want);
    ms_error err;
    assert_int_equal(ini_set(f, "Account", "SMTPPort", "587", 3, &err), MS_OK);
    assert_int_equal(ini_set(f, "Account", "SMTPAuth", "1", 1, &err), MS_OK);
    assert_bytes(f, want.buf, want.len);
    /* Setting the same value again changes nothing. */
    assert_int_equal(ini_set(f, "account", "smtpport", "587", 3, &err), MS_OK);
    assert_bytes(f, want.buf, want.len);
    ini_free(f);
    strbuf_free(&orig);
    strbuf_free(&want);
}

static void test_edit_more(void **state)
{
    (void)state;
    strbuf orig;
    ini_file *f = load("mozilla/installs.ini", &orig);
    ms_error err;
    /* A new section goes to the end, with a line end before it if needed. */
    assert_int_equal(ini_set(f, "New", "Key", "v a l", 5, &err), MS_OK);
    strbuf want;
    strbuf_init(&want);
    strbuf_add(&want, orig.buf, orig.len);
    strbuf_addstr(&want, "[New]\nKey=v a l\n");
    assert_bytes(f, want.buf, want.len);
    strbuf_free(&want);
    bool removed = false;
    assert_int_equal(ini_remove(f, "308046B0AF4A39CB", "Locked", &removed, &err), MS_OK);
    assert_true(removed);
    expect(f, "308046B0AF4A39CB", "Locked", NULL);
    assert_int_equal(ini_remove(f, "308046B0AF4A39CB", "Locked", &removed, &err), MS_OK);
    assert_false(removed);
    ini_free(f);
    strbuf_free(&orig);

    /* Values that would break the file are refused; nothing changes. */
    f = load("mozilla/profiles-tb2.ini", &orig);
    assert_int_equal(ini_set(f, "General", "Key", "a\r\nb", 4, &err), MS_ERR_INI_BAD_SET);
    assert_int_equal(ini_set(f, "General", "K=ey", "x", 1, &err), MS_ERR_INI_BAD_SET);
    assert_int_equal(ini_set(f, "Gen]eral", "Key", "x", 1, &err), MS_ERR_INI_BAD_SET);
    assert_int_equal(ini_set(f, "General", ";Key", "x", 1, &err), MS_ERR_INI_BAD_SET);
    assert_int_equal(ini_set(f, "General", "Key", "a\0b", 3, &err), MS_ERR_INI_BAD_SET);
    assert_bytes(f, orig.buf, orig.len);
    /* Spaces around an existing value stay. */
    ini_free(f);
    strbuf_free(&orig);
}

/* A section or key written twice is ambiguous: read and write both refuse. */
static void test_duplicate(void **state)
{
    (void)state;
    static const char text[] = "[A]\r\nk=1\r\nk=2\r\n[B]\r\nx=1\r\n[b]\r\ny=2\r\n";
    ini_file *f;
    ms_error err;
    assert_int_equal(ini_parse(text, sizeof text - 1, &f, &err), MS_OK);
    const char *v;
    size_t len;
    bool found;
    assert_int_equal(ini_get(f, "A", "k", &v, &len, &found, &err), MS_ERR_INI_DUPLICATE);
    assert_non_null(strstr(err.detail, "k"));
    assert_int_equal(ini_get(f, "B", "x", &v, &len, &found, &err), MS_ERR_INI_DUPLICATE);
    assert_int_equal(ini_set(f, "A", "k", "3", 1, &err), MS_ERR_INI_DUPLICATE);
    assert_bytes(f, text, sizeof text - 1);
    ini_free(f);
}

static void test_malformed(void **state)
{
    (void)state;
    moztest_case cases[64];
    size_t n = moztest_cases(".ini", cases, 64);
    assert_true(n >= 9);
    for (size_t i = 0; i < n; i++) {
        char rel[256];
        snprintf(rel, sizeof rel, "mozilla/malformed/%s", cases[i].file);
        strbuf sb;
        strbuf_init(&sb);
        moztest_read(rel, &sb);
        ini_file *f = (ini_file *)&sb;
        ini_where w = {0, 0, 0};
        ms_error err;
        ms_error_clear(&err);
        ms_code rc = ini_parse_at(sb.buf, sb.len, &f, &w, &err);
        if (strcmp(ms_code_name(rc), cases[i].code) != 0 || w.line != cases[i].line ||
            w.col != cases[i].col)
            fail_msg("%s: got %s at %u:%u (%s), want %s at %u:%u", cases[i].file,
                     ms_code_name(rc), w.line, w.col, err.detail, cases[i].code, cases[i].line,
                     cases[i].col);
        assert_null(f);
        char pos[32];
        snprintf(pos, sizeof pos, "%u:%u", w.line, w.col);
        assert_memory_equal(err.detail, pos, strlen(pos));
        char msg[1024];
        ms_error_format(&err, MS_LANG_EN, msg, sizeof msg);
        assert_non_null(strstr(msg, pos));
        assert_non_null(strstr(msg, "unchanged"));
        assert_true(ms_code_helpdesk(rc)[0] == 'F');
        strbuf_free(&sb);
    }
}

static void test_limits(void **state)
{
    (void)state;
    ini_file *f;
    ms_error err;
    assert_int_equal(ini_parse("", INI_MAX_BYTES + 1, &f, &err), MS_ERR_INI_TOO_LARGE);
    assert_null(f);
    assert_int_equal(ini_parse("", 0, &f, &err), MS_OK);
    assert_int_equal(ini_section_count(f), 0);
    assert_string_equal(ini_newline(f), "\r\n");
    assert_int_equal(ini_set(f, "S", "k", "v", 1, &err), MS_OK);
    assert_bytes(f, "[S]\r\nk=v\r\n", 10);
    ini_free(f);
    /* A UTF-8 BOM is kept; comments of both kinds and blank lines too. */
    static const char bom[] = "\xef\xbb\xbf; c\r\n# d\r\n\r\n[S]\r\n  k  =  v  \r\n";
    assert_int_equal(ini_parse(bom, sizeof bom - 1, &f, &err), MS_OK);
    expect(f, "S", "k", "v");
    assert_int_equal(ini_set(f, "S", "k", "w", 1, &err), MS_OK);
    assert_bytes(f, "\xef\xbb\xbf; c\r\n# d\r\n\r\n[S]\r\n  k  =  w  \r\n",
                 sizeof bom - 1);
    ini_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip), cmocka_unit_test(test_read),
        cmocka_unit_test(test_edit_sjis),  cmocka_unit_test(test_edit_more),
        cmocka_unit_test(test_duplicate),  cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
