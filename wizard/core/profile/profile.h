/* profile: the ISP profile — one JSON file in which the ISP describes its
 * OP25B migration once (which accounts are its own, what the outgoing and
 * incoming settings become, dates, texts) — loaded and validated into a
 * plain read-only struct that the rest of the wizard reads directly.
 * The format is documented field by field in isp-profiles/README.md and
 * isp-profiles/schema.json.
 *
 * Ownership: every string and array inside a `profile` is UTF-8 (validated),
 * NUL-terminated and owned by the profile; profile_free() releases them all.
 * Readers never free or modify them. A profile is immutable after loading,
 * so it may be shared between threads for reading.
 *
 * A profile that fails validation is never returned: *out stays NULL and the
 * error list says why, each error with its JSON path. */
#ifndef MS_PROFILE_H
#define MS_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "strbuf.h"

/* The format version this loader reads ("format": 1). */
#define PROFILE_FORMAT 1
/* Larger inputs are refused before parsing (profile_load_file). */
#define PROFILE_MAX_BYTES ((size_t)16 * 1024 * 1024)
/* Deeper JSON nesting is refused before cJSON sees it. */
#define PROFILE_MAX_DEPTH 16

/* Values follow account.h's ms_security / ms_smtp_auth numbering so a plan
 * can convert with a cast, but profile.h does not depend on account.h. */
typedef enum profile_security {
    PROFILE_SEC_NONE = 0,     /* "none" */
    PROFILE_SEC_STARTTLS = 1, /* "starttls" */
    PROFILE_SEC_SSL = 2,      /* "ssl": implicit TLS (SMTPS 465, POP3S 995) */
    PROFILE_SEC_KEEP = 3,     /* key absent (incoming only): leave as it is */
} profile_security;

typedef enum profile_auth {
    PROFILE_AUTH_SAME_AS_INCOMING =
        1, /* "same_as_incoming": 受信メールサーバーと同じ設定を使用する */
    PROFILE_AUTH_OWN = 2, /* "own": own SMTP user name and password */
} profile_auth;

typedef enum profile_mode {
    PROFILE_MODE_MODIFY = 0,      /* "modify_account": change the existing account */
    PROFILE_MODE_ADD_ACCOUNT = 1, /* "add_account": add a new account beside the old (hotweb) */
} profile_mode;

typedef enum profile_user_policy {
    PROFILE_USER_UNCHANGED = 0, /* "unchanged": keep the incoming user name */
    PROFILE_USER_EMAIL_ADDRESS =
        1, /* "email_address": user name becomes the full address (117net) */
} profile_user_policy;

/* outgoing.tls_upgrade: whether the wizard may move an account from no
 * encryption to TLS when, at apply time, the server proves it can. */
typedef enum profile_tls_upgrade {
    PROFILE_TLS_UPGRADE_NEVER = 0,         /* "never" (default): as `security` says */
    PROFILE_TLS_UPGRADE_WHEN_VERIFIED = 1, /* "when_verified": STARTTLS on the port
                                              (or SSL on 465) with a certificate valid
                                              for the host under the system's trust */
} profile_tls_upgrade;

typedef enum profile_protocol {
    PROFILE_PROTO_POP3 = 0, /* "pop3" */
    PROFILE_PROTO_IMAP = 1, /* "imap" */
} profile_protocol;

/* A text in both languages; a member is NULL when the profile does not give
 * it. Use profile_text_get(): NULL there means "show the wizard's own
 * built-in text" (the safe default, from resources/). */
typedef struct profile_text {
    char *ja;
    char *en;
} profile_text;

/* A calendar date (JSON "YYYY-MM-DD"); all zero when not given. */
typedef struct profile_date {
    int year, month, day;
} profile_date;

/* One host rename: an account whose host is `from` gets `to`
 * (case-insensitive match; `to` is returned as written in the profile). */
typedef struct profile_host_map {
    char *from;
    char *to;
} profile_host_map;

/* An optional outgoing server besides the main one, e.g. ktarn's paid
 * virus-check server vpost.ktarn.or.jp. Accounts already using it keep it. */
typedef struct profile_alt_outgoing {
    char *id;           /* "virus_check": [a-z0-9_]+ */
    char *host;         /* "vpost.ktarn.or.jp" */
    uint16_t port;      /* 0 = the main outgoing port */
    bool paid;          /* a paid option the subscriber must have ordered */
    profile_text label; /* how the manual calls it: ウイルスメールチェックサービス */
} profile_alt_outgoing;

/* The steps for one mail program the wizard cannot change itself. Step
 * texts may hold placeholders ({outgoing_host}, {outgoing_port}, ...; see
 * README) that render-manual fills in; the loader checks they are known. */
