"""`--add-ignore REASON`: comments in each file's own syntax that make a rescan clean."""

from __future__ import annotations

import io
import os
import shutil
import stat

import pytest
from helpers import REPO, run_cli, scan_tree, write_tree

from phi_lint.addignore import add_ignores, check_reason
from phi_lint.errors import UserError
from phi_lint.reporters.common import failing

REASON = "reviewed with privacy, ticket SEC-42"
FIXTURES = (
    "flask-portal", "nextjs-app", "rails-portal", "laravel-portal", "vue-app", "static-health-site",
    "react-intake-form", "django-clinic", "express-nunjucks", "demo-clinic", "jinja-advanced-matching",
    "react-router-app", "rails-fullstory-identify", "static-site",
)


def _js_errors(path) -> bool:
    from phi_lint.parsers.javascript import _parser, dialect_for

    tree = _parser(dialect_for(path.name)).parse(path.read_bytes())
    return tree.root_node.has_error


def _add(root, reason=REASON):
    stream = io.StringIO()
    status = add_ignores(scan_tree(root, use_cache=False), reason, stream)
    return status, stream.getvalue()


@pytest.mark.parametrize("name", FIXTURES)
def test_a_rescan_after_add_ignore_has_no_failing_finding(name, tmp_path):
    root = tmp_path / name
    shutil.copytree(REPO / "fixtures" / name, root)
    before = scan_tree(root, use_cache=False)
    problems = failing(before.findings)
    assert problems, "each fixture has findings to suppress"
    scripts = {p: _js_errors(p) for p in root.rglob("*") if p.suffix in (".js", ".ts", ".tsx", ".jsx")}
    status, said = _add(root)
    assert status == 0, said
    after = scan_tree(root, use_cache=False)
    assert failing(after.findings) == [], [f"{f.rule_id} {f.sighting.path}:{f.sighting.span.line}" for f in after.findings]
    # every suppression now is one of ours, with the reason; no PHI900 appeared
    covered = {(f.rule_id, f.fingerprint) for f in after.suppressed if f.suppression.kind == "inSource"}
    assert {(f.rule_id, f.fingerprint) for f in problems} <= covered
    assert all(f.suppression.justification == REASON for f in after.suppressed if f.suppression.kind == "inSource" and f.fingerprint in {p.fingerprint for p in problems})
    files = {f.sighting.path for f in problems}
    assert f"in {len(files)} file" in said
    # the edited scripts still parse as well as before
    for path, had_errors in scripts.items():
        assert _js_errors(path) == had_errors, path


