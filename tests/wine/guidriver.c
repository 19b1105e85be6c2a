/* guidriver: drives the wizard window for the Wine GUI tests. One command
 * per run; the answer is one line of JSON (ASCII, \uXXXX escapes).
 *
 *   guidriver state                     the wizard: caption, page title, step,
 *                                       buttons, every control of the page
 *   guidriver wait [--step N] [--enabled back|next|finish] [--text ID SUBSTR]
 *                  [--timeout MS]       polls until all hold, then `state`
 *                                       ("ok": false on timeout)
 *   guidriver press back|next|finish|cancel
 *   guidriver click ID                  BM_CLICK on a control of the page
 *   guidriver settext ID TEXT           WM_SETTEXT (e.g. the password field)
 *   guidriver type ID TEXT              TEXT as WM_CHARs, one key at a time
 *   guidriver select ID INDEX           combo box choice + CBN_SELCHANGE
 *   guidriver check ID ROW 0|1          a list view row's check box
 *   guidriver selectrow ID ROW          selects a list view row
 *   guidriver ping COUNT INTERVAL_MS    is the window responsive: sends
 *                                       WM_NULL with a 200 ms timeout COUNT
 *                                       times; max latency and misses
 *   guidriver close                     WM_CLOSE to the wizard
 *
 * Exit code 0 when the command ran (and a wait's conditions held), 1 when
 * the wizard is not there or the wait timed out, 2 on a usage error.
 * A test tool: not part of the product, never installed. */
#include <windows.h>
#include <commctrl.h>
#include <prsht.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define ID_PSBACK 0x3023
#define ID_PSNEXT 0x3024
#define ID_PSFINISH 0x3025
#define IDC_STEP 1002

/* ---- output: one JSON line, ASCII only */

static char out_buf[1 << 18];
static size_t out_len;

static void out_raw(const char *s)
{
    size_t n = strlen(s);
    if (out_len + n < sizeof out_buf) {
        memcpy(out_buf + out_len, s, n);
        out_len += n;
    }
}

static void out_fmt(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    out_raw(buf);
}

static void out_wstr(const wchar_t *s)
{
    out_raw("\"");
    for (; s && *s; s++) {
        wchar_t c = *s;
        if (c == L'"')
            out_raw("\\\"");
        else if (c == L'\\')
            out_raw("\\\\");
        else if (c < 0x20 || c >= 0x7f)
            out_fmt("\\u%04x", (unsigned)c);
        else {
            char ch[2] = {(char)c, 0};
            out_raw(ch);
        }
    }
    out_raw("\"");
}

static void out_flush(void)
{
    out_raw("\n");
    DWORD w;
    WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), out_buf, (DWORD)out_len, &w, NULL);
    out_len = 0;
}

/* ---- finding the wizard */

static BOOL CALLBACK find_sheet(HWND hwnd, LPARAM lp)
{
    wchar_t cls[64];
    if (!IsWindowVisible(hwnd) || !GetClassNameW(hwnd, cls, 64) || wcscmp(cls, L"#32770") != 0)
        return TRUE;
    if (!GetDlgItem(hwnd, ID_PSNEXT))
        return TRUE;
    *(HWND *)lp = hwnd;
    return FALSE;
}

static HWND wizard(void)
{
    HWND h = NULL;
    EnumWindows(find_sheet, (LPARAM)&h);
    return h;
}

static HWND current_page(HWND sheet)
{
    DWORD_PTR r = 0;
    if (!SendMessageTimeoutW(sheet, PSM_GETCURRENTPAGEHWND, 0, 0, SMTO_ABORTIFHUNG, 2000, &r))
        return NULL;
    return (HWND)r;
}

static void get_text(HWND h, wchar_t *buf, int cch)
{
    DWORD_PTR r = 0;
    buf[0] = 0;
    if (!SendMessageTimeoutW(h, WM_GETTEXT, (WPARAM)cch, (LPARAM)buf, SMTO_ABORTIFHUNG, 2000, &r))
        buf[0] = 0;
    buf[cch - 1] = 0;
}

/* ---- list views live in the wizard's memory: read them through it */

typedef struct remote {
    HANDLE proc;
    void *mem;
} remote;

static BOOL remote_open(remote *r, HWND h, SIZE_T size)
{
    DWORD pid = 0;
    GetWindowThreadProcessId(h, &pid);
    r->proc = OpenProcess(PROCESS_VM_OPERATION | PROCESS_VM_READ | PROCESS_VM_WRITE, FALSE, pid);
    if (!r->proc)
        return FALSE;
    r->mem = VirtualAllocEx(r->proc, NULL, size, MEM_COMMIT, PAGE_READWRITE);
    return r->mem != NULL;
}

