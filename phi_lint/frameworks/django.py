"""Django: which templates its views serve, at which URLs, behind which guards.

Read in the shared walk over each module (phi_lint.frameworks.python_views), with Django's names
from rules/frameworks/django.toml:

- function views decorated with ``@login_required``, ``@permission_required(…)``,
  ``@user_passes_test(…)``, ``@staff_member_required`` (also under an import alias, and a project
  decorator defined in the repo that wraps one of them or checks ``is_authenticated``);
- class-based views with ``LoginRequiredMixin``, ``PermissionRequiredMixin``,
  ``UserPassesTestMixin`` (and django-braces' equivalents), directly or through a project base
  class; ``@method_decorator(login_required, name="dispatch")`` and ``@method_decorator(login_required)``
  on ``dispatch``/``get``;
- URLconfs: ``path("url", view)`` (the URL is the route's), ``login_required(views.x)``,
  ``login_required(XView.as_view())``, ``TemplateView.as_view(template_name="x")``,
  ``decorator_include(login_required, "app.urls")`` (every view of that URLconf and those it
  includes);
- Django 5.1 ``LoginRequiredMiddleware`` in settings: every view the ROOT_URLCONF routes to
  (through its includes), except ``@login_not_required`` / ``login_not_required(view)`` and the
  sign-in views;
- sign-in pages: the templates of ``LoginView`` and the password-reset views (public);
- what a view renders: ``render``, ``TemplateResponse``, ``template_name``,
  ``get_template_names``, and the default names of generic views (``ListView`` with
  ``model = Appointment`` in app ``clinic`` → ``clinic/appointment_list.html``);
- inclusion tags: ``@register.inclusion_tag("x.html")`` in a ``templatetags/`` module → a page-graph
  edge to the template (a template that loads the library links to the module, see
  phi_lint.pagegraph.templates_python).

Every view becomes a `Route`; phi_lint.frameworks.routes makes the labels.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from phi_lint import frameworks_data
from phi_lint.frameworks import register
from phi_lint.frameworks.python_views import (
    MAX_MODULES,
    Collector,
    Module,
    Names,
    Project,
    PythonFramework,
    Spec,
    View,
    auth_decorators,
    decorator_factories,
    exempt_decorators,
    file_project,
    sign_in_views,
    source_links,
)
from phi_lint.frameworks.routes import Guard, Route
from phi_lint.lang.python import base_name, const_str, python_tree, short_source, strings_of, terminal_name
from phi_lint.pagegraph.model import Edge
from phi_lint.pagegraph.template_paths import resolve_template


def auth_mixins() -> frozenset[str]:
    return frameworks_data.name_set("django", "auth-mixins")


def generic_suffixes() -> dict:
    return frameworks_data.table("django", "generic-view-suffixes")


def login_middleware() -> tuple[str, ...]:
    return frameworks_data.names("django", "login-middleware")


def url_functions() -> frozenset[str]:
    return frameworks_data.name_set("django", "url-functions")


@register
class Django(PythonFramework):
    id = "django"
    name = "Django"

    # -- the shared walk ----------------------------------------------------------------------
    def read_class(self, collector: Collector, view: View, node: ast.ClassDef) -> None:
        for base, name in zip(node.bases, view.base_names):
            if name in auth_mixins():
                view.auth.append((f"{name} on view `{node.name}`", base.lineno))
            if name in sign_in_views():
                view.public_view = name
        for decorator in node.decorator_list:
            _method_decorator(collector, view, decorator, class_level=True)
        model = suffix = None
        for statement in node.body:
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1 \
                    and isinstance(statement.targets[0], ast.Name):
                target, value = statement.targets[0].id, statement.value
                if target == "model":
                    model = value
                elif target == "queryset" and model is None:
                    model = base_name(value)
                elif target == "template_name_suffix":
                    suffix = const_str(value)
            elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) and statement.name in ("dispatch", "get"):
                for decorator in statement.decorator_list:
                    _method_decorator(collector, view, decorator, class_level=False)
        for base_name_ in view.base_names:
            if base_name_ in generic_suffixes() and model is not None:
                view.generic = (suffix or generic_suffixes()[base_name_], model)
                break

    def read_assignment(self, collector: Collector, target: ast.expr, node: ast.Assign) -> None:
        if isinstance(target, ast.Name) and target.id == "MIDDLEWARE" \
                and not set(login_middleware()).isdisjoint(strings_of(node.value)):
            collector.module.middleware_line = node.lineno
        if isinstance(target, ast.Name) and target.id == "ROOT_URLCONF" and const_str(node.value):
            collector.module.root_urlconf = const_str(node.value)

    def read_call(self, collector: Collector, node: ast.Call) -> None:
        if terminal_name(node.func) in url_functions() and len(node.args) >= 2 and not isinstance(node.func, ast.Call):
            _url(collector, node.args[1], node.lineno, const_str(node.args[0]))

    # -- hooks --------------------------------------------------------------------------------
    def source_edges(self, source, repo) -> Iterable[Edge]:
        edges: list[Edge] = []
        if source.rel.endswith(".py") and repo.kind(source.rel) == "code" and "inclusion_tag" in source.text and "/templatetags/" in "/" + source.rel:
            tree = python_tree(source)
            if tree is not None:
                edges.extend(_inclusion_tags(source.rel, tree, repo))
        edges.extend(Edge(source.rel, link.target, link.kind, link.line, link.detail)
                     for link in source_links(source, repo) if link.owner == self.id)
        return edges

    def file_routes(self, source, repo) -> Iterable[Route]:
        project = file_project(source, repo)
        return _routes(project) if project is not None else ()

    def routes(self, repo, graph) -> Iterable[Route]:
        project = Project.of_project(repo, graph)
        return _routes(project) if project is not None else ()


def _method_decorator(collector: Collector, view: View, decorator, class_level: bool) -> None:
    if not (isinstance(decorator, ast.Call) and terminal_name(decorator.func) == "method_decorator" and decorator.args):
        return
    target = "dispatch"
    for keyword in decorator.keywords:
        if keyword.arg == "name":
            target = const_str(keyword.value) or target
    if class_level and target not in ("dispatch", "get"):
        return  # method_decorator(login_required, name="post"): the page itself is served to anyone
    inner = decorator.args[0]
    if collector.auth_in(inner):
        view.auth.append((f"method_decorator({short_source(inner)}) on view `{view.name}`", decorator.lineno))
    elif isinstance(inner, ast.Name) and collector.original(inner.id) in exempt_decorators():
        view.exempt = f"method_decorator({collector.original(inner.id)}) on view `{view.name}`"


def _url(collector: Collector, expr, line: int, pattern: str | None) -> None:
    """A URLconf entry: the view it routes to, the wrappers around it, an included URLconf."""
    wrappers: list[tuple[str, int]] = []
    node = expr
    for _ in range(12):
        if not isinstance(node, ast.Call):
            break
        func = node.func
        fname = collector.decorator_name(func)
        if fname == "decorator_include" and len(node.args) >= 2:
            auth = collector.auth_in(node.args[0])
            module = const_str(node.args[1])
            if module:
                evidence = [(f"{short_source(node)} in URLconf", node.lineno)] if auth else []
                collector.module.includes.append((module, wrappers + evidence, node.lineno))
            return
        if fname == "include" and node.args:
            module = const_str(node.args[0])
            if module:
                collector.module.includes.append((module, list(wrappers), node.lineno))
            return
        if isinstance(func, ast.Attribute) and func.attr == "as_view":
            break
        if isinstance(func, ast.Call) and collector.is_auth(func.func) and node.args:
            wrappers.append((f"{short_source(node)} in URLconf", node.lineno))
            node = node.args[0]
            continue
        if not isinstance(func, ast.Call) and fname in auth_decorators() and fname not in decorator_factories() \
                and node.args:
            wrappers.append((f"{short_source(node)} in URLconf", node.lineno))
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
    collector.module.url_refs.append((node, wrappers, line, pattern))


def _inclusion_tags(rel: str, tree, repo) -> list[Edge]:
    """@register.inclusion_tag("x.html") def tag(...) and register.inclusion_tag("x.html")(tag)."""
    edges = []
    for node in ast.walk(tree):
        calls = []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            calls = [(d, node.name) for d in node.decorator_list
                     if isinstance(d, ast.Call) and terminal_name(d.func) == "inclusion_tag"]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Call) \
                and terminal_name(node.func.func) == "inclusion_tag" and node.args \
                and isinstance(node.args[0], ast.Name):
            calls = [(node.func, node.args[0].id)]
        for call, function in calls:
            template, tag = None, function
            if call.args:
                template = const_str(call.args[0])
            for keyword in call.keywords:
                value = const_str(keyword.value)
                if keyword.arg == "filename" and value is not None:
                    template = value
                elif keyword.arg == "name" and value is not None:
                    tag = value
            if not template:
                continue
            target = resolve_template(template, rel, repo)
            if target:
                edges.append(Edge(rel, target, "component", call.lineno, f"{{% {tag} %}} ({template})"))
            else:
                repo.note_missing(rel, template, call.lineno)
    return edges


# ---------------------------------------------------------------------------------------------
# the routes of the joined modules


def _routes(project: Project) -> list[Route]:
    found: list[Route] = []
    starting = list(project.starting)
    for module in starting:
        for view in module.views.values():
            if not view.routers:  # a view routed by a decorator is Flask's or FastAPI's
                found.extend(_view(project, view))
        for expr, wrappers, line, pattern in module.url_refs:
            found.extend(_url_ref(project, module, expr, wrappers, line, pattern))
    found.extend(_decorator_includes(project, starting))
    found.extend(_middleware(project, starting))
    return found


def _route(pages, path: str, line: int, url: str | None = None, guards: tuple[Guard, ...] = (),
           sign_in: Guard | None = None, view: View | None = None) -> list[Route]:
    """The routes of the pages a URLconf entry renders, and with its view the handler's route
    (no page: a view that returns JSON or a redirect still runs behind the entry's guards)."""
    found = [Route("django", page, path, line, url or None, guards, None, sign_in) for page in pages]
    if view is not None and sign_in is None:
        found.append(Route("django", "", path, line, url or None, guards, handler=(view.module, view.name)))
    return found


def _view(project: Project, view: View) -> list[Route]:
    public = project.public_view(view) if view.kind == "class" else None
    if public:
        sign_in = Guard(f"Django {public} serves this sign-in page (view `{view.name}`)", view.module, view.line)
        return _route(project.view_pages(view), view.module, view.line, sign_in=sign_in)
    guards = project.guards_of(view)
    return _route(project.view_pages(view), view.module, view.line, guards=guards) if guards else []


def url_target(project: Project, module: Module, expr):
    """(pages, view or None, public view name or None) for a URLconf view expression."""
    specs: list[Spec] = []
    class_name = None
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "as_view":
        names = Names(module.constants)
        for keyword in expr.keywords:
            if keyword.arg == "template_name":
                spec = names.spec(keyword.value, expr.lineno)
                if spec:
                    specs.append(spec)
        view = project.resolve_expr(module, expr.func.value)
        class_name = terminal_name(expr.func.value)
    else:
        view = project.resolve_expr(module, expr)
    view = view if isinstance(view, View) else None
    if class_name in sign_in_views():
        public = class_name
    else:
        public = project.public_view(view) if view is not None else None
    if specs:
        pages = project.pages(specs, module.rel)
    elif view is not None:
        pages = project.view_pages(view)
    elif public:
        pages = project.pages([Spec("each", (sign_in_views()[public],))], module.rel)
    else:
        pages = []
    return pages, view, public


def _url_ref(project: Project, module: Module, expr, wrappers, line: int, pattern: str | None) -> list[Route]:
    pages, view, public = url_target(project, module, expr)
    if public:
        sign_in = Guard(f"Django {public} serves this sign-in page ({short_source(expr)})", module.rel, line)
        return _route(pages, module.rel, line, pattern, sign_in=sign_in)
    real = [w for w in wrappers if w[1] >= 0]
    guards: tuple[Guard, ...] = ()
    if real:
        guards = (Guard(real[0][0], module.rel, real[0][1]),)
    elif view is not None and isinstance(expr, ast.Call):
        guards = project.guards_of(view)  # as_view(template_name=…) of a protected class
    return _route(pages, module.rel, line, pattern, guards, view=view)


def _urlconf_tree(project: Project, start: str, evidence) -> dict[str, tuple]:
    """URLconf modules reachable from `start` through include()/decorator_include()."""
    found = {start: evidence}
    queue = [start]
    while queue and len(found) < MAX_MODULES:
        current = queue.pop()
        module = project.module(current)
        if module is None:
            continue
        for dotted, _, _ in module.includes:
            target = project.module_file(current, 0, dotted)
            if target and target not in found:
                found[target] = found[current]
                queue.append(target)
    return found


def _decorator_includes(project: Project, starting: list[Module]) -> list[Route]:
    covered: dict[str, tuple] = {}
    for module in starting:
        for dotted, wrappers, _line in module.includes:
            real = [w for w in wrappers if w[1] >= 0]
            target = project.module_file(module.rel, 0, dotted) if real else None
            if target and target not in covered:
                covered.update(_urlconf_tree(project, target, (real[0][0], real[0][1], module.rel)))
    found: list[Route] = []
    for rel, (text, line, path) in sorted(covered.items()):
        included = project.module(rel)
        if included is None:
            continue
        for expr, _wrappers, url_line, _pattern in included.url_refs:
            pages, view, public = url_target(project, included, expr)
            if public:
                continue
            name = f" (view `{view.name}`)" if view is not None else ""
            found.extend(_route(pages, rel, url_line, guards=(Guard(text + name, path, line),), view=view))
    return found


def _middleware(project: Project, starting: list[Module]) -> list[Route]:
    """Django 5.1 LoginRequiredMiddleware: every view the URLconf routes to, minus exemptions."""
    found: list[Route] = []
    for settings in starting:
        if not settings.middleware_line or not settings.root_urlconf:
            continue
        root = project.module_file(settings.rel, 0, settings.root_urlconf)
        if root is None:
            continue
        text = "LoginRequiredMiddleware in settings.MIDDLEWARE"
        for rel in sorted(_urlconf_tree(project, root, None)):
            module = project.module(rel)
            if module is None:
                continue
            for expr, wrappers, url_line, _pattern in module.url_refs:
                if any(w[1] < 0 for w in wrappers):
                    continue  # login_not_required(view) in the URLconf
                pages, view, public = url_target(project, module, expr)
                if public or (view is not None and view.exempt):
                    continue
                name = f" (view `{view.name}`)" if view is not None else ""
                guard = Guard(text + name, settings.rel, settings.middleware_line)
                found.extend(_route(pages, rel, url_line, guards=(guard,), view=view))
    return found
