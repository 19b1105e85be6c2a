#!/usr/bin/python3
"""The wizard, driven page by page under Wine + Xvfb by tests/wine/guidriver.c:

    test_gui_wizard.py ja|en          a PC with MicNet accounts in Outlook
                                      Express and Thunderbird: every page,
                                      changes applied, test send accepted by
                                      the local SMTP server, registry and
                                      prefs.js checked at the end
    test_gui_wizard.py wrongpw ja|en  a wrong password: diagnosis S07, back to
                                      the password page, the retry succeeds
    test_gui_wizard.py nothing ja|en  nothing of the ISP: the page says no
                                      change is needed, Finish ends it
    test_gui_wizard.py running ja     Outlook Express runs: named with
                                      'please close it'; Next only after the
                                      retry finds it closed
    test_gui_wizard.py undo ja        after a run, --undo restores the backup
    test_gui_wizard.py hotwebbyhand ja|en  HotWeb with Outlook, which cannot add an
                                      account: the steps by hand, nothing
                                      changed
    test_gui_wizard.py tlskept ja|en  117net with Thunderbird: an account on
                                      STARTTLS keeps it; the changes page
                                      says why
    test_gui_wizard.py checkclosed ja|en  the pre-flight check finds the
                                      new server's port closed: S02 on the
                                      changes page, registry unchanged
    test_gui_wizard.py byhand ja|en   only the new Outlook: 'set by hand',
                                      its steps on Next, support code ...-F32

Each page's title, step ('ステップ n / N') and controls are read back; no
control may stick out of its page; a screenshot of every page goes to
build/screenshots/<lang>/ (MAILSETUP_SCREENSHOTS overrides).
"""
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import guilib
import secretscan
import smtpd
import winebench
from oe_common import diff as reg_diff
from oe_common import parse as reg_parse
from guilib import (IDC_ACCOUNT, IDC_BACKUP, IDC_BODY, IDC_CODE, IDC_DIAG, IDC_LIST,
                    IDC_PASSWORD, IDC_RETRY, IDC_STATUS, IDC_TO_PASSWORD, text_of)

SHOTS = Path(os.environ.get("MAILSETUP_SCREENSHOTS",
                            winebench.SOURCE_DIR / "build" / "screenshots"))

TITLES = {
    "ja": {1: "メール設定ウィザードへようこそ", 2: "見つかったメールソフト", 3: "メールパスワードの入力",
           4: "変更する内容", 5: "設定を変更しています", 6: "テストメールの送信",
           7: "メール設定ウィザードを完了しました"},
    "en": {1: "Welcome to the Mail Setup Wizard", 2: "Mail programs found", 3: "Mail password",
           4: "Changes", 5: "Changing the settings", 6: "Test message",
           7: "The Mail Setup Wizard is complete"},
}
STEP_TEXT = {"ja": "ステップ {n} / {total}", "en": "Step {n} of {total}"}
IDENTITIES = r"HKEY_CURRENT_USER\Identities"
# The two accounts of tests/data/gui/oe-micnet.reg.
IAM = (IDENTITIES + r"\{6A1F2C3D-4B5E-4F60-8A9B-0C1D2E3F4A5B}\Software\Microsoft"
       r"\Internet Account Manager\Accounts")
MICNET_KEY, OFFICE_KEY = IAM + r"\00000001", IAM + r"\00000002"
APPLY_DIFF = winebench.SOURCE_DIR / "tests" / "data" / "gui" / "oe-micnet.apply.diff"


def account_values(export, key):
    """The values of one account key of a `reg export` text."""
    keys = {k.lower(): v for k, v in reg_parse(export).items()}
    if key.lower() not in keys:
        fail(f"no key {key} in the export:\n{export}")
    return keys[key.lower()]


