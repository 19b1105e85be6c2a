/* plan: decides, per scanned account, what the profile wants changed. */
#include "plan.h"

#include <stdlib.h>
#include <string.h>

#include "backend.h"

enum label_family { FAM_MSOE, FAM_OUTLOOK, FAM_MOZ, FAM_OTHER, FAM_COUNT };

struct label {
    enum label_family fam;
    ms_field field;
    const char *text[2];
};

static const struct label labels[] = {
#define MS_LABEL(fam, field, ja, en) {FAM_##fam, field, {ja, en}},
#include "labels.def"
#undef MS_LABEL
};

static enum label_family family_of(ms_program p)
{
    switch (p) {
    case MS_PROG_OE:
    case MS_PROG_WINMAIL:
    case MS_PROG_WLMAIL:
    case MS_PROG_OUTLOOK_IMO: /* the Internet Accounts dialog OE has too */
        return FAM_MSOE;
    case MS_PROG_OUTLOOK:
    case MS_PROG_OUTLOOK_NEW:
        return FAM_OUTLOOK;
    case MS_PROG_THUNDERBIRD:
    case MS_PROG_NETSCAPE:
        return FAM_MOZ;
    default:
        return FAM_OTHER;
    }
}

static const char *label_text(enum label_family fam, ms_field f, ms_lang lang)
{
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (labels[i].fam == fam && labels[i].field == f)
            return labels[i].text[lang == MS_LANG_EN];
    return account_field_id(f);
}

static bool same_host(const char *a, const char *b)
{
    if (!a || !*a)
        return !b || !*b;
    return b && ms_strcasecmp(a, b) == 0;
}

static bool same_str(const char *a, const char *b)
{
    if (!a || !*a)
        return !b || !*b;
    return b && strcmp(a, b) == 0;
}

/* A growable change list for one account. */
struct changes {
    ms_change *v;
    size_t n, cap;
    bool oom;
};

static void add_change(struct changes *c, ms_field f, ms_value from, ms_value to)
{
    if (c->oom)
        return;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 8;
        ms_change *nv = realloc(c->v, cap * sizeof *nv);
        if (!nv) {
            c->oom = true;
            return;
        }
        c->v = nv;
        c->cap = cap;
    }
    c->v[c->n++] = (ms_change){f, from, to};
}

static ms_value str_value(const char *s)
{
    return (ms_value){s, 0};
}

static ms_value num_value(unsigned n)
{
    return (ms_value){NULL, n};
}

/* The user name the account's incoming server should get. */
static const char *target_incoming_user(const profile *p, const ms_account *a)
{
    if (p->incoming.user_name == PROFILE_USER_EMAIL_ADDRESS && a->email && *a->email)
        return a->email;
    return a->incoming_user;
}

/* The outgoing security and port account a gets. Never a downgrade: an
 * account on STARTTLS or SSL keeps it, and keeps its port when that is 465
 * or 587, whatever the profile's security says; only a profile that states
 * its server offers no TLS (outgoing.server_offers_no_tls) turns it off. An
 * account on TLS on another port (25) gets the profile's port, with the
 * profile's TLS kind, or the one that fits that port when the profile says
 * none. */
static void smtp_security_for(const profile *p, const ms_account *a, unsigned profile_port,
                              ms_security *sec, unsigned *port, plan_security_note *note)
{
    ms_security want = (ms_security)p->outgoing.security;
    *sec = want;
    *port = profile_port;
    *note = PLAN_SEC_AS_PROFILE;
    if (a->smtp_security == MS_SEC_NONE)
        return;
    if (want == MS_SEC_NONE && p->outgoing.server_offers_no_tls) {
        *note = PLAN_SEC_TURNED_OFF;
        return;
    }
    if (a->smtp_port == 465 || a->smtp_port == 587) {
        *sec = a->smtp_security;
        *port = a->smtp_port;
        if (want != *sec || profile_port != *port)
            *note = PLAN_SEC_KEPT;
        return;
    }
    if (want == MS_SEC_NONE) {
        *sec = profile_port == 465 ? MS_SEC_SSL : MS_SEC_STARTTLS;
        *note = PLAN_SEC_KEPT;
    }
}

