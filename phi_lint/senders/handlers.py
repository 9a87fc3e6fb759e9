"""Guards declared in another file than the sender's: a Laravel route file's
`Route::middleware('auth')->group(…)` naming the controller action, a Django URLconf's
`login_required(view)`, a Rails `authenticate :user do … end` block of config/routes.rb or a
`before_action` inherited from ApplicationController, a Spring `SecurityFilterChain` rule that
covers the method's URL, an Express `app.use('/portal', requireAuth, router)` in another file.
The framework modules know them as routes that name their handler
(phi_lint.frameworks.routes.Route.handler): Laravel and Django in their project passes, the
others when asked, through their `handler_routes` hook, for the handlers a run's senders are
reached from (asked only when a run found senders: a repository without any pays nothing). Both
arrive as handler inferences, and here a sender whose handler chain holds a guarded handler of
its own file takes that route's guards and URL, as if they were written beside it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from phi_lint.frameworks.routes import handler_inferences, handler_key
from phi_lint.inference.model import HANDLER_GUARD_LABEL, HANDLER_URL_LABEL, Inference
from phi_lint.models import Notification, Sighting

KIND = "server-send"


class HandlerTable:
    """The handler inferences of a run, by handler key."""

    def __init__(self) -> None:
        self.guards: dict[str, list[Inference]] = {}
        self.urls: dict[str, list[Inference]] = {}

    def add(self, item: Inference) -> bool:
        """Keep `item` if it is a handler inference; say whether it was."""
        if item.label == HANDLER_GUARD_LABEL:
            self.guards.setdefault(item.page, []).append(item)
        elif item.label == HANDLER_URL_LABEL:
            self.urls.setdefault(item.page, []).append(item)
        else:
            return False
        return True

    def __bool__(self) -> bool:
        return bool(self.guards or self.urls)


def wanted_handlers(sightings: Iterable[Sighting]) -> list[tuple[str, str]]:
    """(file, function or class name) of every handler a server-side sender is reached from."""
    wanted: set[tuple[str, str]] = set()
    for sighting in sightings:
        if sighting.kind == KIND:
            wanted.update((sighting.path, name) for name in (sighting.details or {}).get("handlers") or ())
    return sorted(wanted)


def asked_inferences(repo, wanted: list[tuple[str, str]], notifications: list[Notification]) -> list[Inference]:
    """The handler inferences of the routes the framework modules' `handler_routes` hooks give
    for `wanted` (phi_lint.frameworks.Framework.handler_routes)."""
    from phi_lint.frameworks import overrides, registered

    found: list[Inference] = []
    if not wanted:
        return found
    for framework in registered():
        if not overrides(framework, "handler_routes"):
            continue
        try:
            found.extend(handler_inferences(framework.handler_routes(repo, wanted)))
        except Exception as exc:  # one framework's bug leaves the senders as the others found them
            notifications.append(Notification(".", f"server-side senders ({framework.name}): internal error "
                                                   f"({type(exc).__name__}: {exc}); its route guards not checked"))
    return found


def with_handler_guards(sightings: Iterable[Sighting], table: HandlerTable) -> list[Sighting]:
    """The sightings, each server-side sender whose handler a route guards given that guard
    (a new Sighting: the cached one is left as it was)."""
    out = []
    for sighting in sightings:
        details = sighting.details or {}
        if sighting.kind != KIND or not table or not details.get("handlers"):
            out.append(sighting)
            continue
        guards, url = _route_of(sighting.path, details["handlers"], table)
        url = url if _fuller(url, details.get("route")) else None
        if not guards and not url:
            out.append(sighting)
            continue
        # a guard the sender's own file already shows (its line) is not said twice in other words
        known = {(g.get("path"), g.get("line")) for g in details.get("guards") or []}
        added = [g for g in guards if (g["path"], g["line"]) not in known]
        new = {**details, "guards": [*(details.get("guards") or []), *added]}
        if url:
            new["route"] = url
        out.append(replace(sighting, details=new))
    return out


def _fuller(url: str | None, local: str | None) -> bool:
    """Whether the route table's URL says more than the one written beside the handler: there
    is none there, or the table's has a mount prefix in front of it (`/portal` + `/intake`)."""
    if not url:
        return False
    return not local or (url != local and url.endswith(local))


def _route_of(path: str, handlers: list[str], table: HandlerTable) -> tuple[list[dict], str | None]:
    """The guards of the first handler of the chain a route guards, and a URL it serves at."""
    url = None
    for name in handlers:
        key = handler_key(path, name)
        if url is None and key in table.urls:
            url = sorted(table.urls[key])[0].text
        found = table.guards.get(key)
        if found:
            ordered = sorted(found, key=lambda item: (item.path, item.line, item.text))
            return [{"text": item.text, "path": item.path, "line": item.line} for item in ordered], url
    return [], url