def check_applied(before, after):
    """apply changed exactly MicNet's account, as the hand-written
    tests/data/gui/oe-micnet.apply.diff says; Office's is untouched."""
    want = {l for l in APPLY_DIFF.read_text("utf-8").splitlines() if l}
    got = reg_diff(before, after)
    if got != want:
        fail("registry change after apply:\n  unexpected: " + "\n  ".join(sorted(got - want)) +
             "\n  missing: " + "\n  ".join(sorted(want - got)))
    m = account_values(after, MICNET_KEY)
    if m.get("SMTP Port") != "dword:0000024b" or m.get("SMTP Server") != '"smtp.micnet.ne.jp"':
        fail(f"MicNet's account not on smtp.micnet.ne.jp:587: {m}")
    if account_values(after, OFFICE_KEY) != account_values(before, OFFICE_KEY):
        fail("the other provider's account (Office) was changed")


def check_no_password(p, secrets, texts=(), exclude=()):
    hits = []
    for secret in secrets:
        hits += secretscan.find(p, secret, users=("taro", "hanako"), texts=texts,
                                exclude=exclude)
    if hits:
        fail("a password is stored or printed:\n  " + "\n  ".join(hits))


def fail(msg, state=None):
    print("FAIL:", msg)
    if state is not None:
        print(json.dumps(state, ensure_ascii=False, indent=1)[:6000])
    sys.exit(1)


def check_page(st, lang, step, total=7):
    if st.get("title") != TITLES[lang][step]:
        fail(f"step {step}: title {st.get('title')!r}, want {TITLES[lang][step]!r}", st)
    want = STEP_TEXT[lang].format(n=step, total=total)
    if text_of(st, guilib.IDC_STEP) != want:
        fail(f"step {step}: step label {text_of(st, guilib.IDC_STEP)!r}, want {want!r}", st)
    bad = guilib.clipped_controls(st)
    if bad:
        fail(f"step {step}: controls {bad} stick out of the page", st)


def rows(st):
    return [r["cells"] for r in guilib.control(st, IDC_LIST).get("rows", [])]


def go(wz, shots, lang, step, name, enabled="next", text=None):
    st = wz.wait(step=step, enabled=enabled, text=text)
    check_page(st, lang, step)
    wz.shot(shots / f"{step:02d}-{name}.png", st)
    return st


def wait_text(wz, step, ctl, words, timeout=60):
    """The page of `step` with Next usable and control ctl's text holding
    words (compared here: the driver's --text takes ASCII only)."""
    end = time.monotonic() + timeout
    while True:
        st = wz.wait(step=step, enabled="next")
        if words in text_of(st, ctl):
            return st
        if time.monotonic() > end:
            fail(f"step {step}: {words!r} not in control {ctl}", st)
        time.sleep(0.3)


def enter_passwords(wz, st, password):
    combo = guilib.control(st, IDC_ACCOUNT)
    for i in range(len(combo["items"])):
        wz.drive("select", str(IDC_ACCOUNT), str(i))
        wz.settext(IDC_PASSWORD, password)


