/* be_eudora: Eudora, detected only; see be_eudora.h. */
#include "be_eudora.h"

#include <string.h>

#include "bereg.h"

static ms_code scan_eudora(const ms_env *env, ms_account_list *out, ms_error *err)
{
    if (!env->reg)
        return MS_OK;
    bool exists = false;
    ms_code rc = bereg_key_exists(env->reg, EUDORA_REG_KEY, &exists, err);
    if (rc != MS_OK || !exists)
        return rc;
    ms_account *a = account_list_add(out);
    if (!a)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    a->program = MS_PROG_EUDORA;
    a->id = ms_strdup("eudora/manual");
    a->location = ms_strdup("HKCU\\" EUDORA_REG_KEY);
    a->account_name = ms_strdup("Eudora");
    ms_fail(&a->read_error, MS_ERR_MANUAL_STEPS, "Eudora");
    if (!a->id || !a->location || !a->account_name)
        return ms_fail(err, MS_ERR_NOMEM, NULL);
    return MS_OK;
}

static const char *const eudora_exes[] = {"Eudora.exe", NULL};

const ms_backend eudora_backend = {
    .program = MS_PROG_EUDORA,
    .id = "eudora",
    .process_names = eudora_exes,
    .scan = scan_eudora,
    .apply = backend_apply_by_hand, /* account_name is "Eudora" */
    .add_account = NULL,
    .can_change = 0, /* detected only: every change is by hand */
};
