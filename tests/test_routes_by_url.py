"""What a route's URL says on its own in the one resolver (phi_lint.frameworks.routes): a sign-in
URL makes the page public, an unguarded route in an account area is weak evidence of login."""

from __future__ import annotations

from phi_lint.frameworks.routes import Guard, Route, account_area_by_url, inferences, sign_in_by_url


def _labels(route: Route) -> list[tuple[str, str, bool]]:
    return [(i.label, i.text, i.weak) for i in inferences([route])]


def test_a_sign_in_url_serves_a_public_page():
    assert sign_in_by_url("/portal/login") and sign_in_by_url("/sign-in") and not sign_in_by_url("/portal/records")
    route = Route("express", "views/signin.njk", "app.js", 2, "/portal/login")
    assert _labels(route) == [("public", "served at the login route `/portal/login`", False)]


def test_an_unguarded_route_in_an_account_area_is_weakly_authenticated():
    assert account_area_by_url("/portal/dashboard") and not account_area_by_url("/news") and not account_area_by_url(None)
    route = Route("express", "views/dash.njk", "app.js", 3, "/portal/dashboard")
    assert _labels(route) == [("authenticated", "served at route `/portal/dashboard`", True)]


def test_a_guard_or_an_anonymous_marker_says_more_than_the_url():
    guard = Guard("`requireAuth` on route", "app.js", 3)
    guarded = Route("express", "views/dash.njk", "app.js", 3, "/portal/dashboard", (guard,))
    assert _labels(guarded) == [("authenticated", "`requireAuth` on route", False)]
    anonymous = Route("rails", "dash.html.erb", "config/routes.rb", 1, "/portal/dashboard", anonymous=guard)
    assert _labels(anonymous) == []
