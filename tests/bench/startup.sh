#!/usr/bin/env bash
# Start-up benchmark: sizes of dist/x64 and dist/x86 mailsetup.exe, and the
# start-up time of `mailsetup.exe --version` and of the wizard's first window
# under Wine as a ratio to tests/bench/minimal.c built the same way
# (dist/bench/minimal.exe, from the win64 preset), medians of N runs measured
# in one run. Method and numbers: docs/performance.md.
#
# usage: tests/bench/startup.sh [--runs N] [--fresh-runs N] [--verbose]
#   env: MAILSETUP_SHIPPED_EXE, MAILSETUP_EXE_X86, MAILSETUP_BENCH_MINIMAL (exes),
#        MAILSETUP_WINE_WORK (winebench's work dir, default build/wine-work)
set -euo pipefail
cd "$(dirname "$0")/../.."
for tool in wine xdotool Xvfb; do
  command -v "$tool" >/dev/null || { echo "startup.sh: $tool missing (scripts/install-packages)" >&2; exit 1; }
done
exec /usr/bin/python3 tests/bench/startup.py "$@"
