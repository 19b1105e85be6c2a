#!/usr/bin/python3
"""smtpd: a real SMTP server for the Wine tests and the demo (Debian's
python3-aiosmtpd), on loopback, with AUTH PLAIN/LOGIN, STARTTLS or implicit
TLS from a test CA made with openssl at run time, recording every session to
a JSON file. Passwords are compared and forgotten: neither the record nor the
log ever holds one (AUTH arguments are not recorded at all).

In a test:
    pki = smtpd.make_pki(out_dir / "pki", ["localhost", "smtp.example.jp"])
    with smtpd.Server(pki, record=out_dir / "smtp.json", tls="starttls",
                      accounts={"taro": "secret"}) as srv:
        ... srv.port ...
        sessions = srv.wait_sessions(1)

Standalone (the demo):
    smtpd.py --port N --cert-dir D --record FILE [--tls starttls|ssl|none]
             [--cert good|self-signed|wrong-name] [--accounts FILE.json]
             [--host NAME]...
"""

import argparse
import asyncio
import json
import logging
import os
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import warnings
from email import policy
from email.parser import BytesParser
from pathlib import Path

from aiosmtpd.smtp import SMTP, AuthResult

# aiosmtpd logs every command line at INFO and warns about its own use of a
# deprecated attribute on every AUTH; the record is our log.
logging.getLogger("mail.log").setLevel(logging.ERROR)
# The plain-text server requires AUTH without TLS on purpose (the "none"
# security case); aiosmtpd warns about that on every start.
warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")

# Host names every test certificate carries; tests map the ISPs' real names
# to 127.0.0.1 with test-send --resolve, so those are here too.
DEFAULT_HOSTS = [
    "localhost",
    "smtp.example.jp",
    "mail.example.jp",
]

# Subject names of the three server certificates a test can choose.
CERT_KINDS = ("good", "self-signed", "wrong-name")


def _openssl(*args, cwd):
    r = subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"openssl {' '.join(args)} failed:\n{r.stderr}")


def make_pki(directory, hosts=None):
    """Creates (once) a test CA and three server certificates in directory:
    ca.pem (the CA to trust), good.pem/good.key (signed by the CA for hosts
    and 127.0.0.1), self-signed.pem/.key (same names, no CA), and
    wrong-name.pem/.key (signed by the CA for other.invalid only).
    RSA 2048 + SHA-256: what Windows XP SP3's Schannel can verify as well.
    Returns the directory as a Path."""
    d = Path(directory)
    hosts = list(hosts or DEFAULT_HOSTS)
    stamp = d / "hosts.json"
    if stamp.exists() and json.loads(stamp.read_text()) == hosts:
        return d
    d.mkdir(parents=True, exist_ok=True)
    san = ",".join([f"DNS:{h}" for h in hosts] + ["IP:127.0.0.1"])
    srv_ext = ("basicConstraints=critical,CA:FALSE\n"
               "keyUsage=critical,digitalSignature,keyEncipherment\n"
               "extendedKeyUsage=serverAuth\n"
               "subjectKeyIdentifier=hash\n")
    (d / "good.ext").write_text(srv_ext + "authorityKeyIdentifier=keyid\n"
                                f"subjectAltName={san}\n")
    (d / "self-signed.ext").write_text(srv_ext + f"subjectAltName={san}\n")
    (d / "wrong-name.ext").write_text(srv_ext + "authorityKeyIdentifier=keyid\n"
                                      "subjectAltName=DNS:other.invalid\n")
    days = "30"
    # -x509 with -addext is enough for the CA; a config-less call keeps it
    # independent of the system openssl.cnf.
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", days,
             "-keyout", "ca.key", "-out", "ca.pem",
             "-subj", "/O=mailsetup tests/CN=mailsetup Test CA",
             "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=d)
    for kind, cn in (("good", hosts[0]), ("self-signed", hosts[0]), ("wrong-name", "other.invalid")):
        _openssl("req", "-new", "-newkey", "rsa:2048", "-nodes", "-sha256",
                 "-keyout", f"{kind}.key", "-out", f"{kind}.csr",
                 "-subj", f"/O=mailsetup tests/CN={cn}", cwd=d)
        if kind == "self-signed":
            _openssl("x509", "-req", "-in", f"{kind}.csr", "-signkey", f"{kind}.key",
                     "-sha256", "-days", days, "-extfile", f"{kind}.ext",
                     "-out", f"{kind}.pem", cwd=d)
        else:
            _openssl("x509", "-req", "-in", f"{kind}.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                     "-CAcreateserial", "-sha256", "-days", days, "-extfile", f"{kind}.ext",
                     "-out", f"{kind}.pem", cwd=d)
    stamp.write_text(json.dumps(hosts))
    return d


