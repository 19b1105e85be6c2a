/* error: the table of result codes and their sentences; see error.h. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct ms_msg {
    const char *name, *helpdesk, *text[2];
};

static const struct ms_msg ms_msgs[] = {
#define MS_MSG(name, hd, ja, en) {#name, hd, {ja, en}},
#include "messages.def"
#undef MS_MSG
};

static const struct ms_msg *msg_of(ms_code code)
{
    if ((unsigned)code >= MS_CODE_COUNT)
        code = MS_ERR_INTERNAL;
    return &ms_msgs[code];
}

/* After a truncating snprintf: drops a UTF-8 sequence cut short at the end. */
static void utf8_fix_tail(char *s)
{
    size_t n = strlen(s), i = n;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i == 0)
        return;
    unsigned char lead = (unsigned char)s[i - 1];
    size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (n - (i - 1) < want)
        s[i - 1] = '\0';
}

ms_code ms_fail(ms_error *err, ms_code code, const char *fmt, ...)
{
    if (err) {
        err->code = code;
        err->detail[0] = '\0';
        if (fmt) {
            va_list ap;
            va_start(ap, fmt);
            int n = vsnprintf(err->detail, sizeof err->detail, fmt, ap);
            va_end(ap);
            if (n >= (int)sizeof err->detail)
                utf8_fix_tail(err->detail);
        }
    }
    return code;
}

void ms_error_clear(ms_error *err)
{
    if (err) {
        err->code = MS_OK;
        err->detail[0] = '\0';
    }
}

const char *ms_code_name(ms_code code)
{
    return msg_of(code)->name;
}

const char *ms_code_helpdesk(ms_code code)
{
    return msg_of(code)->helpdesk;
}

const char *ms_code_sentence(ms_code code, ms_lang lang)
{
    return msg_of(code)->text[lang == MS_LANG_EN ? 1 : 0];
}

char *ms_error_format(const ms_error *err, ms_lang lang, char *buf, size_t size)
{
    if (!size)
        return buf;
    const char *t = ms_code_sentence(err->code, lang);
    const char *p = strstr(t, "%s");
    int n;
    if (p)
        n = snprintf(buf, size, "%.*s%s%s", (int)(p - t), t, err->detail, p + 2);
    else
        n = snprintf(buf, size, "%s", t);
    if (n >= (int)size)
        utf8_fix_tail(buf);
    return buf;
}

int ms_lang_parse(const char *s)
{
    if (!s)
        return -1;
    if (strncmp(s, "ja", 2) == 0 && (s[2] == '\0' || s[2] == '-' || s[2] == '_'))
        return MS_LANG_JA;
    if (strncmp(s, "en", 2) == 0 && (s[2] == '\0' || s[2] == '-' || s[2] == '_'))
        return MS_LANG_EN;
    return -1;
}
