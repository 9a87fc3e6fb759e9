"""Laravel: the route table of a Laravel project, read from the tree-sitter parse of its PHP.

Routes: `Route::get('/records', …)` and the other verbs (rules/frameworks/laravel.toml
`route-verbs`) in route files (routes/*.php, the RouteServiceProvider, bootstrap/app.php, any PHP
file that calls the Route facade, and files they `require` inside a group). A route inherits the
middleware, `withoutMiddleware`, prefix and controller of every group around it:
`Route::middleware([...])->prefix('p')->group(function () { … })`, `Route::group(['middleware'
=> …], …)`, `->group(base_path('routes/x.php'))`. Middleware named by a variable of the same file
(`$portal = ["auth", "verified"]; Route::middleware($portal)`) is read through the variable.
Aliases and groups defined in app/Http/Kernel.php (`$middlewareAliases`, `$middlewareGroups`) or
bootstrap/app.php (`$middleware->alias([...])`, `->appendToGroup(...)`) count as what they name.

Each route's action gives the views it renders: `Route::view`, a closure's `view('x')`, a
controller method (`[RecordController::class, 'index']`, `'RecordController@index'`,
`Route::controller(X::class)->group(...)`, resources with ->only/->except), an invokable
controller or a Livewire full-page component, Inertia pages. Controllers guarding themselves
(`$this->middleware('auth')` with ->only / ->except in the constructor, a static `middleware()`
list) guard their methods' views.

Everything is reported as phi_lint.frameworks.routes `Route`s: auth middleware → guards,
`withoutMiddleware('auth')` → anonymous, guest middleware → a sign-in page; the one resolver
turns them into labels, with health by URL. A Blade layout used only by pages behind login is
behind login too. Blade and component edges: phi_lint.frameworks.laravel_views.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from phi_lint import frameworks_data
from phi_lint.frameworks import Framework, register
from phi_lint.frameworks import laravel_views as views
from phi_lint.frameworks.layouts import layouts_behind_login
from phi_lint.frameworks.php import resolve_include
from phi_lint.frameworks.reads import Reads
from phi_lint.frameworks.routes import Guard, Route, inferences
from phi_lint.inference.model import Inference
from phi_lint.lang import Source
from phi_lint.lang.php import (
    CALLS,
    INCLUDES,
    Chain,
    Link,
    Node,
    PhpCode,
    arguments,
    array_items,
    chain_of,
    chain_parts,
    chains,
    class_name,
    closure_body,
    nodes,
    php_code,
    string_value,
)
from phi_lint.lang.treesitter import line, text
from phi_lint.pagegraph.repo import RepoIndex

FRAMEWORK = "laravel"
ROUTES_HINT = "laravel-routes"
MAX_EVIDENCE_PER_PAGE = 3
MAX_ROUTE_FILES = 2000
SETTLE_ROUNDS = 6  # route files included inside groups inherit the group; settled in a few rounds


def _names(key: str) -> tuple[str, ...]:
    return frameworks_data.names(FRAMEWORK, key)


def _name_set(key: str) -> frozenset[str]:
    return frameworks_data.name_set(FRAMEWORK, key)


@frameworks_data.derived
def _route_file_shapes() -> re.Pattern:
    """The route file paths of rules/frameworks/laravel.toml, as one regex."""
    return frameworks_data.pattern(FRAMEWORK, "route-file-patterns")


# --------------------------------------------------------------------------- middleware


@dataclass(frozen=True)
class Middleware:
    """One middleware name in force, with where it is written."""

    name: str
    path: str
    line: int


@dataclass
class Aliases:
    """What the project's own middleware names stand for: alias → class, group → members."""

    aliases: dict[str, str] = field(default_factory=dict)
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def expand(self, name: str, depth: int = 0) -> list[str]:
        """The name and what it stands for (a group's members, an alias's class), transitively."""
        out = [name]
        if depth > 8:
            return out
        if name in self.aliases:
            out.append(self.aliases[name])
        for member in self.groups.get(name, ()):
            out.extend(self.expand(member, depth + 1))
        return out


