#!/usr/bin/python3
"""Windows Mail / Windows Live Mail end to end on the real exe under Wine:
a prefix seeded with the store of tests/data/wlmail/ (several accounts,
Japanese names, other ISPs', an IMAP and a news account, UTF-16LE and UTF-8
files) and its registry key -> `scan` reports the accounts right -> `apply`
changes exactly one file, which then equals tests/data/wlmail/expected/<isp>
byte for byte, while every other file and the registry key stay as they were
-> a second `apply` has nothing to do -> `undo` gives back every byte.

    test_wlmail_apply.py <isp> [wlmail|winmail]
"""

import sys

import winebench
from wlmail_common import (KEY, LEAF, WLDATA, account, acct_id, check, diff_files,
                           profile_arg, run_json, seed, snapshot)


def main():
    isp = sys.argv[1]
    program = sys.argv[2] if len(sys.argv) > 2 else "wlmail"
    leaf = LEAF[isp]
    with winebench.Prefix() as p:
        store = seed(p, program)
        before = snapshot(store)
        reg_before = p.reg_export(KEY[program])
        prof = profile_arg(p, isp)

        rc, rep, err = run_json(p, "--lang", "en", *prof, "scan")
        check(rc == 0, f"scan exit {rc}: {err}")
        mine = [a for a in rep["accounts"] if a["id"].startswith(program + "/")]
        check(len(mine) == 5, f"{len(mine)} accounts: {[a['id'] for a in mine]}")
        a = account(rep, acct_id(program, leaf))
        check(a["status"] == "change", f"{a}")
        other = account(rep, acct_id(program, "account{A3D5E7F9-1B2C-4D3E-9F8A-7B6C5D4E0003}.oeaccount"))
        check(other["status"] == "not_isp", f"{other}")
        check(snapshot(store) == before, "scan changed a file")

        rc, rep, err = run_json(p, "--lang", "en", *prof, "apply", "--yes")
        check(rc == 0, f"apply exit {rc}: {err}")
        outcomes = {r["id"]: r["outcome"] for r in rep["results"]}
        check(outcomes == {acct_id(program, leaf): "changed"}, f"{outcomes}")
        after = snapshot(store)
        changed = diff_files(before, after)
        check(changed == [f"Local Folders/{leaf}"], f"files changed: {changed}")
        want = (WLDATA / "expected" / f"{isp}.oeaccount").read_bytes()
        check(after[f"Local Folders/{leaf}"] == want, "the file is not the expected bytes")
        check(p.reg_export(KEY[program]) == reg_before, "the registry key changed")
        backup = rep["backup"]
        check(backup.lower().startswith(p.winpath(p.path("local_appdata")).lower()),
              f"backup outside %LOCALAPPDATA%: {backup}")

        rc, rep, err = run_json(p, "--lang", "en", *prof, "apply", "--yes")
        check(rc == 0, f"second apply exit {rc}: {err}")
        check(not rep.get("results"), f"second apply changed: {rep.get('results')}")
        check(snapshot(store) == after, "second apply changed a file")

        rc, rep, err = run_json(p, "--lang", "en", "undo", "--yes")
        check(rc == 0, f"undo exit {rc}: {err}")
        check(snapshot(store) == before, f"after undo: {diff_files(before, snapshot(store))}")
        check(p.reg_export(KEY[program]) == reg_before, "the registry key differs after undo")
    print("ok")


if __name__ == "__main__":
    main()
