"""Both hooks of .pre-commit-hooks.yaml, run by the real pre-commit on real commits.

A throwaway git repository holds a copy of this checkout (pre-commit installs a hook repository
at a commit), and a second one is a small clinic site whose .pre-commit-config.yaml points at it
by path. `pre-commit install` puts the hook in .git/hooks, and every scenario is a `git commit`:

- a commit that adds a Meta Pixel to a partial included by a portal page (tagged in the page, or
  under a [pages] glob) fails, and the finding is in the output; nothing is committed;
- a clean commit (no tracker, or a tracker on a public page only) passes;
- config excludes apply to the staged files pre-commit passes explicitly;
- phi-lint-project (pass_filenames: false) fails and passes the same way.

pre-commit's cache (PRE_COMMIT_HOME) lives in the test's temporary directory, so the tests are
hermetic; creating the hook environment installs phi-lint's dependencies from PyPI once per
session. Marked `precommit`; skipped where git is missing (CI has git).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers import REPO, write_tree

HOOKS = REPO / ".pre-commit-hooks.yaml"
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

# the Meta Pixel base code as Meta publishes it (fake pixel id)
META_PIXEL = """<!-- Meta Pixel Code -->
<script>
!function(f,b,e,v,n,t,s)
{if(f.fbq)return;n=f.fbq=function(){n.callMethod?
n.callMethod.apply(n,arguments):n.queue.push(arguments)};
if(!f._fbq)f._fbq=n;n.push=n;n.loaded=!0;n.version='2.0';
n.queue=[];t=b.createElement(e);t.async=!0;
t.src=v;s=b.getElementsByTagName(e)[0];
s.parentNode.insertBefore(t,s)}(window, document,'script',
'https://connect.facebook.net/en_US/fbevents.js');
fbq('init', '000000000000000');
fbq('track', 'PageView');
</script>
<noscript><img height="1" width="1" style="display:none"
src="https://www.facebook.com/tr?id=000000000000000&ev=PageView&noscript=1"/></noscript>
<!-- End Meta Pixel Code -->
"""

BASE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{% block title %}Harbor Family Clinic{% endblock %}</title>
  {% include "partials/tracking.html" %}
</head>
<body>
  {% block content %}{% endblock %}
</body>
</html>
"""

CLINIC = {
    "app.py": (
        "from flask import Flask, render_template\n\napp = Flask(__name__)\n\n\n"
        "@app.route('/portal')\ndef dashboard():\n    return render_template('portal/dashboard.html')\n"
    ),
    "templates/base.html": BASE,
    "templates/partials/tracking.html": "{# analytics snippets for every page go here #}\n",
    "templates/portal/dashboard.html": (
        "{# phi-lint: authenticated #}\n"
        '{% extends "base.html" %}\n'
        "{% block content %}\n<h1>Your upcoming visits</h1>\n<p>Dr. Rivera, Tuesday 9:30</p>\n{% endblock %}\n"
    ),
    "site/index.html": "<!doctype html>\n<title>Harbor Family Clinic</title>\n<h1>Welcome</h1>\n",
    "README.md": "Harbor Family Clinic website\n",
}


