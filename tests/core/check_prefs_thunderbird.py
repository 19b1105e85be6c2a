#!/usr/bin/python3
"""A prefs.js written by the wizard's editor, read back by a real Mozilla
preferences parser: Debian's Thunderbird, started headless on a throw-away
profile. Thunderbird parses prefs.js at start-up, runs its own migrations
(a Thunderbird 2.x file's auth_method becomes authMethod) and writes the
file back in its own serialisation; every preference the editor wrote must
come back with the same value.

usage: check_prefs_thunderbird.py PREFS_EDIT_TOOL TESTDATA_DIR
Exit 0 when all match, 1 on a mismatch, 77 (skipped) without thunderbird.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

CASES = [
    # fixture, outgoing server key, host, user
    ("mozilla/tb-current-prefs.js", "smtp1", "smtp.micnet.ne.jp", "jiro"),
    ("mozilla/tb2-prefs.js", "smtp1", "secure.japan-mail.ne.jp", "hanako"),
    ("mozilla/netscape71-prefs.js", "smtp1", "smtp.japan-net.ne.jp", "ichiro"),
]

# Thunderbird's own output: one `user_pref("name", value);` per line.
LINE = re.compile(r'^user_pref\(("(?:[^"\\]|\\.)*"), (.*)\);$')


def parse_tb(text):
    out = {}
    for line in text.splitlines():
        m = LINE.match(line)
        if not m:
            continue
        name = json.loads(m.group(1))
        raw = m.group(2)
        if raw in ("true", "false"):
            out[name] = raw == "true"
        elif raw.startswith('"'):
            # Mozilla escapes \ " \n \r only; JSON reads those the same, and
            # raw control characters (a tab) are allowed with strict=False.
            out[name] = json.loads(raw, strict=False)
        else:
            out[name] = int(raw)
    return out


def run_tb(profile, before, ready=None):
    """Starts Thunderbird headless on profile and stops it once it has
    rewritten prefs.js (and ready(), when given, holds: e.g. a folder it
    makes for a new account), within 90 s."""
    env = dict(os.environ, HOME=os.path.dirname(profile), MOZ_HEADLESS="1")
    proc = subprocess.Popen(["thunderbird", "--headless", "--no-remote", "--profile", profile],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                            start_new_session=True)
    prefs = os.path.join(profile, "prefs.js")
    deadline = time.time() + 90
    try:
        # Thunderbird rewrites prefs.js soon after start-up; wait for it.
        while time.time() < deadline:
            time.sleep(0.5)
            with open(prefs, "rb") as f:
                now = f.read()
            if (now != before and b"Mozilla User Preferences" in now and now.endswith(b"\n")
                    and (ready is None or ready())):
                time.sleep(1.0)  # let a second write settle
                break
        else:
            raise SystemExit("thunderbird did not rewrite prefs.js within 90 s")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    with open(prefs, "rb") as f:
        return f.read().decode("utf-8")


def main():
    tool, data = sys.argv[1], sys.argv[2]
    if not shutil.which("thunderbird"):
        print("thunderbird not installed: skipped")
        return 77
    failures = 0
    for fixture, key, host, user in CASES:
        with tempfile.TemporaryDirectory(prefix="tbcheck.") as tmp:
            profile = os.path.join(tmp, "profile")
            os.mkdir(profile)
            prefs = os.path.join(profile, "prefs.js")
            res = subprocess.run([tool, os.path.join(data, fixture), prefs, key, host, user],
                                 capture_output=True, text=True)
            if res.returncode != 0:
                print(f"{fixture}: prefs-edit-tool failed: {res.stderr}")
                failures += 1
                continue
            expected = {}
            for line in res.stdout.splitlines():
                name, kind, value = line.split("\t", 2)
                expected[name] = json.loads(value) if kind == "string" else int(value)
            with open(prefs, "rb") as f:
                before = f.read()
            t0 = time.time()
            got = parse_tb(run_tb(profile, before))
            bad = [n for n, v in expected.items() if got.get(n) != v]
            for n in bad:
                print(f"{fixture}: {n}: wrote {expected[n]!r}, Thunderbird read {got.get(n)!r}")
            failures += len(bad)
            print(f"{fixture}: {len(expected) - len(bad)}/{len(expected)} preferences read back "
                  f"by Thunderbird ({time.time() - t0:.1f} s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
