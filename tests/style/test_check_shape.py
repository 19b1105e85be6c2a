#!/usr/bin/python3
"""The shape gate's own test (issue 17): check_shape.py must fail a tree
that passes any limit by one, name the function, file or pair, and pass a
tree that stands exactly at every limit. The trees are written here, so what
each one holds is known without asking the gate.

A function of N lines is written as pmccabe counts it: from the line of its
name to its closing brace. Its complexity is 1 + the number of `if`s.
"""
import subprocess
import sys
import tempfile
from pathlib import Path

GATE = Path(__file__).resolve().parent / "check_shape.py"


def function(name, lines=10, ifs=0):
    """A C function of exactly `lines` lines with 1 + `ifs` complexity."""
    body = [f"    if (x == {i})\n        x += {i + 1};\n" for i in range(ifs)]
    filler = lines - 4 - 2 * ifs  # name, {, return, }
    assert filler >= 0, (name, lines, ifs)
    body += [f"    x ^= {i * 7 + len(name)};\n" for i in range(filler)]
    return f"int {name}(int x);\nint {name}(int x)\n{{\n{''.join(body)}    return x;\n}}\n"


def copy_block(tag):
    """Six lines that count (no braces-only or include lines)."""
    return "".join(f"    total = total * 31 + shared_{tag}_{i};\n" for i in range(6))


def tree(root, *, complexity=30, func_lines=80, file_lines=1500, core_files=30, copies=3):
    wiz = root / "wizard"
    core = wiz / "core"
    (wiz / "ui").mkdir(parents=True)
    core.mkdir()
    (core / "complex.c").write_text(function("most_complex", lines=70, ifs=complexity - 1))
    (core / "long.c").write_text(function("longest", lines=func_lines))
    # A file of exactly file_lines lines, of short functions.
    text = ""
    n = 0
    while len(text.splitlines()) + 12 <= file_lines:
        text += function(f"filler_{n}", lines=10)
        n += 1
    text += "\n" * (file_lines - len(text.splitlines()))
    assert len(text.splitlines()) == file_lines
    (wiz / "ui" / "big.c").write_text(text)
    # Copies: each pair is one block in two functions of two files.
    for k in range(copies):
        for side in ("a", "b"):
            (wiz / "ui" / f"copy_{k}_{side}.c").write_text(
                f"int copy_{k}_{side}(int total);\nint copy_{k}_{side}(int total)\n{{\n"
                f"{copy_block(k)}    return total;\n}}\n")
    have = len(list(core.iterdir()))
    for i in range(core_files - have):
        (core / f"extra_{i}.h").write_text(f"/* header {i} */\nint extra_{i}(void);\n")
    assert len(list(core.iterdir())) == core_files


def gate(root):
    r = subprocess.run([sys.executable, str(GATE), "--root", str(root)],
                       capture_output=True, text=True)
    return r.returncode, r.stdout + r.stderr


def main():
    failures = []
    with tempfile.TemporaryDirectory() as d:
        at = Path(d) / "at-limits"
        tree(at)
        rc, out = gate(at)
        if rc != 0:
            failures.append(f"a tree exactly at every limit failed:\n{out}")
        else:
            print("ok   exactly at every limit: passes")
        cases = [
            ("complexity 31", dict(complexity=31), "most_complex: 31"),
            ("a function of 81 lines", dict(func_lines=81), "longest: 81 lines"),
            ("a file of 1501 lines", dict(file_lines=1501), "wizard/ui/big.c: 1501 lines"),
            ("31 files in wizard/core", dict(core_files=31), "wizard/core holds 31 files"),
            ("4 pairs of copies", dict(copies=4), "copy_3_a.c"),
        ]
        for what, over, named in cases:
            root = Path(d) / what.replace(" ", "-")
            tree(root, **over)
            rc, out = gate(root)
            if rc != 1 or named not in out or "FAIL" not in out:
                failures.append(f"{what}: want exit 1 naming {named!r}, got {rc}:\n{out}")
            else:
                print(f"ok   {what}: fails, naming {named}")
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
