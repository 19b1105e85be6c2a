#!/usr/bin/python3
"""Outlook 2000 in Internet-only mode under Wine (tests/data/reg/
outlook2000-117net.reg: the provider's account, another provider's, a news
account, and Outlook 98's older key beside it):

- `scan --profile FILE --json -` lists the two mail accounts as program
  outlook2000 (the ISP's: change, the other: not_isp);
- a running outlook.exe blocks apply: exit 5, [A02] naming outlook.exe,
  nothing changed;
- `apply --yes` changes exactly the values Outlook Express's account gets
  (tests/data/reg/expected/outlook2000-117net.apply.diff, the unit test's
  expectation too): only the ISP's account, nothing in Outlook 98's key;
- a second apply writes nothing; `undo --yes` gives the export back byte for
  byte."""

import winebench
from oe_common import REG, account, check, check_diff, diff, profile_arg, run_json
from oe_common import export as export_keys

KEYS = [r"HKEY_CURRENT_USER\Software\Microsoft\Office"]
ISP = "outlook2000/office/00000001"
OTHER = "outlook2000/office/00000002"


def export(p):
    return export_keys(p, KEYS)


def main():
    with winebench.Prefix() as p:
        p.reg_import(REG / "outlook2000-117net.reg")
        before = export(p)
        check("OMI Account Manager" in before, "fixture not imported")
        prof = profile_arg(p, "117net")

        # Global options after the verb, as a helpdesk types them.
        rc, rep, err = run_json(p, "scan", *prof, "--lang", "en")
        check(rc == 0, f"scan exit {rc}: {err}")
        mine = {a["id"]: a for a in rep["accounts"] if a["program"] == "outlook2000"}
        check(set(mine) == {ISP, OTHER}, f"scan ids {sorted(mine)}")
        check(mine[ISP]["status"] == "change", f"{mine[ISP]['status']}")
        check(mine[OTHER]["status"] == "not_isp", f"{mine[OTHER]['status']}")
        check(mine[ISP]["container"] == "Outlook 2000", mine[ISP].get("container"))
        check(any(c["to"] == "vsmtp.117.ne.jp" for c in mine[ISP]["changes"]), f"{mine[ISP]}")
        progs = {q["program"]: q for q in rep["programs"]}
        check(progs["outlook2000"]["accounts"] == 2, f"{progs.get('outlook2000')}")
        check(export(p) == before, "scan changed the registry")

        with p.dummy_process("outlook.exe"):
            rc, rep, err = run_json(p, "--lang", "en", *prof, "apply", "--yes")
            check(rc == 5, f"apply while outlook.exe runs: exit {rc}: {err}")
            check("[A02]" in err and "outlook.exe" in err, f"stderr: {err}")
            check(export(p) == before, "Outlook changed while running")

        rc, rep, err = run_json(p, "--lang", "en", *prof, "apply", "--yes")
        check(rc == 0, f"apply exit {rc}: {err}")
        outcomes = {r["id"]: r["outcome"] for r in rep["results"]}
        check(outcomes == {ISP: "changed"}, f"outcomes {outcomes}")
        after = export(p)
        check_diff(before, after, "outlook2000-117net.apply.diff")

        rc, rep, err = run_json(p, *prof, "scan")
        check(account(rep, ISP)["status"] == "already_done", f"{account(rep, ISP)['status']}")
        r = p.run(*prof, "apply", "--yes")
        check(r.returncode == 0, f"second apply exit {r.returncode}: {r.stderr}")
        check(export(p) == after, "second apply changed the registry")

        r = p.run("undo", "--yes", "--lang", "en")
        check(r.returncode == 0, f"undo exit {r.returncode}: {r.stdout} {r.stderr}")
        check(export(p) == before, "undo did not restore the export byte for byte:\n" +
              "\n".join(sorted(diff(before, export(p)))))
    print("ok: Outlook 2000 Internet-only")


if __name__ == "__main__":
    main()
