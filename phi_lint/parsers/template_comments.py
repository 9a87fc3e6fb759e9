"""Blank out template-engine comments so commented-out trackers and words are never seen.

The comment syntaxes come from the dialect table (rules/dialects.toml, phi_lint.dialects); the
markup parser, the page graph and the health and sign-in inference all blank them here, so
they agree on what is commented out. Characters are replaced by spaces (newlines kept) so every
offset, line and column of the rest of the file stays where it was.
"""

from __future__ import annotations

import re
from functools import lru_cache

from phi_lint import literalgates
from phi_lint.dialects import CommentForm, dialect_for, table
from phi_lint.lazyre import lazy_pattern
from phi_lint.textmemo import per_text


def markup_flavour(name: str) -> tuple[str, tuple[str, ...]] | None:
    """(parse family, comment syntaxes) of a markup file name, or None when it is not markup."""
    dialect = dialect_for(name)
    return (dialect.flavour, dialect.comments) if dialect is not None else None


def leading_literal(pattern: str, letters: bool = False) -> str:
    """The text every match of an opener regex starts with (`\\{%-?\\s*#` → `{%`, `<\\?php` → `<?`):
    a text without it has no such match. Zero-width starts (a look-behind, `\\b`, `\\A`) are
    skipped. It ends at the first letter unless `letters` (openers are matched in any case, so a
    test for the literal must not depend on case; bench/native_floor.py keeps letters)."""
    while True:  # the zero-width starts, one at a time
        rest = re.sub(r"^\(\?<[!=](?:\\.|[^)])*\)", "", pattern)  # a leading look-behind
        rest = rest[2:] if rest.startswith(("\\b", "\\A")) else rest
        if rest == pattern:
            break
        pattern = rest
    literal, i = [], 0
    while i < len(pattern):
        if pattern[i] == "\\" and i + 1 < len(pattern) and not pattern[i + 1].isalnum():
            char, width = pattern[i + 1], 2
        elif pattern[i] not in ".^$*+?{}[]()|\\":
            char, width = pattern[i], 1
        else:
            break
        if char.isalpha() and not letters:
            break
        if pattern[i + width : i + width + 1] in ("?", "*", "{"):
            break  # optional: not part of every match
        literal.append(char)
        i += width
    return "".join(literal)


def form_of(opener: re.Match[str]) -> int:
    """The index of the comment form an opener match is for: each alternative is a group c<index>."""
    name = opener.lastgroup
    assert name is not None, "every alternative of an opener pattern is a named group"
    return int(name[1:])


_FORMS: dict = {}  # (syntaxes, literal) → _Scanner


class _Scanner:
    """The comment forms of some syntaxes, grouped for literal-first scanning.

    Each form is filed under a key: the shortest opener literal of the group that its own
    literal starts with (`{{!` holds `{{!--` and `{{!`), so no key starts with another and at
    most one key occurs at any place. A key's forms are tried there as one anchored
    alternation, in table order. A form whose opener has no leading literal (the table does not
    have one; a test checks) has a key of its own, found by its regex."""

    def __init__(self, forms: list[CommentForm]):
        self.forms = forms
        literals = [leading_literal(form.open) for form in forms]
        keys: list = []
        for i, literal in enumerate(literals):
            shorter = [k for k in literals if k and literal.startswith(k)]
            keys.append(min(shorter, key=len) if literal else i)
        self.keys = list(dict.fromkeys(keys))
        literalgates.register(*(key for key in self.keys if isinstance(key, str)))
        # within a key the longest literal is tried first: ColdFusion's `<!---` before HTML's `<!--`
        self.members = {
            key: sorted((i for i, k in enumerate(keys) if k == key), key=lambda i: -len(literals[i]))
            for key in self.keys
        }
        self.openers = {
            key: re.compile("|".join(f"(?P<c{i}>{forms[i].open})" for i in members), re.IGNORECASE)
            for key, members in self.members.items()
        }
        self.closers = [re.compile(form.close, re.IGNORECASE) for form in forms]
        # a nesting form's own opener, to count the comments opened inside it
        self.inner = {i: re.compile(form.open, re.IGNORECASE) for i, form in enumerate(forms) if form.nested}

    def close_of(self, index: int, text: str, pos: int):
        """The closer ending a comment of form `index` whose opener ends at pos, or None."""
        closer = self.closers[index]
        inner = self.inner.get(index)
        if inner is None:
            return closer.search(text, pos)
        return nested_close(text, pos, inner, closer)

    def opened_at(self, text: str, at: int, keys: list):
        """The opener of the first listed form matching at `at`, of several keys found there
        (only a form without a literal shares a place with another key)."""
        matches = [m for m in (self.openers[key].match(text, at) for key in keys) if m is not None]
        return min(matches, key=form_of, default=None)

    def first_at(self, text: str, key, pos: int) -> int:
        """Where key next occurs at or after pos, -1 when it does not."""
        if isinstance(key, int):
            found = self.openers[key].search(text, pos)
            return found.start() if found is not None else -1
        return text.find(key, pos)


