"""PHI005 decisions for tags of committed tag-manager containers.

A tag of an advertising, analytics, session-replay, CDP or marketing-automation vendor is
PHI005 (error) when it fires on sensitive pages:

(a) a page that loads the container (a GTM snippet with the container id, or a page that
    reaches a compiled runtime) is authenticated or health-related, and the tag's scope
    (All Pages, or trigger conditions that match the page's URL path) includes that page; or
(b) the tag's own trigger conditions name sensitive paths: a positive path/URL condition whose
    examples (`/book` for `^/(book|schedule)`) are portal or health paths of the vocabulary in
    rules/sensitive-paths.txt; or, when the tag is restricted to some paths, a vocabulary path
    that the restriction lets through; or, when no page in the repository loads the container,
    a tag that fires on every page (nothing narrows it, so it fires on the site's portal and
    health pages too).

Everything else is PHI100 (inventory): paused tags, tags without a trigger, server-container
tags (they receive what web tags send; no page of their own), tags
restricted to clearly non-sensitive paths (/careers), tags on a container that only public or
unlabelled pages load, tag-manager and monitoring vendors.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from phi_lint.catalogue import Catalogue
from phi_lint.jsonvalues import member
from phi_lint.models import Evidence, Finding, Headline, PageContext, PageReach, Sighting
from phi_lint.tagmanager import firing
from phi_lint.tagmanager.paths import describe_word, sample_paths, sensitive_word, url_path

SENSITIVE_CATEGORIES = {
    "advertising", "analytics", "session-replay", "cdp", "marketing-automation",
    "call-tracking", "identity", "experimentation", "customer-engagement", "accessibility-overlay",
}
MAX_IN_MESSAGE = 3
# GTM's own types; the vendors' types are labelled by their files' [gtm_type_details]
TYPE_NAMES = {"html": "Custom HTML", "img": "Custom Image"}


def type_label(details: dict, catalogue: Catalogue | None = None) -> str:
    tag_type = str(details.get("tagType") or "?")
    template = details.get("template") or {}
    if tag_type.lower().startswith("cvt_"):
        name = template.get("displayName") or template.get("name") or template.get("gallery")
        return f"template {tag_type}" + (f" '{name}'" if name else "")
    code = tag_type.lower()
    readable = TYPE_NAMES.get(code) or next(
        (v.gtm_type_details[code][0] for v in catalogue or () if code in v.gtm_type_details and v.gtm_type_details[code][0]), None
    )
    return f"{readable} `{tag_type}`" if readable else f"type `{tag_type}`"


def _label(context: PageContext) -> str:
    return "authenticated" if context.authenticated else "health"


def _pages_text(hits: list[tuple[PageReach, str, bool | None]], contexts: dict[str, PageContext]) -> str:
    parts = []
    for reach, path, verdict in hits[:MAX_IN_MESSAGE]:
        context = contexts[reach.page]
        label = _label(context)
        evidence = context.labels.get(label, [])
        why = evidence[0].describe(reach.page) if evidence else label
        from phi_lint.headline import chain_text

        shown = chain_text(reach.chain[:-1])  # the chain ends at the container file itself
        maybe = ", where it may fire" if verdict is None else ""
        parts.append(f"{shown} ({label}, URL {path}{maybe}; evidence: {why})")
    more = len(hits) - MAX_IN_MESSAGE
    if more > 0:
        parts.append(f"and {more} more")
    return "; ".join(parts)


def _path_hits(scope: dict, use_samples: bool) -> list[tuple[str, str, bool]]:
    """(path, why it is sensitive, named by a condition?) where the tag fires or may fire."""
    candidates: list[tuple[str, bool]] = [(path, True) for path, _condition in firing.witnesses(scope)]
    if use_samples:
        candidates.extend((path, False) for path, _word in sample_paths())
    named: list[tuple[str, str, bool]] = []
    sampled: dict[str, list[tuple[str, str, bool]]] = {"authenticated": [], "health": []}
    seen = set()
    for path, from_condition in candidates:
        found = sensitive_word(path)
        if found is None:
            continue
        word, segment = found
        if word.word in seen or firing.fires(scope, path) is False:
            continue
        seen.add(word.word)
        hit = (path, describe_word(word, segment), from_condition)
        if from_condition:
            named.append(hit)
        else:
            sampled[word.label].append(hit)
    # alternate portal and health examples so a message shows both kinds
    mixed: list[tuple[str, str, bool]] = []
    for pair in zip(sampled["authenticated"], sampled["health"]):
        mixed.extend(pair)
    shorter = min(len(sampled["authenticated"]), len(sampled["health"]))
    mixed.extend(sampled["authenticated"][shorter:] + sampled["health"][shorter:])
    return named + mixed


def _paths_text(hits: list[tuple[str, str, bool]]) -> str:
    shown = ", ".join(f"{path} ({why})" for path, why, _named in hits[:MAX_IN_MESSAGE])
    more = len(hits) - MAX_IN_MESSAGE
    return shown + (f" and {more} more" if more > 0 else "")


def decide_tag(
    sighting: Sighting,
    reaches: list[PageReach],
    contexts: dict[str, PageContext],
    catalogue: Catalogue,
    baa_vendors: set[str],
) -> Finding:
    """PHI005 or PHI100 for one tag sighting; never raises (odd details give an inventory note).
    A vendor in baa-vendors is judged as any other, then lowered to PHI100 naming PHI005."""
    try:
        finding = _decide(sighting, reaches, contexts, catalogue)
        if sighting.vendor_id in baa_vendors:
            from phi_lint.findings import lowered_by_baa

            [finding] = lowered_by_baa([finding])
        return finding
    except Exception as exc:  # noqa: BLE001 - one odd tag must not end the scan
        from phi_lint.findings import make_finding, vendor_label

        name, category = vendor_label(catalogue, sighting.vendor_id)
        message = f"{sighting.snippet}: where it fires could not be evaluated ({type(exc).__name__}: {exc}); inventory only."
        return make_finding("PHI100", sighting, name, category, message, [], [])


@dataclass
class _Tag:
    """What the verdict on one tag is made from: its names, where it fires, who loads it."""

    head: str  # "Tag 'X' (type, Vendor, category)"
    tag: str  # "tag 'X'"
    triggers: str
    loaded_what: str
    loaded_by: list[PageReach]
    kind: str | None
    page_hits: list[tuple[PageReach, str, bool | None]] = field(default_factory=list)
    excluded: list[tuple[PageReach, str]] = field(default_factory=list)  # sensitive loaders outside its triggers
    path_hits: list[tuple[str, str, bool]] = field(default_factory=list)
    broad: bool = False

    @property
    def fires(self) -> str:
        return f"{self.tag} fires"

    @property
    def trigger(self) -> str:
        return f"trigger: {self.triggers}"


def _tag(sighting: Sighting, reaches: list[PageReach], contexts: dict[str, PageContext], catalogue: Catalogue,
         vendor_name: str, category: str) -> _Tag:
    details = sighting.details or {}
    scope = member(details, "scope", dict, {"kind": "unknown"})
    name = details.get("tagName") or sighting.snippet
    head = f"Tag '{name}' ({type_label(details, catalogue)}, {vendor_name}, {category})"
    if details.get("runtime"):
        head = f"Tag '{name}' of the compiled {details['runtime']} ({vendor_name}, {category})"
    container = details.get("container")
    loaded_what = "this compiled container" if details.get("runtime") else f"container {container or 'it'}"
    tag = _Tag(head, f"tag '{name}'", scope.get("summary") or firing.summary(scope), loaded_what,
               [r for r in reaches if r.page != sighting.path], scope.get("kind"))
    if tag.kind in ("pages", "unknown"):
        for reach in tag.loaded_by:
            context = contexts.get(reach.page)
            if context is None or not context.sensitive:
                continue
            path = url_path(reach.page)
            verdict = firing.fires(scope, path)
            if verdict is not False:
                tag.page_hits.append((reach, path, verdict))
            else:
                tag.excluded.append((reach, path))
    if tag.kind == "pages":
        tag.broad = firing.is_broad(scope)
        tag.path_hits = _path_hits(scope, use_samples=not tag.broad or not tag.loaded_by)
    return tag


def _inventory_by_kind(tag: _Tag, details: dict, scope: dict, vendor_name: str, category: str) -> tuple[str, Headline] | None:
    """Inventory whatever the pages: a committed runtime, a vendor of no sensitive category, a
    tag that never fires, a server container's tag."""
    if details.get("inventory"):
        size = f" ({details['size']})" if details.get("size") else ""
        return (
            f"{vendor_name} runtime {details.get('runtime')}{size} committed to the repository; "
            "the vendor tags its compiled configuration names are reported separately; inventory only.",
            Headline(f"runtime {details.get('runtime')} committed to the repository; inventory only", pages=False),
        )
    if category not in SENSITIVE_CATEGORIES:
        return (f"{tag.head} fires on {tag.triggers}; a {category} vendor, inventory only.",
                Headline(tag.fires, tag.trigger, f"; a {category} vendor, inventory only", pages=False))
    if tag.kind == "never":
        if scope.get("reason") == "paused":
            return (f"{tag.head}: it is paused, so it never fires; inventory only (review it again before unpausing).",
                    Headline(f"{tag.tag} is paused, so it never fires; inventory only", pages=False))
        return (f"{tag.head}: it has no firing trigger, so it never fires; inventory only.",
                Headline(f"{tag.tag} has no firing trigger, so it never fires; inventory only", pages=False))
    if tag.kind == "server":
        return (
            f"{tag.head} is in a server container: it receives what the web tags send to the server, not pages "
            "of its own; inventory only (check which web tags feed it).",
            Headline(f"{tag.tag} is in a server container; inventory only", pages=False),
        )
    return None


