/* export: writes a profile as Thunderbird autoconfig XML, as an Apple
 * .mobileconfig, and its manual steps as HTML; see isp_formats.h.
 * Plain string writing with every value escaped: these writers need no XML
 * library, so they build wherever the core does. */
#include "isp_formats.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

void xml_escape(strbuf *out, const char *s, int in_attr)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '&':
            strbuf_addstr(out, "&amp;");
            break;
        case '<':
            strbuf_addstr(out, "&lt;");
            break;
        case '>':
            strbuf_addstr(out, "&gt;");
            break;
        case '"':
            strbuf_addstr(out, "&quot;");
            break;
        case '\'':
            strbuf_addstr(out, "&#39;");
            break;
        case '\n':
            strbuf_addstr(out, in_attr ? "&#10;" : "\n");
            break;
        case '\t':
            strbuf_addstr(out, in_attr ? "&#9;" : "\t");
            break;
        default:
            /* XML 1.0 cannot carry other C0 controls, not even as &#n;. */
            if (*p >= 0x20 && *p != 0x7f)
                strbuf_addch(out, (char)*p);
        }
    }
}

static void add_escaped(strbuf *out, const char *before, const char *value, const char *after)
{
    strbuf_addstr(out, before);
    xml_escape(out, value, 0);
    strbuf_addstr(out, after);
}

unsigned isp_incoming_port(const profile *p)
{
    if (p->incoming.port)
        return p->incoming.port;
    bool ssl = p->incoming.security == PROFILE_SEC_SSL;
    if (p->incoming.protocol == PROFILE_PROTO_IMAP)
        return ssl ? 993 : 143;
    return ssl ? 995 : 110;
}

static const char *socket_type(profile_security s)
{
    return s == PROFILE_SEC_SSL ? "SSL" : s == PROFILE_SEC_STARTTLS ? "STARTTLS" : "plain";
}

static ms_code need_targets(const profile *p, const char **in, const char **outh, ms_error *err)
{
    *in = profile_incoming_target(p);
    *outh = profile_outgoing_target(p);
    if (!*in)
        return ms_fail(err, MS_ERR_EXPORT_INCOMPLETE, "%s",
                       "incoming server ($.incoming.host, or one $.accounts.incoming_hosts entry)");
    if (!*outh)
        return ms_fail(err, MS_ERR_EXPORT_INCOMPLETE, "%s",
                       "outgoing server ($.outgoing.host, or one target in $.outgoing.host_map)");
    return MS_OK;
}

/* ------------------------------------------------------------ autoconfig */

static void ac_server(strbuf *o, const char *elem, const char *type, const char *host,
                      unsigned port, profile_security sec, const char *user)
{
    strbuf_addf(o, "    <%s type=\"%s\">\n", elem, type);
    add_escaped(o, "      <hostname>", host, "</hostname>\n");
    strbuf_addf(o, "      <port>%u</port>\n", port);
    strbuf_addf(o, "      <socketType>%s</socketType>\n", socket_type(sec));
    strbuf_addf(o, "      <username>%s</username>\n", user);
    strbuf_addstr(o, "      <authentication>password-cleartext</authentication>\n");
    strbuf_addf(o, "    </%s>\n", elem);
}