def _scanner(syntaxes: tuple[str, ...], literal: bool) -> _Scanner:
    key = (tuple(syntaxes), literal)
    found = _FORMS.get(key)
    if found is None:
        found = _FORMS[key] = _Scanner(table().forms(syntaxes, literal))
    return found


def blank_comments(text: str, syntaxes: tuple[str, ...], literal: bool = False) -> str:
    """See _blank_comments; computed once per file text, syntaxes and literal flag (the markup
    parser, the page graph, the frameworks and inference each ask for it)."""
    return _blank_once(text, tuple(syntaxes), literal)


literalgates.register("<!--")


@lru_cache(maxsize=1)
def _html_opener() -> re.Pattern[str]:
    """The opener of the `html` comment form, from the dialect table as the blanker reads it."""
    (form,) = table().forms(("html",), False)
    return re.compile(form.open, re.IGNORECASE)


def blank_html_comments(text: str, unclosed_runs_to_end: bool = False) -> str:
    """The text with its HTML / XML `<!-- … -->` comments blanked (newlines kept, so every offset
    and line stays where it was), for readers of markup or XML as plain text that know no dialect
    of it (the generic fallback, XML config, the page graph's script finders, page text): the same
    `html` form of rules/dialects.toml that every markup file's comments are blanked with, so a
    comment hides the same text from every stage (an SSI directive `<!--#… -->` is kept).

    An opener never closed is no comment by default (the markup parser's reading); with
    `unclosed_runs_to_end` the rest of the text from it is blanked too, as a browser reads it
    (readers that look for what a browser would load or show)."""
    if not literalgates.contains(text, "<!--"):
        return text
    blanked = blank_comments(text, ("html",))
    if unclosed_runs_to_end:
        # every closed comment is blank now, so an opener still standing is one never closed
        unclosed = _html_opener().search(blanked)
        if unclosed is not None:
            blanked = blanked[: unclosed.start()] + _spaces(blanked[unclosed.start() :])
    return blanked


@per_text
def _blank_once(text: str, syntaxes: tuple[str, ...], literal: bool) -> str:
    return _blank_comments(text, syntaxes, literal)


