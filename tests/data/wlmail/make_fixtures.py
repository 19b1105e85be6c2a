#!/usr/bin/python3
"""Writes the Windows Mail / Windows Live Mail fixtures of tests/data/wlmail.

The files are committed; this script documents how they were made and
remakes them (`/usr/bin/python3 tests/data/wlmail/make_fixtures.py`). Where
each fact about the format comes from: SOURCES.md beside it.

    store/                  a Windows Live Mail store root (POP3 accounts in
                            "Local Folders", an IMAP account and a news
                            account in folders of their own)
    wlmail-store.reg        HKCU\\Software\\Microsoft\\Windows Live Mail with
                            "Store Root" (REG_EXPAND_SZ, %LOCALAPPDATA%) and
                            "Default Mail Account"
    winmail-store.reg       the same for Windows Mail (Vista)
    extra/hotweb.oeaccount  a hotweb account (tests copy it into the store)
    expected/*.oeaccount    the bytes an apply with the named ISP profile
                            must produce (the edit model below, written
                            independently of the C code)
    broken/*.oeaccount      damaged files; broken/EXPECTED.tsv lists the
                            error code and a phrase each must be refused with
"""

import os
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Fake DPAPI blobs: the real value is a CryptProtectData blob as hex digit
# pairs (01000000d08c9ddf0115d1118c7a00c04fc297eb... is the DPAPI header);
# the rest here is filler, not a password of anyone.
FAKE_BLOB = ("01000000d08c9ddf0115d1118c7a00c04fc297eb01000000" +
             "5a" * 40 + "0000")


class Doc:
    """An .oeaccount document: (name, type, text) properties."""

    def __init__(self, props, enc="utf-16le-bom", nl="\r\n", indent="\t",
                 decl='<?xml version="1.0" encoding="utf-16"?>', final_nl=True):
        self.props = list(props)
        self.enc, self.nl, self.indent, self.decl = enc, nl, indent, decl
        self.final_nl = final_nl

    def text(self):
        lines = []
        if self.decl:
            lines.append(self.decl)
        lines.append("<MessageAccount>")
        for name, typ, val in self.props:
            lines.append(f'{self.indent}<{name} type="{typ}">{val}</{name}>')
        lines.append("</MessageAccount>")
        return self.nl.join(lines) + (self.nl if self.final_nl else "")

    def bytes(self):
        t = self.text()
        if self.enc == "utf-16le-bom":
            return b"\xff\xfe" + t.encode("utf-16-le")
        if self.enc == "utf-8-bom":
            return b"\xef\xbb\xbf" + t.encode("utf-8")
        if self.enc == "utf-8":
            return t.encode("utf-8")
        raise ValueError(self.enc)

    # The edit model the back-end promises (oeaccount.h): an existing
    # property keeps its place and only its text changes; a new one goes on
    # a line of its own after the last property of its group (the name up to
    # its first '_'), indented like it.
    def set(self, name, typ, val):
        for i, (n, t, _) in enumerate(self.props):
            if n.lower() == name.lower():
                self.props[i] = (n, t, val)
                return self
        group = name[: name.index("_") + 1].lower()
        at = len(self.props)
        for i, (n, _, _) in enumerate(self.props):
            if n.lower().startswith(group):
                at = i + 1
        self.props.insert(at, (name, typ, val))
        return self

    def copy(self):
        d = Doc(self.props, self.enc, self.nl, self.indent, self.decl, self.final_nl)
        return d


def pop3(name, server, user, email, display, smtp, extra_smtp=(), extra=()):
    props = [
        ("Account_Name", "SZ", name),
        ("Connection_Type", "DWORD", "00000003"),
        ("POP3_Server", "SZ", server),
        ("POP3_User_Name", "SZ", user),
        ("POP3_Password2", "BINARY", FAKE_BLOB),
        ("POP3_Prompt_for_Password", "DWORD", "00000000"),
        ("Leave_Mail_On_Server", "DWORD", "00000001"),
        ("SMTP_Server", "SZ", smtp),
        ("SMTP_Display_Name", "SZ", display),
        ("SMTP_Email_Address", "SZ", email),
    ]
    props[8:8] = list(extra_smtp)
    props.extend(extra)
    return props


