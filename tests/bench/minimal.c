/* minimal: the yardstick of tests/bench/startup.sh. The smallest honest
 * Win32 GUI program, built with the same toolchain and flags as
 * mailsetup.exe: with --version it writes one line to stdout and exits (the
 * counterpart of `mailsetup.exe --version`); without arguments it opens one
 * top-level window titled "minimal" and runs a message loop until closed
 * (the counterpart of the wizard's first window). */
#include <windows.h>

#include <string.h>

static LRESULT CALLBACK wndproc(HWND w, UINT msg, WPARAM wp, LPARAM lp)
{
    if (msg == WM_DESTROY) {
        PostQuitMessage(0);
        return 0;
    }
    return DefWindowProcW(w, msg, wp, lp);
}

int WINAPI wWinMain(HINSTANCE inst, HINSTANCE prev, PWSTR cmdline, int show)
{
    (void)prev;
    if (cmdline && wcscmp(cmdline, L"--version") == 0) {
        static const char line[] = "minimal 1\n";
        DWORD done = 0;
        WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), line, (DWORD)(sizeof line - 1), &done, NULL);
        return 0;
    }
    WNDCLASSW wc = {0};
    wc.lpfnWndProc = wndproc;
    wc.hInstance = inst;
    wc.hCursor = LoadCursorW(NULL, (LPCWSTR)IDC_ARROW);
    wc.hbrBackground = (HBRUSH)(COLOR_WINDOW + 1);
    wc.lpszClassName = L"ms_bench_minimal";
    if (!RegisterClassW(&wc))
        return 1;
    HWND w = CreateWindowExW(0, wc.lpszClassName, L"minimal", WS_OVERLAPPEDWINDOW,
                             CW_USEDEFAULT, CW_USEDEFAULT, 480, 360, NULL, NULL, inst, NULL);
    if (!w)
        return 1;
    ShowWindow(w, show);
    UpdateWindow(w);
    MSG m;
    while (GetMessageW(&m, NULL, 0, 0) > 0) {
        TranslateMessage(&m);
        DispatchMessageW(&m);
    }
    return (int)m.wParam;
}
