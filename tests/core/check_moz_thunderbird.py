#!/usr/bin/python3
"""117net (seed 002) with Thunderbird, end to end: the wizard's engine
(moz-apply-tool) applies the 117net profile to a Thunderbird profile - the
outgoing server (vsmtp.117.ne.jp, 587, name and password = the incoming
user), the incoming server (vp -> vpop.117.ne.jp) and the user name (-> the
e-mail address), for a POP3 and an IMAP account - then Debian's real
Thunderbird starts headless on a copy of the result and rewrites prefs.js
itself. It must keep the same accounts (no second account, no lost
folder: the servers' folders stay where they were), and the new server,
user, folder URIs and outgoing settings. The IMAP account's outgoing
server already uses STARTTLS on 587 and keeps it (117net says
security none). Finally undo puts prefs.js and the filter file back byte
for byte. Cases: a current (Thunderbird 128) profile and a Thunderbird 2
profile (CRLF, the old auth_method names).

usage: check_moz_thunderbird.py MOZ_APPLY_TOOL TESTDATA_DIR SOURCE_DIR
Exit 0 when all holds, 1 otherwise, 77 (skipped) without thunderbird.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_prefs_thunderbird import parse_tb, run_tb  # noqa: E402

CASES = [("current", "t117cur.default"), ("tb2", "t117old.default")]
NEW_POP_URI = "mailbox://taro%40vp.117.ne.jp@vpop.117.ne.jp"
NEW_IMAP_URI = "imap://hanako%40vp.117.ne.jp@vpop.117.ne.jp"

# What Thunderbird's own rewrite of prefs.js must hold.
EXPECT = {
    "mail.accountmanager.accounts": "account1,account2,account3",
    "mail.server.server1.hostname": "vpop.117.ne.jp",
    "mail.server.server1.userName": "taro@vp.117.ne.jp",
    "mail.server.server1.directory-rel": "[ProfD]Mail/vp.117.ne.jp",
    "mail.server.server2.hostname": "vpop.117.ne.jp",
    "mail.server.server2.userName": "hanako@vp.117.ne.jp",
    "mail.server.server2.directory-rel": "[ProfD]ImapMail/vp.117.ne.jp",
    "mail.identity.id1.fcc_folder": NEW_POP_URI + "/Sent",
    "mail.identity.id1.draft_folder": NEW_POP_URI + "/Drafts",
    "mail.identity.id2.fcc_folder": NEW_IMAP_URI + "/Sent",
    "mail.smtpserver.smtp1.hostname": "vsmtp.117.ne.jp",
    "mail.smtpserver.smtp1.port": 587,
    "mail.smtpserver.smtp1.authMethod": 3,
    "mail.smtpserver.smtp1.username": "taro@vp.117.ne.jp",
    "mail.smtpserver.smtp2.hostname": "vsmtp.117.ne.jp",
    "mail.smtpserver.smtp2.port": 587,
    "mail.smtpserver.smtp2.try_ssl": 2,
    "mail.smtpserver.smtp2.username": "hanako@vp.117.ne.jp",
}

# Thunderbird's own defaults (mailnews.js): a value equal to one may be
# left out of its rewrite (the Thunderbird 2 profile's migrated
# auth_method becomes the default authMethod 3, "normal password").
DEFAULTS = {"mail.smtpserver.smtp1.authMethod": 3, "mail.smtpserver.smtp2.authMethod": 3}


def check(cond, what, failures):
    if not cond:
        print("FAIL:", what)
        failures.append(what)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def run_case(tool, data, src, case, tag, failures):
    with tempfile.TemporaryDirectory(prefix="tb117.") as tmp:
        appdata = os.path.join(tmp, "appdata")
        shutil.copytree(os.path.join(data, "mozilla", "tb117", case), appdata)
        prof = os.path.join(appdata, "Thunderbird", "Profiles", tag)
        prefs = os.path.join(prof, "prefs.js")
        filters = os.path.join(prof, "Mail", "vp.117.ne.jp", "msgFilterRules.dat")
        orig_prefs, orig_filters = read(prefs), read(filters)
        backup = os.path.join(tmp, "backup")
        os.mkdir(backup)
        profile = os.path.join(src, "isp-profiles", "117net.json")

        # Before anything changes, the plan holds no step by hand.
        res = subprocess.run([tool, "scan", appdata, profile], capture_output=True, text=True,
                             timeout=60)
        check(res.returncode == 0, f"{case}: scan: {res.stderr}", failures)
        plan = json.loads(res.stdout)["accounts"]
        for a in plan:
            check(a["status"] == "change" and not a["by_hand"],
                  f"{case}: {a['id']} planned {a['status']} with {len(a['by_hand'])} by hand",
                  failures)
        kept = [a for a in plan if a["email"] == "hanako@vp.117.ne.jp"]
        check(kept and kept[0].get("security_note") == "kept",
              f"{case}: hanako's STARTTLS is not reported kept", failures)

        res = subprocess.run([tool, "apply", appdata, profile, backup], capture_output=True,
                             text=True, timeout=60)
        results = [line.split("\t") for line in res.stdout.splitlines()
                   if line.startswith("RESULT\t")]
        check(res.returncode == 0 and len(results) == 2 and
              all(r[2] == "changed" for r in results),
              f"{case}: apply: {results} {res.stderr}", failures)
        text = read(filters).decode("utf-8")
        check(f'actionValue="{NEW_POP_URI}/Inbox/ML"' in text,
              f"{case}: filter target not migrated", failures)
        check('actionValue="mailbox://taro@vp.117.ne.jp.example.com/Inbox"' in text,
              f"{case}: another server's filter target changed", failures)

        # Thunderbird on a copy (undo below needs the applied original).
        run_dir = os.path.join(tmp, "run")
        shutil.copytree(prof, run_dir)
        t0 = time.time()
        got = parse_tb(run_tb(run_dir, read(prefs)))
        for name, want in EXPECT.items():
            check(got.get(name, DEFAULTS.get(name)) == want,
                  f"{case}: {name}: Thunderbird wrote {got.get(name)!r}, want {want!r}", failures)
        servers = {n.split(".")[2] for n in got if n.startswith("mail.server.server")}
        check(servers == {"server1", "server2", "server3"},
              f"{case}: servers after Thunderbird: {sorted(servers)}", failures)
        check(not any(n.endswith(".realhostname") or n.endswith(".realuserName") for n in got),
              f"{case}: a real* preference is left", failures)
        for moved in ("Mail/vpop.117.ne.jp", "ImapMail/vpop.117.ne.jp"):
            check(not os.path.exists(os.path.join(run_dir, moved)),
                  f"{case}: Thunderbird made a new folder {moved} (the old one is lost)", failures)
        check(os.path.exists(os.path.join(run_dir, "Mail", "vp.117.ne.jp", "Inbox.sbd", "ML")),
              f"{case}: the ML folder is gone", failures)
        print(f"{case}: Thunderbird kept {len(EXPECT)} checked preferences "
              f"({time.time() - t0:.1f} s)")

        res = subprocess.run([tool, "undo", appdata, backup], capture_output=True, text=True,
                             timeout=60)
        check(res.returncode == 0, f"{case}: undo: {res.stderr}", failures)
        check(read(prefs) == orig_prefs, f"{case}: undo: prefs.js differs", failures)
        check(read(filters) == orig_filters, f"{case}: undo: msgFilterRules.dat differs",
              failures)


def run_hotweb(tool, data, src, failures):
    """HotWeb (seed 000) with Thunderbird: a new default account on
    mail.hotweb.or.jp beside the old one, as Thunderbird writes one;
    Thunderbird keeps both and makes the new account's folder; a second
    apply adds nothing; undo is byte-exact."""
    with tempfile.TemporaryDirectory(prefix="tbhotweb.") as tmp:
        appdata = os.path.join(tmp, "appdata")
        shutil.copytree(os.path.join(data, "mozilla", "tbhotweb"), appdata)
        prof = os.path.join(appdata, "Thunderbird", "Profiles", "hotweb.default")
        prefs = os.path.join(prof, "prefs.js")
        orig = read(prefs)
        profile = os.path.join(src, "isp-profiles", "hotweb.json")
        backup = os.path.join(tmp, "backup")
        os.mkdir(backup)
        res = subprocess.run([tool, "scan", appdata, profile], capture_output=True, text=True,
                             timeout=60)
        plan = json.loads(res.stdout)["accounts"] if res.returncode == 0 else []
        check([a["status"] for a in plan] == ["add_account"],
              f"hotweb: plan {[a['status'] for a in plan]} {res.stderr}", failures)
        res = subprocess.run([tool, "apply", appdata, profile, backup], capture_output=True,
                             text=True, timeout=60)
        results = [line.split("\t") for line in res.stdout.splitlines()
                   if line.startswith("RESULT\t")]
        check(res.returncode == 0 and [r[2] for r in results] == ["added"],
              f"hotweb: apply: {results} {res.stderr}", failures)
        after = read(prefs)
        # A second apply finds the new account beside the old one.
        again = os.path.join(tmp, "again")
        os.mkdir(again)
        res = subprocess.run([tool, "apply", appdata, profile, again], capture_output=True,
                             text=True, timeout=60)
        plan = json.loads(res.stdout[:res.stdout.rfind("}") + 1])["accounts"]
        check(sorted(a["status"] for a in plan) == ["already_done", "replaced"],
              f"hotweb: second plan {[a['status'] for a in plan]}", failures)
        check("RESULT\t" not in res.stdout and read(prefs) == after,
              "hotweb: the second apply changed something", failures)

        run_dir = os.path.join(tmp, "run")
        shutil.copytree(prof, run_dir)
        t0 = time.time()
        folder = os.path.join(run_dir, "Mail", "mail.hotweb.or.jp")
        # Thunderbird makes the folder a few seconds after its first rewrite.
        got = parse_tb(run_tb(run_dir, after, lambda: os.path.isdir(folder)))
        want = {
            "mail.accountmanager.accounts": "account1,account2,account3",
            "mail.accountmanager.defaultaccount": "account3",
            "mail.account.account3.server": "server3",
            "mail.account.account3.identities": "id2",
            "mail.server.server3.type": "pop3",
            "mail.server.server3.hostname": "mail.hotweb.or.jp",
            "mail.server.server3.userName": "hanako@hotweb.or.jp",
            "mail.identity.id2.useremail": "hanako@hotweb.or.jp",
            "mail.identity.id2.smtpServer": "smtp2",
            "mail.smtpserver.smtp2.hostname": "mail.hotweb.or.jp",
            "mail.smtpserver.smtp2.port": 587,
            "mail.smtpserver.smtp2.username": "hanako@hotweb.or.jp",
            "mail.server.server1.hostname": "pop.hotweb.or.jp",
            "mail.smtpserver.smtp1.hostname": "smtp.hotweb.or.jp",
        }
        for name, value in want.items():
            check(got.get(name, DEFAULTS.get(name)) == value,
                  f"hotweb: {name}: Thunderbird wrote {got.get(name)!r}, want {value!r}",
                  failures)
        check(got.get("mail.smtpserver.smtp2.authMethod", 3) == 3,
              "hotweb: the new outgoing server does not use name and password", failures)
        check(os.path.isdir(folder), "hotweb: Thunderbird made no folder for the new account",
              failures)
        check(got.get("mail.server.server3.directory-rel") == "[ProfD]Mail/mail.hotweb.or.jp",
              f"hotweb: new folder pref {got.get('mail.server.server3.directory-rel')!r}",
              failures)
        check(os.path.isfile(os.path.join(run_dir, "Mail", "pop.hotweb.or.jp", "Inbox")),
              "hotweb: the old account's Inbox is gone", failures)
        print(f"hotweb: Thunderbird kept both accounts and made {os.path.basename(folder)} "
              f"({time.time() - t0:.1f} s)")
        res = subprocess.run([tool, "undo", appdata, backup], capture_output=True, text=True,
                             timeout=60)
        check(res.returncode == 0 and read(prefs) == orig, f"hotweb: undo: {res.stderr}",
              failures)


def main():
    tool, data, src = sys.argv[1], sys.argv[2], sys.argv[3]
    if not shutil.which("thunderbird"):
        print("thunderbird not installed: skipped")
        return 77
    failures = []
    for case, tag in CASES:
        run_case(tool, data, src, case, tag, failures)
    run_hotweb(tool, data, src, failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
