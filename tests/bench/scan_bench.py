#!/usr/bin/python3
"""scan_bench: `mailsetup.exe scan` over 1,000 Outlook Express accounts in
50 identities under Wine (the issue's scale target: under one second).

Generates the .reg (UTF-16, as regedit writes it) into the prefix, imports
it, then times, each RUNS times: `--version` (Wine process start-up, the
floor) and `scan --json FILE` (start-up + scan + plan + report). Prints a
Markdown table for docs/performance.md and exits 1 when the median scan is
1 s or more.

    MAILSETUP_EXE=build/win64-x/dist/mailsetup.exe tests/bench/scan_bench.py [RUNS]
"""

import json
import os
import resource
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "wine"))
import winebench  # noqa: E402

IDENTITIES, PER_IDENTITY = 50, 20
IAM = r"Software\Microsoft\Internet Account Manager"


def make_reg(path):
    rnd = uuid.UUID(int=0x6d61696c7365747570)  # fixed: the same file every run
    lines = ["Windows Registry Editor Version 5.00", ""]
    for i in range(IDENTITIES):
        g = "{%s}" % str(uuid.uuid5(rnd, str(i))).upper()
        lines += [f"[HKEY_CURRENT_USER\\Identities\\{g}]", f'"Username"="利用者 {i + 1}"',
                  f'"User ID"="{g}"', "",
                  f"[HKEY_CURRENT_USER\\Identities\\{g}\\{IAM}]", '"Default Mail Account"="00000001"', ""]
        for k in range(PER_IDENTITY):
            isp = k % 4 == 0  # a quarter are 117net's, the rest other ISPs'
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


def timed(p, *args):
    """Wall time and the CPU time of the wine client process (user + sys;
    less sensitive to other load than wall time)."""
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = subprocess.run([winebench.WINE, str(p.exe), *map(str, args)], env=p.env,
                       capture_output=True, timeout=120)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime
    return wall, cpu, r


def main(runs=7):
    runs = int(runs)
    with winebench.Prefix(display=False) as p:
        reg = p.path("c") / "bench.reg"
        make_reg(reg)
        p.reg_import(reg)
        prof = ["--profile", p.winpath(winebench.SOURCE_DIR / "isp-profiles" / "117net.json")]
        out = p.path("c") / "scan.json"
        timed(p, "--version")  # warm the wineserver and the page cache
        base, scan, bcpu, scpu = [], [], [], []
        for _ in range(runs):
            w, c, _ = timed(p, "--version")
            base.append(w)
            bcpu.append(c)
            w, c, r = timed(p, *prof, "scan", "--json", p.winpath(out))
            if r.returncode != 0:
                raise SystemExit(f"scan failed ({r.returncode}): {r.stderr}")
            scan.append(w)
            scpu.append(c)
        rep = json.loads(out.read_text("utf-8"))
        n = sum(1 for a in rep["accounts"] if a["program"] == "oe")
        changes = sum(1 for a in rep["accounts"] if a["status"] == "change")
        if n != IDENTITIES * PER_IDENTITY:
            raise SystemExit(f"scan found {n} accounts, not {IDENTITIES * PER_IDENTITY}")
    med_b, med_s = statistics.median(base), statistics.median(scan)
    print(f"| accounts / identities | {n} / {IDENTITIES} (of them to change: {changes}) |")
    print(f"| `--version` (Wine start-up), median of {runs} | {med_b * 1000:.0f} ms |")
    print(f"| `scan --json`, median of {runs} (min–max) | {med_s * 1000:.0f} ms "
          f"({min(scan) * 1000:.0f}–{max(scan) * 1000:.0f} ms) |")
    print(f"| scan minus start-up | {(med_s - med_b) * 1000:.0f} ms |")
    print(f"| CPU of the wine process, `--version` / `scan` (median) | "
          f"{statistics.median(bcpu) * 1000:.0f} ms / {statistics.median(scpu) * 1000:.0f} ms |")
    load = open("/proc/loadavg").read().split()[0]
    print(f"| machine load average during the run | {load} ({os.cpu_count()} CPUs) |")
    return 0 if med_s < 1.0 else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
