"""Tracker snippets in a file read as plain text: the facts a parser would give, found by regex.

No grammar is known for these files, so only shapes that mean the same in every template
language are taken:

- a URL (`https://host/…` or `//host/…`) that sits in a quote or an attribute value (right after
  `"`, `'`, a backtick, `=` or `(`): a loader, a pixel or a frame. A URL in prose is not a load.
  The element it belongs to (`<img`, Haml's `%img{`, Pug's `img(`, Slim's `img src=`) is read
  from the text just before it, for the sighting's kind (pixel, script, iframe);
- a call `name(…)` of a callee of the catalogue's call signatures (`fbq('init', …)`,
  `gtag('config', …)`), with `window.`-like prefixes dropped and its string-literal arguments
  read, so the catalogue's argument patterns and id arguments apply as they do to JavaScript.

HTML comments (`<!-- … -->`) are blanked first (phi_lint.parsers.template_comments, as every
stage blanks them): what they hold is not run by the browser. The template language's own
comments are not known and stay.
"""

from __future__ import annotations

import re
from functools import lru_cache

from phi_lint.lazyre import lazy_pattern
from phi_lint.parsers.facts import CallFact, FileFacts, UrlFact
from phi_lint.parsers.template_comments import blank_html_comments

MAX_ARGS = 8  # arguments read of a call; the catalogue's patterns look at the first few
MAX_ARG_CHARS = 2000  # how far an argument list is followed before it is given up
MAX_STRING = 500  # a string literal longer than this is no id or event name
_CONTEXT_BEFORE = 300  # characters before a URL searched for the element it belongs to

# a URL with a host (scheme optional), up to a quote, white space, markup or a closing bracket
_URL = lazy_pattern(r"(?:https?:)?//[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.)+[A-Za-z]{2,24}[^\s\"'`<>()\\]*")
_URL_OPENERS = frozenset("\"'`=(")
# the element a URL is an attribute of: `<img`, `%img`, `img(`, `img src=` at a line start
_ELEMENT = lazy_pattern(r"(?:<|%|^|\n)[ \t]*(script|img|iframe|link|source|embed)\b", re.IGNORECASE)
_GLOBAL_PREFIX = lazy_pattern(r"(?:(?:window|globalThis|self|top|parent)\.)?")


def plain_text_facts(text: str, callees: frozenset[str]) -> FileFacts:
    """The URL and call facts of a file read as plain text; `callees` are the catalogue's."""
    clean = blank_html_comments(text)
    facts = FileFacts()
    facts.urls.extend(_urls(clean))
    pattern = _call_pattern(callees)
    if pattern is not None:
        facts.calls.extend(_calls(clean, pattern))
    return facts


def _urls(text: str) -> list[UrlFact]:
    found = []
    for match in _URL.finditer(text):
        start = match.start()
        if start == 0 or text[start - 1] not in _URL_OPENERS:
            continue
        found.append(UrlFact(match.group(0), start, match.end(), _element_before(text, start)))
    return found


def _element_before(text: str, at: int) -> str:
    """The element a URL at `at` belongs to (script, img, …), else "js" (a URL in code)."""
    begin = max(0, at - _CONTEXT_BEFORE, text.rfind(">", 0, at) + 1)
    elements = [match.group(1) for match in _ELEMENT.finditer(text, begin, at)]
    return elements[-1].lower() if elements else "js"


@lru_cache(maxsize=4)
def _call_pattern(callees: frozenset[str]) -> re.Pattern[str] | None:
    """One regex of every catalogue callee written as a call: `fbq(`, `window.gtag (`."""
    names = sorted((c for c in callees if re.fullmatch(r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*", c)),
                   key=lambda c: (-len(c), c))
    if not names:
        return None
    alternatives = "|".join(re.escape(name) for name in names)
    return re.compile(r"(?<![\w$.])" + _GLOBAL_PREFIX.pattern + r"(" + alternatives + r")[ \t]*\(")


def _calls(text: str, pattern: re.Pattern[str]) -> list[CallFact]:
    found = []
    for match in pattern.finditer(text):
        args, end = _arguments(text, match.end())
        found.append(CallFact(match.group(1), tuple(args), match.start(), end))
    return found


def _arguments(text: str, at: int) -> tuple[list[str | None], int]:
    """The arguments after an opening bracket at `at`: a string literal's value, None for
    anything else; and where the call ends (its closing bracket, or where reading stopped)."""
    args: list[str | None] = []
    limit = min(len(text), at + MAX_ARG_CHARS)
    i = at
    while i < limit and len(args) < MAX_ARGS:
        while i < limit and text[i] in " \t\r\n":
            i += 1
        if i >= limit:
            break
        if text[i] == ")":
            return args, i + 1
        value, i = _argument(text, i, limit)
        args.append(value)
        if i < limit and text[i] == ",":
            i += 1
        elif i < limit and text[i] == ")":
            return args, i + 1
        else:
            break
    return args, i


def _argument(text: str, i: int, limit: int) -> tuple[str | None, int]:
    """One argument from `i`: (its value if it is a lone string literal, else None; where it ends,
    at the comma or closing bracket that ends it)."""
    quote = text[i]
    if quote in "\"'`":
        end = i + 1
        while end < limit and end - i <= MAX_STRING and text[end] != quote and text[end] != "\n":
            end += 2 if text[end] == "\\" else 1
        if end < limit and text[end] == quote:
            after = end + 1
            while after < limit and text[after] in " \t\r\n":
                after += 1
            if after < limit and text[after] in ",)":
                return text[i + 1 : end], after
    depth = 0
    while i < limit:
        char = text[i]
        if char in "([{":
            depth += 1
        elif char in ")]}":
            if depth == 0:
                return None, i
            depth -= 1
        elif char == "," and depth == 0:
            return None, i
        elif char in "\"'`":
            close = text.find(char, i + 1, min(limit, i + 1 + MAX_STRING))
            i = close if close > 0 else i
        i += 1
    return None, i
