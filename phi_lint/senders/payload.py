"""What a server-side send is handed: the personal and health data in its payload.

The payload is the send statement and, followed back through the enclosing function, the
statements that assign the names it uses (`json=payload` → `payload = {…}` → `email = …`), a
few steps deep. Its keys (`"em":`, `'appointment_reason' =>`, `email=`, `.setEmail(`) and reads
(`current_user.email`, `$patient->dob`, `form["reason"]`) are judged by the data-sent vocabulary
(rules/personal-data.toml, phi_lint.datasent.sources): a hashed email is still an email, because
the name that holds it says so.
"""

from __future__ import annotations

import re
from functools import lru_cache

from phi_lint.datasent.sources import NEGATED, RANK, classify_chain, classify_name, person_class
from phi_lint.lazyre import lazy_pattern
from phi_lint.senders.lexical import Code, assignments_of, names_in

MAX_DEPTH = 3  # assignments followed back from the send statement
MAX_ITEMS = 12
_KEY_QUOTED = lazy_pattern(r"""(["'])([A-Za-z_][\w.-]{0,48})\1\s*(?:=>|:(?!:)|\]\s*=|to\b)""")  # `"em" to x`: Kotlin
_KEY_CALL = lazy_pattern(r"""\b(?:put|set|add|with|setValue|Add)\s*\(\s*(["'])([A-Za-z_][\w.-]{0,48})\1\s*,""")
_KEY_BARE = lazy_pattern(r"""(?<![\w.$>:])([A-Za-z_]\w{0,48})\s*(?::(?![:=])|=(?![=>]))""")
# a setter (`.setEmail(`, `->withPhone(`) or a builder method after a call (`new UserData().email(`);
# a getter is a read
_SETTER = lazy_pattern(r"""(?:[.>]\s*(?:set|with)([A-Z_]\w{0,48})|\)\s*\.\s*([a-z]\w{0,48}))\s*\(""")
# a request or form field read by name: r.FormValue("email"), $request->input('dob'), params[:email],
# answers.get("diagnosis"), request.getParameter("phone")
_FIELD = lazy_pattern(r"""(?:\b(?:FormValue|PostFormValue|input|param|getParameter|get|query|post|Form)\s*[(\[]\s*|\bparams\[\s*:?)["']?(\w+)""")
_CHAIN = lazy_pattern(r"""[$@]?[A-Za-z_]\w*(?:\s*(?:(?:\.|->|\?\.|&\.)\s*[$@]?[A-Za-z_]\w*(?![\w(])(?!\s*\()|\[\s*["'][\w.-]+["']\s*\]))*""")


@lru_cache(maxsize=1)
def _not_data() -> frozenset[str]:
    """rules/senders.toml `not-data`: the sender's own parameters, lower-cased."""
    from phi_lint.resources import rules_dir
    from phi_lint.tomlread import load_toml

    return frozenset(n.lower() for n in load_toml(rules_dir() / "senders.toml")["not-data"])


def payload_items(code: Code, start: int, end: int, floor: int, aliases: str = "") -> list[dict]:
    """The personal and health data in the statement code[start:end] and, within
    code[floor:start], the assignments of the names it uses: [{key, source, class}, …]."""
    regions = _regions(code, start, end, floor)
    found: dict[str, dict] = {}
    for region_start, region_end in regions:
        for item in _items(code, region_start, region_end, aliases):
            key = item["key"].lower()
            known = found.get(key)
            if known is None or (RANK[item["class"]], item["source"] is not None) > (RANK[known["class"]], known["source"] is not None):
                found[key] = item
    items = sorted((item for item in found.values() if not _told(item, found.values())), key=lambda i: (i["at"], i["key"]))
    for item in items:
        del item["at"]
        item.pop("read", None)
    return items[:MAX_ITEMS]


def _told(item: dict, items) -> bool:
    """Whether a read (`current_user.email`, `email`) is already said by a key whose value it is,
    or whose name it starts with."""
    if not item.get("read"):
        return False
    key = item["key"]
    root = re.split(r"[^\w$@]+", key)[0]
    for other in items:
        if other is item:
            continue
        if other["source"] and re.search(r"(?<![\w.])" + re.escape(key) + r"(?!\w)", _GETTER.sub(_as_property, other["source"])):
            return True
        if not other.get("read") and other["key"] == root and root != key:
            return True  # `email.encode` when the key `email` is sent
        if other.get("read") and other["key"] != key and re.match(re.escape(key) + r"\s*(?:\.|->|\[)", other["key"]):
            return True  # the record `$user` when `$user->email` is sent
    return False


