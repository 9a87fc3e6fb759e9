"""ASP.NET: MVC controllers, Razor Pages and Web Forms — which view each URL renders and what
access rule is in force for it.

- MVC: a controller class (`RecordsController : Controller`, not `[ApiController]`) renders, from
  each public action, the views its `View()` / `View("Name")` calls name: Views/Records/<Action
  or Name>.cshtml, else Views/Shared/ (an area's own Areas/<area>/Views/ first). Its URL is the
  attribute route (`[Route]`, `[HttpGet("x")]`, `[controller]` / `[action]` tokens) or the
  conventional `/{controller}/{action}`.
- Razor Pages: a `.cshtml` under Pages/ that starts with `@page`; its PageModel is the class of
  `<page>.cshtml.cs`; `@attribute [Authorize]` in the page counts as on the class.
- Access: `[Authorize]` on the class or the action is a guard, `[AllowAnonymous]` on either lets
  anyone in (it wins, as in ASP.NET). Project-wide rules from Program.cs / Startup.cs: the Razor
  Pages conventions (`AuthorizeFolder("/Portal")`, `AuthorizePage`, their area forms and
  `AllowAnonymousTo…`), `.RequireAuthorization()` on `MapRazorPages()` / `MapControllerRoute(…)`,
  a fallback policy that requires a signed-in user, a global `AuthorizeFilter`; the page at a
  cookie `LoginPath` is the sign-in page.
- Web Forms: a `web.config`'s `<system.web><authorization>` rules (`<deny users="?"/>`) guard the
  `.aspx` pages of its folder and below, `<location path="Portal">` those of that folder or page
  (the most specific wins; in one list the first rule that names anonymous users decides);
  `<forms loginUrl="~/Login.aspx">` is the sign-in page.

Every route goes through phi_lint.frameworks.routes; a layout (a master page) used only by pages
behind login is behind login too (phi_lint.frameworks.layouts). The page graph is
phi_lint.frameworks.aspnet_views; names are data in rules/frameworks/aspnet.toml.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from phi_lint import frameworks_data
from phi_lint.frameworks import Framework, aspnet_views, register
from phi_lint.frameworks.layouts import layouts_behind_login
from phi_lint.frameworks.reads import Reads
from phi_lint.frameworks.routes import Guard, Route, inferences
from phi_lint.inference.health import Lines
from phi_lint.inference.model import Inference
from phi_lint.lang import csharp
from phi_lint.lang.csharp import Attribute, ClassDecl
from phi_lint.lang.treesitter import descendants, parse, text
from phi_lint.lazyre import lazy_pattern

CODE_HINT = "aspnet-code"
PAGE_HINT = "aspnet-page"
MAX_PROJECT_FILES = 5000
MAX_CONFIG_BYTES = 1_000_000  # of one web.config read for <authorization> rules


def _names(key: str) -> tuple[str, ...]:
    return frameworks_data.names("aspnet", key)


def _name_set(key: str) -> frozenset[str]:
    return frameworks_data.name_set("aspnet", key)


def is_csharp(rel: str) -> bool:
    return rel.lower().endswith(".cs")


def may_hold_code(text: str) -> bool:
    return any(marker in text for marker in _names("code-markers"))


def is_razor_page(text: str) -> bool:
    """A Razor Page starts (after blank lines, comments and other directives) with `@page`."""
    return re.search(r"(?m)^\s*" + "|".join(re.escape(d) for d in _names("page-directive")) + r"\b", text) is not None


# ---------------------------------------------------------------- access rules of the project


@dataclass(frozen=True)
class Convention:
    """A Razor Pages convention: `anonymous` or not, the area (None: outside areas), the page
    path or folder (`/Portal`), whether it is a folder, and its evidence."""

    anonymous: bool
    area: str | None
    path: str
    folder: bool
    guard: Guard

    def covers(self, area: str | None, page: str) -> bool:
        if (self.area or "").lower() != (area or "").lower():
            return False
        wanted, page = self.path.rstrip("/").lower(), page.lower()
        if self.folder:
            return wanted == "" or page == wanted or page.startswith(wanted + "/")
        return page == wanted


@dataclass
class Project:
    """What Program.cs / Startup.cs say for every endpoint."""

    page_guards: list[Guard] = field(default_factory=list)  # MapRazorPages().RequireAuthorization()
    controller_guards: list[Guard] = field(default_factory=list)
    all_guards: list[Guard] = field(default_factory=list)  # fallback policy, global AuthorizeFilter
    conventions: list[Convention] = field(default_factory=list)
    login_paths: list[tuple[str, Guard]] = field(default_factory=list)


def _short(value: str, limit: int = 80) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _convention(call: csharp.Call, rel: str) -> Convention | None:
    tables = (
        ("authorize-folder-calls", False, False, True), ("authorize-page-calls", False, False, False),
        ("authorize-area-folder-calls", False, True, True), ("authorize-area-page-calls", False, True, False),
        ("anonymous-folder-calls", True, False, True), ("anonymous-page-calls", True, False, False),
        ("anonymous-area-folder-calls", True, True, True), ("anonymous-area-page-calls", True, True, False),
    )
    for key, anonymous, area, folder in tables:
        if call.name not in _name_set(key):
            continue
        needed = 2 if area else 1
        if len(call.strings) < needed:
            return None
        guard = Guard(f"{call.name}({', '.join(repr(s) for s in call.strings[:needed])}) (Razor Pages convention)", rel, call.line)
        return Convention(anonymous, call.strings[0] if area else None, call.strings[needed - 1], folder, guard)
    return None


def _signed_in_policy(node) -> bool:
    calls = _name_set("signed-in-policy-calls")
    if any(call.name in calls for call in csharp.calls(node)):
        return True
    defaults = _names("default-policy-names")
    return any(csharp.simple_name(found) in defaults for found in descendants(node, ("member_access_expression", "identifier"), limit=10_000))


def read_project(rel: str, tree, project: Project) -> None:
    """Add what one C# file says for every endpoint to `project`."""
    if tree is None:
        return
    root = tree.root_node
    require = _name_set("require-authorization-calls")
    pages, controllers = _name_set("page-endpoint-calls"), _name_set("controller-endpoint-calls")
    fallback_calls = _name_set("fallback-policy-calls")
    filter_types = _name_set("global-filter-types")
    for call in csharp.calls(root):
        if call.name in require:
            guard = Guard(f"{call.receivers[0] if call.receivers else ''}().{call.name}() (endpoint)", rel, call.line)
            if any(r in pages for r in call.receivers):
                project.page_guards.append(guard)
            if any(r in controllers for r in call.receivers):
                project.controller_guards.append(guard)
        elif call.name in fallback_calls and _signed_in_policy(call.node):
            project.all_guards.append(Guard(f"{call.name}(…) requires a signed-in user (fallback policy)", rel, call.line))
        elif call.name == "Add" and call.receivers[:1] == ("Filters",) and filter_types & set(csharp.object_types(call.node)):
            project.all_guards.append(Guard(f"Filters.Add(new {sorted(filter_types)[0]}(…)) (global filter)", rel, call.line))
        else:
            found = _convention(call, rel)
            if found is not None:
                project.conventions.append(found)
    fallback, login = _name_set("fallback-policy-properties"), _name_set("login-path-properties")
    for name, right, at in csharp.assignments(root):
        if name in fallback and _signed_in_policy(right):
            project.all_guards.append(Guard(f"{name} = {_short(text(right))} (fallback policy)", rel, at))
        elif name in login:
            value = csharp.string_value(right)
            if value:
                project.login_paths.append((value, Guard(f"{name} = \"{value}\": the sign-in page", rel, at)))