static void remote_close(remote *r)
{
    if (r->mem)
        VirtualFreeEx(r->proc, r->mem, 0, MEM_RELEASE);
    if (r->proc)
        CloseHandle(r->proc);
}

static void list_item_text(remote *r, HWND list, int row, int col, wchar_t *buf, int cch)
{
    LVITEMW item = {0};
    item.iSubItem = col;
    item.cchTextMax = cch;
    item.pszText = (LPWSTR)((char *)r->mem + sizeof item);
    SIZE_T done;
    buf[0] = 0;
    WriteProcessMemory(r->proc, r->mem, &item, sizeof item, &done);
    SendMessageW(list, LVM_GETITEMTEXTW, (WPARAM)row, (LPARAM)r->mem);
    ReadProcessMemory(r->proc, (char *)r->mem + sizeof item, buf, (SIZE_T)cch * sizeof *buf,
                      &done);
    buf[cch - 1] = 0;
}

static void out_list(HWND list)
{
    int rows = (int)SendMessageW(list, LVM_GETITEMCOUNT, 0, 0);
    HWND header = (HWND)SendMessageW(list, LVM_GETHEADER, 0, 0);
    int cols = header ? (int)SendMessageW(header, HDM_GETITEMCOUNT, 0, 0) : 1;
    remote r = {0};
    out_raw(",\"rows\":[");
    if (remote_open(&r, list, 4096)) {
        for (int i = 0; i < rows; i++) {
            out_raw(i ? ",{\"cells\":[" : "{\"cells\":[");
            for (int c = 0; c < cols; c++) {
                wchar_t buf[512];
                list_item_text(&r, list, i, c, buf, 512);
                if (c)
                    out_raw(",");
                out_wstr(buf);
            }
            UINT st = (UINT)SendMessageW(list, LVM_GETITEMSTATE, (WPARAM)i, LVIS_STATEIMAGEMASK);
            out_fmt("],\"checked\":%s}", (st >> 12) == 2 ? "true" : "false");
        }
    }
    remote_close(&r);
    out_raw("]");
}

/* ---- text fit: the extent a text needs in the control's own font (the
 * font handle from WM_GETFONT; GetObject on it gives its LOGFONT, which is
 * re-created here at the same height) against the room it has. */

static HFONT font_of(HWND h)
{
    HFONT f = (HFONT)SendMessageW(h, WM_GETFONT, 0, 0);
    LOGFONTW lf;
    if (f && GetObjectW(f, sizeof lf, &lf) == sizeof lf)
        return CreateFontIndirectW(&lf);
    return NULL;
}

/* Width and height text needs, wrapped at `wrap` pixels (0: one line). */
static SIZE text_need(HWND h, HFONT font, const wchar_t *text, int wrap)
{
    SIZE need = {0, 0};
    HDC dc = GetDC(h);
    HGDIOBJ old = SelectObject(dc, font ? (HGDIOBJ)font : GetStockObject(DEFAULT_GUI_FONT));
    RECT r = {0, 0, wrap > 0 ? wrap : 100000, 0};
    UINT flags = DT_CALCRECT | DT_NOPREFIX | DT_EXPANDTABS | (wrap > 0 ? DT_WORDBREAK : DT_SINGLELINE);
    DrawTextW(dc, text, -1, &r, flags);
    need.cx = r.right - r.left;
    need.cy = r.bottom - r.top;
    SelectObject(dc, old);
    ReleaseDC(h, dc);
    return need;
}

/* "fit": [need_w, need_h, room_w, room_h] for a static text or button;
 * list views report per column: header text and the widest cell. */
