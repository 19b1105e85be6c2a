/* env_win32: known folders, process check and backup folders. */
#include "env_win32.h"

#include <windows.h>
#include <shlobj.h>
#include <tlhelp32.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "platform.h"
#include "reg_win32.h"
#include "utf.h"

/* SHGetFolderPathW works from XP on (SHGetKnownFolderPath is Vista+). */
static char *folder(int csidl)
{
    wchar_t w[MAX_PATH];
    if (SHGetFolderPathW(NULL, csidl, NULL, SHGFP_TYPE_CURRENT, w) != S_OK)
        return NULL;
    return ms_wide_to_utf8(w);
}

ms_code env_win32_open(ms_env_win32 *e, ms_error *err)
{
    memset(e, 0, sizeof *e);
    e->appdata = folder(CSIDL_APPDATA);
    e->local_appdata = folder(CSIDL_LOCAL_APPDATA);
    e->home = folder(CSIDL_PROFILE);
    if (!e->appdata || !e->local_appdata || !e->home) {
        env_win32_close(e);
        return ms_fail(err, MS_ERR_INTERNAL, "SHGetFolderPath");
    }
    reg_win32_init(&e->reg);
    e->env.reg = &e->reg.base;
    e->env.appdata = e->appdata;
    e->env.local_appdata = e->local_appdata;
    e->env.home = e->home;
    return MS_OK;
}

void env_win32_close(ms_env_win32 *e)
{
    reg_win32_close(&e->reg);
    free(e->appdata);
    free(e->local_appdata);
    free(e->home);
    memset(e, 0, sizeof *e);
}

bool env_win32_running(const char *const *process_names, void *ctx)
{
    (void)ctx;
    if (!process_names || !process_names[0])
        return false;
    HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
    if (snap == INVALID_HANDLE_VALUE)
        return false;
    bool found = false;
    PROCESSENTRY32W pe;
    pe.dwSize = sizeof pe;
    for (BOOL ok = Process32FirstW(snap, &pe); ok && !found; ok = Process32NextW(snap, &pe)) {
        char *name = ms_wide_to_utf8(pe.szExeFile);
        if (!name)
            continue;
        for (size_t i = 0; process_names[i] && !found; i++)
            found = ms_strcasecmp(name, process_names[i]) == 0;
        free(name);
    }
    CloseHandle(snap);
    return found;
}

static ms_code mkdir_utf8(const char *path, ms_error *err)
{
    wchar_t *w = ms_utf8_to_wide(path);
    if (!w)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    BOOL ok = CreateDirectoryW(w, NULL);
    DWORD e = ok ? 0 : GetLastError();
    free(w);
    if (!ok && e != ERROR_ALREADY_EXISTS)
        return ms_fail(err, MS_ERR_IO_WRITE, "%s (Windows error %lu)", path, (unsigned long)e);
    return MS_OK;
}

static void backup_root(const ms_env_win32 *e, strbuf *out)
{
    strbuf_addf(out, "%s\\mailsetup", e->local_appdata);
}

ms_code env_win32_new_backup_dir(const ms_env_win32 *e, strbuf *out, ms_error *err)
{
    strbuf_reset(out);
    backup_root(e, out);
    ms_code rc = mkdir_utf8(out->buf, err);
    strbuf_addstr(out, "\\backup");
    if (rc != MS_OK)
        return rc;
    rc = mkdir_utf8(out->buf, err);
    if (rc != MS_OK)
        return rc;
    SYSTEMTIME t;
    GetLocalTime(&t);
    size_t base = out->len;
    /* Two runs in one second get -2, -3, ...: never reuse a folder. */
    for (int n = 1; n < 100; n++) {
        out->len = base;
        out->buf[base] = '\0';
        strbuf_addf(out, "\\%04u%02u%02u-%02u%02u%02u", t.wYear, t.wMonth, t.wDay, t.wHour,
                    t.wMinute, t.wSecond);
        if (n > 1)
            strbuf_addf(out, "-%d", n);
        if (out->oom)
            return ms_fail(err, MS_ERR_NOMEM, NULL);
        wchar_t *w = ms_utf8_to_wide(out->buf);
        if (!w)
            return ms_fail(err, MS_ERR_NOMEM, NULL);
        BOOL ok = CreateDirectoryW(w, NULL);
        DWORD le = ok ? 0 : GetLastError();
        free(w);
        if (ok)
            return MS_OK;
        if (le != ERROR_ALREADY_EXISTS)
            return ms_fail(err, MS_ERR_IO_WRITE, "%s (Windows error %lu)", out->buf,
                           (unsigned long)le);
    }
    return ms_fail(err, MS_ERR_IO_WRITE, "%s", out->buf);
}

/* A backup that was undone already carries an "undone" marker file. */
static bool undone(const ms_env_win32 *e, const wchar_t *name)
{
    char *n = ms_wide_to_utf8(name);
    if (!n)
        return false;
    strbuf p;
    strbuf_init(&p);
    backup_root(e, &p);
    strbuf_addf(&p, "\\backup\\%s\\" ENV_UNDONE_MARKER, n);
    free(n);
    wchar_t *w = ms_utf8_to_wide(p.buf);
    strbuf_free(&p);
    bool r = w && GetFileAttributesW(w) != INVALID_FILE_ATTRIBUTES;
    free(w);
    return r;
}

ms_code env_win32_last_backup_dir(const ms_env_win32 *e, strbuf *out, ms_error *err)
{
    strbuf pattern;
    strbuf_init(&pattern);
    backup_root(e, &pattern);
    strbuf_addstr(&pattern, "\\backup\\*");
    wchar_t *w = ms_utf8_to_wide(pattern.buf);
    strbuf_free(&pattern);
    if (!w)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    WIN32_FIND_DATAW fd;
    HANDLE h = FindFirstFileW(w, &fd);
    free(w);
    wchar_t best[MAX_PATH] = L"";
    if (h != INVALID_HANDLE_VALUE) {
        do {
            /* Folder names sort by time: the greatest is the newest. */
            if ((fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) && fd.cFileName[0] != L'.' &&
                wcslen(fd.cFileName) < MAX_PATH && wcscmp(fd.cFileName, best) > 0 &&
                !undone(e, fd.cFileName))
                wcscpy(best, fd.cFileName);
        } while (FindNextFileW(h, &fd));
        FindClose(h);
    }
    if (!best[0])
        return ms_fail(err, MS_ERR_NO_BACKUP, NULL);
    char *name = ms_wide_to_utf8(best);
    if (!name)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    strbuf_reset(out);
    backup_root(e, out);
    strbuf_addf(out, "\\backup\\%s", name);
    free(name);
    return out->oom ? ms_fail(err, MS_ERR_NOMEM, NULL) : MS_OK;
}

ms_code env_win32_mark_undone(const char *backup_dir, ms_error *err)
{
    static const char note[] = "undone\r\n";
    strbuf marker;
    strbuf_init(&marker);
    strbuf_addf(&marker, "%s\\" ENV_UNDONE_MARKER, backup_dir);
    ms_code rc = ms_file_write_atomic(marker.buf, note, sizeof note - 1, err);
    strbuf_free(&marker);
    return rc;
}
