"""HTML and HTML-like templates with BeautifulSoup's html.parser (it keeps positions).

Only elements that can load a tracker are looked at: script src and bodies, img / iframe /
source / embed src, link href, inline on* handlers. Text, comments and links are ignored.
"""

from __future__ import annotations

import bisect
import re

from phi_lint.frontmatter import front_matter_span
from phi_lint.lazyre import lazy_pattern
from phi_lint.parsers.facts import FileFacts, UrlFact
from phi_lint.parsers.template_comments import blank_comments
from phi_lint.textio import LineIndex

_URL_ATTRIBUTES = {
    "script": ("src", "data-src"),
    "img": ("src", "data-src"),
    "iframe": ("src", "data-src"),
    "source": ("src",),
    "embed": ("src",),
    "link": ("href",),
}
_NOT_CODE_TYPES = {
    "application/ld+json",
    "application/json",
    "importmap",
    "speculationrules",
    "text/template",
    "text/x-template",
    "text/html",
    "text/x-handlebars-template",
    "text/x-handlebars",
    "text/ng-template",
    "text/x-jsrender",
}
_TS_LANGS = {"ts", "typescript", "tsx"}
_HANDLER = lazy_pattern(r"\bon[a-z]+\s*=\s*([\"'])", re.IGNORECASE)


_TAG_SPECIAL = lazy_pattern(r"[\"'>]")


class _TagEnds:
    """What _end_of_open_tag learnt about one text: the answer at each quote or `>` reached
    outside a quoted value, and, once searching has read more than twice the text, the sorted
    offsets of every quote and `>` (found by bisection from then on)."""

    def __init__(self, text: str):
        self.text = text
        self.answers: dict[int, list[int]] = {}
        self.read = 0
        self.specials: list[int] | None = None

    def next_special(self, at: int) -> int:
        """Offset of the first quote or `>` at or after `at`, or -1."""
        if self.specials is None:
            found = _TAG_SPECIAL.search(self.text, at)
            stop = found.start() if found else len(self.text)
            self.read += stop - at
            if self.read > 2 * len(self.text):
                self.specials = [m.start() for m in _TAG_SPECIAL.finditer(self.text)]
            return found.start() if found else -1
        index = bisect.bisect_left(self.specials, at)
        return self.specials[index] if index < len(self.specials) else -1


_TAG_ENDS: list[_TagEnds] = []  # of the last texts read


def _end_of_open_tag(text: str, start: int) -> int:
    """Offset just past the '>' that closes the tag opened at start (quoted values skipped), or
    the end of the text.

    Read from quote to quote, with the answer remembered at each quote or `>` reached outside a
    quoted value: a later tag that reaches the same one shares the rest of the way. Each tag read
    to its own end, character by character, was quadratic in unclosed tags (6,000 `<input` took
    a minute).
    """
    ends = _tag_ends(text)
    n = len(text)
    visited: list[int] = []
    answer = [n]
    i = start + 1
    while i < n:
        at = ends.next_special(i)
        if at < 0:
            break
        known = ends.answers.get(at)
        if known is not None:
            answer = known
            break
        visited.append(at)
        if text[at] == ">":
            answer = [at + 1]
            break
        close = text.find(text[at], at + 1)
        if close < 0:
            break
        i = close + 1
    for at in visited:
        ends.answers[at] = answer
    return answer[0]


def _tag_ends(text: str) -> _TagEnds:
    for ends in _TAG_ENDS:
        if ends.text is text:
            return ends
    ends = _TagEnds(text)
    _TAG_ENDS.insert(0, ends)
    del _TAG_ENDS[4:]
    return ends


# The soup of the last markup text parsed: the sightings parser and the data-sent analysis read
# the same file (its comments blanked the same way) one after the other, and html.parser was the
# largest cost of a file with a tracker. Both only read the tree.
_last_soup: list = [None, None]


def soup_of(text: str):
    """The BeautifulSoup tree (html.parser) of text, parsed once for consecutive callers that
    only read it; exceptions of the parser are raised to each caller."""
    if _last_soup[0] is not None and (_last_soup[0] is text or _last_soup[0] == text):
        return _last_soup[1]
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")
    _last_soup[:] = [text, soup]
    return soup


