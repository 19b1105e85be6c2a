#!/usr/bin/python3
"""The new Outlook and the Mail app (メール) under Wine: a PC whose only mail
program is one of them (or both), found from the per-user package folder
%LOCALAPPDATA%\\Packages\\<package family name>. Neither keeps its accounts
where mailsetup may change them, so:

- `scan` lists each as 'set by hand' with numbered steps holding the
  profile's new server and port, in English and Japanese, and never says
  "nothing needs to change"; exit 8 (docs/cli.md);
- `scan --json -` has the account entry with status by_hand and its steps,
  and the program with by_hand: true;
- `apply --yes` changes nothing, makes no backup, exit 8.

    test_byhand.py outlook|mail|both
"""
import sys

import winebench
from oe_common import check, profile_arg, run_json

PFN = {"outlook": "Microsoft.OutlookForWindows_8wekyb3d8bbwe",
       "mail": "microsoft.windowscommunicationsapps_8wekyb3d8bbwe"}
ID = {"outlook": "outlook_new/manual", "mail": "windows_mail_app/manual"}
PROGRAM = {"outlook": "outlook_new", "mail": "windows_mail_app"}
# What each program's built-in steps must say for 117net (server:port in the
# Mail app's one field; server and port in the new Outlook's).
WANT = {"outlook": {"en": ["vsmtp.117.ne.jp", "SMTP port to 587"],
                    "ja": ["vsmtp.117.ne.jp", "SMTP ポートを 587"]},
        "mail": {"en": ["vsmtp.117.ne.jp:587", "Advanced mailbox settings"],
                 "ja": ["vsmtp.117.ne.jp:587", "詳細メールボックス設定"]}}


def main(which):
    apps = ["outlook", "mail"] if which == "both" else [which]
    with winebench.Prefix() as p:
        for app in apps:
            (p.path("local_appdata") / "Packages" / PFN[app] / "LocalState").mkdir(parents=True)
        prof = profile_arg(p, "117net")

        for lang, nothing in (("en", "Nothing needs to change"), ("ja", "変更は必要ありません")):
            r = p.run("scan", *prof, "--lang", lang)
            check(r.returncode == 8, f"scan ({lang}) exit {r.returncode}: {r.stdout} {r.stderr}")
            check(nothing not in r.stdout, f"scan ({lang}) says nothing to change:\n{r.stdout}")
            check("[F32]" in r.stdout, f"scan ({lang}) lacks [F32]:\n{r.stdout}")
            for app in apps:
                check(f"[{PROGRAM[app]}]" in r.stdout, f"{app} not listed ({lang}):\n{r.stdout}")
                for words in WANT[app][lang]:
                    check(words in r.stdout, f"{app} ({lang}): no {words!r} in the steps:\n{r.stdout}")
            check("    1. " in r.stdout and "    5. " in r.stdout, f"no numbered steps:\n{r.stdout}")

        rc, rep, err = run_json(p, "scan", *prof, "--lang", "en")
        check(rc == 8 and rep["exit_code"] == 8, f"scan --json exit {rc}: {err}")
        accts = {a["id"]: a for a in rep["accounts"]}
        check(set(accts) == {ID[a] for a in apps}, f"accounts {sorted(accts)}")
        for app in apps:
            a = accts[ID[app]]
            # The program's settings cannot be read: no change is known,
            # the steps say what to do.
            check(a["status"] == "by_hand" and a["by_hand"] == [], f"{app}: {a}")
            check(a["read_error"]["helpdesk"] == "F32", f"{app}: {a.get('read_error')}")
            check(len(a["steps"]) >= 5 and all(s.strip() for s in a["steps"]), f"{app}: {a['steps']}")
            check(any(WANT[app]["en"][0] in s for s in a["steps"]), f"{app}: {a['steps']}")
            prog = next(q for q in rep["programs"] if q["program"] == PROGRAM[app])
            check(prog.get("by_hand") is True and prog["accounts"] == 1, f"{prog}")

        backups = p.path("local_appdata") / "mailsetup" / "backup"
        r = p.run("apply", "--yes", *prof, "--lang", "en")
        check(r.returncode == 8, f"apply exit {r.returncode}: {r.stdout} {r.stderr}")
        check("Nothing needs to change" not in r.stdout, r.stdout)
        check(not backups.exists() or not any(backups.iterdir()), "apply made a backup")
    print(f"ok: {which}: listed as set by hand with steps, exit 8")


if __name__ == "__main__":
    main(*sys.argv[1:])
