/* Unit tests: the prefs.js parser and byte-keeping editor (wizard/core/formats/prefs.c)
 * on the files in tests/data/mozilla/: byte-exact round trips, edits that
 * touch only their own value, Mozilla's escapes, and every malformed file in
 * tests/data/mozilla/malformed/ (EXPECTED.tsv) refused with its own error. */
#include "moztest.h"

#include "error.h"
#include "prefs.h"

static const char *const good_files[] = {
    "mozilla/tb2-prefs.js",          "mozilla/tb2-prefs.expected.js",
    "mozilla/tb-current-prefs.js",   "mozilla/tb-current-prefs.expected.js",
    "mozilla/netscape71-prefs.js",   "mozilla/netscape71-prefs.expected.js",
    "mozilla/hand-edited-prefs.js",  "mozilla/mixed-eol-prefs.js",
    "mozilla/non-utf8-prefs.js",
};

static prefs_file *load(const char *rel, strbuf *orig)
{
    strbuf_init(orig);
    moztest_read(rel, orig);
    prefs_file *pf = NULL;
    ms_error err;
    ms_code rc = prefs_parse(orig->buf, orig->len, &pf, &err);
    if (rc != MS_OK)
        fail_msg("%s: %s %s", rel, ms_code_name(rc), err.detail);
    return pf;
}

static void assert_bytes(const prefs_file *pf, const char *want, size_t want_len)
{
    strbuf out;
    strbuf_init(&out);
    prefs_serialize(pf, &out);
    assert_int_equal(out.len, want_len);
    assert_memory_equal(out.buf, want, want_len);
    strbuf_free(&out);
}

/* Every good file parses and serialises to the very same bytes. */
static void test_round_trip(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof good_files / sizeof good_files[0]; i++) {
        strbuf orig;
        prefs_file *pf = load(good_files[i], &orig);
        assert_bytes(pf, orig.buf, orig.len);
        size_t len;
        const char *d = prefs_data(pf, &len);
        assert_int_equal(len, orig.len);
        assert_memory_equal(d, orig.buf, len);
        assert_true(prefs_count(pf) > 0);
        prefs_free(pf);
        strbuf_free(&orig);
    }
}

static void expect_str(const prefs_file *pf, const char *name, const char *want)
{
    strbuf v;
    strbuf_init(&v);
    bool found = false;
    ms_error err;
    ms_code rc = prefs_get_string(pf, name, &v, &found, &err);
    if (rc != MS_OK)
        fail_msg("%s: %s %s", name, ms_code_name(rc), err.detail);
    if (!found)
        fail_msg("%s: not found", name);
    assert_string_equal(v.buf, want);
    strbuf_free(&v);
}

static void expect_int(const prefs_file *pf, const char *name, int32_t want)
{
    int32_t v = 0;
    bool found = false;
    assert_int_equal(prefs_get_int(pf, name, &v, &found, NULL), MS_OK);
    if (!found)
        fail_msg("%s: not found", name);
    assert_int_equal(v, want);
}

/* The hand-edited file uses every corner of the grammar; each value reads
 * as Mozilla reads it. */
static void test_values(void **state)
{
    (void)state;
    strbuf orig;
    prefs_file *pf = load("mozilla/hand-edited-prefs.js", &orig);
    expect_str(pf, "mail.smtpserver.smtp1.hostname", "smtp.example.ne.jp");
    expect_int(pf, "mail.smtpserver.smtp1.port", 2525); /* the last one wins */
    expect_str(pf, "mail.smtpserver.smtp1.username", "taro@example.ne.jp");
    expect_str(pf, "mail.identity.id1.fullName", "\xe5\xb1\xb1\xe7\x94\xb0 \xe5\xa4\xaa\xe9\x83\x8e");
    expect_str(pf, "mail.identity.id1.organization",
               "\xe6\xa0\xaa\xe5\xbc\x8f\xe4\xbc\x9a\xe7\xa4\xbe \"\xe3\x83\x86\xe3\x82\xb9"
               "\xe3\x83\x88\" \\ \xe6\x94\xaf\xe5\xba\x97");
    expect_str(pf, "mail.identity.id1.htmlSigText",
               "\xe4\xb8\x80\xe8\xa1\x8c\xe7\x9b\xae\n\xe4\xba\x8c\xe8\xa1\x8c\xe7\x9b\xae\r\n"
               "\xf0\x9f\x98\x80 \xf0\x9f\x98\x80 A 'q'");
    expect_str(pf, "mail.multi.line", "first line\nsecond line");
    expect_int(pf, "mail.neg", -12);
    expect_int(pf, "mail.min", INT32_MIN);
    expect_int(pf, "mail.max", INT32_MAX);
    bool b = false, found = false;
    assert_int_equal(prefs_get_bool(pf, "mail.tabbed", &b, &found, NULL), MS_OK);
    assert_true(found && b);
    expect_str(pf, "mail.smtp.defaultserver", "smtp1");
    /* pref / sticky_pref / lockPref are kept but not read by name. */
    assert_false(prefs_has(pf, "mail.smtpserver.smtp1.try_ssl"));
    assert_false(prefs_has(pf, "mail.test.locked"));
    prefs_entry e;
    bool saw_lock = false;
    for (size_t i = 0; prefs_entry_at(pf, i, &e); i++)
        if (e.kind == PREFS_LOCK_PREF && strcmp(e.name, "mail.test.locked") == 0)
            saw_lock = true;
    assert_true(saw_lock);
    /* A wrong type is an error, not a zero. */
    ms_error err;
    int32_t n;
    assert_int_equal(prefs_get_int(pf, "mail.smtpserver.smtp1.hostname", &n, &found, &err),
                     MS_ERR_PREFS_TYPE);
    assert_non_null(strstr(err.detail, "mail.smtpserver.smtp1.hostname"));
    prefs_free(pf);
    strbuf_free(&orig);
}