# ---------------------------------------------------------------- attributes


def _access(attributes: Iterable[Attribute], owner: str, rel: str) -> tuple[list[Guard], Guard | None]:
    """(guards, the anonymous marker) of some attributes."""
    guards, anonymous = [], None
    authorize, open_ = _name_set("authorize-attributes"), _name_set("anonymous-attributes")
    for attribute in attributes:
        if attribute.name in authorize:
            guards.append(Guard(f"[{_short(attribute.text)}] on `{owner}`", rel, attribute.line, own=True))
        elif attribute.name in open_ and anonymous is None:
            anonymous = Guard(f"[{attribute.text}] on `{owner}`", rel, attribute.line)
    return guards, anonymous


def _first_string(attributes: Iterable[Attribute], key: str) -> tuple[str | None, bool]:
    """(the first string argument of an attribute of `key`, whether one was there at all)."""
    wanted = _name_set(key)
    for attribute in attributes:
        if attribute.name in wanted:
            return (attribute.strings[0] if attribute.strings else None), True
    return None, False


# ---------------------------------------------------------------- MVC


def _segments(rel: str) -> list[str]:
    return rel.split("/")


def controller_area(rel: str, cls: ClassDecl) -> str | None:
    area, _ = _first_string(cls.attributes, "area-attributes")
    if area:
        return area
    parts = _segments(rel)
    areas = _name_set("area-root")
    for index, part in enumerate(parts[:-2]):
        if part in areas:
            return parts[index + 1]
    return None


