/* regval: typed registry value access; see regval.h. */
#include "regval.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf16.h"

void reg_value_init(ms_reg_value *v)
{
    v->type = MS_REG_NONE;
    strbuf_init(&v->data);
}

void reg_value_free(ms_reg_value *v)
{
    strbuf_free(&v->data);
    v->type = MS_REG_NONE;
}

const char *regval_type_name(uint32_t type, char buf[16])
{
    switch (type) {
    case MS_REG_NONE:
        return "REG_NONE";
    case MS_REG_SZ:
        return "REG_SZ";
    case MS_REG_EXPAND_SZ:
        return "REG_EXPAND_SZ";
    case MS_REG_BINARY:
        return "REG_BINARY";
    case MS_REG_DWORD:
        return "REG_DWORD";
    case MS_REG_MULTI_SZ:
        return "REG_MULTI_SZ";
    case MS_REG_QWORD:
        return "REG_QWORD";
    default:
        snprintf(buf, 16, "type %lu", (unsigned long)type);
        return buf;
    }
}

ms_code regval_decode_string(const ms_reg_value *v, enum regval_str_kind kind, const char *key,
                             const char *name, char **out, ms_error *err)
{
    *out = NULL;
    char tb[16];
    bool type_ok = v->type == MS_REG_SZ || v->type == MS_REG_EXPAND_SZ ||
                   (kind == REGVAL_BINARY_SZ && v->type == MS_REG_BINARY);
    if (!type_ok)
        return ms_fail(err, MS_ERR_REG_BAD_VALUE, "%s\\%s: %s where text was expected", key, name,
                       regval_type_name(v->type, tb));
    size_t len = v->data.len;
    if (len > REGVAL_MAX_STRING)
        return ms_fail(err, MS_ERR_REG_TOO_LARGE, "%s\\%s: %zu bytes", key, name, len);
    if (len % 2)
        return ms_fail(err, MS_ERR_REG_BAD_VALUE, "%s\\%s: odd length (%zu bytes) for UTF-16 text",
                       key, name, len);
    const unsigned char *p = (const unsigned char *)v->data.buf;
    size_t units = len / 2;
    /* Text ends at the first NUL; after it only NULs may follow. */
    size_t end = units;
    for (size_t i = 0; i < units; i++) {
        if (!p[2 * i] && !p[2 * i + 1]) {
            end = i;
            break;
        }
    }
    for (size_t i = end; i < units; i++)
        if (p[2 * i] || p[2 * i + 1])
            return ms_fail(err, MS_ERR_REG_BAD_VALUE, "%s\\%s: text after an embedded NUL", key,
                           name);
    if (end == units && v->type == MS_REG_BINARY)
        return ms_fail(err, MS_ERR_REG_BAD_VALUE, "%s\\%s: binary text without its NUL", key,
                       name);
    strbuf sb;
    strbuf_init(&sb);
    size_t bad_at = 0;
    if (!utf16_to_utf8(p, end * 2, false, &sb, &bad_at)) {
        strbuf_free(&sb);
        return ms_fail(err, MS_ERR_REG_BAD_VALUE, "%s\\%s: invalid UTF-16 at byte %zu", key, name,
                       bad_at);
    }
    if (sb.oom) {
        strbuf_free(&sb);
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    }
    *out = strbuf_detach(&sb, NULL);
    if (!*out)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    return MS_OK;
}

ms_code regval_get_string(ms_reg *r, const char *key, const char *name, enum regval_str_kind kind,
                          char **out, ms_error *err)
{
    *out = NULL;
    ms_reg_value v;
    reg_value_init(&v);
    ms_code rc = r->ops->get(r, key, name, &v, err);
    if (rc != MS_OK)
        goto out;
    rc = regval_decode_string(&v, kind, key, name, out, err);
out:
    reg_value_free(&v);
    return rc;
}

ms_code regval_get_dword(ms_reg *r, const char *key, const char *name, uint32_t dflt,
                         uint32_t *out, bool *present, ms_error *err)
{
    *out = dflt;
    if (present)
        *present = false;
    ms_reg_value v;
    reg_value_init(&v);
    ms_code rc = r->ops->get(r, key, name, &v, err);
    if (rc == MS_ERR_REG_NOT_FOUND) {
        reg_value_free(&v);
        ms_error_clear(err);
        return MS_OK;
    }
    if (rc == MS_OK) {
        char tb[16];
        if (v.type != MS_REG_DWORD) {
            rc = ms_fail(err, MS_ERR_REG_BAD_VALUE, "%s\\%s: %s where REG_DWORD was expected", key,
                         name, regval_type_name(v.type, tb));
        } else if (v.data.len != 4) {
            rc = ms_fail(err, MS_ERR_REG_BAD_VALUE, "%s\\%s: REG_DWORD of %zu bytes", key, name,
                         v.data.len);
        } else {
            const unsigned char *p = (const unsigned char *)v.data.buf;
            *out = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                   (uint32_t)p[3] << 24;
            if (present)
                *present = true;
        }
    }
    reg_value_free(&v);
    return rc;
}

bool regval_encode_string(const char *utf8, strbuf *out)
{
    if (!utf16_from_utf8(utf8, strlen(utf8), false, out))
        return false;
    strbuf_add(out, "\0\0", 2);
    return true;
}

void regval_encode_dword(uint32_t v, unsigned char out[4])
{
    out[0] = (unsigned char)(v & 0xFF);
    out[1] = (unsigned char)(v >> 8 & 0xFF);
    out[2] = (unsigned char)(v >> 16 & 0xFF);
    out[3] = (unsigned char)(v >> 24 & 0xFF);
}

bool regval_equals(ms_reg *r, const char *key, const char *name, uint32_t type, const void *data,
                   size_t len)
{
    ms_reg_value v;
    reg_value_init(&v);
    bool eq = r->ops->get(r, key, name, &v, NULL) == MS_OK && v.type == type &&
              v.data.len == len && (len == 0 || memcmp(v.data.buf, data, len) == 0);
    reg_value_free(&v);
    return eq;
}
