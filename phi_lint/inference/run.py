"""Run every inference module over the files of a run."""

from __future__ import annotations

from operator import attrgetter

from phi_lint.frameworks import registered
from phi_lint.frameworks.routes import inferences as route_inferences
from phi_lint.inference.model import Inference
from phi_lint.lang import Source
from phi_lint.models import Notification
from phi_lint.pagegraph.build import load_modules

INFERRERS = (
    "phi_lint.inference.ruby_php",  # Rails, Laravel
    "phi_lint.inference.health",  # health vocabulary, paths, titles, forms
    "phi_lint.inference.signals",  # weak signals: path names, signed-in user, login pages
)
INFER_KINDS = ("markup", "script", "code")


def _source(rel: str, text: str, source: Source | None) -> Source:
    return source if source is not None and source.text is text else Source(rel, text)


def _per_file(module):
    """The module's per-file inferrer, called as infer(source, repo)."""
    if hasattr(module, "infer_source"):
        return module.infer_source
    return _with_text(getattr(module, "infer_routes", None) or module.infer_file)


def _with_text(infer):
    """infer(rel, text, repo) called as infer(source, repo)."""
    return lambda source, repo: infer(source.rel, source.text, repo)


def _framework_file(framework):
    """A framework's per-file inferences: what the file says of pages, and its routes resolved."""

    def infer(source: Source, repo) -> list[Inference]:
        return [*framework.infer_source(source, repo), *route_inferences(framework.file_routes(source, repo))]

    return infer


class InferenceRunner:
    def __init__(self, repo, notifications: list[Notification]):
        self.repo = repo
        self.notifications = notifications
        self.found: list[Inference] = []
        self.modules = load_modules(INFERRERS)
        # a module that separates what a file says of other pages (routes, guards: needed for
        # every file) from what a page says of itself (needed only for pages a tracker reaches)
        # exposes infer_routes and infer_page; the others infer_file, run for every file
        # a module that reads the file's shared parse exposes infer_source(source, repo) instead
        self._per_file = [_per_file(m) for m in self.modules
                          if hasattr(m, "infer_source") or hasattr(m, "infer_routes") or hasattr(m, "infer_file")]
        self._per_page = [_with_text(m.infer_page) for m in self.modules if hasattr(m, "infer_page")]
        self._hinters = [m.file_hints for m in self.modules if hasattr(m, "file_hints")]
        # the framework modules (phi_lint.frameworks): one registry, each with every hook
        self.frameworks = registered()
        for framework in self.frameworks:
            self._per_file.append(_framework_file(framework))
            self._per_page.append(framework.infer_page)
            self._hinters.append(framework.file_hints)

    def add_file(self, rel: str, kind: str, text: str, source: Source | None = None) -> None:
        """The inferences every file contributes (its own page's are left to add_page); `source`
        is the file's phi_lint.lang.Source when the caller has one (its parses are shared)."""
        if kind in INFER_KINDS:
            self._run(self._per_file, _source(rel, text, source), self.found)

    def file_hints(self, rel: str, kind: str, text: str) -> tuple[str, ...]:
        """What the project passes will want to know of this file without reading it again."""
        hints: tuple[str, ...] = ()
        if kind in INFER_KINDS:
            for hinter in self._hinters:
                hints += hinter(rel, text)
        return hints

    def page_inferences(self, rel: str, kind: str, text: str, source: Source | None = None) -> list[Inference]:
        """What a page says of itself (titles, headings, text, forms, path, login form)."""
        found: list[Inference] = []
        if kind in INFER_KINDS:
            self._run(self._per_page, _source(rel, text, source), found)
        return found

    def _run(self, functions, source: Source, found: list[Inference]) -> None:
        rel = source.rel
        for infer in functions:
            try:
                found.extend(infer(source, self.repo))
            except RecursionError:
                self.notifications.append(Notification(rel, "context inference: nesting too deep; skipped"))
            except Exception as exc:
                self.notifications.append(
                    Notification(rel, f"context inference: internal error ({type(exc).__name__}: {exc}); skipped")
                )

    def finish(self, graph) -> list[Inference]:
        for framework in self.frameworks:
            try:
                self.found.extend(framework.infer_project(self.repo, graph))
                self.found.extend(route_inferences(framework.routes(self.repo, graph)))
            except Exception as exc:
                self.notifications.append(
                    Notification(".", f"context inference ({framework.name}): internal error ({type(exc).__name__}: {exc})")
                )
        for module in self.modules:
            if hasattr(module, "infer_project"):
                try:
                    self.found.extend(module.infer_project(self.repo, graph))
                except Exception as exc:
                    self.notifications.append(
                        Notification(".", f"context inference ({module.__name__}): internal error ({type(exc).__name__}: {exc})")
                    )
        return sorted(set(self.found), key=attrgetter("page", "label", "text", "path", "line", "weak"))
