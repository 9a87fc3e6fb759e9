"""Findings a developer can trust at a glance (issue 12, bugs 1-5): the pre-commit run judges only
the suppressions of the files it reports on, every rule is reported on its own pages, summaries
count what is hidden, BAA advice follows the catalogue, and rule help names every mechanism."""

from __future__ import annotations

import json
import re
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


# -- bug 3: summaries count what is hidden, trackers only, and pages only ------------------------


def _text(result, **options) -> str:
    from phi_lint.reporters.text import TextOptions, render_text

    return render_text(result, TextOptions(**options))


def _baselined(tmp_path):
    """The Flask site with every finding in a baseline, scanned against it."""
    from phi_lint.baseline import entries_for, write_baseline

    root = flask_site(tmp_path, base=UNSUPPRESSED_BASE)
    first = _scan(root, use_cache=False)
    write_baseline(root / ".phi-lint-baseline.json", entries_for(first.findings))
    return first, _scan(root, use_cache=False, baseline=root / ".phi-lint-baseline.json")


def test_text_summary_says_how_many_problems_the_baseline_hides(tmp_path):
    first, result = _baselined(tmp_path)
    hidden = len([f for f in first.findings if f.level != "note"])
    assert result.findings == [] and hidden == 3
    text = _text(result)
    assert "No trackers on authenticated or health pages" not in text
    assert f"No problems reported, but {hidden} problems are suppressed ({hidden} by the baseline)" in text
    assert "the trackers are still in the code" in text


def test_markdown_and_json_say_what_is_suppressed(tmp_path):
    from phi_lint.reporters.json_report import render_json
    from phi_lint.reporters.markdown import render_markdown

    _first, result = _baselined(tmp_path)
    markdown = render_markdown(result)
    assert markdown.startswith("## phi-lint: no problems reported, but 3 problems are suppressed (3 by the baseline)")
    assert "no trackers on authenticated" not in markdown
    summary = json.loads(render_json(result))["summary"]
    assert summary["suppressed"] == 3 and summary["suppressedByKind"] == {"baseline": 3}


def test_a_clean_run_still_says_no_trackers(tmp_path):
    root = flask_site(tmp_path, base=INDEX, analytics="<p>nothing</p>\n")
    assert "No trackers on authenticated or health pages." in _text(_scan(root, use_cache=False))


def test_phi900_is_not_counted_as_a_vendor(tmp_path):
    from phi_lint.reporters.json_report import render_json
    from phi_lint.reporters.markdown import render_markdown

    bare = BASE.replace("ignore[PHI001] the pixel is approved by privacy, ticket SEC-9", "ignore[PHI001]")
    result = _scan(flask_site(tmp_path, base=bare), use_cache=False)
    assert "PHI900" in _rules(result)
    vendors = [line for line in _text(result).splitlines() if line.startswith("Vendors:")]
    assert vendors == ["Vendors: Hotjar 1, Meta Pixel 1."]
    assert "phi-lint" not in json.loads(render_json(result))["summary"]["byVendor"]
    assert "`phi-lint`" not in render_markdown(result)


DEMO = Path(__file__).resolve().parent.parent / "fixtures" / "demo-clinic"


def _demo_findings():
    result = _scan(DEMO, use_cache=False)
    root = result.root
    prefix = DEMO.resolve().relative_to(root).as_posix() + "/"
    return result, {(f.rule_id, f.sighting.path.removeprefix(prefix)): f for f in result.findings}


def test_a_script_and_a_layout_are_not_pages():
    result, findings = _demo_findings()
    booking = findings[("PHI002", "site/js/booking.js")]
    assert [p.page.rsplit("/", 1)[-1] for p in booking.pages] == ["migraine.html"]
    assert "reaches a health page:" in booking.message and "2 health pages" not in booking.message
    assert [p.page.rsplit("/", 1)[-1] for p in findings[("PHI004", "site/js/booking.js")].pages] == ["migraine.html"]
    replay = findings[("PHI003", "templates/portal/layout.html")]
    assert [p.page.rsplit("/", 1)[-1] for p in replay.pages] == ["dashboard.html", "messages.html"]
    assert "reaches 2 authenticated pages" in replay.message
    # the layout stays in the chain of each page
    assert all(p.chain[-1].endswith("templates/portal/layout.html") for p in replay.pages)


