/* profile_res: the ISP profile mailsetup.exe runs with: --profile FILE, or
 * the one embedded in the exe as a resource by the (per-ISP) build. */
#ifndef MS_PROFILE_RES_H
#define MS_PROFILE_RES_H

#include "cli.h"
#include "profile.h"

/* Loads and validates; on failure prints every error and returns
 * MS_EXIT_PROFILE (the profile never reaches a change). */
int profile_res_load(const ms_cli *cli, profile **out);

#endif
