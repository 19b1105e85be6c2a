/* Fuzz harness: the prefs.js parser and editor (prefs.c) and the mail model
 * over it (mozilla.c). Any input is refused cleanly with a located error,
 * or accepted; an accepted file serialises to the very same bytes, and an
 * edit leaves a file that parses again and reads back what was written. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mozilla.h"
#include "prefs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_edit(prefs_file *pf)
{
    /* The model reads or refuses; a refusal leaves the file as it was. */
    mozilla_mail *mm = NULL;
    ms_error err;
    if (mozilla_mail_read(pf, &mm, &err) == MS_OK) {
        for (size_t i = 0; i < mm->nsmtp && i < 4; i++) {
            (void)mozilla_smtp_set_port(mm, i, 587, &err);
            (void)mozilla_smtp_set_auth(mm, i, MOZILLA_AUTH_PASSWORD_CLEARTEXT, &err);
            (void)mozilla_smtp_set_username(mm, i, "user\"\\\n\xe6\x97\xa5", &err);
        }
        mozilla_mail_free(mm);
    }
    static const char value[] = "a\"b\\c\nd\re'f\xe6\x97\xa5";
    if (prefs_set_string(pf, "mail.smtpserver.smtp1.hostname", value, &err) != MS_OK)
        return;
    size_t len;
    const char *d = prefs_data(pf, &len);
    prefs_file *again = NULL;
    if (prefs_parse(d, len, &again, &err) != MS_OK)
        __builtin_trap(); /* we wrote something Mozilla would not read */
    strbuf v;
    strbuf_init(&v);
    bool found = false;
    if (prefs_get_string(again, "mail.smtpserver.smtp1.hostname", &v, &found, &err) != MS_OK ||
        !found || strcmp(v.buf, value) != 0)
        __builtin_trap();
    strbuf_free(&v);
    prefs_free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    prefs_file *pf = NULL;
    prefs_where w = {0, 0, 0};
    ms_error err;
    ms_error_clear(&err);
    ms_code rc = prefs_parse_at((const char *)data, size, &pf, &w, &err);
    if (rc != MS_OK) {
        /* A refusal says where, in its own code, and leaves nothing. */
        if (pf || err.code != rc || (rc != MS_ERR_PREFS_TOO_LARGE && rc != MS_ERR_NOMEM &&
                                     (w.line == 0 || w.col == 0 || w.offset > size)))
            __builtin_trap();
        return 0;
    }
    strbuf out;
    strbuf_init(&out);
    prefs_serialize(pf, &out);
    if (out.len != size || (size && memcmp(out.buf, data, size) != 0))
        __builtin_trap(); /* not byte for byte */
    strbuf_free(&out);
    prefs_entry e;
    for (size_t i = 0; prefs_entry_at(pf, i, &e); i++)
        if (e.offset + e.length > size)
            __builtin_trap();
    check_edit(pf);
    prefs_free(pf);
    return 0;
}
