#!/usr/bin/python3
"""A damaged or read-only .oeaccount under Wine: the account is listed with a
clear message naming the file, and nothing changes anywhere.

    test_wlmail_broken.py <file in tests/data/wlmail/broken/> <helpdesk code>
        the damaged file sits beside the good accounts: `scan` lists it with
        read_error (the code, the file's name) and exits 1; `apply --yes` refuses to
        change anything while an unreadable account might be the ISP's; with
        --account naming the good 117net account, only that one changes.
    test_wlmail_broken.py readonly
        the 117net account file is read-only: `apply` says so (B11), naming
        the file, and every file stays as it was.
"""

import os
import shutil
import stat
import sys

import winebench
from wlmail_common import (LEAF, WLDATA, account, acct_id, check, diff_files, profile_arg,
                           run_json, seed, snapshot)

BAD = "account{BAD00000-0000-4000-8000-000000000000}.oeaccount"


def broken(name, helpdesk):
    with winebench.Prefix() as p:
        store = seed(p)
        shutil.copyfile(WLDATA / "broken" / name, store / "Local Folders" / BAD)
        before = snapshot(store)
        prof = profile_arg(p, "117net")
        rc, rep, err = run_json(p, "--lang", "en", *prof, "scan")
        # An unreadable account fails the scan (exit 1): it may be the ISP's.
        check(rc == 1 and "[R06]" in err and BAD in err, f"scan exit {rc}: {err}")
        a = account(rep, acct_id("wlmail", BAD))
        re = a.get("read_error")
        check(re is not None, f"no read_error: {a}")
        check(re["helpdesk"] == helpdesk, f"{re}")
        check(BAD in re["message"], f"message does not name the file: {re['message']}")
        check(a["status"] == "not_isp", f"{a}")
        good = account(rep, acct_id("wlmail", LEAF["117net"]))
        check(good["status"] == "change", f"{good}")

        rc, rep, err = run_json(p, "--lang", "en", *prof, "apply", "--yes")
        check(rc != 0, "apply with an unreadable account went ahead")
        check(BAD[:-len(".oeaccount")] in err, f"stderr does not name the account: {err}")
        check(snapshot(store) == before, f"changed: {diff_files(before, snapshot(store))}")

        rc, rep, err = run_json(p, "--lang", "en", *prof, "apply", "--yes",
                                "--account", acct_id("wlmail", LEAF["117net"]))
        check(rc == 0, f"apply --account exit {rc}: {err}")
        after = snapshot(store)
        check(diff_files(before, after) == [f"Local Folders/{LEAF['117net']}"],
              f"changed: {diff_files(before, after)}")
        check(after[f"Local Folders/{BAD}"] == (WLDATA / "broken" / name).read_bytes(),
              "the damaged file changed")
    print("ok")


def readonly():
    with winebench.Prefix() as p:
        store = seed(p)
        f = store / "Local Folders" / LEAF["117net"]
        os.chmod(f, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        before = snapshot(store)
        prof = profile_arg(p, "117net")
        rc, rep, err = run_json(p, "--lang", "en", *prof, "apply", "--yes")
        check(rc != 0, "apply of a read-only file said OK")
        check("[B11]" in err and LEAF["117net"] in err, f"stderr: {err}")
        res = {r["id"]: r for r in rep.get("results", [])}
        r = res.get(acct_id("wlmail", LEAF["117net"]))
        check(r is not None and r["outcome"] == "rolled_back", f"{rep.get('results')}")
        check(snapshot(store) == before, f"changed: {diff_files(before, snapshot(store))}")
        os.chmod(f, stat.S_IRUSR | stat.S_IWUSR)
    print("ok")


def main():
    if sys.argv[1] == "readonly":
        readonly()
    else:
        broken(sys.argv[1], sys.argv[2])


if __name__ == "__main__":
    main()
