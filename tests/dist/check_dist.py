#!/usr/bin/python3
"""check_dist: the acceptance tests of the per-ISP distribution (issue 8,
docs/distribution.md), one ctest test per sub-command:

  build      scripts/build-isp --all, signed with the throw-away certificate
             and time-stamped by a local RFC 3161 server (tsa on 127.0.0.1)
  resources  every artefact carries its ISP's name, profile and version:
             VERSIONINFO, the RCDATA profile, the manifest, the CD files
  signatures osslsigncode verify passes on every signed file, and fails
             once one byte is changed
  sizes      exe <= 1 MiB, installer <= 1.5 MiB
  refuse     a broken profile stops the build with its errors; no
             certificate and no --unsigned stops it too
  wine       silent install, the wizard runs from where it was installed,
             silent uninstall leaves the files and the registry as before
  fresh      on a fresh clone of the source, `bash scripts/build-isp
             --unsigned isp-profiles/micnet.json` (the README's words, no
             environment) writes the exe, the installer, the CD folder and
             a self-contained helpdesk.html

A missing artefact or tool is a failure, never a skip.
usage: check_dist.py COMMAND --source DIR --work DIR [--cli MAILSETUP] [--isp-profile TOOL]
"""
import argparse
import hashlib
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

import pefile

EXE_BUDGET = 1024 * 1024  # the self-contained exe
SETUP_BUDGET = 1536 * 1024  # the installer
RT_RCDATA = 10
RT_MANIFEST = 24
IDR_PROFILE = 200  # resources/resource.h
LANG_JA_UNICODE = "041104b0"
LANG_EN_UNICODE = "040904b0"
WINE_TEST_ISP = "ktarn"  # a Japanese name: the hardest case for paths and registry

failures = []


def fail(msg):
    failures.append(msg)
    print(f"FAIL: {msg}", flush=True)


def ok(msg):
    print(f"ok: {msg}", flush=True)


def check(cond, msg):
    (ok if cond else fail)(msg)
    return cond


# ---- the layout build-isp makes under --work


class Layout:
    def __init__(self, source, work):
        self.source = source
        self.work = work
        self.out = os.path.join(work, "out")
        self.build = os.path.join(work, "build")
        self.pki = os.path.join(work, "pki")
        self.profiles = {}
        pdir = os.path.join(source, "isp-profiles")
        for name in sorted(os.listdir(pdir)):
            if name.endswith(".json") and name != "schema.json":
                path = os.path.join(pdir, name)
                with open(path, encoding="utf-8") as f:
                    prof = json.load(f)
                self.profiles[prof["id"]] = (path, prof)
        with open(os.path.join(source, "CMakeLists.txt"), encoding="utf-8") as f:
            self.version = re.search(r"project\(mailsetup VERSION ([0-9.]+)", f.read()).group(1)

    def exe(self, isp):
        return os.path.join(self.out, isp, f"{isp}-mailsetup.exe")

    def setup(self, isp):
        return os.path.join(self.out, isp, f"{isp}-mailsetup-setup.exe")

    def exe64(self, isp):
        return os.path.join(self.out, isp, "x64", f"{isp}-mailsetup.exe")

    def cd(self, isp):
        return os.path.join(self.out, isp, "cd")

    def sign_env(self):
        env = dict(os.environ)
        env["MAILSETUP_SIGN_PKCS12"] = os.path.join(self.pki, "codesign.p12")
        env["MAILSETUP_SIGN_PASSWORD_FILE"] = os.path.join(self.pki, "password.txt")
        return env


def exists(path, what):
    return check(os.path.isfile(path), f"{what} exists: {path}")


# ---- PE resources


def pe_load(path):
    return pefile.PE(path)


def versioninfo(pe):
    """{lang-codepage (lower case): {key: value}} of the VERSIONINFO."""
    out = {}
    for fileinfo in getattr(pe, "FileInfo", []) or []:
        for fi in fileinfo:
            for st in getattr(fi, "StringTable", []) or []:
                lang = st.LangID.decode().lower()
                out[lang] = {k.decode(): v.decode("utf-8") for k, v in st.entries.items()}
    return out


def resource(pe, rtype, rid=None):
    """The first resource of a type (and id), as bytes, or None."""
    if not hasattr(pe, "DIRECTORY_ENTRY_RESOURCE"):
        return None
    for t in pe.DIRECTORY_ENTRY_RESOURCE.entries:
        if t.id != rtype:
            continue
        for r in t.directory.entries:
            if rid is not None and r.id != rid:
                continue
            for lang in r.directory.entries:
                d = lang.data.struct
                return pe.get_data(d.OffsetToData, d.Size)
    return None


