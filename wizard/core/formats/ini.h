/* ini: a small INI reader and editor that keeps every byte it does not edit,
 * for Mozilla's profiles.ini / installs.ini and Becky!'s per-mailbox .ini
 * files (Shift_JIS). Values, keys and section names are bytes: nothing here
 * assumes UTF-8 or any other encoding, and each line keeps its own line end.
 *
 * The file, line by line (\n, \r\n or a lone \r ends a line):
 *   - blank (spaces and tabs only), and comments: first non-blank ';' or '#';
 *   - [name]  a section; blanks around the brackets and the name are allowed
 *     and ignored; the last ']' on the line closes it (a Shift_JIS trail
 *     byte may be 0x5D) and nothing but blanks may follow it;
 *   - key=value  inside a section: the key is what precedes the first '=',
 *     the value what follows it, both without surrounding spaces and tabs
 *     (as Windows' GetPrivateProfileString reads them);
 *   - anything else, a key=value before the first section, or a NUL byte is
 *     an error (err->detail "line:column"): the file is left alone.
 * A UTF-8 byte order mark at the start is accepted and kept.
 *
 * Names are matched as Windows does for ASCII (case-insensitively) and byte
 * for byte otherwise (a Shift_JIS trail byte may look like an ASCII letter, so
 * names with non-ASCII bytes are never case-folded). A section or key that
 * appears twice is ambiguous (Windows reads the first, Mozilla's nsINIParser
 * the last): reading or writing it fails with MS_ERR_INI_DUPLICATE.
 *
 * Ownership: ini_parse returns an ini_file the caller frees with ini_free.
 * Pointers handed out (names, values) point into the ini_file and are valid
 * until its next edit or ini_free; they are NOT NUL-terminated: use the
 * length. */
#ifndef MS_INI_H
#define MS_INI_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "strbuf.h"

#define INI_MAX_BYTES ((size_t)16 * 1024 * 1024)

typedef struct ini_file ini_file;

/* Where a parse error is, as in prefs.h. */
typedef struct ini_where {
    unsigned line, col;
    size_t offset;
} ini_where;

/* Parses len bytes of buf into *out (which owns a copy); on failure *out
 * is NULL and err says where. */
MS_NODISCARD ms_code ini_parse(const char *buf, size_t len, ini_file **out, ms_error *err);
/* ini_parse, with the problem's line, column and offset in *where. */
MS_NODISCARD ms_code ini_parse_at(const char *buf, size_t len, ini_file **out, ini_where *where,
                                  ms_error *err);
/* Frees f (NULL is fine). */
void ini_free(ini_file *f);

/* Appends the file's current bytes. */
void ini_serialize(const ini_file *f, strbuf *out);
/* The line end new lines get: the file's first one, "\r\n" when it has none. */
const char *ini_newline(const ini_file *f);

/* Sections in file order (a name that appears twice is listed twice). */
size_t ini_section_count(const ini_file *f);
/* Section i's name (not NUL-terminated: *len bytes). */
const char *ini_section_name(const ini_file *f, size_t i, size_t *len);
/* Keys of section i in file order. */
size_t ini_key_count(const ini_file *f, size_t section);
/* Key i of section: its name and value (trimmed, not NUL-terminated);
 * false when i is out of range. */
bool ini_key_at(const ini_file *f, size_t section, size_t i, const char **key, size_t *key_len,
                const char **val, size_t *val_len);

/* The value of key in section. MS_OK with *found false when either is
 * missing; MS_ERR_INI_DUPLICATE when either is ambiguous. */
MS_NODISCARD ms_code ini_get(const ini_file *f, const char *section, const char *key,
                             const char **val, size_t *len, bool *found, ms_error *err);

/* Sets key in section to val (len bytes). An existing value's bytes are
 * replaced in place (spaces around it stay); a new key is inserted after the
 * section's last key=value line; a new section is appended at the end with
 * its key. New lines end like the file's first line. section, key and val
 * must not contain CR, LF or NUL; section not ']' and key not '=' or a
 * leading ';' '#' '[' (MS_ERR_INI_BAD_SET). On error nothing changes. */
MS_NODISCARD ms_code ini_set(ini_file *f, const char *section, const char *key, const char *val,
                             size_t len, ms_error *err);
/* Removes key's whole line. *removed (may be NULL) says whether it was there. */
MS_NODISCARD ms_code ini_remove(ini_file *f, const char *section, const char *key, bool *removed,
                                ms_error *err);

#endif