def ca_der(pki):
    """The test CA certificate, DER-encoded (what the Windows stores keep)."""
    r = subprocess.run(["openssl", "x509", "-in", str(Path(pki) / "ca.pem"), "-outform", "DER"],
                       capture_output=True, check=True)
    return r.stdout


class _Recorder:
    """The sessions, written to the record file (atomically) on every change."""

    def __init__(self, path):
        self.path = Path(path) if path else None
        self.sessions = []
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)
        self.live = set()  # open connections (event loop thread only)
        self._flush()

    def new(self, peer):
        with self.lock:
            rec = {"id": len(self.sessions) + 1, "peer": list(peer or ()), "start": time.time(),
                   "tls": False, "tls_version": None, "ehlo": [], "commands": [], "replies": [],
                   "auth": [], "messages": [], "closed": False, "error": None}
            self.sessions.append(rec)
            self._flush()
            return rec

    def update(self, fn):
        with self.lock:
            fn()
            self._flush()
            self.changed.notify_all()

    def _flush(self):
        if not self.path:
            return
        tmp = self.path.with_suffix(self.path.suffix + ".tmp")
        tmp.write_text(json.dumps({"sessions": self.sessions}, ensure_ascii=False, indent=1))
        os.replace(tmp, self.path)


def _decode_message(raw):
    """The headers a test checks, decoded (encoded words undone)."""
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    out = {k: str(v) for k, v in msg.items()}
    body = msg.get_body(preferencelist=("plain",))
    out["_body"] = body.get_content() if body is not None else None
    return out


class _Handler:
    def __init__(self, recorder, reject_rcpt=None, mailbox=None):
        self.recorder = recorder
        self.reject_rcpt = reject_rcpt
        self.mailbox = mailbox

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reject_rcpt:
            return self.reject_rcpt
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        try:
            decoded = _decode_message(raw)
        except Exception as e:  # the record says what was wrong
            decoded = {"_error": repr(e)}
        entry = {"mail_from": envelope.mail_from, "rcpt_tos": list(envelope.rcpt_tos),
                 "authenticated_user": server.ms_auth_user, "tls": server.ms_record["tls"],
                 "raw": raw.decode("utf-8", "replace"), "headers": decoded}
        self.recorder.update(lambda: server.ms_record["messages"].append(entry))
        if self.mailbox is not None:
            self.mailbox.deliver(raw)
        return "250 Message accepted for delivery"


# Commands whose argument may carry a secret: recorded by name only.
_SECRET_ARG_COMMANDS = {"AUTH"}


