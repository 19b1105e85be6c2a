/* reg_win32: ms_reg over the real HKEY_CURRENT_USER; see reg_win32.h.
 *
 * A scan reads ten or so values from each of hundreds of account keys; under
 * Wine every registry call is a round trip to wineserver, so the key opened
 * last is kept open for the next read of the same key. Writes and deletes
 * close it first (a deleted key must not be read through a stale handle).
 * Every write asks fault_should_fail() first (fault.h), so failure
 * injection reaches the real registry too. */
#include "reg_win32.h"

#include <windows.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "fault.h"
#include "utf.h"

/* Longest value RegQueryValueEx is asked for; larger values are refused
 * (the mail programs' values are a few hundred bytes). */
#define MAX_VALUE (1024u * 1024u)

static void cache_drop(reg_win32 *rw)
{
    if (rw->path) {
        RegCloseKey(rw->key);
        free(rw->path);
        rw->path = NULL;
    }
}

static ms_code win_error(ms_error *err, ms_code code, LONG e, const char *key, const char *name)
{
    if (e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND)
        code = MS_ERR_REG_NOT_FOUND;
    if (e == ERROR_NOT_ENOUGH_MEMORY || e == ERROR_OUTOFMEMORY)
        code = MS_ERR_NOMEM;
    return ms_fail(err, code, "HKEY_CURRENT_USER\\%s%s%s (Windows error %ld)", key,
                   name ? "\\" : "", name ? name : "", (long)e);
}

/* Checks a path the way memreg does, so both behave alike in tests. */
static bool path_ok(const char *key)
{
    size_t n = strlen(key);
    return !(n && (key[0] == '\\' || key[n - 1] == '\\' || strstr(key, "\\\\")));
}

/* Opens key for reading (cached). */
static ms_code open_read(reg_win32 *rw, const char *key, HKEY *out, ms_error *err)
{
    if (!path_ok(key))
        return ms_fail(err, MS_ERR_REG_BAD_PATH, "%s", key);
    /* The same bytes name the same key (a case-insensitive match would only
     * save an open now and then). */
    if (rw->path && strcmp(rw->path, key) == 0) {
        *out = rw->key;
        return MS_OK;
    }
    cache_drop(rw);
    wchar_t *w = ms_utf8_to_wide(key);
    char *copy = malloc(strlen(key) + 1);
    if (!w || !copy) {
        free(w);
        free(copy);
        return ms_fail(err, w ? MS_ERR_NOMEM : MS_ERR_REG_BAD_PATH, "%s", key);
    }
    HKEY k;
    LONG e = RegOpenKeyExW(HKEY_CURRENT_USER, w, 0, KEY_READ, &k);
    free(w);
    if (e != ERROR_SUCCESS) {
        free(copy);
        return win_error(err, MS_ERR_REG_READ, e, key, NULL);
    }
    strcpy(copy, key);
    rw->path = copy;
    rw->key = k;
    *out = k;
    return MS_OK;
}

static ms_code rw_subkeys(ms_reg *r, const char *key, strbuf *out, ms_error *err)
{
    HKEY k;
    ms_code rc = open_read((reg_win32 *)r, key, &k, err);
    if (rc != MS_OK)
        return rc;
    wchar_t name[256]; /* key names are at most 255 characters */
    for (DWORD i = 0;; i++) {
        DWORD n = sizeof name / sizeof name[0];
        LONG e = RegEnumKeyExW(k, i, name, &n, NULL, NULL, NULL, NULL);
        if (e == ERROR_NO_MORE_ITEMS)
            break;
        if (e != ERROR_SUCCESS)
            return win_error(err, MS_ERR_REG_READ, e, key, NULL);
        char *u = ms_widen_to_utf8(name, n, NULL);
        if (!u)
            return ms_fail(err, MS_ERR_REG_BAD_PATH, "%s: a subkey name is not valid UTF-16",
                           key);
        strbuf_add(out, u, strlen(u) + 1);
        free(u);
    }
    return out->oom ? ms_fail(err, MS_ERR_NOMEM, NULL) : MS_OK;
}

