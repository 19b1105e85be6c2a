/* autoconfig_import: Thunderbird autoconfig (clientConfig v1.1) -> profile
 * skeleton JSON, read with libxml2; see isp_formats.h.
 * Format: https://wiki.mozilla.org/Thunderbird:Autoconfiguration:ConfigFileFormat
 * The document is untrusted: no network, no DTD (a file that has one is
 * refused, which also rules out entity expansion), size capped. */
#include "isp_formats.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

static bool is_elem(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* The element's text with surrounding white space removed (free()). */
static char *elem_text(const xmlNode *n)
{
    xmlChar *c = xmlNodeGetContent(n);
    if (!c)
        return NULL;
    const char *s = (const char *)c;
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    size_t len = strlen(s);
    while (len &&
           (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' || s[len - 1] == '\r'))
        len--;
    char *r = malloc(len + 1);
    if (r) {
        memcpy(r, s, len);
        r[len] = '\0';
    }
    xmlFree(c);
    return r;
}

static char *attr(const xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *r = malloc(strlen((const char *)v) + 1);
    if (r)
        strcpy(r, (const char *)v);
    xmlFree(v);
    return r;
}

/* One <incomingServer> / <outgoingServer>. */
typedef struct server {
    char *type, *hostname, *port, *socket, *username, *auth;
} server;

static void server_free(server *s)
{
    free(s->type);
    free(s->hostname);
    free(s->port);
    free(s->socket);
    free(s->username);
    free(s->auth);
    memset(s, 0, sizeof *s);
}

static void read_server(const xmlNode *n, server *s)
{
    s->type = attr(n, "type");
    for (const xmlNode *c = n->children; c; c = c->next) {
        char **slot = is_elem(c, "hostname")         ? &s->hostname
                      : is_elem(c, "port")           ? &s->port
                      : is_elem(c, "socketType")     ? &s->socket
                      : is_elem(c, "username")       ? &s->username
                      : is_elem(c, "authentication") ? &s->auth
                                                     : NULL;
        /* the first of each wins; autoconfig lists preferred values first */
        if (slot && !*slot)
            *slot = elem_text(c);
    }
}

static ms_code server_fields(const server *s, const char *what, long *port, const char **security,
                             ms_error *err)
{
    if (!s->hostname || !*s->hostname)
        return ms_fail(err, MS_ERR_AUTOCONFIG_FORMAT, "%s: no <hostname>", what);
    char *end = NULL;
    long v = s->port ? strtol(s->port, &end, 10) : 0;
    if (!s->port || end == s->port || *end || v < 1 || v > 65535)
        return ms_fail(err, MS_ERR_AUTOCONFIG_FORMAT, "%s: <port> %s", what,
                       s->port ? s->port : "missing");
    *port = v;
    const char *st = s->socket ? s->socket : "";
    if (strcmp(st, "plain") == 0)
        *security = "none";
    else if (strcmp(st, "SSL") == 0)
        *security = "ssl";
    else if (strcmp(st, "STARTTLS") == 0)
        *security = "starttls";
    else
        return ms_fail(err, MS_ERR_AUTOCONFIG_FORMAT, "%s: <socketType> %s", what,
                       s->socket ? s->socket : "missing");
    return MS_OK;
}

static void note_auth(strbuf *notes, const server *s, const char *what)
{
    const char *a = s->auth ? s->auth : "";
    if (strcmp(a, "password-cleartext") == 0 || strcmp(a, "plain") == 0)
        return;
    strbuf_addf(notes,
                "%s: authentication \"%s\" is not held in a profile; exports write "
                "password-cleartext\n",
                what, a);
}

/* "ocn.ne.jp" -> "ocn-ne-jp": [a-z0-9][a-z0-9-]{0,31} */
static void make_id(const char *src, char out[33])
{
    size_t n = 0;
    for (const char *c = src ? src : ""; *c && n < 32; c++) {
        char ch = *c >= 'A' && *c <= 'Z' ? (char)(*c - 'A' + 'a') : *c;
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
        if (!ok && n == 0)
            continue;
        out[n++] = ok ? ch : '-';
    }
    while (n && out[n - 1] == '-')
        n--;
    if (n == 0) {
        strcpy(out, "imported");
        return;
    }
    out[n] = '\0';
}

static const char *user_policy(const char *username, strbuf *notes, const char *what)
{
    if (username && strcmp(username, "%EMAILADDRESS%") == 0)
        return "email_address";
    if (!username || strcmp(username, "%EMAILLOCALPART%") != 0)
        strbuf_addf(notes,
                    "%s: <username> \"%s\" is neither %%EMAILADDRESS%% nor "
                    "%%EMAILLOCALPART%%; the profile keeps user names unchanged\n",
                    what, username ? username : "");
    return "unchanged";
}

/* libxml2 reports some errors (encoding conversion) through its global
 * generic handler even with XML_PARSE_NOERROR; the importer reports its own
 * error instead, so those messages are dropped. */
static void xml_quiet(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

ms_code autoconfig_import(const char *xml, size_t len, strbuf *json, strbuf *notes, ms_error *err)
{
    xmlSetGenericErrorFunc(NULL, xml_quiet);
    if (len > AUTOCONFIG_MAX_BYTES)
        return ms_fail(err, MS_ERR_AUTOCONFIG_XML, "larger than %zu bytes", AUTOCONFIG_MAX_BYTES);
    if (len == 0)
        return ms_fail(err, MS_ERR_AUTOCONFIG_XML, "%s", "empty");

    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    /* No XML_PARSE_NOENT (no entity substitution) and no DTD loading;
     * NONET forbids any network access. */
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, xml, (int)len, "autoconfig.xml", NULL,
                                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc) {
        const xmlError *e = xmlCtxtGetLastError(ctxt);
        char msg[200] = "not well-formed";
        if (e && e->message) {
            snprintf(msg, sizeof msg, "line %d: %s", e->line, e->message);
            size_t l = strlen(msg);
            while (l && msg[l - 1] == '\n')
                msg[--l] = '\0';
        }
        xmlFreeParserCtxt(ctxt);
        return ms_fail(err, MS_ERR_AUTOCONFIG_XML, "%s", msg);
    }
    xmlFreeParserCtxt(ctxt);

    ms_code rc = MS_OK;
    server in = {0}, out = {0};
    char **domains = NULL;
    size_t n_domains = 0;
    char *display = NULL, *short_name = NULL, *doc_url = NULL, *prov_id = NULL, *version = NULL;
    cJSON *root = NULL;

    if (doc->intSubset || doc->extSubset) {
        rc = ms_fail(err, MS_ERR_AUTOCONFIG_XML, "%s", "a DOCTYPE is not allowed");
        goto done;
    }
    xmlNode *cc = xmlDocGetRootElement(doc);
    if (!is_elem(cc, "clientConfig")) {
        rc = ms_fail(err, MS_ERR_AUTOCONFIG_FORMAT, "%s", "the root element is not <clientConfig>");
        goto done;
    }
    version = attr(cc, "version");
    if (!version || strcmp(version, "1.1") != 0) {
        rc = ms_fail(err, MS_ERR_AUTOCONFIG_FORMAT, "clientConfig version %s, want 1.1",
                     version ? version : "missing");
        goto done;
    }
    const xmlNode *prov = NULL;
    for (const xmlNode *c = cc->children; c; c = c->next) {
        if (is_elem(c, "emailProvider")) {
            if (prov) {
                strbuf_addstr(notes, "only the first <emailProvider> is imported\n");
                break;
            }
            prov = c;
        }
    }
    if (!prov) {
        rc = ms_fail(err, MS_ERR_AUTOCONFIG_FORMAT, "%s", "no <emailProvider>");
        goto done;
    }
    prov_id = attr(prov, "id");
    size_t n_in = 0, n_out = 0;
    for (const xmlNode *c = prov->children; c; c = c->next) {
        if (is_elem(c, "domain")) {
            if (n_domains >= 64) {
                strbuf_addstr(notes, "more than 64 <domain>s; the rest are left out\n");
                continue;
            }
            char **nd = realloc(domains, (n_domains + 1) * sizeof *nd);
            if (!nd) {
                rc = ms_fail(err, MS_ERR_NOMEM, NULL);
                goto done;
            }
            domains = nd;
            domains[n_domains] = elem_text(c);
            if (domains[n_domains])
                n_domains++;
        } else if (is_elem(c, "displayName") && !display) {
            display = elem_text(c);
        } else if (is_elem(c, "displayShortName") && !short_name) {
            short_name = elem_text(c);
        } else if (is_elem(c, "documentation") && !doc_url) {
            doc_url = attr(c, "url");
        } else if (is_elem(c, "incomingServer")) {
            server s = {0};
            read_server(c, &s);
            bool usable = s.type && (strcmp(s.type, "pop3") == 0 || strcmp(s.type, "imap") == 0);
            if (usable && !in.type) {
                in = s;
            } else {
                strbuf_addf(notes, "incomingServer %s %s:%s not imported (a profile holds one)\n",
                            s.type ? s.type : "?", s.hostname ? s.hostname : "?",
                            s.port ? s.port : "?");
                server_free(&s);
            }
            n_in++;
        } else if (is_elem(c, "outgoingServer")) {
            server s = {0};
            read_server(c, &s);
            if (s.type && strcmp(s.type, "smtp") == 0 && !out.type) {
                out = s;
            } else {
                strbuf_addf(notes, "outgoingServer %s:%s not imported (a profile holds one)\n",
                            s.hostname ? s.hostname : "?", s.port ? s.port : "?");
                server_free(&s);
            }
            n_out++;
        }
    }
    if (!in.type) {
        rc = ms_fail(err, MS_ERR_AUTOCONFIG_FORMAT, "%s", "no pop3 or imap <incomingServer>");
        goto done;
    }
    if (!out.type) {
        rc = ms_fail(err, MS_ERR_AUTOCONFIG_FORMAT, "%s", "no smtp <outgoingServer>");
        goto done;
    }
    long in_port, out_port;
    const char *in_sec, *out_sec;
    if ((rc = server_fields(&in, "incomingServer", &in_port, &in_sec, err)) != MS_OK ||
        (rc = server_fields(&out, "outgoingServer", &out_port, &out_sec, err)) != MS_OK)
        goto done;
    note_auth(notes, &in, "incomingServer");
    note_auth(notes, &out, "outgoingServer");
    if (short_name && display && strcmp(short_name, display) != 0)
        strbuf_addf(notes, "displayShortName \"%s\" is not held in a profile\n", short_name);

    /* ---- the skeleton */
    char id[33];
    make_id(prov_id ? prov_id : (n_domains ? domains[0] : NULL), id);
    const char *name = display ? display : short_name ? short_name : prov_id ? prov_id : id;
    root = cJSON_CreateObject();
    cJSON *o;
    if (!root || !cJSON_AddNumberToObject(root, "format", PROFILE_FORMAT) ||
        !cJSON_AddStringToObject(root, "id", id) || !(o = cJSON_AddObjectToObject(root, "name")) ||
        !cJSON_AddStringToObject(o, "ja", name) || !cJSON_AddStringToObject(o, "en", name))
        goto nomem;
    if (doc_url) {
        if (!(o = cJSON_AddObjectToObject(root, "support")) ||
            !cJSON_AddStringToObject(o, "web", doc_url))
            goto nomem;
    }
    cJSON *acc = cJSON_AddObjectToObject(root, "accounts");
    if (!acc)
        goto nomem;
    if (n_domains) {
        cJSON *d = cJSON_AddArrayToObject(acc, "domains");
        if (!d)
            goto nomem;
        for (size_t i = 0; i < n_domains; i++) {
            cJSON *s = cJSON_CreateString(domains[i]);
            if (!s || !cJSON_AddItemToArray(d, s)) {
                cJSON_Delete(s);
                goto nomem;
            }
        }
    }
    cJSON *ih = cJSON_AddArrayToObject(acc, "incoming_hosts");
    cJSON *ihs = cJSON_CreateString(in.hostname);
    if (!ih || !ihs || !cJSON_AddItemToArray(ih, ihs)) {
        cJSON_Delete(ihs);
        goto nomem;
    }
    if (!cJSON_AddStringToObject(root, "mode", "modify_account"))
        goto nomem;
    const char *in_user = user_policy(in.username, notes, "incomingServer");
    if (!(o = cJSON_AddObjectToObject(root, "incoming")) ||
        !cJSON_AddStringToObject(o, "protocol", in.type) ||
        !cJSON_AddNumberToObject(o, "port", (double)in_port) ||
        !cJSON_AddStringToObject(o, "security", in_sec) ||
        !cJSON_AddStringToObject(o, "user_name", in_user))
        goto nomem;
    bool same_user =
        (in.username && out.username && strcmp(in.username, out.username) == 0) || (!out.username);
    if (!same_user)
        strbuf_addf(notes,
                    "outgoingServer <username> \"%s\" differs from the incoming one: "
                    "auth \"own\"\n",
                    out.username);
    if (out.auth && strcmp(out.auth, "none") == 0)
        strbuf_addstr(notes,
                      "outgoingServer has no authentication; the profile asks for SMTP AUTH\n");
    if (!(o = cJSON_AddObjectToObject(root, "outgoing")) ||
        !cJSON_AddStringToObject(o, "host", out.hostname) ||
        !cJSON_AddNumberToObject(o, "port", (double)out_port) ||
        !cJSON_AddStringToObject(o, "auth", same_user ? "same_as_incoming" : "own") ||
        !cJSON_AddStringToObject(o, "security", out_sec))
        goto nomem;

    char *text = cJSON_Print(root);
    if (!text)
        goto nomem;
    strbuf_addstr(json, text);
    strbuf_addch(json, '\n');
    cJSON_free(text);
    if (json->oom || notes->oom)
        goto nomem;
    goto done;

nomem:
    rc = ms_fail(err, MS_ERR_NOMEM, NULL);
done:
    cJSON_Delete(root);
    server_free(&in);
    server_free(&out);
    for (size_t i = 0; i < n_domains; i++)
        free(domains[i]);
    free(domains);
    free(display);
    free(short_name);
    free(doc_url);
    free(prov_id);
    free(version);
    xmlFreeDoc(doc);
    return rc;
}
