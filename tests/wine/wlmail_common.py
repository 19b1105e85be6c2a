"""wlmail_common: what the Windows Mail / Windows Live Mail Wine tests share:
seeding a prefix with the store of tests/data/wlmail/ (files + the program's
registry key with "Store Root" as REG_EXPAND_SZ), snapshots of the store
(relative path -> bytes) for byte-exact comparisons, and the report helpers
of oe_common."""

import shutil
from pathlib import Path

from oe_common import DATA, account, check, fail, profile_arg, run_json  # noqa: F401

WLDATA = DATA / "wlmail"
FOLDER = {"wlmail": "Windows Live Mail", "winmail": "Windows Mail"}
KEY = {"wlmail": r"HKEY_CURRENT_USER\Software\Microsoft\Windows Live Mail",
       "winmail": r"HKEY_CURRENT_USER\Software\Microsoft\Windows Mail"}
LEAF = {
    "117net": "account{6F1C2B8E-3A4D-4E5F-8A9B-117000000001}.oeaccount",
    "micnet": "account{0B7E4C21-9D3A-4F6B-A1C2-3D4E5F600002}.oeaccount",
    "japan-net": "account{C4E6A8B0-2D3F-4A5B-8C7D-9E0F1A2B0004}.oeaccount",
}


def seed(p, program="wlmail"):
    """Copies the fixture store to %LOCALAPPDATA%\\Microsoft\\<program> and
    imports its registry key; returns the store's host path."""
    store = p.path("local_appdata") / "Microsoft" / FOLDER[program]
    store.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(WLDATA / "store", store)
    p.reg_import(WLDATA / f"{program}-store.reg")
    return store


def snapshot(root):
    """{relative path: bytes} of every file below root."""
    root = Path(root)
    return {str(f.relative_to(root)): f.read_bytes()
            for f in sorted(root.rglob("*")) if f.is_file()}


def acct_id(program, leaf):
    return f"{program}/{leaf[:-len('.oeaccount')]}"


def diff_files(before, after):
    """Relative paths added, removed or changed."""
    return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
