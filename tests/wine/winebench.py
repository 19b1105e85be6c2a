#!/usr/bin/python3
"""winebench: the Wine test bench of mailsetup.

Every Wine test gets a fresh WINEPREFIX copied from a template booted once per
ctest run, with the Japanese UI fonts substituted by Noto Sans CJK JP, its own
Xvfb display, WINEDEBUG=-all, and everything (wineserver, Xvfb, the copy)
gone when the `with` block ends.

    import winebench
    with winebench.Prefix() as p:
        r = p.run("--version")                 # CompletedProcess, str output
        p.reg_import(path_of_reg_file)         # REGEDIT4 or UTF-16 v5 .reg
        text = p.reg_export(r"HKEY_CURRENT_USER\\Software\\Foo")
        p.path("appdata"), p.winpath(host_path), p.wait()
        with p.dummy_process("msimn.exe"):
            ...                                # a process of that name runs

Environment (set by tests/wine/CMakeLists.txt; defaults for a manual run):
    MAILSETUP_EXE         the exe under test   (<repo>/dist/x64/tests/mailsetup.exe,
                      the test-hook build; MAILSETUP_SHIPPED_EXE: dist/x64/mailsetup.exe)
    MAILSETUP_SOURCE_DIR  the checkout         (<repo>)
    MAILSETUP_WINE_WORK   work dir of this run (<repo>/build/wine-work)
    MAILSETUP_WINE_KEEP=1 keep each test's prefix (for debugging)
    MAILSETUP_WINEDEBUG   WINEDEBUG for Wine (default -all)

The template: `winebench.py setup` (the ctest fixture wine_template) boots a
new one; a test run without the fixture boots one on first use. A file lock
makes parallel tests share it.

Copying: Wine 8 puts ~690 MB of real PE DLLs into C:\\windows; `cp -a` of
that takes ~2 s. Files Wine only ever reads (.dll, .exe, .drv, ... under
C:\\windows) are hard-linked from the template instead, everything else
(registry hives, .ini files, user folders) is copied as `cp -a` would: a copy
takes ~0.05 s. A test must not write into a binary under C:\\windows (it
would change the template); replacing one (delete + create) is fine.
"""

import contextlib
import fcntl
import itertools
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SOURCE_DIR = Path(os.environ.get("MAILSETUP_SOURCE_DIR",
                                 Path(__file__).resolve().parents[2]))
# The test-hook build (cmake/test_hooks.cmake): the shipped exe without the
# test switches is SHIPPED_EXE.
EXE = Path(os.environ.get("MAILSETUP_EXE",
                          SOURCE_DIR / "dist" / "x64" / "tests" / "mailsetup.exe"))
SHIPPED_EXE = Path(os.environ.get("MAILSETUP_SHIPPED_EXE",
                                  SOURCE_DIR / "dist" / "x64" / "mailsetup.exe"))
WORK = Path(os.environ.get("MAILSETUP_WINE_WORK", SOURCE_DIR / "build" / "wine-work"))
TEMPLATE = WORK / "template"
READY = TEMPLATE / ".mailsetup-template-ready"

# Registry keys Wine itself rewrites on every start (its display driver's
# devices): a before/after comparison of the hives leaves them out.
WINE_NOISE = re.compile(r"^\[System\\\\CurrentControlSet\\\\(Control\\\\Class\\\\"
                        r"\{4D36E96[8E]-|Control\\\\Video\\\\|Enum\\\\DISPLAY|Hardware Profiles)",
                        re.IGNORECASE)

WINE = "wine"
WINEBOOT = "wineboot"
WINESERVER = "wineserver"

# Fonts a Japanese Windows UI asks for; Wine has none of them.
CJK_FONT = "Noto Sans CJK JP"
SUBSTITUTED_FONTS = ["MS Shell Dlg", "MS Shell Dlg 2", "MS UI Gothic", "Meiryo UI",
                     "Meiryo", "Segoe UI", "Tahoma", "MS PGothic"]

# Extensions of files under C:\windows that Wine maps read-only: hard-linked.
_LINKED_EXT = {".dll", ".exe", ".drv", ".sys", ".ocx", ".cpl", ".acm", ".ax",
               ".tlb", ".nls", ".ttf", ".ttc", ".fon", ".mui", ".ds", ".msstyles",
               ".vxd", ".com", ".tsp", ".ime"}