static void out_fit(HWND h, const wchar_t *cls, const wchar_t *text)
{
    RECT cr;
    GetClientRect(h, &cr);
    HFONT font = font_of(h);
    LONG style = GetWindowLongW(h, GWL_STYLE);
    if (_wcsicmp(cls, L"Static") == 0 && text[0] && (style & SS_TYPEMASK) <= SS_RIGHT) {
        SIZE n = text_need(h, font, text, cr.right);
        out_fmt(",\"fit\":[%ld,%ld,%ld,%ld]", n.cx, n.cy, cr.right, cr.bottom);
    } else if (_wcsicmp(cls, L"Button") == 0 && text[0]) {
        LONG type = style & BS_TYPEMASK;
        int box = (type == BS_CHECKBOX || type == BS_AUTOCHECKBOX || type == BS_RADIOBUTTON ||
                   type == BS_AUTORADIOBUTTON)
                      ? GetSystemMetrics(SM_CXMENUCHECK) + 4
                      : 8;
        wchar_t shown[512];
        size_t k = 0;
        for (const wchar_t *c = text; *c && k < 511; c++)
            if (*c != L'&' || c[1] == L'&')
                shown[k++] = *c;
        shown[k] = 0;
        SIZE n = text_need(h, font, shown, 0);
        out_fmt(",\"fit\":[%ld,%ld,%ld,%ld]", n.cx + box, n.cy, cr.right, cr.bottom);
    }
    if (font)
        DeleteObject(font);
}

static void out_list_fit(HWND list)
{
    HWND header = (HWND)SendMessageW(list, LVM_GETHEADER, 0, 0);
    int cols = header ? (int)SendMessageW(header, HDM_GETITEMCOUNT, 0, 0) : 0;
    int rows = (int)SendMessageW(list, LVM_GETITEMCOUNT, 0, 0);
    HFONT font = font_of(list);
    remote r = {0};
    BOOL ok = remote_open(&r, list, 4096);
    out_raw(",\"columns\":[");
    for (int c = 0; c < cols; c++) {
        int width = (int)SendMessageW(list, LVM_GETCOLUMNWIDTH, (WPARAM)c, 0);
        int widest = 0;
        for (int i = 0; ok && i < rows; i++) {
            wchar_t buf[512];
            list_item_text(&r, list, i, c, buf, 512);
            /* The width in the list view's own font, from the list view
             * (LVM_GETSTRINGWIDTH with the text in its process). */
            SIZE_T done;
            int w = 0;
            if (WriteProcessMemory(r.proc, r.mem, buf, (wcslen(buf) + 1) * sizeof *buf, &done))
                w = (int)SendMessageW(list, LVM_GETSTRINGWIDTHW, 0, (LPARAM)r.mem);
            else
                w = text_need(list, font, buf, 0).cx;
            if (w > widest)
                widest = w;
        }
        /* What LVSCW_AUTOSIZE adds to the text: the label's trailing
         * padding (12 px), and in the first column the check box's state
         * image. */
        int inset = 12;
        DWORD ex = (DWORD)SendMessageW(list, LVM_GETEXTENDEDLISTVIEWSTYLE, 0, 0);
        if (c == 0 && (ex & LVS_EX_CHECKBOXES)) {
            HIMAGELIST il = (HIMAGELIST)SendMessageW(list, LVM_GETIMAGELIST, LVSIL_STATE, 0);
            int iw = 0, ih = 0;
            if (il)
                ImageList_GetIconSize(il, &iw, &ih);
            if (iw <= 0) { /* the handle is the wizard's: its size by the DPI */
                HDC dc = GetDC(list);
                iw = MulDiv(16, GetDeviceCaps(dc, LOGPIXELSX), 96);
                ReleaseDC(list, dc);
            }
            inset += iw;
        }
        out_fmt("%s{\"width\":%d,\"widest\":%d,\"inset\":%d}", c ? "," : "", width, widest,
                inset);
    }
    out_raw("]");
    remote_close(&r);
    if (font)
        DeleteObject(font);
}

static void out_combo(HWND combo)
{
    int n = (int)SendMessageW(combo, CB_GETCOUNT, 0, 0);
    out_fmt(",\"selected\":%d,\"items\":[", (int)SendMessageW(combo, CB_GETCURSEL, 0, 0));
    for (int i = 0; i < n; i++) {
        wchar_t buf[512];
        int len = (int)SendMessageW(combo, CB_GETLBTEXTLEN, (WPARAM)i, 0);
        buf[0] = 0;
        if (len >= 0 && len < 512)
            SendMessageW(combo, CB_GETLBTEXT, (WPARAM)i, (LPARAM)buf);
        if (i)
            out_raw(",");
        out_wstr(buf);
    }
    out_raw("]");
}