static ms_code rw_values(ms_reg *r, const char *key, strbuf *out, ms_error *err)
{
    HKEY k;
    ms_code rc = open_read((reg_win32 *)r, key, &k, err);
    if (rc != MS_OK)
        return rc;
    DWORD max_name = 0;
    LONG e = RegQueryInfoKeyW(k, NULL, NULL, NULL, NULL, NULL, NULL, NULL, &max_name, NULL,
                              NULL, NULL);
    if (e != ERROR_SUCCESS)
        return win_error(err, MS_ERR_REG_READ, e, key, NULL);
    wchar_t *name = malloc(((size_t)max_name + 2) * sizeof *name);
    if (!name)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    rc = MS_OK;
    for (DWORD i = 0; rc == MS_OK; i++) {
        DWORD n = max_name + 2;
        e = RegEnumValueW(k, i, name, &n, NULL, NULL, NULL, NULL);
        if (e == ERROR_NO_MORE_ITEMS)
            break;
        if (e != ERROR_SUCCESS) {
            rc = win_error(err, MS_ERR_REG_READ, e, key, NULL);
            break;
        }
        char *u = ms_widen_to_utf8(name, n, NULL);
        if (!u) {
            rc = ms_fail(err, MS_ERR_REG_BAD_PATH, "%s: a value name is not valid UTF-16", key);
            break;
        }
        strbuf_add(out, u, strlen(u) + 1);
        free(u);
    }
    free(name);
    if (rc == MS_OK && out->oom)
        rc = ms_fail(err, MS_ERR_NOMEM, NULL);
    return rc;
}

static ms_code rw_get(ms_reg *r, const char *key, const char *name, ms_reg_value *out,
                      ms_error *err)
{
    HKEY k;
    ms_code rc = open_read((reg_win32 *)r, key, &k, err);
    if (rc != MS_OK)
        return rc;
    wchar_t *wn = ms_utf8_to_wide(name);
    if (!wn)
        return ms_fail(err, MS_ERR_REG_BAD_PATH, "%s\\%s", key, name);
    /* Most values fit a small buffer: one call instead of two. */
    BYTE small[512];
    DWORD type = 0, len = sizeof small;
    LONG e = RegQueryValueExW(k, wn, NULL, &type, small, &len);
    strbuf_reset(&out->data);
    if (e == ERROR_SUCCESS) {
        strbuf_add(&out->data, small, len);
    } else if (e == ERROR_MORE_DATA) {
        for (int tries = 0; tries < 4 && e == ERROR_MORE_DATA; tries++) {
            if (len > MAX_VALUE) {
                free(wn);
                return ms_fail(err, MS_ERR_REG_TOO_LARGE, "HKEY_CURRENT_USER\\%s\\%s: %lu bytes",
                               key, name, (unsigned long)len);
            }
            BYTE *big = malloc(len ? len : 1);
            if (!big) {
                free(wn);
                return ms_fail(err, MS_ERR_NOMEM, NULL);
            }
            DWORD blen = len;
            e = RegQueryValueExW(k, wn, NULL, &type, big, &blen);
            if (e == ERROR_SUCCESS)
                strbuf_add(&out->data, big, blen);
            len = blen;
            free(big);
        }
    }
    free(wn);
    if (e != ERROR_SUCCESS)
        return win_error(err, MS_ERR_REG_READ, e, key, name);
    out->type = type;
    return out->data.oom ? ms_fail(err, MS_ERR_NOMEM, NULL) : MS_OK;
}

/* Opens (creating when asked) key for writing; never cached. */
static ms_code open_write(reg_win32 *rw, const char *key, bool create, HKEY *out,
                          ms_error *err)
{
    cache_drop(rw);
    if (!path_ok(key))
        return ms_fail(err, MS_ERR_REG_BAD_PATH, "%s", key);
    wchar_t *w = ms_utf8_to_wide(key);
    if (!w)
        return ms_fail(err, MS_ERR_REG_BAD_PATH, "%s", key);
    LONG e = create ? RegCreateKeyExW(HKEY_CURRENT_USER, w, 0, NULL, REG_OPTION_NON_VOLATILE,
                                      KEY_READ | KEY_WRITE, NULL, out, NULL)
                    : RegOpenKeyExW(HKEY_CURRENT_USER, w, 0, KEY_READ | KEY_WRITE, out);
    free(w);
    if (e != ERROR_SUCCESS)
        return win_error(err, MS_ERR_REG_WRITE, e, key, NULL);
    return MS_OK;
}

