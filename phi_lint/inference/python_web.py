"""Context inference for Python web stacks: which templates Django and Flask serve behind login.

Read with the standard library `ast` (a module with a syntax error gives nothing). `infer_file`
infers what one module says on its own (it may run in a worker process, with nothing shared
between files). Facts that span modules (urls.py → views.py, a mixin or decorator imported from
another module, a blueprint defined in one module and routed in another, settings →
ROOT_URLCONF) are joined by `infer_project`: the page-graph extractor emits `import`/`urlconf`
edges for those modules (`module_links`), and the project pass re-reads only the modules on them.
Template names are mapped to files with the page graph's resolver.

Authenticated:
- Django function views decorated with ``@login_required``, ``@permission_required(…)``,
  ``@user_passes_test(…)``, ``@staff_member_required`` (also under an import alias, and a
  project decorator defined in the repo that wraps one of them or checks ``is_authenticated``).
- Django class-based views with ``LoginRequiredMixin``, ``PermissionRequiredMixin``,
  ``UserPassesTestMixin`` (and django-braces' equivalents), directly or through a project base
  class (in the same module or imported); ``@method_decorator(login_required, name="dispatch")``
  and ``@method_decorator(login_required)`` on ``dispatch``/``get``.
- URLconfs: ``path(…, login_required(views.x))``, ``login_required(XView.as_view())``,
  ``login_required(TemplateView.as_view(template_name="x"))``, ``decorator_include(login_required,
  "app.urls")`` (every view of that URLconf and the URLconfs it includes).
- Django 5.1 ``LoginRequiredMiddleware`` in settings: every view the ROOT_URLCONF routes to
  (through its includes), except ``@login_not_required`` / ``login_not_required(view)`` and the
  sign-in views.
- Flask: ``@login_required`` (flask-login, flask-user, flask-security's ``@auth_required``,
  ``@roles_required``, …) on a view; ``decorators = [login_required]`` on a ``MethodView``; a
  blueprint's (or the app's) ``before_request`` hook that enforces login (decorated with
  ``@login_required``, or checking ``current_user.is_authenticated`` / ``g.user`` and redirecting or
  aborting) → every view of that blueprint (the app's hook, or ``before_app_request``: every routed
  view of the modules that route on it), minus endpoints the hook names as exceptions.

Public (sign-in pages, not themselves behind login): the templates of Django's ``LoginView`` and
password-reset views, and of the Flask view named by ``login_manager.login_view`` (when the view
is in the same module).

The templates a view renders: ``render(request, "x")``, ``render_to_response``,
``render_to_string``, ``TemplateResponse(request, "x")``, ``get_template``/``select_template``,
Flask ``render_template("x")``/``stream_template``; ``template_name = "x"`` on a class (inherited),
``get_template_names`` returning literals, ``as_view(template_name="x")``, Django's default names
for generic views (``ListView`` with ``model = Appointment`` in app ``clinic`` →
``clinic/appointment_list.html``). Names held in a local or module constant are followed; an
f-string such as ``f"conditions/{slug}.html"`` matches every template it can name.
"""

from __future__ import annotations

import ast
import posixpath
import re
from dataclasses import dataclass, field

from phi_lint import frameworks_data
from phi_lint.inference.model import Inference
from phi_lint.lang.python import parse_python, terminal_name
from phi_lint.pagegraph.model import Edge
from phi_lint.pagegraph.template_paths import resolve_template, shared_leading_dirs

# Django's and Flask's guard names, sign-in views and generic views: rules/frameworks/{django,flask}.toml
_PY_FRAMEWORKS = ("django", "flask")


def auth_decorators() -> frozenset[str]:
    return frameworks_data.names_of("auth-decorators", *_PY_FRAMEWORKS)


def decorator_factories() -> frozenset[str]:
    """Decorators whose first argument is not the view: permission_required("perm")(view)."""
    return frameworks_data.names_of("decorator-factories", *_PY_FRAMEWORKS)


def exempt_decorators() -> frozenset[str]:
    return frameworks_data.name_set("django", "exempt-decorators")


def auth_mixins() -> frozenset[str]:
    return frameworks_data.name_set("django", "auth-mixins")


def public_views() -> dict:
    """Django's sign-in views and the template each renders by default."""
    return frameworks_data.table("django", "sign-in-views")


def generic_suffixes() -> dict:
    return frameworks_data.table("django", "generic-view-suffixes")


