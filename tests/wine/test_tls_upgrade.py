#!/usr/bin/python3
"""outgoing.tls_upgrade under Wine, with Outlook Express and Internet
Kurume's two accounts (tests/data/reg/oe-ktarn.reg; post.ktarn.or.jp and
vpost.ktarn.or.jp on port 25, no encryption) and ktarn's profile with
"tls_upgrade": "when_verified" (tests/data/tlsup/ktarn-upgrade.profile.json).

`apply --yes` asks each account's new outgoing server before it changes
anything. The servers listen on port 587 of a loopback address of their own
(port 465 there is closed); the test-hook exe maps the ISP's names there
(MAILSETUP_TEST_RESOLVE) and trusts the test CA (MAILSETUP_TEST_CA_FILE).
Certificates are always verified; nothing turns that off.

  verified     STARTTLS, test-CA certificate for the host -> upgraded (T09):
               the registry holds port 587 + the TLS checkbox; the test send
               with --account uses STARTTLS and succeeds; undo restores
  wrong-name   STARTTLS, certificate for other.invalid -> not upgraded (T11)
  no-starttls  no STARTTLS offered -> not upgraded (T10)
  self-signed  STARTTLS, self-signed certificate -> not upgraded (T12)

In each case the probe never logs on (the server records no AUTH), the
reason is in the report in Japanese, and undo gives the registry back byte
for byte.
"""
import json

import sendlib
import smtpd
import winebench
from oe_common import export, parse
from sendlib import fail

ID1 = "oe/{E1F08A3B-6C45-4D92-B7E0-2A9C5D31F864}/00000001"  # kurume01, post
ID2 = "oe/{71C3D5A9-0E28-4B6F-9D14-8F2A6B0C3E57}/00000001"  # kurume02, vpost
KEY1 = (r"HKEY_CURRENT_USER\Identities\{E1F08A3B-6C45-4D92-B7E0-2A9C5D31F864}\Software"
        r"\Microsoft\Internet Account Manager\Accounts\00000001")
HOSTS = ["post.ktarn.or.jp", "vpost.ktarn.or.jp", "pop.ktarn.or.jp"]
ACCOUNTS = {"kurume01": sendlib.PASSWORD, "kurume02": sendlib.PASSWORD}
PROFILE = winebench.SOURCE_DIR / "tests" / "data" / "tlsup" / "ktarn-upgrade.profile.json"

CASES = [
    # name, server options, security_note, code, SMTP Secure Connection
    ("verified", dict(tls="starttls", cert="good"), "upgraded", "T09", "dword:00000001"),
    ("wrong-name", dict(tls="starttls", cert="wrong-name"), "not_upgraded", "T11", None),
    ("no-starttls", dict(tls="none"), "not_upgraded", "T10", None),
    ("self-signed", dict(tls="starttls", cert="self-signed"), "not_upgraded", "T12", None),
]


def server_on_587(pki, opts):
    """An smtpd on ADDR:587 of a free 127.x.y.z."""
    return sendlib.on_free_loopback(
        lambda addr: smtpd.Server(pki, accounts=ACCOUNTS, host=addr, port=587, **opts).start(),
        "port 587")


def hook_env(p, pki, addr):
    resolve = ";".join(f"{h}:{port}:{addr}" for h in HOSTS[:2] for port in (587, 465))
    return {"MAILSETUP_TEST_CA_FILE": p.winpath(pki / "ca.pem"),
            "MAILSETUP_TEST_RESOLVE": resolve}


def account(report, acct_id):
    for a in report["accounts"]:
        if a["id"] == acct_id:
            return a
    fail(f"{acct_id} not in the report")


def check_case(p, pki, prof, before, case):
    name, opts, note, code, secure = case
    addr, smtp = server_on_587(pki, opts)
    try:
        r = p.run("--lang", "ja", "--profile", prof, "apply", "--yes", "--json", "-",
                  env=hook_env(p, pki, addr), timeout=120)
        try:
            rep = json.loads(r.stdout)
        except json.JSONDecodeError:
            fail(f"{name}: apply --json - is not JSON", r)
        if r.returncode != 0:
            fail(f"{name}: apply --yes: want exit 0", r, rep)
        for acct_id, host in ((ID1, "post.ktarn.or.jp"), (ID2, "vpost.ktarn.or.jp")):
            a = account(rep, acct_id)
            text = a.get("security_note_text", "")
            if a.get("security_note") != note or f"[{code}]" not in text or host not in text:
                fail(f"{name}: {acct_id}: want security_note {note} with [{code}] and {host}",
                     r, a)
        text = account(rep, ID1)["security_note_text"]
        if code == "T09" and "暗号化するように設定します" not in text:
            fail(f"{name}: the Japanese sentence of T09", r, text)
        if code != "T09" and "プロバイダーの設定（暗号化なし）のままにします" not in text:
            fail(f"{name}: the Japanese sentence says the provider's setting stays", r, text)
        sessions = smtp.wait_sessions(2)
        if any(s["auth"] for s in sessions):
            fail(f"{name}: the probe must not log on: {sessions}")
        if name == "verified" and not all(s["tls"] for s in sessions):
            fail(f"{name}: every probe session ended encrypted: {sessions}")
        after = export(p)
        values = parse(after)[KEY1]
        sc = values.get("SMTP Secure Connection")
        if values.get("SMTP Port") != "dword:0000024b" or \
                (sc != secure if secure else sc not in (None, "dword:00000000")):
            fail(f"{name}: registry of {ID1}: {values}")
        if name == "verified":
            test_send(p, pki, addr, smtp)
    finally:
        smtp.stop()
    r = p.run("--lang", "en", "undo", "--yes", timeout=120)
    if r.returncode != 0:
        fail(f"{name}: undo --yes", r)
    if export(p) != before:
        fail(f"{name}: undo did not give the registry back byte for byte")
    print(f"ok: {name}: {note} [{code}] for both accounts; probe did not log on; undo exact")


def test_send(p, pki, addr, smtp):
    """The account as apply left it: STARTTLS on 587, and the send works."""
    n0 = len(smtp.sessions)
    r, rep = sendlib.account_send(p, PROFILE, ID1, pki, [f"post.ktarn.or.jp:587:{addr}"],
                                  "--no-port25", name="tlsup-send")
    srv = rep["server"]
    if r.returncode != 0 or not rep["sent"] or (srv["host"], srv["port"], srv["security"]) != \
            ("post.ktarn.or.jp", 587, "starttls"):
        fail("test-send --account after the upgrade: want sent over STARTTLS on 587", r, rep)
    msgs = [m for s in smtp.wait_sessions(n0 + 1)[n0:] for m in s["messages"]]
    if len(msgs) != 1 or not msgs[0]["tls"] or msgs[0]["authenticated_user"] != "kurume01":
        fail(f"server record of the test send: {msgs}", r, rep)


def main():
    pki = sendlib.pki_dir(HOSTS)
    with winebench.Prefix(display=False) as p:
        prof = p.winpath(PROFILE)
        p.reg_import(winebench.SOURCE_DIR / "tests" / "data" / "reg" / "oe-ktarn.reg")
        before = export(p)
        for case in CASES:
            check_case(p, pki, prof, before, case)


if __name__ == "__main__":
    main()