def _fires_on_sensitive(tag: _Tag, sighting: Sighting, contexts: dict[str, PageContext]
                        ) -> tuple[str, Headline, list[PageReach], list[Evidence]]:
    """PHI005: the tag fires on sensitive pages that load it, or its triggers cover such paths."""
    message = f"{tag.head} fires on {tag.triggers}"
    headline = Headline(tag.fires, tag.trigger, _path_hit_text(tag.path_hits) if not tag.page_hits else "")
    pages: list[PageReach] = []
    evidence: list[Evidence] = []
    if tag.page_hits:
        pages = [reach for reach, _path, _verdict in tag.page_hits]
        message += (
            f"; {len(tag.page_hits)} sensitive page(s) load {tag.loaded_what}: "
            f"{_pages_text(tag.page_hits, contexts)}"
        )
        for reach, _path, _verdict in tag.page_hits:
            for label_evidence in contexts[reach.page].labels.values():
                evidence.extend(label_evidence)
    named = [hit for hit in tag.path_hits if hit[2]]
    sampled = [hit for hit in tag.path_hits if not hit[2]]
    if named:
        message += f"; its conditions cover {_paths_text(named)}"
    if sampled and tag.broad:
        message += (
            f"; no page in this repository loads {tag.loaded_what}, so nothing keeps it off "
            f"portal and health pages such as {_paths_text(sampled)}"
        )
    elif sampled:
        message += f"; that lets it fire on {_paths_text(sampled)}"
    for path, why, _named in tag.path_hits[:MAX_IN_MESSAGE]:
        evidence.append(Evidence(f"the tag's triggers cover {path}: {why}", sighting.path, sighting.span.line))
    message += (
        ". Tag-manager hits carry the page URL and visitor identifiers: on pages behind login or "
        "about health they can disclose PHI to the vendor."
    )
    return message, headline, pages, evidence


