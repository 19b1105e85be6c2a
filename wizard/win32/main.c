/* main: mailsetup.exe's entry point. Hardens DLL loading, turns the UTF-16
 * command line into UTF-8 for the core, runs a verb or the wizard. */
#include <windows.h>
#include <shellapi.h>
#include <stdlib.h>

#include <curl/curl.h>

#include "cli.h"
#include "ui.h"
#include "utf.h"
#include "win32_verbs.h"

/* Before anything can load a DLL: search System32 only, never the folder
 * the download sits in (DLL planting). SetDefaultDllDirectories needs
 * Windows 7 with KB2533623 or later, so it is looked up at run time. */
static void harden_dll_search(void)
{
    typedef BOOL(WINAPI * set_default_fn)(DWORD);
    HMODULE k32 = GetModuleHandleW(L"kernel32.dll");
    set_default_fn set_default =
        k32 ? (set_default_fn)(void (*)(void))GetProcAddress(k32, "SetDefaultDllDirectories")
            : NULL;
    if (set_default)
        set_default(0x00000800 /* LOAD_LIBRARY_SEARCH_SYSTEM32 */);
    /* Drops the current directory from the search path (XP SP1 and later). */
    SetDllDirectoryW(L"");
}

int WINAPI wWinMain(HINSTANCE inst, HINSTANCE prev, PWSTR cmdline, int show)
{
    (void)prev;
    (void)cmdline;
    (void)show;
    harden_dll_search();
    HeapSetInformation(NULL, HeapEnableTerminationOnCorruption, NULL, 0);

    int argc = 0;
    wchar_t **wargv = CommandLineToArgvW(GetCommandLineW(), &argc);
    if (!wargv)
        return MS_EXIT_FAILURE;
    char **argv = calloc((size_t)argc + 1, sizeof *argv);
    if (!argv)
        return MS_EXIT_FAILURE;
    for (int i = 0; i < argc; i++) {
        argv[i] = ms_wide_to_utf8(wargv[i]);
        if (!argv[i])
            return MS_EXIT_FAILURE;
    }
    LocalFree(wargv);

    if (curl_global_init(CURL_GLOBAL_ALL) != CURLE_OK)
        return MS_EXIT_FAILURE;

    ms_cli cli;
    int rc = ms_cli_main(&cli, argc, argv, ms_win32_verbs, ms_win32_verb_count);
    if (rc < 0)
        rc = ms_ui_run(inst, &cli);

    curl_global_cleanup();
    for (int i = 0; i < argc; i++)
        free(argv[i]);
    free(argv);
    return rc;
}
