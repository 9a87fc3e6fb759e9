"""Block readers of the template syntaxes: Jinja (and Django, Nunjucks, Twig), ERB, Blade and
Handlebars (and Mustache). Each finds the block tags of a file, linearly, and feeds them to
`Branches`; the file's comments are blanked by the caller first, so a commented-out condition
is not read."""

from __future__ import annotations

import re
from collections.abc import Iterator

from phi_lint.lazyre import lazy_pattern
from phi_lint.signedin.branches import ANY, Branch, Branches
from phi_lint.signedin.conditions import SIGNED_IN, SIGNED_OUT, Meaning, Syntax
from phi_lint.textio import LineIndex

MAX_TAG = 2000  # a longer "tag" is an opener whose closer is far away: not a condition tag
MAX_SHOWN = 100


def tags(text: str, opener: str, closer: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, inside) of every `opener … closer` tag, in one pass (the next closer is found
    once and kept while openers come before it, so text without closers costs no more)."""
    pos, next_close = 0, -1
    while True:
        start = text.find(opener, pos)
        if start == -1:
            return
        inner_start = start + len(opener)
        if next_close < inner_start:
            next_close = text.find(closer, inner_start)
            if next_close == -1:
                return
        if next_close - start > MAX_TAG:
            pos = inner_start
            continue
        end = next_close + len(closer)
        yield start, end, text[inner_start:next_close]
        pos = end


def shown(tag: str) -> str:
    """A tag as a note quotes it: spaces collapsed, shortened."""
    tag = " ".join(tag.split())
    return tag if len(tag) <= MAX_SHOWN else tag[: MAX_SHOWN - 3] + "..."


def _first_word(code: str) -> tuple[str, str]:
    parts = code.split(None, 1)
    if not parts:
        return "", ""
    return parts[0], parts[1] if len(parts) > 1 else ""


def read_jinja(text: str, syntax: Syntax, lines: LineIndex) -> list[Branch]:
    """`{% if %}` / `{% elif %}` (`elseif` in Twig and Nunjucks) / `{% else %}` / `{% endif %}`,
    and `{% for %}` … `{% else %}` … `{% endfor %}` so that a loop's else is not taken for an if's."""
    found = Branches()
    for start, end, inner in tags(text, "{%", "%}"):
        word, rest = _first_word(inner.strip("-+~ \t\r\n"))
        word = word.lower()
        tag = shown(text[start:end])
        line = lines.position(start)[0]
        if word == "if":
            found.open("if", tag, syntax.meaning(rest), end, line)
        elif word == "for":
            found.open("for", tag, None, end, line)
        elif word in ("elif", "elseif"):
            found.branch(ANY, tag, syntax.meaning(rest), start, end, line)
        elif word == "else":
            found.branch(ANY, tag, None, start, end, line)
        elif word == "endif":
            found.close("if", start)
        elif word == "endfor":
            found.close("for", start)
    return found.found


_ERB_BLOCK_END = lazy_pattern(r"(?:\bdo(?:\s*\|[^|]*\|)?|\{(?:\s*\|[^|]*\|)?)\s*$")
_ERB_OPENERS = frozenset({"case", "while", "until", "for", "begin"})


def read_erb(text: str, syntax: Syntax, lines: LineIndex) -> list[Branch]:
    """`<% if %>` / `<% unless %>` / `<% elsif %>` / `<% else %>` / `<% end %>`; `do` blocks and
    `case`, `while`, … are blocks too, since `end` closes whichever is innermost."""
    found = Branches()
    for start, end, inner in tags(text, "<%", "%>"):
        code = inner.lstrip("=-").rstrip("-").strip()
        word, rest = _first_word(code)
        tag = shown(text[start:end])
        line = lines.position(start)[0]
        if word in ("if", "unless") and not re.search(r"\bend\s*$", rest):
            meaning = syntax.meaning(rest.removesuffix(" then").strip())
            if word == "unless" and meaning is not None:
                meaning = meaning.negated() if meaning.exact else None
            found.open("ruby", tag, meaning, end, line)
        elif word == "elsif":
            found.branch(ANY, tag, syntax.meaning(rest), start, end, line)
        elif word == "else":
            found.branch(ANY, tag, None, start, end, line)
        elif word in ("end", "}"):
            found.close(ANY, start)
        elif word in _ERB_OPENERS or _ERB_BLOCK_END.search(code):
            found.open("ruby", tag, None, end, line)
    return found.found


_BLADE = lazy_pattern(
    r"(?<![\w@])@(if|elseif|else|endif|unless|endunless|auth|elseauth|endauth|guest|elseguest|endguest)\b"
)
_BLADE_ENDS = {"endif": "if", "endunless": "unless", "endauth": "auth", "endguest": "guest"}


class _Budget:
    """Characters the argument reader may still look at in one file: linear in its size, so a file
    of `@if(` openers that never close costs no more than reading it twice."""

    def __init__(self, text: str):
        self.left = 2 * len(text) + 10_000

    def spend(self, count: int) -> None:
        self.left -= count


def _parenthesised(text: str, pos: int, budget: _Budget) -> tuple[str, int] | None:
    """The balanced `( … )` at pos (after spaces) and the offset after it; None when there is none
    within MAX_TAG characters or the budget is spent. Quotes are skipped so `')'` in a string does
    not close it."""
    i = pos
    while i < len(text) and text[i] in " \t":
        i += 1
    if i >= len(text) or text[i] != "(":
        return None
    limit = min(len(text), i + MAX_TAG, i + max(budget.left, 0))
    found, scanned = _balanced(text, i, limit)
    budget.spend(scanned)
    return found


def _balanced(text: str, i: int, limit: int) -> tuple[tuple[str, int] | None, int]:
    """(the parenthesised text at i and the offset after it, or None; characters read)."""
    depth, quote, j = 0, "", i
    while j < limit:
        char = text[j]
        if quote:
            if char == "\\":
                j += 1
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return (text[i + 1 : j], j + 1), j + 1 - i
        j += 1
    return None, j - i


def _directive_meaning(name: str, syntax: Syntax) -> Meaning | None:
    if name in syntax.signed_out_blocks:
        return Meaning(SIGNED_OUT)
    if name in syntax.signed_in_blocks:
        return Meaning(SIGNED_IN)
    return None


def read_blade(text: str, syntax: Syntax, lines: LineIndex) -> list[Branch]:
    """`@if(…)` / `@elseif(…)` / `@else` / `@endif`, `@unless(…)` … `@endunless`, and the
    directives that are the condition themselves: `@guest` … `@else` … `@endguest`, `@auth`."""
    found = Branches()
    budget = _Budget(text)
    for match in _BLADE.finditer(text):
        word, start = match.group(1), match.start()
        args = _parenthesised(text, match.end(), budget)
        end = args[1] if args else match.end()
        tag = shown(text[start:end])
        line = lines.position(start)[0]
        expression = args[0] if args else None
        if word in ("if", "unless"):
            meaning = syntax.meaning(expression) if expression is not None else None
            if word == "unless" and meaning is not None:
                meaning = meaning.negated()
            found.open(word, tag, meaning, end, line)
        elif word in ("auth", "guest"):
            found.open(word, tag, _directive_meaning(word, syntax), end, line)
        elif word == "elseif":
            found.branch(ANY, tag, syntax.meaning(expression) if expression is not None else None, start, end, line)
        elif word in ("elseauth", "elseguest"):
            found.branch(ANY, tag, _directive_meaning(word.removeprefix("else"), syntax), start, end, line)
        elif word == "else":
            found.branch(ANY, tag, None, start, end, line)
        else:
            found.close(_BLADE_ENDS[word], start)
    return found.found


_HANDLEBARS_HELPERS = frozenset({"if", "unless", "each", "with", "let", "each-in", "in-element"})


def read_handlebars(text: str, syntax: Syntax, lines: LineIndex) -> list[Branch]:
    """`{{#if x}}` / `{{else if y}}` / `{{else}}` (or `{{^}}`) / `{{/if}}`, `{{#unless x}}`, and
    Mustache sections: `{{#currentUser}}` is shown when it is set, `{{^currentUser}}` when not."""
    found = Branches()
    for start, end, inner in tags(text, "{{", "}}"):
        code = inner.strip("~ \t\r\n")
        if not code or code[0] not in "#^/e":
            continue
        tag = shown(text[start:end])
        line = lines.position(start)[0]
        if code[0] in "#^":
            word, rest = _first_word(code[1:])
            if code == "^":
                found.branch(ANY, tag, None, start, end, line)
            elif code[0] == "#" and word in ("if", "unless"):
                meaning = syntax.meaning(rest)
                if word == "unless" and meaning is not None:
                    meaning = meaning.negated()
                found.open(word, tag, meaning, end, line)
            elif word in _HANDLEBARS_HELPERS or rest:
                found.open(word, tag, None, end, line)
            else:  # a Mustache section on a name
                meaning = syntax.meaning(word)
                if code[0] == "^" and meaning is not None:
                    meaning = meaning.negated()
                found.open(word, tag, meaning, end, line)
        elif code[0] == "/":
            found.close(code[1:].strip(), start)
        else:
            word, rest = _first_word(code)
            if word != "else":
                continue
            condition = _first_word(rest)
            meaning = syntax.meaning(condition[1]) if condition[0] == "if" else None
            if condition[0] == "unless" and (unless := syntax.meaning(condition[1])) is not None:
                meaning = unless.negated()
            found.branch(ANY, tag, meaning, start, end, line)
    return found.found


READERS = {"jinja": read_jinja, "erb": read_erb, "blade": read_blade, "handlebars": read_handlebars}
