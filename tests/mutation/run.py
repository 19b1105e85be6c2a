#!/usr/bin/python3
"""The mutation gate: applies each mutant of tests/mutation/mutants.txt (one
small change to wizard/core/) to a copy of the source, rebuilds, runs the
unit tests, and fails if any mutant survives (the tests still pass with it)
or is not a valid mutant (its text is not found exactly once, or it does not
compile).

    tests/mutation/run.py [--ci | --all | --only ID...] [--source DIR]
                          [--work DIR] [--jobs N] [--list]

--ci (default) runs the mutants marked "ci" (what every CI run checks);
--all the whole list (on demand; docs/testing.md gives the time). The copy
and its build live in WORK (default build/mutation): a plain Debug build
without sanitizers or -Werror, configured once and rebuilt incrementally by
ninja (one object and the unit-test links per mutant). The source tree
itself is never modified.
"""
import argparse
import filecmp
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Directories of the source the copy needs (no build/, dist/, .git).
COPY = ["CMakeLists.txt", "CMakePresets.json", "cmake", "wizard", "tests", "tools", "scripts",
        "isp-profiles", "resources", "installer"]
# The unit tests (ctest label unit) minus the slow Thunderbird read-back and
# the Python schema check, which do not run the core's C code.
CTEST_SELECT = ["-L", "unit", "-LE", "slow", "-E", "^profile_schema$"]


class Mutant:
    def __init__(self, ident, path, ci, line):
        self.id, self.path, self.ci, self.line = ident, path, ci, line
        self.why = self.find = self.replace = None
        self.tests = []  # the unit tests tried first (fast path)


def parse(list_file):
    mutants, cur = [], None
    for n, raw in enumerate(list_file.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        m = re.match(r"^\[([a-z0-9-]+)\] (\S+)( ci)?$", raw)
        if m:
            cur = Mutant(m.group(1), m.group(2), bool(m.group(3)), n)
            mutants.append(cur)
        elif cur and raw.startswith("why: "):
            cur.why = raw[5:]
        elif cur and raw.startswith("tests: "):
            cur.tests = raw[7:].split()
        elif cur and raw.startswith("- "):
            cur.find = raw[2:]
        elif cur and raw.startswith("+ "):
            cur.replace = raw[2:]
        else:
            raise SystemExit(f"{list_file}:{n}: not understood: {raw!r}")
    ids = [m.id for m in mutants]
    for m in mutants:
        if not (m.why and m.find is not None and m.replace is not None):
            raise SystemExit(f"{list_file}:{m.line}: [{m.id}] needs why:, - and + lines")
        if ids.count(m.id) > 1:
            raise SystemExit(f"{list_file}: [{m.id}] twice")
    return mutants


def check_applicable(mutants, source):
    bad = []
    for m in mutants:
        text = (source / m.path).read_text(encoding="utf-8")
        n = text.count(m.find)
        if n != 1:
            bad.append(f"[{m.id}] {m.path}: the text is found {n} times, not once: {m.find!r}")
        if not m.path.startswith("wizard/core/"):
            bad.append(f"[{m.id}] {m.path}: not in wizard/core/")
    return bad


def sync_tree(src, dst):
    """Copies src to dst, writing only files whose bytes differ (so ninja
    rebuilds only what changed), removing files src no longer has."""
    for name in COPY:
        s, d = src / name, dst / name
        if s.is_file():
            if not d.exists() or not filecmp.cmp(s, d, shallow=False):
                d.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(s, d)
            continue
        if not s.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(s):
            rel = Path(dirpath).relative_to(src)
            (dst / rel).mkdir(parents=True, exist_ok=True)
            for f in filenames:
                sf, df = Path(dirpath) / f, dst / rel / f
                if not df.exists() or not filecmp.cmp(sf, df, shallow=False):
                    shutil.copy2(sf, df)
        for dirpath, dirnames, filenames in os.walk(d):
            rel = Path(dirpath).relative_to(dst)
            for f in filenames:
                if not (src / rel / f).exists():
                    (Path(dirpath) / f).unlink()


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kw)


def failed_tests(out):
    return re.findall(r"\d+ - (\S+) \(", out)[:3] or re.findall(r"Test +#\d+: (\S+) \.+\*+Failed",
                                                                 out)[:3]


