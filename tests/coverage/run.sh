#!/usr/bin/env bash
# Line and branch coverage of wizard/core/ by the unit tests (gcov + Debian's
# gcovr), in the coverage preset's own build (build/coverage: --coverage -O0,
# no sanitizers, -Werror), and the floor CI holds (tests/coverage/floor.txt):
# fails only when a figure drops below its floor. Raise the floor when the
# figures rise (docs/testing.md); never lower it to make a change pass.
#
# usage: tests/coverage/run.sh [JOBS]
# Reports: build/coverage/coverage.txt (per file), build/coverage/summary.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
jobs=${1:-2}
b=build/coverage

cmake --preset coverage >/dev/null
# The unit tests of the core (label unit, without the slow Thunderbird
# read-back and the Python schema check, which run no core code).
select=(-L unit -LE slow -E '^profile_schema$')
mapfile -t targets < <(ctest --test-dir "$b" "${select[@]}" -N | sed -n 's/^ *Test *#[0-9]*: //p')
[ "${#targets[@]}" -gt 10 ] || { echo "coverage: only ${#targets[@]} unit tests found" >&2; exit 1; }
cmake --build "$b" -j "$jobs" --target "${targets[@]}"
find "$b" -name '*.gcda' -delete
ctest --test-dir "$b" "${select[@]}" -j "$jobs" --output-on-failure >"$b/ctest.log" 2>&1 ||
  { tail -n 40 "$b/ctest.log"; echo "coverage: the unit tests failed" >&2; exit 1; }

gcovr --root . --object-directory "$b" --filter 'wizard/core/' --exclude-unreachable-branches \
  --txt "$b/coverage.txt" --json-summary "$b/summary.json" >/dev/null
/usr/bin/python3 - "$b/summary.json" tests/coverage/floor.txt <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
floor = {}
for line in open(sys.argv[2], encoding="utf-8"):
    line = line.split("#", 1)[0].split()
    if line:
        floor[line[0]] = float(line[1])
got = {"lines": s["line_percent"], "branches": s["branch_percent"]}
print(f"coverage of wizard/core/ by the unit tests: lines {got['lines']:.1f}% "
      f"({s['line_covered']}/{s['line_total']}), branches {got['branches']:.1f}% "
      f"({s['branch_covered']}/{s['branch_total']}); floor: lines {floor['lines']:.1f}%, "
      f"branches {floor['branches']:.1f}%")
bad = [k for k in ("lines", "branches") if got[k] < floor[k]]
for k in bad:
    print(f"FAIL: {k} coverage {got[k]:.1f}% is below the floor {floor[k]:.1f}% "
          "(tests/coverage/floor.txt): a change removed tested code paths or added untested ones")
for k in ("lines", "branches"):
    if got[k] >= floor[k] + 1.0:
        print(f"note: {k} coverage is {got[k] - floor[k]:.1f} points above its floor; "
              "raise tests/coverage/floor.txt")
sys.exit(1 if bad else 0)
PY
