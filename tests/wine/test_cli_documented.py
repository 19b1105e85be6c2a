#!/usr/bin/python3
"""What docs/cli.md and docs/backup.md promise about the command line, each
checked on the real exe under Wine:

    test_cli_documented.py dryrun    `apply --dry-run` shows the plan and
                                     changes nothing: no registry value, no
                                     backup folder
    test_cli_documented.py undo      the backup folder is
                                     %LOCALAPPDATA%\\mailsetup\\backup\\YYYYMMDD-HHMMSS
                                     (the time of the run); `undo --backup
                                     FOLDER --yes` and `undo FOLDER --yes`
                                     restore that run byte for byte and mark
                                     it undone.txt; then `undo` has nothing
                                     left (exit 4)
    test_cli_documented.py newest    among several backup folders `undo`
                                     takes the newest without undone.txt
    test_cli_documented.py nothing   none of the ISP's accounts: `scan` and
                                     `apply --yes` exit 4, nothing changes
    test_cli_documented.py secrets   the --json reports of scan and apply,
                                     their stdout/stderr, the backup folder
                                     and the whole prefix never hold the
                                     stored password (OE's "POP3 Password2"
                                     blob, tests/data/reg/oe-117net.reg)
    test_cli_documented.py lang      without --lang, the language follows
                                     the user's UI language of the Wine
                                     prefix (its locale), Japanese or English
"""
import json
import re
import shutil
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import secretscan
import winebench
from oe_common import REG, check, diff, expected, export, fail, profile_arg, run_json

FIXTURE, ISP, DIFF = "oe-117net.reg", "117net", "oe-117net.apply.diff"


def backup_root(p):
    return Path(p.path("local_appdata")) / "mailsetup" / "backup"


def folders(p):
    root = backup_root(p)
    return sorted(d.name for d in root.iterdir()) if root.is_dir() else []


def host_of(p, winpath):
    """The host path of a C:\\ path the program printed."""
    check(winpath[:3].upper() == "C:\\", f"not on C: {winpath}")
    return p.path("c").joinpath(*winpath[3:].split("\\"))


def apply_yes(p, prof):
    rc, rep, err = run_json(p, "--lang", "en", *prof, "apply", "--yes")
    check(rc == 0, f"apply exit {rc}: {err}")
    got = diff(BEFORE[p], export(p))
    check(got == expected(DIFF), f"apply changed {sorted(got)}")
    return rep


BEFORE = {}


def case_dryrun():
    with winebench.Prefix(display=False) as p:
        p.reg_import(REG / FIXTURE)
        before = export(p)
        prof = profile_arg(p, ISP)
        r = p.run("--lang", "en", *prof, "apply", "--dry-run")
        check(r.returncode == 0, f"apply --dry-run exit {r.returncode}: {r.stderr}")
        # The plan is shown: both 117net accounts' new server and port.
        check(r.stdout.count("vsmtp.117.ne.jp") >= 2 and "587" in r.stdout,
              f"the plan is not shown:\n{r.stdout}")
        rc, rep, err = run_json(p, "--lang", "en", *prof, "apply", "--dry-run")
        check(rc == 0, f"apply --dry-run --json exit {rc}: {err}")
        changes = [a for a in rep["accounts"] if a["status"] == "change"]
        check(len(changes) == 2, f"want 2 accounts to change in the report, got {len(changes)}")
        check(not rep.get("results") and not rep.get("backup"),
              f"a dry run reports results or a backup: {rep.get('results')} {rep.get('backup')}")
        check(export(p) == before, "apply --dry-run changed the registry:\n" +
              "\n".join(sorted(diff(before, export(p)))))
        check(folders(p) == [], f"apply --dry-run made a backup folder: {folders(p)}")
    print("ok: apply --dry-run shows the plan and changes nothing")


