#!/usr/bin/python3
"""What the bytes of mailsetup.exe are: reads the linker's map file
(wizard/mailsetup.map in the win64/win32 build dir, written by -Wl,-Map) and
sums the sizes of the input sections that went into the exe by origin
(our code, libcurl, cJSON, the MinGW-w64 runtime, import tables, resources).

usage: size_breakdown.py MAP [EXE]
"""
import re
import sys
from collections import defaultdict
from pathlib import Path

CATEGORIES = [
    ("wizard/core (portable core)", re.compile(r"libms_core\.a\(")),
    ("wizard/ui (pages)", re.compile(r"mailsetup\.dir/ui/")),
    ("wizard/win32 (Win32 layer)", re.compile(r"mailsetup\.dir/win32/")),
    ("resources (.rc: dialogs, strings, profile, manifest)", re.compile(r"\.rc\.(res|obj)|\.res$")),
    ("libcurl (static)", re.compile(r"libcurl\.a\(")),
    ("cJSON (static)", re.compile(r"libcjson\.a\(")),
    ("import tables (Windows DLLs)", re.compile(
        r"/lib(kernel32|user32|gdi32|advapi32|shell32|ole32|oleaut32|comctl32|comdlg32|crypt32|"
        r"secur32|ws2_32|wldap32|bcrypt|uuid|msvcrt|shlwapi|uxtheme|version|ntdll|iphlpapi|"
        r"rpcrt4|userenv|psapi|winmm|imm32|msimg32)\.a\((?!lib64_libmsvcrt|lib32_libmsvcrt)")),
    ("MinGW-w64 C runtime + libgcc", re.compile(
        r"(libmingw|libmsvcrt|libgcc|libmoldname|crt2|crtbegin|crtend|dllcrt|libpthread|"
        r"libwinpthread|x86_64-w64-mingw32/lib/|i686-w64-mingw32/lib/)")),
]

SECTION_RE = re.compile(r"^ (\.[^\s]+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$")
NAME_ONLY_RE = re.compile(r"^ (\.[^\s]+)\s*$")
CONT_RE = re.compile(r"^\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$")
OUT_RE = re.compile(r"^(\.[A-Za-z_.]+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)")


def category(src):
    for name, rx in CATEGORIES:
        if rx.search(src):
            return name
    return "other (linker-made, padding, fill)"


def parse(map_text):
    started = False
    out_section = None
    sizes = defaultdict(lambda: defaultdict(int))   # category -> out section -> bytes
    out_sizes = {}
    pending = None
    for line in map_text.splitlines():
        if not started:
            started = line.startswith("Linker script and memory map")
            continue
        m = OUT_RE.match(line)
        if m:
            out_section = m.group(1)
            out_sizes[out_section] = int(m.group(3), 16)
            continue
        if out_section is None:
            continue
        m = SECTION_RE.match(line)
        if m:
            size, src = int(m.group(3), 16), m.group(4)
        else:
            m = NAME_ONLY_RE.match(line)
            if m:
                pending = m.group(1)
                continue
            m = CONT_RE.match(line) if pending else None
            if not m:
                pending = None
                continue
            size, src = int(m.group(2), 16), m.group(3)
            pending = None
        if size and not src.startswith("load address"):
            sizes[category(src)][out_section] += size
    return sizes, out_sizes


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    sizes, out_sizes = parse(Path(argv[1]).read_text(errors="replace"))
    loaded = {s: n for s, n in out_sizes.items()
              if s in (".text", ".data", ".rdata", ".pdata", ".xdata", ".idata", ".rsrc",
                       ".reloc", ".CRT", ".tls", ".edata", ".eh_frame", ".bss")}
    total = sum(n for s, n in loaded.items() if s != ".bss")
    if len(argv) > 2:
        print(f"file {argv[2]}: {Path(argv[2]).stat().st_size} bytes")
    print("output sections (bytes): " + ", ".join(f"{s} {n}" for s, n in loaded.items()))
    print(f"{'origin':<55} {'bytes':>9} {'share':>6}   main sections")
    rows = []
    for cat, per in sizes.items():
        n = sum(v for s, v in per.items() if s != ".bss")
        rows.append((n, cat, per))
    for n, cat, per in sorted(rows, reverse=True):
        top = sorted(((v, s) for s, v in per.items() if s != ".bss"), reverse=True)[:3]
        print(f"{cat:<55} {n:>9} {100 * n / total:5.1f}%   "
              + ", ".join(f"{s} {v}" for v, s in top))
    print(f"{'sum of sections in the file (not .bss)':<55} {total:>9}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
