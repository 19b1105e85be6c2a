/* memreg: an in-memory registry behind the ms_reg interface, for unit tests
 * of the registry back-ends on Linux. A tree of keys holding typed values,
 * loaded from .reg fixtures (HKEY_CURRENT_USER keys only, since ms_reg is
 * HKCU-relative) and compared or exported back as .reg text. Key and value
 * names compare case-insensitively like Windows (ASCII letters only; other
 * characters compare exactly). Subkeys enumerate in case-insensitive order
 * (as RegEnumKeyEx does), values in the order they were first set.
 * Test hooks: a key can be made unreadable (access denied), and the n-th
 * write can be made to fail, to test broken registries and rollback. */
#ifndef MS_MEMREG_H
#define MS_MEMREG_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "reg.h"
#include "regfile.h"
#include "strbuf.h"

typedef struct memreg memreg;

/* An empty registry (NULL when out of memory). */
memreg *memreg_new(void);
/* Frees the registry and every key and value in it; NULL is fine. */
void memreg_free(memreg *m);
/* The ms_reg interface of m (lives as long as m). */
ms_reg *memreg_reg(memreg *m);
/* A deep copy (NULL when out of memory); test hooks are not copied. */
memreg *memreg_clone(const memreg *m);

/* Applies the operations of a parsed .reg file: [key] creates, [-key]
 * deletes, values are set or deleted. Keys must be under
 * HKEY_CURRENT_USER, else MS_ERR_REGFILE_SYNTAX naming the line. These
 * writes bypass the test hooks and the write counter. */
MS_NODISCARD ms_code memreg_load(memreg *m, const regfile *rf, ms_error *err);
/* regfile_load + memreg_load. */
MS_NODISCARD ms_code memreg_load_file(memreg *m, const char *path, ms_error *err);

/* The whole tree as .reg text (UTF-8, "Windows Registry Editor Version
 * 5.00"), keys depth-first in case-insensitive order with
 * "HKEY_CURRENT_USER\\" in front, values in their stored order. */
void memreg_export(const memreg *m, strbuf *out);

/* Compares two trees (names case-insensitively, values by type and bytes)
 * and appends one line per difference to out, if not NULL:
 *   "+ [key]" / "- [key]"      key only in b / only in a (followed by a
 *                              line for each of its values and subkeys)
 *   "+ key\name=..." / "- ..." value only in b / only in a
 *   "~ key\name: a -> b"       value differs
 * Returns the number of lines (0: equal). */
size_t memreg_diff(const memreg *a, const memreg *b, strbuf *out);

/* ---- test hooks */

/* Every read of key (and below) fails with MS_ERR_REG_READ and every write
 * with MS_ERR_REG_WRITE, like a key whose ACL denies access. */
MS_NODISCARD ms_code memreg_deny(memreg *m, const char *key, ms_error *err);
/* The nth write from now (1 = the next) fails with MS_ERR_REG_WRITE and
 * changes nothing; with persistent, every later one too. 0 disarms.
 * Writes are set, del_value, create_key and del_tree calls. */
void memreg_fail_write(memreg *m, unsigned long nth, bool persistent);
/* Writes attempted through the ms_reg interface since memreg_new (or the
 * last memreg_fail_write). */
unsigned long memreg_writes(const memreg *m);

#endif
