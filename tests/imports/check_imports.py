#!/usr/bin/python3
"""Checks a mailsetup.exe's PE headers and import tables (objdump -p):

  - GUI subsystem (2), and a subsystem/OS version that Windows XP accepts
    (x86: <= 5.01, Windows XP SP3; x64: <= 5.02, XP x64 / Server 2003);
  - every imported DLL is in tests/imports/system-dlls.txt;
  - no imported function is in tests/imports/xp-denylist.txt;
  - every delay-imported function is exported, by that name, by the DLL
    (as Wine's PE build of it says, WINE_DLLS below: the export names are
    the same on x86 and x64). cmake/delayload.cmake makes those names from
    MinGW's import libraries by text rules; a wrong one links fine and
    fails only at the first call, on the user's PC (it happened: x86's
    ___WSAFDIsSet@8 became WSAFDIsSet).
Delay imports count as imports: GNU ld leaves the PE header's delay-import
directory empty for dlltool's delay libraries (cmake/delayload.cmake), so
their descriptors are found by scanning the image (python3-pefile) for
ImgDelayDescr records (attributes 1, a "*.dll" name, a name table of
hint/name entries).

usage: check_imports.py OBJDUMP EXE x86|x64
       check_imports.py --selftest   (the checker catches what it must)
"""
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
WINE_DLLS = Path("/usr/lib/x86_64-linux-gnu/wine/x86_64-windows")
_exports = {}


def dll_exports(dll):
    """The names WINE_DLLS/<dll> exports, or None without that file."""
    key = dll.lower()
    if key not in _exports:
        import pefile
        path = WINE_DLLS / key
        names = None
        if path.is_file():
            pe = pefile.PE(str(path), fast_load=True)
            pe.parse_data_directories(directories=[
                pefile.DIRECTORY_ENTRY["IMAGE_DIRECTORY_ENTRY_EXPORT"]])
            names = {e.name.decode() for e in getattr(pe, "DIRECTORY_ENTRY_EXPORT").symbols
                     if e.name} if hasattr(pe, "DIRECTORY_ENTRY_EXPORT") else set()
        _exports[key] = names
    return _exports[key]
MAX_VERSION = {"x86": (5, 1), "x64": (5, 2)}
FORMAT = {"x86": "pei-i386", "x64": "pei-x86-64"}


def read_list(path):
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            rows.append(line.split("\t"))
    return rows


def parse(objdump_out):
    """(headers dict, {dll: [function or '#ordinal', ...]})"""
    headers = {}
    for key in ("MajorSubsystemVersion", "MinorSubsystemVersion", "MajorOSystemVersion",
                "MinorOSystemVersion", "Subsystem"):
        m = re.search(rf"^{key}\s+([0-9a-fA-F]+)", objdump_out, re.M)
        if m:
            headers[key] = int(m.group(1), 16 if key == "Subsystem" else 10)
    m = re.search(r"file format (\S+)", objdump_out)
    headers["format"] = m.group(1) if m else None
    imports = {}
    dll = None
    for line in objdump_out.splitlines():
        m = re.match(r"\s*DLL Name: (\S+)", line)
        if m:
            dll = m.group(1)
            imports.setdefault(dll, [])
            continue
        if dll is None:
            continue
        # "\t<vma>\t <hint>  <name>" or, by ordinal, "\t<vma>\t<ordinal>  <none>"
        m = re.match(r"^\t([0-9a-f]+)\t\s*(\d+)\s+(\S+)\s*$", line)
        if m:
            name = m.group(3)
            imports[dll].append(f"#{m.group(2)}" if name == "<none>" else name)
    return headers, imports


def delay_imports(exe):
    """{dll: [function, ...]} of the delay-import descriptors in the image."""
    import pefile
    import struct
    pe = pefile.PE(str(exe), fast_load=True)
    image = pe.get_memory_mapped_image()
    is64 = pe.FILE_HEADER.Machine == 0x8664
    ptr, ptr_fmt = (8, "<Q") if is64 else (4, "<I")
    size = len(image)

    def cstr(rva, limit=256):
        if not 0 < rva < size:
            return None
        end = image.find(b"\0", rva, rva + limit)
        if end <= rva:
            return None
        raw = image[rva:end]
        return raw.decode("ascii") if all(32 < c < 127 for c in raw) else None

    found = {}
    for off in range(0, size - 32, 4):
        attrs, name_rva, hmod, iat, int_rva, _, _, _ = struct.unpack_from("<8I", image, off)
        if attrs != 1 or not (0 < name_rva < size and 0 < iat < size and 0 < int_rva < size
                              and 0 < hmod < size):
            continue
        dll = cstr(name_rva)
        if not dll or not dll.lower().endswith(".dll"):
            continue
        funcs = []
        entry = int_rva
        while entry + ptr <= size:
            (v,) = struct.unpack_from(ptr_fmt, image, entry)
            if v == 0:
                break
            if v >> (ptr * 8 - 1):                       # by ordinal
                funcs.append(f"#{v & 0xffff}")
            else:
                name = cstr(int(v) + 2)
                if name is None:
                    funcs = None
                    break
                funcs.append(name)
            entry += ptr
        if funcs:
            found.setdefault(dll, []).extend(funcs)
    return found


