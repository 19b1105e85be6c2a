#!/usr/bin/python3
"""Eudora beside Outlook Express, on the real exe under Wine: Eudora's
settings are not changed automatically (where it keeps them could not be
confirmed, docs/mail-programs.md), so `scan` names it with [F32] ("follow
the steps") as information, not as an error: the scan succeeds, `apply`
still changes the OE accounts, and nothing under Eudora's key changes.

    test_eudora.py
"""
import tempfile
from pathlib import Path

import winebench
from oe_common import REG, account, check, export, profile_arg, run_json

EUDORA = r"HKEY_CURRENT_USER\Software\Qualcomm\Eudora"


def main():
    with winebench.Prefix() as p:
        p.reg_import(REG / "oe-micnet.reg")
        with tempfile.TemporaryDirectory() as tmp:
            reg = Path(tmp) / "eudora.reg"
            reg.write_text("REGEDIT4\r\n\r\n[" + EUDORA + "]\r\n"
                           '"CommandLine"="C:\\\\Program Files\\\\Qualcomm\\\\Eudora\\\\'
                           'Eudora.exe C:\\\\Eudora"\r\n\r\n', encoding="ascii")
            p.reg_import(reg)
        eudora_before = p.reg_export(EUDORA)
        check("CommandLine" in eudora_before, "Eudora's key not imported")
        prof = profile_arg(p, "micnet")

        for lang, words in (("en", "cannot be changed automatically"), ("ja", "自動では変更できません")):
            r = p.run("--lang", lang, *prof, "scan")
            check(r.returncode == 0, f"scan ({lang}) exit {r.returncode}: {r.stdout} {r.stderr}")
            check("[F32]" in r.stdout and words in r.stdout,
                  f"scan ({lang}) does not say Eudora must be changed by hand:\n{r.stdout}")

        rc, rep, err = run_json(p, "--lang", "en", *prof, "scan")
        check(rc == 0, f"scan exit {rc}: {err}")
        e = account(rep, "eudora/manual")
        check(e["program"] == "eudora", f"program {e['program']}")
        check(e.get("read_error", {}).get("helpdesk") == "F32", f"eudora: {e.get('read_error')}")
        check(e["status"] != "change", f"eudora status {e['status']}")

        before = export(p)
        rc, rep, err = run_json(p, "--lang", "en", *prof, "apply", "--yes")
        check(rc == 0, f"apply exit {rc}: {err}")
        changed = [r["id"] for r in rep["results"] if r["outcome"] == "changed"]
        check(changed and all(i.startswith("oe/") for i in changed), f"changed {changed}")
        check(export(p) != before, "apply changed nothing")
        check(p.reg_export(EUDORA) == eudora_before, "apply touched Eudora's key")
    print("ok: Eudora named for manual steps; OE changed; Eudora untouched")


if __name__ == "__main__":
    main()
