"""Which pages reach a file: a backwards walk over the edges, safe with cycles, bounded.

A walk keeps, for each file it reaches, only the next step back toward where it started (a
breadth-first tree), so it costs time and memory linear in the files reached, however long the
chains. A chain is written out when asked for and is at most MAX_CHAIN entries: a longer one
keeps its first and last CHAIN_END files with an `Elided` entry between ("… 570 more …"), so 600
templates extending each other give 600 short chains, not 180,000 file names (and a report of
a gigabyte). Caps on the number of pages (MAX_PAGES) and layouts (MAX_LAYOUTS) are said in a
notification when they are hit.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from operator import attrgetter

from phi_lint.models import Notification, PageReach
from phi_lint.pagegraph.model import LAYOUT_KINDS, Edge

# the dataclass's own order (its fields in turn), compared as C tuples: sorting 20,000 edges with
# the generated __lt__ took a tenth of a second
EDGE_ORDER = attrgetter("source", "target", "kind", "line", "detail")
MAX_PAGES = 10000  # per sighting; a layout reaching more is still reported, with this many pages
MAX_LAYOUTS = 32  # layouts a page takes its context from (the nearest ones)
CHAIN_END = 10  # files kept at each end of a chain
MAX_CHAIN = 2 * CHAIN_END + 1  # a chain longer than this is elided in the middle


class Elided(str):
    """The middle of a long chain, left out: `left_out` files. A chain entry that is not a file.

    (Not `count`: that would hide str.count on the entry.)"""

    left_out: int

    def __new__(cls, left_out: int):
        value = super().__new__(cls, f"… {left_out} more …")
        value.left_out = left_out
        return value


def is_file(entry: str) -> bool:
    """A chain entry names a file (not an `Elided` middle)."""
    return not isinstance(entry, Elided)


class _Tree:
    """A breadth-first walk from `root`: each node's link one step back toward the root and its
    distance. `near_root[node]` holds the first CHAIN_END nodes of the path from the root, shared
    between nodes, so a path of any length is written out in O(MAX_CHAIN)."""

    def __init__(self, root: str):
        self.link: dict[str, str | None] = {root: None}
        self.depth: dict[str, int] = {root: 0}
        self.near_root: dict[str, tuple[str, ...]] = {root: (root,)}

    def add(self, node: str, parent: str) -> None:
        depth = self.depth[parent] + 1
        self.link[node] = parent
        self.depth[node] = depth
        start = self.near_root[parent]
        self.near_root[node] = (*start, node) if depth < CHAIN_END else start

    def path(self, node: str) -> tuple[str, ...]:
        """root, …, node; elided in the middle when longer than MAX_CHAIN."""
        length = self.depth[node] + 1
        keep = length if length <= MAX_CHAIN else CHAIN_END
        far: list[str] = []
        current: str | None = node
        while len(far) < keep and current is not None:
            far.append(current)
            current = self.link[current]
        far.reverse()
        if length <= MAX_CHAIN:
            return tuple(far)
        return (*self.near_root[node], Elided(length - 2 * CHAIN_END), *far)

    def __len__(self) -> int:
        return len(self.link)


class PageGraph:
    def __init__(self, edges: Iterable[Edge] = (), notifications: list[Notification] | None = None):
        self.edges = sorted(set(edges), key=EDGE_ORDER)
        self._parents: dict[str, list[Edge]] = {}
        self._layouts: dict[str, list[Edge]] = {}
        self._entries: set[str] = set()  # sources of `entry` edges (route components of SPA routers)
        for edge in self.edges:
            if edge.source == edge.target:
                continue
            self._parents.setdefault(edge.target, []).append(edge)
            if edge.kind in LAYOUT_KINDS:
                self._layouts.setdefault(edge.source, []).append(edge)
            elif edge.kind == "entry":
                self._entries.add(edge.source)
        self._cache: dict[str, list[PageReach]] = {}
        self._layout_cache: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        self.notifications = notifications  # where caps that are hit are said (None: nowhere)

    def edges_into(self, target: str) -> list[Edge]:
        """The edges that point at `target` from another file, in the graph's order: what the
        judging of a few reached files asks, instead of indexing every edge again."""
        return self._parents.get(target, [])

    def extends_a_layout(self, source: str) -> bool:
        """Whether `source` extends a layout (an extends/layout edge from it to another file)."""
        return source in self._layouts

    def is_entry(self, source: str) -> bool:
        """Whether `source` is the source of an `entry` edge to another file."""
        return source in self._entries

    def _notice(self, path: str, message: str) -> None:
        if self.notifications is not None:
            self.notifications.append(Notification(path, message, code="capped"))

    def pages_reaching(self, path: str) -> list[PageReach]:
        """The file itself and every page that renders it, each with its shortest chain.

        A chain runs from the page to the file: (page, …, file); nearest pages first.
        """
        if path in self._cache:
            return self._cache[path]
        tree = _Tree(path)
        queue = deque([path])
        capped = False
        while queue and not capped:
            current = queue.popleft()
            for edge in self._parents.get(current, ()):
                if edge.source in tree.link:
                    continue
                if len(tree) >= MAX_PAGES:
                    capped = True
                    break
                tree.add(edge.source, current)
                queue.append(edge.source)
        if capped:
            self._notice(path, f"page graph: more than {MAX_PAGES} files render this one; the {MAX_PAGES} nearest are judged")
        reaches = [PageReach(page, tuple(reversed(tree.path(page)))) for page in tree.link]
        reaches.sort(key=lambda r: (tree.depth[r.page], r.page))
        self._cache[path] = reaches
        return reaches

    def layouts_of(self, page: str) -> list[tuple[str, tuple[str, ...]]]:
        """Layouts a page extends, transitively (the MAX_LAYOUTS nearest): (layout, chain from
        page to layout), by layout name."""
        found = self._layout_cache.get(page)
        if found is not None:
            return found
        tree = _Tree(page)
        queue = deque([page])
        capped = False
        while queue and not capped:
            current = queue.popleft()
            for edge in self._layouts.get(current, ()):
                if edge.target in tree.link:
                    continue
                if len(tree) > MAX_LAYOUTS:
                    capped = True
                    break
                tree.add(edge.target, current)
                queue.append(edge.target)
        if capped:
            self._notice(
                page,
                f"page graph: this page extends more than {MAX_LAYOUTS} layouts; it takes its context "
                f"from the {MAX_LAYOUTS} nearest",
            )
        found = sorted((layout, tree.path(layout)) for layout in tree.link if layout != page)
        self._layout_cache[page] = found
        return found