static BOOL CALLBACK out_control(HWND h, LPARAM lp)
{
    HWND page = (HWND)lp;
    if (GetParent(h) != page)
        return TRUE;
    wchar_t cls[64], text[4096];
    GetClassNameW(h, cls, 64);
    get_text(h, text, 4096);
    static int first;
    out_raw(first++ ? "," : "");
    out_fmt("{\"id\":%d,\"class\":", GetDlgCtrlID(h));
    out_wstr(cls);
    out_raw(",\"text\":");
    out_wstr(text);
    out_fmt(",\"visible\":%s,\"enabled\":%s", IsWindowVisible(h) ? "true" : "false",
            IsWindowEnabled(h) ? "true" : "false");
    RECT rc;
    GetWindowRect(h, &rc);
    out_fmt(",\"rect\":[%ld,%ld,%ld,%ld]", rc.left, rc.top, rc.right, rc.bottom);
    out_fit(h, cls, text);
    if (_wcsicmp(cls, L"SysListView32") == 0) {
        out_list(h);
        out_list_fit(h);
    }
    else if (_wcsicmp(cls, L"ComboBox") == 0)
        out_combo(h);
    out_raw("}");
    return TRUE;
}

static void out_button(HWND sheet, const char *name, int id, int first)
{
    HWND b = GetDlgItem(sheet, id);
    wchar_t text[128];
    text[0] = 0;
    if (b)
        get_text(b, text, 128);
    out_fmt("%s\"%s\":{\"visible\":%s,\"enabled\":%s,\"text\":", first ? "" : ",", name,
            b && IsWindowVisible(b) ? "true" : "false", b && IsWindowEnabled(b) ? "true" : "false");
    out_wstr(text);
    out_raw("}");
}

static int step_of(HWND page)
{
    wchar_t text[128];
    HWND s = GetDlgItem(page, IDC_STEP);
    if (!s)
        return 0;
    get_text(s, text, 128);
    for (wchar_t *p = text; *p; p++)
        if (*p >= L'0' && *p <= L'9')
            return (int)wcstol(p, NULL, 10);
    return 0;
}

static void out_state(HWND sheet, BOOL ok)
{
    wchar_t caption[256], title[256];
    HWND page = sheet ? current_page(sheet) : NULL;
    out_fmt("{\"ok\":%s,\"found\":%s", ok ? "true" : "false", sheet ? "true" : "false");
    if (sheet) {
        get_text(sheet, caption, 256);
        out_raw(",\"caption\":");
        out_wstr(caption);
        RECT rc;
        GetWindowRect(sheet, &rc);
        out_fmt(",\"rect\":[%ld,%ld,%ld,%ld]", rc.left, rc.top, rc.right, rc.bottom);
        out_raw(",\"buttons\":{");
        out_button(sheet, "back", ID_PSBACK, 1);
        out_button(sheet, "next", ID_PSNEXT, 0);
        out_button(sheet, "finish", ID_PSFINISH, 0);
        out_button(sheet, "cancel", IDCANCEL, 0);
        out_raw("}");
    }
    if (page) {
        get_text(page, title, 256);
        out_raw(",\"title\":");
        out_wstr(title);
        out_fmt(",\"step\":%d", step_of(page));
        RECT rc;
        GetWindowRect(page, &rc);
        out_fmt(",\"page_rect\":[%ld,%ld,%ld,%ld]", rc.left, rc.top, rc.right, rc.bottom);
        out_raw(",\"controls\":[");
        EnumChildWindows(page, out_control, (LPARAM)page);
        out_raw("]");
    }
    out_raw("}");
    out_flush();
}

/* ---- commands */

static int usage(void)
{
    out_raw("{\"ok\":false,\"error\":\"usage\"}");
    out_flush();
    return 2;
}

static int button_id(const wchar_t *name)
{
    if (wcscmp(name, L"back") == 0)
        return ID_PSBACK;
    if (wcscmp(name, L"next") == 0)
        return ID_PSNEXT;
    if (wcscmp(name, L"finish") == 0)
        return ID_PSFINISH;
    if (wcscmp(name, L"cancel") == 0)
        return IDCANCEL;
    return 0;
}

static BOOL wait_holds(HWND sheet, int step, int enabled, int text_id, const wchar_t *substr)
{
    HWND page = current_page(sheet);
    if (!page)
        return FALSE;
    if (step && step_of(page) != step)
        return FALSE;
    if (enabled) {
        HWND b = GetDlgItem(sheet, enabled);
        if (!b || !IsWindowEnabled(b) || !IsWindowVisible(b))
            return FALSE;
    }
    if (text_id) {
        wchar_t text[4096];
        HWND c = GetDlgItem(page, text_id);
        if (!c)
            return FALSE;
        get_text(c, text, 4096);
        if (!wcsstr(text, substr))
            return FALSE;
    }
    return TRUE;
}

