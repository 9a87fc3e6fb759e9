"""Workflow options ruff, eslint and semgrep users expect (issue 12, item 8): standard input with
--stdin-filename, --output-format, --color, --fail-on, --show-settings, --show-files, and
`phi-lint vendors ID`."""

from __future__ import annotations

import io
import json

import pytest
from cli_runner import run_here
from helpers import write_tree

PORTAL_CONFIG = '[pages]\nauthenticated = ["portal/**"]\nhealth = ["conditions/**"]\n'
META = "<script>fbq('init', '123456789012345');</script>\n"
HOTJAR = '<script src="https://static.hotjar.com/c/hotjar-123456.js"></script>\n'
GA = '<script async src="https://www.googletagmanager.com/gtag/js?id=G-ABCD123456"></script>\n'
TIKTOK = "<script>ttq.load('C4ABCDEFGHIJ12345678'); ttq.page();</script>\n"


def _project(root, files):
    (root / ".git").mkdir(parents=True, exist_ok=True)
    return write_tree(root, {"phi-lint.toml": PORTAL_CONFIG, **files})


@pytest.fixture
def cli(monkeypatch, capsys):
    def run(*args, **kwargs):
        return run_here(monkeypatch, capsys, *args, **kwargs)

    return run


# -- standard input --------------------------------------------------------------------------


def test_stdin_is_scanned_under_its_name_with_the_project_forming_the_page_graph(tmp_path, cli):
    # on disk the layout holds no tracker; the editor's buffer adds one, and the layout is
    # sensitive only through the portal page on disk that extends it
    _project(tmp_path, {
        "templates/base.html": "<html>{% block body %}{% endblock %}</html>\n",
        "portal/page.html": '{% extends "templates/base.html" %}\n{% block body %}hi{% endblock %}\n',
    })
    buffer = ("<html>" + META + "{% block body %}{% endblock %}</html>\n").encode()
    run = cli("-", "--stdin-filename", "templates/base.html", "-f", "json", cwd=tmp_path, stdin=buffer)
    assert run.returncode == 1, run.stderr
    findings = json.loads(run.stdout)["findings"]
    assert [(f["rule"], f["path"]) for f in findings] == [("PHI001", "templates/base.html")]
    on_disk = cli("templates/base.html", "-f", "json", cwd=tmp_path)
    assert json.loads(on_disk.stdout)["findings"] == []  # the buffer, not the file, was scanned


def test_stdin_name_that_does_not_exist_yet_takes_its_context_from_the_config(tmp_path, cli):
    _project(tmp_path, {"index.html": "<h1>Hi</h1>\n"})
    run = cli("-", "--stdin-filename", "portal/new.html", cwd=tmp_path, stdin=HOTJAR.encode())
    assert run.returncode == 1
    assert run.stdout.startswith("portal/new.html:1:1: PHI003 [Hotjar]")
    public = cli("-", "--stdin-filename", "about/new.html", cwd=tmp_path, stdin=HOTJAR.encode())
    assert public.returncode == 0 and "PHI003" not in public.stdout


def test_stdin_filename_alone_reads_standard_input_as_ruff_does(tmp_path, cli):
    _project(tmp_path, {})
    run = cli("--stdin-filename", "portal/x.html", "-q", cwd=tmp_path, stdin=META.encode())
    assert run.returncode == 1 and run.stdout.startswith("portal/x.html:1:9: PHI001")


def test_stdin_name_decides_the_excludes(tmp_path, cli):
    _project(tmp_path, {})
    write_tree(tmp_path, {"phi-lint.toml": 'extend-exclude = ["portal/legacy/"]\n' + PORTAL_CONFIG})
    run = cli("-", "--stdin-filename", "portal/legacy/old.html", "-f", "json", cwd=tmp_path, stdin=META.encode())
    assert run.returncode == 0 and json.loads(run.stdout)["findings"] == []


def test_stdin_without_a_name_is_a_clear_usage_error(tmp_path, cli):
    run = cli("-", cwd=tmp_path, stdin=META.encode())
    assert run.returncode == 2
    first, hint = run.stderr.splitlines()
    assert first == "phi-lint: error: reading a file from standard input needs its name: add --stdin-filename PATH"
    assert hint.startswith("hint: ")
    mixed = cli("-", "other.html", "--stdin-filename", "x.html", cwd=tmp_path, stdin=b"")
    assert mixed.returncode == 2 and "cannot be combined" in mixed.stderr
    named = cli(".", "--stdin-filename", "x.html", cwd=tmp_path)
    assert named.returncode == 2 and "give `-` as the path" in named.stderr


