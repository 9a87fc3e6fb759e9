"""The facts of one Python module that the Python web frameworks join (phi_lint.frameworks.python_views
reads them in one walk; phi_lint.frameworks.python_hints keeps them for the project pass)."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field


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
    routers: list[tuple[str, str, int]] = field(default_factory=list)  # (router variable, rule, line)
    exempt: str | None = None  # login_not_required
    public_view: str | None = None  # LoginView, … when it subclasses one
    called_decorators: list[tuple[str, int, str]] = field(default_factory=list)  # project decorators to resolve


@dataclass
class Module:
    rel: str
    imports: dict[str, tuple[int, str, str | None]] = field(default_factory=dict)
    views: dict[str, View] = field(default_factory=dict)
    # Django URLconf entries: (view expression, wrappers [(evidence, line)], line, URL pattern)
    url_refs: list[tuple[ast.expr, list[tuple[str, int]], int, str | None]] = field(default_factory=list)
    includes: list[tuple[str, list[tuple[str, int]], int]] = field(default_factory=list)
    guards: list[tuple[str, str, int, frozenset[str], bool]] = field(default_factory=list)
    routers: dict[str, str] = field(default_factory=dict)  # variable → "app" | "blueprint" | "router"
    router_frameworks: dict[str, str] = field(default_factory=dict)  # variable → framework id
    login_views: list[tuple[str, int]] = field(default_factory=list)
    middleware_line: int = 0
    root_urlconf: str | None = None
    auth_decorators: dict[str, int] = field(default_factory=dict)  # project decorators enforcing login
    template_roots: tuple[str, ...] = ()  # Flask/Blueprint template_folder declared here
    constants: dict[str, list] = field(default_factory=dict)  # module-level NAME → template names it holds