static int cmd_wait(int argc, wchar_t **argv)
{
    int step = 0, enabled = 0, text_id = 0;
    const wchar_t *substr = L"";
    DWORD timeout = 20000;
    for (int i = 2; i < argc; i++) {
        if (wcscmp(argv[i], L"--step") == 0 && i + 1 < argc)
            step = _wtoi(argv[++i]);
        else if (wcscmp(argv[i], L"--enabled") == 0 && i + 1 < argc)
            enabled = button_id(argv[++i]);
        else if (wcscmp(argv[i], L"--text") == 0 && i + 2 < argc) {
            text_id = _wtoi(argv[++i]);
            substr = argv[++i];
        } else if (wcscmp(argv[i], L"--timeout") == 0 && i + 1 < argc)
            timeout = (DWORD)_wtoi(argv[++i]);
        else
            return usage();
    }
    DWORD start = GetTickCount();
    HWND sheet = NULL;
    for (;;) {
        sheet = wizard();
        if (sheet && wait_holds(sheet, step, enabled, text_id, substr)) {
            /* Still so a moment later: a page that has just been switched to
             * may disable its buttons when its work starts; and the page
             * finishes painting before a screenshot. */
            Sleep(300);
            if (wait_holds(sheet, step, enabled, text_id, substr)) {
                out_state(sheet, TRUE);
                return 0;
            }
        }
        if (GetTickCount() - start > timeout)
            break;
        Sleep(100);
    }
    out_state(sheet, FALSE);
    return 1;
}

static int cmd_ping(HWND sheet, int count, int interval)
{
    DWORD max_ms = 0, misses = 0, total = 0;
    for (int i = 0; i < count; i++) {
        LARGE_INTEGER f, a, b;
        QueryPerformanceFrequency(&f);
        QueryPerformanceCounter(&a);
        DWORD_PTR r;
        if (!SendMessageTimeoutW(sheet, WM_NULL, 0, 0, SMTO_ABORTIFHUNG | SMTO_BLOCK, 200, &r))
            misses++;
        QueryPerformanceCounter(&b);
        DWORD ms = (DWORD)((b.QuadPart - a.QuadPart) * 1000 / f.QuadPart);
        total += ms;
        if (ms > max_ms)
            max_ms = ms;
        Sleep((DWORD)interval);
    }
    out_fmt("{\"ok\":%s,\"count\":%d,\"max_ms\":%lu,\"avg_ms\":%lu,\"misses\":%lu}",
            misses ? "false" : "true", count, (unsigned long)max_ms,
            (unsigned long)(count ? total / (DWORD)count : 0), (unsigned long)misses);
    out_flush();
    return misses ? 1 : 0;
}

/* LVM_SETITEMSTATE on a row of the wizard's list view (the LVITEM in its
 * process). False when the list is not there. */
static BOOL set_item_state(HWND list, int row, UINT mask, UINT state)
{
    remote r = {0};
    if (!list || !remote_open(&r, list, sizeof(LVITEMW))) {
        remote_close(&r);
        return FALSE;
    }
    LVITEMW item = {0};
    item.stateMask = mask;
    item.state = state;
    SIZE_T done;
    WriteProcessMemory(r.proc, r.mem, &item, sizeof item, &done);
    SendMessageW(list, LVM_SETITEMSTATE, (WPARAM)row, (LPARAM)r.mem);
    remote_close(&r);
    return TRUE;
}

/* Selects (and focuses) a list view row, as a click on it would. */
static int cmd_selectrow(HWND page, int id, int row)
{
    if (!set_item_state(GetDlgItem(page, id), row, LVIS_SELECTED | LVIS_FOCUSED,
                        LVIS_SELECTED | LVIS_FOCUSED))
        return usage();
    out_raw("{\"ok\":true}");
    out_flush();
    return 0;
}

static int cmd_check(HWND page, int id, int row, int on)
{
    HWND list = GetDlgItem(page, id);
    if (!set_item_state(list, row, LVIS_STATEIMAGEMASK, INDEXTOSTATEIMAGEMASK(on ? 2 : 1)))
        return usage();
    UINT st = (UINT)SendMessageW(list, LVM_GETITEMSTATE, (WPARAM)row, LVIS_STATEIMAGEMASK);
    out_fmt("{\"ok\":true,\"checked\":%s}", (st >> 12) == 2 ? "true" : "false");
    out_flush();
    return 0;
}

