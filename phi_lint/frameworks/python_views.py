"""What the Python web frameworks (Django, Flask, FastAPI) share: one walk over a module's AST that
collects its views, and the join of modules that follows names across files.

A module's facts (`Module`): its imports, its views (functions and classes) with the templates
each renders (`Spec`), the guards written on them, the routers they are routed on. The walk is
shared because the frameworks share their shapes (a `@login_required` view, `render(...)`,
`template_name = …`); what only one framework writes (a URLconf, a blueprint hook, a class-based
view's mixins) is read by that framework's `PythonFramework` hooks during the same walk. The
knowledge (decorator, mixin, call and constructor names) is in rules/frameworks/<id>.toml.

Facts that span modules (urls.py → views.py, a base class or decorator imported from another
module, a blueprint routed in another module, settings → ROOT_URLCONF) are joined by `Project`:
the page-graph edges from `module_links` name the modules the project pass re-reads. The
frameworks then turn the joined facts into `phi_lint.frameworks.routes.Route`s; only the route
resolver makes labels of them.

Template names are evaluated from literals, local and module constants (`ARTICLE = "a.html"`),
conditionals, f-strings, `%` and `.format` (a pattern matching every template it can name), and
mapped to files with the page graph's resolver (phi_lint.pagegraph.template_paths).
"""

from __future__ import annotations

import ast
import posixpath
import re
import typing
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from phi_lint import frameworks_data
from phi_lint.frameworks import Framework, python_hints, registered
from phi_lint.frameworks.python_facts import Module, Spec, View
from phi_lint.frameworks.python_walk import ModuleWalk
from phi_lint.frameworks.reads import Reads
from phi_lint.frameworks.routes import Guard, Route
from phi_lint.lang.python import (
    MAX_DEPTH,
    const_str,
    imports_in,
    python_tree,
    root_name,
    short_source,
    terminal_name,
)
from phi_lint.pagegraph.template_paths import resolve_template, shared_leading_dirs

if TYPE_CHECKING:
    from phi_lint.lang import Source
    from phi_lint.pagegraph.graph import PageGraph
    from phi_lint.pagegraph.repo import RepoIndex

PYTHON_FRAMEWORKS = ("django", "flask", "fastapi")
MAX_MODULES = 2000  # modules one project pass may load (a guard against pathological import webs)
# words a module must hold to be read at all (plus every name the data and the user's config add)
_KEYWORDS = ("render", "template", "Template", "login", "Login", "required", "Required", "before_request",
             "as_view", "include", "MIDDLEWARE", "login_view", "View", "Mixin", "route", "urlpatterns",
             "decorators")


# ---------------------------------------------------------------------------------------------
# knowledge shared by the Python frameworks: rules/frameworks/{django,flask,fastapi}.toml


@frameworks_data.derived
def _lists() -> dict[str, frozenset[str]]:
    """Each list key → the union of its names over the Python frameworks that have it."""
    found: dict[str, frozenset[str]] = {}
    for framework in PYTHON_FRAMEWORKS:
        for key, values in frameworks_data.current().by_id[framework].lists.items():
            found[key] = found.get(key, frozenset()) | frozenset(values)
    return found


def _names(key: str) -> frozenset[str]:
    return _lists().get(key, frozenset())


def auth_decorators() -> frozenset[str]:
    return _names("auth-decorators")


def decorator_factories() -> frozenset[str]:
    """Decorators whose first argument is not the view: permission_required("perm")(view)."""
    return _names("decorator-factories")


def exempt_decorators() -> frozenset[str]:
    return _names("exempt-decorators")


def route_decorators() -> frozenset[str]:
    """`@app.route("/x")`, `@bp.get("/x")`, `@router.api_route("/x")`: the view is served there."""
    return _names("route-decorators")


def user_checks() -> frozenset[str]:
    """Attributes that ask whether someone is signed in (`current_user.is_authenticated`)."""
    return _names("user-checks")


def turn_away_calls() -> frozenset[str]:
    """Calls that send a visitor who is not signed in elsewhere (`redirect`, `abort`)."""
    return _names("turn-away-calls")


