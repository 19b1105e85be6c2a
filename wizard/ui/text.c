/* text.c: the wizard's texts. Strings and dialogs come from resources in
 * the chosen language (found with FindResourceEx, which works on XP, unlike
 * SetThreadUILanguage); wtext collects a page's multi-line field. */
#include "wizard_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf.h"

WORD lang_id(ms_lang lang)
{
    return lang == MS_LANG_EN ? MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US)
                              : MAKELANGID(LANG_JAPANESE, SUBLANG_DEFAULT);
}

const wchar_t *res_string(const ms_wizard *wz, UINT id, wchar_t *buf, size_t cch)
{
    buf[0] = L'\0';
    HRSRC r =
        FindResourceExW(wz->inst, (LPCWSTR)RT_STRING, MAKEINTRESOURCEW(id / 16 + 1), wz->langid);
    if (!r)
        return buf;
    const WCHAR *p = LockResource(LoadResource(wz->inst, r));
    if (!p)
        return buf;
    for (UINT i = 0; i < (id & 15); i++)
        p += 1 + *p;
    size_t n = *p;
    if (n >= cch)
        n = cch - 1;
    memcpy(buf, p + 1, n * sizeof *buf);
    buf[n] = L'\0';
    return buf;
}

LPCDLGTEMPLATEW res_dialog(const ms_wizard *wz, UINT id)
{
    HRSRC r = FindResourceExW(wz->inst, (LPCWSTR)RT_DIALOG, MAKEINTRESOURCEW(id), wz->langid);
    return r ? LockResource(LoadResource(wz->inst, r)) : NULL;
}

void wt_add(wtext *t, const wchar_t *s)
{
    size_t n = wcslen(s);
    if (t->len + n + 1 > t->cap) {
        size_t cap = (t->cap ? t->cap * 2 : 256) + n;
        wchar_t *b = realloc(t->buf, cap * sizeof *b);
        if (!b)
            return;
        t->buf = b;
        t->cap = cap;
    }
    memcpy(t->buf + t->len, s, (n + 1) * sizeof *s);
    t->len += n;
}

void wt_add8(wtext *t, const char *utf8)
{
    wchar_t *w = utf8 ? ms_utf8_to_wide(utf8) : NULL;
    if (w) {
        wt_add(t, w);
        free(w);
    }
}

void wt_addf(wtext *t, const ms_wizard *wz, UINT id, ...)
{
    wchar_t fmt[1024], out[2048];
    res_string(wz, id, fmt, sizeof fmt / sizeof fmt[0]);
    va_list ap;
    va_start(ap, id);
    _vsnwprintf(out, sizeof out / sizeof out[0], fmt, ap);
    va_end(ap);
    out[sizeof out / sizeof out[0] - 1] = L'\0';
    wt_add(t, out);
}

void wt_res(wtext *t, const ms_wizard *wz, UINT id)
{
    wchar_t buf[2048];
    wt_add(t, res_string(wz, id, buf, sizeof buf / sizeof buf[0]));
}

void wt_set(HWND dlg, int ctl, wtext *t)
{
    SetDlgItemTextW(dlg, ctl, t->buf ? t->buf : L"");
    free(t->buf);
    t->buf = NULL;
    t->len = t->cap = 0;
}

void set_res(HWND dlg, int ctl, const ms_wizard *wz, UINT ids)
{
    wchar_t buf[2048];
    SetDlgItemTextW(dlg, ctl, res_string(wz, ids, buf, sizeof buf / sizeof buf[0]));
}

void set_text8(HWND dlg, int ctl, const char *utf8)
{
    wchar_t *w = utf8 ? ms_utf8_to_wide(utf8) : NULL;
    SetDlgItemTextW(dlg, ctl, w ? w : L"");
    free(w);
}

void wt_error(wtext *t, const ms_wizard *wz, const ms_error *err)
{
    char buf[1024];
    strbuf sb;
    strbuf_init(&sb);
    strbuf_addf(&sb, "[%s] %s", ms_code_helpdesk(err->code),
                ms_error_format(err, wz->lang, buf, sizeof buf));
    wt_add8(t, sb.buf);
    strbuf_free(&sb);
}

void wt_error_fmt(wtext *t, const ms_wizard *wz, UINT fmt_id, const ms_error *err)
{
    wtext e = {0};
    wt_error(&e, wz, err);
    wt_addf(t, wz, fmt_id, e.buf ? e.buf : L"");
    free(e.buf);
}

wchar_t *helpdesk_code_w(ms_code rc)
{
    return ms_utf8_to_wide(ms_code_helpdesk(rc));
}

const wchar_t *program_name(const ms_wizard *wz, ms_program p, wchar_t *buf, size_t cch)
{
    return res_string(wz, IDS_PROG_BASE + (UINT)p, buf, cch);
}

/* Copies the UTF-8 text utf8 into buf (cch characters, NUL-terminated). */
static void copy8(wchar_t *buf, size_t cch, const char *utf8)
{
    wchar_t *w = ms_utf8_to_wide(utf8);
    _snwprintf(buf, cch, L"%ls", w ? w : L"");
    buf[cch - 1] = L'\0';
    free(w);
}

void account_label(const ms_account *a, wchar_t *buf, size_t cch)
{
    strbuf sb;
    strbuf_init(&sb);
    if (a->account_name && *a->account_name &&
        !(a->email && ms_strcasecmp(a->account_name, a->email) == 0))
        strbuf_addf(&sb, "%s <%s>", a->account_name, a->email ? a->email : "");
    else
        strbuf_addstr(&sb, a->email ? a->email : "");
    copy8(buf, cch, sb.buf);
    strbuf_free(&sb);
}

void wt_account_head(wtext *t, const ms_wizard *wz, const ms_account *a)
{
    wchar_t name[128], acct[512];
    program_name(wz, a->program, name, 128);
    account_label(a, acct, 512);
    wt_add(t, name);
    wt_add(t, L" \x2014 ");
    wt_add(t, acct);
}

void wt_account_error(wtext *t, const ms_wizard *wz, const ms_account *a, const ms_error *err)
{
    wchar_t acct[512];
    account_label(a, acct, 512);
    wt_add(t, acct);
    wt_add(t, L":\r\n");
    wt_error(t, wz, err);
}

const wchar_t *isp_name(const ms_wizard *wz, wchar_t *buf, size_t cch)
{
    copy8(buf, cch, profile_text_any(&wz->prof->name, wz->lang));
    return buf;
}
