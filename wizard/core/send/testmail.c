/* testmail: the wizard's test message; see testmail.h. */
#include "testmail.h"

#include <string.h>

#include "ms_version.h"

/* At most this many bytes of UTF-8 per encoded word: 39 bytes make 52
 * base64 characters, a 64-character word, and "Subject: " plus the first
 * word stays under RFC 2047's 76-character line. */
#define WORD_BYTES 39

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void testmail_base64(strbuf *out, const void *data, size_t n, size_t line)
{
    const unsigned char *p = data;
    size_t col = 0;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)p[i + 1] << 8;
        if (i + 2 < n)
            v |= p[i + 2];
        char q[4] = {b64_alphabet[(v >> 18) & 63], b64_alphabet[(v >> 12) & 63],
                     i + 1 < n ? b64_alphabet[(v >> 6) & 63] : '=',
                     i + 2 < n ? b64_alphabet[v & 63] : '='};
        for (int k = 0; k < 4; k++) {
            strbuf_addch(out, q[k]);
            if (line && ++col == line) {
                strbuf_add(out, "\r\n", 2);
                col = 0;
            }
        }
    }
    if (line && col)
        strbuf_add(out, "\r\n", 2);
}

/* Length of the UTF-8 character starting with byte c (1 for a stray byte). */
static size_t utf8_len(unsigned char c)
{
    return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

void testmail_encode_words(strbuf *out, const char *s)
{
    size_t n = strlen(s), i = 0;
    bool first = true;
    while (i < n) {
        size_t take = 0;
        while (i + take < n) {
            size_t c = utf8_len((unsigned char)s[i + take]);
            if (take + c > WORD_BYTES || i + take + c > n)
                break;
            take += c;
        }
        if (take == 0) /* a truncated character at the end */
            take = n - i;
        if (!first)
            strbuf_add(out, "\r\n ", 3);
        first = false;
        strbuf_addstr(out, "=?UTF-8?B?");
        testmail_base64(out, s + i, take, 0);
        strbuf_addstr(out, "?=");
        i += take;
    }
}

static bool label_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

bool testmail_address_ok(const char *addr)
{
    if (!addr)
        return false;
    const char *at = strchr(addr, '@');
    if (!at || at == addr || strchr(at + 1, '@') || (size_t)(at - addr) > 64)
        return false;
    /* Local part: RFC 5322 atext and dots, no leading/trailing/double dot. */
    static const char special[] = "!#$%&'*+-/=?^_`{|}~";
    for (const char *p = addr; p < at; p++) {
        char c = *p;
        bool ok = label_char(c) || (c != '\0' && strchr(special, c)) ||
                  (c == '.' && p != addr && p + 1 != at && p[1] != '.');
        if (!ok)
            return false;
    }
    /* Domain: labels of 1..63 letters, digits, hyphens; at least two. */
    const char *d = at + 1;
    size_t labels = 0, len = strlen(d);
    if (len == 0 || len > 253)
        return false;
    while (*d) {
        const char *e = d;
        while (label_char(*e))
            e++;
        if (e == d || e - d > 63 || *d == '-' || e[-1] == '-')
            return false;
        labels++;
        if (*e == '\0')
            break;
        if (*e != '.')
            return false;
        d = e + 1;
        if (*d == '\0')
            return false;
    }
    return labels >= 2;
}

static bool unique_ok(const char *u)
{
    if (!u || !*u || strlen(u) > 64)
        return false;
    for (; *u; u++)
        if (!label_char(*u))
            return false;
    return true;
}

static bool date_ok(const testmail_info *in)
{
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return in->year >= 1970 && in->year <= 9999 && in->month >= 1 && in->month <= 12 &&
           in->day >= 1 && in->day <= mdays[in->month - 1] && in->hour >= 0 && in->hour <= 23 &&
           in->minute >= 0 && in->minute <= 59 && in->second >= 0 && in->second <= 60;
}

/* Day of the week, 0 = Sunday (Sakamoto's method). */
static int weekday(int y, int m, int d)
{
    static const int t[12] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    if (m < 3)
        y -= 1;
    return (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7;
}

void testmail_message_id(const testmail_info *in, strbuf *out)
{
    const char *at = in->from ? strchr(in->from, '@') : NULL;
    strbuf_addf(out, "<mailsetup-test.%04d%02d%02d%02d%02d%02d.%s@%s>", in->year, in->month,
                in->day, in->hour, in->minute, in->second, in->unique ? in->unique : "",
                at ? at + 1 : "localhost");
}

ms_code testmail_build(const testmail_info *in, strbuf *out, ms_error *err)
{
    static const char *const wday[7] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const mon[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    if (!testmail_address_ok(in->from))
        return ms_fail(err, MS_ERR_USAGE, "--from %s", in->from ? in->from : "");
    if (!date_ok(in) || !unique_ok(in->unique))
        return ms_fail(err, MS_ERR_INTERNAL, "testmail: date or unique id");

    strbuf_addf(out, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n",
                wday[weekday(in->year, in->month, in->day)], in->day, mon[in->month - 1], in->year,
                in->hour, in->minute, in->second);
    strbuf_addf(out, "From: %s\r\n", in->from);
    strbuf_addf(out, "To: %s\r\n", in->from);
    strbuf_addstr(out, "Subject: ");
    testmail_encode_words(out, TESTMAIL_SUBJECT);
    strbuf_addstr(out, "\r\n");
    strbuf_addstr(out, "Message-ID: ");
    testmail_message_id(in, out);
    strbuf_addstr(out, "\r\n");
    strbuf_addstr(out, "MIME-Version: 1.0\r\n"
                       "Content-Type: text/plain; charset=UTF-8\r\n"
                       "Content-Transfer-Encoding: base64\r\n");
    strbuf_addf(out, "%s: 1\r\n", TESTMAIL_MARK_HEADER);
    strbuf_addf(out, "X-Mailer: mailsetup %s\r\n\r\n", MS_VERSION);

    strbuf body;
    strbuf_init(&body);
    strbuf_addstr(&body, "このメールは、メール設定ウィザードが送信の確認のためにお送りしたテストメール"
                         "です。\r\n返信の必要はありません。削除してかまいません。\r\n\r\n");
    if (in->server)
        strbuf_addf(&body, "送信メールサーバー: %s\r\n", in->server);
    if (in->user)
        strbuf_addf(&body, "メールアカウント: %s\r\n", in->user);
    strbuf_addstr(&body, "\r\nThis is a test message from the mail setup wizard, sent to check "
                         "that sending works.\r\nNo reply is needed; you may delete it.\r\n");
    if (body.oom) {
        strbuf_free(&body);
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    }
    testmail_base64(out, body.buf, body.len, 76);
    strbuf_free(&body);
    return out->oom ? ms_fail(err, MS_ERR_NOMEM, NULL) : MS_OK;
}
