"""isp-profiles/schema.json, checked by a real JSON Schema validator
(Debian's python3-jsonschema, draft 2020-12): the schema itself is valid,
every seed profile passes it, and the broken profiles whose fault a schema
can express fail it. Keys are compared with the loader in test_profile.c.
usage: check_schema.py SOURCE_DIR"""
import glob
import json
import os
import sys

import jsonschema

src = sys.argv[1]
schema = json.load(open(os.path.join(src, "isp-profiles/schema.json"), encoding="utf-8"))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
bad = 0

seeds = sorted(f for f in glob.glob(os.path.join(src, "isp-profiles/*.json"))
               if not f.endswith("schema.json"))
assert len(seeds) == 5, seeds
for f in seeds:
    errs = list(v.iter_errors(json.load(open(f, encoding="utf-8"))))
    for e in errs:
        print("%s: %s at %s" % (os.path.basename(f), e.message, e.json_path))
    bad += bool(errs)

# Broken profiles the schema must refuse too (the rest need the loader:
# bytes, duplicates, calendar, placeholders, rules between fields).
broken_dir = os.path.join(src, "tests/data/profiles/broken")
must_fail = [
    "unknown-key-typo.json", "unknown-key-top.json", "missing-id.json",
    "missing-outgoing-port.json", "missing-name-ja.json", "format-2.json",
    "format-string.json", "id-uppercase.json", "name-not-object.json", "port-0.json",
    "port-65536.json", "port-negative.json", "port-string.json", "port-fraction.json",
    "port-25-target.json", "alt-port-25.json", "host-underscore.json",
    "host-ip-address.json", "host-leading-hyphen.json", "host-single-label.json",
    "host-with-port.json", "domain-spaces.json", "domains-not-array.json",
    "domains-empty.json", "domains-too-many.json",
    "no-account-rule.json", "date-slashes.json", "enum-security.json", "enum-mode.json",
    "enum-auth-case.json", "bool-as-string.json", "host-and-map.json",
    "add-account-without-host.json", "add-account-in-modify-mode.json",
    "url-javascript.json", "phone-letters.json", "color-short.json", "logo-path.json",
    "name-blank.json", "name-newline.json", "name-too-long.json", "steps-empty.json",
    "step-not-object.json", "text-no-language.json", "text-wrong-type.json",
    "outgoing-not-object.json",
]
for name in must_fail:
    data = json.load(open(os.path.join(broken_dir, name), encoding="utf-8"))
    if v.is_valid(data):
        print("%s: accepted by schema.json, but the loader refuses it" % name)
        bad += 1

sys.exit(1 if bad else 0)
