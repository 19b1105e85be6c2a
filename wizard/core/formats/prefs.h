/* prefs: Mozilla's prefs.js (Thunderbird, Netscape 7.1, Mozilla Suite,
 * SeaMonkey), read and edited without disturbing any byte that is not edited.
 *
 * The grammar is Mozilla's own (modules/libpref/parser/src/lib.rs):
 *   statement = ("user_pref" | "pref" | "sticky_pref" | "lockPref")
 *               "(" string "," value ")" ";"
 *   value     = string | ["+" | "-"] integer | "true" | "false"
 * Strings in double or single quotes with the escapes \" \' \\ \n \r \xHH
 * \uHHHH (surrogate pairs as two \u); comments // ... , # ... , / * ... * /;
 * whitespace space, \t, \v, \f and the line ends \n, \r\n, \r. The full rule
 * set and where each one comes from is in docs/mail-programs.md.
 *
 * A prefs_file keeps the file's bytes plus one record per statement with its
 * byte spans. An edit rewrites only the value span of the changed statement,
 * or appends one `user_pref(...);` line ending like the file's first line;
 * comments, order, spacing and line ends elsewhere stay byte for byte. Parse
 * errors are not recovered from (Mozilla skips to the next ';'): any error
 * means the profile is left alone, and the error says where (line:column).
 *
 * Names and string values are looked up as Mozilla sees them: the last
 * user_pref statement for a name wins. pref/sticky_pref/lockPref statements
 * (which current Mozilla refuses in prefs.js and older Mozilla read as
 * defaults) are kept and listed, but never read or written by name.
 *
 * Ownership: prefs_parse returns a prefs_file the caller frees with
 * prefs_free. Pointers returned by prefs_entry_at / prefs_data are owned by
 * the prefs_file and valid until its next edit or prefs_free. */
#ifndef MS_PREFS_H
#define MS_PREFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "strbuf.h"

/* Larger inputs are refused (MS_ERR_PREFS_TOO_LARGE). Real prefs.js files
 * are well under 1 MB; Mozilla itself caps one string pref at 1 MB. */
#define PREFS_MAX_BYTES ((size_t)64 * 1024 * 1024)

typedef struct prefs_file prefs_file;

typedef enum prefs_kind {
    PREFS_USER_PREF = 0, /* user_pref(...) - what prefs.js holds */
    PREFS_PREF = 1,      /* pref(...) */
    PREFS_STICKY_PREF = 2,
    PREFS_LOCK_PREF = 3,
} prefs_kind;

typedef enum prefs_type { PREFS_STRING = 0, PREFS_INT = 1, PREFS_BOOL = 2 } prefs_type;

/* Where a parse error is: 1-based line (\n, \r\n and a lone \r each end a
 * line, as in Mozilla) and 1-based column counted in characters (UTF-8
 * sequences count once). */
typedef struct prefs_where {
    unsigned line, col;
    size_t offset; /* byte offset */
} prefs_where;

/* Parses len bytes of buf (which need not be NUL-terminated). On success
 * *out owns a copy of the bytes. On failure *out is NULL, err says why and
 * err->detail is "line:column" (optionally followed by the offending text),
 * and *where (if not NULL) gets the position. A UTF-8 byte order mark at the
 * start is accepted and kept. */
MS_NODISCARD ms_code prefs_parse(const char *buf, size_t len, prefs_file **out, ms_error *err);
/* prefs_parse, with the problem's position in *where (if not NULL). */
MS_NODISCARD ms_code prefs_parse_at(const char *buf, size_t len, prefs_file **out,
                                    prefs_where *where, ms_error *err);
/* Frees pf (NULL is fine). */
void prefs_free(prefs_file *pf);

/* Appends the file's current bytes (the input with the edits applied). */
void prefs_serialize(const prefs_file *pf, strbuf *out);
/* The same bytes without a copy; valid until the next edit. */
const char *prefs_data(const prefs_file *pf, size_t *len);
/* The line end new lines get: the file's first one, "\r\n" when it has none
 * (Mozilla on Windows writes NS_LINEBREAK "\r\n"). */
const char *prefs_newline(const prefs_file *pf);

/* ---- reading by name (the last user_pref statement for name) */