def _off_sensitive(tag: _Tag, scope: dict) -> tuple[str, Headline]:
    """Inventory: where it fires is unknown, or no sensitive page is within its triggers."""
    if tag.kind == "unknown":
        return (f"{tag.head}: where it fires is not known ({scope.get('reason') or 'unresolved triggers'}); inventory only.",
                Headline(f"{tag.tag}: where it fires is not known; inventory only", pages=False))
    if tag.loaded_by and tag.excluded:
        shown = ", ".join(f"{reach.page} (URL {path})" for reach, path in tag.excluded[:MAX_IN_MESSAGE])
        more = f" and {len(tag.excluded) - MAX_IN_MESSAGE} more" if len(tag.excluded) > MAX_IN_MESSAGE else ""
        return (
            f"{tag.head} fires on {tag.triggers}; the sensitive pages that load {tag.loaded_what} are "
            f"outside its triggers: {shown}{more}; inventory only.",
            Headline(tag.fires, tag.trigger, "; the sensitive pages that load it are outside its triggers; inventory only", pages=False),
        )
    if tag.broad and tag.loaded_by:
        return (
            f"{tag.head} fires on {tag.triggers}; none of the {len(tag.loaded_by)} page(s) that load {tag.loaded_what} "
            "is known to be authenticated or health-related; inventory only.",
            Headline(tag.fires, tag.trigger, "; no page that loads it is known to be sensitive; inventory only", pages=False),
        )
    return (f"{tag.head} fires only on {tag.triggers}, which names no portal or health path; inventory only.",
            Headline(tag.fires, tag.trigger, " on no portal or health path; inventory only", pages=False))


