/* cli: global options, --version, --help and dispatch to the verbs. */
#include "cli.h"

#include <stdarg.h>
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

static void print_help(const ms_cli *cli, const ms_cli_verb *const *pv, size_t npv)
{
    bool ja = cli->lang == MS_LANG_JA;
    ms_out("%s\n\n", ja ? "使い方: mailsetup [--lang ja|en] [--profile ファイル] [コマンド ...]"
                        : "usage: mailsetup [--lang ja|en] [--profile FILE] [COMMAND ...]");
    ms_out("%s\n\n", ja ? "コマンドを付けずに起動すると、設定ウィザードが開きます。"
                        : "Without a command, the setup wizard opens.");
    ms_out("  --version                 %s\n", ja ? "バージョンを表示します" : "print the versions");
    ms_out("  --help                    %s\n", ja ? "この説明を表示します" : "print this help");
    for (size_t i = 0; i < sizeof core_verbs / sizeof core_verbs[0]; i++)
        if (core_verbs[i])
            ms_out("  %-25s %s\n", core_verbs[i]->usage,
                   ja ? core_verbs[i]->help_ja : core_verbs[i]->help_en);
    for (size_t i = 0; i < npv; i++)
        ms_out("  %-25s %s\n", pv[i]->usage, ja ? pv[i]->help_ja : pv[i]->help_en);
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

int ms_cli_main(ms_cli *cli, int argc, char **argv, const ms_cli_verb *const *pv, size_t npv)
{
    ms_error err;
    int i = 1;

    cli->lang = ms_platform_ui_lang();
    cli->profile_path = NULL;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--lang") == 0 || strcmp(a, "--profile") == 0) {
            if (i + 1 >= argc) {
                ms_fail(&err, MS_ERR_USAGE, "%s", a);
                ms_print_error(cli, &err);
                return MS_EXIT_USAGE;
            }
            const char *v = argv[++i];
            if (a[2] == 'l') {
                int l = ms_lang_parse(v);
                if (l < 0) {
                    ms_fail(&err, MS_ERR_USAGE, "--lang %s", v);
                    ms_print_error(cli, &err);
                    return MS_EXIT_USAGE;
                }
                cli->lang = (ms_lang)l;
            } else {
                cli->profile_path = v;
            }
        } else if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
            print_version();
            return MS_EXIT_OK;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0 || strcmp(a, "/?") == 0) {
            print_help(cli, pv, npv);
            return MS_EXIT_OK;
        } else {
            break;
        }
    }
    if (i >= argc)
        return -1; /* no verb: the GUI */

    const ms_cli_verb *v = find_verb(argv[i], pv, npv);
    if (!v) {
        ms_fail(&err, MS_ERR_USAGE, "%s (mailsetup --help)", argv[i]);
        ms_print_error(cli, &err);
        return MS_EXIT_USAGE;
    }
    return v->run(cli, argc - i, argv + i);
}
