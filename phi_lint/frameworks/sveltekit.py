"""SvelteKit: the layouts around a page, and the `load` functions that guard pages.

Page graph (project edges): `routes/**/+page.svelte` → every `+layout.svelte` up the tree
(honouring `+page@x.svelte` resets) and `src/app.html` (kind "layout").

Authenticated pages: a `+layout.server.ts` / `+page.server.ts` (or universal `+page.ts`) `load`
that redirects to the login page without a user → the page, or every page and layout below the
layout.
"""

from __future__ import annotations

import posixpath
import re

from phi_lint.frameworks import Framework, register
from phi_lint.frameworks.jsguards import redirects_to_login
from phi_lint.frameworks.reads import Reads
from phi_lint.inference.model import Inference
from phi_lint.lazyre import lazy_pattern
from phi_lint.pagegraph import jsmodules
from phi_lint.pagegraph.model import Edge

_SVELTEKIT_LOAD = lazy_pattern(r"^\+(?:page|layout)(?:\.server)?\.(?:ts|js)$")


def is_load_file(name: str) -> bool:
    """Whether a file name is a SvelteKit route's `load` module (+page.server.ts, +layout.ts…)."""
    return bool(_SVELTEKIT_LOAD.match(name))


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _outermost(parts: list[str], name: str) -> int | None:
    for index, part in enumerate(parts[:-1]):
        if part == name:
            return index
    return None


def _sveltekit_load(rel: str, text: str, repo) -> list[Inference]:
    """A SvelteKit `load` that redirects to the login page without a user guards its page, or
    every page below its layout."""
    code = jsmodules.blank_comments(text)
    if not re.search(r"locals|cookies|session|Session|getUser|user", code):
        return []
    where = redirects_to_login(code)
    if not where:
        return []
    at = re.search(r"\bredirect\s*\(", code)
    line = _line(text, at.start()) if at else 1
    directory = posixpath.dirname(rel)
    name = posixpath.basename(rel)
    why = f"SvelteKit `load` in {name} redirects to {where} without a user"
    pages = []
    if name.startswith("+page"):
        pages = [r for r in repo.of_kind("markup") if posixpath.dirname(r) == directory and re.match(r"\+page(@[^.]*)?\.svelte$", posixpath.basename(r))]
    else:
        prefix = directory + "/" if directory else ""
        pages = [
            r
            for r in repo.of_kind("markup")
            if r.startswith(prefix) and re.match(r"\+(?:page|layout|error)(@[^.]*)?\.svelte$", posixpath.basename(r))
        ]
    return [Inference(page, "authenticated", why, rel, line) for page in pages]


_SVELTE_PAGE = lazy_pattern(r"^\+(?:page|error)(?:@(?P<reset>[^.]*))?\.svelte$")
_SVELTE_LAYOUT = lazy_pattern(r"^\+layout(?:@[^.]*)?\.svelte$")


def _sveltekit_edges(repo) -> list[Edge]:
    layouts: dict[str, list[str]] = {}
    pages = []
    for rel in repo.of_kind("markup"):
        name = posixpath.basename(rel)
        if _SVELTE_LAYOUT.match(name):
            layouts.setdefault(posixpath.dirname(rel), []).append(rel)
        elif _SVELTE_PAGE.match(name):
            pages.append(rel)
    edges = []
    for rel in pages:
        parts = rel.split("/")
        routes = _outermost(parts, "routes")
        if routes is None:
            continue
        root = "/".join(parts[: routes + 1])
        page = _SVELTE_PAGE.match(parts[-1])
        reset = page.group("reset") if page else None
        directory = posixpath.dirname(rel)
        climbing = reset is None
        while True:
            if not climbing and (posixpath.basename(directory) == reset or (reset == "" and directory == root)):
                climbing = True
            if climbing:
                for layout in layouts.get(directory, ()):
                    edges.append(Edge(rel, layout, "layout", 0, "SvelteKit layout"))
            if directory == root or not directory:
                break
            directory = posixpath.dirname(directory)
        parent = posixpath.dirname(root)
        shell = f"{parent}/app.html" if parent else "app.html"
        if repo.exists(shell):
            edges.append(Edge(rel, shell, "layout", 0, "SvelteKit app.html"))
    return edges



@register
class SvelteKit(Framework):
    id = "sveltekit"
    name = "SvelteKit"
    reads = {"infer_source": (Reads(kinds=("script",)),)}

    def project_edges(self, repo) -> list[Edge]:
        return _sveltekit_edges(repo)

    def infer_source(self, source, repo) -> list[Inference]:
        if repo.kind(source.rel) != "script" or not is_load_file(posixpath.basename(source.rel)):
            return []
        return _sveltekit_load(source.rel, source.text, repo)
