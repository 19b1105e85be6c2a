#!/usr/bin/python3
"""Text fit at 96, 144 and 192 dpi (100 %, 150 %, 200 %), one language per
run: the wizard driven through every page (welcome, programs, manual steps,
password, changes with the pre-flight check, applying, test send, finish,
and the two pages of --undo) on the sample PC (MicNet in Outlook Express
and Thunderbird, another provider's account); on each page every visible
text control's text, measured by tests/wine/guidriver.c in the control's
own font, must fit its client rectangle (wrapped width and height; a
button's text on one line), and every list column must hold its widest
cell (the list view's own string width plus the padding LVSCW_AUTOSIZE
adds). No control may stick out of its page. Screenshots at each DPI go to
build/screenshots/dpi/<lang>-<dpi>/.

    test_gui_dpi.py ja|en

The header band (title and subtitle above the page) is drawn by comctl32,
not by a control: Wine's comctl32 draws them at fixed pixel positions
(docs/testing.md), so it is not measured here.
"""
import json
import os
import sys
import tempfile
from pathlib import Path

import guilib
import smtpd
import winebench
from guilib import IDC_ACCOUNT, IDC_DIAG, IDC_MANUAL_LINK, IDC_PASSWORD

SHOTS = Path(os.environ.get("MAILSETUP_SCREENSHOTS",
                            winebench.SOURCE_DIR / "build" / "screenshots")) / "dpi"
DPIS = (96, 144, 192)


def fail(msg, state=None):
    print("FAIL:", msg)
    if state is not None:
        print(json.dumps(state, ensure_ascii=False, indent=1)[:6000])
    sys.exit(1)


def misfits(st):
    """Every control of the page whose text does not fit, as readable
    strings."""
    bad = []
    for c in st.get("controls", []):
        if not c["visible"]:
            continue
        fit = c.get("fit")
        if fit and c["text"]:
            nw, nh, rw, rh = fit
            if nw > rw + 1 or nh > rh + 1:
                bad.append(f"{c['id']} {c['class']} {c['text'][:40]!r}: needs {nw}x{nh}, "
                           f"has {rw}x{rh}")
        for k, col in enumerate(c.get("columns", [])):
            if col["widest"] and col["widest"] + col["inset"] > col["width"] + 1:
                bad.append(f"{c['id']} column {k}: widest {col['widest']} + {col['inset']} "
                           f"> {col['width']}")
    return bad


def check(wz, st, where, shots, name):
    wz.shot(shots / f"{name}.png", st)
    bad = misfits(st)
    if bad:
        fail(f"{where}: text does not fit:\n  " + "\n  ".join(bad), st)
    out = guilib.clipped_controls(st)
    if out:
        fail(f"{where}: controls {out} stick out of the page", st)


def set_dpi(p, dpi):
    with tempfile.TemporaryDirectory() as tmp:
        reg = Path(tmp) / "dpi.reg"
        reg.write_text("REGEDIT4\r\n\r\n[HKEY_CURRENT_USER\\Control Panel\\Desktop]\r\n"
                       f'"LogPixels"=dword:{dpi:08x}\r\n\r\n', encoding="ascii")
        p.reg_import(reg)


def run(lang, dpi):
    shots = SHOTS / f"{lang}-{dpi}"
    with winebench.Prefix(lang="ja_JP.UTF-8" if lang == "ja" else None) as p, \
            smtpd.Server(smtpd.make_pki(p.root / "pki"), tls="none",
                         accounts=guilib.ACCOUNTS) as srv:
        guilib.seed_micnet(p)
        set_dpi(p, dpi)
        with guilib.Wizard(p, "--lang", lang, "--test-server", f"127.0.0.1:{srv.port}") as wz:
            where = f"{lang} {dpi} dpi"
            st = wz.wait(step=1, enabled="next")
            check(wz, st, f"{where} welcome", shots, "01-welcome")
            wz.press("next")
            st = wz.wait(step=2, enabled="next")
            # The whole sentence of a row goes to the box below when it is
            # selected: select the other provider's account.
            check(wz, st, f"{where} programs", shots, "02-programs")
            short = {"ja": ("変更が必要", "設定済み", "対象外", "手で設定"),
                     "en": ("To change", "Already set", "Not this ISP's", "Set by hand")}[lang]
            states = [r["cells"][2] for r in guilib.control(st, guilib.IDC_LIST)["rows"]]
            if sorted(set(states)) != sorted({short[0], short[2]}):
                fail(f"{where}: states {states}, want the short ones", st)
            other = states.index(short[2])
            wz.drive("selectrow", str(guilib.IDC_LIST), str(other))
            st = wz.wait(step=2, enabled="next", text=(guilib.IDC_STATUS, "t-yamada@example.co.jp"))
            sentence = {"ja": "このプロバイダーのアカウントではないため、変更しません。",
                        "en": "Not this provider's account; left unchanged."}[lang]
            if sentence not in guilib.text_of(st, guilib.IDC_STATUS):
                fail(f"{where}: the selected row's whole sentence is not below the list", st)
            check(wz, st, f"{where} programs, a row selected", shots, "02-programs-selected")
            wz.click(IDC_MANUAL_LINK)
            st = wz.wait(step=2, enabled="next", text=(IDC_DIAG, "1."))
            check(wz, st, f"{where} manual steps", shots, "02-manual")
            wz.press("back")
            wz.wait(step=2, enabled="next")
            wz.press("next")
            st = wz.wait(step=3, enabled="next")
            check(wz, st, f"{where} password", shots, "03-password")
            combo = guilib.control(st, IDC_ACCOUNT)
            for i in range(len(combo["items"])):
                wz.drive("select", str(IDC_ACCOUNT), str(i))
                wz.settext(IDC_PASSWORD, guilib.PASSWORD)
            wz.press("next")
            st = wz.wait(step=4, enabled="next")
            check(wz, st, f"{where} changes", shots, "04-changes")
            wz.press("next")
            st = wz.wait(step=5, enabled="next")
            check(wz, st, f"{where} applying", shots, "05-apply")
            wz.press("next")
            st = wz.wait(step=6, enabled="next")
            check(wz, st, f"{where} test send", shots, "06-test-send")
            wz.press("next")
            st = wz.wait(step=7, enabled="finish")
            check(wz, st, f"{where} finish", shots, "07-finish")
            wz.press("finish")
            wz.proc.wait(20)
        with guilib.Wizard(p, "--lang", lang, "--undo") as wz:
            st = wz.wait(step=1, enabled="next")
            check(wz, st, f"{where} undo", shots, "u1-undo")
            wz.press("next")
            st = wz.wait(step=2, enabled="finish")
            check(wz, st, f"{where} undone", shots, "u2-undone")
            wz.press("finish")
            wz.proc.wait(20)
    print(f"OK: every page's text fits at {dpi} dpi ({lang}); screenshots in {shots}")


def main(argv):
    lang = argv[0] if argv else "ja"
    for dpi in DPIS:
        run(lang, dpi)


if __name__ == "__main__":
    main(sys.argv[1:])
