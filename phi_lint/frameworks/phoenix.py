"""Phoenix (Elixir): router scopes to the HEEx / EEx templates they render, the plugs that guard
them, and the layouts and components of those templates.

- Router (`lib/*_web/router.ex`, read with the elixir-lang org's tree-sitter-elixir grammar):
  `scope "/portal", AppWeb do … end` (nested, with their path and module prefixes),
  `pipe_through [:browser, :require_authenticated_user]` (a plug named in `auth-plugs`, or a
  `pipeline :x do plug :require_authenticated_user end` that holds one, is a guard for every
  route of the scope), `live_session :x, on_mount: [{AppWeb.UserAuth, :ensure_authenticated}]`,
  and the routes `get "/records", RecordController, :index`, `live "/x", XLive.Index, :index`.
- Controllers and LiveViews to templates: `PageController` + `:show` →
  `page_html/show.html.heex` (Phoenix 1.7) or `templates/page/show.html.eex` (older);
  `RecordLive.Index` → `record_live/index.html.heex` next to the LiveView.
- Page graph: the root and app layouts (`components/layouts/root.html.heex`,
  `templates/layout/app.html.eex`, and a `put_root_layout` / `layout:` name) wrap every page
  template of their web folder; `<.analytics />` and `<AppWeb.Components.analytics />` function
  components resolve to an `analytics.html.heex` (embed_templates); `<%= render "x.html" %>` to
  `x.html.heex` / `.eex` / `.leex` next to the file or in its templates folder.

- Inline markup: a LiveView module (`use AppWeb, :live_view`, or `Phoenix.LiveView`) whose
  `render(assigns)` returns a `~H` sigil is a page itself: its route (`live "/records",
  RecordLive.Index` → `record_live/index.ex`) labels it, the layouts wrap it, and the `<.x />`
  calls in its `~H` / `~E` / `~L` bodies (read from the tree-sitter-elixir tree) are component
  edges, to a template or to a `def x(assigns)` of an `.ex` component module
  (`core_components.ex`). The trackers in those bodies are read by the markup stages through
  phi_lint.lang.embedded, at their lines.

Names are data in rules/frameworks/phoenix.toml.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from phi_lint import frameworks_data
from phi_lint.dialects import dialect_for
from phi_lint.frameworks import Framework, register
from phi_lint.frameworks.layouts import layouts_behind_login
from phi_lint.frameworks.reads import Reads
from phi_lint.frameworks.routes import Guard, Route, inferences
from phi_lint.inference.health import Lines
from phi_lint.inference.model import Inference
from phi_lint.lang.embedded import sigil_name
from phi_lint.lang.treesitter import descendants, line, parse, text
from phi_lint.lazyre import lazy_pattern
from phi_lint.pagegraph.model import Edge
from phi_lint.parsers.template_comments import blank_comments

LANGUAGE = "elixir"
DIALECT = "heex"
ROUTER_HINT = "phoenix-router"
LAYOUT_HINT = "phoenix-layout-names"
LIVE_VIEW_HINT = "phoenix-live-view"  # an .ex LiveView that renders ~H itself
MAX_FILES = 2000
COMPONENT = lazy_pattern(r"<(?:[A-Z][\w.]{0,200}\.|\.)([a-z_][\w]{0,100})[\s/>]")
RENDER = lazy_pattern(r"<%=?\s*render(?:_partial)?[(\s]{1,10}(?:[A-Z][\w.]{0,200}\s*,\s*)?\"([\w/.-]{1,200})\"")
DEFINES = lazy_pattern(r"defp?\s+([a-z_]\w{0,100})\s*\(\s*assigns\s*\)")
DEFINITION = lazy_pattern(r"^[ \t]{0,40}(?:def|defp|defmacro|defmacrop)\s", re.MULTILINE)
RENDER_DEF = lazy_pattern(r"\bdef\s+render\s*\(\s*assigns\s*\)")
MARKUP_SIGILS = frozenset({"H", "E", "L", "F"})
ROOT_LAYOUT = lazy_pattern(r"\b(?:put_root_layout|root_layout|layout)[:(,\s]{1,20}(?:html:\s*)?\{\s*[A-Z][\w.]{0,200}\s*,\s*:(\w{1,60})\s*\}")


def _names(key: str) -> tuple[str, ...]:
    return frameworks_data.names("phoenix", key)


def _name_set(key: str) -> frozenset[str]:
    return frameworks_data.name_set("phoenix", key)


@frameworks_data.derived
def _plug_shapes() -> re.Pattern[str]:
    return frameworks_data.pattern("phoenix", "auth-plug-patterns", re.IGNORECASE)


def is_auth_plug(name: str) -> bool:
    last = name.rsplit(".", 1)[-1]
    return last in _name_set("auth-plugs") or _plug_shapes().fullmatch(last) is not None


def is_template(rel: str) -> bool:
    dialect = dialect_for(posixpath.basename(rel))
    return dialect is not None and dialect.name == DIALECT


def is_elixir(rel: str) -> bool:
    return rel.endswith((".ex", ".exs"))


# ---------------------------------------------------------------- the router


@dataclass(frozen=True)
class PhxRoute:
    url: str
    module: str  # AppWeb.RecordController, AppWeb.RecordLive.Index
    action: str  # index, show, … ("" for a LiveView without one)
    live: bool
    guards: tuple[Guard, ...]
    line: int


def _call_name(node) -> str:
    target = node.child_by_field_name("target")
    return text(target) if target is not None and target.type == "identifier" else ""


def _arguments(node) -> list:
    for child in node.children:
        if child.type == "arguments":
            return [c for c in child.named_children if c.type != "comment"]
    return []


def _do_block(node):
    return next((child for child in node.children if child.type == "do_block"), None)


def _string(node) -> str | None:
    if node is None or node.type != "string":
        return None
    parts = [c for c in node.named_children]
    if any(part.type != "quoted_content" for part in parts):
        return None  # interpolated: not a constant
    return "".join(text(part) for part in parts)


def _atom(node) -> str | None:
    if node is None or node.type != "atom":
        return None
    return text(node).lstrip(":").strip('"')


def _atoms(node) -> list[str]:
    if node is None:
        return []
    if node.type == "atom":
        return [_atom(node) or ""]
    if node.type == "list":
        return [_atom(child) or "" for child in node.named_children if child.type == "atom"]
    return []


def _keyword(node, key: str):
    for child in node.named_children if node is not None and node.type == "keywords" else ():
        if child.type == "pair":
            name = child.child_by_field_name("key")
            if name is not None and text(name).rstrip(": ").strip() == key:
                return child.child_by_field_name("value")
    return None


def pipelines(tree) -> dict[str, list[str]]:
    """pipeline name → the plugs it runs (atoms, or a module's dotted name)."""
    out: dict[str, list[str]] = {}
    if tree is None:
        return out
    for node in descendants(tree.root_node, ("call",), limit=200_000):
        if _call_name(node) not in _name_set("pipeline-macros"):
            continue
        args = _arguments(node)
        name = _atom(args[0]) if args else None
        block = _do_block(node)
        if name is None or block is None:
            continue
        plugs = []
        for inner in block.named_children:
            if inner.type == "call" and _call_name(inner) in _name_set("plug-macros"):
                plug_args = _arguments(inner)
                if plug_args:
                    plugs.append(_atom(plug_args[0]) or text(plug_args[0]))
        out[name] = plugs
    return out


@dataclass
class _RouterWalk:
    rel: str
    pipes: dict[str, list[str]]
    routes: list[PhxRoute] = field(default_factory=list)

    def pipe_guards(self, names: Iterable[str], at: int) -> list[Guard]:
        guards = []
        for name in names:
            if is_auth_plug(name):
                guards.append(Guard(f"pipe_through :{name}", self.rel, at))
            else:
                plug = next((p for p in self.pipes.get(name, ()) if is_auth_plug(p)), None)
                if plug is not None:
                    guards.append(Guard(f"pipe_through :{name} (its pipeline plugs {plug})", self.rel, at))
        return guards

    def visit(self, block, prefix: str, alias: str, guards: tuple[Guard, ...], depth: int = 0) -> None:
        if block is None or depth > 32:
            return
        own = list(guards)
        calls = [child for child in block.named_children if child.type == "call"]
        for node in calls:  # pipe_through applies to the whole scope, wherever it is written
            if _call_name(node) in _name_set("pipe-through-macros"):
                args = _arguments(node)
                own += self.pipe_guards(_atoms(args[0]) if args else [], line(node))
        for node in calls:
            name = _call_name(node)
            args = _arguments(node)
            if name in _name_set("scope-macros"):
                path = next((s for s in map(_string, args[:1]) if s is not None), "")
                module = next((text(a) for a in args if a.type == "alias"), "")
                inner_alias = ".".join(p for p in (alias, module) if p)
                self.visit(_do_block(node), _join(prefix, path), inner_alias, tuple(own), depth + 1)
            elif name in _name_set("live-session-macros"):
                hooks = [_atom(a) for a in descendants(args[-1], ("atom",), limit=200)] if args else []
                session = [Guard(f"live_session on_mount :{hook}", self.rel, line(node))
                           for hook in hooks if hook in _name_set("auth-on-mount")]
                self.visit(_do_block(node), prefix, alias, (*own, *session), depth + 1)
            elif name in _name_set("route-macros") and len(args) >= 2:
                route_path, module = _string(args[0]), args[1]
                if route_path is None or module.type != "alias":
                    continue
                action = _atom(args[2]) if len(args) > 2 else None
                live = name in _name_set("live-macros")
                full = ".".join(p for p in (alias, text(module)) if p)
                actions = [action] if action else ([""] if live else ["index", "show", "new", "edit"])
                for each in actions:
                    self.routes.append(PhxRoute(_join(prefix, route_path), full, each, live, tuple(dict.fromkeys(own)), line(node)))


def _join(prefix: str, path: str) -> str:
    joined = prefix.rstrip("/") + "/" + path.strip("/")
    return joined if joined == "/" else joined.rstrip("/") or "/"


def read_router(rel: str, tree) -> list[PhxRoute]:
    """The routes a router module declares, with the guards in force for each."""
    if tree is None:
        return []
    walk = _RouterWalk(rel, pipelines(tree))
    for module in tree.root_node.named_children:
        if module.type == "call":
            walk.visit(_do_block(module), "", "", ())
    return walk.routes


# ---------------------------------------------------------------- templates of a route


def snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def route_templates(repo, route: PhxRoute) -> list[str]:
    """The template files a controller action or a LiveView renders."""
    parts = route.module.split(".")
    last = parts[-1]
    found: list[str] = []
    if route.live:
        owner = parts[-2:] if len(parts) > 1 and not parts[-2].endswith("Web") else parts[-1:]
        stem = "/".join(snake(p) for p in owner)
        for ending in _names("template-endings"):
            found += repo.by_suffix(stem + ending)
        modules = [rel for rel in repo.by_suffix(stem + ".ex") if rel in live_views(repo)]
        if not found and len(modules) == 1:
            return modules  # a LiveView that renders ~H itself is its own page
    elif last.endswith("Controller") and route.action:
        base = snake(last[: -len("Controller")])
        for ending in _names("template-endings"):
            for folder in _names("template-folder-suffixes"):
                found += repo.by_suffix(f"{base}{folder}/{route.action}{ending}")
            for root in _names("template-roots"):
                found += repo.by_suffix(f"{root}/{base}/{route.action}{ending}")
    found = [rel for rel in dict.fromkeys(found) if is_template(rel)]
    return found if len(found) <= 3 else []


# ---------------------------------------------------------------- layouts and components


def _segments(rel: str) -> list[str]:
    return rel.split("/")[:-1]


def _stem(rel: str) -> str:
    return posixpath.basename(rel).split(".", 1)[0]


def is_layout(rel: str, names: frozenset[str]) -> bool:
    return bool(set(_segments(rel)) & _name_set("layout-dirs")) and _stem(rel) in names


def is_page(rel: str) -> bool:
    folders = set(_segments(rel))
    return not (folders & _name_set("layout-dirs") or folders & _name_set("component-dirs")
                or posixpath.basename(rel).startswith("_"))


def web_root(rel: str) -> str:
    """The folder a layout serves: the path above its layouts folder and the components /
    templates folder that holds it (`lib/app_web/`)."""
    parts = _segments(rel)
    wrappers = _name_set("component-dirs") | frozenset(_names("template-roots"))
    for index, part in enumerate(parts):
        if part in _name_set("layout-dirs"):
            keep = index - 1 if index > 0 and parts[index - 1] in wrappers else index
            return "/".join(parts[:keep]) + ("/" if keep else "")
    return ""


def layout_names(repo) -> frozenset[str]:
    """The shipped layout names and those `put_root_layout` / `layout:` name in the code."""
    names = set(_names("layout-names"))
    hints = getattr(repo, "hints", None)
    for rel in repo.of_kind("code"):
        if not is_elixir(rel):
            continue
        if hints is not None:
            names.update(h.split(":", 1)[1] for h in hints.get(rel, ()) if h.startswith(LAYOUT_HINT + ":"))
        else:
            names.update(ROOT_LAYOUT.findall(repo.read(rel) or ""))
    return frozenset(names)


def layout_edges(repo) -> list[Edge]:
    templates = [rel for rel in repo.of_kind("markup") if is_template(rel)]
    if not templates:
        return []
    names = layout_names(repo)
    layouts = [rel for rel in templates if is_layout(rel, names)]
    pages = templates + sorted(live_views(repo))
    edges = []
    for layout in layouts:
        root = web_root(layout)
        for page in pages:
            if page != layout and page.startswith(root) and is_page(page):
                edges.append(Edge(page, layout, "layout", 0, f"Phoenix {_stem(layout)} layout"))
    return edges


def resolve_component(repo, rel: str, name: str) -> str | None:
    candidates = [c for ending in _names("template-endings") for c in repo.by_suffix(name + ending) if is_template(c)]
    in_components = [c for c in candidates if set(_segments(c)) & _name_set("component-dirs")]
    chosen = in_components or candidates or list(component_modules(repo).get(name, ()))
    if rel in chosen:
        return None  # a component of the file itself
    return chosen[0] if len(chosen) == 1 else None


def is_component_module(rel: str) -> bool:
    """An .ex file where function components are defined: in a components folder
    (`components/core_components.ex`) or named for them."""
    return rel.endswith(".ex") and (bool(set(_segments(rel)) & _name_set("component-dirs"))
                                    or posixpath.basename(rel).endswith("components.ex"))


def component_modules(repo) -> dict[str, tuple[str, ...]]:
    """component name → the .ex component modules that `def name(assigns)` with a ~H body
    (read once per run and process, only when a page calls a component no template has)."""
    return repo.memo((__name__, "component-modules"), lambda: _component_modules(repo))


def _component_modules(repo) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    modules = [rel for rel in repo.of_kind("code") if is_component_module(rel)][:MAX_FILES]
    for rel in modules:
        content = repo.read(rel) or ""
        if "~H" not in content:
            continue
        for name in loading_components(content):
            found.setdefault(name, []).append(rel)
    return {name: tuple(rels) for name, rels in found.items()}


def loading_components(content: str) -> list[str]:
    """The function components of a module that load something (a `<script>`, a frame, a pixel
    image: `component-loader-tags`), themselves or through another component of the module.
    Only calls to those become edges: `core_components.ex` is called by every page for its
    buttons and flashes, and a tracker in its `analytics/1` reaches only the pages that call
    `<.analytics />`."""
    starts = [m.start() for m in DEFINITION.finditer(content)] + [len(content)]
    bodies: dict[str, str] = {}
    for start, end in zip(starts, starts[1:]):
        defined = DEFINES.match(content, start + content[start:end].find("def"))
        if defined is not None:
            bodies[defined.group(1)] = bodies.get(defined.group(1), "") + content[start:end]
    loads = {name for name, body in bodies.items() if _loader_tags().search(body)}
    for _ in range(8):  # calls between the module's own components, a few levels deep
        more = {name for name, body in bodies.items() if name not in loads
                and any(called in loads for called in COMPONENT.findall(body))}
        if not more:
            break
        loads |= more
    return sorted(loads)


@frameworks_data.derived
def _loader_tags() -> re.Pattern[str]:
    return re.compile("<(?:" + "|".join(map(re.escape, _names("component-loader-tags"))) + r")[\s>/]", re.IGNORECASE)


def is_live_view(rel: str, content: str) -> bool:
    """An .ex LiveView module that renders ~H itself (its page has no template file)."""
    if not rel.endswith(".ex") or "~H" not in content:
        return False
    if not any(marker in content for marker in _names("live-view-markers")):
        return False
    return RENDER_DEF.search(content) is not None


def live_views(repo) -> frozenset[str]:
    return repo.memo((__name__, "live-views"), lambda: frozenset(_live_views(repo)))


def _live_views(repo) -> Iterator[str]:
    hints = getattr(repo, "hints", None)
    for rel in repo.of_kind("code"):
        if not rel.endswith(".ex"):
            continue
        if hints is not None:
            if LIVE_VIEW_HINT in hints.get(rel, ()):
                yield rel
        elif is_live_view(rel, repo.read(rel) or ""):
            yield rel


def resolve_render(repo, rel: str, name: str) -> str | None:
    folder = posixpath.dirname(rel)
    stems = [name] if name.endswith(tuple(_names("template-endings"))) else [name + e for e in _names("render-endings")]
    for stem in stems:
        found = repo.first([posixpath.join(folder, stem)])
        if found:
            return found
        matches = repo.by_suffix(stem)
        if len(matches) == 1:
            return matches[0]
    return None


def sigil_bodies(tree) -> Iterator[tuple[str, int]]:
    """(text, first line) of each markup sigil body (`~H`, `~E`, `~L`, `~F`) of an Elixir tree."""
    if tree is None:
        return
    for node in descendants(tree.root_node, ("sigil",), limit=200_000):
        if sigil_name(node) in MARKUP_SIGILS:
            for part in node.children:
                if part.type == "quoted_content":
                    yield text(part), line(part)


def sigil_edges(source, repo) -> list[Edge]:
    """Component edges of the `<.x />` calls in the markup sigils of an .ex file."""
    if not source.rel.endswith(".ex") or not any("~" + name in source.text for name in MARKUP_SIGILS):
        return []
    edges: list[Edge] = []
    seen: set[str] = set()
    for body, first in sigil_bodies(source.tree(LANGUAGE)):
        if "<" not in body:
            continue
        blanked = blank_comments(body, ("html", "heex", "erb"), literal=True)
        lines = Lines(blanked)
        for match in COMPONENT.finditer(blanked):
            name = match.group(1)
            if name in seen:
                continue
            seen.add(name)
            target = resolve_component(repo, source.rel, name)
            if target is not None and target != source.rel:
                edges.append(Edge(source.rel, target, "component", first + lines.line(match.start()) - 1, name))
    return edges


def source_edges(source, repo) -> list[Edge]:
    if is_elixir(source.rel):
        return sigil_edges(source, repo)
    if not is_template(source.rel) or repo.kind(source.rel) != "markup":
        return []
    raw = source.text
    if "<." not in raw and "render" not in raw and not re.search(r"<[A-Z]", raw):
        return []
    blanked = blank_comments(raw, ("html", "heex", "erb"), literal=True)
    lines = Lines(blanked)
    edges: list[Edge] = []
    seen: set[str] = set()
    for pattern, resolve, kind in ((COMPONENT, resolve_component, "component"), (RENDER, resolve_render, "include")):
        for match in pattern.finditer(blanked):
            name = match.group(1)
            if name in seen:
                continue
            seen.add(name)
            target = resolve(repo, source.rel, name)
            if target is not None and target != source.rel:
                edges.append(Edge(source.rel, target, kind, lines.line(match.start()), name))
    return edges


# ---------------------------------------------------------------- the framework


def _routers(repo) -> Iterator[str]:
    hints = getattr(repo, "hints", None)
    count = 0
    for rel in repo.of_kind("code"):
        if not is_elixir(rel):
            continue
        if hints is not None:
            wanted = ROUTER_HINT in hints.get(rel, ())
        else:
            wanted = may_be_router(repo.read(rel) or "")
        if wanted:
            count += 1
            if count > MAX_FILES:
                return
            yield rel


def may_be_router(content: str) -> bool:
    """The cheap test of the router pass (names in rules/frameworks/phoenix.toml)."""
    if any(marker in content for marker in _names("router-markers")):
        return True
    return any(module in content for module in _names("router-modules")) \
        and any(macro + " " in content for macro in _names("scope-macros"))


def project_routes(repo) -> list[Route]:
    return repo.memo((__name__, "routes"), lambda: _project_routes(repo))


def _project_routes(repo) -> list[Route]:
    out = []
    for rel in _routers(repo):
        tree = parse(repo.read(rel) or "", LANGUAGE)
        for route in read_router(rel, tree):
            for page in route_templates(repo, route):
                out.append(Route("phoenix", page, rel, route.line, route.url, route.guards))
    return out


@register
class Phoenix(Framework):
    id = "phoenix"
    name = "Phoenix"
    reads = {"source_edges": (Reads(languages=("elixir",)), Reads(kinds=("markup",), dialects=(DIALECT,))),
             "file_hints": (Reads(languages=("elixir",)),)}

    def source_edges(self, source, repo):
        return source_edges(source, repo)

    def project_edges(self, repo):
        return layout_edges(repo)

    def file_hints(self, rel: str, text_: str) -> tuple[str, ...]:
        if not is_elixir(rel):
            return ()
        hints = [ROUTER_HINT] if may_be_router(text_) else []
        hints += [LIVE_VIEW_HINT] if is_live_view(rel, text_) else []
        hints += [f"{LAYOUT_HINT}:{name}" for name in sorted(set(ROOT_LAYOUT.findall(text_)))]
        return tuple(hints)

    def routes(self, repo, graph) -> Iterable[Route]:
        return project_routes(repo)

    def infer_project(self, repo, graph) -> list[Inference]:
        return layouts_behind_login(inferences(project_routes(repo)), graph)