def test_every_format_lists_the_same_pages():
    from phi_lint.reporters.json_report import render_json
    from phi_lint.reporters.markdown import render_markdown
    from phi_lint.reporters.sarif import render_sarif

    result, _findings = _demo_findings()
    data = json.loads(render_json(result))
    sarif = json.loads(render_sarif(result))["runs"][0]["results"]
    for finding, dumped, logged in zip(result.findings, data["findings"], sarif):
        pages = [p.page for p in finding.pages]
        assert [p["page"] for p in dumped["pages"]] == pages
        assert logged["properties"]["pages"] == pages and logged["properties"]["pageCount"] == len(pages)
    rows = [row for row in render_markdown(result).splitlines() if "booking.js:19`" in row]
    pages = [re.split(r"(?<!\\)\|", row)[5].strip() for row in rows]  # the Pages cell
    assert len(rows) == 2 and all(cell.endswith("migraine.html`") and "this file" not in cell for cell in pages)


def test_a_tagged_partial_still_counts_when_no_page_says_so(tmp_path):
    """A partial is no page, but where it alone says the code runs behind login, it is kept:
    leaving it out would turn the exposure into an inventory note."""
    (tmp_path / ".git").mkdir()
    write_tree(
        tmp_path,
        {
            "templates/base.html": '<html><body>{% include "portal/_chat.html" %}</body></html>\n',
            "templates/portal/_chat.html": "{# phi-lint: authenticated #}\n<script>fbq('init', '123456789012345');</script>\n",
            "templates/home.html": '{% extends "base.html" %}\n',
        },
    )
    [finding] = _scan(tmp_path, use_cache=False).findings
    assert finding.rule_id == "PHI001"
    assert [p.page for p in finding.pages] == ["templates/portal/_chat.html"]


def test_a_standalone_script_is_its_own_page(tmp_path):
    write_tree(tmp_path, {"portal/app.tsx": "// phi-lint: authenticated\nfbq('init', '123456789012345');\n"})
    [finding] = _scan(tmp_path, use_cache=False).findings
    assert finding.rule_id == "PHI001" and [p.page for p in finding.pages] == ["portal/app.tsx"]


# -- bug 4: BAA advice follows the catalogue, and what baa-vendors lowers is said ----------------

GA = '<script async src="https://www.googletagmanager.com/gtag/js?id=G-ABCDE12345"></script>\n'


def test_help_line_of_a_vendor_that_signs_no_baa_does_not_suggest_baa_vendors(tmp_path):
    base = UNSUPPRESSED_BASE.replace("</head>", GA + "</head>")
    result = _scan(flask_site(tmp_path, base=base), use_cache=False)
    hints = {(f.rule_id, f.sighting.vendor_id): f.help_hint for f in result.findings}
    for key in (("PHI001", "google-analytics"), ("PHI003", "hotjar")):
        assert "baa-vendors" not in hints[key] and "sign a BAA" not in hints[key], hints[key]
        assert "does not sign BAAs" in hints[key]
    assert "or record a BAA with `baa-vendors`" in hints[("PHI001", "meta-pixel")]  # catalogue: unknown
    text = _text(result)
    help_lines = [line for line in text.splitlines() if "Google Analytics does not sign BAAs" in line]
    assert help_lines and all(line.lstrip().startswith("help:") for line in help_lines)


def test_baa_vendors_naming_a_vendor_without_baa_is_a_warning(tmp_path):
    root = flask_site(tmp_path)
    write_tree(root, {"phi-lint.toml": 'baa-vendors = ["google-analytics", "hotjar", "meta-pixel"]\n'})
    result = _scan(root, use_cache=False)
    warnings = [n for n in result.notifications if n.level == "warning"]
    assert [(n.path, n.code) for n in warnings] == [("phi-lint.toml", "config")] * 2
    assert "`baa-vendors` lists `google-analytics`" in warnings[0].message
    assert "Google Analytics does not sign BAAs" in warnings[0].message
    assert "`hotjar`" in warnings[1].message
    proc = run_cli("--no-cache", ".", cwd=root)
    assert "warning: phi-lint.toml: `baa-vendors` lists `google-analytics`" in proc.stderr


