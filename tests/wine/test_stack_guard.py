#!/usr/bin/python3
"""The stack protector's runtime is ours (wizard/win32/ssp.c, docs/security.md):

1. it works: the test-hook exe, told to overrun a protected frame
   (MAILSETUP_TEST_SMASH), ends at once with STATUS_STACK_BUFFER_OVERRUN
   (0xC0000409; Wine gives the shell its low byte) and never gets past the
   overrun;
2. it costs the start nothing: the shipped exe's `--version` loads none of
   the CryptoAPI's DLLs (libssp's constructor loaded rsaenh, crypt32 and
   bcrypt before main, by name, before the DLL search was hardened).
"""
import sys

import winebench

CRYPTO_DLLS = ("rsaenh.dll", "crypt32.dll", "bcrypt.dll")


def fail(msg, r=None):
    print("FAIL:", msg)
    if r is not None:
        print(f"  exit {r.returncode}\n  stdout: {r.stdout!r}\n  stderr: {r.stderr[-2000:]!r}")
    sys.exit(1)


def main():
    with winebench.Prefix(name="stack-guard") as p:
        r = p.run("--version", env={"MAILSETUP_TEST_SMASH": "1"})
        if "smashing" not in r.stdout:
            fail("the test hook did not run", r)
        if "survived" in r.stdout or "mailsetup " in r.stdout:
            fail("the process went on after overrunning its stack", r)
        if r.returncode != 0xC0000409 & 0xFF:
            fail(f"exit {r.returncode}, not STATUS_STACK_BUFFER_OVERRUN's", r)
        print(f"ok   an overrun frame ends the process (exit {r.returncode})")

        r = p.run("--version", exe=winebench.SHIPPED_EXE, env={"WINEDEBUG": "+pid,+loaddll"})
        if r.returncode != 0 or not r.stdout.startswith("mailsetup "):
            fail("--version", r)
        loaded = winebench.loaded_modules(r.stderr, winebench.SHIPPED_EXE)
        if not any(l.endswith("\\user32.dll") for l in loaded):
            fail("no DLL trace to read (WINEDEBUG=+pid,+loaddll)", r)
        bad = [l for l in loaded if l.rsplit("\\", 1)[-1] in CRYPTO_DLLS]
        if bad:
            fail("--version loaded the CryptoAPI:\n  " + "\n  ".join(bad))
        print(f"ok   --version loads {len(loaded)} modules, none of {', '.join(CRYPTO_DLLS)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
