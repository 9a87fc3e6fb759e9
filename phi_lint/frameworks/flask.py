"""Flask (and Quart): which templates its routes serve, at which URLs, behind which guards.

Read in the shared walk over each module (phi_lint.frameworks.python_views), with Flask's names
from rules/frameworks/flask.toml:

- routes: ``@app.route("/x")``, ``@bp.get("/x")``, ``app.add_url_rule("/x", view_func=…)`` on a
  ``Flask``/``Quart`` app or a ``Blueprint`` (defined here or imported); the route's URL is the
  rule, its page the template the view renders (``render_template(NAME)`` with a literal, a local
  or module constant, an f-string), looked up in the blueprint's ``template_folder`` first;
- guards: ``@login_required`` (flask-login, flask-user, flask-security's ``@auth_required``,
  ``@roles_required``, …) and a project decorator that checks the signed-in user;
  ``decorators = [login_required]`` on a ``MethodView``; a blueprint's (or the app's)
  ``before_request`` hook that enforces login (decorated with ``@login_required``, or checking
  ``current_user.is_authenticated`` / ``g.user`` and redirecting or aborting) → every view of that
  blueprint (the app's hook, or ``before_app_request``: every routed view of the modules under
  the app's folder), minus the endpoints the hook names as exceptions;
- the sign-in page: the view named by ``login_manager.login_view`` (in the same module) is public.

Every route becomes a `Route`; phi_lint.frameworks.routes makes the labels.
"""

from __future__ import annotations

import ast
import posixpath
from collections.abc import Iterable

from phi_lint import frameworks_data
from phi_lint.frameworks import register
from phi_lint.frameworks.python_views import (
    Collector,
    HookGuard,
    Project,
    PythonFramework,
    View,
    decorated_routes,
    file_project,
    routes_to,
    source_links,
)
from phi_lint.frameworks.routes import Guard, Route
from phi_lint.lang.python import const_str, short_source, terminal_name, walk_function
from phi_lint.pagegraph.model import Edge


def guard_hooks() -> frozenset[str]:
    return frameworks_data.name_set("flask", "guard-hooks")


@register
class Flask(PythonFramework):
    id = "flask"
    name = "Flask"

    # -- the shared walk ----------------------------------------------------------------------
    def read_decorator(self, collector: Collector, view: View, function, decorator, name: str | None) -> bool:
        if isinstance(decorator, ast.Attribute) and decorator.attr in guard_hooks() \
                and isinstance(decorator.value, ast.Name):
            _guard(collector, decorator.value.id, function, decorator.lineno, decorator.attr == "before_app_request")
            return True
        return False

    def read_assignment(self, collector: Collector, target: ast.expr, node: ast.Assign) -> None:
        module = collector.module
        if isinstance(target, ast.Attribute) and target.attr == "login_view":
            value = const_str(node.value)
            if value:
                module.login_views.append((value, node.lineno))
        if isinstance(target, ast.Name) and isinstance(node.value, ast.Call):
            call = terminal_name(node.value.func)
            if call in frameworks_data.name_set("flask", "app-constructors"):
                module.routers[target.id] = "app"
                module.router_frameworks[target.id] = self.id
            elif call in frameworks_data.name_set("flask", "blueprint-constructors"):
                module.routers[target.id] = "blueprint"
                module.router_frameworks[target.id] = self.id

    def read_call(self, collector: Collector, node: ast.Call) -> None:
        func = node.func
        module = collector.module
        if isinstance(func, ast.Attribute) and func.attr in guard_hooks() and isinstance(func.value, ast.Name) \
                and node.args:
            argument = node.args[0]
            app_wide = func.attr == "before_app_request"
            if isinstance(argument, ast.Call) and collector.is_auth(argument.func):
                module.guards.append((func.value.id, short_source(argument), node.lineno, frozenset(), app_wide))
            elif isinstance(argument, ast.Name) and argument.id in collector.functions:
                _guard(collector, func.value.id, collector.functions[argument.id], node.lineno, app_wide)
        elif isinstance(func, ast.Attribute) and func.attr == "add_url_rule" and isinstance(func.value, ast.Name):
            _url_rule(collector, node, func.value.id)
        if terminal_name(func) in _router_constructors():
            for keyword in node.keywords:
                folder = const_str(keyword.value) if keyword.arg == "template_folder" else None
                if folder:
                    root = posixpath.normpath(posixpath.join(posixpath.dirname(collector.rel), folder))
                    if not root.startswith(".."):
                        module.template_roots += (root,)

    # -- hooks --------------------------------------------------------------------------------
    def source_edges(self, source, repo) -> Iterable[Edge]:
        return [Edge(source.rel, link.target, link.kind, link.line, link.detail)
                for link in source_links(source, repo) if link.owner == self.id]

    def file_routes(self, source, repo) -> Iterable[Route]:
        project = file_project(source, repo)
        return self._routes(project) if project is not None else ()

    def routes(self, repo, graph) -> Iterable[Route]:
        project = Project.of_project(repo, graph)
        return self._routes(project) if project is not None else ()

    def _routes(self, project: Project) -> list[Route]:
        return decorated_routes(project, self.id, _hook_guards) + _login_views(project)


