#!/usr/bin/python3
"""The pre-flight check on the command line (`test-send --check`): log on to
the outgoing server with the password, send nothing, change nothing.

- right password (smtpd.py, STARTTLS): exit 0, "check: ok", the server saw
  the AUTH succeed and no message;
- wrong password: exit 7, [S07] with its next step, "nothing has been
  changed"; the password is nowhere in the output;
- `--account ID --check` takes the settings the account will have after
  apply (117net's Outlook Express account: vsmtp.117.ne.jp, port 587, the
  address as user), not the ones it has now; with port 587 not answering
  (nothing listens on 127.0.0.1:587): [S02] and the registry unchanged.
"""
import json
import socket
import time

import sendlib
import smtpd
import winebench
from oe_common import REG, check, export, profile_arg
from sendlib import fail

ACCOUNTS = {sendlib.USER: sendlib.PASSWORD}
OE1 = "oe/{3A6E7F2C-58B1-4C0D-9E2A-71D45B8C0F13}/00000001"


def port_587_closed():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(2)
    try:
        return s.connect_ex(("127.0.0.1", 587)) != 0
    finally:
        s.close()


def main():
    pki = sendlib.pki_dir()
    with winebench.Prefix() as p:
        since = time.time()
        with smtpd.Server(pki, tls="starttls", accounts=ACCOUNTS) as srv:
            r, rep, text = sendlib.test_send(p, srv.port, "starttls", "--check", pki=pki)
            if r.returncode != 0 or "check: ok" not in r.stdout or not rep.get("check_only"):
                fail("check with the right password", r, rep)
            s = srv.wait_sessions(1)
            if not s[0]["auth"] or not s[0]["auth"][0]["success"] or s[0]["messages"]:
                fail(f"server record: {s}", r, rep)
            sendlib.check_no_secret(p, r, text, since, files=False)
        print("ok: right password: logged on, nothing sent")

        with smtpd.Server(pki, tls="starttls", accounts=ACCOUNTS) as srv:
            r, rep, text = sendlib.test_send(p, srv.port, "starttls", "--check", pki=pki,
                                             password="Wrong-pass-123")
            sendlib.expect_failure(r, rep, "S07", "auth")
            if "check: failed (nothing has been changed)" not in r.stdout:
                fail("the check does not say nothing has changed", r, rep)
            if any(x["messages"] for x in srv.wait_sessions(1)):
                fail("a message was sent by the check", r, rep)
            if sendlib.find_secret(text + r.stdout + r.stderr, "Wrong-pass-123"):
                fail("the wrong password is in the output", r, rep)
        print("ok: wrong password: [S07] before any change")

        if not port_587_closed():
            fail("something listens on 127.0.0.1:587 on this machine; the test needs it closed")
        p.reg_import(REG / "oe-117net.reg")
        before = export(p)
        report = p.path("c") / "check.json"
        r = p.run("test-send", "--account", OE1, "--check", "--password-stdin",
                  "--resolve", "vsmtp.117.ne.jp:587:127.0.0.1", "--connect-timeout", "10",
                  "--json", p.winpath(report), *profile_arg(p, "117net"), "--lang", "en",
                  stdin=sendlib.PASSWORD + "\n", timeout=120)
        rep = json.loads(report.read_text(encoding="utf-8")) if report.exists() else None
        sendlib.expect_failure(r, rep, "S02")
        server = rep["server"]
        if (server["host"], server["port"], server["user"]) != \
                ("vsmtp.117.ne.jp", 587, "yamada@vp.117.ne.jp"):
            fail(f"the check did not use the planned settings: {server}", r, rep)
        check(export(p) == before, "the check changed the registry")
        sendlib.check_no_secret(p, r, report.read_text(encoding="utf-8"), since)
    print("ok: --account --check uses the planned settings; 587 closed: [S02], nothing changed")


if __name__ == "__main__":
    main()
