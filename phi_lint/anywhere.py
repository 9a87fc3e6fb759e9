"""Vendors a profile reports wherever they are in a repository (rules/profiles/*.toml,
`[anywhere.<rule>]`): under consumer-health an advertising SDK that is only a dependency of an
app with health screens, or a geofencing SDK set up on a page no sensitive page is known to
reach, is a finding, not inventory.

Runs after the page rules: a vendor they already report (PHI001, PHI002, …) stays as it is, and
only its inventory findings (PHI100) are raised. A vendor in `baa-vendors` stays inventory: the
organisation has recorded an agreement with it. Loads of unnamed hosts, Content-Security-Policy
allow-lists and data sent are not vendors being present, and are left alone.
"""

from __future__ import annotations

from phi_lint.catalogue import Catalogue
from phi_lint.findings import fix_advice, make_finding, vendor_label, verb
from phi_lint.models import Evidence, Finding, Headline
from phi_lint.profiles import Anywhere, Profile
from phi_lint.thirdparty import is_host_sighting

NOT_PRESENCE = ("csp", "data-sent")


def raised(findings: list[Finding], profile: Profile, catalogue: Catalogue,
           health_page: tuple[str, Evidence] | None, baa_vendors: frozenset[str] | set[str] = frozenset()) -> list[Finding]:
    """`findings` with each inventory finding the profile reports anywhere replaced by a finding
    of its rule; `health_page`: a page labelled health and its evidence, None when the repository
    has none (rules with `when = "health-pages"` then raise nothing)."""
    if not profile.anywhere:
        return findings
    return [finding if finding.sighting.vendor_id in baa_vendors else _raise(finding, profile, catalogue, health_page)
            for finding in findings]


def _raise(finding: Finding, profile: Profile, catalogue: Catalogue, health_page) -> Finding:
    sighting = finding.sighting
    if finding.rule_id != "PHI100" or finding.lowered_from or sighting.kind in NOT_PRESENCE \
            or is_host_sighting(sighting):
        return finding
    name, category = vendor_label(catalogue, sighting.vendor_id)
    for item in profile.anywhere:
        if item.covers(sighting.vendor_id, category) and (item.when == "always" or health_page is not None):
            return _finding(item, profile, finding, name, category, catalogue, health_page)
    return finding


def _finding(item: Anywhere, profile: Profile, finding: Finding, name: str, category: str, catalogue: Catalogue,
             health_page) -> Finding:
    sighting = finding.sighting
    does = verb(sighting, category)
    where = "in this repository"
    evidence: list[Evidence] = []
    if item.when == "health-pages" and health_page is not None:
        page, why = health_page
        where = f"in a repository with health pages or screens ({page}: {why.describe(page)})"
        evidence = [why]
    kinds = " and ".join(sorted(item.categories)) or category
    message = f"{name} ({category}) {does} {where}; the {profile.id} profile reports {kinds} vendors wherever they are."
    if item.why:
        message += " " + item.why
    made = make_finding(
        item.rule, sighting, name, category, message, [], evidence,
        headline=Headline(f"{does}: {'an' if category[:1] in 'aeiou' else 'a'} {category} vendor {where.split(' (')[0]}",
                          pages=False),
        notes=((item.why,) if item.why else ()),
    )
    made.level = profile.levels.get(item.rule, made.level)
    made.help_hint = fix_advice(item.rule, catalogue.get(sighting.vendor_id))
    return made

