#!/usr/bin/python3
"""Interrupted runs under Wine (docs/backup.md, issue 13): `apply --yes`
over 250 Outlook Express accounts of 117net in 10 identities (made by
tests/bench/scan_bench.py's generator) is killed with SIGKILL, from Linux,
at random moments after its journal appears, KILLS times (default 10).
Every time:

  - the next `scan` names the interrupted run: exit 9, [T06] and the
    backup folder on stderr, "interrupted_run" in its JSON report;
  - after that start no account is half-changed: each account key holds
    exactly the values it had before, or exactly those a complete apply
    gives it (a kill between two values of one account can leave that one
    account half-changed; the next start puts it back to all-old, and the
    test prints how often the kill found one);
  - no temporary file (*.mailsetup-tmp) is left in the backup folder after
    that start;
  - `apply --yes` refuses to change anything on top of it (exit 9);
  - `undo --yes` gives the registry back byte for byte.
The GUI, started after the first kill, opens on the page that names the
interrupted run (T06) before any scan; a complete run is never called
interrupted. Prints the kill moments and what each left.

    test_kill_apply.py [KILLS]
"""
import json
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import guilib  # noqa: E402
import scan_bench  # noqa: E402
import winebench  # noqa: E402
from guilib import IDC_BODY, text_of  # noqa: E402
from oe_common import check, fail, parse  # noqa: E402

KEY = r"HKEY_CURRENT_USER\Identities"


def backups(p):
    root = p.path("local_appdata") / "mailsetup" / "backup"
    return sorted(root.iterdir()) if root.is_dir() else []


def start_apply(p, prof):
    out = tempfile.TemporaryFile()
    proc = subprocess.Popen([winebench.WINE, str(p.exe), *prof, "apply", "--yes"], env=p.env,
                            stdout=out, stderr=out)
    return proc, out


def wait_journal(p, known, proc, timeout=120):
    """The new backup folder's journal.json, once it exists (None: the
    process ended first)."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        for d in backups(p):
            if d not in known and (d / "journal.json").exists():
                return d, time.monotonic()
        if proc.poll() is not None:
            return None, time.monotonic()
        time.sleep(0.01)
    fail("no journal appeared")


def account_keys(text):
    return {k: v for k, v in parse(text).items() if "\\Accounts\\" in k}


def main(kills):
    rnd = random.Random()
    seed = rnd.randrange(1 << 30)
    rnd.seed(seed)
    print(f"seed {seed}")
    with winebench.Prefix(name="kill") as p:
        reg = p.path("c") / "bench.reg"
        scan_bench.make_reg(reg, identities=10, per_identity=25, isp_every=1)
        p.reg_import(reg)
        before = p.reg_export(KEY)
        prof = ["--profile", p.winpath(winebench.SOURCE_DIR / "isp-profiles" / "117net.json")]
        with scan_bench._Session(p):
            # A complete run: what every account looks like when changed,
            # and how long the writing takes.
            known = set(backups(p))
            t0 = time.monotonic()
            proc, out = start_apply(p, prof)
            d, tj = wait_journal(p, known, proc)
            check(proc.wait(300) == 0, "the complete apply failed")
            window = time.monotonic() - tj
            check(d is not None, "the complete apply left no journal")
            state = json.loads((d / "journal.json").read_text("utf-8"))["state"]
            check(state == "verified", f"a complete run ends 'verified', not {state!r}")
            after = p.reg_export(KEY)
            old, new = account_keys(before), account_keys(after)
            changing = [k for k in old if old[k] != new.get(k)]
            check(len(changing) == 250, f"{len(changing)} accounts change, not 250")
            r = p.run("scan", "--json", "-", timeout=120)
            check(r.returncode in (0, 4) and "T06" not in r.stderr,
                  f"a complete run is not interrupted: {r.returncode} {r.stderr}")
            r = p.run("undo", "--yes", timeout=120)
            check(r.returncode == 0 and p.reg_export(KEY) == before, "undo of the complete run")
            print(f"ok   complete apply: {time.monotonic() - t0:.1f} s, writing {window:.1f} s")

            done = tries = halves = 0
            while done < kills:
                tries += 1
                check(tries <= kills * 3, "the apply kept ending before the kill")
                known = set(backups(p))
                proc, out = start_apply(p, prof)
                d, tj = wait_journal(p, known, proc)
                at = rnd.uniform(0, window * 0.9)
                time.sleep(max(0.0, at - (time.monotonic() - tj)))
                if proc.poll() is not None or d is None:
                    r = p.run("undo", "--yes", timeout=120)  # it finished: start again
                    continue
                proc.send_signal(signal.SIGKILL)
                proc.wait(30)
                state = json.loads((d / "journal.json").read_text("utf-8"))["state"]
                if state != "in_progress":
                    # The run had ended (its journal says so) and was only
                    # exiting when the kill came: not an interrupted run.
                    r = p.run("undo", "--yes", timeout=120)
                    check(r.returncode == 0 and p.reg_export(KEY) == before,
                          f"undo of a run killed after its end ({state})")
                    continue
                done += 1
                cur = account_keys(p.reg_export(KEY))
                half_at_kill = [k for k in changing if cur.get(k) not in (old[k], new[k])]
                check(len(half_at_kill) <= 1, f"kill {done}: half-changed: {half_at_kill}")
                tmp_before = sorted(x.name for x in d.rglob("*.mailsetup-tmp"))
                # The next start names the run and cleans up after it.
                r = p.run("--lang", "en", "scan", "--json", "-", timeout=120)
                rep = json.loads(r.stdout)
                check(r.returncode == 9 and "[T06]" in r.stderr and d.name in r.stderr,
                      f"kill {done}: scan does not name the run: {r.returncode} {r.stderr}")
                check(rep.get("interrupted_run", {}).get("helpdesk") == "T06",
                      f"kill {done}: no interrupted_run in the report")
                left = sorted(x.name for x in d.rglob("*.mailsetup-tmp"))
                check(not left, f"kill {done}: temporary files left: {left}")
                now = p.reg_export(KEY)
                cur = account_keys(now)
                half = [k for k in changing if cur.get(k) not in (old[k], new[k])]
                changed = sum(1 for k in changing if cur.get(k) == new[k])
                check(not half, f"kill {done}: half-changed accounts after the next start: {half[:3]}")
                check(all(cur.get(k) == old[k] for k in old if k not in changing),
                      f"kill {done}: an account outside the plan changed")
                halves += bool(half_at_kill)
                if done == 1:
                    r = p.run("apply", "--yes", timeout=120)
                    check(r.returncode == 9 and p.reg_export(KEY) == now,
                          f"apply on top of an interrupted run: {r.returncode}")
                    with guilib.Wizard(p, "--lang", "en") as wz:
                        st = wz.wait(step=1, enabled="next")
                        body = text_of(st, IDC_BODY)
                        check("T06" in body and d.name in body,
                              f"the GUI does not name the interrupted run: {body!r}")
                    print("ok   apply refuses (exit 9); the GUI opens on the T06 page")
                r = p.run("undo", "--yes", timeout=120)
                check(r.returncode == 0, f"kill {done}: undo exit {r.returncode} {r.stderr}")
                check(p.reg_export(KEY) == before, f"kill {done}: undo is not byte-exact")
                print(f"ok   kill {done} at {at:.2f} s into the writing: {changed}/250 accounts "
                      f"changed, {len(half_at_kill)} half at the kill, none after the next start; "
                      f"{len(tmp_before)} temp file(s) removed; undo exact")
    print(f"ok: {kills} kills; {halves} of them found one account half-changed, which the "
          "next start put back")
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 10))
