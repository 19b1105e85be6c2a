#!/usr/bin/python3
"""A running Windows Live Mail (a dummy wlmail.exe) blocks `apply` for
Windows Live Mail only: its store stays as it was, byte for byte, while the
Windows Mail account in the same prefix is still changed; exit code 5 and the
message names wlmail.exe. After wlmail.exe ends, apply changes it too."""

import winebench
from wlmail_common import (LEAF, WLDATA, acct_id, check, diff_files, profile_arg, run_json,
                           seed, snapshot)


def main():
    with winebench.Prefix() as p:
        wl = seed(p, "wlmail")
        wm = seed(p, "winmail")
        wl_before, wm_before = snapshot(wl), snapshot(wm)
        prof = profile_arg(p, "117net")
        leaf = LEAF["117net"]
        with p.dummy_process("wlmail.exe"):
            rc, rep, err = run_json(p, "--lang", "en", *prof, "scan")
            check(rc == 0, f"scan exit {rc}: {err}")
            progs = {q["program"]: q for q in rep["programs"]}
            check(progs["wlmail"]["running"] and not progs["winmail"]["running"], f"{progs}")
            rc, rep, err = run_json(p, "--lang", "en", *prof, "apply", "--yes")
            check(rc == 5, f"apply exit {rc}: {err}")
            check("[A02]" in err and "wlmail.exe" in err, f"stderr: {err}")
            check(snapshot(wl) == wl_before, "Windows Live Mail changed while running")
            outcomes = {r["id"]: r["outcome"] for r in rep.get("results", [])}
            check(outcomes == {acct_id("winmail", leaf): "changed"}, f"{outcomes}")
            check(diff_files(wm_before, snapshot(wm)) == [f"Local Folders/{leaf}"],
                  "Windows Mail not changed as expected")
        rc, rep, err = run_json(p, "--lang", "en", *prof, "apply", "--yes")
        check(rc == 0, f"apply after wlmail.exe ended: exit {rc}: {err}")
        outcomes = {r["id"]: r["outcome"] for r in rep["results"]}
        check(outcomes == {acct_id("wlmail", leaf): "changed"}, f"{outcomes}")
        check(snapshot(wl)[f"Local Folders/{leaf}"] ==
              (WLDATA / "expected" / "117net.oeaccount").read_bytes(), "wrong bytes")
    print("ok")


if __name__ == "__main__":
    main()
