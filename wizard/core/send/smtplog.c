/* smtplog: redacted SMTP transcript and session state; see smtplog.h. */
#include "smtplog.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "testmail.h"

void smtplog_init(smtplog *l, int security)
{
    memset(l, 0, sizeof *l);
    strbuf_init(&l->text);
    l->stage = DIAG_STAGE_RESOLVE;
    l->security = security;
}

void smtplog_add_secret(smtplog *l, const char *s)
{
    if (s && *s && l->n_secrets < SMTPLOG_MAX_SECRETS)
        l->secrets[l->n_secrets++] = s;
}

void smtplog_free(smtplog *l)
{
    strbuf_wipe(&l->text);
    ms_wipe(l->reply_text, sizeof l->reply_text);
}

/* Replaces every occurrence of pat in buf (in place: the replacement may
 * be longer, so it works through a second buffer). */
static void replace_all(strbuf *buf, const char *pat, size_t plen)
{
    if (plen == 0 || buf->len < plen)
        return;
    strbuf out;
    strbuf_init(&out);
    size_t i = 0;
    bool changed = false;
    while (i < buf->len) {
        if (buf->len - i >= plen && memcmp(buf->buf + i, pat, plen) == 0) {
            strbuf_addstr(&out, SMTPLOG_REDACTED);
            i += plen;
            changed = true;
        } else {
            strbuf_addch(&out, buf->buf[i++]);
        }
    }
    if (changed) {
        strbuf_wipe(buf);
        *buf = out;
    } else {
        strbuf_wipe(&out);
    }
}

void smtplog_scrub(strbuf *out, const char *line, size_t len, const char *const *secrets,
                   size_t n_secrets)
{
    strbuf tmp;
    strbuf_init(&tmp);
    strbuf_add(&tmp, line, len);
    for (size_t i = 0; i < n_secrets; i++) {
        size_t n = secrets[i] ? strlen(secrets[i]) : 0;
        if (n == 0)
            continue;
        replace_all(&tmp, secrets[i], n);
        /* The base64 of the secret on its own, and without its padding
         * (the tail of a longer encoding ends the same way). */
        strbuf b64;
        strbuf_init(&b64);
        testmail_base64(&b64, secrets[i], n, 0);
        replace_all(&tmp, b64.buf, b64.len);
        size_t stripped = b64.len;
        while (stripped > 0 && b64.buf[stripped - 1] == '=')
            stripped--;
        if (stripped >= 4)
            replace_all(&tmp, b64.buf, stripped);
        strbuf_wipe(&b64);
    }
    strbuf_add(out, tmp.buf, tmp.len);
    strbuf_wipe(&tmp);
}

/* The command word of a client line ("AUTH", "MAIL"), upper-cased. */
static void command_word(const char *line, size_t len, char *word, size_t size)
{
    size_t i = 0;
    while (i < len && i + 1 < size && line[i] != ' ') {
        word[i] = (char)toupper((unsigned char)line[i]);
        i++;
    }
    word[i] = '\0';
}

static void add_line(smtplog *l, const char *prefix, const char *line, size_t len)
{
    strbuf_addstr(&l->text, prefix);
    smtplog_scrub(&l->text, line, len, l->secrets, l->n_secrets);
    strbuf_addch(&l->text, '\n');
}

static void on_out(smtplog *l, const char *line, size_t len)
{
    char word[16];
    command_word(line, len, word, sizeof word);
    if (l->in_auth) {
        /* A response to a 334 challenge: a user name, password or digest. */
        add_line(l, "> ", SMTPLOG_REDACTED, strlen(SMTPLOG_REDACTED));
        return;
    }
    if (strcmp(word, "AUTH") == 0) {
        /* "AUTH MECH" stays; an initial response after it never does. */
        size_t keep = 5;
        while (keep < len && line[keep] != ' ')
            keep++;
        strbuf shown;
        strbuf_init(&shown);
        strbuf_add(&shown, line, keep);
        if (keep < len)
            strbuf_addstr(&shown, " " SMTPLOG_REDACTED);
        add_line(l, "> ", shown.buf, shown.len);
        strbuf_wipe(&shown);
        l->in_auth = true;
        l->stage = DIAG_STAGE_AUTH;
        return;
    }
    add_line(l, "> ", line, len);
    static const struct {
        const char *word;
        diagnose_stage stage;
    } stages[] = {
        {"EHLO", DIAG_STAGE_EHLO}, {"HELO", DIAG_STAGE_EHLO}, {"STARTTLS", DIAG_STAGE_STARTTLS},
        {"MAIL", DIAG_STAGE_MAIL}, {"RCPT", DIAG_STAGE_RCPT}, {"DATA", DIAG_STAGE_DATA},
    };
    /* QUIT is how libcurl ends every session, failed or not: the stage and
     * the reply that matter are the ones before it. */
    if (strcmp(word, "QUIT") == 0) {
        l->quit_sent = true;
        return;
    }
    for (size_t i = 0; i < sizeof stages / sizeof stages[0]; i++)
        if (strcmp(word, stages[i].word) == 0) {
            l->stage = stages[i].stage;
            if (l->stage == DIAG_STAGE_EHLO) {
                /* A new EHLO (after STARTTLS) lists the capabilities anew. */
                l->auth_offered = l->starttls_offered = false;
                l->auth_mechanisms[0] = '\0';
            }
        }
}