def _matches(name: str, kind: str, aliases: Aliases) -> bool:
    for candidate in aliases.expand(name.strip()):
        if (candidate in _name_set(f"{kind}-middleware")
                or candidate.startswith(_names(f"{kind}-middleware-prefixes"))
                or candidate.rsplit("\\", 1)[-1] in _name_set(f"{kind}-middleware-classes")):
            return True
    return False


def is_auth_middleware(name: str, aliases: Aliases | None = None) -> bool:
    """Whether a middleware name requires a signed-in user (an alias, `auth:sanctum`, a class,
    or one of the project's aliases or groups that stands for one)."""
    return _matches(name, "auth", aliases or Aliases())


def is_guest_middleware(name: str, aliases: Aliases | None = None) -> bool:
    return _matches(name, "guest", aliases or Aliases())


def _kernel_aliases(code: PhpCode, into: Aliases) -> None:
    """Aliases and groups a Kernel's properties or bootstrap/app.php's calls define."""
    for element in _property_elements(code):
        name = text(element.child_by_field_name("name")).lstrip("$")
        value = element.child_by_field_name("default_value")
        _read_table(code, value, name in _name_set("kernel-alias-properties"), name in _name_set("kernel-group-properties"), into)
    for chain in _chains(code):
        for link in chain.links:
            if link.name in _name_set("kernel-alias-calls") and link.arguments:
                _read_table(code, link.arguments[0].value, True, False, into)
            elif link.name in _name_set("kernel-group-calls") and len(link.arguments) >= 2 and chain.kind == "object":
                group = string_value(link.arguments[0].value)
                if group:
                    members = into.groups.get(group, ()) + tuple(code.names(link.arguments[1].value))
                    into.groups[group] = members


def _property_elements(code: PhpCode) -> list[Node]:
    return nodes(code.root, ("property_element",))


def _read_table(code: PhpCode, value: Node | None, alias: bool, group: bool, into: Aliases) -> None:
    if value is None or not (alias or group):
        return
    for key, item in array_items(code.resolve(value)):
        name = string_value(key) if key is not None else None
        if not name:
            continue
        if alias:
            targets = code.names(item)
            if targets:
                into.aliases[name] = targets[0]
        else:
            into.groups[name] = into.groups.get(name, ()) + tuple(code.names(item))


# --------------------------------------------------------------------------- route scopes


@dataclass(frozen=True)
class Scope:
    """What a group gives the routes inside it."""

    middleware: tuple[Middleware, ...] = ()
    without: tuple[str, ...] = ()
    prefix: str = ""
    controller: str | None = None

    def merged(self, inner: Scope) -> Scope:
        prefix = "/".join(p.strip("/") for p in (self.prefix, inner.prefix) if p and p.strip("/"))
        return Scope(
            self.middleware + tuple(m for m in inner.middleware if m not in self.middleware),
            self.without + tuple(w for w in inner.without if w not in self.without),
            prefix,
            inner.controller or self.controller,
        )


@dataclass(frozen=True)
class Declared:
    """A route as its file declares it: verb, URI with the groups' prefixes, scope, targets."""

    path: str
    line: int
    verb: str
    uri: str
    scope: Scope
    targets: tuple[tuple[str, ...], ...]  # ("view", name) | ("action", class, method) | ("class", class)


def _chains(code: PhpCode) -> list[Chain]:
    return list(chains(code.root))


def _is_facade(chain: Chain) -> bool:
    return chain.kind == "static" and chain.base in _name_set("route-facades")


