#!/usr/bin/python3
"""test-send succeeds against the aiosmtpd server (tests/wine/smtpd.py) on
loopback, with the ISP's host name mapped to it by --resolve and the
certificate verified against the test CA (--ca-file):

    test_send_ok.py none       port 587-style plain connection + AUTH
    test_send_ok.py starttls   STARTTLS, then AUTH
    test_send_ok.py tls        implicit TLS (465-style), then AUTH

Checked in the server's record: the authenticated user, the envelope
(MAIL FROM = RCPT TO = the account's address), TLS as configured, the
Subject decoded back to the Japanese text, the wizard's marker header, the
Message-ID the report names. Then the password (plain, base64, AUTH
PLAIN's base64, UTF-16) is in none of stdout, stderr, the JSON report, the
server's record, or any file written in the prefix.
"""
import sys
import time

import sendlib
import smtpd
import winebench
from sendlib import fail


def main(mode):
    tls = {"none": "none", "starttls": "starttls", "tls": "ssl"}[mode]
    pki = sendlib.pki_dir()
    with winebench.Prefix(display=False) as p, \
            smtpd.Server(pki, record=p.root / "smtp-record.json", tls=tls,
                         accounts={sendlib.USER: sendlib.PASSWORD}) as srv:
        since = time.time()
        r, rep, text = sendlib.test_send(p, srv.port, mode, "--port25", str(smtpd.closed_port()),
                                         pki=pki)
        if r.returncode != 0 or not rep or rep.get("sent") is not True or rep.get("code") != "OK":
            fail("want exit 0 and sent true", r, rep)
        if not r.stdout.startswith("sent: yes"):
            fail("stdout does not say 'sent: yes'", r)
        sessions = srv.wait_sessions(1)
        msgs = [m for s in sessions for m in s["messages"]]
        if len(msgs) != 1:
            fail(f"want 1 message in the server's record, got {len(msgs)}", r, rep)
        m = msgs[0]
        if m["authenticated_user"] != sendlib.USER:
            fail(f"authenticated user {m['authenticated_user']!r}", r, rep)
        if m["mail_from"] != sendlib.FROM or m["rcpt_tos"] != [sendlib.FROM]:
            fail(f"envelope {m['mail_from']!r} -> {m['rcpt_tos']!r}", r, rep)
        if m["tls"] != (mode != "none"):
            fail(f"TLS in the session: {m['tls']}", r, rep)
        h = m["headers"]
        if h.get("Subject") != sendlib.SUBJECT:
            fail(f"decoded Subject {h.get('Subject')!r}", r, rep)
        if h.get("From") != sendlib.FROM or h.get("To") != sendlib.FROM:
            fail(f"From/To {h.get('From')!r} {h.get('To')!r}", r, rep)
        if h.get("X-Mailsetup-Test") != "1" or not h.get("Date"):
            fail("marker header or Date missing", r, rep)
        if h.get("Message-ID") != rep["message_id"]:
            fail(f"Message-ID {h.get('Message-ID')!r} vs report {rep['message_id']!r}", r, rep)
        body = h.get("_body") or ""
        if "テストメール" not in body or "test message" not in body:
            fail(f"body {body!r}", r, rep)
        auth = [a for s in sessions for a in s["auth"]]
        if not auth or not auth[-1]["success"]:
            fail(f"AUTH in the record: {auth}", r, rep)
        # The report: every stage ok, the mechanism offered, the log redacted.
        names = [s["stage"] for s in rep["stages"]]
        want = {"none": ["resolve", "connect", "greeting", "ehlo", "auth"],
                "starttls": ["resolve", "connect", "greeting", "ehlo", "starttls", "tls", "auth"],
                "tls": ["resolve", "connect", "tls", "greeting", "ehlo", "auth"]}[mode]
        if names[:len(want)] != want or any(s["result"] != "ok" for s in rep["stages"]):
            fail(f"stages {names}", r, rep)
        log = "\n".join(rep["log"])
        if "<redacted>" not in log or "AUTH" not in log:
            fail("the protocol log shows no redacted AUTH", r, rep)
        if "テストメール" in log or "X-Mailsetup-Test" in log:
            fail("the message body is in the protocol log", r, rep)
        # OP25B: the "port 25" given is closed while the send worked.
        op = rep["op25b"]
        if not op["checked"] or not op["port25_blocked"] or op["diagnosis"]["code"] != "S19":
            fail(f"op25b {op}", r, rep)
        if "OP25B: [S19]" not in r.stdout:
            fail("stdout does not explain OP25B", r)
        record_text = (p.root / "smtp-record.json").read_text(encoding="utf-8")
        n = sendlib.check_no_secret(p, r, text, since, extra=(("smtp record", record_text),))
        print(f"ok: {mode}: sent, {rep['seconds']} s in the exe, {n} files written in the "
              f"prefix searched, no password")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "starttls")
