"""Which of the files a tracker reaches are pages.

The page graph walks from a tracker's file to everything that renders it: the pages, but also
the layouts they extend, the partials and components they include, the scripts and modules they
load, an SPA's entry module and HTML shell. Those are how a tracker gets to a page, not pages a
visitor opens, so "reaches 2 health pages" counts pages only and the rest stays in the include
chain (`--verbose`, JSON `chain`, SARIF related locations).

A reached markup or script file is a page unless another markup or script file renders it
(an edge of any kind points at it), with two exceptions that are routes although something
points at them:

- a route component of an SPA router or a Nuxt page (the source of an `entry` edge: the router
  renders it as a page of its own), even when nested routes make it their layout;
- a file that extends a layout (the source of an `extends`/`layout` edge) while nothing extends
  it: a view is still a page when a component or a router imports it.

Files nothing renders are pages: what loads them is outside the repository (a bundle loaded by a
CMS, a page served as it is), and a standalone file tagged `phi-lint: authenticated` stays one.

A file that is not a page still counts where it is the only place a kind of sensitive label
comes from (a portal partial tagged `phi-lint: authenticated` that only unlabelled layouts
include): leaving it out would turn an exposure into silence.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from phi_lint.models import PageContext, PageReach
from phi_lint.pagegraph.graph import PageGraph
from phi_lint.pagegraph.model import LAYOUT_KINDS

PAGE_KINDS = ("markup", "script")


class PageRoles:
    """The roles of the files a scan judges, asked of the page graph file by file: a pre-commit
    run judges the few files its trackers reach, so it indexes no edge beyond the graph's own."""

    def __init__(self, graph: PageGraph, kind_of: Callable[[str], str | None]):
        self._graph = graph
        self._kind_of = kind_of
        self._known: dict[str, bool] = {}

    def is_page(self, rel: str) -> bool:
        known = self._known.get(rel)
        if known is None:
            known = self._known[rel] = self._judge(rel)
        return known

    def _judge(self, rel: str) -> bool:
        kind_of, graph = self._kind_of, self._graph
        if kind_of(rel) not in PAGE_KINDS:
            return False
        if graph.is_entry(rel):
            return True  # a route component (the source of an entry edge)
        # rendered: the target of an edge from another markup or script file
        rendered_by = [edge for edge in graph.edges_into(rel) if kind_of(edge.source) in PAGE_KINDS]
        if any(edge.kind in LAYOUT_KINDS for edge in rendered_by):
            return False  # a layout
        return not rendered_by or graph.extends_a_layout(rel)


def _sensitive_kind(context: PageContext | None) -> str | None:
    if context is None:
        return None
    if context.authenticated:
        return "authenticated"
    return "health" if context.health else None


def pages_reached(
    reaches: list[PageReach], roles: PageRoles, contexts: Mapping[str, PageContext]
) -> list[PageReach]:
    """The pages among reaches (in their order), plus the files that are not pages but alone
    carry a kind of sensitive label; the first reach (the tracker's own file) when none is left."""
    is_page = {reach.page: roles.is_page(reach.page) for reach in reaches}
    if all(is_page.values()):
        return reaches
    covered = {_sensitive_kind(contexts.get(page)) for page, page_like in is_page.items() if page_like}
    chosen = []
    for reach in reaches:
        kind = None if is_page[reach.page] else _sensitive_kind(contexts.get(reach.page))
        if is_page[reach.page] or (kind is not None and kind not in covered):
            chosen.append(reach)
    return chosen or reaches[:1]