class RouteFile:
    """The routes of one file, read with the scope the file inherits from where it is loaded."""

    def __init__(self, project: Project, code: PhpCode, base: Scope):
        self.project = project
        self.code = code
        self.rel = code.rel
        self.base = base
        self.routes: list[Declared] = []
        self.included: list[tuple[str, Scope]] = []

    def read(self) -> RouteFile:
        stack: list[tuple[Node, Scope]] = [(self.code.root, self.base)]
        while stack:
            node, scope = stack.pop()
            if node.type in CALLS:  # met from the top: the outermost call of its chain
                chain = chain_of(node)
                if chain is not None and _is_facade(chain):
                    stack.extend(reversed(self._facade(chain, scope)))
                    continue
                if chain is not None:
                    stack.extend((part, scope) for part in reversed(chain_parts(chain)))
                    continue
            if node.type in INCLUDES:
                expressions = [c for c in node.named_children if c.type != "comment"]
                target = self._file_reference(expressions[0] if expressions else None)
                if target:
                    self.included.append((target, scope))
                continue
            stack.extend((child, scope) for child in reversed(node.children))
        return self

    def _facade(self, chain: Chain, scope: Scope) -> list[tuple[Node, Scope]]:
        """A Route:: statement: a group (its closure is read with the group's scope) or a route."""
        names = chain.names()
        if "group" in names:
            at = names.index("group")
            inner = self._chain_scope(chain.links[:at])
            args = list(chain.links[at].arguments)
            options = self.code.resolve(args[0].value) if args else None
            if options is not None and options.type == "array_creation_expression":
                inner = inner.merged(self._array_scope(options, chain.line))
                args = args[1:]
            if not args:
                return []
            group_scope = scope.merged(inner)
            body = closure_body(args[0].value)
            if body is not None:
                return [(body, group_scope)]
            target = self._file_reference(args[0].value)
            if target:
                self.included.append((target, group_scope))
            return []
        verb_at = next((i for i, name in enumerate(names) if name in _name_set("route-verbs")), None)
        if verb_at is not None:
            own = self._chain_scope(chain.links[:verb_at] + chain.links[verb_at + 1:])
            self.routes.append(self._route(chain, verb_at, scope.merged(own)))
        return []

    def _file_reference(self, node: Node | None) -> str | None:
        """A route file named by `base_path('routes/x.php')`, `__DIR__.'/x.php'` or a path."""
        if node is None:
            return None
        repo = self.project.repo
        if node.type == "function_call_expression" and text(node.child_by_field_name("function")) == "base_path":
            args = arguments(node)
            written = string_value(args[0].value) if args else None
            return repo.first([views.app_prefix(self.rel) + written.lstrip("/")]) if written else None
        value = self.code.path(node)
        return resolve_include(repo, self.rel, *value) if value is not None else None

    def _middleware(self, link: Link) -> list[Middleware]:
        return [Middleware(name, self.rel, link.line) for arg in link.arguments for name in self.code.names(arg.value)]

    def _chain_scope(self, links: Iterable[Link]) -> Scope:
        middleware: list[Middleware] = []
        without: list[str] = []
        prefix = ""
        controller = None
        for link in links:
            if link.name == "middleware":
                middleware += self._middleware(link)
            elif link.name == "withoutMiddleware":
                without += [m.name for m in self._middleware(link)]
            elif link.name == "prefix" and link.arguments:
                prefix = string_value(self.code.resolve(link.arguments[0].value)) or ""
            elif link.name == "controller" and link.arguments:
                classes = self._classes(link.arguments[0].value)
                controller = classes[0] if classes else None
        return Scope(tuple(middleware), tuple(without), prefix, controller)

    def _array_scope(self, node: Node, at: int) -> Scope:
        """Route::group(['middleware' => 'auth', 'prefix' => 'x', 'controller' => X::class], …)."""
        middleware = self.code.array_value(node, "middleware")
        prefix = self.code.array_value(node, "prefix")
        controller = self.code.array_value(node, "controller")
        classes = self._classes(controller) if controller is not None else []
        return Scope(
            tuple(Middleware(name, self.rel, at) for name in self.code.names(middleware)) if middleware is not None else (),
            (),
            (string_value(prefix) or "") if prefix is not None else "",
            classes[0] if classes else None,
        )

    def _classes(self, node: Node | None) -> list[str]:
        """The classes a value names with `X::class`: one, or each of an array's values."""
        node = self.code.resolve(node)
        named = class_name(node)
        found = [named] if named else [class_name(value) for _key, value in array_items(node)]
        return [self.code.qualify(name) for name in found if name]

    def _route(self, chain: Chain, verb_at: int, scope: Scope) -> Declared:
        link = chain.links[verb_at]
        verb = link.name
        args = [a.value for a in link.arguments]
        uri = string_value(args[0]) if args else None
        if verb == "match":
            uri = string_value(args[1]) if len(args) > 1 else None
            action = args[2] if len(args) > 2 else None
        elif verb == "fallback":
            uri, action = "(fallback)", args[0] if args else None
        else:
            action = args[1] if len(args) > 1 else None
        targets = self._targets(verb, args, action, chain.links[verb_at + 1:], scope)
        path = "/" + "/".join(p.strip("/") for p in (scope.prefix, uri or "") if p and p.strip("/"))
        shown = verb.upper() if verb not in ("view", "volt") else "GET"
        return Declared(self.rel, chain.line, shown, path, scope, tuple(targets))

    def _targets(self, verb: str, args: list[Node], action: Node | None, after: tuple[Link, ...], scope: Scope) -> list[tuple[str, ...]]:
        if verb in ("view", "volt"):
            name = string_value(action) if action is not None else None
            if not name:
                return []
            return [("view", name) if verb == "view" else ("view", "livewire." + name)]
        if verb in _name_set("resource-verbs"):
            methods = list(_names("resource-methods"))
            for option in after:
                listed = [n for a in option.arguments for n in self.code.names(a.value)]
                if option.name == "only":
                    methods = [m for m in methods if m in listed]
                elif option.name == "except":
                    methods = [m for m in methods if m not in listed]
            classes = self._classes(args[0] if verb == "resources" and args else action)
            return [("action", cls, method) for cls in classes for method in methods]
        if verb == "livewire":
            return [("class", cls) for cls in self._classes(action)]
        return self._action_targets(action, scope)

    def _action_targets(self, action: Node | None, scope: Scope) -> list[tuple[str, ...]]:
        if action is None:
            return []
        action = self.code.resolve(action)
        if action is None:
            return []
        items = array_items(action)
        if len(items) >= 2 and class_name(items[0][1]) and string_value(items[1][1]):
            return [("action", self.code.qualify(class_name(items[0][1]) or ""), string_value(items[1][1]) or "")]
        body = closure_body(action)
        if body is not None:
            return [("view", name) for name, _ in views.view_calls(self.code, body)]
        named = class_name(action)
        if named:
            return [("class", self.code.qualify(named))]
        value = string_value(action)
        if value and "@" in value:
            cls, _, method = value.partition("@")
            if re.fullmatch(r"[\w\\]+", cls) and re.fullmatch(r"\w+", method):
                return [("action", self.code.qualify(cls, _names("legacy-controller-namespace")[0]), method)]
        if value and scope.controller and re.fullmatch(r"\w+", value):
            return [("action", scope.controller, value)]
        return []