/* Returns the bytes of orig with the first occurrence of from replaced. */
static void replaced(const strbuf *orig, const char *from, const char *to, strbuf *out)
{
    const char *at = strstr(orig->buf, from);
    assert_non_null(at);
    strbuf_init(out);
    strbuf_add(out, orig->buf, (size_t)(at - orig->buf));
    strbuf_addstr(out, to);
    strbuf_addstr(out, at + strlen(from));
}

/* A set rewrites only the value of the last statement for the name. */
static void test_edit_in_place(void **state)
{
    (void)state;
    strbuf orig;
    prefs_file *pf = load("mozilla/hand-edited-prefs.js", &orig);
    ms_error err;
    assert_int_equal(prefs_set_int(pf, "mail.smtpserver.smtp1.port", 587, &err), MS_OK);
    strbuf want;
    replaced(&orig, "\"mail.smtpserver.smtp1.port\", 2525)", "\"mail.smtpserver.smtp1.port\", 587)",
             &want);
    assert_bytes(pf, want.buf, want.len);
    expect_int(pf, "mail.smtpserver.smtp1.port", 587);
    /* The earlier `+25` statement is untouched. */
    assert_non_null(strstr(want.buf, "+25 ) ;   // trailing comment"));
    strbuf_free(&want);

    /* Single quotes become Mozilla's double quotes only when the value changes. */
    assert_int_equal(prefs_set_string(pf, "mail.smtpserver.smtp1.hostname", "smtp.example.ne.jp",
                                      &err),
                     MS_OK);
    size_t len;
    const char *d = prefs_data(pf, &len);
    assert_non_null(strstr(d, "'smtp.example.ne.jp'"));
    assert_int_equal(
        prefs_set_string(pf, "mail.smtpserver.smtp1.hostname", "smtp2.example.ne.jp", &err), MS_OK);
    d = prefs_data(pf, &len);
    assert_non_null(strstr(d, "comment */ user_pref(\"mail.smtpserver.smtp1.hostname\",\"smtp2.example.ne.jp\");\n"));
    expect_str(pf, "mail.smtpserver.smtp1.hostname", "smtp2.example.ne.jp");

    /* A negative with a comment inside: the whole value span is replaced. */
    assert_int_equal(prefs_set_int(pf, "mail.neg", 5, &err), MS_OK);
    d = prefs_data(pf, &len);
    assert_non_null(strstr(d, "user_pref(\"mail.neg\", 5);\n"));
    /* A bool. */
    assert_int_equal(prefs_set_bool(pf, "mail.tabbed", false, &err), MS_OK);
    d = prefs_data(pf, &len);
    assert_non_null(strstr(d, "\t user_pref(\"mail.tabbed\",false)\t;\v\f\n"));
    /* Changing the type is allowed (Mozilla's user value replaces it). */
    assert_int_equal(prefs_set_string(pf, "mail.max", "x", &err), MS_OK);
    expect_str(pf, "mail.max", "x");
    prefs_free(pf);
    strbuf_free(&orig);
}

