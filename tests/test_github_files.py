"""The GitHub workflows, the composite action, the copyable examples and their documentation.

Shape checks (permissions, category, --exit-zero, upload-sarif, every input used), pinning (every
action by full commit SHA with its release in a comment), versions (every phi-lint tag or version
the docs name is in CHANGELOG.md or is the coming first release) and a small local runner that
executes the `run:` steps of the action and of the workflows with bash, the way a GitHub runner
does (`bash --noprofile --norc -eo pipefail`), with `${{ }}` expressions evaluated from the
inputs, step outputs and a `github` context. `uses:` steps are recorded, not executed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers import REPO, write_tree

WORKFLOW = REPO / ".github" / "workflows" / "phi-lint.yml"
CI_WORKFLOW = REPO / ".github" / "workflows" / "ci.yml"
EXAMPLE_WORKFLOW = REPO / "docs" / "examples" / "phi-lint-workflow.yml"
EXAMPLE_ACTION = REPO / "docs" / "examples" / "phi-lint-action.yml"
EXAMPLES = (EXAMPLE_WORKFLOW, EXAMPLE_ACTION)
ACTION = REPO / "action.yml"
DOC = REPO / "docs" / "github-code-scanning.md"
README = REPO / "README.md"
CHANGELOG = REPO / "CHANGELOG.md"
UPLOAD = "github/codeql-action/upload-sarif"
ACTION_INPUTS = {"paths", "args", "sarif-file", "upload", "category", "python-version"}
# The one `uses:` that cannot be a real SHA before phi-lint's first release: the user fills it in.
PHI_LINT_PLACEHOLDER = "<owner>/phi-lint@<commit SHA>"

PIXEL = "<script>fbq('init', '000111222333444'); fbq('track', 'PageView');</script>\n"
PORTAL = {"portal/dashboard.html": "<!-- phi-lint: authenticated -->\n<h1>Visits</h1>\n" + PIXEL}

needs_bash = pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")


def _yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _on(workflow: dict) -> dict:
    # YAML 1.1 reads the key `on` as the boolean True
    return workflow.get("on", workflow.get(True))


def _is_upload(step: dict) -> bool:
    return step.get("uses", "").partition("@")[0] == UPLOAD


def _project_version() -> str:
    """The version in pyproject.toml (read with a regex: tomllib is 3.11+, tomli may be absent)."""
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    return re.search(r'(?m)^version = "([^"]+)"$', text).group(1)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


# --- the workflows ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", [WORKFLOW, EXAMPLE_WORKFLOW], ids=["own", "example"])
def test_workflow_uploads_sarif_to_code_scanning(path):
    workflow = _yaml(path)
    triggers = _on(workflow)
    assert {"push", "pull_request", "schedule"} <= set(triggers)
    assert workflow["permissions"] == {"contents": "read"}  # least privilege by default
    (job,) = workflow["jobs"].values()
    assert job["permissions"]["security-events"] == "write"
    assert job["permissions"]["contents"] == "read" and job["permissions"]["actions"] == "read"
    steps = job["steps"]
    uses = [s.get("uses", "") for s in steps]
    assert uses[0].startswith("actions/checkout@")
    assert steps[0]["with"]["persist-credentials"] is False  # no git token left for later steps
    assert any(u.startswith("actions/setup-python@") for u in uses)
    scan = next(i for i, s in enumerate(steps) if "-f sarif" in s.get("run", ""))
    command = steps[scan]["run"].split()
    assert command[0] == "phi-lint"
    assert "--exit-zero" in command
    assert command[command.index("-o") + 1] == "phi-lint.sarif"
    assert "continue-on-error" not in steps[scan]  # exit status 2 must still fail the job
    upload = next(i for i, s in enumerate(steps) if _is_upload(s))
    assert upload > scan
    assert steps[upload]["with"] == {"sarif_file": "phi-lint.sarif", "category": "phi-lint"}
    # pull requests from forks have a read-only token: no upload for them
    assert "head.repo.full_name == github.repository" in steps[upload]["if"]
    summary = next(s for s in steps if "GITHUB_STEP_SUMMARY" in s.get("run", ""))
    assert "-f markdown" in summary["run"] and "--exit-zero" in summary["run"]


def _install_command(path: Path) -> list[str]:
    (job,) = _yaml(path)["jobs"].values()
    install = next(s for s in job["steps"] if "pip install" in s.get("run", ""))
    return install["run"].split()


def test_own_workflow_installs_this_checkout_and_says_not_to_copy_it():
    assert _install_command(WORKFLOW) == ["python", "-m", "pip", "install", "."]
    header = WORKFLOW.read_text(encoding="utf-8").split("\nname:")[0]
    assert "docs/examples/phi-lint-workflow.yml" in header and "docs/examples/phi-lint-action.yml" in header
    assert "can copy this file" not in header


def test_copyable_workflow_installs_phi_lint_by_exact_version():
    """`pip install .` in a user's repository installs the user's application, not phi-lint."""
    assert _install_command(EXAMPLE_WORKFLOW) == ["python", "-m", "pip", "install", f"phi-lint=={_project_version()}"]


def test_copyable_workflow_is_the_own_workflow_but_for_the_install():
    """The example is what this repository runs on itself, with the install line swapped."""
    own, example = _yaml(WORKFLOW), _yaml(EXAMPLE_WORKFLOW)
    assert _on(own) == _on(example) and own["permissions"] == example["permissions"]
    (own_job,) = own["jobs"].values()
    (example_job,) = example["jobs"].values()
    assert own_job["permissions"] == example_job["permissions"]
    drop_install = lambda steps: [s for s in steps if "pip install" not in s.get("run", "")]  # noqa: E731
    assert drop_install(own_job["steps"]) == drop_install(example_job["steps"])


def test_ci_workflow_runs_the_ci_script():
    workflow = _yaml(CI_WORKFLOW)
    assert workflow["permissions"] == {"contents": "read"}
    (job,) = workflow["jobs"].values()
    assert any(s.get("run") == "bash .ci/run" for s in job["steps"])
    assert "3.10" in job["strategy"]["matrix"]["python-version"]  # the oldest Python supported


# --- pinning: every action by full commit SHA, the release in a comment ---------------------

_USES_LINE = re.compile(
    rf"^\s*(?:-\s+)?uses:\s*(?P<ref>{re.escape(PHI_LINT_PLACEHOLDER)}|[^\s#]+)\s*(?:#\s*(?P<comment>\S+))?", re.M
)
_SHA_PIN = re.compile(r"(?P<action>[\w.-]+/[\w.-]+(?:/[\w./-]+)?)@(?P<sha>[0-9a-f]{40})")
_RELEASE = re.compile(r"v\d+(?:\.\d+){0,2}")
_PINNED_FILES = (*EXAMPLES, WORKFLOW, CI_WORKFLOW, ACTION)


def _uses_lines(path: Path) -> list[tuple[str, str | None]]:
    """(reference, comment) of each `uses:` line, read from the text: YAML drops the comments."""
    return [(m.group("ref"), m.group("comment")) for m in _USES_LINE.finditer(path.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("path", _PINNED_FILES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_action_is_pinned_by_commit_sha_with_its_release_in_a_comment(path):
    lines = _uses_lines(path)
    assert lines, path
    # every `uses:` the YAML holds was seen on a line (none hidden in a flow mapping)
    assert [ref for ref, _ in lines] == list(_uses_values(_yaml(path)))
    for ref, comment in lines:
        assert comment is not None and _RELEASE.fullmatch(comment), f"{ref}: no `# vX.Y.Z` comment"
        if ref == PHI_LINT_PLACEHOLDER:
            assert path == EXAMPLE_ACTION and comment == f"v{_project_version()}"
            continue
        assert _SHA_PIN.fullmatch(ref), f"{ref} is not pinned by a full commit SHA"


def _uses_values(value):
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "uses":
                yield item
            else:
                yield from _uses_values(item)
    elif isinstance(value, list):
        for item in value:
            yield from _uses_values(item)


def test_one_sha_per_action_everywhere():
    """Dependabot moves the pins in .github/ and action.yml, not in docs/examples/ or the doc:
    a pin left behind there fails here."""
    pins: dict[str, set[tuple[str, str]]] = {}
    for path in _PINNED_FILES:
        for ref, comment in _uses_lines(path):
            match = _SHA_PIN.fullmatch(ref)
            if match:
                repository = "/".join(match.group("action").split("/")[:2])
                pins.setdefault(repository, set()).add((match.group("sha"), comment))
    for text in (DOC.read_text(encoding="utf-8"), README.read_text(encoding="utf-8")):
        for match in _SHA_PIN.finditer(text):
            repository = "/".join(match.group("action").split("/")[:2])
            assert repository in pins, match.group(0)
            assert match.group("sha") in {sha for sha, _ in pins[repository]}, match.group(0)
    assert {"actions/checkout", "actions/setup-python", "github/codeql-action"} <= set(pins)
    for repository, versions in pins.items():
        assert len(versions) == 1, f"{repository} pinned to several commits: {sorted(versions)}"


def test_dependabot_keeps_the_pins_current():
    config = _yaml(REPO / ".github" / "dependabot.yml")
    (update,) = [u for u in config["updates"] if u["package-ecosystem"] == "github-actions"]
    assert update["directory"] == "/"  # the workflows and the root action.yml


def test_sarif_file_names_go_to_code_scanning():
    action = _yaml(ACTION)
    for name in ("phi-lint.sarif", action["inputs"]["sarif-file"]["default"]):
        assert name.endswith(".sarif") and not name.endswith(".quality.sarif")


# --- the composite action --------------------------------------------------------------------


def test_action_inputs_and_steps():
    action = _yaml(ACTION)
    assert action["runs"]["using"] == "composite"
    inputs = action["inputs"]
    assert ACTION_INPUTS <= set(inputs)
    for name, spec in inputs.items():
        assert spec.get("description"), name
        assert "default" in spec, name  # every input optional
    assert inputs["paths"]["default"] == "."
    assert inputs["upload"]["default"] == "auto"  # safe: no failing upload on fork pull requests
    assert inputs["category"]["default"] == "phi-lint"
    steps = action["runs"]["steps"]
    text = json.dumps(steps)
    for name in inputs:
        assert f"inputs.{name}" in text, f"input {name} is never used"
    ids = {s.get("id") for s in steps}
    for output in action["outputs"].values():
        for step_id in re.findall(r"steps\.([\w-]+)\.outputs", output["value"]):
            assert step_id in ids
    setup = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["python-version"] == "${{ inputs.python-version }}"
    assert setup["with"]["update-environment"] is False
    install = next(s for s in steps if s.get("id") == "install")
    assert install["env"]["PHI_LINT_SOURCE"] == "${{ github.action_path }}"
    assert "pip install" in install["run"] and '"$PHI_LINT_SOURCE"' in install["run"]
    upload = next(s for s in steps if _is_upload(s))
    assert upload["with"] == {"sarif_file": "${{ inputs.sarif-file }}", "category": "${{ inputs.category }}"}
    assert upload["if"] == "steps.upload.outputs.upload == 'true'"
    assert steps[0]["id"] == "upload"  # a misspelt upload value fails before anything is installed
    for step in steps:
        if "run" in step:
            assert step.get("shell") == "bash", step["name"]  # composite run steps need a shell
            # inputs reach scripts through env only: `${{ }}` in a script is an injection risk
            assert "${{" not in step["run"], step["name"]


GITHUB_CONTEXT = {"action_path", "event_name", "event.pull_request.head.repo.full_name", "repository"}


def test_action_steps_reference_only_known_contexts():
    action = _yaml(ACTION)
    known_steps = {s.get("id") for s in action["runs"]["steps"]}
    for value in _strings(action["runs"]["steps"]):
        for expression in re.findall(r"\$\{\{(.*?)\}\}", value):
            expression = expression.strip()
            if expression.startswith("inputs."):
                assert expression[len("inputs."):] in action["inputs"]
            elif expression.startswith("steps."):
                assert expression.split(".")[1] in known_steps
            else:
                assert expression.startswith("github.") and expression[len("github."):] in GITHUB_CONTEXT, expression


# --- a local runner for the steps ------------------------------------------------------------

_EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
REPOSITORY = "clinic/web"
PUSH = {"event_name": "push", "repository": REPOSITORY}
SAME_REPO_PR = {"event_name": "pull_request", "repository": REPOSITORY,
                "event.pull_request.head.repo.full_name": REPOSITORY}
FORK_PR = {"event_name": "pull_request", "repository": REPOSITORY,
           "event.pull_request.head.repo.full_name": "someone/web"}


class Runner:
    """Runs `run:` steps like a GitHub runner; evaluates the small expression language used."""

    def __init__(self, workspace: Path, tmp: Path, inputs: dict, action_path: Path = REPO, path_dirs=(), github=None):
        self.workspace = workspace
        self.github = {"action_path": str(action_path), **(github or PUSH)}
        self.tmp = tmp
        self.inputs = inputs
        self.action_path = action_path
        self.path_dirs = list(path_dirs)
        self.outputs: dict[str, dict[str, str]] = {}
        self.used: list[dict] = []
        self.ran: list[str] = []
        self.summary = tmp / "step-summary.md"
        self.summary.write_text("", encoding="utf-8")
        self.failed = False

    def value(self, expression: str):
        expression = expression.strip()
        if expression.startswith("inputs."):
            return str(self.inputs[expression[len("inputs."):]])
        if expression.startswith("github."):
            return self.github.get(expression[len("github."):], "")  # absent fields are empty, as on GitHub
        match = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expression)
        if match:
            return self.outputs.get(match.group(1), {}).get(match.group(2), "")
        match = re.fullmatch(r"'([^']*)'", expression)
        if match:
            return match.group(1)
        raise AssertionError(f"expression not understood by the test runner: {expression}")

    def condition(self, text: str | None) -> bool:
        if text is None:
            return not self.failed
        text = _EXPR.sub(lambda m: m.group(1), text).strip()
        return any(self._conjunction(part) for part in text.split("||")) and not self.failed

    def _conjunction(self, text: str) -> bool:
        results = []
        for part in text.split("&&"):
            left, op, right = re.fullmatch(r"\s*(.+?)\s*(==|!=)\s*(.+?)\s*", part).groups()
            equal = self.value(left) == self.value(right)
            results.append(equal if op == "==" else not equal)
        return all(results)

    def render(self, value):
        if isinstance(value, str):
            return _EXPR.sub(lambda m: self.value(m.group(1)), value)
        return value

    def run_step(self, step: dict) -> None:
        if not self.condition(step.get("if")):
            return
        name = step.get("name", step.get("uses", "?"))
        self.ran.append(name)
        if "uses" in step:
            resolved = {k: self.render(v) for k, v in (step.get("with") or {}).items()}
            self.used.append({"uses": step["uses"], "with": resolved})
            if step["uses"].startswith("actions/setup-python@"):
                self.outputs[step.get("id", "")] = {"python-path": sys.executable}
            return
        output_file = self.tmp / f"output-{len(self.ran)}"
        output_file.write_text("", encoding="utf-8")
        script = self.tmp / f"step-{len(self.ran)}.sh"
        script.write_text(step["run"], encoding="utf-8")
        env = dict(os.environ)
        env.update({
            "GITHUB_OUTPUT": str(output_file),
            "GITHUB_STEP_SUMMARY": str(self.summary),
            "GITHUB_WORKSPACE": str(self.workspace),
            "RUNNER_TEMP": str(self.tmp),
            "PYTHONPATH": str(REPO),
            "NO_COLOR": "1",
            "PATH": os.pathsep.join([*map(str, self.path_dirs), env.get("PATH", "")]),
        })
        env.update({k: self.render(v) for k, v in (step.get("env") or {}).items()})
        proc = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=self.workspace, env=env, capture_output=True, text=True, timeout=600,
        )
        self.log = getattr(self, "log", "") + proc.stdout + proc.stderr
        outputs = {}
        for line in output_file.read_text(encoding="utf-8").splitlines():
            key, _, val = line.partition("=")
            outputs[key] = val
        if step.get("id"):
            self.outputs[step["id"]] = outputs
        if proc.returncode != 0:
            self.failed = True
            self.exit_status = proc.returncode


def _shim(tmp: Path) -> Path:
    """A bin/ directory whose phi-lint runs this checkout (what the install step would provide)."""
    bin_dir = tmp / "shim-bin"
    bin_dir.mkdir()
    script = bin_dir / "phi-lint"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m phi_lint "$@"\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return bin_dir


def _action_inputs(**overrides) -> dict:
    inputs = {name: spec["default"] for name, spec in _yaml(ACTION)["inputs"].items()}
    inputs.update(overrides)
    return {k: (str(v).lower() if isinstance(v, bool) else str(v)) for k, v in inputs.items()}


def _run_action(tmp_path: Path, workspace: Path, github=None, **overrides) -> Runner:
    steps = _yaml(ACTION)["runs"]["steps"]
    runner = Runner(workspace, tmp_path, _action_inputs(**overrides), github=github)
    runner.outputs["install"] = {"bin": str(_shim(tmp_path))}
    for step in steps:
        if step.get("id") == "install":
            continue  # replaced by the shim; test_action_install_step runs it for real
        runner.run_step(step)
    return runner


@needs_bash
def test_action_with_findings_uploads_and_summarises(tmp_path):
    workspace = write_tree(tmp_path / "ws", PORTAL)
    runner = _run_action(tmp_path, workspace)
    assert not runner.failed, runner.log
    assert runner.outputs["scan"]["exit-code"] == "1"
    sarif = json.loads((workspace / "phi-lint.sarif").read_text(encoding="utf-8"))
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["PHI001"]
    assert runner.used[-1]["uses"].startswith(UPLOAD + "@")
    assert runner.used[-1]["with"] == {"sarif_file": "phi-lint.sarif", "category": "phi-lint"}
    assert runner.outputs["upload"] == {"upload": "true"}
    assert runner.summary.read_text(encoding="utf-8").startswith("## phi-lint: 1 problem (1 error) in 1 file")
    assert "Fail on findings" not in runner.ran


@needs_bash
def test_action_can_fail_on_findings_after_the_upload(tmp_path):
    workspace = write_tree(tmp_path / "ws", PORTAL)
    runner = _run_action(tmp_path, workspace, **{"fail-on-findings": True, "category": "phi-lint/portal"})
    assert runner.failed and runner.exit_status == 1
    assert runner.ran[-3:] == ["Upload to GitHub code scanning", "Summary", "Fail on findings"]
    assert runner.used[-1]["with"]["category"] == "phi-lint/portal"
    assert "::error title=phi-lint::" in runner.log


@needs_bash
def test_action_clean_repository_without_upload(tmp_path):
    workspace = write_tree(tmp_path / "ws", {"index.html": "<h1>Hello</h1>\n", "site/a.html": PIXEL})
    runner = _run_action(
        tmp_path, workspace, upload=False, **{"fail-on-findings": True, "paths": "index.html site",
                                              "args": "--ignore PHI100", "sarif-file": "out/phi.sarif"}
    )
    assert not runner.failed, runner.log
    assert runner.outputs["scan"]["exit-code"] == "0"
    assert not [u for u in runner.used if _is_upload(u)]
    sarif = json.loads((workspace / "out" / "phi.sarif").read_text(encoding="utf-8"))
    assert sarif["runs"][0]["results"] == []  # PHI100 ignored through args


def _decide_upload(tmp_path: Path, github: dict, upload: str) -> Runner:
    """Runs only the action's first step, which decides on the upload."""
    runner = Runner(tmp_path, tmp_path, _action_inputs(upload=upload), github=github)
    runner.run_step(next(s for s in _yaml(ACTION)["runs"]["steps"] if s.get("id") == "upload"))
    return runner