def test_comment_syntax_per_file_type(tmp_path):
    fbq = "fbq('init', '123456789012345');"
    files = {
        "app.py": "from flask_login import login_required\n",
        "portal/page.html": f"<html><head><title>Patient portal</title></head><body>\n<script>\n  {fbq}\n</script>\n</body></html>\n",
        "portal/tags.html": "<html><body><p>Patient portal</p>\n<img height=\"1\" width=\"1\"\n     src=\"https://www.facebook.com/tr?id=123456789012345&ev=PageView&noscript=1\">\n</body></html>\n",
        "portal/jinja.html": "{% extends 'x.html' %}\n{% block body %}\n<script src=\"https://static.hotjar.com/c/hotjar-1.js\"></script>\n{% endblock %}\n",
        "portal/view.erb": f"<h1>Patient portal</h1>\n<script>\n{fbq}\n</script>\n",
        "portal/view.blade.php": f"<h1>Patient portal</h1>\n<script>\n{fbq}\n</script>\n",
        "portal/plain.php": "<h1>Patient portal</h1>\n<script src=\"https://static.hotjar.com/c/hotjar-1.js\"></script>\n<?php\n$x = 1;\n?>\n",
        "portal/app.js": f"// the patient portal\n{fbq}\n",
        "portal/Page.vue": f"<template>\n  <h1>Patient portal</h1>\n</template>\n<script>\n{fbq}\n</script>\n",
        "portal/Page.tsx": (
            "export default function Page() {\n  return (\n    <main>\n      <h1>Patient portal</h1>\n"
            "      <script src=\"https://static.hotjar.com/c/hotjar-1.js\" />\n    </main>\n  );\n}\n"
        ),
    }
    root = write_tree(tmp_path / "site", files)
    status, said = _add(root)
    assert status == 0, said
    text = {rel: (root / rel).read_text(encoding="utf-8") for rel in files}
    assert "  // phi-lint: ignore[PHI001] " + REASON + "\n  fbq(" in text["portal/page.html"]
    assert "<!-- phi-lint: ignore[PHI001] " + REASON + " -->\n<img height" in text["portal/tags.html"]
    assert "{# phi-lint: ignore[PHI003] " + REASON + " #}\n<script" in text["portal/jinja.html"]
    assert "<%# phi-lint: ignore[PHI001] " + REASON + " %>\nfbq(" in text["portal/view.erb"]
    assert "{{-- phi-lint: ignore[PHI001] " + REASON + " --}}\nfbq(" in text["portal/view.blade.php"]
    assert "<?php /* phi-lint: ignore[PHI003] " + REASON + " */ ?>\n<script" in text["portal/plain.php"]
    assert "// phi-lint: ignore[PHI001] " + REASON + "\nfbq(" in text["portal/app.js"]
    assert "// phi-lint: ignore[PHI001] " + REASON + "\nfbq(" in text["portal/Page.vue"]
    assert "      {/* phi-lint: ignore[PHI003] " + REASON + " */}\n      <script" in text["portal/Page.tsx"]
    after = scan_tree(root, use_cache=False)
    assert failing(after.findings) == []
    assert {f.suppression.justification for f in after.suppressed if f.suppression.kind == "inSource"} == {REASON}


def test_a_jekyll_include_gets_html_and_script_comments_not_jinja(tmp_path):
    """Seen on a real Jekyll site (hackforla/website): `_includes/head.html` has Liquid tags and no
    front matter, and got `{# … #}`, which Liquid publishes as text on every page."""
    files = {
        "_config.yml": "title: Clinic\n",
        "_includes/head.html": (
            "<head>\n  {% if page.title %}<title>{{ page.title }}</title>{% endif %}\n"
            "  <script async src=\"https://www.googletagmanager.com/gtag/js?id=G-ABCDEF1234\"></script>\n"
            "  <script>\n    fbq('init', '123456789012345');\n  </script>\n</head>\n"
        ),
        "_layouts/default.html": "<html>{% include head.html %}<body>{{ content }}</body></html>\n",
        "portal/index.html": "---\nlayout: default\n---\n<!-- phi-lint: authenticated -->\n<p>Your records</p>\n",
    }
    root = write_tree(tmp_path / "site", files)
    status, said = _add(root)
    assert status == 0, said
    head = (root / "_includes/head.html").read_text(encoding="utf-8")
    assert "{#" not in head
    assert "  <!-- phi-lint: ignore[PHI001] " + REASON + " -->\n  <script async" in head
    assert "    // phi-lint: ignore[PHI001] " + REASON + "\n    fbq(" in head
    assert failing(scan_tree(root, use_cache=False).findings) == []


def test_an_existing_ignore_is_extended_not_doubled(tmp_path):
    page = (
        "<html><head><title>Patient portal</title></head><body>\n"
        "<!-- phi-lint: ignore[PHI100] inventory reviewed -->\n"
        "<script src=\"https://static.hotjar.com/c/hotjar-1.js\"></script>\n"
        "<script>fbq('init', '123456789012345');</script> <!-- phi-lint: ignore[PHI100] -->\n"
        "</body></html>\n"
    )
    root = write_tree(tmp_path / "site", {"portal/page.html": page})
    status, said = _add(root)
    assert status == 0, said
    text = (root / "portal/page.html").read_text(encoding="utf-8")
    assert text.count("phi-lint: ignore") == 2
    assert "<!-- phi-lint: ignore[PHI100,PHI003] inventory reviewed -->\n<script src" in text
    assert f"</script> <!-- phi-lint: ignore[PHI100,PHI001] {REASON} -->\n" in text
    assert "extended 2 existing ignores" in said
    assert failing(scan_tree(root, use_cache=False).findings) == []


