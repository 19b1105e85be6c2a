/* Unit tests: the command line (cli.c): global options anywhere, as users
 * type them (`mailsetup scan --profile x.json --json -`), a verb option's
 * value never taken for a global one, "--", and `VERB --help`. */
#define _POSIX_C_SOURCE 200809L /* setenv, fileno, dup */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "cli.h"

/* What the fake verb was given. */
static int seen_argc;
static char seen[16][64];
static ms_cli seen_cli;

static int fake_run(ms_cli *cli, int argc, char **argv)
{
    seen_argc = argc;
    for (int i = 0; i < argc && i < 16; i++)
        snprintf(seen[i], sizeof seen[i], "%s", argv[i]);
    seen_cli = *cli;
    return 42;
}

/* Shaped like mailsetup.exe's scan and test-send. */
static const ms_cli_verb fake_scan = {
    "scan", "scan [--json FILE|-]", "調べます\n  --json FILE|-   JSON で書きます\n",
    "find mail programs\n  --json FILE|-             write the report as JSON\n", fake_run};
static const ms_cli_verb fake_send = {
    "test-send", "test-send --account ID ...", "送ります\n",
    "send a test message\n"
    "  --server HOST --port N --security none|starttls|tls\n"
    "  --password-stdin          read the password from standard input\n"
    "  --pop3                    receive it by POP3\n"
    "  --pop3-wait S             how long to wait\n",
    fake_run};
static const ms_cli_verb *const verbs[] = {&fake_scan, &fake_send};

static int run(int argc, const char **argv)
{
    seen_argc = -1;
    memset(seen, 0, sizeof seen);
    ms_cli cli;
    setenv("LANG", "en_US.UTF-8", 1);
    return ms_cli_main(&cli, argc, (char **)argv, verbs, 2);
}

/* Runs the command line with standard output going to a file; returns
 * what was printed (caller frees). */
static char *run_capture(int argc, const char **argv, int *rc)
{
    fflush(stdout);
    FILE *f = tmpfile();
    assert_non_null(f);
    int saved = dup(1);
    assert_true(saved >= 0);
    assert_true(dup2(fileno(f), 1) >= 0);
    *rc = run(argc, argv);
    fflush(stdout);
    assert_true(dup2(saved, 1) >= 0);
    close(saved);
    long n = ftell(f);
    assert_true(n >= 0);
    char *text = calloc((size_t)n + 1, 1);
    assert_non_null(text);
    rewind(f);
    assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    return text;
}

#define RUN(...)                                                                                   \
    run((int)(sizeof((const char *[]){__VA_ARGS__}) / sizeof(const char *)),                       \
        (const char *[]){__VA_ARGS__})

static void global_options_after_the_verb(void **state)
{
    (void)state;
    assert_int_equal(RUN("mailsetup", "scan", "--profile", "x.json", "--json", "-"), 42);
    assert_int_equal(seen_argc, 3);
    assert_string_equal(seen[0], "scan");
    assert_string_equal(seen[1], "--json");
    assert_string_equal(seen[2], "-");
    assert_string_equal(seen_cli.profile_path, "x.json");
    assert_int_equal(seen_cli.lang, MS_LANG_EN);

    assert_int_equal(RUN("mailsetup", "scan", "--json", "-", "--lang", "ja"), 42);
    assert_int_equal(seen_argc, 3);
    assert_int_equal(seen_cli.lang, MS_LANG_JA);
    assert_null(seen_cli.profile_path);
}

static void global_options_before_the_verb_and_with_equals(void **state)
{
    (void)state;
    assert_int_equal(RUN("mailsetup", "--lang=ja", "--profile", "a.json", "scan"), 42);
    assert_int_equal(seen_argc, 1);
    assert_int_equal(seen_cli.lang, MS_LANG_JA);
    assert_string_equal(seen_cli.profile_path, "a.json");

    /* The last one wins, as with curl. */
    assert_int_equal(RUN("mailsetup", "--profile", "a.json", "scan", "--profile=b.json"), 42);
    assert_string_equal(seen_cli.profile_path, "b.json");
}

static void a_verb_options_value_is_not_a_global_option(void **state)
{
    (void)state;
    /* --json takes a value: a file named "--lang" (odd, but what was typed). */
    assert_int_equal(RUN("mailsetup", "scan", "--json", "--lang", "ja"), 42);
    assert_int_equal(seen_argc, 4);
    assert_string_equal(seen[1], "--json");
    assert_string_equal(seen[2], "--lang");
    assert_string_equal(seen[3], "ja");
    assert_int_equal(seen_cli.lang, MS_LANG_EN);

    /* test-send's options from its help lines: --security takes a value,
     * --pop3 and --password-stdin do not. */
    assert_int_equal(RUN("mailsetup", "test-send", "--security", "--profile", "--pop3", "--profile",
                         "p.json", "--password-stdin", "--pop3-wait", "5"),
                     42);
    assert_int_equal(seen_argc, 7);
    assert_string_equal(seen[1], "--security");
    assert_string_equal(seen[2], "--profile");
    assert_string_equal(seen[3], "--pop3");
    assert_string_equal(seen[4], "--password-stdin");
    assert_string_equal(seen[5], "--pop3-wait");
    assert_string_equal(seen[6], "5");
    assert_string_equal(seen_cli.profile_path, "p.json");
}

