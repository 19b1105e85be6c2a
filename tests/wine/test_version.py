#!/usr/bin/python3
"""mailsetup.exe --version / --help under Wine (the foundation's verbs).

    test_version.py          --version: product version (= CMakeLists.txt's
                             project VERSION), libcurl with Schannel, cJSON,
                             architecture; nothing on stderr; exit 0
    test_version.py help     --help in English and Japanese (UTF-8), a
                             wrong option: exit 2, [E02] on stderr; VERB
                             --help per verb; global options after the
                             verb (scan --profile FILE --json -)
"""
import json
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

    # Per verb: its synopsis and options; global options after the verb.
    r = p.run("scan", "--help")
    if (r.returncode != 0 or not r.stdout.startswith("usage: mailsetup scan [--json FILE|-]")
            or "--json FILE|-" not in r.stdout or "--profile FILE" not in r.stdout):
        fail("scan --help", r)
    r = p.run("apply", "--help", "--lang", "ja")
    if (r.returncode != 0 or not r.stdout.startswith("使い方: mailsetup apply")
            or "--dry-run" not in r.stdout or "変更の予定だけを表示します" not in r.stdout):
        fail("apply --help --lang ja", r)
    r = p.run("test-send", "-h")
    if r.returncode != 0 or "--password-stdin" not in r.stdout or "--pop3-wait S" not in r.stdout:
        fail("test-send -h", r)
    print("ok   VERB --help (scan, apply in Japanese, test-send)")
    profile = p.winpath(winebench.SOURCE_DIR / "isp-profiles" / "117net.json")
    r = p.run("scan", "--profile", profile, "--json", "-")
    try:
        report = json.loads(r.stdout)
    except json.JSONDecodeError:
        fail("scan --profile FILE --json -: stdout is not JSON", r)
    if r.returncode not in (0, 4) or report.get("exit_code") != r.returncode:
        fail("scan --profile FILE --json -", r)
    r = p.run("scan", "--json", "-", "--profile")
    if r.returncode != 2 or "[E02]" not in r.stderr or r.stdout:
        fail("scan ... --profile without a file: want exit 2 and [E02]", r)
    print("ok   scan --profile FILE --json - (global options after the verb)")


def main():
    with winebench.Prefix(name="version") as p:
        if len(sys.argv) > 1 and sys.argv[1] == "help":
            test_help(p)
        else:
            test_version(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
