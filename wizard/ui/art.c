/* art: the Wizard97 watermark (welcome and finish pages) and header bitmap,
 * drawn at run time in the ISP's accent colour from the profile, so a
 * per-ISP build needs no artwork of its own. Pictures only, no text. */
#include "ui.h"

static COLORREF mix(COLORREF a, COLORREF b, int num, int den)
{
    int r = GetRValue(a) + (GetRValue(b) - GetRValue(a)) * num / den;
    int g = GetGValue(a) + (GetGValue(b) - GetGValue(a)) * num / den;
    int bl = GetBValue(a) + (GetBValue(b) - GetBValue(a)) * num / den;
    return RGB(r, g, bl);
}

/* An envelope: the picture of "mail" without words. */
static void draw_envelope(HDC dc, int x, int y, int w, int h, COLORREF line)
{
    HPEN pen = CreatePen(PS_SOLID, w >= 60 ? 3 : 2, line);
    HGDIOBJ old_pen = SelectObject(dc, pen);
    HGDIOBJ old_brush = SelectObject(dc, GetStockObject(NULL_BRUSH));
    Rectangle(dc, x, y, x + w, y + h);
    MoveToEx(dc, x, y, NULL);
    LineTo(dc, x + w / 2, y + h * 5 / 9);
    LineTo(dc, x + w - 1, y);
    SelectObject(dc, old_brush);
    SelectObject(dc, old_pen);
    DeleteObject(pen);
}

static HBITMAP new_bitmap(HDC screen, int w, int h, HDC *dc, HGDIOBJ *old)
{
    HBITMAP bmp = CreateCompatibleBitmap(screen, w, h);
    *dc = CreateCompatibleDC(screen);
    *old = SelectObject(*dc, bmp);
    return bmp;
}

HBITMAP ms_art_watermark(COLORREF accent)
{
    /* 164 x 314 pixels: the Wizard97 exterior page's watermark. */
    const int w = 164, h = 314;
    HDC screen = GetDC(NULL), dc;
    HGDIOBJ old;
    HBITMAP bmp = new_bitmap(screen, w, h, &dc, &old);
    COLORREF light = mix(accent, RGB(255, 255, 255), 3, 5);
    for (int y = 0; y < h; y++) {
        HBRUSH b = CreateSolidBrush(mix(accent, light, y, h));
        RECT r = {0, y, w, y + 1};
        FillRect(dc, &r, b);
        DeleteObject(b);
    }
    draw_envelope(dc, 32, 60, 100, 66, RGB(255, 255, 255));
    /* A path leaving the envelope: the mail on its way (port 587). */
    HPEN pen = CreatePen(PS_DOT, 1, RGB(255, 255, 255));
    HGDIOBJ op = SelectObject(dc, pen);
    MoveToEx(dc, 82, 140, NULL);
    LineTo(dc, 82, 250);
    SelectObject(dc, op);
    DeleteObject(pen);
    draw_envelope(dc, 62, 256, 40, 26, RGB(255, 255, 255));
    SelectObject(dc, old);
    DeleteDC(dc);
    ReleaseDC(NULL, screen);
    return bmp;
}

HBITMAP ms_art_header(COLORREF accent)
{
    const int w = 49, h = 49;
    HDC screen = GetDC(NULL), dc;
    HGDIOBJ old;
    HBITMAP bmp = new_bitmap(screen, w, h, &dc, &old);
    RECT r = {0, 0, w, h};
    HBRUSH b = CreateSolidBrush(accent);
    FillRect(dc, &r, b);
    DeleteObject(b);
    draw_envelope(dc, 8, 13, 33, 23, RGB(255, 255, 255));
    SelectObject(dc, old);
    DeleteDC(dc);
    ReleaseDC(NULL, screen);
    return bmp;
}