def check(objdump, exe, arch, allow=None, deny=None):
    """Returns (problems, summary)."""
    allow = {r[0].lower() for r in read_list(allow or HERE / "system-dlls.txt")}
    deny = {r[0]: r for r in read_list(deny or HERE / "xp-denylist.txt")}
    r = subprocess.run([objdump, "-p", str(exe)], capture_output=True, text=True)
    if r.returncode != 0:
        return [f"{objdump} -p {exe} failed: {r.stderr.strip()}"], ""
    objdump_out = r.stdout
    headers, imports = parse(objdump_out)
    problems = []
    if headers.get("format") != FORMAT[arch]:
        problems.append(f"file format {headers.get('format')}, want {FORMAT[arch]}")
    if headers.get("Subsystem") != 2:
        problems.append(f"subsystem {headers.get('Subsystem')}, want 2 (Windows GUI)")
    maxv = MAX_VERSION[arch]
    for what in ("Subsystem", "OSystem"):
        v = (headers.get(f"Major{what}Version"), headers.get(f"Minor{what}Version"))
        if None in v:
            problems.append(f"no {what} version in the PE header")
        elif v > maxv:
            problems.append(f"{what} version {v[0]}.{v[1]:02d} > {maxv[0]}.{maxv[1]:02d}: "
                            f"Windows XP refuses to start it")
    # An exe exports nothing: a table here means a static library was built
    # with dllexport (cJSON without CJSON_HIDE_SYMBOLS, see scripts/build-deps).
    m = re.search(r"\[Ordinal/Name Pointer\] Table\n((?:\s+\[\s*\d+\] \S+\n)+)", objdump_out)
    if m:
        names = re.findall(r"\] (\S+)", m.group(1))
        problems.append(f"exports {len(names)} symbols ({', '.join(names[:3])}...): "
                        "an exe should export nothing")
    delayed = delay_imports(exe)
    for dll, funcs in delayed.items():
        imports.setdefault(dll, []).extend(funcs)
        exported = dll_exports(dll)
        if exported is None:
            problems.append(f"no {WINE_DLLS / dll.lower()} to check the delay-imported names "
                            f"of {dll} against (scripts/install-packages installs Wine)")
            continue
        for f in funcs:
            if not f.startswith("#") and f not in exported:
                problems.append(f"delay-imports {dll}!{f}, which {dll} does not export: "
                                "the first call would fail at run time")
    nfunc = sum(len(v) for v in imports.values())
    if len(imports) < 3 or nfunc < 20:
        problems.append(f"only {len(imports)} DLLs / {nfunc} imports parsed: objdump output "
                        "not understood")
    for dll, funcs in sorted(imports.items()):
        if dll.lower() not in allow:
            problems.append(f"imports {dll} ({', '.join(funcs[:5])}...), not a Windows XP "
                            "system DLL (tests/imports/system-dlls.txt)")
        for f in funcs:
            if f in deny:
                _, ddll, ver, src = (deny[f] + ["", "", ""])[:4]
                problems.append(f"imports {dll}!{f}: needs {ver} ({src}); load it at run time")
    summary = (f"{exe} ({arch}): subsystem {headers.get('Subsystem')} "
               f"{headers.get('MajorSubsystemVersion')}.{headers.get('MinorSubsystemVersion'):02d}"
               f", OS {headers.get('MajorOSystemVersion')}.{headers.get('MinorOSystemVersion'):02d}, "
               f"{len(imports)} DLLs, {nfunc} imports: "
               + ", ".join(f"{d}({len(f)})" for d, f in sorted(imports.items()))
               + (("; delay-loaded: " + ", ".join(f"{d}({len(f)})" for d, f in sorted(delayed.items())))
                  if delayed else ""))
    return problems, summary