ms_code autoconfig_export(const profile *p, strbuf *o, strbuf *notes, ms_error *err)
{
    const char *in, *outh;
    ms_code rc = need_targets(p, &in, &outh, err);
    if (rc != MS_OK)
        return rc;
    const char *user =
        p->incoming.user_name == PROFILE_USER_EMAIL_ADDRESS ? "%EMAILADDRESS%" : "%EMAILLOCALPART%";
    const char *name = p->name.en ? p->name.en : p->name.ja;

    strbuf_addstr(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    strbuf_addstr(o, "<clientConfig version=\"1.1\">\n");
    strbuf_addstr(o, "  <emailProvider id=\"");
    xml_escape(o, p->n_domains ? p->domains[0] : p->id, 1);
    strbuf_addstr(o, "\">\n");
    for (size_t i = 0; i < p->n_domains; i++)
        add_escaped(o, "    <domain>", p->domains[i], "</domain>\n");
    add_escaped(o, "    <displayName>", name, "</displayName>\n");
    add_escaped(o, "    <displayShortName>", name, "</displayShortName>\n");
    ac_server(o, "incomingServer", p->incoming.protocol == PROFILE_PROTO_IMAP ? "imap" : "pop3", in,
              isp_incoming_port(p),
              p->incoming.security == PROFILE_SEC_KEEP ? PROFILE_SEC_NONE : p->incoming.security,
              user);
    ac_server(o, "outgoingServer", "smtp", outh, p->outgoing.port, p->outgoing.security, user);
    for (size_t i = 0; i < p->outgoing.n_alternatives; i++) {
        const profile_alt_outgoing *a = &p->outgoing.alternatives[i];
        ac_server(o, "outgoingServer", "smtp", a->host, profile_smtp_port_for(p, a->host),
                  p->outgoing.security, user);
        strbuf_addf(notes, "alternative outgoing server %s is listed after the main one\n",
                    a->host);
    }
    if (p->support.web) {
        strbuf_addstr(o, "    <documentation url=\"");
        xml_escape(o, p->support.web, 1);
        strbuf_addstr(o, "\"");
        const char *ja = p->explanation.ja, *en = p->explanation.en;
        if (ja || en) {
            strbuf_addstr(o, ">\n");
            for (int l = 0; l < 2; l++) {
                const char *t = l ? en : ja;
                if (!t)
                    continue;
                strbuf expanded;
                strbuf_init(&expanded);
                profile_expand(p, t, l ? MS_LANG_EN : MS_LANG_JA, NULL, &expanded);
                strbuf_addf(o, "      <descr lang=\"%s\">", l ? "en" : "ja");
                xml_escape(o, expanded.buf, 0);
                strbuf_addstr(o, "</descr>\n");
                strbuf_free(&expanded);
            }
            strbuf_addstr(o, "    </documentation>\n");
        } else {
            strbuf_addstr(o, "/>\n");
        }
    }
    strbuf_addstr(o, "  </emailProvider>\n</clientConfig>\n");
    if (p->outgoing.auth == PROFILE_AUTH_OWN)
        strbuf_addstr(notes, "outgoing.auth own: autoconfig cannot say that the SMTP user name "
                             "differs; Thunderbird will use the incoming one\n");
    if (!p->incoming.port)
        strbuf_addf(notes, "incoming port not in the profile; wrote the default %u\n",
                    isp_incoming_port(p));
    return o->oom || notes->oom ? ms_fail(err, MS_ERR_NOMEM, NULL) : MS_OK;
}

/* ---------------------------------------------------------- mobileconfig */

/* A stable UUID from a name: two FNV-1a 64-bit hashes, marked as RFC 9562
 * version 8 (vendor-specific), since it is neither random nor SHA-1. */
static void stable_uuid(const char *a, const char *b, char out[37])
{
    uint64_t h1 = 0xcbf29ce484222325u, h2 = 0x84222325cbf29ce4u;
    for (int pass = 0; pass < 2; pass++)
        for (const unsigned char *s = (const unsigned char *)(pass ? b : a); *s; s++) {
            h1 = (h1 ^ *s) * 0x100000001b3u;
            h2 = (h2 ^ *s) * 0x100000001b3u;
            h2 ^= h2 >> 29;
        }
    unsigned char u[16];
    for (int i = 0; i < 8; i++) {
        u[i] = (unsigned char)(h1 >> (56 - 8 * i));
        u[8 + i] = (unsigned char)(h2 >> (56 - 8 * i));
    }
    u[6] = (unsigned char)((u[6] & 0x0F) | 0x80); /* version 8 */
    u[8] = (unsigned char)((u[8] & 0x3F) | 0x80); /* RFC 4122 variant */
    snprintf(out, 37, "%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%02X", u[0],
             u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13],
             u[14], u[15]);
}

