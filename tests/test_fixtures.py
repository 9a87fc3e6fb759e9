"""Each fixture repository produces exactly its expected findings (tests/expected/<name>.txt),
in every output format, and its SARIF is schema-valid."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote

import pytest
from helpers import REPO, finding_lines, run_cli, scan_tree

FIXTURES = REPO / "fixtures"
EXPECTED = REPO / "tests" / "expected"
NAMES = sorted(p.stem for p in EXPECTED.glob("*.txt"))


def _expected(name: str) -> list[str]:
    lines = (EXPECTED / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    return sorted(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def test_every_fixture_has_expectations():
    fixtures = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())
    assert fixtures == NAMES
    assert {"demo-clinic", "static-site", "flask-portal", "nextjs-app", "vue-app"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_fixture_findings(name):
    root = FIXTURES / name
    result = scan_tree(root)
    assert finding_lines(result, root) == _expected(name)
    assert [n for n in result.notifications if n.level == "warning"] == []


@pytest.mark.parametrize("name", NAMES)
def test_fixture_json_output(name):
    proc = run_cli("-f", "json", str(FIXTURES / name))
    data = json.loads(proc.stdout)
    got = sorted(
        f"{f['rule']} {Path(f['path']).relative_to(Path('fixtures') / name).as_posix()}:{f['line']} {f['vendor']}"
        for f in data["findings"]
    )
    assert got == _expected(name)
    failing = [f for f in data["findings"] if f["level"] in ("error", "warning")]
    assert proc.returncode == (1 if failing else 0)
    for finding in data["findings"]:
        assert finding["vendorName"] and finding["message"] and finding["fix"]
        if finding["kind"] == "server-send" and finding["rule"] == "PHI001":
            assert finding["details"]["guards"], finding  # a sender is on no page: its handler's guard
        elif finding["rule"] in ("PHI001", "PHI002", "PHI003"):
            assert finding["pages"] and finding["pages"][0]["evidence"], finding


@pytest.mark.parametrize("name", NAMES)
def test_fixture_sarif_is_schema_valid(name, tmp_path, sarif_validator):
    out = tmp_path / f"{name}.sarif"
    proc = run_cli("-f", "sarif", "-o", str(out), str(FIXTURES / name))
    assert proc.returncode in (0, 1), proc.stderr
    log = json.loads(out.read_text(encoding="utf-8"))
    errors = sorted(sarif_validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    run = log["runs"][0]
    got = sorted(
        f"{r['ruleId']} {Path(unquote(r['locations'][0]['physicalLocation']['artifactLocation']['uri'])).relative_to(Path('fixtures') / name).as_posix()}"
        f":{r['locations'][0]['physicalLocation']['region']['startLine']} {r['properties']['vendor']}"
        for r in run["results"]
    )
    assert got == _expected(name)
