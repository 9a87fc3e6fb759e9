"""One module per web framework or template dialect, each a `Framework` in one registry.

A framework module holds the mechanism of one stack (Rails, Laravel, Flask, Spring, …): which
files say what of which pages. Its knowledge (guard names, decorators, middleware, sign-in page
names) lives in `rules/frameworks/<id>.toml`, read through phi_lint.frameworks_data, and its
positive and negative shapes in `tests/framework_cases/<id>.yml`. Adding a framework is those
three files and one line in `MODULES` (README, "Adding a framework").

A module subclasses `Framework`, overrides the hooks it needs and registers an instance with
`@register`. The scan calls the hooks at two moments:

- per file, in pass 1 (worker processes, the file's `Source` shared by every stage):
  `source_edges` (page-graph edges the file declares), `file_routes` (routes the file declares
  on its own), `infer_source` (other labels it gives to pages), `infer_page` (what a page says of
  itself; called only for pages a tracker reaches), `file_hints` (what the project passes want
  to know of the file without reading it again) and `source_hints` (the same, read from the
  file's shared parse and the project, so a project pass needs not parse the file again);
- once per run, in the main process: `project_edges`, `routes` (routes that need several files:
  a route file and its controllers) and `infer_project`;
- only when the run found server-side senders, in the main process: `handler_routes`, the routes
  in force for the handlers (file, function) that reach them (phi_lint.senders.handlers).

Routes from `file_routes` and `routes` go through one resolver (phi_lint.frameworks.routes):
guards make the page behind login, a sign-in route makes it public, a health URL makes it health.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from phi_lint.frameworks.reads import Reads, Shapes
    from phi_lint.frameworks.routes import Route
    from phi_lint.inference.model import Inference
    from phi_lint.lang import Source
    from phi_lint.pagegraph.graph import PageGraph
    from phi_lint.pagegraph.model import Edge
    from phi_lint.pagegraph.repo import RepoIndex

# the framework modules, in the order their hooks run (each registers itself when imported)
MODULES: tuple[str, ...] = (
    "phi_lint.frameworks.django",
    "phi_lint.frameworks.flask",
    "phi_lint.frameworks.fastapi",
    "phi_lint.frameworks.rails",
    "phi_lint.frameworks.laravel",  # Laravel routes, controllers, Blade, Livewire
    "phi_lint.frameworks.php",  # plain PHP include / require
    "phi_lint.frameworks.wordpress",  # WordPress themes: get_header, template parts, wp_head hooks, guards
    "phi_lint.frameworks.drupal",  # Drupal: Twig theme hooks, libraries, *.routing.yml, tag module settings
    "phi_lint.frameworks.nextjs",
    "phi_lint.frameworks.nuxt",
    "phi_lint.frameworks.sveltekit",
    "phi_lint.frameworks.remix",
    "phi_lint.frameworks.spa_router",  # Vue Router, React Router, Angular
    "phi_lint.frameworks.express",  # Express, Koa, hapi
    "phi_lint.frameworks.spring",  # Spring MVC / Spring Boot, SecurityFilterChain
    "phi_lint.frameworks.grails",  # Grails controllers
    "phi_lint.frameworks.aspnet",  # ASP.NET MVC, Razor Pages, Web Forms
    "phi_lint.frameworks.go",  # Go net/http, chi, gin, echo; html/template
    "phi_lint.frameworks.phoenix",  # Phoenix routers, HEEx / EEx layouts and components
    "phi_lint.frameworks.jekyll",  # Jekyll / Eleventy front matter layouts
    "phi_lint.frameworks.coldfusion",  # Application.cfc / Application.cfm guards and request includes
    "phi_lint.frameworks.siteconfig",  # trackers switched on by a site generator's config (rules/config-trackers.toml)
)

# file kinds (phi_lint.discovery) a framework's per-file hooks are called for
KINDS = ("markup", "script", "code")


class Framework:
    """One framework's hooks. Every hook is optional: the defaults add nothing."""

    id: ClassVar[str] = ""  # its rules/frameworks/<id>.toml and tests/framework_cases/<id>.yml
    name: ClassVar[str] = ""  # as users write it ("Ruby on Rails")
    # what each per-file hook reads (phi_lint.frameworks.reads): hook name → the shapes of file it
    # may read, an upper bound of its own tests; the scan calls it for those files only. A hook
    # not named here is called for every file.
    reads: ClassVar[dict[str, tuple[Reads, ...]]] = {}

    def source_edges(self, source: Source, repo: RepoIndex) -> Iterable[Edge]:
        return ()

    def project_edges(self, repo: RepoIndex) -> Iterable[Edge]:
        return ()

    def file_routes(self, source: Source, repo: RepoIndex) -> Iterable[Route]:
        return ()

    def routes(self, repo: RepoIndex, graph: PageGraph) -> Iterable[Route]:
        return ()

    def handler_routes(self, repo: RepoIndex, handlers: Sequence[tuple[str, str]]) -> Iterable[Route]:
        """Routes (with `handler` set and no page) for those of `handlers` — (file, function or
        class name) pairs a server-side sender is reached from — that this framework routes."""
        return ()

    def infer_source(self, source: Source, repo: RepoIndex) -> Iterable[Inference]:
        return ()

    def infer_page(self, source: Source, repo: RepoIndex) -> Iterable[Inference]:
        return ()

    def infer_project(self, repo: RepoIndex, graph: PageGraph) -> Iterable[Inference]:
        return ()

    def file_hints(self, rel: str, text: str) -> tuple[str, ...]:
        return ()

    def source_hints(self, source: Source, repo: RepoIndex) -> tuple[str, ...]:
        return ()


def overrides(framework: Framework, hook: str) -> bool:
    """Whether the framework defines `hook` itself: the scan calls only those for each of a
    repository's files (sixteen frameworks' empty defaults, per file, were a measurable cost)."""
    return getattr(type(framework), hook) is not getattr(Framework, hook)


def hook_reads(framework: Framework, hook: str) -> Shapes:
    """The shapes of file the framework's `hook` reads, or None: every file."""
    return framework.reads.get(hook)


_REGISTRY: dict[str, Framework] = {}


def register(cls: type[Framework]) -> type[Framework]:
    """Class decorator: one instance of the framework joins the registry under its id."""
    if not cls.id or not cls.name:
        raise ValueError(f"{cls.__name__}: a framework needs an id and a name")
    if cls.id in _REGISTRY and type(_REGISTRY[cls.id]) is not cls:
        raise ValueError(f"two frameworks registered as {cls.id!r}")
    _REGISTRY[cls.id] = cls()
    return cls


def registered(modules: Iterable[str] | None = None) -> list[Framework]:
    """Every registered framework, in `MODULES` order (the modules are imported on first call)."""
    import importlib

    names = MODULES if modules is None else tuple(modules)
    order: list[str] = []
    for name in names:
        module = importlib.import_module(name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Framework) and value.id in _REGISTRY \
                    and type(_REGISTRY[value.id]) is value and value.id not in order:
                order.append(value.id)
    return [_REGISTRY[framework_id] for framework_id in order]
