"""FastAPI (and Starlette's templates): which templates its routes serve, at which URLs.

Read in the shared walk over each module (phi_lint.frameworks.python_views), with FastAPI's names
from rules/frameworks/fastapi.toml: routes are ``@app.get("/x")``, ``@router.api_route("/x")`` on a
``FastAPI`` app or an ``APIRouter`` (defined here, or imported by a module that imports FastAPI);
a route's page is the template its view renders with ``templates.TemplateResponse("x.html", …)``,
``TemplateResponse(request, "x.html")`` or ``TemplateResponse(request=request, name=X)``, the
name a literal, a local or module constant, or an f-string.

Guards (``Depends(get_current_user)``) are not modelled yet: a FastAPI route gives its page a URL
(health by URL, an account area or a sign-in URL), never a guard. Every route becomes a `Route`;
phi_lint.frameworks.routes makes the labels.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from phi_lint import frameworks_data
from phi_lint.frameworks import register
from phi_lint.frameworks.python_views import Collector, Project, PythonFramework, decorated_routes, file_project
from phi_lint.frameworks.routes import Route
from phi_lint.lang.python import terminal_name


@register
class FastAPI(PythonFramework):
    id = "fastapi"
    name = "FastAPI"

    def read_assignment(self, collector: Collector, target: ast.expr, node: ast.Assign) -> None:
        if not (isinstance(target, ast.Name) and isinstance(node.value, ast.Call)):
            return
        call = terminal_name(node.value.func)
        if call in frameworks_data.name_set("fastapi", "app-constructors"):
            collector.module.routers[target.id] = "app"
        elif call in frameworks_data.name_set("fastapi", "router-constructors"):
            collector.module.routers[target.id] = "router"
        else:
            return
        collector.module.router_frameworks[target.id] = self.id

    def file_routes(self, source, repo) -> Iterable[Route]:
        project = file_project(source, repo)
        return decorated_routes(project, self.id) if project is not None else ()

    def routes(self, repo, graph) -> Iterable[Route]:
        project = Project.of_project(repo, graph)
        return decorated_routes(project, self.id) if project is not None else ()
