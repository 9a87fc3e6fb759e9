"""Run every edge extractor over the files of a run (each file's text is read once, by the scan)."""

from __future__ import annotations

import importlib

from phi_lint.frameworks import registered
from phi_lint.lang import Source
from phi_lint.models import Notification
from phi_lint.pagegraph.graph import PageGraph
from phi_lint.pagegraph.model import Edge
from phi_lint.pagegraph.repo import RepoIndex

# one module per family of engines; each exposes file_edges(rel, text, repo), or source_edges(source,
# repo) to read the file's shared parse (a phi_lint.lang.Source), and/or project_edges(repo)
EXTRACTORS = (
    "phi_lint.pagegraph.templates_python",  # Jinja, Django, Nunjucks, Twig
    "phi_lint.pagegraph.templates_ruby_php",  # ERB / Rails, Blade / Laravel, PHP include
    "phi_lint.pagegraph.templates_other",  # Handlebars, EJS, Liquid, SSI, GSP, FreeMarker, script src
    "phi_lint.pagegraph.jsimports",  # JS/TS imports (resolved by jsmodules: tsconfig paths, aliases)
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


def _per_file(module):
    """The module's per-file extractor, called as extract(source, repo)."""
    if hasattr(module, "source_edges"):
        return module.source_edges
    file_edges = module.file_edges
    return lambda source, repo: file_edges(source.rel, source.text, repo)


class GraphBuilder:
    def __init__(self, repo: RepoIndex, notifications: list[Notification]):
        self.repo = repo
        self.notifications = notifications
        self.edges: list[Edge] = []
        self.modules = load_modules(EXTRACTORS)
        self._per_file = [_per_file(m) for m in self.modules if hasattr(m, "source_edges") or hasattr(m, "file_edges")]
        # the framework modules (phi_lint.frameworks): one registry, each with every hook
        self.frameworks = registered()
        self._per_file.extend(framework.source_edges for framework in self.frameworks)

    def add_file(self, rel: str, kind: str, text: str, source: Source | None = None) -> None:
        """The edges of one file; `source` is the file's phi_lint.lang.Source when the caller has
        one (its parses are then shared with the other stages), else one is made here."""
        if kind not in EDGE_KINDS:
            return
        if source is None or source.text is not text:
            source = Source(rel, text)
        for extract in self._per_file:
            try:
                self.edges.extend(extract(source, self.repo))
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
        for framework in self.frameworks:
            try:
                self.edges.extend(framework.project_edges(self.repo))
            except Exception as exc:
                self.notifications.append(
                    Notification(".", f"page graph ({framework.name}): internal error ({type(exc).__name__}: {exc})")
                )
        for source, name, line in self.repo.missing:
            self.notifications.append(
                Notification(source, f"line {line}: `{name}` is not in the repository (page graph)", level="note", code="missing-target")
            )
        edges = [e for e in self.edges if self.repo.exists(e.target) and self.repo.exists(e.source)]
        return PageGraph(edges, self.notifications)
