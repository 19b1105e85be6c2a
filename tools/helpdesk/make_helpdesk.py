#!/usr/bin/python3
"""make_helpdesk: writes an ISP's helpdesk page, one self-contained HTML file
(no network, no external script, style or font), for the operators who take
the subscribers' calls (docs/helpdesk.md, "ヘルプデスク用ページ").

    make_helpdesk.py PROFILE.json --isp-profile TOOL -o helpdesk.html
    make_helpdesk.py --check      every code of messages.def has its guidance
                                  in tools/helpdesk/advice.tsv (ctest helpdesk_advice)

The page holds every helpdesk code (wizard/core/messages.def: the sentence
the subscriber saw, in Japanese and English; diagnose.def: the next step the
wizard showed) with the operator's guidance (advice.tsv: what to say, the
next step, when to escalate), the ISP's facts from the profile, and the
profile's manual steps per program with their placeholders filled in by
`isp-profile render-manual` (the C code the wizard uses). The decoding of a
support code or a pasted support report runs in the page (page.js).
scripts/build-isp writes it as dist/<id>/helpdesk.html. Debian's
/usr/bin/python3, standard library only."""
import argparse
import html
import json
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import helpdesk_data  # noqa: E402

ROOT = helpdesk_data.ROOT
# The mail programs' display names: resources/strings_*.rc, IDS_PROG_BASE + n
# in the order of ms_program (wizard/core/account.h); the ids are the
# back-ends' (ms_backend.id), as the support report names them.
PROGRAM_IDS = ["oe", "winmail", "wlmail", "outlook", "outlook2013", "thunderbird", "netscape",
               "becky", "postpet", "eudora"]


def program_names():
    names = {}
    for lang in ("ja", "en"):
        text = (ROOT / "resources" / f"strings_{lang}.rc").read_text(encoding="utf-8")
        for m in re.finditer(r'IDS_PROG_BASE \+ (\d+) "([^"]*)"', text):
            i = int(m.group(1))
            if i < len(PROGRAM_IDS):
                names.setdefault(PROGRAM_IDS[i], {})[lang] = m.group(2)
    return names


def code_table():
    advice = helpdesk_data.load_advice()
    steps = helpdesk_data.parse_diagnose()
    out = []
    for name, code, ja, en in helpdesk_data.parse_messages():
        a = helpdesk_data.advice_for(code, advice)
        if a is None:
            raise SystemExit(f"make_helpdesk: {code} has no guidance in tools/helpdesk/advice.tsv")
        step = steps.get(name, ("", ""))
        out.append({"code": code, "ja": ja, "en": en, "step_ja": step[0], "step_en": step[1], **a})
    return out


def esc(s):
    return html.escape(str(s), quote=True)


SEC = {"none": ("なし", "None"), "starttls": ("STARTTLS", "STARTTLS"), "ssl": ("SSL/TLS", "SSL/TLS")}
AUTH = {"same_as_incoming": ("SMTP 認証（受信メールサーバーと同じ設定を使用する）",
                             "SMTP AUTH, same settings as the incoming server"),
        "own": ("SMTP 認証（送信用のユーザー名とパスワード）", "SMTP AUTH with its own user name and password")}
USER = {"unchanged": ("変更しない（今のアカウント名のまま）", "unchanged (the account name stays)"),
        "email_address": ("メールアドレス全体", "the whole e-mail address")}
DATES = [("op25b_start", "25 番ポートの遮断 (OP25B) 開始日", "OP25B (port 25 blocked) from"),
         ("migration_start", "設定変更の期間（開始）", "Change period starts"),
         ("migration_end", "設定変更の期間（終了）", "Change period ends"),
         ("old_incoming_until", "旧受信サーバーの利用期限", "Old incoming server until"),
         ("old_outgoing_until", "旧送信サーバーの利用期限", "Old outgoing server until"),
         ("pop_before_smtp_end", "POP before SMTP の終了日", "POP before SMTP ends")]


def servers(section, listed):
    """The server lines of one direction: host, renames, or the ISP's list."""
    if section.get("host"):
        return [esc(section["host"])]
    if section.get("host_map"):
        return [f"{esc(m['from'])} → <strong>{esc(m['to'])}</strong>" for m in section["host_map"]]
    return [esc(h) for h in listed]


