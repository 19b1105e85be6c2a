#!/usr/bin/python3
"""size_report: what makes up a branded mailsetup exe and its installer
(docs/performance.md, "Sizes"). Reads the GNU ld link map the build writes
next to each ISP exe (cmake/isp_targets.cmake) and the PE file itself.

usage: size_report.py EXE MAP [INSTALLER]
"""
import os
import re
import sys
from collections import defaultdict

import pefile

# An input section line of the map: " .text  0xADDR  0xSIZE  FILE", the
# name possibly alone on the previous line when it is long.
LINE = re.compile(r"^ (\.[\w.$]+)?\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$")


def group(path):
    base = os.path.basename(path.split("(")[0])
    if "libcurl" in base:
        return "libcurl (static, Schannel TLS)"
    if "libcjson" in base:
        return "cJSON"
    if "libms_core" in base:
        return "mailsetup core (wizard/core)"
    if "ms_wizard_objs" in path or "/wizard/" in path and ".obj" in path:
        return "mailsetup Win32 + UI (wizard/win32, wizard/ui)"
    if base.startswith("lib") and base.endswith(".a"):
        if any(k in base for k in ("mingw", "gcc", "msvcrt", "moldname", "pthread", "crt")):
            return "MinGW-w64 C runtime, libgcc"
        return "import stubs (Windows DLLs)"
    if base.endswith(".o") and ("crt" in base or "mingw" in path):
        return "MinGW-w64 C runtime, libgcc"
    if base.endswith(".res"):
        return "resources (profile, strings, manifest, version)"
    return "other: " + base


def map_sizes(map_path):
    sizes = defaultdict(int)
    pending = None
    in_memmap = False
    with open(map_path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("Linker script and memory map"):
                in_memmap = True
                continue
            if not in_memmap:
                continue
            m = re.match(r"^ (\.[\w.$]+)\s*$", line)
            if m:
                pending = m.group(1)
                continue
            m = LINE.match(line)
            if m:
                sect = m.group(1) or pending
                pending = None
                size = int(m.group(3), 16)
                if not sect or size == 0 or sect.startswith((".debug", ".stab")):
                    continue
                kind = "code" if sect.startswith(".text") else "data"
                origin = m.group(4).strip()
                if origin == "dll stuff":  # what the linker itself makes
                    origin = {".reloc": "base relocations (.reloc, for ASLR)",
                              ".edata": "export table (.edata)"}.get(sect, f"linker: {sect}")
                else:
                    origin = group(origin)
                sizes[(origin, kind)] += size
            else:
                pending = None
    return sizes


def main(argv):
    if len(argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    exe, mapf = argv[1], argv[2]
    pe = pefile.PE(exe)
    total = os.path.getsize(exe)
    print(f"{os.path.basename(exe)}: {total} bytes ({total / 1024:.0f} KiB)")
    print("  PE sections (raw size on disk):")
    for s in pe.sections:
        name = s.Name.rstrip(b"\0").decode()
        print(f"    {name:8} {s.SizeOfRawData:8d}")
    sec = pe.OPTIONAL_HEADER.DATA_DIRECTORY[pefile.DIRECTORY_ENTRY["IMAGE_DIRECTORY_ENTRY_SECURITY"]]
    if sec.Size:
        print(f"    {'signature':8} {sec.Size:8d}  (Authenticode, appended)")
    print("  code and data by origin (link map):")
    sizes = map_sizes(mapf)
    origins = sorted({o for o, _ in sizes}, key=lambda o: -(sizes[(o, "code")] + sizes[(o, "data")]))
    for o in origins:
        c, d = sizes[(o, "code")], sizes[(o, "data")]
        print(f"    {o:50} code {c:7d}  data {d:7d}")
    if len(argv) == 4:
        inst = argv[3]
        print(f"{os.path.basename(inst)}: {os.path.getsize(inst)} bytes "
              f"({os.path.getsize(inst) / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
