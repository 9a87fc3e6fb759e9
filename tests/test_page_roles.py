"""Which reached files are pages (phi_lint.pageroles), asked of the page graph file by file."""

from __future__ import annotations

import pytest

from phi_lint.pagegraph.graph import PageGraph
from phi_lint.pagegraph.model import Edge
from phi_lint.pageroles import PageRoles

KINDS = {
    "base.html": "markup", "page.html": "markup", "partial.html": "markup", "alone.html": "markup",
    "view.html": "markup", "routes.js": "script", "Route.vue": "markup", "Nested.vue": "markup",
    "app.py": "code", "served.html": "markup", "self.html": "markup", "loop.html": "markup",
}
EDGES = [
    Edge("page.html", "base.html", "extends", 1),
    Edge("page.html", "partial.html", "include", 2),
    Edge("view.html", "base.html", "extends", 1),
    Edge("routes.js", "view.html", "import", 1),  # a view is still a page when a script imports it
    Edge("routes.js", "Route.vue", "import", 2),
    Edge("Route.vue", "Nested.vue", "entry", 3),  # the route component is the source of an entry edge
    Edge("Route.vue", "base.html", "layout", 0),
    Edge("app.py", "served.html", "render", 4),  # code is not a page kind: it does not make one rendered
    Edge("self.html", "self.html", "include", 1),  # a file including itself is not rendered by it
    Edge("loop.html", "partial.html", "include", 1),
    Edge("partial.html", "loop.html", "include", 1),
]
EXPECTED = {
    "base.html": False,  # a layout
    "page.html": True,  # nothing renders it
    "partial.html": False,  # included by a page
    "alone.html": True,
    "view.html": True,  # extends a layout, only imported
    "routes.js": True,
    "Route.vue": True,  # the source of an entry edge, although a script imports it
    "Nested.vue": False,  # rendered by the route component
    "app.py": False,  # not a page kind
    "served.html": True,  # only code points at it
    "self.html": True,
    "loop.html": False,  # included by the partial
    "missing.html": False,  # not in the repository
}


@pytest.mark.parametrize("rel", sorted(EXPECTED))
def test_the_role_of_each_file(rel):
    roles = PageRoles(PageGraph(EDGES), KINDS.get)
    assert roles.is_page(rel) is EXPECTED[rel]


def test_a_file_is_judged_once(monkeypatch):
    asked = []
    roles = PageRoles(PageGraph(EDGES), lambda rel: asked.append(rel) or KINDS.get(rel))
    assert roles.is_page("page.html") and roles.is_page("page.html")
    assert asked.count("page.html") == 1