def facts(prof, lang):
    """The ISP's facts as a table (lang 0 ja, 1 en), every value escaped."""
    ja = lang == 0
    rows = []

    def row(th_ja, th_en, value):
        rows.append(f"<tr><th scope=\"row\">{esc(th_ja if ja else th_en)}</th><td>{value}</td></tr>")

    none = "（プロファイルに記載なし）" if ja else "(not in the profile)"
    sup = prof.get("support") or {}
    hours = (sup.get("hours") or {}).get("ja" if ja else "en") or (sup.get("hours") or {}).get("ja")
    row("お問い合わせ電話番号", "Support phone",
        esc(sup["phone"]) + (f"（{esc(hours)}）" if hours else "") if sup.get("phone") else none)
    row("サポートのホームページ", "Support web page", esc(sup["web"]) if sup.get("web") else none)
    acc = prof.get("accounts") or {}
    out = prof["outgoing"]
    row("送信メールサーバー (SMTP)", "Outgoing server (SMTP)",
        "<br>".join(servers(out, acc.get("outgoing_hosts", []))) or none)
    row("送信ポート番号", "Outgoing port", esc(out["port"]))
    row("送信の接続の保護", "Outgoing connection security", esc(SEC[out["security"]][lang]))
    row("送信時の認証", "Outgoing authentication", esc(AUTH[out["auth"]][lang]))
    if "keep_pop_before_smtp" in out:
        keep = (("オフにする", "turned off"), ("残す", "kept"))[bool(out["keep_pop_before_smtp"])]
        row("POP before SMTP", "POP before SMTP", esc(keep[lang]))
    for alt in out.get("alternatives", []):
        label = (alt.get("label") or {}).get("ja" if ja else "en") or alt["host"]
        paid = ("（有料オプション）" if ja else " (paid option)") if alt.get("paid") else ""
        row("別の送信サーバー", "Other outgoing server",
            f"{esc(label)}{paid}: {esc(alt['host'])}" + (f", {esc(alt['port'])}" if alt.get("port") else ""))
    inc = prof.get("incoming") or {}
    proto = inc.get("protocol", "pop3").upper()
    row(f"受信メールサーバー ({proto})", f"Incoming server ({proto})",
        "<br>".join(servers(inc, acc.get("incoming_hosts", []))) or
        ("（お客さまの今の設定のまま）" if ja else "(the subscriber's own, unchanged)"))
    row("受信ポート番号", "Incoming port",
        esc(inc["port"]) if inc.get("port") else ("変更しない" if ja else "unchanged"))
    row("受信の接続の保護", "Incoming connection security",
        esc(SEC[inc["security"]][lang]) if inc.get("security") else ("変更しない" if ja else "unchanged"))
    row("アカウント名（ユーザー名）", "Account (user) name", esc(USER[inc.get("user_name", "unchanged")][lang]))
    if acc.get("domains"):
        row("メールアドレスのドメイン", "E-mail domains", esc(", ".join(acc["domains"])))
    dates = prof.get("dates") or {}
    for key, lja, len_ in DATES:
        if dates.get(key):
            row(lja, len_, esc(dates[key]))
    return "<table class=\"facts\">\n" + "\n".join(rows) + "\n</table>"


def render_manual(tool, profile, lang):
    """(explanation HTML, [(program, title HTML, steps HTML)]) from
    `isp-profile render-manual`, whose output is escaped by the tool."""
    r = subprocess.run([tool, "--lang", lang, "render-manual", str(profile)], capture_output=True)
    if r.returncode == 1 and b"[P49]" in r.stderr:
        return "", []  # the profile has no manual steps
    if r.returncode != 0:
        raise SystemExit("make_helpdesk: isp-profile render-manual failed: "
                         + r.stderr.decode("utf-8", "replace"))
    page = r.stdout.decode("utf-8")
    m = re.search(r"</h1>\n(<p[^>]*>.*?</p>)\n<table", page, re.S)
    expl = m.group(1) if m else ""
    manuals = []
    for s in re.finditer(r'<section class="manual" id="([a-z0-9_]+)">\n<h2[^>]*>(.*?)</h2>\n<ol>\n(.*?)</ol>\n</section>',
                         page, re.S):
        manuals.append((s.group(1), s.group(2), s.group(3)))
    return expl, manuals


def manuals_html(manuals, lang):
    out = []
    for prog, title, steps in manuals:
        out.append(f'<details class="manual" id="manual-{lang}-{prog}"><summary>{title}</summary>\n'
                   f"<ol>\n{steps}</ol>\n</details>")
    if not out:
        out.append("<p>" + ("このプロファイルには手動の手順がありません。" if lang == "ja"
                            else "This profile has no manual steps.") + "</p>")
    return "\n".join(out)


def script_json(obj):
    """JSON that is safe inside <script>: no "</", no U+2028/9 surprises."""
    s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def build(profile_path, tool):
    prof = json.loads(Path(profile_path).read_text(encoding="utf-8"))
    name = prof["name"]
    data = {
        "isp": {"id": prof["id"], "ja": name["ja"], "en": name.get("en") or name["ja"]},
        "codes": code_table(),
        "programs": program_names(),
    }
    parts = {}
    for lang in ("ja", "en"):
        expl, manuals = render_manual(tool, profile_path, lang)
        parts[lang] = (expl, manuals_html(manuals, lang), facts(prof, 0 if lang == "ja" else 1))
        for prog, _, _ in manuals:
            data["programs"].setdefault(prog, {})
    page = (HERE / "page.html").read_text(encoding="utf-8")
    subst = {
        "@ISP_JA@": esc(name["ja"]),
        "@ISP_EN@": esc(name.get("en") or name["ja"]),
        "@STYLE@": (HERE / "page.css").read_text(encoding="utf-8"),
        "@SCRIPT@": (HERE / "page.js").read_text(encoding="utf-8").replace("</", "<\\/"),
        "@DATA@": script_json(data),
        "@EXPLANATION_JA@": parts["ja"][0],
        "@EXPLANATION_EN@": parts["en"][0],
        "@FACTS_JA@": parts["ja"][2],
        "@FACTS_EN@": parts["en"][2],
        "@MANUALS_JA@": parts["ja"][1],
        "@MANUALS_EN@": parts["en"][1],
    }
    for k, v in subst.items():
        if k not in page:
            raise SystemExit(f"make_helpdesk: page.html has no {k}")
        page = page.replace(k, v)
    return page


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("profile", nargs="?")
    ap.add_argument("--isp-profile", help="the isp-profile tool (tools/isp-profile)")
    ap.add_argument("-o", "--output")
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args(argv)
    if a.check:
        problems = helpdesk_data.check_advice()
        for p in problems:
            print("helpdesk advice:", p)
        if problems:
            return 1
        print(f"tools/helpdesk/advice.tsv: all {len(helpdesk_data.parse_messages())} codes "
              "have what to say, the next step and when to escalate, in Japanese and English")
        return 0
    if not a.profile or not a.isp_profile or not a.output:
        ap.error("PROFILE, --isp-profile and -o are required")
    page = build(a.profile, a.isp_profile)
    out = Path(a.output)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
