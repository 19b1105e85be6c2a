/* regval: typed access to registry values over any ms_reg (the real
 * registry or memreg). The mail programs store strings in two ways: REG_SZ
 * (Outlook Express) and REG_BINARY holding UTF-16LE with a NUL (Outlook's
 * MAPI profiles); numbers as REG_DWORD. These helpers turn both into UTF-8 /
 * unsigned and back, and refuse malformed data with MS_ERR_REG_BAD_VALUE
 * naming the key and value, so a back-end can report the account as
 * unreadable instead of guessing. */
#ifndef MS_REGVAL_H
#define MS_REGVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "reg.h"
#include "strbuf.h"

/* Longest string value accepted, in bytes of UTF-16 (host names, user names
 * and display names are far shorter; this only stops a hostile value). */
#define REGVAL_MAX_STRING 32768

/* How a string value must be stored. */
enum regval_str_kind {
    REGVAL_SZ,        /* REG_SZ or REG_EXPAND_SZ (a missing NUL is tolerated,
                         as RegQueryValueEx documents it can happen) */
    REGVAL_BINARY_SZ, /* REG_BINARY with UTF-16LE text and its NUL (Outlook);
                         REG_SZ is accepted too (scripts sometimes write that) */
};

/* Reads a string value into *out (malloc'd UTF-8; caller frees).
 * MS_ERR_REG_NOT_FOUND when absent (err is then set too, so callers that
 * treat absence as "empty" just test the code); MS_ERR_REG_BAD_VALUE for the
 * wrong type, odd length, missing NUL (binary), text after an embedded NUL
 * or invalid UTF-16; MS_ERR_REG_TOO_LARGE above REGVAL_MAX_STRING. */
MS_NODISCARD ms_code regval_get_string(ms_reg *r, const char *key, const char *name,
                                       enum regval_str_kind kind, char **out, ms_error *err);
/* Decodes raw value bytes the same way (for values already read). */
MS_NODISCARD ms_code regval_decode_string(const ms_reg_value *v, enum regval_str_kind kind,
                                          const char *key, const char *name, char **out,
                                          ms_error *err);

/* Reads a REG_DWORD (exactly 4 bytes, little-endian). Absent: MS_OK with
 * *present false and *out = dflt. Wrong type or size: MS_ERR_REG_BAD_VALUE. */
MS_NODISCARD ms_code regval_get_dword(ms_reg *r, const char *key, const char *name, uint32_t dflt,
                                      uint32_t *out, bool *present, ms_error *err);

/* The raw bytes a string value gets: UTF-16LE of utf8 plus a NUL. False on
 * invalid UTF-8. */
bool regval_encode_string(const char *utf8, strbuf *out);
/* 4 little-endian bytes. */
void regval_encode_dword(uint32_t v, unsigned char out[4]);

/* Does the value at key/name already hold exactly type + bytes? (Absent,
 * unreadable or different: false.) Lets back-ends skip writes that would
 * change nothing, so applying twice writes nothing the second time. */
bool regval_equals(ms_reg *r, const char *key, const char *name, uint32_t type, const void *data,
                   size_t len);

/* Short English name of a value type for messages ("REG_SZ", "type 9"). */
const char *regval_type_name(uint32_t type, char buf[16]);

#endif
