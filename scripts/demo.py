#!/usr/bin/python3
"""demo: the wizard on a demo PC under Wine, clicked through by the GUI
driver, with a screenshot of each page (called by scripts/demo, which
installs and builds first).

The demo PC is build/demo/prefix, a copy of the Wine test bench's template
prefix (Japanese fonts substituted), seeded from tests/data/gui/: MicNet
accounts in Outlook Express (taro@micnet.ne.jp) and Thunderbird
(hanako@micnet.ne.jp) plus another provider's account that stays as it is.
The local SMTP server (tests/wine/smtpd.py) listens on 127.0.0.1; the wizard
is told to connect there for smtp.micnet.ne.jp (--test-server, a curl
--resolve entry: the name the account uses stays). Mail password of both
sample accounts: micnet-pass.

Screenshots: build/demo/ja/NN-page.png, build/demo/ja-undo/..., build/demo/en/...,
and build/demo/ja-192dpi/... (every page at 200 % scaling)
"""
import os
import shutil
import subprocess
import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "wine"))

import guilib  # noqa: E402
import smtpd  # noqa: E402
import winebench  # noqa: E402
from guilib import IDC_ACCOUNT, IDC_CODE, IDC_MANUAL_LINK, IDC_PASSWORD  # noqa: E402

OUT = ROOT / "build" / "demo"
# The test-hook build: --test-server points the test send at the local server.
EXE = Path(os.environ.get("MAILSETUP_EXE", ROOT / "dist" / "x64" / "tests" / "mailsetup.exe"))


def say(msg):
    print(f"demo: {msg}", flush=True)


def demo_prefix():
    """A winebench.Prefix whose WINEPREFIX is build/demo/prefix (kept after
    the demo, so it can be looked at or run again)."""
    template = winebench.ensure_template()
    root = OUT / "prefix"
    if root.exists():
        subprocess.run(["wineserver", "-k"], env=dict(os.environ, WINEPREFIX=str(root)),
                       capture_output=True)
        shutil.rmtree(root)
    root.parent.mkdir(parents=True, exist_ok=True)
    winebench._copy_prefix(template, root)
    p = winebench.Prefix(name="demo", exe=EXE)
    p.root = root
    if os.environ.get("DISPLAY"):
        p._xvfb = types.SimpleNamespace(display=os.environ["DISPLAY"], stop=lambda: None)
        say(f"showing the wizard on {os.environ['DISPLAY']}")
    else:
        p._xvfb = winebench._Xvfb()
        say(f"no $DISPLAY: running on Xvfb {p._xvfb.display}")
    p.env = winebench._env(root, p._xvfb.display, {"LANG": "ja_JP.UTF-8", "LC_ALL": "ja_JP.UTF-8"})
    return p


def set_dpi(p, dpi):
    """The user's scaling (HKCU\\Control Panel\\Desktop\\LogPixels)."""
    reg = OUT / "dpi.reg"
    reg.write_text("REGEDIT4\r\n\r\n[HKEY_CURRENT_USER\\Control Panel\\Desktop]\r\n"
                   f'"LogPixels"=dword:{dpi:08x}\r\n\r\n', encoding="ascii")
    p.reg_import(reg)
    reg.unlink()


