"""Every framework case in tests/framework_cases/*.yml: small repositories of one framework or
template dialect, with the labels phi-lint gives their pages and the findings it reports.

A case file:

    framework: django            # what the file covers (free text, used in test ids)
    cases:
      <case name>:
        config: |                # optional phi-lint.toml
        files: {path: content}   # the repository
        pages:                   # optional: pages and what phi-lint says about them
          <path>:
            labels: [authenticated]   # exactly the labels the page has ([] = none)
            evidence: "@login_required"   # optional: a fragment of one of its evidence texts
        findings:                # optional: exactly the findings, as `RULE path:line vendor`
          - PHI001 templates/base.html:4 meta-pixel
                                 # PHI100 inventory findings are left out unless `inventory: true`
        findings_say:            # optional: a fragment of the message of a finding of each rule
          PHI001: "does not count"

Each case needs `pages` or `findings`; each file needs a positive case (a label or a finding
expected) and a negative one (a page without labels, or no findings), so that every shape is
shown both ways.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from helpers import finding_lines, scan_tree, write_tree

CASES_DIR = Path(__file__).parent / "framework_cases"


def _files() -> list[Path]:
    return sorted(CASES_DIR.rglob("*.yml"))


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _cases():
    params = []
    for path in _files():
        data = _load(path)
        for name, case in data["cases"].items():
            params.append(pytest.param(case, id=f"{data['framework']}:{name}"))
    return params


def _labels(context) -> list[str]:
    return sorted(label for label, evidence in context.labels.items() if evidence)


def _evidence(context) -> list[str]:
    return [evidence.describe(context.path) for items in context.labels.values() for evidence in items]


@pytest.mark.parametrize("case", _cases())
def test_framework_case(tmp_path, case):
    assert "pages" in case or "findings" in case, "a case needs `pages` or `findings`"
    files = dict(case["files"])
    if "config" in case:
        files["phi-lint.toml"] = case["config"]
    write_tree(tmp_path, files)
    result = scan_tree(tmp_path)
    prefix = tmp_path.resolve().relative_to(result.root.resolve()).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    for page, expected in (case.get("pages") or {}).items():
        context = result.contexts[prefix + page]
        assert _labels(context) == sorted(expected.get("labels", [])), (page, _evidence(context))
        if "evidence" in expected:
            texts = _evidence(context)
            assert any(expected["evidence"] in text for text in texts), (page, texts)
    if "findings" in case:
        got = finding_lines(result, tmp_path)
        if not case.get("inventory"):
            got = [line for line in got if not line.startswith("PHI100 ")]
        assert got == sorted(case["findings"])
    for rule, fragment in (case.get("findings_say") or {}).items():
        messages = [f.message for f in result.findings if f.rule_id == rule]
        assert any(fragment in message for message in messages), (rule, messages)


def _positive(case: dict) -> bool:
    return bool(case.get("findings")) or any(page.get("labels") for page in (case.get("pages") or {}).values())


def _negative(case: dict) -> bool:
    no_labels = any(not page.get("labels") for page in (case.get("pages") or {}).values())
    return no_labels or case.get("findings") == []


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.stem)
def test_every_framework_file_has_positive_and_negative_cases(path):
    cases = _load(path)["cases"].values()
    assert any(_positive(case) for case in cases), f"{path.name} needs a case with a label or a finding"
    assert any(_negative(case) for case in cases), f"{path.name} needs a case without labels or findings"


def test_there_are_framework_cases():
    assert len(_files()) >= 5
