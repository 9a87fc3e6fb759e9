"""Which gate literals a file's text holds, from one native pass over it.

Every per-file stage first asks whether its syntax can be in the file at all (`"{%" in text`,
`"<script" in text.lower()`) and reads the file only if so. Each such test of a literal that is
not there reads the whole text in `str.find`'s loop, about a nanosecond a character: some twenty
of them per file of a template-heavy repository were a quarter of a cold scan. The stages
register their literals here (at import); the first question about a text runs one RE2 set
(google-re2, as the prefilter does) over its UTF-8 bytes, which reports every registered literal
that occurs, and every later question about that text is a set lookup.

The answers are exact, never an approximation:

- `contains(text, literal)` is `literal in text`. The set searches the UTF-8 bytes with RE2's
  Latin-1 option, each byte one character; UTF-8 is self-synchronising, so the bytes of a
  literal occur in the bytes of a text exactly where the literal occurs in the text.
- `contains_folded(text, literal)` is `literal in text.lower()` for a lower-case literal. For an
  ASCII text that is a match ignoring ASCII case, which the set does; a text with other
  characters is lowered by Python as before (`str.lower` maps some of them to ASCII letters).

A literal that was not registered is answered by Python, so a forgotten registration costs
time, never a wrong answer. So is a short text: the pass costs about 1.5 µs and 1.8 ns a byte,
an absent literal about 0.6 ns a character, and below MIN_CHARS a file's few gates cost less
than the pass (the 1.4 KB files of the bench corpus were 3% slower with it).
"""

from __future__ import annotations

from collections.abc import Iterable

_EXACT: dict[str, int] = {}  # literal → index of its pattern in the set
_FOLDED: dict[str, int] = {}
_compiled: list = [None]  # the set, compiled at the first question after a registration
_MEMORY = 8 << 20  # a set of a few hundred short literals needs a small fraction of this
MIN_CHARS = 4096  # shorter texts are searched by Python, gate by gate
_RECENT = 4  # texts whose answers are kept: a file's text and the blanked copies its stages make
_answers: list[tuple[str, frozenset[int]]] = []


def register(*literals: str) -> tuple[str, ...]:
    """Literals some stage tests with `contains` (case as written)."""
    _add(_EXACT, literals)
    return literals


def register_folded(*literals: str) -> tuple[str, ...]:
    """Lower-case literals some stage tests with `contains_folded`."""
    if any(literal != literal.lower() for literal in literals):
        raise ValueError("a folded gate literal is written in lower case")
    _add(_FOLDED, literals)
    return literals


def _add(table: dict[str, int], literals: Iterable[str]) -> None:
    for literal in literals:
        if literal and literal not in table:
            table[literal] = len(_EXACT) + len(_FOLDED)
            _compiled[0] = None
            _answers.clear()  # they do not know of the new literal


def contains(text: str, literal: str) -> bool:
    """`literal in text`, from the text's one pass when the literal is registered."""
    index = _EXACT.get(literal)
    if index is None or len(text) < MIN_CHARS:
        return literal in text
    return index in _found(text)


def contains_folded(text: str, literal: str) -> bool:
    """`literal in text.lower()` for a lower-case literal."""
    index = _FOLDED.get(literal)
    if index is None or len(text) < MIN_CHARS or not text.isascii():
        return literal in text.lower()
    return index in _found(text)


def contains_any(text: str, literals: Iterable[str]) -> bool:
    """`any(literal in text for literal in literals)`."""
    return any(contains(text, literal) for literal in literals)


def _found(text: str) -> frozenset[int]:
    for held, found in _answers:
        if held is text:
            return found
    literal_set = _compiled[0] if _compiled[0] is not None else _compile()
    found = frozenset(literal_set.Match(text.encode("utf-8", "surrogatepass")) or ())
    _answers.insert(0, (text, found))  # the text is held, so its identity is not reused
    del _answers[_RECENT:]
    return found


def _compile():
    import re2

    options = re2.Options()
    options.encoding = re2.Options.Encoding.LATIN1
    options.max_mem = _MEMORY
    options.log_errors = False
    literal_set = re2.Set.SearchSet(options)
    patterns = sorted([(index, re2.escape(literal.encode("utf-8", "surrogatepass"))) for literal, index in _EXACT.items()]
                      + [(index, b"(?i:" + re2.escape(literal.encode("utf-8")) + b")") for literal, index in _FOLDED.items()])
    for index, pattern in patterns:
        if literal_set.Add(pattern) != index:
            raise RuntimeError("gate literal set out of order")
    literal_set.Compile()
    _compiled[0] = literal_set
    _answers.clear()
    return literal_set