def guard_hooks() -> frozenset[str]:
    return frameworks_data.name_set("flask", "guard-hooks")


def login_middleware() -> tuple[str, ...]:
    return frameworks_data.names("django", "login-middleware")


# call → (positional index of the template name, keyword names)
RENDER_CALLS = {
    "render": (1, ("template_name",)),
    "render_to_response": (0, ("template_name",)),
    "render_to_string": (0, ("template_name",)),
    "TemplateResponse": (1, ("template",)),
    "SimpleTemplateResponse": (0, ("template",)),
    "render_template": (0, ("template_name_or_list",)),
    "stream_template": (0, ("template_name_or_list",)),
    "get_template": (0, ("template_name",)),
    "select_template": (0, ("template_name_list",)),
}
URL_FUNCTIONS = frozenset({"path", "re_path", "url"})
ROUTE_METHODS = frozenset({"route", "get", "post", "put", "patch", "delete"})
_KEYWORDS = ("render", "template", "login", "Login", "required", "Required", "before_request", "as_view",
             "include", "MIDDLEWARE", "login_view", "View", "Mixin", "route", "urlpatterns", "decorators")


@frameworks_data.derived
def _keywords() -> tuple[str, ...]:
    """_KEYWORDS and the names the user's configuration adds (a `@portal_only` holds none of them)."""
    added = (names for framework, _key, names in frameworks_data.current().additions if framework in _PY_FRAMEWORKS)
    return tuple(dict.fromkeys(_KEYWORDS + tuple(name for group in added for name in group)))


_MAX_TEXT = 80
_MAX_DEPTH = 12


# ---------------------------------------------------------------------------------------------
# facts per module


@dataclass
class Spec:
    """Template names a view renders: each one (`each`), or the first that exists (`first`);
    a name may be a compiled pattern (an f-string)."""

    how: str
    items: tuple
    line: int = 0


@dataclass
class View:
    module: str
    name: str
    kind: str  # function | class
    line: int
    specs: list[Spec] = field(default_factory=list)
    auth: list[tuple[str, int]] = field(default_factory=list)  # (evidence text, line)
    bases: list[ast.expr] = field(default_factory=list)
    base_names: list[str] = field(default_factory=list)
    generic: tuple | None = None  # (suffix, model expression) for Django generic views
    routers: list[tuple[str, str]] = field(default_factory=list)  # (router variable, rule)
    exempt: str | None = None  # login_not_required
    public_view: str | None = None  # LoginView, … when it subclasses one
    called_decorators: list[tuple[str, int, str]] = field(default_factory=list)  # project decorators to resolve


@dataclass
class Module:
    rel: str
    imports: dict[str, tuple[int, str, str | None]] = field(default_factory=dict)
    views: dict[str, View] = field(default_factory=dict)
    url_refs: list[tuple[ast.expr, list[tuple[str, int]], int]] = field(default_factory=list)
    includes: list[tuple[str, list[tuple[str, int]], int]] = field(default_factory=list)
    guards: list[tuple[str, str, int, frozenset[str], bool]] = field(default_factory=list)
    routers: dict[str, str] = field(default_factory=dict)  # variable → "app" | "blueprint"
    login_views: list[tuple[str, int]] = field(default_factory=list)
    middleware_line: int = 0
    root_urlconf: str | None = None
    auth_decorators: dict[str, int] = field(default_factory=dict)  # project decorators enforcing login
    template_roots: tuple[str, ...] = ()  # Flask/Blueprint template_folder declared here


