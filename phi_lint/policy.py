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
from phi_lint.signedin.reach import note as signed_out_note
from phi_lint.signedin.reach import split_reaches
from phi_lint.thirdparty import is_host_sighting


def decide(
    sighting: Sighting,
    reaches: list[PageReach],
    contexts: dict[str, PageContext],
    catalogue: Catalogue,
    baa_vendors: set[str],
    strict: bool = False,
) -> list[Finding]:
    """The findings of one sighting: one per rule that applies, each with its own pages, so that
    every rule can be selected, suppressed and baselined on its own (a layout that reaches the
    portal and a public condition page is PHI001 for the one and PHI002 for the other).

    A sighting shown only to signed-out visitors (phi_lint/signedin) is judged without the
    authenticated pages it reaches, and its findings say why."""
    reaches, not_loaded = split_reaches(sighting, reaches, contexts)
    if sighting.kind == "tag-manager-tag":
        from phi_lint.tagmanager.policy import decide_tag

        findings = [decide_tag(sighting, reaches, contexts, catalogue, baa_vendors)]
    elif sighting.kind == "csp":
        from phi_lint.thirdparty.csppolicy import decide_csp

        findings = decide_csp(sighting, reaches, contexts, catalogue)  # inventory already: nothing to lower
    elif is_host_sighting(sighting):
        from phi_lint.thirdparty.policy import decide_host

        findings = decide_host(sighting, reaches, contexts, catalogue)  # never lowered: no vendor to have a BAA with
    elif sighting.kind == "server-send":
        from phi_lint.senders.policy import decide_sender

        findings = decide_sender(sighting, reaches, contexts, catalogue, baa_vendors)  # lowers its own page rules
    elif sighting.kind == "data-sent":
        from phi_lint.datasent.policy import decide_data

        # never lowered by baa-vendors: data handed to a vendor is judged on what is sent
        findings = [decide_data(sighting, reaches, contexts, catalogue, baa_vendors)]
    else:
        findings = _decide_page_rules(sighting, reaches, contexts, catalogue, bool(not_loaded))
        details = sighting.details or {}
        notes = details.get("notes") or []
        for finding in findings:
            if notes:
                finding.message += " " + " ".join(notes)
                finding.notes += tuple(notes)
            if details.get("consentGated") and finding.rule_id == "PHI002" and not strict:
                finding.level = "note"
                gated = "Consent-gated, so reported as a note (set strict = true to keep it a warning)."
                finding.message += " " + gated
                finding.notes += (gated,)
        if sighting.vendor_id in baa_vendors:
            findings = lowered_by_baa(findings)
    if not_loaded:
        why = signed_out_note(sighting, not_loaded)
        for finding in findings:
            finding.message += " " + why
            finding.notes += (why,)
    vendor = catalogue.get(sighting.vendor_id)
    for finding in findings:
        finding.help_hint = fix_advice(finding.rule_id, vendor)
    return findings


def _decide_page_rules(
    sighting: Sighting,
    reaches: list[PageReach],
    contexts: dict[str, PageContext],
    catalogue: Catalogue,
    signed_out_only: bool = False,
) -> list[Finding]:
    """The page rules of one sighting; `signed_out_only`: authenticated pages it reaches were left
    out because it is shown to signed-out visitors only (the inventory note then says so)."""
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
    if signed_out_only:
        message = f"{head} only for signed-out visitors, so not on the pages behind login it reaches; inventory only."
        return [finding("PHI100", message, [], Headline(f"{does} only for signed-out visitors; inventory only", pages=False))]
    public = [r for r in reaches if contexts[r.page].has("public")]
    why = f" ({contexts[public[0].page].labels['public'][0].describe(public[0].page)})" if public else ""
    message = f"{head} on a page not known to be authenticated or health-related{why}; inventory only."
    return [finding("PHI100", message, [], Headline(f"{does} on pages not known to be sensitive; inventory only", pages=False))]