def test_stdin_read_is_bounded():
    from phi_lint.cli_stdin import read_stdin
    from phi_lint.cli_usage import UsageProblem

    assert read_stdin(io.BytesIO(b"x" * 10), limit=10) == b"x" * 10
    with pytest.raises(UsageProblem, match="more than"):
        read_stdin(io.BytesIO(b"x" * 11), limit=10)


def test_stdin_larger_than_max_file_size_is_skipped_with_the_usual_notice(tmp_path, cli):
    _project(tmp_path, {})
    write_tree(tmp_path, {"phi-lint.toml": "max-file-size = 100\n" + PORTAL_CONFIG})
    run = cli("-", "--stdin-filename", "portal/big.html", cwd=tmp_path, stdin=(META + " " * 200).encode())
    assert run.returncode == 0 and "larger than max-file-size" in run.stderr


# -- --output-format, --color ----------------------------------------------------------------


def test_output_format_is_an_alias_of_format(tmp_path, cli):
    _project(tmp_path, {"portal/a.html": META})
    alias = cli(".", "--output-format", "json", cwd=tmp_path)
    short = cli(".", "-f", "json", cwd=tmp_path)
    assert alias.returncode == short.returncode == 1
    assert json.loads(alias.stdout)["findings"] == json.loads(short.stdout)["findings"] != []


def test_color_always_and_never_override_the_environment(tmp_path, cli):
    _project(tmp_path, {"portal/a.html": META, "portal/b.html": b"<p>\xff</p>\n"})  # b: a notice
    always = cli(".", "--color", "always", cwd=tmp_path)
    assert "\x1b[" in always.stdout and "\x1b[" in always.stderr  # findings and notices
    never = cli(".", "--color", "never", cwd=tmp_path, env={"NO_COLOR": None, "FORCE_COLOR": "1"})
    assert "\x1b[" not in never.stdout and "\x1b[" not in never.stderr
    auto = cli(".", cwd=tmp_path, env={"NO_COLOR": None, "FORCE_COLOR": "1"})
    assert "\x1b[" in auto.stdout  # auto keeps today's FORCE_COLOR / NO_COLOR behaviour
    assert "\x1b[" not in cli(".", cwd=tmp_path).stdout


# -- --fail-on ---------------------------------------------------------------------------------


def test_failing_threshold():
    from types import SimpleNamespace

    from phi_lint.reporters.common import failing

    found = [SimpleNamespace(level=level) for level in ("error", "warning", "note")]
    assert [f.level for f in failing(found)] == ["error", "warning"]
    assert [f.level for f in failing(found, "error")] == ["error"]
    assert [f.level for f in failing(found, "note")] == ["error", "warning", "note"]


def test_fail_on_error_lets_health_page_warnings_pass_and_says_so(tmp_path, cli):
    _project(tmp_path, {"conditions/diabetes.html": TIKTOK})
    default = cli(".", cwd=tmp_path)
    assert default.returncode == 1 and "PHI002" in default.stdout
    relaxed = cli(".", "--fail-on", "error", cwd=tmp_path)
    assert relaxed.returncode == 0 and "PHI002" in relaxed.stdout  # still reported
    assert "With --fail-on error, 0 findings fail the run." in relaxed.stdout
    report = tmp_path.parent / "report.json"
    written = cli(".", "--fail-on", "error", "-f", "json", "-o", str(report), cwd=tmp_path)
    assert written.returncode == 0 and "wrote 1 finding(s) (0 failing)" in written.stderr
    _project(tmp_path, {"portal/a.html": META})
    assert cli(".", "--fail-on", "error", cwd=tmp_path).returncode == 1


def test_fail_on_note_fails_on_inventory(tmp_path, cli):
    _project(tmp_path, {"index.html": GA})
    assert cli(".", cwd=tmp_path).returncode == 0
    strict = cli(".", "--fail-on", "note", cwd=tmp_path)
    assert strict.returncode == 1 and "With --fail-on note, 1 finding fails the run." in strict.stdout


# -- --show-settings, --show-files -------------------------------------------------------------