/* Setting a value it already has changes no byte. */
static void test_set_same_is_noop(void **state)
{
    (void)state;
    strbuf orig;
    prefs_file *pf = load("mozilla/tb-current-prefs.js", &orig);
    ms_error err;
    assert_int_equal(prefs_set_int(pf, "mail.smtpserver.smtp1.port", 25, &err), MS_OK);
    assert_int_equal(prefs_set_string(pf, "mail.smtpserver.smtp1.hostname", "mail.micnet.ne.jp",
                                      &err),
                     MS_OK);
    assert_int_equal(prefs_set_bool(pf, "mail.identity.id1.valid", true, &err), MS_OK);
    assert_bytes(pf, orig.buf, orig.len);
    prefs_free(pf);
    strbuf_free(&orig);
}

/* A new name is appended as one line ending like the file's first line. */
static void test_append(void **state)
{
    (void)state;
    strbuf orig;
    prefs_file *pf = load("mozilla/tb2-prefs.js", &orig);
    assert_string_equal(prefs_newline(pf), "\r\n");
    ms_error err;
    assert_int_equal(prefs_set_string(pf, "mail.smtpserver.smtp1.username", "hanako", &err), MS_OK);
    strbuf want;
    strbuf_init(&want);
    strbuf_add(&want, orig.buf, orig.len);
    strbuf_addstr(&want, "user_pref(\"mail.smtpserver.smtp1.username\", \"hanako\");\r\n");
    assert_bytes(pf, want.buf, want.len);
    strbuf_free(&want);
    prefs_free(pf);
    strbuf_free(&orig);

    /* First line ends in LF; the last line has no line end at all. */
    pf = load("mozilla/mixed-eol-prefs.js", &orig);
    assert_string_equal(prefs_newline(pf), "\n");
    assert_int_equal(prefs_set_int(pf, "a.new", 7, &err), MS_OK);
    size_t len;
    const char *d = prefs_data(pf, &len);
    assert_true(len > orig.len);
    assert_memory_equal(d, orig.buf, orig.len);
    /* A line end is put before the new line only when the file lacks one. */
    const char *tail = d + orig.len;
    size_t tl = len - orig.len;
    bool ends_nl = orig.len && (orig.buf[orig.len - 1] == '\n' || orig.buf[orig.len - 1] == '\r');
    const char *want_tail = ends_nl ? "user_pref(\"a.new\", 7);\n" : "\nuser_pref(\"a.new\", 7);\n";
    assert_int_equal(tl, strlen(want_tail));
    assert_memory_equal(tail, want_tail, tl);
    expect_int(pf, "a.cr", 3);
    expect_str(pf, "a.last", "end");
    /* The re-parse of what we wrote gives the same statements. */
    prefs_file *again = NULL;
    assert_int_equal(prefs_parse(d, len, &again, &err), MS_OK);
    assert_int_equal(prefs_count(again), prefs_count(pf));
    prefs_free(again);
    prefs_free(pf);
    strbuf_free(&orig);
}

/* Strings are escaped as Mozilla's StrEscape does, and read back the same. */
static void test_escaping(void **state)
{
    (void)state;
    strbuf lit;
    strbuf_init(&lit);
    const char raw[] = "a\"b\\c\nd\re'f\t\xe6\x97\xa5";
    prefs_escape(raw, sizeof raw - 1, &lit);
    assert_string_equal(lit.buf, "\"a\\\"b\\\\c\\nd\\re'f\t\xe6\x97\xa5\"");
    strbuf back;
    strbuf_init(&back);
    size_t bad = 0;
    assert_int_equal(prefs_unescape(lit.buf, lit.len, &back, &bad), MS_OK);
    assert_int_equal(back.len, sizeof raw - 1);
    assert_memory_equal(back.buf, raw, back.len);
    strbuf_free(&back);
    strbuf_free(&lit);

    strbuf orig;
    prefs_file *pf = load("mozilla/tb-current-prefs.js", &orig);
    ms_error err;
    assert_int_equal(prefs_set_string(pf, "mail.identity.id2.fullName", raw, &err), MS_OK);
    expect_str(pf, "mail.identity.id2.fullName", raw);
    size_t len;
    const char *d = prefs_data(pf, &len);
    assert_non_null(strstr(d, "user_pref(\"mail.identity.id2.fullName\", \"a\\\"b\\\\c\\nd\\re'f\t"
                              "\xe6\x97\xa5\");\r\n"));
    /* Names are escaped too. */
    assert_int_equal(prefs_set_int(pf, "odd\"name\\x", 1, &err), MS_OK);
    d = prefs_data(pf, &len);
    assert_non_null(strstr(d, "user_pref(\"odd\\\"name\\\\x\", 1);\r\n"));
    expect_int(pf, "odd\"name\\x", 1);
    prefs_free(pf);
    strbuf_free(&orig);

    /* Bad unescape input is reported with its offset. */
    strbuf_init(&back);
    assert_int_equal(prefs_unescape("\"ab\\q\"", 6, &back, &bad), MS_ERR_PREFS_ESCAPE);
    assert_int_equal(bad, 3);
    strbuf_free(&back);
}