def check_versioninfo(path, prof, version, kind):
    pe = pe_load(path)
    vi = versioninfo(pe)
    name_ja = prof["name"]["ja"]
    name_en = prof["name"].get("en") or name_ja
    isp = prof["id"]
    for lang, name in ((LANG_JA_UNICODE, name_ja), (LANG_EN_UNICODE, name_en)):
        # The exes' blocks are Unicode (04b0); NSIS labels its blocks with
        # the language's ANSI code page (03a4, 04e4), the strings being
        # UTF-16 in both: the language is what counts.
        block = vi.get(lang) or next((v for k, v in vi.items() if k[:4] == lang[:4]), None)
        if not check(block is not None, f"{kind} {isp}: VERSIONINFO block {lang}"):
            continue
        check(block.get("CompanyName") == name, f"{kind} {isp} [{lang}]: CompanyName = {name!r} "
              f"(is {block.get('CompanyName')!r})")
        check(name in block.get("ProductName", ""), f"{kind} {isp} [{lang}]: ProductName names the ISP")
        check(name in block.get("FileDescription", ""), f"{kind} {isp} [{lang}]: FileDescription names the ISP")
        for key in ("FileVersion", "ProductVersion"):
            check(block.get(key) == version, f"{kind} {isp} [{lang}]: {key} = {version}")
        check(re.search(rf"\b{re.escape(isp)}\b", block.get("Comments", "")) is not None,
              f"{kind} {isp} [{lang}]: Comments carry the profile id")
    ffi = pe.VS_FIXEDFILEINFO[0]
    major, minor, patch = (int(x) for x in version.split("."))
    check((ffi.FileVersionMS, ffi.FileVersionLS) == ((major << 16) | minor, patch << 16),
          f"{kind} {isp}: fixed FILEVERSION {version}.0")
    manifest = resource(pe, RT_MANIFEST) or b""
    check(b'level="asInvoker"' in manifest or b"level='asInvoker'" in manifest,
          f"{kind} {isp}: manifest asks for no elevation (asInvoker)")
    return pe


# DLLs the loader never takes from the exe's folder: Known DLLs (System32
# only, Windows 7 and later) and COMCTL32 v6, which the manifest's
# dependency takes from WinSxS. Everything else must be loaded at run time,
# after the search is limited to System32 (docs/distribution.md, "Safe
# loading"): crypt32 is delay-loaded (and shell32, ole32, ws2_32, for speed).
SAFE_STATIC_IMPORTS = {"kernel32.dll", "user32.dll", "gdi32.dll", "advapi32.dll", "shell32.dll",
                       "ole32.dll", "oleaut32.dll", "msvcrt.dll", "ws2_32.dll", "comctl32.dll",
                       "comdlg32.dll", "shlwapi.dll", "rpcrt4.dll"}


def check_imports(pe, what):
    dlls = {e.dll.decode().lower() for e in getattr(pe, "DIRECTORY_ENTRY_IMPORT", [])}
    check(bool(dlls) and dlls <= SAFE_STATIC_IMPORTS,
          f"{what}: static imports are Known DLLs or SxS only ({sorted(dlls - SAFE_STATIC_IMPORTS)} others)")


# The test-hook build's switches (cmake/test_hooks.cmake, docs/security.md):
# what build-isp signs must not even contain their names.
TEST_SWITCHES = ["--test-server", "--ca-file", "--resolve", "MAILSETUP_TEST_FAULT_WRITE"]


def check_no_test_switches(exe, what):
    with open(exe, "rb") as f:
        data = f.read()
    found = [n for n in TEST_SWITCHES
             if n.encode() in data or n.encode("utf-16-le") in data]
    check(not found, f"{what}: no test switch in the file ({found})")


def cmd_resources(lay, args):
    for isp, (path, prof) in lay.profiles.items():
        with open(path, "rb") as f:
            raw = f.read()
        for exe, kind in ((lay.exe(isp), "exe x86"), (lay.exe64(isp), "exe x64")):
            if not exists(exe, f"{kind} {isp}"):
                continue
            pe = check_versioninfo(exe, prof, lay.version, kind)
            check(resource(pe, RT_RCDATA, IDR_PROFILE) == raw,
                  f"{kind} {isp}: embedded RCDATA profile equals {os.path.basename(path)}")
            check_imports(pe, f"{kind} {isp}")
            check_no_test_switches(exe, f"{kind} {isp}")
            machine = pe.FILE_HEADER.Machine
            want = 0x14C if kind == "exe x86" else 0x8664
            check(machine == want, f"{kind} {isp}: machine 0x{machine:x}")
        if exists(lay.setup(isp), f"installer {isp}"):
            check_imports(check_versioninfo(lay.setup(isp), prof, lay.version, "installer"),
                          f"installer {isp}")
        check_cd(lay, isp, prof)


