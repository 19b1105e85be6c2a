/* platform: what the portable core needs from the system it runs on
 * (after PuTTY's split). wizard/host/ implements it with POSIX calls for the
 * Linux build, wizard/win32/ with wide Win32 calls. Paths are UTF-8. */
#ifndef MS_PLATFORM_H
#define MS_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "strbuf.h"

enum ms_stream { MS_STDOUT = 1, MS_STDERR = 2 };

/* Writes UTF-8 text to standard output or error (converted for a console). */
void ms_platform_write(enum ms_stream stream, const char *utf8, size_t len);

/* Reads a whole file into out (appending). Files larger than max bytes are
 * refused with MS_ERR_IO_READ, so a hostile file cannot exhaust memory. */
MS_NODISCARD ms_code ms_file_read(const char *path, size_t max, strbuf *out, ms_error *err);

/* What ms_file_write_atomic names its temporary file: path + this. */
#define MS_TEMP_SUFFIX ".mailsetup-tmp"
/* Replaces path with data atomically: a temporary file beside it, flushed to
 * disk, then renamed over. On failure path is untouched. */
MS_NODISCARD ms_code ms_file_write_atomic(const char *path, const void *data, size_t len,
                                          ms_error *err);

/* Appends "name version" lines for the libraries this build links. */
void ms_platform_versions(strbuf *out);

/* The user's UI language, as the system reports it. */
ms_lang ms_platform_ui_lang(void);

/* ---- files and folders (the journal, the file-based back-ends).
 * Every function that writes passes through fault_should_fail() first, so
 * tests can make any one write fail (fault.h). */

enum ms_path_kind { MS_PATH_NONE = 0, MS_PATH_FILE, MS_PATH_DIR, MS_PATH_OTHER };
/* What is at path, without following a symbolic link or junction (those
 * are MS_PATH_OTHER, as are devices): back-ends leave such things alone. */
enum ms_path_kind ms_path_kind(const char *path);
/* A regular file is at path. */
bool ms_file_exists(const char *path);
/* The file at path is marked read-only (Windows' read-only attribute; on
 * the host build: no write permission for its owner). Back-ends refuse to
 * change such a file rather than replace it behind the user's back. */
bool ms_file_readonly(const char *path);

/* Appends one record per entry of the folder path, "." and ".." left out:
 * a kind byte ('f' regular file, 'd' folder, 'o' anything else), the UTF-8
 * name, a NUL. In the order the system gives; callers sort if they care.
 * MS_ERR_NOT_FOUND when path does not exist. */
MS_NODISCARD ms_code ms_dir_list(const char *path, strbuf *out, ms_error *err);

/* Deletes the file path; one that is not there is not an error. */
MS_NODISCARD ms_code ms_file_delete(const char *path, ms_error *err);
/* Creates the folder path and any missing parents; existing ones are fine. */
MS_NODISCARD ms_code ms_mkdir_p(const char *path, ms_error *err);
/* Bytes free for this user on the volume that holds path (which exists). */
MS_NODISCARD ms_code ms_disk_free(const char *path, unsigned long long *bytes, ms_error *err);

/* n random bytes from the system's cryptographic generator. */
MS_NODISCARD ms_code ms_random_bytes(void *buf, size_t n, ms_error *err);

/* This user's journal key (docs/security.md): made at random on first use
 * and kept protected for this user on this PC (Windows: DPAPI,
 * CryptProtectData, in %LOCALAPPDATA%\\mailsetup\\journal.key; the host
 * build: a 0600 file in $MAILSETUP_SECRET_DIR or ~/.config/mailsetup). */
MS_NODISCARD ms_code ms_journal_key(unsigned char key[32], ms_error *err);
/* "USER on COMPUTER" for messages about who wrote a backup. */
void ms_user_identity(strbuf *out);
/* The folder separator: '\\' on Windows, '/' on the host build. */
char ms_path_sep(void);
/* "C:\\...", "\\\\server\\..." on Windows; "/..." on the host build. */
bool ms_path_is_absolute(const char *path);

/* Appends the value of the environment variable name (UTF-8).
 * MS_ERR_NOT_FOUND when it is not set. */
MS_NODISCARD ms_code ms_getenv(const char *name, strbuf *out, ms_error *err);

#endif
