"""Lexical reading of server code in any of the sender languages: which characters are code,
string or comment, where a statement starts and ends, where a name is assigned.

The sender analysis asks the same few questions of Python, JS/TS, Ruby, PHP, Java, Kotlin, C#
and Go: a token-level reading answers them alike for all eight, where eight syntax trees would
need eight sets of node types for "a call and its arguments" and "an assignment". What it
cannot tell apart (a string that looks like code, macros) costs a missed key, never a crash.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from phi_lint.lazyre import lazy_pattern

STRING_CHAR = "\0"  # what a string's content becomes in the mask (its quotes are kept)
_OPEN, _CLOSE = "([{", ")]}"
MAX_STATEMENT = 6000  # characters: a statement longer than this is read up to here
_HASH_COMMENTS = {"python", "ruby", "php"}
_SLASH_COMMENTS = {"javascript", "php", "java", "kotlin", "c_sharp", "go"}


@dataclass(frozen=True)
class Code:
    """A file's text and its mask: strings' contents are STRING_CHAR, comments are spaces, so
    brackets, names and keys are read from code only; offsets are the same in both."""

    text: str
    mask: str
    language: str

    def __post_init__(self) -> None:
        starts = [0]
        starts.extend(m.end() for m in re.finditer("\n", self.text))
        object.__setattr__(self, "_line_starts", starts)

    def line_of(self, offset: int) -> int:
        return bisect_right(self._line_starts, offset)  # type: ignore[attr-defined]

    def line_start(self, line: int) -> int:
        starts = self._line_starts  # type: ignore[attr-defined]
        return starts[min(max(line, 1), len(starts)) - 1]

    def in_string(self, offset: int) -> bool:
        return 0 <= offset < len(self.mask) and self.mask[offset] == STRING_CHAR


def read_code(text: str, language: str) -> Code:
    return Code(text, _mask(text, language), language)


def _mask(text: str, language: str) -> str:
    """Strings' contents → STRING_CHAR, comments → spaces (newlines kept)."""
    out = list(text)
    n = len(text)
    i = 0
    hash_comments = language in _HASH_COMMENTS
    slash_comments = language in _SLASH_COMMENTS
    while i < n:
        c = text[i]
        if c in "\"'`":
            triple = language == "python" and text.startswith(c * 3, i)
            quote = c * 3 if triple else c
            j = i + len(quote)
            while j < n and not text.startswith(quote, j):
                if text[j] == "\\":
                    j += 1
                elif text[j] == "\n" and not triple and c != "`" and language not in ("ruby", "php"):
                    break  # an unclosed one-line string ends at the line
                j += 1
            for k in range(i + len(quote), min(j, n)):
                if out[k] != "\n":
                    out[k] = STRING_CHAR
            i = j + len(quote)
            continue
        if (hash_comments and c == "#" and not text.startswith("#[", i)) or (slash_comments and text.startswith("//", i)):
            j = text.find("\n", i)
            j = n if j < 0 else j
            for k in range(i, j):
                out[k] = " "
            i = j
            continue
        if slash_comments and text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            for k in range(i, j):
                if out[k] != "\n":
                    out[k] = " "
            i = j
            continue
        i += 1
    return "".join(out)


def statement_around(code: Code, offset: int, floor: int = 0) -> tuple[int, int]:
    """(start, end) of the statement holding `offset`: back to the outermost bracket still open
    at it (not before `floor`, the enclosing function's start), to its line's start, and on until
    the brackets opened since are closed, with the lines of a method chain that follow (`.post(…)`)."""
    mask = code.mask
    depth = 0
    start = offset
    i = offset - 1
    while i >= max(floor, offset - MAX_STATEMENT):
        ch = mask[i]
        if ch in _CLOSE:
            depth += 1
        elif ch in _OPEN:
            if depth > 0:
                depth -= 1
            elif ch == "{" and _opens_block(mask, i):
                break  # the function's or a statement's block: the statement starts inside it
            else:
                start = i
        elif ch == ";" and depth == 0:
            break
        i -= 1
    start = mask.rfind("\n", 0, start) + 1
    return start, _statement_end(mask, start)


_BLOCK_WORDS = frozenset({"else", "try", "do", "finally", "begin", "then", "is", "as"})


def _opens_block(mask: str, at: int) -> bool:
    """Whether the `{` at `at` opens a block (after `)`, `=>`, `->` or a keyword) rather than an
    object, map or initialiser literal (after `(`, `=`, `:`, `,` or a type name)."""
    before = mask[max(0, at - 80) : at].rstrip()
    if not before:
        return True
    if before[-1] in ")>":
        return True
    word = re.search(r"(\w+)$", before)
    return word is not None and word.group(1) in _BLOCK_WORDS


def _statement_end(mask: str, start: int) -> int:
    depth = 0
    i = start
    limit = min(len(mask), start + MAX_STATEMENT)
    while i < limit:
        ch = mask[i]
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(depth - 1, 0)
        elif ch == "\n" and depth == 0:
            rest = mask[i + 1 : i + 200].lstrip()
            if not rest.startswith((".", "->", "?.")):
                return i
        elif ch == ";" and depth == 0:
            return i + 1
        i += 1
    return i


_NAME = lazy_pattern(r"[$@]?[A-Za-z_][\w]*")


def names_in(code: Code, start: int, end: int) -> list[tuple[int, str]]:
    """(offset, name) of every identifier in code[start:end] outside strings and comments."""
    return [(m.start() + start, m.group()) for m in _NAME.finditer(code.mask, start, end)]


def assignments_of(code: Code, name: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each statement in code[start:end] that assigns `name` or a member of it
    (`x = …`, `const x = …`, `$x = …`, `x, err := …`, `Type x = …`, `x.field = …`, `x["k"] = …`)."""
    bare = name.lstrip("$@")
    pattern = re.compile(r"(?m)^[ \t]*(?:[\w<>\[\],.?]+[ \t]+)*(?:[$@]?\w+[ \t]*,[ \t]*)*[$@]?" + re.escape(bare)
                         + r"(?:\.\w+|\[[^\]\n]*\])*(?:[ \t]*,[ \t]*[$@]?\w+)*[ \t]*(?::[ \t]*[\w<>\[\],.?]+[ \t]*)?(?::=|=(?!=|>)|\|\|=)")
    out = []
    for m in pattern.finditer(code.mask, start, end):
        out.append((m.start(), _statement_end(code.mask, m.start())))
    return out
