/* be_mozilla: the Mozilla-family back-ends - Thunderbird (1.x/2.x to
 * today) and Netscape 7.x / Mozilla Suite / SeaMonkey - over prefs.js
 * (prefs.h, mozilla.h). Where the profiles are:
 *   Thunderbird  %APPDATA%\Thunderbird\profiles.ini
 *   SeaMonkey    %APPDATA%\Mozilla\SeaMonkey\profiles.ini
 *   Netscape 7.x, Mozilla Suite 1.x
 *                %APPDATA%\Mozilla\Profiles\<name>\<salt>.slt\prefs.js
 * One scanned account per (mail account, identity) of a profile: its
 * outgoing server is the one the identity really sends through. Only that
 * outgoing server's preferences are changed (hostname, port, try_ssl,
 * authMethod / auth_method + useSecAuth, username); the file is journalled
 * first and replaced atomically. Never a password: Mozilla asks for it on
 * the next send. Sources: docs/mail-programs.md, "Mozilla family". */
#ifndef MS_BE_MOZILLA_H
#define MS_BE_MOZILLA_H

#include "backend.h"

extern const ms_backend mozilla_backend_thunderbird; /* MS_PROG_THUNDERBIRD */
extern const ms_backend mozilla_backend_netscape;    /* MS_PROG_NETSCAPE */

/* The lock file a running Mozilla program keeps open in its profile. */
#define MOZILLA_LOCK_FILE "parent.lock"

#endif