_BASE_ENV = {
    # MAILSETUP_WINEDEBUG (e.g. "err+all,fixme-all") to see Wine's messages.
    "WINEDEBUG": os.environ.get("MAILSETUP_WINEDEBUG", "-all"),
    # No Mono/Gecko download prompt, no menu entries on the host.
    "WINEDLLOVERRIDES": "mscoree,mshtml=;winemenubuilder.exe=d",
    "WINEARCH": "win64",
}

_counter = itertools.count()


def loaded_modules(trace, exe):
    """The modules (lower-case Windows paths) that the process of exe (a
    path; its file name is matched) loaded, any thread, in order, from the
    'Loaded' lines of a WINEDEBUG=+pid,+loaddll trace. +pid puts the process
    id first on each line; the first run in a prefix also traces Wine's own
    session (explorer, services, ...), whose lines are left out."""
    name = Path(str(exe)).name.lower()
    mods, ours = [], None
    for line in trace.splitlines():
        if "Loaded L\"" not in line:
            continue
        pid = line.split(":", 1)[0]
        path = line.split("Loaded L\"", 1)[1].split("\"", 1)[0].replace("\\\\", "\\").lower()
        mods.append((pid, path))
        if ours is None and path.rsplit("\\", 1)[-1] == name:
            ours = pid
    return [path for pid, path in mods if pid == ours]


class WineError(RuntimeError):
    pass


def _env(prefix, display=None, extra=None):
    env = dict(os.environ)
    env.update(_BASE_ENV)
    env["WINEPREFIX"] = str(prefix)
    if display is not None:
        env["DISPLAY"] = display
    else:
        env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    if extra:
        env.update(extra)
    return env


def _check(cmd, env, timeout=120, what=None):
    r = subprocess.run(cmd, env=env, capture_output=True, timeout=timeout)
    if r.returncode != 0:
        raise WineError(f"{what or cmd[0]} failed ({r.returncode}): "
                        f"{r.stderr.decode('utf-8', 'replace')[-2000:]}")
    return r


def _font_reg():
    lines = ["REGEDIT4", "",
             r"[HKEY_LOCAL_MACHINE\Software\Microsoft\Windows NT\CurrentVersion\FontSubstitutes]"]
    lines += [f'"{f}"="{CJK_FONT}"' for f in SUBSTITUTED_FONTS]
    lines += ["", r"[HKEY_CURRENT_USER\Software\Wine\Fonts\Replacements]"]
    lines += [f'"{f}"="{CJK_FONT}"' for f in SUBSTITUTED_FONTS]
    # A crashing test must end, not wait for someone to close winedbg's dialog.
    lines += ["", r"[HKEY_CURRENT_USER\Software\Wine\WineDbg]", '"ShowCrashDialog"=dword:00000000',
              "", r"[HKEY_LOCAL_MACHINE\Software\Microsoft\Windows NT\CurrentVersion\AeDebug]",
              '"Auto"="0"', '"Debugger"=""', ""]
    return "\r\n".join(lines)


def _remove_server_dir(prefix):
    """Debian's Wine names the prefix's server directory (/tmp/wine-XXXXXX)
    in <prefix>/wineserver; it outlives the server, so it is removed here."""
    try:
        name = (Path(prefix) / "wineserver").read_text().strip()
    except OSError:
        return
    tmpdir = Path(tempfile.gettempdir())
    if name.startswith("wine-") and "/" not in name and (tmpdir / name).is_dir():
        shutil.rmtree(tmpdir / name, ignore_errors=True)


def _boot_template():
    """Boots a new template beside TEMPLATE and renames it into place."""
    WORK.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="template-new-", dir=WORK))
    prefix = tmp / "prefix"
    env = _env(prefix)
    t0 = time.monotonic()
    try:
        _check([WINEBOOT, "-i"], env, timeout=300, what="wineboot -i")
        reg = tmp / "fonts.reg"
        reg.write_text(_font_reg(), encoding="ascii")
        _check([WINE, "regedit", "/S", "Z:" + str(reg).replace("/", "\\")], env,
               what="regedit fonts.reg")
        _check([WINESERVER, "-w"], env, what="wineserver -w")
        system_reg = (prefix / "system.reg").read_text(encoding="utf-8", errors="replace")
        if f'"MS UI Gothic"="{CJK_FONT}"' not in system_reg:
            raise WineError("font substitutes did not reach system.reg")
        (prefix / READY.name).write_text(f"booted in {time.monotonic() - t0:.1f}s\n")
        if TEMPLATE.exists():
            shutil.rmtree(TEMPLATE)
        os.rename(prefix, TEMPLATE)
    finally:
        subprocess.run([WINESERVER, "-k"], env=env, capture_output=True)
        subprocess.run([WINESERVER, "-w"], env=env, capture_output=True)
        _remove_server_dir(prefix)
        _remove_server_dir(TEMPLATE)
        shutil.rmtree(tmp, ignore_errors=True)


