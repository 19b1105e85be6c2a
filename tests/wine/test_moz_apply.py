#!/usr/bin/python3
"""Thunderbird (2.x and current), Netscape 7.1 and Becky! under Wine, on the
real exe: a prefix with tests/data/mozilla/appdata/ (several profiles, one
in a Japanese-named folder, one broken, one never started), a profile on an
absolute non-ASCII path, a Netscape salted folder and a Becky! data folder
found through HKCU\\Software\\RimArts\\B2\\Settings DataDir ->
`scan` (statuses, read errors) -> `apply --yes` (byte diffs: only the ISP's
outgoing server's lines change, each changed file equals its *.expected
fixture) -> second apply writes nothing -> `undo --yes` (every file back
byte for byte).

    test_moz_apply.py micnet | japan-net
"""
import shutil
import sys

import winebench
from oe_common import DATA, account, check, fail, profile_arg, run_json

MOZ = DATA / "mozilla"
JP = "\u4ed5\u4e8b\u7528"  # 仕事用
MAIL = "\u30e1\u30fc\u30eb"  # メール


def build(p):
    """The prefix's files; returns {name: host path} of every file to watch."""
    appdata = p.path("appdata")
    shutil.copytree(MOZ / "appdata" / "Thunderbird", appdata / "Thunderbird")
    shutil.copytree(MOZ / "appdata" / "Mozilla", appdata / "Mozilla")
    # A profile on an absolute path with Japanese folder names (UTF-8 in
    # profiles.ini, as current Thunderbird writes it).
    absdir = p.path("c") / MAIL / "Thunderbird" / JP
    absdir.mkdir(parents=True)
    shutil.copyfile(MOZ / "tb-current-prefs.js", absdir / "prefs.js")
    ini = appdata / "Thunderbird" / "profiles.ini"
    ini.write_bytes(ini.read_bytes() + (
        "\r\n[Profile5]\r\nName=" + MAIL + "\r\nIsRelative=0\r\nPath=" + p.winpath(absdir) +
        "\r\n").encode("utf-8"))
    # Becky!: the data folder named by the registry.
    becky = p.path("c") / "BeckyData"
    shutil.copytree(DATA / "becky" / "home" / "Documents" / "Becky", becky)
    reg = p.path("temp") / "becky.reg"
    reg.parent.mkdir(parents=True, exist_ok=True)
    reg.write_text("REGEDIT4\r\n\r\n[HKEY_CURRENT_USER\\Software\\RimArts\\B2\\Settings]\r\n"
                   "\"DataDir\"=\"C:\\\\BeckyData\"\r\n", "ascii")
    p.reg_import(reg)
    tb = appdata / "Thunderbird" / "Profiles"
    return {
        "tb2": tb / "k3n9x2ab.default" / "prefs.js",
        "current": tb / "x7q2m1zc.default-release" / "prefs.js",
        "jpfolder": tb / ("q1w2e3r4." + JP) / "prefs.js",
        "broken": tb / "brokenpf.broken" / "prefs.js",
        "absolute": absdir / "prefs.js",
        "netscape": appdata / "Mozilla" / "Profiles" / "ichiro" / "abcd1234.slt" / "prefs.js",
        "becky": becky / "4a5b6c7d.mb" / "Mailbox.ini",
        "becky_other": becky / "1234abcd.mb" / "Mailbox.ini",
        "profiles_ini": ini,
    }


# Per ISP: account id -> status; file -> the fixture it must equal after apply.
CASES = {
    "micnet": (
        {
            "thunderbird/x7q2m1zc.default-release/account1/id1": "change",
            "thunderbird/x7q2m1zc.default-release/account1/id3": "change",
            "thunderbird/x7q2m1zc.default-release/account3/id2": "not_isp",
            f"thunderbird/q1w2e3r4.{JP}/account1/id1": "change",
            f"thunderbird/q1w2e3r4.{JP}/account1/id3": "change",
            f"thunderbird/{JP}/account1/id1": "change",
            "thunderbird/k3n9x2ab.default/account2/id1": "not_isp",
            "thunderbird/k3n9x2ab.default/account3/id2": "not_isp",
            "netscape/abcd1234.slt/account1/id1": "not_isp",
            "becky/4a5b6c7d.mb": "change",
            "becky/1234abcd.mb": "not_isp",
        },
        {"current": MOZ / "tb-current-prefs.expected.js",
         "jpfolder": MOZ / "tb-current-prefs.expected.js",
         "absolute": MOZ / "tb-current-prefs.expected.js",
         "becky": DATA / "becky" / "Mailbox.expected.ini"},
    ),
    "japan-net": (
        {
            "thunderbird/k3n9x2ab.default/account2/id1": "change",
            "thunderbird/k3n9x2ab.default/account3/id2": "not_isp",
            "thunderbird/x7q2m1zc.default-release/account1/id1": "not_isp",
            "netscape/abcd1234.slt/account1/id1": "change",
            "becky/4a5b6c7d.mb": "not_isp",
        },
        {"tb2": MOZ / "tb2-prefs.expected.js",
         "netscape": MOZ / "netscape71-prefs.expected.js"},
    ),
}

