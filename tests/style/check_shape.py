#!/usr/bin/python3
"""The shape of the code, as a gate (issue 17; docs/CODE_STYLE.md):

  - no function more complex than --max-complexity (pmccabe's modified
    McCabe complexity: a switch counts once, as a reader reads it);
  - no function longer than --max-function-lines (pmccabe's count, from the
    line of its name to its closing brace);
  - no source file (.c, .h) longer than --max-file-lines;
  - no more than --max-core-files files directly in wizard/core/ (the rest
    live in the folders that name the architecture);
  - no more than --max-copies pairs of places that share a run of
    --copy-lines or more identical lines (white space folded; blank lines,
    comments, lone braces and #include lines passed over; a run that
    stands in more than 8 places is boilerplate and not counted, as the
    `duplicates` tool does).

Prints every finding (file:line, the figure, the limit), then one summary
line per measure with the worst figure beside its limit; exits 1 if any
limit is passed. The figures are Debian's pmccabe's and this script's.

    check_shape.py [--root DIR] [limits...]     (default root: the checkout)
"""
import argparse
import collections
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIP_LINE = re.compile(r"^(#\s*include\b.*|[{}()\[\];,]*|//.*|/\*.*\*/|\*.*|/\*.*)$")


def sources(root):
    wiz = root / "wizard"
    return sorted(p for p in wiz.rglob("*") if p.suffix in (".c", ".h") and p.is_file())


def functions(files):
    """(complexity, lines, 'file:line', name) for every function, by pmccabe."""
    c_files = [str(f) for f in files if f.suffix == ".c"]
    if not c_files:
        return []
    r = subprocess.run(["pmccabe", *c_files], capture_output=True, text=True)
    if r.returncode != 0 or not r.stdout.strip():
        sys.exit(f"check_shape: pmccabe failed (exit {r.returncode}): {r.stderr.strip()[:300]}")
    out = []
    for line in r.stdout.splitlines():
        # modified, traditional, statements, first line, lines, file(line): name
        m = re.match(r"(\d+)\s+\d+\s+\d+\s+\d+\s+(\d+)\s+(.+?)\((\d+)\):\s+(.+)$", line)
        if m:
            out.append((int(m[1]), int(m[2]), f"{m[3]}:{m[4]}", m[5]))
    return out


def significant_lines(path):
    """(line number, text) of the lines that count for copies."""
    out, in_comment = [], False
    for no, raw in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        text = " ".join(raw.split())
        if in_comment:
            if "*/" in text:
                in_comment = False
            continue
        if text.startswith("/*") and "*/" not in text:
            in_comment = True
            continue
        if not text or SKIP_LINE.match(text):
            continue
        out.append((no, text))
    return out


def copies(files, run, root):
    """Pairs of places sharing `run` or more identical significant lines:
    [(a 'file:first-last', b 'file:first-last', length)]."""
    lines = {f: significant_lines(f) for f in files}
    windows = collections.defaultdict(list)
    for f, ls in lines.items():
        for i in range(len(ls) - run + 1):
            windows[tuple(t for _, t in ls[i:i + run])].append((f, i))
    pairs = {}  # (fa, ia, fb, ib) at the start of a maximal run -> length
    for places in windows.values():
        if len(places) < 2 or len(places) > 8:
            continue
        for x in range(len(places)):
            for y in range(x + 1, len(places)):
                (fa, ia), (fb, ib) = places[x], places[y]
                if fa == fb and abs(ia - ib) < run:
                    continue  # a run overlapping itself (a repeated line)
                # extend backwards to the run's start: count each run once
                if ia > 0 and ib > 0 and lines[fa][ia - 1][1] == lines[fb][ib - 1][1]:
                    continue
                n = run
                while (ia + n < len(lines[fa]) and ib + n < len(lines[fb]) and
                       lines[fa][ia + n][1] == lines[fb][ib + n][1]):
                    n += 1
                pairs[(fa, ia, fb, ib)] = n
    out = []
    for (fa, ia, fb, ib), n in sorted(pairs.items(), key=lambda kv: -kv[1]):
        def place(f, i):
            return f"{f.relative_to(root)}:{lines[f][i][0]}-{lines[f][i + n - 1][0]}"
        out.append((place(fa, ia), place(fb, ib), n))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=Path, default=ROOT)
    ap.add_argument("--max-complexity", type=int, default=30)
    ap.add_argument("--max-function-lines", type=int, default=80)
    ap.add_argument("--max-file-lines", type=int, default=1500)
    ap.add_argument("--max-core-files", type=int, default=30)
    ap.add_argument("--max-copies", type=int, default=3)
    ap.add_argument("--copy-lines", type=int, default=6)
    a = ap.parse_args(argv)
    root = a.root.resolve()
    files = sources(root)
    if not files:
        sys.exit(f"check_shape: no sources under {root / 'wizard'}")
    failed = []

    def report(what, worst, limit, findings, unit=""):
        for f in findings:
            print(f"  {f}")
        ok = not findings
        print(f"{'ok  ' if ok else 'FAIL'} {what}: worst {worst}{unit}, limit {limit}{unit}"
              + ("" if ok else f" ({len(findings)} over)"))
        if not ok:
            failed.append(what)

    funcs = functions(files)
    worst = max(funcs, default=(0, 0, "", ""))
    report("complexity (pmccabe, modified)", f"{worst[0]} {worst[3]}" if funcs else 0,
           a.max_complexity,
           [f"{where} {name}: {c}" for c, _, where, name in funcs if c > a.max_complexity])
    longest = max(funcs, key=lambda f: f[1], default=(0, 0, "", ""))
    report("function length", f"{longest[1]} lines {longest[3]}" if funcs else 0,
           f"{a.max_function_lines} lines",
           [f"{where} {name}: {n} lines" for _, n, where, name in funcs
            if n > a.max_function_lines])
    sizes = [(sum(1 for _ in f.open(encoding="utf-8", errors="replace")), f) for f in files]
    big = max(sizes)
    report("file length", f"{big[0]} lines {big[1].relative_to(root)}",
           f"{a.max_file_lines} lines",
           [f"{f.relative_to(root)}: {n} lines" for n, f in sizes if n > a.max_file_lines])
    core = root / "wizard" / "core"
    direct = sorted(p.name for p in core.iterdir() if p.is_file()) if core.is_dir() else []
    report("files directly in wizard/core", len(direct), a.max_core_files,
           [f"wizard/core holds {len(direct)} files"] if len(direct) > a.max_core_files else [])
    cp = copies(files, a.copy_lines, root)
    print(f"     ({len(cp)} pairs of identical runs of {a.copy_lines}+ lines)")
    report(f"pairs of identical {a.copy_lines}-line runs", len(cp), a.max_copies,
           [f"{x} ~ {y} ({n} lines)" for x, y, n in cp] if len(cp) > a.max_copies else [])
    if not a.max_copies < len(cp) and cp:
        for x, y, n in cp:
            print(f"  (allowed) {x} ~ {y} ({n} lines)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
