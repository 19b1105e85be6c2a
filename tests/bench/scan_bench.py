#!/usr/bin/python3
"""scan_bench: `mailsetup.exe scan` over 1,000 Outlook Express accounts in
50 identities under Wine (issue 4's scale target: under one second).

Generates the .reg (UTF-16, as regedit writes it) into the prefix, imports
it, then times `--version` (the floor: Wine's process start-up) and
`scan --json FILE` (start-up + scan + plan + report), RUNS times each, in
three settings (measure() below):

  new session  each command is the first of a new Wine session: it starts
               wineserver and Wine's services (as a program started when
               no Wine program runs);
  running      a Wine session is already running (a `cmd.exe` held open),
               as on a desktop where Wine is in use: the scan's own time;
  one CPU      as `running`, with wineserver and the program on one CPU
               (taskset): a wineserver round trip then costs what it costs
               on a machine with cheap cross-CPU wake-ups (see the pipe
               round trips printed first).

Every registry read under Wine is a round trip to wineserver; on this
2-vCPU VM a round trip between processes on two CPUs costs ~25-50 us, on
one CPU ~2 us, so the settings differ by the VM's wake-up cost, not by our
code. Prints a Markdown table for docs/performance.md and then the goal
line: the running-session median (the setting users have: a desktop whose
Wine session, or Windows, is already running) against the 1 s goal, with
the one-CPU median beside it. A benchmark that prints, not a timed
pass/fail test (docs/testing.md): it exits 0 whatever the times, and
non-zero only when the scan fails or finds the wrong number of accounts.

    MAILSETUP_EXE=dist/x64/mailsetup.exe tests/bench/scan_bench.py [RUNS]
"""

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "wine"))
import winebench  # noqa: E402

IDENTITIES, PER_IDENTITY = 50, 20
IAM = r"Software\Microsoft\Internet Account Manager"


def make_reg(path, identities=None, per_identity=None, isp_every=4):
    """identities x per_identity accounts (default: the bench's 50 x 20);
    one in isp_every is 117net's."""
    identities = identities or IDENTITIES
    per_identity = per_identity or PER_IDENTITY
    rnd = uuid.UUID(int=0x6d61696c7365747570)  # fixed: the same file every run
    lines = ["Windows Registry Editor Version 5.00", ""]
    for i in range(identities):
        g = "{%s}" % str(uuid.uuid5(rnd, str(i))).upper()
        lines += [f"[HKEY_CURRENT_USER\\Identities\\{g}]", f'"Username"="利用者 {i + 1}"',
                  f'"User ID"="{g}"', "",
                  f"[HKEY_CURRENT_USER\\Identities\\{g}\\{IAM}]", '"Default Mail Account"="00000001"', ""]
        for k in range(per_identity):
            isp = k % isp_every == 0  # a quarter are 117net's, the rest other ISPs'
            dom = "vp.117.ne.jp" if isp else f"isp{k}.example.ne.jp"
            lines += [f"[HKEY_CURRENT_USER\\Identities\\{g}\\{IAM}\\Accounts\\{k + 1:08x}]",
                      f'"Account Name"="アカウント {k + 1}"', '"Connection Type"=dword:00000003',
                      f'"POP3 Server"="{"vp.117.ne.jp" if isp else "pop." + dom}"',
                      f'"POP3 User Name"="user{i}x{k}"', '"POP3 Prompt for Password"=dword:00000000',
                      '"Leave Mail On Server"=dword:00000001',
                      f'"SMTP Server"="{"vs.117.ne.jp" if isp else "smtp." + dom}"',
                      '"SMTP Port"=dword:00000019', '"SMTP Use Sicily"=dword:00000000',
                      f'"SMTP Display Name"="山田 太郎 {i}-{k}"',
                      f'"SMTP Email Address"="user{i}x{k}@{dom}"', ""]
    text = "\r\n".join(lines) + "\r\n"
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))


def timed(p, *args, cpu=None):
    """Wall time and the CPU time of the wine client process (user + sys)
    of one `wine EXE args`; output goes to files (a pipe would also be held
    by Wine's session processes). cpu: run it on that CPU only."""
    pin = ["taskset", "-c", str(cpu)] if cpu is not None else []
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        r = subprocess.run([*pin, winebench.WINE, str(p.exe), *map(str, args)], env=p.env,
                           stdout=out, stderr=err, timeout=600)
        wall = time.perf_counter() - t0
        err.seek(0)
        r.stderr = err.read().decode("utf-8", "replace")
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_s = r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime
    return wall, cpu_s, r


def pipe_round_trip(cpus, n=5000):
    """Microseconds per one-byte ping-pong between two processes pinned to
    cpus[0] and cpus[1] (what a wineserver request costs at the least)."""
    a, b = os.pipe(), os.pipe()
    pid = os.fork()
    if pid == 0:
        os.sched_setaffinity(0, {cpus[1]})
        for _ in range(n):
            os.read(a[0], 1)
            os.write(b[1], b"x")
        os._exit(0)
    old = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {cpus[0]})
    t0 = time.perf_counter()
    for _ in range(n):
        os.write(a[1], b"x")
        os.read(b[0], 1)
    t = time.perf_counter() - t0
    os.sched_setaffinity(0, old)
    os.waitpid(pid, 0)
    for fd in (*a, *b):
        os.close(fd)
    return t / n * 1e6


