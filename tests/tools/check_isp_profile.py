"""Tests of the isp-profile tool (tools/isp-profile), run by ctest:
  check_isp_profile.py TOOL SOURCE_DIR roundtrip     real ISPDB autoconfig -> profile -> autoconfig
  check_isp_profile.py TOOL SOURCE_DIR mobileconfig  .mobileconfig parses (plistlib), Apple's keys, values
  check_isp_profile.py TOOL SOURCE_DIR manual        render-manual HTML: values filled in, all escaped
  check_isp_profile.py TOOL SOURCE_DIR autodiscover  POX Autodiscover: Microsoft's documented elements only, values
  check_isp_profile.py TOOL SOURCE_DIR bad           hostile / broken autoconfig files are refused
Uses Debian's /usr/bin/python3 standard library only."""
import json
import os
import plistlib
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

TOOL, SRC, WHAT = sys.argv[1], sys.argv[2], sys.argv[3]
DATA = os.path.join(SRC, "tests", "data")
failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print("FAIL:", msg)


def run(*args):
    r = subprocess.run([TOOL, "--lang", "en", *args], capture_output=True)
    return r.returncode, r.stdout, r.stderr.decode("utf-8", "replace")


def server(el):
    """The parts of a server element a profile holds."""
    return {
        "type": el.get("type"),
        **{k: (el.findtext(k) or "").strip() for k in
           ("hostname", "port", "socketType", "username", "authentication")},
    }


def provider(xml_bytes):
    root = ET.fromstring(xml_bytes)
    assert root.tag == "clientConfig" and root.get("version") == "1.1", root.tag
    p = root.find("emailProvider")
    doc = p.find("documentation")
    return {
        "id": p.get("id"),
        "domains": [d.text.strip() for d in p.findall("domain")],
        "displayName": (p.findtext("displayName") or "").strip(),
        "displayShortName": (p.findtext("displayShortName") or "").strip(),
        "incoming": [server(s) for s in p.findall("incomingServer")],
        "outgoing": [server(s) for s in p.findall("outgoingServer")],
        "documentation": doc.get("url") if doc is not None else None,
    }


def roundtrip():
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("ocn.ne.jp.xml", "jet.ne.jp.xml"):
            src = os.path.join(DATA, "autoconfig", name)
            prof = os.path.join(tmp, name + ".json")
            rc, _, err = run("import-autoconfig", src, "-o", prof)
            check(rc == 0, "%s: import exit %d: %s" % (name, rc, err))
            if rc:
                continue
            # exit 0 also means the skeleton passed the profile loader
            rc, out, err = run("export-autoconfig", prof)
            check(rc == 0, "%s: export exit %d: %s" % (name, rc, err))
            a, b = provider(open(src, "rb").read()), provider(out)
            if name == "ocn.ne.jp.xml":
                # fits a profile entirely: everything must come back
                check(a == b, "%s: round trip differs:\n  %s\n  %s" % (name, a, b))
            else:
                # more servers than a profile holds: the first of each kind
                # comes back, the rest are named in the notes
                for k in ("id", "domains", "displayName", "documentation"):
                    check(a[k] == b[k], "%s: %s %r != %r" % (name, k, a[k], b[k]))
                check(b["incoming"] == a["incoming"][:1], "%s: incoming %s" % (name, b["incoming"]))
                check(b["outgoing"] == a["outgoing"][:1], "%s: outgoing %s" % (name, b["outgoing"]))
                notes = run("import-autoconfig", src)[2]
                check("imap.jet.ne.jp:993 not imported" in notes, "%s: no note for the IMAP server" % name)
                check("smtp.jet.ne.jp:587 not imported" in notes, "%s: no note for port 587" % name)
        # a Japanese legacy encoding is converted to UTF-8
        rc, out, err = run("import-autoconfig", os.path.join(DATA, "autoconfig", "synthetic-shift_jis.xml"))
        check(rc == 0 and json.loads(out)["name"]["ja"] == "例プロバイダー",
              "Shift_JIS import: %d %s" % (rc, err))
        # and from a seed profile: micnet -> autoconfig -> profile keeps the facts
        rc, out, err = run("export-autoconfig", os.path.join(SRC, "isp-profiles", "micnet.json"))
        check(rc == 0, "micnet export: %s" % err)
        x = os.path.join(tmp, "micnet.xml")
        open(x, "wb").write(out)
        rc, out, err = run("import-autoconfig", x)
        check(rc == 0, "micnet re-import: %s" % err)
        j = json.loads(out)
        check(j["outgoing"]["host"] == "smtp.micnet.ne.jp" and j["outgoing"]["port"] == 587
              and j["outgoing"]["security"] == "none" and j["outgoing"]["auth"] == "same_as_incoming",
              "micnet outgoing: %s" % j["outgoing"])
        check(j["accounts"]["domains"] == ["micnet.ne.jp"], "micnet domains")
        check(j["accounts"]["incoming_hosts"] == ["pop.micnet.ne.jp"], "micnet incoming host")


