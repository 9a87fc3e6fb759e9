"""The GitHub workflow, the composite action and their documentation.

Shape checks (permissions, category, --exit-zero, upload-sarif, every input used) and a small
local runner that executes the `run:` steps of the action and of the workflow with bash, the way
a GitHub runner does (`bash --noprofile --norc -eo pipefail`), with `${{ }}` expressions
evaluated from the inputs and step outputs. `uses:` steps are recorded, not executed.
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
ACTION = REPO / "action.yml"
DOC = REPO / "docs" / "github-code-scanning.md"
UPLOAD = "github/codeql-action/upload-sarif@v4"
ACTION_INPUTS = {"paths", "args", "sarif-file", "upload", "category", "python-version"}

PIXEL = "<script>fbq('init', '000111222333444'); fbq('track', 'PageView');</script>\n"
PORTAL = {"portal/dashboard.html": "<!-- phi-lint: authenticated -->\n<h1>Visits</h1>\n" + PIXEL}

needs_bash = pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")


def _yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _on(workflow: dict) -> dict:
    # YAML 1.1 reads the key `on` as the boolean True
    return workflow.get("on", workflow.get(True))


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


# --- the workflow ----------------------------------------------------------------------------


def test_workflow_uploads_sarif_to_code_scanning():
    workflow = _yaml(WORKFLOW)
    triggers = _on(workflow)
    assert {"push", "pull_request", "schedule"} <= set(triggers)
    assert workflow["permissions"] == {"contents": "read"}  # least privilege by default
    (job,) = workflow["jobs"].values()
    assert job["permissions"]["security-events"] == "write"
    assert job["permissions"]["contents"] == "read" and job["permissions"]["actions"] == "read"
    steps = job["steps"]
    uses = [s.get("uses", "") for s in steps]
    assert uses[0].startswith("actions/checkout@")
    assert any(u.startswith("actions/setup-python@") for u in uses)
    install = next(s for s in steps if "pip install" in s.get("run", ""))
    assert install["run"].split() == ["python", "-m", "pip", "install", "."]
    scan = next(i for i, s in enumerate(steps) if "-f sarif" in s.get("run", ""))
    command = steps[scan]["run"].split()
    assert command[0] == "phi-lint"
    assert "--exit-zero" in command
    assert command[command.index("-o") + 1] == "phi-lint.sarif"
    assert "continue-on-error" not in steps[scan]  # exit status 2 must still fail the job
    upload = next(i for i, s in enumerate(steps) if s.get("uses") == UPLOAD)
    assert upload > scan
    assert steps[upload]["with"] == {"sarif_file": "phi-lint.sarif", "category": "phi-lint"}
    # pull requests from forks have a read-only token: no upload for them
    assert "head.repo.full_name == github.repository" in steps[upload]["if"]
    summary = next(s for s in steps if "GITHUB_STEP_SUMMARY" in s.get("run", ""))
    assert "-f markdown" in summary["run"] and "--exit-zero" in summary["run"]


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
    assert inputs["upload"]["default"] == "true"
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
    upload = next(s for s in steps if s.get("uses") == UPLOAD)
    assert upload["with"] == {"sarif_file": "${{ inputs.sarif-file }}", "category": "${{ inputs.category }}"}
    assert upload["if"] == "inputs.upload == 'true'"
    for step in steps:
        if "run" in step:
            assert step.get("shell") == "bash", step["name"]  # composite run steps need a shell
            # inputs reach scripts through env only: `${{ }}` in a script is an injection risk
            assert "${{" not in step["run"], step["name"]


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
                assert expression == "github.action_path", expression


# --- a local runner for the steps ------------------------------------------------------------

_EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


class Runner:
    """Runs `run:` steps like a GitHub runner; evaluates the small expression language used."""

    def __init__(self, workspace: Path, tmp: Path, inputs: dict, action_path: Path = REPO, path_dirs=()):
        self.workspace = workspace
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
        if expression == "github.action_path":
            return str(self.action_path)
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
        results = []
        for part in text.split("&&"):
            left, op, right = re.fullmatch(r"\s*(.+?)\s*(==|!=)\s*(.+?)\s*", part).groups()
            equal = self.value(left) == self.value(right)
            results.append(equal if op == "==" else not equal)
        return all(results) and not self.failed

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


def _run_action(tmp_path: Path, workspace: Path, **overrides) -> Runner:
    steps = _yaml(ACTION)["runs"]["steps"]
    runner = Runner(workspace, tmp_path, _action_inputs(**overrides))
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
    assert runner.used[-1] == {"uses": UPLOAD, "with": {"sarif_file": "phi-lint.sarif", "category": "phi-lint"}}
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
    assert not [u for u in runner.used if u["uses"] == UPLOAD]
    sarif = json.loads((workspace / "out" / "phi.sarif").read_text(encoding="utf-8"))
    assert sarif["runs"][0]["results"] == []  # PHI100 ignored through args


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


# --- the documentation -----------------------------------------------------------------------


def _yaml_blocks(text: str) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", text, re.DOTALL)


def test_documentation_examples_parse_and_match_the_workflow():
    text = DOC.read_text(encoding="utf-8")
    blocks = _yaml_blocks(text)
    assert len(blocks) >= 4
    parsed = []
    for block in blocks:
        lines = block.splitlines()
        indent = min(len(line) - len(line.lstrip()) for line in lines if line.strip())
        parsed.append(yaml.safe_load("\n".join(line[indent:] for line in lines)))
    workflows = [p for p in parsed if isinstance(p, dict) and "jobs" in p]
    documented = next(w for w in workflows if any("pip install ." in s for s in _strings(w)))
    real = _yaml(WORKFLOW)
    assert _on(documented) == _on(real)
    assert documented["permissions"] == real["permissions"]
    (doc_job,) = documented["jobs"].values()
    (real_job,) = real["jobs"].values()
    assert doc_job["permissions"] == real_job["permissions"]
    assert doc_job["steps"] == real_job["steps"]
    # the action example asks for the permission the upload needs
    action_example = next(w for w in workflows if any("phi-lint@v0" in s for s in _strings(w)))
    (job,) = action_example["jobs"].values()
    assert job["permissions"]["security-events"] == "write"


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
    ):
        assert needle in text, needle
    # every input of the action is documented in the table
    for name in _yaml(ACTION)["inputs"]:
        assert f"| `{name}` |" in text, name