static bool prefix_nocase(const char *s, size_t n, const char *word)
{
    size_t w = strlen(word);
    if (n < w)
        return false;
    for (size_t i = 0; i < w; i++)
        if (toupper((unsigned char)s[i]) != word[i])
            return false;
    return true;
}

/* "250-AUTH PLAIN LOGIN" or "250 AUTH=LOGIN": the mechanisms. */
static void capability(smtplog *l, const char *line, size_t len)
{
    if (len < 4 || (line[3] != '-' && line[3] != ' ') || strncmp(line, "250", 3) != 0)
        return;
    const char *cap = line + 4;
    size_t n = len - 4;
    if (prefix_nocase(cap, n, "STARTTLS") && (n == 8 || cap[8] == ' '))
        l->starttls_offered = true;
    if (n >= 5 && prefix_nocase(cap, n, "AUTH") && (cap[4] == ' ' || cap[4] == '=')) {
        l->auth_offered = true;
        size_t m = n - 5 < sizeof l->auth_mechanisms - 1 ? n - 5 : sizeof l->auth_mechanisms - 1;
        memcpy(l->auth_mechanisms, cap + 5, m);
        l->auth_mechanisms[m] = '\0';
    }
}

static void on_in(smtplog *l, const char *line, size_t len)
{
    if (l->data_pending) {
        strbuf note;
        strbuf_init(&note);
        strbuf_addf(&note, "(message, %zu bytes, not shown)", l->body_bytes);
        add_line(l, "> ", note.buf, note.len);
        strbuf_free(&note);
        l->data_pending = false;
    }
    add_line(l, "< ", line, len);
    if (l->quit_sent)
        return;
    long code = 0;
    if (len >= 3 && isdigit((unsigned char)line[0]) && isdigit((unsigned char)line[1]) &&
        isdigit((unsigned char)line[2]))
        code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
    if (code == 0)
        return;
    l->reply = code;
    l->reply_text[0] = '\0';
    strbuf r;
    strbuf_init(&r);
    smtplog_scrub(&r, line, len, l->secrets, l->n_secrets);
    size_t m = r.len < sizeof l->reply_text - 1 ? r.len : sizeof l->reply_text - 1;
    memcpy(l->reply_text, r.buf, m);
    l->reply_text[m] = '\0';
    strbuf_wipe(&r);
    bool last = len == 3 || line[3] != '-';
    if (l->stage == DIAG_STAGE_EHLO)
        capability(l, line, len);
    if (!last)
        return;
    if (l->in_auth && code != 334)
        l->in_auth = false;
    if (l->stage == DIAG_STAGE_STARTTLS && code == 220)
        l->stage = DIAG_STAGE_TLS;
    if (l->stage == DIAG_STAGE_DATA && l->body_bytes > 0 && code == 250)
        l->accepted = true;
}

static void on_info(smtplog *l, const char *line, size_t len)
{
    add_line(l, "* ", line, len);
    if (len >= 6 && strncmp(line, "Trying", 6) == 0 && l->stage < DIAG_STAGE_CONNECT)
        l->stage = DIAG_STAGE_CONNECT;
    else if (len >= 12 && strncmp(line, "Connected to", 12) == 0 && l->stage <= DIAG_STAGE_CONNECT)
        l->stage = l->security == MS_SEC_SSL ? DIAG_STAGE_TLS : DIAG_STAGE_GREETING;
}

bool smtplog_next_line(const char *data, size_t len, size_t *pos, const char **line, size_t *n)
{
    size_t i = *pos;
    if (i >= len)
        return false;
    size_t e = i;
    while (e < len && data[e] != '\n')
        e++;
    *n = e - i;
    if (*n > 0 && data[i + *n - 1] == '\r')
        (*n)--;
    *line = data + i;
    *pos = e + 1;
    return true;
}

void smtplog_feed(smtplog *l, smtplog_kind kind, const char *data, size_t len)
{
    if (kind == SMTPLOG_DATA_OUT) {
        l->body_bytes += len;
        l->data_pending = true;
        return;
    }
    size_t pos = 0, n;
    const char *line;
    while (smtplog_next_line(data, len, &pos, &line, &n)) {
        /* libcurl indents some remarks ("  Trying ..."). */
        while (kind == SMTPLOG_INFO && n > 0 && *line == ' ') {
            line++;
            n--;
        }
        if (n > 0 || kind != SMTPLOG_INFO) {
            if (kind == SMTPLOG_IN) {
                /* The TLS greeting of implicit TLS arrives after the handshake. */
                if (l->stage == DIAG_STAGE_TLS && l->security == MS_SEC_SSL && !l->reply)
                    l->stage = DIAG_STAGE_GREETING;
                on_in(l, line, n);
            } else if (kind == SMTPLOG_OUT) {
                on_out(l, line, n);
            } else {
                on_info(l, line, n);
            }
        }
    }
}
