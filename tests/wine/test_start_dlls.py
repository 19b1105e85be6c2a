#!/usr/bin/python3
"""What a start of the shipped mailsetup.exe loads (docs/performance.md,
"The first window"; docs/security.md, "Hardening").

shell32, ole32, ws2_32, comctl32 and crypt32 are delay-loaded
(cmake/delayload.cmake): no start needs them, and under Wine loading them
at start made `--version` (every verb's start) 1.43 x a minimal program's
instead of 0.99 x, and the first window 299 instead of 289 ms. This test
fails when one of them is back on the path:

1. `--version` loads none of them (nor the CryptoAPI's rsaenh and bcrypt);
2. the wizard's first window is on screen before shell32, ws2_32 or crypt32
   is loaded (comctl32 itself loads ole32 under Wine, so ole32 is not
   checked there), and the comctl32 it uses is version 6 from WinSxS (the
   manifest's activation context still redirects the delayed load);
3. the command line is split by the C runtime now (not CommandLineToArgvW):
   a profile path with spaces and Japanese in it, and an empty argument,
   reach the verb as typed;
4. a delay-loaded DLL still loads when needed: a `scan` (which looks up
   the known folders through shell32) works and loads shell32. (The other
   delayed DLLs are used by the account, send and GUI tests.)
"""
import shutil
import subprocess
import sys
import tempfile

import winebench

LATE_DLLS = ("shell32.dll", "ole32.dll", "ws2_32.dll", "comctl32.dll", "crypt32.dll",
             "rsaenh.dll", "bcrypt.dll")
NOT_BEFORE_WINDOW = ("shell32.dll", "ws2_32.dll", "crypt32.dll", "rsaenh.dll", "bcrypt.dll")
PROFILE = winebench.SOURCE_DIR / "isp-profiles" / "117net.json"


def fail(msg, r=None):
    print("FAIL:", msg)
    if r is not None:
        print(f"  exit {r.returncode}\n  stdout: {r.stdout!r}\n  stderr: {r.stderr[-2000:]!r}")
    sys.exit(1)


def loaded_dlls(trace):
    """The lower-case paths the shipped exe's process loaded."""
    return winebench.loaded_modules(trace, winebench.SHIPPED_EXE)


def basename(path):
    return path.rsplit("\\", 1)[-1]


def check_version(p):
    r = p.run("--version", exe=winebench.SHIPPED_EXE, env={"WINEDEBUG": "+pid,+loaddll"})
    if r.returncode != 0 or not r.stdout.startswith("mailsetup "):
        fail("--version", r)
    names = [basename(m) for m in loaded_dlls(r.stderr)]
    if "user32.dll" not in names:
        fail("no DLL trace to read (WINEDEBUG=+pid,+loaddll)", r)
    bad = sorted(set(names) & set(LATE_DLLS))
    if bad:
        fail(f"--version loaded {', '.join(bad)}")
    print(f"ok   --version loads {len(names)} modules, none of {', '.join(LATE_DLLS)}")


def check_first_window(p):
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as trace:
        env = dict(p.env, WINEDEBUG="+pid,+loaddll")
        proc = subprocess.Popen([winebench.WINE, str(winebench.SHIPPED_EXE)], env=env,
                                stdout=subprocess.DEVNULL, stderr=trace, stdin=subprocess.DEVNULL)
        try:
            if not p.wait_for_window(proc, 60):
                fail(f"the wizard exited ({proc.returncode}) before showing a window")
            trace.seek(0)
            paths = loaded_dlls(trace.read())
        finally:
            proc.kill()
            proc.wait()
    names = [basename(m) for m in paths]
    comctl = [m for m in paths if basename(m) == "comctl32.dll"]
    if not comctl:
        fail(f"no comctl32 in the trace up to the first window: {names}")
    if not all("\\winsxs\\" in m and "common-controls" in m and "_6.0." in m for m in comctl):
        fail(f"the first window's comctl32 is not version 6 from WinSxS: {comctl}")
    bad = sorted(set(names) & set(NOT_BEFORE_WINDOW))
    if bad:
        fail(f"the first window waited for {', '.join(bad)}")
    print(f"ok   first window after {len(names)} modules, none of {', '.join(NOT_BEFORE_WINDOW)}; "
          f"comctl32 6.0 from WinSxS")


def check_arguments(p):
    folder = p.path("c") / "プロファイル 置き場"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "isp profile 1.json"
    shutil.copyfile(PROFILE, target)
    r = p.run("profile", "check", p.winpath(target), exe=winebench.SHIPPED_EXE)
    if r.returncode != 0 or "OK (117net" not in r.stdout:
        fail("a path with spaces and Japanese did not reach `profile check` whole", r)
    print("ok   a path with spaces and Japanese reaches the verb whole")
    r = p.run("profile", "check", "", exe=winebench.SHIPPED_EXE)
    if r.returncode == 0 or "[E03]" not in r.stderr:
        fail("an empty argument was not kept as one (want [E03] for the empty file name)", r)
    print("ok   an empty argument is kept (E03 for the empty file name)")


def check_late_load(p):
    r = p.run("--profile", p.winpath(PROFILE), "scan", exe=winebench.SHIPPED_EXE,
              env={"WINEDEBUG": "+pid,+loaddll"})
    names = [basename(m) for m in loaded_dlls(r.stderr)]
    if r.returncode not in (0, 4) or "shell32.dll" not in names:
        fail(f"scan (exit {r.returncode}) should work and load shell32 on first use", r)
    print(f"ok   scan loads shell32 when it needs it (exit {r.returncode})")


def main():
    with winebench.Prefix(name="start-dlls") as p:
        check_version(p)
        check_first_window(p)
        check_arguments(p)
        check_late_load(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
