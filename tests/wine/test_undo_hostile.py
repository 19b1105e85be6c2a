#!/usr/bin/python3
"""Undo as a trust boundary, under Wine (docs/security.md, issue 13).

A genuine apply on Outlook Express accounts (117net fixture), then every
hand-made backup folder of tests/data/hostile-backups/cases.json plus a
real journal copied from ANOTHER Wine prefix is given to `undo --backup
FOLDER --yes`: each must fail with its own helpdesk code and a sentence,
and none may change anything: the prefix's registry hives and its file tree
are compared before and after all of them, and each case's target (the Run
key, the Startup folder, System32, a document) is checked by itself. Then
the genuine backup still undoes byte for byte (reg export before apply ==
after undo).

Hostile journals that must reach the checks behind the seal are sealed with
the user's own key by the test-hook build's `journal-reseal` verb (what
malware running as the user could do)."""

import hashlib
import json
import os
import re
import secrets
import shutil
import sys
from pathlib import Path

import winebench
from oe_common import DATA, REG, check, export, fail, profile_arg, run_json

CASES = DATA / "hostile-backups" / "cases.json"
ISP, FIXTURE = "117net", "oe-117net.reg"


def hive_snapshot(prefix):
    """(hive, key, line) of user.reg and system.reg without Wine's time
    stamps (the hives are read after wineserver has written them)."""
    items = set()
    for hive in ("user.reg", "system.reg"):
        key = None
        text = (prefix / hive).read_text(encoding="utf-8", errors="surrogateescape")
        text = re.sub(r"\\\n\s*", "", text)
        for line in text.split("\n"):
            if line.startswith("["):
                key = line[: line.rindex("]") + 1]
                if winebench.WINE_NOISE.match(key):
                    key = None
                    continue
                items.add((hive, key, ""))
            elif line and not line.startswith("#") and key:
                items.add((hive, key, line))
    return items


def file_snapshot(root, skip):
    out = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        d = Path(dirpath)
        if any(d == s or s in d.parents for s in skip):
            dirnames[:] = []
            continue
        for n in dirnames + filenames:
            f = d / n
            rel = str(f.relative_to(root))
            if f.is_symlink():
                out[rel] = "link:" + os.readlink(f)
            elif f.is_file():
                out[rel] = hashlib.sha256(f.read_bytes()).hexdigest()
            else:
                out[rel] = "dir"
    return out


def hexdata(entry):
    if "text" in entry:
        return (entry["text"] + "\0").encode("utf-16-le").hex()
    return entry["data"]