def app_root(rel: str) -> str:
    """The folder an MVC app's Views/ lives in, from a controller's path (the folder above
    Controllers/ or Areas/)."""
    parts = _segments(rel)
    for index, part in enumerate(parts[:-1]):
        if part in ("Controllers", *_names("area-root")):
            return "/".join(parts[:index]) + ("/" if index else "")
    return posixpath.dirname(rel) + "/" if "/" in rel else ""


def resolve_action_view(repo, rel: str, controller: str, area: str | None, name: str) -> str | None:
    name = name.strip()
    if not name or "{" in name:
        return None
    root = app_root(rel)
    if name.startswith(("~/", "/")):
        return repo.first([root + name.lstrip("~/")])
    if "/" in name or name.endswith(".cshtml"):
        return None
    file = name + ".cshtml"
    bases = ([f"{root}Areas/{area}/Views"] if area else []) + [root + "Views"]
    found = repo.first([f"{base}/{controller}/{file}" for base in bases] + [f"{base}/Shared/{file}" for base in bases])
    if found:
        return found
    matches = repo.by_suffix(f"Views/{controller}/{file}")
    return matches[0] if len(matches) == 1 else None


def _route_template(attributes: Iterable[Attribute]) -> tuple[str | None, bool]:
    return _first_string(attributes, "route-attributes")


def action_url(cls_route: str | None, method_route: str | None, controller: str, action: str, area: str | None) -> str:
    """The action's URL: its attribute route under the class's, or the conventional one."""
    def fill(template: str) -> str:
        return template.replace("[controller]", controller).replace("[action]", action).replace("[area]", area or "")

    if method_route is not None and method_route.startswith(("/", "~/")):
        return "/" + fill(method_route).lstrip("~/")
    if cls_route is not None or method_route is not None:
        parts = [fill(p).strip("/") for p in (cls_route, method_route) if p]
        return "/" + "/".join(p for p in parts if p)
    segments = [area] if area else []
    if not (controller.lower() == "home" and action.lower() == "index" and not area):
        segments.append(controller)
        if action.lower() != "index":
            segments.append(action)
    return "/" + "/".join(segments).lower()


@dataclass(frozen=True)
class Action:
    """An action that renders views: its owner, URL, view files, own guards and anonymous marker."""

    owner: str
    url: str
    views: tuple[str, ...]
    guards: tuple[Guard, ...]
    anonymous: Guard | None
    line: int


def _is_view_controller(cls: ClassDecl) -> bool:
    if any(a.name in _name_set("api-controller-attributes") for a in cls.attributes):
        return False
    bases = set(cls.bases)
    return bool(bases & _name_set("controller-bases")) or any(cls.name.endswith(s) for s in _names("controller-suffix"))


def actions(rel: str, tree, repo) -> Iterator[Action]:
    view_calls = _name_set("view-calls")
    skip = _name_set("non-action-attributes")
    for cls in csharp.classes(tree):
        if not _is_view_controller(cls):
            continue
        controller = _controller_name(cls)
        area = controller_area(rel, cls)
        class_guards, class_anonymous = _access(cls.attributes, cls.name, rel)
        class_route, _ = _route_template(cls.attributes)
        for method in cls.methods:
            if not method.public or any(a.name in skip for a in method.attributes):
                continue
            names = [call.strings[0] if call.strings else method.name
                     for call in csharp.calls(method.node) if call.name in view_calls and not call.receivers]
            views = [found for found in (resolve_action_view(repo, rel, controller, area, n) for n in names) if found]
            if not views:
                continue
            guards, anonymous = _access(method.attributes, f"{cls.name}.{method.name}", rel)
            method_route, _ = _route_template(method.attributes)
            url = action_url(class_route, method_route, controller, method.name, area)
            yield Action(f"{cls.name}.{method.name}", url, tuple(dict.fromkeys(views)), (*class_guards, *guards),
                         anonymous or class_anonymous, method.line)