def check_cd(lay, isp, prof):
    cd = lay.cd(isp)
    exe = f"{isp}-mailsetup.exe"
    if exists(os.path.join(cd, exe), f"CD exe {isp}") and os.path.isfile(lay.exe(isp)):
        check(sha256(os.path.join(cd, exe)) == sha256(lay.exe(isp)), f"CD {isp}: the exe is the download")
    inf = os.path.join(cd, "autorun.inf")
    if exists(inf, f"CD autorun.inf {isp}"):
        with open(inf, "rb") as f:
            data = f.read()
        try:
            text = data.decode("cp932")
        except UnicodeDecodeError:
            text = ""
            fail(f"CD {isp}: autorun.inf is not Shift_JIS")
        check(b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b""), f"CD {isp}: autorun.inf has CRLF")
        lines = text.split("\r\n")
        check(lines[0] == "[autorun]", f"CD {isp}: autorun.inf starts with [autorun]")
        check(f"open={exe}" in lines, f"CD {isp}: autorun open={exe}")
        check(f"icon={exe},0" in lines, f"CD {isp}: autorun icon")
        label = [line for line in lines if line.startswith("label=")]
        check(len(label) == 1 and 0 < len(label[0]) - 6 <= 32, f"CD {isp}: autorun label of 1-32 characters")
    readme = os.path.join(cd, "お読みください.txt")
    if exists(readme, f"CD README {isp}"):
        with open(readme, "rb") as f:
            data = f.read()
        check(data.startswith(b"\xef\xbb\xbf"), f"CD {isp}: README is UTF-8 with BOM")
        check(b"\n" not in data.replace(b"\r\n", b""), f"CD {isp}: README has CRLF only")
        text = data.decode("utf-8-sig")
        check(prof["name"]["ja"] in text and exe in text, f"CD {isp}: README names the ISP and the exe")
    for lic in ("COPYING.curl.txt", "LICENSE.cJSON.txt"):
        exists(os.path.join(cd, lic), f"CD licence {isp}")


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


# ---- signing