def parse_markup(
    text: str,
    flavour: str = "html",
    syntaxes: tuple[str, ...] = (),
    packages: frozenset[str] = frozenset(),
    depth: int = 0,
    source=None,
) -> FileFacts:
    """Facts of markup; `source` (a phi_lint.lang.Source of the file) shares the parses of
    script blocks that are the file's text unchanged with the other stages."""
    from phi_lint.parsers.javascript import parse_javascript

    facts = FileFacts()
    if syntaxes:
        text = blank_comments(text, syntaxes)
    if flavour == "astro":
        block = front_matter_span(text, leading_space=True)
        if block is not None:
            if block.end > block.start:
                front = text[block.start : block.end]
                script = source.script_for(front, block.start, "ts") if source is not None else None
                sub = parse_javascript(front, "ts", packages, depth + 1, script=script)
                facts.extend(sub.shifted(block.start))
            # the markup parser sees blanks where the front matter was, on the same lines
            text = "".join("\n" if c == "\n" else " " for c in text[: block.close_end]) + text[block.close_end :]
    try:
        soup = soup_of(text)
    except Exception as exc:  # html.parser is strict about very little, but never crash a scan
        facts.problems.append(f"markup could not be parsed ({type(exc).__name__}: {exc}); skipped")
        return facts
    index = LineIndex(text)
    lower = None
    script_ranges: list[tuple[int, int]] = []
    for tag in soup.find_all(True):
        line, pos = tag.sourceline, tag.sourcepos
        if line is None or pos is None:
            continue
        name = tag.name.lower()
        attrs = tag.attrs
        start = index.offset(line, pos + 1)
        open_end = None
        for attribute in _URL_ATTRIBUTES.get(name, ()):
            value = attrs.get(attribute)
            if isinstance(value, list):  # multi-valued attributes such as class
                value = " ".join(value)
            if value and value.strip():
                open_end = open_end or _end_of_open_tag(text, start)
                facts.urls.append(UrlFact(value.strip(), start, open_end, name))
        if any(key.lower().startswith("on") for key in attrs):
            open_end = open_end or _end_of_open_tag(text, start)
            for match in _HANDLER.finditer(text, start, open_end):
                value_start = match.end()
                value_end = text.find(match.group(1), value_start, open_end)
                if value_end > value_start:
                    sub = parse_javascript(text[value_start:value_end], "js", packages, depth + 1)
                    sub.inline_ranges.append((0, value_end - value_start))
                    facts.extend(sub.shifted(value_start))
        if name == "script" and not attrs.get("src"):
            script_type = str(attrs.get("type", "")).strip().lower()
            if script_type in _NOT_CODE_TYPES:
                continue
            body_start = open_end or _end_of_open_tag(text, start)
            if lower is None:
                lower = text.lower()
            body_end = lower.find("</script", body_start)
            if body_end == -1:
                body_end = len(text)
            body = text[body_start:body_end]
            script_ranges.append((body_start, body_end))
            if not body.strip():
                continue
            lang = str(attrs.get("lang", "")).strip().lower()
            dialect = "ts" if lang in _TS_LANGS or script_type in ("text/typescript", "ts") else "js"
            if lang == "tsx":
                dialect = "tsx"
            script = source.script_for(body, body_start, dialect) if source is not None else None
            sub = parse_javascript(body, dialect, packages, depth + 1, script=script)
            if flavour not in ("vue", "svelte", "astro") or depth > 0:
                sub.inline_ranges.append((0, len(body)))
            facts.extend(sub.shifted(body_start))
    if flavour in ("vue", "svelte", "astro") and facts.imports:
        _template_component_uses(text, facts, script_ranges)
    return facts


def _template_component_uses(text: str, facts: FileFacts, script_ranges: list[tuple[int, int]]) -> None:
    """An SDK component imported in a single-file component's script and used in its markup."""
    from phi_lint.parsers.facts import PackageUseFact

    used = {(u.module, u.binding) for u in facts.package_uses}
    for module, binding, local in facts.imports:
        if (module, binding) in used:
            continue
        for match in re.finditer(r"<" + re.escape(local) + r"(?=[\s/>])", text):
            if any(start <= match.start() < end for start, end in script_ranges):
                continue
            end = _end_of_open_tag(text, match.start())
            facts.package_uses.append(PackageUseFact(module, binding, None, match.start(), end, jsx=True))
            break
