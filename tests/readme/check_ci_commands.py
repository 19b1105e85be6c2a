#!/usr/bin/python3
"""Every `bash scripts/...` command README.md gives its users runs in CI
exactly as written: it is a `step` line of .ci/run, or a line of a script
that .ci/run runs. The one exception is the signed release build, which
needs the ISP's certificate (its block sets MAILSETUP_SIGN_PKCS12); its
unsigned twin must be in the README and in CI instead.

usage: check_ci_commands.py SOURCE_DIR
"""
import re
import sys
from pathlib import Path

root = Path(sys.argv[1])
readme = (root / "README.md").read_text(encoding="utf-8")
ci = (root / ".ci" / "run").read_text(encoding="utf-8")

blocks = re.findall(r"```sh\n(.*?)```", readme, re.S)
wanted, signed = [], []
for block in blocks:
    needs_cert = "MAILSETUP_SIGN_PKCS12" in block
    for line in block.splitlines():
        cmd = line.split("#", 1)[0].strip()
        if cmd.startswith("bash scripts/"):
            (signed if needs_cert else wanted).append(cmd)

steps = [m.group(1).strip() for m in re.finditer(r"^step (.+)$", ci, re.M)]
# What the steps' scripts run themselves, line by line.
inner = set()
for s in steps:
    script = root / s.split()[1]
    for line in script.read_text(encoding="utf-8").splitlines():
        inner.add(line.strip())

fails = 0
if not wanted:
    print("FAIL no `bash scripts/...` command found in README.md")
    fails += 1
for cmd in wanted:
    if cmd in steps:
        print(f"ok   CI step: {cmd}")
    elif cmd in inner:
        print(f"ok   run inside a CI step: {cmd}")
    else:
        print(f"FAIL README command not run by .ci/run as written: {cmd}")
        fails += 1
for cmd in signed:
    trial = cmd.replace("bash scripts/build-isp ", "bash scripts/build-isp --unsigned ", 1)
    if trial == cmd or trial not in wanted:
        print(f"FAIL signed command without its unsigned trial twin in the README: {cmd}")
        fails += 1
    else:
        print(f"ok   signed (needs a certificate), its trial twin runs in CI: {cmd}")
for s in steps:
    if s not in wanted:
        print(f"FAIL .ci/run step that the README does not give: {s}")
        fails += 1
sys.exit(1 if fails else 0)