class Builder:
    def __init__(self, p, header):
        self.p = p
        self.header = header  # writer and key_id of the genuine journal
        sysdir = p.path("c") / "windows" / "system32"
        self.vars = {
            "{APPDATA}": p.winpath(p.path("appdata")),
            "{LOCAL}": p.winpath(p.path("local_appdata")),
            "{HOME}": p.winpath(p.path("home")),
            "{STARTUP}": p.winpath(p.path("appdata") / "Microsoft" / "Windows" / "Start Menu"
                                   / "Programs" / "Startup"),
            "{SYSTEM32}": p.winpath(sysdir),
        }

    def sub(self, s):
        for k, v in self.vars.items():
            s = s.replace(k, v)
        return s

    def host(self, winpath):
        """The host path of a C:\\ path of the prefix."""
        check(winpath[:3].upper() == "C:\\", winpath)
        return self.p.path("c") / winpath[3:].replace("\\", "/")

    def build(self, case, folder):
        folder.mkdir(parents=True)
        entries, n = [], 0
        for e in case["entries"]:
            o = {"kind": e["kind"]}
            if e["kind"] in ("registry_value", "registry_key_created"):
                o["key"] = e["key"]
            if e["kind"] == "registry_value":
                o["name"] = e["name"]
                o["state"] = e["state"]
                if e["state"] == "present":
                    o["type"] = e["type"]
                    o["data"] = hexdata(e)
            if e["kind"] == "file":
                o["path"] = self.sub(e["path"])
                o["state"] = e["state"]
                if e["state"] == "present":
                    n += 1
                    body = e["copy_text"].encode()
                    (folder / "files").mkdir(exist_ok=True)
                    copy = folder / "files" / f"{n:03d}.orig"
                    copy.write_bytes(body)
                    o["copy"] = f"files/{n:03d}.orig"
                    o["size"] = len(body)
                    o["sha256"] = hashlib.sha256(body).hexdigest()
                    forge = case.get("forge")
                    if forge == "sha256":
                        o["sha256"] = hashlib.sha256(body + b"x").hexdigest()
                    elif forge == "size":
                        o["size"] = len(body) + 1
                    elif forge == "truncate_copy":
                        copy.write_bytes(body[: len(body) // 2])
                    elif forge == "huge_size":
                        o["size"] = 1 << 40
                    elif forge == "filter":
                        o["filter"] = "evil"
            entries.append(o)
        head = {"format": "mailsetup-journal", "version": case.get("version", 2),
                "writer": self.header["writer"], "key_id": self.header["key_id"],
                "state": "verified"}
        if case["seal"] == "other_key":
            head["key_id"] = secrets.token_hex(8)
        body = "{\n" + "".join(f"\t{json.dumps(k)}:\t{json.dumps(v, ensure_ascii=False)},\n"
                               for k, v in head.items())
        body += "\t\"entries\":\t" + json.dumps(entries, ensure_ascii=False)
        journal = folder / "journal.json"
        seal = case["seal"]
        if seal == "none":
            journal.write_text(body + "\n}\n", encoding="utf-8")
        elif seal in ("forged", "other_key"):
            journal.write_text(body + f",\n\t\"seal\":\t\"{secrets.token_hex(32)}\"\n}}\n",
                               encoding="utf-8")
        else:
            journal.write_text(body, encoding="utf-8")
            r = self.p.run("journal-reseal", self.p.winpath(folder))
            check(r.returncode == 0, f"{case['name']}: journal-reseal: {r.stderr}")
        if case.get("forge") == "truncate_journal":
            raw = journal.read_bytes()
            journal.write_bytes(raw[: len(raw) // 2])
        if case.get("forge") == "huge_journal":
            with open(journal, "wb") as f:
                f.truncate(65 * 1024 * 1024)
        if "junction" in case:
            link, target = (self.host(self.sub(x)) for x in case["junction"])
            link.parent.mkdir(parents=True, exist_ok=True)
            target.mkdir(parents=True, exist_ok=True)
            os.symlink(target, link)
        if "setup_file" in case:
            f = self.host(self.sub(case["setup_file"]))
            f.parent.mkdir(parents=True, exist_ok=True)
            f.write_text("keep me\n")


def target_untouched(b, case):
    t = case.get("target")
    if not t:
        return True
    kind, what = t.split(":", 1)
    if kind == "file":
        return not b.host(b.sub(what)).exists()
    return "evil" not in b.p.reg_export("HKEY_CURRENT_USER\\" + what)


def undo(p, folder):
    return run_json(p, "--lang", "en", "undo", "--backup", p.winpath(folder), "--yes")


def foreign_backup(tmp):
    """A genuine backup made in another prefix (another user's key)."""
    with winebench.Prefix(name="hostile-other") as q:
        q.reg_import(REG / FIXTURE)
        rc, rep, err = run_json(q, *profile_arg(q, ISP), "apply", "--yes")
        check(rc == 0 and rep.get("backup"), f"apply in the other prefix: {rc} {err}")
        src = q.path("c") / rep["backup"][3:].replace("\\", "/")
        dst = tmp / "from-another-prefix"
        shutil.copytree(src, dst)
    return dst


def main():
    cases = json.loads(CASES.read_text(encoding="utf-8"))["cases"]
    with winebench.Prefix(name="hostile") as p:
        p.reg_import(REG / FIXTURE)
        before = export(p)
        rc, rep, err = run_json(p, *profile_arg(p, ISP), "apply", "--yes")
        check(rc == 0 and rep.get("backup"), f"genuine apply: {rc} {err}")
        genuine = p.path("c") / rep["backup"][3:].replace("\\", "/")
        gtext = (genuine / "journal.json").read_text(encoding="utf-8")
        header = json.loads(gtext)
        check(header["state"] == "verified", f"the genuine run ends 'verified': {header['state']}")
        applied = export(p)

        tmp = p.path("temp") / "hostile"
        tmp.mkdir(parents=True)
        other = foreign_backup(tmp)
        b = Builder(p, header)
        folders = []
        for c in cases:
            f = tmp / c["name"]
            b.build(c, f)
            folders.append((c, f))
        folders.append(({"name": "journal-from-another-prefix", "expect": "T01"}, other))
        check(len(folders) >= 25, f"{len(folders)} cases")

        p.run("--version")  # Wine's own first-run writes settle before the snapshot
        p.wait()
        skip = [tmp, p.path("c") / "windows" / "Temp"]
        reg0, files0 = hive_snapshot(p.root), file_snapshot(p.path("c"), skip)

        codes = {}
        for c, f in folders:
            rc, rep, err = undo(p, f)
            got = (rep or {}).get("error", {}).get("helpdesk")
            sentence = (rep or {}).get("error", {}).get("message", "")
            if rc == 0 or got != c["expect"] or not sentence:
                fail(f"{c['name']}: want {c['expect']}, got exit {rc} code {got} "
                     f"({sentence}) {err}")
            check(target_untouched(b, c), f"{c['name']}: its target was changed")
            if "setup_file" in c:
                check(b.host(b.sub(c["setup_file"])).exists(), f"{c['name']}: the file was deleted")
            codes[c["expect"]] = codes.get(c["expect"], 0) + 1
            print(f"ok   {c['name']}: refused, {got}: {sentence[:110]}")
        p.wait()
        reg1, files1 = hive_snapshot(p.root), file_snapshot(p.path("c"), skip)
        added, removed = sorted(reg1 - reg0), sorted(reg0 - reg1)
        check(not added and not removed,
              f"the registry changed: +{added[:5]} -{removed[:5]}")
        fa = sorted(set(files1) - set(files0))
        fr = sorted(set(files0) - set(files1))
        fc = sorted(k for k in files0.keys() & files1.keys() if files0[k] != files1[k])
        check(not fa and not fr and not fc, f"the files changed: +{fa[:5]} -{fr[:5]} ~{fc[:5]}")
        check(export(p) == applied, "the accounts changed")
        print(f"ok   {len(folders)} hostile backups refused ({codes}); registry hives and "
              f"{len(files0)} files unchanged")

        # The genuine backup still undoes byte for byte.
        rc, rep, err = undo(p, genuine)
        check(rc == 0 and rep.get("restored") is True, f"genuine undo: {rc} {err}")
        check(export(p) == before, "the genuine undo is not byte-exact")
        print("ok   the genuine backup undoes byte for byte")
    return 0


if __name__ == "__main__":
    sys.exit(main())
