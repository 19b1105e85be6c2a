#!/usr/bin/python3
"""outlook_scan_bench: `mailsetup.exe scan` over 1,000 Outlook accounts in 50
MAPI profiles (Office\\16.0) under Wine (issue 4's scale target: under one
second). Strings are REG_BINARY UTF-16LE as Outlook stores them (so each
value is a hex blob the scan decodes), numbers REG_DWORD; a quarter of the
accounts are 117net's, the rest other providers'.

Times `--version` and `scan --json FILE` in the three settings of
scan_bench.py (new Wine session, running session, one CPU); prints a
Markdown table for docs/performance.md and the goal line (the running
session against 1 s, one CPU beside it). Exits non-zero only when the scan
fails or finds the wrong accounts, never on time.

    MAILSETUP_EXE=dist/x64/mailsetup.exe tests/bench/outlook_scan_bench.py [RUNS]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scan_bench import measure  # noqa: E402

PROFILES, PER_PROFILE = 50, 20
ROOT = r"HKEY_CURRENT_USER\Software\Microsoft\Office\16.0\Outlook\Profiles"
ACCT = "9375CFF0413111d3B88A00104B2A6676"


def hexs(text):
    b = (text + "\0").encode("utf-16-le")
    return "hex:" + ",".join("%02x" % x for x in b)


def make_reg(path):
    lines = ["Windows Registry Editor Version 5.00", ""]
    for i in range(PROFILES):
        base = f"{ROOT}\\プロファイル {i + 1}\\{ACCT}"
        order = ",".join("%02x,00,00,00" % (k + 1) for k in range(PER_PROFILE))
        lines += [f"[{base}]", f'"{{ED475418-B0D6-11D2-8C3B-00104B2A6676}}"=hex:{order}', ""]
        for k in range(PER_PROFILE):
            isp = k % 4 == 0
            dom = "vp.117.ne.jp" if isp else f"isp{k}.example.ne.jp"
            lines += [f"[{base}\\{k + 1:08x}]",
                      f'"Account Name"={hexs(f"アカウント {k + 1}")}',
                      f'"Display Name"={hexs(f"山田 太郎 {i}-{k}")}',
                      f'"Email"={hexs(f"user{i}x{k}@{dom}")}',
                      f'"POP3 Server"={hexs("vp.117.ne.jp" if isp else "pop." + dom)}',
                      f'"POP3 User"={hexs(f"user{i}x{k}")}',
                      f'"SMTP Server"={hexs("vs.117.ne.jp" if isp else "smtp." + dom)}',
                      '"SMTP Port"=dword:00000019', '"SMTP Secure Connection"=dword:00000000',
                      '"Leave Mail On Server"=dword:00000001', ""]
    text = "\r\n".join(lines) + "\r\n"
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))


def main(runs=5):
    return measure(make_reg, "outlook2013", PROFILES * PER_PROFILE,
                   f"Outlook 2016, {PROFILES} MAPI profiles", runs)


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