def _decide(
    sighting: Sighting,
    reaches: list[PageReach],
    contexts: dict[str, PageContext],
    catalogue: Catalogue,
) -> Finding:
    """One tag's finding, in three stages: its facts (_tag), inventory whatever the pages
    (_inventory_by_kind), else PHI005 when it fires on sensitive pages or paths, else inventory."""
    from phi_lint.findings import make_finding, vendor_label

    vendor_name, category = vendor_label(catalogue, sighting.vendor_id)
    details = sighting.details or {}
    scope = member(details, "scope", dict, {"kind": "unknown"})
    tag = _tag(sighting, reaches, contexts, catalogue, vendor_name, category)
    pages: list[PageReach] = []
    evidence: list[Evidence] = []
    by_kind = _inventory_by_kind(tag, details, scope, vendor_name, category)
    if by_kind is not None:
        rule_id, (message, headline) = "PHI100", by_kind
    elif tag.page_hits or tag.path_hits:
        rule_id = "PHI005"
        message, headline, pages, evidence = _fires_on_sensitive(tag, sighting, contexts)
    else:
        rule_id, (message, headline) = "PHI100", _off_sensitive(tag, scope)
    notes: list[str] = []
    consent = details.get("consent") or {}
    if rule_id == "PHI005" and consent.get("status") == "needed":
        kinds = ", ".join(consent.get("types") or []) or "consent"
        notes.append(f"It waits for {kinds}; a consent banner is not a HIPAA authorization.")
    if sighting.account_id:
        notes.append(f"Account id: {sighting.account_id}.")
    message = " ".join([message, *notes])
    return make_finding(
        rule_id, sighting, vendor_name, category, message, pages, evidence, headline=headline, notes=tuple(notes)
    )


def _path_hit_text(path_hits: list[tuple[str, str, bool]]) -> str:
    """Where a tag no page of the repository loads may fire, for the headline: its first
    sensitive path, and how many more."""
    if not path_hits:
        return ""
    path, why, named = path_hits[0]
    more = f" +{len(path_hits) - 1} more" if len(path_hits) > 1 else ""
    return f" on {'' if named else 'e.g. '}{path}{more} ({why})"
