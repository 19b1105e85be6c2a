/* be_wlmail: the Windows Mail (Vista) and Windows Live Mail 2009-2012
 * back-ends. Both keep one account{GUID}.oeaccount file per account under
 * a "store root" folder (oeaccount.h) and a few values in their registry
 * key; they differ only in the key, the default folder and the exe:
 *   Windows Mail       HKCU\Software\Microsoft\Windows Mail
 *                      %LOCALAPPDATA%\Microsoft\Windows Mail       WinMail.exe
 *   Windows Live Mail  HKCU\Software\Microsoft\Windows Live Mail
 *                      %LOCALAPPDATA%\Microsoft\Windows Live Mail  wlmail.exe
 * Sources: docs/mail-programs.md, "Windows Mail / Windows Live Mail". */
#ifndef MS_BE_WLMAIL_H
#define MS_BE_WLMAIL_H

#include <stdbool.h>

#include "backend.h"
#include "strbuf.h"

extern const ms_backend wlmail_backend_winmail; /* MS_PROG_WINMAIL */
extern const ms_backend wlmail_backend_wlmail;  /* MS_PROG_WLMAIL */

/* The program's registry key, relative to HKEY_CURRENT_USER. */
const char *wlmail_reg_key(ms_program prog);

/* The store root as the program finds it: the "Store Root" value of its
 * key (REG_EXPAND_SZ, %VARIABLES% expanded), or the default folder when the
 * value is missing or empty. *configured is false (and out untouched) when
 * the program's key does not exist: the program never ran for this user. */
MS_NODISCARD ms_code wlmail_store_root(const ms_env *env, ms_program prog, strbuf *out,
                                       bool *configured, ms_error *err);

/* Expands %NAME% in s the way ExpandEnvironmentStrings does (unknown names
 * stay as written); USERPROFILE, APPDATA and LOCALAPPDATA come from env. */
MS_NODISCARD ms_code wlmail_expand(const ms_env *env, const char *s, strbuf *out, ms_error *err);

#endif
