/* reg_win32: the core's ms_reg interface over the real HKEY_CURRENT_USER
 * (wide APIs; paths and names are UTF-8 in the core, UTF-16 here). Never
 * touches HKEY_LOCAL_MACHINE: the wizard runs without admin rights. */
#ifndef MS_REG_WIN32_H
#define MS_REG_WIN32_H

#include "reg.h"

/* The current user's registry. A process-wide object; not thread-safe (the
 * wizard changes settings from one worker thread at a time). */
ms_reg *reg_win32_hkcu(void);

#endif