@frameworks_data.derived
def render_calls() -> dict[str, tuple[tuple[int, tuple[str, ...]], ...]]:
    """Call name → the ways it names its template: (positional index, keyword names). Django's
    `TemplateResponse(request, "x")` and Starlette's `TemplateResponse("x", {...})` share a name."""
    found: dict[str, tuple[tuple[int, tuple[str, ...]], ...]] = {}
    for framework in PYTHON_FRAMEWORKS:
        for call, value in frameworks_data.current().by_id[framework].tables.get("render-calls", {}).items():
            index, *keywords = (value,) if isinstance(value, str) else value
            found[call] = found.get(call, ()) + ((int(index), tuple(keywords)),)
    return found


@frameworks_data.derived
def _keywords() -> tuple[str, ...]:
    """_KEYWORDS and the names the user's configuration adds (a `@portal_only` holds none of them)."""
    added = (names for framework, _key, names in frameworks_data.current().additions if framework in PYTHON_FRAMEWORKS)
    return tuple(dict.fromkeys(_KEYWORDS + tuple(name for group in added for name in group)))


# ---------------------------------------------------------------------------------------------
# facts per module


class Names:
    """Evaluates template-name expressions to names and name patterns."""

    def __init__(self, scope: dict[str, list]):
        self.scope = scope

    def items(self, node, depth: int = 0) -> list:
        if depth > MAX_DEPTH or node is None:
            return []
        value = const_str(node)
        if value is not None:
            return [value]
        if isinstance(node, ast.IfExp):
            return self.items(node.body, depth + 1) + self.items(node.orelse, depth + 1)
        if isinstance(node, ast.Name):
            return list(self.scope.get(node.id, []))
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
            return list(self.scope.get("self." + node.attr, []))
        pattern = self.pattern(node, depth)
        return [pattern] if pattern is not None else []

    def pattern(self, node, depth: int = 0):
        parts = self._parts(node, depth)
        if parts is None or not any(isinstance(p, str) and p.strip("/") for p in parts):
            return None
        regex = "".join(re.escape(p) if isinstance(p, str) else "[^/]+" for p in parts)
        regex = re.sub(r"(?:\[\^/\]\+)+", "[^/]+", regex)
        try:
            return re.compile(r"(?:^|/)" + regex.lstrip("/") + r"\Z")
        except re.error:
            return None

    def _parts(self, node, depth: int):
        if depth > MAX_DEPTH:
            return None
        if isinstance(node, ast.JoinedStr):
            return [const_str(piece) for piece in node.values]
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left = self._parts(node.left, depth + 1)
            right = self._parts(node.right, depth + 1)
            return (left or [None]) + (right or [None]) if left or right else None
        template = const_str(node.left) if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) else None
        if template is not None:
            # zeros are flags, so the width starts at 1-9: `[-#0 +]*\d*` read a run of zeros both ways
            pieces = re.split(r"%[-#0 +]*(?:[1-9]\d*)?(?:\.\d+)?[sdri]", template)
            return [p for piece in pieces for p in (piece, None)][:-1]
        formatted = const_str(node.func.value) if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
            and node.func.attr == "format" else None
        if formatted is not None:
            pieces = re.split(r"\{[^{}]*\}", formatted)
            return [p for piece in pieces for p in (piece, None)][:-1]
        value = const_str(node)
        if value is not None:
            return [value]
        return None

    def spec(self, node, line: int) -> Spec | None:
        if isinstance(node, (ast.List, ast.Tuple)):
            items = [i for element in node.elts for i in self.items(element)]
            return Spec("first", tuple(items), line) if items else None
        items = self.items(node)
        return Spec("each", tuple(items), line) if items else None


def string_assignments(body, scope: dict[str, list], prefix: str = "") -> None:
    """Adds the template names each `NAME = "x"` (or a list of them) in `body` may hold to scope."""
    names = Names(scope)
    for node in body:
        targets, value = [], None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        for target in targets:
            if isinstance(target, ast.Name):
                if isinstance(value, (ast.List, ast.Tuple)):
                    items = [i for element in value.elts for i in names.items(element)]
                else:
                    items = names.items(value)
                if items:
                    scope.setdefault(prefix + target.id, []).extend(items)


