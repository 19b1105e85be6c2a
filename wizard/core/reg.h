/* reg: the registry as the core sees it. Back-ends for the Microsoft mail
 * programs are portable C over this interface: wizard/win32/reg_win32.c
 * implements it with the real registry (HKEY_CURRENT_USER only: the wizard
 * needs no admin rights), wizard/core/formats/memreg.c with an in-memory tree loaded
 * from .reg files, for unit tests on Linux.
 * Key paths are UTF-8 with backslashes, relative to HKEY_CURRENT_USER:
 * "Identities\\{GUID}\\Software\\Microsoft\\Internet Account Manager". */
#ifndef MS_REG_H
#define MS_REG_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "strbuf.h"

/* Windows' value types (winnt.h numbers, so .reg hex(N) maps directly). */
enum ms_reg_type {
    MS_REG_NONE = 0,
    MS_REG_SZ = 1,
    MS_REG_EXPAND_SZ = 2,
    MS_REG_BINARY = 3,
    MS_REG_DWORD = 4,
    MS_REG_MULTI_SZ = 7,
    MS_REG_QWORD = 11,
};

/* A value as stored: type and raw bytes (REG_SZ is UTF-16LE with its NUL,
 * exactly as RegQueryValueExW returns it). */
typedef struct ms_reg_value {
    uint32_t type;
    strbuf data;
} ms_reg_value;

typedef struct ms_reg ms_reg;

typedef struct ms_reg_ops {
    /* Appends the names of key's direct subkeys, each NUL-terminated, to
     * out. MS_ERR_REG_NOT_FOUND when key does not exist. */
    ms_code (*subkeys)(ms_reg *r, const char *key, strbuf *out, ms_error *err);
    /* Appends the names of key's values, each NUL-terminated. */
    ms_code (*values)(ms_reg *r, const char *key, strbuf *out, ms_error *err);
    /* MS_ERR_REG_NOT_FOUND when the key or value does not exist. */
    ms_code (*get)(ms_reg *r, const char *key, const char *name, ms_reg_value *out, ms_error *err);
    /* Creates the key when needed. */
    ms_code (*set)(ms_reg *r, const char *key, const char *name, uint32_t type, const void *data,
                   size_t len, ms_error *err);
    ms_code (*del_value)(ms_reg *r, const char *key, const char *name, ms_error *err);
    ms_code (*create_key)(ms_reg *r, const char *key, ms_error *err);
    /* Deletes key and everything below it. */
    ms_code (*del_tree)(ms_reg *r, const char *key, ms_error *err);
} ms_reg_ops;

struct ms_reg {
    const ms_reg_ops *ops;
};

/* An empty value (type 0, no data). */
void reg_value_init(ms_reg_value *v);
/* Frees the value's data; v is an empty value after. */
void reg_value_free(ms_reg_value *v);

#endif
