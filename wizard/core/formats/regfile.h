/* regfile: .reg files, the format regedit exports and imports, read into a
 * list of operations and written back. Reads "Windows Registry Editor
 * Version 5.00" files as regedit writes them (UTF-16LE with a BOM, CRLF) and
 * also as UTF-8 (with or without a BOM, LF or CRLF), and "REGEDIT4" files
 * (taken as UTF-8: plain ASCII ones read the same; ANSI bytes that are not
 * UTF-8 are refused with their line number). Handles [key], [-key],
 * "name"="string" with \\ and \" escapes, @ for the default value, dword:,
 * hex:, hex(N): with "\" line continuations, and "name"=- deletions. Every
 * error names the file and line. Used for test fixtures (memreg) and for
 * exports a support person can read. */
#ifndef MS_REGFILE_H
#define MS_REGFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "strbuf.h"

typedef enum regfile_op_kind {
    REGFILE_KEY,          /* [key]: the key exists (created when missing) */
    REGFILE_DELETE_KEY,   /* [-key]: the key and everything below it go */
    REGFILE_VALUE,        /* "name"=data under the last [key] */
    REGFILE_DELETE_VALUE, /* "name"=- */
} regfile_op_kind;

typedef struct regfile_op {
    regfile_op_kind kind;
    unsigned line; /* where it starts in the file, from 1 */
    char *key;     /* full path as written, UTF-8: "HKEY_CURRENT_USER\\Software\\..." */
    char *name;    /* value name, UTF-8; "" is the default value (@) */
    uint32_t type; /* ms_reg_type number */
    strbuf data;   /* raw bytes as RegSetValueEx takes them (REG_SZ: UTF-16LE + NUL) */
} regfile_op;

typedef enum regfile_format {
    REGFILE_V5_UTF16, /* Windows Registry Editor Version 5.00, UTF-16 (regedit) */
    REGFILE_V5_UTF8,  /* the same header, UTF-8 text */
    REGFILE_V4,       /* REGEDIT4 */
} regfile_format;

typedef struct regfile {
    regfile_format format;
    regfile_op *ops; /* in file order */
    size_t count, cap;
} regfile;

/* Largest .reg file regfile_load reads. */
#define REGFILE_MAX_SIZE (64u * 1024u * 1024u)

/* Parses len bytes of a .reg file. source names it in error messages
 * ("fixture.reg"). On error *out is empty and err says
 * "source:line: what is wrong". Free with regfile_free either way. */
MS_NODISCARD ms_code regfile_parse(const void *data, size_t len, const char *source, regfile *out,
                                   ms_error *err);
/* Reads and parses the file at path (UTF-8). */
MS_NODISCARD ms_code regfile_load(const char *path, regfile *out, ms_error *err);
/* Frees the operations; rf is empty after. */
void regfile_free(regfile *rf);

/* ---- Writing (UTF-8 text; regfile_to_utf16 makes regedit's form). */

/* "Windows Registry Editor Version 5.00" and a blank line. */
void regfile_write_header(strbuf *out);
/* A blank line and [key] / [-key]. */
void regfile_write_key(strbuf *out, const char *key);
/* A blank line and [-key]: the key and everything below it deleted. */
void regfile_write_delete_key(strbuf *out, const char *key);
/* One value line the way regedit writes it: "name"="text" for a REG_SZ that
 * is clean UTF-16 text with one NUL, dword:xxxxxxxx for a 4-byte REG_DWORD,
 * hex: for REG_BINARY, hex(N): for everything else; long hex wrapped with
 * "\" at about 80 columns. name "" is written @. */
void regfile_write_value(strbuf *out, const char *name, uint32_t type, const void *data,
                         size_t len);
/* "name"=- (or @=-): the value deleted. */
void regfile_write_delete_value(strbuf *out, const char *name);
/* regedit's encoding of a UTF-8 .reg text: BOM, UTF-16LE, CRLF line ends.
 * False on invalid UTF-8. */
bool regfile_to_utf16(const char *text, size_t len, strbuf *out);

#endif
