"""Blank out template-engine comments so commented-out trackers are never seen.

Characters are replaced by spaces (newlines kept) so every offset, line and column of the
rest of the file stays where it was.
"""

from __future__ import annotations

import re

# comment syntaxes per template flavour: (opening regex, closing regex) pairs. Each comment is
# found by searching the opener, then its closer from there, so unclosed openers cost one
# search, never a rescan of the rest of the file (no quadratic blow-up on hostile input).
_SYNTAX = {
    "jinja": [(r"\{#", r"#\}"), (r"\{%-?\s*comment\s*-?%\}", r"\{%-?\s*endcomment\s*-?%\}")],
    "handlebars": [(r"\{\{!--", r"--\}\}"), (r"\{\{!(?!--)", r"\}\}")],
    "erb": [(r"<%#", r"%>")],
    "blade": [(r"\{\{--", r"--\}\}")],
    "liquid": [(r"\{%-?\s*comment\s*-?%\}", r"\{%-?\s*endcomment\s*-?%\}"), (r"\{%-?\s*#", r"%\}")],
    "jsp": [(r"<%--", r"--%>")],
    "freemarker": [(r"<#--", r"-->")],
    "razor": [(r"@\*", r"\*@")],
    "jsx": [(r"\{/\*", r"\*/\}")],
    "php": [(r"<\?php\s*/\*", r"\*/")],
}

# flavours by file name ending; .html files may be Jinja, Django, Nunjucks, Handlebars or Angular
FLAVOURS: list[tuple[tuple[str, ...], str, tuple[str, ...]]] = [
    ((".blade.php",), "blade", ("blade",)),
    ((".html.erb", ".erb", ".rhtml"), "erb", ("erb",)),
    ((".ejs",), "ejs", ("erb",)),
    ((".hbs", ".handlebars", ".mustache"), "handlebars", ("handlebars",)),
    ((".liquid",), "liquid", ("liquid", "jinja")),
    ((".jsp", ".gsp", ".jspf"), "jsp", ("jsp",)),
    ((".ftl", ".ftlh"), "freemarker", ("freemarker",)),
    ((".cshtml", ".razor"), "razor", ("razor",)),
    ((".php", ".phtml"), "php", ("php",)),
    ((".vue",), "vue", ()),
    ((".svelte",), "svelte", ()),
    ((".astro",), "astro", ("jsx",)),
    (
        (".html", ".htm", ".xhtml", ".shtml", ".jinja", ".jinja2", ".j2", ".njk", ".nunjucks", ".twig", ".tpl", ".djhtml"),
        "html",
        ("jinja", "handlebars"),
    ),
]

_COMPILED = {
    name: [(re.compile(o, re.IGNORECASE), re.compile(c, re.IGNORECASE)) for o, c in pairs]
    for name, pairs in _SYNTAX.items()
}


def markup_flavour(name: str) -> tuple[str, tuple[str, ...]] | None:
    lower = name.lower()
    for endings, flavour, syntaxes in FLAVOURS:
        if lower.endswith(endings):
            return flavour, syntaxes
    return None


def _spans(text: str, opener: re.Pattern, closer: re.Pattern):
    pos = 0
    while True:
        start = opener.search(text, pos)
        if start is None:
            return
        end = closer.search(text, start.end())
        if end is None:
            return  # unclosed: nothing after it can be a complete comment of this kind
        yield start.start(), end.end()
        pos = end.end()


def blank_comments(text: str, syntaxes: tuple[str, ...]) -> str:
    spans = []
    for syntax in syntaxes:
        for opener, closer in _COMPILED[syntax]:
            spans.extend(_spans(text, opener, closer))
    if not spans:
        return text
    spans.sort()
    out, pos = [], 0
    for start, end in spans:
        if end <= pos:
            continue
        start = max(start, pos)
        out.append(text[pos:start])
        out.append("".join("\n" if c == "\n" else " " for c in text[start:end]))
        pos = end
    out.append(text[pos:])
    return "".join(out)
