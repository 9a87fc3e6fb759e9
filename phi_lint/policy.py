"""Sighting × pages reached × page context → findings under stable rule ids."""

from __future__ import annotations

from phi_lint.catalogue import Catalogue
from phi_lint.headline import chain_text, rank_reaches
from phi_lint.models import Evidence, Finding, Headline, PageContext, PageReach, Sighting
from phi_lint.rulebook import load_rules
from phi_lint.thirdparty import is_host_sighting

REPLAY_CAPABILITIES = {"session-replay", "keystroke-capture"}
MAX_PAGES_IN_MESSAGE = 3

_VERBS = {
    "script": "is loaded",
    "link": "is loaded",
    "embed": "is loaded",
    "pixel": "fires a pixel",
    "iframe": "fires a pixel",
    "url": "is referenced",
    "inline-script": "runs",
    "call": "runs",
    "assignment": "is set up",
    "package": "is initialised",
    "component": "is rendered",
    "dependency": "is a dependency",
}


def vendor_label(catalogue: Catalogue, vendor_id: str, fallback: str | None = None) -> tuple[str, str]:
    """(display name, category) of a catalogue vendor; the id (or fallback) when it is unknown."""
    vendor = catalogue.get(vendor_id)
    if vendor is None:
        return fallback or vendor_id, "unknown"
    return vendor.name, vendor.category


def make_finding(
    rule_id: str,
    sighting: Sighting,
    vendor_name: str,
    category: str,
    message: str,
    pages: list[PageReach],
    evidence: list[Evidence],
    level: str | None = None,
    headline: Headline | None = None,
    notes: tuple[str, ...] = (),
) -> Finding:
    """A finding of rule_id, at the rule's default level unless a level is given."""
    rule = load_rules()[rule_id]
    return Finding(
        rule_id=rule_id,
        level=level or rule.level,
        sighting=sighting,
        vendor_name=vendor_name,
        category=category,
        message=message,
        pages=pages,
        evidence=evidence,
        help_hint=rule.fix,
        headline=headline,
        notes=notes,
    )


def _verb(sighting: Sighting) -> str:
    return _VERBS.get(sighting.kind, "runs")


def strongest_first(reaches: list[PageReach], contexts: dict[str, PageContext], label: str) -> list[tuple[PageReach, str]]:
    """(page, its strongest evidence for label) in the order a headline ranks them: the page
    with the strongest evidence first, so a glob-labelled page comes before a path-name guess."""
    ranked = rank_reaches(reaches, contexts, (label,))
    listed = [(item.reach, item.evidence.describe(item.reach.page) if item.evidence else label) for item in ranked]
    seen = {item.reach for item in ranked}
    return listed + [(reach, label) for reach in reaches if reach not in seen]


def _page_list(reaches: list[PageReach], contexts: dict[str, PageContext], label: str) -> str:
    parts = []
    for reach, why in strongest_first(reaches, contexts, label)[:MAX_PAGES_IN_MESSAGE]:
        parts.append(f"{chain_text(reach.chain)} (evidence: {why})")
    more = len(reaches) - MAX_PAGES_IN_MESSAGE
    if more > 0:
        parts.append(f"and {more} more")
    return "; ".join(parts)


def _where(sighting: Sighting, reaches: list[PageReach], contexts: dict[str, PageContext], label: str) -> str:
    """'on this health page (why)' or 'on 3 health pages: a (why); b (why); …'."""
    if len(reaches) == 1 and reaches[0].page == sighting.path:
        [(_reach, why)] = strongest_first(reaches, contexts, label)
        return f"on this {label} page ({why})"
    return f"and reaches {_plural(len(reaches), label)}: {_page_list(reaches, contexts, label)}"


def _plural(n: int, word: str) -> str:
    return f"{'an' if word[0] in 'aeiou' else 'a'} {word} page" if n == 1 else f"{n} {word} pages"


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
    portal and a public condition page is PHI001 for the one and PHI002 for the other)."""
    if sighting.kind == "tag-manager-tag":
        from phi_lint.tagmanager.policy import decide_tag

        findings = [decide_tag(sighting, reaches, contexts, catalogue, baa_vendors)]
    elif is_host_sighting(sighting):
        from phi_lint.thirdparty.policy import decide_host

        findings = decide_host(sighting, reaches, contexts, catalogue)  # never lowered: no vendor to have a BAA with
    elif sighting.kind == "data-sent":
        from phi_lint.datasent.policy import decide_data

        # never lowered by baa-vendors: data handed to a vendor is judged on what is sent
        findings = [decide_data(sighting, reaches, contexts, catalogue, baa_vendors)]
    else:
        findings = _decide_page_rules(sighting, reaches, contexts, catalogue)
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
    vendor = catalogue.get(sighting.vendor_id)
    for finding in findings:
        finding.help_hint = fix_advice(finding.rule_id, vendor)
    return findings


def fix_advice(rule_id: str, vendor) -> str:
    """The rule's fix; for a vendor the catalogue records as signing no BAA, without the "or
    record a BAA" alternative and saying why (advice the vendor's own terms rule out misleads)."""
    rule = load_rules()[rule_id]
    if vendor is None or vendor.baa != "no" or rule.fix_without_baa == rule.fix:
        return rule.fix
    return f"{rule.fix_without_baa}; {vendor.name} does not sign BAAs (vendor catalogue), so no BAA can cover it"


