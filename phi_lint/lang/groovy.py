"""Groovy, read just enough for Grails controllers: there is no tree-sitter grammar wheel of
the tree-sitter org for Groovy, and the Java grammar does not read Grails code (`def index() {`,
`render view: 'x'`, `@Secured(['ROLE_X'])`, closure actions `def show = { … }`).

This is the one hand-written reader left for the JVM, scoped to what phi_lint.frameworks.grails
asks: comments blanked and string contents masked (offsets unchanged), bracket pairs, the
annotations directly before a class or a method, and a class's own methods with their bodies.
Every step is linear in the file (tests/test_hostile_bounded_b.py holds the reference versions).
Java and Kotlin are read with their grammars (phi_lint.lang.java).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from phi_lint.lang.java import Annotation
from phi_lint.lazyre import LazyPattern, lazy_pattern

KEYWORDS = {"if", "for", "while", "switch", "catch", "return", "new", "super", "this", "synchronized", "when", "try", "else", "throw", "assert"}
_ANNOTATION = lazy_pattern(r"@([A-Za-z_][\w.]*)\s*(\()?")
_JVM_TOKEN_START = lazy_pattern(r'"""|\'\'\'|"|\'|//|/\*')
# the contents of a one-line string up to where it stops (its closing quote, if there is one);
# the loop is unrolled so that `re` reads each character once
_LINE_STRING_BODY = {
    '"': lazy_pattern(r'[^"\\\n]*(?:\\.[^"\\\n]*)*'),
    "'": lazy_pattern(r"[^'\\\n]*(?:\\.[^'\\\n]*)*"),
}
_QUOTE = lazy_pattern(r"[\"']")


def _run_end(pattern: LazyPattern[str], text: str, pos: int = 0) -> int:
    """Where the run of `pattern` (which also matches the empty string) from `pos` stops."""
    found = pattern.match(text, pos)
    return found.end() if found is not None else pos


class _LineStrings:
    """One-line string literals ("…", '…', backslash escapes), read left to right in linear time.

    A string that does not close on its line is no string. Every quote of its kind inside such a
    run is escaped (an unescaped one would have closed it), so a scan from just after it stops
    where the run stopped: the run is remembered instead of read again (a 400 KB line of `'\\`
    pairs was read once per quote).
    """

    def __init__(self, text: str):
        self.text = text
        self._open_until = {'"': -1, "'": -1}  # where the last unclosed run of each quote stopped

    def end(self, quote: str, body: int) -> int:
        """Offset after the closing quote of the string whose contents start at `body`, or -1."""
        if body <= self._open_until[quote]:
            return -1
        stop = _run_end(_LINE_STRING_BODY[quote], self.text, body)
        if self.text.startswith(quote, stop):
            return stop + 1
        self._open_until[quote] = stop
        return -1


def string_values(text: str) -> list[str]:
    """The contents of each one-line string literal in `text`, left to right."""
    values: list[str] = []
    strings = _LineStrings(text)
    pos = 0
    while True:
        match = _QUOTE.search(text, pos)
        if match is None:
            return values
        end = strings.end(match.group(), match.end())
        if end < 0:
            pos = match.end()
        else:
            values.append(text[match.end() : end - 1])
            pos = end


def mask(text: str) -> str:
    """Comments blanked, string contents replaced by `_` (quotes kept): offsets unchanged.

    One pass; an unterminated comment or text block runs to the end of the file.
    """
    parts: list[str] = []
    strings = _LineStrings(text)
    last = pos = 0
    while True:
        match = _JVM_TOKEN_START.search(text, pos)
        if match is None:
            break
        token = match.group()
        start, body = match.start(), match.end()
        if token == "//":
            end = text.find("\n", body)
            end = len(text) if end < 0 else end
            parts.append(text[last:start])
            parts.append(" " * (end - start))
        elif token == "/*":
            end = text.find("*/", body)
            end = len(text) if end < 0 else end + 2
            parts.append(text[last:start])
            parts.append(_NON_NEWLINE.sub(" ", text[start:end]))
        elif len(token) == 3:
            close = text.find(token, body)
            end = len(text) if close < 0 else close + 3
            inner_end = len(text) if close < 0 else close
            parts.append(text[last:body])
            parts.append(_NON_NEWLINE.sub("_", text[body:inner_end]))
            parts.append(text[inner_end:end])
        else:
            end = strings.end(token, body)
            if end < 0:  # an unterminated string (or a lone apostrophe): leave it
                pos = body
                continue
            parts.append(text[last:body])
            parts.append("_" * (end - 1 - body))
            parts.append(token)
        last = pos = end
    parts.append(text[last:])
    return "".join(parts)


_NON_NEWLINE = lazy_pattern(r"[^\n]")


def bracket_pairs(masked: str) -> dict[int, int]:
    """Offset of every `(` and `{` -> offset of the bracket that closes it (one pass)."""
    pairs: dict[int, int] = {}
    parens: list[int] = []
    braces: list[int] = []
    for match in _BRACKET.finditer(masked):
        char, at = match.group(), match.start()
        if char == "(":
            parens.append(at)
        elif char == "{":
            braces.append(at)
        elif char == ")":
            if parens:
                pairs[parens.pop()] = at
        elif braces:
            pairs[braces.pop()] = at
    return pairs


