"""`--since REF`: only findings new since a git ref, pages judged on the whole repository, and
git run so that the scanned repository cannot make it run anything."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest
from helpers import REPO, run_cli, write_tree

from phi_lint.errors import UserError
from phi_lint.scan import ScanOptions, scan
from phi_lint.since import _safe_rel, apply_since, check_ref

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

HOTJAR = '<script src="https://static.hotjar.com/c/hotjar-99.js?sv=6"></script>\n'


def _git(root, *args):
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "-c", "core.hooksPath=/dev/null", "-C", str(root), *args], check=True, capture_output=True, env=env)


def _repo(tmp_path, name="flask-portal"):
    root = tmp_path / name
    shutil.copytree(REPO / "fixtures" / name, root)
    _git(root, "init", "-q", ".")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "base")
    return root


def _since(root, ref="HEAD", paths=None):
    options = ScanOptions(paths=paths or [root], use_cache=False)
    result = scan(options)
    apply_since(options, result, ref)
    return result


def test_only_findings_new_since_the_ref_are_reported(tmp_path):
    root = _repo(tmp_path)
    everything = scan(ScanOptions(paths=[root], use_cache=False))
    # a new tracker in a partial: judged by the portal pages that include it, though no page changed
    with open(root / "templates/partials/tracking.html", "a", encoding="utf-8") as handle:
        handle.write(HOTJAR)
    # an old finding moved and re-indented: still the same finding
    dashboard = root / "templates/portal/dashboard.html"
    dashboard.write_text("\n\n" + "".join("  " + line for line in dashboard.read_text(encoding="utf-8").splitlines(True)), encoding="utf-8")
    result = _since(root)
    assert [(f.rule_id, f.sighting.vendor_id, f.sighting.path) for f in result.findings] == [
        ("PHI003", "hotjar", "templates/partials/tracking.html")
    ]
    assert len(result.findings[0].pages) == 3  # the whole page graph, not just the changed file
    since = [f for f in result.suppressed if f.suppression.kind == "since"]
    assert len(since) == len(everything.findings)
    assert all(f.suppression.justification.startswith("present at HEAD (") for f in since)


def test_a_tracker_that_newly_reaches_a_sensitive_page_is_new(tmp_path):
    """A page starting to include an old partial makes the partial's tracker a new finding:
    nothing changed in the file that holds it, but its exposure did."""
    root = write_tree(tmp_path / "site", {
        "partials/ga.html": '<script async src="https://www.googletagmanager.com/gtag/js?id=G-ABCDE12345"></script>\n',
        "about.html": "<html><body>{% include 'partials/ga.html' %}<p>About us</p></body></html>\n",
        "portal/home.html": "<html><head><title>Patient portal</title></head><body><p>My chart</p></body></html>\n",
    })
    _git(root, "init", "-q", ".")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "base")
    (root / "portal/home.html").write_text(
        "<html><head><title>Patient portal</title></head><body>{% include 'partials/ga.html' %}<p>My chart</p></body></html>\n",
        encoding="utf-8",
    )
    result = _since(root)
    assert [f.rule_id for f in result.findings if f.level != "note"] == ["PHI001"]


def test_since_with_include_suppressed_in_json_and_sarif(tmp_path):
    root = _repo(tmp_path)
    with open(root / "templates/partials/tracking.html", "a", encoding="utf-8") as handle:
        handle.write(HOTJAR)
    done = run_cli("--since", "HEAD", "-f", "json", "--include-suppressed", "--no-cache", str(root))
    assert done.returncode == 1, done.stderr
    document = json.loads(done.stdout)
    kinds = {f["suppressed"]["kind"] for f in document["findings"] if f["suppressed"]}
    assert kinds == {"since"} and document["summary"]["suppressedByKind"]["since"] > 0
    new = [f for f in document["findings"] if not f["suppressed"]]
    assert [f["rule"] for f in new] == ["PHI003"]
    done = run_cli("--since", "HEAD", "-f", "sarif", "--include-suppressed", "--no-cache", str(root))
    results = json.loads(done.stdout)["runs"][0]["results"]
    marked = [r for r in results if r.get("suppressions")]
    assert marked and all(r["suppressions"][0]["kind"] == "external" for r in marked)
    assert all("present at HEAD" in r["suppressions"][0]["justification"] for r in marked)
    done = run_cli("--since", "HEAD", "--no-cache", str(root))
    assert "as already present at the --since ref" in done.stdout


@pytest.mark.parametrize("ref", ["-h", "--output=/tmp/x", "", "a b", "x\x1b[2J", "HEAD\n"])
def test_refs_that_look_like_options_or_are_malformed_are_refused(ref):
    with pytest.raises(UserError):
        check_ref(ref)


def test_unknown_ref_and_not_a_repository_are_clear_errors(tmp_path):
    root = _repo(tmp_path)
    with pytest.raises(UserError, match="no such commit"):
        _since(root, "no-such-branch")
    plain = write_tree(tmp_path / "plain", {"index.html": "<p>hi</p>\n"})
    with pytest.raises(UserError, match="not one"):
        _since(plain)


def test_without_git_the_cli_says_so(tmp_path):
    root = write_tree(tmp_path / "site", {"index.html": "<p>hi</p>\n"})
    done = run_cli("--since", "HEAD", "--no-cache", str(root), env={"PATH": str(tmp_path / "nowhere")})
    assert done.returncode == 2 and "no `git` program was found" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_the_repository_cannot_make_git_run_anything(tmp_path):
    """A hostile .git/config: an fsmonitor program, hooks, a smudge filter on every file and a
    textconv driver. Reading REF's tree runs none of them."""
    root = _repo(tmp_path)
    marker = tmp_path / "ran"
    command = f"sh -c 'echo x >> {marker}'"
    (root / ".gitattributes").write_text("* filter=evil diff=evil\n", encoding="utf-8")
    _git(root, "add", ".gitattributes")
    _git(root, "commit", "-qm", "attributes")
    for key, value in (("core.fsmonitor", command), ("core.hooksPath", str(tmp_path / "hooks")),
                       ("filter.evil.smudge", command), ("filter.evil.clean", command),
                       ("filter.evil.process", command), ("diff.evil.textconv", command), ("core.pager", command)):
        _git(root, "config", key, value)
    (tmp_path / "hooks").mkdir()
    for hook in ("post-checkout", "reference-transaction", "pre-auto-gc"):
        (tmp_path / "hooks" / hook).write_text(f"#!/bin/sh\necho x >> {marker}\n", encoding="utf-8")
        os.chmod(tmp_path / "hooks" / hook, 0o755)
    result = _since(root)
    assert not marker.exists()
    assert [f for f in result.findings if f.level != "note"] == []


@pytest.mark.parametrize("path, safe", [
    (b"templates/a.html", "templates/a.html"),
    (b"../etc/passwd", None), (b"a/../../b", None), (b"/abs", None), (b"a//b", None),
    (b".git/config", None), (b"x/.GIT/hooks/a", None), (b"sub/.gitignore", None), (b"a\\b", None),
])
def test_tree_paths_stay_inside_the_temporary_folder(path, safe):
    assert _safe_rel(path) == safe


def test_since_with_a_named_subfolder(tmp_path):
    root = _repo(tmp_path)
    with open(root / "templates/partials/tracking.html", "a", encoding="utf-8") as handle:
        handle.write(HOTJAR)
    result = _since(root, paths=[root / "templates"])
    assert [f.rule_id for f in result.findings] == ["PHI003"]
