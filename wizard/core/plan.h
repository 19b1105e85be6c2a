/* plan: ISP profile + scanned accounts -> what to change, account by
 * account, in the manuals' words. Pure and idempotent: planning the result
 * of an applied plan yields no changes. */
#ifndef MS_PLAN_H
#define MS_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "account.h"
#include "error.h"
#include "profile.h"
#include "strbuf.h"

typedef enum plan_status {
    PLAN_NOT_ISP,       /* not this ISP's account: left alone */
    PLAN_ALREADY_DONE,  /* the ISP's, already set as the profile wants */
    PLAN_CHANGE,        /* the ISP's, these changes are needed */
    PLAN_ADD_ACCOUNT,   /* add a new account beside this one (hotweb) */
    PLAN_REPLACED,      /* the ISP's old account; its new twin exists already */
    PLAN_STATUS_COUNT
} plan_status;

typedef struct plan_item {
    const ms_account *account; /* borrowed from the scanned list */
    plan_status status;
    ms_change *changes; /* for PLAN_CHANGE: on the account; for PLAN_ADD_ACCOUNT:
                           on a copy of it that becomes the new account */
    size_t n_changes;
    bool make_default; /* PLAN_ADD_ACCOUNT: the new account becomes the default */
} plan_item;

typedef struct ms_plan {
    plan_item *items; /* one per scanned account, in scan order */
    size_t count;
} ms_plan;

/* The plan for every account in accts. Change values point into accts and the
 * profile: keep both alive while using the plan. */
ms_code plan_build(const profile *p, const ms_account_list *accts, ms_plan **out, ms_error *err);
void plan_free(ms_plan *plan);

/* What account a looks like after changes: applies them to a deep copy in
 * *out (free with account_free). The check after an apply compares a
 * re-scan with this. MS_F_DEFAULT sets is_default. */
ms_code plan_expected_account(const ms_account *a, const ms_change *changes, size_t n,
                              ms_account *out, ms_error *err);

/* Counts of items per status. */
size_t plan_count(const ms_plan *plan, plan_status status);

/* One change as the program's own dialog names it, e.g.
 * "サーバーのポート番号 送信メール (SMTP): 25 → 587". Appends to out. */
void plan_describe_change(const ms_change *c, ms_program prog, ms_lang lang, strbuf *out);
/* Why an account needs nothing / is left alone, one sentence. */
const char *plan_status_text(plan_status s, ms_lang lang);
const char *plan_status_id(plan_status s); /* "change", "already_done", ... */

#endif