typedef struct profile_manual {
    char *program;       /* "postpet3", "thunderbird2", "macmail": [a-z0-9_]+ */
    profile_text title;  /* "PostPet Ver.3" */
    profile_text *steps; /* n_steps >= 1 */
    size_t n_steps;
} profile_manual;

typedef struct profile {
    int format; /* PROFILE_FORMAT */

    /* ---- identity */
    char *id;          /* "117net": [a-z0-9][a-z0-9-]{0,31} */
    profile_text name; /* ja is always set */
    struct profile_support {
        char *phone;        /* NULL when not given */
        profile_text hours; /* 受付時間 */
        char *web;          /* http(s) URL, NULL when not given */
    } support;
    struct profile_branding {
        char *logo;          /* file name beside the profile, NULL = none */
        bool has_accent;     /* accent_rgb is valid */
        uint32_t accent_rgb; /* 0xRRGGBB from "#rrggbb" */
    } branding;

    /* ---- which accounts are the ISP's: any one match makes it so.
     * At least one of the three lists is non-empty. The host lists hold
     * every name the ISP uses, old and new (host_map and target hosts are
     * added by the loader, so the wizard also recognises already-migrated
     * accounts). */
    char **domains; /* e-mail domains, exact (case-insensitive) */
    size_t n_domains;
    char **incoming_hosts;
    size_t n_incoming_hosts;
    char **outgoing_hosts;
    size_t n_outgoing_hosts;

    /* ---- what to do */
    profile_mode mode;
    struct profile_add_account {   /* mode == PROFILE_MODE_ADD_ACCOUNT only */
        bool make_default;         /* 既定に設定 */
        profile_text account_name; /* may hold {email}; NULL = the address */
    } add_account;

    struct profile_incoming {
        profile_protocol protocol;  /* of the target account */
        char *host;                 /* every account gets this host; NULL = keep / map */
        profile_host_map *host_map; /* renames, e.g. vp.117.ne.jp -> vpop.117.ne.jp */
        size_t n_host_map;
        uint16_t port;             /* 0 = keep the account's port */
        profile_security security; /* PROFILE_SEC_KEEP = keep */
        profile_user_policy user_name;
    } incoming;

    struct profile_outgoing {
        char *host;                 /* every account gets this host; NULL = keep / map */
        profile_host_map *host_map; /* e.g. mail.micnet.ne.jp -> smtp.micnet.ne.jp */
        size_t n_host_map;
        uint16_t port; /* the target port, 587 in all seeds; never 25 */
        profile_auth auth;
        profile_security security; /* never PROFILE_SEC_KEEP */
        bool keep_pop_before_smtp; /* false: clear "log on to incoming before sending" */
        /* "server_offers_no_tls": true only when the ISP states that its
         * outgoing server offers neither STARTTLS nor SSL. Without it an
         * account that already encrypts keeps its encryption, whatever
         * `security` says (plan.c, never a downgrade); with it (security
         * must then be "none") the plan turns encryption off. */
        bool server_offers_no_tls;
        /* "tls_upgrade": with "when_verified" (security must be "none") the
         * wizard probes each account's outgoing server before apply and
         * sets STARTTLS (or SSL on 465) when the server proves it
         * (wizard/core/send/tlsup.c); otherwise `security` stays, with the
         * reason shown. */
        profile_tls_upgrade tls_upgrade;
        profile_alt_outgoing *alternatives;
        size_t n_alternatives;
    } outgoing;

    /* ---- dates (profile_date_is_set() tells which are given) */
    struct profile_dates {
        profile_date op25b_start;         /* port 25 blocked from this day */
        profile_date migration_start;     /* change settings from ... */
        profile_date migration_end;       /* ... until (inclusive) */
        profile_date old_incoming_until;  /* old incoming server answers until (inclusive) */
        profile_date old_outgoing_until;  /* old outgoing server answers until (inclusive) */
        profile_date pop_before_smtp_end; /* POP before SMTP ends / ended on */
    } dates;

    /* ---- texts */
    profile_text explanation; /* shown to the subscriber on the first page */
    profile_manual *manuals;  /* programs the wizard cannot change */
    size_t n_manuals;

    /* ---- test send */
    struct profile_test_send {
        bool allow_pop3_roundtrip; /* may fetch the test mail back by POP3 */
    } test_send;
} profile;

/* ---- the error list: profile check reports every error, not just one */

/* One validation error. err.code is the P-code; err.detail begins with the
 * JSON path ("$.outgoing.port"), optionally followed by " (extra)", so
 * ms_error_format() gives the full sentence in either language. */
typedef struct profile_issue {
    ms_error err;
    char path[256]; /* the JSON path alone, "$" for the whole document */
} profile_issue;

typedef struct profile_errors {
    profile_issue *items; /* owned; profile_errors_free() releases */
    size_t count;
    size_t cap;
    bool truncated; /* more than PROFILE_MAX_ERRORS; the rest were dropped */
} profile_errors;

