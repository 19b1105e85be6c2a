#!/usr/bin/python3
"""mailsetup.exe --version / --help under Wine (the foundation's verbs).

    test_version.py          --version: product version (= CMakeLists.txt's
                             project VERSION), libcurl with Schannel, cJSON,
                             architecture; nothing on stderr; exit 0
    test_version.py help     --help in English and Japanese (UTF-8), and a
                             wrong option: exit 2, [E02] on stderr
"""
import re
import sys

import winebench


def fail(msg, r=None):
    print("FAIL:", msg)
    if r is not None:
        print(f"  exit {r.returncode}\n  stdout: {r.stdout!r}\n  stderr: {r.stderr!r}")
    sys.exit(1)


def project_version():
    text = (winebench.SOURCE_DIR / "CMakeLists.txt").read_text(encoding="utf-8")
    m = re.search(r"project\(mailsetup\s+VERSION\s+([0-9.]+)", text)
    if not m:
        fail("no project VERSION in CMakeLists.txt")
    return m.group(1)


def test_version(p):
    r = p.run("--version")
    if r.returncode != 0 or r.stderr:
        fail("--version: exit code or stderr", r)
    lines = r.stdout.splitlines()
    want = f"mailsetup {project_version()}"
    if not lines or lines[0] != want:
        fail(f"first line is not {want!r}", r)
    if not any(re.fullmatch(r"libcurl \d+\.\d+\.\d+ \(Schannel\)", ln) for ln in lines):
        fail("no 'libcurl X.Y.Z (Schannel)' line", r)
    if not any(re.fullmatch(r"cJSON \d+\.\d+\.\d+", ln) for ln in lines):
        fail("no 'cJSON X.Y.Z' line", r)
    if "x64" not in lines:
        fail("the x64 exe does not say x64", r)
    print("ok   --version:", " | ".join(lines))


def test_help(p):
    r = p.run("--help")
    if r.returncode != 0 or not r.stdout.startswith("usage: mailsetup") or "--version" not in r.stdout:
        fail("--help (en)", r)
    print("ok   --help (en)")
    r = p.run("--lang", "ja", "--help")
    if r.returncode != 0 or not r.stdout.startswith("使い方: mailsetup") or "\ufffd" in r.stdout:
        fail("--lang ja --help is not Japanese UTF-8", r)
    if "設定ウィザード" not in r.stdout:
        fail("--lang ja --help lacks the wizard sentence", r)
    print("ok   --help (ja, UTF-8)")
    r = p.run("--no-such-option")
    if r.returncode != 2 or "[E02]" not in r.stderr or r.stdout:
        fail("wrong option: want exit 2 and [E02] on stderr only", r)
    print("ok   wrong option refused with [E02], exit 2")


def main():
    with winebench.Prefix(name="version") as p:
        if len(sys.argv) > 1 and sys.argv[1] == "help":
            test_help(p)
        else:
            test_version(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
