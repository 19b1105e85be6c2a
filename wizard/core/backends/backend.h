/* backend: one mail program behind one small interface (after curl's
 * protocol handler table). Adding a mail program is adding one file and one
 * entry in backend_table(). Back-ends are portable: they reach the system
 * only through ms_env (registry, folders) and platform.h (files). */
#ifndef MS_BACKEND_H
#define MS_BACKEND_H

#include <stdbool.h>
#include <stddef.h>

#include "account.h"
#include "error.h"
#include "journal.h"
#include "reg.h"

/* Which accounts a scan reads in full. Reading an account is a dozen
 * registry reads, and under Wine each is a round trip to wineserver; an
 * account that is not the provider's is only listed, so a back-end may stop
 * once it has read what identifies it (name, address, incoming and outgoing
 * host) and mark it summary_only. engine_scan sets this from the profile. */
typedef struct ms_scope {
    bool (*wants)(const void *ctx, const char *email, const char *incoming_host,
                  const char *outgoing_host); /* NULL: every account in full */
    const void *ctx;
    /* Non-NULL: only the account with this id is wanted (the engine's
     * re-read after a change); a back-end may skip every other account,
     * identity and profile without reading it. */
    const char *only_id;
} ms_scope;

/* What a back-end may look at: the current user's registry and folders. */
typedef struct ms_env {
    ms_reg *reg;               /* HKEY_CURRENT_USER */
    const char *appdata;       /* %APPDATA%, UTF-8 */
    const char *local_appdata; /* %LOCALAPPDATA% (XP: ...\Local Settings\Application Data) */
    const char *home;          /* %USERPROFILE% */
    const ms_scope *scope;     /* NULL: every account is read in full */
    /* The account APIs and the path each account took (acctprops.h);
     * NULL: no API, nothing recorded (the registry path). */
    struct acctprops_ctx *acctprops;
} ms_env;

/* Whether a scan must read a in full: its identifying fields (email,
 * incoming_host, smtp_host) are read; true without a scope (NULL). */
bool backend_wants(const ms_scope *scope, const ms_account *a);
/* Whether the scope's only_id rules out every account whose id starts
 * with prefix (an account's whole id, or "oe/{GUID}/" for an identity). */
bool backend_skips(const ms_env *env, const char *prefix, bool whole_id);

typedef struct ms_backend {
    ms_program program;
    const char *id; /* "oe", same as account_program_id() */
    /* Executable names that must not run while we change the settings
     * ("msimn.exe"); NULL-terminated. The platform checks them. */
    const char *const *process_names;
    /* Appends every account of this program found for the current user
     * (all identities / profiles). Nothing found is MS_OK with none added. */
    ms_code (*scan)(const ms_env *env, ms_account_list *out, ms_error *err);
    /* Applies changes to one scanned account, journalling each original
     * value first. Does not verify; the caller re-scans and compares. */
    ms_code (*apply)(const ms_env *env, const ms_account *acct, const ms_change *changes,
                     size_t n, ms_journal *j, ms_error *err);
    /* Hotweb's mode: creates a new account that copies tmpl's user data with
     * the changes applied, and makes it the default when make_default.
     * Writes the new account's id to new_id (caller frees). NULL when the
     * program cannot add accounts (the wizard then shows manual steps). */
    ms_code (*add_account)(const ms_env *env, const ms_account *tmpl, const ms_change *changes,
                           size_t n, bool make_default, ms_journal *j, char **new_id,
                           ms_error *err);
    /* What apply can change: bit BACKEND_FIELD(f) for each field it writes.
     * plan_build gives every other change to the subscriber, by hand, so
     * apply is never asked for what it cannot do. */
    unsigned can_change;
    /* NULL, or whether apply can write this value of a field it can change
     * (Becky! has a key for SSL but none for STARTTLS). */
    bool (*can_hold)(const ms_account *a, const ms_change *c);
} ms_backend;

#define BACKEND_FIELD(f) (1u << (unsigned)(f))
/* Every field of ms_field. */
#define BACKEND_ALL_FIELDS (BACKEND_FIELD(MS_F_COUNT) - 1u)

/* The back-end of program p, or NULL when no back-end changes it. */
const ms_backend *backend_for(ms_program p);
/* Whether apply of be can make change c to account a (be may be NULL:
 * false). */
bool backend_can_change(const ms_backend *be, const ms_account *a, const ms_change *c);

/* The apply of a back-end that changes nothing (Eudora, the new Outlook,
 * the Mail app): every change is the subscriber's, so it fails with
 * MS_ERR_MANUAL_STEPS naming the account. plan_build never asks it (its
 * can_change is 0); it answers anyone who does. */
ms_code backend_apply_by_hand(const ms_env *env, const ms_account *acct, const ms_change *changes,
                              size_t n, ms_journal *j, ms_error *err);

/* All back-ends, in the order the wizard lists programs. */
const ms_backend *const *backend_table(size_t *count);

#endif
