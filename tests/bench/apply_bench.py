#!/usr/bin/python3
"""apply_bench: `mailsetup.exe apply --yes` and `undo --yes` over the
1,000 Outlook Express accounts of scan_bench.py (50 identities, 250 of them
117net's to change), in a running Wine session. Checks that apply changed
the 250 and that undo gave back the registry exactly; prints the times
for docs/performance.md.

    MAILSETUP_EXE=dist/x64/mailsetup.exe tests/bench/apply_bench.py
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "wine"))
import scan_bench  # noqa: E402
import winebench  # noqa: E402

KEY = r"HKEY_CURRENT_USER\Identities"


def main():
    with winebench.Prefix(display=False) as p:
        reg = p.path("c") / "bench.reg"
        scan_bench.make_reg(reg)
        p.reg_import(reg)
        before = p.reg_export(KEY)
        prof = ["--profile", p.winpath(winebench.SOURCE_DIR / "isp-profiles" / "117net.json")]
        out = p.path("c") / "apply.json"
        with scan_bench._Session(p):
            wa, ca, r = scan_bench.timed(p, *prof, "apply", "--yes", "--json", p.winpath(out))
            if r.returncode != 0:
                raise SystemExit(f"apply failed ({r.returncode}): {r.stderr}")
            res = json.loads(out.read_text("utf-8"))["results"]
            changed = sum(1 for x in res if x["outcome"] == "changed")
            if changed != 250:
                raise SystemExit(f"apply changed {changed} accounts, not 250")
            wu, cu, r = scan_bench.timed(p, "undo", "--yes")
            if r.returncode != 0:
                raise SystemExit(f"undo failed ({r.returncode}): {r.stderr}")
        if p.reg_export(KEY) != before:
            raise SystemExit("undo did not give back the registry")
    print("| 1,000 OE accounts in 50 identities, running Wine session | wall | CPU of the wine process |")
    print("|---|---:|---:|")
    print(f"| `apply --yes` (250 accounts changed, verified) | {wa:.1f} s | {ca:.1f} s |")
    print(f"| `undo --yes` (registry as before, byte for byte) | {wu:.1f} s | {cu:.1f} s |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
