#!/usr/bin/python3
"""test-send's diagnosis, each failure provoked for real against a loopback
server (smtpd.py) and checked for its own helpdesk code, sentence, next
step and stage - on stderr and in the JSON report - and for the password
being nowhere. One group per run (ctest runs the groups in parallel):

    test_send_fail.py auth   535 wrong password (S07), no AUTH offered (S08),
                             relay refused 554 5.7.1 (S09)
    test_send_fail.py tls    untrusted certificate (S04), the same without
                             --ca-file (S04), name mismatch (S15), STARTTLS
                             not offered (S06), STARTTLS required (S16)
    test_send_fail.py net    closed port (S02), a server that never answers
                             (S17), implicit-TLS port spoken to in the clear
                             (S17), connection reset (S10), a server that
                             stops answering at MAIL (S03), no AUTH mechanism
                             in common (S18), name not found (S01), port 25
                             open (S20)
"""
import json
import sys
import time

import sendlib
import smtpd
import winebench
from sendlib import expect_failure, fail

ACCOUNTS = {sendlib.USER: sendlib.PASSWORD}


def check(p, name, r, rep, text, code, stage, since):
    expect_failure(r, rep, code, stage)
    # The files of the prefix are searched once, at the end of the group.
    sendlib.check_no_secret(p, r, text, since, files=False)
    print(f"ok: {name}: [{code}] at {rep['stage']}: {rep['diagnosis']['en']}")


def group_auth(p, pki):
    since = time.time()
    with smtpd.Server(pki, tls="starttls", accounts=ACCOUNTS) as srv:
        r, rep, text = sendlib.test_send(p, srv.port, "starttls", pki=pki,
                                         password="Wrong-pass-123")
        check(p, "wrong password", r, rep, text, "S07", "auth", since)
        # The wrong password is not logged either.
        if sendlib.find_secret(text + r.stdout + r.stderr, "Wrong-pass-123"):
            fail("the wrong password is in the output", r, rep)
        if "AUTH" not in "\n".join(rep["log"]) or rep["smtp"]["reply"] != 535:
            fail("the log or reply does not show the 535", r, rep)
        s = srv.wait_sessions(1)
        if not s[0]["auth"] or s[0]["auth"][0]["success"]:
            fail(f"server record: {s[0]['auth']}", r, rep)
    with smtpd.Server(pki, tls="starttls", accounts=ACCOUNTS, mechanisms=()) as srv:
        r, rep, text = sendlib.test_send(p, srv.port, "starttls", pki=pki)
        check(p, "no AUTH offered", r, rep, text, "S08", "mail", since)
        if rep["smtp"]["auth_offered"]:
            fail("report says AUTH was offered", r, rep)
    with smtpd.Server(pki, tls="starttls", accounts=ACCOUNTS,
                      reject_rcpt="554 5.7.1 <taro@example.jp>: Relay access denied") as srv:
        r, rep, text = sendlib.test_send(p, srv.port, "starttls", pki=pki)
        check(p, "relay refused", r, rep, text, "S09", "rcpt", since)
        if srv.wait_sessions(1)[0]["auth"][0]["success"] is not True:
            fail("the relay case should have authenticated first", r, rep)


def group_tls(p, pki):
    since = time.time()
    with smtpd.Server(pki, tls="starttls", cert="self-signed", accounts=ACCOUNTS) as srv:
        r, rep, text = sendlib.test_send(p, srv.port, "starttls", pki=pki)
        check(p, "untrusted certificate (STARTTLS)", r, rep, text, "S04", "tls", since)
        s = srv.wait_sessions(1)
        if any(x["auth"] for x in s) or any(x["messages"] for x in s):
            fail("AUTH or a message went to an untrusted server", r, rep)
    with smtpd.Server(pki, tls="ssl", accounts=ACCOUNTS) as srv:
        # The test CA is not trusted when it is not given: Windows' stores
        # do not hold it.
        r, rep, text = sendlib.test_send(p, srv.port, "tls", pki=pki, ca=False)
        check(p, "untrusted CA (no --ca-file, implicit TLS)", r, rep, text, "S04", "tls", since)
        if any(x["auth"] or x["messages"] for x in srv.wait_sessions(1)):
            fail("AUTH or a message went to an untrusted server", r, rep)
    with smtpd.Server(pki, tls="ssl", cert="wrong-name", accounts=ACCOUNTS) as srv:
        r, rep, text = sendlib.test_send(p, srv.port, "tls", pki=pki)
        check(p, "name mismatch", r, rep, text, "S15", "tls", since)
        if any(x["auth"] or x["messages"] for x in srv.wait_sessions(1)):
            fail("AUTH or a message went to a server with another name", r, rep)
    with smtpd.Server(pki, tls="none", accounts=ACCOUNTS) as srv:
        r, rep, text = sendlib.test_send(p, srv.port, "starttls", pki=pki)
        check(p, "STARTTLS not offered", r, rep, text, "S06", "ehlo", since)
        if any(x["auth"] for x in srv.wait_sessions(1)):
            fail("AUTH went out in the clear", r, rep)
    with smtpd.Server(pki, tls="starttls", accounts=ACCOUNTS, require_starttls=True) as srv:
        r, rep, text = sendlib.test_send(p, srv.port, "none", pki=pki)
        check(p, "STARTTLS required", r, rep, text, "S16", "mail", since)