def check_layout(p, backup, t0, t1):
    """%LOCALAPPDATA%\\mailsetup\\backup\\YYYYMMDD-HHMMSS, the local time of
    the run (Wine's local time is the host's)."""
    folder = host_of(p, backup)
    check(folder.parent == backup_root(p), f"backup {backup} is not in {backup_root(p)}")
    m = re.fullmatch(r"(\d{8}-\d{6})(-\d+)?", folder.name)
    check(m, f"backup folder name {folder.name!r} is not YYYYMMDD-HHMMSS")
    when = datetime.strptime(m.group(1), "%Y%m%d-%H%M%S")
    lo = datetime.fromtimestamp(t0) - timedelta(seconds=2)
    hi = datetime.fromtimestamp(t1) + timedelta(seconds=2)
    check(lo <= when <= hi, f"backup folder time {when} is not the run's ({lo} .. {hi})")
    check((folder / "journal.json").is_file(), f"no journal.json in {folder}")
    return folder


def case_undo():
    with winebench.Prefix(display=False) as p:
        p.reg_import(REG / FIXTURE)
        BEFORE[p] = before = export(p)
        prof = profile_arg(p, ISP)
        t0 = time.time()
        rep = apply_yes(p, prof)
        a = check_layout(p, rep["backup"], t0, time.time())

        r = p.run("--lang", "en", "undo", "--backup", rep["backup"], "--yes")
        check(r.returncode == 0, f"undo --backup exit {r.returncode}: {r.stderr}")
        check(export(p) == before, "undo --backup FOLDER did not restore byte for byte:\n" +
              "\n".join(sorted(diff(before, export(p)))))
        check((a / "undone.txt").is_file(), "undo --backup did not mark the folder undone")
        time.sleep(1.1)  # a new second: a new folder name

        t0 = time.time()
        rep = apply_yes(p, prof)
        b = check_layout(p, rep["backup"], t0, time.time())
        check(b != a, "the second apply reused the first backup folder")
        r = p.run("--lang", "en", "undo", rep["backup"], "--yes")
        check(r.returncode == 0, f"undo FOLDER exit {r.returncode}: {r.stderr}")
        check(export(p) == before, "undo FOLDER did not restore byte for byte")
        check((b / "undone.txt").is_file(), "undo FOLDER did not mark the folder undone")

        r = p.run("--lang", "en", "undo", "--yes")
        check(r.returncode == 4, f"undo with every backup undone: exit {r.returncode}, not 4")
        check(export(p) == before, "a refused undo changed the registry")
    print("ok: backup folder layout; undo --backup FOLDER and undo FOLDER; nothing left: exit 4")


def case_newest():
    with winebench.Prefix(display=False) as p:
        p.reg_import(REG / FIXTURE)
        BEFORE[p] = before = export(p)
        prof = profile_arg(p, ISP)
        rep = apply_yes(p, prof)
        real = host_of(p, rep["backup"])
        # Beside the real run: a newer folder that was undone already, and
        # an older one that was not (copies of the same journal).
        newer, older = real.parent / "29991231-235959", real.parent / "20000101-000000"
        shutil.copytree(real, newer)
        (newer / "undone.txt").write_bytes(b"undone\r\n")
        shutil.copytree(real, older)

        r = p.run("--lang", "en", "undo", "--yes")
        check(r.returncode == 0, f"undo exit {r.returncode}: {r.stderr}")
        check(real.name in r.stdout and newer.name not in r.stdout,
              f"undo did not take the newest folder without undone.txt ({real.name}):\n{r.stdout}")
        check((real / "undone.txt").is_file(), "the folder undone was not marked")
        check(not (older / "undone.txt").exists(), "the older folder was marked undone")
        check(export(p) == before, "undo did not restore byte for byte")

        r = p.run("--lang", "en", "undo", "--yes")
        check(r.returncode == 0 and older.name in r.stdout,
              f"the next undo did not take the older folder: {r.returncode} {r.stdout}")
        r = p.run("--lang", "en", "undo", "--yes")
        check(r.returncode == 4, f"third undo: exit {r.returncode}, not 4")
    print("ok: undo takes the newest backup without undone.txt, then the one before")


def case_nothing():
    with winebench.Prefix(display=False) as p:
        p.reg_import(REG / FIXTURE)  # 117net's and another provider's accounts
        before = export(p)
        prof = profile_arg(p, "micnet")  # none of them is MicNet's
        r = p.run("--lang", "en", *prof, "scan")
        check(r.returncode == 4, f"scan with nothing of the ISP: exit {r.returncode}, not 4")
        r = p.run("--lang", "en", *prof, "apply", "--yes")
        check(r.returncode == 4, f"apply with nothing of the ISP: exit {r.returncode}, not 4")
        check(export(p) == before, "apply with nothing to do changed the registry")
        check(folders(p) == [], f"apply with nothing to do made a backup: {folders(p)}")
    print("ok: nothing of the ISP: scan and apply exit 4, nothing changes")


