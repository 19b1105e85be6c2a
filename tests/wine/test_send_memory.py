#!/usr/bin/python3
"""No copy of the password in the process's memory (docs/security.md,
issue 13): `test-send` (password on stdin, AUTH PLAIN over clear text or
STARTTLS to tests/wine/smtpd.py) pauses just before exit (test-hook build,
MAILSETUP_TEST_PAUSE_FILE), and every readable mapping of the Wine
process, read from Linux at /proc/PID/mem, is searched for the password in
ASCII, UTF-16LE and the base64 forms of AUTH PLAIN and LOGIN. With `gui`:
the wizard, after its test send (micnet, clear text), open on the finish
page; its changes page must also carry the clear-text sentence.

    test_send_memory.py none|starttls|gui
"""
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import sendlib
import smtpd
import winebench
from sendlib import fail


def scan_memory(pid, forms=None, control=None):
    """{form: count} of the password's forms in the process's memory, and
    the bytes read."""
    found, total = {}, 0
    forms = dict(forms or sendlib.secret_forms())
    # The control: the sender's address is not a secret and stays in memory;
    # a scan that cannot find it is reading the wrong process.
    forms["control"] = control or sendlib.FROM.encode()
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", 0) as mem:
        for line in maps:
            m = re.match(r"([0-9a-f]+)-([0-9a-f]+) (\S+)", line)
            lo, hi, perms = int(m.group(1), 16), int(m.group(2), 16), m.group(3)
            if perms[0] != "r" or "[vvar]" in line or "[vsyscall]" in line:
                continue
            try:
                mem.seek(lo)
                data = mem.read(hi - lo)
            except (OSError, ValueError, OverflowError):
                continue
            total += len(data)
            for name, form in forms.items():
                n = data.count(form)
                if n:
                    found[name] = found.get(name, 0) + n
    return found, total


def gui():
    import guilib
    from guilib import IDC_ACCOUNT, IDC_DIAG, IDC_PASSWORD, text_of
    with winebench.Prefix() as p, \
            smtpd.Server(smtpd.make_pki(p.root / "pki"), record=p.root / "smtp.json", tls="none",
                         accounts=guilib.ACCOUNTS) as srv:
        guilib.seed_micnet(p)
        with guilib.Wizard(p, "--lang", "en", "--test-server", f"127.0.0.1:{srv.port}") as wz:
            wz.wait(step=1, enabled="next")
            wz.press("next")
            wz.wait(step=2, enabled="next")
            wz.press("next")
            st = wz.wait(step=3, enabled="next")
            for i in range(len(guilib.control(st, IDC_ACCOUNT)["items"])):
                wz.drive("select", str(IDC_ACCOUNT), str(i))
                wz.drive("type", str(IDC_PASSWORD), guilib.PASSWORD)  # as keys, not WM_SETTEXT
            wz.press("next")
            st = wz.wait(step=4, enabled="next")
            if "does not offer encrypted connections" not in text_of(st, IDC_DIAG):
                fail(f"the changes page does not say the password travels unencrypted: "
                     f"{text_of(st, IDC_DIAG)!r}")
            print("ok   the changes page says the password travels unencrypted")
            wz.press("next")
            wz.wait(step=5, enabled="next")
            wz.press("next")
            st = wz.wait(step=6, enabled="next")
            wz.press("next")
            wz.wait(step=7, enabled="finish")
            forms = {}
            for user, pw in guilib.ACCOUNTS.items():
                forms.update({f"{user} {k}": v for k, v in
                              sendlib.secret_forms(pw, user).items()})
            found, total = scan_memory(wz.proc.pid, forms, "taro@micnet.ne.jp".encode("utf-16-le"))
            if total < 1 << 20 or not found.pop("control", 0):
                fail(f"{total} bytes read and no account address in them: not the wizard?")
            if found:
                fail(f"the password is in the wizard's memory: {found} ({total} bytes read)")
            print(f"ok   gui: sent; on the finish page {total // 1024} KiB of the wizard's memory "
                  "hold the password in none of its forms")
    return 0


def main(mode):
    if mode == "gui":
        return gui()
    tls = {"none": "none", "starttls": "starttls"}[mode]
    pki = sendlib.pki_dir()
    with winebench.Prefix(display=False) as p, \
            smtpd.Server(pki, record=p.root / "smtp-record.json", tls=tls,
                         accounts={sendlib.USER: sendlib.PASSWORD}) as srv:
        pause = p.path("c") / "paused.txt"
        env = dict(p.env, MAILSETUP_TEST_PAUSE_FILE=p.winpath(pause), WINEDEBUG="-all")
        args = ["--lang", "en", "test-send", "--server", sendlib.HOST, "--port", str(srv.port),
                "--security", mode, "--from", sendlib.FROM, "--user", sendlib.USER,
                "--password-stdin", "--no-port25",
                "--resolve", f"{sendlib.HOST}:{srv.port}:127.0.0.1",
                "--ca-file", p.winpath(str(Path(pki) / "ca.pem"))]
        proc = subprocess.Popen([winebench.WINE, str(p.exe), *args], env=env,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        proc.stdin.write((sendlib.PASSWORD + "\n").encode())
        proc.stdin.close()
        t0 = time.monotonic()
        while not pause.exists():
            if proc.poll() is not None or time.monotonic() - t0 > 120:
                fail(f"test-send did not pause (exit {proc.poll()}): {proc.stderr.read()!r}")
            time.sleep(0.1)
        found, total = scan_memory(proc.pid)
        pause.unlink()
        proc.wait(60)
        out, err = proc.stdout.read(), proc.stderr.read()
        if proc.returncode != 0 or not out.startswith(b"sent: yes"):
            fail(f"the send failed: {proc.returncode} {out!r} {err!r}")
        if total < 1 << 20 or not found.pop("control", 0):
            fail(f"{total} bytes read and no sender address in them: not the program's process?")
        if found:
            fail(f"the password is in the process's memory: {found} ({total} bytes read)")
        print(f"ok   {mode}: sent; {total // 1024} KiB of the process's memory hold the "
              f"password in none of {sorted(sendlib.secret_forms())}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "none"))
