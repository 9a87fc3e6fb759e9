"""The bottom of the policy layer: how a finding is made and worded. Every rule's policy
(phi_lint.policy for the page rules; datasent, tagmanager and thirdparty for theirs) builds on
these helpers, and none of them imports another policy, so the layer has no import cycle."""

from __future__ import annotations

from phi_lint.catalogue import Catalogue
from phi_lint.headline import chain_text, rank_reaches
from phi_lint.models import Evidence, Finding, Headline, PageContext, PageReach, Sighting
from phi_lint.rulebook import load_rules

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
    "config": "is switched on by configuration",
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


def verb(sighting: Sighting, category: str = "") -> str:
    """What the sighting does on a page: `is loaded`, `fires a pixel`, …; an embed (a video,
    map or captcha frame) is embedded, not a pixel."""
    if category == "embed" and sighting.kind in ("iframe", "script", "link", "embed", "url"):
        return "is embedded"
    return _VERBS.get(sighting.kind, "runs")


def strongest_first(reaches: list[PageReach], contexts: dict[str, PageContext], label: str) -> list[tuple[PageReach, str]]:
    """(page, its strongest evidence for label) in the order a headline ranks them: the page
    with the strongest evidence first, so a glob-labelled page comes before a path-name guess."""
    ranked = rank_reaches(reaches, contexts, (label,))
    listed = [(item.reach, item.evidence.describe(item.reach.page) if item.evidence else label) for item in ranked]
    seen = {item.reach for item in ranked}
    return listed + [(reach, label) for reach in reaches if reach not in seen]


def page_list(reaches: list[PageReach], contexts: dict[str, PageContext], label: str) -> str:
    parts = []
    for reach, why in strongest_first(reaches, contexts, label)[:MAX_PAGES_IN_MESSAGE]:
        parts.append(f"{chain_text(reach.chain)} (evidence: {why})")
    more = len(reaches) - MAX_PAGES_IN_MESSAGE
    if more > 0:
        parts.append(f"and {more} more")
    return "; ".join(parts)


def where_both(sighting: Sighting, auth: list[PageReach], health: list[PageReach], contexts: dict[str, PageContext]) -> str:
    """Where a rule that covers both kinds of page applies: the authenticated pages, then the
    health pages, each with its own count and evidence."""
    if not auth or not health:
        return where(sighting, auth or health, contexts, "authenticated" if auth else "health")
    first = where(sighting, auth, contexts, "authenticated")
    joint = " and reaches" if first.startswith("on this") else ", and"
    return f"{first}{joint} {plural_pages(len(health), 'health')}: {page_list(health, contexts, 'health')}"


def where(sighting: Sighting, reaches: list[PageReach], contexts: dict[str, PageContext], label: str) -> str:
    """'on this health page (why)' or 'on 3 health pages: a (why); b (why); …'."""
    if len(reaches) == 1 and reaches[0].page == sighting.path:
        [(_reach, why)] = strongest_first(reaches, contexts, label)
        return f"on this {label} page ({why})"
    return f"and reaches {plural_pages(len(reaches), label)}: {page_list(reaches, contexts, label)}"


def plural_pages(n: int, word: str) -> str:
    return f"{'an' if word[0] in 'aeiou' else 'a'} {word} page" if n == 1 else f"{n} {word} pages"


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


def evidence_of(reaches: list[PageReach], contexts: dict[str, PageContext]) -> list[Evidence]:
    evidence: list[Evidence] = []
    for reach in reaches:
        for label_evidence in contexts[reach.page].labels.values():
            evidence.extend(label_evidence)
    return evidence
