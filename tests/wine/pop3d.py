#!/usr/bin/python3
"""pop3d: a small POP3 server (RFC 1939: USER/PASS, STAT, LIST, UIDL, TOP,
RETR, DELE, RSET, NOOP, QUIT, CAPA; STLS (RFC 2595) when given a TLS
context) on a free loopback port, serving the
smtpd.Mailbox that smtpd.Server delivers to, for the test send's POP3
round trip. Deletions take effect at QUIT, as RFC 1939 says. The record
holds every command with PASS's argument left out.

    box = smtpd.Mailbox()
    with smtpd.Server(pki, mailbox=box, ...) as smtp, \\
         pop3d.POP3Server(box, {"taro": "secret"}) as pop:
        ... pop.port ... pop.record ...
"""

import socketserver
import ssl
import threading


class _Session(socketserver.StreamRequestHandler):
    timeout = 30

    def send(self, line):
        self.wfile.write(line.encode("utf-8") + b"\r\n")

    def send_multi(self, first, data_lines):
        self.send(first)
        for ln in data_lines:
            self.wfile.write((b"." + ln if ln.startswith(b".") else ln) + b"\r\n")
        self.wfile.write(b".\r\n")

    def handle(self):
        srv = self.server.owner
        rec = {"commands": [], "deleted": [], "user": None, "authenticated": False, "tls": False}
        with srv.lock:
            srv.record.append(rec)
        user = None
        msgs = None  # snapshot at login: [(index in mailbox, raw)]
        deleted = set()
        self.send("+OK mailsetup test POP3 ready")
        while True:
            try:
                raw = self.rfile.readline(4096)
            except OSError as e:
                rec["error"] = repr(e)
                break
            if not raw:
                break
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            cmd, _, arg = line.partition(" ")
            cmd = cmd.upper()
            rec["commands"].append("PASS" if cmd == "PASS" else line)
            if cmd == "CAPA":
                caps = [b"USER", b"TOP", b"UIDL"]
                if srv.tls_context is not None and not rec["tls"]:
                    caps.append(b"STLS")
                self.send_multi("+OK", caps)
            elif cmd == "STLS" and srv.tls_context is not None and not rec["tls"] \
                    and user is None:
                self.send("+OK Begin TLS negotiation")
                self.wfile.flush()
                try:
                    self.connection = srv.tls_context.wrap_socket(self.connection,
                                                                  server_side=True)
                except (OSError, ssl.SSLError):
                    break
                self.rfile = self.connection.makefile("rb")
                self.wfile = socketserver._SocketWriter(self.connection)
                rec["tls"] = True
            elif cmd == "USER":
                user = arg
                rec["user"] = arg
                self.send("+OK")
            elif cmd == "PASS":
                if user is not None and srv.accounts.get(user) == arg:
                    rec["authenticated"] = True
                    msgs = list(enumerate(srv.mailbox.snapshot()))
                    self.send(f"+OK {len(msgs)} messages")
                else:
                    self.send("-ERR [AUTH] invalid user name or password")
            elif cmd == "QUIT":
                if msgs is not None and deleted:
                    with srv.mailbox.lock:
                        gone = {msgs[n - 1][0] for n in deleted}
                        srv.mailbox.messages = [m for i, m in enumerate(srv.mailbox.messages)
                                                if i not in gone]
                    rec["deleted"] = sorted(deleted)
                self.send("+OK bye")
                break
            elif msgs is None:
                self.send("-ERR log in first")
            elif cmd == "NOOP":
                self.send("+OK")
            elif cmd == "RSET":
                deleted.clear()
                self.send("+OK")
            elif cmd == "STAT":
                live = [(n, m) for n, (_, m) in enumerate(msgs, 1) if n not in deleted]
                self.send(f"+OK {len(live)} {sum(len(m) for _, m in live)}")
            elif cmd in ("LIST", "UIDL") and not arg:
                live = [(n, m) for n, (_, m) in enumerate(msgs, 1) if n not in deleted]
                if cmd == "LIST":
                    rows = [f"{n} {len(m)}".encode() for n, m in live]
                else:
                    rows = [f"{n} uid{msgs[n - 1][0]}".encode() for n, _ in live]
                self.send_multi(f"+OK {len(live)} messages", rows)
            elif cmd in ("LIST", "UIDL", "RETR", "TOP", "DELE"):
                parts = arg.split()
                try:
                    n = int(parts[0])
                    if n < 1 or n > len(msgs) or n in deleted:
                        raise ValueError
                except (ValueError, IndexError):
                    self.send("-ERR no such message")
                    continue
                m = msgs[n - 1][1]
                if cmd == "LIST":
                    self.send(f"+OK {n} {len(m)}")
                elif cmd == "UIDL":
                    self.send(f"+OK {n} uid{msgs[n - 1][0]}")
                elif cmd == "DELE":
                    deleted.add(n)
                    self.send(f"+OK message {n} deleted")
                elif cmd == "RETR":
                    self.send_multi(f"+OK {len(m)} octets", m.split(b"\r\n")[:-1]
                                    if m.endswith(b"\r\n") else m.split(b"\r\n"))
                else:  # TOP n lines
                    try:
                        k = int(parts[1])
                    except (ValueError, IndexError):
                        self.send("-ERR TOP n lines")
                        continue
                    head, _, body = m.partition(b"\r\n\r\n")
                    lines = head.split(b"\r\n") + [b""] + body.split(b"\r\n")[:k]
                    self.send_multi("+OK", lines)
            else:
                self.send("-ERR unknown command")


class _TCPServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


class POP3Server:
    def __init__(self, mailbox, accounts, host="127.0.0.1", port=0, tls_context=None):
        """tls_context: an ssl.SSLContext (server side) to offer STLS with."""
        self.tls_context = tls_context
        self.mailbox = mailbox
        self.accounts = dict(accounts)
        self.lock = threading.Lock()
        self.record = []
        self._srv = None
        self._thread = None
        self.host = host
        self.port = port

    def __enter__(self):
        self._srv = _TCPServer((self.host, self.port), _Session)
        self._srv.owner = self
        self.port = self._srv.server_address[1]
        self._thread = threading.Thread(target=self._srv.serve_forever, name="pop3d", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._srv.shutdown()
        self._srv.server_close()
        self._thread.join(5)