def _controller_name(cls: ClassDecl) -> str:
    controller = cls.name
    for suffix in _names("controller-suffix"):
        if controller.endswith(suffix) and len(controller) > len(suffix):
            return controller[: -len(suffix)]
    return controller


def _views_by_folder(repo) -> dict[str, list[str]]:
    """Razor views by folder (made once a run): the views a controller's folder holds."""
    def make() -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for rel in repo.files:
            if aspnet_views.is_razor(rel):
                found.setdefault(posixpath.dirname(rel), []).append(rel)
        return found

    return repo.memo((__name__, "views-by-folder"), make)


def guarded_folder_views(rel: str, tree, repo) -> Iterator[tuple[str, tuple[Guard, ...]]]:
    """(view, guards) for the views in the folder of a controller that lets no action in without
    a signed-in user (`[Authorize]` on the class, `[AllowAnonymous]` nowhere): ASP.NET looks a
    view name up in Views/<controller>/ only for that controller's own actions, so such a view is
    behind login whichever action renders it, also one whose name no `View()` call spells out
    (`View(someName)`). Partials and layouts (`_Nav.cshtml`) take their context from the pages
    that use them."""
    for cls in csharp.classes(tree):
        if not _is_view_controller(cls):
            continue
        class_guards, class_anonymous = _access(cls.attributes, cls.name, rel)
        if not class_guards or class_anonymous is not None:
            continue
        if any(_access(method.attributes, cls.name, rel)[1] is not None for method in cls.methods):
            continue
        controller, area = _controller_name(cls), controller_area(rel, cls)
        root = app_root(rel)
        bases = ([f"{root}Areas/{area}/Views"] if area else []) + [root + "Views"]
        guards = tuple(Guard(f"{guard.text} (every action; the view is in its folder `{base}/{controller}/`)",
                             guard.path, guard.line, own=True)
                       for base in bases[:1] for guard in class_guards)
        for base in bases:
            for view in _views_by_folder(repo).get(f"{base}/{controller}", []):
                if not any(posixpath.basename(view).startswith(p) for p in _names("partial-prefixes")):
                    yield view, guards


# ---------------------------------------------------------------- Razor Pages


def page_identity(rel: str) -> tuple[str | None, str, str] | None:
    """(area, page path `/Records/Index`, URL `/records`) of a Razor Page file, or None when it is
    not under a Pages/ folder."""
    found = aspnet_views.views_root(rel)
    if found is None or posixpath.basename(found[1]) != "Pages":
        return None
    app, root = found
    inner = rel[len(root):]
    page = inner[: -len(".cshtml")] if inner.lower().endswith(".cshtml") else inner
    area = None
    below_app = root[len(app):].split("/")
    if len(below_app) == 3 and below_app[0] in _name_set("area-root"):
        area = below_app[1]
    url_parts = [p for p in ([area] if area else []) + page.strip("/").split("/") if p]
    if url_parts and url_parts[-1].lower() == "index":
        url_parts.pop()
    return area, page, "/" + "/".join(url_parts).lower()


def page_model_access(repo, rel: str) -> tuple[list[Guard], Guard | None]:
    """The attributes of the PageModel in `<page>.cshtml.cs`, and `@attribute [...]` in the page."""
    guards: list[Guard] = []
    anonymous = None
    code_rel = rel + ".cs"
    text = repo.read(code_rel) if repo.exists(code_rel) else None
    if text:
        for cls in csharp.classes(parse(text, csharp.LANGUAGE)):
            if set(cls.bases) & _name_set("page-model-bases"):
                found, open_ = _access(cls.attributes, cls.name, code_rel)
                guards += found
                anonymous = anonymous or open_
    page_text = repo.read(rel) or ""
    for directive in _names("attribute-directive"):
        for match in re.finditer(re.escape(directive) + r"\s*\[([^\]\n]{1,300})\]", page_text):
            name = re.match(r"\s*([\w.]+)", match.group(1))
            if name is None:
                continue
            simple = name.group(1).rsplit(".", 1)[-1]
            attribute = Attribute(simple[:-len("Attribute")] if simple.endswith("Attribute") else simple, (),
                                  match.group(1), Lines(page_text).line(match.start()))
            found, open_ = _access([attribute], posixpath.basename(rel), rel)
            guards += found
            anonymous = anonymous or open_
    return guards, anonymous


