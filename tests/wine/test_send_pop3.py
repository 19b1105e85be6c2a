#!/usr/bin/python3
"""test-send --pop3: the POP3 round trip against tests/wine/pop3d.py, which
serves the mailbox tests/wine/smtpd.py delivers to. The test message is
sent ('sent'), found by its Message-ID ('received') and deleted - only it:
another message already in the mailbox stays ('removed', checked by a new
session and by the mailbox itself). The POP3 log has PASS redacted; the
password is nowhere. A wrong POP3 password gives S24 while 'sent' stays
true.
"""
import time

import pop3d
import sendlib
import smtpd
import winebench
from sendlib import fail

OTHER = (b"From: someone@example.jp\r\nTo: taro@example.jp\r\nSubject: keep me\r\n"
         b"Message-ID: <other@example.jp>\r\n\r\nan older message\r\n")


def main():
    pki = sendlib.pki_dir()
    box = smtpd.Mailbox()
    box.deliver(OTHER)
    with winebench.Prefix(display=False) as p, \
            smtpd.Server(pki, tls="starttls", accounts={sendlib.USER: sendlib.PASSWORD},
                         mailbox=box) as srv, \
            pop3d.POP3Server(box, {sendlib.USER: sendlib.PASSWORD}) as pop:
        since = time.time()
        r, rep, text = sendlib.test_send(
            p, srv.port, "starttls", "--pop3", "--pop3-server", sendlib.HOST, "--pop3-port",
            str(pop.port), "--pop3-security", "none", "--resolve",
            f"{sendlib.HOST}:{pop.port}:127.0.0.1", "--pop3-wait", "20", "--no-port25", pki=pki)
        if r.returncode != 0 or not rep or not rep["sent"]:
            fail("want exit 0 and sent", r, rep)
        pr = rep["pop3"]
        if not (pr["checked"] and pr["received"] and pr["removed"]) or pr["diagnosis"]["code"] != "OK":
            fail(f"pop3 {pr}", r, rep)
        if "received: yes" not in r.stdout or "removed: yes" not in r.stdout:
            fail("stdout does not say received/removed", r)
        left = box.snapshot()
        if left != [OTHER]:
            fail(f"the mailbox should hold only the other message, holds {len(left)}", r, rep)
        dele = [c for s in pop.record for c in s["commands"] if c.startswith("DELE")]
        if len(dele) != 1:
            fail(f"want one DELE, got {dele}", r, rep)
        log = "\n".join(pr["log"])
        if "PASS <redacted>" not in log:
            fail("the POP3 log does not show PASS redacted", r, rep)
        sendlib.check_no_secret(p, r, text, since, files=False)
        print(f"ok: sent, received ({rep['message_id']}), removed; {dele[0]}; other message kept")

        # A POP3 password that does not work: sent yes, S24 for receiving.
        box.deliver(OTHER)
        pop.accounts[sendlib.USER] = "another-password"
        r, rep, text = sendlib.test_send(
            p, srv.port, "starttls", "--pop3", "--pop3-server", sendlib.HOST, "--pop3-port",
            str(pop.port), "--pop3-security", "none", "--resolve",
            f"{sendlib.HOST}:{pop.port}:127.0.0.1", "--pop3-wait", "5", "--no-port25", pki=pki)
        pr = rep["pop3"] if rep else {}
        if r.returncode != 1 or not rep["sent"] or pr.get("received") or \
                pr["diagnosis"]["code"] != "S24" or "[S24]" not in r.stderr:
            fail("wrong POP3 password: want exit 1, sent, not received, S24", r, rep)
        n = sendlib.check_no_secret(p, r, text, since)
        print(f"ok: wrong POP3 password: sent, [S24]; {n} files searched, no password")


if __name__ == "__main__":
    main()
