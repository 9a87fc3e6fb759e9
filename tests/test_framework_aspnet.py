"""ASP.NET (phi_lint.frameworks.aspnet, aspnet_views, lang.csharp): view-name resolution, URLs,
web.config rules, and bounded work on hostile C# and Razor (a huge file, deep nesting, a page
graph rooted at the repository's top)."""

from __future__ import annotations

import time

import pytest
from helpers import finding_lines, scan_tree, write_tree

from phi_lint.frameworks.aspnet import action_url, config_rules, page_identity
from phi_lint.frameworks.aspnet_views import component_name, view_candidates, views_root
from phi_lint.lang import csharp
from phi_lint.lang.treesitter import parse

GUARD = 20.0  # CPU seconds; each case takes well under one
PIXEL = '<img height="1" width="1" src="https://www.facebook.com/tr?id=123456789012345&ev=PageView&noscript=1"/>\n'


def test_views_root_of_mvc_views_pages_and_areas():
    assert views_root("web/Views/Records/Index.cshtml") == ("web/", "web/Views")
    assert views_root("Areas/Portal/Pages/Records/Index.cshtml") == ("", "Areas/Portal/Pages")
    assert views_root("src/Other/Index.cshtml") is None


def test_view_candidates_follow_the_view_engine_order():
    found = view_candidates("Views/Records/Index.cshtml", "_Analytics")
    assert found[:4] == ["Views/Records/_Analytics.cshtml", "Views/Records/Shared/_Analytics.cshtml",
                         "Views/_Analytics.cshtml", "Views/Shared/_Analytics.cshtml"]
    assert view_candidates("app/Views/Home/Index.cshtml", "~/Views/Shared/_Layout.cshtml") == ["app/Views/Shared/_Layout.cshtml"]
    assert view_candidates("Views/Home/Index.cshtml", "@Model.Partial") == []
    assert component_name("google-analytics") == "GoogleAnalytics"


def test_action_urls_conventional_and_attribute_routed():
    assert action_url(None, None, "Home", "Index", None) == "/"
    assert action_url(None, None, "Records", "Index", None) == "/records"
    assert action_url(None, None, "Records", "LabResult", "Portal") == "/portal/records/labresult"
    assert action_url("portal/[controller]", "{id}", "Records", "Show", None) == "/portal/Records/{id}"
    assert action_url("portal", "/login", "Account", "Login", None) == "/login"


def test_razor_page_identity_and_area():
    assert page_identity("Pages/Portal/Index.cshtml") == (None, "/Portal/Index", "/portal")
    assert page_identity("Areas/Identity/Pages/Account/Login.cshtml") == ("Identity", "/Account/Login", "/identity/account/login")
    assert page_identity("Views/Home/Index.cshtml") is None


def test_web_config_first_rule_naming_anonymous_users_decides_and_location_scopes():
    text = """<configuration>
  <system.web><authorization><allow users="*"/></authorization></system.web>
  <location path="Portal"><system.web><authorization>
    <allow roles="Admin"/><deny users="?"/>
  </authorization></system.web></location>
</configuration>"""
    rules, logins = config_rules("site/web.config", text)
    by_scope = {rule.scope: (rule.denied, rule.guard.line) for rule in rules}
    assert by_scope == {"site/Portal": (True, 4), "site": (False, 2)}
    assert logins == []


def test_attributes_and_calls_read_from_csharp():
    tree = parse('[Authorize(Roles = "x"), Area("Portal")]\npublic class A : Controller {\n'
                 '  [AllowAnonymous] public IActionResult B() { View(nameof(D)); return View("C"); }\n}\n', csharp.LANGUAGE)
    (cls,) = list(csharp.classes(tree))
    assert [(a.name, a.strings) for a in cls.attributes] == [("Authorize", ()), ("Area", ("Portal",))]
    assert cls.bases == ("Controller",)
    (method,) = cls.methods
    assert method.public and method.attributes[0].name == "AllowAnonymous"
    assert [(c.name, c.strings) for c in csharp.calls(method.node)] == [("View", ("D",)), ("View", ("C",))]


def _cpu(function, *args):
    started = time.process_time()
    value = function(*args)
    return value, time.process_time() - started


@pytest.mark.slow
def test_huge_and_deeply_nested_csharp_is_bounded(tmp_path):
    nested = "public class Deep : Controller { public IActionResult Index() { " + "{" * 20000 + "}" * 20000 + " return View(); } }\n"
    actions = "".join(f"    public IActionResult A{i}() => View(\"Missing{i}\");\n" for i in range(5000))
    files = {
        "Controllers/DeepController.cs": nested,
        "Controllers/RecordsController.cs": "[Authorize]\npublic class RecordsController : Controller {\n"
                                            + actions + "    public IActionResult Index() => View();\n}\n",
        "Views/Records/Index.cshtml": "<h1>Records</h1>\n" + PIXEL,
        "Views/Deep/Index.cshtml": "<h1>Deep</h1>\n",
    }
    write_tree(tmp_path, files)
    result, elapsed = _cpu(scan_tree, tmp_path)
    assert elapsed < GUARD, f"took {elapsed:.1f} CPU s"
    assert finding_lines(result, tmp_path) == ["PHI001 Views/Records/Index.cshtml:2 meta-pixel"]


def test_web_config_at_the_root_and_a_hostile_razor_layout_are_bounded(tmp_path):
    # a web.config at the top of the repository (its folder is "") once sent the sign-in page
    # look-up walking up from "/" for ever; a layout naming itself, partials in a cycle
    files = {
        "web.config": '<configuration><system.web><authentication><forms loginUrl="~/Login.aspx"/></authentication>'
                      '<authorization><deny users="?"/></authorization></system.web></configuration>',
        "Default.aspx": '<%@ Page Language="C#" %>\n' + PIXEL,
        "Login.aspx": '<%@ Page Language="C#" %>\n' + PIXEL,
        "Views/_ViewStart.cshtml": '@{ Layout = "_Layout"; }\n',
        "Views/Shared/_Layout.cshtml": '@{ Layout = "_Layout"; }\n' + '@Html.Partial("_A")\n' * 5000 + "@RenderBody()\n",
        "Views/Shared/_A.cshtml": '@Html.Partial("_B")\n',
        "Views/Shared/_B.cshtml": '@Html.Partial("_A")\n' + PIXEL,
    }
    write_tree(tmp_path, files)
    result, elapsed = _cpu(scan_tree, tmp_path)
    assert elapsed < GUARD, f"took {elapsed:.1f} CPU s"
    assert "PHI001 Default.aspx:2 meta-pixel" in finding_lines(result, tmp_path)
    assert not any(line.startswith("PHI001 Login.aspx") for line in finding_lines(result, tmp_path))
