/* be_byhand: the new Outlook and the Mail app, found but set by hand; see
 * be_byhand.h. */
#include "be_byhand.h"

#include <string.h>

#include "path.h"
#include "platform.h"

struct byhand {
    ms_program program;
    const char *pfn;  /* the package family name: its folder under Packages */
    const char *name; /* for the F32 sentence */
};

static const struct byhand outlook_app = {MS_PROG_OUTLOOK_APP, BYHAND_PFN_OUTLOOK, "Outlook (new)"};
static const struct byhand mail_app = {MS_PROG_MAIL_APP, BYHAND_PFN_MAIL, "Mail (Windows)"};

/* Windows makes %LOCALAPPDATA%\Packages\<package family name> for each
 * user a package is installed for; the app keeps its data below it. */
static ms_code scan_byhand(const ms_env *env, const struct byhand *b, ms_account_list *out,
                           ms_error *err)
{
    if (!env->local_appdata)
        return MS_OK;
    strbuf packages, dir;
    strbuf_init(&packages);
    strbuf_init(&dir);
    path_join(&packages, env->local_appdata, "Packages");
    path_join(&dir, packages.buf, b->pfn);
    bool found = !dir.oom && ms_path_kind(dir.buf) == MS_PATH_DIR;
    ms_code rc = dir.oom || packages.oom ? ms_fail(err, MS_ERR_NOMEM, NULL) : MS_OK;
    if (found) {
        ms_account *a = account_list_add(out);
        if (a) {
            a->program = b->program;
            strbuf id;
            strbuf_init(&id);
            strbuf_addf(&id, "%s/manual", account_program_id(b->program));
            a->id = strbuf_detach(&id, NULL);
            a->location = strbuf_detach(&dir, NULL);
            a->account_name = ms_strdup(b->name);
            ms_fail(&a->read_error, MS_ERR_MANUAL_STEPS, "%s", b->name);
        }
        if (!a || !a->id || !a->location || !a->account_name)
            rc = ms_fail(err, MS_ERR_NOMEM, NULL);
    }
    strbuf_free(&packages);
    strbuf_free(&dir);
    return rc;
}

static ms_code scan_outlook_app(const ms_env *env, ms_account_list *out, ms_error *err)
{
    return scan_byhand(env, &outlook_app, out, err);
}

static ms_code scan_mail_app(const ms_env *env, ms_account_list *out, ms_error *err)
{
    return scan_byhand(env, &mail_app, out, err);
}

/* Nothing is changed, so a running app blocks nothing: no process names. */
static const char *const no_exes[] = {NULL};

const ms_backend byhand_backend_outlook_app = {
    .program = MS_PROG_OUTLOOK_APP,
    .id = "outlook_new",
    .process_names = no_exes,
    .scan = scan_outlook_app,
    .apply = backend_apply_by_hand,
    .add_account = NULL,
    .can_change = 0, /* found only: every change is by hand */
};

const ms_backend byhand_backend_mail_app = {
    .program = MS_PROG_MAIL_APP,
    .id = "windows_mail_app",
    .process_names = no_exes,
    .scan = scan_mail_app,
    .apply = backend_apply_by_hand,
    .add_account = NULL,
    .can_change = 0, /* found only: every change is by hand */
};

/* ---- the steps */

static void step_end(strbuf *out, size_t *n)
{
    strbuf_addch(out, '\0');
    (*n)++;
}

static const char *security_word(profile_security s, bool ja)
{
    switch (s) {
    case PROFILE_SEC_SSL:
        return "SSL/TLS";
    case PROFILE_SEC_STARTTLS:
        return "STARTTLS";
    default:
        return ja ? "なし" : "None";
    }
}

/* What the profile changes, in the words of the step lists. */
struct targets {
    const char *out_host, *in_host;
    unsigned port;
    profile_security sec;
    bool same_auth, user_email, in_changes;
};