def click_through(p, srv, lang, shots):
    """Every page of a normal run: returns the support code shown at the end."""
    with guilib.Wizard(p, "--lang", lang, "--test-server", f"127.0.0.1:{srv.port}") as wz:
        def page(step, name, enabled="next"):
            st = wz.wait(step=step, enabled=enabled)
            path = wz.shot(shots / f"{step:02d}-{name}.png", st)
            say(f"  {path.relative_to(ROOT)}  ({st['title']})")
            return st

        page(1, "welcome")
        wz.press("next")
        page(2, "programs")
        # The page for programs the wizard cannot change, and back.
        wz.click(IDC_MANUAL_LINK)
        st = wz.wait(step=2, enabled="next", text=(guilib.IDC_PROGRAM, ""))
        path = wz.shot(shots / "02b-manual-steps.png", st)
        say(f"  {path.relative_to(ROOT)}  ({st['title']})")
        wz.press("back")
        wz.wait(step=2, enabled="next", text=(guilib.IDC_RETRY, ""))
        wz.press("next")
        st = wz.wait(step=3, enabled="next")
        for i in range(len(guilib.control(st, IDC_ACCOUNT)["items"])):
            wz.drive("select", str(IDC_ACCOUNT), str(i))
            wz.settext(IDC_PASSWORD, guilib.PASSWORD)
        page(3, "password")
        wz.press("next")
        page(4, "changes")
        wz.press("next")
        page(5, "apply")
        wz.press("next")
        page(6, "test-send")
        wz.press("next")
        st = page(7, "finish", enabled="finish")
        wz.press("finish")
        wz.proc.wait(30)
        return guilib.text_of(st, IDC_CODE)


def undo(p, shots):
    with guilib.Wizard(p, "--lang", "ja", "--undo") as wz:
        st = wz.wait(step=1, enabled="next")
        say(f"  {wz.shot(shots / '01-undo-confirm.png', st).relative_to(ROOT)}  ({st['title']})")
        wz.press("next")
        st = wz.wait(step=2, enabled="finish")
        say(f"  {wz.shot(shots / '02-undo-done.png', st).relative_to(ROOT)}")
        wz.press("finish")
        wz.proc.wait(30)


def interactive(p, srv):
    say("the wizard is open on the demo PC; mail password: " + guilib.PASSWORD)
    proc = p.popen("--test-server", f"127.0.0.1:{srv.port}")
    proc.wait()


def main(argv):
    if not EXE.exists():
        sys.exit(f"demo: {EXE} is missing; run bash scripts/demo without --no-build")
    for old in ("ja", "ja-undo", "en", "ja-192dpi"):
        shutil.rmtree(OUT / old, ignore_errors=True)
    p = demo_prefix()
    try:
        guilib.seed_micnet(p)
        say(f"demo PC: {p.root.relative_to(ROOT)} (Outlook Express + Thunderbird, MicNet)")
        with smtpd.Server(smtpd.make_pki(OUT / "pki"), record=OUT / "smtp-sessions.json",
                          tls="none", accounts=guilib.ACCOUNTS) as srv:
            say(f"local SMTP server for smtp.micnet.ne.jp: 127.0.0.1:{srv.port}")
            say("Japanese:")
            code = click_through(p, srv, "ja", OUT / "ja")
            say(f"  support code: {code}")
            say("undo (mailsetup.exe --undo):")
            undo(p, OUT / "ja-undo")
            say("English:")
            code = click_through(p, srv, "en", OUT / "en")
            say(f"  support code: {code}")
            # At 200 % (192 dpi), as on a high-resolution laptop: undo the
            # English run's change, then every page again in Japanese.
            say("Japanese at 192 dpi (200 %):")
            r = p.run("undo", "--yes")
            if r.returncode != 0:
                sys.exit(f"demo: undo before the 192-dpi run: exit {r.returncode} {r.stderr}")
            set_dpi(p, 192)
            try:
                code = click_through(p, srv, "ja", OUT / "ja-192dpi")
            finally:
                set_dpi(p, 96)
            say(f"  support code: {code}")
            sessions = srv.wait_sessions(1)
            sent = sum(len(s["messages"]) for s in sessions)
            say(f"the SMTP server received {sent} test messages "
                f"(record: {(OUT / 'smtp-sessions.json').relative_to(ROOT)})")
            if "--interactive" in argv:
                interactive(p, srv)
    finally:
        subprocess.run(["wineserver", "-k"], env=p.env, capture_output=True, timeout=30)
        subprocess.run(["wineserver", "-w"], env=p.env, capture_output=True, timeout=60)
        p._xvfb.stop()
    shots = sorted(OUT.glob("*/*.png"))
    say(f"{len(shots)} screenshots in {OUT}/ :")
    for s in shots:
        print(f"  {s}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
