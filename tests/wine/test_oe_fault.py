#!/usr/bin/python3
"""A failure injected at every write of `apply` in turn (the test-only
switch MAILSETUP_TEST_FAULT_WRITE=n, see verb_accounts.c; the journal's file
writes and the registry's writes are counted alike) leaves each Outlook
Express account fully old or fully new — never half changed — and `undo`
then gives the registry back byte for byte. Ends when a run's n-th write no
longer exists (the fault did not fire and everything was applied).

    test_oe_fault.py ISP FIXTURE EXPECTED_DIFF"""

import json
import sys

import winebench
from oe_common import REG, check, diff, expected, export, fail, profile_arg, run_json


def account_lines(lines, acct_key):
    return {l for l in lines if acct_key in l}


def main(isp, fixture, expected_diff):
    want = expected(expected_diff)
    with winebench.Prefix() as p:
        p.reg_import(REG / fixture)
        before = export(p)
        prof = profile_arg(p, isp)
        # The account keys the expected change touches, each all-or-nothing.
        keys = sorted({l.split("\\Accounts\\")[1].split("\\")[0].split("]")[0]
                       for l in want if "\\Accounts\\" in l})
        idents = sorted({l.split("Identities\\")[1].split("\\")[0] for l in want})
        groups = [f"{g}\\Software\\Microsoft\\Internet Account Manager\\Accounts\\{k}"
                  for g in idents for k in keys]
        n = 0
        while True:
            n += 1
            check(n < 200, "more than 200 writes?")
            env = {"MAILSETUP_TEST_FAULT_WRITE": str(n)}
            r = p.run("--lang", "en", *prof, "apply", "--yes", "--json", "-", env=env)
            check(r.stdout.strip() != "", f"write {n}: no JSON report, exit {r.returncode}: {r.stderr}")
            rep = json.loads(r.stdout)
            fired = rep.get("test_fault_fired")
            check(fired is not None, f"write {n}: the test switch did not arm: {r.stderr}")
            got = diff(before, export(p))
            check(got <= want, f"write {n}: unexpected change: {sorted(got - want)}")
            for g in groups:
                part, full = account_lines(got, g), account_lines(want, g)
                if part and part != full:
                    fail(f"write {n}: {g} half changed:\n  " + "\n  ".join(sorted(part)))
            if not fired:
                check(r.returncode == 0 and got == want, f"write {n}: clean run: {r.stderr}")
                break
            check(r.returncode in (1, 6), f"write {n}: exit {r.returncode}")
            u = p.run("undo", "--yes")
            # A fault at the journal's first write leaves no backup: exit 4.
            check(u.returncode in (0, 4), f"write {n}: undo exit {u.returncode}: {u.stdout} {u.stderr}")
            check(export(p) == before, f"write {n}: undo did not restore:\n" +
                  "\n".join(sorted(diff(before, export(p)))))
    print(f"ok: {n - 1} writes, each failed once")


if __name__ == "__main__":
    main(*sys.argv[1:])
