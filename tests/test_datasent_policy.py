"""PHI004 levels and messages, BAA vendors, replay notes in PHI003, consent in JSON/SARIF output."""

from __future__ import annotations

import json

from helpers import finding_lines, run_cli, scan_tree, write_tree

PIXEL_INIT = "<script>\n  fbq('init', '123456789012345', {em: '{{ user.email }}'});\n</script>\n"


def _phi004(result):
    return [f for f in result.findings if f.rule_id == "PHI004"]


def test_contact_data_on_a_page_without_context_is_a_warning(tmp_path):
    # inference off: a template showing the signed-in user is itself a (weak) sign of login
    write_tree(tmp_path, {"templates/newsletter.html": PIXEL_INIT, "phi-lint.toml": "infer = false\n"})
    [finding] = _phi004(scan_tree(tmp_path))
    assert finding.level == "warning"
    assert "em = {{ user.email }} (contact details)" in finding.message
    assert "fbq('init', '123456789012345', …)" in finding.message
    assert "Meta Pixel" in finding.message and "still personal data" in finding.message


def test_health_data_on_a_page_without_context_is_an_error(tmp_path):
    write_tree(tmp_path, {"static/js/x.js": "fbq('track', 'Lead', { diagnosis: form.diagnosis.value });\n"})
    [finding] = _phi004(scan_tree(tmp_path))
    assert finding.level == "error"
    assert "health data" in finding.message and "diagnosis = form.diagnosis.value" in finding.message


def test_contact_data_on_an_authenticated_page_is_an_error(tmp_path):
    write_tree(tmp_path, {
        "templates/portal/home.html": "{# phi-lint: authenticated #}\n" + PIXEL_INIT,
    })
    result = scan_tree(tmp_path)
    [finding] = _phi004(result)
    assert finding.level == "error"
    assert "on this authenticated page" in finding.message
    assert finding.pages and finding.pages[0].page == "templates/portal/home.html"
    assert "PHI001 templates/portal/home.html:3 meta-pixel" in finding_lines(result, tmp_path)


def test_partial_reaching_a_health_page_names_it(tmp_path):
    write_tree(tmp_path, {
        "phi-lint.toml": '[pages]\nhealth = ["site/conditions/**"]\n',
        "site/conditions/asthma.html": '<!doctype html><script src="/js/track.js"></script>\n',
        "site/js/track.js": "fbq('track', 'ViewContent', { email: localStorage.getItem('email') });\n",
    })
    result = scan_tree(tmp_path)
    [finding] = _phi004(result)
    assert finding.level == "error"
    if any(p.page == "site/conditions/asthma.html" for p in finding.pages):  # with the page graph
        assert "health page" in finding.message


def test_baa_vendor_keeps_phi004(tmp_path):
    # a baa-vendors entry is not checked against what is sent: PHI004 stays, and says so (issue 12)
    write_tree(tmp_path, {
        "phi-lint.toml": 'baa-vendors = ["mixpanel"]\n',
        "src/track.js": "import mixpanel from 'mixpanel-browser';\nmixpanel.init('0123456789abcdef0123456789abcdef');\nmixpanel.track('x', { symptoms: s });\n",
    })
    result = scan_tree(tmp_path)
    lines = finding_lines(result, tmp_path)
    assert "PHI004 src/track.js:3 mixpanel" in lines
    [finding] = _phi004(result)
    assert finding.level == "error" and "baa-vendors, which does not lower PHI004" in finding.message
    assert "symptoms" in finding.message


def test_pageview_alone_is_not_phi004(tmp_path):
    write_tree(tmp_path, {"index.html": "<script>fbq('init', '123456789012345'); fbq('track', 'PageView');</script>\n"})
    assert not _phi004(scan_tree(tmp_path))


def test_phi004_can_be_ignored(tmp_path):
    write_tree(tmp_path, {"templates/a.html": PIXEL_INIT})
    result = scan_tree(tmp_path, ignore=["PHI004"])
    assert not _phi004(result)


def test_replay_notes_are_in_the_phi003_message(tmp_path):
    write_tree(tmp_path, {
        "src/portal/rum.js": (
            "// phi-lint: authenticated\n"
            "import { datadogRum } from '@datadog/browser-rum';\n"
            "datadogRum.init({ applicationId: 'a', clientToken: 'pub0123456789abcdef0123456789abcdef', "
            "sessionReplaySampleRate: 100, defaultPrivacyLevel: 'allow' });\n"
        ),
    })
    result = scan_tree(tmp_path)
    [finding] = [f for f in result.findings if f.sighting.vendor_id == "datadog-rum"]
    assert finding.rule_id == "PHI003"  # replay switched on by configuration
    assert "defaultPrivacyLevel: 'allow'" in finding.message
    assert finding.sighting.details["replay"] == {"setting": "defaultPrivacyLevel", "value": "allow", "line": 3, "masked": False}


