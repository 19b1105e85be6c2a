/* profile_verb: `mailsetup profile check FILE` (docs/cli.md): every error
 * of a profile with its JSON path, or OK with the encryption rules as they
 * apply to it and the clear-text warnings. */
#include <string.h>

#include "cli.h"
#include "platform.h"
#include "profile.h"

void profile_print_errors(const char *file, const profile_errors *errs, ms_code rc, ms_lang lang)
{
    char buf[1024];
    for (size_t i = 0; i < errs->count; i++) {
        ms_error_format(&errs->items[i].err, lang, buf, sizeof buf);
        ms_errout("%s: [%s] %s\n", file, ms_code_helpdesk(errs->items[i].err.code), buf);
    }
    if (errs->truncated)
        ms_errout("%s: %s\n", file,
                  lang == MS_LANG_EN ? "(more errors not shown)"
                                     : "（以降のエラーは省略しました）");
    if (errs->count == 0 && rc != MS_OK) { /* the list itself could not be allocated */
        ms_error err;
        ms_fail(&err, rc, "%s", "$");
        ms_errout("%s: [%s] %s\n", file, ms_code_helpdesk(rc),
                  ms_error_format(&err, lang, buf, sizeof buf));
    }
}

static int profile_verb_run(ms_cli *cli, int argc, char **argv)
{
    ms_error err;
    if (argc < 2 || strcmp(argv[1], "check") != 0 || argc > 3 ||
        (argc == 2 && !cli->profile_path)) {
        ms_fail(&err, MS_ERR_USAGE, "%s", "profile check FILE");
        ms_print_error(cli, &err);
        return MS_EXIT_USAGE;
    }
    const char *file = argc == 3 ? argv[2] : cli->profile_path;

    profile_errors errs;
    profile_errors_init(&errs);
    profile *p = NULL;
    ms_code rc = profile_load_file(file, &p, &errs);
    if (rc == MS_OK && p) {
        ms_out("%s: OK (%s, %s)\n", file, p->id, profile_text_any(&p->name, cli->lang));
        /* The encryption rule as it applies to this profile. */
        bool ja = cli->lang == MS_LANG_JA;
        if (p->outgoing.server_offers_no_tls)
            ms_out("%s\n",
                   ja ? "server_offers_no_tls: 送信メールの接続を暗号化しているアカウントも、"
                        "暗号化をオフにします。"
                      : "server_offers_no_tls: accounts that encrypt their outgoing "
                        "connection are turned to no encryption.");
        else
            ms_out("%s\n",
                   ja ? "送信メールの接続をすでに暗号化 (STARTTLS/SSL) しているアカウントは、"
                        "暗号化とポート 465/587 をそのまま使います（オフにするのは "
                        "server_offers_no_tls が true のときだけです）。"
                      : "Accounts that already encrypt their outgoing connection (STARTTLS/SSL) "
                        "keep it, and their port 465/587 (only server_offers_no_tls: true turns "
                        "it off).");
        if (p->outgoing.tls_upgrade == PROFILE_TLS_UPGRADE_WHEN_VERIFIED)
            ms_out("%s\n",
                   ja ? "tls_upgrade: 設定の変更の前に送信メールサーバーを確かめ、正しい証明書で "
                        "STARTTLS（または 465 番ポートの SSL）に対応していれば、暗号化する設定に"
                        "します。対応していなければ security のままにし、その理由を表示します。"
                      : "tls_upgrade: before changing the settings the wizard checks each "
                        "outgoing server; where it offers STARTTLS (or SSL on port 465) with a "
                        "valid certificate, the account is set to encrypt, otherwise security "
                        "stays and the reason is shown.");
        /* Warnings, not errors: the ISP's servers may offer no TLS. */
        char buf[1024];
        ms_error w;
        if (p->outgoing.security == PROFILE_SEC_NONE) {
            ms_fail(&w, MS_WARN_CLEARTEXT_SMTP, "%s", "$.outgoing.security");
            ms_errout("%s: [%s] %s\n", file, ms_code_helpdesk(w.code),
                      ms_error_format(&w, cli->lang, buf, sizeof buf));
        }
        if (p->incoming.security == PROFILE_SEC_NONE ||
            (p->incoming.security == PROFILE_SEC_KEEP && p->incoming.port == 110)) {
            ms_fail(&w, MS_WARN_CLEARTEXT_POP3, "%s", "$.incoming.security");
            ms_errout("%s: [%s] %s\n", file, ms_code_helpdesk(w.code),
                      ms_error_format(&w, cli->lang, buf, sizeof buf));
        }
        profile_free(p);
        profile_errors_free(&errs);
        return MS_EXIT_OK;
    }
    profile_print_errors(file, &errs, rc, cli->lang);
    bool io = rc == MS_ERR_IO_READ || rc == MS_ERR_NOMEM;
    profile_errors_free(&errs);
    return io ? MS_EXIT_FAILURE : MS_EXIT_PROFILE;
}

const ms_cli_verb profile_verb = {
    "profile",
    "profile check FILE",
    "ISP プロファイルを検査し、誤りをすべて表示します\n"
    "  check FILE                このファイルを検査します (--profile FILE でも指定できます)\n",
    "validate an ISP profile and list every error\n"
    "  check FILE                check this file (--profile FILE works too)\n",
    profile_verb_run,
};