def selftest():
    """Builds small programs that break each rule; each must be caught."""
    failures = 0
    src_ok = ("#include <windows.h>\nint WINAPI WinMain(HINSTANCE a, HINSTANCE b, LPSTR c, int d)"
              "{(void)a;(void)b;(void)c;(void)d; MessageBoxA(0,\"x\",\"y\",0);"
              " return (int)GetTickCount(); }\n")
    src_vista = src_ok.replace("GetTickCount()", "GetTickCount64()")
    src_bcrypt = ("#include <windows.h>\n#include <bcrypt.h>\nint WINAPI WinMain(HINSTANCE a, "
                  "HINSTANCE b, LPSTR c, int d){(void)a;(void)b;(void)c;(void)d; UCHAR x[4];"
                  " return (int)BCryptGenRandom(0,x,4,2); }\n")
    cases = [
        # name, arch, source, extra flags, expected problem regex (None = clean)
        ("clean-x86", "x86", src_ok, ["-mwindows", "-Wl,--major-subsystem-version,5",
                                      "-Wl,--minor-subsystem-version,1",
                                      "-Wl,--major-os-version,5", "-Wl,--minor-os-version,1"], None),
        ("vista-import", "x86", src_vista, ["-mwindows", "-D_WIN32_WINNT=0x0600"],
         r"GetTickCount64: needs Windows Vista"),
        ("bcrypt-dll", "x64", src_bcrypt, ["-mwindows", "-D_WIN32_WINNT=0x0600", "-lbcrypt"],
         r"imports bcrypt\.dll"),
        ("bcrypt-delay", "x64", src_bcrypt.replace("#include <bcrypt.h>\n", "")
         .replace("UCHAR x[4];", "UCHAR x[4]; extern LONG WINAPI BCryptGenRandom(void*,UCHAR*,ULONG,ULONG);"),
         ["-mwindows", "@delaylib:bcrypt:BCryptGenRandom"],
         r"imports bcrypt\.dll!BCryptGenRandom: needs Windows Vista"),
        # ws2_32 exports __WSAFDIsSet; a delay library that names it
        # WSAFDIsSet links, and would fail at the first call
        ("delay-misnamed", "x86", src_ok.replace(
            "int WINAPI WinMain", "extern int WINAPI WSAFDIsSet(void*, void*);\nint WINAPI WinMain")
         .replace("return (int)GetTickCount();", "return WSAFDIsSet(0, 0);"),
         ["-mwindows", "@delaylib:ws2_32:WSAFDIsSet@8"],
         r"delay-imports ws2_32\.dll!WSAFDIsSet, which ws2_32\.dll does not export"),
        ("console", "x64", src_ok, ["-mconsole"], r"subsystem 3, want 2"),
        ("subsystem-6", "x86", src_ok, ["-mwindows", "-Wl,--major-subsystem-version,6",
                                        "-Wl,--minor-subsystem-version,0"],
         r"Subsystem version 6\.00 > 5\.01"),
        ("exports", "x64", src_ok.replace("int WINAPI WinMain",
                                          "__declspec(dllexport) int f(void){return 1;}\n"
                                          "int WINAPI WinMain"), ["-mwindows"],
         r"exports 1 symbols \(f\.\.\.\)"),
        ("wrong-arch", "x86", src_ok, ["-mwindows", "@x64"], r"file format pei-x86-64"),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for name, arch, src, flags, want in cases:
            build_arch = "x64" if "@x64" in flags else arch
            flags = [f for f in flags if f != "@x64"]
            triplet = {"x86": "i686-w64-mingw32", "x64": "x86_64-w64-mingw32"}[build_arch]
            c = Path(tmp) / f"{name}.c"
            exe = Path(tmp) / f"{name}.exe"
            c.write_text(src)
            delay = [f for f in flags if f.startswith("@delaylib:")]
            if delay:
                # a delay-import library for DLL's NAME, as cmake/delayload.cmake makes
                flags = [f for f in flags if f not in delay]
                _, dll, func = delay[0].split(":")
                d = Path(tmp) / f"{dll}.def"
                d.write_text(f"LIBRARY {dll}.dll\nEXPORTS\n{func}\n")
                lib = Path(tmp) / f"lib{dll}_delay_{build_arch}.a"
                subprocess.run([f"{triplet}-dlltool", "-d", str(d), "-y", str(lib)] +
                               (["-k"] if build_arch == "x86" else []), check=True)
                flags = flags + [str(lib)]
            r = subprocess.run([f"{triplet}-gcc", "-O1", str(c), "-o", str(exe), *flags],
                               capture_output=True, text=True)
            if r.returncode != 0:
                print(f"FAIL {name}: could not build: {r.stderr.strip()}")
                failures += 1
                continue
            probs, _ = check(f"{triplet}-objdump", exe, arch)
            text = "\n".join(probs)
            ok = (not probs) if want is None else bool(re.search(want, text))
            print(("ok   " if ok else "FAIL ") + f"{name}: " + (text or "clean").replace("\n", "; "))
            failures += not ok
    print(f"check_imports selftest: {failures} failure(s)")
    return 1 if failures else 0


def main(argv):
    if argv[1:] == ["--selftest"]:
        return selftest()
    if len(argv) != 4 or argv[3] not in MAX_VERSION:
        print(__doc__, file=sys.stderr)
        return 2
    objdump, exe, arch = argv[1:]
    if not Path(exe).is_file():
        print(f"FAIL: {exe} does not exist (build the win64/win32 presets first)")
        return 1
    problems, summary = check(objdump, exe, arch)
    print(summary)
    for p in problems:
        print("FAIL:", p)
    print(f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
