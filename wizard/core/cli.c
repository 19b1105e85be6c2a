/* cli: global options, --version, --help and dispatch to the verbs. */
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "ms_version.h"
#include "platform.h"
#include "profile.h"
#include "strbuf.h"

/* Verbs the portable core implements; each lives with its module. */
static const ms_cli_verb *const core_verbs[] = {
    &profile_verb,
};

static void vout(enum ms_stream s, const char *fmt, va_list ap) MS_PRINTF(2, 0);
static void vout(enum ms_stream s, const char *fmt, va_list ap)
{
    strbuf sb;
    strbuf_init(&sb);
    strbuf_vaddf(&sb, fmt, ap);
    ms_platform_write(s, sb.buf, sb.len);
    strbuf_free(&sb);
}

void ms_out(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vout(MS_STDOUT, fmt, ap);
    va_end(ap);
}

void ms_errout(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vout(MS_STDERR, fmt, ap);
    va_end(ap);
}

void ms_print_error(const ms_cli *cli, const ms_error *err)
{
    char buf[1024];
    ms_error_format(err, cli->lang, buf, sizeof buf);
    ms_errout("mailsetup: [%s] %s\n", ms_code_helpdesk(err->code), buf);
}

static void print_version(void)
{
    strbuf sb;
    strbuf_init(&sb);
    ms_platform_versions(&sb);
    ms_out("mailsetup %s\n%s", MS_VERSION, sb.buf);
    strbuf_free(&sb);
}

/* The first line of a verb's help text (the rest lists its options). */
static void print_first_line(const char *text)
{
    const char *nl = strchr(text, '\n');
    ms_out("%.*s\n", nl ? (int)(nl - text) : (int)strlen(text), text);
}

static void print_help(const ms_cli *cli, const ms_cli_verb *const *pv, size_t npv)
{
    bool ja = cli->lang == MS_LANG_JA;
    ms_out("%s\n\n", ja ? "使い方: mailsetup [コマンド ...] [--lang ja|en] [--profile ファイル]"
                        : "usage: mailsetup [COMMAND ...] [--lang ja|en] [--profile FILE]");
    ms_out("%s\n\n", ja ? "コマンドを付けずに起動すると、設定ウィザードが開きます。"
                          "--lang と --profile はコマンドの前にも後にも書けます。"
                        : "Without a command, the setup wizard opens. --lang and --profile "
                          "may come before or after the command.");
    ms_out("  --version                 %s\n",
           ja ? "バージョンを表示します" : "print the versions");
    ms_out("  --help                    %s\n", ja ? "この説明を表示します" : "print this help");
    for (size_t i = 0; i < sizeof core_verbs / sizeof core_verbs[0] + npv; i++) {
        const ms_cli_verb *v = i < sizeof core_verbs / sizeof core_verbs[0]
                                   ? core_verbs[i]
                                   : pv[i - sizeof core_verbs / sizeof core_verbs[0]];
        ms_out("  %-25s ", v->usage);
        print_first_line(ja ? v->help_ja : v->help_en);
    }
    ms_out("\n%s\n", ja ? "コマンドごとの説明: mailsetup コマンド --help"
                        : "Help on one command: mailsetup COMMAND --help");
}

/* `mailsetup VERB --help`: the synopsis, the summary, the verb's options
 * (the lines after the first of its help text) and the global options. */
static void print_verb_help(const ms_cli *cli, const ms_cli_verb *v)
{
    bool ja = cli->lang == MS_LANG_JA;
    const char *text = ja ? v->help_ja : v->help_en;
    const char *nl = strchr(text, '\n');
    ms_out("%s mailsetup %s\n\n", ja ? "使い方:" : "usage:", v->usage);
    print_first_line(text);
    if (nl && nl[1])
        ms_out("\n%s%s", nl + 1, text[strlen(text) - 1] == '\n' ? "" : "\n");
    ms_out("\n%s\n", ja ? "共通のオプション (コマンドの前にも後にも書けます):"
                        : "Global options (before or after the command):");
    ms_out("  --lang ja|en              %s\n",
           ja ? "メッセージの言語 (既定: Windows の表示言語)"
              : "language of the messages (default: the user's UI language)");
    ms_out("  --profile %-15s %s\n", ja ? "ファイル" : "FILE",
           ja ? "exe に埋め込まれたものの代わりに使う ISP プロファイル"
              : "the ISP profile to use instead of the embedded one");
}

static const ms_cli_verb *find_verb(const char *name, const ms_cli_verb *const *pv, size_t npv)
{
    for (size_t i = 0; i < sizeof core_verbs / sizeof core_verbs[0]; i++)
        if (core_verbs[i] && strcmp(core_verbs[i]->name, name) == 0)
            return core_verbs[i];
    for (size_t i = 0; i < npv; i++)
        if (strcmp(pv[i]->name, name) == 0)
            return pv[i];
    return NULL;
}

/* Whether text names opt as taking a value: opt, at a word start, then a
 * space and a placeholder ("--json FILE|-", "--security none|starttls|tls"). */
static bool names_value(const char *text, const char *opt)
{
    size_t n = strlen(opt);
    for (const char *p = strstr(text, opt); p; p = strstr(p + 1, opt)) {
        bool start = p == text || strchr(" [(|\n", p[-1]);
        if (start && p[n] == ' ' &&
            ((p[n + 1] >= 'A' && p[n + 1] <= 'Z') || (p[n + 1] >= 'a' && p[n + 1] <= 'z') ||
             (p[n + 1] >= '0' && p[n + 1] <= '9')))
            return true;
    }
    return false;
}

