#!/usr/bin/python3
"""Writes the Outlook registry fixtures of tests/core/test_be_outlook.c.

Outlook keeps its Internet accounts in the MAPI profile, one key per account
under ...\\<profile>\\9375CFF0413111d3B88A00104B2A6676\\<8 hex digits>, with
strings as REG_BINARY UTF-16LE plus a NUL and numbers as REG_DWORD (sources:
docs/mail-programs.md, Outlook section). This script is the readable form of
the fixtures; the .reg files it writes are what the tests load (run it again
after editing, then review the diff of the .reg files).

  outlook2010.reg  Windows Messaging Subsystem profiles (Outlook 2003-2010),
                   regedit's own form: UTF-16LE with BOM, CRLF
  outlook2016.reg  Office\\16.0 and Office\\15.0 profiles (2013-2021/365),
                   UTF-8 "Windows Registry Editor Version 5.00"
  broken-size.reg  one account whose "SMTP Server" has an odd byte count
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
WMS = r"HKEY_CURRENT_USER\Software\Microsoft\Windows NT\CurrentVersion\Windows Messaging Subsystem\Profiles"
O16 = r"HKEY_CURRENT_USER\Software\Microsoft\Office\16.0\Outlook"
O15 = r"HKEY_CURRENT_USER\Software\Microsoft\Office\15.0\Outlook"
ACCT = "9375CFF0413111d3B88A00104B2A6676"
ORDER = "{ED475418-B0D6-11D2-8C3B-00104B2A6676}"


def s(text):
    """A string value as Outlook stores it: REG_BINARY, UTF-16LE + NUL."""
    return ("bin", (text + "\0").encode("utf-16-le"))


def d(n):
    return ("dword", n)


def raw(b):
    return ("bin", bytes(b))


def order(*ids):
    return raw(b"".join(struct.pack("<I", i) for i in ids))


def hexlines(prefix, data):
    out, line = [], prefix
    for i, byte in enumerate(data):
        part = "%02x" % byte + ("," if i + 1 < len(data) else "")
        if len(line) + len(part) > 77:
            out.append(line + "\\")
            line = "  "
        line += part
    out.append(line)
    return out


def value_lines(name, v):
    kind, data = v
    q = '"%s"=' % name.replace("\\", "\\\\").replace('"', '\\"')
    if kind == "dword":
        return [q + "dword:%08x" % data]
    if kind == "sz":
        return [q + '"%s"' % data]
    return hexlines(q + "hex:", data)


def emit(path, keys, utf16):
    lines = ["Windows Registry Editor Version 5.00", ""]
    for key, values in keys:
        lines.append("[%s]" % key)
        for name, v in values:
            lines.extend(value_lines(name, v))
        lines.append("")
    text = "\r\n".join(lines) + "\r\n"
    with open(os.path.join(HERE, path), "wb") as f:
        if utf16:
            f.write(b"\xff\xfe" + text.encode("utf-16-le"))
        else:
            f.write(text.encode("utf-8"))


def pop_account(name, display, email, pop, user, smtp, port=None, extra=()):
    v = [("Account Name", s(name)), ("Display Name", s(display)), ("Email", s(email)),
         ("POP3 Server", s(pop)), ("POP3 User", s(user)),
         # an encrypted password blob: must never be read, copied or changed
         ("POP3 Password", raw(b"\x02" + bytes(range(40, 88)))),
         ("SMTP Server", s(smtp))]
    if port is not None:
        v.append(("SMTP Port", d(port)))
    v += [("Leave Mail On Server", d(1)), ("clsid", s("{ED475411-B0D6-11D2-8C3B-00104B2A6676}")),
          ("Mini UID", d(0x5a3c9e01 + len(name))), ("Delivery Store EntryID", raw(range(0, 44)))]
    v += list(extra)
    return v


def profile(root, pname, accounts, order_ids, extra_keys=()):
    base = "%s\\%s" % (root, pname)
    keys = [(base, []),
            ("%s\\0a0d020000000000c000000000000046" % base, [("01023d15", raw(b"\x00" * 16))]),
            ("%s\\%s" % (base, ACCT), [(ORDER, order(*order_ids)), ("NextAccountID", d(max(order_ids + [0]) + 1)),
                                       ("LastChangeVer", raw(b"\x09\x00\x00\x00\x00\x00\x00\x00"))])]
    for kid, vals in accounts:
        keys.append(("%s\\%s\\%08x" % (base, ACCT, kid), vals))
    keys += list(extra_keys)
    return keys


def outlook2010():
    keys = [(WMS, [("DefaultProfile", ("sz", "Outlook"))])]
    keys += profile(WMS, "Outlook", [
        # MicNet (2008): old outgoing server mail.micnet.ne.jp, port 25, no auth
        (2, pop_account("MicNet メール", "山田 太郎", "taro@micnet.ne.jp", "pop.micnet.ne.jp", "taro",
                        "mail.micnet.ne.jp", 25, [("SMTP Secure Connection", d(0))])),
        # another provider: untouched by every plan
        (3, pop_account("Gmail", "Taro Yamada", "taro.yamada@gmail.com", "pop.gmail.com",
                        "taro.yamada@gmail.com", "smtp.gmail.com", 465,
                        [("POP3 Port", d(995)), ("POP3 Use SSL", d(1)), ("SMTP Use Auth", d(1)),
                         ("SMTP Secure Connection", d(1))])),
        # an Exchange account: no POP3/IMAP server, not ours to touch
        (4, [("Account Name", s("会社 Exchange")), ("clsid", s("{ED475414-B0D6-11D2-8C3B-00104B2A6676}")),
             ("Service UID", raw(range(16)))]),
        # Internet Kurume, Outlook 2003 layout ("SMTP Use SSL", no port value)
        (5, pop_account("くるめ", "久留米 花子", "hanako@ktarn.or.jp", "mail.ktarn.or.jp", "hanako",
                        "post.ktarn.or.jp", None, [("SMTP Use SSL", d(0))])),
    ], [2, 3, 5, 4])
    keys += profile(WMS, "家族", [
        # 117net: servers move, user name becomes the address, SMTP AUTH
        (1, pop_account("117 ネット", "佐藤 次郎", "jiro@vp.117.ne.jp", "vp.117.ne.jp", "jiro",
                        "vs.117.ne.jp", 25, [("SMTP Secure Connection", d(0))])),
        (2, pop_account("Nifty", "佐藤", "sato@nifty.com", "pop.nifty.com", "sato", "smtp.nifty.com", 587,
                        [("SMTP Use Auth", d(1)), ("SMTP Auth Method", d(0))])),
    ], [2, 1])
    emit("outlook2010.reg", keys, utf16=True)


def outlook2016():
    keys = [(O16, [("DefaultProfile", ("sz", "Outlook"))])]
    keys += profile(O16 + "\\Profiles", "Outlook", [
        # japan-net: POP before SMTP stopped; SMTP server = incoming, 587, auth
        (1, pop_account("support@japan-net.ne.jp", "サポート", "support@japan-net.ne.jp",
                        "secure.japan-mail.ne.jp", "support", "secure.japan-mail.ne.jp", 25,
                        [("SMTP Secure Connection", d(0)), ("SMTP Use Auth", d(1)),
                         ("SMTP Auth Method", d(2))])),
        # MicNet, already on smtp.micnet.ne.jp but port 25
        (2, pop_account("MicNet", "鈴木 一郎", "ichiro@micnet.ne.jp", "pop.micnet.ne.jp", "ichiro",
                        "smtp.micnet.ne.jp", 25, [("SMTP Secure Connection", d(0))])),
        # IMAP account of another provider
        (3, [("Account Name", s("Outlook.jp IMAP")), ("Email", s("ichiro@outlook.jp")),
             ("IMAP Server", s("outlook.office365.com")), ("IMAP User", s("ichiro@outlook.jp")),
             ("IMAP Port", d(993)), ("IMAP Use SSL", d(1)), ("SMTP Server", s("smtp.office365.com")),
             ("SMTP Port", d(587)), ("SMTP Use Auth", d(1)), ("SMTP Secure Connection", d(2))]),
        # HotWeb (add-account mode): stays as it is on Outlook
        (4, pop_account("HotWeb", "田中", "tanaka@hotweb.or.jp", "pop.hotweb.or.jp", "tanaka",
                        "smtp.hotweb.or.jp", 25, [("SMTP Secure Connection", d(0))])),
    ], [1, 2, 3, 4])
    keys += profile(O15 + "\\Profiles", "Outlook 2013", [
        (1, pop_account("KTarn ウイルスチェック", "中村", "naka@ktarn.or.jp", "mail.ktarn.or.jp", "naka",
                        "vpost.ktarn.or.jp", 25, [("SMTP Secure Connection", d(0))])),
    ], [1])
    emit("outlook2016.reg", keys, utf16=False)


def broken():
    keys = [(O16, [("DefaultProfile", ("sz", "Outlook"))])]
    keys += profile(O16 + "\\Profiles", "Outlook", [
        (1, [("Account Name", s("壊れた MicNet")), ("Email", s("broken@micnet.ne.jp")),
             ("POP3 Server", s("pop.micnet.ne.jp")), ("POP3 User", s("broken")),
             ("SMTP Server", raw(b"m\x00a")), ("SMTP Port", d(25))]),
        (2, pop_account("Gmail", "Broken", "broken@gmail.com", "pop.gmail.com", "broken@gmail.com",
                        "smtp.gmail.com", 465, [("SMTP Use Auth", d(1)), ("SMTP Secure Connection", d(1))])),
    ], [1, 2])
    emit("broken-size.reg", keys, utf16=False)


outlook2010()
outlook2016()
broken()
