"""Blank out template-engine comments so commented-out trackers are never seen.

Characters are replaced by spaces (newlines kept) so every offset, line and column of the
rest of the file stays where it was.
"""

from __future__ import annotations

import re

# comment syntaxes per template flavour
_SYNTAX = {
    "jinja": [r"\{#.*?#\}", r"\{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\}"],
    "handlebars": [r"\{\{!--.*?--\}\}", r"\{\{![^}]*\}\}"],
    "erb": [r"<%#.*?%>"],
    "blade": [r"\{\{--.*?--\}\}"],
    "liquid": [r"\{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\}", r"\{%-?\s*#[^%]*%\}"],
    "jsp": [r"<%--.*?--%>"],
    "freemarker": [r"<#--.*?-->"],
    "razor": [r"@\*.*?\*@"],
    "jsx": [r"\{/\*.*?\*/\}"],
    "php": [r"<\?php\s*/\*.*?\*/"],
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

_COMPILED = {name: re.compile("|".join(p), re.DOTALL | re.IGNORECASE) for name, p in _SYNTAX.items()}


def markup_flavour(name: str) -> tuple[str, tuple[str, ...]] | None:
    lower = name.lower()
    for endings, flavour, syntaxes in FLAVOURS:
        if lower.endswith(endings):
            return flavour, syntaxes
    return None


def _blank(match: re.Match) -> str:
    return "".join("\n" if c == "\n" else " " for c in match.group())


def blank_comments(text: str, syntaxes: tuple[str, ...]) -> str:
    for syntax in syntaxes:
        pattern = _COMPILED[syntax]
        if syntax == "jinja" and "{#" not in text and "comment" not in text:
            continue
        text = pattern.sub(_blank, text)
    return text
