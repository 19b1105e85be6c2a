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
    PLAN_NOT_ISP,      /* not this ISP's account: left alone */
    PLAN_ALREADY_DONE, /* the ISP's, already set as the profile wants */
    PLAN_CHANGE,       /* the ISP's, these changes are needed */
    PLAN_ADD_ACCOUNT,  /* add a new account beside this one (hotweb) */
    PLAN_REPLACED,     /* the ISP's old account; its new twin exists already */
    PLAN_MANUAL,       /* the ISP's; the program cannot hold any of the changes
                          (or cannot add the new account): all by hand */
    PLAN_STATUS_COUNT
} plan_status;

/* What the plan did about the outgoing connection's encryption when the
 * profile asks for less than the account has (docs/mail-programs.md, "What
 * each back-end can change"). */
typedef enum plan_security_note {
    PLAN_SEC_AS_PROFILE = 0, /* nothing to say: the profile's setting is taken */
    PLAN_SEC_KEPT,           /* the account's STARTTLS/SSL (and its port 465/587) stays */
    PLAN_SEC_TURNED_OFF,     /* the profile states its server offers no TLS
                                (outgoing.server_offers_no_tls): turned off */
    PLAN_SEC_UPGRADED,       /* outgoing.tls_upgrade: the server proved TLS
                                before apply (tlsup.c); STARTTLS/SSL is set */
    PLAN_SEC_NOT_UPGRADED,   /* outgoing.tls_upgrade asked, not proved: the
                                profile's setting stays; tls_upgrade says why */
} plan_security_note;

typedef struct plan_item {
    const ms_account *account; /* borrowed from the scanned list */
    plan_status status;
    /* What apply does: only changes the account's back-end can hold
     * (backend_can_change). For PLAN_CHANGE: on the account; for
     * PLAN_ADD_ACCOUNT: on a copy of it that becomes the new account. */
    ms_change *changes;
    size_t n_changes;
    /* What the subscriber makes by hand in the program's own dialog, after
     * apply: the changes the program cannot hold (every change of a
     * PLAN_MANUAL item). Apply never tries them. */
    ms_change *manual;
    size_t n_manual;
    bool make_default; /* PLAN_ADD_ACCOUNT: the new account becomes the default */
    bool add_by_hand;  /* PLAN_MANUAL: the new account (add-account mode) is
                          added by hand, with manual's values */
    plan_security_note security_note;
    /* PLAN_SEC_UPGRADED / PLAN_SEC_NOT_UPGRADED: what the probe found, as a
     * T-code (T09 upgraded, T10-T14 why not) with "host:port: detail". */
    ms_error tls_upgrade;
} plan_item;

typedef struct ms_plan {
    plan_item *items; /* one per scanned account, in scan order */
    size_t count;
} ms_plan;

/* The plan for every account in accts. Change values point into accts and the
 * profile: keep both alive while using the plan. */
MS_NODISCARD ms_code plan_build(const profile *p, const ms_account_list *accts, ms_plan **out,
                                ms_error *err);
void plan_free(ms_plan *plan);

/* What account a looks like after changes: applies them to a deep copy in
 * *out (free with account_free). The check after an apply compares a
 * re-scan with this. MS_F_DEFAULT sets is_default. */
MS_NODISCARD ms_code plan_expected_account(const ms_account *a, const ms_change *changes, size_t n,
                                           ms_account *out, ms_error *err);

/* Sets the outgoing security and port item it gets to sec and port (an
 * upgrade tlsup.c verified): the changes of those two fields are replaced,
 * added, or dropped when the account has them already; an item that then
 * changes something is PLAN_CHANGE (PLAN_ADD_ACCOUNT stays). Errors: NOMEM
 * (the item is as it was). */
MS_NODISCARD ms_code plan_set_smtp_security(plan_item *it, ms_security sec, unsigned port,
                                            ms_error *err);

/* Counts of items per status. */
size_t plan_count(const ms_plan *plan, plan_status status);

/* One change as the program's own dialog names it, e.g.
 * "サーバーのポート番号 送信メール (SMTP): 25 → 587". Appends to out. */
void plan_describe_change(const ms_change *c, ms_program prog, ms_lang lang, strbuf *out);
/* Why an account needs nothing / is left alone, one sentence. */
const char *plan_status_text(plan_status s, ms_lang lang);
const char *plan_status_id(plan_status s); /* "change", "already_done", ... */
/* The item's status in one sentence: plan_status_text, or for a change
 * with steps by hand, the sentence that says part is done by hand, or for
 * a new account added by hand, plan_manual_text. */
const char *plan_item_text(const plan_item *it, ms_lang lang);

/* The sentence that says why the encryption of it's outgoing connection
 * stays (PLAN_SEC_KEPT) or goes (PLAN_SEC_TURNED_OFF); nothing is appended
 * for PLAN_SEC_AS_PROFILE. */
void plan_describe_security_note(const plan_item *it, ms_lang lang, strbuf *out);
const char *plan_security_note_id(plan_security_note n); /* "kept", "turned_off", NULL */
/* One sentence over an item's by-hand steps (n_manual > 0), in the
 * manuals' words: "次の設定は、メールソフトの画面で変更してください。" */
const char *plan_manual_text(const plan_item *it, ms_lang lang);

#endif
