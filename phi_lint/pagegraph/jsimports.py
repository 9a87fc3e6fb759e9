"""Page-graph edges of JavaScript / TypeScript module imports (kind "import"; "component" for an
Angular templateUrl, "layout" for an Astro page's layout component).

What a module references is read by phi_lint.pagegraph.jsmodules (from the file's shared parse
where there is one) and resolved there the way bundlers do; route components that a router file
mentions only as routes are left out here and linked to the SPA entry by
phi_lint.frameworks.spa_router, whose route table (phi_lint.frameworks.jsrouter) of the file says which they are.
"""

from __future__ import annotations

import posixpath

from phi_lint.frameworks.jsrouter import routes_of
from phi_lint.pagegraph import jsmodules
from phi_lint.pagegraph.model import Edge


def source_edges(source, repo) -> list[Edge]:
    """The import edges of one file (`source`: its phi_lint.lang.Source)."""
    rel, text = source.rel, source.text
    kind = repo.kind(rel)
    if kind not in ("script", "markup"):
        return []
    blocks = jsmodules.script_blocks(rel, text)
    if not blocks:
        return []
    omit: frozenset[str] = frozenset()
    if kind == "script":
        omit = routes_of(source).route_only
    lines = jsmodules.LineIndex(text)
    astro = rel.lower().endswith(".astro")
    directory = posixpath.dirname(rel)
    edges: list[Edge] = []
    seen: set[tuple[str, str]] = set()
    for start, end in blocks:
        script = source.script_at(start, end, jsmodules.block_dialect(rel, text, start))
        for spec, offset, how in jsmodules.module_references(text, start, end, script):
            if how == "templateUrl":
                target = posixpath.normpath(posixpath.join(directory, spec))
                if repo.exists(target):
                    edges.append(Edge(rel, target, "component", lines.line(offset), spec))
                elif not jsmodules.on_disk(repo, target):
                    repo.note_missing(rel, spec, lines.line(offset))
                continue
            if spec in omit:
                continue
            target, status = jsmodules.resolve(repo, rel, spec)
            if status == "missing":
                repo.note_missing(rel, spec, lines.line(offset))
                continue
            if target is None or target == rel:
                continue
            if (target, how) in seen:
                continue
            seen.add((target, how))
            edge_kind = "import"
            if astro and target.endswith(".astro") and "/layouts/" in "/" + target:
                edge_kind = "layout"  # an Astro page wraps itself in a layout component it imports
            edges.append(Edge(rel, target, edge_kind, lines.line(offset), spec))
    return edges