bool ms_cli_verb_takes_value(const ms_cli_verb *v, const char *opt)
{
    if (opt[0] != '-' || opt[1] != '-' || !opt[2])
        return false;
    return names_value(v->usage, opt) || names_value(v->help_en, opt);
}

/* A global option with a value, as "--lang en" or "--lang=en". Returns 0
 * when a is not one, 1 when it took one argument, 2 when two, -1 on a
 * missing or wrong value (printed). */
static int take_global(ms_cli *cli, const char *a, const char *next)
{
    const char *names[] = {"--lang", "--profile"};
    for (size_t k = 0; k < 2; k++) {
        size_t n = strlen(names[k]);
        if (strncmp(a, names[k], n) != 0 || (a[n] != '\0' && a[n] != '='))
            continue;
        const char *v = a[n] == '=' ? a + n + 1 : next;
        ms_error err;
        if (!v || !*v) {
            ms_fail(&err, MS_ERR_USAGE, "%s", names[k]);
            ms_print_error(cli, &err);
            return -1;
        }
        if (k == 0) {
            int l = ms_lang_parse(v);
            if (l < 0) {
                ms_fail(&err, MS_ERR_USAGE, "--lang %s", v);
                ms_print_error(cli, &err);
                return -1;
            }
            cli->lang = (ms_lang)l;
        } else {
            cli->profile_path = v;
        }
        return a[n] == '=' ? 1 : 2;
    }
    return 0;
}

static bool is_help(const char *a)
{
    return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0 || strcmp(a, "/?") == 0;
}

static bool is_version(const char *a)
{
    return strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0;
}

/* What the option scans below return to go on (an exit code otherwise). */
#define GO_ON (-2)

/* Before the verb: global options only. --help is answered once the verb
 * (if any) is known: `mailsetup --help scan` is scan's help. *i ends at
 * the verb (or argc). */
static int take_leading(ms_cli *cli, int argc, char **argv, int *i, bool *help)
{
    for (; *i < argc; (*i)++) {
        const char *a = argv[*i];
        int t = take_global(cli, a, *i + 1 < argc ? argv[*i + 1] : NULL);
        if (t < 0)
            return MS_EXIT_USAGE;
        if (t > 0) {
            *i += t - 1;
        } else if (is_version(a)) {
            print_version();
            return MS_EXIT_OK;
        } else if (is_help(a)) {
            *help = true;
        } else {
            break;
        }
    }
    return GO_ON;
}

/* After the verb, the global options may come anywhere, as with git or
 * curl; they are taken out, the verb sees only its own arguments in
 * vargv/vargc. A verb option's value is never taken for a global option
 * (`--json --lang` writes a file named --lang), and after "--" nothing
 * is: the rest is the verb's as typed. */
static int take_after_verb(ms_cli *cli, const ms_cli_verb *v, int argc, char **argv, int i,
                           char **vargv, int *vargc, bool *help)
{
    vargv[(*vargc)++] = argv[i++];
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            while (++i < argc)
                vargv[(*vargc)++] = argv[i];
            break;
        }
        int t = take_global(cli, a, i + 1 < argc ? argv[i + 1] : NULL);
        if (t < 0)
            return MS_EXIT_USAGE;
        if (t > 0) {
            i += t - 1;
        } else if (is_help(a)) {
            *help = true;
        } else if (is_version(a)) {
            print_version();
            return MS_EXIT_OK;
        } else {
            vargv[(*vargc)++] = argv[i];
            if (ms_cli_verb_takes_value(v, a) && i + 1 < argc)
                vargv[(*vargc)++] = argv[++i];
        }
    }
    return GO_ON;
}

int ms_cli_main(ms_cli *cli, int argc, char **argv, const ms_cli_verb *const *pv, size_t npv)
{
    ms_error err;
    int i = 1;
    bool help = false;
    char **vargv = NULL;
    int vargc = 0;

    cli->lang = ms_platform_ui_lang();
    cli->profile_path = NULL;
    int rc = take_leading(cli, argc, argv, &i, &help);
    if (rc != GO_ON)
        return rc;
    if (i >= argc && !help)
        return -1; /* no verb: the GUI */
    const ms_cli_verb *v = i < argc ? find_verb(argv[i], pv, npv) : NULL;
    if (i < argc && !v) {
        ms_fail(&err, MS_ERR_USAGE, "%s (mailsetup --help)", argv[i]);
        ms_print_error(cli, &err);
        return MS_EXIT_USAGE;
    }
    if (v) {
        vargv = calloc((size_t)(argc - i) + 1, sizeof *vargv);
        if (!vargv) {
            ms_fail(&err, MS_ERR_NOMEM, NULL);
            ms_print_error(cli, &err);
            return MS_EXIT_FAILURE;
        }
        rc = take_after_verb(cli, v, argc, argv, i, vargv, &vargc, &help);
        if (rc != GO_ON)
            goto out;
    }
    rc = MS_EXIT_OK;
    if (help && v)
        print_verb_help(cli, v);
    else if (help)
        print_help(cli, pv, npv);
    else
        rc = v->run(cli, vargc, vargv);
out:
    free(vargv);
    return rc;
}