# ---- the store
GUID_117 = "{6F1C2B8E-3A4D-4E5F-8A9B-117000000001}"
GUID_MIC = "{0B7E4C21-9D3A-4F6B-A1C2-3D4E5F600002}"
GUID_OTHER = "{A3D5E7F9-1B2C-4D3E-9F8A-7B6C5D4E0003}"
GUID_JN = "{C4E6A8B0-2D3F-4A5B-8C7D-9E0F1A2B0004}"
GUID_IMAP = "{E1F2A3B4-C5D6-4E7F-8091-A2B3C4D50005}"
GUID_NEWS = "{F0E1D2C3-B4A5-4968-8776-655443320006}"

ACCOUNTS = {
    # 117net: the manual's case. Port 25 and "no authentication" are the
    # defaults, so (as the programs write only what differs from the
    # default) SMTP_Port and SMTP_Use_Sicily are absent.
    "117net": ("Local Folders", GUID_117, Doc(pop3(
        "vp.117.ne.jp (山田)", "vp.117.ne.jp", "taro", "taro@vp.117.ne.jp",
        "山田 太郎", "vs.117.ne.jp"))),
    # micnet: port 25 and no authentication written out, as eight hex
    # digits; the old server name that the profile maps.
    "micnet": ("Local Folders", GUID_MIC, Doc(pop3(
        "micnet メール", "pop.micnet.ne.jp", "hanako", "hanako@micnet.ne.jp",
        "鈴木 花子", "mail.micnet.ne.jp",
        extra_smtp=[("SMTP_Port", "DWORD", "00000019"),
                    ("SMTP_Use_Sicily", "DWORD", "00000000"),
                    ("SMTP_Secure_Connection", "DWORD", "00000000")]))),
    # Another ISP's account: must stay untouched, byte for byte.
    "other": ("Local Folders", GUID_OTHER, Doc(pop3(
        "会社のメール", "pop.example-isp.co.jp", "k-sato", "k-sato@example-isp.co.jp",
        "佐藤 健", "smtp.example-isp.co.jp",
        extra_smtp=[("SMTP_Port", "DWORD", "0000024b"),
                    ("SMTP_Use_Sicily", "DWORD", "00000002")]))),
    # japan-net, written by hand in UTF-8 without a BOM (Microsoft's
    # pre-configured file scenario: an administrator's file), LF line ends,
    # four-space indentation, no final newline.
    "japan-net": ("Local Folders", GUID_JN, Doc(pop3(
        "japan-net", "secure.japan-mail.ne.jp", "jiro", "jiro@japan-net.ne.jp",
        "田中 次郎 &amp; 家族", "secure.japan-mail.ne.jp"),
        enc="utf-8", nl="\n", indent="    ",
        decl='<?xml version="1.0" encoding="utf-8" ?>', final_nl=False)),
    # An IMAP account of another provider, in a folder of its own.
    "imap": (GUID_IMAP[1:-1], GUID_IMAP, Doc([
        ("Account_Name", "SZ", "Example IMAP"),
        ("Connection_Type", "DWORD", "00000003"),
        ("IMAP_Server", "SZ", "imap.example.org"),
        ("IMAP_User_Name", "SZ", "user@example.org"),
        ("IMAP_Password2", "BINARY", FAKE_BLOB),
        ("IMAP_Port", "DWORD", "000003e1"),
        ("IMAP_Secure_Connection", "DWORD", "00000001"),
        ("SMTP_Server", "SZ", "smtp.example.org"),
        ("SMTP_Port", "DWORD", "000001d1"),
        ("SMTP_Secure_Connection", "DWORD", "00000001"),
        ("SMTP_Use_Sicily", "DWORD", "00000002"),
        ("SMTP_Display_Name", "SZ", "Example User"),
        ("SMTP_Email_Address", "SZ", "user@example.org"),
    ])),
    # A news account: not a mail account, left alone.
    "news": ("Microsoft Communities", GUID_NEWS, Doc([
        ("Account_Name", "SZ", "Microsoft Communities"),
        ("NNTP_Server", "SZ", "msnews.microsoft.com"),
        ("NNTP_Display_Name", "SZ", "山田 太郎"),
        ("NNTP_Email_Address", "SZ", "taro@vp.117.ne.jp"),
    ])),
}


