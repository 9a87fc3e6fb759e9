"""PHI005 decisions: pages that load the container (GTM snippet → export), trigger paths against
the sensitive path vocabulary, and the inventory cases (paused, server, BAA, non-sensitive paths)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from helpers import finding_lines, run_cli, scan_tree, write_tree

from phi_lint.catalogue import load_catalogue
from phi_lint.models import Evidence, PageContext, PageReach, Sighting, Span
from phi_lint.tagmanager.policy import decide_tag

sys.path.insert(0, str(Path(__file__).parent / "tagmanager_cases"))
from gtmbuild import cond, export, html_tag, p, tag, trig  # noqa: E402

GTM_ID = "GTM-PT4RTL7"
NOSCRIPT = (f'<noscript><iframe src="https://www.googletagmanager.com/ns.html?id={GTM_ID}" height="0" width="0" '
            'style="display:none;visibility:hidden"></iframe></noscript>')
LOADER = f'<script async src="https://www.googletagmanager.com/gtm.js?id={GTM_ID}"></script>'


def page(label: str | None, snippet: str = NOSCRIPT, title: str = "Page") -> str:
    tag_line = f"<!-- phi-lint: {label} -->\n" if label else ""
    return f"<!DOCTYPE html>\n{tag_line}<html><head><title>{title}</title></head>\n<body>\n{snippet}\n<main>{title}</main>\n</body></html>\n"


HOTJAR = tag("Hotjar", "hjtc", [p("hotjar_site_id", "3712345")])
PORTAL_ONLY = trig("5", "Portal", filters=[cond("STARTS_WITH", "Page Path", "/portal")])
CAREERS_ONLY = trig("6", "Careers", filters=[cond("STARTS_WITH", "Page Path", "/careers")])


def scan(tmp_path, files, **kw):
    write_tree(tmp_path, files)
    result = scan_tree(tmp_path, **kw)
    return result, {f.sighting.details["tagName"]: f for f in result.findings if f.sighting.kind == "tag-manager-tag"}


def test_all_pages_tag_reaches_the_portal_page_that_loads_the_container(tmp_path):
    result, found = scan(tmp_path, {
        "site/portal/inbox.html": page("authenticated", title="Inbox"),
        "site/index.html": page(None, LOADER),
        "gtm/container.json": export([HOTJAR], public_id=GTM_ID),
    })
    finding = found["Hotjar"]
    assert finding.rule_id == "PHI005" and finding.level == "error"
    assert [r.page for r in finding.pages] == ["site/portal/inbox.html"]
    message = finding.message
    for fragment in ("'Hotjar'", "Hotjar Tracking Code `hjtc`", "session-replay", "'All Pages'", "site/portal/inbox.html",
                     "authenticated", "URL /portal/inbox", "tagged `phi-lint: authenticated`", GTM_ID):
        assert fragment in message, fragment
    assert any(e.path == "site/portal/inbox.html" for e in finding.evidence)
    assert "PHI001 site/portal/inbox.html:5 google-tag-manager" in finding_lines(result, tmp_path)


def test_all_pages_tag_on_public_pages_only_is_inventory(tmp_path):
    _result, found = scan(tmp_path, {
        "site/index.html": page("public"),
        "site/about.html": page(None, LOADER),
        "gtm/container.json": export([HOTJAR], public_id=GTM_ID),
    })
    finding = found["Hotjar"]
    assert finding.rule_id == "PHI100"
    assert "none of the 2 page(s) that load container GTM-PT4RTL7" in finding.message


def test_tag_limited_away_from_the_sensitive_pages_is_inventory(tmp_path):
    careers = tag("LinkedIn", "bzi", [p("id", "4412345")], firing=["6"])
    _result, found = scan(tmp_path, {
        "site/portal/inbox.html": page("authenticated"),
        "gtm/container.json": export([careers], [CAREERS_ONLY], public_id=GTM_ID),
    })
    finding = found["LinkedIn"]
    assert finding.rule_id == "PHI100"
    assert "outside its triggers: site/portal/inbox.html (URL /portal/inbox)" in finding.message


def test_trigger_path_names_a_sensitive_area_even_when_only_public_pages_load_it(tmp_path):
    portal = tag("Portal pixel", "flc", [p("advertiserId", "8812345")], firing=["5"])
    _result, found = scan(tmp_path, {
        "site/index.html": page("public"),
        "gtm/container.json": export([portal], [PORTAL_ONLY], public_id=GTM_ID),
    })
    finding = found["Portal pixel"]
    assert finding.rule_id == "PHI005" and finding.pages == []
    assert "its conditions cover /portal (patient portal, behind login)" in finding.message


def test_health_page_and_path_hit_together(tmp_path):
    booking = trig("7", "Booking", "CUSTOM_EVENT", custom=[cond("EQUALS", "_event", "booked")],
                   filters=[cond("STARTS_WITH", "Page Path", "/appointments")])
    ads = tag("Ads", "awct", [p("conversionId", "123456789")], firing=["7"])
    _result, found = scan(tmp_path, {
        "public/appointments/new.html": page("health"),
        "gtm/container.json": export([ads], [booking], public_id=GTM_ID),
    })
    message = found["Ads"].message
    assert found["Ads"].rule_id == "PHI005"
    assert "public/appointments/new.html (health, URL /appointments/new, where it may fire" in message
    assert "its conditions cover /appointments" in message


@pytest.mark.parametrize(
    "tags,expected",
    [
        ([tag("Paused", "hjtc", [p("hotjar_site_id", "3712345")], paused=True)], "it is paused"),
        ([tag("Untriggered", "hjtc", [p("hotjar_site_id", "3712345")], firing=None)], "no firing trigger"),
        ([html_tag("Nested GTM", '<script async src="https://www.googletagmanager.com/gtm.js?id=GTM-CHILD12"></script>')],
         "a tag-manager vendor"),
    ],
)
def test_inventory_cases_on_a_portal_page(tmp_path, tags, expected):
    _result, found = scan(tmp_path, {
        "site/portal/inbox.html": page("authenticated"),
        "gtm/container.json": export(tags, public_id=GTM_ID),
    })
    (finding,) = found.values()
    assert finding.rule_id == "PHI100" and expected in finding.message


def test_baa_vendor_is_inventory(tmp_path):
    _result, found = scan(tmp_path, {
        "phi-lint.toml": 'baa-vendors = ["hotjar"]\n',
        "site/portal/inbox.html": page("authenticated"),
        "gtm/container.json": export([HOTJAR], public_id=GTM_ID),
    })
    assert found["Hotjar"].rule_id == "PHI100" and "baa-vendors" in found["Hotjar"].message


def test_server_container_tags_are_inventory(tmp_path):
    ga4 = tag("GA4 forward", "sgtmgaaw", firing=["1"])
    _result, found = scan(tmp_path, {
        "gtm/server.json": export([ga4], [trig("1", "Always", "ALWAYS")], public_id="GTM-SRV1234", usage="SERVER"),
    })
    assert found["GA4 forward"].rule_id == "PHI100" and "server container" in found["GA4 forward"].message


def test_unlinked_export_all_pages_and_narrow_non_sensitive(tmp_path):
    uet = tag("UET jobs", "baut", [p("tagId", "187654321")], firing=["6"])
    _result, found = scan(tmp_path, {"gtm/container.json": export([HOTJAR, uet], [CAREERS_ONLY])})
    assert found["Hotjar"].rule_id == "PHI005"
    assert "no page in this repository loads container GTM-TEST123" in found["Hotjar"].message
    assert found["UET jobs"].rule_id == "PHI100" and "names no portal or health path" in found["UET jobs"].message


def test_consent_is_mentioned_but_not_a_mitigation(tmp_path):
    gated = tag("Gated", "hjtc", [p("hotjar_site_id", "3712345")],
                consentSettings={"consentStatus": "NEEDED", "consentType": {"type": "LIST", "list": [p("consentType", "analytics_storage")]}})
    _result, found = scan(tmp_path, {"gtm/container.json": export([gated])})
    assert found["Gated"].rule_id == "PHI005"
    assert "waits for analytics_storage; a consent banner is not a HIPAA authorization" in found["Gated"].message


def test_decide_tag_unknown_scope_with_a_sensitive_page():
    details = {"tagName": "T", "tagType": "hjtc", "container": GTM_ID,
               "scope": {"kind": "unknown", "reason": "its triggers are not in this export", "rules": []}}
    sighting = Sighting("hotjar", "gtm/c.json", Span(3, 1, 9, 2), "tag-manager-tag", 'tag "T" (hjtc)', details=details)
    portal = PageContext("site/portal/a.html", {"authenticated": [Evidence("tagged", "site/portal/a.html", 1)]})
    reaches = [PageReach("gtm/c.json", ("gtm/c.json",)), PageReach("site/portal/a.html", ("site/portal/a.html", "gtm/c.json"))]
    contexts = {"gtm/c.json": PageContext("gtm/c.json"), "site/portal/a.html": portal}
    finding = decide_tag(sighting, reaches, contexts, load_catalogue(), set())
    assert finding.rule_id == "PHI005" and "where it may fire" in finding.message
    alone = decide_tag(sighting, reaches[:1], contexts, load_catalogue(), set())
    assert alone.rule_id == "PHI100" and "where it fires is not known" in alone.message


def test_json_and_sarif_carry_the_tag_details(tmp_path):
    write_tree(tmp_path, {"site/portal/inbox.html": page("authenticated"),
                          "gtm/container.json": export([HOTJAR], public_id=GTM_ID)})
    data = json.loads(run_cli("-f", "json", str(tmp_path)).stdout)
    (finding,) = [f for f in data["findings"] if f["rule"] == "PHI005"]
    assert finding["vendor"] == "hotjar" and finding["kind"] == "tag-manager-tag"
    assert finding["details"]["scope"]["rules"][0]["when"]["name"] == "All Pages"
    assert finding["pages"][0]["page"] == "site/portal/inbox.html"
    sarif = json.loads(run_cli("-f", "sarif", str(tmp_path)).stdout)
    run = sarif["runs"][0]
    (result,) = [r for r in run["results"] if r["ruleId"] == "PHI005"]
    assert result["properties"]["vendor"] == "hotjar" and result["properties"]["details"]["tagName"] == "Hotjar"
    assert "PHI005" in [r["id"] for r in run["tool"]["driver"]["rules"]]
    rules = run_cli("rules", "PHI005")
    assert rules.returncode == 0 and "How to fix" in rules.stdout and "hhs.gov" in rules.stdout


def test_decide_tag_never_raises_on_odd_details():
    for details in ({"scope": {"kind": "pages", "rules": [{"when": 5}]}}, {"scope": {"kind": "pages", "rules": "x"}}, None):
        sighting = Sighting("hotjar", "x.json", Span(2, 1, 3, 1), "tag-manager-tag", 'tag "x" (hjtc)', details=details)
        finding = decide_tag(sighting, [PageReach("x.json", ("x.json",))], {"x.json": PageContext("x.json")}, load_catalogue(), set())
        assert finding.rule_id == "PHI100"
