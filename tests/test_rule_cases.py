"""Every rule case in tests/rule_cases/*.yml: small repos with the exact findings of one rule."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from helpers import finding_lines, scan_tree, write_tree

from phi_lint.rulebook import load_rules

CASES_DIR = Path(__file__).parent / "rule_cases"


def _cases():
    params = []
    for path in sorted(CASES_DIR.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for name, case in data["cases"].items():
            params.append(pytest.param(data["rule"], name, case, id=f"{data['rule']}:{name}"))
    return params


CASES = _cases()


@pytest.mark.parametrize("rule,name,case", CASES)
def test_rule_case(tmp_path, rule, name, case):
    files = dict(case["files"])
    if "config" in case:
        files["phi-lint.toml"] = case["config"]
    write_tree(tmp_path, files)
    result = scan_tree(tmp_path)
    got = [line for line in finding_lines(result, tmp_path) if line.startswith(rule + " ")]
    if case.get("pass"):
        assert got == [], f"expected no {rule}, got {got}"
    else:
        expected = sorted(f"{rule} {item}" for item in case["fail"])
        assert got == expected
    if "message_contains" in case:
        messages = " ".join(f.message for f in result.findings if f.rule_id == rule)
        for fragment in case["message_contains"]:
            assert fragment in messages


def test_every_rule_has_pass_and_fail_cases():
    seen: dict[str, set[str]] = {}
    for param in CASES:
        rule, _name, case = param.values
        seen.setdefault(rule, set()).add("pass" if case.get("pass") else "fail")
    for rule_id in load_rules():
        assert seen.get(rule_id) == {"pass", "fail"}, f"{rule_id} needs pass and fail cases"
