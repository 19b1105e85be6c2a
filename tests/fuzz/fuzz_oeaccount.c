/* Fuzz harness: the .oeaccount reader and editor (oeaccount.c) and the
 * journal's secret filter. Any input is refused with an error naming the
 * file, or accepted; an accepted file serialises to the same bytes, an edit
 * leaves a file that parses again and reads back the value, and the
 * journal's strip + merge with the file itself gives back the same bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "oeaccount.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    oeacct_doc d;
    ms_error err;
    ms_error_clear(&err);
    ms_code rc = oeacct_parse(data, size, "f.oeaccount", &d, &err);
    if (rc != MS_OK) {
        if (err.code != rc || (rc != MS_ERR_NOMEM && !strstr(err.detail, "f.oeaccount")))
            __builtin_trap();
        oeacct_free(&d);
        return 0;
    }
    strbuf out;
    strbuf_init(&out);
    if (oeacct_serialize(&d, &out, &err) != MS_OK || out.len != size ||
        (size && memcmp(out.buf, data, size) != 0))
        __builtin_trap();
    /* The filter keeps every byte but the secrets. */
    strbuf stripped, merged;
    strbuf_init(&stripped);
    strbuf_init(&merged);
    if (oeacct_secret_filter.strip(data, size, &stripped, &err) == MS_OK &&
        oeacct_secret_filter.merge(stripped.buf, stripped.len, data, size, &merged, &err) ==
            MS_OK &&
        (merged.len != size || (size && memcmp(merged.buf, data, size) != 0)))
        __builtin_trap();
    strbuf_free(&stripped);
    strbuf_free(&merged);
    /* An edit: the new file parses and holds the value. */
    if (oeacct_set_dword(&d, "SMTP_Port", 587, &err) == MS_OK &&
        oeacct_set_str(&d, "SMTP_Server", "smtp.example.jp", &err) == MS_OK) {
        strbuf_reset(&out);
        if (oeacct_serialize(&d, &out, &err) != MS_OK)
            __builtin_trap();
        oeacct_doc e;
        uint32_t port = 0;
        bool present = false;
        char *host = NULL;
        if (oeacct_parse(out.buf, out.len, "g", &e, &err) != MS_OK ||
            oeacct_get_dword(&e, "SMTP_Port", 0, &port, &present, &err) != MS_OK ||
            port != 587 || oeacct_get_str(&e, "SMTP_Server", &host, &err) != MS_OK || !host ||
            strcmp(host, "smtp.example.jp") != 0)
            __builtin_trap();
        free(host);
        oeacct_free(&e);
    }
    strbuf_free(&out);
    oeacct_free(&d);
    return 0;
}
