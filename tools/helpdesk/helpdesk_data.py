"""The helpdesk's data, read from the source tree: every helpdesk code of
wizard/core/messages.def with its sentences, the wizard's own next step for
the test-send codes (wizard/core/send/diagnose.def) and the operator's guidance
(tools/helpdesk/advice.tsv). Used by tools/helpdesk/make_helpdesk.py
(helpdesk.html) and scripts/helpdesk-codes (docs/helpdesk.md). Debian's
/usr/bin/python3, standard library only."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = ROOT / "wizard" / "core" / "messages.def"
DIAGNOSE = ROOT / "wizard" / "core" / "send" / "diagnose.def"
ADVICE = ROOT / "tools" / "helpdesk" / "advice.tsv"
ADVICE_COLUMNS = ("say_ja", "say_en", "next_ja", "next_en", "escalate_ja", "escalate_en")

_STR = r'"(?:[^"\\]|\\.)*"'
_STRS = rf"((?:{_STR}\s*)+)"


def _strip_comments(text):
    # Comments start a line; strings may hold "/*" (prefs.js sentences).
    return re.sub(r"^\s*/\*.*?\*/", "", text, flags=re.S | re.M)


def _joined(lit):
    parts = re.findall(_STR, lit)
    return "".join(p[1:-1].replace('\\"', '"').replace("\\\\", "\\") for p in parts)


def parse_messages(path=MESSAGES):
    """[(enum name, code, ja, en)] in the order of messages.def."""
    text = _strip_comments(Path(path).read_text(encoding="utf-8"))
    pat = re.compile(rf"MS_MSG\(\s*(\w+)\s*,\s*({_STR})\s*,\s*{_STRS},\s*{_STRS}\)", re.S)
    return [(m.group(1), _joined(m.group(2)), _joined(m.group(3)), _joined(m.group(4)))
            for m in pat.finditer(text)]


def parse_diagnose(path=DIAGNOSE):
    """{enum name: (ja, en)}: the next step the wizard itself shows."""
    text = _strip_comments(Path(path).read_text(encoding="utf-8"))
    pat = re.compile(rf"DIAG_STEP\(\s*(\w+)\s*,\s*{_STRS},\s*{_STRS}\)", re.S)
    return {m.group(1): (_joined(m.group(2)), _joined(m.group(3))) for m in pat.finditer(text)}


def _code_key(code):
    m = re.fullmatch(r"([A-Z]+)(\d+)", code)
    return (m.group(1), int(m.group(2))) if m else (code, -1)


def load_advice(path=ADVICE):
    """[(first code, last code, {column: text}, line number)]; a row for one
    code has first == last. Raises ValueError on a malformed row."""
    rows = []
    header_seen = False
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if not header_seen:
            if cells != ["code", *ADVICE_COLUMNS]:
                raise ValueError(f"{path}:{n}: the header must be: code, " + ", ".join(ADVICE_COLUMNS))
            header_seen = True
            continue
        if len(cells) != 1 + len(ADVICE_COLUMNS):
            raise ValueError(f"{path}:{n}: {len(cells)} columns, want {1 + len(ADVICE_COLUMNS)}")
        first, _, last = cells[0].partition("-")
        last = last or first
        if _code_key(first)[0] != _code_key(last)[0] or _code_key(first) > _code_key(last):
            raise ValueError(f"{path}:{n}: bad code range {cells[0]}")
        rows.append((first, last, dict(zip(ADVICE_COLUMNS, (c.strip() for c in cells[1:]))), n))
    return rows


def advice_for(code, rows):
    """The row for code: its own row, else the range that holds it, else None."""
    own = [r for r in rows if r[0] == r[1] == code]
    if own:
        return own[0][2]
    k = _code_key(code)
    for first, last, texts, _ in rows:
        if _code_key(first)[0] == k[0] and _code_key(first) <= k <= _code_key(last):
            return texts
    return None


def check_advice():
    """Problems with the advice table: a code of messages.def without all
    six texts, a row for a code that does not exist, two rows for one code."""
    problems = []
    try:
        rows = load_advice()
    except ValueError as e:
        return [str(e)]
    codes = [c for _, c, _, _ in parse_messages()]
    for c in codes:
        a = advice_for(c, rows)
        if a is None:
            problems.append(f"{c}: no row in {ADVICE.relative_to(ROOT)}")
            continue
        for col in ADVICE_COLUMNS:
            if not a[col]:
                problems.append(f"{c}: {col} is empty")
    known = set(codes)
    seen = set()
    for first, last, _, n in rows:
        if first == last:
            if first not in known:
                problems.append(f"line {n}: {first} is not a code of messages.def")
            if first in seen:
                problems.append(f"line {n}: a second row for {first}")
            seen.add(first)
        elif not any(advice_for(c, [(first, last, {}, n)]) is not None for c in codes):
            problems.append(f"line {n}: the range {first}-{last} holds no code of messages.def")
    return problems
