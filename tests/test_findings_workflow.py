"""Findings a developer can trust at a glance (issue 12, bugs 1-5): the pre-commit run judges only
the suppressions of the files it reports on, every rule is reported on its own pages, summaries
count what is hidden, BAA advice follows the catalogue, and rule help names every mechanism."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import finding_lines, run_cli, write_tree
from phi_lint.scan import ScanOptions, scan

# A small Flask site as a new user writes it: one base layout with GTM and a Meta Pixel (under a
# reasoned inline ignore), Hotjar in a partial, a @login_required patient area and a public
# page about a condition.
FLASK_APP = '''\
from flask import Flask, render_template
from flask_login import login_required

app = Flask(__name__)


@app.route("/")
def home():
    return render_template("index.html")


@app.route("/patient/dashboard")
@login_required
def dashboard():
    return render_template("patient/dashboard.html")


@app.route("/conditions/diabetes")
def diabetes():
    return render_template("conditions/diabetes.html")
'''
BASE = """\
<!doctype html>
<html>
<head>
  <title>{% block title %}Clinic{% endblock %}</title>
</head>
<body>
  {% include "_analytics.html" %}
  {% block content %}{% endblock %}
  {# phi-lint: ignore[PHI001] the pixel is approved by privacy, ticket SEC-9 #}
  <script>
    fbq('init', '123456789012345');
    fbq('track', 'PageView');
  </script>
</body>
</html>
"""
ANALYTICS = '<script src="https://static.hotjar.com/c/hotjar-1234567.js?sv=6"></script>\n'
INDEX = '{% extends "base.html" %}\n{% block content %}<h1>Welcome</h1>{% endblock %}\n'
DASHBOARD = '{% extends "base.html" %}\n{% block content %}<h1>Your appointments</h1>{% endblock %}\n'
DIABETES = (
    '{% extends "base.html" %}\n'
    "{% block title %}Type 2 diabetes: symptoms and treatment{% endblock %}\n"
    "{% block content %}<h1>Type 2 diabetes</h1><p>Symptoms, diagnosis and treatment.</p>{% endblock %}\n"
)


def flask_site(root: Path, base: str = BASE, analytics: str = ANALYTICS) -> Path:
    (root / ".git").mkdir(parents=True, exist_ok=True)  # the project root, as in a real clone
    return write_tree(
        root,
        {
            "app.py": FLASK_APP,
            "templates/base.html": base,
            "templates/_analytics.html": analytics,
            "templates/index.html": INDEX,
            "templates/patient/dashboard.html": DASHBOARD,
            "templates/conditions/diabetes.html": DIABETES,
        },
    )


def _scan(*paths: Path, **options):
    return scan(ScanOptions(paths=list(paths), **options))


def _rules(result) -> list[str]:
    return [f.rule_id for f in result.findings]


# -- bug 1: a named-file run judges only the suppressions of the files it reports on ----------


@pytest.mark.parametrize("use_cache", [False, True])
@pytest.mark.parametrize("named", ["templates/_analytics.html", "templates/patient/dashboard.html"])
def test_named_file_run_reports_no_phi900_for_ignores_in_other_files(tmp_path, named, use_cache):
    root = flask_site(tmp_path)
    if use_cache:
        _scan(root, use_cache=True)  # a full run fills the cache first, as a developer's would
    result = _scan(root / named, use_cache=use_cache, force_exclude=True)
    assert "PHI900" not in _rules(result)
    assert all(f.sighting.path == named for f in result.findings)


def test_full_scan_uses_the_ignore_and_reports_no_phi900(tmp_path):
    root = flask_site(tmp_path)
    result = _scan(root, use_cache=False)
    assert "PHI900" not in _rules(result)
    assert [f.rule_id for f in result.suppressed] == ["PHI001"]


def test_named_file_with_the_ignore_is_still_judged(tmp_path):
    """The file named holds the ignore: it is judged as in a full run, stale or not."""
    root = flask_site(tmp_path)
    result = _scan(root / "templates/base.html", use_cache=False)
    assert "PHI900" not in _rules(result)
    stale = BASE.replace("fbq('init', '123456789012345');\n    fbq('track', 'PageView');", "")
    write_tree(root, {"templates/base.html": stale})
    result = _scan(root / "templates/base.html", use_cache=False)
    assert _rules(result) == ["PHI900"]


def test_precommit_style_cli_run_passes_with_an_ignore_elsewhere(tmp_path):
    root = flask_site(tmp_path, analytics="<p>no tracker in this partial</p>\n")
    proc = run_cli("-q", "--force-exclude", "templates/_analytics.html", cwd=root)
    assert "PHI900" not in proc.stdout, proc.stdout
    assert proc.returncode == 0, proc.stdout + proc.stderr


# -- bug 2: every rule is reported, selected and suppressed on its own pages ---------------------

UNSUPPRESSED_BASE = BASE.replace("  {# phi-lint: ignore[PHI001] the pixel is approved by privacy, ticket SEC-9 #}\n", "")


def _by_rule(result) -> dict[str, list[str]]:
    return {f.rule_id: [p.page for p in f.pages] for f in result.findings if f.sighting.vendor_id == "meta-pixel"}


def test_a_layout_reaching_portal_and_health_pages_gets_one_finding_per_rule(tmp_path):
    root = flask_site(tmp_path, base=UNSUPPRESSED_BASE)
    result = _scan(root, use_cache=False)
    assert _by_rule(result) == {
        "PHI001": ["templates/patient/dashboard.html"],
        "PHI002": ["templates/conditions/diabetes.html"],
    }
    pixel = [f for f in result.findings if f.sighting.vendor_id == "meta-pixel"]
    assert [f.level for f in pixel] == ["error", "warning"]
    assert len({f.fingerprint for f in pixel}) == 2
    assert "templates/conditions/diabetes.html" in pixel[1].message and "health page" in pixel[1].message


def test_select_phi002_reports_the_health_exposure(tmp_path):
    root = flask_site(tmp_path, base=UNSUPPRESSED_BASE)
    result = _scan(root, use_cache=False, select=["PHI002"])
    assert finding_lines(result, root) == ["PHI002 templates/base.html:10 meta-pixel"]
    proc = run_cli("--no-cache", "--select", "PHI002", ".", cwd=root)
    assert proc.returncode == 1 and "No trackers on authenticated or health pages" not in proc.stdout
    assert "templates/conditions/diabetes.html" in proc.stdout


def test_ignore_for_phi001_leaves_the_health_exposure(tmp_path):
    root = flask_site(tmp_path)
    result = _scan(root, use_cache=False)
    assert [(f.rule_id, f.suppression.kind) for f in result.suppressed] == [("PHI001", "inSource")]
    assert "PHI002 templates/base.html:11 meta-pixel" in finding_lines(result, root)


def test_session_replay_names_the_health_pages_too(tmp_path):
    root = flask_site(tmp_path)
    [replay] = [f for f in _scan(root, use_cache=False).findings if f.rule_id == "PHI003"]
    assert [p.page for p in replay.pages] == ["templates/patient/dashboard.html", "templates/conditions/diabetes.html"]
    assert "an authenticated page" in replay.message and "a health page" in replay.message


def test_the_health_page_is_in_json_sarif_and_markdown(tmp_path):
    from phi_lint.reporters.json_report import render_json
    from phi_lint.reporters.markdown import render_markdown
    from phi_lint.reporters.sarif import render_sarif

    result = _scan(flask_site(tmp_path, base=UNSUPPRESSED_BASE), use_cache=False)
    data = json.loads(render_json(result))
    phi002 = [f for f in data["findings"] if f["rule"] == "PHI002"]
    assert [p["page"] for f in phi002 for p in f["pages"]] == ["templates/conditions/diabetes.html"]
    sarif = json.loads(render_sarif(result))
    results = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "PHI002"]
    related = results[0]["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert related == "templates/conditions/diabetes.html"
    markdown = render_markdown(result)
    assert "`PHI002`" in markdown and "templates/conditions/diabetes.html" in markdown


def test_data_sent_from_a_layout_names_both_kinds_of_page(tmp_path):
    base = UNSUPPRESSED_BASE.replace("fbq('track', 'PageView');", "fbq('track', 'ViewContent', {content_name: '{{ diagnosis }}'});")
    root = flask_site(tmp_path, base=base)
    [sent] = [f for f in _scan(root, use_cache=False).findings if f.rule_id == "PHI004"]
    assert [p.page for p in sent.pages] == ["templates/patient/dashboard.html", "templates/conditions/diabetes.html"]
    assert "an authenticated page" in sent.message and "a health page" in sent.message