def write_keep_mtime(path, text):
    """Writes text and gives the file a new mtime (ninja compares them)."""
    path.write_text(text, encoding="utf-8")
    t = time.time()
    os.utime(path, (t, t))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sel = ap.add_mutually_exclusive_group()
    sel.add_argument("--ci", action="store_true", help="the mutants marked ci (default)")
    sel.add_argument("--all", action="store_true", help="every mutant")
    sel.add_argument("--only", nargs="+", metavar="ID", help="these mutants")
    ap.add_argument("--source", type=Path, default=HERE.parents[1])
    ap.add_argument("--work", type=Path, default=None)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--list", action="store_true", help="check and print the list, run nothing")
    ap.add_argument("--mutants", type=Path, default=HERE / "mutants.txt",
                    help="another list (e.g. to try mutants not on the gate's list)")
    a = ap.parse_args()
    source = a.source.resolve()
    work = (a.work or source / "build" / "mutation").resolve()
    mutants = parse(a.mutants)
    bad = check_applicable(mutants, source)
    if bad:
        print("FAIL: invalid mutants (fix tests/mutation/mutants.txt):\n  " + "\n  ".join(bad))
        return 1
    if a.only:
        unknown = set(a.only) - {m.id for m in mutants}
        if unknown:
            raise SystemExit(f"no such mutant: {', '.join(sorted(unknown))}")
        chosen = [m for m in mutants if m.id in a.only]
    elif a.all:
        chosen = mutants
    else:
        chosen = [m for m in mutants if m.ci]
    print(f"mutation gate: {len(chosen)} of {len(mutants)} mutants "
          f"({sum(m.ci for m in mutants)} marked ci)")
    if a.list:
        for m in chosen:
            print(f"  [{m.id}] {m.path}{' ci' if m.ci else ''}: {m.why}")
        return 0

    src, build = work / "src", work / "build"
    src.mkdir(parents=True, exist_ok=True)
    t0 = time.monotonic()
    sync_tree(source, src)
    if not (build / "build.ninja").exists():
        r = run(["cmake", "-S", str(src), "-B", str(build), "-G", "Ninja",
                 "-DCMAKE_BUILD_TYPE=Debug", "-DMAILSETUP_SANITIZE=OFF",
                 "-DMAILSETUP_WERROR=OFF", "-DMAILSETUP_COVERAGE=OFF"])
        if r.returncode:
            print(r.stdout[-4000:])
            print("FAIL: configuring the mutation build")
            return 1
    build_cmd = ["cmake", "--build", str(build), "-j", str(a.jobs)]
    test_cmd = ["ctest", "--test-dir", str(build), *CTEST_SELECT, "-j", str(a.jobs),
                "--timeout", "120", "--stop-on-failure"]
    r = run(build_cmd)
    if r.returncode:
        print(r.stdout[-4000:])
        print("FAIL: the unmutated build")
        return 1
    r = run(test_cmd)
    if r.returncode:
        print(r.stdout[-4000:])
        print("FAIL: the unit tests fail without any mutant")
        return 1
    print(f"baseline: built and passed in {time.monotonic() - t0:.0f} s")
    r = run(["ctest", "--test-dir", str(build), *CTEST_SELECT, "-N"])
    unit_tests = set(re.findall(r"Test +#\d+: (\S+)", r.stdout))

    survived, invalid, times = [], [], []
    for m in chosen:
        f = src / m.path
        orig = f.read_text(encoding="utf-8")
        t1 = time.monotonic()
        try:
            write_keep_mtime(f, orig.replace(m.find, m.replace, 1))
            verdict = None
            # Fast path: the tests of the mutated module first (one object,
            # one or two links); everything only when they do not kill it.
            first = m.tests or [f"test_{Path(m.path).stem}"]
            first = [t for t in first if t in unit_tests]
            if first:
                r = run(build_cmd + ["--target", *first])
                if r.returncode:
                    verdict = "INVALID (does not compile)"
                    invalid.append(m)
                    print(r.stdout[-2000:])
                else:
                    r = run(["ctest", "--test-dir", str(build), "-R",
                             "^(" + "|".join(first) + ")$", "--timeout", "120"])
                    if r.returncode:
                        verdict = f"killed by {', '.join(failed_tests(r.stdout)) or 'ctest'}"
            if verdict is None:
                r = run(build_cmd)
                if r.returncode:
                    verdict = "INVALID (does not compile)"
                    invalid.append(m)
                    print(r.stdout[-2000:])
                else:
                    r = run(test_cmd)
                    if r.returncode:
                        verdict = f"killed by {', '.join(failed_tests(r.stdout)) or 'ctest'}"
                    else:
                        verdict = "SURVIVED"
                        survived.append(m)
        finally:
            write_keep_mtime(f, orig)
        dt = time.monotonic() - t1
        times.append(dt)
        print(f"  [{m.id}] {dt:5.1f} s  {verdict}", flush=True)
    # Leave the build matching the source again.
    run(build_cmd)

    total = time.monotonic() - t0
    per = sum(times) / len(times) if times else 0
    print(f"mutation gate: {len(chosen) - len(survived) - len(invalid)} killed, "
          f"{len(survived)} survived, {len(invalid)} invalid; {per:.1f} s per mutant, "
          f"{total:.0f} s in all")
    for m in survived:
        print(f"FAIL: [{m.id}] survived: no unit test notices that {m.why}")
    for m in invalid:
        print(f"FAIL: [{m.id}] is not a valid mutant (it does not compile)")
    return 1 if survived or invalid else 0


if __name__ == "__main__":
    sys.exit(main())
