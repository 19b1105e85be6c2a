#!/usr/bin/python3
"""The wizard stays responsive while a test send waits for a server that
stalls (accepts the connection and never says a word): throughout, the
driver's WM_NULL (SendMessageTimeout, 200 ms) is answered, and within
200 ms each time; then Cancel closes the wizard at once although the send
is still waiting (the send is cancelled, not waited for).
"""
import socket
import sys
import threading
import time

import guilib
import winebench
from guilib import IDC_ACCOUNT, IDC_PASSWORD, IDC_STATUS


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


class StallServer:
    """Accepts connections on loopback and keeps them open, silent."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.conns = []
        self.stop = False
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self):
        self.sock.settimeout(0.2)
        while not self.stop:
            try:
                c, _ = self.sock.accept()
                self.conns.append(c)
            except OSError:
                pass

    def close(self):
        self.stop = True
        for c in self.conns:
            c.close()
        self.sock.close()


def main():
    srv = StallServer()
    try:
        with winebench.Prefix() as p:
            guilib.seed_micnet(p, thunderbird=False)
            with guilib.Wizard(p, "--lang", "en", "--test-server", f"127.0.0.1:{srv.port}") as wz:
                wz.wait(step=1, enabled="next")
                wz.press("next")
                wz.wait(step=2, enabled="next")
                wz.press("next")
                st = wz.wait(step=3, enabled="next")
                for i in range(len(guilib.control(st, IDC_ACCOUNT)["items"])):
                    wz.drive("select", str(IDC_ACCOUNT), str(i))
                    wz.settext(IDC_PASSWORD, guilib.PASSWORD)
                wz.press("next")
                wz.wait(step=4, enabled="next")
                wz.press("next")
                wz.wait(step=5, enabled="next")
                wz.press("next")
                wz.wait(step=6, text=(IDC_STATUS, "Sending"))
                guilib.wait_until(lambda: srv.conns, 20, "the wizard to connect")
                r = wz.ping(25, 200)
                print(f"responsiveness during the stalled send: {r}")
                if not r.get("ok") or r.get("misses") or r.get("max_ms", 999) >= 200:
                    fail(f"the window did not answer within 200 ms every time: {r}")
                st = wz.state()
                if "Sending" not in guilib.text_of(st, IDC_STATUS):
                    fail("the send ended before the measurement did; it should still stall")
                t0 = time.monotonic()
                wz.press("cancel")
                try:
                    wz.proc.wait(10)
                except Exception:
                    fail("Cancel during the stalled send did not close the wizard in 10 s")
                print(f"Cancel closed the wizard in {time.monotonic() - t0:.1f} s")
    finally:
        srv.close()
    print("OK: responsive during a stalled test send; Cancel works")


if __name__ == "__main__":
    main()
