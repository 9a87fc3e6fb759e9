"""Blank out template-engine comments so commented-out trackers and words are never seen.

The comment syntaxes come from the dialect table (rules/dialects.toml, phi_lint.dialects); the
markup parser, the page graph and the health and sign-in inference all blank them here, so
they agree on what is commented out. Characters are replaced by spaces (newlines kept) so every
offset, line and column of the rest of the file stays where it was.
"""

from __future__ import annotations

import re

from phi_lint.dialects import CommentForm, dialect_for, table


def markup_flavour(name: str) -> tuple[str, tuple[str, ...]] | None:
    """(parse family, comment syntaxes) of a markup file name, or None when it is not markup."""
    dialect = dialect_for(name)
    return (dialect.flavour, dialect.comments) if dialect is not None else None


def leading_literal(pattern: str) -> str:
    """The text every match of an opener regex starts with, up to its first letter
    (`\\{%-?\\s*#` → `{%`, `<\\?php` → `<?`): a text without it has no such comment."""
    pattern = re.sub(r"^\(\?<[!=](?:\\.|[^)])*\)", "", pattern)  # a leading look-behind
    literal, i = [], 0
    while i < len(pattern):
        if pattern[i] == "\\" and i + 1 < len(pattern) and not pattern[i + 1].isalnum():
            char, width = pattern[i + 1], 2
        elif pattern[i] not in ".^$*+?{}[]()|\\":
            char, width = pattern[i], 1
        else:
            break
        if char.isalpha():
            break  # openers are matched case-insensitively: the literal test must not depend on case
        if pattern[i + width : i + width + 1] in ("?", "*", "{"):
            break  # optional: not part of every match
        literal.append(char)
        i += width
    return "".join(literal)


_COMPILED: dict = {}  # (forms whose opener literal occurs in the text) → (opener alternation, closers)


def _compiled(forms: tuple[CommentForm, ...]):
    found = _COMPILED.get(forms)
    if found is None:
        opener = re.compile("|".join(f"(?P<c{i}>{f.open})" for i, f in enumerate(forms)), re.IGNORECASE)
        closers = [re.compile(f.close, re.IGNORECASE) for f in forms]
        found = _COMPILED[forms] = (opener, closers)
    return found


_FORMS: dict = {}  # (syntaxes, literal) → [(form, opener literal)]


def _forms_of(syntaxes: tuple[str, ...], literal: bool) -> list[tuple[CommentForm, str]]:
    key = (tuple(syntaxes), literal)
    found = _FORMS.get(key)
    if found is None:
        found = _FORMS[key] = [(form, leading_literal(form.open)) for form in table().forms(syntaxes, literal)]
    return found


def blank_comments(text: str, syntaxes: tuple[str, ...], literal: bool = False) -> str:
    """Every comment of the given syntaxes (and literal blocks such as `{% raw %}` when asked)
    replaced by spaces, newlines kept, in one left-to-right pass: the leftmost opener of any
    form starts a comment that runs to that form's first closer. An opener whose closer never
    comes is left alone and its closer is not searched for again, so the pass stays linear on
    hostile input."""
    forms = tuple(form for form, start in _forms_of(tuple(syntaxes), literal) if start in text)
    if not forms:
        return text
    opener, closers = _compiled(forms)
    parts: list[str] = []
    last = pos = 0
    exhausted: set[int] = set()
    while True:
        match = opener.search(text, pos)
        if match is None:
            break
        index = int(match.lastgroup[1:])
        if index in exhausted:
            pos = match.end()
            continue
        close = closers[index].search(text, match.end())
        if close is None:
            exhausted.add(index)
            pos = match.end()
            continue
        parts.append(text[last : match.start()])
        parts.append("".join("\n" if c == "\n" else " " for c in text[match.start() : close.end()]))
        last = pos = close.end()
    if not parts:
        return text
    parts.append(text[last:])
    return "".join(parts)
