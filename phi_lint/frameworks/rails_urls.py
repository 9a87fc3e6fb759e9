"""The URL of each Rails controller action, from config/routes.rb (for the route table).

Rails draws URLs in config/routes.rb: `resources :appointments` is /appointments (index),
/appointments/:id (show), /appointments/new, /appointments/:id/edit; `resource :dashboard` is
/dashboard; `get "about", to: "pages#about"` is /about; `root "pages#home"` is /; `namespace
:admin` adds /admin to the URL and admin/ to the controller; `scope "/portal"` adds to the URL
only, `scope module: "portal"` to the controller only. Only literal paths are read; a route whose
URL is built at run time has none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from phi_lint.lang import Source, ruby

RESOURCES_URLS = {  # action → URL below the resource's path (plural resources)
    "index": "", "show": "/:id", "new": "/new", "edit": "/:id/edit",
}
RESOURCE_URLS = {"show": "", "new": "/new", "edit": "/edit"}  # singular `resource`
VERBS = frozenset({"get", "match", "root"})  # routes that serve a page (a view is rendered on GET)


@dataclass(frozen=True)
class _Scope:
    url: str = ""  # "/admin"
    module: str = ""  # "admin/"
    resource: tuple[str, str] | None = None  # (controller, member URL) of an enclosing `resources`


def action_urls(rel: str, code: str) -> dict[tuple[str, str], tuple[str, int]]:
    """(controller path, action) → (URL pattern, line) of the routes one routes.rb draws."""
    program = ruby.program(Source(rel, code))
    found: dict[tuple[str, str], tuple[str, int]] = {}
    if program is None:
        return found
    stack: list[tuple[Any, _Scope]] = [(program, _Scope())]
    while stack:
        node, scope = stack.pop()
        call = ruby.call(node)
        if call is None:
            stack.extend((child, scope) for child in reversed(node.children))
            continue
        if call.receiver is None:
            for key, url in _drawn(call, scope):
                found.setdefault(key, (url or "/", call.line))
            if call.block is not None:
                stack.append((call.block, _inner(call, scope)))
        else:
            stack.extend((child, scope) for child in reversed(node.children))
    return found


def _path(node) -> str:
    value = ruby.value(node)
    return "/" + value.strip("/") if value else ""


def _resource(call: ruby.Call, scope: _Scope) -> tuple[str, str] | None:
    """(controller, URL) of a `resources` / `resource` call."""
    name = ruby.symbol(call.args[0]) if call.args else None
    if not name:
        return None
    controller = ruby.value(call.option("controller")) or (name if call.method == "resources" else name + "s")
    path = _path(call.option("path")) if call.option("path") is not None else "/" + name
    return scope.module + controller, scope.url + path


def _inner(call: ruby.Call, scope: _Scope) -> _Scope:
    method = call.method
    if method == "namespace" and call.args and ruby.value(call.args[0]):
        name = str(ruby.value(call.args[0]))
        return _Scope(scope.url + "/" + name, scope.module + name + "/", scope.resource)
    if method == "scope":
        url = _path(call.args[0]) if call.args else _path(call.option("path"))
        module = ruby.value(call.option("module"))
        return _Scope(scope.url + url, scope.module + (module + "/" if module else ""), scope.resource)
    if method in ("resources", "resource"):
        found = _resource(call, scope)
        if found is not None:
            controller, url = found
            member = url + "/:id" if method == "resources" else url
            return _Scope(member, scope.module, (controller, member))
    return scope


def _drawn(call: ruby.Call, scope: _Scope) -> list[tuple[tuple[str, str], str]]:
    """((controller, action), URL) pairs one call draws."""
    method = call.method
    if method in ("resources", "resource"):
        found = _resource(call, scope)
        if found is None:
            return []
        controller, url = found
        urls = RESOURCES_URLS if method == "resources" else RESOURCE_URLS
        actions = list(urls)
        if "only" in call.options:
            actions = [a for a in actions if a in ruby.names(call.option("only"))]
        if "except" in call.options:
            actions = [a for a in actions if a not in ruby.names(call.option("except"))]
        return [((controller, action), url + urls[action]) for action in actions]
    if method not in VERBS:
        return []
    target = ruby.string(call.option("to")) or (ruby.string(call.args[0]) if method == "root" and call.args else None)
    path = "" if method == "root" else _path(call.args[0]) if call.args else ""
    if target and "#" in target:
        controller, action = target.split("#", 1)
        return [((scope.module + controller, action), scope.url + path)]
    member = ruby.symbol(call.args[0]) if call.args else None
    if member and scope.resource is not None:  # `get :history` inside `resources :records do`
        return [((scope.resource[0], member), scope.resource[1] + "/" + member)]
    return []