def test_masked_replay_still_phi003_and_says_what_is_masked(tmp_path):
    write_tree(tmp_path, {
        "src/portal/sentry.js": (
            "// phi-lint: authenticated\n"
            "import * as Sentry from '@sentry/browser';\n"
            "Sentry.init({ dsn: 'x', integrations: [Sentry.replayIntegration()] });\n"
        ),
    })
    [finding] = scan_tree(tmp_path).findings
    assert finding.rule_id == "PHI003"
    assert "masks all text and inputs" in finding.message


CONSENT_PAGE = (
    "<!-- phi-lint: health -->\n"
    '<script type="text/plain" data-cookieconsent="statistics" async '
    'src="https://www.googletagmanager.com/gtag/js?id=G-ABCDEF1234"></script>\n'
)


def test_consent_gated_phi002_is_a_note_and_json_says_so(tmp_path):
    write_tree(tmp_path, {"conditions/asthma.html": CONSENT_PAGE})
    proc = run_cli("-f", "json", str(tmp_path))
    data = json.loads(proc.stdout)
    [finding] = data["findings"]
    assert finding["rule"] == "PHI002" and finding["level"] == "note"
    assert finding["details"]["consentGated"] is True
    assert 'data-cookieconsent="statistics"' in finding["details"]["consent"]
    assert proc.returncode == 0


def test_consent_gated_phi002_stays_a_warning_when_strict(tmp_path):
    write_tree(tmp_path, {"conditions/asthma.html": CONSENT_PAGE, "phi-lint.toml": "strict = true\n"})
    proc = run_cli("-f", "json", str(tmp_path))
    [finding] = json.loads(proc.stdout)["findings"]
    assert finding["rule"] == "PHI002" and finding["level"] == "warning"
    assert proc.returncode == 1


def test_consent_never_removes_phi001_and_sarif_carries_it(tmp_path):
    write_tree(tmp_path, {
        "portal/home.html": "<!-- phi-lint: authenticated -->\n"
        '<script type="text/plain" class="optanon-category-C0004">fbq(\'init\', \'123456789012345\');</script>\n',
    })
    out = tmp_path / "out.sarif"
    proc = run_cli("-f", "sarif", "-o", str(out), str(tmp_path))
    assert proc.returncode == 1
    [result] = json.loads(out.read_text(encoding="utf-8"))["runs"][0]["results"]
    assert result["ruleId"] == "PHI001" and result["level"] == "error"
    assert result["properties"]["details"]["consentGated"] is True
    assert "optanon-category-C0004" in result["properties"]["details"]["consent"]


def test_consent_gated_phi004_stays_an_error(tmp_path):
    write_tree(tmp_path, {
        "templates/intake.html": '<script type="text/plain" data-cookieconsent="marketing">\n'
        "  fbq('track', 'Lead', { symptoms: document.getElementById('symptoms').value });\n</script>\n",
    })
    [finding] = _phi004(scan_tree(tmp_path))
    assert finding.level == "error"
    assert finding.sighting.details["consentGated"] is True
    assert "not a HIPAA authorization" in finding.message


def test_intercom_boot_with_a_user_vendor_file(tmp_path):
    """A user vendor file that replaces a shipped one (Intercom) keeps the data-call shapes working."""
    write_tree(tmp_path, {
        "vendors/intercom.toml": (
            'id = "intercom"\nname = "Intercom"\ncategory = "marketing-automation"\n'
            'keywords = ["intercom"]\n\n[[calls]]\ncallee = "Intercom"\n'
        ),
        "phi-lint.toml": 'vendor-dirs = ["vendors"]\n',
        "templates/base.html": (
            "<script>\n  window.intercomSettings = { app_id: 'abc123', email: '{{ user.email }}', user_id: '{{ user.id }}' };\n"
            "  Intercom('boot', { app_id: 'abc123', name: '{{ user.get_full_name }}' });\n</script>\n"
        ),
    })
    result = scan_tree(tmp_path)
    sent = [f for f in _phi004(result)]
    assert [f.sighting.vendor_id for f in sent] == ["intercom", "intercom"]
    keys = [item["key"] for f in sent for item in f.sighting.details["sent"]]
    assert keys == ["email", "user_id", "name"]


def test_intercom_shapes_are_idle_without_a_vendor_file():
    """A data-call shape whose vendors are all missing from the catalogue stays idle. Intercom has a
    shipped vendor file now, so the catalogue here is the shipped one without it."""
    from phi_lint.catalogue import load_catalogue
    from phi_lint.engine.analyzer import Analyzer, sightings_in_text

    text = "<script>\n  fbq('init', '123456789012345');\n  Intercom('boot', { email: '{{ user.email }}' });\n</script>\n"
    shipped, _ = sightings_in_text("templates/base.html", text, Analyzer(load_catalogue()))
    assert [s.vendor_id for s in shipped if s.kind == "data-sent"] == ["intercom"]
    catalogue = load_catalogue()
    del catalogue.vendors["intercom"]
    sightings, _ = sightings_in_text("templates/base.html", text, Analyzer(catalogue))
    assert not [s for s in sightings if s.kind == "data-sent"]
