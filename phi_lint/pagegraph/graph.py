"""Which pages reach a file: a backwards walk over the edges, safe with cycles."""

from __future__ import annotations

from collections import deque
from operator import attrgetter

from phi_lint.models import PageReach
from phi_lint.pagegraph.model import LAYOUT_KINDS, Edge

# the dataclass's own order (its fields in turn), compared as C tuples: sorting 20,000 edges with
# the generated __lt__ took a tenth of a second
EDGE_ORDER = attrgetter("source", "target", "kind", "line", "detail")
MAX_PAGES = 10000  # per sighting; a layout reaching more is still reported, with this many pages


class PageGraph:
    def __init__(self, edges: list[Edge] = ()):
        self.edges = sorted(set(edges), key=EDGE_ORDER)
        self._parents: dict[str, list[Edge]] = {}
        self._layouts: dict[str, list[Edge]] = {}
        for edge in self.edges:
            if edge.source == edge.target:
                continue
            self._parents.setdefault(edge.target, []).append(edge)
            if edge.kind in LAYOUT_KINDS:
                self._layouts.setdefault(edge.source, []).append(edge)
        self._cache: dict[str, list[PageReach]] = {}

    def pages_reaching(self, path: str) -> list[PageReach]:
        """The file itself and every page that renders it, each with its shortest chain.

        A chain runs from the page to the file: (page, …, file).
        """
        if path in self._cache:
            return self._cache[path]
        chains: dict[str, tuple[str, ...]] = {path: (path,)}
        queue = deque([path])
        while queue and len(chains) < MAX_PAGES:
            current = queue.popleft()
            for edge in self._parents.get(current, ()):
                if edge.source not in chains:
                    chains[edge.source] = (edge.source, *chains[current])
                    queue.append(edge.source)
        reaches = [PageReach(page, chain) for page, chain in chains.items()]
        reaches.sort(key=lambda r: (len(r.chain), r.page))
        self._cache[path] = reaches
        return reaches

    def layouts_of(self, page: str) -> list[tuple[str, tuple[str, ...]]]:
        """Layouts a page extends, transitively: (layout, chain from page to layout)."""
        seen: dict[str, tuple[str, ...]] = {}
        queue = deque([(page, (page,))])
        while queue:
            current, chain = queue.popleft()
            for edge in self._layouts.get(current, ()):
                if edge.target not in seen and edge.target != page:
                    seen[edge.target] = (*chain, edge.target)
                    queue.append((edge.target, seen[edge.target]))
        return sorted(seen.items())

    def edge_between(self, source: str, target: str) -> Edge | None:
        for edge in self._parents.get(target, ()):
            if edge.source == source:
                return edge
        return None