# Keys Apple documents for com.apple.mail.managed (apple/device-management,
# mdm/profiles/com.apple.mail.managed.yaml) plus the common payload keys.
MAIL_KEYS = {
    "EmailAccountDescription", "EmailAccountName", "EmailAccountType", "EmailAddress",
    "IncomingMailServerAuthentication", "IncomingMailServerHostName",
    "IncomingMailServerPortNumber", "IncomingMailServerUseSSL", "IncomingMailServerUsername",
    "IncomingPassword", "OutgoingPassword", "OutgoingPasswordSameAsIncomingPassword",
    "OutgoingMailServerAuthentication", "OutgoingMailServerHostName",
    "OutgoingMailServerPortNumber", "OutgoingMailServerUseSSL", "OutgoingMailServerUsername",
    "PreventMove", "PreventAppSheet", "SMIMEEnabled", "disableMailRecentsSyncing",
    "allowMailDrop", "IncomingMailServerIMAPPathPrefix",
    "PayloadType", "PayloadVersion", "PayloadIdentifier", "PayloadUUID", "PayloadDisplayName",
    "PayloadDescription", "PayloadOrganization",
}
MAIL_REQUIRED = {"EmailAccountType", "IncomingMailServerAuthentication",
                 "IncomingMailServerHostName", "OutgoingMailServerAuthentication",
                 "OutgoingMailServerHostName", "PayloadType", "PayloadVersion",
                 "PayloadIdentifier", "PayloadUUID"}
TOP_REQUIRED = {"PayloadContent", "PayloadDisplayName", "PayloadIdentifier", "PayloadType",
                "PayloadUUID", "PayloadVersion"}
UUID = re.compile(r"^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$")
AUTH = {"EmailAuthNone", "EmailAuthPassword", "EmailAuthCRAMMD5", "EmailAuthNTLM", "EmailAuthHTTPMD5"}

# What each seed's manual says (host, port, SSL, same password), for the payload.
EXPECT = {
    "117net": ("vpop.117.ne.jp", "vsmtp.117.ne.jp", 587, False),
    "hotweb": ("mail.hotweb.or.jp", "mail.hotweb.or.jp", 587, False),
    "micnet": ("pop.micnet.ne.jp", "smtp.micnet.ne.jp", 587, False),
    "japan-net": ("secure.japan-mail.ne.jp", "secure.japan-mail.ne.jp", 587, False),
}