def lowered_by_baa(findings: list[Finding]) -> list[Finding]:
    """A vendor in baa-vendors: the problems of one sighting become one inventory note (PHI100)
    that names the rules it would have been, its pages and evidence kept, so the summary can say
    what the BAA claim lowered. Notes stay as they are."""
    problems = [f for f in findings if f.rule_id != "PHI100"]
    if not problems:
        return findings
    first = problems[0]
    pages = list(dict.fromkeys(page for finding in problems for page in finding.pages))
    evidence = list(dict.fromkeys(item for finding in problems for item in finding.evidence))
    rules = tuple(f.rule_id for f in problems)
    baa = (
        f"Listed in baa-vendors (a Business Associate Agreement is on file), so this is "
        f"inventory (PHI100) instead of {' and '.join(rules)}."
    )
    message = f"{first.message} {baa}"
    headline = first.headline
    if headline is not None:
        headline = Headline(headline.what, headline.detail, f"{headline.after}; in baa-vendors: inventory, not {'/'.join(rules)}", headline.pages)
    note = make_finding(
        "PHI100", first.sighting, first.vendor_name, first.category, message, pages, evidence,
        headline=headline, notes=first.notes + (baa,),
    )
    note.lowered_from = rules
    return [note]


def _evidence(reaches: list[PageReach], contexts: dict[str, PageContext]) -> list[Evidence]:
    evidence: list[Evidence] = []
    for reach in reaches:
        for label_evidence in contexts[reach.page].labels.values():
            evidence.extend(label_evidence)
    return evidence


def _decide_page_rules(
    sighting: Sighting,
    reaches: list[PageReach],
    contexts: dict[str, PageContext],
    catalogue: Catalogue,
) -> list[Finding]:
    vendor_name, category = vendor_label(catalogue, sighting.vendor_id)
    auth = [r for r in reaches if contexts[r.page].authenticated]
    health = [r for r in reaches if contexts[r.page].health and not contexts[r.page].authenticated]
    replay = bool(REPLAY_CAPABILITIES & set(sighting.capabilities))
    verb = _verb(sighting)
    head = f"{vendor_name} ({category}) {verb}"
    account = f"Account id: {sighting.account_id}." if sighting.account_id else ""

    def finding(rule_id: str, message: str, pages: list[PageReach], headline: Headline) -> Finding:
        return make_finding(
            rule_id, sighting, vendor_name, category, message + (" " + account if account else ""), pages,
            _evidence(pages, contexts), headline=headline, notes=(account,) if account else (),
        )

    if sighting.kind == "dependency":
        message = f"{head} of this project; inventory only (the pages that use it are reported where it is initialised)."
        return [finding("PHI100", message, [], Headline(f"{verb} of this project; inventory only", pages=False))]
    if replay and (auth or health):
        # PHI003 covers authenticated and health pages alike: one finding with both kinds
        message = (
            f"{head} with session replay {_where_both(sighting, auth, health, contexts)}. "
            "Session replay records what patients see and type."
        )
        return [finding("PHI003", message, auth + health, Headline(f"{verb} with session replay"))]
    found = []
    if auth:
        message = (
            f"{head} {_where(sighting, auth, contexts, 'authenticated')}. "
            "Trackers behind login can disclose PHI to the vendor."
        )
        found.append(finding("PHI001", message, auth, Headline(verb)))
    if health:
        message = (
            f"{head} {_where(sighting, health, contexts, 'health')}. "
            "Visits to health pages can reveal a person's conditions to the vendor."
        )
        found.append(finding("PHI002", message, health, Headline(verb)))
    if found:
        return found
    public = [r for r in reaches if contexts[r.page].has("public")]
    why = f" ({contexts[public[0].page].labels['public'][0].describe(public[0].page)})" if public else ""
    message = f"{head} on a page not known to be authenticated or health-related{why}; inventory only."
    return [finding("PHI100", message, [], Headline(f"{verb} on pages not known to be sensitive; inventory only", pages=False))]


def _where_both(sighting: Sighting, auth: list[PageReach], health: list[PageReach], contexts: dict[str, PageContext]) -> str:
    """Where a rule that covers both kinds of page applies: the authenticated pages, then the
    health pages, each with its own count and evidence."""
    if not auth or not health:
        return _where(sighting, auth or health, contexts, "authenticated" if auth else "health")
    first = _where(sighting, auth, contexts, "authenticated")
    joint = " and reaches" if first.startswith("on this") else ", and"
    return f"{first}{joint} {_plural(len(health), 'health')}: {_page_list(health, contexts, 'health')}"