static struct targets targets_of(const profile *p)
{
    struct targets t;
    t.out_host = profile_outgoing_target(p);
    t.in_host = profile_incoming_target(p);
    t.port = p->outgoing.port;
    t.sec = p->outgoing.security;
    t.same_auth = p->outgoing.auth == PROFILE_AUTH_SAME_AS_INCOMING;
    t.user_email = p->incoming.user_name == PROFILE_USER_EMAIL_ADDRESS;
    t.in_changes = t.in_host && (p->incoming.host || p->incoming.n_host_map);
    return t;
}

static void outgoing_host_text(strbuf *out, const struct targets *t, bool ja)
{
    if (t->out_host)
        strbuf_addstr(out, t->out_host);
    else
        strbuf_addstr(out, ja ? "プロバイダーが指定する送信サーバー"
                              : "the outgoing server your provider names");
}

static size_t steps_outlook_app(const profile *p, bool ja, strbuf *out)
{
    struct targets t = targets_of(p);
    const char *isp = profile_text_any(&p->name, ja ? MS_LANG_JA : MS_LANG_EN);
    size_t n = 0;
    if (ja)
        strbuf_addstr(out, "Outlook (new) を開き、右上の［設定］(歯車のアイコン) を選びます。");
    else
        strbuf_addstr(out,
                      "Open Outlook (new) and choose Settings (the gear icon) at the top right.");
    step_end(out, &n);
    if (ja)
        strbuf_addf(out,
                    "［アカウント］→［メール アカウント］で、%s "
                    "のメールアドレスのアカウントの［管理］を選び、サーバーの設定を開きます。",
                    isp);
    else
        strbuf_addf(out,
                    "Under Accounts > Email accounts, choose Manage next to your %s address and "
                    "open its server settings.",
                    isp);
    step_end(out, &n);
    if (t.in_changes) {
        if (ja)
            strbuf_addf(out, "受信サーバーを %s にします。", t.in_host);
        else
            strbuf_addf(out, "Set the incoming server to %s.", t.in_host);
        step_end(out, &n);
    }
    if (t.user_email) {
        strbuf_addstr(
            out,
            ja ? "ユーザー名を、メールアドレス全体にします。パスワードは変わりません。"
               : "Set the user name to your whole e-mail address. The password does not change.");
        step_end(out, &n);
    }
    strbuf_addstr(out, ja ? "SMTP (送信) サーバーを " : "Set the SMTP (outgoing) server to ");
    outgoing_host_text(out, &t, ja);
    if (ja)
        strbuf_addf(out, "、SMTP ポートを %u、セキュリティで保護された接続の種類を %s にします。",
                    t.port, security_word(t.sec, true));
    else
        strbuf_addf(out, ", the SMTP port to %u and the secure connection type to %s.", t.port,
                    security_word(t.sec, false));
    step_end(out, &n);
    if (t.same_auth)
        strbuf_addstr(out,
                      ja ? "送信 (SMTP) のユーザー名とパスワードは、受信と同じものを入力します。"
                         : "For the SMTP (outgoing) user name and password, enter the same as for "
                           "incoming mail.");
    else
        strbuf_addstr(out,
                      ja ? "送信 (SMTP) "
                           "のユーザー名とパスワードは、会員証に書かれた送信用のものを入力します。"
                         : "For the SMTP (outgoing) user name and password, enter the ones for "
                           "sending from your membership sheet.");
    step_end(out, &n);
    strbuf_addstr(
        out,
        ja ? "［保存］(または［続行］) を選び、自分宛てにテストメールを送って届くことを確かめます。"
           : "Choose Save (or Continue), then send a test message to yourself and check that it "
             "arrives.");
    step_end(out, &n);
    return n;
}