def render_specs(nodes, names: Names) -> list[Spec]:
    """The templates the render calls among `nodes` name (`render(request, "x")`, …)."""
    specs = []
    calls = render_calls()
    for node in nodes:
        if not isinstance(node, ast.Call):
            continue
        call = terminal_name(node.func)
        if call not in calls or isinstance(node.func, ast.Call):
            continue
        for index, keywords in calls[call]:
            argument = node.args[index] if len(node.args) > index else None
            if isinstance(argument, ast.Starred):
                argument = None
            for keyword in node.keywords:
                if keyword.arg in keywords:
                    argument = keyword.value
            spec = names.spec(argument, node.lineno) if argument is not None else None
            if spec:
                specs.append(spec)
                break
    return specs


class PythonFramework(Framework):
    """A Python web framework: its hooks in the shared walk over each module (all optional)."""

    # each module's facts are read from Python modules of the code kind only (`facts`)
    reads = {hook: (Reads(kinds=("code",), languages=("python",)),)
             for hook in ("source_edges", "file_routes", "source_hints")}

    def read_decorator(self, collector: Collector, view: View, function, decorator, name: str | None) -> bool:
        """A decorator of a function the framework understands (True: taken, the walk goes on)."""
        return False

    def read_class(self, collector: Collector, view: View, node: ast.ClassDef) -> None:
        """A class: what its bases, decorators and attributes say for this framework."""

    def read_assignment(self, collector: Collector, target: ast.expr, node: ast.Assign) -> None:
        """A module-level or nested assignment."""

    def read_call(self, collector: Collector, node: ast.Call) -> None:
        """Any call of the module."""

    def source_hints(self, source, repo) -> tuple[str, ...]:
        """The module's facts, for the project pass (phi_lint.frameworks.python_hints): written by
        the first Python framework, the facts being shared by all."""
        if self is not python_frameworks()[0]:
            return ()
        module = facts(source, repo)
        return (python_hints.encode(module),) if module is not None else ()


@lru_cache(maxsize=1)
def python_frameworks() -> tuple[PythonFramework, ...]:
    """The registered frameworks that read Python modules (asked for every .py file: kept)."""
    return tuple(f for f in registered() if isinstance(f, PythonFramework))


