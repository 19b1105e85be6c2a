/* ui: the wizard's window. Pages only show what the core computed. */
#ifndef MS_UI_H
#define MS_UI_H

#include <windows.h>

#include <stdbool.h>

#include "cli.h"

/* Options of the GUI that the command line gives besides the core's. */
typedef struct ms_ui_options {
    bool undo;               /* --undo: the undo confirmation page only */
#ifdef MS_TEST_HOOKS
    /* Test-hook build only (cmake/test_hooks.cmake): never in what ships. */
    const char *test_server; /* --test-server ADDR:PORT: where the test send
                                connects (the ISP's host name is kept for TLS);
                                for the tests and the demo */
    const char *ca_file;     /* --ca-file FILE: trust this CA for the test send */
#endif
} ms_ui_options;

/* Takes the GUI's own options out of argv (UTF-8), shifting the rest down;
 * returns the new argc, or -1 with *bad set to the offending argument. */
int ms_ui_take_options(int argc, char **argv, ms_ui_options *opt, const char **bad);

/* Runs the wizard modally; returns the process exit code. */
int ms_ui_run(HINSTANCE inst, const ms_cli *cli, const ms_ui_options *opt);

/* art.c: the Wizard97 bitmaps in the ISP's accent colour. */
/* The exterior pages' watermark (caller deletes). */
HBITMAP ms_art_watermark(COLORREF accent);
/* The interior pages' header bitmap (caller deletes). */
HBITMAP ms_art_header(COLORREF accent);

#endif
