"""Sighting × pages reached × page context → findings under stable rule ids."""

from __future__ import annotations

from phi_lint.catalogue import Catalogue
from phi_lint.findings import (
    REPLAY_CAPABILITIES,
    evidence_of,
    fix_advice,
    lowered_by_baa,
    make_finding,
    vendor_label,
    verb,
    where,
    where_both,
)
from phi_lint.models import Finding, Headline, PageContext, PageReach, Sighting
from phi_lint.profiles import DEFAULT_PROFILE, Profile, load_profile
from phi_lint.rulebook import load_rules
from phi_lint.signedin.reach import ReachConditions, split_reaches
from phi_lint.thirdparty import is_host_sighting


def decide(
    sighting: Sighting,
    reaches: list[PageReach],
    contexts: dict[str, PageContext],
    catalogue: Catalogue,
    baa_vendors: set[str],
    strict: bool = False,
    conditions: ReachConditions | None = None,
    profile: Profile | None = None,
) -> list[Finding]:
    """The findings of one sighting: one per rule that applies, each with its own pages, so that
    every rule can be selected, suppressed and baselined on its own (a layout that reaches the
    portal and a public condition page is PHI001 for the one and PHI002 for the other).

    A sighting shown only to signed-out visitors, or only off a URL prefix, by a condition around
    it or around the include that brings it (phi_lint/signedin; `conditions` knows the includes
    and the page URLs), is judged without the pages it is not loaded on, and its findings say why.
    The profile (rules/profiles/, default hipaa) sets the level of findings made at their rule's
    default level."""
    if sighting.details and sighting.details.get("mobile"):
        from phi_lint.mobile.policy import decide_mobile

        # screens, not pages (phi_lint.mobile)
        findings = _profile_levels(decide_mobile(sighting, catalogue, baa_vendors), profile or load_profile(DEFAULT_PROFILE))
        vendor = catalogue.get(sighting.vendor_id)
        for finding in findings:
            finding.help_hint = fix_advice(finding.rule_id, vendor)
        return findings
    profile = profile or load_profile(DEFAULT_PROFILE)
    split = split_reaches(sighting, reaches, contexts, conditions)
    findings = _decide(sighting, split.kept, contexts, catalogue, baa_vendors, strict, split.inventory, profile)
    for why in split.notes:
        for finding in findings:
            finding.message += " " + why
            finding.notes += (why,)
    vendor = catalogue.get(sighting.vendor_id)
    for finding in findings:
        finding.help_hint = fix_advice(finding.rule_id, vendor)
    return findings


def _decide(sighting: Sighting, reaches: list[PageReach], contexts: dict[str, PageContext], catalogue: Catalogue,
            baa_vendors: set[str], strict: bool, not_loaded_why: str, profile: Profile) -> list[Finding]:
    """The findings of each kind of sighting, at the profile's levels."""
    if sighting.kind == "tag-manager-tag":
        from phi_lint.tagmanager.policy import decide_tag

        return _profile_levels([decide_tag(sighting, reaches, contexts, catalogue, baa_vendors)], profile)
    if sighting.kind == "csp":
        from phi_lint.thirdparty.csppolicy import decide_csp

        return _profile_levels(decide_csp(sighting, reaches, contexts, catalogue), profile)  # inventory already: nothing to lower
    if is_host_sighting(sighting):
        from phi_lint.thirdparty.policy import decide_host

        # never lowered: no vendor to have a BAA with
        return _profile_levels(decide_host(sighting, reaches, contexts, catalogue), profile)
    if sighting.kind == "server-send":
        from phi_lint.senders.policy import decide_sender

        # lowers its own page rules by baa-vendors
        return _profile_levels(decide_sender(sighting, reaches, contexts, catalogue, baa_vendors), profile)
    if sighting.kind == "data-sent":
        from phi_lint.datasent.policy import decide_data

        # never lowered by baa-vendors: data handed to a vendor is judged on what is sent
        return _profile_levels([decide_data(sighting, reaches, contexts, catalogue, baa_vendors)], profile)
    findings = _profile_levels(_decide_page_rules(sighting, reaches, contexts, catalogue, not_loaded_why), profile)
    details = sighting.details or {}
    notes = details.get("notes") or []
    for finding in findings:
        if notes:
            finding.message += " " + " ".join(notes)
            finding.notes += tuple(notes)
        if details.get("consentGated") and finding.rule_id == "PHI002":
            _consent_gated(finding, strict)
    if sighting.vendor_id in baa_vendors:
        findings = lowered_by_baa(findings)
    return findings