@needs_bash
@pytest.mark.parametrize(
    ("github", "upload", "uploads"),
    [
        (PUSH, "auto", True),
        (SAME_REPO_PR, "auto", True),
        (FORK_PR, "auto", False),  # read-only token: the upload would fail the job
        ({**FORK_PR, "event_name": "pull_request_review"}, "auto", False),
        ({**FORK_PR, "event.pull_request.head.repo.full_name": ""}, "auto", False),  # fork deleted
        ({**FORK_PR, "event_name": "pull_request_target"}, "auto", True),  # runs with a write token
        (FORK_PR, "true", True),  # the user asked: upload (and let it fail)
        (PUSH, "false", False),
    ],
    ids=["push", "same-repo-pr", "fork-pr", "fork-review", "deleted-fork", "pr-target", "forced", "off"],
)
def test_action_uploads_unless_the_token_cannot(tmp_path, github, upload, uploads):
    runner = _decide_upload(tmp_path, github, upload)
    assert not runner.failed, runner.log
    assert runner.outputs["upload"] == {"upload": str(uploads).lower()}
    skipped_for_fork = upload == "auto" and not uploads
    assert ("::notice title=phi-lint::Not uploading" in runner.log) is skipped_for_fork


@needs_bash
def test_action_on_a_fork_pull_request_skips_the_upload_and_keeps_the_summary(tmp_path):
    workspace = write_tree(tmp_path / "ws", PORTAL)
    runner = _run_action(tmp_path, workspace, github=FORK_PR)
    assert not runner.failed, runner.log  # the job passes: no upload that cannot succeed
    assert not [u for u in runner.used if _is_upload(u)]
    assert "Upload to GitHub code scanning" not in runner.ran
    assert "| `PHI001` | error | Meta Pixel |" in runner.summary.read_text(encoding="utf-8")


