/* mozilla: the mail settings of one Mozilla-family profile (Thunderbird 1.x
 * to today, Netscape 7.x, Mozilla Suite, SeaMonkey) as its prefs.js holds
 * them - accounts, incoming servers, identities, outgoing (SMTP) servers and
 * which one each identity really sends through - plus the changes the wizard
 * makes to an outgoing server, written in the preference names and values
 * of the program generation that will read them. And the profile list in
 * profiles.ini.
 *
 * Every preference name and value here, and the generation rule, is in
 * docs/mail-programs.md ("Mozilla family") with its source.
 *
 * Ownership: mozilla_mail_read returns a mozilla_mail the caller frees with
 * mozilla_mail_free; it borrows the prefs_file (which must outlive it) and
 * its setters edit that prefs_file. Strings are UTF-8, NUL-terminated, owned
 * by the mozilla_mail. */
#ifndef MS_MOZILLA_H
#define MS_MOZILLA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "account.h"
#include "error.h"
#include "ini.h"
#include "prefs.h"

/* Which preference names the program reading this prefs.js uses for an
 * outgoing server's authentication. */
typedef enum mozilla_gen {
    /* No telling sign: both styles are written. */
    MOZILLA_GEN_UNKNOWN = 0,
    /* auth_method (0/1) + useSecAuth: Netscape 7.x, Mozilla Suite,
     * SeaMonkey 1.x-2.0, Thunderbird 1.x-3.0. */
    MOZILLA_GEN_OLD = 1,
    /* authMethod (nsMsgAuthMethod): Thunderbird 3.1+, SeaMonkey 2.1+. */
    MOZILLA_GEN_CURRENT = 2,
} mozilla_gen;

/* nsMsgAuthMethod (comm-central mailnews/base/public/MailNewsTypes2.idl). */
enum {
    MOZILLA_AUTH_NONE = 1,
    MOZILLA_AUTH_OLD = 2,
    MOZILLA_AUTH_PASSWORD_CLEARTEXT = 3,
    MOZILLA_AUTH_PASSWORD_ENCRYPTED = 4,
    MOZILLA_AUTH_GSSAPI = 5,
    MOZILLA_AUTH_NTLM = 6,
    MOZILLA_AUTH_EXTERNAL = 7,
    MOZILLA_AUTH_SECURE = 8,
    MOZILLA_AUTH_ANYTHING = 9,
    MOZILLA_AUTH_OAUTH2 = 10,
};

/* try_ssl / socketType values (nsMsgSocketType; 1 is the old "TLS, if
 * available", which Thunderbird since UI version 44 migrates to 2). */
enum {
    MOZILLA_SOCKET_PLAIN = 0,
    MOZILLA_SOCKET_TRY_STARTTLS = 1,
    MOZILLA_SOCKET_STARTTLS = 2,
    MOZILLA_SOCKET_SSL = 3,
};

/* An int or bool preference that is not set. */
#define MOZILLA_UNSET (-1)

typedef struct mozilla_smtp {
    char *key;    /* "smtp1": the prefs are mail.smtpserver.<key>.* */
    bool listed;  /* in mail.smtpservers; false: only named by an identity or
                     mail.smtp.defaultserver (Thunderbird up to the C++ SMTP code
                     loaded such a server anyway; Thunderbird 153 finds none) */
    char *hostname;    /* NULL when not set */
    char *username;    /* NULL when not set */
    char *description; /* NULL when not set or not UTF-8 */
    int32_t port;      /* or MOZILLA_UNSET */
    int32_t auth_method;     /* authMethod (nsMsgAuthMethod), or MOZILLA_UNSET */
    int32_t old_auth_method; /* auth_method: 0 none, else name and password */
    int32_t use_sec_auth;    /* useSecAuth 0/1, or MOZILLA_UNSET */
    int32_t try_ssl;         /* or MOZILLA_UNSET */
    /* What the program does with these, for the profile's generation. */
    int32_t eff_auth;        /* nsMsgAuthMethod value */
    ms_security eff_security; /* try_ssl 1 ("if available") counts as none */
    unsigned eff_port;       /* the port, or 25 (465 with SSL) when unset */
} mozilla_smtp;

typedef struct mozilla_server {
    char *key;         /* "server2": mail.server.<key>.* */
    char *type;        /* "pop3", "imap", "none", "nntp", "rss"...; NULL when unset */
    char *hostname;    /* realhostname when set, else hostname */
    char *username;    /* realuserName when set, else userName */
    int32_t port;      /* or MOZILLA_UNSET */
    int32_t socket_type; /* socketType; 3 for the old isSecure=true; or MOZILLA_UNSET */
    int32_t auth_method; /* authMethod, or MOZILLA_UNSET */
} mozilla_server;

typedef struct mozilla_identity {
    char *key;       /* "id1": mail.identity.<key>.* */
    char *email;     /* useremail; NULL when not set */
    char *full_name; /* fullName; NULL when not set or not UTF-8 */
    char *smtp_key;  /* smtpServer as stored; NULL when not set or empty */
    long smtp;       /* index into smtp[] of the server it sends through, -1: none */
    bool smtp_is_default; /* through the default server (no smtpServer of its own) */
} mozilla_identity;

typedef struct mozilla_account {
    char *key;          /* "account1": mail.account.<key>.* */
    long server;        /* index into servers[], -1 when none */
    size_t *identities; /* indexes into identities[] */
    size_t nidentities;
} mozilla_account;

