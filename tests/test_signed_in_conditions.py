"""Conditions on the signed-in state (phi_lint/signedin, rules/signed-in-conditions.toml): the
table's own samples, what the findings say, and hostile nesting. The shapes of each dialect, both
ways, are in tests/framework_cases/signed_in_conditions.yml."""

from __future__ import annotations

import time

import pytest
from helpers import scan_tree, write_tree

from phi_lint.models import Sighting, Span
from phi_lint.regex_shapes import backtracking_problems
from phi_lint.reporters.json_report import finding_dict
from phi_lint.signedin.conditions import ConditionTableError, parse_table, table
from phi_lint.signedin.guard import guard_sightings

PIXEL = '<img height="1" width="1" src="https://www.facebook.com/tr?id=123456789012345&ev=PageView&noscript=1"/>'
CONFIG = '[pages]\nauthenticated = ["**/portal/**"]\nhealth = ["**/conditions/**"]\n'


def _samples():
    return [pytest.param(syntax, expression, meaning, id=f"{name}:{expression}")
            for name, syntax in table().items() for expression, meaning in syntax.samples]


@pytest.mark.parametrize(("syntax", "expression", "meaning"), _samples())
def test_every_sample_of_the_table_means_what_it_says(syntax, expression, meaning):
    found = syntax.meaning(expression)
    assert (found.describe() if found else "unknown") == meaning


@pytest.mark.parametrize(("syntax", "expression", "meaning"), _samples())
def test_every_sample_that_means_something_holds_a_keyword_of_its_syntax(syntax, expression, meaning):
    """The keywords are the gate before any branch reader runs (a file with none of them is not
    searched): a condition the syntax reads but none of its keywords names would be lost."""
    assert syntax.keywords, syntax.name
    if meaning != "unknown":
        assert syntax.may_read(expression.lower()), (syntax.name, expression)


def test_a_file_without_a_keyword_is_not_searched_for_branches():
    from phi_lint.signedin.guard import file_branches

    shown = "{% if not user.is_authenticated %}<script src=x></script>{% endif %}\n"
    assert file_branches("layout.html", "markup", shown, [])
    # the same block on a condition no syntax reads (no keyword): no branch, and no reader ran
    assert file_branches("layout.html", "markup", shown.replace("user.is_authenticated", "promo_on"), []) == []


def test_every_syntax_has_samples_of_each_kind_it_reads():
    for name, syntax in table().items():
        kinds = {meaning for _, meaning in syntax.samples}
        assert {"signed-out", "unknown"} <= kinds, name


def test_the_table_regexes_do_not_backtrack():
    for name, syntax in table().items():
        for pattern in (syntax.signed_in, syntax.signed_out, syntax.negation, syntax.conjunction, syntax.disjunction,
                        *syntax.path_prefix):
            if pattern is not None:
                assert backtracking_problems(pattern.pattern) == [], (name, pattern.pattern)


@pytest.mark.parametrize(("data", "fragment"), [
    ({}, "needs [syntax.<name>]"),
    ({"syntax": {"x": {"reader": "nope"}}}, "reader 'nope'"),
    ({"syntax": {"x": {"reader": "jinja", "signed_in": ["(unclosed"]}}}, "invalid regular expression"),
    ({"syntax": {"x": {"reader": "vue", "expressions": "missing"}}}, "names no [syntax.*]"),
])
def test_a_broken_table_names_the_key(data, fragment):
    with pytest.raises(ConditionTableError, match=fragment.replace("[", r"\[").replace("(", r"\(")):
        parse_table(data)


def _layout_repo(tmp_path, condition: str, end: str = "{% endif %}", health: bool = True):
    files = {
        "phi-lint.toml": CONFIG,
        "templates/layout.html": f"<html><head>\n{condition}\n{PIXEL}\n{end}\n</head>{{% block body %}}{{% endblock %}}</html>\n",
        "templates/portal/messages.html": '{% extends "layout.html" %}\n',
    }
    if health:
        files["templates/conditions/asthma.html"] = '{% extends "layout.html" %}\n'
    write_tree(tmp_path, files)


