#!/usr/bin/python3
"""test-send --account: the account comes from the scan, exactly as `apply`
left it. Outlook Express with Internet Kurume's two accounts
(tests/data/reg/oe-ktarn.reg) is moved to port 587 + SMTP AUTH by
`apply --yes`, then `test-send --account <id> --pop3` sends with the
account's own settings - post.ktarn.or.jp:587, no encryption, the POP3
user name (SMTP AUTH "same as incoming") - to servers listening on ports
587 and 110 of a loopback address of their own (127.x.y.z, so parallel tests
never meet), the ISP's names mapped there with --resolve. The profile
allows the POP3 round trip, so the message is also fetched back and
deleted; port 25 of that address is closed, so OP25B is explained (S19).
"""
import json
import time

import pop3d
import sendlib
import smtpd
import winebench
from sendlib import fail

ACCOUNT = "oe/{E1F08A3B-6C45-4D92-B7E0-2A9C5D31F864}/00000001"
USER, ADDRESS = "kurume01", "kurume01@ktarn.or.jp"
SMTP_HOST, POP_HOST = "post.ktarn.or.jp", "pop.ktarn.or.jp"


def servers(pki, box):
    """An smtpd on ADDR:587 and a pop3d on ADDR:110 for a free 127.x.y.z."""
    def start(addr):
        smtp = smtpd.Server(pki, tls="none", accounts={USER: sendlib.PASSWORD}, mailbox=box,
                            host=addr, port=587).start()
        try:
            return smtp, pop3d.POP3Server(box, {USER: sendlib.PASSWORD}, host=addr,
                                          port=110).__enter__()
        except OSError:
            smtp.stop()
            raise
    addr, (smtp, pop) = sendlib.on_free_loopback(start, "ports 587 and 110")
    return addr, smtp, pop


def main():
    pki = sendlib.pki_dir()
    box = smtpd.Mailbox()
    profile = ["--profile", None]
    with winebench.Prefix(display=False) as p:
        profile[1] = p.winpath(winebench.SOURCE_DIR / "isp-profiles" / "ktarn.json")
        p.reg_import(winebench.SOURCE_DIR / "tests" / "data" / "reg" / "oe-ktarn.reg")
        r = p.run(*profile, "apply", "--yes")
        if r.returncode != 0:
            fail("apply --yes", r)
        addr, smtp, pop = servers(pki, box)
        try:
            since = time.time()
            report = p.path("c") / "account-send.json"
            r = p.run("--lang", "ja", "test-send", *profile, "--account", ACCOUNT,
                      "--password-stdin", "--pop3", "--pop3-wait", "20",
                      "--resolve", f"{SMTP_HOST}:587:{addr}", "--resolve", f"{POP_HOST}:110:{addr}",
                      "--json", p.winpath(report), stdin=sendlib.PASSWORD + "\n", timeout=90)
            text = report.read_text(encoding="utf-8") if report.exists() else ""
            rep = json.loads(text) if text else None
            if r.returncode != 0 or not rep:
                fail("test-send --account: want exit 0", r, rep)
            srv = rep["server"]
            if (srv["host"], srv["port"], srv["security"], srv["user"], srv["from"]) != \
                    (SMTP_HOST, 587, "none", USER, ADDRESS):
                fail(f"the account's settings as sent: {srv}", r, rep)
            if not rep["sent"] or not rep["pop3"]["received"] or not rep["pop3"]["removed"]:
                fail("want sent, received, removed", r, rep)
            if "送信: 成功" not in r.stdout or "受信: 確認しました" not in r.stdout:
                fail("the Japanese result lines", r)
            if rep["op25b"]["diagnosis"]["code"] != "S19" or "[S19]" not in r.stdout:
                fail("port 25 of the server is closed: want S19", r, rep)
            msgs = [m for s in smtp.wait_sessions(1) for m in s["messages"]]
            if len(msgs) != 1 or msgs[0]["authenticated_user"] != USER or \
                    msgs[0]["mail_from"] != ADDRESS or msgs[0]["rcpt_tos"] != [ADDRESS]:
                fail(f"server record {msgs}", r, rep)
            if msgs[0]["headers"].get("Subject") != sendlib.SUBJECT:
                fail("decoded Subject", r, rep)
            if box.snapshot():
                fail("the test message is still in the mailbox", r, rep)
            n = sendlib.check_no_secret(p, r, text, since)
            print(f"ok: {ACCOUNT} via the scan: sent, received, removed, [S19]; "
                  f"{n} files searched, no password")
        finally:
            smtp.stop()
            pop.__exit__(None, None, None)

        # An account id the scan does not know: a usage error, nothing sent.
        r = p.run("--lang", "en", "test-send", *profile, "--account", "oe/{nope}/1",
                  "--password-stdin", stdin=sendlib.PASSWORD + "\n")
        if r.returncode != 2 or "[E02]" not in r.stderr:
            fail("unknown account: want exit 2 and E02", r)
        # The password never on the command line.
        r = p.run("test-send", "--account", ACCOUNT, "--password", "x")
        if r.returncode != 2 or "[E02]" not in r.stderr:
            fail("--password must be refused", r)
        # Another provider's account beside Kurume's: the scan reads it only
        # as far as it identifies itself, and it is not this ISP's to test.
        other_id = ACCOUNT.rsplit("/", 1)[0] + "/00000009"
        key = ("HKEY_CURRENT_USER\\Identities\\" + ACCOUNT.split("/")[1] +
               "\\Software\\Microsoft\\Internet Account Manager\\Accounts\\00000009")
        other = p.path("c") / "other.reg"
        other.write_text("\r\n".join([
            "REGEDIT4", "", f"[{key}]", '"Account Name"="Gmail"',
            '"POP3 Server"="pop.gmail.com"', '"POP3 User Name"="someone"',
            '"SMTP Server"="smtp.gmail.com"', '"SMTP Email Address"="someone@gmail.com"',
            '"SMTP Port"=dword:000001d1', ""]), encoding="ascii")
        p.reg_import(other)
        r = p.run("--lang", "en", *profile, "scan", "--json", "-")
        acct = next(a for a in json.loads(r.stdout)["accounts"] if a["id"] == other_id)
        if not (acct["status"] == "not_isp" and acct.get("summary_only") is True
                and acct["smtp_host"] == "smtp.gmail.com" and "smtp_port" not in acct
                and "incoming_user" not in acct):
            fail(f"another provider's account in the scan: {acct}", r)
        r = p.run("--lang", "en", "test-send", *profile, "--account", other_id,
                  "--password-stdin", stdin=sendlib.PASSWORD + "\n")
        if r.returncode != 2 or "[E02]" not in r.stderr or \
                "not this provider's account" not in r.stderr:
            fail("another provider's account: want exit 2, E02, the reason", r)
        print("ok: unknown account, --password and another provider's account refused")


if __name__ == "__main__":
    main()
