#!/usr/bin/python3
"""Outlook Express under Wine, one seed ISP: a prefix seeded from
tests/data/reg/<fixture> -> `scan` reports every account right -> `apply
--yes` changes exactly the values in tests/data/reg/expected/<diff> (the
unit tests' expectation too) -> `undo --yes` gives the export back byte for
byte.

    test_oe_apply.py ISP FIXTURE EXPECTED_DIFF STATUS=ID... """

import sys

import winebench
from oe_common import (REG, account, check, diff, expected, export, fail, profile_arg,
                       run_json)


def main(isp, fixture, expected_diff, *statuses):
    want = dict(s.split("=", 1)[::-1] for s in statuses)  # id -> status
    with winebench.Prefix() as p:
        p.reg_import(REG / fixture)
        before = export(p)
        check("Internet Account Manager" in before, "fixture not imported")
        prof = profile_arg(p, isp)

        rc, rep, err = run_json(p, "--lang", "en", *prof, "scan")
        check(rc == 0, f"scan exit {rc}: {err}")
        oe = [a for a in rep["accounts"] if a["program"] == "oe"]
        check({a["id"] for a in oe} == set(want),
              f"scan ids {[a['id'] for a in oe]} != {sorted(want)}")
        for acct_id, status in want.items():
            a = account(rep, acct_id)
            check(a["status"] == status, f"{acct_id}: status {a['status']} != {status}")
            check("read_error" not in a, f"{acct_id}: {a.get('read_error')}")
            check(a["program_running"] is False, f"{acct_id}: running?")
            check(a["location"].startswith("HKEY_CURRENT_USER\\"), a["location"])
        check(export(p) == before, "scan changed the registry")

        # apply without --yes changes nothing
        r = p.run(*prof, "apply")
        check(r.returncode == 2, f"apply without --yes: exit {r.returncode}")
        check(export(p) == before, "apply without --yes changed the registry")

        rc, rep, err = run_json(p, "--lang", "en", *prof, "apply", "--yes")
        check(rc == 0, f"apply exit {rc}: {err}")
        check(rep.get("backup"), "no backup in the report")
        outcomes = {r["id"]: r["outcome"] for r in rep["results"]}
        for acct_id, status in want.items():
            if status == "change":
                check(outcomes.get(acct_id) == "changed", f"{acct_id}: {outcomes}")
                # Wine has no msoeacct.dll: the account API is tried, and
                # the report says the registry path was taken, and why.
                r = next(r for r in rep["results"] if r["id"] == acct_id)
                check(r.get("path") == "registry" and r.get("path_reason"),
                      f"{acct_id}: path {r.get('path')!r} ({r.get('path_reason')!r})")
            elif status == "add_account":
                check(outcomes.get(acct_id) == "added", f"{acct_id}: {outcomes}")
            else:
                check(acct_id not in outcomes, f"{acct_id} touched: {outcomes}")
        after = export(p)
        got, exp = diff(before, after), expected(expected_diff)
        if got != exp:
            fail("registry diff after apply:\n  unexpected: " +
                 "\n  ".join(sorted(got - exp)) + "\n  missing: " + "\n  ".join(sorted(exp - got)))
        check("Password2" not in "".join(got), "a password was copied")

        # Applying again: nothing to do, nothing written.
        rc, rep, err = run_json(p, *prof, "scan")
        check(all(a["status"] != "change" and a["status"] != "add_account"
                  for a in rep["accounts"]), "still changes after apply")
        r = p.run(*prof, "apply", "--yes")
        check(r.returncode == 0, f"second apply exit {r.returncode}: {r.stderr}")
        check(export(p) == after, "second apply changed the registry")

        r = p.run("--lang", "en", "undo", "--yes")
        check(r.returncode == 0, f"undo exit {r.returncode}: {r.stdout} {r.stderr}")
        check(export(p) == before, "undo did not restore the export byte for byte:\n" +
              "\n".join(sorted(diff(before, export(p)))))
        r = p.run("undo", "--yes")
        check(r.returncode == 4, f"second undo: exit {r.returncode} (nothing left to undo)")
    print(f"ok: {isp} {fixture}")


if __name__ == "__main__":
    main(*sys.argv[1:])