@frameworks_data.derived
def _router_constructors() -> frozenset[str]:
    """Flask's app and blueprint constructors (asked of every call of every module: kept)."""
    return frameworks_data.name_set("flask", "app-constructors") | frameworks_data.name_set("flask", "blueprint-constructors")


def _guard(collector: Collector, router: str, function, line: int, app_wide: bool = False) -> None:
    """A before_request hook on `router`: a guard when it requires login (the strings it holds
    name the endpoints it lets through)."""
    decorated = any(collector.is_auth(d) for d in function.decorator_list)
    if not decorated and not collector.enforces_login(function):
        return
    exempt = frozenset(
        n.value for n in walk_function(function) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    )
    collector.module.guards.append((router, function.name, line, exempt, app_wide))


def _url_rule(collector: Collector, node: ast.Call, router: str) -> None:
    """app.add_url_rule("/x", view_func=view) or add_url_rule("/x", "endpoint", view)."""
    view = None
    for keyword in node.keywords:
        if keyword.arg == "view_func":
            view = keyword.value
    if view is None and len(node.args) >= 3:
        view = node.args[2]
    rule = const_str(node.args[0]) if node.args else ""
    target = view.func.value if isinstance(view, ast.Call) and isinstance(view.func, ast.Attribute) else view
    if isinstance(target, ast.Name) and target.id in collector.module.views:
        collector.module.views[target.id].routers.append((router, rule or "", node.lineno))


def _hook_guards(project: Project) -> HookGuard:
    """The before_request guards of every loaded module, by the router they are on; the app's
    (and before_app_request) hooks also cover the routed views under the app's folder."""
    guards: dict[tuple[str, str], list] = {}
    app_guards: list = []
    for module in list(project.modules.values()):
        for router, guard, line, exempt, app_wide in module.guards:
            key = project.router_key(module, router)
            if key is None:
                continue
            target = project.modules.get(key[0])
            kind = target.routers.get(key[1]) if target is not None else None
            entry = (router, guard, line, exempt, module.rel)
            if app_wide or kind == "app":
                app_guards.append((posixpath.dirname(key[0]), entry))
            guards.setdefault(key, []).append(entry)

    def hook(view: View, key: tuple[str, str], rule: str) -> Guard | None:
        hits = list(guards.get(key, []))
        hits += [entry for directory, entry in app_guards
                 if entry not in hits and (not directory or view.module.startswith(directory + "/"))]
        for variable, guard, line, exempt, path in hits:
            if view.name in exempt or (rule and rule in exempt) or any(e.endswith("." + view.name) for e in exempt):
                continue
            return Guard(f"@{variable}.before_request `{guard}` requires login for view `{view.name}`", path, line)
        return None

    return hook


def _login_views(project: Project) -> list[Route]:
    """login_manager.login_view = "auth.login": that view's template is the public sign-in page."""
    found: list[Route] = []
    for module in project.starting:
        for endpoint, line in module.login_views:
            name = endpoint.rsplit(".", 1)[-1]
            view = module.views.get(name)
            if view is not None and view.routers:
                sign_in = Guard(f"login_view = {endpoint!r} names the sign-in view `{view.name}`", module.rel, line)
                found.extend(routes_to("flask", project.view_pages(view), view.module, line, sign_in=sign_in))
    return found