def run_full(lang, wrong_password=False):
    shots = SHOTS / (lang if not wrong_password else f"{lang}-wrong-password")
    with winebench.Prefix(lang="ja_JP.UTF-8" if lang == "ja" else None) as p, \
            smtpd.Server(smtpd.make_pki(p.root / "pki"), record=p.root / "smtp.json", tls="none",
                         accounts=guilib.ACCOUNTS) as srv:
        guilib.seed_micnet(p)
        before = p.reg_export(IDENTITIES)
        with guilib.Wizard(p, "--lang", lang, "--test-server", f"127.0.0.1:{srv.port}") as wz:
            st = go(wz, shots, lang, 1, "welcome")
            body = text_of(st, IDC_BODY)
            if "MicNet" not in body or ("587" not in body):
                fail("welcome page does not name the ISP and port 587", st)
            wz.press("next")

            st = go(wz, shots, lang, 2, "programs")
            found = rows(st)
            emails = " ".join(" ".join(r) for r in found)
            for addr in ("taro@micnet.ne.jp", "hanako@micnet.ne.jp", "t-yamada@example.co.jp"):
                if addr not in emails:
                    fail(f"programs page does not list {addr}", st)
            checked = [r["cells"][1] for r in guilib.control(st, IDC_LIST)["rows"] if r["checked"]]
            if len(checked) != 2 or any("micnet" not in c for c in checked):
                fail(f"want the two MicNet accounts ticked, got {checked}", st)
            wz.press("next")

            st = go(wz, shots, lang, 3, "password")
            if len(guilib.control(st, IDC_ACCOUNT)["items"]) != 2:
                fail("password page should offer both accounts", st)
            enter_passwords(wz, st, "wrong-pass" if wrong_password else guilib.PASSWORD)
            wz.press("next")

            # The pre-flight check: the new server, the typed password,
            # nothing sent and nothing changed yet.
            if wrong_password:
                st = wz.wait(step=4, enabled="next", text=(IDC_DIAG, "S07"))
                check_page(st, lang, 4)
                wz.shot(shots / "04-changes-check-wrong-password.png", st)
                step = "次の手順" if lang == "ja" else "Next step"
                if step not in text_of(st, IDC_DIAG):
                    fail("the check's diagnosis has no next step", st)
                if ("何も変更していません" if lang == "ja" else "Nothing has been changed") \
                        not in text_of(st, IDC_STATUS):
                    fail("the page does not say nothing has changed", st)
                if "smtp.micnet.ne.jp" in p.reg_export(r"HKEY_CURRENT_USER\Identities"):
                    fail("the registry changed before the change was confirmed", st)
            else:
                ok = "パスワードを確認しました" if lang == "ja" else "accepted your password"
                st = wait_text(wz, 4, IDC_STATUS, ok)
                check_page(st, lang, 4)
                wz.shot(shots / "04-changes.png", st)
            plan = text_of(st, IDC_DIAG)
            if "587" not in plan or "smtp.micnet.ne.jp" not in plan:
                fail("changes page does not show port 587 and the new server", st)
            # With a failed check, Next still changes (the way to change anyway).
            wz.press("next")

            st = go(wz, shots, lang, 5, "apply")
            if "mailsetup" not in text_of(st, IDC_BACKUP):
                fail("applying page does not show the backup folder", st)
            wz.press("next")

            if wrong_password:
                st = wz.wait(step=6, enabled="next", text=(IDC_DIAG, "S07"))
                check_page(st, lang, 6)
                wz.shot(shots / "06-test-send-wrong-password.png", st)
                if not guilib.control(st, IDC_TO_PASSWORD)["visible"]:
                    fail("no 'enter the password again' button after 535", st)
                wz.click(IDC_TO_PASSWORD)
                st = wz.wait(step=3, enabled="next")
                if not text_of(st, IDC_STATUS):
                    fail("password page does not say why it is back", st)
                wz.shot(shots / "03-password-again.png", st)
                enter_passwords(wz, st, guilib.PASSWORD)
                wz.press("next")

            st = go(wz, shots, lang, 6, "test-send")
            results = rows(st)
            if len(results) != 2 or not all(r[2] in ("送信できました", "Sent") for r in results):
                fail(f"test send results {results}", st)
            wz.press("next")

            st = go(wz, shots, lang, 7, "finish", enabled="finish")
            code = text_of(st, IDC_CODE)
            if code != "2P-2A-2C-2T-OK":
                fail(f"support code {code!r}", st)
            # The settings are changed: Cancel would undo nothing, so it is
            # off; [元に戻す] is the way back.
            if st["buttons"]["cancel"]["enabled"]:
                fail("Cancel is enabled on the finish page after the change", st)
            wz.press("finish")
            wz.proc.wait(20)
            if wz.proc.returncode != 0:
                fail(f"wizard exit code {wz.proc.returncode}")
        # Per account: the pre-flight log-on, then the test send(s).
        sessions = srv.wait_sessions(4 if not wrong_password else 6)
        if any(s["messages"] for s in sessions[:2]):
            fail(f"the pre-flight check sent a message: {sessions[:2]}")
        ok = [s for s in sessions if s["messages"]]
        users = sorted(a["user"] for s in ok for a in s["auth"] if a["success"])
        if users != ["hanako", "taro"]:
            fail(f"want test messages authenticated as hanako and taro, got {users}")
        if wrong_password:
            bad = [a for s in sessions for a in s["auth"] if not a["success"]]
            if len(bad) != 4:
                fail(f"want four refused AUTH attempts (check and send, twice), got {bad}")
        p.wait()
        check_applied(before, p.reg_export(IDENTITIES))
        prefs = guilib.thunderbird_prefs(p)
        if 'user_pref("mail.smtpserver.smtp1.port", 587);' not in prefs:
            fail("Thunderbird's SMTP port not 587:\n" + prefs)
        # The whole prefix (user.reg, system.reg, drive_c), in UTF-8,
        # UTF-16LE and AUTH base64; the test SMTP server's own record and
        # PKI are the test's, not the wizard's.
        secretscan.selfcheck(p)
        check_no_password(p, (guilib.PASSWORD, "wrong-pass"),
                          exclude=(p.root / "smtp.json", p.root / "pki"))
    print(f"OK: {lang}{' wrong password' if wrong_password else ''}; screenshots in {shots}")


