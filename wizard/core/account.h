/* account: the client-neutral model of one mail account as a mail program
 * stores it, and of a change to it. Every back-end (Outlook Express,
 * Windows Mail, Windows Live Mail, Outlook, Thunderbird, ...) scans into
 * this model and applies changes expressed in it. All strings UTF-8. */
#ifndef MS_ACCOUNT_H
#define MS_ACCOUNT_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

typedef enum ms_program {
    MS_PROG_OE,          /* Outlook Express 5/6 */
    MS_PROG_WINMAIL,     /* Windows Mail (Vista) */
    MS_PROG_WLMAIL,      /* Windows Live Mail 2009-2012 */
    MS_PROG_OUTLOOK,     /* Outlook 2003-2010 (Windows Messaging Subsystem) */
    MS_PROG_OUTLOOK_NEW, /* Outlook 2013-2021 / 365 classic (Office\1x.0) */
    MS_PROG_THUNDERBIRD,
    MS_PROG_NETSCAPE, /* Netscape 7.1, Mozilla Suite, SeaMonkey */
    MS_PROG_BECKY,
    MS_PROG_POSTPET,
    MS_PROG_EUDORA,
    MS_PROG_OUTLOOK_IMO, /* Outlook 98/2000 in Internet-only mode (OMI Account Manager) */
    MS_PROG_OUTLOOK_APP, /* the new Outlook for Windows (a packaged app): set by hand */
    MS_PROG_MAIL_APP,    /* the Mail app of Windows 10/11 (メール): set by hand */
    MS_PROG_COUNT
} ms_program;

/* Short stable name: "oe", "winmail", "wlmail", "outlook", ... */
const char *account_program_id(ms_program p);

typedef enum ms_security {
    MS_SEC_NONE = 0,
    MS_SEC_STARTTLS = 1, /* plain connection, then STARTTLS */
    MS_SEC_SSL = 2,      /* implicit TLS (SMTPS, port 465) */
} ms_security;

typedef enum ms_smtp_auth {
    MS_AUTH_NONE = 0,
    MS_AUTH_SAME_AS_INCOMING = 1, /* 受信メールサーバーと同じ設定を使用する */
    MS_AUTH_OWN = 2,              /* 次のアカウントとパスワードでログオンする */
    MS_AUTH_SPA = 3,              /* セキュリティで保護されたパスワード認証 (SPA) */
} ms_smtp_auth;

typedef enum ms_incoming_proto {
    MS_IN_POP3 = 0,
    MS_IN_IMAP = 1,
    MS_IN_OTHER = 2
} ms_incoming_proto;

typedef struct ms_account {
    ms_program program;
    char *program_version; /* "6", "2009", "16.0", NULL if unknown */
    char *id;              /* stable, unique on this PC: "oe/{GUID}/00000001" */
    char *location;        /* where it lives: registry key or file path */
    char *container;       /* identity / MAPI profile / Mozilla profile name */
    char *account_name;    /* the name shown in the program's account list */
    char *display_name;    /* 表示名 (From name) */
    char *email;
    ms_incoming_proto incoming_proto;
    char *incoming_host;
    unsigned incoming_port; /* 0 = the program's default */
    char *incoming_user;
    /* How the program connects to the incoming server, as it stores it:
     * MS_SEC_NONE (clear text), MS_SEC_STARTTLS (POP3 STLS / IMAP STARTTLS
     * after connecting) or MS_SEC_SSL (implicit TLS: POP3S 995, IMAPS 993).
     * Read from each program (docs/mail-programs.md, "Incoming security");
     * the plan never changes it. The POP3 round trip of the test send reads
     * it to connect the way the program does. Unknown for summary_only. */
    ms_security incoming_security;
    char *smtp_host;
    unsigned smtp_port; /* as stored, or the program's default (25) when absent */
    ms_smtp_auth smtp_auth;
    char *smtp_user; /* for MS_AUTH_OWN / MS_AUTH_SPA */
    ms_security smtp_security;
    bool is_default; /* the program's default mail account */
    /* Another provider's account, scanned with a scope (backend.h): only
     * the names, address and hosts were read; ports, users, authentication
     * and security are unknown (and not reported). */
    bool summary_only;
    /* MS_OK, or why this account's settings could not be read (a value of
     * the wrong type or size, broken text, an unreadable key). Such an
     * account is still listed, with id, location, container and the names
     * that could be read, so the report can name it; email, hosts and users
     * are then left empty, so the plan leaves it alone, and the back-ends'
     * apply refuses it (MS_ERR_ACCOUNT_UNREADABLE). */
    ms_error read_error;
} ms_account;

/* The properties a plan can change; one per checkbox or field in the
 * manuals. */
typedef enum ms_field {
    MS_F_SMTP_HOST,     /* 送信メール (SMTP) */
    MS_F_SMTP_PORT,     /* サーバーのポート番号 送信メール (SMTP) */
    MS_F_SMTP_AUTH,     /* このサーバーは認証が必要 + logon choice */
    MS_F_SMTP_USER,     /* own SMTP user name */
    MS_F_SMTP_SECURITY, /* このサーバーはセキュリティで保護された接続 (SSL) が必要 */
    MS_F_INCOMING_HOST, /* 受信メール (POP3) */
    MS_F_INCOMING_USER, /* アカウント名 / ユーザー名 */
    MS_F_DEFAULT,       /* 既定に設定 */
    MS_F_COUNT
} ms_field;

/* The field's id in JSON and reports: "smtp_port", ... */
const char *account_field_id(ms_field f);

/* A field's value: strings for hosts and users, numbers for the rest
 * (port, ms_smtp_auth, ms_security, bool). */
typedef struct ms_value {
    const char *str; /* owned by whoever owns the change */
    unsigned num;
} ms_value;

typedef struct ms_change {
    ms_field field;
    ms_value from, to;
} ms_change;

/* Does a hold v in field f? Host names compare without case, user names
 * exactly; an empty or missing string equals an empty or missing one. The
 * back-ends ask it before a write: is the account still what the plan saw
 * (or already what it wants)? */
bool account_field_is(const ms_account *a, ms_field f, ms_value v);

/* A growable list of accounts; owns them. */
typedef struct ms_account_list {
    ms_account *items;
    size_t count, cap;
} ms_account_list;

/* An empty list. */
void account_list_init(ms_account_list *l);
/* Appends a zeroed account and returns it (NULL when out of memory). */
ms_account *account_list_add(ms_account_list *l);
/* Frees every account and the list's memory; l is empty after. */
void account_list_free(ms_account_list *l);
/* Frees a's strings and sets them NULL (safe on a zeroed account). */
void account_free(ms_account *a);
/* Deep copy; returns MS_ERR_NOMEM on failure (dst is then freed). */
MS_NODISCARD ms_code account_copy(ms_account *dst, const ms_account *src);

/* strdup that returns NULL for NULL. */
char *ms_strdup(const char *s);
/* ASCII case-insensitive compare of host names and domains. */
int ms_strcasecmp(const char *a, const char *b);

#endif
