/* ui: the wizard's window. Pages only show what the core computed. */
#ifndef MS_UI_H
#define MS_UI_H

#include <windows.h>

#include "cli.h"

/* Runs the wizard modally; returns the process exit code. */
int ms_ui_run(HINSTANCE inst, const ms_cli *cli);

#endif
