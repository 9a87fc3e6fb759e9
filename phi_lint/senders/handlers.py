"""Guards declared in another file than the sender's: a Laravel route file's
`Route::middleware('auth')->group(…)` naming the controller action, a Django URLconf's
`login_required(view)`. The framework modules know them as routes that name their handler
(phi_lint.frameworks.routes.Route.handler); the project passes hand them on as handler
inferences, and here a sender whose handler chain holds a guarded handler of its own file takes
that route's guards and URL, as if they were written beside it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from phi_lint.frameworks.routes import handler_key
from phi_lint.inference.model import HANDLER_GUARD_LABEL, HANDLER_URL_LABEL, Inference
from phi_lint.models import Sighting

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
        if not guards and not (url and not details.get("route")):
            out.append(sighting)
            continue
        known = {(g.get("path"), g.get("line"), g.get("text")) for g in details.get("guards") or []}
        added = [g for g in guards if (g["path"], g["line"], g["text"]) not in known]
        new = {**details, "guards": [*(details.get("guards") or []), *added]}
        if url and not details.get("route"):
            new["route"] = url
        out.append(replace(sighting, details=new))
    return out


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
