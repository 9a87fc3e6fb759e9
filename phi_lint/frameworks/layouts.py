"""A layout every one of whose pages is behind login is behind login too.

A framework module that knows which pages its guards cover (Rails views, Laravel views) hands
its inferences here with the page graph: a layout (or a layout of layouts) reached through layout
edges only from pages it labelled authenticated, and from none it labelled public, gets the label
with the first page's evidence, weak when any of those pages' is.
"""

from __future__ import annotations

from collections.abc import Iterable

from phi_lint.inference.model import Inference
from phi_lint.pagegraph.model import LAYOUT_KINDS

MAX_LAYERS = 8  # layouts of layouts


def layouts_behind_login(found: Iterable[Inference], graph) -> list[Inference]:
    """The inferences for the layouts used only by pages `found` puts behind login."""
    found = list(found)
    if graph is None or not found:
        return []
    auth: dict[str, Inference] = {}
    for inference in found:
        if inference.label == "authenticated" and inference.page not in auth:
            auth[inference.page] = inference
    public = {i.page for i in found if i.label == "public"}
    users: dict[str, set[str]] = {}
    for edge in graph.edges:
        if edge.kind in LAYOUT_KINDS and edge.source != edge.target:
            users.setdefault(edge.target, set()).add(edge.source)
    added: list[Inference] = []
    for _ in range(MAX_LAYERS):
        changed = False
        for layout in sorted(users):
            sources = users[layout]
            if layout in auth or layout in public or not all(s in auth and s not in public for s in sources):
                continue
            inference = _layout_inference(layout, sources, auth)
            auth[layout] = inference
            added.append(inference)
            changed = True
        if not changed:
            break
    return added


def _layout_inference(layout: str, sources: set[str], auth: dict[str, Inference]) -> Inference:
    first = sorted(sources)[0]
    evidence = auth[first]
    count = f"{len(sources)} pages, e.g. " if len(sources) > 1 else ""
    return Inference(
        layout,
        "authenticated",
        f"layout used only by pages behind login ({count}{first})",
        evidence.path,
        evidence.line,
        weak=any(auth[s].weak for s in sources),
    )