def _regions(code: Code, start: int, end: int, floor: int) -> list[tuple[int, int]]:
    """The send statement and the assignments it depends on, nearest first."""
    regions = [(start, end)]
    seen_names: set[str] = set()
    frontier = [(start, end)]
    for _ in range(MAX_DEPTH):
        following = []
        for region_start, region_end in frontier:
            for _offset, name in names_in(code, region_start, region_end):
                bare = name.lstrip("$@")
                if bare in seen_names or len(bare) < 2:
                    continue
                seen_names.add(bare)
                for assigned in assignments_of(code, name, floor, start):
                    if assigned not in regions:
                        regions.append(assigned)
                        following.append(assigned)
        frontier = following
        if not frontier:
            break
    return regions


def _items(code: Code, start: int, end: int, aliases: str) -> list[dict]:
    text, mask = code.text, code.mask
    out: list[dict] = []
    for pattern in (_KEY_QUOTED, _KEY_CALL):
        for m in pattern.finditer(text, start, end):
            if code.in_string(m.start(2)):
                _add_key(out, m.group(2), m.start(2), text, m.end(), aliases)
    for m in _KEY_BARE.finditer(mask, start, end):
        _add_key(out, m.group(1), m.start(1), text, m.end(), aliases)
    for m in _SETTER.finditer(mask, start, end):
        group = 1 if m.group(1) else 2
        _add_key(out, m.group(group), m.start(group), text, m.end(), aliases)
    for m in _FIELD.finditer(text, start, end):
        if not code.in_string(m.start()):
            _add_field(out, m.group(1), m.start(1), text[m.start():m.end(1) + 2])
    reads = _GETTER.sub(_as_property, text[start:end])
    for m in _CHAIN.finditer(reads):
        at = start + m.start()
        if code.in_string(at) or mask[at] == " " or _callee_or_member(reads, m):
            continue
        _add_read(out, m.group(), at)
    return out


def _add_key(out: list[dict], key: str, at: int, text: str, value_at: int, aliases: str) -> None:
    if key.lower() in _not_data():
        return
    match = classify_name(key, aliases or None)
    cls = None
    if match is not None and match is not NEGATED:
        cls = match.cls
    elif match is None:
        cls = person_class(key)
    if cls:
        out.append({"key": key, "source": _value(text, value_at), "class": cls, "at": at})


_GETTER = lazy_pattern(r"(?<=[.>])get([A-Z]\w*)\(\s*\)")


def _as_property(m: re.Match) -> str:
    """`getEmail()` read as the property `Email` (padded: offsets stay those of the text)."""
    return m.group(1) + " " * (len(m.group()) - len(m.group(1)))


def _callee_or_member(reads: str, m: re.Match) -> bool:
    """Whether a chain is a function's name (`sha256(`), the tail of a longer chain (`.FormValue`)
    or a type (`UserData userData`): none of them a read of data."""
    before = reads[max(0, m.start() - 2) : m.start()]
    if before.endswith((".", "->", "::", ":")) or re.match(r"\s*\(", reads[m.end() : m.end() + 3]):
        return True
    return "." not in m.group() and "->" not in m.group() and "[" not in m.group() and m.group()[:1].isupper()


def _add_field(out: list[dict], name: str, at: int, read: str) -> None:
    """A field of the request or a form read by its name (`r.FormValue("email")`)."""
    match = classify_name(name)
    if match is not None and match is not NEGATED:
        out.append({"key": name, "source": read.strip(), "class": match.cls, "at": at})


def _add_read(out: list[dict], chain_text: str, at: int) -> None:
    segments = [s for s in re.split(r"\s*(?:\.|->|\?\.|&\.|\[\s*[\"']|[\"']\s*\])\s*", chain_text) if s]
    segments = [s.lstrip("$@") for s in segments]
    if not segments or segments[-1].lower() in _not_data() or len(segments) == 1 and segments[0].lower() in _not_data():
        return
    found = classify_chain(segments, chain_text)
    if found is not None:
        out.append({"key": chain_text if len(chain_text) <= 60 else chain_text[:57] + "...", "source": None,
                    "class": found.cls, "at": at, "read": True})


def _value(text: str, at: int) -> str | None:
    """The value written after a key up to the end of its item, shortened; None for a nested
    object or list (its own keys are reported) or a value on the next line."""
    depth = 0
    end = at
    limit = min(len(text), at + 200)
    while end < limit:
        ch = text[end]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            if depth == 0:
                break
            depth -= 1
        elif ch in ",;\n" and depth == 0:
            break
        end += 1
    value = " ".join(text[at:end].split())
    if not value or value[0] in "{[":
        return None
    return value if len(value) <= 60 else value[:57] + "..."