def test_line_endings_encoding_bom_and_mode_are_kept(tmp_path):
    page = "\ufeff<html><head><title>Patient portal — café</title></head><body>\r\n<script>\r\nfbq('init', '123456789012345');\r\n</script>\r\n</body></html>\r\n"
    root = write_tree(tmp_path / "site", {})
    path = root / "portal" / "page.html"
    path.parent.mkdir(parents=True)
    path.write_bytes(page.encode("utf-8"))
    os.chmod(path, 0o640)
    status, _ = _add(root)
    assert status == 0
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n// phi-lint: ignore[PHI001] " + REASON.encode() + b"\r\nfbq(" in data
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert "café".encode() in data
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640


def test_json_exports_are_not_edited_and_are_listed(tmp_path):
    root = tmp_path / "gtm"
    shutil.copytree(REPO / "fixtures" / "gtm-form-capture", root)
    exports = {p: p.read_bytes() for p in root.rglob("*.json")}
    status, said = _add(root)
    assert status == 1
    assert all(p.read_bytes() == data for p, data in exports.items())
    assert "JSON cannot hold comments" in said and ".phi-lint-ignore" in said
    assert "phi-lint: not added: GTM-FC8K2QX_workspace.json:" in said


def test_links_are_not_written_through(tmp_path):
    outside = write_tree(tmp_path / "outside", {"portal/real.html": "<p>Patient portal</p>\n<script>fbq('init', '123456789012345');</script>\n"})
    root = write_tree(tmp_path / "site", {"portal/page.html": "<p>Patient portal</p>\n<script>fbq('init', '123456789012345');</script>\n"})
    os.symlink(outside / "portal" / "real.html", root / "portal" / "linked.html")
    before = (outside / "portal" / "real.html").read_bytes()
    _add(root)
    assert (outside / "portal" / "real.html").read_bytes() == before
    assert (root / "portal" / "linked.html").is_symlink()


@pytest.mark.parametrize("reason", ["", "   ", "ok -->", "a #} b", "x */ y", "line\nbreak", "esc\x1b[2J", "phi-lint: ignore"])
def test_a_reason_is_required_and_must_fit_in_a_comment(reason):
    with pytest.raises(UserError):
        check_reason(reason)


def test_add_ignore_through_the_cli(tmp_path):
    root = write_tree(tmp_path / "site", {"portal/page.html": "<p>Patient portal</p>\n<script>fbq('init', '123456789012345');</script>\n"})
    done = run_cli("--add-ignore", "", "--no-cache", str(root))
    assert done.returncode == 2 and "needs a reason" in done.stderr
    assert "phi-lint:" not in (root / "portal/page.html").read_text(encoding="utf-8")
    done = run_cli("--add-ignore", REASON, "--no-cache", str(root))
    assert done.returncode == 0, done.stderr
    assert "added 1 ignore comment in 1 file" in done.stderr
    assert run_cli("--no-cache", str(root)).returncode == 0


@pytest.mark.parametrize("reason", ["see </script> here", "closes --!> early", "opens <!-- one"])
def test_a_reason_that_ends_a_script_or_comment_early_is_refused(reason):
    with pytest.raises(UserError):
        check_reason(reason)


def test_add_ignore_refuses_a_file_read_from_stdin(tmp_path):
    """The piped text and the file on disk differ: line numbers of the one would edit the other."""
    (tmp_path / "a.html").write_text("<p>a</p>\n<p>b</p>\n<p>c</p>\n<p>d</p>\n")
    import subprocess
    import sys

    run = subprocess.run(
        [sys.executable, "-m", "phi_lint", "--add-ignore", "reviewed", "-", "--stdin-filename", "a.html"],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True, timeout=60,
        input="<!-- phi-lint: authenticated -->\n<script src=\"https://static.hotjar.com/c/hotjar-1.js\"></script>\n")
    assert run.returncode == 2 and "standard input" in run.stderr
    assert (tmp_path / "a.html").read_text() == "<p>a</p>\n<p>b</p>\n<p>c</p>\n<p>d</p>\n"