def _profile_levels(findings: list[Finding], profile: Profile) -> list[Finding]:
    """The profile's level for each finding made at its rule's default level (consumer-health:
    PHI002 is an error); a level chosen for a reason stays."""
    rules = load_rules()
    for finding in findings:
        finding.level = profile.level_of(finding.rule_id, finding.level, rules[finding.rule_id].level)
    return findings


def _consent_gated(finding: Finding, strict: bool) -> None:
    """A tracker on a health page that waits for the visitor's consent is a note, or with
    `strict` a warning; never an error, whatever the profile makes of PHI002."""
    if strict:
        if finding.level != "error":
            return
        finding.level = "warning"
        gated = "Consent-gated, so reported as a warning, not an error (strict = true keeps it a warning)."
    else:
        finding.level = "note"
        gated = "Consent-gated, so reported as a note (set strict = true to keep it a warning)."
    finding.message += " " + gated
    finding.notes += (gated,)


def _decide_page_rules(
    sighting: Sighting,
    reaches: list[PageReach],
    contexts: dict[str, PageContext],
    catalogue: Catalogue,
    not_loaded_why: str = "",
) -> list[Finding]:
    """The page rules of one sighting; `not_loaded_why`: pages it reaches were left out because a
    condition keeps it off them (the inventory note then says so)."""
    vendor_name, category = vendor_label(catalogue, sighting.vendor_id)
    auth = [r for r in reaches if contexts[r.page].authenticated]
    health = [r for r in reaches if contexts[r.page].health and not contexts[r.page].authenticated]
    replay = bool(REPLAY_CAPABILITIES & set(sighting.capabilities))
    does = verb(sighting, category)
    head = f"{vendor_name} ({category}) {does}"
    account = f"Account id: {sighting.account_id}." if sighting.account_id else ""

    def finding(rule_id: str, message: str, pages: list[PageReach], headline: Headline) -> Finding:
        return make_finding(
            rule_id, sighting, vendor_name, category, message + (" " + account if account else ""), pages,
            evidence_of(pages, contexts), headline=headline, notes=(account,) if account else (),
        )

    if sighting.kind == "dependency":
        message = f"{head} of this project; inventory only (the pages that use it are reported where it is initialised)."
        return [finding("PHI100", message, [], Headline(f"{does} of this project; inventory only", pages=False))]
    if replay and (auth or health):
        # PHI003 covers authenticated and health pages alike: one finding with both kinds
        message = (
            f"{head} with session replay {where_both(sighting, auth, health, contexts)}. "
            "Session replay records what patients see and type."
        )
        return [finding("PHI003", message, auth + health, Headline(f"{does} with session replay"))]
    found = []
    if auth:
        message = (
            f"{head} {where(sighting, auth, contexts, 'authenticated')}. "
            "Trackers behind login can disclose PHI to the vendor."
        )
        found.append(finding("PHI001", message, auth, Headline(does)))
    if health:
        message = (
            f"{head} {where(sighting, health, contexts, 'health')}. "
            "Visits to health pages can reveal a person's conditions to the vendor."
        )
        found.append(finding("PHI002", message, health, Headline(does)))
    if found:
        return found
    if not_loaded_why:
        message = f"{head} {not_loaded_why}; inventory only."
        short = not_loaded_why.split(",", 1)[0]
        return [finding("PHI100", message, [], Headline(f"{does} {short}; inventory only", pages=False))]
    public = [r for r in reaches if contexts[r.page].has("public")]
    why = f" ({contexts[public[0].page].labels['public'][0].describe(public[0].page)})" if public else ""
    message = f"{head} on a page not known to be authenticated or health-related{why}; inventory only."
    return [finding("PHI100", message, [], Headline(f"{does} on pages not known to be sensitive; inventory only", pages=False))]


