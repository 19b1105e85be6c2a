/* Unit tests: strbuf, the core's growable buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "strbuf.h"

static void empty_buffer_is_empty_string(void **state)
{
    (void)state;
    strbuf sb;
    strbuf_init(&sb);
    assert_string_equal(sb.buf, "");
    assert_int_equal(sb.len, 0);
    strbuf_free(&sb);
}

static void appends_grow_and_stay_terminated(void **state)
{
    (void)state;
    strbuf sb;
    strbuf_init(&sb);
    for (int i = 0; i < 1000; i++)
        strbuf_addf(&sb, "%d,", i % 10);
    assert_int_equal(sb.len, 2000);
    assert_int_equal(sb.buf[sb.len], '\0');
    assert_memory_equal(sb.buf, "0,1,2,", 6);
    strbuf_addstr(&sb, "送信");
    assert_int_equal(sb.len, 2006);
    assert_false(sb.oom);
    size_t n;
    char *s = strbuf_detach(&sb, &n);
    assert_int_equal(n, 2006);
    assert_string_equal(sb.buf, "");
    free(s);
}

static void huge_request_sets_oom_and_keeps_contents(void **state)
{
    (void)state;
    strbuf sb;
    strbuf_init(&sb);
    strbuf_addstr(&sb, "abc");
    assert_false(strbuf_grow(&sb, SIZE_MAX - 2));
    assert_true(sb.oom);
    strbuf_addstr(&sb, "def"); /* ignored after oom */
    assert_string_equal(sb.buf, "abc");
    strbuf_free(&sb);
}

static void wipe_clears_memory(void **state)
{
    (void)state;
    char secret[] = "hunter2";
    ms_wipe(secret, sizeof secret);
    for (size_t i = 0; i < sizeof secret; i++)
        assert_int_equal(secret[i], 0);
    strbuf sb;
    strbuf_init(&sb);
    strbuf_addstr(&sb, "password");
    strbuf_wipe(&sb);
    assert_int_equal(sb.len, 0);
    assert_string_equal(sb.buf, "");
}

/* A secret buffer (passwords): grown one byte at a time as the stdin
 * reader grows it, it holds the same bytes as a plain one; reset wipes what
 * it held (the bytes stay readable in its block: all zero), and it stays
 * secret across reset and free. */
static void test_secret(void **state)
{
    (void)state;
    strbuf s, p;
    strbuf_init_secret(&s);
    strbuf_init(&p);
    for (int i = 0; i < 5000; i++) {
        strbuf_addch(&s, (char)('a' + i % 26));
        strbuf_addch(&p, (char)('a' + i % 26));
    }
    assert_false(s.oom);
    assert_int_equal(s.len, p.len);
    assert_memory_equal(s.buf, p.buf, p.len + 1);
    size_t len = s.len;
    strbuf_reset(&s);
    assert_true(s.secret);
    for (size_t i = 0; i < len; i++)
        if (s.buf[i] != 0)
            fail_msg("byte %zu survived the reset", i);
    strbuf_addstr(&s, "pw");
    strbuf_free(&s);
    assert_true(s.secret);
    assert_string_equal(s.buf, "");
    assert_false(p.secret);
    strbuf_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_secret),
        cmocka_unit_test(empty_buffer_is_empty_string),
        cmocka_unit_test(appends_grow_and_stay_terminated),
        cmocka_unit_test(huge_request_sets_oom_and_keeps_contents),
        cmocka_unit_test(wipe_clears_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
