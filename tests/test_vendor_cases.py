"""Every vendor signature case in tests/vendor_cases/*.yml (sqlfluff-style pass/fail cases)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from phi_lint.catalogue import load_catalogue
from phi_lint.engine.analyzer import sightings_in_text

CASES_DIR = Path(__file__).parent / "vendor_cases"
REQUIRED_VENDORS = [
    "meta-pixel", "google-analytics", "google-tag-manager", "google-ads", "google-floodlight",
    "tiktok-pixel", "linkedin-insight", "x-pixel", "snap-pixel", "pinterest-tag", "reddit-pixel",
    "microsoft-uet", "microsoft-clarity", "hotjar", "fullstory", "logrocket", "heap", "mixpanel",
    "amplitude", "segment", "rudderstack", "adobe-analytics", "adobe-launch", "tealium", "snowplow",
    "dynatrace", "new-relic-browser", "datadog-rum", "sentry-replay", "posthog", "matomo",
    "plausible", "vercel-analytics", "quantcast", "criteo", "taboola", "outbrain", "adroll",
    "the-trade-desk", "hubspot", "marketo-munchkin", "pardot", "klaviyo", "crazy-egg", "mouseflow",
    "lucky-orange", "smartlook", "webtrends", "yandex-metrica", "nextdoor-pixel", "quora-pixel",
    "amazon-ads",
]


def _load_cases():
    params = []
    for path in sorted(CASES_DIR.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        vendor = data["vendor"]
        for name, case in data["cases"].items():
            params.append(pytest.param(vendor, name, case, id=f"{vendor}:{name}"))
    return params


CASES = _load_cases()


@pytest.mark.parametrize("vendor,name,case", CASES)
def test_vendor_case(analyzer, vendor, name, case):
    assert ("fail_str" in case) != ("pass_str" in case), "a case has exactly one of fail_str / pass_str"
    text = case.get("fail_str", case.get("pass_str"))
    sightings, _problems = sightings_in_text(case["file"], text, analyzer)
    if "pass_str" in case:
        assert sightings == [], f"expected no sighting, got {[(s.vendor_id, s.span.line, s.kind) for s in sightings]}"
        return
    # data-sent sightings (PHI004, phi_lint.datasent) are about what a call is handed, not
    # about where the vendor is: they are tested in tests/datasent_cases
    mine = [s for s in sightings if s.vendor_id == vendor and s.kind != "data-sent"]
    assert mine, f"no {vendor} sighting; got {[(s.vendor_id, s.span.line, s.kind) for s in sightings]}"
    if "sightings" in case:
        assert len(mine) == case["sightings"], [(s.span.line, s.kind, s.signature) for s in mine]
    if "kinds" in case:
        assert [s.kind for s in mine] == case["kinds"]
    if "account_id" in case:
        assert mine[0].account_id == case["account_id"]
    if "line" in case:
        assert mine[0].span.line == case["line"]


def test_every_required_vendor_has_cases():
    catalogue = load_catalogue()
    missing_files = [v for v in REQUIRED_VENDORS if v not in catalogue.vendors]
    assert not missing_files, f"vendors missing from rules/vendors: {missing_files}"
    by_vendor: dict[str, dict[str, int]] = {}
    for param in CASES:
        vendor, _name, case = param.values
        counts = by_vendor.setdefault(vendor, {"fail": 0, "pass": 0})
        counts["fail" if "fail_str" in case else "pass"] += 1
    for vendor in catalogue.vendors:
        counts = by_vendor.get(vendor, {"fail": 0, "pass": 0})
        assert counts["fail"] >= 2 and counts["pass"] >= 2, f"{vendor} needs >=2 fail and >=2 pass cases: {counts}"


@pytest.mark.parametrize("vendor,name,case", [c for c in CASES if "fail_str" in c.values[2]])
def test_fail_cases_contain_a_prefilter_keyword(vendor, name, case):
    """The prefilter drops files without a keyword: every true positive must carry one (mobile
    dependency manifests are read by name, without the prefilter: their SDK names count)."""
    vendor_def = load_catalogue().get(vendor)
    text = case["fail_str"].lower()
    literals = set(vendor_def.keywords) | {p.name.lower() for p in vendor_def.packages}
    literals |= {sdk.name.lower() for sdk in vendor_def.sdks}
    assert any(k in text for k in literals), f"no keyword of {vendor} in the case"


def test_readme_vendor_table_lists_the_catalogue_by_category():
    """The README's catalogue table names every shipped vendor under its category, with the
    count: a vendor added without the README (or a stale row) fails here."""
    import re

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    table = readme.split("<!-- vendors:table -->", 1)[1].split("<!-- /vendors:table -->", 1)[0]
    listed: dict[str, set[str]] = {}
    for category, count, ids in re.findall(r"^\| ([a-z-]+) \((\d+)\) \| (.*) \|$", table, re.M):
        listed[category] = set(re.findall(r"`([a-z0-9-]+)`", ids))
        assert int(count) == len(listed[category]), category
    shipped: dict[str, set[str]] = {}
    for vendor in load_catalogue([]):
        shipped.setdefault(vendor.category, set()).add(vendor.id)
    assert listed == shipped
    total = sum(len(ids) for ids in shipped.values())
    assert f"one TOML file per vendor: {total} today" in readme