# --------------------------------------------------------------------------- controllers


@dataclass
class Controller:
    """A controller (or Livewire component) class: its methods and the middleware it declares."""

    rel: str
    name: str
    code: PhpCode | None
    methods: dict[str, Node] = field(default_factory=dict)
    # (names, only, except, line, how) — how: "constructor" or "static"
    middleware: list[tuple[list[str], list[str] | None, list[str] | None, int, str]] = field(default_factory=list)

    def views(self, method: str) -> list[tuple[str, int]]:
        node = self.methods.get(method)
        if node is None or self.code is None:
            return []
        return views.view_calls(self.code, node)


def _read_controller(rel: str, code: PhpCode | None) -> Controller:
    info = Controller(rel, posixpath.basename(rel)[: -len(".php")], code)
    if code is None:
        return info
    classes = code.classes()
    if not classes:
        return info
    name = classes[0].child_by_field_name("name")
    if name is not None:
        info.name = text(name)
    info.methods = code.methods(classes[0])
    constructor = info.methods.get("__construct")
    if constructor is not None:
        info.middleware += _constructor_middleware(code, constructor)
    for method in _names("controller-middleware-methods"):
        declared = info.methods.get(method)
        if declared is not None and any(c.type == "static_modifier" for c in declared.children):
            info.middleware += _static_middleware(code, declared)
    return info


