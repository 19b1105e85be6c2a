/* Fuzz harness: the INI reader and editor (ini.c) as used for profiles.ini
 * and Becky!'s Mailbox.ini. Any input is refused with a located error or
 * accepted; an accepted file serialises to the same bytes, and a set leaves
 * a file that parses again and reads back the value. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ini.h"
#include "mozilla.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ini_file *f = NULL;
    ini_where w = {0, 0, 0};
    ms_error err;
    ms_error_clear(&err);
    ms_code rc = ini_parse_at((const char *)data, size, &f, &w, &err);
    if (rc != MS_OK) {
        if (f || err.code != rc || (rc != MS_ERR_INI_TOO_LARGE && rc != MS_ERR_NOMEM &&
                                    (w.line == 0 || w.col == 0 || w.offset > size)))
            __builtin_trap();
        return 0;
    }
    strbuf out;
    strbuf_init(&out);
    ini_serialize(f, &out);
    if (out.len != size || (size && memcmp(out.buf, data, size) != 0))
        __builtin_trap();
    strbuf_free(&out);
    mozilla_profile_list l;
    if (mozilla_profiles_list(f, &l, &err) == MS_OK)
        mozilla_profiles_free(&l);
    if (ini_set(f, "Account", "SMTPPort", "587", 3, &err) == MS_OK) {
        strbuf_init(&out);
        ini_serialize(f, &out);
        ini_file *again = NULL;
        if (ini_parse(out.buf, out.len, &again, &err) != MS_OK)
            __builtin_trap();
        const char *v;
        size_t n;
        bool found = false;
        if (ini_get(again, "Account", "SMTPPort", &v, &n, &found, &err) != MS_OK || !found ||
            n != 3 || memcmp(v, "587", 3) != 0)
            __builtin_trap();
        ini_free(again);
        strbuf_free(&out);
    }
    ini_free(f);
    return 0;
}