/* Sets value name of key (del: deletes it instead). */
static ms_code change_value(ms_reg *r, const char *key, const char *name, bool del,
                            uint32_t type, const void *data, size_t len, ms_error *err)
{
    if (fault_should_fail())
        return ms_fail(err, MS_ERR_REG_WRITE, "HKEY_CURRENT_USER\\%s\\%s (injected fault)", key,
                       name);
    HKEY k;
    ms_code rc = open_write((reg_win32 *)r, key, !del, &k, err);
    if (rc != MS_OK)
        return rc;
    wchar_t *wn = ms_utf8_to_wide(name);
    LONG e = !wn  ? ERROR_INVALID_NAME
             : del ? RegDeleteValueW(k, wn)
                   : RegSetValueExW(k, wn, 0, type, data, (DWORD)len);
    free(wn);
    RegCloseKey(k);
    return e == ERROR_SUCCESS ? MS_OK : win_error(err, MS_ERR_REG_WRITE, e, key, name);
}

static ms_code rw_set(ms_reg *r, const char *key, const char *name, uint32_t type,
                      const void *data, size_t len, ms_error *err)
{
    if (len > MAX_VALUE)
        return ms_fail(err, MS_ERR_REG_TOO_LARGE, "%s\\%s", key, name);
    return change_value(r, key, name, false, type, data, len, err);
}

static ms_code rw_del_value(ms_reg *r, const char *key, const char *name, ms_error *err)
{
    return change_value(r, key, name, true, 0, NULL, 0, err);
}

static ms_code rw_create_key(ms_reg *r, const char *key, ms_error *err)
{
    if (fault_should_fail())
        return ms_fail(err, MS_ERR_REG_WRITE, "HKEY_CURRENT_USER\\%s (injected fault)", key);
    HKEY k;
    ms_code rc = open_write((reg_win32 *)r, key, true, &k, err);
    if (rc == MS_OK)
        RegCloseKey(k);
    return rc;
}

/* RegDeleteTreeW is Vista+; the wizard also runs on XP, so delete the
 * subkeys depth-first by hand. */
static LONG delete_tree(HKEY parent, const wchar_t *name)
{
    HKEY k;
    LONG e = RegOpenKeyExW(parent, name, 0, KEY_READ | KEY_WRITE, &k);
    if (e != ERROR_SUCCESS)
        return e;
    wchar_t sub[256];
    for (;;) {
        DWORD n = sizeof sub / sizeof sub[0];
        e = RegEnumKeyExW(k, 0, sub, &n, NULL, NULL, NULL, NULL);
        if (e == ERROR_NO_MORE_ITEMS)
            break;
        if (e == ERROR_SUCCESS)
            e = delete_tree(k, sub);
        if (e != ERROR_SUCCESS) {
            RegCloseKey(k);
            return e;
        }
    }
    RegCloseKey(k);
    return RegDeleteKeyW(parent, name);
}

static ms_code rw_del_tree(ms_reg *r, const char *key, ms_error *err)
{
    cache_drop((reg_win32 *)r);
    if (!key[0] || !path_ok(key))
        return ms_fail(err, MS_ERR_REG_BAD_PATH, "%s", key);
    if (fault_should_fail())
        return ms_fail(err, MS_ERR_REG_WRITE, "HKEY_CURRENT_USER\\%s (injected fault)", key);
    wchar_t *w = ms_utf8_to_wide(key);
    if (!w)
        return ms_fail(err, MS_ERR_REG_BAD_PATH, "%s", key);
    LONG e = delete_tree(HKEY_CURRENT_USER, w);
    free(w);
    return e == ERROR_SUCCESS ? MS_OK : win_error(err, MS_ERR_REG_WRITE, e, key, NULL);
}

static const ms_reg_ops win32_ops = {
    rw_subkeys, rw_values, rw_get, rw_set, rw_del_value, rw_create_key, rw_del_tree,
};

void reg_win32_init(reg_win32 *r)
{
    r->base.ops = &win32_ops;
    r->path = NULL;
    r->key = NULL;
}

void reg_win32_close(reg_win32 *r)
{
    cache_drop(r);
}
