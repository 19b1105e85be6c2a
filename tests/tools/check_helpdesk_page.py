"""Browser tests of the helpdesk page (tools/helpdesk/make_helpdesk.py ->
helpdesk.html) in Debian's chromium, driven by chromium-driver through
python3-selenium, run by ctest:

  check_helpdesk_page.py ISP_PROFILE_TOOL SOURCE_DIR WORK_DIR

The page is made from tests/data/helpdesk/example-isp.json. What an
operator checks:
  - every result code typed in a support code shows that code's card: the
    sentence of messages.def, and what to say / next step / escalation of
    tools/helpdesk/advice.tsv (both read here by this script, on its own);
  - the parts of a code are explained; full-width and lower-case input works;
  - the wizard's golden support reports (tests/data/support/report-*.txt,
    two accounts of the ISP) show both accounts and the S07 guidance;
  - garbage (tests/data/helpdesk/garbage.txt) and an unknown code give the
    plain message and no result, and no markup of the input is run;
  - keyboard only: the input has the focus, Tab reaches the language
    button and the search, Enter opens a code;
  - every code is found by the search;
  - the ISP's facts and manual steps (placeholders filled) are on the page;
  - the page makes no network request (Chrome's performance log: no
    Network.requestWillBeSent but the page's own file:// URL; no resource
    timing entries);
  - nothing is wider than a phone screen (390 px); screenshots at 390 and
    1280 px go to WORK_DIR for a person to look at.
"""
import json
import os
import re
import subprocess
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

TOOL, SRC, WORK = sys.argv[1], sys.argv[2], os.path.abspath(sys.argv[3])
DATA = os.path.join(SRC, "tests", "data")
failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print("FAIL:", msg)


# ---- the expected texts, read here from the source files themselves

def messages():
    """{code: (ja, en)} from messages.def: the helpdesk code and the two
    C string literals after it (adjacent literals joined)."""
    text = open(os.path.join(SRC, "wizard", "core", "messages.def"), encoding="utf-8").read()
    text = re.sub(r"^\s*/\*.*?\*/", "", text, flags=re.S | re.M)
    lit = r'"(?:[^"\\]|\\.)*"'
    out = {}
    for m in re.finditer(rf'MS_MSG\(\s*\w+\s*,\s*"([A-Z0-9]+)"\s*,\s*((?:{lit}\s*)+),\s*((?:{lit}\s*)+)\)', text):
        j = lambda s: "".join(p[1:-1] for p in re.findall(lit, s)).replace('\\"', '"').replace("\\\\", "\\")
        out[m.group(1)] = (j(m.group(2)), j(m.group(3)))
    return out


def advice():
    """{row code or range: [say_ja, say_en, next_ja, next_en, esc_ja, esc_en]}"""
    rows = {}
    for line in open(os.path.join(SRC, "tools", "helpdesk", "advice.tsv"), encoding="utf-8"):
        line = line.rstrip("\n")
        if not line or line.startswith("#") or line.startswith("code\t"):
            continue
        cells = line.split("\t")
        rows[cells[0]] = cells[1:]
    return rows


def advice_of(code, rows):
    if code in rows:
        return rows[code]
    for k, v in rows.items():
        if "-" in k:
            a, b = k.split("-")
            if a[0] == code[0] and a[:-2] == code[:-2] and int(a[-2:]) <= int(code[-2:]) <= int(b[-2:]):
                return v
    raise AssertionError("no advice row for " + code)


MSG = messages()
ADV = advice()


# ---- the page

os.makedirs(WORK, exist_ok=True)
page = os.path.join(WORK, "helpdesk.html")
r = subprocess.run(["/usr/bin/python3", os.path.join(SRC, "tools", "helpdesk", "make_helpdesk.py"),
                    os.path.join(DATA, "helpdesk", "example-isp.json"), "--isp-profile", TOOL, "-o", page],
                   capture_output=True, text=True)
if r.returncode:
    sys.exit("make_helpdesk failed: " + r.stderr)
url = "file://" + page

opts = Options()
opts.binary_location = "/usr/bin/chromium"
for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
          "--no-first-run", "--disable-background-networking", "--disable-component-update",
          "--disable-sync", "--disable-default-apps", "--lang=ja"):
    opts.add_argument(a)
opts.set_capability("goog:loggingPrefs", {"performance": "ALL"})
drv = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
drv.set_window_size(1280, 900)


def q(css):
    return drv.find_elements(By.CSS_SELECTOR, css)


def type_in(text):
    box = drv.find_element(By.ID, "input")
    drv.execute_script("arguments[0].value = ''; arguments[0].dispatchEvent(new Event('input'));", box)
    box.send_keys(text)


def paste(text):
    """As a paste: the whole text at once, then the input event."""
    box = drv.find_element(By.ID, "input")
    drv.execute_script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));",
                       box, text)


def card_texts(card):
    """{dt: dd} of a code card."""
    return drv.execute_script(
        "var o = {}, dt = arguments[0].querySelectorAll('dl.guide dt');"
        "dt.forEach(function (e) { o[e.textContent] = e.nextElementSibling.textContent; });"
        "return o;", card)