/* Whether name has a user_pref statement. */
bool prefs_has(const prefs_file *pf, const char *name);
/* The type of name's value; false when name has no user_pref. */
bool prefs_type_of(const prefs_file *pf, const char *name, prefs_type *type);

/* Each getter returns MS_OK and sets *found (false: no user_pref for name,
 * the output untouched). A value of another type is MS_ERR_PREFS_TYPE; a
 * string that is not valid UTF-8 after unescaping is MS_ERR_PREFS_UTF8 (the
 * core is UTF-8 throughout; Mozilla, too, treats pref strings as UTF-8).
 * prefs_get_string appends the unescaped value to out. */
MS_NODISCARD ms_code prefs_get_string(const prefs_file *pf, const char *name, strbuf *out,
                                      bool *found, ms_error *err);
/* An integer value, as prefs_get_string. */
MS_NODISCARD ms_code prefs_get_int(const prefs_file *pf, const char *name, int32_t *out,
                                   bool *found, ms_error *err);
/* A boolean value, as prefs_get_string. */
MS_NODISCARD ms_code prefs_get_bool(const prefs_file *pf, const char *name, bool *out, bool *found,
                                    ms_error *err);

/* ---- editing
 * A set rewrites the value of name's last user_pref statement (keeping every
 * other byte, including its quotes style when the value is unchanged: setting
 * the value it already has changes nothing), or appends
 *   user_pref("name", value);<newline>
 * at the end of the file. Strings are escaped as Mozilla writes them
 * (Preferences.cpp StrEscape): \ " LF CR become \\ \" \n \r, all other bytes
 * stay as they are. name and value must be valid UTF-8, name not empty
 * (MS_ERR_PREFS_BAD_SET). On any error the file is unchanged. */
MS_NODISCARD ms_code prefs_set_string(prefs_file *pf, const char *name, const char *value,
                                      ms_error *err);
/* An integer value, as prefs_set_string. */
MS_NODISCARD ms_code prefs_set_int(prefs_file *pf, const char *name, int32_t value, ms_error *err);
/* A boolean value (true/false), as prefs_set_string. */
MS_NODISCARD ms_code prefs_set_bool(prefs_file *pf, const char *name, bool value, ms_error *err);
/* Removes every user_pref statement for name (so the default applies):
 * the whole line when the statement is alone on its line, else just the
 * statement. *removed (may be NULL) says whether there was one. */
MS_NODISCARD ms_code prefs_remove(prefs_file *pf, const char *name, bool *removed, ms_error *err);

/* Replaces pf's whole content with len bytes of buf, parsed afresh (for
 * putting saved bytes back). On error pf is unchanged. */
MS_NODISCARD ms_code prefs_replace(prefs_file *pf, const char *buf, size_t len, ms_error *err);

/* ---- every statement, in file order */

typedef struct prefs_entry {
    prefs_kind kind;
    prefs_type type;
    const char *name; /* unescaped, NUL-terminated (bytes as in the file) */
    size_t name_len;
    size_t offset, length; /* the statement's bytes, user_pref .. ; */
    int32_t num;           /* the value for PREFS_INT, 0/1 for PREFS_BOOL */
} prefs_entry;

/* How many statements the file holds. */
size_t prefs_count(const prefs_file *pf);
/* Statement i, in file order; false when i is out of range. */
bool prefs_entry_at(const prefs_file *pf, size_t i, prefs_entry *e);

/* ---- helpers shared with tests and other Mozilla code */

/* Appends s (n bytes) as a double-quoted prefs.js string literal, escaped as
 * Mozilla's StrEscape does. */
void prefs_escape(const char *s, size_t n, strbuf *out);
/* Unescapes one complete literal (with its quotes) into out. Returns MS_OK,
 * or the parse error (MS_ERR_PREFS_ESCAPE, MS_ERR_PREFS_STRING_END ...) with
 * the byte offset of the problem in *bad (may be NULL). Does not check UTF-8. */
MS_NODISCARD ms_code prefs_unescape(const char *lit, size_t n, strbuf *out, size_t *bad);
/* Whether n bytes are well-formed UTF-8 (no overlongs, surrogates or values
 * above U+10FFFF). */
bool prefs_utf8_valid(const char *s, size_t n);

#endif
