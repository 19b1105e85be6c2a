#!/usr/bin/python3
"""hotweb's "add a new account" mode in Windows Live Mail under Wine: a new
account{GUID}.oeaccount beside the old one in "Local Folders", holding the
old one's user data with the new servers, port 587, "same as incoming"
authentication and no password, made the default ("Default Mail Account");
the old file untouched; `undo` removes the new file and restores the default
byte for byte."""

import shutil

import winebench
from wlmail_common import (KEY, WLDATA, account, acct_id, check, diff_files, profile_arg,
                           run_json, seed, snapshot)

OLD = "account{12345678-1234-4234-8234-123456789ABC}.oeaccount"


def main():
    with winebench.Prefix() as p:
        store = seed(p)
        shutil.copyfile(WLDATA / "extra" / "hotweb.oeaccount", store / "Local Folders" / OLD)
        before = snapshot(store)
        reg_before = p.reg_export(KEY["wlmail"])
        prof = profile_arg(p, "hotweb")
        rc, rep, err = run_json(p, "--lang", "ja", *prof, "scan")
        check(rc == 0, f"scan exit {rc}: {err}")
        check(account(rep, acct_id("wlmail", OLD))["status"] == "add_account", "not planned")
        rc, rep, err = run_json(p, "--lang", "ja", *prof, "apply", "--yes")
        check(rc == 0, f"apply exit {rc}: {err}")
        res = {r["id"]: r for r in rep["results"]}
        r = res[acct_id("wlmail", OLD)]
        check(r["outcome"] == "added", f"{r}")
        new_leaf = r["new_id"][len("wlmail/"):] + ".oeaccount"
        after = snapshot(store)
        check(diff_files(before, after) == [f"Local Folders/{new_leaf}"],
              f"changed: {diff_files(before, after)}")
        raw = after[f"Local Folders/{new_leaf}"]
        check(raw[:2] == b"\xff\xfe", "not UTF-16LE with BOM")
        text = raw.decode("utf-16")
        for want in ['<POP3_Server type="SZ">mail.hotweb.or.jp<',
                     '<POP3_User_Name type="SZ">hanako@hotweb.or.jp<',
                     '<SMTP_Server type="SZ">mail.hotweb.or.jp<',
                     '<SMTP_Port type="DWORD">0000024b<',
                     '<SMTP_Use_Sicily type="DWORD">00000002<',
                     '<SMTP_Display_Name type="SZ">花子<']:
            check(want in text, f"{want} not in the new file:\n{text}")
        check("Password2" not in text, "the new file holds a password")
        reg = p.reg_export(KEY["wlmail"])
        check(f'"Default Mail Account"="{new_leaf}"' in reg, f"default not set:\n{reg}")
        rc, rep, err = run_json(p, "--lang", "ja", "undo", "--yes")
        check(rc == 0, f"undo exit {rc}: {err}")
        check(snapshot(store) == before, f"after undo: {diff_files(before, snapshot(store))}")
        check(p.reg_export(KEY["wlmail"]) == reg_before, "registry differs after undo")
    print("ok")


if __name__ == "__main__":
    main()
