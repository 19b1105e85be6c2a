/* trust: where undo may act (docs/security.md, "Undo as a trust
 * boundary"). A backup folder is outside data: whoever hands the
 * subscriber a folder chooses every key, value and path in its journal.
 * Undo restores an entry only when it lies where mailsetup itself writes:
 *   - registry values in the account containers the back-ends own (an OE /
 *     Windows Mail / Outlook account key), plus the few values the
 *     back-ends set on their own roots ("Default Mail Account", "Server ID",
 *     Outlook's mail account order);
 *   - registry keys it created: only an OE account container;
 *   - files with a back-end's own name (prefs.js, *.oeaccount, Mailbox.ini)
 *     below one of the user's folders the caller names, with no ".", "..",
 *     empty, stream (":") or device component.
 * The checks are pure string rules; the caller checks for reparse points
 * (ms_path_kind) along the part of a file's path below its root. */
#ifndef MS_TRUST_H
#define MS_TRUST_H

#include <stdbool.h>
#include <stddef.h>

/* A registry value (key relative to HKEY_CURRENT_USER) undo may write or
 * delete. On false, *why says which rule (English, for the detail). */
bool trust_reg_value(const char *key, const char *name, const char **why);
/* A key undo may delete because apply created it. */
bool trust_reg_key_created(const char *key, const char **why);
/* A file undo may write or delete. roots: the user's folders files may be
 * under (absolute, no trailing separator needed); sep: the path separator.
 * On true, *root_len is the length of the root the path is under (the
 * caller checks each folder below it for reparse points). */
bool trust_file(const char *path, const char *const *roots, size_t n_roots, char sep,
                size_t *root_len, const char **why);

#endif
