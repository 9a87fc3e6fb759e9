"""A Python module's facts (phi_lint.frameworks.python_views.Module) as a file hint: read in pass 1
from the parse the file's other stages share, kept with the file's outcome (and in the cache), so
the project pass joins the modules without reading or parsing them again (issue 17: saleor's
project pass parsed 451 modules pass 1 had read already).

The hint is JSON. The few syntax trees the project pass looks into (a URLconf entry's view
expression, a class's bases, a generic view's model) travel as their source text and line and are
parsed back as expressions; a template-name pattern travels as its regex. A module whose facts do
not make the round trip (an expression too deep to write back) gets the hint `REPARSE`: the
project pass parses that one again, as it did every module before.
"""

from __future__ import annotations

import ast
import json
import re

from phi_lint.frameworks.python_facts import Module, Spec, View

HINT = "python-web"  # HINT:json, the module's facts
REPARSE = HINT + "!"  # facts that could not be written: read the module again


def encode(module: Module) -> str:
    """The hint of a module's facts (REPARSE when they cannot be written back faithfully)."""
    try:
        return HINT + ":" + json.dumps(_module(module), separators=(",", ":"))
    except (ValueError, RecursionError, TypeError, SyntaxError, MemoryError):
        return REPARSE


def decode(rel: str, hint: str) -> Module:
    """The facts `encode` wrote of module `rel`."""
    data = json.loads(hint[len(HINT) + 1:])

    def spec(kept) -> Spec:
        how, items, line = kept
        return Spec(how, tuple(_item(item) for item in items), line)

    views = {}
    for kept in data["views"]:
        (name, kind, line, specs, auth, bases, base_names, generic, routers, exempt, public_view,
         called_decorators) = kept
        views[name] = View(
            rel, name, kind, line, [spec(s) for s in specs], [(text, at) for text, at in auth],
            [_expression(base) for base in bases], list(base_names),
            (generic[0], _expression(generic[1])) if generic is not None else None,
            [(router, rule, at) for router, rule, at in routers], exempt, public_view,
            [(decorator, at, text) for decorator, at, text in called_decorators])
    return Module(
        rel,
        imports={name: (level, dotted, attr) for name, level, dotted, attr in data["imports"]},
        views=views,
        url_refs=[(_expression(expr), [(text, at) for text, at in wrappers], line, pattern)
                  for expr, wrappers, line, pattern in data["url_refs"]],
        includes=[(dotted, [(text, at) for text, at in wrappers], line) for dotted, wrappers, line in data["includes"]],
        guards=[(router, name, line, frozenset(exempt), app_wide) for router, name, line, exempt, app_wide in data["guards"]],
        routers=dict(data["routers"]),
        router_frameworks=dict(data["router_frameworks"]),
        login_views=[(endpoint, line) for endpoint, line in data["login_views"]],
        middleware_line=data["middleware_line"],
        root_urlconf=data["root_urlconf"],
        auth_decorators=dict(data["auth_decorators"]),
        template_roots=tuple(data["template_roots"]),
        constants={name: [_item(item) for item in items] for name, items in data["constants"]},
    )


# ---------------------------------------------------------------------------------------------
# writing


def _module(module: Module) -> dict:
    return {
        "imports": [[name, *value] for name, value in module.imports.items()],
        "views": [_view(view) for view in module.views.values()],
        "url_refs": [[_source(expr), [list(w) for w in wrappers], line, pattern]
                     for expr, wrappers, line, pattern in module.url_refs],
        "includes": [[dotted, [list(w) for w in wrappers], line] for dotted, wrappers, line in module.includes],
        "guards": [[router, name, line, sorted(exempt), app_wide] for router, name, line, exempt, app_wide in module.guards],
        "routers": list(module.routers.items()),
        "router_frameworks": list(module.router_frameworks.items()),
        "login_views": [list(entry) for entry in module.login_views],
        "middleware_line": module.middleware_line,
        "root_urlconf": module.root_urlconf,
        "auth_decorators": list(module.auth_decorators.items()),
        "template_roots": list(module.template_roots),
        "constants": [[name, [_written_item(item) for item in items]] for name, items in module.constants.items()],
    }


def _view(view) -> list:
    generic = [view.generic[0], _source(view.generic[1])] if view.generic is not None else None
    return [view.name, view.kind, view.line,
            [[spec.how, [_written_item(item) for item in spec.items], spec.line] for spec in view.specs],
            [list(entry) for entry in view.auth], [_source(base) for base in view.bases], list(view.base_names),
            generic, [list(entry) for entry in view.routers], view.exempt, view.public_view,
            [list(entry) for entry in view.called_decorators]]


def _source(node) -> list | None:
    """[source text, line] of an expression that parses back to the same tree; else ValueError."""
    if node is None:
        return None
    text = ast.unparse(node)
    if ast.dump(ast.parse(text, mode="eval").body) != ast.dump(node):
        raise ValueError("an expression that does not make the round trip")
    return [text, getattr(node, "lineno", 0)]


def _written_item(item) -> str | list:
    """A template name, or [regex] for a name pattern (phi_lint.frameworks.python_views.Names)."""
    if isinstance(item, str):
        return item
    if isinstance(item, re.Pattern) and item.flags == re.compile("").flags:
        return [item.pattern]
    raise ValueError("a template name that is neither a name nor a pattern")


# ---------------------------------------------------------------------------------------------
# reading


def _item(item):
    return item if isinstance(item, str) else re.compile(item[0])


def _expression(kept):
    """The expression `_source` wrote, its line set again (the project pass reports it)."""
    if kept is None:
        return None
    text, line = kept
    node = ast.parse(text, mode="eval").body
    for child in ast.walk(node):
        if "lineno" in child._attributes:
            child.lineno = line  # type: ignore[attr-defined]
    return node