class _SMTP(SMTP):
    """aiosmtpd's SMTP with a per-connection record. connection_made runs
    again after STARTTLS (with a new session), so the record lives on the
    protocol object, not on the session."""

    def __init__(self, handler, recorder, hide_auth=False, **kw):
        super().__init__(handler, **kw)
        self.ms_hide_auth = hide_auth
        self.ms_recorder = recorder
        self.ms_record = None
        self.ms_auth_user = None

    def connection_made(self, transport):
        if self.ms_record is None:
            self.ms_record = self.ms_recorder.new(transport.get_extra_info("peername"))
            self.ms_recorder.live.add(self)
        super().connection_made(transport)
        sslobj = transport.get_extra_info("ssl_object")
        if sslobj is not None:
            rec = self.ms_record
            self.ms_recorder.update(lambda: rec.update(tls=True, tls_version=sslobj.version()))

    def connection_lost(self, error):
        self.ms_recorder.live.discard(self)
        rec = self.ms_record
        self.ms_recorder.update(lambda: rec.update(closed=True, end=time.time(),
                                                   error=rec["error"] or (repr(error) if error else None)))
        super().connection_lost(error)

    async def handle_exception(self, error):
        # Recorded instead of logged: a refused TLS handshake is what some
        # tests expect (the client did not trust the certificate).
        cause = error.__cause__ or error.__context__
        text = f"{type(error).__name__}: {cause!r}" if cause else repr(error)
        rec = self.ms_record
        self.ms_recorder.update(lambda: rec.update(error=text))
        return f"500 Error: {type(error).__name__}"

    async def push(self, status):
        line = status.decode("utf-8", "replace") if isinstance(status, bytes) else status
        if self.ms_hide_auth and line.startswith("250-AUTH"):
            return  # the no-AUTH server: the capability is never listed
        rec = self.ms_record
        self.ms_recorder.update(lambda: rec["replies"].append(line))
        await super().push(status)

    def _record_command(self, name, arg):
        shown = name if (name in _SECRET_ARG_COMMANDS or not arg) else f"{name} {arg}"
        if name == "AUTH" and arg:
            shown = f"AUTH {arg.split()[0]}"  # the mechanism, never the payload
        rec = self.ms_record
        self.ms_recorder.update(lambda: rec["commands"].append(shown))

    async def smtp_EHLO(self, hostname):
        self._record_command("EHLO", hostname)
        rec = self.ms_record
        self.ms_recorder.update(lambda: rec["ehlo"].append(hostname))
        return await super().smtp_EHLO(hostname)

    async def smtp_HELO(self, hostname):
        self._record_command("HELO", hostname)
        return await super().smtp_HELO(hostname)

    async def smtp_STARTTLS(self, arg):
        self._record_command("STARTTLS", arg)
        return await super().smtp_STARTTLS(arg)

    async def smtp_AUTH(self, arg):
        self._record_command("AUTH", arg)
        return await super().smtp_AUTH(arg)

    async def smtp_MAIL(self, arg):
        self._record_command("MAIL", arg)
        return await super().smtp_MAIL(arg)

    async def smtp_RCPT(self, arg):
        self._record_command("RCPT", arg)
        return await super().smtp_RCPT(arg)

    async def smtp_DATA(self, arg):
        self._record_command("DATA", arg)
        return await super().smtp_DATA(arg)

    async def smtp_QUIT(self, arg):
        self._record_command("QUIT", arg)
        return await super().smtp_QUIT(arg)


class Mailbox:
    """Messages delivered by Server and served by pop3d.POP3Server."""

    def __init__(self):
        self.lock = threading.Lock()
        self.messages = []  # raw bytes, oldest first

    def deliver(self, raw):
        with self.lock:
            self.messages.append(bytes(raw))

    def snapshot(self):
        with self.lock:
            return list(self.messages)


