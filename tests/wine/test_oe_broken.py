#!/usr/bin/python3
"""Outlook Express under Wine with a broken value (tests/data/reg/
oe-broken-type.reg: "SMTP Port" as REG_SZ; oe-broken-size.reg: a 2-byte
REG_DWORD): `scan` names the account and the value with the helpdesk code,
`apply --yes` refuses with the same, and nothing changes anywhere.

    test_oe_broken.py FIXTURE VALUE_NAME"""

import sys

import winebench
from oe_common import REG, account, check, export, profile_arg, run_json

ACCT = "oe/{5B2C9A40-7D1E-4F63-8A0B-C4E19F3D6275}/00000001"


def main(fixture, value):
    with winebench.Prefix() as p:
        p.reg_import(REG / fixture)
        before = export(p)
        prof = profile_arg(p, "micnet")
        for lang, word in (("en", "cannot be read"), ("ja", "読み取れない")):
            rc, rep, err = run_json(p, "--lang", lang, *prof, "scan")
            check(rc == 1, f"scan exit {rc}")
            a = account(rep, ACCT)
            e = a.get("read_error")
            check(e and e["helpdesk"] == "R05" and value in e["message"], f"read_error {e}")
            check(a["account_name"] == "ミックネット", a.get("account_name"))
            check("[R06]" in err and ACCT in err and value in err, f"stderr: {err}")
            check(word in err.lower(), f"{lang} stderr: {err}")
            r = p.run("--lang", lang, *prof, "apply", "--yes")
            check(r.returncode == 1, f"apply exit {r.returncode}")
            check("[R06]" in r.stderr and ACCT in r.stderr, f"apply stderr: {r.stderr}")
            check(export(p) == before, "the registry changed")
        # No backup was made: there is nothing to undo.
        r = p.run("undo", "--yes")
        check(r.returncode == 4, f"undo exit {r.returncode}")
    print(f"ok: {fixture}")


if __name__ == "__main__":
    main(*sys.argv[1:])
