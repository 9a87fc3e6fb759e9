"""The framework registry (phi_lint.frameworks) and the one route resolver (frameworks.routes)."""

from __future__ import annotations

import sys
import types

import pytest

from phi_lint.frameworks import Framework, register, registered
from phi_lint.frameworks.routes import Guard, Route, health_by_url, inferences


def _module(name: str, *classes) -> str:
    module = types.ModuleType(name)
    for cls in classes:
        setattr(module, cls.__name__, cls)
    sys.modules[name] = module
    return name


def test_registry_keeps_module_order_and_one_instance_per_id():
    @register
    class Second(Framework):
        id = "test-second"
        name = "Second"

    @register
    class First(Framework):
        id = "test-first"
        name = "First"

    names = [_module("phi_lint_test_fw_a", First), _module("phi_lint_test_fw_b", Second)]
    found = registered(names)
    assert [f.id for f in found] == ["test-first", "test-second"]
    assert registered(names)[0] is found[0]
    assert registered(list(reversed(names)))[0].id == "test-second"


def test_a_framework_needs_an_id_and_a_name_and_ids_are_unique():
    with pytest.raises(ValueError, match="needs an id"):
        @register
        class Nameless(Framework):
            id = "test-nameless"

    @register
    class One(Framework):
        id = "test-dup"
        name = "One"

    with pytest.raises(ValueError, match="two frameworks"):
        @register
        class Other(Framework):
            id = "test-dup"
            name = "Other"


def test_default_hooks_add_nothing():
    framework = Framework()
    assert list(framework.routes(None, None)) == [] and list(framework.infer_project(None, None)) == []
    assert framework.file_hints("a.py", "x") == ()


GUARD = Guard("`before_action :authenticate_user!`", "app/controllers/records_controller.rb", 2)


def test_guarded_route_puts_its_page_behind_login_with_the_guard_as_evidence():
    found = inferences([Route("rails", "app/views/records/index.html.erb", "config/routes.rb", 3, "/records", (GUARD,))])
    assert [(i.page, i.label, i.text, i.path, i.line) for i in found] == [
        ("app/views/records/index.html.erb", "authenticated", GUARD.text, GUARD.path, 2)
    ]


def test_anonymous_marker_wins_over_guards_and_a_route_without_guards_says_nothing():
    skip = Guard("`skip_before_action :authenticate_user!`", "app/controllers/news_controller.rb", 2)
    assert inferences([Route("rails", "news.html.erb", "config/routes.rb", 1, "/news", (GUARD,), anonymous=skip)]) == []
    assert inferences([Route("rails", "news.html.erb", "config/routes.rb", 1, "/news")]) == []


def test_sign_in_route_is_public_not_authenticated():
    sign_in = Guard("Devise sign-in page", "config/routes.rb", 4)
    found = inferences([Route("rails", "devise/sessions/new.html.erb", "config/routes.rb", 4, "/login", (GUARD,), sign_in=sign_in)])
    assert [(i.label, i.text) for i in found] == [("public", "Devise sign-in page")]


def test_health_url_makes_the_page_health_whatever_renders_it():
    assert health_by_url("/conditions/hiv-treatment") and not health_by_url("/about/team")
    assert not health_by_url(None) and not health_by_url("/<slug>")
    found = inferences([Route("flask", "templates/article.html", "app.py", 4, "/conditions/hiv-treatment")])
    assert [(i.label, i.text, i.path, i.line) for i in found] == [
        ("health", "served at route `/conditions/hiv-treatment`", "app.py", 4)
    ]


def test_only_the_hooks_a_framework_defines_are_called_per_file():
    from phi_lint.frameworks import overrides

    class RoutesOnly(Framework):
        id = "test-routes-only"
        name = "Routes only"

        def file_routes(self, source, repo):
            return ()

    framework = RoutesOnly()
    assert overrides(framework, "file_routes")
    assert not overrides(framework, "infer_source") and not overrides(framework, "source_edges")
    assert not overrides(Framework(), "file_routes")