def _constructor_middleware(code: PhpCode, body: Node) -> list:
    out = []
    for chain in chains(body):
        if chain.kind != "object" or chain.base != "$this" or not chain.links or chain.links[0].name != "middleware":
            continue
        names = [n for arg in chain.links[0].arguments for n in code.names(arg.value)]
        only = except_ = None
        for link in chain.links[1:]:
            listed = [n for arg in link.arguments for n in code.names(arg.value)]
            if link.name == "only":
                only = listed
            elif link.name == "except":
                except_ = listed
        out.append((names, only, except_, chain.line, "constructor"))
    return out


def _static_middleware(code: PhpCode, method: Node) -> list:
    out = []
    for statement in nodes(method, ("return_statement",)):
        values = [c for c in statement.named_children if c.type != "comment"]
        for _key, item in array_items(values[0] if values else None):
            if item.type == "object_creation_expression":
                created = next((c for c in item.named_children if c.type in ("name", "qualified_name")), None)
                if created is None or text(created).rsplit("\\", 1)[-1] not in _name_set("middleware-classes"):
                    continue
                args = arguments(next((c for c in item.named_children if c.type == "arguments"), None))
                positional = [a for a in args if a.name is None]
                options = {a.name: code.names(a.value) for a in args if a.name is not None}
                names = code.names(positional[0].value) if positional else []
                out.append((names, options.get("only"), options.get("except"), line(item), "static"))
            else:
                names = code.names(item)
                if names:
                    out.append((names, None, None, line(item), "static"))
        break
    return out


# --------------------------------------------------------------------------- the project


class Project:
    """One run's Laravel project: its route files, controllers and middleware aliases."""

    def __init__(self, repo: RepoIndex):
        self.repo = repo
        self._codes: dict[str, PhpCode | None] = {}
        self._controllers: dict[str, Controller] = {}
        self.aliases = Aliases()

    def code(self, rel: str) -> PhpCode | None:
        if rel not in self._codes:
            text_ = self.repo.read(rel) if self.repo.exists(rel) else None
            self._codes[rel] = php_code(Source(rel, text_)) if text_ else None
        return self._codes[rel]

    def route_files(self) -> list[str]:
        shapes = _route_file_shapes()
        hints = self.repo.hints
        out = []
        for rel in self.repo.files:
            if not rel.endswith(".php") or rel.endswith(".blade.php"):
                continue
            if shapes.search(rel) or (hints is not None and ROUTES_HINT in hints.get(rel, ())):
                out.append(rel)
            elif hints is None and self.repo.kind(rel) in ("markup", "code"):
                body = self.repo.read(rel)
                if body and calls_route_facade(body):
                    out.append(rel)
        return out[:MAX_ROUTE_FILES]

    def read_aliases(self) -> None:
        for rel in self.repo.files:
            if rel.endswith(("app/Http/Kernel.php", "bootstrap/app.php")):
                code = self.code(rel)
                if code is not None:
                    _kernel_aliases(code, self.aliases)

    def declared(self) -> list[Declared]:
        files = self.route_files()
        inherited: dict[str, Scope] = {}
        result: dict[str, list[Declared]] = {}
        for _ in range(SETTLE_ROUNDS):
            changed = False
            for rel in list(files):
                code = self.code(rel)
                if code is None:
                    continue
                read = RouteFile(self, code, inherited.get(rel, Scope())).read()
                result[rel] = read.routes
                for target, scope in read.included:
                    merged = inherited[target].merged(scope) if target in inherited else scope
                    if inherited.get(target) != merged:
                        inherited[target], changed = merged, True
                        if target not in files and len(files) < MAX_ROUTE_FILES:
                            files.append(target)
            if not changed:
                break
        return [route for rel in files for route in result.get(rel, [])]

    def controller(self, rel: str) -> Controller:
        if rel not in self._controllers:
            self._controllers[rel] = _read_controller(rel, self.code(rel))
        return self._controllers[rel]

    def class_file(self, fqcn: str, near: str) -> str | None:
        prefix = views.app_prefix(near)
        parts = fqcn.split("\\")
        if parts[0] == "App" and len(parts) > 1:
            found = self.repo.first([prefix + "app/" + "/".join(parts[1:]) + ".php"])
            if found:
                return found
        short = parts[-1] + ".php"
        for directory in (*_names("controller-dirs"), *_names("livewire-dirs")):
            found = self.repo.first([prefix + directory + short])
            if found:
                return found
        matches = [rel for rel in self.repo.by_suffix(short) if "/app/" in "/" + rel]
        return matches[0] if len(matches) == 1 else None

    def views_of(self, target: tuple[str, ...], near: str) -> list[tuple[str, str]]:
        """(view file, what renders it) for a route target."""
        if target[0] == "view":
            view = views.view_file(self.repo, near, target[1])
            return [(view, f"view `{target[1]}`")] if view else []
        rel = self.class_file(target[1], near)
        if rel is None:
            return []
        info = self.controller(rel)
        method = target[2] if target[0] == "action" else None
        if method is None:
            if "__invoke" not in info.methods:
                code = self.code(rel)
                view, _name = views.livewire_view(self.repo, rel, code) if code is not None else (None, "")
                return [(view, f"{info.name} (Livewire)")] if view else []
            method = "__invoke"
        out = []
        for name, _line in info.views(method):
            view = views.view_file(self.repo, rel, name)
            if view:
                out.append((view, f"{info.name}@{method}"))
        return out


