"""Adoption: inline ignores, the ignore file, per-file-ignores, fingerprints and the baseline."""

from __future__ import annotations

import json

from helpers import finding_lines, run_cli, scan_tree, write_tree

from phi_lint.scan import ScanOptions, scan

PORTAL = "{# phi-lint: authenticated #}\n"
PIXEL = "<script>fbq('init', '123456789012345');</script>\n"
HOTJAR = "<script src=\"https://static.hotjar.com/c/hotjar-1234567.js?sv=6\"></script>\n"


def test_inline_ignore_on_the_line_and_for_the_next_element(tmp_path):
    write_tree(
        tmp_path,
        {
            "portal/a.html": PORTAL + "<script>fbq('init', '123456789012345');</script> {# phi-lint: ignore[PHI001] BAA signed 2025 #}\n",
            "portal/b.html": PORTAL + "{# phi-lint: ignore[PHI001] BAA signed 2025 #}\n\n" + PIXEL,
            "portal/c.html": PORTAL + "{# phi-lint: ignore[PHI001] BAA signed 2025 #}\n" + PIXEL + "\n" * 8 + HOTJAR,
        },
    )
    result = scan_tree(tmp_path)
    assert finding_lines(result, tmp_path) == ["PHI003 portal/c.html:12 hotjar"]
    assert len(result.suppressed) == 3
    assert {f.suppression.kind for f in result.suppressed} == {"inSource"}
    assert result.suppressed[0].suppression.justification == "BAA signed 2025"


def test_ignore_for_another_rule_does_not_apply(tmp_path):
    write_tree(tmp_path, {"portal/a.html": PORTAL + "<!-- phi-lint: ignore[PHI002] not a health page -->\n" + PIXEL})
    lines = finding_lines(scan_tree(tmp_path), tmp_path)
    assert "PHI001 portal/a.html:3 meta-pixel" in lines
    assert "PHI900 portal/a.html:2 phi-lint" in lines  # it matches nothing


def test_file_ignore_and_comment_syntaxes(tmp_path):
    write_tree(
        tmp_path,
        {
            "portal/a.html": PORTAL + "<%# phi-lint: file-ignore[PHI001] -- vendor under BAA %>\n" + PIXEL + "\n" * 20 + PIXEL,
            "portal/b.tsx": "// phi-lint: authenticated\n// phi-lint: ignore[PHI001] BAA\nfbq('init', '123456789012345');\n",
            "portal/c.blade.php": "{{-- phi-lint: authenticated --}}\n{{-- phi-lint: ignore BAA (all rules) --}}\n" + PIXEL,
        },
    )
    result = scan_tree(tmp_path)
    assert finding_lines(result, tmp_path) == []
    assert len(result.suppressed) == 4


def test_no_inline_ignores_reports_everything(tmp_path):
    write_tree(tmp_path, {"portal/a.html": PORTAL + "{# phi-lint: ignore[PHI001] BAA #}\n" + PIXEL})
    result = scan(ScanOptions(paths=[tmp_path], inline_ignores=False))
    assert finding_lines(result, tmp_path) == ["PHI001 portal/a.html:3 meta-pixel"]


def test_bare_ignore_still_applies_but_is_reported(tmp_path):
    write_tree(tmp_path, {"portal/a.html": PORTAL + "{# phi-lint: ignore[PHI001] #}\n" + PIXEL})
    assert finding_lines(scan_tree(tmp_path), tmp_path) == ["PHI900 portal/a.html:2 phi-lint"]
    relaxed = scan(ScanOptions(paths=[tmp_path], require_reason=False))
    assert finding_lines(relaxed, tmp_path) == []


def test_ignore_file_and_per_file_ignores(tmp_path):
    write_tree(tmp_path, {"portal/a.html": PORTAL + PIXEL, "portal/b.html": PORTAL + HOTJAR, "legacy/c.html": PORTAL + PIXEL})
    first = scan_tree(tmp_path)
    fingerprints = {f.sighting.path: f.fingerprint for f in first.findings}
    write_tree(
        tmp_path,
        {
            ".phi-lint-ignore": f"# reviewed by security\n{fingerprints['portal/a.html']}  # BAA with Meta, SEC-42\n",
            "phi-lint.toml": '[per-file-ignores]\n"legacy/**" = ["PHI001"]\n',
        },
    )
    second = scan_tree(tmp_path)
    assert finding_lines(second, tmp_path) == ["PHI003 portal/b.html:2 hotjar"]
    reasons = sorted(f.suppression.justification for f in second.suppressed)
    assert reasons == ["BAA with Meta, SEC-42", "per-file-ignores `legacy/**` in " + str(tmp_path / "phi-lint.toml")]


def test_fingerprint_survives_moves_and_reindent_but_not_other_vendor_or_page(tmp_path):
    write_tree(tmp_path, {"web/a.html": PORTAL + PIXEL})
    before = scan_tree(tmp_path).findings[0].fingerprint
    write_tree(tmp_path, {"web/a.html": PORTAL + "<p>x</p>\n" * 10 + "        " + PIXEL})
    assert scan_tree(tmp_path).findings[0].fingerprint == before
    write_tree(tmp_path, {"web/a.html": PORTAL + "<script>ttq.load('C4ABCDEFGHIJ12345678');</script>\n"})
    assert scan_tree(tmp_path).findings[0].fingerprint != before  # another vendor
    write_tree(tmp_path, {"web/a.html": "{# phi-lint: health #}\n" + PIXEL})
    assert scan_tree(tmp_path).findings[0].fingerprint != before  # another rule
    (tmp_path / "web/a.html").unlink()
    write_tree(tmp_path, {"web/b.html": PORTAL + PIXEL})
    assert scan_tree(tmp_path).findings[0].fingerprint != before  # another page


