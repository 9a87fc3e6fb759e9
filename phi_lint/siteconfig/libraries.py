"""The external scripts of a Drupal library definition (`<extension>.libraries.yml`):

    analytics:
      js:
        https://www.googletagmanager.com/gtag/js?id=G-…: { type: external, attributes: { async: true } }
        js/analytics.js: {}

Each external URL under a library's `js:` key is a script loader, matched against the vendor
catalogue as a `<script src>` would be, at its line. Which pages load the library is the page
graph's business (phi_lint.frameworks.drupal: `attach_library`, the theme's `.info.yml`). A small
line reader of the block mapping: `#` comments and CSS files are skipped.
"""

from __future__ import annotations

import re

from phi_lint.parsers.facts import FileFacts, UrlFact

ENDING = ".libraries.yml"
MAX_LINES = 20_000
_KEY = re.compile(r"""^(?P<indent>[ \t]*)(?:(?P<quote>['"])(?P<quoted>[^'"]{1,2000})(?P=quote)|(?P<bare>[^\s'"#][^\s#]{0,2000}?))\s*:(?:\s|$)""")
_EXTERNAL = re.compile(r"^(?:https?:)?//", re.IGNORECASE)


def is_library_file(rel: str) -> bool:
    return rel.endswith(ENDING)


def library_facts(text: str) -> FileFacts:
    """A URL fact of context "script" for each external JS file of the libraries."""
    facts = FileFacts()
    section_indent: int | None = None  # the indent of the `js:` key we are under, if any
    offset = 0
    for number, raw in enumerate(text.splitlines(keepends=True)):
        if number >= MAX_LINES:
            break
        start, offset = offset, offset + len(raw)
        match = _KEY.match(raw)
        if match is None:
            continue
        indent = len(match.group("indent").expandtabs(2))
        key = match.group("quoted") or match.group("bare") or ""
        if section_indent is not None and indent <= section_indent:
            section_indent = None
        if key == "js":
            section_indent = indent
        elif section_indent is not None and _EXTERNAL.match(key):
            at = start + match.start("quoted" if match.group("quoted") else "bare")
            facts.urls.append(UrlFact(key, at, at + len(key), "script"))
    return facts
