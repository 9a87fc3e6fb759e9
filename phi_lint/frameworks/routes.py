"""The route table: what every framework says of its URLs, and the one resolver that turns it
into page labels.

A framework module reports each route it can see as a `Route`: the URL pattern, the page file it
renders, the guards in force with where each is written, or the marker that lets anonymous
visitors in, and whether it is a sign-in page. `inferences` is then the only place where a route
makes a page behind login, public (a sign-in page) or about health (its URL names a condition):
authentication, health by URL and sign-in detection cannot disagree about which page a route
serves. The URL speaks for itself too: a sign-in URL (`/login`) makes the page public, and an
unguarded route under an account area (`/portal/…`) is weak evidence that the page is behind login.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from phi_lint.inference.health import path_signal, route_path
from phi_lint.inference.model import HANDLER_GUARD_LABEL, HANDLER_URL_LABEL, URL_LABEL, Inference
from phi_lint.inference.signals import login_by_name
from phi_lint.inference.signals import path_signal as account_signal


@dataclass(frozen=True, order=True)
class Guard:
    """Evidence for a route's access rule: `text` (what the user reads) at `path`:`line`; `weak`
    when it holds only under a condition the code decides at run time (`if: :remote?`); `own` when
    it is written on the code that serves this page (`[Authorize]` on its controller or action),
    not a blanket rule: then it beats what the page's name or URL says (`/Manage/SetPassword`)."""

    text: str
    path: str
    line: int = 0
    weak: bool = False
    own: bool = False


@dataclass(frozen=True, order=True)
class Route:
    """A URL served by `page` (a repository file), declared at `path`:`line` by `framework`.

    guards: what requires a signed-in user for this route (empty: none known).
    anonymous: what lets visitors in regardless (skip_before_action, [AllowAnonymous], permitAll);
    it wins over guards. sign_in: the route is the sign-in page itself.
    url: the pattern as written ("/records/<int:id>"), None when the framework has no URL for it.
    url_signals: whether the URL's own words count (a login URL: public; an unguarded route under
    an account area: weakly behind login); off where another file decides access (Spring's
    filter chain may permit `/portal/**` to all).
    handler: (file, function or action name) of the code that serves the route, where the module
    knows it (`BookingController@store`, a Django view): a server-side sender in that function is
    behind the route's guards. A route with a handler and no page (`page == ""`) is about the
    handler only and labels no page.
    """

    framework: str
    page: str
    path: str
    line: int = 0
    url: str | None = None
    guards: tuple[Guard, ...] = ()
    anonymous: Guard | None = None
    sign_in: Guard | None = None
    url_signals: bool = True
    handler: tuple[str, str] | None = None


def handler_key(path: str, function: str) -> str:
    """The key of a handler among the inferences: `app/Http/Controllers/X.php#store`."""
    return f"{path}#{function}"


def anonymous_handler(line: int) -> str:
    """How a handler without a name (a function written in its route registration) is named in
    a Route's `handler`: by the line it starts on."""
    return f"(function at line {line})"


def handler_inferences(routes: Iterable[Route]) -> list[Inference]:
    """For each route that names its handler: the guards in force on it (unless something lets
    visitors in) and the URL it serves, as Inferences of the handler labels (the channel from the
    project passes to the sender policy; they label no page)."""
    found: set[Inference] = set()
    for route in routes:
        if route.handler is None:
            continue
        key = handler_key(*route.handler)
        if route.anonymous is None:
            for guard in route.guards:
                if not guard.weak:
                    found.add(Inference(key, HANDLER_GUARD_LABEL, guard.text, guard.path, guard.line))
        if route.url:
            found.add(Inference(key, HANDLER_URL_LABEL, route.url, route.path, route.line))
    return sorted(found)


def health_by_url(url: str | None) -> bool:
    """Whether a URL's segments name a health subject (`/conditions/hiv-treatment`)."""
    pseudo = route_path(url) if url else ""
    return bool(pseudo) and path_signal(pseudo + "_", "markup") is not None


def sign_in_by_url(url: str | None) -> bool:
    """Whether a URL is a sign-in, sign-up or password page's (`/portal/login`)."""
    pseudo = route_path(url) if url else ""
    return bool(pseudo) and login_by_name(pseudo.rstrip("/")) is not None


def account_area_by_url(url: str | None) -> bool:
    """Whether a URL lies in a signed-in area by its folder names (`/portal/dashboard`)."""
    pseudo = route_path(url) if url else ""
    return bool(pseudo) and account_signal(pseudo + "_") is not None


def url_inferences(routes: Iterable[Route]) -> list[Inference]:
    """The URL of each route that has one, as an Inference of label URL_LABEL (the channel the
    per-file stage already has from the workers and the cache to the main process)."""
    return sorted({Inference(route.page, URL_LABEL, route.url, route.path, route.line) for route in routes
                   if route.url and route.page})


def inferences(routes: Iterable[Route]) -> list[Inference]:
    """The page labels the routes give, each with the route's evidence."""
    found: set[Inference] = set()
    for route in routes:
        if not route.page:
            continue  # a handler's route (handler_inferences)
        own_guard = route.anonymous is None and any(guard.own and not guard.weak for guard in route.guards)
        if route.sign_in is not None:
            found.add(Inference(route.page, "public", route.sign_in.text, route.sign_in.path, route.sign_in.line))
        elif not own_guard and route.url_signals and sign_in_by_url(route.url):
            found.add(Inference(route.page, "public", f"served at the login route `{route.url}`", route.path, route.line,
                                by_name=True))
        elif route.guards and route.anonymous is None:
            for guard in route.guards:
                found.add(Inference(route.page, "authenticated", guard.text, guard.path, guard.line, weak=guard.weak,
                                    own_guard=guard.own and not guard.weak))
        elif route.url_signals and route.anonymous is None and account_area_by_url(route.url):
            found.add(Inference(route.page, "authenticated", f"served at route `{route.url}`", route.path, route.line, weak=True))
        if health_by_url(route.url):
            found.add(Inference(route.page, "health", f"served at route `{route.url}`", route.path, route.line))
    return sorted(found)