/* Values that cannot be written are refused and nothing changes. */
static void test_bad_set(void **state)
{
    (void)state;
    strbuf orig;
    prefs_file *pf = load("mozilla/tb2-prefs.js", &orig);
    ms_error err;
    assert_int_equal(prefs_set_string(pf, "", "x", &err), MS_ERR_PREFS_BAD_SET);
    assert_int_equal(prefs_set_string(pf, "mail.x", "bad\xff", &err), MS_ERR_PREFS_BAD_SET);
    assert_int_equal(prefs_set_int(pf, "mail.\xc3(", 1, &err), MS_ERR_PREFS_BAD_SET);
    assert_bytes(pf, orig.buf, orig.len);
    prefs_free(pf);
    strbuf_free(&orig);
}

/* Remove takes the whole line when the statement is alone on it. */
static void test_remove(void **state)
{
    (void)state;
    strbuf orig;
    prefs_file *pf = load("mozilla/tb2-prefs.js", &orig);
    ms_error err;
    bool removed = false;
    assert_int_equal(prefs_remove(pf, "mail.smtpserver.smtp1.try_ssl", &removed, &err), MS_OK);
    assert_true(removed);
    strbuf want;
    replaced(&orig, "user_pref(\"mail.smtpserver.smtp1.try_ssl\", 0);\r\n", "", &want);
    assert_bytes(pf, want.buf, want.len);
    assert_false(prefs_has(pf, "mail.smtpserver.smtp1.try_ssl"));
    assert_int_equal(prefs_remove(pf, "no.such.pref", &removed, &err), MS_OK);
    assert_false(removed);
    assert_bytes(pf, want.buf, want.len);
    strbuf_free(&want);
    /* prefs_replace puts the saved bytes back. */
    assert_int_equal(prefs_replace(pf, orig.buf, orig.len, &err), MS_OK);
    assert_bytes(pf, orig.buf, orig.len);
    /* and refuses broken bytes, keeping what it had. */
    assert_int_equal(prefs_replace(pf, "user_pref(", 10, &err), MS_ERR_PREFS_EXPECT_NAME);
    assert_bytes(pf, orig.buf, orig.len);
    prefs_free(pf);
    strbuf_free(&orig);

    /* Two statements on one line: only the statement goes. */
    pf = load("mozilla/hand-edited-prefs.js", &orig);
    assert_int_equal(prefs_remove(pf, "mail.smtpservers", &removed, &err), MS_OK);
    assert_true(removed);
    size_t len;
    const char *d = prefs_data(pf, &len);
    assert_non_null(strstr(d, "\nuser_pref(\"mail.smtp.defaultserver\", \"smtp1\");\n"));
    assert_null(strstr(d, "mail.smtpservers"));
    prefs_free(pf);
    strbuf_free(&orig);
}

/* Strings that are not UTF-8 (an old Netscape wrote Shift_JIS) parse, can
 * not be read as text, and the file can still be edited elsewhere. */
static void test_non_utf8(void **state)
{
    (void)state;
    strbuf orig;
    prefs_file *pf = load("mozilla/non-utf8-prefs.js", &orig);
    strbuf v;
    strbuf_init(&v);
    bool found;
    ms_error err;
    assert_int_equal(prefs_get_string(pf, "mail.identity.id1.fullName", &v, &found, &err),
                     MS_ERR_PREFS_UTF8);
    assert_int_equal(prefs_get_string(pf, "mail.identity.id1.organization", &v, &found, &err),
                     MS_ERR_PREFS_UTF8);
    strbuf_free(&v);
    assert_int_equal(prefs_set_string(pf, "mail.smtpserver.smtp1.hostname", "smtp.example.ne.jp",
                                      &err),
                     MS_OK);
    strbuf want;
    replaced(&orig, "mail.example.ne.jp", "smtp.example.ne.jp", &want);
    assert_bytes(pf, want.buf, want.len);
    strbuf_free(&want);
    prefs_free(pf);
    strbuf_free(&orig);
}

