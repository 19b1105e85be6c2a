/* platform_win32: the core's platform interface with wide Win32 calls. */
#include "platform.h"

#include <windows.h>
#include <wincrypt.h> /* CryptProtectData: crypt32, delay-loaded (cmake/delayload.cmake) */
#include <shlobj.h>
#include <ntsecapi.h> /* RtlGenRandom (advapi32's SystemFunction036), XP and later */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "fault.h"
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

/* Whether h is a console. GetConsoleMode is a round trip to the console
 * (under Wine, to wineserver: ~50 us), and a scan report is thousands of
 * lines, so the answer is kept for the handle asked last per stream. */
static bool is_console(enum ms_stream stream, HANDLE h)
{
    static struct {
        HANDLE h;
        bool console;
    } seen[2];
    int i = stream == MS_STDERR;
    if (seen[i].h != h) {
        DWORD mode;
        seen[i].console = GetConsoleMode(h, &mode) != 0;
        seen[i].h = h;
    }
    return seen[i].console;
}

void ms_platform_write(enum ms_stream stream, const char *utf8, size_t len)
{
    HANDLE h = std_handle(stream);
    if (h == NULL || h == INVALID_HANDLE_VALUE || len == 0)
        return;
    DWORD done;
    if (is_console(stream, h)) {
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

static ms_code file_read(const char *path, size_t max, strbuf *out, ms_error *err, char *buf,
                         size_t bufsz)
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
    size_t total = 0;
    for (;;) {
        DWORD n;
        if (!ReadFile(h, buf, (DWORD)bufsz, &n, NULL)) {
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

/* Through a stack buffer that is wiped afterwards: the file may hold a
 * password (.oeaccount, --password-file). */
ms_code ms_file_read(const char *path, size_t max, strbuf *out, ms_error *err)
{
    char buf[65536];
    ms_code rc = file_read(path, max, out, err, buf, sizeof buf);
    ms_wipe(buf, sizeof buf);
    return rc;
}

/* Copies the DACL and the hidden/system/archive/not-indexed attributes of
 * the file at from (when there is one) onto to. */
static void keep_attributes(const wchar_t *from, const wchar_t *to)
{
    DWORD a = GetFileAttributesW(from);
    if (a == INVALID_FILE_ATTRIBUTES || (a & FILE_ATTRIBUTE_DIRECTORY))
        return;
    DWORD need = 0;
    GetFileSecurityW(from, DACL_SECURITY_INFORMATION, NULL, 0, &need);
    void *sd = need ? malloc(need) : NULL;
    if (sd && GetFileSecurityW(from, DACL_SECURITY_INFORMATION, sd, need, &need))
        SetFileSecurityW(to, DACL_SECURITY_INFORMATION, sd);
    free(sd);
    SetFileAttributesW(to, a & (FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM |
                                FILE_ATTRIBUTE_ARCHIVE | FILE_ATTRIBUTE_NOT_CONTENT_INDEXED));
}

ms_code ms_file_write_atomic(const char *path, const void *data, size_t len, ms_error *err)
{
    if (fault_should_fail())
        return ms_fail(err, MS_ERR_DISK_FULL, "%s (injected fault)", path);
    ms_code rc = MS_OK;
    wchar_t *wpath = ms_utf8_to_wide(path);
    strbuf tmp;
    strbuf_init(&tmp);
    strbuf_addf(&tmp, "%s" MS_TEMP_SUFFIX, path);
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
    /* The replaced file's attributes and ACL go onto the new one first
     * (docs/security.md), then MoveFileEx with REPLACE_EXISTING: a rename,
     * so the file is always there, old or new. (ReplaceFileW keeps them
     * too, but is not one rename: under Wine a SIGKILL inside it left no
     * journal.json at all, found by wine_kill_apply.) */
    if (!e)
        keep_attributes(wpath, wtmp);
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

enum ms_path_kind ms_path_kind(const char *path)
{
    wchar_t *w = ms_utf8_to_wide(path);
    if (!w)
        return MS_PATH_NONE;
    DWORD a = GetFileAttributesW(w);
    free(w);
    if (a == INVALID_FILE_ATTRIBUTES)
        return MS_PATH_NONE;
    /* A junction or symbolic link may lead anywhere: leave it alone. */
    if (a & (FILE_ATTRIBUTE_REPARSE_POINT | FILE_ATTRIBUTE_DEVICE))
        return MS_PATH_OTHER;
    return (a & FILE_ATTRIBUTE_DIRECTORY) ? MS_PATH_DIR : MS_PATH_FILE;
}

bool ms_file_readonly(const char *path)
{
    wchar_t *w = ms_utf8_to_wide(path);
    if (!w)
        return false;
    DWORD a = GetFileAttributesW(w);
    free(w);
    return a != INVALID_FILE_ATTRIBUTES && !(a & FILE_ATTRIBUTE_DIRECTORY) &&
           (a & FILE_ATTRIBUTE_READONLY);
}

bool ms_file_exists(const char *path)
{
    return ms_path_kind(path) == MS_PATH_FILE;
}

ms_code ms_dir_list(const char *path, strbuf *out, ms_error *err)
{
    strbuf pat;
    strbuf_init(&pat);
    size_t n = strlen(path);
    strbuf_addstr(&pat, path);
    if (n && path[n - 1] != '\\' && path[n - 1] != '/')
        strbuf_addch(&pat, '\\');
    strbuf_addch(&pat, '*');
    wchar_t *w = pat.oom ? NULL : ms_utf8_to_wide(pat.buf);
    strbuf_free(&pat);
    if (!w)
        return ms_fail(err, MS_ERR_IO_READ, "%s", path);
    WIN32_FIND_DATAW fd;
    HANDLE h = FindFirstFileW(w, &fd);
    free(w);
    if (h == INVALID_HANDLE_VALUE) {
        DWORD e = GetLastError();
        if (e == ERROR_FILE_NOT_FOUND) /* an empty folder (no "." even): nothing */
            return MS_OK;
        return ms_fail(err, e == ERROR_PATH_NOT_FOUND || e == ERROR_DIRECTORY ? MS_ERR_NOT_FOUND
                                                                             : MS_ERR_IO_READ,
                       "%s (Windows error %lu)", path, (unsigned long)e);
    }
    ms_code rc = MS_OK;
    do {
        if (wcscmp(fd.cFileName, L".") == 0 || wcscmp(fd.cFileName, L"..") == 0)
            continue;
        char *name = ms_wide_to_utf8(fd.cFileName);
        if (!name) {
            rc = ms_fail(err, MS_ERR_IO_READ, "%s (a name that is not valid UTF-16)", path);
            break;
        }
        DWORD a = fd.dwFileAttributes;
        char kind = (a & (FILE_ATTRIBUTE_REPARSE_POINT | FILE_ATTRIBUTE_DEVICE)) ? 'o'
                    : (a & FILE_ATTRIBUTE_DIRECTORY)                           ? 'd'
                                                                               : 'f';
        strbuf_addch(out, kind);
        strbuf_add(out, name, strlen(name) + 1);
        free(name);
    } while (FindNextFileW(h, &fd));
    DWORD e = GetLastError();
    FindClose(h);
    if (rc == MS_OK && e != ERROR_NO_MORE_FILES)
        rc = win_fail(err, MS_ERR_IO_READ, path, e);
    if (rc == MS_OK && out->oom)
        rc = ms_fail(err, MS_ERR_NOMEM, NULL);
    return rc;
}

ms_code ms_file_delete(const char *path, ms_error *err)
{
    if (fault_should_fail())
        return ms_fail(err, MS_ERR_IO_WRITE, "%s (injected fault)", path);
    wchar_t *w = ms_utf8_to_wide(path);
    if (!w)
        return ms_fail(err, MS_ERR_IO_WRITE, "%s", path);
    BOOL ok = DeleteFileW(w);
    DWORD e = ok ? 0 : GetLastError();
    free(w);
    if (!ok && e != ERROR_FILE_NOT_FOUND && e != ERROR_PATH_NOT_FOUND)
        return win_fail(err, MS_ERR_IO_WRITE, path, e);
    return MS_OK;
}

ms_code ms_mkdir_p(const char *path, ms_error *err)
{
    if (fault_should_fail())
        return ms_fail(err, MS_ERR_DISK_FULL, "%s (injected fault)", path);
    size_t n = strlen(path);
    char *p = malloc(n + 1);
    if (!p)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    memcpy(p, path, n + 1);
    /* Skip the root: "C:\\", "\\\\server\\share\\" (never created). */
    size_t start = 0;
    if (n >= 2 && p[1] == ':')
        start = 3;
    else if (n >= 2 && (p[0] == '\\' || p[0] == '/') && (p[1] == '\\' || p[1] == '/')) {
        int seps = 0;
        for (start = 2; start < n && seps < 2; start++)
            if (p[start] == '\\' || p[start] == '/')
                seps++;
    }
    ms_code rc = MS_OK;
    for (size_t i = start; i <= n && rc == MS_OK; i++) {
        if (i < n && p[i] != '\\' && p[i] != '/')
            continue;
        if (i == 0 || p[i - 1] == '\\' || p[i - 1] == '/')
            continue;
        char c = p[i];
        p[i] = '\0';
        wchar_t *w = ms_utf8_to_wide(p);
        if (!w) {
            rc = ms_fail(err, MS_ERR_IO_WRITE, "%s", p);
        } else {
            if (!CreateDirectoryW(w, NULL)) {
                DWORD e = GetLastError();
                if (e != ERROR_ALREADY_EXISTS)
                    rc = win_fail(err, MS_ERR_IO_WRITE, p, e);
                else if (ms_path_kind(p) != MS_PATH_DIR)
                    rc = ms_fail(err, MS_ERR_IO_WRITE, "%s (not a folder)", p);
            }
            free(w);
        }
        p[i] = c;
    }
    free(p);
    return rc;
}

ms_code ms_disk_free(const char *path, unsigned long long *bytes, ms_error *err)
{
    if (fault_free_override(bytes))
        return MS_OK;
    wchar_t *w = ms_utf8_to_wide(path);
    if (!w)
        return ms_fail(err, MS_ERR_IO_READ, "%s", path);
    ULARGE_INTEGER avail;
    BOOL ok = GetDiskFreeSpaceExW(w, &avail, NULL, NULL);
    DWORD e = ok ? 0 : GetLastError();
    free(w);
    if (!ok)
        return win_fail(err, MS_ERR_IO_READ, path, e);
    *bytes = avail.QuadPart;
    return MS_OK;
}

ms_code ms_random_bytes(void *buf, size_t n, ms_error *err)
{
    unsigned char *p = buf;
    while (n) {
        ULONG chunk = n > 65536 ? 65536 : (ULONG)n;
        if (!RtlGenRandom(p, chunk))
            return ms_fail(err, MS_ERR_INTERNAL, "RtlGenRandom");
        p += chunk;
        n -= chunk;
    }
    return MS_OK;
}

char ms_path_sep(void)
{
    return '\\';
}

bool ms_path_is_absolute(const char *path)
{
    bool letter = (path[0] >= 'A' && path[0] <= 'Z') || (path[0] >= 'a' && path[0] <= 'z');
    if (letter && path[1] == ':' && (path[2] == '\\' || path[2] == '/'))
        return true;
    return (path[0] == '\\' || path[0] == '/') && (path[1] == '\\' || path[1] == '/');
}

ms_code ms_getenv(const char *name, strbuf *out, ms_error *err)
{
    wchar_t *w = ms_utf8_to_wide(name);
    if (!w)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    DWORD n = GetEnvironmentVariableW(w, NULL, 0);
    if (n == 0) {
        free(w);
        return ms_fail(err, MS_ERR_NOT_FOUND, "%%%s%%", name);
    }
    wchar_t *v = malloc((size_t)n * sizeof *v);
    DWORD got = v ? GetEnvironmentVariableW(w, v, n) : 0;
    free(w);
    char *u = got && got < n ? ms_wide_to_utf8(v) : NULL;
    free(v);
    if (!u)
        return ms_fail(err, MS_ERR_NOT_FOUND, "%%%s%%", name);
    strbuf_addstr(out, u);
    free(u);
    return out->oom ? ms_fail(err, MS_ERR_NOMEM, NULL) : MS_OK;
}

/* ---- the journal key (docs/security.md): 32 random bytes, kept in
 * %LOCALAPPDATA%\\mailsetup\\journal.key as a DPAPI blob
 * (CryptProtectData, Windows 2000 on): only this user on this PC can
 * unprotect it, so a backup sealed with it cannot be forged elsewhere. */
#define KEY_ENTROPY "mailsetup journal key 1"

static ms_code key_path(strbuf *dir, strbuf *file, ms_error *err)
{
    wchar_t w[MAX_PATH];
    if (SHGetFolderPathW(NULL, CSIDL_LOCAL_APPDATA, NULL, SHGFP_TYPE_CURRENT, w) != S_OK)
        return ms_fail(err, MS_ERR_JOURNAL_KEY, "%%LOCALAPPDATA%%");
    char *u = ms_wide_to_utf8(w);
    if (!u)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    strbuf_addf(dir, "%s\\mailsetup", u);
    strbuf_addf(file, "%s\\mailsetup\\journal.key", u);
    free(u);
    return dir->oom || file->oom ? ms_fail(err, MS_ERR_NOMEM, NULL) : MS_OK;
}

/* Publishes the sealed key at file: written whole beside, then moved in
 * without replacing: if another wizard published its key first, that one
 * is used, so a key that has sealed a journal is never replaced. */
static ms_code publish_key(const char *file, const DATA_BLOB *sealed, ms_error *err)
{
    wchar_t *wtmp = NULL, *wfile = NULL;
    strbuf tmp;
    strbuf_init(&tmp);
    strbuf_addf(&tmp, "%s.%lu.new", file, (unsigned long)GetCurrentProcessId());
    ms_code rc = tmp.oom ? ms_fail(err, MS_ERR_NOMEM, NULL) : MS_OK;
    if (rc != MS_OK)
        goto out;
    rc = ms_file_write_atomic(tmp.buf, sealed->pbData, sealed->cbData, err);
    if (rc != MS_OK)
        goto out;
    wtmp = ms_utf8_to_wide(tmp.buf);
    wfile = ms_utf8_to_wide(file);
    if (!wtmp || !wfile)
        rc = ms_fail(err, MS_ERR_NOMEM, NULL);
    else if (!MoveFileExW(wtmp, wfile, MOVEFILE_WRITE_THROUGH) &&
             GetLastError() != ERROR_ALREADY_EXISTS)
        rc = ms_fail(err, MS_ERR_JOURNAL_KEY, "%s (Windows error %lu)", file,
                     (unsigned long)GetLastError());
out:
    if (wtmp)
        DeleteFileW(wtmp);
    free(wtmp);
    free(wfile);
    strbuf_free(&tmp);
    return rc;
}

/* First use: a fresh key, protected for this user, published at file. */
static ms_code make_key(const char *dir, const char *file, DATA_BLOB *ent, ms_error *err)
{
    unsigned char fresh[32];
    DATA_BLOB in = {sizeof fresh, fresh}, out = {0, NULL};
    ms_code rc = ms_random_bytes(fresh, sizeof fresh, err);
    if (rc != MS_OK)
        goto out;
    if (!CryptProtectData(&in, L"mailsetup", ent, NULL, NULL, CRYPTPROTECT_UI_FORBIDDEN, &out)) {
        rc = ms_fail(err, MS_ERR_JOURNAL_KEY, "CryptProtectData (Windows error %lu)",
                     (unsigned long)GetLastError());
        goto out;
    }
    SecureZeroMemory(fresh, sizeof fresh);
    rc = ms_mkdir_p(dir, err);
    if (rc != MS_OK)
        goto out;
    rc = publish_key(file, &out, err);
out:
    SecureZeroMemory(fresh, sizeof fresh);
    if (out.pbData)
        LocalFree(out.pbData);
    return rc;
}

/* Reads and unprotects the key at file into key. */
static ms_code read_key(const char *file, DATA_BLOB *ent, unsigned char key[32], ms_error *err)
{
    DATA_BLOB out = {0, NULL};
    strbuf blob;
    strbuf_init(&blob);
    ms_code rc = ms_file_read(file, 64 * 1024, &blob, err);
    if (rc != MS_OK)
        goto out;
    DATA_BLOB in = {(DWORD)blob.len, (BYTE *)blob.buf};
    if (!CryptUnprotectData(&in, NULL, ent, NULL, NULL, CRYPTPROTECT_UI_FORBIDDEN, &out))
        rc = ms_fail(err, MS_ERR_JOURNAL_KEY, "%s: CryptUnprotectData (Windows error %lu)", file,
                     (unsigned long)GetLastError());
    else if (out.cbData != 32)
        rc = ms_fail(err, MS_ERR_JOURNAL_KEY, "%s: not a key", file);
    else
        memcpy(key, out.pbData, 32);
out:
    if (out.pbData) {
        SecureZeroMemory(out.pbData, out.cbData);
        LocalFree(out.pbData);
    }
    strbuf_free(&blob);
    return rc;
}

ms_code ms_journal_key(unsigned char key[32], ms_error *err)
{
    strbuf dir, file;
    strbuf_init(&dir);
    strbuf_init(&file);
    DATA_BLOB ent = {sizeof KEY_ENTROPY - 1, (BYTE *)KEY_ENTROPY};
    ms_code rc = key_path(&dir, &file, err);
    if (rc != MS_OK)
        goto out;
    if (ms_path_kind(file.buf) == MS_PATH_NONE) {
        rc = make_key(dir.buf, file.buf, &ent, err);
        if (rc != MS_OK)
            goto out;
    }
    rc = read_key(file.buf, &ent, key, err);
out:
    strbuf_free(&dir);
    strbuf_free(&file);
    return rc;
}

void ms_user_identity(strbuf *out)
{
    wchar_t user[257], pc[MAX_COMPUTERNAME_LENGTH + 1];
    DWORD un = 257, pn = MAX_COMPUTERNAME_LENGTH + 1;
    if (!GetUserNameW(user, &un))
        user[0] = L'\0';
    if (!GetComputerNameW(pc, &pn))
        pc[0] = L'\0';
    char *u = ms_wide_to_utf8(user), *c = ms_wide_to_utf8(pc);
    strbuf_addf(out, "%s on %s", u && *u ? u : "?", c && *c ? c : "?");
    free(u);
    free(c);
}