def _git(cwd: Path, *args: str, env: dict, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    if check and proc.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture(scope="module")
def git_env(tmp_path_factory):
    """An environment isolated from the user's git configuration and pre-commit cache."""
    home = tmp_path_factory.mktemp("precommit-home")
    (home / "gitconfig").write_text("", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.pop("PYTHONPATH", None)  # the hook must run the phi-lint that pre-commit installed
    env.pop("VIRTUAL_ENV", None)
    # HOME stays: the user's pip configuration (an index, a proxy) may be needed to install
    env.update({
        "GIT_CONFIG_GLOBAL": str(home / "gitconfig"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.invalid",
        "PRE_COMMIT_HOME": str(home / "pre-commit-cache"),
        "PRE_COMMIT_COLOR": "never",
        "NO_COLOR": "1",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    })
    return env


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory, git_env):
    """A committed copy of this checkout's working tree: what `repo:`/`rev:` point at."""
    try:
        import pre_commit  # noqa: F401
    except ImportError:
        pytest.fail("pre-commit is a test dependency: pip install -e '.[test]'")
    repo = tmp_path_factory.mktemp("phi-lint-hooks")
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy2(REPO / name, repo / name)
    for name in ("phi_lint", "rules"):
        shutil.copytree(REPO / name, repo / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    _git(repo, "init", "-q", env=git_env)
    _git(repo, "add", "-A", env=git_env)
    _git(repo, "commit", "-q", "-m", "phi-lint working tree under test", env=git_env)
    sha = _git(repo, "rev-parse", "HEAD", env=git_env).stdout.strip()
    return repo, sha


class Project:
    """A clinic repository with pre-commit installed; commit() runs the hooks like a developer."""

    def __init__(self, root: Path, env: dict):
        self.root = root
        self.env = env

    def pre_commit(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", *args],
            cwd=self.root, env=self.env, capture_output=True, text=True, timeout=900,
        )

    def commit(self, files: dict[str, str], message: str) -> subprocess.CompletedProcess:
        write_tree(self.root, files)
        _git(self.root, "add", "-A", env=self.env)
        return _git(self.root, "commit", "-m", message, env=self.env, check=False)

    def head_message(self) -> str:
        return _git(self.root, "log", "-1", "--format=%s", env=self.env).stdout.strip()

    def staged(self) -> list[str]:
        return _git(self.root, "diff", "--cached", "--name-only", env=self.env).stdout.split()

    def discard(self) -> None:
        _git(self.root, "reset", "-q", "--hard", "HEAD", env=self.env)
        _git(self.root, "clean", "-q", "-fd", env=self.env)


def _project(tmp_path: Path, env: dict, hook_repo, hook_ids: list[str], files: dict[str, str]) -> Project:
    repo, sha = hook_repo
    root = tmp_path / "clinic"
    root.mkdir()
    _git(root, "init", "-q", env=env)
    config = {"repos": [{"repo": str(repo), "rev": sha, "hooks": [{"id": i} for i in hook_ids]}]}
    write_tree(root, {**files, ".pre-commit-config.yaml": yaml.safe_dump(config, sort_keys=False)})
    project = Project(root, env)
    installed = project.pre_commit("install")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    # the first commit runs the hooks too (and installs the hook environment once per session)
    first = project.commit({}, "Clinic site")
    assert first.returncode == 0, first.stdout + first.stderr
    return project


def _output(proc: subprocess.CompletedProcess) -> str:
    return proc.stdout + proc.stderr


def _assert_blocked(project: Project, proc, message: str, rule: str, path: str) -> None:
    out = _output(proc)
    assert proc.returncode != 0, out
    assert "Failed" in out and "exit code: 1" in out, out
    assert re.search(rf"{re.escape(path)}:\d+:\d+: {rule} \[Meta Pixel\]", out), out
    assert project.head_message() != message  # nothing was committed
    assert path in project.staged()


def _assert_passed(project: Project, proc, message: str) -> None:
    out = _output(proc)
    assert proc.returncode == 0, out
    assert "Passed" in out, out
    assert project.head_message() == message


# --- the manifest ----------------------------------------------------------------------------


def test_manifest_is_valid_for_pre_commit():
    pytest.importorskip("pre_commit")
    from pre_commit.clientlib import load_manifest

    hooks = {hook["id"]: hook for hook in load_manifest(str(HOOKS))}
    assert set(hooks) == {"phi-lint", "phi-lint-project"}
    per_file, project = hooks["phi-lint"], hooks["phi-lint-project"]
    assert per_file["entry"] == "phi-lint check --force-exclude" and per_file["language"] == "python"
    assert per_file["pass_filenames"] is True and per_file["require_serial"] is True
    assert per_file["types"] == ["text"]
    assert project["entry"] == "phi-lint check ." and project["pass_filenames"] is False
    assert project["always_run"] is True and project["require_serial"] is True


def test_files_pattern_covers_every_kind_phi_lint_scans():
    from phi_lint.dialects import table
    from phi_lint.discovery import JS_ENDINGS, classify

    hooks = {hook["id"]: hook for hook in yaml.safe_load(HOOKS.read_text(encoding="utf-8"))}
    pattern = re.compile(hooks["phi-lint"]["files"])
    from phi_lint.generic.files import table as generic_files

    endings = list(table().endings) + list(JS_ENDINGS)
    for ending in sorted(generic_files().template_endings):  # read as plain text: staged ones too
        assert re.compile(hooks["phi-lint"]["files"]).search(f"app/views/page{ending}"), ending
    for ending in endings:
        name = f"app/views/page{ending}"
        assert classify(name.rsplit("/", 1)[1]) is not None
        assert pattern.search(name), ending
    for name in ("package.json", "web/package.json", "gtm/GTM-ABC123_workspace.json", "PAGE.HTML",
                 "resources/views/layouts/app.blade.php", "app/views/layouts/application.html.erb"):
        assert pattern.search(name), name
    for name in ("app.py", "README.md", "styles.css", "logo.svg", "Gemfile", "html/notes.txt", "page.html.bak",
                 "netlify.toml", ".github/workflows/ci.yml"):
        assert not pattern.search(name), name
    from phi_lint.siteconfig.data import table as config_trackers

    for name in config_trackers().basenames:  # site generators' configs that switch trackers on
        if classify(name) == "site-config":
            assert pattern.search(f"site/{name}"), name
    for glob in config_trackers().loose:  # config files named by a glob of their own (Drupal's)
        name = glob.replace("*", "clinic")
        assert classify(name) == "site-config" and pattern.search(f"web/themes/clinic/{name}"), glob


# --- the per-file hook -----------------------------------------------------------------------


@pytest.mark.precommit
@needs_git
def test_pixel_in_a_partial_of_a_tagged_portal_page_fails_the_commit(tmp_path, git_env, hook_repo):
    project = _project(tmp_path, git_env, hook_repo, ["phi-lint"], CLINIC)
    message = "Add the Meta Pixel to the tracking partial"
    proc = project.commit({"templates/partials/tracking.html": META_PIXEL}, message)
    _assert_blocked(project, proc, message, "PHI001", "templates/partials/tracking.html")
    out = _output(proc)
    # judged by the page that includes the partial, found in the whole repository
    assert "templates/portal/dashboard.html" in out
    assert "phi-lint (trackers on authenticated or health pages)" in out


@pytest.mark.precommit
@needs_git
def test_pixel_in_a_partial_of_a_page_under_a_pages_glob_fails_the_commit(tmp_path, git_env, hook_repo):
    files = dict(CLINIC)
    files["templates/portal/dashboard.html"] = files["templates/portal/dashboard.html"].replace(
        "{# phi-lint: authenticated #}\n", ""
    )
    files["phi-lint.toml"] = '[pages]\nauthenticated = ["templates/portal/**"]\n'
    project = _project(tmp_path, git_env, hook_repo, ["phi-lint"], files)
    message = "Track page views"
    proc = project.commit({"templates/partials/tracking.html": META_PIXEL}, message)
    _assert_blocked(project, proc, message, "PHI001", "templates/partials/tracking.html")
    assert "templates/portal/dashboard.html" in _output(proc)


@pytest.mark.precommit
@needs_git
def test_pixel_in_the_portal_page_itself_fails_the_commit(tmp_path, git_env, hook_repo):
    project = _project(tmp_path, git_env, hook_repo, ["phi-lint"], CLINIC)
    page = CLINIC["templates/portal/dashboard.html"].replace("{% endblock %}\n", META_PIXEL + "{% endblock %}\n")
    message = "Pixel on the dashboard"
    proc = project.commit({"templates/portal/dashboard.html": page}, message)
    _assert_blocked(project, proc, message, "PHI001", "templates/portal/dashboard.html")


@pytest.mark.precommit
@needs_git
def test_clean_commits_pass(tmp_path, git_env, hook_repo):
    project = _project(tmp_path, git_env, hook_repo, ["phi-lint"], CLINIC)
    # an ordinary change to the portal
    page = CLINIC["templates/portal/dashboard.html"].replace("Tuesday 9:30", "Wednesday 10:00")
    proc = project.commit({"templates/portal/dashboard.html": page}, "Move the visit")
    _assert_passed(project, proc, "Move the visit")
    # a tracker on the public home page only: inventory (PHI100), never a failure
    home = CLINIC["site/index.html"] + META_PIXEL
    proc = project.commit({"site/index.html": home}, "Pixel on the public home page")
    _assert_passed(project, proc, "Pixel on the public home page")
    # files phi-lint does not read are not passed to it at all
    proc = project.commit({"README.md": "Harbor Family Clinic website (fbq)\n"}, "Docs")
    assert proc.returncode == 0 and "(no files to check)Skipped" in _output(proc), _output(proc)


@pytest.mark.precommit
@needs_git
def test_config_excludes_apply_to_staged_files(tmp_path, git_env, hook_repo):
    files = dict(CLINIC)
    files["phi-lint.toml"] = 'extend-exclude = ["legacy/"]\n'
    project = _project(tmp_path, git_env, hook_repo, ["phi-lint"], files)
    old_portal = "{# phi-lint: authenticated #}\n<h1>Old portal</h1>\n" + META_PIXEL
    proc = project.commit({"legacy/portal.html": old_portal}, "Archive the old portal")
    _assert_passed(project, proc, "Archive the old portal")


@pytest.mark.precommit
@needs_git
def test_default_excludes_apply_to_staged_files(tmp_path, git_env, hook_repo):
    project = _project(tmp_path, git_env, hook_repo, ["phi-lint"], CLINIC)
    fixture = "{# phi-lint: authenticated #}\n<h1>Portal fixture</h1>\n" + META_PIXEL
    proc = project.commit(
        {"tests/fixtures/portal.html": fixture, "vendor/theme/portal.html": fixture},
        "Test fixture and vendored theme",
    )
    _assert_passed(project, proc, "Test fixture and vendored theme")


# --- the whole-repository hook ---------------------------------------------------------------


@pytest.mark.precommit
@needs_git
def test_project_hook_fails_and_passes(tmp_path, git_env, hook_repo):
    project = _project(tmp_path, git_env, hook_repo, ["phi-lint-project"], CLINIC)
    # a clean commit passes; the hook runs even when no file it would read is staged
    proc = project.commit({"README.md": "Harbor Family Clinic\n"}, "Docs")
    _assert_passed(project, proc, "Docs")
    assert "phi-lint (whole repository)" in _output(proc)
    message = "Add the Meta Pixel to the tracking partial"
    proc = project.commit({"templates/partials/tracking.html": META_PIXEL}, message)
    _assert_blocked(project, proc, message, "PHI001", "templates/partials/tracking.html")
    project.discard()
    proc = project.commit({"site/index.html": CLINIC["site/index.html"] + META_PIXEL}, "Public pixel")
    _assert_passed(project, proc, "Public pixel")