class Collector:
    """One walk over a module: the shared facts, and each Python framework's hooks."""

    def __init__(self, rel: str, tree: ast.Module, readers: Sequence[PythonFramework]):
        self.rel = rel
        self.module = Module(rel)
        self.tree = tree
        self.readers = readers
        self.scope: dict[str, list] = {}
        self.functions: dict[str, ast.AST] = {}
        self.walk = ModuleWalk(tree, user_checks())  # the module's one walk
        self._auth_names: list[int] | None = None

    # -- names --------------------------------------------------------------------------------
    def original(self, name: str | None) -> str | None:
        """The imported name behind a local alias (`from flask_login import login_required as lr`)."""
        if name is not None and name in self.module.imports:
            _, _, attr = self.module.imports[name]
            return attr or name
        return name

    def decorator_name(self, node) -> str | None:
        if isinstance(node, ast.Name):
            return self.original(node.id)
        return terminal_name(node)

    def is_auth(self, node) -> bool:
        return self.decorator_name(node) in auth_decorators()

    def auth_in(self, node) -> bool:
        """login_required, [login_required, never_cache] or (login_required,)."""
        if isinstance(node, (ast.List, ast.Tuple)):
            return any(self.is_auth(element) for element in node.elts)
        return self.is_auth(node)

    # -- collection ---------------------------------------------------------------------------
    def run(self) -> Module:
        body = self.tree.body
        self.module.imports = imports_in(node for _depth, _at, node in self.walk.imports)
        string_assignments(body, self.scope)
        self.module.constants = self.scope
        # functions anywhere (views inside a Flask app factory too); classes handle their own methods
        stack: list[ast.AST] = list(reversed(body))
        while stack:
            node = stack.pop()
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self._function(node)
                stack.extend(reversed(node.body))
            elif isinstance(node, ast.ClassDef):
                self._class(node)
            else:
                stack.extend(reversed([c for c in ast.iter_child_nodes(node)
                                       if isinstance(c, (ast.stmt, ast.excepthandler))]))
        self._statements()
        return self.module

    def _function(self, node) -> View:
        view = View(self.rel, node.name, "function", node.lineno)
        self.functions.setdefault(node.name, node)
        for decorator in node.decorator_list:
            name = self.decorator_name(decorator)
            if name in auth_decorators():
                view.auth.append((f"@{short_source(decorator)} on view `{node.name}`", decorator.lineno))
            elif name in exempt_decorators():
                view.exempt = f"@{name} on view `{node.name}`"
            elif isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute) \
                    and decorator.func.attr in route_decorators() and isinstance(decorator.func.value, ast.Name):
                rule = const_str(decorator.args[0]) if decorator.args else None
                view.routers.append((decorator.func.value.id, rule or "", decorator.lineno))
            elif any(reader.read_decorator(self, view, node, decorator, name) for reader in self.readers):
                pass
            elif isinstance(decorator, (ast.Name, ast.Attribute, ast.Call)) and name:
                view.called_decorators.append((name, decorator.lineno, short_source(decorator)))
        scope = dict(self.scope)
        string_assignments(self.walk.body_assigns(node), scope)
        view.specs = render_specs(self.walk.body_calls(node), Names(scope))
        if self.walk.has_nested_function(node) and self.enforces_login(node):
            self.module.auth_decorators[node.name] = node.lineno
        self.module.views[node.name] = view
        return view

    def _class(self, node: ast.ClassDef) -> View:
        view = View(self.rel, node.name, "class", node.lineno, bases=list(node.bases))
        view.base_names = [self.decorator_name(b) or "" for b in node.bases]
        for reader in self.readers:
            reader.read_class(self, view, node)
        scope = dict(self.scope)
        string_assignments(node.body, scope, prefix="self.")
        string_assignments(node.body, scope)
        names = Names(scope)
        for statement in node.body:
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1 \
                    and isinstance(statement.targets[0], ast.Name):
                target, value = statement.targets[0].id, statement.value
                if target == "template_name":
                    spec = names.spec(value, statement.lineno)
                    if spec:
                        view.specs.append(spec)
                elif target == "decorators" and self.auth_in(value):
                    view.auth.append((f"decorators = {short_source(value)} on view `{node.name}`", statement.lineno))
            elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if statement.name in ("dispatch", "get"):
                    for decorator in statement.decorator_list:
                        if self.is_auth(decorator):
                            view.auth.append((f"@{short_source(decorator)} on `{node.name}.{statement.name}`",
                                              decorator.lineno))
                inner = dict(scope)
                string_assignments(self.walk.body_assigns(statement), inner)
                inner_names = Names(inner)
                view.specs.extend(render_specs(self.walk.body_calls(statement), inner_names))
                if statement.name == "get_template_names":
                    for child in self.walk.body_returns(statement):
                        if isinstance(child, ast.Return) and child.value is not None:
                            spec = inner_names.spec(child.value, child.lineno)
                            if spec:
                                view.specs.append(spec)
        self.module.views[node.name] = view
        return view

    def enforces_login(self, function) -> bool:
        """A function that checks the signed-in user and turns others away (a guard or a decorator):
        `x.is_authenticated` or `g.user` and a turn-away call or `raise`, or an auth decorator's name."""
        if self._auth_names is None:  # once the imports are known (aliases of auth decorators)
            auth = auth_decorators()
            names_at, names = self.walk.names
            self._auth_names = [at for at, name in zip(names_at, names) if self.original(name) in auth]
        return self.walk.enforces_login(function, self._auth_names, _turns_away)

    def _statements(self) -> None:
        """Every assignment and call of the module, to each reader, in breadth-first order."""
        for _depth, _at, node in self.walk.statements:
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    for reader in self.readers:
                        reader.read_assignment(self, target, node)
            elif isinstance(node, ast.Call):
                for reader in self.readers:
                    reader.read_call(self, node)


def _turns_away(node: ast.Call) -> bool:
    return terminal_name(node.func) in turn_away_calls()


def _collect(source: Source) -> Module | None:
    tree = python_tree(source)
    return Collector(source.rel, tree, python_frameworks()).run() if tree is not None else None


