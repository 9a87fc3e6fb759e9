"""The SARIF reporter: GitHub code scanning's requirements, checked by schema and multitool."""

from __future__ import annotations

import json

import pytest
from helpers import REPO, run_cli, scan_tree, write_tree

from phi_lint.reporters.sarif import build_log, render_sarif, to_sarif_dict

FIXTURES = sorted(p.name for p in (REPO / "fixtures").iterdir() if p.is_dir())
PAGES = {
    "portal/home.html": "<!-- phi-lint: authenticated -->\n<script>fbq('init', '123456789012345');</script>\n",
    "conditions/flu.html": "<!-- phi-lint: health -->\n<script>ttq.load('C4ABCDEFGHIJ12345678');</script>\n",
    "index.html": '<script src="https://www.googletagmanager.com/gtag/js?id=G-ABCD123456"></script>\n',
    "broken.html": b"\x00\x01binary",
}


@pytest.fixture()
def log(tmp_path):
    write_tree(tmp_path, PAGES)
    return json.loads(render_sarif(scan_tree(tmp_path))), tmp_path


def test_run_shape_for_github(log, sarif_validator):
    data, _ = log
    assert not list(sarif_validator.iter_errors(data))
    assert data["version"] == "2.1.0" and data["$schema"].endswith("sarif-2.1.0.json")
    (run,) = data["runs"]
    assert run["automationDetails"]["id"] == "phi-lint/"
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].startswith("file:///")
    assert "newlineSequences" not in run


def test_rules_are_complete(log):
    data, _ = log
    rules = data["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules][:3] == ["PHI001", "PHI002", "PHI003"] and "PHI100" in [r["id"] for r in rules]
    for rule in rules:
        assert rule["name"] and rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["text"] and "hhs.gov" in rule["help"]["markdown"]
        # the help GitHub shows on every alert names each way to suppress (generated, issue 12)
        for mechanism in ("phi-lint: ignore[", ".phi-lint-ignore", "per-file-ignores", "--baseline", "--ignore"):
            assert mechanism in rule["help"]["markdown"] and mechanism.replace("`", "") in rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
        props = rule["properties"]
        assert isinstance(props["security-severity"], str) and props["precision"]
        assert "external/cwe/cwe-359" in props["tags"] or rule["id"] in ("PHI100", "PHI900")


def test_results_keep_level_location_and_properties(log):
    data, _ = log
    run = data["runs"][0]
    results = {r["ruleId"]: r for r in run["results"]}
    assert set(results) == {"PHI001", "PHI002", "PHI100"}
    phi002 = results["PHI002"]
    assert phi002["level"] == "warning"  # explicit even though it is sarif-om's default
    assert run["tool"]["driver"]["rules"][phi002["ruleIndex"]]["id"] == "PHI002"
    phi001 = results["PHI001"]
    loc = phi001["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "portal/home.html", "uriBaseId": "%SRCROOT%"}
    assert loc["region"]["startLine"] == 2 and loc["region"]["startColumn"] == 9
    assert loc["region"]["endColumn"] > loc["region"]["startColumn"]
    props = phi001["properties"]
    assert props["vendor"] == "meta-pixel" and props["vendorName"] == "Meta Pixel"
    assert props["category"] == "advertising" and props["pages"] == ["portal/home.html"]
    assert any("phi-lint: authenticated" in e for e in props["evidence"])
    assert phi001["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "portal/home.html"
    assert "Fix:" in phi001["message"]["text"]
    fingerprint = phi001["partialFingerprints"]["phiLintFinding/v1"]
    assert len(fingerprint) == 32 and "primaryLocationLineHash" not in phi001["partialFingerprints"]


def test_notifications_for_skipped_files(log):
    data, _ = log
    notes = data["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert any("binary" in n["message"]["text"] and n["level"] == "warning" for n in notes)
    assert data["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_fingerprint_ignores_line_moves(tmp_path):
    write_tree(tmp_path, {"portal/home.html": PAGES["portal/home.html"]})
    before = json.loads(render_sarif(scan_tree(tmp_path)))["runs"][0]["results"][0]
    moved = "<!-- phi-lint: authenticated -->\n" + "\n" * 10 + "    <script>fbq('init', '123456789012345');</script>\n"
    write_tree(tmp_path, {"portal/home.html": moved})
    after = json.loads(render_sarif(scan_tree(tmp_path)))["runs"][0]["results"][0]
    assert after["locations"][0]["physicalLocation"]["region"]["startLine"] == 12
    assert after["partialFingerprints"] == before["partialFingerprints"]


def test_serializer_keeps_free_form_keys_and_levels():
    import sarif_om as om

    result = om.Result(message=om.Message(text="x"), level="warning", properties={"a-b": 1.5, "ok": True})
    assert to_sarif_dict(result) == {"message": {"text": "x"}, "level": "warning", "properties": {"a-b": 1.5, "ok": True}}


def test_empty_scan_still_has_results_array(tmp_path):
    write_tree(tmp_path, {"index.html": "<h1>Hi</h1>"})
    data = to_sarif_dict(build_log(scan_tree(tmp_path)))
    assert data["runs"][0]["results"] == []


@pytest.mark.multitool
@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_sarif_is_clean_under_the_multitool_with_github_rules(name, tmp_path, multitool, sarif_multitool_module):
    out = tmp_path / f"{name}.sarif"
    proc = run_cli("-f", "sarif", "-o", str(out), str(REPO / "fixtures" / name))
    assert proc.returncode in (0, 1), proc.stderr
    assert sarif_multitool_module.validate(out) == []


@pytest.mark.multitool
def test_hostile_scan_sarif_is_clean_under_the_multitool(log, tmp_path, multitool, sarif_multitool_module):
    data, _ = log
    out = tmp_path / "hostile.sarif"
    out.write_text(json.dumps(data), encoding="utf-8")
    assert sarif_multitool_module.validate(out) == []