try:
    drv.get(url)
    time.sleep(0.2)
    check(drv.switch_to.active_element.get_attribute("id") == "input", "the input does not have the focus")

    # -- every result code in a support code
    checked = 0
    for code, (ja, en) in MSG.items():
        type_in(f"2P-2A-1C-1T-{code}")
        cards = q(f"#result .card[data-code='{code}']")
        if not cards:
            check(False, f"{code}: no card for the code")
            continue
        t = card_texts(cards[0])
        saw = t.get("お客さまの画面の文", "")
        check(saw == ja.replace("%s", "…", 1), f"{code}: sentence {saw!r} != messages.def {ja!r}")
        a = advice_of(code, ADV)
        check(t.get("お伝えすること") == a[0] and t.get("次にすること") == a[2]
              and t.get("エスカレーションするとき") == a[4], f"{code}: guidance {t}")
        check(not drv.find_element(By.ID, "message").text, f"{code}: a message was shown")
        checked += 1
    print(f"ok: {checked} result codes decoded with their guidance")

    # -- the parts of a code, typed as an IME gives them
    type_in("２ｐ－２ａ－１ｃ－０ｔ－ｓ０７")
    parts = [d.text for d in q("#decoded dl.parts dd")]
    check(parts[:4] == ["このプロバイダーのアカウントがあったメールソフトの数: 2",
                        "このプロバイダーのアカウントの数: 2", "変更して確認まで済んだアカウントの数: 1",
                        "テストメールを送信できたアカウントの数: 0"], f"parts: {parts}")
    body = drv.find_element(By.ID, "decoded").text
    check("1 件のアカウントは変更していない" in body and "2 件のアカウントはテストメールを" in body, f"summary: {body}")
    check(q("#result .card[data-code='S07']"), "full-width: no S07 card")
    type_in("0P-0A-0C-0T-OK")
    check("見つかりませんでした" in drv.find_element(By.ID, "decoded").text, "0 accounts: no summary")
    type_in("1P-1A-3C-0T-OK")
    check("数字の組み合わせが合いません" in drv.find_element(By.ID, "decoded").text, "3C of 1A: no warning")
    type_in("s07")
    check(q("#result .card[data-code='S07']"), "a bare code: no card")

    # -- the wizard's own support reports: two accounts of the ISP
    for name, lang_words in (("report-ja.txt", ("結果", "お客さまの画面の文")),
                             ("report-en.txt", ("Result", "お客さまの画面の文"))):
        paste(open(os.path.join(DATA, "support", name), encoding="utf-8").read())
        accts = q("#result .card.account")
        emails = [c.get_attribute("data-email") for c in accts]
        check(emails == ["taro@micnet.ne.jp", "t-yamada@example.co.jp", "hanako@micnet.ne.jp"],
              f"{name}: accounts {emails}")
        progs = [p.get_attribute("data-program") for p in q("#result .card.program")]
        check(progs == ["oe", "thunderbird"], f"{name}: programs {progs}")
        if len(accts) == 3:
            check("変更して、確認まで済みました" in accts[0].text and "送信できました" in accts[0].text,
                  f"{name}: taro {accts[0].text}")
            check("S07" in accts[2].text and "変更して、確認まで済みました" in accts[2].text,
                  f"{name}: hanako {accts[2].text}")
            check("このプロバイダーのアカウントではありません" in accts[1].text, f"{name}: office {accts[1].text}")
        s07 = q("#result #card-S07")
        check(s07 and card_texts(s07[0]).get("お客さまの画面の文") == MSG["S07"][0].replace("%s", "535"),
              f"{name}: S07 card with the server's reply 535")
        check("2P-2A-2C-1T-S07" in drv.find_element(By.ID, "decoded").text, f"{name}: code not decoded")
        check(not drv.find_element(By.ID, "message").text, f"{name}: a message was shown")
    print("ok: support reports (ja, en) shown per account")

    # -- garbage: the plain message, no result, nothing of it run
    for bad in (open(os.path.join(DATA, "helpdesk", "garbage.txt"), encoding="utf-8").read(),
                "hello world", "2P-2A-1C-0T", "2P-2A-1C-0T-X99", "<img src=x onerror=alert(1)>"):
        paste(bad)
        msg = drv.find_element(By.ID, "message").text
        check(msg and ("読み取れませんでした" in msg or "一覧にありません" in msg), f"{bad[:20]!r}: message {msg!r}")
        check(not q("#result *"), f"{bad[:20]!r}: a result was shown")
        check(drv.title != "injected", f"{bad[:20]!r}: markup of the input ran")
    print("ok: invalid input gives the plain message")

    # -- keyboard only: Tab to the language button? (it comes before the input)
    type_in("2P-2A-2C-1T-S07")
    drv.find_element(By.ID, "input").send_keys(Keys.SHIFT, Keys.TAB)
    # back through the nav links to the language button
    for _ in range(10):
        if drv.switch_to.active_element.get_attribute("id") == "lang":
            break
        drv.switch_to.active_element.send_keys(Keys.SHIFT, Keys.TAB)
    check(drv.switch_to.active_element.get_attribute("id") == "lang", "Shift+Tab never reached the language button")
    drv.switch_to.active_element.send_keys(Keys.ENTER)
    check(drv.execute_script("return document.documentElement.lang") == "en", "Enter on the button: not English")
    t = card_texts(q("#result .card[data-code='S07']")[0])
    check(t.get("The sentence on the caller's screen") == MSG["S07"][1].replace("%s", "…")
          and t.get("What to say") == advice_of("S07", ADV)[1], f"English card: {t}")
    check(drv.find_element(By.CSS_SELECTOR, "#isp .en-only").is_displayed()
          and not drv.find_element(By.CSS_SELECTOR, "#isp .ja-only").is_displayed(), "English facts not shown")
    drv.switch_to.active_element.send_keys(Keys.ENTER)
    check(drv.execute_script("return document.documentElement.lang") == "ja", "back to Japanese")
    # Tab from the input reaches the search; typing filters; Enter opens
    type_in("")  # nothing decoded: the next stop after the input is the search
    drv.find_element(By.ID, "input").click()
    drv.switch_to.active_element.send_keys(Keys.TAB)
    check(drv.switch_to.active_element.get_attribute("id") == "search", "Tab from the input: not the search")
    drv.switch_to.active_element.send_keys("パスワード")
    found = [d.get_attribute("id") for d in q("#list details")]
    check("code-S07" in found and "code-S24" in found and "code-P01" not in found, f"search パスワード: {found}")
    drv.switch_to.active_element.send_keys(Keys.TAB, Keys.ENTER)
    check(q("#list details[open]"), "Enter on a code did not open it")
    print("ok: keyboard only")

    # -- every code is found by the search
    box = drv.find_element(By.ID, "search")
    missing = []
    for code in MSG:
        drv.execute_script("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));",
                           box, code.lower())
        if not q(f"#list details#code-{code}"):
            missing.append(code)
    check(not missing, f"not found by the search: {missing}")
    drv.execute_script("arguments[0].value = ''; arguments[0].dispatchEvent(new Event('input'));", box)
    check(len(q("#list details")) == len(MSG), "the empty search does not list every code")
    print(f"ok: all {len(MSG)} codes searchable")

    # -- the ISP's facts and steps
    prof = json.load(open(os.path.join(DATA, "helpdesk", "example-isp.json"), encoding="utf-8"))
    isp = drv.find_element(By.ID, "isp").text
    for fact in (prof["support"]["phone"], prof["support"]["hours"]["ja"], prof["support"]["web"],
                 "mail.example-hd.ne.jp → smtp.example-hd.ne.jp", "587", "STARTTLS", "pop.example-hd.ne.jp",
                 "995", "2009-02-01", "2008-12-01", "2009-01-31", "smtp.example-hd.ne.jp、ポートを 587 番"):
        check(fact in isp, f"fact {fact!r} not on the page")
    man = drv.find_element(By.ID, "manuals")
    for d in man.find_elements(By.CSS_SELECTOR, ".ja-only details summary"):
        d.click()
    mt = man.text
    check("PostPet Ver.3" in mt and "Mac OS X Mail <2.x>" in mt, f"manual titles: {mt[:200]}")
    check("「SMTP ポート番号」を『587』に、SMTP サーバーを『smtp.example-hd.ne.jp』に変更します。" in mt,
          "manual step with its placeholders filled")
    check("{" not in isp + mt, "a placeholder left on the page")
    check(drv.title.startswith("例ネット <&>"), f"title {drv.title!r}")
    print("ok: the ISP's facts and manual steps")

    # -- phone and desk: no horizontal scrolling; screenshots to look at
    paste(open(os.path.join(DATA, "support", "report-ja.txt"), encoding="utf-8").read())
    for w, h in ((390, 844), (1280, 900)):
        drv.set_window_size(w, h)
        drv.execute_script("window.scrollTo(0, 0)")
        time.sleep(0.2)
        sw = drv.execute_script("return document.documentElement.scrollWidth")
        iw = drv.execute_script("return window.innerWidth")
        check(sw <= iw, f"{w}px: the page is {sw}px wide")
        drv.save_screenshot(os.path.join(WORK, f"helpdesk-{w}.png"))
    print(f"ok: no horizontal scrolling at 390 and 1280 px (screenshots in {WORK})")

    # -- no network: every request the browser made since the start
    reqs = []
    for entry in drv.get_log("performance"):
        m = json.loads(entry["message"])["message"]
        if m.get("method", "").startswith("Network.") and "request" in m.get("params", {}):
            reqs.append(m["params"]["request"]["url"])
        if m.get("method") in ("Network.webSocketCreated", "Network.eventSourceMessageReceived"):
            reqs.append(m["method"])
    others = [u for u in reqs if u != url]
    check(reqs and not others, f"network requests besides the page: {others} (all: {len(reqs)})")
    res = drv.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    check(res == [], f"resource timing entries: {res}")
    print(f"ok: no network request ({len(reqs)} request(s), all the page itself)")
finally:
    drv.quit()

if failures:
    sys.exit("%d check(s) failed" % len(failures))
print("ok")