def group_net(p, pki):
    since = time.time()
    port = smtpd.closed_port()
    r, rep, text = sendlib.test_send(p, port, "starttls", pki=pki)
    check(p, "closed port", r, rep, text, "S02", "connect", since)
    if f"{sendlib.HOST}:{port}" not in rep["diagnosis"]["en"]:
        fail("the sentence does not name host:port", r, rep)
    with smtpd.StallServer() as st:
        t0 = time.monotonic()
        r, rep, text = sendlib.test_send(p, st.port, "starttls", "--reply-timeout", "3", pki=pki)
        took = time.monotonic() - t0
        check(p, "server never answers", r, rep, text, "S17", "greeting", since)
        if took > 20:
            fail(f"the 3 s reply timeout took {took:.1f} s", r, rep)
        if not st.conns:
            fail("the stalled server saw no connection", r, rep)
    with smtpd.Server(pki, tls="ssl", accounts=ACCOUNTS) as srv:
        # Security "none" on an implicit-TLS port: the server waits for a
        # TLS hello, the client for a greeting.
        r, rep, text = sendlib.test_send(p, srv.port, "none", "--reply-timeout", "3", pki=pki)
        check(p, "implicit-TLS port in the clear", r, rep, text, "S17", "greeting", since)
    with smtpd.ScriptServer("reset") as ss:
        r, rep, text = sendlib.test_send(p, ss.port, "none", pki=pki)
        check(p, "connection reset", r, rep, text, "S10", "greeting", since)
    with smtpd.ScriptServer("stall-mail") as ss:
        r, rep, text = sendlib.test_send(p, ss.port, "none", "--reply-timeout", "3", pki=pki,
                                         user=None)
        check(p, "server stops answering at MAIL", r, rep, text, "S03", "mail", since)
        if not any(c.startswith("MAIL FROM:") for c in ss.commands):
            fail(f"the script server saw {ss.commands}", r, rep)
    with smtpd.ScriptServer("odd-auth") as ss:
        r, rep, text = sendlib.test_send(p, ss.port, "none", pki=pki)
        check(p, "no AUTH mechanism in common", r, rep, text, "S18", "ehlo", since)
        if any(c.upper().startswith(("AUTH", "MAIL")) for c in ss.commands):
            fail(f"the client went on: {ss.commands}", r, rep)
    # No --resolve: the name must really fail to resolve (.invalid, RFC 2606).
    args = ["--lang", "en", "test-send", "--server", "no-such-host.invalid", "--port", "587",
            "--security", "starttls", "--user", sendlib.USER, "--from", sendlib.FROM,
            "--password-stdin", "--connect-timeout", "5", "--json",
            p.winpath(str(p.path("c") / "resolve.json"))]
    r = p.run(*args, stdin=sendlib.PASSWORD + "\n", timeout=60)
    text = (p.path("c") / "resolve.json").read_text(encoding="utf-8")
    rep = json.loads(text)
    check(p, "name not found", r, rep, text, "S01", "resolve", since)
    # Port 25 answers too: no OP25B on this connection (yet).
    with smtpd.Server(pki, tls="starttls", accounts=ACCOUNTS) as srv, \
            smtpd.Server(pki, tls="none", accounts=ACCOUNTS) as port25:
        r, rep, text = sendlib.test_send(p, srv.port, "starttls", "--resolve",
                                         f"{sendlib.HOST}:{port25.port}:127.0.0.1",
                                         "--port25", str(port25.port), pki=pki)
        if r.returncode != 0 or rep["op25b"]["diagnosis"]["code"] != "S20":
            fail("port 25 open: want sent and S20", r, rep)
        if rep["op25b"]["port25_blocked"]:
            fail("port 25 reported blocked", r, rep)
        if any(x["auth"] or x["messages"] for x in port25.wait_sessions(1)):
            fail("the port-25 check sent credentials or mail", r, rep)
        print("ok: port 25 open: [S20]", rep["op25b"]["diagnosis"]["en"])


def main(group):
    pki = sendlib.pki_dir()
    with winebench.Prefix(display=False) as p:
        since = time.time()
        {"auth": group_auth, "tls": group_tls, "net": group_net}[group](p, pki)
        r = p.run("--version")
        n = sendlib.check_no_secret(p, r, "", since)
        print(f"ok: {group}: {n} files written in the prefix searched, no password")


if __name__ == "__main__":
    main(sys.argv[1])