/* Appends the changes that bring account a to the profile's settings. */
static void changes_for(const profile *p, const ms_account *a, struct changes *c,
                        plan_security_note *note)
{
    const char *smtp_host = profile_map_smtp_host(p, a->smtp_host);
    if (!same_host(a->smtp_host, smtp_host))
        add_change(c, MS_F_SMTP_HOST, str_value(a->smtp_host), str_value(smtp_host));

    ms_security sec;
    unsigned port;
    smtp_security_for(p, a, profile_smtp_port_for(p, smtp_host), &sec, &port, note);
    if (a->smtp_port != port)
        add_change(c, MS_F_SMTP_PORT, num_value(a->smtp_port), num_value(port));

    const char *in_user = target_incoming_user(p, a);
    ms_smtp_auth auth =
        p->outgoing.auth == PROFILE_AUTH_OWN ? MS_AUTH_OWN : MS_AUTH_SAME_AS_INCOMING;
    if (a->smtp_auth != auth)
        add_change(c, MS_F_SMTP_AUTH, num_value(a->smtp_auth), num_value(auth));
    if (auth == MS_AUTH_OWN && !same_str(a->smtp_user, in_user))
        add_change(c, MS_F_SMTP_USER, str_value(a->smtp_user), str_value(in_user));

    if (a->smtp_security != sec)
        add_change(c, MS_F_SMTP_SECURITY, num_value(a->smtp_security), num_value(sec));

    const char *in_host = profile_map_incoming_host(p, a->incoming_host);
    if (!same_host(a->incoming_host, in_host))
        add_change(c, MS_F_INCOMING_HOST, str_value(a->incoming_host), str_value(in_host));

    if (!same_str(a->incoming_user, in_user))
        add_change(c, MS_F_INCOMING_USER, str_value(a->incoming_user), str_value(in_user));
}

/* Moves the changes a's back-end cannot hold from c to by_hand. */
static void split_by_hand(const ms_account *a, struct changes *c, struct changes *by_hand)
{
    const ms_backend *be = backend_for(a->program);
    size_t keep = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (backend_can_change(be, a, &c->v[i]))
            c->v[keep++] = c->v[i];
        else
            add_change(by_hand, c->v[i].field, c->v[i].from, c->v[i].to);
    }
    c->n = keep;
}

/* In add-account mode: the account on the new server that already stands
 * beside `old` (same program, same identity/profile, same address). */
static const ms_account *new_twin(const profile *p, const ms_account_list *accts,
                                  const ms_account *old)
{
    for (size_t i = 0; i < accts->count; i++) {
        const ms_account *b = &accts->items[i];
        if (b == old || b->program != old->program || !same_str(b->container, old->container))
            continue;
        if (b->email && old->email && ms_strcasecmp(b->email, old->email) == 0 &&
            same_host(b->incoming_host, p->incoming.host))
            return b;
    }
    return NULL;
}

