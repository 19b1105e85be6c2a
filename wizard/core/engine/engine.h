/* engine: scan, apply with backup-verify-rollback, and undo, over all
 * back-ends. The command line and the wizard's pages both call this; neither
 * holds any of this logic. */
#ifndef MS_ENGINE_H
#define MS_ENGINE_H

#include <stdbool.h>
#include <stddef.h>

#include "account.h"
#include "backend.h"
#include "error.h"
#include "plan.h"
#include "profile.h"

/* Asked before changing a program: is one of its processes running?
 * The platform implements it (Win32: a process snapshot). */
typedef bool (*engine_running_fn)(const char *const *process_names, void *ctx);

typedef struct engine_program {
    const ms_backend *backend;
    size_t n_accounts; /* found by the scan */
    bool running;      /* one of its processes was running at scan time */
    ms_code scan_rc;   /* MS_OK, or why its settings could not be read */
    ms_error scan_err;
} engine_program;

typedef struct ms_scan {
    ms_account_list accounts; /* every account of every program */
    ms_plan *plan;            /* one item per account, same order */
    engine_program *programs; /* one per back-end, backend_table() order */
    size_t n_programs;
} ms_scan;

MS_NODISCARD ms_code engine_scan(const ms_env *env, const profile *p, engine_running_fn running,
                                 void *ctx, ms_scan **out, ms_error *err);
void engine_scan_free(ms_scan *s);

typedef enum engine_outcome {
    ENGINE_SKIPPED = 0, /* nothing to do, or not selected */
    ENGINE_CHANGED,     /* changed and verified */
    ENGINE_ADDED,       /* new account added and verified */
    ENGINE_ROLLED_BACK, /* failed; this account is back as it was */
    ENGINE_FAILED,      /* failed and the rollback failed too: see err */
} engine_outcome;

typedef struct engine_result {
    engine_outcome outcome;
    ms_error err; /* why, when not CHANGED/ADDED/SKIPPED */
    char *new_id; /* ENGINE_ADDED: the new account's id */
} engine_result;

/* Applies the plan of every selected account (selected may be NULL: all)
 * with a journal in backup_dir (an existing, empty folder). Refuses, before
 * changing anything, when a program to be changed is running
 * (MS_ERR_PROGRAM_RUNNING naming it). results has one entry per scanned
 * account; free with engine_results_free. Returns MS_OK when every
 * selected change was made and verified, else the first failure's code. */
MS_NODISCARD ms_code engine_apply(const ms_env *env, const ms_scan *scan, const bool *selected,
                                  engine_running_fn running, void *ctx, const char *backup_dir,
                                  engine_result **results, ms_error *err);
void engine_results_free(engine_result *r, size_t n);

/* Whether the apply whose journal is in backup_dir was interrupted (killed,
 * a power cut: its journal still says "in progress"); when it was, the
 * account it was changing is put back to all-old (a kill between two of
 * its values leaves it half-changed) and the temporary files it left are
 * removed. Errors: the journal's (a journal that does not load is not
 * called interrupted). */
MS_NODISCARD ms_code engine_interrupted(const ms_env *env, const char *backup_dir,
                                        bool *interrupted, ms_error *err);
/* Undoes the apply whose journal is in backup_dir. */
MS_NODISCARD ms_code engine_undo(const ms_env *env, const char *backup_dir, ms_error *err);

/* The planned settings of two accounts are the same (what verify checks). */
bool engine_settings_equal(const ms_account *a, const ms_account *b);

/* The scope engine_scan gives the back-ends: the profile's accounts in
 * full, others only as far as they identify themselves (backend.h). */
ms_scope engine_profile_scope(const profile *p);

#endif
