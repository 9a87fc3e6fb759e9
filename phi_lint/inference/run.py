"""Run every inference over the files of a run: the framework modules' (phi_lint.frameworks,
one registry) and the page-level inferences every stack shares (health words, weak signals)."""

from __future__ import annotations

from functools import cached_property

from phi_lint.frameworks import Framework, hook_reads, overrides, registered
from phi_lint.frameworks.reads import HookDispatch
from phi_lint.frameworks.routes import handler_inferences, url_inferences
from phi_lint.frameworks.routes import inferences as route_inferences
from phi_lint.generic.files import GENERIC
from phi_lint.generic.pages import path_inferences
from phi_lint.inference import health, signals
from phi_lint.inference.model import INFERENCE_ORDER, Inference, guards_beat_names
from phi_lint.lang import Source
from phi_lint.lang.endings import name_suffix
from phi_lint.models import Notification

# what a page says of itself, whatever its stack: run only for pages a tracker reaches
PAGE_INFERRERS = (
    health.infer_page,  # health vocabulary, paths, titles, forms
    signals.infer_page,  # weak signals: path names, signed-in user, login pages
)
# what needs the whole project: forms in partials reach the pages that include them
PROJECT_INFERRERS = (health.infer_project,)
INFER_KINDS = ("markup", "script", "code")


def _source(rel: str, text: str, source: Source | None) -> Source:
    return source if source is not None and source.text is text else Source(rel, text)


def _with_text(infer):
    """infer(rel, text, repo) called as infer(source, repo)."""
    return lambda source, repo: infer(source.rel, source.text, repo)


def _framework_file(framework) -> list:
    """A framework's per-file inferences, each hook with the files it reads: what the file says
    of pages, and its routes resolved (only the hooks it defines are called)."""
    hooks = []
    if overrides(framework, "infer_source"):
        hooks.append((framework.infer_source, hook_reads(framework, "infer_source")))
    if overrides(framework, "file_routes"):
        hooks.append((lambda source, repo: _resolved(framework.file_routes(source, repo)),
                      hook_reads(framework, "file_routes")))
    return hooks


def _resolved(routes) -> list[Inference]:
    """The page labels routes give, the URL of each page they serve (for `-f routes`) and the
    guards of the handlers they name (for server-side senders)."""
    routes = list(routes)
    return [*route_inferences(routes), *url_inferences(routes), *handler_inferences(routes)]


class InferenceRunner:
    def __init__(self, repo, notifications: list[Notification]):
        self.repo = repo
        self.notifications = notifications
        self.found: list[Inference] = []

    # The frameworks' hooks, imported when first needed: a run whose files and project passes
    # all come from the cache (a pre-commit run) imports none of the framework modules.
    # What a file says of other pages (routes, guards) is needed of every file; what a page
    # says of itself only of the pages a tracker reaches.

    @cached_property
    def frameworks(self) -> list[Framework]:
        return registered()

    @cached_property
    def _per_file(self) -> HookDispatch:
        return HookDispatch([hook for framework in self.frameworks for hook in _framework_file(framework)])

    @cached_property
    def _per_page(self) -> list:
        return [*(_with_text(infer) for infer in PAGE_INFERRERS),
                *(framework.infer_page for framework in self.frameworks if overrides(framework, "infer_page"))]

    @cached_property
    def _hinters(self) -> HookDispatch:
        return HookDispatch([(framework.file_hints, hook_reads(framework, "file_hints"))
                             for framework in self.frameworks if overrides(framework, "file_hints")])

    @cached_property
    def _source_hinters(self) -> HookDispatch:
        return HookDispatch([(framework.source_hints, hook_reads(framework, "source_hints"))
                             for framework in self.frameworks if overrides(framework, "source_hints")])

    def add_file(self, rel: str, kind: str, text: str, source: Source | None = None) -> None:
        """The inferences every file contributes (its own page's are left to add_page); `source`
        is the file's phi_lint.lang.Source when the caller has one (its parses are shared)."""
        if kind in INFER_KINDS:
            shared = _source(rel, text, source)
            self._run(self._per_file.for_file(self.repo.kind(rel), shared.suffix), shared, self.found)

    def file_hints(self, rel: str, kind: str, text: str, source: Source | None = None) -> tuple[str, ...]:
        """What the project passes will want to know of this file without reading (or parsing)
        it again; `source` is the file's Source when the caller has one (its parses are shared)."""
        hints: tuple[str, ...] = ()
        if kind in INFER_KINDS:
            file_shape = (self.repo.kind(rel), source.suffix if source is not None else name_suffix(rel))
            for hinter in self._hinters.for_file(*file_shape):
                hints += hinter(rel, text)
            source_hinters = self._source_hinters.for_file(*file_shape)
            if source_hinters:
                shared = _source(rel, text, source)
                for source_hinter in source_hinters:
                    try:
                        hints += source_hinter(shared, self.repo)
                    except RecursionError:
                        self.notifications.append(Notification(rel, "context inference: nesting too deep; skipped"))
                    except Exception as exc:  # one odd file must not end the run
                        self.notifications.append(
                            Notification(rel, f"context inference: internal error ({type(exc).__name__}: {exc}); skipped"))
        return hints

    def page_inferences(self, rel: str, kind: str, text: str, source: Source | None = None) -> list[Inference]:
        """What a page says of itself (titles, headings, text, forms, path, login form)."""
        found: list[Inference] = []
        if kind in INFER_KINDS:
            self._run(self._per_page, _source(rel, text, source), found)
        elif kind == GENERIC:  # read as plain text: only its path says anything
            found.extend(path_inferences(rel, self.repo))
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

    def project_inferences(self, graph) -> list[Inference]:
        """What the whole project says of pages (route tables, guards, forms in partials): what
        the project index (phi_lint.projectindex) keeps between runs."""
        found: list[Inference] = []
        for framework in self.frameworks:
            try:
                found.extend(framework.infer_project(self.repo, graph))
                found.extend(_resolved(framework.routes(self.repo, graph)))
            except Exception as exc:
                self.notifications.append(
                    Notification(".", f"context inference ({framework.name}): internal error ({type(exc).__name__}: {exc})")
                )
        for infer in PROJECT_INFERRERS:
            try:
                found.extend(infer(self.repo, graph))
            except Exception as exc:
                self.notifications.append(
                    Notification(".", f"context inference ({infer.__module__}): internal error ({type(exc).__name__}: {exc})")
                )
        return found

    def finish(self, graph, project: list[Inference] | None = None) -> list[Inference]:
        """Every inference of the run: each file's, each page's and the project's (computed
        here unless given); a guard on a page's own code beats a label by its name alone."""
        self.found.extend(self.project_inferences(graph) if project is None else project)
        found = guards_beat_names(list(set(self.found)))
        return sorted(found, key=INFERENCE_ORDER)