def _blank_comments(text: str, syntaxes: tuple[str, ...], literal: bool = False) -> str:
    """Every comment of the given syntaxes (and literal blocks such as `{% raw %}` when asked)
    replaced by spaces, newlines kept, in one left-to-right pass: the leftmost opener of any
    form starts a comment that runs to that form's first closer (of forms whose openers match
    at the same place, the first listed). An opener whose closer never comes is left alone and
    its closer is not searched for again, so the pass stays linear on hostile input.

    Openers are found literal first: `str.find` of the openers' leading literals (`{%`, `<!--`)
    gives the only places an opener can start, and only the forms of that literal are tried
    there. One alternation of every opener, searched from each position of the text, cost a
    third of a cold scan of a Jinja-heavy repository: no literal prefix lets Python's engine
    skip ahead, so it tried every branch at every character."""
    scanner = _scanner(tuple(syntaxes), literal)
    keys, places = [], []  # the keys that still occur, and where each occurs next
    for key in scanner.keys:
        found = scanner.first_at(text, key, 0) if isinstance(key, int) else _first_place(text, key)
        if found >= 0:
            keys.append(key)
            places.append(found)
    parts: list[str] = []
    last = 0
    exhausted: set[int] = set()
    while keys:
        at = min(places)
        resume = at + 1
        if places.count(at) == 1:
            opened = scanner.openers[keys[places.index(at)]].match(text, at)
        else:
            opened = scanner.opened_at(text, at, [k for k, place in zip(keys, places) if place == at])
        if opened is not None:
            index = form_of(opened)
            resume = max(opened.end(), resume)
            if scanner.forms[index].indent:
                end = indented_block_end(text, at)
                if end > at:
                    parts.append(text[last:at])
                    parts.append(_spaces(text[at:end]))
                    last = resume = end
            else:
                close = None if index in exhausted else scanner.close_of(index, text, opened.end())
                if close is None:
                    exhausted.add(index)
                else:
                    parts.append(text[last:at])
                    parts.append(_spaces(text[at : close.end()]))
                    last = resume = close.end()
        for j in range(len(keys) - 1, -1, -1):
            if places[j] < resume:
                found = scanner.first_at(text, keys[j], resume)
                if found < 0:
                    del keys[j], places[j]
                else:
                    places[j] = found
    if not parts:
        return text
    parts.append(text[last:])
    return "".join(parts)


def nested_close(text: str, pos: int, opener: re.Pattern[str], closer: re.Pattern[str]):
    """The closer that balances an opener ending at pos, counting the openers met on the way
    (each needs a closer of its own), or None when the text runs out first. Linear: each closer
    is found once and openers are only looked for before the next closer."""
    depth = 1
    close = closer.search(text, pos)
    while close is not None:
        inner = opener.search(text, pos, close.start())
        if inner is not None:
            depth += 1
            pos = inner.end()
            continue
        depth -= 1
        if depth == 0:
            return close
        pos = close.end()
        close = closer.search(text, pos)
    return None


def indent_width(text: str, start: int, end: int) -> int:
    """Width of the white space at text[start:end] (a tab counts up to the next multiple of 8)."""
    if text.find("\t", start, end) < 0:
        stripped = text[start:end].lstrip(" ")
        return end - start - len(stripped)
    width = 0
    for i in range(start, end):
        char = text[i]
        if char == " ":
            width += 1
        elif char == "\t":
            width += 8 - width % 8
        else:
            break
    return width


def indented_block_end(text: str, at: int) -> int:
    """The end of the indentation block whose opener is at `at` (Haml `-#`, Slim `/`, Pug `//`):
    the end of its line and of every following line indented deeper (blank lines between them
    included, trailing ones not); `at` itself when the opener does not start its line. Linear:
    each line is read once."""
    line_start = at
    while line_start > 0 and text[line_start - 1] in " \t":
        line_start -= 1
    if line_start > 0 and text[line_start - 1] != "\n":
        return at
    own = indent_width(text, line_start, at)
    end = text.find("\n", at)
    if end < 0:
        return len(text)
    size = len(text)
    cursor = end
    while cursor < size:
        start = cursor + 1
        stop = text.find("\n", start)
        stop = size if stop < 0 else stop
        if not text[start:stop].isspace() and start < stop:
            if indent_width(text, start, stop) <= own:
                break
            end = stop
        cursor = stop
    return end


# The first place of each literal in the last text seen: the page graph blanks a template twice
# (its own readers, then the Jinja reader, with other syntaxes), and each literal a text lacks
# costs a full scan of it. The text is held, so its identity cannot be reused by another string.
_last_text: list = [None, {}]


def _first_place(text: str, literal: str) -> int:
    if _last_text[0] is not text:
        _last_text[:] = [text, {}]
    places = _last_text[1]
    found = places.get(literal)
    if found is None:
        found = places[literal] = text.find(literal) if literalgates.contains(text, literal) else -1
    return found


_NOT_NEWLINE = lazy_pattern(r"[^\n]+")


def _spaces(span: str) -> str:
    """span with every character but newlines replaced by a space."""
    return _NOT_NEWLINE.sub(lambda run: " " * len(run.group()), span)
