"""oe_common: what the Outlook Express Wine tests share: the fixtures, the
profiles, and a diff of two `reg export` texts in the same line format as
memreg_diff (wizard/core/formats/memreg.h), so the expected-change files in
tests/data/reg/expected/ serve the unit tests and the Wine tests alike."""

import json
import os
from pathlib import Path

import winebench

SRC = winebench.SOURCE_DIR
DATA = Path(os.environ.get("MAILSETUP_TEST_DATA", SRC / "tests" / "data"))
REG = DATA / "reg"
# What the OE tests export and compare: the identities and the shared store.
KEYS = [r"HKEY_CURRENT_USER\Identities",
        r"HKEY_CURRENT_USER\Software\Microsoft\Internet Account Manager"]


def fail(msg):
    raise SystemExit("FAIL: " + msg)


def check(cond, msg):
    if not cond:
        fail(msg)


def profile_arg(p, isp):
    return ["--profile", p.winpath(SRC / "isp-profiles" / f"{isp}.json")]


def export(p, keys=KEYS):
    """The compared keys as one text (byte-exact comparisons use this)."""
    return "".join(p.reg_export(k) for k in keys)


def parse(text):
    """reg export text -> {key: {name: value text}} (names and keys as
    written; continuations joined)."""
    keys, cur = {}, None
    lines = text.replace("\r\n", "\n").split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        while line.endswith("\\") and i + 1 < len(lines):
            i += 1
            line = line[:-1] + lines[i].strip()
        i += 1
        if line.startswith("[") and line.endswith("]"):
            cur = keys.setdefault(line[1:-1], {})
        elif cur is not None and (line.startswith('"') or line.startswith("@")):
            if line.startswith("@"):
                name, value = "", line[2:]
            else:
                j, name = 1, ""
                while line[j] != '"':
                    if line[j] == "\\":
                        j += 1
                    name += line[j]
                    j += 1
                value = line[j + 2:]
            cur[name] = value
    return keys


def diff(before, after):
    """The set of memreg_diff-style lines between two exports."""
    a, b = parse(before), parse(after)
    lower_a = {k.lower(): k for k in a}
    lower_b = {k.lower(): k for k in b}
    out = set()
    for lk, k in lower_b.items():
        if lk not in lower_a:
            out.add(f"+ [{k}]")
            out.update(f"+ {k}\\{n}={v}" for n, v in b[k].items())
    for lk, k in lower_a.items():
        if lk not in lower_b:
            out.add(f"- [{k}]")
            out.update(f"- {k}\\{n}={v}" for n, v in a[k].items())
            continue
        va, vb = a[k], b[lower_b[lk]]
        for n, v in vb.items():
            if n not in va:
                out.add(f"+ {k}\\{n}={v}")
            elif va[n] != v:
                out.add(f"~ {k}\\{n}: {va[n]} -> {v}")
        out.update(f"- {k}\\{n}={v}" for n, v in va.items() if n not in vb)
    return out


def check_diff(before, after, expected_name):
    """The registry changed by exactly the lines of expected/<name>."""
    got, exp = diff(before, after), expected(expected_name)
    if got != exp:
        fail("registry diff after apply:\n  unexpected: " +
             "\n  ".join(sorted(got - exp)) + "\n  missing: " + "\n  ".join(sorted(exp - got)))
    return got


def expected(name):
    return {l for l in (REG / "expected" / name).read_text("utf-8").splitlines() if l}


def run_json(p, *args):
    """Runs the exe with --json - and returns (exit code, report, stderr)."""
    r = p.run(*args, "--json", "-")
    try:
        report = json.loads(r.stdout) if r.stdout.strip() else None
    except json.JSONDecodeError as e:
        fail(f"{args}: stdout is not JSON ({e}):\n{r.stdout}\n{r.stderr}")
    return r.returncode, report, r.stderr


def account(report, acct_id):
    for a in report["accounts"]:
        if a["id"] == acct_id:
            return a
    fail(f"{acct_id} not in the report: {[a['id'] for a in report['accounts']]}")