def calls_route_facade(body: str) -> bool:
    """A cheap test of a PHP file's text: it may declare routes (the parse decides)."""
    return "Route::" in body


# --------------------------------------------------------------------------- to the route table


@dataclass
class _PageRoutes:
    """What the routes and controllers say of one view, before the cap on evidence."""

    guarded: list[tuple[Guard, Route]] = field(default_factory=list)
    others: list[Route] = field(default_factory=list)


def _route_for(route: Declared, view: str, action: str, aliases: Aliases) -> tuple[Route, Guard | None]:
    removed = set(route.scope.without)
    active = [m for m in route.scope.middleware if m.name not in removed]
    guards = [m for m in active if is_auth_middleware(m.name, aliases)]
    guests = [m for m in active if is_guest_middleware(m.name, aliases)]
    where = f"route {route.verb} {route.uri} ({action})"
    base = Route(FRAMEWORK, view, route.path, route.line, route.uri)
    if guards:
        guard = Guard(f"`{guards[0].name}` middleware on {where}", guards[0].path, guards[0].line)
        return replace(base, guards=(guard,)), guard
    lifted = [m for m in route.scope.middleware if m.name in removed and is_auth_middleware(m.name, aliases)]
    if lifted:
        base = replace(base, anonymous=Guard(f"withoutMiddleware('{lifted[0].name}') on {where}", route.path, route.line))
    if guests:
        sign_in = Guard(f"`{guests[0].name}` middleware on {where}: a page for signed-out visitors", guests[0].path, guests[0].line)
        return replace(base, sign_in=sign_in), None
    return base, None


def _controller_routes(project: Project) -> Iterable[tuple[Guard, Route]]:
    """Controllers guarding their own methods: every view a covered method renders."""
    for rel in project.repo.files:
        if not rel.endswith(".php") or not _under_any(rel, _names("controller-dirs")):
            continue
        info = project.controller(rel)
        for names, only, except_, at, how in info.middleware:
            guard_name = next((n for n in names if is_auth_middleware(n, project.aliases)), None)
            if guard_name is None:
                continue
            for method in info.methods:
                if method.startswith("__") or method in _name_set("controller-middleware-methods"):
                    continue
                if (only is not None and method not in only) or (except_ is not None and method in except_):
                    continue
                if how == "constructor":
                    evidence = f"$this->middleware('{guard_name}') in {info.name} (covers {method})"
                else:
                    evidence = f"middleware() of {info.name} lists `{guard_name}` (covers {method})"
                guard = Guard(evidence, rel, at)
                for name, _line in info.views(method):
                    view = views.view_file(project.repo, rel, name)
                    if view:
                        yield guard, Route(FRAMEWORK, view, rel, at, None, (guard,))


