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
ms_code journal_open(const char *dir, ms_journal **out, ms_error *err);
/* Loads a journal written earlier from dir (for undo). */
ms_code journal_load(const char *dir, ms_journal **out, ms_error *err);
void journal_free(ms_journal *j);

/* Records the current state of a registry value (present or absent). */
ms_code journal_reg_before(ms_journal *j, ms_reg *reg, const char *key, const char *name,
                           ms_error *err);
/* Records that key did not exist and is about to be created. */
ms_code journal_reg_key_created(ms_journal *j, const char *key, ms_error *err);
/* Records a file's original bytes (or that it did not exist). */
ms_code journal_file_before(ms_journal *j, const char *path, ms_error *err);
/* Tags the following entries with the account they belong to. */
ms_code journal_account(ms_journal *j, const char *account_id, ms_error *err);

/* Restores everything recorded, newest first. Continues past a failure and
 * reports the first one. reg may be NULL when nothing was recorded there. */
ms_code journal_undo(ms_journal *j, ms_reg *reg, ms_error *err);
/* Restores only the entries of one account (rollback after its verify failed). */
ms_code journal_undo_account(ms_journal *j, ms_reg *reg, const char *account_id, ms_error *err);

const char *journal_dir(const ms_journal *j);

#endif
