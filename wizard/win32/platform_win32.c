/* platform_win32: the core's platform interface with wide Win32 calls. */
#include "platform.h"

#include <windows.h>
#include <stdlib.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "utf.h"

static HANDLE std_handle(enum ms_stream stream)
{
    DWORD which = stream == MS_STDERR ? STD_ERROR_HANDLE : STD_OUTPUT_HANDLE;
    HANDLE h = GetStdHandle(which);
    if (h == NULL || h == INVALID_HANDLE_VALUE) {
        /* A GUI-subsystem program started from cmd.exe has no console of
         * its own; borrow the parent's so `mailsetup --version` prints. */
        static int attached;
        if (!attached) {
            attached = 1;
            AttachConsole(ATTACH_PARENT_PROCESS);
        }
        h = GetStdHandle(which);
    }
    return h;
}

void ms_platform_write(enum ms_stream stream, const char *utf8, size_t len)
{
    HANDLE h = std_handle(stream);
    if (h == NULL || h == INVALID_HANDLE_VALUE || len == 0)
        return;
    DWORD mode, done;
    if (GetConsoleMode(h, &mode)) {
        size_t wn;
        wchar_t *w = ms_utf8n_to_wide(utf8, len, &wn);
        if (w) {
            WriteConsoleW(h, w, (DWORD)wn, &done, NULL);
            free(w);
        }
        return;
    }
    /* A pipe or file: UTF-8 bytes, as the host build writes them. */
    while (len) {
        DWORD chunk = len > 65536 ? 65536 : (DWORD)len;
        if (!WriteFile(h, utf8, chunk, &done, NULL) || done == 0)
            return;
        utf8 += done;
        len -= done;
    }
}

static ms_code win_fail(ms_error *err, ms_code code, const char *path, DWORD e)
{
    if (e == ERROR_DISK_FULL || e == ERROR_HANDLE_DISK_FULL)
        code = MS_ERR_DISK_FULL;
    return ms_fail(err, code, "%s (Windows error %lu)", path, (unsigned long)e);
}

ms_code ms_file_read(const char *path, size_t max, strbuf *out, ms_error *err)
{
    wchar_t *wpath = ms_utf8_to_wide(path);
    if (!wpath)
        return ms_fail(err, MS_ERR_IO_READ, "%s", path);
    HANDLE h = CreateFileW(wpath, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                           OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    free(wpath);
    if (h == INVALID_HANDLE_VALUE)
        return win_fail(err, MS_ERR_IO_READ, path, GetLastError());
    LARGE_INTEGER size;
    if (!GetFileSizeEx(h, &size) || (unsigned long long)size.QuadPart > max) {
        CloseHandle(h);
        return ms_fail(err, MS_ERR_IO_READ, "%s (> %zu bytes)", path, max);
    }
    if (!strbuf_grow(out, (size_t)size.QuadPart)) {
        CloseHandle(h);
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    }
    char buf[65536];
    size_t total = 0;
    for (;;) {
        DWORD n;
        if (!ReadFile(h, buf, sizeof buf, &n, NULL)) {
            DWORD e = GetLastError();
            CloseHandle(h);
            return win_fail(err, MS_ERR_IO_READ, path, e);
        }
        if (n == 0)
            break;
        total += n;
        if (total > max) {
            CloseHandle(h);
            return ms_fail(err, MS_ERR_IO_READ, "%s (> %zu bytes)", path, max);
        }
        strbuf_add(out, buf, n);
    }
    CloseHandle(h);
    return out->oom ? ms_fail(err, MS_ERR_NOMEM, NULL) : MS_OK;
}

ms_code ms_file_write_atomic(const char *path, const void *data, size_t len, ms_error *err)
{
    ms_code rc = MS_OK;
    wchar_t *wpath = ms_utf8_to_wide(path);
    strbuf tmp;
    strbuf_init(&tmp);
    strbuf_addf(&tmp, "%s.mailsetup-tmp", path);
    wchar_t *wtmp = ms_utf8_to_wide(tmp.buf);
    strbuf_free(&tmp);
    if (!wpath || !wtmp) {
        rc = ms_fail(err, MS_ERR_IO_WRITE, "%s", path);
        goto out;
    }
    HANDLE h = CreateFileW(wtmp, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL,
                           NULL);
    if (h == INVALID_HANDLE_VALUE) {
        rc = win_fail(err, MS_ERR_IO_WRITE, path, GetLastError());
        goto out;
    }
    const char *p = data;
    DWORD e = 0;
    while (len && !e) {
        DWORD chunk = len > (1u << 20) ? (1u << 20) : (DWORD)len, done = 0;
        if (!WriteFile(h, p, chunk, &done, NULL) || done == 0)
            e = GetLastError();
        p += done;
        len -= done;
    }
    if (!e && !FlushFileBuffers(h))
        e = GetLastError();
    CloseHandle(h);
    /* MoveFileEx with REPLACE_EXISTING works on XP and keeps no half file. */
    if (!e && !MoveFileExW(wtmp, wpath, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
        e = GetLastError();
    if (e) {
        DeleteFileW(wtmp);
        rc = win_fail(err, MS_ERR_IO_WRITE, path, e ? e : ERROR_WRITE_FAULT);
    }
out:
    free(wpath);
    free(wtmp);
    return rc;
}

void ms_platform_versions(strbuf *out)
{
    const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
    strbuf_addf(out, "libcurl %s (%s)\n", v->version, v->ssl_version ? v->ssl_version : "no TLS");
    strbuf_addf(out, "cJSON %s\n", cJSON_Version());
#if defined(_WIN64)
    strbuf_addstr(out, "x64\n");
#else
    strbuf_addstr(out, "x86\n");
#endif
}

ms_lang ms_platform_ui_lang(void)
{
    return PRIMARYLANGID(GetUserDefaultUILanguage()) == LANG_JAPANESE ? MS_LANG_JA : MS_LANG_EN;
}
