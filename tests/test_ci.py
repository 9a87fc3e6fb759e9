"""The quick test command and CI together run every test.

The README's `pytest` leaves out the tests marked slow, multitool or precommit (pyproject.toml's
addopts); .ci/run runs the README command verbatim and then exactly those. These tests check that
the pieces agree, so that no test can fall between the two runs.
"""

from __future__ import annotations

import itertools
import re
import shlex

from conftest import CI_ONLY_SELECTION, QUICK_SELECTION
from helpers import REPO

CI_RUN = REPO / ".ci" / "run"
README = REPO / "README.md"
MARKERS = ("slow", "multitool", "precommit")


def _addopts() -> list[str]:
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    line = re.search(r"(?m)^addopts = (\[.*\])$", text).group(1)
    return [shlex.split(item)[0] for item in re.findall(r'"[^"]*"', line)]


def _selects(expression: str, marks: set[str]) -> bool:
    """Evaluates a marker expression of pytest's -m language (names, and, or, not) for a test."""
    words = expression.split()
    assert set(words) <= {"and", "or", "not", "(", ")", *MARKERS}, expression
    return eval(" ".join(w if w in ("and", "or", "not") else str(w in marks) for w in words))  # noqa: S307


def test_the_quick_selection_is_the_default():
    addopts = _addopts()
    assert addopts[addopts.index("-m") + 1] == QUICK_SELECTION
    assert addopts[addopts.index("-n") + 1] == "auto"  # parallel on any number of CPUs
    assert "--strict-markers" in addopts  # a misspelt marker is an error, not a test left out


def test_quick_and_ci_only_selections_together_take_every_test_once():
    for size in range(len(MARKERS) + 1):
        for marks in map(set, itertools.combinations(MARKERS, size)):
            assert _selects(QUICK_SELECTION, marks) != _selects(CI_ONLY_SELECTION, marks), marks


def test_ci_runs_the_readme_command_verbatim_then_the_rest():
    readme_command = next(
        line for line in README.read_text(encoding="utf-8").splitlines()
        if line.startswith("python3 -m venv .venv") and line.endswith("&& pytest")
    )
    script = CI_RUN.read_text(encoding="utf-8").splitlines()
    quick = script.index(readme_command)
    rest = next(i for i, line in enumerate(script) if line.startswith("pytest -m "))
    assert quick < rest
    assert shlex.split(script[rest])[:3] == ["pytest", "-m", CI_ONLY_SELECTION]
    # the multitool tests must run in CI, not be skipped for want of node and npm
    assert "export PHI_LINT_REQUIRE_MULTITOOL=1" in "\n".join(script[:quick])
    assert "apt-get install" in "\n".join(script[:quick]) and "nodejs npm" in "\n".join(script[:quick])
    # and the terminal screen test needs tmux
    assert "export PHI_LINT_REQUIRE_TMUX=1" in "\n".join(script[:quick])
    assert "apt-get install -y -qq tmux" in "\n".join(script[:quick])


def test_ci_runs_the_lint_and_type_gates_before_the_slow_tests():
    script = CI_RUN.read_text(encoding="utf-8").splitlines()
    ruff = script.index("ruff check phi_lint tests bench")
    mypy = script.index("mypy phi_lint")  # settings from pyproject.toml's [tool.mypy]
    rest = next(i for i, line in enumerate(script) if line.startswith("pytest -m "))
    assert ruff < mypy < rest
    extras = re.search(r"(?m)^test = \[(.*)\]$", (REPO / "pyproject.toml").read_text(encoding="utf-8")).group(1)
    assert '"mypy>=' in extras and '"ruff>=' in extras  # `pip install -e '.[test]'` brings both gates


def test_the_readme_command_fits_on_one_line_on_a_fresh_machine():
    text = README.read_text(encoding="utf-8")
    assert "python3 -m venv .venv && . .venv/bin/activate && pip install -q -e '.[test]' && pytest\n" in text
    extras = re.search(r"(?m)^test = \[(.*)\]$", (REPO / "pyproject.toml").read_text(encoding="utf-8")).group(1)
    for package in ("pytest", "pytest-xdist", "hypothesis", "pyyaml", "jsonschema", "pre-commit"):
        assert f'"{package}>=' in extras, package
