"""The route table: what every framework says of its URLs, and the one resolver that turns it
into page labels.

A framework module reports each route it can see as a `Route`: the URL pattern, the page file it
renders, the guards in force with where each is written, or the marker that lets anonymous
visitors in, and whether it is a sign-in page. `inferences` is then the only place where a route
makes a page behind login, public (a sign-in page) or about health (its URL names a condition):
authentication, health by URL and sign-in detection cannot disagree about which page a route
serves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from phi_lint.inference import signals
from phi_lint.inference.health import path_signal, route_path
from phi_lint.inference.model import Inference


@dataclass(frozen=True, order=True)
class Guard:
    """Evidence for a route's access rule: `text` (what the user reads) at `path`:`line`."""

    text: str
    path: str
    line: int = 0


@dataclass(frozen=True, order=True)
class Route:
    """A URL served by `page` (a repository file), declared at `path`:`line` by `framework`.

    guards: what requires a signed-in user for this route (empty: none known).
    anonymous: what lets visitors in regardless (skip_before_action, [AllowAnonymous], permitAll);
    it wins over guards. sign_in: the route is the sign-in page itself.
    url: the pattern as written ("/records/<int:id>"), None when the framework has no URL for it.
    """

    framework: str
    page: str
    path: str
    line: int = 0
    url: str | None = None
    guards: tuple[Guard, ...] = ()
    anonymous: Guard | None = None
    sign_in: Guard | None = None


def health_by_url(url: str | None) -> bool:
    """Whether a URL's segments name a health subject (`/conditions/hiv-treatment`)."""
    pseudo = route_path(url) if url else ""
    return bool(pseudo) and path_signal(pseudo + "_", "markup") is not None


def by_url(route: Route) -> Inference | None:
    """What a route's URL says of its page when nothing stronger does (no guard, no anonymous
    marker, not a known sign-in page), as the weak signals say it of file paths: a login URL
    serves a public page; a URL in an account area serves a page probably behind login."""
    pseudo = route_path(route.url) if route.url else ""
    if not pseudo or route.guards or route.anonymous is not None or route.sign_in is not None:
        return None
    if signals.login_by_name(pseudo.rstrip("/")):
        return Inference(route.page, "public", f"served at the login route `{route.url}`", route.path, route.line)
    if signals.path_signal(pseudo + "_"):
        return Inference(route.page, "authenticated", f"served at route `{route.url}`", route.path, route.line, weak=True)
    return None


def inferences(routes: Iterable[Route]) -> list[Inference]:
    """The page labels the routes give, each with the route's evidence."""
    found: set[Inference] = set()
    for route in routes:
        if route.sign_in is not None:
            found.add(Inference(route.page, "public", route.sign_in.text, route.sign_in.path, route.sign_in.line))
        elif route.guards and route.anonymous is None:
            for guard in route.guards:
                found.add(Inference(route.page, "authenticated", guard.text, guard.path, guard.line))
        if health_by_url(route.url):
            found.add(Inference(route.page, "health", f"served at route `{route.url}`", route.path, route.line))
        url_says = by_url(route)
        if url_says is not None:
            found.add(url_says)
    return sorted(found)
