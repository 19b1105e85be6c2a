/* platform_posix: the core's platform interface on Linux (host build). */
#define _POSIX_C_SOURCE 200809L
#include "platform.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

void ms_platform_write(enum ms_stream stream, const char *utf8, size_t len)
{
    FILE *f = stream == MS_STDERR ? stderr : stdout;
    fwrite(utf8, 1, len, f);
    fflush(f);
}

ms_code ms_file_read(const char *path, size_t max, strbuf *out, ms_error *err)
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
    char buf[65536];
    size_t total = 0;
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
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

ms_code ms_file_write_atomic(const char *path, const void *data, size_t len, ms_error *err)
{
    strbuf tmp;
    strbuf_init(&tmp);
    strbuf_addf(&tmp, "%s.mailsetup-tmp", path);
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