def verify(lay, path):
    ca = os.path.join(lay.pki, "ca.pem")
    r = subprocess.run(["osslsigncode", "verify", "-CAfile", ca, "-TSA-CAfile", ca,
                        "-ignore-cdp", "-in", path],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
    return r.returncode, r.stdout


def check_signed(lay, path, what, timestamped=True):
    rc, log = verify(lay, path)
    if not check(rc == 0 and "Signature verification: ok" in log, f"{what}: osslsigncode verify passes"):
        print(log[-1500:])
        return
    check("Message digest algorithm  : SHA256" in log, f"{what}: SHA-256 digest")
    check("mailsetup test code signing" in log, f"{what}: signed by the test certificate")
    if timestamped:
        check("Timestamp Server Signature verification is enough" in log
              or "Timestamp verified" in log or re.search(r"Timestamp time: ", log) is not None,
              f"{what}: time-stamped by the configured server")


def tamper(path, dest):
    """A copy with one byte changed inside the first section's raw data."""
    shutil.copyfile(path, dest)
    pe = pefile.PE(path, fast_load=True)
    sec = pe.sections[0]
    off = sec.PointerToRawData + sec.SizeOfRawData // 2
    pe.close()
    with open(dest, "r+b") as f:
        f.seek(off)
        b = f.read(1)
        f.seek(off)
        f.write(bytes([b[0] ^ 0x01]))


SHIM = """#!/bin/sh
# osslsigncode as scripts/sign runs it: its argv and environment are recorded
printf '%s\\n' "$@" >> "$SHIM_LOG.argv"
env >> "$SHIM_LOG.env"
exec "$REAL_OSSLSIGNCODE" "$@"
"""


def check_password_hidden(lay, src, tmp):
    """The password never reaches osslsigncode's command line (what `ps`
    shows) nor its environment, in both ways scripts/sign takes it; and
    scripts/sign prints it in no case."""
    with open(os.path.join(lay.pki, "password.txt"), encoding="ascii") as f:
        password = f.read().strip()
    shim_dir = os.path.join(tmp, "shim")
    os.makedirs(shim_dir)
    with open(os.path.join(shim_dir, "osslsigncode"), "w") as f:
        f.write(SHIM)
    os.chmod(os.path.join(shim_dir, "osslsigncode"), 0o755)
    for how in ("file", "env"):
        env = lay.sign_env()
        env.pop("MAILSETUP_TIMESTAMP_URL", None)
        if how == "env":
            env.pop("MAILSETUP_SIGN_PASSWORD_FILE")
            env["MAILSETUP_SIGN_PASSWORD"] = password
        log = os.path.join(tmp, f"shim-{how}")
        env.update(PATH=shim_dir + os.pathsep + env["PATH"], SHIM_LOG=log,
                   REAL_OSSLSIGNCODE=shutil.which("osslsigncode"))
        target = os.path.join(tmp, f"pw-{how}.exe")
        subprocess.run(["osslsigncode", "remove-signature", "-in", src, "-out", target],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        r = subprocess.run([os.path.join(lay.source, "scripts", "sign"), target], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        rc, _ = verify(lay, target)
        check(r.returncode == 0 and rc == 0, f"password from the {how}: scripts/sign signs, verify passes")
        try:
            with open(log + ".argv", encoding="utf-8") as f:
                argv = f.read()
            with open(log + ".env", encoding="utf-8") as f:
                environ = f.read()
        except OSError:
            fail(f"password from the {how}: osslsigncode was not run through the shim")
            continue
        check("-readpass" in argv.split("\n") and password not in argv,
              f"password from the {how}: not on osslsigncode's command line (-readpass)")
        check(password not in environ, f"password from the {how}: not in osslsigncode's environment")
        check(password not in r.stdout, f"password from the {how}: not in scripts/sign's output")


def cmd_signatures(lay, args):
    tmp = tempfile.mkdtemp(prefix="dist-sig-", dir=lay.work)
    try:
        for isp in lay.profiles:
            files = [(lay.exe(isp), f"exe x86 {isp}"), (lay.exe64(isp), f"exe x64 {isp}"),
                     (lay.setup(isp), f"installer {isp}"),
                     (os.path.join(lay.cd(isp), f"{isp}-mailsetup.exe"), f"CD exe {isp}")]
            for path, what in files:
                if exists(path, what):
                    check_signed(lay, path, what)
            # The uninstaller is packed inside the installer; the Wine test
            # verifies the installed uninstall.exe.
        # Tampering: one changed byte in the code of an exe, and in the
        # installer's stub, must break the signature.
        isp = next(iter(lay.profiles))
        for path, what in ((lay.exe(isp), "exe"), (lay.setup(isp), "installer")):
            if not os.path.isfile(path):
                fail(f"tamper {what}: {path} is missing")
                continue
            bad = os.path.join(tmp, "tampered-" + os.path.basename(path))
            tamper(path, bad)
            rc, log = verify(lay, bad)
            check(rc != 0 and "Signature verification: ok" not in log,
                  f"tampered {what}: osslsigncode verify fails (rc {rc})")
        # The payload NSIS appends after the stub is covered as well.
        path = lay.setup(isp)
        if os.path.isfile(path):
            bad = os.path.join(tmp, "tampered-payload.exe")
            shutil.copyfile(path, bad)
            pe = pefile.PE(path, fast_load=True)
            end = max(s.PointerToRawData + s.SizeOfRawData for s in pe.sections)
            pe.close()
            with open(bad, "r+b") as f:
                f.seek(end + 4096)
                b = f.read(1)
                f.seek(end + 4096)
                f.write(bytes([b[0] ^ 0x01]))
            rc, log = verify(lay, bad)
            check(rc != 0, f"installer with a changed payload byte: verify fails (rc {rc})")
        # Without a time-stamp server the signature carries no time stamp.
        env = lay.sign_env()
        env.pop("MAILSETUP_TIMESTAMP_URL", None)
        plain = os.path.join(tmp, "plain.exe")
        src = lay.exe64(isp)
        if os.path.isfile(src):
            subprocess.run(["osslsigncode", "remove-signature", "-in", src, "-out", plain],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            r = subprocess.run([os.path.join(lay.source, "scripts", "sign"), plain], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            check(r.returncode == 0, "scripts/sign without MAILSETUP_TIMESTAMP_URL signs")
            rc, log = verify(lay, plain)
            check(rc == 0 and "Timestamp is not available" in log, "... and adds no time stamp")
            check_password_hidden(lay, src, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ---- sizes


def cmd_sizes(lay, args):
    for isp in lay.profiles:
        for path, budget, what in ((lay.exe(isp), EXE_BUDGET, "exe"),
                                   (lay.setup(isp), SETUP_BUDGET, "installer")):
            if exists(path, f"{what} {isp}"):
                size = os.path.getsize(path)
                check(size <= budget, f"{what} {isp}: {size} bytes <= {budget} ({size / 1024:.0f} KiB)")


# ---- the local RFC 3161 time-stamp server used while signing


class TsaHandler(http.server.BaseHTTPRequestHandler):
    pki = None

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        query = self.rfile.read(n)
        with tempfile.TemporaryDirectory() as d:
            q, r = os.path.join(d, "q.tsq"), os.path.join(d, "r.tsr")
            with open(q, "wb") as f:
                f.write(query)
            res = subprocess.run(["openssl", "ts", "-reply", "-config", os.path.join(self.pki, "tsa.cnf"),
                                  "-queryfile", q, "-out", r],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            if res.returncode != 0:
                self.send_error(500, res.stderr.decode(errors="replace")[:200])
                return
            with open(r, "rb") as f:
                body = f.read()
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *a):
        pass


def tsa_server(lay):
    """The local RFC 3161 server and its URL (build-isp signs nothing
    without one)."""
    TsaHandler.pki = lay.pki
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), TsaHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def cmd_build(lay, args):
    subprocess.run(["bash", os.path.join(lay.source, "tests", "dist", "make_test_cert.sh"), lay.pki],
                   check=True, stdout=subprocess.DEVNULL)
    server, url = tsa_server(lay)
    env = lay.sign_env()
    env["MAILSETUP_TIMESTAMP_URL"] = url
    env["MAILSETUP_HOST_CLI"] = args.cli
    if args.isp_profile:
        env["MAILSETUP_ISP_PROFILE_TOOL"] = args.isp_profile
    t0 = time.monotonic()
    r = subprocess.run([os.path.join(lay.source, "scripts", "build-isp"), "--all",
                        "--out", lay.out, "--build-root", lay.build], env=env)
    server.shutdown()
    check(r.returncode == 0, f"scripts/build-isp --all (rc {r.returncode}, {time.monotonic() - t0:.1f} s)")
    for isp in lay.profiles:
        exists(lay.exe(isp), f"exe {isp}")
        exists(lay.setup(isp), f"installer {isp}")
        helpdesk_page(os.path.join(lay.out, isp, "helpdesk.html"), lay.profiles[isp][1])


def helpdesk_page(path, prof):
    """helpdesk.html is there, names the ISP, and loads nothing from outside."""
    if not exists(path, f"helpdesk page {prof['id']}"):
        return
    with open(path, encoding="utf-8") as f:
        page = f.read()
    check(prof["name"]["ja"] in page and "S07" in page and "2P-2A-1C-0T-S07" in page,
          f"{prof['id']}: helpdesk.html names the ISP and holds the codes")
    check(not re.search(r"<(script|img|iframe|link)[^>]*\b(src|href)=", page, re.I)
          and not re.search(r"url\(|@import|https?://[^\s\"<]*\.(js|css|woff2?)", page, re.I),
          f"{prof['id']}: helpdesk.html loads no script, style, image or font from outside")


# ---- refusals


def cmd_refuse(lay, args):
    tmp = tempfile.mkdtemp(prefix="dist-refuse-", dir=lay.work)
    try:
        script = os.path.join(lay.source, "scripts", "build-isp")
        broken = os.path.join(lay.source, "tests", "data", "profiles", "broken", "port-25-target.json")
        env = dict(os.environ, MAILSETUP_HOST_CLI=args.cli, LANG="C")
        if args.isp_profile:
            env["MAILSETUP_ISP_PROFILE_TOOL"] = args.isp_profile
        r = subprocess.run([script, "--unsigned", "--out", os.path.join(tmp, "out"),
                            "--build-root", os.path.join(tmp, "build"),
                            os.path.join(lay.source, "isp-profiles", "micnet.json"), broken],
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        check(r.returncode != 0, f"a broken profile stops build-isp (rc {r.returncode})")
        check("[P32]" in r.stdout and "port-25-target.json" in r.stdout,
              "... and prints the profile's error ([P32] and the file)")
        bdir = os.path.join(tmp, "build")
        built = os.listdir(bdir) if os.path.isdir(bdir) else []
        check(not any(d.startswith("isp-micnet") for d in built) and
              not os.path.exists(os.path.join(tmp, "out", "micnet")),
              "... before building anything, even the valid profile")
        env2 = {k: v for k, v in env.items() if not k.startswith("MAILSETUP_SIGN")}
        r = subprocess.run([script, "--out", os.path.join(tmp, "out"), "--build-root", os.path.join(tmp, "build"),
                            os.path.join(lay.source, "isp-profiles", "micnet.json")],
                           env=env2, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        check(r.returncode != 0 and "MAILSETUP_SIGN_PKCS12" in r.stdout,
              "without a certificate and without --unsigned, build-isp refuses")
        # A certificate but no time-stamp server: no release either.
        env4 = {k: v for k, v in lay.sign_env().items() if k != "MAILSETUP_TIMESTAMP_URL"}
        env4["MAILSETUP_HOST_CLI"] = args.cli
        r = subprocess.run([script, "--out", os.path.join(tmp, "out"), "--build-root", os.path.join(tmp, "build"),
                            os.path.join(lay.source, "isp-profiles", "micnet.json")],
                           env=env4, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        check(r.returncode != 0 and "MAILSETUP_TIMESTAMP_URL" in r.stdout and
              not os.path.exists(os.path.join(tmp, "out", "micnet")),
              "without a time-stamp server (and without --unsigned), build-isp refuses to sign")
        r = subprocess.run([os.path.join(lay.source, "scripts", "sign"), lay.exe(next(iter(lay.profiles)))],
                           env=env2, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        check(r.returncode != 0 and "MAILSETUP_SIGN_PKCS12" in r.stdout, "scripts/sign without a certificate refuses")
        env3 = lay.sign_env()
        badpw = os.path.join(tmp, "wrong-password.txt")
        with open(badpw, "w") as f:
            f.write("not-the-password")
        env3["MAILSETUP_SIGN_PASSWORD_FILE"] = badpw
        victim = os.path.join(tmp, "victim.exe")
        if exists(lay.exe64(next(iter(lay.profiles))), "an exe to sign"):
            shutil.copyfile(lay.exe64(next(iter(lay.profiles))), victim)
            before = sha256(victim)
            r = subprocess.run([os.path.join(lay.source, "scripts", "sign"), victim], env=env3,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            check(r.returncode != 0 and sha256(victim) == before,
                  "a wrong password fails the signing and leaves the file as it was")
            check("not-the-password" not in r.stdout, "... and the password is not printed")
        # --probe: a server that does not answer stops the build first
        probe_prof = os.path.join(lay.source, "tests", "data", "probe", "ssl.json")
        env4 = dict(env, MAILSETUP_PROBE_ARGS="--resolve smtp.probe.invalid:465:127.0.0.1 --no-port25 --timeout 5")
        r = subprocess.run([script, "--unsigned", "--probe", "--out", os.path.join(tmp, "out-probe"),
                            "--build-root", os.path.join(tmp, "build-probe"), probe_prof],
                           env=env4, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        check(r.returncode != 0 and "[N02]" in r.stdout and "the probe found servers" in r.stdout
              and not os.path.exists(os.path.join(tmp, "out-probe", "probe-ssl")),
              f"build-isp --probe stops at a closed server port before building (rc {r.returncode}): "
              f"{r.stdout[-600:]}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ---- a fresh clone, the README's command


def cmd_fresh(lay, args):
    tmp = tempfile.mkdtemp(prefix="dist-fresh-", dir=lay.work)
    try:
        clone = os.path.join(tmp, "mailsetup")
        r = subprocess.run(["git", "clone", "--quiet", lay.source, clone],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if not check(r.returncode == 0, f"git clone of {lay.source}: {r.stdout}"):
            return
        env = {k: v for k, v in os.environ.items() if not k.startswith("MAILSETUP_")}
        t0 = time.monotonic()
        r = subprocess.run(["bash", "scripts/build-isp", "--unsigned", "isp-profiles/micnet.json"],
                           cwd=clone, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        check(r.returncode == 0, f"bash scripts/build-isp --unsigned isp-profiles/micnet.json in a fresh clone "
              f"(rc {r.returncode}, {time.monotonic() - t0:.0f} s): {r.stdout[-1500:]}")
        d = os.path.join(clone, "dist", "micnet")
        exists(os.path.join(d, "micnet-mailsetup.exe"), "the exe")
        exists(os.path.join(d, "x64", "micnet-mailsetup.exe"), "the x64 exe")
        exists(os.path.join(d, "micnet-mailsetup-setup.exe"), "the installer")
        exists(os.path.join(d, "cd", "autorun.inf"), "the CD folder's autorun.inf")
        exists(os.path.join(d, "cd", "micnet-mailsetup.exe"), "the CD folder's exe")
        helpdesk_page(os.path.join(d, "helpdesk.html"), lay.profiles["micnet"][1])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ---- Wine: install, run, uninstall


# What Wine itself rewrites on every start (its display driver's devices):
# not the installer's doing.
WINE_NOISE = re.compile(r"^\[System\\\\CurrentControlSet\\\\(Control\\\\Class\\\\"
                        r"\{4D36E96[8E]-|Control\\\\Video\\\\|Enum\\\\DISPLAY|Hardware Profiles)",
                        re.IGNORECASE)


def reg_snapshot(prefix):
    """Every (key, value line) of the prefix's registry, without Wine's
    time stamps and WINE_NOISE."""
    items = set()
    for hive in ("user.reg", "system.reg", "userdef.reg"):
        path = os.path.join(prefix, hive)
        if not os.path.exists(path):
            continue
        key = None
        cont = ""
        with open(path, encoding="utf-8", errors="surrogateescape") as f:
            for line in f:
                line = line.rstrip("\n")
                if cont:
                    line = cont + line.lstrip()
                    cont = ""
                if line.endswith("\\") and not line.startswith("["):
                    cont = line[:-1]
                    continue
                if line.startswith("["):
                    key = line[: line.rindex("]") + 1]
                    if WINE_NOISE.match(key):
                        key = None
                        continue
                    items.add((hive, key, ""))
                elif line.startswith("#") or not line:
                    continue
                elif key is not None:
                    items.add((hive, key, line))
    return items


def file_snapshot(prefix):
    out = {}
    base = os.path.join(prefix, "drive_c")
    for dirpath, dirnames, filenames in os.walk(base):
        rel = os.path.relpath(dirpath, base)
        out[rel + "/"] = None
        for name in filenames:
            p = os.path.join(dirpath, name)
            out[os.path.join(rel, name)] = os.path.getsize(p) if not os.path.islink(p) else "link"
    return out


def diff(before, after):
    added = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    return added, removed


def cmd_wine(lay, args):
    for tool in ("wine", "wineserver", "osslsigncode"):
        if shutil.which(tool) is None:
            fail(f"{tool} is not installed")
            return
    sys.path.insert(0, os.path.join(lay.source, "tests", "wine"))
    import winebench

    isp = WINE_TEST_ISP
    path, prof = lay.profiles[isp]
    # Debian's Wine here runs 64-bit programs only (wine32 needs i386
    # multiarch), so the same installer script is built for amd64; the
    # shipped x86 installer differs only in its stub (docs/distribution.md).
    out64 = os.path.join(lay.work, "out-amd64")
    env = lay.sign_env()
    env["MAILSETUP_HOST_CLI"] = args.cli
    env["MAILSETUP_NSIS_TARGET"] = "amd64-unicode"
    server, env["MAILSETUP_TIMESTAMP_URL"] = tsa_server(lay)
    r = subprocess.run([os.path.join(lay.source, "scripts", "build-isp"), "--out", out64,
                        "--build-root", lay.build, path], env=env)
    server.shutdown()
    setup = os.path.join(out64, isp, f"{isp}-mailsetup-setup.exe")
    if not check(r.returncode == 0 and os.path.isfile(setup), "the amd64 test installer was built"):
        return
    check(pefile.PE(setup, fast_load=True).FILE_HEADER.Machine == 0x8664, "... and is an amd64 program")
    check_signed(lay, setup, "amd64 test installer", timestamped=False)

    with winebench.Prefix(name="dist-install", display=False) as p:
        prefix = str(p.root)
        # One warm-up run settles what Wine itself writes on a program's
        # first start, so the snapshots see only the installer's doing.
        p.run_wine("cmd", "/c", "exit")
        p.wait()
        reg0, files0 = reg_snapshot(prefix), file_snapshot(prefix)

        t0 = time.monotonic()
        r = p.run_wine(setup, "/S", timeout=180)
        p.wait()
        check(r.returncode == 0, f"silent install (/S) exits 0 ({time.monotonic() - t0:.1f} s)")
        local = p.path("local_appdata")
        instdir = os.path.join(local, "Programs", f"{isp} mailsetup")
        instdir_win = p.winpath(instdir)
        installed = {
            "mailsetup.exe": os.path.join(out64, isp, f"{isp}-mailsetup.exe"),
            "x64/mailsetup.exe": os.path.join(out64, isp, "x64", f"{isp}-mailsetup.exe"),
            "COPYING.curl.txt": None, "LICENSE.cJSON.txt": None, "uninstall.exe": None,
        }
        for rel, src in installed.items():
            f = os.path.join(instdir, rel)
            if exists(f, f"installed {rel}") and src:
                check(sha256(f) == sha256(src), f"installed {rel} is the signed build artefact")
        if os.path.isfile(os.path.join(instdir, "uninstall.exe")):
            check_signed(lay, os.path.join(instdir, "uninstall.exe"), "installed uninstaller", timestamped=False)

        r = p.run_wine(f"{instdir_win}\\x64\\mailsetup.exe", "--version")
        check(r.returncode == 0 and f"mailsetup {lay.version}" in r.stdout,
              f"the installed wizard runs from {instdir_win}: {r.stdout.splitlines()[:1]} rc {r.returncode}")

        # The signed exe refuses the test-hook build's switches (a shortcut
        # with them must not redirect the test send or trust another CA).
        for sw, val in (("--test-server", "192.0.2.1:25"), ("--ca-file", "C:\\evil.pem")):
            r = p.run_wine(f"{instdir_win}\\x64\\mailsetup.exe", sw, val, "--version")
            check(r.returncode == 2 and "[E02]" in r.stderr and sw in r.stderr,
                  f"the installed signed wizard refuses {sw}: rc {r.returncode} {r.stderr.strip()[:80]}")

        reg1 = reg_snapshot(prefix)
        key = f"[Software\\\\Microsoft\\\\Windows\\\\CurrentVersion\\\\Uninstall\\\\{isp}-mailsetup]"
        vals = {line.split("=", 1)[0].strip('"'): line.split("=", 1)[1] for h, k, line in reg1
                if h == "user.reg" and k == key and "=" in line}
        check("DisplayName" in vals and "UninstallString" in vals and "Publisher" in vals,
              f"HKCU uninstall key {isp}-mailsetup with DisplayName, Publisher, UninstallString")
        added_reg = [(h, k) for h, k, line in sorted(set(reg1) - set(reg0))]
        check(not any(h != "user.reg" for h, k in added_reg),
              f"the installer wrote only to HKCU: {[x for x in added_reg if x[0] != 'user.reg'][:5]}")
        added_files, _ = diff(files0, file_snapshot(prefix))
        lnks = [f for f in added_files if f.endswith(".lnk")]
        check(len(lnks) == 3, f"three Start-menu shortcuts (run, undo, uninstall): {lnks}")
        lnk_data = {}
        for f in lnks:
            with open(os.path.join(prefix, "drive_c", f), "rb") as fh:
                lnk_data[os.path.basename(f)] = fh.read()
        undo = [n for n, d in lnk_data.items() if "--undo".encode("utf-16-le") in d]
        check(len(undo) == 1, f"one shortcut runs the wizard with --undo: {undo}")
        check(not any(not f.startswith("users/") for f in added_files),
              "the installer wrote only inside the user's profile")

        t0 = time.monotonic()
        # What Windows runs: the registered QuietUninstallString, verbatim
        # (a .bat outside the prefix runs it: `wine` would quote the _?=
        # argument, which NSIS then does not recognise).
        quiet = vals.get("QuietUninstallString", '""')
        quiet = quiet[1:-1].replace('\\"', '"').replace("\\\\", "\\")
        check(quiet == f'"{instdir_win}\\uninstall.exe" /S _?={instdir_win}',
              f"QuietUninstallString runs uninstall.exe /S in place (_?=): {quiet}")
        bat = os.path.join(lay.work, "uninstall-quiet.bat")
        with open(bat, "w", encoding="ascii", newline="") as f:
            f.write(f"@{quiet}\r\n")
        r = p.run_wine("cmd", "/c", p.winpath(bat), timeout=180)
        p.wait()
        # uninstall.exe and its folder go a few seconds after it ends
        # (un.onUninstSuccess in installer/mailsetup.nsi).
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            left, _ = diff(files0, file_snapshot(prefix))
            if not left:
                break
            time.sleep(1)
        p.wait()
        check(r.returncode == 0, f"silent uninstall (/S) exits 0 ({time.monotonic() - t0:.1f} s)")
        reg2, files2 = reg_snapshot(prefix), file_snapshot(prefix)
        fa, fr = diff(files0, files2)
        check(not fa and not fr, f"after uninstall no file is added or missing: +{fa[:10]} -{fr[:10]}")
        ra, rr = diff(reg0, reg2)
        check(not ra and not rr, f"after uninstall the registry is as before: +{sorted(ra)[:10]} -{sorted(rr)[:10]}")


COMMANDS = {
    "build": cmd_build, "resources": cmd_resources, "signatures": cmd_signatures,
    "sizes": cmd_sizes, "refuse": cmd_refuse, "wine": cmd_wine, "fresh": cmd_fresh,
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("command", choices=sorted(COMMANDS))
    ap.add_argument("--source", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--cli", default="")
    ap.add_argument("--isp-profile", default="")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    lay = Layout(os.path.abspath(args.source), os.path.abspath(args.work))
    if len(lay.profiles) < 5:
        fail(f"expected the five seed ISP profiles, found {sorted(lay.profiles)}")
    COMMANDS[args.command](lay, args)
    n_fail = len(failures)
    print(f"check_dist {args.command}: {n_fail} failure(s)")
    return 1 if n_fail else 0


if __name__ == "__main__":
    sys.exit(main())
