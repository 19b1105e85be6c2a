/* be_byhand: mail programs mailsetup finds but cannot change, because they
 * keep their accounts where no other program may write them: the new
 * Outlook for Windows and the Mail app of Windows 10/11 (メール). Both are
 * packaged apps; Windows gives each user a folder per installed package,
 * %LOCALAPPDATA%\Packages\<package family name>, which is how they are
 * found (sources: docs/mail-programs.md, "New Outlook and the Mail app").
 *
 * Like Eudora, each found program is one entry with read_error
 * MS_ERR_MANUAL_STEPS: the plan leaves it alone, the wizard and `scan`
 * list it as 'set by hand' with its steps (byhand_steps). Capability, in
 * short: finds, changes nothing, shows steps. */
#ifndef MS_BE_BYHAND_H
#define MS_BE_BYHAND_H

#include "backend.h"
#include "profile.h"
#include "strbuf.h"

extern const ms_backend byhand_backend_outlook_app; /* MS_PROG_OUTLOOK_APP, "outlook_new" */
extern const ms_backend byhand_backend_mail_app;    /* MS_PROG_MAIL_APP, "windows_mail_app" */

#define BYHAND_PFN_OUTLOOK "Microsoft.OutlookForWindows_8wekyb3d8bbwe"
#define BYHAND_PFN_MAIL "microsoft.windowscommunicationsapps_8wekyb3d8bbwe"

/* The steps to set program prog by hand for profile p, in lang: the
 * profile's manual for the program's id (manuals[].program, e.g.
 * "outlook_new") when it has one; else, for the new Outlook and the Mail
 * app, the built-in steps filled with the profile's values (servers, port,
 * security, authentication, user name). Each step is appended to out
 * followed by a NUL. *title (may be NULL) gets the manual's title or NULL.
 * Returns the number of steps; 0 when there are none to show. */
size_t byhand_steps(const profile *p, ms_program prog, ms_lang lang, strbuf *out,
                    const char **title);

#endif