def test_the_kept_phi002_says_why_the_portal_does_not_count(tmp_path):
    _layout_repo(tmp_path, "{% if not current_user.is_authenticated %}")
    [finding] = [f for f in scan_tree(tmp_path).findings if f.rule_id != "PHI100"]
    assert finding.rule_id == "PHI002"
    why = ("Only for signed-out visitors: inside `{% if not current_user.is_authenticated %}` "
           "(templates/layout.html:2), so it is not loaded for signed-in visitors and the authenticated "
           "page it reaches (templates/portal/messages.html) does not count.")
    assert why in finding.notes
    assert finding.message.endswith(why)


def test_only_the_portal_reached_is_inventory_with_the_reason_in_json(tmp_path):
    _layout_repo(tmp_path, "{% if not current_user.is_authenticated %}", health=False)
    result = scan_tree(tmp_path)
    [finding] = [finding_dict(f, result) for f in result.findings]
    assert finding["rule"] == "PHI100"
    assert "fires a pixel only for signed-out visitors" in finding["message"]
    assert any("not loaded for signed-in visitors" in note for note in finding["notes"])
    assert finding["details"]["signedIn"] == {
        "shown": "signed-out",
        "condition": "inside `{% if not current_user.is_authenticated %}`",
        "path": "templates/layout.html",
        "line": 2,
    }


def test_the_else_branch_is_named_and_keeps_phi001(tmp_path):
    _layout_repo(tmp_path, "{% if not current_user.is_authenticated %}<p>Sign in</p>{% else %}", health=False)
    [finding] = scan_tree(tmp_path).findings
    assert finding.rule_id == "PHI001"
    assert finding.sighting.details["signedIn"]["shown"] == "signed-in"
    assert finding.sighting.details["signedIn"]["condition"] == (
        "in the `{% else %}` branch of `{% if not current_user.is_authenticated %}`")
    assert not any("signed-out" in note for note in finding.notes)


def _sighting(path: str, line: int, column: int = 1) -> Sighting:
    return Sighting("meta-pixel", path, Span(line, column, line, column + 10), "pixel", "x")


NESTED = 10_000


@pytest.mark.parametrize(("name", "opener", "closer"), [
    ("a.html", "{% if not user.is_authenticated %}", "{% endif %}"),
    ("a.html.erb", "<% unless user_signed_in? %>", "<% end %>"),
    ("a.blade.php", "@guest", "@endguest"),
    ("a.hbs", "{{#unless currentUser}}", "{{/unless}}"),
    ("a.vue", '<div v-if="!user">', "</div>"),
])
@pytest.mark.parametrize("closed", [True, False], ids=["closed", "unclosed"])
def test_ten_thousand_nested_conditions_are_bounded(name, opener, closer, closed):
    text = opener * NESTED + "\n" + PIXEL + "\n" + (closer * NESTED if closed else "")
    began = time.perf_counter()
    [marked] = guard_sightings(name, "markup", text, [_sighting(name, 2)])
    assert time.perf_counter() - began < 10
    guard = (marked.details or {}).get("signedIn")
    if closed:
        assert guard is not None and guard["shown"] == "signed-out"
    else:
        assert guard is None  # an unclosed block is not relied on


@pytest.mark.parametrize(("name", "text"), [
    ("a.html", "{%" * 50_000),
    ("a.html", "{% if not user %}" + "{% endif" * 30_000),
    ("a.html.erb", "<%" * 50_000),
    ("a.blade.php", "@if(" * 30_000),
    ("a.hbs", "{{#if " * 30_000),
    ("a.vue", '<div v-if="' * 30_000),
    ("a.vue", "<a " * 30_000),
])
def test_hostile_openers_without_closers_are_linear(name, text):
    text = text + "\n" + PIXEL + "\n"
    line = text.count("\n")
    began = time.perf_counter()
    [marked] = guard_sightings(name, "markup", text, [_sighting(name, line)])
    assert time.perf_counter() - began < 10
    assert "signedIn" not in (marked.details or {})


def test_deeply_nested_jsx_is_bounded():
    code = "export const A = (session) => " + "(!session && " * 2000 + "fbq('init', '1')" + ")" * 2000 + ";\n"
    column = code.index("fbq") + 1
    began = time.perf_counter()
    [marked] = guard_sightings("a.jsx", "script", code, [_sighting("a.jsx", 1, column)])
    assert time.perf_counter() - began < 10
    assert marked.details is None or marked.details.get("signedIn", {}).get("shown") in (None, "signed-out")
