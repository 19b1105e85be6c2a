"""Tests of `mailsetup probe` (the Linux host build) against real servers on
loopback: tests/wine/smtpd.py (aiosmtpd: STARTTLS or implicit TLS, AUTH
PLAIN/LOGIN, certificates from a test CA made at run time) and
tests/wine/pop3d.py. The profiles are tests/data/probe/*.json; the ports of
the servers started here are put into a copy. Their host names end in
.invalid, which never resolves: every connection goes through --resolve.

  check_probe.py MAILSETUP SOURCE_DIR WORK_DIR CASE
    working    STARTTLS submission server: exit 0, N05 STARTTLS, N07 AUTH
               with its mechanisms, N10 certificate (and N14: the test
               certificates live 30 days), POP3 banner and capabilities;
               --resolve honoured (without it: N01, exit 1); --json
    closed     the profile's port closed: exit 1 with N02
    wrongname  a certificate for another name: N11, exit 1; one from no
               trusted CA (no --ca-file): N12, exit 1
    ssl        implicit TLS (smtps): exit 0 with N10; no AUTH offered: N08
    login      --user/--password-stdin: right password N16 exit 0, wrong
               N17 exit 1; the password never in the output
    usage      bad options: exit 2, nothing probed
"""
import json
import os
import subprocess
import sys
from pathlib import Path

EXE, SRC, WORK, CASE = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
sys.path.insert(0, str(SRC / "tests" / "wine"))
import pop3d  # noqa: E402
import smtpd  # noqa: E402

SMTP_HOST, POP_HOST = "smtp.probe.invalid", "pop.probe.invalid"
failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print("FAIL:", msg)


WORK.mkdir(parents=True, exist_ok=True)
# one PKI per case: the cases run in parallel
PKI = smtpd.make_pki(WORK / CASE / "pki", [SMTP_HOST, POP_HOST, "localhost"])
CA = str(PKI / "ca.pem")


def profile(name, smtp_port, pop_port=None):
    """tests/data/probe/NAME with the servers' ports, written to WORK."""
    p = json.loads((SRC / "tests" / "data" / "probe" / name).read_text(encoding="utf-8"))
    p["outgoing"]["port"] = smtp_port
    if pop_port is not None:
        p["incoming"]["port"] = pop_port
    out = WORK / f"{CASE}-{name}"
    out.write_text(json.dumps(p, ensure_ascii=False), encoding="utf-8")
    return str(out)