# Not in the store: tests copy it in (hotweb's "add a new account" mode).
HOTWEB = Doc(pop3("pop.hotweb.or.jp", "pop.hotweb.or.jp", "hanako", "hanako@hotweb.or.jp",
                  "花子", "smtp.hotweb.or.jp",
                  extra=[("SMTP_Password2", "BINARY", FAKE_BLOB)]))


def leaf(guid):
    return f"account{guid}.oeaccount"


def expected_after():
    """What applying each ISP's profile must write (plan order: SMTP host,
    port, authentication, security, incoming host, incoming user)."""
    out = {}
    d = ACCOUNTS["117net"][2].copy()
    d.set("SMTP_Server", "SZ", "vsmtp.117.ne.jp")
    d.set("SMTP_Port", "DWORD", "0000024b")
    d.set("SMTP_Use_Sicily", "DWORD", "00000002")
    d.set("POP3_Server", "SZ", "vpop.117.ne.jp")
    d.set("POP3_User_Name", "SZ", "taro@vp.117.ne.jp")
    out["117net"] = d
    d = ACCOUNTS["micnet"][2].copy()
    d.set("SMTP_Server", "SZ", "smtp.micnet.ne.jp")
    d.set("SMTP_Port", "DWORD", "0000024b")
    d.set("SMTP_Use_Sicily", "DWORD", "00000002")
    out["micnet"] = d
    d = ACCOUNTS["japan-net"][2].copy()
    d.set("SMTP_Port", "DWORD", "0000024b")
    d.set("SMTP_Use_Sicily", "DWORD", "00000002")
    out["japan-net"] = d
    return out


def reg_v5(text):
    return b"\xff\xfe" + text.replace("\n", "\r\n").encode("utf-16-le")


def expand_sz_hex(s):
    b = (s + "\0").encode("utf-16-le")
    return ",".join(f"{x:02x}" for x in b)


def registry(key, folder, default_leaf):
    root = "%LOCALAPPDATA%\\Microsoft\\" + folder
    return reg_v5(
        "Windows Registry Editor Version 5.00\n\n"
        f"[HKEY_CURRENT_USER\\Software\\Microsoft\\{key}]\n"
        f"\"Store Root\"=hex(2):{expand_sz_hex(root)}\n"
        f"\"Default Mail Account\"=\"{default_leaf}\"\n"
        "\"Default News Account\"=\"" + leaf(GUID_NEWS) + "\"\n"
        "\"Settings Upgraded\"=dword:00000002\n\n"
        f"[HKEY_CURRENT_USER\\Software\\Microsoft\\{key}\\mail]\n"
        "\"Poll For Mail\"=dword:0001d4c0\n\n")


