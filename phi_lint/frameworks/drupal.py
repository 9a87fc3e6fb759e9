"""Drupal themes and modules: which templates are pages, what they load, and which are behind login.

- Theme hooks: a node template (`node.html.twig`, `node--<type>.html.twig`, the page of that
  content type) is wrapped by its theme's `page.html.twig`, and every page template
  (`page.html.twig`, `page--front.html.twig`) by `html.html.twig`: "layout" edges, so a tracker in
  the wrappers reaches every node page. (`{% include '@theme/…' %}` is the Twig reader's.)
- Libraries: `{{ attach_library('clinic/analytics') }}` loads the library from
  `clinic.libraries.yml` (an "include" edge to that file, whose external JS are sightings:
  phi_lint.siteconfig.libraries); a library in a theme's `.info.yml` `libraries:` list is loaded
  on every page (an edge from the theme's html.html.twig, or from each of its templates).
- Routes: each route of a module's `*.routing.yml` with its requirements (`_user_is_logged_in:
  'TRUE'`, a `_permission` or `_role` anonymous visitors lack) and its URL, served by the template
  the controller's render array names (`'#theme' => 'patient_records'` →
  patient-records.html.twig); that template is wrapped by the front-end theme's page template.
- Config exports: the Google Analytics and Google Tag settings switch the tag on
  (phi_lint.siteconfig, rules/config-trackers.toml); this module carries it to the page templates
  their path visibility leaves in (`request_path_mode` 0: all but the listed paths; 1: only them).

Names are data in rules/frameworks/drupal.toml.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from dataclasses import dataclass, field

from phi_lint import frameworks_data
from phi_lint.frameworks import Framework, register
from phi_lint.frameworks.reads import Reads
from phi_lint.frameworks.routes import Guard, Route
from phi_lint.lazyre import lazy_pattern
from phi_lint.pagegraph.model import Edge
from phi_lint.siteconfig.values import yaml_entries, yaml_keys

FRAMEWORK = "drupal"
INFO = ".info.yml"
ROUTING = ".routing.yml"
LIBRARIES = ".libraries.yml"
TWIG = ".html.twig"
_ATTACH = lazy_pattern(r"""attach_library\(\s*['"]([A-Za-z0-9_]+)/([A-Za-z0-9_.-]+)['"]\s*\)""")
_LIBRARY = lazy_pattern(r"[A-Za-z0-9_]+/[A-Za-z0-9_.-]+")  # `extension/library`


def _names(key: str) -> tuple[str, ...]:
    return frameworks_data.names(FRAMEWORK, key)


# ------------------------------------------------------------------------------- extensions


@dataclass
class Extension:
    """A module or theme: its name, folder, type and the libraries its .info.yml loads globally."""

    name: str
    root: str
    info: str
    type: str = ""
    libraries: list[str] = field(default_factory=list)  # "clinic/global"


def _read_info(name: str, rel: str, text: str) -> Extension:
    """The `type:` and the `libraries:` list of an .info.yml (the shared YAML reader's keys)."""
    keys = yaml_keys(text)
    kind = keys["type"].value if "type" in keys else ""
    listed = keys["libraries"].value if "libraries" in keys else []
    libraries = [item for item in listed if isinstance(item, str) and _LIBRARY.fullmatch(item)] if isinstance(listed, list) else []
    return Extension(name, posixpath.dirname(rel), rel, kind if isinstance(kind, str) else "", libraries)


def extensions(repo) -> dict[str, Extension]:
    """Every module and theme of the repository, by machine name (from its .info.yml)."""

    def find() -> dict[str, Extension]:
        found: dict[str, Extension] = {}
        for rel in repo.files:
            if rel.endswith(INFO):
                name = posixpath.basename(rel)[: -len(INFO)]
                found.setdefault(name, _read_info(name, rel, repo.read(rel) or ""))
        return found

    return repo.memo((__name__, "extensions"), find)


def extension_of(repo, rel: str) -> Extension | None:
    """The module or theme a file belongs to (the nearest folder above it with a .info.yml)."""
    by_root = repo.memo((__name__, "by-root"), lambda: {e.root: e for e in extensions(repo).values()})
    folder = posixpath.dirname(rel)
    while True:
        if folder in by_root:
            return by_root[folder]
        if not folder:
            return None
        folder = posixpath.dirname(folder)


def _templates(repo, extension: Extension) -> list[str]:
    """The Twig templates of a module or theme (one pass over the repository's files per run)."""
    def by_extension() -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for rel in repo.files:
            if rel.endswith(TWIG):
                owner = extension_of(repo, rel)
                if owner is not None:
                    found.setdefault(owner.name, []).append(rel)
        return found

    return repo.memo((__name__, "templates"), by_extension).get(extension.name, [])


def _wrapper(repo, extension: Extension | None, names: tuple[str, ...]) -> str | None:
    if extension is None:
        return None
    for rel in _templates(repo, extension):
        if posixpath.basename(rel) in names:
            return rel
    return None


def libraries_file(repo, name: str) -> str | None:
    extension = extensions(repo).get(name)
    if extension is not None:
        rel = posixpath.join(extension.root, name + LIBRARIES) if extension.root else name + LIBRARIES
        if repo.exists(rel):
            return rel
    found = repo.by_suffix(name + LIBRARIES)
    return found[0] if len(found) == 1 else None


# ----------------------------------------------------------------------------- template edges


def _kind_of_template(rel: str) -> str | None:
    """"node" for a node's page template, "page" for a page template, None for the rest (a node's
    teaser or search-result view mode is a part of a listing, not a page)."""
    name = posixpath.basename(rel)
    if not name.endswith(TWIG):
        return None
    if name.startswith(_names("node-template-prefixes")):
        parts = name[: -len(TWIG)].split("--")
        return "node" if len(parts) < 3 or parts[2] in _names("page-view-modes") else None
    if name.startswith(_names("page-template-prefixes")):
        return "page"
    return None


def template_edges(source, repo) -> list[Edge]:
    """A Twig template's library attachments and its theme-hook wrapper."""
    edges = []
    text = source.text
    if "attach_library" in text:
        for match in _ATTACH.finditer(text):
            target = libraries_file(repo, match.group(1))
            if target:
                edges.append(Edge(source.rel, target, "include", text.count("\n", 0, match.start()) + 1, match.group()))
    kind = _kind_of_template(source.rel)
    if kind is not None and extensions(repo):
        extension = extension_of(repo, source.rel)
        wrapper = _wrapper(repo, extension, _names("page-wrapper")) if kind == "node" else None
        wrapper = wrapper or _wrapper(repo, extension, _names("html-wrapper"))  # no page.html.twig: html wraps it
        if wrapper and wrapper != source.rel:
            edges.append(Edge(source.rel, wrapper, "layout", 0, f"Drupal theme hook: {posixpath.basename(wrapper)} wraps it"))
    return edges


def global_library_edges(repo) -> list[Edge]:
    """Libraries a theme's .info.yml loads on every page: from its html.html.twig (or each of its
    templates when it has none) to the library's definitions."""
    edges = []
    for extension in extensions(repo).values():
        if not extension.libraries:
            continue
        html = _wrapper(repo, extension, _names("html-wrapper"))
        sources = [html] if html else _templates(repo, extension)
        for library in extension.libraries:
            target = libraries_file(repo, library.split("/", 1)[0])
            if not target:
                continue
            for source in sources:
                edges.append(Edge(source, target, "include", 0, f"{extension.info}: libraries: {library}"))
    return edges


# ------------------------------------------------------------------------------------ routes


@dataclass
class RouteEntry:
    name: str
    line: int
    values: dict[str, tuple[str, int]] = field(default_factory=dict)  # key → (value, line)


def read_routing(text: str) -> list[RouteEntry]:
    """The routes of a .routing.yml (the shared YAML reader's keys): top-level route names (their
    dots are not paths) and every nested `key: value` of each, by its own name, as written
    (`_user_is_logged_in: 'TRUE'` → "TRUE")."""
    routes: dict[str, RouteEntry] = {}
    for entry in yaml_entries(text):
        name = entry.path[0]
        if len(entry.path) == 1:
            if entry.opens:
                routes.setdefault(name, RouteEntry(name, entry.value.line))
        elif not entry.opens and name in routes:
            routes[name].values.setdefault(entry.path[-1], (entry.raw, entry.value.line))
    return list(routes.values())


def _guards(route: RouteEntry, rel: str) -> tuple[tuple[Guard, ...], Guard | None]:
    guards = []
    for key in _names("signed-in-requirements"):
        value = route.values.get(key)
        if value and value[0].upper() == "TRUE":
            guards.append(Guard(f"{key}: 'TRUE' on route {route.name}", rel, value[1]))
    public = set(_names("public-permissions")) | set(_names("public-roles"))
    for key in _names("permission-requirements"):
        value = route.values.get(key)
        if value and not any(part.strip() in public for part in re.split(r"[+,]", value[0])):
            guards.append(Guard(f"{key}: '{value[0]}' on route {route.name}", rel, value[1]))
    anonymous = None
    for key in _names("open-requirements"):
        value = route.values.get(key)
        if value and value[0].upper() == "TRUE":
            anonymous = Guard(f"{key}: 'TRUE' on route {route.name}", rel, value[1])
    return tuple(guards), anonymous


def _controller_file(repo, controller: str) -> tuple[str, str] | None:
    """(PHP file, method) of `\\Drupal\\mod\\Controller\\X::method`."""
    cls, _, method = controller.lstrip("\\").partition("::")
    parts = cls.split("\\")
    if len(parts) < 3 or parts[0] != "Drupal":
        return None
    module, tail = parts[1], "/".join(parts[2:]) + ".php"
    extension = extensions(repo).get(module)
    if extension is not None:
        rel = posixpath.join(extension.root, "src", tail) if extension.root else posixpath.join("src", tail)
        if repo.exists(rel):
            return rel, method
    found = [rel for rel in repo.by_suffix("src/" + tail) if f"/{module}/" in "/" + rel]
    return (found[0], method) if len(found) == 1 else None


def _method_text(text: str, method: str) -> str:
    if not method:
        return text
    match = re.search(rf"function\s+{re.escape(method)}\s*\(", text)
    if match is None:
        return ""
    end = re.search(r"\n[ \t]*(?:(?:public|protected|private|static)[ \t]+){0,3}function\b", text[match.end():])
    return text[match.start(): match.end() + end.start()] if end else text[match.start():]


def _route_templates(repo, route: RouteEntry, routing: str) -> list[str]:
    controller = route.values.get("_controller")
    if controller is None:
        return []
    found = _controller_file(repo, controller[0])
    if found is None:
        return []
    body = _method_text(repo.read(found[0]) or "", found[1])
    names = []
    for key in _names("theme-keys"):
        for match in re.finditer(rf"""['"]{re.escape(key)}['"]\s*=>\s*['"]([A-Za-z0-9_]+)['"]""", body):
            names.append(match.group(1).replace("_", "-") + TWIG)
    module = extension_of(repo, routing)
    templates = []
    for name in names:
        candidates = [rel for rel in repo.by_suffix(name) if posixpath.basename(rel) == name]
        own = [rel for rel in candidates if module is not None and rel.startswith(module.root + "/")]
        pick = own or candidates
        if pick:
            templates.append(pick[0])
    return templates


def project_routes(repo) -> list[Route]:
    def make() -> list[Route]:
        routes = []
        for rel in repo.files:
            if not rel.endswith(ROUTING):
                continue
            for route in read_routing(repo.read(rel) or ""):
                path = route.values.get("path")
                guards, anonymous = _guards(route, rel)
                for template in _route_templates(repo, route, rel):
                    routes.append(Route(FRAMEWORK, template, rel, route.line, path[0] if path else None, guards, anonymous))
        return routes

    return repo.memo((__name__, "routes"), make)


def route_template_edges(repo) -> list[Edge]:
    """A controller's template is wrapped by the front-end theme's page template."""
    themes = [e for e in extensions(repo).values() if e.type == "theme"]
    wrappers = [w for w in (_wrapper(repo, t, _names("page-wrapper")) or _wrapper(repo, t, _names("html-wrapper"))
                            for t in themes) if w]
    if len(wrappers) != 1:
        return []  # several themes (or none): which one serves the route is not known
    return [Edge(route.page, wrappers[0], "layout", 0, "Drupal: the theme's page template wraps a route's template")
            for route in project_routes(repo)]


# ------------------------------------------------------------------------------ tag settings


def _path_patterns(value) -> list[str]:
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    text = str(value or "").replace("\\r", "").replace("\\n", "\n")
    return [line.strip() for line in text.splitlines() if line.strip()]


def _matches(url: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatchcase(url, pattern) or (pattern == "<front>" and url == "/") for pattern in patterns)


def _visibility(rel: str, text: str) -> tuple[bool, list[str]] | None:
    """(only the listed paths?, the paths) of a tag module's settings, None when it lists none."""
    name = posixpath.basename(rel)
    negate_keys: tuple[str, ...] = ()
    if name.startswith(_names("ga-settings")):
        mode_keys, list_keys = _names("ga-path-mode"), _names("ga-path-list")
    elif name.startswith(_names("gtm-settings")):
        mode_keys, list_keys = _names("gtm-path-mode"), _names("gtm-path-list")
        negate_keys = _names("gtm-path-negate")
    else:
        return None
    keys = yaml_keys(text)
    patterns = next((_path_patterns(keys[k].value) for k in list_keys if k in keys), [])
    if not patterns:
        return None
    negate = next((keys[k].value for k in negate_keys if k in keys), None)
    if isinstance(negate, bool):
        return not negate, patterns  # the condition holds on the listed paths: negated, everywhere else
    mode = next((str(keys[k].value).strip().lower() for k in mode_keys if k in keys), "0")
    return mode in _names("only-listed-modes"), patterns


def _page_templates(repo) -> list[tuple[str, str | None]]:
    """(template, URL or None) of every page a tag module's setting can apply to."""
    pages: list[tuple[str, str | None]] = [(route.page, route.url) for route in project_routes(repo)]
    node_url = _names("node-url")[0]
    for extension in extensions(repo).values():
        if extension.type != "theme":
            continue
        for rel in _templates(repo, extension):
            kind = _kind_of_template(rel)
            if kind == "node":
                pages.append((rel, node_url))
            elif kind == "page" and posixpath.basename(rel) not in _names("page-wrapper"):
                pages.append((rel, "/" if "front" in rel else None))
    return list(dict.fromkeys(pages))


def settings_edges(repo) -> list[Edge]:
    """page template → tag settings file, for the pages the settings' path visibility leaves in."""
    settings = [rel for rel in repo.files if posixpath.basename(rel).startswith(_names("ga-settings") + _names("gtm-settings"))
                and rel.endswith((".yml", ".yaml"))]
    if not settings:
        return []
    pages = _page_templates(repo)
    edges = []
    for rel in settings:
        visibility = _visibility(rel, repo.read(rel) or "")
        for page, url in pages:
            if visibility is not None:
                only_listed, patterns = visibility
                listed = url is not None and _matches(url, patterns)
                if listed != only_listed:
                    continue
            edges.append(Edge(page, rel, "config", 0, f"Drupal: {posixpath.basename(rel)} puts the tag on this page"))
    return edges


def node_type_routes(repo) -> list[Route]:
    """`node--<type>.html.twig` is the page of a content type: a route whose URL is the type's name
    (`node--condition.html.twig` → `/condition/`, as a pathauto pattern usually starts), so a
    content type named for a health subject makes its pages health pages."""
    routes = []
    for extension in extensions(repo).values():
        if extension.type != "theme":
            continue
        for rel in _templates(repo, extension):
            name = posixpath.basename(rel)[: -len(TWIG)]
            if not name.startswith("node--") or _kind_of_template(rel) != "node":
                continue
            content_type = name[len("node--"):].split("--", 1)[0]
            if content_type:
                routes.append(Route(FRAMEWORK, rel, rel, 0, f"/{content_type}/"))
    return routes


# --------------------------------------------------------------------------------- the module


@register
class Drupal(Framework):
    id = FRAMEWORK
    name = "Drupal"
    reads = {"source_edges": (Reads(endings=(TWIG,)),)}

    def source_edges(self, source, repo):
        if not source.rel.endswith(TWIG):
            return []
        return template_edges(source, repo)

    def project_edges(self, repo):
        if not extensions(repo) and not any(rel.endswith(ROUTING) for rel in repo.files):
            return []
        return [*global_library_edges(repo), *route_template_edges(repo), *settings_edges(repo)]

    def routes(self, repo, graph):
        return [*project_routes(repo), *node_type_routes(repo)]
