/* olktest: helpers shared by the Outlook back-end and account-API tests:
 * loading tests/data/outlook/ fixtures into memreg, running the engine over
 * them with a seed ISP profile, and the registry diff in the readable form
 * of tests/data/outlook/README.md. Include after cmocka.h. */
#ifndef MS_OLKTEST_H
#define MS_OLKTEST_H

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "acctprops.h"
#include "engine.h"
#include "memreg.h"
#include "platform.h"
#include "profile.h"
#include "utf16.h"

#define OLK_WMS_PREFIX                                                                             \
    "Software\\Microsoft\\Windows NT\\CurrentVersion\\Windows Messaging Subsystem\\Profiles"

static inline memreg *olk_load(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/outlook/%s", MS_TEST_DATA, name);
    memreg *m = memreg_new();
    assert_non_null(m);
    ms_error err;
    if (memreg_load_file(m, path, &err) != MS_OK)
        fail_msg("%s: %s", name, err.detail);
    return m;
}

static inline profile *olk_profile(const char *isp)
{
    char path[512];
    snprintf(path, sizeof path, "%s/isp-profiles/%s.json", MS_SOURCE_DIR, isp);
    profile_errors errs;
    profile_errors_init(&errs);
    profile *p = NULL;
    ms_code rc = profile_load_file(path, &p, &errs);
    if (rc != MS_OK && errs.count)
        fail_msg("%s: %s", path, errs.items[0].err.detail);
    profile_errors_free(&errs);
    assert_int_equal(rc, MS_OK);
    return p;
}

static inline bool olk_not_running(const char *const *names, void *ctx)
{
    (void)names;
    (void)ctx;
    return false;
}

/* A fresh empty backup folder (malloc'd path). */
static inline char *olk_backup_dir(void)
{
    char *d = strdup("/tmp/test_olk.XXXXXX");
    assert_non_null(d);
    assert_non_null(mkdtemp(d));
    return d;
}