@contextlib.contextmanager
def _locked():
    WORK.mkdir(parents=True, exist_ok=True)
    with open(WORK / "template.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def ensure_template(fresh=False):
    """The template prefix, booted now if missing (or if fresh)."""
    with _locked():
        if fresh or not READY.exists():
            _boot_template()
    return TEMPLATE


def _copy_prefix(src, dst):
    """cp -a src dst, but binaries under drive_c/windows are hard links."""
    windows = src / "drive_c" / "windows"
    os.mkdir(dst)
    shutil.copystat(src, dst)
    for root, dirs, files in os.walk(src):
        r = Path(root)
        d = dst / r.relative_to(src)
        link_ok = r == windows or windows in r.parents
        for name in dirs:
            s = r / name
            if s.is_symlink():
                os.symlink(os.readlink(s), d / name)
            else:
                os.mkdir(d / name)
        for name in files:
            s = r / name
            t = d / name
            if s.is_symlink():
                os.symlink(os.readlink(s), t)
            elif link_ok and s.suffix.lower() in _LINKED_EXT:
                os.link(s, t)
            elif name == "wineserver" and r == src:
                continue        # the old server's lock file
            else:
                shutil.copy2(s, t)
        # copystat of directories after their files (mtime)
    for root, dirs, _ in os.walk(src):
        r = Path(root)
        for name in dirs:
            s = r / name
            if not s.is_symlink():
                shutil.copystat(s, dst / r.relative_to(src) / name)


class _Xvfb:
    """One Xvfb on a free display number, for one prefix."""

    def __init__(self):
        rfd, wfd = os.pipe()
        self.proc = subprocess.Popen(
            ["Xvfb", "-displayfd", str(wfd), "-screen", "0", "1600x1200x24",
             "-nolisten", "tcp", "-noreset"],
            pass_fds=(wfd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        os.close(wfd)
        data = b""
        with os.fdopen(rfd, "rb") as r:
            while not data.endswith(b"\n"):
                chunk = r.read(1)
                if not chunk:
                    break
                data += chunk
        if not data.strip().isdigit():
            self.stop()
            raise WineError("Xvfb did not start")
        self.display = ":" + data.decode().strip()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Prefix:
    """A fresh WINEPREFIX for one test: `with Prefix() as p: ...`.

    display: start an Xvfb for it (default True).
    lang: e.g. "ja_JP.UTF-8" sets LANG/LC_ALL for Wine (its user locale)."""

    def __init__(self, name=None, display=True, lang=None, exe=None):
        self.name = name or Path(sys.argv[0]).stem or "test"
        self.exe = Path(exe) if exe else EXE
        self._want_display = display
        self._lang = lang
        self._xvfb = None
        self.root = None
        self.env = None
        self.copy_seconds = None

    # ---- life cycle
    def __enter__(self):
        template = ensure_template()
        (WORK / "prefixes").mkdir(parents=True, exist_ok=True)
        self.root = WORK / "prefixes" / f"{self.name}-{os.getpid()}-{next(_counter)}"
        if self.root.exists():
            shutil.rmtree(self.root)
        t0 = time.monotonic()
        with _locked():  # never copy a template that is being rebooted
            _copy_prefix(template, self.root)
        self.copy_seconds = time.monotonic() - t0
        try:
            if self._want_display:
                self._xvfb = _Xvfb()
            extra = {}
            if self._lang:
                extra = {"LANG": self._lang, "LC_ALL": self._lang}
            self.env = _env(self.root, self._xvfb.display if self._xvfb else None, extra)
        except BaseException:
            self._cleanup()
            raise
        return self

    def __exit__(self, *exc):
        self._cleanup()
        return False

    def _cleanup(self):
        if self.root is not None and self.root.exists():
            env = self.env or _env(self.root)
            # Kill what still runs, then wait for the server to be gone.
            subprocess.run([WINESERVER, "-k"], env=env, capture_output=True, timeout=30)
            subprocess.run([WINESERVER, "-w"], env=env, capture_output=True, timeout=30)
            _remove_server_dir(self.root)
        if self._xvfb:
            self._xvfb.stop()
            self._xvfb = None
        if self.root is not None and os.environ.get("MAILSETUP_WINE_KEEP") != "1":
            shutil.rmtree(self.root, ignore_errors=True)

    @property
    def display(self):
        return self._xvfb.display if self._xvfb else None

    # ---- running things
    def run(self, *args, stdin=None, timeout=60, env=None, exe=None):
        """Runs the exe (default EXE) with args; output decoded as UTF-8."""
        return self.run_wine(str(exe or self.exe), *args, stdin=stdin, timeout=timeout, env=env)

    def run_wine(self, program, *args, stdin=None, timeout=60, env=None):
        """`wine program args...` in this prefix (program: host or Windows path)."""
        full_env = dict(self.env)
        if env:
            full_env.update(env)
        data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
        # Output goes to files, not pipes: the wineserver and Wine's system
        # processes that the first run starts inherit the handles and outlive
        # the program, so a pipe would not see EOF until they exit.
        for attempt in range(3):
            with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
                try:
                    r = subprocess.run([WINE, str(program), *map(str, args)], env=full_env,
                                       input=data if data is not None else b"",
                                       stdout=out, stderr=err, timeout=timeout)
                except subprocess.TimeoutExpired:
                    subprocess.run([WINESERVER, "-k"], env=self.env, capture_output=True)
                    raise
                out.seek(0)
                err.seek(0)
                r = subprocess.CompletedProcess(
                    r.args, r.returncode, out.read().decode("utf-8", "replace"),
                    err.read().decode("utf-8", "replace"))
            # Wine's loader could not reach the prefix's wineserver (it was
            # starting or ending): the program never ran, so run it again.
            # That is "wine: chdir to ...", or, when the server ended its
            # linger just as the client connected, only "wine client
            # error:0: recvmsg: Connection reset by peer" (once in CI, in
            # wine_undo_hostile). The same when a failed run said nothing at
            # all (seen twice in CI under load, exit 1): mailsetup.exe and
            # reg.exe name every failure on stderr, so a silent failure is
            # Wine's, not theirs.
            said = [ln for ln in r.stderr.splitlines() if ln.strip()]
            never_ran = (r.stderr.startswith("wine: chdir to ") or
                         (not r.stdout.strip() and
                          all(ln.startswith("wine client error:") for ln in said)))
            if r.returncode == 0 or not never_ran or attempt == 2:
                return r
            print(f"winebench: {Path(str(program)).name}: exit {r.returncode}, "
                  f"{r.stderr.strip() or 'nothing said'}; again", file=sys.stderr)
            time.sleep(0.5)

    def popen(self, *args, exe=None, **kw):
        """Starts the exe in the background (e.g. the wizard window) and
        returns once the prefix's wineserver listens, so that the next wine
        command does not race the server's start (Debian's Wine names the
        server's folder in <prefix>/wineserver before it creates it; a
        client that reads it too early fails with 'chdir ... No such file')."""
        proc = subprocess.Popen([WINE, str(exe or self.exe), *map(str, args)],
                                env=self.env, **kw)
        self._wait_for_server(proc)
        return proc

    def wait_for_window(self, proc, timeout=60):
        """Polls every 10 ms until the process proc (started with `wine`,
        whose pid the X window carries) has a visible top-level window
        (`xdotool search --onlyvisible --pid`). True once it has; False when
        proc exited first; WineError after timeout seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            r = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid", str(proc.pid)],
                               env=self.env, capture_output=True, text=True)
            if r.stdout.strip():
                return True
            if proc.poll() is not None:
                return False
            time.sleep(0.01)
        raise WineError(f"no window within {timeout} s")

    def _wait_for_server(self, proc, timeout=60):
        tmpdir = Path(tempfile.gettempdir())
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                name = (self.root / "wineserver").read_text().strip()
            except OSError:
                name = ""
            if name.startswith("wine-") and "/" not in name and \
                    any((tmpdir / name).glob("server-*/socket")):
                return
            time.sleep(0.05)

    def wait(self):
        """wineserver -w: all processes done, registry written to disk."""
        subprocess.run([WINESERVER, "-w"], env=self.env, capture_output=True, timeout=120)

    # ---- registry
    def reg_import(self, path):
        """Imports a .reg file (REGEDIT4, or UTF-16 'Windows Registry Editor
        Version 5.00') into the prefix's registry."""
        path = Path(path)
        if not path.is_file():
            raise WineError(f"no such .reg file: {path}")
        r = self.run_wine("reg", "import", self.winpath(path.resolve()), timeout=60)
        if r.returncode != 0:
            raise WineError(f"reg import {path} failed ({r.returncode}): {r.stdout}{r.stderr}")

    def reg_export(self, key):
        """The key (and subkeys) as .reg text ("Windows Registry Editor
        Version 5.00"); "" when the key does not exist. Reads the live
        registry through the wineserver (what every program in the prefix
        sees), so it needs no wait(); call it after the program has ended."""
        out = self.root / f"export-{next(_counter)}.reg"
        try:
            failures = []
            for _ in range(3):  # reading is harmless to repeat
                r = self.run_wine("reg", "export", key, self.winpath(out), "/y", timeout=60)
                if r.returncode != 0 and "Unable to find" in r.stdout + r.stderr:
                    return ""
                if r.returncode == 0 and out.exists():
                    break
                failures.append(f"({r.returncode}) {r.stdout}{r.stderr}".strip())
                time.sleep(0.5)
            else:
                # Not "no such key": the export itself failed, and an empty
                # answer would read as "everything deleted".
                raise WineError(f"reg export {key} failed: " + " / ".join(failures))
            if failures:
                print(f"winebench: reg export {key} needed {len(failures) + 1} tries: "
                      + " / ".join(failures), file=sys.stderr)
            raw = out.read_bytes()
        finally:
            out.unlink(missing_ok=True)
        if raw.startswith(b"\xff\xfe"):
            return raw[2:].decode("utf-16-le")
        return raw.decode("utf-8", "replace")

    # ---- paths
    def _user(self):
        users = self.root / "drive_c" / "users"
        for d in sorted(users.iterdir()):
            if d.name not in ("Public", "Default") and (d / "AppData").is_dir():
                return d
        raise WineError("no user profile folder in the prefix")

    def path(self, kind):
        """Host path of 'c' (C:\\), 'home' (%USERPROFILE%), 'appdata'
        (%APPDATA%), 'local_appdata' (%LOCALAPPDATA%), 'temp' (%TEMP%)."""
        if kind == "c":
            return self.root / "drive_c"
        home = self._user()
        paths = {"home": home, "appdata": home / "AppData" / "Roaming",
                 "local_appdata": home / "AppData" / "Local",
                 "temp": home / "AppData" / "Local" / "Temp"}
        if kind not in paths:
            raise ValueError(f"unknown path kind {kind!r}")
        return paths[kind]

    def winpath(self, host_path):
        """C:\\... for a path inside the prefix's drive_c, else Z:\\..."""
        p = Path(os.path.abspath(host_path))
        c = self.root / "drive_c"
        try:
            rel = p.relative_to(c)
            return "C:\\" + str(rel).replace("/", "\\") if str(rel) != "." else "C:\\"
        except ValueError:
            return "Z:" + str(p).replace("/", "\\")

    # ---- a stand-in for a running mail program
    @contextlib.contextmanager
    def dummy_process(self, exe_name, timeout=20):
        """A process whose image name is exe_name (e.g. "msimn.exe") runs
        inside the block: a copy of Wine's cmd.exe waiting on its stdin."""
        folder = self.path("c") / "mailsetup-dummy" / f"d{next(_counter)}"
        folder.mkdir(parents=True)
        target = folder / exe_name
        shutil.copyfile(self.path("c") / "windows" / "system32" / "cmd.exe", target)
        proc = subprocess.Popen([WINE, self.winpath(target)], env=self.env,
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        try:
            self._wait_for_process(exe_name, timeout)
            yield proc
        finally:
            try:
                proc.stdin.write(b"exit\r\n")
                proc.stdin.close()
                proc.wait(10)
            except (BrokenPipeError, subprocess.TimeoutExpired, OSError):
                proc.kill()
                proc.wait()

    def processes(self):
        """Image names (lower case) of the Windows processes running in the
        prefix, read from /proc: Wine 8's tasklist.exe lists nothing."""
        names = []
        want = f"WINEPREFIX={self.root}".encode()
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                with open(f"/proc/{pid}/environ", "rb") as f:
                    if want not in f.read().split(b"\0"):
                        continue
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    argv0 = f.read().split(b"\0")[0].decode("utf-8", "replace")
            except OSError:
                continue
            name = argv0.replace("\\", "/").rsplit("/", 1)[-1].lower()
            if name.endswith(".exe"):
                names.append(name)
        return names

    def _wait_for_process(self, exe_name, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if exe_name.lower() in self.processes():
                return
            time.sleep(0.1)
        raise WineError(f"{exe_name} did not start")


def cleanup_all():
    """Fixture cleanup: removes what crashed tests may have left behind."""
    prefixes = WORK / "prefixes"
    if prefixes.is_dir():
        for d in prefixes.iterdir():
            if (d / "system.reg").exists():
                subprocess.run([WINESERVER, "-k"], env=_env(d), capture_output=True)
                subprocess.run([WINESERVER, "-w"], env=_env(d), capture_output=True)
                _remove_server_dir(d)
            shutil.rmtree(d, ignore_errors=True)


def main(argv):
    if len(argv) == 2 and argv[1] == "setup":
        t0 = time.monotonic()
        ensure_template(fresh=True)
        print(f"winebench: template {TEMPLATE} booted in {time.monotonic() - t0:.1f}s")
        return 0
    if len(argv) == 2 and argv[1] == "cleanup":
        cleanup_all()
        return 0
    if len(argv) == 2 and argv[1] == "selftest":
        return _selftest()
    print("usage: winebench.py setup|cleanup|selftest", file=sys.stderr)
    return 2


def _selftest():
    """The bench itself: copy time, isolation, registry round trip, paths,
    dummy processes, and that nothing is left running afterwards."""
    import textwrap
    failures = []

    def check(cond, what):
        print(("ok   " if cond else "FAIL ") + what)
        if not cond:
            failures.append(what)

    with Prefix(name="selftest") as p:
        check(p.copy_seconds < 1.0, f"prefix copied in {p.copy_seconds:.3f}s (< 1 s)")
        check(os.stat(p.root / "system.reg").st_ino != os.stat(TEMPLATE / "system.reg").st_ino,
              "registry hive is a copy, not a link")
        check((p.root / "dosdevices" / "c:").resolve() == (p.root / "drive_c").resolve(),
              "C: points into the copy")
        check(p.display is not None and p.display.startswith(":"), f"Xvfb on {p.display}")
        reg = p.root / "seed.reg"
        reg.write_text(textwrap.dedent("""\
            REGEDIT4

            [HKEY_CURRENT_USER\\Software\\MailsetupBench]
            "Name"="bench"
            "Port"=dword:0000024b
            """).replace("\n", "\r\n"), encoding="ascii")
        p.reg_import(reg)
        v5 = p.root / "seed5.reg"
        v5.write_bytes(b"\xff\xfe" + "Windows Registry Editor Version 5.00\r\n\r\n"
                       "[HKEY_CURRENT_USER\\Software\\MailsetupBench\\Sub]\r\n"
                       "\"Text\"=\"日本語\"\r\n".encode("utf-16-le"))
        p.reg_import(v5)
        out = p.reg_export(r"HKEY_CURRENT_USER\Software\MailsetupBench")
        check('"Port"=dword:0000024b' in out, "REGEDIT4 import read back")
        check('"Text"="日本語"' in out, "UTF-16 v5 import read back")
        check(p.reg_export(r"HKEY_CURRENT_USER\Software\NoSuchKeyHere") == "",
              "missing key exports as empty")
        bad = p.root / "bad.reg"
        bad.write_text("this is not a registry file\r\n", encoding="ascii")
        try:
            p.reg_import(bad)
            check(False, "bad .reg file is refused")
        except WineError:
            check(True, "bad .reg file is refused")
        fonts = p.reg_export(
            r"HKEY_LOCAL_MACHINE\Software\Microsoft\Windows NT\CurrentVersion\FontSubstitutes")
        check(all(f'"{f}"="{CJK_FONT}"' in fonts for f in SUBSTITUTED_FONTS),
              "fonts substituted")
        check(p.path("appdata").is_dir() and p.path("local_appdata").is_dir(), "appdata paths")
        check(p.winpath(p.path("appdata")).startswith("C:\\users\\")
              and p.winpath(p.path("appdata")).endswith("\\AppData\\Roaming"), "winpath")
        with p.dummy_process("msimn.exe"):
            check("msimn.exe" in p.processes(), "dummy msimn.exe runs")
        check("msimn.exe" not in p.processes(), "dummy msimn.exe ended")
        root = p.root
        env = p.env
        xvfb = p._xvfb.proc
    check(not root.exists(), "prefix copy deleted")
    r = subprocess.run([WINESERVER, "-k"], env=env, capture_output=True)
    check(r.returncode != 0, "no wineserver left for the prefix")
    check(xvfb.poll() is not None, "Xvfb stopped")
    check(READY.exists(), "template intact")
    print(f"winebench selftest: {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