/* Each malformed file: its own error code, the line:column it names, no
 * prefs_file, and a sentence in both languages that names the place. */
static void test_malformed(void **state)
{
    (void)state;
    moztest_case cases[128];
    size_t n = moztest_cases(".js", cases, 128);
    assert_true(n >= 30);
    size_t distinct = 0;
    const char *seen[64];
    for (size_t i = 0; i < n; i++) {
        char rel[256];
        snprintf(rel, sizeof rel, "mozilla/malformed/%s", cases[i].file);
        strbuf sb;
        strbuf_init(&sb);
        moztest_read(rel, &sb);
        prefs_file *pf = (prefs_file *)&sb; /* must be reset to NULL */
        prefs_where w = {0, 0, 0};
        ms_error err;
        ms_error_clear(&err);
        ms_code rc = prefs_parse_at(sb.buf, sb.len, &pf, &w, &err);
        if (strcmp(ms_code_name(rc), cases[i].code) != 0 || w.line != cases[i].line ||
            w.col != cases[i].col)
            fail_msg("%s: got %s at %u:%u (%s), want %s at %u:%u", cases[i].file,
                     ms_code_name(rc), w.line, w.col, err.detail, cases[i].code, cases[i].line,
                     cases[i].col);
        assert_null(pf);
        assert_int_equal(err.code, rc);
        char pos[32];
        snprintf(pos, sizeof pos, "%u:%u", w.line, w.col);
        assert_memory_equal(err.detail, pos, strlen(pos));
        char msg[1024];
        ms_error_format(&err, MS_LANG_EN, msg, sizeof msg);
        assert_non_null(strstr(msg, pos));
        assert_non_null(strstr(msg, "unchanged"));
        ms_error_format(&err, MS_LANG_JA, msg, sizeof msg);
        assert_non_null(strstr(msg, pos));
        assert_true(ms_code_helpdesk(rc)[0] == 'F');
        bool dup = false;
        for (size_t k = 0; k < distinct; k++)
            dup |= strcmp(seen[k], ms_code_name(rc)) == 0;
        if (!dup && distinct < 64)
            seen[distinct++] = ms_code_name(rc);
        /* prefs_parse without where agrees. */
        assert_int_equal(prefs_parse(sb.buf, sb.len, &pf, NULL), rc);
        strbuf_free(&sb);
    }
    /* The cases cover every parse error the grammar has. */
    assert_true(distinct >= 13);
}

/* A file over the limit is refused before parsing. */
static void test_too_large(void **state)
{
    (void)state;
    prefs_file *pf;
    ms_error err;
    assert_int_equal(prefs_parse("", PREFS_MAX_BYTES + 1, &pf, &err), MS_ERR_PREFS_TOO_LARGE);
    assert_null(pf);
    /* An empty file is a valid, empty prefs.js. */
    assert_int_equal(prefs_parse("", 0, &pf, &err), MS_OK);
    assert_int_equal(prefs_count(pf), 0);
    assert_int_equal(prefs_set_int(pf, "a", 1, &err), MS_OK);
    size_t len;
    const char *d = prefs_data(pf, &len);
    assert_string_equal(d, "user_pref(\"a\", 1);\r\n");
    prefs_free(pf);
}

/* The editor's output is prefs.js again, with the same statements. */
static void test_reparse_after_edits(void **state)
{
    (void)state;
    strbuf orig;
    prefs_file *pf = load("mozilla/hand-edited-prefs.js", &orig);
    ms_error err;
    static const char *const vals[] = {"", "\\", "\"", "'", "\n\r", "\xe2\x80\xa8", "//", "/*",
                                       "a\\x00"};
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        assert_int_equal(prefs_set_string(pf, "mail.identity.id1.organization", vals[i], &err),
                         MS_OK);
        size_t len;
        const char *d = prefs_data(pf, &len);
        prefs_file *again = NULL;
        assert_int_equal(prefs_parse(d, len, &again, &err), MS_OK);
        expect_str(again, "mail.identity.id1.organization", vals[i]);
        assert_int_equal(prefs_count(again), prefs_count(pf));
        prefs_free(again);
    }
    prefs_free(pf);
    strbuf_free(&orig);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),    cmocka_unit_test(test_values),
        cmocka_unit_test(test_edit_in_place), cmocka_unit_test(test_set_same_is_noop),
        cmocka_unit_test(test_append),        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_bad_set),       cmocka_unit_test(test_remove),
        cmocka_unit_test(test_non_utf8),      cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_too_large),     cmocka_unit_test(test_reparse_after_edits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
