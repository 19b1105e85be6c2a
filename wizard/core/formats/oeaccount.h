/* oeaccount: the account files of Windows Mail and Windows Live Mail
 * (account{GUID}.oeaccount): a strict reader and a byte-preserving editor.
 *
 * The format (Microsoft, "New Handling for Account Data"): an XML document
 * with root <MessageAccount> and one child element per property, named like
 * the Internet Account Manager's registry values with '_' for ' ', holding
 * its value as text and a type attribute: <SMTP_Server type="SZ">...,
 * <SMTP_Port type="DWORD">0000024b</SMTP_Port> (DWORD text is hexadecimal,
 * no "0x"), BINARY as hex digit pairs. The files are UTF-16LE with a byte
 * order mark; UTF-8 (with or without a mark) and UTF-16BE with a mark are
 * read too. Whatever the encoding, an edited file keeps it, and every byte
 * outside the edited element's text stays as it was.
 *
 * The document is held as UTF-8 text; offsets below index that text. */
#ifndef MS_OEACCOUNT_H
#define MS_OEACCOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "journal.h"
#include "strbuf.h"

/* Larger files are refused: real ones are a few kilobytes. */
#define OEACCT_MAX_SIZE (1024 * 1024)
/* ... and so are files with more properties: real ones have about 50. */
#define OEACCT_MAX_PROPERTIES 2000

typedef enum oeacct_encoding {
    OEACCT_UTF8,        /* no byte order mark */
    OEACCT_UTF8_BOM,    /* EF BB BF */
    OEACCT_UTF16LE_BOM, /* FF FE: what the programs write */
    OEACCT_UTF16BE_BOM, /* FE FF */
} oeacct_encoding;

/* The encoding's name for messages: "UTF-16LE with BOM", ... */
const char *oeacct_encoding_name(oeacct_encoding e);

/* One child element of <MessageAccount>. */
typedef struct oeacct_elem {
    char *name; /* "SMTP_Port" */
    char *type; /* the type attribute ("DWORD"), NULL when absent */
    size_t start, end;            /* '<' of the start tag .. after the end tag */
    size_t text_start, text_end;  /* the content between the tags (raw, escaped) */
    bool empty_tag;               /* written <X/>: no content, no end tag */
    unsigned line;                /* 1-based line of the start tag, for messages */
} oeacct_elem;

typedef struct oeacct_doc {
    oeacct_encoding enc;
    strbuf text;         /* the document as UTF-8, without the byte order mark */
    oeacct_elem *elems;  /* children of <MessageAccount>, in document order */
    size_t n_elems, elems_cap;
    size_t root_close;   /* offset of "</MessageAccount" */
    const char *newline; /* "\r\n" or "\n": what the file uses */
    char *file;          /* for messages: the path or name it was read from */
} oeacct_doc;

/* Parses len bytes of a file; file names it in messages. On failure doc is
 * left empty (oeacct_free is still safe) and err says what and where:
 * MS_ERR_OEACCOUNT_ENCODING for the encoding, MS_ERR_OEACCOUNT_XML for the
 * rest. */
MS_NODISCARD ms_code oeacct_parse(const void *data, size_t len, const char *file, oeacct_doc *doc,
                                  ms_error *err);
/* Reads and parses the file at path. */
MS_NODISCARD ms_code oeacct_load(const char *path, oeacct_doc *doc, ms_error *err);
/* Frees the document's text, elements and file name. */
void oeacct_free(oeacct_doc *doc);

/* The element with this name (ASCII case-insensitive, as the programs
 * look properties up), or NULL. */
const oeacct_elem *oeacct_find(const oeacct_doc *doc, const char *name);

/* The value of a string property, entities resolved, in *out (malloc'd,
 * caller frees; NULL when the element is absent). An SZ whose text is "0"
 * or "FALSE" is the empty string, as the format documents. A type other
 * than SZ gives MS_ERR_OEACCOUNT_VALUE. */
MS_NODISCARD ms_code oeacct_get_str(const oeacct_doc *doc, const char *name, char **out,
                                    ms_error *err);
/* The value of a DWORD property in *out; *present false (and *out = dflt)
 * when absent. Not hexadecimal, over 32 bits or not type DWORD:
 * MS_ERR_OEACCOUNT_VALUE. "TRUE"/"FALSE" (the documented template's
 * spelling of booleans) read as 1/0. */
MS_NODISCARD ms_code oeacct_get_dword(const oeacct_doc *doc, const char *name, uint32_t dflt,
                                      uint32_t *out, bool *present, ms_error *err);

/* Edits. Each rewrites only the element's text (or adds the element, on a
 * line of its own after the last element of the same group, "SMTP_" for
 * "SMTP_Port", with the same indentation), then re-parses. */
MS_NODISCARD ms_code oeacct_set_str(oeacct_doc *doc, const char *name, const char *value,
                                    ms_error *err);
/* Writes the value as eight lower-case hex digits, as the programs do. */
MS_NODISCARD ms_code oeacct_set_dword(oeacct_doc *doc, const char *name, uint32_t value,
                                      ms_error *err);
/* Removes the element and the line it stood on (nothing when absent). */
MS_NODISCARD ms_code oeacct_remove(oeacct_doc *doc, const char *name, ms_error *err);

/* The file's bytes: the byte order mark and text in the original encoding.
 * Appends to out. */
MS_NODISCARD ms_code oeacct_serialize(const oeacct_doc *doc, strbuf *out, ms_error *err);

/* Properties that hold a secret (a name containing "Password", except the
 * "..._Prompt_for_Password" flags). */
bool oeacct_is_secret(const char *name);

/* The journal filter for .oeaccount files (journal.h): the backup copy
 * has every secret element emptied; undo puts back the secrets of the file
 * as it is then, so the restored file is the original byte for byte. */
extern const journal_file_filter oeacct_secret_filter;

#endif