def run_nothing(lang):
    shots = SHOTS / f"{lang}-nothing-found"
    with winebench.Prefix(lang="ja_JP.UTF-8" if lang == "ja" else None) as p:
        with guilib.Wizard(p, "--lang", lang) as wz:
            go(wz, shots, lang, 1, "welcome")
            wz.press("next")
            st = go(wz, shots, lang, 2, "nothing-found", enabled="finish")
            want = "設定の変更は必要ありません" if lang == "ja" else "No change is needed"
            if want not in text_of(st, IDC_STATUS):
                fail("nothing-found page does not say no change is needed", st)
            if st["buttons"]["next"]["enabled"] and st["buttons"]["next"]["visible"]:
                fail("Next should not lead on when nothing is to be done", st)
            wz.press("finish")
            wz.proc.wait(20)
    print(f"OK: nothing found ({lang})")


def run_running(lang):
    shots = SHOTS / f"{lang}-running"
    with winebench.Prefix(lang="ja_JP.UTF-8" if lang == "ja" else None) as p:
        guilib.seed_micnet(p, thunderbird=False)
        with p.dummy_process("msimn.exe"):
            with guilib.Wizard(p, "--lang", lang) as wz:
                go(wz, shots, lang, 1, "welcome")
                wz.press("next")
                st = wz.wait(step=2, text=(IDC_STATUS, "Outlook Express"))
                check_page(st, lang, 2)
                wz.shot(shots / "02-program-running.png", st)
                want = "終了してから" if lang == "ja" else "close it"
                if want not in text_of(st, IDC_STATUS):
                    fail("running program not asked to be closed", st)
                if st["buttons"]["next"]["enabled"]:
                    fail("Next enabled while Outlook Express runs", st)
                wz.drive("close")
                wz.proc.wait(20)
    print(f"OK: running program ({lang})")


def run_eudora(lang):
    """Eudora beside Outlook Express: listed as 'set by hand', the
    step count includes the manual page, and the OE account is offered."""
    shots = SHOTS / f"{lang}-eudora"
    with winebench.Prefix(lang="ja_JP.UTF-8" if lang == "ja" else None) as p:
        guilib.seed_micnet(p, thunderbird=False)
        with tempfile.TemporaryDirectory() as tmp:
            reg = Path(tmp) / "eudora.reg"
            reg.write_text("REGEDIT4\r\n\r\n[HKEY_CURRENT_USER\\Software\\Qualcomm\\Eudora]\r\n"
                           '"CommandLine"="C:\\\\Eudora\\\\Eudora.exe"\r\n\r\n', encoding="ascii")
            p.reg_import(reg)
        with guilib.Wizard(p, "--lang", lang) as wz:
            wz.wait(step=1, enabled="next")
            wz.press("next")
            st = wz.wait(step=2, enabled="next")
            check_page(st, lang, 2, total=8)
            wz.shot(shots / "02-programs-eudora.png", st)
            eudora = [r for r in rows(st) if r and r[0] == "Eudora"]
            want = "手で設定" if lang == "ja" else "Set by hand"
            if len(eudora) != 1 or eudora[0][-1] != want:
                fail(f"Eudora row {eudora}", st)
            if not any("micnet.ne.jp" in " ".join(r) for r in rows(st)):
                fail("the Outlook Express account is not offered", st)
            wz.drive("close")
            wz.proc.wait(20)
    print(f"OK: Eudora for manual steps ({lang})")


