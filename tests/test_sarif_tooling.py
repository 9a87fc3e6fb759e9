"""Tests of the SARIF validation tooling: the vendored schema and the multitool wrapper.

The schema tests are fast and need only ``jsonschema``. The tests marked
``multitool`` run Microsoft's SARIF multitool (installed from npm on first
use, see tests/sarif_multitool.py); they are skipped when node or npm is
missing, unless ``PHI_LINT_REQUIRE_MULTITOOL=1`` is set, in which case a
missing tool fails them.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator, validators

TESTS = Path(__file__).resolve().parent
DATA = TESTS / "data"
SCHEMA_PATH = DATA / "sarif-schema-2.1.0.json"
GOOD = DATA / "sarif" / "good.sarif"
BAD = DATA / "sarif" / "bad.sarif"
OASIS_ID = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


def _load_multitool_module():
    # Loaded by path so that the test works whatever pytest's import mode is.
    spec = importlib.util.spec_from_file_location("phi_lint_tests_sarif_multitool", TESTS / "sarif_multitool.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


sarif_multitool = _load_multitool_module()


def _read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return _read(SCHEMA_PATH)


@pytest.fixture(scope="module")
def validator(schema: dict[str, Any]):
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _errors(validator, document: Any) -> list[str]:
    return [
        f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message}"
        for error in validator.iter_errors(document)
    ]


# --------------------------------------------------------------------------- schema


def test_vendored_schema_is_the_oasis_2_1_0_errata01_schema(schema: dict[str, Any]) -> None:
    assert schema["id"] == OASIS_ID
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    assert schema["properties"]["version"]["enum"] == ["2.1.0"]
    # The draft-04 dialect is what validator_for must pick from the "$schema" key.
    assert validators.validator_for(schema) is Draft4Validator


def test_minimal_log_is_valid(validator) -> None:
    minimal = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "phi-lint", "rules": []}}, "results": []}],
    }
    assert _errors(validator, minimal) == []


def test_good_sarif_is_valid(validator) -> None:
    assert _errors(validator, _read(GOOD)) == []


def test_bad_sarif_is_schema_valid_so_only_the_multitool_catches_it(validator) -> None:
    # bad.sarif breaks GitHub's rules (no region, an https location, a rule
    # without help), none of which the JSON schema expresses.
    assert _errors(validator, _read(BAD)) == []


def _first_result(log: dict[str, Any]) -> dict[str, Any]:
    return log["runs"][0]["results"][0]


def _set_level_high(log: dict[str, Any]) -> None:
    _first_result(log)["level"] = "High"


def _set_start_line_zero(log: dict[str, Any]) -> None:
    _first_result(log)["locations"][0]["physicalLocation"]["region"]["startLine"] = 0


def _add_unknown_property(log: dict[str, Any]) -> None:
    _first_result(log)["severity"] = "high"


@pytest.mark.parametrize(
    ("mutate", "path", "fragment"),
    [
        pytest.param(_set_level_high, "runs/0/results/0/level", "'High' is not one of", id="level-High"),
        pytest.param(
            _set_start_line_zero,
            "runs/0/results/0/locations/0/physicalLocation/region/startLine",
            "less than the minimum of 1",
            id="startLine-0",
        ),
        pytest.param(
            _add_unknown_property, "runs/0/results/0", "'severity' was unexpected", id="unknown-property"
        ),
    ],
)
def test_schema_rejects_bad_shapes(
    validator, mutate: Callable[[dict[str, Any]], None], path: str, fragment: str
) -> None:
    log = copy.deepcopy(_read(GOOD))
    mutate(log)
    errors = _errors(validator, log)
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"{path}: ") and fragment in errors[0], errors


def test_good_sarif_has_the_properties_github_uses() -> None:
    log = _read(GOOD)
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    assert run["automationDetails"]["id"] == "phi-lint/"
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].endswith("/")
    rule = run["tool"]["driver"]["rules"][0]
    for key in ("id", "name", "shortDescription", "fullDescription", "help", "defaultConfiguration"):
        assert rule[key], key
    assert rule["help"]["text"] and rule["help"]["markdown"]
    assert isinstance(rule["properties"]["security-severity"], str)
    assert "security" in rule["properties"]["tags"] and rule["properties"]["precision"] == "high"
    result = run["results"][0]
    assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
    assert set(result) >= {"ruleId", "ruleIndex", "level", "message", "locations", "partialFingerprints"}
    assert "primaryLocationLineHash" not in result["partialFingerprints"]
    (location,) = result["locations"]
    physical = location["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "templates/portal/base.html", "uriBaseId": "%SRCROOT%"}
    assert set(physical["region"]) == {"startLine", "startColumn", "endLine", "endColumn"}
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is True
    assert len(invocation["toolExecutionNotifications"]) == 1


# --------------------------------------------------------------------------- multitool output parsing (no node needed)


def test_problems_from_log_formats_message_ids_and_filters_levels(tmp_path: Path) -> None:
    target = tmp_path / "x.sarif"
    target.write_text("{}", encoding="utf-8")
    log = {
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "Sarif.Multitool",
                        "rules": [
                            {"id": "GH1003", "messageStrings": {"Error_Default": {"text": "{0}: no region in {1}."}},
                             "defaultConfiguration": {"level": "error"}},
                            {"id": "SARIF2002", "messageStrings": {"Note_Default": {"text": "{0}: use ids."}},
                             "defaultConfiguration": {"level": "note"}},
                            {"id": "SARIF2005", "defaultConfiguration": {"level": "warning"}},
                        ],
                    }
                },
                "results": [
                    {"ruleId": "GH1003", "ruleIndex": 0,
                     "message": {"id": "Error_Default", "arguments": ["runs[0].results[0]", "{x}"]},
                     "locations": [{"physicalLocation": {"artifactLocation": {"uri": target.as_uri()},
                                                         "region": {"startLine": 7, "startColumn": 3}}}]},
                    {"ruleId": "SARIF2002", "ruleIndex": 1, "level": "note",
                     "message": {"id": "Note_Default", "arguments": ["runs[0]"]}},
                    {"ruleId": "SARIF2005", "ruleIndex": 2, "message": {"text": "No informationUri."},
                     "locations": [{"physicalLocation": {"artifactLocation": {"uri": str(target)}}}]},
                ],
                "invocations": [
                    {
                        "executionSuccessful": True,
                        "toolConfigurationNotifications": [
                            {"message": {"text": "Rule 'SARIF2006' was explicitly disabled by the user."},
                             "descriptor": {"id": "WRN999.RuleExplicitlyDisabled"}},
                            {"message": {"text": "Rule 'GH1001' was explicitly disabled by the user."},
                             "descriptor": {"id": "WRN999.RuleExplicitlyDisabled"}},
                        ],
                    }
                ],
            }
        ]
    }
    assert sarif_multitool.problems_from_log(log, target, display="x.sarif") == [
        "x.sarif:7:3: error GH1003: runs[0].results[0]: no region in {x}.",
        "x.sarif: warning SARIF2005: No informationUri.",
        "x.sarif: warning WRN999.RuleExplicitlyDisabled: Rule 'GH1001' was explicitly disabled by the user.",
    ]


def test_github_config_switches_rules_and_refuses_unknown_formats() -> None:
    entries = "".join(
        f'  <Properties Key="{rule}.SomeRule.Options">\n'
        f'    <Property Key="RuleEnabled" Value="Default" Type="Driver.RuleEnabledState" />\n'
        "  </Properties>\n"
        for rule in (*sarif_multitool.GH_RULES_TO_ENABLE, "GH1011", "SARIF2006")
    )
    config = sarif_multitool.make_github_config(f"<Properties>\n{entries}</Properties>\n")
    for rule in sarif_multitool.GH_RULES_TO_ENABLE:
        assert f'Key="{rule}.SomeRule.Options">\n    <Property Key="RuleEnabled" Value="Error"' in config
    assert 'Key="GH1011.SomeRule.Options">\n    <Property Key="RuleEnabled" Value="Default"' in config
    assert 'Key="SARIF2006.SomeRule.Options">\n    <Property Key="RuleEnabled" Value="Disabled"' in config
    with pytest.raises(RuntimeError, match="GH1001"):
        sarif_multitool.make_github_config("<Properties />")


# --------------------------------------------------------------------------- multitool


@pytest.mark.multitool
def test_multitool_is_the_pinned_version(multitool: Path) -> None:
    proc = subprocess.run([str(multitool), "--version"], capture_output=True, text=True,
                          env={**os.environ, "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT": "1"}, timeout=120)
    # the multitool prints its version on stderr
    assert f"SARIF Multitool {sarif_multitool.MULTITOOL_VERSION}" in proc.stdout + proc.stderr
    assert sarif_multitool.config_path().is_file()


@pytest.mark.multitool
def test_multitool_finds_no_problem_in_good_sarif(multitool: Path) -> None:
    assert sarif_multitool.validate(GOOD) == []


@pytest.mark.multitool
def test_multitool_flags_bad_sarif_with_github_rules(multitool: Path) -> None:
    problems = sarif_multitool.validate(BAD)
    text = "\n".join(problems)
    # no region (GH1003 is off by default: proves the GH-enabled config is used)
    assert any(" error GH1003: " in p and "results[0]" in p for p in problems), text
    # an https location
    assert any(" error GH1005: " in p and "googletagmanager" in p for p in problems), text
    # a rule without help and fullDescription
    assert any(" error GH2012: " in p and "'help'" in p for p in problems), text
    assert any(" error GH2012: " in p and "'fullDescription'" in p for p in problems), text
    assert all(p.startswith(f"{BAD}:") for p in problems), text


@pytest.mark.multitool
def test_multitool_cli_exit_status(multitool: Path) -> None:
    script = str(TESTS / "sarif_multitool.py")
    clean = subprocess.run([sys.executable, script, str(GOOD)], capture_output=True, text=True, timeout=300)
    assert (clean.returncode, clean.stdout) == (0, ""), clean.stderr
    dirty = subprocess.run([sys.executable, script, str(GOOD), str(BAD)], capture_output=True, text=True,
                           timeout=300)
    assert dirty.returncode == 1, dirty.stderr
    assert "GH1003" in dirty.stdout and "GH1005" in dirty.stdout and "GH2012" in dirty.stdout
