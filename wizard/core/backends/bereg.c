/* bereg: shared helpers of the registry back-ends; see bereg.h. */
#include "bereg.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void bereg_reader_init(bereg_reader *rd, ms_reg *reg, const char *key)
{
    rd->reg = reg;
    rd->key = key;
    ms_error_clear(&rd->err);
}

void bereg_reader_fail(bereg_reader *rd, ms_code code, const char *fmt, ...)
{
    if (rd->err.code != MS_OK)
        return;
    rd->err.code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rd->err.detail, sizeof rd->err.detail, fmt, ap);
    va_end(ap);
}

char *bereg_str(bereg_reader *rd, const char *name, enum regval_str_kind kind)
{
    if (rd->err.code != MS_OK)
        return NULL;
    char *s = NULL;
    ms_error e;
    ms_code rc = regval_get_string(rd->reg, rd->key, name, kind, &s, &e);
    if (rc == MS_ERR_REG_NOT_FOUND)
        return NULL;
    if (rc != MS_OK)
        rd->err = e;
    return s;
}

uint32_t bereg_dword(bereg_reader *rd, const char *name, uint32_t dflt, bool *present)
{
    if (present)
        *present = false;
    if (rd->err.code != MS_OK)
        return dflt;
    uint32_t v;
    ms_error e;
    if (regval_get_dword(rd->reg, rd->key, name, dflt, &v, present, &e) != MS_OK) {
        rd->err = e;
        return dflt;
    }
    return v;
}

ms_code bereg_put(ms_reg *reg, ms_journal *j, const char *key, const char *name, uint32_t type,
                  const void *data, size_t len, ms_error *err)
{
    if (regval_equals(reg, key, name, type, data, len))
        return MS_OK;
    ms_code rc = journal_reg_before(j, reg, key, name, err);
    if (rc != MS_OK)
        return rc;
    return reg->ops->set(reg, key, name, type, data, len, err);
}

ms_code bereg_put_string(ms_reg *reg, ms_journal *j, const char *key, const char *name,
                         uint32_t type, const char *utf8, ms_error *err)
{
    strbuf b;
    strbuf_init(&b);
    if (!regval_encode_string(utf8 ? utf8 : "", &b)) {
        strbuf_free(&b);
        return ms_fail(err, MS_ERR_INTERNAL, "%s\\%s: the new text is not valid UTF-8", key, name);
    }
    ms_code rc = b.oom ? ms_fail(err, MS_ERR_NOMEM, NULL)
                       : bereg_put(reg, j, key, name, type, b.buf, b.len, err);
    strbuf_free(&b);
    return rc;
}

ms_code bereg_put_dword(ms_reg *reg, ms_journal *j, const char *key, const char *name,
                        uint32_t value, ms_error *err)
{
    unsigned char b[4];
    regval_encode_dword(value, b);
    return bereg_put(reg, j, key, name, MS_REG_DWORD, b, 4, err);
}

char *bereg_location(const char *rel)
{
    size_t n = strlen(BEREG_HKCU) + 1 + strlen(rel) + 1;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s\\%s", BEREG_HKCU, rel);
    return s;
}

const char *bereg_rel(const char *location)
{
    size_t n = strlen(BEREG_HKCU);
    if (!location || strncmp(location, BEREG_HKCU, n) != 0 || location[n] != '\\' ||
        !location[n + 1])
        return NULL;
    return location + n + 1;
}

static bool ends_with_ci(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && ms_strcasecmp(s + n - m, suffix) == 0;
}

bool bereg_is_secret(const char *name)
{
    if (ends_with_ci(name, "Password2"))
        return true;
    return ends_with_ci(name, "Password") && !ends_with_ci(name, "Prompt for Password");
}

bool bereg_field_is(const ms_account *a, ms_field f, ms_value v)
{
    return account_field_is(a, f, v);
}

ms_code bereg_check_changes(const ms_account *cur, const ms_change *changes, size_t n,
                            ms_error *err)
{
    for (size_t i = 0; i < n; i++) {
        const ms_change *c = &changes[i];
        if ((unsigned)c->field >= MS_F_COUNT)
            return ms_fail(err, MS_ERR_INTERNAL, "%s: unknown field %d", cur->id, (int)c->field);
        if (!bereg_field_is(cur, c->field, c->from) && !bereg_field_is(cur, c->field, c->to))
            return ms_fail(err, MS_ERR_CHANGED_SINCE_SCAN, "%s (%s)", cur->id,
                           account_field_id(c->field));
    }
    return MS_OK;
}

ms_code bereg_key_exists(ms_reg *reg, const char *key, bool *exists, ms_error *err)
{
    *exists = false;
    strbuf names;
    strbuf_init(&names);
    ms_error kerr;
    ms_code rc = reg->ops->values(reg, key, &names, &kerr);
    strbuf_free(&names);
    if (rc == MS_ERR_REG_NOT_FOUND)
        return MS_OK;
    if (rc != MS_OK) {
        if (err)
            *err = kerr;
        return rc;
    }
    *exists = true;
    return MS_OK;
}
