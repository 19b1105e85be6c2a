#!/usr/bin/python3
"""The shipped exe has no test switches (docs/security.md, issue 13).

dist/x64/mailsetup.exe -- what the README builds; scripts/build-isp builds
the same code with MAILSETUP_TEST_HOOKS=OFF (tests/dist/check_dist.py
checks its output the same way) -- must refuse every switch that lets a
test redirect the test send or trust another CA, and must not even contain
their names. The test-hook build (dist/x64/tests/mailsetup.exe) is what
every other Wine test runs; it is checked here to still know them, so this
test cannot pass by looking at the wrong file.

    test_release_switches.py [EXE]   (default: MAILSETUP_SHIPPED_EXE)
"""
import sys
from pathlib import Path

import winebench

# What a test can use to redirect the test send, trust its own CA or break
# an apply on purpose; none may exist in what ships.
SWITCH_NAMES = [b"--test-server", b"--ca-file", b"--resolve", b"MAILSETUP_TEST_FAULT_WRITE",
                b"MAILSETUP_TEST_SMASH", b"MAILSETUP_TEST_CA_FILE", b"MAILSETUP_TEST_RESOLVE"]

# Command lines that a shortcut or a link could carry, with the switch they use.
REFUSED = [
    (["--test-server", "192.0.2.1:25", "--version"], "--test-server"),
    (["--ca-file", "C:\\evil-ca.pem", "--version"], "--ca-file"),
    (["test-send", "--server", "smtp.example.jp", "--port", "587", "--security", "starttls",
      "--from", "a@example.jp", "--password-stdin", "--ca-file", "C:\\evil-ca.pem"], "--ca-file"),
    (["test-send", "--server", "smtp.example.jp", "--port", "587", "--security", "none",
      "--from", "a@example.jp", "--password-stdin",
      "--resolve", "smtp.example.jp:587:192.0.2.1"], "--resolve"),
    # The engineer's probe: its --resolve and --ca-file are the Linux
    # tool's and the test build's only.
    (["probe", "C:\\isp.json", "--resolve", "smtp.example.jp:587:192.0.2.1"], "--resolve"),
    (["probe", "C:\\isp.json", "--ca-file", "C:\\evil-ca.pem"], "--ca-file"),
]


def fail(msg, r=None):
    print("FAIL:", msg)
    if r is not None:
        print(f"  exit {r.returncode}\n  stdout: {r.stdout!r}\n  stderr: {r.stderr!r}")
    sys.exit(1)


def check_bytes(exe, want_present):
    data = Path(exe).read_bytes()
    for name in SWITCH_NAMES:
        found = name in data or name.decode().encode("utf-16-le") in data
        if found != want_present:
            fail(f"{exe}: {name.decode()} {'missing from' if want_present else 'found in'} the file")
    print(f"ok   {exe}: the test switch names are {'there' if want_present else 'absent'}")


def main():
    shipped = Path(sys.argv[1]) if len(sys.argv) > 1 else winebench.SHIPPED_EXE
    hooks = winebench.EXE
    if shipped.resolve() == hooks.resolve():
        fail("the shipped exe and the test-hook exe are the same file")
    check_bytes(shipped, False)
    check_bytes(hooks, True)
    with winebench.Prefix(name="release-switches") as p:
        for args, switch in REFUSED:
            r = p.run(*args, exe=shipped, stdin="secret\n")
            if r.returncode != 2 or "[E02]" not in r.stderr or switch not in r.stderr:
                fail(f"{' '.join(args)}: want exit 2, [E02] naming {switch}", r)
            if "secret" in r.stdout + r.stderr:
                fail("the password was echoed", r)
            print(f"ok   shipped exe refuses {switch}: {r.stderr.strip().splitlines()[0][:100]}")
        # The test-hook build takes the GUI's switches (then --version runs).
        r = p.run("--test-server", "127.0.0.1:1", "--ca-file", "C:\\x.pem", "--version", exe=hooks)
        if r.returncode != 0 or not r.stdout.startswith("mailsetup "):
            fail("the test-hook exe does not take --test-server/--ca-file", r)
        print("ok   the test-hook exe takes them")
    return 0


if __name__ == "__main__":
    sys.exit(main())