static size_t steps_mail_app(const profile *p, bool ja, strbuf *out)
{
    struct targets t = targets_of(p);
    const char *isp = profile_text_any(&p->name, ja ? MS_LANG_JA : MS_LANG_EN);
    size_t n = 0;
    strbuf_addstr(out, ja ? "「メール」アプリを開き、左下の［設定］(歯車のアイコン) "
                            "→［アカウントの管理］を選びます。"
                          : "Open the Mail app and choose Settings (the gear icon, bottom left) > "
                            "Manage accounts.");
    step_end(out, &n);
    if (ja)
        strbuf_addf(out,
                    "%s "
                    "のメールアドレスのアカウントを選び、［メールボックスの同期設定を変更］→［詳細"
                    "メールボックス設定］を開きます。",
                    isp);
    else
        strbuf_addf(out,
                    "Choose your %s account, then Change mailbox sync settings > Advanced mailbox "
                    "settings.",
                    isp);
    step_end(out, &n);
    if (t.in_changes) {
        if (ja)
            strbuf_addf(out, "［受信メール サーバー］を %s にします。", t.in_host);
        else
            strbuf_addf(out, "Set Incoming email server to %s.", t.in_host);
        step_end(out, &n);
    }
    if (t.user_email) {
        strbuf_addstr(
            out, ja ? "［ユーザー名］を、メールアドレス全体にします。パスワードは変わりません。"
                    : "Set User name to your whole e-mail address. The password does not change.");
        step_end(out, &n);
    }
    strbuf_addstr(out, ja ? "［送信メール サーバー (SMTP)］を "
                          : "Set Outgoing (SMTP) email server to ");
    outgoing_host_text(out, &t, ja);
    if (ja)
        strbuf_addf(out, ":%u にします (サーバー名の後ろに「:」とポート番号 %u)。", t.port, t.port);
    else
        strbuf_addf(out, ":%u (the server name, a colon and the port %u).", t.port, t.port);
    step_end(out, &n);
    if (ja)
        strbuf_addf(
            out,
            "［送信サーバーは、認証が必要］をオンにし、［メールの送信に同じユーザー名とパスワードを"
            "使う］を%sにします。",
            t.same_auth
                ? "オン"
                : "オフにして、会員証に書かれた送信用のユーザー名とパスワードを入力する設定");
    else
        strbuf_addf(
            out,
            "Turn on 'Outgoing server requires authentication' and %s 'Use the same user name and "
            "password for sending email'%s.",
            t.same_auth ? "turn on" : "turn off",
            t.same_auth
                ? ""
                : ", then enter the user name and password for sending from your membership sheet");
    step_end(out, &n);
    if (ja)
        strbuf_addf(out, "［送信メールに SSL を必要とする］を%sにします。",
                    t.sec == PROFILE_SEC_NONE ? "オフ" : "オン");
    else
        strbuf_addf(out, "Turn %s 'Require SSL for outgoing email'.",
                    t.sec == PROFILE_SEC_NONE ? "off" : "on");
    step_end(out, &n);
    strbuf_addstr(
        out,
        ja ? "［完了］→［保存］を選び、自分宛てにテストメールを送って届くことを確かめます。"
           : "Choose Done > Save, then send a test message to yourself and check that it arrives.");
    step_end(out, &n);
    return n;
}

size_t byhand_steps(const profile *p, ms_program prog, ms_lang lang, strbuf *out,
                    const char **title)
{
    if (title)
        *title = NULL;
    const profile_manual *m = profile_find_manual(p, account_program_id(prog));
    if (m) {
        if (title)
            *title = profile_text_any(&m->title, lang);
        for (size_t k = 0; k < m->n_steps; k++) {
            const char *step = profile_text_any(&m->steps[k], lang);
            profile_expand(p, step ? step : "", lang, NULL, out);
            strbuf_addch(out, '\0');
        }
        return m->n_steps;
    }
    bool ja = lang == MS_LANG_JA;
    if (prog == MS_PROG_OUTLOOK_APP)
        return steps_outlook_app(p, ja, out);
    if (prog == MS_PROG_MAIL_APP)
        return steps_mail_app(p, ja, out);
    return 0;
}
