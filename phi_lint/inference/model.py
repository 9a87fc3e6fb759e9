"""One inferred page label with its evidence."""

from __future__ import annotations

from dataclasses import dataclass

# not a page label: an Inference with this label carries the URL a route serves its page at
# (text = the URL pattern, path and line = where the route is declared), for `-f routes`; the
# scan keeps it out of the page contexts
URL_LABEL = "url"


@dataclass(frozen=True, order=True)
class Inference:
    """`page` (repo-relative) is `label` because of `text`, seen at `path`:`line`.

    label: "authenticated", "health", or "public" (a login page: not itself behind login).
    weak: a lower-confidence signal (a path name, a page that shows the signed-in user); weak
    signals are shown as such in messages.
    """

    page: str
    label: str
    text: str
    path: str
    line: int = 0
    weak: bool = False
