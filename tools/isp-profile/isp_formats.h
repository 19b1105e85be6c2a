/* isp_formats: the standard formats around an ISP profile, for the
 * isp-profile tool: Thunderbird autoconfig (clientConfig v1.1) in and out,
 * an Apple configuration profile (.mobileconfig, com.apple.mail.managed)
 * out, and the manual steps as HTML. Writers escape every value they
 * write; the reader uses libxml2 and refuses DTDs. All text UTF-8. */
#ifndef MS_ISP_FORMATS_H
#define MS_ISP_FORMATS_H

#include <stddef.h>

#include "error.h"
#include "profile.h"
#include "strbuf.h"

/* Larger autoconfig files are refused before parsing. */
#define AUTOCONFIG_MAX_BYTES ((size_t)1024 * 1024)

/* Reads a clientConfig v1.1 document and appends a profile skeleton (JSON,
 * format 1) to json. What a profile cannot hold (a second incoming server,
 * a second SMTP port, an authentication method) is listed in notes, one
 * English line each. The skeleton is not validated here: the caller runs
 * profile_load_json() on it. Errors: MS_ERR_AUTOCONFIG_XML (not XML, or a
 * DTD), MS_ERR_AUTOCONFIG_FORMAT (XML, but not clientConfig), MS_ERR_NOMEM.
 * Sets libxml2's generic error handler to a silent one (this thread). */
ms_code autoconfig_import(const char *xml, size_t len, strbuf *json, strbuf *notes, ms_error *err);

/* clientConfig v1.1 for p: emailProvider id = first domain (else p->id),
 * one incomingServer, the outgoing server, then one outgoingServer per
 * alternative, documentation url = support.web. Needs an incoming and an
 * outgoing target host (MS_ERR_EXPORT_INCOMPLETE otherwise). The user name
 * is %EMAILADDRESS% for user_name email_address, else %EMAILLOCALPART%. */
ms_code autoconfig_export(const profile *p, strbuf *out, strbuf *notes, ms_error *err);

/* An Apple configuration profile (XML plist) with one com.apple.mail.managed
 * payload. UUIDs are derived from the profile id, so the output is the same
 * on every run. Needs the same target hosts as autoconfig_export. */
ms_code mobileconfig_export(const profile *p, ms_lang lang, strbuf *out, strbuf *notes,
                            ms_error *err);

/* The POX Autodiscover response (Outlook's automatic account setup) for
 * p: one Account with a POP3 or IMAP Protocol and an SMTP Protocol
 * (Server, Port, LoginName, SPA off, SSL + Encryption, AuthRequired,
 * UsePOPAuth). LoginName follows $.incoming.user_name for email (the whole
 * address, or its local part); email NULL writes %EMAILADDRESS% or
 * %EMAILLOCALPART% for the answering server to fill in. Needs the same
 * target hosts as autoconfig_export; MS_ERR_USAGE for an email that is no
 * address. What the format cannot hold goes to notes. */
ms_code autodiscover_export(const profile *p, const char *email, strbuf *out, strbuf *notes,
                            ms_error *err);

/* A complete HTML page with the ISP's explanation and the steps for one
 * program (program NULL: every manual in the profile), placeholders filled
 * in. MS_ERR_NO_MANUAL when the profile has no manual for program. */
ms_code manual_render_html(const profile *p, const char *program, ms_lang lang, strbuf *out,
                           ms_error *err);

/* The incoming port an export writes: incoming.port, else the default of
 * the protocol + security (110/995, 143/993) when the profile keeps the
 * account's own port. */
unsigned isp_incoming_port(const profile *p);

/* Escapes & < > " ' for XML and HTML text and attributes; drops control
 * characters XML cannot carry; \n becomes "&#10;" when in_attr. */
void xml_escape(strbuf *out, const char *s, int in_attr);

#endif
