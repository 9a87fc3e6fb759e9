"""Edges of the page graph."""

from __future__ import annotations

from dataclasses import dataclass

# Edges along which a page takes on the context of what it points to: a page that extends an
# authenticated layout is itself behind login. Includes and imports do not pass context up.
LAYOUT_KINDS = frozenset({"extends", "layout"})


@dataclass(frozen=True, order=True)
class Edge:
    """`source` renders `target`: a sighting in target reaches every page that reaches source.

    Both are repo-relative paths with forward slashes. `kind` names the mechanism (extends,
    include, import, partial, component, layout, script-src, route, …); `line` is where the
    source declares it (0 for edges implied by a framework's conventions).
    """

    source: str
    target: str
    kind: str
    line: int = 0
    detail: str = ""  # e.g. the template name as written: "partials/tracking.html"
