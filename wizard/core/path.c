/* path: core path helpers; see path.h. */
#include "path.h"

#include <string.h>

#include "platform.h"

static int is_sep(char c)
{
    return c == '/' || c == '\\';
}

void path_join(strbuf *out, const char *dir, const char *name)
{
    size_t n = strlen(dir);
    while (n > 1 && is_sep(dir[n - 1]))
        n--;
    strbuf_add(out, dir, n);
    if (n && !is_sep(dir[n - 1]))
        strbuf_addch(out, ms_path_sep());
    while (is_sep(*name))
        name++;
    strbuf_addstr(out, name);
}

void path_normalize(char *s)
{
    char sep = ms_path_sep();
    for (; *s; s++)
        if (is_sep(*s))
            *s = sep;
}

const char *path_basename(const char *s)
{
    const char *b = s;
    for (; *s; s++)
        if (is_sep(*s))
            b = s + 1;
    return b;
}

size_t path_dirname_len(const char *s)
{
    const char *b = path_basename(s);
    return b == s ? 0 : (size_t)(b - s - 1);
}
