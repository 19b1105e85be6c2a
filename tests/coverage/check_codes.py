#!/usr/bin/python3
"""Every result code the core can return is expected by at least one test.

The codes are the MS_MSG entries of wizard/core/messages.def; "the core can
return it" means its enum name appears in a .c file under wizard/core/. "A test
expects it" means a test source (tests/core/*.c, tests/**/*.py, *.sh,
tests/**/CMakeLists.txt) names it: the enum name (cmocka's
assert_int_equal(rc, MS_ERR_...)) or its helpdesk code as the program
prints it ("[A03]") or as a report holds it ("A03" in quotes); or a table
of expectations a test reads (tests/data/**/*.tsv, *.txt, EXPECTED*,
*.expected*) names it, as the enum name or the bare helpdesk code.

usage: check_codes.py SOURCE_DIR
"""
import re
import sys
from pathlib import Path

root = Path(sys.argv[1])
defs = (root / "wizard/core/messages.def").read_text(encoding="utf-8")
codes = re.findall(r'^MS_MSG\((MS_[A-Z0-9_]+),\s*"([A-Z0-9]+)"', defs, re.M)
if len(codes) < 50:
    raise SystemExit(f"FAIL: only {len(codes)} codes read from messages.def")

core = "".join(p.read_text(encoding="utf-8") for p in (root / "wizard/core").rglob("*.c"))
tests = []
for pat in ("tests/core/*.c", "tests/**/*.py", "tests/**/*.sh", "tests/**/CMakeLists.txt",
            "tests/CMakeLists.txt"):
    for p in root.glob(pat):
        if p.name != Path(__file__).name:
            tests.append(p.read_text(encoding="utf-8", errors="replace"))
tests = "\n".join(tests)
tables = []
for pat in ("tests/data/**/*.tsv", "tests/data/**/*.txt", "tests/data/**/EXPECTED*",
            "tests/data/**/*.expected*"):
    for p in root.glob(pat):
        tables.append(p.read_text(encoding="utf-8", errors="replace"))
tables = "\n".join(tables)

missing, returned = [], 0
for name, hd in codes:
    if name == "MS_OK" or not re.search(r"\b" + name + r"\b", core):
        continue
    returned += 1
    if re.search(r"\b" + name + r"\b", tests) or f"[{hd}]" in tests or f'"{hd}"' in tests:
        continue
    if re.search(r"\b" + name + r"\b", tables) or re.search(r"(?<![\w-])" + hd + r"(?![\w-])",
                                                               tables):
        continue
    missing.append(f"{name} ({hd})")
print(f"{returned} codes the core can return; {returned - len(missing)} expected by a test")
for m in missing:
    print(f"FAIL: no test expects {m}")
sys.exit(1 if missing else 0)
