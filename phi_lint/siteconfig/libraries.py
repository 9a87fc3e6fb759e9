"""The external scripts of a Drupal library definition (`<extension>.libraries.yml`):

    analytics:
      js:
        https://www.googletagmanager.com/gtag/js?id=G-…: { type: external, attributes: { async: true } }
        js/analytics.js: {}

Each external URL under a library's `js:` key is a script loader, matched against the vendor
catalogue as a `<script src>` would be, at its line. Which pages load the library is the page
graph's business (phi_lint.frameworks.drupal: `attach_library`, the theme's `.info.yml`). The
block mapping is read by the shared YAML reader (phi_lint.siteconfig.values): `#` comments and
CSS files are skipped.
"""

from __future__ import annotations

import re

from phi_lint.lazyre import lazy_pattern
from phi_lint.parsers.facts import FileFacts, UrlFact
from phi_lint.siteconfig.values import yaml_entries

ENDING = ".libraries.yml"
_EXTERNAL = lazy_pattern(r"^(?:https?:)?//", re.IGNORECASE)


def is_library_file(rel: str) -> bool:
    return rel.endswith(ENDING)


def library_facts(text: str) -> FileFacts:
    """A URL fact of context "script" for each external JS file of the libraries: a key below a
    `js:` key that is a URL (read by the shared YAML reader, whose keys may hold colons)."""
    facts = FileFacts()
    for entry in yaml_entries(text):
        key = entry.path[-1]
        if "js" in entry.path[:-1] and _EXTERNAL.match(key):
            facts.urls.append(UrlFact(key, entry.offset, entry.offset + len(key), "script"))
    return facts