#define PROFILE_MAX_ERRORS 200

void profile_errors_init(profile_errors *errs);
void profile_errors_free(profile_errors *errs);

/* ---- loading */

/* Parses and validates json[0..len) (need not be NUL-terminated).
 * On success returns MS_OK and *out is a new profile (free it with
 * profile_free). On failure returns the first error's code, *out is NULL,
 * and errs (if not NULL; init it first) gets every error found. */
MS_NODISCARD ms_code profile_load_json(const char *json, size_t len, profile **out,
                                       profile_errors *errs);

/* Reads a file (at most PROFILE_MAX_BYTES) and loads it as above. A read
 * failure is one error with path "$" and the file name in the detail. */
MS_NODISCARD ms_code profile_load_file(const char *path, profile **out, profile_errors *errs);

/* NULL is allowed. */
void profile_free(profile *p);

/* ---- lookups (all host and domain comparisons case-insensitive) */

/* The domain part of an e-mail address is one of the ISP's domains. */
bool profile_owns_domain(const profile *p, const char *domain);
bool profile_owns_address(const profile *p, const char *email);
bool profile_owns_incoming_host(const profile *p, const char *host);
bool profile_owns_outgoing_host(const profile *p, const char *host);
/* Any one of: address's domain, incoming host, outgoing host is the ISP's.
 * Each argument may be NULL. */
bool profile_owns_account(const profile *p, const char *email, const char *incoming_host,
                          const char *outgoing_host);

/* The outgoing host an account with `old` should get: the host_map's target
 * if `old` is mapped, else `old` itself if it is an alternative outgoing
 * host (the subscriber's paid option stays), else outgoing.host if set, else
 * `old` itself (no change). Returns either a profile-owned string or `old`;
 * `old` may be NULL (then outgoing.host or NULL). */
const char *profile_map_smtp_host(const profile *p, const char *old);
/* The same for the incoming host (host_map, then incoming.host, else old). */
const char *profile_map_incoming_host(const profile *p, const char *old);
/* The outgoing port for an account that ends up on `host` (an alternative's
 * own port if it has one, else outgoing.port). */
uint16_t profile_smtp_port_for(const profile *p, const char *host);

/* The text in lang, or NULL (caller then uses its built-in default). */
const char *profile_text_get(const profile_text *t, ms_lang lang);
/* The text in lang, else in the other language, else NULL. */
const char *profile_text_any(const profile_text *t, ms_lang lang);

/* NULL when the profile has no manual for that program id. */
const profile_manual *profile_find_manual(const profile *p, const char *program);

bool profile_date_is_set(profile_date d);
/* <0, 0, >0 like strcmp; an unset date sorts first. */
int profile_date_cmp(profile_date a, profile_date b);

/* Stable names as written in JSON: "starttls", "same_as_incoming",
 * "add_account", "email_address", "pop3". */
const char *profile_security_name(profile_security s);
const char *profile_auth_name(profile_auth a);
const char *profile_mode_name(profile_mode m);
const char *profile_user_policy_name(profile_user_policy u);
const char *profile_protocol_name(profile_protocol pr);
const char *profile_tls_upgrade_name(profile_tls_upgrade u); /* "never", "when_verified" */

/* The host render-manual and the texts' {incoming_host} / {outgoing_host}
 * show: the section's host; else, with a host_map, the one target all its
 * entries share (NULL if they differ); else the ISP's only listed host for
 * that direction (NULL if it lists none or several). */
const char *profile_incoming_target(const profile *p);
const char *profile_outgoing_target(const profile *p);

/* Appends text to out with its placeholders ({outgoing_host}, ... see
 * isp-profiles/README.md) replaced by this profile's values in lang; email
 * (may be NULL) fills {email}. Unknown placeholders and other braces are
 * copied as they are (the loader has already refused unknown ones). */
void profile_expand(const profile *p, const char *text, ms_lang lang, const char *email,
                    strbuf *out);

/* Every key the loader accepts, for the test that keeps schema.json and the
 * loader in step: fn gets each as a dotted path ("outgoing.port",
 * "manuals[].steps[].ja"), whether it is required, and for string enums the
 * NULL-terminated allowed values (else NULL). Returns the number of keys. */
size_t profile_list_keys(void (*fn)(const char *dotted, bool required,
                                    const char *const *enum_values, void *ctx),
                         void *ctx);

/* Prints each error as "FILE: [P07] sentence" to standard error in lang
 * (rc: the load's result, reported itself if the list is empty). */
void profile_print_errors(const char *file, const profile_errors *errs, ms_code rc, ms_lang lang);

/* The core verb `profile check FILE`, registered in cli.c. */
struct ms_cli_verb;
extern const struct ms_cli_verb profile_verb;

#endif
