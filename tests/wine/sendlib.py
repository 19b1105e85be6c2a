"""sendlib: what the test-send Wine tests share - running
`mailsetup.exe test-send` against the loopback servers of smtpd.py/pop3d.py
with the ISP's host name mapped to 127.0.0.1 (--resolve) and the test CA
trusted through --ca-file, reading the JSON report back, and the search for
the password (plain, base64, AUTH PLAIN's base64, UTF-16) in everything the
run produced: stdout, stderr, the report, every file written in the prefix.
"""

import atexit
import base64
import json
import os
import random
import shutil
import tempfile
import sys
import time
from pathlib import Path

import secretscan
import smtpd
import winebench

HOST = "smtp.example.jp"
USER = "taro"
FROM = "taro@example.jp"
# Unusual enough that finding it anywhere is not chance.
PASSWORD = "Pw-7Qz!x9#Lm_k2"
SUBJECT = "【テスト】メール設定ウィザードからのテストメール"


def fail(msg, r=None, report=None):
    print("FAIL:", msg)
    if r is not None:
        print(f"  exit {r.returncode}\n  stdout: {r.stdout[-3000:]}\n  stderr: {r.stderr[-2000:]}")
    if report is not None:
        print("  report:", json.dumps(report, ensure_ascii=False)[:3000])
    sys.exit(1)


def pki_dir(hosts=None):
    """A test CA and certificates made for this test (openssl, ~1 s), in a
    folder of the run's work directory removed when the test ends; hosts:
    the names of the good certificate (default: smtpd.DEFAULT_HOSTS)."""
    work = Path(os.environ.get("MAILSETUP_WINE_WORK", winebench.WORK))
    work.mkdir(parents=True, exist_ok=True)
    d = Path(tempfile.mkdtemp(prefix="send-pki-", dir=work))
    atexit.register(shutil.rmtree, d, True)
    return smtpd.make_pki(d, hosts=hosts)


def on_free_loopback(start, what):
    """start(addr) on a free 127.x.y.z of its own (so parallel tests never
    meet on the ISPs' real ports); start raises OSError when a port there is
    taken. Returns (addr, what start returned)."""
    for _ in range(20):
        addr = f"127.{random.randint(1, 254)}.{random.randint(0, 255)}.{random.randint(1, 254)}"
        try:
            return addr, start(addr)
        except OSError:
            continue
    fail(f"no free loopback address for {what}")


def secret_forms(password=PASSWORD, user=USER):
    """The shared forms (secretscan.forms: UTF-8, UTF-16LE, AUTH LOGIN and
    AUTH PLAIN base64) and the base64 without its padding."""
    forms = secretscan.forms(password, users=(user,))
    forms["base64-nopad"] = base64.b64encode(password.encode()).rstrip(b"=")
    return forms


def find_secret(data, password=PASSWORD):
    """The name of the first form of the password found in data, or None."""
    if isinstance(data, str):
        data = data.encode("utf-8", "replace")
    for name, form in secret_forms(password).items():
        if form in data:
            return name
    return None


def check_no_secret(p, r, report_text, since, extra=(), files=True):
    """The password in none of: stdout, stderr, the report, and (files)
    any file of the whole prefix (secretscan.find, after wineserver -w:
    user.reg and system.reg too). since is kept for the callers; the
    search no longer depends on it. Returns how many files were searched."""
    # The search itself finds every form (or this check could never fail).
    for name, form in secret_forms().items():
        if find_secret(b"x" + form + b"y") is None:
            fail(f"find_secret misses the {name} form")
    for what, text in (("stdout", r.stdout), ("stderr", r.stderr), ("report", report_text)) + tuple(extra):
        found = find_secret(text or "")
        if found:
            fail(f"the password ({found}) is in {what}", r)
    if not files:
        return 0
    p.wait()
    # The whole prefix (registry hives included), not only what changed.
    stats = {}
    hits = secretscan.find(p, patterns=secret_forms(), stats=stats)
    if hits:
        fail("the password is in:\n  " + "\n  ".join(hits), r)
    return stats["files"]


def test_send(p, port, security, *extra, password=PASSWORD, user=USER, host=HOST,
              ca=True, pki=None, timeout=60, lang="en", json_path=None):
    """Runs test-send (password on stdin) and returns (CompletedProcess,
    report dict, report text). The report goes to a file in the prefix."""
    args = ["--lang", lang, "test-send", "--server", host, "--port", str(port),
            "--security", security, "--from", FROM, "--password-stdin",
            "--resolve", f"{host}:{port}:127.0.0.1"]
    if user:
        args += ["--user", user]
    if ca:
        args += ["--ca-file", p.winpath(str(Path(pki) / "ca.pem"))]
    report = Path(json_path) if json_path else Path(p.path("c")) / "send-report.json"
    if report.exists():
        report.unlink()
    args += ["--json", p.winpath(str(report))]
    args += list(extra)
    r = p.run(*args, stdin=(password + "\n") if password is not None else "", timeout=timeout)
    text = report.read_text(encoding="utf-8") if report.exists() else ""
    data = json.loads(text) if text else None
    return r, data, text


def expect_failure(r, report, code, stage=None):
    """Exit 7, the helpdesk code on stderr with its sentence and a next
    step, the same code in the report with both languages."""
    if r.returncode != 7:
        fail(f"want exit 7 (send failed) for {code}", r, report)
    if f"[{code}]" not in r.stderr:
        fail(f"[{code}] not on stderr", r, report)
    if "next step:" not in r.stderr:
        fail("no next step on stderr", r, report)
    if not report or report.get("sent") is not False or report.get("code") != code:
        fail(f"report: want sent false, code {code}", r, report)
    d = report["diagnosis"]
    if not d["ja"] or not d["en"] or not d["next_step"]["ja"] or not d["next_step"]["en"]:
        fail("report: sentence or next step missing", r, report)
    if stage and report.get("stage") != stage:
        fail(f"report: want stage {stage}", r, report)
    st = report.get("stages") or []
    if not st or st[-1]["result"] != "failed":
        fail("report: the last stage is not the failed one", r, report)


def account_send(p, profile, account, pki, resolve, *extra, name="account-send"):
    """`test-send --profile PROFILE --account ACCOUNT` with the password on
    stdin, the names in resolve mapped (curl's HOST:PORT:ADDR) and the test
    CA trusted; returns (the run, its JSON report), failing without one."""
    report = p.path("c") / f"{name}.json"
    args = ["--lang", "en", "test-send", "--profile", p.winpath(profile), "--account", account,
            "--password-stdin", *extra]
    for entry in resolve:
        args += ["--resolve", entry]
    r = p.run(*args, "--ca-file", p.winpath(pki / "ca.pem"), "--json", p.winpath(report),
              stdin=PASSWORD + "\n", timeout=90)
    try:
        return r, json.loads(report.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        fail("test-send --json: no report", r)
