#!/usr/bin/python3
"""No copy of the password in the process's memory (docs/security.md,
issue 13): `test-send` (password on stdin, AUTH PLAIN over clear text or
STARTTLS to tests/wine/smtpd.py) pauses just before exit (test-hook build,
MAILSETUP_TEST_PAUSE_FILE), and every readable mapping of the Wine
process, read from Linux at /proc/PID/mem, is searched for the password in
ASCII, UTF-16LE and the base64 forms of AUTH PLAIN and LOGIN.

    test_send_memory.py none|starttls
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


def scan_memory(pid):
    """{form: count} of the password's forms in the process's memory, and
    the bytes read."""
    found, total = {}, 0
    forms = dict(sendlib.secret_forms())
    # The control: the sender's address is not a secret and stays in memory;
    # a scan that cannot find it is reading the wrong process.
    forms["control"] = sendlib.FROM.encode()
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


def main(mode):
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
