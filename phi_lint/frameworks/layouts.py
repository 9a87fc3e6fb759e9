"""A layout every page of which is behind login is behind login too.

A framework module that labels views through its routes (Laravel) asks this of the page graph
after its routes are resolved: the layouts (edges of kind extends / layout) used only by
authenticated pages get the label, with the first page's evidence, layouts of layouts as well.
"""

from __future__ import annotations

from phi_lint.inference.model import Inference
from phi_lint.pagegraph.model import LAYOUT_KINDS

MAX_ROUNDS = 8  # layouts of layouts


def layouts_behind_login(found: list[Inference], graph) -> list[Inference]:
    """The layouts whose every user is labelled authenticated (and none public) in `found`."""
    if graph is None or not found:
        return []
    auth: dict[str, Inference] = {}
    for inference in sorted(found):
        if inference.label == "authenticated" and inference.page not in auth:
            auth[inference.page] = inference
    public = {i.page for i in found if i.label == "public"}
    users: dict[str, set[str]] = {}
    for edge in graph.edges:
        if edge.kind in LAYOUT_KINDS and edge.source != edge.target:
            users.setdefault(edge.target, set()).add(edge.source)
    added: list[Inference] = []
    for _ in range(MAX_ROUNDS):
        changed = False
        for layout in sorted(users):
            sources = users[layout]
            if layout in auth or layout in public or not all(s in auth and s not in public for s in sources):
                continue
            first = sorted(sources)[0]
            evidence = auth[first]
            count = f"{len(sources)} pages, e.g. " if len(sources) > 1 else ""
            inference = Inference(layout, "authenticated", f"layout used only by pages behind login ({count}{first})",
                                  evidence.path, evidence.line, weak=any(auth[s].weak for s in sources))
            auth[layout] = inference
            added.append(inference)
            changed = True
        if not changed:
            break
    return added