@needs_bash
def test_action_rejects_an_unknown_upload_value_before_scanning(tmp_path):
    workspace = write_tree(tmp_path / "ws", PORTAL)
    runner = _run_action(tmp_path, workspace, upload="yes")
    assert runner.failed and runner.exit_status == 2
    assert runner.ran == ["Decide on the upload"]
    assert "must be auto, true or false" in runner.log
    assert not (workspace / "phi-lint.sarif").exists()
    assert _decide_upload(tmp_path, PUSH, "True").failed  # exact values only, as the docs list them


@needs_bash
def test_action_stops_on_a_configuration_error(tmp_path):
    workspace = write_tree(tmp_path / "ws", {**PORTAL, "phi-lint.toml": "no-such-setting = 1\n"})
    runner = _run_action(tmp_path, workspace)
    assert runner.failed and runner.exit_status == 2
    assert runner.outputs["scan"]["exit-code"] == "2"
    assert runner.ran[-1] == "Run phi-lint"  # no upload of a report that was never written
    assert "no-such-setting" in runner.log


@needs_bash
def test_action_install_step(tmp_path):
    """The install step for real: a venv from the given Python, pip install of the action's own
    checkout (a copy of the source files), the console script in the step output."""
    source = tmp_path / "action-src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    for name in ("phi_lint", "rules"):
        shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    steps = _yaml(ACTION)["runs"]["steps"]
    runner = Runner(tmp_path, tmp_path, _action_inputs(), action_path=source)
    runner.run_step(next(s for s in steps if s.get("id") == "python"))
    runner.run_step(next(s for s in steps if s.get("id") == "install"))
    assert not runner.failed, runner.log
    bin_dir = Path(runner.outputs["install"]["bin"])
    assert bin_dir.parent == tmp_path / "phi-lint-venv"
    assert "phi-lint 0." in runner.log
    proc = subprocess.run([str(bin_dir / "phi-lint"), "rules"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and "PHI001" in proc.stdout


@needs_bash
def test_workflow_scan_and_summary_steps_run(tmp_path):
    """The own workflow's steps; the example's are the same (test_copyable_workflow_is_the_own_...)."""
    workspace = write_tree(tmp_path / "ws", PORTAL)
    (job,) = _yaml(WORKFLOW)["jobs"].values()
    runner = Runner(workspace, tmp_path, {}, path_dirs=[_shim(tmp_path)])
    for step in job["steps"]:
        if "phi-lint " in step.get("run", ""):
            runner.run_step(step)
    assert runner.ran == ["Scan", "Summary"]
    assert not runner.failed, runner.log  # --exit-zero: findings do not stop the job
    sarif = json.loads((workspace / "phi-lint.sarif").read_text(encoding="utf-8"))
    assert sarif["runs"][0]["automationDetails"]["id"] == "phi-lint/"
    assert sarif["runs"][0]["results"][0]["ruleId"] == "PHI001"
    assert "| `PHI001` | error | Meta Pixel |" in runner.summary.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", [WORKFLOW, EXAMPLE_WORKFLOW], ids=["own", "example"])
@pytest.mark.parametrize(("github", "uploads"), [(PUSH, True), (SAME_REPO_PR, True), (FORK_PR, False)],
                         ids=["push", "same-repo-pr", "fork-pr"])
def test_workflow_upload_condition(tmp_path, path, github, uploads):
    (job,) = _yaml(path)["jobs"].values()
    upload = next(s for s in job["steps"] if _is_upload(s))
    assert Runner(tmp_path, tmp_path, {}, github=github).condition(upload["if"]) is uploads


# --- the documentation -----------------------------------------------------------------------


def _yaml_blocks(text: str) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", text, re.DOTALL)


def _parse_block(block: str):
    lines = block.splitlines()
    indent = min(len(line) - len(line.lstrip()) for line in lines if line.strip())
    return yaml.safe_load("\n".join(line[indent:] for line in lines))


def test_documentation_shows_the_copyable_examples_verbatim():
    """What a user copies from the page is the file the tests run."""
    blocks = _yaml_blocks(DOC.read_text(encoding="utf-8"))
    assert len(blocks) >= 5
    for block in blocks:
        _parse_block(block)  # every example parses
    for example in EXAMPLES:
        assert example.read_text(encoding="utf-8") in blocks, example.name
    # the action example asks for the permission the upload needs and uses the action
    (job,) = _yaml(EXAMPLE_ACTION)["jobs"].values()
    assert job["permissions"]["security-events"] == "write"
    assert job["steps"][-1]["uses"] == PHI_LINT_PLACEHOLDER
    assert "upload" not in job["steps"][-1].get("with", {})  # the safe default does the fork check


def test_documentation_covers_what_users_trip_over():
    text = DOC.read_text(encoding="utf-8")
    for needle in (
        "--exit-zero",
        "security-events: write",
        "category",
        "Advanced Security",
        "GITHUB_STEP_SUMMARY",
        "-f markdown",
        "25,000",
        "10 MB",
        "forks",
        "--include-suppressed",
        "`auto`",
        "full-length commit SHA",
        "git ls-remote",
        "package-ecosystem: github-actions",
        "--require-hashes",
    ):
        assert needle in text, needle
    # every input of the action is documented in the table
    for name in _yaml(ACTION)["inputs"]:
        assert f"| `{name}` |" in text, name


# --- versions, tags and the changelog --------------------------------------------------------

_CHANGE_TYPES = {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}
_RELEASE_HEADING = re.compile(r"\[(?P<version>\d+\.\d+\.\d+)\] - (?P<date>\d{4}-\d{2}-\d{2})")


def _changelog() -> tuple[list[str], list[str]]:
    """(the `## ` headings in order, the link definitions) of CHANGELOG.md."""
    text = CHANGELOG.read_text(encoding="utf-8")
    headings = re.findall(r"(?m)^## (.+)$", text)
    links = re.findall(r"(?m)^\[([^\]]+)\]: \S+$", text)
    return headings, links


def _released() -> list[str]:
    headings, _ = _changelog()
    return [m.group("version") for h in headings if (m := _RELEASE_HEADING.fullmatch(h))]


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def test_changelog_keeps_a_changelog():
    text = CHANGELOG.read_text(encoding="utf-8")
    assert text.startswith("# Changelog\n")
    assert "https://keepachangelog.com/en/1.1.0/" in text and "https://semver.org/" in text
    headings, links = _changelog()
    assert headings[0] == "[Unreleased]"  # where the next release's changes are gathered
    for heading in headings[1:]:
        assert _RELEASE_HEADING.fullmatch(heading), f"release heading {heading!r} is not `[X.Y.Z] - YYYY-MM-DD`"
    released = _released()
    assert released == sorted(released, key=_version_key, reverse=True)  # newest first
    assert set(links) == {"Unreleased", *released}  # each heading links to its diff or tag
    for section in re.findall(r"(?m)^### (.+)$", text):
        assert section in _CHANGE_TYPES, section
    # what exists today is listed: the rules, the formats, the hooks, the security hardening
    unreleased = text.split("## [Unreleased]")[1].split("\n## ")[0]
    for needle in ("PHI001", "PHI005", "PHI900", "SARIF", "JSON", "Markdown", "pre-commit", "action.yml",
                   "### Security", "hostile"):
        assert needle in unreleased, needle


def test_versions_agree():
    from phi_lint import __version__

    version = _project_version()
    assert __version__ == version
    released = _released()
    # the version in the files is the newest release or the coming one, never older
    assert not released or _version_key(version) >= _version_key(released[0])


def _phi_lint_version_mentions(text: str) -> list[str]:
    """Versions of phi-lint a user is told to use: `phi-lint@vX`, `phi-lint==X`, a pre-commit
    `rev: vX`, and the `# vX` comment of the action's `uses:` line."""
    found = re.findall(r"phi-lint@(v\d[\w.]*)", text)
    found += ["v" + v for v in re.findall(r"phi-lint==(\d[\w.]*)", text)]
    found += re.findall(r"(?m)^\s*rev:\s*(v\d[\w.]*)", text)
    found += re.findall(r"phi-lint@<commit SHA> # (v\d[\w.]*)", text)
    return found


@pytest.mark.parametrize("path", [README, DOC, *EXAMPLES], ids=lambda p: p.relative_to(REPO).as_posix())
def test_tags_the_docs_name_exist_or_are_said_to_come_with_the_first_release(path):
    """`rev: v0.1.0` and `@v0` must name a release in CHANGELOG.md, or the coming first release
    with the page saying that it does not exist yet."""
    text = path.read_text(encoding="utf-8")
    mentions = _phi_lint_version_mentions(text)
    assert mentions, path.name
    released = _released()
    coming = _project_version()
    for mention in mentions:
        version = mention[1:]
        if version in released:
            continue
        if "." not in version:  # a major tag such as v0: moved to each release of that major
            majors = {v.split(".")[0] for v in released}
            if version in majors:
                continue
            assert version == coming.split(".")[0], mention
        else:
            assert version == coming, f"{path.name} names {mention}, neither released nor the coming {coming}"
        assert coming not in released
        # the page says the tag is not there yet, and what to pin until it is: the README and the
        # doc in a sentence of their own, the examples in their header comment
        flat = " ".join(text.split())
        said = "phi-lint has not been released yet" if path in (README, DOC) else "first release"
        assert said in flat and "SHA" in flat, f"{path.name} names unreleased {mention} without saying so"


def test_readme_says_how_to_release():
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Releasing\n")[1].split("\n## ")[0]
    for needle in ("pyproject.toml", "phi_lint/__init__.py", "CHANGELOG.md", "[Unreleased]", "git tag",
                   "vX.Y.Z", "`v0`", "--force", "twine", "Dependabot"):
        assert needle in section, needle
