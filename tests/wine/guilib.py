#!/usr/bin/python3
"""guilib: drives the wizard window under Wine for the GUI tests and the demo.

    import winebench, guilib
    with winebench.Prefix() as p:
        guilib.seed_micnet(p)                       # OE + Thunderbird accounts
        with guilib.Wizard(p, "--lang", "ja") as wz:
            st = wz.wait(step=1, enabled="next")    # the page as JSON
            wz.shot(out_dir / "01-welcome.png")
            wz.press("next")

The driver is tests/wine/guidriver.c (built by the win64 preset into
dist/x64/tests/guidriver.exe, next to the exe under test): one command per
run, one line of JSON back. Screenshots are `import -window root` cropped
to the wizard's window.
"""

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import winebench

HERE = Path(__file__).resolve().parent
DATA = Path(os.environ.get("MAILSETUP_TEST_DATA", HERE.parent / "data")) / "gui"

# Control ids (resources/resource.h).
IDC_TITLE, IDC_BODY, IDC_STEP, IDC_LIST, IDC_STATUS, IDC_RETRY = 1000, 1001, 1002, 1003, 1004, 1005
IDC_MANUAL_LINK, IDC_ACCOUNT, IDC_PASSWORD, IDC_HINT, IDC_PROGRESS = 1006, 1008, 1010, 1011, 1012
IDC_BACKUP, IDC_DIAG, IDC_TO_PASSWORD, IDC_PROGRAM, IDC_CODE = 1014, 1015, 1016, 1018, 1020
IDC_OPEN_LOG, IDC_COPY_REPORT, IDC_UNDO, IDC_SUPPORT = 1021, 1022, 1023, 1024

# The page of each step in the normal run (no manual page).
STEPS = {1: "welcome", 2: "programs", 3: "password", 4: "changes", 5: "apply",
         6: "test", 7: "finish"}

PASSWORD = "micnet-pass"
ACCOUNTS = {"taro": PASSWORD, "hanako": PASSWORD}


def driver_exe(exe):
    """guidriver.exe beside the exe under test (env MAILSETUP_GUIDRIVER wins)."""
    env = os.environ.get("MAILSETUP_GUIDRIVER")
    if env:
        return Path(env)
    # dist/x64/tests/ holds both the test-hook exe and the driver.
    here = Path(exe).parent
    return here / "guidriver.exe" if here.name == "tests" else here / "tests" / "guidriver.exe"


def seed_micnet(p, oe=True, thunderbird=True):
    """The sample PC: MicNet accounts in Outlook Express and Thunderbird."""
    if oe:
        p.reg_import(DATA / "oe-micnet.reg")
    if thunderbird:
        dst = Path(p.path("appdata")) / "Thunderbird"
        shutil.copytree(DATA / "thunderbird", dst, dirs_exist_ok=True)


def thunderbird_prefs(p):
    return (Path(p.path("appdata")) / "Thunderbird" / "Profiles" / "m1cn3t00.default" /
            "prefs.js").read_text(encoding="utf-8")


class Wizard:
    """The wizard running in prefix p (started by `with`)."""

    def __init__(self, p, *args, exe=None):
        self.p = p
        self.exe = Path(exe) if exe else p.exe
        self.driver = driver_exe(self.exe)
        self.args = args
        self.proc = None

    def __enter__(self):
        self.proc = self.p.popen(*self.args, exe=self.exe, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        return self

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.drive("close", check=False)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return False

    def drive(self, *args, check=True, timeout=90):
        r = self.p.run(*args, exe=self.driver, timeout=timeout)
        line = r.stdout.strip().splitlines()[-1] if r.stdout.strip() else "{}"
        if line == "{}":
            # guidriver always prints a JSON line; none means it did not run
            # (Wine failed to start it): say so instead of an empty state.
            print(f"guidriver {' '.join(map(str, args))}: no output, exit {r.returncode}, "
                  f"stderr {r.stderr[-2000:]!r}")
        try:
            out = json.loads(line)
        except json.JSONDecodeError as e:
            raise AssertionError(f"guidriver {args}: not JSON: {r.stdout!r} {r.stderr!r}") from e
        if check and r.returncode != 0:
            raise AssertionError(f"guidriver {' '.join(map(str, args))} failed: {line}")
        return out

    def state(self):
        return self.drive("state", check=False)

    def wait(self, step=None, enabled=None, text=None, timeout_ms=40000):
        """Waits for the page of `step` with button `enabled` usable (and
        control text[0] containing text[1]); returns the page's state."""
        args = ["wait", "--timeout", str(timeout_ms)]
        if step:
            args += ["--step", str(step)]
        if enabled:
            args += ["--enabled", enabled]
        if text:
            args += ["--text", str(text[0]), text[1]]
        st = self.drive(*args, check=False, timeout=timeout_ms / 1000 + 60)
        if not st.get("ok"):
            raise AssertionError(f"wizard did not reach step={step} enabled={enabled} "
                                 f"text={text}: {json.dumps(st, ensure_ascii=False)[:3000]}")
        return st

    def press(self, button):
        return self.drive("press", button)

    def click(self, ctl):
        return self.drive("click", str(ctl))

    def settext(self, ctl, text):
        return self.drive("settext", str(ctl), text)

    def ping(self, count, interval_ms):
        return self.drive("ping", str(count), str(interval_ms), check=False)

    def shot(self, path, state=None):
        """Screenshot of the screen (import -window root), cropped to the
        wizard's window when its rectangle is known."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        st = state or self.state()
        cmd = ["import", "-window", "root"]
        rect = st.get("rect")
        if rect:
            l, t, r, b = rect
            l, t = max(l, 0), max(t, 0)
            cmd += ["-crop", f"{r - l}x{b - t}+{l}+{t}", "+repage"]
        env = dict(os.environ, DISPLAY=self.p.display)
        subprocess.run(cmd + [str(path)], env=env, check=True, timeout=30)
        return path


def control(state, ctl_id):
    for c in state.get("controls", []):
        if c["id"] == ctl_id:
            return c
    raise AssertionError(f"no control {ctl_id} on page {state.get('title')!r}")


def text_of(state, ctl_id):
    return control(state, ctl_id)["text"]


def clipped_controls(state):
    """Controls that stick out of their page (a layout that does not fit)."""
    pl, pt, pr, pb = state["page_rect"]
    bad = []
    for c in state.get("controls", []):
        if not c["visible"]:
            continue
        l, t, r, b = c["rect"]
        if l < pl or t < pt or r > pr + 1 or b > pb + 1:
            bad.append(c["id"])
    return bad


def wait_until(fn, timeout=20, what="condition"):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        v = fn()
        if v:
            return v
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")
