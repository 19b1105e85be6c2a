#!/usr/bin/python3
"""Outlook (2003-2010 and 2013+ MAPI profiles) under Wine, one seed ISP: a
prefix seeded from tests/data/outlook/<fixture> -> `scan` lists the
profile accounts -> `apply --yes` changes exactly what
tests/data/outlook/<fixture>.<isp>.diff lists (the unit tests' expectation)
-> `undo --yes` gives the export back byte for byte.

Wine has no Outlook, so no Account Management API: with --path the test
also checks that the report says each changed account took the registry
path ("path": "registry" with the reason in "path_reason").
With --running a dummy outlook.exe runs meanwhile and apply must refuse the
Outlook accounts and change nothing.

    test_outlook_apply.py ISP FIXTURE [--path] [--running]"""

import sys

import winebench
from oe_common import DATA, check, fail, parse, profile_arg, run_json

KEYS = [r"HKEY_CURRENT_USER\Software\Microsoft\Windows NT\CurrentVersion"
        r"\Windows Messaging Subsystem\Profiles",
        r"HKEY_CURRENT_USER\Software\Microsoft\Office\16.0\Outlook",
        r"HKEY_CURRENT_USER\Software\Microsoft\Office\15.0\Outlook"]
SHORT = [(r"HKEY_CURRENT_USER\Software\Microsoft\Windows NT\CurrentVersion"
          r"\Windows Messaging Subsystem\Profiles" + "\\", "WMS\\"),
         (r"HKEY_CURRENT_USER\Software\Microsoft\Office\16.0\Outlook\Profiles" + "\\", "16.0\\"),
         (r"HKEY_CURRENT_USER\Software\Microsoft\Office\15.0\Outlook\Profiles" + "\\", "15.0\\"),
         ("9375CFF0413111d3B88A00104B2A6676\\", "")]


def export(p):
    return "".join(p.reg_export(k) for k in KEYS)


def pretty(value):
    """A .reg value as tests/data/outlook/README.md shows it."""
    if value.startswith("dword:"):
        return str(int(value[6:], 16))
    if value.startswith("hex:"):
        raw = bytes(int(b, 16) for b in value[4:].split(",") if b.strip())
        if len(raw) >= 2 and len(raw) % 2 == 0 and raw[-2:] == b"\0\0":
            try:
                text = raw[:-2].decode("utf-16-le")
                if "\0" not in text:
                    return f'"{text}"'
            except UnicodeDecodeError:
                pass
    return value


def short(key):
    for a, b in SHORT:
        key = key.replace(a, b)
    return key


def diff(before, after):
    a, b = parse(before), parse(after)
    out = set()
    for k in set(a) | set(b):
        va, vb = a.get(k), b.get(k)
        if va is None:
            out.add(f"+ [{short(k)}]")
            va = {}
        if vb is None:
            out.add(f"- [{short(k)}]")
            vb = {}
        for n in set(va) | set(vb):
            if n not in va:
                out.add(f"+ {short(k)}\\{n}={pretty(vb[n])}")
            elif n not in vb:
                out.add(f"- {short(k)}\\{n}={pretty(va[n])}")
            elif va[n] != vb[n]:
                out.add(f"~ {short(k)}\\{n}: {pretty(va[n])} -> {pretty(vb[n])}")
    return out


def main(isp, fixture, *flags):
    stem = fixture[:-4]
    want = {l for l in (DATA / "outlook" / f"{stem}.{isp}.diff").read_text("utf-8").splitlines()
            if l}
    with winebench.Prefix() as p:
        p.reg_import(DATA / "outlook" / fixture)
        before = export(p)
        check("9375CFF0413111d3B88A00104B2A6676" in before, "fixture not imported")
        prof = profile_arg(p, isp)

        rc, rep, err = run_json(p, "--lang", "en", *prof, "scan")
        check(rc in (0, 4), f"scan exit {rc}: {err}")
        olk = [a for a in rep["accounts"] if a["program"] in ("outlook", "outlook2013")]
        check(olk, f"no Outlook account in the scan: {rep['accounts']}")
        for a in olk:
            check("read_error" not in a, f"{a['id']}: {a.get('read_error')}")
        check(export(p) == before, "scan changed the registry")

        if "--running" in flags:
            with p.dummy_process("outlook.exe"):
                rc, rep, err = run_json(p, "--lang", "en", *prof, "apply", "--yes")
            check(rc == 5, f"apply with outlook.exe running: exit {rc} (want 5, busy)")
            changed = [r["id"] for r in rep.get("results", []) if r["outcome"] == "changed"]
            check(not any(i.startswith("outlook") for i in changed),
                  f"Outlook accounts changed while outlook.exe ran: {changed}")
            check(export(p) == before, "apply changed Outlook's settings while it ran")
            print(f"ok: {isp} {fixture} refused while outlook.exe runs")
            return

        rc, rep, err = run_json(p, "--lang", "en", *prof, "apply", "--yes")
        check(rc == 0 if want else rc in (0, 4), f"apply exit {rc}: {err}")
        got = diff(before, export(p))
        if got != want:
            fail("registry diff after apply:\n  unexpected: " +
                 "\n  ".join(sorted(got - want)) + "\n  missing: " +
                 "\n  ".join(sorted(want - got)))
        changed = [r for r in rep.get("results", []) if r["outcome"] == "changed"]
        check(bool(changed) == bool(want), f"results {rep.get('results')} vs diff {want}")
        if "--path" in flags:
            for r in changed:
                check(r.get("path") == "registry",
                      f"{r['id']}: path {r.get('path')!r}, want 'registry' (no API under Wine)")
                check(r.get("path_reason"), f"{r['id']}: no path_reason")
                print(f"  {r['id']}: {r['path']} ({r['path_reason']})")
        after = export(p)

        rc, rep, err = run_json(p, *prof, "scan")
        check(all(a["status"] != "change" for a in rep["accounts"]
                  if a["program"] in ("outlook", "outlook2013")), "still changes after apply")

        if want:
            r = p.run("--lang", "en", "undo", "--yes")
            check(r.returncode == 0, f"undo exit {r.returncode}: {r.stdout} {r.stderr}")
            check(export(p) == before, "undo did not restore the export byte for byte:\n" +
                  "\n".join(sorted(diff(before, export(p)))))
        else:
            check(after == before, "changed without a plan")
    print(f"ok: {isp} {fixture}")


if __name__ == "__main__":
    main(*sys.argv[1:])
