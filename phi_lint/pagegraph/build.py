"""Run every edge extractor over the files of a run (each file's text is read once, by the scan)."""

from __future__ import annotations

import importlib

from phi_lint.models import Notification
from phi_lint.pagegraph.graph import PageGraph
from phi_lint.pagegraph.model import Edge
from phi_lint.pagegraph.repo import RepoIndex

# one module per family of engines; each exposes file_edges() and/or project_edges()
EXTRACTORS = (
    "phi_lint.pagegraph.templates_python",  # Jinja, Django, Nunjucks, Twig
    "phi_lint.pagegraph.templates_ruby_php",  # ERB / Rails, Blade / Laravel, PHP include
    "phi_lint.pagegraph.templates_other",  # Handlebars, EJS, Liquid, SSI, GSP, FreeMarker, script src
    "phi_lint.pagegraph.jsmodules",  # JS/TS imports, tsconfig paths
    "phi_lint.pagegraph.frameworks_js",  # Next.js, Nuxt, SvelteKit, Remix, SPA entries
)
EDGE_KINDS = ("markup", "script", "code")


def load_modules(names):
    modules = []
    for name in names:
        try:
            modules.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return modules


class GraphBuilder:
    def __init__(self, repo: RepoIndex, notifications: list[Notification]):
        self.repo = repo
        self.notifications = notifications
        self.edges: list[Edge] = []
        self.modules = load_modules(EXTRACTORS)
        self._per_file = [m.file_edges for m in self.modules if hasattr(m, "file_edges")]

    def add_file(self, rel: str, kind: str, text: str) -> None:
        if kind not in EDGE_KINDS:
            return
        for extract in self._per_file:
            try:
                self.edges.extend(extract(rel, text, self.repo))
            except RecursionError:
                self.notifications.append(Notification(rel, "page graph: nesting too deep; edges of this file skipped"))
            except Exception as exc:  # one odd file must not end the run
                self.notifications.append(
                    Notification(rel, f"page graph: internal error ({type(exc).__name__}: {exc}); edges skipped")
                )

    def finish(self) -> PageGraph:
        for module in self.modules:
            if hasattr(module, "project_edges"):
                try:
                    self.edges.extend(module.project_edges(self.repo))
                except Exception as exc:
                    self.notifications.append(
                        Notification(".", f"page graph ({module.__name__}): internal error ({type(exc).__name__}: {exc})")
                    )
        for source, name, line in self.repo.missing:
            self.notifications.append(
                Notification(source, f"line {line}: `{name}` is not in the repository (page graph)", level="note", code="missing-target")
            )
        edges = [e for e in self.edges if self.repo.exists(e.target) and self.repo.exists(e.source)]
        return PageGraph(edges, self.notifications)