def facts(source: Source, repo: RepoIndex) -> Module | None:
    """The facts of one Python module, or None (not Python, nothing relevant, a syntax error);
    read once per file, whichever framework asks first."""
    if not source.rel.endswith(".py") or repo.kind(source.rel) != "code":
        return None
    if not any(keyword in source.text for keyword in _keywords()):
        return None
    return source.derived("python:web-facts", lambda: _collect(source))


def module_file(repo, importer: str, level: int, dotted: str) -> str | None:
    """The repo file of a Python module named in `importer` (relative or absolute import)."""
    path = (dotted or "").replace(".", "/")
    if level:
        base = posixpath.dirname(importer)
        for _ in range(level - 1):
            base = posixpath.dirname(base)
        stem = posixpath.join(base, path) if path else base
        for candidate in (stem + ".py", stem + "/__init__.py"):
            candidate = posixpath.normpath(candidate)
            if repo.exists(candidate):
                return candidate
        return None
    if not path:
        return None
    candidates = repo.by_suffix(path + ".py") + repo.by_suffix(path + "/__init__.py")
    if not candidates:
        return None
    return min(candidates, key=lambda c: (-shared_leading_dirs(c, importer), c.count("/"), c))


# ---------------------------------------------------------------------------------------------
# the links the project pass follows


@dataclass(frozen=True)
class Link:
    """A module another module's facts depend on; `owner`: the framework whose fact it serves."""

    target: str
    kind: str  # import | urlconf
    line: int
    detail: str
    owner: str


def module_links(module: Module, repo) -> list[Link]:
    """Links from a module to the repo modules its facts depend on (the first fact for each
    target wins): URLconf → the views it routes to and the URLconfs it includes; a view module →
    the modules of its base classes, decorators and blueprint; Django settings with
    LoginRequiredMiddleware → ROOT_URLCONF."""
    rel = module.rel
    targets: dict[str, Link] = {}

    def add(target: str | None, kind: str, line: int, detail: str, owner: str) -> None:
        if target and target != rel and target not in targets:
            targets[target] = Link(target, kind, line, detail, owner)

    def link(name: str | None, line: int, owner: str) -> None:
        if not name or name not in module.imports:
            return
        level, dotted, attr = module.imports[name]
        target = None
        if attr is not None:
            target = module_file(repo, rel, level, f"{dotted}.{attr}" if dotted else attr)
        add(target or module_file(repo, rel, level, dotted), "import", line, name, owner)

    for expr, _, line, _url in module.url_refs:
        node = expr.func.value if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) else expr
        root = root_name(node)
        if root is not None:
            link(root.id, line, "django")
    for dotted, _, line in module.includes:
        add(module_file(repo, rel, 0, dotted), "urlconf", line, dotted, "django")
    for view in module.views.values():
        owner = "flask" if view.routers else "django"
        for base in view.bases:
            root = root_name(base)
            if root is not None and terminal_name(base) not in frameworks_data.name_set("django", "auth-mixins"):
                link(root.id, view.line, owner)
        for name, line, _ in view.called_decorators:
            link(name, line, owner)
        for router, _, _ in view.routers:
            if router not in module.routers:
                link(router, view.line, "flask")
    for router, _, line, _, _ in module.guards:
        if router not in module.routers:
            link(router, line, "flask")
    if module.middleware_line and module.root_urlconf:
        target = module_file(repo, rel, 0, module.root_urlconf)
        if target and target != rel:
            targets.setdefault(target, Link(target, "urlconf", module.middleware_line, module.root_urlconf, "django"))
    return [targets[target] for target in sorted(targets)]


def source_links(source: Source, repo) -> list[Link]:
    """module_links of a file, computed once for every framework that emits its share."""
    module = facts(source, repo)
    if module is None:
        return []
    return source.derived("python:web-links", lambda: module_links(module, repo))


def _kept_facts(repo, rel: str) -> Module | typing.Literal[False] | None:
    """What pass 1 kept of a module: its facts; False: nothing (not a module with facts); None:
    not kept (hints not collected, or facts that had to be read again)."""
    hints = repo.hints
    if hints is None:
        return None
    for hint in hints.get(rel, ()):
        if hint.startswith(python_hints.HINT + ":"):
            try:
                return python_hints.decode(rel, hint)
            except (ValueError, KeyError, TypeError, IndexError, AttributeError, SyntaxError, RecursionError):
                return None  # a damaged cached hint: the module is read again
        if hint == python_hints.REPARSE:
            return None
    return False