static void pl_key_string(strbuf *o, const char *indent, const char *key, const char *value)
{
    strbuf_addf(o, "%s<key>%s</key>\n%s<string>", indent, key, indent);
    xml_escape(o, value, 0);
    strbuf_addstr(o, "</string>\n");
}

static void pl_key_int(strbuf *o, const char *indent, const char *key, unsigned v)
{
    strbuf_addf(o, "%s<key>%s</key>\n%s<integer>%u</integer>\n", indent, key, indent, v);
}

static void pl_key_bool(strbuf *o, const char *indent, const char *key, bool v)
{
    strbuf_addf(o, "%s<key>%s</key>\n%s<%s/>\n", indent, key, indent, v ? "true" : "false");
}

/* Reverse-DNS identifier: the first domain reversed ("jp.ne.micnet"), else
 * the id under a name that cannot belong to anyone. */
static void reverse_dns(const profile *p, strbuf *o)
{
    if (!p->n_domains) {
        strbuf_addf(o, "invalid.mailsetup.%s", p->id);
        return;
    }
    const char *d = p->domains[0];
    size_t end = strlen(d);
    while (end > 0) {
        size_t start = end;
        while (start > 0 && d[start - 1] != '.')
            start--;
        strbuf_add(o, d + start, end - start);
        if (start == 0)
            break;
        strbuf_addch(o, '.');
        end = start - 1;
    }
    /* domain names are case-insensitive; identifiers read better lower-case */
    for (char *c = o->buf; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
}

ms_code mobileconfig_export(const profile *p, ms_lang lang, strbuf *o, strbuf *notes, ms_error *err)
{
    const char *in, *outh;
    ms_code rc = need_targets(p, &in, &outh, err);
    if (rc != MS_OK)
        return rc;
    const char *name = profile_text_any(&p->name, lang);
    strbuf ident, descr;
    strbuf_init(&ident);
    strbuf_init(&descr);
    reverse_dns(p, &ident);
    strbuf_addstr(&ident, ".mailsetup");
    profile_expand(p, profile_text_any(&p->explanation, lang), lang, NULL, &descr);
    char top_uuid[37], mail_uuid[37];
    stable_uuid(p->id, "configuration", top_uuid);
    stable_uuid(p->id, "com.apple.mail.managed", mail_uuid);
    const char *I = "\t\t\t";

    strbuf_addstr(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                     "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
                     "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
                     "<plist version=\"1.0\">\n<dict>\n"
                     "\t<key>PayloadContent</key>\n\t<array>\n\t\t<dict>\n");
    pl_key_string(o, I, "EmailAccountDescription", name);
    pl_key_string(o, I, "EmailAccountType",
                  p->incoming.protocol == PROFILE_PROTO_IMAP ? "EmailTypeIMAP" : "EmailTypePOP");
    pl_key_string(o, I, "IncomingMailServerAuthentication", "EmailAuthPassword");
    pl_key_string(o, I, "IncomingMailServerHostName", in);
    if (p->incoming.port)
        pl_key_int(o, I, "IncomingMailServerPortNumber", p->incoming.port);
    pl_key_bool(o, I, "IncomingMailServerUseSSL",
                p->incoming.security == PROFILE_SEC_SSL ||
                    p->incoming.security == PROFILE_SEC_STARTTLS);
    pl_key_string(o, I, "OutgoingMailServerAuthentication", "EmailAuthPassword");
    pl_key_string(o, I, "OutgoingMailServerHostName", outh);
    pl_key_int(o, I, "OutgoingMailServerPortNumber", p->outgoing.port);
    pl_key_bool(o, I, "OutgoingMailServerUseSSL", p->outgoing.security != PROFILE_SEC_NONE);
    pl_key_bool(o, I, "OutgoingPasswordSameAsIncomingPassword",
                p->outgoing.auth == PROFILE_AUTH_SAME_AS_INCOMING);
    if (descr.len)
        pl_key_string(o, I, "PayloadDescription", descr.buf);
    pl_key_string(o, I, "PayloadDisplayName", name);
    strbuf mid;
    strbuf_init(&mid);
    strbuf_addf(&mid, "%s.mail", ident.buf);
    pl_key_string(o, I, "PayloadIdentifier", mid.buf);
    strbuf_free(&mid);
    pl_key_string(o, I, "PayloadType", "com.apple.mail.managed");
    pl_key_string(o, I, "PayloadUUID", mail_uuid);
    pl_key_int(o, I, "PayloadVersion", 1);
    strbuf_addstr(o, "\t\t</dict>\n\t</array>\n");
    if (descr.len)
        pl_key_string(o, "\t", "PayloadDescription", descr.buf);
    pl_key_string(o, "\t", "PayloadDisplayName", name);
    pl_key_string(o, "\t", "PayloadIdentifier", ident.buf);
    pl_key_string(o, "\t", "PayloadOrganization", name);
    pl_key_bool(o, "\t", "PayloadRemovalDisallowed", false);
    pl_key_string(o, "\t", "PayloadType", "Configuration");
    pl_key_string(o, "\t", "PayloadUUID", top_uuid);
    pl_key_int(o, "\t", "PayloadVersion", 1);
    strbuf_addstr(o, "</dict>\n</plist>\n");

    for (size_t i = 0; i < p->outgoing.n_alternatives; i++)
        strbuf_addf(notes,
                    "alternative outgoing server %s is not in the .mobileconfig "
                    "(one payload holds one SMTP server)\n",
                    p->outgoing.alternatives[i].host);
    if (p->outgoing.auth == PROFILE_AUTH_OWN)
        strbuf_addstr(notes,
                      "outgoing.auth own: the device asks for the SMTP user name and password\n");
    strbuf_free(&ident);
    strbuf_free(&descr);
    return o->oom || notes->oom ? ms_fail(err, MS_ERR_NOMEM, NULL) : MS_OK;
}

/* ------------------------------------------------------------ manual HTML */

static void html_text(strbuf *o, const profile *p, const char *text, ms_lang lang)
{
    strbuf e;
    strbuf_init(&e);
    profile_expand(p, text, lang, NULL, &e);
    /* escape, then turn line breaks into <br> */
    strbuf esc;
    strbuf_init(&esc);
    xml_escape(&esc, e.buf, 0);
    for (const char *c = esc.buf; *c; c++) {
        if (*c == '\n')
            strbuf_addstr(o, "<br>\n");
        else
            strbuf_addch(o, *c);
    }
    strbuf_free(&esc);
    strbuf_free(&e);
}

/* A text in lang, else the other language marked with its own lang. */
static void html_text_lang(strbuf *o, const profile *p, const profile_text *t, ms_lang lang,
                           const char *elem)
{
    const char *s = profile_text_get(t, lang);
    ms_lang used = lang;
    if (!s) {
        used = lang == MS_LANG_EN ? MS_LANG_JA : MS_LANG_EN;
        s = profile_text_get(t, used);
    }
    if (!s)
        return;
    if (used != lang)
        strbuf_addf(o, "<%s lang=\"%s\">", elem, used == MS_LANG_EN ? "en" : "ja");
    else
        strbuf_addf(o, "<%s>", elem);
    html_text(o, p, s, used);
    strbuf_addf(o, "</%s>\n", elem);
}

static void html_manual(strbuf *o, const profile *p, const profile_manual *m, ms_lang lang)
{
    strbuf_addstr(o, "<section class=\"manual\" id=\"");
    xml_escape(o, m->program, 1);
    strbuf_addstr(o, "\">\n");
    html_text_lang(o, p, &m->title, lang, "h2");
    strbuf_addstr(o, "<ol>\n");
    for (size_t i = 0; i < m->n_steps; i++)
        html_text_lang(o, p, &m->steps[i], lang, "li");
    strbuf_addstr(o, "</ol>\n</section>\n");
}

ms_code manual_render_html(const profile *p, const char *program, ms_lang lang, strbuf *o,
                           ms_error *err)
{
    const profile_manual *only = NULL;
    if (program) {
        only = profile_find_manual(p, program);
        if (!only)
            return ms_fail(err, MS_ERR_NO_MANUAL, "%s", program);
    } else if (p->n_manuals == 0) {
        return ms_fail(err, MS_ERR_NO_MANUAL, "%s", "*");
    }
    bool en = lang == MS_LANG_EN;
    const char *isp = profile_text_any(&p->name, lang);
    strbuf_addf(o, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n",
                en ? "en" : "ja");
    strbuf_addstr(o, "<title>");
    xml_escape(o, isp, 0);
    strbuf_addstr(o, en ? ": mail settings for OP25B" : " メールソフトの設定変更");
    if (only) {
        const char *t = profile_text_any(&only->title, lang);
        strbuf_addstr(o, " - ");
        xml_escape(o, t, 0);
    }
    strbuf_addstr(o, "</title>\n");
    if (p->branding.has_accent)
        strbuf_addf(o, "<style>h1,h2{color:#%06x}</style>\n", (unsigned)p->branding.accent_rgb);
    strbuf_addstr(o, "</head>\n<body>\n<h1>");
    xml_escape(o, isp, 0);
    strbuf_addstr(o, en ? ": changing your mail settings" : " メールソフトの設定変更");
    strbuf_addstr(o, "</h1>\n");
    html_text_lang(o, p, &p->explanation, lang, "p");
    /* the settings at a glance, from the profile itself */
    const char *outh = profile_outgoing_target(p);
    strbuf_addf(o, "<table class=\"settings\">\n");
    if (outh) {
        strbuf_addstr(o, en ? "<tr><th>Outgoing server (SMTP)</th><td>"
                            : "<tr><th>送信メールサーバー (SMTP)</th><td>");
        xml_escape(o, outh, 0);
        strbuf_addstr(o, "</td></tr>\n");
    }
    strbuf_addf(o,
                en ? "<tr><th>Outgoing port</th><td>%u</td></tr>\n"
                   : "<tr><th>送信ポート番号</th><td>%u</td></tr>\n",
                (unsigned)p->outgoing.port);
    strbuf_addstr(o, en ? "<tr><th>Authentication</th><td>" : "<tr><th>送信時の認証</th><td>");
    if (p->outgoing.auth == PROFILE_AUTH_SAME_AS_INCOMING)
        strbuf_addstr(o, en ? "SMTP AUTH, same settings as the incoming server"
                            : "SMTP 認証（受信メールサーバーと同じ設定を使用する）");
    else
        strbuf_addstr(o, en ? "SMTP AUTH with its own user name and password"
                            : "SMTP 認証（送信用のユーザー名とパスワード）");
    strbuf_addstr(o, "</td></tr>\n");
    strbuf_addf(o,
                en ? "<tr><th>Connection security</th><td>%s</td></tr>\n"
                   : "<tr><th>接続の保護</th><td>%s</td></tr>\n",
                p->outgoing.security == PROFILE_SEC_SSL        ? "SSL/TLS"
                : p->outgoing.security == PROFILE_SEC_STARTTLS ? "STARTTLS"
                : en                                           ? "None"
                                                               : "なし");
    strbuf_addstr(o, "</table>\n");
    for (size_t i = 0; i < p->n_manuals; i++)
        if (!only || only == &p->manuals[i])
            html_manual(o, p, &p->manuals[i], lang);
    if (p->support.phone || p->support.web) {
        strbuf_addstr(o, en ? "<p class=\"support\">Support: "
                            : "<p class=\"support\">お問い合わせ: ");
        if (p->support.phone)
            xml_escape(o, p->support.phone, 0);
        if (p->support.web) {
            strbuf_addstr(o, p->support.phone ? " / <a href=\"" : "<a href=\"");
            xml_escape(o, p->support.web, 1);
            strbuf_addstr(o, "\">");
            xml_escape(o, p->support.web, 0);
            strbuf_addstr(o, "</a>");
        }
        strbuf_addstr(o, "</p>\n");
    }
    strbuf_addstr(o, "</body>\n</html>\n");
    return o->oom ? ms_fail(err, MS_ERR_NOMEM, NULL) : MS_OK;
}