SENDS = UNSUPPRESSED_BASE.replace("fbq('track', 'PageView');", "fbq('track', 'ViewContent', {content_name: '{{ diagnosis }}'});")


def test_a_baa_claim_never_hides_phi004(tmp_path):
    root = flask_site(tmp_path, base=SENDS)
    write_tree(root, {"phi-lint.toml": 'baa-vendors = ["meta-pixel"]\n'})
    result = _scan(root, use_cache=False)
    [sent] = [f for f in result.findings if f.sighting.kind == "data-sent"]
    assert sent.rule_id == "PHI004" and sent.level == "error"
    assert "baa-vendors, which does not lower PHI004" in sent.message
    assert "baa-vendors" not in sent.help_hint.split(";")[0]


def test_the_summary_says_what_baa_vendors_lowered(tmp_path):
    from phi_lint.reporters.json_report import render_json
    from phi_lint.reporters.markdown import render_markdown

    root = flask_site(tmp_path, base=UNSUPPRESSED_BASE)
    write_tree(root, {"phi-lint.toml": 'baa-vendors = ["meta-pixel"]\n'})
    result = _scan(root, use_cache=False)
    [note] = [f for f in result.findings if f.sighting.vendor_id == "meta-pixel"]
    assert note.rule_id == "PHI100" and note.lowered_from == ("PHI001", "PHI002")
    assert [p.page for p in note.pages] == ["templates/patient/dashboard.html", "templates/conditions/diabetes.html"]
    sentence = "1 finding lowered to inventory by baa-vendors: PHI001 and PHI002 Meta Pixel."
    assert sentence in _text(result)
    assert sentence in render_markdown(result)
    data = json.loads(render_json(result))
    assert data["summary"]["loweredByBaaVendors"] == {"meta-pixel": {"PHI001": 1, "PHI002": 1}}
    # the inventory can be switched off; what the BAA claim lowered is still said
    quiet = _scan(root, use_cache=False, ignore=["PHI100"])
    assert "meta-pixel" not in [f.sighting.vendor_id for f in quiet.findings]
    assert sentence in _text(quiet)


def test_a_tag_manager_tag_of_a_baa_vendor_names_phi005(tmp_path):
    export = {
        "exportFormatVersion": 2,
        "containerVersion": {
            "container": {"publicId": "GTM-ABCD123"},
            "tag": [{"name": "Meta Pixel", "type": "html", "firingTriggerId": ["2147479553"],
                     "parameter": [{"type": "TEMPLATE", "key": "html",
                                    "value": "<script>fbq('init', '123456789012345');</script>"}]}],
        },
    }
    base = UNSUPPRESSED_BASE.replace(
        "</head>", '<script src="https://www.googletagmanager.com/gtm.js?id=GTM-ABCD123"></script>\n</head>'
    )
    root = flask_site(tmp_path, base=base)
    write_tree(root, {"gtm/container.json": json.dumps(export), "phi-lint.toml": 'baa-vendors = ["meta-pixel"]\n'})
    result = _scan(root, use_cache=False)
    [tag] = [f for f in result.findings if f.sighting.kind == "tag-manager-tag"]
    assert tag.rule_id == "PHI100" and tag.lowered_from == ("PHI005",)
    assert "instead of PHI005" in tag.message


# -- bug 5: rule help is generated where it can be, and names every mechanism -------------------

from phi_lint.rulebook import expand_help, inline_examples, load_rules  # noqa: E402
from phi_lint.suppress import parse_directives  # noqa: E402

MECHANISMS = ("phi-lint: ignore[", "file-ignore[", ".phi-lint-ignore", "`per-file-ignores`", "phi-lint baseline write",
              "--baseline", "--ignore", '`ignore = ["')
PAGE_RULES = ("PHI001", "PHI002", "PHI003", "PHI004", "PHI005", "PHI100")