typedef struct mozilla_mail {
    prefs_file *prefs; /* borrowed; the setters edit it */
    mozilla_gen gen;   /* decided once by mozilla_mail_read */
    const char *gen_reason; /* static English: the rule that decided it */
    mozilla_account *accounts; /* mail.accountmanager.accounts order */
    size_t naccounts;
    mozilla_server *servers;
    size_t nservers;
    mozilla_identity *identities;
    size_t nidentities;
    mozilla_smtp *smtp; /* mail.smtpservers order, then unlisted ones */
    size_t nsmtp;
    long default_smtp;     /* mail.smtp.defaultserver, else the first; -1 none */
    char *default_account; /* mail.accountmanager.defaultaccount, or NULL */
} mozilla_mail;

/* Which generation's names to write; *reason (may be NULL) gets the rule. */
mozilla_gen mozilla_detect_gen(const prefs_file *pf, const char **reason);

/* Reads the model. A preference it needs with the wrong type, or a host,
 * user name or key that is not UTF-8, fails the whole read (the profile is
 * then left alone). */
MS_NODISCARD ms_code mozilla_mail_read(prefs_file *pf, mozilla_mail **out, ms_error *err);
/* Frees the model (not the prefs file it reads); NULL is fine. */
void mozilla_mail_free(mozilla_mail *mm);

/* Index of the outgoing server with this key, -1 when none. */
long mozilla_find_smtp(const mozilla_mail *mm, const char *key);

/* ---- changes to outgoing server i (index into mm->smtp). Each writes the
 * prefs, then reloads mm->smtp[i]; nothing changes on error. */

/* hostname: not empty, UTF-8. */
MS_NODISCARD ms_code mozilla_smtp_set_hostname(mozilla_mail *mm, size_t i, const char *host,
                                               ms_error *err);
/* port: 1..65535, written explicitly (the default differs by version). */
MS_NODISCARD ms_code mozilla_smtp_set_port(mozilla_mail *mm, size_t i, unsigned port,
                                           ms_error *err);
/* try_ssl: none 0, STARTTLS 2, SSL 3 - the same numbers in every generation. */
MS_NODISCARD ms_code mozilla_smtp_set_security(mozilla_mail *mm, size_t i, ms_security sec,
                                               ms_error *err);
/* auth: MOZILLA_AUTH_NONE, _PASSWORD_CLEARTEXT ("use name and password",
 * the manuals' setting) or _PASSWORD_ENCRYPTED. CURRENT writes authMethod;
 * OLD writes auth_method (0/1) and, when needed, useSecAuth; UNKNOWN both. */
MS_NODISCARD ms_code mozilla_smtp_set_auth(mozilla_mail *mm, size_t i, int32_t auth, ms_error *err);
/* username: UTF-8; "" removes the preference. Never a password: Mozilla
 * asks for it on the next send and keeps it in its own password store. */
MS_NODISCARD ms_code mozilla_smtp_set_username(mozilla_mail *mm, size_t i, const char *user,
                                               ms_error *err);

/* ---- changes to incoming server i (index into mm->servers)
 *
 * A new server name and user name, written so that every version from
 * Thunderbird 2 (and Netscape 7, SeaMonkey) to today connects to the new
 * server with the new user and keeps its folders (docs/mail-programs.md,
 * "Mozilla family: incoming server and user name"): hostname / userName
 * themselves, any realhostname / realuserName removed (Thunderbird 102
 * dropped them; up to 101 they overlay hostname / userName), and every
 * preference holding a folder URI of the old server URI (identities'
 * fcc_folder, draft_folder, archive_folder, stationery_folder; servers'
 * spamActionTargetAccount / spamActionTargetFolder) rewritten to the new
 * server URI, as Thunderbird's own migrateServerUris does when the account
 * settings page changes them. The server's folder stays where its
 * directory / directory-rel preference says: a server without one is
 * refused (its folder would move). The caller rewrites the filter files
 * with the two URIs.
 *
 * host / user: the new names (NULL: unchanged; not empty, UTF-8).
 * old_uri / new_uri (may be NULL) get the server URIs before and after
 * ("mailbox://user%40example.jp@pop.example.jp"). Nothing changes on
 * error. */
MS_NODISCARD ms_code mozilla_server_rename(mozilla_mail *mm, size_t i, const char *host,
                                           const char *user, strbuf *old_uri, strbuf *new_uri,
                                           ms_error *err);

/* ---- profiles.ini */

typedef struct mozilla_profile_entry {
    char *section;    /* "Profile0" */
    char *name;       /* Name= as stored (bytes), "" when missing */
    char *path;       /* Path= as stored (bytes; '/' separated when relative) */
    bool is_relative; /* IsRelative=1: Path is below the profiles.ini folder */
    bool is_default;  /* Default=1 */
    bool utf8;        /* name and path are valid UTF-8 (old versions wrote the
                         Windows ANSI code page for absolute paths) */
} mozilla_profile_entry;

typedef struct mozilla_profile_list {
    mozilla_profile_entry *items;
    size_t count;
    char *install_default; /* Default= of the first [Install...] section
                              (Mozilla 67+), or NULL */
} mozilla_profile_list;

/* Every [Profile<n>] section with a Path=, in file order. A section without
 * Path is skipped, as Mozilla does. */
MS_NODISCARD ms_code mozilla_profiles_list(const ini_file *ini, mozilla_profile_list *out,
                                           ms_error *err);
/* Frees the list's entries; l is empty after. */
void mozilla_profiles_free(mozilla_profile_list *l);

#endif
