/* utf: UTF-8 <-> UTF-16 with MultiByteToWideChar, strict about bad input. */
#include "utf.h"

#include <windows.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

wchar_t *ms_utf8n_to_wide(const char *s, size_t n, size_t *out_len)
{
    if (!s || n > INT_MAX)
        return NULL;
    if (n == 0) {
        wchar_t *w = calloc(1, sizeof *w);
        if (out_len)
            *out_len = 0;
        return w;
    }
    int wn = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, (int)n, NULL, 0);
    if (wn <= 0)
        return NULL;
    wchar_t *w = malloc(((size_t)wn + 1) * sizeof *w);
    if (!w)
        return NULL;
    MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, (int)n, w, wn);
    w[wn] = L'\0';
    if (out_len)
        *out_len = (size_t)wn;
    return w;
}

wchar_t *ms_utf8_to_wide(const char *s)
{
    return s ? ms_utf8n_to_wide(s, strlen(s), NULL) : NULL;
}

char *ms_widen_to_utf8(const wchar_t *w, size_t n, size_t *out_len)
{
    if (!w || n > INT_MAX / 4)
        return NULL;
    if (n == 0) {
        char *s = calloc(1, 1);
        if (out_len)
            *out_len = 0;
        return s;
    }
    int sn = WideCharToMultiByte(CP_UTF8, 0, w, (int)n, NULL, 0, NULL, NULL);
    if (sn <= 0)
        return NULL;
    char *s = malloc((size_t)sn + 1);
    if (!s)
        return NULL;
    WideCharToMultiByte(CP_UTF8, 0, w, (int)n, s, sn, NULL, NULL);
    s[sn] = '\0';
    if (out_len)
        *out_len = (size_t)sn;
    return s;
}

char *ms_wide_to_utf8(const wchar_t *w)
{
    return w ? ms_widen_to_utf8(w, wcslen(w), NULL) : NULL;
}
