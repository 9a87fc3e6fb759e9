"""Small helpers shared by the reporters, and how text from a scanned repository is shown.

File names, snippets, vendor names and messages come from the scanned repository or from user
vendor files: they are data. `printable` shows the characters a terminal or a log reader would
act on (newlines that start a fake line, escape sequences, bidi overrides that reorder what is
shown) as visible escapes, and names whose bytes are not UTF-8 as `\\xff`. `excerpt` does the
same for a quote in an error message, cut short so a message never echoes a whole file.
"""

from __future__ import annotations

from collections import Counter

from phi_lint.lazyre import lazy_pattern

# C0 controls and DEL, C1 controls (8-bit forms of ESC sequences), line and paragraph
# separators, bidi embeddings, overrides and isolates, and lone surrogates: the bytes of a file
# name that are not UTF-8 (os.fsdecode maps byte 0xNN to U+DCNN) or a lone \uD800 escape in JSON.
_UNPRINTABLE = lazy_pattern("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_SURROGATE = lazy_pattern("[\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
EXCERPT_LENGTH = 60


def _escape(char: str) -> str:
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    if 0xDC80 <= code <= 0xDCFF:  # a raw byte of a file name that is not UTF-8
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def printable(text: str) -> str:
    """text with control, separator and bidi characters (and undecodable bytes) shown visibly."""
    return _UNPRINTABLE.sub(lambda match: _escape(match.group()), text)


def excerpt(text: str, limit: int = EXCERPT_LENGTH) -> str:
    """At most limit printable characters of text, and `…` when some were left out."""
    shown: list[str] = []
    length = 0
    for char in text[: limit + 1]:
        piece = printable(char)
        if length + len(piece) > limit:
            return "".join(shown) + "…"
        shown.append(piece)
        length += len(piece)
    return "".join(shown) + ("…" if len(text) > limit else "")


def json_utf8(document: str) -> str:
    """A JSON document made by json.dumps(ensure_ascii=False), with each lone surrogate (a byte
    of a file name that is not UTF-8) replaced by its visible escape as JSON text: the document
    encodes as UTF-8 and the value reads `\\xff`. Nothing else changes."""
    if _SURROGATE.search(document) is None:
        return document
    return _SURROGATE.sub(lambda match: _escape(match.group()).replace("\\", "\\\\"), document)


FAIL_LEVELS = ("error", "warning", "note")  # --fail-on choices, most severe first
DEFAULT_FAIL_ON = "warning"


def failing(findings, fail_on: str = DEFAULT_FAIL_ON) -> list:
    """Findings that fail a run: those at fail_on or more severe. By default errors and
    warnings (notes are inventory); `--fail-on error` lets warnings pass, `note` fails on any."""
    levels = FAIL_LEVELS[: FAIL_LEVELS.index(fail_on) + 1]
    return [f for f in findings if f.level in levels]


def fail_on_sentence(findings, fail_on: str) -> str:
    """'With --fail-on error, 1 finding fails the run.': said when the threshold is not the
    default, so the summary and the exit status tell the same story."""
    if fail_on == DEFAULT_FAIL_ON:
        return ""
    count = len(failing(findings, fail_on))
    verb = "fails" if count == 1 else "fail"
    return f"With --fail-on {fail_on}, {plural(count, 'finding')} {verb} the run."


def plural(n: int, word: str, plural_word: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural_word or word + 's')}"


def tracker_findings(findings) -> list:
    """Findings about a tracker: not PHI900, which reports on a suppression comment (its
    "vendor" is phi-lint itself, which is no vendor of the inventory), and not a
    Content-Security-Policy's allowance, which is evidence about a vendor, not a sighting of it."""
    return [f for f in findings if f.sighting.kind not in ("suppression", "csp")]


SUPPRESSION_KINDS = (
    ("inSource", "by inline ignores"),
    ("external", "by the ignore file or per-file-ignores"),
    ("baseline", "by the baseline"),
    ("since", "as already present at the --since ref"),
)


def suppression_breakdown(suppressed) -> str:
    """'3 by inline ignores, 2 by the baseline': how many findings each mechanism hides."""
    kinds = Counter(getattr(f.suppression, "kind", None) for f in suppressed)
    known = ", ".join(f"{kinds[kind]} {label}" for kind, label in SUPPRESSION_KINDS if kinds[kind])
    return known or "by inline ignores, the ignore file or the baseline"


def baa_lowered_sentence(lowered) -> str:
    """'2 findings lowered to inventory by baa-vendors: PHI001 Segment (Twilio), PHI003 Hotjar ×2',
    or "" when baa-vendors lowered nothing: a BAA claim in config must not hide a finding unsaid."""
    if not lowered:
        return ""
    groups = Counter((" and ".join(f.lowered_from), printable(f.vendor_name)) for f in lowered)
    shown = ", ".join(f"{rules} {vendor}" + (f" ×{n}" if n > 1 else "") for (rules, vendor), n in sorted(groups.items()))
    return f"{plural(len(lowered), 'finding')} lowered to inventory by baa-vendors: {shown}."


def page_entries(result, finding, limit: int) -> tuple[list[tuple[str, tuple[str, ...], str]], int]:
    """The first `limit` pages a finding reaches, each as (page, the files through which it
    renders the tracker, its evidence in words), and how many more there are: the page list of
    the reports that hold prose (GitLab's description, JUnit's failure text)."""
    entries = []
    for reach in finding.pages[:limit]:
        context = result.contexts.get(reach.page)
        why = "; ".join(e.describe(reach.page) for ev in context.labels.values() for e in ev) if context else ""
        entries.append((reach.page, tuple(str(step) for step in reach.chain[1:]), why))
    return entries, max(0, len(finding.pages) - limit)