# ---------------------------------------------------------------- Web Forms


LOCATION = lazy_pattern(r"<location\b([^>]{0,1000})>(.*?)</location\s*>", re.IGNORECASE | re.DOTALL)
AUTHORIZATION = lazy_pattern(r"<authorization\b[^>]{0,200}>(.*?)</authorization\s*>", re.IGNORECASE | re.DOTALL)
RULE = lazy_pattern(r"<(allow|deny)\b([^>]{0,1000})/?>", re.IGNORECASE)
USERS = lazy_pattern(r"\busers\s*=\s*\"([^\"]{0,1000})\"", re.IGNORECASE)
PATH = lazy_pattern(r"\bpath\s*=\s*\"([^\"]{0,500})\"", re.IGNORECASE)
LOGIN_URL = lazy_pattern(r"<forms\b[^>]{0,1000}?\bloginUrl\s*=\s*\"([^\"]{1,500})\"", re.IGNORECASE)


@dataclass(frozen=True)
class ConfigRule:
    """What a web.config says of anonymous visitors in `scope` (a folder or page path)."""

    scope: str
    denied: bool
    guard: Guard


def _decision(block: str, offset: int, rel: str, lines: Lines) -> tuple[bool, Guard] | None:
    """The first <allow> / <deny> of an <authorization> list that names anonymous users."""
    anonymous = set(_names("anonymous-users"))
    for authorization in AUTHORIZATION.finditer(block):
        for rule in RULE.finditer(authorization.group(1)):
            users = USERS.search(rule.group(2))
            if users is None or not anonymous & {u.strip() for u in users.group(1).split(",")}:
                continue
            at = lines.line(offset + authorization.start(1) + rule.start())
            return rule.group(1).lower() == "deny", Guard(rule.group(0).strip(), rel, at)
    return None


def config_rules(rel: str, text: str) -> tuple[list[ConfigRule], list[tuple[str, Guard]]]:
    """The authorization rules of one web.config, and its forms sign-in URLs."""
    folder = posixpath.dirname(rel)
    lines = Lines(text)
    text_outside = text
    rules = []
    for location in LOCATION.finditer(text):
        path = PATH.search(location.group(1))
        text_outside = text_outside[: location.start()] + " " * (location.end() - location.start()) + text_outside[location.end():]
        if path is None:
            continue
        found = _decision(location.group(2), location.start(2), rel, lines)
        if found is not None:
            scope = posixpath.normpath(posixpath.join(folder, path.group(1).strip("~/"))) if path.group(1).strip("~/") else folder
            denied, guard = found
            rules.append(ConfigRule(scope.lstrip("./") if scope != "." else "", denied,
                                    Guard(f"{guard.text} in <location path=\"{path.group(1)}\"> (web.config)", rel, guard.line)))
    found = _decision(text_outside, 0, rel, lines)
    if found is not None:
        rules.append(ConfigRule(folder, found[0], Guard(f"{found[1].text} (web.config)", rel, found[1].line)))
    logins = [(m.group(1), Guard(f"<forms loginUrl=\"{m.group(1)}\">: the sign-in page (web.config)", rel, lines.line(m.start())))
              for m in LOGIN_URL.finditer(text)]
    return rules, logins


def _in_scope(page: str, scope: str) -> bool:
    return scope == "" or page == scope or page.startswith(scope + "/")


def webforms_routes(repo) -> list[Route]:
    rules: list[ConfigRule] = []
    logins: list[tuple[str, str, Guard]] = []  # (folder of the web.config, login URL, evidence)
    for rel in repo.of_kind("server-config"):
        if posixpath.basename(rel).lower() != "web.config":
            continue
        text = (repo.read(rel) or "")[:MAX_CONFIG_BYTES]
        found, login = config_rules(rel, text)
        rules += found
        logins += [(posixpath.dirname(rel), url, guard) for url, guard in login]
    if not rules and not logins:
        return []
    out = []
    for page in repo.of_kind("markup"):
        if not page.lower().endswith(".aspx"):
            continue
        sign_in = next((guard for folder, url, guard in logins
                        if repo.first(aspnet_views.tilde_candidates(posixpath.join(folder, "web.config"), url)) == page), None)
        if sign_in is not None:
            out.append(Route("aspnet", page, sign_in.path, sign_in.line, None, sign_in=sign_in))
            continue
        covering = [rule for rule in rules if _in_scope(page, rule.scope)]
        if not covering:
            continue
        rule = max(covering, key=lambda r: (len(r.scope), r.scope))
        if rule.denied:
            out.append(Route("aspnet", page, rule.guard.path, rule.guard.line, None, (rule.guard,)))
        else:
            out.append(Route("aspnet", page, rule.guard.path, rule.guard.line, None, anonymous=rule.guard))
    return out


