#!/usr/bin/python3
"""The test send's POP3 round trip uses the account's own incoming
security, never a guess from the port. Thunderbird with one Internet
Kurume account (tests/data/tlsup/thunderbird/: POP3 pop.ktarn.or.jp:110
with socketType 2, STARTTLS - "STLS" in POP3) and `test-send --account ID
--pop3`, against an smtpd on ADDR:587 (no TLS, as ktarn's manual) and a
pop3d on ADDR:110 of a loopback address of their own, the test CA trusted
with --ca-file:

  stls     the pop3d offers STLS -> the round trip runs over TLS: the
           server saw STLS before USER, the session ended encrypted, the
           message was received and removed
  no-stls  the pop3d does not offer STLS -> S25 (the check stopped without
           sending the password): the server saw no USER and no PASS
"""
import json
import shutil
import ssl

import pop3d
import sendlib
import smtpd
import winebench
from sendlib import fail

USER, ADDRESS = "kurume03", "kurume03@ktarn.or.jp"
HOSTS = ["post.ktarn.or.jp", "pop.ktarn.or.jp"]
PROFILE = winebench.SOURCE_DIR / "isp-profiles" / "ktarn.json"
TB = winebench.SOURCE_DIR / "tests" / "data" / "tlsup" / "thunderbird"


def tls_context(pki):
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(pki / "good.pem", pki / "good.key")
    return ctx


def servers(pki, box, stls):
    """An smtpd on ADDR:587 and a pop3d on ADDR:110 for a free 127.x.y.z."""
    ctx = tls_context(pki) if stls else None

    def start(addr):
        smtp = smtpd.Server(pki, tls="none", accounts={USER: sendlib.PASSWORD}, mailbox=box,
                            host=addr, port=587).start()
        try:
            return smtp, pop3d.POP3Server(box, {USER: sendlib.PASSWORD}, host=addr, port=110,
                                          tls_context=ctx).__enter__()
        except OSError:
            smtp.stop()
            raise
    addr, (smtp, pop) = sendlib.on_free_loopback(start, "ports 587 and 110")
    return addr, smtp, pop


def account_id(p):
    r = p.run("--lang", "en", "--profile", p.winpath(PROFILE), "scan", "--json", "-")
    rep = json.loads(r.stdout)
    ids = [a["id"] for a in rep["accounts"] if a.get("email") == ADDRESS]
    if len(ids) != 1 or not any(a.get("incoming_security") == "starttls"
                                for a in rep["accounts"] if a["id"] == ids[0]):
        fail(f"scan: want one Thunderbird account of {ADDRESS} with incoming STARTTLS", r)
    return ids[0]


def run_case(p, pki, acct, stls):
    box = smtpd.Mailbox()
    addr, smtp, pop = servers(pki, box, stls)
    try:
        r, rep = sendlib.account_send(
            p, PROFILE, acct, pki,
            [f"post.ktarn.or.jp:587:{addr}", f"pop.ktarn.or.jp:110:{addr}"],
            "--pop3", "--pop3-wait", "20", "--no-port25", name=f"pop3-{stls}")
        if not rep["sent"]:
            fail("the send itself (no TLS on 587, as ktarn's manual) must succeed", r, rep)
        pr = rep["pop3"]
        if (pr.get("host"), pr.get("port"), pr.get("security")) != \
                ("pop.ktarn.or.jp", 110, "starttls"):
            fail(f"the round trip must use the account's POP3 settings: {pr}", r, rep)
        sessions = pop.record
        if stls:
            if r.returncode != 0 or not pr["received"] or not pr["removed"]:
                fail("stls: want received and removed", r, rep)
            for s in sessions:
                cmds = [c.split(" ")[0].upper() for c in s["commands"]]
                if not s["tls"] or "STLS" not in cmds or "USER" not in cmds or \
                        cmds.index("STLS") > cmds.index("USER"):
                    fail(f"stls: every session STLS before USER, encrypted: {sessions}", r, rep)
            print(f"ok: stls: {len(sessions)} POP3 sessions, STLS before USER, received, removed")
        else:
            if r.returncode == 0 or pr["diagnosis"]["code"] != "S25" or "[S25]" not in r.stderr:
                fail("no-stls: want the round trip to fail with S25", r, rep)
            if "without sending your password" not in r.stderr:
                fail("no-stls: the sentence says the password was not sent", r)
            for s in sessions:
                cmds = [c.split(" ")[0].upper() for c in s["commands"]]
                if "USER" in cmds or "PASS" in cmds or s["user"] is not None:
                    fail(f"no-stls: the password must never be sent: {sessions}", r, rep)
            if not sessions:
                fail("no-stls: the server saw no session at all", r, rep)
            print(f"ok: no-stls: [S25]; {len(sessions)} POP3 session(s), no USER, no PASS")
    finally:
        smtp.stop()
        pop.__exit__(None, None, None)


def main():
    pki = sendlib.pki_dir(HOSTS)
    with winebench.Prefix(display=False) as p:
        shutil.copytree(TB, p.path("appdata") / "Thunderbird")
        acct = account_id(p)
        run_case(p, pki, acct, True)
        run_case(p, pki, acct, False)


if __name__ == "__main__":
    main()
