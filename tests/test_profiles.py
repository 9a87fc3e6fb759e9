"""Profiles (rules/profiles/*.toml): the same repository judged under `hipaa` and `consumer-health`."""

from __future__ import annotations

import json

import pytest
from helpers import REPO, run_cli, scan_tree, write_tree

from phi_lint.errors import UserError
from phi_lint.profiles import check_profile_name, load_profile, profile_names

TELEHEALTH = REPO / "fixtures" / "telehealth-app"


def _judged(result) -> list[str]:
    """`RULE level path:line vendor` of every finding, sorted."""
    root = TELEHEALTH.resolve()
    return sorted(
        f"{f.rule_id} {f.level} {(result.root / f.sighting.path).relative_to(root).as_posix()}:{f.sighting.span.line} "
        f"{f.sighting.vendor_id}"
        for f in result.findings
    )


HIPAA = [
    "PHI002 note site/conditions/insomnia.html:7 meta-pixel",
    "PHI002 warning site/conditions/anxiety.html:6 meta-pixel",
    "PHI006 warning site/conditions/insomnia.html:5 consent.cookiebot.com",
    "PHI100 note package.json:5 mixpanel",
    "PHI100 note package.json:6 radar",
    "PHI100 note package.json:7 meta-pixel",
    "PHI100 note site/index.html:6 meta-pixel",
]
CONSUMER_HEALTH = [
    "PHI002 error site/conditions/anxiety.html:6 meta-pixel",  # a health page: an error
    "PHI002 note site/conditions/insomnia.html:7 meta-pixel",  # consent-gated: not an error
    "PHI006 warning site/conditions/insomnia.html:5 consent.cookiebot.com",
    "PHI007 warning package.json:7 meta-pixel",  # an advertising SDK in a site with health pages
    "PHI007 warning site/index.html:6 meta-pixel",
    "PHI008 warning package.json:6 radar",  # a location SDK
    "PHI100 note package.json:5 mixpanel",  # analytics: neither advertising nor location
]


def test_hipaa_is_the_default_and_todays_levels():
    assert _judged(scan_tree(TELEHEALTH)) == HIPAA
    assert _judged(scan_tree(TELEHEALTH, profile="hipaa")) == HIPAA


def test_consumer_health_on_the_same_repository():
    result = scan_tree(TELEHEALTH, profile="consumer-health")
    assert _judged(result) == CONSUMER_HEALTH
    from phi_lint.headline import headline_message

    shown = {headline_message(f, result.contexts) for f in result.findings if f.rule_id in ("PHI007", "PHI008")}
    assert "is a dependency: an advertising vendor in a repository with health pages or screens" in shown
    assert "is a dependency: a location vendor in this repository" in shown


def test_profile_from_the_configuration_and_the_command_line_wins(tmp_path):
    write_tree(tmp_path, {
        "phi-lint.toml": 'profile = "consumer-health"\n',
        "conditions/asthma.html": "<!-- phi-lint: health -->\n<script>fbq('init', '123456789012345');</script>\n",
    })
    assert [f.level for f in scan_tree(tmp_path).findings] == ["error"]
    assert [f.level for f in scan_tree(tmp_path, profile="hipaa").findings] == ["warning"]


def test_strict_keeps_a_consent_gated_tracker_a_warning_under_consumer_health(tmp_path):
    write_tree(tmp_path, {
        "phi-lint.toml": 'profile = "consumer-health"\nstrict = true\n',
        "conditions/asthma.html": (
            "<!-- phi-lint: health -->\n"
            '<script type="text/plain" data-cookieconsent="marketing">fbq(\'init\', \'123456789012345\');</script>\n'
        ),
    })
    [finding] = scan_tree(tmp_path).findings
    assert (finding.rule_id, finding.level) == ("PHI002", "warning")
    assert "not an error" in finding.message


def test_unknown_profile_in_the_configuration_is_a_user_error(tmp_path):
    write_tree(tmp_path, {"phi-lint.toml": 'profile = "consumer_health"\n', "index.html": "<p>hi</p>\n"})
    with pytest.raises(UserError, match=r'unknown profile "consumer_health" \(did you mean "consumer-health"\?\)'):
        scan_tree(tmp_path)
    with pytest.raises(UserError, match="must be a string"):
        check_profile_name(["hipaa"], "profile")


def test_unknown_profile_on_the_command_line_exits_2_with_a_suggestion(tmp_path):
    write_tree(tmp_path, {"index.html": "<p>hi</p>\n"})
    proc = run_cli("--profile", "hippa", str(tmp_path))
    assert proc.returncode == 2
    assert "unknown profile 'hippa' (did you mean 'hipaa'?)" in proc.stderr and "Traceback" not in proc.stderr
    write_tree(tmp_path, {"phi-lint.toml": 'profile = "consumer"\n'})
    proc = run_cli(str(tmp_path))
    assert proc.returncode == 2 and 'did you mean "consumer-health"?' in proc.stderr


def test_outputs_name_the_profile(tmp_path):
    proc = run_cli("--profile", "consumer-health", "-f", "json", str(TELEHEALTH))
    assert json.loads(proc.stdout)["profile"] == "consumer-health"
    out = tmp_path / "run.sarif"
    run_cli("--profile", "consumer-health", "-f", "sarif", "-o", str(out), str(TELEHEALTH))
    run = json.loads(out.read_text(encoding="utf-8"))["runs"][0]
    assert run["properties"]["profile"] == "consumer-health"
    levels = {rule["id"]: rule["defaultConfiguration"]["level"] for rule in run["tool"]["driver"]["rules"]}
    assert levels["PHI002"] == "error" and levels["PHI001"] == "error" and levels["PHI007"] == "warning"
    text = run_cli(str(TELEHEALTH)).stdout
    assert "Profile: hipaa (the default): " in text and "AHA v. Becerra" in text


def test_shipped_profiles_cite_each_law_with_its_date():
    assert profile_names() == ["consumer-health", "hipaa"]
    laws = {law.name.split(" (")[0]: law.date for law in load_profile("consumer-health").laws}
    assert laws["FTC Health Breach Notification Rule"] == "2024-07-29"
    assert laws["Washington My Health My Data Act"] == "2024-03-31"
    assert laws["Nevada SB 370"] == "2024-03-31"
    assert any(name.startswith("Connecticut") and date == "2023-07-01" for name, date in laws.items())
    assert {law.date for law in load_profile("hipaa").laws} >= {"2024-06-20"}
    assert load_profile("hipaa").levels == {} and load_profile("hipaa").anywhere == ()


def test_rule_help_cites_the_laws_with_their_dates():
    from phi_lint.rulebook import load_rules

    rules = load_rules()
    phi002 = rules["PHI002"].help_markdown
    assert "June 20, 2024" in phi002 and "Becerra" in phi002 and "N.D. Tex." in phi002
    for rule_id in ("PHI002", "PHI007", "PHI008"):
        text = " ".join(rules[rule_id].help_markdown.split())
        for law in ("July 29, 2024", "My Health My Data Act", "March 31, 2024", "Nevada SB 370", "Connecticut"):
            assert law in text, (rule_id, law)


def test_init_writes_the_profile_line_with_how_to_choose(tmp_path):
    from phi_lint.init_config import starter_config

    text = starter_config(tmp_path)
    assert '\nprofile = "hipaa"\n' in text
    comment = " ".join(line.lstrip("# ") for line in text.split('profile = "hipaa"')[0].splitlines()[-14:])
    assert '"hipaa" (the default)' in comment and '"consumer-health"' in comment and "--profile" in comment
