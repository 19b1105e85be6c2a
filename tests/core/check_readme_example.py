"""Checks that the commented example in isp-profiles/README.md, with its
// comments removed, is a profile `mailsetup profile check` accepts, so the
documentation cannot drift from the loader.
usage: check_readme_example.py MAILSETUP README.md"""
import os
import re
import subprocess
import sys
import tempfile

exe, readme = sys.argv[1], sys.argv[2]
text = open(readme, encoding="utf-8").read()
m = re.search(r"```jsonc\n(.*?)```", text, re.S)
if not m:
    sys.exit("no ```jsonc example in " + readme)
# Comments start with whitespace + // (URLs have "://", never " //").
lines = [re.sub(r"(^|\s)//.*$", "", ln) for ln in m.group(1).splitlines()]
with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8", delete=False) as f:
    f.write("\n".join(lines))
try:
    r = subprocess.run([exe, "--lang", "en", "profile", "check", f.name], capture_output=True,
                       text=True)
finally:
    os.unlink(f.name)
sys.stdout.write(r.stdout + r.stderr)
if r.returncode != 0:
    sys.exit("README example rejected (exit %d)" % r.returncode)
if "OK (example-isp" not in r.stdout:
    sys.exit("unexpected output")