_BRACKET = lazy_pattern(r"[(){}]")


@dataclass
class _Annotation:
    name: str  # simple name: "Secured"
    text: str  # as written, with its arguments
    start: int
    end: int


def _all_annotations(text: str, masked: str, pairs: dict[int, int]) -> list[_Annotation]:
    out = []
    for match in _ANNOTATION.finditer(masked):
        end = match.end()
        if match.group(2):
            close = pairs.get(match.end() - 1, -1)
            end = close + 1 if close >= 0 else match.end()
        out.append(_Annotation(match.group(1).rsplit(".", 1)[-1], text[match.start() : end], match.start(), end))
    return out


_CLASS_GAP = lazy_pattern(r"[\s\w]*")
_METHOD_GAP = lazy_pattern(r"[\s\w<>\[\],.?]*")


def _preceding(
    annotations: list[_Annotation], ends: list[int], masked: str, at: int, gap, gap_ends: dict
) -> list[_Annotation]:
    """The annotations directly before position `at` (only modifiers and types in between).

    `gap_ends` remembers, per gap pattern and annotation, where the run of gap characters after
    the annotation stops: each run is read once, not once per class or method after it (40k
    `class A` after one annotation read the file 40k times).
    """
    found = []
    index = bisect.bisect_right(ends, at) - 1
    current = at
    while index >= 0:
        annotation = annotations[index]
        key = (gap, index)
        gap_end = gap_ends.get(key)
        if gap_end is None:
            gap_end = gap_ends[key] = _run_end(gap, masked, annotation.end)
        if annotation.end > current or gap_end < current:
            break
        found.append(annotation)
        current = annotation.start
        index -= 1
    return found

MEMBER_TOKEN = lazy_pattern(r"[{};]|@[A-Za-z_][\w.]*\s*\(|\bdef\s+(\w+)\s*=\s*\{|(?<![.@\w$])([A-Za-z_$][\w$]*)\s*\(")
# after a method's parameter list: an optional Kotlin/Groovy return type (`: T`), an optional
# `throws` list, then the body's `{` or an expression body's `=` (see body_opening)
_BODY_START = lazy_pattern(r"[{=]")
_SPACES = lazy_pattern(r"\s*")
_ONE_SPACE = lazy_pattern(r"\s")
_TYPE_CHARS = lazy_pattern(r"[\w<>?,.\[\] ]*")
_THROWS_LIST_CHARS = lazy_pattern(r"[\w.,\s]*")
_THROWS_CLAUSE = lazy_pattern(r"throws\s[\w.,\s]+")


def body_opening(masked: str, start: int, end: int) -> int | None:
    """Offset of the `{` or `=` that opens a method body, for the text after its `)` (start..end).

    The same as matching `\\s*(?::\\s*T+?)?\\s*(?:throws\\s+L+?)?\\s*(\\{|=(?!=))` at start (T: type
    characters `[\\w<>?,.\\[\\] ]`, L: `[\\w.,\\s]`), without its backtracking over white space (a
    508-byte `show(): ` + spaces + `throws` took half a minute). Nothing before the body can be a
    `{` or `=`, so the body starts at the first one, if the text before it has the shape above.
    """
    found = _BODY_START.search(masked, start, end)
    if found is None:
        return None
    at = found.start()
    if masked[at] == "=" and at + 1 < end and masked[at + 1] == "=":
        return None
    return at if _is_signature_tail(masked[start:at]) else None


def _is_signature_tail(tail: str) -> bool:
    """`tail` is white space, then optionally `: T`, then optionally `throws L` (see body_opening)."""
    first = _run_end(_SPACES, tail)
    if not tail.startswith(":", first):
        return first == len(tail) or _THROWS_CLAUSE.fullmatch(tail, first) is not None
    return _is_type_then_throws(tail[first + 1 :])


def _is_type_then_throws(rest: str) -> bool:
    """`rest` (after the colon) matches `\\s*T+\\s*` or `\\s*T+\\s*throws\\s[\\w.,\\s]+`.

    T includes the space, so the type may also be one of the spaces before what follows; the
    throws list (which may hold spaces) must run to the end.
    """
    type_start = _run_end(_SPACES, rest)
    leading_space = " " in rest[:type_start]
    if type_start == len(rest):  # only white space: the type is one of its spaces
        return leading_space
    if leading_space and _THROWS_CLAUSE.fullmatch(rest, type_start):
        return True  # `: <space> throws …`: the type was a space
    type_end = _run_end(_TYPE_CHARS, rest, type_start)
    if type_end == type_start:
        return False  # the first non-space character can be neither type nor `throws`
    gap_end = _run_end(_SPACES, rest, type_end)
    if gap_end == len(rest):
        return True  # a type and white space
    # `throws` may start anywhere after the type's first character up to the end of the white
    # space after the type's characters, and the list after it runs to the end
    list_start = len(rest) - _run_end(_THROWS_LIST_CHARS, rest[::-1])
    at = rest.find("throws", type_start + 1, gap_end + 6)
    while at >= 0:
        after = at + 6
        if after >= list_start and after + 2 <= len(rest) and _ONE_SPACE.match(rest, after):
            return True
        at = rest.find("throws", at + 1, gap_end + 6)
    return False