ms_code plan_build(const profile *p, const ms_account_list *accts, ms_plan **out, ms_error *err)
{
    *out = NULL;
    ms_plan *plan = calloc(1, sizeof *plan);
    if (!plan)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    plan->items = calloc(accts->count ? accts->count : 1, sizeof *plan->items);
    if (!plan->items) {
        free(plan);
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    }
    plan->count = accts->count;

    bool add_mode = p->mode == PROFILE_MODE_ADD_ACCOUNT && p->incoming.host;
    for (size_t i = 0; i < accts->count; i++) {
        const ms_account *a = &accts->items[i];
        plan_item *it = &plan->items[i];
        it->account = a;
        /* summary_only: the scan's scope found it is not the ISP's. */
        if (a->summary_only || !profile_owns_account(p, a->email, a->incoming_host, a->smtp_host)) {
            it->status = PLAN_NOT_ISP;
            continue;
        }
        struct changes c = {0}, by_hand = {0};
        bool on_new_server = same_host(a->incoming_host, p->incoming.host);
        if (add_mode && !on_new_server) {
            if (new_twin(p, accts, a)) {
                it->status = PLAN_REPLACED;
                continue;
            }
            /* The new account: the old one's user data, the profile's servers. */
            it->status = PLAN_ADD_ACCOUNT;
            it->make_default = p->add_account.make_default;
            changes_for(p, a, &c, &it->security_note);
            /* The new account is not the default until we make it so,
             * whatever the old one was. */
            if (it->make_default)
                add_change(&c, MS_F_DEFAULT, num_value(0), num_value(1));
            const ms_backend *be = backend_for(a->program);
            if (!be || !be->add_account) {
                /* The program cannot add it: the subscriber does, by hand. */
                it->status = PLAN_MANUAL;
                it->add_by_hand = true;
                by_hand = c;
                c = (struct changes){0};
            }
        } else {
            changes_for(p, a, &c, &it->security_note);
            if (add_mode && p->add_account.make_default && !a->is_default)
                add_change(&c, MS_F_DEFAULT, num_value(0), num_value(1));
            split_by_hand(a, &c, &by_hand);
            it->status = c.n ? PLAN_CHANGE : by_hand.n ? PLAN_MANUAL : PLAN_ALREADY_DONE;
        }
        it->changes = c.v;
        it->n_changes = c.n;
        it->manual = by_hand.v;
        it->n_manual = by_hand.n;
        if (c.oom || by_hand.oom) {
            plan_free(plan);
            return ms_fail(err, MS_ERR_NOMEM, NULL);
        }
    }
    *out = plan;
    return MS_OK;
}

void plan_free(ms_plan *plan)
{
    if (!plan)
        return;
    for (size_t i = 0; i < plan->count; i++) {
        free(plan->items[i].changes);
        free(plan->items[i].manual);
    }
    free(plan->items);
    free(plan);
}

static bool replace_str(char **slot, const char *v)
{
    char *d = NULL;
    if (v && !(d = ms_strdup(v)))
        return false;
    free(*slot);
    *slot = d;
    return true;
}

ms_code plan_expected_account(const ms_account *a, const ms_change *changes, size_t n,
                              ms_account *out, ms_error *err)
{
    if (account_copy(out, a) != MS_OK)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        const ms_change *c = &changes[i];
        switch (c->field) {
        case MS_F_SMTP_HOST:
            ok = ok && replace_str(&out->smtp_host, c->to.str);
            break;
        case MS_F_SMTP_PORT:
            out->smtp_port = c->to.num;
            break;
        case MS_F_SMTP_AUTH:
            out->smtp_auth = (ms_smtp_auth)c->to.num;
            break;
        case MS_F_SMTP_USER:
            ok = ok && replace_str(&out->smtp_user, c->to.str);
            break;
        case MS_F_SMTP_SECURITY:
            out->smtp_security = (ms_security)c->to.num;
            break;
        case MS_F_INCOMING_HOST:
            ok = ok && replace_str(&out->incoming_host, c->to.str);
            break;
        case MS_F_INCOMING_USER:
            ok = ok && replace_str(&out->incoming_user, c->to.str);
            break;
        case MS_F_DEFAULT:
            out->is_default = c->to.num != 0;
            break;
        case MS_F_COUNT:
            break;
        }
    }
    if (!ok) {
        account_free(out);
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    }
    return MS_OK;
}

/* Sets field f of the item's changes to `to` (from the account's value
 * `from`): replaced in place, dropped when to == from, or appended to v
 * (which has room for one more). Returns the new count. */
static size_t set_num_change(ms_change *v, size_t n, ms_field f, unsigned from, unsigned to)
{
    size_t i = 0;
    while (i < n && v[i].field != f)
        i++;
    if (from == to) {
        if (i < n) {
            memmove(&v[i], &v[i + 1], (n - i - 1) * sizeof *v);
            n--;
        }
        return n;
    }
    if (i == n)
        n++;
    v[i] = (ms_change){f, num_value(from), num_value(to)};
    return n;
}

