/* Unit tests: where undo may act (wizard/core/engine/trust.c), from the cases in
 * tests/data/trust/registry.txt and files.txt: what the back-ends write is
 * allowed; autostart keys, key deletion outside an account container,
 * other folders and names, "..", streams and odd shapes are refused. Also
 * SHA-256 / HMAC-SHA-256 (the journal's seal) against the published test
 * vectors (FIPS 180-4 examples, RFC 4231). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "platform.h"
#include "sha256.h"
#include "strbuf.h"
#include "trust.h"

#define DATA MS_TEST_DATA "/trust/"

/* Calls fn(fields, n) for each case line of a fixture; returns the count. */
static size_t each_case(const char *file, void (*fn)(char **f, size_t n, size_t line))
{
    strbuf t;
    strbuf_init(&t);
    ms_error err;
    assert_int_equal(ms_file_read(file, 1 << 20, &t, &err), MS_OK);
    size_t count = 0, line = 0;
    for (char *s = t.buf; *s;) {
        char *nl = strchr(s, '\n');
        if (nl)
            *nl = '\0';
        line++;
        if (*s && *s != '#') {
            char *f[4] = {NULL, NULL, NULL, NULL};
            size_t n = 0;
            for (char *p = s; n < 4;) {
                f[n++] = p;
                char *tab = strchr(p, '\t');
                if (!tab)
                    break;
                *tab = '\0';
                p = tab + 1;
            }
            fn(f, n, line);
            count++;
        }
        if (!nl)
            break;
        s = nl + 1;
    }
    strbuf_free(&t);
    return count;
}

static void reg_case(char **f, size_t n, size_t line)
{
    assert_true(n >= 3);
    bool want = strcmp(f[0], "allow") == 0;
    const char *why = NULL;
    bool got;
    if (strcmp(f[1], "value") == 0)
        got = trust_reg_value(f[2], n > 3 ? f[3] : "", &why);
    else
        got = trust_reg_key_created(f[2], &why);
    if (got != want)
        fail_msg("registry.txt line %zu: %s %s %s: got %s (%s)", line, f[0], f[1], f[2],
                 got ? "allow" : "refuse", why ? why : "");
    if (!got)
        assert_non_null(why);
}

static void test_registry_cases(void **state)
{
    (void)state;
    assert_true(each_case(DATA "registry.txt", reg_case) >= 40);
}

static void file_case(char **f, size_t n, size_t line)
{
    static const char *const roots[] = {"C:\\Users\\taro\\AppData\\Roaming",
                                        "C:\\Users\\taro\\AppData\\Local", "C:\\Users\\taro",
                                        "C:\\Becky!"};
    assert_true(n >= 2);
    bool want = strcmp(f[0], "allow") == 0;
    const char *why = NULL;
    size_t root_len = 99;
    bool got = trust_file(f[1], roots, 4, '\\', &root_len, &why);
    if (got != want)
        fail_msg("files.txt line %zu: %s [%s]: got %s (%s)", line, f[0], f[1],
                 got ? "allow" : "refuse", why ? why : "");
    if (got) {
        /* The longest root it is below: the reparse check starts there. */
        assert_true(root_len > 0 && f[1][root_len] == '\\');
        if (strstr(f[1], "AppData") || strstr(f[1], "appdata"))
            assert_true(root_len > strlen("C:\\Users\\taro"));
    } else {
        assert_int_equal(root_len, 0);
        assert_non_null(why);
    }
}

static void test_file_cases(void **state)
{
    (void)state;
    assert_true(each_case(DATA "files.txt", file_case) >= 30);
}

static void hex(const unsigned char *p, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", p[i]);
}

/* FIPS 180-4 examples (NIST's SHA256.pdf) and RFC 4231 test cases 1 and 2. */
static void test_sha256_vectors(void **state)
{
    (void)state;
    unsigned char d[SHA256_LEN];
    char h[2 * SHA256_LEN + 1];
    sha256("abc", 3, d);
    hex(d, SHA256_LEN, h);
    assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    sha256(two, strlen(two), d);
    hex(d, SHA256_LEN, h);
    assert_string_equal(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    sha256("", 0, d);
    hex(d, SHA256_LEN, h);
    assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    /* In pieces of every size: the same digest. */
    char million[1000];
    memset(million, 'a', sizeof million);
    for (size_t step = 1; step < 130; step += 7) {
        sha256_ctx c;
        sha256_init(&c);
        for (size_t at = 0; at < sizeof million; at += step)
            sha256_update(&c, million + at,
                          at + step > sizeof million ? sizeof million - at : step);
        unsigned char e[SHA256_LEN];
        sha256_final(&c, e);
        sha256(million, sizeof million, d);
        assert_memory_equal(d, e, SHA256_LEN);
    }
    unsigned char key[20];
    memset(key, 0x0b, sizeof key);
    hmac_sha256(key, sizeof key, "Hi There", 8, d);
    hex(d, SHA256_LEN, h);
    assert_string_equal(h, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    hmac_sha256((const unsigned char *)"Jefe", 4, "what do ya want for nothing?", 28, d);
    hex(d, SHA256_LEN, h);
    assert_string_equal(h, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    assert_true(sha256_equal(d, d, SHA256_LEN));
    unsigned char d2[SHA256_LEN];
    memcpy(d2, d, SHA256_LEN);
    d2[31] ^= 1;
    assert_false(sha256_equal(d, d2, SHA256_LEN));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registry_cases),
        cmocka_unit_test(test_file_cases),
        cmocka_unit_test(test_sha256_vectors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