def test_show_settings_prints_the_resolved_settings_and_exits_0(tmp_path, cli):
    _project(tmp_path, {"portal/a.html": META})
    write_tree(tmp_path, {"phi-lint.toml": 'baa-vendors = ["segment"]\nextend-exclude = ["legacy/"]\n' + PORTAL_CONFIG})
    cache = tmp_path.parent / "my-cache"
    run = cli("--show-settings", "--ignore", "PHI100", "--cache-dir", str(cache), cwd=tmp_path)
    assert run.returncode == 0 and run.stderr == ""
    settings = dict(line.split(":", 1) for line in run.stdout.splitlines())
    assert settings["config-file"].strip() == "phi-lint.toml"
    assert settings["pages"].strip() == "authenticated = [portal/**]; health = [conditions/**]"
    assert "PHI100" not in settings["rules"] and "PHI001" in settings["rules"]
    assert settings["baa-vendors"].strip() == "segment"
    assert settings["extend-exclude"].strip() == "legacy/"
    assert str(cache) in settings["cache-dir"]
    as_json = json.loads(cli("--show-settings", "-f", "json", "--no-cache", cwd=tmp_path).stdout)
    assert as_json["cache-dir"] is None and as_json["project-root"] == str(tmp_path.resolve())
    assert "node_modules/" in as_json["exclude"]


def test_show_files_lists_what_would_be_scanned_sorted(tmp_path, cli):
    _project(tmp_path, {
        "portal/b.html": META,
        "portal/a.html": "<p>hi</p>\n",
        "app.js": "console.log(1)\n",
        "views.py": "x = 1\n",  # read for inference only, not scanned for trackers
        "node_modules/lib/index.js": "x\n",
        "notes.txt": "x\n",
    })
    run = cli("--show-files", cwd=tmp_path)
    assert run.returncode == 0
    assert run.stdout.splitlines() == ["app.js", "portal/a.html", "portal/b.html"]
    named = cli("--show-files", "portal/b.html", cwd=tmp_path)
    assert named.stdout.splitlines() == ["portal/b.html"]


# -- vendors ID --------------------------------------------------------------------------------


def test_vendor_detail_shows_baa_capabilities_and_rules(cli, tmp_path):
    run = cli("vendors", "hotjar", cwd=tmp_path)
    assert run.returncode == 0
    assert run.stdout.startswith("Hotjar (hotjar)\n")
    assert "BAA:           no (does not sign BAAs" in run.stdout
    assert "session-replay" in run.stdout and "@hotjar/browser" in run.stdout
    assert "PHI003  session-replay-on-sensitive-page" in run.stdout
    meta = json.loads(cli("vendors", "meta-pixel", "--json", cwd=tmp_path).stdout)
    assert meta["id"] == "meta-pixel" and "PHI004" in meta["rules"] and "PHI003" not in meta["rules"]
    gtm = json.loads(cli("vendors", "google-tag-manager", "--json", cwd=tmp_path).stdout)
    assert "PHI005" in gtm["rules"]


def test_unknown_vendor_says_did_you_mean(cli, tmp_path):
    run = cli("vendors", "hotjr", cwd=tmp_path)
    assert run.returncode == 2
    assert run.stderr.splitlines() == [
        "phi-lint: error: unknown vendor `hotjr` (did you mean `hotjar`?)",
        "hint: `phi-lint vendors` lists the ids",
    ]


def test_the_code_frame_of_a_file_from_stdin_shows_the_piped_text(tmp_path):
    """An editor's unsaved buffer differs from the file of that name on disk: the source line
    under the headline is the buffer's (it showed the disk file's line 2)."""
    import os
    import subprocess
    import sys

    from helpers import REPO

    (tmp_path / "a.html").write_text("<p>a</p>\n<p>on disk</p>\n")
    run = subprocess.run(
        [sys.executable, "-m", "phi_lint", "-", "--stdin-filename", "a.html"],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"}, capture_output=True, text=True,
        timeout=60, input="<!-- phi-lint: authenticated -->\n<script src=\"https://static.hotjar.com/c/hotjar-1.js\"></script>\n")
    assert run.returncode == 1
    assert '  2 | <script src="https://static.hotjar.com/c/hotjar-1.js"></script>' in run.stdout
    assert "on disk" not in run.stdout
