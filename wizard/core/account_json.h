/* account_json: accounts and plans as JSON, for `scan --json`, the support
 * report and test fixtures. Never contains a password (the model has none). */
#ifndef MS_ACCOUNT_JSON_H
#define MS_ACCOUNT_JSON_H

#include "account.h"
#include "error.h"
#include "plan.h"
#include "strbuf.h"

/* Parses {"accounts": [ {...}, ... ]} into out (appending). Unknown keys and
 * wrong types are errors naming the account index and key. */
MS_NODISCARD ms_code account_list_from_json(const char *json, size_t len, ms_account_list *out,
                                            ms_error *err);
/* Appends the plan (accounts, statuses, changes) as a JSON document. */
MS_NODISCARD ms_code plan_to_json(const ms_plan *plan, ms_lang lang, strbuf *out, ms_error *err);

/* Names used in the JSON: "pop3"/"imap", "none"/"starttls"/"ssl",
 * "none"/"same_as_incoming"/"own"/"spa"; -1 when unknown. */
int account_program_parse(const char *s);
/* ms_security of "none"/"starttls"/"ssl"; -1 when unknown. */
int account_security_parse(const char *s);
/* ms_smtp_auth of "none"/"same_as_incoming"/"own"/"spa"; -1 when unknown. */
int account_auth_parse(const char *s);
/* The JSON name of a connection security ("starttls"). */
const char *account_security_id(ms_security s);
/* The JSON name of an SMTP authentication ("same_as_incoming"). */
const char *account_auth_id(ms_smtp_auth a);

#endif
