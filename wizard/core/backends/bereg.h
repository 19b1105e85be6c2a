/* bereg: what the registry back-ends (be_oe.c, be_outlook.c) share: a value
 * reader that keeps the first error (so one broken value marks the account
 * unreadable instead of aborting the scan), journalled writes that skip
 * values already holding the target bytes (so applying twice writes nothing
 * the second time), and the "HKEY_CURRENT_USER\..." locations. */
#ifndef MS_BEREG_H
#define MS_BEREG_H

#include <stdbool.h>
#include <stdint.h>

#include "account.h"
#include "error.h"
#include "journal.h"
#include "reg.h"
#include "regval.h"

#define BEREG_HKCU "HKEY_CURRENT_USER"

/* Reads values of one key; after the first failure every read returns
 * "absent" and err keeps that failure. */
typedef struct bereg_reader {
    ms_reg *reg;
    const char *key;
    ms_error err; /* code MS_OK while all reads succeeded */
} bereg_reader;

/* A reader of key's values with no failure yet. */
void bereg_reader_init(bereg_reader *rd, ms_reg *reg, const char *key);
/* malloc'd UTF-8, or NULL when absent (or after a failure). */
char *bereg_str(bereg_reader *rd, const char *name, enum regval_str_kind kind);
/* The DWORD, or dflt when absent (or after a failure). */
uint32_t bereg_dword(bereg_reader *rd, const char *name, uint32_t dflt, bool *present);
/* Records a failure found by the caller (first one wins). */
void bereg_reader_fail(bereg_reader *rd, ms_code code, const char *fmt, ...) MS_PRINTF(3, 4);

/* Sets key\name to type/data unless it already holds exactly that,
 * recording the old state in the journal first. */
MS_NODISCARD ms_code bereg_put(ms_reg *reg, ms_journal *j, const char *key, const char *name,
                               uint32_t type, const void *data, size_t len, ms_error *err);
/* A string as type (MS_REG_SZ or MS_REG_BINARY): UTF-16LE with its NUL. */
MS_NODISCARD ms_code bereg_put_string(ms_reg *reg, ms_journal *j, const char *key, const char *name,
                                      uint32_t type, const char *utf8, ms_error *err);
/* A REG_DWORD, as bereg_put. */
MS_NODISCARD ms_code bereg_put_dword(ms_reg *reg, ms_journal *j, const char *key, const char *name,
                                     uint32_t value, ms_error *err);

/* *exists: whether key can be opened (a missing key is not an error; any
 * other failure to open it is returned). */
MS_NODISCARD ms_code bereg_key_exists(ms_reg *reg, const char *key, bool *exists, ms_error *err);

/* "HKEY_CURRENT_USER\" + rel, malloc'd. */
char *bereg_location(const char *rel);
/* The HKCU-relative part of a location, or NULL when it is not one. */
const char *bereg_rel(const char *location);

/* Value names that hold secrets and are never copied or journalled:
 * "... Password2" (Outlook Express), "... Password" (Outlook); not the
 * "... Prompt for Password" flags. */
bool bereg_is_secret(const char *name);

/* Does account a hold value v in field f? (Hosts compare
 * case-insensitively, user names exactly.) */
bool bereg_field_is(const ms_account *a, ms_field f, ms_value v);

/* Checks that a freshly read account still matches the scan for every
 * change: each field holds its from or already its to value. Else
 * MS_ERR_CHANGED_SINCE_SCAN naming the account and field. */
MS_NODISCARD ms_code bereg_check_changes(const ms_account *cur, const ms_change *changes, size_t n,
                                         ms_error *err);

#endif