def _src(node, limit: int = _MAX_TEXT) -> str:
    try:
        text = ast.unparse(node)
    except Exception:
        return "…"
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _const_str(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


class _Names:
    """Evaluates template-name expressions to names and name patterns."""

    def __init__(self, scope: dict[str, list]):
        self.scope = scope

    def items(self, node, depth: int = 0) -> list:
        if depth > _MAX_DEPTH or node is None:
            return []
        value = _const_str(node)
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
        if depth > _MAX_DEPTH:
            return None
        if isinstance(node, ast.JoinedStr):
            parts = []
            for value in node.values:
                parts.append(value.value if isinstance(value, ast.Constant) and isinstance(value.value, str) else None)
            return parts
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left = self._parts(node.left, depth + 1)
            right = self._parts(node.right, depth + 1)
            return (left or [None]) + (right or [None]) if left or right else None
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and _const_str(node.left) is not None:
            # zeros are flags, so the width starts at 1-9: `[-#0 +]*\d*` read a run of zeros both ways
            pieces = re.split(r"%[-#0 +]*(?:[1-9]\d*)?(?:\.\d+)?[sdri]", node.left.value)
            return [p for piece in pieces for p in (piece, None)][:-1]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format" \
                and _const_str(node.func.value) is not None:
            pieces = re.split(r"\{[^{}]*\}", node.func.value.value)
            return [p for piece in pieces for p in (piece, None)][:-1]
        value = _const_str(node)
        if value is not None:
            return [value]
        return None

    def spec(self, node, line: int) -> Spec | None:
        if isinstance(node, (ast.List, ast.Tuple)):
            items = [i for element in node.elts for i in self.items(element)]
            return Spec("first", tuple(items), line) if items else None
        items = self.items(node)
        return Spec("each", tuple(items), line) if items else None


def _string_assignments(body, scope: dict[str, list], prefix: str = "") -> None:
    names = _Names(scope)
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


def _walk_function(function):
    """Every node of a function body (nested functions included), iteratively."""
    stack = list(function.body)
    while stack:
        node = stack.pop()
        yield node
        stack.extend(ast.iter_child_nodes(node))


def _render_specs(nodes, names: _Names) -> list[Spec]:
    specs = []
    for node in nodes:
        if not isinstance(node, ast.Call):
            continue
        call = terminal_name(node.func)
        if call not in RENDER_CALLS or isinstance(node.func, ast.Call):
            continue
        index, keywords = RENDER_CALLS[call]
        argument = node.args[index] if len(node.args) > index else None
        if isinstance(argument, ast.Starred):
            argument = None
        for keyword in node.keywords:
            if keyword.arg in keywords:
                argument = keyword.value
        if argument is None:
            continue
        spec = names.spec(argument, node.lineno)
        if spec:
            specs.append(spec)
    return specs


class _Collector:
    def __init__(self, rel: str, tree: ast.Module, repo):
        self.rel = rel
        self.repo = repo
        self.module = Module(rel)
        self.tree = tree
        self.scope: dict[str, list] = {}
        self.functions: dict[str, ast.AST] = {}

    # -- names --------------------------------------------------------------------------------
    def original(self, name: str | None) -> str | None:
        """The imported name behind a local alias (`from flask_login import login_required as lr`)."""
        if name in self.module.imports:
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
        self._imports()
        _string_assignments(body, self.scope)
        # functions anywhere (views inside a Flask app factory too); classes handle their own methods
        stack = list(reversed(body))
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

    def _imports(self) -> None:
        for node in ast.walk(self.tree):
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    if alias.name != "*":
                        self.module.imports[alias.asname or alias.name] = (node.level, node.module or "", alias.name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    local = alias.asname or alias.name.split(".")[0]
                    self.module.imports[local] = (0, alias.name if alias.asname else alias.name.split(".")[0], None)

    def _function(self, node) -> View:
        view = View(self.rel, node.name, "function", node.lineno)
        self.functions.setdefault(node.name, node)
        for decorator in node.decorator_list:
            name = self.decorator_name(decorator)
            if name in auth_decorators():
                view.auth.append((f"@{_src(decorator)} on view `{node.name}`", decorator.lineno))
            elif name in exempt_decorators():
                view.exempt = f"@{name} on view `{node.name}`"
            elif isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute) \
                    and decorator.func.attr in ROUTE_METHODS and isinstance(decorator.func.value, ast.Name):
                rule = _const_str(decorator.args[0]) if decorator.args else None
                view.routers.append((decorator.func.value.id, rule or ""))
            elif isinstance(decorator, ast.Attribute) and decorator.attr in guard_hooks() \
                    and isinstance(decorator.value, ast.Name):
                self._guard(decorator.value.id, node, decorator.lineno, decorator.attr == "before_app_request")
            elif isinstance(decorator, (ast.Name, ast.Attribute, ast.Call)) and name:
                view.called_decorators.append((name, decorator.lineno, _src(decorator)))
        scope = dict(self.scope)
        _string_assignments(list(_walk_function(node)), scope)
        view.specs = _render_specs(_walk_function(node), _Names(scope))
        if self._enforces_login(node) and any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
                                              for n in _walk_function(node)):
            self.module.auth_decorators[node.name] = node.lineno
        self.module.views[node.name] = view
        return view

    def _class(self, node: ast.ClassDef) -> View:
        view = View(self.rel, node.name, "class", node.lineno, bases=list(node.bases))
        view.base_names = [self.decorator_name(b) or "" for b in node.bases]
        for base, name in zip(node.bases, view.base_names):
            if name in auth_mixins():
                view.auth.append((f"{name} on view `{node.name}`", base.lineno))
            if name in public_views():
                view.public_view = name
        for decorator in node.decorator_list:
            self._method_decorator(view, decorator, class_level=True)
        scope = dict(self.scope)
        _string_assignments(node.body, scope, prefix="self.")
        _string_assignments(node.body, scope)
        names = _Names(scope)
        model = suffix = None
        for statement in node.body:
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1 \
                    and isinstance(statement.targets[0], ast.Name):
                target, value = statement.targets[0].id, statement.value
                if target == "template_name":
                    spec = names.spec(value, statement.lineno)
                    if spec:
                        view.specs.append(spec)
                elif target == "decorators" and self.auth_in(value):
                    view.auth.append((f"decorators = {_src(value)} on view `{node.name}`", statement.lineno))
                elif target == "model":
                    model = value
                elif target == "queryset" and model is None:
                    model = _base_name(value)
                elif target == "template_name_suffix":
                    suffix = _const_str(value)
            elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for decorator in statement.decorator_list:
                    if statement.name in ("dispatch", "get"):
                        self._method_decorator(view, decorator, class_level=False)
                        if self.is_auth(decorator):
                            view.auth.append((f"@{_src(decorator)} on `{node.name}.{statement.name}`",
                                              decorator.lineno))
                inner = dict(scope)
                _string_assignments(list(_walk_function(statement)), inner)
                inner_names = _Names(inner)
                view.specs.extend(_render_specs(_walk_function(statement), inner_names))
                if statement.name == "get_template_names":
                    for child in _walk_function(statement):
                        if isinstance(child, ast.Return) and child.value is not None:
                            spec = inner_names.spec(child.value, child.lineno)
                            if spec:
                                view.specs.append(spec)
        for base_name in view.base_names:
            if base_name in generic_suffixes() and model is not None:
                view.generic = (suffix or generic_suffixes()[base_name], model)
                break
        self.module.views[node.name] = view
        return view

    def _method_decorator(self, view: View, decorator, class_level: bool) -> None:
        if not (isinstance(decorator, ast.Call) and terminal_name(decorator.func) == "method_decorator" and decorator.args):
            return
        target = "dispatch"
        for keyword in decorator.keywords:
            if keyword.arg == "name":
                target = _const_str(keyword.value) or target
        if class_level and target not in ("dispatch", "get"):
            return  # method_decorator(login_required, name="post"): the page itself is served to anyone
        inner = decorator.args[0]
        if self.auth_in(inner):
            view.auth.append((f"method_decorator({_src(inner)}) on view `{view.name}`", decorator.lineno))
        elif isinstance(inner, ast.Name) and self.original(inner.id) in exempt_decorators():
            view.exempt = f"method_decorator({self.original(inner.id)}) on view `{view.name}`"

    def _enforces_login(self, function) -> bool:
        """A function that checks the signed-in user and turns others away (a guard or a decorator)."""
        checks = acts = False
        for node in _walk_function(function):
            if isinstance(node, ast.Attribute) and node.attr in ("is_authenticated", "is_anonymous"):
                checks = True
            elif isinstance(node, ast.Attribute) and node.attr == "user" and isinstance(node.value, ast.Name) \
                    and node.value.id == "g":
                checks = True
            elif isinstance(node, ast.Name) and self.original(node.id) in auth_decorators():
                checks = acts = True
            elif isinstance(node, ast.Call) and terminal_name(node.func) in ("redirect", "abort", "unauthorized",
                                                                             "redirect_to_login", "HttpResponseRedirect"):
                acts = True
            elif isinstance(node, ast.Raise):
                acts = True
        return checks and acts

    def _guard(self, router: str, function, line: int, app_wide: bool = False) -> None:
        decorated = any(self.is_auth(d) for d in function.decorator_list)
        if not decorated and not self._enforces_login(function):
            return
        exempt = frozenset(
            n.value for n in _walk_function(function) if isinstance(n, ast.Constant) and isinstance(n.value, str)
        )
        self.module.guards.append((router, function.name, line, exempt, app_wide))

    def _statements(self) -> None:
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Attribute) and target.attr == "login_view":
                        value = _const_str(node.value)
                        if value:
                            self.module.login_views.append((value, node.lineno))
                    if isinstance(target, ast.Name) and isinstance(node.value, ast.Call):
                        call = terminal_name(node.value.func)
                        if call in ("Flask", "Quart"):
                            self.module.routers[target.id] = "app"
                        elif call in ("Blueprint", "APIBlueprint"):
                            self.module.routers[target.id] = "blueprint"
                    if isinstance(target, ast.Name) and target.id == "MIDDLEWARE" \
                            and not set(login_middleware()).isdisjoint(_strings_of(node.value)):
                        self.module.middleware_line = node.lineno
                    if isinstance(target, ast.Name) and target.id == "ROOT_URLCONF" and _const_str(node.value):
                        self.module.root_urlconf = node.value.value
            elif isinstance(node, ast.Call):
                self._call(node)
                if terminal_name(node.func) in ("Flask", "Quart", "Blueprint", "APIBlueprint"):
                    for keyword in node.keywords:
                        folder = _const_str(keyword.value) if keyword.arg == "template_folder" else None
                        if folder:
                            root = posixpath.normpath(posixpath.join(posixpath.dirname(self.rel), folder))
                            if not root.startswith(".."):
                                self.module.template_roots += (root,)

    def _call(self, node: ast.Call) -> None:
        func = node.func
        name = terminal_name(func)
        if isinstance(func, ast.Attribute) and func.attr in guard_hooks() and isinstance(func.value, ast.Name) \
                and node.args:
            argument = node.args[0]
            app_wide = func.attr == "before_app_request"
            if isinstance(argument, ast.Call) and self.is_auth(argument.func):
                self.module.guards.append((func.value.id, _src(argument), node.lineno, frozenset(), app_wide))
            elif isinstance(argument, ast.Name) and argument.id in self.functions:
                self._guard(func.value.id, self.functions[argument.id], node.lineno, app_wide)
        elif isinstance(func, ast.Attribute) and func.attr == "add_url_rule" and isinstance(func.value, ast.Name):
            view = None
            for keyword in node.keywords:
                if keyword.arg == "view_func":
                    view = keyword.value
            if view is None and len(node.args) >= 3:
                view = node.args[2]
            rule = _const_str(node.args[0]) if node.args else ""
            target = view.func.value if isinstance(view, ast.Call) and isinstance(view.func, ast.Attribute) else view
            if isinstance(target, ast.Name) and target.id in self.module.views:
                self.module.views[target.id].routers.append((func.value.id, rule or ""))
        elif name in URL_FUNCTIONS and len(node.args) >= 2 and not isinstance(func, ast.Call):
            self._url(node.args[1], node.lineno)

    def _url(self, expr, line: int) -> None:
        wrappers: list[tuple[str, int]] = []
        node = expr
        for _ in range(_MAX_DEPTH):
            if not isinstance(node, ast.Call):
                break
            func = node.func
            fname = self.decorator_name(func)
            if fname == "decorator_include" and len(node.args) >= 2:
                auth = self.auth_in(node.args[0])
                module = _const_str(node.args[1])
                if module:
                    evidence = [(f"{_src(node)} in URLconf", node.lineno)] if auth else []
                    self.module.includes.append((module, wrappers + evidence, node.lineno))
                return
            if fname == "include" and node.args:
                module = _const_str(node.args[0])
                if module:
                    self.module.includes.append((module, list(wrappers), node.lineno))
                return
            if isinstance(func, ast.Attribute) and func.attr == "as_view":
                break
            if isinstance(func, ast.Call) and self.is_auth(func.func) and node.args:
                wrappers.append((f"{_src(node)} in URLconf", node.lineno))
                node = node.args[0]
                continue
            if not isinstance(func, ast.Call) and fname in auth_decorators() and fname not in decorator_factories() \
                    and node.args:
                wrappers.append((f"{_src(node)} in URLconf", node.lineno))
                node = node.args[0]
                continue
            if not isinstance(func, ast.Call) and fname in exempt_decorators() and node.args:
                wrappers.append(("", -1))  # marker: exempt from LoginRequiredMiddleware
                node = node.args[0]
                continue
            if len(node.args) == 1 and not node.keywords:  # another wrapper: never_cache(view)
                node = node.args[0]
                continue
            break
        self.module.url_refs.append((node, wrappers, line))


