#!/usr/bin/python3
"""A running Outlook Express (a dummy msimn.exe) blocks `apply` for Outlook
Express only: its accounts stay as they are (byte for byte), while a Windows
Live Mail account in the same profile is still changed; exit code 5 and the
message names msimn.exe. After msimn.exe ends, apply changes OE too."""

import shutil

import winebench
from oe_common import REG, check, export, profile_arg, run_json

WLM = REG / "wlmail"
LEAF = "account{6E2B0D94-1C7A-4F38-B5E2-9A0C4D1F7B63}.oeaccount"
OE1 = "oe/{3A6E7F2C-58B1-4C0D-9E2A-71D45B8C0F13}/00000001"


def main():
    with winebench.Prefix() as p:
        p.reg_import(REG / "oe-117net.reg")
        p.reg_import(WLM / "wlmail-117net.reg")
        folder = p.path("local_appdata") / "Microsoft" / "Windows Live Mail" / "Local Folders"
        folder.mkdir(parents=True)
        shutil.copyfile(WLM / LEAF, folder / LEAF)
        before = export(p)
        prof = profile_arg(p, "117net")
        with p.dummy_process("msimn.exe"):
            rc, rep, err = run_json(p, "--lang", "en", *prof, "scan")
            check(rc == 0, f"scan exit {rc}: {err}")
            progs = {q["program"]: q for q in rep["programs"]}
            check(progs["oe"]["running"] and not progs["wlmail"]["running"], f"{progs}")
            rc, rep, err = run_json(p, "--lang", "en", *prof, "apply", "--yes")
            check(rc == 5, f"apply exit {rc}: {err}")
            check("[A02]" in err and "msimn.exe" in err, f"stderr: {err}")
            check(export(p) == before, "Outlook Express changed while running")
            outcomes = {r["id"]: r["outcome"] for r in rep.get("results", [])}
            check(outcomes.get("wlmail/" + LEAF[:-len(".oeaccount")]) == "changed", f"{outcomes}")
            text = (folder / LEAF).read_bytes().decode("utf-16")
            check("vsmtp.117.ne.jp" in text and "0000024b" in text, "WLMail not changed")
        rc, rep, err = run_json(p, "--lang", "en", *prof, "apply", "--yes")
        check(rc == 0, f"apply after msimn.exe ended: exit {rc}: {err}")
        check({r["id"]: r["outcome"] for r in rep["results"]}.get(OE1) == "changed", f"{rep['results']}")
    print("ok")


if __name__ == "__main__":
    main()
