"""secretscan: where a password could leak, searched in one place for every
Wine test (ground rule: never a password in a log, a report, a backup, the
registry or a file).

find(p, password, users=(), texts=(), exclude=()) returns a list of
"where: how" strings, empty when the password is nowhere. It searches

- every file of the whole prefix (p.root): the registry hives `user.reg`,
  `system.reg`, `userdef.reg` at its root, `drive_c` (backups, logs, mail
  program files), everything else the run wrote — except files that are
  hard links into the template (winebench copies C:\\windows's binaries as
  hard links; they are the template's bytes, written before the test ran)
  and the paths in exclude (e.g. the test SMTP server's own record);
- the texts given (a run's stdout/stderr, a JSON report);

for the password as UTF-8, as UTF-16LE (Windows' strings, the registry's
REG_SZ), and as the base64 an SMTP client sends for it: AUTH LOGIN's
base64(password) and AUTH PLAIN's base64(authzid NUL user NUL password)
for each user given (authzid empty or the user).
"""
import base64
import os
from pathlib import Path


def forms(password, users=()):
    """{how: bytes} for every encoding searched."""
    pw = password.encode("utf-8")
    out = {"UTF-8": pw, "UTF-16LE": password.encode("utf-16-le"),
           "base64 (AUTH LOGIN)": base64.b64encode(pw)}
    for u in users:
        for authz in ("", u):
            raw = f"{authz}\0{u}\0{password}".encode("utf-8")
            out[f"base64 (AUTH PLAIN, user {u}, authzid {authz!r})"] = base64.b64encode(raw)
    return out


def _files(root, exclude):
    ex = [Path(e).resolve() for e in exclude]
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        d = Path(dirpath)
        # dosdevices/z: is "/", c: is ../drive_c: never follow them.
        dirnames[:] = [n for n in dirnames if not (d / n).is_symlink()]
        for n in filenames:
            f = d / n
            if f.is_symlink():
                continue
            if any(f.resolve() == e or e in f.resolve().parents for e in ex):
                continue
            st = f.stat()
            if st.st_nlink > 1:
                continue  # a hard link into the template (see above)
            yield f


def blob_forms(blob):
    """{how: bytes} for a stored secret (an encrypted password blob): its
    raw bytes, hex (lower, upper, regedit's comma form) and base64."""
    h = blob.hex()
    return {"raw bytes": blob, "hex": h.encode(), "HEX": h.upper().encode(),
            "regedit hex": ",".join(h[i:i + 2] for i in range(0, len(h), 2)).encode(),
            "base64": base64.b64encode(blob)}


def find(p, password=None, users=(), texts=(), exclude=(), patterns=None, stats=None):
    """password (a str) in forms(), or patterns ({how: bytes}) as given;
    stats (a dict), if given, gets "files": how many files were read."""
    pats = dict(patterns or {})
    if password is not None:
        assert password, "an empty password would be found everywhere"
        pats.update(forms(password, users))
    assert pats and all(len(v) >= 6 for v in pats.values()), "patterns too short to mean much"
    hits = []
    n = 0
    for f in _files(p.root, exclude):
        n += 1
        data = f.read_bytes()
        for how, pat in pats.items():
            if pat in data:
                hits.append(f"{f.relative_to(p.root)}: {how}")
    for i, t in enumerate(texts):
        data = t.encode("utf-8") if isinstance(t, str) else t
        for how, pat in pats.items():
            if pat in data:
                hits.append(f"text #{i}: {how}")
    if stats is not None:
        stats["files"] = n
    return hits


def selfcheck(p):
    """find() must see a password in each place and form it claims to
    search (a search that cannot find anything proves nothing)."""
    pw = "s3lf-Check-pw"
    probes = {
        # Beside user.reg at the prefix root (not user.reg itself: the
        # wineserver rewrites it).
        p.root / "probe-root.reg": pw.encode("utf-16-le"),
        p.root / "drive_c" / "probe-utf8.txt": pw.encode(),
        p.root / "drive_c" / "probe-b64.log": b"AUTH PLAIN " + base64.b64encode(
            f"\0taro\0{pw}".encode()),
    }
    saved = {f: f.read_bytes() if f.exists() else None for f in probes}
    try:
        for f, data in probes.items():
            with open(f, "ab") as fh:
                fh.write(data)
        hits = find(p, pw, users=("taro",))
        for f in probes:
            rel = str(f.relative_to(p.root))
            if not any(h.startswith(rel + ":") for h in hits):
                raise AssertionError(f"secretscan does not see a password in {rel}: {hits}")
    finally:
        for f, data in saved.items():
            if data is None:
                f.unlink(missing_ok=True)
            else:
                f.write_bytes(data)