class StallServer:
    """Accepts TCP connections on a free loopback port and never says a
    word (a hung server, or a filter that holds the connection). Records
    how many connections it got."""

    def __init__(self):
        self.sock = None
        self.port = None
        self.conns = []
        self._stop = threading.Event()
        self._thread = None

    def _run(self):
        self.sock.settimeout(0.2)
        while not self._stop.is_set():
            try:
                c, _ = self.sock.accept()
                self.conns.append(c)
            except OSError:
                pass

    def __enter__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self._thread = threading.Thread(target=self._run, name="stall", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(5)
        for c in self.conns:
            c.close()
        self.sock.close()


class ScriptServer:
    """A raw SMTP-speaking socket on a free loopback port that plays a
    script, for the failures aiosmtpd cannot show:
      "reset"      accept, then close at once with a TCP RST
      "stall-mail" greet, answer EHLO (no AUTH), then never answer MAIL
      "odd-auth"   greet, offer only an AUTH mechanism nobody knows
    Records the command lines it got (AUTH payloads never arrive: the
    client has no mechanism to send)."""

    def __init__(self, script):
        if script not in ("reset", "stall-mail", "odd-auth"):
            raise ValueError(script)
        self.script = script
        self.commands = []
        self.conns = 0
        self._stop = threading.Event()
        self._held = []

    def _serve(self, c):
        import struct
        self.conns += 1
        if self.script == "reset":
            c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            c.close()
            return
        f = c.makefile("rb")
        c.sendall(b"220 script.example.jp ESMTP\r\n")
        for raw in f:
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            self.commands.append(line)
            cmd = line.split(" ", 1)[0].upper()
            if cmd in ("EHLO", "HELO"):
                caps = b"250-script.example.jp\r\n"
                if self.script == "odd-auth":
                    caps += b"250-AUTH X-UNKNOWN-MECH\r\n"
                c.sendall(caps + b"250 HELP\r\n")
            elif cmd == "MAIL" and self.script == "stall-mail":
                self._held.append(c)
                return  # never answers
            elif cmd == "QUIT":
                c.sendall(b"221 bye\r\n")
                break
            else:
                c.sendall(b"502 not here\r\n")
        c.close()

    def _run(self):
        self.sock.settimeout(0.2)
        while not self._stop.is_set():
            try:
                c, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._serve, args=(c,), daemon=True).start()

    def __enter__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self._thread = threading.Thread(target=self._run, name="script", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(5)
        for c in self._held:
            c.close()
        self.sock.close()


def closed_port():
    """A loopback port nobody listens on (bound, then released: the kernel
    does not hand it out again at once)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def _free_port(host="127.0.0.1"):
    """A listening socket on a free loopback port (kept open: no race)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((host, 0))
    s.listen(16)
    s.setblocking(False)
    return s


class Server:
    """One SMTP server on 127.0.0.1 in a background thread.

    tls: "starttls" (offered; AUTH only after it), "ssl" (implicit TLS from
    the first byte), "none" (no TLS; AUTH in the clear allowed).
    cert: which of make_pki's certificates the server presents.
    accounts: {user: password}; auth_required: MAIL before AUTH gets 530.
    mechanisms: the AUTH mechanisms offered (subset of PLAIN, LOGIN); empty:
    no AUTH capability listed at all (the "server offers no AUTH" case).
    require_starttls: every command but EHLO/STARTTLS/QUIT gets 530 until
    STARTTLS. reject_rcpt: the reply to every RCPT (e.g. a 554 5.7.1 relay
    refusal). mailbox: a Mailbox the accepted messages are delivered to
    (pop3d.py serves it)."""

    def __init__(self, pki, record=None, tls="starttls", cert="good", accounts=None,
                 auth_required=True, mechanisms=("PLAIN", "LOGIN"), port=0,
                 require_starttls=False, reject_rcpt=None, mailbox=None, host="127.0.0.1"):
        if tls not in ("starttls", "ssl", "none"):
            raise ValueError(f"tls={tls!r}")
        if cert not in CERT_KINDS:
            raise ValueError(f"cert={cert!r}")
        self.pki = Path(pki)
        self.tls = tls
        self.cert = cert
        self._accounts = {k.encode(): v.encode() for k, v in (accounts or {}).items()}
        self.auth_required = auth_required
        self.mechanisms = tuple(m.upper() for m in mechanisms)
        self.require_starttls = require_starttls
        self.reject_rcpt = reject_rcpt
        self.mailbox = mailbox
        self.host = host
        self.recorder = _Recorder(record)
        self.record_path = self.recorder.path
        self._want_port = port
        self.port = None
        self._loop = None
        self._thread = None
        self._server = None
        self._ready = threading.Event()
        self._error = None

    # -- authentication: compare, record the user and the outcome, forget.
    def _authenticator(self, server, session, envelope, mechanism, auth_data):
        user = auth_data.login
        ok = user in self._accounts and self._accounts[user] == auth_data.password
        name = user.decode("utf-8", "replace")
        rec = server.ms_record
        self.recorder.update(lambda: rec["auth"].append(
            {"mechanism": mechanism, "user": name, "success": ok}))
        if ok:
            server.ms_auth_user = name
        # handled=False: aiosmtpd then answers 535 itself.
        return AuthResult(success=ok, handled=False, auth_data=name if ok else None)

    def _context(self):
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        # TLS 1.0 and later: XP's Schannel speaks TLS 1.0 only.
        ctx.minimum_version = ssl.TLSVersion.TLSv1
        try:
            ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
        except ssl.SSLError:
            pass
        ctx.load_cert_chain(self.pki / f"{self.cert}.pem", self.pki / f"{self.cert}.key")
        return ctx

    def _factory(self):
        ctx = self._context() if self.tls != "none" else None
        excluded = [m for m in ("PLAIN", "LOGIN") if m not in self.mechanisms]
        kw = dict(hostname="mailsetup-test", authenticator=self._authenticator,
                  auth_required=self.auth_required,
                  auth_require_tls=(self.tls == "starttls"),
                  auth_exclude_mechanism=excluded, timeout=30, loop=self._loop)
        if self.tls == "starttls":
            kw.update(tls_context=ctx, require_starttls=self.require_starttls)
        hide = not self.mechanisms
        return lambda: _SMTP(_Handler(self.recorder, self.reject_rcpt, self.mailbox),
                             self.recorder, hide_auth=hide, **kw)

    def _run(self):
        try:
            self._loop = asyncio.new_event_loop()
            asyncio.set_event_loop(self._loop)
            if self._want_port:
                sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                sock.bind((self.host, self._want_port))
                sock.listen(16)
                sock.setblocking(False)
            else:
                sock = _free_port(self.host)
            self.port = sock.getsockname()[1]
            ssl_ctx = self._context() if self.tls == "ssl" else None
            self._server = self._loop.run_until_complete(
                self._loop.create_server(self._factory(), sock=sock, ssl=ssl_ctx))
        except Exception as e:
            self._error = e
            self._ready.set()
            return
        self._ready.set()
        self._loop.run_forever()
        self._loop.close()

    def start(self):
        self._thread = threading.Thread(target=self._run, name="smtpd", daemon=True)
        self._thread.start()
        self._ready.wait(10)
        if self._error:
            raise self._error
        if self.port is None:
            raise RuntimeError("smtpd did not start")
        return self

    async def _shutdown(self):
        self._server.close()
        for proto in list(self.recorder.live):
            if proto.transport is not None:
                proto.transport.close()
        await asyncio.sleep(0.05)
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._loop.stop()

    def stop(self):
        if self._loop and self._thread and self._thread.is_alive():
            asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop)
            self._thread.join(10)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def sessions(self):
        with self.recorder.lock:
            return json.loads(json.dumps(self.recorder.sessions))

    def wait_sessions(self, n=1, timeout=10.0):
        """Waits until at least n sessions exist and all of them are closed
        (the client has gone), then returns them as read back from the
        record file, which is what the test checks."""
        deadline = time.monotonic() + timeout
        with self.recorder.changed:
            while True:
                s = self.recorder.sessions
                if len(s) >= n and all(x["closed"] for x in s):
                    break
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self.recorder.changed.wait(left)
        if self.record_path:
            return json.loads(self.record_path.read_text())["sessions"]
        return self.sessions


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--port", type=int, default=0, help="0: a free port (printed)")
    ap.add_argument("--cert-dir", required=True, help="test CA and certificates (made if missing)")
    ap.add_argument("--record", required=True, help="JSON file of the sessions")
    ap.add_argument("--tls", choices=("starttls", "ssl", "none"), default="starttls")
    ap.add_argument("--cert", choices=CERT_KINDS, default="good")
    ap.add_argument("--host", action="append", help="host name for the certificate (repeatable)")
    ap.add_argument("--accounts", help='JSON file {"user": "password", ...}')
    ap.add_argument("--mechanism", action="append", choices=("PLAIN", "LOGIN"))
    args = ap.parse_args(argv)
    accounts = json.loads(Path(args.accounts).read_text()) if args.accounts else {}
    pki = make_pki(args.cert_dir, args.host)
    srv = Server(pki, record=args.record, tls=args.tls, cert=args.cert, accounts=accounts,
                 mechanisms=tuple(args.mechanism or ("PLAIN", "LOGIN")), port=args.port)
    srv.start()
    print(f"smtpd: listening on 127.0.0.1:{srv.port} ({args.tls}, {args.cert} certificate, "
          f"CA {pki / 'ca.pem'}), recording to {args.record}", flush=True)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    srv.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
