/* backend: the table of mail-program back-ends. */
#include "backend.h"

#include <string.h>

#include "be_becky.h"
#include "be_byhand.h"
#include "be_eudora.h"
#include "be_mozilla.h"
#include "be_oe.h"
#include "be_outlook.h"
#include "be_wlmail.h"

/* Each back-end's file defines one of these. */

static const ms_backend *const backends[] = {
    &oe_backend,
    &wlmail_backend_winmail,
    &wlmail_backend_wlmail,
    &outlook_backend,
    &outlook_backend_2013,
    &mozilla_backend_thunderbird,
    &mozilla_backend_netscape,
    &becky_backend,
    &eudora_backend,
    &outlook_imo_backend,
    &byhand_backend_outlook_app,
    &byhand_backend_mail_app,
    NULL, /* end marker; entries go above */
};

const ms_backend *const *backend_table(size_t *count)
{
    *count = sizeof backends / sizeof backends[0] - 1;
    return backends;
}

bool backend_wants(const ms_scope *scope, const ms_account *a)
{
    return !scope || !scope->wants ||
           scope->wants(scope->ctx, a->email, a->incoming_host, a->smtp_host);
}

bool backend_skips(const ms_env *env, const char *prefix, bool whole_id)
{
    const char *only = env->scope ? env->scope->only_id : NULL;
    if (!only || !prefix)
        return false;
    return whole_id ? strcmp(only, prefix) != 0 : strncmp(only, prefix, strlen(prefix)) != 0;
}

const ms_backend *backend_for(ms_program p)
{
    for (size_t i = 0; backends[i]; i++)
        if (backends[i]->program == p)
            return backends[i];
    return NULL;
}

ms_code backend_apply_by_hand(const ms_env *env, const ms_account *acct, const ms_change *changes,
                              size_t n, ms_journal *j, ms_error *err)
{
    (void)env;
    (void)changes;
    (void)n;
    (void)j;
    return ms_fail(err, MS_ERR_MANUAL_STEPS, "%s", acct->account_name ? acct->account_name : "");
}

bool backend_can_change(const ms_backend *be, const ms_account *a, const ms_change *c)
{
    if (!be || (unsigned)c->field >= MS_F_COUNT || !(be->can_change & BACKEND_FIELD(c->field)))
        return false;
    return !be->can_hold || be->can_hold(a, c);
}