int wmain(int argc, wchar_t **argv);
int wmain(int argc, wchar_t **argv)
{
    if (argc < 2)
        return usage();
    const wchar_t *cmd = argv[1];
    if (wcscmp(cmd, L"wait") == 0)
        return cmd_wait(argc, argv);
    HWND sheet = wizard();
    if (wcscmp(cmd, L"state") == 0) {
        out_state(sheet, sheet != NULL);
        return sheet ? 0 : 1;
    }
    if (!sheet) {
        out_raw("{\"ok\":false,\"found\":false}");
        out_flush();
        return 1;
    }
    HWND page = current_page(sheet);
    if (wcscmp(cmd, L"press") == 0 && argc == 3) {
        static const struct {
            const wchar_t *name;
            int button;
        } map[] = {{L"back", PSBTN_BACK},
                   {L"next", PSBTN_NEXT},
                   {L"finish", PSBTN_FINISH},
                   {L"cancel", PSBTN_CANCEL}};
        for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
            if (wcscmp(argv[2], map[i].name) == 0) {
                PostMessageW(sheet, PSM_PRESSBUTTON, (WPARAM)map[i].button, 0);
                out_raw("{\"ok\":true}");
                out_flush();
                return 0;
            }
        }
        return usage();
    }
    if (wcscmp(cmd, L"click") == 0 && argc == 3 && page) {
        HWND c = GetDlgItem(page, _wtoi(argv[2]));
        if (!c)
            return usage();
        PostMessageW(c, BM_CLICK, 0, 0);
        out_raw("{\"ok\":true}");
        out_flush();
        return 0;
    }
    if (wcscmp(cmd, L"settext") == 0 && argc == 4 && page) {
        HWND c = GetDlgItem(page, _wtoi(argv[2]));
        DWORD_PTR r;
        if (!c || !SendMessageTimeoutW(c, WM_SETTEXT, 0, (LPARAM)argv[3], SMTO_ABORTIFHUNG, 2000,
                                       &r))
            return usage();
        out_raw("{\"ok\":true}");
        out_flush();
        return 0;
    }
    /* type ID TEXT: empties the control, then sends TEXT one WM_CHAR at a
     * time, as a keyboard does (WM_SETTEXT would hand the whole text to the
     * wizard's process in a buffer of Wine's that no one wipes: the memory
     * test, tests/wine/test_send_memory.py, types). */
    if (wcscmp(cmd, L"type") == 0 && argc == 4 && page) {
        HWND c = GetDlgItem(page, _wtoi(argv[2]));
        DWORD_PTR r;
        if (!c || !SendMessageTimeoutW(c, WM_SETTEXT, 0, (LPARAM)L"", SMTO_ABORTIFHUNG, 2000, &r))
            return usage();
        for (const wchar_t *ch = argv[3]; *ch; ch++)
            if (!SendMessageTimeoutW(c, WM_CHAR, (WPARAM)*ch, 1, SMTO_ABORTIFHUNG, 2000, &r))
                return usage();
        out_raw("{\"ok\":true}");
        out_flush();
        return 0;
    }
    if (wcscmp(cmd, L"select") == 0 && argc == 4 && page) {
        int id = _wtoi(argv[2]);
        HWND c = GetDlgItem(page, id);
        if (!c)
            return usage();
        SendMessageW(c, CB_SETCURSEL, (WPARAM)_wtoi(argv[3]), 0);
        SendMessageW(page, WM_COMMAND, MAKEWPARAM(id, CBN_SELCHANGE), (LPARAM)c);
        out_raw("{\"ok\":true}");
        out_flush();
        return 0;
    }
    if (wcscmp(cmd, L"selectrow") == 0 && argc == 4 && page)
        return cmd_selectrow(page, _wtoi(argv[2]), _wtoi(argv[3]));
    if (wcscmp(cmd, L"check") == 0 && argc == 5 && page)
        return cmd_check(page, _wtoi(argv[2]), _wtoi(argv[3]), _wtoi(argv[4]));
    if (wcscmp(cmd, L"ping") == 0 && argc == 4)
        return cmd_ping(sheet, _wtoi(argv[2]), _wtoi(argv[3]));
    if (wcscmp(cmd, L"close") == 0) {
        PostMessageW(sheet, WM_CLOSE, 0, 0);
        out_raw("{\"ok\":true}");
        out_flush();
        return 0;
    }
    return usage();
}
