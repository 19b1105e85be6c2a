/* utf16: strict UTF-8 <-> UTF-16 conversions; see utf16.h. */
#include "utf16.h"

size_t utf16_utf8_next(const char *s, size_t len, unsigned long *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    if (!len)
        return 0;
    unsigned long c = p[0];
    size_t n;
    unsigned long min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        n = 2, c &= 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3, c &= 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4, c &= 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (len < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (p[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

bool utf16_utf8_valid(const char *s, size_t len, size_t *bad_at)
{
    size_t i = 0;
    while (i < len) {
        unsigned long cp;
        size_t n = utf16_utf8_next(s + i, len - i, &cp);
        if (!n) {
            if (bad_at)
                *bad_at = i;
            return false;
        }
        i += n;
    }
    return true;
}

void utf16_utf8_put(strbuf *out, unsigned long cp)
{
    char b[4];
    size_t n;
    if (cp < 0x80) {
        b[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        b[0] = (char)(0xF0 | (cp >> 18));
        b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    strbuf_add(out, b, n);
}

static unsigned unit_at(const unsigned char *p, bool be)
{
    return be ? (unsigned)(p[0] << 8 | p[1]) : (unsigned)(p[1] << 8 | p[0]);
}

bool utf16_to_utf8(const void *data, size_t len, bool big_endian, strbuf *out, size_t *bad_at)
{
    const unsigned char *p = data;
    if (len % 2) {
        if (bad_at)
            *bad_at = len - 1;
        return false;
    }
    for (size_t i = 0; i < len; i += 2) {
        unsigned long u = unit_at(p + i, big_endian);
        if (u >= 0xD800 && u <= 0xDBFF) {
            unsigned long lo = i + 3 < len ? unit_at(p + i + 2, big_endian) : 0;
            if (lo < 0xDC00 || lo > 0xDFFF) {
                if (bad_at)
                    *bad_at = i;
                return false;
            }
            u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
            i += 2;
        } else if (u >= 0xDC00 && u <= 0xDFFF) {
            if (bad_at)
                *bad_at = i;
            return false;
        }
        utf16_utf8_put(out, u);
    }
    return true;
}

static void put_unit(strbuf *out, unsigned long u, bool be)
{
    char b[2];
    b[be ? 0 : 1] = (char)(u >> 8);
    b[be ? 1 : 0] = (char)(u & 0xFF);
    strbuf_add(out, b, 2);
}

bool utf16_from_utf8(const char *s, size_t len, bool big_endian, strbuf *out)
{
    size_t i = 0;
    while (i < len) {
        unsigned long cp;
        size_t n = utf16_utf8_next(s + i, len - i, &cp);
        if (!n)
            return false;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            put_unit(out, 0xD800 + (cp >> 10), big_endian);
            put_unit(out, 0xDC00 + (cp & 0x3FF), big_endian);
        } else {
            put_unit(out, cp, big_endian);
        }
        i += n;
    }
    return true;
}
