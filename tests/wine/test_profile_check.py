#!/usr/bin/python3
"""`mailsetup.exe profile check FILE` under Wine: exit codes, the helpdesk
code and JSON path of the error, Japanese printed as UTF-8 with --lang ja,
and file names with Japanese characters (the wide-path code)."""
import shutil
import sys

import winebench

DATA = winebench.SOURCE_DIR / "tests" / "data" / "profiles"
PROFILES = winebench.SOURCE_DIR / "isp-profiles"

failures = []


def check(p, what, args, want_rc, want_text, stream="any"):
    r = p.run(*args)
    out = r.stdout + r.stderr
    ok = r.returncode == want_rc and want_text in (
        r.stdout if stream == "stdout" else r.stderr if stream == "stderr" else out)
    # Strict UTF-8: run() decodes with 'replace', so a U+FFFD means bad bytes.
    ok = ok and "\ufffd" not in out
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        print(f"  want exit {want_rc} and {want_text!r} ({stream})")
        print(f"  got  exit {r.returncode}\n  stdout: {r.stdout!r}\n  stderr: {r.stderr!r}")
        failures.append(what)


def main():
    with winebench.Prefix(name="profile-check") as p:
        good = p.winpath(PROFILES / "117net.json")
        check(p, "good profile: exit 0, OK", ("profile", "check", good), 0,
              "OK (117net", "stdout")
        check(p, "good profile (ja): exit 0", ("--lang", "ja", "profile", "check", good), 0,
              "OK (117net")
        check(p, "port 25 target: exit 3, [P32] + path (en)",
              ("--lang", "en", "profile", "check", p.winpath(DATA / "broken" / "port-25-target.json")),
              3, "[P32] $.outgoing.port: the target outgoing port cannot be 25")
        check(p, "typo key: exit 3, [P07] + path in Japanese UTF-8",
              ("--lang", "ja", "profile", "check",
               p.winpath(DATA / "broken" / "unknown-key-typo.json")),
              3, "[P07] $.outgoing.keep_pop_befor_smtp: このキーは使えません")
        check(p, "missing file: exit 1, [E03]",
              ("profile", "check", p.winpath(DATA / "no-such-file.json")), 1, "[E03]")
        # A Japanese folder and file name inside the prefix (C:\...).
        jp_dir = p.path("home") / "デスクトップ" / "設定"
        jp_dir.mkdir(parents=True)
        shutil.copyfile(PROFILES / "117net.json", jp_dir / "プロファイル.json")
        check(p, "profile under a Japanese path: exit 0",
              ("--lang", "ja", "profile", "check", p.winpath(jp_dir / "プロファイル.json")), 0,
              "OK (117net")
        shutil.copyfile(DATA / "broken" / "unknown-key-typo.json", jp_dir / "誤り.json")
        check(p, "broken profile under a Japanese path: name printed in UTF-8",
              ("--lang", "ja", "profile", "check", p.winpath(jp_dir / "誤り.json")), 3,
              "誤り.json")
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