def stored_blobs(fixture):
    """The "...Password2" blobs of a .reg fixture (UTF-16 regedit file)."""
    text = fixture.read_bytes().decode("utf-16").replace("\\\r\n", "").replace("\r\n", "\n")
    blobs = [bytes.fromhex(m.group(1).replace(",", "").replace(" ", ""))
             for m in re.finditer(r'Password2"=hex:([0-9a-f, ]+)', text)]
    check(blobs, f"no Password2 in {fixture}")
    return blobs


def case_secrets():
    blobs = stored_blobs(REG / FIXTURE)
    pats = {}
    for i, b in enumerate(blobs):
        pats.update({f"blob {i} {k}": v for k, v in secretscan.blob_forms(b).items()})
    with winebench.Prefix(display=False) as p:
        p.reg_import(REG / FIXTURE)
        BEFORE[p] = export(p)
        prof = profile_arg(p, ISP)
        texts = []
        for verb in (["scan"], ["apply", "--yes"]):
            r = p.run("--lang", "en", *prof, *verb, "--json", "-")
            check(r.returncode == 0, f"{verb} exit {r.returncode}: {r.stderr}")
            rep = json.loads(r.stdout)
            check(rep["accounts"], f"{verb}: empty report")
            texts += [r.stdout, r.stderr]
            check("Password2" not in r.stdout, f"{verb} --json names the password value")
        p.wait()
        # The registry still holds the blob (user.reg): everything else must
        # not. The hives are searched through the exported texts instead.
        hits = secretscan.find(p, patterns=pats, texts=texts,
                               exclude=(p.root / "user.reg",))
        check(not hits, "the stored password is in:\n  " + "\n  ".join(hits))
        # The search sees the blob in a file (or it proves nothing).
        probe = p.path("c") / "probe.json"
        probe.write_bytes(b'{"x": "' + blobs[0].hex().encode() + b'"}')
        check(secretscan.find(p, patterns=pats, exclude=(p.root / "user.reg",)),
              "the search does not see the blob in a probe file")
        probe.unlink()
    print("ok: no stored password in the --json reports, output, backup or files")


def help_lines(p, extra_env=None):
    r = p.run("--help", env=extra_env)
    check(r.returncode == 0, f"--help exit {r.returncode}")
    check("\ufffd" not in r.stdout, "U+FFFD in --help")
    return r.stdout


def case_lang():
    # The prefix's user locale is what Wine takes the UI language from
    # (LANG/LC_ALL of the Wine session, like a Windows user's display
    # language); no --lang anywhere.
    with winebench.Prefix(display=False, lang="ja_JP.UTF-8") as p:
        ja = help_lines(p)
        r = p.run("profile", "check", p.winpath(winebench.SOURCE_DIR / "tests" / "data" /
                                                "profiles" / "broken" / "unknown-key-typo.json"))
        check(r.returncode == 3 and "このキーは使えません" in r.stdout + r.stderr,
              f"Japanese UI: profile check not in Japanese: {r.stdout}{r.stderr}")
    with winebench.Prefix(display=False, lang="en_US.UTF-8") as p:
        en = help_lines(p)
        r = p.run("profile", "check", p.winpath(winebench.SOURCE_DIR / "tests" / "data" /
                                                "profiles" / "broken" / "unknown-key-typo.json"))
        check(r.returncode == 3 and "unknown key" in r.stdout + r.stderr,
              f"English UI: profile check not in English: {r.stdout}{r.stderr}")
    check(re.search(r"[\u3040-\u30ff]", ja), f"Japanese UI: --help has no kana:\n{ja}")
    check(not re.search(r"[\u3040-\u30ff]", en), f"English UI: --help has kana:\n{en}")
    print("ok: the default language follows the prefix's UI language")


CASES = {"dryrun": case_dryrun, "undo": case_undo, "newest": case_newest,
         "nothing": case_nothing, "secrets": case_secrets, "lang": case_lang}

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in CASES:
        fail(f"usage: test_cli_documented.py {'|'.join(CASES)}")
    CASES[sys.argv[1]]()
