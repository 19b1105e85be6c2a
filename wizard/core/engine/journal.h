/* journal: the backup of one apply run, and the undo. Before a back-end
 * changes anything it records the original state here (a registry value's
 * type and bytes, or its absence; a file's whole original bytes; a key it
 * creates). The journal is written to disk BEFORE the change is made, so an
 * interrupted run can still be undone. Undo replays it in reverse.
 * Never records a password: back-ends only journal values they change, and
 * journal_reg_before() refuses value names that hold secrets
 * ("... Password2", "... Password", Mozilla's signons). */
#ifndef MS_JOURNAL_H
#define MS_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "reg.h"
#include "strbuf.h"

typedef struct ms_journal ms_journal;

/* dir: the backup folder of this run (created by the caller), UTF-8. */
MS_NODISCARD ms_code journal_open(const char *dir, ms_journal **out, ms_error *err);
/* Loads a journal written earlier from dir (for undo). Its seal must be
 * this user's on this PC (MS_ERR_JOURNAL_FOREIGN naming the writer, or
 * MS_ERR_JOURNAL_TAMPERED), every copy intact (MS_ERR_JOURNAL_TAMPERED). */
MS_NODISCARD ms_code journal_load(const char *dir, ms_journal **out, ms_error *err);
/* Frees the in-memory journal (its files stay); NULL is fine. */
void journal_free(ms_journal *j);

/* Records the current state of a registry value (present or absent). */
MS_NODISCARD ms_code journal_reg_before(ms_journal *j, ms_reg *reg, const char *key,
                                        const char *name, ms_error *err);
/* Records that key did not exist and is about to be created. */
MS_NODISCARD ms_code journal_reg_key_created(ms_journal *j, const char *key, ms_error *err);
/* Records a file's original bytes (or that it did not exist). Refuses
 * Mozilla's password stores (signons*, logins.json, key3/key4.db). */
MS_NODISCARD ms_code journal_file_before(ms_journal *j, const char *path, ms_error *err);

/* For files that hold secrets among settings (.oeaccount's *_Password2):
 * strip() gives the bytes with every secret removed, which is what the
 * backup keeps; at undo, merge() puts the secrets of the file as it is then
 * (current, may be NULL when it is gone or unreadable) back into the backup
 * copy. The filter's id is stored in the journal; journal_load() finds it
 * again by id (journal.c keeps the table). */
typedef struct journal_file_filter {
    const char *id;
    ms_code (*strip)(const void *data, size_t len, strbuf *out, ms_error *err);
    ms_code (*merge)(const void *backup, size_t backup_len, const void *current,
                     size_t current_len, strbuf *out, ms_error *err);
} journal_file_filter;
/* journal_file_before() with a filter (NULL: none). */
MS_NODISCARD ms_code journal_file_before_filtered(ms_journal *j, const char *path,
                                                  const journal_file_filter *filter, ms_error *err);
/* Tags the following entries with the account they belong to. */
MS_NODISCARD ms_code journal_account(ms_journal *j, const char *account_id, ms_error *err);

/* Restores everything recorded, newest first. Continues past a failure and
 * reports the first one. reg may be NULL when nothing was recorded there. */
MS_NODISCARD ms_code journal_undo(ms_journal *j, ms_reg *reg, ms_error *err);
/* Restores only the entries of one account (rollback after its verify failed). */
MS_NODISCARD ms_code journal_undo_account(ms_journal *j, ms_reg *reg, const char *account_id,
                                          ms_error *err);

/* The run's state, in the journal from journal_open() on: in progress
 * until the apply ends, then how it ended. A journal still "in progress"
 * at the next start is a run that was interrupted (a crash, a power cut). */
#define JOURNAL_STATE_IN_PROGRESS "in_progress"
#define JOURNAL_STATE_VERIFIED "verified"
#define JOURNAL_STATE_ROLLED_BACK "rolled_back"
#define JOURNAL_STATE_FAILED "failed"
/* Records how the run ended (one of the states above) in the sealed
 * journal; on failure the state stays as it was. */
MS_NODISCARD ms_code journal_finish(ms_journal *j, const char *state, ms_error *err);
/* The run's state as the journal says it (one of the constants above). */
const char *journal_state(const ms_journal *j);
/* "user on PC" that wrote the journal (ms_user_identity). */
const char *journal_writer(const ms_journal *j);

/* Undo's trust boundary (trust.h, docs/security.md): every entry lies where
 * mailsetup itself writes; files below one of roots (the user's folders)
 * with no junction or link on the way. MS_ERR_JOURNAL_OUTSIDE or
 * MS_ERR_JOURNAL_LINK naming the first entry that does not. */
MS_NODISCARD ms_code journal_check_places(const ms_journal *j, const char *const *roots,
                                          size_t n_roots, ms_error *err);

/* Seals dir's journal.json again with this user's key, as it is (a
 * trailing seal is replaced). Only for tests (test_journal, the test-hook
 * build's `journal-reseal`): it lets them hand undo a hostile journal that
 * passes the seal, to reach the checks behind it. */
MS_NODISCARD ms_code journal_reseal(const char *dir, ms_error *err);

/* Removes the temporary files an interrupted run left (MS_TEMP_SUFFIX
 * beside each file it records, and in the backup folder). Returns how many
 * were removed from the backup folder. */
size_t journal_clean_temp(const ms_journal *j);
/* The account tag of the newest entry (NULL: none or untagged). */
const char *journal_last_account(const ms_journal *j);

/* The backup folder the journal lives in. */
const char *journal_dir(const ms_journal *j);
/* Entries recorded (for reports and tests). */
size_t journal_count(const ms_journal *j);

/* Free space journal_open() wants in the backup folder before an apply
 * starts, and wants left over after each file copy. */
#define JOURNAL_MIN_FREE (1024ull * 1024)

#endif