def linked_modules(graph) -> list[str]:
    """The Python modules the project pass starts from: those with links to other modules."""
    return sorted({e.source for e in graph.edges
                   if e.kind in ("import", "urlconf") and e.source.endswith(".py") and e.target.endswith(".py")})


# ---------------------------------------------------------------------------------------------
# the project: join the modules


class Project:
    """Joins the facts of modules. `load` reads a module that is not in `modules` yet (the project
    pass), or is None (one file on its own: names from other modules stay unresolved)."""

    def __init__(self, repo, modules: dict[str, Module], load: Callable[[str], Module | None] | None = None):
        self.repo = repo
        self.modules = dict(modules)
        self.starting = list(self.modules.values())
        self.load = load
        self._missing: set[str] = set()
        self._auth_memo: dict[tuple[str, str], list[tuple[str, int, str]]] = {}
        self._template_names: list[str] | None = None

    @classmethod
    def of_project(cls, repo, graph: PageGraph | None) -> Project | None:
        """The modules linked in the page graph, re-read once per run (shared by the frameworks)."""
        if graph is None:
            return None
        return repo.memo((__name__, "project", id(graph)), lambda: cls._load_project(repo, graph))

    @classmethod
    def _load_project(cls, repo, graph) -> Project | None:
        starts = linked_modules(graph)
        if not starts:
            return None
        from phi_lint.lang import Source

        def load(rel: str) -> Module | None:
            kept = _kept_facts(repo, rel)
            if kept is not None:
                return kept or None
            text = repo.read(rel) if repo.exists(rel) else None
            return facts(Source(rel, text), repo) if text else None

        project = cls(repo, {}, load)
        for rel in starts:
            project.module(rel)
        project.starting = list(project.modules.values())
        return project

    # -- modules and names --------------------------------------------------------------------
    def module(self, rel: str | None) -> Module | None:
        if rel is None:
            return None
        if rel in self.modules:
            return self.modules[rel]
        if self.load is None or rel in self._missing or len(self.modules) >= MAX_MODULES:
            return None
        module = self.load(rel)
        if module is None:
            self._missing.add(rel)
            return None
        self.modules[rel] = module
        return module

    def module_file(self, importer: str, level: int, dotted: str) -> str | None:
        return module_file(self.repo, importer, level, dotted)

    def lookup(self, module_rel: str, name: str, depth: int = 0):
        """A view (function or class) named `name` in a module, following re-exports."""
        module = self.module(module_rel)
        if module is None or depth > 3:
            return None
        if name in module.views:
            return module.views[name]
        if name in module.imports:
            return self.resolve_name(module, name, depth + 1)
        return None

    def resolve_name(self, module: Module, name: str, depth: int = 0):
        """What a name means in a module: a View, ("module", rel) or None."""
        if name in module.views:
            return module.views[name]
        if name not in module.imports or depth > 3:
            return None
        level, dotted, attr = module.imports[name]
        if attr is None:
            target = self.module_file(module.rel, level, dotted)
            return ("module", target) if target else None
        submodule = self.module_file(module.rel, level, f"{dotted}.{attr}" if dotted else attr)
        if submodule:
            return ("module", submodule)
        source = self.module_file(module.rel, level, dotted)
        if source:
            return self.lookup(source, attr, depth + 1)
        return None

    def resolve_expr(self, module: Module, expr):
        if isinstance(expr, ast.Name):
            return self.resolve_name(module, expr.id)
        if isinstance(expr, ast.Attribute):
            base = self.resolve_expr(module, expr.value)
            if isinstance(base, tuple) and base[0] == "module":
                return self.lookup(base[1], expr.attr)
        return None

    def router_key(self, module: Module, variable: str) -> tuple[str, str] | None:
        """(module, variable) where a router (app, blueprint) used in `module` is defined."""
        if variable in module.routers or variable not in module.imports:
            return (module.rel, variable)
        level, dotted, attr = module.imports[variable]
        if attr is None:
            return None
        source = self.module_file(module.rel, level, dotted)
        return (source, attr) if source else None

    def router_framework(self, module: Module, variable: str) -> str:
        """The framework a router belongs to: where it is defined, else what the module imports."""
        key = self.router_key(module, variable)
        defined = self.modules.get(key[0]) if key is not None else None
        if defined is not None and key is not None and key[1] in defined.router_frameworks:
            return defined.router_frameworks[key[1]]
        fastapi = frameworks_data.names("fastapi", "packages")
        if any(dotted.split(".")[0] in fastapi for _level, dotted, _attr in module.imports.values()):
            return "fastapi"
        return "flask"

    # -- views --------------------------------------------------------------------------------
    def auth_of(self, view: View, seen=None) -> list[tuple[str, int, str]]:
        """(evidence text, line, path) that the view requires login."""
        key = (view.module, view.name)
        if key in self._auth_memo:
            return self._auth_memo[key]
        seen = set(seen or ())
        if key in seen or len(seen) > MAX_DEPTH:
            return []
        seen.add(key)
        found = [(text, line, view.module) for text, line in view.auth]
        module = self.modules.get(view.module)
        for name, line, source in view.called_decorators:
            if self._project_decorator(module, name):
                found.append((f"@{source} on view `{view.name}` (it checks the signed-in user)", line, view.module))
        if view.kind == "class" and not found and module is not None:
            for base in view.bases:
                resolved = self.resolve_expr(module, base)
                if isinstance(resolved, View) and resolved.kind == "class":
                    inherited = self.auth_of(resolved, seen)
                    if inherited:
                        mixin = inherited[0][0].split(" on ", 1)[0].split(" (via ", 1)[0]
                        found.append((f"{mixin} (via {resolved.name}) on view `{view.name}`", view.line, view.module))
                        break
        self._auth_memo[key] = found
        return found

    def guards_of(self, view: View) -> tuple[Guard, ...]:
        """The first evidence that the view requires login, as a route guard (none: empty)."""
        evidence = self.auth_of(view)
        return (Guard(evidence[0][0], evidence[0][2], evidence[0][1]),) if evidence else ()

    def _project_decorator(self, module: Module | None, name: str) -> bool:
        if module is None:
            return False
        if name in module.auth_decorators:
            return True
        if name in module.imports:
            level, dotted, attr = module.imports[name]
            source = self.module_file(module.rel, level, dotted) if attr else None
            target = self.module(source)
            return bool(target and attr in target.auth_decorators)
        return False

    def specs_of(self, view: View, seen=None) -> list[Spec]:
        """What a view renders: its own render calls and template_name, else what its base
        classes render, else Django's default names (generic views, sign-in views)."""
        if view.specs:
            return view.specs
        seen = set(seen or ())
        if (view.module, view.name) in seen or len(seen) > MAX_DEPTH:
            return []
        seen.add((view.module, view.name))
        module = self.modules.get(view.module)
        if view.kind == "class" and module is not None:
            for base in view.bases:
                resolved = self.resolve_expr(module, base)
                if isinstance(resolved, View) and resolved.kind == "class":
                    specs = self.specs_of(resolved, seen)
                    if specs:
                        return specs
            if view.generic:
                name = self._generic_name(module, view)
                if name:
                    return [Spec("each", (name,), view.line)]
            public = self.public_view(view)
            if public:
                return [Spec("each", (sign_in_views()[public],), view.line)]
        return []

    def public_view(self, view: View, seen=None) -> str | None:
        """The Django sign-in view a class view is (directly or through its bases), if any."""
        if view.public_view:
            return view.public_view
        seen = set(seen or ())
        if (view.module, view.name) in seen or len(seen) > MAX_DEPTH:
            return None
        seen.add((view.module, view.name))
        module = self.modules.get(view.module)
        if view.kind == "class" and module is not None:
            for base in view.bases:
                resolved = self.resolve_expr(module, base)
                if isinstance(resolved, View):
                    found = self.public_view(resolved, seen)
                    if found:
                        return found
        return None

    def _generic_name(self, module: Module, view: View) -> str | None:
        """Django's default template of a generic view: `clinic/appointment_list.html`."""
        suffix, model = view.generic or ("", None)
        if not isinstance(model, ast.Name):
            return None
        label = None
        if model.id in module.imports:
            level, dotted, _ = module.imports[model.id]
            parts = [p for p in dotted.split(".") if p]
            if parts and parts[-1] == "models":
                parts = parts[:-1]
            if parts:
                label = parts[-1]
            elif level:
                base = posixpath.dirname(module.rel)
                for _ in range(level - 1):
                    base = posixpath.dirname(base)
                label = posixpath.basename(base)
        else:
            label = posixpath.basename(posixpath.dirname(module.rel))
        if not label:
            return None
        return f"{label}/{model.id.lower()}{suffix}.html"

    # -- templates ----------------------------------------------------------------------------
    def pages(self, specs: list[Spec], source: str, roots: tuple[str, ...] = ()) -> list[str]:
        """The template files the specs name, resolved from module `source` (and `roots`)."""
        module = self.modules.get(source)
        roots = tuple(roots) + (module.template_roots if module is not None else ())
        found: list[str] = []
        for spec in specs:
            resolved = [self._resolve_item(item, source, roots) for item in spec.items]
            if spec.how == "first":
                resolved = [next((r for r in resolved if r), [])]
            for item in resolved:
                for page in item or []:
                    if page not in found:
                        found.append(page)
        return found

    def view_pages(self, view: View, roots: tuple[str, ...] = ()) -> list[str]:
        return self.pages(self.specs_of(view), view.module, roots)

    def _resolve_item(self, item, source: str, roots) -> list[str]:
        if isinstance(item, str):
            page = resolve_template(item, source, self.repo, roots)
            return [page] if page else []
        if self._template_names is None:
            self._template_names = self.repo.of_kind("markup")
        matches = [rel for rel in self._template_names if item.search(rel)]
        if not matches:
            return []
        best = max(shared_leading_dirs(m, source) for m in matches)
        return sorted(m for m in matches if shared_leading_dirs(m, source) == best)