# a file of each comment syntax the help lists, with a Meta Pixel under the ignore
SYNTAX_FILES = {
    "Jinja, Django, Nunjucks, Twig": ("a.html", "<script>fbq('init', '123456789012345');</script>"),
    "Liquid": ("a.liquid", "<script>fbq('init', '123456789012345');</script>"),
    "ERB, EJS": ("a.html.erb", "<script>fbq('init', '123456789012345');</script>"),
    "Blade": ("a.blade.php", "<script>fbq('init', '123456789012345');</script>"),
    "Handlebars, Mustache": ("a.hbs", "<script>fbq('init', '123456789012345');</script>"),
    "Razor": ("a.cshtml", "<script>fbq('init', '123456789012345');</script>"),
    "JSP": ("a.jsp", "<script>fbq('init', '123456789012345');</script>"),
    "FreeMarker": ("a.ftl", "<script>fbq('init', '123456789012345');</script>"),
    "HTML": ("a.html", "<script>fbq('init', '123456789012345');</script>"),
    "JavaScript, TypeScript": ("a.ts", "fbq('init', '123456789012345');"),
    "JSX, TSX markup": ("a.jsx", None),
}
JSX = """export default function Page() {
  return (
    <div>
      %s
      <script src="https://connect.facebook.net/en_US/fbevents.js"></script>
    </div>
  );
}
"""


@pytest.mark.parametrize("rule_id", sorted(load_rules()))
def test_every_rule_help_names_every_suppression_mechanism(rule_id):
    help_markdown = load_rules()[rule_id].help_markdown
    assert "### How to suppress" in help_markdown
    for mechanism in MECHANISMS:
        assert mechanism in help_markdown, (rule_id, mechanism)
    if rule_id != "PHI900":  # PHI900 is about the directives: it lists none of their syntaxes
        for _files, comment in inline_examples(rule_id):
            assert f"`{comment}`" in help_markdown, (rule_id, comment)
    assert "Until inline suppressions land" not in help_markdown
    assert not re.search(r"\{\{[a-z][a-z-]*(:[^}\s]+)?\}\}", help_markdown)  # every placeholder expanded


@pytest.mark.parametrize("rule_id", PAGE_RULES)
def test_help_of_page_rules_mentions_inference(rule_id):
    help_text = load_rules()[rule_id].help_markdown
    assert "inference" in help_text and "[pages]" in help_text
    assert "phi-lint: authenticated" in help_text or "phi-lint: health" in help_text


def test_what_it_does_no_longer_says_only_tags_and_globs():
    phi001 = load_rules()["PHI001"].help_markdown.split("### Why", 1)[0]
    assert "@login_required" in phi001 and "inferred" in phi001
    phi002 = load_rules()["PHI002"].help_markdown.split("### Why", 1)[0]
    assert "inferred" in phi002 and "health-terms.txt" in phi002


@pytest.mark.parametrize("files,comment", inline_examples("PHI001"))
def test_each_inline_example_is_read_as_an_ignore(files, comment):
    [directive] = parse_directives("x", f"{comment}\n")
    assert directive.rules == ("PHI001",) and directive.reason == "reason", directive


@pytest.mark.parametrize("files,comment", inline_examples("PHI001"))
def test_each_inline_example_suppresses_a_tracker_in_its_own_file_type(tmp_path, files, comment):
    name, code = SYNTAX_FILES[files.split(" (", 1)[0].replace(", Vue, Svelte, Astro markup", "")]
    body = JSX % comment if code is None else f"{comment}\n{code}\n"
    write_tree(tmp_path, {name: body, "phi-lint.toml": '[pages]\nauthenticated = ["**"]\n'})
    result = _scan(tmp_path, use_cache=False)
    assert [(f.rule_id, f.suppression.kind) for f in result.suppressed] == [("PHI001", "inSource")], files
    assert result.findings == [], files


def test_the_help_names_only_settings_and_options_that_exist():
    from phi_lint.cli import app  # noqa: F401 - the options come from the CLI itself

    with pytest.raises(ValueError):
        expand_help("PHI001", "{{config:baa-vendor}}")
    with pytest.raises(ValueError):
        expand_help("PHI001", "{{config:pages.private}}")
    assert expand_help("PHI001", "{{config:pages.health}} {{config:infer=false}}") == "`[pages].health` `infer = false`"
    options = set()
    for rule in load_rules().values():
        options.update(re.findall(r"`(--[a-z][a-z-]+)", rule.help_markdown))
    check_help = run_cli("check", "--help").stdout
    assert options and all(option in check_help for option in options), sorted(options)