def _under_any(rel: str, directories: Iterable[str]) -> bool:
    return any(rel.startswith(d) or ("/" + d) in rel for d in directories)


def project_routes(repo: RepoIndex) -> list[Route]:
    """The project's route table (computed once per run)."""
    return repo.memo((__name__, "routes"), lambda: _project_routes(repo))


def _is_laravel(repo: RepoIndex, project: Project) -> bool:
    return bool(project.route_files()) or any(
        d in rel for rel in repo.files for d in _names("controller-dirs") if rel.endswith(".php")
    )


def _project_routes(repo: RepoIndex) -> list[Route]:
    project = Project(repo)
    if not _is_laravel(repo, project):
        return []
    project.read_aliases()
    pages: dict[str, _PageRoutes] = {}
    for route in project.declared():
        for target in route.targets:
            for view, action in project.views_of(target, route.path):
                table_route, guard = _route_for(route, view, action, project.aliases)
                entry = pages.setdefault(view, _PageRoutes())
                if guard is not None:
                    entry.guarded.append((guard, table_route))
                else:
                    entry.others.append(table_route)
    for guard, table_route in _controller_routes(project):
        pages.setdefault(table_route.page, _PageRoutes()).guarded.append((guard, table_route))
    return [*_capped(pages), *_handler_routes(project)]


def _handler_routes(project: Project) -> list[Route]:
    """A route for each controller action a route file names, whatever it renders (a POST that
    redirects renders nothing): its handler is (controller file, method), so a server-side sender
    in that method is behind the route's middleware. They label no page (`page` is empty)."""
    out: set[Route] = set()
    for route in project.declared():
        for target in route.targets:
            if target[0] not in ("action", "class"):
                continue
            rel = project.class_file(target[1], route.path)
            if rel is None:
                continue
            method = target[2] if target[0] == "action" else "__invoke"
            action = f"{project.controller(rel).name}@{method}"
            table_route, _guard = _route_for(route, "", action, project.aliases)
            out.add(replace(table_route, sign_in=None, handler=(rel, method)))
    return sorted(out)


def _capped(pages: dict[str, _PageRoutes]) -> list[Route]:
    """The table: per view, the guarded routes with the first few pieces of evidence; the other
    routes keep their URL (health by URL) but not their guard; a sign-in route counts only for
    a view no guard covers."""
    out: list[Route] = []
    for view in sorted(pages):
        entry = pages[view]
        kept: set[Guard] = set(sorted({guard for guard, _ in entry.guarded})[:MAX_EVIDENCE_PER_PAGE])
        for guard, route in entry.guarded:
            out.append(route if guard in kept else replace(route, guards=()))
        for route in entry.others:
            out.append(replace(route, sign_in=None) if entry.guarded else route)
    return out


# --------------------------------------------------------------------------- the framework


@register
class Laravel(Framework):
    id = FRAMEWORK
    name = "Laravel"
    reads = {"source_edges": (Reads(readers=("blade", "php")),),  # Blade views, Livewire / class components
             "file_hints": (Reads(languages=("php",)),)}  # route files

    def source_edges(self, source, repo):
        return views.source_edges(source, repo)

    def file_hints(self, rel: str, text: str) -> tuple[str, ...]:
        if rel.endswith(".php") and not rel.endswith(".blade.php") and calls_route_facade(text):
            return (ROUTES_HINT,)
        return ()

    def routes(self, repo, graph):
        return project_routes(repo)

    def infer_project(self, repo, graph) -> list[Inference]:
        return layouts_behind_login(inferences(project_routes(repo)), graph)