def members(masked: str, pairs: dict[int, int], open_at: int, close_at: int):
    """(name, name offset, body start, body end, expression body?) of the class's own methods."""
    pos = open_at + 1
    depth = 0
    results = []
    while pos < close_at:
        match = MEMBER_TOKEN.search(masked, pos, close_at)
        if match is None:
            break
        token = match.group()
        pos = match.end()
        if token == "{" and depth == 0:
            # a nested block (an inner class, an initializer) holds no member of this class: go
            # past it at once rather than token by token (40k nested unclosed classes were each
            # read to the end of the file); unclosed within the class, nothing after it counts
            block_close = pairs.get(match.start(), close_at)
            if block_close >= close_at:
                break
            pos = block_close + 1
        elif token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        elif token == ";":
            pass
        elif token.startswith("@"):
            close = pairs.get(match.end() - 1, -1)
            pos = close + 1 if close >= 0 else match.end()
        elif match.group(1) is not None:  # Groovy closure action: def show = { … }
            if depth != 0:
                depth += 1
                continue
            body_close = min(pairs.get(match.end() - 1, close_at), close_at)
            results.append((match.group(1), match.start(1), match.end(), body_close, False))
            pos = body_close + 1
        elif depth == 0 and match.group(2) not in KEYWORDS:
            paren_close = pairs.get(match.end() - 1, -1)
            if paren_close < 0:
                continue
            pos = paren_close + 1
            token_at = body_opening(masked, paren_close + 1, min(close_at, paren_close + 400))
            if token_at is None:
                continue
            if masked[token_at] == "{":
                body_close = min(pairs.get(token_at, close_at), close_at)
                results.append((match.group(2), match.start(2), token_at + 1, body_close, False))
                pos = body_close + 1
            else:
                end = masked.find("\n", token_at)
                end = close_at if end < 0 or end > close_at else end
                results.append((match.group(2), match.start(2), token_at + 1, end, True))
                pos = end
    return results


# ------------------------------------------------------------------ entry points



# ---------------------------------------------------------------- the view a framework reads

MAX_CLASSES = 200  # classes looked at per file
_CLASS = lazy_pattern(r"\bclass\s+(\w+)")


@dataclass(frozen=True)
class GroovyMethod:
    """A method (`def index() { … }`) or closure action (`def show = { … }`) of a class: its
    body is masked[body_start:body_end] of the GroovyFile."""

    name: str
    line: int
    annotations: tuple[Annotation, ...]
    body_start: int
    body_end: int


@dataclass(frozen=True)
class GroovyClass:
    name: str
    line: int
    annotations: tuple[Annotation, ...]
    methods: tuple[GroovyMethod, ...]


class GroovyFile:
    """A Groovy file's text, its masked twin (comments blank, string contents `_`), and the
    classes a caller asks for by name (`wanted(name)`), read in one pass each."""

    def __init__(self, text: str):
        self.text = text
        self.masked = mask(text)
        self.pairs = bracket_pairs(self.masked)
        self._annotations = _all_annotations(text, self.masked, self.pairs)
        self._ends = [a.end for a in self._annotations]
        self._gap_ends: dict = {}
        self._newlines = [m.start() for m in re.finditer("\n", text)]

    def line(self, offset: int) -> int:
        return bisect.bisect_left(self._newlines, offset) + 1

    def _public(self, spans: list[_Annotation]) -> tuple[Annotation, ...]:
        return tuple(Annotation(a.name, a.text, self.line(a.start), tuple(string_values(a.text))) for a in spans)

    def classes(self, wanted=lambda name: True) -> list[GroovyClass]:
        """The classes whose name `wanted` accepts (at most MAX_CLASSES), with their own methods."""
        out: list[GroovyClass] = []
        for found in _CLASS.finditer(self.masked):
            name = found.group(1)
            if not wanted(name):
                continue
            if len(out) >= MAX_CLASSES:
                break
            spans = _preceding(self._annotations, self._ends, self.masked, found.start(), _CLASS_GAP, self._gap_ends)
            open_at = self.masked.find("{", found.end())
            methods: tuple[GroovyMethod, ...] = ()
            if open_at >= 0:
                close_at = self.pairs.get(open_at, len(self.masked))
                methods = tuple(self._method(*member) for member in members(self.masked, self.pairs, open_at, close_at))
            out.append(GroovyClass(name, self.line(found.start()), self._public(spans), methods))
        return out

    def _method(self, name: str, name_at: int, body_start: int, body_end: int, _expression: bool) -> GroovyMethod:
        spans = _preceding(self._annotations, self._ends, self.masked, name_at, _METHOD_GAP, self._gap_ends)
        return GroovyMethod(name, self.line(name_at), self._public(spans), body_start, body_end)
