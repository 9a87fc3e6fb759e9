"""`-f routes`: the sensitive pages with a known URL, what is expected there, on fixtures."""

from __future__ import annotations

import json

import pytest
from helpers import REPO, scan_tree, write_tree

from phi_lint.reporters.page_urls import example_url, from_evidence, from_file_router, from_static_site
from phi_lint.reporters.routes import render_routes


def _routes(path) -> dict:
    return json.loads(render_routes(scan_tree(path)))


def _by_pattern(document: dict, prefix: str) -> dict[str, dict]:
    return {r["pattern"]: r for r in document["routes"] if r["page"].startswith(prefix)}


@pytest.mark.parametrize(("pattern", "example"), [
    ("/records/<int:id>", "/records/1"),
    ("/records/:id", "/records/1"),
    ("/records/[id]", "/records/1"),
    ("/records/{record}", "/records/1"),
    ("/conditions/<slug>", "/conditions/example"),
    ("/docs/[...slug]", "/docs/example"),
    ("/files/<path:rest>", "/files/example"),
    ("/u/<uuid:key>", "/u/00000000-0000-4000-8000-000000000001"),
    ("/a/{id?}", "/a/1"),
    ("/portal/", "/portal/"),
])
def test_example_url_fills_each_parameter_syntax(pattern, example):
    assert example_url(pattern) == example


def test_urls_from_evidence_routers_and_static_sites():
    assert from_evidence("served at route `/portal/` (weak signal)") == "/portal/"
    assert from_evidence("`auth` middleware on route GET /records/{record} (RecordController@show)") == "/records/{record}"
    assert from_evidence("`app.use('/portal', requireAuth)` guards Express route `GET /portal/visits` (renders `x`)") == "/portal/visits"
    assert from_evidence("extends a/layout.html, Vue Router route `/labs` has `meta`") is None  # the layout's route
    assert from_evidence("path segment `portal/`") is None
    assert from_file_router("web/app/(portal)/records/[id]/page.tsx") == ("/records/[id]", "Next.js app router")
    assert from_file_router("src/routes/(app)/account/+page.svelte") == ("/account", "SvelteKit")
    assert from_file_router("pages/index.vue")[0] == "/"
    assert from_file_router("pages/_app.tsx") is None
    assert from_file_router("templates/pages/a.html") is None  # a template, not a page-file router
    assert from_static_site("site/conditions/migraine.html") == ("/conditions/migraine.html", "site/")
    assert from_static_site("templates/portal/a.html") is None


def test_demo_clinic_routes():
    document = _routes(REPO / "fixtures" / "demo-clinic")
    routes = _by_pattern(document, "fixtures/demo-clinic/")
    assert set(routes) == {"/portal/", "/portal/messages", "/conditions/migraine.html"}
    portal = routes["/portal/"]
    assert portal["page"].endswith("templates/portal/dashboard.html")
    assert portal["source"] == "route" and portal["sourceEvidence"]["path"].endswith("app.py")  # the Flask route
    assert portal["labels"] == ["authenticated", "health"]
    vendors = {v["vendor"]: v for v in portal["vendors"]}
    assert set(vendors) == {"hotjar", "meta-pixel", "segment"}
    assert "static.hotjar.com" in vendors["hotjar"]["hosts"] and "connect.facebook.net" in portal["hosts"]
    assert vendors["segment"]["rules"] == ["PHI100"]  # lowered by baa-vendors, still loaded there
    migraine = routes["/conditions/migraine.html"]
    assert migraine["source"] == "static-file" and migraine["labels"] == ["health"]
    assert {v["vendor"] for v in migraine["vendors"]} == {"google-analytics", "meta-pixel", "tiktok-pixel"}
    assert any(e["label"] == "health" and "site/conditions/**" in e["text"] for e in migraine["evidence"])


def test_nextjs_file_router_routes_with_an_example_url():
    document = _routes(REPO / "fixtures" / "nextjs-app")
    routes = _by_pattern(document, "fixtures/nextjs-app/")
    assert routes["/records/[id]"]["exampleUrl"] == "/records/1"
    assert routes["/records/[id]"]["source"] == "file-router"
    assert "/dashboard" in routes and "authenticated" in routes["/dashboard"]["labels"]


def test_laravel_routes_from_middleware_evidence():
    routes = _by_pattern(_routes(REPO / "fixtures" / "laravel-portal"), "fixtures/laravel-portal/")
    assert routes["/records/{record}"]["exampleUrl"] == "/records/1"
    assert routes["/records/{record}"]["page"].endswith("resources/views/records/show.blade.php")