# ---------------------------------------------------------------- the framework


def _hinted(repo, hint: str, kind: str, wanted) -> list[str]:
    hints = getattr(repo, "hints", None)
    out = []
    for rel in repo.of_kind(kind):
        if hints is not None:
            if hint in hints.get(rel, ()):
                out.append(rel)
        elif wanted(rel):
            text = repo.read(rel)
            if text and wanted(rel, text):
                out.append(rel)
    if len(out) > MAX_PROJECT_FILES:
        repo.note(".", f"ASP.NET: read the first {MAX_PROJECT_FILES} of {len(out)} files for controllers, pages and "
                       "authorization rules; the others are unknown", level="warning")
    return out[:MAX_PROJECT_FILES]


def _wants_code(rel: str, text: str | None = None) -> bool:
    return is_csharp(rel) and (text is None or may_hold_code(text))


def _wants_page(rel: str, text: str | None = None) -> bool:
    return aspnet_views.is_razor(rel) and (text is None or is_razor_page(text))


def project_routes(repo) -> list[Route]:
    return repo.memo((__name__, "routes"), lambda: _project_routes(repo))


def _login_guard(project: Project, url: str) -> Guard | None:
    return next((guard for path, guard in project.login_paths if path.rstrip("/").lower() == url.rstrip("/").lower()), None)


def _project_routes(repo) -> list[Route]:
    project = Project()
    trees = {}
    for rel in _hinted(repo, CODE_HINT, "code", _wants_code):
        trees[rel] = parse(repo.read(rel) or "", csharp.LANGUAGE)
        read_project(rel, trees[rel], project)
    out: list[Route] = []
    for rel, tree in trees.items():
        for action in actions(rel, tree, repo):
            guards = (*action.guards, *project.controller_guards, *project.all_guards)
            sign_in = _login_guard(project, action.url)
            for view in action.views:
                out.append(Route("aspnet", view, rel, action.line, action.url, guards, action.anonymous, sign_in))
    routed = {route.page for route in out}
    for rel, tree in trees.items():
        for view, guards in guarded_folder_views(rel, tree, repo):
            if view not in routed:
                out.append(Route("aspnet", view, rel, guards[0].line, None, guards))
    for rel in _hinted(repo, PAGE_HINT, "markup", _wants_page):
        identity = page_identity(rel)
        if identity is None:
            continue
        area, page, url = identity
        page_guards, anonymous = page_model_access(repo, rel)
        for convention in project.conventions:
            if convention.covers(area, page):
                if convention.anonymous:
                    anonymous = anonymous or convention.guard
                else:
                    page_guards.append(convention.guard)
        page_guards += project.page_guards + project.all_guards
        out.append(Route("aspnet", rel, rel, 1, url, tuple(page_guards), anonymous, _login_guard(project, url)))
    out += webforms_routes(repo)
    return out


@register
class AspNet(Framework):
    id = "aspnet"
    name = "ASP.NET"
    reads = {"source_edges": (Reads(kinds=("markup",), endings=aspnet_views.RAZOR_ENDINGS + aspnet_views.WEBFORMS_ENDINGS),),
             "file_hints": (Reads(languages=("c_sharp",), endings=aspnet_views.RAZOR_ENDINGS),)}

    def source_edges(self, source, repo):
        return aspnet_views.source_edges(source, repo)

    def project_edges(self, repo):
        return aspnet_views.view_start_edges(repo)

    def file_hints(self, rel: str, text: str) -> tuple[str, ...]:
        if is_csharp(rel):
            return (CODE_HINT,) if may_hold_code(text) else ()
        if aspnet_views.is_razor(rel):
            page = (PAGE_HINT,) if is_razor_page(text) else ()
            return (*page, *aspnet_views.razor_hints(rel, text))
        return ()

    def routes(self, repo, graph) -> Iterable[Route]:
        return project_routes(repo)

    def infer_project(self, repo, graph) -> list[Inference]:
        return layouts_behind_login(inferences(project_routes(repo)), graph)
