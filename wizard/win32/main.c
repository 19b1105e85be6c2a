/* main: mailsetup.exe's entry point. Hardens DLL loading, turns the UTF-16
 * command line into UTF-8 for the core, runs a verb or the wizard. */
#include <windows.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "platform.h"
#include "ui.h"
#include "utf.h"
#include "smtp_send.h"
#include "win32_verbs.h"

/* Before anything can load a DLL: search System32 only, never the folder
 * the download sits in (DLL planting). SetDefaultDllDirectories needs
 * Windows 7 with KB2533623 or later, so it is looked up at run time.
 * Without it (XP, Vista, an unpatched 7) the exe's own folder stays first
 * in the search, so the delay-loaded DLLs (cmake/delayload.cmake) that a
 * Known DLL entry may not cover there (crypt32, ws2_32) are loaded now by
 * their System32 path, and a later load by name finds them. shell32 and
 * ole32 are Known DLLs on every Windows; comctl32 comes from WinSxS
 * through the manifest (by its System32 path it would be version 5). */
static void harden_dll_search(void)
{
    typedef BOOL(WINAPI * set_default_fn)(DWORD);
    HMODULE k32 = GetModuleHandleW(L"kernel32.dll");
    set_default_fn set_default =
        k32 ? (set_default_fn)(void (*)(void))GetProcAddress(k32, "SetDefaultDllDirectories")
            : NULL;
    if (!set_default || !set_default(0x00000800 /* LOAD_LIBRARY_SEARCH_SYSTEM32 */)) {
        static const wchar_t *const delay_loaded[] = {L"\\crypt32.dll", L"\\ws2_32.dll"};
        wchar_t path[MAX_PATH];
        UINT n = GetSystemDirectoryW(path, MAX_PATH);
        for (size_t i = 0; i < sizeof delay_loaded / sizeof *delay_loaded; i++) {
            size_t len = wcslen(delay_loaded[i]);
            if (n == 0 || (size_t)n + len >= MAX_PATH)
                break;
            memcpy(path + n, delay_loaded[i], (len + 1) * sizeof *path);
            LoadLibraryW(path);
        }
    }
    /* Drops the current directory from the search path (XP SP1 and later). */
    SetDllDirectoryW(L"");
}

int WINAPI wWinMain(HINSTANCE inst, HINSTANCE prev, PWSTR cmdline, int show)
{
    (void)prev;
    (void)cmdline;
    (void)show;
    harden_dll_search();
#ifdef MS_TEST_HOOKS
    /* tests/wine/test_stack_guard.py: the stack protector ends the process. */
    if (GetEnvironmentVariableW(L"MAILSETUP_TEST_SMASH", NULL, 0)) {
        void ms_test_smash_stack(const char *with);
        ms_platform_write(MS_STDOUT, "smashing\n", 9);
        ms_test_smash_stack("0123456789abcdef0123456789abcdef0123456789abcdef");
        ms_platform_write(MS_STDOUT, "survived\n", 9);
        return MS_EXIT_OK;
    }
#endif
    HeapSetInformation(NULL, HeapEnableTerminationOnCorruption, NULL, 0);

    /* The C runtime's split of the command line, not CommandLineToArgvW,
     * so that shell32 is not loaded by every start (docs/performance.md).
     * The two differ only in corner cases of doubled quotes, which no
     * option or path needs; wine_start_dlls passes a path with spaces and
     * Japanese, and an empty argument. */
    int argc = __argc;
    wchar_t **wargv = __wargv;
    if (!wargv || argc < 1)
        return MS_EXIT_FAILURE;
    char **argv = calloc((size_t)argc + 1, sizeof *argv);
    if (!argv)
        return MS_EXIT_FAILURE;
    for (int i = 0; i < argc; i++) {
        argv[i] = ms_wide_to_utf8(wargv[i]);
        if (!argv[i])
            return MS_EXIT_FAILURE;
    }
    char **owned = malloc(((size_t)argc + 1) * sizeof *owned);
    if (!owned)
        return MS_EXIT_FAILURE;
    memcpy(owned, argv, ((size_t)argc + 1) * sizeof *owned);

    /* The GUI's own options (--undo, ...) come out before the core parses. */
    ms_ui_options ui_opt;
    const char *bad = NULL;
    int ui_argc = ms_ui_take_options(argc, argv, &ui_opt, &bad);
    ms_cli cli;
    int rc;
    if (ui_argc < 0) {
        ms_error err;
        ms_fail(&err, MS_ERR_USAGE, "%s", bad);
        cli.lang = ms_platform_ui_lang();
        cli.profile_path = NULL;
        ms_print_error(&cli, &err);
        rc = MS_EXIT_USAGE;
    } else {
        rc = ms_cli_main(&cli, ui_argc, argv, ms_win32_verbs, ms_win32_verb_count);
        if (rc < 0)
            rc = ms_ui_run(inst, &cli, &ui_opt);
    }

    smtp_send_global_cleanup();
    /* argv[] was reordered by ms_ui_take_options; the strings are all still
     * in owned[]. */
    for (int i = 0; i < argc; i++)
        free(owned[i]);
    free(owned);
    free(argv);
    return rc;
}