def sign_in_views() -> dict:
    """Django's sign-in views and the template each renders by default."""
    return frameworks_data.table("django", "sign-in-views")


def routes_to(framework: str, pages: Iterable[str], path: str, line: int, url: str | None = None,
              guards: tuple[Guard, ...] = (), sign_in: Guard | None = None) -> list[Route]:
    """One Route per page a view renders."""
    return [Route(framework, page, path, line, url or None, guards, None, sign_in) for page in pages]


# the guard a router's hooks add to one of its views: hook(view, (module, router variable), rule)
HookGuard = Callable[[View, tuple[str, str], str], "Guard | None"]


def decorated_routes(project: Project, framework: str,
                     hooks: Callable[[Project], HookGuard] | None = None) -> list[Route]:
    """The views of one framework routed by a decorator (`@app.route("/x")`, `@router.get("/x")`)
    or `add_url_rule`: the view's own guards, and per rule its URL with the guard the router's
    hooks add (`hooks(project)` is asked once every router module is loaded)."""
    found: list[Route] = []
    routed: list[tuple[View, tuple[str, str] | None, str, int]] = []
    for module in list(project.starting):
        for view in module.views.values():
            if not view.routers or project.router_framework(module, view.routers[0][0]) != framework:
                continue
            guards = project.guards_of(view)
            if guards:
                found.extend(routes_to(framework, project.view_pages(view), view.module, view.line, guards=guards))
            for router, rule, line in view.routers:
                key = project.router_key(module, router)
                if key is not None:
                    project.module(key[0])
                routed.append((view, key, rule, line))
    hook = hooks(project) if hooks is not None and routed else None
    for view, key, rule, line in routed:
        router_module = project.modules.get(key[0]) if key is not None else None
        roots = router_module.template_roots if router_module is not None else ()
        guard = hook(view, key, rule) if hook is not None and key is not None else None
        found.extend(routes_to(framework, project.view_pages(view, roots), view.module, line, rule,
                               (guard,) if guard is not None else ()))
    return found


def file_project(source: Source, repo) -> Project | None:
    """A project of this one module (names from other modules stay unresolved), made once per file."""
    module = facts(source, repo)
    if module is None:
        return None
    return source.derived("python:web-project", lambda: Project(repo, {source.rel: module}))
