/* prefs-edit-tool: applies the manuals' outgoing-server change to a prefs.js
 * with the wizard's own editor (prefs.c, mozilla.c) and adds string prefs
 * with every escape, for check_prefs_thunderbird.py, which has a real
 * Thunderbird read the result back.
 *   prefs-edit-tool IN OUT SMTPKEY HOST USER
 * Prints one line per preference written, "name<TAB>type<TAB>value" with
 * the value JSON-escaped, for the checker to compare. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mozilla.h"
#include "platform.h"
#include "prefs.h"

static void json_str(const char *s)
{
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            printf("\\%c", *p);
        else if (*p < 0x20)
            printf("\\u%04x", *p);
        else
            putchar(*p);
    }
    putchar('"');
}

static int die(const char *what, const ms_error *err)
{
    fprintf(stderr, "prefs-edit-tool: %s: [%s] %s\n", what, ms_code_name(err->code), err->detail);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: prefs-edit-tool IN OUT SMTPKEY HOST USER\n");
        return 2;
    }
    strbuf in;
    strbuf_init(&in);
    ms_error err;
    prefs_file *pf;
    mozilla_mail *mm;
    if (ms_file_read(argv[1], PREFS_MAX_BYTES, &in, &err) != MS_OK)
        return die(argv[1], &err);
    if (prefs_parse(in.buf, in.len, &pf, &err) != MS_OK)
        return die("parse", &err);
    if (mozilla_mail_read(pf, &mm, &err) != MS_OK)
        return die("model", &err);
    long i = mozilla_find_smtp(mm, argv[3]);
    if (i < 0) {
        fprintf(stderr, "prefs-edit-tool: no outgoing server %s\n", argv[3]);
        return 1;
    }
    size_t si = (size_t)i;
    if (mozilla_smtp_set_hostname(mm, si, argv[4], &err) != MS_OK ||
        mozilla_smtp_set_port(mm, si, 587, &err) != MS_OK ||
        mozilla_smtp_set_security(mm, si, MS_SEC_NONE, &err) != MS_OK ||
        mozilla_smtp_set_auth(mm, si, MOZILLA_AUTH_PASSWORD_CLEARTEXT, &err) != MS_OK ||
        mozilla_smtp_set_username(mm, si, argv[5], &err) != MS_OK)
        return die("change", &err);
    static const char *const tricky[] = {
        "plain",
        "quote \" backslash \\ both \\\"",
        "line\nfeed and\r\nCRLF and lone\rCR",
        "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e \xef\xbd\xb6\xef\xbe\x85 \xf0\x9f\x98\x80",
        "apostrophe ' and // and /* not a comment */ and # too",
        "tab\there",
    };
    char name[64];
    for (size_t k = 0; k < sizeof tricky / sizeof tricky[0]; k++) {
        snprintf(name, sizeof name, "mailsetup.test.s%zu", k);
        if (prefs_set_string(pf, name, tricky[k], &err) != MS_OK)
            return die(name, &err);
        printf("%s\tstring\t", name);
        json_str(tricky[k]);
        putchar('\n');
    }
    const mozilla_smtp *s = &mm->smtp[si];
    printf("mail.smtpserver.%s.hostname\tstring\t", s->key);
    json_str(argv[4]);
    printf("\nmail.smtpserver.%s.port\tint\t587\n", s->key);
    printf("mail.smtpserver.%s.username\tstring\t", s->key);
    json_str(argv[5]);
    putchar('\n');
    /* The authentication in the names of the file's generation (both when
     * it cannot be told): "normal password" / "use name and password". */
    if (mm->gen != MOZILLA_GEN_OLD)
        printf("mail.smtpserver.%s.authMethod\tint\t%d\n", s->key,
               MOZILLA_AUTH_PASSWORD_CLEARTEXT);
    if (mm->gen != MOZILLA_GEN_CURRENT)
        printf("mail.smtpserver.%s.auth_method\tint\t1\n", s->key);
    size_t len;
    const char *d = prefs_data(pf, &len);
    if (ms_file_write_atomic(argv[2], d, len, &err) != MS_OK)
        return die(argv[2], &err);
    mozilla_mail_free(mm);
    prefs_free(pf);
    strbuf_free(&in);
    return 0;
}