def test_identical_snippets_in_one_file_get_distinct_fingerprints(tmp_path):
    write_tree(tmp_path, {"portal/a.html": PORTAL + PIXEL + "\n" * 10 + PIXEL})
    findings = scan_tree(tmp_path).findings
    assert len(findings) == 2 and findings[0].fingerprint != findings[1].fingerprint


def test_baseline_round_trip_expiry_and_prune(tmp_path):
    site = tmp_path / "site"
    write_tree(site, {"portal/a.html": PORTAL + PIXEL, "portal/b.html": PORTAL + HOTJAR})
    baseline = tmp_path / "baseline.json"
    proc = run_cli("baseline", "write", str(site), "-o", str(baseline))
    assert proc.returncode == 0 and "wrote 2 finding(s)" in proc.stdout
    data = json.loads(baseline.read_text())
    assert [e["path"].split("/")[-1] for e in data["findings"]] == ["a.html", "b.html"]
    assert all(set(e) == {"fingerprint", "rule", "path", "vendor"} for e in data["findings"])
    assert "line" not in baseline.read_text() and "time" not in baseline.read_text()
    # nothing new: clean run
    assert run_cli("--baseline", str(baseline), str(site)).returncode == 0
    # a moved and reindented snippet stays baselined; a second pixel on the same line does not
    write_tree(site, {"portal/a.html": PORTAL + "\n\n\n    " + PIXEL.strip() + ' <img src="https://www.facebook.com/tr?id=1&ev=PageView" /><script src="https://analytics.tiktok.com/i18n/pixel/events.js"></script>\n'})
    proc = run_cli("--baseline", str(baseline), str(site))
    assert proc.returncode == 1 and "TikTok" in proc.stdout and "Meta Pixel" not in proc.stdout.split("Found")[0]
    # an expired entry comes back
    data["findings"][1]["expires"] = "2000-01-01"
    data["findings"][1]["reason"] = "replay off by Q1"
    baseline.write_text(json.dumps(data))
    write_tree(site, {"portal/a.html": PORTAL + PIXEL})
    proc = run_cli("--baseline", str(baseline), str(site))
    assert proc.returncode == 1 and "PHI003 [Hotjar]" in proc.stdout
    # prune drops entries that match nothing, keeps reason/owner/expires of the rest
    write_tree(site, {"portal/b.html": "<p>replaced</p>\n"})
    proc = run_cli("baseline", "prune", str(site), "--baseline", str(baseline))
    assert proc.returncode == 0 and "pruned 1 stale entry" in proc.stdout
    assert [e["vendor"] for e in json.loads(baseline.read_text())["findings"]] == ["meta-pixel"]


def test_bad_baseline_is_a_clear_error(tmp_path):
    write_tree(tmp_path, {"a.html": PIXEL, "b.json": "{not json"})
    proc = run_cli("--baseline", str(tmp_path / "b.json"), str(tmp_path))
    assert proc.returncode == 2 and "not valid JSON" in proc.stderr
    proc = run_cli("--baseline", str(tmp_path / "missing.json"), str(tmp_path))
    assert proc.returncode == 2 and "baseline write" in proc.stderr


def test_include_suppressed_in_json_and_sarif(tmp_path):
    write_tree(tmp_path, {"portal/a.html": PORTAL + "{# phi-lint: ignore[PHI001] BAA signed #}\n" + PIXEL})
    plain = json.loads(run_cli("-f", "json", str(tmp_path)).stdout)
    assert plain["findings"] == [] and plain["summary"]["suppressed"] == 1
    full = json.loads(run_cli("-f", "json", "--include-suppressed", str(tmp_path)).stdout)
    assert full["findings"][0]["suppressed"]["kind"] == "inSource"
    sarif = json.loads(run_cli("-f", "sarif", "--include-suppressed", str(tmp_path)).stdout)
    result = sarif["runs"][0]["results"][0]
    assert result["suppressions"] == [{"kind": "inSource", "justification": "BAA signed"}]
    assert json.loads(run_cli("-f", "sarif", str(tmp_path)).stdout)["runs"][0]["results"] == []


def test_explicit_files_are_judged_by_the_pages_that_reach_them(tmp_path):
    write_tree(tmp_path, {"portal/a.html": PORTAL + PIXEL, "index.html": PIXEL})
    result = scan(ScanOptions(paths=[tmp_path / "portal" / "a.html"]))
    assert finding_lines(result, tmp_path) == ["PHI001 portal/a.html:2 meta-pixel"]
    assert result.files_scanned == 1


def test_github_annotations_respect_per_step_limits(tmp_path):
    files = {f"portal/p{i}.html": PORTAL + PIXEL for i in range(12)}
    write_tree(tmp_path, files)
    out = run_cli("-f", "github", str(tmp_path)).stdout.splitlines()
    assert sum(line.startswith("::error ") for line in out) == 10
    assert out[-1].startswith("::notice title=phi-lint::2 more finding(s)")


def test_explain_command():
    proc = run_cli("explain", "PHI003")
    assert proc.returncode == 0 and "session-replay-on-sensitive-page" in proc.stdout
    assert run_cli("explain", "PHI999").returncode == 2
