/* platform_posix: the core's platform interface on Linux (host build). */
#define _DEFAULT_SOURCE /* getrandom, d_type-free readdir, statvfs */
#define _POSIX_C_SOURCE 200809L
#include "platform.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "fault.h"

#include <cjson/cJSON.h>

void ms_platform_write(enum ms_stream stream, const char *utf8, size_t len)
{
    FILE *f = stream == MS_STDERR ? stderr : stdout;
    fwrite(utf8, 1, len, f);
    fflush(f);
}

static ms_code file_read(const char *path, size_t max, strbuf *out, ms_error *err, char *buf,
                         size_t bufsz)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return ms_fail(err, MS_ERR_IO_READ, "%s (%s)", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return ms_fail(err, MS_ERR_IO_READ, "%s", path);
    }
    if ((unsigned long long)st.st_size > max) {
        close(fd);
        return ms_fail(err, MS_ERR_IO_READ, "%s (> %zu bytes)", path, max);
    }
    size_t total = 0;
    for (;;) {
        ssize_t n = read(fd, buf, bufsz);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            close(fd);
            return ms_fail(err, MS_ERR_IO_READ, "%s (%s)", path, strerror(errno));
        }
        if (n == 0)
            break;
        total += (size_t)n;
        if (total > max) {
            close(fd);
            return ms_fail(err, MS_ERR_IO_READ, "%s (> %zu bytes)", path, max);
        }
        strbuf_add(out, buf, (size_t)n);
    }
    close(fd);
    if (out->oom)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    return MS_OK;
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

ms_code ms_file_write_atomic(const char *path, const void *data, size_t len, ms_error *err)
{
    if (fault_should_fail())
        return ms_fail(err, MS_ERR_DISK_FULL, "%s (injected fault)", path);
    strbuf tmp;
    strbuf_init(&tmp);
    strbuf_addf(&tmp, "%s" MS_TEMP_SUFFIX, path);
    if (tmp.oom)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    int fd = open(tmp.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        int e = errno;
        strbuf_free(&tmp);
        return ms_fail(err, e == ENOSPC ? MS_ERR_DISK_FULL : MS_ERR_IO_WRITE, "%s (%s)", path,
                       strerror(e));
    }
    /* Keep the original's permissions. */
    struct stat st;
    if (stat(path, &st) == 0)
        (void)fchmod(fd, st.st_mode & 07777);
    const char *p = data;
    size_t left = len;
    int e = 0;
    while (left) {
        ssize_t n = write(fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            e = errno;
            break;
        }
        p += n;
        left -= (size_t)n;
    }
    if (!e && fsync(fd) != 0)
        e = errno;
    if (close(fd) != 0 && !e)
        e = errno;
    if (!e && rename(tmp.buf, path) != 0)
        e = errno;
    if (e) {
        unlink(tmp.buf);
        strbuf_free(&tmp);
        return ms_fail(err, e == ENOSPC ? MS_ERR_DISK_FULL : MS_ERR_IO_WRITE, "%s (%s)", path,
                       strerror(e));
    }
    strbuf_free(&tmp);
    return MS_OK;
}

void ms_platform_versions(strbuf *out)
{
    strbuf_addf(out, "cJSON %s\n", cJSON_Version());
}

ms_lang ms_platform_ui_lang(void)
{
    const char *vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < 3; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v)
            return strncmp(v, "ja", 2) == 0 ? MS_LANG_JA : MS_LANG_EN;
    }
    return MS_LANG_EN;
}

enum ms_path_kind ms_path_kind(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return MS_PATH_NONE;
    if (S_ISREG(st.st_mode))
        return MS_PATH_FILE;
    if (S_ISDIR(st.st_mode))
        return MS_PATH_DIR;
    return MS_PATH_OTHER;
}

bool ms_file_readonly(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0 && S_ISREG(st.st_mode) && !(st.st_mode & S_IWUSR);
}

bool ms_file_exists(const char *path)
{
    return ms_path_kind(path) == MS_PATH_FILE;
}

ms_code ms_dir_list(const char *path, strbuf *out, ms_error *err)
{
    DIR *d = opendir(path);
    if (!d) {
        int e = errno;
        return ms_fail(err, e == ENOENT || e == ENOTDIR ? MS_ERR_NOT_FOUND : MS_ERR_IO_READ,
                       "%s (%s)", path, strerror(e));
    }
    strbuf full;
    strbuf_init(&full);
    struct dirent *de;
    errno = 0;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        strbuf_reset(&full);
        strbuf_addf(&full, "%s/%s", path, de->d_name);
        enum ms_path_kind k = ms_path_kind(full.buf);
        strbuf_addch(out, k == MS_PATH_FILE ? 'f' : k == MS_PATH_DIR ? 'd' : 'o');
        strbuf_add(out, de->d_name, strlen(de->d_name) + 1);
        errno = 0;
    }
    int e = errno;
    closedir(d);
    bool oom = full.oom || out->oom;
    strbuf_free(&full);
    if (oom)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    if (e)
        return ms_fail(err, MS_ERR_IO_READ, "%s (%s)", path, strerror(e));
    return MS_OK;
}

ms_code ms_file_delete(const char *path, ms_error *err)
{
    if (fault_should_fail())
        return ms_fail(err, MS_ERR_IO_WRITE, "%s (injected fault)", path);
    if (unlink(path) != 0 && errno != ENOENT)
        return ms_fail(err, MS_ERR_IO_WRITE, "%s (%s)", path, strerror(errno));
    return MS_OK;
}