def run_byhand(lang):
    """Only the new Outlook on the PC: listed as 'set by hand', the page says
    the wizard cannot change it (never 'no change is needed'), Next shows
    its built-in steps with MicNet's server and port, and the finish page's
    support code ends in F32."""
    shots = SHOTS / f"{lang}-byhand"
    with winebench.Prefix(lang="ja_JP.UTF-8" if lang == "ja" else None) as p:
        (p.path("local_appdata") / "Packages" / "Microsoft.OutlookForWindows_8wekyb3d8bbwe"
         / "LocalState").mkdir(parents=True)
        with guilib.Wizard(p, "--lang", lang) as wz:
            wz.wait(step=1, enabled="next")
            wz.press("next")
            st = wz.wait(step=2, enabled="next")
            check_page(st, lang, 2, total=8)
            wz.shot(shots / "02-programs-byhand.png", st)
            want = "手で設定" if lang == "ja" else "Set by hand"
            if [r for r in rows(st) if r] != [["Outlook (new)", "", want]]:
                fail(f"rows {rows(st)}", st)
            status = text_of(st, IDC_STATUS)
            nothing = "設定の変更は必要ありません" if lang == "ja" else "No change is needed"
            cannot = "ウィザードでは設定を変更できません" if lang == "ja" else "cannot change"
            if nothing in status or cannot not in status:
                fail(f"status {status!r}", st)
            wz.press("next")
            st = wz.wait(step=2, enabled="next", text=(IDC_DIAG, "smtp.micnet.ne.jp"))
            wz.shot(shots / "02-manual-outlook-new.png", st)
            diag = text_of(st, IDC_DIAG)
            port = "SMTP ポートを 587" if lang == "ja" else "SMTP port to 587"
            if port not in diag or not diag.startswith("1. "):
                fail(f"steps {diag!r}", st)
            if guilib.clipped_controls(st):
                fail(f"controls {guilib.clipped_controls(st)} stick out of the page", st)
            wz.press("next")
            st = wz.wait(step=8, enabled="finish")
            wz.shot(shots / "08-finish-byhand.png", st)
            if not text_of(st, IDC_CODE).endswith("-F32"):
                fail(f"support code {text_of(st, IDC_CODE)!r}", st)
            wz.press("finish")
            wz.proc.wait(20)
    print(f"OK: new Outlook set by hand ({lang})")


def run_check_closed(lang):
    """The new server's port does not answer (587 blocked, say in a hotel):
    the changes page says so with the diagnosis before anything changes;
    Next would still change (not pressed here)."""
    shots = SHOTS / f"{lang}-check-closed"
    with winebench.Prefix(lang="ja_JP.UTF-8" if lang == "ja" else None) as p:
        guilib.seed_micnet(p, thunderbird=False)
        before = p.reg_export(r"HKEY_CURRENT_USER\Identities")
        port = smtpd.closed_port()
        with guilib.Wizard(p, "--lang", lang, "--test-server", f"127.0.0.1:{port}") as wz:
            wz.wait(step=1, enabled="next")
            wz.press("next")
            wz.wait(step=2, enabled="next")
            wz.press("next")
            st = wz.wait(step=3, enabled="next")
            enter_passwords(wz, st, guilib.PASSWORD)
            wz.press("next")
            st = wz.wait(step=4, enabled="next", text=(IDC_DIAG, "S02"))
            check_page(st, lang, 4, total=7)
            wz.shot(shots / "04-changes-check-closed.png", st)
            port_words = "ポート" if lang == "ja" else "port"
            if port_words not in text_of(st, IDC_DIAG):
                fail("the diagnosis does not name the port", st)
            if p.reg_export(r"HKEY_CURRENT_USER\Identities") != before:
                fail("the registry changed before the change was confirmed", st)
            wz.drive("close")
            wz.proc.wait(20)
        p.wait()
        if p.reg_export(r"HKEY_CURRENT_USER\Identities") != before:
            fail("the registry changed")
    print(f"OK: pre-flight check with the port closed ({lang})")