def mobileconfig():
    for isp, (inh, outh, port, ssl) in EXPECT.items():
        rc, out, err = run("export-mobileconfig", os.path.join(SRC, "isp-profiles", isp + ".json"))
        check(rc == 0, "%s: exit %d %s" % (isp, rc, err))
        try:
            pl = plistlib.loads(out)
        except Exception as e:  # noqa: BLE001 - any parse failure is the finding
            check(False, "%s: plistlib cannot parse it: %s" % (isp, e))
            continue
        check(TOP_REQUIRED <= set(pl), "%s: top level lacks %s" % (isp, TOP_REQUIRED - set(pl)))
        check(pl.get("PayloadType") == "Configuration", "%s: top PayloadType" % isp)
        check(pl.get("PayloadVersion") == 1, "%s: top PayloadVersion" % isp)
        check(bool(UUID.match(pl.get("PayloadUUID", ""))), "%s: top PayloadUUID" % isp)
        content = pl.get("PayloadContent")
        check(isinstance(content, list) and len(content) == 1, "%s: one payload" % isp)
        m = content[0]
        check(set(m) <= MAIL_KEYS, "%s: keys Apple does not document: %s" % (isp, set(m) - MAIL_KEYS))
        check(MAIL_REQUIRED <= set(m), "%s: payload lacks %s" % (isp, MAIL_REQUIRED - set(m)))
        check(m.get("PayloadType") == "com.apple.mail.managed", "%s: PayloadType" % isp)
        check(m.get("EmailAccountType") in ("EmailTypePOP", "EmailTypeIMAP"), "%s: type" % isp)
        check(m.get("IncomingMailServerAuthentication") in AUTH, "%s: in auth" % isp)
        check(m.get("OutgoingMailServerAuthentication") == "EmailAuthPassword",
              "%s: SMTP AUTH must be on" % isp)
        check(m.get("IncomingMailServerHostName") == inh, "%s: incoming %s" % (isp, m.get("IncomingMailServerHostName")))
        check(m.get("OutgoingMailServerHostName") == outh, "%s: outgoing %s" % (isp, m.get("OutgoingMailServerHostName")))
        check(m.get("OutgoingMailServerPortNumber") == port and
              type(m.get("OutgoingMailServerPortNumber")) is int, "%s: port" % isp)
        check(m.get("OutgoingMailServerUseSSL") is ssl, "%s: UseSSL" % isp)
        check(m.get("OutgoingPasswordSameAsIncomingPassword") is True, "%s: same password" % isp)
        check(bool(UUID.match(m.get("PayloadUUID", ""))) and m["PayloadUUID"] != pl["PayloadUUID"],
              "%s: payload UUID" % isp)
        for k in m:
            if k.endswith("UseSSL") or k.startswith("OutgoingPasswordSame"):
                check(type(m[k]) is bool, "%s: %s not a boolean" % (isp, k))
        # the same output every run (stable UUIDs)
        check(run("export-mobileconfig", os.path.join(SRC, "isp-profiles", isp + ".json"))[1] == out,
              "%s: output differs between runs" % isp)
    # ktarn's manual names no incoming server: no half profile is written
    rc, out, err = run("export-mobileconfig", os.path.join(SRC, "isp-profiles", "ktarn.json"))
    check(rc == 1 and out == b"" and "[P48]" in err, "ktarn: want exit 1 and P48, got %d %s" % (rc, err))


class Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.text, self.stack = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag not in ("meta", "br"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        check(self.stack and self.stack[-1] == tag, "unbalanced </%s> (open: %s)" % (tag, self.stack))
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def manual():
    rc, out, err = run("--lang", "ja", "render-manual", os.path.join(SRC, "isp-profiles", "micnet.json"),
                       "--program", "postpet")
    check(rc == 0, "micnet postpet: %s" % err)
    html = out.decode("utf-8")
    c = Collect()
    c.feed(html)
    check(not c.stack, "unclosed elements: %s" % c.stack)
    text = "".join(c.text)
    check(c.tags.count("li") == 4, "postpet has 4 steps, got %d" % c.tags.count("li"))
    check("smtp.micnet.ne.jp" in text and "pop.micnet.ne.jp" in text, "hosts not filled in")
    check("「SMTP ポート番号」を『587』に変更します" in text, "port step not filled in")
    check("{" not in text, "placeholder left in the page")
    check('<html lang="ja">' in html, "page language")
    rc, out, err = run("render-manual", os.path.join(SRC, "isp-profiles", "micnet.json"), "--program", "lotus")
    check(rc == 1 and "[P49]" in err, "unknown program: %d %s" % (rc, err))
    # every manual of every seed renders, in both languages
    for isp in ("117net", "hotweb", "ktarn", "micnet", "japan-net"):
        for lang in ("ja", "en"):
            rc, out, err = run("--lang", lang, "render-manual", os.path.join(SRC, "isp-profiles", isp + ".json"))
            check(rc == 0 and b"{outgoing" not in out, "%s %s: %d %s" % (isp, lang, rc, err))
    # hostile text is escaped, not interpreted
    rc, out, err = run("render-manual", os.path.join(DATA, "profiles", "html-escape.json"))
    check(rc == 0, "html-escape: %s" % err)
    html = out.decode("utf-8")
    check("<script>" not in html and "&lt;script&gt;" in html, "script tag not escaped")
    check('"><img' not in html, "attribute break-out not escaped")
    rc, out, err = run("export-autoconfig", os.path.join(DATA, "profiles", "html-escape.json"))
    check(rc == 0, "html-escape export: %s" % err)
    p = provider(out)  # must still be well-formed XML
    check(p["displayName"] == 'Evil <script>alert("x")</script> & Co', "XML escaping: %r" % p["displayName"])


def bad():
    want = {
        "doctype-entity.xml": "[P46]", "external-entity.xml": "[P46]",
        "not-well-formed.xml": "[P46]", "wrong-root.xml": "[P47]", "version-1.0.xml": "[P47]",
        "bad-port.xml": "[P47]",
    }
    for name, code in want.items():
        rc, out, err = run("import-autoconfig", os.path.join(DATA, "autoconfig", "bad", name))
        check(rc == 1 and out == b"" and code in err, "%s: want exit 1 %s, got %d %s" % (name, code, rc, err))
        check("root:" not in err, "%s: file content leaked into the error" % name)
    # well-formed, but a profile cannot have SMTP on port 25: skeleton + P32, exit 3
    rc, out, err = run("import-autoconfig", os.path.join(DATA, "autoconfig", "bad", "smtp-port-25.xml"))
    check(rc == 3 and "[P32] $.outgoing.port" in err, "port 25: %d %s" % (rc, err))
    j = json.loads(out)
    check(j["name"]["ja"] == "Example & Co <ISP>", "entities in text: %r" % j["name"])


def pox_rules():
    """tests/data/autodiscover/pox-elements.txt: namespaces, parent -> child -> allowed values."""
    ns, rules = [], {}
    for line in open(os.path.join(DATA, "autodiscover", "pox-elements.txt"), encoding="utf-8"):
        f = line.split()
        if not f or f[0].startswith("#"):
            continue
        if f[0] == "namespace":
            ns.append(f[1])
            continue
        rules.setdefault(f[0], {})[f[1]] = set(f[2].split("|")) if len(f) > 2 else None
    return ns, rules


def pox_check(name, xml_bytes):
    """Every element is a documented child of its parent, with a documented
    value; returns {Type: {child: text}} for the Protocol entries."""
    ns, rules = pox_rules()
    root = ET.fromstring(xml_bytes)
    check(root.tag == "{%s}Autodiscover" % ns[0], "%s: root %s" % (name, root.tag))
    protos = {}

    def walk(el, parent_name):
        for child in el:
            uri, local = child.tag[1:].split("}")
            want_ns = ns[1]  # <Response xmlns=...2006a> puts itself and all below there
            check(uri == want_ns, "%s: %s in namespace %s" % (name, local, uri))
            allowed = rules.get(parent_name, {})
            check(local in allowed, "%s: <%s> is not a documented child of <%s>" % (name, local, parent_name))
            values = allowed.get(local)
            if values is not None:
                check((child.text or "") in values, "%s: <%s>%s is not one of %s" % (name, local, child.text, sorted(values)))
            walk(child, local)

    walk(root, "Autodiscover")
    for pr in root.iter("{%s}Protocol" % ns[1]):
        d = {c.tag.split("}")[1]: (c.text or "") for c in pr}
        check(d.get("Type") not in protos, "%s: two Protocol entries of type %s" % (name, d.get("Type")))
        protos[d.get("Type")] = d
    return protos


def autodiscover():
    prof = lambda n: os.path.join(SRC, "isp-profiles", n + ".json")
    # micnet: POP3 on the one incoming host, SMTP on the host_map's target, 587,
    # no TLS, authentication with the incoming log-on (user name unchanged:
    # the local part of the address)
    rc, out, err = run("export-autodiscover", prof("micnet"), "--email", "taro@micnet.ne.jp")
    check(rc == 0, "micnet: exit %d %s" % (rc, err))
    m = json.load(open(prof("micnet"), encoding="utf-8"))
    p = pox_check("micnet", out)
    check(set(p) == {"POP3", "SMTP"}, "micnet: protocols %s" % sorted(p))
    pop, smtp = p.get("POP3", {}), p.get("SMTP", {})
    check(pop.get("Server") == m["accounts"]["incoming_hosts"][0] and pop.get("Port") == "110",
          "micnet POP3: %s" % pop)
    check(smtp.get("Server") == m["outgoing"]["host_map"][0]["to"]
          and smtp.get("Port") == str(m["outgoing"]["port"]), "micnet SMTP: %s" % smtp)
    for d, what in ((pop, "POP3"), (smtp, "SMTP")):
        check(d.get("SSL") == "off" and d.get("Encryption") == "None" and d.get("SPA") == "off"
              and d.get("AuthRequired") == "on" and d.get("LoginName") == "taro",
              "micnet %s security/auth: %s" % (what, d))
    check(smtp.get("UsePOPAuth") == "on", "micnet: UsePOPAuth %s" % smtp.get("UsePOPAuth"))
    check("incoming port not in the profile; wrote the default 110" in err, "micnet: no note on the port: %s" % err)
    # 117net logs on with the whole address
    rc, out, err = run("export-autodiscover", prof("117net"), "--email", "hanako@vp.117.ne.jp")
    p = pox_check("117net", out)
    check(rc == 0 and p.get("POP3", {}).get("LoginName") == "hanako@vp.117.ne.jp"
          and p.get("POP3", {}).get("Server") == "vpop.117.ne.jp"
          and p.get("SMTP", {}).get("Server") == "vsmtp.117.ne.jp",
          "117net: %d %s %s" % (rc, p, err))
    # no address: the placeholder for the answering server, and a note
    rc, out, err = run("export-autodiscover", prof("117net"))
    p = pox_check("117net template", out)
    check(rc == 0 and p.get("SMTP", {}).get("LoginName") == "%EMAILADDRESS%" and "LoginName is %EMAILADDRESS%" in err,
          "117net template: %d %s %s" % (rc, p, err))
    # IMAP over implicit TLS, SMTP with STARTTLS and its own log-on
    rc, out, err = run("export-autodiscover", os.path.join(DATA, "autodiscover", "imap-ssl-own.json"),
                       "--email", "jiro@example-imap.ne.jp")
    p = pox_check("imap-ssl-own", out)
    imap, smtp = p.get("IMAP", {}), p.get("SMTP", {})
    check(rc == 0 and imap.get("Port") == "993" and imap.get("SSL") == "on" and imap.get("Encryption") == "SSL"
          and imap.get("LoginName") == "jiro@example-imap.ne.jp", "imap: %d %s %s" % (rc, imap, err))
    check(smtp.get("SSL") == "on" and smtp.get("Encryption") == "TLS" and "LoginName" not in smtp
          and smtp.get("UsePOPAuth") == "off" and "outgoing.auth own" in err, "smtp own: %s %s" % (smtp, err))
    # ktarn keeps each account's incoming server: nothing to write there
    rc, out, err = run("export-autodiscover", prof("ktarn"), "--email", "a@ktarn.or.jp")
    check(rc == 1 and out == b"" and "[P48]" in err, "ktarn has no incoming target: %d %s" % (rc, err))
    # bad input: a wrong address is a usage error; nothing written
    with tempfile.TemporaryDirectory() as tmp:
        o = os.path.join(tmp, "autodiscover.xml")
        rc, out, err = run("export-autodiscover", prof("micnet"), "--email", "not an address", "-o", o)
        check(rc == 2 and "[E02]" in err and not os.path.exists(o), "bad --email: %d %s" % (rc, err))
        rc, out, err = run("export-autoconfig", prof("micnet"), "--email", "a@micnet.ne.jp")
        check(rc == 2, "--email with export-autoconfig: %d" % rc)
        rc, out, err = run("export-autodiscover", prof("micnet"), "--email", "taro@micnet.ne.jp", "-o", o)
        check(rc == 0 and pox_check("file", open(o, "rb").read()).get("SMTP"), "-o: %d %s" % (rc, err))


{"roundtrip": roundtrip, "mobileconfig": mobileconfig, "manual": manual, "autodiscover": autodiscover,
 "bad": bad}[WHAT]()
if failures:
    sys.exit("%d check(s) failed" % len(failures))
print("ok")