ms_code plan_set_smtp_security(plan_item *it, ms_security sec, unsigned port, ms_error *err)
{
    ms_change *v = realloc(it->changes, (it->n_changes + 2) * sizeof *v);
    if (!v)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    it->changes = v;
    const ms_account *a = it->account;
    size_t n = set_num_change(v, it->n_changes, MS_F_SMTP_PORT, a->smtp_port, port);
    n = set_num_change(v, n, MS_F_SMTP_SECURITY, (unsigned)a->smtp_security, (unsigned)sec);
    it->n_changes = n;
    if (n && it->status == PLAN_ALREADY_DONE)
        it->status = PLAN_CHANGE;
    return MS_OK;
}

size_t plan_count(const ms_plan *plan, plan_status status)
{
    size_t n = 0;
    for (size_t i = 0; i < plan->count; i++)
        n += plan->items[i].status == status;
    return n;
}

static const char *auth_text(ms_smtp_auth a, enum label_family fam, ms_lang lang)
{
    bool en = lang == MS_LANG_EN;
    switch (a) {
    case MS_AUTH_NONE:
        return en ? "off" : "オフ";
    case MS_AUTH_SAME_AS_INCOMING:
        if (fam == FAM_MOZ)
            return en ? "normal password, same user name as incoming"
                      : "平文のパスワード認証 (ユーザー名は受信サーバーと同じ)";
        if (fam == FAM_OUTLOOK)
            return en ? "on (Use same settings as my incoming mail server)"
                      : "オン (受信メール サーバーと同じ設定を使用する)";
        return en ? "on (Use same settings as my incoming mail server)"
                  : "オン (受信メールサーバーと同じ設定を使用する)";
    case MS_AUTH_OWN:
        return en ? "on (Log on using a user name and password)"
                  : "オン (次のアカウントとパスワードでログオンする)";
    case MS_AUTH_SPA:
        return en ? "on (Secure Password Authentication)"
                  : "オン (セキュリティで保護されたパスワード認証)";
    }
    return "?";
}

static const char *security_text(ms_security s, ms_lang lang)
{
    switch (s) {
    case MS_SEC_NONE:
        return lang == MS_LANG_EN ? "none" : "なし";
    case MS_SEC_STARTTLS:
        return "STARTTLS";
    case MS_SEC_SSL:
        return "SSL/TLS";
    }
    return "?";
}

static void describe_value(ms_field f, ms_value v, enum label_family fam, ms_lang lang, strbuf *out)
{
    switch (f) {
    case MS_F_SMTP_PORT:
        strbuf_addf(out, "%u", v.num);
        break;
    case MS_F_SMTP_AUTH:
        strbuf_addstr(out, auth_text((ms_smtp_auth)v.num, fam, lang));
        break;
    case MS_F_SMTP_SECURITY:
        strbuf_addstr(out, security_text((ms_security)v.num, lang));
        break;
    case MS_F_DEFAULT:
        strbuf_addstr(out, v.num ? (lang == MS_LANG_EN ? "yes" : "はい")
                                 : (lang == MS_LANG_EN ? "no" : "いいえ"));
        break;
    default:
        strbuf_addstr(out, v.str && *v.str ? v.str : (lang == MS_LANG_EN ? "(none)" : "(なし)"));
        break;
    }
}

void plan_describe_change(const ms_change *c, ms_program prog, ms_lang lang, strbuf *out)
{
    enum label_family fam = family_of(prog);
    strbuf_addstr(out, label_text(fam, c->field, lang));
    strbuf_addstr(out, ": ");
    describe_value(c->field, c->from, fam, lang, out);
    strbuf_addstr(out, " → ");
    describe_value(c->field, c->to, fam, lang, out);
}

static const char *const status_ids[PLAN_STATUS_COUNT] = {"not_isp",     "already_done", "change",
                                                          "add_account", "replaced",     "by_hand"};