def test_public_pages_are_not_listed_and_pages_without_url_are_said(tmp_path):
    pixel = "<script src=\"https://connect.facebook.net/en_US/fbevents.js\"></script><script>fbq('init','000111222333444')</script>\n"
    write_tree(tmp_path, {
        "site/index.html": "<h1>Home</h1>" + pixel,
        "templates/portal/home.html": "{# phi-lint: authenticated #}<h1>Hi</h1>" + pixel,
        "site/account/bills.html": "<!-- phi-lint: authenticated --><h1>Bills</h1>" + pixel,
    })
    document = _routes(tmp_path)
    assert [r["pattern"] for r in document["routes"]] == ["/account/bills.html"]
    assert [p["page"] for p in document["pagesWithoutRoute"]] == ["templates/portal/home.html"]
    assert document["routes"][0]["vendors"][0]["vendor"] == "meta-pixel"


def test_django_urls_come_from_the_route_table():
    """Django's guards (`@login_required`, LoginRequiredMixin) say nothing of the URL: the
    URLconf's path() does, and `portal/` is served at /portal/."""
    routes = _by_pattern(_routes(REPO / "fixtures" / "django-clinic"), "fixtures/django-clinic/")
    assert {"/portal/", "/portal/appointments/", "/portal/results/<int:pk>/"} <= set(routes)
    results = routes["/portal/results/<int:pk>/"]
    assert results["page"].endswith("clinic/templates/clinic/labresult_detail.html")
    assert results["source"] == "route" and results["exampleUrl"] == "/portal/results/1/"
    assert results["sourceEvidence"]["path"].endswith("clinic/urls.py") and results["sourceEvidence"]["line"] == 14
    assert document_unrouted(REPO / "fixtures" / "django-clinic") == []


def test_rails_urls_come_from_config_routes_rb():
    """`resources`, singular `resource` and `namespace` in config/routes.rb give each view's URL."""
    routes = _by_pattern(_routes(REPO / "fixtures" / "rails-portal"), "fixtures/rails-portal/")
    assert {pattern: route["page"].split("app/views/")[1] for pattern, route in routes.items()} == {
        "/admin/reports": "admin/reports/index.html.erb",
        "/appointments": "appointments/index.html.erb",
        "/appointments/:id": "appointments/show.html.erb",
        "/dashboard": "dashboard/show.html.erb",
        "/messages": "messages/index.html.erb",
        "/plans/:id": "plans/show.html.erb",
    }
    assert routes["/dashboard"]["sourceEvidence"] == {
        "text": "route `/dashboard`", "path": "fixtures/rails-portal/config/routes.rb", "line": 8,
    }
    assert document_unrouted(REPO / "fixtures" / "rails-portal") == []


def test_express_urls_come_from_the_route_table():
    routes = _by_pattern(_routes(REPO / "fixtures" / "express-nunjucks"), "fixtures/express-nunjucks/")
    assert routes["/portal/visits"]["page"].endswith("views/portal/visits.njk")
    assert routes["/portal/visits"]["source"] == "route"
    assert routes["/portal/visits"]["sourceEvidence"]["path"].endswith("routes/portal.js")


def test_rails_route_shapes(tmp_path):
    from phi_lint.frameworks.rails_urls import action_urls

    code = (
        "Rails.application.routes.draw do\n"
        "  root to: 'pages#home'\n"
        "  get 'conditions/:slug', to: 'conditions#show'\n"
        "  scope '/portal', module: 'portal' do\n"
        "    resources :records, except: :destroy do\n"
        "      get :history\n"
        "    end\n"
        "  end\n"
        "  resource :profile, only: [:show, :edit]\n"
        "end\n"
    )
    urls = {key: url for key, (url, _line) in action_urls("config/routes.rb", code).items()}
    assert urls == {
        ("pages", "home"): "/",
        ("conditions", "show"): "/conditions/:slug",
        ("portal/records", "index"): "/portal/records",
        ("portal/records", "show"): "/portal/records/:id",
        ("portal/records", "new"): "/portal/records/new",
        ("portal/records", "edit"): "/portal/records/:id/edit",
        ("portal/records", "history"): "/portal/records/:id/history",
        ("profiles", "show"): "/profile",
        ("profiles", "edit"): "/profile/edit",
    }


def test_the_route_table_wins_and_evidence_is_the_fallback():
    from phi_lint.inference.model import URL_LABEL, Inference
    from phi_lint.models import Evidence
    from phi_lint.reporters.page_urls import page_url

    evidence = [Evidence("served at route `/old/`", "app.py", 3)]
    route = Inference("t/portal.html", URL_LABEL, "portal/", "clinic/urls.py", 12)
    assert page_url("t/portal.html", evidence, route).pattern == "/portal/"
    assert page_url("t/portal.html", evidence, route).source == "route"
    assert page_url("t/portal.html", evidence).pattern == "/old/"
    assert page_url("t/portal.html", evidence).source == "evidence"


def document_unrouted(path) -> list[str]:
    return [p["page"] for p in _routes(path)["pagesWithoutRoute"]]