class _Session:
    """A Wine session held open by `wine cmd.exe` waiting on its stdin."""

    def __init__(self, p, cpu=None):
        self.p, self.cpu = p, cpu

    def __enter__(self):
        self.p.wait()  # the server (and its CPU affinity) starts anew
        pin = ["taskset", "-c", str(self.cpu)] if self.cpu is not None else []
        self.proc = subprocess.Popen([*pin, winebench.WINE, "cmd.exe"], env=self.p.env,
                                     stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        timed(self.p, "--version", cpu=self.cpu)  # services up, files cached
        return self

    def __exit__(self, *exc):
        self.proc.stdin.close()
        self.proc.wait(60)
        self.p.wait()
        return False


def _samples(p, args, runs, cpu=None, fresh=False):
    """runs × (`--version`, the scan); fresh: each in a new Wine session."""
    base, scan, bcpu, scpu = [], [], [], []
    for _ in range(runs):
        if fresh:
            p.wait()
        w, c, _ = timed(p, "--version", cpu=cpu)
        base.append(w)
        bcpu.append(c)
        if fresh:
            p.wait()
        w, c, r = timed(p, *args, cpu=cpu)
        if r.returncode != 0:
            raise SystemExit(f"scan failed ({r.returncode}): {r.stderr}")
        scan.append(w)
        scpu.append(c)
    return {"base": base, "scan": scan, "bcpu": bcpu, "scpu": scpu}


GOAL_S = 1.0  # issue 4: 1,000 accounts scanned in under a second


def goal_line(what, running, one_cpu):
    """The benchmark's verdict, printed: the running session against the
    goal, the one-CPU figure beside it. Never an exit code."""
    verdict = "meets" if running < GOAL_S else "MISSES"
    return (f"goal: {what}: running session {running * 1000:.0f} ms — {verdict} the "
            f"{GOAL_S:.0f} s goal (one CPU: {one_cpu * 1000:.0f} ms)")


def measure(make, program, want, what, runs):
    """Imports the registry make(path) writes, then times `scan --json` in
    the three settings; checks the scan found want accounts of program
    (SystemExit otherwise). Prints the table and the goal line; returns 0."""
    runs = int(runs)
    cpus = sorted(os.sched_getaffinity(0))
    rt_two = pipe_round_trip((cpus[0], cpus[-1])) if len(cpus) > 1 else None
    rt_one = pipe_round_trip((cpus[0], cpus[0]))
    with winebench.Prefix(display=False) as p:
        reg = p.path("c") / "bench.reg"
        make(reg)
        p.reg_import(reg)
        prof = ["--profile", p.winpath(winebench.SOURCE_DIR / "isp-profiles" / "117net.json")]
        out = p.path("c") / "scan.json"
        args = (*prof, "scan", "--json", p.winpath(out))
        timed(p, "--version")  # the page cache
        res = {"new session": _samples(p, args, runs, fresh=True)}
        with _Session(p):
            res["running"] = _samples(p, args, runs)
        with _Session(p, cpu=cpus[0]):
            res["one CPU"] = _samples(p, args, runs, cpu=cpus[0])
        rep = json.loads(out.read_text("utf-8"))
        accts = [a for a in rep["accounts"] if a["program"] == program]
        changes = sum(1 for a in accts if a["status"] == "change")
        if len(accts) != want:
            raise SystemExit(f"scan found {len(accts)} accounts, not {want}")
    ms = lambda v: f"{v * 1000:.0f} ms"  # noqa: E731
    print(f"{what}: {len(accts)} accounts, {changes} of them to change; median of {runs} runs "
          f"(min–max); load average {open('/proc/loadavg').read().split()[0]} "
          f"({len(cpus)} CPUs)")
    if rt_two is not None:
        print(f"pipe round trip between two processes: {rt_two:.1f} µs on two CPUs, "
              f"{rt_one:.1f} µs on one")
    print()
    print("| Wine session | `--version` | `scan --json` | scan − `--version` "
          "| CPU of the wine process, `--version` / `scan` |")
    print("|---|---:|---:|---:|---:|")
    for name, r in res.items():
        b, s = statistics.median(r["base"]), statistics.median(r["scan"])
        print(f"| {name} | {ms(b)} | {ms(s)} ({ms(min(r['scan']))}–{ms(max(r['scan']))}) "
              f"| {ms(s - b)} | {ms(statistics.median(r['bcpu']))} / "
              f"{ms(statistics.median(r['scpu']))} |")
    print()
    print(goal_line(what, statistics.median(res["running"]["scan"]),
                    statistics.median(res["one CPU"]["scan"])))
    return 0


def main(runs=5):
    return measure(make_reg, "oe", IDENTITIES * PER_IDENTITY,
                   f"Outlook Express, {IDENTITIES} identities", runs)


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