static void takes_value_reads_usage_and_help(void **state)
{
    (void)state;
    assert_true(ms_cli_verb_takes_value(&fake_scan, "--json"));
    assert_true(ms_cli_verb_takes_value(&fake_send, "--account"));
    assert_true(ms_cli_verb_takes_value(&fake_send, "--server"));
    assert_true(ms_cli_verb_takes_value(&fake_send, "--port"));
    assert_true(ms_cli_verb_takes_value(&fake_send, "--security"));
    assert_true(ms_cli_verb_takes_value(&fake_send, "--pop3-wait"));
    assert_false(ms_cli_verb_takes_value(&fake_send, "--pop3"));
    assert_false(ms_cli_verb_takes_value(&fake_send, "--password-stdin"));
    assert_false(ms_cli_verb_takes_value(&fake_send, "--serv"));
    assert_false(ms_cli_verb_takes_value(&fake_send, "--json"));
    assert_false(ms_cli_verb_takes_value(&fake_scan, "-"));
}

static void double_dash_ends_the_global_options(void **state)
{
    (void)state;
    assert_int_equal(RUN("mailsetup", "scan", "--lang", "ja", "--", "--profile", "x"), 42);
    assert_int_equal(seen_argc, 3);
    assert_string_equal(seen[1], "--profile");
    assert_string_equal(seen[2], "x");
    assert_null(seen_cli.profile_path);
    assert_int_equal(seen_cli.lang, MS_LANG_JA);
}

static void bad_global_options_anywhere_are_usage_errors(void **state)
{
    (void)state;
    assert_int_equal(RUN("mailsetup", "scan", "--profile"), MS_EXIT_USAGE);
    assert_int_equal(seen_argc, -1);
    assert_int_equal(RUN("mailsetup", "scan", "--lang", "fr"), MS_EXIT_USAGE);
    assert_int_equal(seen_argc, -1);
    assert_int_equal(RUN("mailsetup", "scan", "--lang="), MS_EXIT_USAGE);
    assert_int_equal(RUN("mailsetup", "--profile"), MS_EXIT_USAGE);
    assert_int_equal(RUN("mailsetup", "nosuchverb", "--lang", "en"), MS_EXIT_USAGE);
    assert_int_equal(RUN("mailsetup", "--no-such-option"), MS_EXIT_USAGE);
    assert_int_equal(seen_argc, -1);
}

static void no_verb_is_the_gui(void **state)
{
    (void)state;
    assert_int_equal(RUN("mailsetup"), -1);
    assert_int_equal(RUN("mailsetup", "--lang", "ja", "--profile", "p.json"), -1);
    assert_int_equal(seen_argc, -1);
}

static void verb_help_lists_its_options(void **state)
{
    (void)state;
    int rc;
    char *out = run_capture(4, (const char *[]){"mailsetup", "scan", "--json", "--help"}, &rc);
    /* "--json --help": --help is the value of --json, so scan runs. */
    assert_int_equal(rc, 42);
    free(out);

    out = run_capture(3, (const char *[]){"mailsetup", "scan", "--help"}, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(seen_argc, -1);
    assert_non_null(strstr(out, "usage: mailsetup scan [--json FILE|-]\n"));
    assert_non_null(strstr(out, "find mail programs\n"));
    assert_non_null(strstr(out, "  --json FILE|-             write the report as JSON\n"));
    assert_non_null(strstr(out, "--profile FILE"));
    assert_null(strstr(out, "send a test message"));
    free(out);

    out = run_capture(4, (const char *[]){"mailsetup", "--lang", "ja", "--help"}, &rc);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "使い方: mailsetup"));
    assert_non_null(strstr(out, "調べます\n"));
    assert_null(strstr(out, "JSON で書きます")); /* only the summary lines */
    free(out);

    /* `--help VERB` is that verb's help, and -h after the verb too. */
    out = run_capture(3, (const char *[]){"mailsetup", "--help", "test-send"}, &rc);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "usage: mailsetup test-send --account ID ...\n"));
    assert_non_null(strstr(out, "--pop3-wait S"));
    free(out);
    out = run_capture(5, (const char *[]){"mailsetup", "test-send", "-h", "--lang", "ja"}, &rc);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "使い方: mailsetup test-send"));
    assert_non_null(strstr(out, "送ります\n"));
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(global_options_after_the_verb),
        cmocka_unit_test(global_options_before_the_verb_and_with_equals),
        cmocka_unit_test(a_verb_options_value_is_not_a_global_option),
        cmocka_unit_test(takes_value_reads_usage_and_help),
        cmocka_unit_test(double_dash_ends_the_global_options),
        cmocka_unit_test(bad_global_options_anywhere_are_usage_errors),
        cmocka_unit_test(no_verb_is_the_gui),
        cmocka_unit_test(verb_help_lists_its_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
