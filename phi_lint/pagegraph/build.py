"""Run every edge extractor over the files of a run (each file's text is read once, by the scan):
the template dialects', the JS module system's and every registered framework's."""

from __future__ import annotations

from functools import cached_property

from phi_lint.frameworks import Framework, hook_reads, overrides, registered
from phi_lint.frameworks.reads import HookDispatch
from phi_lint.lang import Source
from phi_lint.models import Notification
from phi_lint.pagegraph import jsimports, templates_other, templates_python, templates_server
from phi_lint.pagegraph.graph import PageGraph
from phi_lint.pagegraph.model import Edge
from phi_lint.pagegraph.repo import RepoIndex

EDGE_KINDS = ("markup", "script", "code")


def _with_text(file_edges):
    """file_edges(rel, text, repo) called as extract(source, repo)."""
    return lambda source, repo: file_edges(source.rel, source.text, repo)


# the template dialects' and the module system's edges, whatever the framework (the frameworks'
# own come from phi_lint.frameworks): per file, and from the project's conventions
FILE_EXTRACTORS = (
    _with_text(templates_python.file_edges),  # Jinja, Django, Nunjucks, Twig
    _with_text(templates_other.file_edges),  # Handlebars, EJS, Liquid, SSI, GSP, FreeMarker, script src
    _with_text(templates_server.file_edges),  # ColdFusion, Velocity, Mako
    jsimports.source_edges,  # JS/TS imports (resolved by jsmodules: tsconfig paths, aliases)
)
PROJECT_EXTRACTORS = (templates_other.project_edges,)


class GraphBuilder:
    def __init__(self, repo: RepoIndex, notifications: list[Notification]):
        self.repo = repo
        self.notifications = notifications
        self.edges: list[Edge] = []

    @cached_property
    def frameworks(self) -> list[Framework]:
        """Every framework, imported when first needed: a run whose files and project edges all
        come from the cache (a pre-commit run) imports none of their modules."""
        return registered()

    @cached_property
    def _per_file(self) -> HookDispatch:
        """The extractors, each called only for the files it may read (phi_lint.frameworks.reads)."""
        return HookDispatch([*((extract, None) for extract in FILE_EXTRACTORS),
                             *((framework.source_edges, hook_reads(framework, "source_edges"))
                               for framework in self.frameworks if overrides(framework, "source_edges"))])

    def add_file(self, rel: str, kind: str, text: str, source: Source | None = None) -> None:
        """The edges of one file; `source` is the file's phi_lint.lang.Source when the caller has
        one (its parses are then shared with the other stages), else one is made here."""
        if kind not in EDGE_KINDS:
            return
        if source is None or source.text is not text:
            source = Source(rel, text)
        for extract in self._per_file.for_file(self.repo.kind(rel), source.suffix):
            try:
                self.edges.extend(extract(source, self.repo))
            except RecursionError:
                self.notifications.append(Notification(rel, "page graph: nesting too deep; edges of this file skipped"))
            except Exception as exc:  # one odd file must not end the run
                self.notifications.append(
                    Notification(rel, f"page graph: internal error ({type(exc).__name__}: {exc}); edges skipped")
                )

    def project_edges(self) -> list[Edge]:
        """The edges of the project's conventions (framework layouts, route files): what the
        project index (phi_lint.projectindex) keeps between runs."""
        edges: list[Edge] = []
        for extract in PROJECT_EXTRACTORS:
            try:
                edges.extend(extract(self.repo))
            except Exception as exc:
                self.notifications.append(
                    Notification(".", f"page graph ({extract.__module__}): internal error ({type(exc).__name__}: {exc})")
                )
        for framework in self.frameworks:
            try:
                edges.extend(framework.project_edges(self.repo))
            except Exception as exc:
                self.notifications.append(
                    Notification(".", f"page graph ({framework.name}): internal error ({type(exc).__name__}: {exc})")
                )
        return edges

    def finish(self, project_edges: list[Edge] | None = None) -> PageGraph:
        """The graph of every file's edges and the project's (computed here unless given)."""
        self.edges.extend(self.project_edges() if project_edges is None else project_edges)
        for source, name, line in self.repo.missing:
            self.notifications.append(
                Notification(source, f"line {line}: `{name}` is not in the repository (page graph)", level="note", code="missing-target")
            )
        edges = [e for e in self.edges if self.repo.exists(e.target) and self.repo.exists(e.source)]
        return PageGraph(edges, self.notifications)