static inline void olk_rm_rf(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static inline void olk_replace(strbuf *sb, const char *from, const char *to)
{
    strbuf out;
    strbuf_init(&out);
    const char *p = sb->buf, *hit;
    size_t n = strlen(from);
    while ((hit = strstr(p, from)) != NULL) {
        strbuf_add(&out, p, (size_t)(hit - p));
        strbuf_addstr(&out, to);
        p = hit + n;
    }
    strbuf_addstr(&out, p);
    strbuf_reset(sb);
    strbuf_add(sb, out.buf, out.len);
    strbuf_free(&out);
}

/* One value of a diff line: dword -> decimal, UTF-16 + NUL -> "text". */
static inline void olk_pretty_value(const char *v, size_t len, strbuf *out)
{
    if (len == 14 && strncmp(v, "dword:", 6) == 0) {
        char hex[9];
        memcpy(hex, v + 6, 8);
        hex[8] = '\0';
        strbuf_addf(out, "%lu", strtoul(hex, NULL, 16));
        return;
    }
    if (len > 4 && strncmp(v, "hex:", 4) == 0) {
        strbuf bytes;
        strbuf_init(&bytes);
        for (size_t i = 4; i + 1 < len; i += 3) {
            char b[3] = {v[i], v[i + 1], 0};
            strbuf_addch(&bytes, (char)strtoul(b, NULL, 16));
        }
        strbuf text;
        strbuf_init(&text);
        size_t bad;
        bool ok = bytes.len >= 2 && bytes.len % 2 == 0 && !bytes.buf[bytes.len - 1] &&
                  !bytes.buf[bytes.len - 2] &&
                  utf16_to_utf8(bytes.buf, bytes.len - 2, false, &text, &bad) &&
                  strlen(text.buf) == text.len;
        if (ok)
            strbuf_addf(out, "\"%s\"", text.buf);
        else
            strbuf_add(out, v, len);
        strbuf_free(&text);
        strbuf_free(&bytes);
        return;
    }
    strbuf_add(out, v, len);
}

static inline int olk_cmp_line(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts the lines of sb in place (each ends with '\n'). */
static inline void olk_sort_lines(strbuf *sb)
{
    char *lines[512];
    size_t n = 0;
    char *copy = strdup(sb->buf ? sb->buf : "");
    assert_non_null(copy);
    for (char *p = strtok(copy, "\n"); p && n < 512; p = strtok(NULL, "\n"))
        if (*p)
            lines[n++] = p;
    qsort(lines, n, sizeof *lines, olk_cmp_line);
    strbuf_reset(sb);
    for (size_t i = 0; i < n; i++) {
        strbuf_addstr(sb, lines[i]);
        strbuf_addch(sb, '\n');
    }
    free(copy);
}

/* memreg_diff(a, b) in the readable form, lines sorted. */
static inline void olk_diff(const memreg *a, const memreg *b, strbuf *out)
{
    strbuf raw;
    strbuf_init(&raw);
    memreg_diff(a, b, &raw);
    olk_replace(&raw, "HKEY_CURRENT_USER\\" OLK_WMS_PREFIX "\\", "WMS\\");
    olk_replace(&raw, "HKEY_CURRENT_USER\\Software\\Microsoft\\Office\\16.0\\Outlook\\Profiles\\",
                "16.0\\");
    olk_replace(&raw, "HKEY_CURRENT_USER\\Software\\Microsoft\\Office\\15.0\\Outlook\\Profiles\\",
                "15.0\\");
    olk_replace(&raw, "9375CFF0413111d3B88A00104B2A6676\\", "");
    strbuf_reset(out);
    for (char *line = raw.buf; line && *line;) {
        char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) : strlen(line);
        char *arrow = NULL, *sep = NULL;
        if (line[0] == '~') {
            sep = strstr(line, ": ");
            arrow = strstr(line, " -> ");
        } else if ((line[0] == '+' || line[0] == '-') && line[2] != '[') {
            sep = memchr(line, '=', n);
        }
        if (line[0] == '~' && sep && arrow && arrow < line + n) {
            strbuf_add(out, line, (size_t)(sep - line) + 2);
            olk_pretty_value(sep + 2, (size_t)(arrow - sep - 2), out);
            strbuf_addstr(out, " -> ");
            olk_pretty_value(arrow + 4, (size_t)(line + n - arrow - 4), out);
        } else if (sep && sep < line + n) {
            strbuf_add(out, line, (size_t)(sep - line) + 1);
            olk_pretty_value(sep + 1, (size_t)(line + n - sep - 1), out);
        } else {
            strbuf_add(out, line, n);
        }
        strbuf_addch(out, '\n');
        line = end ? end + 1 : NULL;
    }
    strbuf_free(&raw);
    olk_sort_lines(out);
}

static inline void olk_expected(const char *name, strbuf *out)
{
    char path[512];
    snprintf(path, sizeof path, "%s/outlook/%s", MS_TEST_DATA, name);
    ms_error err;
    strbuf_reset(out);
    if (ms_file_read(path, 1 << 20, out, &err) != MS_OK)
        fail_msg("%s: %s", path, err.detail);
    olk_sort_lines(out);
}

/* The account APIs olk_apply's runs see (api NULL: none, the default) and
 * the path each account took; a test sets .api and reads the records. */
static acctprops_ctx olk_paths;

/* Scans and applies isp's plan to every account in m (all programs) with a
 * fresh journal; returns the backup folder (caller frees and removes). */
static inline char *olk_apply(memreg *m, const char *isp, ms_code *rc_out, size_t *n_changed)
{
    ms_env env = {.reg = memreg_reg(m), .acctprops = &olk_paths};
    profile *p = olk_profile(isp);
    ms_scan *s = NULL;
    ms_error err;
    assert_int_equal(engine_scan(&env, p, olk_not_running, NULL, &s, &err), MS_OK);
    char *dir = olk_backup_dir();
    engine_result *res = NULL;
    ms_code rc = engine_apply(&env, s, NULL, olk_not_running, NULL, dir, &res, &err);
    if (rc_out)
        *rc_out = rc;
    size_t changed = 0;
    for (size_t i = 0; res && i < s->plan->count; i++)
        changed += res[i].outcome == ENGINE_CHANGED;
    if (n_changed)
        *n_changed = changed;
    engine_results_free(res, s->plan->count);
    engine_scan_free(s);
    profile_free(p);
    return dir;
}

/* Number of accounts isp's plan would still change in m. */
static inline size_t olk_pending(memreg *m, const char *isp)
{
    ms_env env = {.reg = memreg_reg(m)};
    profile *p = olk_profile(isp);
    ms_scan *s = NULL;
    ms_error err;
    assert_int_equal(engine_scan(&env, p, olk_not_running, NULL, &s, &err), MS_OK);
    size_t n = plan_count(s->plan, PLAN_CHANGE);
    engine_scan_free(s);
    profile_free(p);
    return n;
}

#endif
