/* be_becky: Becky! Internet Mail 2 (RimArts). Every mailbox is a folder in
 * the data folder with a Mailbox.ini (Shift_JIS); its [Account] section
 * holds the servers. The data folder is HKCU\Software\RimArts\B2\Settings
 * "DataDir", else Documents\Becky (Vista and later), else C:\Becky! (XP),
 * as Thunderbird's Becky! importer looks. Mailbox.ini is edited with ini.h,
 * so its encoding and every line not changed stay as they were.
 * Sources: docs/mail-programs.md, "Becky! Internet Mail". */
#ifndef MS_BE_BECKY_H
#define MS_BE_BECKY_H

#include "backend.h"
#include "journal.h"

extern const ms_backend becky_backend; /* MS_PROG_BECKY */

/* The journal's filter for Mailbox.ini: its copy keeps no password. */
extern const journal_file_filter becky_secret_filter;

/* HKCU-relative key and value of the data folder. */
#define BECKY_REG_KEY "Software\\RimArts\\B2\\Settings"
#define BECKY_REG_DATADIR "DataDir"

#endif
