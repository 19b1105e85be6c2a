/* env_win32: the real machine as the core's back-ends see it (ms_env), the
 * "is the mail program running" check, and where backups go. */
#ifndef MS_ENV_WIN32_H
#define MS_ENV_WIN32_H

#include <stdbool.h>

#include "backend.h"
#include "error.h"
#include "reg_win32.h"
#include "strbuf.h"

typedef struct ms_env_win32 {
    ms_env env;
    char *appdata, *local_appdata, *home; /* owned */
    reg_win32 reg;                         /* env.reg points here */
} ms_env_win32;

/* Opens the current user's registry and known folders as an ms_env (e
 * must stay where it is until env_win32_close: env.reg points into it). */
MS_NODISCARD ms_code env_win32_open(ms_env_win32 *e, ms_error *err);
/* Closes what env_win32_open opened. */
void env_win32_close(ms_env_win32 *e);

/* engine_running_fn: true when a process with one of these executable
 * names (case-insensitive) runs in this session. */
bool env_win32_running(const char *const *process_names, void *ctx);

/* A new, empty backup folder for one apply run:
 * %LOCALAPPDATA%\mailsetup\backup\YYYYMMDD-HHMMSS (UTF-8 into out). */
MS_NODISCARD ms_code env_win32_new_backup_dir(const ms_env_win32 *e, strbuf *out, ms_error *err);
/* The file `undo` leaves in a backup folder it has restored. */
#define ENV_UNDONE_MARKER "undone.txt"

/* The newest backup folder not undone yet, for `undo` without an argument. */
MS_NODISCARD ms_code env_win32_last_backup_dir(const ms_env_win32 *e, strbuf *out, ms_error *err);

/* Leaves ENV_UNDONE_MARKER in backup_dir once it is restored, so the next
 * undo takes an older backup. */
MS_NODISCARD ms_code env_win32_mark_undone(const char *backup_dir, ms_error *err);

#endif