# ---- broken files: (name, bytes, code, phrase)
def broken():
    good = ACCOUNTS["117net"][2]
    gb = good.bytes()
    t = good.text()

    def u16(s):
        return b"\xff\xfe" + s.encode("utf-16-le")

    def with_prop(name, typ, val):
        d = good.copy()
        d.set(name, typ, val)
        return d.bytes()

    cut = t.index("<SMTP_Server")
    return [
        ("truncated-mid-element", u16(t[: cut + 20]), "MS_ERR_OEACCOUNT_XML", "not closed"),
        ("truncated-odd-byte", gb[:-1], "MS_ERR_OEACCOUNT_ENCODING", "not valid UTF-16"),
        ("truncated-no-root-end", u16(t[: t.index("</MessageAccount>")]),
         "MS_ERR_OEACCOUNT_XML", "not closed"),
        ("empty", b"", "MS_ERR_OEACCOUNT_XML", "empty"),
        ("bom-only", b"\xff\xfe", "MS_ERR_OEACCOUNT_XML", "empty"),
        ("utf16-without-bom", t.encode("utf-16-le"), "MS_ERR_OEACCOUNT_ENCODING",
         "without a byte order mark"),
        ("declared-utf16-but-utf8", t.encode("utf-8"), "MS_ERR_OEACCOUNT_ENCODING",
         "encoding=\"utf-16\""),
        ("unpaired-surrogate", gb[:100] + b"\x00\xd8" + gb[100:],
         "MS_ERR_OEACCOUNT_ENCODING", "not valid UTF-16"),
        ("wrong-root", u16(t.replace("MessageAccount", "Account")),
         "MS_ERR_OEACCOUNT_XML", "root element"),
        ("mismatched-end-tag", u16(t.replace("</SMTP_Server>", "</SMTP_Port>")),
         "MS_ERR_OEACCOUNT_XML", "</SMTP_Port> where </SMTP_Server>"),
        ("duplicate-property", u16(t.replace(
            "</MessageAccount>", "\t<SMTP_Server type=\"SZ\">evil.example</SMTP_Server>\r\n"
            "</MessageAccount>")), "MS_ERR_OEACCOUNT_XML", "given twice"),
        ("unknown-entity", u16(t.replace("山田 太郎", "山田&nbsp;太郎")),
         "MS_ERR_OEACCOUNT_XML", "unknown entity"),
        ("doctype", u16(t.replace("<MessageAccount>",
                                  "<!DOCTYPE MessageAccount [<!ENTITY a \"aaaa\">]>\r\n"
                                  "<MessageAccount>")), "MS_ERR_OEACCOUNT_XML", "DOCTYPE"),
        ("nested-markup", u16(t.replace("vs.117.ne.jp", "<b>vs.117.ne.jp</b>")),
         "MS_ERR_OEACCOUNT_XML", "markup inside"),
        ("control-character", u16(t.replace("taro<", "ta\x01ro<")),
         "MS_ERR_OEACCOUNT_XML", "not allowed in XML"),
        ("port-not-hex", with_prop("SMTP_Port", "DWORD", "25h"),
         "MS_ERR_OEACCOUNT_VALUE", "not a DWORD"),
        ("port-too-large", with_prop("SMTP_Port", "DWORD", "00010000"),
         "MS_ERR_OEACCOUNT_VALUE", "not a port number"),
        ("port-nine-digits", with_prop("SMTP_Port", "DWORD", "00000024b"),
         "MS_ERR_OEACCOUNT_VALUE", "not a DWORD"),
        ("port-wrong-type", with_prop("SMTP_Port", "SZ", "587"),
         "MS_ERR_OEACCOUNT_VALUE", "has type SZ, not DWORD"),
        ("sicily-out-of-range", with_prop("SMTP_Use_Sicily", "DWORD", "00000007"),
         "MS_ERR_OEACCOUNT_VALUE", "0 to 3 expected"),
        ("server-wrong-type", u16(t.replace('<SMTP_Server type="SZ">',
                                            '<SMTP_Server type="BINARY">')),
         "MS_ERR_OEACCOUNT_VALUE", "has type BINARY, not SZ"),
        ("utf8-invalid-bytes", b"\xef\xbb\xbf" + t.replace(
            'encoding="utf-16"', 'encoding="utf-8"').encode("utf-8").replace(
            "山田".encode("utf-8"), b"\xe5\xb1"), "MS_ERR_OEACCOUNT_ENCODING",
         "not valid UTF-8"),
    ]


def write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def main():
    for sub in ("store", "expected", "broken", "extra"):
        shutil.rmtree(HERE / sub, ignore_errors=True)
    for key, (folder, guid, doc) in ACCOUNTS.items():
        write(HERE / "store" / folder / leaf(guid), doc.bytes())
    write(HERE / "extra" / "hotweb.oeaccount", HOTWEB.bytes())
    for key, doc in expected_after().items():
        write(HERE / "expected" / f"{key}.oeaccount", doc.bytes())
    rows = ["# file\tcode\tphrase the message must contain (besides the file name)"]
    for name, data, code, phrase in broken():
        write(HERE / "broken" / f"{name}.oeaccount", data)
        rows.append(f"{name}.oeaccount\t{code}\t{phrase}")
    (HERE / "broken" / "EXPECTED.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    write(HERE / "wlmail-store.reg",
          registry("Windows Live Mail", "Windows Live Mail", leaf(GUID_117)))
    write(HERE / "winmail-store.reg",
          registry("Windows Mail", "Windows Mail", leaf(GUID_MIC)))


if __name__ == "__main__":
    main()