def run_undo(lang):
    """apply (command line) changes MicNet's account as expected; the
    wizard's --undo page restores the export byte for byte."""
    shots = SHOTS / f"{lang}-undo"
    with winebench.Prefix(lang="ja_JP.UTF-8" if lang == "ja" else None) as p:
        guilib.seed_micnet(p, thunderbird=False)
        before = p.reg_export(IDENTITIES)
        r = p.run("--lang", lang, "apply", "--yes", timeout=120)
        if r.returncode != 0:
            fail(f"apply: {r.returncode} {r.stdout} {r.stderr}")
        check_applied(before, p.reg_export(IDENTITIES))
        with guilib.Wizard(p, "--lang", lang, "--undo") as wz:
            st = wz.wait(step=1, enabled="next")
            if "backup" not in text_of(st, IDC_BODY):
                fail("undo page does not name the backup", st)
            wz.shot(shots / "01-undo-confirm.png", st)
            wz.press("next")
            st = wz.wait(step=2, enabled="finish")
            wz.shot(shots / "02-undo-done.png", st)
            wz.press("finish")
            wz.proc.wait(20)
        p.wait()
        after = p.reg_export(IDENTITIES)
        if after != before:
            fail("undo did not restore the export byte for byte:\n  " +
                 "\n  ".join(sorted(reg_diff(before, after))))
    print(f"OK: undo ({lang})")


def run_by_hand(lang):
    """HotWeb with Outlook 2016, which cannot add an account safely: the
    programs page says so and ticks nothing, Next leads to the steps by
    hand with HotWeb's values (mail.hotweb.or.jp, 587), and nothing in the
    registry changes (issue 18)."""
    shots = SHOTS / f"{lang}-by-hand"
    with winebench.Prefix(lang="ja_JP.UTF-8" if lang == "ja" else None) as p:
        p.reg_import(winebench.SOURCE_DIR / "tests" / "data" / "outlook" / "outlook2016.reg")
        p.wait()
        before = p.reg_export(r"HKEY_CURRENT_USER\Software\Microsoft\Office")
        prof = p.winpath(winebench.SOURCE_DIR / "isp-profiles" / "hotweb.json")
        with guilib.Wizard(p, "--lang", lang, "--profile", prof) as wz:
            wz.wait(step=1, enabled="next")
            wz.press("next")
            st = wz.wait(step=2, enabled="next")
            wz.shot(shots / "02-programs-by-hand.png", st)
            all_rows = guilib.control(st, IDC_LIST)["rows"]
            hot = [i for i, r in enumerate(all_rows) if "hotweb" in " ".join(r["cells"])]
            short = "手で設定" if lang == "ja" else "Set by hand"
            if len(hot) != 1 or all_rows[hot[0]]["cells"][-1] != short or \
                    all_rows[hot[0]]["checked"]:
                fail(f"HotWeb row {all_rows}", st)
            # The row's whole sentence is in the box below once it is selected.
            wz.drive("selectrow", str(IDC_LIST), str(hot[0]))
            st = wz.wait(step=2, text=(IDC_STATUS, "tanaka@hotweb.or.jp"))
            want = "自動で追加できません" if lang == "ja" else "cannot add the account automatically"
            if want not in text_of(st, IDC_STATUS):
                fail("the selected HotWeb row's sentence is not below the list", st)
            want = "手順をご覧ください" if lang == "ja" else "see the steps"
            if want not in text_of(st, IDC_STATUS):
                fail("programs page does not lead to the steps by hand", st)
            wz.press("next")
            st = wz.wait(text=(IDC_DIAG, "mail.hotweb.or.jp"))
            wz.shot(shots / "08-steps-by-hand.png", st)
            steps = text_of(st, IDC_DIAG)
            want = "新しいアカウントを追加してください" if lang == "ja" else "add a new account"
            for part in (want, "mail.hotweb.or.jp", "587", "tanaka@hotweb.or.jp"):
                if part not in steps:
                    fail(f"steps by hand lack {part!r}", st)
            wz.drive("close")
            wz.proc.wait(20)
        # `scan` says the same before anything changes.
        r = p.run("--lang", lang, "--profile", prof, "scan", timeout=120)
        want = "新しいアカウントを追加してください" if lang == "ja" else "add a new account"
        if r.returncode != 0 or want not in r.stdout or "* " not in r.stdout or \
                "mail.hotweb.or.jp" not in r.stdout:
            fail(f"scan does not list the steps by hand: {r.returncode}\n{r.stdout}{r.stderr}")
        p.wait()
        if p.reg_export(r"HKEY_CURRENT_USER\Software\Microsoft\Office") != before:
            fail("the registry changed although every step is by hand")
    print(f"OK: steps by hand ({lang})")


