#!/usr/bin/python3
"""mailsetup.exe probe (libcurl with Schannel) against the aiosmtpd
submission server and the POP3 server on loopback, the profile
tests/data/probe/starttls.json with the servers' ports, names mapped with
--resolve, the certificate checked against the test CA (--ca-file):

    test_probe.py working     exit 0; [N05] STARTTLS and [N07] AUTH OK; JSON
    test_probe.py wrongname   a certificate for another name: [N11], exit 1
"""
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pop3d
import smtpd
import winebench
from sendlib import fail

SRC = Path(os.environ.get("MAILSETUP_SOURCE_DIR", Path(__file__).resolve().parents[2]))
SMTP_HOST, POP_HOST = "smtp.probe.invalid", "pop.probe.invalid"


def main(case):
    work = Path(os.environ.get("MAILSETUP_WINE_WORK", winebench.WORK))
    work.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="probe-pki-", dir=work))
    try:
        pki = smtpd.make_pki(tmp, [SMTP_HOST, POP_HOST, "localhost"])
        cert = "good" if case == "working" else "wrong-name"
        box = smtpd.Mailbox()
        with winebench.Prefix(display=False) as p, \
                smtpd.Server(pki, tls="starttls", cert=cert, accounts={"taro": "pw"}) as s, \
                pop3d.POP3Server(box, {"taro": "pw"}) as pop:
            prof = json.loads((SRC / "tests" / "data" / "probe" / "starttls.json").read_text(encoding="utf-8"))
            prof["outgoing"]["port"], prof["incoming"]["port"] = s.port, pop.port
            path = Path(p.path("c")) / "probe-profile.json"
            path.write_text(json.dumps(prof, ensure_ascii=False), encoding="utf-8")
            args = ["--lang", "en", "probe", p.winpath(str(path)), "--no-port25",
                    "--resolve", f"{SMTP_HOST}:{s.port}:127.0.0.1",
                    "--resolve", f"{POP_HOST}:{pop.port}:127.0.0.1",
                    "--ca-file", p.winpath(str(pki / "ca.pem"))]
            r = p.run(*args, timeout=90)
            if case == "working":
                if r.returncode != 0 or "[N05] OK" not in r.stdout or "[N07] OK" not in r.stdout \
                        or "[N10] OK" not in r.stdout or "Result: the profile's settings work." not in r.stdout:
                    fail("want exit 0 with STARTTLS, AUTH and the certificate OK", r)
                r = p.run(*args, "--json", timeout=90)
                data = json.loads(r.stdout)
                out = [f["code"] for f in data["servers"][0]["findings"]]
                if r.returncode != 0 or not data["passed"] or "N07" not in out:
                    fail(f"--json: {out}", r)
                print("ok: probe working (STARTTLS, AUTH, certificate)")
            else:
                if r.returncode != 1 or "[N11] FAIL" not in r.stdout or "[N10]" in r.stdout:
                    fail("want exit 1 with [N11] for a certificate of another name", r)
                print("ok: probe reports the wrong-name certificate")
    finally:
        shutil.rmtree(tmp, True)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "working")