def probe(prof, *args, ports=(), stdin=None, lang="en", json_out=True):
    cmd = [EXE, "--lang", lang, "probe", prof, "--no-port25", "--timeout", "10"]
    for host, port in ports:
        cmd += ["--resolve", f"{host}:{port}:127.0.0.1"]
    if json_out:
        cmd.append("--json")
    r = subprocess.run(cmd + list(args), capture_output=True, input=stdin, timeout=120,
                       env=dict(os.environ, ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"))
    out, err = r.stdout.decode("utf-8"), r.stderr.decode("utf-8")
    data = json.loads(out) if json_out and r.returncode in (0, 1) and out.startswith("{") else None
    return r.returncode, data, out, err


def findings(data, role):
    """{code: (level, detail)} of the first server with that role."""
    for s in data["servers"]:
        if s["role"] == role:
            return {f["code"]: (f["level"], f["detail"]) for f in s["findings"]}
    return {}


def working():
    box = smtpd.Mailbox()
    with smtpd.Server(PKI, record=WORK / "working-smtp.json", tls="starttls", accounts={"taro": "pw"}) as s, \
            pop3d.POP3Server(box, {"taro": "pw"}) as p:
        prof = profile("starttls.json", s.port, p.port)
        ports = ((SMTP_HOST, s.port), (POP_HOST, p.port))
        rc, data, out, err = probe(prof, "--ca-file", CA, ports=ports)
        check(rc == 0 and data and data["passed"], f"working: exit {rc} {err} {out[:400]}")
        if data:
            f = findings(data, "outgoing")
            check(f.get("N04", ("",))[0] == "ok" and "[127.0.0.1]" in f["N04"][1],
                  f"connected through --resolve: {f.get('N04')}")
            check(f.get("N05", ("",))[0] == "ok", f"STARTTLS reported: {f}")
            check(f.get("N07", ("", ""))[0] == "ok" and set(f["N07"][1].split()) == {"PLAIN", "LOGIN"},
                  f"AUTH with its mechanisms: {f.get('N07')}")
            check(f.get("N10", ("", ""))[0] == "ok" and f"CN = {SMTP_HOST}" in f["N10"][1], f"certificate: {f.get('N10')}")
            check(f.get("N14", ("",))[0] == "warn", f"30-day test certificate: expiry warning {f.get('N14')}")
            check(not any(lv == "fail" for lv, _ in f.values()), f"no failure: {f}")
            i = findings(data, "incoming")
            check(i.get("N04", ("", ""))[0] == "ok" and "+OK mailsetup test POP3 ready" in i["N04"][1],
                  f"POP3 banner: {i}")
            check(i.get("N20", ("", ""))[0] == "info" and "UIDL" in i["N20"][1].split(), f"POP3 CAPA: {i}")
        # the same in Japanese text: the codes and the verdict
        rc, _, out, err = probe(prof, "--ca-file", CA, ports=ports, lang="ja", json_out=False)
        check(rc == 0 and "[N05] OK" in out and "[N07] OK" in out and "結果: このプロファイルの設定で送信できます。" in out
              and "\ufffd" not in out, f"Japanese text: {rc} {out}")
        # --resolve honoured: without it the .invalid names do not resolve
        rc, data, out, err = probe(prof, "--ca-file", CA)
        check(rc == 1 and data and findings(data, "outgoing").get("N01", ("",))[0] == "fail",
              f"without --resolve: N01 {rc} {out[:300]}")
        # nothing was sent: no MAIL, no DATA in the server's record
        sessions = json.loads(Path(s.record_path).read_text())["sessions"]
        cmds = [c for sess in sessions for c in sess["commands"]]
        check(len(sessions) >= 2 and "STARTTLS" in cmds, f"the server saw the probes: {cmds}")
        check(not any(str(c).upper().startswith(("MAIL", "RCPT", "DATA")) for c in cmds),
              f"the probe sent mail commands: {cmds}")


def closed():
    port = smtpd.closed_port()
    prof = profile("ssl.json", port)
    rc, data, out, err = probe(prof, "--ca-file", CA, ports=((SMTP_HOST, port),))
    f = findings(data, "outgoing") if data else {}
    check(rc == 1 and f.get("N02", ("",))[0] == "fail", f"closed port: exit {rc}, {f} {err}")
    check(data and data["incoming_not_checked"]["code"] == "N21", "no incoming host in ssl.json: N21")
    rc, _, out, err = probe(prof, "--ca-file", CA, ports=((SMTP_HOST, port),), lang="ja", json_out=False)
    check(rc == 1 and "[N02] 失敗" in out and "サーバーに接続できません" in out, f"Japanese: {out}")


def wrongname():
    with smtpd.Server(PKI, tls="starttls", cert="wrong-name", accounts={"taro": "pw"}) as s:
        prof = profile("starttls.json", s.port, smtpd.closed_port())
        rc, data, out, err = probe(prof, "--ca-file", CA, ports=((SMTP_HOST, s.port),))
        f = findings(data, "outgoing") if data else {}
        check(rc == 1 and f.get("N11", ("",))[0] == "fail", f"wrong name: exit {rc}, {f}")
        check("N10" not in f, "a wrong-name certificate reported valid")
    with smtpd.Server(PKI, tls="starttls", accounts={"taro": "pw"}) as s:
        prof = profile("starttls.json", s.port, smtpd.closed_port())
        rc, data, out, err = probe(prof, ports=((SMTP_HOST, s.port),))  # system trust only
        f = findings(data, "outgoing") if data else {}
        check(rc == 1 and f.get("N12", ("",))[0] == "fail", f"untrusted CA: exit {rc}, {f}")


def ssl_case():
    with smtpd.Server(PKI, tls="ssl", accounts={"taro": "pw"}) as s:
        prof = profile("ssl.json", s.port)
        rc, data, out, err = probe(prof, "--ca-file", CA, ports=((SMTP_HOST, s.port),))
        f = findings(data, "outgoing") if data else {}
        check(rc == 0 and f.get("N10", ("",))[0] == "ok" and f.get("N07", ("",))[0] == "ok" and "N05" not in f,
              f"implicit TLS: exit {rc}, {f} {err}")
    with smtpd.Server(PKI, tls="ssl", mechanisms=()) as s:
        prof = profile("ssl.json", s.port)
        rc, data, out, err = probe(prof, "--ca-file", CA, ports=((SMTP_HOST, s.port),))
        f = findings(data, "outgoing") if data else {}
        check(rc == 1 and f.get("N08", ("",))[0] == "fail", f"no AUTH offered: exit {rc}, {f}")


def login():
    secret = "Pr0be-Secret-9"
    box = smtpd.Mailbox()
    with smtpd.Server(PKI, tls="starttls", accounts={"taro": secret}) as s, \
            pop3d.POP3Server(box, {"taro": secret}) as p:
        prof = profile("starttls.json", s.port, p.port)
        ports = ((SMTP_HOST, s.port), (POP_HOST, p.port))
        rc, data, out, err = probe(prof, "--ca-file", CA, "--user", "taro", "--password-stdin",
                                   ports=ports, stdin=(secret + "\n").encode())
        check(rc == 0 and findings(data, "outgoing").get("N16", ("",))[0] == "ok"
              and findings(data, "incoming").get("N16", ("",))[0] == "ok", f"right password: {rc} {out[:500]} {err}")
        check(secret not in out + err, "the password is in the output")
        rc, data, out, err = probe(prof, "--ca-file", CA, "--user", "taro", "--password-stdin",
                                   ports=ports, stdin=b"wrong-one\n")
        f = findings(data, "outgoing") if data else {}
        check(rc == 1 and f.get("N17", ("",))[0] == "fail", f"wrong password: {rc} {f} {err}")
        check("wrong-one" not in out + err, "the wrong password is in the output")
        rc, data, out, err = probe(prof, "--ca-file", CA, "--user", "taro", "--password-stdin",
                                   ports=ports, stdin=b"")
        check(rc == 2 and "[S14]" in err, f"empty password: {rc} {err}")


def usage():
    prof = str(SRC / "tests" / "data" / "probe" / "ssl.json")
    for args in (["--resolve", "nonsense"], ["--resolve", "h:99999:1.2.3.4"], ["--user", "taro"],
                 ["--password-stdin"], ["--password", "x"], ["--timeout", "0"], ["--bogus"],
                 ["--ca-file", str(WORK / "no-such.pem")]):
        rc, _, out, err = probe(prof, *args, json_out=False)
        check(rc == 2 and out == "" and ("[E02]" in err or "[S12]" in err), f"{args}: exit {rc} {err}")
    rc, _, out, err = probe(str(SRC / "tests" / "data" / "profiles" / "multi-errors.json"), json_out=False)
    check(rc == 3 and out == "", f"an invalid profile: exit {rc}")


{"working": working, "closed": closed, "wrongname": wrongname, "ssl": ssl_case, "login": login,
 "usage": usage}[CASE]()
if failures:
    sys.exit(f"{len(failures)} check(s) failed")
print("ok")