def run_tls_kept(lang):
    """117net with Thunderbird: the IMAP account already sends over
    STARTTLS on 587 and 117net's profile says security none; the changes
    page says in one sentence that the encryption stays, and lists the
    incoming server and user name changes as automatic (issue 18)."""
    shots = SHOTS / f"{lang}-tls-kept"
    with winebench.Prefix(lang="ja_JP.UTF-8" if lang == "ja" else None) as p:
        shutil.copytree(winebench.SOURCE_DIR / "tests" / "data" / "mozilla" / "tb117" / "current" /
                        "Thunderbird", Path(p.path("appdata")) / "Thunderbird",
                        dirs_exist_ok=True)
        prof = p.winpath(winebench.SOURCE_DIR / "isp-profiles" / "117net.json")
        with guilib.Wizard(p, "--lang", lang, "--profile", prof) as wz:
            wz.wait(step=1, enabled="next")
            wz.press("next")
            st = wz.wait(step=2, enabled="next")
            checked = [r for r in guilib.control(st, IDC_LIST)["rows"] if r["checked"]]
            if len(checked) != 2:
                fail(f"want both 117net accounts ticked, got {rows(st)}", st)
            wz.press("next")
            st = wz.wait(step=3, enabled="next")
            enter_passwords(wz, st, "117-pass")
            wz.press("next")
            st = wz.wait(step=4, enabled="next")
            check_page(st, lang, 4)
            wz.shot(shots / "04-changes-tls-kept.png", st)
            plan = text_of(st, IDC_DIAG)
            want = ("暗号化の設定はそのままにします" if lang == "ja"
                    else "so the encryption stays as it is")
            if plan.count(want) != 1 or "STARTTLS" not in plan:
                fail("changes page does not say once why the encryption stays", st)
            for part in ("vpop.117.ne.jp", "taro@vp.117.ne.jp", "vsmtp.117.ne.jp"):
                if part not in plan:
                    fail(f"changes page lacks {part!r}", st)
            if "→ none" in plan or "→ なし" in plan:
                fail("changes page turns encryption off", st)
            wz.drive("close")
            wz.proc.wait(20)
    print(f"OK: encryption kept ({lang})")


def main(argv):
    if not argv:
        argv = ["ja"]
    if argv[0] in ("ja", "en"):
        run_full(argv[0])
    elif argv[0] == "wrongpw":
        run_full(argv[1], wrong_password=True)
    elif argv[0] == "nothing":
        run_nothing(argv[1])
    elif argv[0] == "running":
        run_running(argv[1])
    elif argv[0] == "undo":
        run_undo(argv[1])
    elif argv[0] == "eudora":
        run_eudora(argv[1])
    elif argv[0] == "byhand":
        run_byhand(argv[1])
    elif argv[0] == "checkclosed":
        run_check_closed(argv[1])
    elif argv[0] == "hotwebbyhand":
        run_by_hand(argv[1])
    elif argv[0] == "tlskept":
        run_tls_kept(argv[1])
    else:
        fail(f"unknown case {argv}")


if __name__ == "__main__":
    main(sys.argv[1:])