def _strings_of(node) -> list[str]:
    return [n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def _base_name(node):
    """`Appointment` of Appointment.objects.filter(…)."""
    for _ in range(_MAX_DEPTH):
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            node = node.value
        elif isinstance(node, ast.Name):
            return node
        else:
            return None
    return None


# ---------------------------------------------------------------------------------------------
# the project: join the modules


MAX_MODULES = 2000  # modules one project pass may load (a guard against pathological import webs)


def collect(rel: str, text: str, repo) -> Module | None:
    """The facts of one Python module, or None (not Python, nothing relevant, a syntax error)."""
    if not rel.endswith(".py") or repo.kind(rel) != "code":
        return None
    if not any(keyword in text for keyword in _keywords()):
        return None
    if _last_collected[0] == rel and _last_collected[1] is text and _last_collected[2] is repo:
        return _last_collected[3]  # the graph extractor and infer_file see the same text in a row
    tree = parse_python(rel, text)
    module = _Collector(rel, tree, repo).run() if tree is not None else None
    _last_collected[:] = [rel, text, repo, module]
    return module


_last_collected: list = [None, None, None, None]


class _Project:
    """Joins the facts of modules. `load` reads a module that is not in `modules` yet (the project
    pass), or is None (one file on its own: names from other modules stay unresolved)."""

    def __init__(self, repo, modules: dict[str, Module], load=None):
        self.repo = repo
        self.modules = dict(modules)
        self.load = load
        self.out: list[Inference] = []
        self._missing: set[str] = set()
        self._auth_memo: dict[tuple[str, str], list[tuple[str, int, str]]] = {}
        self._template_names = None

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

    # -- views --------------------------------------------------------------------------------
    def auth_of(self, view: View, seen=None) -> list[tuple[str, int, str]]:
        """(evidence text, line, path) that the view requires login."""
        key = (view.module, view.name)
        if key in self._auth_memo:
            return self._auth_memo[key]
        seen = set(seen or ())
        if key in seen or len(seen) > _MAX_DEPTH:
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
        if view.specs:
            return view.specs
        seen = set(seen or ())
        if (view.module, view.name) in seen or len(seen) > _MAX_DEPTH:
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
                return [Spec("each", (public_views()[public],), view.line)]
        return []

    def public_view(self, view: View, seen=None) -> str | None:
        if view.public_view:
            return view.public_view
        seen = set(seen or ())
        if (view.module, view.name) in seen or len(seen) > _MAX_DEPTH:
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
        suffix, model = view.generic
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

    def emit(self, pages, label: str, text: str, path: str, line: int) -> None:
        for page in pages:
            self.out.append(Inference(page, label, text, path, line))

    # -- passes -------------------------------------------------------------------------------
    def run(self) -> list[Inference]:
        starting = list(self.modules.values())
        for module in starting:
            for view in module.views.values():
                self._view(view)
            for expr, wrappers, line in module.url_refs:
                self._url_ref(module, expr, wrappers, line)
        self._decorator_includes(starting)
        self._flask_guards(starting)
        self._login_views(starting)
        self._middleware(starting)
        return self.out

    def _view(self, view: View) -> None:
        public = self.public_view(view) if view.kind == "class" else None
        if public:
            self.emit(self.pages(self.specs_of(view), view.module), "public",
                      f"Django {public} serves this sign-in page (view `{view.name}`)", view.module, view.line)
            return
        evidence = self.auth_of(view)
        if not evidence:
            return
        text, line, path = evidence[0]
        self.emit(self.pages(self.specs_of(view), view.module), "authenticated", text, path, line)

    def url_target(self, module: Module, expr):
        """(pages, view or None, public view name or None) for a URLconf view expression."""
        specs: list[Spec] = []
        class_name = None
        if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "as_view":
            names = _Names({})
            for keyword in expr.keywords:
                if keyword.arg == "template_name":
                    spec = names.spec(keyword.value, expr.lineno)
                    if spec:
                        specs.append(spec)
            view = self.resolve_expr(module, expr.func.value)
            class_name = terminal_name(expr.func.value)
        else:
            view = self.resolve_expr(module, expr)
        view = view if isinstance(view, View) else None
        public = class_name if class_name in public_views() else (self.public_view(view) if view is not None else None)
        if specs:
            pages = self.pages(specs, module.rel)
        elif view is not None:
            pages = self.pages(self.specs_of(view), view.module)
        elif public:
            pages = self.pages([Spec("each", (public_views()[public],))], module.rel)
        else:
            pages = []
        return pages, view, public

    def _url_ref(self, module: Module, expr, wrappers, line: int) -> None:
        pages, view, public = self.url_target(module, expr)
        if public:
            self.emit(pages, "public", f"Django {public} serves this sign-in page ({_src(expr)})", module.rel, line)
            return
        real = [w for w in wrappers if w[1] >= 0]
        if real:
            text, wline = real[0]
            self.emit(pages, "authenticated", text, module.rel, wline)
        elif view is not None and isinstance(expr, ast.Call):
            evidence = self.auth_of(view)  # as_view(template_name=…) of a protected class
            if evidence:
                self.emit(pages, "authenticated", evidence[0][0], evidence[0][2], evidence[0][1])

    def _urlconf_tree(self, start: str, evidence) -> dict[str, tuple]:
        """URLconf modules reachable from `start` through include()/decorator_include()."""
        found = {start: evidence}
        queue = [start]
        while queue and len(found) < MAX_MODULES:
            current = queue.pop()
            module = self.module(current)
            if module is None:
                continue
            for dotted, _, _ in module.includes:
                target = self.module_file(current, 0, dotted)
                if target and target not in found:
                    found[target] = found[current]
                    queue.append(target)
        return found

    def _decorator_includes(self, starting: list[Module]) -> None:
        covered: dict[str, tuple] = {}
        for module in starting:
            for dotted, wrappers, _line in module.includes:
                real = [w for w in wrappers if w[1] >= 0]
                target = self.module_file(module.rel, 0, dotted) if real else None
                if target and target not in covered:
                    covered.update(self._urlconf_tree(target, (real[0][0], real[0][1], module.rel)))
        for rel, (text, line, path) in sorted(covered.items()):
            module = self.module(rel)
            if module is None:
                continue
            for expr, _wrappers, _ in module.url_refs:
                pages, view, public = self.url_target(module, expr)
                if public:
                    continue
                name = f" (view `{view.name}`)" if view is not None else ""
                self.emit(pages, "authenticated", text + name, path, line)

    def _router_key(self, module: Module, variable: str):
        if variable in module.routers or variable not in module.imports:
            return (module.rel, variable)
        level, dotted, attr = module.imports[variable]
        if attr is None:
            return None
        source = self.module_file(module.rel, level, dotted)
        return (source, attr) if source else None

    def _flask_guards(self, starting: list[Module]) -> None:
        routed = []
        for module in starting:
            for view in module.views.values():
                for router, rule in view.routers:
                    key = self._router_key(module, router)
                    if key is not None:
                        self.module(key[0])
                        routed.append((view, key, rule))
        if not routed:
            return
        guards: dict[tuple[str, str], list] = {}
        app_guards: list = []
        for module in list(self.modules.values()):
            for router, guard, line, exempt, app_wide in module.guards:
                key = self._router_key(module, router)
                if key is None:
                    continue
                target = self.modules.get(key[0])
                kind = target.routers.get(key[1]) if target is not None else None
                entry = (router, guard, line, exempt, module.rel)
                if app_wide or kind == "app":
                    app_guards.append((posixpath.dirname(key[0]), entry))
                guards.setdefault(key, []).append(entry)
        for view, key, rule in routed:
            hits = list(guards.get(key, []))
            hits += [entry for directory, entry in app_guards
                     if entry not in hits and (not directory or view.module.startswith(directory + "/"))]
            router_module = self.modules.get(key[0])
            roots = router_module.template_roots if router_module is not None else ()
            for variable, guard, line, exempt, path in hits:
                if view.name in exempt or (rule and rule in exempt) or any(e.endswith("." + view.name) for e in exempt):
                    continue
                text = f"@{variable}.before_request `{guard}` requires login for view `{view.name}`"
                self.emit(self.pages(self.specs_of(view), view.module, roots), "authenticated", text, path, line)
                break

    def _login_views(self, starting: list[Module]) -> None:
        for module in starting:
            for endpoint, line in module.login_views:
                name = endpoint.rsplit(".", 1)[-1]
                view = module.views.get(name)
                if view is not None and view.routers:
                    self.emit(self.pages(self.specs_of(view), view.module), "public",
                              f"login_view = {endpoint!r} names the sign-in view `{view.name}`", module.rel, line)

    def _middleware(self, starting: list[Module]) -> None:
        """Django 5.1 LoginRequiredMiddleware: every view the URLconf routes to, minus exemptions."""
        for settings in starting:
            if not settings.middleware_line or not settings.root_urlconf:
                continue
            root = self.module_file(settings.rel, 0, settings.root_urlconf)
            if root is None:
                continue
            text = "LoginRequiredMiddleware in settings.MIDDLEWARE"
            for rel in sorted(self._urlconf_tree(root, None)):
                module = self.module(rel)
                if module is None:
                    continue
                for expr, wrappers, _ in module.url_refs:
                    if any(w[1] < 0 for w in wrappers):
                        continue  # login_not_required(view) in the URLconf
                    pages, view, public = self.url_target(module, expr)
                    if public or (view is not None and view.exempt):
                        continue
                    name = f" (view `{view.name}`)" if view is not None else ""
                    self.emit(pages, "authenticated", text + name, settings.rel, settings.middleware_line)




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
# entry points


def infer_file(rel: str, text: str, repo) -> list[Inference]:
    """What one module says on its own (views, their decorators and templates, same-file bases,
    blueprints and URL patterns)."""
    module = collect(rel, text, repo)
    if module is None:
        return []
    return sorted(set(_Project(repo, {rel: module}).run()))


def module_links(rel: str, text: str, repo) -> list[Edge]:
    """Edges from a module to the repo modules its authentication facts depend on, so that the
    project pass re-reads only those: URLconf → the views it routes to and the URLconfs it
    includes; a view module → the modules of its base classes, decorators and blueprint; Django
    settings with LoginRequiredMiddleware → ROOT_URLCONF."""
    module = collect(rel, text, repo)
    if module is None:
        return []
    targets: dict[str, tuple[str, int, str]] = {}

    def link(name: str | None, line: int, kind: str = "import") -> None:
        if not name or name not in module.imports:
            return
        level, dotted, attr = module.imports[name]
        target = None
        if attr is not None:
            target = module_file(repo, rel, level, f"{dotted}.{attr}" if dotted else attr)
        target = target or module_file(repo, rel, level, dotted)
        if target and target != rel and target not in targets:
            targets[target] = (kind, line, name)

    for expr, _, line in module.url_refs:
        node = expr.func.value if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) else expr
        root = node
        for _ in range(_MAX_DEPTH):
            if isinstance(root, ast.Attribute):
                root = root.value
            else:
                break
        if isinstance(root, ast.Name):
            link(root.id, line)
    for dotted, _, line in module.includes:
        target = module_file(repo, rel, 0, dotted)
        if target and target != rel and target not in targets:
            targets[target] = ("urlconf", line, dotted)
    for view in module.views.values():
        for base in view.bases:
            root = base
            for _ in range(_MAX_DEPTH):
                if isinstance(root, ast.Attribute):
                    root = root.value
                else:
                    break
            if isinstance(root, ast.Name) and terminal_name(base) not in auth_mixins():
                link(root.id, view.line)
        for name, line, _ in view.called_decorators:
            link(name, line)
        for router, _ in view.routers:
            if router not in module.routers:
                link(router, view.line)
    for router, _, line, _, _ in module.guards:
        if router not in module.routers:
            link(router, line)
    if module.middleware_line and module.root_urlconf:
        target = module_file(repo, rel, 0, module.root_urlconf)
        if target and target != rel:
            targets.setdefault(target, ("urlconf", module.middleware_line, module.root_urlconf))
    return [Edge(rel, target, kind, line, detail) for target, (kind, line, detail) in sorted(targets.items())]


def infer_project(repo, graph=None) -> list[Inference]:
    """What needs several modules: the modules linked by `module_links` edges, re-read once."""
    if graph is None:
        return []
    starts = sorted({e.source for e in graph.edges
                     if e.kind in ("import", "urlconf") and e.source.endswith(".py") and e.target.endswith(".py")})
    if not starts:
        return []

    def load(rel: str) -> Module | None:
        text = repo.read(rel) if repo.exists(rel) else None
        return collect(rel, text, repo) if text else None

    project = _Project(repo, {}, load)
    for rel in starts:
        project.module(rel)
    return sorted(set(project.run()))
