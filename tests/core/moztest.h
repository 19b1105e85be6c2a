/* moztest: small helpers shared by the Mozilla-family unit tests
 * (test_prefs.c, test_ini.c, test_mozilla.c, test_be_mozilla.c): reading
 * fixture files from tests/data/ and the malformed-file table. */
#ifndef MS_MOZTEST_H
#define MS_MOZTEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "platform.h"
#include "strbuf.h"

/* The bytes of tests/data/<rel> appended to sb (fails the test when missing). */
static inline void moztest_read(const char *rel, strbuf *sb)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", MS_TEST_DATA, rel);
    ms_error err;
    if (ms_file_read(path, (size_t)64 << 20, sb, &err) != MS_OK)
        fail_msg("cannot read %s: %s", path, err.detail);
}

/* One row of tests/data/mozilla/malformed/EXPECTED.tsv. */
typedef struct moztest_case {
    char file[128];
    char code[64];
    unsigned line, col;
} moztest_case;

/* The rows whose file name ends in suffix (".js" or ".ini"); returns count. */
static inline size_t moztest_cases(const char *suffix, moztest_case *out, size_t max)
{
    strbuf sb;
    strbuf_init(&sb);
    moztest_read("mozilla/malformed/EXPECTED.tsv", &sb);
    size_t n = 0;
    for (char *line = sb.buf, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        if (line[0] == '#' || !line[0])
            continue;
        moztest_case c;
        char pos[32];
        if (sscanf(line, "%127[^\t]\t%63[^\t]\t%31[^\t]", c.file, c.code, pos) != 3 ||
            sscanf(pos, "%u:%u", &c.line, &c.col) != 2)
            fail_msg("EXPECTED.tsv: bad row: %s", line);
        size_t fl = strlen(c.file), sl = strlen(suffix);
        if (fl < sl || strcmp(c.file + fl - sl, suffix) != 0)
            continue;
        assert_true(n < max);
        out[n++] = c;
    }
    strbuf_free(&sb);
    return n;
}

#endif
