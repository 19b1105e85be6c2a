/* autodiscover: writes a profile as the plain-old-XML (POX) Autodiscover
 * response Outlook reads when it sets up a POP3/IMAP account by itself;
 * see isp_formats.h. The elements and their values are Microsoft's
 * documented ones (isp-profiles/README.md, "Autodiscover", gives the
 * sources); tests/tools/check_isp_profile.py checks every element written
 * against that list. */
#include "isp_formats.h"

#include <string.h>

/* <SSL> says whether the connection is encrypted at all; <Encryption>
 * ([MS-OXDSCLI]) tells implicit TLS ("SSL") from STARTTLS ("TLS"). */
static void ad_security(strbuf *o, profile_security s)
{
    strbuf_addf(o, "        <SSL>%s</SSL>\n", s == PROFILE_SEC_NONE ? "off" : "on");
    strbuf_addf(o, "        <Encryption>%s</Encryption>\n",
                s == PROFILE_SEC_SSL        ? "SSL"
                : s == PROFILE_SEC_STARTTLS ? "TLS"
                                            : "None");
}

static void ad_text(strbuf *o, const char *elem, const char *value)
{
    strbuf_addf(o, "        <%s>", elem);
    xml_escape(o, value, 0);
    strbuf_addf(o, "</%s>\n", elem);
}

/* The log-on name for an address under the profile's user-name rule:
 * email_address -> the whole address; unchanged -> the local part (the
 * convention of the seed ISPs' new accounts). Without an address, the
 * autoconfig placeholders, for the server script to fill in. */
static void ad_login(strbuf *out, const profile *p, const char *email)
{
    bool whole = p->incoming.user_name == PROFILE_USER_EMAIL_ADDRESS;
    if (!email) {
        strbuf_addstr(out, whole ? "%EMAILADDRESS%" : "%EMAILLOCALPART%");
        return;
    }
    const char *at = strrchr(email, '@');
    strbuf_add(out, email, whole || !at ? strlen(email) : (size_t)(at - email));
}

static bool plausible_address(const char *e)
{
    const char *at = strrchr(e, '@');
    if (!at || at == e || !at[1] || strchr(at + 1, '.') == NULL)
        return false;
    for (const unsigned char *c = (const unsigned char *)e; *c; c++)
        if (*c <= 0x20 || *c == 0x7f || *c == '<' || *c == '>' || *c == '"')
            return false;
    return true;
}

ms_code autodiscover_export(const profile *p, const char *email, strbuf *o, strbuf *notes,
                            ms_error *err)
{
    if (email && !plausible_address(email))
        return ms_fail(err, MS_ERR_USAGE, "--email %s", email);
    const char *in = profile_incoming_target(p);
    const char *outh = profile_outgoing_target(p);
    if (!in)
        return ms_fail(err, MS_ERR_EXPORT_INCOMPLETE, "%s",
                       "incoming server ($.incoming.host, or one $.accounts.incoming_hosts entry)");
    if (!outh)
        return ms_fail(err, MS_ERR_EXPORT_INCOMPLETE, "%s",
                       "outgoing server ($.outgoing.host, or one target in $.outgoing.host_map)");
    strbuf login;
    strbuf_init(&login);
    ad_login(&login, p, email);
    profile_security in_sec =
        p->incoming.security == PROFILE_SEC_KEEP ? PROFILE_SEC_NONE : p->incoming.security;

    strbuf_addstr(o, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                     "<Autodiscover xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/"
                     "responseschema/2006\">\n"
                     "  <Response xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/"
                     "outlook/responseschema/2006a\">\n"
                     "    <Account>\n"
                     "      <AccountType>email</AccountType>\n"
                     "      <Action>settings</Action>\n"
                     "      <Protocol>\n");
    strbuf_addf(o, "        <Type>%s</Type>\n",
                p->incoming.protocol == PROFILE_PROTO_IMAP ? "IMAP" : "POP3");
    ad_text(o, "Server", in);
    strbuf_addf(o, "        <Port>%u</Port>\n", isp_incoming_port(p));
    strbuf_addstr(o, "        <DomainRequired>off</DomainRequired>\n");
    ad_text(o, "LoginName", login.buf);
    strbuf_addstr(o, "        <SPA>off</SPA>\n");
    ad_security(o, in_sec);
    strbuf_addstr(o, "        <AuthRequired>on</AuthRequired>\n"
                     "      </Protocol>\n"
                     "      <Protocol>\n"
                     "        <Type>SMTP</Type>\n");
    ad_text(o, "Server", outh);
    strbuf_addf(o, "        <Port>%u</Port>\n", (unsigned)p->outgoing.port);
    strbuf_addstr(o, "        <DomainRequired>off</DomainRequired>\n");
    bool same = p->outgoing.auth == PROFILE_AUTH_SAME_AS_INCOMING;
    if (same)
        ad_text(o, "LoginName", login.buf);
    strbuf_addstr(o, "        <SPA>off</SPA>\n");
    ad_security(o, p->outgoing.security);
    strbuf_addstr(o, "        <AuthRequired>on</AuthRequired>\n");
    strbuf_addf(o, "        <UsePOPAuth>%s</UsePOPAuth>\n", same ? "on" : "off");
    strbuf_addstr(o, "        <SMTPLast>off</SMTPLast>\n"
                     "      </Protocol>\n"
                     "    </Account>\n"
                     "  </Response>\n"
                     "</Autodiscover>\n");

    if (!email)
        strbuf_addf(notes,
                    "LoginName is %s: the server that answers Autodiscover must put in the "
                    "address from the request (or give --email)\n",
                    login.buf);
    if (!p->incoming.port)
        strbuf_addf(notes, "incoming port not in the profile; wrote the default %u\n",
                    isp_incoming_port(p));
    if (p->incoming.security == PROFILE_SEC_KEEP)
        strbuf_addstr(notes, "incoming security not in the profile; wrote none\n");
    if (!same)
        strbuf_addstr(notes, "outgoing.auth own: no SMTP LoginName written; Outlook asks for "
                             "the SMTP user name\n");
    for (size_t i = 0; i < p->outgoing.n_alternatives; i++)
        strbuf_addf(notes,
                    "alternative outgoing server %s is not in the response (one SMTP "
                    "Protocol per account)\n",
                    p->outgoing.alternatives[i].host);
    bool oom = login.oom;
    strbuf_free(&login);
    return o->oom || notes->oom || oom ? ms_fail(err, MS_ERR_NOMEM, NULL) : MS_OK;
}