UNREADABLE = {"thunderbird/brokenpf.broken": "F10", "becky/99999999.mb": "F31"}


def snapshot(files):
    return {k: v.read_bytes() for k, v in files.items()}


def changed_lines(a, b):
    la, lb = a.splitlines(keepends=True), b.splitlines(keepends=True)
    return sorted(set(la) ^ set(lb))


def main(isp):
    want, after_want = CASES[isp]
    with winebench.Prefix() as p:
        files = build(p)
        before = snapshot(files)
        prof = profile_arg(p, isp)

        # The broken profile and mailbox make the scan fail (exit 1, each
        # named on stderr): they might be the ISP's.
        rc, rep, err = run_json(p, "--lang", "en", *prof, "scan")
        check(rc == 1, f"scan exit {rc}: {err}")
        for acct_id in UNREADABLE:
            check(acct_id in err, f"{acct_id} not named on stderr: {err}")
        for acct_id, status in want.items():
            a = account(rep, acct_id)
            check(a["status"] == status, f"{acct_id}: status {a['status']} != {status}")
            check("read_error" not in a, f"{acct_id}: {a.get('read_error')}")
        for acct_id, code in UNREADABLE.items():
            a = account(rep, acct_id)
            check(a.get("read_error", {}).get("helpdesk") == code,
                  f"{acct_id}: read_error {a.get('read_error')} (want {code})")
            check(a["status"] == "not_isp", f"{acct_id}: an unreadable profile is left alone")
        check(snapshot(files) == before, "scan changed a file")

        # Without --account nothing changes while an account is unreadable.
        r = p.run(*prof, "apply", "--yes")
        check(r.returncode == 1, f"apply with unreadable accounts: exit {r.returncode}")
        check(snapshot(files) == before, "apply with unreadable accounts changed a file")
        chosen = [x for i in want if want[i] == "change" for x in ("--account", i)]
        # Nothing changes while the program runs.
        exe, prog = ("thunderbird.exe", "thunderbird/") if isp == "micnet" else \
            ("netscp.exe", "netscape/")
        only = [x for i in want if want[i] == "change" and i.startswith(prog)
                for x in ("--account", i)]
        with p.dummy_process(exe):
            r = p.run(*prof, "apply", "--yes", *only)
        check(r.returncode == 5, f"apply while {exe} runs: exit {r.returncode}")
        check(snapshot(files) == before, f"apply while {exe} runs changed a file")
        rc, rep, err = run_json(p, "--lang", "en", *prof, "apply", "--yes", *chosen)
        check(rc == 0, f"apply exit {rc}: {err}\n{rep}")
        outcomes = {r["id"]: r["outcome"] for r in rep["results"]}
        for acct_id, status in want.items():
            if status == "change":
                check(outcomes.get(acct_id) == "changed", f"{acct_id}: {outcomes.get(acct_id)}")
            else:
                check(acct_id not in outcomes or outcomes[acct_id] == "skipped",
                      f"{acct_id} touched: {outcomes.get(acct_id)}")
        after = snapshot(files)
        for name, data in after.items():
            if name in after_want:
                exp = after_want[name].read_bytes()
                if data != exp:
                    fail(f"{name}: not the expected bytes; lines differing: "
                         f"{changed_lines(exp, data)}")
            elif data != before[name]:
                fail(f"{name} changed although not the ISP's: {changed_lines(before[name], data)}")
        backup = rep.get("backup")
        check(backup, "no backup in the report")
        # The backup keeps no Becky! password (PassWd=5A3F9C1B77 in the fixture).
        bdir = p.path("c") / backup[3:].replace("\\", "/") if backup[1:3] == ":\\" else None
        check(bdir is not None and bdir.is_dir(), f"backup folder {backup} not found")
        if isp == "micnet":
            copies = [f for f in bdir.rglob("*") if f.is_file()]
            check(len(copies) > 2, f"backup holds {len(copies)} files")
            for f in copies:
                check(not f.is_file() or b"5A3F9C1B77" not in f.read_bytes(),
                      f"password in the backup: {f}")

        rc, rep, err = run_json(p, *prof, "scan")
        check(all(a["status"] != "change" for a in rep["accounts"]), "still changes after apply")
        r = p.run(*prof, "apply", "--yes", *chosen)
        check(r.returncode == 0, f"second apply exit {r.returncode}: {r.stderr}")
        check(snapshot(files) == after, "second apply changed a file")

        r = p.run("--lang", "en", "undo", "--yes")
        check(r.returncode == 0, f"undo exit {r.returncode}: {r.stdout} {r.stderr}")
        now = snapshot(files)
        for name in files:
            check(now[name] == before[name], f"undo: {name} not back byte for byte: "
                  f"{changed_lines(before[name], now[name])}")
    print(f"ok: {isp}")


if __name__ == "__main__":
    main(*sys.argv[1:])