static const char *const status_text[PLAN_STATUS_COUNT][2] = {
    {"このプロバイダーのアカウントではないため、変更しません。",
     "Not this provider's account; left unchanged."},
    {"設定は変更済みです。変更の必要はありません。", "Already set up; nothing to change."},
    {"設定の変更が必要です。", "Needs these changes."},
    {"新しいメールサーバーのアカウントを追加します。",
     "A new account for the new mail server will be added."},
    {"新しいメールサーバーのアカウントが追加済みです。",
     "The account for the new mail server exists already."},
    {"このメールソフトの設定は自動では変更できません。次の設定を、メールソフトの画面で変更してくだ"
     "さい。",
     "This mail program's settings cannot be changed automatically. Please change the following "
     "in the mail program's own settings."},
};

const char *plan_status_text(plan_status s, ms_lang lang)
{
    return (unsigned)s < PLAN_STATUS_COUNT ? status_text[s][lang == MS_LANG_EN] : "?";
}

const char *plan_item_text(const plan_item *it, ms_lang lang)
{
    if (it->status == PLAN_MANUAL && it->add_by_hand)
        return plan_manual_text(it, lang);
    if (it->status == PLAN_CHANGE && it->n_manual)
        return lang == MS_LANG_EN ? "Needs these changes; some of them by hand."
                                  : "設定の変更が必要です。一部は手動で変更していただきます。";
    return plan_status_text(it->status, lang);
}

const char *plan_status_id(plan_status s)
{
    return (unsigned)s < PLAN_STATUS_COUNT ? status_ids[s] : "unknown";
}

void plan_describe_security_note(const plan_item *it, ms_lang lang, strbuf *out)
{
    bool en = lang == MS_LANG_EN;
    const ms_account *a = it->account;
    switch (it->security_note) {
    case PLAN_SEC_AS_PROFILE:
        return;
    case PLAN_SEC_KEPT:
        if (en)
            strbuf_addf(out,
                        "This account already encrypts its outgoing connection (%s), so the "
                        "encryption stays as it is.",
                        security_text(a->smtp_security, lang));
        else
            strbuf_addf(out,
                        "このアカウントは送信メールの接続をすでに暗号化 (%s) "
                        "しているため、暗号化の設定はそのままにします。",
                        security_text(a->smtp_security, lang));
        return;
    case PLAN_SEC_TURNED_OFF:
        strbuf_addstr(out,
                      en ? "Your provider states that its outgoing mail server offers no "
                           "encryption, so the encryption of this connection is turned off."
                         : "プロバイダーの送信メールサーバーは暗号化した接続に対応していないため、"
                           "この接続の暗号化をオフにします。");
        return;
    case PLAN_SEC_UPGRADED:
    case PLAN_SEC_NOT_UPGRADED: {
        char buf[1024];
        strbuf_addf(out, "[%s] %s", ms_code_helpdesk(it->tls_upgrade.code),
                    ms_error_format(&it->tls_upgrade, lang, buf, sizeof buf));
        return;
    }
    }
}

const char *plan_security_note_id(plan_security_note n)
{
    static const char *const ids[] = {NULL, "kept", "turned_off", "upgraded", "not_upgraded"};
    return (unsigned)n < sizeof ids / sizeof ids[0] ? ids[n] : NULL;
}

const char *plan_manual_text(const plan_item *it, ms_lang lang)
{
    bool en = lang == MS_LANG_EN;
    if (it->add_by_hand)
        return en ? "This mail program cannot add the account automatically. Please add a new "
                    "account in the mail program with these settings:"
                  : "このメールソフトにはアカウントを自動で追加できません。メールソフトの画面で、"
                    "次の設定の新しいアカウントを追加してください。";
    return en ? "This mail program cannot hold these settings automatically. Please change them "
                "in the mail program's own settings:"
              : "次の設定は自動では変更できません。メールソフトの画面で変更してください。";
}
