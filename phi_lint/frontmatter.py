"""Front matter: the block between a file's opening `---` line and the next `---` line, and the
`layout:` it names. The one reader of both: the Markdown page gate (phi_lint.siteconfig.pages: a
page needs front matter, or a layout), the Jekyll / Eleventy layout edges
(phi_lint.frameworks.jekyll), and the TypeScript block of an Astro component (the markup parser,
the module graph, `add-ignore`) ask the same questions and must get the same answers, whatever
the line endings (`\\r\\n` files are common in repositories edited on Windows) and however the key
is spaced (`layout : post` is a layout too). A `---` line that no `---` line closes opens no
front matter, for all of them.

Offsets are kept: the block is a slice of the text, so a caller counts lines from it.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from phi_lint.lazyre import lazy_pattern

# the opening line: `---` (after a byte-order mark) and blanks; the closing one: `---` and blanks.
# An Astro component may have white space before its opening line (the Astro compiler skips it).
_OPENER = lazy_pattern(r"\A\ufeff?---[ \t]*\r?\n")
_OPENER_AFTER_SPACE = lazy_pattern(r"\A\ufeff?\s*---[ \t]*\r?\n")
_CLOSER = lazy_pattern(r"^---[ \t]*\r?$", re.MULTILINE)

# `layout: name`, `layout : "name"`, with an optional `# comment` (see front_matter_layout)
_LAYOUT_KEY = lazy_pattern(r"^layout[ \t]*:[ \t]*", re.MULTILINE)
_VALUE_STOP = lazy_pattern(r"[\"'\r\n#]")
_VALUE_END = lazy_pattern(r"[^ \t][ \t]*\Z")
_LINE_REST = lazy_pattern(r"[ \t]*(?:#.*)?\r?$", re.MULTILINE)


class Span(NamedTuple):
    """Where a text's front matter is: its body is text[start:end] (the lines between the two
    `---` lines, with their line breaks), and the closing `---` line ends at `close_end` (after
    its line break, if it has one)."""

    start: int
    end: int
    close_end: int


def front_matter_span(text: str, leading_space: bool = False) -> Span | None:
    """Where a text's front matter is, None when it has none (no `---` line first, or none that
    closes it); an empty body (`---` then `---`) is front matter. `leading_space`: white space
    may come before the opening line (an Astro component)."""
    opened = (_OPENER_AFTER_SPACE if leading_space else _OPENER).match(text)
    if opened is None:
        return None
    closed = _CLOSER.search(text, opened.end())
    if closed is None:
        return None
    close_end = closed.end() + text.startswith("\n", closed.end())
    return Span(opened.end(), closed.start(), close_end)


def front_matter(text: str) -> tuple[int, str] | None:
    """(offset of its first line, the block) of a Markdown page's or a template's front matter
    (see front_matter_span), None when it has none."""
    span = front_matter_span(text)
    return None if span is None else (span.start, text[span.start : span.end])


def _line_ends(text: str, at: int) -> bool:
    """Whether a line ends at `at`: a `\\n`, a `\\r\\n`, a `\\r` that ends the text, or the end."""
    return at >= len(text) or text[at] == "\n" or (text[at] == "\r" and text[at + 1 : at + 2] in ("", "\n"))


def front_matter_layout(front: str) -> tuple[int, str] | None:
    """(offset of its line, value) of the first `layout:` line that has a value, as
    `^layout[ \\t]*:[ \\t]*(["']?)([^"'\\r\\n#]+?)\\1[ \\t]*(?:#.*)?\\r?$` (multi-line) captured it.

    That pattern read a run of blanks in the value once per character of it (quadratic, more
    with the blanks after the colon); here each line is read once. Unquoted, the value runs to
    the first `#` or line end (a quote or a carriage return that does not end the line there:
    no value) and loses its trailing blanks; with nothing before that, it is the last blank after
    the colon. Quoted, it runs to the next quote, which must close it.
    """
    for key in _LAYOUT_KEY.finditer(front):
        start = key.end()
        quote = front[start : start + 1]
        if quote in ("'", '"'):
            stop = _VALUE_STOP.search(front, start + 1)
            end = stop.start() if stop else len(front)
            if end > start + 1 and front.startswith(quote, end) and _LINE_REST.match(front, end + 1):
                return key.start(), front[start + 1 : end]
            continue
        stop = _VALUE_STOP.search(front, start)
        end = stop.start() if stop else len(front)
        if front[end : end + 1] != "#" and not _line_ends(front, end):
            continue
        # a value that starts with a non-blank (the blanks after the colon are the key's)
        last = _VALUE_END.search(front, start, end) if end > start else None
        if last:
            return key.start(), front[start : last.start() + 1]
        if front[start - 1] in " \t":
            return key.start(), front[start - 1]
    return None


def layout_name(front: str) -> str | None:
    """The layout a front matter block names (blanks stripped), None when it names none."""
    found = front_matter_layout(front)
    name = found[1].strip() if found is not None else ""
    return name or None
