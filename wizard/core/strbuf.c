/* strbuf: growable byte buffer; see strbuf.h. */
#include "strbuf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char strbuf_empty[1];

void strbuf_init(strbuf *sb)
{
    sb->buf = strbuf_empty;
    sb->len = 0;
    sb->cap = 0;
    sb->oom = false;
    sb->secret = false;
}

void strbuf_init_secret(strbuf *sb)
{
    strbuf_init(sb);
    sb->secret = true;
}

void strbuf_free(strbuf *sb)
{
    bool secret = sb->secret;
    if (sb->cap) {
        if (secret)
            ms_wipe(sb->buf, sb->cap);
        free(sb->buf);
    }
    strbuf_init(sb);
    sb->secret = secret;
}

void ms_wipe(void *p, size_t n)
{
    volatile unsigned char *v = p;
    while (n--)
        *v++ = 0;
#if defined(__GNUC__)
    __asm__ __volatile__("" : : "r"(p) : "memory");
#endif
}

void strbuf_wipe(strbuf *sb)
{
    if (sb->cap)
        ms_wipe(sb->buf, sb->cap);
    strbuf_free(sb);
}

void strbuf_reset(strbuf *sb)
{
    if (sb->secret && sb->cap)
        ms_wipe(sb->buf, sb->len);
    sb->len = 0;
    if (sb->cap)
        sb->buf[0] = '\0';
}

bool strbuf_grow(strbuf *sb, size_t extra)
{
    if (sb->oom)
        return false;
    if (extra > (size_t)-1 / 2 - sb->len) {
        sb->oom = true;
        return false;
    }
    size_t need = sb->len + extra + 1;
    if (need <= sb->cap)
        return true;
    size_t cap = sb->cap ? sb->cap : 64;
    while (cap < need)
        cap *= 2;
    char *nb;
    if (sb->secret && sb->cap) {
        /* No realloc: it may leave the old bytes in a freed block. */
        nb = malloc(cap);
        if (nb) {
            memcpy(nb, sb->buf, sb->len + 1);
            ms_wipe(sb->buf, sb->cap);
            free(sb->buf);
        }
    } else {
        nb = sb->cap ? realloc(sb->buf, cap) : malloc(cap);
    }
    if (!nb) {
        sb->oom = true;
        return false;
    }
    if (!sb->cap)
        nb[0] = '\0';
    sb->buf = nb;
    sb->cap = cap;
    return true;
}

void strbuf_add(strbuf *sb, const void *data, size_t n)
{
    if (!n || !strbuf_grow(sb, n))
        return;
    memcpy(sb->buf + sb->len, data, n);
    sb->len += n;
    sb->buf[sb->len] = '\0';
}

void strbuf_addstr(strbuf *sb, const char *s)
{
    strbuf_add(sb, s, strlen(s));
}

void strbuf_addch(strbuf *sb, char c)
{
    strbuf_add(sb, &c, 1);
}

void strbuf_vaddf(strbuf *sb, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0 || !strbuf_grow(sb, (size_t)n))
        return;
    vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
}

void strbuf_addf(strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    strbuf_vaddf(sb, fmt, ap);
    va_end(ap);
}

char *strbuf_detach(strbuf *sb, size_t *len)
{
    char *r;
    if (len)
        *len = sb->len;
    if (sb->cap) {
        r = sb->buf;
    } else {
        r = malloc(1);
        if (r)
            r[0] = '\0';
    }
    strbuf_init(sb);
    return r;
}

int ms_hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

char *ms_strndup(const char *s, size_t n)
{
    char *r = malloc(n + 1);
    if (r) {
        memcpy(r, s, n);
        r[n] = '\0';
    }
    return r;
}

bool ms_ascii_eq_n(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char ca = a[i], cb = b[i];
        if (ca >= 'A' && ca <= 'Z')
            ca = (char)(ca + 32);
        if (cb >= 'A' && cb <= 'Z')
            cb = (char)(cb + 32);
        if (ca != cb)
            return false;
    }
    return true;
}

int ms_cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void *ms_grow(void *v, size_t *cap, size_t n, size_t size, size_t first)
{
    if (n < *cap)
        return v;
    size_t nc = *cap ? *cap * 2 : first;
    if (nc < *cap || nc > SIZE_MAX / size)
        return NULL;
    void *nv = realloc(v, nc * size);
    if (nv)
        *cap = nc;
    return nv;
}
