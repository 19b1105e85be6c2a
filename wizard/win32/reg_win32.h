/* reg_win32: the core's ms_reg interface over the real HKEY_CURRENT_USER
 * (wide APIs; paths and names are UTF-8 in the core, UTF-16 here). Never
 * touches HKEY_LOCAL_MACHINE: the wizard runs without admin rights. */
#ifndef MS_REG_WIN32_H
#define MS_REG_WIN32_H

#include <windows.h>

#include "reg.h"

/* The current user's registry as an ms_reg, with the key read last kept
 * open (see reg_win32.c). Not thread-safe: the wizard changes settings from
 * one worker thread at a time. */
typedef struct reg_win32 {
    ms_reg base; /* first: the core holds &base */
    char *path;  /* UTF-8 path of the key kept open, NULL when none */
    HKEY key;
} reg_win32;

/* Makes r the current user's registry (nothing open yet). */
void reg_win32_init(reg_win32 *r);
/* Closes the key r keeps open, if any. */
void reg_win32_close(reg_win32 *r);

#endif