ms_code ms_mkdir_p(const char *path, ms_error *err)
{
    if (fault_should_fail())
        return ms_fail(err, MS_ERR_DISK_FULL, "%s (injected fault)", path);
    strbuf p;
    strbuf_init(&p);
    strbuf_addstr(&p, path);
    if (p.oom)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    ms_code rc = MS_OK;
    /* Each prefix ending before a '/', then the whole path. */
    for (size_t i = 1; i <= p.len && rc == MS_OK; i++) {
        if (i < p.len && p.buf[i] != '/')
            continue;
        char c = p.buf[i];
        p.buf[i] = '\0';
        if (mkdir(p.buf, 0700) != 0 && errno != EEXIST)
            rc = ms_fail(err, errno == ENOSPC ? MS_ERR_DISK_FULL : MS_ERR_IO_WRITE, "%s (%s)",
                         p.buf, strerror(errno));
        else if (ms_path_kind(p.buf) != MS_PATH_DIR)
            rc = ms_fail(err, MS_ERR_IO_WRITE, "%s (not a folder)", p.buf);
        p.buf[i] = c;
    }
    strbuf_free(&p);
    return rc;
}

ms_code ms_disk_free(const char *path, unsigned long long *bytes, ms_error *err)
{
    if (fault_free_override(bytes))
        return MS_OK;
    struct statvfs st;
    if (statvfs(path, &st) != 0)
        return ms_fail(err, MS_ERR_IO_READ, "%s (%s)", path, strerror(errno));
    *bytes = (unsigned long long)st.f_bavail * st.f_frsize;
    return MS_OK;
}

ms_code ms_random_bytes(void *buf, size_t n, ms_error *err)
{
    unsigned char *p = buf;
    while (n) {
        ssize_t got = getrandom(p, n, 0);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return ms_fail(err, MS_ERR_INTERNAL, "getrandom (%s)", strerror(errno));
        p += got;
        n -= (size_t)got;
    }
    return MS_OK;
}

char ms_path_sep(void)
{
    return '/';
}

bool ms_path_is_absolute(const char *path)
{
    return path[0] == '/';
}

ms_code ms_getenv(const char *name, strbuf *out, ms_error *err)
{
    const char *v = getenv(name);
    if (!v)
        return ms_fail(err, MS_ERR_NOT_FOUND, "%%%s%%", name);
    strbuf_addstr(out, v);
    return out->oom ? ms_fail(err, MS_ERR_NOMEM, NULL) : MS_OK;
}

/* The host build's journal key: a 0600 file (the Windows build keeps it
 * under DPAPI). MAILSETUP_SECRET_DIR points elsewhere (the tests' "other
 * user"). */
ms_code ms_journal_key(unsigned char key[32], ms_error *err)
{
    strbuf dir;
    strbuf_init(&dir);
    const char *d = getenv("MAILSETUP_SECRET_DIR");
    const char *home = getenv("HOME");
    if (d && *d)
        strbuf_addstr(&dir, d);
    else
        strbuf_addf(&dir, "%s/.config/mailsetup", home && *home ? home : "/tmp");
    strbuf path;
    strbuf_init(&path);
    strbuf_addf(&path, "%s/journal.key", dir.buf);
    ms_code rc = dir.oom || path.oom ? ms_fail(err, MS_ERR_NOMEM, NULL) : MS_OK;
    int fd = rc == MS_OK ? open(path.buf, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) : -1;
    if (rc == MS_OK && fd < 0 && errno == ENOENT) {
        unsigned char fresh[32];
        rc = ms_mkdir_p(dir.buf, err);
        if (rc == MS_OK)
            rc = ms_random_bytes(fresh, sizeof fresh, err);
        /* Written whole beside, then published with link(): it fails if
         * another process published its key first, and then that one is
         * used. Nobody ever reads a half-written key or replaces one that
         * has sealed a journal. */
        strbuf tmp;
        strbuf_init(&tmp);
        strbuf_addf(&tmp, "%s.%ld.new", path.buf, (long)getpid());
        if (rc == MS_OK && tmp.oom)
            rc = ms_fail(err, MS_ERR_NOMEM, NULL);
        if (rc == MS_OK) {
            unlink(tmp.buf);
            int w = open(tmp.buf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
            if (w >= 0) {
                bool ok = write(w, fresh, sizeof fresh) == (ssize_t)sizeof fresh;
                ok = fsync(w) == 0 && ok;
                ok = close(w) == 0 && ok;
                if (ok && link(tmp.buf, path.buf) != 0 && errno != EEXIST)
                    rc = ms_fail(err, MS_ERR_JOURNAL_KEY, "%s (%s)", path.buf, strerror(errno));
                unlink(tmp.buf);
            }
        }
        strbuf_free(&tmp);
        ms_wipe(fresh, sizeof fresh);
        if (rc == MS_OK)
            fd = open(path.buf, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    }
    if (rc == MS_OK && fd < 0)
        rc = ms_fail(err, MS_ERR_JOURNAL_KEY, "%s (%s)", path.buf, strerror(errno));
    if (rc == MS_OK) {
        ssize_t got = read(fd, key, 32);
        if (got != 32)
            rc = ms_fail(err, MS_ERR_JOURNAL_KEY, "%s: not a key", path.buf);
    }
    if (fd >= 0)
        close(fd);
    strbuf_free(&path);
    strbuf_free(&dir);
    return rc;
}

void ms_user_identity(strbuf *out)
{
    const char *u = getenv("USER");
    char host[256] = "";
    if (gethostname(host, sizeof host - 1) != 0)
        host[0] = '\0';
    host[sizeof host - 1] = '\0';
    strbuf_addf(out, "%s on %s", u && *u ? u : "?", host[0] ? host : "?");
}
